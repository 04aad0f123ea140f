/* dg-role.h: the roles of design sections 1 and 6.1, shared by the server and the client.
 *
 * What each role may do is not here but in dg-policy.h, the one table of permissions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DG_ROLE_INSPECTOR,   /* 巡查员 */
  DG_ROLE_OFFICE,      /* 控尘办 */
  DG_ROLE_ADMIN,       /* administrator */
  DG_ROLE_UNIT,        /* 责任单位: a responsible unit's user, bound to one unit */
  DG_N_ROLES
} DgRole;

#define DG_ROLE_MASK(role)   (1u << (role))
#define DG_ROLES_ANY         ((1u << DG_N_ROLES) - 1)

/* "inspector", "office", "admin", "unit": the spelling of the login response, the users table
 * and the command line. */
const char *dg_role_to_string    (DgRole      role);
/* FALSE for NULL or an unknown name; @role may be NULL to only test the name. */
gboolean    dg_role_from_string  (const char *str,
                                  DgRole     *role);

G_END_DECLS
