/* dg-model.c: the records of design section 3 as plain C structs. */
#define G_LOG_DOMAIN "dg-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-dustfall.h"
#include "dg-enum.h"
#include "dg-model.h"
#include "dg-rectification.h"
#include "dg-round.h"

static const DgEnumName record_type_names[] = {
  { DG_RECORD_ROAD_CHECK, "road_check" },
  { DG_RECORD_DUSTFALL_SAMPLE, "dustfall_sample" },
  { DG_RECORD_ROAD, "road" },
  { DG_RECORD_GRID_CELL, "grid_cell" },
  { DG_RECORD_RULE, "rule" },
  { DG_RECORD_UNIT, "unit" },
  { DG_RECORD_DUSTFALL_HISTORY, "dustfall_history" },
  { DG_RECORD_RECTIFICATION, "rectification" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (record_type_names) == DG_N_RECORD_TYPES);

static const DgEnumName surface_names[] = {
  { DG_SURFACE_MAIN, "main" },
  { DG_SURFACE_SIDE, "side" },
  { DG_SURFACE_PARK, "park" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (surface_names) == DG_N_SURFACES);

static const DgEnumName rule_kind_names[] = {
  { DG_RULE_LIMIT, "limit" },
  { DG_RULE_CAP, "cap" },
  { DG_RULE_QUOTA_ROADS, "quota_roads" },
  { DG_RULE_QUOTA_POINTS, "quota_points" },
  { DG_RULE_MIN_SPACING, "min_spacing_m" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (rule_kind_names) == DG_N_RULE_KINDS);

const char *
dg_record_type_to_string (DgRecordType type)
{
  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);

  return dg_enum_to_nick (record_type_names, G_N_ELEMENTS (record_type_names), type);
}

gboolean
dg_record_type_from_string (const char   *str,
                            DgRecordType *type)
{
  int value;

  g_return_val_if_fail (type != NULL, FALSE);

  if (!dg_enum_from_nick (record_type_names, G_N_ELEMENTS (record_type_names), str, &value))
    return FALSE;

  *type = value;
  return TRUE;
}

gboolean
dg_record_type_is_reference (DgRecordType type)
{
  return type == DG_RECORD_ROAD || type == DG_RECORD_GRID_CELL || type == DG_RECORD_RULE ||
         type == DG_RECORD_UNIT || type == DG_RECORD_DUSTFALL_HISTORY;
}

const char *
dg_surface_to_string (DgSurface surface)
{
  g_return_val_if_fail ((guint) surface < DG_N_SURFACES, NULL);

  return dg_enum_to_nick (surface_names, G_N_ELEMENTS (surface_names), surface);
}

gboolean
dg_surface_from_string (const char *str,
                        DgSurface  *surface)
{
  int value;

  g_return_val_if_fail (surface != NULL, FALSE);

  if (!dg_enum_from_nick (surface_names, G_N_ELEMENTS (surface_names), str, &value))
    return FALSE;

  *surface = value;
  return TRUE;
}

const char *
dg_rule_kind_to_string (DgRuleKind kind)
{
  g_return_val_if_fail ((guint) kind < DG_N_RULE_KINDS, NULL);

  return dg_enum_to_nick (rule_kind_names, G_N_ELEMENTS (rule_kind_names), kind);
}

gboolean
dg_rule_kind_from_string (const char *str,
                          DgRuleKind *kind)
{
  int value;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (!dg_enum_from_nick (rule_kind_names, G_N_ELEMENTS (rule_kind_names), str, &value))
    return FALSE;

  *kind = value;
  return TRUE;
}

/* ---- Road ---- */

DgRoad *
dg_road_new (void)
{
  DgRoad *road = g_new0 (DgRoad, 1);

  road->surface = DG_SURFACE_MAIN;
  road->length_km = NAN;
  return road;
}

DgRoad *
dg_road_copy (const DgRoad *road)
{
  DgRoad *copy;

  g_return_val_if_fail (road != NULL, NULL);

  copy = g_memdup2 (road, sizeof *road);
  copy->id = g_strdup (road->id);
  copy->name = g_strdup (road->name);
  copy->unit = g_strdup (road->unit);
  copy->unit_id = g_strdup (road->unit_id);
  copy->geometry = road->geometry != NULL ? dg_geometry_copy (road->geometry) : NULL;
  return copy;
}

void
dg_road_free (DgRoad *road)
{
  if (road == NULL)
    return;

  g_free (road->id);
  g_free (road->name);
  g_free (road->unit);
  g_free (road->unit_id);
  dg_geometry_free (road->geometry);
  g_free (road);
}

/* ---- Unit ---- */

DgUnit *
dg_unit_new (void)
{
  return g_new0 (DgUnit, 1);
}

DgUnit *
dg_unit_copy (const DgUnit *unit)
{
  DgUnit *copy;

  g_return_val_if_fail (unit != NULL, NULL);

  copy = g_new0 (DgUnit, 1);
  copy->id = g_strdup (unit->id);
  copy->code = g_strdup (unit->code);
  copy->name = g_strdup (unit->name);
  copy->parent_id = g_strdup (unit->parent_id);
  return copy;
}

void
dg_unit_free (DgUnit *unit)
{
  if (unit == NULL)
    return;

  g_free (unit->id);
  g_free (unit->code);
  g_free (unit->name);
  g_free (unit->parent_id);
  g_free (unit);
}

/* ---- Grid cell ---- */

DgGridCell *
dg_grid_cell_new (void)
{
  DgGridCell *cell = g_new0 (DgGridCell, 1);

  cell->area_km2 = NAN;
  return cell;
}

DgGridCell *
dg_grid_cell_copy (const DgGridCell *cell)
{
  DgGridCell *copy;

  g_return_val_if_fail (cell != NULL, NULL);

  copy = g_memdup2 (cell, sizeof *cell);
  copy->id = g_strdup (cell->id);
  copy->code = g_strdup (cell->code);
  copy->name = g_strdup (cell->name);
  copy->unit = g_strdup (cell->unit);
  copy->unit_id = g_strdup (cell->unit_id);
  copy->geometry = cell->geometry != NULL ? dg_geometry_copy (cell->geometry) : NULL;
  return copy;
}

void
dg_grid_cell_free (DgGridCell *cell)
{
  if (cell == NULL)
    return;

  g_free (cell->id);
  g_free (cell->code);
  g_free (cell->name);
  g_free (cell->unit);
  g_free (cell->unit_id);
  dg_geometry_free (cell->geometry);
  g_free (cell);
}

double
dg_grid_cell_area_km2 (const DgGridCell *cell)
{
  g_return_val_if_fail (cell != NULL, NAN);

  if (isfinite (cell->area_km2))
    return cell->area_km2;
  if (cell->geometry != NULL && dg_geometry_is_area (cell->geometry))
    return dg_round (dg_geometry_area_km2 (cell->geometry), 4);

  return NAN;
}

/* ---- Rule ---- */

DgRule *
dg_rule_new (void)
{
  DgRule *rule = g_new0 (DgRule, 1);

  rule->kind = DG_RULE_LIMIT;
  rule->has_surface = FALSE;
  rule->surface = DG_SURFACE_MAIN;
  return rule;
}

DgRule *
dg_rule_copy (const DgRule *rule)
{
  DgRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_memdup2 (rule, sizeof *rule);
  copy->id = g_strdup (rule->id);
  copy->effective_from = g_strdup (rule->effective_from);
  return copy;
}

void
dg_rule_free (DgRule *rule)
{
  if (rule == NULL)
    return;

  g_free (rule->id);
  g_free (rule->effective_from);
  g_free (rule);
}

/* ---- Road check ---- */

static void
road_point_clear (gpointer data)
{
  DgRoadPoint *point = data;

  g_clear_pointer (&point->location, g_free);
  g_clear_pointer (&point->photos, g_strfreev);
}

DgRoadCheck *
dg_road_check_new (void)
{
  DgRoadCheck *check = g_new0 (DgRoadCheck, 1);

  /* Most checks have 6 to 8 points: reserving them up front saves the reallocations that
   * otherwise dominate loading millions of points. */
  check->points = g_array_sized_new (FALSE, TRUE, sizeof (DgRoadPoint), 8);
  g_array_set_clear_func (check->points, road_point_clear);
  return check;
}

DgRoadCheck *
dg_road_check_copy (const DgRoadCheck *check)
{
  DgRoadCheck *copy;

  g_return_val_if_fail (check != NULL, NULL);

  copy = dg_road_check_new ();
  copy->id = g_strdup (check->id);
  copy->road_id = g_strdup (check->road_id);
  copy->date = g_strdup (check->date);
  copy->weather = g_strdup (check->weather);
  copy->notes = g_strdup (check->notes);
  copy->started_at = g_strdup (check->started_at);
  copy->device_time = g_strdup (check->device_time);
  copy->author = g_strdup (check->author);

  if (check->points != NULL)
    {
      for (guint i = 0; i < check->points->len; i++)
        {
          const DgRoadPoint *p = &g_array_index (check->points, DgRoadPoint, i);

          DgRoadPoint *q;

          dg_road_check_add_point (copy, p->seq, p->surface, p->location, p->area_m2, p->mass_g);
          q = dg_road_check_get_point (copy, copy->points->len - 1);
          q->photos = g_strdupv (p->photos);
          q->position = p->position;
          q->has_chainage = p->has_chainage;
          q->chainage_m = p->chainage_m;
        }
    }

  return copy;
}

void
dg_road_check_free (DgRoadCheck *check)
{
  if (check == NULL)
    return;

  g_free (check->id);
  g_free (check->road_id);
  g_free (check->date);
  g_free (check->weather);
  g_free (check->notes);
  g_free (check->started_at);
  g_free (check->device_time);
  g_free (check->author);
  g_clear_pointer (&check->points, g_array_unref);
  g_free (check);
}

void
dg_road_check_add_point (DgRoadCheck *check,
                         int          seq,
                         DgSurface    surface,
                         const char  *location,
                         double       area_m2,
                         double       mass_g)
{
  DgRoadPoint point = { 0, };

  g_return_if_fail (check != NULL);
  g_return_if_fail (check->points != NULL);

  point.seq = seq;
  point.surface = surface;
  point.location = g_strdup (location);
  point.area_m2 = area_m2;
  point.mass_g = mass_g;
  g_array_append_val (check->points, point);
}

/* ---- Dust-fall sample ---- */

DgDustfallSample *
dg_dustfall_sample_new (void)
{
  DgDustfallSample *sample = g_new0 (DgDustfallSample, 1);

  sample->site = g_strdup ("1");
  sample->jar = DG_JAR_A;
  sample->diameter_cm[0] = DG_DUSTFALL_DEFAULT_DIAMETER_CM;
  for (guint i = 1; i < DG_MAX_DIAMETERS; i++)
    sample->diameter_cm[i] = NAN;
  sample->n_diameters = 1;
  sample->valid = TRUE;
  return sample;
}

DgDustfallSample *
dg_dustfall_sample_copy (const DgDustfallSample *sample)
{
  DgDustfallSample *copy;

  g_return_val_if_fail (sample != NULL, NULL);

  copy = g_memdup2 (sample, sizeof *sample);
  copy->id = g_strdup (sample->id);
  copy->cell_id = g_strdup (sample->cell_id);
  copy->site = g_strdup (sample->site);
  copy->month = g_strdup (sample->month);
  copy->start = g_strdup (sample->start);
  copy->end = g_strdup (sample->end);
  copy->notes = g_strdup (sample->notes);
  copy->photos = g_strdupv (sample->photos);
  copy->sample_code = g_strdup (sample->sample_code);
  copy->balance_id = g_strdup (sample->balance_id);
  copy->blank_id = g_strdup (sample->blank_id);
  return copy;
}

void
dg_dustfall_sample_free (DgDustfallSample *sample)
{
  if (sample == NULL)
    return;

  g_free (sample->id);
  g_free (sample->cell_id);
  g_free (sample->site);
  g_free (sample->month);
  g_free (sample->start);
  g_free (sample->end);
  g_free (sample->notes);
  g_strfreev (sample->photos);
  g_free (sample->sample_code);
  g_free (sample->balance_id);
  g_free (sample->blank_id);
  g_free (sample);
}

DgDustfallHistory *
dg_dustfall_history_new (void)
{
  DgDustfallHistory *history = g_new0 (DgDustfallHistory, 1);

  history->value = NAN;
  return history;
}

DgDustfallHistory *
dg_dustfall_history_copy (const DgDustfallHistory *history)
{
  DgDustfallHistory *copy;

  g_return_val_if_fail (history != NULL, NULL);

  copy = g_memdup2 (history, sizeof *history);
  copy->id = g_strdup (history->id);
  copy->cell_id = g_strdup (history->cell_id);
  copy->month = g_strdup (history->month);
  copy->source = g_strdup (history->source);
  return copy;
}

void
dg_dustfall_history_free (DgDustfallHistory *history)
{
  if (history == NULL)
    return;

  g_free (history->id);
  g_free (history->cell_id);
  g_free (history->month);
  g_free (history->source);
  g_free (history);
}

void
dg_record_data_free (DgRecordType type,
                     gpointer     data)
{
  if (data == NULL)
    return;

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      dg_road_check_free (data);
      break;
    case DG_RECORD_DUSTFALL_SAMPLE:
      dg_dustfall_sample_free (data);
      break;
    case DG_RECORD_ROAD:
      dg_road_free (data);
      break;
    case DG_RECORD_GRID_CELL:
      dg_grid_cell_free (data);
      break;
    case DG_RECORD_RULE:
      dg_rule_free (data);
      break;
    case DG_RECORD_UNIT:
      dg_unit_free (data);
      break;
    case DG_RECORD_DUSTFALL_HISTORY:
      dg_dustfall_history_free (data);
      break;
    case DG_RECORD_RECTIFICATION:
      dg_rectification_free (data);
      break;
    case DG_N_RECORD_TYPES:
    default:
      g_critical ("%s: unknown record type %d", G_STRFUNC, (int) type);
      break;
    }
}

static void
add_photos (GPtrArray         *photos,
            const char *const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (!g_ptr_array_find_with_equal_func (photos, names[i], g_str_equal, NULL))
        g_ptr_array_add (photos, (gpointer) names[i]);
    }
}

GPtrArray *
dg_record_data_photos (DgRecordType  type,
                       gconstpointer data)
{
  GPtrArray *photos = g_ptr_array_new ();

  g_return_val_if_fail (data != NULL, photos);

  if (type == DG_RECORD_ROAD_CHECK)
    {
      const DgRoadCheck *check = data;

      for (guint i = 0; i < check->points->len; i++)
        add_photos (photos, (const char *const *) dg_road_check_get_point (check, i)->photos);
    }
  else if (type == DG_RECORD_DUSTFALL_SAMPLE)
    add_photos (photos, (const char *const *) ((const DgDustfallSample *) data)->photos);

  return photos;
}
