/* dg-error.h: the error codes of the wire contract, shared by server, client and validation.
 *
 * DG_ERROR is an extended GError domain: an error may carry the path of the field it is about
 * ("points[3].mass_g"), which travels in the "field" member of the wire's error object.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DG_ERROR (dg_error_quark ())

/* Keep in step with dg_error_code_to_string() and dg_error_code_http_status(). */
typedef enum
{
  DG_ERROR_BAD_JSON,       /* 400: malformed JSON or invalid UTF-8 */
  DG_ERROR_TOO_DEEP,       /* 400: JSON nesting deeper than DG_JSON_MAX_DEPTH */
  DG_ERROR_UNAUTHORIZED,   /* 401 */
  DG_ERROR_FORBIDDEN,      /* 403 */
  DG_ERROR_NOT_FOUND,      /* 404 */
  DG_ERROR_CONFLICT,       /* 409 */
  DG_ERROR_MONTH_CLOSED,   /* 409 */
  DG_ERROR_TOO_LARGE,      /* 413 */
  DG_ERROR_INVALID_FIELD,  /* 422 */
  DG_ERROR_UNKNOWN_TYPE,   /* 422 */
  DG_ERROR_RATE_LIMITED,   /* 429 */
  DG_ERROR_INTERNAL,       /* 500 */
  DG_ERROR_UNAVAILABLE,    /* 503: disk full, I/O error; retry later */
} DgErrorCode;

GQuark       dg_error_quark              (void);

/* "invalid_field", ... */
const char  *dg_error_code_to_string     (DgErrorCode  code);
gboolean     dg_error_code_from_string   (const char  *str,
                                          DgErrorCode *code);
guint        dg_error_code_http_status   (DgErrorCode  code);

/* The field path the error is about, or NULL. Works on any GError (NULL for other domains). */
const char  *dg_error_get_field          (const GError *error);

/* The ids of the records a refusal names (the wire's "records"), NULL-terminated, or NULL:
 * a month close refused over records still returned (design 6.7). */
const char * const *dg_error_get_records (const GError       *error);
/* Replaces them (@records NULL-terminated; NULL or empty: none). DG_ERROR only. */
void         dg_error_set_records        (GError             *error,
                                          const char * const *records);

/* Sets a DG_ERROR with a field path (which may be NULL). */
void         dg_set_error                (GError     **error,
                                          DgErrorCode  code,
                                          const char  *field,
                                          const char  *format,
                                          ...) G_GNUC_PRINTF (4, 5);

/* Prepends @prefix to the field path of a DG_ERROR: "mass_g" becomes "points[3].mass_g";
 * a "[i]" field joins without a dot ("diameter_cm" + "[1]"). A message that starts with the old
 * path ("mass_g must be ≥ 0") is made to start with the new one. Does nothing on other domains. */
void         dg_error_prefix_field       (GError      *error,
                                          const char  *prefix);

G_END_DECLS
