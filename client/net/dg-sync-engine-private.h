/* dg-sync-engine-private.h: what the parts of DgSyncEngine share.
 *
 * dg-sync-engine.c runs the sync (the worker thread, the state, the timers);
 * dg-sync-engine-session.c signs in, changes the password and signs out.
 */
#pragma once

#include "dg-api-client.h"
#include "dg-sync-engine.h"

G_BEGIN_DECLS

struct _DgSyncEngine
{
  GObject          parent_instance;

  DgLocalStore    *store;
  DgTokenStore    *tokens;
  DgApiClient     *api;            /* shared with the office's actions */
  GMainContext    *context;
  GCancellable    *cancellable;

  char            *server_url;
  char            *ca_file;        /* "" or NULL: the system's CAs */
  guint            interval;

  DgSyncState      state;
  guint            n_pending;
  double           progress;
  char            *message;

  gboolean         started;
  gboolean         running;
  GList           *waiting;        /* GTask * of sync_async callers for the next run */
  GList           *current;        /* GTask * completed by the run in progress */
  gboolean         again;          /* an automatic request arrived during a run */
  guint            failures;

  guint            debounce_id;
  guint            retry_id;
  guint            periodic_id;
  gulong           network_id;
};

/* Main thread: the state the header bar shows, and its message. */
void         dg_sync_engine_set_state        (DgSyncEngine    *self,
                                              DgSyncState      state,
                                              const char      *message);
void         dg_sync_engine_update_pending   (DgSyncEngine    *self);
/* The resting state between runs. */
DgSyncState  dg_sync_engine_idle_state       (DgSyncEngine    *self);
void         dg_sync_engine_notify_signed_in (DgSyncEngine    *self);

/* Any thread: a DgApiClient call's error (taken) in DG_SYNC_ERROR terms, which the state and
 * the sign-in dialog read; a cancelled call stays G_IO_ERROR_CANCELLED. */
GError      *dg_sync_engine_error_from_api   (GError          *api_error);

G_END_DECLS
