/* dg-messages.c */

#define G_LOG_DOMAIN "dg-messages"

#include "config.h"

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"

char *
dg_describe_error (const GError *error)
{
  const char *field;
  const char *text = NULL;

  if (error == NULL)
    return NULL;
  if (error->domain != DG_ERROR)
    return g_strdup (error->message);

  field = dg_error_get_field (error);

  switch ((DgErrorCode) error->code)
    {
    case DG_ERROR_INVALID_FIELD:
      /* Translators: a field the server refused, e.g. "points[3].mass_g", then its reason. */
      if (field)
        return g_strdup_printf (_("The server refused the field %s: %s"), field, error->message);
      text = _("The server refused a field");
      break;
    case DG_ERROR_MONTH_CLOSED:
      text = _("The month is closed: the office must reopen it before it can change");
      break;
    case DG_ERROR_FORBIDDEN:
      text = _("You may not change this record");
      break;
    case DG_ERROR_NOT_FOUND:
      text = _("The server does not know this record");
      break;
    case DG_ERROR_CONFLICT:
      text = _("Someone else changed this record");
      break;
    case DG_ERROR_UNKNOWN_TYPE:
      text = _("The server does not know this kind of record");
      break;
    case DG_ERROR_TOO_LARGE:
      text = _("The record is too large");
      break;
    case DG_ERROR_BAD_JSON:
    case DG_ERROR_TOO_DEEP:
      text = _("The server could not read the record");
      break;
    case DG_ERROR_UNAUTHORIZED:
      text = _("The session has ended");
      break;
    case DG_ERROR_RATE_LIMITED:
      text = _("Too many attempts: wait a little");
      break;
    case DG_ERROR_INTERNAL:
    case DG_ERROR_UNAVAILABLE:
    default:
      text = _("The server failed; it will be tried again");
      break;
    }

  if (error->message && *error->message)
    return g_strdup_printf ("%s (%s)", text, error->message);
  return g_strdup (text);
}
