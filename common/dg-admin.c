/* dg-admin.c: users, changes to a user and audit events on the wire (design 6.1). */
#define G_LOG_DOMAIN "dg-admin"

#include "config.h"

#include <string.h>

#include "dg-admin.h"
#include "dg-error.h"
#include "dg-json.h"
#include "dg-model.h"
#include "dg-validate.h"
#include "dg-wire-private.h"

/* ---- Users ---- */

DgUser *
dg_user_new (void)
{
  return g_new0 (DgUser, 1);
}

DgUser *
dg_user_copy (const DgUser *user)
{
  DgUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = dg_user_new ();
  copy->username = g_strdup (user->username);
  copy->role = user->role;
  copy->display_name = g_strdup (user->display_name);
  copy->unit_id = g_strdup (user->unit_id);
  copy->disabled = user->disabled;
  copy->created_at = g_strdup (user->created_at);
  copy->last_login_at = g_strdup (user->last_login_at);

  return copy;
}

void
dg_user_free (DgUser *user)
{
  if (user == NULL)
    return;

  g_free (user->username);
  g_free (user->display_name);
  g_free (user->unit_id);
  g_free (user->created_at);
  g_free (user->last_login_at);
  g_free (user);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
dg_user_to_json (const DgUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (user != NULL, NULL);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "username", user->username);
  add_string_or_null (builder, "role", dg_role_to_string (user->role));
  add_string_or_null (builder, "display_name", user->display_name);
  add_string_or_null (builder, "unit_id", user->unit_id);
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, user->disabled);
  add_string_or_null (builder, "created_at", user->created_at);
  add_string_or_null (builder, "last_login_at", user->last_login_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
get_role (JsonObject  *object,
          DgRole      *role,
          GError     **error)
{
  g_autofree char *name = NULL;

  if (!dg_json_get_string (object, "role", 64, &name, error))
    return FALSE;
  if (!dg_role_from_string (name, role))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "role",
                    "role must be inspector, office, admin or unit");
      return FALSE;
    }

  return TRUE;
}

DgUser *
dg_user_from_json (JsonObject  *object,
                   GError     **error)
{
  g_autoptr(DgUser) user = dg_user_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!dg_json_get_string (object, "username", DG_USERNAME_MAX_BYTES, &user->username, error) ||
      !get_role (object, &user->role, error) ||
      !dg_json_get_string_opt (object, "display_name", DG_MAX_STRING_BYTES, &user->display_name,
                               error) ||
      !dg_json_get_string_opt (object, "unit_id", DG_UUID_LEN, &user->unit_id, error) ||
      !dg_json_get_bool_opt (object, "disabled", FALSE, &user->disabled, error) ||
      !dg_json_get_string_opt (object, "created_at", 64, &user->created_at, error) ||
      !dg_json_get_string_opt (object, "last_login_at", 64, &user->last_login_at, error) ||
      !dg_user_validate (user, error))
    return NULL;

  return g_steal_pointer (&user);
}

gboolean
dg_username_validate (const char  *username,
                      GError     **error)
{
  if (username == NULL || *username == '\0')
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "username", "username is required");
      return FALSE;
    }
  if (strlen (username) > DG_USERNAME_MAX_BYTES || !g_utf8_validate (username, -1, NULL))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "username",
                    "username must be UTF-8 of at most %d bytes", DG_USERNAME_MAX_BYTES);
      return FALSE;
    }

  for (const char *p = username; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '%' || g_unichar_isspace (c) || g_unichar_iscntrl (c) ||
          !g_unichar_isprint (c))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "username",
                        "username must not hold '/', '%%', spaces or control characters");
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
dg_password_validate (const char  *password,
                      const char  *field,
                      GError     **error)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (password == NULL || strlen (password) > DG_MAX_STRING_BYTES ||
      !g_utf8_validate (password, -1, NULL) ||
      g_utf8_strlen (password, -1) < DG_PASSWORD_MIN_CHARS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                    "%s must be %d to 1024 bytes long, at least %d characters", field,
                    DG_PASSWORD_MIN_CHARS, DG_PASSWORD_MIN_CHARS);
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_user_validate (const DgUser  *user,
                  GError       **error)
{
  g_return_val_if_fail (user != NULL, FALSE);

  if (!dg_username_validate (user->username, error))
    return FALSE;
  if ((guint) user->role >= DG_N_ROLES)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "role",
                    "role must be inspector, office, admin or unit");
      return FALSE;
    }
  if (user->display_name != NULL &&
      (strlen (user->display_name) > DG_MAX_STRING_BYTES ||
       !g_utf8_validate (user->display_name, -1, NULL)))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "display_name",
                    "display_name must be UTF-8 of at most 1024 bytes");
      return FALSE;
    }
  if (user->unit_id != NULL && !dg_uuid_is_valid (user->unit_id))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "unit_id", "unit_id must be a UUID");
      return FALSE;
    }
  /* A responsible unit's user sees its unit's figures: without one it would see nothing. */
  if (user->role == DG_ROLE_UNIT && user->unit_id == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "unit_id", "a unit user needs a unit_id");
      return FALSE;
    }

  return TRUE;
}

/* ---- A change to a user ---- */

void
dg_user_patch_free (DgUserPatch *patch)
{
  if (patch == NULL)
    return;

  g_free (patch->display_name);
  g_free (patch->unit_id);
  if (patch->password != NULL)
    {
      memset (patch->password, 0, strlen (patch->password));
      g_free (patch->password);
    }
  g_free (patch);
}

DgUserPatch *
dg_user_patch_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(DgUserPatch) patch = g_new0 (DgUserPatch, 1);

  g_return_val_if_fail (object != NULL, NULL);

  patch->set_role = json_object_has_member (object, "role");
  if (patch->set_role && !get_role (object, &patch->role, error))
    return NULL;

  patch->set_display_name = json_object_has_member (object, "display_name");
  if (!dg_json_get_string_opt (object, "display_name", DG_MAX_STRING_BYTES,
                               &patch->display_name, error))
    return NULL;

  patch->set_unit_id = json_object_has_member (object, "unit_id");
  if (!dg_json_get_string_opt (object, "unit_id", DG_UUID_LEN, &patch->unit_id, error))
    return NULL;
  if (patch->unit_id != NULL && !dg_uuid_is_valid (patch->unit_id))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "unit_id", "unit_id must be a UUID");
      return NULL;
    }

  patch->set_disabled = json_object_has_member (object, "disabled");
  if (!dg_json_get_bool_opt (object, "disabled", FALSE, &patch->disabled, error))
    return NULL;

  if (json_object_has_member (object, "password"))
    {
      if (!dg_json_get_string (object, "password", DG_MAX_STRING_BYTES, &patch->password,
                               error) ||
          !dg_password_validate (patch->password, "password", error))
        return NULL;
    }

  return g_steal_pointer (&patch);
}

/* A member set to NULL is written as null: the server clears it. */
static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
dg_user_patch_to_json (const DgUserPatch *patch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (patch != NULL, NULL);

  json_builder_begin_object (builder);
  if (patch->set_role)
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, dg_role_to_string (patch->role));
    }
  if (patch->set_display_name)
    add_nullable_string (builder, "display_name", patch->display_name);
  if (patch->set_unit_id)
    add_nullable_string (builder, "unit_id", patch->unit_id);
  if (patch->set_disabled)
    {
      json_builder_set_member_name (builder, "disabled");
      json_builder_add_boolean_value (builder, patch->disabled);
    }
  if (patch->password != NULL)
    {
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, patch->password);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

DgUser *
dg_user_patch_apply (const DgUserPatch *patch,
                     const DgUser      *user,
                     gboolean          *revokes)
{
  DgUser *result;
  gboolean revoke = FALSE;

  g_return_val_if_fail (patch != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  result = dg_user_copy (user);
  if (patch->set_role)
    {
      revoke |= patch->role != user->role;
      result->role = patch->role;
    }
  if (patch->set_display_name)
    {
      g_free (result->display_name);
      result->display_name = g_strdup (patch->display_name);
    }
  if (patch->set_unit_id)
    {
      g_free (result->unit_id);
      result->unit_id = g_strdup (patch->unit_id);
    }
  if (patch->set_disabled)
    {
      revoke |= patch->disabled && !user->disabled;
      result->disabled = patch->disabled;
    }
  /* A token handed out under the old password must not outlive it, nor one of a disabled user
   * or of the role it no longer has (design 6.1). */
  revoke |= patch->password != NULL;

  if (revokes != NULL)
    *revokes = revoke;
  return result;
}

JsonObject *
dg_user_diff (const DgUser *before,
              const DgUser *after)
{
  JsonObject *diff = json_object_new ();

  g_return_val_if_fail (before != NULL && after != NULL, diff);

  if (after->role != before->role)
    json_object_set_string_member (diff, "role", dg_role_to_string (after->role));
  if (g_strcmp0 (after->display_name, before->display_name) != 0)
    dg_wire_set_string_or_null (diff, "display_name", after->display_name);
  if (g_strcmp0 (after->unit_id, before->unit_id) != 0)
    dg_wire_set_string_or_null (diff, "unit_id", after->unit_id);
  if (after->disabled != before->disabled)
    json_object_set_boolean_member (diff, "disabled", after->disabled);

  return diff;
}

/* ---- Audit events ---- */

void
dg_audit_event_clear (DgAuditEvent *event)
{
  g_clear_pointer (&event->at, g_free);
  g_clear_pointer (&event->actor, g_free);
  g_clear_pointer (&event->action, g_free);
  g_clear_pointer (&event->target, g_free);
  g_clear_pointer (&event->detail, g_free);
  g_clear_pointer (&event->hash, g_free);
}

void
dg_audit_event_free (DgAuditEvent *event)
{
  if (event == NULL)
    return;

  dg_audit_event_clear (event);
  g_free (event);
}

JsonNode *
dg_audit_event_to_json (const DgAuditEvent *event,
                        gboolean            with_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  if (event->detail != NULL)
    detail = json_from_string (event->detail, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, event->seq);
  add_string_or_null (builder, "at", event->at);
  add_string_or_null (builder, "actor", event->actor);
  add_string_or_null (builder, "action", event->action);
  add_string_or_null (builder, "target", event->target);
  json_builder_set_member_name (builder, "detail");
  if (detail != NULL)
    json_builder_add_value (builder, g_steal_pointer (&detail));
  else
    json_builder_add_null_value (builder);
  if (with_hash)
    add_string_or_null (builder, "hash", event->hash);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
