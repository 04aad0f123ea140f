/* dg-admin.h: the wire format of administration (design 6.1): users, a change to a user, and
 * the events of the audit log, with the rules a user must keep.
 *
 * The server's user routes and its store speak these; the client's admin pages decode the same
 * shapes with the same functions, so both sides agree on what a valid user is.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-role.h"

G_BEGIN_DECLS

/* A password is at least this many characters (not bytes: 十个汉字 is ten). */
#define DG_PASSWORD_MIN_CHARS   10
/* A user name travels in a path (/api/v1/users/NAME): short, and without '/', '%', spaces or
 * control characters, so that it never needs escaping to be read back. */
#define DG_USERNAME_MAX_BYTES   64

typedef struct
{
  char     *username;
  DgRole    role;
  char     *display_name;    /* NULL: none */
  char     *unit_id;         /* the unit a `unit` user answers for; NULL: none */
  gboolean  disabled;
  char     *created_at;      /* UTC, YYYY-MM-DDTHH:MM:SSZ */
  char     *last_login_at;   /* NULL: never signed in */
} DgUser;

DgUser     *dg_user_new                (void);
DgUser     *dg_user_copy               (const DgUser  *user);
void        dg_user_free               (DgUser        *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgUser, dg_user_free)

/* {"username","role","display_name","unit_id","disabled","created_at","last_login_at"}: never a
 * password or its hash. */
JsonNode   *dg_user_to_json            (const DgUser  *user);
/* The same shape back, validated. */
DgUser     *dg_user_from_json          (JsonObject    *object,
                                        GError       **error);

/* DG_ERROR_INVALID_FIELD on "username": empty, longer than DG_USERNAME_MAX_BYTES, not UTF-8,
 * or holding '/', '%', a space or a control character. */
gboolean    dg_username_validate       (const char    *username,
                                        GError       **error);
/* DG_ERROR_INVALID_FIELD on @field: fewer than DG_PASSWORD_MIN_CHARS characters, longer than
 * 1 KiB, or not UTF-8. */
gboolean    dg_password_validate       (const char    *password,
                                        const char    *field,
                                        GError       **error);
/* A user as a whole: its name, a `unit` user bound to a unit (field "unit_id"), a unit_id that
 * is a UUID, a display name of at most 1 KiB. */
gboolean    dg_user_validate           (const DgUser  *user,
                                        GError       **error);

/* What PATCH /api/v1/users/NAME changes: each member present is set, the others stay. */
typedef struct
{
  gboolean  set_role;
  DgRole    role;
  gboolean  set_display_name;
  char     *display_name;    /* NULL clears it */
  gboolean  set_unit_id;
  char     *unit_id;         /* NULL clears it */
  gboolean  set_disabled;
  gboolean  disabled;
  char     *password;        /* a new password; NULL: unchanged */
} DgUserPatch;

void        dg_user_patch_free         (DgUserPatch   *patch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgUserPatch, dg_user_patch_free)

/* {"role"?,"display_name"?,"unit_id"?,"disabled"?,"password"?}; an unknown role or a weak
 * password is DG_ERROR_INVALID_FIELD on its field. */
DgUserPatch *dg_user_patch_from_json   (JsonObject    *object,
                                        GError       **error);
/* The body of a PATCH /api/v1/users/NAME: only the members the patch sets, a cleared one as null;
 * what dg_user_patch_from_json() reads back. */
JsonNode    *dg_user_patch_to_json     (const DgUserPatch *patch);
/* @user with @patch applied (its password aside); *revokes says whether the change must end
 * every session of the user: disabled, a new role, or a new password. */
DgUser      *dg_user_patch_apply       (const DgUserPatch *patch,
                                        const DgUser      *user,
                                        gboolean          *revokes);

/* The members of @after that differ from @before, as dg_user_to_json() writes them: what an
 * audit event says was changed. */
JsonObject  *dg_user_diff              (const DgUser      *before,
                                        const DgUser      *after);

/* One event of the audit log. */
typedef struct
{
  gint64      seq;
  char       *at;          /* UTC, YYYY-MM-DDTHH:MM:SSZ */
  char       *actor;       /* who did it (for a failed login, the name tried) */
  char       *action;      /* "login_failed", "user_created", ... (DG_AUDIT_*) */
  char       *target;      /* what it was done to: a user name, a record id, a month */
  char       *detail;      /* canonical JSON object text, or NULL */
  char       *hash;        /* SHA-256 (previous hash ‖ canonical JSON of the event) */
} DgAuditEvent;

#define DG_AUDIT_LOGIN_FAILED       "login_failed"
#define DG_AUDIT_USER_CREATED       "user_created"
#define DG_AUDIT_USER_CHANGED       "user_changed"
#define DG_AUDIT_SESSIONS_REVOKED   "sessions_revoked"
#define DG_AUDIT_PASSWORD_CHANGED   "password_changed"
#define DG_AUDIT_REFERENCE_CHANGED  "reference_changed"
#define DG_AUDIT_RECORD_RETURNED    "record_returned"
#define DG_AUDIT_RECORD_VOIDED      "record_voided"
#define DG_AUDIT_MONTH_CLOSED       "month_closed"
#define DG_AUDIT_MONTH_REOPENED     "month_reopened"
#define DG_AUDIT_RECTIFICATION_ISSUED    "rectification_issued"
#define DG_AUDIT_RECTIFICATION_RESPONDED "rectification_responded"
#define DG_AUDIT_RECTIFICATION_CLOSED    "rectification_closed"

void        dg_audit_event_clear       (DgAuditEvent  *event);
void        dg_audit_event_free        (DgAuditEvent  *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgAuditEvent, dg_audit_event_free)

/* {"seq","at","actor","action","target","detail"} (detail an object or null), plus "hash" with
 * @with_hash. Without it, its canonical JSON is the text the event's hash covers. */
JsonNode   *dg_audit_event_to_json     (const DgAuditEvent *event,
                                        gboolean            with_hash);

G_END_DECLS
