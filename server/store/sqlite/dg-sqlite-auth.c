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

#define USER_COLUMNS \
  "username, role, display_name, unit_id, disabled, created_at, last_login_at, password_hash"

/* A DgUser from the USER_COLUMNS of @s; NULL when its role is unknown to this build. */
static DgUser *
user_from_stmt (sqlite3_stmt *s)
{
  g_autoptr(DgUser) user = dg_user_new ();

  if (!dg_role_from_string ((const char *) sqlite3_column_text (s, 1), &user->role))
    return NULL;
  user->username = dg_sqlite_column_text (s, 0);
  user->display_name = dg_sqlite_column_text (s, 2);
  user->unit_id = dg_sqlite_column_text (s, 3);
  user->disabled = sqlite3_column_int (s, 4) != 0;
  user->created_at = dg_sqlite_column_text (s, 5);
  user->last_login_at = dg_sqlite_column_text (s, 6);
  return g_steal_pointer (&user);
}

gboolean
dg_sqlite_get_user (DgStoreDb   *db,
                    const char  *username,
                    gboolean    *found,
                    DgUser     **user,
                    char       **password_hash,
                    GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *found = FALSE;
  s = dg_sqlite_stmt (self, "SELECT " USER_COLUMNS " FROM users WHERE username = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      g_autoptr(DgUser) row = user_from_stmt (s);

      *found = row != NULL;
      if (row != NULL && password_hash != NULL)
        *password_hash = dg_sqlite_column_text (s, 7);
      if (row != NULL && user != NULL)
        *user = g_steal_pointer (&row);
    }
  return dg_sqlite_end_rows (self, s, rc, "load user", error);
}

GPtrArray *
dg_sqlite_list_users (DgStoreDb  *db,
                      GError    **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_user_free);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT " USER_COLUMNS " FROM users ORDER BY username", error);
  if (s == NULL)
    return NULL;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      DgUser *user = user_from_stmt (s);

      if (user != NULL)
        g_ptr_array_add (users, user);
    }
  if (!dg_sqlite_end_rows (self, s, rc, "list users", error))
    return NULL;
  return g_steal_pointer (&users);
}

gboolean
dg_sqlite_save_user (DgStoreDb     *db,
                     const DgUser  *user,
                     const char    *password_hash,
                     GError       **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  /* The stored hash stays when none is given (a NOT NULL column is checked before the upsert
   * sees the conflict, so it is read back here); a new row without one fails NOT NULL. */
  s = dg_sqlite_stmt (self,
                      "INSERT INTO users (username, role, display_name, unit_id, disabled,"
                      " created_at, last_login_at, password_hash)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                      " COALESCE (?8, (SELECT password_hash FROM users WHERE username = ?1)))"
                      " ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
                      " display_name = excluded.display_name, unit_id = excluded.unit_id,"
                      " disabled = excluded.disabled, last_login_at = excluded.last_login_at,"
                      " password_hash = excluded.password_hash", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, user->username);
  dg_sqlite_bind_text (s, 2, dg_role_to_string (user->role));
  dg_sqlite_bind_text (s, 3, user->display_name);
  dg_sqlite_bind_text (s, 4, user->unit_id);
  sqlite3_bind_int (s, 5, user->disabled ? 1 : 0);
  dg_sqlite_bind_text (s, 6, user->created_at);
  dg_sqlite_bind_text (s, 7, user->last_login_at);
  dg_sqlite_bind_text (s, 8, password_hash);
  return dg_sqlite_step_done (self, s, "store user", error);
}

gboolean
dg_sqlite_user_signed_in (DgStoreDb   *db,
                          const char  *username,
                          const char  *now,
                          GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "UPDATE users SET last_login_at = ?2 WHERE username = ?1", error);
  if (s == NULL)
    return FALSE;

  dg_sqlite_bind_text (s, 1, username);
  dg_sqlite_bind_text (s, 2, now);
  return dg_sqlite_step_done (self, s, "note the sign-in", error);
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
                      " WHERE t.hash = ?1 AND t.revoked = 0 AND t.expires_at > ?2"
                      " AND u.disabled = 0", error);
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
                              gint64      *n_revoked,
                              GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  /* The live ones are counted; expired ones are revoked too, answering nothing either way. */
  s = dg_sqlite_stmt (self, "SELECT COUNT (*) FROM tokens WHERE username = ?1 AND revoked = 0"
                            " AND expires_at > ?2", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, username);
  sqlite3_bind_int64 (s, 2, now);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW && n_revoked != NULL)
    *n_revoked = sqlite3_column_int64 (s, 0);
  if (!dg_sqlite_end_rows (self, s, rc, "count the user's tokens", error))
    return FALSE;

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

/* ---- The audit log ---- */

gboolean
dg_sqlite_last_audit (DgStoreDb   *db,
                      gint64      *seq,
                      char       **hash,
                      GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *seq = 0;
  *hash = NULL;
  s = dg_sqlite_stmt (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (s, 0);
      *hash = dg_sqlite_column_text (s, 1);
    }
  if (*hash == NULL)
    *hash = g_strdup ("");
  return dg_sqlite_end_rows (self, s, rc, "read the audit log", error);
}

gboolean
dg_sqlite_add_audit (DgStoreDb           *db,
                     const DgAuditEvent  *event,
                     GError             **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "INSERT INTO audit (seq, at, actor, action, target, detail, hash)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (s == NULL)
    return FALSE;

  sqlite3_bind_int64 (s, 1, event->seq);
  dg_sqlite_bind_text (s, 2, event->at);
  dg_sqlite_bind_text (s, 3, event->actor);
  dg_sqlite_bind_text (s, 4, event->action);
  dg_sqlite_bind_text (s, 5, event->target);
  dg_sqlite_bind_text (s, 6, event->detail);
  dg_sqlite_bind_text (s, 7, event->hash);
  return dg_sqlite_step_done (self, s, "write the audit log", error);
}

gboolean
dg_sqlite_audit (DgStoreDb         *db,
                 gint64             since,
                 gint64             limit,
                 DgStoreAuditFunc   func,
                 gpointer           user_data,
                 GError           **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT seq, at, actor, action, target, detail, hash FROM audit"
                            " WHERE seq > ?1 ORDER BY seq LIMIT ?2", error);
  if (s == NULL)
    return FALSE;

  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, limit);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      DgAuditEvent event = {
        sqlite3_column_int64 (s, 0),
        (char *) sqlite3_column_text (s, 1),
        (char *) sqlite3_column_text (s, 2),
        (char *) sqlite3_column_text (s, 3),
        (char *) sqlite3_column_text (s, 4),
        (char *) sqlite3_column_text (s, 5),
        (char *) sqlite3_column_text (s, 6),
      };

      if (!func (&event, user_data, error))
        {
          sqlite3_reset (s);
          return FALSE;
        }
    }
  return dg_sqlite_end_rows (self, s, rc, "read the audit log", error);
}
