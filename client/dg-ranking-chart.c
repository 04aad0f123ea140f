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
  GtkWidget      parent_instance;

  DgMonthReport *report;
};

G_DEFINE_FINAL_TYPE (DgRankingChart, dg_ranking_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const DgDustfallReport *
get_dustfall (DgRankingChart *self)
{
  return self->report != NULL ? dg_month_report_get_dustfall (self->report) : NULL;
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
  for (guint i = 0; i < dustfall->cells->len; i++)
    {
      cairo_rectangle_t rect;

      /* The whole column above a bar counts, so short bars are easy to hit. */
      if (dg_chart_ranking_bar_rect (dustfall, width, height, i, &rect)
          && x >= rect.x && x < rect.x + rect.width && y < rect.y + rect.height)
        return (int) i;
    }
  return -1;
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
dg_ranking_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  DgRankingChart *self = DG_RANKING_CHART (widget);
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
  dg_chart_draw_ranking (cr, get_dustfall (self), width, height);
  cairo_destroy (cr);
}

static void
dg_ranking_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  /* Small enough for a 360 px phone; the chart scales to whatever it is given. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 200;
      *natural = 300;
    }
}

static void
dg_ranking_chart_dispose (GObject *object)
{
  DgRankingChart *self = (DgRankingChart *)object;

  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_ranking_chart_parent_class)->dispose (object);
}

static void
dg_ranking_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DgRankingChart *self = DG_RANKING_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_ranking_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DgRankingChart *self = DG_RANKING_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      dg_ranking_chart_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_ranking_chart_class_init (DgRankingChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_ranking_chart_dispose;
  object_class->get_property = dg_ranking_chart_get_property;
  object_class->set_property = dg_ranking_chart_set_property;

  widget_class->snapshot = dg_ranking_chart_snapshot;
  widget_class->measure = dg_ranking_chart_measure;
  widget_class->query_tooltip = dg_ranking_chart_query_tooltip;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DG_TYPE_MONTH_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
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
  return self->report;
}

void
dg_ranking_chart_set_report (DgRankingChart *self,
                             DgMonthReport  *report)
{
  g_return_if_fail (DG_IS_RANKING_CHART (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (g_set_object (&self->report, report))
    {
      update_description (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
}
