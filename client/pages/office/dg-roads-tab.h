/* dg-roads-tab.h: the office page's Roads tab, the month's road dust table and chart
 * (design 3.3).
 *
 * One row per road with its checks, points, means by surface group, the highest point, the
 * points over the limit and the checks passed, and below the table common/'s road chart
 * (dg_road_chart_draw()), a bar per road against the limits.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_ROADS_TAB (dg_roads_tab_get_type ())
G_DECLARE_FINAL_TYPE (DgRoadsTab, dg_roads_tab, DG, ROADS_TAB, GtkWidget)

GtkWidget     *dg_roads_tab_new        (void);
void           dg_roads_tab_set_report (DgRoadsTab    *self,
                                        DgMonthReport *report);
GtkColumnView *dg_roads_tab_get_view   (DgRoadsTab    *self);

G_END_DECLS
