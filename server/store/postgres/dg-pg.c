/* dg-pg.c: the PostgreSQL backend of the store (design 6.5): the connection, its statements and
 * errors, the transactions and how seq stays in order across server processes, and the table
 * of functions the other files of this folder fill.
 *
 * Several server processes may serve one database. What keeps a pull from ever missing a change
 * is begin_write(): it takes the row lock of the one counter row (dg_meta) before it reads the
 * highest seq, and holds it to COMMIT. So batches are serialized, each reads the seq of the one
 * before it only once that one is committed (the seq reads run in statements after the lock,
 * with snapshots taken after it), and PostgreSQL makes a commit visible before it releases its
 * locks: a seq never becomes visible below one already visible, and `next` never passes a change
 * still to come.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-pg-private.h"

/* ---- Parameters ---- */

void
dg_pg_params_clear (DgPgParams *params)
{
  for (int i = 0; i < params->n; i++)
    g_clear_pointer (&params->owned[i], g_free);
  params->n = 0;
}

void
dg_pg_param_text (DgPgParams *params,
                  const char *text)
{
  g_assert (params->n < DG_PG_MAX_PARAMS);
  params->values[params->n++] = text;
}

void
dg_pg_param_int (DgPgParams *params,
                 gint64      value)
{
  g_assert (params->n < DG_PG_MAX_PARAMS);
  params->owned[params->n] = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  params->values[params->n] = params->owned[params->n];
  params->n++;
}

void
dg_pg_param_double (DgPgParams *params,
                    double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert (params->n < DG_PG_MAX_PARAMS);
  /* g_ascii_dtostr writes the shortest text that reads back as the same double, whatever the
   * locale; PostgreSQL's float8 output (extra_float_digits 1, the default) does the same. */
  params->owned[params->n] = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
  params->values[params->n] = params->owned[params->n];
  params->n++;
}

/* ---- Errors ---- */

static gboolean
state_is_transient (const char *state)
{
  static const char *const transient[] = {
    "08",       /* connection exception */
    "53",       /* insufficient resources: disk full, out of memory, too many connections */
    "57P",      /* operator intervention: shutting down, crash of another backend */
    "40001",    /* serialization failure */
    "40P01",    /* deadlock detected */
    "55P03",    /* lock not available */
    "58",       /* system error: I/O */
  };

  if (state == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
    if (g_str_has_prefix (state, transient[i]))
      return TRUE;
  return FALSE;
}

void
dg_pg_set_error (DgPgDb          *self,
                 GError         **error,
                 const PGresult  *result,
                 const char      *what)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result != NULL ? PQresultErrorMessage (result) : "";
  g_autofree char *text = NULL;
  gboolean transient;

  if (message == NULL || *message == '\0')
    message = PQerrorMessage (self->conn);
  text = g_strstrip (g_strdup (message));
  transient = PQstatus (self->conn) != CONNECTION_OK || state_is_transient (state);
  dg_set_error (error, transient ? DG_ERROR_UNAVAILABLE : DG_ERROR_INTERNAL, NULL, "%s: %s",
                what, text);
}

/* ---- Statements ---- */

/* A connection lost while no transaction was open (the database restarted) is made again at
 * the next call, with its statements prepared afresh; one lost inside a transaction fails that
 * transaction, whose caller rolls back and answers "try again". */
static gboolean
ensure_connection (DgPgDb  *self,
                   GError **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  PQreset (self->conn);
  g_hash_table_remove_all (self->stmts);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      dg_pg_set_error (self, error, NULL, "connect");
      return FALSE;
    }
  return dg_pg_exec (self, "SET client_min_messages = warning", error);
}

static const char *
prepare (DgPgDb      *self,
         const char  *sql,
         int          n_params,
         GError     **error)
{
  const char *name;
  char *new_name;
  PGresult *result;

  if (!ensure_connection (self, error))
    return NULL;

  name = g_hash_table_lookup (self->stmts, sql);
  if (name != NULL)
    return name;

  new_name = g_strdup_printf ("dg%u", ++self->n_stmts);
  result = PQprepare (self->conn, new_name, sql, n_params, NULL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      dg_pg_set_error (self, error, result, "prepare");
      PQclear (result);
      g_free (new_name);
      return NULL;
    }
  PQclear (result);
  g_hash_table_insert (self->stmts, g_strdup (sql), new_name);
  return new_name;
}

PGresult *
dg_pg_query (DgPgDb            *self,
             const char        *sql,
             const DgPgParams  *params,
             const char        *what,
             GError           **error)
{
  int n = params != NULL ? params->n : 0;
  const char *name = prepare (self, sql, n, error);
  PGresult *result;
  ExecStatusType status;

  if (name == NULL)
    return NULL;

  result = PQexecPrepared (self->conn, name, n, params != NULL ? params->values : NULL, NULL,
                           NULL, 0);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      dg_pg_set_error (self, error, result, what);
      PQclear (result);
      return NULL;
    }
  return result;
}

gboolean
dg_pg_command (DgPgDb            *self,
               const char        *sql,
               const DgPgParams  *params,
               const char        *what,
               GError           **error)
{
  PGresult *result = dg_pg_query (self, sql, params, what, error);

  PQclear (result);
  return result != NULL;
}

gboolean
dg_pg_exec (DgPgDb      *self,
            const char  *sql,
            GError     **error)
{
  PGresult *result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      dg_pg_set_error (self, error, result, "exec");
      PQclear (result);
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_each_row (DgPgDb            *self,
                const char        *sql,
                const DgPgParams  *params,
                const char        *what,
                DgPgRowFunc        func,
                gpointer           user_data,
                GError           **error)
{
  int n = params != NULL ? params->n : 0;
  const char *name = prepare (self, sql, n, error);
  PGresult *result;
  gboolean ok = TRUE;

  if (name == NULL)
    return FALSE;

  if (!PQsendQueryPrepared (self->conn, name, n, params != NULL ? params->values : NULL, NULL,
                            NULL, 0))
    {
      dg_pg_set_error (self, error, NULL, what);
      return FALSE;
    }
  PQsetSingleRowMode (self->conn);

  /* Every result is read, even after a failure, so that the connection is ready again. */
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (ok && status == PGRES_SINGLE_TUPLE)
        ok = func (result, user_data, error);
      else if (ok && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        {
          dg_pg_set_error (self, error, result, what);
          ok = FALSE;
        }
      PQclear (result);
    }
  return ok;
}

char *
dg_pg_text (const PGresult *result,
            int             row,
            int             col)
{
  return PQgetisnull (result, row, col) ? NULL : g_strdup (PQgetvalue (result, row, col));
}

const char *
dg_pg_peek (const PGresult *result,
            int             row,
            int             col)
{
  return PQgetisnull (result, row, col) ? NULL : PQgetvalue (result, row, col);
}

gint64
dg_pg_int (const PGresult *result,
           int             row,
           int             col)
{
  return PQgetisnull (result, row, col) ? 0
                                        : g_ascii_strtoll (PQgetvalue (result, row, col), NULL, 10);
}

double
dg_pg_double (const PGresult *result,
              int             row,
              int             col)
{
  return PQgetisnull (result, row, col) ? NAN
                                        : g_ascii_strtod (PQgetvalue (result, row, col), NULL);
}

void
dg_pg_row_from_result (DgStoreRow     *row,
                       const PGresult *result,
                       int             i)
{
  row->id = dg_pg_text (result, i, 0);
  if (!dg_record_type_from_string (PQgetvalue (result, i, 1), &row->type))
    row->type = DG_RECORD_ROAD_CHECK;
  row->rev = dg_pg_int (result, i, 2);
  row->seq = dg_pg_int (result, i, 3);
  row->deleted = dg_pg_int (result, i, 4) != 0;
  row->owner = dg_pg_text (result, i, 5);
  row->updated_at = dg_pg_text (result, i, 6);
  row->state = dg_pg_text (result, i, 7);
  row->reason = dg_pg_text (result, i, 8);
  row->data = dg_pg_text (result, i, 9);
  row->computed = dg_pg_text (result, i, 10);
  row->month = dg_pg_text (result, i, 11);
}

/* ---- Connection ---- */

static void
pg_close (DgStoreDb *db)
{
  DgPgDb *self = DG_PG_DB (db);

  PQfinish (self->conn);
  g_hash_table_unref (self->stmts);
  g_free (self);
}

static DgStoreDb *
pg_open (const char  *uri,
         gboolean    *created,
         GError     **error)
{
  DgPgDb *self = g_new0 (DgPgDb, 1);

  self->parent.backend = &dg_pg_backend;
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* libpq takes the postgresql:// URI as it is (host, port, database, user, sslmode…); a
   * password is best kept out of it, in ~/.pgpass or PGPASSFILE. */
  self->conn = PQconnectdb (uri);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *text = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot connect to PostgreSQL: %s", text);
      pg_close (&self->parent);
      return NULL;
    }
  if (PQserverVersion (self->conn) < 150000)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL,
                    "PostgreSQL %d is too old: DustGrid needs 15 or later",
                    PQserverVersion (self->conn) / 10000);
      pg_close (&self->parent);
      return NULL;
    }

  /* The notices of CREATE … IF NOT EXISTS are nobody's business; every write waits for its WAL
   * to be flushed whatever the server's default (acknowledged after COMMIT, design 5). */
  if (!dg_pg_exec (self, "SET client_min_messages = warning", error) ||
      !dg_pg_exec (self, "SET synchronous_commit = on", error) ||
      !dg_pg_migrate (self, created, error))
    {
      pg_close (&self->parent);
      return NULL;
    }

  return &self->parent;
}

/* ---- Transactions ---- */

static gboolean
pg_begin_write (DgStoreDb  *db,
                gint64     *seq,
                char      **prev_hash,
                GError    **error)
{
  DgPgDb *self = DG_PG_DB (db);
  PGresult *result;

  if (!ensure_connection (self, error) || !dg_pg_exec (self, "BEGIN", error))
    return FALSE;

  /* The counter row's lock, held to COMMIT: see the top of this file. Its version is what
   * data_version() reads. */
  result = dg_pg_query (self, "UPDATE dg_meta SET version = version + 1 WHERE id = 1"
                              " RETURNING version", NULL, "lock the store", error);
  if (result == NULL)
    goto failed;
  self->pending_version = PQntuples (result) == 1 ? dg_pg_int (result, 0, 0) : 0;
  PQclear (result);

  /* A statement of its own, so its snapshot is taken once the lock is ours. */
  result = dg_pg_query (self,
                        "SELECT (SELECT COALESCE (MAX (seq), 0) FROM records),"
                        " (SELECT hash FROM revisions ORDER BY n DESC LIMIT 1)",
                        NULL, "begin", error);
  if (result == NULL)
    goto failed;
  *seq = dg_pg_int (result, 0, 0);
  *prev_hash = PQgetisnull (result, 0, 1) ? g_strdup ("") : dg_pg_text (result, 0, 1);
  PQclear (result);
  return TRUE;

failed:
  dg_pg_rollback (db);
  return FALSE;
}

static gboolean
pg_commit (DgStoreDb  *db,
           GError    **error)
{
  DgPgDb *self = DG_PG_DB (db);
  PGresult *result = PQexec (self->conn, "COMMIT");
  gboolean ok;

  /* COMMIT of a transaction that failed earlier answers "ROLLBACK", and succeeds. */
  ok = PQresultStatus (result) == PGRES_COMMAND_OK &&
       g_strcmp0 (PQcmdStatus (result), "COMMIT") == 0;
  if (!ok)
    {
      if (PQresultStatus (result) == PGRES_COMMAND_OK)
        dg_set_error (error, DG_ERROR_INTERNAL, NULL, "commit: the transaction was rolled back");
      else
        dg_pg_set_error (self, error, result, "commit");
      PQclear (result);
      dg_pg_rollback (db);
      return FALSE;
    }
  PQclear (result);

  /* This connection's own commit does not change what its caches hold. */
  if (self->pending_version == self->known_version + 1)
    self->known_version = self->pending_version;
  self->pending_version = 0;
  return TRUE;
}

void
dg_pg_rollback (DgStoreDb *db)
{
  DgPgDb *self = DG_PG_DB (db);

  self->pending_version = 0;
  if (PQstatus (self->conn) == CONNECTION_OK &&
      PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

/* The counter row's version moves with every write transaction of any connection: a number
 * that changes when another connection committed, as SQLite's PRAGMA data_version is. */
static gint64
pg_data_version (DgStoreDb *db)
{
  DgPgDb *self = DG_PG_DB (db);
  PGresult *result;
  gint64 version;

  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    return self->data_version;

  result = dg_pg_query (self, "SELECT version FROM dg_meta WHERE id = 1", NULL, "data version",
                        NULL);
  if (result == NULL)
    return -1;
  version = PQntuples (result) == 1 ? dg_pg_int (result, 0, 0) : -1;
  PQclear (result);

  if (version != self->known_version)
    {
      self->known_version = version;
      self->data_version++;
    }
  return self->data_version;
}

/* A generator's bulk writes need not wait for the WAL to reach the disk at each commit: what a
 * crash loses of them is generated again. */
static gboolean
pg_bulk_load (DgStoreDb  *db,
              GError    **error)
{
  return dg_pg_exec (DG_PG_DB (db), "SET synchronous_commit = off", error);
}

const DgStoreBackend dg_pg_backend = {
  .name = "postgresql",

  .open = pg_open,
  .close = pg_close,

  .begin_write = pg_begin_write,
  .commit = pg_commit,
  .rollback = dg_pg_rollback,
  .data_version = pg_data_version,

  .put_user = dg_pg_put_user,
  .get_user = dg_pg_get_user,
  .list_users = dg_pg_list_users,
  .save_user = dg_pg_save_user,
  .user_signed_in = dg_pg_user_signed_in,
  .add_token = dg_pg_add_token,
  .lookup_token = dg_pg_lookup_token,
  .revoke_token = dg_pg_revoke_token,
  .revoke_user_tokens = dg_pg_revoke_user_tokens,
  .last_audit = dg_pg_last_audit,
  .add_audit = dg_pg_add_audit,
  .audit = dg_pg_audit,
  .purge_tokens = dg_pg_purge_tokens,

  .load_record = dg_pg_load_record,
  .record_exists = dg_pg_record_exists,
  .put_record = dg_pg_put_record,
  .add_revision = dg_pg_add_revision,
  .set_record_state = dg_pg_set_record_state,
  .month_closed = dg_pg_month_closed,
  .set_month_closed = dg_pg_set_month_closed,
  .latest_closed_month = dg_pg_latest_closed_month,
  .find_jar = dg_pg_find_jar,
  .list_returned = dg_pg_list_returned,

  .put_attachment = dg_pg_put_attachment,
  .get_attachment = dg_pg_get_attachment,
  .list_attachments = dg_pg_list_attachments,

  .pull = dg_pg_pull,
  .history = dg_pg_history,
  .count_revisions = dg_pg_count_revisions,

  .index_record = dg_pg_index_record,
  .photo_records = dg_pg_photo_records,
  .load_data = dg_pg_load_data,
  .load_road_checks = dg_pg_load_road_checks,
  .load_cell_months = dg_pg_load_cell_months,

  .verify = dg_pg_verify,
  .backup = NULL,
  .bulk_load = pg_bulk_load,
  .exec = dg_pg_exec_sql,

  .begin_read = dg_pg_begin_read,
  .dump_table = dg_pg_dump_table,
  .load_row = dg_pg_load_row,
};
