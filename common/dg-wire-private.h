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

/* "photos" of @object: absent or null (*out NULL), or an array of at most DG_MAX_PHOTOS
 * strings (validation checks them as hashes). */
gboolean    dg_wire_get_photos            (JsonObject         *object,
                                           GStrv              *out,
                                           GError            **error);
/* Sets "photos" unless @photos is NULL or empty (so a record without keeps its spelling). */
void        dg_wire_set_photos            (JsonObject         *object,
                                           const char *const  *photos);

/* The record codec of a rectification notice's stored "data" (dg-wire-rectification.c). */
gpointer    dg_wire_rectification_from_json (JsonObject       *data,
                                             GError          **error);
JsonObject *dg_wire_rectification_to_json   (gconstpointer     notice);

G_END_DECLS
