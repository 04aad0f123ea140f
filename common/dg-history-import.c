/* dg-history-import.c: rows of an old spreadsheet as dustfall_history changes (design 6.4).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-history-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg-date.h"
#include "dg-error.h"
#include "dg-history-import.h"
#include "dg-validate.h"
#include "dg-wire.h"

typedef enum
{
  COLUMN_MONTH,
  COLUMN_CODE,
  COLUMN_VALUE,
  N_COLUMNS
} Column;

/* The header of each column, in Chinese as the office writes it, and in English. */
static const struct
{
  const char *chinese;
  const char *english;
} column_names[N_COLUMNS] = {
  [COLUMN_MONTH] = { "月份", "month" },
  [COLUMN_CODE] = { "网格编号", "code" },
  [COLUMN_VALUE] = { "降尘量", "value" },
};

void
dg_history_refusal_clear (gpointer data)
{
  DgHistoryRefusal *refusal = data;

  g_clear_pointer (&refusal->message, g_free);
}

void
dg_history_import_free (DgHistoryImport *import)
{
  if (import == NULL)
    return;

  json_array_unref (import->changes);
  g_array_unref (import->rows);
  g_array_unref (import->refused);
  g_free (import);
}

static void
refuse (DgHistoryImport *import,
        guint            row,
        const char      *format,
        ...) G_GNUC_PRINTF (3, 4);

static void
refuse (DgHistoryImport *import,
        guint            row,
        const char      *format,
        ...)
{
  DgHistoryRefusal refusal = { row, NULL };
  va_list args;

  va_start (args, format);
  refusal.message = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (import->refused, refusal);
}

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

/* A header names @column when it is its Chinese or English name, alone or followed by a unit
 * in brackets: "降尘量（t/km²·30d）", "value (t/km2/30d)". */
static gboolean
header_names (const char *header,
              Column      column)
{
  const char *names[] = { column_names[column].chinese, column_names[column].english };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize len = strlen (names[i]);
      const char *rest;

      if (g_ascii_strncasecmp (header, names[i], len) != 0)
        continue;
      rest = header + len;
      while (*rest == ' ')
        rest++;
      if (*rest == '\0' || *rest == '(' || g_str_has_prefix (rest, "（"))
        return TRUE;
    }
  return FALSE;
}

/* Digits at *p as a number, moving *p past them; -1 when there are none. */
static int
take_number (const char **p,
             guint        max_digits)
{
  int value = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      value = value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  return n > 0 ? value : -1;
}

char *
dg_history_parse_month (const char *text)
{
  g_autofree char *str = trimmed (text);
  const char *p = str;
  int year, month;

  year = take_number (&p, 4);
  if (year < 1900 || p - str != 4)
    return NULL;

  if (g_ascii_isdigit (*p))
    {
      /* 202503: a month typed as a number. */
      month = take_number (&p, 2);
      if (*p != '\0' || p - str != 6)
        return NULL;
    }
  else
    {
      gboolean chinese = g_str_has_prefix (p, "年");

      if (chinese)
        p += strlen ("年");
      else if (*p == '-' || *p == '/' || *p == '.')
        p++;
      else
        return NULL;

      month = take_number (&p, 2);
      if (chinese && g_str_has_prefix (p, "月"))
        p += strlen ("月");
      else if (chinese && *p != '\0')
        return NULL;

      /* What follows may only be the day of a date of the month ("2025-03-01", "2025/3/1",
       * "2025年3月1日"). */
      if (*p == '-' || *p == '/' || *p == '.')
        {
          p++;
          if (take_number (&p, 2) < 1)
            return NULL;
          if (*p == ' ' || *p == 'T')
            p += strlen (p);
        }
      else if (chinese && g_ascii_isdigit (*p))
        {
          if (take_number (&p, 2) < 1 || !g_str_has_prefix (p, "日"))
            return NULL;
          p += strlen ("日");
        }
      if (*p != '\0')
        return NULL;
    }

  if (month < 1 || month > 12)
    return NULL;
  return g_strdup_printf ("%04d-%02d", year, month);
}

static gboolean
parse_value (const char *text,
             double     *out)
{
  char *end = NULL;
  double value;

  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

DgHistoryImport *
dg_history_import_new (const DgSheet  *sheet,
                       GPtrArray      *cells,
                       GError        **error)
{
  g_autoptr(DgHistoryImport) import = NULL;
  g_autoptr(GHashTable) by_code = NULL;    /* code -> cell id */
  g_autoptr(GHashTable) seen = NULL;       /* "cell_id month" -> first row */
  const DgSheetRow *header;
  int columns[N_COLUMNS] = { -1, -1, -1 };

  g_return_val_if_fail (sheet != NULL, NULL);
  g_return_val_if_fail (cells != NULL, NULL);

  if (sheet->rows->len == 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL,
                    "the sheet is empty: its first row must name the columns 月份 (month), "
                    "网格编号 (code) and 降尘量 (value)");
      return NULL;
    }

  header = &g_array_index (sheet->rows, DgSheetRow, 0);
  for (guint i = 0; header->cells[i] != NULL; i++)
    {
      g_autofree char *name = trimmed (header->cells[i]);

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          if (columns[c] < 0 && header_names (name, c))
            columns[c] = (int) i;
        }
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (columns[c] < 0)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, column_names[c].english,
                        "the header (row %u) has no column %s (or %s)", header->number,
                        column_names[c].chinese, column_names[c].english);
          return NULL;
        }
    }

  by_code = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < cells->len; i++)
    {
      const DgGridCell *cell = g_ptr_array_index (cells, i);

      if (cell->code != NULL && cell->id != NULL)
        g_hash_table_insert (by_code, cell->code, cell->id);
    }

  import = g_new0 (DgHistoryImport, 1);
  import->changes = json_array_new ();
  import->rows = g_array_new (FALSE, FALSE, sizeof (guint));
  import->refused = g_array_new (FALSE, TRUE, sizeof (DgHistoryRefusal));
  g_array_set_clear_func (import->refused, dg_history_refusal_clear);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint r = 1; r < sheet->rows->len; r++)
    {
      const DgSheetRow *row = &g_array_index (sheet->rows, DgSheetRow, r);
      g_autofree char *month_text = trimmed (dg_sheet_row_cell (row, columns[COLUMN_MONTH]));
      g_autofree char *code = trimmed (dg_sheet_row_cell (row, columns[COLUMN_CODE]));
      g_autofree char *value_text = trimmed (dg_sheet_row_cell (row, columns[COLUMN_VALUE]));
      g_autofree char *month = NULL;
      g_autofree char *id = NULL;
      g_autofree char *key = NULL;
      g_autoptr(JsonObject) data = NULL;
      g_autoptr(DgChange) change = NULL;
      const char *cell_id;
      gpointer first;
      double value;

      if (*month_text == '\0')
        {
          refuse (import, row->number, "month is required");
          continue;
        }
      month = dg_history_parse_month (month_text);
      if (month == NULL)
        {
          refuse (import, row->number, "month must be a month such as 2025-03, not %s",
                  month_text);
          continue;
        }
      if (*code == '\0')
        {
          refuse (import, row->number, "code is required");
          continue;
        }
      cell_id = g_hash_table_lookup (by_code, code);
      if (cell_id == NULL)
        {
          refuse (import, row->number, "code %s names no grid cell", code);
          continue;
        }
      if (*value_text == '\0')
        {
          refuse (import, row->number, "value is required");
          continue;
        }
      if (!parse_value (value_text, &value))
        {
          refuse (import, row->number, "value must be a number, not %s", value_text);
          continue;
        }

      /* Two rows of one cell and month would be two revisions of one record. */
      key = g_strconcat (cell_id, " ", month, NULL);
      if (g_hash_table_lookup_extended (seen, key, NULL, &first))
        {
          refuse (import, row->number, "code %s, month %s is also in row %u", code, month,
                  GPOINTER_TO_UINT (first));
          continue;
        }
      g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (row->number));

      data = json_object_new ();
      json_object_set_string_member (data, "cell_id", cell_id);
      json_object_set_string_member (data, "month", month);
      json_object_set_double_member (data, "value", value);
      json_object_set_string_member (data, "source", DG_HISTORY_SOURCE_IMPORT);

      id = dg_dustfall_history_id (cell_id, month);
      change = dg_change_new (DG_RECORD_DUSTFALL_HISTORY, id, 0, FALSE, data);
      json_array_add_element (import->changes, dg_change_to_json (change));
      g_array_append_val (import->rows, row->number);
    }

  return g_steal_pointer (&import);
}

char *
dg_history_import_describe (const DgHistoryImport *import,
                            guint                  index,
                            const GError          *error)
{
  g_return_val_if_fail (import != NULL, NULL);
  g_return_val_if_fail (index < import->rows->len, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  /* The validator's messages start with the field they name ("value must be ≤ 10000"). */
  return g_strdup_printf ("row %u: %s", g_array_index (import->rows, guint, index),
                          error->message);
}
