/* dg-geojson.c: GeoJSON features of cells and roads as reference changes (design 6.4).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-geojson"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-error.h"
#include "dg-geojson.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"

/* The properties each type takes; text ones may come as numbers (a GIS file's 网格编号 often is
 * one) and are then written as text. */
typedef struct
{
  const char *name;
  gboolean    text;
} Property;

static const Property cell_properties[] = {
  { "code", TRUE }, { "name", TRUE }, { "unit", TRUE },
  { "row", FALSE }, { "col", FALSE }, { "area_km2", FALSE },
};

static const Property road_properties[] = {
  { "name", TRUE }, { "unit", TRUE }, { "surface", TRUE }, { "length_km", FALSE },
};

static JsonNode *
property_node (JsonNode *node,
               gboolean  text)
{
  double number;

  if (text && dg_json_node_get_number (node, &number) && isfinite (number))
    {
      JsonNode *string = json_node_new (JSON_NODE_VALUE);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (number == floor (number) && fabs (number) < 1e15)
        g_snprintf (buf, sizeof buf, "%.0f", number);
      else
        g_ascii_dtostr (buf, sizeof buf, number);
      json_node_set_string (string, buf);
      return string;
    }

  return json_node_copy (node);
}

static void
refuse (DgGeojsonImport *import,
        guint            feature,
        const char      *format,
        ...) G_GNUC_PRINTF (3, 4);

static void
refuse (DgGeojsonImport *import,
        guint            feature,
        const char      *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (import->refused, g_strdup_printf ("features[%u]: %s", feature, message));
}

/* The data of one feature, or NULL (refused). The key its id derives from goes to @key. */
static JsonObject *
feature_data (DgGeojsonImport *import,
              guint            index,
              JsonNode        *node,
              DgRecordType     type,
              char           **key)
{
  const Property *properties = type == DG_RECORD_GRID_CELL ? cell_properties : road_properties;
  guint n_properties = type == DG_RECORD_GRID_CELL ? G_N_ELEMENTS (cell_properties)
                                                   : G_N_ELEMENTS (road_properties);
  const char *key_member = type == DG_RECORD_GRID_CELL ? "code" : "name";
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObject *feature, *props = NULL;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (import, index, "must be a Feature object");
      return NULL;
    }
  feature = json_node_get_object (node);

  member = json_object_get_member (feature, "properties");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    props = json_node_get_object (member);
  else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      refuse (import, index, "properties must be an object");
      return NULL;
    }

  for (guint i = 0; props != NULL && i < n_properties; i++)
    {
      member = json_object_get_member (props, properties[i].name);
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        json_object_set_member (data, properties[i].name,
                                property_node (member, properties[i].text));
    }

  member = json_object_get_member (feature, "geometry");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    json_object_set_member (data, "geometry", json_node_copy (member));

  /* Without its key the feature has no id; the store says what else is wrong with it. */
  member = json_object_get_member (data, key_member);
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    *key = g_strstrip (g_strdup (json_node_get_string (member)));
  if (*key == NULL || **key == '\0')
    {
      g_clear_pointer (key, g_free);
      refuse (import, index, "properties.%s is required", key_member);
      return NULL;
    }

  return g_steal_pointer (&data);
}

DgGeojsonImport *
dg_geojson_import_new (JsonNode      *root,
                       DgRecordType   type,
                       GError       **error)
{
  g_autoptr(DgGeojsonImport) import = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *kind = NULL;
  JsonObject *object;
  JsonArray *features;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (type == DG_RECORD_GRID_CELL || type == DG_RECORD_ROAD, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !dg_json_get_string (json_node_get_object (root), "type", 64, &kind, NULL) ||
      strcmp (kind, "FeatureCollection") != 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "type",
                    "the file must be a GeoJSON FeatureCollection");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!dg_json_get_array (object, "features", &features, error))
    return NULL;

  import = g_new0 (DgGeojsonImport, 1);
  import->changes = json_array_new ();
  import->features = g_array_new (FALSE, FALSE, sizeof (guint));
  import->refused = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *id = NULL;
      g_autoptr(JsonObject) data = NULL;
      g_autoptr(DgChange) change = NULL;
      gpointer first;

      data = feature_data (import, i, json_array_get_element (features, i), type, &key);
      if (data == NULL)
        continue;

      /* Two features of one key would be two revisions of one record in one batch. */
      if (g_hash_table_lookup_extended (seen, key, NULL, &first))
        {
          refuse (import, i, "%s %s is also features[%u]'s",
                  type == DG_RECORD_GRID_CELL ? "code" : "name", key, GPOINTER_TO_UINT (first));
          continue;
        }
      g_hash_table_insert (seen, g_strdup (key), GUINT_TO_POINTER (i));

      id = dg_uuid_derive (dg_record_type_to_string (type), key);
      change = dg_change_new (type, id, 0, FALSE, data);
      json_array_add_element (import->changes, dg_change_to_json (change));
      g_array_append_val (import->features, i);
    }

  return g_steal_pointer (&import);
}

void
dg_geojson_import_free (DgGeojsonImport *import)
{
  if (import == NULL)
    return;

  json_array_unref (import->changes);
  g_array_unref (import->features);
  g_ptr_array_unref (import->refused);
  g_free (import);
}

char *
dg_geojson_import_describe (const DgGeojsonImport *import,
                            guint                  index,
                            const GError          *error)
{
  const char *field;
  guint feature;

  g_return_val_if_fail (import != NULL, NULL);
  g_return_val_if_fail (index < import->features->len, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  feature = g_array_index (import->features, guint, index);
  field = error->domain == DG_ERROR ? dg_error_get_field (error) : NULL;

  if (field == NULL)
    return g_strdup_printf ("features[%u]: %s", feature, error->message);

  /* The geometry is the feature's own member; every other field one of its properties. */
  return g_strdup_printf ("features[%u].%s%s: %s", feature,
                          g_str_has_prefix (field, "geometry") ? "" : "properties.", field,
                          error->message);
}
