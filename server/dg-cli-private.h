/* dg-cli-private.h: what the files of the command line share: the options every command takes,
 * how a command fails, and each command's entry point (dg-cli.c runs them by name).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "dg-config.h"

G_BEGIN_DECLS

#define DG_CLI_EXIT_USAGE 2

/* Who the audit log names for what the command line does to users (design 6.1), and whom the
 * reference export reads the feed as. */
#define DG_CLI_ACTOR "cli"

/* Prints the usage of every command on stderr. */
void        dg_cli_usage         (void);
/* Prints "dustgrid-server COMMAND: MESSAGE" on stderr; returns 1. */
int         dg_cli_fail          (const char          *command,
                                  const GError        *error);
/* Parses @entries plus --db and --config; FALSE with @error when no database is named. */
gboolean    dg_cli_parse_options (const char          *command,
                                  const char          *parameters,
                                  const GOptionEntry  *entries,
                                  int                 *argc,
                                  char              ***argv,
                                  GError             **error);
/* The database of --db (or of the --config file), once dg_cli_parse_options() succeeded. */
const char *dg_cli_db            (void);
/* The settings file of --config, or NULL, once dg_cli_parse_options() succeeded. */
const DgServerConfig *dg_cli_config (void);
/* root working on the service's database would leave files only root can open: FALSE with
 * @error then, saying how to run the command instead. */
gboolean    dg_cli_refuse_foreign_database (const char  *db,
                                            GError     **error);

/* The commands, each called with itself as argv[0]; each returns the exit status. */
int dg_cli_serve          (int argc, char **argv);   /* dg-cli-serve.c */
int dg_cli_user           (int argc, char **argv);   /* dg-cli-users.c */
int dg_cli_import         (int argc, char **argv);   /* dg-cli-reference.c */
int dg_cli_reference      (int argc, char **argv);
int dg_cli_import_history (int argc, char **argv);   /* dg-cli-history.c (design 6.4) */
int dg_cli_export         (int argc, char **argv);   /* dg-cli-export.c */
int dg_cli_demo           (int argc, char **argv);
int dg_cli_backup         (int argc, char **argv);   /* dg-cli-backup.c */
int dg_cli_verify         (int argc, char **argv);
int dg_cli_migrate        (int argc, char **argv);

G_END_DECLS
