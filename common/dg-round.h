/* dg-round.h: the one rounding rule of DustGrid (design 3.1).
 *
 * Half away from zero on the *decimal* value, as a spreadsheet's ROUND does: the double is first
 * read back at 15 significant digits, so a mean that the FPU holds as 5.0499999999999998 rounds to
 * 5.1, as a person checking the figure by hand expects.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double dg_round (double value,
                 int    decimals);

/* dg_round (value, 1): the precision of every reported figure. */
#define dg_round1(v) dg_round ((v), 1)

G_END_DECLS
