/* test-server-fault.c: a full disk and I/O errors under the in-process server.
 *
 * dg-fault-vfs makes SQLite's writes fail on demand. A batch that cannot be stored is answered
 * 503 "unavailable", nothing of it is kept, and once the writes succeed again the very next
 * request does, without a restart.
 */
#include "config.h"

#include <string.h>

#include "dg-fault-vfs.h"
#include "dg-test-server.h"

typedef struct
{
  char      *body;
  GPtrArray *ids;
} Batch;

static void
batch_free (Batch *batch)
{
  g_free (batch->body);
  g_ptr_array_unref (batch->ids);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static Batch *
batch_new (guint n)
{
  Batch *batch = g_new0 (Batch, 1);
  g_autoptr(GString) body = g_string_new ("{\"changes\":[");

  batch->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      char id[37];
      g_autofree char *change = dg_test_new_check (id, i);

      g_string_append_printf (body, "%s%s", i > 0 ? "," : "", change);
      g_ptr_array_add (batch->ids, g_strdup (id));
    }
  g_string_append (body, "]}");
  batch->body = g_string_free (g_steal_pointer (&body), FALSE);

  return batch;
}

/* How many of the batch's changes the store holds; each must have exactly one revision. */
static guint
count_stored (DgTestServer *ts,
              Batch        *batch)
{
  guint n = 0;

  for (guint i = 0; i < batch->ids->len; i++)
    {
      gint64 revisions = dg_store_count_revisions (ts->store, g_ptr_array_index (batch->ids, i));

      g_assert_cmpint (revisions, <=, 1);
      n += (guint) revisions;
    }

  return n;
}

static guint
push (DgTestServer *ts,
      const char   *token,
      Batch        *batch)
{
  g_autoptr(JsonNode) response = NULL;
  guint status;

  status = dg_test_request (ts, "POST", "/api/v1/changes", token, batch->body, &response);
  if (status == 503)
    g_assert_cmpstr (dg_test_error_code (response), ==, "unavailable");
  else if (status == 200)
    {
      JsonArray *results = json_object_get_array_member (json_node_get_object (response),
                                                         "results");

      for (guint i = 0; i < json_array_get_length (results); i++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results,
                                                                                       i),
                                                        "status"), ==, "applied");
    }

  return status;
}

static void
check_file (DgTestServer *ts)
{
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (dg_store_verify (ts->store, &n, &error));
  g_assert_no_error (error);
  g_assert_true (dg_test_integrity_ok (ts->db_path));
}

static void
run_fault (DgFault fault)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(Batch) a = batch_new (3);
  g_autoptr(Batch) b = batch_new (3);
  g_autoptr(Batch) c = batch_new (3);
  g_autoptr(JsonNode) response = NULL;
  guint status;

  g_assert_cmpuint (push (ts, token, a), ==, 200);

  dg_fault_vfs_set (fault, 0);
  g_assert_cmpuint (push (ts, token, b), ==, 503);
  g_assert_cmpuint (dg_fault_vfs_get_n_failed (), >, 0);
  g_assert_cmpuint (count_stored (ts, b), ==, 0);

  /* A login stores a token: it cannot either, and says so the same way. */
  status = dg_test_request (ts, "POST", "/api/v1/login", NULL,
                            "{\"username\":\"inspector\",\"password\":\"inspector\"}", &response);
  g_assert_cmpuint (status, ==, 503);
  g_assert_cmpstr (dg_test_error_code (response), ==, "unavailable");
  g_clear_pointer (&response, json_node_unref);

  /* Reading needs no writes. */
  status = dg_test_request (ts, "GET", "/api/v1/changes?since=0", token, NULL, &response);
  g_assert_cmpuint (status, ==, 200);

  /* Space returns: the next batch goes through, and so does the refused one, retried. */
  dg_fault_vfs_set (DG_FAULT_NONE, 0);
  g_assert_cmpuint (push (ts, token, c), ==, 200);
  g_assert_cmpuint (push (ts, token, b), ==, 200);
  g_assert_cmpuint (count_stored (ts, a), ==, 3);
  g_assert_cmpuint (count_stored (ts, b), ==, 3);
  g_assert_cmpuint (count_stored (ts, c), ==, 3);

  check_file (ts);
}

static void
test_disk_full (void)
{
  run_fault (DG_FAULT_FULL);
}

static void
test_io_error (void)
{
  run_fault (DG_FAULT_IOERR);
}

/* The fault strikes after a random number of writes, so part of a transaction may already be
 * in the WAL: still all or nothing, and the next try succeeds. */
static void
test_fault_midway (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  guint n_refused = 0, n_accepted = 0;

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(Batch) batch = batch_new (g_random_int_range (1, 40));
      DgFault fault = round % 2 == 0 ? DG_FAULT_FULL : DG_FAULT_IOERR;
      guint status, stored;

      dg_fault_vfs_set (fault, g_random_int_range (0, 40));
      status = push (ts, token, batch);
      dg_fault_vfs_set (DG_FAULT_NONE, 0);

      stored = count_stored (ts, batch);
      if (status == 200)
        {
          n_accepted++;
          g_assert_cmpuint (stored, ==, batch->ids->len);
          continue;
        }

      g_assert_cmpuint (status, ==, 503);
      n_refused++;
      g_assert_cmpuint (stored, ==, 0);
      g_assert_cmpuint (push (ts, token, batch), ==, 200);
      g_assert_cmpuint (count_stored (ts, batch), ==, batch->ids->len);
    }

  g_test_message ("%u batches refused with 503 and then stored, %u stored at once", n_refused,
                  n_accepted);
  g_assert_cmpuint (n_refused, >, 0);

  check_file (ts);
  dg_test_server_restart (ts);
  check_file (ts);
}

int
main (int    argc,
      char **argv)
{
  dg_fault_vfs_install ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/fault/disk-full", test_disk_full);
  g_test_add_func ("/server/fault/io-error", test_io_error);
  g_test_add_func ("/server/fault/midway", test_fault_midway);

  return g_test_run ();
}
