/* dg-field-rules.c */
#define G_LOG_DOMAIN "dg-common"

#include "config.h"

#include <string.h>

#include "dg-date.h"
#include "dg-error.h"
#include "dg-field-rules.h"

/* "2026-12-07T09:00" → "2026-12-07"; a date stays itself. */
static char *
date_part (const char *str)
{
  return str != NULL && strlen (str) >= 10 ? g_strndup (str, 10) : NULL;
}

gboolean
dg_record_check_not_future (DgRecordType    type,
                            gconstpointer   data,
                            const char     *today,
                            GError        **error)
{
  g_autofree char *day = NULL;
  const char *field;
  GDate limit, date;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (dg_date_is_valid (today), FALSE);

  if (type == DG_RECORD_ROAD_CHECK)
    {
      day = date_part (((const DgRoadCheck *) data)->date);
      field = "date";
    }
  else if (type == DG_RECORD_DUSTFALL_SAMPLE)
    {
      day = date_part (((const DgDustfallSample *) data)->end);
      field = "end";
    }
  else if (type == DG_RECORD_DUSTFALL_HISTORY)
    {
      /* A value from before DustGrid: a month still to come has none yet. */
      const char *month = ((const DgDustfallHistory *) data)->month;

      if (month == NULL || strlen (month) != 7 || strncmp (month, today, 7) <= 0)
        return TRUE;
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month",
                    "month %s lies in the future: today is %s", month, today);
      return FALSE;
    }
  else
    return TRUE;

  if (day == NULL || !dg_date_parse (day, &date))
    return TRUE;
  dg_date_parse (today, &limit);
  g_date_add_days (&limit, DG_FUTURE_DAYS_ALLOWED);
  if (g_date_compare (&date, &limit) <= 0)
    return TRUE;

  dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                "%s %s lies in the future: today is %s, and a record may be dated at most "
                "%d day ahead", field, day, today, DG_FUTURE_DAYS_ALLOWED);
  return FALSE;
}

gboolean
dg_dustfall_check_jar_free (const DgDustfallSample  *sample,
                            const char              *holder,
                            GError                 **error)
{
  g_return_val_if_fail (sample != NULL, FALSE);

  if (holder == NULL || g_strcmp0 (holder, sample->id) == 0)
    return TRUE;

  dg_set_error (error, DG_ERROR_INVALID_FIELD, "jar",
                "jar %c of cell %s, site %s, in %s is already recorded by sample %s",
                sample->jar, sample->cell_id, sample->site ? sample->site : "1", sample->month,
                holder);
  return FALSE;
}
