/* dg-store-audit.c: the audit log of design 6.1, whatever the backend.
 *
 * Every event is appended inside the write transaction of what it records (a user changed, a
 * month closed), so the log holds an event exactly when the change was committed. Events are
 * chained as revisions are: hash = SHA-256 (previous hash ‖ canonical JSON of the event without
 * its hash), through the same dg_store_chain_hash().
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include "dg-store-private.h"

/* The text an event's hash covers. */
static char *
event_canonical (const DgAuditEvent *event)
{
  g_autoptr(JsonNode) node = dg_audit_event_to_json (event, FALSE);

  return dg_json_canonical (node);
}

gboolean
dg_store_audit_locked (DgStore     *self,
                       const char  *at,
                       const char  *actor,
                       const char  *action,
                       const char  *target,
                       JsonObject  *detail,
                       GError     **error)
{
  g_autofree char *prev = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *hash = NULL;
  DgAuditEvent event = { 0 };
  gint64 seq = 0;

  if (!self->backend->last_audit (self->db, &seq, &prev, error))
    return FALSE;

  if (detail != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, detail);
      detail_text = dg_json_canonical (node);
    }

  event.seq = seq + 1;
  event.at = (char *) at;
  event.actor = (char *) actor;
  event.action = (char *) action;
  event.target = (char *) target;
  event.detail = detail_text;
  canonical = event_canonical (&event);
  hash = dg_store_chain_hash (prev, canonical);
  event.hash = hash;

  return self->backend->add_audit (self->db, &event, error);
}

gboolean
dg_store_audit (DgStore     *self,
                const char  *actor,
                const char  *action,
                const char  *target,
                JsonObject  *detail,
                GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *now = NULL;
  gint64 seq;

  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return FALSE;
  if (!dg_store_audit_locked (self, now, actor, action, target, detail, error) ||
      !self->backend->commit (self->db, error))
    {
      self->backend->rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  GPtrArray *events;
  guint      limit;
  gboolean   more;
} Read;

static gboolean
read_event_cb (const DgAuditEvent  *event,
               gpointer             user_data,
               GError             **error)
{
  Read *read = user_data;
  DgAuditEvent *copy;

  /* The one event past the limit only says that there is more. */
  if (read->events->len == read->limit)
    {
      read->more = TRUE;
      return TRUE;
    }

  copy = g_new0 (DgAuditEvent, 1);
  copy->seq = event->seq;
  copy->at = g_strdup (event->at);
  copy->actor = g_strdup (event->actor);
  copy->action = g_strdup (event->action);
  copy->target = g_strdup (event->target);
  copy->detail = g_strdup (event->detail);
  copy->hash = g_strdup (event->hash);
  g_ptr_array_add (read->events, copy);
  return TRUE;
}

GPtrArray *
dg_store_read_audit (DgStore     *self,
                     gint64       since,
                     guint        limit,
                     gint64      *next,
                     gboolean    *more,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) events = NULL;
  Read read;

  g_return_val_if_fail (limit > 0, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_audit_event_free);
  read = (Read) { events, limit, FALSE };
  if (!self->backend->audit (self->db, since, (gint64) limit + 1, read_event_cb, &read, error))
    return NULL;

  *more = read.more;
  *next = events->len > 0 ? ((DgAuditEvent *) g_ptr_array_index (events, events->len - 1))->seq
                          : since;
  return g_steal_pointer (&events);
}

typedef struct
{
  char   *prev;
  gint64  n;
} Walk;

/* Each event's hash must follow from the one before and its own canonical JSON, made afresh,
 * and the seqs must run without a gap: an event taken out breaks the chain too. */
static gboolean
verify_event_cb (const DgAuditEvent  *event,
                 gpointer             user_data,
                 GError             **error)
{
  Walk *walk = user_data;
  g_autofree char *canonical = event_canonical (event);
  g_autofree char *hash = dg_store_chain_hash (walk->prev, canonical);

  if (event->seq != walk->n + 1 || event->hash == NULL || strcmp (hash, event->hash) != 0)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "audit event %" G_GINT64_FORMAT " (%s): hash mismatch", event->seq,
                    event->action != NULL ? event->action : "?");
      return FALSE;
    }

  g_free (walk->prev);
  walk->prev = g_steal_pointer (&hash);
  walk->n++;
  return TRUE;
}

gboolean
dg_store_verify_audit_locked (DgStore  *self,
                              gint64   *n_events,
                              GError  **error)
{
  Walk walk = { g_strdup (""), 0 };
  gboolean ok;

  ok = self->backend->audit (self->db, 0, -1, verify_event_cb, &walk, error);
  g_free (walk.prev);
  if (ok && n_events != NULL)
    *n_events = walk.n;
  return ok;
}
