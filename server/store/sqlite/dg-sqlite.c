/* dg-sqlite.c: the SQLite backend of DgStore: its connection, statements, transactions and the
 * table of its functions.
 *
 * Records live in two tables: `records` holds the current state of each record (what a pull
 * returns, and what the report builders read), `revisions` every revision ever stored, chained by
 * hash. The store serializes the calls, so one connection serves all its threads.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "dg-sqlite-private.h"

void
dg_sqlite_set_error (DgSqliteDb  *self,
                     GError     **error,
                     int          rc,
                     const char  *what)
{
  int primary = rc & 0xff;
  DgErrorCode code;

  switch (primary)
    {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      code = DG_ERROR_UNAVAILABLE;
      break;
    default:
      code = DG_ERROR_INTERNAL;
      break;
    }

  dg_set_error (error, code, NULL, "%s: %s", what,
                self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
}

sqlite3_stmt *
dg_sqlite_stmt (DgSqliteDb  *self,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *s;

  s = g_hash_table_lookup (self->stmts, sql);
  if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      return s;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
    {
      dg_sqlite_set_error (self, error, sqlite3_errcode (self->db), "prepare");
      return NULL;
    }

  g_hash_table_insert (self->stmts, (gpointer) sql, s);
  return s;
}

gboolean
dg_sqlite_exec (DgSqliteDb  *self,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      dg_sqlite_set_error (self, error, rc, sql);
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_sqlite_step_done (DgSqliteDb    *self,
                     sqlite3_stmt  *s,
                     const char    *what,
                     GError       **error)
{
  return dg_sqlite_end_rows (self, s, sqlite3_step (s), what, error);
}

gboolean
dg_sqlite_end_rows (DgSqliteDb    *self,
                    sqlite3_stmt  *s,
                    int            rc,
                    const char    *what,
                    GError       **error)
{
  sqlite3_reset (s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      dg_sqlite_set_error (self, error, rc, what);
      return FALSE;
    }

  return TRUE;
}

void
dg_sqlite_bind_text (sqlite3_stmt *s,
                     int           i,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

char *
dg_sqlite_column_text (sqlite3_stmt *s,
                       int           col)
{
  const unsigned char *text = sqlite3_column_text (s, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

void
dg_sqlite_row_from_stmt (DgStoreRow   *row,
                         sqlite3_stmt *s)
{
  const char *type = (const char *) sqlite3_column_text (s, 1);

  row->id = dg_sqlite_column_text (s, 0);
  if (!dg_record_type_from_string (type, &row->type))
    row->type = DG_RECORD_ROAD_CHECK;
  row->rev = sqlite3_column_int64 (s, 2);
  row->seq = sqlite3_column_int64 (s, 3);
  row->deleted = sqlite3_column_int (s, 4) != 0;
  row->owner = dg_sqlite_column_text (s, 5);
  row->updated_at = dg_sqlite_column_text (s, 6);
  row->state = dg_sqlite_column_text (s, 7);
  row->reason = dg_sqlite_column_text (s, 8);
  row->data = dg_sqlite_column_text (s, 9);
  row->computed = dg_sqlite_column_text (s, 10);
  row->month = dg_sqlite_column_text (s, 11);
}

/* ---- Connection ---- */

static void
sqlite_close (DgStoreDb *db)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->stmts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_unref (self->stmts);
  g_free (self->attachments);

  /* The last connection to close checkpoints the WAL into the database file. */
  sqlite3_close (self->db);
  g_free (self);
}

gboolean
dg_sqlite_create_private (const char  *path,
                          GError     **error)
{
  int fd;

  /* ":memory:" and "file:" URIs are SQLite's to create. */
  if (g_str_equal (path, ":memory:") || g_str_has_prefix (path, "file:"))
    return TRUE;

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST)
    return TRUE;
  if (fd < 0)
    {
      int saved = errno;

      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot create %s: %s", path,
                    g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static DgStoreDb *
sqlite_open (const char  *path,
             gboolean    *created,
             GError     **error)
{
  DgSqliteDb *self = g_new0 (DgSqliteDb, 1);
  int rc;

  self->parent.backend = &dg_sqlite_backend;
  self->stmts = g_hash_table_new (g_str_hash, g_str_equal);
  if (!g_str_equal (path, ":memory:") && !g_str_has_prefix (path, "file:"))
    self->attachments = dg_store_attachments_dir (path);

  if (!dg_sqlite_create_private (path, error))
    {
      sqlite_close (&self->parent);
      return NULL;
    }
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot open %s: %s", path,
                    self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      sqlite_close (&self->parent);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!dg_sqlite_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !dg_sqlite_exec (self, "PRAGMA synchronous = FULL", error) ||
      !dg_sqlite_exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* 64 MiB of page cache rather than SQLite's 2 MB: the indexes a push writes into (records
       * and revisions by random id, the report tables by month) outgrow 2 MB early in a
       * district's first year, and every page that falls out is read again from the file at
       * the next push. A bound, per connection: the server has one. */
      !dg_sqlite_exec (self, "PRAGMA cache_size = -65536", error) ||
      !dg_sqlite_migrate (self, path, created, error))
    {
      g_prefix_error (error, "%s: ", path);
      sqlite_close (&self->parent);
      return NULL;
    }

  return &self->parent;
}

/* ---- Transactions ---- */

static gboolean
sqlite_begin_write (DgStoreDb  *db,
                    gint64     *seq,
                    char      **prev_hash,
                    GError    **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  /* IMMEDIATE: the write lock now, so another process's batch cannot come in between the seq
   * and hash read here and the writes that follow. */
  if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  s = dg_sqlite_stmt (self, "SELECT COALESCE (MAX (seq), 0) FROM records", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64 (s, 0) : 0;
  sqlite3_reset (s);

  s = dg_sqlite_stmt (self, "SELECT hash FROM revisions ORDER BY n DESC LIMIT 1", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  *prev_hash = rc == SQLITE_ROW ? dg_sqlite_column_text (s, 0) : g_strdup ("");
  sqlite3_reset (s);

  return TRUE;
}

static gboolean
sqlite_commit (DgStoreDb  *db,
               GError    **error)
{
  return dg_sqlite_exec (DG_SQLITE_DB (db), "COMMIT", error);
}

void
dg_sqlite_rollback (DgStoreDb *db)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* PRAGMA data_version changes when another connection commits. */
static gint64
sqlite_data_version (DgStoreDb *db)
{
  sqlite3_stmt *s = dg_sqlite_stmt (DG_SQLITE_DB (db), "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (s == NULL)
    return -1;
  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return version;
}

/* A page cache the size of the indexes keeps a generator's random ids from turning into random
 * reads and writes; synchronous = OFF stops waiting for the disk at each commit. */
static gboolean
sqlite_bulk_load (DgStoreDb  *db,
                  GError    **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);

  return dg_sqlite_exec (self, "PRAGMA cache_size = -262144", error) &&
         dg_sqlite_exec (self, "PRAGMA synchronous = OFF", error);
}

const DgStoreBackend dg_sqlite_backend = {
  .name = "sqlite",

  .open = sqlite_open,
  .close = sqlite_close,

  .begin_write = sqlite_begin_write,
  .commit = sqlite_commit,
  .rollback = dg_sqlite_rollback,
  .data_version = sqlite_data_version,

  .put_user = dg_sqlite_put_user,
  .get_user = dg_sqlite_get_user,
  .list_users = dg_sqlite_list_users,
  .save_user = dg_sqlite_save_user,
  .user_signed_in = dg_sqlite_user_signed_in,
  .add_token = dg_sqlite_add_token,
  .lookup_token = dg_sqlite_lookup_token,
  .revoke_token = dg_sqlite_revoke_token,
  .revoke_user_tokens = dg_sqlite_revoke_user_tokens,
  .last_audit = dg_sqlite_last_audit,
  .add_audit = dg_sqlite_add_audit,
  .audit = dg_sqlite_audit,
  .purge_tokens = dg_sqlite_purge_tokens,

  .load_record = dg_sqlite_load_record,
  .record_exists = dg_sqlite_record_exists,
  .put_record = dg_sqlite_put_record,
  .add_revision = dg_sqlite_add_revision,
  .set_record_state = dg_sqlite_set_record_state,
  .month_closed = dg_sqlite_month_closed,
  .set_month_closed = dg_sqlite_set_month_closed,
  .latest_closed_month = dg_sqlite_latest_closed_month,
  .find_jar = dg_sqlite_find_jar,
  .list_returned = dg_sqlite_list_returned,

  .put_attachment = dg_sqlite_put_attachment,
  .get_attachment = dg_sqlite_get_attachment,
  .list_attachments = dg_sqlite_list_attachments,

  .pull = dg_sqlite_pull,
  .history = dg_sqlite_history,
  .count_revisions = dg_sqlite_count_revisions,

  .index_record = dg_sqlite_index_record,
  .photo_records = dg_sqlite_photo_records,
  .load_data = dg_sqlite_load_data,
  .load_road_checks = dg_sqlite_load_road_checks,
  .load_cell_months = dg_sqlite_load_cell_months,

  .verify = dg_sqlite_verify,
  .backup = dg_sqlite_backup,
  .bulk_load = sqlite_bulk_load,
  .exec = dg_sqlite_exec_sql,

  .begin_read = dg_sqlite_begin_read,
  .dump_table = dg_sqlite_dump_table,
  .load_row = dg_sqlite_load_row,
};
