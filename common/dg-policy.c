/* dg-policy.c: the table of who may do what. */
#define G_LOG_DOMAIN "dg-policy"

#include "config.h"

#include "dg-enum.h"
#include "dg-policy.h"

#define INSPECTOR DG_ROLE_MASK (DG_ROLE_INSPECTOR)
#define OFFICE    DG_ROLE_MASK (DG_ROLE_OFFICE)
#define ADMIN     DG_ROLE_MASK (DG_ROLE_ADMIN)
#define UNIT      DG_ROLE_MASK (DG_ROLE_UNIT)
#define ANYONE    DG_ROLES_ANY
#define WRITERS   (INSPECTOR | OFFICE | ADMIN)

/* One row per action: the roles that may do it to their own record and to another's. For the
 * actions that touch no record the two are the same. A unit user writes no check or sample
 * (design section 1: it sees figures and answers rectifications), so it may not push; it reads
 * only its own records, which are none until rectifications exist. Indexed by DgAction. */
typedef struct
{
  DgAction    action;
  const char *nick;
  guint       on_own;
  guint       on_other;
} DgPolicyRow;

static const DgPolicyRow policy[] = {
  { DG_ACTION_PUBLIC,           "public",          ANYONE,         ANYONE },
  { DG_ACTION_SIGN_OUT,         "sign_out",        ANYONE,         ANYONE },
  { DG_ACTION_PUSH,             "push",            WRITERS,        WRITERS },
  { DG_ACTION_READ_RECORD,      "read_record",     ANYONE,         OFFICE | ADMIN },
  { DG_ACTION_WRITE_RECORD,     "write_record",    WRITERS,        OFFICE | ADMIN },
  { DG_ACTION_WRITE_REFERENCE,  "write_reference", ADMIN,          ADMIN },
  { DG_ACTION_RETURN_RECORD,    "return_record",   OFFICE,         OFFICE },
  { DG_ACTION_CLOSE_MONTH,      "close_month",     OFFICE | ADMIN, OFFICE | ADMIN },
  { DG_ACTION_REOPEN_MONTH,     "reopen_month",    ADMIN,          ADMIN },
  { DG_ACTION_READ_RANKING,     "read_ranking",    OFFICE | ADMIN, OFFICE | ADMIN },
  { DG_ACTION_READ_QUOTA,       "read_quota",      ANYONE,         ANYONE },
  { DG_ACTION_MANAGE_USERS,     "manage_users",    ADMIN,          ADMIN },
  { DG_ACTION_CHANGE_PASSWORD,  "change_password", ANYONE,         ANYONE },
  { DG_ACTION_READ_AUDIT,       "read_audit",      ADMIN,          ADMIN },
  /* Its author only: a voided record counts for nothing, so no one else may take it away. */
  { DG_ACTION_VOID_RECORD,      "void_record",     WRITERS,        0 },
  { DG_ACTION_UPLOAD_ATTACHMENT, "upload_attachment", ANYONE,       ANYONE },
  /* A unit user sees its own unit's row of the unit ranking; the office and administrators
   * see every unit's. */
  { DG_ACTION_READ_UNIT_RANKING, "read_unit_ranking", OFFICE | ADMIN | UNIT, OFFICE | ADMIN },
  /* Rectification (design 6.3). "Own" is a notice of the unit user's unit: the office issues
   * and closes every notice; a unit's users see and answer their unit's and no other's, and
   * never close one, not even their own: closing is the office's judgement of the answer. */
  { DG_ACTION_ISSUE_RECTIFICATION,   "issue_rectification",   OFFICE,                OFFICE },
  { DG_ACTION_READ_RECTIFICATIONS,   "read_rectifications",   OFFICE | ADMIN | UNIT, OFFICE | ADMIN },
  { DG_ACTION_RESPOND_RECTIFICATION, "respond_rectification", OFFICE | UNIT,         OFFICE },
  { DG_ACTION_CLOSE_RECTIFICATION,   "close_rectification",   OFFICE,                OFFICE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (policy) == DG_N_ACTIONS);

static const DgPolicyRow *
lookup_row (DgAction action)
{
  g_return_val_if_fail ((guint) action < DG_N_ACTIONS, NULL);
  g_assert (policy[action].action == action);

  return &policy[action];
}

const char *
dg_action_to_string (DgAction action)
{
  const DgPolicyRow *row = lookup_row (action);

  return row != NULL ? row->nick : NULL;
}

gboolean
dg_policy_needs_token (DgAction action)
{
  return action != DG_ACTION_PUBLIC;
}

gboolean
dg_policy_allows (DgRole   role,
                  DgAction action,
                  DgScope  scope)
{
  const DgPolicyRow *row = lookup_row (action);
  guint mask;

  g_return_val_if_fail ((guint) role < DG_N_ROLES, FALSE);
  if (row == NULL)
    return FALSE;

  switch (scope)
    {
    case DG_SCOPE_ANY:
      mask = row->on_own | row->on_other;
      break;
    case DG_SCOPE_OWN:
      mask = row->on_own;
      break;
    case DG_SCOPE_OTHER:
      mask = row->on_other;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  return (mask & DG_ROLE_MASK (role)) != 0;
}

DgScope
dg_policy_scope_for (const char *owner,
                     const char *user)
{
  return owner != NULL && g_strcmp0 (owner, user) == 0 ? DG_SCOPE_OWN : DG_SCOPE_OTHER;
}

DgScope
dg_policy_scope_for_unit (const char *notice_unit_id,
                          const char *user_unit_id)
{
  return notice_unit_id != NULL && g_strcmp0 (notice_unit_id, user_unit_id) == 0
           ? DG_SCOPE_OWN : DG_SCOPE_OTHER;
}

DgAction
dg_policy_write_action (DgRecordType type)
{
  return dg_record_type_is_reference (type) ? DG_ACTION_WRITE_REFERENCE : DG_ACTION_WRITE_RECORD;
}

gboolean
dg_policy_allows_write (DgRole       role,
                        DgRecordType type,
                        DgScope      scope)
{
  return dg_policy_allows (role, dg_policy_write_action (type), scope);
}
