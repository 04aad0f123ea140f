/* dg-test-server.h: an in-process dustgrid server on loopback, for the server tests.
 *
 * The server runs in its own thread with its own GMainContext (the model is GNOME Calendar's
 * tests/gcal-simple-server.c), so the test's synchronous SoupSession calls talk to it over real
 * HTTP. The database lives in a fresh temporary directory, or, when the suite runs on PostgreSQL,
 * is a new database of its throwaway cluster (dg_test_db_location()).
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "dg-auth.h"
#include "dg-server.h"
#include "dg-store.h"

G_BEGIN_DECLS

/* How many times slower than a plain build this one runs. A bound on the time something takes
 * checks the program's speed, and is scaled by this; one that only keeps a test from hanging
 * is not needed here (meson's timeout does that). Under AddressSanitizer with the slow
 * unwinder ./dev test --sanitize needs for its suppressions (fast_unwind_on_malloc=0), code
 * that allocates much runs about ten times slower. */
#if defined(__SANITIZE_ADDRESS__)
# define DG_TEST_SLOWDOWN 10
#else
# define DG_TEST_SLOWDOWN 1
#endif

typedef struct
{
  char         *dir;
  char         *db_path;
  DgStore      *store;
  DgAuth       *auth;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  DgServer     *server;
  guint         port;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;

  SoupSession  *session;
} DgTestServer;

/* ---- The backend the suite runs on ----
 *
 * DUSTGRID_TEST_BACKEND=postgresql (tests/server/meson.build registers each server suite a
 * second time with it) puts every database of the suite in the throwaway PostgreSQL cluster of
 * dg-test-pg.h; unset, or "sqlite", in SQLite files of the test's temporary directory. */
gboolean      dg_test_backend_is_postgresql (void);
/* Called by a suite's main() after g_test_init(): on PostgreSQL starts the cluster, so that a
 * machine without it fails the suite at once (or, with DUSTGRID_TEST_PG=0, skips it whole). */
void          dg_test_backend_init    (void);
/* Where a test's database named @name lives: @dir/@name on SQLite, a new, empty database of
 * the cluster on PostgreSQL (its postgresql:// URI). */
char         *dg_test_db_location     (const char *dir,
                                       const char *name);
/* Skips the current test on PostgreSQL, saying why (@reason: what it checks that only a
 * SQLite file has); TRUE when it did, and the test should return. */
gboolean      dg_test_skip_on_postgresql (const char *reason);

/* A new database with the sample district and the users inspector, inspector2, office, admin
 * and unit (password = user name; each has the role of its name, inspector2 an inspector's),
 * served on 127.0.0.1 at a free port. */
DgTestServer *dg_test_server_new      (void);
void          dg_test_server_free     (DgTestServer *ts);
/* Stops serving and closes the database, then opens it again and serves it (a restart). */
void          dg_test_server_restart  (DgTestServer *ts);

/* A request: returns the status; *response (if not NULL) gets the parsed JSON body or NULL. */
guint         dg_test_request         (DgTestServer *ts,
                                       const char   *method,
                                       const char   *path,
                                       const char   *token,
                                       const char   *body,
                                       JsonNode    **response);
/* Same, with a body of @length raw bytes. */
guint         dg_test_request_raw     (DgTestServer *ts,
                                       const char   *method,
                                       const char   *path,
                                       const char   *token,
                                       const char   *body,
                                       gsize         length,
                                       JsonNode    **response);
/* Logs in; asserts success and returns the token. */
char         *dg_test_login           (DgTestServer *ts,
                                       const char   *username);

/* The error code of an {"error":{…}} response, or NULL. */
const char   *dg_test_error_code      (JsonNode     *response);

/* ---- The real dustgrid-server binary, as a process ---- */

typedef struct
{
  GSubprocess *process;
  GPid         pid;
  char        *url;           /* "http://127.0.0.1:PORT" (https with TLS) */
  guint        port;
} DgTestProcess;

/* $DUSTGRID_SERVER, or the binary of this build. */
const char    *dg_test_server_binary     (void);
/* A new database at @db_path with the sample district and the users inspector, office and
 * admin (password = user name), hashed at libsodium's minimum cost when @min_hash. */
void           dg_test_make_db           (const char    *db_path,
                                          gboolean       min_hash);
/* Spawns `dustgrid-server serve --db @db_path --port 0` plus @options (NULL-terminated, or NULL), with
 * DUSTGRID_PWHASH_MIN=1 when @min_hash, and waits for its "listening on" line. Its log goes to
 * stderr only when DUSTGRID_TEST_LOG is set. */
DgTestProcess *dg_test_process_start     (const char         *db_path,
                                          gboolean            min_hash,
                                          const char *const  *options);
/* Spawns the NULL-terminated @argv (a `serve` command line of the caller's, argv[0] the binary)
 * and waits for its "listening on" line, like dg_test_process_start(). */
DgTestProcess *dg_test_process_spawn     (const char *const  *argv,
                                          gboolean            min_hash);
/* SIGKILL, and reaps it. */
void           dg_test_process_kill      (DgTestProcess *tp);
/* SIGTERM; returns the exit status (asserting a normal exit). */
int            dg_test_process_stop      (DgTestProcess *tp);
void           dg_test_process_free      (DgTestProcess *tp);
/* The KiB of @field ("VmHWM:", "VmRSS:") in the process's /proc status. */
gsize          dg_test_process_status_kib (DgTestProcess *tp,
                                           const char    *field);
/* Runs the binary with the NULL-terminated arguments; returns its exit status. */
int            dg_test_run_binary        (const char    *first_arg,
                                          ...) G_GNUC_NULL_TERMINATED;

/* A raw TCP connection to 127.0.0.1:@port, for what a real client would never send. */
GSocketConnection *dg_test_connect_raw   (guint              port);
/* Appends to @reply what arrives on @connection until the server closes it (TRUE) or
 * @seconds pass (FALSE). */
gboolean       dg_test_receive           (GSocketConnection *connection,
                                          double             seconds,
                                          GString           *reply);

/* A session with a timeout and no proxy lookup (libproxy costs tens of milliseconds each). */
SoupSession   *dg_test_session_new       (void);

/* Over a SoupSession of the caller's: returns the status, 0 on a transport error (the server
 * went away); *response gets the parsed body or NULL. */
guint          dg_test_http              (SoupSession   *session,
                                          const char    *url,
                                          const char    *method,
                                          const char    *path,
                                          const char    *token,
                                          const char    *body,
                                          JsonNode     **response);

/* PRAGMA integrity_check of the file, opened with SQLite directly: TRUE when "ok". A
 * postgresql:// location has no file to check (the database server recovers its own pages from
 * its WAL): TRUE when the store opens on it and its hash chain verifies. */
gboolean       dg_test_integrity_ok      (const char    *db_path);

/* A road check change with a new id (written to @id, 37 bytes) and a valid body. */
char          *dg_test_new_check         (char          *id,
                                          guint          day);

/* Runs the openssl command line in @dir with the NULL-terminated arguments; FALSE (with its
 * error output as a test message) when it fails. */
gboolean       dg_test_openssl           (const char    *dir,
                                          const char    *first_arg,
                                          ...) G_GNUC_NULL_TERMINATED;
/* A new CA (ca.pem, ca.key) and a certificate for 127.0.0.1 and localhost that it signed
 * (server.pem, server.key), in @dir, made with the openssl command line. FALSE (with a test
 * message) when openssl is missing or fails. */
gboolean       dg_test_make_certificates (const char    *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgTestProcess, dg_test_process_free)

#define DG_TEST_ROAD_ID      "a7b09b31-6ed7-5c2e-b95b-15aca33b9df0"  /* 怡光南路, main */
#define DG_TEST_CELL_ID      "379af3c6-7c80-5699-b5fe-521ba0b6b9f2"  /* G01 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgTestServer, dg_test_server_free)

G_END_DECLS
