/* dg-test-pg.c: a throwaway PostgreSQL cluster for the tests (see dg-test-pg.h). */
#include "config.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "dg-test-pg.h"

static GMutex cluster_lock;
static char *cluster_dir;       /* the temporary directory: data/, the socket, the log */
static char *cluster_error;     /* why it could not start, once it failed */
static guint n_databases;

const char *
dg_test_pg_bindir (void)
{
  const char *dir = g_getenv ("DUSTGRID_PG_BINDIR");

  return dir != NULL && *dir != '\0' ? dir : "/usr/lib/postgresql/15/bin";
}

gboolean
dg_test_pg_optional (void)
{
  return g_strcmp0 (g_getenv ("DUSTGRID_TEST_PG"), "0") == 0;
}

/* initdb and the server refuse to run as root: as root, they run as `postgres`. */
static GPtrArray *
pg_argv (const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (geteuid () == 0)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (dg_test_pg_bindir (), program, NULL));
  return argv;
}

/* Runs @argv (NULL-terminated once it returns); FALSE with the program's output in *why_not. */
static gboolean
run (GPtrArray  *argv,
     char      **why_not)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, &error) ||
      !g_spawn_check_wait_status (status, error != NULL ? NULL : &error))
    {
      *why_not = g_strdup_printf ("%s: %s\n%s%s", (char *) argv->pdata[0],
                                  error != NULL ? error->message : "failed",
                                  out != NULL ? out : "", err != NULL ? err : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_ctl (const char  *action,
        const char  *mode,
        char       **why_not)
{
  g_autoptr(GPtrArray) argv = pg_argv ("pg_ctl");
  g_autofree char *data = g_build_filename (cluster_dir, "data", NULL);
  g_autofree char *log = g_build_filename (cluster_dir, "log", NULL);

  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (data));
  g_ptr_array_add (argv, g_strdup ("-s"));
  if (g_str_equal (action, "start"))
    {
      /* A socket in the cluster's own directory and no TCP at all: nothing else on the machine
       * can reach it, and two suites never fight over a port. */
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (log));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("-c listen_addresses='' -k %s", cluster_dir));
    }
  if (mode != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-m"));
      g_ptr_array_add (argv, g_strdup (mode));
    }
  /* -w: start returns once the server accepts connections, stop once it is gone. */
  g_ptr_array_add (argv, g_strdup ("-w"));
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup ("120"));
  g_ptr_array_add (argv, g_strdup (action));
  return run (argv, why_not);
}

static void
stop_cluster (void)
{
  g_autofree char *why_not = NULL;

  g_mutex_lock (&cluster_lock);
  if (cluster_dir != NULL)
    {
      g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", cluster_dir);

      pg_ctl ("stop", "immediate", &why_not);
      if (system (rm) != 0)
        g_printerr ("could not remove %s\n", cluster_dir);
      g_clear_pointer (&cluster_dir, g_free);
    }
  g_mutex_unlock (&cluster_lock);
}

static void
watchdog_setup (gpointer data)
{
  setsid ();
}

/* A process of its own session (so that meson's kill of the test's process group leaves it)
 * that waits for this one to end, however it ends, then stops the cluster and removes its
 * directory; after a normal exit stop_cluster() has done both and it finds nothing to do. */
static void
start_watchdog (void)
{
  g_autoptr(GPtrArray) stop = pg_argv ("pg_ctl");
  g_autofree char *stop_line = NULL;
  g_autofree char *script = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  const char *argv[] = { "/bin/sh", "-c", NULL, "dg-test-pg-watchdog", NULL, NULL };

  g_ptr_array_add (stop, NULL);
  stop_line = g_strjoinv ("' '", (char **) stop->pdata);
  script = g_strdup_printf ("exec </dev/null >/dev/null 2>&1; "
                            "while kill -0 \"$1\"; do sleep 1; done; "
                            "'%s' -D '%s/data' -m immediate -w stop; rm -rf '%s'",
                            stop_line, cluster_dir, cluster_dir);
  argv[2] = script;
  argv[4] = pid;
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                 G_SPAWN_STDERR_TO_DEV_NULL, watchdog_setup, NULL, NULL, NULL);
}

static gboolean
start_cluster (char **why_not)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) initdb = pg_argv ("initdb");
  g_autofree char *initdb_path = g_build_filename (dg_test_pg_bindir (), "initdb", NULL);
  g_autofree char *data = NULL;

  if (!g_file_test (initdb_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      *why_not = g_strdup_printf ("no %s (Debian's postgresql package)", initdb_path);
      return FALSE;
    }

  cluster_dir = g_dir_make_tmp ("dustgrid-pg-XXXXXX", &error);
  if (cluster_dir == NULL)
    {
      *why_not = g_strdup (error->message);
      return FALSE;
    }
  /* As root the cluster's user must own its directory (root reaches the socket anyway). */
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL || chown (cluster_dir, pw->pw_uid, pw->pw_gid) != 0)
        {
          *why_not = g_strdup ("running as root, and there is no `postgres` user to run "
                               "the cluster as");
          return FALSE;
        }
    }
  start_watchdog ();
  atexit (stop_cluster);

  data = g_build_filename (cluster_dir, "data", NULL);
  g_ptr_array_add (initdb, g_strdup ("-D"));
  g_ptr_array_add (initdb, g_strdup (data));
  g_ptr_array_add (initdb, g_strdup ("--auth=trust"));
  g_ptr_array_add (initdb, g_strdup ("--username=postgres"));
  g_ptr_array_add (initdb, g_strdup ("--encoding=UTF8"));
  g_ptr_array_add (initdb, g_strdup ("--locale=C.UTF-8"));
  /* A throwaway cluster need not wait for the disk while it is made. */
  g_ptr_array_add (initdb, g_strdup ("--no-sync"));
  return run (initdb, why_not) && pg_ctl ("start", NULL, why_not);
}

const char *
dg_test_pg_cluster (char **why_not)
{
  const char *dir;

  g_mutex_lock (&cluster_lock);
  if (cluster_dir == NULL && cluster_error == NULL && !start_cluster (&cluster_error))
    g_clear_pointer (&cluster_dir, g_free);
  dir = cluster_dir;
  if (dir == NULL && why_not != NULL)
    *why_not = g_strdup (cluster_error);
  g_mutex_unlock (&cluster_lock);

  return dir;
}

char *
dg_test_pg_new_database (const char *what)
{
  g_autofree char *why_not = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;
  const char *dir = dg_test_pg_cluster (&why_not);
  PGconn *conn;
  PGresult *result;
  gboolean ok;

  if (dir == NULL)
    g_error ("no PostgreSQL cluster for the tests: %s", why_not);

  /* The name is the test's own making (letters, digits, '_'), never anyone's input. */
  g_mutex_lock (&cluster_lock);
  name = g_strdup_printf ("dg_%d_%u_%s", (int) getpid (), ++n_databases, what);
  g_mutex_unlock (&cluster_lock);
  g_strcanon (name, "abcdefghijklmnopqrstuvwxyz0123456789_", '_');

  conninfo = g_strdup_printf ("host=%s dbname=postgres user=postgres", dir);
  conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test cluster: %s", PQerrorMessage (conn));
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  result = PQexec (conn, sql);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);

  return g_strdup_printf ("postgresql:///%s?host=%s&user=postgres", name, dir);
}

void
dg_test_pg_crash_restart (void)
{
  g_autofree char *why_not = NULL;

  g_assert_nonnull (dg_test_pg_cluster (NULL));
  g_mutex_lock (&cluster_lock);
  if (!pg_ctl ("stop", "immediate", &why_not) || !pg_ctl ("start", NULL, &why_not))
    g_error ("restarting the test cluster: %s", why_not);
  g_mutex_unlock (&cluster_lock);
}
