/* dg-test-pg.h: a throwaway PostgreSQL cluster for the tests that run against the PostgreSQL
 * backend (design 6.5).
 *
 * The first call makes one cluster for the test process: initdb (--auth=trust) and pg_ctl from
 * Debian's postgresql package, run as the `postgres` user when the suite runs as root, in a
 * fresh temporary directory that also holds its unix socket; no TCP (listen_addresses=''). It is
 * stopped and removed when the process exits, and by a watchdog of its own when the process dies
 * without exiting (an assertion's abort, meson's timeout): no cluster outlives its suite.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the binaries are: $DUSTGRID_PG_BINDIR, else Debian's PostgreSQL 15. */
const char *dg_test_pg_bindir        (void);
/* The cluster's socket directory, starting the cluster at the first call. NULL, with *why_not,
 * when PostgreSQL cannot run here: the caller fails, unless DUSTGRID_TEST_PG=0 says the machine
 * has no PostgreSQL on purpose (then it skips). */
const char *dg_test_pg_cluster       (char       **why_not);
/* A new, empty database in the cluster: its postgresql:// URI. Fails the test when the cluster
 * cannot run (see dg_test_pg_cluster()). */
char       *dg_test_pg_new_database  (const char  *what);
/* Whether the PostgreSQL tests may be skipped when the cluster cannot run (DUSTGRID_TEST_PG=0). */
gboolean    dg_test_pg_optional      (void);
/* Stops the cluster in immediate mode (no checkpoint: it recovers from its WAL at the start, as
 * after a crash) and starts it again on the same data: what a database server's crash and
 * restart does to a connected server. */
void        dg_test_pg_crash_restart (void);

G_END_DECLS
