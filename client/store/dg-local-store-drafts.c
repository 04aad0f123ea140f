/* dg-local-store-drafts.c
 *
 * The editors' drafts: what an editor holds and has not saved, written as it is typed (one row
 * per record, the latest state only). Saving a record drops its draft in the same transaction
 * (dg-local-store-records.c); forgetting the records for another user drops them all. Drafts
 * are not records: writing one emits no "changed", so a page does not reload at each key.
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include "dg-local-store-private.h"

gboolean
dg_local_store_put_draft (DgLocalStore  *self,
                          DgRecordType   type,
                          const char    *id,
                          JsonObject    *draft,
                          GError       **error)
{
  g_autofree char *text = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && draft != NULL, FALSE);
  GUARD_SQL (error, FALSE);

  text = dg_ls_object_to_string (draft);
  now = dg_timestamp_now ();
  g_mutex_lock (&self->mutex);
  stmt = dg_ls_prepare (self,
                        "INSERT INTO drafts (id, type, data, updated_at) VALUES (?1, ?2, ?3, ?4)"
                        " ON CONFLICT (id) DO UPDATE SET type = excluded.type,"
                        "  data = excluded.data, updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  dg_ls_bind_text (stmt, 1, id);
  dg_ls_bind_text (stmt, 2, dg_record_type_to_string (type));
  dg_ls_bind_text (stmt, 3, text);
  dg_ls_bind_text (stmt, 4, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    dg_ls_set_sqlite_error (self, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}

gboolean
dg_ls_delete_draft_locked (DgLocalStore  *self,
                           const char    *id,
                           GError       **error)
{
  sqlite3_stmt *stmt = dg_ls_prepare (self, "DELETE FROM drafts WHERE id = ?", error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, id);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : dg_ls_set_sqlite_error (self, error);
}

gboolean
dg_local_store_delete_draft (DgLocalStore  *self,
                             const char    *id,
                             GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  ok = dg_ls_delete_draft_locked (self, id, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}

/* One row of "SELECT id, data FROM drafts …" with up to two text arguments. */
static JsonObject *
select_draft (DgLocalStore  *self,
              const char    *sql,
              const char    *arg1,
              const char    *arg2,
              char         **id)
{
  sqlite3 *db = dg_ls_read_lock (self);
  sqlite3_stmt *stmt = NULL;
  JsonObject *draft = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_warning ("%s", sqlite3_errmsg (db));
  else
    {
      dg_ls_bind_text (stmt, 1, arg1);
      if (arg2)
        dg_ls_bind_text (stmt, 2, arg2);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          draft = dg_ls_column_object (stmt, 1);
          if (draft && id)
            *id = dg_ls_column_dup (stmt, 0);
        }
    }
  sqlite3_finalize (stmt);
  dg_ls_read_unlock (self, db);
  return draft;
}

JsonObject *
dg_local_store_get_draft (DgLocalStore *self,
                          const char   *id)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  GUARD_SQL (NULL, NULL);

  return select_draft (self, "SELECT id, data FROM drafts WHERE id = ?", id, NULL, NULL);
}

JsonObject *
dg_local_store_find_new_draft (DgLocalStore  *self,
                               DgRecordType   type,
                               char         **id)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  GUARD_SQL (NULL, NULL);

  *id = NULL;
  return select_draft (self,
                       "SELECT d.id, d.data FROM drafts d WHERE d.type = ?"
                       " AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = d.id)"
                       " ORDER BY d.updated_at DESC, d.id LIMIT 1",
                       dg_record_type_to_string (type), NULL, id);
}
