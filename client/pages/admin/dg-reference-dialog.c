/* dg-reference-dialog.c
 *
 * One template holds the rows of every kind; a kind shows its own. The typed values become the
 * record's data object over the one stored (members this dialog does not edit, such as a
 * cell's geometry or a road's free-text unit, are kept), and common/'s decoder checks it, as
 * the server will: a refusal names its field and marks its row before anything is saved.
 */

#define G_LOG_DOMAIN "dg-reference-dialog"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"
#include "dg-reference-dialog.h"
#include "dg-utils.h"

struct _DgReferenceDialog
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  AdwEntryRow    *code_row;
  AdwEntryRow    *name_row;
  AdwComboRow    *parent_row;
  AdwComboRow    *unit_row;
  AdwComboRow    *surface_row;
  AdwEntryRow    *length_row;
  AdwEntryRow    *map_row_row;
  AdwEntryRow    *map_col_row;
  AdwEntryRow    *area_row;
  AdwComboRow    *series_row;
  AdwEntryRow    *value_row;
  AdwEntryRow    *effective_row;
  GtkLabel       *status_label;
  GtkLabel       *error_label;

  DgLocalStore   *store;
  DgRecordType    type;
  char           *id;
  JsonObject     *data;         /* as stored, or empty for a new record */
  GPtrArray      *units;        /* DgUnit *, in the order of the unit pickers after "None" */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (DgReferenceDialog, dg_reference_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Rule series ---- */

static const struct
{
  DgRuleKind kind;
  DgSurface  surface;
} rule_series[DG_N_RULE_SERIES] = {
  { DG_RULE_LIMIT, DG_SURFACE_MAIN },
  { DG_RULE_LIMIT, DG_SURFACE_SIDE },
  { DG_RULE_LIMIT, DG_SURFACE_PARK },
  { DG_RULE_CAP, DG_SURFACE_MAIN },
  { DG_RULE_QUOTA_ROADS, DG_SURFACE_MAIN },
  { DG_RULE_QUOTA_POINTS, DG_SURFACE_MAIN },
  { DG_RULE_MIN_SPACING, DG_SURFACE_MAIN },
};

void
dg_rule_series_get (guint       series,
                    DgRuleKind *kind,
                    DgSurface  *surface)
{
  g_return_if_fail (series < DG_N_RULE_SERIES);
  *kind = rule_series[series].kind;
  *surface = rule_series[series].surface;
}

guint
dg_rule_series_of (const DgRule *rule)
{
  for (guint i = 0; i < DG_N_RULE_SERIES; i++)
    if (rule_series[i].kind == rule->kind &&
        (rule->kind != DG_RULE_LIMIT || rule_series[i].surface == rule->surface))
      return i;
  return 0;
}

const char *
dg_rule_series_label (guint series)
{
  switch (series)
    {
    case 0: return _("Limit on main roads");
    case 1: return _("Limit on sidewalks and side roads");
    case 2: return _("Limit on industrial park roads");
    case 3: return _("Dust-fall cap");
    case 4: return _("Roads to check per day");
    case 5: return _("Points that make a check complete");
    case 6: return _("Least spacing of a check's points");
    default: return "";
    }
}

char *
dg_rule_series_format_value (guint  series,
                             double value)
{
  g_autofree char *number = dg_format_number (value, rule_series[series].kind <= DG_RULE_CAP
                                                     ? 1 : 0);

  switch (rule_series[series].kind)
    {
    case DG_RULE_LIMIT:
      /* Translators: a road dust limit. */
      return g_strdup_printf (_("%s g/m²"), number);
    case DG_RULE_CAP:
      /* Translators: a dust-fall cap. */
      return g_strdup_printf (_("%s t/(km²·30 d)"), number);
    case DG_RULE_QUOTA_ROADS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s road", "%s roads",
                                           (gulong) value), number);
    case DG_RULE_QUOTA_POINTS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points",
                                           (gulong) value), number);
    case DG_RULE_MIN_SPACING:
      /* Translators: metres of chainage between two sampling points. */
      return g_strdup_printf (_("%s m"), number);
    case DG_N_RULE_KINDS:
    default:
      return g_steal_pointer (&number);
    }
}

/* ---- Errors ---- */

static GtkWidget *
row_for_field (DgReferenceDialog *self,
               const char        *field)
{
  static const struct { const char *field; gsize offset; } rows[] = {
    { "code", G_STRUCT_OFFSET (DgReferenceDialog, code_row) },
    { "name", G_STRUCT_OFFSET (DgReferenceDialog, name_row) },
    { "parent_id", G_STRUCT_OFFSET (DgReferenceDialog, parent_row) },
    { "unit_id", G_STRUCT_OFFSET (DgReferenceDialog, unit_row) },
    { "surface", G_STRUCT_OFFSET (DgReferenceDialog, surface_row) },
    { "length_km", G_STRUCT_OFFSET (DgReferenceDialog, length_row) },
    { "row", G_STRUCT_OFFSET (DgReferenceDialog, map_row_row) },
    { "col", G_STRUCT_OFFSET (DgReferenceDialog, map_col_row) },
    { "area_km2", G_STRUCT_OFFSET (DgReferenceDialog, area_row) },
    { "kind", G_STRUCT_OFFSET (DgReferenceDialog, series_row) },
    { "value", G_STRUCT_OFFSET (DgReferenceDialog, value_row) },
    { "effective_from", G_STRUCT_OFFSET (DgReferenceDialog, effective_row) },
  };

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (field, rows[i].field))
      {
        /* A rule's surface is part of its series. */
        if (self->type == DG_RECORD_RULE && g_str_equal (field, "surface"))
          return GTK_WIDGET (self->series_row);
        return G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);
      }
  return NULL;
}

static void
show_error (DgReferenceDialog *self,
            const char        *field,
            const char        *text)
{
  GtkWidget *marked = row_for_field (self, field);
  GtkWidget *rows[] = {
    GTK_WIDGET (self->code_row), GTK_WIDGET (self->name_row), GTK_WIDGET (self->parent_row),
    GTK_WIDGET (self->unit_row), GTK_WIDGET (self->surface_row), GTK_WIDGET (self->length_row),
    GTK_WIDGET (self->map_row_row), GTK_WIDGET (self->map_col_row), GTK_WIDGET (self->area_row),
    GTK_WIDGET (self->series_row), GTK_WIDGET (self->value_row), GTK_WIDGET (self->effective_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == marked)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (marked != NULL)
    gtk_widget_grab_focus (marked);
}

static void
show_field_error (DgReferenceDialog *self,
                  const GError      *error)
{
  g_autofree char *text = dg_describe_field_error (error);

  show_error (self, dg_error_get_field (error), text);
}

/* ---- Reading the rows ---- */

/* "" is none. */
static char *
dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_optional_string (JsonObject  *data,
                     const char  *member,
                     const char  *value)
{
  if (value != NULL)
    json_object_set_string_member (data, member, value);
  else
    json_object_remove_member (data, member);
}

/* A number typed in @row into @member; an empty optional row removes it. FALSE with the error
 * of @member when it is not a number (or, @integer, not a whole one). */
static gboolean
read_number (AdwEntryRow  *row,
             JsonObject   *data,
             const char   *member,
             gboolean      optional,
             gboolean      integer,
             GError      **error)
{
  g_autofree char *text = dup_text (row);
  double value;

  if (text == NULL && optional)
    {
      json_object_remove_member (data, member);
      return TRUE;
    }
  if (text == NULL || !dg_parse_number (text, &value) ||
      (integer && (value != floor (value) || fabs (value) > G_MAXINT)))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member,
                    integer ? "%s: a whole number is needed" : "%s: a number is needed", member);
      return FALSE;
    }
  if (integer)
    json_object_set_int_member (data, member, (gint64) value);
  else
    json_object_set_double_member (data, member, value);
  return TRUE;
}

/* The unit chosen in @row (position 0 is "None"). */
static const char *
chosen_unit (DgReferenceDialog *self,
             AdwComboRow       *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->units->len)
    return NULL;
  return ((DgUnit *) g_ptr_array_index (self->units, selected - 1))->id;
}

static gboolean
read_rows (DgReferenceDialog  *self,
           JsonObject         *data,
           GError            **error)
{
  g_autofree char *code = dup_text (self->code_row);
  g_autofree char *name = dup_text (self->name_row);
  g_autofree char *effective = dup_text (self->effective_row);

  switch (self->type)
    {
    case DG_RECORD_UNIT:
      set_optional_string (data, "code", code);
      set_optional_string (data, "name", name);
      set_optional_string (data, "parent_id", chosen_unit (self, self->parent_row));
      return TRUE;

    case DG_RECORD_ROAD:
      set_optional_string (data, "name", name);
      set_optional_string (data, "unit_id", chosen_unit (self, self->unit_row));
      json_object_set_string_member (data, "surface",
                                     dg_surface_to_string (adw_combo_row_get_selected (self->surface_row)));
      return read_number (self->length_row, data, "length_km", TRUE, FALSE, error);

    case DG_RECORD_GRID_CELL:
      set_optional_string (data, "code", code);
      set_optional_string (data, "name", name);
      set_optional_string (data, "unit_id", chosen_unit (self, self->unit_row));
      /* Row and column are optional only for a cell with a shape (design 6.4). */
      return read_number (self->map_row_row, data, "row", json_object_has_member (data, "geometry"),
                          TRUE, error) &&
             read_number (self->map_col_row, data, "col", json_object_has_member (data, "geometry"),
                          TRUE, error) &&
             read_number (self->area_row, data, "area_km2", TRUE, FALSE, error);

    case DG_RECORD_RULE:
      {
        DgRuleKind kind;
        DgSurface surface;

        dg_rule_series_get (adw_combo_row_get_selected (self->series_row), &kind, &surface);
        json_object_set_string_member (data, "kind", dg_rule_kind_to_string (kind));
        if (kind == DG_RULE_LIMIT)
          json_object_set_string_member (data, "surface", dg_surface_to_string (surface));
        else
          json_object_remove_member (data, "surface");
        set_optional_string (data, "effective_from", effective);
        return read_number (self->value_row, data, "value", FALSE, kind > DG_RULE_CAP, error);
      }

    case DG_RECORD_ROAD_CHECK:
    case DG_RECORD_DUSTFALL_SAMPLE:
    case DG_RECORD_RECTIFICATION:
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Saving ---- */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgReferenceDialog *self;

  if (!dg_local_store_save_finish (DG_LOCAL_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DG_REFERENCE_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reference.save", TRUE);
  if (error != NULL)
    {
      g_autofree char *text = dg_describe_error (error);

      show_error (self, NULL, text);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DgReferenceDialog *self = DG_REFERENCE_DIALOG (widget);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) error = NULL;
  gpointer decoded;

  /* Over a copy of what is stored: the members this dialog does not show stay as they are. */
  {
    g_autoptr(GList) members = json_object_get_members (self->data);

    for (GList *l = members; l != NULL; l = l->next)
      json_object_set_member (data, l->data,
                              json_node_copy (json_object_get_member (self->data, l->data)));
  }

  if (!read_rows (self, data, &error))
    {
      show_field_error (self, error);
      return;
    }
  decoded = dg_record_data_from_json (self->type, self->id, data, &error);
  if (decoded != NULL && self->type == DG_RECORD_UNIT)
    dg_unit_validate_among (decoded, self->units, &error);
  if (decoded != NULL)
    dg_record_data_free (self->type, decoded);
  if (error != NULL)
    {
      show_field_error (self, error);
      return;
    }

  show_error (self, NULL, NULL);
  gtk_widget_action_set_enabled (widget, "reference.save", FALSE);
  dg_local_store_save_async (self->store, self->type, self->id, data, self->cancellable,
                             saved_cb, self);
}

/* ---- Filling the rows ---- */

static const char *
data_string (JsonObject *data,
             const char *member)
{
  JsonNode *node = json_object_get_member (data, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
set_number (AdwEntryRow *row,
            JsonObject  *data,
            const char  *member)
{
  JsonNode *node = json_object_get_member (data, member);
  g_autofree char *text = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g",
                                        json_node_get_double (node)));
    }
  set_text (row, text);
}

static void
select_unit (DgReferenceDialog *self,
             AdwComboRow       *row,
             const char        *unit_id)
{
  adw_combo_row_set_selected (row, 0);
  for (guint i = 0; unit_id != NULL && i < self->units->len; i++)
    if (g_strcmp0 (((DgUnit *) g_ptr_array_index (self->units, i))->id, unit_id) == 0)
      adw_combo_row_set_selected (row, i + 1);
}

/* Units in the pickers as "code name", after "None"; a unit cannot be its own parent. */
static void
fill_unit_pickers (DgReferenceDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  /* Translators: no unit chosen. */
  gtk_string_list_append (names, C_("unit", "None"));
  for (guint i = 0; i < self->units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (self->units, i);
      g_autofree char *label = g_strdup_printf ("%s %s", unit->code, unit->name);

      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->parent_row, G_LIST_MODEL (names));
  adw_combo_row_set_model (self->unit_row, G_LIST_MODEL (names));
}

static void
show_rows_of_kind (DgReferenceDialog *self)
{
  gboolean unit = self->type == DG_RECORD_UNIT;
  gboolean road = self->type == DG_RECORD_ROAD;
  gboolean cell = self->type == DG_RECORD_GRID_CELL;
  gboolean rule = self->type == DG_RECORD_RULE;

  gtk_widget_set_visible (GTK_WIDGET (self->code_row), unit || cell);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), unit || road || cell);
  gtk_widget_set_visible (GTK_WIDGET (self->parent_row), unit);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_row), road || cell);
  gtk_widget_set_visible (GTK_WIDGET (self->surface_row), road);
  gtk_widget_set_visible (GTK_WIDGET (self->length_row), road);
  gtk_widget_set_visible (GTK_WIDGET (self->map_row_row), cell);
  gtk_widget_set_visible (GTK_WIDGET (self->map_col_row), cell);
  gtk_widget_set_visible (GTK_WIDGET (self->area_row), cell);
  gtk_widget_set_visible (GTK_WIDGET (self->series_row), rule);
  gtk_widget_set_visible (GTK_WIDGET (self->value_row), rule);
  gtk_widget_set_visible (GTK_WIDGET (self->effective_row), rule);
}

static const char *
new_title (DgRecordType type)
{
  switch (type)
    {
    case DG_RECORD_UNIT: return _("Add Unit");
    case DG_RECORD_ROAD: return _("Add Road");
    case DG_RECORD_GRID_CELL: return _("Add Grid Cell");
    case DG_RECORD_RULE: return _("Add Rule");
    case DG_RECORD_ROAD_CHECK:
    case DG_RECORD_DUSTFALL_SAMPLE:
    case DG_RECORD_RECTIFICATION:
    case DG_N_RECORD_TYPES:
    default: return "";
    }
}

static void
fill_rows (DgReferenceDialog *self)
{
  JsonObject *data = self->data;
  const char *surface = data_string (data, "surface");
  DgSurface road_surface = DG_SURFACE_MAIN;

  set_text (self->code_row, data_string (data, "code"));
  set_text (self->name_row, data_string (data, "name"));
  select_unit (self, self->parent_row, data_string (data, "parent_id"));
  select_unit (self, self->unit_row, data_string (data, "unit_id"));
  if (surface != NULL)
    dg_surface_from_string (surface, &road_surface);
  adw_combo_row_set_selected (self->surface_row, road_surface);
  set_number (self->length_row, data, "length_km");
  set_number (self->map_row_row, data, "row");
  set_number (self->map_col_row, data, "col");
  set_number (self->area_row, data, "area_km2");
  set_number (self->value_row, data, "value");
  set_text (self->effective_row, data_string (data, "effective_from"));

  if (self->type == DG_RECORD_RULE && json_object_get_size (data) > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DgRule) rule = dg_record_data_from_json (DG_RECORD_RULE, self->id, data, &error);

      if (rule != NULL)
        adw_combo_row_set_selected (self->series_row, dg_rule_series_of (rule));
    }
}

/* ---- The object ---- */

static void
dg_reference_dialog_dispose (GObject *object)
{
  DgReferenceDialog *self = (DgReferenceDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_REFERENCE_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_reference_dialog_parent_class)->dispose (object);
}

static void
dg_reference_dialog_finalize (GObject *object)
{
  DgReferenceDialog *self = (DgReferenceDialog *)object;

  g_free (self->id);
  g_clear_pointer (&self->data, json_object_unref);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (dg_reference_dialog_parent_class)->finalize (object);
}

static void
dg_reference_dialog_class_init (DgReferenceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_reference_dialog_dispose;
  object_class->finalize = dg_reference_dialog_finalize;

  /**
   * DgReferenceDialog::saved:
   *
   * The record is in the local store and its outbox.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-reference-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, parent_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, surface_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, length_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, map_row_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, map_col_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, area_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, series_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, value_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, effective_row);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DgReferenceDialog, error_label);

  gtk_widget_class_install_action (widget_class, "reference.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dg_reference_dialog_init (DgReferenceDialog *self)
{
  g_autoptr(GtkStringList) surfaces = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) series = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* In DgSurface's order: the selected position is the surface. */
  for (DgSurface surface = 0; surface < DG_N_SURFACES; surface++)
    gtk_string_list_append (surfaces, dg_surface_label (surface));
  adw_combo_row_set_model (self->surface_row, G_LIST_MODEL (surfaces));
  for (guint i = 0; i < DG_N_RULE_SERIES; i++)
    gtk_string_list_append (series, dg_rule_series_label (i));
  adw_combo_row_set_model (self->series_row, G_LIST_MODEL (series));
}

DgReferenceDialog *
dg_reference_dialog_new (GtkWindow          *parent,
                         DgLocalStore       *store,
                         DgRecordType        type,
                         const DgStoreEntry *entry,
                         GPtrArray          *units)
{
  DgReferenceDialog *self;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (store), NULL);
  g_return_val_if_fail (type == DG_RECORD_UNIT || type == DG_RECORD_ROAD ||
                        type == DG_RECORD_GRID_CELL || type == DG_RECORD_RULE, NULL);
  g_return_val_if_fail (entry == NULL || entry->type == type, NULL);

  self = g_object_new (DG_TYPE_REFERENCE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->type = type;
  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  for (guint i = 0; units != NULL && i < units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (units, i);

      /* Not itself as its own parent. */
      if (entry == NULL || g_strcmp0 (unit->id, entry->id) != 0 || type != DG_RECORD_UNIT)
        g_ptr_array_add (self->units, dg_unit_copy (unit));
    }
  fill_unit_pickers (self);
  show_rows_of_kind (self);

  if (entry != NULL)
    {
      g_autofree char *status = dg_entry_status_message (entry);

      self->id = g_strdup (entry->id);
      self->data = entry->data != NULL ? json_object_ref (entry->data) : json_object_new ();
      adw_window_title_set_title (self->window_title,
                                  data_string (self->data, "name")
                                  ? data_string (self->data, "name")
                                  : data_string (self->data, "code"));
      /* What the server said of the last version: its words. */
      gtk_label_set_label (self->status_label, status ? status : "");
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
    }
  else
    {
      self->id = dg_uuid_new ();
      self->data = json_object_new ();
      adw_window_title_set_title (self->window_title, new_title (type));
    }
  fill_rows (self);
  return self;
}

const char *
dg_reference_dialog_get_error (DgReferenceDialog *self)
{
  g_return_val_if_fail (DG_IS_REFERENCE_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}
