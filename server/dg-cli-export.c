/* dg-cli-export.c: what the command line makes from a district: `export`, a month's assessment
 * as JSON, CSV, XLSX or PDF (the same bytes as the HTTP export), and `demo`, the sample district
 * written into a database.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-auth.h"
#include "dg-cli-private.h"
#include "dg-demo.h"
#include "dg-reports.h"
#include "dg-store.h"

int
dg_cli_export (int    argc,
               char **argv)
{
  g_autofree char *month = NULL;
  g_autofree char *format = NULL;
  g_autofree char *section = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DgAssessmentFormat assessment_format;
  DgAssessmentSection assessment_section;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, "The month", "YYYY-MM" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "json, csv, xlsx or pdf", "FORMAT" },
    { "section", 0, 0, G_OPTION_ARG_STRING, &section, "CSV table: dustfall, roads or quota",
      "TABLE" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Output file", "FILE" },
    { NULL }
  };

  if (!dg_cli_parse_options ("export", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("export", error);
  if (month == NULL || !dg_month_is_valid (month))
    {
      fprintf (stderr, "dustgrid-server export: --month YYYY-MM is required\n");
      return DG_CLI_EXIT_USAGE;
    }
  if (output == NULL)
    {
      fprintf (stderr, "dustgrid-server export: --output FILE is required\n");
      return DG_CLI_EXIT_USAGE;
    }
  if (!dg_assessment_format_from_string (format != NULL ? format : "json", &assessment_format))
    {
      fprintf (stderr, "dustgrid-server export: --format must be json, csv, xlsx or pdf\n");
      return DG_CLI_EXIT_USAGE;
    }
  if (!dg_assessment_section_from_string (section, &assessment_section))
    {
      fprintf (stderr, "dustgrid-server export: --section must be dustfall, roads or quota\n");
      return DG_CLI_EXIT_USAGE;
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("export", error);

  if (assessment_format == DG_ASSESSMENT_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = dg_reports_assessment (store, month, &error);
      char *text;

      if (node == NULL)
        return dg_cli_fail ("export", error);
      text = dg_json_to_string (node);
      bytes = g_bytes_new_take (text, strlen (text));
    }
  else
    {
      bytes = dg_reports_assessment_file (store, month, assessment_format, assessment_section,
                                          &error);
      if (bytes == NULL)
        return dg_cli_fail ("export", error);
    }

  if (!g_file_set_contents (output, g_bytes_get_data (bytes, NULL),
                            (gssize) g_bytes_get_size (bytes), &error))
    return dg_cli_fail ("export", error);

  fprintf (stdout, "assessment of %s written to %s\n", month, output);
  return 0;
}

int
dg_cli_demo (int    argc,
             char **argv)
{
  g_autofree char *today = NULL;
  g_autofree char *scale = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  const GOptionEntry entries[] = {
    { "today", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &today, "Pretend today is", "DATE" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale,
      "district (default), or province for benchmarks (20,000 cells, 36 months)", "SCALE" },
    { NULL }
  };

  if (!dg_cli_parse_options ("demo", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("demo", error);
  if (today == NULL)
    today = dg_date_today ();
  if (!dg_date_is_valid (today))
    {
      fprintf (stderr, "dustgrid-server demo: --today must be YYYY-MM-DD\n");
      return DG_CLI_EXIT_USAGE;
    }
  if (scale != NULL && !dg_demo_scale_is_valid (scale))
    {
      fprintf (stderr, "dustgrid-server demo: --scale must be district or province\n");
      return DG_CLI_EXIT_USAGE;
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("demo", error);
  auth = dg_auth_new (store);
  if (!dg_demo_populate_scale (store, auth, today, scale != NULL ? scale : "district", &error))
    return dg_cli_fail ("demo", error);

  fprintf (stdout, "demo district written to %s; users inspector, inspector2, office and admin "
           "(each password is the user name)\n", dg_cli_db ());
  return 0;
}
