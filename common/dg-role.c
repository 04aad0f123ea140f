/* dg-role.c: the names of the roles. */
#define G_LOG_DOMAIN "dg-role"

#include "config.h"

#include "dg-enum.h"
#include "dg-role.h"

static const DgEnumName role_names[] = {
  { DG_ROLE_INSPECTOR, "inspector" },
  { DG_ROLE_OFFICE, "office" },
  { DG_ROLE_ADMIN, "admin" },
  { DG_ROLE_UNIT, "unit" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == DG_N_ROLES);

const char *
dg_role_to_string (DgRole role)
{
  g_return_val_if_fail ((guint) role < DG_N_ROLES, NULL);

  return dg_enum_to_nick (role_names, G_N_ELEMENTS (role_names), role);
}

gboolean
dg_role_from_string (const char *str,
                     DgRole     *role)
{
  int value;

  if (!dg_enum_from_nick (role_names, G_N_ELEMENTS (role_names), str, &value))
    return FALSE;

  if (role != NULL)
    *role = (DgRole) value;
  return TRUE;
}
