/* dg-date.c: strict parsing of the calendar strings of the wire format.
 *
 * Strict on purpose: "2025-2-3", "2025-02-30" and "2025-02-03 " are all refused, because the
 * model keeps dates as strings that must sort and compare as the days they name.
 */
#define G_LOG_DOMAIN "dg-date"

#include "config.h"

#include <string.h>

#include "dg-date.h"

#define MIN_YEAR 1900
#define MAX_YEAR 9999

/* Reads exactly @len ASCII digits at @str. */
static gboolean
read_digits (const char *str,
             guint       len,
             guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (str[i]))
        return FALSE;
      v = v * 10 + (guint) (str[i] - '0');
    }

  *out = v;
  return TRUE;
}

static gboolean
parse_month (const char *str,
             guint      *year,
             guint      *month)
{
  if (!read_digits (str, 4, year) || str[4] != '-' || !read_digits (str + 5, 2, month))
    return FALSE;

  return *year >= MIN_YEAR && *year <= MAX_YEAR && *month >= 1 && *month <= 12;
}

static gboolean
parse_date (const char *str,
            guint      *year,
            guint      *month,
            guint      *day)
{
  if (!parse_month (str, year, month) || str[7] != '-' || !read_digits (str + 8, 2, day))
    return FALSE;

  return g_date_valid_dmy (*day, *month, *year);
}

gboolean
dg_date_is_valid (const char *str)
{
  guint y, m, d;

  if (str == NULL || strlen (str) != 10)
    return FALSE;

  return parse_date (str, &y, &m, &d);
}

gboolean
dg_month_is_valid (const char *str)
{
  guint y, m;

  if (str == NULL || strlen (str) != 7)
    return FALSE;

  return parse_month (str, &y, &m);
}

static gboolean
parse_local_datetime (const char *str,
                      GDate      *date,
                      guint      *seconds_of_day)
{
  gsize len;
  guint y, mo, d, h, mi, s = 0;

  if (str == NULL)
    return FALSE;

  len = strlen (str);
  if (len != 16 && len != 19)
    return FALSE;

  if (!parse_date (str, &y, &mo, &d) || str[10] != 'T')
    return FALSE;
  if (!read_digits (str + 11, 2, &h) || str[13] != ':' || !read_digits (str + 14, 2, &mi))
    return FALSE;
  if (len == 19 && (str[16] != ':' || !read_digits (str + 17, 2, &s)))
    return FALSE;
  if (h > 23 || mi > 59 || s > 59)
    return FALSE;

  if (date != NULL)
    g_date_set_dmy (date, d, mo, y);
  if (seconds_of_day != NULL)
    *seconds_of_day = h * 3600 + mi * 60 + s;

  return TRUE;
}

gboolean
dg_local_datetime_is_valid (const char *str)
{
  return parse_local_datetime (str, NULL, NULL);
}

gboolean
dg_date_parse (const char *str,
               GDate      *date)
{
  guint y, m, d;

  g_return_val_if_fail (date != NULL, FALSE);

  if (str == NULL || strlen (str) != 10 || !parse_date (str, &y, &m, &d))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

gboolean
dg_local_datetime_parse (const char *str,
                         gint64     *seconds)
{
  GDate date;
  GDate epoch;
  guint seconds_of_day;

  g_return_val_if_fail (seconds != NULL, FALSE);

  g_date_clear (&date, 1);
  if (!parse_local_datetime (str, &date, &seconds_of_day))
    return FALSE;

  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);

  *seconds = (gint64) g_date_days_between (&epoch, &date) * 86400 + seconds_of_day;
  return TRUE;
}

char *
dg_month_add (const char *month,
              int         months)
{
  guint y, m;
  int total;

  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  parse_month (month, &y, &m);
  total = (int) y * 12 + (int) m - 1 + months;

  /* Years start at 1900, so @total stays positive for any offset a report asks for. */
  return g_strdup_printf ("%04d-%02d", total / 12, total % 12 + 1);
}

guint
dg_month_days (const char *month)
{
  guint y, m;

  g_return_val_if_fail (dg_month_is_valid (month), 0);

  parse_month (month, &y, &m);
  return g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y);
}

char *
dg_date_month (const char *date)
{
  g_return_val_if_fail (dg_date_is_valid (date), NULL);

  return g_strndup (date, 7);
}

char *
dg_month_day (const char *month,
              guint       day)
{
  g_return_val_if_fail (dg_month_is_valid (month), NULL);
  g_return_val_if_fail (day >= 1 && day <= dg_month_days (month), NULL);

  return g_strdup_printf ("%s-%02u", month, day);
}

char *
dg_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

char *
dg_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}
