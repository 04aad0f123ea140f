/* dg-trend.h: a grid cell's monthly trend and the month's road chart, as pure cairo drawing.
 *
 * Companions of dg-chart.h, drawn the same way: in user units inside (0, 0, @width, @height) of
 * whatever transform @cr carries (scale it for HiDPI), text and axes in the source colour @cr has
 * on entry, fills from dg_chart_value_color(), @cr's state left as found, nothing painted behind.
 * The client's trend dialog and road chart draw with these, and the tests check their colours.
 */
#pragma once

#include <cairo.h>

#include "dg-report.h"

G_BEGIN_DECLS

/* One month of a cell's trend. */
typedef struct
{
  char      month[8];    /* YYYY-MM */
  gboolean  has_value;   /* FALSE: 缺测 */
  double    value;       /* t/(km²·30d), to 0.1 */
  double    cap;         /* the cap that judges this month (effective-dated) */
} DgTrendPoint;

/* The @n_months months ending with @month (oldest first) of @cell_id, looked up in @values
 * (DgCellMonth, as dg_cell_months_from_samples() makes them), each with the cap in force on its
 * first day. Returns a GArray of DgTrendPoint. */
GArray   *dg_trend_series     (const char      *cell_id,
                               const char      *month,
                               guint            n_months,
                               const GArray    *values,
                               const DgRuleSet *rules);

/* Bars of @series (DgTrendPoint) coloured against each month's cap, 缺测 months as hatched stubs,
 * a y axis in t/(km²·30d), the cap as a dashed line (stepped where a new cap takes effect) and
 * the months below the bars. */
void      dg_trend_draw       (cairo_t         *cr,
                               const GArray    *series,
                               double           width,
                               double           height);

/* The bar of @series' point @index; FALSE for a 缺测 month or an index out of range. */
gboolean  dg_trend_bar_rect   (const GArray      *series,
                               double             width,
                               double             height,
                               guint              index,
                               cairo_rectangle_t *rect);

/* Horizontal bars of the roads' mean load (g/m²) in ranking order, roads without checks listed
 * with a hatched stub. A bar is filled by dg_chart_value_color() of the road's surface mean that
 * comes nearest its limit (the limits of @rules in force on the month's first day; NULL: the
 * defaults), so a road reads red when a surface's monthly mean is above its limit. */
void      dg_road_chart_draw  (cairo_t            *cr,
                               const DgRoadReport *report,
                               const DgRuleSet    *rules,
                               double              width,
                               double              height);

/* The bar of @report's road @index; FALSE for a road without points. */
gboolean  dg_road_chart_bar_rect (const DgRoadReport *report,
                                  double              width,
                                  double              height,
                                  guint               index,
                                  cairo_rectangle_t  *rect);

G_END_DECLS
