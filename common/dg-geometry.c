/* dg-geometry.c: GeoJSON geometries of cells and roads, and their geodesic measures (design 6.4).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-geometry"

#include "config.h"

#include <geodesic.h>
#include <math.h>
#include <string.h>

#include "dg-error.h"
#include "dg-geometry.h"
#include "dg-json.h"

/* WGS84, the datum of GeoJSON (RFC 7946). */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

static const char *const type_names[DG_N_GEOMETRY_TYPES] = {
  [DG_GEOMETRY_POLYGON] = "Polygon",
  [DG_GEOMETRY_MULTIPOLYGON] = "MultiPolygon",
  [DG_GEOMETRY_LINE_STRING] = "LineString",
  [DG_GEOMETRY_MULTI_LINE_STRING] = "MultiLineString",
};

const char *
dg_geometry_type_to_string (DgGeometryType type)
{
  g_return_val_if_fail ((guint) type < DG_N_GEOMETRY_TYPES, NULL);

  return type_names[type];
}

gboolean
dg_geometry_type_from_string (const char     *str,
                              DgGeometryType *type)
{
  for (guint i = 0; str != NULL && i < DG_N_GEOMETRY_TYPES; i++)
    {
      if (strcmp (str, type_names[i]) == 0)
        {
          *type = i;
          return TRUE;
        }
    }

  return FALSE;
}

static const struct geod_geodesic *
wgs84 (void)
{
  static struct geod_geodesic geodesic;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      geod_init (&geodesic, WGS84_A, WGS84_F);
      g_once_init_leave (&initialized, 1);
    }

  return &geodesic;
}

/* ---- Construction ---- */

DgGeometry *
dg_geometry_new (DgGeometryType type)
{
  DgGeometry *geometry;

  g_return_val_if_fail ((guint) type < DG_N_GEOMETRY_TYPES, NULL);

  geometry = g_new0 (DgGeometry, 1);
  geometry->type = type;
  geometry->positions = g_array_new (FALSE, FALSE, sizeof (DgLonLat));
  geometry->ring_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  geometry->part_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  return geometry;
}

static GArray *
array_copy (GArray *array)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, g_array_get_element_size (array), array->len);

  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

DgGeometry *
dg_geometry_copy (const DgGeometry *geometry)
{
  DgGeometry *copy;

  g_return_val_if_fail (geometry != NULL, NULL);

  copy = g_new0 (DgGeometry, 1);
  copy->type = geometry->type;
  copy->positions = array_copy (geometry->positions);
  copy->ring_sizes = array_copy (geometry->ring_sizes);
  copy->part_sizes = array_copy (geometry->part_sizes);
  return copy;
}

void
dg_geometry_free (DgGeometry *geometry)
{
  if (geometry == NULL)
    return;

  g_array_unref (geometry->positions);
  g_array_unref (geometry->ring_sizes);
  g_array_unref (geometry->part_sizes);
  g_free (geometry);
}

gboolean
dg_geometry_is_area (const DgGeometry *geometry)
{
  g_return_val_if_fail (geometry != NULL, FALSE);

  return geometry->type == DG_GEOMETRY_POLYGON || geometry->type == DG_GEOMETRY_MULTIPOLYGON;
}

guint
dg_geometry_n_positions (const DgGeometry *geometry)
{
  g_return_val_if_fail (geometry != NULL, 0);

  return geometry->positions->len;
}

void
dg_geometry_begin_part (DgGeometry *geometry)
{
  guint zero = 0;

  g_return_if_fail (geometry != NULL);

  if (dg_geometry_is_area (geometry))
    g_array_append_val (geometry->part_sizes, zero);
}

void
dg_geometry_begin_ring (DgGeometry *geometry)
{
  guint zero = 0;

  g_return_if_fail (geometry != NULL);

  /* A ring outside any polygon starts one: a Polygon built without begin_part stays whole. */
  if (dg_geometry_is_area (geometry))
    {
      if (geometry->part_sizes->len == 0)
        dg_geometry_begin_part (geometry);
      g_array_index (geometry->part_sizes, guint, geometry->part_sizes->len - 1)++;
    }
  g_array_append_val (geometry->ring_sizes, zero);
}

void
dg_geometry_add_position (DgGeometry *geometry,
                          double      lon,
                          double      lat)
{
  DgLonLat position = { lon, lat };

  g_return_if_fail (geometry != NULL);

  if (geometry->ring_sizes->len == 0)
    dg_geometry_begin_ring (geometry);
  g_array_append_val (geometry->positions, position);
  g_array_index (geometry->ring_sizes, guint, geometry->ring_sizes->len - 1)++;
}

/* ---- Decode ---- */

static gboolean
shape_error (const char  *path,
             const char  *what,
             GError     **error)
{
  dg_set_error (error, DG_ERROR_INVALID_FIELD, path, "%s must be %s", path, what);
  return FALSE;
}

static gboolean
read_position (DgGeometry  *geometry,
               JsonNode    *node,
               const char  *path,
               GError     **error)
{
  JsonArray *array;
  double lon, lat, altitude;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return shape_error (path, "a position [lon, lat]", error);

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < 2 || n > 3 ||
      !dg_json_node_get_number (json_array_get_element (array, 0), &lon) ||
      !dg_json_node_get_number (json_array_get_element (array, 1), &lat) ||
      (n == 3 && !dg_json_node_get_number (json_array_get_element (array, 2), &altitude)))
    return shape_error (path, "a position [lon, lat] of numbers", error);

  dg_geometry_add_position (geometry, lon, lat);
  return TRUE;
}

/* A ring of a polygon or a line: an array of positions. */
static gboolean
read_ring (DgGeometry  *geometry,
           JsonNode    *node,
           const char  *path,
           GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return shape_error (path, "an array of positions", error);

  array = json_node_get_array (node);
  dg_geometry_begin_ring (geometry);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

      if (!read_position (geometry, json_array_get_element (array, i), child, error))
        return FALSE;
    }

  return TRUE;
}

/* A polygon (an array of rings) or a multi-line string (an array of lines). */
static gboolean
read_rings (DgGeometry  *geometry,
            JsonNode    *node,
            const char  *path,
            GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return shape_error (path, "an array of rings", error);

  array = json_node_get_array (node);
  dg_geometry_begin_part (geometry);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

      if (!read_ring (geometry, json_array_get_element (array, i), child, error))
        return FALSE;
    }

  return TRUE;
}

DgGeometry *
dg_geometry_from_json (JsonNode    *node,
                       const char  *field,
                       GError     **error)
{
  g_autoptr(DgGeometry) geometry = NULL;
  g_autofree char *type_path = g_strdup_printf ("%s.type", field);
  g_autofree char *coordinates_path = g_strdup_printf ("%s.coordinates", field);
  g_autofree char *type_name = NULL;
  g_autoptr(GError) local_error = NULL;
  DgGeometryType type;
  JsonObject *object;
  JsonNode *coordinates;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      shape_error (field, "a GeoJSON geometry object", error);
      return NULL;
    }
  object = json_node_get_object (node);

  if (!dg_json_get_string (object, "type", 64, &type_name, &local_error))
    {
      shape_error (type_path, "a string", error);
      return NULL;
    }
  if (!dg_geometry_type_from_string (type_name, &type))
    {
      shape_error (type_path, "Polygon, MultiPolygon, LineString or MultiLineString", error);
      return NULL;
    }

  coordinates = json_object_get_member (object, "coordinates");
  if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates))
    {
      shape_error (coordinates_path, "an array", error);
      return NULL;
    }

  geometry = dg_geometry_new (type);
  switch (type)
    {
    case DG_GEOMETRY_LINE_STRING:
      if (!read_ring (geometry, coordinates, coordinates_path, error))
        return NULL;
      break;

    case DG_GEOMETRY_POLYGON:
    case DG_GEOMETRY_MULTI_LINE_STRING:
      if (!read_rings (geometry, coordinates, coordinates_path, error))
        return NULL;
      break;

    case DG_GEOMETRY_MULTIPOLYGON:
      {
        JsonArray *polygons = json_node_get_array (coordinates);

        for (guint i = 0; i < json_array_get_length (polygons); i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", coordinates_path, i);

            if (!read_rings (geometry, json_array_get_element (polygons, i), child, error))
              return NULL;
          }
      }
      break;

    case DG_N_GEOMETRY_TYPES:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&geometry);
}

/* ---- Encode ---- */

static JsonArray *
ring_to_json (const DgGeometry *geometry,
              guint             first,
              guint             n)
{
  JsonArray *ring = json_array_sized_new (n);

  for (guint i = first; i < first + n; i++)
    {
      const DgLonLat *p = &g_array_index (geometry->positions, DgLonLat, i);
      JsonArray *position = json_array_sized_new (2);

      json_array_add_double_element (position, p->lon);
      json_array_add_double_element (position, p->lat);
      json_array_add_array_element (ring, position);
    }

  return ring;
}

JsonNode *
dg_geometry_to_json (const DgGeometry *geometry)
{
  JsonObject *object;
  JsonNode *node;
  JsonArray *coordinates = json_array_new ();
  JsonArray *polygon = NULL;
  guint first = 0, ring = 0;

  g_return_val_if_fail (geometry != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", dg_geometry_type_to_string (geometry->type));

  switch (geometry->type)
    {
    case DG_GEOMETRY_LINE_STRING:
      json_array_unref (coordinates);
      coordinates = ring_to_json (geometry, 0, geometry->positions->len);
      break;

    case DG_GEOMETRY_MULTI_LINE_STRING:
      for (guint r = 0; r < geometry->ring_sizes->len; r++)
        {
          guint n = g_array_index (geometry->ring_sizes, guint, r);

          json_array_add_array_element (coordinates, ring_to_json (geometry, first, n));
          first += n;
        }
      break;

    case DG_GEOMETRY_POLYGON:
    case DG_GEOMETRY_MULTIPOLYGON:
      for (guint part = 0; part < geometry->part_sizes->len; part++)
        {
          guint n_rings = g_array_index (geometry->part_sizes, guint, part);

          polygon = json_array_new ();
          for (guint r = 0; r < n_rings; r++, ring++)
            {
              guint n = g_array_index (geometry->ring_sizes, guint, ring);

              json_array_add_array_element (polygon, ring_to_json (geometry, first, n));
              first += n;
            }

          if (geometry->type == DG_GEOMETRY_POLYGON)
            {
              json_array_unref (coordinates);
              coordinates = polygon;
              break;
            }
          json_array_add_array_element (coordinates, polygon);
        }
      break;

    case DG_N_GEOMETRY_TYPES:
    default:
      g_assert_not_reached ();
    }

  json_object_set_array_member (object, "coordinates", coordinates);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- Measures ---- */

/* The absolute geodesic area of one ring in m². A closed ring repeats its first position last:
 * that zero-length edge is left out. */
static double
ring_area_m2 (const DgLonLat *ring,
              guint           n)
{
  struct geod_polygon polygon;
  double area = 0.0, perimeter = 0.0;

  if (n > 1 && ring[0].lon == ring[n - 1].lon && ring[0].lat == ring[n - 1].lat)
    n--;
  if (n < 3)
    return 0.0;

  geod_polygon_init (&polygon, FALSE);
  for (guint i = 0; i < n; i++)
    geod_polygon_addpoint (wgs84 (), &polygon, ring[i].lat, ring[i].lon);
  geod_polygon_compute (wgs84 (), &polygon, FALSE, TRUE, &area, &perimeter);

  return fabs (area);
}

double
dg_geometry_area_km2 (const DgGeometry *geometry)
{
  const DgLonLat *positions;
  double total = 0.0;
  guint first = 0, ring = 0;

  g_return_val_if_fail (geometry != NULL, 0.0);

  if (!dg_geometry_is_area (geometry))
    return 0.0;

  positions = (const DgLonLat *) geometry->positions->data;
  for (guint part = 0; part < geometry->part_sizes->len; part++)
    {
      guint n_rings = g_array_index (geometry->part_sizes, guint, part);

      for (guint r = 0; r < n_rings; r++, ring++)
        {
          guint n = g_array_index (geometry->ring_sizes, guint, ring);
          double area = ring_area_m2 (positions + first, n);

          /* The first ring of a polygon is its outline; the others are holes in it. */
          total += r == 0 ? area : -area;
          first += n;
        }
    }

  return MAX (total, 0.0) / 1e6;
}

/* The geodesic distance from @p to the segment @a–@b: the foot of the perpendicular is found by
 * walking along the geodesic a–b from a, correcting by the along-track component of the way to
 * @p; a few steps reach a millimetre on segments of a road's length. */
static double
segment_distance_m (const DgLonLat *a,
                    const DgLonLat *b,
                    const DgLonLat *p)
{
  const struct geod_geodesic *g = wgs84 ();
  struct geod_geodesicline line;
  double s = 0.0, distance = 0.0;

  geod_inverseline (&line, g, a->lat, a->lon, b->lat, b->lon,
                    GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);

  for (guint step = 0; step < 8; step++)
    {
      double lat, lon, azi, azi_p, azi_back, next;

      geod_position (&line, s, &lat, &lon, &azi);
      geod_inverse (g, lat, lon, p->lat, p->lon, &distance, &azi_p, &azi_back);
      if (line.s13 <= 0.0)
        break;

      next = CLAMP (s + distance * cos ((azi_p - azi) * G_PI / 180.0), 0.0, line.s13);
      if (fabs (next - s) < 1e-4)
        break;
      s = next;
    }

  return distance;
}

double
dg_geometry_distance_m (const DgGeometry *geometry,
                        double            lon,
                        double            lat)
{
  const DgLonLat *positions;
  DgLonLat p = { lon, lat };
  double best = INFINITY;
  guint first = 0;

  g_return_val_if_fail (geometry != NULL, INFINITY);

  positions = (const DgLonLat *) geometry->positions->data;
  for (guint r = 0; r < geometry->ring_sizes->len; r++)
    {
      guint n = g_array_index (geometry->ring_sizes, guint, r);

      if (n == 1)
        best = MIN (best, segment_distance_m (&positions[first], &positions[first], &p));
      for (guint i = 1; i < n; i++)
        best = MIN (best, segment_distance_m (&positions[first + i - 1], &positions[first + i], &p));
      first += n;
    }

  return best;
}

gboolean
dg_geometry_position_far (const DgGeometry *road_line,
                          double            lon,
                          double            lat)
{
  g_return_val_if_fail (road_line != NULL, FALSE);

  return dg_geometry_distance_m (road_line, lon, lat) > DG_POSITION_FAR_M;
}

gboolean
dg_geometry_bounds (const DgGeometry *geometry,
                    double           *min_lon,
                    double           *min_lat,
                    double           *max_lon,
                    double           *max_lat)
{
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

  g_return_val_if_fail (geometry != NULL, FALSE);

  if (geometry->positions->len == 0)
    return FALSE;

  for (guint i = 0; i < geometry->positions->len; i++)
    {
      const DgLonLat *p = &g_array_index (geometry->positions, DgLonLat, i);

      x0 = MIN (x0, p->lon);
      y0 = MIN (y0, p->lat);
      x1 = MAX (x1, p->lon);
      y1 = MAX (y1, p->lat);
    }

  *min_lon = x0;
  *min_lat = y0;
  *max_lon = x1;
  *max_lat = y1;
  return TRUE;
}
