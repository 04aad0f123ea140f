/* dg-users-page.c
 *
 * The list is the server's (GET /api/v1/users): users are not kept in the local store, since
 * only an online administrator may change them. Each row says name, display name, role, unit,
 * whether disabled, and the last sign-in; the search matches name and display name.
 */

#define G_LOG_DOMAIN "dg-users-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"
#include "dg-user-dialog.h"
#include "dg-users-page.h"

struct _DgUsersPage
{
  GtkBox          parent_instance;

  GtkSearchEntry *search_entry;
  GtkListBox     *list;
  GtkLabel       *status_label;

  DgApiClient    *api;
  DgLocalStore   *store;
  GPtrArray      *users;        /* DgUser, as last read */
  GPtrArray      *units;        /* DgUnit, from the local store */
  GtkWindow      *dialog;       /* weak */
  GCancellable   *cancellable;
  guint           pending;      /* reads under way: the users, the units; "loading" while any */
};

G_DEFINE_FINAL_TYPE (DgUsersPage, dg_users_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The page is "loading" while any of the reads of the last reload is under way. */
static void
set_pending (DgUsersPage *self,
             guint        pending)
{
  gboolean was_loading = self->pending > 0;

  self->pending = pending;
  if (was_loading != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_status (DgUsersPage *self,
             const char  *text)
{
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static const char *
unit_name (DgUsersPage *self,
           const char  *unit_id)
{
  for (guint i = 0; self->units != NULL && i < self->units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (self->units, i);

      if (g_strcmp0 (unit->id, unit_id) == 0)
        return unit->name;
    }
  return NULL;
}

/* "Unit · 府城街道 · disabled · last signed in 2026-12-06 09:12". */
static char *
describe_user (DgUsersPage  *self,
               const DgUser *user)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (dg_user_dialog_role_name (user->role)));
  if (user->unit_id != NULL && unit_name (self, user->unit_id) != NULL)
    g_ptr_array_add (parts, g_strdup (unit_name (self, user->unit_id)));
  else if (user->unit_id != NULL)
    /* Translators: the unit a unit user answers for, by its id (not known on this device). */
    g_ptr_array_add (parts, g_strdup_printf (_("unit %.8s"), user->unit_id));
  if (user->disabled)
    g_ptr_array_add (parts, g_strdup (_("disabled")));
  if (user->last_login_at != NULL)
    {
      g_autofree char *when = g_strndup (user->last_login_at, 16);

      g_strdelimit (when, "T", ' ');
      g_ptr_array_add (parts, g_strdup_printf (_("last signed in %s UTC"), when));
    }
  else
    g_ptr_array_add (parts, g_strdup (_("never signed in")));
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator of a user's facts in the list of users. */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static gboolean
filter_cb (GtkListBoxRow *row,
           gpointer       user_data)
{
  DgUsersPage *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const DgUser *user = g_object_get_data (G_OBJECT (row), "dg-user");
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (query[0] == '\0' || user == NULL)
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  haystack = g_utf8_casefold (user->display_name ? user->display_name : "", -1);
  if (strstr (haystack, needle) != NULL)
    return TRUE;
  g_free (haystack);
  haystack = g_utf8_casefold (user->username, -1);
  return strstr (haystack, needle) != NULL;
}

static void
search_changed_cb (DgUsersPage *self)
{
  gtk_list_box_invalidate_filter (self->list);
}

static void
fill_list (DgUsersPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; self->users != NULL && i < self->users->len; i++)
    {
      const DgUser *user = g_ptr_array_index (self->users, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = describe_user (self, user);
      g_autofree char *title = user->display_name
        /* Translators: a user's display name and user name in the list of users. */
        ? g_strdup_printf (_("%s (%s)"), user->display_name, user->username)
        : g_strdup (user->username);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
      g_object_set_data (G_OBJECT (row), "dg-user", (gpointer) user);
      gtk_list_box_append (self->list, row);
    }
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  DgUsersPage *self;

  users = dg_api_client_list_users_finish (DG_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DG_USERS_PAGE (user_data);
  if (users == NULL)
    {
      g_autofree char *text = dg_describe_error (error);

      show_status (self, text);
    }
  else
    {
      show_status (self, NULL);
      g_clear_pointer (&self->users, g_ptr_array_unref);
      self->users = g_steal_pointer (&users);
      fill_list (self);
    }
  set_pending (self, self->pending - 1);
}

static void
user_saved_cb (DgUsersPage *self,
               gpointer     user)
{
  dg_users_page_reload (self);
}

static void
open_dialog (DgUsersPage  *self,
             const DgUser *user)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->api == NULL || self->dialog != NULL)
    return;
  self->dialog = GTK_WINDOW (dg_user_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                 self->api, user, self->units));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  g_signal_connect_object (self->dialog, "saved", G_CALLBACK (user_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (self->dialog);
}

static void
row_activated_cb (DgUsersPage   *self,
                  GtkListBoxRow *row)
{
  open_dialog (self, g_object_get_data (G_OBJECT (row), "dg-user"));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (DG_USERS_PAGE (widget), NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dg_users_page_reload (DG_USERS_PAGE (widget));
}

static void
dg_users_page_dispose (GObject *object)
{
  DgUsersPage *self = (DgUsersPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (self->dialog);
      self->dialog = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_USERS_PAGE);
  g_clear_object (&self->api);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_users_page_parent_class)->dispose (object);
}

static void
dg_users_page_finalize (GObject *object)
{
  DgUsersPage *self = (DgUsersPage *)object;

  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (dg_users_page_parent_class)->finalize (object);
}

static void
dg_users_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DgUsersPage *self = DG_USERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, dg_users_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_users_page_class_init (DgUsersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_users_page_dispose;
  object_class->finalize = dg_users_page_finalize;
  object_class->get_property = dg_users_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-users-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgUsersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DgUsersPage, list);
  gtk_widget_class_bind_template_child (widget_class, DgUsersPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "users.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "users.reload", NULL, reload_action);
}

static void
dg_users_page_init (DgUsersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_filter_func (self->list, filter_cb, self, NULL);
}

GtkWidget *
dg_users_page_new (void)
{
  return g_object_new (DG_TYPE_USERS_PAGE, NULL);
}

void
dg_users_page_set_api (DgUsersPage *self,
                       DgApiClient *api)
{
  g_return_if_fail (DG_IS_USERS_PAGE (self));
  g_set_object (&self->api, api);
}

void
dg_users_page_set_store (DgUsersPage  *self,
                         DgLocalStore *store)
{
  g_return_if_fail (DG_IS_USERS_PAGE (self));
  g_set_object (&self->store, store);
}

/* On a worker thread. */
static gpointer
list_units_func (DgLocalStore  *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return dg_local_store_list_units (store);
}

static void
units_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *units = dg_local_store_run_finish (DG_LOCAL_STORE (object), result, &error);
  DgUsersPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page may be gone */
  self = DG_USERS_PAGE (user_data);
  if (units != NULL)
    {
      g_clear_pointer (&self->units, g_ptr_array_unref);
      self->units = units;
      fill_list (self);
    }
  else
    g_warning ("Reading the units: %s", error->message);
  set_pending (self, self->pending - 1);
}

void
dg_users_page_reload (DgUsersPage *self)
{
  g_return_if_fail (DG_IS_USERS_PAGE (self));

  if (self->api == NULL || !dg_api_client_has_token (self->api))
    return;
  /* A reload replaces the one under way. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_pending (self, 1);
  dg_api_client_list_users_async (self->api, self->cancellable, listed_cb, self);
  /* The unit names the list and the dialog show are the local store's (pulled with the
   * reference data). */
  if (self->store != NULL && dg_local_store_get_open (self->store))
    {
      set_pending (self, self->pending + 1);
      dg_local_store_run_async (self->store, list_units_func, NULL, NULL,
                                (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                                units_listed_cb, self);
    }
}

gboolean
dg_users_page_get_loading (DgUsersPage *self)
{
  g_return_val_if_fail (DG_IS_USERS_PAGE (self), FALSE);
  return self->pending > 0;
}

GtkListBox *
dg_users_page_get_list (DgUsersPage *self)
{
  g_return_val_if_fail (DG_IS_USERS_PAGE (self), NULL);
  return self->list;
}

GtkWindow *
dg_users_page_get_dialog (DgUsersPage *self)
{
  g_return_val_if_fail (DG_IS_USERS_PAGE (self), NULL);
  return self->dialog;
}
