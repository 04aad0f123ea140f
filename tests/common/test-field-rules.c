/* test-field-rules.c: design 6.7's rules, as both the server and the client apply them. */
#include "config.h"

#include "dustgrid-common.h"

static void
test_check_dated_ahead (void)
{
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(GError) error = NULL;

  check->date = g_strdup ("2026-12-07");
  /* Tomorrow is a clock a few hours off: allowed. */
  g_assert_true (dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, "2026-12-06", &error));
  g_assert_no_error (error);
  g_assert_true (dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, "2026-12-08", &error));

  /* The day after tomorrow, and across a year's end, are not. */
  g_free (check->date);
  check->date = g_strdup ("2026-12-08");
  g_assert_false (dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, "2026-12-06",
                                              &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "date");
  g_assert_nonnull (strstr (error->message, "2026-12-08"));
  g_clear_error (&error);

  g_free (check->date);
  check->date = g_strdup ("2027-01-01");
  g_assert_true (dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, "2026-12-31", NULL));
  g_assert_false (dg_record_check_not_future (DG_RECORD_ROAD_CHECK, check, "2026-12-30", NULL));
}

static void
test_sample_ending_ahead (void)
{
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(GError) error = NULL;

  sample->start = g_strdup ("2026-11-30T09:00");
  sample->end = g_strdup ("2026-12-07T23:59");
  g_assert_true (dg_record_check_not_future (DG_RECORD_DUSTFALL_SAMPLE, sample, "2026-12-06",
                                             &error));
  g_assert_no_error (error);

  /* The end is what is judged, not the start. */
  g_free (sample->end);
  sample->end = g_strdup ("2026-12-08T00:00");
  g_assert_false (dg_record_check_not_future (DG_RECORD_DUSTFALL_SAMPLE, sample, "2026-12-06",
                                              &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "end");
}

static void
test_second_jar (void)
{
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(GError) error = NULL;

  sample->id = g_strdup ("6d1f0c3e-2b7a-4c59-8e21-0f3a9b5c7d10");
  sample->cell_id = g_strdup ("c1");
  g_free (sample->month);
  sample->month = g_strdup ("2026-11");

  g_assert_true (dg_dustfall_check_jar_free (sample, NULL, &error));
  /* The record itself, saved again, holds its own jar. */
  g_assert_true (dg_dustfall_check_jar_free (sample, sample->id, &error));
  g_assert_no_error (error);

  g_assert_false (dg_dustfall_check_jar_free (sample, "0b9c1d1e-0000-4000-8000-000000000001",
                                              &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "jar");
  /* It names the record that holds the jar. */
  g_assert_nonnull (strstr (error->message, "0b9c1d1e-0000-4000-8000-000000000001"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/field-rules/check-dated-ahead", test_check_dated_ahead);
  g_test_add_func ("/common/field-rules/sample-ending-ahead", test_sample_ending_ahead);
  g_test_add_func ("/common/field-rules/second-jar", test_second_jar);

  return g_test_run ();
}
