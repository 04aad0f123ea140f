/* dg-store-reports.c: what the report builders of common/ read from the store, and the caches
 * that keep a ranking from decoding a province's reference data and months again each time. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include "dg-store-private.h"

/* Decodes stored records of one type into their structs of common/ (DgRule *, DgRoad *, …). */
typedef struct
{
  DgRecordType  type;
  GPtrArray    *array;
} Decoder;

static void
decode_data_cb (const char *id,
                const char *text,
                const char *owner,
                gpointer    user_data)
{
  Decoder *decoder = user_data;
  g_autoptr(JsonObject) data = dg_store_parse_object (text);
  g_autoptr(GError) local_error = NULL;
  gpointer record;

  if (data == NULL)
    return;
  record = dg_record_data_from_json (decoder->type, id, data, &local_error);
  if (record == NULL)
    {
      g_warning ("Stored %s %s no longer validates: %s", dg_record_type_to_string (decoder->type),
                 id, local_error->message);
      return;
    }
  if (decoder->type == DG_RECORD_ROAD_CHECK)
    ((DgRoadCheck *) record)->author = g_strdup (owner);
  g_ptr_array_add (decoder->array, record);
}

static GDestroyNotify
record_data_free_func (DgRecordType type)
{
  switch (type)
    {
    case DG_RECORD_ROAD:
      return (GDestroyNotify) dg_road_free;
    case DG_RECORD_GRID_CELL:
      return (GDestroyNotify) dg_grid_cell_free;
    case DG_RECORD_ROAD_CHECK:
      return (GDestroyNotify) dg_road_check_free;
    case DG_RECORD_DUSTFALL_SAMPLE:
      return (GDestroyNotify) dg_dustfall_sample_free;
    case DG_RECORD_RULE:
      return (GDestroyNotify) dg_rule_free;
    case DG_RECORD_UNIT:
      return (GDestroyNotify) dg_unit_free;
    case DG_RECORD_DUSTFALL_HISTORY:
      return (GDestroyNotify) dg_dustfall_history_free;
    case DG_RECORD_RECTIFICATION:
      return (GDestroyNotify) dg_rectification_free;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* Every record of @type that is not deleted (of @month unless NULL), decoded, into @array. */
static gboolean
load_structs (DgStore       *self,
              DgRecordType   type,
              const char    *month,
              GPtrArray     *array,
              GError       **error)
{
  Decoder decoder = { type, array };

  return self->backend->load_data (self->db, type, month, 0, decode_data_cb, &decoder, error);
}

/* Every record of reference @type as it stood after revision @through, decoded, into @array. */
static gboolean
load_structs_through (DgStore       *self,
                      DgRecordType   type,
                      gint64         through,
                      GPtrArray     *array,
                      GError       **error)
{
  Decoder decoder = { type, array };

  return self->backend->load_data (self->db, type, NULL, through, decode_data_cb, &decoder,
                                   error);
}

GPtrArray *
dg_store_load_all_locked (DgStore       *self,
                          DgRecordType   type,
                          GError       **error)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (record_data_free_func (type));

  g_assert (dg_record_type_is_reference (type));

  if (!load_structs (self, type, NULL, array, error))
    return NULL;
  return g_steal_pointer (&array);
}

static DgRuleSet *
rule_set_from_array (GPtrArray *rules_array)
{
  DgRuleSet *rules = dg_rule_set_new ();

  for (guint i = 0; i < rules_array->len; i++)
    dg_rule_set_add (rules, g_ptr_array_index (rules_array, i));
  return rules;
}

DgRuleSet *
dg_store_load_rules_locked (DgStore  *self,
                            GError  **error)
{
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) array = NULL;
  gint64 version;

  version = self->backend->data_version (self->db);
  if (self->rules != NULL && version == self->rules_data_version)
    return dg_rule_set_ref (self->rules);

  array = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_RULE));
  if (!load_structs (self, DG_RECORD_RULE, NULL, array, error))
    return NULL;

  rules = rule_set_from_array (array);

  g_clear_pointer (&self->rules, dg_rule_set_unref);
  self->rules = dg_rule_set_ref (rules);
  self->rules_data_version = version;

  return g_steal_pointer (&rules);
}

/* ---- Loading for the report builders of common/ ---- */

DgRuleSet *
dg_store_load_rules (DgStore  *self,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

  return locker != NULL ? dg_store_load_rules_locked (self, error) : NULL;
}

/* Roads or grid cells: decoded once and kept until one changes (here, or through another
 * connection, as the backend's data_version tells); the caller gets its own copies. */
static GPtrArray *
load_reference (DgStore       *self,
                DgRecordType   type,
                GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *cache, *copy;
  gint64 version;

  g_assert (type == DG_RECORD_ROAD || type == DG_RECORD_GRID_CELL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  version = self->backend->data_version (self->db);
  if (self->ref_cache[type] == NULL || self->ref_data_version[type] != version)
    {
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (record_data_free_func (type));

      g_clear_pointer (&self->ref_cache[type], g_ptr_array_unref);
      if (!load_structs (self, type, NULL, array, error))
        return NULL;
      self->ref_cache[type] = g_steal_pointer (&array);
      self->ref_data_version[type] = version;
    }

  cache = self->ref_cache[type];
  if (type == DG_RECORD_ROAD)
    {
      copy = g_ptr_array_new_full (cache->len, (GDestroyNotify) dg_road_free);
      for (guint i = 0; i < cache->len; i++)
        g_ptr_array_add (copy, dg_road_copy (g_ptr_array_index (cache, i)));
    }
  else
    {
      copy = g_ptr_array_new_full (cache->len, (GDestroyNotify) dg_grid_cell_free);
      for (guint i = 0; i < cache->len; i++)
        g_ptr_array_add (copy, dg_grid_cell_copy (g_ptr_array_index (cache, i)));
    }

  return copy;
}

GPtrArray *
dg_store_load_roads (DgStore  *self,
                     GError  **error)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return load_reference (self, DG_RECORD_ROAD, error);
}

GPtrArray *
dg_store_load_grid_cells (DgStore  *self,
                          GError  **error)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return load_reference (self, DG_RECORD_GRID_CELL, error);
}

/* A closed month's reference data, as it stood at the close: read in one transaction, and not
 * cached (the current data is, and a closed month's report is asked for rarely). */
static gboolean
load_frozen_reference (DgStore     *self,
                       gint64       through,
                       DgRuleSet  **rules,
                       GPtrArray  **roads,
                       GPtrArray  **cells,
                       GPtrArray  **units,
                       GError     **error)
{
  g_autoptr(GPtrArray) rule_array = NULL;
  g_autoptr(GPtrArray) road_array = NULL;
  g_autoptr(GPtrArray) cell_array = NULL;
  g_autoptr(GPtrArray) unit_array = NULL;
  gboolean ok;

  rule_array = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_RULE));
  road_array = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_ROAD));
  cell_array = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_GRID_CELL));
  unit_array = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_UNIT));

  if (!self->backend->begin_read (self->db, error))
    return FALSE;
  ok = load_structs_through (self, DG_RECORD_RULE, through, rule_array, error) &&
       load_structs_through (self, DG_RECORD_ROAD, through, road_array, error) &&
       load_structs_through (self, DG_RECORD_GRID_CELL, through, cell_array, error) &&
       (units == NULL ||
        load_structs_through (self, DG_RECORD_UNIT, through, unit_array, error));
  self->backend->rollback (self->db);
  if (!ok)
    return FALSE;

  *rules = rule_set_from_array (rule_array);
  *roads = g_steal_pointer (&road_array);
  *cells = g_steal_pointer (&cell_array);
  if (units != NULL)
    *units = g_steal_pointer (&unit_array);
  return TRUE;
}

gboolean
dg_store_load_month_reference (DgStore     *self,
                               const char  *month,
                               DgRuleSet  **rules,
                               GPtrArray  **roads,
                               GPtrArray  **cells,
                               GPtrArray  **units,
                               GError     **error)
{
  gboolean closed = FALSE;
  gint64 through = 0;

  g_return_val_if_fail (DG_IS_STORE (self), FALSE);
  g_return_val_if_fail (month != NULL, FALSE);
  g_return_val_if_fail (rules != NULL && roads != NULL && cells != NULL, FALSE);

  *rules = NULL;
  *roads = *cells = NULL;
  if (units != NULL)
    *units = NULL;

  {
    g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

    if (locker == NULL ||
        !self->backend->month_closed (self->db, month, &closed, &through, error))
      return FALSE;
    if (closed && through > 0)
      return load_frozen_reference (self, through, rules, roads, cells, units, error);
    /* Units are few: read afresh each time, not cached as roads and cells are. */
    if (units != NULL && (*units = dg_store_load_all_locked (self, DG_RECORD_UNIT, error)) == NULL)
      return FALSE;
  }

  *rules = dg_store_load_rules (self, error);
  if (*rules != NULL)
    *roads = dg_store_load_roads (self, error);
  if (*roads != NULL)
    *cells = dg_store_load_grid_cells (self, error);
  if (*cells == NULL)
    {
      g_clear_pointer (rules, dg_rule_set_unref);
      g_clear_pointer (roads, g_ptr_array_unref);
      if (units != NULL)
        g_clear_pointer (units, g_ptr_array_unref);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
dg_store_load_road_checks (DgStore     *self,
                           const char  *month,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

  return locker != NULL ? self->backend->load_road_checks (self->db, month, error) : NULL;
}

GArray *
dg_store_load_cell_months (DgStore           *self,
                           const char *const *months,
                           GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GArray) out = NULL;
  gint64 version;

  g_return_val_if_fail (months != NULL, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  version = self->backend->data_version (self->db);
  if (version != self->cell_months_data_version)
    {
      g_hash_table_remove_all (self->cell_months);
      self->cell_months_data_version = version;
    }

  out = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  for (guint m = 0; months[m] != NULL; m++)
    {
      GArray *some;

      /* The same month twice would count its cells twice. */
      for (guint k = 0; k < m; k++)
        if (strcmp (months[k], months[m]) == 0)
          goto next_month;

      some = g_hash_table_lookup (self->cell_months, months[m]);
      if (some == NULL)
        {
          some = self->backend->load_cell_months (self->db, months[m], error);
          if (some == NULL)
            return NULL;
          g_hash_table_insert (self->cell_months, g_strdup (months[m]), some);
        }
      /* The strings are interned: copying the structs is enough. */
      g_array_append_vals (out, some->data, some->len);

    next_month:
      ;
    }

  return g_steal_pointer (&out);
}

GPtrArray *
dg_store_load_dustfall_samples (DgStore           *self,
                                const char *const *months,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) all = NULL;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  all = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_DUSTFALL_SAMPLE));
  for (guint i = 0; months[i] != NULL; i++)
    {
      if (!load_structs (self, DG_RECORD_DUSTFALL_SAMPLE, months[i], all, error))
        return NULL;
    }

  return g_steal_pointer (&all);
}

GPtrArray *
dg_store_load_dustfall_history (DgStore           *self,
                                const char        *month,
                                const char *const *months,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gboolean closed = FALSE;
  gint64 through = 0;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);
  g_return_val_if_fail (month != NULL && months != NULL, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL || !self->backend->month_closed (self->db, month, &closed, &through, error))
    return NULL;

  all = g_ptr_array_new_with_free_func (record_data_free_func (DG_RECORD_DUSTFALL_HISTORY));
  if (closed && through > 0)
    {
      g_autoptr(GPtrArray) frozen = NULL;

      frozen = g_ptr_array_new_with_free_func (
        record_data_free_func (DG_RECORD_DUSTFALL_HISTORY));
      if (!load_structs_through (self, DG_RECORD_DUSTFALL_HISTORY, through, frozen, error))
        return NULL;
      for (guint i = 0; i < frozen->len; i++)
        {
          DgDustfallHistory *h = g_ptr_array_index (frozen, i);

          if (g_strv_contains (months, h->month))
            g_ptr_array_add (all, dg_dustfall_history_copy (h));
        }
      return g_steal_pointer (&all);
    }

  for (guint i = 0; months[i] != NULL; i++)
    {
      if (!load_structs (self, DG_RECORD_DUSTFALL_HISTORY, months[i], all, error))
        return NULL;
    }
  return g_steal_pointer (&all);
}

/* ---- What every backend's report loaders share ---- */

struct _DgStoreCellMonths
{
  GArray      *out;
  DgCellValue *value;
  const char  *cell_id;         /* interned */
  const char  *month;           /* interned */
};

DgStoreCellMonths *
dg_store_cell_months_new (const char *month)
{
  DgStoreCellMonths *gather = g_new0 (DgStoreCellMonths, 1);

  gather->out = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  gather->value = dg_cell_value_new ();
  gather->month = g_intern_string (month);
  return gather;
}

/* Closes the cell-month gathered so far. */
static void
finish_cell_month (DgStoreCellMonths *gather)
{
  DgCellMonth cm = { 0, };

  cm.cell_id = (char *) gather->cell_id;
  cm.month = (char *) gather->month;
  dg_cell_value_finish (gather->value, &cm);
  g_array_append_val (gather->out, cm);
}

void
dg_store_cell_months_add (DgStoreCellMonths *gather,
                          const char        *cell_id,
                          const char        *site,
                          const char        *jar,
                          gboolean           valid,
                          double             value,
                          const char        *record_id)
{
  if (gather->cell_id == NULL || strcmp (gather->cell_id, cell_id) != 0)
    {
      if (gather->cell_id != NULL)
        finish_cell_month (gather);
      gather->cell_id = g_intern_string (cell_id);
    }

  /* A cell-month with samples but no valid jar still gets an entry (缺测). */
  dg_cell_value_add (gather->value, site, jar != NULL ? jar[0] : '\0', valid, value, record_id);
}

GArray *
dg_store_cell_months_finish (DgStoreCellMonths *gather)
{
  GArray *out;

  if (gather->cell_id != NULL)
    finish_cell_month (gather);
  out = g_steal_pointer (&gather->out);
  dg_store_cell_months_free (gather);
  return out;
}

void
dg_store_cell_months_free (DgStoreCellMonths *gather)
{
  g_clear_pointer (&gather->out, g_array_unref);
  g_clear_pointer (&gather->value, dg_cell_value_free);
  g_free (gather);
}

void
dg_store_checks_add_row (GPtrArray  *checks,
                         const char *id,
                         const char *road_id,
                         const char *date,
                         const char *author,
                         gboolean    has_point,
                         int         seq,
                         const char *surface,
                         double      area_m2,
                         double      mass_g)
{
  DgRoadCheck *check = checks->len > 0 ? g_ptr_array_index (checks, checks->len - 1) : NULL;
  DgSurface s;

  if (check == NULL || strcmp (check->id, id) != 0)
    {
      check = dg_road_check_new ();
      check->id = g_strdup (id);
      check->road_id = g_strdup (road_id);
      check->date = g_strdup (date);
      check->author = g_strdup (author);
      g_ptr_array_add (checks, check);
    }
  if (has_point && dg_surface_from_string (surface, &s))
    dg_road_check_add_point (check, seq, s, NULL, area_m2, mass_g);
}
