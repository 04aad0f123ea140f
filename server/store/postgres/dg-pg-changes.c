/* dg-pg-changes.c: a record's current state (table records), its revisions (revisions) and the
 * months (months) in PostgreSQL, as a batch reads and writes them. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

gboolean
dg_pg_load_record (DgStoreDb   *db,
                   const char  *id,
                   DgStoreRow  *row,
                   gboolean    *found,
                   GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  dg_pg_param_text (&p, id);
  result = dg_pg_query (DG_PG_DB (db), "SELECT " DG_PG_RECORD_COLUMNS " FROM records WHERE id = $1",
                        &p, "load record", error);
  if (result == NULL)
    return FALSE;
  *found = PQntuples (result) == 1;
  if (*found)
    dg_pg_row_from_result (row, result, 0);
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_record_exists (DgStoreDb     *db,
                     const char    *id,
                     DgRecordType   type,
                     gboolean      *exists,
                     GError       **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  dg_pg_param_text (&p, id);
  dg_pg_param_text (&p, dg_record_type_to_string (type));
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT 1 FROM records WHERE id = $1 AND type = $2 AND deleted = 0", &p,
                        "look up reference", error);
  if (result == NULL)
    return FALSE;
  *exists = PQntuples (result) > 0;
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_put_record (DgStoreDb         *db,
                  const DgStoreRow  *row,
                  gboolean           insert_only,
                  GError           **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, row->id);
  dg_pg_param_text (&p, dg_record_type_to_string (row->type));
  dg_pg_param_int (&p, row->rev);
  dg_pg_param_int (&p, row->seq);
  dg_pg_param_int (&p, row->deleted ? 1 : 0);
  dg_pg_param_text (&p, row->owner);
  dg_pg_param_text (&p, row->updated_at);
  dg_pg_param_text (&p, row->state);
  dg_pg_param_text (&p, row->reason);
  dg_pg_param_text (&p, row->data);
  dg_pg_param_text (&p, row->computed);
  dg_pg_param_text (&p, row->month);

  if (insert_only)
    return dg_pg_command (DG_PG_DB (db),
                          "INSERT INTO records (" DG_PG_RECORD_COLUMNS ")"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                          &p, "store record", error);
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO records (" DG_PG_RECORD_COLUMNS ")"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                        " ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq,"
                        " deleted = excluded.deleted, updated_at = excluded.updated_at,"
                        " state = excluded.state, reason = excluded.reason, data = excluded.data,"
                        " computed = excluded.computed, month = excluded.month",
                        &p, "store record", error);
}

gboolean
dg_pg_add_revision (DgStoreDb              *db,
                    const DgStoreRevision  *revision,
                    GError                **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, revision->record_id);
  dg_pg_param_int (&p, revision->rev);
  dg_pg_param_text (&p, revision->type);
  dg_pg_param_text (&p, revision->author);
  dg_pg_param_text (&p, revision->updated_at);
  dg_pg_param_int (&p, revision->deleted ? 1 : 0);
  dg_pg_param_text (&p, revision->data);
  dg_pg_param_text (&p, revision->hash);
  /* n is the next place in the chain, as SQLite's rowid gives it: the writer holds the counter
   * row's lock (begin_write), so no one else appends meanwhile, and a rolled-back batch leaves
   * no gap as a sequence would. */
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO revisions"
                        " (n, record_id, rev, type, author, updated_at, deleted, data, hash)"
                        " SELECT COALESCE (MAX (n), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8"
                        " FROM revisions", &p, "store revision", error);
}

gboolean
dg_pg_set_record_state (DgStoreDb   *db,
                        const char  *id,
                        const char  *state,
                        const char  *reason,
                        gint64       seq,
                        GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, id);
  dg_pg_param_text (&p, reason);
  dg_pg_param_int (&p, seq);
  dg_pg_param_text (&p, state);
  return dg_pg_command (DG_PG_DB (db),
                        "UPDATE records SET state = $4, reason = $2, seq = $3 WHERE id = $1",
                        &p, "set record state", error);
}

gboolean
dg_pg_month_closed (DgStoreDb   *db,
                    const char  *month,
                    gboolean    *closed,
                    gint64      *frozen_through,
                    GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  *closed = FALSE;
  if (frozen_through != NULL)
    *frozen_through = 0;
  if (month == NULL)
    return TRUE;

  dg_pg_param_text (&p, month);
  result = dg_pg_query (DG_PG_DB (db), "SELECT closed, COALESCE (frozen_through, 0) FROM months"
                                       " WHERE month = $1", &p, "look up month", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      *closed = dg_pg_int (result, 0, 0) != 0;
      if (frozen_through != NULL && *closed)
        *frozen_through = dg_pg_int (result, 0, 1);
    }
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_set_month_closed (DgStoreDb   *db,
                        const char  *month,
                        gboolean     closed,
                        const char  *user,
                        const char  *now,
                        GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, month);
  dg_pg_param_int (&p, closed ? 1 : 0);
  dg_pg_param_text (&p, user);
  dg_pg_param_text (&p, now);
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO months (month, closed, changed_by, changed_at, frozen_through)"
                        " VALUES ($1, $2, $3, $4, CASE WHEN $2 = 1"
                        " THEN (SELECT COALESCE (MAX (n), 0) FROM revisions) END)"
                        " ON CONFLICT (month) DO UPDATE SET closed = excluded.closed,"
                        " changed_by = excluded.changed_by, changed_at = excluded.changed_at,"
                        " frozen_through = excluded.frozen_through",
                        &p, "close month", error);
}

gboolean
dg_pg_latest_closed_month (DgStoreDb   *db,
                           char       **month,
                           GError     **error)
{
  PGresult *result;

  *month = NULL;
  result = dg_pg_query (DG_PG_DB (db), "SELECT MAX (month) FROM months WHERE closed = 1", NULL,
                        "look up months", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    *month = dg_pg_text (result, 0, 0);
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_find_jar (DgStoreDb   *db,
                const char  *month,
                const char  *cell_id,
                const char  *site,
                char         jar,
                const char  *id,
                char       **holder,
                GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  char jar_text[2] = { jar, 0 };
  PGresult *result;

  *holder = NULL;
  dg_pg_param_text (&p, month);
  dg_pg_param_text (&p, cell_id);
  dg_pg_param_text (&p, site);
  dg_pg_param_text (&p, jar_text);
  dg_pg_param_text (&p, id);
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT record_id FROM sample_values"
                        " WHERE month = $1 AND cell_id = $2 AND site = $3 AND jar = $4"
                        " AND record_id <> $5 ORDER BY record_id COLLATE \"C\" LIMIT 1", &p,
                        "look up jar", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    *holder = dg_pg_text (result, 0, 0);
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_list_returned (DgStoreDb   *db,
                     const char  *month,
                     GPtrArray   *ids,
                     GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  dg_pg_param_text (&p, month);
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT id FROM records WHERE month = $1 AND state = 'returned'"
                        " AND deleted = 0 ORDER BY id COLLATE \"C\"", &p,
                        "list returned records", error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (ids, dg_pg_text (result, i, 0));
  PQclear (result);
  return TRUE;
}
