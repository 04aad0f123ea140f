/* dg-draft-keeper.c
 *
 * A queue of operations (write a draft, drop one) run one at a time through
 * dg_local_store_run_async(). A write waiting in the queue for the same record is replaced by
 * the newer one, so a burst of keys costs one write. Each operation in flight holds a reference
 * to the keeper: an editor that goes away still gets its last state written.
 */

#define G_LOG_DOMAIN "dg-draft-keeper"

#include "config.h"

#include "dg-draft-keeper.h"

typedef struct
{
  DgRecordType  type;
  char         *id;
  JsonObject   *draft;   /* NULL: drop the draft */
} Op;

struct _DgDraftKeeper
{
  GObject        parent_instance;

  DgLocalStore  *store;
  DgRecordType   type;
  char          *id;
  JsonObject    *waiting;     /* the latest state, not queued yet */
  guint          timeout_id;
  GQueue         ops;         /* Op *, oldest first */
  gboolean       in_flight;
  GPtrArray     *flushes;     /* GTask *, finished once nothing waits */
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (DgDraftKeeper, dg_draft_keeper, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_next (DgDraftKeeper *self);

static void
op_free (Op *op)
{
  g_free (op->id);
  g_clear_pointer (&op->draft, json_object_unref);
  g_free (op);
}

static void
update_busy (DgDraftKeeper *self)
{
  gboolean busy = self->in_flight || self->timeout_id != 0 || !g_queue_is_empty (&self->ops);

  if (!busy && self->flushes->len > 0)
    {
      g_autoptr(GPtrArray) flushes = g_steal_pointer (&self->flushes);

      self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < flushes->len; i++)
        g_task_return_boolean (g_ptr_array_index (flushes, i), TRUE);
    }
  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
enqueue (DgDraftKeeper *self,
         Op            *op)
{
  /* A write not started yet is superseded by any later operation on the same record. */
  for (GList *l = self->ops.head; l != NULL; )
    {
      GList *next = l->next;
      Op *queued = l->data;

      if (g_strcmp0 (queued->id, op->id) == 0)
        {
          op_free (queued);
          g_queue_delete_link (&self->ops, l);
        }
      l = next;
    }
  g_queue_push_tail (&self->ops, op);
  run_next (self);
}

/* The waiting state goes into the queue. */
static void
queue_waiting (DgDraftKeeper *self)
{
  Op *op;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->waiting == NULL || self->id == NULL)
    {
      g_clear_pointer (&self->waiting, json_object_unref);
      return;
    }
  op = g_new0 (Op, 1);
  op->type = self->type;
  op->id = g_strdup (self->id);
  op->draft = g_steal_pointer (&self->waiting);
  enqueue (self, op);
}

/* On a worker thread. Any non-NULL pointer says done: the store outlives its tasks. */
static gpointer
run_op_func (DgLocalStore  *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Op *op = data;
  gboolean ok;

  if (op->draft)
    ok = dg_local_store_put_draft (store, op->type, op->id, op->draft, error);
  else
    ok = dg_local_store_delete_draft (store, op->id, error);
  return ok ? store : NULL;
}

static void
op_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DgDraftKeeper) self = user_data;
  g_autoptr(GError) error = NULL;

  if (dg_local_store_run_finish (DG_LOCAL_STORE (object), result, &error) == NULL)
    g_warning ("Cannot keep the draft: %s", error->message);
  self->in_flight = FALSE;
  run_next (self);
}

static void
run_next (DgDraftKeeper *self)
{
  Op *op;

  if (!self->in_flight && self->store != NULL && (op = g_queue_pop_head (&self->ops)) != NULL)
    {
      self->in_flight = TRUE;
      dg_local_store_run_async (self->store, run_op_func, op, (GDestroyNotify) op_free, NULL,
                                NULL, op_done_cb, g_object_ref (self));
    }
  update_busy (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  DgDraftKeeper *self = user_data;

  self->timeout_id = 0;
  queue_waiting (self);
  return G_SOURCE_REMOVE;
}

static void
dg_draft_keeper_dispose (GObject *object)
{
  DgDraftKeeper *self = (DgDraftKeeper *)object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dg_draft_keeper_parent_class)->dispose (object);
}

static void
dg_draft_keeper_finalize (GObject *object)
{
  DgDraftKeeper *self = (DgDraftKeeper *)object;

  g_queue_clear_full (&self->ops, (GDestroyNotify) op_free);
  g_clear_pointer (&self->waiting, json_object_unref);
  g_clear_pointer (&self->flushes, g_ptr_array_unref);
  g_free (self->id);

  G_OBJECT_CLASS (dg_draft_keeper_parent_class)->finalize (object);
}

static void
dg_draft_keeper_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DgDraftKeeper *self = DG_DRAFT_KEEPER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_draft_keeper_class_init (DgDraftKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_draft_keeper_dispose;
  object_class->finalize = dg_draft_keeper_finalize;
  object_class->get_property = dg_draft_keeper_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dg_draft_keeper_init (DgDraftKeeper *self)
{
  g_queue_init (&self->ops);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
}

DgDraftKeeper *
dg_draft_keeper_new (void)
{
  return g_object_new (DG_TYPE_DRAFT_KEEPER, NULL);
}

void
dg_draft_keeper_set_store (DgDraftKeeper *self,
                           DgLocalStore  *store)
{
  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));

  g_set_object (&self->store, store);
  run_next (self);
}

void
dg_draft_keeper_track (DgDraftKeeper *self,
                       DgRecordType   type,
                       const char    *id)
{
  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));

  if (g_strcmp0 (self->id, id) == 0 && self->type == type)
    return;
  queue_waiting (self);
  g_free (self->id);
  self->id = g_strdup (id);
  self->type = type;
  update_busy (self);
}

void
dg_draft_keeper_update (DgDraftKeeper *self,
                        JsonObject    *draft)
{
  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));
  g_return_if_fail (draft != NULL);

  g_clear_pointer (&self->waiting, json_object_unref);
  self->waiting = draft;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (DG_DRAFT_KEEPER_DELAY_MS, timeout_cb, self);
  update_busy (self);
}

void
dg_draft_keeper_discard (DgDraftKeeper *self)
{
  Op *op;

  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->waiting, json_object_unref);
  if (self->id == NULL)
    {
      update_busy (self);
      return;
    }
  op = g_new0 (Op, 1);
  op->type = self->type;
  op->id = g_strdup (self->id);
  enqueue (self, op);
}

void
dg_draft_keeper_flush_async (DgDraftKeeper       *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, dg_draft_keeper_flush_async);
  g_ptr_array_add (self->flushes, task);
  if (self->timeout_id != 0)
    queue_waiting (self);
  update_busy (self);
}

gboolean
dg_draft_keeper_flush_finish (DgDraftKeeper  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
dg_draft_keeper_get_busy (DgDraftKeeper *self)
{
  g_return_val_if_fail (DG_IS_DRAFT_KEEPER (self), FALSE);
  return self->busy;
}

typedef struct
{
  DgRecordType  type;
  char         *id;
  JsonObject   *draft;
} Restore;

static void
restore_free (Restore *restore)
{
  g_free (restore->id);
  g_clear_pointer (&restore->draft, json_object_unref);
  g_free (restore);
}

/* On a worker thread. */
static gpointer
restore_func (DgLocalStore  *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Restore *asked = data;
  Restore *found = g_new0 (Restore, 1);

  if (asked->id)
    {
      found->draft = dg_local_store_get_draft (store, asked->id);
      found->id = g_strdup (asked->id);
    }
  else
    found->draft = dg_local_store_find_new_draft (store, asked->type, &found->id);
  return found;
}

static void
restore_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  Restore *found = dg_local_store_run_finish (DG_LOCAL_STORE (object), result, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) restore_free);
}

static void
restore_flushed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DgDraftKeeper *self = DG_DRAFT_KEEPER (object);
  Restore *asked = g_task_get_task_data (task);
  Restore *copy;

  if (self->store == NULL || g_task_return_error_if_cancelled (task))
    {
      if (!g_task_had_error (task))
        g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  copy = g_new0 (Restore, 1);
  copy->type = asked->type;
  copy->id = g_strdup (asked->id);
  dg_local_store_run_async (self->store, restore_func, copy, (GDestroyNotify) restore_free,
                            (GDestroyNotify) restore_free, g_task_get_cancellable (task),
                            restore_read_cb, task);
}

void
dg_draft_keeper_restore_async (DgDraftKeeper       *self,
                               DgRecordType         type,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Restore *asked;

  g_return_if_fail (DG_IS_DRAFT_KEEPER (self));

  asked = g_new0 (Restore, 1);
  asked->type = type;
  asked->id = g_strdup (id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_draft_keeper_restore_async);
  g_task_set_task_data (task, asked, (GDestroyNotify) restore_free);
  /* After the writes already asked for: a draft kept a moment ago is found. */
  dg_draft_keeper_flush_async (self, restore_flushed_cb, task);
}

JsonObject *
dg_draft_keeper_restore_finish (DgDraftKeeper  *self,
                                GAsyncResult   *result,
                                char          **draft_id,
                                GError        **error)
{
  Restore *found;
  JsonObject *draft;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (draft_id)
    *draft_id = NULL;
  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;
  draft = g_steal_pointer (&found->draft);
  if (draft && draft_id)
    *draft_id = g_steal_pointer (&found->id);
  restore_free (found);
  return draft;
}

const char *
dg_draft_get_text (JsonObject *draft,
                   const char *name)
{
  JsonNode *node = draft ? json_object_get_member (draft, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

JsonArray *
dg_draft_get_array (JsonObject *draft,
                    const char *name)
{
  JsonNode *node = draft ? json_object_get_member (draft, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

char *
dg_draft_to_string (JsonObject *draft)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, draft);
  return json_to_string (node, FALSE);
}
