/* dg-password-dialog.h: the signed-in user changes their own password (design 6.1). */
#pragma once

#include <adwaita.h>

#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_PASSWORD_DIALOG (dg_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DgPasswordDialog, dg_password_dialog, DG, PASSWORD_DIALOG, AdwWindow)

DgPasswordDialog *dg_password_dialog_new       (GtkWindow        *parent,
                                                DgSyncEngine     *engine);
/* The message shown under the fields, or NULL: for tests. */
const char       *dg_password_dialog_get_error (DgPasswordDialog *self);

G_END_DECLS
