/* dg-charts-tab.c */

#define G_LOG_DOMAIN "dg-charts-tab"

#include "config.h"

#include "dg-charts-tab.h"

struct _DgChartsTab
{
  GtkWidget       parent_instance;

  DgRankingChart *ranking_chart;
  DgGridMap      *grid_map;
};

G_DEFINE_FINAL_TYPE (DgChartsTab, dg_charts_tab, GTK_TYPE_WIDGET)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cell_activated_cb (DgChartsTab *self,
                   const char  *cell_id,
                   GtkWidget   *chart)
{
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell_id);
}

static void
dg_charts_tab_dispose (GObject *object)
{
  DgChartsTab *self = (DgChartsTab *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_CHARTS_TAB);
  /* The template's root is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dg_charts_tab_parent_class)->dispose (object);
}

static void
dg_charts_tab_class_init (DgChartsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_charts_tab_dispose;

  /* A bar or a map cell was clicked: its cell's id, for the cell's trend. */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (DG_TYPE_RANKING_CHART);
  g_type_ensure (DG_TYPE_GRID_MAP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-charts-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DgChartsTab, ranking_chart);
  gtk_widget_class_bind_template_child (widget_class, DgChartsTab, grid_map);
  gtk_widget_class_bind_template_callback (widget_class, cell_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_charts_tab_init (DgChartsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dg_charts_tab_new (void)
{
  return g_object_new (DG_TYPE_CHARTS_TAB, NULL);
}

void
dg_charts_tab_set_report (DgChartsTab   *self,
                          DgMonthReport *report)
{
  g_return_if_fail (DG_IS_CHARTS_TAB (self));

  dg_ranking_chart_set_report (self->ranking_chart, report);
  dg_grid_map_set_report (self->grid_map, report);
}

DgRankingChart *
dg_charts_tab_get_ranking_chart (DgChartsTab *self)
{
  g_return_val_if_fail (DG_IS_CHARTS_TAB (self), NULL);
  return self->ranking_chart;
}

DgGridMap *
dg_charts_tab_get_grid_map (DgChartsTab *self)
{
  g_return_val_if_fail (DG_IS_CHARTS_TAB (self), NULL);
  return self->grid_map;
}
