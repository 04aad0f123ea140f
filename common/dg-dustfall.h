/* dg-dustfall.h: gravimetric dust-fall, GB/T 15265-94 and HJ 1221-2021 (design 3.2).
 *
 *   n = (end − start) in days, rounded to 0.1
 *   d = mean of the diameters, rounded to 0.1 cm;  S = π·(d/2)² cm²
 *   M = (w1 − w0 − wc) / (S · n) × 30 × 10⁴   t/(km²·30 d), reported to 0.1
 *
 * 1 g/cm² is 10⁴ t/km²; a factor of 10⁶ is a known bug in other tools.
 */
#pragma once

#include "dg-model.h"

G_BEGIN_DECLS

#define DG_DUSTFALL_DETECTION_LIMIT      0.3
#define DG_DUSTFALL_QUANTITATION_LIMIT   1.2
#define DG_DUSTFALL_STANDARD_DAYS_MIN    28.0
#define DG_DUSTFALL_STANDARD_DAYS_MAX    32.0
#define DG_DUSTFALL_DAYS_MAX             62.0
#define DG_DUSTFALL_DIAMETER_MIN_CM      5.0
#define DG_DUSTFALL_DIAMETER_MAX_CM      50.0
#define DG_DUSTFALL_NET_MASS_TOLERANCE_G 0.0005
#define DG_DUSTFALL_DEFAULT_DIAMETER_CM  15.0

typedef enum /*< flags >*/
{
  DG_DUSTFALL_FLAG_NONE                    = 0,
  DG_DUSTFALL_FLAG_BELOW_DETECTION         = 1 << 0,  /* "below_detection_limit": M < 0.3 */
  DG_DUSTFALL_FLAG_BELOW_QUANTITATION      = 1 << 1,  /* "below_quantitation_limit": M < 1.2 */
  DG_DUSTFALL_FLAG_NONSTANDARD_PERIOD      = 1 << 2,  /* "nonstandard_period": n outside 28–32 */
} DgDustfallFlags;

#define DG_DUSTFALL_N_FLAGS 3
/* Name of the flag at bit @index (0..DG_DUSTFALL_N_FLAGS-1). */
const char *dg_dustfall_flag_to_string (guint index);

typedef struct
{
  double          days;         /* n, to 0.1 */
  double          diameter_cm;  /* mean d, to 0.1 */
  double          area_cm2;     /* S, to 0.01 for display; M uses the unrounded S of the rounded d */
  double          value;        /* M, to 0.1 */
  DgDustfallFlags flags;
} DgDustfallResult;

/* Computes n, d, S, M and flags. Fails with DG_ERROR_INVALID_FIELD naming the field for the
 * rejects of section 3.2: w1 < w0 ("w1_g"), wc < 0 ("wc_g"), net mass below −0.0005 g ("w1_g"),
 * n ≤ 0 or > 62 ("end"), a diameter outside 5–50 cm ("diameter_cm[i]"), unparseable times. */
gboolean    dg_dustfall_compute     (const DgDustfallSample *sample,
                                     DgDustfallResult       *result,
                                     GError                **error);

/* Whether a reported dust-fall value (a jar's M or a cell's value, to 0.1) breaks @cap: above
 * it, not at it (design 3.2). The ranking, the assessment and the editor's verdict ask this. */
gboolean    dg_dustfall_exceeds_cap (double                  value,
                                     double                  cap);

/* The value of one cell in one month, from its samples (design 3.2): per site, jar A's M when A
 * is valid, else jar B's when B is valid — never their average; the cell's value is the mean of
 * its site values, to 0.1, computed from the reported (0.1) site values. */
typedef struct
{
  char     *cell_id;
  char     *month;
  gboolean  has_value;     /* FALSE: no valid jar, 缺测 */
  double    value;
  guint     sites;         /* sites with a value */
  double    site_max;
  double    site_min;
  gboolean  history;       /* the value is a DgDustfallHistory's, not the samples' (6.4) */
} DgCellMonth;

void        dg_cell_month_clear     (DgCellMonth *cm);

/* The rules above, applied jar by jar: the one place they are written, for
 * dg_cell_months_from_samples() and for the server's store, which gathers a cell-month from the
 * M it kept with each sample rather than from the samples. Add one cell-month's jars, then
 * finish it; the accumulator is empty again after dg_cell_value_finish(). */
typedef struct _DgCellValue DgCellValue;

DgCellValue *dg_cell_value_new        (void);
void         dg_cell_value_free       (DgCellValue *self);
/* One jar of the cell-month: it counts when @valid, its @jar is A or B and @value (its M, to 0.1)
 * is finite; otherwise it leaves the cell 缺测 unless another jar counts. @site NULL is site "1".
 * Of two counting jars of one letter at one site, the larger @sample_id wins, whatever the order
 * they come in. The strings are copied. */
void         dg_cell_value_add        (DgCellValue            *self,
                                       const char             *site,
                                       char                    jar,
                                       gboolean                valid,
                                       double                  value,
                                       const char             *sample_id);
/* dg_cell_value_add() of @sample with its computed M (a sample whose M cannot be computed does
 * not count). */
void         dg_cell_value_add_sample (DgCellValue            *self,
                                       const DgDustfallSample *sample);
/* Writes the value, the number of sites and their range into @cm (has_value FALSE and NaN when
 * no jar counted: 缺测), leaving its cell_id and month alone; empties @self. */
void         dg_cell_value_finish     (DgCellValue            *self,
                                       DgCellMonth            *cm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgCellValue, dg_cell_value_free)

/* Groups @samples (DgDustfallSample *, any cells and months; invalid-for-computation samples
 * are skipped) into one DgCellMonth per (cell, month) present. Returns a GArray of DgCellMonth
 * (with a clear func) sorted by cell_id then month. */
GArray     *dg_cell_months_from_samples (GPtrArray *samples);

/* Design 6.4: @values (DgCellMonth) with @history (DgDustfallHistory *) standing in where a
 * cell-month has no value. Samples win: a cell-month with a valid jar keeps its value; one that
 * is 缺测, or absent, takes the history value (to 0.1, no sites), marked `history`. Returns a new
 * array whose strings are its own (cleared with it), or a reference to @values when @history
 * is NULL or empty. */
GArray     *dg_cell_months_add_history  (GArray    *values,
                                         GPtrArray *history);

G_END_DECLS
