/* dg-messages.c: what errors mean, in the user's language.
 *
 * common/ and the server speak English with stable codes and field paths, which are right for a
 * log and a wire but not for an inspector at the roadside: these functions turn a code and a
 * field path into a sentence in the user's language. The English original goes to the debug log.
 */

#define G_LOG_DOMAIN "dg-messages"

#include "config.h"

#include <glib/gi18n.h>

#include "dustgrid-common.h"
#include "dg-messages.h"

#include <string.h>

/* What a field of a record is, and what makes it valid, by its member name. */
static const char *
describe_member (const char *member)
{
  static const struct { const char *member; const char *text; } members[] = {
    { "road_id", N_("Choose a road from the list") },
    { "date", N_("The date must be a day that exists, as YYYY-MM-DD") },
    { "points", N_("A check has 1 to 100 points") },
    { "seq", N_("Each point needs its own number, from 1") },
    { "surface", N_("Choose the surface: main road, sidewalk or auxiliary road, or park road") },
    { "location", N_("The location is too long") },
    { "area_m2", N_("The sampling area must be a number from 0.01 to 100 m²") },
    { "mass_g", N_("The dust mass must be a number from 0 to 100000 g") },
    { "weather", N_("The weather note is too long") },
    { "notes", N_("The notes are too long (4 KiB at most)") },
    { "started_at", N_("The start time must be a date and time, as YYYY-MM-DDTHH:MM") },
    { "cell_id", N_("Choose a grid cell from the list") },
    { "site", N_("The site needs a label") },
    { "jar", N_("The jar is A or B") },
    { "month", N_("The month must be YYYY-MM") },
    { "start", N_("The start must be a date and time, as YYYY-MM-DDTHH:MM, and the middle of "
                  "the sampling period must fall in the sample's month") },
    { "end", N_("The sampling period must end after it starts, and last at most 62 days") },
    { "diameter_cm", N_("Each jar diameter must be from 5 to 50 cm (1 to 4 measurements)") },
    { "w0_g", N_("The crucible weight w0 must be a number of grams") },
    { "w1_g", N_("The weight with residue w1 must not be less than the crucible weight w0") },
    { "wc_g", N_("The blank residue wc must not be negative") },
    { "new_password", N_("New password: it must be at least 10 characters long") },
    { "password", N_("Password: it must be at least 10 characters long") },
    { "username", N_("User name: up to 64 bytes, without spaces, “/” or “%”") },
    { "role", N_("Role: choose inspector, office, administrator or unit") },
    { "unit_id", N_("Unit: a unit user must answer for one unit") },
    { "display_name", N_("Display name: it is too long") },
    { "code", N_("Code: it is needed, and no other unit or grid cell may have it") },
    { "name", N_("Name: it is needed, at most 1024 bytes long") },
    { "parent_id", N_("Parent unit: choose another unit, not this one or one below it") },
    { "length_km", N_("Length: a number of kilometres above 0, at most 10000") },
    { "row", N_("Map row: a whole number from 0 to 999") },
    { "col", N_("Map column: a whole number from 0 to 999") },
    { "area_km2", N_("Area: a number of km² above 0, at most 100000") },
    { "kind", N_("Rule: choose what the rule sets") },
    { "value", N_("Value: a number above 0, a whole one for the quotas") },
    { "effective_from", N_("Effective from: a day that exists, as YYYY-MM-DD") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (g_str_equal (member, members[i].member))
      return _(members[i].text);
  return NULL;
}

char *
dg_describe_field_error (const GError *error)
{
  const char *field = dg_error_get_field (error);
  g_autofree char *member = NULL;
  const char *text;
  const char *bracket;
  gboolean in_point = FALSE;
  guint64 point = 0;

  if (field == NULL)
    return dg_describe_error (error);

  g_debug ("%s: %s", field, error->message);

  /* "points[3].mass_g" is the fourth point's mass; "diameter_cm[1]" a jar diameter. */
  if (g_str_has_prefix (field, "points["))
    {
      char *end = NULL;

      point = g_ascii_strtoull (field + strlen ("points["), &end, 10);
      in_point = end != NULL && end[0] == ']';
      if (in_point && end[1] == '.')
        field = end + 2;
      else if (in_point)
        field = "points";
    }
  bracket = strchr (field, '[');
  member = bracket ? g_strndup (field, bracket - field) : g_strdup (field);

  text = describe_member (member);
  /* Not one the app can word (dg_describe_error() would come back here): the server's own. */
  if (text == NULL)
    return g_strdup (error->message);
  if (in_point && !g_str_equal (member, "points"))
    /* Translators: "Point 4: The dust mass must be …" */
    return g_strdup_printf (_("Point %u: %s"), (guint) point + 1, text);
  return g_strdup (text);
}

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
      if (field)
        return dg_describe_field_error (error);
      text = _("The server refused a field");
      break;
    case DG_ERROR_MONTH_CLOSED:
      text = _("The month is closed: an administrator must reopen it before it can change");
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

  /* The server's own words are English: for the log, not for the inspector. */
  g_debug ("%s: %s", dg_error_code_to_string ((DgErrorCode) error->code), error->message);
  return g_strdup (text);
}
