/* dg-api-client.h: the one road from the app to the server's API (design 4).
 *
 * One SoupSession, the server's base URL, the CA file its certificate must chain to and the
 * bearer token, for every call the app makes: sign-in, sync, the office's actions and downloads.
 * The blocking calls are for worker threads (a sync run); every _async call runs in a worker
 * thread too, so nothing waits on the network in the main loop.
 *
 * Errors:
 *   - the server's refusals, {"error":{"code",...}}, arrive as DG_ERROR with the server's code
 *     (DG_ERROR_FORBIDDEN, DG_ERROR_MONTH_CLOSED, ...) and message; a 401 without a readable
 *     body is DG_ERROR_UNAUTHORIZED as well;
 *   - everything between us and the server is DG_API_ERROR, a certificate that is not trusted
 *     (or a CA file that cannot be read) kept apart from a server that cannot be reached;
 *   - a cancelled call is G_IO_ERROR_CANCELLED.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dg-admin.h"

G_BEGIN_DECLS

#define DG_API_ERROR (dg_api_error_quark ())

typedef enum
{
  DG_API_ERROR_NETWORK,       /* the connection failed or timed out */
  DG_API_ERROR_CERTIFICATE,   /* the server's TLS certificate is not trusted, or the CA file
                               * cannot be read */
  DG_API_ERROR_INVALID_URL,   /* no base URL, or one that is not http(s)://host[:port] */
  DG_API_ERROR_SERVER,        /* a 5xx answer without the server's error object (a proxy) */
  DG_API_ERROR_PROTOCOL,      /* another status without an error object, or an answer that
                               * cannot be read */
} DgApiError;

GQuark dg_api_error_quark (void);

typedef enum
{
  DG_API_CALL_DEFAULT   = 0,
  DG_API_CALL_ANONYMOUS = 1 << 0,  /* no Authorization header (POST /api/v1/login) */
} DgApiCallFlags;

#define DG_TYPE_API_CLIENT (dg_api_client_get_type ())
G_DECLARE_FINAL_TYPE (DgApiClient, dg_api_client, DG, API_CLIENT, GObject)

/* @base_url: "https://host:port" (trailing slashes are dropped); may be NULL. */
DgApiClient *dg_api_client_new              (const char      *base_url);

/* The getters return a copy: a worker may be reading them while the main thread sets them. */
char        *dg_api_client_dup_base_url     (DgApiClient     *self);
void         dg_api_client_set_base_url     (DgApiClient     *self,
                                             const char      *base_url);
/* A PEM file of the CAs the server's certificate must chain to; "" or NULL for the system's. */
char        *dg_api_client_dup_ca_file      (DgApiClient     *self);
void         dg_api_client_set_ca_file      (DgApiClient     *self,
                                             const char      *ca_file);
char        *dg_api_client_dup_token        (DgApiClient     *self);
void         dg_api_client_set_token        (DgApiClient     *self,
                                             const char      *token);
gboolean     dg_api_client_has_token        (DgApiClient     *self);

/* One request to @path ("/api/v1/..."), with @body (JSON text, may be NULL) and answered with a
 * JSON object. Blocks: for worker threads. */
JsonNode    *dg_api_client_call             (DgApiClient     *self,
                                             DgApiCallFlags   flags,
                                             const char      *method,
                                             const char      *path,
                                             const char      *body,
                                             GCancellable    *cancellable,
                                             GError         **error);
void         dg_api_client_call_async       (DgApiClient         *self,
                                             DgApiCallFlags       flags,
                                             const char          *method,
                                             const char          *path,
                                             JsonNode            *body,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonNode    *dg_api_client_call_finish      (DgApiClient     *self,
                                             GAsyncResult    *result,
                                             GError         **error);

/* POST /api/v1/password {"old_password","new_password"}: the answer of a login, with the fresh
 * token that replaces this session's (the server revokes every other token of the user). A wrong
 * @old_password is DG_ERROR_UNAUTHORIZED, a weak @new_password DG_ERROR_INVALID_FIELD on
 * "new_password". The passwords do not stay in freed memory. Blocks: for worker threads. */
JsonNode    *dg_api_client_change_password  (DgApiClient     *self,
                                             const char      *old_password,
                                             const char      *new_password,
                                             GCancellable    *cancellable,
                                             GError         **error);

/* POST /api/v1/logout with @token (not the client's, which signing out has already dropped):
 * the server revokes it. */
void         dg_api_client_logout_async       (DgApiClient         *self,
                                               const char          *token,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean     dg_api_client_logout_finish      (DgApiClient     *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* The administrator's user routes (design 6.1), each in a worker thread. A user name is
 * percent-encoded into the path here. Refusals as above: DG_ERROR_CONFLICT (a name taken, or no
 * administrator left), DG_ERROR_INVALID_FIELD with its field, DG_ERROR_FORBIDDEN. */
/* GET /api/v1/users: a GPtrArray of DgUser, by name. */
void         dg_api_client_list_users_async   (DgApiClient         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray   *dg_api_client_list_users_finish  (DgApiClient     *self,
                                               GAsyncResult    *result,
                                               GError         **error);
/* POST /api/v1/users: @user's name, role, display name and unit, with @password. */
void         dg_api_client_create_user_async  (DgApiClient         *self,
                                               const DgUser        *user,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* PATCH /api/v1/users/@username with the members @patch sets. */
void         dg_api_client_patch_user_async   (DgApiClient         *self,
                                               const char          *username,
                                               const DgUserPatch   *patch,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The user as the server now holds it, after a create or a patch. */
DgUser      *dg_api_client_user_finish        (DgApiClient     *self,
                                               GAsyncResult    *result,
                                               GError         **error);
/* POST /api/v1/users/@username/revoke: the number of sessions ended, or -1 with @error. */
void         dg_api_client_revoke_user_async  (DgApiClient         *self,
                                               const char          *username,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gint64       dg_api_client_revoke_user_finish (DgApiClient     *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* GET @path into @destination (replaced only when the whole answer arrived); errors as above,
 * or G_IO_ERROR for the file. */
gboolean     dg_api_client_download         (DgApiClient     *self,
                                             const char      *path,
                                             GFile           *destination,
                                             GCancellable    *cancellable,
                                             GError         **error);
void         dg_api_client_download_async   (DgApiClient         *self,
                                             const char          *path,
                                             GFile               *destination,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     dg_api_client_download_finish  (DgApiClient     *self,
                                             GAsyncResult    *result,
                                             GError         **error);

G_END_DECLS
