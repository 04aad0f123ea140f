/* dg-today-page.c
 *
 * Returned records of any day stand at the top until their correction is synced. The quota
 * figures come from common/ (dg_quota_roads_on, the rules in force today) over the
 * checks the store holds for today.
 *
 * The page follows every change of the store, and a sync changes it after each batch of records,
 * mostly of other days: the rows are rebuilt only when what they show has changed.
 *
 * The store is read on a worker thread (load_func, through a DgStoreReader) and the rows are
 * built from its snapshot on the main thread.
 */

#define G_LOG_DOMAIN "dg-today-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dg-store-reader.h"
#include "dg-today-page.h"
#include "dg-utils.h"

struct _DgTodayPage
{
  GtkWidget              parent_instance;

  AdwPreferencesGroup   *returned_group;
  GtkListBox            *returned_list;
  AdwPreferencesGroup   *quota_group;
  GtkLabel              *quota_label;
  GtkLevelBar           *quota_bar;
  GtkListBox            *roads_list;
  GtkListBox            *checks_list;

  DgLocalStore          *store;
  guint                  complete_roads;
  guint                  n_returned;
  char                  *shown;   /* what the rows were built from: see shown_key() */
  DgStoreReader         *reader;
};

G_DEFINE_FINAL_TYPE (DgTodayPage, dg_today_page, GTK_TYPE_WIDGET)

enum {
  OPEN_CHECK,
  OPEN_RECORD,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_RETURNED,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

/* What the page shows, as read on the worker thread. */
typedef struct
{
  char       *today;
  DgRuleSet  *rules;
  GPtrArray  *roads;     /* DgRoad * */
  GPtrArray  *entries;   /* DgStoreEntry *, today's checks */
  GPtrArray  *checks;    /* DgRoadCheck *, the same decoded, author filled in */
  GPtrArray  *returned;  /* DgStoreEntry *, returned records of any day */
  GPtrArray  *cells;     /* DgGridCell *, to name a returned sample's cell */
} TodayData;

static void
today_data_free (TodayData *data)
{
  g_free (data->today);
  g_clear_pointer (&data->rules, dg_rule_set_unref);
  g_clear_pointer (&data->roads, g_ptr_array_unref);
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->checks, g_ptr_array_unref);
  g_clear_pointer (&data->returned, g_ptr_array_unref);
  g_clear_pointer (&data->cells, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TodayData, today_data_free)

static void show_data (DgTodayPage *self,
                       TodayData   *data);

/* Rows only: the placeholder is a child of the list too, and must stay. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)))
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* Everything the page shows depends on: today, the rules in force, the road names, and each of
 * today's checks as it was last written and where it stands. */
static char *
shown_key (const char *today,
           guint       roads_required,
           guint       points_required,
           GPtrArray  *roads,
           GPtrArray  *entries,
           GPtrArray  *returned)
{
  GString *key = g_string_new (today);

  g_string_append_printf (key, "|%u|%u", roads_required, points_required);
  for (guint i = 0; i < roads->len; i++)
    {
      DgRoad *road = g_ptr_array_index (roads, i);
      g_string_append_printf (key, "|%s=%s", road->id, road->name);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_string_append_printf (key, "|%s:%" G_GINT64_FORMAT ":%s:%d:%d", entry->id, entry->rev,
                              entry->updated_at ? entry->updated_at : "", entry->status,
                              entry->state);
    }
  g_string_append (key, "|returned");
  for (guint i = 0; i < returned->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (returned, i);
      g_string_append_printf (key, "|%s:%" G_GINT64_FORMAT ":%s:%d:%s", entry->id, entry->rev,
                              entry->updated_at ? entry->updated_at : "", entry->status,
                              entry->reason ? entry->reason : "");
    }
  return g_string_free (key, FALSE);
}

/* Whether the rows of @list are those of today's @entries, in order. */
static gboolean
checks_list_shows (GtkListBox *list,
                   GPtrArray  *entries,
                   const char *today)
{
  guint shown = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(DgRoadCheck) check = NULL;
      GtkListBoxRow *row;

      /* The same test as the loop that builds the rows. */
      if (g_strcmp0 (entry->sort_key, today) != 0 || entry->data == NULL)
        continue;
      check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id, entry->data, NULL);
      if (check == NULL)
        continue;
      row = gtk_list_box_get_row_at_index (list, shown++);
      if (row == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (row), "dg-id"), entry->id) != 0)
        return FALSE;
    }
  return gtk_list_box_get_row_at_index (list, shown) == NULL;
}

static void
check_activated_cb (DgTodayPage   *self,
                    GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "dg-id");

  if (id)
    g_signal_emit (self, signals[OPEN_CHECK], 0, id);
}

static void
returned_activated_cb (DgTodayPage   *self,
                       GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "dg-id");
  int type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "dg-type"));

  if (id)
    g_signal_emit (self, signals[OPEN_RECORD], 0, type, id);
}

static void
loading_cb (DgTodayPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gpointer load_func (DgLocalStore  *store,
                           gpointer       user_data,
                           GCancellable  *cancellable,
                           GError       **error);
static void     loaded    (gpointer       owner,
                           gpointer       result,
                           const GError  *error);

static void
dg_today_page_dispose (GObject *object)
{
  DgTodayPage *self = (DgTodayPage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_TODAY_PAGE);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  /* A read in flight ends without touching the page. */
  g_clear_object (&self->reader);
  g_clear_object (&self->store);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (dg_today_page_parent_class)->dispose (object);
}

static void
dg_today_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DgTodayPage *self = DG_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, dg_today_page_get_loading (self));
      break;
    case PROP_N_RETURNED:
      g_value_set_uint (value, self->n_returned);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_today_page_class_init (DgTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_today_page_dispose;
  object_class->get_property = dg_today_page_get_property;

  /**
   * DgTodayPage:loading:
   *
   * Whether a read of the store is in flight: the rows are then about to change.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DgTodayPage:n-returned:
   *
   * How many records the office returned wait for their correction to reach the server.
   */
  properties[PROP_N_RETURNED] =
    g_param_spec_uint ("n-returned", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DgTodayPage::open-check:
   * @id: the check to open
   */
  signals[OPEN_CHECK] = g_signal_new ("open-check", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DgTodayPage::open-record:
   * @type: a #DgRecordType
   * @id: the record to open (a returned one)
   */
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, returned_group);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, returned_list);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, quota_group);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, quota_label);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, quota_bar);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, roads_list);
  gtk_widget_class_bind_template_child (widget_class, DgTodayPage, checks_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_today_page_init (DgTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reader = dg_store_reader_new (load_func, NULL, (GDestroyNotify) today_data_free, loaded,
                                      self, TRUE);
  g_signal_connect_object (self->reader, "notify::loading", G_CALLBACK (loading_cb), self,
                           G_CONNECT_SWAPPED);
  dg_list_box_set_placeholder_text (self->checks_list, _("No checks yet today"));
  g_signal_connect_swapped (self->checks_list, "row-activated",
                            G_CALLBACK (check_activated_cb), self);
  g_signal_connect_swapped (self->returned_list, "row-activated",
                            G_CALLBACK (returned_activated_cb), self);
}

void
dg_today_page_set_store (DgTodayPage  *self,
                         DgLocalStore *store)
{
  g_return_if_fail (DG_IS_TODAY_PAGE (self));

  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  /* Follows the store's changes; a read of the previous store is not shown. */
  dg_store_reader_set_store (self->reader, store);
}

/* On a worker thread: everything the page shows, today's only (the store may hold a year). */
static gpointer
load_func (DgLocalStore  *store,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  TodayData *data = g_new0 (TodayData, 1);

  data->today = dg_date_today ();
  data->rules = dg_local_store_get_rules (store);
  data->roads = dg_local_store_list_roads (store);
  data->entries = dg_local_store_list_entries_on (store, DG_RECORD_ROAD_CHECK, data->today);
  data->checks = dg_local_store_list_checks_on (store, data->today);
  data->returned = dg_local_store_list_returned (store);
  data->cells = data->returned->len > 0 ? dg_local_store_list_grid_cells (store)
                                        : g_ptr_array_new ();
  return data;
}

static void
loaded (gpointer      owner,
        gpointer      result,
        const GError *error)
{
  g_autoptr(TodayData) data = result;

  if (data != NULL)
    show_data (DG_TODAY_PAGE (owner), data);
  else
    g_warning ("Cannot read today's checks: %s", error->message);
}

void
dg_today_page_refresh (DgTodayPage *self)
{
  g_return_if_fail (DG_IS_TODAY_PAGE (self));
  dg_store_reader_refresh (self->reader);
}

/* "怡光南路, 2026-12-03" or "G02 site 1 jar A, 2026-11": what the inspector knows it by. */
static char *
describe_record (TodayData          *data,
                 const DgStoreEntry *entry)
{
  if (entry->type == DG_RECORD_ROAD_CHECK)
    {
      g_autoptr(DgRoadCheck) check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id,
                                                               entry->data, NULL);

      if (check != NULL)
        /* Translators: a returned road check: road, date. */
        return g_strdup_printf (_("%s, %s"), dg_road_name (data->roads, check->road_id),
                                check->date);
    }
  else if (entry->type == DG_RECORD_DUSTFALL_SAMPLE)
    {
      g_autoptr(DgDustfallSample) sample = dg_record_data_from_json (DG_RECORD_DUSTFALL_SAMPLE,
                                                                     entry->id, entry->data,
                                                                     NULL);
      const char *code = NULL;

      for (guint i = 0; sample != NULL && i < data->cells->len && code == NULL; i++)
        if (g_strcmp0 (((DgGridCell *) g_ptr_array_index (data->cells, i))->id,
                       sample->cell_id) == 0)
          code = ((DgGridCell *) g_ptr_array_index (data->cells, i))->code;
      if (sample != NULL)
        /* Translators: a returned dust-fall sample: cell, site, jar, month. */
        return g_strdup_printf (_("%s site %s jar %c, %s"), code ? code : _("Unknown cell"),
                                sample->site, sample->jar, sample->month);
    }
  return g_strdup (entry->sort_key ? entry->sort_key : entry->id);
}

/* The records the office returned, at the top until their correction reaches the server. */
static void
show_returned (DgTodayPage *self,
               TodayData   *data)
{
  clear_list (self->returned_list);
  for (guint i = 0; i < data->returned->len; i++)
    {
      const DgStoreEntry *entry = g_ptr_array_index (data->returned, i);
      g_autofree char *title = describe_record (data, entry);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (entry->status == DG_SYNC_STATUS_PENDING)
        /* Translators: a returned record corrected on this device, not synced yet. */
        subtitle = g_strdup_printf (_("%s · corrected, waiting to sync"),
                                    entry->reason ? entry->reason : "");
      else
        subtitle = g_strdup (entry->reason ? entry->reason : _("No reason given"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
      g_object_set_data_full (G_OBJECT (row), "dg-id", g_strdup (entry->id), g_free);
      g_object_set_data (G_OBJECT (row), "dg-type", GINT_TO_POINTER (entry->type));
      gtk_list_box_append (self->returned_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->returned_group), data->returned->len > 0);
  if (self->n_returned != data->returned->len)
    {
      self->n_returned = data->returned->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RETURNED]);
    }
}

static void
show_data (DgTodayPage *self,
           TodayData   *data)
{
  const char *today = data->today;
  DgRuleSet *rules = data->rules;
  GPtrArray *roads = data->roads;
  GPtrArray *entries = data->entries;
  GPtrArray *checks = data->checks;
  g_autofree char *quota = NULL;
  g_autofree char *description = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GHashTable) best = NULL;   /* road id → most points in one check today */
  g_autoptr(GList) road_ids = NULL;
  guint roads_required, points_required;
  gboolean in_place;

  roads_required = dg_rule_set_quota_roads (rules, today);
  points_required = dg_rule_set_quota_points (rules, today);

  key = shown_key (today, roads_required, points_required, roads, entries, data->returned);
  if (g_strcmp0 (key, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&key);

  show_returned (self, data);

  self->complete_roads = dg_quota_roads_on (checks, today, rules);

  if (self->complete_roads > roads_required)
    /* Translators: the daily quota met and passed, e.g. "6 of 6 roads complete (10 checked)":
     * the second number is the quota, the third the roads complete today. */
    quota = g_strdup_printf (ngettext ("%u of %u road complete (%u checked)",
                                       "%u of %u roads complete (%u checked)", roads_required),
                             roads_required, roads_required, self->complete_roads);
  else
    /* Translators: the daily quota, e.g. "2 of 6 roads complete". */
    quota = g_strdup_printf (ngettext ("%u of %u road complete", "%u of %u roads complete",
                                       roads_required),
                             self->complete_roads, roads_required);
  gtk_label_set_label (self->quota_label, quota);
  gtk_level_bar_set_max_value (self->quota_bar, MAX (roads_required, 1));
  gtk_level_bar_set_value (self->quota_bar, MIN (self->complete_roads, roads_required));
  dg_widget_set_pass_class (GTK_WIDGET (self->quota_label),
                            self->complete_roads >= roads_required ? 1 : -1);
  description = g_strdup_printf (ngettext ("%s: a road counts once it has a check of %u point.",
                                           "%s: a road counts once it has a check of %u points.",
                                           points_required),
                                 today, points_required);
  adw_preferences_group_set_description (self->quota_group, description);

  /* Each road's progress towards a complete check. */
  best = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < checks->len; i++)
    {
      DgRoadCheck *check = g_ptr_array_index (checks, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (best, check->road_id));
      if (check->points->len >= n)
        g_hash_table_insert (best, check->road_id, GUINT_TO_POINTER (check->points->len));
    }
  clear_list (self->roads_list);
  road_ids = g_list_sort (g_hash_table_get_keys (best), (GCompareFunc) g_strcmp0);
  for (GList *l = road_ids; l; l = l->next)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (best, l->data));
      g_autofree char *points = g_strdup_printf (ngettext ("%u of %u point", "%u of %u points",
                                                           points_required),
                                                 n, points_required);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, MAX (points_required, 1));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dg_road_name (roads, l->data));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), points);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MIN (n, points_required));
      gtk_widget_set_size_request (bar, 80, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      points, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
      gtk_list_box_append (self->roads_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->roads_list), road_ids != NULL);

  /* Today's checks, with their verdict (from common/) and their way to the server. A sync
   * changes where they stand, not which they are: the rows are then updated in place, since
   * building and laying out new rows costs the main loop ten times more. */
  in_place = checks_list_shows (self->checks_list, entries, today);
  if (!in_place)
    clear_list (self->checks_list);
  for (guint i = 0, shown = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(DgRoadCheck) check = NULL;
      g_autoptr(DgCheckResult) result = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (g_strcmp0 (entry->sort_key, today) != 0 || entry->data == NULL)
        continue;
      check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id, entry->data, NULL);
      if (check == NULL)
        continue;
      result = dg_road_check_evaluate (check, rules);

      /* Translators: "6 points · Pass · Synced" */
      subtitle = g_strdup_printf (ngettext ("%u point · %s · %s", "%u points · %s · %s",
                                            check->points->len),
                                  check->points->len,
                                  result->pass ? _("Pass") : _("Fail"),
                                  dg_sync_status_label (entry->status));
      if (in_place)
        {
          row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->checks_list, shown++));
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         dg_road_name (roads, check->road_id));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          continue;
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     dg_road_name (roads, check->road_id));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "dg-id", g_strdup (entry->id), g_free);
      gtk_list_box_append (self->checks_list, row);
    }
}

gboolean
dg_today_page_get_loading (DgTodayPage *self)
{
  g_return_val_if_fail (DG_IS_TODAY_PAGE (self), FALSE);
  return self->reader != NULL && dg_store_reader_get_loading (self->reader);
}

guint
dg_today_page_get_complete_roads (DgTodayPage *self)
{
  g_return_val_if_fail (DG_IS_TODAY_PAGE (self), 0);
  return self->complete_roads;
}

guint
dg_today_page_get_n_returned (DgTodayPage *self)
{
  g_return_val_if_fail (DG_IS_TODAY_PAGE (self), 0);
  return self->n_returned;
}

GtkListBox *
dg_today_page_get_returned_list (DgTodayPage *self)
{
  g_return_val_if_fail (DG_IS_TODAY_PAGE (self), NULL);
  return self->returned_list;
}

GtkLabel *
dg_today_page_get_quota_label (DgTodayPage *self)
{
  g_return_val_if_fail (DG_IS_TODAY_PAGE (self), NULL);
  return self->quota_label;
}
