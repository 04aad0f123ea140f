/* dg-wire-private.h: the member writers shared by the wire's encoders (dg-wire*.c). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @member set to @value, or to null when there is none. */
void dg_wire_set_string_or_null (JsonObject *object,
                                 const char *member,
                                 const char *value);
/* @member set to @value when @present and finite, else to null. */
void dg_wire_set_double_or_null (JsonObject *object,
                                 const char *member,
                                 gboolean    present,
                                 double      value);
void dg_wire_set_bool_or_null   (JsonObject *object,
                                 const char *member,
                                 gboolean    present,
                                 gboolean    value);

G_END_DECLS
