/* fuzz-http.c: raw bytes on a connection to a real DustGrid server, framing and all (issue 18).
 *
 * libsoup parses the request line, the headers and the body's framing; the server refuses what
 * it can see before libsoup acts on it (dg-server.c's early checks). This target sends each
 * input as it is to an in-process server on loopback (the one of the server tests, with its
 * sample district and users), closes its side, and checks what comes back:
 *  - the server answers or closes within REPLY_SECONDS: it never waits on a client that has
 *    closed its side without a word;
 *  - whatever comes back starts as an HTTP/1.x status line;
 *  - the server still serves afterwards (GET /healthz answers 200).
 * Crashes, leaks and criticals (G_DEBUG=fatal-criticals) are caught as in every target.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "dg-test-server.h"
#include "fuzz-common.h"

/* Longer than any answer takes, shorter than the server's idle timeout (60 s): a reply that has
 * not come by then is a server waiting for a client that has stopped. */
#define REPLY_SECONDS 20.0
/* How long an answered connection may stay silent before it counts as done. */
#define QUIET_SECONDS 0.2

static DgTestServer *server;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* Logins in the corpus hash at libsodium's minimum cost. */
  g_setenv ("DUSTGRID_PWHASH_MIN", "1", TRUE);
  server = dg_test_server_new ();
  return 0;
}

static gboolean
is_status_line (const GString *reply)
{
  return reply->len >= 12 &&
         (strncmp (reply->str, "HTTP/1.1 ", 9) == 0 || strncmp (reply->str, "HTTP/1.0 ", 9) == 0) &&
         g_ascii_isdigit (reply->str[9]) && g_ascii_isdigit (reply->str[10]) &&
         g_ascii_isdigit (reply->str[11]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes,
                        size_t         size)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  GSocket *socket;
  gsize sent = 0;

  if (server == NULL)
    LLVMFuzzerInitialize (NULL, NULL);

  connection = dg_test_connect_raw (server->port);
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, 5);
  while (sent < size)
    {
      gssize n = g_socket_send (socket, (const char *) bytes + sent, size - sent, NULL, NULL);

      /* The server may answer and close before it has read everything: that is its right. */
      if (n <= 0)
        break;
      sent += (gsize) n;
    }
  g_socket_shutdown (socket, FALSE, TRUE, NULL);

  g_socket_set_timeout (socket, 0);
  /* Until the server closes, or has answered and gone quiet: libsoup keeps a half-closed
   * keep-alive connection until the idle timeout, which is not a hang. */
  for (gint64 start = g_get_monotonic_time ();;)
    {
      gsize before = reply->len;

      if (dg_test_receive (connection, QUIET_SECONDS, reply))
        break;
      if (reply->len > 0 && reply->len == before)
        break;
      if (g_get_monotonic_time () - start > REPLY_SECONDS * G_USEC_PER_SEC)
        fuzz_fail ("no answer and no close within %.0f s after %zu bytes (%zu back)",
                   REPLY_SECONDS, size, reply->len);
    }
  if (reply->len > 0 && !is_status_line (reply))
    fuzz_fail ("the reply does not start with a status line: %.40s", reply->str);

  if (dg_test_request (server, "GET", "/healthz", NULL, NULL, NULL) != 200)
    fuzz_fail ("the server no longer serves after %zu bytes", size);

  return 0;
}
