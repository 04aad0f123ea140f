/* dg-sqlite-schema.c: the SQLite backend's tables, and the migrations from every schema a
 * release has written (PRAGMA user_version) to this build's. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-sqlite-private.h"

static const char *const schema_v1[] = {
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  rev INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  owner TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'active',"
  "  reason TEXT,"
  "  data TEXT,"
  "  computed TEXT,"
  "  month TEXT)",
  "CREATE UNIQUE INDEX records_by_seq ON records (seq)",
  "CREATE INDEX records_by_type_month ON records (type, month)",
  "CREATE TABLE revisions ("
  "  n INTEGER PRIMARY KEY,"
  "  record_id TEXT NOT NULL REFERENCES records (id),"
  "  rev INTEGER NOT NULL,"
  "  type TEXT NOT NULL,"
  "  author TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL,"
  "  data TEXT,"
  "  hash TEXT NOT NULL,"
  "  UNIQUE (record_id, rev))",
  "CREATE TABLE months ("
  "  month TEXT PRIMARY KEY,"
  "  closed INTEGER NOT NULL,"
  "  changed_by TEXT,"
  "  changed_at TEXT)",
  "CREATE TABLE users ("
  "  username TEXT PRIMARY KEY,"
  "  role TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  created_at TEXT NOT NULL)",
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0)",
  NULL
};

/* What the reports read, kept at write time from each check's and sample's data, so that a
 * report reads indexed columns of the months it needs instead of decoding the JSON of every
 * record: a check's road, date and points; a sample's cell, site, jar and computed M (NULL when
 * it cannot be computed). Only records that are not deleted have rows here. */
static const char *const schema_v3[] = {
  /* Clustered by month (WITHOUT ROWID, month first in the key), so a report's rows are one
   * contiguous range of each table; a record's rows are found by its month and id. */
  "CREATE TABLE check_rows ("
  "  month TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  road_id TEXT NOT NULL,"
  "  author TEXT NOT NULL,"
  "  PRIMARY KEY (month, record_id)) WITHOUT ROWID",
  "CREATE TABLE check_points ("
  "  month TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  surface TEXT NOT NULL,"
  "  area_m2 REAL NOT NULL,"
  "  mass_g REAL NOT NULL,"
  "  PRIMARY KEY (month, record_id, seq)) WITHOUT ROWID",
  "CREATE TABLE sample_values ("
  "  month TEXT NOT NULL,"
  "  cell_id TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  site TEXT NOT NULL,"
  "  jar TEXT NOT NULL,"
  "  valid INTEGER NOT NULL,"
  "  value REAL,"
  "  PRIMARY KEY (month, cell_id, record_id)) WITHOUT ROWID",
  NULL
};

/* A closed month's reports read reference data as it stood at the close: the months table notes
 * the last revision then, and the revisions of a type are found by an index. */
static const char *const schema_v4[] = {
  "ALTER TABLE months ADD COLUMN frozen_through INTEGER",
  "CREATE INDEX revisions_by_type ON revisions (type, record_id, n)",
  /* A month closed before version 4 is frozen from now on: its reports change no more. */
  "UPDATE months SET frozen_through = (SELECT COALESCE (MAX (n), 0) FROM revisions)"
  " WHERE closed = 1",
  NULL
};

/* Design 6.1: what an administrator sees and sets of a user (each column added unless it is
 * there: SQLite has no ADD COLUMN IF NOT EXISTS, and a database set back to an older version
 * number has them), and the audit log, chained by hash as the revisions are (seq is its place in
 * the chain). */
static const struct
{
  const char *name;
  const char *sql;
} user_columns_v5[] = {
  { "display_name", "ALTER TABLE users ADD COLUMN display_name TEXT" },
  { "unit_id", "ALTER TABLE users ADD COLUMN unit_id TEXT" },
  { "disabled", "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0" },
  { "last_login_at", "ALTER TABLE users ADD COLUMN last_login_at TEXT" },
};

static const char *const schema_v5[] = {
  "CREATE TABLE IF NOT EXISTS audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  target TEXT,"
  "  detail TEXT,"
  "  hash TEXT NOT NULL)",
  NULL
};

/* Design 6.2: the attachments' metadata; their bytes are files beside the database
 * (dg-sqlite-attachments.c). */
static const char *const schema_v6[] = {
  "CREATE TABLE IF NOT EXISTS attachments ("
  "  sha256 TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  bytes INTEGER NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  taken_at TEXT,"
  "  lat REAL,"
  "  lon REAL,"
  "  uploader TEXT NOT NULL,"
  "  created_at TEXT NOT NULL)",
  NULL
};

/* Editing or voiding a sample replaces its sample_values rows, found by month and record id:
 * the table's key (month, cell_id, record_id) would scan the whole month for them. */
static const char *const schema_v7[] = {
  "CREATE INDEX IF NOT EXISTS sample_values_by_record ON sample_values (month, record_id)",
  NULL
};

/* Which record names which photo (design 6.2: a photo is read through a record that names it,
 * and one on two records is a doubt), kept at write time like the report tables, for the records
 * that are neither deleted nor voided; filled here from the records a database already holds. */
static const char *const schema_v8[] = {
  "CREATE TABLE IF NOT EXISTS record_photos ("
  "  sha256 TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  PRIMARY KEY (sha256, record_id)) WITHOUT ROWID",
  "CREATE INDEX IF NOT EXISTS record_photos_by_record ON record_photos (record_id)",
  "INSERT OR IGNORE INTO record_photos (sha256, record_id)"
  " SELECT ph.value, r.id FROM records r, json_each (r.data, '$.points') pt,"
  " json_each (pt.value, '$.photos') ph"
  " WHERE r.type = 'road_check' AND r.deleted = 0 AND r.state <> 'voided'",
  "INSERT OR IGNORE INTO record_photos (sha256, record_id)"
  " SELECT ph.value, r.id FROM records r, json_each (r.data, '$.photos') ph"
  " WHERE r.type = 'dustfall_sample' AND r.deleted = 0 AND r.state <> 'voided'",
  NULL
};

/* Fills the report tables of schema 3 from the records of a database made before them. */
static gboolean
backfill_report_tables (DgSqliteDb  *self,
                        GError     **error)
{
  sqlite3_stmt *s;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, type, owner, data FROM records WHERE deleted = 0"
                          " AND type IN ('road_check', 'dustfall_sample')", -1, &s,
                          NULL) != SQLITE_OK)
    {
      dg_sqlite_set_error (self, error, sqlite3_errcode (self->db), "prepare");
      return FALSE;
    }

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (s, 0);
      const char *text = (const char *) sqlite3_column_text (s, 3);
      g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
      DgRecordType type;
      gpointer data;
      gboolean ok;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
          !dg_record_type_from_string ((const char *) sqlite3_column_text (s, 1), &type))
        continue;
      data = dg_record_data_from_json (type, id, json_node_get_object (node), NULL);
      if (data == NULL)
        continue;
      ok = dg_sqlite_index_record (&self->parent, type, id,
                                   (const char *) sqlite3_column_text (s, 2), data, NULL, error);
      dg_record_data_free (type, data);
      if (!ok)
        {
          sqlite3_finalize (s);
          return FALSE;
        }
    }
  sqlite3_finalize (s);
  if (rc != SQLITE_DONE)
    {
      dg_sqlite_set_error (self, error, rc, "fill the report tables");
      return FALSE;
    }

  return TRUE;
}

/* Adds the columns of version 4 that the users table lacks, in the caller's transaction. */
static gboolean
add_user_columns (DgSqliteDb  *self,
                  GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (user_columns_v5); i++)
    {
      sqlite3_stmt *s = dg_sqlite_stmt (self, "SELECT 1 FROM pragma_table_info ('users')"
                                              " WHERE name = ?1", error);
      gboolean present;
      int rc;

      if (s == NULL)
        return FALSE;
      dg_sqlite_bind_text (s, 1, user_columns_v5[i].name);
      rc = sqlite3_step (s);
      present = rc == SQLITE_ROW;
      if (!dg_sqlite_end_rows (self, s, rc, "read the users table", error))
        return FALSE;
      if (!present && !dg_sqlite_exec (self, user_columns_v5[i].sql, error))
        return FALSE;
    }

  return TRUE;
}

/* Runs each of @statements, in the caller's transaction. */
static gboolean
exec_all (DgSqliteDb         *self,
          const char * const *statements,
          GError            **error)
{
  for (guint i = 0; statements[i] != NULL; i++)
    {
      if (!dg_sqlite_exec (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

/* The steps below follow the store's list of versions (dg-store.h); a PRAGMA takes no
 * parameter, so each writes its number as it is. */
G_STATIC_ASSERT (DG_STORE_SCHEMA_V1_RECORDS == 1 && DG_STORE_SCHEMA_V3_REPORT_TABLES == 3 &&
                 DG_STORE_SCHEMA_V4_FROZEN_MONTHS == 4 &&
                 DG_STORE_SCHEMA_V5_ADMINISTRATION == 5 &&
                 DG_STORE_SCHEMA_V6_ATTACHMENTS == 6 &&
                 DG_STORE_SCHEMA_V7_SAMPLE_VALUES_BY_RECORD == 7 &&
                 DG_STORE_SCHEMA_V8_RECORD_PHOTOS == 8 && DG_STORE_SCHEMA_VERSION == 8);

/* An upgrade that goes wrong halfway rolls back, but one that goes right and turns out wrong
 * (a new release's bug in a backfill, say) is only undone from a copy of the old file: the
 * online backup, taken before the first step, beside the database and as private as it. */
static gboolean
keep_pre_upgrade_copy (DgSqliteDb  *self,
                       const char  *path,
                       gint64       version,
                       GError     **error)
{
  g_autofree char *copy = NULL;

  if (g_str_equal (path, ":memory:") || g_str_has_prefix (path, "file:"))
    return TRUE;

  copy = dg_store_pre_upgrade_path (path, version);
  if (!dg_sqlite_backup (&self->parent, copy, error))
    {
      g_prefix_error (error, "keeping a copy before the schema upgrade from version %"
                      G_GINT64_FORMAT ": ", version);
      return FALSE;
    }
  g_message ("%s: upgrading schema version %" G_GINT64_FORMAT " to %d; the database as it was "
             "is kept in %s", path, version, DG_STORE_SCHEMA_VERSION, copy);
  return TRUE;
}

gboolean
dg_sqlite_migrate (DgSqliteDb  *self,
                   const char  *path,
                   gboolean    *created,
                   GError     **error)
{
  sqlite3_stmt *s;
  gint64 version = 0;

  *created = FALSE;

  s = dg_sqlite_stmt (self, "PRAGMA user_version", error);
  if (s == NULL)
    return FALSE;
  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  if (version > DG_STORE_SCHEMA_VERSION)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL,
                    "the database has schema version %" G_GINT64_FORMAT
                    ", newer than this server's %d", version, DG_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version >= DG_STORE_SCHEMA_V1_RECORDS && version < DG_STORE_SCHEMA_VERSION &&
      !keep_pre_upgrade_copy (self, path, version, error))
    return FALSE;

  if (version < DG_STORE_SCHEMA_V1_RECORDS)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_all (self, schema_v1, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 1", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }

      /* The store starts a new database with the default rules of section 3. */
      *created = TRUE;
    }

  /* Version 2 had the report tables with other keys, for a few hours: version 3 makes them
   * afresh from the records either way. */
  if (version < DG_STORE_SCHEMA_V3_REPORT_TABLES)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!dg_sqlite_exec (self, "DROP TABLE IF EXISTS check_rows", error) ||
          !dg_sqlite_exec (self, "DROP TABLE IF EXISTS check_points", error) ||
          !dg_sqlite_exec (self, "DROP TABLE IF EXISTS sample_values", error) ||
          !exec_all (self, schema_v3, error) ||
          !backfill_report_tables (self, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 3", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  if (version < DG_STORE_SCHEMA_V4_FROZEN_MONTHS)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_all (self, schema_v4, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 4", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  if (version < DG_STORE_SCHEMA_V5_ADMINISTRATION)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!add_user_columns (self, error) ||
          !exec_all (self, schema_v5, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 5", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  if (version < DG_STORE_SCHEMA_V6_ATTACHMENTS)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_all (self, schema_v6, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 6", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  if (version < DG_STORE_SCHEMA_V7_SAMPLE_VALUES_BY_RECORD)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_all (self, schema_v7, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 7", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  if (version < DG_STORE_SCHEMA_V8_RECORD_PHOTOS)
    {
      if (!dg_sqlite_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_all (self, schema_v8, error) ||
          !dg_sqlite_exec (self, "PRAGMA user_version = 8", error) ||
          !dg_sqlite_exec (self, "COMMIT", error))
        {
          dg_sqlite_rollback (&self->parent);
          return FALSE;
        }
    }

  return TRUE;
}
