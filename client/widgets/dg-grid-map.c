/* dg-grid-map.c
 *
 * The drawing and the hit test are common/'s: this widget only hands them its size and its
 * foreground colour, so the map on screen is the one in the PDF assessment.
 */

#define G_LOG_DOMAIN "dg-grid-map"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-grid-map.h"

struct _DgGridMap
{
  DgChartView parent_instance;

  int         focus_index;   /* the cell the keyboard is on, or -1 */
};

G_DEFINE_FINAL_TYPE (DgGridMap, dg_grid_map, DG_TYPE_CHART_VIEW)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const DgDustfallReport *
get_dustfall (DgGridMap *self)
{
  DgMonthReport *report = dg_chart_view_get_report (DG_CHART_VIEW (self));

  return report != NULL ? dg_month_report_get_dustfall (report) : NULL;
}

static int
cell_at (DgGridMap *self,
         double     x,
         double     y)
{
  const DgDustfallReport *dustfall = get_dustfall (self);

  if (dustfall == NULL)
    return -1;
  return dg_chart_grid_map_cell_at (dustfall, gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)), x, y);
}

static void
update_description (DgGridMap *self)
{
  const DgDustfallReport *dustfall = get_dustfall (self);
  g_autofree char *text = NULL;

  if (dustfall == NULL)
    text = g_strdup (_("No grid cells"));
  else
    /* Translators: the accessible description of the grid map */
    text = g_strdup_printf (_("%u cells, %u above the cap, %u without data"),
                            dustfall->cells->len, dustfall->n_exceeding,
                            dustfall->cells->len - dustfall->n_ranked);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static const DgCellRank *
get_cell (DgGridMap *self,
          int        index)
{
  const DgDustfallReport *dustfall = get_dustfall (self);

  if (dustfall == NULL || index < 0 || (guint) index >= dustfall->cells->len)
    return NULL;
  return g_ptr_array_index (dustfall->cells, index);
}

static char *
describe_cell (const DgCellRank *cell)
{
  if (cell->has_value)
    /* Translators: a map cell's tooltip: code, name, unit, rank, value in t/(km²·30d) */
    return g_strdup_printf (_("%s %s\n%s\nNo. %d · %.1f t/(km²·30d)"), cell->code, cell->name,
                            cell->unit, cell->rank, cell->value);
  /* Translators: a map cell's tooltip when the cell has no valid sample this month */
  return g_strdup_printf (_("%s %s\n%s\nNo data"), cell->code, cell->name, cell->unit);
}

static void
set_focus_index (DgGridMap *self,
                 int        index)
{
  const DgCellRank *cell = get_cell (self, index);

  self->focus_index = cell != NULL ? index : -1;
  /* A screen reader hears the cell the keyboard moved to. */
  if (cell != NULL)
    {
      g_autofree char *text = describe_cell (cell);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  else
    {
      update_description (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The cell at the map position next to the focused one, or the first placed cell. */
static int
neighbour (DgGridMap *self,
           int        d_row,
           int        d_col)
{
  const DgDustfallReport *dustfall = get_dustfall (self);
  const DgCellRank *from = get_cell (self, self->focus_index);

  if (dustfall == NULL)
    return -1;

  for (guint i = 0; i < dustfall->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (dustfall->cells, i);

      if (cell->row < 0 || cell->col < 0)
        continue;
      if (from == NULL)
        return (int) i;
      if (cell->row == from->row + d_row && cell->col == from->col + d_col)
        return (int) i;
    }
  return self->focus_index;
}

static gboolean
key_pressed_cb (DgGridMap             *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  const DgCellRank *cell;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      set_focus_index (self, neighbour (self, 0, -1));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      set_focus_index (self, neighbour (self, 0, 1));
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      set_focus_index (self, neighbour (self, -1, 0));
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      set_focus_index (self, neighbour (self, 1, 0));
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      self->focus_index = -1;
      set_focus_index (self, neighbour (self, 0, 0));
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      cell = get_cell (self, self->focus_index);
      if (cell == NULL)
        return FALSE;
      g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell->cell_id);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
focus_enter_cb (DgGridMap *self)
{
  if (self->focus_index < 0)
    set_focus_index (self, neighbour (self, 0, 0));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (DgGridMap       *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  int index = cell_at (self, x, y);

  if (index >= 0)
    {
      const DgCellRank *cell = g_ptr_array_index (get_dustfall (self)->cells, index);

      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      set_focus_index (self, index);
      g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell->cell_id);
    }
}

static gboolean
dg_grid_map_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  DgGridMap *self = DG_GRID_MAP (widget);
  const DgCellRank *cell;
  g_autofree char *text = NULL;
  int index = cell_at (self, x, y);

  if (index < 0)
    return FALSE;

  cell = g_ptr_array_index (get_dustfall (self)->cells, index);
  text = describe_cell (cell);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
dg_grid_map_draw (DgChartView *view,
                  cairo_t     *cr,
                  int          width,
                  int          height)
{
  DgGridMap *self = DG_GRID_MAP (view);

  /* The legend in the UI's language; the PDF assessment keeps its Chinese. */
  const DgChartWords words = {
    /* Translators: the grid map's legend; %s is a dust-fall value, 0.8 times the cap */
    .within = _("≤ %s good"),
    /* Translators: the grid map's legend; from 0.8 times the cap to the cap */
    .near = _("%s–%s near"),
    /* Translators: the grid map's legend; %s is the cap */
    .over = _("> %s over"),
    /* Translators: a cell without a dust-fall value this month (缺测) */
    .no_data = _("no data"),
  };

  dg_chart_draw_grid_map (cr, get_dustfall (self), width, height, &words);

  /* The keyboard's cell, outlined in the foreground colour over the map. */
  if (gtk_widget_has_visible_focus (GTK_WIDGET (self)) && self->focus_index >= 0)
    {
      cairo_rectangle_t rect;

      if (dg_chart_grid_map_cell_rect (get_dustfall (self), width, height, self->focus_index,
                                       &rect))
        {
          cairo_set_line_width (cr, 2.0);
          cairo_rectangle (cr, rect.x + 1.0, rect.y + 1.0, rect.width - 2.0, rect.height - 2.0);
          cairo_stroke (cr);
        }
    }
}

static void
dg_grid_map_report_changed (DgChartView *view)
{
  DgGridMap *self = DG_GRID_MAP (view);

  self->focus_index = -1;
  update_description (self);
}

static void
dg_grid_map_class_init (DgGridMapClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DgChartViewClass *chart_class = DG_CHART_VIEW_CLASS (klass);

  widget_class->query_tooltip = dg_grid_map_query_tooltip;

  chart_class->draw = dg_grid_map_draw;
  chart_class->report_changed = dg_grid_map_report_changed;
  chart_class->min_width = 240;
  chart_class->natural_width = 480;
  chart_class->min_height = 220;
  chart_class->natural_height = 400;

  /**
   * DgGridMap::cell-activated:
   * @cell_id: the id of the cell clicked, or chosen with the keyboard
   */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "dg-grid-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dg_grid_map_init (DgGridMap *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->focus_index = -1;
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  /* The arrow keys walk the map (Home: its first cell) and Enter opens a cell's trend, as a
   * click does. */
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("District grid map"),
                                  -1);
  update_description (self);
}

GtkWidget *
dg_grid_map_new (void)
{
  return g_object_new (DG_TYPE_GRID_MAP, NULL);
}

DgMonthReport *
dg_grid_map_get_report (DgGridMap *self)
{
  g_return_val_if_fail (DG_IS_GRID_MAP (self), NULL);
  return dg_chart_view_get_report (DG_CHART_VIEW (self));
}

void
dg_grid_map_set_report (DgGridMap     *self,
                        DgMonthReport *report)
{
  g_return_if_fail (DG_IS_GRID_MAP (self));
  dg_chart_view_set_report (DG_CHART_VIEW (self), report);
}

const char *
dg_grid_map_get_cell_at (DgGridMap *self,
                         double     x,
                         double     y)
{
  int index;

  g_return_val_if_fail (DG_IS_GRID_MAP (self), NULL);

  index = cell_at (self, x, y);
  if (index < 0)
    return NULL;
  return ((const DgCellRank *) g_ptr_array_index (get_dustfall (self)->cells, index))->cell_id;
}
