/* dg-password-dialog.c
 *
 * The new password is checked with common/'s rule before anything is sent, so the dialog and
 * the server refuse the same passwords; each message names the field it is about, and that
 * row is marked. On success the engine has already stored the server's fresh token.
 */

#define G_LOG_DOMAIN "dg-password-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"
#include "dg-password-dialog.h"
#include "dg-window.h"

struct _DgPasswordDialog
{
  AdwWindow     parent_instance;

  AdwEntryRow  *old_row;
  AdwEntryRow  *new_row;
  AdwEntryRow  *repeat_row;
  GtkLabel     *error_label;

  DgSyncEngine *engine;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DgPasswordDialog, dg_password_dialog, ADW_TYPE_WINDOW)

/* Shows @text under the fields and marks @row (NULL: none) as the one it is about. */
static void
show_error (DgPasswordDialog *self,
            AdwEntryRow      *row,
            const char       *text)
{
  AdwEntryRow *rows[] = { self->old_row, self->new_row, self->repeat_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == row)
      gtk_widget_add_css_class (GTK_WIDGET (rows[i]), "error");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
password_changed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgPasswordDialog *self;

  if (!dg_sync_engine_change_password_finish (DG_SYNC_ENGINE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DG_PASSWORD_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "password.change", TRUE);

  if (error == NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      if (DG_IS_WINDOW (parent))
        dg_window_add_toast (DG_WINDOW (parent),
                             _("Password changed. Other devices must sign in again."));
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, DG_ERROR, DG_ERROR_UNAUTHORIZED))
    show_error (self, self->old_row, _("Current password: it is not the right one."));
  else if (g_error_matches (error, DG_ERROR, DG_ERROR_INVALID_FIELD))
    {
      g_autofree char *text = dg_describe_error (error);
      show_error (self, self->new_row, text);
    }
  else
    {
      g_autofree char *text = dg_describe_error (error);
      show_error (self, NULL, text);
    }
}

static void
change_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DgPasswordDialog *self = DG_PASSWORD_DIALOG (widget);
  const char *old_password = gtk_editable_get_text (GTK_EDITABLE (self->old_row));
  const char *new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  g_autoptr(GError) error = NULL;

  if (old_password[0] == '\0')
    {
      show_error (self, self->old_row, _("Current password: enter the password you use now."));
      return;
    }
  if (!dg_password_validate (new_password, "new_password", &error))
    {
      g_autofree char *text = dg_describe_error (error);
      show_error (self, self->new_row, text);
      return;
    }
  if (!g_str_equal (new_password, repeat))
    {
      show_error (self, self->repeat_row,
                  _("Repeat new password: it is not the same as the new password."));
      return;
    }
  if (g_str_equal (new_password, old_password))
    {
      show_error (self, self->new_row,
                  _("New password: it must differ from the current password."));
      return;
    }

  show_error (self, NULL, NULL);
  gtk_widget_action_set_enabled (widget, "password.change", FALSE);
  dg_sync_engine_change_password_async (self->engine, old_password, new_password,
                                        self->cancellable, password_changed_cb, self);
}

static void
repeat_activated_cb (DgPasswordDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "password.change", NULL);
}

static void
dg_password_dialog_dispose (GObject *object)
{
  DgPasswordDialog *self = (DgPasswordDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_PASSWORD_DIALOG);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_password_dialog_parent_class)->dispose (object);
}

static void
dg_password_dialog_class_init (DgPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_password_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DgPasswordDialog, old_row);
  gtk_widget_class_bind_template_child (widget_class, DgPasswordDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, DgPasswordDialog, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, DgPasswordDialog, error_label);

  gtk_widget_class_install_action (widget_class, "password.change", NULL, change_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dg_password_dialog_init (DgPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->repeat_row, "entry-activated",
                            G_CALLBACK (repeat_activated_cb), self);
}

DgPasswordDialog *
dg_password_dialog_new (GtkWindow    *parent,
                        DgSyncEngine *engine)
{
  DgPasswordDialog *self;

  g_return_val_if_fail (DG_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (DG_TYPE_PASSWORD_DIALOG, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);
  return self;
}

const char *
dg_password_dialog_get_error (DgPasswordDialog *self)
{
  g_return_val_if_fail (DG_IS_PASSWORD_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}
