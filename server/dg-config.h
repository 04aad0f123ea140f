/* dg-config.h: the server's settings file, /etc/dustgrid/server.conf.
 *
 * A GKeyFile whose [server] group holds what `serve` takes on its command line (database,
 * listen, port, tls-cert, tls-key, idle-timeout) and whose [backup] group holds keep-days.
 * Every subcommand reads it with --config FILE; an option given on the command line wins.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *path;          /* the file read, for messages */
  char *database;      /* a SQLite file or a postgresql:// URI; NULL when not set */
  char *listen;
  int   port;          /* -1 when not set */
  char *tls_cert;
  char *tls_key;
  int   idle_timeout;  /* seconds, -1 when not set */
  int   keep_days;     /* backups, -1 when not set */
} DgServerConfig;

/* Reads @path. Unknown groups and keys are refused, so that a misspelt setting is not silently
 * ignored; relative paths in the file are taken from the file's folder. */
DgServerConfig *dg_server_config_load (const char      *path,
                                       GError         **error);
void            dg_server_config_free (DgServerConfig  *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgServerConfig, dg_server_config_free)

G_END_DECLS
