/* dg-test-client.h: what the client's reliability tests share.
 *
 * A client (local store, token store, sync engine) in a directory of its own, the main-loop
 * waits its async calls need, a view of the road checks a server holds (through the API, as the
 * office), and a CA with a server certificate made by the openssl command line.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-test-server.h"
#include "dg-token-store.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  char         *db_path;
  char         *session_path;
  DgLocalStore *store;
  DgTokenStore *tokens;
  DgSyncEngine *engine;
} DgTestClient;

/* A client whose store and session live in @dir (made if needed). */
DgTestClient *dg_test_client_new          (const char    *dir);
/* Drops the engine and closes the store; the files stay. */
void          dg_test_client_free         (DgTestClient  *client);

gboolean      dg_test_client_sign_in      (DgTestClient  *client,
                                           const char    *url,
                                           const char    *username,
                                           GError       **error);
/* One complete run, waited for on the main context. */
gboolean      dg_test_client_sync         (DgTestClient  *client,
                                           GError       **error);
/* Saves @n new road checks on the bundled district's first road in one transaction; their ids
 * are appended to @ids. */
void          dg_test_client_save_checks  (DgTestClient  *client,
                                           guint          n,
                                           GPtrArray     *ids);

/* A GAsyncReadyCallback that keeps a reference to the result in the GAsyncResult * that
 * @user_data points to, for dg_test_wait_result(). */
void          dg_test_got_result_cb       (GObject       *source,
                                           GAsyncResult  *result,
                                           gpointer       user_data);
/* Iterates the default main context until *@result is set by dg_test_got_result_cb(); returns
 * it (still owned by *@result). */
GAsyncResult *dg_test_wait_result         (GAsyncResult **result);

/* Iterates the default main context until @done is TRUE or @timeout_s passes; returns @done. */
gboolean      dg_test_wait_until          (const gboolean *done,
                                           guint           timeout_s);

/* The road checks the server at @url holds, seen by "office" through GET /api/v1/changes: id →
 * revision (a gint64 in a pointer-sized hash value). An id sent twice in the feed fails the
 * test: the feed holds each record once, at its latest revision. */
GHashTable   *dg_test_held_checks         (SoupSession   *session,
                                           const char    *url);
/* The same, from the feed's position *@since on, into @held, moving *@since to the end. An id
 * already in @held has a new revision since: that fails the test too. */
void          dg_test_held_checks_update  (SoupSession   *session,
                                           const char    *url,
                                           GHashTable    *held,
                                           gint64        *since);

/* Logs @username in (password = user name) at the server at @url; asserts success and returns
 * the token. */
char         *dg_test_process_login       (SoupSession   *session,
                                           const char    *url,
                                           const char    *username);
/* The record @id as @token's user pulls it from the whole feed (its latest revision, a new
 * reference), or NULL. */
JsonObject   *dg_test_pull_record         (SoupSession   *session,
                                           const char    *url,
                                           const char    *token,
                                           const char    *id);

/* Called for each change of the feed, in order. */
typedef void (*DgTestChangeFunc) (JsonObject *change,
                                  gpointer    user_data);
/* Reads the feed of GET /api/v1/changes as @token's user, page by page, from *@since (from the
 * start when @since is NULL) to its end, moving *@since there. */
void          dg_test_walk_feed           (SoupSession      *session,
                                           const char       *url,
                                           const char       *token,
                                           gint64           *since,
                                           DgTestChangeFunc  func,
                                           gpointer          user_data);

/* A server on a CA of its own: a new CA and certificate (dg_test_make_certificates()) and a
 * database (dg_test_make_db()) in @dir, served over HTTPS on 127.0.0.1. *@ca_file gets the
 * CA's PEM file. NULL, with the test skipped, when the openssl command line is missing, or
 * failed when it cannot make the certificates. */
DgTestProcess *dg_test_private_ca_server_start (const char  *dir,
                                                char       **ca_file);

/* dg_test_make_certificates() comes from tests/server/dg-test-server.h. */
/* Removes @path and the files in it (not recursive). */
void          dg_test_remove_dir          (const char    *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgTestClient, dg_test_client_free)

G_END_DECLS
