/* dg-application.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DG_TYPE_APPLICATION (dg_application_get_type ())
G_DECLARE_FINAL_TYPE (DgApplication, dg_application, DG, APPLICATION, AdwApplication)

DgApplication *dg_application_new (void);

/* The app's settings; falls back to the schema compiled in the build tree for an uninstalled
 * run, and to in-memory defaults when no schema is found at all. */
GSettings     *dg_settings_new    (void);

G_END_DECLS
