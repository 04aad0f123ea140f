/* dg-pg-auth.c: users and sign-in tokens in PostgreSQL (tables users, tokens). */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

gboolean
dg_pg_put_user (DgStoreDb   *db,
                const char  *username,
                DgRole       role,
                const char  *password_hash,
                const char  *now,
                GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, username);
  dg_pg_param_text (&p, dg_role_to_string (role));
  dg_pg_param_text (&p, password_hash);
  dg_pg_param_text (&p, now);
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO users (username, role, password_hash, created_at)"
                        " VALUES ($1, $2, $3, $4)"
                        " ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
                        " password_hash = excluded.password_hash", &p, "store user", error);
}

gboolean
dg_pg_get_user (DgStoreDb   *db,
                const char  *username,
                gboolean    *found,
                DgRole      *role,
                char       **password_hash,
                GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  *found = FALSE;
  dg_pg_param_text (&p, username);
  result = dg_pg_query (DG_PG_DB (db), "SELECT role, password_hash FROM users WHERE username = $1",
                        &p, "load user", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      DgRole r = DG_ROLE_INSPECTOR;

      *found = dg_role_from_string (PQgetvalue (result, 0, 0), &r);
      if (role != NULL)
        *role = r;
      if (password_hash != NULL)
        *password_hash = dg_pg_text (result, 0, 1);
    }
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_add_token (DgStoreDb   *db,
                 const char  *token_hash,
                 const char  *username,
                 gint64       expires_at,
                 GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, token_hash);
  dg_pg_param_text (&p, username);
  dg_pg_param_int (&p, expires_at);
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO tokens (hash, username, expires_at) VALUES ($1, $2, $3)",
                        &p, "store token", error);
}

gboolean
dg_pg_lookup_token (DgStoreDb   *db,
                    const char  *token_hash,
                    gint64       now,
                    gboolean    *found,
                    char       **username,
                    DgRole      *role,
                    char       **stored_hash,
                    GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  *found = FALSE;
  dg_pg_param_text (&p, token_hash);
  dg_pg_param_int (&p, now);
  result = dg_pg_query (DG_PG_DB (db),
                        "SELECT t.username, u.role, t.hash FROM tokens t"
                        " JOIN users u ON u.username = t.username"
                        " WHERE t.hash = $1 AND t.revoked = 0 AND t.expires_at > $2",
                        &p, "look up token", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1 && dg_role_from_string (PQgetvalue (result, 0, 1), role))
    {
      *found = TRUE;
      *username = dg_pg_text (result, 0, 0);
      *stored_hash = dg_pg_text (result, 0, 2);
    }
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_revoke_token (DgStoreDb   *db,
                    const char  *token_hash,
                    GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, token_hash);
  return dg_pg_command (DG_PG_DB (db), "UPDATE tokens SET revoked = 1 WHERE hash = $1", &p,
                        "revoke token", error);
}

gboolean
dg_pg_revoke_user_tokens (DgStoreDb   *db,
                          const char  *username,
                          GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, username);
  return dg_pg_command (DG_PG_DB (db),
                        "UPDATE tokens SET revoked = 1 WHERE username = $1 AND revoked = 0", &p,
                        "revoke the user's tokens", error);
}

gboolean
dg_pg_purge_tokens (DgStoreDb   *db,
                    const char  *username,
                    gint64       now,
                    GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, username);
  dg_pg_param_int (&p, now);
  return dg_pg_command (DG_PG_DB (db),
                        "DELETE FROM tokens WHERE username = $1"
                        " AND (revoked = 1 OR expires_at <= $2)", &p, "purge tokens", error);
}
