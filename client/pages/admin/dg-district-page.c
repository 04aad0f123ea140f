/* dg-district-page.c
 *
 * The lists are the local store's: reference data arrives with every pull, and an edit is a
 * record like a check, saved here and pushed by the outbox, so the page works offline and shows
 * each row's way to the server (pending, or refused in the server's words). Units are listed as
 * their tree, depth first, each level indented. A rule series shows the value in force today
 * (common/'s rule set decides, as it does for the reports) and the changes to come.
 */

#define G_LOG_DOMAIN "dg-district-page"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-district-page.h"
#include "dg-reference-dialog.h"
#include "dg-store-reader.h"
#include "dg-utils.h"

#define UNIT_INDENT_PX 18

/* The kinds in the order of the stack's pages. */
static const struct
{
  DgRecordType type;
  const char  *page;
} kinds[] = {
  { DG_RECORD_UNIT, "units" },
  { DG_RECORD_ROAD, "roads" },
  { DG_RECORD_GRID_CELL, "cells" },
  { DG_RECORD_RULE, "rules" },
};

/* What one read of the store gives: the entries of each kind (DgStoreEntry *). */
typedef struct
{
  GPtrArray *entries[G_N_ELEMENTS (kinds)];
} DistrictData;

struct _DgDistrictPage
{
  GtkBox          parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListBox     *units_list;
  GtkListBox     *roads_list;
  GtkListBox     *cells_list;
  GtkListBox     *rules_list;

  DgLocalStore   *store;
  DgStoreReader  *reader;
  DistrictData   *data;
  GPtrArray      *units;        /* DgUnit *, decoded from data */
  GtkWindow      *dialog;       /* weak */
  gboolean        stale;
};

G_DEFINE_FINAL_TYPE (DgDistrictPage, dg_district_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
district_data_free (DistrictData *data)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_clear_pointer (&data->entries[i], g_ptr_array_unref);
  g_free (data);
}

static guint
kind_index (DgRecordType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].type == type)
      return i;
  g_return_val_if_reached (0);
}

static GtkListBox *
list_of (DgDistrictPage *self,
         DgRecordType    type)
{
  switch (type)
    {
    case DG_RECORD_UNIT: return self->units_list;
    case DG_RECORD_ROAD: return self->roads_list;
    case DG_RECORD_GRID_CELL: return self->cells_list;
    case DG_RECORD_RULE: return self->rules_list;
    case DG_RECORD_ROAD_CHECK:
    case DG_RECORD_DUSTFALL_SAMPLE:
    case DG_RECORD_RECTIFICATION:
    case DG_N_RECORD_TYPES:
    default: g_return_val_if_reached (NULL);
    }
}

/* ---- Reading ---- */

/* By name or code (or a rule's date), then id: the store lists the newest first. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const DgStoreEntry *ea = *(const DgStoreEntry **) a;
  const DgStoreEntry *eb = *(const DgStoreEntry **) b;
  int by_key = g_strcmp0 (ea->sort_key, eb->sort_key);

  return by_key != 0 ? by_key : g_strcmp0 (ea->id, eb->id);
}

/* On a worker thread. */
static gpointer
load_func (DgLocalStore  *store,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  DistrictData *data = g_new0 (DistrictData, 1);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      data->entries[i] = dg_local_store_list_entries (store, kinds[i].type);
      g_ptr_array_sort (data->entries[i], compare_entries);
    }
  return data;
}

static const char *
unit_label (DgDistrictPage *self,
            const char     *unit_id)
{
  for (guint i = 0; unit_id != NULL && self->units != NULL && i < self->units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (self->units, i);

      if (g_strcmp0 (unit->id, unit_id) == 0)
        return unit->name;
    }
  return NULL;
}

/* "Pending" or "Rejected by the server: …" for a row not synced; NULL when it is. */
static char *
describe_status (const DgStoreEntry *entry)
{
  char *message = dg_entry_status_message (entry);

  if (message != NULL)
    return message;
  if (entry->status == DG_SYNC_STATUS_PENDING || entry->status == DG_SYNC_STATUS_CONFLICT)
    return g_strdup (dg_sync_status_label (entry->status));
  return NULL;
}

/* @parts (char *, NULL ones skipped) joined as one subtitle. */
static char *
join_parts (GPtrArray *parts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);

      if (part == NULL || part[0] == '\0')
        continue;
      if (text->len > 0)
        /* Translators: the separator of a row's facts. */
        g_string_append (text, _(" · "));
      g_string_append (text, part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
row_activated_cb (AdwActionRow   *row,
                  DgDistrictPage *self);

static GtkWidget *
add_row (DgDistrictPage     *self,
         GtkListBox         *list,
         const DgStoreEntry *entry,
         const char         *title,
         const char         *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *haystack = g_utf8_casefold (subtitle ? subtitle : "", -1);
  g_autofree char *title_key = g_utf8_casefold (title, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL && subtitle[0] != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle ? subtitle : "", -1);
  if (entry != NULL && entry->status == DG_SYNC_STATUS_REJECTED)
    gtk_widget_add_css_class (row, "error");
  g_object_set_data (G_OBJECT (row), "dg-entry", (gpointer) entry);
  g_object_set_data_full (G_OBJECT (row), "dg-haystack",
                          g_strconcat (title_key, "\n", haystack, NULL), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, 0);
  gtk_list_box_append (list, row);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Units depth first under @parent_id (NULL: the top), each level indented. Units whose parent
 * is not among them are shown at the top, so that none is lost. */
static void
fill_units_under (DgDistrictPage *self,
                  GPtrArray      *entries,
                  GHashTable     *shown,
                  const char     *parent_id,
                  guint           depth)
{
  for (guint i = 0; i < self->units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (self->units, i);
      const DgStoreEntry *entry = NULL;
      gboolean top = unit->parent_id == NULL || unit_label (self, unit->parent_id) == NULL;
      g_autofree char *title = NULL;
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *indent;

      if (g_hash_table_contains (shown, unit->id) ||
          (parent_id == NULL ? !top : g_strcmp0 (unit->parent_id, parent_id) != 0))
        continue;
      g_hash_table_add (shown, unit->id);

      for (guint j = 0; j < entries->len && entry == NULL; j++)
        if (g_str_equal (((DgStoreEntry *) g_ptr_array_index (entries, j))->id, unit->id))
          entry = g_ptr_array_index (entries, j);

      title = g_strdup_printf ("%s %s", unit->code, unit->name);
      if (unit->parent_id != NULL)
        /* Translators: the unit a unit belongs to. */
        g_ptr_array_add (parts, g_strdup_printf (_("under %s"),
                                                 unit_label (self, unit->parent_id)
                                                 ? unit_label (self, unit->parent_id) : "—"));
      g_ptr_array_add (parts, entry ? describe_status (entry) : NULL);
      subtitle = join_parts (parts);
      row = add_row (self, self->units_list, entry, title, subtitle);

      indent = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_set_size_request (indent, (int) depth * UNIT_INDENT_PX, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), indent);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (depth == 0
                                                               ? "go-home-symbolic"
                                                               : "pan-end-symbolic"));
      fill_units_under (self, entries, shown, unit->id, depth + 1);
    }
}

static void
fill_roads (DgDistrictPage *self,
            GPtrArray      *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(DgRoad) road = dg_record_data_from_json (DG_RECORD_ROAD, entry->id, entry->data,
                                                         &error);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *subtitle = NULL;

      if (road == NULL)
        continue;
      g_ptr_array_add (parts, g_strdup (dg_surface_label (road->surface)));
      g_ptr_array_add (parts, g_strdup (unit_label (self, road->unit_id)
                                        ? unit_label (self, road->unit_id) : road->unit));
      if (!isnan (road->length_km))
        {
          g_autofree char *km = dg_format_number (road->length_km, 2);

          /* Translators: a road's length. */
          g_ptr_array_add (parts, g_strdup_printf (_("%s km"), km));
        }
      g_ptr_array_add (parts, describe_status (entry));
      subtitle = join_parts (parts);
      add_row (self, self->roads_list, entry, road->name, subtitle);
    }
}

static void
fill_cells (DgDistrictPage *self,
            GPtrArray      *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(DgGridCell) cell = dg_record_data_from_json (DG_RECORD_GRID_CELL, entry->id,
                                                             entry->data, &error);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;
      double area;

      if (cell == NULL)
        continue;
      title = cell->name ? g_strdup_printf ("%s %s", cell->code, cell->name) : g_strdup (cell->code);
      g_ptr_array_add (parts, g_strdup (unit_label (self, cell->unit_id)
                                        ? unit_label (self, cell->unit_id) : cell->unit));
      if (cell->row >= 0 && cell->col >= 0)
        /* Translators: a grid cell's place on the district map. */
        g_ptr_array_add (parts, g_strdup_printf (_("row %d, column %d"), cell->row, cell->col));
      area = dg_grid_cell_area_km2 (cell);
      if (!isnan (area))
        {
          g_autofree char *km2 = dg_format_number (area, 2);

          g_ptr_array_add (parts, g_strdup_printf (_("%s km²"), km2));
        }
      g_ptr_array_add (parts, describe_status (entry));
      subtitle = join_parts (parts);
      add_row (self, self->cells_list, entry, title, subtitle);
    }
}

static double
value_in_force (const DgRuleSet *set,
                guint            series,
                const char      *date)
{
  DgRuleKind kind;
  DgSurface surface;

  dg_rule_series_get (series, &kind, &surface);
  switch (kind)
    {
    case DG_RULE_LIMIT: return dg_rule_set_limit (set, surface, date);
    case DG_RULE_CAP: return dg_rule_set_cap (set, date);
    case DG_RULE_QUOTA_ROADS: return dg_rule_set_quota_roads (set, date);
    case DG_RULE_QUOTA_POINTS: return dg_rule_set_quota_points (set, date);
    case DG_RULE_MIN_SPACING: return dg_rule_set_min_spacing_m (set, date);
    case DG_N_RULE_KINDS:
    default: g_return_val_if_reached (NAN);
    }
}

static int
compare_rules_by_date (gconstpointer a,
                       gconstpointer b)
{
  const DgRule *ra = *(const DgRule **) a;
  const DgRule *rb = *(const DgRule **) b;
  int by_date = g_strcmp0 (ra->effective_from, rb->effective_from);

  return by_date != 0 ? by_date : g_strcmp0 (ra->id, rb->id);
}

/* Per series a heading row, in force today and the changes to come, then every rule of it by
 * date, indented, each opening its editor. (Not an AdwExpanderRow: a rule to come must be seen
 * without opening anything.) */
static void
fill_rules (DgDistrictPage *self,
            GPtrArray      *entries)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_rule_free);
  g_autoptr(DgRuleSet) set = dg_rule_set_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      const DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      DgRule *rule = dg_record_data_from_json (DG_RECORD_RULE, entry->id, entry->data, &error);

      if (rule == NULL)
        continue;
      g_ptr_array_add (rules, rule);
      dg_rule_set_add (set, rule);
    }
  g_ptr_array_sort (rules, compare_rules_by_date);

  for (guint series = 0; series < DG_N_RULE_SERIES; series++)
    {
      GtkWidget *heading = adw_action_row_new ();
      g_autofree char *in_force = dg_rule_series_format_value (series,
                                                               value_in_force (set, series, today));
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *haystack = NULL;

      /* Translators: the value of a rule in force today. */
      g_ptr_array_add (parts, g_strdup_printf (_("today %s"), in_force));
      for (guint i = 0; i < rules->len; i++)
        {
          const DgRule *rule = g_ptr_array_index (rules, i);
          const DgStoreEntry *entry = NULL;
          g_autofree char *value = NULL;
          g_autofree char *title = NULL;
          g_autofree char *status = NULL;
          gboolean upcoming;
          GtkWidget *row;
          GtkWidget *indent;

          if (dg_rule_series_of (rule) != series)
            continue;
          for (guint j = 0; j < entries->len && entry == NULL; j++)
            if (g_str_equal (((DgStoreEntry *) g_ptr_array_index (entries, j))->id, rule->id))
              entry = g_ptr_array_index (entries, j);
          value = dg_rule_series_format_value (series, rule->value);
          upcoming = g_strcmp0 (rule->effective_from, today) > 0;
          if (upcoming)
            /* Translators: a change of a rule to come: "from 2027-01-01: 4.0 g/m²". */
            g_ptr_array_add (parts, g_strdup_printf (_("from %s: %s"), rule->effective_from,
                                                     value));
          /* Translators: one rule of a series: "2027-01-01: 4.0 g/m²". */
          title = g_strdup_printf (_("%s: %s"), rule->effective_from, value);
          status = entry ? describe_status (entry) : NULL;
          row = add_row (self, self->rules_list, entry, title,
                         status ? status : upcoming ? _("to come") : NULL);
          indent = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
          gtk_widget_set_size_request (indent, UNIT_INDENT_PX, -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), indent);
          g_ptr_array_add (rows, row);
        }
      subtitle = join_parts (parts);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (heading),
                                     dg_rule_series_label (series));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (heading), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (heading), FALSE);
      gtk_widget_add_css_class (heading, "property");
      gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      dg_rule_series_label (series),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
      /* The series is found by its name or values, and its rules with it. */
      haystack = g_utf8_casefold (dg_rule_series_label (series), -1);
      g_object_set_data_full (G_OBJECT (heading), "dg-haystack",
                              g_strconcat (haystack, "\n", subtitle, NULL), g_free);
      for (guint i = 0; i < rows->len; i++)
        g_object_set_data_full (G_OBJECT (g_ptr_array_index (rows, i)), "dg-haystack",
                                g_strconcat (haystack, "\n", subtitle, NULL), g_free);
      /* Before its rules, which add_row() appended already. */
      gtk_list_box_insert (self->rules_list, heading,
                           rows->len > 0
                           ? gtk_list_box_row_get_index (g_ptr_array_index (rows, 0))
                           : -1);
    }
}

static void
decode_units (DgDistrictPage *self,
              GPtrArray      *entries)
{
  g_clear_pointer (&self->units, g_ptr_array_unref);
  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  for (guint i = 0; i < entries->len; i++)
    {
      const DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      DgUnit *unit = dg_record_data_from_json (DG_RECORD_UNIT, entry->id, entry->data, &error);

      if (unit != NULL)
        g_ptr_array_add (self->units, unit);
    }
}

static void
loaded (gpointer      owner,
        gpointer      result,
        const GError *error)
{
  DgDistrictPage *self = DG_DISTRICT_PAGE (owner);
  DistrictData *data = result;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  if (data == NULL)
    {
      g_warning ("Reading the district's data: %s", error ? error->message : "?");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  /* The rows point into the entries: the old ones go after their rows. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    clear_list (list_of (self, kinds[i].type));
  g_clear_pointer (&self->data, district_data_free);
  self->data = data;

  decode_units (self, data->entries[kind_index (DG_RECORD_UNIT)]);
  fill_units_under (self, data->entries[kind_index (DG_RECORD_UNIT)], shown, NULL, 0);
  fill_roads (self, data->entries[kind_index (DG_RECORD_ROAD)]);
  fill_cells (self, data->entries[kind_index (DG_RECORD_GRID_CELL)]);
  fill_rules (self, data->entries[kind_index (DG_RECORD_RULE)]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
refresh (DgDistrictPage *self)
{
  self->stale = FALSE;
  if (dg_store_reader_get_store (self->reader) == NULL)
    dg_store_reader_set_store (self->reader, self->store);
  else
    dg_store_reader_refresh (self->reader);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
store_changed_cb (DgDistrictPage *self)
{
  /* A pull stores reference data in batches: a hidden page reads it once shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  refresh (self);
}

static void
dg_district_page_map (GtkWidget *widget)
{
  DgDistrictPage *self = DG_DISTRICT_PAGE (widget);

  if (self->stale && self->store != NULL)
    refresh (self);
  GTK_WIDGET_CLASS (dg_district_page_parent_class)->map (widget);
}

/* ---- Search ---- */

static gboolean
matches (GtkWidget  *row,
         const char *needle)
{
  const char *haystack = g_object_get_data (G_OBJECT (row), "dg-haystack");

  return needle[0] == '\0' || (haystack != NULL && strstr (haystack, needle) != NULL);
}

static gboolean
filter_cb (GtkListBoxRow *row,
           gpointer       user_data)
{
  DgDistrictPage *self = user_data;
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                             -1);

  return matches (GTK_WIDGET (row), needle);
}

static void
search_changed_cb (DgDistrictPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_list_box_invalidate_filter (list_of (self, kinds[i].type));
}

/* ---- Editing ---- */

static DgRecordType
shown_kind (DgDistrictPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].page, name) == 0)
      return kinds[i].type;
  return DG_RECORD_UNIT;
}

static void
dialog_saved_cb (DgDistrictPage *self)
{
  refresh (self);
}

static void
open_dialog (DgDistrictPage     *self,
             DgRecordType        type,
             const DgStoreEntry *entry)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->store == NULL || self->dialog != NULL)
    return;
  self->dialog = GTK_WINDOW (dg_reference_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                      self->store, type, entry, self->units));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  g_signal_connect_object (self->dialog, "saved", G_CALLBACK (dialog_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (self->dialog);
}

static void
row_activated_cb (AdwActionRow   *row,
                  DgDistrictPage *self)
{
  const DgStoreEntry *entry = g_object_get_data (G_OBJECT (row), "dg-entry");

  if (entry != NULL)
    open_dialog (self, entry->type, entry);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DgDistrictPage *self = DG_DISTRICT_PAGE (widget);

  open_dialog (self, shown_kind (self), NULL);
}

/* ---- The object ---- */

static void
dg_district_page_dispose (GObject *object)
{
  DgDistrictPage *self = (DgDistrictPage *)object;

  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (self->dialog);
      self->dialog = NULL;
    }
  /* A read in flight ends without touching the page. */
  g_clear_object (&self->reader);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_DISTRICT_PAGE);

  G_OBJECT_CLASS (dg_district_page_parent_class)->dispose (object);
}

static void
dg_district_page_finalize (GObject *object)
{
  DgDistrictPage *self = (DgDistrictPage *)object;

  g_clear_pointer (&self->data, district_data_free);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (dg_district_page_parent_class)->finalize (object);
}

static void
dg_district_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DgDistrictPage *self = DG_DISTRICT_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, dg_district_page_get_loading (self));
      break;
    case PROP_KIND:
      g_value_set_string (value, gtk_stack_get_visible_child_name (self->stack));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_district_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DgDistrictPage *self = DG_DISTRICT_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      if (g_strcmp0 (g_value_get_string (value), gtk_stack_get_visible_child_name (self->stack)))
        {
          gtk_stack_set_visible_child_name (self->stack, g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_district_page_class_init (DgDistrictPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_district_page_dispose;
  object_class->finalize = dg_district_page_finalize;
  object_class->get_property = dg_district_page_get_property;
  object_class->set_property = dg_district_page_set_property;
  widget_class->map = dg_district_page_map;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The list shown, by its page's name: what the row of toggles above the lists sets (a stack
   * switcher asks for the width of four equal buttons of its widest title, too much at 360 px). */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "units",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-district-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, units_list);
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, roads_list);
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, cells_list);
  gtk_widget_class_bind_template_child (widget_class, DgDistrictPage, rules_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "district.add", NULL, add_action);
  gtk_widget_class_install_property_action (widget_class, "district.kind", "kind");
}

static void
dg_district_page_init (DgDistrictPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reader = dg_store_reader_new (load_func, NULL, (GDestroyNotify) district_data_free,
                                      loaded, self, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_list_box_set_filter_func (list_of (self, kinds[i].type), filter_cb, self, NULL);
  dg_list_box_set_placeholder_text (self->units_list, _("No units yet"));
  dg_list_box_set_placeholder_text (self->roads_list, _("No roads yet"));
  dg_list_box_set_placeholder_text (self->cells_list, _("No grid cells yet"));
}

GtkWidget *
dg_district_page_new (void)
{
  return g_object_new (DG_TYPE_DISTRICT_PAGE, NULL);
}

void
dg_district_page_set_store (DgDistrictPage *self,
                            DgLocalStore   *store)
{
  g_return_if_fail (DG_IS_DISTRICT_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  dg_store_reader_set_store (self->reader, NULL);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  store_changed_cb (self);
}

void
dg_district_page_show_kind (DgDistrictPage *self,
                            DgRecordType    type)
{
  g_return_if_fail (DG_IS_DISTRICT_PAGE (self));
  g_object_set (self, "kind", kinds[kind_index (type)].page, NULL);
}

gboolean
dg_district_page_get_loading (DgDistrictPage *self)
{
  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), FALSE);
  return self->stale || dg_store_reader_get_loading (self->reader);
}

GtkListBox *
dg_district_page_get_list (DgDistrictPage *self,
                           DgRecordType    type)
{
  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), NULL);
  return list_of (self, type);
}

/* The rows of @type's list the search lets through, in order. */
static GPtrArray *
list_rows (DgDistrictPage *self,
           DgRecordType    type)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkListBox *list = list_of (self, type);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (row)))
      g_ptr_array_add (rows, row);
  return rows;
}

char *
dg_district_page_dup_titles (DgDistrictPage *self,
                             DgRecordType    type)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) titles = g_string_new (NULL);

  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), NULL);

  rows = list_rows (self, type);
  for (guint i = 0; i < rows->len; i++)
    {
      if (i > 0)
        g_string_append_c (titles, '|');
      g_string_append (titles, adw_preferences_row_get_title (g_ptr_array_index (rows, i)));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static GtkWidget *
find_row (DgDistrictPage *self,
          DgRecordType    type,
          const char     *title)
{
  g_autoptr(GPtrArray) rows = list_rows (self, type);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

char *
dg_district_page_dup_subtitle (DgDistrictPage *self,
                               DgRecordType    type,
                               const char     *title)
{
  GtkWidget *row;

  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), NULL);

  row = find_row (self, type, title);
  if (ADW_IS_ACTION_ROW (row))
    return g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return NULL;
}

gboolean
dg_district_page_activate (DgDistrictPage *self,
                           DgRecordType    type,
                           const char     *title)
{
  GtkWidget *row;

  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), FALSE);

  row = find_row (self, type, title);
  if (!ADW_IS_ACTION_ROW (row))
    return FALSE;
  adw_action_row_activate (ADW_ACTION_ROW (row));
  return TRUE;
}

GtkWindow *
dg_district_page_get_dialog (DgDistrictPage *self)
{
  g_return_val_if_fail (DG_IS_DISTRICT_PAGE (self), NULL);
  return self->dialog;
}
