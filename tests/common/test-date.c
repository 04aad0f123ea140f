/* test-date.c: strict calendar strings and month arithmetic. */
#include "config.h"

#include "dustgrid-common.h"

static void
test_date_valid (void)
{
  g_assert_true (dg_date_is_valid ("2025-03-14"));
  g_assert_true (dg_date_is_valid ("2024-02-29"));
  g_assert_true (dg_date_is_valid ("2000-02-29"));
  g_assert_true (dg_date_is_valid ("1900-01-01"));
  g_assert_true (dg_date_is_valid ("9999-12-31"));
}

static void
test_date_invalid (void)
{
  static const char * const bad[] = {
    "2025-02-29", "1900-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10",
    "2025-01-00", "2025-1-05", "2025-01-5", "25-01-05", "2025/01/05", "2025-01-05 ",
    " 2025-01-05", "2025-01-05T00:00", "1899-12-31", "", "２０２５-01-05", "2025-0a-05",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (dg_date_is_valid (bad[i]))
      g_error ("\"%s\" accepted as a date", bad[i]);

  g_assert_false (dg_date_is_valid (NULL));
}

static void
test_month_valid (void)
{
  g_assert_true (dg_month_is_valid ("2025-01"));
  g_assert_true (dg_month_is_valid ("2025-12"));
  g_assert_false (dg_month_is_valid ("2025-13"));
  g_assert_false (dg_month_is_valid ("2025-00"));
  g_assert_false (dg_month_is_valid ("2025-1"));
  g_assert_false (dg_month_is_valid ("2025-01-01"));
  g_assert_false (dg_month_is_valid ("202501"));
  g_assert_false (dg_month_is_valid (NULL));
}

static void
test_local_datetime (void)
{
  g_assert_true (dg_local_datetime_is_valid ("2025-03-01T09:30"));
  g_assert_true (dg_local_datetime_is_valid ("2025-03-01T09:30:15"));
  g_assert_true (dg_local_datetime_is_valid ("2024-02-29T23:59:59"));
  g_assert_false (dg_local_datetime_is_valid ("2025-02-29T09:30"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T24:00"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T09:60"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T09:30:60"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01 09:30"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T09:30Z"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T09:30+08:00"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01T9:30"));
  g_assert_false (dg_local_datetime_is_valid ("2025-03-01"));
}

static void
test_local_datetime_seconds (void)
{
  gint64 a, b;

  g_assert_true (dg_local_datetime_parse ("1970-01-01T00:00", &a));
  g_assert_cmpint (a, ==, 0);
  g_assert_true (dg_local_datetime_parse ("1970-01-02T00:00:01", &a));
  g_assert_cmpint (a, ==, 86401);

  /* A leap-year February counts its 29th day. */
  g_assert_true (dg_local_datetime_parse ("2024-02-01T09:00", &a));
  g_assert_true (dg_local_datetime_parse ("2024-03-01T09:00", &b));
  g_assert_cmpint (b - a, ==, 29 * 86400);

  /* No zone, no DST: a spring-forward night still has 24 hours. */
  g_assert_true (dg_local_datetime_parse ("2025-03-30T00:00", &a));
  g_assert_true (dg_local_datetime_parse ("2025-03-31T00:00", &b));
  g_assert_cmpint (b - a, ==, 86400);

  g_assert_false (dg_local_datetime_parse ("2025-03-31", &a));
}

static void
test_date_parse (void)
{
  GDate date;

  g_assert_true (dg_date_parse ("2024-02-29", &date));
  g_assert_cmpint (g_date_get_year (&date), ==, 2024);
  g_assert_cmpint (g_date_get_month (&date), ==, 2);
  g_assert_cmpint (g_date_get_day (&date), ==, 29);
  g_assert_false (dg_date_parse ("2023-02-29", &date));
}

static void
test_month_add (void)
{
  static const struct { const char *month; int add; const char *expected; } v[] = {
    { "2025-03", -1, "2025-02" },
    { "2025-03", -12, "2024-03" },
    { "2025-01", -1, "2024-12" },
    { "2024-12", 1, "2025-01" },
    { "2025-06", 0, "2025-06" },
    { "2025-06", 25, "2027-07" },
    { "2025-06", -30, "2022-12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autofree char *got = dg_month_add (v[i].month, v[i].add);

      g_assert_cmpstr (got, ==, v[i].expected);
    }
}

static void
test_month_days (void)
{
  g_autofree char *month = NULL;
  g_autofree char *day = NULL;

  g_assert_cmpuint (dg_month_days ("2024-02"), ==, 29);
  g_assert_cmpuint (dg_month_days ("2025-02"), ==, 28);
  g_assert_cmpuint (dg_month_days ("2025-04"), ==, 30);
  g_assert_cmpuint (dg_month_days ("2025-12"), ==, 31);

  month = dg_date_month ("2025-03-14");
  g_assert_cmpstr (month, ==, "2025-03");
  day = dg_month_day ("2025-03", 9);
  g_assert_cmpstr (day, ==, "2025-03-09");
}

static void
test_now (void)
{
  g_autofree char *today = dg_date_today ();
  g_autofree char *stamp = dg_timestamp_now ();

  g_assert_true (dg_date_is_valid (today));
  g_assert_cmpuint (strlen (stamp), ==, 24);
  g_assert_true (g_str_has_suffix (stamp, "Z"));
  g_assert_cmpint (stamp[19], ==, '.');
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/date/date-valid", test_date_valid);
  g_test_add_func ("/common/date/date-invalid-or-not-strict", test_date_invalid);
  g_test_add_func ("/common/date/month-valid", test_month_valid);
  g_test_add_func ("/common/date/local-datetime-no-zone", test_local_datetime);
  g_test_add_func ("/common/date/local-datetime-seconds", test_local_datetime_seconds);
  g_test_add_func ("/common/date/parse-into-gdate", test_date_parse);
  g_test_add_func ("/common/date/month-add-across-years", test_month_add);
  g_test_add_func ("/common/date/month-days-and-day-strings", test_month_days);
  g_test_add_func ("/common/date/today-and-timestamp", test_now);

  return g_test_run ();
}
