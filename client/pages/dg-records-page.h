/* dg-records-page.h: the inspector's checks and samples, with their state. */
#pragma once

#include <gtk/gtk.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_RECORDS_PAGE (dg_records_page_get_type ())
G_DECLARE_FINAL_TYPE (DgRecordsPage, dg_records_page, DG, RECORDS_PAGE, GtkWidget)

void        dg_records_page_set_store   (DgRecordsPage *self,
                                         DgLocalStore  *store);
/* Reads the store again, on a worker thread: the rows follow once it has answered. */
void        dg_records_page_refresh     (DgRecordsPage *self);
/* The search entry and the state filter (for tests). */
GtkSearchEntry *dg_records_page_get_search_entry (DgRecordsPage *self);
GtkDropDown    *dg_records_page_get_filter       (DgRecordsPage *self);
/* The rows' titles of the checks list, "|"-joined (for tests). */
char           *dg_records_page_dup_check_titles (DgRecordsPage *self);
/* Whether a read is in flight. */
gboolean    dg_records_page_get_loading (DgRecordsPage *self);

G_END_DECLS
