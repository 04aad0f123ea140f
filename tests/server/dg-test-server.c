/* dg-test-server.c: an in-process dustgrid server on loopback, for the server tests. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dg-demo.h"
#include "dg-test-pg.h"
#include "dg-test-server.h"

static const char *const test_users[][2] = {
  { "inspector", "inspector" },
  { "inspector2", "inspector" },
  { "office", "office" },
  { "admin", "admin" },
  { "unit", "unit" },
};

/* ---- The backend ---- */

gboolean
dg_test_backend_is_postgresql (void)
{
  const char *backend = g_getenv ("DUSTGRID_TEST_BACKEND");

  if (backend == NULL || *backend == '\0' || g_str_equal (backend, "sqlite"))
    return FALSE;
  /* A misspelt name must not quietly run the suite on SQLite a second time. */
  if (!g_str_equal (backend, "postgresql"))
    g_error ("DUSTGRID_TEST_BACKEND=%s: the backends are sqlite and postgresql", backend);
  return TRUE;
}

void
dg_test_backend_init (void)
{
  g_autofree char *why_not = NULL;

  if (!dg_test_backend_is_postgresql () || dg_test_pg_cluster (&why_not) != NULL)
    return;
  if (!dg_test_pg_optional ())
    g_error ("PostgreSQL cannot run for the tests: %s", why_not);
  /* Before g_test_run() has printed a plan: a plan of none, skipped, is the whole TAP stream. */
  g_strdelimit (why_not, "\n", ' ');
  g_print ("1..0 # SKIP no PostgreSQL here (DUSTGRID_TEST_PG=0): %s\n", why_not);
  exit (0);
}

char *
dg_test_db_location (const char *dir,
                     const char *name)
{
  if (dg_test_backend_is_postgresql ())
    return dg_test_pg_new_database (name);
  return g_build_filename (dir, name, NULL);
}

gboolean
dg_test_skip_on_postgresql (const char *reason)
{
  g_autofree char *message = NULL;

  if (!dg_test_backend_is_postgresql ())
    return FALSE;
  message = g_strdup_printf ("SQLite only: %s", reason);
  g_test_skip (message);
  return TRUE;
}

/* ---- The server in-process ---- */

static gpointer
server_thread_func (gpointer data)
{
  DgTestServer *ts = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (ts->context);

  ts->server = dg_server_new (ts->store, ts->auth);
  dg_server_set_log_requests (ts->server, g_getenv ("DUSTGRID_TEST_LOG") != NULL);
  dg_server_listen (ts->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  g_mutex_lock (&ts->lock);
  ts->port = dg_server_get_port (ts->server);
  ts->ready = TRUE;
  g_cond_signal (&ts->cond);
  g_mutex_unlock (&ts->lock);

  g_main_loop_run (ts->loop);

  /* Let requests still running in worker threads come back before the server goes. */
  while (dg_server_get_n_in_flight (ts->server) > 0)
    g_main_context_iteration (ts->context, TRUE);

  dg_server_disconnect (ts->server);
  g_clear_object (&ts->server);
  while (g_main_context_iteration (ts->context, FALSE))
    ;

  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

static void
start_serving (DgTestServer *ts)
{
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->ready = FALSE;
  ts->thread = g_thread_new ("dg-test-server", server_thread_func, ts);

  g_mutex_lock (&ts->lock);
  while (!ts->ready)
    g_cond_wait (&ts->cond, &ts->lock);
  g_mutex_unlock (&ts->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
stop_serving (DgTestServer *ts)
{
  g_main_context_invoke (ts->context, quit_cb, ts->loop);
  g_thread_join (g_steal_pointer (&ts->thread));
  g_clear_pointer (&ts->loop, g_main_loop_unref);
  g_clear_pointer (&ts->context, g_main_context_unref);
}

static void
open_store (DgTestServer *ts)
{
  g_autoptr(GError) error = NULL;

  ts->store = dg_store_open (ts->db_path, &error);
  g_assert_no_error (error);
  ts->auth = dg_auth_new (ts->store);
  dg_auth_restore_failures (ts->auth, &error);
  g_assert_no_error (error);
}

DgTestServer *
dg_test_server_new (void)
{
  DgTestServer *ts = g_new0 (DgTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;

  g_mutex_init (&ts->lock);
  g_cond_init (&ts->cond);

  ts->dir = g_dir_make_tmp ("dustgrid-server-XXXXXX", &error);
  g_assert_no_error (error);
  ts->db_path = dg_test_db_location (ts->dir, "test.db");
  open_store (ts);

  reference = dg_demo_find_reference_file ();
  g_assert_nonnull (reference);
  g_file_get_contents (reference, &contents, &length, &error);
  g_assert_no_error (error);
  root = dg_json_parse (contents, length, &error);
  g_assert_no_error (error);
  dg_store_import_reference (ts->store, root, "admin", NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (test_users); i++)
    {
      g_autofree char *hash = dg_auth_hash_password (ts->auth, test_users[i][0], &error);
      DgRole role;

      g_assert_no_error (error);
      g_assert_true (dg_role_from_string (test_users[i][1], &role));
      dg_store_put_user (ts->store, test_users[i][0], role, hash, &error);
      g_assert_no_error (error);
    }

  ts->session = soup_session_new ();
  start_serving (ts);

  return ts;
}

void
dg_test_server_restart (DgTestServer *ts)
{
  stop_serving (ts);
  g_clear_object (&ts->auth);
  dg_store_close (ts->store);
  g_clear_object (&ts->store);

  open_store (ts);
  start_serving (ts);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
dg_test_server_free (DgTestServer *ts)
{
  stop_serving (ts);
  g_clear_object (&ts->session);
  g_clear_object (&ts->auth);
  if (ts->store != NULL)
    dg_store_close (ts->store);
  g_clear_object (&ts->store);

  remove_dir (ts->dir);
  g_free (ts->dir);
  g_free (ts->db_path);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->cond);
  g_free (ts);
}

guint
dg_test_request_raw (DgTestServer *ts,
                     const char   *method,
                     const char   *path,
                     const char   *token,
                     const char   *body,
                     gsize         length,
                     JsonNode    **response)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", ts->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, length);

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);

  if (response != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);

      *response = NULL;
      if (size > 0)
        {
          /* The body is not NUL-terminated: parse it by length. */
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, data, (gssize) size, NULL))
            *response = json_parser_steal_root (parser);
          /* Text is worth a line of the log; bytes (a photo) would break its TAP lines. */
          else if (g_utf8_validate_len (data, MIN (size, 300), NULL))
            g_test_message ("unparsable response: %.*s", (int) MIN (size, 300), data);
          else
            g_test_message ("unparsable response: %" G_GSIZE_FORMAT " bytes, not text", size);
        }
    }

  return soup_message_get_status (msg);
}

guint
dg_test_request (DgTestServer *ts,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *body,
                 JsonNode    **response)
{
  return dg_test_request_raw (ts, method, path, token, body, body != NULL ? strlen (body) : 0,
                              response);
}

char *
dg_test_login (DgTestServer *ts,
               const char   *username)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) response = NULL;
  guint status;

  body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, username);
  status = dg_test_request (ts, "POST", "/api/v1/login", NULL, body, &response);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (response);

  return g_strdup (json_object_get_string_member (json_node_get_object (response), "token"));
}

const char *
dg_test_error_code (JsonNode *response)
{
  JsonObject *object;

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    return NULL;
  object = json_node_get_object (response);
  if (!json_object_has_member (object, "error"))
    return NULL;

  return json_object_get_string_member (json_object_get_object_member (object, "error"), "code");
}

/* ---- The real binary ---- */

const char *
dg_test_server_binary (void)
{
  const char *path = g_getenv ("DUSTGRID_SERVER");

  return path != NULL ? path : DUSTGRID_SERVER_PATH;
}

void
dg_test_make_db (const char *db_path,
                 gboolean    min_hash)
{
  static const char *const users[][2] = {
    { "inspector", "inspector" },
    { "office", "office" },
    { "admin", "admin" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  g_autofree char *reference = dg_demo_find_reference_file ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("DUSTGRID_PWHASH_MIN"));
  gsize length;

  /* DgAuth reads the cost from the environment when it is made; the test is single-threaded
   * here. */
  if (min_hash)
    g_setenv ("DUSTGRID_PWHASH_MIN", "1", TRUE);
  else
    g_unsetenv ("DUSTGRID_PWHASH_MIN");
  store = dg_store_open (db_path, &error);
  g_assert_no_error (error);
  auth = dg_auth_new (store);

  g_assert_nonnull (reference);
  g_file_get_contents (reference, &contents, &length, &error);
  g_assert_no_error (error);
  root = dg_json_parse (contents, length, &error);
  g_assert_no_error (error);
  dg_store_import_reference (store, root, "admin", NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *hash = dg_auth_hash_password (auth, users[i][0], &error);
      DgRole role;

      g_assert_no_error (error);
      g_assert_true (dg_role_from_string (users[i][1], &role));
      dg_store_put_user (store, users[i][0], role, hash, &error);
      g_assert_no_error (error);
    }
  if (saved != NULL)
    g_setenv ("DUSTGRID_PWHASH_MIN", saved, TRUE);
  else
    g_unsetenv ("DUSTGRID_PWHASH_MIN");

  dg_store_close (store);
}

/* In the child: a test that fails an assertion and aborts takes its server with it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
binary_launcher (GSubprocessFlags flags,
                 gboolean         min_hash)
{
  GSubprocessLauncher *launcher;

  if (g_getenv ("DUSTGRID_TEST_LOG") == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (min_hash)
    g_subprocess_launcher_setenv (launcher, "DUSTGRID_PWHASH_MIN", "1", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "DUSTGRID_PWHASH_MIN");

  return launcher;
}

DgTestProcess *
dg_test_process_spawn (const char *const *argv,
                       gboolean           min_hash)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  DgTestProcess *tp = g_new0 (DgTestProcess, 1);
  const char *colon;

  launcher = binary_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE, min_hash);
  tp->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  tp->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (tp->process), NULL, 10);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (tp->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  tp->url = g_strdup (line + strlen ("listening on "));
  colon = strrchr (tp->url, ':');
  g_assert_nonnull (colon);
  tp->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);

  return tp;
}

DgTestProcess *
dg_test_process_start (const char        *db_path,
                       gboolean           min_hash,
                       const char *const *options)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) dg_test_server_binary ());
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db_path);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);
  g_ptr_array_add (argv, NULL);

  return dg_test_process_spawn ((const char *const *) argv->pdata, min_hash);
}

void
dg_test_process_kill (DgTestProcess *tp)
{
  g_autoptr(GError) error = NULL;

  if (tp->process == NULL)
    return;
  kill (tp->pid, SIGKILL);
  g_subprocess_wait (tp->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (tp->process));
  g_clear_object (&tp->process);
}

int
dg_test_process_stop (DgTestProcess *tp)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (tp->process);
  g_subprocess_send_signal (tp->process, SIGTERM);
  g_subprocess_wait (tp->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (tp->process));
  status = g_subprocess_get_exit_status (tp->process);
  g_clear_object (&tp->process);

  return status;
}

void
dg_test_process_free (DgTestProcess *tp)
{
  if (tp->process != NULL)
    dg_test_process_kill (tp);
  g_free (tp->url);
  g_free (tp);
}

GSocketConnection *
dg_test_connect_raw (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) port, NULL,
                                                &error);
  g_assert_no_error (error);
  return connection;
}

gboolean
dg_test_receive (GSocketConnection *connection,
                 double             seconds,
                 GString           *reply)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  char buffer[4096];

  while (g_get_monotonic_time () < deadline)
    {
      gssize n;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          deadline - g_get_monotonic_time (), NULL, NULL))
        return FALSE;
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        return TRUE;
      g_string_append_len (reply, buffer, n);
    }

  return FALSE;
}

gsize
dg_test_process_status_kib (DgTestProcess *tp,
                            const char    *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) tp->pid);
  g_autofree char *contents = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  line = strstr (contents, field);
  g_assert_nonnull (line);

  return (gsize) g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

int
dg_test_run_binary (const char *first_arg,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) dg_test_server_binary ());
  va_start (args, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s: %s%s", dg_test_server_binary (), first_arg, out, err);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

SoupSession *
dg_test_session_new (void)
{
  return soup_session_new_with_options ("timeout", 20, "proxy-resolver", NULL, NULL);
}

guint
dg_test_http (SoupSession  *session,
              const char   *url,
              const char   *method,
              const char   *path,
              const char   *token,
              const char   *body,
              JsonNode    **response)
{
  g_autofree char *full = g_strconcat (url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (response != NULL)
    *response = NULL;
  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  if (bytes == NULL)
    {
      g_test_message ("%s %s: %s", method, path, error->message);
      return 0;
    }

  if (response != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL))
        *response = json_parser_steal_root (parser);
    }

  return soup_message_get_status (msg);
}

gboolean
dg_test_integrity_ok (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gboolean ok = FALSE;

  if (g_str_has_prefix (db_path, "postgresql://"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DgStore) store = dg_store_open (db_path, &error);
      gint64 n = 0;

      ok = store != NULL && dg_store_verify (store, &n, &error);
      g_test_message ("%s: %s (%" G_GINT64_FORMAT " revisions)", db_path,
                      ok ? "opens, and its chain verifies" : error->message, n);
      if (store != NULL)
        dg_store_close (store);
      return ok;
    }

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step (s) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (s, 0);

      g_test_message ("integrity_check of %s: %s", db_path, text);
      ok = g_strcmp0 (text, "ok") == 0;
    }
  sqlite3_finalize (s);
  sqlite3_close (db);

  return ok;
}

char *
dg_test_new_check (char  *id,
                   guint  day)
{
  g_autofree char *uuid = g_uuid_string_random ();

  g_strlcpy (id, uuid, 37);
  return g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":0,"
                          "\"data\":{\"road_id\":\"" DG_TEST_ROAD_ID "\","
                          "\"date\":\"2025-03-%02u\",\"points\":["
                          "{\"seq\":1,\"surface\":\"main\",\"mass_g\":3.5},"
                          "{\"seq\":2,\"surface\":\"main\",\"mass_g\":2.5},"
                          "{\"seq\":3,\"surface\":\"main\",\"mass_g\":4.0}]}}",
                          id, day % 28 + 1);
}

gboolean
dg_test_openssl (const char *dir,
                 const char *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (args, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("openssl %s: %s", first_arg, err);

  return g_subprocess_get_successful (process);
}

gboolean
dg_test_make_certificates (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "server.ext", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (ext, "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                            "extendedKeyUsage = serverAuth\n"
                            "basicConstraints = critical, CA:FALSE\n", -1, &error);
  g_assert_no_error (error);

  return dg_test_openssl (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                          "-out", "ca.pem", "-days", "2", "-subj", "/CN=DustGrid Test CA",
                          "-addext", "basicConstraints=critical,CA:TRUE",
                          "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL) &&
         dg_test_openssl (dir, "req", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
                          "-out", "server.csr", "-subj", "/CN=127.0.0.1", NULL) &&
         dg_test_openssl (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem",
                          "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                          "-days", "2", "-extfile", "server.ext", NULL);
}
