/* test-server-api.c: the HTTP API of design section 4 over real loopback HTTP.
 *
 * Each test gets a fresh database and an in-process server (dg-test-server.c).
 */
#include "config.h"

#include <string.h>

#include "dg-test-server.h"

#define CHECK_1 "11111111-1111-4111-8111-111111111111"
#define CHECK_2 "22222222-2222-4222-8222-222222222222"
#define CHECK_3 "33333333-3333-4333-8333-333333333333"

/* ---- Helpers ---- */

/* A road check CHANGE on 怡光南路 with six main-road points of @mass grams. */
static char *
check_change (const char *id,
              gint64      base_rev,
              const char *date,
              double      mass)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT
                          ",\"author\":\"someone-else\",\"rev\":99,\"seq\":99,\"state\":\"returned\","
                          "\"computed\":{\"pass\":true},"
                          "\"data\":{\"road_id\":\"" DG_TEST_ROAD_ID "\",\"date\":\"%s\","
                          "\"weather\":\"晴\",\"points\":[", id, base_rev, date);
  for (int i = 1; i <= 6; i++)
    {
      char mass_text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (mass_text, sizeof mass_text, mass);
      g_string_append_printf (s, "%s{\"seq\":%d,\"surface\":\"main\",\"location\":\"K1+%03d 北侧\","
                              "\"area_m2\":1.0,\"mass_g\":%s}", i > 1 ? "," : "", i, i * 100,
                              mass_text);
    }
  g_string_append (s, "]}}");

  return g_string_free (s, FALSE);
}

static char *
batch (const char *first,
       ...)
{
  GString *s = g_string_new ("{\"changes\":[");
  va_list args;

  va_start (args, first);
  for (const char *c = first; c != NULL; c = va_arg (args, const char *))
    {
      if (c != first)
        g_string_append_c (s, ',');
      g_string_append (s, c);
    }
  va_end (args);
  g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

/* Pushes @body; asserts 200 and returns the results array (owned by *response). */
static JsonArray *
push (DgTestServer  *ts,
      const char    *token,
      const char    *body,
      JsonNode     **response)
{
  guint status = dg_test_request (ts, "POST", "/api/v1/changes", token, body, response);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (*response);
  return json_object_get_array_member (json_node_get_object (*response), "results");
}

static JsonObject *
result_at (JsonArray *results,
           guint      i)
{
  return json_array_get_object_element (results, i);
}

static void
assert_result (JsonArray  *results,
               guint       i,
               const char *status,
               gint64      rev)
{
  JsonObject *result = result_at (results, i);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, status);
  if (rev >= 0)
    g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, rev);
}

static const char *
result_error_code (JsonArray *results,
                   guint      i)
{
  JsonObject *result = result_at (results, i);

  if (!json_object_has_member (result, "error"))
    return NULL;
  return json_object_get_string_member (json_object_get_object_member (result, "error"), "code");
}

static const char *
result_error_field (JsonArray *results,
                    guint      i)
{
  JsonObject *error;

  error = json_object_get_object_member (result_at (results, i), "error");
  if (!json_object_has_member (error, "field") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (error, "field")))
    return NULL;
  return json_object_get_string_member (error, "field");
}

/* Pulls everything visible to @token, page by page; returns the records (new references). */
static GPtrArray *
pull_all (DgTestServer *ts,
          const char   *token,
          guint         limit,
          guint        *n_pages)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  *n_pages = 0;
  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) response = NULL;
      JsonObject *object;
      JsonArray *changes;
      guint status;

      if (limit > 0)
        path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, limit);
      else
        path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, since);
      status = dg_test_request (ts, "GET", path, token, NULL, &response);
      g_assert_cmpuint (status, ==, 200);
      object = json_node_get_object (response);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_ptr_array_add (records, json_object_ref (json_array_get_object_element (changes, i)));
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
      (*n_pages)++;
      g_assert_cmpuint (*n_pages, <, 10000);
    }

  return records;
}

static JsonObject *
find_record (GPtrArray  *records,
             const char *id)
{
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (json_object_get_string_member (record, "id"), id) == 0)
        return record;
    }

  return NULL;
}

static void
assert_still_serving (DgTestServer *ts)
{
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (ts, "GET", "/healthz", NULL, NULL, &response), ==, 200);
}

/* ---- Tests ---- */

static void
test_healthz (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (ts, "GET", "/healthz", NULL, NULL, &response), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response), "status"), ==,
                   "ok");
}

/* Every route of the table, as nobody and as each role: allowed ones succeed, the others get
 * 401 without a token and 403 with the wrong role. */
static void
test_bad_token (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autoptr(JsonNode) response = NULL;
  const char *fake = "0000000000000000000000000000000000000000000000000000000000000000";

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/changes", fake, NULL, &response), ==, 401);
  g_assert_cmpstr (dg_test_error_code (response), ==, "unauthorized");
}

static void
test_login_wrong_password (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) unknown = NULL;

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/login", NULL,
                                     "{\"username\":\"office\",\"password\":\"nope\"}",
                                     &response), ==, 401);
  g_assert_cmpstr (dg_test_error_code (response), ==, "unauthorized");
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/login", NULL,
                                     "{\"username\":\"nobody\",\"password\":\"nope\"}",
                                     &unknown), ==, 401);
}

static void
test_login_rate_limited (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *good = "{\"username\":\"office\",\"password\":\"office\"}";
  const char *retry_after;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(JsonNode) response = NULL;

      g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/login", NULL,
                                         "{\"username\":\"office\",\"password\":\"guess\"}",
                                         &response), ==, 401);
    }

  /* Even the right password is refused now, with a Retry-After. */
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/login", ts->port);
  msg = soup_message_new ("POST", url);
  bytes = g_bytes_new_static (good, strlen (good));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                              "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), <=, 15 * 60);

  /* Other users are not affected. */
  g_free (dg_test_login (ts, "admin"));
}

static void
test_logout_revokes (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "office");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL;

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/changes", token, NULL, &a), ==, 200);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/logout", token, NULL, &b), ==, 200);
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/changes", token, NULL, &c), ==, 401);
}

/* The server owns author, computed, state, rev and seq, whatever the client sends. */
static void
test_push_applies (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *change = check_change (CHECK_1, 0, "2025-03-14", 6.0);
  g_autofree char *body = batch (change, NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GPtrArray) records = NULL;
  JsonObject *record, *computed;
  JsonArray *results;
  guint pages;

  results = push (ts, token, body, &response);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  assert_result (results, 0, "applied", 1);
  g_assert_cmpstr (json_object_get_string_member (result_at (results, 0), "id"), ==, CHECK_1);

  records = pull_all (ts, token, 0, &pages);
  record = find_record (records, CHECK_1);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "type"), ==, "road_check");
  g_assert_cmpstr (json_object_get_string_member (record, "author"), ==, "inspector");
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "active");
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 1);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));
  g_assert_nonnull (json_object_get_string_member (record, "updated_at"));

  /* Six points of 6.0 g/m² on a main road (limit 5): computed by common/ at write time. */
  computed = json_object_get_object_member (record, "computed");
  g_assert_nonnull (computed);
  g_assert_true (json_object_get_boolean_member (computed, "complete"));
  g_assert_false (json_object_get_boolean_member (computed, "pass"));
  g_assert_cmpint (json_object_get_int_member (computed, "points_over"), ==, 6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (computed, "max"), 6.0, 1e-9);
}

static void
test_retry_is_unchanged (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *change = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *body = batch (change, NULL);
  g_autoptr(JsonNode) first = NULL, second = NULL;
  JsonArray *results;

  results = push (ts, token, body, &first);
  assert_result (results, 0, "applied", 1);
  g_assert_cmpint (dg_store_count_revisions (ts->store, CHECK_1), ==, 1);

  /* The same batch again, as after a lost response: nothing new is stored. */
  results = push (ts, token, body, &second);
  assert_result (results, 0, "unchanged", 1);
  g_assert_cmpint (dg_store_count_revisions (ts->store, CHECK_1), ==, 1);
}

static void
test_stale_edit_conflicts (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 3.0);
  g_autofree char *stale = check_change (CHECK_1, 1, "2025-03-14", 4.0);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, NULL), *b3 = batch (stale, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL;
  JsonArray *results;
  JsonObject *current;

  assert_result (push (ts, token, b1, &r1), 0, "applied", 1);
  assert_result (push (ts, token, b2, &r2), 0, "applied", 2);

  results = push (ts, token, b3, &r3);
  assert_result (results, 0, "conflict", 2);
  current = json_object_get_object_member (result_at (results, 0), "current");
  g_assert_nonnull (current);
  g_assert_cmpint (json_object_get_int_member (current, "rev"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (current, "id"), ==, CHECK_1);
  g_assert_nonnull (json_object_get_object_member (current, "data"));
  g_assert_cmpint (dg_store_count_revisions (ts->store, CHECK_1), ==, 2);
}

static void
test_bad_change_beside_good (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *good1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *bad = check_change (CHECK_2, 0, "2025-03-14", -1.0);
  g_autofree char *good2 = check_change (CHECK_3, 0, "2025-03-15", 2.0);
  g_autofree char *body = batch (good1, bad, good2, NULL);
  g_autoptr(JsonNode) response = NULL;
  JsonArray *results;

  results = push (ts, token, body, &response);
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  assert_result (results, 0, "applied", 1);
  assert_result (results, 1, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 1), ==, "invalid_field");
  g_assert_true (g_str_has_suffix (result_error_field (results, 1), "mass_g"));
  assert_result (results, 2, "applied", 1);
  g_assert_cmpint (dg_store_count_revisions (ts->store, CHECK_2), ==, 0);
}

static void
test_reference_checks (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autoptr(GString) unknown_road = NULL;
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autofree char *b1 = NULL;
  const char *road = "{\"type\":\"road\",\"id\":\"44444444-4444-4444-8444-444444444444\","
                     "\"base_rev\":0,\"data\":{\"name\":\"测试路\",\"unit\":\"府城街道\","
                     "\"surface\":\"side\"}}";
  g_autofree char *road_batch = batch (road, NULL);
  JsonArray *results;

  /* A check naming no road. */
  {
    g_autofree char *text = check_change (CHECK_1, 0, "2025-03-14", 2.0);

    unknown_road = g_string_new (text);
  }
  g_string_replace (unknown_road, DG_TEST_ROAD_ID, "55555555-5555-4555-8555-555555555555", 0);
  b1 = batch (unknown_road->str, NULL);
  results = push (ts, token, b1, &r1);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "invalid_field");
  g_assert_cmpstr (result_error_field (results, 0), ==, "road_id");

  /* Reference data is the administrator's. */
  results = push (ts, token, road_batch, &r2);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "forbidden");

  results = push (ts, admin, road_batch, &r3);
  assert_result (results, 0, "applied", 1);
}

#define UNIT_TOP   "61000000-0000-4000-8000-000000000001"
#define UNIT_CHILD "61000000-0000-4000-8000-000000000002"
#define UNIT_ROAD  "61000000-0000-4000-8000-000000000003"

static char *
unit_change (const char *id,
             gint64      base_rev,
             const char *code,
             const char *parent_id)
{
  g_autofree char *parent = parent_id != NULL ? g_strdup_printf (",\"parent_id\":\"%s\"", parent_id)
                                              : g_strdup ("");

  return g_strdup_printf ("{\"type\":\"unit\",\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT ","
                          "\"data\":{\"code\":\"%s\",\"name\":\"单位 %s\"%s}}",
                          id, base_rev, code, code, parent);
}

/* Units (design 6.3) are reference data: the administrator's to write, everyone's to pull; a
 * road names one by unit_id, which must exist; codes are unique, the tree has no cycle, and a
 * unit something still names is not deleted. */
static void
test_units (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autofree char *top = unit_change (UNIT_TOP, 0, "T", NULL);
  g_autofree char *child = unit_change (UNIT_CHILD, 0, "T-1", UNIT_TOP);
  g_autofree char *b_units = batch (top, child, NULL);
  g_autofree char *same_code = unit_change ("61000000-0000-4000-8000-000000000009", 0, "T", NULL);
  g_autofree char *cycle = unit_change (UNIT_TOP, 1, "T", UNIT_CHILD);
  g_autofree char *no_parent = unit_change ("61000000-0000-4000-8000-00000000000a", 0, "X",
                                            "61000000-0000-4000-8000-0000000000ff");
  g_autofree char *b_bad = batch (same_code, cycle, no_parent, NULL);
  const char *road = "{\"type\":\"road\",\"id\":\"" UNIT_ROAD "\",\"base_rev\":0,"
                     "\"data\":{\"name\":\"单位路\",\"unit\":\"府城街道\",\"surface\":\"main\","
                     "\"unit_id\":\"" UNIT_CHILD "\"}}";
  const char *road_nowhere = "{\"type\":\"road\",\"id\":\"61000000-0000-4000-8000-000000000004\","
                             "\"base_rev\":0,\"data\":{\"name\":\"无主路\",\"surface\":\"main\","
                             "\"unit_id\":\"61000000-0000-4000-8000-0000000000ff\"}}";
  g_autofree char *b_roads = batch (road, road_nowhere, NULL);
  const char *delete_child = "{\"type\":\"unit\",\"id\":\"" UNIT_CHILD "\",\"base_rev\":1,"
                             "\"deleted\":true}";
  g_autofree char *b_delete = batch (delete_child, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(GPtrArray) pulled = NULL;
  JsonObject *record;
  JsonArray *results;
  guint pages;

  results = push (ts, inspector, b_units, &r1);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "forbidden");

  results = push (ts, admin, b_units, &r2);
  assert_result (results, 0, "applied", 1);
  assert_result (results, 1, "applied", 1);

  results = push (ts, admin, b_bad, &r3);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_field (results, 0), ==, "code");
  assert_result (results, 1, "rejected", -1);
  g_assert_cmpstr (result_error_field (results, 1), ==, "parent_id");
  assert_result (results, 2, "rejected", -1);
  g_assert_cmpstr (result_error_field (results, 2), ==, "parent_id");

  results = push (ts, admin, b_roads, &r4);
  assert_result (results, 0, "applied", 1);
  assert_result (results, 1, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 1), ==, "invalid_field");
  g_assert_cmpstr (result_error_field (results, 1), ==, "unit_id");

  /* The road still names the unit: it stays. */
  results = push (ts, admin, b_delete, &r5);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "conflict");

  /* An inspector pulls the units and the road's unit_id, as the client decodes them. */
  pulled = pull_all (ts, inspector, 0, &pages);
  record = find_record (pulled, UNIT_CHILD);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "type"), ==, "unit");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "data"),
                                                  "parent_id"), ==, UNIT_TOP);
  record = find_record (pulled, UNIT_ROAD);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "data"),
                                                  "unit_id"), ==, UNIT_CHILD);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);
    g_autoptr(DgRecord) decoded = dg_record_from_json (node, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(DgRoad) decoded_road = NULL;

    g_assert_nonnull (decoded);
    decoded_road = dg_record_data_from_json (DG_RECORD_ROAD, decoded->id, decoded->data, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (decoded_road->unit_id, ==, UNIT_CHILD);
    g_assert_cmpstr (decoded_road->unit, ==, "府城街道");
  }
}

static void
test_inspectors_own_records_only (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *mine = dg_test_login (ts, "inspector");
  g_autofree char *other = dg_test_login (ts, "inspector2");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 3.0);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, h = NULL;
  g_autoptr(GPtrArray) others = NULL, offices = NULL;
  JsonArray *results;
  guint pages;

  assert_result (push (ts, mine, b1, &r1), 0, "applied", 1);

  results = push (ts, other, b2, &r2);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "forbidden");

  /* inspector2 pulls the reference data but not inspector's check; the office sees it. */
  others = pull_all (ts, other, 0, &pages);
  g_assert_null (find_record (others, CHECK_1));
  g_assert_nonnull (find_record (others, DG_TEST_ROAD_ID));
  offices = pull_all (ts, office, 0, &pages);
  g_assert_nonnull (find_record (offices, CHECK_1));

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/records/" CHECK_1 "/history", other,
                                     NULL, &h), ==, 403);
}

static void
test_pull_with_limit (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GPtrArray) one = NULL, paged = NULL;
  GString *body = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *text = NULL;
  guint pages_one, pages_paged;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("%08x-0000-4000-8000-000000000000", i + 1);
      g_autofree char *date = g_strdup_printf ("2025-03-%02u", i + 1);
      g_autofree char *change = check_change (id, 0, date, 2.0 + i * 0.1);

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, change);
    }
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  push (ts, token, text, &response);

  one = pull_all (ts, token, 0, &pages_one);
  paged = pull_all (ts, token, 7, &pages_paged);
  g_assert_cmpuint (pages_one, ==, 1);
  g_assert_cmpuint (pages_paged, >, 1);
  g_assert_cmpuint (one->len, ==, paged->len);
  g_assert_cmpuint (one->len, >=, 25 + 12 + 22 + 6);

  for (guint i = 0; i < one->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), one->pdata[i]);
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), paged->pdata[i]);
      g_autofree char *ta = dg_json_canonical (a), *tb = dg_json_canonical (b);

      g_assert_cmpstr (ta, ==, tb);
    }
}

static void
test_return_for_correction (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 2.5);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, ret = NULL, r2 = NULL, bad = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL, fixed = NULL;
  JsonObject *record;
  gint64 seq_before;
  guint pages;

  assert_result (push (ts, inspector, b1, &r1), 0, "applied", 1);
  before = pull_all (ts, inspector, 0, &pages);
  seq_before = json_object_get_int_member (find_record (before, CHECK_1), "seq");

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/return", office,
                                     "{\"reason\":\"point 3 looks mistyped\"}", &ret), ==, 200);
  record = json_node_get_object (ret);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "returned");

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/return", office,
                                     "{\"reason\":\"\"}", &bad), ==, 422);

  /* The author's pull carries it again: new seq, same rev, the reason. */
  after = pull_all (ts, inspector, 0, &pages);
  record = find_record (after, CHECK_1);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (record, "reason"), ==, "point 3 looks mistyped");
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (record, "seq"), >, seq_before);
  g_assert_cmpint (dg_store_count_revisions (ts->store, CHECK_1), ==, 1);

  /* The author's edit makes it active again. */
  assert_result (push (ts, inspector, b2, &r2), 0, "applied", 2);
  fixed = pull_all (ts, inspector, 0, &pages);
  record = find_record (fixed, CHECK_1);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "active");
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 2);
}

/* The checks a month's road table counts, over every road. */
static gint64
checks_in_roads_report (DgTestServer *ts,
                        const char   *token,
                        const char   *month)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/roads?month=%s", month);
  g_autoptr(JsonNode) response = NULL;
  JsonArray *roads;
  gint64 n = 0;

  g_assert_cmpuint (dg_test_request (ts, "GET", path, token, NULL, &response), ==, 200);
  roads = json_object_get_array_member (json_node_get_object (response), "roads");
  for (guint i = 0; i < json_array_get_length (roads); i++)
    n += json_object_get_int_member (json_array_get_object_element (roads, i), "checks");
  return n;
}

/* Issue 13: the author voids a record of theirs with a reason. It stays in the history and in
 * the office's pulls, state "voided" with the reason, counts for nothing in the reports, takes no
 * more edits nor returns; no one else may void it, nor anyone in a closed month. */
static void
test_void_record (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *inspector2 = dg_test_login (ts, "inspector2");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 2.5);
  g_autofree char *april = check_change (CHECK_2, 0, "2025-04-10", 2.0);
  g_autofree char *b1 = batch (v1, april, NULL), *b2 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, voided = NULL, again = NULL, denied = NULL;
  g_autoptr(JsonNode) office_denied = NULL, empty = NULL, returned = NULL, closed = NULL;
  g_autoptr(JsonNode) close = NULL, history = NULL, audit = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  const char *reason = "{\"reason\":\"weighed on the wrong road\"}";
  JsonArray *results, *events;
  JsonObject *record;
  gboolean audited = FALSE;
  guint pages;

  results = push (ts, inspector, b1, &r1);
  assert_result (results, 0, "applied", 1);
  assert_result (results, 1, "applied", 1);
  g_assert_cmpint (checks_in_roads_report (ts, office, "2025-03"), ==, 1);

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/void", inspector2,
                                     reason, &denied), ==, 403);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/void", office,
                                     reason, &office_denied), ==, 403);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/void", inspector,
                                     "{\"reason\":\"  \"}", &empty), ==, 422);
  g_assert_cmpstr (dg_test_error_code (empty), ==, "invalid_field");

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/void", inspector,
                                     reason, &voided), ==, 200);
  record = json_node_get_object (voided);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "voided");
  g_assert_cmpstr (json_object_get_string_member (record, "reason"), ==,
                   "weighed on the wrong road");
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 1);

  /* No data in the reports; still in the office's pull and in the history. */
  g_assert_cmpint (checks_in_roads_report (ts, office, "2025-03"), ==, 0);
  offices = pull_all (ts, office, 0, &pages);
  record = find_record (offices, CHECK_1);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "voided");
  g_assert_cmpstr (json_object_get_string_member (record, "reason"), ==,
                   "weighed on the wrong road");
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/records/" CHECK_1 "/history", office,
                                     NULL, &history), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (history), "revisions")), ==, 1);

  /* Final: an edit is refused, a return is a conflict, voiding again answers it as it is. */
  results = push (ts, inspector, b2, &r2);
  assert_result (results, 0, "rejected", 1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "conflict");
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/return", office,
                                     "{\"reason\":\"weigh again\"}", &returned), ==, 409);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/void", inspector,
                                     reason, &again), ==, 200);
  g_assert_cmpint (checks_in_roads_report (ts, office, "2025-03"), ==, 0);

  /* A closed month's records stay as they are. */
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-04/close", office, "{}",
                                     &close), ==, 200);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_2 "/void", inspector,
                                     reason, &closed), ==, 409);
  g_assert_cmpstr (dg_test_error_code (closed), ==, "month_closed");
  g_assert_cmpint (checks_in_roads_report (ts, office, "2025-04"), ==, 1);

  /* The audit log says who voided what, and why. */
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/audit?since=0&limit=1000", admin, NULL,
                                     &audit), ==, 200);
  events = json_object_get_array_member (json_node_get_object (audit), "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "action"), "record_voided") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "inspector");
          g_assert_cmpstr (json_object_get_string_member (event, "target"), ==, CHECK_1);
          g_assert_false (audited);
          audited = TRUE;
        }
    }
  g_assert_true (audited);
  g_assert_true (dg_store_verify (ts->store, NULL, NULL));
}

static void
test_month_close_and_reopen (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 2.5);
  g_autofree char *other = check_change (CHECK_2, 0, "2025-04-01", 2.5);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, other, NULL), *b3 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, c = NULL, r2 = NULL, o = NULL, r3 = NULL, ret = NULL;
  JsonArray *results;

  assert_result (push (ts, inspector, b1, &r1), 0, "applied", 1);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/close", office, NULL, &c),
                    ==, 200);

  /* A late change to March is refused; April is open. */
  results = push (ts, inspector, b2, &r2);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "month_closed");
  assert_result (results, 1, "applied", 1);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/return", office,
                                     "{\"reason\":\"x\"}", &ret), ==, 409);
  g_assert_cmpstr (dg_test_error_code (ret), ==, "month_closed");

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/reopen", admin, NULL, &o),
                    ==, 200);
  results = push (ts, inspector, b3, &r3);
  assert_result (results, 0, "applied", 2);
}

/* Design 6.6: a closed month's figures are frozen. Reference data changed after the close
 * leaves its reports as they were (they read it as it stood then); a rule that would be in force
 * in it is refused; reopening lets the month see today's reference data again. */

/* A CHANGE that replaces @record (as pulled) with its data after @member is set to @value; a
 * deletion when @member is NULL. */
static char *
reference_change (JsonObject *record,
                  const char *member,
                  const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, json_object_get_string_member (record, "type"));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, json_object_get_string_member (record, "id"));
  json_builder_set_member_name (builder, "base_rev");
  json_builder_add_int_value (builder, json_object_get_int_member (record, "rev"));
  if (member == NULL)
    {
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, TRUE);
    }
  else
    {
      data = json_node_copy (json_object_get_member (record, "data"));
      json_object_set_string_member (json_node_get_object (data), member, value);
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, g_steal_pointer (&data));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* A report as JSON text, without the time it was made. */
static char *
report_text (DgTestServer *ts,
             const char   *token,
             const char   *path)
{
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (ts, "GET", path, token, NULL, &response), ==, 200);
  json_object_remove_member (json_node_get_object (response), "generated_at");
  return json_to_string (response, FALSE);
}

static void
test_closed_month_frozen (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autofree char *check = check_change (CHECK_1, 0, "2025-03-14", 7.0);
  g_autofree char *b1 = batch (check, NULL);
  g_autoptr(JsonNode) r1 = NULL, c = NULL, r2 = NULL, r3 = NULL, o = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *roads_before = NULL, *roads_after = NULL, *roads_reopened = NULL;
  g_autofree char *dustfall_before = NULL, *dustfall_after = NULL;
  g_autofree char *assessment_before = NULL, *assessment_after = NULL;
  g_autofree char *renamed = NULL, *cell_gone = NULL, *rule_edit = NULL;
  g_autofree char *b2 = NULL, *b3 = NULL;
  const char *rule_in_march = "{\"type\":\"rule\",\"id\":\"66666666-6666-4666-8666-666666666666\","
                              "\"base_rev\":0,\"data\":{\"kind\":\"limit\",\"value\":0.5,"
                              "\"effective_from\":\"2025-03-01\",\"surface\":\"main\"}}";
  const char *rule_in_april = "{\"type\":\"rule\",\"id\":\"77777777-7777-4777-8777-777777777777\","
                              "\"base_rev\":0,\"data\":{\"kind\":\"limit\",\"value\":4,"
                              "\"effective_from\":\"2025-04-01\",\"surface\":\"main\"}}";
  JsonArray *results;
  guint n_pages;

  assert_result (push (ts, inspector, b1, &r1), 0, "applied", 1);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/close", office, NULL, &c),
                    ==, 200);
  roads_before = report_text (ts, office, "/api/v1/reports/roads?month=2025-03");
  dustfall_before = report_text (ts, office, "/api/v1/reports/dustfall?month=2025-03");
  assessment_before = report_text (ts, office, "/api/v1/reports/assessment?month=2025-03&format=json");
  g_assert_nonnull (strstr (roads_before, "怡光南路"));

  /* The road renamed, a cell deleted, the old limit edited, a stricter limit dated into March,
   * another dated into April. */
  records = pull_all (ts, admin, 0, &n_pages);
  renamed = reference_change (find_record (records, DG_TEST_ROAD_ID), "name", "怡光南路（改）");
  cell_gone = reference_change (find_record (records, DG_TEST_CELL_ID), NULL, NULL);
  rule_edit = reference_change (find_record (records, "00000000-0000-4000-8000-000000000001"),
                                "effective_from", "2025-04-01");
  b2 = batch (renamed, cell_gone, rule_edit, rule_in_march, rule_in_april, NULL);
  results = push (ts, admin, b2, &r2);
  assert_result (results, 0, "applied", -1);
  assert_result (results, 1, "applied", -1);
  /* The old limit was in force in March (from 2022): moving it would change March. */
  assert_result (results, 2, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 2), ==, "month_closed");
  g_assert_cmpstr (result_error_field (results, 2), ==, "effective_from");
  assert_result (results, 3, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 3), ==, "month_closed");
  g_assert_cmpstr (result_error_field (results, 3), ==, "effective_from");
  assert_result (results, 4, "applied", 1);

  roads_after = report_text (ts, office, "/api/v1/reports/roads?month=2025-03");
  dustfall_after = report_text (ts, office, "/api/v1/reports/dustfall?month=2025-03");
  assessment_after = report_text (ts, office, "/api/v1/reports/assessment?month=2025-03&format=json");
  /* (Compared quietly: a failure would print some 30 KiB of JSON.) */
  g_assert_true (g_str_equal (roads_after, roads_before));
  g_assert_true (g_str_equal (dustfall_after, dustfall_before));
  g_assert_true (g_str_equal (assessment_after, assessment_before));

  /* Reopened, March reads the district as it is now; closed again, it keeps that. */
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/reopen", admin, NULL, &o),
                    ==, 200);
  roads_reopened = report_text (ts, office, "/api/v1/reports/roads?month=2025-03");
  g_assert_nonnull (strstr (roads_reopened, "怡光南路（改）"));
  g_clear_pointer (&dustfall_after, g_free);
  dustfall_after = report_text (ts, office, "/api/v1/reports/dustfall?month=2025-03");
  g_assert_false (g_str_equal (dustfall_after, dustfall_before));

  /* An open month takes a rule dated into it. */
  b3 = batch (rule_in_march, NULL);
  assert_result (push (ts, admin, b3, &r3), 0, "applied", 1);
}

/* Design 6.7 over HTTP: closing a month with a record still returned answers 409 conflict
 * listing it, and closes nothing; {"force": true} closes it and says which stayed returned. */
static void
test_month_close_lists_returned (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *inspector = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *b1 = batch (v1, NULL);
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autoptr(JsonNode) r1 = NULL, ret = NULL, refused = NULL, bad = NULL, forced = NULL;
  g_autoptr(JsonNode) audit = NULL;
  JsonObject *error, *event;
  JsonArray *records, *events;

  assert_result (push (ts, inspector, b1, &r1), 0, "applied", 1);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/records/" CHECK_1 "/return", office,
                                     "{\"reason\":\"weigh again\"}", &ret), ==, 200);

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/close", office, NULL,
                                     &refused), ==, 409);
  g_assert_cmpstr (dg_test_error_code (refused), ==, "conflict");
  error = json_object_get_object_member (json_node_get_object (refused), "error");
  records = json_object_get_array_member (error, "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (records, 0), ==, CHECK_1);
  g_assert_false (dg_store_is_month_closed (ts->store, "2025-03", NULL));

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/close", office,
                                     "{\"force\":\"yes\"}", &bad), ==, 422);

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-03/close", office,
                                     "{\"force\":true}", &forced), ==, 200);
  records = json_object_get_array_member (json_node_get_object (forced), "returned");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (records, 0), ==, CHECK_1);
  g_assert_true (dg_store_is_month_closed (ts->store, "2025-03", NULL));

  /* The audit log's close (6.1) names what the force left returned. */
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/audit", admin, NULL, &audit), ==, 200);
  events = json_object_get_array_member (json_node_get_object (audit), "events");
  event = json_array_get_object_element (events, json_array_get_length (events) - 1);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "month_closed");
  g_assert_cmpstr (json_object_get_string_member (event, "target"), ==, "2025-03");
  records = json_object_get_array_member (json_object_get_object_member (event, "detail"),
                                          "returned");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (records, 0), ==, CHECK_1);
}

static void
test_restart_keeps_acknowledged (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_2, 0, "2025-03-15", 3.0);
  g_autofree char *body = batch (v1, v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, c = NULL, r2 = NULL, retry = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  g_autofree char *new_token = NULL;
  JsonArray *results;
  guint pages;

  push (ts, token, body, &r1);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/months/2025-02/close", office, NULL, &c),
                    ==, 200);
  before = pull_all (ts, token, 0, &pages);

  dg_test_server_restart (ts);

  /* Tokens, records, revisions and closed months survive. */
  after = pull_all (ts, token, 0, &pages);
  g_assert_cmpuint (before->len, ==, after->len);
  g_assert_nonnull (find_record (after, CHECK_1));
  g_assert_nonnull (find_record (after, CHECK_2));
  g_assert_true (dg_store_is_month_closed (ts->store, "2025-02", NULL));

  results = push (ts, token, body, &retry);
  assert_result (results, 0, "unchanged", 1);
  assert_result (results, 1, "unchanged", 1);

  new_token = dg_test_login (ts, "inspector");
  g_assert_nonnull (new_token);
  (void) r2;
}

static void
test_verify_detects_tampering (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 3.0);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  push (ts, token, b1, &r1);
  push (ts, token, b2, &r2);

  g_assert_true (dg_store_verify (ts->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 2);

  /* Someone lowers a mass in the first revision behind the server's back. */
  dg_store_exec (ts->store,
                 "UPDATE revisions SET data = replace (data, '\"mass_g\":2', '\"mass_g\":1')"
                 " WHERE record_id = '" CHECK_1 "' AND rev = 1", &error);
  g_assert_no_error (error);

  g_assert_false (dg_store_verify (ts->store, &n, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, CHECK_1));
  g_assert_nonnull (strstr (error->message, "rev 1"));
}

static void
test_history (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *v2 = check_change (CHECK_1, 1, "2025-03-14", 3.0);
  g_autofree char *b1 = batch (v1, NULL), *b2 = batch (v2, NULL);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, h = NULL, missing = NULL;
  JsonArray *revisions;
  JsonObject *second;

  push (ts, token, b1, &r1);
  push (ts, token, b2, &r2);

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/records/" CHECK_1 "/history", office,
                                     NULL, &h), ==, 200);
  revisions = json_object_get_array_member (json_node_get_object (h), "revisions");
  g_assert_cmpuint (json_array_get_length (revisions), ==, 2);
  second = json_array_get_object_element (revisions, 1);
  g_assert_cmpint (json_object_get_int_member (second, "rev"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (second, "author"), ==, "inspector");
  g_assert_cmpuint (strlen (json_object_get_string_member (second, "hash")), ==, 64);
  g_assert_nonnull (json_object_get_object_member (second, "data"));

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/records/" CHECK_2 "/history", office,
                                     NULL, &missing), ==, 404);
  g_assert_cmpstr (dg_test_error_code (missing), ==, "not_found");
}

static void
test_reports (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *office = dg_test_login (ts, "office");
  g_autofree char *v1 = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  g_autofree char *b1 = batch (v1, NULL);
  g_autoptr(JsonNode) r1 = NULL, d = NULL, r = NULL, q = NULL, a = NULL, x = NULL, bad = NULL;
  JsonObject *object;

  push (ts, token, b1, &r1);

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/dustfall?month=2025-03", office,
                                     NULL, &d), ==, 200);
  object = json_node_get_object (d);
  g_assert_cmpstr (json_object_get_string_member (object, "month"), ==, "2025-03");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "cells")), ==, 22);
  g_assert_true (json_object_has_member (object, "cap"));
  g_assert_true (json_object_has_member (object, "district_mean"));

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/roads?month=2025-03", office,
                                     NULL, &r), ==, 200);
  object = json_node_get_object (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "roads")), ==, 12);

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/quota?month=2025-03", token,
                                     NULL, &q), ==, 200);
  object = json_node_get_object (q);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "days")), ==, 31);

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/assessment?month=2025-03&format=json",
                                     office, NULL, &a), ==, 200);
  g_assert_true (json_object_has_member (json_node_get_object (a), "dustfall"));

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/assessment?month=2025-03&format=doc",
                                     office, NULL, &x), ==, 422);
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/reports/assessment"
                                            "?month=2025-03&format=csv&section=roads", ts->port);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", office);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    bytes = soup_session_send_and_read (ts->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (
                                       soup_message_get_response_headers (msg), NULL), "text/csv"));
    g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Content-Disposition"));
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 3, "\xef\xbb\xbf", 3);
  }
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/reports/roads?month=March", office,
                                     NULL, &bad), ==, 422);
  g_assert_cmpstr (dg_test_error_code (bad), ==, "invalid_field");
}

/* ---- Bad input of section 5 ---- */

static void
test_limit_content_length (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  char buffer[1024] = { 0 };
  gsize n = 0, got;
  GInputStream *input;
  GOutputStream *output;

  /* Headers promising 100 MiB and no body at all: the answer must not wait for it. */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) ts->port, NULL,
                                                &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST /api/v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                             100 * 1024 * 1024);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  while (n < sizeof buffer - 1 &&
         g_input_stream_read_all (input, buffer + n, sizeof buffer - 1 - n, &got, NULL, &error) &&
         got > 0)
    n += got;
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (buffer, "\"too_large\""));

  assert_still_serving (ts);
}

/* libsoup sends a 9 MiB body in full after an honest Content-Length: still refused. */
static void
test_limit_honest_content_length (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  gsize size = DG_MAX_BODY_BYTES + 1024 * 1024;
  g_autofree char *body = g_malloc (size);
  g_autoptr(JsonNode) response = NULL;

  memset (body, ' ', size);
  body[0] = '{';
  body[size - 1] = '}';
  g_assert_cmpuint (dg_test_request_raw (ts, "POST", "/api/v1/changes", token, body, size,
                                         &response), ==, 413);
  g_assert_cmpstr (dg_test_error_code (response), ==, "too_large");
  assert_still_serving (ts);
}

/* A chunked body announces no length: it is counted as it arrives. */
static void
test_limit_body_counted (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/changes", ts->port);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  gsize size = DG_MAX_BODY_BYTES + 1024;
  char *body = g_malloc (size);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;

  memset (body, ' ', size);
  body[0] = '{';
  body[size - 1] = '}';
  stream = g_memory_input_stream_new_from_data (body, (gssize) size, g_free);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                   SOUP_ENCODING_CHUNKED);

  bytes = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize length = 0;
    const char *data = g_bytes_get_data (bytes, &length);

    g_assert_true (json_parser_load_from_data (parser, data, (gssize) length, NULL));
    response = json_parser_steal_root (parser);
  }
  g_assert_cmpstr (dg_test_error_code (response), ==, "too_large");
  assert_still_serving (ts);
}

static void
test_limit_too_many_changes (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GString) body = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) response = NULL;

  for (guint i = 0; i <= DG_MAX_BATCH_CHANGES; i++)
    g_string_append (body, i > 0 ? ",{}" : "{}");
  g_string_append (body, "]}");

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, body->str, &response),
                    ==, 413);
  g_assert_cmpstr (dg_test_error_code (response), ==, "too_large");
  assert_still_serving (ts);
}

static void
test_limit_too_deep (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GString) body = g_string_new ("{\"changes\":");
  g_autoptr(JsonNode) response = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, body->str, &response),
                    ==, 400);
  g_assert_cmpstr (dg_test_error_code (response), ==, "too_deep");
  assert_still_serving (ts);
}

static void
test_limit_invalid_utf8 (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(JsonNode) response = NULL;
  const char body[] = "{\"changes\":[],\"x\":\"\xc3\x28\"}";

  g_assert_cmpuint (dg_test_request_raw (ts, "POST", "/api/v1/changes", token, body,
                                         sizeof body - 1, &response), ==, 400);
  g_assert_cmpstr (dg_test_error_code (response), ==, "bad_json");
  assert_still_serving (ts);
}

static void
test_limit_bad_json (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL;

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, "{\"changes\":[",
                                     &r1), ==, 400);
  g_assert_cmpstr (dg_test_error_code (r1), ==, "bad_json");
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/login", NULL, "not json", &r2), ==, 400);
  g_assert_cmpstr (dg_test_error_code (r2), ==, "bad_json");
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, "[]", &r3), ==, 400);
  assert_still_serving (ts);
}

static void
test_limit_unknown_type (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *good = check_change (CHECK_1, 0, "2025-03-14", 2.0);
  const char *odd = "{\"type\":\"parking_ticket\",\"id\":\"" CHECK_2 "\",\"base_rev\":0,"
                    "\"data\":{}}";
  g_autofree char *body = batch (odd, good, NULL);
  g_autoptr(JsonNode) response = NULL;
  JsonArray *results;

  results = push (ts, token, body, &response);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "unknown_type");
  g_assert_cmpstr (json_object_get_string_member (result_at (results, 0), "id"), ==, CHECK_2);
  assert_result (results, 1, "applied", 1);
  assert_still_serving (ts);
}

static void
test_limit_invalid_field (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *bad_date = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) response = NULL, r2 = NULL;
  const char *bad_id = "{\"type\":\"road_check\",\"id\":\"not-a-uuid\",\"base_rev\":0,\"data\":{}}";
  JsonArray *results;

  bad_date = check_change (CHECK_1, 0, "2025-02-30", 2.0);
  body = batch (bad_date, bad_id, NULL);
  results = push (ts, token, body, &response);
  assert_result (results, 0, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 0), ==, "invalid_field");
  g_assert_cmpstr (result_error_field (results, 0), ==, "date");
  assert_result (results, 1, "rejected", -1);
  g_assert_cmpstr (result_error_code (results, 1), ==, "invalid_field");

  /* A whole request with an invalid query parameter answers 422. */
  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/changes?limit=-4", token, NULL, &r2),
                    ==, 422);
  g_assert_cmpstr (dg_test_error_code (r2), ==, "invalid_field");
  assert_still_serving (ts);
}

static void
test_unknown_route (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL;

  g_assert_cmpuint (dg_test_request (ts, "GET", "/api/v1/nothing", NULL, NULL, &r1), ==, 404);
  g_assert_cmpstr (dg_test_error_code (r1), ==, "not_found");
  g_assert_cmpuint (dg_test_request (ts, "DELETE", "/api/v1/changes", NULL, NULL, &r2), ==, 404);
  g_assert_cmpstr (dg_test_error_code (r2), ==, "not_found");
}

int
main (int    argc,
      char **argv)
{
  /* Tests may use the cheapest Argon2 parameters; production never does. */
  g_setenv ("DUSTGRID_PWHASH_MIN", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  g_test_add_func ("/server/api/healthz", test_healthz);
  g_test_add_func ("/server/api/bad-token-is-unauthorized", test_bad_token);
  g_test_add_func ("/server/api/login-wrong-password", test_login_wrong_password);
  g_test_add_func ("/server/api/login-rate-limited", test_login_rate_limited);
  g_test_add_func ("/server/api/logout-revokes", test_logout_revokes);
  g_test_add_func ("/server/api/push-applies", test_push_applies);
  g_test_add_func ("/server/api/retry-is-unchanged", test_retry_is_unchanged);
  g_test_add_func ("/server/api/stale-edit-conflicts", test_stale_edit_conflicts);
  g_test_add_func ("/server/api/bad-change-beside-good", test_bad_change_beside_good);
  g_test_add_func ("/server/api/reference-checks", test_reference_checks);
  g_test_add_func ("/server/api/units", test_units);
  g_test_add_func ("/server/api/inspectors-own-records-only", test_inspectors_own_records_only);
  g_test_add_func ("/server/api/pull-with-limit-is-one-pull", test_pull_with_limit);
  g_test_add_func ("/server/api/return-for-correction", test_return_for_correction);
  g_test_add_func ("/server/api/void-record", test_void_record);
  g_test_add_func ("/server/api/month-close-and-reopen", test_month_close_and_reopen);
  g_test_add_func ("/server/api/closed-month-figures-frozen", test_closed_month_frozen);
  g_test_add_func ("/server/api/month-close-lists-returned-records",
                   test_month_close_lists_returned);
  g_test_add_func ("/server/api/restart-keeps-acknowledged", test_restart_keeps_acknowledged);
  g_test_add_func ("/server/api/verify-detects-tampering", test_verify_detects_tampering);
  g_test_add_func ("/server/api/history", test_history);
  g_test_add_func ("/server/api/reports", test_reports);
  g_test_add_func ("/server/api/unknown-route", test_unknown_route);
  g_test_add_func ("/server/limits/content-length-413", test_limit_content_length);
  g_test_add_func ("/server/limits/honest-content-length-413", test_limit_honest_content_length);
  g_test_add_func ("/server/limits/chunked-body-counted-413", test_limit_body_counted);
  g_test_add_func ("/server/limits/too-many-changes", test_limit_too_many_changes);
  g_test_add_func ("/server/limits/too-deep", test_limit_too_deep);
  g_test_add_func ("/server/limits/invalid-utf8", test_limit_invalid_utf8);
  g_test_add_func ("/server/limits/bad-json", test_limit_bad_json);
  g_test_add_func ("/server/limits/unknown-type", test_limit_unknown_type);
  g_test_add_func ("/server/limits/invalid-field", test_limit_invalid_field);

  return g_test_run ();
}
