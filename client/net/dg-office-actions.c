/* dg-office-actions.c
 *
 * Each call is one POST answered with JSON; a 200 completes the task, any other status becomes
 * the server's error object read back by dg_error_from_json(). The session lives on the main
 * context: libsoup's _async calls never block it.
 */

#define G_LOG_DOMAIN "dg-office-actions"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "dg-office-actions.h"

#define HTTP_TIMEOUT_S 30

struct _DgOfficeActions
{
  GObject      parent_instance;

  SoupSession *session;
  char        *server_url;
  char        *token;
};

G_DEFINE_FINAL_TYPE (DgOfficeActions, dg_office_actions, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize size;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                                 _("Cannot reach the server: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &size);
  root = dg_json_parse (data ? data : "", size, NULL);

  if (status == SOUP_STATUS_OK)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (root != NULL && (error = dg_error_from_json (root)) != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, DG_ERROR, DG_ERROR_INTERNAL, _("The server answered %u: %s"),
                             status, soup_message_get_reason_phrase (msg));
}

static void
post (DgOfficeActions     *self,
      const char          *path,
      JsonNode            *body,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *text = NULL;
  gsize length;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (self->token == NULL || self->server_url == NULL || self->server_url[0] == '\0')
    {
      g_task_return_new_error (task, DG_ERROR, DG_ERROR_UNAUTHORIZED,
                               _("Sign in to a server first"));
      return;
    }

  url = g_strconcat (self->server_url, path, NULL);
  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a valid server address"), self->server_url);
      return;
    }

  bearer = g_strdup_printf ("Bearer %s", self->token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  text = body != NULL ? dg_json_to_string (body) : g_strdup ("{}");
  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

static gboolean
finish (DgOfficeActions  *self,
        GAsyncResult     *result,
        gpointer          source_tag,
        GError          **error)
{
  g_return_val_if_fail (DG_IS_OFFICE_ACTIONS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
dg_office_actions_finalize (GObject *object)
{
  DgOfficeActions *self = (DgOfficeActions *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (dg_office_actions_parent_class)->finalize (object);
}

static void
dg_office_actions_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DgOfficeActions *self = DG_OFFICE_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_actions_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DgOfficeActions *self = DG_OFFICE_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      dg_office_actions_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      dg_office_actions_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_actions_class_init (DgOfficeActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_office_actions_finalize;
  object_class->get_property = dg_office_actions_get_property;
  object_class->set_property = dg_office_actions_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dg_office_actions_init (DgOfficeActions *self)
{
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "idle-timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", "dustgrid/" PACKAGE_VERSION,
                                                 NULL);
}

DgOfficeActions *
dg_office_actions_new (const char *server_url,
                       const char *token)
{
  return g_object_new (DG_TYPE_OFFICE_ACTIONS,
                       "server-url", server_url,
                       "token", token,
                       NULL);
}

DgOfficeActions *
dg_office_actions_new_for_engine (DgSyncEngine *engine)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (engine), NULL);

  return dg_office_actions_new (dg_sync_engine_get_server_url (engine),
                                dg_token_store_get_token (dg_sync_engine_get_tokens (engine)));
}

const char *
dg_office_actions_get_server_url (DgOfficeActions *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ACTIONS (self), NULL);
  return self->server_url;
}

void
dg_office_actions_set_server_url (DgOfficeActions *self,
                                  const char      *server_url)
{
  g_autofree char *url = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));

  /* Paths are appended to the base: one trailing slash too many would make them "//api". */
  url = g_strdup (server_url);
  while (url != NULL && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  if (g_strcmp0 (self->server_url, url) == 0)
    return;
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

const char *
dg_office_actions_get_token (DgOfficeActions *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ACTIONS (self), NULL);
  return self->token;
}

void
dg_office_actions_set_token (DgOfficeActions *self,
                             const char      *token)
{
  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
dg_office_actions_close_month_async (DgOfficeActions     *self,
                                     const char          *month,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));
  g_return_if_fail (dg_month_is_valid (month));

  path = g_strdup_printf ("/api/v1/months/%s/close", month);
  post (self, path, NULL, dg_office_actions_close_month_async, cancellable, callback, user_data);
}

gboolean
dg_office_actions_close_month_finish (DgOfficeActions  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return finish (self, result, dg_office_actions_close_month_async, error);
}

void
dg_office_actions_reopen_month_async (DgOfficeActions     *self,
                                      const char          *month,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));
  g_return_if_fail (dg_month_is_valid (month));

  path = g_strdup_printf ("/api/v1/months/%s/reopen", month);
  post (self, path, NULL, dg_office_actions_reopen_month_async, cancellable, callback,
        user_data);
}

gboolean
dg_office_actions_reopen_month_finish (DgOfficeActions  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  return finish (self, result, dg_office_actions_reopen_month_async, error);
}

void
dg_office_actions_return_record_async (DgOfficeActions     *self,
                                       const char          *record_id,
                                       const char          *reason,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));
  g_return_if_fail (record_id != NULL);
  g_return_if_fail (reason != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = g_uri_escape_string (record_id, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/records/%s/return", escaped);
  post (self, path, body, dg_office_actions_return_record_async, cancellable, callback,
        user_data);
}

gboolean
dg_office_actions_return_record_finish (DgOfficeActions  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  return finish (self, result, dg_office_actions_return_record_async, error);
}
