/* test-wire.c: the JSON wire format of design section 4. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

#define ROAD_ID "6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c"
#define CELL_ID "0b7e2c44-1f5a-4d3b-8c9e-7a6b5c4d3e2f"
#define RECORD_ID "c3d4e5f6-a7b8-4c9d-8e0f-112233445566"

#define assert_dg_error(err, error_code, expected_field)              \
  G_STMT_START {                                                      \
    g_assert_error ((err), DG_ERROR, (gint) (error_code));            \
    g_assert_cmpstr (dg_error_get_field (err), ==, (expected_field)); \
  } G_STMT_END

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = dg_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Single quotes make the JSON of these tests readable; they become double quotes here. */
static JsonNode *
parse_sq (const char *text)
{
  g_autofree char *dq = g_strdup (text);

  g_strdelimit (dq, "'", '"');
  return parse (dq);
}

static char *
canonical_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return dg_json_canonical (node);
}

static const char *check_json =
  "{'road_id': '" ROAD_ID "', 'date': '2025-03-14', 'weather': '晴', 'started_at': "
  "'2025-03-14T09:30', 'notes': 'K1 段清扫后', 'points': ["
  " {'seq': 1, 'surface': 'main', 'location': 'K1+200 北侧', 'area_m2': 1, 'mass_g': 4.2},"
  " {'seq': 2, 'surface': 'main', 'location': 'K1+400', 'area_m2': 0.5, 'mass_g': 2.6},"
  " {'seq': 3, 'surface': 'side', 'location': '', 'mass_g': 9.9}]}";

static const char *sample_json =
  "{'cell_id': '" CELL_ID "', 'site': '2', 'jar': 'A', 'month': '2025-03',"
  " 'start': '2025-03-01T09:00', 'end': '2025-03-31T09:00', 'diameter_cm': [15, 15.2],"
  " 'w0_g': 30.1234, 'w1_g': 30.1534, 'wc_g': 0.0012, 'valid': true, 'notes': '罐口完好'}";

static const char *road_json =
  "{'name': '人民路', 'unit': '府城街道', 'surface': 'main', 'length_km': 2.4}";
#define UNIT_ID "7b0e3f52-9c1d-4e8a-b2f4-5d6c7e8f9a01"
static const char *unit_json =
  "{'code': 'QS-FC', 'name': '府城街道', 'parent_id': '" UNIT_ID "'}";
static const char *road_unit_json =
  "{'name': '人民路', 'unit': '府城街道', 'unit_id': '" UNIT_ID "', 'surface': 'main'}";
static const char *cell_json =
  "{'code': 'G01', 'name': '府城一网格', 'unit': '府城街道', 'row': 0, 'col': 3,"
  " 'area_km2': 1.25}";
static const char *rule_json =
  "{'kind': 'limit', 'surface': 'side', 'value': 10, 'effective_from': '2022-01-01'}";

/* Decodes @json as @type, expecting success. */
static gpointer
decode_ok (DgRecordType  type,
           const char   *json)
{
  g_autoptr(JsonNode) node = parse_sq (json);
  g_autoptr(GError) error = NULL;
  gpointer data = dg_record_data_from_json (type, RECORD_ID, json_node_get_object (node), &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

/* Decodes @json as @type, expecting DG_ERROR_INVALID_FIELD on @field. */
static void
decode_fails (DgRecordType  type,
              const char   *json,
              const char   *field)
{
  g_autoptr(JsonNode) node = parse_sq (json);
  g_autoptr(GError) error = NULL;
  gpointer data = dg_record_data_from_json (type, RECORD_ID, json_node_get_object (node), &error);

  if (error != NULL)
    g_test_message ("%s: %s", dg_error_get_field (error), error->message);
  g_assert_null (data);
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, field);
  g_assert_nonnull (strstr (error->message, field));
}

/* decode → encode → decode → encode gives the same canonical text, and the canonical text of
 * the first encoding is the same whatever the member order of the input. */
static void
assert_round_trip (DgRecordType  type,
                   const char   *json)
{
  gpointer first = decode_ok (type, json);
  g_autoptr(JsonObject) encoded = dg_record_data_to_json (type, first);
  g_autofree char *text = canonical_object (encoded);
  g_autofree char *text_sq = g_strdelimit (g_strdup (text), "\"", '\'');
  gpointer second = decode_ok (type, text_sq);
  g_autoptr(JsonObject) reencoded = dg_record_data_to_json (type, second);
  g_autofree char *text2 = canonical_object (reencoded);

  g_assert_cmpstr (text, ==, text2);

  dg_record_data_free (type, first);
  dg_record_data_free (type, second);
}

/* ---- Record data ---- */

static void
test_road_check_decode (void)
{
  g_autoptr(DgRoadCheck) check = decode_ok (DG_RECORD_ROAD_CHECK, check_json);
  const DgRoadPoint *p;

  g_assert_cmpstr (check->id, ==, RECORD_ID);
  g_assert_cmpstr (check->road_id, ==, ROAD_ID);
  g_assert_cmpstr (check->date, ==, "2025-03-14");
  g_assert_cmpstr (check->weather, ==, "晴");
  g_assert_cmpuint (check->points->len, ==, 3);
  p = dg_road_check_get_point (check, 1);
  g_assert_cmpint (p->seq, ==, 2);
  g_assert_cmpint (p->surface, ==, DG_SURFACE_MAIN);
  g_assert_cmpfloat (p->area_m2, ==, 0.5);
  /* area_m2 defaults to the 1 m² frame. */
  p = dg_road_check_get_point (check, 2);
  g_assert_cmpfloat (p->area_m2, ==, 1.0);
  g_assert_cmpint (p->surface, ==, DG_SURFACE_SIDE);
}

static void
test_round_trip_each_type (void)
{
  assert_round_trip (DG_RECORD_ROAD_CHECK, check_json);
  assert_round_trip (DG_RECORD_DUSTFALL_SAMPLE, sample_json);
  assert_round_trip (DG_RECORD_ROAD, road_json);
  assert_round_trip (DG_RECORD_GRID_CELL, cell_json);
  assert_round_trip (DG_RECORD_RULE, rule_json);
  assert_round_trip (DG_RECORD_RULE, "{'kind': 'quota_roads', 'value': 6,"
                                     " 'effective_from': '2022-01-01'}");
  assert_round_trip (DG_RECORD_RULE, "{'kind': 'cap', 'value': 7.5,"
                                     " 'effective_from': '2025-07-01'}");
  assert_round_trip (DG_RECORD_UNIT, unit_json);
  assert_round_trip (DG_RECORD_UNIT, "{'code': 'QS', 'name': '琼山区'}");
  assert_round_trip (DG_RECORD_ROAD, road_unit_json);
  assert_round_trip (DG_RECORD_GRID_CELL, "{'code': 'G01', 'name': 'n', 'row': 0, 'col': 3,"
                                          " 'unit_id': '" UNIT_ID "'}");
}

/* The old free-text unit keeps its spelling (and its hash) when unit_id is absent, null or "";
 * with one, both travel. */
static void
test_unit_id_optional (void)
{
  const char *spellings[] = {
    "{'name': '人民路', 'unit': '府城街道', 'surface': 'main'}",
    "{'name': '人民路', 'unit': '府城街道', 'surface': 'main', 'unit_id': null}",
    "{'name': '人民路', 'unit': '府城街道', 'surface': 'main', 'unit_id': ''}",
  };
  g_autoptr(JsonNode) node = parse_sq (road_unit_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgRoad) road = NULL;
  g_autoptr(DgUnit) unit = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(JsonNode) n = parse_sq (spellings[i]);
      g_autoptr(DgRoad) r = dg_record_data_from_json (DG_RECORD_ROAD, RECORD_ID,
                                                      json_node_get_object (n), &error);
      g_autoptr(JsonObject) encoded = NULL;

      g_assert_no_error (error);
      g_assert_null (r->unit_id);
      encoded = dg_record_data_to_json (DG_RECORD_ROAD, r);
      g_assert_false (json_object_has_member (encoded, "unit_id"));
    }

  road = dg_record_data_from_json (DG_RECORD_ROAD, RECORD_ID, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (road->unit_id, ==, UNIT_ID);
  g_assert_cmpstr (road->unit, ==, "府城街道");

  g_clear_pointer (&node, json_node_unref);
  node = parse_sq (unit_json);
  unit = dg_record_data_from_json (DG_RECORD_UNIT, RECORD_ID, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (unit->code, ==, "QS-FC");
  g_assert_cmpstr (unit->parent_id, ==, UNIT_ID);
}

static void
test_canonical_independent_of_order (void)
{
  const char *reordered =
    "{'points': [ {'mass_g': 4.2, 'area_m2': 1.0, 'location': 'K1+200 北侧', 'surface': 'main',"
    " 'seq': 1}, {'location': 'K1+400', 'mass_g': 2.6, 'seq': 2, 'area_m2': 0.5,"
    " 'surface': 'main'},"
    " {'surface': 'side', 'seq': 3, 'mass_g': 9.9, 'location': ''}], 'notes': 'K1 段清扫后',"
    " 'started_at': '2025-03-14T09:30', 'date': '2025-03-14', 'weather': '晴',"
    " 'road_id': '" ROAD_ID "', 'extra': {'ignored': [1, 2]}}";
  g_autoptr(DgRoadCheck) a = decode_ok (DG_RECORD_ROAD_CHECK, check_json);
  g_autoptr(DgRoadCheck) b = decode_ok (DG_RECORD_ROAD_CHECK, reordered);
  g_autoptr(JsonObject) ja = dg_record_data_to_json (DG_RECORD_ROAD_CHECK, a);
  g_autoptr(JsonObject) jb = dg_record_data_to_json (DG_RECORD_ROAD_CHECK, b);
  g_autofree char *ca = canonical_object (ja);
  g_autofree char *cb = canonical_object (jb);

  g_assert_cmpstr (ca, ==, cb);
}

static void
test_road_check_normalized (void)
{
  g_autoptr(DgRoadCheck) check = decode_ok (DG_RECORD_ROAD_CHECK,
    "{'road_id': '" ROAD_ID "', 'date': '2025-03-14', 'unknown': 1, 'weather': null,"
    " 'points': [{'seq': 1, 'surface': 'park', 'mass_g': 3, 'colour': 'grey'}]}");
  g_autoptr(JsonObject) object = dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check);
  g_autofree char *text = canonical_object (object);

  /* Unknown members dropped, absent optional members omitted, defaults filled in, numbers that
   * are doubles written as doubles. */
  g_assert_cmpstr (text, ==,
                   "{\"date\":\"2025-03-14\",\"points\":[{\"area_m2\":1.0,\"location\":\"\","
                   "\"mass_g\":3.0,\"seq\":1,\"surface\":\"park\"}],\"road_id\":\"" ROAD_ID "\"}");
}

static void
test_dustfall_defaults (void)
{
  g_autoptr(DgDustfallSample) sample = decode_ok (DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'B', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00:00', 'w0_g': 30, 'w1_g': 30.05, 'wc_g': 0}");
  g_autoptr(JsonObject) object = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);
  g_autofree char *text = canonical_object (object);

  g_assert_cmpstr (sample->site, ==, "1");
  g_assert_cmpint (sample->jar, ==, DG_JAR_B);
  g_assert_cmpuint (sample->n_diameters, ==, 1);
  g_assert_cmpfloat (sample->diameter_cm[0], ==, 15.0);
  g_assert_true (sample->valid);
  g_assert_null (sample->notes);

  /* diameter_cm always encodes as an array. */
  g_assert_cmpstr (text, ==,
                   "{\"cell_id\":\"" CELL_ID "\",\"diameter_cm\":[15.0],"
                   "\"end\":\"2025-03-31T09:00:00\",\"jar\":\"B\",\"month\":\"2025-03\","
                   "\"site\":\"1\",\"start\":\"2025-03-01T09:00\","
                   "\"valid\":true,\"w0_g\":30.0,\"w1_g\":30.05,\"wc_g\":0.0}");
}

static void
test_dustfall_diameter_forms (void)
{
  g_autoptr(DgDustfallSample) one = decode_ok (DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'A', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', 'diameter_cm': 20.5, 'w0_g': 1, 'w1_g': 1.01, 'wc_g': 0,"
    " 'valid': false}");
  g_autoptr(DgDustfallSample) four = decode_ok (DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'A', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', 'diameter_cm': [15, 15.1, 14.9, 15], 'w0_g': 1, 'w1_g': 1.01,"
    " 'wc_g': 0}");
  g_autoptr(JsonObject) object = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, one);
  JsonArray *array = json_object_get_array_member (object, "diameter_cm");

  g_assert_cmpuint (one->n_diameters, ==, 1);
  g_assert_cmpfloat (one->diameter_cm[0], ==, 20.5);
  g_assert_false (one->valid);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpuint (four->n_diameters, ==, 4);
  g_assert_cmpfloat (four->diameter_cm[2], ==, 14.9);
}

typedef struct
{
  const char   *path;
  DgRecordType  type;
  const char   *json;
  const char   *field;
} BadData;

#define CHECK_HEAD "{'road_id': '" ROAD_ID "', 'date': '2025-03-14', "
#define SAMPLE_HEAD "{'cell_id': '" CELL_ID "', 'jar': 'A', 'month': '2025-03', " \
                    "'start': '2025-03-01T09:00', 'end': '2025-03-31T09:00', "
#define SAMPLE_WEIGHTS "'w0_g': 1, 'w1_g': 1.01, 'wc_g': 0"
#define POINT "{'seq': 1, 'surface': 'main', 'mass_g': 1}"

static const BadData bad_data[] = {
  { "/common/wire/data/road-check/road-id-number", DG_RECORD_ROAD_CHECK,
    "{'road_id': 7, 'date': '2025-03-14', 'points': [" POINT "]}", "road_id" },
  { "/common/wire/data/road-check/road-id-missing", DG_RECORD_ROAD_CHECK,
    "{'date': '2025-03-14', 'points': [" POINT "]}", "road_id" },
  { "/common/wire/data/road-check/date-array", DG_RECORD_ROAD_CHECK,
    "{'road_id': '" ROAD_ID "', 'date': ['2025-03-14'], 'points': [" POINT "]}", "date" },
  { "/common/wire/data/road-check/date-nonexistent", DG_RECORD_ROAD_CHECK,
    "{'road_id': '" ROAD_ID "', 'date': '2025-02-29', 'points': [" POINT "]}", "date" },
  { "/common/wire/data/road-check/weather-number", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'weather': 25, 'points': [" POINT "]}", "weather" },
  { "/common/wire/data/road-check/notes-object", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'notes': {}, 'points': [" POINT "]}", "notes" },
  { "/common/wire/data/road-check/points-object", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': " POINT "}", "points" },
  { "/common/wire/data/road-check/points-missing", DG_RECORD_ROAD_CHECK,
    "{'road_id': '" ROAD_ID "', 'date': '2025-03-14'}", "points" },
  { "/common/wire/data/road-check/points-empty", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': []}", "points" },
  { "/common/wire/data/road-check/point-not-object", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [" POINT ", 5]}", "points[1]" },
  { "/common/wire/data/road-check/mass-string", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [" POINT ", {'seq': 2, 'surface': 'main', 'mass_g': '4.2'}]}",
    "points[1].mass_g" },
  { "/common/wire/data/road-check/mass-missing", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main'}]}", "points[0].mass_g" },
  { "/common/wire/data/road-check/seq-duplicate", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [" POINT "," POINT "," POINT ", {'seq': 4, 'surface': 'main', "
    "'mass_g': -1}]}", "points[1].seq" },
  { "/common/wire/data/road-check/mass-negative-names-index", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main', 'mass_g': 1},"
    " {'seq': 2, 'surface': 'main', 'mass_g': 1}, {'seq': 3, 'surface': 'main', 'mass_g': 1},"
    " {'seq': 4, 'surface': 'main', 'mass_g': -1}]}", "points[3].mass_g" },
  { "/common/wire/data/road-check/seq-fraction", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1.5, 'surface': 'main', 'mass_g': 1}]}", "points[0].seq" },
  { "/common/wire/data/road-check/seq-string", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': '1', 'surface': 'main', 'mass_g': 1}]}", "points[0].seq" },
  { "/common/wire/data/road-check/seq-huge", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 4294967297, 'surface': 'main', 'mass_g': 1}]}",
    "points[0].seq" },
  { "/common/wire/data/road-check/surface-unknown", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'Main', 'mass_g': 1}]}", "points[0].surface" },
  { "/common/wire/data/road-check/area-bool", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main', 'area_m2': true, 'mass_g': 1}]}",
    "points[0].area_m2" },
  { "/common/wire/data/road-check/area-infinite", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main', 'area_m2': 1e999, 'mass_g': 1}]}",
    "points[0].area_m2" },
  { "/common/wire/data/road-check/location-number", DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main', 'location': 12, 'mass_g': 1}]}",
    "points[0].location" },

  { "/common/wire/data/dustfall/cell-id-not-uuid", DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': 'G01', 'jar': 'A', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', " SAMPLE_WEIGHTS "}", "cell_id" },
  { "/common/wire/data/dustfall/jar-missing", DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', " SAMPLE_WEIGHTS "}", "jar" },
  { "/common/wire/data/dustfall/jar-ab", DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'AB', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', " SAMPLE_WEIGHTS "}", "jar" },
  { "/common/wire/data/dustfall/site-number", DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'site': 1, 'jar': 'A', 'month': '2025-03',"
    " 'start': '2025-03-01T09:00', 'end': '2025-03-31T09:00', " SAMPLE_WEIGHTS "}", "site" },
  { "/common/wire/data/dustfall/month-invalid", DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'A', 'month': '2025-3', 'start': '2025-03-01T09:00',"
    " 'end': '2025-03-31T09:00', " SAMPLE_WEIGHTS "}", "month" },
  { "/common/wire/data/dustfall/diameter-string", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': '15', " SAMPLE_WEIGHTS "}", "diameter_cm" },
  { "/common/wire/data/dustfall/diameter-empty-array", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': [], " SAMPLE_WEIGHTS "}", "diameter_cm" },
  { "/common/wire/data/dustfall/diameter-five", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': [15, 15, 15, 15, 15], " SAMPLE_WEIGHTS "}", "diameter_cm" },
  { "/common/wire/data/dustfall/diameter-element-string", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': [15, 'x'], " SAMPLE_WEIGHTS "}", "diameter_cm[1]" },
  { "/common/wire/data/dustfall/diameter-element-null", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': [15, 15, null], " SAMPLE_WEIGHTS "}", "diameter_cm[2]" },
  { "/common/wire/data/dustfall/diameter-out-of-range", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': [15, 51], " SAMPLE_WEIGHTS "}", "diameter_cm[1]" },
  { "/common/wire/data/dustfall/w1-string", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'w0_g': 1, 'w1_g': '1.01', 'wc_g': 0}", "w1_g" },
  { "/common/wire/data/dustfall/wc-missing", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'w0_g': 1, 'w1_g': 1.01}", "wc_g" },
  { "/common/wire/data/dustfall/w1-below-w0", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'w0_g': 1, 'w1_g': 0.9, 'wc_g': 0}", "w1_g" },
  { "/common/wire/data/dustfall/valid-string", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD SAMPLE_WEIGHTS ", 'valid': 'yes'}", "valid" },
  { "/common/wire/data/dustfall/valid-number", DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD SAMPLE_WEIGHTS ", 'valid': 1}", "valid" },

  { "/common/wire/data/road/name-number", DG_RECORD_ROAD,
    "{'name': 1, 'surface': 'main'}", "name" },
  { "/common/wire/data/road/name-empty", DG_RECORD_ROAD,
    "{'name': '', 'surface': 'main'}", "name" },
  { "/common/wire/data/road/surface-missing", DG_RECORD_ROAD,
    "{'name': '人民路'}", "surface" },
  { "/common/wire/data/road/length-string", DG_RECORD_ROAD,
    "{'name': '人民路', 'surface': 'side', 'length_km': '2'}", "length_km" },
  { "/common/wire/data/grid-cell/row-fraction", DG_RECORD_GRID_CELL,
    "{'code': 'G1', 'name': 'n', 'row': 0.5, 'col': 0}", "row" },
  { "/common/wire/data/grid-cell/col-negative", DG_RECORD_GRID_CELL,
    "{'code': 'G1', 'name': 'n', 'row': 0, 'col': -1}", "col" },
  { "/common/wire/data/grid-cell/code-missing", DG_RECORD_GRID_CELL,
    "{'name': 'n', 'row': 0, 'col': 0}", "code" },
  { "/common/wire/data/road/unit-id-not-uuid", DG_RECORD_ROAD,
    "{'name': '人民路', 'surface': 'main', 'unit_id': '府城街道'}", "unit_id" },
  { "/common/wire/data/grid-cell/unit-id-number", DG_RECORD_GRID_CELL,
    "{'code': 'G1', 'name': 'n', 'row': 0, 'col': 0, 'unit_id': 7}", "unit_id" },
  { "/common/wire/data/unit/code-missing", DG_RECORD_UNIT, "{'name': '府城街道'}", "code" },
  { "/common/wire/data/unit/name-empty", DG_RECORD_UNIT, "{'code': 'FC', 'name': ' '}", "name" },
  { "/common/wire/data/unit/parent-not-uuid", DG_RECORD_UNIT,
    "{'code': 'FC', 'name': 'n', 'parent_id': 'QS'}", "parent_id" },
  { "/common/wire/data/unit/parent-itself", DG_RECORD_UNIT,
    "{'code': 'FC', 'name': 'n', 'parent_id': '" RECORD_ID "'}", "parent_id" },
  { "/common/wire/data/dustfall-history/cell-id-missing", DG_RECORD_DUSTFALL_HISTORY,
    "{'month': '2024-03', 'value': 8.1, 'source': 'import'}", "cell_id" },
  { "/common/wire/data/dustfall-history/month-not-a-month", DG_RECORD_DUSTFALL_HISTORY,
    "{'cell_id': '" CELL_ID "', 'month': '2024-13', 'value': 8.1, 'source': 'import'}", "month" },
  { "/common/wire/data/dustfall-history/value-negative", DG_RECORD_DUSTFALL_HISTORY,
    "{'cell_id': '" CELL_ID "', 'month': '2024-03', 'value': -0.1, 'source': 'import'}", "value" },
  { "/common/wire/data/dustfall-history/value-string", DG_RECORD_DUSTFALL_HISTORY,
    "{'cell_id': '" CELL_ID "', 'month': '2024-03', 'value': '8', 'source': 'import'}", "value" },
  { "/common/wire/data/dustfall-history/source-blank", DG_RECORD_DUSTFALL_HISTORY,
    "{'cell_id': '" CELL_ID "', 'month': '2024-03', 'value': 8, 'source': ' '}", "source" },
  /* RECORD_ID is not the id derived from the cell and month: a second value of one month. */
  { "/common/wire/data/dustfall-history/id-not-derived", DG_RECORD_DUSTFALL_HISTORY,
    "{'cell_id': '" CELL_ID "', 'month': '2024-03', 'value': 8, 'source': 'import'}", "id" },
  { "/common/wire/data/rule/kind-unknown", DG_RECORD_RULE,
    "{'kind': 'ceiling', 'value': 8, 'effective_from': '2022-01-01'}", "kind" },
  { "/common/wire/data/rule/limit-without-surface", DG_RECORD_RULE,
    "{'kind': 'limit', 'value': 8, 'effective_from': '2022-01-01'}", "surface" },
  { "/common/wire/data/rule/cap-with-surface", DG_RECORD_RULE,
    "{'kind': 'cap', 'surface': 'main', 'value': 8, 'effective_from': '2022-01-01'}", "surface" },
  { "/common/wire/data/rule/value-string", DG_RECORD_RULE,
    "{'kind': 'cap', 'value': '8', 'effective_from': '2022-01-01'}", "value" },
  { "/common/wire/data/rule/quota-fraction", DG_RECORD_RULE,
    "{'kind': 'quota_points', 'value': 6.5, 'effective_from': '2022-01-01'}", "value" },
  { "/common/wire/data/rule/effective-from-number", DG_RECORD_RULE,
    "{'kind': 'cap', 'value': 8, 'effective_from': 20220101}", "effective_from" },
};

/* A history record decodes under the id derived from its cell and month, in either case, and
 * encodes back to the same canonical text. */
static void
test_dustfall_history (void)
{
  static const char json[] = "{'cell_id': '" CELL_ID "', 'month': '2024-03', 'value': 8.15,"
                             " 'source': 'import'}";
  g_autofree char *id = dg_dustfall_history_id (CELL_ID, "2024-03");
  g_autofree char *upper_cell = g_ascii_strup (CELL_ID, -1);
  g_autofree char *id_upper_cell = dg_dustfall_history_id (upper_cell, "2024-03");
  g_autofree char *other_month = dg_dustfall_history_id (CELL_ID, "2024-04");
  g_autoptr(JsonNode) node = parse_sq (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgDustfallHistory) history = NULL;
  g_autoptr(DgDustfallHistory) again = NULL;
  g_autoptr(JsonObject) encoded = NULL;
  g_autoptr(JsonObject) reencoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  g_assert_cmpstr (id, ==, id_upper_cell);
  g_assert_cmpstr (id, !=, other_month);
  g_assert_true (dg_uuid_is_valid (id));

  history = dg_record_data_from_json (DG_RECORD_DUSTFALL_HISTORY, id,
                                      json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (history->cell_id, ==, CELL_ID);
  g_assert_cmpstr (history->month, ==, "2024-03");
  g_assert_cmpfloat (history->value, ==, 8.15);
  g_assert_cmpstr (history->source, ==, "import");
  g_assert_null (dg_record_computed_to_json (DG_RECORD_DUSTFALL_HISTORY, history, NULL));
  g_assert_true (dg_record_type_is_reference (DG_RECORD_DUSTFALL_HISTORY));

  encoded = dg_record_data_to_json (DG_RECORD_DUSTFALL_HISTORY, history);
  text = canonical_object (encoded);
  again = dg_record_data_from_json (DG_RECORD_DUSTFALL_HISTORY, id, encoded, &error);
  g_assert_no_error (error);
  reencoded = dg_record_data_to_json (DG_RECORD_DUSTFALL_HISTORY, again);
  text2 = canonical_object (reencoded);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_bad_data (gconstpointer data)
{
  const BadData *bd = data;

  decode_fails (bd->type, bd->json, bd->field);
}

static void
test_oversized_strings (void)
{
  g_autofree char *kib = g_strnfill (DG_MAX_STRING_BYTES + 1, 'x');
  g_autofree char *four_kib = g_strnfill (DG_MAX_NOTES_BYTES + 1, 'x');
  g_autofree char *notes_ok = g_strnfill (DG_MAX_NOTES_BYTES, 'x');
  g_autofree char *weather = g_strdup_printf (CHECK_HEAD "'weather': '%s', 'points': [" POINT "]}",
                                              kib);
  g_autofree char *notes = g_strdup_printf (CHECK_HEAD "'notes': '%s', 'points': [" POINT "]}",
                                            four_kib);
  g_autofree char *notes_fit = g_strdup_printf (CHECK_HEAD "'notes': '%s', 'points': [" POINT
                                                "]}", notes_ok);
  g_autofree char *location = g_strdup_printf (CHECK_HEAD "'points': [{'seq': 1, 'surface': "
                                               "'main', 'location': '%s', 'mass_g': 1}]}", kib);
  g_autofree char *name = g_strdup_printf ("{'name': '%s', 'surface': 'main'}", kib);
  g_autoptr(DgRoadCheck) fits = NULL;

  decode_fails (DG_RECORD_ROAD_CHECK, weather, "weather");
  decode_fails (DG_RECORD_ROAD_CHECK, notes, "notes");
  decode_fails (DG_RECORD_ROAD_CHECK, location, "points[0].location");
  decode_fails (DG_RECORD_ROAD, name, "name");

  /* A 1 KiB string counts bytes, not characters: 342 three-byte characters are too many. */
  {
    g_autoptr(GString) cjk = g_string_new (NULL);
    g_autofree char *json = NULL;

    for (guint i = 0; i < 342; i++)
      g_string_append (cjk, "路");
    json = g_strdup_printf ("{'name': '%s', 'surface': 'main'}", cjk->str);
    decode_fails (DG_RECORD_ROAD, json, "name");
  }

  fits = decode_ok (DG_RECORD_ROAD_CHECK, notes_fit);
  g_assert_cmpuint (strlen (fits->notes), ==, DG_MAX_NOTES_BYTES);
}

static char *
check_with_points (guint n)
{
  GString *json = g_string_new (CHECK_HEAD "'points': [");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (json, "%s{'seq': %u, 'surface': 'main', 'mass_g': 1}",
                            i > 1 ? "," : "", i);
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static void
test_point_count (void)
{
  g_autofree char *hundred = check_with_points (DG_MAX_POINTS);
  g_autofree char *too_many = check_with_points (DG_MAX_POINTS + 1);
  g_autoptr(DgRoadCheck) check = decode_ok (DG_RECORD_ROAD_CHECK, hundred);

  g_assert_cmpuint (check->points->len, ==, DG_MAX_POINTS);
  decode_fails (DG_RECORD_ROAD_CHECK, too_many, "points");
}

/* Every member, at every level, replaced by a value of every JSON type: each decode either
 * succeeds or fails with invalid_field naming a field, and never trips a critical (the suite runs
 * with G_DEBUG=fatal-warnings). */
static void
mutate_and_decode (DgRecordType  type,
                   JsonNode     *root,
                   JsonObject   *object,
                   guint        *n_decoded)
{
  static const char *replacements[] = { "null", "true", "0", "-1", "1.5", "1e300", "\"\"",
                                        "\"x\"", "[]", "[1]", "{}", "{\"a\":[]}" };
  g_autoptr(GList) list = json_object_get_members (object);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);

  /* Copies: replacing a member frees json-glib's copy of its name. */
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (members, g_strdup (l->data));

  for (guint m = 0; m < members->len; m++)
    {
      const char *member = g_ptr_array_index (members, m);
      g_autoptr(JsonNode) saved = json_node_copy (json_object_get_member (object, member));

      /* Recurse first into the member's own objects (the points of a check). */
      if (JSON_NODE_HOLDS_ARRAY (saved))
        {
          JsonArray *array = json_node_get_array (saved);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (element))
                mutate_and_decode (type, root, json_node_get_object (element), n_decoded);
            }
        }

      for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
        {
          g_autoptr(GError) error = NULL;
          JsonNode *value = parse (replacements[r]);
          gpointer data;

          json_object_set_member (object, member, value);
          data = dg_record_data_from_json (type, RECORD_ID, json_node_get_object (root), &error);
          if (data != NULL)
            {
              g_assert_no_error (error);
              dg_record_data_free (type, data);
            }
          else
            {
              g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
              g_assert_nonnull (dg_error_get_field (error));
            }
          (*n_decoded)++;
        }

      json_object_set_member (object, member, json_node_copy (saved));
    }

  /* And with each member removed. */
  for (guint m = 0; m < members->len; m++)
    {
      const char *member = g_ptr_array_index (members, m);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) saved = json_node_copy (json_object_get_member (object, member));
      gpointer data;

      json_object_remove_member (object, member);
      data = dg_record_data_from_json (type, RECORD_ID, json_node_get_object (root), &error);
      if (data != NULL)
        dg_record_data_free (type, data);
      else
        g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
      json_object_set_member (object, member, json_node_copy (saved));
      (*n_decoded)++;
    }
}

static void
test_type_confusion (void)
{
  const struct { DgRecordType type; const char *json; } docs[] = {
    { DG_RECORD_ROAD_CHECK, check_json },
    { DG_RECORD_DUSTFALL_SAMPLE, sample_json },
    { DG_RECORD_ROAD, road_json },
    { DG_RECORD_GRID_CELL, cell_json },
    { DG_RECORD_RULE, rule_json },
    { DG_RECORD_UNIT, unit_json },
  };
  guint n_decoded = 0;

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(JsonNode) root = parse_sq (docs[i].json);

      mutate_and_decode (docs[i].type, root, json_node_get_object (root), &n_decoded);
    }

  g_test_message ("%u decodes", n_decoded);
  g_assert_cmpuint (n_decoded, >, 300);
}

static void
test_change_type_confusion (void)
{
  const char *members[] = { "type", "id", "base_rev", "deleted", "data" };
  const char *replacements[] = { "null", "true", "0", "-1", "1.5", "\"\"", "\"x\"", "[]", "{}" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
      {
        g_autoptr(JsonNode) root = parse_sq ("{'type': 'road', 'id': '" RECORD_ID "',"
                                             " 'base_rev': 1, 'deleted': false, 'data': {}}");
        g_autoptr(GError) error = NULL;
        g_autoptr(DgChange) change = NULL;

        json_object_set_member (json_node_get_object (root), members[m],
                                parse (replacements[r]));
        change = dg_change_from_json (root, &error);
        if (change == NULL)
          {
            g_assert_nonnull (error);
            g_assert_true (error->domain == DG_ERROR);
            g_assert_cmpstr (dg_error_get_field (error), ==, members[m]);
          }
      }
}

/* ---- Computed ---- */

static void
test_computed_road_check (void)
{
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = decode_ok (DG_RECORD_ROAD_CHECK,
    CHECK_HEAD "'points': [{'seq': 1, 'surface': 'main', 'mass_g': 5.0},"
    " {'seq': 2, 'surface': 'main', 'mass_g': 5.1}, {'seq': 3, 'surface': 'side', 'mass_g': 4}]}");
  g_autoptr(JsonObject) computed = dg_record_computed_to_json (DG_RECORD_ROAD_CHECK, check,
                                                               rules);
  g_autofree char *text = canonical_object (computed);

  /* 5.05 rounds to 5.1 and fails the 5 g/m² limit. */
  g_assert_cmpstr (text, ==,
                   "{\"complete\":false,\"flags\":[],\"groups\":["
                   "{\"limit\":5.0,\"mean\":5.1,\"pass\":false,\"surface\":\"main\"},"
                   "{\"limit\":10.0,\"mean\":4.0,\"pass\":true,\"surface\":\"side\"}],"
                   "\"max\":5.1,\"pass\":false,"
                   "\"points\":[{\"limit\":5.0,\"load\":5.0,\"pass\":true,\"seq\":1},"
                   "{\"limit\":5.0,\"load\":5.1,\"pass\":false,\"seq\":2},"
                   "{\"limit\":10.0,\"load\":4.0,\"pass\":true,\"seq\":3}],"
                   "\"points_over\":1}");
}

static void
test_computed_dustfall (void)
{
  g_autoptr(DgDustfallSample) sample = decode_ok (DG_RECORD_DUSTFALL_SAMPLE,
    SAMPLE_HEAD "'diameter_cm': 15, 'w0_g': 30.0, 'w1_g': 30.0002, 'wc_g': 0}");
  g_autoptr(JsonObject) computed = dg_record_computed_to_json (DG_RECORD_DUSTFALL_SAMPLE,
                                                               sample, NULL);
  JsonArray *flags = json_object_get_array_member (computed, "flags");

  g_assert_cmpfloat (json_object_get_double_member (computed, "days"), ==, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (computed, "diameter_cm"), ==, 15.0);
  g_assert_cmpfloat (json_object_get_double_member (computed, "value"), ==, 0.0);
  /* Flags travel as strings. */
  g_assert_cmpuint (json_array_get_length (flags), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (flags, 0), ==, "below_detection_limit");
}

static void
test_computed_dustfall_two_flags (void)
{
  /* 40 days, M = 0.019 / (176.71 × 40) × 30 × 10⁴ = 0.8 */
  g_autoptr(DgDustfallSample) sample = decode_ok (DG_RECORD_DUSTFALL_SAMPLE,
    "{'cell_id': '" CELL_ID "', 'jar': 'A', 'month': '2025-03', 'start': '2025-03-01T09:00',"
    " 'end': '2025-04-10T09:00', 'w0_g': 30.0, 'w1_g': 30.019, 'wc_g': 0}");
  g_autoptr(JsonObject) computed = dg_record_computed_to_json (DG_RECORD_DUSTFALL_SAMPLE,
                                                               sample, NULL);
  g_autofree char *text = canonical_object (computed);

  g_assert_cmpstr (text, ==, "{\"area_cm2\":176.71,\"days\":40.0,\"diameter_cm\":15.0,"
                             "\"flags\":[\"below_quantitation_limit\",\"nonstandard_period\"],"
                             "\"value\":0.8}");
}

static void
test_computed_dustfall_unknown (void)
{
  /* A struct that never went through validation: the figures are null, not a plausible 0. */
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(JsonObject) computed = NULL;
  g_autofree char *text = NULL;

  sample->start = g_strdup ("2025-03-01T09:00");
  sample->end = g_strdup ("2025-02-01T09:00");
  computed = dg_record_computed_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample, NULL);
  text = canonical_object (computed);
  g_assert_cmpstr (text, ==, "{\"area_cm2\":null,\"days\":null,\"diameter_cm\":null,"
                             "\"flags\":[],\"value\":null}");
}

static void
test_computed_reference_is_null (void)
{
  g_autoptr(DgRoad) road = decode_ok (DG_RECORD_ROAD, road_json);

  g_assert_null (dg_record_computed_to_json (DG_RECORD_ROAD, road, NULL));
}

/* ---- CHANGE ---- */

static DgChange *
change_from (const char  *json,
             GError     **error)
{
  g_autoptr(JsonNode) node = parse_sq (json);

  return dg_change_from_json (node, error);
}

static void
test_change_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgChange) change = change_from ("{'type': 'road_check', 'id': '" RECORD_ID "',"
                                            " 'base_rev': 3, 'data': {'x': 1}}", &error);
  g_autoptr(DgChange) deleted = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (change->type, ==, DG_RECORD_ROAD_CHECK);
  g_assert_cmpstr (change->id, ==, RECORD_ID);
  g_assert_cmpint (change->base_rev, ==, 3);
  g_assert_false (change->deleted);
  g_assert_true (json_object_has_member (change->data, "x"));

  deleted = change_from ("{'type': 'rule', 'id': '" RECORD_ID "', 'base_rev': 1,"
                         " 'deleted': true}", &error);
  g_assert_no_error (error);
  g_assert_true (deleted->deleted);
  g_assert_null (deleted->data);
}

static void
test_change_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgChange) change = change_from ("{'data': {'b': 2, 'a': 1.5}, 'base_rev': 0,"
                                            " 'id': '" RECORD_ID "', 'type': 'dustfall_sample'}",
                                            &error);
  g_autoptr(JsonNode) node = dg_change_to_json (change);
  g_autoptr(DgChange) again = dg_change_from_json (node, &error);
  g_autoptr(JsonNode) node2 = dg_change_to_json (again);
  g_autofree char *text = dg_json_canonical (node);
  g_autofree char *text2 = dg_json_canonical (node2);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "{\"base_rev\":0,\"data\":{\"a\":1.5,\"b\":2},\"id\":\"" RECORD_ID
                             "\",\"type\":\"dustfall_sample\"}");
  g_assert_cmpstr (text, ==, text2);
}

static void
test_change_new_refs_data (void)
{
  JsonObject *data = json_object_new ();
  DgChange *change = dg_change_new (DG_RECORD_ROAD, RECORD_ID, 2, FALSE, data);

  json_object_unref (data);
  /* The change holds its own reference. */
  json_object_set_int_member (change->data, "still", 1);
  g_assert_true (change->data == data);
  dg_change_free (change);
}

typedef struct
{
  const char  *path;
  const char  *json;
  DgErrorCode  code;
  const char  *field;
} BadChange;

#define ID_PART "'id': '" RECORD_ID "'"

static const BadChange bad_changes[] = {
  { "/common/wire/change/type-unknown",
    "{'type': 'road_chek', " ID_PART ", 'base_rev': 0, 'data': {}}",
    DG_ERROR_UNKNOWN_TYPE, "type" },
  { "/common/wire/change/type-missing", "{" ID_PART ", 'base_rev': 0, 'data': {}}",
    DG_ERROR_INVALID_FIELD, "type" },
  { "/common/wire/change/type-number", "{'type': 1, " ID_PART ", 'base_rev': 0, 'data': {}}",
    DG_ERROR_INVALID_FIELD, "type" },
  { "/common/wire/change/id-not-uuid",
    "{'type': 'road', 'id': 'road-1', 'base_rev': 0, 'data': {}}",
    DG_ERROR_INVALID_FIELD, "id" },
  { "/common/wire/change/id-missing", "{'type': 'road', 'base_rev': 0, 'data': {}}",
    DG_ERROR_INVALID_FIELD, "id" },
  { "/common/wire/change/base-rev-negative",
    "{'type': 'road', " ID_PART ", 'base_rev': -1, 'data': {}}",
    DG_ERROR_INVALID_FIELD, "base_rev" },
  { "/common/wire/change/base-rev-string",
    "{'type': 'road', " ID_PART ", 'base_rev': '3', 'data': {}}",
    DG_ERROR_INVALID_FIELD, "base_rev" },
  { "/common/wire/change/base-rev-missing", "{'type': 'road', " ID_PART ", 'data': {}}",
    DG_ERROR_INVALID_FIELD, "base_rev" },
  { "/common/wire/change/deleted-string",
    "{'type': 'road', " ID_PART ", 'base_rev': 0, 'deleted': 'no', 'data': {}}",
    DG_ERROR_INVALID_FIELD, "deleted" },
  { "/common/wire/change/data-missing", "{'type': 'road', " ID_PART ", 'base_rev': 0}",
    DG_ERROR_INVALID_FIELD, "data" },
  { "/common/wire/change/data-array", "{'type': 'road', " ID_PART ", 'base_rev': 0, 'data': []}",
    DG_ERROR_INVALID_FIELD, "data" },
  { "/common/wire/change/deleted-data-string",
    "{'type': 'road', " ID_PART ", 'base_rev': 2, 'deleted': true, 'data': 'x'}",
    DG_ERROR_INVALID_FIELD, "data" },
};

static void
test_bad_change (gconstpointer data)
{
  const BadChange *bc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgChange) change = change_from (bc->json, &error);

  g_assert_null (change);
  assert_dg_error (error, bc->code, bc->field);
}

static void
test_change_not_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse ("[1]");
  g_autoptr(JsonNode) string = parse ("\"x\"");

  g_assert_null (dg_change_from_json (node, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_null (dg_change_from_json (string, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
}

/* ---- RECORD ---- */

static DgRecord *
sample_record (void)
{
  g_autoptr(JsonNode) data = parse_sq (road_json);
  DgRecord *record = dg_record_new ();

  record->type = DG_RECORD_ROAD;
  record->id = g_strdup (RECORD_ID);
  record->rev = 4;
  record->seq = 1207;
  record->author = g_strdup ("admin");
  record->updated_at = g_strdup ("2025-03-14T08:00:00.000Z");
  record->data = json_object_ref (json_node_get_object (data));
  return record;
}

static void
test_record_encode (void)
{
  g_autoptr(DgRecord) record = sample_record ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  record->state = DG_RECORD_STATE_RETURNED;
  record->reason = g_strdup ("第 3 点质量偏高，请复核");
  node = dg_record_to_json (record);
  text = dg_json_to_string (node);

  g_assert_cmpstr (text, ==,
                   "{\"type\":\"road\",\"id\":\"" RECORD_ID "\",\"rev\":4,\"seq\":1207,"
                   "\"deleted\":false,\"author\":\"admin\","
                   "\"updated_at\":\"2025-03-14T08:00:00.000Z\",\"state\":\"returned\","
                   "\"reason\":\"第 3 点质量偏高，请复核\",\"data\":{\"name\":\"人民路\","
                   "\"unit\":\"府城街道\",\"surface\":\"main\",\"length_km\":2.4},"
                   "\"computed\":null}");
}

static void
test_record_round_trip (void)
{
  g_autoptr(DgRecord) record = sample_record ();
  g_autoptr(JsonNode) node = dg_record_to_json (record);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgRecord) back = dg_record_from_json (node, &error);
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *a = dg_json_canonical (node);
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (back->type, ==, DG_RECORD_ROAD);
  g_assert_cmpint (back->rev, ==, 4);
  g_assert_cmpint (back->seq, ==, 1207);
  g_assert_cmpint (back->state, ==, DG_RECORD_STATE_ACTIVE);
  g_assert_null (back->reason);
  g_assert_null (back->computed);

  node2 = dg_record_to_json (back);
  b = dg_json_canonical (node2);
  g_assert_cmpstr (a, ==, b);
}

static void
test_record_copy_is_deep (void)
{
  g_autoptr(DgRecord) record = sample_record ();
  g_autoptr(DgRecord) copy = dg_record_copy (record);

  json_object_set_string_member (record->data, "name", "changed");
  g_assert_cmpstr (json_object_get_string_member (copy->data, "name"), ==, "人民路");
  g_assert_cmpstr (copy->author, ==, "admin");
}

static void
test_record_decode_errors (void)
{
  const struct { const char *json; DgErrorCode code; const char *field; } cases[] = {
    { "{'type': 'x', " ID_PART ", 'rev': 1, 'seq': 1}", DG_ERROR_UNKNOWN_TYPE, "type" },
    { "{'type': 'road', " ID_PART ", 'rev': 'one', 'seq': 1}", DG_ERROR_INVALID_FIELD, "rev" },
    { "{'type': 'road', " ID_PART ", 'rev': 1}", DG_ERROR_INVALID_FIELD, "seq" },
    { "{'type': 'road', " ID_PART ", 'rev': 1, 'seq': 1, 'state': 'lost'}",
      DG_ERROR_INVALID_FIELD, "state" },
    { "{'type': 'road', " ID_PART ", 'rev': 1, 'seq': 1, 'data': 5}",
      DG_ERROR_INVALID_FIELD, "data" },
    { "{'type': 'road', " ID_PART ", 'rev': 1, 'seq': 1, 'computed': []}",
      DG_ERROR_INVALID_FIELD, "computed" },
    { "{'type': 'road', " ID_PART ", 'rev': 1, 'seq': 1, 'author': false}",
      DG_ERROR_INVALID_FIELD, "author" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_sq (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(DgRecord) record = dg_record_from_json (node, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (record);
      assert_dg_error (error, cases[i].code, cases[i].field);
    }
}

/* ---- RESULT ---- */

static void
test_result_applied (void)
{
  g_autoptr(DgResult) result = dg_result_new (RECORD_ID, DG_RESULT_APPLIED, 5);
  g_autoptr(JsonNode) node = dg_result_to_json (result);
  g_autofree char *text = dg_json_to_string (node);

  g_assert_cmpstr (text, ==, "{\"id\":\"" RECORD_ID "\",\"status\":\"applied\",\"rev\":5}");
}

static void
test_result_conflict_round_trip (void)
{
  g_autoptr(DgResult) result = dg_result_new (RECORD_ID, DG_RESULT_CONFLICT, 4);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DgResult) back = NULL;
  g_autoptr(GError) error = NULL;

  result->current = sample_record ();
  node = dg_result_to_json (result);
  back = dg_result_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpint (back->status, ==, DG_RESULT_CONFLICT);
  g_assert_cmpint (back->rev, ==, 4);
  g_assert_nonnull (back->current);
  g_assert_cmpint (back->current->seq, ==, 1207);
  g_assert_cmpstr (json_object_get_string_member (back->current->data, "name"), ==, "人民路");
}

static void
test_result_rejected_round_trip (void)
{
  g_autoptr(DgResult) result = dg_result_new (RECORD_ID, DG_RESULT_REJECTED, 0);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DgResult) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  dg_set_error (&result->error, DG_ERROR_INVALID_FIELD, "points[3].mass_g",
                "points[3].mass_g must be ≥ 0");
  node = dg_result_to_json (result);
  text = dg_json_to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"" RECORD_ID "\",\"status\":\"rejected\",\"rev\":0,\"error\":"
                   "{\"code\":\"invalid_field\",\"message\":\"points[3].mass_g must be ≥ 0\","
                   "\"field\":\"points[3].mass_g\"}}");

  back = dg_result_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->status, ==, DG_RESULT_REJECTED);
  assert_dg_error (back->error, DG_ERROR_INVALID_FIELD, "points[3].mass_g");
  g_assert_cmpstr (back->error->message, ==, "points[3].mass_g must be ≥ 0");
}

static void
test_result_decode_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad_status = parse_sq ("{'id': '" RECORD_ID "', 'status': 'done', 'rev': 1}");
  g_autoptr(JsonNode) bad_rev = parse_sq ("{'id': '" RECORD_ID "', 'status': 'applied',"
                                          " 'rev': []}");
  g_autoptr(JsonNode) bad_current = parse_sq ("{'id': '" RECORD_ID "', 'status': 'conflict',"
                                              " 'rev': 1, 'current': {'type': 'road'}}");

  g_assert_null (dg_result_from_json (bad_status, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "status");
  g_clear_error (&error);
  g_assert_null (dg_result_from_json (bad_rev, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "rev");
  g_clear_error (&error);
  g_assert_null (dg_result_from_json (bad_current, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "current.id");
}

/* ---- Errors ---- */

static void
test_error_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                              "/var/lib/dustgrid/db: disk full");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) io_node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *io_text = NULL;

  dg_set_error (&error, DG_ERROR_MONTH_CLOSED, NULL, "2025-02 is closed");
  node = dg_error_to_json (error);
  text = dg_json_to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"error\":{\"code\":\"month_closed\",\"message\":\"2025-02 is closed\"}}");

  /* Other domains do not leak their internals to the wire. */
  io_node = dg_error_to_json (io);
  io_text = dg_json_to_string (io_node);
  g_assert_cmpstr (io_text, ==,
                   "{\"error\":{\"code\":\"internal\",\"message\":\"Internal error\"}}");
}

static void
test_error_from_json (void)
{
  g_autoptr(JsonNode) wrapped = parse_sq ("{'error': {'code': 'invalid_field', 'message': 'm',"
                                          " 'field': 'points[0].seq'}}");
  g_autoptr(JsonNode) inner = parse_sq ("{'code': 'rate_limited', 'message': 'slow down'}");
  g_autoptr(JsonNode) unknown = parse_sq ("{'error': {'code': 'teapot', 'message': 3}}");
  g_autoptr(JsonNode) array = parse_sq ("[]");
  g_autoptr(GError) a = dg_error_from_json (wrapped);
  g_autoptr(GError) b = dg_error_from_json (inner);
  g_autoptr(GError) c = dg_error_from_json (unknown);
  g_autoptr(GError) d = dg_error_from_json (array);

  assert_dg_error (a, DG_ERROR_INVALID_FIELD, "points[0].seq");
  g_assert_cmpstr (a->message, ==, "m");
  assert_dg_error (b, DG_ERROR_RATE_LIMITED, NULL);
  g_assert_cmpstr (b->message, ==, "slow down");
  assert_dg_error (c, DG_ERROR_INTERNAL, NULL);
  assert_dg_error (d, DG_ERROR_INTERNAL, NULL);
}

/* ---- Reports ---- */

static void
test_report_dustfall (void)
{
  DgCellRank ranked = {
    .rank = 1, .cell_id = (char *) CELL_ID, .code = (char *) "G01", .name = (char *) "一网格",
    .unit = (char *) "府城街道", .row = 0, .col = 1, .has_value = TRUE, .value = dg_round1 (5.66),
    .exceeds = FALSE, .sites = 2, .site_max = 6.1, .site_min = 5.3, .has_prev = TRUE,
    .prev_value = 6.0, .has_mom = TRUE, .mom_change = -0.3, .mom_pct = -5.0, .has_yoy = FALSE,
    .has_ytd = TRUE, .ytd_mean = 8.2, .ytd_exceeds = TRUE,
  };
  DgCellRank missing = {
    .rank = 0, .cell_id = (char *) ROAD_ID, .code = (char *) "G02", .name = (char *) "二网格",
    .unit = NULL, .row = 1, .col = 0, .has_value = FALSE, .value = NAN, .site_max = NAN,
    .site_min = NAN,
  };
  DgCellRank *cells[] = { &ranked, &missing };
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  DgDustfallReport report = {
    .month = (char *) "2025-03", .cap = 8.0, .has_district_mean = TRUE,
    .district_mean = 0.1 * 57, .n_ranked = 1, .cells = array,
  };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_ptr_array_add (array, cells[0]);
  g_ptr_array_add (array, cells[1]);
  report.district_mean = dg_round1 (report.district_mean);
  node = dg_dustfall_report_to_json (&report);
  text = dg_json_to_string (node);

  g_assert_cmpstr (text, ==,
                   "{\"month\":\"2025-03\",\"cap\":8.0,\"district_mean\":5.7,\"cells\":["
                   "{\"rank\":1,\"cell_id\":\"" CELL_ID "\",\"code\":\"G01\",\"name\":\"一网格\","
                   "\"unit\":\"府城街道\",\"row\":0,\"col\":1,\"value\":5.7,\"exceeds\":false,"
                   "\"sites\":2,\"site_max\":6.1,\"site_min\":5.3,\"prev_value\":6.0,"
                   "\"mom_change\":-0.3,\"mom_pct\":-5.0,\"yoy_pct\":null,\"ytd_mean\":8.2,"
                   "\"ytd_exceeds\":true},"
                   "{\"rank\":null,\"cell_id\":\"" ROAD_ID "\",\"code\":\"G02\",\"name\":\"二网格\","
                   "\"unit\":null,\"row\":1,\"col\":0,\"value\":null,\"exceeds\":null,\"sites\":0,"
                   "\"site_max\":null,\"site_min\":null,\"prev_value\":null,\"mom_change\":null,"
                   "\"mom_pct\":null,\"yoy_pct\":null,\"ytd_mean\":null,\"ytd_exceeds\":null}]}");
}

static void
test_report_roads (void)
{
  DgRoadRow row = {
    .rank = 1, .road_id = (char *) ROAD_ID, .name = (char *) "人民路", .checks = 3, .complete = 2,
    .points = 16, .has_mean = TRUE, .mean = 4.3, .has_means = { TRUE, FALSE, TRUE },
    .means = { 4.1, NAN, 12.6 }, .max = 13.25, .points_over = 1, .passed = 2,
  };
  DgRoadRow idle = {
    .rank = 0, .road_id = (char *) CELL_ID, .name = (char *) "解放路", .max = NAN,
  };
  g_autoptr(GPtrArray) roads = g_ptr_array_new ();
  DgRoadReport report = { .month = (char *) "2025-03", .roads = roads };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_ptr_array_add (roads, &row);
  g_ptr_array_add (roads, &idle);
  node = dg_road_report_to_json (&report);
  text = dg_json_to_string (node);

  g_assert_cmpstr (text, ==,
                   "{\"month\":\"2025-03\",\"roads\":["
                   "{\"rank\":1,\"road_id\":\"" ROAD_ID "\",\"name\":\"人民路\",\"checks\":3,"
                   "\"complete\":2,\"points\":16,\"mean\":4.3,"
                   "\"means\":{\"main\":4.1,\"side\":null,\"park\":12.6},\"max\":13.25,"
                   "\"points_over\":1,\"passed\":2},"
                   "{\"rank\":null,\"road_id\":\"" CELL_ID "\",\"name\":\"解放路\",\"checks\":0,"
                   "\"complete\":0,\"points\":0,\"mean\":null,"
                   "\"means\":{\"main\":null,\"side\":null,\"park\":null},\"max\":null,"
                   "\"points_over\":0,\"passed\":0}]}");
}

static void
test_report_quota (void)
{
  g_autoptr(GArray) days = g_array_new (FALSE, TRUE, sizeof (DgQuotaDay));
  DgQuotaDay day1 = { .date = (char *) "2025-03-01", .roads = 6, .required = 6,
                      .state = DG_QUOTA_MET };
  DgQuotaDay day2 = { .date = (char *) "2025-03-02", .roads = 4, .required = 6,
                      .state = DG_QUOTA_SHORT };
  DgQuotaDay day3 = { .date = (char *) "2025-03-03", .roads = 0, .required = 6,
                      .state = DG_QUOTA_PENDING };
  DgQuotaReport report = {
    .month = (char *) "2025-03", .roads_required = 6, .points_required = 6, .days = days,
    .days_met = 1, .days_elapsed = 2,
  };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_array_append_val (days, day1);
  g_array_append_val (days, day2);
  g_array_append_val (days, day3);
  node = dg_quota_report_to_json (&report);
  text = dg_json_to_string (node);

  g_assert_cmpstr (text, ==,
                   "{\"month\":\"2025-03\",\"roads_required\":6,\"points_required\":6,\"days\":["
                   "{\"date\":\"2025-03-01\",\"roads\":6,\"met\":true,\"state\":\"met\"},"
                   "{\"date\":\"2025-03-02\",\"roads\":4,\"met\":false,\"state\":\"short\"},"
                   "{\"date\":\"2025-03-03\",\"roads\":0,\"met\":false,\"state\":\"pending\"}],"
                   "\"days_met\":1,\"days_elapsed\":2}");
}

/* The records a refusal names travel as "records" and come back on the error, and survive a
 * copy; an error without them writes no member. */
static void
test_error_records_round_trip (void)
{
  const char *ids[] = { "11111111-1111-4111-8111-111111111111",
                        "22222222-2222-4222-8222-222222222222", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;
  g_autoptr(GError) back = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char * const *records;

  dg_set_error (&error, DG_ERROR_CONFLICT, NULL, "2 records are still returned");
  dg_error_set_records (error, ids);
  node = dg_error_to_json (error);
  back = dg_error_from_json (node);
  records = dg_error_get_records (back);
  g_assert_nonnull (records);
  g_assert_cmpstr (records[0], ==, ids[0]);
  g_assert_cmpstr (records[1], ==, ids[1]);
  g_assert_null (records[2]);
  copy = g_error_copy (back);
  g_assert_cmpstr (dg_error_get_records (copy)[1], ==, ids[1]);

  dg_set_error (&plain, DG_ERROR_CONFLICT, NULL, "taken");
  object = dg_error_to_json_object (plain);
  g_assert_false (json_object_has_member (object, "records"));
  g_assert_null (dg_error_get_records (plain));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/wire/data/road-check/decode", test_road_check_decode);
  g_test_add_func ("/common/wire/data/round-trip-each-type", test_round_trip_each_type);
  g_test_add_func ("/common/wire/data/dustfall-history/derived-id-round-trip",
                   test_dustfall_history);
  g_test_add_func ("/common/wire/data/unit-id-optional", test_unit_id_optional);
  g_test_add_func ("/common/wire/data/canonical-independent-of-member-order",
                   test_canonical_independent_of_order);
  g_test_add_func ("/common/wire/data/road-check/normalized", test_road_check_normalized);
  g_test_add_func ("/common/wire/data/dustfall/defaults", test_dustfall_defaults);
  g_test_add_func ("/common/wire/data/dustfall/diameter-number-or-array",
                   test_dustfall_diameter_forms);
  g_test_add_func ("/common/wire/data/oversized-strings-name-field", test_oversized_strings);
  g_test_add_func ("/common/wire/data/road-check/100-points-ok-101-refused", test_point_count);
  for (guint i = 0; i < G_N_ELEMENTS (bad_data); i++)
    g_test_add_data_func (bad_data[i].path, &bad_data[i], test_bad_data);

  g_test_add_func ("/common/wire/data/every-member-every-type-no-critical", test_type_confusion);
  g_test_add_func ("/common/wire/change/every-member-every-type-no-critical",
                   test_change_type_confusion);

  g_test_add_func ("/common/wire/computed/road-check", test_computed_road_check);
  g_test_add_func ("/common/wire/computed/dustfall-flags-as-strings", test_computed_dustfall);
  g_test_add_func ("/common/wire/computed/dustfall-two-flags", test_computed_dustfall_two_flags);
  g_test_add_func ("/common/wire/computed/dustfall-unknown-is-null",
                   test_computed_dustfall_unknown);
  g_test_add_func ("/common/wire/computed/reference-types-have-none",
                   test_computed_reference_is_null);

  g_test_add_func ("/common/wire/change/decode", test_change_decode);
  g_test_add_func ("/common/wire/change/round-trip", test_change_round_trip);
  g_test_add_func ("/common/wire/change/new-takes-a-reference", test_change_new_refs_data);
  g_test_add_func ("/common/wire/change/not-an-object", test_change_not_object);
  for (guint i = 0; i < G_N_ELEMENTS (bad_changes); i++)
    g_test_add_data_func (bad_changes[i].path, &bad_changes[i], test_bad_change);

  g_test_add_func ("/common/wire/record/encode", test_record_encode);
  g_test_add_func ("/common/wire/record/round-trip", test_record_round_trip);
  g_test_add_func ("/common/wire/record/copy-is-deep", test_record_copy_is_deep);
  g_test_add_func ("/common/wire/record/decode-errors-name-field", test_record_decode_errors);

  g_test_add_func ("/common/wire/result/applied", test_result_applied);
  g_test_add_func ("/common/wire/result/conflict-carries-current", test_result_conflict_round_trip);
  g_test_add_func ("/common/wire/result/rejected-carries-error", test_result_rejected_round_trip);
  g_test_add_func ("/common/wire/result/decode-errors-name-field", test_result_decode_errors);

  g_test_add_func ("/common/wire/error/to-json", test_error_json);
  g_test_add_func ("/common/wire/error/from-json", test_error_from_json);
  g_test_add_func ("/common/wire/error/records-round-trip", test_error_records_round_trip);

  g_test_add_func ("/common/wire/report/dustfall-shape", test_report_dustfall);
  g_test_add_func ("/common/wire/report/roads-shape", test_report_roads);
  g_test_add_func ("/common/wire/report/quota-shape", test_report_quota);

  return g_test_run ();
}
