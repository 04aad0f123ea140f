/* test-admin-widgets.c: what a signed-in user, an inspector given a record back and an
 * administrator do in the app (design 6.1), through the real widgets, against the real server
 * binary on loopback. */

#include "config.h"

#include <glib/gstdio.h>

#include "dustgrid-common.h"
#include "dg-district-page.h"
#include "dg-password-dialog.h"
#include "dg-reference-dialog.h"
#include "dg-user-dialog.h"
#include "dg-users-page.h"
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

static GtkWidget *find_titled (GtkWidget  *root,
                               GType       type,
                               const char *title);

/* The entry row of @dialog whose title is @title. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return find_titled (root, ADW_TYPE_ENTRY_ROW, title);
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

typedef struct
{
  Fixture    *fixture;
  const char *token;
} TokenArgs;

static TokenArgs token_args_storage;

static gpointer
token_args (Fixture    *fixture,
            const char *token)
{
  token_args_storage.fixture = fixture;
  token_args_storage.token = token;
  return &token_args_storage;
}

/* Whether the server answers 401 to @token. */
static gboolean
token_refused (gpointer data)
{
  TokenArgs *args = data;
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", args->token);
  g_autofree char *url = g_strconcat (args->fixture->process->url,
                                      "/api/v1/changes?since=0&limit=1", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  answer = soup_session_send_and_read (args->fixture->session, msg, NULL, NULL);
  return soup_message_get_status (msg) == 401;
}

static gboolean
users_page_shown (DgWindow *window)
{
  AdwViewStack *stack = dg_window_get_view_stack (window);

  return adw_view_stack_page_get_visible (
    adw_view_stack_get_page (stack, GTK_WIDGET (dg_window_get_users_page (window))));
}

static gboolean
district_page_shown (DgWindow *window)
{
  AdwViewStack *stack = dg_window_get_view_stack (window);

  return adw_view_stack_page_get_visible (
    adw_view_stack_get_page (stack, GTK_WIDGET (dg_window_get_district_page (window))));
}

/* Signed out, neither Change Password nor Sign Out can be chosen; an inspector has no users
 * page. */
static void
test_session_actions (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GActionGroup *group = G_ACTION_GROUP (fixture->window);

  g_assert_false (users_page_shown (fixture->window));
  g_assert_false (district_page_shown (fixture->window));

  g_assert_true (g_action_group_get_action_enabled (group, "change-password"));
  g_assert_true (g_action_group_get_action_enabled (group, "sign-out"));
  g_autofree char *token = g_strdup (dg_token_store_get_token (fixture->client->tokens));

  g_action_group_activate_action (group, "sign-out", NULL);
  /* The server revokes the token as well. */
  g_assert_true (dg_test_spin_until (token_refused, token_args (fixture, token), 10000));
  g_assert_false (g_action_group_get_action_enabled (group, "change-password"));
  g_assert_false (g_action_group_get_action_enabled (group, "sign-out"));
  dg_window_show_change_password (fixture->window);
  g_assert_null (dg_window_get_password_dialog (fixture->window));
}

static gboolean
page_loaded (gpointer data)
{
  return !dg_users_page_get_loading (data);
}

static gboolean
user_dialog_answered (gpointer data)
{
  GtkWindow *dialog = dg_users_page_get_dialog (data);

  return dialog == NULL || dg_user_dialog_get_error (DG_USER_DIALOG (dialog)) != NULL;
}

/* The titles of the rows the search lets through, joined by "|". */
static char *
shown_rows (DgUsersPage *page)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GtkListBox *list = dg_users_page_get_list (page);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row))
      g_string_append_printf (out, "%s%s", out->len ? "|" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkListBoxRow *
row_titled (DgUsersPage *page,
            const char  *title)
{
  GtkListBox *list = dg_users_page_get_list (page);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An administrator's users page: the server's users listed and searchable; a user added
 * through the dialog (a short password named first), a taken name refused as such, and the
 * last administrator's disabling refused with the server's 409. */
static void
test_users_page (Fixture       *fixture,
                 gconstpointer  user_data)
{
  DgUsersPage *page = dg_window_get_users_page (fixture->window);
  g_autofree char *rows = NULL;
  GtkWidget *dialog;
  const char *error;

  g_assert_true (users_page_shown (fixture->window));
  adw_view_stack_set_visible_child_name (dg_window_get_view_stack (fixture->window), "users");
  g_assert_true (dg_users_page_get_loading (page));
  g_assert_true (dg_test_spin_until (page_loaded, page, 10000));
  rows = shown_rows (page);
  g_assert_cmpstr (rows, ==, "admin|inspector|office");
  g_clear_pointer (&rows, g_free);

  /* Add 张三 as an office user. */
  gtk_widget_activate_action (GTK_WIDGET (page), "users.add", NULL);
  dialog = GTK_WIDGET (dg_users_page_get_dialog (page));
  g_assert_true (DG_IS_USER_DIALOG (dialog));
  set_row (dialog, "User Name", "zhangsan");
  set_row (dialog, "Display Name", "张三");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (dialog, ADW_TYPE_COMBO_ROW)),
                              DG_ROLE_OFFICE);
  set_row (dialog, "Password", "short");
  gtk_widget_activate_action (dialog, "user.save", NULL);
  error = dg_user_dialog_get_error (DG_USER_DIALOG (dialog));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "Password:"));

  set_row (dialog, "Password", "zhangsan-password");
  gtk_widget_activate_action (dialog, "user.save", NULL);
  g_assert_true (dg_test_spin_until (user_dialog_answered, page, 10000));
  g_assert_null (dg_users_page_get_dialog (page));
  g_assert_true (dg_test_spin_until (page_loaded, page, 10000));
  rows = shown_rows (page);
  g_assert_cmpstr (rows, ==, "admin|inspector|office|张三 (zhangsan)");
  g_clear_pointer (&rows, g_free);

  /* The search matches the display name and the user name. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)),
                         "张");
  gtk_list_box_invalidate_filter (dg_users_page_get_list (page));
  rows = shown_rows (page);
  g_assert_cmpstr (rows, ==, "张三 (zhangsan)");
  g_clear_pointer (&rows, g_free);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)),
                         "");
  gtk_list_box_invalidate_filter (dg_users_page_get_list (page));

  /* The same name again: the server's 409, said as a taken name. */
  gtk_widget_activate_action (GTK_WIDGET (page), "users.add", NULL);
  dialog = GTK_WIDGET (dg_users_page_get_dialog (page));
  set_row (dialog, "User Name", "zhangsan");
  set_row (dialog, "Password", "another-password");
  gtk_widget_activate_action (dialog, "user.save", NULL);
  g_assert_true (dg_test_spin_until (user_dialog_answered, page, 10000));
  error = dg_user_dialog_get_error (DG_USER_DIALOG (dialog));
  g_assert_cmpstr (error, ==, "User name: a user of this name exists already.");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A unit user, bound to the unit picked by its name; the list names the unit. */
  gtk_widget_activate_action (GTK_WIDGET (page), "users.add", NULL);
  dialog = GTK_WIDGET (dg_users_page_get_dialog (page));
  set_row (dialog, "User Name", "fucheng");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_titled (dialog, ADW_TYPE_COMBO_ROW, "Role")),
                              DG_ROLE_UNIT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_titled (dialog, ADW_TYPE_COMBO_ROW,
                                                          "Responsible Unit")), 4);
  set_row (dialog, "Password", "fucheng-password");
  gtk_widget_activate_action (dialog, "user.save", NULL);
  g_assert_true (dg_test_spin_until (user_dialog_answered, page, 10000));
  g_assert_null (dg_users_page_get_dialog (page));
  g_assert_true (dg_test_spin_until (page_loaded, page, 10000));
  {
    GtkListBoxRow *row = row_titled (page, "fucheng");

    g_assert_nonnull (row);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                     "Unit · 府城街道 · "));
  }

  /* Disabling the only administrator: refused by the server. */
  g_signal_emit_by_name (dg_users_page_get_list (page), "row-activated",
                         row_titled (page, "admin"));
  dialog = GTK_WIDGET (dg_users_page_get_dialog (page));
  g_assert_nonnull (dialog);
  gtk_switch_set_active (GTK_SWITCH (find_widget (dialog, GTK_TYPE_SWITCH)), TRUE);
  gtk_widget_activate_action (dialog, "user.save", NULL);
  g_assert_true (dg_test_spin_until (user_dialog_answered, page, 10000));
  error = dg_user_dialog_get_error (DG_USER_DIALOG (dialog));
  g_assert_cmpstr (error, ==, "This would leave no administrator who can sign in.");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
district_loaded (gpointer data)
{
  return !dg_district_page_get_loading (data);
}

static gboolean
reference_dialog_answered (gpointer data)
{
  GtkWindow *dialog = dg_district_page_get_dialog (data);

  return dialog == NULL || dg_reference_dialog_get_error (DG_REFERENCE_DIALOG (dialog)) != NULL;
}

/* The row of @type (a widget of @type) under @root titled @title. */
static GtkWidget *
find_titled (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_titled (child, type, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The id of the record behind the row titled @title of @type's list. */
static const char *
row_record_id (DgDistrictPage *page,
               DgRecordType    type,
               const char     *title)
{
  GtkWidget *row = find_titled (GTK_WIDGET (dg_district_page_get_list (page, type)),
                                ADW_TYPE_ACTION_ROW, title);
  const DgStoreEntry *entry = row ? g_object_get_data (G_OBJECT (row), "dg-entry") : NULL;

  g_assert_nonnull (entry);
  return entry->id;
}

/* Saves @dialog and waits until it closed (TRUE) or showed an error (FALSE). */
static gboolean
save_reference (DgDistrictPage *page,
                GtkWidget      *dialog)
{
  gtk_widget_activate_action (dialog, "reference.save", NULL);
  g_assert_true (dg_test_spin_until (reference_dialog_answered, page, 10000));
  return dg_district_page_get_dialog (page) == NULL;
}

static GtkWidget *
open_new_reference (DgDistrictPage *page,
                    DgRecordType    type)
{
  GtkWidget *dialog;

  dg_district_page_show_kind (page, type);
  gtk_widget_activate_action (GTK_WIDGET (page), "district.add", NULL);
  dialog = GTK_WIDGET (dg_district_page_get_dialog (page));
  g_assert_true (DG_IS_REFERENCE_DIALOG (dialog));
  return dialog;
}

/* An administrator sets the district up offline first: a unit under a street office, a road
 * it answers for, a tighter cap from a date to come. Each wrong entry is refused on its field
 * before it is saved; the saved ones wait in the outbox, reach the server with the next sync,
 * and the rules list shows the cap in force today beside the change to come. */
static void
test_district_page (Fixture       *fixture,
                    gconstpointer  user_data)
{
  DgDistrictPage *page = dg_window_get_district_page (fixture->window);
  g_autofree char *titles = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *token = NULL;
  g_autofree char *unit_id = NULL;
  g_autofree char *road_id = NULL;
  g_autoptr(JsonObject) pulled = NULL;
  JsonObject *data;
  GtkWidget *dialog;

  g_assert_true (district_page_shown (fixture->window));
  dg_test_client_sync_ok (fixture->client);
  adw_view_stack_set_visible_child_name (dg_window_get_view_stack (fixture->window), "district");
  g_assert_true (dg_test_spin_until (district_loaded, page, 10000));

  /* The sample district's units, as their tree. */
  titles = dg_district_page_dup_titles (page, DG_RECORD_UNIT);
  g_assert_cmpstr (titles, ==, "QS 琼山区|QS-BC 北城街道|QS-DC 东城街道|QS-FC 府城街道|"
                               "QS-NC 南城街道|QS-XB 西部产业集聚区");
  g_clear_pointer (&titles, g_free);

  /* A unit whose code is taken: refused on the code, nothing saved. */
  dialog = open_new_reference (page, DG_RECORD_UNIT);
  set_row (dialog, "Code", "QS-FC");
  set_row (dialog, "Name", "府城一社区");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_titled (dialog, ADW_TYPE_COMBO_ROW,
                                                          "Parent Unit")), 4);
  g_assert_false (save_reference (page, dialog));
  g_assert_true (g_str_has_prefix (dg_reference_dialog_get_error (DG_REFERENCE_DIALOG (dialog)),
                                   "Code:"));
  set_row (dialog, "Code", "QS-FC-1");
  g_assert_true (save_reference (page, dialog));
  g_assert_true (dg_test_spin_until (district_loaded, page, 10000));
  titles = dg_district_page_dup_titles (page, DG_RECORD_UNIT);
  g_assert_cmpstr (titles, ==, "QS 琼山区|QS-BC 北城街道|QS-DC 东城街道|QS-FC 府城街道|"
                               "QS-FC-1 府城一社区|QS-NC 南城街道|QS-XB 西部产业集聚区");
  g_clear_pointer (&titles, g_free);
  subtitle = dg_district_page_dup_subtitle (page, DG_RECORD_UNIT, "QS-FC-1 府城一社区");
  g_assert_cmpstr (subtitle, ==, "under 府城街道 · Pending");
  g_clear_pointer (&subtitle, g_free);
  unit_id = g_strdup (row_record_id (page, DG_RECORD_UNIT, "QS-FC-1 府城一社区"));

  /* A road it answers for: letters in the length are named. */
  dialog = open_new_reference (page, DG_RECORD_ROAD);
  set_row (dialog, "Name", "府城测试路");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_titled (dialog, ADW_TYPE_COMBO_ROW,
                                                          "Responsible Unit")), 5);
  set_row (dialog, "Length (km)", "abc");
  g_assert_false (save_reference (page, dialog));
  g_assert_true (g_str_has_prefix (dg_reference_dialog_get_error (DG_REFERENCE_DIALOG (dialog)),
                                   "Length:"));
  set_row (dialog, "Length (km)", "1,5");
  g_assert_true (save_reference (page, dialog));
  g_assert_true (dg_test_spin_until (district_loaded, page, 10000));
  subtitle = dg_district_page_dup_subtitle (page, DG_RECORD_ROAD, "府城测试路");
  g_assert_cmpstr (subtitle, ==, "Main road · 府城一社区 · 1.50 km · Pending");
  g_clear_pointer (&subtitle, g_free);
  road_id = g_strdup (row_record_id (page, DG_RECORD_ROAD, "府城测试路"));

  /* A tighter cap from a day to come; a date that does not exist first. */
  dialog = open_new_reference (page, DG_RECORD_RULE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_titled (dialog, ADW_TYPE_COMBO_ROW, "Rule")),
                              3);
  set_row (dialog, "Value", "6");
  set_row (dialog, "Effective From (YYYY-MM-DD)", "2099-02-30");
  g_assert_false (save_reference (page, dialog));
  g_assert_true (g_str_has_prefix (dg_reference_dialog_get_error (DG_REFERENCE_DIALOG (dialog)),
                                   "Effective from:"));
  set_row (dialog, "Effective From (YYYY-MM-DD)", "2099-01-01");
  g_assert_true (save_reference (page, dialog));
  g_assert_true (dg_test_spin_until (district_loaded, page, 10000));
  subtitle = dg_district_page_dup_subtitle (page, DG_RECORD_RULE, "Dust-fall cap");
  g_assert_cmpstr (subtitle, ==, "today 8.0 t/(km²·30 d) · from 2099-01-01: 6.0 t/(km²·30 d)");
  g_clear_pointer (&subtitle, g_free);

  /* The search finds a road by its unit. */
  dg_district_page_show_kind (page, DG_RECORD_ROAD);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)),
                         "一社区");
  gtk_list_box_invalidate_filter (dg_district_page_get_list (page, DG_RECORD_ROAD));
  titles = dg_district_page_dup_titles (page, DG_RECORD_ROAD);
  g_assert_cmpstr (titles, ==, "府城测试路");
  g_clear_pointer (&titles, g_free);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)),
                         "");

  /* Synced: the server holds them, the road bound to the new unit. */
  dg_test_client_sync_ok (fixture->client);
  token = dg_test_process_login (fixture->session, fixture->process->url, "office");
  pulled = dg_test_pull_record (fixture->session, fixture->process->url, token, road_id);
  g_assert_nonnull (pulled);
  data = json_object_get_object_member (pulled, "data");
  g_assert_cmpstr (json_object_get_string_member (data, "unit_id"), ==, unit_id);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (data, "length_km"), 1.5, 1e-9);
  g_assert_true (dg_test_spin_until (district_loaded, page, 10000));
  subtitle = dg_district_page_dup_subtitle (page, DG_RECORD_ROAD, "府城测试路");
  g_assert_cmpstr (subtitle, ==, "Main road · 府城一社区 · 1.50 km");
}

static gboolean
returned_shown (gpointer data)
{
  DgWindow *window = data;

  return dg_test_window_pages_idle (window) &&
         dg_today_page_get_n_returned (dg_window_get_today_page (window)) == 1;
}

static gboolean
returned_gone (gpointer data)
{
  DgWindow *window = data;

  return dg_test_window_pages_idle (window) &&
         dg_today_page_get_n_returned (dg_window_get_today_page (window)) == 0;
}

static const char *
first_returned_subtitle (DgWindow *window)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (
    dg_today_page_get_returned_list (dg_window_get_today_page (window)), 0);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
records_idle (gpointer data)
{
  return !dg_records_page_get_loading (data);
}

/* My Records with the state filter at @filter and the search @query shows @titles. */
static void
records_shows (DgWindow   *window,
               guint       filter,
               const char *query,
               const char *titles)
{
  DgRecordsPage *records = dg_window_get_records_page (window);
  g_autofree char *shown = NULL;

  gtk_drop_down_set_selected (dg_records_page_get_filter (records), filter);
  gtk_editable_set_text (GTK_EDITABLE (dg_records_page_get_search_entry (records)), query);
  /* Not the entry's typing delay. */
  g_signal_emit_by_name (dg_records_page_get_search_entry (records), "search-changed");
  dg_test_spin (50);
  g_assert_true (dg_test_spin_until (records_idle, records, 10000));
  shown = dg_records_page_dup_check_titles (records);
  g_assert_cmpstr (shown, ==, titles);
}

/* A check the office returns reaches the inspector's Today page at the top, with the office's
 * reason and a badge on Today; saved again it says it waits to sync, and the sync that carries
 * the correction takes it off the list. */
static void
test_returned_on_today (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *returned_title = NULL;
  g_autofree char *today_date = dg_date_today ();
  DgWindow *window = fixture->window;
  AdwViewStackPage *today;
  GtkListBoxRow *row;
  JsonObject *point;

  dg_test_client_save_checks (fixture->client, 1, ids);
  dg_test_client_sync_ok (fixture->client);

  token = dg_test_process_login (fixture->session, fixture->process->url, "office");
  path = g_strdup_printf ("/api/v1/records/%s/return", (char *) g_ptr_array_index (ids, 0));
  g_assert_cmpuint (dg_test_http (fixture->session, fixture->process->url, "POST", path, token,
                                  "{\"reason\":\"第3点质量偏大，请复核\"}", &answer), ==, 200);

  dg_test_client_sync_ok (fixture->client);
  g_assert_true (dg_test_spin_until (returned_shown, window, 10000));
  row = gtk_list_box_get_row_at_index (dg_today_page_get_returned_list (dg_window_get_today_page (window)), 0);
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                   today_date));
  /* "怡光南路, 2026-12-06" on Today is "怡光南路 · 6 points" in My Records. */
  {
    g_auto(GStrv) parts = g_strsplit (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                      ", ", 2);

    returned_title = g_strdup_printf ("%s · 6 points", parts[0]);
  }
  g_assert_cmpstr (first_returned_subtitle (window), ==, "第3点质量偏大，请复核");
  today = adw_view_stack_get_page (dg_window_get_view_stack (window),
                                   GTK_WIDGET (dg_window_get_today_page (window)));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (today), ==, 1);
  g_assert_true (adw_view_stack_page_get_needs_attention (today));

  /* My Records: the filter finds it among the returned, not among the pending; the search
   * finds it by its road's name and its date, and nothing by another name. */
  adw_view_stack_set_visible_child_name (dg_window_get_view_stack (window), "records");
  records_shows (window, 2, "", "");
  records_shows (window, 1, "", returned_title);
  records_shows (window, 0, today_date, returned_title);
  records_shows (window, 0, "没有这条路", "");
  records_shows (window, 0, "", returned_title);
  adw_view_stack_set_visible_child_name (dg_window_get_view_stack (window), "today");

  /* Corrected: the third point weighed again. */
  dg_local_store_get_entry_async (fixture->client->store, g_ptr_array_index (ids, 0), NULL,
                                  dg_test_got_result_cb, &result);
  {
    g_autoptr(DgStoreEntry) entry =
      dg_local_store_get_entry_finish (fixture->client->store, dg_test_wait_result (&result),
                                       &error);

    g_assert_no_error (error);
    data = json_object_ref (entry->data);
  }
  g_clear_object (&result);
  point = json_array_get_object_element (json_object_get_array_member (data, "points"), 2);
  json_object_set_double_member (point, "mass_g", 0.8);
  dg_local_store_save_async (fixture->client->store, DG_RECORD_ROAD_CHECK,
                             g_ptr_array_index (ids, 0), data, NULL, dg_test_got_result_cb,
                             &result);
  g_assert_true (dg_local_store_save_finish (fixture->client->store,
                                             dg_test_wait_result (&result), &error));
  g_assert_no_error (error);
  dg_test_spin_until_idle ();
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, window, 10000));
  g_assert_cmpstr (first_returned_subtitle (window), ==,
                   "第3点质量偏大，请复核 · corrected, waiting to sync");

  dg_test_client_sync_ok (fixture->client);
  g_assert_true (dg_test_spin_until (returned_gone, window, 10000));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (
    GTK_WIDGET (dg_today_page_get_returned_list (dg_window_get_today_page (window))),
    ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (today), ==, 0);
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
  g_test_add ("/client/inspector/returned-on-today", Fixture, "inspector", fixture_setup,
              test_returned_on_today, fixture_teardown);
  g_test_add ("/client/admin/district-page", Fixture, "admin", fixture_setup,
              test_district_page, fixture_teardown);
  g_test_add ("/client/admin/users-page", Fixture, "admin", fixture_setup,
              test_users_page, fixture_teardown);

  return g_test_run ();
}
