/* dg-dustfall.c: gravimetric dust-fall, GB/T 15265-94 and HJ 1221-2021 (design 3.2). */
#define G_LOG_DOMAIN "dg-dustfall"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-date.h"
#include "dg-dustfall.h"
#include "dg-enum.h"
#include "dg-error.h"
#include "dg-round.h"

/* 1 g/cm² = 10⁴ t/km² (1 km² = 10¹⁰ cm², 1 t = 10⁶ g). Other tools have shipped 10⁶ here. */
#define G_PER_CM2_TO_T_PER_KM2 1e4
#define STANDARD_PERIOD_DAYS   30.0
#define SECONDS_PER_DAY        86400.0

/* By bit index, the value dg_dustfall_flag_to_string() takes. */
static const DgEnumName flag_names[] = {
  { 0, "below_detection_limit" },
  { 1, "below_quantitation_limit" },
  { 2, "nonstandard_period" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (flag_names) == DG_DUSTFALL_N_FLAGS);

const char *
dg_dustfall_flag_to_string (guint index)
{
  g_return_val_if_fail (index < DG_DUSTFALL_N_FLAGS, NULL);

  return dg_enum_to_nick (flag_names, G_N_ELEMENTS (flag_names), (int) index);
}

gboolean
dg_dustfall_compute (const DgDustfallSample *sample,
                     DgDustfallResult       *result,
                     GError                **error)
{
  gint64 start, end;
  double days, diameter, area, net, value;
  double diameter_sum = 0;
  DgDustfallFlags flags = DG_DUSTFALL_FLAG_NONE;

  g_return_val_if_fail (sample != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The rejects, in the order of section 3.2; each names the field an inspector must fix. */
  if (!isfinite (sample->w0_g))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "w0_g", "w0_g must be a finite number");
      return FALSE;
    }
  if (!isfinite (sample->w1_g))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "w1_g", "w1_g must be a finite number");
      return FALSE;
    }
  if (!isfinite (sample->wc_g))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "wc_g", "wc_g must be a finite number");
      return FALSE;
    }
  if (sample->w1_g < sample->w0_g)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "w1_g", "w1_g must not be less than w0_g");
      return FALSE;
    }
  if (sample->wc_g < 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "wc_g", "wc_g must not be negative");
      return FALSE;
    }

  net = sample->w1_g - sample->w0_g - sample->wc_g;

  /* A net mass a hair below zero is weighing noise on an almost clean jar; more than half a
   * milligram below means the weights were mixed up. */
  if (net < -DG_DUSTFALL_NET_MASS_TOLERANCE_G)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "w1_g",
                    "net mass w1_g − w0_g − wc_g must not be below −%g g",
                    DG_DUSTFALL_NET_MASS_TOLERANCE_G);
      return FALSE;
    }

  if (!dg_local_datetime_parse (sample->start, &start))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "start",
                    "start must be a local date-time YYYY-MM-DDTHH:MM[:SS]");
      return FALSE;
    }
  if (!dg_local_datetime_parse (sample->end, &end))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "end",
                    "end must be a local date-time YYYY-MM-DDTHH:MM[:SS]");
      return FALSE;
    }

  /* Judge the rounded n: it is what the formula divides by, and a period that rounds to 0.0
   * days would divide by zero. */
  days = dg_round1 ((double) (end - start) / SECONDS_PER_DAY);
  if (days <= 0 || days > DG_DUSTFALL_DAYS_MAX)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "end",
                    "the sampling period must be more than 0 and at most %g days",
                    DG_DUSTFALL_DAYS_MAX);
      return FALSE;
    }

  if (sample->n_diameters < 1 || sample->n_diameters > DG_MAX_DIAMETERS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "diameter_cm",
                    "diameter_cm needs 1 to %d measurements", DG_MAX_DIAMETERS);
      return FALSE;
    }

  for (guint i = 0; i < sample->n_diameters; i++)
    {
      double d = sample->diameter_cm[i];

      if (!isfinite (d) || d < DG_DUSTFALL_DIAMETER_MIN_CM || d > DG_DUSTFALL_DIAMETER_MAX_CM)
        {
          g_autofree char *field = g_strdup_printf ("diameter_cm[%u]", i);

          dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                        "%s must be between %g and %g cm", field,
                        DG_DUSTFALL_DIAMETER_MIN_CM, DG_DUSTFALL_DIAMETER_MAX_CM);
          return FALSE;
        }

      diameter_sum += d;
    }

  diameter = dg_round1 (diameter_sum / sample->n_diameters);

  /* The standard computes S from the reported diameter, and M from that S unrounded: rounding
   * S to 0.01 first would move M in its last digit for some jars. */
  area = G_PI * (diameter / 2) * (diameter / 2);

  value = dg_round1 (net / (area * days) * STANDARD_PERIOD_DAYS * G_PER_CM2_TO_T_PER_KM2);

  /* Flags judge the reported value, the one the reader sees next to them. Below the detection
   * limit is the stronger statement and replaces the quantitation flag. */
  if (value < DG_DUSTFALL_DETECTION_LIMIT)
    flags |= DG_DUSTFALL_FLAG_BELOW_DETECTION;
  else if (value < DG_DUSTFALL_QUANTITATION_LIMIT)
    flags |= DG_DUSTFALL_FLAG_BELOW_QUANTITATION;

  if (days < DG_DUSTFALL_STANDARD_DAYS_MIN || days > DG_DUSTFALL_STANDARD_DAYS_MAX)
    flags |= DG_DUSTFALL_FLAG_NONSTANDARD_PERIOD;

  result->days = days;
  result->diameter_cm = diameter;
  result->area_cm2 = dg_round (area, 2);
  result->value = value;
  result->flags = flags;

  return TRUE;
}

gboolean
dg_dustfall_exceeds_cap (double value,
                         double cap)
{
  return value > cap;
}

void
dg_cell_month_clear (DgCellMonth *cm)
{
  if (cm == NULL)
    return;

  g_clear_pointer (&cm->cell_id, g_free);
  g_clear_pointer (&cm->month, g_free);
}

/* ---- The A/B jar rule and the cell's value ---- */

typedef struct
{
  char     *label;
  /* Per jar (0 = A, 1 = B): the value of the valid jar, if any. */
  gboolean  has[2];
  double    value[2];
  char     *id[2];   /* to pick one deterministically among duplicate jars */
} Site;

struct _DgCellValue
{
  /* Site: a cell has a handful of sites, so a search beats a hash table. */
  GArray *sites;
};

static void
site_clear (Site *site)
{
  g_clear_pointer (&site->label, g_free);
  g_clear_pointer (&site->id[0], g_free);
  g_clear_pointer (&site->id[1], g_free);
}

DgCellValue *
dg_cell_value_new (void)
{
  DgCellValue *self = g_new0 (DgCellValue, 1);

  self->sites = g_array_new (FALSE, TRUE, sizeof (Site));
  g_array_set_clear_func (self->sites, (GDestroyNotify) site_clear);
  return self;
}

void
dg_cell_value_free (DgCellValue *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->sites);
  g_free (self);
}

void
dg_cell_value_add (DgCellValue *self,
                   const char  *site_label,
                   char         jar,
                   gboolean     valid,
                   double       value,
                   const char  *sample_id)
{
  Site *site = NULL;
  guint j;

  g_return_if_fail (self != NULL);

  if (!valid || (jar != DG_JAR_A && jar != DG_JAR_B) || !isfinite (value))
    return;

  if (site_label == NULL)
    site_label = "1";
  for (guint i = 0; i < self->sites->len && site == NULL; i++)
    if (strcmp (g_array_index (self->sites, Site, i).label, site_label) == 0)
      site = &g_array_index (self->sites, Site, i);
  if (site == NULL)
    {
      g_array_set_size (self->sites, self->sites->len + 1);
      site = &g_array_index (self->sites, Site, self->sites->len - 1);
      site->label = g_strdup (site_label);
    }

  j = jar == DG_JAR_A ? 0 : 1;
  /* Two valid jars of one letter at one site should not happen; if they do, every side
   * keeps the one with the larger id rather than whichever came first. */
  if (!site->has[j] || g_strcmp0 (sample_id, site->id[j]) > 0)
    {
      site->has[j] = TRUE;
      site->value[j] = value;
      g_free (site->id[j]);
      site->id[j] = g_strdup (sample_id);
    }
}

void
dg_cell_value_add_sample (DgCellValue            *self,
                          const DgDustfallSample *sample)
{
  DgDustfallResult result;

  g_return_if_fail (self != NULL);
  g_return_if_fail (sample != NULL);

  /* Only a jar that counts needs its M. */
  if (!sample->valid || (sample->jar != DG_JAR_A && sample->jar != DG_JAR_B))
    return;
  if (!dg_dustfall_compute (sample, &result, NULL))
    return;

  dg_cell_value_add (self, sample->site, sample->jar, TRUE, result.value, sample->id);
}

void
dg_cell_value_finish (DgCellValue *self,
                      DgCellMonth *cm)
{
  gint64 sum = 0;   /* in tenths: the site values are exact tenths, and so is their sum */

  g_return_if_fail (self != NULL);
  g_return_if_fail (cm != NULL);

  cm->has_value = FALSE;
  cm->value = NAN;
  cm->sites = 0;
  cm->site_max = NAN;
  cm->site_min = NAN;

  for (guint i = 0; i < self->sites->len; i++)
    {
      const Site *site = &g_array_index (self->sites, Site, i);
      double v;

      /* Jar A when it is valid, else B: parallel jars are a spare, never averaged. */
      if (site->has[0])
        v = site->value[0];
      else if (site->has[1])
        v = site->value[1];
      else
        continue;

      sum += llround (v * 10);
      cm->sites++;
      if (isnan (cm->site_max) || v > cm->site_max)
        cm->site_max = v;
      if (isnan (cm->site_min) || v < cm->site_min)
        cm->site_min = v;
    }

  if (cm->sites > 0)
    {
      cm->has_value = TRUE;
      cm->value = dg_round1 ((double) sum / (10.0 * cm->sites));
    }

  g_array_set_size (self->sites, 0);
}

typedef struct
{
  const char  *cell_id;
  const char  *month;
  DgCellValue *value;
} Group;

static void
group_free (gpointer data)
{
  Group *group = data;

  dg_cell_value_free (group->value);
  g_free (group);
}

static guint
group_key_hash (gconstpointer key)
{
  const Group *g = key;

  return g_str_hash (g->cell_id) * 31 + g_str_hash (g->month);
}

static gboolean
group_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const Group *ga = a, *gb = b;

  return strcmp (ga->cell_id, gb->cell_id) == 0 && strcmp (ga->month, gb->month) == 0;
}

static int
compare_cell_months (gconstpointer a,
                     gconstpointer b)
{
  const DgCellMonth *ca = a, *cb = b;
  int cmp = strcmp (ca->cell_id, cb->cell_id);

  return cmp != 0 ? cmp : strcmp (ca->month, cb->month);
}

GArray *
dg_cell_months_from_samples (GPtrArray *samples)
{
  g_autoptr(GHashTable) groups = NULL;
  GArray *out;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (samples != NULL, NULL);

  /* The key is the group itself (cell_id, month borrowed from its first sample): one hash
   * lookup per sample, whatever the province's size. */
  groups = g_hash_table_new_full (group_key_hash, group_key_equal, group_free, NULL);

  for (guint i = 0; i < samples->len; i++)
    {
      const DgDustfallSample *sample = g_ptr_array_index (samples, i);
      Group probe, *group;

      if (sample == NULL || sample->cell_id == NULL || sample->month == NULL)
        continue;

      probe.cell_id = sample->cell_id;
      probe.month = sample->month;
      group = g_hash_table_lookup (groups, &probe);
      if (group == NULL)
        {
          /* A cell-month with samples but no valid jar still gets an entry: it is 缺测, which
           * the report must show, not a cell that was never sampled. */
          group = g_new0 (Group, 1);
          group->cell_id = sample->cell_id;
          group->month = sample->month;
          group->value = dg_cell_value_new ();
          g_hash_table_add (groups, group);
        }

      dg_cell_value_add_sample (group->value, sample);
    }

  out = g_array_sized_new (FALSE, TRUE, sizeof (DgCellMonth), g_hash_table_size (groups));
  g_array_set_clear_func (out, (GDestroyNotify) dg_cell_month_clear);

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Group *group = key;
      DgCellMonth cm = { 0, };

      cm.cell_id = g_strdup (group->cell_id);
      cm.month = g_strdup (group->month);
      dg_cell_value_finish (group->value, &cm);
      g_array_append_val (out, cm);
    }

  g_array_sort (out, compare_cell_months);
  return out;
}

GArray *
dg_cell_months_add_history (GArray    *values,
                            GPtrArray *history)
{
  g_autoptr(GHashTable) index = NULL;   /* "cell_id month" -> position + 1 in out */
  GArray *out;

  g_return_val_if_fail (values != NULL, NULL);

  if (history == NULL || history->len == 0)
    return g_array_ref (values);

  out = g_array_sized_new (FALSE, TRUE, sizeof (DgCellMonth), values->len + history->len);
  g_array_set_clear_func (out, (GDestroyNotify) dg_cell_month_clear);
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The store's cell-months borrow interned strings: these copies are the new array's own. */
  for (guint i = 0; i < values->len; i++)
    {
      DgCellMonth cm = g_array_index (values, DgCellMonth, i);

      if (cm.cell_id == NULL || cm.month == NULL)
        continue;
      cm.cell_id = g_strdup (cm.cell_id);
      cm.month = g_strdup (cm.month);
      g_array_append_val (out, cm);
      g_hash_table_insert (index, g_strconcat (cm.cell_id, " ", cm.month, NULL),
                           GUINT_TO_POINTER (out->len));
    }

  for (guint i = 0; i < history->len; i++)
    {
      const DgDustfallHistory *h = g_ptr_array_index (history, i);
      g_autofree char *key = NULL;
      DgCellMonth *cm;
      guint at;

      if (h == NULL || h->cell_id == NULL || h->month == NULL || !isfinite (h->value))
        continue;

      key = g_strconcat (h->cell_id, " ", h->month, NULL);
      at = GPOINTER_TO_UINT (g_hash_table_lookup (index, key));
      if (at == 0)
        {
          DgCellMonth fresh = { 0, };

          fresh.cell_id = g_strdup (h->cell_id);
          fresh.month = g_strdup (h->month);
          g_array_append_val (out, fresh);
          at = out->len;
          g_hash_table_insert (index, g_steal_pointer (&key), GUINT_TO_POINTER (at));
        }

      cm = &g_array_index (out, DgCellMonth, at - 1);
      if (cm->has_value)
        continue;

      cm->has_value = TRUE;
      cm->value = dg_round1 (h->value);
      cm->sites = 0;
      cm->site_max = NAN;
      cm->site_min = NAN;
      cm->history = TRUE;
    }

  return out;
}
