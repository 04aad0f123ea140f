/* dg-local-store-records.c
 *
 * The inspector's checks and samples: the lists the pages read, local edits (the record and its
 * outbox entry in one transaction), conflicts resolved, and forgetting them for another user.
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include "dg-local-store-private.h"
#include "dg-messages.h"

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

static DgStoreEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  DgStoreEntry *entry = g_new0 (DgStoreEntry, 1);
  DgRecordState state = DG_RECORD_STATE_ACTIVE;

  /* Columns: see DG_LS_ENTRY_COLUMNS. */
  dg_record_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &entry->type);
  entry->id = dg_ls_column_dup (stmt, 1);
  entry->rev = sqlite3_column_int64 (stmt, 2);
  entry->seq = sqlite3_column_int64 (stmt, 3);
  entry->deleted = sqlite3_column_int (stmt, 4);
  entry->author = dg_ls_column_dup (stmt, 5);
  entry->updated_at = dg_ls_column_dup (stmt, 6);
  dg_record_state_from_string ((const char *) sqlite3_column_text (stmt, 7), &state);
  entry->state = state;
  entry->reason = dg_ls_column_dup (stmt, 8);
  entry->data = dg_ls_column_object (stmt, 9);
  entry->status = sync_status_from_string ((const char *) sqlite3_column_text (stmt, 10));
  entry->message = dg_ls_column_dup (stmt, 11);
  entry->server_rev = sqlite3_column_int64 (stmt, 12);
  entry->server_data = dg_ls_column_object (stmt, 13);
  entry->sort_key = dg_ls_column_dup (stmt, 14);

  /* A waiting outbox entry wins: the inspector's latest edit is on its way. */
  if (sqlite3_column_int (stmt, 15))
    entry->status = DG_SYNC_STATUS_PENDING;
  else if (entry->status == DG_SYNC_STATUS_SYNCED && entry->state == DG_RECORD_STATE_RETURNED)
    entry->status = DG_SYNC_STATUS_RETURNED;

  return entry;
}

/* Runs a query of DG_LS_ENTRY_COLUMNS on a reading connection of this thread. */
GPtrArray *
dg_ls_list_entries (DgLocalStore *self,
                    const char   *sql,
                    const char   *arg1,
                    const char   *arg2)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_store_entry_free);
  sqlite3 *db = dg_ls_read_lock (self);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return entries;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (arg1)
        dg_ls_bind_text (stmt, 1, arg1);
      if (arg2)
        dg_ls_bind_text (stmt, 2, arg2);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (entries, entry_from_row (stmt));
    }
  else
    g_warning ("%s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  dg_ls_read_unlock (self, db);
  return entries;
}

/* Writes one record row from the server's side (pull or import). */
gboolean
dg_ls_put_record_locked (DgLocalStore    *self,
                         const DgRecord  *record,
                         const char      *sync,
                         GError         **error)
{
  g_autofree char *data = dg_ls_object_to_string (record->data);
  g_autofree char *computed = dg_ls_object_to_string (record->computed);
  g_autofree char *key = dg_ls_sort_key_for (record->type, record->data);
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = dg_ls_prepare (self,
                        "INSERT OR REPLACE INTO records (id, type, rev, seq, deleted, author,"
                        " updated_at, state, reason, data, computed, sync, message, server_rev,"
                        " server_data, sort_key)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, ?3,"
                        " NULL, ?13)",
                        error);
  if (stmt == NULL)
    return FALSE;

  dg_ls_bind_text (stmt, 1, record->id);
  dg_ls_bind_text (stmt, 2, dg_record_type_to_string (record->type));
  sqlite3_bind_int64 (stmt, 3, record->rev);
  sqlite3_bind_int64 (stmt, 4, record->seq);
  sqlite3_bind_int (stmt, 5, record->deleted);
  dg_ls_bind_text (stmt, 6, record->author);
  dg_ls_bind_text (stmt, 7, record->updated_at);
  dg_ls_bind_text (stmt, 8, dg_record_state_to_string (record->state));
  dg_ls_bind_text (stmt, 9, record->reason);
  dg_ls_bind_text (stmt, 10, data);
  dg_ls_bind_text (stmt, 11, computed);
  dg_ls_bind_text (stmt, 12, sync);
  dg_ls_bind_text (stmt, 13, key);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : dg_ls_set_sqlite_error (self, error);
}

static gboolean
save_locked (DgLocalStore  *self,
             DgRecordType   type,
             const char    *id,
             JsonObject    *data,
             GError       **error)
{
  g_autofree char *text = dg_ls_object_to_string (data);
  g_autofree char *key = dg_ls_sort_key_for (type, data);
  g_autofree char *now = dg_timestamp_now ();
  sqlite3_stmt *stmt;
  gint64 base_rev = 0;
  gboolean exists = FALSE;
  gboolean conflict = FALSE;
  gboolean ok;

  stmt = dg_ls_prepare (self, "SELECT rev, sync, server_rev FROM records WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, id);
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
    stmt = dg_ls_prepare (self,
                          "UPDATE records SET data = ?2, sort_key = ?3, sync = 'synced',"
                          " message = NULL, rev = ?4, server_data = NULL, updated_at = ?5"
                          " WHERE id = ?1", error);
  else
    stmt = dg_ls_prepare (self,
                          "INSERT INTO records (id, type, data, sort_key, rev, updated_at)"
                          " VALUES (?1, ?6, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, id);
  dg_ls_bind_text (stmt, 2, text);
  dg_ls_bind_text (stmt, 3, key);
  sqlite3_bind_int64 (stmt, 4, base_rev);
  dg_ls_bind_text (stmt, 5, now);
  if (!exists)
    dg_ls_bind_text (stmt, 6, dg_record_type_to_string (type));
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return dg_ls_set_sqlite_error (self, error);

  /* One outbox entry per record: a later edit replaces the waiting one and bumps its version,
   * so a push that was in flight meanwhile does not clear the newer edit. */
  stmt = dg_ls_prepare (self,
                        "INSERT INTO outbox (id, type, base_rev, deleted, data, version, queued)"
                        " VALUES (?1, ?2, ?3, 0, ?4, 1,"
                        "  (SELECT IFNULL (MAX (queued), 0) + 1 FROM outbox))"
                        " ON CONFLICT (id) DO UPDATE SET data = excluded.data,"
                        "  base_rev = excluded.base_rev, version = version + 1", error);
  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, id);
  dg_ls_bind_text (stmt, 2, dg_record_type_to_string (type));
  sqlite3_bind_int64 (stmt, 3, base_rev);
  dg_ls_bind_text (stmt, 4, text);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return dg_ls_set_sqlite_error (self, error);

  /* Saved: the editor's draft of it is no longer something to restore. */
  return dg_ls_delete_draft_locked (self, id, error);
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

GPtrArray *
dg_local_store_list_entries (DgLocalStore *self,
                             DgRecordType  type)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  return dg_ls_list_entries (self,
                             "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                             " WHERE r.type = ? AND r.deleted = 0"
                             " ORDER BY r.sort_key DESC, r.updated_at DESC, r.id",
                             dg_record_type_to_string (type), NULL);
}

GPtrArray *
dg_local_store_list_recent (DgLocalStore *self,
                            DgRecordType  type,
                            guint         limit)
{
  g_autofree char *n = g_strdup_printf ("%u", limit);

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  /* Only the rows shown are read and their JSON parsed: a page shows the latest first. */
  return dg_ls_list_entries (self,
                             "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                             " WHERE r.type = ?1 AND r.deleted = 0"
                             " ORDER BY r.sort_key DESC, r.updated_at DESC, r.id"
                             " LIMIT CAST(?2 AS INTEGER)",
                             dg_record_type_to_string (type), n);
}

GPtrArray *
dg_local_store_list_entries_on (DgLocalStore *self,
                                DgRecordType  type,
                                const char   *key)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  return dg_ls_list_entries (self,
                             "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                             " WHERE r.type = ? AND r.sort_key = ? AND r.deleted = 0"
                             " ORDER BY r.updated_at DESC, r.id",
                             dg_record_type_to_string (type), key);
}

GPtrArray *
dg_local_store_list_returned (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());

  return dg_ls_list_entries (self,
                             "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                             " WHERE r.state = ? AND r.deleted = 0"
                             " ORDER BY r.updated_at DESC, r.id",
                             dg_record_state_to_string (DG_RECORD_STATE_RETURNED),
                             NULL);
}

DgStoreEntry *
dg_local_store_get_entry (DgLocalStore *self,
                          const char   *id)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  GUARD_SQL (NULL, NULL);

  entries = dg_ls_list_entries (self,
                                "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                                " WHERE r.id = ?",
                                id, NULL);

  if (entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

GPtrArray *
dg_local_store_list_checks_on (DgLocalStore *self,
                               const char   *date)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), checks);
  GUARD_SQL (NULL, checks);

  entries = dg_ls_list_entries (self,
                                "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                                " WHERE r.type = ? AND r.sort_key = ? AND r.deleted = 0"
                                " ORDER BY r.updated_at, r.id",
                                dg_record_type_to_string (DG_RECORD_ROAD_CHECK), date);

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

  if (!dg_ls_write_begin (self, error))
    return FALSE;
  for (guint i = 0; i < ids->len && local_error == NULL; i++)
    save_locked (self, type, g_ptr_array_index (ids, i), g_ptr_array_index (datas, i),
                 &local_error);
  return dg_ls_write_end (self, DG_LS_WRITE_OUTBOX, &local_error, error);
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
    g_autofree char *text = dg_ls_object_to_string (data);
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
    g_autofree char *data = dg_ls_object_to_string (entry->server_data);
    g_autofree char *key = dg_ls_sort_key_for (entry->type, entry->server_data);

    g_mutex_lock (&self->mutex);
    stmt = dg_ls_prepare (self,
                          "UPDATE records SET data = ?2, rev = server_rev, sync = 'synced',"
                          " server_data = NULL, sort_key = ?3 WHERE id = ?1", &local_error);
    if (stmt != NULL)
      {
        dg_ls_bind_text (stmt, 1, id);
        dg_ls_bind_text (stmt, 2, data);
        dg_ls_bind_text (stmt, 3, key);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          dg_ls_set_sqlite_error (self, &local_error);
      }
    if (local_error == NULL)
      dg_ls_queue_changed_locked (self, FALSE);
    g_mutex_unlock (&self->mutex);
  }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
dg_local_store_forget_records (DgLocalStore  *self,
                               GError       **error)
{
  /* The user's own records, what waits to go out, the drafts and the pull's cursor: the next
   * user starts from the reference data alone. */
  static const char *const statements[] = {
    "DELETE FROM records WHERE type IN ('road_check', 'dustfall_sample')",
    "DELETE FROM outbox",
    "DELETE FROM drafts",
    "DELETE FROM meta WHERE key IN ('cursor', 'cursor_server')",
  };
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  if (!dg_ls_write_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements) && local_error == NULL; i++)
    dg_ls_exec (self, statements[i], &local_error);
  return dg_ls_write_end (self, DG_LS_WRITE_PENDING, &local_error, error);
}

char *
dg_local_store_find_jar (DgLocalStore *self,
                         const char   *month,
                         const char   *cell_id,
                         const char   *site,
                         char          jar,
                         const char   *id)
{
  char jar_text[2] = { jar, 0 };
  sqlite3_stmt *stmt = NULL;
  char *holder = NULL;
  sqlite3 *db;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, NULL);

  db = dg_ls_read_lock (self);
  if (db == NULL)
    return NULL;
  /* A sample's sort key is its month. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT id FROM records WHERE type = 'dustfall_sample' AND deleted = 0"
                          " AND sort_key = ?1 AND json_extract (data, '$.cell_id') = ?2"
                          " AND IFNULL (json_extract (data, '$.site'), '1') = ?3"
                          " AND json_extract (data, '$.jar') = ?4 AND id <> ?5"
                          " ORDER BY id LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    g_warning ("%s", sqlite3_errmsg (db));
  else
    {
      dg_ls_bind_text (stmt, 1, month);
      dg_ls_bind_text (stmt, 2, cell_id);
      dg_ls_bind_text (stmt, 3, site);
      dg_ls_bind_text (stmt, 4, jar_text);
      dg_ls_bind_text (stmt, 5, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        holder = dg_ls_column_dup (stmt, 0);
    }
  sqlite3_finalize (stmt);
  dg_ls_read_unlock (self, db);
  return holder;
}
