/* dg-role.h: the three roles of design section 1 and what each may touch. */
#pragma once

#include <glib.h>

#include "dustgrid-common.h"

G_BEGIN_DECLS

typedef enum
{
  DG_ROLE_INSPECTOR,
  DG_ROLE_OFFICE,
  DG_ROLE_ADMIN,
  DG_N_ROLES
} DgRole;

#define DG_ROLE_MASK(role)   (1u << (role))
#define DG_ROLES_ANY         (DG_ROLE_MASK (DG_ROLE_INSPECTOR) | DG_ROLE_MASK (DG_ROLE_OFFICE) | \
                              DG_ROLE_MASK (DG_ROLE_ADMIN))

/* "inspector", "office", "admin" */
const char *dg_role_to_string    (DgRole      role);
gboolean    dg_role_from_string  (const char *str,
                                  DgRole     *role);

/* Whether @role may write records of @type at all (per-record ownership is checked apart):
 * reference types are the administrator's, checks and samples everyone's. */
gboolean    dg_role_may_write    (DgRole       role,
                                  DgRecordType type);

G_END_DECLS
