/* dg-trend-chart.h: a grid cell's twelve monthly values with the cap line.
 *
 * Draws dg_trend_draw() (common/dg-trend.h) over dg_month_report_trend() of its cell.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-chart-view.h"
#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_TREND_CHART (dg_trend_chart_get_type ())
G_DECLARE_FINAL_TYPE (DgTrendChart, dg_trend_chart, DG, TREND_CHART, DgChartView)

GtkWidget     *dg_trend_chart_new         (void);
DgMonthReport *dg_trend_chart_get_report  (DgTrendChart  *self);
void           dg_trend_chart_set_report  (DgTrendChart  *self,
                                           DgMonthReport *report);
const char    *dg_trend_chart_get_cell_id (DgTrendChart  *self);
void           dg_trend_chart_set_cell_id (DgTrendChart  *self,
                                           const char    *cell_id);
/* The series drawn (DgTrendPoint), or NULL without a report and cell. */
const GArray  *dg_trend_chart_get_series  (DgTrendChart  *self);

G_END_DECLS
