/* dg-local-store-sync.c
 *
 * The sync queue, for the sync engine's worker thread: the outbox in the order of the edits,
 * the server's answers to a push applied to it, and the pull with its cursor.
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include "dg-local-store-private.h"
#include "dg-messages.h"

void
dg_outbox_item_free (DgOutboxItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->change, dg_change_free);
  g_free (item);
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
  stmt = dg_ls_prepare (self, "SELECT COUNT(*) FROM outbox", NULL);
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
  stmt = dg_ls_prepare (self,
                        "SELECT type, id, base_rev, deleted, data, version FROM outbox"
                        " ORDER BY queued LIMIT ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, limit);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          DgOutboxItem *item = g_new0 (DgOutboxItem, 1);
          DgRecordType type = DG_RECORD_ROAD_CHECK;
          JsonObject *data = dg_ls_column_object (stmt, 4);

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

  stmt = dg_ls_prepare (self, "DELETE FROM outbox WHERE id = ? AND version = ?", error);
  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, item->change->id);
  sqlite3_bind_int64 (stmt, 2, item->version);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return dg_ls_set_sqlite_error (self, error);

  if (rebase)
    {
      stmt = dg_ls_prepare (self, "UPDATE outbox SET base_rev = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rev);
      dg_ls_bind_text (stmt, 2, item->change->id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
      if (!ok)
        return dg_ls_set_sqlite_error (self, error);
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
      stmt = dg_ls_prepare (self,
                            "UPDATE records SET rev = ?2, server_rev = ?2, sync = 'synced',"
                            " message = NULL, server_data = NULL, state = 'active', reason = NULL"
                            " WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      dg_ls_bind_text (stmt, 1, result->id);
      sqlite3_bind_int64 (stmt, 2, result->rev);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
      if (!ok)
        return dg_ls_set_sqlite_error (self, error);
      return settle_outbox_locked (self, item, TRUE, result->rev, error);

    case DG_RESULT_CONFLICT:
      {
        g_autofree char *theirs = NULL;
        gint64 their_rev = result->rev;

        if (result->current)
          {
            theirs = dg_ls_object_to_string (result->current->data);
            their_rev = result->current->rev;
          }
        /* Both versions are kept: ours in data, theirs in server_data, until the inspector
         * chooses. */
        stmt = dg_ls_prepare (self,
                              "UPDATE records SET sync = 'conflict', server_rev = ?2,"
                              " server_data = ?3, message = NULL WHERE id = ?1", error);
        if (stmt == NULL)
          return FALSE;
        dg_ls_bind_text (stmt, 1, result->id);
        sqlite3_bind_int64 (stmt, 2, their_rev);
        dg_ls_bind_text (stmt, 3, theirs);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          return dg_ls_set_sqlite_error (self, error);
        return settle_outbox_locked (self, item, FALSE, 0, error);
      }

    case DG_RESULT_REJECTED:
      {
        g_autofree char *message = dg_describe_error (result->error);

        stmt = dg_ls_prepare (self,
                              "UPDATE records SET sync = 'rejected', message = ?2 WHERE id = ?1",
                              error);
        if (stmt == NULL)
          return FALSE;
        dg_ls_bind_text (stmt, 1, result->id);
        dg_ls_bind_text (stmt, 2, message);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_finalize (stmt);
        if (!ok)
          return dg_ls_set_sqlite_error (self, error);
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

  if (!dg_ls_write_begin (self, error))
    return FALSE;
  for (guint i = 0; i < results->len && local_error == NULL; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);
      DgOutboxItem *item = result->id ? g_hash_table_lookup (by_id, result->id) : NULL;

      if (item == NULL)
        continue;
      apply_result_locked (self, item, result, &local_error);
    }
  return dg_ls_write_end (self, DG_LS_WRITE_PENDING, &local_error, error);
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
  url = dg_ls_meta_get_locked (self, "cursor_server");
  cursor = dg_ls_meta_get_locked (self, "cursor");
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

  stmt = dg_ls_prepare (self,
                        "SELECT r.sync, EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.id)"
                        " FROM records r WHERE r.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, record->id);
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
    return dg_ls_put_record_locked (self, record, "synced", error);

  {
    g_autofree char *theirs = dg_ls_object_to_string (record->data);

    stmt = dg_ls_prepare (self,
                          "UPDATE records SET seq = ?2, state = ?3, reason = ?4, author = ?5,"
                          " server_data = CASE WHEN sync = 'conflict' THEN ?6 ELSE server_data END,"
                          " server_rev = ?7 WHERE id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    dg_ls_bind_text (stmt, 1, record->id);
    sqlite3_bind_int64 (stmt, 2, record->seq);
    dg_ls_bind_text (stmt, 3, dg_record_state_to_string (record->state));
    dg_ls_bind_text (stmt, 4, record->reason);
    dg_ls_bind_text (stmt, 5, record->author);
    dg_ls_bind_text (stmt, 6, theirs);
    sqlite3_bind_int64 (stmt, 7, record->rev);
    ok = sqlite3_step (stmt) == SQLITE_DONE;
    sqlite3_finalize (stmt);
    return ok ? TRUE : dg_ls_set_sqlite_error (self, error);
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

  if (!dg_ls_write_begin (self, error))
    return FALSE;
  for (guint i = 0; i < records->len && local_error == NULL; i++)
    apply_pulled_locked (self, g_ptr_array_index (records, i), &local_error);
  if (local_error == NULL)
    dg_ls_meta_set_locked (self, "cursor_server", server_url, &local_error);
  if (local_error == NULL)
    dg_ls_meta_set_locked (self, "cursor", cursor, &local_error);
  /* The server's reference data has fully arrived: sample rows it did not replace go. */
  if (local_error == NULL && complete)
    dg_ls_exec (self, "DELETE FROM records WHERE sync = 'bundled'", &local_error);
  return dg_ls_write_end (self, records->len > 0 || complete ? DG_LS_WRITE_RECORDS
                                                             : DG_LS_WRITE_QUIET,
                          &local_error, error);
}
