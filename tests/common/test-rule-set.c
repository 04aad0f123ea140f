/* test-rule-set.c: effective-dated limits, caps and quotas, and the model's names. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

static DgRule *
make_rule (const char *id,
           DgRuleKind  kind,
           int         surface,
           double      value,
           const char *effective_from)
{
  DgRule *rule = dg_rule_new ();

  rule->id = g_strdup (id);
  rule->kind = kind;
  rule->has_surface = surface >= 0;
  rule->surface = surface >= 0 ? (DgSurface) surface : DG_SURFACE_MAIN;
  rule->value = value;
  rule->effective_from = g_strdup (effective_from);
  return rule;
}

static void
add_rule (DgRuleSet  *set,
          const char *id,
          DgRuleKind  kind,
          int         surface,
          double      value,
          const char *effective_from)
{
  g_autoptr(DgRule) rule = make_rule (id, kind, surface, value, effective_from);

  dg_rule_set_add (set, rule);
}

static void
test_defaults (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();

  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 6);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_MAIN, "2025-03-14"), ==, 5.0);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_SIDE, "2025-03-14"), ==, 10.0);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_PARK, "2025-03-14"), ==, 15.0);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2025-03-14"), ==, 8.0);
  g_assert_cmpuint (dg_rule_set_quota_roads (set, "2025-03-14"), ==, 6);
  g_assert_cmpuint (dg_rule_set_quota_points (set, "2025-03-14"), ==, 6);
}

/* Every database and every client must hold the same default records. */
static void
test_default_rules_fixed_ids (void)
{
  g_autoptr(GPtrArray) a = dg_rule_set_default_rules ();
  g_autoptr(GPtrArray) b = dg_rule_set_default_rules ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean seen_kind[DG_N_RULE_KINDS] = { FALSE, };
  gboolean seen_surface[DG_N_SURFACES] = { FALSE, };

  g_assert_cmpuint (a->len, ==, 6);
  for (guint i = 0; i < a->len; i++)
    {
      const DgRule *ra = g_ptr_array_index (a, i);
      const DgRule *rb = g_ptr_array_index (b, i);

      g_assert_cmpstr (ra->id, ==, rb->id);
      g_assert_cmpuint (strlen (ra->id), ==, DG_UUID_LEN);
      g_assert_true (g_uuid_string_is_valid (ra->id));
      g_assert_cmpstr (ra->effective_from, ==, DG_DEFAULT_EFFECTIVE_FROM);
      g_assert_true (g_hash_table_add (ids, ra->id));
      g_assert_cmpint (ra->has_surface, ==, ra->kind == DG_RULE_LIMIT);
      seen_kind[ra->kind] = TRUE;
      if (ra->has_surface)
        seen_surface[ra->surface] = TRUE;
    }

  /* Every kind but min_spacing_m, whose default is built in and never stored. */
  for (guint k = 0; k < DG_N_RULE_KINDS; k++)
    g_assert_true (seen_kind[k] == (k != DG_RULE_MIN_SPACING));
  for (guint s = 0; s < DG_N_SURFACES; s++)
    g_assert_true (seen_surface[s]);

  g_assert_cmpstr (((DgRule *) g_ptr_array_index (a, 0))->id, ==,
                   "00000000-0000-4000-8000-000000000001");
}

/* min_spacing_m is 50 m without a rule, and effective-dated like the others, but before its
 * first rule the built-in 50 holds, not that rule (a spacing set for next month says nothing of
 * this month's checks). */
static void
test_min_spacing_dated (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();
  g_autoptr(DgRule) rule = dg_rule_new ();

  g_assert_cmpfloat (dg_rule_set_min_spacing_m (set, "2025-03-14"), ==, 50.0);
  rule->id = g_strdup ("8a3c1e52-5d7e-4c1b-9f00-3c2a1b7d9e01");
  rule->kind = DG_RULE_MIN_SPACING;
  rule->value = 30.0;
  rule->effective_from = g_strdup ("2025-04-01");
  dg_rule_set_add (set, rule);
  g_assert_cmpfloat (dg_rule_set_min_spacing_m (set, "2025-03-31"), ==, 50.0);
  g_assert_cmpfloat (dg_rule_set_min_spacing_m (set, "2025-04-01"), ==, 30.0);
  g_assert_cmpfloat (dg_rule_set_min_spacing_m (set, "2026-01-01"), ==, 30.0);
  g_assert_cmpstr (dg_rule_kind_to_string (DG_RULE_MIN_SPACING), ==, "min_spacing_m");
}

/* A limit tightened from a date judges checks from that date on, and not the ones before. */
static void
test_limit_tightening (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();

  add_rule (set, "11111111-1111-4111-8111-111111111111", DG_RULE_LIMIT, DG_SURFACE_MAIN, 4.0,
            "2025-07-01");

  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_MAIN, "2025-06-30"), ==, 5.0);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_MAIN, "2025-07-01"), ==, 4.0);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_MAIN, "2026-01-01"), ==, 4.0);
  /* Other surfaces are untouched. */
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_SIDE, "2025-07-01"), ==, 10.0);
}

static void
test_before_earliest (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new ();

  add_rule (set, "11111111-1111-4111-8111-111111111111", DG_RULE_CAP, -1, 7.0, "2023-01-01");
  add_rule (set, "22222222-2222-4222-8222-222222222222", DG_RULE_CAP, -1, 6.0, "2024-01-01");

  g_assert_cmpfloat (dg_rule_set_cap (set, "2020-05-05"), ==, 7.0);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2023-12-31"), ==, 7.0);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2024-01-01"), ==, 6.0);
}

static void
test_empty_kind_uses_default (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new ();

  add_rule (set, "11111111-1111-4111-8111-111111111111", DG_RULE_CAP, -1, 7.0, "2023-01-01");

  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 1);
  g_assert_cmpfloat (dg_rule_set_limit (set, DG_SURFACE_PARK, "2025-01-01"), ==,
                     DG_DEFAULT_LIMIT_PARK);
  g_assert_cmpuint (dg_rule_set_quota_roads (set, "2025-01-01"), ==, DG_DEFAULT_QUOTA_ROADS);
  g_assert_cmpuint (dg_rule_set_quota_points (set, "2025-01-01"), ==, DG_DEFAULT_QUOTA_POINTS);
}

/* Same kind, same date: the larger id wins, whatever the order the rules arrived in. */
static void
test_tie_larger_id (void)
{
  const char *small = "11111111-1111-4111-8111-111111111111";
  const char *large = "eeeeeeee-1111-4111-8111-111111111111";

  for (int order = 0; order < 2; order++)
    {
      g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();

      add_rule (set, order ? large : small, DG_RULE_QUOTA_ROADS, -1, order ? 9 : 4, "2025-05-01");
      add_rule (set, order ? small : large, DG_RULE_QUOTA_ROADS, -1, order ? 4 : 9, "2025-05-01");

      g_assert_cmpuint (dg_rule_set_quota_roads (set, "2025-05-01"), ==, 9);
      g_assert_cmpuint (dg_rule_set_quota_roads (set, "2025-04-30"), ==, 6);
    }

  /* The tie also decides before the earliest rule. */
  {
    g_autoptr(DgRuleSet) set = dg_rule_set_new ();

    add_rule (set, large, DG_RULE_CAP, -1, 9.0, "2025-05-01");
    add_rule (set, small, DG_RULE_CAP, -1, 4.0, "2025-05-01");
    g_assert_cmpfloat (dg_rule_set_cap (set, "2020-01-01"), ==, 9.0);
  }
}

static void
test_replace_and_remove (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();
  const char *id = "11111111-1111-4111-8111-111111111111";

  add_rule (set, id, DG_RULE_CAP, -1, 6.0, "2025-07-01");
  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 7);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2025-08-01"), ==, 6.0);

  /* The same id edited: it replaces, even moving to another date. */
  add_rule (set, id, DG_RULE_CAP, -1, 5.0, "2025-09-01");
  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 7);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2025-08-01"), ==, 8.0);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2025-09-01"), ==, 5.0);

  dg_rule_set_remove (set, id);
  dg_rule_set_remove (set, "99999999-1111-4111-8111-111111111111");
  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 6);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2025-09-01"), ==, 8.0);
}

/* A month is judged by the cap in force on its first day. */
static void
test_cap_for_month (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new_default ();

  add_rule (set, "11111111-1111-4111-8111-111111111111", DG_RULE_CAP, -1, 6.0, "2025-07-15");

  g_assert_cmpfloat (dg_rule_set_cap_for_month (set, "2025-06"), ==, 8.0);
  g_assert_cmpfloat (dg_rule_set_cap_for_month (set, "2025-07"), ==, 8.0);
  g_assert_cmpfloat (dg_rule_set_cap_for_month (set, "2025-08"), ==, 6.0);
}

static void
test_refcount (void)
{
  DgRuleSet *set = dg_rule_set_new_default ();
  DgRuleSet *ref = dg_rule_set_ref (set);

  g_assert_true (ref == set);
  dg_rule_set_unref (set);
  g_assert_cmpfloat (dg_rule_set_cap (ref, "2025-01-01"), ==, 8.0);
  dg_rule_set_unref (ref);
}

/* Many rules stay fast and correct: lookups are binary searches. */
static void
test_many_rules (void)
{
  g_autoptr(DgRuleSet) set = dg_rule_set_new ();

  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012d", (i * 7919) % 2000);
      GDate date;
      char buf[16];

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, 2020);
      g_date_add_days (&date, (guint) ((i * 7919) % 2000));
      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);
      add_rule (set, id, DG_RULE_CAP, -1, (i * 7919) % 2000, buf);
    }

  g_assert_cmpuint (dg_rule_set_get_n_rules (set), ==, 2000);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2020-01-01"), ==, 0);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2020-01-11"), ==, 10);
  g_assert_cmpfloat (dg_rule_set_cap (set, "2030-01-01"), ==, 1999);
}

static void
test_model_names (void)
{
  DgSurface surface;
  DgRuleKind kind;
  DgRecordType type;

  for (guint s = 0; s < DG_N_SURFACES; s++)
    {
      g_assert_true (dg_surface_from_string (dg_surface_to_string ((DgSurface) s), &surface));
      g_assert_cmpint (surface, ==, s);
    }
  for (guint k = 0; k < DG_N_RULE_KINDS; k++)
    {
      g_assert_true (dg_rule_kind_from_string (dg_rule_kind_to_string ((DgRuleKind) k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  for (guint t = 0; t < DG_N_RECORD_TYPES; t++)
    {
      g_assert_true (dg_record_type_from_string (dg_record_type_to_string ((DgRecordType) t),
                                                 &type));
      g_assert_cmpint (type, ==, t);
    }

  g_assert_cmpstr (dg_surface_to_string (DG_SURFACE_SIDE), ==, "side");
  g_assert_cmpstr (dg_rule_kind_to_string (DG_RULE_QUOTA_POINTS), ==, "quota_points");
  g_assert_cmpstr (dg_record_type_to_string (DG_RECORD_DUSTFALL_SAMPLE), ==, "dustfall_sample");
  g_assert_false (dg_surface_from_string ("Main", &surface));
  g_assert_false (dg_surface_from_string (NULL, &surface));
  g_assert_false (dg_record_type_from_string ("roads", &type));
  g_assert_true (dg_record_type_is_reference (DG_RECORD_RULE));
  g_assert_true (dg_record_type_is_reference (DG_RECORD_ROAD));
  g_assert_true (dg_record_type_is_reference (DG_RECORD_GRID_CELL));
  g_assert_false (dg_record_type_is_reference (DG_RECORD_ROAD_CHECK));
  g_assert_false (dg_record_type_is_reference (DG_RECORD_DUSTFALL_SAMPLE));
}

static void
test_model_copies (void)
{
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(DgRoadCheck) copy = NULL;
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(DgDustfallSample) sample_copy = NULL;
  g_autoptr(DgRoad) road = dg_road_new ();
  g_autoptr(DgGridCell) cell = dg_grid_cell_new ();

  check->id = g_strdup ("c");
  check->date = g_strdup ("2025-03-01");
  dg_road_check_add_point (check, 1, DG_SURFACE_MAIN, "K1+200 北侧", 1.0, 3.2);
  copy = dg_road_check_copy (check);
  g_assert_cmpuint (copy->points->len, ==, 1);
  g_assert_true (dg_road_check_get_point (copy, 0)->location !=
                 dg_road_check_get_point (check, 0)->location);
  g_assert_cmpstr (dg_road_check_get_point (copy, 0)->location, ==, "K1+200 北侧");
  g_assert_cmpstr (copy->date, ==, "2025-03-01");

  g_assert_cmpstr (sample->site, ==, "1");
  g_assert_cmpint (sample->jar, ==, DG_JAR_A);
  g_assert_cmpuint (sample->n_diameters, ==, 1);
  g_assert_cmpfloat (sample->diameter_cm[0], ==, 15.0);
  g_assert_true (sample->valid);
  sample_copy = dg_dustfall_sample_copy (sample);
  g_assert_true (sample_copy->site != sample->site);
  g_assert_cmpstr (sample_copy->site, ==, "1");

  g_assert_true (isnan (road->length_km));
  g_assert_true (isnan (cell->area_km2));

  dg_record_data_free (DG_RECORD_ROAD, dg_road_copy (road));
  dg_record_data_free (DG_RECORD_GRID_CELL, dg_grid_cell_copy (cell));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/common/rule-set/min-spacing-default-50-then-dated", test_min_spacing_dated);

  g_test_add_func ("/common/rule-set/defaults", test_defaults);
  g_test_add_func ("/common/rule-set/default-rules-have-fixed-ids", test_default_rules_fixed_ids);
  g_test_add_func ("/common/rule-set/limit-tightened-from-its-date", test_limit_tightening);
  g_test_add_func ("/common/rule-set/before-earliest-the-earliest-applies", test_before_earliest);
  g_test_add_func ("/common/rule-set/kind-without-rules-uses-default",
                   test_empty_kind_uses_default);
  g_test_add_func ("/common/rule-set/same-date-larger-id-wins", test_tie_larger_id);
  g_test_add_func ("/common/rule-set/replace-and-remove-by-id", test_replace_and_remove);
  g_test_add_func ("/common/rule-set/cap-for-month-is-first-day", test_cap_for_month);
  g_test_add_func ("/common/rule-set/refcount", test_refcount);
  g_test_add_func ("/common/rule-set/many-rules", test_many_rules);
  g_test_add_func ("/common/model/names-round-trip", test_model_names);
  g_test_add_func ("/common/model/deep-copies-and-defaults", test_model_copies);

  return g_test_run ();
}
