/* dg-roads-tab.c
 *
 * The figures are common/'s (DgRoadRow, built by DgMonthReport); this tab only formats them.
 */

#define G_LOG_DOMAIN "dg-roads-tab"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-office-columns.h"
#include "dg-office-item.h"
#include "dg-roads-tab.h"
#include "dg-trend.h"
#include "dg-utils.h"

typedef enum
{
  ROAD_COLUMN_RANK,
  ROAD_COLUMN_NAME,
  ROAD_COLUMN_UNIT,
  ROAD_COLUMN_CHECKS,
  ROAD_COLUMN_COMPLETE,
  ROAD_COLUMN_POINTS,
  ROAD_COLUMN_MEAN,
  ROAD_COLUMN_MAIN,
  ROAD_COLUMN_SIDE,
  ROAD_COLUMN_PARK,
  ROAD_COLUMN_MAX,
  ROAD_COLUMN_OVER,
  ROAD_COLUMN_PASSED,
  N_ROAD_COLUMNS
} RoadColumn;

struct _DgRoadsTab
{
  GtkWidget       parent_instance;

  GtkColumnView  *view;
  GtkDrawingArea *chart;

  GListStore     *rows;
  DgMonthReport  *report;
};

G_DEFINE_FINAL_TYPE (DgRoadsTab, dg_roads_tab, GTK_TYPE_WIDGET)

static char *
road_text (const DgRoadRow *row,
           RoadColumn       column)
{
  switch (column)
    {
    case ROAD_COLUMN_RANK:
      return row->rank > 0 ? g_strdup_printf ("%d", row->rank) : g_strdup ("—");
    case ROAD_COLUMN_NAME:
      return g_strdup (row->name);
    case ROAD_COLUMN_UNIT:
      return g_strdup (row->unit);
    case ROAD_COLUMN_CHECKS:
      return g_strdup_printf ("%u", row->checks);
    case ROAD_COLUMN_COMPLETE:
      return g_strdup_printf ("%u", row->complete);
    case ROAD_COLUMN_POINTS:
      return g_strdup_printf ("%u", row->points);
    case ROAD_COLUMN_MEAN:
      return row->has_mean ? dg_format_number (row->mean, 1) : g_strdup ("—");
    case ROAD_COLUMN_MAIN:
    case ROAD_COLUMN_SIDE:
    case ROAD_COLUMN_PARK:
      {
        DgSurface surface = DG_SURFACE_MAIN + (column - ROAD_COLUMN_MAIN);

        return row->has_means[surface] ? dg_format_number (row->means[surface], 1)
                                       : g_strdup ("—");
      }
    case ROAD_COLUMN_MAX:
      return dg_format_number (row->max, 1);
    case ROAD_COLUMN_OVER:
      return g_strdup_printf ("%u", row->points_over);
    case ROAD_COLUMN_PASSED:
      /* Translators: checks passed / checks, in the road table */
      return g_strdup_printf (_("%u / %u"), row->passed, row->checks);
    case N_ROAD_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
roads_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  DgOfficeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  RoadColumn column = dg_office_column_get_index (GTK_LIST_ITEM_FACTORY (factory));
  const DgRoadRow *row = dg_office_item_get_row (item);
  g_autofree char *text = road_text (row, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  /* Most roads have a point or a check over the limit in a month: marking whole rows would mark
   * them all, so only the figures that say so are. */
  dg_office_column_set_marks (label,
                              (column == ROAD_COLUMN_OVER && row->points_over > 0)
                              || (column == ROAD_COLUMN_PASSED && row->passed < row->checks),
                              row->points == 0);
}

static void
chart_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  DgRoadsTab *self = user_data;
  GdkRGBA color;

  if (self->report == NULL)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  dg_road_chart_draw (cr, dg_month_report_get_roads (self->report),
                      dg_month_report_get_rules (self->report), width, height);
}

static void
setup_columns (DgRoadsTab *self)
{
  static const struct
  {
    const char *title;
    gboolean    numeric;
  } columns[N_ROAD_COLUMNS] = {
    /* Translators: the road table's column headings (design 3.3) */
    { N_("Rank"), TRUE },
    { N_("Road"), FALSE },
    { N_("Responsible Unit"), FALSE },
    { N_("Checks"), TRUE },
    { N_("Complete"), TRUE },
    { N_("Points"), TRUE },
    { N_("Mean g/m²"), TRUE },
    { NULL, TRUE },
    { NULL, TRUE },
    { NULL, TRUE },
    { N_("Max Point"), TRUE },
    { N_("Points Over"), TRUE },
    { N_("Passed"), TRUE },
  };
  g_autoptr(GtkNoSelection) selection = NULL;

  self->rows = g_list_store_new (DG_TYPE_OFFICE_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      /* The surface groups' headings are the names the rest of the app gives them. */
      const char *title = columns[i].title ? _(columns[i].title)
                                           : dg_surface_label (i - ROAD_COLUMN_MAIN);

      dg_office_column_add (self->view, title, i, columns[i].numeric,
                            G_CALLBACK (roads_bind_cb));
    }
}

static void
dg_roads_tab_dispose (GObject *object)
{
  DgRoadsTab *self = (DgRoadsTab *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_ROADS_TAB);
  /* The template's root is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->rows);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_roads_tab_parent_class)->dispose (object);
}

static void
dg_roads_tab_class_init (DgRoadsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_roads_tab_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-roads-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DgRoadsTab, view);
  gtk_widget_class_bind_template_child (widget_class, DgRoadsTab, chart);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_roads_tab_init (DgRoadsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_columns (self);
  gtk_drawing_area_set_draw_func (self->chart, chart_draw_cb, self, NULL);
}

GtkWidget *
dg_roads_tab_new (void)
{
  return g_object_new (DG_TYPE_ROADS_TAB, NULL);
}

void
dg_roads_tab_set_report (DgRoadsTab    *self,
                         DgMonthReport *report)
{
  const DgRoadReport *roads;
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (DG_IS_ROADS_TAB (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (!g_set_object (&self->report, report) || report == NULL)
    return;

  roads = dg_month_report_get_roads (report);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; roads != NULL && i < roads->roads->len; i++)
    g_ptr_array_add (items, dg_office_item_new (report, g_ptr_array_index (roads->roads, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);

  /* The road chart grows with the roads, a bar each, and scrolls with the page. */
  gtk_drawing_area_set_content_height (self->chart,
                                       40 + 24 * (roads != NULL ? roads->roads->len : 0));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

GtkColumnView *
dg_roads_tab_get_view (DgRoadsTab *self)
{
  g_return_val_if_fail (DG_IS_ROADS_TAB (self), NULL);
  return self->view;
}
