/* dg-road-check-eval.c: evaluation of a road dust spot check (design 3.1).
 *
 * Group means are taken over the points' reported loads (0.01 g/m²), not over the raw
 * quotients, so that the office, re-adding the figures printed on the check sheet, gets the
 * same mean to the last digit (design 3.2: aggregates use the reported values).
 */
#define G_LOG_DOMAIN "dg-road-check-eval"

#include "config.h"

#include <math.h>

#include "dg-road-check-eval.h"
#include "dg-round.h"

double
dg_point_load (double mass_g,
               double area_m2)
{
  if (!(area_m2 > 0) || !isfinite (mass_g) || !isfinite (area_m2))
    return NAN;

  return mass_g / area_m2;
}

DgCheckResult *
dg_road_check_evaluate (const DgRoadCheck *check,
                        const DgRuleSet   *rules)
{
  DgCheckResult *result;
  double limits[DG_N_SURFACES];
  gint64 sums[DG_N_SURFACES] = { 0, };   /* in hundredths: exact, see below */
  guint counts[DG_N_SURFACES] = { 0, };
  guint group_points[DG_N_SURFACES] = { 0, };
  guint n_points;

  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (check->date != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  n_points = check->points != NULL ? check->points->len : 0;

  result = g_new0 (DgCheckResult, 1);
  result->groups = g_array_new (FALSE, TRUE, sizeof (DgGroupResult));
  result->points = g_array_sized_new (FALSE, TRUE, sizeof (DgPointResult), n_points);
  result->max = NAN;
  result->complete = n_points >= dg_rule_set_quota_points (rules, check->date);

  /* Look the limits up once: a check is judged by the rules in force on its date. */
  for (guint s = 0; s < DG_N_SURFACES; s++)
    limits[s] = dg_rule_set_limit (rules, (DgSurface) s, check->date);

  for (guint i = 0; i < n_points; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);
      DgPointResult pr = { 0, };
      guint s = (guint) point->surface;

      if (s >= DG_N_SURFACES)
        {
          g_critical ("%s: point %d has no valid surface", G_STRFUNC, point->seq);
          continue;
        }

      pr.seq = point->seq;
      pr.surface = point->surface;
      pr.load = dg_round (dg_point_load (point->mass_g, point->area_m2), 2);
      pr.limit = limits[s];
      group_points[s]++;

      /* A point without a load (a frame of no area, refused by validation anyway) cannot pass
       * and stays out of the means. */
      if (isfinite (pr.load))
        {
          pr.pass = pr.load <= pr.limit;
          /* The reported loads are exact hundredths; adding them as an integer keeps a mean of
           * 5.05 from drifting to 5.04999… through the additions. */
          sums[s] += llround (pr.load * 100);
          counts[s]++;

          if (!pr.pass)
            result->points_over++;
          if (isnan (result->max) || pr.load > result->max)
            result->max = pr.load;
        }

      g_array_append_val (result->points, pr);
    }

  result->pass = n_points > 0;

  for (guint s = 0; s < DG_N_SURFACES; s++)
    {
      DgGroupResult gr = { 0, };

      if (group_points[s] == 0)
        continue;

      gr.surface = (DgSurface) s;
      gr.n_points = group_points[s];
      gr.limit = limits[s];
      gr.mean = counts[s] > 0 ? dg_round1 ((double) sums[s] / (100.0 * counts[s])) : NAN;
      gr.pass = counts[s] > 0 && gr.mean <= gr.limit;

      if (!gr.pass)
        result->pass = FALSE;

      g_array_append_val (result->groups, gr);
    }

  return result;
}

void
dg_check_result_free (DgCheckResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->groups, g_array_unref);
  g_clear_pointer (&result->points, g_array_unref);
  g_free (result);
}
