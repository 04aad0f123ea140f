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

#define USER_COLUMNS \
  "username, role, display_name, unit_id, disabled, created_at, last_login_at, password_hash"

/* A DgUser from the USER_COLUMNS of row @i; NULL when its role is unknown to this build. */
static DgUser *
user_from_result (const PGresult *result,
                  int             i)
{
  g_autoptr(DgUser) user = dg_user_new ();

  if (!dg_role_from_string (dg_pg_peek (result, i, 1), &user->role))
    return NULL;
  user->username = dg_pg_text (result, i, 0);
  user->display_name = dg_pg_text (result, i, 2);
  user->unit_id = dg_pg_text (result, i, 3);
  user->disabled = dg_pg_int (result, i, 4) != 0;
  user->created_at = dg_pg_text (result, i, 5);
  user->last_login_at = dg_pg_text (result, i, 6);
  return g_steal_pointer (&user);
}

gboolean
dg_pg_get_user (DgStoreDb   *db,
                const char  *username,
                gboolean    *found,
                DgUser     **user,
                char       **password_hash,
                GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  *found = FALSE;
  dg_pg_param_text (&p, username);
  result = dg_pg_query (DG_PG_DB (db), "SELECT " USER_COLUMNS " FROM users WHERE username = $1",
                        &p, "load user", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      g_autoptr(DgUser) row = user_from_result (result, 0);

      *found = row != NULL;
      if (row != NULL && password_hash != NULL)
        *password_hash = dg_pg_text (result, 0, 7);
      if (row != NULL && user != NULL)
        *user = g_steal_pointer (&row);
    }
  PQclear (result);
  return TRUE;
}

GPtrArray *
dg_pg_list_users (DgStoreDb  *db,
                  GError    **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_user_free);
  PGresult *result;

  result = dg_pg_query (DG_PG_DB (db), "SELECT " USER_COLUMNS " FROM users ORDER BY username",
                        NULL, "list users", error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      DgUser *user = user_from_result (result, i);

      if (user != NULL)
        g_ptr_array_add (users, user);
    }
  PQclear (result);
  return g_steal_pointer (&users);
}

gboolean
dg_pg_save_user (DgStoreDb     *db,
                 const DgUser  *user,
                 const char    *password_hash,
                 GError       **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, user->username);
  dg_pg_param_text (&p, dg_role_to_string (user->role));
  dg_pg_param_text (&p, user->display_name);
  dg_pg_param_text (&p, user->unit_id);
  dg_pg_param_int (&p, user->disabled ? 1 : 0);
  dg_pg_param_text (&p, user->created_at);
  dg_pg_param_text (&p, user->last_login_at);
  dg_pg_param_text (&p, password_hash);
  /* The stored hash stays when none is given (a NOT NULL column is checked before the upsert
   * sees the conflict, so it is read back here); a new row without one fails NOT NULL. */
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO users (username, role, display_name, unit_id, disabled,"
                        " created_at, last_login_at, password_hash)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7,"
                        " COALESCE ($8, (SELECT password_hash FROM users WHERE username = $1)))"
                        " ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
                        " display_name = excluded.display_name, unit_id = excluded.unit_id,"
                        " disabled = excluded.disabled, last_login_at = excluded.last_login_at,"
                        " password_hash = excluded.password_hash", &p, "store user",
                        error);
}

gboolean
dg_pg_user_signed_in (DgStoreDb   *db,
                      const char  *username,
                      const char  *now,
                      GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, username);
  dg_pg_param_text (&p, now);
  return dg_pg_command (DG_PG_DB (db), "UPDATE users SET last_login_at = $2 WHERE username = $1",
                        &p, "note the sign-in", error);
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
                        " WHERE t.hash = $1 AND t.revoked = 0 AND t.expires_at > $2"
                        " AND u.disabled = 0",
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
                          gint64      *n_revoked,
                          GError     **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  /* The live ones are counted; expired ones are revoked too, answering nothing either way. */
  dg_pg_param_text (&p, username);
  dg_pg_param_int (&p, g_get_real_time () / G_USEC_PER_SEC);
  result = dg_pg_query (DG_PG_DB (db),
                        "WITH r AS (UPDATE tokens SET revoked = 1 WHERE username = $1"
                        " AND revoked = 0 RETURNING expires_at)"
                        " SELECT COUNT (*) FROM r WHERE expires_at > $2", &p,
                        "revoke the user's tokens", error);
  if (result == NULL)
    return FALSE;
  if (n_revoked != NULL)
    *n_revoked = PQntuples (result) == 1 ? dg_pg_int (result, 0, 0) : 0;
  PQclear (result);
  return TRUE;
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

/* ---- The audit log ---- */

gboolean
dg_pg_last_audit (DgStoreDb   *db,
                  gint64      *seq,
                  char       **hash,
                  GError     **error)
{
  PGresult *result;

  *seq = 0;
  *hash = NULL;
  result = dg_pg_query (DG_PG_DB (db), "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                        NULL, "read the audit log", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      *seq = dg_pg_int (result, 0, 0);
      *hash = dg_pg_text (result, 0, 1);
    }
  PQclear (result);
  if (*hash == NULL)
    *hash = g_strdup ("");
  return TRUE;
}

gboolean
dg_pg_add_audit (DgStoreDb           *db,
                 const DgAuditEvent  *event,
                 GError             **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_int (&p, event->seq);
  dg_pg_param_text (&p, event->at);
  dg_pg_param_text (&p, event->actor);
  dg_pg_param_text (&p, event->action);
  dg_pg_param_text (&p, event->target);
  dg_pg_param_text (&p, event->detail);
  dg_pg_param_text (&p, event->hash);
  return dg_pg_command (DG_PG_DB (db),
                        "INSERT INTO audit (seq, at, actor, action, target, detail, hash)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7)", &p, "write the audit log", error);
}

typedef struct
{
  DgStoreAuditFunc func;
  gpointer         user_data;
} AuditWalk;

static gboolean
audit_row_cb (const PGresult  *result,
              gpointer         user_data,
              GError         **error)
{
  AuditWalk *walk = user_data;
  DgAuditEvent event = {
    dg_pg_int (result, 0, 0),
    (char *) dg_pg_peek (result, 0, 1),
    (char *) dg_pg_peek (result, 0, 2),
    (char *) dg_pg_peek (result, 0, 3),
    (char *) dg_pg_peek (result, 0, 4),
    (char *) dg_pg_peek (result, 0, 5),
    (char *) dg_pg_peek (result, 0, 6),
  };

  return walk->func (&event, walk->user_data, error);
}

gboolean
dg_pg_audit (DgStoreDb         *db,
             gint64             since,
             gint64             limit,
             DgStoreAuditFunc   func,
             gpointer           user_data,
             GError           **error)
{
  g_auto(DgPgParams) p = { 0 };
  AuditWalk walk = { func, user_data };

  dg_pg_param_int (&p, since);
  dg_pg_param_int (&p, limit);
  /* LIMIT NULL is no limit, as SQLite's LIMIT -1. */
  return dg_pg_each_row (DG_PG_DB (db),
                         "SELECT seq, at, actor, action, target, detail, hash FROM audit"
                         " WHERE seq > $1 ORDER BY seq LIMIT NULLIF ($2::bigint, -1)", &p,
                         "read the audit log", audit_row_cb, &walk, error);
}
