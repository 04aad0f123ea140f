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
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dg-local-store.h"
#include "dg-messages.h"

GResource *dg_get_resource (void);

struct _DgLocalStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  GMutex        mutex;
  gboolean      shared_reads;  /* a database in memory: reads use db, under mutex */
  GPtrArray    *readers;       /* idle reading connections (sqlite3 *) */
  GMutex        readers_mutex; /* guards readers only: held for a push or a pop */
  GMainContext *context;
  gboolean      changed_queued;
  gint          n_pending;     /* cached outbox size, read without the mutex */
  gint          open;          /* set once opened, migrated (and seeded, when asked) */
};

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

/* Every public call that runs SQL starts with this: see dg_local_store_check_thread(). */
#define GUARD_SQL(error, value) \
  G_STMT_START { \
    if (!dg_local_store_check_thread (G_STRFUNC, (error))) \
      return (value); \
  } G_STMT_END

#define SCHEMA_VERSION 1

/* Each entry migrates from user_version i to i + 1. */
static const char *migrations[] = {
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  seq INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  author TEXT,"
  "  updated_at TEXT,"
  "  state TEXT NOT NULL DEFAULT 'active',"
  "  reason TEXT,"
  "  data TEXT,"
  "  computed TEXT,"
  "  sync TEXT NOT NULL DEFAULT 'synced',"
  "  message TEXT,"
  "  server_rev INTEGER NOT NULL DEFAULT 0,"
  "  server_data TEXT,"
  "  sort_key TEXT"
  ");"
  "CREATE INDEX records_type_key ON records (type, sort_key);"
  "CREATE TABLE outbox ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  base_rev INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  data TEXT,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  queued INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_queued ON outbox (queued);"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
};

static const char *sync_names[] = {
  [DG_SYNC_STATUS_SYNCED] = "synced",
  [DG_SYNC_STATUS_PENDING] = "pending",
  [DG_SYNC_STATUS_CONFLICT] = "conflict",
  [DG_SYNC_STATUS_REJECTED] = "rejected",
  [DG_SYNC_STATUS_RETURNED] = "returned",
  [DG_SYNC_STATUS_LOCAL] = "bundled",
};

static DgSyncStatus
sync_status_from_string (const char *str)
{
  for (guint i = 0; i < G_N_ELEMENTS (sync_names); i++)
    if (g_strcmp0 (sync_names[i], str) == 0)
      return i;
  return DG_SYNC_STATUS_SYNCED;
}

static gboolean
set_sqlite_error (DgLocalStore  *self,
                  GError       **error)
{
  g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE,
               "Local store: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (DgLocalStore  *self,
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

static sqlite3_stmt *
prepare (DgLocalStore  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static JsonObject *
column_object (sqlite3_stmt *stmt,
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

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return dg_json_to_string (node);
}

/* The date of a check or the month of a sample; the name or code of reference data. */
static char *
sort_key_for (DgRecordType  type,
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
    case DG_RECORD_RULE: member = "effective_from"; break;
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
static void
defer (DgLocalStore *self,
       GSourceFunc   func)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[dg-local-store] changed");
  g_source_attach (source, self->context);
}

/* Called with the mutex held. Coalesces bursts of writes into one "changed". */
static void
queue_changed_locked (DgLocalStore *self,
                      gboolean      outbox)
{
  if (!self->changed_queued)
    {
      self->changed_queued = TRUE;
      defer (self, emit_changed_cb);
    }
  if (outbox)
    defer (self, emit_outbox_changed_cb);
}

/* Called with the mutex held, after a change to the outbox. */
static void
refresh_pending_locked (DgLocalStore *self)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT COUNT(*) FROM outbox", NULL);

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_atomic_int_set (&self->n_pending, sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);
}

static gboolean
migrate (DgLocalStore  *self,
         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int version = 0;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE,
                   "Local store %s was written by a newer DustGrid (schema %d)",
                   self->path, version);
      return FALSE;
    }

  for (; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], &local_error) ||
          !exec (self, bump, &local_error))
        {
          exec (self, "ROLLBACK", NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

static char *
meta_get_locked (DgLocalStore *self,
                 const char   *key)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
meta_set_locked (DgLocalStore  *self,
                 const char    *key,
                 const char    *value,
                 GError       **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : set_sqlite_error (self, error);
}

static DgStoreEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  DgStoreEntry *entry = g_new0 (DgStoreEntry, 1);
  DgRecordState state = DG_RECORD_STATE_ACTIVE;

  /* Columns: see ENTRY_COLUMNS. */
  dg_record_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &entry->type);
  entry->id = column_dup (stmt, 1);
  entry->rev = sqlite3_column_int64 (stmt, 2);
  entry->seq = sqlite3_column_int64 (stmt, 3);
  entry->deleted = sqlite3_column_int (stmt, 4);
  entry->author = column_dup (stmt, 5);
  entry->updated_at = column_dup (stmt, 6);
  dg_record_state_from_string ((const char *) sqlite3_column_text (stmt, 7), &state);
  entry->state = state;
  entry->reason = column_dup (stmt, 8);
  entry->data = column_object (stmt, 9);
  entry->status = sync_status_from_string ((const char *) sqlite3_column_text (stmt, 10));
  entry->message = column_dup (stmt, 11);
  entry->server_rev = sqlite3_column_int64 (stmt, 12);
  entry->server_data = column_object (stmt, 13);
  entry->sort_key = column_dup (stmt, 14);

  /* A waiting outbox entry wins: the inspector's latest edit is on its way. */
  if (sqlite3_column_int (stmt, 15))
    entry->status = DG_SYNC_STATUS_PENDING;
  else if (entry->status == DG_SYNC_STATUS_SYNCED && entry->state == DG_RECORD_STATE_RETURNED)
    entry->status = DG_SYNC_STATUS_RETURNED;

  return entry;
}

#define ENTRY_COLUMNS \
  "r.type, r.id, r.rev, r.seq, r.deleted, r.author, r.updated_at, r.state, r.reason, r.data, " \
  "r.sync, r.message, r.server_rev, r.server_data, r.sort_key, " \
  "EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.id) "

static void
close_reader (gpointer db)
{
  sqlite3_close (db);
}

/* A reading connection for this thread alone; give it back with read_unlock(). NULL when none
 * can be opened (the caller then reads nothing, as on a failed query). */
static sqlite3 *
read_lock (DgLocalStore *self)
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

static void
read_unlock (DgLocalStore *self,
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

/* Runs a query of ENTRY_COLUMNS on @db (from read_lock()). */
static GPtrArray *
list_entries_locked (sqlite3    *db,
                     const char *sql,
                     const char *arg1,
                     const char *arg2)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_store_entry_free);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return entries;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("%s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return entries;
    }
  if (arg1)
    bind_text (stmt, 1, arg1);
  if (arg2)
    bind_text (stmt, 2, arg2);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_finalize (stmt);
  return entries;
}

/* Writes one record row from the server's side (pull or import). */
static gboolean
put_record_locked (DgLocalStore    *self,
                   const DgRecord  *record,
                   const char      *sync,
                   GError         **error)
{
  g_autofree char *data = object_to_string (record->data);
  g_autofree char *computed = object_to_string (record->computed);
  g_autofree char *key = sort_key_for (record->type, record->data);
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = prepare (self,
                  "INSERT OR REPLACE INTO records (id, type, rev, seq, deleted, author, updated_at,"
                  " state, reason, data, computed, sync, message, server_rev, server_data, sort_key)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, ?3, NULL, ?13)",
                  error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, record->id);
  bind_text (stmt, 2, dg_record_type_to_string (record->type));
  sqlite3_bind_int64 (stmt, 3, record->rev);
  sqlite3_bind_int64 (stmt, 4, record->seq);
  sqlite3_bind_int (stmt, 5, record->deleted);
  bind_text (stmt, 6, record->author);
  bind_text (stmt, 7, record->updated_at);
  bind_text (stmt, 8, dg_record_state_to_string (record->state));
  bind_text (stmt, 9, record->reason);
  bind_text (stmt, 10, data);
  bind_text (stmt, 11, computed);
  bind_text (stmt, 12, sync);
  bind_text (stmt, 13, key);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : set_sqlite_error (self, error);
}

static gboolean
save_locked (DgLocalStore  *self,
             DgRecordType   type,
             const char    *id,
             JsonObject    *data,
             GError       **error)
{
  g_autofree char *text = object_to_string (data);
  g_autofree char *key = sort_key_for (type, data);
  g_autofree char *now = dg_timestamp_now ();
  sqlite3_stmt *stmt;
  gint64 base_rev = 0;
  gboolean exists = FALSE;
  gboolean conflict = FALSE;
  gboolean ok;

  stmt = prepare (self, "SELECT rev, sync, server_rev FROM records WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      base_rev = sqlite3_column_int64 (stmt, 0);
      conflict = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "conflict") == 0;
      /* Editing a record in conflict means keeping one's own version over the server's. */
      if (conflict)
        base_rev = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);

  if (exists)
    stmt = prepare (self,
                    "UPDATE records SET data = ?2, sort_key = ?3, sync = 'synced', message = NULL,"
                    " rev = ?4, server_data = NULL, updated_at = ?5 WHERE id = ?1", error);
  else
    stmt = prepare (self,
                    "INSERT INTO records (id, type, data, sort_key, rev, updated_at)"
                    " VALUES (?1, ?6, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, text);
  bind_text (stmt, 3, key);
  sqlite3_bind_int64 (stmt, 4, base_rev);
  bind_text (stmt, 5, now);
  if (!exists)
    bind_text (stmt, 6, dg_record_type_to_string (type));
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return set_sqlite_error (self, error);

  /* One outbox entry per record: a later edit replaces the waiting one and bumps its version,
   * so a push that was in flight meanwhile does not clear the newer edit. */
  stmt = prepare (self,
                  "INSERT INTO outbox (id, type, base_rev, deleted, data, version, queued)"
                  " VALUES (?1, ?2, ?3, 0, ?4, 1,"
                  "  (SELECT IFNULL (MAX (queued), 0) + 1 FROM outbox))"
                  " ON CONFLICT (id) DO UPDATE SET data = excluded.data,"
                  "  base_rev = excluded.base_rev, version = version + 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, dg_record_type_to_string (type));
  sqlite3_bind_int64 (stmt, 3, base_rev);
  bind_text (stmt, 4, text);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : set_sqlite_error (self, error);
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

void
dg_store_entry_free (DgStoreEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->author);
  g_free (entry->updated_at);
  g_free (entry->reason);
  g_clear_pointer (&entry->data, json_object_unref);
  g_free (entry->message);
  g_clear_pointer (&entry->server_data, json_object_unref);
  g_free (entry->sort_key);
  g_free (entry);
}

void
dg_outbox_item_free (DgOutboxItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->change, dg_change_free);
  g_free (item);
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
      set_sqlite_error (self, error);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL with synchronous=FULL: an edit acknowledged to the inspector survives a power cut. */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !migrate (self, error))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  refresh_pending_locked (self);
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
    defer (self, emit_open_cb);
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

gboolean
dg_local_store_import_reference (DgLocalStore  *self,
                                 JsonNode      *root,
                                 gboolean       bundled,
                                 GError       **error)
{
  static const struct { const char *member; DgRecordType type; } parts[] = {
    { "roads", DG_RECORD_ROAD },
    { "grid_cells", DG_RECORD_GRID_CELL },
    { "rules", DG_RECORD_RULE },
  };
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DG_ERROR, DG_ERROR_BAD_JSON, "Reference data is not an object");
      return FALSE;
    }
  object = json_node_get_object (root);

  g_mutex_lock (&self->mutex);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  for (guint p = 0; p < G_N_ELEMENTS (parts) && local_error == NULL; p++)
    {
      JsonArray *array;

      if (!json_object_has_member (object, parts[p].member))
        continue;
      if (!dg_json_get_array (object, parts[p].member, &array, &local_error))
        break;

      for (guint i = 0; i < json_array_get_length (array) && local_error == NULL; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autoptr(DgRecord) record = NULL;
          g_autofree char *id = NULL;
          JsonObject *element;
          gpointer parsed;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (&local_error, DG_ERROR, DG_ERROR_INVALID_FIELD,
                           "%s[%u] is not an object", parts[p].member, i);
              break;
            }
          element = json_node_get_object (node);
          if (!dg_json_get_string (element, "id", DG_UUID_LEN, &id, &local_error))
            break;
          parsed = dg_record_data_from_json (parts[p].type, id, element, &local_error);
          if (parsed == NULL)
            break;

          record = dg_record_new ();
          record->type = parts[p].type;
          record->id = g_strdup (id);
          record->state = DG_RECORD_STATE_ACTIVE;
          record->data = dg_record_data_to_json (parts[p].type, parsed);
          dg_record_data_free (parts[p].type, parsed);

          put_record_locked (self, record, bundled ? "bundled" : "synced", &local_error);
        }
    }

  if (local_error != NULL)
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!exec (self, "COMMIT", error))
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  queue_changed_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

gboolean
dg_local_store_ensure_reference (DgLocalStore  *self,
                                 GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  gsize size;
  const char *text;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  roads = dg_local_store_list_roads (self);
  if (roads->len > 0)
    return TRUE;

  /* Looked up in our own resource: the static library may not have registered it yet. */
  bytes = g_resource_lookup_data (dg_get_resource (), "/org/dustgrid/DustGrid/sample-district.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  text = g_bytes_get_data (bytes, &size);
  root = dg_json_parse (text, size, error);
  if (root == NULL)
    return FALSE;
  return dg_local_store_import_reference (self, root, TRUE, error);
}

static GPtrArray *
list_reference (DgLocalStore   *self,
                DgRecordType    type,
                GDestroyNotify  free_func)
{
  sqlite3 *db;
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (free_func);

  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r"
                                 " WHERE r.type = ? AND r.deleted = 0 AND r.data IS NOT NULL"
                                 " ORDER BY r.sort_key, r.id",
                                 dg_record_type_to_string (type), NULL);
  read_unlock (self, db);

  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      gpointer parsed = dg_record_data_from_json (type, entry->id, entry->data, &error);

      if (parsed)
        g_ptr_array_add (out, parsed);
      else
        g_debug ("Skipping %s %s: %s", dg_record_type_to_string (type), entry->id,
                 error->message);
    }
  return out;
}

GPtrArray *
dg_local_store_list_roads (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());
  return list_reference (self, DG_RECORD_ROAD, (GDestroyNotify) dg_road_free);
}

GPtrArray *
dg_local_store_list_grid_cells (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());
  return list_reference (self, DG_RECORD_GRID_CELL, (GDestroyNotify) dg_grid_cell_free);
}

DgRuleSet *
dg_local_store_get_rules (DgLocalStore *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  DgRuleSet *set;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, dg_rule_set_new_default ());

  rules = list_reference (self, DG_RECORD_RULE, (GDestroyNotify) dg_rule_free);
  /* No rule stored yet: the defaults of section 3 apply, as on a new server. */
  if (rules->len == 0)
    return dg_rule_set_new_default ();

  set = dg_rule_set_new ();
  for (guint i = 0; i < rules->len; i++)
    dg_rule_set_add (set, g_ptr_array_index (rules, i));
  return set;
}

GPtrArray *
dg_local_store_list_entries (DgLocalStore *self,
                             DgRecordType  type)
{
  sqlite3 *db;
  GPtrArray *entries;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r"
                                 " WHERE r.type = ? AND r.deleted = 0"
                                 " ORDER BY r.sort_key DESC, r.updated_at DESC, r.id",
                                 dg_record_type_to_string (type), NULL);
  read_unlock (self, db);
  return entries;
}

GPtrArray *
dg_local_store_list_recent (DgLocalStore *self,
                            DgRecordType  type,
                            guint         limit)
{
  sqlite3 *db;
  g_autofree char *n = g_strdup_printf ("%u", limit);
  GPtrArray *entries;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  /* Only the rows shown are read and their JSON parsed: the main thread calls this. */
  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r"
                                 " WHERE r.type = ?1 AND r.deleted = 0"
                                 " ORDER BY r.sort_key DESC, r.updated_at DESC, r.id"
                                 " LIMIT CAST(?2 AS INTEGER)",
                                 dg_record_type_to_string (type), n);
  read_unlock (self, db);
  return entries;
}

GPtrArray *
dg_local_store_list_entries_on (DgLocalStore *self,
                                DgRecordType  type,
                                const char   *key)
{
  sqlite3 *db;
  GPtrArray *entries;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r"
                                 " WHERE r.type = ? AND r.sort_key = ? AND r.deleted = 0"
                                 " ORDER BY r.updated_at DESC, r.id",
                                 dg_record_type_to_string (type), key);
  read_unlock (self, db);
  return entries;
}

DgStoreEntry *
dg_local_store_get_entry (DgLocalStore *self,
                          const char   *id)
{
  sqlite3 *db;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  GUARD_SQL (NULL, NULL);

  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r WHERE r.id = ?",
                                 id, NULL);
  read_unlock (self, db);

  if (entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

GPtrArray *
dg_local_store_list_checks_on (DgLocalStore *self,
                               const char   *date)
{
  sqlite3 *db;
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), checks);
  GUARD_SQL (NULL, checks);

  db = read_lock (self);
  entries = list_entries_locked (db,
                                 "SELECT " ENTRY_COLUMNS " FROM records r"
                                 " WHERE r.type = ? AND r.sort_key = ? AND r.deleted = 0"
                                 " ORDER BY r.updated_at, r.id",
                                 dg_record_type_to_string (DG_RECORD_ROAD_CHECK), date);
  read_unlock (self, db);

  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      DgRoadCheck *check;

      if (entry->data == NULL)
        continue;
      check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id, entry->data, NULL);
      if (check == NULL)
        continue;
      check->author = g_strdup (entry->author);
      g_ptr_array_add (checks, check);
    }
  return checks;
}

gboolean
dg_local_store_save_many (DgLocalStore  *self,
                          DgRecordType   type,
                          GPtrArray     *ids,
                          GPtrArray     *datas,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);
  g_return_val_if_fail (ids->len == datas->len, FALSE);

  g_mutex_lock (&self->mutex);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  for (guint i = 0; i < ids->len && local_error == NULL; i++)
    save_locked (self, type, g_ptr_array_index (ids, i), g_ptr_array_index (datas, i),
                 &local_error);
  if (local_error == NULL)
    exec (self, "COMMIT", &local_error);
  if (local_error != NULL)
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  refresh_pending_locked (self);
  queue_changed_locked (self, TRUE);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

gboolean
dg_local_store_save (DgLocalStore  *self,
                     DgRecordType   type,
                     const char    *id,
                     JsonObject    *data,
                     GError       **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) datas = g_ptr_array_new ();

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (dg_uuid_is_valid (id), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  g_ptr_array_add (ids, (gpointer) id);
  g_ptr_array_add (datas, data);
  return dg_local_store_save_many (self, type, ids, datas, error);
}

typedef struct
{
  DgRecordType  type;
  char         *id;
  JsonObject   *data;
} SaveData;

static void
save_data_free (SaveData *save)
{
  g_free (save->id);
  json_object_unref (save->data);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *save = task_data;
  GError *error = NULL;

  if (dg_local_store_save (source_object, save->type, save->id, save->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dg_local_store_save_async (DgLocalStore        *self,
                           DgRecordType         type,
                           const char          *id,
                           JsonObject          *data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *save;

  g_return_if_fail (DG_IS_LOCAL_STORE (self));
  g_return_if_fail (dg_uuid_is_valid (id));

  save = g_new0 (SaveData, 1);
  save->type = type;
  save->id = g_strdup (id);
  /* The caller may keep editing its object: the thread works on a copy. */
  {
    g_autofree char *text = object_to_string (data);
    g_autoptr(JsonNode) node = dg_json_parse (text, strlen (text), NULL);
    save->data = json_object_ref (json_node_get_object (node));
  }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_local_store_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
dg_local_store_save_finish (DgLocalStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  DgLocalStoreFunc  func;
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
} RunData;

static void
run_data_free (RunData *run)
{
  if (run->data_free && run->data)
    run->data_free (run->data);
  g_free (run);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  result = run->func (source_object, run->data, cancellable, &error);
  if (error != NULL)
    {
      if (result && run->result_free)
        run->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, run->result_free);
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
  RunData *run;

  g_return_if_fail (DG_IS_LOCAL_STORE (self));
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->func = func;
  run->data = data;
  run->data_free = data_free;
  run->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_local_store_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

gpointer
dg_local_store_run_finish (DgLocalStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
get_entry_func (DgLocalStore  *self,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  DgStoreEntry *entry = dg_local_store_get_entry (self, data);

  if (entry == NULL)
    g_set_error (error, DG_ERROR, DG_ERROR_NOT_FOUND, "No record %s", (const char *) data);
  return entry;
}

void
dg_local_store_get_entry_async (DgLocalStore        *self,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DG_IS_LOCAL_STORE (self));
  g_return_if_fail (id != NULL);

  dg_local_store_run_async (self, get_entry_func, g_strdup (id), g_free,
                            (GDestroyNotify) dg_store_entry_free, cancellable, callback,
                            user_data);
}

DgStoreEntry *
dg_local_store_get_entry_finish (DgLocalStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return dg_local_store_run_finish (self, result, error);
}

typedef struct
{
  char     *id;
  gboolean  keep_mine;
} ResolveData;

static void
resolve_data_free (ResolveData *resolve)
{
  g_free (resolve->id);
  g_free (resolve);
}

static gpointer
resolve_func (DgLocalStore  *self,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ResolveData *resolve = data;

  /* Any non-NULL pointer says done: the store outlives its tasks. */
  if (!dg_local_store_resolve_conflict (self, resolve->id, resolve->keep_mine, error))
    return NULL;
  return self;
}

void
dg_local_store_resolve_conflict_async (DgLocalStore        *self,
                                       const char          *id,
                                       gboolean             keep_mine,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  ResolveData *resolve;

  g_return_if_fail (DG_IS_LOCAL_STORE (self));
  g_return_if_fail (id != NULL);

  resolve = g_new0 (ResolveData, 1);
  resolve->id = g_strdup (id);
  resolve->keep_mine = keep_mine;
  dg_local_store_run_async (self, resolve_func, resolve, (GDestroyNotify) resolve_data_free,
                            NULL, cancellable, callback, user_data);
}

gboolean
dg_local_store_resolve_conflict_finish (DgLocalStore  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return dg_local_store_run_finish (self, result, error) != NULL;
}

gboolean
dg_local_store_resolve_conflict (DgLocalStore  *self,
                                 const char    *id,
                                 gboolean       keep_mine,
                                 GError       **error)
{
  g_autoptr(DgStoreEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  entry = dg_local_store_get_entry (self, id);
  if (entry == NULL || entry->status != DG_SYNC_STATUS_CONFLICT)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_NOT_FOUND, "No conflict to resolve for %s", id);
      return FALSE;
    }

  /* Mine: an ordinary edit on top of the server's revision (save_locked takes server_rev). */
  if (keep_mine)
    return dg_local_store_save (self, entry->type, id, entry->data, error);

  /* Theirs: the server's version becomes the local one; nothing to push. */
  {
    g_autofree char *data = object_to_string (entry->server_data);
    g_autofree char *key = sort_key_for (entry->type, entry->server_data);

    g_mutex_lock (&self->mutex);
    stmt = prepare (self,
                    "UPDATE records SET data = ?2, rev = server_rev, sync = 'synced',"
                    " server_data = NULL, sort_key = ?3 WHERE id = ?1", &local_error);
    if (stmt != NULL)
      {
        bind_text (stmt, 1, id);
        bind_text (stmt, 2, data);
        bind_text (stmt, 3, key);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          set_sqlite_error (self, &local_error);
      }
    if (local_error == NULL)
      queue_changed_locked (self, FALSE);
    g_mutex_unlock (&self->mutex);
  }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

guint
dg_local_store_get_n_pending (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), 0);
  return g_atomic_int_get (&self->n_pending);
}

guint
dg_local_store_count_pending (DgLocalStore *self)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), 0);
  GUARD_SQL (NULL, 0);

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "SELECT COUNT(*) FROM outbox", NULL);
  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);
  return count;
}

GPtrArray *
dg_local_store_outbox_peek (DgLocalStore *self,
                            guint         limit)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_outbox_item_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), items);
  GUARD_SQL (NULL, items);

  g_mutex_lock (&self->mutex);
  stmt = prepare (self,
                  "SELECT type, id, base_rev, deleted, data, version FROM outbox"
                  " ORDER BY queued LIMIT ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, limit);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          DgOutboxItem *item = g_new0 (DgOutboxItem, 1);
          DgRecordType type = DG_RECORD_ROAD_CHECK;
          JsonObject *data = column_object (stmt, 4);

          dg_record_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &type);
          item->change = dg_change_new (type, (const char *) sqlite3_column_text (stmt, 1),
                                        sqlite3_column_int64 (stmt, 2),
                                        sqlite3_column_int (stmt, 3), data);
          g_clear_pointer (&data, json_object_unref);
          item->version = sqlite3_column_int64 (stmt, 5);
          g_ptr_array_add (items, item);
        }
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->mutex);
  return items;
}

/* Drops the outbox entry of @item unless a newer edit replaced it meanwhile; in that case the
 * newer edit now builds on @rev. */
static gboolean
settle_outbox_locked (DgLocalStore  *self,
                      DgOutboxItem  *item,
                      gboolean       rebase,
                      gint64         rev,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = prepare (self, "DELETE FROM outbox WHERE id = ? AND version = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, item->change->id);
  sqlite3_bind_int64 (stmt, 2, item->version);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return set_sqlite_error (self, error);

  if (rebase)
    {
      stmt = prepare (self, "UPDATE outbox SET base_rev = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rev);
      bind_text (stmt, 2, item->change->id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
      if (!ok)
        return set_sqlite_error (self, error);
    }
  return TRUE;
}

static gboolean
apply_result_locked (DgLocalStore  *self,
                     DgOutboxItem  *item,
                     DgResult      *result,
                     GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  switch (result->status)
    {
    case DG_RESULT_APPLIED:
    case DG_RESULT_UNCHANGED:
      /* The server now holds this content: the office's return (if any) is answered too. */
      stmt = prepare (self,
                      "UPDATE records SET rev = ?2, server_rev = ?2, sync = 'synced',"
                      " message = NULL, server_data = NULL, state = 'active', reason = NULL"
                      " WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, result->id);
      sqlite3_bind_int64 (stmt, 2, result->rev);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
      if (!ok)
        return set_sqlite_error (self, error);
      return settle_outbox_locked (self, item, TRUE, result->rev, error);

    case DG_RESULT_CONFLICT:
      {
        g_autofree char *theirs = NULL;
        gint64 their_rev = result->rev;

        if (result->current)
          {
            theirs = object_to_string (result->current->data);
            their_rev = result->current->rev;
          }
        /* Both versions are kept: ours in data, theirs in server_data, until the inspector
         * chooses. */
        stmt = prepare (self,
                        "UPDATE records SET sync = 'conflict', server_rev = ?2, server_data = ?3,"
                        " message = NULL WHERE id = ?1", error);
        if (stmt == NULL)
          return FALSE;
        bind_text (stmt, 1, result->id);
        sqlite3_bind_int64 (stmt, 2, their_rev);
        bind_text (stmt, 3, theirs);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          return set_sqlite_error (self, error);
        return settle_outbox_locked (self, item, FALSE, 0, error);
      }

    case DG_RESULT_REJECTED:
      {
        g_autofree char *message = dg_describe_error (result->error);

        stmt = prepare (self, "UPDATE records SET sync = 'rejected', message = ?2 WHERE id = ?1",
                        error);
        if (stmt == NULL)
          return FALSE;
        bind_text (stmt, 1, result->id);
        bind_text (stmt, 2, message);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          return set_sqlite_error (self, error);
        return settle_outbox_locked (self, item, FALSE, 0, error);
      }

    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
dg_local_store_apply_results (DgLocalStore  *self,
                              GPtrArray     *items,
                              GPtrArray     *results,
                              GError       **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  for (guint i = 0; i < items->len; i++)
    {
      DgOutboxItem *item = g_ptr_array_index (items, i);
      g_hash_table_insert (by_id, item->change->id, item);
    }

  g_mutex_lock (&self->mutex);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  for (guint i = 0; i < results->len && local_error == NULL; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);
      DgOutboxItem *item = result->id ? g_hash_table_lookup (by_id, result->id) : NULL;

      if (item == NULL)
        continue;
      apply_result_locked (self, item, result, &local_error);
    }
  if (local_error == NULL)
    exec (self, "COMMIT", &local_error);
  if (local_error != NULL)
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  refresh_pending_locked (self);
  queue_changed_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

gint64
dg_local_store_get_cursor (DgLocalStore *self,
                           const char   *server_url)
{
  g_autofree char *url = NULL;
  g_autofree char *cursor = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), 0);
  GUARD_SQL (NULL, 0);

  g_mutex_lock (&self->mutex);
  url = meta_get_locked (self, "cursor_server");
  cursor = meta_get_locked (self, "cursor");
  g_mutex_unlock (&self->mutex);

  if (cursor == NULL || g_strcmp0 (url, server_url) != 0)
    return 0;
  return g_ascii_strtoll (cursor, NULL, 10);
}

static gboolean
apply_pulled_locked (DgLocalStore  *self,
                     DgRecord      *record,
                     GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;
  gboolean keep_local = FALSE;
  gboolean ok;

  stmt = prepare (self,
                  "SELECT r.sync, EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.id)"
                  " FROM records r WHERE r.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *sync = (const char *) sqlite3_column_text (stmt, 0);

      exists = TRUE;
      /* A local edit still waiting, a conflict or a rejected edit must not be overwritten:
       * the server's copy goes next to it. */
      keep_local = sqlite3_column_int (stmt, 1) ||
                   g_strcmp0 (sync, "conflict") == 0 ||
                   g_strcmp0 (sync, "rejected") == 0;
    }
  sqlite3_finalize (stmt);

  if (!exists || !keep_local)
    return put_record_locked (self, record, "synced", error);

  {
    g_autofree char *theirs = object_to_string (record->data);

    stmt = prepare (self,
                    "UPDATE records SET seq = ?2, state = ?3, reason = ?4, author = ?5,"
                    " server_data = CASE WHEN sync = 'conflict' THEN ?6 ELSE server_data END,"
                    " server_rev = ?7 WHERE id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    bind_text (stmt, 1, record->id);
    sqlite3_bind_int64 (stmt, 2, record->seq);
    bind_text (stmt, 3, dg_record_state_to_string (record->state));
    bind_text (stmt, 4, record->reason);
    bind_text (stmt, 5, record->author);
    bind_text (stmt, 6, theirs);
    sqlite3_bind_int64 (stmt, 7, record->rev);
    ok = sqlite3_step (stmt) == SQLITE_DONE;
    sqlite3_finalize (stmt);
    return ok ? TRUE : set_sqlite_error (self, error);
  }
}

gboolean
dg_local_store_apply_pull (DgLocalStore  *self,
                           const char    *server_url,
                           GPtrArray     *records,
                           gint64         next,
                           gboolean       complete,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, next);

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  for (guint i = 0; i < records->len && local_error == NULL; i++)
    apply_pulled_locked (self, g_ptr_array_index (records, i), &local_error);
  if (local_error == NULL)
    meta_set_locked (self, "cursor_server", server_url, &local_error);
  if (local_error == NULL)
    meta_set_locked (self, "cursor", cursor, &local_error);
  /* The server's reference data has fully arrived: sample rows it did not replace go. */
  if (local_error == NULL && complete)
    exec (self, "DELETE FROM records WHERE sync = 'bundled'", &local_error);
  if (local_error == NULL)
    exec (self, "COMMIT", &local_error);
  if (local_error != NULL)
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (records->len > 0 || complete)
    queue_changed_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

char *
dg_local_store_dup_owner (DgLocalStore *self)
{
  char *owner;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, NULL);

  g_mutex_lock (&self->mutex);
  owner = meta_get_locked (self, "owner");
  g_mutex_unlock (&self->mutex);
  return owner;
}

gboolean
dg_local_store_set_owner (DgLocalStore  *self,
                          const char    *username,
                          GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  ok = meta_set_locked (self, "owner", username, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}

gboolean
dg_local_store_forget_records (DgLocalStore  *self,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  if (exec (self, "BEGIN IMMEDIATE", &local_error) &&
      exec (self, "DELETE FROM records WHERE type IN ('road_check', 'dustfall_sample')",
            &local_error) &&
      exec (self, "DELETE FROM outbox", &local_error) &&
      exec (self, "DELETE FROM meta WHERE key IN ('cursor', 'cursor_server')", &local_error))
    exec (self, "COMMIT", &local_error);
  if (local_error != NULL)
    {
      exec (self, "ROLLBACK", NULL);
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  refresh_pending_locked (self);
  queue_changed_locked (self, FALSE);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}
