/* dg-chart-view.c
 *
 * The plumbing the charts share: the report property, the cairo node and the theme's colour,
 * the size request and the tooltip switch. The drawing itself is common/'s, called from each
 * subclass's draw().
 */

#define G_LOG_DOMAIN "dg-chart-view"

#include "config.h"

#include "dg-chart-view.h"

typedef struct
{
  DgMonthReport *report;
} DgChartViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DgChartView, dg_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dg_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  /* A cairo node is rendered at the surface's scale: vectors stay crisp on HiDPI. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &color);
  DG_CHART_VIEW_GET_CLASS (widget)->draw (DG_CHART_VIEW (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
dg_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  DgChartViewClass *klass = DG_CHART_VIEW_GET_CLASS (widget);

  /* Small enough for a 360 px phone; the chart scales to whatever it is given. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = klass->min_width;
      *natural = klass->natural_width;
    }
  else
    {
      *minimum = klass->min_height;
      *natural = klass->natural_height;
    }
}

static void
dg_chart_view_dispose (GObject *object)
{
  DgChartView *self = (DgChartView *)object;
  DgChartViewPrivate *priv = dg_chart_view_get_instance_private (self);

  g_clear_object (&priv->report);

  G_OBJECT_CLASS (dg_chart_view_parent_class)->dispose (object);
}

static void
dg_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DgChartView *self = DG_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, dg_chart_view_get_report (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DgChartView *self = DG_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      dg_chart_view_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_chart_view_class_init (DgChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_chart_view_dispose;
  object_class->get_property = dg_chart_view_get_property;
  object_class->set_property = dg_chart_view_set_property;

  widget_class->snapshot = dg_chart_view_snapshot;
  widget_class->measure = dg_chart_view_measure;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DG_TYPE_MONTH_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dg_chart_view_init (DgChartView *self)
{
  /* Every chart answers query_tooltip with the bar or cell under the pointer. */
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

DgMonthReport *
dg_chart_view_get_report (DgChartView *self)
{
  DgChartViewPrivate *priv = dg_chart_view_get_instance_private (self);

  g_return_val_if_fail (DG_IS_CHART_VIEW (self), NULL);
  return priv->report;
}

void
dg_chart_view_set_report (DgChartView   *self,
                          DgMonthReport *report)
{
  DgChartViewPrivate *priv = dg_chart_view_get_instance_private (self);

  g_return_if_fail (DG_IS_CHART_VIEW (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (g_set_object (&priv->report, report))
    {
      if (DG_CHART_VIEW_GET_CLASS (self)->report_changed != NULL)
        DG_CHART_VIEW_GET_CLASS (self)->report_changed (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
}
