/* dg-api-client.c
 *
 * libsoup 3.2 lets one session send from several threads at once, but not change its properties
 * once it has been used: a new CA file therefore makes a new session, and a call holds a
 * reference to the session it started on. The settings are read under a mutex, as a sync run's
 * worker reads them while the main thread may be setting them.
 */

#define G_LOG_DOMAIN "dg-api-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "dustgrid-common.h"
#include "dg-api-client.h"

#define HTTP_TIMEOUT_S 30

struct _DgApiClient
{
  GObject      parent_instance;

  GMutex       lock;
  SoupSession *session;     /* made on first use, dropped when the CA file changes */
  char        *base_url;
  char        *ca_file;     /* NULL: the system's CAs */
  char        *token;
};

G_DEFINE_FINAL_TYPE (DgApiClient, dg_api_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (dg-api-error-quark, dg_api_error)

/* Certificates are checked against the system's CAs (GIO's default database), or only against
 * those of @ca_file when one is named: a district's server may carry a certificate from its own
 * authority. */
static SoupSession *
make_session (const char  *ca_file,
              GError     **error)
{
  g_autoptr(SoupSession) session = NULL;

  session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                           "idle-timeout", HTTP_TIMEOUT_S,
                                           "user-agent", "dustgrid/" PACKAGE_VERSION,
                                           NULL);
  if (ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) local_error = NULL;

      database = g_tls_file_database_new (ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, DG_API_ERROR, DG_API_ERROR_CERTIFICATE,
                       _("Cannot read the certificate authority file “%s”: %s"), ca_file,
                       local_error->message);
          return NULL;
        }
      soup_session_set_tls_database (session, database);
    }
  return g_steal_pointer (&session);
}

/* The session, URL and token one call uses, taken together so that they belong together. */
static SoupSession *
begin_call (DgApiClient     *self,
            DgApiCallFlags   flags,
            const char      *path,
            char           **url,
            char           **token,
            GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->base_url == NULL || self->base_url[0] == '\0')
    {
      g_set_error (error, DG_API_ERROR, DG_API_ERROR_INVALID_URL, _("No server is set"));
      return NULL;
    }
  if (self->session == NULL)
    {
      self->session = make_session (self->ca_file, error);
      if (self->session == NULL)
        return NULL;
    }
  *url = g_strconcat (self->base_url, path, NULL);
  *token = (flags & DG_API_CALL_ANONYMOUS) ? NULL : g_strdup (self->token);
  return g_object_ref (self->session);
}

/* Why the server's certificate was refused, in the user's words. */
static char *
describe_certificate_flags (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, (gpointer) _("it is not signed by a trusted certificate authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it does not belong to this server address"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("it uses an insecure algorithm"));
  if (reasons->len == 0)
    g_ptr_array_add (reasons, (gpointer) _("it cannot be verified"));
  g_ptr_array_add (reasons, NULL);

  /* Translators: the separator between the reasons a certificate was refused. */
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

/* Remembers how the certificate failed; returning FALSE refuses it, as libsoup would. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  *(GTlsCertificateFlags *) user_data = errors;
  return FALSE;
}

/* A request that got no answer: cancelled, refused certificate, or no connection. */
static void
set_transport_error (GError              **error,
                     GError               *local_error,
                     GTlsCertificateFlags  certificate_errors)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (local_error));
  else if (local_error->domain == G_TLS_ERROR && certificate_errors != 0)
    {
      /* Not "offline": trying again will not help until the user names the right CA. */
      g_autofree char *why = describe_certificate_flags (certificate_errors);

      g_set_error (error, DG_API_ERROR, DG_API_ERROR_CERTIFICATE,
                   _("The server’s certificate is not trusted: %s. If the server uses its "
                     "own certificate authority, name its file in the sign-in dialog."), why);
    }
  else if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    g_set_error (error, DG_API_ERROR, DG_API_ERROR_CERTIFICATE,
                 _("The server’s certificate is not trusted: %s"), local_error->message);
  else
    g_set_error (error, DG_API_ERROR, DG_API_ERROR_NETWORK,
                 _("Cannot reach the server: %s"), local_error->message);
}

/* An answer other than 200: the server's own error object when it sent one (design 4). */
static void
set_status_error (GError      **error,
                  SoupMessage  *msg,
                  JsonNode     *root)
{
  guint status = soup_message_get_status (msg);
  GError *server_error = root != NULL ? dg_error_from_json (root) : NULL;

  if (server_error != NULL && server_error->domain == DG_ERROR &&
      !(server_error->code == DG_ERROR_INTERNAL && status < 500))
    {
      g_propagate_error (error, server_error);
      return;
    }
  g_clear_error (&server_error);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error_literal (error, DG_ERROR, DG_ERROR_UNAUTHORIZED,
                         soup_message_get_reason_phrase (msg));
  else
    g_set_error (error, DG_API_ERROR, status >= 500 ? DG_API_ERROR_SERVER : DG_API_ERROR_PROTOCOL,
                 _("The server answered %u: %s"), status, soup_message_get_reason_phrase (msg));
}

/* Sends @method @path and returns the answer's body and message, or NULL with the error. */
static GBytes *
send (DgApiClient     *self,
      DgApiCallFlags   flags,
      const char      *method,
      const char      *path,
      const char      *body,
      const char      *token_override,
      SoupMessage    **msg_out,
      GCancellable    *cancellable,
      GError         **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  GTlsCertificateFlags certificate_errors = 0;

  session = begin_call (self, flags, path, &url, &token, error);
  if (session == NULL)
    return NULL;
  if (token_override != NULL)
    {
      g_free (token);
      token = g_strdup (token_override);
    }

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, DG_API_ERROR, DG_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid server address"), url);
      return NULL;
    }
  if (token != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                    &certificate_errors);

  response = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (response == NULL)
    {
      set_transport_error (error, local_error, certificate_errors);
      return NULL;
    }
  *msg_out = g_steal_pointer (&msg);
  return g_steal_pointer (&response);
}

static void
dg_api_client_finalize (GObject *object)
{
  DgApiClient *self = (DgApiClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->token, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dg_api_client_parent_class)->finalize (object);
}

static void
dg_api_client_class_init (DgApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_api_client_finalize;
}

static void
dg_api_client_init (DgApiClient *self)
{
  g_mutex_init (&self->lock);
}

DgApiClient *
dg_api_client_new (const char *base_url)
{
  DgApiClient *self = g_object_new (DG_TYPE_API_CLIENT, NULL);

  dg_api_client_set_base_url (self, base_url);
  return self;
}

char *
dg_api_client_dup_base_url (DgApiClient *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  return g_strdup (self->base_url);
}

void
dg_api_client_set_base_url (DgApiClient *self,
                            const char  *base_url)
{
  g_autoptr(GMutexLocker) locker = NULL;
  char *url;

  g_return_if_fail (DG_IS_API_CLIENT (self));

  /* Paths are appended to the base: one trailing slash too many would make them "//api". */
  url = g_strdup (base_url);
  while (url != NULL && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  locker = g_mutex_locker_new (&self->lock);
  g_free (self->base_url);
  self->base_url = url;
}

char *
dg_api_client_dup_ca_file (DgApiClient *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  return g_strdup (self->ca_file ? self->ca_file : "");
}

void
dg_api_client_set_ca_file (DgApiClient *self,
                           const char  *ca_file)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (DG_IS_API_CLIENT (self));

  if (ca_file != NULL && ca_file[0] == '\0')
    ca_file = NULL;
  locker = g_mutex_locker_new (&self->lock);
  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  /* Calls in flight keep the session they started on. */
  g_clear_object (&self->session);
}

char *
dg_api_client_dup_token (DgApiClient *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  return g_strdup (self->token);
}

void
dg_api_client_set_token (DgApiClient *self,
                         const char  *token)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (DG_IS_API_CLIENT (self));
  locker = g_mutex_locker_new (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
}

gboolean
dg_api_client_has_token (DgApiClient *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  return self->token != NULL;
}

/* A call with the token of @token_override (NULL: the client's). */
static JsonNode *
call_json (DgApiClient     *self,
           DgApiCallFlags   flags,
           const char      *method,
           const char      *path,
           const char      *body,
           const char      *token_override,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize size;

  response = send (self, flags, method, path, body, token_override, &msg, cancellable, error);
  if (response == NULL)
    return NULL;

  data = g_bytes_get_data (response, &size);
  root = dg_json_parse (data ? data : "", size, NULL);
  /* 201 Created answers POST /api/v1/users. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      set_status_error (error, msg, root);
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DG_API_ERROR, DG_API_ERROR_PROTOCOL,
                   _("The server sent an answer that cannot be read"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

JsonNode *
dg_api_client_call (DgApiClient     *self,
                    DgApiCallFlags   flags,
                    const char      *method,
                    const char      *path,
                    const char      *body,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_return_val_if_fail (DG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);

  return call_json (self, flags, method, path, body, NULL, cancellable, error);
}

JsonNode *
dg_api_client_change_password (DgApiClient   *self,
                               const char    *old_password,
                               const char    *new_password,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (old_password != NULL && new_password != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "old_password");
  json_builder_add_string_value (builder, old_password);
  json_builder_set_member_name (builder, "new_password");
  json_builder_add_string_value (builder, new_password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = dg_json_to_string (body);

  root = dg_api_client_call (self, DG_API_CALL_DEFAULT, "POST", "/api/v1/password", text,
                             cancellable, error);
  memset (text, 0, strlen (text));
  return root;
}

/* Runs @thread_func on a worker over @data, the task tagged @source_tag: how every _async call
 * of the client starts. */
static void
start_in_thread (DgApiClient         *self,
                 gpointer             source_tag,
                 gpointer             data,
                 GDestroyNotify       data_free,
                 GTaskThreadFunc      thread_func,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);
  g_task_run_in_thread (task, thread_func);
}

/* A JSON call, or a download when @destination is set, on a worker. */
typedef struct
{
  DgApiCallFlags  flags;
  char           *method;
  char           *path;
  char           *body;
  GFile          *destination;
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->path);
  g_free (call->body);
  g_clear_object (&call->destination);
  g_free (call);
}

static void
call_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  JsonNode *root;

  if (call->destination != NULL)
    {
      if (dg_api_client_download (source_object, call->path, call->destination, cancellable,
                                  &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  root = dg_api_client_call (source_object, call->flags, call->method, call->path, call->body,
                             cancellable, &error);
  if (root != NULL)
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
  else
    g_task_return_error (task, error);
}

void
dg_api_client_call_async (DgApiClient         *self,
                          DgApiCallFlags       flags,
                          const char          *method,
                          const char          *path,
                          JsonNode            *body,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  call = g_new0 (Call, 1);
  call->flags = flags;
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->body = body != NULL ? dg_json_to_string (body) : NULL;

  start_in_thread (self, dg_api_client_call_async, call, (GDestroyNotify) call_free, call_thread,
                   cancellable, callback, user_data);
}

JsonNode *
dg_api_client_call_finish (DgApiClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_api_client_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
logout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = call_json (source_object, DG_API_CALL_DEFAULT, "POST", "/api/v1/logout", NULL,
                    task_data, cancellable, &error);
  if (root != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dg_api_client_logout_async (DgApiClient         *self,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (token != NULL);

  start_in_thread (self, dg_api_client_logout_async, g_strdup (token), g_free, logout_thread,
                   cancellable, callback, user_data);
}

gboolean
dg_api_client_logout_finish (DgApiClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Users ---- */

typedef enum
{
  USERS_LIST,
  USERS_ONE,      /* a create or a patch: the user back */
  USERS_REVOKE,
} UsersAnswer;

typedef struct
{
  UsersAnswer  answer;
  char        *method;
  char        *path;
  char        *body;
} UsersCall;

static void
users_call_free (UsersCall *call)
{
  g_free (call->method);
  g_free (call->path);
  if (call->body)
    memset (call->body, 0, strlen (call->body));   /* it may hold a password */
  g_free (call->body);
  g_free (call);
}

static void
users_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  UsersCall *call = task_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  JsonObject *object;

  root = dg_api_client_call (source_object, DG_API_CALL_DEFAULT, call->method, call->path,
                             call->body, cancellable, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (root);

  switch (call->answer)
    {
    case USERS_LIST:
      {
        g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_user_free);
        JsonArray *array = NULL;

        if (dg_json_get_array (object, "users", &array, &error))
          for (guint i = 0; error == NULL && i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);
              DgUser *user = JSON_NODE_HOLDS_OBJECT (node)
                ? dg_user_from_json (json_node_get_object (node), &error) : NULL;

              if (user != NULL)
                g_ptr_array_add (users, user);
              else if (error == NULL)
                g_set_error (&error, DG_API_ERROR, DG_API_ERROR_PROTOCOL,
                             _("The server sent an answer that cannot be read"));
            }
        if (error != NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, g_steal_pointer (&users), (GDestroyNotify) g_ptr_array_unref);
      }
      break;
    case USERS_ONE:
      {
        DgUser *user = dg_user_from_json (object, &error);

        if (user != NULL)
          g_task_return_pointer (task, user, (GDestroyNotify) dg_user_free);
        else
          g_task_return_error (task, error);
      }
      break;
    case USERS_REVOKE:
      {
        gint64 revoked = 0;

        if (dg_json_get_int (object, "revoked", 0, G_MAXINT32, &revoked, &error))
          g_task_return_int (task, revoked);
        else
          g_task_return_error (task, error);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
users_call_async (DgApiClient         *self,
                  UsersAnswer          answer,
                  const char          *method,
                  char                *path,
                  JsonNode            *body,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  UsersCall *call = g_new0 (UsersCall, 1);

  call->answer = answer;
  call->method = g_strdup (method);
  call->path = path;
  call->body = body != NULL ? dg_json_to_string (body) : NULL;
  start_in_thread (self, source_tag, call, (GDestroyNotify) users_call_free, users_thread,
                   cancellable, callback, user_data);
}

/* /api/v1/users/NAME@suffix, the name percent-encoded (张三 travels as %E5%BC%A0%E4%B8%89). */
static char *
user_path (const char *username,
           const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (username, NULL, FALSE);

  return g_strconcat ("/api/v1/users/", escaped, suffix, NULL);
}

void
dg_api_client_list_users_async (DgApiClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DG_IS_API_CLIENT (self));
  users_call_async (self, USERS_LIST, "GET", g_strdup ("/api/v1/users"), NULL,
                    dg_api_client_list_users_async, cancellable, callback, user_data);
}

GPtrArray *
dg_api_client_list_users_finish (DgApiClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_api_client_list_users_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dg_api_client_create_user_async (DgApiClient         *self,
                                 const DgUser        *user,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (user != NULL && user->username != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, dg_role_to_string (user->role));
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (user->display_name != NULL)
    {
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, user->display_name);
    }
  if (user->unit_id != NULL)
    {
      json_builder_set_member_name (builder, "unit_id");
      json_builder_add_string_value (builder, user->unit_id);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  users_call_async (self, USERS_ONE, "POST", g_strdup ("/api/v1/users"), body,
                    dg_api_client_create_user_async, cancellable, callback, user_data);
}

void
dg_api_client_patch_user_async (DgApiClient         *self,
                                const char          *username,
                                const DgUserPatch   *patch,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (username != NULL && patch != NULL);

  body = dg_user_patch_to_json (patch);
  users_call_async (self, USERS_ONE, "PATCH", user_path (username, ""), body,
                    dg_api_client_patch_user_async, cancellable, callback, user_data);
}

DgUser *
dg_api_client_user_finish (DgApiClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dg_api_client_revoke_user_async (DgApiClient         *self,
                                 const char          *username,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (username != NULL);
  users_call_async (self, USERS_REVOKE, "POST", user_path (username, "/revoke"), NULL,
                    dg_api_client_revoke_user_async, cancellable, callback, user_data);
}

gint64
dg_api_client_revoke_user_finish (DgApiClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

gboolean
dg_api_client_download (DgApiClient   *self,
                        const char    *path,
                        GFile         *destination,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  const char *data;
  gsize size;

  g_return_val_if_fail (DG_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

  response = send (self, DG_API_CALL_DEFAULT, SOUP_METHOD_GET, path, NULL, NULL, &msg, cancellable,
                   error);
  if (response == NULL)
    return FALSE;

  data = g_bytes_get_data (response, &size);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autoptr(JsonNode) root = dg_json_parse (data ? data : "", size, NULL);

      set_status_error (error, msg, root);
      return FALSE;
    }
  /* g_file_replace_contents writes a temporary file and renames it: a half file never shows. */
  return g_file_replace_contents (destination, data ? data : "", size, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}

void
dg_api_client_download_async (DgApiClient         *self,
                              const char          *path,
                              GFile               *destination,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (DG_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  call = g_new0 (Call, 1);
  call->path = g_strdup (path);
  call->destination = g_object_ref (destination);

  start_in_thread (self, dg_api_client_download_async, call, (GDestroyNotify) call_free,
                   call_thread, cancellable, callback, user_data);
}

gboolean
dg_api_client_download_finish (DgApiClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_api_client_download_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
