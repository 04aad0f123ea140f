/* main.c: the dustgrid client. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "dg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DgApplication) app = NULL;
  const char *localedir = g_getenv ("DUSTGRID_LOCALEDIR");

  /* A development build run from the tree (./dev run) uses the catalogs built next to it. */
  if (localedir == NULL && DEVELOPMENT_BUILD &&
      g_file_test (DG_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    localedir = DG_BUILD_LOCALEDIR;

  setlocale (LC_ALL, "");
  /* An uninstalled build can point at its own translations. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("DustGrid"));
  app = dg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
