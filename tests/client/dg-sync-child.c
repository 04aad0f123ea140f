/* dg-sync-child.c: one client sync in a process of its own, for test-client-crash to kill.
 *
 *   dg-sync-child DB SESSION
 *
 * Opens the local store at DB and the session (server address and token) at SESSION, runs one
 * complete sync, and exits 0 once it is done. On stdout, one line each: "pending N" once the
 * store is open, "progress P" after each batch the server acknowledged, then "done" or
 * "error MESSAGE" (exit 1).
 */
#include "config.h"

#include <stdio.h>

#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-token-store.h"

static void
progress_cb (DgSyncEngine *engine,
             GParamSpec   *pspec,
             gpointer      user_data)
{
  double progress = dg_sync_engine_get_progress (engine);

  if (progress > 0)
    printf ("progress %.3f\n", progress);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(DgTokenStore) tokens = NULL;
  g_autoptr(DgSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s DB SESSION\n", argv[0]);
      return 2;
    }
  /* The parent reads each line as it comes. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  store = dg_local_store_new (argv[1], &error);
  if (store == NULL)
    {
      printf ("error %s\n", error->message);
      return 1;
    }
  tokens = dg_token_store_new (argv[2]);
  engine = dg_sync_engine_new (store, tokens);
  if (!dg_sync_engine_get_signed_in (engine))
    {
      printf ("error not signed in\n");
      return 1;
    }
  printf ("pending %u\n", dg_local_store_count_pending (store));

  g_signal_connect (engine, "notify::progress", G_CALLBACK (progress_cb), NULL);
  dg_sync_engine_sync_async (engine, NULL, synced_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (!dg_sync_engine_sync_finish (engine, result, &error))
    {
      printf ("error %s\n", error->message);
      return 1;
    }
  printf ("done\n");
  return 0;
}
