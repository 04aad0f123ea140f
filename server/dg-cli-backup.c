/* dg-cli-backup.c: the database's safekeeping: `backup` (one file, or a verified nightly copy in
 * a folder that keeps N days), `verify` (walks the hash chain) and `migrate` (copies a whole
 * district into a new database, typically PostgreSQL, and verifies the copy).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dg-cli-private.h"
#include "dg-config.h"
#include "dg-store.h"

/* How many days of nightly backups `backup --output-dir` keeps when neither --keep-days nor
 * the settings file says. */
#define DEFAULT_KEEP_DAYS 14

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

int
dg_cli_backup (int    argc,
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

  if (!dg_cli_parse_options ("backup", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("backup", error);
  if ((output == NULL) == (output_dir == NULL))
    {
      fprintf (stderr, "dustgrid-server backup: give --output FILE or --output-dir DIR\n");
      return DG_CLI_EXIT_USAGE;
    }
  if (keep_days < 0 && dg_cli_config () != NULL)
    keep_days = dg_cli_config ()->keep_days;
  if (keep_days < 0)
    keep_days = DEFAULT_KEEP_DAYS;
  if (keep_days < 1)
    {
      fprintf (stderr, "dustgrid-server backup: --keep-days must be at least 1\n");
      return DG_CLI_EXIT_USAGE;
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

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL || !dg_store_backup (store, path, &error))
    return dg_cli_fail ("backup", error);
  dg_store_close (store);

  if (output_dir != NULL)
    {
      if (!verify_copy (path, &n_revisions, &error))
        return dg_cli_fail ("backup", error);
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

int
dg_cli_verify (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  const char *db;
  gint64 n = 0;

  if (!dg_cli_parse_options ("verify", NULL, NULL, &argc, &argv, &error))
    return dg_cli_fail ("verify", error);

  db = dg_cli_db ();
  if (strstr (db, "://") == NULL && !g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dustgrid-server verify: %s does not exist\n", db);
      return 1;
    }

  store = dg_store_open (db, &error);
  if (store == NULL)
    return dg_cli_fail ("verify", error);
  if (!dg_store_verify (store, &n, &error))
    {
      fprintf (stdout, "verify: BROKEN: %s\n", error->message);
      return dg_cli_fail ("verify", error);
    }

  fprintf (stdout, "verify: ok, %" G_GINT64_FORMAT " revisions\n", n);
  return 0;
}

/* Copies a whole district (every revision, user, token and month, and whatever else the store
 * keeps) into a new database, typically from a SQLite file to PostgreSQL, then walks the copy's
 * hash chain: a migration that does not verify is reported as failed. */
int
dg_cli_migrate (int    argc,
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
    return dg_cli_fail ("migrate", error);
  if (from == NULL || to == NULL)
    {
      fprintf (stderr, "dustgrid-server migrate: give --from FILE.db and --to postgresql://…\n");
      return DG_CLI_EXIT_USAGE;
    }
  /* A mistyped source file would otherwise be created empty and copied. */
  if (strstr (from, "://") == NULL && !g_file_test (from, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dustgrid-server migrate: %s does not exist\n", from);
      return 1;
    }
  if (!dg_cli_refuse_foreign_database (from, &error) || !dg_cli_refuse_foreign_database (to, &error))
    return dg_cli_fail ("migrate", error);

  source = dg_store_open (from, &error);
  if (source == NULL || !dg_store_verify (source, &n_source, &error))
    return dg_cli_fail ("migrate", error);
  if (!dg_store_copy (source, to, &n_rows, &error))
    return dg_cli_fail ("migrate", error);
  copy = dg_store_open (to, &error);
  if (copy == NULL || !dg_store_verify (copy, &n_copy, &error))
    {
      g_prefix_error (&error, "the copy does not verify: ");
      return dg_cli_fail ("migrate", error);
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
