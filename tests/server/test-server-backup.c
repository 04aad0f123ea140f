/* test-server-backup.c: the backup drill. While a client pushes without pause, `dustgrid-server
 * backup` copies the live database; the copy must pass verify and integrity_check, hold every
 * change acknowledged before the backup began, and serve as a restored server's database.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dg-test-server.h"

#define N_BACKUPS 3

typedef struct
{
  const char *url;
  gint        stop;
  GMutex      lock;
  GPtrArray  *acked;      /* ids, in the order their batch was acknowledged */
  guint       n_batches;
} Pusher;

static gpointer
pusher_thread (gpointer data)
{
  Pusher *pusher = data;
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(JsonNode) login = NULL;
  const char *token;

  g_assert_cmpuint (dg_test_http (session, pusher->url, "POST", "/api/v1/login", NULL,
                                  "{\"username\":\"inspector\",\"password\":\"inspector\"}",
                                  &login), ==, 200);
  token = json_object_get_string_member (json_node_get_object (login), "token");

  while (!g_atomic_int_get (&pusher->stop))
    {
      g_autoptr(GString) body = g_string_new ("{\"changes\":[");
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) response = NULL;

      for (guint i = 0; i < 5; i++)
        {
          char id[37];
          g_autofree char *change = dg_test_new_check (id, i);

          g_string_append_printf (body, "%s%s", i > 0 ? "," : "", change);
          g_ptr_array_add (ids, g_strdup (id));
        }
      g_string_append (body, "]}");

      g_assert_cmpuint (dg_test_http (session, pusher->url, "POST", "/api/v1/changes", token,
                                       body->str, &response), ==, 200);

      g_mutex_lock (&pusher->lock);
      for (guint i = 0; i < ids->len; i++)
        g_ptr_array_add (pusher->acked, g_strdup (g_ptr_array_index (ids, i)));
      pusher->n_batches++;
      g_mutex_unlock (&pusher->lock);
    }

  return NULL;
}

static guint
n_acked (Pusher *pusher)
{
  guint n;

  g_mutex_lock (&pusher->lock);
  n = pusher->acked->len;
  g_mutex_unlock (&pusher->lock);

  return n;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

/* Serves @db and pulls everything as the office: the ids it holds. */
static GHashTable *
restore_and_pull (const char *db)
{
  g_autoptr(DgTestProcess) server = dg_test_process_start (db, TRUE, NULL);
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(JsonNode) login = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;
  gboolean more = TRUE;
  const char *token;

  g_assert_cmpuint (dg_test_http (session, server->url, "POST", "/api/v1/login", NULL,
                                  "{\"username\":\"office\",\"password\":\"office\"}", &login),
                    ==, 200);
  token = json_object_get_string_member (json_node_get_object (login), "token");

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(JsonNode) response = NULL;
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (dg_test_http (session, server->url, "GET", path, token, NULL, &response),
                        ==, 200);
      object = json_node_get_object (response);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_hash_table_add (ids, g_strdup (json_object_get_string_member (
                                           json_array_get_object_element (changes, i), "id")));
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
    }

  g_assert_cmpint (dg_test_process_stop (server), ==, 0);
  return ids;
}

static void
test_backup_under_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dustgrid-backup-XXXXXX", &error);
  g_autofree char *db = NULL;
  g_autoptr(DgTestProcess) server = NULL;
  Pusher pusher = { 0 };
  GThread *thread;
  guint before[N_BACKUPS], after[N_BACKUPS];
  char *backups[N_BACKUPS];

  g_assert_no_error (error);
  db = dg_test_db_location (dir, "live.db");
  dg_test_make_db (db, TRUE);
  server = dg_test_process_start (db, TRUE, NULL);

  g_mutex_init (&pusher.lock);
  pusher.url = server->url;
  pusher.acked = g_ptr_array_new_with_free_func (g_free);
  thread = g_thread_new ("pusher", pusher_thread, &pusher);

  for (guint b = 0; b < N_BACKUPS; b++)
    {
      gint64 give_up;

      /* Half a second of pushes, and then until one more has been acknowledged since the last
       * backup: the first pushes on a slow machine (or under AddressSanitizer) take longer. */
      g_usleep (G_USEC_PER_SEC / 2);
      give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      while (n_acked (&pusher) <= (b > 0 ? after[b - 1] : 0) &&
             g_get_monotonic_time () < give_up)
        g_usleep (G_USEC_PER_SEC / 20);
      backups[b] = g_strdup_printf ("%s/backup-%u.db", dir, b);

      /* Everything acknowledged so far must be in the copy; what comes later may be. */
      before[b] = n_acked (&pusher);
      g_assert_cmpint (dg_test_run_binary ("backup", "--db", db, "--output", backups[b], NULL),
                       ==, 0);
      after[b] = n_acked (&pusher);
    }

  g_usleep (G_USEC_PER_SEC / 5);
  g_atomic_int_set (&pusher.stop, 1);
  g_thread_join (thread);
  g_assert_cmpint (dg_test_process_stop (server), ==, 0);

  for (guint b = 0; b < N_BACKUPS; b++)
    {
      g_autoptr(GHashTable) restored = NULL;
      guint n_later = 0;

      g_assert_true (dg_test_integrity_ok (backups[b]));
      g_assert_cmpint (dg_test_run_binary ("verify", "--db", backups[b], NULL), ==, 0);

      restored = restore_and_pull (backups[b]);
      for (guint i = 0; i < before[b]; i++)
        g_assert_true (g_hash_table_contains (restored, g_ptr_array_index (pusher.acked, i)));
      for (guint i = before[b]; i < pusher.acked->len; i++)
        n_later += g_hash_table_contains (restored, g_ptr_array_index (pusher.acked, i));

      g_test_message ("backup %u: %u changes acknowledged before it began, all in it; %u more "
                      "acknowledged while it ran, %u later changes in it; verify and "
                      "integrity_check ok", b, before[b], after[b] - before[b], n_later);
      g_assert_cmpuint (before[b], >, 0);
      g_free (backups[b]);
    }

  g_test_message ("%u batches pushed in all", pusher.n_batches);
  g_ptr_array_unref (pusher.acked);
  g_mutex_clear (&pusher.lock);
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  g_test_add_func ("/server/backup/under-load", test_backup_under_load);

  return g_test_run ();
}
