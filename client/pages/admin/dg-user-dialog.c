/* dg-user-dialog.c
 *
 * What is typed is checked with common/'s rules for a user before it is sent (the server checks
 * the same again); each message names its field and marks its row. The server's refusals that
 * the app can name (a taken name, the last administrator) are said in the user's language,
 * others in the server's words.
 */

#define G_LOG_DOMAIN "dg-user-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"
#include "dg-user-dialog.h"

struct _DgUserDialog
{
  AdwWindow     parent_instance;

  AdwWindowTitle *window_title;
  AdwEntryRow  *username_row;
  AdwEntryRow  *display_name_row;
  AdwComboRow  *role_row;
  AdwComboRow  *unit_row;
  AdwActionRow *disabled_row;
  GtkSwitch    *disabled_switch;
  AdwPreferencesGroup *password_group;
  AdwPasswordEntryRow *password_row;
  GtkWidget    *revoke_button;
  GtkLabel     *error_label;

  DgApiClient  *api;
  DgUser       *user;          /* NULL: a new one */
  GPtrArray    *units;         /* DgUnit *, in the unit picker's order after "None" */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DgUserDialog, dg_user_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
dg_user_dialog_role_name (DgRole role)
{
  switch (role)
    {
    case DG_ROLE_INSPECTOR:
      return _("Inspector");
    case DG_ROLE_OFFICE:
      /* Translators: the dust-control office's role (控尘办). */
      return C_("role", "Office");
    case DG_ROLE_ADMIN:
      return _("Administrator");
    case DG_ROLE_UNIT:
      /* Translators: a responsible unit's role (责任单位). */
      return C_("role", "Unit");
    case DG_N_ROLES:
    default:
      return "";
    }
}

static GtkWidget *
row_for_field (DgUserDialog *self,
               const char   *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_equal (field, "username"))
    return GTK_WIDGET (self->username_row);
  if (g_str_equal (field, "display_name"))
    return GTK_WIDGET (self->display_name_row);
  if (g_str_equal (field, "role"))
    return GTK_WIDGET (self->role_row);
  if (g_str_equal (field, "unit_id"))
    return GTK_WIDGET (self->unit_row);
  if (g_str_equal (field, "password"))
    return GTK_WIDGET (self->password_row);
  return NULL;
}

static void
show_error (DgUserDialog *self,
            const char   *field,
            const char   *text)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->username_row), GTK_WIDGET (self->display_name_row),
                        GTK_WIDGET (self->role_row), GTK_WIDGET (self->unit_row),
                        GTK_WIDGET (self->password_row) };
  GtkWidget *row = row_for_field (self, field);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == row)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/* A refusal, in the words that fit what was asked. */
static void
show_refusal (DgUserDialog *self,
              GError       *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, DG_ERROR, DG_ERROR_CONFLICT))
    text = g_strdup (self->user == NULL
                     ? _("User name: a user of this name exists already.")
                     : _("This would leave no administrator who can sign in."));
  else if (g_error_matches (error, DG_ERROR, DG_ERROR_INVALID_FIELD) &&
           dg_error_get_field (error) != NULL)
    text = dg_describe_field_error (error);
  else if (error->domain == DG_ERROR &&
           (error->code == DG_ERROR_FORBIDDEN || error->code == DG_ERROR_NOT_FOUND))
    text = g_strdup (error->message);   /* the server's words: what it says is all we know */
  else
    text = dg_describe_error (error);
  show_error (self, dg_error_get_field (error), text);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgUser) user = NULL;
  DgUserDialog *self;

  user = dg_api_client_user_finish (DG_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DG_USER_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.save", TRUE);
  if (user == NULL)
    {
      show_refusal (self, error);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, user);
  gtk_window_close (GTK_WINDOW (self));
}

/* "" is none. */
static char *
dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/* The unit picked (position 0 is "None"). */
static const char *
chosen_unit (DgUserDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->unit_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->units->len)
    return NULL;
  return ((DgUnit *) g_ptr_array_index (self->units, selected - 1))->id;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DgUserDialog *self = DG_USER_DIALOG (widget);
  g_autoptr(DgUser) typed = dg_user_new ();
  g_autoptr(GError) error = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  typed->username = self->user ? g_strdup (self->user->username) : dup_text (self->username_row);
  typed->display_name = dup_text (self->display_name_row);
  typed->role = (DgRole) adw_combo_row_get_selected (self->role_row);
  typed->unit_id = g_strdup (chosen_unit (self));
  typed->disabled = gtk_switch_get_active (self->disabled_switch);

  if (!dg_user_validate (typed, &error) ||
      ((self->user == NULL || password[0] != '\0') &&
       !dg_password_validate (password, "password", &error)))
    {
      g_autofree char *text = dg_describe_field_error (error);

      show_error (self, dg_error_get_field (error), text);
      return;
    }

  show_error (self, NULL, NULL);
  gtk_widget_action_set_enabled (widget, "user.save", FALSE);
  if (self->user == NULL)
    dg_api_client_create_user_async (self->api, typed, password, self->cancellable, saved_cb,
                                     self);
  else
    {
      g_autoptr(DgUserPatch) patch = g_new0 (DgUserPatch, 1);

      /* Only what changed: a role or a password sent again would end the user's sessions. */
      patch->set_role = typed->role != self->user->role;
      patch->role = typed->role;
      patch->set_display_name = g_strcmp0 (typed->display_name, self->user->display_name) != 0;
      patch->display_name = g_strdup (typed->display_name);
      patch->set_unit_id = g_strcmp0 (typed->unit_id, self->user->unit_id) != 0;
      patch->unit_id = g_strdup (typed->unit_id);
      patch->set_disabled = typed->disabled != self->user->disabled;
      patch->disabled = typed->disabled;
      patch->password = password[0] != '\0' ? g_strdup (password) : NULL;
      dg_api_client_patch_user_async (self->api, self->user->username, patch, self->cancellable,
                                      saved_cb, self);
    }
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgUserDialog *self;
  gint64 revoked;

  revoked = dg_api_client_revoke_user_finish (DG_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DG_USER_DIALOG (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "user.revoke", TRUE);
  if (revoked < 0)
    {
      show_refusal (self, error);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%d session ended.",
                                                          "%d sessions ended.", revoked),
                                             (int) revoked);
    gtk_label_set_label (self->error_label, text);
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  }
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DgUserDialog *self = DG_USER_DIALOG (widget);

  if (self->user == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "user.revoke", FALSE);
  dg_api_client_revoke_user_async (self->api, self->user->username, self->cancellable,
                                   revoked_cb, self);
}

static void
dg_user_dialog_dispose (GObject *object)
{
  DgUserDialog *self = (DgUserDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_USER_DIALOG);
  g_clear_object (&self->api);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_user_dialog_parent_class)->dispose (object);
}

static void
dg_user_dialog_finalize (GObject *object)
{
  DgUserDialog *self = (DgUserDialog *)object;

  g_clear_pointer (&self->user, dg_user_free);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (dg_user_dialog_parent_class)->finalize (object);
}

static void
dg_user_dialog_class_init (DgUserDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_user_dialog_dispose;
  object_class->finalize = dg_user_dialog_finalize;

  /**
   * DgUserDialog::saved:
   * @user: (type gpointer): the DgUser as the server now holds it
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-user-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, disabled_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, disabled_switch);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, password_group);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, revoke_button);
  gtk_widget_class_bind_template_child (widget_class, DgUserDialog, error_label);

  gtk_widget_class_install_action (widget_class, "user.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "user.revoke", NULL, revoke_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dg_user_dialog_init (DgUserDialog *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* In DgRole's order: the selected position is the role. */
  for (DgRole role = 0; role < DG_N_ROLES; role++)
    gtk_string_list_append (roles, dg_user_dialog_role_name (role));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
}

/* "None", then each unit as "code name"; a unit id that is not among them (a unit removed
 * since, or not pulled yet) is kept as its id, so that saving does not drop it. */
static void
fill_unit_picker (DgUserDialog *self,
                  GPtrArray    *units,
                  const char   *unit_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  for (guint i = 0; units != NULL && i < units->len; i++)
    g_ptr_array_add (self->units, dg_unit_copy (g_ptr_array_index (units, i)));
  if (unit_id != NULL)
    {
      for (guint i = 0; i < self->units->len && selected == 0; i++)
        if (g_strcmp0 (((DgUnit *) g_ptr_array_index (self->units, i))->id, unit_id) == 0)
          selected = i + 1;
      if (selected == 0)
        {
          DgUnit *unknown = dg_unit_new ();

          unknown->id = g_strdup (unit_id);
          unknown->code = g_strdup (unit_id);
          unknown->name = g_strdup ("");
          g_ptr_array_add (self->units, unknown);
          selected = self->units->len;
        }
    }

  /* Translators: no unit chosen. */
  gtk_string_list_append (names, C_("unit", "None"));
  for (guint i = 0; i < self->units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (self->units, i);
      g_autofree char *label = g_strdup_printf ("%s %s", unit->code, unit->name);

      gtk_string_list_append (names, g_strstrip (label));
    }
  adw_combo_row_set_model (self->unit_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->unit_row, selected);
}

DgUserDialog *
dg_user_dialog_new (GtkWindow    *parent,
                    DgApiClient  *api,
                    const DgUser *user,
                    GPtrArray    *units)
{
  DgUserDialog *self;

  g_return_val_if_fail (DG_IS_API_CLIENT (api), NULL);

  self = g_object_new (DG_TYPE_USER_DIALOG, "transient-for", parent, NULL);
  self->api = g_object_ref (api);
  fill_unit_picker (self, units, user ? user->unit_id : NULL);
  if (user == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Add User"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("Password"));
      /* A new user has no sessions to end yet. */
      adw_preferences_group_set_description (self->password_group,
                                             _("At least 10 characters. Tell it to the user, "
                                               "who can change it from the main menu."));
      gtk_widget_set_visible (GTK_WIDGET (self->disabled_row), FALSE);
      gtk_widget_set_visible (self->revoke_button, FALSE);
      return self;
    }

  self->user = dg_user_copy (user);
  adw_window_title_set_title (self->window_title, user->username);
  gtk_widget_set_visible (GTK_WIDGET (self->username_row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         user->display_name ? user->display_name : "");
  adw_combo_row_set_selected (self->role_row, user->role);
  gtk_switch_set_active (self->disabled_switch, user->disabled);
  return self;
}

const char *
dg_user_dialog_get_error (DgUserDialog *self)
{
  g_return_val_if_fail (DG_IS_USER_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}
