/* dg-dustfall-editor.c
 *
 * As in the check editor, each edit rebuilds a DgDustfallSample and asks common/ for the
 * validation errors (by field) and for n, S, M and the flags.
 *
 * The grid cells are read on a worker thread when the store is set and after each change of it;
 * a sample opened or begun takes the latest read. A stored sample is read on a worker thread
 * too (dg_dustfall_editor_load_async()).
 *
 * As in the check editor, what is typed is kept as a draft (DgDraftKeeper) and restored on the
 * next opening; leaving with changes not saved asks first.
 */

#define G_LOG_DOMAIN "dg-dustfall-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dg-dustfall-editor.h"
#include "dg-messages.h"
#include "dg-store-reader.h"
#include "dg-utils.h"

#define N_ENTRIES 12

struct _DgDustfallEditor
{
  GtkWidget       parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel       *status_label;
  GtkDropDown    *cell_dropdown;
  GtkDropDown    *jar_dropdown;
  GtkSwitch      *valid_switch;
  AdwEntryRow    *site_row;
  AdwEntryRow    *month_row;
  AdwEntryRow    *start_row;
  AdwEntryRow    *end_row;
  AdwEntryRow    *d1_row;
  AdwEntryRow    *d2_row;
  AdwEntryRow    *d3_row;
  AdwEntryRow    *d4_row;
  AdwEntryRow    *w0_row;
  AdwEntryRow    *w1_row;
  AdwEntryRow    *wc_row;
  AdwEntryRow    *notes_row;
  GtkLabel       *days_label;
  GtkLabel       *diameter_label;
  GtkLabel       *area_label;
  GtkLabel       *value_label;
  AdwActionRow   *value_row;     /* its subtitle: the verdict against the month's cap */
  GtkLabel       *flags_label;
  GtkLabel       *error_label;

  DgLocalStore   *store;
  GPtrArray      *cells;       /* DgGridCell *, in the order of the picker */
  GPtrArray      *ref_cells;   /* the latest read of the store, for the next sample */
  DgRuleSet      *ref_rules;   /* the same read's rules: the cap of the sample's month */
  DgStoreReader  *reader;      /* reads ref_cells and ref_rules */
  DgDustfallSample *last_saved; /* what the other jar of the same site starts from */
  char           *id;
  gboolean        loading;
  gboolean        saving;
  gboolean        dirty;       /* edited since opened or saved */
  gboolean        restoring;   /* a draft is being looked for */
  char           *pristine;    /* the state opened with (dg_draft_to_string()) */
  DgDraftKeeper  *drafts;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (DgDustfallEditor, dg_dustfall_editor, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray *cells;
  DgRuleSet *rules;
} Reference;

static void     reference_free      (Reference     *reference);
static gpointer read_reference_func (DgLocalStore  *store,
                                     gpointer       data,
                                     GCancellable  *cancellable,
                                     GError       **error);
static void     reference_read      (gpointer       owner,
                                     gpointer       result,
                                     const GError  *error);

/* The entry rows in keyboard order, with the field path validation uses for each. */
static AdwEntryRow **
entry_rows (DgDustfallEditor *self,
            const char     ***fields)
{
  static const char *names[N_ENTRIES] = {
    "site", "month", "start", "end", "diameter_cm[0]", "diameter_cm[1]", "diameter_cm[2]",
    "diameter_cm[3]", "w0_g", "w1_g", "wc_g", "notes",
  };
  static AdwEntryRow *rows[N_ENTRIES];

  rows[0] = self->site_row;
  rows[1] = self->month_row;
  rows[2] = self->start_row;
  rows[3] = self->end_row;
  rows[4] = self->d1_row;
  rows[5] = self->d2_row;
  rows[6] = self->d3_row;
  rows[7] = self->d4_row;
  rows[8] = self->w0_row;
  rows[9] = self->w1_row;
  rows[10] = self->wc_row;
  rows[11] = self->notes_row;
  if (fields)
    *fields = names;
  return rows;
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
set_number (AdwEntryRow *row,
            double       value)
{
  g_autofree char *text = isnan (value) ? g_strdup ("") : g_strdup_printf ("%g", value);
  set_text (row, text);
}

static void
show_label (GtkLabel *label,
            GtkLabel *error_label,
            const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  if (error_label)
    gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* The sample as typed. *@bad_number is the field path of the first diameter or weight that is
 * not a number (NULL: none); @bad_rows (nullable) gets every such row. */
static DgDustfallSample *
build_sample (DgDustfallEditor *self,
              const char      **bad_number,
              GPtrArray        *bad_rows)
{
  DgDustfallSample *sample = dg_dustfall_sample_new ();
  AdwEntryRow *diameters[] = { self->d1_row, self->d2_row, self->d3_row, self->d4_row };
  const char *fields[] = { "diameter_cm[0]", "diameter_cm[1]", "diameter_cm[2]",
                           "diameter_cm[3]" };
  guint cell = gtk_drop_down_get_selected (self->cell_dropdown);
  const char *notes = text_of (self->notes_row);
  struct { AdwEntryRow *row; double *target; const char *field; } weights[] = {
    { self->w0_row, &sample->w0_g, "w0_g" },
    { self->w1_row, &sample->w1_g, "w1_g" },
    { self->wc_row, &sample->wc_g, "wc_g" },
  };

  *bad_number = NULL;
  g_free (sample->id);
  sample->id = g_strdup (self->id);
  g_free (sample->cell_id);
  sample->cell_id = g_strdup (self->cells && cell < self->cells->len ?
                              ((DgGridCell *) g_ptr_array_index (self->cells, cell))->id : "");
  g_free (sample->site);
  sample->site = g_strstrip (g_strdup (text_of (self->site_row)));
  sample->jar = gtk_drop_down_get_selected (self->jar_dropdown) == 1 ? DG_JAR_B : DG_JAR_A;
  g_free (sample->month);
  sample->month = g_strstrip (g_strdup (text_of (self->month_row)));
  g_free (sample->start);
  sample->start = g_strstrip (g_strdup (text_of (self->start_row)));
  g_free (sample->end);
  sample->end = g_strstrip (g_strdup (text_of (self->end_row)));
  sample->valid = gtk_switch_get_active (self->valid_switch);
  g_free (sample->notes);
  sample->notes = notes[0] ? g_strdup (notes) : NULL;

  sample->n_diameters = 0;
  for (guint i = 0; i < G_N_ELEMENTS (diameters); i++)
    {
      double d;

      if (text_of (diameters[i])[0] == '\0')
        continue;
      if (!dg_parse_number (text_of (diameters[i]), &d))
        {
          if (*bad_number == NULL)
            *bad_number = fields[i];
          if (bad_rows != NULL)
            g_ptr_array_add (bad_rows, diameters[i]);
          continue;
        }
      sample->diameter_cm[sample->n_diameters++] = d;
    }

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    if (!dg_parse_number (text_of (weights[i].row), weights[i].target))
      {
        *weights[i].target = NAN;
        if (*bad_number == NULL)
          *bad_number = weights[i].field;
        if (bad_rows != NULL)
          g_ptr_array_add (bad_rows, weights[i].row);
      }

  return sample;
}

static void
mark_field (DgDustfallEditor *self,
            const char       *field)
{
  const char **fields;
  AdwEntryRow **rows = entry_rows (self, &fields);

  dg_widget_set_invalid (GTK_WIDGET (self->cell_dropdown),
                         field && g_str_equal (field, "cell_id"));
  dg_widget_set_invalid (GTK_WIDGET (self->jar_dropdown), field && g_str_equal (field, "jar"));
  for (guint i = 0; i < N_ENTRIES; i++)
    dg_widget_set_invalid (GTK_WIDGET (rows[i]), field && g_str_equal (field, fields[i]));
  /* "diameter_cm" alone (none or too many) is about the first one. */
  if (field && g_str_equal (field, "diameter_cm"))
    dg_widget_set_invalid (GTK_WIDGET (self->d1_row), TRUE);
}

/* Marks @rows, the diameters and weights build_sample() could not read, all at once rather
 * than the first; returns their titles, for the message. */
static char *
mark_bad_numbers (GPtrArray *rows)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);

      dg_widget_set_invalid (GTK_WIDGET (row), TRUE);
      if (names->len > 0)
        /* Translators: between the fields of a list */
        g_string_append (names, _(", "));
      g_string_append (names, adw_preferences_row_get_title (row));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The jar's M against the cap in force for the sample's month, as the ranking will judge the
 * cell (common/ decides both); nothing while M cannot be computed or the month is not a month. */
static void
show_verdict (DgDustfallEditor       *self,
              const DgDustfallSample *sample,
              double                  value)
{
  g_autofree char *verdict = NULL;
  int pass = -1;

  if (isfinite (value) && self->ref_rules != NULL && dg_month_is_valid (sample->month))
    {
      double cap = dg_rule_set_cap_for_month (self->ref_rules, sample->month);
      g_autofree char *cap_text = dg_format_number (cap, 1);

      pass = !dg_dustfall_exceeds_cap (value, cap);
      verdict = pass ? g_strdup_printf (_("Within the cap of %s"), cap_text)
                     /* Translators: %s is the cap, in t/(km²·30 d) */
                     : g_strdup_printf (_("Over the cap of %s"), cap_text);
    }
  adw_action_row_set_subtitle (self->value_row, verdict != NULL ? verdict : "");
  dg_widget_set_pass_class (GTK_WIDGET (self->value_label), pass);
}

static void
update (DgDustfallEditor *self)
{
  g_autoptr(DgDustfallSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) compute_error = NULL;
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autoptr(GPtrArray) bad_rows = g_ptr_array_new ();
  DgDustfallResult result;
  g_autofree char *today = dg_date_today ();
  const char *bad_number = NULL;
  gboolean valid = FALSE;

  if (self->loading || self->id == NULL)
    return;

  sample = build_sample (self, &bad_number, bad_rows);
  if (bad_number)
    {
      g_autofree char *names = NULL;
      g_autofree char *message = NULL;

      mark_field (self, bad_number);
      names = mark_bad_numbers (bad_rows);
      /* Translators: %s lists the fields, e.g. "Crucible w0 (g), Residue w1 (g)" */
      message = g_strdup_printf (_("Not a number: %s."), names);
      show_label (self->error_label, self->error_label, message);
    }
  else if (!dg_dustfall_sample_validate (sample, &error))
    {
      const char *field = dg_error_get_field (error);

      mark_field (self, field);
      if (field && g_str_equal (field, "cell_id") &&
          gtk_drop_down_get_selected (self->cell_dropdown) == GTK_INVALID_LIST_POSITION)
        show_label (self->error_label, self->error_label, _("Choose the grid cell."));
      else
        {
          g_autofree char *message = dg_describe_field_error (error);
          show_label (self->error_label, self->error_label, message);
        }
    }
  else if (!dg_record_check_not_future (DG_RECORD_DUSTFALL_SAMPLE, sample, today, NULL))
    {
      /* Design 6.7: the server would refuse it; say so before saving. */
      mark_field (self, "end");
      show_label (self->error_label, self->error_label,
                  _("The end lies in the future: a sample may end at most one day after "
                    "today. Check the date and the device's clock."));
    }
  else
    {
      mark_field (self, NULL);
      show_label (self->error_label, self->error_label, NULL);
      valid = TRUE;
    }

  /* No figures, and so no verdict, while any input is invalid. */
  if (valid && dg_dustfall_compute (sample, &result, &compute_error))
    {
      g_autofree char *days = dg_format_number (result.days, 1);
      g_autofree char *diameter = dg_format_number (result.diameter_cm, 1);
      g_autofree char *area = dg_format_number (result.area_cm2, 2);
      g_autofree char *value = dg_format_number (result.value, 1);

      gtk_label_set_label (self->days_label, days);
      gtk_label_set_label (self->diameter_label, diameter);
      gtk_label_set_label (self->area_label, area);
      gtk_label_set_label (self->value_label, value);
      show_verdict (self, sample, result.value);
      for (guint i = 0; i < DG_DUSTFALL_N_FLAGS; i++)
        if (result.flags & (1u << i))
          {
            if (flags->len)
              g_string_append (flags, "\n");
            g_string_append (flags, dg_dustfall_flag_label (i));
          }
    }
  else
    {
      gtk_label_set_label (self->days_label, "—");
      gtk_label_set_label (self->diameter_label, "—");
      gtk_label_set_label (self->area_label, "—");
      gtk_label_set_label (self->value_label, "—");
      show_verdict (self, sample, NAN);
    }
  gtk_label_set_label (self->flags_label, flags->str);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid && !self->saving);
}

/* The editor's state as typed, numbers or not: what a draft holds. */
static JsonObject *
draft_from_widgets (DgDustfallEditor *self)
{
  JsonObject *draft = json_object_new ();
  JsonObject *texts = json_object_new ();
  const char **fields;
  AdwEntryRow **rows = entry_rows (self, &fields);
  guint cell = gtk_drop_down_get_selected (self->cell_dropdown);

  if (self->cells && cell < self->cells->len)
    json_object_set_string_member (draft, "cell_id",
                                   ((DgGridCell *) g_ptr_array_index (self->cells, cell))->id);
  json_object_set_string_member (draft, "jar",
                                 gtk_drop_down_get_selected (self->jar_dropdown) == 1 ? "B" : "A");
  json_object_set_boolean_member (draft, "valid", gtk_switch_get_active (self->valid_switch));
  for (guint i = 0; i < N_ENTRIES; i++)
    json_object_set_string_member (texts, fields[i], text_of (rows[i]));
  json_object_set_object_member (draft, "texts", texts);
  return draft;
}

static void
set_pristine (DgDustfallEditor *self)
{
  g_autoptr(JsonObject) draft = draft_from_widgets (self);

  g_free (self->pristine);
  self->pristine = dg_draft_to_string (draft);
}

static gboolean
differs_from_pristine (DgDustfallEditor *self,
                       JsonObject       *draft)
{
  g_autofree char *text = dg_draft_to_string (draft);

  return g_strcmp0 (text, self->pristine) != 0;
}

/* Kept as a draft as it is typed, unless back to what was opened (see the check editor). */
static void
field_changed_cb (DgDustfallEditor *self)
{
  if (!self->loading && self->id != NULL)
    {
      JsonObject *draft = draft_from_widgets (self);

      if (differs_from_pristine (self, draft))
        {
          self->dirty = TRUE;
          dg_draft_keeper_update (self->drafts, draft);
        }
      else
        {
          json_object_unref (draft);
          if (self->dirty)
            dg_draft_keeper_discard (self->drafts);
          self->dirty = FALSE;
        }
    }
  update (self);
}

static void
entry_activated_cb (DgDustfallEditor *self,
                    AdwEntryRow      *row)
{
  AdwEntryRow **rows = entry_rows (self, NULL);

  /* Enter moves on to the next field, as in a paper form. */
  for (guint i = 0; i + 1 < N_ENTRIES; i++)
    if (rows[i] == row)
      {
        gtk_widget_grab_focus (GTK_WIDGET (rows[i + 1]));
        return;
      }
}

typedef struct
{
  DgDustfallSample *sample;
  JsonObject       *data;
} SaveSample;

static void
save_sample_free (SaveSample *save)
{
  dg_dustfall_sample_free (save->sample);
  json_object_unref (save->data);
  g_free (save);
}

/* On a worker thread: design 6.7's one sample per jar, checked against the local store, then
 * the save. Returns the id of the sample holding the jar (nothing saved), or "" once saved. */
static gpointer
save_sample_func (DgLocalStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SaveSample *save = data;
  const DgDustfallSample *sample = save->sample;
  g_autofree char *holder = NULL;

  holder = dg_local_store_find_jar (store, sample->month, sample->cell_id,
                                    sample->site ? sample->site : "1", sample->jar, sample->id);
  if (!dg_dustfall_check_jar_free (sample, holder, NULL))
    return g_steal_pointer (&holder);
  if (!dg_local_store_save (store, DG_RECORD_DUSTFALL_SAMPLE, sample->id, save->data, error))
    return NULL;
  return g_strdup ("");
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  DgDustfallEditor *self;

  holder = dg_local_store_run_finish (DG_LOCAL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DG_DUSTFALL_EDITOR (user_data);
  self->saving = FALSE;
  update (self);
  if (error)
    {
      g_autofree char *message = dg_describe_error (error);
      show_label (self->error_label, self->error_label, message);
      return;
    }
  if (holder[0] != '\0')
    {
      g_autofree char *message = NULL;

      /* Translators: %c is the jar (A or B), %s the id of the sample that already has it. */
      message = g_strdup_printf (_("Jar %c of this cell and site is already recorded for this "
                                   "month, in sample %s. Choose the other jar, or open that "
                                   "sample."), gtk_drop_down_get_selected (self->jar_dropdown) == 1
                                                 ? 'B' : 'A', holder);
      dg_widget_set_invalid (GTK_WIDGET (self->jar_dropdown), TRUE);
      show_label (self->error_label, self->error_label, message);
      return;
    }
  self->dirty = FALSE;
  set_pristine (self);
  /* The save dropped the draft; a write of it still on its way must not bring it back. */
  dg_draft_keeper_discard (self->drafts);
  {
    const char *bad_number;

    g_clear_pointer (&self->last_saved, dg_dustfall_sample_free);
    self->last_saved = build_sample (self, &bad_number, NULL);
  }
  g_signal_emit (self, signals[SAVED], 0, self->id);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DgDustfallEditor *self = DG_DUSTFALL_EDITOR (widget);
  g_autoptr(DgDustfallSample) sample = NULL;
  g_autofree char *today = dg_date_today ();
  SaveSample *save;
  const char *bad_number;

  if (self->saving || self->store == NULL)
    return;
  sample = build_sample (self, &bad_number, NULL);
  if (bad_number || !dg_dustfall_sample_validate (sample, NULL) ||
      !dg_record_check_not_future (DG_RECORD_DUSTFALL_SAMPLE, sample, today, NULL))
    {
      update (self);
      return;
    }
  save = g_new0 (SaveSample, 1);
  save->data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);
  save->sample = g_steal_pointer (&sample);
  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "editor.save", FALSE);
  dg_local_store_run_async (self->store, save_sample_func, save,
                            (GDestroyNotify) save_sample_free, g_free, self->cancellable,
                            save_done_cb, self);
}

static void
left_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  if (dg_dustfall_editor_leave_finish (DG_DUSTFALL_EDITOR (object), result))
    g_signal_emit (object, signals[CLOSED], 0);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  dg_dustfall_editor_leave_async (DG_DUSTFALL_EDITOR (widget), left_cb, NULL);
}

static void
dg_dustfall_editor_dispose (GObject *object)
{
  DgDustfallEditor *self = (DgDustfallEditor *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* A write still waiting goes to disk all the same: the keeper lives until it is done. */
  if (self->drafts)
    dg_draft_keeper_flush_async (self->drafts, NULL, NULL);
  g_clear_object (&self->drafts);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_DUSTFALL_EDITOR);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->ref_cells, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);
  g_clear_pointer (&self->last_saved, dg_dustfall_sample_free);

  G_OBJECT_CLASS (dg_dustfall_editor_parent_class)->dispose (object);
}

static void
dg_dustfall_editor_finalize (GObject *object)
{
  DgDustfallEditor *self = (DgDustfallEditor *)object;

  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->pristine);

  G_OBJECT_CLASS (dg_dustfall_editor_parent_class)->finalize (object);
}

static void
dg_dustfall_editor_class_init (DgDustfallEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_dustfall_editor_dispose;
  object_class->finalize = dg_dustfall_editor_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-dustfall-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DgDustfallEditor, name)
  BIND (window_title);
  BIND (status_label);
  BIND (cell_dropdown);
  BIND (jar_dropdown);
  BIND (valid_switch);
  BIND (site_row);
  BIND (month_row);
  BIND (start_row);
  BIND (end_row);
  BIND (d1_row);
  BIND (d2_row);
  BIND (d3_row);
  BIND (d4_row);
  BIND (w0_row);
  BIND (w1_row);
  BIND (wc_row);
  BIND (notes_row);
  BIND (days_label);
  BIND (diameter_label);
  BIND (area_label);
  BIND (value_label);
  BIND (value_row);
  BIND (flags_label);
  BIND (error_label);
#undef BIND

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.close", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_dustfall_editor_init (DgDustfallEditor *self)
{
  AdwEntryRow **rows;
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->drafts = dg_draft_keeper_new ();
  self->reader = dg_store_reader_new (read_reference_func, NULL, (GDestroyNotify) reference_free,
                                      reference_read, self, TRUE);

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->cell_dropdown, expression);
  gtk_expression_unref (expression);

  rows = entry_rows (self, NULL);
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (field_changed_cb), self);
      g_signal_connect_swapped (rows[i], "entry-activated", G_CALLBACK (entry_activated_cb),
                                self);
    }
  g_signal_connect_swapped (self->cell_dropdown, "notify::selected",
                            G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->jar_dropdown, "notify::selected",
                            G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->valid_switch, "notify::active",
                            G_CALLBACK (field_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

static void reset (DgDustfallEditor *self,
                   const char       *id);

static void
reference_free (Reference *reference)
{
  g_clear_pointer (&reference->cells, g_ptr_array_unref);
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

  reference->cells = dg_local_store_list_grid_cells (store);
  reference->rules = dg_local_store_get_rules (store);
  return reference;
}

static void
reference_read (gpointer      owner,
                gpointer      result,
                const GError *error)
{
  DgDustfallEditor *self = DG_DUSTFALL_EDITOR (owner);
  Reference *reference = result;
  gboolean first = self->ref_cells == NULL;

  if (reference == NULL)
    {
      g_warning ("Cannot read the grid cells: %s", error->message);
      return;
    }
  g_clear_pointer (&self->ref_cells, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);
  self->ref_cells = g_steal_pointer (&reference->cells);
  self->ref_rules = g_steal_pointer (&reference->rules);
  reference_free (reference);
  update (self);
  /* A sample begun before the first read gets its picker now. */
  if (first && self->id != NULL &&
      gtk_drop_down_get_selected (self->cell_dropdown) == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *id = g_strdup (self->id);

      self->loading = TRUE;
      reset (self, id);
      self->loading = FALSE;
      update (self);
    }
}

void
dg_dustfall_editor_set_store (DgDustfallEditor *self,
                              DgLocalStore     *store)
{
  g_return_if_fail (DG_IS_DUSTFALL_EDITOR (self));
  g_return_if_fail (store == NULL || DG_IS_LOCAL_STORE (store));

  if (self->store == store)
    return;
  g_set_object (&self->store, store);
  g_clear_pointer (&self->ref_cells, g_ptr_array_unref);
  g_clear_pointer (&self->ref_rules, dg_rule_set_unref);
  g_clear_pointer (&self->last_saved, dg_dustfall_sample_free);
  /* Cells arrive with a sync: the reader follows the store, and the next sample has them. */
  dg_store_reader_set_store (self->reader, store);
  dg_draft_keeper_set_store (self->drafts, store);
}

static void
reset (DgDustfallEditor *self,
       const char       *id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  if (g_strcmp0 (self->id, id) != 0)
    {
      self->dirty = FALSE;
      self->restoring = FALSE;
    }
  g_free (self->id);
  self->id = g_strdup (id);
  self->saving = FALSE;
  dg_draft_keeper_track (self->drafts, DG_RECORD_DUSTFALL_SAMPLE, id);

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  self->cells = self->ref_cells ? g_ptr_array_ref (self->ref_cells)
                                : g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  for (guint i = 0; i < self->cells->len; i++)
    {
      DgGridCell *cell = g_ptr_array_index (self->cells, i);
      g_autofree char *name = g_strdup_printf ("%s %s", cell->code, cell->name);
      gtk_string_list_append (names, name);
    }
  gtk_drop_down_set_model (self->cell_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->cell_dropdown, GTK_INVALID_LIST_POSITION);
  show_label (self->status_label, self->status_label, NULL);
}

static void
fill (DgDustfallEditor       *self,
      const DgDustfallSample *sample)
{
  AdwEntryRow *diameters[] = { self->d1_row, self->d2_row, self->d3_row, self->d4_row };

  for (guint i = 0; self->cells && i < self->cells->len; i++)
    if (g_strcmp0 (((DgGridCell *) g_ptr_array_index (self->cells, i))->id, sample->cell_id) == 0)
      gtk_drop_down_set_selected (self->cell_dropdown, i);
  set_text (self->site_row, sample->site);
  gtk_drop_down_set_selected (self->jar_dropdown, sample->jar == DG_JAR_B ? 1 : 0);
  set_text (self->month_row, sample->month);
  set_text (self->start_row, sample->start);
  set_text (self->end_row, sample->end);
  for (guint i = 0; i < G_N_ELEMENTS (diameters); i++)
    set_number (diameters[i], i < sample->n_diameters ? sample->diameter_cm[i] : NAN);
  set_number (self->w0_row, sample->w0_g);
  set_number (self->w1_row, sample->w1_g);
  set_number (self->wc_row, sample->wc_g);
  gtk_switch_set_active (self->valid_switch, sample->valid);
  set_text (self->notes_row, sample->notes);
}

static void
apply_draft (DgDustfallEditor *self,
             JsonObject       *draft)
{
  JsonNode *texts_node = json_object_get_member (draft, "texts");
  JsonObject *texts = texts_node && JSON_NODE_HOLDS_OBJECT (texts_node) ?
                      json_node_get_object (texts_node) : NULL;
  const char *cell_id = dg_draft_get_text (draft, "cell_id");
  const char **fields;
  AdwEntryRow **rows = entry_rows (self, &fields);

  self->loading = TRUE;
  gtk_drop_down_set_selected (self->cell_dropdown, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; self->cells && i < self->cells->len; i++)
    if (g_strcmp0 (((DgGridCell *) g_ptr_array_index (self->cells, i))->id, cell_id) == 0)
      gtk_drop_down_set_selected (self->cell_dropdown, i);
  gtk_drop_down_set_selected (self->jar_dropdown,
                              g_str_equal (dg_draft_get_text (draft, "jar"), "B") ? 1 : 0);
  gtk_switch_set_active (self->valid_switch,
                         !json_object_has_member (draft, "valid") ||
                         json_object_get_boolean_member (draft, "valid"));
  for (guint i = 0; i < N_ENTRIES; i++)
    set_text (rows[i], dg_draft_get_text (texts, fields[i]));
  show_label (self->status_label, self->status_label,
              _("Unsaved changes were restored from a draft."));
  self->loading = FALSE;
  {
    g_autoptr(JsonObject) now = draft_from_widgets (self);

    self->dirty = differs_from_pristine (self, now);
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
  DgDustfallEditor *self = editor;

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
      dg_draft_keeper_track (self->drafts, DG_RECORD_DUSTFALL_SAMPLE, draft_id);
    }
  apply_draft (self, draft);
}

/* Looks for the draft of sample @id (NULL: of the last new sample never saved) and shows it. */
static void
restore_draft (DgDustfallEditor *self,
               const char       *id)
{
  if (self->store == NULL)
    return;
  self->restoring = TRUE;
  dg_editor_restore_draft (self, self->drafts, DG_RECORD_DUSTFALL_SAMPLE, id, self->id, self->cancellable,
                           draft_found);
}

void
dg_dustfall_editor_new_sample (DgDustfallEditor *self)
{
  g_autofree char *id = dg_uuid_new ();
  g_autofree char *today = dg_date_today ();
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();

  g_return_if_fail (DG_IS_DUSTFALL_EDITOR (self));

  self->loading = TRUE;
  reset (self, id);
  g_free (sample->month);
  sample->month = dg_date_month (today);
  sample->w0_g = sample->w1_g = sample->wc_g = NAN;
  fill (self, sample);
  adw_window_title_set_title (self->window_title, _("New Dust-fall Sample"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  self->loading = FALSE;
  set_pristine (self);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->cell_dropdown));
  restore_draft (self, NULL);
}

gboolean
dg_dustfall_editor_get_other_jar (DgDustfallEditor *self,
                                  char             *jar)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), FALSE);

  if (self->last_saved == NULL)
    return FALSE;
  if (jar != NULL)
    *jar = self->last_saved->jar == DG_JAR_A ? DG_JAR_B : DG_JAR_A;
  return TRUE;
}

gboolean
dg_dustfall_editor_new_other_jar (DgDustfallEditor *self)
{
  g_autofree char *id = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(DgDustfallSample) sample = NULL;

  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), FALSE);

  if (self->last_saved == NULL)
    return FALSE;

  /* The same cell, site, month, exposure and jar mouth; only the weighing is the other jar's. */
  id = dg_uuid_new ();
  sample = dg_dustfall_sample_copy (self->last_saved);
  g_free (sample->id);
  sample->id = g_strdup (id);
  sample->jar = sample->jar == DG_JAR_A ? DG_JAR_B : DG_JAR_A;
  sample->w0_g = sample->w1_g = sample->wc_g = NAN;
  sample->valid = TRUE;
  g_clear_pointer (&sample->notes, g_free);

  self->loading = TRUE;
  reset (self, id);
  fill (self, sample);
  adw_window_title_set_title (self->window_title, _("New Dust-fall Sample"));
  /* Translators: the subtitle of a sample begun from the other jar; %c is A or B */
  subtitle = g_strdup_printf (_("Jar %c, from the jar before"), sample->jar);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  self->loading = FALSE;
  set_pristine (self);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->w0_row));
  return TRUE;
}

/* On the main thread, with the record read (dg_editor_load_async()). */
static gboolean
fill_from_entry (gpointer       editor,
                 DgStoreEntry  *entry,
                 GError       **error)
{
  DgDustfallEditor *self = DG_DUSTFALL_EDITOR (editor);
  g_autoptr(DgDustfallSample) sample = NULL;
  g_autofree char *status = NULL;

  if (entry->type == DG_RECORD_DUSTFALL_SAMPLE && entry->data != NULL)
    sample = dg_record_data_from_json (DG_RECORD_DUSTFALL_SAMPLE, entry->id, entry->data, NULL);
  if (sample == NULL)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_NOT_FOUND, "No dust-fall sample %s", entry->id);
      return FALSE;
    }

  self->loading = TRUE;
  reset (self, entry->id);
  fill (self, sample);
  adw_window_title_set_title (self->window_title, _("Dust-fall Sample"));
  adw_window_title_set_subtitle (self->window_title, dg_sync_status_label (entry->status));
  status = dg_entry_status_message (entry);
  if (status != NULL)
    show_label (self->status_label, self->status_label, status);
  self->dirty = FALSE;
  self->loading = FALSE;
  set_pristine (self);
  update (self);
  restore_draft (self, entry->id);
  return TRUE;
}

void
dg_dustfall_editor_load_async (DgDustfallEditor    *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DG_IS_DUSTFALL_EDITOR (self));
  g_return_if_fail (self->store != NULL);

  dg_editor_load_async (self, self->store, id, fill_from_entry, self->cancellable, cancellable,
                        callback, user_data);
}

gboolean
dg_dustfall_editor_load_finish (DgDustfallEditor  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return dg_editor_load_finish (self, result, error);
}

const char *
dg_dustfall_editor_get_id (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);
  return self->id;
}

GtkEditable *
dg_dustfall_editor_get_entry (DgDustfallEditor *self,
                              const char       *field)
{
  const char **fields;
  AdwEntryRow **rows;

  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);

  rows = entry_rows (self, &fields);
  for (guint i = 0; i < N_ENTRIES; i++)
    if (g_strcmp0 (fields[i], field) == 0)
      return GTK_EDITABLE (rows[i]);
  return NULL;
}

GtkLabel *
dg_dustfall_editor_get_result_label (DgDustfallEditor *self,
                                     const char       *result)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);

  if (g_strcmp0 (result, "days") == 0)
    return self->days_label;
  if (g_strcmp0 (result, "diameter") == 0)
    return self->diameter_label;
  if (g_strcmp0 (result, "area") == 0)
    return self->area_label;
  if (g_strcmp0 (result, "value") == 0)
    return self->value_label;
  if (g_strcmp0 (result, "flags") == 0)
    return self->flags_label;
  if (g_strcmp0 (result, "error") == 0)
    return self->error_label;
  return NULL;
}

GtkDropDown *
dg_dustfall_editor_get_cell_dropdown (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);
  return self->cell_dropdown;
}

static void
leave_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DgDustfallEditor *self = g_task_get_source_object (task);
  DgLeave leave = dg_editor_leave_finish (GTK_WIDGET (object), result);

  if (leave == DG_LEAVE_DISCARDED)
    self->dirty = FALSE;
  g_task_return_boolean (task, leave != DG_LEAVE_STAY);
}

void
dg_dustfall_editor_leave_async (DgDustfallEditor    *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DG_IS_DUSTFALL_EDITOR (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, dg_dustfall_editor_leave_async);
  dg_editor_leave_async (GTK_WIDGET (self), self->drafts, self->dirty,
                         _("Leave This Sample?"), leave_done_cb, task);
}

gboolean
dg_dustfall_editor_leave_finish (DgDustfallEditor *self,
                                 GAsyncResult     *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

gboolean
dg_dustfall_editor_get_dirty (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), FALSE);
  return self->dirty;
}

DgDraftKeeper *
dg_dustfall_editor_get_drafts (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);
  return self->drafts;
}

gboolean
dg_dustfall_editor_get_restoring (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), FALSE);
  return self->restoring;
}

GtkDropDown *
dg_dustfall_editor_get_jar_dropdown (DgDustfallEditor *self)
{
  g_return_val_if_fail (DG_IS_DUSTFALL_EDITOR (self), NULL);
  return self->jar_dropdown;
}
