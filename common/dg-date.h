/* dg-date.h: strict parsing of the calendar strings of the wire format.
 *
 * Dates travel as "YYYY-MM-DD", months as "YYYY-MM", local date-times as "YYYY-MM-DDTHH:MM[:SS]"
 * with no zone. They are kept as strings in the model because they sort and compare as strings;
 * these helpers check that they exist and do the little arithmetic the domain needs.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @str is exactly YYYY-MM-DD and names a day that exists (1900..9999). */
gboolean  dg_date_is_valid        (const char *str);
/* TRUE when @str is exactly YYYY-MM. */
gboolean  dg_month_is_valid       (const char *str);
/* TRUE when @str is YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS and exists. */
gboolean  dg_local_datetime_is_valid (const char *str);

/* Parses into a GDate; FALSE when invalid. */
gboolean  dg_date_parse           (const char *str,
                                   GDate      *date);
/* Seconds since 1970-01-01T00:00 of a local date-time read as if it were UTC (no zone, no DST:
 * sampling periods are measured in the jar's own wall-clock time). FALSE when invalid. */
gboolean  dg_local_datetime_parse (const char *str,
                                   gint64     *seconds);

/* "2025-03" -> "2025-02" / "2024-03"; newly allocated. @month must be valid. */
char     *dg_month_add            (const char *month,
                                   int         months);
/* Number of days in a valid month. */
guint     dg_month_days           (const char *month);
/* "2025-03-14" -> "2025-03" (newly allocated). */
char     *dg_date_month           (const char *date);
/* Day @day (1-based) of @month as "YYYY-MM-DD", newly allocated. */
char     *dg_month_day            (const char *month,
                                   guint       day);
/* Today's local date as YYYY-MM-DD, newly allocated. */
char     *dg_date_today           (void);
/* Now as an RFC 3339 UTC timestamp with milliseconds ("2025-03-14T08:00:00.000Z"). */
char     *dg_timestamp_now        (void);

G_END_DECLS
