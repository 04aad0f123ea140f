/* dg-routes.h: the route handlers the route table of dg-server.c names, one group per file.
 *
 * Each is a DgRouteHandler: it runs in a worker thread once the caller's token and the
 * route's action have been checked against the policy, and fills in @req's answer. A handler
 * that needs more than the route's action (a record's author) asks dg_policy_allows() itself.
 */
#pragma once

#include "dg-server-private.h"

G_BEGIN_DECLS

/* dg-routes-auth.c */
void dg_route_login          (DgRequest *req, GError **error);
void dg_route_logout         (DgRequest *req, GError **error);
/* Answers a new session: {"token","role","username","expires_at"}, as a login does. */
void dg_route_answer_session (DgRequest  *req,
                              const char *token,
                              DgRole      role,
                              const char *username,
                              const char *expires_at);

/* dg-routes-records.c */
void dg_route_push_changes   (DgRequest *req, GError **error);
void dg_route_pull_changes   (DgRequest *req, GError **error);
void dg_route_record_history (DgRequest *req, GError **error);
void dg_route_return_record  (DgRequest *req, GError **error);
void dg_route_void_record    (DgRequest *req, GError **error);

/* dg-routes-attachments.c */
void dg_route_put_attachment  (DgRequest *req, GError **error);
void dg_route_get_attachment  (DgRequest *req, GError **error);
void dg_route_attachment_meta (DgRequest *req, GError **error);

/* dg-routes-months.c */
void dg_route_close_month    (DgRequest *req, GError **error);
void dg_route_reopen_month   (DgRequest *req, GError **error);

/* dg-routes-reports.c */
/* The unit a `unit` caller is bound to, in *unit_id (NULL: none, or another role); FALSE with
 * DG_ERROR_UNAUTHORIZED when the user went since its token was checked. */
gboolean dg_route_caller_unit (DgRequest  *req,
                               char      **unit_id,
                               GError    **error);
void dg_route_dustfall       (DgRequest *req, GError **error);
void dg_route_roads          (DgRequest *req, GError **error);
void dg_route_quota          (DgRequest *req, GError **error);
void dg_route_assessment     (DgRequest *req, GError **error);
void dg_route_units          (DgRequest *req, GError **error);
void dg_route_bulletin       (DgRequest *req, GError **error);

/* dg-routes-rectifications.c */
void dg_route_issue_rectification   (DgRequest *req, GError **error);
void dg_route_list_rectifications   (DgRequest *req, GError **error);
void dg_route_respond_rectification (DgRequest *req, GError **error);
void dg_route_close_rectification   (DgRequest *req, GError **error);

/* dg-routes-users.c */
void dg_route_list_users      (DgRequest *req, GError **error);
void dg_route_create_user     (DgRequest *req, GError **error);
void dg_route_update_user     (DgRequest *req, GError **error);
void dg_route_revoke_user     (DgRequest *req, GError **error);
void dg_route_change_password (DgRequest *req, GError **error);
void dg_route_read_audit      (DgRequest *req, GError **error);

G_END_DECLS
