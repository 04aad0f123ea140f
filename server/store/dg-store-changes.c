/* dg-store-changes.c: the rules of a batch of changes, whatever the backend (design 5).
 *
 * A change is validated by common/, checked against who may write it, the record's current rev
 * (conflict), the references it names and the months it touches (closed), then stored as the
 * record's new state and as a new revision chained by hash to the one before. The backend only
 * keeps and finds; every decision is made here, once.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include "dg-store-private.h"

/* State of one batch being applied. */
typedef struct
{
  const char *user;
  DgRole      role;
  gboolean    force;        /* import: ignore base_rev */
  gint64      seq;          /* last seq handed out */
  char       *prev_hash;    /* hash of the last revision stored */
  char       *now;
  char       *today;        /* the server's local date: what "in the future" is after */
} Batch;

/* ---- The hash chain ---- */

char *
dg_store_chain_hash (const char *prev,
                     const char *text)
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *hex;

  g_checksum_update (checksum, (const guchar *) prev, strlen (prev));
  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  hex = g_strdup (g_checksum_get_string (checksum));
  g_checksum_free (checksum);

  return hex;
}

void
dg_store_add_revision_json (JsonBuilder           *builder,
                            const DgStoreRevision *revision,
                            gboolean               as_history)
{
  JsonNode *data = revision->data != NULL ? json_from_string (revision->data, NULL) : NULL;

  json_builder_begin_object (builder);
  if (!as_history)
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, revision->type);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, revision->record_id);
    }
  json_builder_set_member_name (builder, "rev");
  json_builder_add_int_value (builder, revision->rev);
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, revision->author);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, revision->updated_at);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, revision->deleted);
  if (as_history)
    {
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, revision->hash);
    }
  json_builder_set_member_name (builder, "data");
  if (data != NULL)
    json_builder_add_value (builder, data);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* The text that a revision's hash covers: the canonical JSON of the revision itself. */
static char *
revision_canonical (const DgStoreRevision *revision)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  dg_store_add_revision_json (builder, revision, FALSE);
  root = json_builder_get_root (builder);
  return dg_json_canonical (root);
}

/* revision_canonical() for data that is already canonical JSON text (as every revision this
 * store writes is): the same bytes, spelled out with the members in their sorted order, without
 * parsing the data and encoding it again. */
static char *
revision_canonical_fast (const DgStoreRevision *revision)
{
  const char *data = revision->data;
  GString *out = g_string_sized_new (256 + (data != NULL ? strlen (data) : 0));

  g_string_append (out, "{\"author\":");
  dg_json_append_string (out, revision->author);
  g_string_append (out, ",\"data\":");
  g_string_append (out, data != NULL ? data : "null");
  g_string_append (out, revision->deleted ? ",\"deleted\":true,\"id\":"
                                          : ",\"deleted\":false,\"id\":");
  dg_json_append_string (out, revision->record_id);
  g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT ",\"type\":", revision->rev);
  dg_json_append_string (out, revision->type);
  g_string_append (out, ",\"updated_at\":");
  dg_json_append_string (out, revision->updated_at);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

char *
dg_store_revision_hash (const char            *prev_hash,
                        const DgStoreRevision *revision,
                        gboolean               data_is_canonical)
{
  g_autofree char *canonical = NULL;

  canonical = data_is_canonical ? revision_canonical_fast (revision)
                                : revision_canonical (revision);
  return dg_store_chain_hash (prev_hash, canonical);
}

/* Appends a revision of @id to the chain, as this batch's user at its time. */
static gboolean
write_revision (DgStore     *self,
                Batch       *batch,
                const char  *id,
                const char  *type,
                gint64       rev,
                gboolean     deleted,
                const char  *data,
                GError     **error)
{
  DgStoreRevision revision = {
    0, id, rev, type, batch->user, batch->now, deleted, data, NULL
  };
  g_autofree char *hash = NULL;

  /* @data is the canonical text this batch just made: no need to parse and encode it again
   * (dg_store_verify() still does, so a difference would show there). */
  hash = dg_store_revision_hash (batch->prev_hash, &revision, TRUE);
  revision.hash = hash;
  if (!self->backend->add_revision (self->db, &revision, error))
    return FALSE;

  g_free (batch->prev_hash);
  batch->prev_hash = g_steal_pointer (&hash);
  return TRUE;
}

/* ---- One change ---- */

static char *
object_canonical (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return dg_json_canonical (node);
}

static char *
record_month (DgRecordType  type,
              gconstpointer data)
{
  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return dg_date_month (((const DgRoadCheck *) data)->date);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return g_strdup (((const DgDustfallSample *) data)->month);
    case DG_RECORD_DUSTFALL_HISTORY:
      /* A closed month's values stay as they were closed, history or not. */
      return g_strdup (((const DgDustfallHistory *) data)->month);
    case DG_RECORD_ROAD:
    case DG_RECORD_GRID_CELL:
    case DG_RECORD_RULE:
    case DG_RECORD_UNIT:
    case DG_RECORD_RECTIFICATION:
    case DG_N_RECORD_TYPES:
    default:
      return NULL;
    }
}

/* A sample written here changes the cell-months of the month it leaves and the one it enters. */
static void
forget_cell_months (DgStore       *self,
                    DgRecordType   type,
                    gconstpointer  data,
                    const char    *old_month)
{
  if (type != DG_RECORD_DUSTFALL_SAMPLE)
    return;
  if (old_month != NULL)
    g_hash_table_remove (self->cell_months, old_month);
  if (data != NULL)
    g_hash_table_remove (self->cell_months, ((const DgDustfallSample *) data)->month);
}

static DgResult *
rejected (const char  *id,
          gint64       rev,
          GError      *error)
{
  DgResult *result = dg_result_new (id != NULL ? id : "", DG_RESULT_REJECTED, rev);

  result->error = error;
  return result;
}

static DgResult *
rejected_new (const char  *id,
              gint64       rev,
              DgErrorCode  code,
              const char  *field,
              const char  *message)
{
  GError *error = NULL;

  dg_set_error (&error, code, field, "%s", message);
  return rejected (id, rev, error);
}

static const char *
node_id (JsonNode *node)
{
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  member = json_object_get_member (object, "id");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (member);
}

/* Design 6.6: a rule in force in a closed month would change its figures (they are frozen at
 * the close, dg_store_load_month_reference(), but the office would see a rule in the list that
 * no report applies). A rule dated on or before the latest closed month's last day, as it is
 * written or as it was, is refused: a tightened limit is a new rule dated after it. *refused
 * holds the message, or NULL. */
static gboolean
check_rule_after_closed_months (DgStore           *self,
                                const DgRule      *rule,
                                const DgStoreRow  *existing,
                                char             **refused,
                                GError           **error)
{
  g_autofree char *latest = NULL;
  g_autofree char *old_from = NULL;
  const char *dates[2] = { rule != NULL ? rule->effective_from : NULL, NULL };

  *refused = NULL;
  if (!self->backend->latest_closed_month (self->db, &latest, error))
    return FALSE;
  if (latest == NULL)
    return TRUE;

  if (existing != NULL && existing->data != NULL && !existing->deleted)
    {
      g_autoptr(JsonObject) old = dg_store_parse_object (existing->data);

      if (old != NULL)
        dates[1] = old_from = g_strdup (json_object_get_string_member_with_default (
                                          old, "effective_from", NULL));
    }

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *month = dates[i] != NULL ? dg_date_month (dates[i]) : NULL;

      if (month != NULL && strcmp (month, latest) <= 0)
        {
          *refused = g_strdup_printf ("a rule in force from %s would change the figures of "
                                      "%s, which is closed: date a new rule after it",
                                      dates[i], latest);
          return TRUE;
        }
    }
  return TRUE;
}

/* Design 6.3: a road's or a cell's unit_id names a unit; a unit keeps a code of its own and a
 * parent that exists and is not below it; a unit that roads, cells or other units still name is
 * not deleted (they would name nothing). @data is NULL for a deletion. *refusal gets why a
 * change is refused, or stays NULL; FALSE only when the database failed. */
static gboolean
check_unit_links (DgStore        *self,
                  DgRecordType    type,
                  const char     *id,
                  gconstpointer   data,
                  GError        **refusal,
                  GError        **error)
{
  const char *unit_id = NULL;

  if (type == DG_RECORD_ROAD && data != NULL)
    unit_id = ((const DgRoad *) data)->unit_id;
  else if (type == DG_RECORD_GRID_CELL && data != NULL)
    unit_id = ((const DgGridCell *) data)->unit_id;

  if (unit_id != NULL)
    {
      gboolean exists = FALSE;

      if (!self->backend->record_exists (self->db, unit_id, DG_RECORD_UNIT, &exists, error))
        return FALSE;
      if (!exists)
        dg_set_error (refusal, DG_ERROR_INVALID_FIELD, "unit_id", "unit_id names no unit");
      return TRUE;
    }

  if (type != DG_RECORD_UNIT)
    return TRUE;

  if (data != NULL)
    {
      g_autoptr(GPtrArray) units = dg_store_load_all_locked (self, DG_RECORD_UNIT, error);

      if (units == NULL)
        return FALSE;
      dg_unit_validate_among (data, units, refusal);
      return TRUE;
    }

  /* A deletion: nothing may still name the unit. */
  {
    static const DgRecordType namers[] = { DG_RECORD_UNIT, DG_RECORD_ROAD, DG_RECORD_GRID_CELL };

    for (guint t = 0; t < G_N_ELEMENTS (namers); t++)
      {
        g_autoptr(GPtrArray) all = dg_store_load_all_locked (self, namers[t], error);

        if (all == NULL)
          return FALSE;
        for (guint i = 0; i < all->len; i++)
          {
            gconstpointer other = g_ptr_array_index (all, i);
            const char *named = namers[t] == DG_RECORD_UNIT ? ((const DgUnit *) other)->parent_id
                              : namers[t] == DG_RECORD_ROAD ? ((const DgRoad *) other)->unit_id
                              : ((const DgGridCell *) other)->unit_id;

            if (named != NULL && g_ascii_strcasecmp (named, id) == 0)
              {
                dg_set_error (refusal, DG_ERROR_CONFLICT, "id",
                              "%s %s still names this unit: change it first",
                              dg_record_type_to_string (namers[t]),
                              namers[t] == DG_RECORD_UNIT ? ((const DgUnit *) other)->code
                              : namers[t] == DG_RECORD_ROAD ? ((const DgRoad *) other)->name
                              : ((const DgGridCell *) other)->code);
                return TRUE;
              }
          }
      }
  }

  return TRUE;
}

/* Applies one CHANGE. Returns its result; NULL with @error only when the database failed, which
 * fails the whole batch. */
static DgResult *
apply_one (DgStore   *self,
           Batch     *batch,
           JsonNode  *node,
           GError   **error)
{
  const DgStoreBackend *backend = self->backend;
  g_autoptr(DgChange) change = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(DgStoreRow) existing = { 0 };
  g_autofree char *data_text = NULL;
  g_autofree char *computed_text = NULL;
  g_autofree char *month = NULL;
  gpointer data = NULL;
  gboolean found = FALSE;
  gboolean closed;
  DgStoreRow row;
  DgResult *result = NULL;

  change = dg_change_from_json (node, &local_error);
  if (change == NULL)
    return rejected (node_id (node), 0, g_steal_pointer (&local_error));

  /* A notice's every step is its own route's, which checks who takes it (design 6.3). */
  if (change->type == DG_RECORD_RECTIFICATION)
    return rejected_new (change->id, 0, DG_ERROR_INVALID_FIELD, "type",
                         "rectification notices are written through /api/v1/rectifications");

  if (!dg_policy_allows_write (batch->role, change->type, DG_SCOPE_ANY))
    return rejected_new (change->id, 0, DG_ERROR_FORBIDDEN, "type",
                         dg_record_type_is_reference (change->type)
                           ? "only an administrator may change reference data"
                           : "this role may not write records");

  if (!backend->load_record (self->db, change->id, &existing, &found, error))
    return NULL;

  /* A new record is the writer's own; an existing one is whoever wrote it first. */
  if (found && !dg_policy_allows_write (batch->role, change->type,
                                        dg_policy_scope_for (existing.owner, batch->user)))
    return rejected_new (change->id, 0, DG_ERROR_FORBIDDEN, "id",
                         "this record belongs to another inspector");

  /* Voiding is final: the record stays as it was voided, in the history and in review. */
  if (found && g_strcmp0 (existing.state, dg_record_state_to_string (DG_RECORD_STATE_VOIDED)) == 0)
    return rejected_new (change->id, existing.rev, DG_ERROR_CONFLICT, "id",
                         "this record is voided");

  if (found && existing.type != change->type)
    return rejected_new (change->id, existing.rev, DG_ERROR_INVALID_FIELD, "type",
                         "a record with this id exists with another type");

  if (change->deleted)
    {
      if (!found)
        return rejected_new (change->id, 0, DG_ERROR_NOT_FOUND, "id", "no such record to delete");
      if (existing.deleted)
        return dg_result_new (change->id, DG_RESULT_UNCHANGED, existing.rev);
      month = g_strdup (existing.month);
    }
  else
    {
      g_autoptr(JsonObject) normalized = NULL;

      if (change->data == NULL)
        return rejected_new (change->id, found ? existing.rev : 0, DG_ERROR_INVALID_FIELD,
                             "data", "data is required");

      data = dg_record_data_from_json (change->type, change->id, change->data, &local_error);
      if (data == NULL)
        /* Field paths stay relative to the data object ("points[3].mass_g"), as on the wire. */
        return rejected (change->id, found ? existing.rev : 0, g_steal_pointer (&local_error));

      normalized = dg_record_data_to_json (change->type, data);
      data_text = object_canonical (normalized);

      if (found && !existing.deleted && g_strcmp0 (existing.data, data_text) == 0)
        {
          result = dg_result_new (change->id, DG_RESULT_UNCHANGED, existing.rev);
          goto out;
        }

      month = record_month (change->type, data);

      /* A check names a road and a sample a grid cell that exist. */
      if (change->type == DG_RECORD_ROAD_CHECK || change->type == DG_RECORD_DUSTFALL_SAMPLE)
        {
          gboolean is_check = change->type == DG_RECORD_ROAD_CHECK;
          const char *ref = is_check ? ((DgRoadCheck *) data)->road_id
                                     : ((DgDustfallSample *) data)->cell_id;
          gboolean exists = FALSE;

          if (!backend->record_exists (self->db, ref,
                                       is_check ? DG_RECORD_ROAD : DG_RECORD_GRID_CELL,
                                       &exists, error))
            goto failed;
          if (!exists)
            {
              result = rejected_new (change->id, found ? existing.rev : 0,
                                     DG_ERROR_INVALID_FIELD,
                                     is_check ? "road_id" : "cell_id",
                                     is_check ? "road_id names no road" :
                                                "cell_id names no grid cell");
              goto out;
            }

          /* Design 6.2: a photo is uploaded before the record that names it. */
          {
            g_autofree char *missing = NULL;

            if (!dg_store_find_missing_photo_locked (self, change->type, data, &missing, error))
              goto failed;
            if (missing != NULL)
              {
                g_autofree char *message = g_strdup_printf ("%s names no uploaded attachment",
                                                            missing);

                result = rejected_new (change->id, found ? existing.rev : 0,
                                       DG_ERROR_INVALID_FIELD, missing, message);
                goto out;
              }
          }

          /* Design 6.7: not dated ahead of the server's today, and one sample per jar. */
          if (!dg_record_check_not_future (change->type, data, batch->today, &local_error))
            {
              result = rejected (change->id, found ? existing.rev : 0,
                                 g_steal_pointer (&local_error));
              goto out;
            }
          if (!is_check)
            {
              const DgDustfallSample *sample = data;
              g_autofree char *holder = NULL;

              if (!backend->find_jar (self->db, sample->month, sample->cell_id,
                                      sample->site != NULL ? sample->site : "1", sample->jar,
                                      change->id, &holder, error))
                goto failed;
              if (!dg_dustfall_check_jar_free (sample, holder, &local_error))
                {
                  result = rejected (change->id, found ? existing.rev : 0,
                                     g_steal_pointer (&local_error));
                  goto out;
                }
            }
        }
      else if (change->type == DG_RECORD_DUSTFALL_HISTORY)
        {
          const DgDustfallHistory *history = data;
          gboolean exists = FALSE;

          if (!backend->record_exists (self->db, history->cell_id, DG_RECORD_GRID_CELL,
                                       &exists, error))
            goto failed;
          if (!exists)
            {
              result = rejected_new (change->id, found ? existing.rev : 0,
                                     DG_ERROR_INVALID_FIELD, "cell_id",
                                     "cell_id names no grid cell");
              goto out;
            }
          if (!dg_record_check_not_future (change->type, data, batch->today, &local_error))
            {
              result = rejected (change->id, found ? existing.rev : 0,
                                 g_steal_pointer (&local_error));
              goto out;
            }
        }
    }

  if (found && !batch->force && change->base_rev != existing.rev)
    {
      result = dg_result_new (change->id, DG_RESULT_CONFLICT, existing.rev);
      result->current = dg_store_record_from_row (&existing);
      goto out;
    }

  {
    GError *refusal = NULL;

    if (!check_unit_links (self, change->type, change->id, change->deleted ? NULL : data,
                           &refusal, error))
      goto failed;
    if (refusal != NULL)
      {
        result = rejected (change->id, found ? existing.rev : 0, refusal);
        goto out;
      }
  }

  if (change->type == DG_RECORD_RULE)
    {
      g_autofree char *refused = NULL;

      if (!check_rule_after_closed_months (self, data, found ? &existing : NULL, &refused,
                                           error))
        goto failed;
      if (refused != NULL)
        {
          result = rejected_new (change->id, found ? existing.rev : 0, DG_ERROR_MONTH_CLOSED,
                                 "effective_from", refused);
          goto out;
        }
    }

  /* Neither the month a record leaves nor the one it enters may be closed. */
  if (!backend->month_closed (self->db, month, &closed, NULL, error))
    goto failed;
  if (!closed && found && g_strcmp0 (existing.month, month) != 0)
    {
      if (!backend->month_closed (self->db, existing.month, &closed, NULL, error))
        goto failed;
    }
  if (closed)
    {
      result = rejected_new (change->id, found ? existing.rev : 0, DG_ERROR_MONTH_CLOSED,
                             NULL, "the month of this record is closed");
      goto out;
    }

  if (change->deleted)
    {
      data_text = g_strdup (existing.data);
      computed_text = g_strdup (existing.computed);
    }
  else
    {
      g_autoptr(DgRuleSet) rules = dg_store_load_rules_locked (self, error);
      g_autoptr(JsonObject) computed = NULL;
      g_autoptr(DgRoad) road = NULL;
      DgCheckEvidence evidence = { 0 };

      if (rules == NULL)
        goto failed;
      /* A check's doubts read its photos and its road (design 6.2). */
      if (change->type == DG_RECORD_ROAD_CHECK &&
          !dg_store_check_evidence_locked (self, change->id, data, &evidence, &road, error))
        {
          dg_check_evidence_clear (&evidence);
          goto failed;
        }
      computed = dg_record_computed_to_json_with_evidence (change->type, data, rules,
                                                           change->type == DG_RECORD_ROAD_CHECK
                                                             ? &evidence : NULL);
      dg_check_evidence_clear (&evidence);
      if (computed != NULL)
        computed_text = object_canonical (computed);
    }

  row = (DgStoreRow) {
    .id = change->id,
    .type = change->type,
    .rev = found ? existing.rev + 1 : 1,
    .seq = ++batch->seq,
    .deleted = change->deleted,
    .owner = found ? existing.owner : (char *) batch->user,
    .updated_at = batch->now,
    .data = data_text,
    .computed = computed_text,
    .month = month,
  };

  /* The author's own edit answers a return for correction; anyone else's leaves it pending. */
  if (found && g_strcmp0 (existing.owner, batch->user) != 0)
    {
      row.state = existing.state;
      row.reason = existing.reason;
    }
  else
    {
      row.state = (char *) dg_record_state_to_string (DG_RECORD_STATE_ACTIVE);
      row.reason = NULL;
    }

  if (!backend->put_record (self->db, &row, FALSE, error))
    goto failed;

  if (!write_revision (self, batch, change->id, dg_record_type_to_string (change->type), row.rev,
                       change->deleted, change->deleted ? NULL : data_text, error))
    goto failed;

  /* Who changed the district's roads, cells, units and rules is the audit log's (6.1). */
  if (dg_record_type_is_reference (change->type))
    {
      g_autoptr(JsonObject) detail = json_object_new ();

      json_object_set_string_member (detail, "type", dg_record_type_to_string (change->type));
      json_object_set_int_member (detail, "rev", row.rev);
      json_object_set_boolean_member (detail, "deleted", change->deleted);
      if (!dg_store_audit_locked (self, batch->now, batch->user, DG_AUDIT_REFERENCE_CHANGED,
                                  change->id, detail, error))
        goto failed;
    }

  forget_cell_months (self, change->type, change->deleted ? NULL : data,
                      found ? existing.month : NULL);
  if (!backend->index_record (self->db, change->type, change->id, row.owner,
                              change->deleted ? NULL : data, found ? existing.month : NULL, error))
    goto failed;

  if (change->type == DG_RECORD_RULE)
    g_clear_pointer (&self->rules, dg_rule_set_unref);
  if (change->type == DG_RECORD_ROAD || change->type == DG_RECORD_GRID_CELL)
    dg_store_drop_caches (self);

  result = dg_result_new (change->id, DG_RESULT_APPLIED, row.rev);

out:
  if (data != NULL)
    dg_record_data_free (change->type, data);
  return result;

failed:
  if (data != NULL)
    dg_record_data_free (change->type, data);
  return NULL;
}

/* ---- A batch ---- */

static gboolean
begin_batch (DgStore     *self,
             Batch       *batch,
             GError     **error)
{
  if (!self->backend->begin_write (self->db, &batch->seq, &batch->prev_hash, error))
    return FALSE;

  batch->now = dg_timestamp_now ();
  batch->today = dg_date_today ();
  return TRUE;
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->prev_hash, g_free);
  g_clear_pointer (&batch->now, g_free);
  g_clear_pointer (&batch->today, g_free);
}

/* After a failed batch: nothing of it was stored, and what was read inside it (rules, roads,
 * cells that may not exist any more) is forgotten. */
static void
abort_batch (DgStore *self,
             Batch   *batch)
{
  if (self->db != NULL)
    self->backend->rollback (self->db);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  dg_store_drop_caches (self);
  batch_clear (batch);
}

GPtrArray *
dg_store_apply_batch_locked (DgStore     *self,
                             const char  *user,
                             DgRole       role,
                             gboolean     force,
                             gboolean     all_or_nothing,
                             gboolean     dry_run,
                             JsonArray   *changes,
                             GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_result_free);
  Batch batch = { user, role, force, 0, NULL, NULL, NULL };
  guint n = json_array_get_length (changes);

  if (!dg_store_check_open (self, error))
    return NULL;

  if (!begin_batch (self, &batch, error))
    goto failed;

  for (guint i = 0; i < n; i++)
    {
      DgResult *result = apply_one (self, &batch, json_array_get_element (changes, i), error);

      if (result == NULL)
        goto failed;
      g_ptr_array_add (results, result);

      if (all_or_nothing && result->status == DG_RESULT_REJECTED)
        {
          JsonNode *node = json_array_get_element (changes, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *type = object != NULL ? json_object_get_string_member_with_default (
                                                object, "type", "record") : "record";
          const char *field = dg_error_get_field (result->error);

          dg_set_error (error, result->error->code, field, "%s %s: %s%s%s%s", type, result->id,
                        result->error->message, field != NULL ? " (" : "",
                        field != NULL ? field : "", field != NULL ? ")" : "");
          goto failed;
        }
    }

  /* A dry run answers as the batch would have been answered, and keeps nothing of it. */
  if (dry_run)
    {
      abort_batch (self, &batch);
      return g_steal_pointer (&results);
    }

  if (!self->backend->commit (self->db, error))
    goto failed;

  batch_clear (&batch);
  return g_steal_pointer (&results);

failed:
  abort_batch (self, &batch);
  return NULL;
}

/* ---- Group commit ---- */

/* One caller's batch waiting to be written with others (dg_store_apply_changes()). */
typedef struct
{
  const char *user;
  DgRole      role;
  JsonArray  *changes;
  GPtrArray  *results;      /* once written; NULL with @error when it could not be */
  GError     *error;
  gboolean    done;
} Push;

/* A group holds at most one full batch's worth of changes: enough for the many one-check pushes
 * of a district's inspectors to share a flush, without holding the store for several large
 * batches at once. A push larger than what is left goes in the next group. */
#define MAX_GROUP_CHANGES DG_MAX_BATCH_CHANGES

/* Applies each push of @group in turn in one transaction, each as if it were a batch of its own
 * after those before it: its own user and results, its rejected changes its own. FALSE when the
 * database failed, or the commit did: then nothing of the group was stored and no push has
 * results. */
static gboolean
write_group_locked (DgStore    *self,
                    GPtrArray  *group,
                    GError    **error)
{
  Batch batch = { NULL, DG_ROLE_INSPECTOR, FALSE, 0, NULL, NULL, NULL };

  if (!dg_store_check_open (self, error) || !begin_batch (self, &batch, error))
    goto failed;

  for (guint p = 0; p < group->len; p++)
    {
      Push *push = g_ptr_array_index (group, p);
      guint n = json_array_get_length (push->changes);

      batch.user = push->user;
      batch.role = push->role;
      push->results = g_ptr_array_new_full (n, (GDestroyNotify) dg_result_free);
      for (guint i = 0; i < n; i++)
        {
          DgResult *result = apply_one (self, &batch, json_array_get_element (push->changes, i),
                                        error);

          if (result == NULL)
            goto failed;
          g_ptr_array_add (push->results, result);
        }
    }

  if (!self->backend->commit (self->db, error))
    goto failed;

  batch_clear (&batch);
  return TRUE;

failed:
  abort_batch (self, &batch);
  for (guint p = 0; p < group->len; p++)
    g_clear_pointer (&((Push *) g_ptr_array_index (group, p))->results, g_ptr_array_unref);
  return FALSE;
}

static void
write_group (DgStore   *self,
             GPtrArray *group)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GError) error = NULL;

  if (write_group_locked (self, group, &error))
    return;

  if (group->len == 1)
    {
      ((Push *) g_ptr_array_index (group, 0))->error = g_steal_pointer (&error);
      return;
    }

  /* One push may be what the database refused: each again in a transaction of its own, so that
   * it fails alone and the others are stored. */
  for (guint p = 0; p < group->len; p++)
    {
      Push *push = g_ptr_array_index (group, p);

      push->results = dg_store_apply_batch_locked (self, push->user, push->role, FALSE, FALSE,
                                                   FALSE, push->changes, &push->error);
    }
}

/* The pushes at the head of the queue, in their order of arrival, up to MAX_GROUP_CHANGES
 * (always at least one). Called with push_lock held. */
static GPtrArray *
take_group (DgStore *self)
{
  GPtrArray *group = g_ptr_array_new ();
  guint n_changes = 0;

  while (!g_queue_is_empty (&self->push_queue))
    {
      Push *push = g_queue_peek_head (&self->push_queue);
      guint n = json_array_get_length (push->changes);

      if (group->len > 0 && n_changes + n > MAX_GROUP_CHANGES)
        break;
      g_ptr_array_add (group, g_queue_pop_head (&self->push_queue));
      n_changes += n;
    }

  return group;
}

/* ---- Public API ---- */

GPtrArray *
dg_store_apply_changes (DgStore     *self,
                        const char  *user,
                        DgRole       role,
                        JsonArray   *changes,
                        GError     **error)
{
  Push push = { user, role, changes, NULL, NULL, FALSE };

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  /* Group commit: while one caller writes, the pushes that arrive queue up; when it is done, the
   * first still waiting writes everything queued, in order, in one transaction and one COMMIT.
   * Each caller returns only once its group is committed: what is answered is on disk. */
  g_mutex_lock (&self->push_lock);
  g_queue_push_tail (&self->push_queue, &push);
  while (!push.done && self->push_writing)
    g_cond_wait (&self->push_cond, &self->push_lock);
  if (!push.done)
    {
      self->push_writing = TRUE;
      while (!push.done)
        {
          g_autoptr(GPtrArray) group = take_group (self);

          g_mutex_unlock (&self->push_lock);
          write_group (self, group);
          g_mutex_lock (&self->push_lock);
          for (guint p = 0; p < group->len; p++)
            ((Push *) g_ptr_array_index (group, p))->done = TRUE;
          /* Those of this group return now, while this caller may write the next one. */
          g_cond_broadcast (&self->push_cond);
        }
      self->push_writing = FALSE;
      g_cond_broadcast (&self->push_cond);
    }
  g_mutex_unlock (&self->push_lock);

  if (push.results == NULL)
    {
      g_propagate_error (error, push.error);
      return NULL;
    }
  return push.results;
}

gboolean
dg_store_insert_generated (DgStore       *self,
                           const char    *author,
                           DgRecordType   type,
                           GPtrArray     *records,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgRuleSet) rules = NULL;
  Batch batch = { author, DG_ROLE_INSPECTOR, TRUE, 0, NULL, NULL, NULL };
  const char *type_name = dg_record_type_to_string (type);
  const char *state = dg_record_state_to_string (DG_RECORD_STATE_ACTIVE);

  g_return_val_if_fail (type == DG_RECORD_ROAD_CHECK || type == DG_RECORD_DUSTFALL_SAMPLE, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;
  if (!begin_batch (self, &batch, error))
    goto failed;
  rules = dg_store_load_rules_locked (self, error);
  if (rules == NULL)
    goto failed;

  for (guint i = 0; i < records->len; i++)
    {
      gconstpointer data = g_ptr_array_index (records, i);
      const char *id = type == DG_RECORD_ROAD_CHECK ? ((const DgRoadCheck *) data)->id
                                                    : ((const DgDustfallSample *) data)->id;
      g_autoptr(JsonObject) object = dg_record_data_to_json (type, data);
      g_autoptr(JsonObject) computed = dg_record_computed_to_json (type, data, rules);
      g_autofree char *data_text = object_canonical (object);
      g_autofree char *computed_text = computed != NULL ? object_canonical (computed) : NULL;
      g_autofree char *month = record_month (type, data);
      DgStoreRow row = {
        .id = (char *) id,
        .type = type,
        .rev = 1,
        .seq = ++batch.seq,
        .deleted = FALSE,
        .owner = (char *) author,
        .updated_at = batch.now,
        .state = (char *) state,
        .reason = NULL,
        .data = data_text,
        .computed = computed_text,
        .month = month,
      };

      if (!self->backend->put_record (self->db, &row, TRUE, error) ||
          !write_revision (self, &batch, id, type_name, 1, FALSE, data_text, error) ||
          !self->backend->index_record (self->db, type, id, author, data, NULL, error))
        goto failed;
      forget_cell_months (self, type, data, NULL);
    }

  if (!self->backend->commit (self->db, error))
    goto failed;
  batch_clear (&batch);
  return TRUE;

failed:
  abort_batch (self, &batch);
  return FALSE;
}

/* Turns the elements of @root's @member into changes of @type, appended to @changes. */
static gboolean
import_section (JsonObject    *root,
                const char    *member,
                DgRecordType   type,
                JsonArray     *changes,
                GError       **error)
{
  JsonArray *array = NULL;
  JsonNode *node = json_object_get_member (root, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!dg_json_get_array (root, member, &array, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonObject) data = json_object_new ();
      g_autoptr(DgChange) change = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GList) members = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "%s[%u] is not an object",
                        member, i);
          return FALSE;
        }
      object = json_node_get_object (element);
      if (!dg_json_get_string (object, "id", DG_UUID_LEN, &id, error))
        {
          g_prefix_error (error, "%s[%u]: ", member, i);
          return FALSE;
        }

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (strcmp (l->data, "id") != 0)
            json_object_set_member (data, l->data,
                                    json_node_copy (json_object_get_member (object, l->data)));
        }

      change = dg_change_new (type, id, 0, FALSE, data);
      json_array_add_element (changes, dg_change_to_json (change));
    }

  return TRUE;
}

/* The unit changes of @changes in an order where a unit whose parent is in the
 * file comes after that parent, so that a file lists its tree in any order. What a cycle leaves
 * goes last, for validation to refuse. */
static JsonArray *
order_units_parents_first (JsonArray *changes)
{
  g_autoptr(GHashTable) in_file = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) left = g_ptr_array_new ();
  JsonArray *ordered = json_array_new ();
  gboolean progress = TRUE;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);

      g_hash_table_add (in_file, (gpointer) node_id (node));
      g_ptr_array_add (left, node);
    }

  while (left->len > 0 && progress)
    {
      progress = FALSE;
      for (guint i = 0; i < left->len;)
        {
          JsonNode *node = g_ptr_array_index (left, i);
          JsonObject *data = json_object_get_object_member (json_node_get_object (node), "data");
          JsonNode *parent = json_object_get_member (data, "parent_id");
          const char *parent_id = parent != NULL && JSON_NODE_HOLDS_VALUE (parent) &&
                                  json_node_get_value_type (parent) == G_TYPE_STRING
                                    ? json_node_get_string (parent) : NULL;

          if (parent_id == NULL || !g_hash_table_contains (in_file, parent_id) ||
              g_hash_table_contains (placed, parent_id))
            {
              g_hash_table_add (placed, (gpointer) node_id (node));
              json_array_add_element (ordered, json_node_copy (node));
              g_ptr_array_remove_index (left, i);
              progress = TRUE;
            }
          else
            i++;
        }
    }

  for (guint i = 0; i < left->len; i++)
    json_array_add_element (ordered, json_node_copy (g_ptr_array_index (left, i)));

  return ordered;
}

gboolean
dg_store_import_reference (DgStore     *self,
                           JsonNode    *root,
                           const char  *user,
                           guint       *n_applied,
                           guint       *n_unchanged,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  JsonObject *object;
  guint applied = 0, unchanged = 0;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL,
                    "reference data must be an object with units, roads, grid_cells and rules");
      return FALSE;
    }
  object = json_node_get_object (root);

  /* Units first, parents before their children, then the roads and cells that name them. */
  {
    g_autoptr(JsonArray) units = json_array_new ();
    g_autoptr(JsonArray) ordered = NULL;

    if (!import_section (object, "units", DG_RECORD_UNIT, units, error))
      return FALSE;
    ordered = order_units_parents_first (units);
    for (guint i = 0; i < json_array_get_length (ordered); i++)
      json_array_add_element (changes, json_node_copy (json_array_get_element (ordered, i)));
  }
  if (!import_section (object, "rules", DG_RECORD_RULE, changes, error) ||
      !import_section (object, "roads", DG_RECORD_ROAD, changes, error) ||
      !import_section (object, "grid_cells", DG_RECORD_GRID_CELL, changes, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  results = dg_store_apply_batch_locked (self, user, DG_ROLE_ADMIN, TRUE, TRUE, FALSE, changes,
                                         error);
  if (results == NULL)
    return FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);

      if (result->status == DG_RESULT_APPLIED)
        applied++;
      else
        unchanged++;
    }

  if (n_applied != NULL)
    *n_applied = applied;
  if (n_unchanged != NULL)
    *n_unchanged = unchanged;

  return TRUE;
}

GPtrArray *
dg_store_import_changes (DgStore     *self,
                         JsonArray   *changes,
                         const char  *user,
                         gboolean     dry_run,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return dg_store_apply_batch_locked (self, user, DG_ROLE_ADMIN, TRUE, FALSE, dry_run, changes,
                                      error);
}

/* Sets the state of a check or sample @id to @state (returned or voided) for @reason, as
 * @user: a new seq so that pulls carry it, no new rev (the content stays, and so does its
 * history), and the event in the audit log, in one transaction. Refused in a closed month, and
 * for a record already voided (voiding it again answers it as it is). */
static DgRecord *
set_record_state (DgStore        *self,
                  const char     *id,
                  DgRecordState   state,
                  const char     *reason,
                  const char     *user,
                  const char     *action,
                  GError        **error)
{
  const DgStoreBackend *backend;
  const char *state_name = dg_record_state_to_string (state);
  const char *voided = dg_record_state_to_string (DG_RECORD_STATE_VOIDED);
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgStoreRow) row = { 0 };
  g_autofree char *prev_hash = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonObject) detail = NULL;
  gboolean found = FALSE;
  gboolean closed = FALSE;
  gint64 seq = 0;

  g_return_val_if_fail (reason != NULL, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;
  backend = self->backend;
  if (!backend->begin_write (self->db, &seq, &prev_hash, error))
    goto failed;

  if (!backend->load_record (self->db, id, &row, &found, error))
    goto failed;
  if (!found || row.deleted)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      goto failed;
    }
  if (row.type != DG_RECORD_ROAD_CHECK && row.type != DG_RECORD_DUSTFALL_SAMPLE)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "id",
                    "only road checks and dust-fall samples can be %s", state_name);
      goto failed;
    }
  if (g_strcmp0 (row.state, voided) == 0)
    {
      backend->rollback (self->db);
      if (state == DG_RECORD_STATE_VOIDED)
        return dg_store_record_from_row (&row);
      dg_set_error (error, DG_ERROR_CONFLICT, NULL, "record %s is voided", id);
      return NULL;
    }
  if (!backend->month_closed (self->db, row.month, &closed, NULL, error))
    goto failed;
  if (closed)
    {
      dg_set_error (error, DG_ERROR_MONTH_CLOSED, NULL, "month %s is closed", row.month);
      goto failed;
    }

  /* A new seq so that pulls carry the change to the author and the office; the content, and so
   * the rev, stay. */
  seq++;
  detail = json_object_new ();
  json_object_set_string_member (detail, "type", dg_record_type_to_string (row.type));
  json_object_set_string_member (detail, "author", row.owner);
  json_object_set_string_member (detail, "reason", reason);
  now = dg_timestamp_now ();
  if (!backend->set_record_state (self->db, id, state_name, reason, seq, error) ||
      !dg_store_audit_locked (self, now, user, action, id, detail, error))
    goto failed;

  /* A voided record is no data: what the reports read of it goes. */
  if (state == DG_RECORD_STATE_VOIDED)
    {
      if (row.type == DG_RECORD_DUSTFALL_SAMPLE && row.month != NULL)
        g_hash_table_remove (self->cell_months, row.month);
      if (!backend->index_record (self->db, row.type, id, row.owner, NULL, row.month, error))
        goto failed;
    }

  if (!backend->commit (self->db, error))
    goto failed;

  g_free (row.state);
  row.state = g_strdup (state_name);
  g_free (row.reason);
  row.reason = g_strdup (reason);
  row.seq = seq;

  return dg_store_record_from_row (&row);

failed:
  backend->rollback (self->db);
  return NULL;
}

DgRecord *
dg_store_return_record (DgStore     *self,
                        const char  *id,
                        const char  *reason,
                        const char  *user,
                        GError     **error)
{
  return set_record_state (self, id, DG_RECORD_STATE_RETURNED, reason, user,
                           DG_AUDIT_RECORD_RETURNED, error);
}

DgRecord *
dg_store_void_record (DgStore     *self,
                      const char  *id,
                      const char  *reason,
                      const char  *user,
                      GError     **error)
{
  return set_record_state (self, id, DG_RECORD_STATE_VOIDED, reason, user,
                           DG_AUDIT_RECORD_VOIDED, error);
}
