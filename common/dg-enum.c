/* dg-enum.c: names of enum values on the wire, looked up in one kind of table. */
#define G_LOG_DOMAIN "dg-enum"

#include "config.h"

#include <string.h>

#include "dg-enum.h"

const char *
dg_enum_to_nick (const DgEnumName *names,
                 gsize             n_names,
                 int               value)
{
  /* The tables are written in value order, so the row is usually found at once. */
  if (value >= 0 && (gsize) value < n_names && names[value].value == value)
    return names[value].nick;

  for (gsize i = 0; i < n_names; i++)
    {
      if (names[i].value == value)
        return names[i].nick;
    }

  return NULL;
}

gboolean
dg_enum_from_nick (const DgEnumName *names,
                   gsize             n_names,
                   const char       *nick,
                   int              *value)
{
  if (nick == NULL)
    return FALSE;

  for (gsize i = 0; i < n_names; i++)
    {
      if (strcmp (names[i].nick, nick) == 0)
        {
          if (value != NULL)
            *value = names[i].value;
          return TRUE;
        }
    }

  return FALSE;
}
