/* dg-server.h: the HTTP API of design section 4, on libsoup 3.
 *
 * Requests are parsed on the main loop; everything that blocks (SQLite, Argon2) runs in a GTask
 * thread while the message is paused, and the response is set back on the main loop.
 */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

#include "dg-auth.h"
#include "dg-store.h"

G_BEGIN_DECLS

#define DG_TYPE_SERVER (dg_server_get_type ())
G_DECLARE_FINAL_TYPE (DgServer, dg_server, DG, SERVER, GObject)

/* The largest body of a route that needs little (a login, a reason): room for its strings at
 * DG_MAX_STRING_BYTES each, every byte escaped, and no more. */
#define DG_SERVER_MAX_SMALL_BODY (16 * 1024)

/* One row of the route table. Who may call it is dg_policy_allows (role, @action,
 * DG_SCOPE_ANY); DG_ACTION_PUBLIC needs no token. In @pattern, "{id}" stands for a record id
 * and "{month}" for YYYY-MM. A body longer than @max_body bytes is answered 413 as soon as
 * that much has arrived (or been announced), before any login; a request on no route may
 * send DG_SERVER_MAX_SMALL_BODY. */
typedef struct
{
  const char *method;
  const char *pattern;
  DgAction    action;
  gsize       max_body;
  gpointer    handler;   /* internal */
} DgRoute;

const DgRoute *dg_server_get_routes       (guint        *n_routes);

DgServer   *dg_server_new                 (DgStore      *store,
                                           DgAuth       *auth);
/* Before listening: serve HTTPS with this certificate and key (PEM files). While serving HTTPS:
 * replace the certificate for the connections accepted from now on (a renewal). On an error the
 * certificate in use stays. */
gboolean    dg_server_set_tls_files       (DgServer     *self,
                                           const char   *cert_path,
                                           const char   *key_path,
                                           GError      **error);
/* Listens on @address (an IP address or "localhost") and @port (0: any free port), in the
 * thread-default main context. */
gboolean    dg_server_listen              (DgServer     *self,
                                           const char   *address,
                                           guint         port,
                                           GError      **error);
/* "http://127.0.0.1:8470", once listening. */
char       *dg_server_get_url             (DgServer     *self);
guint       dg_server_get_port            (DgServer     *self);
/* Whether to write one line per request on stderr (default TRUE). */
void        dg_server_set_log_requests    (DgServer     *self,
                                           gboolean      log_requests);

/* A connection whose next request has not arrived whole within this many seconds is closed:
 * its headers within @seconds of the connection opening or of the previous response, each
 * piece of its body within @seconds of the one before. 0 never closes one. Takes effect for
 * requests started after the call. */
#define DG_SERVER_DEFAULT_IDLE_TIMEOUT 60
void        dg_server_set_idle_timeout    (DgServer     *self,
                                           guint         seconds);
guint       dg_server_get_idle_timeout    (DgServer     *self);

/* Starts a graceful shutdown: the server stops accepting connections, and refuses with 503
 * the requests that begin after this; those whose headers had already arrived are read, run
 * and answered. Poll dg_server_get_n_unanswered() until it is 0 (with a bound: a client may
 * never finish sending), then dg_server_disconnect(). dg_server_get_n_in_flight() counts only
 * the requests running in worker threads. */
void        dg_server_begin_shutdown      (DgServer     *self);
guint       dg_server_get_n_unanswered    (DgServer     *self);
guint       dg_server_get_n_in_flight     (DgServer     *self);
void        dg_server_disconnect          (DgServer     *self);

G_END_DECLS
