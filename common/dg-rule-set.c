/* dg-rule-set.c: effective-dated limits, caps and quotas (design 3.1, 3.2).
 *
 * Rules fall into six slots: the limit of each surface, the cap and the two quotas. Each slot
 * keeps its rules sorted by (effective_from, id), so a lookup is one binary search for the last
 * rule in force on a date, and the tie between two rules of a slot on one date resolves to the
 * larger id, the same on every side.
 */
#define G_LOG_DOMAIN "dg-rule-set"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-round.h"
#include "dg-rule-set.h"

enum
{
  SLOT_LIMIT_MAIN,
  SLOT_LIMIT_SIDE,
  SLOT_LIMIT_PARK,
  SLOT_CAP,
  SLOT_QUOTA_ROADS,
  SLOT_QUOTA_POINTS,
  /* From here on, kinds whose default is built in but never stored: a database made before the
   * kind existed holds no rule of it, and one made after holds the same (none). */
  SLOT_MIN_SPACING,
  N_SLOTS
};
#define N_STORED_SLOTS SLOT_MIN_SPACING

G_STATIC_ASSERT (SLOT_LIMIT_MAIN + DG_SURFACE_SIDE == SLOT_LIMIT_SIDE);
G_STATIC_ASSERT (SLOT_LIMIT_MAIN + DG_SURFACE_PARK == SLOT_LIMIT_PARK);

struct _DgRuleSet
{
  gatomicrefcount  ref_count;
  GHashTable      *by_id;          /* id -> DgRule *, owning */
  GPtrArray       *slots[N_SLOTS]; /* DgRule *, borrowed from by_id, sorted */
};

/* The built-in defaults, also used when a slot has no rule at all. Their ids are fixed so that
 * every new database, and a client that has not synced yet, hold the very same records. */
static const struct
{
  const char *id;
  DgRuleKind  kind;
  gboolean    has_surface;
  DgSurface   surface;
  double      value;
} default_rules[N_SLOTS] = {
  [SLOT_LIMIT_MAIN] = { "00000000-0000-4000-8000-000000000001", DG_RULE_LIMIT, TRUE,
                        DG_SURFACE_MAIN, DG_DEFAULT_LIMIT_MAIN },
  [SLOT_LIMIT_SIDE] = { "00000000-0000-4000-8000-000000000002", DG_RULE_LIMIT, TRUE,
                        DG_SURFACE_SIDE, DG_DEFAULT_LIMIT_SIDE },
  [SLOT_LIMIT_PARK] = { "00000000-0000-4000-8000-000000000003", DG_RULE_LIMIT, TRUE,
                        DG_SURFACE_PARK, DG_DEFAULT_LIMIT_PARK },
  [SLOT_CAP] = { "00000000-0000-4000-8000-000000000004", DG_RULE_CAP, FALSE,
                 DG_SURFACE_MAIN, DG_DEFAULT_CAP },
  [SLOT_QUOTA_ROADS] = { "00000000-0000-4000-8000-000000000005", DG_RULE_QUOTA_ROADS, FALSE,
                         DG_SURFACE_MAIN, DG_DEFAULT_QUOTA_ROADS },
  [SLOT_QUOTA_POINTS] = { "00000000-0000-4000-8000-000000000006", DG_RULE_QUOTA_POINTS, FALSE,
                          DG_SURFACE_MAIN, DG_DEFAULT_QUOTA_POINTS },
  [SLOT_MIN_SPACING] = { NULL, DG_RULE_MIN_SPACING, FALSE, DG_SURFACE_MAIN,
                         DG_DEFAULT_MIN_SPACING_M },
};

static int
slot_of_rule (const DgRule *rule)
{
  switch (rule->kind)
    {
    case DG_RULE_LIMIT:
      if (!rule->has_surface || (guint) rule->surface >= DG_N_SURFACES)
        return -1;
      return SLOT_LIMIT_MAIN + (int) rule->surface;
    case DG_RULE_CAP:
      return SLOT_CAP;
    case DG_RULE_QUOTA_ROADS:
      return SLOT_QUOTA_ROADS;
    case DG_RULE_QUOTA_POINTS:
      return SLOT_QUOTA_POINTS;
    case DG_RULE_MIN_SPACING:
      return SLOT_MIN_SPACING;
    case DG_N_RULE_KINDS:
    default:
      return -1;
    }
}

static int
compare_rules (const DgRule *a,
               const DgRule *b)
{
  int cmp = g_strcmp0 (a->effective_from, b->effective_from);

  if (cmp != 0)
    return cmp;

  return g_strcmp0 (a->id, b->id);
}

DgRuleSet *
dg_rule_set_new (void)
{
  DgRuleSet *self = g_new0 (DgRuleSet, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) dg_rule_free);
  for (guint i = 0; i < N_SLOTS; i++)
    self->slots[i] = g_ptr_array_new ();

  return self;
}

DgRuleSet *
dg_rule_set_new_default (void)
{
  DgRuleSet *self = dg_rule_set_new ();
  g_autoptr(GPtrArray) rules = dg_rule_set_default_rules ();

  for (guint i = 0; i < rules->len; i++)
    dg_rule_set_add (self, g_ptr_array_index (rules, i));

  return self;
}

DgRuleSet *
dg_rule_set_ref (DgRuleSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dg_rule_set_unref (DgRuleSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < N_SLOTS; i++)
    g_ptr_array_unref (self->slots[i]);
  g_hash_table_unref (self->by_id);
  g_free (self);
}

GPtrArray *
dg_rule_set_default_rules (void)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_rule_free);

  for (guint i = 0; i < N_STORED_SLOTS; i++)
    {
      DgRule *rule = dg_rule_new ();

      rule->id = g_strdup (default_rules[i].id);
      rule->kind = default_rules[i].kind;
      rule->has_surface = default_rules[i].has_surface;
      rule->surface = default_rules[i].surface;
      rule->value = default_rules[i].value;
      rule->effective_from = g_strdup (DG_DEFAULT_EFFECTIVE_FROM);
      g_ptr_array_add (rules, rule);
    }

  return rules;
}

void
dg_rule_set_add (DgRuleSet    *self,
                 const DgRule *rule)
{
  DgRule *copy;
  GPtrArray *slot;
  guint lo, hi;
  int slot_index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (rule != NULL);
  g_return_if_fail (rule->id != NULL);
  g_return_if_fail (rule->effective_from != NULL);

  slot_index = slot_of_rule (rule);
  g_return_if_fail (slot_index >= 0);

  dg_rule_set_remove (self, rule->id);

  copy = dg_rule_copy (rule);
  g_hash_table_insert (self->by_id, copy->id, copy);

  /* Binary search for the insertion point keeps the slot sorted without re-sorting it. */
  slot = self->slots[slot_index];
  lo = 0;
  hi = slot->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_rules (g_ptr_array_index (slot, mid), copy) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (slot, (int) lo, copy);
}

void
dg_rule_set_remove (DgRuleSet  *self,
                    const char *rule_id)
{
  DgRule *rule;
  int slot_index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (rule_id != NULL);

  rule = g_hash_table_lookup (self->by_id, rule_id);
  if (rule == NULL)
    return;

  slot_index = slot_of_rule (rule);
  g_assert (slot_index >= 0);
  g_ptr_array_remove (self->slots[slot_index], rule);
  g_hash_table_remove (self->by_id, rule_id);
}

guint
dg_rule_set_get_n_rules (const DgRuleSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->by_id);
}

/* The value of @slot in force on @date. */
static double
lookup (const DgRuleSet *self,
        int              slot_index,
        const char      *date)
{
  GPtrArray *slot = self->slots[slot_index];
  const DgRule *first;
  guint lo, hi;

  if (slot->len == 0)
    return default_rules[slot_index].value;

  /* lo = number of rules effective on or before @date. Dates compare as strings. */
  lo = 0;
  hi = slot->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const DgRule *rule = g_ptr_array_index (slot, mid);

      if (strcmp (rule->effective_from, date) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo > 0)
    return ((const DgRule *) g_ptr_array_index (slot, lo - 1))->value;
  /* A kind that is not stored has its built-in default until its first rule is in force: a
   * spacing set from next month on says nothing of the checks of this one. */
  if (slot_index >= N_STORED_SLOTS)
    return default_rules[slot_index].value;

  /* Before the earliest rule, the earliest applies; among several on that first date, the
   * larger id, as for any tie. */
  first = g_ptr_array_index (slot, 0);
  for (lo = 1; lo < slot->len; lo++)
    {
      const DgRule *rule = g_ptr_array_index (slot, lo);

      if (strcmp (rule->effective_from, first->effective_from) != 0)
        break;
    }

  return ((const DgRule *) g_ptr_array_index (slot, lo - 1))->value;
}

/* Quotas are counts; a rule value of 5.9999999 still means 6. */
static guint
to_count (double value)
{
  if (!isfinite (value) || value <= 0)
    return 0;

  return (guint) dg_round (value, 0);
}

double
dg_rule_set_limit (const DgRuleSet *self,
                   DgSurface        surface,
                   const char      *date)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail ((guint) surface < DG_N_SURFACES, NAN);
  g_return_val_if_fail (date != NULL, NAN);

  return lookup (self, SLOT_LIMIT_MAIN + (int) surface, date);
}

double
dg_rule_set_cap (const DgRuleSet *self,
                 const char      *date)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (date != NULL, NAN);

  return lookup (self, SLOT_CAP, date);
}

guint
dg_rule_set_quota_roads (const DgRuleSet *self,
                         const char      *date)
{
  g_return_val_if_fail (self != NULL, DG_DEFAULT_QUOTA_ROADS);
  g_return_val_if_fail (date != NULL, DG_DEFAULT_QUOTA_ROADS);

  return to_count (lookup (self, SLOT_QUOTA_ROADS, date));
}

guint
dg_rule_set_quota_points (const DgRuleSet *self,
                          const char      *date)
{
  g_return_val_if_fail (self != NULL, DG_DEFAULT_QUOTA_POINTS);
  g_return_val_if_fail (date != NULL, DG_DEFAULT_QUOTA_POINTS);

  return to_count (lookup (self, SLOT_QUOTA_POINTS, date));
}

double
dg_rule_set_min_spacing_m (const DgRuleSet *self,
                           const char      *date)
{
  g_return_val_if_fail (self != NULL, DG_DEFAULT_MIN_SPACING_M);
  g_return_val_if_fail (date != NULL, DG_DEFAULT_MIN_SPACING_M);

  return lookup (self, SLOT_MIN_SPACING, date);
}

double
dg_rule_set_cap_for_month (const DgRuleSet *self,
                           const char      *month)
{
  char first_day[16];

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (month != NULL, NAN);

  g_snprintf (first_day, sizeof first_day, "%.7s-01", month);
  return lookup (self, SLOT_CAP, first_day);
}
