/* dg-chart-private.h: the text, scale and value-axis helpers dg-chart.c and dg-trend.c share, so
 * every chart sets its labels, picks its ticks and draws its axis the same way. Defined in
 * dg-chart.c.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define DG_CHART_FONT_FAMILY "Noto Sans CJK SC"

PangoLayout *dg_chart_create_layout (cairo_t     *cr,
                                     double       size);
/* @text with its logical box anchored at (@x, @y) by @xalign/@yalign, optionally rotated a
 * quarter turn anticlockwise (@vertical). */
void         dg_chart_draw_text     (cairo_t *cr, PangoLayout *layout, const char *text,
                                     double x, double y, double xalign, double yalign,
                                     gboolean vertical);
void         dg_chart_format1       (char        *buf,
                                     double       value);
double       dg_chart_nice_step     (double       range,
                                     int          n_ticks);

/* The plot of a vertical bar chart (the ranking, a cell's trend): its box, its value scale
 * and the width of one bar's slot. */
typedef struct
{
  double font;
  double plot_x, plot_y, plot_w, plot_h;
  double y_max;
  double tick;
  double slot;
} DgChartPlot;

void         dg_chart_plot_init       (DgChartPlot       *geo,
                                       double             font,
                                       double             width,
                                       double             height,
                                       double             bottom,
                                       double             top,
                                       guint              n_slots);
double       dg_chart_plot_y          (const DgChartPlot *geo,
                                       double             value);
void         dg_chart_draw_value_axis (cairo_t           *cr,
                                       cairo_pattern_t   *fg,
                                       PangoLayout       *layout,
                                       const DgChartPlot *geo);
/* The y axis and the baseline. */
void         dg_chart_draw_plot_axes  (cairo_t           *cr,
                                       cairo_pattern_t   *fg,
                                       const DgChartPlot *geo);
/* The bar of @value in slot @index, @fraction of the slot wide and centred in it. */
void         dg_chart_plot_bar_rect   (const DgChartPlot *geo,
                                       guint              index,
                                       double             value,
                                       double             fraction,
                                       cairo_rectangle_t *rect);
/* Fills @bar in the colour of @value against @cap, with the figure over it where it fits
 * (@label_layout's font is @label_size). */
void         dg_chart_draw_value_bar  (cairo_t *cr, cairo_pattern_t *fg, PangoLayout *label_layout,
                                       const DgChartPlot *geo, const cairo_rectangle_t *bar,
                                       double value, double cap, double label_size);
/* What a bar chart draws with once its plot is laid out: the caller's source as the
 * foreground (axes, labels), a layout at the plot's font size, a smaller one at @label_size
 * for the bars' own labels, and the baseline the bars stand on. */
typedef struct
{
  cairo_pattern_t *fg;
  PangoLayout     *layout;
  PangoLayout     *small;
  double           label_size;
  double           base;
} DgChartPens;

/* Saves @cr's state, takes the pens of the plot @geo, and draws its value axis: how the ranking
 * and the trend chart begin; dg_chart_end_bars() gives the pens back and restores @cr. */
void         dg_chart_begin_bars     (cairo_t           *cr,
                                      const DgChartPlot *geo,
                                      double             label_size,
                                      DgChartPens       *pens);
void         dg_chart_end_bars       (cairo_t           *cr,
                                      DgChartPens       *pens);
/* The diagonal strokes of 缺测 over (@x, @y, @w, @h), @spacing apart, in the current source;
 * the caller clips to the box. */
void         dg_chart_stroke_hatch   (cairo_t *cr, double x, double y, double w, double h,
                                      double spacing);

/* The dashed line of the cap, in the colour of an exceeding value; the caller clears the dash. */
void         dg_chart_set_cap_line_style (cairo_t        *cr);

G_END_DECLS
