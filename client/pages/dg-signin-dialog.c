/* dg-signin-dialog.c */

#define G_LOG_DOMAIN "dg-signin-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-signin-dialog.h"
#include "dg-token-store.h"
#include "dg-window.h"

struct _DgSigninDialog
{
  AdwWindow     parent_instance;

  AdwEntryRow  *url_row;
  AdwEntryRow  *username_row;
  AdwEntryRow  *password_row;
  AdwEntryRow  *ca_row;
  GtkLabel     *error_label;
  GtkButton    *sign_in_button;

  DgSyncEngine *engine;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;  /* while one is open */
};

G_DEFINE_FINAL_TYPE (DgSigninDialog, dg_signin_dialog, ADW_TYPE_WINDOW)

static void
show_error (DgSigninDialog *self,
            const char     *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgSigninDialog *self;

  if (!dg_sync_engine_sign_in_finish (DG_SYNC_ENGINE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DG_SIGNIN_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.sign-in", TRUE);

  if (error == NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      /* The design wants secrets in the keyring; where none answered, the user should know. */
      if (DG_IS_WINDOW (parent) &&
          !dg_token_store_get_in_keyring (dg_sync_engine_get_tokens (self->engine)))
        dg_window_add_toast (DG_WINDOW (parent),
                             _("No keyring answered: the session is in a file only you can read"));
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, DG_SYNC_ERROR, DG_SYNC_ERROR_UNAUTHORIZED))
    show_error (self, _("The user name or the password is wrong."));
  else
    show_error (self, error->message);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DgSigninDialog *self = DG_SIGNIN_DIALOG (widget);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *ca_file = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ca_row)));

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      show_error (self, _("The server address starts with http:// or https://."));
      return;
    }
  if (username[0] == '\0')
    {
      show_error (self, _("Enter your user name."));
      return;
    }

  g_strstrip (ca_file);
  if (ca_file[0] != '\0' && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      show_error (self, _("The certificate authority file does not exist."));
      return;
    }

  show_error (self, NULL);
  gtk_widget_action_set_enabled (widget, "signin.sign-in", FALSE);
  /* Kept in the settings; the sign-in below already checks the server against it. */
  dg_sync_engine_set_ca_file (self->engine, ca_file);
  dg_sync_engine_sign_in_async (self->engine, url, username, password, self->cancellable,
                                signed_in_cb, self);
}

static void
ca_file_chosen_cb (DgSigninDialog  *self,
                   int              response,
                   GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        gtk_editable_set_text (GTK_EDITABLE (self->ca_row), path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DgSigninDialog *self = DG_SIGNIN_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Certificate Authority File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (ca_file_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
password_activated_cb (DgSigninDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.sign-in", NULL);
}

static void
dg_signin_dialog_dispose (GObject *object)
{
  DgSigninDialog *self = (DgSigninDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_SIGNIN_DIALOG);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_signin_dialog_parent_class)->dispose (object);
}

static void
dg_signin_dialog_class_init (DgSigninDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_signin_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-signin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, ca_row);
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DgSigninDialog, sign_in_button);

  gtk_widget_class_install_action (widget_class, "signin.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "signin.choose-ca-file", NULL,
                                   choose_ca_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dg_signin_dialog_init (DgSigninDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->password_row, "entry-activated",
                            G_CALLBACK (password_activated_cb), self);
}

DgSigninDialog *
dg_signin_dialog_new (GtkWindow    *parent,
                      DgSyncEngine *engine)
{
  DgSigninDialog *self;
  DgTokenStore *tokens;
  const char *url;

  g_return_val_if_fail (DG_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (DG_TYPE_SIGNIN_DIALOG, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);

  tokens = dg_sync_engine_get_tokens (engine);
  url = dg_sync_engine_get_server_url (engine);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url && url[0] ? url : "http://");
  gtk_editable_set_text (GTK_EDITABLE (self->ca_row), dg_sync_engine_get_ca_file (engine));
  if (dg_token_store_get_username (tokens))
    gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                           dg_token_store_get_username (tokens));
  return self;
}
