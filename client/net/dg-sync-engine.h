/* dg-sync-engine.h: background synchronisation of the local store with the server (design 5).
 *
 * Pushes the outbox in batches of at most DG_SYNC_BATCH changes, then pulls until "more" is
 * false. The HTTP and SQLite work runs in a worker thread; state changes are reported on the
 * main context the engine was made in. Runs are started on demand, shortly after a save, on a
 * timer and when the network comes back; failures back off exponentially from 2 s to 5 min.
 */
#pragma once

#include <gio/gio.h>

#include "dg-api-client.h"
#include "dg-local-store.h"
#include "dg-token-store.h"

G_BEGIN_DECLS

#define DG_SYNC_BATCH 500

typedef enum
{
  DG_SYNC_STATE_SIGNED_OUT,       /* no session: records stay local */
  DG_SYNC_STATE_SYNCED,
  DG_SYNC_STATE_PENDING,          /* local edits wait in the outbox */
  DG_SYNC_STATE_SYNCING,
  DG_SYNC_STATE_OFFLINE,          /* the server cannot be reached */
  DG_SYNC_STATE_ERROR,            /* the server answered with an error: see message */
  DG_SYNC_STATE_SIGN_IN_REQUIRED, /* the token was refused (401) */
} DgSyncState;

#define DG_TYPE_SYNC_STATE (dg_sync_state_get_type ())
GType dg_sync_state_get_type (void);

#define DG_SYNC_ERROR (dg_sync_error_quark ())

typedef enum
{
  DG_SYNC_ERROR_NOT_SIGNED_IN,
  DG_SYNC_ERROR_NETWORK,          /* connection failed or timed out */
  DG_SYNC_ERROR_SERVER,           /* 5xx */
  DG_SYNC_ERROR_UNAUTHORIZED,     /* 401 */
  DG_SYNC_ERROR_PROTOCOL,         /* another status, or an answer we cannot read */
  DG_SYNC_ERROR_OTHER_USER,       /* another user's changes still wait on this device */
  DG_SYNC_ERROR_CERTIFICATE,      /* the server's TLS certificate is not trusted, or the CA
                                   * file cannot be read */
} DgSyncError;

GQuark dg_sync_error_quark (void);

#define DG_TYPE_SYNC_ENGINE (dg_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (DgSyncEngine, dg_sync_engine, DG, SYNC_ENGINE, GObject)

DgSyncEngine  *dg_sync_engine_new             (DgLocalStore  *store,
                                               DgTokenStore  *tokens);

DgLocalStore  *dg_sync_engine_get_store       (DgSyncEngine  *self);
DgTokenStore  *dg_sync_engine_get_tokens      (DgSyncEngine  *self);
/* The one API client the engine's runs and sign-in use, following its server URL, CA file and
 * token: the office's actions share it. */
DgApiClient   *dg_sync_engine_get_api_client  (DgSyncEngine  *self);

const char    *dg_sync_engine_get_server_url  (DgSyncEngine  *self);
void           dg_sync_engine_set_server_url  (DgSyncEngine  *self,
                                               const char    *server_url);
/* A PEM file of the CAs the server's certificate must chain to; "" for the system's CAs. */
const char    *dg_sync_engine_get_ca_file     (DgSyncEngine  *self);
void           dg_sync_engine_set_ca_file     (DgSyncEngine  *self,
                                               const char    *ca_file);
guint          dg_sync_engine_get_interval    (DgSyncEngine  *self);
void           dg_sync_engine_set_interval    (DgSyncEngine  *self,
                                               guint          seconds);

DgSyncState    dg_sync_engine_get_state       (DgSyncEngine  *self);
guint          dg_sync_engine_get_n_pending   (DgSyncEngine  *self);
/* 0..1 while syncing (push), -1 when unknown (pull). */
double         dg_sync_engine_get_progress    (DgSyncEngine  *self);
/* The reason of an error, or NULL. */
const char    *dg_sync_engine_get_message     (DgSyncEngine  *self);
gboolean       dg_sync_engine_get_signed_in   (DgSyncEngine  *self);

/* Starts the automatic runs: after saves (debounced), every interval, on network return. */
void           dg_sync_engine_start           (DgSyncEngine  *self);
/* A run as soon as possible, skipping any back-off wait. */
void           dg_sync_engine_sync_now        (DgSyncEngine  *self);

/* One complete run (push then pull). When a run is in progress, completes after the next. */
void           dg_sync_engine_sync_async      (DgSyncEngine        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       dg_sync_engine_sync_finish     (DgSyncEngine  *self,
                                               GAsyncResult  *result,
                                               GError       **error);

/* POST /api/v1/login; on success the token is stored and a sync follows. */
void           dg_sync_engine_sign_in_async   (DgSyncEngine        *self,
                                               const char          *server_url,
                                               const char          *username,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       dg_sync_engine_sign_in_finish  (DgSyncEngine  *self,
                                               GAsyncResult  *result,
                                               GError       **error);
void           dg_sync_engine_sign_out        (DgSyncEngine  *self);
/* POST /api/v1/password as the signed-in user; on success the fresh token the server answers
 * with replaces the stored one (the server has revoked every other). Errors are the API
 * client's: DG_ERROR_UNAUTHORIZED for a wrong @old_password, DG_ERROR_INVALID_FIELD on
 * "new_password"; DG_SYNC_ERROR_NOT_SIGNED_IN without a session. */
void           dg_sync_engine_change_password_async  (DgSyncEngine        *self,
                                                      const char          *old_password,
                                                      const char          *new_password,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean       dg_sync_engine_change_password_finish (DgSyncEngine  *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);

/* The wait before retry number @failures (1, 2, …): 2 s doubling to 5 min, with ±20 % jitter
 * from @random in [0, 1). */
guint          dg_sync_engine_backoff_ms      (guint          failures,
                                               double         random);

G_END_DECLS
