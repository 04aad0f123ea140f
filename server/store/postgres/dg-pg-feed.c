/* dg-pg-feed.c: what clients read back from PostgreSQL: the pull feed (records by seq) and a
 * record's history (its revisions). */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

gboolean
dg_pg_pull (DgStoreDb       *db,
            gint64           since,
            gint64           limit,
            const char      *owner,
            DgStoreRowFunc   func,
            gpointer         user_data,
            GError         **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  /* One statement, one snapshot: with seq made visible in order (dg-pg.c), what it sees above
   * @since is a prefix of all that will ever be there. */
  dg_pg_param_int (&p, since);
  dg_pg_param_text (&p, owner);
  dg_pg_param_int (&p, limit);
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT " DG_PG_RECORD_COLUMNS " FROM records WHERE seq > $1"
                        " AND type <> 'rectification'"
                        " AND ($2::text IS NULL OR owner = $2"
                        "      OR type IN ('road', 'grid_cell', 'rule', 'unit'))"
                        " ORDER BY seq LIMIT $3", &p, "pull", error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_auto(DgStoreRow) row = { 0 };

      dg_pg_row_from_result (&row, result, i);
      func (&row, user_data);
    }
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_history (DgStoreDb            *db,
               const char           *id,
               DgStoreRevisionFunc   func,
               gpointer              user_data,
               GError              **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;
  gboolean ok = TRUE;

  dg_pg_param_text (&p, id);
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT n, rev, type, author, updated_at, deleted, data, hash FROM revisions"
                        " WHERE record_id = $1 ORDER BY rev", &p, "history", error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; ok && i < PQntuples (result); i++)
    {
      DgStoreRevision revision = {
        .n = dg_pg_int (result, i, 0),
        .record_id = id,
        .rev = dg_pg_int (result, i, 1),
        .type = dg_pg_peek (result, i, 2),
        .author = dg_pg_peek (result, i, 3),
        .updated_at = dg_pg_peek (result, i, 4),
        .deleted = dg_pg_int (result, i, 5) != 0,
        .data = dg_pg_peek (result, i, 6),
        .hash = dg_pg_peek (result, i, 7),
      };

      ok = func (&revision, user_data, error);
    }
  PQclear (result);
  return ok;
}

gint64
dg_pg_count_revisions (DgStoreDb  *db,
                       const char *id)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;
  gint64 n = -1;

  dg_pg_param_text (&p, id);
  result = dg_pg_query (DG_PG_DB (db), "SELECT COUNT (*) FROM revisions WHERE record_id = $1", &p,
                        "count revisions", NULL);
  if (result == NULL)
    return -1;
  if (PQntuples (result) == 1)
    n = dg_pg_int (result, 0, 0);
  PQclear (result);
  return n;
}
