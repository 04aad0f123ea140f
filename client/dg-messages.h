/* dg-messages.h: what the server's error codes mean, in the user's language.
 *
 * The server answers in English with stable codes (design 4); the client shows a translated
 * sentence for each code and field; the server's own words go to the debug log. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated description of a DG_ERROR (any other error: its message). Newly allocated. */
char *dg_describe_error       (const GError *error);
/* A translated sentence for an invalid field (DG_ERROR_INVALID_FIELD with a field path such as
 * "points[3].mass_g"): which point, which field, and what it must hold. Newly allocated. */
char *dg_describe_field_error (const GError *error);

G_END_DECLS
