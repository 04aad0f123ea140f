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
  GtkWidget      parent_instance;

  DgMonthReport *report;
  char          *cell_id;
  GArray        *series;
};

G_DEFINE_FINAL_TYPE (DgTrendChart, dg_trend_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_CELL_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_series (DgTrendChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&self->series, g_array_unref);
  if (self->report != NULL && self->cell_id != NULL)
    self->series = dg_month_report_trend (self->report, self->cell_id);

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
dg_trend_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  DgTrendChart *self = DG_TREND_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->series == NULL)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &color);
  dg_trend_draw (cr, self->series, width, height);
  cairo_destroy (cr);
}

static void
dg_trend_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 560;
    }
  else
    {
      *minimum = 180;
      *natural = 280;
    }
}

static void
dg_trend_chart_dispose (GObject *object)
{
  DgTrendChart *self = (DgTrendChart *)object;

  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_trend_chart_parent_class)->dispose (object);
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
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
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
    case PROP_REPORT:
      dg_trend_chart_set_report (self, g_value_get_object (value));
      break;
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

  object_class->dispose = dg_trend_chart_dispose;
  object_class->finalize = dg_trend_chart_finalize;
  object_class->get_property = dg_trend_chart_get_property;
  object_class->set_property = dg_trend_chart_set_property;

  widget_class->snapshot = dg_trend_chart_snapshot;
  widget_class->measure = dg_trend_chart_measure;
  widget_class->query_tooltip = dg_trend_chart_query_tooltip;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DG_TYPE_MONTH_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
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
  return self->report;
}

void
dg_trend_chart_set_report (DgTrendChart  *self,
                           DgMonthReport *report)
{
  g_return_if_fail (DG_IS_TREND_CHART (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (g_set_object (&self->report, report))
    {
      update_series (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
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
