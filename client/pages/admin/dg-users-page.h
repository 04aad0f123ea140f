/* dg-users-page.h: the administrator's list of users (design 6.1), searchable, with adding a
 * user and opening one to change it. */
#pragma once

#include <adwaita.h>

#include "dg-api-client.h"
#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_USERS_PAGE (dg_users_page_get_type ())
G_DECLARE_FINAL_TYPE (DgUsersPage, dg_users_page, DG, USERS_PAGE, GtkBox)

GtkWidget  *dg_users_page_new         (void);
void        dg_users_page_set_api     (DgUsersPage *self,
                                       DgApiClient *api);
/* The store the unit names come from. */
void        dg_users_page_set_store   (DgUsersPage  *self,
                                       DgLocalStore *store);
/* Reads the list again from the server. */
void        dg_users_page_reload      (DgUsersPage *self);
/* TRUE while a reload is under way ("loading" is notified). */
gboolean    dg_users_page_get_loading (DgUsersPage *self);
/* The rows' list box, and the open user dialog (or NULL): for tests. */
GtkListBox *dg_users_page_get_list    (DgUsersPage *self);
GtkWindow  *dg_users_page_get_dialog  (DgUsersPage *self);

G_END_DECLS
