/* dg-user-dialog.h: an administrator adds a user, or changes one (design 6.1): display name,
 * role, unit, disabled, a new password, and ending the user's sessions. */
#pragma once

#include <adwaita.h>

#include "dg-api-client.h"

G_BEGIN_DECLS

#define DG_TYPE_USER_DIALOG (dg_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DgUserDialog, dg_user_dialog, DG, USER_DIALOG, AdwWindow)

/* @user NULL: a new user. @units (DgUnit *) are the units a unit user may answer for. "saved"
 * is emitted with the user as the server holds it. */
DgUserDialog *dg_user_dialog_new       (GtkWindow    *parent,
                                        DgApiClient  *api,
                                        const DgUser *user,
                                        GPtrArray    *units);
/* The message shown under the fields, or NULL: for tests. */
const char   *dg_user_dialog_get_error (DgUserDialog *self);

/* Translated: "Inspector", "Office", "Administrator", "Unit". */
const char   *dg_user_dialog_role_name (DgRole        role);

G_END_DECLS
