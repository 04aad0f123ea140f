/* dg-sqlite-auth.c: users and sign-in tokens in SQLite (tables users, tokens). */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-sqlite-private.h"

gboolean
dg_sqlite_put_user (DgStoreDb   *db,
                    const char  *username,
                    DgRole       role,
                    const char  *password_hash,
                    const char  *now,
                    GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self,
                      "INSERT INTO users (username, role, password_hash, created_at)"
                      " VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
                      " password_hash = excluded.password_hash", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  dg_sqlite_bind_text (s, 2, dg_role_to_string (role));
  dg_sqlite_bind_text (s, 3, password_hash);
  dg_sqlite_bind_text (s, 4, now);
  return dg_sqlite_step_done (self, s, "store user", error);
}

gboolean
dg_sqlite_get_user (DgStoreDb   *db,
                    const char  *username,
                    gboolean    *found,
                    DgRole      *role,
                    char       **password_hash,
                    GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *found = FALSE;
  s = dg_sqlite_stmt (self, "SELECT role, password_hash FROM users WHERE username = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      DgRole r = DG_ROLE_INSPECTOR;

      *found = dg_role_from_string ((const char *) sqlite3_column_text (s, 0), &r);
      if (role != NULL)
        *role = r;
      if (password_hash != NULL)
        *password_hash = dg_sqlite_column_text (s, 1);
    }
  return dg_sqlite_end_rows (self, s, rc, "load user", error);
}

gboolean
dg_sqlite_add_token (DgStoreDb   *db,
                     const char  *token_hash,
                     const char  *username,
                     gint64       expires_at,
                     GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "INSERT INTO tokens (hash, username, expires_at) VALUES (?1, ?2, ?3)",
                      error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, token_hash);
  dg_sqlite_bind_text (s, 2, username);
  sqlite3_bind_int64 (s, 3, expires_at);
  return dg_sqlite_step_done (self, s, "store token", error);
}

gboolean
dg_sqlite_lookup_token (DgStoreDb   *db,
                        const char  *token_hash,
                        gint64       now,
                        gboolean    *found,
                        char       **username,
                        DgRole      *role,
                        char       **stored_hash,
                        GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *found = FALSE;
  s = dg_sqlite_stmt (self,
                      "SELECT t.username, u.role, t.hash FROM tokens t"
                      " JOIN users u ON u.username = t.username"
                      " WHERE t.hash = ?1 AND t.revoked = 0 AND t.expires_at > ?2", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, token_hash);
  sqlite3_bind_int64 (s, 2, now);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW && dg_role_from_string ((const char *) sqlite3_column_text (s, 1), role))
    {
      *found = TRUE;
      *username = dg_sqlite_column_text (s, 0);
      *stored_hash = dg_sqlite_column_text (s, 2);
    }
  return dg_sqlite_end_rows (self, s, rc, "look up token", error);
}

gboolean
dg_sqlite_revoke_token (DgStoreDb   *db,
                        const char  *token_hash,
                        GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "UPDATE tokens SET revoked = 1 WHERE hash = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, token_hash);
  return dg_sqlite_step_done (self, s, "revoke token", error);
}

gboolean
dg_sqlite_revoke_user_tokens (DgStoreDb   *db,
                              const char  *username,
                              GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "UPDATE tokens SET revoked = 1 WHERE username = ?1 AND revoked = 0",
                      error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  return dg_sqlite_step_done (self, s, "revoke the user's tokens", error);
}

gboolean
dg_sqlite_purge_tokens (DgStoreDb   *db,
                        const char  *username,
                        gint64       now,
                        GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "DELETE FROM tokens WHERE username = ?1"
                            " AND (revoked = 1 OR expires_at <= ?2)", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  sqlite3_bind_int64 (s, 2, now);
  return dg_sqlite_step_done (self, s, "purge tokens", error);
}
