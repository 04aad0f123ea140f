/* dg-charts-tab.h: the office page's Charts tab, the month's ranking chart over the district
 * grid map.
 *
 * Both draw common/'s charts (dg-chart.h) from the month's report; a click on a bar or on a
 * map cell emits "cell-activated" with the cell's id.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-grid-map.h"
#include "dg-month-report.h"
#include "dg-ranking-chart.h"

G_BEGIN_DECLS

#define DG_TYPE_CHARTS_TAB (dg_charts_tab_get_type ())
G_DECLARE_FINAL_TYPE (DgChartsTab, dg_charts_tab, DG, CHARTS_TAB, GtkWidget)

GtkWidget      *dg_charts_tab_new               (void);
void            dg_charts_tab_set_report        (DgChartsTab   *self,
                                                 DgMonthReport *report);
DgRankingChart *dg_charts_tab_get_ranking_chart (DgChartsTab   *self);
DgGridMap      *dg_charts_tab_get_grid_map      (DgChartsTab   *self);

G_END_DECLS
