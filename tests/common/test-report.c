/* test-report.c: the monthly assessment tables of design 3.3. */
#include "config.h"

#include <math.h>

#include "dustgrid-common.h"

/* ---- Fixtures ---- */

static GPtrArray *
make_cells (guint n)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);

  for (guint i = 0; i < n; i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();

      cell->id = g_strdup_printf ("c0000000-0000-4000-8000-%012u", i);
      cell->code = g_strdup_printf ("G%02u", i);
      cell->name = g_strdup_printf ("网格 %u", i);
      cell->unit = g_strdup ("府城街道");
      cell->row = (int) i / 10;
      cell->col = (int) i % 10;
      g_ptr_array_add (cells, cell);
    }

  return cells;
}

static GArray *
new_values (void)
{
  GArray *values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));

  g_array_set_clear_func (values, (GDestroyNotify) dg_cell_month_clear);
  return values;
}

/* A value of NAN adds a cell-month that has samples but no valid jar. */
static void
add_value (GArray     *values,
           guint       cell,
           const char *month,
           double      value)
{
  DgCellMonth cm = { 0, };

  cm.cell_id = g_strdup_printf ("c0000000-0000-4000-8000-%012u", cell);
  cm.month = g_strdup (month);
  cm.has_value = !isnan (value);
  cm.value = value;
  cm.sites = cm.has_value ? 1 : 0;
  cm.site_max = value;
  cm.site_min = value;
  g_array_append_val (values, cm);
}

static const DgCellRank *
find_cell (const DgDustfallReport *report,
           const char             *code)
{
  for (guint i = 0; i < report->cells->len; i++)
    {
      const DgCellRank *rank = g_ptr_array_index (report->cells, i);

      if (g_strcmp0 (rank->code, code) == 0)
        return rank;
    }

  g_assert_not_reached ();
}

static void
add_cap (DgRuleSet  *rules,
         const char *id,
         double      value,
         const char *effective_from)
{
  g_autoptr(DgRule) rule = dg_rule_new ();

  rule->id = g_strdup (id);
  rule->kind = DG_RULE_CAP;
  rule->value = value;
  rule->effective_from = g_strdup (effective_from);
  dg_rule_set_add (rules, rule);
}

/* ---- Dust-fall ranking ---- */

/* ---- History values (design 6.4) ---- */

static void
add_history (GPtrArray  *history,
             guint       cell,
             const char *month,
             double      value)
{
  DgDustfallHistory *h = dg_dustfall_history_new ();

  h->cell_id = g_strdup_printf ("c0000000-0000-4000-8000-%012u", cell);
  h->month = g_strdup (month);
  h->value = value;
  h->source = g_strdup ("import");
  h->id = dg_dustfall_history_id (h->cell_id, h->month);
  g_ptr_array_add (history, h);
}

/* 同比 and 环比 read a history value where the earlier month has no sample. */
static void
test_history_feeds_yoy_and_mom (void)
{
  g_autoptr(GPtrArray) cells = make_cells (1);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_dustfall_history_free);
  g_autoptr(GArray) merged = NULL;
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  const DgCellRank *rank;

  add_value (values, 0, "2025-03", 6.0);
  add_history (history, 0, "2024-03", 8.0);
  add_history (history, 0, "2025-02", 5.0);

  merged = dg_cell_months_add_history (values, history);
  report = dg_dustfall_report_build ("2025-03", cells, merged, rules);
  rank = find_cell (report, "G00");

  g_assert_true (rank->has_value);
  g_assert_false (rank->history);
  g_assert_cmpfloat (rank->value, ==, 6.0);
  g_assert_true (rank->has_yoy);
  g_assert_cmpfloat (rank->yoy_pct, ==, -25.0);
  g_assert_true (rank->has_prev);
  g_assert_cmpfloat (rank->prev_value, ==, 5.0);
  g_assert_cmpfloat (rank->mom_pct, ==, 20.0);
  /* January has nothing, February's history and March's sample: (5.0 + 6.0) / 2. */
  g_assert_cmpfloat (rank->ytd_mean, ==, 5.5);
}

/* Where a month has a valid sample and a history value, the sample's is the month's. */
static void
test_history_samples_win (void)
{
  g_autoptr(GPtrArray) cells = make_cells (1);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_dustfall_history_free);
  g_autoptr(GArray) merged = NULL;
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  const DgCellRank *rank;

  add_value (values, 0, "2024-03", 4.0);
  add_value (values, 0, "2025-03", 6.0);
  add_history (history, 0, "2024-03", 8.0);
  add_history (history, 0, "2025-03", 9.0);

  merged = dg_cell_months_add_history (values, history);
  report = dg_dustfall_report_build ("2025-03", cells, merged, rules);
  rank = find_cell (report, "G00");

  g_assert_cmpfloat (rank->value, ==, 6.0);
  g_assert_false (rank->history);
  g_assert_cmpuint (rank->sites, ==, 1);
  g_assert_cmpfloat (rank->yoy_pct, ==, 50.0);
}

/* A month with samples but no valid jar (缺测), or none at all, shows its history value, ranked,
 * marked as history; a cell with neither stays unranked. */
static void
test_history_fills_a_month_without_samples (void)
{
  g_autoptr(GPtrArray) cells = make_cells (3);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_dustfall_history_free);
  g_autoptr(GArray) merged = NULL;
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *rows;
  const DgCellRank *g00, *g01, *g02;

  add_value (values, 0, "2025-03", NAN);
  add_history (history, 0, "2025-03", 3.04);
  add_history (history, 1, "2025-03", 12.0);

  merged = dg_cell_months_add_history (values, history);
  report = dg_dustfall_report_build ("2025-03", cells, merged, rules);
  g00 = find_cell (report, "G00");
  g01 = find_cell (report, "G01");
  g02 = find_cell (report, "G02");

  g_assert_true (g00->has_value);
  g_assert_true (g00->history);
  g_assert_cmpfloat (g00->value, ==, 3.0);
  g_assert_cmpint (g00->rank, ==, 1);
  g_assert_cmpuint (g00->sites, ==, 0);
  g_assert_true (g01->history);
  g_assert_cmpint (g01->rank, ==, 2);
  g_assert_true (g01->exceeds);
  g_assert_false (g02->has_value);
  g_assert_false (g02->history);
  g_assert_cmpint (g02->rank, ==, 0);
  g_assert_cmpuint (report->n_ranked, ==, 2);

  /* On the wire, "history": true on those rows only. */
  json = dg_dustfall_report_to_json (report);
  rows = json_object_get_array_member (json_node_get_object (json), "cells");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *code = json_object_get_string_member (row, "code");

      g_assert_cmpint (json_object_get_boolean_member_with_default (row, "history", FALSE), ==,
                       g_strcmp0 (code, "G02") != 0);
      g_assert_cmpint (json_object_has_member (row, "history"), ==, g_strcmp0 (code, "G02") != 0);
    }
}

/* Equal values share a rank and the next rank skips; equal values list by code. */
static void
test_competition_ranks (void)
{
  g_autoptr(GPtrArray) cells = make_cells (4);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  static const int expected_ranks[] = { 1, 2, 2, 4 };
  static const char * const expected_codes[] = { "G02", "G01", "G03", "G00" };

  add_value (values, 0, "2025-03", 5.0);
  add_value (values, 3, "2025-03", 4.1);
  add_value (values, 1, "2025-03", 4.1);
  add_value (values, 2, "2025-03", 3.0);

  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_cmpuint (report->cells->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const DgCellRank *rank = g_ptr_array_index (report->cells, i);

      g_assert_cmpint (rank->rank, ==, expected_ranks[i]);
      g_assert_cmpstr (rank->code, ==, expected_codes[i]);
    }

  g_assert_cmpuint (report->n_ranked, ==, 4);
  /* (3.0 + 4.1 + 4.1 + 5.0) / 4 = 4.05, which the decimal rounding makes 4.1. */
  g_assert_true (report->has_district_mean);
  g_assert_cmpfloat (report->district_mean, ==, 4.1);
}

/* The one ranking rule under the cell, road and unit rankings: a run of equal values shares the
 * rank of its first row, and the row after a tie takes its own position (1, 1, 1, 4, 5, 5, 7). */
static void
test_ranking_ties_skip (void)
{
  static const double values[] = { 2.0, 2.0, 2.0, 3.5, 4.0, 4.0, 9.9 };
  static const int expected[] = { 1, 1, 1, 4, 5, 5, 7 };
  DgRanking ranking = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpint (dg_ranking_next (&ranking, values[i]), ==, expected[i]);

  /* A fresh ranking starts at 1 whatever the first value is, 0 included. */
  ranking = (DgRanking) { 0 };
  g_assert_cmpint (dg_ranking_next (&ranking, 0.0), ==, 1);
  g_assert_cmpint (dg_ranking_next (&ranking, 0.0), ==, 1);
  g_assert_cmpint (dg_ranking_next (&ranking, 0.1), ==, 3);
}

/* Ranks compare the reported (0.1) values: 4.04 and 4.1 -> 4.0 and 4.1; 4.14 ties 4.1. */
static void
test_ranks_on_rounded_values (void)
{
  g_autoptr(GPtrArray) cells = make_cells (3);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;

  add_value (values, 0, "2025-03", 4.14);
  add_value (values, 1, "2025-03", 4.1);
  add_value (values, 2, "2025-03", 4.04);
  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_cmpint (find_cell (report, "G02")->rank, ==, 1);
  g_assert_cmpint (find_cell (report, "G00")->rank, ==, 2);
  g_assert_cmpint (find_cell (report, "G01")->rank, ==, 2);
  g_assert_cmpfloat (find_cell (report, "G00")->value, ==, 4.1);
}

/* Cells without data, whether sampled with no valid jar or not sampled at all, come last,
 * unranked, by code, and stay out of the district mean. */
static void
test_cell_without_data (void)
{
  g_autoptr(GPtrArray) cells = make_cells (4);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  const DgCellRank *rank;

  add_value (values, 3, "2025-03", NAN);    /* sampled, no valid jar */
  add_value (values, 2, "2025-03", 6.0);
  add_value (values, 1, "2025-03", 2.0);
  /* G00: nothing at all this month, only the month before. */
  add_value (values, 0, "2025-02", 3.0);

  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_cmpuint (report->n_ranked, ==, 2);
  g_assert_cmpfloat (report->district_mean, ==, 4.0);

  rank = g_ptr_array_index (report->cells, 2);
  g_assert_cmpstr (rank->code, ==, "G00");
  g_assert_cmpint (rank->rank, ==, 0);
  g_assert_false (rank->has_value);
  g_assert_true (isnan (rank->value));
  g_assert_true (isnan (rank->site_max));
  g_assert_false (rank->exceeds);
  g_assert_true (rank->has_prev);     /* the previous month is still shown */
  g_assert_false (rank->has_mom);

  rank = g_ptr_array_index (report->cells, 3);
  g_assert_cmpstr (rank->code, ==, "G03");
  g_assert_cmpint (rank->rank, ==, 0);
  g_assert_false (rank->has_value);
}

static void
test_no_cell_has_data (void)
{
  g_autoptr(GPtrArray) cells = make_cells (2);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_false (report->has_district_mean);
  g_assert_true (isnan (report->district_mean));
  g_assert_cmpuint (report->n_ranked, ==, 0);
  g_assert_cmpstr (((DgCellRank *) g_ptr_array_index (report->cells, 0))->code, ==, "G00");
}

/* Exceeds is strictly above the cap. */
static void
test_exceeds_cap (void)
{
  g_autoptr(GPtrArray) cells = make_cells (2);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;

  add_value (values, 0, "2025-03", 8.0);
  add_value (values, 1, "2025-03", 8.1);
  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_cmpfloat (report->cap, ==, 8.0);
  g_assert_false (find_cell (report, "G00")->exceeds);
  g_assert_true (find_cell (report, "G01")->exceeds);
  g_assert_cmpuint (report->n_exceeding, ==, 1);
}

/* A cap lowered in July judges July on from its date; earlier months keep the old cap, and a
 * cap effective mid-month waits for the next month's first day. */
static void
test_cap_lowered_mid_year (void)
{
  g_autoptr(GPtrArray) cells = make_cells (1);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  static const char * const months[] = {
    "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08",
  };

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    add_value (values, 0, months[i], 7.0);
  add_cap (rules, "11111111-1111-4111-8111-111111111111", 6.0, "2025-07-15");

  {
    g_autoptr(DgDustfallReport) june = dg_dustfall_report_build ("2025-06", cells, values, rules);
    g_autoptr(DgDustfallReport) july = dg_dustfall_report_build ("2025-07", cells, values, rules);
    g_autoptr(DgDustfallReport) aug = dg_dustfall_report_build ("2025-08", cells, values, rules);

    g_assert_cmpfloat (june->cap, ==, 8.0);
    g_assert_false (find_cell (june, "G00")->exceeds);
    g_assert_false (find_cell (june, "G00")->ytd_exceeds);

    g_assert_cmpfloat (july->cap, ==, 8.0);
    g_assert_false (find_cell (july, "G00")->exceeds);

    g_assert_cmpfloat (aug->cap, ==, 6.0);
    g_assert_true (find_cell (aug, "G00")->exceeds);
    g_assert_cmpuint (aug->n_exceeding, ==, 1);
    g_assert_true (find_cell (aug, "G00")->ytd_exceeds);
  }
}

/* 环比 against the month before, across a year boundary too. */
static void
test_month_on_month (void)
{
  g_autoptr(GPtrArray) cells = make_cells (3);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  const DgCellRank *rank;

  add_value (values, 0, "2024-12", 4.0);
  add_value (values, 0, "2025-01", 5.0);
  add_value (values, 1, "2024-12", 0.0);    /* a zero base has no percentage */
  add_value (values, 1, "2025-01", 1.0);
  add_value (values, 2, "2024-12", 3.0);
  add_value (values, 2, "2025-01", 2.0);
  report = dg_dustfall_report_build ("2025-01", cells, values, rules);

  rank = find_cell (report, "G00");
  g_assert_true (rank->has_prev);
  g_assert_cmpfloat (rank->prev_value, ==, 4.0);
  g_assert_true (rank->has_mom);
  g_assert_cmpfloat (rank->mom_change, ==, 1.0);
  g_assert_cmpfloat (rank->mom_pct, ==, 25.0);

  rank = find_cell (report, "G01");
  g_assert_true (rank->has_prev);
  g_assert_false (rank->has_mom);

  rank = find_cell (report, "G02");
  g_assert_cmpfloat (rank->mom_change, ==, -1.0);
  g_assert_cmpfloat (rank->mom_pct, ==, -33.3);
}

/* 同比 against the same month a year before. */
static void
test_year_on_year (void)
{
  g_autoptr(GPtrArray) cells = make_cells (2);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;

  add_value (values, 0, "2024-03", 10.0);
  add_value (values, 0, "2025-03", 5.0);
  add_value (values, 1, "2025-03", 5.0);
  add_value (values, 1, "2024-04", 9.0);    /* not the same month */
  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_true (find_cell (report, "G00")->has_yoy);
  g_assert_cmpfloat (find_cell (report, "G00")->yoy_pct, ==, -50.0);
  g_assert_false (find_cell (report, "G00")->has_prev);
  g_assert_false (find_cell (report, "G01")->has_yoy);
}

/* Year to date: the mean of this year's months up to this one that have a value. */
static void
test_year_to_date (void)
{
  g_autoptr(GPtrArray) cells = make_cells (2);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  const DgCellRank *rank;

  add_value (values, 0, "2024-12", 20.0);   /* last year: not counted */
  add_value (values, 0, "2025-01", 4.0);
  add_value (values, 0, "2025-02", NAN);    /* 缺测: neither zero nor counted */
  add_value (values, 0, "2025-03", 5.1);
  add_value (values, 0, "2025-04", 30.0);   /* after the month: not counted */
  add_value (values, 1, "2025-01", 9.0);
  add_value (values, 1, "2025-02", 8.0);
  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  rank = find_cell (report, "G00");
  g_assert_true (rank->has_ytd);
  g_assert_cmpfloat (rank->ytd_mean, ==, 4.6);   /* 4.55 -> 4.6 */
  g_assert_false (rank->ytd_exceeds);

  /* A cell without data this month still has a year-to-date mean, above the cap. */
  rank = find_cell (report, "G01");
  g_assert_false (rank->has_value);
  g_assert_true (rank->has_ytd);
  g_assert_cmpfloat (rank->ytd_mean, ==, 8.5);
  g_assert_true (rank->ytd_exceeds);
}

/* The report carries the cell's reference data and the site spread. */
static void
test_cell_columns (void)
{
  g_autoptr(GPtrArray) cells = make_cells (1);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  DgCellMonth *cm;
  const DgCellRank *rank;

  add_value (values, 0, "2025-03", 5.8);
  cm = &g_array_index (values, DgCellMonth, 0);
  cm->sites = 2;
  cm->site_max = 6.1;
  cm->site_min = 5.4;
  add_value (values, 77, "2025-03", 1.0);   /* a cell the district does not know */
  report = dg_dustfall_report_build ("2025-03", cells, values, rules);

  g_assert_cmpuint (report->cells->len, ==, 1);
  rank = g_ptr_array_index (report->cells, 0);
  g_assert_cmpstr (rank->cell_id, ==, "c0000000-0000-4000-8000-000000000000");
  g_assert_cmpstr (rank->name, ==, "网格 0");
  g_assert_cmpstr (rank->unit, ==, "府城街道");
  g_assert_cmpuint (rank->sites, ==, 2);
  g_assert_cmpfloat (rank->site_max, ==, 6.1);
  g_assert_cmpfloat (rank->site_min, ==, 5.4);
  g_assert_cmpstr (report->month, ==, "2025-03");
}

/* Province scale: 20,000 cells with 14 months each, built in one hashed pass. */
static void
test_dustfall_scale (void)
{
  g_autoptr(GPtrArray) cells = make_cells (20000);
  g_autoptr(GArray) values = new_values ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  gint64 start;

  for (guint c = 0; c < 20000; c++)
    for (int m = -2; m < 12; m++)
      {
        g_autofree char *month = dg_month_add ("2025-01", m);

        add_value (values, c, month, (c % 100) / 10.0);
      }

  start = g_get_monotonic_time ();
  report = dg_dustfall_report_build ("2025-12", cells, values, rules);
  g_test_message ("20,000 cells ranked in %.3f s", (g_get_monotonic_time () - start) / 1e6);

  g_assert_cmpuint (report->n_ranked, ==, 20000);
  g_assert_cmpint (((DgCellRank *) g_ptr_array_index (report->cells, 0))->rank, ==, 1);
  g_assert_cmpint (((DgCellRank *) g_ptr_array_index (report->cells, 200))->rank, ==, 201);
  g_assert_cmpint (((DgCellRank *) g_ptr_array_index (report->cells, 399))->rank, ==, 201);
  g_assert_cmpint (((DgCellRank *) g_ptr_array_index (report->cells, 19999))->rank, ==, 19801);
  g_assert_cmpfloat (report->district_mean, ==, 5.0);   /* mean of 0.0 .. 9.9 is 4.95 */
}

/* ---- Road table ---- */

#define ROAD_ID(i) "e0000000-0000-4000-8000-00000000000" #i

static GPtrArray *
make_roads (void)
{
  static const char * const names[] = { "人民路", "解放路", "中山路", "滨江路", "新华路" };
  GPtrArray *roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DgRoad *road = dg_road_new ();

      road->id = g_strdup_printf ("e0000000-0000-4000-8000-00000000000%u", i);
      road->name = g_strdup (names[i]);
      road->unit = g_strdup ("环卫所");
      g_ptr_array_add (roads, road);
    }

  return roads;
}

/* A check of @n points, all on @surface with the given load, unless @loads says otherwise. */
static DgRoadCheck *
make_check (const char   *road_id,
            const char   *date,
            const char   *author,
            DgSurface     surface,
            guint         n,
            const double *loads)
{
  DgRoadCheck *check = dg_road_check_new ();
  static guint counter;

  check->id = g_strdup_printf ("f0000000-0000-4000-8000-%012u", ++counter);
  check->road_id = g_strdup (road_id);
  check->date = g_strdup (date);
  check->author = g_strdup (author);
  for (guint i = 0; i < n; i++)
    dg_road_check_add_point (check, (int) i + 1, surface, NULL, 1.0, loads[i]);

  return check;
}

static GPtrArray *
new_checks (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
}

static const DgRoadRow *
find_road (const DgRoadReport *report,
           const char         *road_id)
{
  for (guint i = 0; i < report->roads->len; i++)
    {
      const DgRoadRow *row = g_ptr_array_index (report->roads, i);

      if (g_strcmp0 (row->road_id, road_id) == 0)
        return row;
    }

  g_assert_not_reached ();
}

static const double six_threes[] = { 3, 3, 3, 3, 3, 3 };
static const double six_fours[] = { 4, 4, 4, 4, 4, 4 };
static const double six_sixes[] = { 6, 6, 6, 6, 6, 6 };

static void
test_road_row_figures (void)
{
  static const double mixed[] = { 4.0, 6.0, 5.0, 4.5, 7.25, 2.0 };
  static const double side[] = { 11.0, 9.0, 8.0, 9.0, 10.0 };
  g_autoptr(GPtrArray) roads = make_roads ();
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadReport) report = NULL;
  const DgRoadRow *row;

  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-03-03", "li", DG_SURFACE_MAIN, 6,
                                       mixed));
  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-03-10", "wang", DG_SURFACE_SIDE, 5,
                                       side));
  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-03-20", "li", DG_SURFACE_MAIN, 6,
                                       six_threes));
  /* Other months are not this month's business. */
  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-04-01", "li", DG_SURFACE_MAIN, 6,
                                       six_sixes));
  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-02-28", "li", DG_SURFACE_MAIN, 6,
                                       six_sixes));

  report = dg_road_report_build ("2025-03", roads, checks, rules);
  row = find_road (report, ROAD_ID (0));

  g_assert_cmpstr (row->name, ==, "人民路");
  g_assert_cmpuint (row->checks, ==, 3);
  g_assert_cmpuint (row->complete, ==, 2);          /* the 5-point check is not complete */
  g_assert_cmpuint (row->points, ==, 17);
  /* Every group passes: mixed 4.79 -> 4.8 ≤ 5, side 9.4 ≤ 10, threes 3.0. */
  g_assert_cmpuint (row->passed, ==, 3);
  /* Over their limit: 6.0 and 7.25 (main 5), 11.0 (side 10). */
  g_assert_cmpuint (row->points_over, ==, 3);
  g_assert_cmpfloat (row->max, ==, 11.0);
  g_assert_true (row->has_mean);
  /* All 17 loads: (28.75 + 47 + 18) / 17 = 5.514… */
  g_assert_cmpfloat (row->mean, ==, 5.5);
  g_assert_true (row->has_means[DG_SURFACE_MAIN]);
  g_assert_cmpfloat (row->means[DG_SURFACE_MAIN], ==, 3.9);    /* 46.75 / 12 = 3.896 */
  g_assert_true (row->has_means[DG_SURFACE_SIDE]);
  g_assert_cmpfloat (row->means[DG_SURFACE_SIDE], ==, 9.4);
  g_assert_false (row->has_means[DG_SURFACE_PARK]);
  g_assert_true (isnan (row->means[DG_SURFACE_PARK]));
}

/* Roads ascend by mean with competition ranks; roads without points come last by name. */
static void
test_road_ranking (void)
{
  g_autoptr(GPtrArray) roads = make_roads ();
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadReport) report = NULL;
  const DgRoadRow *row;

  g_ptr_array_add (checks, make_check (ROAD_ID (0), "2025-03-03", "li", DG_SURFACE_MAIN, 6,
                                       six_sixes));
  g_ptr_array_add (checks, make_check (ROAD_ID (1), "2025-03-03", "li", DG_SURFACE_MAIN, 6,
                                       six_fours));
  g_ptr_array_add (checks, make_check (ROAD_ID (2), "2025-03-03", "li", DG_SURFACE_MAIN, 6,
                                       six_threes));
  g_ptr_array_add (checks, make_check (ROAD_ID (3), "2025-03-04", "li", DG_SURFACE_MAIN, 6,
                                       six_fours));
  /* A road the table does not know: ignored, not a crash, not an empty row. */
  g_ptr_array_add (checks, make_check ("e0000000-0000-4000-8000-0000000000ff", "2025-03-04",
                                       "li", DG_SURFACE_MAIN, 6, six_threes));

  report = dg_road_report_build ("2025-03", roads, checks, rules);

  g_assert_cmpuint (report->roads->len, ==, 5);
  g_assert_cmpint (find_road (report, ROAD_ID (2))->rank, ==, 1);
  g_assert_cmpint (find_road (report, ROAD_ID (1))->rank, ==, 2);
  g_assert_cmpint (find_road (report, ROAD_ID (3))->rank, ==, 2);
  g_assert_cmpint (find_road (report, ROAD_ID (0))->rank, ==, 4);
  g_assert_cmpfloat (find_road (report, ROAD_ID (0))->mean, ==, 6.0);
  g_assert_cmpuint (find_road (report, ROAD_ID (0))->passed, ==, 0);

  row = g_ptr_array_index (report->roads, 4);
  g_assert_cmpstr (row->road_id, ==, ROAD_ID (4));
  g_assert_cmpint (row->rank, ==, 0);
  g_assert_cmpuint (row->checks, ==, 0);
  g_assert_false (row->has_mean);
  g_assert_true (isnan (row->max));
}

/* Province scale: 200,000 points over 1,000 roads, walked once; means stay exact decimals. */
static void
test_road_scale (void)
{
  static const double loads[] = { 5.0, 5.1, 5.0, 5.1, 5.0, 5.1, 5.0, 5.1, 5.0, 5.1 };
  g_autoptr(GPtrArray) roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadReport) report = NULL;
  g_autoptr(DgQuotaReport) quota = NULL;
  gint64 start;

  for (guint i = 0; i < 1000; i++)
    {
      DgRoad *road = dg_road_new ();

      road->id = g_strdup_printf ("e0000000-0000-4000-8000-%012u", i);
      road->name = g_strdup_printf ("路 %04u", i);
      g_ptr_array_add (roads, road);
    }

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *date = g_strdup_printf ("2025-03-%02u", i % 31 + 1);
      g_autofree char *road_id = g_strdup_printf ("e0000000-0000-4000-8000-%012u", i % 1000);

      g_ptr_array_add (checks, make_check (road_id, date, "li", DG_SURFACE_MAIN, 10, loads));
    }

  start = g_get_monotonic_time ();
  report = dg_road_report_build ("2025-03", roads, checks, rules);
  quota = dg_quota_report_build ("2025-03", checks, rules, "2025-03-31");
  g_test_message ("200,000 points in %.3f s", (g_get_monotonic_time () - start) / 1e6);

  /* Every road: 200 points averaging exactly 5.05, which is 5.1 and equal for all. */
  for (guint i = 0; i < report->roads->len; i++)
    {
      const DgRoadRow *row = g_ptr_array_index (report->roads, i);

      g_assert_cmpuint (row->points, ==, 200);
      g_assert_cmpfloat (row->mean, ==, 5.1);
      g_assert_cmpint (row->rank, ==, 1);
      g_assert_cmpuint (row->passed, ==, 0);
      g_assert_cmpuint (row->points_over, ==, 100);
    }

  g_assert_cmpuint (quota->days_met, ==, 31);
  /* Day 1 has checks i = 0, 31, 62, … < 20,000: 646 of them, on 646 distinct roads (i mod
   * 1000 repeats only every 31,000). */
  g_assert_cmpuint (g_array_index (quota->days, DgQuotaDay, 0).roads, ==, 646);
}

/* ---- Daily quota ---- */

static void
add_checks_on (GPtrArray  *checks,
               const char *date,
               guint       n_roads,
               guint       n_points)
{
  static const double loads[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

  for (guint r = 0; r < n_roads; r++)
    {
      g_autofree char *road_id = g_strdup_printf ("e0000000-0000-4000-8000-%012u", r);

      g_ptr_array_add (checks, make_check (road_id, date, r % 2 ? "li" : "wang",
                                           DG_SURFACE_MAIN, n_points, loads));
    }
}

/* A 5-point check is kept but does not count toward the quota. */
static void
test_five_points_do_not_count (void)
{
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();

  add_checks_on (checks, "2025-03-03", 5, 6);
  g_assert_cmpuint (dg_quota_roads_on (checks, "2025-03-03", rules), ==, 5);

  /* A sixth road, checked at 5 points only. */
  g_ptr_array_add (checks, make_check (ROAD_ID (9), "2025-03-03", "li", DG_SURFACE_MAIN, 5,
                                       six_threes));
  g_assert_cmpuint (dg_quota_roads_on (checks, "2025-03-03", rules), ==, 5);

  /* Once checked in full, it counts. */
  g_ptr_array_add (checks, make_check (ROAD_ID (9), "2025-03-03", "wang", DG_SURFACE_MAIN, 6,
                                       six_threes));
  g_assert_cmpuint (dg_quota_roads_on (checks, "2025-03-03", rules), ==, 6);
  g_assert_cmpuint (dg_quota_roads_on (checks, "2025-03-04", rules), ==, 0);
}

/* Distinct roads, district-wide: two inspectors checking one road count it once. */
static void
test_quota_distinct_roads (void)
{
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();

  add_checks_on (checks, "2025-03-03", 3, 6);
  add_checks_on (checks, "2025-03-03", 3, 6);
  add_checks_on (checks, "2025-03-03", 3, 6);
  g_assert_cmpuint (checks->len, ==, 9);
  g_assert_cmpuint (dg_quota_roads_on (checks, "2025-03-03", rules), ==, 3);
}

static void
test_quota_report (void)
{
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgQuotaReport) report = NULL;
  const DgQuotaDay *day;

  add_checks_on (checks, "2025-02-01", 6, 6);
  add_checks_on (checks, "2025-02-02", 5, 6);
  add_checks_on (checks, "2025-02-03", 6, 5);   /* six roads, none complete */
  add_checks_on (checks, "2025-02-04", 8, 7);
  add_checks_on (checks, "2025-02-20", 6, 6);   /* after today: still pending */
  add_checks_on (checks, "2025-03-01", 6, 6);   /* another month */

  report = dg_quota_report_build ("2025-02", checks, rules, "2025-02-10");

  g_assert_cmpstr (report->month, ==, "2025-02");
  g_assert_cmpuint (report->roads_required, ==, 6);
  g_assert_cmpuint (report->points_required, ==, 6);
  g_assert_cmpuint (report->days->len, ==, 28);

  day = &g_array_index (report->days, DgQuotaDay, 0);
  g_assert_cmpstr (day->date, ==, "2025-02-01");
  g_assert_cmpuint (day->roads, ==, 6);
  g_assert_cmpint (day->state, ==, DG_QUOTA_MET);
  day = &g_array_index (report->days, DgQuotaDay, 1);
  g_assert_cmpuint (day->roads, ==, 5);
  g_assert_cmpint (day->state, ==, DG_QUOTA_SHORT);
  day = &g_array_index (report->days, DgQuotaDay, 2);
  g_assert_cmpuint (day->roads, ==, 0);
  g_assert_cmpint (day->state, ==, DG_QUOTA_SHORT);
  day = &g_array_index (report->days, DgQuotaDay, 3);
  g_assert_cmpuint (day->roads, ==, 8);
  g_assert_cmpint (day->state, ==, DG_QUOTA_MET);
  day = &g_array_index (report->days, DgQuotaDay, 9);
  g_assert_cmpstr (day->date, ==, "2025-02-10");
  g_assert_cmpint (day->state, ==, DG_QUOTA_SHORT);   /* today counts as elapsed */
  day = &g_array_index (report->days, DgQuotaDay, 19);
  g_assert_cmpuint (day->roads, ==, 6);
  g_assert_cmpint (day->state, ==, DG_QUOTA_PENDING);
  day = &g_array_index (report->days, DgQuotaDay, 27);
  g_assert_cmpstr (day->date, ==, "2025-02-28");

  g_assert_cmpuint (report->days_met, ==, 2);
  g_assert_cmpuint (report->days_elapsed, ==, 10);
}

static void
test_quota_today_outside_month (void)
{
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgQuotaReport) past = NULL;
  g_autoptr(DgQuotaReport) future = NULL;

  add_checks_on (checks, "2024-02-29", 6, 6);
  past = dg_quota_report_build ("2024-02", checks, rules, "2025-01-01");
  future = dg_quota_report_build ("2024-02", checks, rules, "2024-01-31");

  g_assert_cmpuint (past->days->len, ==, 29);
  g_assert_cmpuint (past->days_elapsed, ==, 29);
  g_assert_cmpuint (past->days_met, ==, 1);
  g_assert_cmpuint (future->days_elapsed, ==, 0);
  g_assert_cmpuint (future->days_met, ==, 0);
  g_assert_cmpint (g_array_index (future->days, DgQuotaDay, 28).state, ==, DG_QUOTA_PENDING);
}

/* Quotas changed mid-month apply from their own date. */
static void
test_quota_rules_by_day (void)
{
  g_autoptr(GPtrArray) checks = new_checks ();
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRule) points = dg_rule_new ();
  g_autoptr(DgRule) roads = dg_rule_new ();
  g_autoptr(DgQuotaReport) report = NULL;

  points->id = g_strdup ("11111111-1111-4111-8111-111111111111");
  points->kind = DG_RULE_QUOTA_POINTS;
  points->value = 5;
  points->effective_from = g_strdup ("2025-03-15");
  dg_rule_set_add (rules, points);
  roads->id = g_strdup ("22222222-2222-4222-8222-222222222222");
  roads->kind = DG_RULE_QUOTA_ROADS;
  roads->value = 4;
  roads->effective_from = g_strdup ("2025-03-20");
  dg_rule_set_add (rules, roads);

  add_checks_on (checks, "2025-03-14", 6, 5);
  add_checks_on (checks, "2025-03-15", 6, 5);
  add_checks_on (checks, "2025-03-20", 4, 6);

  report = dg_quota_report_build ("2025-03", checks, rules, "2025-03-31");

  g_assert_cmpuint (report->roads_required, ==, 6);
  g_assert_cmpuint (report->points_required, ==, 6);
  g_assert_cmpint (g_array_index (report->days, DgQuotaDay, 13).state, ==, DG_QUOTA_SHORT);
  g_assert_cmpint (g_array_index (report->days, DgQuotaDay, 14).state, ==, DG_QUOTA_MET);
  g_assert_cmpuint (g_array_index (report->days, DgQuotaDay, 19).required, ==, 4);
  g_assert_cmpint (g_array_index (report->days, DgQuotaDay, 19).state, ==, DG_QUOTA_MET);
  g_assert_cmpuint (report->days_met, ==, 2);
  g_assert_cmpuint (report->days_elapsed, ==, 31);
}

static void
test_quota_state_names (void)
{
  g_assert_cmpstr (dg_quota_state_to_string (DG_QUOTA_MET), ==, "met");
  g_assert_cmpstr (dg_quota_state_to_string (DG_QUOTA_SHORT), ==, "short");
  g_assert_cmpstr (dg_quota_state_to_string (DG_QUOTA_PENDING), ==, "pending");
}

/* The months the builder reads: March needs January to March, February and last March; January
 * needs itself, last December and last January. Each appears once. */
static void
test_dustfall_report_months (void)
{
  g_auto(GStrv) march = dg_dustfall_report_months ("2026-03");
  g_auto(GStrv) january = dg_dustfall_report_months ("2026-01");
  g_auto(GStrv) december = dg_dustfall_report_months ("2026-12");
  const char *const expected_march[] = { "2026-01", "2026-02", "2026-03", "2025-03", NULL };
  const char *const expected_january[] = { "2026-01", "2025-12", "2025-01", NULL };

  g_assert_true (g_strv_equal ((const char *const *) march, expected_march));
  g_assert_true (g_strv_equal ((const char *const *) january, expected_january));
  g_assert_cmpuint (g_strv_length (december), ==, 13);
  g_assert_cmpstr (december[0], ==, "2026-01");
  g_assert_cmpstr (december[10], ==, "2026-11");
  g_assert_cmpstr (december[12], ==, "2025-12");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/report/ranking/ties-share-and-skip", test_ranking_ties_skip);
  g_test_add_func ("/common/report/dustfall/competition-ranks-1-2-2-4", test_competition_ranks);
  g_test_add_func ("/common/report/dustfall/history/feeds-yoy-mom-ytd",
                   test_history_feeds_yoy_and_mom);
  g_test_add_func ("/common/report/dustfall/history/samples-win", test_history_samples_win);
  g_test_add_func ("/common/report/dustfall/history/fills-a-month-without-samples",
                   test_history_fills_a_month_without_samples);
  g_test_add_func ("/common/report/dustfall/months-the-builder-reads", test_dustfall_report_months);
  g_test_add_func ("/common/report/dustfall/ranks-on-rounded-values",
                   test_ranks_on_rounded_values);
  g_test_add_func ("/common/report/dustfall/cell-without-data-last-unranked",
                   test_cell_without_data);
  g_test_add_func ("/common/report/dustfall/no-cell-has-data", test_no_cell_has_data);
  g_test_add_func ("/common/report/dustfall/exceeds-above-cap", test_exceeds_cap);
  g_test_add_func ("/common/report/dustfall/cap-lowered-mid-year", test_cap_lowered_mid_year);
  g_test_add_func ("/common/report/dustfall/month-on-month", test_month_on_month);
  g_test_add_func ("/common/report/dustfall/year-on-year", test_year_on_year);
  g_test_add_func ("/common/report/dustfall/year-to-date-mean", test_year_to_date);
  g_test_add_func ("/common/report/dustfall/cell-columns", test_cell_columns);
  g_test_add_func ("/common/report/dustfall/province-scale", test_dustfall_scale);
  g_test_add_func ("/common/report/roads/row-figures", test_road_row_figures);
  g_test_add_func ("/common/report/roads/ranked-by-mean-then-unchecked",
                   test_road_ranking);
  g_test_add_func ("/common/report/roads/province-scale", test_road_scale);
  g_test_add_func ("/common/report/quota/five-point-check-does-not-count",
                   test_five_points_do_not_count);
  g_test_add_func ("/common/report/quota/distinct-roads-district-wide",
                   test_quota_distinct_roads);
  g_test_add_func ("/common/report/quota/met-short-pending", test_quota_report);
  g_test_add_func ("/common/report/quota/today-outside-month", test_quota_today_outside_month);
  g_test_add_func ("/common/report/quota/rules-in-force-each-day", test_quota_rules_by_day);
  g_test_add_func ("/common/report/quota/state-names", test_quota_state_names);

  return g_test_run ();
}
