/* dg-records-tab.c */

#define G_LOG_DOMAIN "dg-records-tab"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dg-records-tab.h"

struct _DgRecordsTab
{
  GtkWidget      parent_instance;

  GtkListBox    *list;

  DgMonthReport *report;
  gboolean       can_return;
};

G_DEFINE_FINAL_TYPE (DgRecordsTab, dg_records_tab, GTK_TYPE_WIDGET)

enum {
  RETURN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void return_clicked_cb (DgRecordsTab *self,
                               GtkButton    *button);

static GtkWindow *
get_window (DgRecordsTab *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
make_row (DgRecordsTab        *self,
          const DgMonthRecord *record)
{
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
  return row;
}

static void
fill (DgRecordsTab *self)
{
  GPtrArray *records = dg_month_report_get_records (self->report);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; i < records->len; i++)
    gtk_list_box_append (self->list, make_row (self, g_ptr_array_index (records, i)));
}

/* ---- Asking for the reason ---- */

static void
reason_changed_cb (AdwMessageDialog *dialog,
                   GtkEditable      *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "return", reason[0] != '\0');
}

static void
return_response_cb (DgRecordsTab     *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "return") != 0)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (reason[0] == '\0')
    return;

  g_signal_emit (self, signals[RETURN_RECORD], 0,
                 (const char *) g_object_get_data (G_OBJECT (dialog), "dg-id"), reason);
}

static void
return_clicked_cb (DgRecordsTab *self,
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

/* ---- GObject ---- */

static void
dg_records_tab_dispose (GObject *object)
{
  DgRecordsTab *self = (DgRecordsTab *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_RECORDS_TAB);
  /* The template's root is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_records_tab_parent_class)->dispose (object);
}

static void
dg_records_tab_class_init (DgRecordsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_records_tab_dispose;

  /* The user confirmed returning a record: its id and the reason, trimmed and not empty. */
  signals[RETURN_RECORD] = g_signal_new ("return-record", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-records-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DgRecordsTab, list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_records_tab_init (DgRecordsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- Public API ---- */

GtkWidget *
dg_records_tab_new (void)
{
  return g_object_new (DG_TYPE_RECORDS_TAB, NULL);
}

void
dg_records_tab_set_report (DgRecordsTab  *self,
                           DgMonthReport *report)
{
  g_return_if_fail (DG_IS_RECORDS_TAB (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (g_set_object (&self->report, report) && report != NULL)
    fill (self);
}

void
dg_records_tab_set_can_return (DgRecordsTab *self,
                               gboolean      can_return)
{
  g_return_if_fail (DG_IS_RECORDS_TAB (self));

  can_return = !!can_return;
  if (self->can_return == can_return)
    return;
  self->can_return = can_return;
  if (self->report != NULL)
    fill (self);
}

GtkListBox *
dg_records_tab_get_list (DgRecordsTab *self)
{
  g_return_val_if_fail (DG_IS_RECORDS_TAB (self), NULL);
  return self->list;
}
