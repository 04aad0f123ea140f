/* dg-messages.h: what the server's error codes mean, in the user's language.
 *
 * The server answers in English with stable codes (design 4); the client shows a translated
 * sentence for each code, with the server's own words after it where they add the detail. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated description of a DG_ERROR (any other error: its message). Newly allocated. */
char *dg_describe_error (const GError *error);

G_END_DECLS
