/* dg-wire-rectification.c: a rectification notice on the wire (design 6.3): the bodies of its
 * routes, its stored record data, and the notice as the API shows it, with its state. */
#define G_LOG_DOMAIN "dg-wire"

#include "config.h"

#include <string.h>

#include "dg-error.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"
#include "dg-wire-private.h"

/* Ids, months, dates, names and timestamps are short; this only bounds what is copied before
 * validation says what is wrong with it. */
#define SHORT_BYTES DG_MAX_STRING_BYTES

static gboolean
get_target (JsonObject             *object,
            DgRectificationTarget  *target,
            GError                **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, "target_type", SHORT_BYTES, &str, error))
    return FALSE;
  if (!dg_rectification_target_from_string (str, target))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "target_type",
                    "target_type must be grid_cell, road or unit");
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_outcome (JsonObject              *object,
             gboolean                 required,
             DgRectificationOutcome  *outcome,
             GError                 **error)
{
  g_autofree char *str = NULL;

  *outcome = DG_RECTIFICATION_OUTCOME_NONE;
  if (!(required ? dg_json_get_string (object, "outcome", SHORT_BYTES, &str, error)
                 : dg_json_get_string_opt (object, "outcome", SHORT_BYTES, &str, error)))
    return FALSE;
  if (str != NULL && !dg_rectification_outcome_from_string (str, outcome))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "outcome", "outcome must be done or not_done");
      return FALSE;
    }
  return TRUE;
}

/* The members every form of a notice shares: what the office gives when it issues one. */
static gboolean
get_issue_members (JsonObject       *object,
                   DgRectification  *notice,
                   GError          **error)
{
  return get_target (object, &notice->target_type, error) &&
         dg_json_get_string (object, "target_id", SHORT_BYTES, &notice->target_id, error) &&
         dg_json_get_string (object, "month", SHORT_BYTES, &notice->month, error) &&
         dg_json_get_string (object, "deadline", SHORT_BYTES, &notice->deadline, error) &&
         dg_json_get_string (object, "reason", DG_MAX_NOTES_BYTES, &notice->reason, error);
}

DgRectification *
dg_rectification_issue_from_json (JsonObject  *body,
                                  GError     **error)
{
  g_autoptr(DgRectification) notice = dg_rectification_new ();

  g_return_val_if_fail (body != NULL, NULL);

  if (!dg_json_get_string (body, "id", SHORT_BYTES, &notice->id, error) ||
      !get_issue_members (body, notice, error))
    return NULL;
  /* The id is the client's, so that a retried POST names the notice it already made. */
  if (!dg_uuid_is_valid (notice->id))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "id", "id must be a UUID");
      return NULL;
    }
  if (!dg_rectification_validate (notice, error))
    return NULL;

  return g_steal_pointer (&notice);
}

DgRectificationResponse *
dg_rectification_response_from_json (JsonObject  *body,
                                     GError     **error)
{
  g_autoptr(DgRectificationResponse) response = dg_rectification_response_new ();

  g_return_val_if_fail (body != NULL, NULL);

  if (!dg_json_get_string (body, "text", DG_MAX_NOTES_BYTES, &response->text, error) ||
      !dg_wire_get_photos (body, &response->photos, error) ||
      !dg_rectification_response_validate (response, error))
    return NULL;

  return g_steal_pointer (&response);
}

gboolean
dg_rectification_close_from_json (JsonObject              *body,
                                  DgRectificationOutcome  *outcome,
                                  char                   **note,
                                  GError                 **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (body != NULL && outcome != NULL && note != NULL, FALSE);

  if (!get_outcome (body, TRUE, outcome, error) ||
      !dg_json_get_string_opt (body, "note", DG_MAX_NOTES_BYTES, &text, error))
    return FALSE;
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "note", "note must be valid UTF-8");
      return FALSE;
    }
  *note = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
response_from_json (JsonNode                  *node,
                    DgRectificationResponse  **out,
                    GError                   **error)
{
  g_autoptr(DgRectificationResponse) response = dg_rectification_response_new ();
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "a response must be an object");
      return FALSE;
    }
  object = json_node_get_object (node);
  if (!dg_json_get_string (object, "author", SHORT_BYTES, &response->author, error) ||
      !dg_json_get_string (object, "at", SHORT_BYTES, &response->at, error) ||
      !dg_json_get_string (object, "text", DG_MAX_NOTES_BYTES, &response->text, error) ||
      !dg_wire_get_photos (object, &response->photos, error))
    return FALSE;

  *out = g_steal_pointer (&response);
  return TRUE;
}

gpointer
dg_wire_rectification_from_json (JsonObject  *data,
                                 GError     **error)
{
  g_autoptr(DgRectification) notice = dg_rectification_new ();
  JsonArray *responses = NULL;

  if (!get_issue_members (data, notice, error) ||
      !dg_json_get_string_opt (data, "unit_id", SHORT_BYTES, &notice->unit_id, error) ||
      !dg_json_get_string_opt (data, "issued_by", SHORT_BYTES, &notice->issued_by, error) ||
      !dg_json_get_string_opt (data, "issued_at", SHORT_BYTES, &notice->issued_at, error) ||
      !get_outcome (data, FALSE, &notice->outcome, error) ||
      !dg_json_get_string_opt (data, "note", DG_MAX_NOTES_BYTES, &notice->note, error) ||
      !dg_json_get_string_opt (data, "closed_by", SHORT_BYTES, &notice->closed_by, error) ||
      !dg_json_get_string_opt (data, "closed_at", SHORT_BYTES, &notice->closed_at, error))
    return NULL;

  if (json_object_has_member (data, "responses") &&
      !dg_json_get_array (data, "responses", &responses, error))
    return NULL;
  for (guint i = 0; responses != NULL && i < json_array_get_length (responses); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DgRectificationResponse *response = NULL;

      if (!response_from_json (json_array_get_element (responses, i), &response, &local_error))
        {
          g_autofree char *prefix = g_strdup_printf ("responses[%u]", i);

          dg_error_prefix_field (local_error, prefix);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_ptr_array_add (notice->responses, response);
    }

  return g_steal_pointer (&notice);
}

JsonObject *
dg_wire_rectification_to_json (gconstpointer data)
{
  const DgRectification *notice = data;
  JsonObject *object = json_object_new ();
  JsonArray *responses = json_array_new ();

  json_object_set_string_member (object, "target_type",
                                 dg_rectification_target_to_string (notice->target_type));
  dg_wire_set_string_or_null (object, "target_id", notice->target_id);
  dg_wire_set_string_or_null (object, "unit_id", notice->unit_id);
  dg_wire_set_string_or_null (object, "month", notice->month);
  dg_wire_set_string_or_null (object, "deadline", notice->deadline);
  dg_wire_set_string_or_null (object, "reason", notice->reason);
  dg_wire_set_string_or_null (object, "issued_by", notice->issued_by);
  dg_wire_set_string_or_null (object, "issued_at", notice->issued_at);

  for (guint i = 0; i < notice->responses->len; i++)
    {
      const DgRectificationResponse *response = g_ptr_array_index (notice->responses, i);
      JsonObject *r = json_object_new ();

      dg_wire_set_string_or_null (r, "author", response->author);
      dg_wire_set_string_or_null (r, "at", response->at);
      dg_wire_set_string_or_null (r, "text", response->text);
      dg_wire_set_photos (r, (const char *const *) response->photos);
      json_array_add_object_element (responses, r);
    }
  json_object_set_array_member (object, "responses", responses);

  dg_wire_set_string_or_null (object, "outcome",
                              notice->outcome != DG_RECTIFICATION_OUTCOME_NONE
                                ? dg_rectification_outcome_to_string (notice->outcome) : NULL);
  if (notice->note != NULL)
    json_object_set_string_member (object, "note", notice->note);
  if (notice->closed_by != NULL)
    json_object_set_string_member (object, "closed_by", notice->closed_by);
  if (notice->closed_at != NULL)
    json_object_set_string_member (object, "closed_at", notice->closed_at);

  return object;
}

JsonObject *
dg_rectification_to_json (const DgRectification *notice,
                          const char            *today)
{
  JsonObject *object;

  g_return_val_if_fail (notice != NULL && today != NULL, NULL);

  object = dg_wire_rectification_to_json (notice);
  dg_wire_set_string_or_null (object, "id", notice->id);
  json_object_set_string_member (object, "state",
                                 dg_rectification_state_to_string (
                                   dg_rectification_state (notice, today)));
  return object;
}
