/* dg-enum.h: the one pattern for an enum's names on the wire.
 *
 * Each enum whose values travel as strings (record types, surfaces, rule kinds, record states,
 * result statuses, error codes, roles, quota states, assessment formats and sections, dust-fall
 * flags) declares one table of DgEnumName rows next to its type's functions, and its
 * dg_foo_to_string()/dg_foo_from_string() pair are one call each into these helpers. A name is
 * matched exactly and case-sensitively: the wire has one spelling for each value.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int         value;
  const char *nick;
} DgEnumName;

/* The nick of @value in the @n_names rows of @names, or NULL when no row holds it. */
const char *dg_enum_to_nick   (const DgEnumName *names,
                               gsize             n_names,
                               int               value);
/* Looks @nick up (NULL finds nothing); on success stores its value in @value when not NULL. */
gboolean    dg_enum_from_nick (const DgEnumName *names,
                               gsize             n_names,
                               const char       *nick,
                               int              *value);

G_END_DECLS
