/* dg-report.c: the monthly assessment tables of design 3.3.
 *
 * Built for province scale (tens of thousands of cells, millions of points): every input is
 * walked once into hash tables, and each table is sorted once.
 */
#define G_LOG_DOMAIN "dg-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-date.h"
#include "dg-enum.h"
#include "dg-report.h"
#include "dg-road-check-eval.h"
#include "dg-round.h"

/* Reported values are exact decimals; summing them as doubles drifts (20,000 cells of 0.0..9.9
 * add up to 98999.99999…, whose mean rounds to 4.9 instead of 5.0). Sums therefore count whole
 * units of the reported precision in an integer, which is exact at any scale. */
static inline gint64
tenths (double value)
{
  return llround (value * 10);
}

static inline gint64
hundredths (double value)
{
  return llround (value * 100);
}

/* TRUE when @date (YYYY-MM-DD) lies in @month (YYYY-MM). */
static gboolean
date_in_month (const char *date,
               const char *month)
{
  return date != NULL && strncmp (date, month, 7) == 0 && date[7] == '-';
}

/* ---- Dust-fall ranking ---- */

/* Months a report reads: this one, the one before, the same one a year before, and January up
 * to this one. */
enum
{
  MONTH_PREV,
  MONTH_YOY,
  MONTH_JAN,   /* MONTH_JAN + k is month k + 1 of this year, up to this month */
};

static void
cell_rank_free (gpointer data)
{
  DgCellRank *rank = data;

  g_free (rank->cell_id);
  g_free (rank->code);
  g_free (rank->name);
  g_free (rank->unit);
  g_free (rank->unit_id);
  g_free (rank);
}

static int
compare_ranked_cells (gconstpointer a,
                      gconstpointer b)
{
  const DgCellRank *ca = *(DgCellRank * const *) a;
  const DgCellRank *cb = *(DgCellRank * const *) b;

  /* 缺测 after every cell with a value; then ascending value; then by code, so equal values
   * list in a stable, documented order. */
  if (ca->has_value != cb->has_value)
    return ca->has_value ? -1 : 1;
  if (ca->has_value && ca->value != cb->value)
    return ca->value < cb->value ? -1 : 1;

  return g_strcmp0 (ca->code, cb->code);
}

double
dg_report_percent_change (double value,
                          double base)
{
  return dg_round1 ((value - base) / base * 100);
}

double
dg_report_mean_of_tenths (gint64 sum,
                          guint  n)
{
  g_return_val_if_fail (n > 0, NAN);

  return dg_round1 ((double) sum / (10.0 * n));
}

int
dg_ranking_next (DgRanking *ranking,
                 double     value)
{
  g_return_val_if_fail (ranking != NULL, 0);

  ranking->n++;
  if (ranking->n == 1 || value != ranking->value)
    ranking->rank = (int) ranking->n;
  ranking->value = value;

  return ranking->rank;
}

GStrv
dg_dustfall_report_months (const char *month)
{
  GPtrArray *months = g_ptr_array_new ();
  int month_number;

  g_return_val_if_fail (month != NULL && strlen (month) == 7, NULL);

  month_number = (int) g_ascii_strtoll (month + 5, NULL, 10);
  for (int i = month_number - 1; i >= 0; i--)
    g_ptr_array_add (months, dg_month_add (month, -i));
  /* In January the month before is last year's December, not yet in the list. */
  if (month_number == 1)
    g_ptr_array_add (months, dg_month_add (month, -1));
  g_ptr_array_add (months, dg_month_add (month, -12));
  g_ptr_array_add (months, NULL);

  return (GStrv) g_ptr_array_free (months, FALSE);
}

DgDustfallReport *
dg_dustfall_report_build (const char      *month,
                          GPtrArray       *cells,
                          const GArray    *values,
                          const DgRuleSet *rules)
{
  DgDustfallReport *report;
  g_autoptr(GHashTable) months = NULL;     /* month -> slot index + 1 */
  g_autoptr(GHashTable) by_cell = NULL;    /* cell_id -> const DgCellMonth *[n_slots] */
  g_autofree char *prev_month = NULL;
  g_autofree char *yoy_month = NULL;
  guint this_month_index;
  guint n_slots;
  gint64 sum = 0;
  DgRanking ranking = { 0 };

  g_return_val_if_fail (dg_month_is_valid (month), NULL);
  g_return_val_if_fail (cells != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  prev_month = dg_month_add (month, -1);
  yoy_month = dg_month_add (month, -12);
  this_month_index = (guint) g_ascii_strtoull (month + 5, NULL, 10) - 1;
  n_slots = MONTH_JAN + this_month_index + 1;

  /* The previous month is usually a year-to-date month too: each month string maps to the
   * bit set of the slots it fills. */
  months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (months, g_strdup (prev_month), GUINT_TO_POINTER (1u << MONTH_PREV));
  g_hash_table_insert (months, g_strdup (yoy_month), GUINT_TO_POINTER (1u << MONTH_YOY));
  for (guint k = 0; k <= this_month_index; k++)
    {
      g_autofree char *m = g_strdup_printf ("%.4s-%02u", month, k + 1);
      guint bits = GPOINTER_TO_UINT (g_hash_table_lookup (months, m));

      g_hash_table_insert (months, g_steal_pointer (&m),
                           GUINT_TO_POINTER (bits | (1u << (MONTH_JAN + k))));
    }

  by_cell = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < values->len; i++)
    {
      const DgCellMonth *cm = &g_array_index (values, DgCellMonth, i);
      const DgCellMonth **slots;
      guint bits;

      if (cm->cell_id == NULL || cm->month == NULL)
        continue;

      bits = GPOINTER_TO_UINT (g_hash_table_lookup (months, cm->month));
      if (bits == 0)
        continue;

      slots = g_hash_table_lookup (by_cell, cm->cell_id);
      if (slots == NULL)
        {
          slots = g_new0 (const DgCellMonth *, n_slots);
          g_hash_table_insert (by_cell, cm->cell_id, slots);
        }

      for (guint s = 0; s < n_slots; s++)
        if (bits & (1u << s))
          slots[s] = cm;
    }

  report = g_new0 (DgDustfallReport, 1);
  report->month = g_strdup (month);
  report->cap = dg_rule_set_cap_for_month (rules, month);
  report->district_mean = NAN;
  report->cells = g_ptr_array_new_full (cells->len, cell_rank_free);

  for (guint i = 0; i < cells->len; i++)
    {
      const DgGridCell *cell = g_ptr_array_index (cells, i);
      const DgCellMonth **slots = cell->id != NULL ? g_hash_table_lookup (by_cell, cell->id) : NULL;
      const DgCellMonth *cur = slots != NULL ? slots[MONTH_JAN + this_month_index] : NULL;
      const DgCellMonth *prev = slots != NULL ? slots[MONTH_PREV] : NULL;
      const DgCellMonth *yoy = slots != NULL ? slots[MONTH_YOY] : NULL;
      DgCellRank *rank = g_new0 (DgCellRank, 1);
      gint64 ytd_sum = 0;
      guint ytd_n = 0;

      rank->cell_id = g_strdup (cell->id);
      rank->code = g_strdup (cell->code);
      rank->name = g_strdup (cell->name);
      rank->unit = g_strdup (cell->unit);
      rank->unit_id = g_strdup (cell->unit_id);
      rank->row = cell->row;
      rank->col = cell->col;
      rank->value = NAN;
      rank->site_max = NAN;
      rank->site_min = NAN;
      rank->prev_value = NAN;
      rank->mom_change = NAN;
      rank->mom_pct = NAN;
      rank->yoy_pct = NAN;
      rank->ytd_mean = NAN;

      /* Rounded again on the way in: the ranking compares reported values, whoever made them. */
      if (cur != NULL && cur->has_value)
        {
          rank->has_value = TRUE;
          rank->value = dg_round1 (cur->value);
          rank->exceeds = dg_dustfall_exceeds_cap (rank->value, report->cap);
          rank->sites = cur->sites;
          rank->site_max = cur->site_max;
          rank->site_min = cur->site_min;
          rank->history = cur->history;
        }

      if (prev != NULL && prev->has_value)
        {
          rank->has_prev = TRUE;
          rank->prev_value = dg_round1 (prev->value);
        }

      if (rank->has_value && rank->has_prev && rank->prev_value != 0)
        {
          rank->has_mom = TRUE;
          rank->mom_change = dg_round1 (rank->value - rank->prev_value);
          rank->mom_pct = dg_report_percent_change (rank->value, rank->prev_value);
        }

      if (rank->has_value && yoy != NULL && yoy->has_value && dg_round1 (yoy->value) != 0)
        {
          rank->has_yoy = TRUE;
          rank->yoy_pct = dg_report_percent_change (rank->value, dg_round1 (yoy->value));
        }

      /* Year to date: the months of this year up to this one that have a value, each judged
       * as reported; a 缺测 month neither counts as zero nor breaks the mean. */
      if (slots != NULL)
        {
          for (guint k = 0; k <= this_month_index; k++)
            {
              const DgCellMonth *m = slots[MONTH_JAN + k];

              if (m != NULL && m->has_value)
                {
                  ytd_sum += tenths (dg_round1 (m->value));
                  ytd_n++;
                }
            }
        }

      if (ytd_n > 0)
        {
          rank->has_ytd = TRUE;
          rank->ytd_mean = dg_report_mean_of_tenths (ytd_sum, ytd_n);
          rank->ytd_exceeds = dg_dustfall_exceeds_cap (rank->ytd_mean, report->cap);
        }

      g_ptr_array_add (report->cells, rank);
    }

  g_ptr_array_sort (report->cells, compare_ranked_cells);

  for (guint i = 0; i < report->cells->len; i++)
    {
      DgCellRank *rank = g_ptr_array_index (report->cells, i);

      if (!rank->has_value)
        break;

      rank->rank = dg_ranking_next (&ranking, rank->value);
      sum += tenths (rank->value);
      report->n_ranked++;
      if (rank->exceeds)
        report->n_exceeding++;
    }

  if (report->n_ranked > 0)
    {
      report->has_district_mean = TRUE;
      report->district_mean = dg_report_mean_of_tenths (sum, report->n_ranked);
    }

  return report;
}

void
dg_dustfall_report_free (DgDustfallReport *report)
{
  if (report == NULL)
    return;

  g_free (report->month);
  g_clear_pointer (&report->cells, g_ptr_array_unref);
  g_free (report);
}

/* ---- Road table ---- */

typedef struct
{
  DgRoadRow *row;
  gint64     sum;   /* in hundredths of g/m² */
  guint      n;
  gint64     sums[DG_N_SURFACES];
  guint      ns[DG_N_SURFACES];
} RoadAccum;

static void
road_row_free (gpointer data)
{
  DgRoadRow *row = data;

  g_free (row->road_id);
  g_free (row->name);
  g_free (row->unit);
  g_free (row->unit_id);
  g_free (row);
}

static int
compare_road_rows (gconstpointer a,
                   gconstpointer b)
{
  const DgRoadRow *ra = *(DgRoadRow * const *) a;
  const DgRoadRow *rb = *(DgRoadRow * const *) b;
  int cmp;

  if (ra->has_mean != rb->has_mean)
    return ra->has_mean ? -1 : 1;
  if (ra->has_mean && ra->mean != rb->mean)
    return ra->mean < rb->mean ? -1 : 1;

  cmp = g_strcmp0 (ra->name, rb->name);
  return cmp != 0 ? cmp : g_strcmp0 (ra->road_id, rb->road_id);
}

DgRoadReport *
dg_road_report_build (const char      *month,
                      GPtrArray       *roads,
                      GPtrArray       *checks,
                      const DgRuleSet *rules)
{
  DgRoadReport *report;
  g_autoptr(GHashTable) by_id = NULL;    /* road_id -> RoadAccum * */
  g_autofree RoadAccum *accums = NULL;
  DgRanking ranking = { 0 };

  g_return_val_if_fail (dg_month_is_valid (month), NULL);
  g_return_val_if_fail (roads != NULL, NULL);
  g_return_val_if_fail (checks != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  report = g_new0 (DgRoadReport, 1);
  report->month = g_strdup (month);
  report->roads = g_ptr_array_new_full (roads->len, road_row_free);

  accums = g_new0 (RoadAccum, roads->len);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < roads->len; i++)
    {
      const DgRoad *road = g_ptr_array_index (roads, i);
      DgRoadRow *row = g_new0 (DgRoadRow, 1);

      row->road_id = g_strdup (road->id);
      row->name = g_strdup (road->name);
      row->unit = g_strdup (road->unit);
      row->unit_id = g_strdup (road->unit_id);
      row->mean = NAN;
      row->max = NAN;
      for (guint s = 0; s < DG_N_SURFACES; s++)
        row->means[s] = NAN;

      accums[i].row = row;
      g_ptr_array_add (report->roads, row);
      if (row->road_id != NULL)
        g_hash_table_insert (by_id, row->road_id, &accums[i]);
    }

  for (guint i = 0; i < checks->len; i++)
    {
      const DgRoadCheck *check = g_ptr_array_index (checks, i);
      g_autoptr(DgCheckResult) result = NULL;
      RoadAccum *accum;
      DgRoadRow *row;

      if (check == NULL || !date_in_month (check->date, month) || check->road_id == NULL)
        continue;

      /* A check for a road the table does not know (deleted, or not yet synced) is left out
       * rather than shown under an empty name. */
      accum = g_hash_table_lookup (by_id, check->road_id);
      if (accum == NULL)
        continue;

      row = accum->row;
      result = dg_road_check_evaluate (check, rules);

      row->checks++;
      if (result->complete)
        row->complete++;
      if (result->pass)
        row->passed++;
      if (result->complete && result->pass)
        row->complete_passed++;
      row->points += result->points->len;
      row->points_over += result->points_over;
      if (!isnan (result->max) && (isnan (row->max) || result->max > row->max))
        row->max = result->max;

      for (guint p = 0; p < result->points->len; p++)
        {
          const DgPointResult *pr = &g_array_index (result->points, DgPointResult, p);

          if (!isfinite (pr->load))
            continue;

          accum->sum += hundredths (pr->load);
          accum->n++;
          accum->sums[pr->surface] += hundredths (pr->load);
          accum->ns[pr->surface]++;
        }
    }

  for (guint i = 0; i < roads->len; i++)
    {
      RoadAccum *accum = &accums[i];

      if (accum->n > 0)
        {
          accum->row->has_mean = TRUE;
          accum->row->mean = dg_round1 ((double) accum->sum / (100.0 * accum->n));
        }

      for (guint s = 0; s < DG_N_SURFACES; s++)
        {
          if (accum->ns[s] > 0)
            {
              accum->row->has_means[s] = TRUE;
              accum->row->means[s] =
                dg_round1 ((double) accum->sums[s] / (100.0 * accum->ns[s]));
            }
        }
    }

  g_ptr_array_sort (report->roads, compare_road_rows);

  for (guint i = 0; i < report->roads->len; i++)
    {
      DgRoadRow *row = g_ptr_array_index (report->roads, i);

      if (!row->has_mean)
        break;
      row->rank = dg_ranking_next (&ranking, row->mean);
    }

  return report;
}

void
dg_road_report_free (DgRoadReport *report)
{
  if (report == NULL)
    return;

  g_free (report->month);
  g_clear_pointer (&report->roads, g_ptr_array_unref);
  g_free (report);
}

/* ---- Daily quota ---- */

static const DgEnumName quota_state_names[] = {
  { DG_QUOTA_MET, "met" },
  { DG_QUOTA_SHORT, "short" },
  { DG_QUOTA_PENDING, "pending" },
};

const char *
dg_quota_state_to_string (DgQuotaState state)
{
  const char *name = dg_enum_to_nick (quota_state_names, G_N_ELEMENTS (quota_state_names), state);

  g_return_val_if_fail (name != NULL, NULL);

  return name;
}

/* A check counts toward the quota when it has the points required on its own date. */
static gboolean
check_is_complete (const DgRoadCheck *check,
                   const DgRuleSet   *rules)
{
  guint n = check->points != NULL ? check->points->len : 0;

  return n >= dg_rule_set_quota_points (rules, check->date);
}

guint
dg_quota_roads_on (GPtrArray       *checks,
                   const char      *date,
                   const DgRuleSet *rules)
{
  g_autoptr(GHashTable) roads = NULL;

  g_return_val_if_fail (checks != NULL, 0);
  g_return_val_if_fail (dg_date_is_valid (date), 0);
  g_return_val_if_fail (rules != NULL, 0);

  roads = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < checks->len; i++)
    {
      const DgRoadCheck *check = g_ptr_array_index (checks, i);

      if (check == NULL || check->road_id == NULL || g_strcmp0 (check->date, date) != 0)
        continue;

      if (check_is_complete (check, rules))
        g_hash_table_add (roads, check->road_id);
    }

  return g_hash_table_size (roads);
}

static void
quota_day_clear (gpointer data)
{
  DgQuotaDay *day = data;

  g_clear_pointer (&day->date, g_free);
}

DgQuotaReport *
dg_quota_report_build (const char      *month,
                       GPtrArray       *checks,
                       const DgRuleSet *rules,
                       const char      *today)
{
  DgQuotaReport *report;
  g_autoptr(GPtrArray) day_roads = NULL;   /* day - 1 -> GHashTable of road ids */
  g_autofree char *first_day = NULL;
  guint n_days;

  g_return_val_if_fail (dg_month_is_valid (month), NULL);
  g_return_val_if_fail (checks != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (dg_date_is_valid (today), NULL);

  n_days = dg_month_days (month);
  first_day = dg_month_day (month, 1);

  report = g_new0 (DgQuotaReport, 1);
  report->month = g_strdup (month);
  report->roads_required = dg_rule_set_quota_roads (rules, first_day);
  report->points_required = dg_rule_set_quota_points (rules, first_day);
  report->days = g_array_sized_new (FALSE, TRUE, sizeof (DgQuotaDay), n_days);
  g_array_set_clear_func (report->days, quota_day_clear);

  day_roads = g_ptr_array_new_full (n_days, (GDestroyNotify) g_hash_table_unref);
  for (guint d = 0; d < n_days; d++)
    g_ptr_array_add (day_roads, g_hash_table_new (g_str_hash, g_str_equal));

  /* One pass over the checks, however many inspectors made them: the quota is district-wide. */
  for (guint i = 0; i < checks->len; i++)
    {
      const DgRoadCheck *check = g_ptr_array_index (checks, i);
      guint day;

      if (check == NULL || check->road_id == NULL || !dg_date_is_valid (check->date) ||
          !date_in_month (check->date, month))
        continue;

      if (!check_is_complete (check, rules))
        continue;

      day = (guint) g_ascii_strtoull (check->date + 8, NULL, 10);
      g_hash_table_add (g_ptr_array_index (day_roads, day - 1), check->road_id);
    }

  for (guint d = 0; d < n_days; d++)
    {
      DgQuotaDay day = { 0, };

      day.date = dg_month_day (month, d + 1);
      day.roads = g_hash_table_size (g_ptr_array_index (day_roads, d));
      /* A quota changed mid-month applies from its own date. */
      day.required = dg_rule_set_quota_roads (rules, day.date);

      if (strcmp (day.date, today) > 0)
        {
          day.state = DG_QUOTA_PENDING;
        }
      else
        {
          report->days_elapsed++;
          day.state = day.roads >= day.required ? DG_QUOTA_MET : DG_QUOTA_SHORT;
          if (day.state == DG_QUOTA_MET)
            report->days_met++;
        }

      g_array_append_val (report->days, day);
    }

  return report;
}

void
dg_quota_report_free (DgQuotaReport *report)
{
  if (report == NULL)
    return;

  g_free (report->month);
  g_clear_pointer (&report->days, g_array_unref);
  g_free (report);
}
