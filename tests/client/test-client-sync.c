/* test-client-sync.c: the store and the sync engine against the real dustgrid-server.
 *
 * Each test copies a prepared database (sample district, users), runs `dustgrid-server serve` on
 * a free port and signs a client in, then checks what reached the server through the API.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-test-client.h"
#include "dg-token-store.h"

static const char *server_bin;
static char *template_dir;
static char *template_db;

/* The server process, restarted on the same database by some tests. */
typedef struct
{
  char          *db;
  DgTestProcess *process;
  SoupSession   *session;   /* the office's, to see what the server holds */
  char          *url;
} Server;

typedef struct
{
  Server        server;
  DgTestClient *a;
  DgTestClient *b;
  char         *road_id;
} Fixture;

/* ---- The server process ---- */

static void
run_cli (const char * const *argv,
         const char         *input)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

static void
server_start (Server *server)
{
  const char *options[] = { "--listen", "127.0.0.1", NULL };

  g_clear_pointer (&server->process, dg_test_process_free);
  server->process = dg_test_process_start (server->db, FALSE, options);
  g_assert_true (g_str_has_prefix (server->process->url, "http://127.0.0.1:"));
  g_free (server->url);
  server->url = g_strdup (server->process->url);
  if (server->session == NULL)
    server->session = dg_test_session_new ();
}

static void
server_kill (Server *server)
{
  if (server->process != NULL)
    dg_test_process_kill (server->process);
}

static void
hold_record (JsonObject *change,
             gpointer    user_data)
{
  GHashTable *records = user_data;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), change);
  g_autoptr(GError) error = NULL;
  DgRecord *record = dg_record_from_json (node, &error);

  g_assert_no_error (error);
  if (record->type != DG_RECORD_ROAD_CHECK)
    {
      dg_record_free (record);
      return;
    }
  /* A record pulled twice would be a duplicate: ids are unique. */
  g_hash_table_replace (records, record->id, record);
}

/* Every road check the server holds, as seen by the office: id → DgRecord. */

/* What the template's users' passwords add to their names: `user add` holds the API's rule of
 * ten characters at least. */
#define PASSWORD_SUFFIX "-password"

static char *
office_login (SoupSession *session,
              const char  *url)
{
  const char *body = "{\"username\":\"office\",\"password\":\"office" PASSWORD_SUFFIX "\"}";
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (dg_test_http (session, url, "POST", "/api/v1/login", NULL, body, &root),
                    ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

static GHashTable *
server_checks (Server *server)
{
  g_autofree char *token = office_login (server->session, server->url);
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) dg_record_free);

  dg_test_walk_feed (server->session, server->url, token, NULL, hold_record, records);
  return records;
}

/* ---- The client ---- */

/* A client of its own in the test's data directory, under @name. */
static DgTestClient *
client_new (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  return dg_test_client_new (dir);
}

static void
client_sign_in (DgTestClient *client,
                Server       *server,
                const char   *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *password = g_strdup_printf ("%s" PASSWORD_SUFFIX, username);

  dg_sync_engine_sign_in_async (client->engine, server->url, username, password, NULL,
                                dg_test_got_result_cb, &result);
  dg_sync_engine_sign_in_finish (client->engine, dg_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (dg_sync_engine_get_signed_in (client->engine));
}

static char *
save_check (DgTestClient *client,
            const char *id,
            const char *road_id,
            double      mass)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = dg_date_today ();
  char *new_id = id ? g_strdup (id) : dg_uuid_new ();

  data = dg_test_road_check_data (new_id, road_id, today, 6, mass);
  dg_local_store_save (client->store, DG_RECORD_ROAD_CHECK, new_id, data, &error);
  g_assert_no_error (error);
  return new_id;
}

static double
first_mass (JsonObject *data)
{
  g_autoptr(DgRoadCheck) check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK,
                                                             "00000000-0000-4000-8000-0000000000ff",
                                                             data, NULL);

  g_assert_nonnull (check);
  return dg_road_check_get_point (check, 0)->mass_g;
}

/* ---- Fixture ---- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GFile) from = g_file_new_for_path (template_db);
  g_autoptr(GFile) to = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GError) error = NULL;

  fixture->server.db = g_build_filename (g_get_user_data_dir (), "server.db", NULL);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  to = g_file_new_for_path (fixture->server.db);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  server_start (&fixture->server);

  fixture->a = client_new ("a");
  client_sign_in (fixture->a, &fixture->server, "inspector");

  roads = dg_local_store_list_roads (fixture->a->store);
  g_assert_cmpuint (roads->len, >, 0);
  fixture->road_id = g_strdup (((DgRoad *) g_ptr_array_index (roads, 0))->id);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->a, dg_test_client_free);
  g_clear_pointer (&fixture->b, dg_test_client_free);
  g_clear_pointer (&fixture->server.process, dg_test_process_free);
  g_clear_object (&fixture->server.session);
  g_free (fixture->server.db);
  g_free (fixture->server.url);
  g_free (fixture->road_id);
}

/* ---- Tests ---- */

static void
test_offline_then_synced (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GError) error = NULL;
  /* Not g_autofree: on an array it frees the first element only. */
  char *ids[3] = { NULL, };

  /* The server goes away; the inspector keeps recording. */
  server_kill (&fixture->server);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = save_check (fixture->a, NULL, fixture->road_id, 2.0 + i);

  g_assert_false (dg_test_client_sync (fixture->a, &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_NETWORK);
  g_assert_cmpint (dg_sync_engine_get_state (fixture->a->engine), ==, DG_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 3);

  /* Back on the same database (on another port). */
  server_start (&fixture->server);
  dg_sync_engine_set_server_url (fixture->a->engine, fixture->server.url);
  dg_test_client_sync_ok (fixture->a);

  held = server_checks (&fixture->server);
  g_assert_cmpuint (g_hash_table_size (held), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(DgStoreEntry) entry = dg_local_store_get_entry (fixture->a->store, ids[i]);
      DgRecord *record = g_hash_table_lookup (held, ids[i]);

      g_assert_nonnull (record);
      g_assert_cmpint (record->rev, ==, 1);
      g_assert_cmpfloat (first_mass (record->data), ==, 2.0 + i);
      g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_SYNCED);
      g_assert_cmpint (entry->rev, ==, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
save_many (DgTestClient *client,
           const char   *road_id,
           guint         n,
           GPtrArray    *ids)
{
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *today = dg_date_today ();

  for (guint i = 0; i < n; i++)
    {
      char *id = dg_uuid_new ();
      g_ptr_array_add (ids, id);
      g_ptr_array_add (datas, dg_test_road_check_data (id, road_id, today, 6,
                                                       1.0 + (i % 50) / 10.0));
    }
  dg_local_store_save_many (client->store, DG_RECORD_ROAD_CHECK, ids, datas, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, n);
}

static void
assert_all_held_once (Fixture   *fixture,
                      GPtrArray *ids)
{
  g_autoptr(GHashTable) held = server_checks (&fixture->server);

  g_assert_cmpuint (g_hash_table_size (held), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      DgRecord *record = g_hash_table_lookup (held, g_ptr_array_index (ids, i));

      g_assert_nonnull (record);
      /* Revision 1: a retried change was not stored twice. */
      g_assert_cmpint (record->rev, ==, 1);
    }
}

static void
test_thousand (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;

  save_many (fixture->a, fixture->road_id, 1000, ids);
  dg_test_client_sync_ok (fixture->a);
  assert_all_held_once (fixture, ids);

  entries = dg_local_store_list_entries (fixture->a->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (entries->len, ==, 1000);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (((DgStoreEntry *) g_ptr_array_index (entries, i))->status, ==,
                     DG_SYNC_STATUS_SYNCED);
}

static void
test_large_batch (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *today = dg_date_today ();
  g_autofree char *location = g_strnfill (1000, 'K');
  g_autoptr(GError) error = NULL;

  /* 84 checks of 100 points with 1000-byte locations: over 8 MiB in one batch, which the
   * server refuses unread. The engine sends smaller batches. */
  for (guint i = 0; i < 84; i++)
    {
      g_autoptr(DgRoadCheck) check = dg_road_check_new ();
      char *id = dg_uuid_new ();

      check->id = g_strdup (id);
      check->road_id = g_strdup (fixture->road_id);
      check->date = g_strdup (today);
      for (guint p = 0; p < DG_MAX_POINTS; p++)
        dg_road_check_add_point (check, p + 1, DG_SURFACE_MAIN, location, 1.0, 2.0);
      g_ptr_array_add (ids, id);
      g_ptr_array_add (datas, dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check));
    }
  dg_local_store_save_many (fixture->a->store, DG_RECORD_ROAD_CHECK, ids, datas, &error);
  g_assert_no_error (error);

  dg_test_client_sync_ok (fixture->a);
  assert_all_held_once (fixture, ids);
}

static void
kill_on_progress_cb (DgSyncEngine *engine,
                     GParamSpec   *pspec,
                     Server       *server)
{
  /* The first batch is answered; the second is on its way. */
  if (dg_sync_engine_get_progress (engine) > 0)
    server_kill (server);
}

static void
test_killed_mid_sync (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gulong handler;

  save_many (fixture->a, fixture->road_id, 1000, ids);

  handler = g_signal_connect (fixture->a->engine, "notify::progress",
                              G_CALLBACK (kill_on_progress_cb), &fixture->server);
  g_assert_false (dg_test_client_sync (fixture->a, &error));
  g_signal_handler_disconnect (fixture->a->engine, handler);
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_NETWORK);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), >, 0);
  server_kill (&fixture->server);

  /* Restarted on the same database: nothing lost, nothing stored twice. */
  server_start (&fixture->server);
  dg_sync_engine_set_server_url (fixture->a->engine, fixture->server.url);
  dg_test_client_sync_ok (fixture->a);
  assert_all_held_once (fixture, ids);
}

static void
test_duplicate_retry (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(GHashTable) held = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  dg_test_client_sync_ok (fixture->a);

  /* The answer to that push was lost: the same change is queued again, as before it went. */
  g_assert_cmpint (sqlite3_open (dg_local_store_get_path (fixture->a->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO outbox (id, type, base_rev, deleted, data,"
                                       " version, queued) SELECT id, type, 0, 0, data, 1, 1"
                                       " FROM records WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 1);

  /* The server recognises the retry ("unchanged"): no new revision, the outbox clears. */
  dg_test_client_sync_ok (fixture->a);
  entry = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_SYNCED);
  g_assert_cmpint (entry->rev, ==, 1);
  held = server_checks (&fixture->server);
  g_assert_cmpint (((DgRecord *) g_hash_table_lookup (held, id))->rev, ==, 1);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(DgStoreEntry) after = NULL;
  g_autoptr(DgStoreEntry) on_b = NULL;
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unused = NULL;

  dg_test_client_sync_ok (fixture->a);

  /* The same inspector on a second device changes the check first. */
  fixture->b = client_new ("b");
  client_sign_in (fixture->b, &fixture->server, "inspector");
  dg_test_client_sync_ok (fixture->b);
  {
    g_autoptr(DgStoreEntry) pulled = dg_local_store_get_entry (fixture->b->store, id);
    g_assert_nonnull (pulled);
  }
  g_free (save_check (fixture->b, id, fixture->road_id, 4.0));
  dg_test_client_sync_ok (fixture->b);

  /* Then on the first device, from revision 1. */
  g_free (save_check (fixture->a, id, fixture->road_id, 5.0));
  dg_test_client_sync (fixture->a, &error);
  g_assert_no_error (error);

  /* Both versions are kept, and the record is marked. */
  entry = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_CONFLICT);
  g_assert_cmpfloat (first_mass (entry->data), ==, 5.0);
  g_assert_nonnull (entry->server_data);
  g_assert_cmpfloat (first_mass (entry->server_data), ==, 4.0);
  g_assert_cmpint (entry->server_rev, ==, 2);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 0);

  /* The inspector keeps theirs... no: keeps their own version; it goes on top of revision 2. */
  dg_local_store_resolve_conflict (fixture->a->store, id, TRUE, &error);
  g_assert_no_error (error);
  dg_test_client_sync_ok (fixture->a);
  after = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (after->status, ==, DG_SYNC_STATUS_SYNCED);
  g_assert_cmpint (after->rev, ==, 3);

  held = server_checks (&fixture->server);
  g_assert_cmpint (((DgRecord *) g_hash_table_lookup (held, id))->rev, ==, 3);
  g_assert_cmpfloat (first_mass (((DgRecord *) g_hash_table_lookup (held, id))->data), ==, 5.0);

  /* The other device follows. */
  dg_test_client_sync_ok (fixture->b);
  on_b = dg_local_store_get_entry (fixture->b->store, id);
  g_assert_cmpint (on_b->rev, ==, 3);
  g_assert_cmpfloat (first_mass (on_b->data), ==, 5.0);
}

static void
test_conflict_theirs (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  dg_test_client_sync_ok (fixture->a);
  fixture->b = client_new ("b");
  client_sign_in (fixture->b, &fixture->server, "inspector");
  dg_test_client_sync_ok (fixture->b);
  g_free (save_check (fixture->b, id, fixture->road_id, 4.0));
  dg_test_client_sync_ok (fixture->b);

  g_free (save_check (fixture->a, id, fixture->road_id, 5.0));
  dg_test_client_sync (fixture->a, &error);
  g_assert_no_error (error);

  /* Taking theirs: the server's version becomes the local one, nothing to send. */
  dg_local_store_resolve_conflict (fixture->a->store, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 0);
  entry = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_SYNCED);
  g_assert_cmpint (entry->rev, ==, 2);
  g_assert_cmpfloat (first_mass (entry->data), ==, 4.0);
  dg_test_client_sync_ok (fixture->a);
}

static void
test_returned (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_autofree char *office = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(DgStoreEntry) after = NULL;
  g_autoptr(GHashTable) held = NULL;

  dg_test_client_sync_ok (fixture->a);

  /* The office returns the check for correction. */
  office = office_login (fixture->server.session, fixture->server.url);
  path = g_strdup_printf ("/api/v1/records/%s/return", id);
  g_assert_cmpuint (dg_test_http (fixture->server.session, fixture->server.url, "POST", path,
                                  office, "{\"reason\":\"Weigh point 2 again\"}", &answer),
                    ==, 200);

  dg_test_client_sync_ok (fixture->a);
  entry = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_RETURNED);
  g_assert_cmpint (entry->state, ==, DG_RECORD_STATE_RETURNED);
  g_assert_cmpstr (entry->reason, ==, "Weigh point 2 again");

  /* Corrected and sent again: active, at revision 2. */
  g_free (save_check (fixture->a, id, fixture->road_id, 3.5));
  dg_test_client_sync_ok (fixture->a);
  after = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (after->status, ==, DG_SYNC_STATUS_SYNCED);
  g_assert_cmpint (after->state, ==, DG_RECORD_STATE_ACTIVE);
  g_assert_cmpint (after->rev, ==, 2);

  held = server_checks (&fixture->server);
  g_assert_cmpint (((DgRecord *) g_hash_table_lookup (held, id))->state, ==,
                   DG_RECORD_STATE_ACTIVE);
  g_assert_cmpint (((DgRecord *) g_hash_table_lookup (held, id))->rev, ==, 2);
}

static void
count_cb (DgSyncEngine *engine,
          guint        *count)
{
  (*count)++;
}

static void
test_expired_token (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *token = g_strdup (dg_token_store_get_token (fixture->a->tokens));
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GError) error = NULL;
  guint requests = 0;

  /* The session ends on the server (as after 30 days, or a logout elsewhere). */
  g_assert_cmpuint (dg_test_http (fixture->server.session, fixture->server.url, "POST",
                                  "/api/v1/logout", token, "{}", &answer), ==, 200);

  id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_signal_connect (fixture->a->engine, "sign-in-required", G_CALLBACK (count_cb), &requests);
  g_assert_false (dg_test_client_sync (fixture->a, &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_UNAUTHORIZED);

  /* Sign-in is asked for, and the edit waits. */
  g_assert_cmpuint (requests, ==, 1);
  g_assert_cmpint (dg_sync_engine_get_state (fixture->a->engine), ==,
                   DG_SYNC_STATE_SIGN_IN_REQUIRED);
  g_assert_false (dg_sync_engine_get_signed_in (fixture->a->engine));
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 1);

  client_sign_in (fixture->a, &fixture->server, "inspector");
  dg_test_client_sync_ok (fixture->a);
  held = server_checks (&fixture->server);
  g_assert_nonnull (g_hash_table_lookup (held, id));
}

static void
test_rejected (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *no_road = dg_uuid_new ();
  g_autofree char *id = save_check (fixture->a, NULL, no_road, 3.0);
  g_autoptr(DgStoreEntry) entry = NULL;

  /* A road the server does not know: refused, and the record says why. */
  dg_test_client_sync_ok (fixture->a);
  entry = dg_local_store_get_entry (fixture->a->store, id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_REJECTED);
  g_assert_nonnull (entry->message);
  g_test_message ("rejected: %s", entry->message);
}

static void
test_other_user (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *id = save_check (fixture->a, NULL, fixture->road_id, 3.0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  /* inspector's check has not gone out: inspector2 may not sign in on this device yet. */
  dg_sync_engine_sign_in_async (fixture->a->engine, fixture->server.url, "inspector2",
                                "inspector2" PASSWORD_SUFFIX, NULL, dg_test_got_result_cb,
                                &result);
  g_assert_false (dg_sync_engine_sign_in_finish (fixture->a->engine, dg_test_wait_result (&result), &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_OTHER_USER);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->a->store), ==, 1);

  /* Once it has, inspector2 starts with no record of inspector's. */
  dg_test_client_sync_ok (fixture->a);
  client_sign_in (fixture->a, &fixture->server, "inspector2");
  entries = dg_local_store_list_entries (fixture->a->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (entries->len, ==, 0);
  dg_test_client_sync_ok (fixture->a);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = dg_local_store_list_entries (fixture->a->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* ---- Setup ---- */

static void
prepare_template (void)
{
  const char *datadir = g_getenv ("DUSTGRID_SOURCE_DATADIR");
  g_autofree char *district = g_build_filename (datadir, "sample-district.json", NULL);
  g_autoptr(GError) error = NULL;
  struct { const char *name; const char *role; } users[] = {
    { "inspector", "inspector" },
    { "inspector2", "inspector" },
    { "office", "office" },
  };

  template_dir = g_dir_make_tmp ("dustgrid-client-sync-XXXXXX", &error);
  g_assert_no_error (error);
  template_db = g_build_filename (template_dir, "template.db", NULL);

  {
    const char *argv[] = { server_bin, "import", "--db", template_db, district, NULL };
    run_cli (argv, "");
  }
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *password = g_strdup_printf ("%s" PASSWORD_SUFFIX "\n", users[i].name);
      const char *argv[] = { server_bin, "user", "add", "--db", template_db, "--username",
                             users[i].name, "--role", users[i].role, NULL };
      run_cli (argv, password);
    }
}

static void
remove_template (void)
{
  g_autofree char *wal = g_strconcat (template_db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (template_db, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (template_db);
  g_rmdir (template_dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server_bin = g_getenv ("DUSTGRID_SERVER");
  if (server_bin == NULL || !g_file_test (server_bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("DUSTGRID_SERVER does not name the server binary");
      return g_test_run ();
    }
  prepare_template ();

#define ADD(path, func) \
  g_test_add ("/client/sync/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("offline-then-synced", test_offline_then_synced);
  ADD ("thousand", test_thousand);
  ADD ("large-batch", test_large_batch);
  ADD ("killed-mid-sync", test_killed_mid_sync);
  ADD ("duplicate-retry", test_duplicate_retry);
  ADD ("conflict", test_conflict);
  ADD ("conflict-theirs", test_conflict_theirs);
  ADD ("returned", test_returned);
  ADD ("expired-token", test_expired_token);
  ADD ("rejected", test_rejected);
  ADD ("other-user", test_other_user);
#undef ADD

  ret = g_test_run ();
  remove_template ();
  return ret;
}
