/* bench-push.c: sync push throughput against its floor (issue 8, part 1).
 *
 *   bench-push --server PATH --reference FILE --workdir DIR [--points N] [--batch N]
 *              [--db postgresql://… --floor-db postgresql://…]
 *
 * Spawns a real `dustgrid-server serve` on a fresh database, logs in as an inspector and pushes
 * N points (checks of 6 points, BATCH checks per request) over loopback, one request at a time as
 * the client's sync does. In the same run it measures the floor: json-glib parsing the very same
 * request bodies plus one SQLite transaction per batch (WAL, synchronous=FULL) inserting their
 * points, with no HTTP and no validation. Prints points/s, p50/p99 batch latency, the server's
 * peak RSS and the ratio to the floor.
 *
 * With --db, the server serves that PostgreSQL database (new and empty) instead of a file, and
 * the floor is PostgreSQL's, in --floor-db: the same parsing, then per batch one transaction of
 * one INSERT of all its points as bound parameters (three round trips: BEGIN, the INSERT,
 * COMMIT), durable as the server's commits are (the cluster's fsync and synchronous_commit).
 *
 * With --clients N[,M…] (issue 19), then for each N: a fresh database and server, N clients at
 * once (a thread and a connection each) pushing the same checks one per request, while another
 * polls GET /healthz; printed against the one client's batches above, the ratio of their
 * points/s. On PostgreSQL each N serves a new database of --clients-db (a URI with "%u" for N).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#define POINTS_PER_CHECK 6

static const char *const surfaces[] = { "main", "main", "main", "main", "side", "side" };

static char *opt_server;
static char *opt_reference;
static char *opt_workdir;
static char *opt_db;
static char *opt_floor_db;
static int opt_points = 60000;
static int opt_batch = 500;
static char *opt_clients;
static char *opt_clients_db;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "dustgrid-server to run", "PATH" },
  { "reference", 0, 0, G_OPTION_ARG_FILENAME, &opt_reference, "Reference data (roads)", "FILE" },
  { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_workdir, "Scratch directory", "DIR" },
  { "points", 0, 0, G_OPTION_ARG_INT, &opt_points, "Points to push (60000)", "N" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "Checks per request (500)", "N" },
  { "db", 0, 0, G_OPTION_ARG_STRING, &opt_db, "A new PostgreSQL database to serve", "URI" },
  { "floor-db", 0, 0, G_OPTION_ARG_STRING, &opt_floor_db,
    "A new PostgreSQL database for the floor (with --db)", "URI" },
  { "clients", 0, 0, G_OPTION_ARG_STRING, &opt_clients,
    "Then push one check per request from N clients at once, for each N", "N[,M…]" },
  { "clients-db", 0, 0, G_OPTION_ARG_STRING, &opt_clients_db,
    "New PostgreSQL databases for --clients (with --db), %u for N", "URI" },
  { NULL }
};

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-push: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

/* ---- The workload ---- */

/* The road ids of the reference file. */
static GPtrArray *
load_road_ids (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *roads;

  if (!json_parser_load_from_file (parser, path, &error))
    die ("%s: %s", path, error->message);
  roads = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "roads");
  for (guint i = 0; i < json_array_get_length (roads); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (roads, i), "id")));
  if (ids->len == 0)
    die ("%s has no roads", path);

  return ids;
}

/* The request bodies, built once: both the push and the floor use exactly these bytes. */
static GPtrArray *
make_bodies (GPtrArray *road_ids,
             guint      n_checks,
             guint      batch)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GRand *rand = g_rand_new_with_seed (8);
  guint done = 0;

  while (done < n_checks)
    {
      GString *s = g_string_sized_new (batch * 900);
      guint n = MIN (batch, n_checks - done);

      g_string_append (s, "{\"changes\":[");
      for (guint i = 0; i < n; i++, done++)
        {
          guint day = done % 28 + 1;
          guint month = (done / 2000) % 12 + 1;

          if (i > 0)
            g_string_append_c (s, ',');
          g_string_append_printf (s,
                                  "{\"type\":\"road_check\",\"id\":\"%08x-%04x-4%03x-8%03x-%012x\","
                                  "\"base_rev\":0,\"data\":{\"road_id\":\"%s\","
                                  "\"date\":\"2025-%02u-%02u\",\"weather\":\"晴\","
                                  "\"started_at\":\"2025-%02u-%02uT09:00\",\"points\":[",
                                  g_rand_int (rand), done >> 16 & 0xffff, done & 0xfff,
                                  g_rand_int (rand) & 0xfff, done,
                                  (const char *) g_ptr_array_index (road_ids,
                                                                    done % road_ids->len),
                                  month, day, month, day);
          for (guint p = 0; p < POINTS_PER_CHECK; p++)
            g_string_append_printf (s,
                                    "%s{\"seq\":%u,\"surface\":\"%s\",\"location\":\"K%u+%03u 北侧\","
                                    "\"area_m2\":1.0,\"mass_g\":%.2f}",
                                    p > 0 ? "," : "", p + 1, surfaces[p], p, p * 150 + 50,
                                    g_rand_double_range (rand, 0.5, 6.0));
          g_string_append (s, "]}}");
        }
      g_string_append (s, "]}");
      g_ptr_array_add (bodies, g_string_free_to_bytes (s));
    }

  g_rand_free (rand);
  return bodies;
}

/* ---- The floor: parse + one transaction per batch, nothing else ---- */

typedef void (*PointFunc) (JsonObject *change,
                           JsonObject *data,
                           JsonObject *point,
                           gpointer    user_data);

/* Parses @body, as the server does, and calls @func on each point of each change in order;
 * returns how many points there were. */
static guint
for_each_point (GBytes    *body,
                PointFunc  func,
                gpointer   user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  JsonArray *changes;
  guint points = 0;

  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    die ("floor: the body does not parse");
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *d = json_object_get_object_member (change, "data");
      JsonArray *pts = json_object_get_array_member (d, "points");

      for (guint p = 0; p < json_array_get_length (pts); p++, points++)
        func (change, d, json_array_get_object_element (pts, p), user_data);
    }
  return points;
}

static void
insert_point_cb (JsonObject *change,
                 JsonObject *d,
                 JsonObject *pt,
                 gpointer    user_data)
{
  sqlite3_stmt *insert = user_data;
  sqlite3 *db = sqlite3_db_handle (insert);

  sqlite3_bind_text (insert, 1, json_object_get_string_member (change, "id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, json_object_get_string_member (d, "road_id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, json_object_get_string_member (d, "date"), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, json_object_get_int_member (pt, "seq"));
  sqlite3_bind_text (insert, 5, json_object_get_string_member (pt, "surface"), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, json_object_get_string_member (pt, "location"), -1,
                     SQLITE_STATIC);
  sqlite3_bind_double (insert, 7, json_object_get_double_member (pt, "area_m2"));
  sqlite3_bind_double (insert, 8, json_object_get_double_member (pt, "mass_g"));
  if (sqlite3_step (insert) != SQLITE_DONE)
    die ("floor: insert: %s", sqlite3_errmsg (db));
  sqlite3_reset (insert);
}

static void
sql_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    die ("floor: %s: %s", sql, message);
}

static double
measure_floor (GPtrArray  *bodies,
               const char *path,
               guint      *n_points)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 start;
  guint points = 0;

  g_unlink (path);
  if (sqlite3_open (path, &db) != SQLITE_OK)
    die ("floor: cannot open %s", path);
  sql_exec (db, "PRAGMA journal_mode = WAL");
  sql_exec (db, "PRAGMA synchronous = FULL");
  sql_exec (db, "CREATE TABLE points (check_id TEXT NOT NULL, road_id TEXT NOT NULL,"
                " date TEXT NOT NULL, seq INTEGER NOT NULL, surface TEXT NOT NULL,"
                " location TEXT, area_m2 REAL NOT NULL, mass_g REAL NOT NULL,"
                " PRIMARY KEY (check_id, seq))");
  if (sqlite3_prepare_v2 (db, "INSERT INTO points VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
                          &insert, NULL) != SQLITE_OK)
    die ("floor: prepare: %s", sqlite3_errmsg (db));

  start = g_get_monotonic_time ();
  for (guint b = 0; b < bodies->len; b++)
    {
      sql_exec (db, "BEGIN IMMEDIATE");
      points += for_each_point (g_ptr_array_index (bodies, b), insert_point_cb, insert);
      sql_exec (db, "COMMIT");
    }

  sqlite3_finalize (insert);
  sqlite3_close (db);
  *n_points = points;
  return (g_get_monotonic_time () - start) / 1e6;
}

/* PostgreSQL's floor: the same parsing, and each batch's points in one INSERT of bound
 * parameters, in a transaction of its own. */
static void
pg_exec (PGconn     *conn,
         const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    die ("floor: %s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
}

/* One batch's INSERT: its text and its parameters. */
typedef struct
{
  GPtrArray *values;
  GString   *sql;
} Insert;

static void
add_point_cb (JsonObject *change,
              JsonObject *d,
              JsonObject *pt,
              gpointer    user_data)
{
  Insert *insert = user_data;
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = insert->values->len;

  g_string_append_printf (insert->sql, "%s($%u, $%u, $%u, $%u, $%u, $%u, $%u, $%u)",
                          n > 0 ? ", " : "", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7,
                          n + 8);
  g_ptr_array_add (insert->values, g_strdup (json_object_get_string_member (change, "id")));
  g_ptr_array_add (insert->values, g_strdup (json_object_get_string_member (d, "road_id")));
  g_ptr_array_add (insert->values, g_strdup (json_object_get_string_member (d, "date")));
  g_ptr_array_add (insert->values, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (pt, "seq")));
  g_ptr_array_add (insert->values, g_strdup (json_object_get_string_member (pt, "surface")));
  g_ptr_array_add (insert->values, g_strdup (json_object_get_string_member (pt, "location")));
  g_ptr_array_add (insert->values, g_strdup (g_ascii_dtostr (number, sizeof number,
                                             json_object_get_double_member (pt, "area_m2"))));
  g_ptr_array_add (insert->values, g_strdup (g_ascii_dtostr (number, sizeof number,
                                             json_object_get_double_member (pt, "mass_g"))));
}

static double
measure_floor_pg (GPtrArray  *bodies,
                  const char *uri,
                  guint      *n_points)
{
  PGconn *conn = PQconnectdb (uri);
  gint64 start;
  guint points = 0;

  if (PQstatus (conn) != CONNECTION_OK)
    die ("floor: cannot connect to %s: %s", uri, PQerrorMessage (conn));
  pg_exec (conn, "CREATE TABLE points (check_id TEXT NOT NULL, road_id TEXT NOT NULL,"
                 " date TEXT NOT NULL, seq INTEGER NOT NULL, surface TEXT NOT NULL,"
                 " location TEXT, area_m2 DOUBLE PRECISION NOT NULL,"
                 " mass_g DOUBLE PRECISION NOT NULL, PRIMARY KEY (check_id, seq))");

  start = g_get_monotonic_time ();
  for (guint b = 0; b < bodies->len; b++)
    {
      Insert insert = { g_ptr_array_new_with_free_func (g_free),
                        g_string_new ("INSERT INTO points VALUES ") };
      PGresult *result;

      points += for_each_point (g_ptr_array_index (bodies, b), add_point_cb, &insert);
      pg_exec (conn, "BEGIN");
      result = PQexecParams (conn, insert.sql->str, (int) insert.values->len, NULL,
                             (const char *const *) insert.values->pdata, NULL, NULL, 0);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        die ("floor: insert: %s", PQerrorMessage (conn));
      PQclear (result);
      pg_exec (conn, "COMMIT");
      g_ptr_array_unref (insert.values);
      g_string_free (insert.sql, TRUE);
    }

  PQfinish (conn);
  *n_points = points;
  return (g_get_monotonic_time () - start) / 1e6;
}

/* ---- The server ---- */

static void
run_tool (const char *const *argv,
          const char        *input)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "DUSTGRID_PWHASH_MIN", "1", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error))
    die ("%s: %s", argv[1], error->message);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    die ("dustgrid-server %s failed", argv[1]);
}

static GSubprocess *
start_server (const char  *db,
              char       **url)
{
  const char *argv[] = { opt_server, "serve", "--db", db, "--listen", "127.0.0.1", "--port", "0",
                         NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL)
    die ("serve: %s", error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    die ("serve did not start: %s", error != NULL ? error->message : "no listening line");
  *url = g_strdup (line + strlen ("listening on "));

  return process;
}

static guint64
peak_rss_kib (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

/* User + system CPU seconds the process has used: steadier than wall time on a shared machine. */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static JsonNode *
request (SoupSession *session,
         const char  *method,
         const char  *url,
         const char  *token,
         GBytes      *body,
         guint       *status)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);

  reply = soup_session_send_and_read (session, message, NULL, &error);
  if (reply == NULL)
    die ("%s %s: %s", method, url, error->message);
  *status = soup_message_get_status (message);
  data = g_bytes_get_data (reply, &size);

  return json_from_string (size > 0 ? data : "null", NULL);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Fills @db (new and empty) with the reference data and the benchmark's inspector, serves it and
 * signs in: the server, its URL and the token. */
static GSubprocess *
serve_fresh (const char  *db,
             char       **url,
             char       **token)
{
  const char *import[] = { opt_server, "import", "--db", db, opt_reference, NULL };
  const char *user[] = { opt_server, "user", "add", "--db", db, "--username", "bench",
                         "--role", "inspector", NULL };
  const char *credentials = "{\"username\":\"bench\",\"password\":\"bench-password\"}";
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autoptr(GBytes) body = g_bytes_new_static (credentials, strlen (credentials));
  g_autoptr(JsonNode) login = NULL;
  g_autofree char *login_url = NULL;
  GSubprocess *server;
  guint status = 0;

  run_tool (import, NULL);
  run_tool (user, "bench-password\n");

  server = start_server (db, url);
  login_url = g_strconcat (*url, "/api/v1/login", NULL);
  login = request (session, "POST", login_url, NULL, body, &status);
  if (status != 200 || login == NULL || !JSON_NODE_HOLDS_OBJECT (login))
    die ("login answered %u", status);
  *token = g_strdup (json_object_get_string_member (json_node_get_object (login), "token"));

  return server;
}

/* ---- Many clients at once (issue 19) ---- */

typedef struct
{
  GPtrArray  *bodies;       /* one check each */
  const char *url;
  const char *token;
  gint        next;         /* the next body to send */
  gint        stop;         /* the pushes are done: /healthz stops */
  GMutex      lock;
  GArray     *latencies;    /* ms, of every push */
  GArray     *health;       /* ms, of every /healthz */
} Crowd;

static gpointer
crowd_client_thread (gpointer user_data)
{
  Crowd *crowd = user_data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autofree char *changes_url = g_strconcat (crowd->url, "/api/v1/changes", NULL);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  int i;

  while ((i = g_atomic_int_add (&crowd->next, 1)) < (int) crowd->bodies->len)
    {
      gint64 t0 = g_get_monotonic_time ();
      guint status = 0;
      g_autoptr(JsonNode) reply = request (session, "POST", changes_url, crowd->token,
                                           g_ptr_array_index (crowd->bodies, i), &status);
      double ms = (g_get_monotonic_time () - t0) / 1e3;
      JsonArray *results;
      const char *st;

      if (status != 200 || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
        die ("push %d answered %u", i, status);
      results = json_object_get_array_member (json_node_get_object (reply), "results");
      st = results != NULL && json_array_get_length (results) == 1
             ? json_object_get_string_member (json_array_get_object_element (results, 0),
                                              "status")
             : NULL;
      if (g_strcmp0 (st, "applied") != 0)
        die ("push %d: %s", i, st != NULL ? st : "no result");
      g_array_append_val (latencies, ms);
    }

  g_mutex_lock (&crowd->lock);
  g_array_append_vals (crowd->latencies, latencies->data, latencies->len);
  g_mutex_unlock (&crowd->lock);
  return NULL;
}

static gpointer
crowd_health_thread (gpointer user_data)
{
  Crowd *crowd = user_data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autofree char *health_url = g_strconcat (crowd->url, "/healthz", NULL);

  while (!g_atomic_int_get (&crowd->stop))
    {
      gint64 t0 = g_get_monotonic_time ();
      guint status = 0;
      g_autoptr(JsonNode) reply = request (session, "GET", health_url, NULL, NULL, &status);
      double ms = (g_get_monotonic_time () - t0) / 1e3;

      if (status != 200)
        die ("/healthz answered %u", status);
      g_array_append_val (crowd->health, ms);
      g_usleep (10000);
    }
  return NULL;
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return values->len > 0 ? g_array_index (values, double, MIN (values->len - 1,
                                                               (guint) (values->len * p)))
                         : 0;
}

/* @n_clients at once push @bodies, one check each, to a fresh server; returns points/s. */
static double
measure_crowd (GPtrArray  *bodies,
               guint       n_clients,
               const char *db)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *pid = NULL;
  GThread *health;
  Crowd crowd = { bodies, NULL, NULL, 0, 0 };
  double seconds, cpu, rate;
  gint64 start;

  server = serve_fresh (db, &url, &token);
  pid = g_strdup (g_subprocess_get_identifier (server));
  crowd.url = url;
  crowd.token = token;
  g_mutex_init (&crowd.lock);
  crowd.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  crowd.health = g_array_new (FALSE, FALSE, sizeof (double));

  cpu = cpu_seconds (pid);
  start = g_get_monotonic_time ();
  health = g_thread_new ("healthz", crowd_health_thread, &crowd);
  for (guint i = 0; i < n_clients; i++)
    g_ptr_array_add (threads, g_thread_new ("client", crowd_client_thread, &crowd));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_atomic_int_set (&crowd.stop, 1);
  g_thread_join (health);
  cpu = cpu_seconds (pid) - cpu;

  rate = bodies->len * POINTS_PER_CHECK / seconds;
  printf ("clients: %u at once, 1 check per request: %u points in %.2f s = %.0f points/s\n",
          n_clients, bodies->len * POINTS_PER_CHECK, seconds, rate);
  printf ("clients: request latency p50 %.1f ms, p99 %.1f ms; /healthz p99 %.1f ms over %u "
          "(target < 100 ms); server peak RSS %.1f MiB, CPU %.2f s\n",
          percentile (crowd.latencies, 0.5), percentile (crowd.latencies, 0.99),
          percentile (crowd.health, 0.99), crowd.health->len, peak_rss_kib (pid) / 1024.0, cpu);

  g_subprocess_send_signal (server, SIGTERM);
  if (!g_subprocess_wait_check (server, NULL, &error))
    die ("serve did not stop cleanly: %s", error->message);
  g_array_unref (crowd.latencies);
  g_array_unref (crowd.health);
  g_mutex_clear (&crowd.lock);
  return rate;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- push throughput benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) road_ids = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *db = NULL;
  g_autofree char *floor_db = NULL;
  g_autofree char *url = NULL;
  g_autofree char *changes_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *pid = NULL;
  guint n_checks, floor_points = 0, pushed = 0, status = 0;
  double floor_s, push_s, floor_rate, push_rate;
  guint64 rss;
  gint64 start;
  double cpu;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (opt_server == NULL || opt_reference == NULL || opt_workdir == NULL)
    die ("--server, --reference and --workdir are required");
  if ((opt_db == NULL) != (opt_floor_db == NULL))
    die ("--db and --floor-db go together");
  if (opt_clients != NULL && opt_db != NULL && opt_clients_db == NULL)
    die ("--clients with --db needs --clients-db");
  if (opt_points < POINTS_PER_CHECK || opt_batch < 1 || opt_batch > 1000)
    die ("--points must be at least 6 and --batch 1 to 1000");

  n_checks = (guint) opt_points / POINTS_PER_CHECK;
  road_ids = load_road_ids (opt_reference);
  bodies = make_bodies (road_ids, n_checks, (guint) opt_batch);

  g_mkdir_with_parents (opt_workdir, 0755);
  db = opt_db != NULL ? g_strdup (opt_db) : g_build_filename (opt_workdir, "push.db", NULL);
  floor_db = g_build_filename (opt_workdir, "floor.db", NULL);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix = (const char *[]) { "", "-wal", "-shm" }[i];
      g_autofree char *path = g_strconcat (db, suffix, NULL);
      g_autofree char *floor_path = g_strconcat (floor_db, suffix, NULL);

      g_unlink (path);
      g_unlink (floor_path);
    }

  /* The floor first, on a quiet machine: the server is not running yet. */
  if (opt_floor_db != NULL)
    floor_s = measure_floor_pg (bodies, opt_floor_db, &floor_points);
  else
    floor_s = measure_floor (bodies, floor_db, &floor_points);
  floor_rate = floor_points / floor_s;

  server = serve_fresh (db, &url, &token);
  pid = g_strdup (g_subprocess_get_identifier (server));
  session = soup_session_new_with_options ("timeout", 120, NULL);
  changes_url = g_strconcat (url, "/api/v1/changes", NULL);

  cpu = cpu_seconds (pid);
  start = g_get_monotonic_time ();
  for (guint b = 0; b < bodies->len; b++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(JsonNode) reply = request (session, "POST", changes_url, token,
                                           g_ptr_array_index (bodies, b), &status);
      double ms = (g_get_monotonic_time () - t0) / 1e3;
      JsonArray *results;

      if (status != 200 || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
        die ("batch %u answered %u", b, status);
      results = json_object_get_array_member (json_node_get_object (reply), "results");
      for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
        {
          const char *st = json_object_get_string_member (json_array_get_object_element (results,
                                                                                        i),
                                                          "status");
          if (g_strcmp0 (st, "applied") != 0)
            die ("batch %u change %u: %s", b, i, st);
          pushed++;
        }
      g_array_append_val (latencies, ms);
    }
  push_s = (g_get_monotonic_time () - start) / 1e6;
  if (pushed != n_checks)
    die ("%u of %u checks applied", pushed, n_checks);
  push_rate = pushed * POINTS_PER_CHECK / push_s;

  rss = peak_rss_kib (pid);
  cpu = cpu_seconds (pid) - cpu;
  g_subprocess_send_signal (server, SIGTERM);
  if (!g_subprocess_wait_check (server, NULL, &error))
    die ("serve did not stop cleanly: %s", error->message);

  g_array_sort (latencies, compare_doubles);
  printf ("push:  %u points (%u checks, %u per batch) in %.2f s = %.0f points/s\n",
          pushed * POINTS_PER_CHECK, pushed, (guint) opt_batch, push_s, push_rate);
  printf ("push:  batch latency p50 %.1f ms, p99 %.1f ms; server peak RSS %.1f MiB\n",
          g_array_index (latencies, double, latencies->len / 2),
          g_array_index (latencies, double, MIN (latencies->len - 1,
                                                 (guint) (latencies->len * 0.99))),
          rss / 1024.0);
  printf ("push:  server CPU %.2f s (%.1f us per point)\n", cpu, cpu * 1e6 / (pushed * POINTS_PER_CHECK));
  printf ("floor: %u points parsed + inserted in %.2f s = %.0f points/s\n", floor_points,
          floor_s, floor_rate);
  printf ("push/floor: %.2f (target >= 0.5)\n", push_rate / floor_rate);
  fflush (stdout);

  if (opt_clients != NULL)
    {
      g_auto(GStrv) counts = g_strsplit (opt_clients, ",", 0);
      g_autoptr(GPtrArray) singles = make_bodies (road_ids, n_checks, 1);

      for (guint c = 0; counts[c] != NULL; c++)
        {
          guint n_clients = (guint) g_ascii_strtoull (counts[c], NULL, 10);
          g_autofree char *crowd_db = NULL;
          double rate;

          if (n_clients < 1 || n_clients > 1024)
            die ("--clients: %s is not a number of clients", counts[c]);
          if (opt_db != NULL)
            {
              crowd_db = g_strdup_printf (opt_clients_db, n_clients);
            }
          else
            {
              g_autofree char *name = g_strdup_printf ("clients-%u.db", n_clients);

              crowd_db = g_build_filename (opt_workdir, name, NULL);
              for (guint i = 0; i < 3; i++)
                {
                  g_autofree char *path = g_strconcat (crowd_db, (const char *[]) {
                                                         "", "-wal", "-shm" }[i], NULL);

                  g_unlink (path);
                }
            }
          rate = measure_crowd (singles, n_clients, crowd_db);
          printf ("clients/batch: %.2f (%u clients x 1 check/request vs 1 client x %d-check "
                  "batches; target >= 0.5)\n", rate / push_rate, n_clients, opt_batch);
          fflush (stdout);
        }
    }

  return 0;
}
