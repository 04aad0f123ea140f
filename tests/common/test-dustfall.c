/* test-dustfall.c: the gravimetric formula, its flags and rejects, and the A/B jar rule. */
#include "config.h"

#include <math.h>

#include "dustgrid-common.h"

#define CELL_1 "c0000000-0000-4000-8000-000000000001"
#define CELL_2 "c0000000-0000-4000-8000-000000000002"

/* A 30-day sample of a 15 cm jar with @net grams of dust. */
static DgDustfallSample *
make_sample (const char *cell_id,
             const char *site,
             char        jar,
             const char *month,
             double      net,
             gboolean    valid)
{
  DgDustfallSample *sample = dg_dustfall_sample_new ();
  static guint counter;

  sample->id = g_strdup_printf ("d0000000-0000-4000-8000-%012u", ++counter);
  sample->cell_id = g_strdup (cell_id);
  g_free (sample->site);
  sample->site = g_strdup (site);
  sample->jar = jar;
  sample->month = g_strdup (month);
  sample->start = g_strdup_printf ("%s-01T09:00", month);
  sample->end = g_strdup_printf ("%s-31T09:00", month);
  sample->w0_g = 20.0;
  sample->w1_g = 20.0 + net;
  sample->wc_g = 0.0;
  sample->valid = valid;
  return sample;
}

static DgDustfallResult
compute_ok (const DgDustfallSample *sample)
{
  g_autoptr(GError) error = NULL;
  DgDustfallResult result = { 0, };

  g_assert_true (dg_dustfall_compute (sample, &result, &error));
  g_assert_no_error (error);
  return result;
}

static void
assert_rejected (const DgDustfallSample *sample,
                 const char             *field)
{
  g_autoptr(GError) error = NULL;
  DgDustfallResult result = { 0, };

  g_assert_false (dg_dustfall_compute (sample, &result, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, field);
}

/* The worked vector of design 3.2: net 0.1000 g, d 15.0 cm, n 30.0 d -> M 5.7 (5.6588…).
 * With the 10⁶ factor of other tools it would read 565.9 or 5658.8. */
static void
test_factor_is_ten_to_the_fourth (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);
  DgDustfallResult r = compute_ok (sample);

  g_assert_cmpfloat (r.days, ==, 30.0);
  g_assert_cmpfloat (r.diameter_cm, ==, 15.0);
  g_assert_cmpfloat (r.area_cm2, ==, 176.71);
  g_assert_cmpfloat (r.value, ==, 5.7);
  g_assert_cmpfloat (r.value, !=, 5658.8);
  g_assert_cmpfloat (r.value, !=, 565.9);
  g_assert_cmpuint (r.flags, ==, DG_DUSTFALL_FLAG_NONE);
}

static void
test_blank_subtracted (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.11, TRUE);
  DgDustfallResult r;

  sample->wc_g = 0.01;
  r = compute_ok (sample);
  g_assert_cmpfloat (r.value, ==, 5.7);
}

/* n = (end − start) in days to 0.1; seconds are optional. */
static void
test_days (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);
  DgDustfallResult r;

  g_free (sample->end);
  sample->end = g_strdup ("2025-03-31T15:00:00");   /* 30.25 days -> 30.3 */
  r = compute_ok (sample);
  g_assert_cmpfloat (r.days, ==, 30.3);
  /* M = 0.1 / (176.7146 · 30.3) · 30 · 10⁴ = 5.6028 */
  g_assert_cmpfloat (r.value, ==, 5.6);
}

/* d is the mean of the measurements rounded to 0.1 cm, and S comes from that d. */
static void
test_diameter_rounded_before_area (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);
  DgDustfallResult r;

  sample->n_diameters = 2;
  sample->diameter_cm[0] = 15.04;
  sample->diameter_cm[1] = 15.06;
  r = compute_ok (sample);

  g_assert_cmpfloat (r.diameter_cm, ==, 15.1);     /* 15.05 -> 15.1, decimal rounding */
  g_assert_cmpfloat (r.area_cm2, ==, 179.08);
  g_assert_cmpfloat (r.value, ==, 5.6);            /* 5.5841; d = 15.0 would give 5.7 */

  sample->n_diameters = 4;
  sample->diameter_cm[0] = 14.9;
  sample->diameter_cm[1] = 15.0;
  sample->diameter_cm[2] = 15.1;
  sample->diameter_cm[3] = 15.0;
  r = compute_ok (sample);
  g_assert_cmpfloat (r.diameter_cm, ==, 15.0);
}

static void
test_nonstandard_period (void)
{
  static const struct { const char *end; gboolean flagged; } v[] = {
    { "2025-03-28T20:59", TRUE },    /* 27.5 days */
    { "2025-03-29T09:00", FALSE },   /* 28.0 */
    { "2025-04-02T09:00", FALSE },   /* 32.0 */
    { "2025-04-02T12:00", TRUE },    /* 32.1 */
    { "2025-04-11T09:00", TRUE },    /* 41.0 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autoptr(DgDustfallSample) sample =
        make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);
      DgDustfallResult r;

      g_free (sample->end);
      sample->end = g_strdup (v[i].end);
      r = compute_ok (sample);
      g_assert_cmpint (!!(r.flags & DG_DUSTFALL_FLAG_NONSTANDARD_PERIOD), ==, v[i].flagged);
    }
}

static void
test_low_value_flags (void)
{
  static const struct { double net; double value; DgDustfallFlags flags; } v[] = {
    { 0.004, 0.2, DG_DUSTFALL_FLAG_BELOW_DETECTION },      /* 0.226 */
    { 0.0053, 0.3, DG_DUSTFALL_FLAG_BELOW_QUANTITATION },  /* 0.300 */
    { 0.02, 1.1, DG_DUSTFALL_FLAG_BELOW_QUANTITATION },    /* 1.132 */
    { 0.0212, 1.2, DG_DUSTFALL_FLAG_NONE },                /* 1.200 */
    { 0.025, 1.4, DG_DUSTFALL_FLAG_NONE },                 /* 1.415 */
    { -0.0004, 0.0, DG_DUSTFALL_FLAG_BELOW_DETECTION },    /* weighing noise, kept */
  };

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autoptr(DgDustfallSample) sample =
        make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.0, TRUE);
      DgDustfallResult r;

      /* Subtract through the blank so the net mass is exactly what the vector says. */
      sample->w1_g = 20.5;
      sample->w0_g = 20.5 - 0.1;
      sample->wc_g = 0.1 - v[i].net;
      if (v[i].net < 0)
        {
          sample->w0_g = 20.5;
          sample->wc_g = -v[i].net;
        }
      r = compute_ok (sample);
      g_assert_cmpfloat (r.value, ==, v[i].value);
      g_assert_cmpuint (r.flags, ==, v[i].flags);
    }

  g_assert_cmpstr (dg_dustfall_flag_to_string (0), ==, "below_detection_limit");
  g_assert_cmpstr (dg_dustfall_flag_to_string (1), ==, "below_quantitation_limit");
  g_assert_cmpstr (dg_dustfall_flag_to_string (2), ==, "nonstandard_period");
}

static void
test_reject_w1_below_w0 (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);

  sample->w1_g = 19.9999;
  assert_rejected (sample, "w1_g");
}

static void
test_reject_negative_blank (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);

  sample->wc_g = -0.001;
  assert_rejected (sample, "wc_g");
}

static void
test_reject_net_below_tolerance (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.0, TRUE);

  sample->w1_g = 20.0001;
  sample->wc_g = 0.001;       /* net −0.0009 g */
  assert_rejected (sample, "w1_g");

  sample->wc_g = 0.0005;      /* net −0.0004 g: within tolerance */
  compute_ok (sample);
}

static void
test_reject_period (void)
{
  static const char * const bad_ends[] = {
    "2025-03-01T09:00",   /* n = 0 */
    "2025-02-27T09:00",   /* negative */
    "2025-03-01T09:02",   /* rounds to 0.0 days */
    "2025-05-03T09:00",   /* 63 days */
  };
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (bad_ends); i++)
    {
      g_free (sample->end);
      sample->end = g_strdup (bad_ends[i]);
      assert_rejected (sample, "end");
    }

  g_free (sample->end);
  sample->end = g_strdup ("2025-05-02T09:00");   /* 62.0 days: the longest accepted */
  compute_ok (sample);
}

static void
test_reject_diameter (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);

  sample->n_diameters = 3;
  sample->diameter_cm[0] = 15.0;
  sample->diameter_cm[1] = 4.9;
  sample->diameter_cm[2] = 15.0;
  assert_rejected (sample, "diameter_cm[1]");

  sample->diameter_cm[1] = 15.0;
  sample->diameter_cm[2] = 50.1;
  assert_rejected (sample, "diameter_cm[2]");

  sample->diameter_cm[2] = NAN;
  assert_rejected (sample, "diameter_cm[2]");

  sample->diameter_cm[0] = 5.0;
  sample->diameter_cm[2] = 50.0;
  compute_ok (sample);

  sample->n_diameters = 0;
  assert_rejected (sample, "diameter_cm");
}

static void
test_reject_bad_times (void)
{
  g_autoptr(DgDustfallSample) sample = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);

  g_free (sample->start);
  sample->start = g_strdup ("2025-02-30T09:00");
  assert_rejected (sample, "start");

  g_free (sample->start);
  sample->start = g_strdup ("2025-03-01T09:00");
  g_free (sample->end);
  sample->end = g_strdup ("2025-03-31T09:00+08:00");
  assert_rejected (sample, "end");
}

/* ---- The A/B jar rule ---- */

static GArray *
cell_months (DgDustfallSample *first,
             ...)
{
  g_autoptr(GPtrArray) samples =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);
  va_list args;

  va_start (args, first);
  for (DgDustfallSample *s = first; s != NULL; s = va_arg (args, DgDustfallSample *))
    g_ptr_array_add (samples, s);
  va_end (args);

  return dg_cell_months_from_samples (samples);
}

/* A valid A is the site's value; B is never averaged in. */
static void
test_a_never_averaged_with_b (void)
{
  g_autoptr(GArray) cms =
    cell_months (make_sample (CELL_1, "1", DG_JAR_B, "2025-03", 0.2, TRUE),    /* 11.3 */
                 make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE),    /* 5.7 */
                 NULL);
  const DgCellMonth *cm;

  g_assert_cmpuint (cms->len, ==, 1);
  cm = &g_array_index (cms, DgCellMonth, 0);
  g_assert_true (cm->has_value);
  g_assert_cmpfloat (cm->value, ==, 5.7);
  g_assert_cmpfloat (cm->value, !=, 8.5);   /* the average of A and B */
  g_assert_cmpuint (cm->sites, ==, 1);
}

static void
test_b_replaces_invalid_a (void)
{
  g_autoptr(GArray) cms =
    cell_months (make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, FALSE),
                 make_sample (CELL_1, "1", DG_JAR_B, "2025-03", 0.2, TRUE),
                 NULL);

  g_assert_cmpuint (cms->len, ==, 1);
  g_assert_true (g_array_index (cms, DgCellMonth, 0).has_value);
  g_assert_cmpfloat (g_array_index (cms, DgCellMonth, 0).value, ==, 11.3);
}

/* A jar marked valid whose weights are rejected cannot be the site's value either. */
static void
test_b_replaces_rejected_a (void)
{
  DgDustfallSample *a = make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE);
  g_autoptr(GArray) cms = NULL;

  a->w1_g = a->w0_g - 1;
  cms = cell_months (a, make_sample (CELL_1, "1", DG_JAR_B, "2025-03", 0.2, TRUE), NULL);

  g_assert_cmpfloat (g_array_index (cms, DgCellMonth, 0).value, ==, 11.3);
}

/* A cell with samples but no valid jar is 缺测: present, without a value. */
static void
test_no_valid_jar_is_missing (void)
{
  g_autoptr(GArray) cms =
    cell_months (make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, FALSE),
                 make_sample (CELL_1, "1", DG_JAR_B, "2025-03", 0.2, FALSE),
                 NULL);
  const DgCellMonth *cm;

  g_assert_cmpuint (cms->len, ==, 1);
  cm = &g_array_index (cms, DgCellMonth, 0);
  g_assert_cmpstr (cm->cell_id, ==, CELL_1);
  g_assert_cmpstr (cm->month, ==, "2025-03");
  g_assert_false (cm->has_value);
  g_assert_cmpuint (cm->sites, ==, 0);
  g_assert_true (isnan (cm->site_max));
  g_assert_true (isnan (cm->site_min));
}

/* Two sites: the mean of their reported values (5.7 and 5.8 -> 5.75 -> 5.8), not of the raw
 * ones (5.6588 and 5.7720 -> 5.7154 -> 5.7). */
static void
test_two_site_cell (void)
{
  g_autoptr(GArray) cms =
    cell_months (make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE),
                 make_sample (CELL_1, "2", DG_JAR_A, "2025-03", 0.102, TRUE),
                 make_sample (CELL_1, "2", DG_JAR_B, "2025-03", 0.5, TRUE),
                 NULL);
  const DgCellMonth *cm = &g_array_index (cms, DgCellMonth, 0);

  g_assert_cmpuint (cms->len, ==, 1);
  g_assert_true (cm->has_value);
  g_assert_cmpuint (cm->sites, ==, 2);
  g_assert_cmpfloat (cm->value, ==, 5.8);
  g_assert_cmpfloat (cm->site_max, ==, 5.8);
  g_assert_cmpfloat (cm->site_min, ==, 5.7);
}

/* One entry per (cell, month), sorted by cell then month. */
static void
test_grouping_and_order (void)
{
  g_autoptr(GArray) cms =
    cell_months (make_sample (CELL_2, "1", DG_JAR_A, "2025-03", 0.1, TRUE),
                 make_sample (CELL_1, "1", DG_JAR_A, "2025-04", 0.1, TRUE),
                 make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.2, TRUE),
                 make_sample (CELL_2, "1", DG_JAR_B, "2025-03", 0.2, TRUE),
                 NULL);

  g_assert_cmpuint (cms->len, ==, 3);
  g_assert_cmpstr (g_array_index (cms, DgCellMonth, 0).cell_id, ==, CELL_1);
  g_assert_cmpstr (g_array_index (cms, DgCellMonth, 0).month, ==, "2025-03");
  g_assert_cmpfloat (g_array_index (cms, DgCellMonth, 0).value, ==, 11.3);
  g_assert_cmpstr (g_array_index (cms, DgCellMonth, 1).cell_id, ==, CELL_1);
  g_assert_cmpstr (g_array_index (cms, DgCellMonth, 1).month, ==, "2025-04");
  g_assert_cmpstr (g_array_index (cms, DgCellMonth, 2).cell_id, ==, CELL_2);
  g_assert_cmpfloat (g_array_index (cms, DgCellMonth, 2).value, ==, 5.7);
}

/* ---- The accumulator both the builder and the server's store gather a cell-month with ---- */

/* From stored values: a jar that is invalid, of no known letter or without an M does not count,
 * and a cell-month of only such jars is 缺测 — present, without a value. */
static void
test_cell_value_counts_only_valid_jars (void)
{
  g_autoptr(DgCellValue) acc = dg_cell_value_new ();
  DgCellMonth cm = { 0, };

  dg_cell_value_add (acc, "1", DG_JAR_A, FALSE, 5.7, "d1");
  dg_cell_value_add (acc, "1", 'C', TRUE, 5.7, "d2");
  dg_cell_value_add (acc, "1", DG_JAR_B, TRUE, NAN, "d3");
  dg_cell_value_finish (acc, &cm);

  g_assert_false (cm.has_value);
  g_assert_true (isnan (cm.value));
  g_assert_cmpuint (cm.sites, ==, 0);
  g_assert_true (isnan (cm.site_max));
  g_assert_true (isnan (cm.site_min));
}

/* Two valid jars of one letter at one site: the larger sample id wins in either order, so the
 * store (rows by id) and the builder (samples in any order) agree. */
static void
test_cell_value_duplicate_jar_larger_id_wins (void)
{
  g_autoptr(DgCellValue) acc = dg_cell_value_new ();
  DgCellMonth first = { 0, }, second = { 0, };

  dg_cell_value_add (acc, "1", DG_JAR_A, TRUE, 5.7, "d2");
  dg_cell_value_add (acc, "1", DG_JAR_A, TRUE, 9.9, "d1");
  dg_cell_value_finish (acc, &first);
  dg_cell_value_add (acc, "1", DG_JAR_A, TRUE, 9.9, "d1");
  dg_cell_value_add (acc, "1", DG_JAR_A, TRUE, 5.7, "d2");
  dg_cell_value_finish (acc, &second);

  g_assert_cmpfloat (first.value, ==, 5.7);
  g_assert_cmpfloat (second.value, ==, 5.7);
}

/* finish() leaves the accumulator empty for the next cell; a NULL site is site "1"; the mean is of
 * the reported site values (5.7 and 5.8 -> 5.75 -> 5.8). */
static void
test_cell_value_finish_starts_afresh (void)
{
  g_autoptr(DgCellValue) acc = dg_cell_value_new ();
  DgCellMonth cm = { 0, };

  dg_cell_value_add (acc, NULL, DG_JAR_B, TRUE, 11.3, "d1");
  dg_cell_value_add (acc, "1", DG_JAR_A, TRUE, 5.7, "d2");
  dg_cell_value_add (acc, "2", DG_JAR_A, TRUE, 5.8, "d3");
  dg_cell_value_finish (acc, &cm);
  g_assert_true (cm.has_value);
  g_assert_cmpuint (cm.sites, ==, 2);
  g_assert_cmpfloat (cm.value, ==, 5.8);
  g_assert_cmpfloat (cm.site_max, ==, 5.8);
  g_assert_cmpfloat (cm.site_min, ==, 5.7);

  dg_cell_value_add (acc, "2", DG_JAR_B, TRUE, 3.1, "d4");
  dg_cell_value_finish (acc, &cm);
  g_assert_cmpuint (cm.sites, ==, 1);
  g_assert_cmpfloat (cm.value, ==, 3.1);
}

/* Adding samples is adding their computed M: the same cell-month as the builder makes. */
static void
test_cell_value_from_samples_matches_builder (void)
{
  g_autoptr(GPtrArray) samples =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);
  g_autoptr(DgCellValue) acc = dg_cell_value_new ();
  g_autoptr(GArray) built = NULL;
  DgCellMonth cm = { 0, };
  const DgCellMonth *expected;

  g_ptr_array_add (samples, make_sample (CELL_1, "1", DG_JAR_A, "2025-03", 0.1, TRUE));
  g_ptr_array_add (samples, make_sample (CELL_1, "2", DG_JAR_A, "2025-03", 0.102, FALSE));
  g_ptr_array_add (samples, make_sample (CELL_1, "2", DG_JAR_B, "2025-03", 0.5, TRUE));
  for (guint i = 0; i < samples->len; i++)
    dg_cell_value_add_sample (acc, g_ptr_array_index (samples, i));
  dg_cell_value_finish (acc, &cm);
  built = dg_cell_months_from_samples (samples);

  expected = &g_array_index (built, DgCellMonth, 0);
  g_assert_cmpuint (built->len, ==, 1);
  g_assert_cmpint (cm.has_value, ==, expected->has_value);
  g_assert_cmpfloat (cm.value, ==, expected->value);
  g_assert_cmpuint (cm.sites, ==, expected->sites);
  g_assert_cmpfloat (cm.site_max, ==, expected->site_max);
  g_assert_cmpfloat (cm.site_min, ==, expected->site_min);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/dustfall/factor-is-ten-to-the-fourth",
                   test_factor_is_ten_to_the_fourth);
  g_test_add_func ("/common/dustfall/blank-subtracted", test_blank_subtracted);
  g_test_add_func ("/common/dustfall/days-to-tenths", test_days);
  g_test_add_func ("/common/dustfall/diameter-rounded-before-area",
                   test_diameter_rounded_before_area);
  g_test_add_func ("/common/dustfall/flag-nonstandard-period", test_nonstandard_period);
  g_test_add_func ("/common/dustfall/flag-below-limits", test_low_value_flags);
  g_test_add_func ("/common/dustfall/reject/w1-below-w0", test_reject_w1_below_w0);
  g_test_add_func ("/common/dustfall/reject/negative-blank", test_reject_negative_blank);
  g_test_add_func ("/common/dustfall/reject/net-below-tolerance", test_reject_net_below_tolerance);
  g_test_add_func ("/common/dustfall/reject/period-out-of-range", test_reject_period);
  g_test_add_func ("/common/dustfall/reject/diameter-out-of-range", test_reject_diameter);
  g_test_add_func ("/common/dustfall/reject/unparseable-times", test_reject_bad_times);
  g_test_add_func ("/common/dustfall/jars/a-never-averaged-with-b", test_a_never_averaged_with_b);
  g_test_add_func ("/common/dustfall/jars/b-replaces-invalid-a", test_b_replaces_invalid_a);
  g_test_add_func ("/common/dustfall/jars/b-replaces-rejected-a", test_b_replaces_rejected_a);
  g_test_add_func ("/common/dustfall/cell/no-valid-jar-is-missing", test_no_valid_jar_is_missing);
  g_test_add_func ("/common/dustfall/cell/two-sites-mean-of-reported",
                   test_two_site_cell);
  g_test_add_func ("/common/dustfall/cell/grouped-and-sorted", test_grouping_and_order);
  g_test_add_func ("/common/dustfall/cell-value/counts-only-valid-jars",
                   test_cell_value_counts_only_valid_jars);
  g_test_add_func ("/common/dustfall/cell-value/duplicate-jar-larger-id-wins",
                   test_cell_value_duplicate_jar_larger_id_wins);
  g_test_add_func ("/common/dustfall/cell-value/finish-starts-afresh",
                   test_cell_value_finish_starts_afresh);
  g_test_add_func ("/common/dustfall/cell-value/from-samples-matches-builder",
                   test_cell_value_from_samples_matches_builder);

  return g_test_run ();
}
