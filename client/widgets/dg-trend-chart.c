/* dg-trend-chart.c
 *
 * The series is looked up once per report or cell (dg_month_report_trend()) and drawn by
 * common/'s dg_trend_draw(), the function the tests render to an image surface.
 */

#define G_LOG_DOMAIN "dg-trend-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-trend.h"
#include "dg-trend-chart.h"

struct _DgTrendChart
{
  DgChartView  parent_instance;

  char        *cell_id;
  GArray      *series;
};

G_DEFINE_FINAL_TYPE (DgTrendChart, dg_trend_chart, DG_TYPE_CHART_VIEW)

enum {
  PROP_0,
  PROP_CELL_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_series (DgTrendChart *self)
{
  DgMonthReport *report = dg_chart_view_get_report (DG_CHART_VIEW (self));
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&self->series, g_array_unref);
  if (report != NULL && self->cell_id != NULL)
    self->series = dg_month_report_trend (report, self->cell_id);

  /* A screen reader reads the figures the bars show. */
  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      const DgTrendPoint *p = &g_array_index (self->series, DgTrendPoint, i);

      if (i > 0)
        g_string_append (text, "; ");
      if (p->has_value)
        g_string_append_printf (text, "%s: %.1f", p->month, p->value);
      else
        /* Translators: a month without a valid sample, in the trend's description */
        g_string_append_printf (text, _("%s: no data"), p->month);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
dg_trend_chart_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  DgTrendChart *self = DG_TREND_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      const DgTrendPoint *p = &g_array_index (self->series, DgTrendPoint, i);
      cairo_rectangle_t rect;

      if (dg_trend_bar_rect (self->series, width, height, i, &rect)
          && x >= rect.x && x < rect.x + rect.width && y < rect.y + rect.height)
        {
          g_autofree char *text = NULL;

          /* Translators: a trend bar's tooltip: month, value, cap, in t/(km²·30d) */
          text = g_strdup_printf (_("%s · %.1f t/(km²·30d) (cap %.1f)"), p->month, p->value,
                                  p->cap);
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
dg_trend_chart_draw (DgChartView *view,
                     cairo_t     *cr,
                     int          width,
                     int          height)
{
  DgTrendChart *self = DG_TREND_CHART (view);

  if (self->series != NULL)
    dg_trend_draw (cr, self->series, width, height);
}

static void
dg_trend_chart_report_changed (DgChartView *view)
{
  update_series (DG_TREND_CHART (view));
}

static void
dg_trend_chart_finalize (GObject *object)
{
  DgTrendChart *self = (DgTrendChart *)object;

  g_clear_pointer (&self->cell_id, g_free);
  g_clear_pointer (&self->series, g_array_unref);

  G_OBJECT_CLASS (dg_trend_chart_parent_class)->finalize (object);
}

static void
dg_trend_chart_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DgTrendChart *self = DG_TREND_CHART (object);

  switch (prop_id)
    {
    case PROP_CELL_ID:
      g_value_set_string (value, self->cell_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_trend_chart_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DgTrendChart *self = DG_TREND_CHART (object);

  switch (prop_id)
    {
    case PROP_CELL_ID:
      dg_trend_chart_set_cell_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_trend_chart_class_init (DgTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DgChartViewClass *chart_class = DG_CHART_VIEW_CLASS (klass);

  object_class->finalize = dg_trend_chart_finalize;
  object_class->get_property = dg_trend_chart_get_property;
  object_class->set_property = dg_trend_chart_set_property;

  widget_class->query_tooltip = dg_trend_chart_query_tooltip;

  chart_class->draw = dg_trend_chart_draw;
  chart_class->report_changed = dg_trend_chart_report_changed;
  chart_class->min_width = 280;
  chart_class->natural_width = 560;
  chart_class->min_height = 180;
  chart_class->natural_height = 280;

  properties[PROP_CELL_ID] =
    g_param_spec_string ("cell-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "dg-trend-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dg_trend_chart_init (DgTrendChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Monthly trend chart"),
                                  -1);
}

GtkWidget *
dg_trend_chart_new (void)
{
  return g_object_new (DG_TYPE_TREND_CHART, NULL);
}

DgMonthReport *
dg_trend_chart_get_report (DgTrendChart *self)
{
  g_return_val_if_fail (DG_IS_TREND_CHART (self), NULL);
  return dg_chart_view_get_report (DG_CHART_VIEW (self));
}

void
dg_trend_chart_set_report (DgTrendChart  *self,
                           DgMonthReport *report)
{
  g_return_if_fail (DG_IS_TREND_CHART (self));
  dg_chart_view_set_report (DG_CHART_VIEW (self), report);
}

const char *
dg_trend_chart_get_cell_id (DgTrendChart *self)
{
  g_return_val_if_fail (DG_IS_TREND_CHART (self), NULL);
  return self->cell_id;
}

void
dg_trend_chart_set_cell_id (DgTrendChart *self,
                            const char   *cell_id)
{
  g_return_if_fail (DG_IS_TREND_CHART (self));

  if (g_strcmp0 (self->cell_id, cell_id) == 0)
    return;
  g_free (self->cell_id);
  self->cell_id = g_strdup (cell_id);
  update_series (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CELL_ID]);
}

const GArray *
dg_trend_chart_get_series (DgTrendChart *self)
{
  g_return_val_if_fail (DG_IS_TREND_CHART (self), NULL);
  return self->series;
}
