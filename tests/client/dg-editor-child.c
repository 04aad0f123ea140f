/* dg-editor-child.c: the window with points typed into a new check, for test-client-drafts
 * to kill.
 *
 *   dg-editor-child DB N
 *
 * Opens the local store at DB, shows the app's window, starts a new road check and types N
 * points into it through the editor's widgets; prints "kept" once the draft is on disk, then
 * runs until killed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "dg-test-client.h"

static gboolean
kept (gpointer data)
{
  return !dg_draft_keeper_get_busy (dg_check_editor_get_drafts (data)) &&
         dg_check_editor_get_n_points (data) > 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(DgTokenStore) tokens = NULL;
  g_autoptr(DgSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  DgCheckEditor *editor;
  DgWindow *window;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s DB N\n", argv[0]);
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();

  store = dg_local_store_new (argv[1], &error);
  if (store == NULL || !dg_local_store_ensure_reference (store, &error))
    {
      printf ("error %s\n", error->message);
      return 1;
    }
  tokens = dg_token_store_new (NULL);
  engine = dg_sync_engine_new (store, tokens);
  window = dg_window_new (NULL, store, engine);
  gtk_window_present (GTK_WINDOW (window));
  dg_test_spin (100);

  dg_window_new_check (window);
  editor = dg_window_get_check_editor (window);
  dg_test_spin_until (dg_test_window_pages_idle, window, 5000);
  dg_test_type_points (editor, atoi (argv[2]));
  if (!dg_test_spin_until (kept, editor, 5000))
    {
      printf ("error the draft was not written\n");
      return 1;
    }
  printf ("kept\n");
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
