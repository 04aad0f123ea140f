/* test-client-drafts.c: typed work survives leaving the editor, closing the window and a kill
 * of the client, through the real widgets under Xvfb.
 *
 * Each editor keeps a draft in the local store as it is typed; leaving with unsaved changes
 * asks Keep Editing / Discard / Keep Draft; a new record opens the draft of the last one never
 * saved.
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "dg-test-client.h"

typedef DgTestWindow Fixture;

static gboolean
on_main_page (gpointer data)
{
  return g_strcmp0 (dg_window_get_visible_page (data), "main") == 0;
}

static gboolean
check_restored (gpointer data)
{
  return !dg_check_editor_get_restoring (dg_window_get_check_editor (data));
}

static gboolean
sample_restored (gpointer data)
{
  return !dg_dustfall_editor_get_restoring (dg_window_get_dustfall_editor (data));
}

static gboolean
draft_written (gpointer data)
{
  return !dg_draft_keeper_get_busy (data);
}

/* Opens a new check and waits until any draft has been looked for. */
static DgCheckEditor *
open_new_check (DgWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-check", NULL));
  g_assert_cmpstr (dg_window_get_visible_page (window), ==, "check");
  g_assert_true (dg_test_spin_until (check_restored, window, 5000));
  return dg_window_get_check_editor (window);
}

/* The points typed by dg_test_type_points(): @n of them and a blank row after. */
static void
assert_points (DgCheckEditor *editor,
               guint          n)
{
  g_assert_cmpuint (dg_check_editor_get_n_points (editor), ==, n + 1);
  for (guint i = 0; i < n; i++)
    {
      DgPointRow *row = dg_check_editor_get_point_row (editor, i);
      g_autofree char *location = g_strdup_printf ("K0+%u00", i + 1);
      g_autofree char *mass = g_strdup_printf ("1.%u", i + 1);

      g_assert_cmpstr (gtk_editable_get_text (dg_point_row_get_location_entry (row)), ==,
                       location);
      g_assert_cmpstr (gtk_editable_get_text (dg_point_row_get_mass_entry (row)), ==, mass);
    }
  g_assert_true (dg_point_row_is_blank (dg_check_editor_get_point_row (editor, n)));
}

/* Escape with five points typed asks; Keep Editing stays, Keep Draft leaves and the next new
 * check has the points back, Discard leaves and the next one is blank. */
static void
test_escape (Fixture       *fixture,
             gconstpointer  user_data)
{
  DgCheckEditor *editor = open_new_check (fixture->window);
  g_autofree char *id = g_strdup (dg_check_editor_get_id (editor));
  g_autoptr(GPtrArray) checks = NULL;

  dg_test_type_points (editor, 5);
  g_assert_true (dg_check_editor_get_dirty (editor));

  /* Escape is the editor's close action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  g_assert_true (dg_test_answer_dialog ("cancel"));
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "check");
  assert_points (editor, 5);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  g_assert_true (dg_test_answer_dialog ("keep"));
  g_assert_true (dg_test_spin_until (on_main_page, fixture->window, 5000));

  /* Nothing was saved as a record: only the draft holds the points. */
  checks = dg_local_store_list_entries (fixture->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (checks->len, ==, 0);

  editor = open_new_check (fixture->window);
  g_assert_cmpstr (dg_check_editor_get_id (editor), ==, id);
  assert_points (editor, 5);
  g_assert_true (dg_check_editor_get_dirty (editor));

  /* Back (the same action) and Discard: gone for good. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  g_assert_true (dg_test_answer_dialog ("discard"));
  g_assert_true (dg_test_spin_until (on_main_page, fixture->window, 5000));
  editor = open_new_check (fixture->window);
  g_assert_cmpstr (dg_check_editor_get_id (editor), !=, id);
  g_assert_cmpuint (dg_check_editor_get_n_points (editor), ==, 1);
  g_assert_false (dg_check_editor_get_dirty (editor));

  /* Nothing typed: Escape leaves without a question. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  g_assert_true (dg_test_spin_until (on_main_page, fixture->window, 5000));
}

/* Saving drops the draft: the next new check is blank. */
static void
test_saved (Fixture       *fixture,
            gconstpointer  user_data)
{
  DgCheckEditor *editor = open_new_check (fixture->window);
  g_autofree char *id = g_strdup (dg_check_editor_get_id (editor));

  dg_test_type_points (editor, 2);
  g_assert_true (dg_test_spin_until (draft_written, dg_check_editor_get_drafts (editor), 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (dg_test_spin_until (on_main_page, fixture->window, 5000));
  g_assert_true (dg_test_spin_until (draft_written, dg_check_editor_get_drafts (editor), 5000));

  editor = open_new_check (fixture->window);
  g_assert_cmpstr (dg_check_editor_get_id (editor), !=, id);
  g_assert_cmpuint (dg_check_editor_get_n_points (editor), ==, 1);
}

/* Closing the window with an editor open asks too; with Keep Draft the window goes, and a
 * window opened later (the app started again) has the points back. */
static void
test_window_close (Fixture       *fixture,
                   gconstpointer  user_data)
{
  DgCheckEditor *editor = open_new_check (fixture->window);
  g_autoptr(GtkWidget) window = g_object_ref (GTK_WIDGET (fixture->window));

  dg_test_type_points (editor, 4);

  /* Keep Editing: the window stays. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (dg_test_answer_dialog ("cancel"));
  g_assert_true (gtk_widget_get_visible (window));
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "check");

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (dg_test_answer_dialog ("keep"));
  dg_test_spin (100);
  g_assert_false (gtk_widget_get_visible (window));
  fixture->window = NULL;

  fixture->window = dg_window_new (NULL, fixture->store, fixture->engine);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));
  editor = open_new_check (fixture->window);
  assert_points (editor, 4);
}

/* The dust-fall editor keeps its draft the same way, texts as typed (a bad number too). */
static void
test_sample (Fixture       *fixture,
             gconstpointer  user_data)
{
  DgDustfallEditor *editor = dg_window_get_dustfall_editor (fixture->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-sample",
                                             NULL));
  g_assert_true (dg_test_spin_until (sample_restored, fixture->window, 5000));
  gtk_drop_down_set_selected (dg_dustfall_editor_get_cell_dropdown (editor), 1);
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w0_g"), "30.1234");
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.15x");
  g_assert_true (dg_dustfall_editor_get_dirty (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  g_assert_true (dg_test_answer_dialog ("keep"));
  g_assert_true (dg_test_spin_until (on_main_page, fixture->window, 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-sample",
                                             NULL));
  g_assert_true (dg_test_spin_until (sample_restored, fixture->window, 5000));
  g_assert_cmpstr (gtk_editable_get_text (dg_dustfall_editor_get_entry (editor, "w0_g")), ==,
                   "30.1234");
  g_assert_cmpstr (gtk_editable_get_text (dg_dustfall_editor_get_entry (editor, "w1_g")), ==,
                   "30.15x");
  g_assert_cmpuint (gtk_drop_down_get_selected (dg_dustfall_editor_get_cell_dropdown (editor)),
                    ==, 1);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The client killed (SIGKILL: nothing runs at exit) with points typed and never saved: the
 * next start has them back in the next new check. */
static void
test_killed (void)
{
  const char *child_path = g_getenv ("DG_EDITOR_CHILD");
  g_autofree char *path = dg_local_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Fixture fixture = { 0, };

  if (child_path == NULL)
    {
      g_test_skip ("DG_EDITOR_CHILD does not name dg-editor-child");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, child_path, path, "5", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "kept");

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  g_assert_true (dg_test_integrity_ok (path));

  /* The app started again on the same store. */
  dg_test_window_setup (&fixture, NULL);
  assert_points (open_new_check (fixture.window), 5);
  dg_test_window_teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  dg_test_init_gtk (&argc, &argv);

  g_test_add ("/client/drafts/escape-asks-and-keeps", Fixture, NULL,
              dg_test_window_setup, test_escape, dg_test_window_teardown);
  g_test_add ("/client/drafts/saving-drops-the-draft", Fixture, NULL,
              dg_test_window_setup, test_saved, dg_test_window_teardown);
  g_test_add ("/client/drafts/window-close-asks-and-keeps", Fixture, NULL,
              dg_test_window_setup, test_window_close, dg_test_window_teardown);
  g_test_add ("/client/drafts/dustfall-sample", Fixture, NULL,
              dg_test_window_setup, test_sample, dg_test_window_teardown);
  g_test_add_func ("/client/drafts/survives-a-kill", test_killed);

  return g_test_run ();
}
