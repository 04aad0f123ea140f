/* test-unit-report.c: the ranking of the responsible units (design 6.3), on a hand-computed
 * district. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

#define UNIT_ID(i) "a0000000-0000-4000-8000-00000000000" #i
#define CELL_ID(i) "c0000000-0000-4000-8000-00000000000" #i
#define ROAD_ID(i) "e0000000-0000-4000-8000-00000000000" #i

static void
add_unit (GPtrArray  *units,
          const char *id,
          const char *code,
          const char *name,
          const char *parent_id)
{
  DgUnit *unit = dg_unit_new ();

  unit->id = g_strdup (id);
  unit->code = g_strdup (code);
  unit->name = g_strdup (name);
  unit->parent_id = g_strdup (parent_id);
  g_ptr_array_add (units, unit);
}

static void
add_cell (GPtrArray  *cells,
          GArray     *values,
          const char *id,
          const char *unit_id,
          double      value,
          double      prev)
{
  DgGridCell *cell = dg_grid_cell_new ();
  DgCellMonth cm = { 0, };

  cell->id = g_strdup (id);
  cell->code = g_strdup_printf ("G%s", id + strlen (id) - 2);
  cell->name = g_strdup (cell->code);
  cell->unit_id = g_strdup (unit_id);
  g_ptr_array_add (cells, cell);

  if (!isnan (value))
    {
      cm.cell_id = g_strdup (id);
      cm.month = g_strdup ("2025-03");
      cm.has_value = TRUE;
      cm.value = value;
      cm.sites = 1;
      cm.site_max = cm.site_min = value;
      g_array_append_val (values, cm);
    }
  if (!isnan (prev))
    {
      DgCellMonth pm = { 0, };

      pm.cell_id = g_strdup (id);
      pm.month = g_strdup ("2025-02");
      pm.has_value = TRUE;
      pm.value = prev;
      pm.sites = 1;
      pm.site_max = pm.site_min = prev;
      g_array_append_val (values, pm);
    }
}

static void
add_road (GPtrArray  *roads,
          const char *id,
          const char *unit_id)
{
  DgRoad *road = dg_road_new ();

  road->id = g_strdup (id);
  road->name = g_strdup (id);
  road->unit_id = g_strdup (unit_id);
  g_ptr_array_add (roads, road);
}

/* A check of @n main-carriageway points, all of @load g/m² (the main limit is 5). */
static void
add_check (GPtrArray  *checks,
           const char *road_id,
           guint       n,
           double      load)
{
  DgRoadCheck *check = dg_road_check_new ();
  static guint counter;

  check->id = g_strdup_printf ("f0000000-0000-4000-8000-%012u", ++counter);
  check->road_id = g_strdup (road_id);
  check->date = g_strdup ("2025-03-10");
  check->author = g_strdup ("li");
  for (guint i = 0; i < n; i++)
    dg_road_check_add_point (check, (int) i + 1, DG_SURFACE_MAIN, NULL, 1.0, load);
  g_ptr_array_add (checks, check);
}

/* The district of the tests:
 *
 *   D 琼山区 (cell 6: 2.0)                     top
 *     A 府城街道 (cell 0: 4.0, prev 5.0)         road 0: complete pass, complete fail, 5 points
 *       A1 府城社区 (cell 1: 5.05 → 5.1, prev 4.0) road 1: complete pass
 *     B 滨江街道 (cell 2: 4.6)                   road 2: complete fail
 *     C 国兴街道 (cell 3: 3.0)
 *     E 凤翔街道 (cell 5: no data)
 *     F 龙塘镇 (cell 4: 12.0, over the cap of 8)
 *   Z 园区 (nothing)                           top
 */
typedef struct
{
  GPtrArray        *units;
  GPtrArray        *cells;
  GArray           *values;
  GPtrArray        *roads;
  GPtrArray        *checks;
  DgRuleSet        *rules;
  DgDustfallReport *cell_report;
  DgRoadReport     *road_report;
  DgUnitReport     *report;
} District;

static void
district_setup (District      *d,
                gconstpointer  data)
{
  d->units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  d->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  d->values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_array_set_clear_func (d->values, (GDestroyNotify) dg_cell_month_clear);
  d->roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
  d->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
  d->rules = dg_rule_set_new_default ();

  /* Listed children first, so the builder cannot lean on parents coming before. */
  add_unit (d->units, UNIT_ID (5), "U5", "府城社区", UNIT_ID (1));
  add_unit (d->units, UNIT_ID (9), "U9", "园区", NULL);
  add_unit (d->units, UNIT_ID (1), "U1", "府城街道", UNIT_ID (0));
  add_unit (d->units, UNIT_ID (2), "U2", "滨江街道", UNIT_ID (0));
  add_unit (d->units, UNIT_ID (3), "U3", "国兴街道", UNIT_ID (0));
  add_unit (d->units, UNIT_ID (4), "U4", "凤翔街道", UNIT_ID (0));
  add_unit (d->units, UNIT_ID (6), "U6", "龙塘镇", UNIT_ID (0));
  add_unit (d->units, UNIT_ID (0), "U0", "琼山区", NULL);

  add_cell (d->cells, d->values, CELL_ID (0), UNIT_ID (1), 4.0, 5.0);
  add_cell (d->cells, d->values, CELL_ID (1), UNIT_ID (5), 5.05, 4.0);
  add_cell (d->cells, d->values, CELL_ID (2), UNIT_ID (2), 4.6, NAN);
  add_cell (d->cells, d->values, CELL_ID (3), UNIT_ID (3), 3.0, NAN);
  add_cell (d->cells, d->values, CELL_ID (4), UNIT_ID (6), 12.0, NAN);
  add_cell (d->cells, d->values, CELL_ID (5), UNIT_ID (4), NAN, NAN);
  add_cell (d->cells, d->values, CELL_ID (6), UNIT_ID (0), 2.0, NAN);
  /* A cell of no unit counts for none. */
  add_cell (d->cells, d->values, CELL_ID (7), NULL, 1.0, NAN);

  add_road (d->roads, ROAD_ID (0), UNIT_ID (1));
  add_road (d->roads, ROAD_ID (1), UNIT_ID (5));
  add_road (d->roads, ROAD_ID (2), UNIT_ID (2));
  add_check (d->checks, ROAD_ID (0), 6, 3.0);
  add_check (d->checks, ROAD_ID (0), 6, 6.0);
  add_check (d->checks, ROAD_ID (0), 5, 3.0);   /* incomplete: passes, but is not counted */
  add_check (d->checks, ROAD_ID (1), 6, 3.0);
  add_check (d->checks, ROAD_ID (2), 6, 6.0);

  d->cell_report = dg_dustfall_report_build ("2025-03", d->cells, d->values, d->rules);
  d->road_report = dg_road_report_build ("2025-03", d->roads, d->checks, d->rules);
  d->report = dg_unit_report_build ("2025-03", d->units, d->cell_report, d->road_report);
}

static void
district_teardown (District      *d,
                   gconstpointer  data)
{
  g_clear_pointer (&d->report, dg_unit_report_free);
  g_clear_pointer (&d->road_report, dg_road_report_free);
  g_clear_pointer (&d->cell_report, dg_dustfall_report_free);
  g_clear_pointer (&d->rules, dg_rule_set_unref);
  g_clear_pointer (&d->checks, g_ptr_array_unref);
  g_clear_pointer (&d->roads, g_ptr_array_unref);
  g_clear_pointer (&d->values, g_array_unref);
  g_clear_pointer (&d->cells, g_ptr_array_unref);
  g_clear_pointer (&d->units, g_ptr_array_unref);
}

static const DgUnitRank *
row_of (District   *d,
        const char *unit_id)
{
  const DgUnitRank *row = dg_unit_report_find (d->report, unit_id);

  g_assert_nonnull (row);
  return row;
}

/* Siblings share a rank on equal means and the next rank skips (1, 2, 2, 4); a unit without a
 * ranked cell follows them, unranked; the list walks the tree depth first. */
static void
test_sibling_ranks (District      *d,
                    gconstpointer  data)
{
  static const char * const codes[] = { "U0", "U3", "U1", "U5", "U2", "U6", "U4", "U9" };
  static const int ranks[] = { 1, 1, 2, 1, 2, 4, 0, 0 };
  static const guint depths[] = { 0, 1, 1, 2, 1, 1, 1, 0 };

  g_assert_cmpuint (d->report->units->len, ==, G_N_ELEMENTS (codes));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const DgUnitRank *row = g_ptr_array_index (d->report->units, i);

      g_assert_cmpstr (row->code, ==, codes[i]);
      g_assert_cmpint (row->rank, ==, ranks[i]);
      g_assert_cmpuint (row->depth, ==, depths[i]);
    }
}

/* A's mean takes in A1's cell: (4.0 + 5.1) / 2 = 4.55, rounded half up to 4.6, the same as B's
 * 4.6; A1's 5.05 is ranked as reported, 5.1. */
static void
test_mean_takes_in_units_below (District      *d,
                                gconstpointer  data)
{
  const DgUnitRank *a = row_of (d, UNIT_ID (1));
  const DgUnitRank *a1 = row_of (d, UNIT_ID (5));

  g_assert_cmpuint (a->cells, ==, 2);
  g_assert_cmpuint (a->cells_ranked, ==, 2);
  g_assert_true (a->has_mean);
  g_assert_cmpfloat (a->mean, ==, 4.6);
  g_assert_cmpstr (a->parent_id, ==, UNIT_ID (0));
  g_assert_true (a1->has_mean);
  g_assert_cmpfloat (a1->mean, ==, 5.1);
  g_assert_cmpfloat (row_of (d, UNIT_ID (2))->mean, ==, 4.6);
}

/* The district unit is the mean of all six ranked cells of its tree, not of its children's
 * means: (2.0 + 4.0 + 5.1 + 4.6 + 3.0 + 12.0) / 6 = 30.7 / 6 = 5.116… → 5.1 (the children's
 * means would give (4.6 + 4.6 + 3.0 + 12.0) / 4 = 6.05). */
static void
test_parent_over_children (District      *d,
                           gconstpointer  data)
{
  const DgUnitRank *top = row_of (d, UNIT_ID (0));

  g_assert_null (top->parent_id);
  g_assert_cmpuint (top->cells, ==, 7);
  g_assert_cmpuint (top->cells_ranked, ==, 6);
  g_assert_cmpfloat (top->mean, ==, 5.1);
  g_assert_cmpuint (top->exceeding, ==, 1);      /* F's 12.0 > 8 */
  g_assert_cmpuint (row_of (d, UNIT_ID (6))->exceeding, ==, 1);
  g_assert_cmpuint (row_of (d, UNIT_ID (1))->exceeding, ==, 0);
}

/* E has a cell but no value, Z nothing at all: both unranked, with null figures. */
static void
test_unit_without_data (District      *d,
                        gconstpointer  data)
{
  const DgUnitRank *e = row_of (d, UNIT_ID (4));
  const DgUnitRank *z = row_of (d, UNIT_ID (9));

  g_assert_cmpint (e->rank, ==, 0);
  g_assert_cmpuint (e->cells, ==, 1);
  g_assert_cmpuint (e->cells_ranked, ==, 0);
  g_assert_false (e->has_mean);
  g_assert_true (isnan (e->mean));
  g_assert_false (e->has_pass_rate);
  g_assert_cmpint (z->rank, ==, 0);
  g_assert_cmpuint (z->cells, ==, 0);
  g_assert_false (z->has_mean);
  g_assert_false (z->has_prev);
}

/* Complete checks only: road 0's five-point check passes but is not counted. A: 3 complete, 2
 * passed → 66.7 %; A1 1 of 1 → 100 %; B 0 of 1 → 0 %; the district 2 of 4 → 50 %; C none. */
static void
test_pass_rate_complete_checks (District      *d,
                                gconstpointer  data)
{
  const DgUnitRank *a = row_of (d, UNIT_ID (1));

  g_assert_cmpuint (a->checks, ==, 3);
  g_assert_cmpuint (a->checks_passed, ==, 2);
  g_assert_cmpfloat (a->pass_rate, ==, 66.7);
  g_assert_cmpfloat (row_of (d, UNIT_ID (5))->pass_rate, ==, 100.0);
  g_assert_true (row_of (d, UNIT_ID (2))->has_pass_rate);
  g_assert_cmpfloat (row_of (d, UNIT_ID (2))->pass_rate, ==, 0.0);
  g_assert_cmpuint (row_of (d, UNIT_ID (0))->checks, ==, 4);
  g_assert_cmpfloat (row_of (d, UNIT_ID (0))->pass_rate, ==, 50.0);
  g_assert_false (row_of (d, UNIT_ID (3))->has_pass_rate);
}

/* A's previous month: (5.0 + 4.0) / 2 = 4.5; 环比 (4.6 − 4.5) / 4.5 = 2.2 %. B had no value in
 * February: no prev_mean, no 环比. */
static void
test_month_on_month (District      *d,
                     gconstpointer  data)
{
  const DgUnitRank *a = row_of (d, UNIT_ID (1));
  const DgUnitRank *b = row_of (d, UNIT_ID (2));

  g_assert_true (a->has_prev);
  g_assert_cmpfloat (a->prev_mean, ==, 4.5);
  g_assert_true (a->has_mom);
  g_assert_cmpfloat (a->mom_pct, ==, 2.2);
  g_assert_false (b->has_prev);
  g_assert_false (b->has_mom);
}

/* The wire form of 6.3; a unit user's view holds its own row alone, rank kept. */
static void
test_wire (District      *d,
           gconstpointer  data)
{
  g_autoptr(JsonNode) all = dg_unit_report_to_json (d->report, NULL);
  g_autoptr(JsonNode) own = dg_unit_report_to_json (d->report, UNIT_ID (2));
  JsonArray *units = json_object_get_array_member (json_node_get_object (all), "units");
  JsonArray *own_units = json_object_get_array_member (json_node_get_object (own), "units");
  JsonObject *e = json_array_get_object_element (units, 6);
  JsonObject *b;

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (all), "month"), ==,
                   "2025-03");
  g_assert_cmpuint (json_array_get_length (units), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "U4");
  g_assert_true (json_object_get_null_member (e, "rank"));
  g_assert_true (json_object_get_null_member (e, "mean"));
  g_assert_true (json_object_get_null_member (e, "pass_rate"));

  g_assert_cmpuint (json_array_get_length (own_units), ==, 1);
  b = json_array_get_object_element (own_units, 0);
  g_assert_cmpint (json_object_get_int_member (b, "rank"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (b, "unit_id"), ==, UNIT_ID (2));
  g_assert_cmpstr (json_object_get_string_member (b, "parent_id"), ==, UNIT_ID (0));
  g_assert_cmpfloat (json_object_get_double_member (b, "mean"), ==, 4.6);
  g_assert_cmpint (json_object_get_int_member (b, "checks"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (b, "checks_passed"), ==, 0);
  g_assert_true (json_object_has_member (b, "prev_mean"));
  g_assert_true (json_object_has_member (b, "mom_pct"));
}

/* Stored data with a cycle (which validation refuses) still lists every unit once, and ends. */
static void
test_cycle (void)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_autoptr(GPtrArray) roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) cell_report = NULL;
  g_autoptr(DgRoadReport) road_report = NULL;
  g_autoptr(DgUnitReport) report = NULL;

  g_array_set_clear_func (values, (GDestroyNotify) dg_cell_month_clear);
  add_unit (units, UNIT_ID (1), "U1", "甲", UNIT_ID (2));
  add_unit (units, UNIT_ID (2), "U2", "乙", UNIT_ID (1));
  add_unit (units, UNIT_ID (3), "U3", "丙", UNIT_ID (3));
  add_cell (cells, values, CELL_ID (0), UNIT_ID (2), 3.0, NAN);

  cell_report = dg_dustfall_report_build ("2025-03", cells, values, rules);
  road_report = dg_road_report_build ("2025-03", roads, checks, rules);
  report = dg_unit_report_build ("2025-03", units, cell_report, road_report);

  g_assert_cmpuint (report->units->len, ==, 3);
  /* U1 is taken as the top, U2 below it: U1 counts U2's cell once. */
  g_assert_cmpuint (dg_unit_report_find (report, UNIT_ID (1))->cells_ranked, ==, 1);
  g_assert_cmpuint (dg_unit_report_find (report, UNIT_ID (2))->cells_ranked, ==, 1);
  g_assert_null (dg_unit_report_find (report, UNIT_ID (3))->parent_id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/common/unit-report/" path, District, NULL, district_setup, func, district_teardown)
  ADD ("sibling-ranks-1-2-2-4-unranked-last", test_sibling_ranks);
  ADD ("mean-takes-in-units-below-half-up", test_mean_takes_in_units_below);
  ADD ("parent-mean-over-all-cells-not-children-means", test_parent_over_children);
  ADD ("unit-without-data-unranked", test_unit_without_data);
  ADD ("pass-rate-over-complete-checks", test_pass_rate_complete_checks);
  ADD ("month-on-month", test_month_on_month);
  ADD ("wire-form-and-own-row", test_wire);
#undef ADD
  g_test_add_func ("/common/unit-report/cycle-in-stored-data", test_cycle);

  return g_test_run ();
}
