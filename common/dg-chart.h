/* dg-chart.h: the ranking bar chart and the district grid map as pure cairo drawing.
 *
 * The PDF assessment and the client's office widgets draw with these very functions, and the tests
 * check their colours, so a cell looks the same on screen and on paper. They draw in user units
 * inside (0, 0, @width, @height) of whatever transform @cr carries: scale @cr for HiDPI and the
 * result stays crisp (everything is vectors and pango text).
 *
 * Text, axes and outlines are drawn in the source colour @cr has on entry (a widget sets its
 * foreground colour, the PDF black); cell and bar fills come from dg_chart_value_color(). The
 * functions leave @cr's state as they found it. Nothing is painted behind the chart.
 */
#pragma once

#include <cairo.h>

#include "dg-report.h"

G_BEGIN_DECLS

/* The share of the cap above which a compliant value is shown as "near the cap". */
#define DG_CHART_NEAR_CAP_FRACTION 0.8

/* The fill of a dust-fall value against @cap: green when at most 0.8·cap, amber up to the cap,
 * red above it (超标), grey without a value (缺测, which the map also hatches). */
void     dg_chart_value_color        (double     value,
                                      gboolean   has_value,
                                      double     cap,
                                      double    *r,
                                      double    *g,
                                      double    *b);

/* Bars of @report's cells in ranking order (缺测 ones last, as a hatched stub), a y axis in
 * t/(km²·30d), the cap as a dashed horizontal line, cell codes below and values above the bars
 * when they fit. */
void     dg_chart_draw_ranking       (cairo_t                *cr,
                                      const DgDustfallReport *report,
                                      double                  width,
                                      double                  height);

/* The grid map's words: each legend entry as a printf format of one or two values (the
 * thresholds, already formatted), and the label of a cell without a value. The client passes
 * them in its UI language; NULL means the assessment's Chinese, which the PDF always uses. */
typedef struct
{
  const char *within;   /* "≤ %s 达标": the 0.8·cap threshold */
  const char *near;     /* "%s–%s 接近": 0.8·cap, then the cap */
  const char *over;     /* "> %s 超标": the cap */
  const char *no_data;  /* "缺测" */
} DgChartWords;

/* One square per cell at its row/col, filled by dg_chart_value_color(), 缺测 hatched, with
 * code and value when the squares are large enough, and a legend below in @words (nullable). */
void     dg_chart_draw_grid_map      (cairo_t                *cr,
                                      const DgDustfallReport *report,
                                      double                  width,
                                      double                  height,
                                      const DgChartWords     *words);

/* Geometry, for hit tests (tooltips, a click that opens a cell's trend) and for tests.
 * @index is into @report->cells. The bar of a 缺测 cell does not exist: FALSE. */
gboolean dg_chart_ranking_bar_rect   (const DgDustfallReport *report,
                                      double                  width,
                                      double                  height,
                                      guint                   index,
                                      cairo_rectangle_t      *rect);
/* The index of the cell whose bar, or the column above it, is under (@x, @y), or -1: in constant
 * time, whatever the number of cells. */
int      dg_chart_ranking_bar_at     (const DgDustfallReport *report,
                                      double                  width,
                                      double                  height,
                                      double                  x,
                                      double                  y);
/* FALSE when the cell has no place on the map (negative row or col). */
gboolean dg_chart_grid_map_cell_rect (const DgDustfallReport *report,
                                      double                  width,
                                      double                  height,
                                      guint                   index,
                                      cairo_rectangle_t      *rect);
/* The index of the cell under (@x, @y), or -1: one pass over the cells, the layout made once. */
int      dg_chart_grid_map_cell_at   (const DgDustfallReport *report,
                                      double                  width,
                                      double                  height,
                                      double                  x,
                                      double                  y);

G_END_DECLS
