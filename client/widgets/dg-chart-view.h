/* dg-chart-view.h: the abstract base of the office page's charts (DgGridMap, DgRankingChart,
 * DgTrendChart).
 *
 * It holds the month report ("report") and draws through a cairo node, in the widget's
 * foreground colour, so each chart is vectors at any size and on HiDPI. A subclass gives its
 * draw() and its sizes, and hears of a new report through report_changed().
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_CHART_VIEW (dg_chart_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (DgChartView, dg_chart_view, DG, CHART_VIEW, GtkWidget)

struct _DgChartViewClass
{
  GtkWidgetClass parent_class;

  /* The minimum and natural sizes measure() gives. */
  int min_width;
  int natural_width;
  int min_height;
  int natural_height;

  /* Draws the chart into @cr, whose source is already the foreground colour. */
  void (*draw)           (DgChartView *self,
                          cairo_t     *cr,
                          int          width,
                          int          height);
  void (*report_changed) (DgChartView *self);

  gpointer padding[8];
};

DgMonthReport *dg_chart_view_get_report (DgChartView   *self);
void           dg_chart_view_set_report (DgChartView   *self,
                                         DgMonthReport *report);

G_END_DECLS
