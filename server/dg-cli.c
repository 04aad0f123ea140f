/* dg-cli.c: the dustgrid-server command line of design section 4.
 *
 *   serve  --db FILE [--listen ADDR] [--port N] [--tls-cert PEM --tls-key PEM]
 *          [--idle-timeout SECONDS]
 *   user add --db FILE --username NAME --role inspector|office|admin   (password on stdin)
 *   import --db FILE REFERENCE.json
 *   import --db FILE --kind grid_cell|road FILE.geojson
 *   import-history --db FILE [--dry-run] FILE.csv|FILE.xlsx   (dg-cli-history.c)
 *   export --db FILE --month YYYY-MM --format json|csv|xlsx|pdf --output FILE
 *   backup --db FILE (--output FILE | --output-dir DIR [--keep-days N])
 *   verify --db FILE
 *   demo   --db FILE [--scale district|province]
 *
 * Every command also takes --config FILE, the settings file of dg-config.h.
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#ifdef HAVE_LIBSYSTEMD
# include <systemd/sd-daemon.h>
#endif

#include "dg-auth.h"
#include "dg-cli.h"
#include "dg-cli-private.h"
#include "dg-config.h"
#include "dg-demo.h"
#include "dg-reports.h"
#include "dg-server.h"
#include "dg-store.h"

#define EXIT_USAGE 2
/* Design 6.6: TLS 1.2 or 1.3, and only key exchanges with forward secrecy (no static RSA). GLib's
 * GnuTLS backend reads its priority string from G_TLS_GNUTLS_PRIORITY when it first makes a TLS
 * connection; an administrator's own setting in the environment is kept. */
#define TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:%SERVER_PRECEDENCE"
/* How long a SIGTERM waits for the requests already begun. The largest batch takes about a
 * second to store on an idle machine, ten times that on a loaded one or under AddressSanitizer;
 * systemd's default stop timeout (90 s) is still well beyond. */
#define SHUTDOWN_GRACE_SECONDS 30
/* A request the client has finished sending may still wait in the socket, not yet read: the
 * server only stops once nothing has been unanswered for this long. */
#define SHUTDOWN_QUIET_MS 500

/* How many days of nightly backups `backup --output-dir` keeps when neither --keep-days nor
 * the settings file says. */
#define DEFAULT_KEEP_DAYS 14

static char *opt_db;
static char *opt_config;
/* The settings file of --config, or NULL. */
static DgServerConfig *config;

static const GOptionEntry db_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db,
    "The database: a SQLite file, or a postgresql:// URI", "FILE|URI" },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config,
    "Settings file (/etc/dustgrid/server.conf); options given here win", "FILE" },
  { NULL }
};

/* Tells systemd (Type=notify) how the service is doing; nothing without systemd. */
static void
notify_systemd (const char *state)
{
#ifdef HAVE_LIBSYSTEMD
  sd_notify (0, state);
#endif
}

static void
usage (void)
{
  fprintf (stderr,
           "usage: dustgrid-server COMMAND [OPTIONS]\n"
           "  serve  --db FILE [--listen ADDR] [--port N] [--tls-cert PEM --tls-key PEM]\n"
           "         [--idle-timeout SECONDS]\n"
           "  user add --db FILE --username NAME --role inspector|office|admin"
           "   (password on stdin)\n"
           "  user list --db FILE\n"
           "  user disable|enable|revoke NAME --db FILE\n"
           "  user passwd NAME --db FILE   (password on stdin, at least 10 characters)\n"
           "  reference export --db FILE --output FILE.json\n"
           "  import --db FILE REFERENCE.json\n"
           "  import --db FILE --kind grid_cell|road FILE.geojson\n"
           "  import-history --db FILE [--dry-run] FILE.csv|FILE.xlsx\n"
           "  export --db FILE --month YYYY-MM --format json|csv|xlsx|pdf --output FILE\n"
           "  backup --db FILE (--output FILE | --output-dir DIR [--keep-days N])\n"
           "  verify --db FILE\n"
           "  demo   --db FILE [--scale district|province]\n"
           "  migrate --from FILE.db --to postgresql://…   (copies a whole database, then verifies)\n"
           "--db takes a SQLite file or a postgresql:// URI (libpq's: host, port, dbname, user,\n"
           "sslmode…; keep the password in ~/.pgpass). Every command takes --config FILE\n"
           "(/etc/dustgrid/server.conf) for its settings; the database it names stands in for --db.\n");
}

static int
fail (const char   *command,
      const GError *error)
{
  fprintf (stderr, "dustgrid-server %s: %s\n", command, error->message);
  return 1;
}

/* root working on the service's database would leave a -wal or -shm, or a new file, that only
 * root can open, and the service could no longer start: refuse, and say how to run it. */
static gboolean
refuse_foreign_database (const char  *db,
                         GError     **error)
{
  struct stat st;

  if (geteuid () != 0 || strstr (db, "://") != NULL || g_stat (db, &st) != 0 || st.st_uid == 0)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               "%s belongs to user %u: run this command as that user (sudo -u _dustgrid …), so "
               "that the files it writes stay readable by the server", db, (guint) st.st_uid);
  return FALSE;
}

/* Parses @entries plus --db; TRUE when --db was given. */
static gboolean
parse_options (const char         *command,
               const char         *parameters,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv,
               GError            **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autofree char *summary = g_strdup_printf ("dustgrid-server %s", command);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, db_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (opt_config != NULL)
    {
      config = dg_server_config_load (opt_config, error);
      if (config == NULL)
        return FALSE;
      if (opt_db == NULL)
        opt_db = g_strdup (config->database);
    }

  if (opt_db == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   opt_config != NULL ? "--db FILE is required (%s names no database)"
                                      : "--db FILE is required", opt_config);
      return FALSE;
    }

  return refuse_foreign_database (opt_db, error);
}

int
dg_cli_fail (const char   *command,
             const GError *error)
{
  return fail (command, error);
}

gboolean
dg_cli_parse_options (const char          *command,
                      const char          *parameters,
                      const GOptionEntry  *entries,
                      int                 *argc,
                      char              ***argv,
                      GError             **error)
{
  return parse_options (command, parameters, entries, argc, argv, error);
}

const char *
dg_cli_db (void)
{
  return opt_db;
}

/* ---- serve ---- */

typedef struct
{
  GMainLoop  *loop;
  DgServer   *server;
  const char *tls_cert;
  const char *tls_key;
  gint64      deadline;
  gint64      quiet_since;   /* when the last request was answered; 0: one is unanswered */
  guint       poll_id;
} ServeState;

static gboolean
shutdown_poll_cb (gpointer user_data)
{
  ServeState *state = user_data;
  gint64 now = g_get_monotonic_time ();

  if (dg_server_get_n_unanswered (state->server) > 0)
    state->quiet_since = 0;
  else if (state->quiet_since == 0)
    state->quiet_since = now;

  if ((state->quiet_since != 0 && now - state->quiet_since >= SHUTDOWN_QUIET_MS * 1000) ||
      now > state->deadline)
    {
      state->poll_id = 0;
      g_main_loop_quit (state->loop);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
signal_cb (gpointer user_data)
{
  ServeState *state = user_data;

  if (state->poll_id != 0)
    return G_SOURCE_CONTINUE;

  /* Requests the clients had begun to send are read, committed and answered; new connections
   * are refused and new requests on open ones get 503 meanwhile, for at most the grace period. */
  fprintf (stderr, "dustgrid-server: shutting down\n");
  notify_systemd ("STOPPING=1");
  dg_server_begin_shutdown (state->server);
  state->deadline = g_get_monotonic_time () + SHUTDOWN_GRACE_SECONDS * G_USEC_PER_SEC;
  state->quiet_since = 0;
  state->poll_id = g_timeout_add (20, shutdown_poll_cb, state);

  return G_SOURCE_CONTINUE;
}

/* SIGHUP (systemctl reload): a renewed certificate is read again, for the connections made from
 * now on; the old one stays when the new files cannot be read. */
static gboolean
reload_cb (gpointer user_data)
{
  ServeState *state = user_data;
  g_autoptr(GError) error = NULL;

  if (state->tls_cert == NULL)
    return G_SOURCE_CONTINUE;

  notify_systemd ("RELOADING=1");
  if (dg_server_set_tls_files (state->server, state->tls_cert, state->tls_key, &error))
    fprintf (stderr, "dustgrid-server: TLS certificate read again from %s\n", state->tls_cert);
  else
    fprintf (stderr, "dustgrid-server: keeping the TLS certificate in use: %s\n",
             error->message);
  notify_systemd ("READY=1");

  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  g_autoptr(DgServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  ServeState state = { 0 };
  int port = -1;
  int idle_timeout = -1;
  guint sigterm_id, sigint_id, sighup_id;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (127.0.0.1)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port (8470; 0 picks a free one)", "N" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "TLS certificate", "PEM" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "TLS private key", "PEM" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Close a connection whose request has not arrived within this many seconds (60; 0: never)",
      "SECONDS" },
    { NULL }
  };

  if (!parse_options ("serve", NULL, entries, &argc, &argv, &error))
    return fail ("serve", error);

  /* What the command line leaves out comes from the settings file, then the defaults. */
  if (config != NULL)
    {
      if (listen == NULL)
        listen = g_strdup (config->listen);
      if (port < 0)
        port = config->port;
      if (tls_cert == NULL && tls_key == NULL)
        {
          tls_cert = g_strdup (config->tls_cert);
          tls_key = g_strdup (config->tls_key);
        }
      if (idle_timeout < 0)
        idle_timeout = config->idle_timeout;
    }
  if (port < 0)
    port = 8470;
  if (idle_timeout < 0)
    idle_timeout = DG_SERVER_DEFAULT_IDLE_TIMEOUT;

  if (port > 65535)
    {
      fprintf (stderr, "dustgrid-server serve: --port must be 0 to 65535\n");
      return EXIT_USAGE;
    }
  if (idle_timeout > 86400)
    {
      fprintf (stderr, "dustgrid-server serve: --idle-timeout must be 0 to 86400\n");
      return EXIT_USAGE;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      fprintf (stderr, "dustgrid-server serve: --tls-cert and --tls-key go together\n");
      return EXIT_USAGE;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("serve", error);
  auth = dg_auth_new (store);
  if (!dg_auth_restore_failures (auth, &error))
    return fail ("serve", error);
  server = dg_server_new (store, auth);
  dg_server_set_idle_timeout (server, (guint) idle_timeout);

  if (tls_cert != NULL && !dg_server_set_tls_files (server, tls_cert, tls_key, &error))
    return fail ("serve", error);
  if (!dg_server_listen (server, listen != NULL ? listen : "127.0.0.1", (guint) port, &error))
    return fail ("serve", error);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.server = server;
  state.tls_cert = tls_cert;
  state.tls_key = tls_key;
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &state);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &state);
  sighup_id = g_unix_signal_add (SIGHUP, reload_cb, &state);

  url = dg_server_get_url (server);
  fprintf (stdout, "listening on %s\n", url);
  fflush (stdout);
  status = g_strdup_printf ("READY=1\nSTATUS=listening on %s", url);
  notify_systemd (status);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_source_remove (sighup_id);
  dg_server_disconnect (server);
  g_clear_object (&server);
  g_clear_object (&auth);
  dg_store_close (store);
  fprintf (stderr, "dustgrid-server: database closed\n");

  return 0;
}

/* ---- user ---- */

/* Who the audit log names for what the command line does to users (design 6.1). */
#define CLI_ACTOR "cli"

/* Reads the password from stdin, never from the command line where `ps` would show it, and
 * holds it to the API's rule (common/dg-admin.c). */
static gboolean
read_password (const char  *command,
               char        *password,
               gsize        size)
{
  g_autoptr(GError) error = NULL;
  gsize len;

  if (fgets (password, size, stdin) == NULL)
    password[0] = '\0';
  len = strlen (password);
  while (len > 0 && (password[len - 1] == '\n' || password[len - 1] == '\r'))
    password[--len] = '\0';
  if (!dg_password_validate (password, "password", &error))
    {
      fprintf (stderr, "dustgrid-server %s: the password on stdin: %s\n", command,
               error->message);
      memset (password, 0, size);
      return FALSE;
    }

  return TRUE;
}

static int
cmd_user_add (int    argc,
              char **argv)
{
  g_autofree char *username = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  char password[1100];
  DgRole role;
  const GOptionEntry entries[] = {
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, "User name", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "inspector, office or admin", "ROLE" },
    { NULL }
  };

  if (!parse_options ("user add", NULL, entries, &argc, &argv, &error))
    return fail ("user add", error);
  if (username == NULL || !dg_username_validate (username, NULL))
    {
      fprintf (stderr, "dustgrid-server user add: --username NAME is required (no spaces, "
               "'/' or '%%', at most %d bytes)\n", DG_USERNAME_MAX_BYTES);
      return EXIT_USAGE;
    }
  if (!dg_role_from_string (role_name, &role))
    {
      fprintf (stderr, "dustgrid-server user add: --role must be inspector, office or admin\n");
      return EXIT_USAGE;
    }

  if (!read_password ("user add", password, sizeof password))
    return 1;

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("user add", error);
  auth = dg_auth_new (store);

  hash = dg_auth_hash_password (auth, password, &error);
  memset (password, 0, sizeof password);
  if (hash == NULL || !dg_store_put_user (store, username, role, hash, &error))
    return fail ("user add", error);

  fprintf (stdout, "user %s (%s) saved\n", username, dg_role_to_string (role));
  return 0;
}

/* `user list`: one line per user, tab-separated: name, role, enabled or disabled, display
 * name, unit_id, last sign-in ("-" for none). Never a hash or a token. */
static int
cmd_user_list (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;

  if (!parse_options ("user list", NULL, NULL, &argc, &argv, &error))
    return fail ("user list", error);
  if (argc != 1)
    {
      usage ();
      return EXIT_USAGE;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("user list", error);
  users = dg_store_list_users (store, &error);
  if (users == NULL)
    return fail ("user list", error);

  for (guint i = 0; i < users->len; i++)
    {
      const DgUser *user = g_ptr_array_index (users, i);

      fprintf (stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", user->username, dg_role_to_string (user->role),
               user->disabled ? "disabled" : "enabled",
               user->display_name != NULL ? user->display_name : "-",
               user->unit_id != NULL ? user->unit_id : "-",
               user->last_login_at != NULL ? user->last_login_at : "-");
    }

  return 0;
}

/* `user disable|enable|revoke|passwd NAME`: through the store's administration calls, as the
 * API's PATCH and revoke, so that they end the user's sessions and write the audit log. */
static int
cmd_user_named (const char  *command,
                int          argc,
                char       **argv)
{
  g_autofree char *full = g_strdup_printf ("user %s", command);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autofree char *hash = NULL;
  const char *username;
  char password[1100];
  DgUserPatch patch = { 0 };

  if (!parse_options (full, "NAME", NULL, &argc, &argv, &error))
    return fail (full, error);
  if (argc != 2)
    {
      fprintf (stderr, "dustgrid-server %s: give one user NAME\n", full);
      return EXIT_USAGE;
    }
  username = argv[1];

  if (strcmp (command, "passwd") == 0 && !read_password (full, password, sizeof password))
    return 1;

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail (full, error);

  if (strcmp (command, "revoke") == 0)
    {
      gint64 n = 0;

      if (!dg_store_revoke_user (store, username, CLI_ACTOR, &n, &error))
        return fail (full, error);
      fprintf (stdout, "user %s: %" G_GINT64_FORMAT " sessions revoked\n", username, n);
      return 0;
    }

  if (strcmp (command, "passwd") == 0)
    {
      g_autoptr(DgAuth) auth = dg_auth_new (store);

      hash = dg_auth_hash_password (auth, password, &error);
      memset (password, 0, sizeof password);
      if (hash == NULL)
        return fail (full, error);
    }
  else
    {
      patch.set_disabled = TRUE;
      patch.disabled = strcmp (command, "disable") == 0;
    }

  user = dg_store_update_user (store, username, &patch, hash, CLI_ACTOR, &error);
  if (user == NULL)
    return fail (full, error);

  if (hash != NULL)
    fprintf (stdout, "user %s: password changed, sessions revoked\n", username);
  else
    fprintf (stdout, "user %s %s\n", username, user->disabled ? "disabled" : "enabled");
  return 0;
}

static int
cmd_user (int    argc,
          char **argv)
{
  static const char *const named[] = { "disable", "enable", "revoke", "passwd" };
  const char *command;

  if (argc < 2)
    {
      usage ();
      return EXIT_USAGE;
    }
  command = argv[1];
  /* The subcommand sees itself as argv[0]. */
  argv[1] = argv[0];
  argc--;
  argv++;

  if (strcmp (command, "add") == 0)
    return cmd_user_add (argc, argv);
  if (strcmp (command, "list") == 0)
    return cmd_user_list (argc, argv);
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    {
      if (strcmp (command, named[i]) == 0)
        return cmd_user_named (command, argc, argv);
    }

  usage ();
  return EXIT_USAGE;
}

/* ---- import ---- */

/* `import --kind grid_cell|road FILE.geojson` (design 6.4): one line of counts as `import`
 * prints, a line per refused feature, exit 1 when any was. */
static int
import_geojson (DgStore    *store,
                const char *kind,
                JsonNode   *root,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgGeojsonImport) import = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint applied = 0, unchanged = 0;
  DgRecordType type;

  if (!dg_record_type_from_string (kind, &type) ||
      (type != DG_RECORD_GRID_CELL && type != DG_RECORD_ROAD))
    {
      fprintf (stderr, "dustgrid-server import: --kind must be grid_cell or road\n");
      return EXIT_USAGE;
    }

  import = dg_geojson_import_new (root, type, &error);
  if (import == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      return fail ("import", error);
    }

  results = dg_store_import_changes (store, import->changes, "admin", FALSE, &error);
  if (results == NULL)
    return fail ("import", error);

  for (guint i = 0; i < import->refused->len; i++)
    g_ptr_array_add (lines, g_strdup (g_ptr_array_index (import->refused, i)));
  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);

      if (result->status == DG_RESULT_APPLIED)
        applied++;
      else if (result->status == DG_RESULT_UNCHANGED)
        unchanged++;
      else if (result->error != NULL)
        g_ptr_array_add (lines, dg_geojson_import_describe (import, i, result->error));
      else
        g_ptr_array_add (lines, g_strdup_printf ("features[%u]: %s",
                                                 g_array_index (import->features, guint, i),
                                                 dg_result_status_to_string (result->status)));
    }

  fprintf (stdout, "imported %u, unchanged %u, rejected %u\n", applied, unchanged, lines->len);
  for (guint i = 0; i < lines->len; i++)
    fprintf (stdout, "%s\n", (const char *) g_ptr_array_index (lines, i));

  return lines->len > 0 ? 1 : 0;
}

static int
cmd_import (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *kind = NULL;
  guint applied = 0, unchanged = 0;
  gsize length;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      "Read a GeoJSON FeatureCollection of grid_cell or road features", "KIND" },
    { NULL }
  };

  if (!parse_options ("import", "REFERENCE.json | --kind grid_cell|road FILE.geojson", entries,
                      &argc, &argv, &error))
    return fail ("import", error);
  if (argc != 2)
    {
      fprintf (stderr, "dustgrid-server import: give one REFERENCE.json or FILE.geojson file\n");
      return EXIT_USAGE;
    }

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return fail ("import", error);
  root = dg_json_parse (contents, length, &error);
  if (root == NULL)
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return fail ("import", error);
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("import", error);
  if (kind != NULL)
    return import_geojson (store, kind, root, argv[1]);

  if (!dg_store_import_reference (store, root, "admin", &applied, &unchanged, &error))
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return fail ("import", error);
    }

  fprintf (stdout, "imported %u records, %u unchanged\n", applied, unchanged);
  return 0;
}

/* ---- reference export ---- */

static void
copy_member_cb (JsonObject  *object,
                const char  *member,
                JsonNode    *node,
                gpointer     user_data)
{
  json_object_set_member (user_data, member, json_node_copy (node));
}


/* `reference export`: the district's reference data in the form `import` reads (design 4 and
 * 6.1), each element its stored data plus "id", so that importing the file back finds every
 * element unchanged. Deleted records are left out. */
static int
cmd_reference (int    argc,
               char **argv)
{
  static const struct { DgRecordType type; const char *member; } parts[] = {
    { DG_RECORD_UNIT, "units" },
    { DG_RECORD_ROAD, "roads" },
    { DG_RECORD_GRID_CELL, "grid_cells" },
    { DG_RECORD_RULE, "rules" },
  };
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray *arrays[G_N_ELEMENTS (parts)];
  gint64 since = 0;
  gboolean more = TRUE;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "The file to write", "FILE.json" },
    { NULL }
  };

  if (argc < 2 || strcmp (argv[1], "export") != 0)
    {
      usage ();
      return EXIT_USAGE;
    }
  argv[1] = argv[0];
  argc--;
  argv++;

  if (!parse_options ("reference export", NULL, entries, &argc, &argv, &error))
    return fail ("reference export", error);
  if (output == NULL || argc != 1)
    {
      fprintf (stderr, "dustgrid-server reference export: --output FILE.json is required\n");
      return EXIT_USAGE;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("reference export", error);

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      arrays[p] = json_array_new ();
      json_object_set_array_member (root, parts[p].member, arrays[p]);
    }

  /* The feed holds each record once, as it now is, by seq: parents before the units below them
   * as they were made (and import orders units itself anyway). */
  while (more)
    {
      g_autoptr(GPtrArray) records = dg_store_pull (store, CLI_ACTOR, DG_ROLE_ADMIN, since, 1000,
                                                    &since, &more, &error);

      if (records == NULL)
        return fail ("reference export", error);
      for (guint i = 0; i < records->len; i++)
        {
          const DgRecord *record = g_ptr_array_index (records, i);
          JsonObject *element;

          if (record->deleted || record->data == NULL || !dg_record_type_is_reference (record->type))
            continue;
          element = json_object_new ();
          json_object_set_string_member (element, "id", record->id);
          json_object_foreach_member (record->data, copy_member_cb, element);
          for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
            {
              if (parts[p].type == record->type)
                json_array_add_object_element (arrays[p], g_steal_pointer (&element));
            }
          g_clear_pointer (&element, json_object_unref);
        }
    }

  node = json_node_init_object (json_node_alloc (), root);
  text = json_to_string (node, TRUE);
  if (!g_file_set_contents (output, text, -1, &error))
    return fail ("reference export", error);

  fprintf (stdout, "exported %u units, %u roads, %u grid cells, %u rules\n",
           json_array_get_length (arrays[0]), json_array_get_length (arrays[1]),
           json_array_get_length (arrays[2]), json_array_get_length (arrays[3]));
  return 0;
}

/* ---- export ---- */

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *month = NULL;
  g_autofree char *format = NULL;
  g_autofree char *section = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DgAssessmentFormat assessment_format;
  DgAssessmentSection assessment_section;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, "The month", "YYYY-MM" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "json, csv, xlsx or pdf", "FORMAT" },
    { "section", 0, 0, G_OPTION_ARG_STRING, &section, "CSV table: dustfall, roads or quota",
      "TABLE" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Output file", "FILE" },
    { NULL }
  };

  if (!parse_options ("export", NULL, entries, &argc, &argv, &error))
    return fail ("export", error);
  if (month == NULL || !dg_month_is_valid (month))
    {
      fprintf (stderr, "dustgrid-server export: --month YYYY-MM is required\n");
      return EXIT_USAGE;
    }
  if (output == NULL)
    {
      fprintf (stderr, "dustgrid-server export: --output FILE is required\n");
      return EXIT_USAGE;
    }
  if (!dg_assessment_format_from_string (format != NULL ? format : "json", &assessment_format))
    {
      fprintf (stderr, "dustgrid-server export: --format must be json, csv, xlsx or pdf\n");
      return EXIT_USAGE;
    }
  if (!dg_assessment_section_from_string (section, &assessment_section))
    {
      fprintf (stderr, "dustgrid-server export: --section must be dustfall, roads or quota\n");
      return EXIT_USAGE;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("export", error);

  if (assessment_format == DG_ASSESSMENT_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = dg_reports_assessment (store, month, &error);
      char *text;

      if (node == NULL)
        return fail ("export", error);
      text = dg_json_to_string (node);
      bytes = g_bytes_new_take (text, strlen (text));
    }
  else
    {
      bytes = dg_reports_assessment_file (store, month, assessment_format, assessment_section,
                                          &error);
      if (bytes == NULL)
        return fail ("export", error);
    }

  if (!g_file_set_contents (output, g_bytes_get_data (bytes, NULL),
                            (gssize) g_bytes_get_size (bytes), &error))
    return fail ("export", error);

  fprintf (stdout, "assessment of %s written to %s\n", month, output);
  return 0;
}

/* ---- backup, verify ---- */

/* The nightly backups of --output-dir are named by their UTC time, so that their names sort as
 * their ages do and say when each was taken. */
#define BACKUP_PREFIX "dustgrid-"
#define BACKUP_SUFFIX ".db"

/* Opens the copy as a store of its own and walks its hash chain: a backup nobody can restore
 * from is found the night it is made, not the day it is needed. */
static gboolean
verify_copy (const char  *path,
             gint64      *n_revisions,
             GError     **error)
{
  g_autoptr(DgStore) copy = dg_store_open (path, error);

  if (copy == NULL || !dg_store_verify (copy, n_revisions, error))
    {
      g_prefix_error (error, "the backup %s does not verify: ", path);
      return FALSE;
    }

  dg_store_close (copy);
  return TRUE;
}

/* Removes a backup's folder of attachment files (SQLite's, beside it): only files named by a
 * hash, then the folder if that left it empty. */
static void
remove_attachments (const char *backup)
{
  g_autofree char *folder = dg_store_attachments_dir (backup);
  g_autoptr(GDir) listing = g_dir_open (folder, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (dg_sha256_hex_is_valid (name))
        g_unlink (path);
    }
  g_rmdir (folder);
}

/* Removes the backups in @dir older than @keep_days, by the time in their names, with their
 * attachments; other files are left alone. */
static void
prune_backups (const char *dir,
               int         keep_days)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -keep_days);
  g_autofree char *oldest_kept = g_date_time_format (cutoff, BACKUP_PREFIX "%Y%m%dT%H%M%SZ"
                                                     BACKUP_SUFFIX);
  const char *name;

  if (folder == NULL)
    return;

  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, BACKUP_PREFIX) || !g_str_has_suffix (name, BACKUP_SUFFIX) ||
          strlen (name) != strlen (oldest_kept) || strcmp (name, oldest_kept) >= 0)
        continue;

      path = g_build_filename (dir, name, NULL);
      remove_attachments (path);
      if (g_unlink (path) == 0)
        fprintf (stdout, "removed %s (older than %d days)\n", path, keep_days);
      else
        fprintf (stderr, "dustgrid-server backup: cannot remove %s: %s\n", path,
                 g_strerror (errno));
    }
}

static int
cmd_backup (int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *output_dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  gint64 n_revisions = 0;
  int keep_days = -1;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Backup file", "FILE" },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &output_dir,
      "Write a verified, dated backup into this folder and remove the old ones", "DIR" },
    { "keep-days", 0, 0, G_OPTION_ARG_INT, &keep_days,
      "With --output-dir: remove backups older than this many days (14)", "N" },
    { NULL }
  };

  if (!parse_options ("backup", NULL, entries, &argc, &argv, &error))
    return fail ("backup", error);
  if ((output == NULL) == (output_dir == NULL))
    {
      fprintf (stderr, "dustgrid-server backup: give --output FILE or --output-dir DIR\n");
      return EXIT_USAGE;
    }
  if (keep_days < 0 && config != NULL)
    keep_days = config->keep_days;
  if (keep_days < 0)
    keep_days = DEFAULT_KEEP_DAYS;
  if (keep_days < 1)
    {
      fprintf (stderr, "dustgrid-server backup: --keep-days must be at least 1\n");
      return EXIT_USAGE;
    }

  if (output_dir != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *name = g_date_time_format (now, BACKUP_PREFIX "%Y%m%dT%H%M%SZ"
                                                  BACKUP_SUFFIX);

      if (g_mkdir_with_parents (output_dir, 0700) != 0)
        {
          fprintf (stderr, "dustgrid-server backup: cannot make %s: %s\n", output_dir,
                   g_strerror (errno));
          return 1;
        }
      path = g_build_filename (output_dir, name, NULL);
    }
  else
    {
      path = g_strdup (output);
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL || !dg_store_backup (store, path, &error))
    return fail ("backup", error);
  dg_store_close (store);

  if (output_dir != NULL)
    {
      if (!verify_copy (path, &n_revisions, &error))
        return fail ("backup", error);
      fprintf (stdout, "backup written to %s and verified: %" G_GINT64_FORMAT " revisions\n",
               path, n_revisions);
      prune_backups (output_dir, keep_days);
    }
  else
    {
      fprintf (stdout, "backup written to %s\n", path);
    }

  return 0;
}

static int
cmd_verify (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  gint64 n = 0;

  if (!parse_options ("verify", NULL, NULL, &argc, &argv, &error))
    return fail ("verify", error);

  if (strstr (opt_db, "://") == NULL && !g_file_test (opt_db, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dustgrid-server verify: %s does not exist\n", opt_db);
      return 1;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("verify", error);
  if (!dg_store_verify (store, &n, &error))
    {
      fprintf (stdout, "verify: BROKEN: %s\n", error->message);
      return fail ("verify", error);
    }

  fprintf (stdout, "verify: ok, %" G_GINT64_FORMAT " revisions\n", n);
  return 0;
}

/* ---- demo ---- */

static int
cmd_demo (int    argc,
          char **argv)
{
  g_autofree char *today = NULL;
  g_autofree char *scale = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  const GOptionEntry entries[] = {
    { "today", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &today, "Pretend today is", "DATE" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale,
      "district (default), or province for benchmarks (20,000 cells, 36 months)", "SCALE" },
    { NULL }
  };

  if (!parse_options ("demo", NULL, entries, &argc, &argv, &error))
    return fail ("demo", error);
  if (today == NULL)
    today = dg_date_today ();
  if (!dg_date_is_valid (today))
    {
      fprintf (stderr, "dustgrid-server demo: --today must be YYYY-MM-DD\n");
      return EXIT_USAGE;
    }
  if (scale != NULL && !dg_demo_scale_is_valid (scale))
    {
      fprintf (stderr, "dustgrid-server demo: --scale must be district or province\n");
      return EXIT_USAGE;
    }

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    return fail ("demo", error);
  auth = dg_auth_new (store);
  if (!dg_demo_populate_scale (store, auth, today, scale != NULL ? scale : "district", &error))
    return fail ("demo", error);

  fprintf (stdout, "demo district written to %s; users inspector, inspector2, office and admin "
           "(each password is the user name)\n", opt_db);
  return 0;
}

/* ---- migrate ---- */

/* Copies a whole district (every revision, user, token and month, and whatever else the store
 * keeps) into a new database, typically from a SQLite file to PostgreSQL, then walks the copy's
 * hash chain: a migration that does not verify is reported as failed. */
static int
cmd_migrate (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) source = NULL;
  g_autoptr(DgStore) copy = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gint64 n_rows = 0, n_source = 0, n_copy = 0;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "The database to copy", "FILE|URI" },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "A new database to copy it into", "URI|FILE" },
    { NULL }
  };

  g_option_context_set_summary (context, "dustgrid-server migrate");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("migrate", error);
  if (from == NULL || to == NULL)
    {
      fprintf (stderr, "dustgrid-server migrate: give --from FILE.db and --to postgresql://…\n");
      return EXIT_USAGE;
    }
  /* A mistyped source file would otherwise be created empty and copied. */
  if (strstr (from, "://") == NULL && !g_file_test (from, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dustgrid-server migrate: %s does not exist\n", from);
      return 1;
    }
  if (!refuse_foreign_database (from, &error) || !refuse_foreign_database (to, &error))
    return fail ("migrate", error);

  source = dg_store_open (from, &error);
  if (source == NULL || !dg_store_verify (source, &n_source, &error))
    return fail ("migrate", error);
  if (!dg_store_copy (source, to, &n_rows, &error))
    return fail ("migrate", error);
  copy = dg_store_open (to, &error);
  if (copy == NULL || !dg_store_verify (copy, &n_copy, &error))
    {
      g_prefix_error (&error, "the copy does not verify: ");
      return fail ("migrate", error);
    }
  if (n_copy != n_source)
    {
      fprintf (stderr, "dustgrid-server migrate: the copy has %" G_GINT64_FORMAT
               " revisions, the source %" G_GINT64_FORMAT "\n", n_copy, n_source);
      return 1;
    }

  /* Not the URI: it may carry a password. */
  fprintf (stdout, "migrated %" G_GINT64_FORMAT " rows; verify: ok, %" G_GINT64_FORMAT
           " revisions\n", n_rows, n_copy);
  return 0;
}

int
dg_cli_main (int    argc,
             char **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "serve", cmd_serve },
    { "user", cmd_user },
    { "import", cmd_import },
    { "import-history", dg_cli_import_history },
    { "reference", cmd_reference },
    { "export", cmd_export },
    { "backup", cmd_backup },
    { "verify", cmd_verify },
    { "demo", cmd_demo },
    { "migrate", cmd_migrate },
  };
  int status = EXIT_USAGE;

  setlocale (LC_ALL, "");
  /* The database, its -wal and -shm, backups and exports hold the district's records and its
   * users' password hashes: whatever the server writes is for its own user only. */
  umask (0077);
  g_setenv ("G_TLS_GNUTLS_PRIORITY", TLS_PRIORITY, FALSE);

  if (argc < 2)
    {
      usage ();
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      usage ();
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        {
          /* The command sees itself as argv[0]. */
          status = commands[i].run (argc - 1, argv + 1);
          g_clear_pointer (&opt_db, g_free);
          g_clear_pointer (&opt_config, g_free);
          g_clear_pointer (&config, dg_server_config_free);
          return status;
        }
    }

  fprintf (stderr, "dustgrid-server: unknown command %s\n", argv[1]);
  usage ();
  return status;
}
