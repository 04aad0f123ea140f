/* test-server-pg.c: the server on PostgreSQL (design 6.5), as the real dustgrid-server binary:
 * a SQLite district migrated gives the same assessments, and every table row for row, there and
 * back; two server processes on one database,
 * four writers and a puller following `since`, and the puller sees every change once; a server
 * killed mid-batch and the database server restarted lose and double nothing acknowledged. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "dg-test-pg.h"
#include "dg-test-image.h"
#include "dg-test-server.h"

#define SKIP_WITHOUT_PG()                                                \
  G_STMT_START {                                                         \
    g_autofree char *why_not_ = NULL;                                    \
    if (dg_test_pg_cluster (&why_not_) == NULL)                          \
      {                                                                  \
        if (!dg_test_pg_optional ())                                     \
          g_error ("PostgreSQL cannot run for the tests: %s", why_not_); \
        g_test_skip (why_not_);                                          \
        return;                                                          \
      }                                                                  \
  } G_STMT_END

/* An export's text without the moment it was made (generated_at), which is all two exports of
 * the same data may differ in. */
static char *
read_export (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) stamp = g_regex_new ("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z", 0, 0, NULL);
  g_autofree char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return g_regex_replace_literal (stamp, contents, -1, 0, "TIME", 0, NULL);
}

/* ---- migrate ---- */

static void
test_migrate_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  SKIP_WITHOUT_PG ();

  dir = g_dir_make_tmp ("dustgrid-pg-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "demo.db", NULL);
  uri = dg_test_pg_new_database ("migrate");

  g_assert_cmpint (dg_test_run_binary ("demo", "--db", file, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("migrate", "--from", file, "--to", uri, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", uri, NULL), ==, 0);
  /* A second migrate into the same database is refused: it is not new. */
  g_assert_cmpint (dg_test_run_binary ("migrate", "--from", file, "--to", uri, NULL), !=, 0);

  /* The demo's months: this one and the twelve before it, every format the figures go in. */
  for (int m = 0; m <= 12; m++)
    {
      static const char *const formats[] = { "json", "csv" };
      g_autoptr(GDateTime) when = g_date_time_add_months (now, -m);
      g_autofree char *month = g_date_time_format (when, "%Y-%m");

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", month, formats[f]);
          g_autofree char *a = g_build_filename (dir, "a", NULL);
          g_autofree char *b = g_build_filename (dir, "b", NULL);
          g_autofree char *text_a = NULL;
          g_autofree char *text_b = NULL;

          g_assert_cmpint (dg_test_run_binary ("export", "--db", file, "--month", month,
                                               "--format", formats[f], "--output", a, NULL), ==, 0);
          g_assert_cmpint (dg_test_run_binary ("export", "--db", uri, "--month", month,
                                               "--format", formats[f], "--output", b, NULL), ==, 0);
          text_a = read_export (a);
          text_b = read_export (b);
          g_test_message ("%s: %zu bytes", name, strlen (text_a));
          /* Not g_assert_cmpstr: a whole assessment in the log says less than where it differs. */
          if (strcmp (text_a, text_b) != 0)
            {
              gsize at = 0;

              while (text_a[at] == text_b[at])
                at++;
              g_error ("%s differs at byte %zu: SQLite \"%.60s\", PostgreSQL \"%.60s\"", name,
                       at, text_a + at, text_b + at);
            }
          g_unlink (a);
          g_unlink (b);
        }
    }

  /* And back: the PostgreSQL database backs up into a SQLite file that verifies. */
  {
    g_autofree char *back = g_build_filename (dir, "back.db", NULL);

    g_assert_cmpint (dg_test_run_binary ("backup", "--db", uri, "--output", back, NULL), ==, 0);
    g_assert_cmpint (dg_test_run_binary ("verify", "--db", back, NULL), ==, 0);
    g_unlink (back);
  }

  g_unlink (file);
  {
    g_autofree char *wal = g_strconcat (file, "-wal", NULL);
    g_autofree char *shm = g_strconcat (file, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* ---- Several server processes ---- */

#define N_WRITERS 4
#define N_BATCHES 25
#define BATCH     8

typedef struct
{
  const char *urls[2];
  char       *tokens[2];
  GMutex      lock;
  GHashTable *applied;        /* ids acknowledged as applied */
  gint        writers_left;
  GHashTable *seen;           /* id -> times the puller saw it */
  gint64      last_seq;
  guint       out_of_order;
  gint64      write_us;
} Sync;

static char *
login (const char *url,
       const char *user)
{
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", user,
                                           user);

  g_assert_cmpuint (dg_test_http (session, url, "POST", "/api/v1/login", NULL, body, &response),
                    ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (response), "token"));
}

static gpointer
writer_thread (gpointer data)
{
  Sync *sync = data;
  g_autoptr(SoupSession) session = dg_test_session_new ();

  for (guint b = 0; b < N_BATCHES; b++)
    {
      g_autoptr(GString) body = g_string_new ("{\"changes\":[");
      g_autoptr(JsonNode) response = NULL;
      JsonArray *results;
      guint server = g_random_int_range (0, 2);
      gint64 start;

      for (guint i = 0; i < BATCH; i++)
        {
          char id[37];
          g_autofree char *change = dg_test_new_check (id, g_random_int ());

          g_string_append_printf (body, "%s%s", i > 0 ? "," : "", change);
        }
      g_string_append (body, "]}");

      start = g_get_monotonic_time ();
      g_assert_cmpuint (dg_test_http (session, sync->urls[server], "POST", "/api/v1/changes",
                                      sync->tokens[server], body->str, &response), ==, 200);
      results = json_object_get_array_member (json_node_get_object (response), "results");
      g_mutex_lock (&sync->lock);
      sync->write_us += g_get_monotonic_time () - start;
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
          g_hash_table_add (sync->applied, g_strdup (json_object_get_string_member (result, "id")));
        }
      g_mutex_unlock (&sync->lock);
    }

  g_atomic_int_dec_and_test (&sync->writers_left);
  return NULL;
}

/* Pulls from @since on one of the servers until `more` is false; returns the last `next`. */
static gint64
pull_all (Sync        *sync,
          SoupSession *session,
          guint        server,
          gint64       since)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(JsonNode) response = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=50", since);
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (dg_test_http (session, sync->urls[server], "GET", path,
                                      sync->tokens[server], NULL, &response), ==, 200);
      object = json_node_get_object (response);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *record = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (record, "id");
          gint64 seq = json_object_get_int_member (record, "seq");

          if (seq <= sync->last_seq)
            sync->out_of_order++;
          sync->last_seq = seq;
          if (g_str_equal (json_object_get_string_member (record, "type"), "road_check"))
            g_hash_table_insert (sync->seen, g_strdup (id),
                                 GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (sync->seen, id)) + 1));
        }
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
    }
  return since;
}

static void
test_two_servers_one_feed (void)
{
  g_autoptr(DgTestProcess) a = NULL;
  g_autoptr(DgTestProcess) b = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *uri = NULL;
  GThread *writers[N_WRITERS];
  Sync sync = { 0 };
  gint64 since = 0;
  GHashTableIter iter;
  gpointer key, value;

  SKIP_WITHOUT_PG ();

  uri = dg_test_pg_new_database ("feed");
  dg_test_make_db (uri, TRUE);
  a = dg_test_process_start (uri, TRUE, NULL);
  b = dg_test_process_start (uri, TRUE, NULL);
  sync.urls[0] = a->url;
  sync.urls[1] = b->url;
  sync.tokens[0] = login (a->url, "inspector");
  sync.tokens[1] = login (b->url, "inspector");
  g_mutex_init (&sync.lock);
  sync.applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sync.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  session = dg_test_session_new ();

  /* What is there before the writers start (the reference data) is pulled first. */
  since = pull_all (&sync, session, 0, 0);
  g_hash_table_remove_all (sync.seen);

  sync.writers_left = N_WRITERS;
  for (guint i = 0; i < N_WRITERS; i++)
    writers[i] = g_thread_new ("writer", writer_thread, &sync);
  /* The puller follows `since`, from either server in turn, while the writers write. */
  for (guint round = 0; g_atomic_int_get (&sync.writers_left) > 0; round++)
    since = pull_all (&sync, session, round % 2, since);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (writers[i]);
  since = pull_all (&sync, session, 0, since);
  since = pull_all (&sync, session, 1, since);

  g_test_message ("%u changes applied through two servers; %.2f ms a batch of %d on average",
                  g_hash_table_size (sync.applied),
                  sync.write_us / 1000.0 / (N_WRITERS * N_BATCHES), BATCH);
  g_assert_cmpuint (g_hash_table_size (sync.applied), ==, N_WRITERS * N_BATCHES * BATCH);
  g_assert_cmpuint (sync.out_of_order, ==, 0);
  /* Each applied change seen, and seen once; nothing seen that was not applied. */
  g_assert_cmpuint (g_hash_table_size (sync.seen), ==, g_hash_table_size (sync.applied));
  g_hash_table_iter_init (&iter, sync.seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_hash_table_contains (sync.applied, key));
      g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
    }

  g_assert_cmpint (dg_test_process_stop (a), ==, 0);
  g_assert_cmpint (dg_test_process_stop (b), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", uri, NULL), ==, 0);
  g_hash_table_unref (sync.applied);
  g_hash_table_unref (sync.seen);
  g_free (sync.tokens[0]);
  g_free (sync.tokens[1]);
  g_mutex_clear (&sync.lock);
}

/* ---- Faults ---- */

typedef struct
{
  const char *url;
  char       *token;
  GPtrArray  *bodies;         /* every batch sent */
  GHashTable *acked;          /* ids acknowledged */
  gboolean    stop;
} Pusher;

static gpointer
pusher_thread (gpointer data)
{
  Pusher *pusher = data;
  g_autoptr(SoupSession) session = dg_test_session_new ();

  while (!g_atomic_int_get (&pusher->stop))
    {
      g_autoptr(GString) body = g_string_new ("{\"changes\":[");
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) response = NULL;
      guint status;

      for (guint i = 0; i < 20; i++)
        {
          char id[37];
          g_autofree char *change = dg_test_new_check (id, g_random_int ());

          g_string_append_printf (body, "%s%s", i > 0 ? "," : "", change);
          g_ptr_array_add (ids, g_strdup (id));
        }
      g_string_append (body, "]}");
      g_ptr_array_add (pusher->bodies, g_strdup (body->str));

      status = dg_test_http (session, pusher->url, "POST", "/api/v1/changes", pusher->token,
                             body->str, &response);
      if (status != 200)
        break;      /* the server is gone */
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (pusher->acked, g_strdup (g_ptr_array_index (ids, i)));
    }
  return NULL;
}

static void
test_kill_mid_batch_restart_database (void)
{
  g_autoptr(DgTestProcess) server = NULL;
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *office = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Pusher pusher = { 0 };
  GThread *thread;
  gint64 since = 0;
  gboolean more = TRUE;
  GHashTableIter iter;
  gpointer key;

  SKIP_WITHOUT_PG ();

  uri = dg_test_pg_new_database ("fault");
  dg_test_make_db (uri, TRUE);
  server = dg_test_process_start (uri, TRUE, NULL);
  pusher.url = server->url;
  pusher.token = login (server->url, "inspector");
  pusher.bodies = g_ptr_array_new_with_free_func (g_free);
  pusher.acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  thread = g_thread_new ("pusher", pusher_thread, &pusher);
  /* Until a few batches are in, so that the kill falls on one under way. */
  while (g_hash_table_size (pusher.acked) < 100)
    g_usleep (2000);
  dg_test_process_kill (server);
  g_atomic_int_set (&pusher.stop, TRUE);
  g_thread_join (thread);
  g_clear_pointer (&server, dg_test_process_free);

  /* The database server crashes too, and comes back from its WAL. */
  dg_test_pg_crash_restart ();

  server = dg_test_process_start (uri, TRUE, NULL);
  g_free (pusher.token);
  pusher.token = login (server->url, "inspector");
  office = login (server->url, "office");

  /* Every batch sent again, as a client whose answer never came would: what was stored is
   * "unchanged", nothing is stored twice. */
  for (guint b = 0; b < pusher.bodies->len; b++)
    {
      g_autoptr(JsonNode) again = NULL;
      JsonArray *results;

      g_assert_cmpuint (dg_test_http (session, server->url, "POST", "/api/v1/changes",
                                      pusher.token, g_ptr_array_index (pusher.bodies, b), &again),
                        ==, 200);
      results = json_object_get_array_member (json_node_get_object (again), "results");
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);
          const char *status = json_object_get_string_member (result, "status");
          const char *id = json_object_get_string_member (result, "id");

          if (g_hash_table_contains (pusher.acked, id))
            g_assert_cmpstr (status, ==, "unchanged");
          else
            g_assert_true (g_str_equal (status, "applied") || g_str_equal (status, "unchanged"));
          g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 1);
        }
    }

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=500", since);
      JsonArray *changes;

      g_clear_pointer (&response, json_node_unref);
      g_assert_cmpuint (dg_test_http (session, server->url, "GET", path, office, NULL, &response),
                        ==, 200);
      changes = json_object_get_array_member (json_node_get_object (response), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *record = json_array_get_object_element (changes, i);

          if (g_str_equal (json_object_get_string_member (record, "type"), "road_check"))
            {
              g_assert_false (g_hash_table_contains (seen, json_object_get_string_member (record, "id")));
              g_hash_table_add (seen, g_strdup (json_object_get_string_member (record, "id")));
            }
        }
      since = json_object_get_int_member (json_node_get_object (response), "next");
      more = json_object_get_boolean_member (json_node_get_object (response), "more");
    }
  g_test_message ("%u acknowledged before the kill, %u stored in all", 
                  g_hash_table_size (pusher.acked), g_hash_table_size (seen));
  g_hash_table_iter_init (&iter, pusher.acked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (seen, key));
  g_assert_cmpuint (g_hash_table_size (seen), ==, pusher.bodies->len * 20);

  g_assert_cmpint (dg_test_process_stop (server), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", uri, NULL), ==, 0);
  g_ptr_array_unref (pusher.bodies);
  g_hash_table_unref (pusher.acked);
  g_free (pusher.token);
}

/* ---- Every table, row for row ---- */

/* Tables only one backend has: PostgreSQL's schema version and counter row (SQLite keeps its
 * version in PRAGMA user_version, and its one writer needs no counter). */
static const char *const pg_only_tables[] = { "dg_meta", NULL };

/* A row's values as one line, the same text on both backends: NULL as \N, a double at full
 * precision (SQLite's own text for a REAL rounds it to 15 digits). */
static void
append_value (GString    *row,
              const char *text,
              gboolean    is_double,
              double      value)
{
  if (row->len > 0)
    g_string_append_c (row, '\t');
  if (text == NULL)
    g_string_append (row, "\\N");
  else if (is_double)
    g_string_append_printf (row, "%.17g", value);
  else
    g_string_append (row, text);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
sqlite_strings (sqlite3    *db,
                const char *sql,
                int         column)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (s, column)));
  sqlite3_finalize (s);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static GPtrArray *
sqlite_tables (sqlite3 *db)
{
  return sqlite_strings (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                             " AND name NOT LIKE 'sqlite_%'", 0);
}

/* The column names of @table, sorted: the order both backends' rows are read in. */
static char *
sqlite_columns (sqlite3    *db,
                const char *table)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
  g_autoptr(GPtrArray) names = sqlite_strings (db, sql, 1);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (list, "%s\"%s\"", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (names, i));
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static GPtrArray *
sqlite_rows (sqlite3    *db,
             const char *table,
             const char *columns)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\"", columns, table);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int c = 0; c < sqlite3_column_count (s); c++)
        append_value (row, (const char *) sqlite3_column_text (s, c),
                      sqlite3_column_type (s, c) == SQLITE_FLOAT, sqlite3_column_double (s, c));
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  sqlite3_finalize (s);
  g_ptr_array_sort (rows, compare_strings);
  return rows;
}

static PGresult *
pg_query (PGconn     *conn,
          const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  return result;
}

static GPtrArray *
pg_tables (PGconn *conn)
{
  PGresult *result = pg_query (conn, "SELECT tablename FROM pg_tables"
                                     " WHERE schemaname = current_schema ()");
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (int r = 0; r < PQntuples (result); r++)
    if (!g_strv_contains (pg_only_tables, PQgetvalue (result, r, 0)))
      g_ptr_array_add (names, g_strdup (PQgetvalue (result, r, 0)));
  PQclear (result);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

#define FLOAT8OID 701

static GPtrArray *
pg_rows (PGconn     *conn,
         const char *table,
         const char *columns)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\"", columns, table);
  PGresult *result = pg_query (conn, sql);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  for (int r = 0; r < PQntuples (result); r++)
    {
      GString *row = g_string_new (NULL);

      for (int c = 0; c < PQnfields (result); c++)
        {
          const char *text = PQgetisnull (result, r, c) ? NULL : PQgetvalue (result, r, c);

          append_value (row, text, PQftype (result, c) == FLOAT8OID,
                        text != NULL ? g_ascii_strtod (text, NULL) : 0);
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  PQclear (result);
  g_ptr_array_sort (rows, compare_strings);
  return rows;
}

static void
assert_same_strings (const char *what,
                     GPtrArray  *a,
                     GPtrArray  *b)
{
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      g_error ("%s differ at %u: \"%.200s\" and \"%.200s\"", what, i,
               (char *) g_ptr_array_index (a, i), (char *) g_ptr_array_index (b, i));
  g_assert_cmpuint (a->len, ==, b->len);
}

/* A district with a row in every table: the demo, a month closed and one closed and opened
 * again, a token live and one revoked, a photo with an EXIF time and one without. */
static void
fill_every_table (const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;

  g_assert_cmpint (dg_test_run_binary ("demo", "--db", file, NULL), ==, 0);
  store = dg_store_open (file, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_set_month_closed (store, "2024-01", TRUE, "admin", &error));
  g_assert_true (dg_store_set_month_closed (store, "2024-02", TRUE, "admin", &error));
  g_assert_true (dg_store_set_month_closed (store, "2024-02", FALSE, "office", &error));
  g_assert_true (dg_store_add_token (store, "live-token-hash", "inspector",
                                     g_get_real_time () / G_USEC_PER_SEC + 3600, &error));
  g_assert_true (dg_store_add_token (store, "revoked-token-hash", "office",
                                     g_get_real_time () / G_USEC_PER_SEC + 3600, &error));
  g_assert_true (dg_store_revoke_token (store, "revoked-token-hash", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) photo = i == 0 ? dg_test_png (12, 9, 1)
                                       : dg_test_jpeg (16, 12, 2, "2024:01:05 08:30:00",
                                                       22.54, 114.05);
      g_auto(DgImageInfo) info = { 0 };

      g_assert_true (dg_image_inspect (g_bytes_get_data (photo, NULL), g_bytes_get_size (photo),
                                       i == 0 ? "image/png" : "image/jpeg", &info, &error));
      g_assert_true (dg_store_put_attachment (store, &info, photo, "inspector", NULL, &error));
      g_assert_no_error (error);

      /* A check of the open month names the first (record_photos), which the copy makes
       * afresh from it. */
      if (i == 0)
        {
          g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *text = g_strdup_printf (
            "[{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":0,\"data\":{"
            "\"road_id\":\"" DG_TEST_ROAD_ID "\",\"date\":\"2024-02-05\",\"points\":["
            "{\"seq\":1,\"surface\":\"main\",\"mass_g\":1.5,\"photos\":[\"%s\"]}]}}]",
            id, hash);
          g_autoptr(JsonNode) node = json_from_string (text, NULL);
          g_autoptr(GPtrArray) results = NULL;

          results = dg_store_apply_changes (store, "inspector", DG_ROLE_INSPECTOR,
                                            json_node_get_array (node), &error);
          g_assert_no_error (error);
          g_assert_cmpint (((DgResult *) g_ptr_array_index (results, 0))->status, ==,
                           DG_RESULT_APPLIED);
        }
    }
  dg_store_close (store);
}

/* migrate carries every table the store has, row for row, and backup brings them back: the
 * tables are read from each database's own catalogue, so a table added later and left out of
 * the copy fails here, and each must hold rows in the source (fill_every_table() is where a new
 * table gets them), so that an empty one cannot pass by having nothing to lose. */
static void
test_migrate_every_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *back = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) tables_pg = NULL;
  g_autoptr(GPtrArray) tables_back = NULL;
  sqlite3 *source = NULL, *copy = NULL;
  PGconn *conn;

  SKIP_WITHOUT_PG ();

  dir = g_dir_make_tmp ("dustgrid-pg-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "district.db", NULL);
  back = g_build_filename (dir, "back.db", NULL);
  uri = dg_test_pg_new_database ("every_table");

  fill_every_table (file);
  g_assert_cmpint (dg_test_run_binary ("migrate", "--from", file, "--to", uri, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", uri, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("backup", "--db", uri, "--output", back, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", back, NULL), ==, 0);

  g_assert_cmpint (sqlite3_open_v2 (file, &source, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_open_v2 (back, &copy, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  tables = sqlite_tables (source);
  tables_pg = pg_tables (conn);
  tables_back = sqlite_tables (copy);
  assert_same_strings ("the tables of SQLite and PostgreSQL", tables, tables_pg);
  assert_same_strings ("the tables of SQLite and its copy back", tables, tables_back);

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autofree char *columns = sqlite_columns (source, table);
      g_autoptr(GPtrArray) rows = sqlite_rows (source, table, columns);
      g_autoptr(GPtrArray) rows_pg = pg_rows (conn, table, columns);
      g_autoptr(GPtrArray) rows_back = sqlite_rows (copy, table, columns);
      g_autofree char *to_pg = g_strdup_printf ("the rows of %s in SQLite and PostgreSQL", table);
      g_autofree char *to_back = g_strdup_printf ("the rows of %s in SQLite and back", table);

      g_test_message ("%s: %u rows, the same in PostgreSQL and back", table, rows->len);
      g_assert_cmpuint (rows->len, >, 0);
      assert_same_strings (to_pg, rows, rows_pg);
      assert_same_strings (to_back, rows, rows_back);
    }

  PQfinish (conn);
  sqlite3_close (source);
  sqlite3_close (copy);
  /* The photos' files, which the copy back to SQLite wrote beside back.db. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *folder = dg_store_attachments_dir (i == 0 ? file : back);
      g_autoptr(GDir) listing = g_dir_open (folder, 0, NULL);
      const char *name;
      guint n = 0;

      while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);

          n++;
          g_unlink (path);
        }
      g_assert_cmpuint (n, ==, 2);
      g_rmdir (folder);
    }
  {
    const char *names[] = { "district.db", "district.db-wal", "district.db-shm", "back.db",
                            "back.db-wal", "back.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);

        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg/migrate/demo-district-exports-identical", test_migrate_demo);
  g_test_add_func ("/pg/migrate/every-table-row-for-row-and-back", test_migrate_every_table);
  g_test_add_func ("/pg/sync/two-servers-four-writers-puller-sees-each-once",
                   test_two_servers_one_feed);
  g_test_add_func ("/pg/fault/kill-mid-batch-restart-database-loses-nothing",
                   test_kill_mid_batch_restart_database);

  return g_test_run ();
}
