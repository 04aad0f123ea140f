/* dg-routes-months.c: closing and reopening a month, in worker threads. */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include "dg-routes.h"

static void
set_month_closed (DgRequest  *req,
                  gboolean    closed,
                  GError    **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!dg_store_set_month_closed (req->store, req->capture, closed, req->user, error))
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

/* Design 6.7: a month with records still returned for correction is not closed unless the
 * body says {"force": true}; the answer lists them, and a forced close logs them. */
void
dg_route_close_month (DgRequest  *req,
                      GError    **error)
{
  g_autoptr(GPtrArray) returned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean force = FALSE;

  if (req->body != NULL && g_bytes_get_size (req->body) > 0)
    {
      g_autoptr(JsonNode) body = dg_request_parse_body (req, error);
      JsonNode *member;

      if (body == NULL)
        return;
      member = json_object_get_member (json_node_get_object (body), "force");
      if (member != NULL && (!JSON_NODE_HOLDS_VALUE (member) ||
                             json_node_get_value_type (member) != G_TYPE_BOOLEAN))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "force", "force must be true or false");
          return;
        }
      force = member != NULL && json_node_get_boolean (member);
    }

  if (!dg_store_close_month (req->store, req->capture, req->user, force, returned,
                             &local_error))
    {
      /* A refusal over returned records names them: the error's "records" on the wire. */
      if (g_error_matches (local_error, DG_ERROR, DG_ERROR_CONFLICT) && returned->len > 0)
        {
          g_ptr_array_add (returned, NULL);
          dg_error_set_records (local_error, (const char * const *) returned->pdata);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return;
    }

  if (returned->len > 0)
    {
      g_autofree char *ids = NULL;

      g_ptr_array_add (returned, NULL);
      ids = g_strjoinv (",", (char **) returned->pdata);
      g_message ("month %s closed by %s with records still returned: %s", req->capture,
                 req->user, ids);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, req->capture);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "returned");
  json_builder_begin_array (builder);
  for (guint i = 0; i < returned->len && g_ptr_array_index (returned, i) != NULL; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (returned, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  req->response = json_builder_get_root (builder);
}

void
dg_route_reopen_month (DgRequest  *req,
                       GError    **error)
{
  set_month_closed (req, FALSE, error);
}
