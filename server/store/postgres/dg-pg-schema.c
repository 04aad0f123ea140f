/* dg-pg-schema.c: the PostgreSQL backend's tables, and the migrations from every schema version
 * (dg-store-backend.h, DG_STORE_SCHEMA_VERSIONS) to this build's.
 *
 * The tables are the SQLite backend's, column for column, so a copy between them (migrate,
 * backup) is row for row. Every text column sorts by its bytes (COLLATE "C"), as SQLite's
 * BINARY does, whatever the database's locale: the reports read rows in key order, and both
 * backends must hand them the same order.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

#define T "TEXT COLLATE \"C\""

static const char *const schema_v1[] = {
  "CREATE TABLE records ("
  "  id " T " PRIMARY KEY,"
  "  type " T " NOT NULL,"
  "  rev BIGINT NOT NULL,"
  "  seq BIGINT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  owner " T " NOT NULL,"
  "  updated_at " T " NOT NULL,"
  "  state " T " NOT NULL DEFAULT 'active',"
  "  reason " T ","
  "  data " T ","
  "  computed " T ","
  "  month " T ")",
  "CREATE UNIQUE INDEX records_by_seq ON records (seq)",
  "CREATE INDEX records_by_type_month ON records (type, month)",
  "CREATE TABLE revisions ("
  "  n BIGINT PRIMARY KEY,"
  "  record_id " T " NOT NULL REFERENCES records (id),"
  "  rev BIGINT NOT NULL,"
  "  type " T " NOT NULL,"
  "  author " T " NOT NULL,"
  "  updated_at " T " NOT NULL,"
  "  deleted INTEGER NOT NULL,"
  "  data " T ","
  "  hash " T " NOT NULL,"
  "  UNIQUE (record_id, rev))",
  "CREATE TABLE months ("
  "  month " T " PRIMARY KEY,"
  "  closed INTEGER NOT NULL,"
  "  changed_by " T ","
  "  changed_at " T ")",
  "CREATE TABLE users ("
  "  username " T " PRIMARY KEY,"
  "  role " T " NOT NULL,"
  "  password_hash " T " NOT NULL,"
  "  created_at " T " NOT NULL)",
  "CREATE TABLE tokens ("
  "  hash " T " PRIMARY KEY,"
  "  username " T " NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  expires_at BIGINT NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0)",
  "CREATE INDEX tokens_by_user ON tokens (username)",
  NULL
};

/* Version 2 only ever existed in SQLite (for a few hours): nothing to do here. */
static const char *const schema_v2[] = {
  NULL
};

/* The report tables, keyed month first as in SQLite. */
static const char *const schema_v3[] = {
  "CREATE TABLE check_rows ("
  "  month " T " NOT NULL,"
  "  record_id " T " NOT NULL,"
  "  date " T " NOT NULL,"
  "  road_id " T " NOT NULL,"
  "  author " T " NOT NULL,"
  "  PRIMARY KEY (month, record_id))",
  "CREATE TABLE check_points ("
  "  month " T " NOT NULL,"
  "  record_id " T " NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  surface " T " NOT NULL,"
  "  area_m2 DOUBLE PRECISION NOT NULL,"
  "  mass_g DOUBLE PRECISION NOT NULL,"
  "  PRIMARY KEY (month, record_id, seq))",
  "CREATE TABLE sample_values ("
  "  month " T " NOT NULL,"
  "  cell_id " T " NOT NULL,"
  "  record_id " T " NOT NULL,"
  "  site " T " NOT NULL,"
  "  jar " T " NOT NULL,"
  "  valid INTEGER NOT NULL,"
  "  value DOUBLE PRECISION,"
  "  PRIMARY KEY (month, cell_id, record_id))",
  NULL
};

/* As SQLite's version 4: a closed month notes the last revision at its close. */
static const char *const schema_v4[] = {
  "ALTER TABLE months ADD COLUMN frozen_through BIGINT",
  "CREATE INDEX revisions_by_type ON revisions (type, record_id, n)",
  "UPDATE months SET frozen_through = (SELECT COALESCE (MAX (n), 0) FROM revisions)"
  " WHERE closed = 1",
  NULL
};

/* Design 6.1: what an administrator sees and sets of a user, and the audit log. IF NOT EXISTS,
 * as in SQLite, so that a database set back to an older version number upgrades again. */
static const char *const schema_v5[] = {
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS display_name " T,
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS unit_id " T,
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled INTEGER NOT NULL DEFAULT 0",
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login_at " T,
  "CREATE TABLE IF NOT EXISTS audit ("
  "  seq BIGINT PRIMARY KEY,"
  "  at " T " NOT NULL,"
  "  actor " T " NOT NULL,"
  "  action " T " NOT NULL,"
  "  target " T ","
  "  detail " T ","
  "  hash " T " NOT NULL)",
  NULL
};

/* Design 6.2: the attachments, their bytes in the row (SQLite keeps them in files; the copy
 * carries the bytes apart from this table's other columns, which are the same in both). */
static const char *const schema_v6[] = {
  "CREATE TABLE IF NOT EXISTS attachments ("
  "  sha256 " T " PRIMARY KEY,"
  "  type " T " NOT NULL,"
  "  bytes BIGINT NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  taken_at " T ","
  "  lat DOUBLE PRECISION,"
  "  lon DOUBLE PRECISION,"
  "  uploader " T " NOT NULL,"
  "  created_at " T " NOT NULL,"
  "  content BYTEA NOT NULL)",
  NULL
};

/* Editing or voiding a sample replaces its sample_values rows, found by month and record id:
 * the table's key (month, cell_id, record_id) would scan the whole month for them. */
static const char *const schema_v7[] = {
  "CREATE INDEX IF NOT EXISTS sample_values_by_record ON sample_values (month, record_id)",
  NULL
};

/* As SQLite's version 8: which record names which photo, filled from the records there. */
static const char *const schema_v8[] = {
  "CREATE TABLE IF NOT EXISTS record_photos ("
  "  sha256 " T " NOT NULL,"
  "  record_id " T " NOT NULL,"
  "  PRIMARY KEY (sha256, record_id))",
  "CREATE INDEX IF NOT EXISTS record_photos_by_record ON record_photos (record_id)",
  "INSERT INTO record_photos (sha256, record_id)"
  " SELECT DISTINCT ph, r.id FROM records r,"
  " jsonb_array_elements (COALESCE (r.data::jsonb -> 'points', '[]'::jsonb)) pt,"
  " jsonb_array_elements_text (COALESCE (pt -> 'photos', '[]'::jsonb)) ph"
  " WHERE r.type = 'road_check' AND r.deleted = 0 AND r.state <> 'voided'"
  " ON CONFLICT DO NOTHING",
  "INSERT INTO record_photos (sha256, record_id)"
  " SELECT DISTINCT ph, r.id FROM records r,"
  " jsonb_array_elements_text (COALESCE (r.data::jsonb -> 'photos', '[]'::jsonb)) ph"
  " WHERE r.type = 'dustfall_sample' AND r.deleted = 0 AND r.state <> 'voided'"
  " ON CONFLICT DO NOTHING",
  NULL
};

/* This backend's steps, one per entry of the store's list of versions. */
static const struct
{
  int                 version;
  const char *const  *statements;
} steps[] = {
  { DG_STORE_SCHEMA_V1_RECORDS, schema_v1 },
  { DG_STORE_SCHEMA_V2_REPORT_TABLES_DRAFT, schema_v2 },
  { DG_STORE_SCHEMA_V3_REPORT_TABLES, schema_v3 },
  { DG_STORE_SCHEMA_V4_FROZEN_MONTHS, schema_v4 },
  { DG_STORE_SCHEMA_V5_ADMINISTRATION, schema_v5 },
  { DG_STORE_SCHEMA_V6_ATTACHMENTS, schema_v6 },
  { DG_STORE_SCHEMA_V7_SAMPLE_VALUES_BY_RECORD, schema_v7 },
  { DG_STORE_SCHEMA_V8_RECORD_PHOTOS, schema_v8 },
};
G_STATIC_ASSERT (G_N_ELEMENTS (steps) == DG_STORE_SCHEMA_VERSION);

/* Reads the schema version, 0 when the database has no DustGrid tables yet. */
static gboolean
read_version (DgPgDb  *self,
              gint64  *version,
              GError **error)
{
  PGresult *result;

  *version = 0;
  result = dg_pg_query (self, "SELECT to_regclass ('dg_meta') IS NOT NULL", NULL, "schema",
                        error);
  if (result == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (result, 0, 0), "f"))
    {
      PQclear (result);
      return TRUE;
    }
  PQclear (result);

  result = dg_pg_query (self, "SELECT schema_version FROM dg_meta WHERE id = 1", NULL, "schema",
                        error);
  if (result == NULL)
    return FALSE;
  *version = PQntuples (result) == 1 ? dg_pg_int (result, 0, 0) : 0;
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_migrate (DgPgDb    *self,
               gboolean  *created,
               GError   **error)
{
  g_auto(DgPgParams) p = { 0 };
  gint64 version = 0;

  *created = FALSE;

  /* Two server processes starting at once on a new database: the first makes the schema, the
   * second waits for it here and finds it made. The lock ends with the transaction. */
  if (!dg_pg_exec (self, "BEGIN", error) ||
      !dg_pg_exec (self, "SELECT pg_advisory_xact_lock (4419371)", error) ||
      !read_version (self, &version, error))
    goto failed;

  if (version > DG_STORE_SCHEMA_VERSION)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL,
                    "the database has schema version %" G_GINT64_FORMAT
                    ", newer than this server's %d", version, DG_STORE_SCHEMA_VERSION);
      goto failed;
    }

  if (version == 0)
    {
      /* The one counter row: its lock orders the writers, its version tells other connections
       * that one of them committed (dg-pg.c). */
      if (!dg_pg_exec (self, "CREATE TABLE dg_meta ("
                             "  id INTEGER PRIMARY KEY CHECK (id = 1),"
                             "  schema_version INTEGER NOT NULL,"
                             "  version BIGINT NOT NULL)", error) ||
          !dg_pg_exec (self, "INSERT INTO dg_meta VALUES (1, 0, 0)", error))
        goto failed;
      *created = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      if (steps[i].version <= version)
        continue;
      for (guint s = 0; steps[i].statements[s] != NULL; s++)
        if (!dg_pg_exec (self, steps[i].statements[s], error))
          goto failed;
    }

  dg_pg_param_int (&p, DG_STORE_SCHEMA_VERSION);
  if (!dg_pg_command (self, "UPDATE dg_meta SET schema_version = $1 WHERE id = 1", &p,
                      "schema", error) ||
      !dg_pg_exec (self, "COMMIT", error))
    goto failed;

  return TRUE;

failed:
  g_prefix_error (error, "schema: ");
  dg_pg_rollback (&self->parent);
  return FALSE;
}
