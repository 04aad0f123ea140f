/* dg-records-page.c
 *
 * Lists every check (by date) and sample (by month) with where it stands: pending, synced,
 * conflict, returned with the office's reason, rejected with the server's message. A conflict is
 * resolved here by choosing a version; anything else opens in its editor.
 *
 * A year of a district's checks is tens of thousands of records: each list shows the newest
 * PAGE_SIZE and a row that shows PAGE_SIZE more, so that building the page (at start, and after
 * every batch a sync stores) costs the same whatever the store holds. A hidden page does not
 * rebuild at each change of the store, only once shown.
 *
 * The search (a road's name or a cell's code, a date or month) and the filter (returned,
 * pending, rejected, conflict) are applied on the worker thread over all the records of a kind,
 * newest first, and the page then shows the first PAGE_SIZE that match.
 *
 * The store is read on a worker thread (load_func, through a DgStoreReader) and the rows are
 * built from its snapshot on the main thread; resolving a conflict writes on a worker thread.
 */

#define G_LOG_DOMAIN "dg-records-page"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dg-records-page.h"
#include "dg-store-reader.h"
#include "dg-utils.h"

#define PAGE_SIZE 50

struct _DgRecordsPage
{
  GtkWidget     parent_instance;

  GtkSearchEntry *search_entry;
  GtkDropDown  *filter_dropdown;
  GtkListBox   *checks_list;
  GtkListBox   *samples_list;

  DgLocalStore *store;
  guint         checks_limit;
  guint         samples_limit;
  gboolean      stale;         /* the store changed while the page was hidden */
  DgStoreReader *reader;
};

G_DEFINE_FINAL_TYPE (DgRecordsPage, dg_records_page, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the lists show, as read on the worker thread. */
typedef struct
{
  guint      checks_limit;
  guint      samples_limit;
  char      *query;     /* casefolded; "" for none */
  guint      filter;    /* a DgRecordsFilter */
  GPtrArray *roads;     /* DgRoad * */
  GPtrArray *cells;     /* DgGridCell * */
  GPtrArray *checks;    /* DgStoreEntry *, up to checks_limit + 1 */
  GPtrArray *samples;   /* DgStoreEntry *, up to samples_limit + 1 */
} RecordsData;

/* In the filter dropdown's order. */
typedef enum
{
  FILTER_ALL,
  FILTER_RETURNED,
  FILTER_PENDING,
  FILTER_REJECTED,
  FILTER_CONFLICT,
} DgRecordsFilter;

static void
records_data_free (RecordsData *data)
{
  g_free (data->query);
  g_clear_pointer (&data->roads, g_ptr_array_unref);
  g_clear_pointer (&data->cells, g_ptr_array_unref);
  g_clear_pointer (&data->checks, g_ptr_array_unref);
  g_clear_pointer (&data->samples, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RecordsData, records_data_free)

static void     show_data    (DgRecordsPage  *self,
                              RecordsData    *data);
static gpointer load_func    (DgLocalStore   *store,
                              gpointer        user_data,
                              GCancellable   *cancellable,
                              GError        **error);
static gpointer prepare_load (gpointer        owner,
                              GDestroyNotify *free_func);
static GPtrArray *matching_entries (RecordsData  *data,
                                    DgRecordType  type,
                                    GPtrArray    *entries,
                                    guint         limit);
static void     search_changed_cb (DgRecordsPage *self);
static void     loaded       (gpointer        owner,
                              gpointer        result,
                              const GError   *error);

/* Rows only: the placeholder is a child of the list too, and must stay. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)))
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* A heading row above the first record of each date or month. */
static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  const char *key = g_object_get_data (G_OBJECT (row), "dg-key");
  const char *previous = before ? g_object_get_data (G_OBJECT (before), "dg-key") : NULL;
  GtkWidget *header;

  if (g_object_get_data (G_OBJECT (row), "dg-more"))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  if (before && g_strcmp0 (key, previous) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (key ? key : "");
  gtk_widget_set_halign (header, GTK_ALIGN_START);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 6);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static char *
status_text (DgStoreEntry *entry)
{
  switch (entry->status)
    {
    case DG_SYNC_STATUS_RETURNED:
      return g_strdup_printf (_("Returned: %s"), entry->reason ? entry->reason : "");
    case DG_SYNC_STATUS_REJECTED:
      return g_strdup_printf (_("Rejected: %s"), entry->message ? entry->message : "");
    case DG_SYNC_STATUS_CONFLICT:
      return g_strdup (_("Conflict: changed on the server too — choose a version"));
    case DG_SYNC_STATUS_SYNCED:
    case DG_SYNC_STATUS_PENDING:
    case DG_SYNC_STATUS_LOCAL:
    default:
      /* The badge says it all. */
      return NULL;
    }
}

static void
add_row (GtkListBox   *list,
         DgStoreEntry *entry,
         const char   *title)
{
  g_autofree char *subtitle = status_text (entry);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  badge = gtk_label_new (dg_sync_status_label (entry->status));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "caption");
  switch (entry->status)
    {
    case DG_SYNC_STATUS_CONFLICT:
    case DG_SYNC_STATUS_RETURNED:
      gtk_widget_add_css_class (badge, "warning");
      break;
    case DG_SYNC_STATUS_REJECTED:
      gtk_widget_add_css_class (badge, "error");
      break;
    case DG_SYNC_STATUS_SYNCED:
      gtk_widget_add_css_class (badge, "success");
      break;
    case DG_SYNC_STATUS_PENDING:
    case DG_SYNC_STATUS_LOCAL:
    default:
      gtk_widget_add_css_class (badge, "dim-label");
      break;
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "dg-id", g_strdup (entry->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "dg-key", g_strdup (entry->sort_key), g_free);
  g_object_set_data (G_OBJECT (row), "dg-type", GINT_TO_POINTER (entry->type));
  g_object_set_data (G_OBJECT (row), "dg-status", GINT_TO_POINTER (entry->status));
  gtk_list_box_append (list, row);
}

/* The last row of a list that holds more than it shows. */
static void
add_more_row (GtkListBox *list,
              const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_set_data (G_OBJECT (row), "dg-more", GINT_TO_POINTER (TRUE));
  gtk_list_box_append (list, row);
}

typedef struct
{
  DgRecordsPage *self;
  char          *id;
  DgRecordType   type;
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_object_unref (resolve->self);
  g_free (resolve->id);
  g_free (resolve);
}

/* The write is not cancelled with the page: the inspector's choice is kept once made, and
 * the answer only needs the store. */
static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dg_local_store_resolve_conflict_finish (DG_LOCAL_STORE (object), result, &error))
    g_warning ("Could not resolve the conflict: %s", error->message);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  Resolve *resolve = user_data;

  if ((g_str_equal (response, "mine") || g_str_equal (response, "theirs")) &&
      resolve->self->store != NULL)
    dg_local_store_resolve_conflict_async (resolve->self->store, resolve->id,
                                           g_str_equal (response, "mine"), NULL, resolved_cb,
                                           NULL);
  else if (g_str_equal (response, "open"))
    g_signal_emit (resolve->self, signals[OPEN_RECORD], 0, resolve->type, resolve->id);
}

static void
row_activated_cb (DgRecordsPage *self,
                  GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "dg-id");
  DgRecordType type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "dg-type"));
  DgSyncStatus status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "dg-status"));
  GtkWidget *dialog;
  Resolve *resolve;

  if (g_object_get_data (G_OBJECT (row), "dg-more"))
    {
      if (gtk_widget_get_parent (GTK_WIDGET (row)) == GTK_WIDGET (self->checks_list))
        self->checks_limit += PAGE_SIZE;
      else
        self->samples_limit += PAGE_SIZE;
      dg_records_page_refresh (self);
      return;
    }
  if (id == NULL)
    return;
  if (status != DG_SYNC_STATUS_CONFLICT)
    {
      g_signal_emit (self, signals[OPEN_RECORD], 0, type, id);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Resolve the Conflict?"),
                                   _("This record was changed on the server after you last "
                                     "synced, and you changed it too. Keep your version and "
                                     "send it again, or take the server’s version."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open Mine"),
                                    "theirs", _("Use _Theirs"),
                                    "mine", _("Keep _Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "mine");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  resolve = g_new0 (Resolve, 1);
  resolve->self = g_object_ref (self);
  resolve->id = g_strdup (id);
  resolve->type = type;
  g_signal_connect_data (dialog, "response", G_CALLBACK (conflict_response_cb), resolve,
                         (GClosureNotify) resolve_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
store_changed_cb (DgRecordsPage *self)
{
  /* A sync stores records in batches: rebuilding a list nobody sees after each one would only
   * hold up the main loop. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  dg_records_page_refresh (self);
}

static void
dg_records_page_map (GtkWidget *widget)
{
  DgRecordsPage *self = DG_RECORDS_PAGE (widget);

  /* The read starts as the page is shown; its rows come a moment later. */
  if (self->stale)
    dg_records_page_refresh (self);

  GTK_WIDGET_CLASS (dg_records_page_parent_class)->map (widget);
}

static void
dg_records_page_dispose (GObject *object)
{
  DgRecordsPage *self = (DgRecordsPage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_RECORDS_PAGE);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  /* A read in flight ends without touching the page. */
  g_clear_object (&self->reader);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dg_records_page_parent_class)->dispose (object);
}

static void
dg_records_page_class_init (DgRecordsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_records_page_dispose;

  widget_class->map = dg_records_page_map;

  /**
   * DgRecordsPage::open-record:
   * @type: a #DgRecordType
   * @id: the record
   */
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-records-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgRecordsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DgRecordsPage, filter_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, DgRecordsPage, checks_list);
  gtk_widget_class_bind_template_child (widget_class, DgRecordsPage, samples_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_records_page_init (DgRecordsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reader = dg_store_reader_new (load_func, prepare_load, (GDestroyNotify) records_data_free,
                                      loaded, self, FALSE);
  self->checks_limit = PAGE_SIZE;
  self->samples_limit = PAGE_SIZE;
  g_signal_connect_object (self->filter_dropdown, "notify::selected",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  dg_list_box_set_placeholder_text (self->checks_list, _("No road checks"));
  dg_list_box_set_placeholder_text (self->samples_list, _("No dust-fall samples"));

  gtk_list_box_set_header_func (self->checks_list, header_func, NULL, NULL);
  gtk_list_box_set_header_func (self->samples_list, header_func, NULL, NULL);
  g_signal_connect_swapped (self->checks_list, "row-activated",
                            G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->samples_list, "row-activated",
                            G_CALLBACK (row_activated_cb), self);
}

void
dg_records_page_set_store (DgRecordsPage *self,
                           DgLocalStore  *store)
{
  g_return_if_fail (DG_IS_RECORDS_PAGE (self));

  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  /* Not following the store: the page reads it when shown (store_changed_cb). A read of the
   * previous store is not shown. */
  dg_store_reader_set_store (self->reader, NULL);
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  /* At start the page is hidden: it reads the store once shown, not before the first frame. */
  store_changed_cb (self);
}

/* On a worker thread: one more row than shown tells whether there are more. */
static gpointer
load_func (DgLocalStore  *store,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  RecordsData *data = user_data;
  RecordsData *out = g_new0 (RecordsData, 1);

  out->checks_limit = data->checks_limit;
  out->samples_limit = data->samples_limit;
  out->query = g_strdup (data->query);
  out->filter = data->filter;
  out->roads = dg_local_store_list_roads (store);
  out->cells = dg_local_store_list_grid_cells (store);
  if (out->query[0] == '\0' && out->filter == FILTER_ALL)
    {
      out->checks = dg_local_store_list_recent (store, DG_RECORD_ROAD_CHECK,
                                                out->checks_limit + 1);
      out->samples = dg_local_store_list_recent (store, DG_RECORD_DUSTFALL_SAMPLE,
                                                 out->samples_limit + 1);
    }
  else
    {
      out->checks = matching_entries (out, DG_RECORD_ROAD_CHECK,
                                      dg_local_store_list_entries (store, DG_RECORD_ROAD_CHECK),
                                      out->checks_limit + 1);
      out->samples = matching_entries (out, DG_RECORD_DUSTFALL_SAMPLE,
                                       dg_local_store_list_entries (store,
                                                                    DG_RECORD_DUSTFALL_SAMPLE),
                                       out->samples_limit + 1);
    }
  return out;
}

static gboolean
status_matches (DgRecordsFilter     filter,
                const DgStoreEntry *entry)
{
  switch (filter)
    {
    case FILTER_RETURNED:
      return entry->state == DG_RECORD_STATE_RETURNED;
    case FILTER_PENDING:
      return entry->status == DG_SYNC_STATUS_PENDING;
    case FILTER_REJECTED:
      return entry->status == DG_SYNC_STATUS_REJECTED;
    case FILTER_CONFLICT:
      return entry->status == DG_SYNC_STATUS_CONFLICT;
    case FILTER_ALL:
    default:
      return TRUE;
    }
}

static gboolean
casefold_contains (const char *text,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

/* The name of the road of a check, or the code of the cell of a sample. */
static const char *
place_of (RecordsData        *data,
          DgRecordType        type,
          const DgStoreEntry *entry)
{
  const char *member = type == DG_RECORD_ROAD_CHECK ? "road_id" : "cell_id";
  GPtrArray *places = type == DG_RECORD_ROAD_CHECK ? data->roads : data->cells;
  const char *id;

  if (entry->data == NULL)
    return NULL;
  id = json_object_get_string_member_with_default (entry->data, member, NULL);
  for (guint i = 0; id != NULL && i < places->len; i++)
    {
      if (type == DG_RECORD_ROAD_CHECK)
        {
          const DgRoad *road = g_ptr_array_index (places, i);

          if (g_strcmp0 (road->id, id) == 0)
            return road->name;
        }
      else
        {
          const DgGridCell *cell = g_ptr_array_index (places, i);

          if (g_strcmp0 (cell->id, id) == 0)
            return cell->code;
        }
    }
  return NULL;
}

/* On a worker thread: the first @limit of @entries (taken) that pass the search and filter. */
static GPtrArray *
matching_entries (RecordsData  *data,
                  DgRecordType  type,
                  GPtrArray    *entries,
                  guint         limit)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_store_entry_free);

  for (guint i = 0; i < entries->len && out->len < limit; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);

      if (!status_matches (data->filter, entry))
        continue;
      if (data->query[0] != '\0' &&
          !casefold_contains (entry->sort_key, data->query) &&
          !casefold_contains (place_of (data, type, entry), data->query))
        continue;
      g_ptr_array_add (out, g_steal_pointer (&entries->pdata[i]));
    }
  g_ptr_array_unref (entries);
  return out;
}

static void
search_changed_cb (DgRecordsPage *self)
{
  /* A new search starts from the first page of what it finds. */
  self->checks_limit = PAGE_SIZE;
  self->samples_limit = PAGE_SIZE;
  dg_records_page_refresh (self);
}

/* On the main thread, as a read starts: how many rows to read. */
static gpointer
prepare_load (gpointer        owner,
              GDestroyNotify *free_func)
{
  DgRecordsPage *self = DG_RECORDS_PAGE (owner);
  RecordsData *data = g_new0 (RecordsData, 1);

  data->checks_limit = self->checks_limit;
  data->samples_limit = self->samples_limit;
  data->query = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  g_strstrip (data->query);
  data->filter = gtk_drop_down_get_selected (self->filter_dropdown);
  if (data->filter == GTK_INVALID_LIST_POSITION)
    data->filter = FILTER_ALL;
  *free_func = (GDestroyNotify) records_data_free;
  return data;
}

static void
loaded (gpointer      owner,
        gpointer      result,
        const GError *error)
{
  g_autoptr(RecordsData) data = result;

  if (data != NULL)
    show_data (DG_RECORDS_PAGE (owner), data);
  else
    g_warning ("Cannot read the records: %s", error->message);
}

void
dg_records_page_refresh (DgRecordsPage *self)
{
  g_return_if_fail (DG_IS_RECORDS_PAGE (self));

  if (self->store == NULL)
    return;
  self->stale = FALSE;
  /* The first time: the reader gets the store (and reads it). */
  if (dg_store_reader_get_store (self->reader) != self->store)
    dg_store_reader_set_store (self->reader, self->store);
  else
    dg_store_reader_refresh (self->reader);
}

gboolean
dg_records_page_get_loading (DgRecordsPage *self)
{
  g_return_val_if_fail (DG_IS_RECORDS_PAGE (self), FALSE);
  return self->reader != NULL && dg_store_reader_get_loading (self->reader);
}

static void
show_data (DgRecordsPage *self,
           RecordsData   *data)
{
  GPtrArray *checks = data->checks;
  GPtrArray *samples = data->samples;
  GPtrArray *roads = data->roads;
  GPtrArray *cells = data->cells;
  guint checks_limit = data->checks_limit;
  guint samples_limit = data->samples_limit;
  g_autoptr(GHashTable) road_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cell_names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < roads->len; i++)
    {
      DgRoad *road = g_ptr_array_index (roads, i);
      g_hash_table_insert (road_names, road->id, road->name);
    }
  for (guint i = 0; i < cells->len; i++)
    {
      DgGridCell *cell = g_ptr_array_index (cells, i);
      g_hash_table_insert (cell_names, cell->id, cell->code);
    }

  clear_list (self->checks_list);
  for (guint i = 0; i < MIN (checks->len, checks_limit); i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (checks, i);
      const char *road_id = NULL;
      const char *name = NULL;
      g_autofree char *title = NULL;
      guint n_points = 0;

      if (entry->data)
        {
          if (json_object_has_member (entry->data, "road_id"))
            road_id = json_object_get_string_member_with_default (entry->data, "road_id", NULL);
          if (json_object_has_member (entry->data, "points") &&
              JSON_NODE_HOLDS_ARRAY (json_object_get_member (entry->data, "points")))
            n_points = json_array_get_length (json_object_get_array_member (entry->data,
                                                                            "points"));
        }
      name = road_id ? g_hash_table_lookup (road_names, road_id) : NULL;
      /* Translators: a check in the list: road name and number of points. */
      title = g_strdup_printf (ngettext ("%s · %u point", "%s · %u points", n_points),
                               name ? name : _("Unknown road"), n_points);
      add_row (self->checks_list, entry, title);
    }
  if (checks->len > checks_limit)
    add_more_row (self->checks_list, _("Show Older Checks"));

  clear_list (self->samples_list);
  for (guint i = 0; i < MIN (samples->len, samples_limit); i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (samples, i);
      const char *cell_id = NULL;
      const char *site = NULL;
      const char *jar = NULL;
      const char *code = NULL;
      g_autofree char *title = NULL;

      if (entry->data)
        {
          cell_id = json_object_get_string_member_with_default (entry->data, "cell_id", NULL);
          site = json_object_get_string_member_with_default (entry->data, "site", "");
          jar = json_object_get_string_member_with_default (entry->data, "jar", "");
        }
      code = cell_id ? g_hash_table_lookup (cell_names, cell_id) : NULL;
      /* Translators: a dust-fall sample in the list: cell code, site, jar. */
      title = g_strdup_printf (_("%s · site %s · jar %s"), code ? code : _("Unknown cell"),
                               site ? site : "", jar ? jar : "");
      add_row (self->samples_list, entry, title);
    }
  if (samples->len > samples_limit)
    add_more_row (self->samples_list, _("Show Older Samples"));
}

GtkSearchEntry *
dg_records_page_get_search_entry (DgRecordsPage *self)
{
  g_return_val_if_fail (DG_IS_RECORDS_PAGE (self), NULL);
  return self->search_entry;
}

GtkDropDown *
dg_records_page_get_filter (DgRecordsPage *self)
{
  g_return_val_if_fail (DG_IS_RECORDS_PAGE (self), NULL);
  return self->filter_dropdown;
}

char *
dg_records_page_dup_check_titles (DgRecordsPage *self)
{
  g_autoptr(GString) titles = g_string_new (NULL);
  GtkListBoxRow *row;

  g_return_val_if_fail (DG_IS_RECORDS_PAGE (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->checks_list, i)) != NULL; i++)
    if (ADW_IS_PREFERENCES_ROW (row) && !g_object_get_data (G_OBJECT (row), "dg-more"))
      g_string_append_printf (titles, "%s%s", titles->len ? "|" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_string_free (g_steal_pointer (&titles), FALSE);
}
