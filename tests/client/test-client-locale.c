/* test-client-locale.c: under a Chinese locale the client speaks Chinese.
 *
 * Inspectors and the office read Chinese. This opens the real window with LANG=zh_CN.UTF-8 and
 * the catalogue built from po/zh_CN.po, and checks what a person sees first: the window's title
 * and the titles of its pages.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "dg-test-client.h"

/* TRUE when @text holds a character of the CJK Unified Ideographs block. */
static gboolean
has_han (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0x4e00 && c <= 0x9fff)
        return TRUE;
    }
  return FALSE;
}

static void
test_window_and_pages_are_chinese (void)
{
  DgTestWindow fixture = { 0 };
  g_autoptr(GtkSelectionModel) pages = NULL;
  DgWindow *window;
  guint n_titles = 0;

  dg_test_window_setup (&fixture, NULL);
  window = fixture.window;

  g_test_message ("window title: %s", gtk_window_get_title (GTK_WINDOW (window)));
  g_assert_true (has_han (gtk_window_get_title (GTK_WINDOW (window))));

  pages = adw_view_stack_get_pages (dg_window_get_view_stack (window));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      const char *title = adw_view_stack_page_get_title (page);

      g_test_message ("page title: %s", title);
      g_assert_true (has_han (title));
      n_titles++;
    }
  g_assert_cmpuint (n_titles, >=, 2);

  g_clear_object (&pages);
  dg_test_window_teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("DUSTGRID_LOCALEDIR");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* As a Chinese desktop session would start the app. ./dev generates the locale; without it
   * this test cannot say anything, and a silent pass would hide an English UI. */
  g_setenv ("LANG", "zh_CN.UTF-8", TRUE);
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("the zh_CN.UTF-8 locale is missing: run ./dev test, which generates it");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/client/locale/zh-cn/window-and-page-titles", test_window_and_pages_are_chinese);

  return g_test_run ();
}
