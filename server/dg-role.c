/* dg-role.c: the roles of design section 1. */
#define G_LOG_DOMAIN "dg-role"

#include "config.h"

#include <string.h>

#include "dg-role.h"

static const char *const role_names[DG_N_ROLES] = {
  [DG_ROLE_INSPECTOR] = "inspector",
  [DG_ROLE_OFFICE] = "office",
  [DG_ROLE_ADMIN] = "admin",
};

const char *
dg_role_to_string (DgRole role)
{
  g_return_val_if_fail ((guint) role < DG_N_ROLES, NULL);

  return role_names[role];
}

gboolean
dg_role_from_string (const char *str,
                     DgRole     *role)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < DG_N_ROLES; i++)
    {
      if (strcmp (str, role_names[i]) == 0)
        {
          if (role != NULL)
            *role = (DgRole) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
dg_role_may_write (DgRole       role,
                   DgRecordType type)
{
  if (dg_record_type_is_reference (type))
    return role == DG_ROLE_ADMIN;

  return TRUE;
}
