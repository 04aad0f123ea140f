/* dg-routes-records.c: the sync routes (pushing and pulling changes) and the routes on one
 * record (its history, returning it to its author, its author voiding it), in worker threads.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include "dg-routes.h"

#define DEFAULT_PULL_LIMIT 500
#define MAX_PULL_LIMIT     1000

void
dg_route_push_changes (DgRequest  *req,
                       GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonArray) out = NULL;
  JsonArray *changes = NULL;
  JsonObject *object;
  g_autoptr(JsonObject) response = NULL;

  root = dg_request_parse_body (req, error);
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

  results = dg_store_apply_changes (req->store, req->user, req->role, changes, error);
  if (results == NULL)
    return;

  out = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    json_array_add_element (out, dg_result_to_json (g_ptr_array_index (results, i)));

  response = json_object_new ();
  json_object_set_array_member (response, "results", g_steal_pointer (&out));
  req->response = json_node_init_object (json_node_alloc (), response);
}

void
dg_route_pull_changes (DgRequest  *req,
                       GError    **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonArray) out = NULL;
  gint64 since, limit, next = 0;
  gboolean more = FALSE;

  if (!dg_request_get_int_param (req, "since", 0, 0, G_MAXINT64, &since, error) ||
      !dg_request_get_int_param (req, "limit", DEFAULT_PULL_LIMIT, 1, MAX_PULL_LIMIT, &limit,
                                 error))
    return;

  records = dg_store_pull (req->store, req->user, req->role, since, (guint) limit, &next, &more,
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

void
dg_route_record_history (DgRequest  *req,
                         GError    **error)
{
  g_autoptr(DgRecord) record = NULL;

  record = dg_store_get_record (req->store, req->capture, error);
  if (record == NULL)
    return;

  if (!dg_policy_allows (req->role, DG_ACTION_READ_RECORD,
                         dg_policy_scope_for (record->author, req->user)))
    {
      dg_set_error (error, DG_ERROR_FORBIDDEN, NULL,
                    "only the office, an administrator or its author may read this history");
      return;
    }

  req->response = dg_store_get_history (req->store, req->capture, error);
}

/* The {"reason"} of a return or a void: required, not blank. */
static char *
get_reason (DgRequest  *req,
            GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *reason = NULL;

  root = dg_request_parse_body (req, error);
  if (root == NULL)
    return NULL;

  if (!dg_json_get_string (json_node_get_object (root), "reason", DG_MAX_STRING_BYTES, &reason,
                           error))
    return NULL;
  if (*g_strstrip (reason) == '\0')
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "reason", "reason must not be empty");
      return NULL;
    }

  return g_steal_pointer (&reason);
}

void
dg_route_return_record (DgRequest  *req,
                        GError    **error)
{
  g_autoptr(DgRecord) record = NULL;
  g_autofree char *reason = get_reason (req, error);

  if (reason == NULL)
    return;

  record = dg_store_return_record (req->store, req->capture, reason, req->user, error);
  if (record == NULL)
    return;

  req->response = dg_record_to_json (record);
}

/* Issue 13: the author voids a record of theirs; the policy says who an author may be. */
void
dg_route_void_record (DgRequest  *req,
                      GError    **error)
{
  g_autoptr(DgRecord) existing = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autofree char *reason = get_reason (req, error);

  if (reason == NULL)
    return;

  existing = dg_store_get_record (req->store, req->capture, error);
  if (existing == NULL)
    return;
  if (!dg_policy_allows (req->role, DG_ACTION_VOID_RECORD,
                         dg_policy_scope_for (existing->author, req->user)))
    {
      dg_set_error (error, DG_ERROR_FORBIDDEN, NULL, "only its author may void this record");
      return;
    }

  record = dg_store_void_record (req->store, req->capture, reason, req->user, error);
  if (record == NULL)
    return;

  req->response = dg_record_to_json (record);
}
