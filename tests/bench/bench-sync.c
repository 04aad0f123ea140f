/* bench-sync.c: the client's main loop while it syncs (issue 8, part 3, through the client's
 * public API only).
 *
 *   bench-sync --server PATH --reference FILE --workdir DIR [--records N]
 *
 * Saves N road checks in a fresh local store (the outbox), signs in to a real
 * `dustgrid-server serve` on a fresh database and runs one complete sync (push, then pull),
 * while a 1 ms timeout on the main loop records the longest gap between its dispatches: the
 * longest stall an inspector would feel. Target: at most 50 ms.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-token-store.h"

static char *opt_server;
static char *opt_reference;
static char *opt_workdir;
static int opt_records = 10000;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "dustgrid-server to run", "PATH" },
  { "reference", 0, 0, G_OPTION_ARG_FILENAME, &opt_reference, "Reference data", "FILE" },
  { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_workdir, "Scratch directory", "DIR" },
  { "records", 0, 0, G_OPTION_ARG_INT, &opt_records, "Checks to sync (10000)", "N" },
  { NULL }
};

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-sync: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

typedef struct
{
  GMainLoop *loop;
  gint64     last;
  gint64     max_gap;
  gint64     ticks;
  gboolean   done;
  GError    *error;
} Watch;

static gboolean
tick_cb (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();

  if (watch->last != 0)
    watch->max_gap = MAX (watch->max_gap, now - watch->last);
  watch->last = now;
  watch->ticks++;

  return G_SOURCE_CONTINUE;
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Watch *watch = data;

  if (!dg_sync_engine_sign_in_finish (DG_SYNC_ENGINE (source), result, &watch->error))
    watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Watch *watch = data;

  dg_sync_engine_sync_finish (DG_SYNC_ENGINE (source), result, &watch->error);
  watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static void
run_tool (const char *const *argv,
          const char        *input)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "DUSTGRID_PWHASH_MIN", "1", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error))
    die ("%s: %s", argv[1], error->message);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    die ("dustgrid-server %s failed", argv[1]);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- client sync benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(DgTokenStore) tokens = NULL;
  g_autoptr(DgSyncEngine) engine = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) roads = NULL;
  g_autofree char *db = NULL;
  g_autofree char *client_db = NULL;
  g_autofree char *session = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  GRand *rand = g_rand_new_with_seed (3);
  Watch watch = { 0 };
  guint tick;
  gint64 start;
  double seconds;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (opt_server == NULL || opt_reference == NULL || opt_workdir == NULL || opt_records < 1)
    die ("--server, --reference and --workdir are required");

  g_mkdir_with_parents (opt_workdir, 0755);
  db = g_build_filename (opt_workdir, "server.db", NULL);
  client_db = g_build_filename (opt_workdir, "client.db", NULL);
  session = g_build_filename (opt_workdir, "session.json", NULL);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix = (const char *[]) { "", "-wal", "-shm" }[i];
      g_autofree char *a = g_strconcat (db, suffix, NULL);
      g_autofree char *b = g_strconcat (client_db, suffix, NULL);

      g_unlink (a);
      g_unlink (b);
    }
  g_unlink (session);

  {
    const char *import[] = { opt_server, "import", "--db", db, opt_reference, NULL };
    const char *user[] = { opt_server, "user", "add", "--db", db, "--username", "bench",
                           "--role", "inspector", NULL };
    const char *serve[] = { opt_server, "serve", "--db", db, "--listen", "127.0.0.1", "--port",
                            "0", NULL };

    run_tool (import, NULL);
    run_tool (user, "bench-password\n");
    server = g_subprocess_newv (serve, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    if (server == NULL)
      die ("serve: %s", error->message);
    lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
    line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
    if (line == NULL || !g_str_has_prefix (line, "listening on "))
      die ("serve did not start");
    url = g_strdup (line + strlen ("listening on "));
  }

  /* The inspector's records, saved offline: all in the outbox. */
  store = dg_local_store_new (client_db, &error);
  if (store == NULL)
    die ("local store: %s", error->message);
  if (!json_parser_load_from_file (parser, opt_reference, &error) ||
      !dg_local_store_import_reference (store, json_parser_get_root (parser), FALSE, &error))
    die ("reference: %s", error->message);
  roads = dg_local_store_list_roads (store);
  for (int i = 0; i < opt_records; i++)
    {
      g_autoptr(DgRoadCheck) check = dg_road_check_new ();
      const DgRoad *road = g_ptr_array_index (roads, (guint) i % roads->len);

      check->id = g_strdup_printf ("%08x-%04x-4%03x-8%03x-%012x", g_rand_int (rand), i >> 16,
                                   i & 0xfff, g_rand_int (rand) & 0xfff, i);
      check->road_id = g_strdup (road->id);
      check->date = g_strdup_printf ("2025-%02d-%02d", i / 1000 % 12 + 1, i % 28 + 1);
      for (int p = 0; p < 6; p++)
        dg_road_check_add_point (check, p + 1, road->surface, "K0+100", 1.0,
                                 g_rand_double_range (rand, 0.5, 4.0));
      g_ptr_array_add (ids, g_strdup (check->id));
      g_ptr_array_add (datas, dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check));
    }
  if (!dg_local_store_save_many (store, DG_RECORD_ROAD_CHECK, ids, datas, &error))
    die ("save: %s", error->message);

  tokens = dg_token_store_new (session);
  engine = dg_sync_engine_new (store, tokens);
  dg_sync_engine_set_server_url (engine, url);

  watch.loop = g_main_loop_new (NULL, FALSE);
  tick = g_timeout_add (1, tick_cb, &watch);

  /* Signing in starts a sync of its own; then one complete run is awaited. */
  start = g_get_monotonic_time ();
  dg_sync_engine_sign_in_async (engine, url, "bench", "bench-password", NULL, signed_in_cb,
                                &watch);
  g_main_loop_run (watch.loop);
  if (watch.error != NULL)
    die ("sign in: %s", watch.error->message);
  dg_sync_engine_sync_async (engine, NULL, synced_cb, &watch);
  while (!watch.done)
    g_main_loop_run (watch.loop);
  if (watch.error != NULL)
    die ("sync: %s", watch.error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (tick);

  printf ("sync:  %d checks pushed and pulled in %.2f s; pending after: %u\n", opt_records,
          seconds, dg_sync_engine_get_n_pending (engine));
  printf ("sync:  longest main-loop stall %.1f ms over %" G_GINT64_FORMAT " ticks of 1 ms"
          " (target <= 50 ms)\n", watch.max_gap / 1e3, watch.ticks);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_main_loop_unref (watch.loop);
  g_rand_free (rand);

  return dg_sync_engine_get_n_pending (engine) == 0 ? 0 : 1;
}
