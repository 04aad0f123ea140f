/* dg-store.c: the server's SQLite store (design section 5).
 *
 * Records live in two tables: `records` holds the current state of each record (what a pull
 * returns, and what the report builders read), `revisions` every revision ever stored, chained by
 * hash. One connection is shared by all threads under a mutex; its statements are prepared once
 * and cached, because a batch of 500 changes runs the same handful of statements 500 times.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "dg-store.h"

struct _DgStore
{
  GObject     parent_instance;

  GMutex      lock;
  char       *path;
  sqlite3    *db;
  GHashTable *stmts;          /* SQL text -> sqlite3_stmt * */

  /* The rules in force, cached between batches; dropped when a rule changes here, or when
   * another connection (an `import` while serving) commits, as PRAGMA data_version tells. */
  DgRuleSet  *rules;
  gint64      rules_data_version;

  /* Roads and grid cells, decoded once: a province has tens of thousands of cells and every
   * ranking needs them all. Dropped like the rules. */
  GPtrArray  *ref_cache[DG_N_RECORD_TYPES];
  gint64      ref_data_version[DG_N_RECORD_TYPES];

  /* Cell-months by month (GArray of DgCellMonth with interned strings): a ranking reads up to
   * fourteen months, all but the newest usually closed and unchanging. A month's entry goes when
   * one of its samples is written here; all go when another connection commits. */
  GHashTable *cell_months;
  gint64      cell_months_data_version;
};

G_DEFINE_FINAL_TYPE (DgStore, dg_store, G_TYPE_OBJECT)

/* One stored row of `records`. */
typedef struct
{
  char         *id;
  DgRecordType  type;
  gint64        rev;
  gint64        seq;
  gboolean      deleted;
  char         *owner;
  char         *updated_at;
  char         *state;
  char         *reason;
  char         *data;       /* canonical JSON text */
  char         *computed;   /* canonical JSON text */
  char         *month;
} Row;

/* State of one batch being applied. */
typedef struct
{
  const char *user;
  DgRole      role;
  gboolean    force;        /* import: ignore base_rev */
  gint64      seq;          /* last seq handed out */
  char       *prev_hash;    /* hash of the last revision stored */
  char       *now;
} Batch;

static const char *schema_v1[] = {
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
static const char *schema_v3[] = {
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

#define RECORD_COLUMNS \
  "id, type, rev, seq, deleted, owner, updated_at, state, reason, data, computed, month"

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->owner, g_free);
  g_clear_pointer (&row->updated_at, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->reason, g_free);
  g_clear_pointer (&row->data, g_free);
  g_clear_pointer (&row->computed, g_free);
  g_clear_pointer (&row->month, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static char *
column_text (sqlite3_stmt *s,
             int           col)
{
  const unsigned char *text = sqlite3_column_text (s, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Disk full, I/O errors and a database locked too long are the client's "try again later"
 * (503); anything else is a bug or a damaged file. */
static void
set_sqlite_error (DgStore     *self,
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

static gboolean
check_open (DgStore  *self,
            GError  **error)
{
  if (self->db != NULL)
    return TRUE;

  dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "the database is closed");
  return FALSE;
}

/* A cached prepared statement, reset and unbound. */
static sqlite3_stmt *
stmt (DgStore     *self,
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
      set_sqlite_error (self, error, sqlite3_errcode (self->db), "prepare");
      return NULL;
    }

  g_hash_table_insert (self->stmts, (gpointer) sql, s);
  return s;
}

static gboolean
exec (DgStore     *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, rc, sql);
      return FALSE;
    }

  return TRUE;
}

/* Steps a statement that returns no rows (or whose rows are ignored) and resets it. */
static gboolean
step_done (DgStore       *self,
           sqlite3_stmt  *s,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (s);

  sqlite3_reset (s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, rc, what);
      return FALSE;
    }

  return TRUE;
}

static void
bind_text (sqlite3_stmt *s,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

static void
rollback (DgStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static char *
sha256_hex (const char *prev,
            const char *text)
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *hex;

  g_checksum_update (checksum, (const guchar *) prev, strlen (prev));
  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  hex = g_strdup (g_checksum_get_string (checksum));
  g_checksum_free (checksum);

  return hex;
}

static JsonNode *
parse_text (const char *text)
{
  if (text == NULL)
    return NULL;

  return json_from_string (text, NULL);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse_text (text);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

static char *
object_canonical (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return dg_json_canonical (node);
}

/* The text that a revision's hash covers: the canonical JSON of the revision itself. */
static char *
revision_canonical (const char *type,
                    const char *id,
                    gint64      rev,
                    const char *author,
                    const char *updated_at,
                    gboolean    deleted,
                    const char *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *data_node;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "rev");
  json_builder_add_int_value (builder, rev);
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated_at);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, deleted);
  json_builder_set_member_name (builder, "data");
  data_node = parse_text (data);
  if (data_node != NULL)
    json_builder_add_value (builder, data_node);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return dg_json_canonical (root);
}

/* revision_canonical() for @data that is already canonical JSON text (as every revision this
 * store writes is): the same bytes, spelled out with the members in their sorted order, without
 * parsing @data and encoding it again. */
static char *
revision_canonical_fast (const char *type,
                         const char *id,
                         gint64      rev,
                         const char *author,
                         const char *updated_at,
                         gboolean    deleted,
                         const char *data)
{
  GString *out = g_string_sized_new (256 + (data != NULL ? strlen (data) : 0));

  g_string_append (out, "{\"author\":");
  dg_json_append_string (out, author);
  g_string_append (out, ",\"data\":");
  g_string_append (out, data != NULL ? data : "null");
  g_string_append (out, deleted ? ",\"deleted\":true,\"id\":" : ",\"deleted\":false,\"id\":");
  dg_json_append_string (out, id);
  g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT ",\"type\":", rev);
  dg_json_append_string (out, type);
  g_string_append (out, ",\"updated_at\":");
  dg_json_append_string (out, updated_at);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

/* ---- Rows ---- */

static void
row_from_stmt (Row          *row,
               sqlite3_stmt *s)
{
  const char *type = (const char *) sqlite3_column_text (s, 1);

  row->id = column_text (s, 0);
  if (!dg_record_type_from_string (type, &row->type))
    row->type = DG_RECORD_ROAD_CHECK;
  row->rev = sqlite3_column_int64 (s, 2);
  row->seq = sqlite3_column_int64 (s, 3);
  row->deleted = sqlite3_column_int (s, 4) != 0;
  row->owner = column_text (s, 5);
  row->updated_at = column_text (s, 6);
  row->state = column_text (s, 7);
  row->reason = column_text (s, 8);
  row->data = column_text (s, 9);
  row->computed = column_text (s, 10);
  row->month = column_text (s, 11);
}

static DgRecord *
record_from_row (const Row *row)
{
  DgRecord *record = dg_record_new ();

  record->type = row->type;
  record->id = g_strdup (row->id);
  record->rev = row->rev;
  record->seq = row->seq;
  record->deleted = row->deleted;
  record->author = g_strdup (row->owner);
  record->updated_at = g_strdup (row->updated_at);
  if (!dg_record_state_from_string (row->state, &record->state))
    record->state = DG_RECORD_STATE_ACTIVE;
  record->reason = g_strdup (row->reason);
  record->data = parse_object (row->data);
  record->computed = parse_object (row->computed);

  return record;
}

/* Loads the row of @id: TRUE and *found = FALSE when there is none. */
static gboolean
load_row (DgStore     *self,
          const char  *id,
          Row         *row,
          gboolean    *found,
          GError     **error)
{
  sqlite3_stmt *s;
  int rc;

  s = stmt (self, "SELECT " RECORD_COLUMNS " FROM records WHERE id = ?1", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      row_from_stmt (row, s);
      *found = TRUE;
    }
  else if (rc == SQLITE_DONE)
    {
      *found = FALSE;
    }
  else
    {
      sqlite3_reset (s);
      set_sqlite_error (self, error, rc, "load record");
      return FALSE;
    }

  sqlite3_reset (s);
  return TRUE;
}

static gboolean
record_exists (DgStore     *self,
               const char  *id,
               const char  *type,
               gboolean    *exists,
               GError     **error)
{
  sqlite3_stmt *s;
  int rc;

  s = stmt (self, "SELECT 1 FROM records WHERE id = ?1 AND type = ?2 AND deleted = 0", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, id);
  bind_text (s, 2, type);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "look up reference");
      return FALSE;
    }

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
month_closed_locked (DgStore     *self,
                     const char  *month,
                     gboolean    *closed,
                     GError     **error)
{
  sqlite3_stmt *s;
  int rc;

  *closed = FALSE;
  if (month == NULL)
    return TRUE;

  s = stmt (self, "SELECT closed FROM months WHERE month = ?1", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, month);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    *closed = sqlite3_column_int (s, 0) != 0;
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "look up month");
      return FALSE;
    }

  return TRUE;
}

static gint64
data_version (DgStore *self)
{
  sqlite3_stmt *s = stmt (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (s == NULL)
    return -1;
  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return version;
}

static DgRuleSet *
load_rules_locked (DgStore  *self,
                   GError  **error)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new ();
  sqlite3_stmt *s;
  gint64 version;
  int rc;

  version = data_version (self);
  if (self->rules != NULL && version == self->rules_data_version)
    return dg_rule_set_ref (self->rules);

  s = stmt (self, "SELECT id, data FROM records WHERE type = 'rule' AND deleted = 0", error);
  if (s == NULL)
    return NULL;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (s, 0);
      g_autoptr(JsonObject) data = parse_object ((const char *) sqlite3_column_text (s, 1));
      g_autoptr(GError) local_error = NULL;
      DgRule *rule;

      if (data == NULL)
        continue;
      rule = dg_record_data_from_json (DG_RECORD_RULE, id, data, &local_error);
      if (rule == NULL)
        {
          g_warning ("Stored rule %s no longer validates: %s", id, local_error->message);
          continue;
        }
      dg_rule_set_add (rules, rule);
      dg_rule_free (rule);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "load rules");
      return NULL;
    }

  g_clear_pointer (&self->rules, dg_rule_set_unref);
  self->rules = dg_rule_set_ref (rules);
  self->rules_data_version = version;

  return g_steal_pointer (&rules);
}

/* ---- Applying changes ---- */

static char *
record_month (DgRecordType  type,
              gconstpointer data)
{
  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return dg_date_month (((const DgRoadCheck *) data)->date);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return g_strdup (((const DgDustfallSample *) data)->month);
    case DG_RECORD_ROAD:
    case DG_RECORD_GRID_CELL:
    case DG_RECORD_RULE:
    case DG_N_RECORD_TYPES:
    default:
      return NULL;
    }
}

static void
drop_ref_cache (DgStore *self)
{
  for (guint i = 0; i < DG_N_RECORD_TYPES; i++)
    g_clear_pointer (&self->ref_cache[i], g_ptr_array_unref);
  g_hash_table_remove_all (self->cell_months);
}

/* Keeps the report tables (schema_v3) in step with record @id: its old rows, of @old_month, go
 * when the record existed, and new ones are written from @data unless it is NULL (deleted). */
/* Removes a record's rows from one report table; @sql deletes by (month, record_id), the
 * tables' key order, so the delete stays within the month's range. */
static gboolean
unindex_rows (DgStore     *self,
              const char  *sql,
              const char  *month,
              const char  *id,
              const char  *what,
              GError     **error)
{
  sqlite3_stmt *s = stmt (self, sql, error);

  if (s == NULL)
    return FALSE;
  bind_text (s, 1, month);
  bind_text (s, 2, id);
  return step_done (self, s, what, error);
}

static gboolean
index_record (DgStore        *self,
              DgRecordType    type,
              const char     *id,
              const char     *owner,
              gconstpointer   data,
              const char     *old_month,
              GError        **error)
{
  sqlite3_stmt *s;

  if (type == DG_RECORD_ROAD_CHECK)
    {
      const DgRoadCheck *check = data;
      char month[8];

      if (old_month != NULL)
        {
          if (!unindex_rows (self, "DELETE FROM check_rows WHERE month = ?1 AND record_id = ?2",
                             old_month, id, "unindex check", error) ||
              !unindex_rows (self, "DELETE FROM check_points WHERE month = ?1 AND record_id = ?2",
                             old_month, id, "unindex check points", error))
            return FALSE;
        }
      if (check == NULL)
        return TRUE;

      s = stmt (self, "INSERT INTO check_rows (record_id, month, date, road_id, author)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (s == NULL)
        return FALSE;
      g_strlcpy (month, check->date, sizeof month);
      bind_text (s, 1, id);
      sqlite3_bind_text (s, 2, month, -1, SQLITE_TRANSIENT);
      bind_text (s, 3, check->date);
      bind_text (s, 4, check->road_id);
      bind_text (s, 5, owner);
      if (!step_done (self, s, "index check", error))
        return FALSE;

      s = stmt (self, "INSERT OR REPLACE INTO check_points"
                      " (record_id, seq, surface, area_m2, mass_g, month)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
      if (s == NULL)
        return FALSE;
      for (guint i = 0; i < check->points->len; i++)
        {
          const DgRoadPoint *point = dg_road_check_get_point (check, i);

          sqlite3_reset (s);
          bind_text (s, 1, id);
          sqlite3_bind_int (s, 2, point->seq);
          sqlite3_bind_text (s, 3, dg_surface_to_string (point->surface), -1, SQLITE_STATIC);
          sqlite3_bind_double (s, 4, point->area_m2);
          sqlite3_bind_double (s, 5, point->mass_g);
          sqlite3_bind_text (s, 6, month, -1, SQLITE_TRANSIENT);
          if (!step_done (self, s, "index check point", error))
            return FALSE;
        }
    }
  else if (type == DG_RECORD_DUSTFALL_SAMPLE)
    {
      const DgDustfallSample *sample = data;
      DgDustfallResult result;
      char jar[2] = { 0, 0 };

      if (old_month != NULL)
        g_hash_table_remove (self->cell_months, old_month);
      if (sample != NULL)
        g_hash_table_remove (self->cell_months, sample->month);

      if (old_month != NULL)
        {
          if (!unindex_rows (self, "DELETE FROM sample_values WHERE month = ?1 AND record_id = ?2",
                             old_month, id, "unindex sample", error))
            return FALSE;
        }
      if (sample == NULL)
        return TRUE;

      s = stmt (self, "INSERT INTO sample_values (record_id, month, cell_id, site, jar, valid, value)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
      if (s == NULL)
        return FALSE;
      jar[0] = sample->jar;
      bind_text (s, 1, id);
      bind_text (s, 2, sample->month);
      bind_text (s, 3, sample->cell_id);
      bind_text (s, 4, sample->site != NULL ? sample->site : "1");
      sqlite3_bind_text (s, 5, jar, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (s, 6, sample->valid);
      if (dg_dustfall_compute (sample, &result, NULL))
        sqlite3_bind_double (s, 7, result.value);
      else
        sqlite3_bind_null (s, 7);
      if (!step_done (self, s, "index sample", error))
        return FALSE;
    }

  return TRUE;
}

static DgResult *
rejected (const char  *id,
          gint64       rev,
          GError      *error)
{
  DgResult *result = dg_result_new (id != NULL ? id : "", DG_RESULT_REJECTED, rev);

  result->error = error;
  return result;
}

static DgResult *
rejected_new (const char  *id,
              gint64       rev,
              DgErrorCode  code,
              const char  *field,
              const char  *message)
{
  GError *error = NULL;

  dg_set_error (&error, code, field, "%s", message);
  return rejected (id, rev, error);
}

static const char *
node_id (JsonNode *node)
{
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  member = json_object_get_member (object, "id");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (member);
}

static gboolean
write_revision (DgStore     *self,
                Batch       *batch,
                const char  *id,
                const char  *type,
                gint64       rev,
                gboolean     deleted,
                const char  *data,
                GError     **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *s;

  /* @data is the canonical text this batch just made: no need to parse and encode it again
   * (dg_store_verify() still does, so a difference would show there). */
  canonical = revision_canonical_fast (type, id, rev, batch->user, batch->now, deleted, data);
  hash = sha256_hex (batch->prev_hash, canonical);

  s = stmt (self,
            "INSERT INTO revisions (record_id, rev, type, author, updated_at, deleted, data, hash)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, id);
  sqlite3_bind_int64 (s, 2, rev);
  bind_text (s, 3, type);
  bind_text (s, 4, batch->user);
  bind_text (s, 5, batch->now);
  sqlite3_bind_int (s, 6, deleted);
  bind_text (s, 7, data);
  bind_text (s, 8, hash);
  if (!step_done (self, s, "store revision", error))
    return FALSE;

  g_free (batch->prev_hash);
  batch->prev_hash = g_steal_pointer (&hash);
  return TRUE;
}

/* Applies one CHANGE. Returns its result; NULL with @error only when the database failed, which
 * fails the whole batch. */
static DgResult *
apply_one (DgStore   *self,
           Batch     *batch,
           JsonNode  *node,
           GError   **error)
{
  g_autoptr(DgChange) change = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Row) existing = { 0 };
  g_autofree char *data_text = NULL;
  g_autofree char *computed_text = NULL;
  g_autofree char *month = NULL;
  gpointer data = NULL;
  gboolean found = FALSE;
  gboolean closed;
  const char *type_name;
  const char *owner;
  const char *state;
  const char *reason;
  sqlite3_stmt *s;
  DgResult *result = NULL;
  gint64 rev;

  change = dg_change_from_json (node, &local_error);
  if (change == NULL)
    return rejected (node_id (node), 0, g_steal_pointer (&local_error));

  type_name = dg_record_type_to_string (change->type);

  if (!dg_policy_allows_write (batch->role, change->type, DG_SCOPE_ANY))
    return rejected_new (change->id, 0, DG_ERROR_FORBIDDEN, "type",
                         dg_record_type_is_reference (change->type)
                           ? "only an administrator may change reference data"
                           : "this role may not write records");

  if (!load_row (self, change->id, &existing, &found, error))
    return NULL;

  /* A new record is the writer's own; an existing one is whoever wrote it first. */
  if (found && !dg_policy_allows_write (batch->role, change->type,
                                        dg_policy_scope_for (existing.owner, batch->user)))
    return rejected_new (change->id, 0, DG_ERROR_FORBIDDEN, "id",
                         "this record belongs to another inspector");

  if (found && existing.type != change->type)
    return rejected_new (change->id, existing.rev, DG_ERROR_INVALID_FIELD, "type",
                         "a record with this id exists with another type");

  if (change->deleted)
    {
      if (!found)
        return rejected_new (change->id, 0, DG_ERROR_NOT_FOUND, "id", "no such record to delete");
      if (existing.deleted)
        return dg_result_new (change->id, DG_RESULT_UNCHANGED, existing.rev);
      month = g_strdup (existing.month);
    }
  else
    {
      g_autoptr(JsonObject) normalized = NULL;

      if (change->data == NULL)
        return rejected_new (change->id, found ? existing.rev : 0, DG_ERROR_INVALID_FIELD,
                             "data", "data is required");

      data = dg_record_data_from_json (change->type, change->id, change->data, &local_error);
      if (data == NULL)
        /* Field paths stay relative to the data object ("points[3].mass_g"), as on the wire. */
        return rejected (change->id, found ? existing.rev : 0, g_steal_pointer (&local_error));

      normalized = dg_record_data_to_json (change->type, data);
      data_text = object_canonical (normalized);

      if (found && !existing.deleted && g_strcmp0 (existing.data, data_text) == 0)
        {
          result = dg_result_new (change->id, DG_RESULT_UNCHANGED, existing.rev);
          goto out;
        }

      month = record_month (change->type, data);

      /* A check names a road and a sample a grid cell that exist. */
      if (change->type == DG_RECORD_ROAD_CHECK || change->type == DG_RECORD_DUSTFALL_SAMPLE)
        {
          gboolean is_check = change->type == DG_RECORD_ROAD_CHECK;
          const char *ref = is_check ? ((DgRoadCheck *) data)->road_id
                                     : ((DgDustfallSample *) data)->cell_id;
          gboolean exists = FALSE;

          if (!record_exists (self, ref, is_check ? "road" : "grid_cell", &exists, error))
            goto failed;
          if (!exists)
            {
              result = rejected_new (change->id, found ? existing.rev : 0,
                                     DG_ERROR_INVALID_FIELD,
                                     is_check ? "road_id" : "cell_id",
                                     is_check ? "road_id names no road" :
                                                "cell_id names no grid cell");
              goto out;
            }
        }
    }

  if (found && !batch->force && change->base_rev != existing.rev)
    {
      result = dg_result_new (change->id, DG_RESULT_CONFLICT, existing.rev);
      result->current = record_from_row (&existing);
      goto out;
    }

  if (!month_closed_locked (self, month, &closed, error))
    goto failed;
  if (!closed && found && g_strcmp0 (existing.month, month) != 0)
    {
      if (!month_closed_locked (self, existing.month, &closed, error))
        goto failed;
    }
  if (closed)
    {
      result = rejected_new (change->id, found ? existing.rev : 0, DG_ERROR_MONTH_CLOSED,
                             NULL, "the month of this record is closed");
      goto out;
    }

  if (change->deleted)
    {
      data_text = g_strdup (existing.data);
      computed_text = g_strdup (existing.computed);
    }
  else
    {
      g_autoptr(DgRuleSet) rules = load_rules_locked (self, error);
      g_autoptr(JsonObject) computed = NULL;

      if (rules == NULL)
        goto failed;
      computed = dg_record_computed_to_json (change->type, data, rules);
      if (computed != NULL)
        computed_text = object_canonical (computed);
    }

  rev = found ? existing.rev + 1 : 1;
  batch->seq++;
  owner = found ? existing.owner : batch->user;

  /* The author's own edit answers a return for correction; anyone else's leaves it pending. */
  if (found && g_strcmp0 (existing.owner, batch->user) != 0)
    {
      state = existing.state;
      reason = existing.reason;
    }
  else
    {
      state = dg_record_state_to_string (DG_RECORD_STATE_ACTIVE);
      reason = NULL;
    }

  s = stmt (self,
            "INSERT INTO records (" RECORD_COLUMNS ")"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            " ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq,"
            " deleted = excluded.deleted, updated_at = excluded.updated_at,"
            " state = excluded.state, reason = excluded.reason, data = excluded.data,"
            " computed = excluded.computed, month = excluded.month", error);
  if (s == NULL)
    goto failed;

  bind_text (s, 1, change->id);
  bind_text (s, 2, type_name);
  sqlite3_bind_int64 (s, 3, rev);
  sqlite3_bind_int64 (s, 4, batch->seq);
  sqlite3_bind_int (s, 5, change->deleted);
  bind_text (s, 6, owner);
  bind_text (s, 7, batch->now);
  bind_text (s, 8, state);
  bind_text (s, 9, reason);
  bind_text (s, 10, data_text);
  bind_text (s, 11, computed_text);
  bind_text (s, 12, month);
  if (!step_done (self, s, "store record", error))
    goto failed;

  if (!write_revision (self, batch, change->id, type_name, rev, change->deleted,
                       change->deleted ? NULL : data_text, error))
    goto failed;

  if (!index_record (self, change->type, change->id, owner, change->deleted ? NULL : data,
                     found ? existing.month : NULL, error))
    goto failed;

  if (change->type == DG_RECORD_RULE)
    g_clear_pointer (&self->rules, dg_rule_set_unref);
  if (change->type == DG_RECORD_ROAD || change->type == DG_RECORD_GRID_CELL)
    drop_ref_cache (self);

  result = dg_result_new (change->id, DG_RESULT_APPLIED, rev);

out:
  if (data != NULL)
    dg_record_data_free (change->type, data);
  return result;

failed:
  if (data != NULL)
    dg_record_data_free (change->type, data);
  return NULL;
}

static gboolean
begin_batch (DgStore     *self,
             Batch       *batch,
             GError     **error)
{
  sqlite3_stmt *s;
  int rc;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  s = stmt (self, "SELECT COALESCE (MAX (seq), 0) FROM records", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  batch->seq = rc == SQLITE_ROW ? sqlite3_column_int64 (s, 0) : 0;
  sqlite3_reset (s);

  s = stmt (self, "SELECT hash FROM revisions ORDER BY n DESC LIMIT 1", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  batch->prev_hash = rc == SQLITE_ROW ? column_text (s, 0) : g_strdup ("");
  sqlite3_reset (s);

  batch->now = dg_timestamp_now ();
  return TRUE;
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->prev_hash, g_free);
  g_clear_pointer (&batch->now, g_free);
}

/* With @all_or_nothing, the first rejected change rolls the batch back and fails it. */
static GPtrArray *
apply_batch_locked (DgStore     *self,
                    const char  *user,
                    DgRole       role,
                    gboolean     force,
                    gboolean     all_or_nothing,
                    JsonArray   *changes,
                    GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_result_free);
  Batch batch = { user, role, force, 0, NULL, NULL };
  guint n = json_array_get_length (changes);

  if (!check_open (self, error))
    return NULL;

  if (!begin_batch (self, &batch, error))
    goto failed;

  for (guint i = 0; i < n; i++)
    {
      DgResult *result = apply_one (self, &batch, json_array_get_element (changes, i), error);

      if (result == NULL)
        goto failed;
      g_ptr_array_add (results, result);

      if (all_or_nothing && result->status == DG_RESULT_REJECTED)
        {
          JsonNode *node = json_array_get_element (changes, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *type = object != NULL ? json_object_get_string_member_with_default (
                                                object, "type", "record") : "record";
          const char *field = dg_error_get_field (result->error);

          dg_set_error (error, result->error->code, field, "%s %s: %s%s%s%s", type, result->id,
                        result->error->message, field != NULL ? " (" : "",
                        field != NULL ? field : "", field != NULL ? ")" : "");
          goto failed;
        }
    }

  if (!exec (self, "COMMIT", error))
    goto failed;

  batch_clear (&batch);
  return g_steal_pointer (&results);

failed:
  rollback (self);
  /* Rules read inside the failed transaction may not exist any more. */
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  drop_ref_cache (self);
  batch_clear (&batch);
  return NULL;
}

/* ---- Schema ---- */

static gboolean
insert_default_rules (DgStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) rules = dg_rule_set_default_rules ();
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < rules->len; i++)
    {
      DgRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(JsonObject) data = dg_record_data_to_json (DG_RECORD_RULE, rule);
      g_autoptr(DgChange) change = dg_change_new (DG_RECORD_RULE, rule->id, 0, FALSE, data);

      json_array_add_element (changes, dg_change_to_json (change));
    }

  results = apply_batch_locked (self, "system", DG_ROLE_ADMIN, TRUE, TRUE, changes, error);
  return results != NULL;
}

/* Fills the report tables of schema 3 from the records of a database made before them. */
static gboolean
backfill_report_tables (DgStore  *self,
                        GError  **error)
{
  sqlite3_stmt *s;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, type, owner, data FROM records WHERE deleted = 0"
                          " AND type IN ('road_check', 'dustfall_sample')", -1, &s,
                          NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, sqlite3_errcode (self->db), "prepare");
      return FALSE;
    }

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (s, 0);
      g_autoptr(JsonObject) object = parse_object ((const char *) sqlite3_column_text (s, 3));
      DgRecordType type;
      gpointer data;
      gboolean ok;

      if (object == NULL ||
          !dg_record_type_from_string ((const char *) sqlite3_column_text (s, 1), &type))
        continue;
      data = dg_record_data_from_json (type, id, object, NULL);
      if (data == NULL)
        continue;
      ok = index_record (self, type, id, (const char *) sqlite3_column_text (s, 2), data, NULL,
                         error);
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
      set_sqlite_error (self, error, rc, "fill the report tables");
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (DgStore  *self,
         GError  **error)
{
  sqlite3_stmt *s;
  gint64 version = 0;

  s = stmt (self, "PRAGMA user_version", error);
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

  if (version < 1)
    {
      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      for (guint i = 0; schema_v1[i] != NULL; i++)
        {
          if (!exec (self, schema_v1[i], error))
            {
              rollback (self);
              return FALSE;
            }
        }
      if (!exec (self, "PRAGMA user_version = 1", error) || !exec (self, "COMMIT", error))
        {
          rollback (self);
          return FALSE;
        }

      /* A new database starts with the default rules of section 3, as revisions like any. */
      if (!insert_default_rules (self, error))
        return FALSE;
    }

  /* Version 2 had the report tables with other keys, for a few hours: version 3 makes them
   * afresh from the records either way. */
  if (version < 3)
    {
      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, "DROP TABLE IF EXISTS check_rows", error) ||
          !exec (self, "DROP TABLE IF EXISTS check_points", error) ||
          !exec (self, "DROP TABLE IF EXISTS sample_values", error))
        {
          rollback (self);
          return FALSE;
        }
      for (guint i = 0; schema_v3[i] != NULL; i++)
        {
          if (!exec (self, schema_v3[i], error))
            {
              rollback (self);
              return FALSE;
            }
        }
      if (!backfill_report_tables (self, error) ||
          !exec (self, "PRAGMA user_version = 3", error) || !exec (self, "COMMIT", error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- GObject ---- */

static void
close_locked (DgStore *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->db == NULL)
    return;

  g_hash_table_iter_init (&iter, self->stmts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_remove_all (self->stmts);

  sqlite3_close (self->db);
  self->db = NULL;
}

static void
dg_store_finalize (GObject *object)
{
  DgStore *self = (DgStore *) object;

  close_locked (self);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  drop_ref_cache (self);
  g_clear_pointer (&self->cell_months, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dg_store_parent_class)->finalize (object);
}

static void
dg_store_class_init (DgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_store_finalize;
}

static void
dg_store_init (DgStore *self)
{
  g_mutex_init (&self->lock);
  self->stmts = g_hash_table_new (g_str_hash, g_str_equal);
  self->cell_months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_array_unref);
}

/* ---- Public API ---- */

DgStore *
dg_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(DgStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DG_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot open %s: %s", path,
                    self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
dg_store_get_path (DgStore *self)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return self->path;
}

void
dg_store_close (DgStore *self)
{
  g_return_if_fail (DG_IS_STORE (self));

  g_mutex_lock (&self->lock);
  close_locked (self);
  g_mutex_unlock (&self->lock);
}

gboolean
dg_store_put_user (DgStore     *self,
                   const char  *username,
                   DgRole       role,
                   const char  *password_hash,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL && password_hash != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  now = dg_timestamp_now ();
  s = stmt (self,
            "INSERT INTO users (username, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
            " password_hash = excluded.password_hash", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, username);
  bind_text (s, 2, dg_role_to_string (role));
  bind_text (s, 3, password_hash);
  bind_text (s, 4, now);
  return step_done (self, s, "store user", error);
}

gboolean
dg_store_get_user (DgStore     *self,
                   const char  *username,
                   DgRole      *role,
                   char       **password_hash,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *s;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  s = stmt (self, "SELECT role, password_hash FROM users WHERE username = ?1", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, username);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      DgRole r = DG_ROLE_INSPECTOR;

      found = dg_role_from_string ((const char *) sqlite3_column_text (s, 0), &r);
      if (role != NULL)
        *role = r;
      if (password_hash != NULL)
        *password_hash = column_text (s, 1);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "load user");
      return FALSE;
    }

  return found;
}

gboolean
dg_store_add_token (DgStore     *self,
                    const char  *token_hash,
                    const char  *username,
                    gint64       expires_at,
                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  s = stmt (self, "INSERT INTO tokens (hash, username, expires_at) VALUES (?1, ?2, ?3)", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, token_hash);
  bind_text (s, 2, username);
  sqlite3_bind_int64 (s, 3, expires_at);
  return step_done (self, s, "store token", error);
}

gboolean
dg_store_lookup_token (DgStore     *self,
                       const char  *token_hash,
                       gint64       now,
                       char       **username,
                       DgRole      *role,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *s;
  gboolean valid = FALSE;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  s = stmt (self,
            "SELECT t.username, u.role, t.hash FROM tokens t JOIN users u ON u.username = t.username"
            " WHERE t.hash = ?1 AND t.revoked = 0 AND t.expires_at > ?2", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, token_hash);
  sqlite3_bind_int64 (s, 2, now);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      const char *stored = (const char *) sqlite3_column_text (s, 2);

      /* The index found the row; the comparison itself is made in constant time. */
      valid = stored != NULL && strlen (stored) == strlen (token_hash) &&
              sodium_memcmp (stored, token_hash, strlen (token_hash)) == 0 &&
              dg_role_from_string ((const char *) sqlite3_column_text (s, 1), role);
      if (valid && username != NULL)
        *username = column_text (s, 0);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "look up token");
      return FALSE;
    }

  return valid;
}

gboolean
dg_store_revoke_token (DgStore     *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  s = stmt (self, "UPDATE tokens SET revoked = 1 WHERE hash = ?1", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, token_hash);
  return step_done (self, s, "revoke token", error);
}

GPtrArray *
dg_store_apply_changes (DgStore     *self,
                        const char  *user,
                        DgRole       role,
                        JsonArray   *changes,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return apply_batch_locked (self, user, role, FALSE, FALSE, changes, error);
}

gboolean
dg_store_insert_generated (DgStore       *self,
                           const char    *author,
                           DgRecordType   type,
                           GPtrArray     *records,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgRuleSet) rules = NULL;
  Batch batch = { author, DG_ROLE_INSPECTOR, TRUE, 0, NULL, NULL };
  const char *type_name = dg_record_type_to_string (type);
  const char *state = dg_record_state_to_string (DG_RECORD_STATE_ACTIVE);

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (type == DG_RECORD_ROAD_CHECK || type == DG_RECORD_DUSTFALL_SAMPLE, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error) || !begin_batch (self, &batch, error))
    goto failed;
  rules = load_rules_locked (self, error);
  if (rules == NULL)
    goto failed;

  for (guint i = 0; i < records->len; i++)
    {
      gconstpointer data = g_ptr_array_index (records, i);
      const char *id = type == DG_RECORD_ROAD_CHECK ? ((const DgRoadCheck *) data)->id
                                                    : ((const DgDustfallSample *) data)->id;
      g_autoptr(JsonObject) object = dg_record_data_to_json (type, data);
      g_autoptr(JsonObject) computed = dg_record_computed_to_json (type, data, rules);
      g_autofree char *data_text = object_canonical (object);
      g_autofree char *computed_text = computed != NULL ? object_canonical (computed) : NULL;
      g_autofree char *month = record_month (type, data);
      sqlite3_stmt *s;

      s = stmt (self, "INSERT INTO records (" RECORD_COLUMNS ")"
                      " VALUES (?1, ?2, 1, ?3, 0, ?4, ?5, ?6, NULL, ?7, ?8, ?9)", error);
      if (s == NULL)
        goto failed;
      batch.seq++;
      bind_text (s, 1, id);
      bind_text (s, 2, type_name);
      sqlite3_bind_int64 (s, 3, batch.seq);
      bind_text (s, 4, author);
      bind_text (s, 5, batch.now);
      bind_text (s, 6, state);
      bind_text (s, 7, data_text);
      bind_text (s, 8, computed_text);
      bind_text (s, 9, month);
      if (!step_done (self, s, "store record", error) ||
          !write_revision (self, &batch, id, type_name, 1, FALSE, data_text, error) ||
          !index_record (self, type, id, author, data, NULL, error))
        goto failed;
    }

  if (!exec (self, "COMMIT", error))
    goto failed;
  batch_clear (&batch);
  return TRUE;

failed:
  rollback (self);
  drop_ref_cache (self);
  batch_clear (&batch);
  return FALSE;
}

static gboolean
import_section (JsonObject    *root,
                const char    *member,
                DgRecordType   type,
                JsonArray     *changes,
                GError       **error)
{
  JsonArray *array = NULL;
  JsonNode *node = json_object_get_member (root, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!dg_json_get_array (root, member, &array, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonObject) data = json_object_new ();
      g_autoptr(DgChange) change = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GList) members = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "%s[%u] is not an object",
                        member, i);
          return FALSE;
        }
      object = json_node_get_object (element);
      if (!dg_json_get_string (object, "id", DG_UUID_LEN, &id, error))
        {
          g_prefix_error (error, "%s[%u]: ", member, i);
          return FALSE;
        }

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (strcmp (l->data, "id") != 0)
            json_object_set_member (data, l->data,
                                    json_node_copy (json_object_get_member (object, l->data)));
        }

      change = dg_change_new (type, id, 0, FALSE, data);
      json_array_add_element (changes, dg_change_to_json (change));
    }

  return TRUE;
}

gboolean
dg_store_import_reference (DgStore     *self,
                           JsonNode    *root,
                           const char  *user,
                           guint       *n_applied,
                           guint       *n_unchanged,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  JsonObject *object;
  guint applied = 0, unchanged = 0;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL,
                    "reference data must be an object with roads, grid_cells and rules");
      return FALSE;
    }
  object = json_node_get_object (root);

  /* Roads and cells before rules; all before anything could refer to them. */
  if (!import_section (object, "rules", DG_RECORD_RULE, changes, error) ||
      !import_section (object, "roads", DG_RECORD_ROAD, changes, error) ||
      !import_section (object, "grid_cells", DG_RECORD_GRID_CELL, changes, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  results = apply_batch_locked (self, user, DG_ROLE_ADMIN, TRUE, TRUE, changes, error);
  if (results == NULL)
    return FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);

      if (result->status == DG_RESULT_APPLIED)
        applied++;
      else
        unchanged++;
    }

  if (n_applied != NULL)
    *n_applied = applied;
  if (n_unchanged != NULL)
    *n_unchanged = unchanged;

  return TRUE;
}

GPtrArray *
dg_store_pull (DgStore     *self,
               const char  *user,
               DgRole       role,
               gint64       since,
               guint        limit,
               gint64      *next,
               gboolean    *more,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_record_free);
  sqlite3_stmt *s;
  gint64 last = since;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  /* Everyone sees the reference data; a role the policy does not let read others' records sees
   * only its own besides. */
  s = stmt (self,
            "SELECT " RECORD_COLUMNS " FROM records WHERE seq > ?1"
            " AND (?2 = 0 OR owner = ?3 OR type IN ('road', 'grid_cell', 'rule'))"
            " ORDER BY seq LIMIT ?4", error);
  if (s == NULL)
    return NULL;

  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int (s, 2, !dg_policy_allows (role, DG_ACTION_READ_RECORD, DG_SCOPE_OTHER));
  bind_text (s, 3, user);
  sqlite3_bind_int64 (s, 4, (gint64) limit + 1);

  *more = FALSE;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_auto(Row) row = { 0 };

      if (records->len == limit)
        {
          *more = TRUE;
          continue;
        }
      row_from_stmt (&row, s);
      last = row.seq;
      g_ptr_array_add (records, record_from_row (&row));
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "pull");
      return NULL;
    }

  *next = last;
  return g_steal_pointer (&records);
}

DgRecord *
dg_store_get_record (DgStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(Row) row = { 0 };
  gboolean found = FALSE;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error) || !load_row (self, id, &row, &found, error))
    return NULL;

  if (!found)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      return NULL;
    }

  return record_from_row (&row);
}

JsonNode *
dg_store_get_history (DgStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  sqlite3_stmt *s;
  guint n = 0;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  s = stmt (self,
            "SELECT rev, author, updated_at, deleted, hash, data FROM revisions"
            " WHERE record_id = ?1 ORDER BY rev", error);
  if (s == NULL)
    return NULL;

  bind_text (s, 1, id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "revisions");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      JsonNode *data = parse_text ((const char *) sqlite3_column_text (s, 5));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rev");
      json_builder_add_int_value (builder, sqlite3_column_int64 (s, 0));
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (s, 1));
      json_builder_set_member_name (builder, "updated_at");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (s, 2));
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, sqlite3_column_int (s, 3) != 0);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (s, 4));
      json_builder_set_member_name (builder, "data");
      if (data != NULL)
        json_builder_add_value (builder, data);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      n++;
    }
  sqlite3_reset (s);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "history");
      return NULL;
    }
  if (n == 0)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      return NULL;
    }

  return json_builder_get_root (builder);
}

DgRecord *
dg_store_return_record (DgStore     *self,
                        const char  *id,
                        const char  *reason,
                        const char  *user,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(Row) row = { 0 };
  gboolean found = FALSE;
  gboolean closed = FALSE;
  sqlite3_stmt *s;
  gint64 seq = 0;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error) || !exec (self, "BEGIN IMMEDIATE", error))
    return NULL;

  if (!load_row (self, id, &row, &found, error))
    goto failed;
  if (!found || row.deleted)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      goto failed;
    }
  if (row.type != DG_RECORD_ROAD_CHECK && row.type != DG_RECORD_DUSTFALL_SAMPLE)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "id",
                    "only road checks and dust-fall samples can be returned");
      goto failed;
    }
  if (!month_closed_locked (self, row.month, &closed, error))
    goto failed;
  if (closed)
    {
      dg_set_error (error, DG_ERROR_MONTH_CLOSED, NULL, "month %s is closed", row.month);
      goto failed;
    }

  s = stmt (self, "SELECT COALESCE (MAX (seq), 0) FROM records", error);
  if (s == NULL)
    goto failed;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (s, 0) + 1;
  sqlite3_reset (s);

  /* A new seq so that pulls carry the return to the author; the content, and so the rev, stay. */
  s = stmt (self, "UPDATE records SET state = 'returned', reason = ?2, seq = ?3 WHERE id = ?1",
            error);
  if (s == NULL)
    goto failed;
  bind_text (s, 1, id);
  bind_text (s, 2, reason);
  sqlite3_bind_int64 (s, 3, seq);
  if (!step_done (self, s, "return record", error) || !exec (self, "COMMIT", error))
    goto failed;

  g_free (row.state);
  row.state = g_strdup (dg_record_state_to_string (DG_RECORD_STATE_RETURNED));
  g_free (row.reason);
  row.reason = g_strdup (reason);
  row.seq = seq;

  return record_from_row (&row);

failed:
  rollback (self);
  return NULL;
}

gboolean
dg_store_set_month_closed (DgStore     *self,
                           const char  *month,
                           gboolean     closed,
                           const char  *user,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  now = dg_timestamp_now ();
  s = stmt (self,
            "INSERT INTO months (month, closed, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT (month) DO UPDATE SET closed = excluded.closed,"
            " changed_by = excluded.changed_by, changed_at = excluded.changed_at", error);
  if (s == NULL)
    return FALSE;

  bind_text (s, 1, month);
  sqlite3_bind_int (s, 2, closed);
  bind_text (s, 3, user);
  bind_text (s, 4, now);
  return step_done (self, s, "close month", error);
}

gboolean
dg_store_is_month_closed (DgStore     *self,
                          const char  *month,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean closed = FALSE;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  month_closed_locked (self, month, &closed, error);
  return closed;
}

DgRuleSet *
dg_store_load_rules (DgStore  *self,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  return load_rules_locked (self, error);
}

/* Decodes every stored row that @s returns (columns id, data, owner) as a @type struct. */
static GPtrArray *
load_structs (DgStore       *self,
              sqlite3_stmt  *s,
              DgRecordType   type,
              GError       **error)
{
  g_autoptr(GPtrArray) array = NULL;
  int rc;

  switch (type)
    {
    case DG_RECORD_ROAD:
      array = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
      break;
    case DG_RECORD_GRID_CELL:
      array = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
      break;
    case DG_RECORD_ROAD_CHECK:
      array = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
      break;
    case DG_RECORD_DUSTFALL_SAMPLE:
      array = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);
      break;
    case DG_RECORD_RULE:
      array = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_rule_free);
      break;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (s, 0);
      g_autoptr(JsonObject) data = parse_object ((const char *) sqlite3_column_text (s, 1));
      g_autoptr(GError) local_error = NULL;
      gpointer record;

      if (data == NULL)
        continue;
      record = dg_record_data_from_json (type, id, data, &local_error);
      if (record == NULL)
        {
          g_warning ("Stored %s %s no longer validates: %s", dg_record_type_to_string (type),
                     id, local_error->message);
          continue;
        }
      if (type == DG_RECORD_ROAD_CHECK)
        ((DgRoadCheck *) record)->author = column_text (s, 2);
      g_ptr_array_add (array, record);
    }
  sqlite3_reset (s);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "load records");
      return NULL;
    }

  return g_steal_pointer (&array);
}

/* Roads or grid cells: decoded once and kept until one changes (here, or through another
 * connection, as PRAGMA data_version tells); the caller gets its own copies. */
static GPtrArray *
load_type (DgStore       *self,
           DgRecordType   type,
           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *cache, *copy;
  gint64 version;

  g_assert (type == DG_RECORD_ROAD || type == DG_RECORD_GRID_CELL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  version = data_version (self);
  if (self->ref_cache[type] == NULL || self->ref_data_version[type] != version)
    {
      sqlite3_stmt *s;

      g_clear_pointer (&self->ref_cache[type], g_ptr_array_unref);
      s = stmt (self, "SELECT id, data, owner FROM records WHERE type = ?1 AND deleted = 0",
                error);
      if (s == NULL)
        return NULL;
      bind_text (s, 1, dg_record_type_to_string (type));
      self->ref_cache[type] = load_structs (self, s, type, error);
      if (self->ref_cache[type] == NULL)
        return NULL;
      self->ref_data_version[type] = version;
    }

  cache = self->ref_cache[type];
  if (type == DG_RECORD_ROAD)
    {
      copy = g_ptr_array_new_full (cache->len, (GDestroyNotify) dg_road_free);
      for (guint i = 0; i < cache->len; i++)
        g_ptr_array_add (copy, dg_road_copy (g_ptr_array_index (cache, i)));
    }
  else
    {
      copy = g_ptr_array_new_full (cache->len, (GDestroyNotify) dg_grid_cell_free);
      for (guint i = 0; i < cache->len; i++)
        g_ptr_array_add (copy, dg_grid_cell_copy (g_ptr_array_index (cache, i)));
    }

  return copy;
}

GPtrArray *
dg_store_load_roads (DgStore  *self,
                     GError  **error)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return load_type (self, DG_RECORD_ROAD, error);
}

GPtrArray *
dg_store_load_grid_cells (DgStore  *self,
                          GError  **error)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return load_type (self, DG_RECORD_GRID_CELL, error);
}

GPtrArray *
dg_store_load_road_checks (DgStore     *self,
                           const char  *month,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  DgRoadCheck *check = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  /* From the report tables, not the records' JSON: a check's rows come together, its points
   * in seq order. */
  s = stmt (self,
            "SELECT c.record_id, c.road_id, c.date, c.author, p.seq, p.surface, p.area_m2,"
            " p.mass_g FROM check_rows c LEFT JOIN check_points p"
            " ON p.month = c.month AND p.record_id = c.record_id"
            " WHERE c.month = ?1 ORDER BY c.record_id, p.seq", error);
  if (s == NULL)
    return NULL;

  bind_text (s, 1, month);
  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (s, 0);
      DgSurface surface;

      if (check == NULL || strcmp (check->id, id) != 0)
        {
          check = dg_road_check_new ();
          check->id = g_strdup (id);
          check->road_id = column_text (s, 1);
          check->date = column_text (s, 2);
          check->author = column_text (s, 3);
          g_ptr_array_add (checks, check);
        }
      if (sqlite3_column_type (s, 4) == SQLITE_NULL)
        continue;
      if (!dg_surface_from_string ((const char *) sqlite3_column_text (s, 5), &surface))
        continue;
      dg_road_check_add_point (check, sqlite3_column_int (s, 4), surface, NULL,
                               sqlite3_column_double (s, 6), sqlite3_column_double (s, 7));
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "load checks");
      return NULL;
    }

  return g_steal_pointer (&checks);
}

/* Closes the cell-month gathered in @value into @out, its strings interned. */
static void
finish_cell_month (GArray      *out,
                   DgCellValue *value,
                   const char  *cell_id,
                   const char  *month)
{
  DgCellMonth cm = { 0, };

  cm.cell_id = (char *) g_intern_string (cell_id);
  cm.month = (char *) g_intern_string (month);
  dg_cell_value_finish (value, &cm);
  g_array_append_val (out, cm);
}

/* The cell-months of one month, gathered from sample_values by the rules of common/ (the
 * DgCellValue accumulator dg_cell_months_from_samples() uses), on the M stored with each sample. */
static GArray *
gather_cell_months (DgStore     *self,
                    const char  *month,
                    GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_autoptr(DgCellValue) value = dg_cell_value_new ();
  const char *cell_id = NULL;   /* interned */
  sqlite3_stmt *s;
  int rc;

  s = stmt (self,
            "SELECT cell_id, site, jar, valid, value, record_id FROM sample_values"
            " WHERE month = ?1 ORDER BY cell_id, record_id", error);
  if (s == NULL)
    return NULL;
  bind_text (s, 1, month);

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *cell = (const char *) sqlite3_column_text (s, 0);
      const char *jar = (const char *) sqlite3_column_text (s, 2);

      if (cell_id == NULL || strcmp (cell_id, cell) != 0)
        {
          if (cell_id != NULL)
            finish_cell_month (out, value, cell_id, month);
          cell_id = g_intern_string (cell);
        }

      /* A cell-month with samples but no valid jar still gets an entry (缺测). */
      dg_cell_value_add (value, (const char *) sqlite3_column_text (s, 1),
                         jar != NULL ? jar[0] : '\0', sqlite3_column_int (s, 3) != 0,
                         sqlite3_column_type (s, 4) == SQLITE_NULL ? NAN
                                                                   : sqlite3_column_double (s, 4),
                         (const char *) sqlite3_column_text (s, 5));
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "load dust-fall values");
      return NULL;
    }
  if (cell_id != NULL)
    finish_cell_month (out, value, cell_id, month);

  return g_steal_pointer (&out);
}

GArray *
dg_store_load_cell_months (DgStore           *self,
                           const char *const *months,
                           GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GArray) out = NULL;
  gint64 version;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (months != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  version = data_version (self);
  if (version != self->cell_months_data_version)
    {
      g_hash_table_remove_all (self->cell_months);
      self->cell_months_data_version = version;
    }

  out = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  for (guint m = 0; months[m] != NULL; m++)
    {
      GArray *some;

      /* The same month twice would count its cells twice. */
      for (guint k = 0; k < m; k++)
        if (strcmp (months[k], months[m]) == 0)
          goto next_month;

      some = g_hash_table_lookup (self->cell_months, months[m]);
      if (some == NULL)
        {
          some = gather_cell_months (self, months[m], error);
          if (some == NULL)
            return NULL;
          g_hash_table_insert (self->cell_months, g_strdup (months[m]), some);
        }
      /* The strings are interned: copying the structs is enough. */
      g_array_append_vals (out, some->data, some->len);

    next_month:
      ;
    }

  return g_steal_pointer (&out);
}

GPtrArray *
dg_store_load_dustfall_samples (DgStore           *self,
                                const char *const *months,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return NULL;

  for (guint i = 0; months[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) some = NULL;
      sqlite3_stmt *s;

      s = stmt (self,
                "SELECT id, data, owner FROM records"
                " WHERE type = 'dustfall_sample' AND month = ?1 AND deleted = 0", error);
      if (s == NULL)
        return NULL;

      bind_text (s, 1, months[i]);
      some = load_structs (self, s, DG_RECORD_DUSTFALL_SAMPLE, error);
      if (some == NULL)
        return NULL;

      /* Hand the samples over without copying them. */
      g_ptr_array_set_free_func (some, NULL);
      for (guint j = 0; j < some->len; j++)
        g_ptr_array_add (all, g_ptr_array_index (some, j));
    }

  return g_steal_pointer (&all);
}

gboolean
dg_store_verify (DgStore     *self,
                 gint64      *n_revisions,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *prev = g_strdup ("");
  sqlite3_stmt *s;
  gint64 n = 0;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error) || !exec (self, "BEGIN", error))
    return FALSE;

  s = stmt (self,
            "SELECT n, record_id, rev, type, author, updated_at, deleted, data, hash"
            " FROM revisions ORDER BY n", error);
  if (s == NULL)
    goto failed;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 number = sqlite3_column_int64 (s, 0);
      const char *record_id = (const char *) sqlite3_column_text (s, 1);
      gint64 rev = sqlite3_column_int64 (s, 2);
      const char *stored = (const char *) sqlite3_column_text (s, 8);
      g_autofree char *canonical = NULL;
      g_autofree char *hash = NULL;

      canonical = revision_canonical ((const char *) sqlite3_column_text (s, 3), record_id, rev,
                                      (const char *) sqlite3_column_text (s, 4),
                                      (const char *) sqlite3_column_text (s, 5),
                                      sqlite3_column_int (s, 6) != 0,
                                      (const char *) sqlite3_column_text (s, 7));
      hash = sha256_hex (prev, canonical);

      if (stored == NULL || strcmp (hash, stored) != 0)
        {
          dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                        "revision %" G_GINT64_FORMAT " (record %s, rev %" G_GINT64_FORMAT
                        "): hash mismatch", number, record_id, rev);
          sqlite3_reset (s);
          goto failed;
        }

      g_free (prev);
      prev = g_steal_pointer (&hash);
      n++;
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "verify");
      goto failed;
    }

  /* The current state must be what the last revision of each record says. */
  s = stmt (self,
            "SELECT r.id, r.rev FROM records r LEFT JOIN revisions v"
            " ON v.record_id = r.id AND v.rev = r.rev"
            " WHERE v.n IS NULL OR (r.deleted = 0 AND v.data IS NOT r.data)"
            " OR v.deleted != r.deleted LIMIT 1", error);
  if (s == NULL)
    goto failed;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "record %s (rev %" G_GINT64_FORMAT ") differs from its last revision",
                    (const char *) sqlite3_column_text (s, 0), (gint64) sqlite3_column_int64 (s, 1));
      sqlite3_reset (s);
      goto failed;
    }
  sqlite3_reset (s);

  exec (self, "COMMIT", NULL);
  if (n_revisions != NULL)
    *n_revisions = n;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

gboolean
dg_store_backup (DgStore     *self,
                 const char  *dest_path,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
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
dg_store_exec (DgStore     *self,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, error))
    return FALSE;

  /* Whatever @sql changes, nothing decoded or gathered before may still hold. */
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  drop_ref_cache (self);
  return exec (self, sql, error);
}

gint64
dg_store_count_revisions (DgStore    *self,
                          const char *id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *s;
  gint64 n = -1;

  g_return_val_if_fail (DG_IS_STORE (self), -1);

  locker = g_mutex_locker_new (&self->lock);
  if (!check_open (self, NULL))
    return -1;

  s = stmt (self, "SELECT COUNT (*) FROM revisions WHERE record_id = ?1", NULL);
  if (s == NULL)
    return -1;
  bind_text (s, 1, id);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  return n;
}
