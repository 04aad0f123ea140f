/* test-deploy.c: the server as the Debian package runs it.
 *
 * The systemd units of data/systemd (as this build configured them) are read, and their
 * ExecStart command lines run by hand, with the settings file the package ships: the service
 * must tell systemd it is ready (sd_notify, over a NOTIFY_SOCKET made here, as systemd makes
 * one) and answer /healthz; the nightly backup's command must leave a verified copy that a
 * server started on it serves; a database an older release wrote is migrated on start, its old
 * file kept beside it. $DUSTGRID_SERVER points the tests at an installed binary (./dev
 * package runs them so against the one unpacked from the .deb).
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dg-store.h"
#include "dg-test-server.h"

#define SHIPPED_CONFIG "/etc/dustgrid/server.conf"
#define SHIPPED_BACKUP_DIR "/var/lib/dustgrid/backups"

/* The units and the settings file of this build, or of an unpacked package ($DUSTGRID_UNIT_DIR,
 * $DUSTGRID_SHIPPED_CONFIG). */
static char *
unit_path (const char *built_path)
{
  const char *dir = g_getenv ("DUSTGRID_UNIT_DIR");
  g_autofree char *name = g_path_get_basename (built_path);

  return dir != NULL ? g_build_filename (dir, name, NULL) : g_strdup (built_path);
}

static const char *
shipped_config_path (void)
{
  const char *path = g_getenv ("DUSTGRID_SHIPPED_CONFIG");

  return path != NULL ? path : DG_SHIPPED_CONFIG_PATH;
}

typedef struct
{
  char *dir;
  char *db;
  char *config;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The settings file the package installs, pointed at a database of the test's and a free port:
 * every other line is as shipped, so a setting the server does not know fails here. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shipped = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  fixture->dir = g_dir_make_tmp ("dg-deploy-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "dustgrid.db", NULL);
  fixture->config = g_build_filename (fixture->dir, "server.conf", NULL);
  dg_test_make_db (fixture->db, TRUE);

  g_file_get_contents (shipped_config_path (), &shipped, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (shipped, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "database="))
        g_string_append_printf (text, "database=%s\n", fixture->db);
      else if (g_str_has_prefix (lines[i], "port="))
        g_string_append (text, "port=0\n");
      else
        g_string_append_printf (text, "%s\n", lines[i]);
    }
  g_file_set_contents (fixture->config, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->config);
}

/* The ExecStart= of the unit @built_unit names as argv, with the binary and the shipped paths replaced by
 * those of the test (NULL: keep). */
static GStrv
unit_exec_start (const char *built_unit,
                 const char *config,
                 const char *backup_dir)
{
  g_autofree char *path = unit_path (built_unit);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && argv == NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "ExecStart="))
        {
          g_shell_parse_argv (lines[i] + strlen ("ExecStart="), NULL, &argv, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_nonnull (argv);
  g_assert_true (g_str_has_suffix (argv[0], "/dustgrid-server"));

  g_strv_builder_add (builder, dg_test_server_binary ());
  for (guint i = 1; argv[i] != NULL; i++)
    {
      if (strcmp (argv[i], SHIPPED_CONFIG) == 0 && config != NULL)
        g_strv_builder_add (builder, config);
      else if (strcmp (argv[i], SHIPPED_BACKUP_DIR) == 0 && backup_dir != NULL)
        g_strv_builder_add (builder, backup_dir);
      else
        g_strv_builder_add (builder, argv[i]);
    }

  return g_strv_builder_end (builder);
}

/* A datagram socket like the one systemd gives a Type=notify service in $NOTIFY_SOCKET. */
static int
notify_socket_new (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);

  return fd;
}

/* Waits for a notice holding @state ("READY=1"); FALSE if none came in time. */
static gboolean
wait_for_notice (int         fd,
                 const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * DG_TEST_SLOWDOWN * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      GPollFD poll_fd = { fd, G_IO_IN, 0 };
      g_auto(GStrv) lines = NULL;
      char buffer[4096];
      ssize_t n;

      if (g_poll (&poll_fd, 1, 100) <= 0)
        continue;
      n = recv (fd, buffer, sizeof buffer - 1, 0);
      if (n <= 0)
        continue;
      buffer[n] = '\0';
      g_test_message ("notice: %s", buffer);
      lines = g_strsplit (buffer, "\n", -1);
      if (g_strv_contains ((const char *const *) lines, state))
        return TRUE;
      g_clear_pointer (&lines, g_strfreev);
    }

  return FALSE;
}

static void
test_service_ready_and_healthz (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *socket_path = g_build_filename (fixture->dir, "notify", NULL);
  g_auto(GStrv) argv = unit_exec_start (DG_SERVER_UNIT_PATH, fixture->config, NULL);
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(DgTestProcess) tp = NULL;
  g_autoptr(JsonNode) response = NULL;
  int fd = notify_socket_new (socket_path);

  g_setenv ("NOTIFY_SOCKET", socket_path, TRUE);
  tp = dg_test_process_spawn ((const char *const *) argv, TRUE);
  g_unsetenv ("NOTIFY_SOCKET");

#ifdef HAVE_LIBSYSTEMD
  g_assert_true (wait_for_notice (fd, "READY=1"));
#endif
  g_assert_cmpuint (dg_test_http (session, tp->url, "GET", "/healthz", NULL, NULL, &response),
                    ==, 200);

  kill (tp->pid, SIGTERM);
#ifdef HAVE_LIBSYSTEMD
  g_assert_true (wait_for_notice (fd, "STOPPING=1"));
#endif
  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);
  close (fd);
}

static void
test_service_unit_hardened (void)
{
  static const char *const required[] = {
    "Type=notify", "User=_dustgrid", "StateDirectory=dustgrid", "ProtectSystem=strict",
    "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes", "SystemCallFilter=@system-service",
    "CapabilityBoundingSet=", "UMask=0077", "ExecReload=/bin/kill -HUP $MAINPID",
  };
  g_autofree char *path = unit_path (DG_SERVER_UNIT_PATH);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      if (!g_strv_contains ((const char *const *) lines, required[i]))
        g_error ("%s lacks the line %s", path, required[i]);
    }
}

static int
run_argv (const char *const *argv,
          char             **out,
          char             **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

/* The one dustgrid-*.db in @dir. */
static char *
only_backup (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  char *found = NULL;
  const char *name;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      if (!g_str_has_prefix (name, "dustgrid-") || !g_str_has_suffix (name, ".db"))
        continue;
      g_assert_null (found);
      found = g_build_filename (dir, name, NULL);
    }
  g_assert_nonnull (found);

  return found;
}

static void
test_backup_service_restores (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  g_autofree char *old = g_build_filename (backups, "dustgrid-20200101T000000Z.db", NULL);
  g_autofree char *other = g_build_filename (backups, "notes.txt", NULL);
  g_auto(GStrv) argv = unit_exec_start (DG_BACKUP_UNIT_PATH, fixture->config, backups);
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(DgTestProcess) tp = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *token = NULL;
  g_autofree char *login = NULL;
  const char *verify[] = { dg_test_server_binary (), "verify", "--db", NULL, NULL };
  JsonArray *changes;
  struct stat st;

  /* A backup of long ago is removed; what is not a backup stays. */
  g_assert_cmpint (g_mkdir_with_parents (backups, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old, "", 0, NULL));
  g_assert_true (g_file_set_contents (other, "keep", -1, NULL));

  g_assert_cmpint (run_argv ((const char *const *) argv, &out, &err), ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (out, "verified"));
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

  copy = only_backup (backups);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  verify[3] = copy;
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_argv (verify, &out, &err), ==, 0);

  /* A server on the copy serves the district: the administrator signs in and pulls it. */
  tp = dg_test_process_start (copy, TRUE, NULL);
  g_assert_cmpuint (dg_test_http (session, tp->url, "POST", "/api/v1/login", NULL,
                                  "{\"username\":\"admin\",\"password\":\"admin\"}", &response),
                    ==, 200);
  token = g_strdup (json_object_get_string_member (json_node_get_object (response), "token"));
  g_clear_pointer (&response, json_node_unref);
  g_assert_cmpuint (dg_test_http (session, tp->url, "GET", "/api/v1/changes?since=0&limit=1000",
                                  token, NULL, &response), ==, 200);
  changes = json_object_get_array_member (json_node_get_object (response), "changes");
  g_assert_cmpuint (json_array_get_length (changes), >, 10);
  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);
}

/* An older release's database: the new package's service migrates it on start, keeps the file
 * as it was beside it, and serves what it held. */
static void
test_upgrade_keeps_old_database (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_auto(GStrv) argv = unit_exec_start (DG_SERVER_UNIT_PATH, fixture->config, NULL);
  g_autofree char *kept = dg_store_pre_upgrade_path (fixture->db, 3);
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(DgTestProcess) tp = NULL;
  g_autoptr(JsonNode) response = NULL;
  sqlite3 *db = NULL;
  struct stat st;

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  /* Schema version 3, the release before version 4's frozen months. */
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX revisions_by_type;"
                                     " ALTER TABLE months DROP COLUMN frozen_through;"
                                     " PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  tp = dg_test_process_spawn ((const char *const *) argv, TRUE);
  g_assert_cmpuint (dg_test_http (session, tp->url, "POST", "/api/v1/login", NULL,
                                  "{\"username\":\"admin\",\"password\":\"admin\"}", &response),
                    ==, 200);
  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);

  g_assert_cmpint (g_stat (kept, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_config_unknown_setting (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *bad = g_build_filename (fixture->dir, "bad.conf", NULL);
  const char *argv[] = { dg_test_server_binary (), "verify", "--config", bad, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (bad, "[server]\nporrt=8470\n", -1, NULL));
  g_assert_cmpint (run_argv (argv, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "porrt"));
}

static void
test_config_command_line_wins (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autofree char *contents = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(SoupSession) session = dg_test_session_new ();
  g_autoptr(DgTestProcess) tp = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *argv[] = { dg_test_server_binary (), "serve", "--config", fixture->config,
                         "--listen", "127.0.0.1", NULL };
  g_autoptr(GRegex) listen = g_regex_new ("^listen=.*$", G_REGEX_MULTILINE, 0, NULL);

  /* An address no machine has: the server listens only because --listen overrides it. */
  g_assert_true (g_file_get_contents (fixture->config, &contents, NULL, NULL));
  edited = g_regex_replace_literal (listen, contents, -1, 0, "listen=192.0.2.1", 0, NULL);
  g_assert_true (g_file_set_contents (fixture->config, edited, -1, NULL));

  tp = dg_test_process_spawn (argv, TRUE);
  g_assert_true (g_str_has_prefix (tp->url, "http://127.0.0.1:"));
  g_assert_cmpuint (dg_test_http (session, tp->url, "GET", "/healthz", NULL, NULL, &response),
                    ==, 200);
  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);
}

/* Everything the server writes is for its own user only: the database with its -wal and
 * -shm, and an export. */
static void
test_files_owner_only (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "new.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *export = g_build_filename (fixture->dir, "assessment.csv", NULL);
  g_autofree char *month = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(DgTestProcess) tp = NULL;
  const char *const files[] = { db, wal, shm };
  const char *export_argv[] = { dg_test_server_binary (), "export", "--db", db, "--month", NULL,
                                "--format", "csv", "--output", export, NULL };
  struct stat st;

  /* The test's own umask is the usual 022: the server sets its own. */
  umask (022);
  tp = dg_test_process_start (db, TRUE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_assert_cmpint (g_stat (files[i], &st), ==, 0);
      if ((st.st_mode & 0777) != 0600)
        g_error ("%s is %o, not 600", files[i], st.st_mode & 0777);
    }
  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);

  month = g_date_time_format (now, "%Y-%m");
  export_argv[5] = month;
  g_assert_cmpint (run_argv (export_argv, NULL, NULL), ==, 0);
  g_assert_cmpint (g_stat (export, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

/* The certificate a new TLS connection to @port is given. */
static GTlsCertificate *
served_certificate (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GSocketConnectable) address = g_network_address_new ("127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  /* No proxy lookup: the tests' isolated folders have no GSettings schemas for it. */
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect (client, address, NULL, &error);
  g_assert_no_error (error);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), address, &error);
  g_assert_no_error (error);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);
  certificate = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  g_assert_nonnull (certificate);
  g_object_ref (certificate);
  g_io_stream_close (tls, NULL, NULL);

  return certificate;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

static void
make_certificate_set (const char *dir,
                      const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (dg_test_make_certificates (path));
}

/* systemctl reload (SIGHUP): a renewed certificate is served to new connections without a
 * restart, and files that cannot be read leave the one in use. */
static void
test_service_reload_tls (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *openssl_path = g_find_program_in_path ("openssl");
  g_autofree char *socket_path = g_build_filename (fixture->dir, "notify", NULL);
  g_autofree char *cert = g_build_filename (fixture->dir, "live.pem", NULL);
  g_autofree char *key = g_build_filename (fixture->dir, "live.key", NULL);
  g_autofree char *old_cert = g_build_filename (fixture->dir, "old", "server.pem", NULL);
  g_autofree char *old_key = g_build_filename (fixture->dir, "old", "server.key", NULL);
  g_autofree char *new_cert = g_build_filename (fixture->dir, "new", "server.pem", NULL);
  g_autofree char *new_key = g_build_filename (fixture->dir, "new", "server.key", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GTlsCertificate) old = NULL;
  g_autoptr(GTlsCertificate) renewed = NULL;
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgTestProcess) tp = NULL;
  g_auto(GStrv) argv = NULL;
  int fd;

  if (openssl_path == NULL)
    {
      g_test_skip ("the openssl command line is not installed");
      return;
    }

  make_certificate_set (fixture->dir, "old");
  make_certificate_set (fixture->dir, "new");
  copy_file (old_cert, cert);
  copy_file (old_key, key);
  g_assert_true (g_file_get_contents (fixture->config, &contents, NULL, NULL));
  {
    g_autofree char *with_tls = g_strdup_printf ("%s\n[server]\ntls-cert=%s\ntls-key=%s\n",
                                                 contents, cert, key);

    /* GKeyFile merges the second [server] group into the first. */
    g_assert_true (g_file_set_contents (fixture->config, with_tls, -1, NULL));
  }

  argv = unit_exec_start (DG_SERVER_UNIT_PATH, fixture->config, NULL);
  fd = notify_socket_new (socket_path);
  g_setenv ("NOTIFY_SOCKET", socket_path, TRUE);
  tp = dg_test_process_spawn ((const char *const *) argv, TRUE);
  g_unsetenv ("NOTIFY_SOCKET");
  g_assert_true (g_str_has_prefix (tp->url, "https://"));

  old = g_tls_certificate_new_from_file (old_cert, &error);
  g_assert_no_error (error);
  renewed = g_tls_certificate_new_from_file (new_cert, &error);
  g_assert_no_error (error);
  served = served_certificate (tp->port);
  g_assert_true (g_tls_certificate_is_same (served, old));
  g_clear_object (&served);

  copy_file (new_cert, cert);
  copy_file (new_key, key);
  kill (tp->pid, SIGHUP);
#ifdef HAVE_LIBSYSTEMD
  g_assert_true (wait_for_notice (fd, "RELOADING=1"));
  g_assert_true (wait_for_notice (fd, "READY=1"));
#else
  g_usleep (G_USEC_PER_SEC);
#endif
  served = served_certificate (tp->port);
  g_assert_true (g_tls_certificate_is_same (served, renewed));
  g_clear_object (&served);

  g_assert_true (g_file_set_contents (cert, "not a certificate", -1, NULL));
  kill (tp->pid, SIGHUP);
#ifdef HAVE_LIBSYSTEMD
  g_assert_true (wait_for_notice (fd, "READY=1"));
#else
  g_usleep (G_USEC_PER_SEC);
#endif
  served = served_certificate (tp->port);
  g_assert_true (g_tls_certificate_is_same (served, renewed));

  g_assert_cmpint (dg_test_process_stop (tp), ==, 0);
  close (fd);
}

/* root running a command on the service's database would leave files only root can open. */
static void
test_files_root_refuses_service_database (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  const char *argv[] = { dg_test_server_binary (), "verify", "--db", fixture->db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("only root is refused");
      return;
    }

  g_assert_cmpint (chown (fixture->db, 65534, 65534), ==, 0);
  g_assert_cmpint (run_argv (argv, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "sudo -u"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/deploy/service/ready-and-healthz", Fixture, NULL, fixture_set_up,
              test_service_ready_and_healthz, fixture_tear_down);
  g_test_add_func ("/deploy/service/unit-hardened", test_service_unit_hardened);
  g_test_add ("/deploy/service/reload-reads-renewed-certificate", Fixture, NULL, fixture_set_up,
              test_service_reload_tls, fixture_tear_down);
  g_test_add ("/deploy/backup/service-command-restores", Fixture, NULL, fixture_set_up,
              test_backup_service_restores, fixture_tear_down);
  g_test_add ("/deploy/upgrade/migrates-and-keeps-old-database", Fixture, NULL, fixture_set_up,
              test_upgrade_keeps_old_database, fixture_tear_down);
  g_test_add ("/deploy/config/unknown-setting-refused", Fixture, NULL, fixture_set_up,
              test_config_unknown_setting, fixture_tear_down);
  g_test_add ("/deploy/config/command-line-wins", Fixture, NULL, fixture_set_up,
              test_config_command_line_wins, fixture_tear_down);
  g_test_add ("/deploy/files/owner-only", Fixture, NULL, fixture_set_up,
              test_files_owner_only, fixture_tear_down);
  g_test_add ("/deploy/files/root-refuses-service-database", Fixture, NULL, fixture_set_up,
              test_files_root_refuses_service_database, fixture_tear_down);

  return g_test_run ();
}
