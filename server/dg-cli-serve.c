/* dg-cli-serve.c: `dustgrid-server serve`, the HTTP API as a service: it listens, tells systemd
 * how it is doing, reads a renewed certificate on SIGHUP and drains its requests on SIGTERM.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#ifdef HAVE_LIBSYSTEMD
# include <systemd/sd-daemon.h>
#endif

#include "dg-auth.h"
#include "dg-cli-private.h"
#include "dg-config.h"
#include "dg-server.h"
#include "dg-store.h"

/* How long a SIGTERM waits for the requests already begun. The largest batch takes about a
 * second to store on an idle machine, ten times that on a loaded one or under AddressSanitizer;
 * systemd's default stop timeout (90 s) is still well beyond. */
#define SHUTDOWN_GRACE_SECONDS 30
/* A request the client has finished sending may still wait in the socket, not yet read: the
 * server only stops once nothing has been unanswered for this long. */
#define SHUTDOWN_QUIET_MS 500

/* Tells systemd (Type=notify) how the service is doing; nothing without systemd. */
static void
notify_systemd (const char *state)
{
#ifdef HAVE_LIBSYSTEMD
  sd_notify (0, state);
#endif
}

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

int
dg_cli_serve (int    argc,
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
  const DgServerConfig *config;
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

  if (!dg_cli_parse_options ("serve", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("serve", error);

  /* What the command line leaves out comes from the settings file, then the defaults. */
  config = dg_cli_config ();
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
      return DG_CLI_EXIT_USAGE;
    }
  if (idle_timeout > 86400)
    {
      fprintf (stderr, "dustgrid-server serve: --idle-timeout must be 0 to 86400\n");
      return DG_CLI_EXIT_USAGE;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      fprintf (stderr, "dustgrid-server serve: --tls-cert and --tls-key go together\n");
      return DG_CLI_EXIT_USAGE;
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("serve", error);
  auth = dg_auth_new (store);
  if (!dg_auth_restore_failures (auth, &error))
    return dg_cli_fail ("serve", error);
  server = dg_server_new (store, auth);
  dg_server_set_idle_timeout (server, (guint) idle_timeout);

  if (tls_cert != NULL && !dg_server_set_tls_files (server, tls_cert, tls_key, &error))
    return dg_cli_fail ("serve", error);
  if (!dg_server_listen (server, listen != NULL ? listen : "127.0.0.1", (guint) port, &error))
    return dg_cli_fail ("serve", error);

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
