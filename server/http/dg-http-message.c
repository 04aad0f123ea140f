/* dg-http-message.c: what the main loop keeps of each message while libsoup reads it.
 *
 * A request must arrive whole within the idle timeout: its headers within that many seconds of
 * the connection opening or of the previous response on a kept-alive connection, and each
 * piece of its body within that many seconds of the one before. libsoup 3.2 has no timeout of
 * its own on the server side, so without this an idle or slowloris client holds its connection
 * (and a file descriptor) for ever. The deadline is data of the connection's GSocket, which
 * outlives each message on it; when it passes, the socket is shut down, libsoup sees the end
 * of the stream and drops the connection. Once a body is in, the deadline is lifted until the
 * response has been written: the work and the answer are the server's business.
 *
 * A request refused before its body is read takes the connection from libsoup, answers on it
 * and drains what the client still sends (dg_http_refuse_connection).
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-server-private.h"

#define MESSAGE_INFO_KEY "dg-message-info"

/* The deadline of a request still being received (see dg_http_arm_deadline). */
#define DEADLINE_KEY "dg-deadline"

typedef struct
{
  GSocket  *socket;         /* not a reference: the deadline is the socket's data */
  GSource  *source;
  char     *host;
  guint     seconds;
  gboolean  log;
} Deadline;

/* A refused connection: what the client still sends is read and dropped for a moment, so that
 * closing with unread data does not reset the connection before the client reads the 413. */
typedef struct
{
  GIOStream    *stream;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drained;
} Drain;

#define DRAIN_SECONDS 3
#define DRAIN_MAX_BYTES (2 * DG_MAX_BODY_BYTES)

static void
message_info_free (DgMessageInfo *info)
{
  g_free (info->user);
  g_clear_pointer (&info->context, g_main_context_unref);
  g_free (info);
}

static void
deadline_free (Deadline *deadline)
{
  g_source_destroy (deadline->source);
  g_source_unref (deadline->source);
  g_free (deadline->host);
  g_free (deadline);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Deadline *deadline = user_data;

  if (deadline->log)
    fprintf (stderr, "closing the connection from %s: no complete request within %u s\n",
             deadline->host != NULL ? deadline->host : "-", deadline->seconds);

  g_socket_shutdown (deadline->socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
disarm_deadline (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), DEADLINE_KEY, NULL);
}

static void
drain_finish (Drain *drain)
{
  if (drain->timeout_id != 0)
    {
      GSource *timeout = g_main_context_find_source_by_id (g_main_context_get_thread_default (),
                                                           drain->timeout_id);

      if (timeout != NULL)
        g_source_destroy (timeout);
      drain->timeout_id = 0;
    }
  g_io_stream_close (drain->stream, NULL, NULL);
  g_clear_object (&drain->stream);
  g_clear_object (&drain->cancellable);
  g_free (drain);
}

static gboolean
drain_timeout_cb (gpointer user_data)
{
  Drain *drain = user_data;

  drain->timeout_id = 0;
  g_cancellable_cancel (drain->cancellable);
  return G_SOURCE_REMOVE;
}

static void
drain_read_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Drain *drain = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0 ||
      (drain->drained += g_bytes_get_size (bytes)) > DRAIN_MAX_BYTES)
    {
      drain_finish (drain);
      return;
    }

  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (drain->stream), 65536,
                                   G_PRIORITY_LOW, drain->cancellable, drain_read_cb, drain);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  dg_http_arm_deadline (msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  DgMessageInfo *info = dg_http_message_info (msg);

  info->body_bytes += g_bytes_get_size (chunk);
  dg_http_arm_deadline (msg);
}

static void
got_body_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  disarm_deadline (msg);
}

/* ---- Internal API ---- */

char *
dg_http_log_escape (const char *text)
{
  GString *out;
  const char *p = text;

  if (text == NULL)
    return g_strdup ("-");

  out = g_string_sized_new (strlen (text));
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: the byte itself. */
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      if (c < 0x80 && (g_ascii_iscntrl (c) || c == ' ' || c == '\\'))
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && !g_unichar_isprint (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

DgMessageInfo *
dg_http_message_info (SoupServerMessage *msg)
{
  DgMessageInfo *info = g_object_get_data (G_OBJECT (msg), MESSAGE_INFO_KEY);

  if (info == NULL)
    {
      info = g_new0 (DgMessageInfo, 1);
      info->started = g_get_monotonic_time ();
      g_object_set_data_full (G_OBJECT (msg), MESSAGE_INFO_KEY, info,
                              (GDestroyNotify) message_info_free);
    }

  return info;
}

void
dg_http_watch_message (SoupServerMessage *msg,
                       guint              idle_timeout,
                       gboolean           log_requests,
                       GMainContext      *context)
{
  DgMessageInfo *info = dg_http_message_info (msg);

  info->idle_timeout = idle_timeout;
  info->log_requests = log_requests;
  info->context = g_main_context_ref (context);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  dg_http_arm_deadline (msg);
}

void
dg_http_arm_deadline (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  DgMessageInfo *info = dg_http_message_info (msg);
  Deadline *deadline;

  if (info->idle_timeout == 0 || info->context == NULL || socket == NULL || info->stolen)
    return;

  deadline = g_new0 (Deadline, 1);
  deadline->socket = socket;
  deadline->host = g_strdup (soup_server_message_get_remote_host (msg));
  deadline->seconds = info->idle_timeout;
  deadline->log = info->log_requests;
  deadline->source = g_timeout_source_new_seconds (info->idle_timeout);
  g_source_set_callback (deadline->source, deadline_cb, deadline, NULL);
  g_source_set_static_name (deadline->source, "[dustgrid] request deadline");
  g_source_attach (deadline->source, info->context);

  /* Replacing the data frees the previous deadline. */
  g_object_set_data_full (G_OBJECT (socket), DEADLINE_KEY, deadline,
                          (GDestroyNotify) deadline_free);
}

/* Answers @status on the raw connection and closes it. libsoup 3.2 goes on reading a body even
 * when a got-headers handler has set a status (unless the client asked "Expect: 100-continue"),
 * so the connection is taken from it before a byte of the body is read. */
void
dg_http_refuse_connection (SoupServerMessage *msg,
                           guint              status,
                           DgErrorCode        code,
                           const char        *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  GSocket *socket;
  GIOStream *stream;
  Drain *drain;
  GSource *timeout;
  const char *method = soup_server_message_get_method (msg);
  DgMessageInfo *info = dg_http_message_info (msg);

  dg_set_error (&error, code, NULL, "%s", message);
  node = dg_error_to_json (error);
  body = dg_json_to_string (node);
  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json; charset=utf-8\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n"
                              "\r\n%s", status, dg_http_status_phrase (status), strlen (body),
                              body);

  /* The connection is ours from here on: the request deadline must not shut it down, and
   * libsoup will not tell when the request is over. */
  info->stolen = TRUE;
  disarm_deadline (msg);

  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_object_ref (socket);

  if (info->log_requests)
    {
      GUri *uri = soup_server_message_get_uri (msg);
      g_autofree char *logged_method = dg_http_log_escape (method);
      g_autofree char *logged_path = dg_http_log_escape (uri != NULL ? g_uri_get_path (uri)
                                                                     : NULL);

      fprintf (stderr, "%s %s %u %.1fms user=-\n", logged_method, logged_path, status,
               (g_get_monotonic_time () - info->started) / 1000.0);
    }

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_clear_object (&socket);
      return;
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), response, strlen (response),
                             NULL, NULL, NULL);
  g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, NULL);
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_clear_object (&socket);

  drain = g_new0 (Drain, 1);
  drain->stream = stream;
  drain->cancellable = g_cancellable_new ();
  /* In the thread-default context the server serves in, like the read below. */
  timeout = g_timeout_source_new_seconds (DRAIN_SECONDS);
  g_source_set_callback (timeout, drain_timeout_cb, drain, NULL);
  drain->timeout_id = g_source_attach (timeout, g_main_context_get_thread_default ());
  g_source_unref (timeout);
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), 65536, G_PRIORITY_LOW,
                                   drain->cancellable, drain_read_cb, drain);
}
