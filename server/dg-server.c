/* dg-server.c: the HTTP API of design section 4, on libsoup 3.
 *
 * The route table below names each route's action; who may do it is the policy's
 * (common/dg-policy.c), and tests/server/test-authz.c walks every route as every role. A request
 * is matched and its body size checked on the main loop; authentication and the route's work
 * (SQLite, Argon2) run in a GTask thread while the message is paused, so the main loop never
 * waits on the disk.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-reports.h"
#include "dg-server.h"

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

/* What the main loop learns of a message, kept on it for the log line. */
typedef struct
{
  gint64    started;
  gsize     body_bytes;
  gboolean  in_flight;
  gboolean  receiving;   /* counted in n_receiving: its headers are in, its answer is not out */
  gboolean  admitted;    /* its headers arrived before the shutdown began */
  gboolean  stolen;      /* the connection was taken from libsoup to refuse the request */
  char     *user;

  /* The server's settings when the request started, so that the message's callbacks need no
   * pointer to the server. */
  guint         idle_timeout;
  gboolean      log_requests;
  GMainContext *context;
} MessageInfo;

#define MESSAGE_INFO_KEY "dg-message-info"

/* The deadline of a request still being received (see arm_deadline). */
#define DEADLINE_KEY "dg-deadline"

/* One request handed to a worker thread, and its answer. */
typedef struct
{
  const DgRoute *route;
  char          *capture;      /* the {id} or {month} of the path */
  GHashTable    *query;        /* copied: name -> value */
  GBytes        *body;
  char          *token;

  /* Filled in by the worker. */
  char          *user;
  DgRole         role;
  guint          status;
  JsonNode      *response;
  GBytes        *file;          /* instead of @response: an assessment file */
  const char    *content_type;
  char          *filename;
  guint          retry_after;
} Request;

typedef void (*RouteHandler) (DgServer  *self,
                              Request   *req,
                              GError   **error);

static void handle_login      (DgServer *self, Request *req, GError **error);
static void handle_logout     (DgServer *self, Request *req, GError **error);
static void handle_push       (DgServer *self, Request *req, GError **error);
static void handle_pull       (DgServer *self, Request *req, GError **error);
static void handle_history    (DgServer *self, Request *req, GError **error);
static void handle_return     (DgServer *self, Request *req, GError **error);
static void handle_close      (DgServer *self, Request *req, GError **error);
static void handle_reopen     (DgServer *self, Request *req, GError **error);
static void handle_dustfall   (DgServer *self, Request *req, GError **error);
static void handle_roads      (DgServer *self, Request *req, GError **error);
static void handle_quota      (DgServer *self, Request *req, GError **error);
static void handle_assessment (DgServer *self, Request *req, GError **error);

/* Who may call each route is the policy's answer for its action (common/dg-policy.c). GET
 * /healthz is answered on the main loop and is not in the table's handlers. */
static const DgRoute routes[] = {
  { "GET",  "/healthz",                      DG_ACTION_PUBLIC,        NULL },
  { "POST", "/api/v1/login",                 DG_ACTION_PUBLIC,        handle_login },
  { "POST", "/api/v1/logout",                DG_ACTION_SIGN_OUT,      handle_logout },
  { "POST", "/api/v1/changes",               DG_ACTION_PUSH,          handle_push },
  { "GET",  "/api/v1/changes",               DG_ACTION_READ_RECORD,   handle_pull },
  { "GET",  "/api/v1/records/{id}/history",  DG_ACTION_READ_RECORD,   handle_history },
  { "POST", "/api/v1/records/{id}/return",   DG_ACTION_RETURN_RECORD, handle_return },
  { "POST", "/api/v1/months/{month}/close",  DG_ACTION_CLOSE_MONTH,   handle_close },
  { "POST", "/api/v1/months/{month}/reopen", DG_ACTION_REOPEN_MONTH,  handle_reopen },
  { "GET",  "/api/v1/reports/dustfall",      DG_ACTION_READ_RANKING,  handle_dustfall },
  { "GET",  "/api/v1/reports/roads",         DG_ACTION_READ_RANKING,  handle_roads },
  { "GET",  "/api/v1/reports/quota",         DG_ACTION_READ_QUOTA,    handle_quota },
  { "GET",  "/api/v1/reports/assessment",    DG_ACTION_READ_RANKING,  handle_assessment },
};

/* Logins wait in a queue of their own for one of this many threads, the number of Argon2 hashes
 * DgAuth runs at once, so a flood of them neither holds every thread of GTask's pool (which
 * pushes and pulls need) nor more than two hashes' memory. Past the queue's length, 503. */
#define LOGIN_THREADS     2
#define MAX_QUEUED_LOGINS 256

/* Connections the kernel may hold waiting for accept(). */
#define LISTEN_BACKLOG 256

#define DEFAULT_PULL_LIMIT 500
#define MAX_PULL_LIMIT     1000

/* ---- Helpers ---- */

static void
stop_receiving (DgServer    *self,
                MessageInfo *info)
{
  if (!info->receiving)
    return;

  info->receiving = FALSE;
  g_assert (self->n_receiving > 0);
  self->n_receiving--;
}

static void
message_info_free (MessageInfo *info)
{
  g_free (info->user);
  g_clear_pointer (&info->context, g_main_context_unref);
  g_free (info);
}

static MessageInfo *
message_info (SoupServerMessage *msg)
{
  MessageInfo *info = g_object_get_data (G_OBJECT (msg), MESSAGE_INFO_KEY);

  if (info == NULL)
    {
      info = g_new0 (MessageInfo, 1);
      info->started = g_get_monotonic_time ();
      g_object_set_data_full (G_OBJECT (msg), MESSAGE_INFO_KEY, info,
                              (GDestroyNotify) message_info_free);
    }

  return info;
}

static void
request_free (Request *req)
{
  g_free (req->capture);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  if (req->token != NULL)
    memset (req->token, 0, strlen (req->token));
  g_free (req->token);
  g_free (req->user);
  g_clear_pointer (&req->response, json_node_unref);
  g_clear_pointer (&req->file, g_bytes_unref);
  g_free (req->filename);
  g_free (req);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  char *text = dg_json_to_string (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

static void
respond_error (SoupServerMessage *msg,
               const GError      *error)
{
  g_autoptr(JsonNode) node = dg_error_to_json (error);
  guint status = error->domain == DG_ERROR ? dg_error_code_http_status (error->code) : 500;

  respond_json (msg, status, node);
}

static void
respond_error_code (SoupServerMessage *msg,
                    DgErrorCode        code,
                    const char        *field,
                    const char        *message)
{
  g_autoptr(GError) error = NULL;

  dg_set_error (&error, code, field, "%s", message);
  respond_error (msg, error);
}

/* Matches @path against @pattern; the one placeholder's segment goes to @capture. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **capture)
{
  g_auto(GStrv) p = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) s = g_strsplit (path, "/", -1);
  guint n = g_strv_length (p);

  if (g_strv_length (s) != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (p[i][0] == '{')
        {
          if (s[i][0] == '\0')
            return FALSE;
          g_free (*capture);
          *capture = g_strdup (s[i]);
        }
      else if (strcmp (p[i], s[i]) != 0)
        {
          return FALSE;
        }
    }

  return TRUE;
}

static const char *
query_get (Request    *req,
           const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

static JsonNode *
parse_body (Request  *req,
            GError  **error)
{
  gsize size = 0;
  const char *data = req->body != NULL ? g_bytes_get_data (req->body, &size) : NULL;
  JsonNode *root;

  if (size == 0)
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "a JSON body is required");
      return NULL;
    }

  root = dg_json_parse (data, size, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "the body must be a JSON object");
      return NULL;
    }

  return root;
}

static gboolean
get_month_param (Request  *req,
                 GError  **error)
{
  const char *month = query_get (req, "month");

  if (month == NULL || !dg_month_is_valid (month))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month", "month must be YYYY-MM");
      return FALSE;
    }

  g_free (req->capture);
  req->capture = g_strdup (month);
  return TRUE;
}

static JsonNode *
status_ok_node (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ---- Route handlers (worker threads) ---- */

static void
handle_login (DgServer  *self,
              Request   *req,
              GError   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_at = NULL;
  DgRole role = DG_ROLE_INSPECTOR;
  JsonObject *object;

  root = parse_body (req, error);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  if (!dg_json_get_string (object, "username", DG_MAX_STRING_BYTES, &username, error) ||
      !dg_json_get_string (object, "password", DG_MAX_STRING_BYTES, &password, error))
    return;

  token = dg_auth_login (self->auth, username, password, &role, &expires_at, &req->retry_after,
                         error);
  if (password != NULL)
    memset (password, 0, strlen (password));
  if (token == NULL)
    {
      /* Failed logins are logged under the name tried, never with the password. */
      req->user = g_strdup (username);
      return;
    }

  req->user = g_strdup (username);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, dg_role_to_string (role));
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_at);
  json_builder_end_object (builder);

  memset (token, 0, strlen (token));
  req->response = json_builder_get_root (builder);
}

static void
handle_logout (DgServer  *self,
               Request   *req,
               GError   **error)
{
  if (!dg_auth_revoke_token (self->auth, req->token, error))
    return;

  req->response = status_ok_node ();
}

static void
handle_push (DgServer  *self,
             Request   *req,
             GError   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonArray) out = NULL;
  JsonArray *changes = NULL;
  JsonObject *object;
  g_autoptr(JsonObject) response = NULL;

  root = parse_body (req, error);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  if (!dg_json_get_array (object, "changes", &changes, error))
    return;
  if (json_array_get_length (changes) > DG_MAX_BATCH_CHANGES)
    {
      dg_set_error (error, DG_ERROR_TOO_LARGE, "changes",
                    "at most %d changes per batch", DG_MAX_BATCH_CHANGES);
      return;
    }

  results = dg_store_apply_changes (self->store, req->user, req->role, changes, error);
  if (results == NULL)
    return;

  out = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    json_array_add_element (out, dg_result_to_json (g_ptr_array_index (results, i)));

  response = json_object_new ();
  json_object_set_array_member (response, "results", g_steal_pointer (&out));
  req->response = json_node_init_object (json_node_alloc (), response);
}

static gboolean
parse_int_param (Request     *req,
                 const char  *name,
                 gint64       fallback,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  const char *text = query_get (req, name);

  if (text == NULL || *text == '\0')
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_signed (text, 10, min, max, out, NULL))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, name,
                    "%s must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                    name, min, max);
      return FALSE;
    }

  return TRUE;
}

static void
handle_pull (DgServer  *self,
             Request   *req,
             GError   **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonArray) out = NULL;
  gint64 since, limit, next = 0;
  gboolean more = FALSE;

  if (!parse_int_param (req, "since", 0, 0, G_MAXINT64, &since, error) ||
      !parse_int_param (req, "limit", DEFAULT_PULL_LIMIT, 1, MAX_PULL_LIMIT, &limit, error))
    return;

  records = dg_store_pull (self->store, req->user, req->role, since, (guint) limit, &next, &more,
                           error);
  if (records == NULL)
    return;

  out = json_array_sized_new (records->len);
  for (guint i = 0; i < records->len; i++)
    json_array_add_element (out, dg_record_to_json (g_ptr_array_index (records, i)));

  response = json_object_new ();
  json_object_set_array_member (response, "changes", g_steal_pointer (&out));
  json_object_set_int_member (response, "next", next);
  json_object_set_boolean_member (response, "more", more);
  req->response = json_node_init_object (json_node_alloc (), response);
}

static void
handle_history (DgServer  *self,
                Request   *req,
                GError   **error)
{
  g_autoptr(DgRecord) record = NULL;

  record = dg_store_get_record (self->store, req->capture, error);
  if (record == NULL)
    return;

  if (!dg_policy_allows (req->role, DG_ACTION_READ_RECORD,
                         dg_policy_scope_for (record->author, req->user)))
    {
      dg_set_error (error, DG_ERROR_FORBIDDEN, NULL,
                    "only the office, an administrator or its author may read this history");
      return;
    }

  req->response = dg_store_get_history (self->store, req->capture, error);
}

static void
handle_return (DgServer  *self,
               Request   *req,
               GError   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autofree char *reason = NULL;

  root = parse_body (req, error);
  if (root == NULL)
    return;

  if (!dg_json_get_string (json_node_get_object (root), "reason", DG_MAX_STRING_BYTES, &reason,
                           error))
    return;
  if (*g_strstrip (reason) == '\0')
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "reason", "reason must not be empty");
      return;
    }

  record = dg_store_return_record (self->store, req->capture, reason, req->user, error);
  if (record == NULL)
    return;

  req->response = dg_record_to_json (record);
}

static void
set_month_closed (DgServer  *self,
                  Request   *req,
                  gboolean   closed,
                  GError   **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!dg_store_set_month_closed (self->store, req->capture, closed, req->user, error))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, req->capture);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, closed);
  json_builder_end_object (builder);
  req->response = json_builder_get_root (builder);
}

static void
handle_close (DgServer  *self,
              Request   *req,
              GError   **error)
{
  set_month_closed (self, req, TRUE, error);
}

static void
handle_reopen (DgServer  *self,
               Request   *req,
               GError   **error)
{
  set_month_closed (self, req, FALSE, error);
}

static void
handle_dustfall (DgServer  *self,
                 Request   *req,
                 GError   **error)
{
  if (get_month_param (req, error))
    req->response = dg_reports_dustfall (self->store, req->capture, error);
}

static void
handle_roads (DgServer  *self,
              Request   *req,
              GError   **error)
{
  if (get_month_param (req, error))
    req->response = dg_reports_roads (self->store, req->capture, error);
}

static void
handle_quota (DgServer  *self,
              Request   *req,
              GError   **error)
{
  if (get_month_param (req, error))
    req->response = dg_reports_quota (self->store, req->capture, NULL, error);
}

static void
handle_assessment (DgServer  *self,
                   Request   *req,
                   GError   **error)
{
  const char *format_name = query_get (req, "format");
  const char *section_name = query_get (req, "section");
  DgAssessmentFormat format = DG_ASSESSMENT_FORMAT_JSON;
  DgAssessmentSection section = DG_ASSESSMENT_SECTION_DUSTFALL;

  if (!get_month_param (req, error))
    return;

  if (format_name != NULL && !dg_assessment_format_from_string (format_name, &format))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "format",
                    "format must be json, csv, xlsx or pdf");
      return;
    }
  if (!dg_assessment_section_from_string (section_name, &section))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "section",
                    "section must be dustfall, roads or quota");
      return;
    }

  if (format == DG_ASSESSMENT_FORMAT_JSON)
    {
      req->response = dg_reports_assessment (self->store, req->capture, error);
      return;
    }

  req->file = dg_reports_assessment_file (self->store, req->capture, format, section, error);
  if (req->file == NULL)
    return;

  req->content_type = dg_assessment_format_content_type (format);
  req->filename = g_strdup_printf ("dustgrid-assessment-%s%s%s.%s", req->capture,
                                   format == DG_ASSESSMENT_FORMAT_CSV ? "-" : "",
                                   format == DG_ASSESSMENT_FORMAT_CSV
                                     ? dg_assessment_section_to_string (section) : "",
                                   dg_assessment_format_to_string (format));
}

/* ---- Request flow ---- */

static void
run_request_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DgServer *self = source_object;
  Request *req = task_data;
  g_autoptr(GError) error = NULL;
  RouteHandler handler = req->route->handler;

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

  handler (self, req, &error);
  if (error == NULL && req->response == NULL && req->file == NULL)
    dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "the request produced no response");

out:
  if (error != NULL)
    {
      g_clear_pointer (&req->response, json_node_unref);
      g_clear_pointer (&req->file, g_bytes_unref);
      req->status = error->domain == DG_ERROR ? dg_error_code_http_status (error->code) : 500;
      req->response = dg_error_to_json (error);
      /* A full disk or a busy database (503) is an operational state, not a bug. */
      if (req->status == 503)
        fprintf (stderr, "%s %s: %s\n", req->route->method, req->route->pattern, error->message);
      else if (req->status >= 500)
        g_warning ("%s %s: %s", req->route->method, req->route->pattern, error->message);
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
  Request *req = g_task_get_task_data (G_TASK (result));
  MessageInfo *info = message_info (msg);

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
      soup_server_message_set_status (msg, req->status, NULL);
      soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (req->file, NULL),
                                        g_bytes_get_size (req->file));
    }
  else
    {
      respond_json (msg, req->status, req->response);
    }
  soup_server_message_unpause (msg);
}

static char *
bearer_token (SoupServerMessage *msg)
{
  const char *value;

  value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization");
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  value += 7;
  while (*value == ' ')
    value++;

  return g_strdup (value);
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
  const DgRoute *route = NULL;
  g_autofree char *capture = NULL;
  gboolean path_matched = FALSE;
  SoupMessageBody *body;
  MessageInfo *info = message_info (msg);
  Request *req;
  GTask *task;

  /* A request the client had begun to send before the shutdown is served: only those that
   * started after it are refused. */
  if (self->shutting_down && !info->admitted)
    {
      respond_error_code (msg, DG_ERROR_UNAVAILABLE, NULL, "the server is shutting down");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!match_pattern (routes[i].pattern, path, &capture))
        continue;
      path_matched = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        {
          route = &routes[i];
          break;
        }
    }

  if (route == NULL)
    {
      /* The contract maps not_found to 404, so a known path with another method answers 404
       * too, naming what went wrong. */
      respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL,
                          path_matched ? "this method is not allowed on this path"
                                       : "no such route");
      return;
    }

  /* The body was counted as it came (an early handler refused a large Content-Length). */
  body = soup_server_message_get_request_body (msg);
  if (info->body_bytes > DG_MAX_BODY_BYTES || (body != NULL && body->length > DG_MAX_BODY_BYTES))
    {
      respond_error_code (msg, DG_ERROR_TOO_LARGE, NULL, "the body is larger than 8 MiB");
      return;
    }

  if (route->handler == NULL)
    {
      g_autoptr(JsonNode) node = status_ok_node ();

      respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (route->handler == handle_login &&
      g_thread_pool_unprocessed (self->login_pool) >= MAX_QUEUED_LOGINS)
    {
      respond_error_code (msg, DG_ERROR_UNAVAILABLE, NULL, "too many logins at once");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "5");
      return;
    }

  if (strstr (route->pattern, "{id}") != NULL && !dg_uuid_is_valid (capture))
    {
      respond_error_code (msg, DG_ERROR_NOT_FOUND, NULL, "no such record");
      return;
    }
  if (strstr (route->pattern, "{month}") != NULL && !dg_month_is_valid (capture))
    {
      respond_error_code (msg, DG_ERROR_INVALID_FIELD, "month", "month must be YYYY-MM");
      return;
    }

  req = g_new0 (Request, 1);
  req->route = route;
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
  req->token = bearer_token (msg);

  soup_server_message_pause (msg);
  info->in_flight = TRUE;
  self->n_in_flight++;

  task = g_task_new (self, NULL, request_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, handler_cb);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  if (route->handler == handle_login)
    g_thread_pool_push (self->login_pool, g_object_ref (task), NULL);
  else
    g_task_run_in_thread (task, run_request_thread);
  g_object_unref (task);
}

/* A request must arrive whole within the idle timeout: its headers within that many seconds of
 * the connection opening or of the previous response on a kept-alive connection, and each
 * piece of its body within that many seconds of the one before. libsoup 3.2 has no timeout of
 * its own on the server side, so without this an idle or slowloris client holds its connection
 * (and a file descriptor) for ever. The deadline is data of the connection's GSocket, which
 * outlives each message on it; when it passes, the socket is shut down, libsoup sees the end
 * of the stream and drops the connection. Once a body is in, the deadline is lifted until the
 * response has been written: the work and the answer are the server's business. */
typedef struct
{
  GSocket  *socket;         /* not a reference: the deadline is the socket's data */
  GSource  *source;
  char     *host;
  guint     seconds;
  gboolean  log;
} Deadline;

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
arm_deadline (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  MessageInfo *info = message_info (msg);
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

static void
disarm_deadline (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), DEADLINE_KEY, NULL);
}

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

/* Answers @status on the raw connection and closes it. libsoup 3.2 goes on reading a body even
 * when a got-headers handler has set a status (unless the client asked "Expect: 100-continue"),
 * so the connection is taken from it before a byte of the body is read. */
static void
refuse_connection (DgServer          *self,
                   SoupServerMessage *msg,
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

  dg_set_error (&error, code, NULL, "%s", message);
  node = dg_error_to_json (error);
  body = dg_json_to_string (node);
  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json; charset=utf-8\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n"
                              "\r\n%s", status, soup_status_get_phrase (status), strlen (body),
                              body);

  /* The connection is ours from here on: the request deadline must not shut it down, and
   * libsoup will not tell when the request is over. */
  message_info (msg)->stolen = TRUE;
  stop_receiving (self, message_info (msg));
  disarm_deadline (msg);

  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_object_ref (socket);

  if (self->log_requests)
    {
      GUri *uri = soup_server_message_get_uri (msg);

      fprintf (stderr, "%s %s %u %.1fms user=-\n", method != NULL ? method : "-",
               uri != NULL ? g_uri_get_path (uri) : "-", status,
               (g_get_monotonic_time () - message_info (msg)->started) / 1000.0);
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

/* Refuses, before reading any of the body, a request whose length is ambiguous (the way to
 * smuggle a second request past a proxy) or announced larger than the limit. */
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
  MessageInfo *info = message_info (msg);

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
  if (content_length != NULL &&
      soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    {
      refuse_connection (self, msg, SOUP_STATUS_BAD_REQUEST, DG_ERROR_BAD_JSON,
                         "Content-Length together with Transfer-Encoding");
      return;
    }

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      soup_message_headers_get_content_length (headers) <= DG_MAX_BODY_BYTES)
    return;

  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      /* libsoup answers with this status instead of "100 Continue" and reads no body. */
      respond_error_code (msg, DG_ERROR_TOO_LARGE, NULL, "the body is larger than 8 MiB");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  refuse_connection (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, DG_ERROR_TOO_LARGE,
                     "the body is larger than 8 MiB");
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  arm_deadline (msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  MessageInfo *info = message_info (msg);

  info->body_bytes += g_bytes_get_size (chunk);
  arm_deadline (msg);
}

static void
got_body_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  disarm_deadline (msg);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    DgServer          *self)
{
  MessageInfo *info = message_info (msg);

  info->idle_timeout = self->idle_timeout;
  info->log_requests = self->log_requests;
  info->context = g_main_context_ref (self->context);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  arm_deadline (msg);
}

static void
log_request (DgServer          *self,
             SoupServerMessage *msg,
             gboolean           aborted)
{
  MessageInfo *info = message_info (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  double ms = (g_get_monotonic_time () - info->started) / 1000.0;

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
   * password in a body, neither of which is ever logged. */
  /* A connection closed before its request line has no method. */
  fprintf (stderr, "%s %s %u%s %.1fms user=%s\n",
           soup_server_message_get_method (msg) != NULL ? soup_server_message_get_method (msg)
                                                        : "-",
           uri != NULL ? g_uri_get_path (uri) : "-",
           soup_server_message_get_status (msg),
           aborted ? " aborted" : "",
           ms,
           info->user != NULL ? info->user : "-");
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     DgServer          *self)
{
  log_request (self, msg, FALSE);
  /* A kept-alive connection waits for its next request from now on. */
  arm_deadline (msg);
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
