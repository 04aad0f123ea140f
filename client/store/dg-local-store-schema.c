/* dg-local-store-schema.c
 *
 * The local store's schema (SCHEMA_VERSION, one migration per step), the meta table of keys
 * and values, and the owner of the records kept in it.
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include "dg-local-store-private.h"

#define SCHEMA_VERSION 2

/* Each entry migrates from user_version i to i + 1. */
static const char *migrations[] = {
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  seq INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  author TEXT,"
  "  updated_at TEXT,"
  "  state TEXT NOT NULL DEFAULT 'active',"
  "  reason TEXT,"
  "  data TEXT,"
  "  computed TEXT,"
  "  sync TEXT NOT NULL DEFAULT 'synced',"
  "  message TEXT,"
  "  server_rev INTEGER NOT NULL DEFAULT 0,"
  "  server_data TEXT,"
  "  sort_key TEXT"
  ");"
  "CREATE INDEX records_type_key ON records (type, sort_key);"
  "CREATE TABLE outbox ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  base_rev INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  data TEXT,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  queued INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_queued ON outbox (queued);"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",

  /* 2: what an editor holds and has not saved, kept as it is typed (the editor's own shape:
   * the texts as typed, numbers or not), so that Escape, a closed window or a crash loses
   * nothing. A draft whose id names no record is that of a new record. */
  "CREATE TABLE drafts ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  data TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE INDEX drafts_type ON drafts (type, updated_at);",
};

gboolean
dg_ls_migrate (DgLocalStore  *self,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int version = 0;

  stmt = dg_ls_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE,
                   "Local store %s was written by a newer DustGrid (schema %d)",
                   self->path, version);
      return FALSE;
    }

  for (; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!dg_ls_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!dg_ls_exec (self, migrations[version], &local_error) ||
          !dg_ls_exec (self, bump, &local_error))
        {
          dg_ls_exec (self, "ROLLBACK", NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!dg_ls_exec (self, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

char *
dg_ls_meta_get_locked (DgLocalStore *self,
                       const char   *key)
{
  sqlite3_stmt *stmt = dg_ls_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  dg_ls_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = dg_ls_column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

gboolean
dg_ls_meta_set_locked (DgLocalStore  *self,
                       const char    *key,
                       const char    *value,
                       GError       **error)
{
  sqlite3_stmt *stmt = dg_ls_prepare (self,
                                      "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                      error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  dg_ls_bind_text (stmt, 1, key);
  dg_ls_bind_text (stmt, 2, value);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok ? TRUE : dg_ls_set_sqlite_error (self, error);
}

char *
dg_local_store_dup_owner (DgLocalStore *self)
{
  char *owner;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, NULL);

  g_mutex_lock (&self->mutex);
  owner = dg_ls_meta_get_locked (self, "owner");
  g_mutex_unlock (&self->mutex);
  return owner;
}

gboolean
dg_local_store_set_owner (DgLocalStore  *self,
                          const char    *username,
                          GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  g_mutex_lock (&self->mutex);
  ok = dg_ls_meta_set_locked (self, "owner", username, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}
