/* dg-wire.c: the JSON wire format of design section 4.
 *
 * Decoders read every member through the dg_json_get_* helpers, so a member of the wrong type
 * is an invalid_field error naming it, never a json-glib critical; then the decoded struct goes
 * through the validators of dg-validate.c, the one place that judges a record. Encoders write
 * the normalized form: known members only, defaults filled in, optional members omitted when
 * absent, doubles as doubles, so that the canonical text of a record is stable however a client
 * spelled it.
 */
#define G_LOG_DOMAIN "dg-wire"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-enum.h"
#include "dg-error.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"

/* Rule dates, months and date-times are short; this only bounds what is copied before the
 * validator says what is wrong with it. */
#define SHORT_STRING_BYTES 64

/* ---- Small helpers ---- */

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
set_double_or_null (JsonObject *object,
                    const char *member,
                    gboolean    present,
                    double      value)
{
  if (present && isfinite (value))
    json_object_set_double_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
set_bool_or_null (JsonObject *object,
                  const char *member,
                  gboolean    present,
                  gboolean    value)
{
  if (present)
    json_object_set_boolean_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

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

/* json_node_copy() of json-glib 1.6 shares the objects and arrays it holds; a copied record
 * must not change when the original's data is edited. */
static JsonNode *deep_copy_node (JsonNode *node);

static JsonObject *
deep_copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            deep_copy_node (json_object_get_member (object, l->data)));

  return copy;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      copy = json_node_alloc ();
      json_node_init_object (copy, NULL);
      json_node_take_object (copy, deep_copy_object (json_node_get_object (node)));
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (array_copy, deep_copy_node (json_array_get_element (array, i)));

      copy = json_node_alloc ();
      json_node_init_array (copy, NULL);
      json_node_take_array (copy, array_copy);
      return copy;
    }

  return json_node_copy (node);
}

static JsonObject *
copy_object_or_null (JsonObject *object)
{
  return object != NULL ? deep_copy_object (object) : NULL;
}

/* ---- Record data: decode ---- */

static gpointer
road_from_json (JsonObject  *data,
                GError     **error)
{
  g_autoptr(DgRoad) road = dg_road_new ();

  if (!dg_json_get_string (data, "name", DG_MAX_STRING_BYTES, &road->name, error) ||
      !dg_json_get_string_opt (data, "unit", DG_MAX_STRING_BYTES, &road->unit, error) ||
      !get_surface (data, "surface", &road->surface, error) ||
      !dg_json_get_double_opt (data, "length_km", NAN, &road->length_km, error))
    return NULL;

  if (road->unit == NULL)
    road->unit = g_strdup ("");

  return g_steal_pointer (&road);
}

static gboolean
get_map_index (JsonObject  *data,
               const char  *member,
               int         *out,
               GError     **error)
{
  gint64 value;

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
      !get_map_index (data, "row", &cell->row, error) ||
      !get_map_index (data, "col", &cell->col, error) ||
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
                    "kind must be limit, cap, quota_roads or quota_points");
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

static gboolean
road_point_from_json (DgRoadCheck  *check,
                      JsonNode     *node,
                      GError      **error)
{
  JsonObject *object;
  gint64 seq;
  DgSurface surface;
  g_autofree char *location = NULL;
  double area_m2, mass_g;

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
      !dg_json_get_double (object, "mass_g", &mass_g, error))
    return FALSE;

  dg_road_check_add_point (check, (int) seq, surface, location != NULL ? location : "",
                           area_m2, mass_g);
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
      !dg_json_get_string_opt (data, "notes", DG_MAX_NOTES_BYTES, &sample->notes, error))
    return NULL;

  return g_steal_pointer (&sample);
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
  json_object_set_string_member (object, "surface", dg_surface_to_string (road->surface));
  if (isfinite (road->length_km))
    json_object_set_double_member (object, "length_km", road->length_km);

  return object;
}

static JsonObject *
grid_cell_to_json (const DgGridCell *cell)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "code", cell->code != NULL ? cell->code : "");
  json_object_set_string_member (object, "name", cell->name != NULL ? cell->name : "");
  json_object_set_string_member (object, "unit", cell->unit != NULL ? cell->unit : "");
  json_object_set_int_member (object, "row", cell->row);
  json_object_set_int_member (object, "col", cell->col);
  if (isfinite (cell->area_km2))
    json_object_set_double_member (object, "area_km2", cell->area_km2);

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

  set_string_or_null (object, "effective_from", rule->effective_from);

  return object;
}

static JsonObject *
road_check_to_json (const DgRoadCheck *check)
{
  JsonObject *object = json_object_new ();
  JsonArray *points = json_array_new ();
  guint n_points = check->points != NULL ? check->points->len : 0;

  set_string_or_null (object, "road_id", check->road_id);
  set_string_or_null (object, "date", check->date);
  if (check->started_at != NULL)
    json_object_set_string_member (object, "started_at", check->started_at);
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

  set_string_or_null (object, "cell_id", sample->cell_id);
  json_object_set_string_member (object, "site", sample->site != NULL ? sample->site : "1");
  json_object_set_string_member (object, "jar", jar);
  set_string_or_null (object, "month", sample->month);
  set_string_or_null (object, "start", sample->start);
  set_string_or_null (object, "end", sample->end);

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
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Computed ---- */

static JsonObject *
road_check_computed_to_json (const DgRoadCheck *check,
                             const DgRuleSet   *rules)
{
  g_autoptr(DgCheckResult) result = dg_road_check_evaluate (check, rules);
  JsonObject *object = json_object_new ();
  JsonArray *groups = json_array_new ();
  JsonArray *points = json_array_new ();

  json_object_set_boolean_member (object, "complete", result->complete);
  json_object_set_boolean_member (object, "pass", result->pass);
  json_object_set_int_member (object, "points_over", result->points_over);
  set_double_or_null (object, "max", TRUE, result->max);

  for (guint i = 0; i < result->groups->len; i++)
    {
      const DgGroupResult *g = &g_array_index (result->groups, DgGroupResult, i);
      JsonObject *go = json_object_new ();

      json_object_set_string_member (go, "surface", dg_surface_to_string (g->surface));
      set_double_or_null (go, "mean", TRUE, g->mean);
      set_double_or_null (go, "limit", TRUE, g->limit);
      json_object_set_boolean_member (go, "pass", g->pass);
      json_array_add_object_element (groups, go);
    }
  json_object_set_array_member (object, "groups", groups);

  for (guint i = 0; i < result->points->len; i++)
    {
      const DgPointResult *p = &g_array_index (result->points, DgPointResult, i);
      JsonObject *po = json_object_new ();

      json_object_set_int_member (po, "seq", p->seq);
      set_double_or_null (po, "load", TRUE, p->load);
      set_double_or_null (po, "limit", TRUE, p->limit);
      json_object_set_boolean_member (po, "pass", p->pass);
      json_array_add_object_element (points, po);
    }
  json_object_set_array_member (object, "points", points);

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

  set_double_or_null (object, "days", ok, ok ? result.days : NAN);
  set_double_or_null (object, "diameter_cm", ok, ok ? result.diameter_cm : NAN);
  set_double_or_null (object, "area_cm2", ok, ok ? result.area_cm2 : NAN);
  set_double_or_null (object, "value", ok, ok ? result.value : NAN);

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
  g_autoptr(DgRuleSet) defaults = NULL;

  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  /* Without rules at hand (a client before its first pull), judge by the defaults. */
  if (rules == NULL)
    rules = defaults = dg_rule_set_new_default ();

  switch (type)
    {
    case DG_RECORD_ROAD_CHECK:
      return road_check_computed_to_json (data, rules);
    case DG_RECORD_DUSTFALL_SAMPLE:
      return dustfall_computed_to_json (data);
    case DG_RECORD_ROAD:
    case DG_RECORD_GRID_CELL:
    case DG_RECORD_RULE:
      return NULL;
    case DG_N_RECORD_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- CHANGE ---- */

static gboolean
get_record_type (JsonObject    *object,
                 DgRecordType  *type,
                 GError       **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, "type", SHORT_STRING_BYTES, &str, error))
    return FALSE;

  if (!dg_record_type_from_string (str, type))
    {
      dg_set_error (error, DG_ERROR_UNKNOWN_TYPE, "type", "type \"%s\" is not known", str);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_uuid (JsonObject  *object,
          const char  *member,
          char       **out,
          GError     **error)
{
  g_autofree char *str = NULL;

  if (!dg_json_get_string (object, member, SHORT_STRING_BYTES, &str, error))
    return FALSE;

  if (!dg_uuid_is_valid (str))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member, "%s must be a UUID", member);
      return FALSE;
    }

  *out = g_steal_pointer (&str);
  return TRUE;
}

/* "data": an object, or absent or null when @allow_null. Returns a new reference or NULL. */
static gboolean
get_data_object (JsonObject   *object,
                 const char   *member,
                 gboolean      allow_null,
                 JsonObject  **out,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *value;

  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && allow_null)
    {
      *out = NULL;
      return TRUE;
    }

  if (!dg_json_get_object (object, member, &value, error))
    return FALSE;

  *out = json_object_ref (value);
  return TRUE;
}

DgChange *
dg_change_new (DgRecordType  type,
               const char   *id,
               gint64        base_rev,
               gboolean      deleted,
               JsonObject   *data)
{
  DgChange *change;

  g_return_val_if_fail ((guint) type < DG_N_RECORD_TYPES, NULL);

  change = g_new0 (DgChange, 1);
  change->type = type;
  change->id = g_strdup (id);
  change->base_rev = base_rev;
  change->deleted = deleted;
  change->data = data != NULL ? json_object_ref (data) : NULL;
  return change;
}

void
dg_change_free (DgChange *change)
{
  if (change == NULL)
    return;

  g_free (change->id);
  g_clear_pointer (&change->data, json_object_unref);
  g_free (change);
}

DgChange *
dg_change_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgChange) change = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A change must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  change = g_new0 (DgChange, 1);

  if (!get_record_type (object, &change->type, error) ||
      !get_uuid (object, "id", &change->id, error) ||
      !dg_json_get_int (object, "base_rev", 0, G_MAXINT64, &change->base_rev, error) ||
      !dg_json_get_bool_opt (object, "deleted", FALSE, &change->deleted, error) ||
      !get_data_object (object, "data", change->deleted, &change->data, error))
    return NULL;

  return g_steal_pointer (&change);
}

JsonNode *
dg_change_to_json (const DgChange *change)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (change != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", dg_record_type_to_string (change->type));
  set_string_or_null (object, "id", change->id);
  json_object_set_int_member (object, "base_rev", change->base_rev);
  if (change->deleted)
    json_object_set_boolean_member (object, "deleted", TRUE);
  if (change->data != NULL)
    json_object_set_object_member (object, "data", json_object_ref (change->data));

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

/* ---- RECORD ---- */

static const DgEnumName state_names[] = {
  { DG_RECORD_STATE_ACTIVE, "active" },
  { DG_RECORD_STATE_RETURNED, "returned" },
};

const char *
dg_record_state_to_string (DgRecordState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);

  return dg_enum_to_nick (state_names, G_N_ELEMENTS (state_names), state);
}

gboolean
dg_record_state_from_string (const char    *str,
                             DgRecordState *state)
{
  int value;

  g_return_val_if_fail (state != NULL, FALSE);

  if (!dg_enum_from_nick (state_names, G_N_ELEMENTS (state_names), str, &value))
    return FALSE;

  *state = value;
  return TRUE;
}

DgRecord *
dg_record_new (void)
{
  DgRecord *record = g_new0 (DgRecord, 1);

  record->state = DG_RECORD_STATE_ACTIVE;
  return record;
}

void
dg_record_free (DgRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->author);
  g_free (record->updated_at);
  g_free (record->reason);
  g_clear_pointer (&record->data, json_object_unref);
  g_clear_pointer (&record->computed, json_object_unref);
  g_free (record);
}

DgRecord *
dg_record_copy (const DgRecord *record)
{
  DgRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->author = g_strdup (record->author);
  copy->updated_at = g_strdup (record->updated_at);
  copy->reason = g_strdup (record->reason);
  copy->data = copy_object_or_null (record->data);
  copy->computed = copy_object_or_null (record->computed);
  return copy;
}

JsonNode *
dg_record_to_json (const DgRecord *record)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", dg_record_type_to_string (record->type));
  set_string_or_null (object, "id", record->id);
  json_object_set_int_member (object, "rev", record->rev);
  json_object_set_int_member (object, "seq", record->seq);
  json_object_set_boolean_member (object, "deleted", record->deleted);
  set_string_or_null (object, "author", record->author);
  set_string_or_null (object, "updated_at", record->updated_at);
  json_object_set_string_member (object, "state", dg_record_state_to_string (record->state));
  if (record->reason != NULL)
    json_object_set_string_member (object, "reason", record->reason);

  if (record->data != NULL)
    json_object_set_object_member (object, "data", json_object_ref (record->data));
  else
    json_object_set_null_member (object, "data");

  if (record->computed != NULL)
    json_object_set_object_member (object, "computed", json_object_ref (record->computed));
  else
    json_object_set_null_member (object, "computed");

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

DgRecord *
dg_record_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgRecord) record = NULL;
  g_autofree char *state = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A record must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  record = dg_record_new ();

  if (!get_record_type (object, &record->type, error) ||
      !get_uuid (object, "id", &record->id, error) ||
      !dg_json_get_int (object, "rev", 0, G_MAXINT64, &record->rev, error) ||
      !dg_json_get_int (object, "seq", 0, G_MAXINT64, &record->seq, error) ||
      !dg_json_get_bool_opt (object, "deleted", FALSE, &record->deleted, error) ||
      !dg_json_get_string_opt (object, "author", DG_MAX_STRING_BYTES, &record->author, error) ||
      !dg_json_get_string_opt (object, "updated_at", SHORT_STRING_BYTES, &record->updated_at,
                               error) ||
      !dg_json_get_string_opt (object, "state", SHORT_STRING_BYTES, &state, error) ||
      !dg_json_get_string_opt (object, "reason", DG_MAX_NOTES_BYTES, &record->reason, error) ||
      !get_data_object (object, "data", TRUE, &record->data, error) ||
      !get_data_object (object, "computed", TRUE, &record->computed, error))
    return NULL;

  if (state != NULL && !dg_record_state_from_string (state, &record->state))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "state", "state must be active or returned");
      return NULL;
    }

  return g_steal_pointer (&record);
}

/* ---- RESULT ---- */

static const DgEnumName status_names[] = {
  { DG_RESULT_APPLIED, "applied" },
  { DG_RESULT_UNCHANGED, "unchanged" },
  { DG_RESULT_CONFLICT, "conflict" },
  { DG_RESULT_REJECTED, "rejected" },
};

const char *
dg_result_status_to_string (DgResultStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return dg_enum_to_nick (status_names, G_N_ELEMENTS (status_names), status);
}

gboolean
dg_result_status_from_string (const char     *str,
                              DgResultStatus *status)
{
  int value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (!dg_enum_from_nick (status_names, G_N_ELEMENTS (status_names), str, &value))
    return FALSE;

  *status = value;
  return TRUE;
}

DgResult *
dg_result_new (const char     *id,
               DgResultStatus  status,
               gint64          rev)
{
  DgResult *result = g_new0 (DgResult, 1);

  result->id = g_strdup (id);
  result->status = status;
  result->rev = rev;
  return result;
}

void
dg_result_free (DgResult *result)
{
  if (result == NULL)
    return;

  g_free (result->id);
  g_clear_pointer (&result->current, dg_record_free);
  g_clear_error (&result->error);
  g_free (result);
}

JsonNode *
dg_result_to_json (const DgResult *result)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (result != NULL, NULL);

  object = json_object_new ();
  /* A change too malformed to name itself still gets its place in the results: id null. */
  set_string_or_null (object, "id", result->id);
  json_object_set_string_member (object, "status", dg_result_status_to_string (result->status));
  json_object_set_int_member (object, "rev", result->rev);

  if (result->status == DG_RESULT_CONFLICT && result->current != NULL)
    json_object_set_member (object, "current", dg_record_to_json (result->current));

  if (result->status == DG_RESULT_REJECTED)
    {
      if (result->error != NULL)
        json_object_set_object_member (object, "error", dg_error_to_json_object (result->error));
      else
        {
          g_autoptr(GError) error = NULL;

          dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "The change was rejected");
          json_object_set_object_member (object, "error", dg_error_to_json_object (error));
        }
    }

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

DgResult *
dg_result_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(DgResult) result = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "A result must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);

  result = g_new0 (DgResult, 1);

  if (!dg_json_get_string_opt (object, "id", DG_MAX_STRING_BYTES, &result->id, error) ||
      !dg_json_get_string (object, "status", SHORT_STRING_BYTES, &status, error))
    return NULL;

  if (!dg_result_status_from_string (status, &result->status))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "status",
                    "status must be applied, unchanged, conflict or rejected");
      return NULL;
    }

  member = json_object_get_member (object, "rev");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !dg_json_get_int (object, "rev", 0, G_MAXINT64, &result->rev, error))
    return NULL;

  member = json_object_get_member (object, "current");
  if (result->status == DG_RESULT_CONFLICT && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr(GError) local_error = NULL;

      result->current = dg_record_from_json (member, &local_error);
      if (result->current == NULL)
        {
          if (dg_error_get_field (local_error) == NULL)
            dg_set_error (error, local_error->code, "current", "current: %s",
                          local_error->message);
          else
            {
              dg_error_prefix_field (local_error, "current");
              g_propagate_error (error, g_steal_pointer (&local_error));
            }
          return NULL;
        }
    }

  if (result->status == DG_RESULT_REJECTED)
    {
      member = json_object_get_member (object, "error");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        result->error = dg_error_from_json (member);
      else
        dg_set_error (&result->error, DG_ERROR_INTERNAL, NULL,
                      "The change was rejected without a reason");
    }

  return g_steal_pointer (&result);
}

/* ---- Errors ---- */

JsonObject *
dg_error_to_json_object (const GError *error)
{
  JsonObject *object;
  const char *field;

  g_return_val_if_fail (error != NULL, NULL);

  object = json_object_new ();

  if (error->domain == DG_ERROR && (guint) error->code <= DG_ERROR_UNAVAILABLE)
    {
      json_object_set_string_member (object, "code", dg_error_code_to_string (error->code));
      json_object_set_string_member (object, "message",
                                     error->message != NULL ? error->message : "");
      field = dg_error_get_field (error);
      if (field != NULL)
        json_object_set_string_member (object, "field", field);
    }
  else
    {
      /* Errors of other domains (SQLite, I/O) can carry paths and internals: the caller logs
       * them; the wire only says that something went wrong on this side. */
      json_object_set_string_member (object, "code",
                                     dg_error_code_to_string (DG_ERROR_INTERNAL));
      json_object_set_string_member (object, "message", "Internal error");
    }

  return object;
}

JsonNode *
dg_error_to_json (const GError *error)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (error != NULL, NULL);

  object = json_object_new ();
  json_object_set_object_member (object, "error", dg_error_to_json_object (error));

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

GError *
dg_error_from_json (JsonNode *node)
{
  GError *error = NULL;
  JsonObject *object;
  JsonNode *inner;
  JsonNode *member;
  DgErrorCode code = DG_ERROR_INTERNAL;
  const char *message = "";
  const char *field = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      dg_set_error (&error, DG_ERROR_INTERNAL, NULL, "Malformed error object");
      return error;
    }
  object = json_node_get_object (node);

  inner = json_object_get_member (object, "error");
  if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
    object = json_node_get_object (inner);

  member = json_object_get_member (object, "code");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !dg_error_code_from_string (json_node_get_string (member), &code))
    code = DG_ERROR_INTERNAL;

  member = json_object_get_member (object, "message");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING && json_node_get_string (member) != NULL)
    message = json_node_get_string (member);

  member = json_object_get_member (object, "field");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    field = json_node_get_string (member);

  dg_set_error (&error, code, field, "%s", message);
  return error;
}

/* ---- Reports ---- */

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

JsonNode *
dg_dustfall_report_to_json (const DgDustfallReport *report)
{
  JsonObject *object;
  JsonArray *cells;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  cells = json_array_new ();

  set_string_or_null (object, "month", report->month);
  set_double_or_null (object, "cap", TRUE, report->cap);
  set_double_or_null (object, "district_mean", report->has_district_mean, report->district_mean);

  for (guint i = 0; report->cells != NULL && i < report->cells->len; i++)
    {
      const DgCellRank *c = g_ptr_array_index (report->cells, i);
      JsonObject *co = json_object_new ();
      gboolean ranked = c->has_value && c->rank > 0;

      if (ranked)
        json_object_set_int_member (co, "rank", c->rank);
      else
        json_object_set_null_member (co, "rank");
      set_string_or_null (co, "cell_id", c->cell_id);
      set_string_or_null (co, "code", c->code);
      set_string_or_null (co, "name", c->name);
      set_string_or_null (co, "unit", c->unit);
      json_object_set_int_member (co, "row", c->row);
      json_object_set_int_member (co, "col", c->col);
      set_double_or_null (co, "value", c->has_value, c->value);
      set_bool_or_null (co, "exceeds", c->has_value, c->exceeds);
      json_object_set_int_member (co, "sites", c->sites);
      set_double_or_null (co, "site_max", c->has_value, c->site_max);
      set_double_or_null (co, "site_min", c->has_value, c->site_min);
      set_double_or_null (co, "prev_value", c->has_prev, c->prev_value);
      set_double_or_null (co, "mom_change", c->has_mom, c->mom_change);
      set_double_or_null (co, "mom_pct", c->has_mom, c->mom_pct);
      set_double_or_null (co, "yoy_pct", c->has_yoy, c->yoy_pct);
      set_double_or_null (co, "ytd_mean", c->has_ytd, c->ytd_mean);
      set_bool_or_null (co, "ytd_exceeds", c->has_ytd, c->ytd_exceeds);
      json_array_add_object_element (cells, co);
    }
  json_object_set_array_member (object, "cells", cells);

  return node_take_object (object);
}

JsonNode *
dg_road_report_to_json (const DgRoadReport *report)
{
  JsonObject *object;
  JsonArray *roads;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  roads = json_array_new ();

  set_string_or_null (object, "month", report->month);

  for (guint i = 0; report->roads != NULL && i < report->roads->len; i++)
    {
      const DgRoadRow *r = g_ptr_array_index (report->roads, i);
      JsonObject *ro = json_object_new ();
      JsonObject *means = json_object_new ();

      if (r->rank > 0)
        json_object_set_int_member (ro, "rank", r->rank);
      else
        json_object_set_null_member (ro, "rank");
      set_string_or_null (ro, "road_id", r->road_id);
      set_string_or_null (ro, "name", r->name);
      json_object_set_int_member (ro, "checks", r->checks);
      json_object_set_int_member (ro, "complete", r->complete);
      json_object_set_int_member (ro, "points", r->points);
      set_double_or_null (ro, "mean", r->has_mean, r->mean);

      /* Every surface is listed, null where the road had no point of it, so that a table
       * reader finds the same columns in every row. */
      for (guint s = 0; s < DG_N_SURFACES; s++)
        set_double_or_null (means, dg_surface_to_string ((DgSurface) s), r->has_means[s],
                            r->means[s]);
      json_object_set_object_member (ro, "means", means);

      set_double_or_null (ro, "max", TRUE, r->max);
      json_object_set_int_member (ro, "points_over", r->points_over);
      json_object_set_int_member (ro, "passed", r->passed);
      json_array_add_object_element (roads, ro);
    }
  json_object_set_array_member (object, "roads", roads);

  return node_take_object (object);
}

JsonNode *
dg_quota_report_to_json (const DgQuotaReport *report)
{
  JsonObject *object;
  JsonArray *days;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  days = json_array_new ();

  set_string_or_null (object, "month", report->month);
  json_object_set_int_member (object, "roads_required", report->roads_required);
  json_object_set_int_member (object, "points_required", report->points_required);

  for (guint i = 0; report->days != NULL && i < report->days->len; i++)
    {
      const DgQuotaDay *d = &g_array_index (report->days, DgQuotaDay, i);
      JsonObject *dobj = json_object_new ();

      set_string_or_null (dobj, "date", d->date);
      json_object_set_int_member (dobj, "roads", d->roads);
      /* A pending day is not met (yet); "state" tells it apart from a short one. */
      json_object_set_boolean_member (dobj, "met", d->state == DG_QUOTA_MET);
      json_object_set_string_member (dobj, "state", dg_quota_state_to_string (d->state));
      json_array_add_object_element (days, dobj);
    }
  json_object_set_array_member (object, "days", days);

  json_object_set_int_member (object, "days_met", report->days_met);
  json_object_set_int_member (object, "days_elapsed", report->days_elapsed);

  return node_take_object (object);
}
