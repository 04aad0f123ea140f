/* dg-wire.c: the JSON wire format of design section 4.
 *
 * Decoders read every member through the dg_json_get_* helpers, so a member of the wrong type
 * is an invalid_field error naming it, never a json-glib critical; then the decoded struct goes
 * through the validators of dg-validate.c, the one place that judges a record. Encoders write
 * the normalized form: known members only, defaults filled in, optional members omitted when
 * absent, doubles as doubles, so that the canonical text of a record is stable however a client
 * spelled it.
 */
#define G_LOG_DOMAIN "dg-wire"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-enum.h"
#include "dg-error.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"
#include "dg-wire-private.h"

/* Rule dates, months and date-times are short; this only bounds what is copied before the
 * validator says what is wrong with it. */
#define SHORT_STRING_BYTES 64

/* ---- Small helpers ---- */

void
dg_wire_set_string_or_null (JsonObject *object,
                            const char *member,
                            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

void
dg_wire_set_double_or_null (JsonObject *object,
                            const char *member,
                            gboolean    present,
                            double      value)
{
  if (present && isfinite (value))
    json_object_set_double_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

void
dg_wire_set_bool_or_null (JsonObject *object,
                          const char *member,
                          gboolean    present,
                          gboolean    value)
{
  if (present)
    json_object_set_boolean_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* json_node_copy() of json-glib 1.6 shares the objects and arrays it holds; a copied record
 * must not change when the original's data is edited. */
static JsonNode *deep_copy_node (JsonNode *node);

static JsonObject *
deep_copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            deep_copy_node (json_object_get_member (object, l->data)));

  return copy;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      copy = json_node_alloc ();
      json_node_init_object (copy, NULL);
      json_node_take_object (copy, deep_copy_object (json_node_get_object (node)));
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (array_copy, deep_copy_node (json_array_get_element (array, i)));

      copy = json_node_alloc ();
      json_node_init_array (copy, NULL);
      json_node_take_array (copy, array_copy);
      return copy;
    }

  return json_node_copy (node);
}

static JsonObject *
copy_object_or_null (JsonObject *object)
{
  return object != NULL ? deep_copy_object (object) : NULL;
}
/* ---- CHANGE ---- */

static gboolean
get_record_type (JsonObject    *object,
                 DgRecordType  *type,
                 GError       **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, "type", SHORT_STRING_BYTES, &str, error))
    return FALSE;

  if (!dg_record_type_from_string (str, type))
    {
      dg_set_error (error, DG_ERROR_UNKNOWN_TYPE, "type", "type \"%s\" is not known", str);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_uuid (JsonObject  *object,
          const char  *member,
          char       **out,
          GError     **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, member, SHORT_STRING_BYTES, &str, error))
    return FALSE;

  if (!dg_uuid_is_valid (str))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member, "%s must be a UUID", member);
      return FALSE;
    }

  *out = g_steal_pointer (&str);
  return TRUE;
}

/* "data": an object, or absent or null when @allow_null. Returns a new reference or NULL. */
static gboolean
get_data_object (JsonObject   *object,
                 const char   *member,
                 gboolean      allow_null,
                 JsonObject  **out,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *value;

  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && allow_null)
    {
      *out = NULL;
      return TRUE;
    }

  if (!dg_json_get_object (object, member, &value, error))
    return FALSE;

  *out = json_object_ref (value);
  return TRUE;
}

DgChange *
dg_change_new (DgRecordType  type,
               const char   *id,
               gint64        base_rev,
               gboolean      deleted,
               JsonObject   *data)
{
  DgChange *change;

  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);

  change = g_new0 (DgChange, 1);
  change->type = type;
  change->id = g_strdup (id);
  change->base_rev = base_rev;
  change->deleted = deleted;
  change->data = data != NULL ? json_object_ref (data) : NULL;
  return change;
}

void
dg_change_free (DgChange *change)
{
  if (change == NULL)
    return;

  g_free (change->id);
  g_clear_pointer (&change->data, json_object_unref);
  g_free (change);
}

DgChange *
dg_change_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgChange) change = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A change must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  change = g_new0 (DgChange, 1);

  if (!get_record_type (object, &change->type, error) ||
      !get_uuid (object, "id", &change->id, error) ||
      !dg_json_get_int (object, "base_rev", 0, G_MAXINT64, &change->base_rev, error) ||
      !dg_json_get_bool_opt (object, "deleted", FALSE, &change->deleted, error) ||
      !get_data_object (object, "data", change->deleted, &change->data, error))
    return NULL;

  return g_steal_pointer (&change);
}

JsonNode *
dg_change_to_json (const DgChange *change)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (change != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", dg_record_type_to_string (change->type));
  dg_wire_set_string_or_null (object, "id", change->id);
  json_object_set_int_member (object, "base_rev", change->base_rev);
  if (change->deleted)
    json_object_set_boolean_member (object, "deleted", TRUE);
  if (change->data != NULL)
    json_object_set_object_member (object, "data", json_object_ref (change->data));

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

/* ---- RECORD ---- */

static const DgEnumName state_names[] = {
  { DG_RECORD_STATE_ACTIVE, "active" },
  { DG_RECORD_STATE_RETURNED, "returned" },
  { DG_RECORD_STATE_VOIDED, "voided" },
};

const char *
dg_record_state_to_string (DgRecordState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);

  return dg_enum_to_nick (state_names, G_N_ELEMENTS (state_names), state);
}

gboolean
dg_record_state_from_string (const char    *str,
                             DgRecordState *state)
{
  int value;

  g_return_val_if_fail (state != NULL, FALSE);

  if (!dg_enum_from_nick (state_names, G_N_ELEMENTS (state_names), str, &value))
    return FALSE;

  *state = value;
  return TRUE;
}

DgRecord *
dg_record_new (void)
{
  DgRecord *record = g_new0 (DgRecord, 1);

  record->state = DG_RECORD_STATE_ACTIVE;
  return record;
}

void
dg_record_free (DgRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->author);
  g_free (record->updated_at);
  g_free (record->reason);
  g_clear_pointer (&record->data, json_object_unref);
  g_clear_pointer (&record->computed, json_object_unref);
  g_free (record);
}

DgRecord *
dg_record_copy (const DgRecord *record)
{
  DgRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->author = g_strdup (record->author);
  copy->updated_at = g_strdup (record->updated_at);
  copy->reason = g_strdup (record->reason);
  copy->data = copy_object_or_null (record->data);
  copy->computed = copy_object_or_null (record->computed);
  return copy;
}

JsonNode *
dg_record_to_json (const DgRecord *record)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", dg_record_type_to_string (record->type));
  dg_wire_set_string_or_null (object, "id", record->id);
  json_object_set_int_member (object, "rev", record->rev);
  json_object_set_int_member (object, "seq", record->seq);
  json_object_set_boolean_member (object, "deleted", record->deleted);
  dg_wire_set_string_or_null (object, "author", record->author);
  dg_wire_set_string_or_null (object, "updated_at", record->updated_at);
  json_object_set_string_member (object, "state", dg_record_state_to_string (record->state));
  if (record->reason != NULL)
    json_object_set_string_member (object, "reason", record->reason);

  if (record->data != NULL)
    json_object_set_object_member (object, "data", json_object_ref (record->data));
  else
    json_object_set_null_member (object, "data");

  if (record->computed != NULL)
    json_object_set_object_member (object, "computed", json_object_ref (record->computed));
  else
    json_object_set_null_member (object, "computed");

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

DgRecord *
dg_record_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgRecord) record = NULL;
  g_autofree char *state = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A record must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  record = dg_record_new ();

  if (!get_record_type (object, &record->type, error) ||
      !get_uuid (object, "id", &record->id, error) ||
      !dg_json_get_int (object, "rev", 0, G_MAXINT64, &record->rev, error) ||
      !dg_json_get_int (object, "seq", 0, G_MAXINT64, &record->seq, error) ||
      !dg_json_get_bool_opt (object, "deleted", FALSE, &record->deleted, error) ||
      !dg_json_get_string_opt (object, "author", DG_MAX_STRING_BYTES, &record->author, error) ||
      !dg_json_get_string_opt (object, "updated_at", SHORT_STRING_BYTES, &record->updated_at,
                               error) ||
      !dg_json_get_string_opt (object, "state", SHORT_STRING_BYTES, &state, error) ||
      !dg_json_get_string_opt (object, "reason", DG_MAX_NOTES_BYTES, &record->reason, error) ||
      !get_data_object (object, "data", TRUE, &record->data, error) ||
      !get_data_object (object, "computed", TRUE, &record->computed, error))
    return NULL;

  if (state != NULL && !dg_record_state_from_string (state, &record->state))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "state",
                    "state must be active, returned or voided");
      return NULL;
    }

  return g_steal_pointer (&record);
}

/* ---- RESULT ---- */

static const DgEnumName status_names[] = {
  { DG_RESULT_APPLIED, "applied" },
  { DG_RESULT_UNCHANGED, "unchanged" },
  { DG_RESULT_CONFLICT, "conflict" },
  { DG_RESULT_REJECTED, "rejected" },
};

const char *
dg_result_status_to_string (DgResultStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return dg_enum_to_nick (status_names, G_N_ELEMENTS (status_names), status);
}

gboolean
dg_result_status_from_string (const char     *str,
                              DgResultStatus *status)
{
  int value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (!dg_enum_from_nick (status_names, G_N_ELEMENTS (status_names), str, &value))
    return FALSE;

  *status = value;
  return TRUE;
}

DgResult *
dg_result_new (const char     *id,
               DgResultStatus  status,
               gint64          rev)
{
  DgResult *result = g_new0 (DgResult, 1);

  result->id = g_strdup (id);
  result->status = status;
  result->rev = rev;
  return result;
}

void
dg_result_free (DgResult *result)
{
  if (result == NULL)
    return;

  g_free (result->id);
  g_clear_pointer (&result->current, dg_record_free);
  g_clear_error (&result->error);
  g_free (result);
}

JsonNode *
dg_result_to_json (const DgResult *result)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (result != NULL, NULL);

  object = json_object_new ();
  /* A change too malformed to name itself still gets its place in the results: id null. */
  dg_wire_set_string_or_null (object, "id", result->id);
  json_object_set_string_member (object, "status", dg_result_status_to_string (result->status));
  json_object_set_int_member (object, "rev", result->rev);

  if (result->status == DG_RESULT_CONFLICT && result->current != NULL)
    json_object_set_member (object, "current", dg_record_to_json (result->current));

  if (result->status == DG_RESULT_REJECTED)
    {
      if (result->error != NULL)
        json_object_set_object_member (object, "error", dg_error_to_json_object (result->error));
      else
        {
          g_autoptr(GError) error = NULL;

          dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "The change was rejected");
          json_object_set_object_member (object, "error", dg_error_to_json_object (error));
        }
    }

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

DgResult *
dg_result_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgResult) result = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A result must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  result = g_new0 (DgResult, 1);

  if (!dg_json_get_string_opt (object, "id", DG_MAX_STRING_BYTES, &result->id, error) ||
      !dg_json_get_string (object, "status", SHORT_STRING_BYTES, &status, error))
    return NULL;

  if (!dg_result_status_from_string (status, &result->status))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "status",
                    "status must be applied, unchanged, conflict or rejected");
      return NULL;
    }

  member = json_object_get_member (object, "rev");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !dg_json_get_int (object, "rev", 0, G_MAXINT64, &result->rev, error))
    return NULL;

  member = json_object_get_member (object, "current");
  if (result->status == DG_RESULT_CONFLICT && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr(GError) local_error = NULL;

      result->current = dg_record_from_json (member, &local_error);
      if (result->current == NULL)
        {
          if (dg_error_get_field (local_error) == NULL)
            dg_set_error (error, local_error->code, "current", "current: %s",
                          local_error->message);
          else
            {
              dg_error_prefix_field (local_error, "current");
              g_propagate_error (error, g_steal_pointer (&local_error));
            }
          return NULL;
        }
    }

  if (result->status == DG_RESULT_REJECTED)
    {
      member = json_object_get_member (object, "error");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        result->error = dg_error_from_json (member);
      else
        dg_set_error (&result->error, DG_ERROR_INTERNAL, NULL,
                      "The change was rejected without a reason");
    }

  return g_steal_pointer (&result);
}

/* ---- Errors ---- */

JsonObject *
dg_error_to_json_object (const GError *error)
{
  JsonObject *object;
  const char *field;
  const char * const *records;

  g_return_val_if_fail (error != NULL, NULL);

  object = json_object_new ();

  if (error->domain == DG_ERROR && (guint) error->code <= DG_ERROR_UNAVAILABLE)
    {
      json_object_set_string_member (object, "code", dg_error_code_to_string (error->code));
      json_object_set_string_member (object, "message",
                                     error->message != NULL ? error->message : "");
      field = dg_error_get_field (error);
      if (field != NULL)
        json_object_set_string_member (object, "field", field);
      records = dg_error_get_records (error);
      if (records != NULL)
        {
          JsonArray *array = json_array_new ();

          for (guint i = 0; records[i] != NULL; i++)
            json_array_add_string_element (array, records[i]);
          json_object_set_array_member (object, "records", array);
        }
    }
  else
    {
      /* Errors of other domains (SQLite, I/O) can carry paths and internals: the caller logs
       * them; the wire only says that something went wrong on this side. */
      json_object_set_string_member (object, "code",
                                     dg_error_code_to_string (DG_ERROR_INTERNAL));
      json_object_set_string_member (object, "message", "Internal error");
    }

  return object;
}

JsonNode *
dg_error_to_json (const GError *error)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (error != NULL, NULL);

  object = json_object_new ();
  json_object_set_object_member (object, "error", dg_error_to_json_object (error));

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

GError *
dg_error_from_json (JsonNode *node)
{
  GError *error = NULL;
  JsonObject *object;
  JsonNode *inner;
  JsonNode *member;
  DgErrorCode code = DG_ERROR_INTERNAL;
  const char *message = "";
  const char *field = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "Malformed error object");
      return error;
    }
  object = json_node_get_object (node);

  inner = json_object_get_member (object, "error");
  if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
    object = json_node_get_object (inner);

  member = json_object_get_member (object, "code");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !dg_error_code_from_string (json_node_get_string (member), &code))
    code = DG_ERROR_INTERNAL;

  member = json_object_get_member (object, "message");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING && json_node_get_string (member) != NULL)
    message = json_node_get_string (member);

  member = json_object_get_member (object, "field");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    field = json_node_get_string (member);

  dg_set_error (&error, code, field, "%s", message);

  member = json_object_get_member (object, "records");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (ids, (gpointer) json_node_get_string (element));
        }
      g_ptr_array_add (ids, NULL);
      dg_error_set_records (error, (const char * const *) ids->pdata);
    }
  return error;
}
