/* dg-test-client.c */

#include "config.h"

#include <glib/gstdio.h>

#include "dg-test-client.h"
#include "dg-test-server.h"

DgTestClient *
dg_test_client_new (const char *dir)
{
  DgTestClient *client = g_new0 (DgTestClient, 1);
  g_autoptr(GError) error = NULL;

  client->dir = g_strdup (dir);
  client->db_path = g_build_filename (dir, "dustgrid.db", NULL);
  client->session_path = g_build_filename (dir, "session.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  client->store = dg_local_store_new (client->db_path, &error);
  g_assert_no_error (error);
  dg_local_store_ensure_reference (client->store, &error);
  g_assert_no_error (error);
  client->tokens = dg_token_store_new (client->session_path);
  client->engine = dg_sync_engine_new (client->store, client->tokens);

  return client;
}

void
dg_test_client_free (DgTestClient *client)
{
  /* Lets the engine's last callbacks (progress, outbox-changed) run before it goes. */
  dg_test_spin_until_idle ();
  g_clear_object (&client->engine);
  g_clear_object (&client->tokens);
  g_clear_object (&client->store);
  g_free (client->dir);
  g_free (client->db_path);
  g_free (client->session_path);
  g_free (client);
}

void
dg_test_got_result_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
dg_test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

gboolean
dg_test_client_sign_in (DgTestClient  *client,
                        const char    *url,
                        const char    *username,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dg_sync_engine_sign_in_async (client->engine, url, username, username, NULL,
                                dg_test_got_result_cb, &result);
  return dg_sync_engine_sign_in_finish (client->engine, dg_test_wait_result (&result), error);
}

gboolean
dg_test_client_sync (DgTestClient  *client,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dg_sync_engine_sync_async (client->engine, NULL, dg_test_got_result_cb, &result);
  return dg_sync_engine_sync_finish (client->engine, dg_test_wait_result (&result), error);
}

void
dg_test_client_sync_ok (DgTestClient *client)
{
  g_autoptr(GError) error = NULL;

  dg_test_client_sync (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dg_sync_engine_get_state (client->engine), ==, DG_SYNC_STATE_SYNCED);
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 0);
}

DgRoadCheck *
dg_test_road_check (const char *id,
                    const char *road_id,
                    const char *date,
                    guint       n_points,
                    double      mass)
{
  DgRoadCheck *check = dg_road_check_new ();

  check->id = g_strdup (id);
  check->road_id = g_strdup (road_id);
  check->date = g_strdup (date);
  for (guint i = 0; i < n_points; i++)
    dg_road_check_add_point (check, i + 1, DG_SURFACE_MAIN, "K0+100", 1.0, mass);
  return check;
}

JsonObject *
dg_test_road_check_data (const char *id,
                         const char *road_id,
                         const char *date,
                         guint       n_points,
                         double      mass)
{
  g_autoptr(DgRoadCheck) check = dg_test_road_check (id, road_id, date, n_points, mass);

  return dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check);
}

void
dg_test_client_save_checks (DgTestClient *client,
                            guint         n,
                            GPtrArray    *ids)
{
  g_autoptr(GPtrArray) roads = dg_local_store_list_roads (client->store);
  g_autoptr(GPtrArray) new_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *today = dg_date_today ();
  g_autoptr(GError) error = NULL;
  const char *road_id;

  g_assert_cmpuint (roads->len, >, 0);
  road_id = ((DgRoad *) g_ptr_array_index (roads, 0))->id;
  for (guint i = 0; i < n; i++)
    {
      char *id = dg_uuid_new ();

      g_ptr_array_add (new_ids, id);
      g_ptr_array_add (datas, dg_test_road_check_data (id, road_id, today, 6,
                                                       1.0 + (i % 50) / 10.0));
    }
  dg_local_store_save_many (client->store, DG_RECORD_ROAD_CHECK, new_ids, datas, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < new_ids->len; i++)
    g_ptr_array_add (ids, g_strdup (g_ptr_array_index (new_ids, i)));
}

/* ---- The window ---- */

void
dg_test_init_gtk (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();
}

void
dg_test_window_setup (DgTestWindow  *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autoptr(GError) error = NULL;

  fixture->store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  dg_local_store_ensure_reference (fixture->store, &error);
  g_assert_no_error (error);
  fixture->tokens = dg_token_store_new (NULL);
  fixture->engine = dg_sync_engine_new (fixture->store, fixture->tokens);
  fixture->window = dg_window_new (NULL, fixture->store, fixture->engine);
  gtk_window_present (GTK_WINDOW (fixture->window));
  dg_test_spin (100);
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));
}

gboolean
dg_test_window_pages_idle (gpointer window)
{
  return dg_window_get_ready (window) &&
         !dg_today_page_get_loading (dg_window_get_today_page (window)) &&
         !dg_records_page_get_loading (dg_window_get_records_page (window));
}

void
dg_test_window_teardown (DgTestWindow  *fixture,
                         gconstpointer  user_data)
{
  /* A test that closes the window itself leaves NULL here. */
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  dg_test_spin (50);
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->tokens);
  g_clear_object (&fixture->store);
}

GtkWidget *
dg_test_show_in_window (GtkWidget *child,
                        int        width,
                        int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0;
       i < 200 && (!gtk_widget_get_mapped (child) || gtk_widget_get_width (child) == 0);
       i++)
    dg_test_spin (10);
  dg_test_spin (50);
  g_assert_true (gtk_widget_get_mapped (child));
  return window;
}

void
dg_test_type_points (DgCheckEditor *editor,
                     guint          n)
{
  gtk_drop_down_set_selected (dg_check_editor_get_road_dropdown (editor), 0);
  for (guint i = 0; i < n; i++)
    {
      DgPointRow *row = dg_check_editor_get_point_row (editor, i);
      g_autofree char *location = g_strdup_printf ("K0+%u00", i + 1);
      g_autofree char *mass = g_strdup_printf ("1.%u", i + 1);

      gtk_editable_set_text (dg_point_row_get_location_entry (row), location);
      g_signal_emit_by_name (dg_point_row_get_location_entry (row), "activate");
      g_signal_emit_by_name (dg_point_row_get_area_entry (row), "activate");
      gtk_editable_set_text (dg_point_row_get_mass_entry (row), mass);
      g_signal_emit_by_name (dg_point_row_get_mass_entry (row), "activate");
    }
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

gboolean
dg_test_answer_dialog (const char *response)
{
  AdwMessageDialog *dialog;

  if (!dg_test_spin_until (message_dialog_shown, NULL, 2000))
    return FALSE;
  dialog = find_message_dialog ();
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  /* As a click on the button: the response, and the dialog gone. */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  dg_test_spin (20);
  return TRUE;
}

/* ---- Waiting on the main loop ---- */

static gboolean
spin_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
dg_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, spin_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
dg_test_spin_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gboolean
dg_test_spin_until (gboolean (*predicate) (gpointer),
                    gpointer  data,
                    guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * DG_TEST_SLOWDOWN * 1000;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
dg_test_spin_until_true (const gboolean *flag,
                         guint           timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * DG_TEST_SLOWDOWN * 1000;

  while (!*flag)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
dg_test_wait_until (const gboolean *done,
                    guint           timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *done;
}

GHashTable *
dg_test_held_checks (SoupSession *session,
                     const char  *url)
{
  GHashTable *held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;

  dg_test_held_checks_update (session, url, held, &since);
  return held;
}

static void
hold_check (JsonObject *change,
            gpointer    user_data)
{
  GHashTable *held = user_data;
  const char *id = json_object_get_string_member (change, "id");

  if (g_strcmp0 (json_object_get_string_member (change, "type"), "road_check") != 0)
    return;
  /* Seen again: a second revision of a record that was pushed once. */
  if (g_hash_table_contains (held, id))
    g_error ("%s is held twice (now at revision %" G_GINT64_FORMAT ")", id,
             json_object_get_int_member (change, "rev"));
  g_hash_table_insert (held, g_strdup (id),
                       GSIZE_TO_POINTER (json_object_get_int_member (change, "rev")));
}

void
dg_test_held_checks_update (SoupSession *session,
                            const char  *url,
                            GHashTable  *held,
                            gint64      *since)
{
  g_autofree char *token = dg_test_process_login (session, url, "office");

  dg_test_walk_feed (session, url, token, since, hold_check, held);
}

void
dg_test_walk_feed (SoupSession      *session,
                   const char       *url,
                   const char       *token,
                   gint64           *since,
                   DgTestChangeFunc  func,
                   gpointer          user_data)
{
  gint64 from_start = 0;
  gboolean more = TRUE;

  if (since == NULL)
    since = &from_start;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", *since);
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (dg_test_http (session, url, "GET", path, token, NULL, &root), ==, 200);
      object = json_node_get_object (root);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        func (json_array_get_object_element (changes, i), user_data);
      *since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
    }
}

char *
dg_test_process_login (SoupSession *session,
                       const char  *url,
                       const char  *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, username);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (dg_test_http (session, url, "POST", "/api/v1/login", NULL, body, &root),
                    ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

typedef struct
{
  const char *id;
  JsonObject *found;
} PullRecord;

static void
find_record (JsonObject *change,
             gpointer    user_data)
{
  PullRecord *pull = user_data;

  if (g_strcmp0 (json_object_get_string_member (change, "id"), pull->id) != 0)
    return;
  /* A later revision in the feed replaces an earlier one. */
  g_clear_pointer (&pull->found, json_object_unref);
  pull->found = json_object_ref (change);
}

JsonObject *
dg_test_pull_record (SoupSession *session,
                     const char  *url,
                     const char  *token,
                     const char  *id)
{
  PullRecord pull = { id, NULL };

  dg_test_walk_feed (session, url, token, NULL, find_record, &pull);
  return pull.found;
}

DgTestProcess *
dg_test_private_ca_server_start (const char  *dir,
                                 char       **ca_file)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  const char *options[] = { "--listen", "127.0.0.1", "--tls-cert", cert, "--tls-key", key,
                            NULL };
  DgTestProcess *server;

  if (openssl == NULL)
    {
      g_test_skip ("the openssl command line is not installed");
      return NULL;
    }
  if (!dg_test_make_certificates (dir))
    {
      g_test_fail_printf ("openssl could not make the test certificates");
      return NULL;
    }
  dg_test_make_db (db, TRUE);
  server = dg_test_process_start (db, TRUE, options);
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));
  *ca_file = g_build_filename (dir, "ca.pem", NULL);
  return server;
}

void
dg_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        dg_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
