/* dg-month-report.h: one month of the office view, built from the local store by common/.
 *
 * An immutable snapshot, shared by the office page, its charts, the grid map and the trend
 * dialog: the dust-fall ranking, the road table and the quota calendar (built by
 * dg_dustfall_report_build() and friends, the very code behind the server's reports, so the
 * figures agree and the view works offline), the cells' monthly values for their trends, the
 * rules, and the month's records the office may return. Loading reads the store and builds the
 * tables in a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "dustgrid-common.h"
#include "dg-local-store.h"

G_BEGIN_DECLS

/* Months of values a report keeps for a cell's trend, the month itself included. */
#define DG_MONTH_REPORT_TREND_MONTHS 12

/* A record of the month, as the office's list of records shows it. */
typedef struct
{
  DgRecordType   type;
  char          *id;
  char          *title;      /* "Haixiu Road · 2025-03-14", "C03 Fucheng · site 1, jar A" */
  char          *subtitle;   /* author and a figure */
  DgRecordState  state;
  char          *reason;     /* when returned */
  gboolean       on_server;  /* has a server revision: only those can be returned */
} DgMonthRecord;

#define DG_TYPE_MONTH_REPORT (dg_month_report_get_type ())
G_DECLARE_FINAL_TYPE (DgMonthReport, dg_month_report, DG, MONTH_REPORT, GObject)

/* Takes ownership of every argument but @month; any may be NULL (a test draws a ranking alone).
 * @values: GArray of DgCellMonth; @records: GPtrArray of DgMonthRecord. */
DgMonthReport          *dg_month_report_new          (const char       *month,
                                                      DgDustfallReport *dustfall,
                                                      DgRoadReport     *roads,
                                                      DgQuotaReport    *quota,
                                                      GArray           *values,
                                                      DgRuleSet        *rules,
                                                      GPtrArray        *records);

/* Reads @store and builds the month (blocking: call it in a worker thread). @today
 * (YYYY-MM-DD, NULL for the real today) decides which quota days are pending. */
DgMonthReport          *dg_month_report_load         (DgLocalStore     *store,
                                                      const char       *month,
                                                      const char       *today,
                                                      GError          **error);
void                    dg_month_report_load_async   (DgLocalStore        *store,
                                                      const char          *month,
                                                      const char          *today,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
DgMonthReport          *dg_month_report_load_finish  (GAsyncResult     *result,
                                                      GError          **error);

const char             *dg_month_report_get_month    (DgMonthReport *self);
const DgDustfallReport *dg_month_report_get_dustfall (DgMonthReport *self);
const DgRoadReport     *dg_month_report_get_roads    (DgMonthReport *self);
const DgQuotaReport    *dg_month_report_get_quota    (DgMonthReport *self);
const DgRuleSet        *dg_month_report_get_rules    (DgMonthReport *self);
/* DgMonthRecord *, checks by date then samples by cell; never NULL. */
GPtrArray              *dg_month_report_get_records  (DgMonthReport *self);
/* The ranking row of @cell_id, or NULL. */
const DgCellRank       *dg_month_report_find_cell    (DgMonthReport *self,
                                                      const char    *cell_id);
/* The DG_MONTH_REPORT_TREND_MONTHS months up to the report's month of @cell_id: DgTrendPoint. */
GArray                 *dg_month_report_trend        (DgMonthReport *self,
                                                      const char    *cell_id);

G_END_DECLS
