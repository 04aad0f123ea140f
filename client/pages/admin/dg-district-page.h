/* dg-district-page.h: the administrator's district data (design 6.1): the units as a tree, the
 * roads, the grid cells, and the rules with the value in force today and the changes to come.
 * Each list is searchable; a row opens its editor, and edits go through the outbox. */
#pragma once

#include <adwaita.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_DISTRICT_PAGE (dg_district_page_get_type ())
G_DECLARE_FINAL_TYPE (DgDistrictPage, dg_district_page, DG, DISTRICT_PAGE, GtkBox)

GtkWidget  *dg_district_page_new         (void);
void        dg_district_page_set_store   (DgDistrictPage *self,
                                          DgLocalStore   *store);
/* Shows the list of @type (DG_RECORD_UNIT, _ROAD, _GRID_CELL or _RULE). */
void        dg_district_page_show_kind   (DgDistrictPage *self,
                                          DgRecordType    type);
/* TRUE while the lists are read from the store ("loading" is notified). */
gboolean    dg_district_page_get_loading (DgDistrictPage *self);

/* For tests: the list of @type, the rows' titles shown in it ("|"-joined, in order; a rule
 * series' heading row then its rules), activating the row titled @title, and the open
 * editor (or NULL). */
GtkListBox *dg_district_page_get_list    (DgDistrictPage *self,
                                          DgRecordType    type);
char       *dg_district_page_dup_titles  (DgDistrictPage *self,
                                          DgRecordType    type);
char       *dg_district_page_dup_subtitle (DgDistrictPage *self,
                                           DgRecordType    type,
                                           const char     *title);
gboolean    dg_district_page_activate    (DgDistrictPage *self,
                                          DgRecordType    type,
                                          const char     *title);
GtkWindow  *dg_district_page_get_dialog  (DgDistrictPage *self);

G_END_DECLS
