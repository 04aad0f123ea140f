/* dg-test-client.h: what the client's tests share.
 *
 * A client (local store, token store, sync engine) in a directory of its own, the app's window
 * on a first start offline, a widget shown in a window of its own, the main-loop waits their
 * async calls and widgets need, road checks as the editor builds them, and, against the real
 * server (tests/server/dg-test-server.h starts it): logins, the feed, the road checks a server
 * holds (as the office sees them), and a server on a CA of its own.
 */
#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-test-server.h"
#include "dg-token-store.h"
#include "dg-window.h"

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
/* The same, asserting that it succeeded and left nothing in the outbox. */
void          dg_test_client_sync_ok      (DgTestClient  *client);
/* Saves @n new road checks on the bundled district's first road in one transaction; their ids
 * are appended to @ids. */
void          dg_test_client_save_checks  (DgTestClient  *client,
                                           guint          n,
                                           GPtrArray     *ids);

/* A road check on @date of @n_points points on the main surface at K0+100, 1 m² each, @mass
 * grams each, as the editor builds it; and the same as the record's data object. */
DgRoadCheck  *dg_test_road_check          (const char    *id,
                                           const char    *road_id,
                                           const char    *date,
                                           guint          n_points,
                                           double         mass);
JsonObject   *dg_test_road_check_data     (const char    *id,
                                           const char    *road_id,
                                           const char    *date,
                                           guint          n_points,
                                           double         mass);

/* ---- The window ---- */

/* g_test_init() with isolated directories for a test of widgets, and GTK and libadwaita
 * initialised, the texts in the source language (LANGUAGE=C, so that tests can check them),
 * and without the AT-SPI bridge when there is no session bus (plain xvfb-run), where it would
 * warn, fatally in a test. */
void          dg_test_init_gtk            (int           *argc,
                                           char        ***argv);

/* The app's window on a first start offline (no server, no session, only the bundled district,
 * the store at its default path). A g_test_add() fixture. */
typedef struct
{
  DgLocalStore *store;
  DgTokenStore *tokens;
  DgSyncEngine *engine;
  DgWindow     *window;
} DgTestWindow;

/* Opens the store, makes the window, presents it and runs the main loop for 100 ms. */
void          dg_test_window_setup        (DgTestWindow  *fixture,
                                           gconstpointer  user_data);
/* Destroys the window, runs the main loop for 50 ms and drops the rest. */
void          dg_test_window_teardown     (DgTestWindow  *fixture,
                                           gconstpointer  user_data);
/* Whether the window (a DgWindow) is ready and its pages have answered their worker-thread
 * reads: a test looks once they have. */
gboolean      dg_test_window_pages_idle   (gpointer       window);
/* @child in a window of its own of @width × @height, presented; waits until it is mapped and
 * has a width. Returns the window. */
GtkWidget    *dg_test_show_in_window      (GtkWidget     *child,
                                           int            width,
                                           int            height);

/* Chooses the first road in @editor's picker and types @n points from the keyboard's way in
 * (location, Enter, Enter, mass, Enter), masses 1.1, 1.2, …: what an inspector types. */
void          dg_test_type_points         (DgCheckEditor *editor,
                                           guint          n);
/* Waits for the AdwMessageDialog on screen and gives it @response: FALSE when none shows
 * within 2 s. */
gboolean      dg_test_answer_dialog       (const char    *response);

/* ---- Waiting on the main loop ---- */

/* Runs the main loop for @ms, sleeping while nothing is due (a busy loop would take a core
 * from the server process some tests talk to). */
void          dg_test_spin                (guint          ms);
/* Runs what is due until nothing is. */
void          dg_test_spin_until_idle     (void);
/* Runs the main loop until @predicate (@data) holds: FALSE when @timeout_ms (times
 * DG_TEST_SLOWDOWN) passes first. */
gboolean      dg_test_spin_until          (gboolean     (*predicate) (gpointer),
                                           gpointer       data,
                                           guint          timeout_ms);
/* Runs the main loop until *@flag; fails the test when @timeout_ms (times DG_TEST_SLOWDOWN)
 * passes first. */
void          dg_test_spin_until_true     (const gboolean *flag,
                                           guint           timeout_ms);

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
/* Removes @path and everything in it (folders too; links are removed, not followed). */
void          dg_test_remove_dir          (const char    *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgTestClient, dg_test_client_free)

G_END_DECLS
