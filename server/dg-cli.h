/* dg-cli.h: the dustgrid-server command line of design section 4. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs one command (serve, user add, import, export, backup, verify, demo); returns the exit
 * status. */
int dg_cli_main (int    argc,
                 char **argv);

G_END_DECLS
