/* dg-round.c: the one rounding rule of DustGrid (design 3.1).
 *
 * Rounding the double itself (floor (v * 10 + 0.5)) is wrong for values such as 5.05, which the
 * FPU holds as 5.04999999999999982236431605997495353221893310546875: a person checking the
 * bulletin with a spreadsheet gets 5.1, and so must we. Like a spreadsheet, we first read the
 * double back at 15 significant digits (the precision a double always round-trips), then round
 * that decimal string half away from zero, digit by digit, and convert the result once.
 */
#define G_LOG_DOMAIN "dg-round"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg-round.h"

#define SIGNIFICANT_DIGITS 15

double
dg_round (double value,
          int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[SIGNIFICANT_DIGITS + 2];
  char result[SIGNIFICANT_DIGITS + 40];
  const char *p;
  gboolean negative;
  guint n_digits = 0;
  int exponent;
  int kept;
  double rounded;

  if (!isfinite (value))
    return value;

  /* Locale-independent: a client running in a locale with a decimal comma must agree with the
   * server to the last digit. */
  g_ascii_formatd (buf, sizeof buf, "%.14e", value);

  p = buf;
  negative = (*p == '-');
  if (negative)
    p++;

  for (; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    if (g_ascii_isdigit (*p) && n_digits < SIGNIFICANT_DIGITS)
      digits[n_digits++] = *p;
  digits[n_digits] = '\0';

  if (*p != 'e' && *p != 'E')
    return value;
  exponent = atoi (p + 1);

  /* The value is 0.d0d1…d14 × 10^(exponent + 1); keeping @decimals places after the point keeps
   * the first (exponent + 1 + decimals) digits. */
  kept = exponent + 1 + decimals;

  if (kept >= (int) n_digits)
    {
      /* Nothing beyond the 15 digits to round away: the decimal reading itself is the answer. */
      g_snprintf (result, sizeof result, "%s%se%d", negative ? "-" : "", digits,
                  exponent - (int) n_digits + 1);
    }
  else if (kept < 0)
    {
      /* Even the first digit lies more than one place below the rounding position. */
      return 0.0;
    }
  else
    {
      char kept_digits[SIGNIFICANT_DIGITS + 2];
      gboolean carry = (digits[kept] >= '5');
      int i;

      /* One spare position in front for a carry out of the leading digit (9.96 -> 10.0). */
      kept_digits[0] = '0';
      memcpy (kept_digits + 1, digits, kept);
      kept_digits[kept + 1] = '\0';

      for (i = kept; carry && i >= 0; i--)
        {
          if (kept_digits[i] == '9')
            {
              kept_digits[i] = '0';
            }
          else
            {
              kept_digits[i]++;
              carry = FALSE;
            }
        }

      /* The kept digits, read as an integer, count units of 10^-decimals. */
      g_snprintf (result, sizeof result, "%s%se%d", negative ? "-" : "", kept_digits, -decimals);
    }

  rounded = g_ascii_strtod (result, NULL);

  /* −0.04 rounds to 0.0, not to a "−0.0" that would show up in a report. */
  if (rounded == 0.0)
    return 0.0;

  return rounded;
}
