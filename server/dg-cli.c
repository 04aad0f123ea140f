/* dg-cli.c: the dustgrid-server command line of design section 4: the options every command
 * takes (--db, --config), the usage text, and the table that runs a command from its file:
 *
 *   serve                      dg-cli-serve.c
 *   user add|list|disable|…    dg-cli-users.c
 *   import, reference export   dg-cli-reference.c
 *   import-history             dg-cli-history.c
 *   export, demo               dg-cli-export.c
 *   backup, verify, migrate    dg-cli-backup.c
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dg-cli.h"
#include "dg-cli-private.h"
#include "dg-config.h"

/* Design 6.6: TLS 1.2 or 1.3, and only key exchanges with forward secrecy (no static RSA). GLib's
 * GnuTLS backend reads its priority string from G_TLS_GNUTLS_PRIORITY when it first makes a TLS
 * connection; an administrator's own setting in the environment is kept. */
#define TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:%SERVER_PRECEDENCE"

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

void
dg_cli_usage (void)
{
  fprintf (stderr,
           "usage: dustgrid-server COMMAND [OPTIONS]\n"
           "  serve  --db FILE [--listen ADDR] [--port N] [--tls-cert PEM --tls-key PEM]\n"
           "         [--idle-timeout SECONDS]\n"
           "  user add --db FILE --username NAME --role inspector|office|admin|unit [--unit UNIT]"
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

int
dg_cli_fail (const char   *command,
             const GError *error)
{
  fprintf (stderr, "dustgrid-server %s: %s\n", command, error->message);
  return 1;
}

/* root working on the service's database would leave a -wal or -shm, or a new file, that only
 * root can open, and the service could no longer start: refuse, and say how to run it. */
gboolean
dg_cli_refuse_foreign_database (const char  *db,
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

gboolean
dg_cli_parse_options (const char          *command,
                      const char          *parameters,
                      const GOptionEntry  *entries,
                      int                 *argc,
                      char              ***argv,
                      GError             **error)
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

  return dg_cli_refuse_foreign_database (opt_db, error);
}

const char *
dg_cli_db (void)
{
  return opt_db;
}

const DgServerConfig *
dg_cli_config (void)
{
  return config;
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
    { "serve", dg_cli_serve },
    { "user", dg_cli_user },
    { "import", dg_cli_import },
    { "import-history", dg_cli_import_history },
    { "reference", dg_cli_reference },
    { "export", dg_cli_export },
    { "backup", dg_cli_backup },
    { "verify", dg_cli_verify },
    { "demo", dg_cli_demo },
    { "migrate", dg_cli_migrate },
  };
  int status = DG_CLI_EXIT_USAGE;

  setlocale (LC_ALL, "");
  /* The database, its -wal and -shm, backups and exports hold the district's records and its
   * users' password hashes: whatever the server writes is for its own user only. */
  umask (0077);
  g_setenv ("G_TLS_GNUTLS_PRIORITY", TLS_PRIORITY, FALSE);

  if (argc < 2)
    {
      dg_cli_usage ();
      return DG_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      dg_cli_usage ();
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
  dg_cli_usage ();
  return status;
}
