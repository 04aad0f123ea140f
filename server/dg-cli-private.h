/* dg-cli-private.h: what the commands in files of their own share with dg-cli.c.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DG_CLI_EXIT_USAGE 2

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

/* dg-cli-history.c: `import-history --db FILE [--dry-run] FILE.csv|FILE.xlsx` (design 6.4). */
int         dg_cli_import_history (int    argc,
                                   char **argv);

G_END_DECLS
