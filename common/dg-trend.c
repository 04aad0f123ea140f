/* dg-trend.c: a cell's monthly trend and the road chart, in cairo and pango.
 *
 * As in dg-chart.c, the geometry comes from the size alone (margins in proportion to the font
 * size, never measured text), so the hit tests and the drawing agree exactly. Colours come from
 * dg_chart_value_color() only: a month is judged against its own cap, and a road's bar by the
 * surface mean that comes nearest its limit.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-trend"

#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "dg-chart.h"
#include "dg-chart-private.h"
#include "dg-date.h"
#include "dg-trend.h"

/* ---- Series ---- */

GArray *
dg_trend_series (const char      *cell_id,
                 const char      *month,
                 guint            n_months,
                 const GArray    *values,
                 const DgRuleSet *rules)
{
  GArray *series;

  g_return_val_if_fail (cell_id != NULL, NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  series = g_array_sized_new (FALSE, TRUE, sizeof (DgTrendPoint), n_months);

  for (guint i = 0; i < n_months; i++)
    {
      g_autofree char *m = dg_month_add (month, -(int) (n_months - 1 - i));
      DgTrendPoint point = { { 0 }, FALSE, NAN, DG_DEFAULT_CAP };

      g_strlcpy (point.month, m, sizeof point.month);
      if (rules != NULL)
        point.cap = dg_rule_set_cap_for_month (rules, m);

      for (guint j = 0; values != NULL && j < values->len; j++)
        {
          const DgCellMonth *cm = &g_array_index (values, DgCellMonth, j);

          if (g_strcmp0 (cm->cell_id, cell_id) == 0 && g_strcmp0 (cm->month, m) == 0)
            {
              point.has_value = cm->has_value;
              point.value = cm->has_value ? cm->value : NAN;
              break;
            }
        }

      g_array_append_val (series, point);
    }

  return series;
}

/* ---- Text and shared pieces ---- */

static double
font_size_for (double width,
               double height)
{
  return CLAMP (MIN (width, height) / 24.0, 5.0, 11.0);
}

/* 缺测 looks the same here as on the ranking chart and the map: dg_chart_value_color()'s grey
 * for "no value", hatched in the foreground colour. */
static void
fill_hatched (cairo_t         *cr,
              cairo_pattern_t *fg,
              double           x,
              double           y,
              double           w,
              double           h,
              double           spacing)
{
  double r, g, b;

  dg_chart_value_color (NAN, FALSE, 0.0, &r, &g, &b);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_fill_preserve (cr);
  cairo_clip (cr);
  cairo_push_group (cr);
  cairo_set_source (cr, fg);
  dg_chart_stroke_hatch (cr, x, y, w, h, spacing);
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, 0.4);
  cairo_restore (cr);
}

/* ---- Trend ---- */

static void
trend_geometry (const GArray  *series,
                double         width,
                double         height,
                DgChartPlot   *geo)
{
  guint n = series != NULL ? series->len : 0;
  double top = 0.0;

  for (guint i = 0; i < n; i++)
    {
      const DgTrendPoint *p = &g_array_index (series, DgTrendPoint, i);

      if (isfinite (p->cap))
        top = MAX (top, p->cap);
      if (p->has_value && isfinite (p->value))
        top = MAX (top, p->value);
    }
  /* Two lines of month labels below the bars: "03" over "2025" when the year changes. */
  dg_chart_plot_init (geo, font_size_for (width, height), width, height, 3.2, top, n);
}

gboolean
dg_trend_bar_rect (const GArray      *series,
                   double             width,
                   double             height,
                   guint              index,
                   cairo_rectangle_t *rect)
{
  DgChartPlot geo;
  const DgTrendPoint *p;

  g_return_val_if_fail (rect != NULL, FALSE);

  if (series == NULL || index >= series->len)
    return FALSE;
  p = &g_array_index (series, DgTrendPoint, index);
  if (!p->has_value || !isfinite (p->value))
    return FALSE;

  trend_geometry (series, width, height, &geo);
  dg_chart_plot_bar_rect (&geo, index, p->value, 0.6, rect);

  return TRUE;
}

void
dg_trend_draw (cairo_t      *cr,
               const GArray *series,
               double        width,
               double        height)
{
  DgChartPlot geo;
  DgChartPens pens;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = series != NULL ? series->len : 0;

  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  trend_geometry (series, width, height, &geo);
  dg_chart_begin_bars (cr, &geo, CLAMP (geo.slot / 2.6, 3.0, geo.font), &pens);

  for (guint i = 0; i < n; i++)
    {
      const DgTrendPoint *p = &g_array_index (series, DgTrendPoint, i);
      double cx = geo.plot_x + geo.slot * (i + 0.5);
      cairo_rectangle_t bar;

      if (dg_trend_bar_rect (series, width, height, i, &bar))
        dg_chart_draw_value_bar (cr, pens.fg, pens.small, &geo, &bar, p->value, p->cap,
                                 pens.label_size);
      else
        {
          double stub = MIN (geo.font, geo.plot_h / 4);

          fill_hatched (cr, pens.fg, geo.plot_x + geo.slot * (i + 0.2), pens.base - stub,
                        geo.slot * 0.6, stub, MAX (geo.slot * 0.2, 2.0));
        }

      /* The month number under every bar; the year under the first and each January. */
      cairo_set_source (cr, pens.fg);
      dg_chart_draw_text (cr, pens.small, p->month + 5, cx, pens.base + geo.font * 0.3, 0.5, 0.0,
                          FALSE);
      if (i == 0 || strcmp (p->month + 5, "01") == 0)
        {
          g_autofree char *year = g_strndup (p->month, 4);

          dg_chart_draw_text (cr, pens.small, year, cx,
                              pens.base + geo.font * 0.3 + pens.label_size * 1.3, 0.5, 0.0, FALSE);
        }
    }

  dg_chart_draw_plot_axes (cr, pens.fg, &geo);

  /* The cap on top of the bars, one step per month so a tightened cap shows where it began. */
  if (n > 0)
    {
      const DgTrendPoint *last = &g_array_index (series, DgTrendPoint, n - 1);
      g_autofree char *label = NULL;

      dg_chart_set_cap_line_style (cr);
      for (guint i = 0; i < n; i++)
        {
          const DgTrendPoint *p = &g_array_index (series, DgTrendPoint, i);
          double y = dg_chart_plot_y (&geo, p->cap);

          if (i == 0)
            cairo_move_to (cr, geo.plot_x, y);
          else
            cairo_line_to (cr, geo.plot_x + geo.slot * i, y);
          cairo_line_to (cr, geo.plot_x + geo.slot * (i + 1), y);
        }
      cairo_stroke (cr);

      /* The label stands as a legend in the top margin, right-aligned, where no bar reaches. */
      dg_chart_format1 (buf, last->cap);
      label = g_strdup_printf ("控制值 %s", buf);
      pango_layout_set_text (pens.layout, label, -1);
      {
        PangoRectangle logical;
        double right = geo.plot_x + geo.plot_w;
        double y = geo.plot_y - geo.font * 0.4;
        double text_w;

        pango_layout_get_extents (pens.layout, NULL, &logical);
        text_w = logical.width / (double) PANGO_SCALE;
        cairo_move_to (cr, right - text_w - geo.font * 3.0, y - geo.font * 0.5);
        cairo_line_to (cr, right - text_w - geo.font * 0.5, y - geo.font * 0.5);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        dg_chart_draw_text (cr, pens.layout, label, right, y, 1.0, 1.0, FALSE);
      }
    }

  dg_chart_end_bars (cr, &pens);
}

/* ---- Road chart ---- */

typedef struct
{
  double font;
  double plot_x, plot_y, plot_w;
  double row;
  double x_max;
  double tick;
} RoadGeometry;

static guint
n_roads (const DgRoadReport *report)
{
  return report != NULL && report->roads != NULL ? report->roads->len : 0;
}

static void
road_geometry (const DgRoadReport *report,
               double              width,
               double              height,
               RoadGeometry       *geo)
{
  guint n = n_roads (report);
  double top = 0.0;

  geo->font = CLAMP (width / 40.0, 6.0, 11.0);
  for (guint i = 0; i < n; i++)
    {
      const DgRoadRow *row = g_ptr_array_index (report->roads, i);

      if (row->has_mean && isfinite (row->mean))
        top = MAX (top, row->mean);
    }
  if (top <= 0.0)
    top = 1.0;

  geo->tick = dg_chart_nice_step (top * 1.1, 4);
  geo->x_max = ceil (top * 1.1 / geo->tick) * geo->tick;
  /* Road names stand left of their bars, in about a third of the width. */
  geo->plot_x = MIN (width * 0.35, geo->font * 12.0);
  geo->plot_y = geo->font * 2.0;
  geo->plot_w = MAX (width - geo->plot_x - geo->font * 3.0, 1.0);
  geo->row = MAX (height - geo->plot_y - geo->font * 0.5, 1.0) / MAX (n, 1);
}

gboolean
dg_road_chart_bar_rect (const DgRoadReport *report,
                        double              width,
                        double              height,
                        guint               index,
                        cairo_rectangle_t  *rect)
{
  RoadGeometry geo;
  const DgRoadRow *row;

  g_return_val_if_fail (rect != NULL, FALSE);

  if (index >= n_roads (report))
    return FALSE;
  row = g_ptr_array_index (report->roads, index);
  if (!row->has_mean || !isfinite (row->mean))
    return FALSE;

  road_geometry (report, width, height, &geo);
  rect->x = geo.plot_x;
  rect->y = geo.plot_y + geo.row * index + geo.row * 0.15;
  rect->width = geo.plot_w * CLAMP (row->mean, 0.0, geo.x_max) / geo.x_max;
  rect->height = geo.row * 0.7;

  return TRUE;
}

/* The colour of @row: its surface mean nearest (or furthest above) its limit, against it. */
static void
road_color (const DgRoadRow *row,
            const DgRuleSet *rules,
            const char      *date,
            double          *r,
            double          *g,
            double          *b)
{
  double best_ratio = -1.0;
  double value = NAN;
  double limit = 0.0;

  for (int s = 0; s < DG_N_SURFACES; s++)
    {
      double l;

      if (!row->has_means[s] || !isfinite (row->means[s]))
        continue;
      l = rules != NULL ? dg_rule_set_limit (rules, s, date)
        : s == DG_SURFACE_MAIN ? DG_DEFAULT_LIMIT_MAIN
        : s == DG_SURFACE_SIDE ? DG_DEFAULT_LIMIT_SIDE : DG_DEFAULT_LIMIT_PARK;
      if (l > 0.0 && row->means[s] / l > best_ratio)
        {
          best_ratio = row->means[s] / l;
          value = row->means[s];
          limit = l;
        }
    }

  dg_chart_value_color (value, isfinite (value), limit, r, g, b);
}

void
dg_road_chart_draw (cairo_t            *cr,
                    const DgRoadReport *report,
                    const DgRuleSet    *rules,
                    double              width,
                    double              height)
{
  g_autofree char *first_day = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoLayout) small = NULL;
  cairo_pattern_t *fg;
  RoadGeometry geo;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = n_roads (report);
  double label_size;

  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  if (report != NULL && report->month != NULL)
    first_day = g_strconcat (report->month, "-01", NULL);

  cairo_save (cr);
  fg = cairo_pattern_reference (cairo_get_source (cr));
  road_geometry (report, width, height, &geo);
  layout = dg_chart_create_layout (cr, geo.font);
  label_size = CLAMP (geo.row * 0.6, 3.0, geo.font);
  small = dg_chart_create_layout (cr, label_size);
  pango_layout_set_width (small, (int) ((geo.plot_x - geo.font * 0.6) * PANGO_SCALE));
  pango_layout_set_ellipsize (small, PANGO_ELLIPSIZE_END);

  cairo_push_group (cr);
  cairo_set_source (cr, fg);
  cairo_set_line_width (cr, 0.5);
  for (double v = geo.tick; v <= geo.x_max + geo.tick / 2; v += geo.tick)
    {
      double x = geo.plot_x + geo.plot_w * v / geo.x_max;

      cairo_move_to (cr, x, geo.plot_y);
      cairo_line_to (cr, x, geo.plot_y + geo.row * n);
    }
  cairo_stroke (cr);
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, 0.25);

  cairo_set_source (cr, fg);
  for (double v = 0.0; v <= geo.x_max + geo.tick / 2; v += geo.tick)
    {
      dg_chart_format1 (buf, v);
      dg_chart_draw_text (cr, layout, buf, geo.plot_x + geo.plot_w * v / geo.x_max,
                          geo.plot_y - geo.font * 0.3, 0.5, 1.0, FALSE);
    }
  dg_chart_draw_text (cr, layout, "g/m²", 0.0, geo.plot_y - geo.font * 0.3, 0.0, 1.0, FALSE);

  for (guint i = 0; i < n; i++)
    {
      const DgRoadRow *row = g_ptr_array_index (report->roads, i);
      double cy = geo.plot_y + geo.row * (i + 0.5);
      cairo_rectangle_t bar;
      PangoRectangle logical;

      if (dg_road_chart_bar_rect (report, width, height, i, &bar))
        {
          double r, g, b;

          road_color (row, rules, first_day != NULL ? first_day : DG_DEFAULT_EFFECTIVE_FROM,
                      &r, &g, &b);
          cairo_set_source_rgb (cr, r, g, b);
          cairo_rectangle (cr, bar.x, bar.y, bar.width, bar.height);
          cairo_fill (cr);

          cairo_set_source (cr, fg);
          dg_chart_format1 (buf, row->mean);
          dg_chart_draw_text (cr, small, buf, bar.x + bar.width + geo.font * 0.3, cy, 0.0, 0.5,
                              FALSE);
        }
      else
        {
          fill_hatched (cr, fg, geo.plot_x, geo.plot_y + geo.row * (i + 0.15), geo.font,
                        geo.row * 0.7, MAX (geo.row * 0.2, 2.0));
        }

      /* The name right-aligned against the axis, ellipsized to its column. */
      cairo_set_source (cr, fg);
      pango_layout_set_text (small, row->name != NULL ? row->name : "", -1);
      pango_layout_get_extents (small, NULL, &logical);
      dg_chart_draw_text (cr, small, row->name != NULL ? row->name : "",
                          geo.plot_x - geo.font * 0.3 - logical.width / (double) PANGO_SCALE, cy,
                          0.0, 0.5, FALSE);
    }

  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, geo.plot_x, geo.plot_y);
  cairo_line_to (cr, geo.plot_x, geo.plot_y + geo.row * n);
  cairo_stroke (cr);

  cairo_pattern_destroy (fg);
  cairo_restore (cr);
}
