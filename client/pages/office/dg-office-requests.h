/* dg-office-requests.h: what the office page asks of the server, and what it may ask.
 *
 * Holds the sync engine's session. "can-close", "can-reopen" and "can-return" say what
 * common/'s policy table (dg-policy.h) lets the signed-in role do, the table the server asks
 * before it runs the same request, and follow the engine as it signs in and out. Closing and
 * reopening a month ask for confirmation in a dialog first; returning a record is sent at once
 * (the records tab has asked for the reason). Each request ends with "finished" and the words
 * for a toast: what was done, or why not. A request that went through is followed by a sync,
 * which brings the server's new states (a returned record) to this device.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"
#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_OFFICE_REQUESTS (dg_office_requests_get_type ())
G_DECLARE_FINAL_TYPE (DgOfficeRequests, dg_office_requests, DG, OFFICE_REQUESTS, GObject)

DgOfficeRequests *dg_office_requests_new            (void);

/* Without an engine every request fails with "sign in first", and none is allowed. */
void              dg_office_requests_set_engine     (DgOfficeRequests *self,
                                                     DgSyncEngine     *engine);

gboolean          dg_office_requests_get_can_close  (DgOfficeRequests *self);
gboolean          dg_office_requests_get_can_reopen (DgOfficeRequests *self);
gboolean          dg_office_requests_get_can_return (DgOfficeRequests *self);

/* Ask "Close @month?" (or "Reopen") over @parent, and send the request if the user agrees.
 * If the server refuses a close over records still returned, a second dialog lists them, named
 * as @report (nullable, the month's report on this device) titles them, and offers to close
 * anyway. */
void              dg_office_requests_close_month    (DgOfficeRequests *self,
                                                     GtkWindow        *parent,
                                                     const char       *month,
                                                     DgMonthReport    *report);
void              dg_office_requests_reopen_month   (DgOfficeRequests *self,
                                                     GtkWindow        *parent,
                                                     const char       *month);
/* @reason: trimmed, not empty. */
void              dg_office_requests_return_record  (DgOfficeRequests *self,
                                                     const char       *record_id,
                                                     const char       *reason);

/* Cancels the requests on their way: their "finished" is not emitted. */
void              dg_office_requests_cancel         (DgOfficeRequests *self);

G_END_DECLS
