/* dg-json.h: safe JSON input and canonical output.
 *
 * json-glib 1.6 has no depth limit and prints criticals when an accessor meets the wrong type,
 * so input goes through dg_json_parse() (UTF-8 and depth checked before the parser runs) and
 * members are read with the dg_json_get_* helpers, which check the type and name the field.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* FALSE with DG_ERROR_TOO_DEEP when arrays/objects nest deeper than @max_depth (strings are
 * skipped properly, so brackets inside them do not count). The scan is a strict RFC 8259
 * tokenizer: what json-glib 1.6 accepts beyond JSON (single quotes, comments, hex, trailing data),
 * integers beyond gint64 (which json-glib wraps silently) and \u0000 (at which it cuts the string)
 * fail with DG_ERROR_BAD_JSON, since a quote inside a comment could otherwise hide brackets from
 * the count. */
gboolean    dg_json_check_depth     (const char *data,
                                     gsize       length,
                                     guint       max_depth,
                                     GError    **error);

/* UTF-8 validation (DG_ERROR_BAD_JSON), depth check (DG_ERROR_TOO_DEEP, at DG_JSON_MAX_DEPTH),
 * then json-glib; parse errors become DG_ERROR_BAD_JSON. Returns the root node. */
JsonNode   *dg_json_parse           (const char *data,
                                     gsize       length,
                                     GError    **error);

/* Canonical compact encoding: object members sorted by key (bytewise), no whitespace, numbers
 * as the shortest decimal that reads back to the same double, integers as integers. Used for
 * revision hashes and to tell an identical retry from an edit.
 * Strings escape only '"', '\\' and control characters (as \u00xx); other UTF-8 is kept as is.
 * A double with an integral value keeps its ".0" ("5.0"; integers print as "5"), so that the
 * text parses back to the same node types and re-encodes byte for byte. Readers need not care:
 * dg_json_get_double() takes integers and dg_json_get_int() takes integral doubles. A non-finite
 * double (1e999 parses as one; the accessors refuse it) is written as null. */
char       *dg_json_canonical       (JsonNode   *node);
/* Appends @str to @out as a JSON string, spelled as dg_json_canonical() spells it: '"' and '\\'
 * escaped, control bytes as \u00XX, all else (UTF-8 included) as is. The server's hash chain
 * writes its revisions with it, so these bytes may never change. */
void        dg_json_append_string   (GString    *out,
                                     const char *str);
/* Compact encoding in member order, numbers and strings written as by dg_json_canonical(). */
char       *dg_json_to_string       (JsonNode   *node);

/* Typed member access. Each returns FALSE and sets DG_ERROR_INVALID_FIELD naming @member when
 * the member is missing (unless an _opt variant) or of the wrong type. Strings are checked for
 * @max_bytes; numbers must be finite. */
gboolean    dg_json_get_string      (JsonObject  *object,
                                     const char  *member,
                                     gsize        max_bytes,
                                     char       **out,
                                     GError     **error);
/* Absent or null member: *out = NULL and TRUE. */
gboolean    dg_json_get_string_opt  (JsonObject  *object,
                                     const char  *member,
                                     gsize        max_bytes,
                                     char       **out,
                                     GError     **error);
gboolean    dg_json_get_double      (JsonObject  *object,
                                     const char  *member,
                                     double      *out,
                                     GError     **error);
/* Absent or null member: *out = @fallback and TRUE. */
gboolean    dg_json_get_double_opt  (JsonObject  *object,
                                     const char  *member,
                                     double       fallback,
                                     double      *out,
                                     GError     **error);
gboolean    dg_json_get_int         (JsonObject  *object,
                                     const char  *member,
                                     gint64       min,
                                     gint64       max,
                                     gint64      *out,
                                     GError     **error);
gboolean    dg_json_get_bool_opt    (JsonObject  *object,
                                     const char  *member,
                                     gboolean     fallback,
                                     gboolean    *out,
                                     GError     **error);
/* Member that must be an array / object (borrowed). */
gboolean    dg_json_get_array       (JsonObject  *object,
                                     const char  *member,
                                     JsonArray  **out,
                                     GError     **error);
gboolean    dg_json_get_object      (JsonObject  *object,
                                     const char  *member,
                                     JsonObject **out,
                                     GError     **error);

/* A number node (integer or double) as a double; FALSE for anything else. */
gboolean    dg_json_node_get_number (JsonNode    *node,
                                     double      *out);

/* Convenience for writers: a double, or null when NAN. */
void        dg_json_builder_add_double_or_null (JsonBuilder *builder,
                                                double       value);

G_END_DECLS
