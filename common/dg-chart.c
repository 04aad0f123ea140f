/* dg-chart.c: the ranking bar chart and the district grid map, in cairo and pango.
 *
 * The geometry is computed from the size alone (margins in proportion to the font size, never
 * from measured text), so the hit tests of dg-chart.h and the drawing agree exactly.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-chart"

#include "config.h"

#include <math.h>

#include <pango/pangocairo.h>

#include "dg-chart.h"
#include "dg-chart-private.h"

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb color_good = { 0.22, 0.62, 0.33 };
static const Rgb color_near = { 0.95, 0.66, 0.15 };
static const Rgb color_exceeds = { 0.84, 0.19, 0.15 };
static const Rgb color_missing = { 0.80, 0.80, 0.80 };
static const Rgb color_hatch = { 0.55, 0.55, 0.55 };

void
dg_chart_value_color (double    value,
                      gboolean  has_value,
                      double    cap,
                      double   *r,
                      double   *g,
                      double   *b)
{
  const Rgb *c;

  g_return_if_fail (r != NULL && g != NULL && b != NULL);

  if (!has_value || !isfinite (value))
    c = &color_missing;
  else if (dg_dustfall_exceeds_cap (value, cap))
    c = &color_exceeds;
  else if (value > cap * DG_CHART_NEAR_CAP_FRACTION)
    c = &color_near;
  else
    c = &color_good;

  *r = c->r;
  *g = c->g;
  *b = c->b;
}

static guint
n_cells (const DgDustfallReport *report)
{
  return report != NULL && report->cells != NULL ? report->cells->len : 0;
}

static const DgCellRank *
cell_at (const DgDustfallReport *report,
         guint                   i)
{
  return g_ptr_array_index (report->cells, i);
}

/* ---- Text ---- */

static double
font_size_for (double width,
               double height)
{
  return CLAMP (MIN (width, height) / 28.0, 5.0, 11.0);
}

PangoLayout *
dg_chart_create_layout (cairo_t *cr,
                        double   size)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (DG_CHART_FONT_FAMILY);

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);

  return layout;
}

/* Draws @text with its logical box anchored at (@x, @y) by @xalign/@yalign (0 = left/top,
 * 0.5 = centre, 1 = right/bottom), optionally rotated a quarter turn anticlockwise. */
void
dg_chart_draw_text (cairo_t     *cr,
                    PangoLayout *layout,
                    const char  *text,
                    double       x,
                    double       y,
                    double       xalign,
                    double       yalign,
                    gboolean     vertical)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (vertical)
    cairo_rotate (cr, -G_PI / 2);
  pango_cairo_update_layout (cr, layout);
  cairo_move_to (cr,
                 -xalign * logical.width / (double) PANGO_SCALE - logical.x / (double) PANGO_SCALE,
                 -yalign * logical.height / (double) PANGO_SCALE - logical.y / (double) PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
dg_chart_format1 (char   *buf,
                  double  value)
{
  g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", value + 0.0);
}

static void
fill_hatched (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   spacing)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgb (cr, color_missing.r, color_missing.g, color_missing.b);
  cairo_fill_preserve (cr);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, color_hatch.r, color_hatch.g, color_hatch.b);
  dg_chart_stroke_hatch (cr, x, y, w, h, spacing);
  cairo_restore (cr);
}

void
dg_chart_begin_bars (cairo_t           *cr,
                     const DgChartPlot *geo,
                     double             label_size,
                     DgChartPens       *pens)
{
  cairo_save (cr);
  pens->fg = cairo_pattern_reference (cairo_get_source (cr));
  pens->layout = dg_chart_create_layout (cr, geo->font);
  pens->label_size = label_size;
  pens->small = dg_chart_create_layout (cr, label_size);
  pens->base = geo->plot_y + geo->plot_h;

  dg_chart_draw_value_axis (cr, pens->fg, pens->layout, geo);
}

void
dg_chart_end_bars (cairo_t     *cr,
                   DgChartPens *pens)
{
  g_clear_object (&pens->small);
  g_clear_object (&pens->layout);
  cairo_pattern_destroy (pens->fg);
  cairo_restore (cr);
}

void
dg_chart_stroke_hatch (cairo_t *cr,
                       double   x,
                       double   y,
                       double   w,
                       double   h,
                       double   spacing)
{
  cairo_set_line_width (cr, MAX (spacing / 5.0, 0.5));
  for (double d = -h; d < w; d += spacing)
    {
      cairo_move_to (cr, x + d, y + h);
      cairo_line_to (cr, x + d + h, y);
    }
  cairo_stroke (cr);
}

double
dg_chart_nice_step (double range,
                    int    n_ticks)
{
  double raw = range / MAX (n_ticks, 1);
  double magnitude = pow (10.0, floor (log10 (raw)));
  double f = raw / magnitude;

  if (f <= 1.0)
    return magnitude;
  if (f <= 2.0)
    return 2.0 * magnitude;
  if (f <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

void
dg_chart_plot_init (DgChartPlot *geo,
                    double       font,
                    double       width,
                    double       height,
                    double       bottom,
                    double       top,
                    guint        n_slots)
{
  if (top <= 0.0)
    top = 1.0;

  geo->font = font;
  /* Room above the highest bar for its value label and above the cap line for its label. */
  geo->tick = dg_chart_nice_step (top * 1.15, 5);
  geo->y_max = ceil (top * 1.15 / geo->tick) * geo->tick;

  geo->plot_x = font * 4.5;
  geo->plot_y = font * 2.0;
  geo->plot_w = MAX (width - geo->plot_x - font, 1.0);
  geo->plot_h = MAX (height - geo->plot_y - font * bottom, 1.0);
  geo->slot = geo->plot_w / MAX (n_slots, 1);
}

double
dg_chart_plot_y (const DgChartPlot *geo,
                 double             value)
{
  return geo->plot_y + geo->plot_h * (1.0 - CLAMP (value, 0.0, geo->y_max) / geo->y_max);
}

void
dg_chart_draw_value_axis (cairo_t           *cr,
                          cairo_pattern_t   *fg,
                          PangoLayout       *layout,
                          const DgChartPlot *geo)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Grid lines, faint: a group painted with an alpha works whatever the foreground pattern. */
  cairo_push_group (cr);
  cairo_set_source (cr, fg);
  cairo_set_line_width (cr, 0.5);
  for (double v = geo->tick; v <= geo->y_max + geo->tick / 2; v += geo->tick)
    {
      double y = dg_chart_plot_y (geo, v);

      cairo_move_to (cr, geo->plot_x, y);
      cairo_line_to (cr, geo->plot_x + geo->plot_w, y);
    }
  cairo_stroke (cr);
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, 0.25);

  cairo_set_source (cr, fg);
  for (double v = 0.0; v <= geo->y_max + geo->tick / 2; v += geo->tick)
    {
      dg_chart_format1 (buf, v);
      dg_chart_draw_text (cr, layout, buf, geo->plot_x - geo->font * 0.4,
                          dg_chart_plot_y (geo, v), 1.0, 0.5, FALSE);
    }
  dg_chart_draw_text (cr, layout, "t/(km²·30d)", 0.0, geo->plot_y - geo->font * 0.4, 0.0, 1.0,
                      FALSE);
}

void
dg_chart_plot_bar_rect (const DgChartPlot *geo,
                        guint              index,
                        double             value,
                        double             fraction,
                        cairo_rectangle_t *rect)
{
  double top = dg_chart_plot_y (geo, value);

  rect->x = geo->plot_x + geo->slot * index + geo->slot * (1.0 - fraction) / 2;
  rect->width = geo->slot * fraction;
  rect->y = top;
  rect->height = geo->plot_y + geo->plot_h - top;
}

void
dg_chart_draw_value_bar (cairo_t                 *cr,
                         cairo_pattern_t         *fg,
                         PangoLayout             *label_layout,
                         const DgChartPlot       *geo,
                         const cairo_rectangle_t *bar,
                         double                   value,
                         double                   cap,
                         double                   label_size)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double r, g, b;

  dg_chart_value_color (value, TRUE, cap, &r, &g, &b);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_rectangle (cr, bar->x, bar->y, bar->width, bar->height);
  cairo_fill (cr);

  /* The figure over the bar only where the slot is wide enough to keep it off its neighbours. */
  if (geo->slot >= label_size * 2.2)
    {
      cairo_set_source (cr, fg);
      dg_chart_format1 (buf, value);
      dg_chart_draw_text (cr, label_layout, buf, bar->x + bar->width / 2, bar->y - 1.0, 0.5, 1.0,
                          FALSE);
    }
}

void
dg_chart_draw_plot_axes (cairo_t           *cr,
                         cairo_pattern_t   *fg,
                         const DgChartPlot *geo)
{
  double base = geo->plot_y + geo->plot_h;

  cairo_set_source (cr, fg);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, geo->plot_x, geo->plot_y);
  cairo_line_to (cr, geo->plot_x, base);
  cairo_line_to (cr, geo->plot_x + geo->plot_w, base);
  cairo_stroke (cr);
}

void
dg_chart_set_cap_line_style (cairo_t *cr)
{
  static const double dash[] = { 4.0, 3.0 };

  cairo_set_source_rgb (cr, color_exceeds.r, color_exceeds.g, color_exceeds.b);
  cairo_set_line_width (cr, 1.2);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
}

/* ---- Ranking chart ---- */

static void
ranking_geometry (const DgDustfallReport *report,
                  double                  width,
                  double                  height,
                  DgChartPlot            *geo)
{
  double top = 0.0;
  guint n = n_cells (report);

  if (report != NULL && isfinite (report->cap))
    top = report->cap;
  for (guint i = 0; i < n; i++)
    {
      const DgCellRank *cell = cell_at (report, i);

      if (cell->has_value && isfinite (cell->value))
        top = MAX (top, cell->value);
    }
  /* Codes stand rotated below the bars. */
  dg_chart_plot_init (geo, font_size_for (width, height), width, height, 5.5, top, n);
}

/* The bar of cell @index in a plot laid out once by ranking_geometry(): constant time, so that
 * drawing or hit-testing every bar stays linear in the cells. */
static gboolean
ranking_bar_rect (const DgDustfallReport *report,
                  const DgChartPlot      *geo,
                  guint                   index,
                  cairo_rectangle_t      *rect)
{
  const DgCellRank *cell = cell_at (report, index);

  if (!cell->has_value || !isfinite (cell->value))
    return FALSE;

  dg_chart_plot_bar_rect (geo, index, cell->value, 0.7, rect);
  return TRUE;
}

gboolean
dg_chart_ranking_bar_rect (const DgDustfallReport *report,
                           double                  width,
                           double                  height,
                           guint                   index,
                           cairo_rectangle_t      *rect)
{
  DgChartPlot geo;

  g_return_val_if_fail (rect != NULL, FALSE);

  if (index >= n_cells (report))
    return FALSE;

  ranking_geometry (report, width, height, &geo);
  return ranking_bar_rect (report, &geo, index, rect);
}

int
dg_chart_ranking_bar_at (const DgDustfallReport *report,
                         double                  width,
                         double                  height,
                         double                  x,
                         double                  y)
{
  DgChartPlot geo;
  cairo_rectangle_t rect;
  double slot;

  if (n_cells (report) == 0)
    return -1;

  /* Bars have one slot each, left to right: the slot under @x is the only candidate. */
  ranking_geometry (report, width, height, &geo);
  slot = floor ((x - geo.plot_x) / geo.slot);
  if (!(slot >= 0 && slot < n_cells (report)))
    return -1;
  if (ranking_bar_rect (report, &geo, (guint) slot, &rect)
      && x >= rect.x && x < rect.x + rect.width && y < rect.y + rect.height)
    return (int) slot;

  return -1;
}

void
dg_chart_draw_ranking (cairo_t                *cr,
                       const DgDustfallReport *report,
                       double                  width,
                       double                  height)
{
  DgChartPlot geo;
  DgChartPens pens;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = n_cells (report);
  guint label_step;

  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  ranking_geometry (report, width, height, &geo);
  /* Labels follow the bars' width, so a crowded month stays legible rather than overlapping. */
  dg_chart_begin_bars (cr, &geo, CLAMP (geo.slot * 0.8, 3.0, geo.font), &pens);
  /* A district of hundreds of cells gets every k-th code rather than an illegible smear. */
  label_step = MAX ((guint) ceil (pens.label_size * 1.1 / geo.slot), 1);

  /* Bars, and stubs for 缺测. */
  for (guint i = 0; i < n; i++)
    {
      const DgCellRank *cell = cell_at (report, i);
      double slot_x = geo.plot_x + geo.slot * i;
      double cx = slot_x + geo.slot / 2;
      cairo_rectangle_t bar;

      if (ranking_bar_rect (report, &geo, i, &bar))
        dg_chart_draw_value_bar (cr, pens.fg, pens.small, &geo, &bar, cell->value, report->cap,
                                 pens.label_size);
      else
        {
          double stub = MIN (geo.font, geo.plot_h / 4);

          fill_hatched (cr, slot_x + geo.slot * 0.15, pens.base - stub, geo.slot * 0.7, stub,
                        MAX (geo.slot * 0.25, 2.0));
        }

      if (i % label_step == 0)
        {
          cairo_set_source (cr, pens.fg);
          dg_chart_draw_text (cr, pens.small, cell->code != NULL ? cell->code : "", cx,
                              pens.base + geo.font * 0.3, 1.0, 0.5, TRUE);
        }
    }

  dg_chart_draw_plot_axes (cr, pens.fg, &geo);

  /* The cap line goes on top of the bars so an exceeding bar is seen to cross it. */
  if (report != NULL && isfinite (report->cap))
    {
      double y = dg_chart_plot_y (&geo, report->cap);
      g_autofree char *label = NULL;

      dg_chart_set_cap_line_style (cr);
      cairo_move_to (cr, geo.plot_x, y);
      cairo_line_to (cr, geo.plot_x + geo.plot_w, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      /* At the left, over the cleanest cells: ascending bars leave that end free. */
      dg_chart_format1 (buf, report->cap);
      label = g_strdup_printf ("控制值 %s", buf);
      dg_chart_draw_text (cr, pens.layout, label, geo.plot_x + geo.font * 0.5, y - 1.0, 0.0, 1.0,
                          FALSE);
    }

  dg_chart_end_bars (cr, &pens);
}

/* ---- Grid map ---- */

typedef struct
{
  double font;
  int    n_rows, n_cols;
  double x0, y0, size;
  double legend_y;
} MapGeometry;

static void
map_geometry (const DgDustfallReport *report,
              double                  width,
              double                  height,
              MapGeometry            *geo)
{
  guint n = n_cells (report);
  double avail_h;

  geo->font = font_size_for (width, height);
  geo->n_rows = 0;
  geo->n_cols = 0;
  for (guint i = 0; i < n; i++)
    {
      const DgCellRank *cell = cell_at (report, i);

      if (cell->row < 0 || cell->col < 0)
        continue;
      geo->n_rows = MAX (geo->n_rows, cell->row + 1);
      geo->n_cols = MAX (geo->n_cols, cell->col + 1);
    }

  avail_h = MAX (height - geo->font * 3.0, 1.0);
  geo->size = MIN (width / MAX (geo->n_cols, 1), avail_h / MAX (geo->n_rows, 1));
  geo->x0 = (width - geo->size * geo->n_cols) / 2;
  geo->y0 = (avail_h - geo->size * geo->n_rows) / 2;
  geo->legend_y = height - geo->font * 2.0;
}

/* The square of @cell on a map laid out once by map_geometry(). */
static gboolean
map_cell_rect (const MapGeometry  *geo,
               const DgCellRank   *cell,
               cairo_rectangle_t  *rect)
{
  if (cell->row < 0 || cell->col < 0)
    return FALSE;

  rect->x = geo->x0 + geo->size * cell->col;
  rect->y = geo->y0 + geo->size * cell->row;
  rect->width = geo->size;
  rect->height = geo->size;
  return TRUE;
}

gboolean
dg_chart_grid_map_cell_rect (const DgDustfallReport *report,
                             double                  width,
                             double                  height,
                             guint                   index,
                             cairo_rectangle_t      *rect)
{
  MapGeometry geo;

  g_return_val_if_fail (rect != NULL, FALSE);

  if (index >= n_cells (report))
    return FALSE;

  map_geometry (report, width, height, &geo);
  return map_cell_rect (&geo, cell_at (report, index), rect);
}

int
dg_chart_grid_map_cell_at (const DgDustfallReport *report,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y)
{
  MapGeometry geo;
  double col, row;

  if (n_cells (report) == 0)
    return -1;

  /* The layout once, then one pass over the cells (they come in ranking order, not by place),
   * comparing only the row and column of the square under the point. */
  map_geometry (report, width, height, &geo);
  col = floor ((x - geo.x0) / geo.size);
  row = floor ((y - geo.y0) / geo.size);
  if (!(col >= 0 && col < geo.n_cols && row >= 0 && row < geo.n_rows))
    return -1;

  for (guint i = 0; i < n_cells (report); i++)
    {
      const DgCellRank *cell = cell_at (report, i);
      cairo_rectangle_t rect;

      if (cell->row == (int) row && cell->col == (int) col && map_cell_rect (&geo, cell, &rect)
          && x >= rect.x && x < rect.x + rect.width
          && y >= rect.y && y < rect.y + rect.height)
        return (int) i;
    }

  return -1;
}

/* The assessment's words, as a Chinese office prints them. */
static const DgChartWords assessment_words = {
  .within = "≤ %s 达标",
  .near = "%s–%s 接近",
  .over = "> %s 超标",
  .no_data = "缺测",
};

static void
draw_legend (cairo_t               *cr,
             PangoLayout           *layout,
             cairo_pattern_t       *fg,
             const DgDustfallReport *report,
             const DgChartWords    *words,
             const MapGeometry     *geo,
             double                 width)
{
  char cap_s[G_ASCII_DTOSTR_BUF_SIZE];
  char near_s[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *good = NULL;
  g_autofree char *near = NULL;
  g_autofree char *over = NULL;
  double cap = report != NULL ? report->cap : 0.0;
  double swatch = geo->font * 1.2;
  double item_w = MIN (width / 4.0, geo->font * 9.0);
  double x = (width - item_w * 4) / 2;
  double y = geo->legend_y;
  struct
  {
    const char *label;
    double      value;
    gboolean    has_value;
  } items[4];

  dg_chart_format1 (cap_s, cap);
  dg_chart_format1 (near_s, cap * DG_CHART_NEAR_CAP_FRACTION);
  /* The formats are the caller's words, each of the shape documented in dg-chart.h. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  good = g_strdup_printf (words->within, near_s);
  near = g_strdup_printf (words->near, near_s, cap_s);
  over = g_strdup_printf (words->over, cap_s);
#pragma GCC diagnostic pop
  items[0].label = good, items[0].value = 0.0, items[0].has_value = TRUE;
  items[1].label = near, items[1].value = cap, items[1].has_value = TRUE;
  items[2].label = over, items[2].value = cap + 1.0, items[2].has_value = TRUE;
  items[3].label = words->no_data, items[3].value = 0.0, items[3].has_value = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      double ix = x + item_w * i;

      if (items[i].has_value)
        {
          double r, g, b;

          dg_chart_value_color (items[i].value, TRUE, cap, &r, &g, &b);
          cairo_set_source_rgb (cr, r, g, b);
          cairo_rectangle (cr, ix, y, swatch, swatch);
          cairo_fill (cr);
        }
      else
        {
          fill_hatched (cr, ix, y, swatch, swatch, swatch / 3);
        }

      cairo_set_source (cr, fg);
      dg_chart_draw_text (cr, layout, items[i].label, ix + swatch + geo->font * 0.4, y + swatch / 2,
                          0.0, 0.5, FALSE);
    }
}

void
dg_chart_draw_grid_map (cairo_t                *cr,
                        const DgDustfallReport *report,
                        double                  width,
                        double                  height,
                        const DgChartWords     *words)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoLayout) label = NULL;
  cairo_pattern_t *fg;
  MapGeometry geo;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double label_size;
  double gap;

  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;
  if (words == NULL)
    words = &assessment_words;

  cairo_save (cr);
  fg = cairo_pattern_reference (cairo_get_source (cr));
  map_geometry (report, width, height, &geo);
  layout = dg_chart_create_layout (cr, geo.font);
  label_size = CLAMP (geo.size / 4.2, 3.0, geo.font * 1.2);
  label = dg_chart_create_layout (cr, label_size);
  /* A hairline gap tells neighbouring cells of one colour apart. */
  gap = MAX (geo.size * 0.03, 0.5);

  for (guint i = 0; i < n_cells (report); i++)
    {
      const DgCellRank *cell = cell_at (report, i);
      cairo_rectangle_t rect;
      double x, y, s;

      if (!map_cell_rect (&geo, cell, &rect))
        continue;

      x = rect.x + gap / 2;
      y = rect.y + gap / 2;
      s = rect.width - gap;

      if (cell->has_value && isfinite (cell->value))
        {
          double r, g, b;

          dg_chart_value_color (cell->value, TRUE, report->cap, &r, &g, &b);
          cairo_set_source_rgb (cr, r, g, b);
          cairo_rectangle (cr, x, y, s, s);
          cairo_fill (cr);
        }
      else
        {
          fill_hatched (cr, x, y, s, s, MAX (s / 6.0, 2.0));
        }

      /* Labels only where they fit: a small map is read by its colours. */
      if (s >= label_size * 3.5)
        {
          double cx = x + s / 2;
          const char *value_text = words->no_data;

          /* Dark text on the light fills reads on screen and in print alike. */
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          dg_chart_draw_text (cr, label, cell->code != NULL ? cell->code : "", cx, y + s / 2, 0.5,
                              1.0, FALSE);
          if (cell->has_value && isfinite (cell->value))
            {
              dg_chart_format1 (buf, cell->value);
              value_text = buf;
            }
          dg_chart_draw_text (cr, label, value_text, cx, y + s / 2, 0.5, 0.0, FALSE);
        }
    }

  draw_legend (cr, layout, fg, report, words, &geo, width);

  cairo_pattern_destroy (fg);
  cairo_restore (cr);
}
