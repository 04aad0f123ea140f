/* dg-server.c: the HTTP API of design section 4, on libsoup 3.
 *
 * The route table below names each route's action; who may do it is the policy's
 * (common/dg-policy.c), and tests/server/test-authz.c walks every route as every role. A request
 * is matched and its body size checked on the main loop; authentication and the route's work
 * (SQLite, Argon2) run in a GTask thread while the message is paused, so the main loop never
 * waits on the disk.
 *
 * This file holds the server object: listening, TLS, shutdown, and the route table with its
 * dispatch. The handlers live in routes/ (one file per group of routes), reading and answering
 * a request in http/dg-http-request.c, and each message's deadline and the raw refusal of a
 * body that must not be read in http/dg-http-message.c.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-server-private.h"
#include "routes/dg-routes.h"

struct _DgServer
{
  GObject          parent_instance;

  DgStore         *store;
  DgAuth          *auth;
  SoupServer      *soup;
  GTlsCertificate *tls_certificate;

  char            *address;
  guint            port;
  gboolean         log_requests;
  gboolean         shutting_down;
  guint            n_in_flight;
  guint            n_receiving;    /* requests whose headers are in, not yet answered */
  guint            idle_timeout;   /* seconds; 0: never */
  GThreadPool     *login_pool;
  GMainContext    *context;        /* where the server listens and its deadlines fire */
};

G_DEFINE_FINAL_TYPE (DgServer, dg_server, G_TYPE_OBJECT)

/* Who may call each route is the policy's answer for its action (common/dg-policy.c); how much
 * body it reads, its limit (SMALL for what needs little, FULL for a batch of changes). GET
 * /healthz is answered on the main loop and is not in the table's handlers. */
#define SMALL DG_SERVER_MAX_SMALL_BODY
#define FULL  DG_MAX_BODY_BYTES
#define PHOTO DG_ATTACHMENT_MAX_BYTES

static const DgRoute routes[] = {
  { "GET",  "/healthz",                     DG_ACTION_PUBLIC,        SMALL, NULL },
  { "POST", "/api/v1/login",                DG_ACTION_PUBLIC,        SMALL, dg_route_login },
  { "POST", "/api/v1/logout",               DG_ACTION_SIGN_OUT,      SMALL, dg_route_logout },
  { "POST", "/api/v1/changes",              DG_ACTION_PUSH,          FULL,  dg_route_push_changes },
  { "GET",  "/api/v1/changes",              DG_ACTION_READ_RECORD,   SMALL, dg_route_pull_changes },
  { "GET",  "/api/v1/records/{id}/history", DG_ACTION_READ_RECORD,   SMALL,
    dg_route_record_history },
  { "POST", "/api/v1/records/{id}/return",  DG_ACTION_RETURN_RECORD, SMALL,
    dg_route_return_record },
  { "POST", "/api/v1/records/{id}/void",    DG_ACTION_VOID_RECORD,   SMALL,
    dg_route_void_record },
  { "POST", "/api/v1/months/{month}/close", DG_ACTION_CLOSE_MONTH,   SMALL, dg_route_close_month },
  { "POST", "/api/v1/months/{month}/reopen", DG_ACTION_REOPEN_MONTH, SMALL, dg_route_reopen_month },
  { "GET",  "/api/v1/reports/dustfall",     DG_ACTION_READ_RANKING,  SMALL, dg_route_dustfall },
  { "GET",  "/api/v1/reports/roads",        DG_ACTION_READ_RANKING,  SMALL, dg_route_roads },
  { "GET",  "/api/v1/reports/quota",        DG_ACTION_READ_QUOTA,    SMALL, dg_route_quota },
  { "GET",  "/api/v1/reports/bulletin",     DG_ACTION_READ_RANKING,  SMALL, dg_route_bulletin },
  { "GET",  "/api/v1/reports/units",        DG_ACTION_READ_UNIT_RANKING, SMALL, dg_route_units },
  { "GET",  "/api/v1/reports/assessment",   DG_ACTION_READ_RANKING,  SMALL, dg_route_assessment },
  { "POST", "/api/v1/rectifications",       DG_ACTION_ISSUE_RECTIFICATION, SMALL,
    dg_route_issue_rectification },
  { "GET",  "/api/v1/rectifications",       DG_ACTION_READ_RECTIFICATIONS, SMALL,
    dg_route_list_rectifications },
  { "POST", "/api/v1/rectifications/{id}/respond", DG_ACTION_RESPOND_RECTIFICATION, SMALL,
    dg_route_respond_rectification },
  { "POST", "/api/v1/rectifications/{id}/close", DG_ACTION_CLOSE_RECTIFICATION, SMALL,
    dg_route_close_rectification },
  { "GET",  "/api/v1/users",                DG_ACTION_MANAGE_USERS,  SMALL, dg_route_list_users },
  { "POST", "/api/v1/users",                DG_ACTION_MANAGE_USERS,  SMALL, dg_route_create_user },
  { "PATCH", "/api/v1/users/{name}",        DG_ACTION_MANAGE_USERS,  SMALL, dg_route_update_user },
  { "POST", "/api/v1/users/{name}/revoke",  DG_ACTION_MANAGE_USERS,  SMALL, dg_route_revoke_user },
  { "POST", "/api/v1/password",             DG_ACTION_CHANGE_PASSWORD, SMALL,
    dg_route_change_password },
  { "GET",  "/api/v1/audit",                DG_ACTION_READ_AUDIT,    SMALL, dg_route_read_audit },
  /* Design 6.2: who may read an attachment is asked per attachment, as of a record. */
  { "PUT",  "/api/v1/attachments/{sha256}", DG_ACTION_UPLOAD_ATTACHMENT, PHOTO,
    dg_route_put_attachment },
  { "GET",  "/api/v1/attachments/{sha256}", DG_ACTION_READ_RECORD,   SMALL,
    dg_route_get_attachment },
  { "GET",  "/api/v1/attachments/{sha256}/meta", DG_ACTION_READ_RECORD, SMALL,
    dg_route_attachment_meta },
};

#undef SMALL
#undef FULL
#undef PHOTO

/* Logins wait in a queue of their own for one of this many threads, the number of Argon2 hashes
 * DgAuth runs at once, so a flood of them neither holds every thread of GTask's pool (which
 * pushes and pulls need) nor more than two hashes' memory. Past the queue's length, 503. */
#define LOGIN_THREADS     2
#define MAX_QUEUED_LOGINS 256

/* Connections the kernel may hold waiting for accept(). */
#define LISTEN_BACKLOG 256

/* ---- Helpers ---- */

static void
stop_receiving (DgServer      *self,
                DgMessageInfo *info)
{
  if (!info->receiving)
    return;

  info->receiving = FALSE;
  g_assert (self->n_receiving > 0);
  self->n_receiving--;
}

/* Refuses @msg on its raw connection (see dg_http_refuse_connection): from then on it is not
 * being received. */
static void
refuse_connection (DgServer          *self,
                   SoupServerMessage *msg,
                   guint              status,
                   DgErrorCode        code,
                   const char        *message)
{
  stop_receiving (self, dg_http_message_info (msg));
  dg_http_refuse_connection (msg, status, code, message);
}

/* The route @path names for @method, or NULL; *@path_matched tells whether it names one for
 * another method. */
static const DgRoute *
find_route (const char  *method,
            const char  *path,
            char       **capture,
            gboolean    *path_matched)
{
  *path_matched = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!dg_http_match_pattern (routes[i].pattern, path, capture))
        continue;
      *path_matched = TRUE;
      if (method != NULL && strcmp (routes[i].method, method) == 0)
        return &routes[i];
    }

  return NULL;
}

static char *
too_large_message (gsize limit)
{
  if (limit % (1024 * 1024) == 0)
    return g_strdup_printf ("the body is larger than %zu MiB", limit / (1024 * 1024));

  return g_strdup_printf ("the body is larger than %zu KiB", limit / 1024);
}

/* Whether @route checks a password with Argon2 before it answers: those wait in the login
 * pool, so a flood of them cannot hold every thread of GTask's. */
static gboolean
hashes_password (const DgRoute *route)
{
  return route->handler == dg_route_login || route->handler == dg_route_change_password;
}

/* ---- Request flow ---- */

static void
run_request_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DgServer *self = source_object;
  DgRequest *req = task_data;
  g_autoptr(GError) error = NULL;
  DgRouteHandler handler = req->route->handler;

  req->status = SOUP_STATUS_OK;

  if (dg_policy_needs_token (req->route->action))
    {
      if (!dg_auth_check_token (self->auth, req->token, &req->user, &req->role, &error))
        goto out;

      if (!dg_policy_allows (req->role, req->route->action, DG_SCOPE_ANY))
        {
          dg_set_error (&error, DG_ERROR_FORBIDDEN, NULL, "a %s may not %s %s",
                        dg_role_to_string (req->role), req->route->method, req->route->pattern);
          goto out;
        }
    }

  handler (req, &error);
  if (error == NULL && req->response == NULL && req->file == NULL)
    dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "the request produced no response");

out:
  if (error != NULL)
    {
      g_clear_pointer (&req->response, json_node_unref);
      g_clear_pointer (&req->file, g_bytes_unref);
      req->status = error->domain == DG_ERROR ? dg_error_code_http_status (error->code) : 500;
      /* A full disk or a busy database (503) is an operational state, not a bug. */
      if (req->status == 503)
        fprintf (stderr, "%s %s: %s\n", req->route->method, req->route->pattern, error->message);
      else if (req->status >= 500)
        g_warning ("%s %s: %s", req->route->method, req->route->pattern, error->message);

      /* What failed inside (SQLite's text, a table, a path) is for that log line: the client
       * learns the code, and for a 503 that it may try again. */
      if (req->status >= 500)
        {
          g_autoptr(GError) shown = NULL;

          if (req->status == 503)
            dg_set_error (&shown, DG_ERROR_UNAVAILABLE, NULL,
                          "the server cannot do this now; try again later");
          else
            dg_set_error (&shown, DG_ERROR_INTERNAL, NULL, "internal error on the server");
          req->response = dg_error_to_json (shown);
        }
      else
        {
          req->response = dg_error_to_json (error);
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
login_thread_func (gpointer data,
                   gpointer user_data)
{
  g_autoptr(GTask) task = data;

  run_request_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                      g_task_get_cancellable (task));
}

static void
request_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  DgRequest *req = g_task_get_task_data (G_TASK (result));
  DgMessageInfo *info = dg_http_message_info (msg);

  if (req->user != NULL)
    info->user = g_strdup (req->user);

  if (req->retry_after > 0)
    {
      g_autofree char *value = g_strdup_printf ("%u", req->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", value);
    }

  if (req->file != NULL)
    {
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"",
                                                      req->filename);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Disposition", disposition);
      soup_server_message_set_status (msg, req->status, dg_http_status_phrase (req->status));
      soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (req->file, NULL),
                                        g_bytes_get_size (req->file));
    }
  else
    {
      dg_http_respond_json (msg, req->status, req->response);
    }
  soup_server_message_unpause (msg);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DgServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const DgRoute *route;
  g_autofree char *capture = NULL;
  gboolean path_matched = FALSE;
  SoupMessageBody *body;
  DgMessageInfo *info = dg_http_message_info (msg);
  DgRequest *req;
  GTask *task;

  /* A request the client had begun to send before the shutdown is served: only those that
   * started after it are refused. */
  if (self->shutting_down && !info->admitted)
    {
      dg_http_respond_error_code (msg, DG_ERROR_UNAVAILABLE, NULL, "the server is shutting down");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  route = find_route (method, path, &capture, &path_matched);
  if (route == NULL)
    {
      /* The contract maps not_found to 404, so a known path with another method answers 404
       * too, naming what went wrong. */
      dg_http_respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL,
                                  path_matched ? "this method is not allowed on this path"
                                               : "no such route");
      return;
    }

  /* The early handler refused a large Content-Length, and body_chunk_cb a body that grew past
   * the limit: this check stays in case either ever lets one through. */
  body = soup_server_message_get_request_body (msg);
  if (info->body_bytes > route->max_body ||
      (body != NULL && (gsize) body->length > route->max_body))
    {
      g_autofree char *message = too_large_message (route->max_body);

      dg_http_respond_error_code (msg, DG_ERROR_TOO_LARGE, NULL, message);
      return;
    }

  if (route->handler == NULL)
    {
      g_autoptr(JsonNode) node = dg_http_status_ok_node ();

      dg_http_respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (hashes_password (route) &&
      g_thread_pool_unprocessed (self->login_pool) >= MAX_QUEUED_LOGINS)
    {
      dg_http_respond_error_code (msg, DG_ERROR_UNAVAILABLE, NULL, "too many logins at once");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "5");
      return;
    }

  if (strstr (route->pattern, "{id}") != NULL && !dg_uuid_is_valid (capture))
    {
      dg_http_respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL, "no such record");
      return;
    }
  if (strstr (route->pattern, "{month}") != NULL && !dg_month_is_valid (capture))
    {
      dg_http_respond_error_code (msg, DG_ERROR_INVALID_FIELD, "month", "month must be YYYY-MM");
      return;
    }
  /* An attachment is named by the lower-case hex of its SHA-256: any other name is none. */
  if (strstr (route->pattern, "{sha256}") != NULL && !dg_sha256_hex_is_valid (capture))
    {
      if (g_str_equal (method, "PUT"))
        dg_http_respond_error_code (msg, DG_ERROR_INVALID_FIELD, "sha256",
                                    "sha256 must be 64 lower-case hex digits");
      else
        dg_http_respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL, "no such attachment");
      return;
    }
  if (strstr (route->pattern, "{name}") != NULL)
    {
      /* A user name arrives percent-encoded (张三 as %E5%BC%A0…); one that no user could have
       * (an escaped '/', a space) names no user. */
      char *name = g_uri_unescape_string (capture, "/");

      g_free (capture);
      capture = name;
      if (!dg_username_validate (capture, NULL))
        {
          dg_http_respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL, "no such user");
          return;
        }
    }

  req = g_new0 (DgRequest, 1);
  req->route = route;
  req->store = self->store;
  req->auth = self->auth;
  req->capture = g_steal_pointer (&capture);
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (req->query, g_strdup (key), g_strdup (value));
    }
  if (body != NULL && body->length > 0)
    req->body = soup_message_body_flatten (body);
  req->body_type = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Content-Type"));
  req->token = dg_http_bearer_token (msg);

  soup_server_message_pause (msg);
  info->in_flight = TRUE;
  self->n_in_flight++;

  task = g_task_new (self, NULL, request_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, handler_cb);
  g_task_set_task_data (task, req, (GDestroyNotify) dg_request_free);
  if (hashes_password (route))
    g_thread_pool_push (self->login_pool, g_object_ref (task), NULL);
  else
    g_task_run_in_thread (task, run_request_thread);
  g_object_unref (task);
}

/* A piece of a body has arrived (dg-http-message.c has counted it): one that has grown past its
 * route's limit is answered at once, and no more of it is read. A chunked body announces no
 * length, so without this it would be held whole, however large, before any login. */
static void
body_chunk_cb (SoupServerMessage *msg,
               GBytes            *chunk,
               DgServer          *self)
{
  DgMessageInfo *info = dg_http_message_info (msg);
  g_autofree char *message = NULL;

  if (info->stolen || info->body_bytes <= info->body_limit)
    return;

  message = too_large_message (info->body_limit);
  /* libsoup is in the middle of reading: taking the connection from it here is what
   * soup_server_message_steal_connection() allows from any signal of the message. */
  refuse_connection (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, DG_ERROR_TOO_LARGE,
                     message);
}

/* Whether @value, a Content-Length, is a plain decimal number: libsoup 3.2 reads "+2" as 2 and
 * "2 2" as 2, and a length the server and a proxy in front of it read differently is the way
 * to smuggle a request. */
static gboolean
content_length_is_plain (const char *value)
{
  if (*value == '\0')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* Refuses, before reading any of the body, a request whose length is ambiguous (the way to
 * smuggle a second request past a proxy) or announced larger than its route's limit, and
 * watches a body of no announced length grow. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  DgServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_length = soup_message_headers_get_list (headers, "Content-Length");
  DgMessageInfo *info = dg_http_message_info (msg);
  const DgRoute *route;
  g_autofree char *capture = NULL;
  g_autofree char *too_large = NULL;
  gboolean path_matched;
  goffset length;

  /* From here until it is answered or aborted, the request holds a graceful shutdown back:
   * the client has begun to send it, and may already be waiting for the answer. */
  if (!info->receiving)
    {
      info->receiving = TRUE;
      info->admitted = !self->shutting_down;
      self->n_receiving++;
    }

  /* libsoup 3.2 joins repeated headers with ", " and believes Transfer-Encoding over
   * Content-Length: refuse both forms rather than guess which length the client meant. */
  if (content_length != NULL && strchr (content_length, ',') != NULL)
    {
      refuse_connection (self, msg, SOUP_STATUS_BAD_REQUEST, DG_ERROR_BAD_JSON,
                         "more than one Content-Length");
      return;
    }
  if (content_length != NULL && !content_length_is_plain (content_length))
    {
      refuse_connection (self, msg, SOUP_STATUS_BAD_REQUEST, DG_ERROR_BAD_JSON,
                         "Content-Length must be a decimal number");
      return;
    }
  if (content_length != NULL &&
      soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    {
      refuse_connection (self, msg, SOUP_STATUS_BAD_REQUEST, DG_ERROR_BAD_JSON,
                         "Content-Length together with Transfer-Encoding");
      return;
    }

  /* A request on no route is answered 404 once it is in: it needs no more body than a small
   * route takes. */
  route = find_route (soup_server_message_get_method (msg), path, &capture, &path_matched);
  info->body_limit = route != NULL ? route->max_body : DG_SERVER_MAX_SMALL_BODY;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (body_chunk_cb), self, 0);
      return;
    }
  /* Digits past G_MAXINT64 come back negative. */
  length = soup_message_headers_get_content_length (headers);
  if (length >= 0 && (guint64) length <= info->body_limit)
    return;

  too_large = too_large_message (info->body_limit);
  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      /* libsoup answers with this status instead of "100 Continue" and reads no body. */
      dg_http_respond_error_code (msg, DG_ERROR_TOO_LARGE, NULL, too_large);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  refuse_connection (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, DG_ERROR_TOO_LARGE,
                     too_large);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    DgServer          *self)
{
  dg_http_watch_message (msg, self->idle_timeout, self->log_requests, self->context);
}

static void
log_request (DgServer          *self,
             SoupServerMessage *msg,
             gboolean           aborted)
{
  DgMessageInfo *info = dg_http_message_info (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  double ms = (g_get_monotonic_time () - info->started) / 1000.0;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user = NULL;

  if (info->in_flight)
    {
      info->in_flight = FALSE;
      g_assert (self->n_in_flight > 0);
      self->n_in_flight--;
    }
  stop_receiving (self, info);

  if (!self->log_requests)
    return;

  /* The path only: queries carry no secrets today, but the token travels in a header and the
   * password in a body, neither of which is ever logged. A connection closed before its
   * request line has no method ("-"). Each field is the client's to choose (the user name of
   * a failed login too), so each is escaped. */
  method = dg_http_log_escape (soup_server_message_get_method (msg));
  path = dg_http_log_escape (uri != NULL ? g_uri_get_path (uri) : NULL);
  user = dg_http_log_escape (info->user);
  fprintf (stderr, "%s %s %u%s %.1fms user=%s\n", method, path,
           soup_server_message_get_status (msg), aborted ? " aborted" : "", ms, user);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     DgServer          *self)
{
  log_request (self, msg, FALSE);
  /* A kept-alive connection waits for its next request from now on. */
  dg_http_arm_deadline (msg);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    DgServer          *self)
{
  log_request (self, msg, TRUE);
}

/* ---- GObject ---- */

static void
dg_server_dispose (GObject *object)
{
  DgServer *self = (DgServer *) object;

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
  g_clear_object (&self->soup);
  g_clear_object (&self->tls_certificate);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dg_server_parent_class)->dispose (object);
}

static void
dg_server_finalize (GObject *object)
{
  DgServer *self = (DgServer *) object;

  g_free (self->address);
  g_clear_pointer (&self->context, g_main_context_unref);
  /* Every queued login holds a reference on the server: the pool is idle by now. */
  g_thread_pool_free (self->login_pool, TRUE, TRUE);

  G_OBJECT_CLASS (dg_server_parent_class)->finalize (object);
}

static void
dg_server_class_init (DgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_server_dispose;
  object_class->finalize = dg_server_finalize;
}

static void
dg_server_init (DgServer *self)
{
  self->log_requests = TRUE;
  self->idle_timeout = DG_SERVER_DEFAULT_IDLE_TIMEOUT;
  self->login_pool = g_thread_pool_new (login_thread_func, NULL, LOGIN_THREADS, FALSE, NULL);
}

/* ---- Public API ---- */

const DgRoute *
dg_server_get_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

DgServer *
dg_server_new (DgStore *store,
               DgAuth  *auth)
{
  DgServer *self;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (DG_IS_AUTH (auth), NULL);

  self = g_object_new (DG_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->auth = g_object_ref (auth);

  return self;
}

gboolean
dg_server_set_tls_files (DgServer    *self,
                         const char  *cert_path,
                         const char  *key_path,
                         GError     **error)
{
  GTlsCertificate *certificate;

  g_return_val_if_fail (DG_IS_SERVER (self), FALSE);

  /* A renewed certificate that cannot be read leaves the one in use in place. */
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);
  if (certificate == NULL)
    return FALSE;

  g_clear_object (&self->tls_certificate);
  self->tls_certificate = certificate;
  /* While serving, libsoup hands the new certificate to its listeners for the connections
   * accepted from now on. */
  if (self->soup != NULL && soup_server_is_https (self->soup))
    soup_server_set_tls_certificate (self->soup, certificate);

  return TRUE;
}

gboolean
dg_server_listen (DgServer    *self,
                  const char  *address,
                  guint        port,
                  GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSocket) listener = NULL;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (DG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  if (address == NULL || g_ascii_strcasecmp (address, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s is not an IP address", address);
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->soup = soup_server_new ("server-header", "dustgrid-server/" PACKAGE_VERSION, NULL);
  if (self->tls_certificate != NULL)
    {
      g_object_set (self->soup, "tls-certificate", self->tls_certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self);

  /* The socket is made here rather than by soup_server_listen() for its backlog: GLib's
   * default of 10 overflows when a few dozen clients connect at once (a login rush at the start
   * of a shift), and the kernel then drops or resets their connections. */
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    {
      g_clear_object (&self->soup);
      return FALSE;
    }
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener, options, error))
    {
      g_clear_object (&self->soup);
      return FALSE;
    }

  uris = soup_server_get_uris (self->soup);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_free (self->address);
  self->address = g_inet_address_to_string (inet);

  return TRUE;
}

char *
dg_server_get_url (DgServer *self)
{
  const char *scheme;

  g_return_val_if_fail (DG_IS_SERVER (self), NULL);
  g_return_val_if_fail (self->address != NULL, NULL);

  scheme = self->tls_certificate != NULL ? "https" : "http";
  if (strchr (self->address, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", scheme, self->address, self->port);

  return g_strdup_printf ("%s://%s:%u", scheme, self->address, self->port);
}

guint
dg_server_get_port (DgServer *self)
{
  g_return_val_if_fail (DG_IS_SERVER (self), 0);

  return self->port;
}

void
dg_server_set_log_requests (DgServer *self,
                            gboolean  log_requests)
{
  g_return_if_fail (DG_IS_SERVER (self));

  self->log_requests = !!log_requests;
}

void
dg_server_set_idle_timeout (DgServer *self,
                            guint     seconds)
{
  g_return_if_fail (DG_IS_SERVER (self));

  self->idle_timeout = seconds;
}

guint
dg_server_get_idle_timeout (DgServer *self)
{
  g_return_val_if_fail (DG_IS_SERVER (self), 0);

  return self->idle_timeout;
}

void
dg_server_begin_shutdown (DgServer *self)
{
  g_autoptr(GSList) listeners = NULL;

  g_return_if_fail (DG_IS_SERVER (self));

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;

  /* No new connection: a client that connects now is refused at once and retries later,
   * rather than sending a request only to get 503. libsoup's watch on the closed socket fails
   * its next accept and goes away; soup_server_disconnect() closes the listeners again, which
   * does nothing. */
  if (self->soup != NULL)
    listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
}

guint
dg_server_get_n_unanswered (DgServer *self)
{
  g_return_val_if_fail (DG_IS_SERVER (self), 0);

  return MAX (self->n_receiving, self->n_in_flight);
}

guint
dg_server_get_n_in_flight (DgServer *self)
{
  g_return_val_if_fail (DG_IS_SERVER (self), 0);

  return self->n_in_flight;
}

void
dg_server_disconnect (DgServer *self)
{
  g_return_if_fail (DG_IS_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
