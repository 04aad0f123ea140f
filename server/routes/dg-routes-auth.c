/* dg-routes-auth.c: signing in and out (design 4.1), in worker threads.
 *
 * Logins run in the server's own pool of threads (dg-server.c), since each one hashes a
 * password with Argon2.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <string.h>

#include "dg-routes.h"

void
dg_route_answer_session (DgRequest  *req,
                         const char *token,
                         DgRole      role,
                         const char *username,
                         const char *expires_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

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

  req->response = json_builder_get_root (builder);
}

void
dg_route_login (DgRequest  *req,
                GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_at = NULL;
  DgRole role = DG_ROLE_INSPECTOR;
  JsonObject *object;

  root = dg_request_parse_body (req, error);
  if (root == NULL)
    return;
  object = json_node_get_object (root);

  if (!dg_json_get_string (object, "username", DG_MAX_STRING_BYTES, &username, error) ||
      !dg_json_get_string (object, "password", DG_MAX_STRING_BYTES, &password, error))
    return;

  token = dg_auth_login (req->auth, username, password, &role, &expires_at, &req->retry_after,
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
  dg_route_answer_session (req, token, role, username, expires_at);
  memset (token, 0, strlen (token));
}

void
dg_route_logout (DgRequest  *req,
                 GError    **error)
{
  if (!dg_auth_revoke_token (req->auth, req->token, error))
    return;

  req->response = dg_http_status_ok_node ();
}
