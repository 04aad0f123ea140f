/* dg-office-actions.h: what the office asks of the server (design 4).
 *
 *   POST /api/v1/months/YYYY-MM/close    freeze a month (office)
 *   POST /api/v1/months/YYYY-MM/reopen   unfreeze it (administrator)
 *   POST /api/v1/records/ID/return       {"reason"}: back to its author for correction
 *
 *   GET  /api/v1/reports/assessment?month=&format=   the assessment as a file
 *
 * Through a DgApiClient (the engine's, so the configured CA file and the session's token apply).
 * The server's refusals arrive as DG_ERROR with its code (DG_ERROR_FORBIDDEN,
 * DG_ERROR_MONTH_CLOSED, ...) and message; a server that cannot be reached, or whose certificate
 * is not trusted, as DG_API_ERROR (DG_API_ERROR_NETWORK, DG_API_ERROR_CERTIFICATE).
 */
#pragma once

#include <gio/gio.h>

#include "dg-api-client.h"
#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_OFFICE_ACTIONS (dg_office_actions_get_type ())
G_DECLARE_FINAL_TYPE (DgOfficeActions, dg_office_actions, DG, OFFICE_ACTIONS, GObject)

/* @server_url: "http://host:port" (a trailing slash is ignored); @token may be NULL: every call
 * then fails with DG_ERROR_UNAUTHORIZED. */
DgOfficeActions *dg_office_actions_new                 (const char          *server_url,
                                                        const char          *token);
/* The engine's API client: its server URL, CA file and session token, as they change. */
DgOfficeActions *dg_office_actions_new_for_engine      (DgSyncEngine        *engine);
DgOfficeActions *dg_office_actions_new_for_client      (DgApiClient         *api);

const char      *dg_office_actions_get_server_url      (DgOfficeActions     *self);
void             dg_office_actions_set_server_url      (DgOfficeActions     *self,
                                                        const char          *server_url);
const char      *dg_office_actions_get_token           (DgOfficeActions     *self);
void             dg_office_actions_set_token           (DgOfficeActions     *self,
                                                        const char          *token);

/* @force closes even while records of the month are still returned (design 6.7); without it
 * the server refuses such a close with DG_ERROR_CONFLICT, its message counting them. */
void             dg_office_actions_close_month_async   (DgOfficeActions     *self,
                                                        const char          *month,
                                                        gboolean             force,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         dg_office_actions_close_month_finish  (DgOfficeActions     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void             dg_office_actions_reopen_month_async  (DgOfficeActions     *self,
                                                        const char          *month,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         dg_office_actions_reopen_month_finish (DgOfficeActions     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* @reason must not be empty. */
void             dg_office_actions_return_record_async (DgOfficeActions     *self,
                                                        const char          *record_id,
                                                        const char          *reason,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         dg_office_actions_return_record_finish (DgOfficeActions    *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* @format: "json", "csv", "xlsx" or "pdf"; @destination is replaced once the whole file came. */
void             dg_office_actions_download_assessment_async  (DgOfficeActions     *self,
                                                               const char          *month,
                                                               const char          *format,
                                                               GFile               *destination,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean         dg_office_actions_download_assessment_finish (DgOfficeActions     *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
