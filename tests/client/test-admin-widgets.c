/* test-admin-widgets.c: what a signed-in user and an administrator do in the app (design 6.1),
 * through the real widgets, against the real server binary on loopback. */

#include "config.h"

#include <glib/gstdio.h>

#include "dustgrid-common.h"
#include "dg-password-dialog.h"
#include "dg-test-client.h"

typedef struct
{
  char          *dir;
  DgTestProcess *process;
  SoupSession   *session;
  DgTestClient  *client;
  DgWindow      *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  const char *username = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *client_dir = NULL;
  const char *options[] = { "--listen", "127.0.0.1", NULL };

  fixture->dir = g_dir_make_tmp ("dg-admin-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "server.db", NULL);
  dg_test_make_db (db, TRUE);
  fixture->process = dg_test_process_start (db, TRUE, options);
  fixture->session = dg_test_session_new ();

  client_dir = g_build_filename (fixture->dir, "client", NULL);
  fixture->client = dg_test_client_new (client_dir);
  dg_test_client_sign_in (fixture->client, fixture->process->url, username, &error);
  g_assert_no_error (error);

  fixture->window = dg_window_new (NULL, fixture->client->store, fixture->client->engine);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *client_dir = g_build_filename (fixture->dir, "client", NULL);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  dg_test_spin (50);
  g_clear_pointer (&fixture->client, dg_test_client_free);
  dg_test_remove_dir (client_dir);
  g_clear_pointer (&fixture->process, dg_test_process_free);
  g_clear_object (&fixture->session);
  dg_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The entry row of @dialog whose title is @title. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ENTRY_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_row (GtkWidget  *dialog,
         const char *title,
         const char *text)
{
  GtkWidget *row = find_row (dialog, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
dialog_answered (gpointer data)
{
  DgWindow *window = data;
  GtkWindow *dialog = dg_window_get_password_dialog (window);

  return dialog == NULL ||
         dg_password_dialog_get_error (DG_PASSWORD_DIALOG (dialog)) != NULL;
}

/* The main menu's Change Password: each wrong entry is named by its field and sends nothing;
 * the right one replaces the stored token with the server's fresh one, the old token is
 * refused at once, and the new password signs in. */
static void
test_change_password (Fixture       *fixture,
                      gconstpointer  user_data)
{
  DgTokenStore *tokens = fixture->client->tokens;
  g_autofree char *old_token = g_strdup (dg_token_store_get_token (tokens));
  g_autofree char *bearer = NULL;
  g_autofree char *login = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  GtkWidget *dialog;
  const char *error;

  g_assert_nonnull (old_token);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "change-password", NULL);
  dialog = GTK_WIDGET (dg_window_get_password_dialog (fixture->window));
  g_assert_true (DG_IS_PASSWORD_DIALOG (dialog));
  dg_test_spin (50);

  /* Too short: refused here with common/'s rule, naming the new password. */
  set_row (dialog, "Current Password", "inspector");
  set_row (dialog, "New Password", "short");
  set_row (dialog, "Repeat New Password", "short");
  gtk_widget_activate_action (dialog, "password.change", NULL);
  error = dg_password_dialog_get_error (DG_PASSWORD_DIALOG (dialog));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "New password:"));
  g_assert_true (gtk_widget_has_css_class (find_row (dialog, "New Password"), "error"));

  /* Repeated wrongly: named too. */
  set_row (dialog, "New Password", "a long new password");
  set_row (dialog, "Repeat New Password", "a long new passw0rd");
  gtk_widget_activate_action (dialog, "password.change", NULL);
  error = dg_password_dialog_get_error (DG_PASSWORD_DIALOG (dialog));
  g_assert_true (g_str_has_prefix (error, "Repeat new password:"));
  g_assert_cmpstr (dg_token_store_get_token (tokens), ==, old_token);

  /* A wrong current password: the server's 401, on the current password's field. */
  set_row (dialog, "Current Password", "not-the-password");
  set_row (dialog, "Repeat New Password", "a long new password");
  gtk_widget_activate_action (dialog, "password.change", NULL);
  g_assert_null (dg_password_dialog_get_error (DG_PASSWORD_DIALOG (dialog)));
  g_assert_true (dg_test_spin_until (dialog_answered, fixture->window, 10000));
  g_assert_nonnull (dg_window_get_password_dialog (fixture->window));
  error = dg_password_dialog_get_error (DG_PASSWORD_DIALOG (dialog));
  g_assert_true (g_str_has_prefix (error, "Current password:"));
  g_assert_cmpstr (dg_token_store_get_token (tokens), ==, old_token);

  /* Right: the dialog closes and the token is a new one. */
  set_row (dialog, "Current Password", "inspector");
  gtk_widget_activate_action (dialog, "password.change", NULL);
  g_assert_true (dg_test_spin_until (dialog_answered, fixture->window, 10000));
  g_assert_null (dg_window_get_password_dialog (fixture->window));
  g_assert_nonnull (dg_token_store_get_token (tokens));
  g_assert_cmpstr (dg_token_store_get_token (tokens), !=, old_token);

  /* The old token is refused, the stored one syncs, the new password signs in. */
  bearer = g_strdup_printf ("Bearer %s", old_token);
  login = g_strconcat (fixture->process->url, "/api/v1/changes?since=0&limit=1", NULL);
  msg = soup_message_new ("GET", login);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  answer = soup_session_send_and_read (fixture->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  dg_test_client_sync_ok (fixture->client);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) local_error = NULL;

    dg_sync_engine_sign_in_async (fixture->client->engine, fixture->process->url, "inspector",
                                  "a long new password", NULL, dg_test_got_result_cb, &result);
    dg_sync_engine_sign_in_finish (fixture->client->engine, dg_test_wait_result (&result),
                                   &local_error);
    g_assert_no_error (local_error);
  }
}

/* Signed out, neither Change Password nor Sign Out can be chosen. */
static void
test_session_actions (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GActionGroup *group = G_ACTION_GROUP (fixture->window);

  g_assert_true (g_action_group_get_action_enabled (group, "change-password"));
  g_assert_true (g_action_group_get_action_enabled (group, "sign-out"));
  g_action_group_activate_action (group, "sign-out", NULL);
  g_assert_false (g_action_group_get_action_enabled (group, "change-password"));
  g_assert_false (g_action_group_get_action_enabled (group, "sign-out"));
  dg_window_show_change_password (fixture->window);
  g_assert_null (dg_window_get_password_dialog (fixture->window));
}

int
main (int   argc,
      char *argv[])
{
  dg_test_init_gtk (&argc, &argv);

  g_test_add ("/client/admin/change-password", Fixture, "inspector", fixture_setup,
              test_change_password, fixture_teardown);
  g_test_add ("/client/admin/session-actions", Fixture, "inspector", fixture_setup,
              test_session_actions, fixture_teardown);

  return g_test_run ();
}
