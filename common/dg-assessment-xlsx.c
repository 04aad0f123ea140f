/* dg-assessment-xlsx.c: the assessment as an Excel workbook, with libxlsxwriter.
 *
 * Sheets 降尘排名 (first: it is what people open the file for), 道路积尘, 每日抽查, 汇总. Every
 * figure is stored as a number with the format "0.0", so a reader can sort, sum and recompute it;
 * the text 缺测 stands where a cell has no data, and empty cells where a figure does not apply.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "dg-assessment-private.h"
#include "dg-error.h"

/* Excel's own "bad" cell style, which office staff recognise. */
#define COLOR_BAD_FILL   0xFFC7CE
#define COLOR_BAD_FONT   0x9C0006
#define COLOR_HEADER     0xDDEBF7
#define COLOR_MISSING    0x808080

typedef struct
{
  lxw_workbook *workbook;
  lxw_error     error;       /* the first failure of a write, reported at the end */

  lxw_format   *title;
  lxw_format   *subtitle;
  lxw_format   *header;
  lxw_format   *text;
  lxw_format   *text_center;
  lxw_format   *text_bad;
  lxw_format   *missing;
  lxw_format   *integer;
  lxw_format   *number;
  lxw_format   *number_bad;
  lxw_format   *integer_bad;
  lxw_format   *total_text;
  lxw_format   *total_number;
  lxw_format   *total_integer;

  DgProgressFunc progress;
  gpointer       user_data;
  guint          rows_done;
  guint          rows_total;
} Writer;

static void
note (Writer    *w,
      lxw_error  error)
{
  if (w->error == LXW_NO_ERROR)
    w->error = error;
}

static void
put_string (Writer        *w,
            lxw_worksheet *ws,
            lxw_row_t      row,
            lxw_col_t      col,
            const char    *str,
            lxw_format    *format)
{
  if (str == NULL || *str == '\0')
    note (w, worksheet_write_blank (ws, row, col, format));
  else
    note (w, worksheet_write_string (ws, row, col, str, format));
}

/* A figure, or an empty (bordered) cell when it does not exist. */
static void
put_number (Writer        *w,
            lxw_worksheet *ws,
            lxw_row_t      row,
            lxw_col_t      col,
            gboolean       present,
            double         value,
            lxw_format    *format)
{
  if (present && isfinite (value))
    note (w, worksheet_write_number (ws, row, col, value + 0.0, format));
  else
    note (w, worksheet_write_blank (ws, row, col, w->text));
}

static void
row_done (Writer *w)
{
  w->rows_done++;
  /* Writing the cells is most of the work; packing the zip at workbook_close() the rest. */
  if (w->progress != NULL && w->rows_total > 0 && w->rows_done % 16 == 0)
    w->progress (0.8 * w->rows_done / w->rows_total, w->user_data);
}

static lxw_format *
add_format (Writer *w,
            gboolean border)
{
  lxw_format *f = workbook_add_format (w->workbook);

  format_set_font_size (f, 10);
  format_set_align (f, LXW_ALIGN_VERTICAL_CENTER);
  if (border)
    format_set_border (f, LXW_BORDER_THIN);
  return f;
}

static void
create_formats (Writer *w)
{
  w->title = add_format (w, FALSE);
  format_set_bold (w->title);
  format_set_font_size (w->title, 14);

  w->subtitle = add_format (w, FALSE);
  format_set_font_color (w->subtitle, COLOR_MISSING);

  w->header = add_format (w, TRUE);
  format_set_bold (w->header);
  format_set_text_wrap (w->header);
  format_set_align (w->header, LXW_ALIGN_CENTER);
  format_set_pattern (w->header, LXW_PATTERN_SOLID);
  format_set_bg_color (w->header, COLOR_HEADER);

  w->text = add_format (w, TRUE);

  w->text_center = add_format (w, TRUE);
  format_set_align (w->text_center, LXW_ALIGN_CENTER);

  w->text_bad = add_format (w, TRUE);
  format_set_align (w->text_bad, LXW_ALIGN_CENTER);
  format_set_pattern (w->text_bad, LXW_PATTERN_SOLID);
  format_set_bg_color (w->text_bad, COLOR_BAD_FILL);
  format_set_font_color (w->text_bad, COLOR_BAD_FONT);

  w->missing = add_format (w, TRUE);
  format_set_align (w->missing, LXW_ALIGN_CENTER);
  format_set_font_color (w->missing, COLOR_MISSING);

  w->integer = add_format (w, TRUE);
  format_set_num_format (w->integer, "0");

  w->number = add_format (w, TRUE);
  format_set_num_format (w->number, "0.0");

  w->number_bad = add_format (w, TRUE);
  format_set_num_format (w->number_bad, "0.0");
  format_set_pattern (w->number_bad, LXW_PATTERN_SOLID);
  format_set_bg_color (w->number_bad, COLOR_BAD_FILL);
  format_set_font_color (w->number_bad, COLOR_BAD_FONT);

  w->integer_bad = add_format (w, TRUE);
  format_set_num_format (w->integer_bad, "0");
  format_set_pattern (w->integer_bad, LXW_PATTERN_SOLID);
  format_set_bg_color (w->integer_bad, COLOR_BAD_FILL);
  format_set_font_color (w->integer_bad, COLOR_BAD_FONT);

  w->total_text = add_format (w, TRUE);
  format_set_bold (w->total_text);

  w->total_number = add_format (w, TRUE);
  format_set_bold (w->total_number);
  format_set_num_format (w->total_number, "0.0");

  w->total_integer = add_format (w, TRUE);
  format_set_bold (w->total_integer);
  format_set_num_format (w->total_integer, "0");
}

/* Rows 0 and 1: the title over the table's width, then the column headings; both stay in view
 * while scrolling. Data starts on row 2. */
static void
write_heading (Writer             *w,
               lxw_worksheet      *ws,
               const char         *title,
               const char * const *headers,
               guint               n_columns,
               const double       *widths)
{
  note (w, worksheet_merge_range (ws, 0, 0, 0, (lxw_col_t) (n_columns - 1), title, w->title));
  note (w, worksheet_set_row (ws, 0, 24, NULL));
  note (w, worksheet_set_row (ws, 1, 30, NULL));
  for (guint c = 0; c < n_columns; c++)
    {
      note (w, worksheet_set_column (ws, (lxw_col_t) c, (lxw_col_t) c, widths[c], NULL));
      note (w, worksheet_write_string (ws, 1, (lxw_col_t) c, headers[c], w->header));
    }
  worksheet_freeze_panes (ws, 2, 0);

  /* The assessment gets printed: A4 landscape, one page wide, the header row on every page and
   * 第 N 页 / 共 M 页 as in the PDF. */
  worksheet_set_paper (ws, 9);
  worksheet_set_landscape (ws);
  worksheet_fit_to_pages (ws, 1, 0);
  note (w, worksheet_repeat_rows (ws, 1, 1));
  note (w, worksheet_set_footer (ws, "&C第 &P 页 / 共 &N 页"));
}

static void
write_dustfall (Writer             *w,
                const DgAssessment *self,
                const char         *title)
{
  static const double widths[DG_N_RANK_COLS] = {
    6, 10, 18, 18, 13, 8, 9, 10, 10, 8, 9, 9, 9, 11, 9,
  };
  lxw_worksheet *ws = workbook_add_worksheet (w->workbook, DG_ASSESSMENT_SHEET_DUSTFALL);
  const DgDustfallReport *report = self->dustfall;
  g_autofree char *sheet_title = g_strdup_printf ("%s · 降尘量排名", title);
  lxw_row_t r = 2;

  write_heading (w, ws, sheet_title, dg_assessment_rank_headers, DG_N_RANK_COLS, widths);
  if (report == NULL || report->cells == NULL)
    return;

  for (guint i = 0; i < report->cells->len; i++, r++)
    {
      const DgCellRank *cell = g_ptr_array_index (report->cells, i);

      put_number (w, ws, r, DG_RANK_COL_RANK, cell->has_value && cell->rank > 0, cell->rank,
                  w->integer);
      put_string (w, ws, r, DG_RANK_COL_CODE, cell->code, w->text);
      put_string (w, ws, r, DG_RANK_COL_NAME, cell->name, w->text);
      put_string (w, ws, r, DG_RANK_COL_UNIT, cell->unit, w->text);
      if (cell->has_value)
        {
          put_number (w, ws, r, DG_RANK_COL_VALUE, TRUE, cell->value,
                      cell->exceeds ? w->number_bad : w->number);
          put_string (w, ws, r, DG_RANK_COL_EXCEEDS,
                      cell->exceeds ? DG_ASSESSMENT_EXCEEDS : DG_ASSESSMENT_COMPLIES,
                      cell->exceeds ? w->text_bad : w->text_center);
        }
      else
        {
          put_string (w, ws, r, DG_RANK_COL_VALUE, DG_ASSESSMENT_MISSING, w->missing);
          put_string (w, ws, r, DG_RANK_COL_EXCEEDS, NULL, w->text);
        }
      put_number (w, ws, r, DG_RANK_COL_CAP, TRUE, report->cap, w->number);
      put_number (w, ws, r, DG_RANK_COL_SITE_MAX, cell->has_value, cell->site_max, w->number);
      put_number (w, ws, r, DG_RANK_COL_SITE_MIN, cell->has_value, cell->site_min, w->number);
      put_number (w, ws, r, DG_RANK_COL_PREV, cell->has_prev, cell->prev_value, w->number);
      put_number (w, ws, r, DG_RANK_COL_MOM_CHANGE, cell->has_mom, cell->mom_change, w->number);
      put_number (w, ws, r, DG_RANK_COL_MOM_PCT, cell->has_mom, cell->mom_pct, w->number);
      put_number (w, ws, r, DG_RANK_COL_YOY_PCT, cell->has_yoy, cell->yoy_pct, w->number);
      put_number (w, ws, r, DG_RANK_COL_YTD_MEAN, cell->has_ytd, cell->ytd_mean,
                  cell->has_ytd && cell->ytd_exceeds ? w->number_bad : w->number);
      if (cell->has_ytd)
        put_string (w, ws, r, DG_RANK_COL_YTD_EXCEEDS,
                    cell->ytd_exceeds ? DG_ASSESSMENT_EXCEEDS : DG_ASSESSMENT_COMPLIES,
                    cell->ytd_exceeds ? w->text_bad : w->text_center);
      else
        put_string (w, ws, r, DG_RANK_COL_YTD_EXCEEDS, NULL, w->text);
      row_done (w);
    }

  /* The district mean closes the table, where a reader of a ranking looks for it. */
  note (w, worksheet_merge_range (ws, r, DG_RANK_COL_RANK, r, DG_RANK_COL_UNIT, "全区均值",
                                  w->total_text));
  if (report->has_district_mean)
    {
      gboolean exceeds = dg_dustfall_exceeds_cap (report->district_mean, report->cap);

      put_number (w, ws, r, DG_RANK_COL_VALUE, TRUE, report->district_mean,
                  exceeds ? w->number_bad : w->total_number);
      put_number (w, ws, r, DG_RANK_COL_CAP, TRUE, report->cap, w->total_number);
      put_string (w, ws, r, DG_RANK_COL_EXCEEDS,
                  exceeds ? DG_ASSESSMENT_EXCEEDS : DG_ASSESSMENT_COMPLIES,
                  exceeds ? w->text_bad : w->text_center);
    }
  else
    {
      put_string (w, ws, r, DG_RANK_COL_VALUE, DG_ASSESSMENT_MISSING, w->missing);
    }
}

static void
write_roads (Writer             *w,
             const DgAssessment *self,
             const char         *title)
{
  static const double widths[DG_N_ROAD_COLS] = {
    6, 20, 18, 9, 9, 8, 12, 9, 11, 9, 9, 10, 9,
  };
  static const DgRoadColumn surface_cols[DG_N_SURFACES] = {
    [DG_SURFACE_MAIN] = DG_ROAD_COL_MEAN_MAIN,
    [DG_SURFACE_SIDE] = DG_ROAD_COL_MEAN_SIDE,
    [DG_SURFACE_PARK] = DG_ROAD_COL_MEAN_PARK,
  };
  lxw_worksheet *ws = workbook_add_worksheet (w->workbook, DG_ASSESSMENT_SHEET_ROADS);
  const DgRoadReport *report = self->roads;
  g_autofree char *sheet_title = g_strdup_printf ("%s · 道路积尘负荷", title);
  lxw_row_t r = 2;

  write_heading (w, ws, sheet_title, dg_assessment_road_headers, DG_N_ROAD_COLS, widths);
  if (report == NULL || report->roads == NULL)
    return;

  for (guint i = 0; i < report->roads->len; i++, r++)
    {
      const DgRoadRow *road = g_ptr_array_index (report->roads, i);

      put_number (w, ws, r, DG_ROAD_COL_RANK, road->rank > 0, road->rank, w->integer);
      put_string (w, ws, r, DG_ROAD_COL_NAME, road->name, w->text);
      put_string (w, ws, r, DG_ROAD_COL_UNIT, road->unit, w->text);
      put_number (w, ws, r, DG_ROAD_COL_CHECKS, TRUE, road->checks, w->integer);
      put_number (w, ws, r, DG_ROAD_COL_COMPLETE, TRUE, road->complete, w->integer);
      put_number (w, ws, r, DG_ROAD_COL_POINTS, TRUE, road->points, w->integer);
      put_number (w, ws, r, DG_ROAD_COL_MEAN, road->has_mean, road->mean, w->number);
      for (guint s = 0; s < DG_N_SURFACES; s++)
        put_number (w, ws, r, surface_cols[s], road->has_means[s], road->means[s], w->number);
      put_number (w, ws, r, DG_ROAD_COL_MAX, road->points > 0, road->max, w->number);
      /* The report carries no limits, but points above theirs are the exceedance to show. */
      put_number (w, ws, r, DG_ROAD_COL_POINTS_OVER, TRUE, road->points_over,
                  road->points_over > 0 ? w->integer_bad : w->integer);
      put_number (w, ws, r, DG_ROAD_COL_PASSED, TRUE, road->passed, w->integer);
      row_done (w);
    }
}

static void
write_quota (Writer             *w,
             const DgAssessment *self,
             const char         *title)
{
  static const double widths[DG_N_QUOTA_COLS] = { 12, 16, 8, 10 };
  lxw_worksheet *ws = workbook_add_worksheet (w->workbook, DG_ASSESSMENT_SHEET_QUOTA);
  const DgQuotaReport *report = self->quota;
  g_autofree char *sheet_title = g_strdup_printf ("%s · 每日抽查", title);
  lxw_row_t r = 2;

  write_heading (w, ws, sheet_title, dg_assessment_quota_headers, DG_N_QUOTA_COLS, widths);
  if (report == NULL || report->days == NULL)
    return;

  for (guint i = 0; i < report->days->len; i++, r++)
    {
      const DgQuotaDay *day = &g_array_index (report->days, DgQuotaDay, i);

      put_string (w, ws, r, DG_QUOTA_COL_DATE, day->date, w->text_center);
      put_number (w, ws, r, DG_QUOTA_COL_ROADS, day->state != DG_QUOTA_PENDING, day->roads,
                  w->integer);
      put_number (w, ws, r, DG_QUOTA_COL_REQUIRED, TRUE, day->required, w->integer);
      put_string (w, ws, r, DG_QUOTA_COL_STATE, dg_assessment_quota_state_label (day->state),
                  day->state == DG_QUOTA_SHORT ? w->text_bad : w->text_center);
      row_done (w);
    }

  put_string (w, ws, r, DG_QUOTA_COL_DATE, "达标天数", w->total_text);
  put_number (w, ws, r, DG_QUOTA_COL_ROADS, TRUE, report->days_met, w->total_integer);
  r++;
  put_string (w, ws, r, DG_QUOTA_COL_DATE, "已过天数", w->total_text);
  put_number (w, ws, r, DG_QUOTA_COL_ROADS, TRUE, report->days_elapsed, w->total_integer);
}

static void
summary_string (Writer        *w,
                lxw_worksheet *ws,
                lxw_row_t     *r,
                const char    *label,
                const char    *value)
{
  put_string (w, ws, *r, 0, label, w->text);
  put_string (w, ws, *r, 1, value, w->text);
  (*r)++;
}

static void
summary_number (Writer        *w,
                lxw_worksheet *ws,
                lxw_row_t     *r,
                const char    *label,
                gboolean       present,
                double         value,
                lxw_format    *format)
{
  put_string (w, ws, *r, 0, label, w->text);
  if (present)
    put_number (w, ws, *r, 1, TRUE, value, format);
  else
    put_string (w, ws, *r, 1, DG_ASSESSMENT_MISSING, w->missing);
  (*r)++;
}

static void
write_summary (Writer             *w,
               const DgAssessment *self,
               const char         *title,
               const char         *generated_at)
{
  static const char * const headers[] = { "项目", "数值" };
  static const double widths[] = { 22, 28 };
  lxw_worksheet *ws = workbook_add_worksheet (w->workbook, DG_ASSESSMENT_SHEET_SUMMARY);
  const DgDustfallReport *df = self->dustfall;
  const DgQuotaReport *quota = self->quota;
  const char *month = dg_assessment_get_month (self);
  lxw_row_t r = 2;

  write_heading (w, ws, title, headers, G_N_ELEMENTS (headers), widths);

  summary_string (w, ws, &r, "考核月份", month);
  summary_string (w, ws, &r, "区县", self->district);
  if (df != NULL)
    {
      summary_number (w, ws, &r, "全区降尘均值 (" DG_ASSESSMENT_DUSTFALL_UNIT ")",
                      df->has_district_mean, df->district_mean,
                      df->has_district_mean && df->district_mean > df->cap ? w->number_bad
                                                                           : w->number);
      summary_number (w, ws, &r, "控制值 (" DG_ASSESSMENT_DUSTFALL_UNIT ")", TRUE, df->cap,
                      w->number);
      summary_number (w, ws, &r, "网格总数", TRUE, df->cells != NULL ? df->cells->len : 0,
                      w->integer);
      summary_number (w, ws, &r, "参与排名网格数", TRUE, df->n_ranked, w->integer);
      summary_number (w, ws, &r, "超标网格数", TRUE, df->n_exceeding,
                      df->n_exceeding > 0 ? w->integer_bad : w->integer);
      summary_number (w, ws, &r, "缺测网格数", TRUE, dg_assessment_n_missing (df), w->integer);
    }
  if (self->roads != NULL && self->roads->roads != NULL)
    {
      DgRoadTotals totals = dg_assessment_road_totals (self->roads);

      summary_number (w, ws, &r, "道路数", TRUE, self->roads->roads->len, w->integer);
      summary_number (w, ws, &r, "道路抽查次数", TRUE, totals.checks, w->integer);
      summary_number (w, ws, &r, "完整抽查次数", TRUE, totals.complete, w->integer);
      summary_number (w, ws, &r, "达标抽查次数", TRUE, totals.passed, w->integer);
    }
  if (quota != NULL)
    {
      summary_number (w, ws, &r, "每日要求完整抽查道路数", TRUE, quota->roads_required,
                      w->integer);
      summary_number (w, ws, &r, "完整抽查要求点位数", TRUE, quota->points_required,
                      w->integer);
      summary_number (w, ws, &r, "每日抽查达标天数", TRUE, quota->days_met, w->integer);
      summary_number (w, ws, &r, "已过天数", TRUE, quota->days_elapsed, w->integer);
    }
  summary_string (w, ws, &r, "生成时间", generated_at);
}

/* libxlsxwriter creates its file only at workbook_close() and reports a failure there with a
 * bare code (and a line on stderr). So the workbook is written to a temporary file made here,
 * beside @path, which gives a proper error for a bad path up front, and is renamed over @path
 * once complete, so nobody ever opens half a workbook. */
static char *
create_sibling (const char  *path,
                GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  int fd;
  int saved_errno;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      g_autofree char *display = g_filename_display_name (path);

      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", display, g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  return g_steal_pointer (&tmp);
}

gboolean
dg_assessment_write_xlsx (const DgAssessment  *assessment,
                          const char          *path,
                          DgProgressFunc       progress,
                          gpointer             user_data,
                          GError             **error)
{
  g_autofree char *title = NULL;
  g_autofree char *generated_at = NULL;
  g_autofree char *tmp = NULL;
  lxw_doc_properties properties = { 0 };
  Writer w = { 0 };
  lxw_error close_error;

  g_return_val_if_fail (assessment != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp = create_sibling (path, error);
  if (tmp == NULL)
    return FALSE;

  title = dg_assessment_title (assessment);
  generated_at = dg_assessment_generated_at (assessment);

  w.workbook = workbook_new (tmp);
  if (w.workbook == NULL)
    {
      g_unlink (tmp);
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "Cannot create a workbook");
      return FALSE;
    }
  w.progress = progress;
  w.user_data = user_data;
  if (assessment->dustfall != NULL && assessment->dustfall->cells != NULL)
    w.rows_total += assessment->dustfall->cells->len;
  if (assessment->roads != NULL && assessment->roads->roads != NULL)
    w.rows_total += assessment->roads->roads->len;
  if (assessment->quota != NULL && assessment->quota->days != NULL)
    w.rows_total += assessment->quota->days->len;

  if (progress != NULL)
    progress (0.0, user_data);

  properties.title = title;
  properties.subject = (char *) "扬尘防控月度考核";
  properties.author = (char *) "DustGrid";
  note (&w, workbook_set_properties (w.workbook, &properties));

  create_formats (&w);
  write_dustfall (&w, assessment, title);
  write_roads (&w, assessment, title);
  write_quota (&w, assessment, title);
  write_summary (&w, assessment, title, generated_at);

  if (progress != NULL)
    progress (0.8, user_data);

  /* workbook_close() frees the workbook whatever it returns. */
  close_error = workbook_close (w.workbook);
  if (close_error == LXW_NO_ERROR)
    close_error = w.error;
  if (close_error != LXW_NO_ERROR)
    {
      g_unlink (tmp);
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "Cannot write the workbook: %s",
                    lxw_strerror (close_error));
      return FALSE;
    }

  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot write %s: %s", display, g_strerror (saved_errno));
      return FALSE;
    }

  if (progress != NULL)
    progress (1.0, user_data);

  return TRUE;
}
