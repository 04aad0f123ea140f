/* dg-office-page.c
 *
 * Every figure on this page comes from a DgMonthReport, built off the main loop by common/'s
 * report builders over the local store; the page only formats them. Colours come from
 * common/ too: the charts draw with dg-chart.h and dg-trend.h, and the tables mark the rows
 * common/ flagged (DgCellRank.exceeds, DgRoadRow.points_over, DgQuotaDay.state).
 */

#define G_LOG_DOMAIN "dg-office-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-messages.h"
#include "dg-office-actions.h"
#include "dg-office-item.h"
#include "dg-office-page.h"
#include "dg-trend.h"
#include "dg-trend-dialog.h"
#include "dg-utils.h"

#define RELOAD_DELAY_MS 250

/* ---- The page ---- */

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

struct _DgOfficePage
{
  GtkWidget          parent_instance;

  GtkLabel          *month_label;
  GtkSpinner        *spinner;
  GtkRevealer       *progress_revealer;
  GtkProgressBar    *export_progress;
  GtkLabel          *summary_label;
  AdwViewStack      *stack;
  GtkColumnView     *ranking_view;
  DgRankingChart    *ranking_chart;
  DgGridMap         *grid_map;
  GtkColumnView     *roads_view;
  GtkDrawingArea    *roads_chart;
  GtkLabel          *quota_label;
  GtkGrid           *quota_grid;
  GtkListBox        *records_list;

  GListStore        *ranking_store;
  GListStore        *roads_store;

  DgLocalStore      *store;
  DgSyncEngine      *engine;
  char              *month;
  DgMonthReport     *report;
  gboolean           loading;
  GCancellable      *load_cancellable;
  GCancellable      *cancellable;      /* server calls and exports; cancelled in dispose */
  guint              reload_id;
  gboolean           stale;            /* the store or the month changed while hidden */

  gboolean           can_return;       /* the session is the office's */

  GtkNativeDialog   *chooser;
  DgAssessmentFormat export_format;
  gboolean           exporting;
};

G_DEFINE_FINAL_TYPE (DgOfficePage, dg_office_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONTH,
  PROP_LOADING,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (DgOfficePage *self);

/* ---- Helpers ---- */

static void
show_toast (DgOfficePage *self,
            const char   *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_debug ("%s", text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static GtkWindow *
get_window (DgOfficePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static char *
format1 (double value)
{
  return dg_format_number (value, 1);
}

static char *
format_signed (gboolean    has,
               double      value,
               const char *suffix)
{
  if (!has)
    return g_strdup ("—");
  return g_strdup_printf ("%+.1f%s", value + 0.0, suffix);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

static char *
ranking_text (const DgDustfallReport *dustfall,
              const DgCellRank       *cell,
              DgOfficeColumn          column)
{
  switch (column)
    {
    case DG_OFFICE_COLUMN_RANK:
      /* Translators: a cell without a valid sample this month (缺测), in place of its rank */
      return cell->rank > 0 ? g_strdup_printf ("%d", cell->rank) : g_strdup (_("No data"));
    case DG_OFFICE_COLUMN_CODE:
      return g_strdup (cell->code);
    case DG_OFFICE_COLUMN_NAME:
      return g_strdup (cell->name);
    case DG_OFFICE_COLUMN_UNIT:
      return g_strdup (cell->unit);
    case DG_OFFICE_COLUMN_VALUE:
      return cell->has_value ? format1 (cell->value) : g_strdup (_("No data"));
    case DG_OFFICE_COLUMN_CAP:
      return format1 (dustfall->cap);
    case DG_OFFICE_COLUMN_EXCEEDS:
      return g_strdup (cell->has_value ? yes_no (cell->exceeds) : "—");
    case DG_OFFICE_COLUMN_SITE_MAX:
      return cell->has_value ? format1 (cell->site_max) : g_strdup ("—");
    case DG_OFFICE_COLUMN_SITE_MIN:
      return cell->has_value ? format1 (cell->site_min) : g_strdup ("—");
    case DG_OFFICE_COLUMN_MOM_CHANGE:
      return format_signed (cell->has_mom, cell->mom_change, "");
    case DG_OFFICE_COLUMN_MOM_PCT:
      return format_signed (cell->has_mom, cell->mom_pct, " %");
    case DG_OFFICE_COLUMN_YOY_PCT:
      return format_signed (cell->has_yoy, cell->yoy_pct, " %");
    case DG_OFFICE_COLUMN_YTD_MEAN:
      return cell->has_ytd ? format1 (cell->ytd_mean) : g_strdup ("—");
    case DG_OFFICE_COLUMN_YTD_EXCEEDS:
      return g_strdup (cell->has_ytd ? yes_no (cell->ytd_exceeds) : "—");
    case DG_OFFICE_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

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
      return row->has_mean ? format1 (row->mean) : g_strdup ("—");
    case ROAD_COLUMN_MAIN:
    case ROAD_COLUMN_SIDE:
    case ROAD_COLUMN_PARK:
      {
        DgSurface surface = DG_SURFACE_MAIN + (column - ROAD_COLUMN_MAIN);

        return row->has_means[surface] ? format1 (row->means[surface]) : g_strdup ("—");
      }
    case ROAD_COLUMN_MAX:
      return format1 (row->max);
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
set_label_classes (GtkWidget *label,
                   gboolean   error,
                   gboolean   dim)
{
  if (error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

/* ---- Table columns ---- */

static void
column_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "dg-numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
ranking_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  DgOfficeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  DgOfficeColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "dg-column"));
  DgMonthReport *report = dg_office_item_get_report (item);
  const DgCellRank *cell = dg_office_item_get_row (item);
  g_autofree char *text = ranking_text (dg_month_report_get_dustfall (report), cell, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  /* The whole row of an exceeding cell is marked, not only its value; 缺测 rows are dimmed. */
  set_label_classes (label, cell->exceeds, !cell->has_value);
}

static void
roads_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  DgOfficeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  RoadColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "dg-column"));
  const DgRoadRow *row = dg_office_item_get_row (item);
  g_autofree char *text = road_text (row, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  /* Most roads have a point or a check over the limit in a month: marking whole rows would mark
   * them all, so only the figures that say so are. */
  set_label_classes (label,
                     (column == ROAD_COLUMN_OVER && row->points_over > 0)
                     || (column == ROAD_COLUMN_PASSED && row->passed < row->checks),
                     row->points == 0);
}

static void
add_column (GtkColumnView *view,
            const char    *title,
            int            column,
            gboolean       numeric,
            GCallback      bind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "dg-column", GINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (factory), "dg-numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (column_setup_cb), NULL);
  g_signal_connect (factory, "bind", bind, NULL);

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (view, view_column);
  g_object_unref (view_column);
}

static void
setup_ranking_view (DgOfficePage *self)
{
  static const struct
  {
    const char *title;
    gboolean    numeric;
  } columns[DG_OFFICE_N_COLUMNS] = {
    /* Translators: the ranking table's column headings (design 3.3) */
    { N_("Rank"), TRUE },
    { N_("Code"), FALSE },
    { N_("Name"), FALSE },
    { N_("Responsible Unit"), FALSE },
    { N_("Value"), TRUE },
    { N_("Cap"), TRUE },
    { N_("Exceeds"), FALSE },
    { N_("Site Max"), TRUE },
    { N_("Site Min"), TRUE },
    /* Translators: change against the previous month (环比) */
    { N_("Month Change"), TRUE },
    { N_("Month Change %"), TRUE },
    /* Translators: change against the same month a year before (同比) */
    { N_("Year Change %"), TRUE },
    /* Translators: year-to-date mean of the monthly values */
    { N_("Year-to-Date Mean"), TRUE },
    { N_("Year-to-Date Exceeds"), FALSE },
  };
  g_autoptr(GtkSingleSelection) selection = NULL;

  self->ranking_store = g_list_store_new (DG_TYPE_OFFICE_ITEM);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->ranking_store)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->ranking_view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    add_column (self->ranking_view, _(columns[i].title), i, columns[i].numeric,
                G_CALLBACK (ranking_bind_cb));
}

static void
setup_roads_view (DgOfficePage *self)
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

  self->roads_store = g_list_store_new (DG_TYPE_OFFICE_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->roads_store)));
  gtk_column_view_set_model (self->roads_view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *title = columns[i].title ? _(columns[i].title)
                                           : dg_surface_label (i - ROAD_COLUMN_MAIN);

      add_column (self->roads_view, title, i, columns[i].numeric, G_CALLBACK (roads_bind_cb));
    }
}

/* ---- Filling the views ---- */

static void
fill_summary (DgOfficePage *self)
{
  const DgDustfallReport *dustfall = dg_month_report_get_dustfall (self->report);
  g_autoptr(GString) text = g_string_new (NULL);

  if (dustfall == NULL)
    return;

  if (dustfall->has_district_mean)
    {
      g_autofree char *mean = format1 (dustfall->district_mean);

      /* Translators: the district mean of the month's dust-fall, t/(km²·30d) */
      g_string_append_printf (text, _("District mean %s"), mean);
      g_string_append (text, " · ");
    }
  {
    g_autofree char *cap = format1 (dustfall->cap);

    /* Translators: exceeding cells of all cells, and the month's cap */
    g_string_append_printf (text, _("%u of %u cells above the cap of %s"),
                            dustfall->n_exceeding, dustfall->cells->len, cap);
  }
  if (dustfall->n_ranked < dustfall->cells->len)
    {
      g_string_append (text, " · ");
      /* Translators: cells without a valid sample this month (缺测) */
      g_string_append_printf (text, _("%u without data"),
                              dustfall->cells->len - dustfall->n_ranked);
    }
  gtk_label_set_label (self->summary_label, text->str);
}

static void
fill_tables (DgOfficePage *self)
{
  const DgDustfallReport *dustfall = dg_month_report_get_dustfall (self->report);
  const DgRoadReport *roads = dg_month_report_get_roads (self->report);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; dustfall != NULL && i < dustfall->cells->len; i++)
    g_ptr_array_add (items, dg_office_item_new (self->report,
                                                g_ptr_array_index (dustfall->cells, i)));
  g_list_store_splice (self->ranking_store, 0, g_list_model_get_n_items (
                         G_LIST_MODEL (self->ranking_store)), items->pdata, items->len);

  g_ptr_array_set_size (items, 0);
  for (guint i = 0; roads != NULL && i < roads->roads->len; i++)
    g_ptr_array_add (items, dg_office_item_new (self->report,
                                                g_ptr_array_index (roads->roads, i)));
  g_list_store_splice (self->roads_store, 0, g_list_model_get_n_items (
                         G_LIST_MODEL (self->roads_store)), items->pdata, items->len);

  /* The road chart grows with the roads, a bar each, and scrolls with the page. */
  gtk_drawing_area_set_content_height (self->roads_chart,
                                       40 + 24 * (roads != NULL ? roads->roads->len : 0));
  gtk_widget_queue_draw (GTK_WIDGET (self->roads_chart));
}

static void
fill_quota (DgOfficePage *self)
{
  const DgQuotaReport *quota = dg_month_report_get_quota (self->report);
  g_autoptr(GDateTime) monday = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);  /* a Monday */
  GtkWidget *child;
  int offset = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quota_grid))))
    gtk_grid_remove (self->quota_grid, child);

  if (quota == NULL)
    return;

  {
    g_autofree char *text = NULL;

    /* Translators: days the district met its quota, of the days elapsed, and the quota */
    text = g_strdup_printf (_("Quota met on %u of %u days · %u complete roads a day"),
                            quota->days_met, quota->days_elapsed, quota->roads_required);
    gtk_label_set_label (self->quota_label, text);
  }

  for (int d = 0; d < 7; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, d);
      g_autofree char *name = g_date_time_format (day, "%a");
      GtkWidget *label = gtk_label_new (name);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (self->quota_grid, label, d, 0, 1, 1);
    }

  for (guint i = 0; i < quota->days->len; i++)
    {
      const DgQuotaDay *day = &g_array_index (quota->days, DgQuotaDay, i);
      GtkWidget *box, *number, *count;
      g_autofree char *count_text = NULL;
      g_autofree char *accessible = NULL;
      const char *mark, *state, *css;
      GDate date;

      if (!dg_date_parse (day->date, &date))
        continue;
      if (i == 0)
        offset = g_date_get_weekday (&date) - G_DATE_MONDAY;

      switch (day->state)
        {
        case DG_QUOTA_MET:
          mark = "✓", css = "success";
          /* Translators: a day of the quota calendar */
          state = _("met");
          break;
        case DG_QUOTA_SHORT:
          mark = "✗", css = "error";
          state = _("short");
          break;
        case DG_QUOTA_PENDING:
        default:
          mark = "·", css = "dim-label";
          state = _("pending");
          break;
        }

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_add_css_class (box, "card");
      number = gtk_label_new (day->date + 8);
      gtk_widget_add_css_class (number, "heading");
      count_text = g_strdup_printf ("%s %u/%u", mark, day->roads, day->required);
      count = gtk_label_new (count_text);
      gtk_widget_add_css_class (count, "caption");
      gtk_widget_add_css_class (count, "numeric");
      /* libadwaita colours labels, not boxes, by these classes; the mark says it without colour. */
      gtk_widget_add_css_class (number, css);
      gtk_widget_add_css_class (count, css);
      gtk_box_append (GTK_BOX (box), number);
      gtk_box_append (GTK_BOX (box), count);
      gtk_widget_set_margin_top (number, 4);
      gtk_widget_set_margin_bottom (count, 4);

      /* Translators: a calendar day read aloud: date, met/short/pending, roads of required */
      accessible = g_strdup_printf (_("%s: %s, %u of %u roads"), day->date, state, day->roads,
                                    day->required);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      gtk_widget_set_tooltip_text (box, accessible);
      gtk_grid_attach (self->quota_grid, box, (offset + i) % 7, 1 + (offset + i) / 7, 1, 1);
    }
}

static void return_clicked_cb (DgOfficePage *self,
                               GtkButton    *button);

static void
fill_records (DgOfficePage *self)
{
  GPtrArray *records = dg_month_report_get_records (self->report);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->records_list))))
    gtk_list_box_remove (self->records_list, child);

  for (guint i = 0; i < records->len; i++)
    {
      const DgMonthRecord *record = g_ptr_array_index (records, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Return…"));
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;

      if (record->state == DG_RECORD_STATE_RETURNED)
        /* Translators: a record's subtitle once returned: author, then the office's reason */
        subtitle = g_strdup_printf (_("%s · returned: %s"), record->subtitle,
                                    record->reason ? record->reason : "");
      else if (!record->on_server)
        /* Translators: a record not yet on the server cannot be returned */
        subtitle = g_strdup_printf (_("%s · not synced yet"), record->subtitle);
      else
        subtitle = g_strdup (record->subtitle);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), record->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, self->can_return && record->on_server
                                        && record->state == DG_RECORD_STATE_ACTIVE);
      /* Translators: the accessible name of a record's Return button */
      accessible = g_strdup_printf (_("Return %s to its inspector"), record->title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      g_object_set_data_full (G_OBJECT (button), "dg-id", g_strdup (record->id), g_free);
      g_object_set_data_full (G_OBJECT (button), "dg-title", g_strdup (record->title), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (return_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->records_list, row);
    }
}

static void
set_report (DgOfficePage  *self,
            DgMonthReport *report)
{
  if (!g_set_object (&self->report, report))
    return;

  dg_ranking_chart_set_report (self->ranking_chart, report);
  dg_grid_map_set_report (self->grid_map, report);
  gtk_label_set_label (self->summary_label, "");
  if (report != NULL)
    {
      fill_summary (self);
      fill_tables (self);
      fill_quota (self);
      fill_records (self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", report != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
set_loading (DgOfficePage *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- Loading ---- */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DgOfficePage) self = user_data;
  g_autoptr(DgMonthReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = dg_month_report_load_finish (result, &error);
  /* Cancelled: a newer load (another month, newer records) or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (report == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  /* The month may have changed while a load for it was already done: only the current one. */
  if (g_strcmp0 (dg_month_report_get_month (report), self->month) == 0)
    set_report (self, report);
}

static void
reload (DgOfficePage *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->stale = FALSE;

  if (self->store == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  dg_month_report_load_async (self->store, self->month, NULL, self->load_cancellable, load_cb,
                              g_object_ref (self));
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  DgOfficePage *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Hidden (an inspector's session never shows it), the page does not read the month: a report
 * reads every record of the store, and a sync changes it after each batch. */
static void
reload_when_shown (DgOfficePage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->stale = TRUE;
}

static void
store_changed_cb (DgOfficePage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  /* A pull stores records in bursts: build the month once they have settled. */
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* ---- Trend ---- */

static void
open_trend (DgOfficePage *self,
            const char   *cell_id)
{
  GtkWidget *dialog;

  if (self->report == NULL || cell_id == NULL)
    return;

  dialog = dg_trend_dialog_new (get_window (self), self->report, cell_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ranking_activated_cb (DgOfficePage  *self,
                      guint          position,
                      GtkColumnView *view)
{
  g_autoptr(DgOfficeItem) item = g_list_model_get_item (G_LIST_MODEL (self->ranking_store),
                                                        position);

  if (item != NULL)
    open_trend (self, ((const DgCellRank *) dg_office_item_get_row (item))->cell_id);
}

/* ---- Road chart ---- */

static void
roads_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  DgOfficePage *self = user_data;
  GdkRGBA color;

  if (self->report == NULL)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  dg_road_chart_draw (cr, dg_month_report_get_roads (self->report),
                      dg_month_report_get_rules (self->report), width, height);
}

/* ---- Server actions: close, reopen, return ---- */

/* The server lets the office close a month and return records, and an administrator close and
 * reopen one: offer only what the session's role will be allowed. */
static void
update_session_actions (DgOfficePage *self)
{
  const char *role = NULL;
  gboolean admin, office, can_return;

  if (self->engine != NULL && dg_sync_engine_get_signed_in (self->engine))
    role = dg_token_store_get_role (dg_sync_engine_get_tokens (self->engine));
  admin = g_strcmp0 (role, "admin") == 0;
  office = g_strcmp0 (role, "office") == 0;
  can_return = office;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.close-month", office || admin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.reopen-month", admin);
  if (self->can_return != can_return)
    {
      self->can_return = can_return;
      if (self->report != NULL)
        fill_records (self);
    }
}

static DgOfficeActions *
make_actions (DgOfficePage *self)
{
  if (self->engine != NULL)
    return dg_office_actions_new_for_engine (self->engine);
  return dg_office_actions_new (NULL, NULL);
}

static void
after_action (DgOfficePage *self,
              GError       *error,
              const char   *done)
{
  if (error != NULL)
    {
      g_autofree char *why = dg_describe_error (error);
      /* Translators: an office action the server refused or could not take; %s says why */
      g_autofree char *text = g_strdup_printf (_("Not done: %s"), why);

      show_toast (self, text);
      return;
    }

  show_toast (self, done);
  /* The server's new states (a returned record) reach this device with the next pull. */
  if (self->engine != NULL)
    dg_sync_engine_sync_now (self->engine);
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DgOfficePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_close_month_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  after_action (self, error, _("Month closed: its records are frozen"));
}

static void
reopen_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DgOfficePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_reopen_month_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  after_action (self, error, _("Month reopened"));
}

static void
return_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DgOfficePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_return_record_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  after_action (self, error, _("Record returned to its inspector"));
}

static void
month_response_cb (DgOfficePage     *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  g_autoptr(DgOfficeActions) actions = NULL;
  const char *month = g_object_get_data (G_OBJECT (dialog), "dg-month");

  actions = make_actions (self);
  if (g_strcmp0 (response, "close") == 0)
    dg_office_actions_close_month_async (actions, month, self->cancellable, close_done_cb,
                                         g_object_ref (self));
  else if (g_strcmp0 (response, "reopen") == 0)
    dg_office_actions_reopen_month_async (actions, month, self->cancellable, reopen_done_cb,
                                          g_object_ref (self));
}

static void
confirm_month (DgOfficePage *self,
               gboolean      close)
{
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (close)
    {
      /* Translators: %s is a month, YYYY-MM */
      heading = g_strdup_printf (_("Close %s?"), self->month);
      dialog = adw_message_dialog_new (get_window (self), heading,
                                       _("The month’s records are frozen: inspectors can no "
                                         "longer change them until an administrator reopens "
                                         "the month."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "close", _("C_lose Month"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      /* Translators: %s is a month, YYYY-MM */
      heading = g_strdup_printf (_("Reopen %s?"), self->month);
      dialog = adw_message_dialog_new (get_window (self), heading,
                                       _("Inspectors can change the month’s records again. "
                                         "Only an administrator may reopen a month."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "reopen", _("_Reopen Month"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reopen",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dg-month", g_strdup (self->month), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (month_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reason_changed_cb (AdwMessageDialog *dialog,
                   GtkEditable      *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "return", reason[0] != '\0');
}

static void
return_response_cb (DgOfficePage     *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(DgOfficeActions) actions = NULL;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "return") != 0)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (reason[0] == '\0')
    return;

  actions = make_actions (self);
  dg_office_actions_return_record_async (actions, g_object_get_data (G_OBJECT (dialog), "dg-id"),
                                         reason, self->cancellable, return_done_cb,
                                         g_object_ref (self));
}

static void
return_clicked_cb (DgOfficePage *self,
                   GtkButton    *button)
{
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;

  /* Translators: %s names the record (road and date, or cell and jar) */
  body = g_strdup_printf (_("“%s” goes back to its inspector, who sees the reason and "
                            "corrects the record."),
                          (const char *) g_object_get_data (G_OBJECT (button), "dg-title"));
  dialog = adw_message_dialog_new (get_window (self), _("Return Record?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "return", _("_Return"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "return",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "return", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "return");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for returning"), -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (reason_changed_cb), dialog,
                           G_CONNECT_SWAPPED);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  g_object_set_data_full (G_OBJECT (dialog), "dg-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "dg-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (return_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Export ---- */

typedef struct
{
  DgOfficePage       *page;
  GMainContext       *context;
  DgMonthReport      *report;
  DgAssessmentFormat  format;
  char               *path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->page);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_object (&data->report);
  g_free (data->path);
  g_free (data);
}

typedef struct
{
  DgOfficePage *page;
  double        fraction;
} ExportProgress;

static void
export_progress_free (ExportProgress *progress)
{
  g_object_unref (progress->page);
  g_free (progress);
}

static gboolean
export_progress_cb (gpointer user_data)
{
  ExportProgress *progress = user_data;

  if (progress->page->exporting)
    gtk_progress_bar_set_fraction (progress->page->export_progress, progress->fraction);
  return G_SOURCE_REMOVE;
}

/* Called in the worker thread by the writers. */
static void
export_report_progress (double   fraction,
                        gpointer user_data)
{
  ExportData *data = user_data;
  ExportProgress *progress = g_new0 (ExportProgress, 1);

  progress->page = g_object_ref (data->page);
  progress->fraction = fraction;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, export_progress_cb, progress,
                              (GDestroyNotify) export_progress_free);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;
  /* The writers borrow the reports and never change them. */
  DgAssessment assessment = {
    .district = NULL,
    .month = dg_month_report_get_month (data->report),
    .generated_at = NULL,
    .dustfall = (DgDustfallReport *) dg_month_report_get_dustfall (data->report),
    .roads = (DgRoadReport *) dg_month_report_get_roads (data->report),
    .quota = (DgQuotaReport *) dg_month_report_get_quota (data->report),
  };

  switch (data->format)
    {
    case DG_ASSESSMENT_FORMAT_XLSX:
      ok = dg_assessment_write_xlsx (&assessment, data->path, export_report_progress, data,
                                     &error);
      break;
    case DG_ASSESSMENT_FORMAT_PDF:
      ok = dg_assessment_write_pdf (&assessment, data->path, export_report_progress, data,
                                    &error);
      break;
    case DG_ASSESSMENT_FORMAT_CSV:
      ok = dg_assessment_write_csv (&assessment, DG_ASSESSMENT_SECTION_DUSTFALL, data->path,
                                    &error);
      export_report_progress (1.0, data);
      break;
    case DG_ASSESSMENT_FORMAT_JSON:
    default:
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "unsupported format");
      break;
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_thread_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  DgOfficePage *self = DG_OFFICE_PAGE (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  self->exporting = FALSE;
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", self->report != NULL);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DgOfficePage *self = DG_OFFICE_PAGE (source);
  g_autofree char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!dg_office_page_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the export failed; %s says why */
      text = g_strdup_printf (_("Could not export: %s"), error->message);
    }
  else
    {
      g_autofree char *name = g_filename_display_basename (path);

      /* Translators: %s is the exported file's name */
      text = g_strdup_printf (_("Exported “%s”"), name);
    }
  show_toast (self, text);
}

static void
chooser_response_cb (DgOfficePage    *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        dg_office_page_export_async (self, self->export_format, path, self->cancellable,
                                     export_done_cb, g_strdup (path));
      else
        show_toast (self, _("Choose a file on this computer"));
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  DgAssessmentFormat format;
  DgAssessment assessment = { 0 };

  if (self->report == NULL || self->exporting || self->chooser != NULL)
    return;
  if (!dg_assessment_format_from_string (g_variant_get_string (parameter, NULL), &format))
    return;

  assessment.month = self->month;
  name = dg_assessment_suggest_filename (&assessment, format, DG_ASSESSMENT_SECTION_DUSTFALL);

  chooser = gtk_file_chooser_native_new (_("Export the Assessment"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  switch (format)
    {
    case DG_ASSESSMENT_FORMAT_XLSX:
      gtk_file_filter_set_name (filter, _("Excel Workbooks"));
      gtk_file_filter_add_suffix (filter, "xlsx");
      break;
    case DG_ASSESSMENT_FORMAT_PDF:
      gtk_file_filter_set_name (filter, _("PDF Documents"));
      gtk_file_filter_add_suffix (filter, "pdf");
      break;
    case DG_ASSESSMENT_FORMAT_CSV:
    case DG_ASSESSMENT_FORMAT_JSON:
    default:
      gtk_file_filter_set_name (filter, _("CSV Files"));
      gtk_file_filter_add_suffix (filter, "csv");
      break;
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  self->export_format = format;
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Other actions ---- */

static void
step_month (DgOfficePage *self,
            int           months)
{
  g_autofree char *month = dg_month_add (self->month, months);

  dg_office_page_set_month (self, month);
}

static void
previous_month_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  step_month (DG_OFFICE_PAGE (widget), -1);
}

static void
next_month_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  step_month (DG_OFFICE_PAGE (widget), 1);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (DG_OFFICE_PAGE (widget));
}

static void
close_month_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  confirm_month (DG_OFFICE_PAGE (widget), TRUE);
}

static void
reopen_month_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  confirm_month (DG_OFFICE_PAGE (widget), FALSE);
}

/* ---- GObject ---- */

static void
dg_office_page_map (GtkWidget *widget)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);

  GTK_WIDGET_CLASS (dg_office_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
dg_office_page_dispose (GObject *object)
{
  DgOfficePage *self = (DgOfficePage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_OFFICE_PAGE);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->ranking_store);
  g_clear_object (&self->roads_store);
  g_clear_object (&self->report);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_office_page_parent_class)->dispose (object);
}

static void
dg_office_page_finalize (GObject *object)
{
  DgOfficePage *self = (DgOfficePage *)object;

  g_clear_pointer (&self->month, g_free);

  G_OBJECT_CLASS (dg_office_page_parent_class)->finalize (object);
}

static void
dg_office_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DgOfficePage *self = DG_OFFICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      g_value_set_string (value, self->month);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DgOfficePage *self = DG_OFFICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      dg_office_page_set_month (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_page_class_init (DgOfficePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_office_page_dispose;
  object_class->finalize = dg_office_page_finalize;
  object_class->get_property = dg_office_page_get_property;
  object_class->set_property = dg_office_page_set_property;

  widget_class->map = dg_office_page_map;

  properties[PROP_MONTH] =
    g_param_spec_string ("month", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DG_TYPE_MONTH_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DG_TYPE_RANKING_CHART);
  g_type_ensure (DG_TYPE_GRID_MAP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-office-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, month_label);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, stack);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, ranking_view);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, ranking_chart);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, grid_map);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, roads_view);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, roads_chart);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, quota_label);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, quota_grid);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, records_list);

  gtk_widget_class_install_action (widget_class, "office.previous-month", NULL,
                                   previous_month_action);
  gtk_widget_class_install_action (widget_class, "office.next-month", NULL, next_month_action);
  gtk_widget_class_install_action (widget_class, "office.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "office.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "office.close-month", NULL,
                                   close_month_action);
  gtk_widget_class_install_action (widget_class, "office.reopen-month", NULL,
                                   reopen_month_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_office_page_init (DgOfficePage *self)
{
  g_autofree char *today = dg_date_today ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->month = dg_date_month (today);
  gtk_label_set_label (self->month_label, self->month);

  setup_ranking_view (self);
  setup_roads_view (self);
  gtk_drawing_area_set_draw_func (self->roads_chart, roads_draw_cb, self, NULL);

  g_signal_connect_swapped (self->ranking_view, "activate", G_CALLBACK (ranking_activated_cb),
                            self);
  g_signal_connect_swapped (self->ranking_chart, "cell-activated", G_CALLBACK (open_trend),
                            self);
  g_signal_connect_swapped (self->grid_map, "cell-activated", G_CALLBACK (open_trend), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", FALSE);
  update_session_actions (self);
}

/* ---- Public API ---- */

GtkWidget *
dg_office_page_new (void)
{
  return g_object_new (DG_TYPE_OFFICE_PAGE, NULL);
}

void
dg_office_page_set_store (DgOfficePage *self,
                          DgLocalStore *store)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (store == NULL || DG_IS_LOCAL_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  reload_when_shown (self);
}

void
dg_office_page_set_engine (DgOfficePage *self,
                           DgSyncEngine *engine)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (engine == NULL || DG_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect_object (engine, "notify::signed-in", G_CALLBACK (update_session_actions),
                             self, G_CONNECT_SWAPPED);
  update_session_actions (self);
}

const char *
dg_office_page_get_month (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->month;
}

void
dg_office_page_set_month (DgOfficePage *self,
                          const char   *month)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (dg_month_is_valid (month));

  if (g_strcmp0 (self->month, month) == 0)
    return;
  g_free (self->month);
  self->month = g_strdup (month);
  gtk_label_set_label (self->month_label, month);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH]);
  reload_when_shown (self);
}

void
dg_office_page_reload (DgOfficePage *self)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  reload (self);
}

gboolean
dg_office_page_get_loading (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), FALSE);
  return self->loading;
}

DgMonthReport *
dg_office_page_get_report (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->report;
}

char *
dg_office_page_dup_ranking_text (DgOfficePage   *self,
                                 guint           position,
                                 DgOfficeColumn  column)
{
  g_autoptr(DgOfficeItem) item = NULL;

  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  g_return_val_if_fail (column < DG_OFFICE_N_COLUMNS, NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->ranking_store), position);
  if (item == NULL)
    return NULL;
  return ranking_text (dg_month_report_get_dustfall (dg_office_item_get_report (item)),
                       dg_office_item_get_row (item), column);
}

GtkColumnView *
dg_office_page_get_ranking_view (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->ranking_view;
}

GtkColumnView *
dg_office_page_get_roads_view (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->roads_view;
}

DgRankingChart *
dg_office_page_get_ranking_chart (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->ranking_chart;
}

DgGridMap *
dg_office_page_get_grid_map (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->grid_map;
}

GtkGrid *
dg_office_page_get_quota_grid (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->quota_grid;
}

GtkListBox *
dg_office_page_get_records_list (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->records_list;
}

void
dg_office_page_export_async (DgOfficePage        *self,
                             DgAssessmentFormat   format,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  ExportData *data;

  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_office_page_export_async);

  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The month is not loaded yet"));
      return;
    }
  if (self->exporting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("An export is already running"));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->page = g_object_ref (self);
  data->context = g_main_context_ref_thread_default ();
  data->report = g_object_ref (self->report);
  data->format = format;
  data->path = g_strdup (path);

  self->exporting = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", FALSE);
  gtk_progress_bar_set_fraction (self->export_progress, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);

  /* The writers run in a worker thread; the page's state is put back on the main context
   * before the caller hears of the result. */
  thread_task = g_task_new (self, cancellable, export_thread_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, dg_office_page_export_async);
  g_task_set_task_data (thread_task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (thread_task, export_thread);
}

gboolean
dg_office_page_export_finish (DgOfficePage  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_office_page_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
