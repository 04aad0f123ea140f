/* dg-routes-users.c: administering users, one's own password, and reading the audit log (design
 * 6.1), in worker threads.
 *
 * The shapes are common/dg-admin.h's, which the client's admin pages decode with the same
 * functions. Hashing a password (Argon2) happens here, before the store's transaction, so the
 * store's lock is never held for it.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <string.h>

#include "dg-routes.h"

#define DEFAULT_AUDIT_LIMIT 500
#define MAX_AUDIT_LIMIT     1000

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

void
dg_route_list_users (DgRequest  *req,
                     GError    **error)
{
  g_autoptr(GPtrArray) users = dg_store_list_users (req->store, error);
  g_autoptr(JsonArray) out = NULL;
  g_autoptr(JsonObject) response = NULL;

  if (users == NULL)
    return;

  out = json_array_sized_new (users->len);
  for (guint i = 0; i < users->len; i++)
    json_array_add_element (out, dg_user_to_json (g_ptr_array_index (users, i)));

  response = json_object_new ();
  json_object_set_array_member (response, "users", g_steal_pointer (&out));
  req->response = json_node_init_object (json_node_alloc (), response);
}

void
dg_route_create_user (DgRequest  *req,
                      GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autoptr(DgUser) stored = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  JsonObject *object;

  root = dg_request_parse_body (req, error);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  /* Everything that makes the request invalid is said before the password is hashed. */
  user = dg_user_from_json (object, error);
  if (user == NULL ||
      !dg_json_get_string (object, "password", DG_MAX_STRING_BYTES, &password, error) ||
      !dg_password_validate (password, "password", error))
    {
      wipe (password);
      return;
    }

  hash = dg_auth_hash_password (req->auth, password, error);
  wipe (password);
  if (hash == NULL || !dg_store_create_user (req->store, user, hash, req->user, error))
    return;

  if (!dg_store_lookup_user (req->store, user->username, &stored, NULL, error))
    {
      if (error != NULL && *error == NULL)
        dg_set_error (error, DG_ERROR_INTERNAL, NULL, "the new user was not found");
      return;
    }

  req->status = SOUP_STATUS_CREATED;
  req->response = dg_user_to_json (stored);
}

void
dg_route_update_user (DgRequest  *req,
                      GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DgUserPatch) patch = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autofree char *hash = NULL;

  root = dg_request_parse_body (req, error);
  if (root == NULL)
    return;

  patch = dg_user_patch_from_json (json_node_get_object (root), error);
  if (patch == NULL)
    return;

  if (patch->password != NULL)
    {
      hash = dg_auth_hash_password (req->auth, patch->password, error);
      if (hash == NULL)
        return;
    }

  user = dg_store_update_user (req->store, req->capture, patch, hash, req->user, error);
  if (user == NULL)
    return;

  req->response = dg_user_to_json (user);
}

void
dg_route_revoke_user (DgRequest  *req,
                      GError    **error)
{
  g_autoptr(JsonObject) response = NULL;
  gint64 n = 0;

  if (!dg_store_revoke_user (req->store, req->capture, req->user, &n, error))
    return;

  response = json_object_new ();
  json_object_set_int_member (response, "revoked", n);
  req->response = json_node_init_object (json_node_alloc (), response);
}

void
dg_route_change_password (DgRequest  *req,
                          GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *old_password = NULL;
  g_autofree char *new_password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_at = NULL;
  JsonObject *object;

  root = dg_request_parse_body (req, error);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  if (dg_json_get_string (object, "old_password", DG_MAX_STRING_BYTES, &old_password, error) &&
      dg_json_get_string (object, "new_password", DG_MAX_STRING_BYTES, &new_password, error))
    token = dg_auth_change_password (req->auth, req->user, old_password, new_password,
                                     &expires_at, &req->retry_after, error);
  wipe (old_password);
  wipe (new_password);
  if (token == NULL)
    return;

  /* The answer of a login: the client replaces the token it holds, which is revoked now. */
  dg_route_answer_session (req, token, req->role, req->user, expires_at);
  wipe (token);
}

void
dg_route_read_audit (DgRequest  *req,
                     GError    **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonArray) out = NULL;
  gint64 since, limit, next = 0;
  gboolean more = FALSE;

  if (!dg_request_get_int_param (req, "since", 0, 0, G_MAXINT64, &since, error) ||
      !dg_request_get_int_param (req, "limit", DEFAULT_AUDIT_LIMIT, 1, MAX_AUDIT_LIMIT, &limit,
                                 error))
    return;

  events = dg_store_read_audit (req->store, since, (guint) limit, &next, &more, error);
  if (events == NULL)
    return;

  out = json_array_sized_new (events->len);
  for (guint i = 0; i < events->len; i++)
    json_array_add_element (out, dg_audit_event_to_json (g_ptr_array_index (events, i), FALSE));

  response = json_object_new ();
  json_object_set_array_member (response, "events", g_steal_pointer (&out));
  json_object_set_int_member (response, "next", next);
  json_object_set_boolean_member (response, "more", more);
  req->response = json_node_init_object (json_node_alloc (), response);
}
