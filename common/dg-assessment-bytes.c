/* dg-assessment-bytes.c: the assessment in memory, for an HTTP answer, and as JSON.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dg-assessment-private.h"
#include "dg-error.h"
#include "dg-wire.h"

JsonNode *
dg_assessment_to_json (const DgAssessment *assessment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *generated_at = NULL;
  const char *month;

  g_return_val_if_fail (assessment != NULL, NULL);

  month = dg_assessment_get_month (assessment);
  generated_at = dg_assessment_generated_at (assessment);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  if (month != NULL)
    json_builder_add_string_value (builder, month);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "district");
  if (assessment->district != NULL)
    json_builder_add_string_value (builder, assessment->district);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "generated_at");
  json_builder_add_string_value (builder, generated_at);

  json_builder_set_member_name (builder, "dustfall");
  if (assessment->dustfall != NULL)
    json_builder_add_value (builder, dg_dustfall_report_to_json (assessment->dustfall));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "roads");
  if (assessment->roads != NULL)
    json_builder_add_value (builder, dg_road_report_to_json (assessment->roads));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "quota");
  if (assessment->quota != NULL)
    json_builder_add_value (builder, dg_quota_report_to_json (assessment->quota));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* libxlsxwriter 1.1 can only write a file, so the workbook goes through a private temporary
 * directory that is removed whatever happens. */
static GBytes *
xlsx_to_bytes (const DgAssessment  *assessment,
               GError             **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean ok;

  dir = g_dir_make_tmp ("dustgrid-assessment-XXXXXX", error);
  if (dir == NULL)
    return NULL;

  path = g_build_filename (dir, "assessment.xlsx", NULL);
  ok = dg_assessment_write_xlsx (assessment, path, NULL, NULL, error)
       && g_file_get_contents (path, &contents, &length, error);

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
  if (g_rmdir (dir) != 0)
    g_warning ("Cannot remove %s: %s", dir, g_strerror (errno));

  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

GBytes *
dg_assessment_to_bytes (const DgAssessment   *assessment,
                        DgAssessmentFormat    format,
                        DgAssessmentSection   section,
                        GError              **error)
{
  g_return_val_if_fail (assessment != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (format)
    {
    case DG_ASSESSMENT_FORMAT_JSON:
      {
        g_autoptr(JsonNode) node = dg_assessment_to_json (assessment);
        char *text = json_to_string (node, FALSE);

        return g_bytes_new_take (text, strlen (text));
      }
    case DG_ASSESSMENT_FORMAT_CSV:
      return dg_assessment_render_csv (assessment, section);
    case DG_ASSESSMENT_FORMAT_XLSX:
      return xlsx_to_bytes (assessment, error);
    case DG_ASSESSMENT_FORMAT_PDF:
      return dg_assessment_render_pdf (assessment, NULL, NULL, error);
    default:
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "Unknown assessment format %d", format);
      return NULL;
    }
}
