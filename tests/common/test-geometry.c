/* test-geometry.c: cells' and roads' GeoJSON geometry (design 6.4): decoding with field paths,
 * validation, geodesic areas against an independent reference, distances to a road's line and
 * the position_far test (6.2).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

#define RECORD_ID "c3d4e5f6-a7b8-4c9d-8e0f-112233445566"

/* Every refusal here is an invalid field, named by its path, in the message too. */
static void
assert_invalid_field (const GError *error,
                      const char   *field)
{
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, field);
  g_assert_nonnull (strstr (error->message, field));
}

/* ---- The reference: a lat/lon quadrangle on the WGS84 ellipsoid ----
 *
 * The area between two parallels and two meridians has a closed form (Snyder, "Map Projections: A
 * Working Manual", eq. 3-12): Δλ · b²/2 · (q(φ2) − q(φ1)). Its sides along parallels are not
 * geodesics, but over a kilometre or two the two differ by a few centimetres, some 10⁻⁵ of the
 * area: far inside the 0.1 % the test allows, and a method that shares nothing with Karney's. */
static double
authalic_q (double lat_deg)
{
  const double f = 1.0 / 298.257223563;
  const double e2 = f * (2.0 - f);
  const double e = sqrt (e2);
  double s = sin (lat_deg * G_PI / 180.0);

  return s / (1.0 - e2 * s * s) + 1.0 / (2.0 * e) * log ((1.0 + e * s) / (1.0 - e * s));
}

static double
quad_area_km2 (double lon0,
               double lat0,
               double lon1,
               double lat1)
{
  const double a = 6378137.0;
  const double f = 1.0 / 298.257223563;
  const double b2 = a * a * (1.0 - f) * (1.0 - f);

  return fabs ((lon1 - lon0) * G_PI / 180.0 * b2 / 2.0 * (authalic_q (lat1) - authalic_q (lat0)))
         / 1e6;
}

/* A closed ring around the quadrangle, counter-clockwise or clockwise. */
static void
add_quad (DgGeometry *geometry,
          double      lon0,
          double      lat0,
          double      lon1,
          double      lat1,
          gboolean    clockwise)
{
  dg_geometry_begin_ring (geometry);
  dg_geometry_add_position (geometry, lon0, lat0);
  if (clockwise)
    {
      dg_geometry_add_position (geometry, lon0, lat1);
      dg_geometry_add_position (geometry, lon1, lat1);
      dg_geometry_add_position (geometry, lon1, lat0);
    }
  else
    {
      dg_geometry_add_position (geometry, lon1, lat0);
      dg_geometry_add_position (geometry, lon1, lat1);
      dg_geometry_add_position (geometry, lon0, lat1);
    }
  dg_geometry_add_position (geometry, lon0, lat0);
}

static void
assert_within_permille (double value,
                        double reference)
{
  g_assert_cmpfloat (reference, >, 0.0);
  g_assert_cmpfloat (fabs (value - reference) / reference, <, 0.001);
}

static void
test_area_polygon_with_hole (void)
{
  g_autoptr(DgGeometry) polygon = dg_geometry_new (DG_GEOMETRY_POLYGON);
  double reference = quad_area_km2 (116.30, 39.90, 116.32, 39.92) -
                     quad_area_km2 (116.305, 39.905, 116.31, 39.91);
  double area;

  /* The outline clockwise and the hole counter-clockwise, against RFC 7946's advice: files from
   * the field come either way, and the hole must still subtract. */
  add_quad (polygon, 116.30, 39.90, 116.32, 39.92, TRUE);
  add_quad (polygon, 116.305, 39.905, 116.31, 39.91, FALSE);

  area = dg_geometry_area_km2 (polygon);
  assert_within_permille (area, reference);
  /* The hole did subtract: without it the area is a sixteenth larger. */
  g_assert_cmpfloat (area, <, quad_area_km2 (116.30, 39.90, 116.32, 39.92) * 0.95);
}

static void
test_area_multipolygon (void)
{
  g_autoptr(DgGeometry) multi = dg_geometry_new (DG_GEOMETRY_MULTIPOLYGON);
  double reference = quad_area_km2 (110.10, 19.90, 110.13, 19.92) +
                     quad_area_km2 (110.20, 20.00, 110.21, 20.01) -
                     quad_area_km2 (110.202, 20.002, 110.204, 20.004);

  dg_geometry_begin_part (multi);
  add_quad (multi, 110.10, 19.90, 110.13, 19.92, FALSE);
  dg_geometry_begin_part (multi);
  add_quad (multi, 110.20, 20.00, 110.21, 20.01, FALSE);
  add_quad (multi, 110.202, 20.002, 110.204, 20.004, FALSE);

  assert_within_permille (dg_geometry_area_km2 (multi), reference);
}

/* computed.area_km2 of a cell with geometry and no given area, to 4 decimals; a given area wins. */
static void
test_area_computed (void)
{
  g_autoptr(DgGridCell) cell = dg_grid_cell_new ();
  g_autoptr(JsonObject) computed = NULL;
  double area;

  cell->id = g_strdup (RECORD_ID);
  cell->code = g_strdup ("G01");
  cell->name = g_strdup ("府城一网格");
  cell->row = cell->col = -1;
  cell->geometry = dg_geometry_new (DG_GEOMETRY_POLYGON);
  add_quad (cell->geometry, 116.30, 39.90, 116.32, 39.92, FALSE);

  computed = dg_record_computed_to_json (DG_RECORD_GRID_CELL, cell, NULL);
  g_assert_nonnull (computed);
  area = json_object_get_double_member (computed, "area_km2");
  assert_within_permille (area, quad_area_km2 (116.30, 39.90, 116.32, 39.92));
  g_assert_cmpfloat (fabs (area * 1e4 - round (area * 1e4)), <, 1e-6);
  g_assert_cmpfloat (dg_grid_cell_area_km2 (cell), ==, area);

  cell->area_km2 = 1.5;
  g_assert_null (dg_record_computed_to_json (DG_RECORD_GRID_CELL, cell, NULL));
  g_assert_cmpfloat (dg_grid_cell_area_km2 (cell), ==, 1.5);
}

/* ---- Distances ---- */

static DgGeometry *
east_west_road (void)
{
  DgGeometry *line = dg_geometry_new (DG_GEOMETRY_LINE_STRING);

  dg_geometry_add_position (line, 116.30, 39.90);
  dg_geometry_add_position (line, 116.31, 39.90);
  dg_geometry_add_position (line, 116.32, 39.90);
  return line;
}

static void
test_distance_on_line (void)
{
  g_autoptr(DgGeometry) road = east_west_road ();

  /* A vertex, and a point between two: the geodesic between two points of one parallel bends
   * towards the pole by a few centimetres only. */
  g_assert_cmpfloat (dg_geometry_distance_m (road, 116.31, 39.90), <, 0.01);
  g_assert_cmpfloat (dg_geometry_distance_m (road, 116.315, 39.90), <, 0.5);
  g_assert_false (dg_geometry_position_far (road, 116.315, 39.90));
}

static void
test_distance_off_line (void)
{
  g_autoptr(DgGeometry) road = east_west_road ();
  /* One degree of meridian near 39.9° N is 111,034 m (the meridian's radius of curvature there);
   * 0.003° of it is 333.1 m, and a perpendicular to an east-west line runs along the meridian. */
  double d = dg_geometry_distance_m (road, 116.313, 39.903);

  g_assert_cmpfloat (fabs (d - 333.1), <, 0.5);
  g_assert_true (dg_geometry_position_far (road, 116.313, 39.903));

  /* 150 m south of the line: close enough. */
  d = dg_geometry_distance_m (road, 116.305, 39.90 - 150.0 / 111034.0);
  g_assert_cmpfloat (fabs (d - 150.0), <, 0.5);
  g_assert_false (dg_geometry_position_far (road, 116.305, 39.90 - 150.0 / 111034.0));

  /* Past the end of the line the nearest point is its end: 0.003° of longitude at 39.9° N is
   * 0.003 · 111,319.5 m · cos 39.9° · (ellipsoid's prime-vertical factor 1.0013) = 256.5 m. */
  d = dg_geometry_distance_m (road, 116.323, 39.90);
  g_assert_cmpfloat (fabs (d - 256.5), <, 0.5);
  g_assert_true (dg_geometry_position_far (road, 116.323, 39.90));
}

static void
test_distance_multi_line (void)
{
  g_autoptr(DgGeometry) road = dg_geometry_new (DG_GEOMETRY_MULTI_LINE_STRING);

  dg_geometry_begin_ring (road);
  dg_geometry_add_position (road, 116.30, 39.90);
  dg_geometry_add_position (road, 116.31, 39.90);
  dg_geometry_begin_ring (road);
  dg_geometry_add_position (road, 116.40, 39.95);
  dg_geometry_add_position (road, 116.40, 39.96);

  /* Far from the first line, on the second. */
  g_assert_cmpfloat (dg_geometry_distance_m (road, 116.40, 39.955), <, 0.5);
  g_assert_false (dg_geometry_position_far (road, 116.40, 39.955));
  g_assert_true (dg_geometry_position_far (road, 116.35, 39.93));
}

/* ---- Wire and validation ---- */

static gpointer
decode (DgRecordType  type,
        const char   *json,
        GError      **error)
{
  g_autoptr(JsonNode) node = dg_json_parse (json, strlen (json), NULL);

  g_assert_nonnull (node);
  return dg_record_data_from_json (type, RECORD_ID, json_node_get_object (node), error);
}

#define SQUARE "[[116.30,39.90],[116.31,39.90],[116.31,39.91],[116.30,39.91],[116.30,39.90]]"

static void
test_wire_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgGridCell) cell = NULL;
  g_autoptr(DgGridCell) again = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) node2 = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  /* No row or col: a cell with its shape needs no place in the grid. A third coordinate is
   * dropped. */
  cell = decode (DG_RECORD_GRID_CELL,
                 "{\"code\":\"G01\",\"name\":\"一网格\",\"geometry\":{\"type\":\"MultiPolygon\","
                 "\"coordinates\":[[" SQUARE "],[[[116.40,39.90,12.5],[116.41,39.90],"
                 "[116.41,39.91],[116.40,39.90]]]]}}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cell->geometry);
  g_assert_cmpint (cell->geometry->type, ==, DG_GEOMETRY_MULTIPOLYGON);
  g_assert_cmpuint (dg_geometry_n_positions (cell->geometry), ==, 9);
  g_assert_cmpuint (cell->geometry->part_sizes->len, ==, 2);
  g_assert_cmpint (cell->row, ==, -1);

  json_node_take_object (node, dg_record_data_to_json (DG_RECORD_GRID_CELL, cell));
  text = dg_json_canonical (node);
  g_assert_null (strstr (text, "\"row\""));
  g_assert_null (strstr (text, "12.5"));

  again = decode (DG_RECORD_GRID_CELL, text, &error);
  g_assert_no_error (error);
  json_node_take_object (node2, dg_record_data_to_json (DG_RECORD_GRID_CELL, again));
  text2 = dg_json_canonical (node2);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_wire_road_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgRoad) road = decode (DG_RECORD_ROAD,
                                   "{\"name\":\"人民路\",\"surface\":\"main\",\"geometry\":"
                                   "{\"type\":\"LineString\",\"coordinates\":"
                                   "[[116.30,39.90],[116.32,39.90]]}}", &error);

  g_assert_no_error (error);
  g_assert_nonnull (road->geometry);
  g_assert_false (dg_geometry_position_far (road->geometry, 116.31, 39.9001));
}

typedef struct
{
  const char   *name;
  DgRecordType  type;
  const char   *json;
  const char   *field;
} BadCase;

static const BadCase bad_cases[] = {
  { "not-an-object", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":[1,2]}", "geometry" },
  { "unknown-type", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}",
    "geometry.type" },
  { "cell-with-a-line", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"LineString\","
    "\"coordinates\":[[116.3,39.9],[116.4,39.9]]}}", "geometry.type" },
  { "road-with-a-polygon", DG_RECORD_ROAD,
    "{\"name\":\"R\",\"surface\":\"main\",\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[" SQUARE "]}}", "geometry.type" },
  { "position-not-numbers", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[116.30,39.90],[116.31,\"x\"],[116.31,39.91],[116.30,39.90]]]}}",
    "geometry.coordinates[0][1]" },
  { "latitude-out-of-range", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
    "[[" SQUARE "],[[[116.30,39.90],[116.31,39.90],[116.31,91.0],[116.30,39.90]]]]}}",
    "geometry.coordinates[1][0][2]" },
  { "hole-not-closed", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[" SQUARE ",[[116.301,39.901],[116.302,39.901],[116.302,39.902],[116.301,39.903]]]}}",
    "geometry.coordinates[1]" },
  { "ring-too-short", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[116.30,39.90],[116.31,39.90],[116.30,39.90]]]}}", "geometry.coordinates[0]" },
  { "no-rings", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[]}}",
    "geometry.coordinates" },
  { "line-too-short", DG_RECORD_ROAD,
    "{\"name\":\"R\",\"surface\":\"main\",\"geometry\":{\"type\":\"MultiLineString\","
    "\"coordinates\":[[[116.3,39.9],[116.4,39.9]],[[116.3,39.9]]]}}",
    "geometry.coordinates[1]" },
  { "longitude-out-of-range", DG_RECORD_ROAD,
    "{\"name\":\"R\",\"surface\":\"main\",\"geometry\":{\"type\":\"LineString\","
    "\"coordinates\":[[116.3,39.9],[181.0,39.9]]}}", "geometry.coordinates[1]" },
  { "row-without-col", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"row\":2,\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[" SQUARE "]}}", "col" },
  { "no-geometry-needs-row", DG_RECORD_GRID_CELL,
    "{\"code\":\"G\",\"name\":\"N\",\"col\":2}", "row" },
};

static void
test_wire_bad (gconstpointer user_data)
{
  const BadCase *bad = user_data;
  g_autoptr(GError) error = NULL;
  gpointer data = decode (bad->type, bad->json, &error);

  g_assert_null (data);
  assert_invalid_field (error, bad->field);
}

static void
test_too_many_positions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgRoad) road = dg_road_new ();

  road->id = g_strdup (RECORD_ID);
  road->name = g_strdup ("长路");
  road->geometry = dg_geometry_new (DG_GEOMETRY_LINE_STRING);
  for (guint i = 0; i < DG_GEOMETRY_MAX_POSITIONS; i++)
    dg_geometry_add_position (road->geometry, 116.0 + i * 1e-5, 39.9);
  g_assert_true (dg_road_validate (road, &error));
  g_assert_no_error (error);

  dg_geometry_add_position (road->geometry, 117.0, 39.9);
  g_assert_false (dg_road_validate (road, &error));
  assert_invalid_field (error, "geometry.coordinates");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/geometry/area/polygon-with-hole", test_area_polygon_with_hole);
  g_test_add_func ("/common/geometry/area/multipolygon", test_area_multipolygon);
  g_test_add_func ("/common/geometry/area/computed-for-cell-without-area", test_area_computed);
  g_test_add_func ("/common/geometry/distance/on-the-line", test_distance_on_line);
  g_test_add_func ("/common/geometry/distance/off-the-line", test_distance_off_line);
  g_test_add_func ("/common/geometry/distance/nearest-line-of-several", test_distance_multi_line);
  g_test_add_func ("/common/geometry/wire/round-trip-canonical", test_wire_round_trip);
  g_test_add_func ("/common/geometry/wire/road-line", test_wire_road_line);
  g_test_add_func ("/common/geometry/validate/too-many-positions", test_too_many_positions);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/common/geometry/validate/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_wire_bad);
    }

  return g_test_run ();
}
