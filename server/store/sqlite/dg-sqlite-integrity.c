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
  return TRUE;
}

gboolean
dg_sqlite_exec_sql (DgStoreDb   *db,
                    const char  *sql,
                    GError     **error)
{
  return dg_sqlite_exec (DG_SQLITE_DB (db), sql, error);
}
