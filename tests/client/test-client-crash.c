/* test-client-crash.c: the client killed with SIGKILL in the middle of a sync, again and again.
 *
 * The local store is filled with 3000 road checks; dg-sync-child syncs it against the real
 * dustgrid-server binary and is killed at random moments: after 0 or 1 acknowledged batches, at a
 * random point of the next batch's round trip (request on its way, server committing, answer
 * on its way back, client applying it). After every kill the test opens the store again and
 * checks that nothing was lost: the file passes PRAGMA integrity_check, every record is still
 * there, and every record that left the outbox is held by the server (an outbox entry goes only
 * once acknowledged). When less than a batch is left to send, more records are saved, so every
 * kill lands in a push. At the end a child runs to completion: every record is on the server
 * exactly once, at revision 1 (a batch sent again after a lost answer stored nothing twice).
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sqlite3.h>

#include <glib/gstdio.h>

#include "dg-test-client.h"
#include "dg-test-server.h"

#if defined(__SANITIZE_ADDRESS__)
# define DG_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define DG_ASAN 1
# endif
#endif

#ifdef DG_ASAN
/* Under ./dev test --sanitize (ASan with the slow unwinder) a batch of 500 takes some 10 s on
 * each side: the same kills, over smaller batches. */
# define N_RECORDS 300
# define LOW_WATER 100
# define TOP_UP    100
#else
# define N_RECORDS 3000
# define LOW_WATER DG_SYNC_BATCH  /* less than a batch waiting: save more */
# define TOP_UP    500
#endif
#define N_KILLS    20
#define MAX_ROUNDS 150

typedef struct
{
  char             *dir;
  char             *server_db;
  DgTestProcess    *server;
  SoupSession      *session;
  char             *client_dir;
  char             *client_db;
  char             *client_session;

  GPtrArray        *ids;         /* every record saved */
  GHashTable       *held;        /* id → rev, as the server's feed showed them */
  gint64            since;       /* how far into the feed */
  guint             pending;     /* the outbox size after the last round */

  double            batch_ms;    /* a running estimate of one batch's round trip */
  guint             n_kills;
  guint             n_finished;  /* runs that completed before their kill */
  guint             n_top_ups;
  guint             n_answers_lost; /* kills between the server's commit and the client's */
  gint64            child_us;    /* where the time went */
  gint64            check_us;
} Crash;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn_child (Crash             *crash,
             GDataInputStream **out)
{
  const char *child = g_getenv ("DG_SYNC_CHILD");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, child, crash->client_db,
                                         crash->client_session, NULL);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  return process;
}

/* The child's next line, or NULL at the end of its output. */
static char *
read_line (GDataInputStream *out)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

/* More records when less than a batch waits, so that the next kill interrupts a push. */
static void
top_up (Crash *crash)
{
  g_autoptr(DgTestClient) client = dg_test_client_new (crash->client_dir);

  dg_test_client_save_checks (client, TOP_UP, crash->ids);
  crash->pending = dg_local_store_count_pending (client->store);
  crash->n_top_ups++;
}

/* The ids of one column, read from the file the way the next start will find it. */
static GHashTable *
select_ids (sqlite3    *db,
            const char *sql)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return ids;
}

/* What must hold after any kill. */
static void
check_after_kill (Crash *crash)
{
  g_autoptr(GHashTable) records = NULL;
  g_autoptr(GHashTable) waiting = NULL;
  gint64 started = g_get_monotonic_time ();
  sqlite3 *db = NULL;
  guint pending;

  /* Opening it read-write recovers what the killed process left in the WAL, as the app would. */
  g_assert_true (dg_test_integrity_ok (crash->client_db));
  g_assert_cmpint (sqlite3_open_v2 (crash->client_db, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  records = select_ids (db, "SELECT id FROM records WHERE type = 'road_check' AND deleted = 0");
  waiting = select_ids (db, "SELECT id FROM outbox");
  sqlite3_close (db);

  /* Nothing saved was lost. */
  g_assert_cmpuint (g_hash_table_size (records), ==, crash->ids->len);
  for (guint i = 0; i < crash->ids->len; i++)
    g_assert_true (g_hash_table_contains (records, g_ptr_array_index (crash->ids, i)));

  /* The outbox only shrinks, and only by acknowledged changes (checked below). */
  pending = g_hash_table_size (waiting);
  g_assert_cmpuint (pending, <=, crash->pending);
  crash->pending = pending;

  dg_test_held_checks_update (crash->session, crash->server->url, crash->held, &crash->since);
  g_assert_cmpuint (g_hash_table_size (crash->held), <=, crash->ids->len);
  for (guint i = 0; i < crash->ids->len; i++)
    {
      const char *id = g_ptr_array_index (crash->ids, i);

      if (!g_hash_table_contains (waiting, id) && !g_hash_table_contains (crash->held, id))
        g_error ("%s left the outbox but the server does not hold it", id);
    }

  /* Stored, but still waiting here: the answer never reached the outbox. The next run sends
   * them again, and the end of the test shows they were not stored twice. */
  for (guint i = 0; i < crash->ids->len; i++)
    {
      const char *id = g_ptr_array_index (crash->ids, i);

      if (g_hash_table_contains (waiting, id) && g_hash_table_contains (crash->held, id))
        {
          crash->n_answers_lost++;
          break;
        }
    }
  crash->check_us += g_get_monotonic_time () - started;
}

/* One child, killed at a random moment of a push. Returns FALSE if it finished first. */
static gboolean
kill_one (Crash *crash)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) child = spawn_child (crash, &out);
  g_autofree char *first = read_line (out);
  g_autoptr(GError) error = NULL;
  guint batches = g_random_int_range (0, 2);
  guint delay_ms;
  gint64 last;
  gboolean ended = FALSE;

  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first, "pending "));
  g_assert_cmpuint (g_ascii_strtoull (first + strlen ("pending "), NULL, 10), ==,
                    crash->pending);

  /* Let a batch through, or none, learning how long one takes. */
  last = g_get_monotonic_time ();
  for (guint i = 0; i < batches && !ended; i++)
    {
      g_autofree char *line = read_line (out);
      gint64 now = g_get_monotonic_time ();

      if (line == NULL || !g_str_has_prefix (line, "progress "))
        {
          ended = TRUE;
          break;
        }
      crash->batch_ms = 0.7 * crash->batch_ms + 0.3 * (now - last) / 1000.0;
      last = now;
    }

  /* Anywhere in the next round trip: a little past its expected end too. */
  delay_ms = g_random_int_range (0, (gint32) (crash->batch_ms * 1.2) + 1);
  if (!ended)
    g_usleep (delay_ms * 1000);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_signaled (child))
    {
      /* It was done: fine, but not a kill. */
      g_assert_true (g_subprocess_get_successful (child));
      return FALSE;
    }
  return TRUE;
}

static void
test_killed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgTestClient) client = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *last = NULL;
  Crash crash = { 0, };
  gint64 started = g_get_monotonic_time ();
  guint rounds = 0;

  crash.dir = g_dir_make_tmp ("dustgrid-client-crash-XXXXXX", &error);
  g_assert_no_error (error);
  crash.server_db = g_build_filename (crash.dir, "server.db", NULL);
  dg_test_make_db (crash.server_db, TRUE);
  crash.server = dg_test_process_start (crash.server_db, TRUE, NULL);
  /* The server still works through the batches of killed children when the test asks for its
   * feed: under a sanitizer that can take longer than dg_test_session_new()'s 20 s. */
  crash.session = soup_session_new_with_options ("timeout", 300, "proxy-resolver", NULL, NULL);
  crash.client_dir = g_build_filename (crash.dir, "client", NULL);
  crash.ids = g_ptr_array_new_with_free_func (g_free);
  crash.held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crash.batch_ms = 300;

  /* Signed in, with N_RECORDS waiting; then the app is closed. */
  client = dg_test_client_new (crash.client_dir);
  crash.client_db = g_strdup (client->db_path);
  crash.client_session = g_strdup (client->session_path);
  dg_test_client_sign_in (client, crash.server->url, "inspector", &error);
  g_assert_no_error (error);
  dg_test_client_save_checks (client, N_RECORDS, crash.ids);
  crash.pending = dg_local_store_count_pending (client->store);
  g_assert_cmpuint (crash.pending, ==, N_RECORDS);
  g_clear_pointer (&client, dg_test_client_free);

  while (crash.n_kills < N_KILLS)
    {
      gint64 child_started = g_get_monotonic_time ();
      guint pending_before;
      gboolean killed;

      g_assert_cmpuint (++rounds, <=, MAX_ROUNDS);
      if (crash.pending < LOW_WATER)
        top_up (&crash);
      pending_before = crash.pending;
      killed = kill_one (&crash);
      crash.child_us += g_get_monotonic_time () - child_started;
      if (killed)
        crash.n_kills++;
      else
        crash.n_finished++;
      check_after_kill (&crash);
      g_test_message ("round %u: %s, %u waiting before, %u after (%.1f s)", rounds,
                      killed ? "killed" : "finished first", pending_before, crash.pending,
                      (g_get_monotonic_time () - child_started) / (double) G_USEC_PER_SEC);
    }

  /* The app started once more, left alone this time. */
  g_test_message ("the last run, %.1f s in", (g_get_monotonic_time () - started) /
                                              (double) G_USEC_PER_SEC);
  child = spawn_child (&crash, &out);
  for (char *line; (line = read_line (out)) != NULL; )
    {
      g_free (last);
      last = line;
    }
  g_subprocess_wait_check (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last, ==, "done");

  g_test_message ("%u kills (%u after the server stored a batch and before the client "
                  "took note) and %u runs that finished first, %u records (%u top-ups), "
                  "a batch took ~%.0f ms; %.1f s in all, %.1f s in the killed runs, %.1f s "
                  "checking", crash.n_kills, crash.n_answers_lost, crash.n_finished,
                  crash.ids->len, crash.n_top_ups,
                  crash.batch_ms, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
                  crash.child_us / (double) G_USEC_PER_SEC,
                  crash.check_us / (double) G_USEC_PER_SEC);

  /* Every record on the server, once, at revision 1; the client knows it. */
  g_assert_true (dg_test_integrity_ok (crash.client_db));
  dg_test_held_checks_update (crash.session, crash.server->url, crash.held, &crash.since);
  g_assert_cmpuint (g_hash_table_size (crash.held), ==, crash.ids->len);
  for (guint i = 0; i < crash.ids->len; i++)
    {
      gpointer rev = NULL;

      g_assert_true (g_hash_table_lookup_extended (crash.held, g_ptr_array_index (crash.ids, i),
                                                   NULL, &rev));
      g_assert_cmpint (GPOINTER_TO_SIZE (rev), ==, 1);
    }

  client = dg_test_client_new (crash.client_dir);
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 0);
  entries = dg_local_store_list_entries (client->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (entries->len, ==, crash.ids->len);
  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->status, ==, DG_SYNC_STATUS_SYNCED);
      g_assert_cmpint (entry->rev, ==, 1);
    }
  g_clear_pointer (&client, dg_test_client_free);

  /* The server's side of it, killed as well: its file and its hash chain. */
  dg_test_process_kill (crash.server);
  g_assert_true (dg_test_integrity_ok (crash.server_db));
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", crash.server_db, NULL), ==, 0);

  g_clear_pointer (&crash.server, dg_test_process_free);
  g_clear_object (&crash.session);
  g_ptr_array_unref (crash.ids);
  g_hash_table_unref (crash.held);
  dg_test_remove_dir (crash.client_dir);
  dg_test_remove_dir (crash.dir);
  g_free (crash.client_dir);
  g_free (crash.client_db);
  g_free (crash.client_session);
  g_free (crash.server_db);
  g_free (crash.dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("DG_SYNC_CHILD") == NULL)
    {
      g_test_skip ("DG_SYNC_CHILD does not name dg-sync-child");
      return g_test_run ();
    }
  g_test_add_func ("/client/crash/killed-mid-sync", test_killed);

  return g_test_run ();
}
