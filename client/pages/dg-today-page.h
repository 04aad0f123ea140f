/* dg-today-page.h: the records the office returned, today's quota progress and today's checks. */
#pragma once

#include <gtk/gtk.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_TODAY_PAGE (dg_today_page_get_type ())
G_DECLARE_FINAL_TYPE (DgTodayPage, dg_today_page, DG, TODAY_PAGE, GtkWidget)

void        dg_today_page_set_store        (DgTodayPage  *self,
                                            DgLocalStore *store);
/* Re-reads the store (also done on DgLocalStore::changed), on a worker thread: the rows follow
 * once it has answered. */
void        dg_today_page_refresh          (DgTodayPage  *self);
/* Whether a read is in flight ("loading" is notified when it changes). */
gboolean    dg_today_page_get_loading      (DgTodayPage  *self);
/* For tests: complete roads today, and the label shown. */
guint       dg_today_page_get_complete_roads (DgTodayPage *self);
GtkLabel   *dg_today_page_get_quota_label  (DgTodayPage  *self);
/* The returned records waiting for their correction to reach the server ("n-returned"), and
 * their list at the top of the page (for tests). */
guint       dg_today_page_get_n_returned   (DgTodayPage  *self);
GtkListBox *dg_today_page_get_returned_list (DgTodayPage *self);

G_END_DECLS
