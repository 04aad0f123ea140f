/* dg-local-store.c
 *
 * One SQLite connection guarded by a mutex: the sync engine's worker thread and the main thread
 * both use it, and every multi-statement change runs in one transaction so a crash leaves either
 * the whole edit (record + outbox entry) or none of it.
 *
 * The lists the pages show are read through other connections, one per concurrent reader, taken
 * from a pool. In WAL mode a reader sees the last committed state and never waits for a writer
 * or another reader: with the one connection, the main thread waited for the sync's whole
 * transaction of 500 records and its fsync (up to 0.8 s on a loaded machine) each time it
 * refreshed a page after a batch, and for the office view's month report reading every record.
 *
 * This file holds the object, opening the file, the main-thread guard, the connections and
 * "changed"; the other concerns have their own files (see dg-local-store-private.h).
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include "dg-local-store-private.h"
#include "dg-messages.h"

G_DEFINE_FINAL_TYPE (DgLocalStore, dg_local_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
dg_ls_set_sqlite_error (DgLocalStore  *self,
                        GError       **error)
{
  g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE,
               "Local store: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
dg_ls_exec (DgLocalStore  *self,
            const char    *sql,
            GError       **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE, "Local store: %s", msg);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
dg_ls_prepare (DgLocalStore  *self,
               const char    *sql,
               GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      dg_ls_set_sqlite_error (self, error);
      return NULL;
    }
  return stmt;
}

JsonObject *
dg_ls_column_object (sqlite3_stmt *stmt,
                     int           i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = dg_json_parse (text, strlen (text), NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

char *
dg_ls_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return dg_json_to_string (node);
}

/* The date of a check or the month of a sample; the name or code of reference data. */
char *
dg_ls_sort_key_for (DgRecordType  type,
                    JsonObject   *data)
{
  const char *member;

  if (data == NULL)
    return NULL;

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK: member = "date"; break;
    case DG_RECORD_DUSTFALL_SAMPLE: member = "month"; break;
    case DG_RECORD_ROAD: member = "name"; break;
    case DG_RECORD_GRID_CELL: member = "code"; break;
    case DG_RECORD_UNIT: member = "code"; break;
    case DG_RECORD_RULE: member = "effective_from"; break;
    case DG_RECORD_DUSTFALL_HISTORY: member = "month"; break;
    case DG_RECORD_RECTIFICATION:
    case DG_N_RECORD_TYPES:
    default:
      return NULL;
    }

  if (json_object_has_member (data, member) &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (data, member)) &&
      json_node_get_value_type (json_object_get_member (data, member)) == G_TYPE_STRING)
    return g_strdup (json_object_get_string_member (data, member));
  return NULL;
}

static gboolean
emit_changed_cb (gpointer user_data)
{
  DgLocalStore *self = user_data;

  g_mutex_lock (&self->mutex);
  self->changed_queued = FALSE;
  g_mutex_unlock (&self->mutex);

  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_outbox_changed_cb (gpointer user_data)
{
  g_signal_emit (user_data, signals[OUTBOX_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Whether SQL on the main thread is refused. DUSTGRID_STORE_GUARD=1 or 0 says so (the test
 * suite sets 1, whatever the build type); without it, builds with debug information refuse (the
 * default debugoptimized build a developer runs), and release and packaged builds (plain) do
 * not, so that a field tablet is never stopped by the guard itself. */
static gboolean
guard_enabled (void)
{
  static gsize once = 0;
  static gboolean enabled;

  if (g_once_init_enter (&once))
    {
      const char *env = g_getenv ("DUSTGRID_STORE_GUARD");

      enabled = env != NULL && *env != '\0' ? g_strcmp0 (env, "0") != 0 : DG_STORE_GUARD_DEFAULT;
      g_once_init_leave (&once, 1);
    }
  return enabled;
}

gboolean
dg_local_store_check_thread (const char  *caller,
                             GError     **error)
{
  /* The thread that runs the default main context is the one that draws: the owner while it
   * dispatches, i.e. in every handler of the app. Worker threads never own it. */
  if (!guard_enabled () || !g_main_context_is_owner (g_main_context_default ()))
    return TRUE;
  g_critical ("%s: SQL on the main thread would stall drawing; use an asynchronous call "
              "(dg_local_store_run_async() and the _async functions)", caller);
  g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE,
               "Local store: %s refused on the main thread", caller);
  return FALSE;
}

/* Always deferred to an idle on the store's context, even from the main thread: the mutex is
 * held here, and handlers call back into the store. */
void
dg_ls_defer (DgLocalStore *self,
             GSourceFunc   func)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[dg-local-store] changed");
  g_source_attach (source, self->context);
}

/* Called with the mutex held. Coalesces bursts of writes into one "changed". */
void
dg_ls_queue_changed_locked (DgLocalStore *self,
                            gboolean      outbox)
{
  if (!self->changed_queued)
    {
      self->changed_queued = TRUE;
      dg_ls_defer (self, emit_changed_cb);
    }
  if (outbox)
    dg_ls_defer (self, emit_outbox_changed_cb);
}

/* Called with the mutex held, after a change to the outbox. */
void
dg_ls_refresh_pending_locked (DgLocalStore *self)
{
  sqlite3_stmt *stmt = dg_ls_prepare (self, "SELECT COUNT(*) FROM outbox", NULL);

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_atomic_int_set (&self->n_pending, sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);
}

gboolean
dg_ls_write_begin (DgLocalStore  *self,
                   GError       **error)
{
  g_mutex_lock (&self->mutex);
  if (dg_ls_exec (self, "BEGIN IMMEDIATE", error))
    return TRUE;
  g_mutex_unlock (&self->mutex);
  return FALSE;
}

gboolean
dg_ls_write_end (DgLocalStore  *self,
                 DgLsWrite      what,
                 GError       **local_error,
                 GError       **error)
{
  gboolean committed;

  if (*local_error == NULL)
    dg_ls_exec (self, "COMMIT", local_error);
  committed = *local_error == NULL;

  if (!committed)
    {
      dg_ls_exec (self, "ROLLBACK", NULL);
      g_propagate_error (error, g_steal_pointer (local_error));
    }
  else if (what != DG_LS_WRITE_QUIET)
    {
      if (what != DG_LS_WRITE_RECORDS)
        dg_ls_refresh_pending_locked (self);
      dg_ls_queue_changed_locked (self, what == DG_LS_WRITE_OUTBOX);
    }

  g_mutex_unlock (&self->mutex);
  return committed;
}

static void
close_reader (gpointer db)
{
  sqlite3_close (db);
}

/* A reading connection for this thread alone; give it back with read_unlock(). NULL when none
 * can be opened (the caller then reads nothing, as on a failed query). */
sqlite3 *
dg_ls_read_lock (DgLocalStore *self)
{
  sqlite3 *db = NULL;

  if (!dg_local_store_check_thread (G_STRFUNC, NULL))
    return NULL;
  if (self->shared_reads)
    {
      g_mutex_lock (&self->mutex);
      return self->db;
    }

  g_mutex_lock (&self->readers_mutex);
  if (self->readers->len > 0)
    db = g_ptr_array_steal_index_fast (self->readers, self->readers->len - 1);
  g_mutex_unlock (&self->readers_mutex);
  if (db != NULL)
    return db;

  /* One more reader at the same time than ever before: it stays in the pool. */
  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_warning ("Local store: %s", sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  sqlite3_exec (db, "PRAGMA query_only = 1", NULL, NULL, NULL);
  return db;
}

void
dg_ls_read_unlock (DgLocalStore *self,
                   sqlite3      *db)
{
  if (db == NULL)
    return;
  if (self->shared_reads)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  if (db == NULL)
    return;
  g_mutex_lock (&self->readers_mutex);
  g_ptr_array_add (self->readers, db);
  g_mutex_unlock (&self->readers_mutex);
}

static void
dg_local_store_finalize (GObject *object)
{
  DgLocalStore *self = (DgLocalStore *)object;

  g_clear_pointer (&self->readers, g_ptr_array_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->readers_mutex);

  G_OBJECT_CLASS (dg_local_store_parent_class)->finalize (object);
}

static void
dg_local_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DgLocalStore *self = DG_LOCAL_STORE (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, dg_local_store_get_open (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_local_store_class_init (DgLocalStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_local_store_finalize;
  object_class->get_property = dg_local_store_get_property;

  /**
   * DgLocalStore:open:
   *
   * Whether the file is open: set once, notified on the store's main context.
   */
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DgLocalStore::changed:
   *
   * Records changed (a local edit, a pull, a push result). Emitted on the store's main context.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DgLocalStore::outbox-changed:
   *
   * A local edit was queued: the sync engine schedules a push.
   */
  signals[OUTBOX_CHANGED] = g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
dg_local_store_init (DgLocalStore *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->readers_mutex);
  self->readers = g_ptr_array_new_with_free_func (close_reader);
  self->context = g_main_context_ref_thread_default ();
}

char *
dg_local_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "dustgrid", "dustgrid.db", NULL);
}

DgLocalStore *
dg_local_store_new_for_path (const char *path)
{
  DgLocalStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DG_TYPE_LOCAL_STORE, NULL);
  self->path = g_strdup (path);
  /* Another connection to a database in memory would be another database. */
  self->shared_reads = g_strcmp0 (path, ":memory:") == 0 || path[0] == '\0' ||
                       g_str_has_prefix (path, "file:");
  return self;
}

/* Opens and migrates the file; the caller holds the mutex. On failure the store stays closed
 * and may be opened again. */
static gboolean
open_locked (DgLocalStore  *self,
             GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (self->db != NULL)
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      dg_ls_set_sqlite_error (self, error);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL with synchronous=FULL: an edit acknowledged to the inspector survives a power cut. */
  if (!dg_ls_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !dg_ls_exec (self, "PRAGMA synchronous = FULL", error) ||
      !dg_ls_migrate (self, error))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  dg_ls_refresh_pending_locked (self);
  return TRUE;
}

static gboolean
emit_open_cb (gpointer user_data)
{
  g_object_notify_by_pspec (user_data, properties[PROP_OPEN]);
  return G_SOURCE_REMOVE;
}

static gboolean
open_store (DgLocalStore  *self,
            gboolean       with_reference,
            GError       **error)
{
  gboolean ok;

  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  ok = open_locked (self, error);
  g_mutex_unlock (&self->mutex);
  if (!ok)
    return FALSE;
  if (with_reference && !dg_local_store_ensure_reference (self, error))
    return FALSE;

  /* Only now: whoever waits for the store to open finds the sample district in it. */
  if (!g_atomic_int_exchange (&self->open, TRUE))
    dg_ls_defer (self, emit_open_cb);
  return TRUE;
}

DgLocalStore *
dg_local_store_new (const char  *path,
                    GError     **error)
{
  g_autoptr(DgLocalStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = dg_local_store_new_for_path (path);
  if (!open_store (self, FALSE, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (open_store (source_object, GPOINTER_TO_INT (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dg_local_store_open_async (DgLocalStore        *self,
                           gboolean             ensure_reference,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DG_IS_LOCAL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_local_store_open_async);
  g_task_set_task_data (task, GINT_TO_POINTER (ensure_reference), NULL);
  g_task_run_in_thread (task, open_thread);
}

gboolean
dg_local_store_open_finish (DgLocalStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
dg_local_store_get_open (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  return g_atomic_int_get (&self->open);
}

const char *
dg_local_store_get_path (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  return self->path;
}

/* A function of the caller's, run on a worker by dg_local_store_run_async(). */
typedef struct
{
  DgLocalStoreFunc  func;
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
} StoreCall;

static void
store_call_free (StoreCall *call)
{
  if (call->data_free && call->data)
    call->data_free (call->data);
  g_free (call);
}

static void
store_call_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StoreCall *call = task_data;
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  result = call->func (source_object, call->data, cancellable, &error);
  if (error != NULL)
    {
      if (result && call->result_free)
        call->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, call->result_free);
}

void
dg_local_store_run_async (DgLocalStore        *self,
                          DgLocalStoreFunc     func,
                          gpointer             data,
                          GDestroyNotify       data_free,
                          GDestroyNotify       result_free,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreCall *call;

  g_return_if_fail (DG_IS_LOCAL_STORE (self));
  g_return_if_fail (func != NULL);

  call = g_new0 (StoreCall, 1);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_local_store_run_async);
  g_task_set_task_data (task, call, (GDestroyNotify) store_call_free);
  g_task_run_in_thread (task, store_call_thread);
}

gpointer
dg_local_store_run_finish (DgLocalStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
