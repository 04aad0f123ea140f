/* dg-sqlite-feed.c: what clients read back from SQLite: the pull feed (records by seq) and a
 * record's history (its revisions). */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-sqlite-private.h"

gboolean
dg_sqlite_pull (DgStoreDb       *db,
                gint64           since,
                gint64           limit,
                const char      *owner,
                DgStoreRowFunc   func,
                gpointer         user_data,
                GError         **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self,
                      "SELECT " DG_SQLITE_RECORD_COLUMNS " FROM records WHERE seq > ?1"
                      " AND type <> 'rectification'"
                      " AND (?2 IS NULL OR owner = ?2"
                      "      OR type IN ('road', 'grid_cell', 'rule', 'unit'))"
                      " ORDER BY seq LIMIT ?3", error);
  if (s == NULL)
    return FALSE;

  sqlite3_bind_int64 (s, 1, since);
  dg_sqlite_bind_text (s, 2, owner);
  sqlite3_bind_int64 (s, 3, limit);

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_auto(DgStoreRow) row = { 0 };

      dg_sqlite_row_from_stmt (&row, s);
      func (&row, user_data);
    }
  return dg_sqlite_end_rows (self, s, rc, "pull", error);
}

gboolean
dg_sqlite_history (DgStoreDb            *db,
                   const char           *id,
                   DgStoreRevisionFunc   func,
                   gpointer              user_data,
                   GError              **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self,
                      "SELECT n, rev, type, author, updated_at, deleted, data, hash FROM revisions"
                      " WHERE record_id = ?1 ORDER BY rev", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      DgStoreRevision revision = {
        .n = sqlite3_column_int64 (s, 0),
        .record_id = id,
        .rev = sqlite3_column_int64 (s, 1),
        .type = (const char *) sqlite3_column_text (s, 2),
        .author = (const char *) sqlite3_column_text (s, 3),
        .updated_at = (const char *) sqlite3_column_text (s, 4),
        .deleted = sqlite3_column_int (s, 5) != 0,
        .data = (const char *) sqlite3_column_text (s, 6),
        .hash = (const char *) sqlite3_column_text (s, 7),
      };

      if (!func (&revision, user_data, error))
        {
          sqlite3_reset (s);
          return FALSE;
        }
    }
  return dg_sqlite_end_rows (self, s, rc, "history", error);
}

gint64
dg_sqlite_count_revisions (DgStoreDb  *db,
                           const char *id)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  gint64 n = -1;

  s = dg_sqlite_stmt (self, "SELECT COUNT (*) FROM revisions WHERE record_id = ?1", NULL);
  if (s == NULL)
    return -1;
  dg_sqlite_bind_text (s, 1, id);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return n;
}
