/* test-round.c: the one rounding rule, half away from zero on the decimal value. */
#include "config.h"

#include <math.h>

#include "dustgrid-common.h"

typedef struct
{
  double value;
  int    decimals;
  double expected;
} Vector;

static void
check_vectors (const Vector *vectors,
               gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      double got = dg_round (vectors[i].value, vectors[i].decimals);

      if (got != vectors[i].expected)
        g_error ("dg_round (%.17g, %d) = %.17g, expected %.17g", vectors[i].value,
                 vectors[i].decimals, got, vectors[i].expected);
    }
}

/* The reason the function exists: the FPU holds 5.05 as 5.0499999…, a spreadsheet says 5.1. */
static void
test_decimal_not_binary (void)
{
  static const Vector v[] = {
    { 5.05, 1, 5.1 },
    { 0.05, 1, 0.1 },
    { 0.15, 1, 0.2 },
    { 0.25, 1, 0.3 },
    { 0.35, 1, 0.4 },
    { 1.45, 1, 1.5 },
    { 2.675, 2, 2.68 },
    { 1.005, 2, 1.01 },
    { 1.015, 2, 1.02 },
    { 8.345, 2, 8.35 },
    { 4.35, 1, 4.4 },
  };

  check_vectors (v, G_N_ELEMENTS (v));
}

/* A mean computed as a sum divided by a count lands a hair below the half. */
static void
test_mean_of_sum (void)
{
  double mean = (5.0 + 5.1) / 2;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The premise: the double the FPU holds is just below the half. */
  g_ascii_formatd (buf, sizeof buf, "%.17g", mean);
  g_assert_cmpstr (buf, ==, "5.0499999999999998");
  g_assert_cmpfloat (dg_round1 (mean), ==, 5.1);
  g_assert_cmpfloat (dg_round1 ((0.1 + 0.2 + 0.15) / 3), ==, 0.2);
}

static void
test_negative_away_from_zero (void)
{
  static const Vector v[] = {
    { -2.25, 1, -2.3 },
    { -5.05, 1, -5.1 },
    { -0.05, 1, -0.1 },
    { -2.675, 2, -2.68 },
    { -1.04, 1, -1.0 },
  };

  check_vectors (v, G_N_ELEMENTS (v));
}

static void
test_below_half_down (void)
{
  static const Vector v[] = {
    { 0.04999, 1, 0.0 },
    { 5.0499, 1, 5.0 },
    { 5.04, 1, 5.0 },
    { 2.674999, 2, 2.67 },
    { 0.0, 1, 0.0 },
    { 7.0, 1, 7.0 },
  };

  check_vectors (v, G_N_ELEMENTS (v));
}

static void
test_carry (void)
{
  static const Vector v[] = {
    { 9.96, 1, 10.0 },
    { 99.95, 1, 100.0 },
    { 0.999, 2, 1.0 },
    { -9.95, 1, -10.0 },
    { 0.5, 0, 1.0 },
    { 0.4, 0, 0.0 },
    { 1.5, 0, 2.0 },
    { 2.5, 0, 3.0 },
    { -0.5, 0, -1.0 },
  };

  check_vectors (v, G_N_ELEMENTS (v));
}

static void
test_large_and_small (void)
{
  static const Vector v[] = {
    { 123456789.05, 1, 123456789.1 },
    { 1e15, 1, 1e15 },
    { 12345678901234.5, 0, 12345678901235.0 },
    { 1e-20, 1, 0.0 },
    { 0.0004, 3, 0.0 },
    { 0.0005, 3, 0.001 },
    { 1250.0, -2, 1300.0 },
    { 1249.0, -2, 1200.0 },
    { 15.0, -2, 0.0 },
    { 55.0, -2, 100.0 },
  };

  check_vectors (v, G_N_ELEMENTS (v));
}

/* −0.04 to one decimal is 0.0 and must not print as "-0.0" in a report. */
static void
test_no_negative_zero (void)
{
  double r = dg_round1 (-0.04);

  g_assert_cmpfloat (r, ==, 0.0);
  g_assert_false (signbit (r));
}

static void
test_non_finite_pass_through (void)
{
  g_assert_true (isnan (dg_round1 (NAN)));
  g_assert_cmpfloat (dg_round1 (INFINITY), ==, INFINITY);
  g_assert_cmpfloat (dg_round1 (-INFINITY), ==, -INFINITY);
}

/* The value a person would type back gives back the same double. */
static void
test_idempotent (void)
{
  for (int i = -2000; i <= 2000; i++)
    {
      double once = dg_round1 (i / 100.0);

      g_assert_cmpfloat (dg_round1 (once), ==, once);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/round/decimal-not-binary", test_decimal_not_binary);
  g_test_add_func ("/common/round/mean-of-sum-5-05-gives-5-1", test_mean_of_sum);
  g_test_add_func ("/common/round/negative-away-from-zero", test_negative_away_from_zero);
  g_test_add_func ("/common/round/below-half-rounds-down", test_below_half_down);
  g_test_add_func ("/common/round/carry-into-next-digit", test_carry);
  g_test_add_func ("/common/round/large-and-small", test_large_and_small);
  g_test_add_func ("/common/round/no-negative-zero", test_no_negative_zero);
  g_test_add_func ("/common/round/non-finite-pass-through", test_non_finite_pass_through);
  g_test_add_func ("/common/round/idempotent", test_idempotent);

  return g_test_run ();
}
