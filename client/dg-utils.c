/* dg-utils.c */

#define G_LOG_DOMAIN "dg-utils"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "dg-utils.h"

gboolean
dg_parse_number (const char *text,
                 double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0')
    return FALSE;
  /* A comma is the decimal separator on many keyboards' number pads. */
  g_strdelimit (copy, ",", '.');
  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

char *
dg_format_number (double value,
                  int    decimals)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.*f", decimals, value);
}

const char *
dg_surface_label (DgSurface surface)
{
  switch (surface)
    {
    case DG_SURFACE_MAIN: return _("Main road");
    case DG_SURFACE_SIDE: return _("Sidewalk or side road");
    case DG_SURFACE_PARK: return _("Industrial park");
    case DG_N_SURFACES:
    default: return "";
    }
}

const char *
dg_dustfall_flag_label (guint index)
{
  switch (1u << index)
    {
    case DG_DUSTFALL_FLAG_BELOW_DETECTION: return _("Below the detection limit");
    case DG_DUSTFALL_FLAG_BELOW_QUANTITATION: return _("Below the quantitation limit");
    case DG_DUSTFALL_FLAG_NONSTANDARD_PERIOD: return _("Non-standard sampling period");
    default: return dg_dustfall_flag_to_string (index);
    }
}

const char *
dg_road_name (GPtrArray  *roads,
              const char *road_id)
{
  g_return_val_if_fail (roads != NULL, NULL);

  for (guint i = 0; i < roads->len; i++)
    {
      const DgRoad *road = g_ptr_array_index (roads, i);

      if (g_strcmp0 (road->id, road_id) == 0)
        return road->name;
    }
  return _("Unknown road");
}

const char *
dg_sync_status_label (DgSyncStatus status)
{
  switch (status)
    {
    case DG_SYNC_STATUS_SYNCED: return _("Synced");
    case DG_SYNC_STATUS_PENDING: return _("Pending");
    case DG_SYNC_STATUS_CONFLICT: return _("Conflict");
    case DG_SYNC_STATUS_REJECTED: return _("Rejected");
    case DG_SYNC_STATUS_RETURNED: return _("Returned");
    case DG_SYNC_STATUS_LOCAL: return _("Sample data");
    default: return "";
    }
}

void
dg_widget_set_invalid (GtkWidget *widget,
                       gboolean   invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

void
dg_widget_set_pass_class (GtkWidget *widget,
                          int        pass)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "error");
  if (pass == 1)
    gtk_widget_add_css_class (widget, "success");
  else if (pass == 0)
    gtk_widget_add_css_class (widget, "error");
}

void
dg_list_box_set_placeholder_text (GtkListBox *list,
                                  const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_set_placeholder (list, label);
}

char *
dg_entry_status_message (const DgStoreEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->status == DG_SYNC_STATUS_RETURNED)
    return g_strdup_printf (_("Returned for correction: %s"), entry->reason ? entry->reason : "");
  if (entry->status == DG_SYNC_STATUS_REJECTED)
    return g_strdup_printf (_("Rejected by the server: %s"), entry->message ? entry->message : "");
  return NULL;
}

static void
editor_entry_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DgStoreEntry) entry = NULL;
  GError *error = NULL;
  DgEditorFillFunc fill = g_task_get_task_data (task);

  entry = dg_local_store_get_entry_finish (DG_LOCAL_STORE (object), result, &error);
  /* Cancelled through the guard: the editor is disposed, and is not touched. */
  if (entry == NULL || !fill (g_task_get_source_object (task), entry, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
dg_editor_load_async (gpointer             editor,
                      DgLocalStore        *store,
                      const char          *id,
                      DgEditorFillFunc     fill,
                      GCancellable        *guard,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_OBJECT (editor));
  g_return_if_fail (DG_IS_LOCAL_STORE (store));
  g_return_if_fail (id != NULL && fill != NULL);

  task = g_task_new (editor, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_editor_load_async);
  g_task_set_task_data (task, fill, NULL);
  dg_local_store_get_entry_async (store, id, guard, editor_entry_read_cb, g_steal_pointer (&task));
}

gboolean
dg_editor_load_finish (gpointer       editor,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, editor), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
leave_flushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  dg_draft_keeper_flush_finish (DG_DRAFT_KEEPER (object), result, NULL);
  g_task_return_int (task, GPOINTER_TO_INT (g_task_get_task_data (task)));
}

static void
leave_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   GTask            *task)
{
  DgDraftKeeper *keeper = g_object_get_data (G_OBJECT (task), "keeper");
  DgLeave leave;

  g_signal_handlers_disconnect_by_func (dialog, leave_response_cb, task);
  if (g_str_equal (response, "discard"))
    {
      leave = DG_LEAVE_DISCARDED;
      dg_draft_keeper_discard (keeper);
    }
  else if (g_str_equal (response, "keep"))
    leave = DG_LEAVE_KEPT;
  else
    {
      g_task_return_int (task, DG_LEAVE_STAY);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, GINT_TO_POINTER (leave), NULL);
  dg_draft_keeper_flush_async (keeper, leave_flushed_cb, task);
}

void
dg_editor_leave_async (GtkWidget           *editor,
                       DgDraftKeeper       *keeper,
                       gboolean             dirty,
                       const char          *heading,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GtkWidget *dialog;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (editor));
  g_return_if_fail (DG_IS_DRAFT_KEEPER (keeper));

  task = g_task_new (editor, NULL, callback, user_data);
  g_task_set_source_tag (task, dg_editor_leave_async);
  g_object_set_data_full (G_OBJECT (task), "keeper", g_object_ref (keeper), g_object_unref);
  if (!dirty)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (DG_LEAVE_CLEAN), NULL);
      dg_draft_keeper_flush_async (keeper, leave_flushed_cb, task);
      return;
    }

  root = gtk_widget_get_root (editor);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The changes have not been saved. A kept draft comes "
                                     "back when this record is opened again, even after a "
                                     "restart."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "keep", _("Keep _Draft"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (leave_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

DgLeave
dg_editor_leave_finish (GtkWidget    *editor,
                        GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, editor), DG_LEAVE_STAY);
  return g_task_propagate_int (G_TASK (result), NULL);
}

typedef struct
{
  gpointer           editor;     /* alive while guard is not cancelled */
  char              *asked_for;
  DgEditorDraftFunc  found;
} RestoreData;

static void
draft_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RestoreData *restore = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *draft_id = NULL;
  g_autoptr(JsonObject) draft = NULL;

  draft = dg_draft_keeper_restore_finish (DG_DRAFT_KEEPER (object), result, &draft_id, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error)
        g_warning ("Cannot read the draft: %s", error->message);
      restore->found (restore->editor, restore->asked_for, draft_id, draft);
    }
  g_free (restore->asked_for);
  g_free (restore);
}

void
dg_editor_restore_draft (gpointer           editor,
                         DgDraftKeeper     *keeper,
                         DgRecordType       type,
                         const char        *id,
                         const char        *asked_for,
                         GCancellable      *guard,
                         DgEditorDraftFunc  found)
{
  RestoreData *restore;

  g_return_if_fail (G_IS_OBJECT (editor));
  g_return_if_fail (DG_IS_DRAFT_KEEPER (keeper));

  restore = g_new0 (RestoreData, 1);
  restore->editor = editor;
  restore->asked_for = g_strdup (asked_for);
  restore->found = found;
  dg_draft_keeper_restore_async (keeper, type, id, guard, draft_read_cb, restore);
}
