/* dg-routes-rectifications.c: the rectification notices of design 6.3 (整改), in worker threads.
 *
 * The route table checks that the caller's role may take the step at all; here each notice's
 * scope is asked of the same policy: a unit user's own notices are its unit's, so it sees and
 * answers those and no other's, and closes none.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include "dg-routes.h"

static void
answer_notice (DgRequest             *req,
               const DgRectification *notice)
{
  g_autofree char *today = dg_date_today ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, dg_rectification_to_json (notice, today));
  req->response = node;
}

/* The notice of the path, if the caller's role may take @action on it. */
static DgRectification *
notice_for (DgRequest  *req,
            DgAction    action,
            GError    **error)
{
  g_autoptr(DgRectification) notice = NULL;
  g_autofree char *unit_id = NULL;

  if (!dg_route_caller_unit (req, &unit_id, error))
    return NULL;
  notice = dg_store_get_rectification (req->store, req->capture, error);
  if (notice == NULL)
    return NULL;
  if (!dg_policy_allows (req->role, action, dg_policy_scope_for_unit (notice->unit_id, unit_id)))
    {
      dg_set_error (error, DG_ERROR_FORBIDDEN, NULL,
                    "this notice is another unit's, or not this role's to %s",
                    action == DG_ACTION_CLOSE_RECTIFICATION ? "close" : "answer");
      return NULL;
    }
  return g_steal_pointer (&notice);
}

void
dg_route_issue_rectification (DgRequest  *req,
                              GError    **error)
{
  g_autoptr(JsonNode) body = dg_request_parse_body (req, error);
  g_autoptr(DgRectification) issue = NULL;
  g_autoptr(DgRectification) notice = NULL;
  gboolean created = FALSE;

  if (body == NULL)
    return;
  issue = dg_rectification_issue_from_json (json_node_get_object (body), error);
  if (issue == NULL)
    return;
  notice = dg_store_issue_rectification (req->store, issue, req->user, &created, error);
  if (notice == NULL)
    return;

  /* A retry of the same notice answers as the first time did, but says it made nothing. */
  req->status = created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK;
  answer_notice (req, notice);
}

void
dg_route_list_rectifications (DgRequest  *req,
                              GError    **error)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_autofree char *unit_id = NULL;
  g_autofree char *today = dg_date_today ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *state_param = dg_request_get_query (req, "state");
  DgRectificationState wanted = DG_RECTIFICATION_OPEN;
  const char *only = NULL;

  if (state_param != NULL && !dg_rectification_state_from_string (state_param, &wanted))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "state",
                    "state must be open, responded, closed or overdue");
      return;
    }

  /* Those who may read every unit's notices see them all; a unit user its unit's, and none
   * when it is bound to no unit. */
  if (!dg_policy_allows (req->role, DG_ACTION_READ_RECTIFICATIONS, DG_SCOPE_OTHER))
    {
      if (!dg_route_caller_unit (req, &unit_id, error))
        return;
      only = unit_id != NULL ? unit_id : "";
    }

  notices = dg_store_list_rectifications (req->store, only, error);
  if (notices == NULL)
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rectifications");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    {
      const DgRectification *notice = g_ptr_array_index (notices, i);
      JsonNode *node;

      /* Overdue is the day's: a notice is listed under exactly one state. */
      if (state_param != NULL && dg_rectification_state (notice, today) != wanted)
        continue;
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, dg_rectification_to_json (notice, today));
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  req->response = json_builder_get_root (builder);
}

void
dg_route_respond_rectification (DgRequest  *req,
                                GError    **error)
{
  g_autoptr(JsonNode) body = dg_request_parse_body (req, error);
  g_autoptr(DgRectificationResponse) response = NULL;
  g_autoptr(DgRectification) notice = NULL;
  g_autoptr(DgRectification) answered = NULL;

  if (body == NULL)
    return;
  notice = notice_for (req, DG_ACTION_RESPOND_RECTIFICATION, error);
  if (notice == NULL)
    return;
  response = dg_rectification_response_from_json (json_node_get_object (body), error);
  if (response == NULL)
    return;

  answered = dg_store_respond_rectification (req->store, req->capture, response, req->user,
                                             error);
  if (answered != NULL)
    answer_notice (req, answered);
}

void
dg_route_close_rectification (DgRequest  *req,
                              GError    **error)
{
  g_autoptr(JsonNode) body = dg_request_parse_body (req, error);
  g_autoptr(DgRectification) notice = NULL;
  g_autoptr(DgRectification) closed = NULL;
  g_autofree char *note = NULL;
  DgRectificationOutcome outcome;

  if (body == NULL)
    return;
  notice = notice_for (req, DG_ACTION_CLOSE_RECTIFICATION, error);
  if (notice == NULL)
    return;
  if (!dg_rectification_close_from_json (json_node_get_object (body), &outcome, &note, error))
    return;

  closed = dg_store_close_rectification (req->store, req->capture, outcome, note, req->user,
                                         error);
  if (closed != NULL)
    answer_notice (req, closed);
}
