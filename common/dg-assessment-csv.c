/* dg-assessment-csv.c: one table of the assessment as CSV.
 *
 * Excel opens a CSV in the ANSI code page unless it starts with a UTF-8 byte order mark, which
 * turns the Chinese into mojibake; so the BOM is always written. Fields follow RFC 4180 (quoted
 * when they hold a comma, a quote or a line break; quotes doubled; CRLF between records), and
 * numbers have one decimal with '.', so the file reads the same in every locale.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <string.h>

#include "dg-assessment-private.h"

#define UTF8_BOM "\xEF\xBB\xBF"

static void
append_field (GString    *out,
              const char *field)
{
  if (field == NULL)
    return;

  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_record (GString           *out,
               const char * const *fields,
               guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

GBytes *
dg_assessment_render_csv (const DgAssessment  *self,
                          DgAssessmentSection  section)
{
  g_autoptr(GPtrArray) rows = NULL;
  const char * const *headers;
  guint n_columns;
  GString *out;

  switch (section)
    {
    case DG_ASSESSMENT_SECTION_ROADS:
      rows = dg_assessment_road_rows (self->roads);
      headers = dg_assessment_road_headers;
      n_columns = DG_N_ROAD_COLS;
      break;
    case DG_ASSESSMENT_SECTION_QUOTA:
      rows = dg_assessment_quota_rows (self->quota);
      headers = dg_assessment_quota_headers;
      n_columns = DG_N_QUOTA_COLS;
      break;
    case DG_ASSESSMENT_SECTION_DUSTFALL:
    default:
      rows = dg_assessment_rank_rows (self->dustfall);
      headers = dg_assessment_rank_headers;
      n_columns = DG_N_RANK_COLS;
      break;
    }

  out = g_string_new (UTF8_BOM);
  /* A CSV is one plain table that tools can load: a header record, then one record per row,
   * with no title or total rows that a program would mistake for data. */
  append_record (out, headers, n_columns);
  for (guint i = 0; i < rows->len; i++)
    {
      const DgAssessmentRow *row = g_ptr_array_index (rows, i);

      append_record (out, (const char * const *) row->cells, row->n);
    }

  return g_string_free_to_bytes (out);
}

gboolean
dg_assessment_write_csv (const DgAssessment   *assessment,
                         DgAssessmentSection   section,
                         const char           *path,
                         GError              **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (assessment != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = dg_assessment_render_csv (assessment, section);

  return dg_assessment_replace_file (path, bytes, error);
}
