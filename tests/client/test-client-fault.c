/* test-client-fault.c: the server cannot write (disk full, then an I/O error) and answers 503.
 *
 * The server runs in-process over tests/server's failing SQLite VFS, so the 503 "unavailable"
 * comes from the server's own code. The client's store is opened before that VFS is installed
 * and never goes through it. The client must keep its outbox through the refusals, wait longer
 * each time (2 s, then 4 s, ±20 %), and send everything once the server can write again: each
 * record stored once.
 */
#include "config.h"

#include "dg-fault-vfs.h"
#include "dg-test-client.h"
#include "dg-test-server.h"

#define N_RECORDS 600  /* two batches */

typedef struct
{
  DgTestServer *ts;
  DgTestClient *client;
  GPtrArray    *ids;
  guint         n_runs;
  guint         n_failures;
  gint64        failed_at[2];
  double        waits[2];      /* seconds from a failure to the next run */
  gboolean      synced;
} Fault;

static guint
count_stored (Fault *fault)
{
  guint n = 0;

  for (guint i = 0; i < fault->ids->len; i++)
    {
      gint64 revisions = dg_store_count_revisions (fault->ts->store,
                                                   g_ptr_array_index (fault->ids, i));

      g_assert_cmpint (revisions, <=, 1);
      n += (guint) revisions;
    }
  return n;
}

static gpointer
count_pending_thread (gpointer store)
{
  return GUINT_TO_POINTER (dg_local_store_count_pending (store));
}

/* The outbox counted in SQL from a handler the main loop runs: on another thread, since the
 * store refuses SQL on the main thread under test (the engine's own count is a cached one). */
static guint
count_pending (DgLocalStore *store)
{
  return GPOINTER_TO_UINT (g_thread_join (g_thread_new ("count", count_pending_thread, store)));
}

static void
state_cb (DgSyncEngine *engine,
          GParamSpec   *pspec,
          Fault        *fault)
{
  DgSyncState state = dg_sync_engine_get_state (engine);
  gint64 now = g_get_monotonic_time ();

  switch (state)
    {
    case DG_SYNC_STATE_SYNCING:
      if (fault->n_failures > 0 && fault->n_failures <= G_N_ELEMENTS (fault->waits))
        fault->waits[fault->n_failures - 1] =
          (now - fault->failed_at[fault->n_failures - 1]) / (double) G_USEC_PER_SEC;
      fault->n_runs++;
      break;

    case DG_SYNC_STATE_ERROR:
      g_assert_cmpuint (fault->n_failures, <, G_N_ELEMENTS (fault->failed_at));
      fault->failed_at[fault->n_failures++] = now;
      g_test_message ("run %u refused: %s", fault->n_runs, dg_sync_engine_get_message (engine));
      g_assert_nonnull (strstr (dg_sync_engine_get_message (engine), "503"));

      /* Nothing of the outbox was dropped, and nothing reached the store. */
      g_assert_cmpuint (count_pending (fault->client->store), ==, N_RECORDS);
      g_assert_cmpuint (dg_sync_engine_get_n_pending (engine), ==, N_RECORDS);
      g_assert_cmpuint (count_stored (fault), ==, 0);

      /* The disk was full; now a write fails; then space returns. */
      if (fault->n_failures == 1)
        dg_fault_vfs_set (DG_FAULT_IOERR, 0);
      else
        dg_fault_vfs_set (DG_FAULT_NONE, 0);
      break;

    case DG_SYNC_STATE_SYNCED:
      fault->synced = TRUE;
      break;

    case DG_SYNC_STATE_PENDING:
      break;

    case DG_SYNC_STATE_SIGNED_OUT:
    case DG_SYNC_STATE_OFFLINE:
    case DG_SYNC_STATE_SIGN_IN_REQUIRED:
    default:
      g_error ("unexpected sync state %d (%s)", state, dg_sync_engine_get_message (engine));
    }
}

static void
test_unavailable (void)
{
  g_autoptr(DgTestClient) client = NULL;
  g_autoptr(DgTestServer) ts = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_dir = g_build_filename (g_get_user_data_dir (), "client", NULL);
  g_autofree char *url = NULL;
  Fault fault = { 0, };

  client = dg_test_client_new (client_dir);
  dg_fault_vfs_install ();
  ts = dg_test_server_new ();
  url = g_strdup_printf ("http://127.0.0.1:%u", ts->port);

  dg_test_client_sign_in (client, url, "inspector", &error);
  g_assert_no_error (error);
  dg_test_client_save_checks (client, N_RECORDS, ids);

  fault.ts = ts;
  fault.client = client;
  fault.ids = ids;
  g_signal_connect (client->engine, "notify::state", G_CALLBACK (state_cb), &fault);

  /* The automatic runs, as in the app: the first at once, then retries after back-off. */
  dg_fault_vfs_set (DG_FAULT_FULL, 0);
  dg_sync_engine_start (client->engine);
  /* Generous: a sanitizer build runs each push many times slower. */
  g_assert_true (dg_test_wait_until (&fault.synced, 180));
  g_signal_handlers_disconnect_by_data (client->engine, &fault);

  g_test_message ("%u runs, %u refused; waited %.2f s, then %.2f s", fault.n_runs,
                  fault.n_failures, fault.waits[0], fault.waits[1]);
  g_assert_cmpuint (fault.n_failures, ==, 2);
  g_assert_cmpuint (fault.n_runs, ==, 3);
  g_assert_cmpfloat (fault.waits[0], >=, 1.5);
  g_assert_cmpfloat (fault.waits[0], <=, 2.4 + 2.0);
  g_assert_cmpfloat (fault.waits[1], >=, 3.1);
  g_assert_cmpfloat (fault.waits[1], <=, 4.8 + 2.0);

  /* Everything arrived, once; the client knows it. */
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 0);
  g_assert_cmpuint (count_stored (&fault), ==, N_RECORDS);
  entries = dg_local_store_list_entries (client->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (entries->len, ==, N_RECORDS);
  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_SYNCED);
      g_assert_cmpint (entry->rev, ==, 1);
    }
  g_assert_true (dg_test_integrity_ok (ts->db_path));
}

int
main (int    argc,
      char **argv)
{
  /* The in-process server hashes the test users' passwords at libsodium's minimum cost. */
  g_setenv ("DUSTGRID_PWHASH_MIN", "1", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/fault/unavailable", test_unavailable);

  return g_test_run ();
}
