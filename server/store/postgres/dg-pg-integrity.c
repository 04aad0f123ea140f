/* dg-pg-integrity.c: walking the revision chain, the row-by-row copy, and a test's raw SQL, in
 * PostgreSQL. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

typedef struct
{
  DgStoreRevisionFunc func;
  gpointer            user_data;
} Walk;

static gboolean
verify_row_cb (const PGresult  *result,
               gpointer         user_data,
               GError         **error)
{
  Walk *walk = user_data;
  DgStoreRevision revision = {
    .n = dg_pg_int (result, 0, 0),
    .record_id = dg_pg_peek (result, 0, 1),
    .rev = dg_pg_int (result, 0, 2),
    .type = dg_pg_peek (result, 0, 3),
    .author = dg_pg_peek (result, 0, 4),
    .updated_at = dg_pg_peek (result, 0, 5),
    .deleted = dg_pg_int (result, 0, 6) != 0,
    .data = dg_pg_peek (result, 0, 7),
    .hash = dg_pg_peek (result, 0, 8),
  };

  return walk->func (&revision, walk->user_data, error);
}

gboolean
dg_pg_verify (DgStoreDb            *db,
              DgStoreRevisionFunc   func,
              gpointer              user_data,
              char                **stale_id,
              gint64               *stale_rev,
              GError              **error)
{
  DgPgDb *self = DG_PG_DB (db);
  Walk walk = { func, user_data };
  PGresult *result;

  *stale_id = NULL;
  *stale_rev = 0;

  /* One snapshot for the chain and the records, while other processes write. */
  if (!dg_pg_exec (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;

  if (!dg_pg_each_row (self, "SELECT n, record_id, rev, type, author, updated_at, deleted, data,"
                             " hash FROM revisions ORDER BY n", NULL, "verify",
                       verify_row_cb, &walk, error))
    goto failed;

  result = dg_pg_query (self,
                        "SELECT r.id, r.rev FROM records r LEFT JOIN revisions v"
                        " ON v.record_id = r.id AND v.rev = r.rev"
                        " WHERE v.n IS NULL OR (r.deleted = 0 AND v.data IS DISTINCT FROM r.data)"
                        " OR v.deleted != r.deleted LIMIT 1", NULL, "verify", error);
  if (result == NULL)
    goto failed;
  if (PQntuples (result) == 1)
    {
      *stale_id = dg_pg_text (result, 0, 0);
      *stale_rev = dg_pg_int (result, 0, 1);
    }
  PQclear (result);

  dg_pg_rollback (db);
  return TRUE;

failed:
  dg_pg_rollback (db);
  return FALSE;
}

gboolean
dg_pg_begin_read (DgStoreDb  *db,
                  GError    **error)
{
  return dg_pg_exec (DG_PG_DB (db), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error);
}

typedef struct
{
  guint              n_columns;
  DgStoreValuesFunc  func;
  gpointer           user_data;
} Dump;

static gboolean
dump_row_cb (const PGresult  *result,
             gpointer         user_data,
             GError         **error)
{
  Dump *dump = user_data;
  const char *values[DG_STORE_MAX_COLUMNS];

  for (guint i = 0; i < dump->n_columns; i++)
    values[i] = dg_pg_peek (result, 0, i);
  return dump->func (values, dump->user_data, error);
}

/* The SQL is made of the store's own table and column names (DgStoreTable), never of data. */
gboolean
dg_pg_dump_table (DgStoreDb           *db,
                  const DgStoreTable  *table,
                  DgStoreValuesFunc    func,
                  gpointer             user_data,
                  GError             **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", table->columns,
                                          table->name, table->order);
  Dump dump = { table->n_columns, func, user_data };

  return dg_pg_each_row (DG_PG_DB (db), sql, NULL, table->name, dump_row_cb, &dump, error);
}

gboolean
dg_pg_load_row (DgStoreDb           *db,
                const DgStoreTable  *table,
                const char *const   *values,
                GError             **error)
{
  g_auto(DgPgParams) p = { 0 };
  g_autoptr(GString) sql = g_string_new (NULL);

  g_string_printf (sql, "INSERT INTO %s (%s) VALUES (", table->name, table->columns);
  for (guint i = 0; i < table->n_columns; i++)
    {
      g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
      dg_pg_param_text (&p, values[i]);
    }
  g_string_append_c (sql, ')');
  return dg_pg_command (DG_PG_DB (db), sql->str, &p, table->name, error);
}

gboolean
dg_pg_exec_sql (DgStoreDb   *db,
                const char  *sql,
                GError     **error)
{
  return dg_pg_exec (DG_PG_DB (db), sql, error);
}
