/* test-server-abuse.c: what a hostile or broken client does to the real dustgrid-server.
 *
 * Malformed requests over raw sockets are refused and the server stays up; idle and slowloris
 * connections are closed after the idle timeout while a real client goes on syncing; a flood of
 * logins with the real Argon2 cost stays within two hashes' memory and does not hold up pushes.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dg-test-server.h"

/* Short, so that the test is; the default is DG_SERVER_DEFAULT_IDLE_TIMEOUT. */
#define IDLE_TIMEOUT      3
#define N_SLOW_CLIENTS    200
#define N_LOGINS          50
/* libsodium's crypto_pwhash_MEMLIMIT_INTERACTIVE, what one login's hash takes. */
#define HASH_MIB          64

typedef struct
{
  char          *dir;
  char          *db;
  DgTestProcess *server;
  SoupSession   *session;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean real_hash = GPOINTER_TO_INT (data);
  g_autofree char *timeout = g_strdup_printf ("%d", IDLE_TIMEOUT);
  const char *options[] = { "--idle-timeout", timeout, NULL };

  f->dir = g_dir_make_tmp ("dustgrid-abuse-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = dg_test_db_location (f->dir, "abuse.db");
  dg_test_make_db (f->db, !real_hash);
  f->server = dg_test_process_start (f->db, !real_hash, options);
  f->session = dg_test_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->session);
  g_assert_cmpint (dg_test_process_stop (f->server), ==, 0);
  g_clear_pointer (&f->server, dg_test_process_free);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static GSocketConnection *
connect_raw (Fixture *f)
{
  return dg_test_connect_raw (f->server->port);
}

/* Sends @request and reads until the server closes or 5 s pass. */
static GString *
exchange (Fixture    *f,
          const char *request,
          gsize       length)
{
  g_autoptr(GSocketConnection) connection = connect_raw (f);
  GString *reply = g_string_new (NULL);

  /* The server may close before it has read everything: a failed write is an answer too. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             length, NULL, NULL, NULL);

  if (dg_test_receive (connection, 5, reply))
    g_string_append (reply, "<closed>");

  return reply;
}

static void
assert_healthy (Fixture *f)
{
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "GET", "/healthz", NULL, NULL,
                                  &response), ==, 200);
}

static void
assert_refused (Fixture    *f,
                const char *what,
                const char *request,
                gsize       length)
{
  g_autoptr(GString) reply = exchange (f, request, length);

  g_test_message ("%s: %.60s", what, reply->str);
  /* A 4xx, or the connection closed without an answer; never a success, never silence. */
  if (g_str_has_prefix (reply->str, "HTTP/"))
    g_assert_true (g_str_has_prefix (reply->str + strlen ("HTTP/1.1 "), "4"));
  else
    g_assert_true (g_str_has_suffix (reply->str, "<closed>"));

  assert_healthy (f);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  static const char login_body[] = "{\"username\":\"inspector\",\"password\":\"inspector\"}";
  g_autofree char *two_lengths = NULL;
  g_autofree char *same_lengths = NULL;
  g_autofree char *smuggle = NULL;
  static const char nul_name[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-B\0d: 1\r\n\r\n";
  g_autoptr(GString) big = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  g_autoptr(GString) many = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\n");

  two_lengths = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: %zu\r\nContent-Length: %zu\r\n\r\n%s",
                                 strlen (login_body), strlen (login_body) + 40, login_body);
  assert_refused (f, "two Content-Lengths", two_lengths, strlen (two_lengths));

  same_lengths = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: %zu\r\nContent-Length: %zu\r\n\r\n%s",
                                  strlen (login_body), strlen (login_body), login_body);
  assert_refused (f, "the same Content-Length twice", same_lengths, strlen (same_lengths));

  smuggle = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                             "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "%zx\r\n%s\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                             strlen (login_body), login_body);
  assert_refused (f, "Content-Length with Transfer-Encoding", smuggle, strlen (smuggle));

  assert_refused (f, "a NUL in a header name", nul_name, sizeof nul_name - 1);

  g_string_append (big, "X-Padding: ");
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, "\r\n\r\n");
  assert_refused (f, "a 100 KiB header", big->str, big->len);

  while (many->len < 100 * 1024)
    g_string_append_printf (many, "X-Header-%zu: %s\r\n", many->len, "aaaaaaaaaaaaaaaaaaaaaaaa");
  g_string_append (many, "\r\n");
  assert_refused (f, "100 KiB of headers", many->str, many->len);
}

/* Waits for the server to close @socket; returns the seconds it took from @since, or -1. */
static double
wait_closed (GSocket *socket,
             gint64   since,
             double   limit)
{
  gint64 deadline = since + (gint64) (limit * G_USEC_PER_SEC);
  char buffer[4096];

  while (g_get_monotonic_time () < deadline)
    {
      gssize n;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          MAX (deadline - g_get_monotonic_time (), 0), NULL,
                                          NULL))
        break;
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        return (g_get_monotonic_time () - since) / (double) G_USEC_PER_SEC;
    }

  return -1;
}

static void
test_idle (Fixture       *f,
           gconstpointer  data)
{
  static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autoptr(GSocketConnection) idle = NULL;
  g_autoptr(GSocketConnection) kept = NULL;
  GSocket *kept_socket;
  gint64 opened, answered = 0;
  double idle_after, kept_after;
  char buffer[4096];

  /* One connection that never sends a byte, one kept alive after a request. */
  opened = g_get_monotonic_time ();
  idle = connect_raw (f);
  kept = connect_raw (f);
  kept_socket = g_socket_connection_get_socket (kept);
  g_assert_cmpint (g_socket_send (kept_socket, request, sizeof request - 1, NULL, NULL), ==,
                   sizeof request - 1);
  g_assert_true (g_socket_condition_timed_wait (kept_socket, G_IO_IN, 5 * G_USEC_PER_SEC, NULL,
                                                NULL));
  g_assert_cmpint (g_socket_receive (kept_socket, buffer, sizeof buffer, NULL, NULL), >, 0);
  g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 200"));
  answered = g_get_monotonic_time ();

  idle_after = wait_closed (g_socket_connection_get_socket (idle), opened, IDLE_TIMEOUT + 3);
  kept_after = wait_closed (kept_socket, answered, IDLE_TIMEOUT + 3);
  g_test_message ("idle timeout %d s: a silent connection closed after %.2f s, a kept-alive one "
                  "%.2f s after its response", IDLE_TIMEOUT, idle_after, kept_after);
  g_assert_cmpfloat (idle_after, >=, IDLE_TIMEOUT - 0.5);
  g_assert_cmpfloat (idle_after, <=, IDLE_TIMEOUT + 2);
  g_assert_cmpfloat (kept_after, >=, IDLE_TIMEOUT - 0.5);
  g_assert_cmpfloat (kept_after, <=, IDLE_TIMEOUT + 2);

  assert_healthy (f);
}

/* One round of a real client's sync: log in, push a check, pull; returns the seconds it took. */
static double
real_client_sync (Fixture *f)
{
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) pushed = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  g_autofree char *change = NULL;
  g_autofree char *body = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *token;
  char id[37];

  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "POST", "/api/v1/login", NULL,
                                  "{\"username\":\"inspector\",\"password\":\"inspector\"}",
                                  &login), ==, 200);
  token = json_object_get_string_member (json_node_get_object (login), "token");
  change = dg_test_new_check (id, 3);
  body = g_strdup_printf ("{\"changes\":[%s]}", change);
  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "POST", "/api/v1/changes", token,
                                  body, &pushed), ==, 200);
  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "GET", "/api/v1/changes?since=0",
                                  token, NULL, &pulled), ==, 200);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
test_slow_clients (Fixture       *f,
                   gconstpointer  data)
{
  static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n\r\n";
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 opened;
  double worst = 0;
  guint n_closed = 0, n_answered = 0;

  opened = g_get_monotonic_time ();
  for (guint i = 0; i < N_SLOW_CLIENTS; i++)
    {
      /* Paced, so that the listen backlog never overflows: a connection the kernel held back
       * would be accepted, and its deadline start, seconds later. */
      g_ptr_array_add (slow, connect_raw (f));
      g_usleep (2000);
    }

  /* A byte from each every second; between the rounds, a real client syncs. */
  for (guint round = 0; round <= IDLE_TIMEOUT; round++)
    {
      gint64 next = opened + (round + 1) * G_USEC_PER_SEC;

      for (guint i = 0; i < slow->len; i++)
        {
          GSocket *socket = g_socket_connection_get_socket (g_ptr_array_index (slow, i));

          /* Once closed by the server, a send may fail: that is what is wanted. */
          g_socket_send (socket, request + round, 1, NULL, NULL);
        }

      worst = MAX (worst, real_client_sync (f));
      while (g_get_monotonic_time () < next)
        g_usleep (10000);
    }

  for (guint i = 0; i < slow->len; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (g_ptr_array_index (slow, i));
      /* Under AddressSanitizer the rounds above alone can take longer than this. */
      double after = wait_closed (socket, opened, (IDLE_TIMEOUT + 4) * DG_TEST_SLOWDOWN);

      if (after >= 0)
        n_closed++;
      else
        n_answered++;
    }

  g_test_message ("%u slowloris connections: a real client's login, push and pull took %.2f s "
                  "at worst; %u of them closed by the server within %d s",
                  N_SLOW_CLIENTS, worst, n_closed, (IDLE_TIMEOUT + 4) * DG_TEST_SLOWDOWN);
  g_assert_cmpfloat (worst, <, 2.0 * DG_TEST_SLOWDOWN);
  g_assert_cmpuint (n_closed, ==, N_SLOW_CLIENTS);

  assert_healthy (f);
  real_client_sync (f);
}

typedef struct
{
  const char *url;
  gint        n_done;
  gint        n_ok;
  gint64      last_done;    /* under the lock */
  GMutex      lock;
} Flood;

/* One client's login, on a connection of its own. */
static gpointer
login_thread (gpointer data)
{
  Flood *flood = data;
  /* Two hashes at a time on a loaded machine: the last login may wait long. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 150,
                                                                  "proxy-resolver", NULL, NULL);
  guint status;

  status = dg_test_http (session, flood->url, "POST", "/api/v1/login", NULL,
                         "{\"username\":\"inspector\",\"password\":\"inspector\"}", NULL);
  if (status == 200)
    g_atomic_int_inc (&flood->n_ok);
  else
    g_test_message ("a login answered %u", status);

  g_mutex_lock (&flood->lock);
  flood->last_done = g_get_monotonic_time ();
  g_mutex_unlock (&flood->lock);
  g_atomic_int_inc (&flood->n_done);

  return NULL;
}

static void
test_login_flood (Fixture       *f,
                  gconstpointer  data)
{
  static const char credentials[] = "{\"username\":\"inspector\",\"password\":\"inspector\"}";
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) pushed = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  g_autofree char *change = NULL;
  g_autofree char *body = NULL;
  GThread *threads[N_LOGINS];
  gsize baseline, peak, bound;
  gint64 start, sync_start, synced;
  guint queued;
  Flood flood = { f->server->url, 0, 0, 0 };
  const char *token;
  char id[37];

  g_mutex_init (&flood.lock);
  baseline = dg_test_process_status_kib (f->server, "VmHWM:");

  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "POST", "/api/v1/login", NULL,
                                  credentials, &login), ==, 200);
  token = json_object_get_string_member (json_node_get_object (login), "token");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_LOGINS; i++)
    threads[i] = g_thread_new ("login", login_thread, &flood);

  /* Give the logins time to reach the server's queue: then a sync must not wait for them. */
  g_usleep (G_USEC_PER_SEC / 2);
  queued = N_LOGINS - (guint) g_atomic_int_get (&flood.n_done);
  sync_start = g_get_monotonic_time ();
  change = dg_test_new_check (id, 5);
  body = g_strdup_printf ("{\"changes\":[%s]}", change);
  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "POST", "/api/v1/changes", token,
                                  body, &pushed), ==, 200);
  g_assert_cmpuint (dg_test_http (f->session, f->server->url, "GET", "/api/v1/changes?since=0",
                                  token, NULL, &pulled), ==, 200);
  synced = g_get_monotonic_time ();

  for (guint i = 0; i < N_LOGINS; i++)
    g_thread_join (threads[i]);

  peak = dg_test_process_status_kib (f->server, "VmHWM:");
  bound = baseline + 2 * HASH_MIB * 1024 + 32 * 1024;
  g_test_message ("%d concurrent logins with the real Argon2id cost: all answered in %.1f s, "
                  "%d of them 200; a push and a pull meanwhile took %.2f s (with %u logins "
                  "waiting); peak RSS %zu KiB (baseline %zu KiB, bound %zu KiB)",
                  N_LOGINS, (flood.last_done - start) / (double) G_USEC_PER_SEC, flood.n_ok,
                  (synced - sync_start) / (double) G_USEC_PER_SEC, queued, peak, baseline, bound);

  g_assert_cmpint (flood.n_ok, ==, N_LOGINS);
  g_assert_cmpuint (peak, <, bound);
  /* The sync went past the queue rather than through it. */
  g_assert_cmpuint (queued, >, 2);
  g_assert_cmpint (synced, <, flood.last_done);
  g_mutex_clear (&flood.lock);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  g_test_add ("/server/abuse/malformed", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_malformed, fixture_teardown);
  g_test_add ("/server/abuse/idle", Fixture, GINT_TO_POINTER (FALSE), fixture_setup, test_idle,
              fixture_teardown);
  g_test_add ("/server/abuse/slow-clients", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_slow_clients, fixture_teardown);
  g_test_add ("/server/abuse/login-flood", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_login_flood, fixture_teardown);

  return g_test_run ();
}
