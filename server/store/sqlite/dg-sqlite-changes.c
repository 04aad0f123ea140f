/* dg-sqlite-changes.c: a record's current state (table records), its revisions (revisions) and
 * the months (months) in SQLite, as a batch reads and writes them. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-sqlite-private.h"

gboolean
dg_sqlite_load_record (DgStoreDb   *db,
                       const char  *id,
                       DgStoreRow  *row,
                       gboolean    *found,
                       GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT " DG_SQLITE_RECORD_COLUMNS " FROM records WHERE id = ?1",
                      error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, id);
  rc = sqlite3_step (s);
  *found = rc == SQLITE_ROW;
  if (*found)
    dg_sqlite_row_from_stmt (row, s);
  return dg_sqlite_end_rows (self, s, rc, "load record", error);
}

gboolean
dg_sqlite_record_exists (DgStoreDb     *db,
                         const char    *id,
                         DgRecordType   type,
                         gboolean      *exists,
                         GError       **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT 1 FROM records WHERE id = ?1 AND type = ?2 AND deleted = 0",
                      error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, id);
  sqlite3_bind_text (s, 2, dg_record_type_to_string (type), -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (!dg_sqlite_end_rows (self, s, rc, "look up reference", error))
    return FALSE;

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
dg_sqlite_put_record (DgStoreDb         *db,
                      const DgStoreRow  *row,
                      gboolean           insert_only,
                      GError           **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  if (insert_only)
    s = dg_sqlite_stmt (self,
                        "INSERT INTO records (" DG_SQLITE_RECORD_COLUMNS ")"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error);
  else
    s = dg_sqlite_stmt (self,
                        "INSERT INTO records (" DG_SQLITE_RECORD_COLUMNS ")"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                        " ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq,"
                        " deleted = excluded.deleted, updated_at = excluded.updated_at,"
                        " state = excluded.state, reason = excluded.reason, data = excluded.data,"
                        " computed = excluded.computed, month = excluded.month", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, row->id);
  sqlite3_bind_text (s, 2, dg_record_type_to_string (row->type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, row->rev);
  sqlite3_bind_int64 (s, 4, row->seq);
  sqlite3_bind_int (s, 5, row->deleted);
  dg_sqlite_bind_text (s, 6, row->owner);
  dg_sqlite_bind_text (s, 7, row->updated_at);
  dg_sqlite_bind_text (s, 8, row->state);
  dg_sqlite_bind_text (s, 9, row->reason);
  dg_sqlite_bind_text (s, 10, row->data);
  dg_sqlite_bind_text (s, 11, row->computed);
  dg_sqlite_bind_text (s, 12, row->month);
  return dg_sqlite_step_done (self, s, "store record", error);
}

gboolean
dg_sqlite_add_revision (DgStoreDb              *db,
                        const DgStoreRevision  *revision,
                        GError                **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self,
                      "INSERT INTO revisions"
                      " (record_id, rev, type, author, updated_at, deleted, data, hash)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, revision->record_id);
  sqlite3_bind_int64 (s, 2, revision->rev);
  dg_sqlite_bind_text (s, 3, revision->type);
  dg_sqlite_bind_text (s, 4, revision->author);
  dg_sqlite_bind_text (s, 5, revision->updated_at);
  sqlite3_bind_int (s, 6, revision->deleted);
  dg_sqlite_bind_text (s, 7, revision->data);
  dg_sqlite_bind_text (s, 8, revision->hash);
  return dg_sqlite_step_done (self, s, "store revision", error);
}

gboolean
dg_sqlite_set_record_state (DgStoreDb   *db,
                            const char  *id,
                            const char  *state,
                            const char  *reason,
                            gint64       seq,
                            GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self,
                      "UPDATE records SET state = ?4, reason = ?2, seq = ?3 WHERE id = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, id);
  dg_sqlite_bind_text (s, 2, reason);
  sqlite3_bind_int64 (s, 3, seq);
  dg_sqlite_bind_text (s, 4, state);
  return dg_sqlite_step_done (self, s, "set record state", error);
}

gboolean
dg_sqlite_month_closed (DgStoreDb   *db,
                        const char  *month,
                        gboolean    *closed,
                        gint64      *frozen_through,
                        GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *closed = FALSE;
  if (frozen_through != NULL)
    *frozen_through = 0;
  if (month == NULL)
    return TRUE;

  s = dg_sqlite_stmt (self, "SELECT closed, COALESCE (frozen_through, 0) FROM months"
                            " WHERE month = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, month);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *closed = sqlite3_column_int (s, 0) != 0;
      if (frozen_through != NULL && *closed)
        *frozen_through = sqlite3_column_int64 (s, 1);
    }
  return dg_sqlite_end_rows (self, s, rc, "look up month", error);
}

gboolean
dg_sqlite_set_month_closed (DgStoreDb   *db,
                            const char  *month,
                            gboolean     closed,
                            const char  *user,
                            const char  *now,
                            GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self,
                      "INSERT INTO months (month, closed, changed_by, changed_at, frozen_through)"
                      " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?2"
                      " THEN (SELECT COALESCE (MAX (n), 0) FROM revisions) END)"
                      " ON CONFLICT (month) DO UPDATE SET closed = excluded.closed,"
                      " changed_by = excluded.changed_by, changed_at = excluded.changed_at,"
                      " frozen_through = excluded.frozen_through",
                      error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, month);
  sqlite3_bind_int (s, 2, closed);
  dg_sqlite_bind_text (s, 3, user);
  dg_sqlite_bind_text (s, 4, now);
  return dg_sqlite_step_done (self, s, "close month", error);
}

gboolean
dg_sqlite_latest_closed_month (DgStoreDb   *db,
                               char       **month,
                               GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *month = NULL;
  s = dg_sqlite_stmt (self, "SELECT MAX (month) FROM months WHERE closed = 1", error);
  if (s == NULL)
    return FALSE;

  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    *month = dg_sqlite_column_text (s, 0);
  return dg_sqlite_end_rows (self, s, rc, "look up months", error);
}

gboolean
dg_sqlite_find_jar (DgStoreDb   *db,
                    const char  *month,
                    const char  *cell_id,
                    const char  *site,
                    char         jar,
                    const char  *id,
                    char       **holder,
                    GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  char jar_text[2] = { jar, 0 };
  sqlite3_stmt *s;
  int rc;

  *holder = NULL;
  s = dg_sqlite_stmt (self, "SELECT record_id FROM sample_values"
                            " WHERE month = ?1 AND cell_id = ?2 AND site = ?3 AND jar = ?4"
                            " AND record_id <> ?5 ORDER BY record_id LIMIT 1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, month);
  dg_sqlite_bind_text (s, 2, cell_id);
  dg_sqlite_bind_text (s, 3, site);
  dg_sqlite_bind_text (s, 4, jar_text);
  dg_sqlite_bind_text (s, 5, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    *holder = g_strdup ((const char *) sqlite3_column_text (s, 0));
  return dg_sqlite_end_rows (self, s, rc, "look up jar", error);
}

gboolean
dg_sqlite_list_returned (DgStoreDb   *db,
                         const char  *month,
                         GPtrArray   *ids,
                         GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT id FROM records WHERE month = ?1 AND state = 'returned'"
                            " AND deleted = 0 ORDER BY id", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, month);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (s, 0)));
  return dg_sqlite_end_rows (self, s, rc, "list returned records", error);
}
