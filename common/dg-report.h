/* dg-report.h: the monthly assessment tables of design 3.3.
 *
 * The same builders run on the server (reports, exports) and in the client (office view, offline),
 * so their figures always agree.
 */
#pragma once

#include "dg-model.h"
#include "dg-rule-set.h"
#include "dg-dustfall.h"

G_BEGIN_DECLS

/* (value − base) / base × 100, to 0.1: 环比 and 同比 (@base ≠ 0). */
double            dg_report_percent_change (double value,
                                            double base);
/* The mean of @n reported values whose sum is @sum tenths, to 0.1. Sums of reported values are
 * kept in whole tenths: summing the doubles drifts at province scale. */
double            dg_report_mean_of_tenths (gint64 sum,
                                            guint  n);

/* Competition ranking (1, 2, 2, 4), the one rule every ranking follows (cells, roads, units):
 * walk the rows in their sorted order, best first, and ask each row's rank of its value; equal
 * values share a rank and the next rank skips. Start from { 0 }. */
typedef struct
{
  guint  n;       /* rows ranked so far */
  int    rank;    /* the last row's rank */
  double value;   /* the last row's value */
} DgRanking;

int               dg_ranking_next          (DgRanking *ranking,
                                            double     value);

/* ---- Dust-fall ranking ---- */

typedef struct
{
  int       rank;          /* 1 = cleanest; 0 for cells without data (缺测), listed last */
  char     *cell_id;
  char     *code;
  char     *name;
  char     *unit;
  char     *unit_id;       /* the cell's DgUnit (6.3), NULL when it names none */
  int       row, col;
  gboolean  has_value;
  double    value;         /* to 0.1 */
  gboolean  exceeds;       /* value > cap */
  guint     sites;
  double    site_max;      /* NAN without data */
  double    site_min;
  gboolean  has_prev;      /* previous month had data */
  double    prev_value;
  gboolean  has_mom;       /* 环比: needs both values and prev ≠ 0 */
  double    mom_change;    /* value − prev, to 0.1 */
  double    mom_pct;       /* (value − prev) / prev × 100, to 0.1 */
  gboolean  has_yoy;       /* 同比: same month a year before */
  double    yoy_pct;
  gboolean  has_ytd;
  double    ytd_mean;      /* mean of this year's monthly values up to this month, to 0.1 */
  gboolean  ytd_exceeds;   /* ytd_mean > cap */
  gboolean  history;       /* value is a history record's: the month had no valid sample (6.4) */
} DgCellRank;

typedef struct
{
  char      *month;
  double     cap;
  gboolean   has_district_mean;
  double     district_mean;  /* mean of the ranked cells' values, to 0.1 */
  guint      n_ranked;
  guint      n_exceeding;
  GPtrArray *cells;          /* DgCellRank *, ranked ones first by rank then code, 缺测 after by code */
} DgDustfallReport;

/* The months dg_dustfall_report_build() reads for @month ("YYYY-MM"): January..@month of its
 * year (the year-to-date mean), the month before and the same month a year before; NULL-ended,
 * each once. */
GStrv             dg_dustfall_report_months (const char *month);

/* @cells: DgGridCell *; @values: DgCellMonth covering at least dg_dustfall_report_months() (others are
 * ignored), history values already in (dg_cell_months_add_history()). */
DgDustfallReport *dg_dustfall_report_build (const char      *month,
                                            GPtrArray       *cells,
                                            const GArray    *values,
                                            const DgRuleSet *rules);
void              dg_dustfall_report_free  (DgDustfallReport *report);

/* ---- Road table ---- */

typedef struct
{
  int       rank;                      /* by overall mean ascending; 0 = no points this month */
  char     *road_id;
  char     *name;
  char     *unit;
  char     *unit_id;                   /* the road's DgUnit (6.3), NULL when it names none */
  guint     checks;
  guint     complete;
  guint     points;
  gboolean  has_mean;
  double    mean;                      /* mean of all point loads, to 0.1 */
  gboolean  has_means[DG_N_SURFACES];
  double    means[DG_N_SURFACES];      /* per surface, to 0.1 */
  double    max;                       /* largest point load, NAN without points */
  guint     points_over;
  guint     passed;                    /* checks that passed */
  guint     complete_passed;           /* complete checks that passed (6.3's pass rate) */
} DgRoadRow;

typedef struct
{
  char      *month;
  GPtrArray *roads;   /* DgRoadRow *: ranked first, then roads without checks by name */
} DgRoadReport;

/* @roads: DgRoad *; @checks: DgRoadCheck * (checks outside @month are ignored). */
DgRoadReport *dg_road_report_build (const char      *month,
                                    GPtrArray       *roads,
                                    GPtrArray       *checks,
                                    const DgRuleSet *rules);
void          dg_road_report_free  (DgRoadReport *report);

/* ---- Daily quota ---- */

typedef enum
{
  DG_QUOTA_MET,
  DG_QUOTA_SHORT,
  DG_QUOTA_PENDING,   /* a day after today */
} DgQuotaState;

const char *dg_quota_state_to_string (DgQuotaState state);   /* "met", "short", "pending" */

typedef struct
{
  char         *date;
  guint         roads;      /* distinct roads with a complete check that day */
  guint         required;
  DgQuotaState  state;
} DgQuotaDay;

typedef struct
{
  char   *month;
  guint   roads_required;   /* in force on the month's first day */
  guint   points_required;
  GArray *days;             /* DgQuotaDay for every day of the month */
  guint   days_met;
  guint   days_elapsed;     /* days up to and including @today */
} DgQuotaReport;

/* Distinct roads with a complete check on @date (district-wide: all inspectors together). */
guint          dg_quota_roads_on       (GPtrArray       *checks,
                                        const char      *date,
                                        const DgRuleSet *rules);

/* @today: YYYY-MM-DD; days after it are pending. */
DgQuotaReport *dg_quota_report_build   (const char      *month,
                                        GPtrArray       *checks,
                                        const DgRuleSet *rules,
                                        const char      *today);
void           dg_quota_report_free    (DgQuotaReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgDustfallReport, dg_dustfall_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRoadReport, dg_road_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgQuotaReport, dg_quota_report_free)

G_END_DECLS
