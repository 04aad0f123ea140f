/* dg-trend-dialog.h: a modal window with one grid cell's twelve-month trend and its cap. */
#pragma once

#include <adwaita.h>

#include "dg-month-report.h"
#include "dg-trend-chart.h"

G_BEGIN_DECLS

#define DG_TYPE_TREND_DIALOG (dg_trend_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DgTrendDialog, dg_trend_dialog, DG, TREND_DIALOG, AdwWindow)

GtkWidget    *dg_trend_dialog_new       (GtkWindow     *parent,
                                         DgMonthReport *report,
                                         const char    *cell_id);
DgTrendChart *dg_trend_dialog_get_chart (DgTrendDialog *self);

G_END_DECLS
