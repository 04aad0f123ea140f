/* dg-assessment-csv.c: one table of the assessment as CSV.
 *
 * Excel opens a CSV in the ANSI code page unless it starts with a UTF-8 byte order mark, which
 * turns the Chinese into mojibake; so the BOM is always written. Fields follow RFC 4180 (quoted
 * when they hold a comma, a quote or a line break; quotes doubled; CRLF between records), and
 * numbers have one decimal with '.', so the file reads the same in every locale.
 *
 * A spreadsheet runs a field that begins with '=', '+', '-', '@', a tab or a carriage return as
 * a formula, and names of roads, cells and units are typed by people: such a text field gets a
 * leading apostrophe (design 6.6), which spreadsheets read as "this is text". The numbers this
 * writer formats itself ("-1.5") stay numbers.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <string.h>

#include "dg-assessment-private.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* "-1.5", "12", "0.3": what dg_assessment_format1() and the counts write. */
static gboolean
is_plain_number (const char *field)
{
  const char *p = field;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  return *p == '\0';
}

static gboolean
starts_a_formula (const char *field)
{
  return field[0] != '\0' && strchr ("=+-@\t\r", field[0]) != NULL && !is_plain_number (field);
}

static void
append_field (GString    *out,
              const char *field)
{
  g_autofree char *guarded = NULL;

  if (field == NULL)
    return;

  if (starts_a_formula (field))
    field = guarded = g_strconcat ("'", field, NULL);

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
