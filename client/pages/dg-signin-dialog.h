/* dg-signin-dialog.h: server address, user name and password. */
#pragma once

#include <adwaita.h>

#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_SIGNIN_DIALOG (dg_signin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DgSigninDialog, dg_signin_dialog, DG, SIGNIN_DIALOG, AdwWindow)

DgSigninDialog *dg_signin_dialog_new (GtkWindow    *parent,
                                      DgSyncEngine *engine);

G_END_DECLS
