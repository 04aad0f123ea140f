/* dg-ranking-chart.h: the month's dust-fall ranking as a bar chart with the cap line.
 *
 * Draws dg_chart_draw_ranking() (common/dg-chart.h) in the widget's foreground colour through
 * a cairo node, so it is vectors at any size and on HiDPI. A click on a bar emits
 * "cell-activated" with the cell's id; hovering a bar shows its cell and value.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-chart-view.h"
#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_RANKING_CHART (dg_ranking_chart_get_type ())
G_DECLARE_FINAL_TYPE (DgRankingChart, dg_ranking_chart, DG, RANKING_CHART, DgChartView)

GtkWidget     *dg_ranking_chart_new        (void);
DgMonthReport *dg_ranking_chart_get_report (DgRankingChart *self);
void           dg_ranking_chart_set_report (DgRankingChart *self,
                                            DgMonthReport  *report);

G_END_DECLS
