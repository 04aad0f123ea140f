/* test-client-store.c: the offline store, without a server. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dg-local-store.h"
#include "dg-messages.h"
#include "dg-sync-engine.h"
#include "dg-test-client.h"
#include "dg-token-store.h"

typedef struct
{
  DgLocalStore *store;
  DgRoad       *road;    /* a road of the bundled sample district */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GError) error = NULL;

  fixture->store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  dg_local_store_ensure_reference (fixture->store, &error);
  g_assert_no_error (error);

  roads = dg_local_store_list_roads (fixture->store);
  g_assert_cmpuint (roads->len, >, 0);
  fixture->road = dg_road_copy (g_ptr_array_index (roads, 0));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->road, dg_road_free);
  /* Queued "changed" emissions hold a reference until they run. */
  dg_test_spin_until_idle ();
  g_assert_finalize_object (fixture->store);
}

/* A check with @n points of @mass grams on @road, as the editor builds it, and valid. */
static JsonObject *
make_check (const char *id,
            const char *road_id,
            const char *date,
            guint       n,
            double      mass)
{
  g_autoptr(DgRoadCheck) check = dg_test_road_check (id, road_id, date, n, mass);
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_road_check_validate (check, &error));
  g_assert_no_error (error);
  return dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check);
}


static void
test_bundled_reference (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) cells = dg_local_store_list_grid_cells (fixture->store);
  g_autoptr(DgRuleSet) rules = dg_local_store_get_rules (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roads_before = dg_local_store_list_roads (fixture->store);
  g_autoptr(GPtrArray) roads_after = NULL;

  /* Offline first start: the sample district is there, and limits are in force. */
  g_assert_cmpuint (cells->len, >, 0);
  g_assert_cmpfloat (dg_rule_set_limit (rules, DG_SURFACE_MAIN, "2025-03-01"), ==, 5.0);

  /* A second call imports nothing again. */
  dg_local_store_ensure_reference (fixture->store, &error);
  g_assert_no_error (error);
  roads_after = dg_local_store_list_roads (fixture->store);
  g_assert_cmpuint (roads_after->len, ==, roads_before->len);
}

static void
test_save_and_outbox (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *id = dg_uuid_new ();
  g_autoptr(JsonObject) data = make_check (id, fixture->road->id, "2025-03-14", 6, 4.0);
  g_autoptr(JsonObject) edited = make_check (id, fixture->road->id, "2025-03-14", 6, 7.0);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  DgOutboxItem *item;

  dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, id, data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->store), ==, 1);

  /* A second edit before any sync replaces the waiting change (one per record). */
  dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, id, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->store), ==, 1);

  items = dg_local_store_outbox_peek (fixture->store, 500);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->change->id, ==, id);
  g_assert_cmpint (item->change->base_rev, ==, 0);
  g_assert_cmpint (item->version, ==, 2);

  entry = dg_local_store_get_entry (fixture->store, id);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_PENDING);
  g_assert_cmpstr (entry->sort_key, ==, "2025-03-14");

  checks = dg_local_store_list_checks_on (fixture->store, "2025-03-14");
  g_assert_cmpuint (checks->len, ==, 1);
  g_assert_cmpfloat (dg_road_check_get_point ((DgRoadCheck *) g_ptr_array_index (checks, 0),
                                              0)->mass_g, ==, 7.0);
  dg_test_spin_until_idle ();
}

static DgResult *
result_new (const char     *id,
            DgResultStatus  status,
            gint64          rev)
{
  return dg_result_new (id, status, rev);
}

static void
test_results (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *applied = dg_uuid_new ();
  g_autofree char *conflict = dg_uuid_new ();
  g_autofree char *rejected = dg_uuid_new ();
  g_autofree char *racing = dg_uuid_new ();
  const char *ids[] = { applied, conflict, rejected, racing };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_result_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStoreEntry) e_applied = NULL;
  g_autoptr(DgStoreEntry) e_conflict = NULL;
  g_autoptr(DgStoreEntry) e_rejected = NULL;
  g_autoptr(DgStoreEntry) e_racing = NULL;
  g_autoptr(JsonObject) later = NULL;
  DgResult *result;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(JsonObject) data = make_check (ids[i], fixture->road->id, "2025-03-14", 6, 3.0);
      dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, ids[i], data, &error);
      g_assert_no_error (error);
    }
  items = dg_local_store_outbox_peek (fixture->store, 500);
  g_assert_cmpuint (items->len, ==, 4);

  /* The inspector edits one record while its first version is on the wire. */
  later = make_check (racing, fixture->road->id, "2025-03-14", 6, 9.0);
  dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, racing, later, &error);
  g_assert_no_error (error);

  g_ptr_array_add (results, result_new (applied, DG_RESULT_APPLIED, 1));
  result = result_new (conflict, DG_RESULT_CONFLICT, 4);
  result->current = dg_record_new ();
  result->current->type = DG_RECORD_ROAD_CHECK;
  result->current->id = g_strdup (conflict);
  result->current->rev = 4;
  result->current->data = make_check (conflict, fixture->road->id, "2025-03-14", 6, 1.0);
  g_ptr_array_add (results, result);
  result = result_new (rejected, DG_RESULT_REJECTED, 0);
  dg_set_error (&result->error, DG_ERROR_INVALID_FIELD, "road_id", "road_id names no road");
  g_ptr_array_add (results, result);
  g_ptr_array_add (results, result_new (racing, DG_RESULT_APPLIED, 1));

  dg_local_store_apply_results (fixture->store, items, results, &error);
  g_assert_no_error (error);

  e_applied = dg_local_store_get_entry (fixture->store, applied);
  g_assert_cmpint (e_applied->status, ==, DG_SYNC_STATUS_SYNCED);
  g_assert_cmpint (e_applied->rev, ==, 1);

  /* Both versions kept. */
  e_conflict = dg_local_store_get_entry (fixture->store, conflict);
  g_assert_cmpint (e_conflict->status, ==, DG_SYNC_STATUS_CONFLICT);
  g_assert_cmpint (e_conflict->server_rev, ==, 4);
  g_assert_nonnull (e_conflict->server_data);
  g_assert_nonnull (e_conflict->data);

  e_rejected = dg_local_store_get_entry (fixture->store, rejected);
  g_assert_cmpint (e_rejected->status, ==, DG_SYNC_STATUS_REJECTED);
  /* The inspector reads what the refused field must hold, in their language, not the server's
   * English. */
  {
    g_autoptr(GError) refused = NULL;
    g_autofree char *expected = NULL;

    dg_set_error (&refused, DG_ERROR_INVALID_FIELD, "road_id", "road_id names no road");
    expected = dg_describe_error (refused);
    g_assert_cmpstr (e_rejected->message, ==, expected);
  }

  /* The newer edit still waits, now based on revision 1. */
  e_racing = dg_local_store_get_entry (fixture->store, racing);
  g_assert_cmpint (e_racing->status, ==, DG_SYNC_STATUS_PENDING);
  g_assert_cmpuint (dg_local_store_count_pending (fixture->store), ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = dg_local_store_outbox_peek (fixture->store, 500);
  g_assert_cmpint (((DgOutboxItem *) g_ptr_array_index (items, 0))->change->base_rev, ==, 1);

  /* Keeping mine pushes it again over the server's revision. */
  dg_local_store_resolve_conflict (fixture->store, conflict, TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = dg_local_store_outbox_peek (fixture->store, 500);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      DgOutboxItem *item = g_ptr_array_index (items, i);
      if (g_str_equal (item->change->id, conflict))
        g_assert_cmpint (item->change->base_rev, ==, 4);
    }
  dg_test_spin_until_idle ();
}

static void
test_pull (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_record_free);
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autofree char *check_id = dg_uuid_new ();
  g_autofree char *road_id = dg_uuid_new ();
  g_autoptr(DgRoad) road = dg_road_new ();
  DgRecord *record;

  g_assert_cmpint (dg_local_store_get_cursor (fixture->store, "http://a"), ==, 0);

  road->id = g_strdup (road_id);
  road->name = g_strdup ("Server road");
  road->unit = g_strdup ("Unit");
  road->surface = DG_SURFACE_SIDE;
  record = dg_record_new ();
  record->type = DG_RECORD_ROAD;
  record->id = g_strdup (road_id);
  record->rev = 1;
  record->seq = 1;
  record->data = dg_record_data_to_json (DG_RECORD_ROAD, road);
  g_ptr_array_add (records, record);

  record = dg_record_new ();
  record->type = DG_RECORD_ROAD_CHECK;
  record->id = g_strdup (check_id);
  record->rev = 2;
  record->seq = 2;
  record->state = DG_RECORD_STATE_RETURNED;
  record->reason = g_strdup ("Weigh point 3 again");
  record->data = make_check (check_id, road_id, "2025-03-15", 6, 2.0);
  g_ptr_array_add (records, record);

  /* A complete pull replaces the bundled sample district. */
  dg_local_store_apply_pull (fixture->store, "http://a", records, 2, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dg_local_store_get_cursor (fixture->store, "http://a"), ==, 2);
  g_assert_cmpint (dg_local_store_get_cursor (fixture->store, "http://b"), ==, 0);

  roads = dg_local_store_list_roads (fixture->store);
  g_assert_cmpuint (roads->len, ==, 1);
  g_assert_cmpstr (((DgRoad *) g_ptr_array_index (roads, 0))->name, ==, "Server road");

  entry = dg_local_store_get_entry (fixture->store, check_id);
  g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_RETURNED);
  g_assert_cmpstr (entry->reason, ==, "Weigh point 3 again");
  g_assert_cmpint (entry->rev, ==, 2);
  dg_test_spin_until_idle ();
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *id = dg_uuid_new ();
  g_autoptr(JsonObject) data = make_check (id, fixture->road->id, "2025-03-14", 2, 4.0);
  g_autoptr(DgLocalStore) again = NULL;
  g_autoptr(GError) error = NULL;

  dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, id, data, &error);
  g_assert_no_error (error);

  /* The store survives a restart of the app (migrations run once). */
  again = dg_local_store_new (dg_local_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg_local_store_count_pending (again), ==, 1);
  dg_test_spin_until_idle ();
}

/* A draft is kept per record, found again as the new record's draft until that record is
 * saved, and dropped by the save in the same transaction. */
static void
test_drafts (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *id = dg_uuid_new ();
  g_autofree char *other = dg_uuid_new ();
  g_autofree char *found_id = NULL;
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(JsonObject) data = make_check (id, fixture->road->id, "2025-03-14", 2, 4.0);
  g_autoptr(DgLocalStore) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (dg_local_store_find_new_draft (fixture->store, DG_RECORD_ROAD_CHECK,
                                                &found_id));
  g_assert_null (found_id);

  /* What was typed, numbers or not. */
  json_object_set_string_member (draft, "mass", "4,5x");
  g_assert_true (dg_local_store_put_draft (fixture->store, DG_RECORD_ROAD_CHECK, id, draft,
                                           &error));
  g_assert_no_error (error);
  json_object_set_string_member (draft, "mass", "4.5");
  g_assert_true (dg_local_store_put_draft (fixture->store, DG_RECORD_ROAD_CHECK, id, draft,
                                           &error));
  g_assert_no_error (error);

  /* Another type's draft is not this one's. */
  g_assert_null (dg_local_store_find_new_draft (fixture->store, DG_RECORD_DUSTFALL_SAMPLE,
                                                &found_id));

  /* It survives a restart, latest version only. */
  again = dg_local_store_new (dg_local_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  found = dg_local_store_find_new_draft (again, DG_RECORD_ROAD_CHECK, &found_id);
  g_assert_nonnull (found);
  g_assert_cmpstr (found_id, ==, id);
  g_assert_cmpstr (json_object_get_string_member (found, "mass"), ==, "4.5");
  g_clear_object (&again);

  /* Saving the record drops its draft. */
  g_assert_true (dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, id, data, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, json_object_unref);
  g_clear_pointer (&found_id, g_free);
  g_assert_null (dg_local_store_get_draft (fixture->store, id));
  g_assert_null (dg_local_store_find_new_draft (fixture->store, DG_RECORD_ROAD_CHECK,
                                                &found_id));

  /* A draft of a saved record is that record's, not a new record's. */
  g_assert_true (dg_local_store_put_draft (fixture->store, DG_RECORD_ROAD_CHECK, id, draft,
                                           &error));
  g_assert_no_error (error);
  found = dg_local_store_get_draft (fixture->store, id);
  g_assert_nonnull (found);
  g_assert_null (dg_local_store_find_new_draft (fixture->store, DG_RECORD_ROAD_CHECK,
                                                &found_id));

  /* Discarded. */
  g_assert_true (dg_local_store_delete_draft (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_null (dg_local_store_get_draft (fixture->store, id));

  /* Another user on this device gets none of them. */
  g_assert_true (dg_local_store_put_draft (fixture->store, DG_RECORD_ROAD_CHECK, other, draft,
                                           &error));
  g_assert_true (dg_local_store_forget_records (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_null (dg_local_store_get_draft (fixture->store, other));
  dg_test_spin_until_idle ();
}

/* A store written before drafts existed (schema 1) is migrated, its records kept. */
static void
test_migrate_to_drafts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dustgrid-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *id = dg_uuid_new ();
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  dg_test_spin_until_idle ();

  /* Back to what version 1 wrote. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE drafts; PRAGMA user_version = 1;"
                                 "INSERT INTO records (id, type, data, sort_key)"
                                 " VALUES ('x', 'road_check', '{}', '2025-01-01')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (dg_local_store_put_draft (store, DG_RECORD_ROAD_CHECK, id, draft, &error));
  g_assert_no_error (error);
  entry = dg_local_store_get_entry (store, "x");
  g_assert_nonnull (entry);
  g_clear_object (&store);
  dg_test_spin_until_idle ();
  dg_test_remove_dir (dir);
}

static void
test_token_store (void)
{
  g_autoptr(DgTokenStore) tokens = dg_token_store_new (NULL);
  g_autoptr(DgTokenStore) again = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_null (dg_token_store_get_token (tokens));
  dg_token_store_save (tokens, "http://127.0.0.1:1", "inspector", "secret", "inspector",
                       "2030-01-01T00:00:00Z", &error);
  g_assert_no_error (error);

  /* Only the user may read the token. */
  g_assert_cmpint (g_stat (dg_token_store_get_path (tokens), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = dg_token_store_new (NULL);
  g_assert_cmpstr (dg_token_store_get_token (again), ==, "secret");
  g_assert_cmpstr (dg_token_store_get_username (again), ==, "inspector");

  dg_token_store_clear (again);
  g_assert_null (dg_token_store_get_token (again));
  g_assert_cmpstr (dg_token_store_get_username (again), ==, "inspector");
}

static void
test_backoff (void)
{
  /* 2 s doubling to 5 min, jitter within ±20 %. */
  g_assert_cmpuint (dg_sync_engine_backoff_ms (1, 0.5), ==, 2000);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (2, 0.5), ==, 4000);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (3, 0.5), ==, 8000);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (30, 0.5), ==, 300000);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (30, 0.999), <=, 300000);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (1, 0.0), >=, 1600);
  g_assert_cmpuint (dg_sync_engine_backoff_ms (1, 0.999), <=, 2400);
}

/* ---- The main-thread guard (DUSTGRID_STORE_GUARD=1, set for the whole suite) ---- */

static gboolean
read_roads_cb (gpointer data)
{
  g_autoptr(GPtrArray) roads = dg_local_store_list_roads (data);

  /* Only reached when the guard let the read through. */
  g_print ("read %u roads on the main thread\n", roads->len);
  return G_SOURCE_REMOVE;
}

static gpointer
count_roads_func (DgLocalStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GPtrArray) roads = dg_local_store_list_roads (store);

  return GUINT_TO_POINTER (roads->len + 1);
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(guint *) user_data = GPOINTER_TO_UINT (dg_local_store_run_finish (DG_LOCAL_STORE (object),
                                                                      result, &error));
  g_assert_no_error (error);
}

/* In a child: a blocking read from a handler the main loop dispatches, as a page's would be. */
static void
read_in_handler (void)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint counted = 0;

  /* Outside a dispatch the test's thread does not run the main loop: allowed. */
  store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (dg_local_store_ensure_reference (store, &error));

  /* The same read from a worker thread, while the main loop runs, is allowed. */
  dg_local_store_run_async (store, count_roads_func, NULL, NULL, NULL, NULL, counted_cb,
                            &counted);
  while (counted == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counted, >, 1);

  g_idle_add (read_roads_cb, store);
  g_main_context_iteration (NULL, TRUE);
}

static void
test_guard_refuses_main_thread (void)
{
  if (g_test_subprocess ())
    {
      read_in_handler ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*dg_local_store_list_roads: SQL on the main thread*");
  g_test_trap_assert_stdout_unmatched ("*read * roads on the main thread*");
}

/* Without the guard (a release build, or DUSTGRID_STORE_GUARD=0) the same read runs: the
 * failure above is the guard's, not the read's. */
static void
test_guard_off (void)
{
  if (g_test_subprocess ())
    {
      read_in_handler ();
      return;
    }
  g_setenv ("DUSTGRID_STORE_GUARD", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_setenv ("DUSTGRID_STORE_GUARD", "1", TRUE);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*read * roads on the main thread*");
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
notified_cb (gboolean *notified)
{
  *notified = TRUE;
}

/* A store made for a path is opened on a worker thread, with the sample district. */
static void
test_open_async (void)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autoptr(DgLocalStore) store = dg_local_store_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GError) error = NULL;
  gboolean notified = FALSE;

  g_assert_false (dg_local_store_get_open (store));
  g_signal_connect_swapped (store, "notify::open", G_CALLBACK (notified_cb), &notified);
  dg_local_store_open_async (store, TRUE, NULL, got_result_cb, &result);
  while (result == NULL || !notified)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dg_local_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_true (dg_local_store_get_open (store));

  roads = dg_local_store_list_roads (store);
  g_assert_cmpuint (roads->len, >, 0);
  dg_test_spin_until_idle ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/client/store/bundled-reference", Fixture, NULL,
              fixture_setup, test_bundled_reference, fixture_teardown);
  g_test_add ("/client/store/save-and-outbox", Fixture, NULL,
              fixture_setup, test_save_and_outbox, fixture_teardown);
  g_test_add ("/client/store/results", Fixture, NULL,
              fixture_setup, test_results, fixture_teardown);
  g_test_add ("/client/store/pull", Fixture, NULL,
              fixture_setup, test_pull, fixture_teardown);
  g_test_add ("/client/store/reopen", Fixture, NULL,
              fixture_setup, test_reopen, fixture_teardown);
  g_test_add ("/client/store/drafts", Fixture, NULL,
              fixture_setup, test_drafts, fixture_teardown);
  g_test_add_func ("/client/store/migrate-to-drafts", test_migrate_to_drafts);
  g_test_add_func ("/client/store/token", test_token_store);
  g_test_add_func ("/client/store/guard/refuses-sql-on-the-main-thread",
                   test_guard_refuses_main_thread);
  g_test_add_func ("/client/store/guard/off-lets-it-run", test_guard_off);
  g_test_add_func ("/client/store/open-async", test_open_async);
  g_test_add_func ("/client/sync/backoff", test_backoff);

  return g_test_run ();
}
