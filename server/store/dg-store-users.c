/* dg-store-users.c: administering users (design 6.1), whatever the backend.
 *
 * Each change to a user is one write transaction holding the change, the revocation of the
 * user's tokens when it calls for one, and its event in the audit log: a disabled user's token
 * stops working the moment the change is committed, and the log says who did it.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-store-private.h"

/* Begins a write transaction for a change to users: the seq and chain it reads are not used. */
static gboolean
begin (DgStore  *self,
       GError  **error)
{
  g_autofree char *prev_hash = NULL;
  gint64 seq;

  return self->backend->begin_write (self->db, &seq, &prev_hash, error);
}

static gboolean
commit (DgStore  *self,
        GError  **error)
{
  if (self->backend->commit (self->db, error))
    return TRUE;
  self->backend->rollback (self->db);
  return FALSE;
}

/* The user @username, in the transaction under way: DG_ERROR_NOT_FOUND when there is none. */
static DgUser *
load_existing (DgStore     *self,
               const char  *username,
               GError     **error)
{
  DgUser *user = NULL;
  gboolean found = FALSE;

  if (!self->backend->get_user (self->db, username, &found, &user, NULL, error))
    return NULL;
  if (!found)
    dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no user %s", username);
  return user;
}

/* A user's unit_id names a unit of the district (design 6.3), in the transaction under way. */
static gboolean
check_unit (DgStore       *self,
            const DgUser  *user,
            GError       **error)
{
  gboolean exists = FALSE;

  if (user->unit_id == NULL)
    return TRUE;
  if (!self->backend->record_exists (self->db, user->unit_id, DG_RECORD_UNIT, &exists, error))
    return FALSE;
  if (!exists)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "unit_id", "unit_id names no unit");
      return FALSE;
    }
  return TRUE;
}

static gboolean
fail (DgStore *self)
{
  self->backend->rollback (self->db);
  return FALSE;
}

gboolean
dg_store_lookup_user (DgStore     *self,
                      const char  *username,
                      DgUser     **user,
                      char       **password_hash,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (username != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  if (!self->backend->get_user (self->db, username, &found, user, password_hash, error))
    return FALSE;
  return found;
}

GPtrArray *
dg_store_list_users (DgStore  *self,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

  if (locker == NULL)
    return NULL;
  return self->backend->list_users (self->db, error);
}

gboolean
dg_store_create_user (DgStore       *self,
                      const DgUser  *user,
                      const char    *password_hash,
                      const char    *actor,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgUser) copy = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *now = NULL;
  gboolean exists = FALSE;

  g_return_val_if_fail (user != NULL && password_hash != NULL && actor != NULL, FALSE);

  if (!dg_user_validate (user, error))
    return FALSE;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  copy = dg_user_copy (user);
  g_free (copy->created_at);
  copy->created_at = g_strdup (now);
  g_clear_pointer (&copy->last_login_at, g_free);

  /* The event holds the user as the list shows it. */
  detail = dg_user_to_json (copy);

  if (!begin (self, error))
    return FALSE;
  if (!self->backend->get_user (self->db, copy->username, &exists, NULL, NULL, error))
    return fail (self);
  if (exists)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, "username", "user %s exists", copy->username);
      return fail (self);
    }
  if (!check_unit (self, copy, error))
    return fail (self);
  if (!self->backend->save_user (self->db, copy, password_hash, error) ||
      !dg_store_audit_locked (self, now, actor, DG_AUDIT_USER_CREATED, copy->username,
                              json_node_get_object (detail), error))
    return fail (self);

  return commit (self, error);
}

/* Whether a user other than @username is an administrator who is not disabled. */
static gboolean
another_admin (DgStore     *self,
               const char  *username,
               gboolean    *found,
               GError     **error)
{
  g_autoptr(GPtrArray) users = self->backend->list_users (self->db, error);

  if (users == NULL)
    return FALSE;

  *found = FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      DgUser *user = g_ptr_array_index (users, i);

      if (user->role == DG_ROLE_ADMIN && !user->disabled &&
          g_strcmp0 (user->username, username) != 0)
        *found = TRUE;
    }

  return TRUE;
}

DgUser *
dg_store_update_user (DgStore            *self,
                      const char         *username,
                      const DgUserPatch  *patch,
                      const char         *password_hash,
                      const char         *actor,
                      GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgUser) current = NULL;
  g_autoptr(DgUser) updated = NULL;
  g_autoptr(JsonObject) detail = NULL;
  g_autofree char *now = NULL;
  gboolean revokes = FALSE;
  gint64 n_revoked = 0;

  g_return_val_if_fail (username != NULL && patch != NULL && actor != NULL, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  now = dg_timestamp_now ();
  if (!begin (self, error))
    return NULL;
  current = load_existing (self, username, error);
  if (current == NULL)
    goto failed;

  updated = dg_user_patch_apply (patch, current, &revokes);
  revokes |= password_hash != NULL;
  if (!dg_user_validate (updated, error))
    goto failed;
  /* Only a new unit_id is checked: a user keeps the one it has while other things change. */
  if (patch->set_unit_id && !check_unit (self, updated, error))
    goto failed;

  /* The district must keep someone who can undo this. */
  if (current->role == DG_ROLE_ADMIN && !current->disabled &&
      (updated->role != DG_ROLE_ADMIN || updated->disabled))
    {
      gboolean other = FALSE;

      if (!another_admin (self, username, &other, error))
        goto failed;
      if (!other)
        {
          dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                        "%s is the last administrator who is not disabled", username);
          goto failed;
        }
    }

  detail = dg_user_diff (current, updated);
  if (password_hash != NULL)
    json_object_set_boolean_member (detail, "password_reset", TRUE);

  if (!self->backend->save_user (self->db, updated, password_hash, error))
    goto failed;
  if (revokes)
    {
      if (!self->backend->revoke_user_tokens (self->db, username, &n_revoked, error))
        goto failed;
      json_object_set_int_member (detail, "revoked", n_revoked);
    }
  if (!dg_store_audit_locked (self, now, actor, DG_AUDIT_USER_CHANGED, username, detail, error) ||
      !commit (self, error))
    goto failed;

  return g_steal_pointer (&updated);

failed:
  self->backend->rollback (self->db);
  return NULL;
}

gboolean
dg_store_revoke_user (DgStore     *self,
                      const char  *username,
                      const char  *actor,
                      gint64      *n_revoked,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(DgUser) user = NULL;
  g_autofree char *now = NULL;
  gint64 n = 0;

  g_return_val_if_fail (username != NULL && actor != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  if (!begin (self, error))
    return FALSE;
  user = load_existing (self, username, error);
  if (user == NULL)
    return fail (self);
  if (!self->backend->revoke_user_tokens (self->db, username, &n, error))
    return fail (self);
  json_object_set_int_member (detail, "revoked", n);
  if (!dg_store_audit_locked (self, now, actor, DG_AUDIT_SESSIONS_REVOKED, username, detail,
                              error) ||
      !commit (self, error))
    return fail (self);

  if (n_revoked != NULL)
    *n_revoked = n;
  return TRUE;
}

gboolean
dg_store_change_password (DgStore     *self,
                          const char  *username,
                          const char  *password_hash,
                          const char  *token_hash,
                          gint64       expires_at,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *now = NULL;
  gboolean found = FALSE;
  gint64 n = 0;

  g_return_val_if_fail (username != NULL && password_hash != NULL && token_hash != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  if (!begin (self, error))
    return FALSE;
  if (!self->backend->get_user (self->db, username, &found, &user, NULL, error))
    return fail (self);
  if (!found || user->disabled)
    {
      dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "the token is invalid or expired");
      return fail (self);
    }
  if (!self->backend->save_user (self->db, user, password_hash, error) ||
      !self->backend->revoke_user_tokens (self->db, username, &n, error) ||
      !self->backend->add_token (self->db, token_hash, username, expires_at, error))
    return fail (self);
  /* The token the request came with is among those revoked: the new one replaces it. */
  json_object_set_int_member (detail, "revoked", n);
  if (!dg_store_audit_locked (self, now, username, DG_AUDIT_PASSWORD_CHANGED, username, detail,
                              error))
    return fail (self);

  return commit (self, error);
}
