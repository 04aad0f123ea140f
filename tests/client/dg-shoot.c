/* dg-shoot.c: screenshots of the app's pages, for the README and for looking at them.
 *
 *   dg-shoot OUTDIR WIDTH HEIGHT [USER]
 *
 * Makes the demo district (`dustgrid-server demo`), serves it on loopback, signs USER (admin by
 * default) in, syncs, and writes OUTDIR/PAGE-WIDTH.png (PAGE-USER-WIDTH.png for another user
 * than admin) for every page the user's role shows (the District page once per list; an
 * inspector's dust-fall editor with a jar typed in). The language is the environment's (LANG=zh_CN.UTF-8 for
 * Chinese, with DUSTGRID_LOCALEDIR naming the built catalogues). Run under a display: ./dev
 * shots does it under Xvfb, at 1280 and 360 px in zh_CN.
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dg-dustfall-editor.h"
#include "dg-test-client.h"

/* The window as drawn: a widget waiting for its allocation draws nothing, so a frame later
 * again while it is. */
static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = 0;
  int height = 0;

  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        dg_test_spin (100);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
    }
  if (node == NULL)
    g_error ("%s: nothing drawn in 5 s", path);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("could not write %s", path);
  g_print ("%s\n", path);
}

/* OUTDIR/PAGE-WIDTH.png for the administrator, OUTDIR/PAGE-USER-WIDTH.png for another user,
 * so that one user's pictures do not overwrite another's. */
static char *
shot_path (const char *outdir,
           const char *page,
           const char *user,
           int         width)
{
  g_autofree char *file = g_strcmp0 (user, "admin") == 0
                          ? g_strdup_printf ("%s-%d.png", page, width)
                          : g_strdup_printf ("%s-%s-%d.png", page, user, width);

  return g_build_filename (outdir, file, NULL);
}

/* Waits for the pages' reads, then for a few frames to be drawn. */
static void
settle (DgWindow *window)
{
  dg_test_spin_until (dg_test_window_pages_idle, window, 10000);
  dg_test_spin (600);
}

static void
shoot_sample (DgWindow   *window,
              const char *outdir,
              const char *user,
              int         width)
{
  DgDustfallEditor *editor = dg_window_get_dustfall_editor (window);
  g_autofree char *today = dg_date_today ();
  g_autofree char *this_month = dg_date_month (today);
  g_autofree char *month = dg_month_add (this_month, -1);
  g_autofree char *start = g_strdup_printf ("%s-01T09:00", month);
  g_autofree char *end = g_strdup_printf ("%s-01T09:00", this_month);
  g_autofree char *path = shot_path (outdir, "sample", user, width);
  struct { const char *field; const char *text; } typed[] = {
    { "site", "1" }, { "month", month }, { "start", start }, { "end", end },
    { "diameter_cm[0]", "15.0" }, { "diameter_cm[1]", "15.2" },
    { "w0_g", "30.1234" }, { "w1_g", "30.2930" }, { "wc_g", "0.0006" },
  };

  dg_window_new_sample (window);
  settle (window);
  gtk_drop_down_set_selected (dg_dustfall_editor_get_cell_dropdown (editor), 0);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, typed[i].field), typed[i].text);
  settle (window);
  /* The figures and the verdict are at the foot of the form. */
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (
      GTK_WIDGET (dg_dustfall_editor_get_result_label (editor, "value")),
      GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  settle (window);
  save_png (GTK_WIDGET (window), path);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("DUSTGRID_LOCALEDIR");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *client_dir = NULL;
  const char *options[] = { "--listen", "127.0.0.1", NULL };
  g_autoptr(DgTestProcess) process = NULL;
  DgTestClient *client;
  DgWindow *window;
  AdwViewStack *stack;
  g_autoptr(GListModel) pages = NULL;
  const char *outdir;
  const char *user;
  int width;
  int height;

  if (argc < 4)
    {
      g_printerr ("usage: %s OUTDIR WIDTH HEIGHT [USER]\n", argv[0]);
      return 2;
    }
  outdir = argv[1];
  width = atoi (argv[2]);
  height = atoi (argv[3]);
  user = argc > 4 ? argv[4] : "admin";

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();

  g_mkdir_with_parents (outdir, 0755);
  dir = g_dir_make_tmp ("dg-shoot-XXXXXX", &error);
  g_assert_no_error (error);
  /* The app's own files in the scratch directory, never the user's. */
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  db = g_build_filename (dir, "server.db", NULL);
  if (dg_test_run_binary ("demo", "--db", db, NULL) != 0)
    g_error ("dustgrid-server demo failed");
  process = dg_test_process_start (db, FALSE, options);

  client_dir = g_build_filename (dir, "client", NULL);
  client = dg_test_client_new (client_dir);
  if (!dg_test_client_sign_in (client, process->url, user, &error))
    g_error ("signing in as %s: %s", user, error->message);
  dg_test_client_sync_ok (client);

  window = dg_window_new (NULL, client->store, client->engine);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  settle (window);

  stack = dg_window_get_view_stack (window);
  pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
      const char *name = adw_view_stack_page_get_name (page);

      if (!adw_view_stack_page_get_visible (page) || name == NULL)
        continue;
      adw_view_stack_set_visible_child_name (stack, name);
      settle (window);
      if (g_strcmp0 (name, "district") == 0)
        {
          static const DgRecordType kinds[] = { DG_RECORD_UNIT, DG_RECORD_ROAD,
                                                DG_RECORD_GRID_CELL, DG_RECORD_RULE };

          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            {
              g_autofree char *list = g_strdup_printf ("district-%s",
                                                       dg_record_type_to_string (kinds[k]));
              g_autofree char *path = shot_path (outdir, list, user, width);

              dg_district_page_show_kind (dg_window_get_district_page (window), kinds[k]);
              settle (window);
              save_png (GTK_WIDGET (window), path);
            }
          continue;
        }
      {
        g_autofree char *path = shot_path (outdir, name, user, width);

        save_png (GTK_WIDGET (window), path);
      }
    }

  /* An inspector's dust-fall sample of last month, typed in, with its verdict. */
  if (g_strcmp0 (dg_token_store_get_role (client->tokens), "inspector") == 0)
    shoot_sample (window, outdir, user, width);

  gtk_window_destroy (GTK_WINDOW (window));
  dg_test_spin (50);
  dg_test_client_free (client);
  dg_test_process_stop (process);
  /* The demo database and the client's files were only for these pictures. */
  dg_test_remove_dir (dir);
  return 0;
}
