/* test-validate.c: every validation rule, each with a bad value and the field path it names.
 *
 * Each case starts from a valid record, breaks one field, and is its own named test, so a failure
 * says which rule broke. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

#define ROAD_ID "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c"
#define CELL_ID "0b7e2c44-1f5a-4d3b-8c9e-7a6b5c4d3e2f"
#define RECORD_ID "c3d4e5f6-a7b8-4c9d-8e0f-112233445566"

#define assert_dg_error(err, error_code, expected_field)              \
  G_STMT_START {                                                      \
    g_assert_error ((err), DG_ERROR, (gint) (error_code));            \
    g_assert_cmpstr (dg_error_get_field (err), ==, (expected_field)); \
  } G_STMT_END

static void
replace (char      **slot,
         const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/* ---- Valid records ---- */

static DgRoad *
valid_road (void)
{
  DgRoad *road = dg_road_new ();

  road->id = g_strdup (RECORD_ID);
  road->name = g_strdup ("人民路");
  road->unit = g_strdup ("府城街道");
  road->surface = DG_SURFACE_MAIN;
  road->length_km = 2.4;
  return road;
}

static DgGridCell *
valid_cell (void)
{
  DgGridCell *cell = dg_grid_cell_new ();

  cell->id = g_strdup (RECORD_ID);
  cell->code = g_strdup ("G01");
  cell->name = g_strdup ("府城一网格");
  cell->unit = g_strdup ("府城街道");
  cell->row = 0;
  cell->col = DG_MAP_MAX - 1;
  cell->area_km2 = 1.5;
  return cell;
}

static DgRule *
valid_rule (void)
{
  DgRule *rule = dg_rule_new ();

  rule->id = g_strdup (RECORD_ID);
  rule->kind = DG_RULE_LIMIT;
  rule->has_surface = TRUE;
  rule->surface = DG_SURFACE_SIDE;
  rule->value = 10;
  rule->effective_from = g_strdup ("2022-01-01");
  return rule;
}

static DgRoadCheck *
valid_check (void)
{
  DgRoadCheck *check = dg_road_check_new ();

  check->id = g_strdup (RECORD_ID);
  check->road_id = g_strdup (ROAD_ID);
  check->date = g_strdup ("2025-03-14");
  check->started_at = g_strdup ("2025-03-14T09:30");
  check->weather = g_strdup ("晴");
  check->notes = g_strdup ("");
  for (int i = 1; i <= 6; i++)
    dg_road_check_add_point (check, i, i <= 4 ? DG_SURFACE_MAIN : DG_SURFACE_SIDE,
                             "K1+200 北侧", 1.0, 3.5 + i);
  return check;
}

static DgDustfallSample *
valid_sample (void)
{
  DgDustfallSample *sample = dg_dustfall_sample_new ();

  sample->id = g_strdup (RECORD_ID);
  sample->cell_id = g_strdup (CELL_ID);
  replace (&sample->site, "2");
  sample->jar = DG_JAR_B;
  sample->month = g_strdup ("2025-03");
  sample->start = g_strdup ("2025-03-01T09:00");
  sample->end = g_strdup ("2025-03-31T09:00:00");
  sample->diameter_cm[0] = 15.0;
  sample->diameter_cm[1] = 15.1;
  sample->n_diameters = 2;
  sample->w0_g = 30.1234;
  sample->w1_g = 30.1534;
  sample->wc_g = 0.0012;
  return sample;
}

/* ---- Valid cases ---- */

static void
test_road_valid (void)
{
  g_autoptr(DgRoad) road = valid_road ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_road_validate (road, &error));
  g_assert_no_error (error);

  /* Optional members may be absent. */
  g_clear_pointer (&road->unit, g_free);
  g_clear_pointer (&road->id, g_free);
  road->length_km = NAN;
  g_assert_true (dg_road_validate (road, &error));
  g_assert_no_error (error);
}

static void
test_cell_valid (void)
{
  g_autoptr(DgGridCell) cell = valid_cell ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_grid_cell_validate (cell, &error));
  cell->area_km2 = NAN;
  g_assert_true (dg_grid_cell_validate (cell, &error));
  g_assert_no_error (error);
}

static void
test_rule_valid (void)
{
  g_autoptr(GPtrArray) defaults = dg_rule_set_default_rules ();
  g_autoptr(DgRule) rule = valid_rule ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_rule_validate (rule, &error));
  g_assert_no_error (error);

  /* The defaults a new database stores must pass their own validation. */
  for (guint i = 0; i < defaults->len; i++)
    {
      g_assert_true (dg_rule_validate (g_ptr_array_index (defaults, i), &error));
      g_assert_no_error (error);
    }
}

static void
test_check_valid (void)
{
  g_autoptr(DgRoadCheck) check = valid_check ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_road_check_validate (check, &error));
  g_assert_no_error (error);

  g_clear_pointer (&check->started_at, g_free);
  g_clear_pointer (&check->weather, g_free);
  g_clear_pointer (&check->notes, g_free);
  g_assert_true (dg_road_check_validate (check, &error));
  g_assert_no_error (error);
}

static void
test_check_limits_ok (void)
{
  g_autoptr(DgRoadCheck) check = valid_check ();
  g_autoptr(GError) error = NULL;

  /* Exactly at every bound: 100 points, 4 KiB notes, 1 KiB weather, extreme areas and masses. */
  for (int i = 7; i <= DG_MAX_POINTS; i++)
    dg_road_check_add_point (check, i, DG_SURFACE_PARK, NULL, DG_AREA_M2_MIN, 0.0);
  dg_road_check_get_point (check, 0)->area_m2 = DG_AREA_M2_MAX;
  dg_road_check_get_point (check, 0)->mass_g = DG_MASS_G_MAX;
  g_free (check->notes);
  check->notes = g_strnfill (DG_MAX_NOTES_BYTES, 'n');
  g_free (check->weather);
  check->weather = g_strnfill (DG_MAX_STRING_BYTES, 'w');

  g_assert_true (dg_road_check_validate (check, &error));
  g_assert_no_error (error);
}

static void
test_sample_valid (void)
{
  g_autoptr(DgDustfallSample) sample = valid_sample ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_dustfall_sample_validate (sample, &error));
  g_assert_no_error (error);

  /* A net mass a hair below zero is weighing noise, not a reject. */
  sample->w1_g = sample->w0_g;
  sample->wc_g = 0.0004;
  g_assert_true (dg_dustfall_sample_validate (sample, &error));
  g_assert_no_error (error);

  /* Collected in the next month's first days, as jars are: the midpoint is still this month's. */
  replace (&sample->start, "2025-02-28T09:00");
  replace (&sample->end, "2025-04-01T09:00");
  g_assert_true (dg_dustfall_sample_validate (sample, &error));
  g_assert_no_error (error);
}

/* ---- Table of bad values ---- */

typedef enum
{
  KIND_ROAD,
  KIND_CELL,
  KIND_RULE,
  KIND_CHECK,
  KIND_SAMPLE,
} Kind;

typedef struct
{
  const char *path;
  Kind        kind;
  void      (*mutate) (gpointer record);
  const char *field;
  const char *message;   /* when the exact message matters */
} BadCase;

/* Road */
static void
road_id_not_uuid (gpointer r)
{
  replace (&((DgRoad *) r)->id, "road-1");
}

static void
road_name_missing (gpointer r)
{
  g_clear_pointer (&((DgRoad *) r)->name, g_free);
}

static void
road_name_empty (gpointer r)
{
  replace (&((DgRoad *) r)->name, "");
}

static void
road_name_blank (gpointer r)
{
  replace (&((DgRoad *) r)->name, " \t\xe3\x80\x80");
}

static void
road_name_too_long (gpointer r)
{
  g_free (((DgRoad *) r)->name);
  ((DgRoad *) r)->name = g_strnfill (DG_MAX_STRING_BYTES + 1, 'x');
}

static void
road_name_bad_utf8 (gpointer r)
{
  replace (&((DgRoad *) r)->name, "caf\xc3\x28");
}

static void
road_unit_too_long (gpointer r)
{
  g_free (((DgRoad *) r)->unit);
  ((DgRoad *) r)->unit = g_strnfill (DG_MAX_STRING_BYTES + 1, 'u');
}

static void
road_surface_bad (gpointer r)
{
  ((DgRoad *) r)->surface = DG_N_SURFACES;
}

static void
road_length_zero (gpointer r)
{
  ((DgRoad *) r)->length_km = 0;
}

static void
road_length_negative (gpointer r)
{
  ((DgRoad *) r)->length_km = -1;
}

static void
road_length_too_long (gpointer r)
{
  ((DgRoad *) r)->length_km = DG_LENGTH_KM_MAX + 1;
}

static void
road_length_infinite (gpointer r)
{
  ((DgRoad *) r)->length_km = INFINITY;
}

/* Grid cell */
static void
cell_code_empty (gpointer c)
{
  replace (&((DgGridCell *) c)->code, "");
}

static void
cell_code_missing (gpointer c)
{
  g_clear_pointer (&((DgGridCell *) c)->code, g_free);
}

static void
cell_name_empty (gpointer c)
{
  replace (&((DgGridCell *) c)->name, "");
}

static void
cell_row_negative (gpointer c)
{
  ((DgGridCell *) c)->row = -1;
}

static void
cell_row_too_big (gpointer c)
{
  ((DgGridCell *) c)->row = DG_MAP_MAX;
}

static void
cell_col_too_big (gpointer c)
{
  ((DgGridCell *) c)->col = DG_MAP_MAX;
}

static void
cell_area_zero (gpointer c)
{
  ((DgGridCell *) c)->area_km2 = 0;
}

static void
cell_area_too_big (gpointer c)
{
  ((DgGridCell *) c)->area_km2 = DG_AREA_KM2_MAX * 2;
}

static void
cell_id_not_uuid (gpointer c)
{
  replace (&((DgGridCell *) c)->id, "G01");
}

/* Rule */
static void
rule_kind_bad (gpointer r)
{
  ((DgRule *) r)->kind = DG_N_RULE_KINDS;
}

static void
rule_limit_without_surface (gpointer r)
{
  ((DgRule *) r)->has_surface = FALSE;
}

static void
rule_cap_with_surface (gpointer r)
{
  ((DgRule *) r)->kind = DG_RULE_CAP;
}

static void
rule_surface_bad (gpointer r)
{
  ((DgRule *) r)->surface = 7;
}

static void
rule_value_zero (gpointer r)
{
  ((DgRule *) r)->value = 0;
}

static void
rule_value_negative (gpointer r)
{
  ((DgRule *) r)->value = -5;
}

static void
rule_value_nan (gpointer r)
{
  ((DgRule *) r)->value = NAN;
}

static void
rule_value_too_big (gpointer r)
{
  ((DgRule *) r)->value = DG_RULE_VALUE_MAX + 1;
}

static void
rule_quota_fraction (gpointer r)
{
  ((DgRule *) r)->kind = DG_RULE_QUOTA_ROADS;
  ((DgRule *) r)->has_surface = FALSE;
  ((DgRule *) r)->value = 5.5;
}

static void
rule_quota_below_one (gpointer r)
{
  ((DgRule *) r)->kind = DG_RULE_QUOTA_POINTS;
  ((DgRule *) r)->has_surface = FALSE;
  ((DgRule *) r)->value = 0.5;
}

static void
rule_date_missing (gpointer r)
{
  g_clear_pointer (&((DgRule *) r)->effective_from, g_free);
}

static void
rule_date_nonexistent (gpointer r)
{
  replace (&((DgRule *) r)->effective_from, "2023-02-29");
}

static void
rule_date_malformed (gpointer r)
{
  replace (&((DgRule *) r)->effective_from, "2022-1-1");
}

/* Road check */
#define CHECK(r) ((DgRoadCheck *) (r))
#define POINT(r, i) dg_road_check_get_point (CHECK (r), (i))
static void
check_id_not_uuid (gpointer r)
{
  replace (&CHECK (r)->id, "c3d4e5f6a7b84c9d8e0f112233445566");
}

static void
check_road_id_missing (gpointer r)
{
  g_clear_pointer (&CHECK (r)->road_id, g_free);
}

static void
check_road_id_not_uuid (gpointer r)
{
  replace (&CHECK (r)->road_id, "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7");
}

static void
check_date_missing (gpointer r)
{
  g_clear_pointer (&CHECK (r)->date, g_free);
}

static void
check_date_nonexistent (gpointer r)
{
  replace (&CHECK (r)->date, "2025-02-30");
}

static void
check_date_malformed (gpointer r)
{
  replace (&CHECK (r)->date, "14/03/2025");
}

static void
check_started_at_bad (gpointer r)
{
  replace (&CHECK (r)->started_at, "2025-03-14T25:00");
}

static void
check_started_at_zone (gpointer r)
{
  replace (&CHECK (r)->started_at, "2025-03-14T09:30Z");
}

static void
check_weather_too_long (gpointer r)
{
  g_free (CHECK (r)->weather);
  CHECK (r)->weather = g_strnfill (DG_MAX_STRING_BYTES + 1, 'w');
}

static void
check_notes_too_long (gpointer r)
{
  g_free (CHECK (r)->notes);
  CHECK (r)->notes = g_strnfill (DG_MAX_NOTES_BYTES + 1, 'n');
}

static void
check_notes_bad_utf8 (gpointer r)
{
  replace (&CHECK (r)->notes, "ok \xff");
}

static void
check_no_points (gpointer r)
{
  g_array_set_size (CHECK (r)->points, 0);
}

static void
check_101_points (gpointer r)
{
  for (int i = 7; i <= DG_MAX_POINTS + 1; i++)
    dg_road_check_add_point (CHECK (r), i, DG_SURFACE_MAIN, NULL, 1.0, 1.0);
}

static void
check_seq_zero (gpointer r)
{
  POINT (r, 0)->seq = 0;
}

static void
check_seq_negative (gpointer r)
{
  POINT (r, 2)->seq = -3;
}

static void
check_seq_duplicate (gpointer r)
{
  POINT (r, 3)->seq = 2;
}

static void
check_surface_bad (gpointer r)
{
  POINT (r, 1)->surface = DG_N_SURFACES;
}

static void
check_location_too_long (gpointer r)
{
  g_free (POINT (r, 2)->location);
  POINT (r, 2)->location = g_strnfill (DG_MAX_STRING_BYTES + 1, 'l');
}

static void
check_area_too_small (gpointer r)
{
  POINT (r, 3)->area_m2 = 0.009;
}

static void
check_area_zero (gpointer r)
{
  POINT (r, 3)->area_m2 = 0;
}

static void
check_area_too_big (gpointer r)
{
  POINT (r, 3)->area_m2 = DG_AREA_M2_MAX + 0.5;
}

static void
check_area_nan (gpointer r)
{
  POINT (r, 3)->area_m2 = NAN;
}

static void
check_mass_negative (gpointer r)
{
  POINT (r, 3)->mass_g = -0.1;
}

static void
check_mass_too_big (gpointer r)
{
  POINT (r, 5)->mass_g = DG_MASS_G_MAX * 1.01;
}

static void
check_mass_infinite (gpointer r)
{
  POINT (r, 4)->mass_g = INFINITY;
}

/* Dust-fall sample */
#define SAMPLE(r) ((DgDustfallSample *) (r))
static void
sample_id_not_uuid (gpointer r)
{
  replace (&SAMPLE (r)->id, "x");
}

static void
sample_cell_missing (gpointer r)
{
  g_clear_pointer (&SAMPLE (r)->cell_id, g_free);
}

static void
sample_cell_not_uuid (gpointer r)
{
  replace (&SAMPLE (r)->cell_id, "G01");
}

static void
sample_site_empty (gpointer r)
{
  replace (&SAMPLE (r)->site, "");
}

static void
sample_site_too_long (gpointer r)
{
  g_free (SAMPLE (r)->site);
  SAMPLE (r)->site = g_strnfill (DG_MAX_STRING_BYTES + 1, 's');
}

static void
sample_jar_c (gpointer r)
{
  SAMPLE (r)->jar = 'C';
}

static void
sample_jar_lower (gpointer r)
{
  SAMPLE (r)->jar = 'a';
}

static void
sample_month_missing (gpointer r)
{
  g_clear_pointer (&SAMPLE (r)->month, g_free);
}

static void
sample_month_13 (gpointer r)
{
  replace (&SAMPLE (r)->month, "2025-13");
}

static void
sample_month_date (gpointer r)
{
  replace (&SAMPLE (r)->month, "2025-03-01");
}

static void
sample_start_bad (gpointer r)
{
  replace (&SAMPLE (r)->start, "2025-02-29T09:00");
}

static void
sample_start_date_only (gpointer r)
{
  replace (&SAMPLE (r)->start, "2025-03-01");
}

static void
sample_end_missing (gpointer r)
{
  g_clear_pointer (&SAMPLE (r)->end, g_free);
}

static void
sample_end_before_start (gpointer r)
{
  replace (&SAMPLE (r)->end, "2025-02-27T09:00");
}

static void
sample_end_equals_start (gpointer r)
{
  replace (&SAMPLE (r)->end, "2025-03-01T09:00");
}

static void
sample_period_63_days (gpointer r)
{
  replace (&SAMPLE (r)->end, "2025-05-03T09:00");
}

/* February's jar filed under March: its whole period, and so its midpoint, is February's. */
static void
sample_period_of_another_month (gpointer r)
{
  replace (&SAMPLE (r)->start, "2025-02-01T09:00");
  replace (&SAMPLE (r)->end, "2025-02-28T09:00");
}

/* Set out on 1 March, collected on 1 May: the midpoint (31 March 09:00) is still March's, but a
 * day later it is April's. */
static void
sample_midpoint_after_month (gpointer r)
{
  replace (&SAMPLE (r)->start, "2025-03-02T09:00");
  replace (&SAMPLE (r)->end, "2025-05-01T09:00");
}

static void
sample_no_diameters (gpointer r)
{
  SAMPLE (r)->n_diameters = 0;
}

static void
sample_five_diameters (gpointer r)
{
  SAMPLE (r)->n_diameters = 5;
}

static void
sample_diameter_small (gpointer r)
{
  SAMPLE (r)->diameter_cm[0] = 4.9;
}

static void
sample_diameter_large (gpointer r)
{
  SAMPLE (r)->n_diameters = 3;
  SAMPLE (r)->diameter_cm[2] = 50.1;
}

static void
sample_diameter_nan (gpointer r)
{
  SAMPLE (r)->diameter_cm[1] = NAN;
}

static void
sample_w0_negative (gpointer r)
{
  SAMPLE (r)->w0_g = -1;
}

static void
sample_w0_nan (gpointer r)
{
  SAMPLE (r)->w0_g = NAN;
}

static void
sample_w1_too_big (gpointer r)
{
  SAMPLE (r)->w1_g = DG_WEIGHT_G_MAX + 1;
}

static void
sample_w1_below_w0 (gpointer r)
{
  SAMPLE (r)->w1_g = SAMPLE (r)->w0_g - 0.0001;
}

static void
sample_wc_negative (gpointer r)
{
  SAMPLE (r)->wc_g = -0.0001;
}

static void
sample_wc_infinite (gpointer r)
{
  SAMPLE (r)->wc_g = -INFINITY;
}

static void
sample_net_below_tolerance (gpointer r)
{
  SAMPLE (r)->w1_g = SAMPLE (r)->w0_g + 0.001;
  SAMPLE (r)->wc_g = 0.002;
}

static void
sample_notes_too_long (gpointer r)
{
  g_free (SAMPLE (r)->notes);
  SAMPLE (r)->notes = g_strnfill (DG_MAX_NOTES_BYTES + 1, 'n');
}

static const BadCase bad_cases[] = {
  { "/common/validate/road/id-not-uuid", KIND_ROAD, road_id_not_uuid, "id", "id must be a UUID" },
  { "/common/validate/road/name-missing", KIND_ROAD, road_name_missing,
    "name", "name is required" },
  { "/common/validate/road/name-empty", KIND_ROAD, road_name_empty,
    "name", "name must not be empty" },
  { "/common/validate/road/name-blank", KIND_ROAD, road_name_blank, "name", NULL },
  { "/common/validate/road/name-over-1kib", KIND_ROAD, road_name_too_long,
    "name", "name must be at most 1024 bytes" },
  { "/common/validate/road/name-invalid-utf8", KIND_ROAD, road_name_bad_utf8,
    "name", "name must be valid UTF-8" },
  { "/common/validate/road/unit-over-1kib", KIND_ROAD, road_unit_too_long, "unit", NULL },
  { "/common/validate/road/surface-unknown", KIND_ROAD, road_surface_bad,
    "surface", "surface must be main, side or park" },
  { "/common/validate/road/length-zero", KIND_ROAD, road_length_zero,
    "length_km", "length_km must be > 0" },
  { "/common/validate/road/length-negative", KIND_ROAD, road_length_negative, "length_km", NULL },
  { "/common/validate/road/length-too-long", KIND_ROAD, road_length_too_long,
    "length_km", "length_km must be ≤ 10000" },
  { "/common/validate/road/length-infinite", KIND_ROAD, road_length_infinite,
    "length_km", "length_km must be a finite number" },

  { "/common/validate/grid-cell/id-not-uuid", KIND_CELL, cell_id_not_uuid, "id", NULL },
  { "/common/validate/grid-cell/code-empty", KIND_CELL, cell_code_empty,
    "code", "code must not be empty" },
  { "/common/validate/grid-cell/code-missing", KIND_CELL, cell_code_missing,
    "code", "code is required" },
  { "/common/validate/grid-cell/name-empty", KIND_CELL, cell_name_empty, "name", NULL },
  { "/common/validate/grid-cell/row-negative", KIND_CELL, cell_row_negative,
    "row", "row must be between 0 and 999" },
  { "/common/validate/grid-cell/row-1000", KIND_CELL, cell_row_too_big, "row", NULL },
  { "/common/validate/grid-cell/col-1000", KIND_CELL, cell_col_too_big,
    "col", "col must be between 0 and 999" },
  { "/common/validate/grid-cell/area-zero", KIND_CELL, cell_area_zero, "area_km2", NULL },
  { "/common/validate/grid-cell/area-too-big", KIND_CELL, cell_area_too_big, "area_km2", NULL },

  { "/common/validate/rule/kind-unknown", KIND_RULE, rule_kind_bad, "kind", NULL },
  { "/common/validate/rule/limit-without-surface", KIND_RULE, rule_limit_without_surface,
    "surface", "surface is required for a limit rule" },
  { "/common/validate/rule/cap-with-surface", KIND_RULE, rule_cap_with_surface,
    "surface", "surface is allowed only on a limit rule" },
  { "/common/validate/rule/surface-unknown", KIND_RULE, rule_surface_bad, "surface", NULL },
  { "/common/validate/rule/value-zero", KIND_RULE, rule_value_zero, "value", "value must be > 0" },
  { "/common/validate/rule/value-negative", KIND_RULE, rule_value_negative, "value", NULL },
  { "/common/validate/rule/value-nan", KIND_RULE, rule_value_nan,
    "value", "value must be a finite number" },
  { "/common/validate/rule/value-too-big", KIND_RULE, rule_value_too_big, "value", NULL },
  { "/common/validate/rule/quota-fraction", KIND_RULE, rule_quota_fraction,
    "value", "value must be a whole number ≥ 1 for a quota rule" },
  { "/common/validate/rule/quota-below-one", KIND_RULE, rule_quota_below_one, "value", NULL },
  { "/common/validate/rule/effective-from-missing", KIND_RULE, rule_date_missing,
    "effective_from", "effective_from is required" },
  { "/common/validate/rule/effective-from-nonexistent", KIND_RULE, rule_date_nonexistent,
    "effective_from", NULL },
  { "/common/validate/rule/effective-from-malformed", KIND_RULE, rule_date_malformed,
    "effective_from", NULL },

  { "/common/validate/road-check/id-not-uuid", KIND_CHECK, check_id_not_uuid, "id", NULL },
  { "/common/validate/road-check/road-id-missing", KIND_CHECK, check_road_id_missing,
    "road_id", "road_id is required" },
  { "/common/validate/road-check/road-id-not-uuid", KIND_CHECK, check_road_id_not_uuid,
    "road_id", "road_id must be a UUID" },
  { "/common/validate/road-check/date-missing", KIND_CHECK, check_date_missing, "date", NULL },
  { "/common/validate/road-check/date-nonexistent", KIND_CHECK, check_date_nonexistent,
    "date", "date must be a date YYYY-MM-DD that exists" },
  { "/common/validate/road-check/date-malformed", KIND_CHECK, check_date_malformed, "date", NULL },
  { "/common/validate/road-check/started-at-hour-25", KIND_CHECK, check_started_at_bad,
    "started_at", NULL },
  { "/common/validate/road-check/started-at-with-zone", KIND_CHECK, check_started_at_zone,
    "started_at", NULL },
  { "/common/validate/road-check/weather-over-1kib", KIND_CHECK, check_weather_too_long,
    "weather", "weather must be at most 1024 bytes" },
  { "/common/validate/road-check/notes-over-4kib", KIND_CHECK, check_notes_too_long,
    "notes", "notes must be at most 4096 bytes" },
  { "/common/validate/road-check/notes-invalid-utf8", KIND_CHECK, check_notes_bad_utf8,
    "notes", NULL },
  { "/common/validate/road-check/no-points", KIND_CHECK, check_no_points,
    "points", "points must hold at least 1 point" },
  { "/common/validate/road-check/101-points", KIND_CHECK, check_101_points,
    "points", "points must hold at most 100 points" },
  { "/common/validate/road-check/seq-zero-names-field", KIND_CHECK, check_seq_zero,
    "points[0].seq", "points[0].seq must be ≥ 1" },
  { "/common/validate/road-check/seq-negative-names-field", KIND_CHECK, check_seq_negative,
    "points[2].seq", NULL },
  { "/common/validate/road-check/seq-duplicate-names-field", KIND_CHECK, check_seq_duplicate,
    "points[3].seq", "points[3].seq 2 is already used by points[1]" },
  { "/common/validate/road-check/surface-unknown-names-field", KIND_CHECK, check_surface_bad,
    "points[1].surface", NULL },
  { "/common/validate/road-check/location-over-1kib-names-field", KIND_CHECK,
    check_location_too_long, "points[2].location", NULL },
  { "/common/validate/road-check/area-too-small-names-field", KIND_CHECK, check_area_too_small,
    "points[3].area_m2", "points[3].area_m2 must be ≥ 0.01" },
  { "/common/validate/road-check/area-zero-names-field", KIND_CHECK, check_area_zero,
    "points[3].area_m2", NULL },
  { "/common/validate/road-check/area-too-big-names-field", KIND_CHECK, check_area_too_big,
    "points[3].area_m2", "points[3].area_m2 must be ≤ 100" },
  { "/common/validate/road-check/area-nan-names-field", KIND_CHECK, check_area_nan,
    "points[3].area_m2", NULL },
  { "/common/validate/road-check/mass-negative-names-field", KIND_CHECK, check_mass_negative,
    "points[3].mass_g", "points[3].mass_g must be ≥ 0" },
  { "/common/validate/road-check/mass-too-big-names-field", KIND_CHECK, check_mass_too_big,
    "points[5].mass_g", NULL },
  { "/common/validate/road-check/mass-infinite-names-field", KIND_CHECK, check_mass_infinite,
    "points[4].mass_g", "points[4].mass_g must be a finite number" },

  { "/common/validate/dustfall/id-not-uuid", KIND_SAMPLE, sample_id_not_uuid, "id", NULL },
  { "/common/validate/dustfall/cell-id-missing", KIND_SAMPLE, sample_cell_missing,
    "cell_id", "cell_id is required" },
  { "/common/validate/dustfall/cell-id-not-uuid", KIND_SAMPLE, sample_cell_not_uuid,
    "cell_id", "cell_id must be a UUID" },
  { "/common/validate/dustfall/site-empty", KIND_SAMPLE, sample_site_empty,
    "site", "site must not be empty" },
  { "/common/validate/dustfall/site-over-1kib", KIND_SAMPLE, sample_site_too_long, "site", NULL },
  { "/common/validate/dustfall/jar-c", KIND_SAMPLE, sample_jar_c, "jar", "jar must be A or B" },
  { "/common/validate/dustfall/jar-lower-case", KIND_SAMPLE, sample_jar_lower, "jar", NULL },
  { "/common/validate/dustfall/month-missing", KIND_SAMPLE, sample_month_missing,
    "month", "month is required" },
  { "/common/validate/dustfall/month-13", KIND_SAMPLE, sample_month_13,
    "month", "month must be a month YYYY-MM" },
  { "/common/validate/dustfall/month-is-a-date", KIND_SAMPLE, sample_month_date, "month", NULL },
  { "/common/validate/dustfall/start-nonexistent", KIND_SAMPLE, sample_start_bad, "start", NULL },
  { "/common/validate/dustfall/start-without-time", KIND_SAMPLE, sample_start_date_only,
    "start", NULL },
  { "/common/validate/dustfall/end-missing", KIND_SAMPLE, sample_end_missing,
    "end", "end is required" },
  { "/common/validate/dustfall/end-before-start", KIND_SAMPLE, sample_end_before_start,
    "end", NULL },
  { "/common/validate/dustfall/period-zero-days", KIND_SAMPLE, sample_end_equals_start,
    "end", NULL },
  { "/common/validate/dustfall/period-63-days", KIND_SAMPLE, sample_period_63_days, "end", NULL },
  { "/common/validate/dustfall/period-of-another-month", KIND_SAMPLE,
    sample_period_of_another_month, "start",
    "start must put the sampling period's midpoint in the month 2025-03 (it is 2025-02-14 21:00)" },
  { "/common/validate/dustfall/midpoint-after-month", KIND_SAMPLE, sample_midpoint_after_month,
    "start", NULL },
  { "/common/validate/dustfall/no-diameter", KIND_SAMPLE, sample_no_diameters,
    "diameter_cm", NULL },
  { "/common/validate/dustfall/five-diameters", KIND_SAMPLE, sample_five_diameters,
    "diameter_cm", NULL },
  { "/common/validate/dustfall/diameter-below-5-names-index", KIND_SAMPLE, sample_diameter_small,
    "diameter_cm[0]", NULL },
  { "/common/validate/dustfall/diameter-above-50-names-index", KIND_SAMPLE, sample_diameter_large,
    "diameter_cm[2]", NULL },
  { "/common/validate/dustfall/diameter-nan-names-index", KIND_SAMPLE, sample_diameter_nan,
    "diameter_cm[1]", NULL },
  { "/common/validate/dustfall/w0-negative", KIND_SAMPLE, sample_w0_negative,
    "w0_g", "w0_g must be ≥ 0" },
  { "/common/validate/dustfall/w0-nan", KIND_SAMPLE, sample_w0_nan, "w0_g", NULL },
  { "/common/validate/dustfall/w1-too-big", KIND_SAMPLE, sample_w1_too_big,
    "w1_g", "w1_g must be ≤ 10000" },
  { "/common/validate/dustfall/w1-below-w0", KIND_SAMPLE, sample_w1_below_w0, "w1_g", NULL },
  { "/common/validate/dustfall/wc-negative", KIND_SAMPLE, sample_wc_negative, "wc_g", NULL },
  { "/common/validate/dustfall/wc-infinite", KIND_SAMPLE, sample_wc_infinite, "wc_g", NULL },
  { "/common/validate/dustfall/net-mass-below-tolerance", KIND_SAMPLE, sample_net_below_tolerance,
    "w1_g", NULL },
  { "/common/validate/dustfall/notes-over-4kib", KIND_SAMPLE, sample_notes_too_long,
    "notes", NULL },
};

static void
test_bad_case (gconstpointer data)
{
  const BadCase *bc = data;
  g_autoptr(GError) error = NULL;
  gpointer record = NULL;
  DgRecordType type = DG_RECORD_ROAD;
  gboolean ok = TRUE;

  switch (bc->kind)
    {
    case KIND_ROAD:
      record = valid_road ();
      type = DG_RECORD_ROAD;
      break;
    case KIND_CELL:
      record = valid_cell ();
      type = DG_RECORD_GRID_CELL;
      break;
    case KIND_RULE:
      record = valid_rule ();
      type = DG_RECORD_RULE;
      break;
    case KIND_CHECK:
      record = valid_check ();
      type = DG_RECORD_ROAD_CHECK;
      break;
    case KIND_SAMPLE:
      record = valid_sample ();
      type = DG_RECORD_DUSTFALL_SAMPLE;
      break;
    default:
      g_assert_not_reached ();
    }

  bc->mutate (record);

  switch (bc->kind)
    {
    case KIND_ROAD:
      ok = dg_road_validate (record, &error);
      break;
    case KIND_CELL:
      ok = dg_grid_cell_validate (record, &error);
      break;
    case KIND_RULE:
      ok = dg_rule_validate (record, &error);
      break;
    case KIND_CHECK:
      ok = dg_road_check_validate (record, &error);
      break;
    case KIND_SAMPLE:
      ok = dg_dustfall_sample_validate (record, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (error != NULL)
    g_test_message ("%s: %s", dg_error_get_field (error), error->message);
  g_assert_false (ok);
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, bc->field);
  if (bc->message != NULL)
    g_assert_cmpstr (error->message, ==, bc->message);
  else
    /* Whatever the wording, the message names the field it is about. */
    g_assert_nonnull (strstr (error->message, bc->field));

  dg_record_data_free (type, record);
}

/* Validation runs without a GError ** too (a client's "can I save?" check). */
static void
test_null_error (void)
{
  g_autoptr(DgRoadCheck) check = valid_check ();

  check_mass_negative (check);
  g_assert_false (dg_road_check_validate (check, NULL));
}

/* ---- UUIDs ---- */

static void
test_uuid_valid (void)
{
  const char *good[] = {
    "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c",
    "6F1C2B1E-8A4D-4C1E-9B7A-2D3E4F5A6B7C",
    "00000000-0000-0000-0000-000000000000",
    "a8098c1a-f86e-11da-bd1a-00112444be1e",   /* version 1 */
  };
  const char *bad[] = {
    "", "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7", "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c0",
    "6f1c2b1e8a4d4c1e9b7a2d3e4f5a6b7c", "6f1c2b1e-8a4d-4c1e-9b7a_2d3e4f5a6b7c",
    "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7g", "{6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c}",
    "6f1c2b1-e8a4d-4c1e-9b7a-2d3e4f5a6b7c", " 6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (dg_uuid_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad case %u: '%s'", i, bad[i]);
      g_assert_false (dg_uuid_is_valid (bad[i]));
    }
  g_assert_false (dg_uuid_is_valid (NULL));
}

static void
test_uuid_new (void)
{
  g_autofree char *a = dg_uuid_new ();
  g_autofree char *b = dg_uuid_new ();
  g_autofree char *lower = g_ascii_strdown (a, -1);

  g_assert_true (dg_uuid_is_valid (a));
  g_assert_true (dg_uuid_is_valid (b));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, ==, lower);
  g_assert_cmpint (a[14], ==, '4');
}

static DgUnit *
make_unit (const char *id,
           const char *code,
           const char *parent_id)
{
  DgUnit *unit = dg_unit_new ();

  unit->id = g_strdup (id);
  unit->code = g_strdup (code);
  unit->name = g_strdup (code);
  unit->parent_id = g_strdup (parent_id);
  return unit;
}

#define U1 "a0000000-0000-4000-8000-000000000001"
#define U2 "a0000000-0000-4000-8000-000000000002"
#define U3 "a0000000-0000-4000-8000-000000000003"

/* Among the district's units: the code is its own, the parent exists, the tree has no cycle
 * (a unit may not move below itself, however deep), and an edit of a unit skips its old self. */
static void
test_unit_among (void)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_unit_free);
  g_autoptr(DgUnit) edit = NULL, dup = NULL, orphan = NULL, cycle = NULL, deep = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (units, make_unit (U1, "QS", NULL));
  g_ptr_array_add (units, make_unit (U2, "FC", U1));
  g_ptr_array_add (units, make_unit (U3, "FC-1", U2));

  edit = make_unit (U2, "FC", U1);
  g_free (edit->name);
  edit->name = g_strdup ("府城街道");
  g_assert_true (dg_unit_validate_among (edit, units, &error));
  g_assert_no_error (error);

  dup = make_unit ("a0000000-0000-4000-8000-000000000009", "FC", NULL);
  g_assert_false (dg_unit_validate_among (dup, units, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "code");
  g_clear_error (&error);

  orphan = make_unit ("a0000000-0000-4000-8000-00000000000a", "X",
                      "a0000000-0000-4000-8000-0000000000ff");
  g_assert_false (dg_unit_validate_among (orphan, units, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "parent_id");
  g_clear_error (&error);

  cycle = make_unit (U1, "QS", U2);
  g_assert_false (dg_unit_validate_among (cycle, units, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "parent_id");
  g_clear_error (&error);

  deep = make_unit (U1, "QS", U3);
  g_assert_false (dg_unit_validate_among (deep, units, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "parent_id");
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/validate/uuid/format", test_uuid_valid);
  g_test_add_func ("/common/validate/uuid/new-is-random-v4-lower-case", test_uuid_new);

  g_test_add_func ("/common/validate/road/valid", test_road_valid);
  g_test_add_func ("/common/validate/grid-cell/valid", test_cell_valid);
  g_test_add_func ("/common/validate/rule/valid-and-defaults", test_rule_valid);
  g_test_add_func ("/common/validate/road-check/valid", test_check_valid);
  g_test_add_func ("/common/validate/road-check/bounds-inclusive", test_check_limits_ok);
  g_test_add_func ("/common/validate/road-check/without-gerror", test_null_error);
  g_test_add_func ("/common/validate/dustfall/valid", test_sample_valid);
  g_test_add_func ("/common/validate/unit/among-units", test_unit_among);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad_case);

  return g_test_run ();
}
