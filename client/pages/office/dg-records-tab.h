/* dg-records-tab.h: the office page's Records tab, the month's records, which the office may
 * return to their inspectors for correction.
 *
 * A row per record with its state; each row's Return button asks for a reason and then emits
 * "return-record" with the record's id and the reason: the page sends it to the server. The
 * buttons are live only while returning is allowed (dg_records_tab_set_can_return()) and only
 * for records on the server and not returned yet.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_RECORDS_TAB (dg_records_tab_get_type ())
G_DECLARE_FINAL_TYPE (DgRecordsTab, dg_records_tab, DG, RECORDS_TAB, GtkWidget)

GtkWidget  *dg_records_tab_new            (void);
void        dg_records_tab_set_report     (DgRecordsTab  *self,
                                           DgMonthReport *report);
/* Whether the session may return records (the office's). FALSE by default. */
void        dg_records_tab_set_can_return (DgRecordsTab  *self,
                                           gboolean       can_return);
GtkListBox *dg_records_tab_get_list       (DgRecordsTab  *self);

G_END_DECLS
