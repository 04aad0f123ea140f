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

  setlocale (LC_ALL, "");
  /* An uninstalled build can point at its own translations. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("DustGrid"));
  app = dg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
