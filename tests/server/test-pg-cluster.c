/* test-pg-cluster.c: the throwaway PostgreSQL cluster of the PostgreSQL tests (dg-test-pg.c)
 * runs, on a unix socket only, and hands out databases of its own. */
#include "config.h"

#include <string.h>

#include <libpq-fe.h>

#include "dg-test-pg.h"

static void
test_socket_only (void)
{
  g_autofree char *why_not = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *other = NULL;
  const char *dir = dg_test_pg_cluster (&why_not);
  PGconn *conn;
  PGresult *result;

  if (dir == NULL && dg_test_pg_optional ())
    {
      g_test_skip (why_not);
      return;
    }
  g_assert_nonnull (dir);

  uri = dg_test_pg_new_database ("cluster");
  other = dg_test_pg_new_database ("cluster");
  g_assert_cmpstr (uri, !=, other);

  /* PQconnectdb takes the URI the server's --db takes. */
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, "SELECT current_setting ('listen_addresses'),"
                         " current_setting ('server_encoding'), current_database ()");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "UTF8");
  g_assert_nonnull (strstr (uri, PQgetvalue (result, 0, 2)));
  PQclear (result);
  PQfinish (conn);
}

/* After an immediate stop and a start, the cluster has what was committed. */
static void
test_crash_restart (void)
{
  g_autofree char *why_not = NULL;
  g_autofree char *uri = NULL;
  PGconn *conn;
  PGresult *result;

  if (dg_test_pg_cluster (&why_not) == NULL && dg_test_pg_optional ())
    {
      g_test_skip (why_not);
      return;
    }

  uri = dg_test_pg_new_database ("restart");
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PQclear (PQexec (conn, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42)"));
  PQfinish (conn);

  dg_test_pg_crash_restart ();

  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, "SELECT x FROM t");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "42");
  PQclear (result);
  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg/cluster/socket-only-databases-apart", test_socket_only);
  g_test_add_func ("/pg/cluster/crash-restart-keeps-commits", test_crash_restart);

  return g_test_run ();
}
