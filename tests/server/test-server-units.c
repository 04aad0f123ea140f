/* test-server-units.c: the unit ranking of design 6.3 over real loopback HTTP, on the sample
 * district's units with hand-computed values, on both backends. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <sys/wait.h>

#include <glib/gstdio.h>

#include "dg-bulletin.h"
#include "dg-test-server.h"

#define MONTH "2025-03"

#define UNIT_QS "4c73d386-5e67-597d-82c9-4dafd1e9f6b4"   /* 琼山区, the top */
#define UNIT_FC "1260b93f-5792-5100-8983-3790c589cd18"   /* 府城街道: 怡光南路, G06 */
#define UNIT_DC "66b397ad-8aac-5687-a854-ca0b069c5b4e"   /* 东城街道: G08 */
#define UNIT_XB "3da7e377-bee1-526c-85f4-8d3d8cee448f"   /* 西部产业集聚区: G04 */
#define UNIT_NC "9f8e2f21-e7da-5cf5-9158-57ec2f8a15e5"   /* 南城街道: no data */
#define UNIT_BC "2b8fc6e3-40b4-59a1-8212-58c4d83d1400"   /* 北城街道: G01, G02 */

#define CELL_G01 "379af3c6-7c80-5699-b5fe-521ba0b6b9f2"
#define CELL_G02 "18e0bfe2-ecfc-592c-b062-39e23ecd989d"
#define CELL_G04 "0470e15f-cb60-5fe2-840d-6c41eddfffa5"
#define CELL_G06 "07bca1ae-d2b2-566f-9102-7812ac960abf"
#define CELL_G08 "7433c03b-e16a-55ce-b398-2f7e5902cfd4"

typedef struct
{
  DgTestServer *ts;
  char         *inspector;
  char         *office;
  char         *admin;
} Fixture;

/* One jar A sample of @cell whose value is @value t/(km²·30 d): the net mass that gives it
 * with the default 15 cm jar over @days days, to 0.1 mg. */
static char *
sample_change (const char *cell,
               const char *month,
               const char *start,
               const char *end,
               double      days,
               double      value)
{
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(DgChange) change = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = g_uuid_string_random ();
  double area_cm2 = G_PI * 7.5 * 7.5;

  sample->id = g_strdup (id);
  sample->cell_id = g_strdup (cell);
  sample->jar = DG_JAR_A;
  g_free (sample->month);
  sample->month = g_strdup (month);
  sample->start = g_strdup (start);
  sample->end = g_strdup (end);
  sample->w0_g = 20.0;
  sample->w1_g = 20.0 + round (value * area_cm2 * days / 3e5 * 1e4) / 1e4;
  sample->wc_g = 0.0;
  data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);
  change = dg_change_new (DG_RECORD_DUSTFALL_SAMPLE, id, 0, FALSE, data);
  node = dg_change_to_json (change);
  return json_to_string (node, FALSE);
}

static char *
march_sample (const char *cell,
              double      value)
{
  return sample_change (cell, MONTH, "2025-03-01T09:00", "2025-03-31T09:00", 30, value);
}

/* A check of 怡光南路 (府城街道) on @day with @n main-carriageway points of @mass_g on 1 m². */
static char *
check_change (guint  day,
              guint  n,
              double mass_g)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GString) points = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (points, "%s{\"seq\":%u,\"surface\":\"main\",\"area_m2\":1.0,"
                            "\"mass_g\":%.1f}", i > 0 ? "," : "", i + 1, mass_g);
  return g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":0,"
                          "\"data\":{\"road_id\":\"" DG_TEST_ROAD_ID "\","
                          "\"date\":\"" MONTH "-%02u\",\"points\":[%s]}}", id, day, points->str);
}

/* Pushes @changes (NULL-terminated, each freed) as @token; every one must be applied. */
static void
push (Fixture    *f,
      const char *token,
      char      **changes)
{
  g_autoptr(GString) body = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) response = NULL;
  JsonArray *results;

  for (guint i = 0; changes[i] != NULL; i++)
    {
      g_string_append_printf (body, "%s%s", i > 0 ? "," : "", changes[i]);
      g_free (changes[i]);
    }
  g_string_append (body, "]}");

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/changes", token, body->str,
                                     &response), ==, 200);
  results = json_object_get_array_member (json_node_get_object (response), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i),
                                                    "status"), ==, "applied");
}

/* The month of the tests:
 *   北城 G01 4.0 (February 5.0), G02 5.1   → (4.0 + 5.1) / 2 = 4.55 → 4.6
 *   西部 G04 4.6                            → 4.6, tied with 北城
 *   府城 G06 3.0; 怡光南路: a complete check that passes (3.0 g/m²), one that fails (6.0), and
 *        a 5-point one that is not complete → pass rate 1 / 2 = 50.0 %
 *   东城 G08 12.0, over the cap of 8
 *   南城 nothing
 *   琼山区 (the top): (4.0 + 5.1 + 4.6 + 3.0 + 12.0) / 5 = 28.7 / 5 = 5.74 → 5.7 */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  char *changes[] = {
    march_sample (CELL_G01, 4.0),
    march_sample (CELL_G02, 5.1),
    march_sample (CELL_G04, 4.6),
    march_sample (CELL_G06, 3.0),
    march_sample (CELL_G08, 12.0),
    sample_change (CELL_G01, "2025-02", "2025-02-01T09:00", "2025-03-01T09:00", 28, 5.0),
    check_change (3, 6, 3.0),
    check_change (4, 6, 6.0),
    check_change (5, 5, 3.0),
    NULL,
  };

  f->ts = dg_test_server_new ();
  f->inspector = dg_test_login (f->ts, "inspector");
  f->office = dg_test_login (f->ts, "office");
  f->admin = dg_test_login (f->ts, "admin");
  push (f, f->inspector, changes);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->inspector);
  g_free (f->office);
  g_free (f->admin);
  dg_test_server_free (f->ts);
}

static JsonArray *
get_units (Fixture     *f,
           const char  *token,
           JsonNode   **response)
{
  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/reports/units?month=" MONTH, token,
                                     NULL, response), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (*response), "month"), ==,
                   MONTH);
  return json_object_get_array_member (json_node_get_object (*response), "units");
}

static JsonObject *
find_unit (JsonArray  *units,
           const char *unit_id)
{
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *u = json_array_get_object_element (units, i);

      if (g_str_equal (json_object_get_string_member (u, "unit_id"), unit_id))
        return u;
    }
  g_assert_not_reached ();
}

static double
number (JsonObject *object,
        const char *member)
{
  g_assert_false (json_object_get_null_member (object, member));
  return json_object_get_double_member (object, member);
}

/* Ranks among the district's street offices 1, 2, 2, 4, then the one without data, unranked;
 * the district above them, depth first. */
static void
test_ranks (Fixture       *f,
            gconstpointer  data)
{
  static const char *const order[] = { UNIT_QS, UNIT_FC, UNIT_BC, UNIT_XB, UNIT_DC, UNIT_NC };
  static const gint64 ranks[] = { 1, 1, 2, 2, 4, 0 };
  g_autoptr(JsonNode) response = NULL;
  JsonArray *units = get_units (f, f->office, &response);

  g_assert_cmpuint (json_array_get_length (units), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      JsonObject *u = json_array_get_object_element (units, i);

      g_assert_cmpstr (json_object_get_string_member (u, "unit_id"), ==, order[i]);
      if (ranks[i] == 0)
        g_assert_true (json_object_get_null_member (u, "rank"));
      else
        g_assert_cmpint (json_object_get_int_member (u, "rank"), ==, ranks[i]);
    }
}

/* The figures of each unit, the district's taking in every cell below it. */
static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;
  JsonArray *units = get_units (f, f->office, &response);
  JsonObject *qs = find_unit (units, UNIT_QS);
  JsonObject *bc = find_unit (units, UNIT_BC);
  JsonObject *fc = find_unit (units, UNIT_FC);
  JsonObject *dc = find_unit (units, UNIT_DC);
  JsonObject *nc = find_unit (units, UNIT_NC);

  g_assert_cmpfloat (number (qs, "mean"), ==, 5.7);
  g_assert_cmpint (json_object_get_int_member (qs, "cells"), ==, 22);
  g_assert_cmpint (json_object_get_int_member (qs, "cells_ranked"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (qs, "exceeding"), ==, 1);
  g_assert_true (json_object_get_null_member (qs, "parent_id"));
  g_assert_cmpstr (json_object_get_string_member (qs, "code"), ==, "QS");
  g_assert_cmpstr (json_object_get_string_member (qs, "name"), ==, "琼山区");

  g_assert_cmpfloat (number (bc, "mean"), ==, 4.6);
  g_assert_cmpint (json_object_get_int_member (bc, "cells"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (bc, "cells_ranked"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (bc, "parent_id"), ==, UNIT_QS);
  /* February: G01 5.0 alone; 环比 (4.6 − 5.0) / 5.0 = −8.0 %. */
  g_assert_cmpfloat (number (bc, "prev_mean"), ==, 5.0);
  g_assert_cmpfloat (number (bc, "mom_pct"), ==, -8.0);

  g_assert_cmpint (json_object_get_int_member (fc, "checks"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (fc, "checks_passed"), ==, 1);
  g_assert_cmpfloat (number (fc, "pass_rate"), ==, 50.0);
  g_assert_cmpfloat (number (qs, "pass_rate"), ==, 50.0);
  g_assert_true (json_object_get_null_member (bc, "pass_rate"));
  g_assert_cmpint (json_object_get_int_member (dc, "exceeding"), ==, 1);

  g_assert_true (json_object_get_null_member (nc, "mean"));
  g_assert_cmpint (json_object_get_int_member (nc, "cells"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (nc, "cells_ranked"), ==, 0);
  g_assert_true (json_object_get_null_member (nc, "prev_mean"));
}

/* A unit user sees its own row, ranked as the office sees it, and no other; the
 * administrator sees them all; an inspector none. */
static void
test_unit_user_own_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *unit = NULL;
  JsonArray *units;
  JsonObject *xb;

  /* Bound to no unit, it sees none. */
  unit = dg_test_login (f->ts, "unit");
  units = get_units (f, unit, &response);
  g_assert_cmpuint (json_array_get_length (units), ==, 0);
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/unit", f->admin,
                                     "{\"unit_id\":\"" UNIT_XB "\"}", &patched), ==, 200);
  units = get_units (f, unit, &response);
  g_assert_cmpuint (json_array_get_length (units), ==, 1);
  xb = json_array_get_object_element (units, 0);
  g_assert_cmpstr (json_object_get_string_member (xb, "unit_id"), ==, UNIT_XB);
  g_assert_cmpint (json_object_get_int_member (xb, "rank"), ==, 2);
  g_assert_cmpfloat (number (xb, "mean"), ==, 4.6);

  g_assert_cmpuint (json_array_get_length (get_units (f, f->admin, &all)), ==, 6);
  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/reports/units?month=" MONTH,
                                     f->inspector, NULL, &refused), ==, 403);
}

/* The month is named: a missing or malformed one is refused on "month". */
static void
test_month_validated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;
  JsonObject *error;

  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/reports/units?month=March",
                                     f->office, NULL, &response), ==, 422);
  error = json_object_get_object_member (json_node_get_object (response), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "month");
}

/* A closed month keeps its units as they stood: a unit renamed after the close keeps its name
 * in that month's table. */
static void
test_closed_month_frozen (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(JsonNode) pushed = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autofree char *rename = NULL;
  gint64 rev;
  JsonArray *units;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/months/" MONTH "/close", f->office,
                                     "{\"force\":true}", &closed), ==, 200);

  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/records/" UNIT_FC "/history",
                                     f->admin, NULL, &history), ==, 200);
  {
    JsonArray *revisions = json_object_get_array_member (json_node_get_object (history),
                                                         "revisions");
    JsonObject *last = json_array_get_object_element (revisions,
                                                      json_array_get_length (revisions) - 1);
    rev = json_object_get_int_member (last, "rev");
  }
  rename = g_strdup_printf ("{\"changes\":[{\"type\":\"unit\",\"id\":\"" UNIT_FC "\","
                            "\"base_rev\":%" G_GINT64_FORMAT ",\"data\":{\"code\":\"QS-FC\","
                            "\"name\":\"府城新区\",\"parent_id\":\"" UNIT_QS "\"}}]}", rev);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/changes", f->admin, rename,
                                     &pushed), ==, 200);

  units = get_units (f, f->office, &response);
  g_assert_cmpstr (json_object_get_string_member (find_unit (units, UNIT_FC), "name"), ==,
                   "府城街道");
}

/* ---- The bulletin ---- */

/* GET @path as @token over loopback HTTP; the raw body, with its status and content type. */
static GBytes *
get_raw (Fixture     *f,
         const char  *path,
         const char  *token,
         guint       *status,
         char       **content_type)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", f->ts->port, path);
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (f->ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  *content_type = g_strdup (soup_message_headers_get_content_type (
                              soup_message_get_response_headers (msg), NULL));
  return body;
}

/* Reads @path with tests/server/read-docx.py: {"title","paragraphs","tables","page_mm"}.
 * Debian's python3-docx (a test dependency in debian/control) is installed for
 * /usr/bin/python3, which a python3 first on PATH (pyenv, a virtualenv) may not see: the first
 * interpreter that has it reads the file, and none having it fails the test. */
static JsonNode *
read_docx (const char *path)
{
  const char *interpreters[] = { "python3", "/usr/bin/python3" };
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "server", "read-docx.py", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (interpreters); i++)
    {
      const char *argv[] = { interpreters[i], script, path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int wait_status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                         &err, &wait_status, NULL))
        continue;
      if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 77)
        continue;
      if (!g_spawn_check_wait_status (wait_status, NULL))
        g_error ("python-docx could not read %s: %s", path, err);
      return json_from_string (out, &error);
    }

  g_error ("no python3 with python3-docx to read %s", path);
}

static const char *
cell_text (JsonArray *table,
           guint      row,
           guint      col)
{
  return json_array_get_string_element (json_array_get_array_element (table, row), col);
}

static gboolean
has_paragraph_with (JsonArray  *paragraphs,
                    const char *needle)
{
  for (guint i = 0; i < json_array_get_length (paragraphs); i++)
    if (strstr (json_array_get_string_element (paragraphs, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The bulletin over HTTP, read back by python-docx: its title, A4, the cell ranking, the unit
 * ranking in rank order, the best cells praised and the exceeding cell with its notice still
 * to be issued; then, where LibreOffice is installed, converted by it. */
static void
test_bulletin_docx (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const ranking[][3] = {
    { "1", "G06", "3.0" }, { "2", "G01", "4.0" }, { "3", "G04", "4.6" }, { "4", "G02", "5.1" },
    { "5", "G08", "12.0" },
  };
  static const char *const units_order[][2] = {
    { "1", "琼山区" }, { "1", "　　府城街道" }, { "2", "　　北城街道" },
    { "2", "　　西部产业集聚区" }, { "4", "　　东城街道" }, { "—", "　　南城街道" },
  };
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *soffice = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) docx = NULL;
  JsonObject *doc;
  JsonArray *paragraphs, *tables, *page, *table;
  guint status;

  body = get_raw (f, "/api/v1/reports/bulletin?month=" MONTH "&format=docx", f->office,
                  &status, &content_type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (content_type, ==, DG_BULLETIN_DOCX_CONTENT_TYPE);

  dir = g_dir_make_tmp ("dg-bulletin-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bulletin.docx", NULL);
  g_file_set_contents (path, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body),
                       &error);
  g_assert_no_error (error);

  docx = read_docx (path);
  doc = json_node_get_object (docx);
  paragraphs = json_object_get_array_member (doc, "paragraphs");
  tables = json_object_get_array_member (doc, "tables");
  page = json_object_get_array_member (doc, "page_mm");

  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==,
                   "2025年3月扬尘污染防治工作通报");
  g_assert_cmpstr (json_array_get_string_element (paragraphs, 0), ==,
                   "2025年3月扬尘污染防治工作通报");
  g_assert_cmpint (json_array_get_int_element (page, 0), ==, 210);
  g_assert_cmpint (json_array_get_int_element (page, 1), ==, 297);
  g_assert_true (has_paragraph_with (paragraphs, "各责任单位："));
  g_assert_true (has_paragraph_with (paragraphs, "全区平均降尘量 5.7"));
  g_assert_true (has_paragraph_with (paragraphs, "一、降尘量排名"));
  g_assert_true (has_paragraph_with (paragraphs, "二、责任单位排名"));
  g_assert_true (has_paragraph_with (paragraphs, "对府城街道、北城街道、西部产业集聚区给予通报表扬"));

  g_assert_cmpuint (json_array_get_length (tables), ==, 4);

  /* The cell ranking: the header, the five ranked cells, then the 17 without data. */
  table = json_array_get_array_element (tables, 0);
  g_assert_cmpuint (json_array_get_length (table), ==, 1 + 22);
  g_assert_cmpstr (cell_text (table, 0, 0), ==, "排名");
  for (guint i = 0; i < G_N_ELEMENTS (ranking); i++)
    {
      g_assert_cmpstr (cell_text (table, i + 1, 0), ==, ranking[i][0]);
      g_assert_cmpstr (cell_text (table, i + 1, 1), ==, ranking[i][1]);
      g_assert_cmpstr (cell_text (table, i + 1, 4), ==, ranking[i][2]);
    }
  g_assert_cmpstr (cell_text (table, 5, 3), ==, "东城街道");
  g_assert_cmpstr (cell_text (table, 5, 6), ==, "超标");
  g_assert_cmpstr (cell_text (table, 6, 4), ==, "缺测");

  /* The unit ranking in the order of the API, ranks among siblings. */
  table = json_array_get_array_element (tables, 1);
  g_assert_cmpuint (json_array_get_length (table), ==, 1 + G_N_ELEMENTS (units_order));
  for (guint i = 0; i < G_N_ELEMENTS (units_order); i++)
    {
      g_assert_cmpstr (cell_text (table, i + 1, 0), ==, units_order[i][0]);
      g_assert_cmpstr (cell_text (table, i + 1, 1), ==, units_order[i][1]);
    }
  g_assert_cmpstr (cell_text (table, 1, 3), ==, "5.7");
  g_assert_cmpstr (cell_text (table, 2, 7), ==, "50.0%");
  g_assert_cmpstr (cell_text (table, 3, 5), ==, "-8.0%");

  /* The best: the four ranked cells under the cap (G08 is over it). */
  table = json_array_get_array_element (tables, 2);
  g_assert_cmpuint (json_array_get_length (table), ==, 1 + 4);
  g_assert_cmpstr (cell_text (table, 1, 1), ==, "G06");

  /* The exceeding cell, 12.0 against 8: 50 % over, no notice issued yet. */
  table = json_array_get_array_element (tables, 3);
  g_assert_cmpuint (json_array_get_length (table), ==, 1 + 1);
  g_assert_cmpstr (cell_text (table, 1, 0), ==, "G08");
  g_assert_cmpstr (cell_text (table, 1, 2), ==, "东城街道");
  g_assert_cmpstr (cell_text (table, 1, 4), ==, "50.0%");
  g_assert_cmpstr (cell_text (table, 1, 5), ==, "待下达");
  g_assert_cmpstr (cell_text (table, 1, 6), ==, "待下达");

  soffice = g_find_program_in_path ("soffice");
  if (soffice != NULL)
    {
      const char *argv[] = { soffice, "--headless", "--convert-to", "pdf", "--outdir", dir,
                             path, NULL };
      g_autofree char *pdf = g_build_filename (dir, "bulletin.pdf", NULL);
      int wait_status = 0;

      g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &wait_status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
      g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
      g_unlink (pdf);
    }
  else
    g_test_message ("soffice not installed: the LibreOffice conversion is not checked");

  g_unlink (path);
  g_rmdir (dir);
}

/* Only docx is offered: another format is refused on "format". */
static void
test_bulletin_format (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;
  JsonObject *error;

  g_assert_cmpuint (dg_test_request (f->ts, "GET",
                                     "/api/v1/reports/bulletin?month=" MONTH "&format=pdf",
                                     f->office, NULL, &response), ==, 422);
  error = json_object_get_object_member (json_node_get_object (response), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "format");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

#define ADD(path, func) \
  g_test_add ("/server/units/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("ranks-among-siblings-1-2-2-4-no-data-last", test_ranks);
  ADD ("figures-take-in-units-below", test_figures);
  ADD ("unit-user-sees-own-row-only", test_unit_user_own_row);
  ADD ("month-validated", test_month_validated);
  ADD ("closed-month-keeps-units-as-they-stood", test_closed_month_frozen);
  ADD ("bulletin-docx-read-by-python-docx", test_bulletin_docx);
  ADD ("bulletin-format-validated", test_bulletin_format);
#undef ADD

  return g_test_run ();
}
