/* dg-grid-map.h: the district's grid cells at their row/col, coloured by value against the cap.
 *
 * Draws dg_chart_draw_grid_map() (common/dg-chart.h) with its legend, 缺测 hatched. A click on a
 * cell emits "cell-activated" with the cell's id (hit test: dg_chart_grid_map_cell_at()); a
 * tooltip names the cell and its value.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-chart-view.h"
#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_GRID_MAP (dg_grid_map_get_type ())
G_DECLARE_FINAL_TYPE (DgGridMap, dg_grid_map, DG, GRID_MAP, DgChartView)

GtkWidget     *dg_grid_map_new         (void);
DgMonthReport *dg_grid_map_get_report  (DgGridMap     *self);
void           dg_grid_map_set_report  (DgGridMap     *self,
                                        DgMonthReport *report);
/* The id of the cell under (@x, @y) in widget coordinates, or NULL. */
const char    *dg_grid_map_get_cell_at (DgGridMap     *self,
                                        double         x,
                                        double         y);

G_END_DECLS
