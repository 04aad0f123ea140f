/* dg-quota-tab.h: the office page's Quota tab, the month's daily quota calendar (design 3.3).
 *
 * A line with the days the district met its quota, then a week-by-week calendar of the month
 * with, on each day, whether the quota was met, missed or is still to come and the complete
 * roads of the roads required. Each day says it in words to a screen reader as well.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_QUOTA_TAB (dg_quota_tab_get_type ())
G_DECLARE_FINAL_TYPE (DgQuotaTab, dg_quota_tab, DG, QUOTA_TAB, GtkWidget)

GtkWidget *dg_quota_tab_new        (void);
void       dg_quota_tab_set_report (DgQuotaTab    *self,
                                    DgMonthReport *report);
/* The calendar: the weekday headings in its first row, then a box per day. */
GtkGrid   *dg_quota_tab_get_grid   (DgQuotaTab    *self);

G_END_DECLS
