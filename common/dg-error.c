/* dg-error.c: the DG_ERROR domain, its wire names and HTTP statuses, and field paths. */
#define G_LOG_DOMAIN "dg-error"

#include "config.h"

#include <string.h>

#include "dg-enum.h"
#include "dg-error.h"

/* The field path rides in the error itself (an extended GError domain) so that it survives
 * g_propagate_error() and g_error_copy() through every layer between the validator that found
 * the bad field and the writer of the wire's error object. */
typedef struct
{
  char  *field;
  char **records;   /* the records a refusal names, e.g. those still returned (design 6.7) */
} DgErrorPrivate;

static void
dg_error_private_init (DgErrorPrivate *priv)
{
  priv->field = NULL;
  priv->records = NULL;
}

static void
dg_error_private_copy (const DgErrorPrivate *src,
                       DgErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
  dest->records = g_strdupv (src->records);
}

static void
dg_error_private_clear (DgErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->records, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR (DgError, dg_error)

static const DgEnumName error_names[] = {
  { DG_ERROR_BAD_JSON, "bad_json" },
  { DG_ERROR_TOO_DEEP, "too_deep" },
  { DG_ERROR_UNAUTHORIZED, "unauthorized" },
  { DG_ERROR_FORBIDDEN, "forbidden" },
  { DG_ERROR_NOT_FOUND, "not_found" },
  { DG_ERROR_CONFLICT, "conflict" },
  { DG_ERROR_MONTH_CLOSED, "month_closed" },
  { DG_ERROR_TOO_LARGE, "too_large" },
  { DG_ERROR_INVALID_FIELD, "invalid_field" },
  { DG_ERROR_UNKNOWN_TYPE, "unknown_type" },
  { DG_ERROR_RATE_LIMITED, "rate_limited" },
  { DG_ERROR_INTERNAL, "internal" },
  { DG_ERROR_UNAVAILABLE, "unavailable" },
};

const char *
dg_error_code_to_string (DgErrorCode code)
{
  const char *name = dg_enum_to_nick (error_names, G_N_ELEMENTS (error_names), code);

  /* An out-of-range code is a programming error, but the wire must still carry a known code. */
  g_return_val_if_fail (name != NULL, "internal");

  return name;
}

gboolean
dg_error_code_from_string (const char  *str,
                           DgErrorCode *code)
{
  int value;

  g_return_val_if_fail (code != NULL, FALSE);

  if (!dg_enum_from_nick (error_names, G_N_ELEMENTS (error_names), str, &value))
    return FALSE;

  *code = value;
  return TRUE;
}

/* A switch rather than a column of the table, so that -Wswitch-enum names a new code that has
 * no status yet. */
guint
dg_error_code_http_status (DgErrorCode code)
{
  switch (code)
    {
    case DG_ERROR_BAD_JSON:
    case DG_ERROR_TOO_DEEP:
      return 400;
    case DG_ERROR_UNAUTHORIZED:
      return 401;
    case DG_ERROR_FORBIDDEN:
      return 403;
    case DG_ERROR_NOT_FOUND:
      return 404;
    case DG_ERROR_CONFLICT:
    case DG_ERROR_MONTH_CLOSED:
      return 409;
    case DG_ERROR_TOO_LARGE:
      return 413;
    case DG_ERROR_INVALID_FIELD:
    case DG_ERROR_UNKNOWN_TYPE:
      return 422;
    case DG_ERROR_RATE_LIMITED:
      return 429;
    case DG_ERROR_INTERNAL:
      return 500;
    case DG_ERROR_UNAVAILABLE:
      return 503;
    default:
      g_return_val_if_reached (500);
    }
}

const char *
dg_error_get_field (const GError *error)
{
  DgErrorPrivate *priv;

  if (error == NULL || error->domain != DG_ERROR)
    return NULL;

  priv = dg_error_get_private (error);
  return priv->field;
}

const char * const *
dg_error_get_records (const GError *error)
{
  if (error == NULL || error->domain != DG_ERROR)
    return NULL;
  return (const char * const *) dg_error_get_private (error)->records;
}

void
dg_error_set_records (GError             *error,
                      const char * const *records)
{
  DgErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == DG_ERROR);

  priv = dg_error_get_private (error);
  g_strfreev (priv->records);
  priv->records = records != NULL && records[0] != NULL ? g_strdupv ((char **) records) : NULL;
}

void
dg_set_error (GError     **error,
              DgErrorCode  code,
              const char  *field,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  GError *new_error;
  va_list args;

  g_return_if_fail (format != NULL);

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  new_error = g_error_new_literal (DG_ERROR, code, message);
  dg_error_get_private (new_error)->field = g_strdup (field);

  g_propagate_error (error, new_error);
}

void
dg_error_prefix_field (GError     *error,
                       const char *prefix)
{
  DgErrorPrivate *priv;
  g_autofree char *path = NULL;

  if (error == NULL || error->domain != DG_ERROR || prefix == NULL || prefix[0] == '\0')
    return;

  priv = dg_error_get_private (error);

  if (priv->field == NULL || priv->field[0] == '\0')
    path = g_strdup (prefix);
  else if (priv->field[0] == '[')
    path = g_strconcat (prefix, priv->field, NULL);
  else
    path = g_strconcat (prefix, ".", priv->field, NULL);

  /* Messages start with the field they are about ("mass_g must be ≥ 0"): keep them naming the
   * whole path, so a reader of the message alone still knows which point was wrong. */
  if (priv->field != NULL && priv->field[0] != '\0' && error->message != NULL &&
      g_str_has_prefix (error->message, priv->field) &&
      !g_ascii_isalnum (error->message[strlen (priv->field)]) &&
      error->message[strlen (priv->field)] != '_')
    {
      char *message = g_strconcat (path, error->message + strlen (priv->field), NULL);

      g_free (error->message);
      error->message = message;
    }

  g_free (priv->field);
  priv->field = g_steal_pointer (&path);
}
