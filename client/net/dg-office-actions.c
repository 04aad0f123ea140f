/* dg-office-actions.c
 *
 * Each call is one request through the API client (the engine's, when made for one): its
 * session, CA file and token, and its mapping of the server's error objects to DG_ERROR.
 */

#define G_LOG_DOMAIN "dg-office-actions"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "dg-api-client.h"
#include "dg-office-actions.h"

struct _DgOfficeActions
{
  GObject      parent_instance;

  DgApiClient *api;
  char        *server_url;   /* what get_server_url() last returned */
  char        *token;        /* likewise for get_token() */
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
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  root = dg_api_client_call_finish (DG_API_CLIENT (object), result, &error);
  if (root != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Nothing is sent without a session: the server would only answer 401. */
static gboolean
check_signed_in (DgOfficeActions *self,
                 GTask           *task)
{
  g_autofree char *url = dg_api_client_dup_base_url (self->api);

  if (!dg_api_client_has_token (self->api) || url == NULL || url[0] == '\0')
    {
      g_task_return_new_error (task, DG_ERROR, DG_ERROR_UNAUTHORIZED,
                               _("Sign in to a server first"));
      return FALSE;
    }
  return TRUE;
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
  g_autoptr(JsonNode) empty = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  if (!check_signed_in (self, task))
    return;

  if (body == NULL)
    {
      /* json_node_init_object() takes a reference of its own on the object. */
      g_autoptr(JsonObject) object = json_object_new ();

      body = empty = json_node_init_object (json_node_alloc (), object);
    }
  dg_api_client_call_async (self->api, DG_API_CALL_DEFAULT, "POST", path, body, cancellable,
                            call_cb, g_steal_pointer (&task));
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

  g_clear_object (&self->api);
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
      g_value_take_string (value, dg_api_client_dup_base_url (self->api));
      break;
    case PROP_TOKEN:
      g_value_take_string (value, dg_api_client_dup_token (self->api));
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
}

DgOfficeActions *
dg_office_actions_new_for_client (DgApiClient *api)
{
  DgOfficeActions *self;

  g_return_val_if_fail (DG_IS_API_CLIENT (api), NULL);

  self = g_object_new (DG_TYPE_OFFICE_ACTIONS, NULL);
  self->api = g_object_ref (api);
  return self;
}

DgOfficeActions *
dg_office_actions_new (const char *server_url,
                       const char *token)
{
  g_autoptr(DgApiClient) api = dg_api_client_new (server_url);

  dg_api_client_set_token (api, token);
  return dg_office_actions_new_for_client (api);
}

DgOfficeActions *
dg_office_actions_new_for_engine (DgSyncEngine *engine)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (engine), NULL);

  return dg_office_actions_new_for_client (dg_sync_engine_get_api_client (engine));
}

const char *
dg_office_actions_get_server_url (DgOfficeActions *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ACTIONS (self), NULL);

  g_free (self->server_url);
  self->server_url = dg_api_client_dup_base_url (self->api);
  return self->server_url;
}

void
dg_office_actions_set_server_url (DgOfficeActions *self,
                                  const char      *server_url)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));

  before = dg_api_client_dup_base_url (self->api);
  dg_api_client_set_base_url (self->api, server_url);
  after = dg_api_client_dup_base_url (self->api);
  if (g_strcmp0 (before, after) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

const char *
dg_office_actions_get_token (DgOfficeActions *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ACTIONS (self), NULL);

  g_free (self->token);
  self->token = dg_api_client_dup_token (self->api);
  return self->token;
}

void
dg_office_actions_set_token (DgOfficeActions *self,
                             const char      *token)
{
  g_autofree char *before = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));

  before = dg_api_client_dup_token (self->api);
  if (g_strcmp0 (before, token) == 0)
    return;
  dg_api_client_set_token (self->api, token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
dg_office_actions_close_month_async (DgOfficeActions     *self,
                                     const char          *month,
                                     gboolean             force,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));
  g_return_if_fail (dg_month_is_valid (month));

  path = g_strdup_printf ("/api/v1/months/%s/close", month);
  if (force)
    {
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_boolean_member (object, "force", TRUE);
      body = json_node_init_object (json_node_alloc (), object);
    }
  post (self, path, body, dg_office_actions_close_month_async, cancellable, callback, user_data);
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

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (dg_api_client_download_finish (DG_API_CLIENT (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dg_office_actions_download_assessment_async (DgOfficeActions     *self,
                                             const char          *month,
                                             const char          *format,
                                             GFile               *destination,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DG_IS_OFFICE_ACTIONS (self));
  g_return_if_fail (dg_month_is_valid (month));
  g_return_if_fail (format != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_office_actions_download_assessment_async);
  if (!check_signed_in (self, task))
    return;

  path = g_strdup_printf ("/api/v1/reports/assessment?month=%s&format=%s", month, format);
  dg_api_client_download_async (self->api, path, destination, cancellable, download_cb,
                                g_steal_pointer (&task));
}

gboolean
dg_office_actions_download_assessment_finish (DgOfficeActions  *self,
                                              GAsyncResult     *result,
                                              GError          **error)
{
  return finish (self, result, dg_office_actions_download_assessment_async, error);
}
