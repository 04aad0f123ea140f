/* test-server-crash.c: the real dustgrid-server killed with SIGKILL at random moments while
 * batches are pushed, over and over; nothing acknowledged may be lost or doubled, and no batch
 * may be stored in part.
 *
 * SIGKILL ends the process, not the machine: what was written() but not fsync()ed survives in
 * the page cache, so this checks the server's transactions and acknowledgements, not the disk's
 * write ordering (SQLite's synchronous=FULL is what covers a power cut).
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dg-test-server.h"

#define N_KILLS          100
#define MAX_KILL_DELAY_MS 60
/* On a slow machine (or under AddressSanitizer) a push can take longer than the kill window:
 * while nothing has been acknowledged the window doubles after each kill, up to this. */
#define MAX_KILL_WINDOW_MS 4000
#define MAX_BATCH        6

typedef struct
{
  GPtrArray *valid;      /* ids the server must apply */
  GPtrArray *invalid;    /* ids it must reject (a road that does not exist) */
  char      *body;
  gboolean   acked;      /* a 200 came back */
} Batch;

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->valid);
  g_ptr_array_unref (batch->invalid);
  g_free (batch->body);
  g_free (batch);
}

static Batch *
batch_new (guint n)
{
  Batch *batch = g_new0 (Batch, 1);
  g_autoptr(GString) body = g_string_new ("{\"changes\":[");
  gboolean mixed = g_random_int_range (0, 3) == 0;

  batch->valid = g_ptr_array_new_with_free_func (g_free);
  batch->invalid = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      char id[37];
      g_autofree char *change = dg_test_new_check (id, g_random_int ());

      if (mixed && i % 2 == 1)
        {
          /* Valid JSON, valid id, but naming a road that does not exist: rejected alone. */
          g_autoptr(GString) bad = g_string_new (change);

          g_string_replace (bad, DG_TEST_ROAD_ID, "55555555-5555-4555-8555-555555555555", 0);
          g_string_append_printf (body, "%s%s", i > 0 ? "," : "", bad->str);
          g_ptr_array_add (batch->invalid, g_strdup (id));
        }
      else
        {
          g_string_append_printf (body, "%s%s", i > 0 ? "," : "", change);
          g_ptr_array_add (batch->valid, g_strdup (id));
        }
    }
  g_string_append (body, "]}");
  batch->body = g_string_free (g_steal_pointer (&body), FALSE);

  return batch;
}

typedef struct
{
  GPid  pid;
  guint delay_ms;
} Killer;

static gpointer
killer_thread (gpointer data)
{
  Killer *killer = data;

  g_usleep (killer->delay_ms * 1000);
  kill (killer->pid, SIGKILL);
  return NULL;
}

static char *
login (SoupSession *session,
       const char  *url,
       const char  *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, username);
  g_autoptr(JsonNode) response = NULL;
  guint status;

  status = dg_test_http (session, url, "POST", "/api/v1/login", NULL, body, &response);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (response), "token"));
}

/* Pushes @batch; TRUE when acknowledged (and then checks every result). */
static gboolean
push (SoupSession *session,
      const char  *url,
      const char  *token,
      Batch       *batch)
{
  g_autoptr(JsonNode) response = NULL;
  JsonArray *results;
  guint status;

  status = dg_test_http (session, url, "POST", "/api/v1/changes", token, batch->body, &response);
  if (status == 0)
    return FALSE;
  g_assert_cmpuint (status, ==, 200);

  results = json_object_get_array_member (json_node_get_object (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, batch->valid->len + batch->invalid->len);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (result, "id");
      const char *status_name = json_object_get_string_member (result, "status");

      if (g_ptr_array_find_with_equal_func (batch->invalid, id, g_str_equal, NULL))
        g_assert_cmpstr (status_name, ==, "rejected");
      else
        g_assert_true (g_str_equal (status_name, "applied") ||
                       g_str_equal (status_name, "unchanged"));
    }

  return TRUE;
}

/* How many of @batch's valid changes the file holds, read with the server down. */
static guint
count_stored (const char *db,
              Batch      *batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = dg_store_open (db, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < batch->valid->len; i++)
    {
      g_autoptr(DgRecord) record = dg_store_get_record (store, g_ptr_array_index (batch->valid, i),
                                                        &error);

      if (record != NULL)
        n++;
      else
        g_clear_error (&error);
    }
  dg_store_close (store);

  return n;
}

static void
test_sigkill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dustgrid-crash-XXXXXX", &error);
  g_autofree char *db = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DgTestProcess) final = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *office = NULL;
  Batch *pending = NULL;
  guint n_acked_changes = 0, n_acked_batches = 0, n_unacked = 0, n_retried = 0;
  guint n_partial_present = 0, n_unacked_present = 0, n_inflight_stored = 0, stored;
  gint64 since = 0, started = g_get_monotonic_time ();
  gboolean more = TRUE;
  guint window_ms = MAX_KILL_DELAY_MS, n_acked_so_far = 0;

  g_assert_no_error (error);
  db = dg_test_db_location (dir, "crash.db");
  dg_test_make_db (db, TRUE);

  for (guint kill_no = 0; kill_no < N_KILLS; kill_no++)
    {
      g_autoptr(DgTestProcess) tp = dg_test_process_start (db, TRUE, NULL);
      g_autoptr(SoupSession) s = dg_test_session_new ();
      g_autofree char *token = login (s, tp->url, "inspector");
      Killer killer = { tp->pid, g_random_int_range (0, window_ms + 1) };
      GThread *thread = g_thread_new ("killer", killer_thread, &killer);

      /* The batch the last server died on is pushed again first, as a client would: it must
       * come back applied or unchanged, never doubled. */
      if (pending != NULL)
        {
          n_retried++;
          if (push (s, tp->url, token, pending))
            {
              pending->acked = TRUE;
              n_acked_so_far++;
              pending = NULL;
            }
        }

      while (pending == NULL)
        {
          Batch *batch = batch_new (g_random_int_range (1, MAX_BATCH + 1));

          g_ptr_array_add (batches, batch);
          if (push (s, tp->url, token, batch))
            {
              batch->acked = TRUE;
              n_acked_so_far++;
            }
          else
            pending = batch;
        }

      g_thread_join (thread);
      dg_test_process_kill (tp);

      /* Before the retry could complete it: the batch in flight is in whole or not at all. */
      stored = count_stored (db, pending);
      g_assert_true (stored == 0 || stored == pending->valid->len);
      if (stored > 0)
        n_inflight_stored++;

      if (n_acked_so_far == 0 && window_ms < MAX_KILL_WINDOW_MS)
        window_ms = MIN (window_ms * 2, MAX_KILL_WINDOW_MS);
    }

  /* Pull everything as the office. */
  final = dg_test_process_start (db, TRUE, NULL);
  session = dg_test_session_new ();
  office = login (session, final->url, "office");
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(JsonNode) response = NULL;
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (dg_test_http (session, final->url, "GET", path, office, NULL, &response),
                        ==, 200);
      object = json_node_get_object (response);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (changes,
                                                                                        i),
                                                      "id");
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, id));

          g_hash_table_replace (seen, g_strdup (id), GUINT_TO_POINTER (n + 1));
        }
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
    }
  g_assert_cmpint (dg_test_process_stop (final), ==, 0);

  for (guint b = 0; b < batches->len; b++)
    {
      Batch *batch = g_ptr_array_index (batches, b);
      guint present = 0;

      for (guint i = 0; i < batch->invalid->len; i++)
        g_assert_false (g_hash_table_contains (seen, g_ptr_array_index (batch->invalid, i)));

      for (guint i = 0; i < batch->valid->len; i++)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen,
                                                           g_ptr_array_index (batch->valid, i)));

          g_assert_cmpuint (n, <=, 1);
          present += n;
        }

      if (batch->acked)
        {
          n_acked_batches++;
          n_acked_changes += batch->valid->len;
          g_assert_cmpuint (present, ==, batch->valid->len);
        }
      else
        {
          /* All or nothing. */
          n_unacked++;
          if (present != 0 && present != batch->valid->len)
            n_partial_present++;
          if (present > 0)
            n_unacked_present++;
          g_assert_true (present == 0 || present == batch->valid->len);
        }
    }

  /* One revision each: a retried batch stored nothing twice. */
  {
    g_autoptr(DgStore) store = dg_store_open (db, &error);
    GHashTableIter iter;
    gpointer key;

    g_assert_no_error (error);
    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        g_autoptr(DgRecord) record = dg_store_get_record (store, key, &error);

        g_assert_no_error (error);
        if (record->type == DG_RECORD_ROAD_CHECK)
          g_assert_cmpint (dg_store_count_revisions (store, key), ==, 1);
      }
    dg_store_close (store);
  }

  g_assert_true (dg_test_integrity_ok (db));
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", db, NULL), ==, 0);

  g_test_message ("%u kills in %.1f s: %u batches (%u changes) acknowledged; %u batches in "
                  "flight at a kill, %u of them stored whole (committed, answer lost), none in "
                  "part, each then retried; %u never acknowledged (%u stored, %u in part)",
                  N_KILLS, (g_get_monotonic_time () - started) / 1e6, n_acked_batches,
                  n_acked_changes, n_retried + (pending != NULL), n_inflight_stored, n_unacked,
                  n_unacked_present, n_partial_present);
  g_assert_cmpuint (n_acked_changes, >, 0);

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);

        g_unlink (child);
      }
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  g_test_add_func ("/server/crash/sigkill", test_sigkill);

  return g_test_run ();
}
