/* dg-ranking-chart.c
 *
 * The drawing and the hit tests are common/'s: this widget only hands them its size and its
 * foreground colour, so the chart on screen is the one in the PDF assessment.
 */

#define G_LOG_DOMAIN "dg-ranking-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-ranking-chart.h"

struct _DgRankingChart
{
  DgChartView parent_instance;
};

G_DEFINE_FINAL_TYPE (DgRankingChart, dg_ranking_chart, DG_TYPE_CHART_VIEW)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const DgDustfallReport *
get_dustfall (DgRankingChart *self)
{
  DgMonthReport *report = dg_chart_view_get_report (DG_CHART_VIEW (self));

  return report != NULL ? dg_month_report_get_dustfall (report) : NULL;
}

static int
bar_at (DgRankingChart *self,
        double          x,
        double          y)
{
  const DgDustfallReport *dustfall = get_dustfall (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (dustfall == NULL)
    return -1;
  /* The whole column above a bar counts, so short bars are easy to hit. */
  return dg_chart_ranking_bar_at (dustfall, width, height, x, y);
}

static void
update_description (DgRankingChart *self)
{
  const DgDustfallReport *dustfall = get_dustfall (self);
  g_autofree char *text = NULL;

  if (dustfall == NULL)
    text = g_strdup (_("No ranking"));
  else
    /* Translators: the accessible description of the ranking chart */
    text = g_strdup_printf (_("%u cells ranked, %u above the cap"), dustfall->n_ranked,
                            dustfall->n_exceeding);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
pressed_cb (DgRankingChart  *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  int index = bar_at (self, x, y);

  if (index >= 0)
    {
      const DgCellRank *cell = g_ptr_array_index (get_dustfall (self)->cells, index);

      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell->cell_id);
    }
}

static gboolean
dg_ranking_chart_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard_mode,
                                GtkTooltip *tooltip)
{
  DgRankingChart *self = DG_RANKING_CHART (widget);
  const DgCellRank *cell;
  g_autofree char *text = NULL;
  int index = bar_at (self, x, y);

  if (index < 0)
    return FALSE;

  cell = g_ptr_array_index (get_dustfall (self)->cells, index);
  /* Translators: a bar's tooltip: rank, cell code, cell name, value in t/(km²·30d) */
  text = g_strdup_printf (_("No. %d · %s %s · %.1f t/(km²·30d)"), cell->rank, cell->code,
                          cell->name, cell->value);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
dg_ranking_chart_draw (DgChartView *view,
                       cairo_t     *cr,
                       int          width,
                       int          height)
{
  dg_chart_draw_ranking (cr, get_dustfall (DG_RANKING_CHART (view)), width, height);
}

static void
dg_ranking_chart_report_changed (DgChartView *view)
{
  update_description (DG_RANKING_CHART (view));
}

static void
dg_ranking_chart_class_init (DgRankingChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DgChartViewClass *chart_class = DG_CHART_VIEW_CLASS (klass);

  widget_class->query_tooltip = dg_ranking_chart_query_tooltip;

  chart_class->draw = dg_ranking_chart_draw;
  chart_class->report_changed = dg_ranking_chart_report_changed;
  chart_class->min_width = 240;
  chart_class->natural_width = 640;
  chart_class->min_height = 200;
  chart_class->natural_height = 300;

  /**
   * DgRankingChart::cell-activated:
   * @cell_id: the id of the cell whose bar was clicked
   */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "dg-ranking-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dg_ranking_chart_init (DgRankingChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dust-fall ranking chart"),
                                  -1);
  update_description (self);
}

GtkWidget *
dg_ranking_chart_new (void)
{
  return g_object_new (DG_TYPE_RANKING_CHART, NULL);
}

DgMonthReport *
dg_ranking_chart_get_report (DgRankingChart *self)
{
  g_return_val_if_fail (DG_IS_RANKING_CHART (self), NULL);
  return dg_chart_view_get_report (DG_CHART_VIEW (self));
}

void
dg_ranking_chart_set_report (DgRankingChart *self,
                             DgMonthReport  *report)
{
  g_return_if_fail (DG_IS_RANKING_CHART (self));
  dg_chart_view_set_report (DG_CHART_VIEW (self), report);
}
