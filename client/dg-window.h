/* dg-window.h: the main window, a leaflet of pages (today, records, editors) that later pages
 * (the office view) join. */
#pragma once

#include <adwaita.h>

#include "dg-check-editor.h"
#include "dg-district-page.h"
#include "dg-dustfall-editor.h"
#include "dg-local-store.h"
#include "dg-records-page.h"
#include "dg-sync-engine.h"
#include "dg-sync-indicator.h"
#include "dg-today-page.h"
#include "dg-users-page.h"

G_BEGIN_DECLS

#define DG_TYPE_WINDOW (dg_window_get_type ())
G_DECLARE_FINAL_TYPE (DgWindow, dg_window, DG, WINDOW, AdwApplicationWindow)

/* @store may not be open yet (dg_local_store_new_for_path()): the window then shows a progress bar
 * until it is. */
DgWindow         *dg_window_new                 (GtkApplication *application,
                                                 DgLocalStore   *store,
                                                 DgSyncEngine   *engine);
/* TRUE once the store is open and the today page shows it ("ready" is notified). */
gboolean          dg_window_get_ready           (DgWindow       *self);
DgLocalStore     *dg_window_get_store           (DgWindow       *self);
DgSyncEngine     *dg_window_get_engine          (DgWindow       *self);

void              dg_window_new_check           (DgWindow       *self);
void              dg_window_new_sample          (DgWindow       *self);
void              dg_window_show_sign_in        (DgWindow       *self);
/* Signed in: the dialog that changes the user's own password. */
void              dg_window_show_change_password (DgWindow  *self);
/* The dialog while it is open, or NULL: for tests. */
GtkWindow        *dg_window_get_password_dialog  (DgWindow  *self);
/* The administrator's users page (shown to roles that may manage users). */
DgUsersPage      *dg_window_get_users_page       (DgWindow  *self);
DgDistrictPage   *dg_window_get_district_page    (DgWindow  *self);
void              dg_window_add_toast           (DgWindow       *self,
                                                 const char     *text);

/* The pages, for tests and for pages that join later. */
AdwViewStack     *dg_window_get_view_stack      (DgWindow       *self);
DgTodayPage      *dg_window_get_today_page      (DgWindow       *self);
DgRecordsPage    *dg_window_get_records_page    (DgWindow       *self);
DgCheckEditor    *dg_window_get_check_editor    (DgWindow       *self);
DgDustfallEditor *dg_window_get_dustfall_editor (DgWindow       *self);
/* "main", "check", "sample", or "loading" while the store opens. */
const char       *dg_window_get_visible_page    (DgWindow       *self);
DgSyncIndicator  *dg_window_get_sync_indicator  (DgWindow       *self);

G_END_DECLS
