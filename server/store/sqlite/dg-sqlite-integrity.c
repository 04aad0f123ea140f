/* dg-sqlite-integrity.c: walking the revision chain, and copying the database, in SQLite. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-sqlite-private.h"

gboolean
dg_sqlite_verify (DgStoreDb            *db,
                  DgStoreRevisionFunc   func,
                  gpointer              user_data,
                  char                **stale_id,
                  gint64               *stale_rev,
                  GError              **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *stale_id = NULL;
  *stale_rev = 0;

  /* One read transaction: the chain and the records as of one moment, while others write. */
  if (!dg_sqlite_exec (self, "BEGIN", error))
    return FALSE;

  s = dg_sqlite_stmt (self,
                      "SELECT n, record_id, rev, type, author, updated_at, deleted, data, hash"
                      " FROM revisions ORDER BY n", error);
  if (s == NULL)
    goto failed;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      DgStoreRevision revision = {
        .n = sqlite3_column_int64 (s, 0),
        .record_id = (const char *) sqlite3_column_text (s, 1),
        .rev = sqlite3_column_int64 (s, 2),
        .type = (const char *) sqlite3_column_text (s, 3),
        .author = (const char *) sqlite3_column_text (s, 4),
        .updated_at = (const char *) sqlite3_column_text (s, 5),
        .deleted = sqlite3_column_int (s, 6) != 0,
        .data = (const char *) sqlite3_column_text (s, 7),
        .hash = (const char *) sqlite3_column_text (s, 8),
      };

      if (!func (&revision, user_data, error))
        {
          sqlite3_reset (s);
          goto failed;
        }
    }
  if (!dg_sqlite_end_rows (self, s, rc, "verify", error))
    goto failed;

  s = dg_sqlite_stmt (self,
                      "SELECT r.id, r.rev FROM records r LEFT JOIN revisions v"
                      " ON v.record_id = r.id AND v.rev = r.rev"
                      " WHERE v.n IS NULL OR (r.deleted = 0 AND v.data IS NOT r.data)"
                      " OR v.deleted != r.deleted LIMIT 1", error);
  if (s == NULL)
    goto failed;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *stale_id = dg_sqlite_column_text (s, 0);
      *stale_rev = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);

  dg_sqlite_exec (self, "COMMIT", NULL);
  return TRUE;

failed:
  dg_sqlite_rollback (db);
  return FALSE;
}

gboolean
dg_sqlite_backup (DgStoreDb   *db,
                  const char  *dest_path,
                  GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  if (!dg_sqlite_create_private (dest_path, error))
    return FALSE;
  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot open %s: %s", dest_path,
                    dest != NULL ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }

  /* One step copies every page inside one read transaction: a consistent snapshot, even while
   * another process writes. */
  backup = sqlite3_backup_init (dest, "main", self->db, "main");
  if (backup == NULL)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "backup: %s", sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return FALSE;
    }
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "backup: %s", sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }

  sqlite3_close (dest);
  /* The files after the snapshot: each is written before its row, and none is ever removed or
   * changed, so every row the copy holds finds its file. */
  return dg_sqlite_copy_attachments (self, dest_path, error);
}

gboolean
dg_sqlite_exec_sql (DgStoreDb   *db,
                    const char  *sql,
                    GError     **error)
{
  return dg_sqlite_exec (DG_SQLITE_DB (db), sql, error);
}

gboolean
dg_sqlite_begin_read (DgStoreDb  *db,
                      GError    **error)
{
  return dg_sqlite_exec (DG_SQLITE_DB (db), "BEGIN", error);
}

/* The SQL of a copy is made of the store's own table and column names (DgStoreTable), never of
 * data; interned, so that the statement cache may keep it. */
gboolean
dg_sqlite_dump_table (DgStoreDb           *db,
                      const DgStoreTable  *table,
                      DgStoreValuesFunc    func,
                      gpointer             user_data,
                      GError             **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", table->columns,
                                          table->name, table->order);
  const char *values[DG_STORE_MAX_COLUMNS];
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, g_intern_string (sql), error);
  if (s == NULL)
    return FALSE;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      for (guint i = 0; i < table->n_columns; i++)
        values[i] = (const char *) sqlite3_column_text (s, i);
      if (!func (values, user_data, error))
        {
          sqlite3_reset (s);
          return FALSE;
        }
    }
  return dg_sqlite_end_rows (self, s, rc, table->name, error);
}

gboolean
dg_sqlite_load_row (DgStoreDb           *db,
                    const DgStoreTable  *table,
                    const char *const   *values,
                    GError             **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *s;

  g_string_printf (sql, "INSERT INTO %s (%s) VALUES (", table->name, table->columns);
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append_c (sql, ')');

  s = dg_sqlite_stmt (self, g_intern_string (sql->str), error);
  if (s == NULL)
    return FALSE;
  /* Text into the columns' affinity: an INTEGER column stores "3" as the integer 3. */
  for (guint i = 0; i < table->n_columns; i++)
    dg_sqlite_bind_text (s, i + 1, values[i]);
  return dg_sqlite_step_done (self, s, table->name, error);
}
