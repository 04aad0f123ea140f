/* dg-assessment-pdf.c: the assessment as a printable A4 PDF, with cairo and pango.
 *
 * Text is laid out by pango in "Noto Sans CJK SC", which cairo embeds as a subset with a
 * ToUnicode map, so the PDF holds real, searchable text rather than pictures of it.
 *
 * The document is rendered twice: the first pass, to a PDF surface that discards its output,
 * only counts the pages, so the second can print "第 N 页 / 共 M 页". Both passes run the very
 * same layout code, so they cannot disagree about where a page breaks.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>

#include "dg-assessment-private.h"
#include "dg-chart.h"
#include "dg-error.h"

#define FONT_FAMILY   "Noto Sans CJK SC"

/* A4 portrait in points. */
#define PAGE_W        595.276
#define PAGE_H        841.890
#define MARGIN_X      36.0
#define MARGIN_TOP    40.0
#define MARGIN_BOTTOM 56.0
#define CONTENT_W     (PAGE_W - 2 * MARGIN_X)
#define CONTENT_BOTTOM (PAGE_H - MARGIN_BOTTOM)

#define TABLE_FONT    6.5
#define HEADER_H      30.0
#define ROW_H         13.0

#define CHART_H       260.0
#define MAP_H         330.0
#define MAP_LEGEND_H  36.0    /* dg_chart_draw_grid_map() keeps 3 font heights for its legend */

typedef struct
{
  const char *title;    /* may hold '\n' */
  double      weight;   /* share of the content width */
  double      xalign;   /* 0 left, 0.5 centre, 1 right */
} Column;

typedef struct
{
  const DgAssessment *self;
  cairo_t            *cr;
  PangoLayout        *layout;
  char               *title;
  int                 page;      /* 1-based */
  int                 n_pages;   /* 0 in the counting pass */
  double              y;

  DgProgressFunc      progress;
  gpointer            user_data;
  double              progress_base;
  double              progress_span;
  guint               units_done;
  guint               units_total;
} Pdf;

/* ---- Text ---- */

typedef enum
{
  TEXT_PLAIN = 0,
  TEXT_BOLD = 1 << 0,
  TEXT_WRAP = 1 << 1,     /* wrap within @width, else ellipsize to one line */
} TextFlags;

/* Lays @text out in pdf->layout within @width (0: unbounded); its logical extents in
 * @logical. */
static void
layout_text (Pdf            *pdf,
             const char     *text,
             double          width,
             double          size,
             double          xalign,
             TextFlags       flags,
             PangoRectangle *logical)
{
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, (flags & TEXT_BOLD) ? PANGO_WEIGHT_BOLD
                                                               : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (pdf->layout, desc);
  pango_font_description_free (desc);

  pango_layout_set_text (pdf->layout, text != NULL ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (pdf->layout, (int) (width * PANGO_SCALE));
      if (flags & TEXT_WRAP)
        {
          pango_layout_set_wrap (pdf->layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_ellipsize (pdf->layout, PANGO_ELLIPSIZE_NONE);
        }
      else
        {
          pango_layout_set_ellipsize (pdf->layout, PANGO_ELLIPSIZE_END);
        }
      pango_layout_set_alignment (pdf->layout, xalign >= 0.75 ? PANGO_ALIGN_RIGHT
                                               : xalign >= 0.25 ? PANGO_ALIGN_CENTER
                                               : PANGO_ALIGN_LEFT);
    }
  else
    {
      pango_layout_set_width (pdf->layout, -1);
      pango_layout_set_ellipsize (pdf->layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_alignment (pdf->layout, PANGO_ALIGN_LEFT);
    }

  pango_layout_get_extents (pdf->layout, NULL, logical);
}

/* The height @text takes within @width, drawing nothing. */
static double
pdf_text_height (Pdf        *pdf,
                 const char *text,
                 double      width,
                 double      size,
                 TextFlags   flags)
{
  PangoRectangle logical;

  layout_text (pdf, text, width, size, 0.0, flags, &logical);
  return logical.height / (double) PANGO_SCALE;
}

/* Draws @text at (@x, @y) within @width (0: unbounded, then anchored by @xalign); returns its
 * height. */
static double
pdf_text (Pdf        *pdf,
          const char *text,
          double      x,
          double      y,
          double      width,
          double      size,
          double      xalign,
          TextFlags   flags)
{
  PangoRectangle logical;
  double dx = 0.0;

  layout_text (pdf, text, width, size, xalign, flags, &logical);
  if (width <= 0)
    dx = -xalign * logical.width / (double) PANGO_SCALE;
  cairo_move_to (pdf->cr, x + dx, y);
  pango_cairo_show_layout (pdf->cr, pdf->layout);

  return logical.height / (double) PANGO_SCALE;
}

/* ---- Pages ---- */

static void
pdf_progress (Pdf   *pdf,
              guint  units)
{
  pdf->units_done += units;
  if (pdf->progress != NULL && pdf->units_total > 0)
    pdf->progress (pdf->progress_base
                   + pdf->progress_span * MIN (pdf->units_done, pdf->units_total)
                     / pdf->units_total,
                   pdf->user_data);
}

static void
pdf_footer (Pdf *pdf)
{
  g_autofree char *label = NULL;

  /* The counting pass does not know the total yet; its output is thrown away. */
  if (pdf->n_pages > 0)
    label = g_strdup_printf ("第 %d 页 / 共 %d 页", pdf->page, pdf->n_pages);
  else
    label = g_strdup_printf ("第 %d 页", pdf->page);

  cairo_set_source_rgb (pdf->cr, 0.35, 0.35, 0.35);
  pdf_text (pdf, label, PAGE_W / 2, PAGE_H - 34, 0, 8, 0.5, TEXT_PLAIN);
  pdf_text (pdf, pdf->title, MARGIN_X, PAGE_H - 34, CONTENT_W / 2 - 40, 7, 0.0, TEXT_PLAIN);
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
}

static void
pdf_new_page (Pdf *pdf)
{
  pdf_footer (pdf);
  cairo_show_page (pdf->cr);
  pdf->page++;
  pdf->y = MARGIN_TOP;
}

/* Starts a new page unless @height still fits on this one. */
static gboolean
pdf_ensure (Pdf    *pdf,
            double  height)
{
  if (pdf->y + height <= CONTENT_BOTTOM || pdf->y <= MARGIN_TOP)
    return FALSE;

  pdf_new_page (pdf);
  return TRUE;
}

/* A section heading, kept with at least @keep points of what follows it. */
static void
pdf_heading (Pdf        *pdf,
             const char *text,
             double      keep)
{
  pdf->y += 8;
  pdf_ensure (pdf, 20 + keep);
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  pdf->y += pdf_text (pdf, text, MARGIN_X, pdf->y, CONTENT_W, 11, 0.0, TEXT_BOLD) + 4;
}

/* ---- Tables ---- */

static void
table_x (const Column *columns,
         guint         n_columns,
         double       *xs,
         double       *ws)
{
  double total = 0.0;
  double x = MARGIN_X;

  for (guint c = 0; c < n_columns; c++)
    total += columns[c].weight;
  for (guint c = 0; c < n_columns; c++)
    {
      xs[c] = x;
      ws[c] = CONTENT_W * columns[c].weight / total;
      x += ws[c];
    }
}

static void
table_rule (Pdf    *pdf,
            double  y)
{
  cairo_move_to (pdf->cr, MARGIN_X, y);
  cairo_line_to (pdf->cr, MARGIN_X + CONTENT_W, y);
}

static void
table_header (Pdf          *pdf,
              const Column *columns,
              guint         n_columns,
              const double *xs,
              const double *ws)
{
  cairo_t *cr = pdf->cr;

  cairo_set_source_rgb (cr, 0.87, 0.92, 0.97);
  cairo_rectangle (cr, MARGIN_X, pdf->y, CONTENT_W, HEADER_H);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint c = 0; c < n_columns; c++)
    {
      double h = pdf_text_height (pdf, columns[c].title, ws[c] - 3, TABLE_FONT,
                                  TEXT_BOLD | TEXT_WRAP);

      pdf_text (pdf, columns[c].title, xs[c] + 1.5, pdf->y + (HEADER_H - h) / 2, ws[c] - 3,
                TABLE_FONT, 0.5, TEXT_BOLD | TEXT_WRAP);
    }

  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_set_line_width (cr, 0.6);
  table_rule (pdf, pdf->y);
  table_rule (pdf, pdf->y + HEADER_H);
  cairo_stroke (cr);
  pdf->y += HEADER_H;
}

/* Draws one row; @highlight: a bit per column to fill as an exceedance. */
static void
table_row (Pdf                   *pdf,
           const Column          *columns,
           guint                  n_columns,
           const double          *xs,
           const double          *ws,
           const DgAssessmentRow *row,
           guint32                highlight,
           gboolean               bold)
{
  cairo_t *cr = pdf->cr;

  for (guint c = 0; c < n_columns && c < row->n; c++)
    {
      if (highlight & (1u << c))
        {
          cairo_set_source_rgb (cr, 1.0, 0.78, 0.81);
          cairo_rectangle (cr, xs[c], pdf->y, ws[c], ROW_H);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.61, 0.0, 0.02);
        }
      else if (g_strcmp0 (row->cells[c], DG_ASSESSMENT_MISSING) == 0)
        {
          cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
        }
      else
        {
          cairo_set_source_rgb (cr, 0, 0, 0);
        }

      if (row->cells[c] != NULL)
        pdf_text (pdf, row->cells[c], xs[c] + 2, pdf->y + 2, ws[c] - 4, TABLE_FONT,
                  columns[c].xalign, bold ? TEXT_BOLD : TEXT_PLAIN);
    }

  cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
  cairo_set_line_width (cr, 0.3);
  table_rule (pdf, pdf->y + ROW_H);
  cairo_stroke (cr);
  pdf->y += ROW_H;
}

/* A table whose header row is drawn again at the top of every page it continues on. */
static void
pdf_table (Pdf                   *pdf,
           const Column          *columns,
           guint                  n_columns,
           GPtrArray             *rows,
           const guint32         *highlights,
           const DgAssessmentRow *total)
{
  double xs[32], ws[32];

  g_assert (n_columns <= G_N_ELEMENTS (xs));

  table_x (columns, n_columns, xs, ws);
  pdf_ensure (pdf, HEADER_H + ROW_H * 3);
  table_header (pdf, columns, n_columns, xs, ws);

  for (guint i = 0; i < rows->len; i++)
    {
      if (pdf_ensure (pdf, ROW_H))
        table_header (pdf, columns, n_columns, xs, ws);
      table_row (pdf, columns, n_columns, xs, ws, g_ptr_array_index (rows, i),
                 highlights != NULL ? highlights[i] : 0, FALSE);
      pdf_progress (pdf, 1);
    }

  if (rows->len == 0)
    {
      cairo_set_source_rgb (pdf->cr, 0.45, 0.45, 0.45);
      pdf_text (pdf, "（无数据）", MARGIN_X, pdf->y + 2, CONTENT_W, TABLE_FONT, 0.5,
                TEXT_PLAIN);
      pdf->y += ROW_H;
    }

  if (total != NULL)
    {
      if (pdf_ensure (pdf, ROW_H))
        table_header (pdf, columns, n_columns, xs, ws);
      table_row (pdf, columns, n_columns, xs, ws, total, 0, TRUE);
    }
}

/* ---- Sections ---- */

static void
pdf_title_page (Pdf *pdf)
{
  const DgAssessment *self = pdf->self;
  const DgDustfallReport *df = self->dustfall;
  g_autofree char *generated_at = dg_assessment_generated_at (self);
  g_autofree char *line = NULL;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  pdf->y += pdf_text (pdf, pdf->title, MARGIN_X, pdf->y, CONTENT_W, 17, 0.5, TEXT_BOLD | TEXT_WRAP);
  pdf->y += 4;
  cairo_set_source_rgb (pdf->cr, 0.35, 0.35, 0.35);
  line = g_strdup_printf ("生成时间：%s", generated_at);
  pdf->y += pdf_text (pdf, line, MARGIN_X, pdf->y, CONTENT_W, 8, 0.5, TEXT_PLAIN) + 10;
  g_clear_pointer (&line, g_free);

  pdf_heading (pdf, "概况", 60);
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);

  if (df != NULL)
    {
      dg_assessment_format1 (b, df->cap);
      if (df->has_district_mean)
        line = g_strdup_printf ("降尘：全区均值 %s " DG_ASSESSMENT_DUSTFALL_UNIT
                                "（控制值 %s，%s）；参与排名网格 %u 个，超标 %u 个，缺测 %u 个。",
                                dg_assessment_format1 (a, df->district_mean), b,
                                df->district_mean > df->cap ? DG_ASSESSMENT_EXCEEDS
                                                            : DG_ASSESSMENT_COMPLIES,
                                df->n_ranked, df->n_exceeding, dg_assessment_n_missing (df));
      else
        line = g_strdup_printf ("降尘：全区均值 缺测（控制值 %s）；缺测网格 %u 个。", b,
                                dg_assessment_n_missing (df));
      pdf->y += pdf_text (pdf, line, MARGIN_X, pdf->y, CONTENT_W, 9.5, 0.0, TEXT_WRAP) + 3;
      g_clear_pointer (&line, g_free);
    }

  if (self->roads != NULL && self->roads->roads != NULL)
    {
      DgRoadTotals totals = dg_assessment_road_totals (self->roads);

      line = g_strdup_printf ("道路积尘：道路 %u 条，抽查 %u 次，其中完整 %u 次，达标 %u 次。",
                              self->roads->roads->len, totals.checks, totals.complete,
                              totals.passed);
      pdf->y += pdf_text (pdf, line, MARGIN_X, pdf->y, CONTENT_W, 9.5, 0.0, TEXT_WRAP) + 3;
      g_clear_pointer (&line, g_free);
    }

  if (self->quota != NULL)
    {
      line = g_strdup_printf ("每日抽查：要求每日完整抽查道路 %u 条（每次不少于 %u 个点位），"
                              "达标 %u 天 / 已过 %u 天。",
                              self->quota->roads_required, self->quota->points_required,
                              self->quota->days_met, self->quota->days_elapsed);
      pdf->y += pdf_text (pdf, line, MARGIN_X, pdf->y, CONTENT_W, 9.5, 0.0, TEXT_WRAP) + 3;
    }
}

static void
pdf_ranking (Pdf *pdf)
{
  static const Column columns[DG_N_RANK_COLS] = {
    [DG_RANK_COL_RANK] = { "排名", 22, 0.5 },
    [DG_RANK_COL_CODE] = { "网格编号", 40, 0.0 },
    [DG_RANK_COL_NAME] = { "网格名称", 58, 0.0 },
    [DG_RANK_COL_UNIT] = { "责任单位", 58, 0.0 },
    /* The unit is in the section heading: a narrow column cannot hold it. */
    [DG_RANK_COL_VALUE] = { "降尘量", 34, 1.0 },
    [DG_RANK_COL_CAP] = { "控制值", 26, 1.0 },
    [DG_RANK_COL_EXCEEDS] = { "是否\n超标", 24, 0.5 },
    [DG_RANK_COL_SITE_MAX] = { "点位\n最大值", 28, 1.0 },
    [DG_RANK_COL_SITE_MIN] = { "点位\n最小值", 28, 1.0 },
    [DG_RANK_COL_PREV] = { "上月值", 28, 1.0 },
    [DG_RANK_COL_MOM_CHANGE] = { "环比\n增减", 28, 1.0 },
    [DG_RANK_COL_MOM_PCT] = { "环比\n(%)", 28, 1.0 },
    [DG_RANK_COL_YOY_PCT] = { "同比\n(%)", 28, 1.0 },
    [DG_RANK_COL_YTD_MEAN] = { "年累计\n均值", 30, 1.0 },
    [DG_RANK_COL_YTD_EXCEEDS] = { "年累计\n是否超标", 32, 0.5 },
  };
  const DgDustfallReport *df = pdf->self->dustfall;
  g_autoptr(GPtrArray) rows = dg_assessment_rank_rows (df);
  g_autofree guint32 *highlights = g_new0 (guint32, rows->len + 1);
  g_autofree DgAssessmentRow *total = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char cap[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < rows->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (df->cells, i);

      if (cell->has_value && cell->exceeds)
        highlights[i] |= (1u << DG_RANK_COL_VALUE) | (1u << DG_RANK_COL_EXCEEDS);
      if (cell->has_ytd && cell->ytd_exceeds)
        highlights[i] |= (1u << DG_RANK_COL_YTD_MEAN) | (1u << DG_RANK_COL_YTD_EXCEEDS);
    }

  /* The district mean closes the table. Its strings point into the stack buffers. */
  total = g_malloc0 (sizeof (DgAssessmentRow) + DG_N_RANK_COLS * sizeof (char *));
  total->n = DG_N_RANK_COLS;
  if (df != NULL)
    {
      total->cells[DG_RANK_COL_CODE] = (char *) "全区均值";
      total->cells[DG_RANK_COL_VALUE] = df->has_district_mean
                                        ? (char *) dg_assessment_format1 (buf, df->district_mean)
                                        : (char *) DG_ASSESSMENT_MISSING;
      total->cells[DG_RANK_COL_CAP] = (char *) dg_assessment_format1 (cap, df->cap);
      if (df->has_district_mean)
        total->cells[DG_RANK_COL_EXCEEDS] = (char *) (df->district_mean > df->cap
                                                      ? DG_ASSESSMENT_EXCEEDS
                                                      : DG_ASSESSMENT_COMPLIES);
    }

  pdf_heading (pdf, "一、降尘量排名（单位：" DG_ASSESSMENT_DUSTFALL_UNIT "）",
               HEADER_H + ROW_H * 3);
  pdf_table (pdf, columns, DG_N_RANK_COLS, rows, highlights, df != NULL ? total : NULL);
}

/* A wide, flat district needs less than a square one: the height its squares need at the full
 * width, plus the legend, up to MAP_H. */
static double
map_height (const DgDustfallReport *df)
{
  int rows = 0, cols = 0;

  for (guint i = 0; df != NULL && df->cells != NULL && i < df->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (df->cells, i);

      rows = MAX (rows, cell->row + 1);
      cols = MAX (cols, cell->col + 1);
    }
  if (rows == 0 || cols == 0)
    return MAP_H / 3;

  return CLAMP (CONTENT_W / cols * rows + MAP_LEGEND_H, MAP_H / 3, MAP_H);
}

static void
pdf_charts (Pdf *pdf)
{
  const DgDustfallReport *df = pdf->self->dustfall;
  double map_h;

  pdf_heading (pdf, "二、降尘量排名图", CHART_H);
  cairo_save (pdf->cr);
  cairo_translate (pdf->cr, MARGIN_X, pdf->y);
  cairo_set_source_rgb (pdf->cr, 0.15, 0.15, 0.15);
  dg_chart_draw_ranking (pdf->cr, df, CONTENT_W, CHART_H);
  cairo_restore (pdf->cr);
  pdf->y += CHART_H;
  pdf_progress (pdf, 10);

  map_h = map_height (df);
  pdf_heading (pdf, "三、网格降尘分布图", map_h);
  cairo_save (pdf->cr);
  cairo_translate (pdf->cr, MARGIN_X, pdf->y);
  cairo_set_source_rgb (pdf->cr, 0.15, 0.15, 0.15);
  dg_chart_draw_grid_map (pdf->cr, df, CONTENT_W, map_h, NULL);
  cairo_restore (pdf->cr);
  pdf->y += map_h;
  pdf_progress (pdf, 10);
}

static void
pdf_roads (Pdf *pdf)
{
  static const Column columns[DG_N_ROAD_COLS] = {
    [DG_ROAD_COL_RANK] = { "排名", 22, 0.5 },
    [DG_ROAD_COL_NAME] = { "道路", 70, 0.0 },
    [DG_ROAD_COL_UNIT] = { "责任单位", 60, 0.0 },
    [DG_ROAD_COL_CHECKS] = { "抽查\n次数", 28, 1.0 },
    [DG_ROAD_COL_COMPLETE] = { "完整\n次数", 28, 1.0 },
    [DG_ROAD_COL_POINTS] = { "点位数", 28, 1.0 },
    [DG_ROAD_COL_MEAN] = { "平均积尘负荷\n(g/m²)", 44, 1.0 },
    [DG_ROAD_COL_MEAN_MAIN] = { "主干道", 32, 1.0 },
    [DG_ROAD_COL_MEAN_SIDE] = { "人行道\n辅道", 32, 1.0 },
    [DG_ROAD_COL_MEAN_PARK] = { "园区\n浮尘", 32, 1.0 },
    [DG_ROAD_COL_MAX] = { "最大值", 32, 1.0 },
    [DG_ROAD_COL_POINTS_OVER] = { "超标\n点位数", 32, 1.0 },
    [DG_ROAD_COL_PASSED] = { "达标\n次数", 28, 1.0 },
  };
  const DgRoadReport *report = pdf->self->roads;
  g_autoptr(GPtrArray) rows = dg_assessment_road_rows (report);
  g_autofree guint32 *highlights = g_new0 (guint32, rows->len + 1);

  for (guint i = 0; i < rows->len; i++)
    {
      const DgRoadRow *road = g_ptr_array_index (report->roads, i);

      if (road->points_over > 0)
        highlights[i] |= 1u << DG_ROAD_COL_POINTS_OVER;
    }

  pdf_heading (pdf, "四、道路积尘负荷（单位：g/m²）", HEADER_H + ROW_H * 3);
  pdf_table (pdf, columns, DG_N_ROAD_COLS, rows, highlights, NULL);
}

static void
pdf_quota (Pdf *pdf)
{
  static const Column columns[DG_N_QUOTA_COLS] = {
    [DG_QUOTA_COL_DATE] = { "日期", 30, 0.5 },
    [DG_QUOTA_COL_ROADS] = { "完整抽查道路数", 30, 0.5 },
    [DG_QUOTA_COL_REQUIRED] = { "要求", 20, 0.5 },
    [DG_QUOTA_COL_STATE] = { "状态", 20, 0.5 },
  };
  const DgQuotaReport *report = pdf->self->quota;
  g_autoptr(GPtrArray) rows = dg_assessment_quota_rows (report);
  g_autofree guint32 *highlights = g_new0 (guint32, rows->len + 1);
  g_autofree DgAssessmentRow *total = NULL;
  g_autofree char *met = NULL;
  g_autofree char *elapsed = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const DgQuotaDay *day = &g_array_index (report->days, DgQuotaDay, i);

      if (day->state == DG_QUOTA_SHORT)
        highlights[i] |= 1u << DG_QUOTA_COL_STATE;
    }

  total = g_malloc0 (sizeof (DgAssessmentRow) + DG_N_QUOTA_COLS * sizeof (char *));
  total->n = DG_N_QUOTA_COLS;
  if (report != NULL)
    {
      met = g_strdup_printf ("达标 %u 天", report->days_met);
      elapsed = g_strdup_printf ("已过 %u 天", report->days_elapsed);
      total->cells[DG_QUOTA_COL_DATE] = (char *) "合计";
      total->cells[DG_QUOTA_COL_ROADS] = met;
      total->cells[DG_QUOTA_COL_STATE] = elapsed;
    }

  pdf_heading (pdf, "五、每日抽查", HEADER_H + ROW_H * 3);
  pdf_table (pdf, columns, DG_N_QUOTA_COLS, rows, highlights, report != NULL ? total : NULL);
}

/* ---- Rendering ---- */

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* One pass over the whole document; returns the number of pages. */
static int
render_pass (Pdf             *pdf,
             cairo_surface_t *surface)
{
  pdf->cr = cairo_create (surface);
  pdf->layout = pango_cairo_create_layout (pdf->cr);
  pdf->page = 1;
  pdf->y = MARGIN_TOP;
  pdf->units_done = 0;

  pdf_title_page (pdf);
  pdf_ranking (pdf);
  pdf_charts (pdf);
  pdf_roads (pdf);
  pdf_quota (pdf);
  pdf_footer (pdf);
  cairo_show_page (pdf->cr);

  g_clear_object (&pdf->layout);
  g_clear_pointer (&pdf->cr, cairo_destroy);

  return pdf->page;
}

static gboolean
check_surface (cairo_surface_t  *surface,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "Cannot render the PDF: %s",
                    cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

GBytes *
dg_assessment_render_pdf (const DgAssessment  *self,
                          DgProgressFunc       progress,
                          gpointer             user_data,
                          GError             **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  Pdf pdf = { 0 };
  gboolean ok;

  pdf.self = self;
  pdf.title = dg_assessment_title (self);
  pdf.progress = progress;
  pdf.user_data = user_data;
  pdf.units_total = 20;
  if (self->dustfall != NULL && self->dustfall->cells != NULL)
    pdf.units_total += self->dustfall->cells->len;
  if (self->roads != NULL && self->roads->roads != NULL)
    pdf.units_total += self->roads->roads->len;
  if (self->quota != NULL && self->quota->days != NULL)
    pdf.units_total += self->quota->days->len;

  if (progress != NULL)
    progress (0.0, user_data);

  /* Counting pass: a NULL write function makes cairo discard the output. */
  pdf.progress_base = 0.0;
  pdf.progress_span = 0.3;
  surface = cairo_pdf_surface_create_for_stream (NULL, NULL, PAGE_W, PAGE_H);
  pdf.n_pages = 0;
  pdf.n_pages = render_pass (&pdf, surface);
  cairo_surface_finish (surface);
  ok = check_surface (surface, error);
  cairo_surface_destroy (surface);
  if (!ok)
    {
      g_free (pdf.title);
      return NULL;
    }

  pdf.progress_base = 0.3;
  pdf.progress_span = 0.65;
  surface = cairo_pdf_surface_create_for_stream (append_cb, out, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, pdf.title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "DustGrid");
  render_pass (&pdf, surface);
  cairo_surface_finish (surface);
  ok = check_surface (surface, error);
  cairo_surface_destroy (surface);
  g_free (pdf.title);
  if (!ok)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
dg_assessment_write_pdf (const DgAssessment  *assessment,
                         const char          *path,
                         DgProgressFunc       progress,
                         gpointer             user_data,
                         GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (assessment != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = dg_assessment_render_pdf (assessment, progress, user_data, error);
  if (bytes == NULL)
    return FALSE;

  if (!dg_assessment_replace_file (path, bytes, error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, user_data);

  return TRUE;
}
