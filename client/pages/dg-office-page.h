/* dg-office-page.h: the dust-control office's view of a month (design 1, 3.3).
 *
 * A month picker over tabs, each its own widget in office/: the dust-fall ranking with every
 * column of design 3.3 (DgRankingTab), the ranking chart and the district grid map
 * (DgChartsTab), the road table and chart (DgRoadsTab), the quota calendar (DgQuotaTab), and
 * the month's records (DgRecordsTab). Figures are built from the local store by common/'s
 * builders in a worker thread (DgMonthReport), so the page works offline and agrees with the
 * server. Actions: export the assessment (XLSX, PDF, CSV), close or reopen the month, return a
 * record to its inspector; the last three ask the server through DgOfficeActions with the sync
 * engine's session.
 */
#pragma once

#include <adwaita.h>

#include "dg-grid-map.h"
#include "dg-local-store.h"
#include "dg-month-report.h"
#include "dg-ranking-chart.h"
#include "dg-sync-engine.h"
#include "office/dg-ranking-tab.h"    /* DgOfficeColumn */

G_BEGIN_DECLS

#define DG_TYPE_OFFICE_PAGE (dg_office_page_get_type ())
G_DECLARE_FINAL_TYPE (DgOfficePage, dg_office_page, DG, OFFICE_PAGE, GtkWidget)

GtkWidget      *dg_office_page_new               (void);

void            dg_office_page_set_store         (DgOfficePage *self,
                                                  DgLocalStore *store);
/* Optional: the session for closing, reopening and returning. Without it those ask to sign in. */
void            dg_office_page_set_engine        (DgOfficePage *self,
                                                  DgSyncEngine *engine);

/* YYYY-MM; the current month by default. */
const char     *dg_office_page_get_month         (DgOfficePage *self);
void            dg_office_page_set_month         (DgOfficePage *self,
                                                  const char   *month);
/* Builds the month again from the store (also done on the store's "changed"). */
void            dg_office_page_reload            (DgOfficePage *self);
gboolean        dg_office_page_get_loading       (DgOfficePage *self);
/* The month shown, or NULL before the first load. */
DgMonthReport  *dg_office_page_get_report        (DgOfficePage *self);

/* Writes the month's assessment to @path in a worker thread (common/'s writers), showing
 * progress; the export action runs this after its file chooser. */
void            dg_office_page_export_async      (DgOfficePage        *self,
                                                  DgAssessmentFormat   format,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        dg_office_page_export_finish     (DgOfficePage  *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* The text the ranking table shows in @column of row @position (newly allocated), or NULL. */
char           *dg_office_page_dup_ranking_text  (DgOfficePage   *self,
                                                  guint           position,
                                                  DgOfficeColumn  column);

/* The widgets, for tests. */
GtkColumnView  *dg_office_page_get_ranking_view  (DgOfficePage *self);
GtkColumnView  *dg_office_page_get_roads_view    (DgOfficePage *self);
DgRankingChart *dg_office_page_get_ranking_chart (DgOfficePage *self);
DgGridMap      *dg_office_page_get_grid_map      (DgOfficePage *self);
GtkGrid        *dg_office_page_get_quota_grid    (DgOfficePage *self);
GtkListBox     *dg_office_page_get_records_list  (DgOfficePage *self);

G_END_DECLS
