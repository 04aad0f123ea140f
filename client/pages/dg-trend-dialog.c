/* dg-trend-dialog.c
 *
 * Opened by the office page when a cell is activated on the map, the chart or the ranking
 * table. The figures come from the page's DgMonthReport: nothing is read or computed here.
 */

#define G_LOG_DOMAIN "dg-trend-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-trend.h"
#include "dg-trend-dialog.h"

struct _DgTrendDialog
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  DgTrendChart   *trend_chart;
  GtkLabel       *summary_label;
};

G_DEFINE_FINAL_TYPE (DgTrendDialog, dg_trend_dialog, ADW_TYPE_WINDOW)

static void
fill (DgTrendDialog *self,
      DgMonthReport *report,
      const char    *cell_id)
{
  const DgCellRank *cell = dg_month_report_find_cell (report, cell_id);
  const GArray *series;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  guint n_values = 0;

  dg_trend_chart_set_report (self->trend_chart, report);
  dg_trend_chart_set_cell_id (self->trend_chart, cell_id);
  series = dg_trend_chart_get_series (self->trend_chart);

  if (cell != NULL)
    title = g_strdup_printf ("%s %s", cell->code, cell->name);
  else
    title = g_strdup (_("Grid Cell"));
  /* Translators: the trend dialog's subtitle: the last month shown */
  subtitle = g_strdup_printf (_("Twelve months to %s"), dg_month_report_get_month (report));
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);

  for (guint i = 0; series != NULL && i < series->len; i++)
    if (g_array_index (series, DgTrendPoint, i).has_value)
      n_values++;

  if (cell != NULL)
    g_string_append_printf (summary, "%s · ", cell->unit);
  /* Translators: how many of the trend's twelve months have a value */
  g_string_append_printf (summary, _("%u of 12 months measured"), n_values);
  if (cell != NULL && cell->has_value)
    {
      g_string_append (summary, " · ");
      g_string_append_printf (summary,
                              cell->exceeds
                              /* Translators: this month's value, in t/(km²·30d) */
                              ? _("this month %.1f, above the cap")
                              : _("this month %.1f, within the cap"),
                              cell->value);
    }
  gtk_label_set_label (self->summary_label, summary->str);
}

static void
dg_trend_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DG_TYPE_TREND_DIALOG);

  G_OBJECT_CLASS (dg_trend_dialog_parent_class)->dispose (object);
}

static void
dg_trend_dialog_class_init (DgTrendDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_trend_dialog_dispose;

  g_type_ensure (DG_TYPE_TREND_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-trend-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DgTrendDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DgTrendDialog, trend_chart);
  gtk_widget_class_bind_template_child (widget_class, DgTrendDialog, summary_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dg_trend_dialog_init (DgTrendDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dg_trend_dialog_new (GtkWindow     *parent,
                     DgMonthReport *report,
                     const char    *cell_id)
{
  DgTrendDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DG_IS_MONTH_REPORT (report), NULL);
  g_return_val_if_fail (cell_id != NULL, NULL);

  self = g_object_new (DG_TYPE_TREND_DIALOG,
                       "transient-for", parent,
                       NULL);
  fill (self, report, cell_id);

  return GTK_WIDGET (self);
}

DgTrendChart *
dg_trend_dialog_get_chart (DgTrendDialog *self)
{
  g_return_val_if_fail (DG_IS_TREND_DIALOG (self), NULL);
  return self->trend_chart;
}
