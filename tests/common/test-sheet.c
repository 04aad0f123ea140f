/* test-sheet.c: CSV and XLSX sheets read as numbered rows, and the rows of an old spreadsheet
 * as dust-fall history (design 6.4). XLSX files are written here by libxlsxwriter, as an
 * office's other tools would write them (openpyxl's are read in test-server-cli). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "dustgrid-common.h"

static void
assert_row (const DgSheet *sheet,
            guint          index,
            guint          number,
            const char    *const *cells)
{
  const DgSheetRow *row;

  g_assert_cmpuint (index, <, sheet->rows->len);
  row = &g_array_index (sheet->rows, DgSheetRow, index);
  g_assert_cmpuint (row->number, ==, number);
  g_assert_cmpstrv (row->cells, cells);
}

/* ---- CSV ---- */

/* A quoted field may hold a comma, a quote and a line break; the row after it is numbered as a
 * spreadsheet numbers it (by record, not by line), blank rows keep their number. */
static void
test_csv_rows (void)
{
  static const char csv[] =
    "\xef\xbb\xbf" "月份,网格编号,降尘量\r\n"
    "2025-03,G01,\"8,5\"\r\n"
    "\"2025-04\",\"G \"\"2\"\"\",\"two\nlines\"\r\n"
    "\r\n"
    ",,\n"
    "2025-05,G03,7.1";
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = dg_sheet_read_csv (csv, strlen (csv), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sheet->rows->len, ==, 4);
  assert_row (sheet, 0, 1, (const char *const[]) { "月份", "网格编号", "降尘量", NULL });
  assert_row (sheet, 1, 2, (const char *const[]) { "2025-03", "G01", "8,5", NULL });
  assert_row (sheet, 2, 3, (const char *const[]) { "2025-04", "G \"2\"", "two\nlines", NULL });
  assert_row (sheet, 3, 6, (const char *const[]) { "2025-05", "G03", "7.1", NULL });
  g_assert_cmpstr (dg_sheet_row_cell (&g_array_index (sheet->rows, DgSheetRow, 3), 7), ==, "");
}

/* What Excel on a Chinese Windows saves as CSV: GBK, read as such. */
static void
test_csv_gb18030 (void)
{
  g_autofree char *gbk = g_convert ("月份,网格编号,降尘量\n2025-03,G01,8\n", -1, "GB18030",
                                    "UTF-8", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = NULL;

  g_assert_nonnull (gbk);
  g_assert_false (g_utf8_validate (gbk, -1, NULL));
  sheet = dg_sheet_read_csv (gbk, strlen (gbk), &error);
  g_assert_no_error (error);
  assert_row (sheet, 0, 1, (const char *const[]) { "月份", "网格编号", "降尘量", NULL });
  assert_row (sheet, 1, 2, (const char *const[]) { "2025-03", "G01", "8", NULL });
}

/* ---- XLSX by libxlsxwriter ---- */

static char *
write_xlsx (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dustgrid-sheet-XXXXXX", &error);
  char *path;
  lxw_workbook *workbook;
  lxw_worksheet *sheet, *second;
  lxw_format *month_format, *date_format;
  lxw_datetime march = { 2024, 3, 1, 0, 0, 0 };
  lxw_datetime april = { 2024, 4, 15, 0, 0, 0 };

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.xlsx", NULL);

  workbook = workbook_new (path);
  sheet = workbook_add_worksheet (workbook, "历史");
  second = workbook_add_worksheet (workbook, "other");
  month_format = workbook_add_format (workbook);
  format_set_num_format (month_format, "yyyy\"年\"m\"月\"");
  date_format = workbook_add_format (workbook);
  format_set_num_format_index (date_format, 14);

  /* Shared strings (libxlsxwriter writes every string so), numbers, dates as serials with a
   * custom and a built-in date format, a date typed as text, a row left empty. */
  worksheet_write_string (sheet, 0, 0, "月份", NULL);
  worksheet_write_string (sheet, 0, 1, "网格编号", NULL);
  worksheet_write_string (sheet, 0, 2, "降尘量（t/km²·30d）", NULL);
  worksheet_write_datetime (sheet, 1, 0, &march, month_format);
  worksheet_write_string (sheet, 1, 1, "G01", NULL);
  worksheet_write_number (sheet, 1, 2, 8.3, NULL);
  worksheet_write_datetime (sheet, 2, 0, &april, date_format);
  worksheet_write_number (sheet, 2, 1, 102, NULL);
  worksheet_write_number (sheet, 2, 2, 12.300000000000001, NULL);
  worksheet_write_string (sheet, 4, 0, "2024-05", NULL);
  worksheet_write_string (sheet, 4, 1, "G01", NULL);
  worksheet_write_string (sheet, 4, 2, "n/a", NULL);
  /* Column D only: A to C of the row are empty. */
  worksheet_write_string (sheet, 5, 3, "note", NULL);
  worksheet_write_string (second, 0, 0, "not this sheet", NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  return path;
}

static void
remove_file_and_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_xlsx_libxlsxwriter (void)
{
  g_autofree char *path = write_xlsx ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = dg_sheet_read_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sheet->rows->len, ==, 5);
  assert_row (sheet, 0, 1,
              (const char *const[]) { "月份", "网格编号", "降尘量（t/km²·30d）", NULL });
  assert_row (sheet, 1, 2, (const char *const[]) { "2024-03-01", "G01", "8.3", NULL });
  assert_row (sheet, 2, 3, (const char *const[]) { "2024-04-15", "102", "12.3", NULL });
  assert_row (sheet, 3, 5, (const char *const[]) { "2024-05", "G01", "n/a", NULL });
  assert_row (sheet, 4, 6, (const char *const[]) { "", "", "", "note", NULL });

  remove_file_and_dir (path);
}

static void
test_xlsx_not_a_workbook (void)
{
  static const char junk[] = "PK\003\004 not really a zip";
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = dg_sheet_read_xlsx (junk, sizeof junk - 1, &error);

  g_assert_null (sheet);
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "XLSX"));
}

/* ---- Months and the history import ---- */

static void
test_parse_month (void)
{
  static const struct { const char *text; const char *month; } cases[] = {
    { "2025-03", "2025-03" }, { "2025-3", "2025-03" }, { "2025/3", "2025-03" },
    { "2025.03", "2025-03" }, { "2025年3月", "2025-03" }, { " 2025年12月 ", "2025-12" },
    { "2025年3月1日", "2025-03" }, { "202503", "2025-03" }, { "2025-03-01", "2025-03" },
    { "2025/3/31", "2025-03" }, { "2025-03-01 00:00:00", "2025-03" },
    { "2025-13", NULL }, { "2025-00", NULL }, { "25-03", NULL }, { "March 2025", NULL },
    { "2025", NULL }, { "20253", NULL }, { "2025-03x", NULL }, { "", NULL }, { "1899-12", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *month = dg_history_parse_month (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (month, ==, cases[i].month);
    }
}

static GPtrArray *
make_cells (void)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  static const char *const codes[] = { "G01", "102" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();

      cell->id = dg_uuid_derive ("grid_cell", codes[i]);
      cell->code = g_strdup (codes[i]);
      cell->name = g_strdup (codes[i]);
      g_ptr_array_add (cells, cell);
    }
  return cells;
}

static const char *
refusal (const DgHistoryImport *import,
         guint                  row)
{
  for (guint i = 0; i < import->refused->len; i++)
    {
      const DgHistoryRefusal *r = &g_array_index (import->refused, DgHistoryRefusal, i);

      if (r->row == row)
        return r->message;
    }
  return NULL;
}

/* Good rows become changes on their rows, with the derived id; bad ones are refused on theirs,
 * naming the field. The columns may come in any order and in English. */
static void
test_history_import_rows (void)
{
  static const char csv[] =
    "Value,Code,Month\n"
    "8.3,G01,2024-03\n"          /* row 2 */
    "12.3,102,2024年4月\n"       /* row 3 */
    "7,G99,2024-03\n"            /* row 4: no such cell */
    "7,G01,2024-13\n"            /* row 5 */
    ",G01,2024-05\n"             /* row 6 */
    "7,,2024-05\n"               /* row 7 */
    "lots,G01,2024-06\n"         /* row 8 */
    "9,G01,2024/3\n";            /* row 9: row 2's cell and month */
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = dg_sheet_read_csv (csv, strlen (csv), &error);
  g_autoptr(GPtrArray) cells = make_cells ();
  g_autoptr(DgHistoryImport) import = NULL;
  g_autofree char *cell_102 = dg_uuid_derive ("grid_cell", "102");
  g_autofree char *expected_id = dg_dustfall_history_id (cell_102, "2024-04");
  JsonObject *change, *data;

  g_assert_no_error (error);
  import = dg_history_import_new (sheet, cells, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (json_array_get_length (import->changes), ==, 2);
  g_assert_cmpuint (g_array_index (import->rows, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (import->rows, guint, 1), ==, 3);
  change = json_array_get_object_element (import->changes, 1);
  data = json_object_get_object_member (change, "data");
  g_assert_cmpstr (json_object_get_string_member (change, "type"), ==, "dustfall_history");
  g_assert_cmpstr (json_object_get_string_member (change, "id"), ==, expected_id);
  g_assert_cmpstr (json_object_get_string_member (data, "month"), ==, "2024-04");
  g_assert_cmpfloat (json_object_get_double_member (data, "value"), ==, 12.3);
  g_assert_cmpstr (json_object_get_string_member (data, "source"), ==, "import");

  g_assert_cmpuint (import->refused->len, ==, 6);
  g_assert_cmpstr (refusal (import, 4), ==, "code G99 names no grid cell");
  g_assert_cmpstr (refusal (import, 5), ==, "month must be a month such as 2025-03, not 2024-13");
  g_assert_cmpstr (refusal (import, 6), ==, "value is required");
  g_assert_cmpstr (refusal (import, 7), ==, "code is required");
  g_assert_cmpstr (refusal (import, 8), ==, "value must be a number, not lots");
  g_assert_cmpstr (refusal (import, 9), ==, "code G01, month 2024-03 is also in row 2");
}

static void
test_history_import_header (void)
{
  static const char csv[] = "月份,网格,降尘量\n2024-03,G01,8\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = dg_sheet_read_csv (csv, strlen (csv), &error);
  g_autoptr(GPtrArray) cells = make_cells ();
  g_autoptr(DgHistoryImport) import = NULL;

  g_assert_no_error (error);
  import = dg_history_import_new (sheet, cells, &error);
  g_assert_null (import);
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "code");
  g_assert_nonnull (strstr (error->message, "网格编号"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/sheet/csv/quoted-fields-and-row-numbers", test_csv_rows);
  g_test_add_func ("/common/sheet/csv/gb18030", test_csv_gb18030);
  g_test_add_func ("/common/sheet/xlsx/written-by-libxlsxwriter", test_xlsx_libxlsxwriter);
  g_test_add_func ("/common/sheet/xlsx/not-a-workbook", test_xlsx_not_a_workbook);
  g_test_add_func ("/common/history-import/months", test_parse_month);
  g_test_add_func ("/common/history-import/good-and-bad-rows", test_history_import_rows);
  g_test_add_func ("/common/history-import/header-lacks-a-column", test_history_import_header);

  return g_test_run ();
}
