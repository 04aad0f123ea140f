/* dg-store-rectifications.c: the rectification notices of design 6.3, whatever the backend.
 *
 * A notice is a record of type "rectification" whose data is the whole notice (its responses
 * and outcome included), so that each step (issued, each response, closed) is a revision in the
 * same hash chain as the checks and samples, and `verify` and the copies of migrate and backup
 * carry it with no table of its own. Each step is also an audit event, in the same transaction.
 * Pulls leave notices out (the backends' pull): clients read them from their routes, and a
 * client of before them would not know the type.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include "dg-store-private.h"

/* The notice @id, decoded from its record: *notice NULL when there is no such notice. */
static gboolean
load_notice_locked (DgStore          *self,
                    const char       *id,
                    DgStoreRow       *row,
                    DgRectification **notice,
                    GError          **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found = FALSE;

  *notice = NULL;
  if (!self->backend->load_record (self->db, id, row, &found, error))
    return FALSE;
  if (!found || row->deleted || row->type != DG_RECORD_RECTIFICATION)
    return TRUE;

  data = dg_store_parse_object (row->data);
  if (data != NULL)
    *notice = dg_record_data_from_json (DG_RECORD_RECTIFICATION, id, data, &local_error);
  if (*notice == NULL)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "stored rectification %s does not decode: %s",
                    id, local_error != NULL ? local_error->message : "not an object");
      return FALSE;
    }
  return TRUE;
}

/* Stores @notice as revision @rev of its record at @seq, chained after *prev_hash (which it
 * moves on), written by @user at @now, and the audit event @action with @detail. */
static gboolean
write_step_locked (DgStore                *self,
                   const DgRectification  *notice,
                   gint64                  rev,
                   gint64                  seq,
                   const char             *owner,
                   char                  **prev_hash,
                   const char             *user,
                   const char             *now,
                   const char             *action,
                   JsonObject             *detail,
                   GError                **error)
{
  g_autoptr(JsonObject) object = dg_record_data_to_json (DG_RECORD_RECTIFICATION, notice);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *data = NULL;
  g_autofree char *hash = NULL;
  DgStoreRevision revision;
  DgStoreRow row;

  json_node_set_object (node, object);
  data = dg_json_canonical (node);

  row = (DgStoreRow) {
    .id = notice->id,
    .type = DG_RECORD_RECTIFICATION,
    .rev = rev,
    .seq = seq,
    .deleted = FALSE,
    .owner = (char *) owner,
    .updated_at = (char *) now,
    .state = (char *) dg_record_state_to_string (DG_RECORD_STATE_ACTIVE),
    .data = data,
    .month = notice->month,
  };
  revision = (DgStoreRevision) {
    0, notice->id, rev, dg_record_type_to_string (DG_RECORD_RECTIFICATION), user, now, FALSE,
    data, NULL
  };
  hash = dg_store_revision_hash (*prev_hash, &revision, TRUE);
  revision.hash = hash;

  json_object_set_int_member (detail, "rev", rev);
  if (!self->backend->put_record (self->db, &row, rev == 1, error) ||
      !self->backend->add_revision (self->db, &revision, error) ||
      !dg_store_audit_locked (self, now, user, action, notice->id, detail, error))
    return FALSE;

  g_free (*prev_hash);
  *prev_hash = g_steal_pointer (&hash);
  return TRUE;
}

/* The responsible unit of what @issue names, in *unit_id. */
static gboolean
target_unit_locked (DgStore                *self,
                    const DgRectification  *issue,
                    char                  **unit_id,
                    GError                **error)
{
  static const DgRecordType types[] = {
    [DG_RECTIFICATION_TARGET_GRID_CELL] = DG_RECORD_GRID_CELL,
    [DG_RECTIFICATION_TARGET_ROAD] = DG_RECORD_ROAD,
    [DG_RECTIFICATION_TARGET_UNIT] = DG_RECORD_UNIT,
  };
  DgRecordType type = types[issue->target_type];
  g_auto(DgStoreRow) row = { 0 };
  g_autoptr(JsonObject) data = NULL;
  gpointer target = NULL;
  const char *unit = NULL;
  gboolean found = FALSE;

  *unit_id = NULL;
  if (!self->backend->load_record (self->db, issue->target_id, &row, &found, error))
    return FALSE;
  if (!found || row.deleted || row.type != type)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "target_id", "target_id names no %s",
                    dg_rectification_target_to_string (issue->target_type));
      return FALSE;
    }

  if (type == DG_RECORD_UNIT)
    {
      *unit_id = g_strdup (issue->target_id);
      return TRUE;
    }

  data = dg_store_parse_object (row.data);
  if (data != NULL)
    target = dg_record_data_from_json (type, issue->target_id, data, NULL);
  if (target != NULL)
    unit = type == DG_RECORD_ROAD ? ((DgRoad *) target)->unit_id
                                  : ((DgGridCell *) target)->unit_id;
  *unit_id = g_strdup (unit);
  dg_record_data_free (type, target);
  if (*unit_id == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "target_id",
                    "target_id names a %s with no responsible unit (unit_id)",
                    dg_rectification_target_to_string (issue->target_type));
      return FALSE;
    }
  return TRUE;
}

/* Whether a stored notice is the one @issue would make: a retried POST. */
static gboolean
same_issue (const DgRectification *a,
            const DgRectification *b)
{
  return a->target_type == b->target_type && g_strcmp0 (a->target_id, b->target_id) == 0 &&
         g_strcmp0 (a->month, b->month) == 0 && g_strcmp0 (a->deadline, b->deadline) == 0 &&
         g_strcmp0 (a->reason, b->reason) == 0;
}

DgRectification *
dg_store_issue_rectification (DgStore                *self,
                              const DgRectification  *issue,
                              const char             *user,
                              gboolean               *created,
                              GError                **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgStoreRow) existing_row = { 0 };
  g_autoptr(DgRectification) existing = NULL;
  g_autoptr(DgRectification) notice = NULL;
  g_autoptr(JsonObject) detail = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *now = NULL;
  g_autofree char *today = NULL;
  gboolean found = FALSE;
  gint64 seq = 0;

  g_return_val_if_fail (issue != NULL && issue->id != NULL && user != NULL, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return NULL;

  if (!self->backend->load_record (self->db, issue->id, &existing_row, &found, error))
    goto failed;
  if (found)
    {
      dg_store_row_clear (&existing_row);
      if (!load_notice_locked (self, issue->id, &existing_row, &existing, error))
        goto failed;
      if (existing != NULL && same_issue (existing, issue))
        {
          self->backend->rollback (self->db);
          *created = FALSE;
          return g_steal_pointer (&existing);
        }
      dg_set_error (error, DG_ERROR_CONFLICT, "id", "a record with id %s exists already",
                    issue->id);
      goto failed;
    }

  notice = dg_rectification_new ();
  notice->id = g_strdup (issue->id);
  notice->target_type = issue->target_type;
  notice->target_id = g_strdup (issue->target_id);
  notice->month = g_strdup (issue->month);
  notice->deadline = g_strdup (issue->deadline);
  notice->reason = g_strdup (issue->reason);

  today = dg_date_today ();
  if (!dg_rectification_check_issue (notice, today, error) ||
      !target_unit_locked (self, notice, &notice->unit_id, error))
    goto failed;

  now = dg_timestamp_now ();
  notice->issued_by = g_strdup (user);
  notice->issued_at = g_strdup (now);

  detail = json_object_new ();
  json_object_set_string_member (detail, "target_type",
                                 dg_rectification_target_to_string (notice->target_type));
  json_object_set_string_member (detail, "target_id", notice->target_id);
  json_object_set_string_member (detail, "unit_id", notice->unit_id);
  json_object_set_string_member (detail, "month", notice->month);
  json_object_set_string_member (detail, "deadline", notice->deadline);
  if (!write_step_locked (self, notice, 1, seq + 1, user, &prev_hash, user, now,
                          DG_AUDIT_RECTIFICATION_ISSUED, detail, error) ||
      !self->backend->commit (self->db, error))
    goto failed;

  *created = TRUE;
  return g_steal_pointer (&notice);

failed:
  self->backend->rollback (self->db);
  return NULL;
}

typedef struct
{
  GPtrArray  *notices;
  const char *unit_id;
} List;

static void
list_notice_cb (const char *id,
                const char *data,
                const char *owner,
                gpointer    user_data)
{
  List *list = user_data;
  g_autoptr(JsonObject) object = dg_store_parse_object (data);
  g_autoptr(GError) local_error = NULL;
  DgRectification *notice;

  if (object == NULL)
    return;
  notice = dg_record_data_from_json (DG_RECORD_RECTIFICATION, id, object, &local_error);
  if (notice == NULL)
    {
      g_warning ("Stored rectification %s no longer validates: %s", id, local_error->message);
      return;
    }
  if (list->unit_id != NULL && g_strcmp0 (notice->unit_id, list->unit_id) != 0)
    {
      dg_rectification_free (notice);
      return;
    }
  g_ptr_array_add (list->notices, notice);
}

GPtrArray *
dg_store_list_rectifications (DgStore     *self,
                              const char  *unit_id,
                              GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  List list;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_rectification_free);
  list = (List) { notices, unit_id };
  if (!self->backend->load_data (self->db, DG_RECORD_RECTIFICATION, NULL, 0, list_notice_cb,
                                 &list, error))
    return NULL;

  return g_steal_pointer (&notices);
}

DgRectification *
dg_store_get_rectification (DgStore     *self,
                            const char  *id,
                            GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgStoreRow) row = { 0 };
  DgRectification *notice = NULL;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL || !load_notice_locked (self, id, &row, &notice, error))
    return NULL;
  if (notice == NULL)
    dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no rectification %s", id);
  return notice;
}

/* The one writing step after issuing: loads the open notice @id, lets @apply change it, and
 * stores it as its next revision with the audit event @action. */
typedef gboolean (*StepFunc) (DgStore          *self,
                              DgRectification  *notice,
                              const char       *user,
                              const char       *now,
                              JsonObject       *detail,
                              gpointer          user_data,
                              GError          **error);

static DgRectification *
take_step (DgStore     *self,
           const char  *id,
           const char  *user,
           const char  *action,
           StepFunc     apply,
           gpointer     user_data,
           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgStoreRow) row = { 0 };
  g_autoptr(DgRectification) notice = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *prev_hash = NULL;
  g_autofree char *now = NULL;
  gint64 seq = 0;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return NULL;

  if (!load_notice_locked (self, id, &row, &notice, error))
    goto failed;
  if (notice == NULL)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no rectification %s", id);
      goto failed;
    }
  if (!dg_rectification_check_open (notice, error))
    goto failed;

  now = dg_timestamp_now ();
  json_object_set_string_member (detail, "unit_id", notice->unit_id);
  if (!apply (self, notice, user, now, detail, user_data, error) ||
      !write_step_locked (self, notice, row.rev + 1, seq + 1, row.owner, &prev_hash, user, now,
                          action, detail, error) ||
      !self->backend->commit (self->db, error))
    goto failed;

  return g_steal_pointer (&notice);

failed:
  self->backend->rollback (self->db);
  return NULL;
}

static gboolean
add_response (DgStore          *self,
              DgRectification  *notice,
              const char       *user,
              const char       *now,
              JsonObject       *detail,
              gpointer          user_data,
              GError          **error)
{
  const DgRectificationResponse *given = user_data;
  DgRectificationResponse *response;
  g_autofree char *missing = NULL;
  JsonArray *photos = json_array_new ();

  /* Design 6.2's rule for records holds for answers too: the photo is uploaded first. */
  if (!dg_store_find_missing_photos_locked (self, (const char *const *) given->photos, "",
                                            &missing, error))
    {
      json_array_unref (photos);
      return FALSE;
    }
  if (missing != NULL)
    {
      json_array_unref (photos);
      dg_set_error (error, DG_ERROR_INVALID_FIELD, missing, "%s names no uploaded attachment",
                    missing);
      return FALSE;
    }

  response = dg_rectification_response_new ();
  response->author = g_strdup (user);
  response->at = g_strdup (now);
  response->text = g_strdup (given->text);
  response->photos = g_strdupv (given->photos);
  g_ptr_array_add (notice->responses, response);

  for (guint i = 0; given->photos != NULL && given->photos[i] != NULL; i++)
    json_array_add_string_element (photos, given->photos[i]);
  json_object_set_array_member (detail, "photos", photos);
  return TRUE;
}

DgRectification *
dg_store_respond_rectification (DgStore                        *self,
                                const char                     *id,
                                const DgRectificationResponse  *response,
                                const char                     *user,
                                GError                        **error)
{
  g_return_val_if_fail (response != NULL && response->text != NULL, NULL);

  return take_step (self, id, user, DG_AUDIT_RECTIFICATION_RESPONDED, add_response,
                    (gpointer) response, error);
}

typedef struct
{
  DgRectificationOutcome  outcome;
  const char             *note;
} Close;

static gboolean
set_outcome (DgStore          *self,
             DgRectification  *notice,
             const char       *user,
             const char       *now,
             JsonObject       *detail,
             gpointer          user_data,
             GError          **error)
{
  const Close *close = user_data;

  notice->outcome = close->outcome;
  notice->note = g_strdup (close->note);
  notice->closed_by = g_strdup (user);
  notice->closed_at = g_strdup (now);
  json_object_set_string_member (detail, "outcome",
                                 dg_rectification_outcome_to_string (close->outcome));
  return TRUE;
}

DgRectification *
dg_store_close_rectification (DgStore                 *self,
                              const char              *id,
                              DgRectificationOutcome   outcome,
                              const char              *note,
                              const char              *user,
                              GError                 **error)
{
  Close close = { outcome, note };

  g_return_val_if_fail (outcome != DG_RECTIFICATION_OUTCOME_NONE, NULL);

  return take_step (self, id, user, DG_AUDIT_RECTIFICATION_CLOSED, set_outcome, &close, error);
}
