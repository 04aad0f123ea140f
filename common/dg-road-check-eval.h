/* dg-road-check-eval.h: evaluation of a road dust spot check (design 3.1).
 *
 * Point load = mass_g / area_m2, g/m², reported to 0.01. A surface group's value is the mean of
 * its points' loads rounded to 0.1 with dg_round(); it passes when ≤ the limit in force on the
 * check's date. The check passes when every group passes; it is complete with ≥ quota_points
 * points.
 */
#pragma once

#include "dg-model.h"
#include "dg-rule-set.h"

G_BEGIN_DECLS

typedef struct
{
  int       seq;
  DgSurface surface;
  double    load;     /* g/m², rounded to 0.01 */
  double    limit;
  gboolean  pass;     /* load ≤ limit */
} DgPointResult;

typedef struct
{
  DgSurface surface;
  guint     n_points;
  double    mean;     /* rounded to 0.1 */
  double    limit;
  gboolean  pass;     /* mean ≤ limit */
} DgGroupResult;

typedef struct
{
  gboolean  complete;
  gboolean  pass;         /* every group passes (a check without points does not pass) */
  guint     points_over;  /* points whose load is above their limit */
  double    max;          /* largest point load, NAN without points */
  GArray   *groups;       /* DgGroupResult, in DgSurface order, only surfaces present */
  GArray   *points;       /* DgPointResult, in the check's point order */
} DgCheckResult;

DgCheckResult *dg_road_check_evaluate   (const DgRoadCheck *check,
                                         const DgRuleSet   *rules);
void           dg_check_result_free     (DgCheckResult     *result);

/* Load of one point, unrounded; NAN when area_m2 ≤ 0. */
double         dg_point_load            (double             mass_g,
                                         double             area_m2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgCheckResult, dg_check_result_free)

G_END_DECLS
