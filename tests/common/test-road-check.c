/* test-road-check.c: evaluation of a road dust spot check (design 3.1). */
#include "config.h"

#include <math.h>

#include "dustgrid-common.h"

static DgRoadCheck *
make_check (const char   *date,
            DgSurface     surface,
            const double *masses,
            guint         n)
{
  DgRoadCheck *check = dg_road_check_new ();

  check->id = g_strdup ("0b0c0d0e-0000-4000-8000-000000000001");
  check->road_id = g_strdup ("0b0c0d0e-0000-4000-8000-00000000aaaa");
  check->date = g_strdup (date);
  for (guint i = 0; i < n; i++)
    dg_road_check_add_point (check, (int) i + 1, surface, "K0+100", 1.0, masses[i]);

  return check;
}

static const DgGroupResult *
group_of (const DgCheckResult *result,
          DgSurface            surface)
{
  for (guint i = 0; i < result->groups->len; i++)
    {
      const DgGroupResult *g = &g_array_index (result->groups, DgGroupResult, i);

      if (g->surface == surface)
        return g;
    }

  return NULL;
}

static void
test_point_load (void)
{
  g_assert_cmpfloat_with_epsilon (dg_point_load (3.0, 1.0), 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (dg_point_load (3.0, 0.5), 6.0, 1e-12);
  g_assert_true (isnan (dg_point_load (3.0, 0.0)));
  g_assert_true (isnan (dg_point_load (3.0, -1.0)));
}

/* The headline example of design 3.1: a mean of 5.05 is 5.1, which fails a 5 g/m² limit. */
static void
test_mean_5_05_fails_5 (void)
{
  static const double masses[] = { 5.0, 5.1, 5.0, 5.1, 5.0, 5.1 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check ("2025-03-14", DG_SURFACE_MAIN, masses, 6);
  g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);
  const DgGroupResult *main_group = group_of (result, DG_SURFACE_MAIN);

  g_assert_nonnull (main_group);
  g_assert_cmpfloat (main_group->mean, ==, 5.1);
  g_assert_cmpfloat (main_group->limit, ==, 5.0);
  g_assert_false (main_group->pass);
  g_assert_false (result->pass);
  /* Each point on its own is judged by its own load: the 5.1s are over. */
  g_assert_cmpuint (result->points_over, ==, 3);
}

static void
test_mean_at_limit_passes (void)
{
  static const double masses[] = { 4.9, 5.0, 5.1, 5.0, 4.94, 5.0 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check ("2025-03-14", DG_SURFACE_MAIN, masses, 6);
  g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);

  g_assert_cmpfloat (group_of (result, DG_SURFACE_MAIN)->mean, ==, 5.0);
  g_assert_true (result->pass);
  g_assert_true (result->complete);
}

/* points_over counts points above their own surface's limit; max is the largest load. */
static void
test_points_over_and_max (void)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(DgCheckResult) result = NULL;
  const DgPointResult *p;

  check->date = g_strdup ("2025-03-14");
  dg_road_check_add_point (check, 1, DG_SURFACE_MAIN, NULL, 1.0, 5.2);   /* over 5 */
  dg_road_check_add_point (check, 2, DG_SURFACE_MAIN, NULL, 1.0, 5.0);   /* at 5: passes */
  dg_road_check_add_point (check, 3, DG_SURFACE_SIDE, NULL, 1.0, 9.0);   /* under 10 */
  dg_road_check_add_point (check, 4, DG_SURFACE_SIDE, NULL, 0.5, 6.0);   /* 12 g/m², over 10 */
  dg_road_check_add_point (check, 5, DG_SURFACE_PARK, NULL, 1.0, 14.0);  /* under 15 */
  dg_road_check_add_point (check, 6, DG_SURFACE_PARK, NULL, 2.0, 3.0);   /* 1.5 */

  result = dg_road_check_evaluate (check, rules);

  g_assert_cmpuint (result->points_over, ==, 2);
  g_assert_cmpfloat (result->max, ==, 14.0);
  g_assert_cmpuint (result->points->len, ==, 6);

  p = &g_array_index (result->points, DgPointResult, 3);
  g_assert_cmpint (p->seq, ==, 4);
  g_assert_cmpfloat (p->load, ==, 12.0);
  g_assert_cmpfloat (p->limit, ==, 10.0);
  g_assert_false (p->pass);

  p = &g_array_index (result->points, DgPointResult, 1);
  g_assert_true (p->pass);

  /* Groups in surface order, each with its own limit. */
  g_assert_cmpuint (result->groups->len, ==, 3);
  g_assert_cmpint (g_array_index (result->groups, DgGroupResult, 0).surface, ==, DG_SURFACE_MAIN);
  g_assert_cmpint (g_array_index (result->groups, DgGroupResult, 2).surface, ==, DG_SURFACE_PARK);
  g_assert_cmpfloat (group_of (result, DG_SURFACE_MAIN)->mean, ==, 5.1);
  g_assert_cmpfloat (group_of (result, DG_SURFACE_SIDE)->mean, ==, 10.5);
  g_assert_cmpfloat (group_of (result, DG_SURFACE_PARK)->mean, ==, 7.8);   /* 7.75 -> 7.8 */
  g_assert_cmpuint (group_of (result, DG_SURFACE_PARK)->n_points, ==, 2);
  g_assert_false (group_of (result, DG_SURFACE_MAIN)->pass);
  g_assert_false (group_of (result, DG_SURFACE_SIDE)->pass);
  g_assert_true (group_of (result, DG_SURFACE_PARK)->pass);
  g_assert_false (result->pass);
}

/* The max is the largest load, not the largest mass. */
static void
test_max_is_load (void)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(DgCheckResult) result = NULL;

  check->date = g_strdup ("2025-03-14");
  dg_road_check_add_point (check, 1, DG_SURFACE_MAIN, NULL, 4.0, 8.0);    /* 2 g/m² */
  dg_road_check_add_point (check, 2, DG_SURFACE_MAIN, NULL, 0.25, 1.0);   /* 4 g/m² */
  result = dg_road_check_evaluate (check, rules);

  g_assert_cmpfloat (result->max, ==, 4.0);
  g_assert_cmpuint (result->points_over, ==, 0);
}

/* A limit tightened from a date judges a check on that date, and not one the day before. */
static void
test_limit_by_check_date (void)
{
  static const double masses[] = { 4.5, 4.5, 4.5, 4.5, 4.5, 4.5 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRule) rule = dg_rule_new ();
  g_autoptr(DgRoadCheck) before = make_check ("2025-06-30", DG_SURFACE_MAIN, masses, 6);
  g_autoptr(DgRoadCheck) after = make_check ("2025-07-01", DG_SURFACE_MAIN, masses, 6);
  g_autoptr(DgCheckResult) rb = NULL;
  g_autoptr(DgCheckResult) ra = NULL;

  rule->id = g_strdup ("11111111-1111-4111-8111-111111111111");
  rule->kind = DG_RULE_LIMIT;
  rule->has_surface = TRUE;
  rule->surface = DG_SURFACE_MAIN;
  rule->value = 4.0;
  rule->effective_from = g_strdup ("2025-07-01");
  dg_rule_set_add (rules, rule);

  rb = dg_road_check_evaluate (before, rules);
  ra = dg_road_check_evaluate (after, rules);

  g_assert_true (rb->pass);
  g_assert_cmpfloat (group_of (rb, DG_SURFACE_MAIN)->limit, ==, 5.0);
  g_assert_false (ra->pass);
  g_assert_cmpfloat (group_of (ra, DG_SURFACE_MAIN)->limit, ==, 4.0);
  g_assert_cmpuint (ra->points_over, ==, 6);
}

/* Complete with ≥ quota_points points; a 5-point check is kept but incomplete. */
static void
test_complete (void)
{
  static const double masses[] = { 1, 1, 1, 1, 1, 1, 1 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();

  for (guint n = 4; n <= 7; n++)
    {
      g_autoptr(DgRoadCheck) check = make_check ("2025-03-14", DG_SURFACE_SIDE, masses, n);
      g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);

      g_assert_cmpint (result->complete, ==, n >= 6);
      /* Completeness and passing are separate: an incomplete check may still pass. */
      g_assert_true (result->pass);
    }
}

static void
test_no_points (void)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check ("2025-03-14", DG_SURFACE_MAIN, NULL, 0);
  g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);

  g_assert_false (result->pass);
  g_assert_false (result->complete);
  g_assert_true (isnan (result->max));
  g_assert_cmpuint (result->groups->len, ==, 0);
  g_assert_cmpuint (result->points->len, ==, 0);
}

/* Point loads are reported to 0.01, and the group mean uses the reported loads. */
static void
test_load_rounding (void)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(DgCheckResult) result = NULL;

  check->date = g_strdup ("2025-03-14");
  dg_road_check_add_point (check, 1, DG_SURFACE_MAIN, NULL, 3.0, 1.0);    /* 0.333… -> 0.33 */
  dg_road_check_add_point (check, 2, DG_SURFACE_MAIN, NULL, 1.0, 2.675);  /* 2.68 */
  result = dg_road_check_evaluate (check, rules);

  g_assert_cmpfloat (g_array_index (result->points, DgPointResult, 0).load, ==, 0.33);
  g_assert_cmpfloat (g_array_index (result->points, DgPointResult, 1).load, ==, 2.68);
  g_assert_cmpfloat (group_of (result, DG_SURFACE_MAIN)->mean, ==, 1.5);   /* 1.505 -> 1.5 */

  /* Two loads of 0.145: reported as 0.15 each, so the mean is 0.15 -> 0.2, as the office
   * recomputes it from the sheet (the raw 0.145 would give 0.1). */
  dg_check_result_free (result);
  g_array_set_size (check->points, 0);
  dg_road_check_add_point (check, 1, DG_SURFACE_SIDE, NULL, 1.0, 0.145);
  dg_road_check_add_point (check, 2, DG_SURFACE_SIDE, NULL, 1.0, 0.145);
  result = dg_road_check_evaluate (check, rules);
  g_assert_cmpfloat (group_of (result, DG_SURFACE_SIDE)->mean, ==, 0.2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/road-check/point-load", test_point_load);
  g_test_add_func ("/common/road-check/mean-5-05-fails-limit-5", test_mean_5_05_fails_5);
  g_test_add_func ("/common/road-check/mean-at-limit-passes", test_mean_at_limit_passes);
  g_test_add_func ("/common/road-check/points-over-and-max", test_points_over_and_max);
  g_test_add_func ("/common/road-check/max-is-load-not-mass", test_max_is_load);
  g_test_add_func ("/common/road-check/limit-in-force-on-check-date", test_limit_by_check_date);
  g_test_add_func ("/common/road-check/complete-needs-quota-points", test_complete);
  g_test_add_func ("/common/road-check/no-points-does-not-pass", test_no_points);
  g_test_add_func ("/common/road-check/loads-to-hundredths", test_load_rounding);

  return g_test_run ();
}
