/* dg-policy.h: who may do what, the one table of permissions (design sections 4 and 6.1).
 *
 * The server's route table names an action per route and asks this table before running it;
 * the server and the store ask it again, per record, where ownership matters; the client asks it
 * whether to offer a button; the authorization test walks it. No other place decides by role.
 */
#pragma once

#include <glib.h>

#include "dg-model.h"
#include "dg-role.h"

G_BEGIN_DECLS

typedef enum
{
  DG_ACTION_PUBLIC,            /* the health check and signing in: anyone, without a token */
  DG_ACTION_SIGN_OUT,          /* revoke one's own token */
  DG_ACTION_PUSH,              /* send a batch of changes (each change is checked apart) */
  DG_ACTION_READ_RECORD,       /* pull a record, read its history */
  DG_ACTION_WRITE_RECORD,      /* create, edit or delete a road check or a dust-fall sample */
  DG_ACTION_WRITE_REFERENCE,   /* create, edit or delete a road, a grid cell or a rule */
  DG_ACTION_RETURN_RECORD,     /* return a record to its author for correction */
  DG_ACTION_CLOSE_MONTH,
  DG_ACTION_REOPEN_MONTH,
  DG_ACTION_READ_RANKING,      /* the dust-fall and road tables and the assessment files */
  DG_ACTION_READ_QUOTA,        /* the daily quota table */
  DG_ACTION_MANAGE_USERS,      /* list, add, change, disable users and end their sessions */
  DG_ACTION_CHANGE_PASSWORD,   /* change one's own password */
  DG_ACTION_READ_AUDIT,        /* read the audit log */
  DG_ACTION_VOID_RECORD,       /* void one's own check or sample, with a reason (issue 13) */
  DG_ACTION_UPLOAD_ATTACHMENT, /* upload a photo (design 6.2); reading one is DG_ACTION_READ_RECORD
                                * on a record that names it (its metadata: its uploader too) */
  DG_ACTION_READ_UNIT_RANKING, /* the unit ranking (6.3): own scope is the user's unit's row */
  DG_ACTION_ISSUE_RECTIFICATION,   /* issue a rectification notice (整改, 6.3) */
  DG_ACTION_READ_RECTIFICATIONS,   /* list the notices: own scope is those of the user's unit */
  DG_ACTION_RESPOND_RECTIFICATION, /* answer a notice with text and photos */
  DG_ACTION_CLOSE_RECTIFICATION,   /* close a notice with an outcome */
  DG_N_ACTIONS
} DgAction;

/* Whose record an action touches. */
typedef enum
{
  DG_SCOPE_ANY,     /* no record in particular: may the role do it to some record at all
                     * (the route's check, whether to show a button) */
  DG_SCOPE_OWN,     /* a record the user wrote, or is about to create; for a unit user, a
                     * record of the user's unit (the rectifications of design 6.3) */
  DG_SCOPE_OTHER,   /* anyone else's record */
} DgScope;

/* "public", "sign_out", "push", ...: for log lines and test names. */
const char *dg_action_to_string        (DgAction      action);

/* Whether the action needs a signed-in user (every one but DG_ACTION_PUBLIC). */
gboolean    dg_policy_needs_token      (DgAction      action);
/* Whether a user with @role may do @action in @scope. Public actions are allowed to all. */
gboolean    dg_policy_allows           (DgRole        role,
                                        DgAction      action,
                                        DgScope       scope);
/* The scope of a record written by @owner for @user: own when they are the same name. */
DgScope     dg_policy_scope_for        (const char   *owner,
                                        const char   *user);
/* The scope of a rectification notice of @notice_unit_id for a user bound to @user_unit_id
 * (NULL: none): own when both name the same unit. */
DgScope     dg_policy_scope_for_unit   (const char   *notice_unit_id,
                                        const char   *user_unit_id);
/* The action that writing a record of @type is. */
DgAction    dg_policy_write_action     (DgRecordType  type);
/* dg_policy_allows() for writing a record of @type in @scope. */
gboolean    dg_policy_allows_write     (DgRole        role,
                                        DgRecordType  type,
                                        DgScope       scope);

G_END_DECLS
