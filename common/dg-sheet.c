/* dg-sheet.c: the first sheet of a CSV or XLSX file as numbered rows of text (design 6.4).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-sheet"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "dg-error.h"
#include "dg-sheet.h"

/* The bounds of the format itself (Excel 2007 and later). */
#define MAX_ROWS    1048576u
#define MAX_COLUMNS 16384u

#define RELATIONSHIPS_NS \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static void
sheet_row_clear (gpointer data)
{
  DgSheetRow *row = data;

  g_clear_pointer (&row->cells, g_strfreev);
}

static DgSheet *
sheet_new (void)
{
  DgSheet *sheet = g_new0 (DgSheet, 1);

  sheet->rows = g_array_new (FALSE, TRUE, sizeof (DgSheetRow));
  g_array_set_clear_func (sheet->rows, sheet_row_clear);
  return sheet;
}

void
dg_sheet_free (DgSheet *sheet)
{
  if (sheet == NULL)
    return;

  g_array_unref (sheet->rows);
  g_free (sheet);
}

const char *
dg_sheet_row_cell (const DgSheetRow *row,
                   guint             column)
{
  g_return_val_if_fail (row != NULL, "");

  for (guint i = 0; row->cells != NULL && row->cells[i] != NULL; i++)
    {
      if (i == column)
        return row->cells[i];
    }
  return "";
}

/* Takes @cells (char *, owned): trailing empty cells are dropped, and a row of nothing but
 * empty cells is not kept (a spreadsheet's empty row still has its number, which the next row
 * keeps). */
static void
sheet_add_row (DgSheet   *sheet,
               guint      number,
               GPtrArray *cells)
{
  DgSheetRow row = { number, NULL };

  while (cells->len > 0 && *(const char *) g_ptr_array_index (cells, cells->len - 1) == '\0')
    g_ptr_array_remove_index (cells, cells->len - 1);

  if (cells->len == 0)
    {
      g_ptr_array_unref (cells);
      return;
    }

  g_ptr_array_add (cells, NULL);
  row.cells = (GStrv) g_ptr_array_free (cells, FALSE);
  g_array_append_val (sheet->rows, row);
}

/* ---- CSV ---- */

DgSheet *
dg_sheet_read_csv (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(DgSheet) sheet = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GString) field = NULL;
  GPtrArray *cells;
  gboolean quoted = FALSE;      /* inside a quoted field */
  gboolean pending = FALSE;     /* the record begun has something in it */
  guint number = 1;
  const char *p, *end;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      gsize written = 0;

      /* Excel on a Chinese Windows saves "CSV" in the ANSI code page, GBK, which GB18030
       * contains. */
      converted = g_convert (data, length, "UTF-8", "GB18030", NULL, &written, NULL);
      if (converted == NULL || memchr (converted, '\0', written) != NULL)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL,
                        "the file is neither UTF-8 nor GB18030 text");
          return NULL;
        }
      data = converted;
      length = written;
    }

  sheet = sheet_new ();
  field = g_string_new (NULL);
  cells = g_ptr_array_new_with_free_func (g_free);

  for (p = data, end = data + length; p < end; p++)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
          continue;
        }

      if (c == '"')
        {
          quoted = TRUE;
          pending = TRUE;
        }
      else if (c == ',')
        {
          g_ptr_array_add (cells, g_strdup (field->str));
          g_string_truncate (field, 0);
          pending = TRUE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && p + 1 < end && p[1] == '\n')
            p++;
          g_ptr_array_add (cells, g_strdup (field->str));
          g_string_truncate (field, 0);
          sheet_add_row (sheet, number, cells);
          cells = g_ptr_array_new_with_free_func (g_free);
          pending = FALSE;
          if (++number > MAX_ROWS)
            break;
        }
      else
        {
          g_string_append_c (field, c);
          pending = TRUE;
        }
    }

  if (pending || field->len > 0)
    {
      g_ptr_array_add (cells, g_strdup (field->str));
      sheet_add_row (sheet, number, cells);
    }
  else
    g_ptr_array_unref (cells);

  return g_steal_pointer (&sheet);
}

/* ---- XLSX ---- */

typedef struct
{
  zip_t     *zip;
  GPtrArray *shared;        /* char *: the shared strings */
  GArray    *date_styles;   /* gboolean per cellXfs index: a date format */
  gboolean   date1904;
} Workbook;

static void
workbook_clear (Workbook *wb)
{
  g_clear_pointer (&wb->zip, zip_discard);
  g_clear_pointer (&wb->shared, g_ptr_array_unref);
  g_clear_pointer (&wb->date_styles, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Workbook, workbook_clear)

static void
not_xlsx (GError     **error,
          const char  *what)
{
  dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "not a readable XLSX workbook: %s", what);
}

/* The part @name parsed, or NULL: with @error set when it is there but unreadable, without
 * when it is absent (@required says which is an error). */
static xmlDoc *
read_part (Workbook    *wb,
           const char  *name,
           gboolean     required,
           GError     **error)
{
  g_autofree char *buffer = NULL;
  zip_stat_t st;
  zip_file_t *file;
  zip_int64_t index, got;
  xmlDoc *doc;

  index = zip_name_locate (wb->zip, name, ZIP_FL_NOCASE);
  if (index < 0)
    {
      if (required)
        {
          g_autofree char *what = g_strdup_printf ("%s is missing", name);

          not_xlsx (error, what);
        }
      return NULL;
    }

  zip_stat_init (&st);
  if (zip_stat_index (wb->zip, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      st.size > DG_SHEET_MAX_PART_BYTES)
    {
      g_autofree char *what = g_strdup_printf ("%s is larger than %d MiB", name,
                                               DG_SHEET_MAX_PART_BYTES / (1024 * 1024));

      not_xlsx (error, what);
      return NULL;
    }

  file = zip_fopen_index (wb->zip, index, 0);
  if (file == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s cannot be unpacked", name);

      not_xlsx (error, what);
      return NULL;
    }
  buffer = g_malloc (st.size + 1);
  got = zip_fread (file, buffer, st.size);
  zip_fclose (file);
  if (got < 0 || (zip_uint64_t) got != st.size)
    {
      g_autofree char *what = g_strdup_printf ("%s cannot be unpacked", name);

      not_xlsx (error, what);
      return NULL;
    }

  /* No network, no external entities (entities are not substituted without XML_PARSE_NOENT). */
  doc = xmlReadMemory (buffer, (int) st.size, name, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s is not well-formed XML", name);

      if (doc != NULL)
        xmlFreeDoc (doc);
      not_xlsx (error, what);
      return NULL;
    }
  return doc;
}

static gboolean
is_element (const xmlNode *node,
            const char    *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
first_child (const xmlNode *parent,
             const char    *name)
{
  for (xmlNode *n = parent != NULL ? parent->children : NULL; n != NULL; n = n->next)
    {
      if (is_element (n, name))
        return n;
    }
  return NULL;
}

static char *
get_attr (const xmlNode *node,
          const char    *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = value != NULL ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

/* The text of the <t> elements below @node, in order; phonetic runs (<rPh>, the furigana of a
 * Japanese name) are not part of the value. */
static void
collect_text (const xmlNode *node,
              GString       *out)
{
  for (const xmlNode *n = node->children; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE || is_element (n, "rPh"))
        continue;
      if (is_element (n, "t"))
        {
          xmlChar *text = xmlNodeGetContent (n);

          if (text != NULL)
            g_string_append (out, (const char *) text);
          xmlFree (text);
        }
      else
        collect_text (n, out);
    }
}

static char *
text_of (const xmlNode *node)
{
  GString *out = g_string_new (NULL);

  collect_text (node, out);
  return g_string_free (out, FALSE);
}

static gboolean
load_shared_strings (Workbook  *wb,
                     GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  xmlDoc *doc = read_part (wb, "xl/sharedStrings.xml", FALSE, &local_error);

  wb->shared = g_ptr_array_new_with_free_func (g_free);
  if (doc == NULL)
    {
      /* A workbook of numbers only has none. */
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (xmlNode *n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    {
      if (is_element (n, "si"))
        g_ptr_array_add (wb->shared, text_of (n));
    }
  xmlFreeDoc (doc);
  return TRUE;
}

/* The built-in date and time formats of ECMA-376 18.8.30, and those of the CJK locales. */
static gboolean
builtin_format_is_date (guint id)
{
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

/* A format code that shows a date or time: y, m, d, h or s outside quotes, escapes and
 * [colour]/[$-locale] brackets. "0.0" and "General" show numbers. */
static gboolean
format_code_is_date (const char *code)
{
  for (const char *p = code; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          p = strchr (p + 1, '"');
          if (p == NULL)
            return FALSE;
          break;
        case '\\':
        case '_':
        case '*':
          if (p[1] != '\0')
            p++;
          break;
        case '[':
          p = strchr (p + 1, ']');
          if (p == NULL)
            return FALSE;
          break;
        case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D':
        case 'h': case 'H': case 's': case 'S':
          return TRUE;
        default:
          break;
        }
    }
  return FALSE;
}

static gboolean
load_styles (Workbook  *wb,
             GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  xmlDoc *doc = read_part (wb, "xl/styles.xml", FALSE, &local_error);
  xmlNode *root, *node;

  wb->date_styles = g_array_new (FALSE, TRUE, sizeof (gboolean));
  if (doc == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  root = xmlDocGetRootElement (doc);

  node = first_child (root, "numFmts");
  for (xmlNode *n = node != NULL ? node->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *id = NULL;
      g_autofree char *code = NULL;

      if (!is_element (n, "numFmt"))
        continue;
      id = get_attr (n, "numFmtId");
      code = get_attr (n, "formatCode");
      if (id != NULL && format_code_is_date (code))
        g_hash_table_add (custom, GUINT_TO_POINTER ((guint) strtoul (id, NULL, 10)));
    }

  node = first_child (root, "cellXfs");
  for (xmlNode *n = node != NULL ? node->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *id_text = NULL;
      gboolean is_date;
      guint id;

      if (!is_element (n, "xf"))
        continue;
      id_text = get_attr (n, "numFmtId");
      id = id_text != NULL ? (guint) strtoul (id_text, NULL, 10) : 0;
      is_date = builtin_format_is_date (id) ||
                g_hash_table_contains (custom, GUINT_TO_POINTER (id));
      g_array_append_val (wb->date_styles, is_date);
    }

  xmlFreeDoc (doc);
  return TRUE;
}

/* The path in the zip of the workbook's first sheet, and whether its dates count from 1904. */
static char *
first_sheet_path (Workbook  *wb,
                  GError   **error)
{
  g_autofree char *rel_id = NULL;
  char *path = NULL;
  xmlDoc *doc;
  xmlNode *root, *sheets, *sheet, *pr;

  doc = read_part (wb, "xl/workbook.xml", TRUE, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);

  pr = first_child (root, "workbookPr");
  if (pr != NULL)
    {
      g_autofree char *date1904 = get_attr (pr, "date1904");

      wb->date1904 = g_strcmp0 (date1904, "1") == 0 || g_strcmp0 (date1904, "true") == 0;
    }

  sheets = first_child (root, "sheets");
  sheet = first_child (sheets, "sheet");
  if (sheet != NULL)
    {
      xmlChar *value = xmlGetNsProp (sheet, (const xmlChar *) "id",
                                     (const xmlChar *) RELATIONSHIPS_NS);

      rel_id = value != NULL ? g_strdup ((const char *) value) : NULL;
      xmlFree (value);
    }
  xmlFreeDoc (doc);

  if (sheet == NULL)
    {
      not_xlsx (error, "the workbook has no sheet");
      return NULL;
    }

  if (rel_id != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      doc = read_part (wb, "xl/_rels/workbook.xml.rels", FALSE, &local_error);
      if (doc == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      for (xmlNode *n = doc != NULL ? xmlDocGetRootElement (doc)->children : NULL;
           n != NULL && path == NULL; n = n->next)
        {
          g_autofree char *id = NULL;
          g_autofree char *target = NULL;

          if (!is_element (n, "Relationship"))
            continue;
          id = get_attr (n, "Id");
          target = get_attr (n, "Target");
          if (g_strcmp0 (id, rel_id) != 0 || target == NULL)
            continue;
          /* Relative to xl/, or absolute in the package. */
          path = target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL);
        }
      if (doc != NULL)
        xmlFreeDoc (doc);
    }

  return path != NULL ? path : g_strdup ("xl/worksheets/sheet1.xml");
}

/* "B12" → column 1; -1 when @ref has no letters. */
static int
ref_column (const char *ref)
{
  guint column = 0;
  const char *p;

  for (p = ref; p != NULL && g_ascii_isalpha (*p); p++)
    {
      column = column * 26 + (guint) (g_ascii_toupper (*p) - 'A' + 1);
      if (column > MAX_COLUMNS)
        return -1;
    }
  return p == ref || p == NULL ? -1 : (int) column - 1;
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* 15 significant digits: what a spreadsheet shows, and 12.3 stays 12.3 however it was
   * stored. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  return g_strdup (buf);
}

/* A date serial (days since 1899-12-30, or since 1904-01-01) as YYYY-MM-DD. */
static char *
format_serial_date (const Workbook *wb,
                    double          serial)
{
  GDate date;

  if (!(serial >= 0 && serial < 2958466))
    return format_number (serial);

  if (wb->date1904)
    g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1904);
  else
    g_date_set_dmy (&date, 30, G_DATE_DECEMBER, 1899);
  g_date_add_days (&date, (guint) floor (serial));

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

static char *
cell_text (const Workbook *wb,
           const xmlNode  *c)
{
  g_autofree char *type = get_attr (c, "t");
  g_autofree char *style = get_attr (c, "s");
  g_autofree char *v = NULL;
  xmlNode *v_node = first_child (c, "v");
  char *end = NULL;
  double number;

  if (g_strcmp0 (type, "inlineStr") == 0)
    {
      xmlNode *is = first_child (c, "is");

      return is != NULL ? text_of (is) : g_strdup ("");
    }

  if (v_node != NULL)
    {
      xmlChar *content = xmlNodeGetContent (v_node);

      v = g_strdup (content != NULL ? (const char *) content : "");
      xmlFree (content);
    }
  if (v == NULL)
    return g_strdup ("");

  if (g_strcmp0 (type, "s") == 0)
    {
      guint64 index = g_ascii_strtoull (v, &end, 10);

      if (end == v || index >= wb->shared->len)
        return g_strdup ("");
      return g_strdup (g_ptr_array_index (wb->shared, index));
    }

  if (g_strcmp0 (type, "b") == 0)
    return g_strdup (strcmp (v, "1") == 0 ? "TRUE" : "FALSE");

  /* "d": an ISO 8601 date or date-time as text; keep the date of a date-time. */
  if (g_strcmp0 (type, "d") == 0)
    return strlen (v) > 10 && v[10] == 'T' ? g_strndup (v, 10) : g_steal_pointer (&v);

  /* "str" (a formula's text) and "e" (an error such as #N/A) are text. */
  if (type != NULL && strcmp (type, "n") != 0)
    return g_steal_pointer (&v);

  number = g_ascii_strtod (v, &end);
  if (end == v || *end != '\0' || !isfinite (number))
    return g_steal_pointer (&v);

  if (style != NULL)
    {
      guint64 index = g_ascii_strtoull (style, NULL, 10);

      if (index < wb->date_styles->len && g_array_index (wb->date_styles, gboolean, index))
        return format_serial_date (wb, number);
    }
  return format_number (number);
}

static gboolean
read_rows (Workbook    *wb,
           xmlDoc      *doc,
           DgSheet     *sheet,
           GError     **error)
{
  xmlNode *data = first_child (xmlDocGetRootElement (doc), "sheetData");
  guint number = 0;

  for (xmlNode *r = data != NULL ? data->children : NULL; r != NULL; r = r->next)
    {
      g_autofree char *r_attr = NULL;
      GPtrArray *cells;
      int column = -1;

      if (!is_element (r, "row"))
        continue;

      /* Rows without "r" follow the one before; written rows may skip empty ones. */
      r_attr = get_attr (r, "r");
      if (r_attr != NULL)
        {
          guint64 n = g_ascii_strtoull (r_attr, NULL, 10);

          if (n < 1 || n > MAX_ROWS || n <= number)
            {
              not_xlsx (error, "its rows are out of order");
              return FALSE;
            }
          number = (guint) n;
        }
      else if (++number > MAX_ROWS)
        break;

      cells = g_ptr_array_new_with_free_func (g_free);
      for (xmlNode *c = r->children; c != NULL; c = c->next)
        {
          g_autofree char *ref = NULL;
          int at;

          if (!is_element (c, "c"))
            continue;
          ref = get_attr (c, "r");
          at = ref != NULL ? ref_column (ref) : column + 1;
          if (at < 0 || at <= column || (guint) at >= MAX_COLUMNS)
            {
              g_ptr_array_unref (cells);
              not_xlsx (error, "its cells are out of order");
              return FALSE;
            }
          while ((int) cells->len < at)
            g_ptr_array_add (cells, g_strdup (""));
          g_ptr_array_add (cells, cell_text (wb, c));
          column = at;
        }
      sheet_add_row (sheet, number, cells);
    }

  return TRUE;
}

DgSheet *
dg_sheet_read_xlsx (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_auto(Workbook) wb = { 0 };
  g_autoptr(DgSheet) sheet = NULL;
  g_autofree char *path = NULL;
  zip_source_t *source;
  zip_error_t zerror;
  xmlDoc *doc;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  zip_error_init (&zerror);
  source = zip_source_buffer_create (data, length, 0, &zerror);
  if (source != NULL)
    {
      wb.zip = zip_open_from_source (source, ZIP_RDONLY, &zerror);
      if (wb.zip == NULL)
        zip_source_free (source);
    }
  zip_error_fini (&zerror);
  if (wb.zip == NULL)
    {
      not_xlsx (error, "it is no zip archive");
      return NULL;
    }

  path = first_sheet_path (&wb, error);
  if (path == NULL || !load_shared_strings (&wb, error) || !load_styles (&wb, error))
    return NULL;

  doc = read_part (&wb, path, TRUE, error);
  if (doc == NULL)
    return NULL;

  sheet = sheet_new ();
  ok = read_rows (&wb, doc, sheet, error);
  xmlFreeDoc (doc);

  return ok ? g_steal_pointer (&sheet) : NULL;
}

DgSheet *
dg_sheet_read_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  DgSheet *sheet;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"))
    sheet = dg_sheet_read_xlsx (contents, length, &local_error);
  else
    sheet = dg_sheet_read_csv (contents, length, &local_error);

  if (sheet == NULL)
    {
      g_prefix_error (&local_error, "%s: ", path);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return sheet;
}
