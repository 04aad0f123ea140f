/* dg-sync-engine-session.c: signing in, changing one's password and signing out.
 *
 * Each talks to the server in a worker thread through the engine's API client and keeps the
 * token store in step on the main thread; the sync itself is dg-sync-engine.c's.
 */

#define G_LOG_DOMAIN "dg-sync-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-sync-engine-private.h"

typedef struct
{
  DgTokenStore *tokens;
  DgLocalStore *store;
  char         *url;
  DgApiClient  *api;
  char         *username;
  char         *password;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->tokens);
  g_clear_object (&sign_in->store);
  g_free (sign_in->url);
  g_clear_object (&sign_in->api);
  g_free (sign_in->username);
  if (sign_in->password)
    memset (sign_in->password, 0, strlen (sign_in->password));
  g_free (sign_in->password);
  g_free (sign_in);
}

/* The answer of a login (and of a password change, which has the same shape): the token, and
 * the role, user name and expiry when present. FALSE, with the error set, when it has no token. */
static gboolean
read_login_answer (JsonObject  *object,
                   char       **token,
                   char       **role,
                   char       **username,
                   char       **expires_at,
                   GError     **error)
{
  if (!dg_json_get_string (object, "token", 4096, token, NULL))
    {
      g_set_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_PROTOCOL,
                   _("The server sent an answer that cannot be read"));
      return FALSE;
    }
  dg_json_get_string_opt (object, "role", 64, role, NULL);
  dg_json_get_string_opt (object, "username", 1024, username, NULL);
  dg_json_get_string_opt (object, "expires_at", 64, expires_at, NULL);
  return TRUE;
}

/* A session worker's answer, on the main thread: FALSE when it failed (the caller has heard);
 * TRUE when the new token is saved, which the API client then carries. */
static gboolean
take_new_token (DgSyncEngine *self,
                GAsyncResult *result,
                GTask        *task)
{
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }
  dg_api_client_set_token (self->api, dg_token_store_get_token (self->tokens));
  return TRUE;
}

/* Runs @thread_func over @data on a worker that answers @done_cb with @task. The worker takes
 * no cancellable: a token the server has issued is saved even if the caller cancels. */
static void
run_session_worker (DgSyncEngine        *self,
                    GTask               *task,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GTaskThreadFunc      thread_func,
                    GAsyncReadyCallback  done_cb)
{
  g_autoptr(GTask) worker = g_task_new (self, NULL, done_cb, task);

  g_task_set_source_tag (worker, done_cb);
  g_task_set_task_data (worker, data, data_free);
  g_task_run_in_thread (worker, thread_func);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *sign_in = task_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *role = NULL;
  g_autofree char *username = NULL;
  g_autofree char *expires_at = NULL;
  GError *error = NULL;
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, sign_in->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, sign_in->password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  text = dg_json_to_string (body);
  root = dg_api_client_call (sign_in->api, DG_API_CALL_ANONYMOUS, "POST", "/api/v1/login", text,
                             cancellable, &error);
  /* The password does not stay in freed memory. */
  memset (text, 0, strlen (text));
  if (root == NULL)
    {
      g_task_return_error (task, dg_sync_engine_error_from_api (error));
      return;
    }

  object = json_node_get_object (root);
  if (!read_login_answer (object, &token, &role, &username, &expires_at, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (username == NULL)
    username = g_strdup (sign_in->username);

  /* The store holds one user's records: another user's waiting edits must go out under their
   * author's name first, and once they have, the next user starts from a clean slate. */
  {
    g_autofree char *owner = dg_local_store_dup_owner (sign_in->store);

    if (owner != NULL && !g_str_equal (owner, username))
      {
        if (dg_local_store_count_pending (sign_in->store) > 0)
          {
            g_task_return_new_error (task, DG_SYNC_ERROR, DG_SYNC_ERROR_OTHER_USER,
                                     _("Changes recorded by %s have not been sent yet. Sign in "
                                       "as %s to send them first."), owner, owner);
            return;
          }
        if (!dg_local_store_forget_records (sign_in->store, &error))
          {
            g_task_return_error (task, error);
            return;
          }
      }
    if (!dg_local_store_set_owner (sign_in->store, username, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  }

  if (!dg_token_store_save (sign_in->tokens, sign_in->url, username, token, role, expires_at,
                            &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The worker's answer: the engine takes note of the new session, then the caller hears. */
static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DgSyncEngine *self = DG_SYNC_ENGINE (object);
  g_autoptr(GTask) task = user_data;

  if (!take_new_token (self, result, task))
    return;

  self->failures = 0;
  dg_sync_engine_notify_signed_in (self);
  dg_sync_engine_update_pending (self);
  dg_sync_engine_set_state (self, dg_sync_engine_idle_state (self), NULL);
  if (self->started)
    dg_sync_engine_sync_now (self);
  g_task_return_boolean (task, TRUE);
}

void
dg_sync_engine_sign_in_async (DgSyncEngine        *self,
                              const char          *server_url,
                              const char          *username,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignIn *sign_in;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));
  g_return_if_fail (server_url != NULL && username != NULL && password != NULL);

  dg_sync_engine_set_server_url (self, server_url);

  sign_in = g_new0 (SignIn, 1);
  sign_in->tokens = g_object_ref (self->tokens);
  sign_in->store = g_object_ref (self->store);
  sign_in->url = g_strdup (self->server_url);
  sign_in->api = g_object_ref (self->api);
  sign_in->username = g_strdup (username);
  sign_in->password = g_strdup (password);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_sync_engine_sign_in_async);

  /* The engine's own completion runs even if the caller cancels: the token may be saved. */
  run_session_worker (self, task, sign_in, (GDestroyNotify) sign_in_free, sign_in_thread,
                      signed_in_cb);
}

gboolean
dg_sync_engine_sign_in_finish (DgSyncEngine  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  DgTokenStore *tokens;
  DgApiClient  *api;
  char         *url;
  char         *username;
  char         *old_password;
  char         *new_password;
} PasswordChange;

static void
password_change_free (PasswordChange *change)
{
  g_clear_object (&change->tokens);
  g_clear_object (&change->api);
  g_free (change->url);
  g_free (change->username);
  if (change->old_password)
    memset (change->old_password, 0, strlen (change->old_password));
  g_free (change->old_password);
  if (change->new_password)
    memset (change->new_password, 0, strlen (change->new_password));
  g_free (change->new_password);
  g_free (change);
}

static void
password_change_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  PasswordChange *change = task_data;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *role = NULL;
  g_autofree char *expires_at = NULL;
  g_autofree char *username = NULL;
  GError *error = NULL;

  root = dg_api_client_change_password (change->api, change->old_password,
                                        change->new_password, cancellable, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The old token is revoked by now: the new one must be kept, or the session is lost. */
  if (read_login_answer (json_node_get_object (root), &token, &role, &username, &expires_at,
                         &error) &&
      dg_token_store_save (change->tokens, change->url, change->username, token, role,
                           expires_at, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
password_changed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  DgSyncEngine *self = DG_SYNC_ENGINE (object);
  g_autoptr(GTask) task = user_data;

  if (take_new_token (self, result, task))
    g_task_return_boolean (task, TRUE);
}

void
dg_sync_engine_change_password_async (DgSyncEngine        *self,
                                      const char          *old_password,
                                      const char          *new_password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  PasswordChange *change;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));
  g_return_if_fail (old_password != NULL && new_password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_sync_engine_change_password_async);
  if (!dg_sync_engine_get_signed_in (self))
    {
      g_task_return_new_error (task, DG_SYNC_ERROR, DG_SYNC_ERROR_NOT_SIGNED_IN,
                               _("Sign in to a server first"));
      g_object_unref (task);
      return;
    }

  change = g_new0 (PasswordChange, 1);
  change->tokens = g_object_ref (self->tokens);
  change->api = g_object_ref (self->api);
  change->url = g_strdup (self->server_url);
  change->username = g_strdup (dg_token_store_get_username (self->tokens));
  change->old_password = g_strdup (old_password);
  change->new_password = g_strdup (new_password);

  /* As with signing in, the new token is kept even if the caller cancels. */
  run_session_worker (self, task, change, (GDestroyNotify) password_change_free,
                      password_change_thread, password_changed_cb);
}

gboolean
dg_sync_engine_change_password_finish (DgSyncEngine  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
logged_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Offline, the token stays valid on the server until it expires: nothing more to do here. */
  if (!dg_api_client_logout_finish (DG_API_CLIENT (object), result, &error))
    g_debug ("The server did not revoke the session: %s", error->message);
}

void
dg_sync_engine_sign_out (DgSyncEngine *self)
{
  g_autofree char *token = NULL;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  /* The server revokes the token too, so a copy of it left elsewhere stops working. */
  token = g_strdup (dg_token_store_get_token (self->tokens));
  if (token != NULL)
    dg_api_client_logout_async (self->api, token, NULL, logged_out_cb, NULL);
  dg_token_store_clear (self->tokens);
  dg_api_client_set_token (self->api, NULL);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  dg_sync_engine_notify_signed_in (self);
  if (!self->running)
    dg_sync_engine_set_state (self, DG_SYNC_STATE_SIGNED_OUT, NULL);
}
