/* dg-unit-report.h: the ranking of the responsible units (design 6.3).
 *
 * Built from the cell ranking and the road table of the same month, so a unit's figures are
 * those of its cells and roads as the office sees them, on the server and offline alike.
 */
#pragma once

#include "dg-model.h"
#include "dg-report.h"

G_BEGIN_DECLS

typedef struct
{
  int       rank;            /* among the units with the same parent; 0 without a ranked cell */
  char     *unit_id;
  char     *code;
  char     *name;
  char     *parent_id;       /* NULL at the top (or when the parent is unknown) */
  guint     depth;           /* 0 at the top */
  /* The counts below take in the unit and every unit below it. */
  guint     cells;
  guint     cells_ranked;    /* cells with a reported value this month */
  gboolean  has_mean;
  double    mean;            /* mean of the ranked cells' reported values, to 0.1 */
  guint     exceeding;       /* ranked cells above the cap */
  gboolean  has_prev;
  double    prev_mean;       /* the same mean over the previous month's reported values */
  gboolean  has_mom;         /* needs both means and prev_mean ≠ 0 */
  double    mom_pct;         /* (mean − prev_mean) / prev_mean × 100, to 0.1 */
  guint     checks;          /* complete checks on its roads this month */
  guint     checks_passed;   /* of those, the ones that passed */
  gboolean  has_pass_rate;
  double    pass_rate;       /* checks_passed / checks × 100, to 0.1 */
} DgUnitRank;

typedef struct
{
  char      *month;
  GPtrArray *units;   /* DgUnitRank *: the tree depth first; siblings by rank, then code, the
                       * units without a ranked cell after them by code */
} DgUnitReport;

/* @units: DgUnit *; @cells and @roads: the month's cell ranking and road table (their rows'
 * unit_id say whose they are). */
DgUnitReport     *dg_unit_report_build (const char             *month,
                                        GPtrArray              *units,
                                        const DgDustfallReport *cells,
                                        const DgRoadReport     *roads);
void              dg_unit_report_free  (DgUnitReport           *report);
/* The row of @unit_id, or NULL. */
const DgUnitRank *dg_unit_report_find  (const DgUnitReport     *report,
                                        const char             *unit_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgUnitReport, dg_unit_report_free)

G_END_DECLS
