/* dg-check-editor.c
 *
 * Every keystroke rebuilds a DgRoadCheck from the rows and hands it to common/: validation for
 * the inline errors (by field path), evaluation for the loads, group means and pass colours.
 * Nothing here knows a formula or a limit.
 *
 * The roads and rules are read on a worker thread when the store is set and after each change
 * of it; a check opened or begun takes the latest read (ref_roads, ref_rules), and keeps them
 * while it is edited (roads, rules: the picker's order). A stored check is read on a worker
 * thread too (dg_check_editor_load_async()).
 *
 * What is typed is kept as a draft in the local store (DgDraftKeeper) at each edit, in the
 * editor's own shape (texts as typed), and restored when the check is opened again: a new
 * check takes the draft of the last new check never saved. Leaving with changes not saved
 * asks first (dg_editor_leave_async()).
 */

#define G_LOG_DOMAIN "dg-check-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dg-check-editor.h"
#include "dg-messages.h"
#include "dg-store-reader.h"
#include "dg-utils.h"

struct _DgCheckEditor
{
  GtkWidget       parent_instance;

  GtkButton      *back_button;
  AdwWindowTitle *window_title;
  GtkButton      *save_button;
  GtkLabel       *status_label;
  AdwActionRow   *road_row;
  GtkDropDown    *road_dropdown;
  AdwEntryRow    *date_row;
  AdwEntryRow    *weather_row;
  AdwEntryRow    *notes_row;
  GtkListBox     *points_list;
  GtkListBox     *groups_list;
  GtkLabel       *overall_label;
  GtkLabel       *error_label;

  DgLocalStore   *store;
  DgRuleSet      *rules;
  GPtrArray      *roads;       /* DgRoad *, in the order of the picker */
  DgRuleSet      *ref_rules;   /* the latest read of the store, for the next check */
  GPtrArray      *ref_roads;
  DgStoreReader  *reader;      /* reads ref_roads and ref_rules */
  GPtrArray      *rows;        /* DgPointRow *, in order */
  char           *id;
  gboolean        loading;
  gboolean        saving;
  gboolean        dirty;       /* edited since opened or saved */
  gboolean        restoring;   /* a draft is being looked for */
  char           *pristine;    /* the state opened with (dg_draft_to_string()) */
  DgDraftKeeper  *drafts;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (DgCheckEditor, dg_check_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  SAVED,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update (DgCheckEditor *self);
static DgPointRow *append_row (DgCheckEditor *self);
static void edited (DgCheckEditor *self);
static void set_pristine (DgCheckEditor *self);

static DgSurface
default_surface (DgCheckEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->road_dropdown);

  if (self->roads && selected < self->roads->len)
    return ((DgRoad *) g_ptr_array_index (self->roads, selected))->surface;
  return DG_SURFACE_MAIN;
}

static const char *
selected_road_id (DgCheckEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->road_dropdown);

  if (self->roads && selected < self->roads->len)
    return ((DgRoad *) g_ptr_array_index (self->roads, selected))->id;
  return NULL;
}

/* Puts the latest reference data read in the picker. */
static void
reload_reference (DgCheckEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean was_loading;

  g_clear_pointer (&self->roads, g_ptr_array_unref);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  if (self->store == NULL || self->ref_roads == NULL)
    return;

  self->roads = g_ptr_array_ref (self->ref_roads);
  self->rules = dg_rule_set_ref (self->ref_rules);
  for (guint i = 0; i < self->roads->len; i++)
    gtk_string_list_append (names, ((DgRoad *) g_ptr_array_index (self->roads, i))->name);

  /* Called while loading too: the caller's flag is kept. */
  was_loading = self->loading;
  self->loading = TRUE;
  gtk_drop_down_set_model (self->road_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->road_dropdown, GTK_INVALID_LIST_POSITION);
  self->loading = was_loading;
}

typedef struct
{
  GPtrArray *roads;
  DgRuleSet *rules;
} Reference;

static void
reference_free (Reference *reference)
{
  g_clear_pointer (&reference->roads, g_ptr_array_unref);
  g_clear_pointer (&reference->rules, dg_rule_set_unref);
  g_free (reference);
}

/* On a worker thread. */
static gpointer
read_reference_func (DgLocalStore  *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Reference *reference = g_new0 (Reference, 1);

  reference->roads = dg_local_store_list_roads (store);
  reference->rules = dg_local_store_get_rules (store);
  return reference;
}

static void
reference_read (gpointer      owner,
                gpointer      result,
                const GError *error)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (owner);
  Reference *reference = result;
  gboolean first = self->ref_roads == NULL;

  if (reference == NULL)
    {
      g_warning ("Cannot read the roads: %s", error->message);
      return;
    }
  g_clear_pointer (&self->ref_roads, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);
  self->ref_roads = g_steal_pointer (&reference->roads);
  self->ref_rules = g_steal_pointer (&reference->rules);
  reference_free (reference);
  /* A check begun before the first read gets its picker now. */
  if (first && !self->dirty)
    {
      reload_reference (self);
      update (self);
    }
}

static void
clear_rows (DgCheckEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->points_list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
clear_groups (DgCheckEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))))
    gtk_list_box_remove (self->groups_list, child);
}

static void
show_status (DgCheckEditor *self,
             const char    *text)
{
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
show_error (DgCheckEditor *self,
            const char    *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* "points[3].mass_g" → 3 and "mass_g". */
static gboolean
parse_point_field (const char  *field,
                   guint       *index,
                   const char **member)
{
  char *end = NULL;
  guint64 i;

  if (!g_str_has_prefix (field, "points["))
    return FALSE;
  i = g_ascii_strtoull (field + strlen ("points["), &end, 10);
  if (end == NULL || *end != ']')
    return FALSE;
  *index = i;
  *member = end[1] == '.' ? end + 2 : NULL;
  return TRUE;
}

static void
show_result (DgCheckEditor     *self,
             DgRoadCheck       *check,
             GPtrArray         *point_rows)
{
  g_autoptr(DgCheckResult) result = NULL;
  g_autofree char *today = dg_date_today ();
  g_autofree char *overall = NULL;
  g_autofree char *saved_date = NULL;
  guint quota_points;

  clear_groups (self);

  /* The rules in force on the check's date; a date still being typed judges by today. */
  if (!dg_date_is_valid (check->date))
    {
      saved_date = g_steal_pointer (&check->date);
      check->date = g_strdup (today);
    }
  quota_points = dg_rule_set_quota_points (self->rules, check->date);

  if (check->points->len == 0)
    {
      gtk_label_set_label (self->overall_label, _("No points yet"));
      dg_widget_set_pass_class (GTK_WIDGET (self->overall_label), -1);
      if (saved_date)
        {
          g_free (check->date);
          check->date = g_steal_pointer (&saved_date);
        }
      return;
    }

  result = dg_road_check_evaluate (check, self->rules);
  if (saved_date)
    {
      g_free (check->date);
      check->date = g_steal_pointer (&saved_date);
    }

  for (guint i = 0; i < result->points->len && i < point_rows->len; i++)
    dg_point_row_set_result (g_ptr_array_index (point_rows, i),
                             &g_array_index (result->points, DgPointResult, i));

  for (guint i = 0; i < result->groups->len; i++)
    {
      DgGroupResult *group = &g_array_index (result->groups, DgGroupResult, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *value = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label;

      subtitle = g_strdup_printf (ngettext ("%u point", "%u points", group->n_points),
                                  group->n_points);
      /* Translators: a surface group's mean against its limit, e.g. "4.2 / 5.0 g/m²". */
      value = g_strdup_printf (_("%.1f / %.1f g/m²"), group->mean, group->limit);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dg_surface_label (group->surface));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      label = gtk_label_new (value);
      gtk_widget_add_css_class (label, "numeric");
      dg_widget_set_pass_class (label, group->pass ? 1 : 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      /* Then the group's verdict in words, in the same colour. */
      label = gtk_label_new (group->pass ? _("Pass") : _("Fail"));
      dg_widget_set_pass_class (label, group->pass ? 1 : 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->groups_list, row);
    }

  if (result->pass)
    overall = g_strdup (_("Pass"));
  else
    overall = g_strdup_printf (ngettext ("Fail: %u point above its limit",
                                         "Fail: %u points above their limit",
                                         result->points_over),
                               result->points_over);
  if (!result->complete)
    {
      g_autofree char *incomplete = NULL;

      /* Translators: the check has fewer points than the quota, e.g. "4 of 6 points". */
      incomplete = g_strdup_printf (_("%s — incomplete: %u of %u points"), overall,
                                    check->points->len, quota_points);
      g_free (overall);
      overall = g_steal_pointer (&incomplete);
    }
  gtk_label_set_label (self->overall_label, overall);
  dg_widget_set_pass_class (GTK_WIDGET (self->overall_label), result->pass ? 1 : 0);
}

/* No verdict while any input is invalid: a negative mass must not read as a green Pass. */
static void
withhold_result (DgCheckEditor *self)
{
  clear_groups (self);
  for (guint i = 0; i < self->rows->len; i++)
    dg_point_row_set_result (g_ptr_array_index (self->rows, i), NULL);
  gtk_label_set_label (self->overall_label, _("No verdict until the marked fields are corrected"));
  dg_widget_set_pass_class (GTK_WIDGET (self->overall_label), -1);
}

static DgRoadCheck *
build_check (DgCheckEditor  *self,
             GPtrArray      *point_rows,
             gboolean       *numbers_ok)
{
  DgRoadCheck *check = dg_road_check_new ();
  const char *road_id = selected_road_id (self);
  const char *weather = gtk_editable_get_text (GTK_EDITABLE (self->weather_row));
  const char *notes = gtk_editable_get_text (GTK_EDITABLE (self->notes_row));

  *numbers_ok = TRUE;
  check->id = g_strdup (self->id);
  check->road_id = g_strdup (road_id ? road_id : "");
  check->date = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row))));
  check->weather = weather[0] ? g_strdup (weather) : NULL;
  check->notes = notes[0] ? g_strdup (notes) : NULL;

  for (guint i = 0; i < self->rows->len; i++)
    {
      DgPointRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *location = NULL;
      double area, mass;

      dg_point_row_set_error (row, NULL);
      if (dg_point_row_is_blank (row))
        {
          dg_point_row_set_result (row, NULL);
          continue;
        }
      if (!dg_point_row_read (row, &location, &area, &mass))
        {
          dg_point_row_set_result (row, NULL);
          *numbers_ok = FALSE;
          continue;
        }
      /* Blank rows are skipped, so the points are numbered as they will be saved. */
      dg_road_check_add_point (check, check->points->len + 1, dg_point_row_get_surface (row),
                               location, area, mass);
      g_ptr_array_add (point_rows, row);
    }

  return check;
}

static void
update (DgCheckEditor *self)
{
  g_autoptr(GPtrArray) point_rows = g_ptr_array_new ();
  g_autoptr(DgRoadCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = dg_date_today ();
  gboolean numbers_ok;
  gboolean valid;

  if (self->loading || self->id == NULL || self->rules == NULL)
    return;

  check = build_check (self, point_rows, &numbers_ok);
  dg_widget_set_invalid (GTK_WIDGET (self->road_dropdown), FALSE);
  dg_widget_set_invalid (GTK_WIDGET (self->date_row), FALSE);

  valid = dg_road_check_validate (check, &error);
  if (!valid)
    {
      const char *field = dg_error_get_field (error);
      const char *member = NULL;
      guint index;

      if (field == NULL)
        ;
      else if (g_str_equal (field, "road_id"))
        dg_widget_set_invalid (GTK_WIDGET (self->road_dropdown), TRUE);
      else if (g_str_equal (field, "date"))
        dg_widget_set_invalid (GTK_WIDGET (self->date_row), TRUE);
      else if (parse_point_field (field, &index, &member) && index < point_rows->len)
        dg_point_row_set_error (g_ptr_array_index (point_rows, index), member);

      /* An unchosen road is the normal start of a check: say so plainly. */
      if (field && g_str_equal (field, "road_id") && selected_road_id (self) == NULL)
        show_error (self, _("Choose the road."));
      else
        {
          g_autofree char *message = dg_describe_field_error (error);
          show_error (self, message);
        }
    }
  else if (!numbers_ok)
    show_error (self, _("Area and mass must be numbers."));
  else if (check->points->len == 0)
    show_error (self, _("Enter at least one point."));
  else if (!dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, today, NULL))
    {
      /* Design 6.7: the server would refuse it; say so before saving. */
      valid = FALSE;
      dg_widget_set_invalid (GTK_WIDGET (self->date_row), TRUE);
      show_error (self, _("The date lies in the future: a check may be dated at most one day "
                          "after today. Check the date and the device's clock."));
    }
  else
    show_error (self, NULL);

  if (valid && numbers_ok)
    show_result (self, check, point_rows);
  else
    withhold_result (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 valid && numbers_ok && check->points->len > 0 && !self->saving);
}

static void
row_changed_cb (DgCheckEditor *self)
{
  if (!self->loading)
    edited (self);
  update (self);
}

static void
row_next_cb (DgCheckEditor *self,
             DgPointRow    *row)
{
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  if (index + 1 < self->rows->len)
    dg_point_row_focus (g_ptr_array_index (self->rows, index + 1));
  else
    dg_point_row_focus (append_row (self));
}

static DgPointRow *
append_row (DgCheckEditor *self)
{
  DgPointRow *row = dg_point_row_new (self->rows->len + 1, default_surface (self));

  g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "next", G_CALLBACK (row_next_cb), self, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->rows, row);
  gtk_list_box_append (self->points_list, GTK_WIDGET (row));
  return row;
}

static void
road_selected_cb (DgCheckEditor *self)
{
  DgSurface surface;

  if (self->loading)
    return;

  /* Points not typed yet follow the road's surface. */
  surface = default_surface (self);
  self->loading = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      DgPointRow *row = g_ptr_array_index (self->rows, i);
      if (dg_point_row_is_blank (row))
        dg_point_row_set_surface (row, surface);
    }
  self->loading = FALSE;
  edited (self);
  update (self);
}

static void
field_changed_cb (DgCheckEditor *self)
{
  if (!self->loading)
    edited (self);
  update (self);
}

static void
field_activated_cb (DgCheckEditor *self,
                    AdwEntryRow   *row)
{
  /* Enter moves on: date → weather → notes → the first point. */
  if (row == self->date_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->weather_row));
  else if (row == self->weather_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->notes_row));
  else if (self->rows->len > 0)
    dg_point_row_focus (g_ptr_array_index (self->rows, 0));
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgCheckEditor *self;

  if (!dg_local_store_save_finish (DG_LOCAL_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DG_CHECK_EDITOR (user_data);
  self->saving = FALSE;
  if (error)
    {
      g_autofree char *message = dg_describe_error (error);
      show_error (self, message);
      update (self);
      return;
    }
  self->dirty = FALSE;
  set_pristine (self);
  /* The save dropped the draft; a write of it still on its way must not bring it back. */
  dg_draft_keeper_discard (self->drafts);
  update (self);
  g_signal_emit (self, signals[SAVED], 0, self->id);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (widget);
  g_autoptr(GPtrArray) point_rows = g_ptr_array_new ();
  g_autoptr(DgRoadCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *today = dg_date_today ();
  gboolean numbers_ok;

  if (self->saving || self->store == NULL)
    return;

  check = build_check (self, point_rows, &numbers_ok);
  if (!numbers_ok || check->points->len == 0 || !dg_road_check_validate (check, &error) ||
      !dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, today, NULL))
    {
      update (self);
      return;
    }

  data = dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check);
  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "editor.save", FALSE);
  dg_local_store_save_async (self->store, DG_RECORD_ROAD_CHECK, self->id, data,
                             self->cancellable, save_done_cb, self);
}

static void
left_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  if (dg_check_editor_leave_finish (DG_CHECK_EDITOR (object), result))
    g_signal_emit (object, signals[CLOSED], 0);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  dg_check_editor_leave_async (DG_CHECK_EDITOR (widget), left_cb, NULL);
}

static void
add_point_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (widget);

  dg_point_row_focus (append_row (self));
}

static void
dg_check_editor_dispose (GObject *object)
{
  DgCheckEditor *self = (DgCheckEditor *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* A write still waiting goes to disk all the same: the keeper lives until it is done. */
  if (self->drafts)
    dg_draft_keeper_flush_async (self->drafts, NULL, NULL);
  g_clear_object (&self->drafts);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_CHECK_EDITOR);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->roads, g_ptr_array_unref);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->ref_roads, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);

  G_OBJECT_CLASS (dg_check_editor_parent_class)->dispose (object);
}

static void
dg_check_editor_finalize (GObject *object)
{
  DgCheckEditor *self = (DgCheckEditor *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->pristine);

  G_OBJECT_CLASS (dg_check_editor_parent_class)->finalize (object);
}

static void
dg_check_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_check_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dg_check_editor_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_check_editor_class_init (DgCheckEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_check_editor_dispose;
  object_class->finalize = dg_check_editor_finalize;
  object_class->get_property = dg_check_editor_get_property;
  object_class->set_property = dg_check_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DG_TYPE_LOCAL_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DgCheckEditor::saved:
   * @id: the check's id
   *
   * The check is in the local store (and its outbox).
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DgCheckEditor::closed:
   *
   * The inspector left the editor.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-check-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, road_row);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, road_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, weather_row);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, notes_row);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, points_list);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, groups_list);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, overall_label);
  gtk_widget_class_bind_template_child (widget_class, DgCheckEditor, error_label);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "editor.add-point", NULL, add_point_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.close", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_check_editor_init (DgCheckEditor *self)
{
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->drafts = dg_draft_keeper_new ();
  self->reader = dg_store_reader_new (read_reference_func, NULL, (GDestroyNotify) reference_free,
                                      reference_read, self, TRUE);

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->road_dropdown, expression);
  gtk_expression_unref (expression);

  g_signal_connect_swapped (self->road_dropdown, "notify::selected",
                            G_CALLBACK (road_selected_cb), self);
  g_signal_connect_swapped (self->date_row, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->weather_row, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->notes_row, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->date_row, "entry-activated", G_CALLBACK (field_activated_cb),
                            self);
  g_signal_connect_swapped (self->weather_row, "entry-activated",
                            G_CALLBACK (field_activated_cb), self);
  g_signal_connect_swapped (self->notes_row, "entry-activated", G_CALLBACK (field_activated_cb),
                            self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

DgLocalStore *
dg_check_editor_get_store (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->store;
}

void
dg_check_editor_set_store (DgCheckEditor *self,
                           DgLocalStore  *store)
{
  g_return_if_fail (DG_IS_CHECK_EDITOR (self));
  g_return_if_fail (store == NULL || DG_IS_LOCAL_STORE (store));

  if (self->store == store)
    return;
  g_set_object (&self->store, store);
  g_clear_pointer (&self->ref_roads, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);
  /* Roads and rules arrive with a sync: the reader follows the store, and the next check has
   * them. */
  dg_store_reader_set_store (self->reader, store);
  dg_draft_keeper_set_store (self->drafts, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* The editor's state as typed, numbers or not: what a draft holds. */
static JsonObject *
draft_from_widgets (DgCheckEditor *self)
{
  JsonObject *draft = json_object_new ();
  JsonArray *points = json_array_new ();
  const char *road_id = selected_road_id (self);

  if (road_id)
    json_object_set_string_member (draft, "road_id", road_id);
  json_object_set_string_member (draft, "date",
                                 gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  json_object_set_string_member (draft, "weather",
                                 gtk_editable_get_text (GTK_EDITABLE (self->weather_row)));
  json_object_set_string_member (draft, "notes",
                                 gtk_editable_get_text (GTK_EDITABLE (self->notes_row)));
  for (guint i = 0; i < self->rows->len; i++)
    {
      DgPointRow *row = g_ptr_array_index (self->rows, i);
      JsonObject *point;

      if (dg_point_row_is_blank (row))
        continue;
      point = json_object_new ();
      json_object_set_string_member (point, "surface",
                                     dg_surface_to_string (dg_point_row_get_surface (row)));
      json_object_set_string_member (point, "location",
                                     gtk_editable_get_text (dg_point_row_get_location_entry (row)));
      json_object_set_string_member (point, "area",
                                     gtk_editable_get_text (dg_point_row_get_area_entry (row)));
      json_object_set_string_member (point, "mass",
                                     gtk_editable_get_text (dg_point_row_get_mass_entry (row)));
      json_array_add_object_element (points, point);
    }
  json_object_set_array_member (draft, "points", points);
  return draft;
}

/* The state opened with: what "unsaved changes" are measured against. */
static void
set_pristine (DgCheckEditor *self)
{
  g_autoptr(JsonObject) draft = draft_from_widgets (self);

  g_free (self->pristine);
  self->pristine = dg_draft_to_string (draft);
}

/* Something changed: kept as a draft as it is typed, unless it is back to what was opened
 * (then there is nothing to keep, nor to ask about). Widgets that notify without a change
 * (a picker filled, a row mapped) change nothing either. */
static void
edited (DgCheckEditor *self)
{
  JsonObject *draft;
  g_autofree char *text = NULL;

  if (self->id == NULL)
    return;
  draft = draft_from_widgets (self);
  text = dg_draft_to_string (draft);
  if (g_strcmp0 (text, self->pristine) == 0)
    {
      json_object_unref (draft);
      if (self->dirty)
        dg_draft_keeper_discard (self->drafts);
      self->dirty = FALSE;
      return;
    }
  self->dirty = TRUE;
  dg_draft_keeper_update (self->drafts, draft);
}

static void
apply_draft (DgCheckEditor *self,
             JsonObject    *draft)
{
  JsonArray *points = dg_draft_get_array (draft, "points");

  self->loading = TRUE;
  clear_rows (self);
  if (!dg_check_editor_select_road (self, dg_draft_get_text (draft, "road_id")))
    gtk_drop_down_set_selected (self->road_dropdown, GTK_INVALID_LIST_POSITION);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), dg_draft_get_text (draft, "date"));
  gtk_editable_set_text (GTK_EDITABLE (self->weather_row),
                         dg_draft_get_text (draft, "weather"));
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), dg_draft_get_text (draft, "notes"));
  for (guint i = 0; points && i < json_array_get_length (points); i++)
    {
      JsonNode *node = json_array_get_element (points, i);
      JsonObject *point = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      DgPointRow *row;
      DgSurface surface;

      if (point == NULL)
        continue;
      row = append_row (self);
      if (dg_surface_from_string (dg_draft_get_text (point, "surface"), &surface))
        dg_point_row_set_surface (row, surface);
      gtk_editable_set_text (dg_point_row_get_location_entry (row),
                             dg_draft_get_text (point, "location"));
      gtk_editable_set_text (dg_point_row_get_area_entry (row),
                             dg_draft_get_text (point, "area"));
      gtk_editable_set_text (dg_point_row_get_mass_entry (row),
                             dg_draft_get_text (point, "mass"));
    }
  append_row (self);
  show_status (self, _("Unsaved changes were restored from a draft."));
  self->loading = FALSE;
  {
    g_autoptr(JsonObject) now = draft_from_widgets (self);
    g_autofree char *text = dg_draft_to_string (now);

    self->dirty = g_strcmp0 (text, self->pristine) != 0;
  }
  update (self);
}

/* The draft read (dg_editor_restore_draft()). */
static void
draft_found (gpointer    editor,
             const char *asked_for,
             const char *draft_id,
             JsonObject *draft)
{
  DgCheckEditor *self = editor;

  /* Another record opened meanwhile: not its draft. */
  if (g_strcmp0 (self->id, asked_for) != 0 || !self->restoring)
    return;
  self->restoring = FALSE;
  /* Typing began meanwhile: what is on screen wins. */
  if (draft == NULL || self->dirty)
    return;
  if (g_strcmp0 (draft_id, self->id) != 0)
    {
      g_free (self->id);
      self->id = g_strdup (draft_id);
      dg_draft_keeper_track (self->drafts, DG_RECORD_ROAD_CHECK, draft_id);
    }
  apply_draft (self, draft);
}

/* Looks for the draft of check @id (NULL: of the last new check never saved) and shows it. */
static void
restore_draft (DgCheckEditor *self,
               const char    *id)
{
  if (self->store == NULL)
    return;
  self->restoring = TRUE;
  dg_editor_restore_draft (self, self->drafts, DG_RECORD_ROAD_CHECK, id, self->id, self->cancellable,
                           draft_found);
}

static void
reset (DgCheckEditor *self,
       const char    *id)
{
  g_free (self->id);
  self->id = g_strdup (id);
  self->saving = FALSE;
  self->dirty = FALSE;
  self->restoring = FALSE;
  dg_draft_keeper_track (self->drafts, DG_RECORD_ROAD_CHECK, id);
  reload_reference (self);
  clear_rows (self);
  clear_groups (self);
  show_status (self, NULL);
  show_error (self, NULL);
}

void
dg_check_editor_new_check (DgCheckEditor *self)
{
  g_autofree char *id = dg_uuid_new ();
  g_autofree char *today = dg_date_today ();

  g_return_if_fail (DG_IS_CHECK_EDITOR (self));

  self->loading = TRUE;
  reset (self, id);
  adw_window_title_set_title (self->window_title, _("New Road Check"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
  gtk_editable_set_text (GTK_EDITABLE (self->weather_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), "");
  append_row (self);
  self->loading = FALSE;
  set_pristine (self);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->road_dropdown));
  restore_draft (self, NULL);
}

/* On the main thread, with the record read (dg_editor_load_async()). */
static gboolean
fill_from_entry (gpointer       editor,
                 DgStoreEntry  *entry,
                 GError       **error)
{
  DgCheckEditor *self = DG_CHECK_EDITOR (editor);
  g_autoptr(DgRoadCheck) check = NULL;
  g_autofree char *status = NULL;

  if (entry->type != DG_RECORD_ROAD_CHECK || entry->data == NULL)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_NOT_FOUND, "No road check %s", entry->id);
      return FALSE;
    }
  check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id, entry->data, error);
  if (check == NULL)
    {
      g_warning ("Cannot open check %s: %s", entry->id, (*error)->message);
      return FALSE;
    }

  self->loading = TRUE;
  reset (self, entry->id);
  adw_window_title_set_title (self->window_title, _("Road Check"));
  adw_window_title_set_subtitle (self->window_title, dg_sync_status_label (entry->status));
  dg_check_editor_select_road (self, check->road_id);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), check->date);
  gtk_editable_set_text (GTK_EDITABLE (self->weather_row), check->weather ? check->weather : "");
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), check->notes ? check->notes : "");
  for (guint i = 0; i < check->points->len; i++)
    dg_point_row_set_point (append_row (self), dg_road_check_get_point (check, i));
  append_row (self);

  status = dg_entry_status_message (entry);
  if (status != NULL)
    show_status (self, status);
  else if (entry->status == DG_SYNC_STATUS_CONFLICT)
    show_status (self, _("This check was also changed on the server. Saving keeps your version."));

  self->loading = FALSE;
  set_pristine (self);
  update (self);
  restore_draft (self, entry->id);
  return TRUE;
}

void
dg_check_editor_load_async (DgCheckEditor       *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DG_IS_CHECK_EDITOR (self));
  g_return_if_fail (self->store != NULL);

  dg_editor_load_async (self, self->store, id, fill_from_entry, self->cancellable, cancellable,
                        callback, user_data);
}

gboolean
dg_check_editor_load_finish (DgCheckEditor  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return dg_editor_load_finish (self, result, error);
}

const char *
dg_check_editor_get_id (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->id;
}

gboolean
dg_check_editor_select_road (DgCheckEditor *self,
                             const char    *road_id)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), FALSE);

  for (guint i = 0; self->roads && i < self->roads->len; i++)
    {
      DgRoad *road = g_ptr_array_index (self->roads, i);
      if (g_strcmp0 (road->id, road_id) == 0)
        {
          gtk_drop_down_set_selected (self->road_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
dg_check_editor_get_dirty (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), FALSE);
  return self->dirty;
}

guint
dg_check_editor_get_n_points (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), 0);
  return self->rows->len;
}

DgPointRow *
dg_check_editor_get_point_row (DgCheckEditor *self,
                               guint          index)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

GtkDropDown *
dg_check_editor_get_road_dropdown (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->road_dropdown;
}

GtkEditable *
dg_check_editor_get_date_entry (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return GTK_EDITABLE (self->date_row);
}

GtkListBox *
dg_check_editor_get_groups_list (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->groups_list;
}

GtkLabel *
dg_check_editor_get_overall_label (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->overall_label;
}

GtkLabel *
dg_check_editor_get_error_label (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->error_label;
}

static void
leave_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DgCheckEditor *self = g_task_get_source_object (task);
  DgLeave leave = dg_editor_leave_finish (GTK_WIDGET (object), result);

  if (leave == DG_LEAVE_DISCARDED)
    self->dirty = FALSE;
  g_task_return_boolean (task, leave != DG_LEAVE_STAY);
}

void
dg_check_editor_leave_async (DgCheckEditor       *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DG_IS_CHECK_EDITOR (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, dg_check_editor_leave_async);
  dg_editor_leave_async (GTK_WIDGET (self), self->drafts, self->dirty,
                         _("Leave This Check?"), leave_done_cb, task);
}

gboolean
dg_check_editor_leave_finish (DgCheckEditor *self,
                              GAsyncResult  *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

DgDraftKeeper *
dg_check_editor_get_drafts (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), NULL);
  return self->drafts;
}

gboolean
dg_check_editor_get_restoring (DgCheckEditor *self)
{
  g_return_val_if_fail (DG_IS_CHECK_EDITOR (self), FALSE);
  return self->restoring;
}
