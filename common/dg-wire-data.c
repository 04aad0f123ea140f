/* dg-wire-data.c: the "data" member of a change or record, one encoder and one decoder per
 * record type, and the "computed" member the server adds (design section 4). */
#define G_LOG_DOMAIN "dg-wire"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-enum.h"
#include "dg-error.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"
#include "dg-wire-private.h"

/* Rule dates, months and date-times are short; this only bounds what is copied before the
 * validator says what is wrong with it. */
#define SHORT_STRING_BYTES 64

static gboolean
get_surface (JsonObject  *object,
             const char  *member,
             DgSurface   *out,
             GError     **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, member, SHORT_STRING_BYTES, &str, error))
    return FALSE;

  if (!dg_surface_from_string (str, out))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member, "%s must be main, side or park", member);
      return FALSE;
    }

  return TRUE;
}

/* ---- Record data: decode ---- */

/* The optional `geometry` member (6.4): absent or null leaves *out NULL. */
static gboolean
get_geometry (JsonObject  *data,
              DgGeometry **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (data, "geometry");

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  *out = dg_geometry_from_json (node, "geometry", error);
  return *out != NULL;
}

/* An optional UUID member: absent, null or "" (an editor's "none") leave *out NULL; the
 * validator judges its form. */
static gboolean
get_uuid_opt (JsonObject  *data,
              const char  *member,
              char       **out,
              GError     **error)
{
  if (!dg_json_get_string_opt (data, member, SHORT_STRING_BYTES, out, error))
    return FALSE;
  if (*out != NULL && **out == '\0')
    g_clear_pointer (out, g_free);
  return TRUE;
}

/* The unit_id of a road or a grid cell (6.3); the old free-text unit stays beside it. */
static gboolean
get_unit_id (JsonObject  *data,
             char       **out,
             GError     **error)
{
  return get_uuid_opt (data, "unit_id", out, error);
}

static gpointer
unit_from_json (JsonObject  *data,
                GError     **error)
{
  g_autoptr(DgUnit) unit = dg_unit_new ();

  if (!dg_json_get_string (data, "code", DG_MAX_STRING_BYTES, &unit->code, error) ||
      !dg_json_get_string (data, "name", DG_MAX_STRING_BYTES, &unit->name, error) ||
      !get_uuid_opt (data, "parent_id", &unit->parent_id, error))
    return NULL;

  return g_steal_pointer (&unit);
}

static gpointer
road_from_json (JsonObject  *data,
                GError     **error)
{
  g_autoptr(DgRoad) road = dg_road_new ();

  if (!dg_json_get_string (data, "name", DG_MAX_STRING_BYTES, &road->name, error) ||
      !dg_json_get_string_opt (data, "unit", DG_MAX_STRING_BYTES, &road->unit, error) ||
      !get_unit_id (data, &road->unit_id, error) ||
      !get_surface (data, "surface", &road->surface, error) ||
      !dg_json_get_double_opt (data, "length_km", NAN, &road->length_km, error) ||
      !get_geometry (data, &road->geometry, error))
    return NULL;

  if (road->unit == NULL)
    road->unit = g_strdup ("");

  return g_steal_pointer (&road);
}

/* @optional: absent or null gives -1 (a cell placed by its geometry alone). */
static gboolean
get_map_index (JsonObject  *data,
               const char  *member,
               gboolean     optional,
               int         *out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (data, member);
  gint64 value;

  if (optional && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    {
      *out = -1;
      return TRUE;
    }

  if (!dg_json_get_int (data, member, 0, DG_MAP_MAX - 1, &value, error))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

static gpointer
grid_cell_from_json (JsonObject  *data,
                     GError     **error)
{
  g_autoptr(DgGridCell) cell = dg_grid_cell_new ();

  if (!dg_json_get_string (data, "code", DG_MAX_STRING_BYTES, &cell->code, error) ||
      !dg_json_get_string (data, "name", DG_MAX_STRING_BYTES, &cell->name, error) ||
      !dg_json_get_string_opt (data, "unit", DG_MAX_STRING_BYTES, &cell->unit, error) ||
      !get_unit_id (data, &cell->unit_id, error) ||
      !get_geometry (data, &cell->geometry, error) ||
      !get_map_index (data, "row", cell->geometry != NULL, &cell->row, error) ||
      !get_map_index (data, "col", cell->geometry != NULL, &cell->col, error) ||
      !dg_json_get_double_opt (data, "area_km2", NAN, &cell->area_km2, error))
    return NULL;

  if (cell->unit == NULL)
    cell->unit = g_strdup ("");

  return g_steal_pointer (&cell);
}

static gpointer
rule_from_json (JsonObject  *data,
                GError     **error)
{
  g_autoptr(DgRule) rule = dg_rule_new ();
  g_autofree char *kind = NULL;
  JsonNode *node;

  if (!dg_json_get_string (data, "kind", SHORT_STRING_BYTES, &kind, error))
    return NULL;

  if (!dg_rule_kind_from_string (kind, &rule->kind))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "kind",
                    "kind must be limit, cap, quota_roads, quota_points or min_spacing_m");
      return NULL;
    }

  node = json_object_get_member (data, "surface");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!get_surface (data, "surface", &rule->surface, error))
        return NULL;
      rule->has_surface = TRUE;
    }

  if (!dg_json_get_double (data, "value", &rule->value, error) ||
      !dg_json_get_string (data, "effective_from", SHORT_STRING_BYTES, &rule->effective_from,
                           error))
    return NULL;

  return g_steal_pointer (&rule);
}

gboolean
dg_wire_get_photos (JsonObject  *object,
            GStrv       *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, "photos");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "photos", "photos must be an array");
      return FALSE;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  /* Refuse a long list before reading it; validation says the same of a shorter one too long. */
  if (n > DG_MAX_PHOTOS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "photos", "photos must hold at most %d photos",
                    DG_MAX_PHOTOS);
      return FALSE;
    }
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *field = g_strdup_printf ("photos[%u]", i);

          dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must be a string", field);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  if (n > 0)
    *out = g_strv_builder_end (builder);
  return TRUE;
}

/* "position": absent, or {"lat","lon","accuracy_m"?}. */
static gboolean
get_position (JsonObject  *object,
              DgPosition  *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, "position");
  g_autoptr(GError) local_error = NULL;
  JsonObject *position;
  double accuracy;

  memset (out, 0, sizeof *out);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "position", "position must be an object");
      return FALSE;
    }
  position = json_node_get_object (node);
  if (!dg_json_get_double (position, "lat", &out->lat, &local_error) ||
      !dg_json_get_double (position, "lon", &out->lon, &local_error) ||
      !dg_json_get_double_opt (position, "accuracy_m", NAN, &accuracy, &local_error))
    {
      dg_error_prefix_field (local_error, "position");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  out->set = TRUE;
  out->has_accuracy = !isnan (accuracy);
  out->accuracy_m = out->has_accuracy ? accuracy : 0.0;
  return TRUE;
}

void
dg_wire_set_photos (JsonObject        *object,
                    const char *const *photos)
{
  JsonArray *array;

  if (photos == NULL || photos[0] == NULL)
    return;
  array = json_array_new ();
  for (guint i = 0; photos[i] != NULL; i++)
    json_array_add_string_element (array, photos[i]);
  json_object_set_array_member (object, "photos", array);
}

static void
set_position (JsonObject       *object,
              const DgPosition *position)
{
  JsonObject *p;

  if (!position->set)
    return;
  p = json_object_new ();
  json_object_set_double_member (p, "lat", position->lat);
  json_object_set_double_member (p, "lon", position->lon);
  if (position->has_accuracy)
    json_object_set_double_member (p, "accuracy_m", position->accuracy_m);
  json_object_set_object_member (object, "position", p);
}

static gboolean
road_point_from_json (DgRoadCheck  *check,
                      JsonNode     *node,
                      GError      **error)
{
  JsonObject *object;
  gint64 seq;
  DgSurface surface;
  g_autofree char *location = NULL;
  double area_m2, mass_g, chainage_m;
  g_auto(GStrv) photos = NULL;
  DgPosition position;
  DgRoadPoint *point;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "must be an object");
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!dg_json_get_int (object, "seq", 1, G_MAXINT, &seq, error) ||
      !get_surface (object, "surface", &surface, error) ||
      !dg_json_get_string_opt (object, "location", DG_MAX_STRING_BYTES, &location, error) ||
      !dg_json_get_double_opt (object, "area_m2", 1.0, &area_m2, error) ||
      !dg_json_get_double (object, "mass_g", &mass_g, error) ||
      !dg_wire_get_photos (object, &photos, error) ||
      !get_position (object, &position, error) ||
      !dg_json_get_double_opt (object, "chainage_m", NAN, &chainage_m, error))
    return FALSE;

  dg_road_check_add_point (check, (int) seq, surface, location != NULL ? location : "",
                           area_m2, mass_g);
  point = dg_road_check_get_point (check, check->points->len - 1);
  point->photos = g_steal_pointer (&photos);
  point->position = position;
  point->has_chainage = !isnan (chainage_m);
  point->chainage_m = point->has_chainage ? chainage_m : 0.0;
  return TRUE;
}

static gpointer
road_check_from_json (JsonObject  *data,
                      GError     **error)
{
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  JsonArray *points;
  guint n_points;

  if (!dg_json_get_string (data, "road_id", SHORT_STRING_BYTES, &check->road_id, error) ||
      !dg_json_get_string (data, "date", SHORT_STRING_BYTES, &check->date, error) ||
      !dg_json_get_string_opt (data, "started_at", SHORT_STRING_BYTES, &check->started_at,
                               error) ||
      !dg_json_get_string_opt (data, "device_time", SHORT_STRING_BYTES, &check->device_time,
                               error) ||
      !dg_json_get_string_opt (data, "weather", DG_MAX_STRING_BYTES, &check->weather, error) ||
      !dg_json_get_string_opt (data, "notes", DG_MAX_NOTES_BYTES, &check->notes, error) ||
      !dg_json_get_array (data, "points", &points, error))
    return NULL;

  /* Refuse an oversized list before decoding a single point of it. */
  n_points = json_array_get_length (points);
  if (n_points > DG_MAX_POINTS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "points",
                    "points must hold at most %d points", DG_MAX_POINTS);
      return NULL;
    }

  for (guint i = 0; i < n_points; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!road_point_from_json (check, json_array_get_element (points, i), &local_error))
        {
          g_autofree char *prefix = g_strdup_printf ("points[%u]", i);

          /* "must be an object" has no field of its own: the path is the element's. */
          if (dg_error_get_field (local_error) == NULL)
            {
              g_autofree char *message = g_strdup_printf ("%s %s", prefix, local_error->message);

              dg_set_error (error, DG_ERROR_INVALID_FIELD, prefix, "%s", message);
              return NULL;
            }

          dg_error_prefix_field (local_error, prefix);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  return g_steal_pointer (&check);
}

/* "diameter_cm": absent (the standard 15 cm jar), one number, or an array of 1 to 4. */
static gboolean
diameters_from_json (DgDustfallSample  *sample,
                     JsonObject        *data,
                     GError           **error)
{
  JsonNode *node = json_object_get_member (data, "diameter_cm");
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sample->diameter_cm[0] = DG_DUSTFALL_DEFAULT_DIAMETER_CM;
      sample->n_diameters = 1;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (!dg_json_get_double (data, "diameter_cm", &value, error))
        return FALSE;
      sample->diameter_cm[0] = value;
      sample->n_diameters = 1;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (n < 1 || n > DG_MAX_DIAMETERS)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "diameter_cm",
                        "diameter_cm must hold 1 to %d measurements", DG_MAX_DIAMETERS);
          return FALSE;
        }

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *field = g_strdup_printf ("diameter_cm[%u]", i);
          GType type = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_value_type (element)
                                                       : G_TYPE_INVALID;

          if (type == G_TYPE_INT64)
            value = (double) json_node_get_int (element);
          else if (type == G_TYPE_DOUBLE)
            value = json_node_get_double (element);
          else
            {
              dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must be a number", field);
              return FALSE;
            }

          if (!isfinite (value))
            {
              dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                            "%s must be a finite number", field);
              return FALSE;
            }

          sample->diameter_cm[i] = value;
        }

      for (guint i = n; i < DG_MAX_DIAMETERS; i++)
        sample->diameter_cm[i] = NAN;
      sample->n_diameters = n;
      return TRUE;
    }

  dg_set_error (error, DG_ERROR_INVALID_FIELD, "diameter_cm",
                "diameter_cm must be a number or an array of numbers");
  return FALSE;
}

static gpointer
dustfall_sample_from_json (JsonObject  *data,
                           GError     **error)
{
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autofree char *site = NULL;
  g_autofree char *jar = NULL;

  if (!dg_json_get_string (data, "cell_id", SHORT_STRING_BYTES, &sample->cell_id, error) ||
      !dg_json_get_string_opt (data, "site", DG_MAX_STRING_BYTES, &site, error) ||
      !dg_json_get_string (data, "jar", SHORT_STRING_BYTES, &jar, error))
    return NULL;

  if (site != NULL)
    {
      g_free (sample->site);
      sample->site = g_steal_pointer (&site);
    }

  if (strcmp (jar, "A") == 0)
    sample->jar = DG_JAR_A;
  else if (strcmp (jar, "B") == 0)
    sample->jar = DG_JAR_B;
  else
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "jar", "jar must be A or B");
      return NULL;
    }

  if (!dg_json_get_string (data, "month", SHORT_STRING_BYTES, &sample->month, error) ||
      !dg_json_get_string (data, "start", SHORT_STRING_BYTES, &sample->start, error) ||
      !dg_json_get_string (data, "end", SHORT_STRING_BYTES, &sample->end, error) ||
      !diameters_from_json (sample, data, error) ||
      !dg_json_get_double (data, "w0_g", &sample->w0_g, error) ||
      !dg_json_get_double (data, "w1_g", &sample->w1_g, error) ||
      !dg_json_get_double (data, "wc_g", &sample->wc_g, error) ||
      !dg_json_get_bool_opt (data, "valid", TRUE, &sample->valid, error) ||
      !dg_json_get_string_opt (data, "notes", DG_MAX_NOTES_BYTES, &sample->notes, error) ||
      !dg_wire_get_photos (data, &sample->photos, error) ||
      !get_position (data, &sample->position, error) ||
      !dg_json_get_string_opt (data, "sample_code", DG_MAX_STRING_BYTES, &sample->sample_code,
                               error) ||
      !dg_json_get_string_opt (data, "balance_id", DG_MAX_STRING_BYTES, &sample->balance_id,
                               error) ||
      !dg_json_get_string_opt (data, "blank_id", DG_MAX_STRING_BYTES, &sample->blank_id, error))
    return NULL;

  return g_steal_pointer (&sample);
}

static gpointer
dustfall_history_from_json (JsonObject  *data,
                            GError     **error)
{
  g_autoptr(DgDustfallHistory) history = dg_dustfall_history_new ();

  if (!dg_json_get_string (data, "cell_id", SHORT_STRING_BYTES, &history->cell_id, error) ||
      !dg_json_get_string (data, "month", SHORT_STRING_BYTES, &history->month, error) ||
      !dg_json_get_double (data, "value", &history->value, error) ||
      !dg_json_get_string (data, "source", DG_MAX_STRING_BYTES, &history->source, error))
    return NULL;

  return g_steal_pointer (&history);
}

static gboolean
validate_data (DgRecordType   type,
               gconstpointer  data,
               GError       **error)
{
  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return dg_road_check_validate (data, error);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return dg_dustfall_sample_validate (data, error);
    case DG_RECORD_ROAD:
      return dg_road_validate (data, error);
    case DG_RECORD_GRID_CELL:
      return dg_grid_cell_validate (data, error);
    case DG_RECORD_RULE:
      return dg_rule_validate (data, error);
    case DG_RECORD_UNIT:
      return dg_unit_validate (data, error);
    case DG_RECORD_DUSTFALL_HISTORY:
      return dg_dustfall_history_validate (data, error);
    case DG_RECORD_RECTIFICATION:
      return dg_rectification_validate (data, error);
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* The id is stored in the struct before validation, which checks it too. */
static void
set_data_id (DgRecordType  type,
             gpointer      data,
             const char   *id)
{
  char **slot = NULL;

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      slot = &((DgRoadCheck *) data)->id;
      break;
    case DG_RECORD_DUSTFALL_SAMPLE:
      slot = &((DgDustfallSample *) data)->id;
      break;
    case DG_RECORD_ROAD:
      slot = &((DgRoad *) data)->id;
      break;
    case DG_RECORD_GRID_CELL:
      slot = &((DgGridCell *) data)->id;
      break;
    case DG_RECORD_RULE:
      slot = &((DgRule *) data)->id;
      break;
    case DG_RECORD_UNIT:
      slot = &((DgUnit *) data)->id;
      break;
    case DG_RECORD_DUSTFALL_HISTORY:
      slot = &((DgDustfallHistory *) data)->id;
      break;
    case DG_RECORD_RECTIFICATION:
      slot = &((DgRectification *) data)->id;
      break;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }

  g_free (*slot);
  *slot = g_strdup (id);
}

gpointer
dg_record_data_from_json (DgRecordType   type,
                          const char    *id,
                          JsonObject    *data,
                          GError       **error)
{
  gpointer record = NULL;

  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      record = road_check_from_json (data, error);
      break;
    case DG_RECORD_DUSTFALL_SAMPLE:
      record = dustfall_sample_from_json (data, error);
      break;
    case DG_RECORD_ROAD:
      record = road_from_json (data, error);
      break;
    case DG_RECORD_GRID_CELL:
      record = grid_cell_from_json (data, error);
      break;
    case DG_RECORD_RULE:
      record = rule_from_json (data, error);
      break;
    case DG_RECORD_UNIT:
      record = unit_from_json (data, error);
      break;
    case DG_RECORD_DUSTFALL_HISTORY:
      record = dustfall_history_from_json (data, error);
      break;
    case DG_RECORD_RECTIFICATION:
      record = dg_wire_rectification_from_json (data, error);
      break;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }

  if (record == NULL)
    return NULL;

  set_data_id (type, record, id);

  if (!validate_data (type, record, error))
    {
      dg_record_data_free (type, record);
      return NULL;
    }

  return record;
}

/* ---- Record data: encode ---- */

static JsonObject *
road_to_json (const DgRoad *road)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", road->name != NULL ? road->name : "");
  json_object_set_string_member (object, "unit", road->unit != NULL ? road->unit : "");
  /* Only when there is one: a road of the first version keeps its spelling, and its hash. */
  if (road->unit_id != NULL)
    json_object_set_string_member (object, "unit_id", road->unit_id);
  json_object_set_string_member (object, "surface", dg_surface_to_string (road->surface));
  if (isfinite (road->length_km))
    json_object_set_double_member (object, "length_km", road->length_km);
  if (road->geometry != NULL)
    json_object_set_member (object, "geometry", dg_geometry_to_json (road->geometry));

  return object;
}

static JsonObject *
grid_cell_to_json (const DgGridCell *cell)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "code", cell->code != NULL ? cell->code : "");
  json_object_set_string_member (object, "name", cell->name != NULL ? cell->name : "");
  json_object_set_string_member (object, "unit", cell->unit != NULL ? cell->unit : "");
  if (cell->unit_id != NULL)
    json_object_set_string_member (object, "unit_id", cell->unit_id);
  /* Only a cell with geometry may lack its place (-1); one without keeps the old spelling. */
  if (cell->row >= 0 || cell->geometry == NULL)
    json_object_set_int_member (object, "row", cell->row);
  if (cell->col >= 0 || cell->geometry == NULL)
    json_object_set_int_member (object, "col", cell->col);
  if (isfinite (cell->area_km2))
    json_object_set_double_member (object, "area_km2", cell->area_km2);
  if (cell->geometry != NULL)
    json_object_set_member (object, "geometry", dg_geometry_to_json (cell->geometry));

  return object;
}

static JsonObject *
unit_to_json (const DgUnit *unit)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "code", unit->code != NULL ? unit->code : "");
  json_object_set_string_member (object, "name", unit->name != NULL ? unit->name : "");
  if (unit->parent_id != NULL)
    json_object_set_string_member (object, "parent_id", unit->parent_id);

  return object;
}

static JsonObject *
rule_to_json (const DgRule *rule)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "kind", dg_rule_kind_to_string (rule->kind));
  if (rule->has_surface)
    json_object_set_string_member (object, "surface", dg_surface_to_string (rule->surface));

  /* Quotas count roads and points: written as the integers they are. */
  if (rule->kind == DG_RULE_QUOTA_ROADS || rule->kind == DG_RULE_QUOTA_POINTS)
    json_object_set_int_member (object, "value", (gint64) rule->value);
  else
    json_object_set_double_member (object, "value", rule->value);

  dg_wire_set_string_or_null (object, "effective_from", rule->effective_from);

  return object;
}

static JsonObject *
road_check_to_json (const DgRoadCheck *check)
{
  JsonObject *object = json_object_new ();
  JsonArray *points = json_array_new ();
  guint n_points = check->points != NULL ? check->points->len : 0;

  dg_wire_set_string_or_null (object, "road_id", check->road_id);
  dg_wire_set_string_or_null (object, "date", check->date);
  if (check->started_at != NULL)
    json_object_set_string_member (object, "started_at", check->started_at);
  if (check->device_time != NULL)
    json_object_set_string_member (object, "device_time", check->device_time);
  if (check->weather != NULL)
    json_object_set_string_member (object, "weather", check->weather);
  if (check->notes != NULL)
    json_object_set_string_member (object, "notes", check->notes);

  for (guint i = 0; i < n_points; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);
      JsonObject *p = json_object_new ();

      json_object_set_int_member (p, "seq", point->seq);
      json_object_set_string_member (p, "surface", dg_surface_to_string (point->surface));
      json_object_set_string_member (p, "location",
                                     point->location != NULL ? point->location : "");
      json_object_set_double_member (p, "area_m2", point->area_m2);
      json_object_set_double_member (p, "mass_g", point->mass_g);
      /* Design 6.2's members only when present: a check without them keeps the canonical
       * JSON, and so the hash, it always had. */
      dg_wire_set_photos (p, (const char *const *) point->photos);
      set_position (p, &point->position);
      if (point->has_chainage)
        json_object_set_double_member (p, "chainage_m", point->chainage_m);
      json_array_add_object_element (points, p);
    }
  json_object_set_array_member (object, "points", points);

  return object;
}

static JsonObject *
dustfall_sample_to_json (const DgDustfallSample *sample)
{
  JsonObject *object = json_object_new ();
  JsonArray *diameters = json_array_new ();
  char jar[2] = { sample->jar, '\0' };

  dg_wire_set_string_or_null (object, "cell_id", sample->cell_id);
  json_object_set_string_member (object, "site", sample->site != NULL ? sample->site : "1");
  json_object_set_string_member (object, "jar", jar);
  dg_wire_set_string_or_null (object, "month", sample->month);
  dg_wire_set_string_or_null (object, "start", sample->start);
  dg_wire_set_string_or_null (object, "end", sample->end);

  /* Always an array, even for the one default measurement: one spelling, one hash. */
  for (guint i = 0; i < sample->n_diameters && i < DG_MAX_DIAMETERS; i++)
    json_array_add_double_element (diameters, sample->diameter_cm[i]);
  json_object_set_array_member (object, "diameter_cm", diameters);

  json_object_set_double_member (object, "w0_g", sample->w0_g);
  json_object_set_double_member (object, "w1_g", sample->w1_g);
  json_object_set_double_member (object, "wc_g", sample->wc_g);
  json_object_set_boolean_member (object, "valid", sample->valid);
  if (sample->notes != NULL)
    json_object_set_string_member (object, "notes", sample->notes);
  dg_wire_set_photos (object, (const char *const *) sample->photos);
  set_position (object, &sample->position);
  if (sample->sample_code != NULL)
    json_object_set_string_member (object, "sample_code", sample->sample_code);
  if (sample->balance_id != NULL)
    json_object_set_string_member (object, "balance_id", sample->balance_id);
  if (sample->blank_id != NULL)
    json_object_set_string_member (object, "blank_id", sample->blank_id);

  return object;
}

static JsonObject *
dustfall_history_to_json (const DgDustfallHistory *history)
{
  JsonObject *object = json_object_new ();

  dg_wire_set_string_or_null (object, "cell_id", history->cell_id);
  dg_wire_set_string_or_null (object, "month", history->month);
  json_object_set_double_member (object, "value", history->value);
  dg_wire_set_string_or_null (object, "source", history->source);

  return object;
}

JsonObject *
dg_record_data_to_json (DgRecordType  type,
                        gconstpointer data)
{
  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return road_check_to_json (data);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return dustfall_sample_to_json (data);
    case DG_RECORD_ROAD:
      return road_to_json (data);
    case DG_RECORD_GRID_CELL:
      return grid_cell_to_json (data);
    case DG_RECORD_RULE:
      return rule_to_json (data);
    case DG_RECORD_UNIT:
      return unit_to_json (data);
    case DG_RECORD_DUSTFALL_HISTORY:
      return dustfall_history_to_json (data);
    case DG_RECORD_RECTIFICATION:
      return dg_wire_rectification_to_json (data);
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Computed ---- */

/* A cell with its shape and no given area gets the geodesic one (6.4); others compute nothing. */
static JsonObject *
grid_cell_computed_to_json (const DgGridCell *cell)
{
  JsonObject *object;

  if (isfinite (cell->area_km2) || cell->geometry == NULL)
    return NULL;

  object = json_object_new ();
  json_object_set_double_member (object, "area_km2", dg_grid_cell_area_km2 (cell));
  return object;
}

static JsonObject *
road_check_computed_to_json (const DgRoadCheck     *check,
                             const DgRuleSet       *rules,
                             const DgCheckEvidence *evidence)
{
  g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);
  g_autofree const char **doubts = dg_doubt_flags_names (dg_road_check_doubts (check, rules,
                                                                               evidence));
  JsonObject *object = json_object_new ();
  JsonArray *groups = json_array_new ();
  JsonArray *points = json_array_new ();
  JsonArray *flags = json_array_new ();

  json_object_set_boolean_member (object, "complete", result->complete);
  json_object_set_boolean_member (object, "pass", result->pass);
  json_object_set_int_member (object, "points_over", result->points_over);
  dg_wire_set_double_or_null (object, "max", TRUE, result->max);

  for (guint i = 0; i < result->groups->len; i++)
    {
      const DgGroupResult *g = &g_array_index (result->groups, DgGroupResult, i);
      JsonObject *go = json_object_new ();

      json_object_set_string_member (go, "surface", dg_surface_to_string (g->surface));
      dg_wire_set_double_or_null (go, "mean", TRUE, g->mean);
      dg_wire_set_double_or_null (go, "limit", TRUE, g->limit);
      json_object_set_boolean_member (go, "pass", g->pass);
      json_array_add_object_element (groups, go);
    }
  json_object_set_array_member (object, "groups", groups);

  for (guint i = 0; i < result->points->len; i++)
    {
      const DgPointResult *p = &g_array_index (result->points, DgPointResult, i);
      JsonObject *po = json_object_new ();

      json_object_set_int_member (po, "seq", p->seq);
      dg_wire_set_double_or_null (po, "load", TRUE, p->load);
      dg_wire_set_double_or_null (po, "limit", TRUE, p->limit);
      json_object_set_boolean_member (po, "pass", p->pass);
      json_array_add_object_element (points, po);
    }
  json_object_set_array_member (object, "points", points);

  for (guint i = 0; doubts[i] != NULL; i++)
    json_array_add_string_element (flags, doubts[i]);
  json_object_set_array_member (object, "flags", flags);

  return object;
}

static JsonObject *
dustfall_computed_to_json (const DgDustfallSample *sample)
{
  JsonObject *object = json_object_new ();
  JsonArray *flags = json_array_new ();
  DgDustfallResult result;
  gboolean ok;

  /* Stored samples passed validation, so this only fails on a struct built by hand: its figures
   * are then unknown (null) rather than a plausible-looking zero. */
  ok = dg_dustfall_compute (sample, &result, NULL);

  dg_wire_set_double_or_null (object, "days", ok, ok ? result.days : NAN);
  dg_wire_set_double_or_null (object, "diameter_cm", ok, ok ? result.diameter_cm : NAN);
  dg_wire_set_double_or_null (object, "area_cm2", ok, ok ? result.area_cm2 : NAN);
  dg_wire_set_double_or_null (object, "value", ok, ok ? result.value : NAN);

  for (guint i = 0; ok && i < DG_DUSTFALL_N_FLAGS; i++)
    {
      if (result.flags & (1u << i))
        json_array_add_string_element (flags, dg_dustfall_flag_to_string (i));
    }
  json_object_set_array_member (object, "flags", flags);

  return object;
}

JsonObject *
dg_record_computed_to_json (DgRecordType     type,
                            gconstpointer    data,
                            const DgRuleSet *rules)
{
  return dg_record_computed_to_json_with_evidence (type, data, rules, NULL);
}

JsonObject *
dg_record_computed_to_json_with_evidence (DgRecordType           type,
                                          gconstpointer          data,
                                          const DgRuleSet       *rules,
                                          const DgCheckEvidence *evidence)
{
  g_autoptr(DgRuleSet) defaults = NULL;

  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  /* Without rules at hand (a client before its first pull), judge by the defaults. */
  if (rules == NULL)
    rules = defaults = dg_rule_set_new_default ();

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return road_check_computed_to_json (data, rules, evidence);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return dustfall_computed_to_json (data);
    case DG_RECORD_GRID_CELL:
      return grid_cell_computed_to_json (data);
    case DG_RECORD_ROAD:
    case DG_RECORD_RULE:
    case DG_RECORD_UNIT:
    case DG_RECORD_DUSTFALL_HISTORY:
    case DG_RECORD_RECTIFICATION:
      return NULL;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}
