/* test-server-rectifications.c: the rectification notices of design 6.3 (整改) over real
 * loopback HTTP, on both backends: each step of the life cycle, each refusal of the policy and
 * of the notice itself, overdue computed on read, and the steps in the hash chain and the audit
 * log. */
#include "config.h"

#include <string.h>

#include "dg-test-image.h"
#include "dg-test-server.h"

#define UNIT_FC "1260b93f-5792-5100-8983-3790c589cd18"   /* 府城街道: G06, 怡光南路 */
#define UNIT_DC "66b397ad-8aac-5687-a854-ca0b069c5b4e"   /* 东城街道: G08 */
#define CELL_G06 "07bca1ae-d2b2-566f-9102-7812ac960abf"
#define CELL_G08 "7433c03b-e16a-55ce-b398-2f7e5902cfd4"

typedef struct
{
  DgTestServer *ts;
  char         *office;
  char         *admin;
  char         *inspector;
  char         *unit_fc;       /* "unit", bound to 府城街道 */
  char         *unit_dc;       /* "unit2", bound to 东城街道 */
  char         *month;         /* this month: a notice's month may not be to come */
  char         *deadline;      /* a week from today */
} Fixture;

static void
bind_unit (Fixture    *f,
           const char *username,
           const char *unit_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s", username);
  g_autofree char *body = g_strdup_printf ("{\"unit_id\":\"%s\"}", unit_id);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", path, f->admin, body, NULL), ==, 200);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) week = g_date_time_add_days (now, 7);

  f->ts = dg_test_server_new ();
  f->office = dg_test_login (f->ts, "office");
  f->admin = dg_test_login (f->ts, "admin");
  f->inspector = dg_test_login (f->ts, "inspector");

  /* A second unit user, whose password is its name as the other test users'. */
  hash = dg_auth_hash_password (f->ts->auth, "unit2", &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_put_user (f->ts->store, "unit2", DG_ROLE_UNIT, hash, &error));
  g_assert_no_error (error);
  bind_unit (f, "unit", UNIT_FC);
  bind_unit (f, "unit2", UNIT_DC);
  f->unit_fc = dg_test_login (f->ts, "unit");
  f->unit_dc = dg_test_login (f->ts, "unit2");

  f->month = g_date_time_format (now, "%Y-%m");
  f->deadline = g_date_time_format (week, "%Y-%m-%d");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->office);
  g_free (f->admin);
  g_free (f->inspector);
  g_free (f->unit_fc);
  g_free (f->unit_dc);
  g_free (f->month);
  g_free (f->deadline);
  dg_test_server_free (f->ts);
}

/* The body of a notice @id on grid cell @cell (or @target_type @target). */
static char *
issue_body (Fixture    *f,
            const char *id,
            const char *target_type,
            const char *target,
            const char *deadline)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"target_type\":\"%s\",\"target_id\":\"%s\","
                          "\"month\":\"%s\",\"deadline\":\"%s\","
                          "\"reason\":\"降尘量超过控制值，限期整改\"}",
                          id, target_type, target, f->month, deadline);
}

/* Issues a notice on @cell as the office; returns its id. */
static char *
issue (Fixture    *f,
       const char *cell)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *body = issue_body (f, id, "grid_cell", cell, f->deadline);
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/rectifications", f->office, body,
                                     &response), ==, 201);
  return g_steal_pointer (&id);
}

/* The status of a request, and the field its error names in *field (NULL when none). */
static guint
request_field (Fixture     *f,
               const char  *method,
               const char  *path,
               const char  *token,
               const char  *body,
               const char **code,
               char       **field)
{
  g_autoptr(JsonNode) response = NULL;
  guint status = dg_test_request (f->ts, method, path, token, body, &response);
  static char code_buf[64];

  *field = NULL;
  code_buf[0] = '\0';
  if (response != NULL && JSON_NODE_HOLDS_OBJECT (response) &&
      json_object_has_member (json_node_get_object (response), "error"))
    {
      JsonObject *error = json_object_get_object_member (json_node_get_object (response),
                                                         "error");

      g_strlcpy (code_buf, json_object_get_string_member (error, "code"), sizeof code_buf);
      if (json_object_has_member (error, "field") &&
          !json_object_get_null_member (error, "field"))
        *field = g_strdup (json_object_get_string_member (error, "field"));
    }
  if (code != NULL)
    *code = code_buf;
  return status;
}

/* The notices @token lists (with "?state=@state" unless NULL); the one of @id in *notice. */
static JsonArray *
list (Fixture     *f,
      const char  *token,
      const char  *state,
      JsonNode   **response,
      const char  *id,
      JsonObject **notice)
{
  g_autofree char *path = state != NULL
                            ? g_strdup_printf ("/api/v1/rectifications?state=%s", state)
                            : g_strdup ("/api/v1/rectifications");
  JsonArray *notices;

  g_assert_cmpuint (dg_test_request (f->ts, "GET", path, token, NULL, response), ==, 200);
  notices = json_object_get_array_member (json_node_get_object (*response), "rectifications");
  if (notice != NULL)
    {
      *notice = NULL;
      for (guint i = 0; i < json_array_get_length (notices); i++)
        {
          JsonObject *n = json_array_get_object_element (notices, i);

          if (g_str_equal (json_object_get_string_member (n, "id"), id))
            *notice = n;
        }
    }
  return notices;
}

static gboolean
audit_holds (Fixture    *f,
             const char *action,
             const char *target)
{
  g_autoptr(JsonNode) response = NULL;
  JsonArray *events;
  gboolean found = FALSE;

  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/audit?since=0", f->admin, NULL,
                                     &response), ==, 200);
  events = json_object_get_array_member (json_node_get_object (response), "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (e, "action"), action) &&
          g_strcmp0 (json_object_get_string_member (e, "target"), target) == 0)
        found = TRUE;
    }
  return found;
}

static guint
put_photo (Fixture    *f,
           const char *token,
           GBytes     *photo,
           char      **sha256)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/attachments/%s",
                                          f->ts->port, hash);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autofree char *value = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  soup_message_set_request_body_from_bytes (msg, "image/png", photo);
  answer = soup_session_send_and_read (f->ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  *sha256 = g_steal_pointer (&hash);
  return soup_message_get_status (msg);
}

/* The office issues a notice on a cell: it belongs to the cell's unit, is open, and is the
 * record's first revision and an audit event. Issuing it again is a retry, not a second one. */
static void
test_issue (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *body = issue_body (f, id, "grid_cell", CELL_G08, f->deadline);
  g_autofree char *other = issue_body (f, id, "grid_cell", CELL_G06, f->deadline);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/records/%s/history", id);
  g_autofree char *field = NULL;
  JsonObject *notice;
  const char *code;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/rectifications", f->office, body,
                                     &response), ==, 201);
  notice = json_node_get_object (response);
  g_assert_cmpstr (json_object_get_string_member (notice, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (notice, "unit_id"), ==, UNIT_DC);
  g_assert_cmpstr (json_object_get_string_member (notice, "state"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (notice, "deadline"), ==, f->deadline);
  g_assert_cmpstr (json_object_get_string_member (notice, "issued_by"), ==, "office");
  g_assert_true (json_object_get_null_member (notice, "outcome"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (notice, "responses")),
                    ==, 0);

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/rectifications", f->office, body,
                                     &again), ==, 200);
  g_assert_cmpuint (request_field (f, "POST", "/api/v1/rectifications", f->office, other, &code,
                                   &field), ==, 409);
  g_assert_cmpstr (code, ==, "conflict");
  g_assert_cmpstr (field, ==, "id");

  g_assert_cmpuint (dg_test_request (f->ts, "GET", path, f->office, NULL, &history), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (history), "revisions")), ==, 1);
  g_assert_true (audit_holds (f, "rectification_issued", id));
  g_assert_true (dg_store_verify (f->ts->store, NULL, &error));
  g_assert_no_error (error);
}

/* A unit ranking row and a road take notices too, each for its own unit. */
static void
test_issue_unit_and_road (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *unit_id = g_uuid_string_random ();
  g_autofree char *road_id = g_uuid_string_random ();
  g_autofree char *on_unit = issue_body (f, unit_id, "unit", UNIT_DC, f->deadline);
  g_autofree char *on_road = issue_body (f, road_id, "road", DG_TEST_ROAD_ID, f->deadline);
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/rectifications", f->office,
                                     on_unit, &a), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a), "unit_id"), ==,
                   UNIT_DC);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/rectifications", f->office,
                                     on_road, &b), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (b), "unit_id"), ==,
                   UNIT_FC);
}

/* Each bad field of an issue is named; only the office issues. */
static void
test_issue_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *good = issue_body (f, id, "grid_cell", CELL_G08, f->deadline);
  g_autofree char *past = issue_body (f, id, "grid_cell", CELL_G08, "2020-01-01");
  g_autofree char *bad_date = issue_body (f, id, "grid_cell", CELL_G08, "2026-02-30");
  g_autofree char *no_cell = issue_body (f, id, "grid_cell", "0b7ec1c4-52c2-4f4e-a1a4-0e0e0e0e0e0e",
                                         f->deadline);
  g_autofree char *road_as_cell = issue_body (f, id, "grid_cell", DG_TEST_ROAD_ID, f->deadline);
  g_autofree char *bad_type = issue_body (f, id, "street", CELL_G08, f->deadline);
  g_autofree char *bad_id = issue_body (f, "notice-1", "grid_cell", CELL_G08, f->deadline);
  g_autofree char *future = g_strdup_printf ("{\"id\":\"%s\",\"target_type\":\"grid_cell\","
                                             "\"target_id\":\"" CELL_G08 "\",\"month\":\"9999-01\","
                                             "\"deadline\":\"%s\",\"reason\":\"x\"}",
                                             id, f->deadline);
  g_autofree char *blank = g_strdup_printf ("{\"id\":\"%s\",\"target_type\":\"grid_cell\","
                                            "\"target_id\":\"" CELL_G08 "\",\"month\":\"%s\","
                                            "\"deadline\":\"%s\",\"reason\":\"  \"}",
                                            id, f->month, f->deadline);
  struct { const char *body; const char *field; } cases[] = {
    { past, "deadline" },
    { bad_date, "deadline" },
    { no_cell, "target_id" },
    { road_as_cell, "target_id" },
    { bad_type, "target_type" },
    { bad_id, "id" },
    { future, "month" },
    { blank, "reason" },
  };
  const char *tokens[] = { f->inspector, f->admin, f->unit_fc };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = NULL;
      const char *code;

      g_assert_cmpuint (request_field (f, "POST", "/api/v1/rectifications", f->office,
                                       cases[i].body, &code, &field), ==, 422);
      g_assert_cmpstr (code, ==, "invalid_field");
      g_assert_cmpstr (field, ==, cases[i].field);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autofree char *field = NULL;
      const char *code;

      g_assert_cmpuint (request_field (f, "POST", "/api/v1/rectifications", tokens[i], good,
                                       &code, &field), ==, 403);
      g_assert_cmpstr (code, ==, "forbidden");
    }
  g_assert_false (audit_holds (f, "rectification_issued", id));
}

/* A unit user sees its unit's notices and no other's; one bound to no unit sees none; the
 * inspector may not list them; the office and administrators see all. A notice is never in
 * a pull, and no change may write one. */
static void
test_list_scope (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *on_fc = issue (f, CELL_G06);
  g_autofree char *on_dc = issue (f, CELL_G08);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, pushed = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  g_autofree char *field = NULL;
  g_autofree char *unbound = NULL;
  g_autofree char *push = NULL;
  JsonObject *notice;
  JsonArray *changes;
  JsonObject *result;

  list (f, f->unit_fc, NULL, &r1, on_fc, &notice);
  g_assert_nonnull (notice);
  g_assert_cmpuint (json_array_get_length (list (f, f->unit_fc, NULL, &r2, on_dc, &notice)), ==,
                    1);
  g_assert_null (notice);
  list (f, f->office, NULL, &r3, on_dc, &notice);
  g_assert_nonnull (notice);
  g_assert_cmpuint (json_array_get_length (list (f, f->admin, NULL, &r4, on_fc, &notice)), ==, 2);

  g_assert_cmpuint (request_field (f, "GET", "/api/v1/rectifications", f->inspector, NULL, NULL,
                                   &field), ==, 403);

  /* A unit user the store has with no unit (the API makes none such). */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = dg_auth_hash_password (f->ts->auth, "unit3", &error);

    g_assert_no_error (error);
    g_assert_true (dg_store_put_user (f->ts->store, "unit3", DG_ROLE_UNIT, hash, &error));
    g_assert_no_error (error);
  }
  unbound = dg_test_login (f->ts, "unit3");
  g_assert_cmpuint (json_array_get_length (list (f, unbound, NULL, &r5, NULL, NULL)), ==, 0);

  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/changes?since=0&limit=1000",
                                     f->office, NULL, &pulled), ==, 200);
  changes = json_object_get_array_member (json_node_get_object (pulled), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, i),
                                                    "type"), !=, "rectification");

  push = g_strdup_printf ("{\"changes\":[{\"type\":\"rectification\",\"id\":\"%s\","
                          "\"base_rev\":1,\"data\":{}}]}", on_fc);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/changes", f->office, push, &pushed),
                    ==, 200);
  result = json_array_get_object_element (json_object_get_array_member (
                                            json_node_get_object (pushed), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
}

/* The unit answers with text and an uploaded photo: the notice is responded, the answer names
 * its author, and it is the record's next revision and an audit event. A photo not uploaded, an
 * empty text, another unit's user and the inspector are refused. */
static void
test_respond (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = issue (f, CELL_G06);
  g_autofree char *path = g_strdup_printf ("/api/v1/rectifications/%s/respond", id);
  g_autofree char *history_path = g_strdup_printf ("/api/v1/records/%s/history", id);
  g_autoptr(GBytes) photo = dg_test_png (32, 24, 7);
  g_autoptr(GBytes) not_uploaded = dg_test_png (32, 24, 8);
  g_autofree char *sha = NULL;
  g_autofree char *missing = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, not_uploaded);
  g_autofree char *body = NULL;
  g_autofree char *bad_photo = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *answer;
  JsonArray *responses;
  const char *code;

  g_assert_cmpuint (put_photo (f, f->unit_fc, photo, &sha), ==, 201);
  body = g_strdup_printf ("{\"text\":\"已对G06网格内工地覆盖防尘网，道路增加洒水两次\","
                          "\"photos\":[\"%s\"]}", sha);
  bad_photo = g_strdup_printf ("{\"text\":\"已整改\",\"photos\":[\"%s\",\"%s\"]}", sha, missing);

  {
    g_autofree char *field = NULL;

    g_assert_cmpuint (request_field (f, "POST", path, f->unit_fc, bad_photo, &code, &field), ==,
                      422);
    g_assert_cmpstr (field, ==, "photos[1]");
  }
  {
    g_autofree char *field = NULL;

    g_assert_cmpuint (request_field (f, "POST", path, f->unit_fc, "{\"text\":\" \"}", &code,
                                     &field), ==, 422);
    g_assert_cmpstr (field, ==, "text");
  }
  {
    g_autofree char *field = NULL;

    g_assert_cmpuint (request_field (f, "POST", path, f->unit_dc, body, &code, &field), ==, 403);
    g_assert_cmpstr (code, ==, "forbidden");
    g_assert_cmpuint (request_field (f, "POST", path, f->inspector, body, &code, &field), ==,
                      403);
  }

  g_assert_cmpuint (dg_test_request (f->ts, "POST", path, f->unit_fc, body, &response), ==, 200);
  answer = json_node_get_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "state"), ==, "responded");
  responses = json_object_get_array_member (answer, "responses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (responses, 0),
                                                  "author"), ==, "unit");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_array_get_object_element (responses, 0), "photos"), 0), ==, sha);

  /* The revision the chain holds names the photo. */
  g_assert_cmpuint (dg_test_request (f->ts, "GET", history_path, f->office, NULL, &history), ==,
                    200);
  {
    JsonArray *revisions = json_object_get_array_member (json_node_get_object (history),
                                                         "revisions");
    g_autofree char *text = NULL;

    g_assert_cmpuint (json_array_get_length (revisions), ==, 2);
    text = json_to_string (json_object_get_member (json_array_get_object_element (revisions, 1),
                                                   "data"), FALSE);
    g_assert_nonnull (strstr (text, sha));
  }
  g_assert_true (audit_holds (f, "rectification_responded", id));
  g_assert_true (dg_store_verify (f->ts->store, NULL, &error));
  g_assert_no_error (error);
}

/* Only the office closes: the unit may not close its own notice. A closed notice takes no more
 * answers and no second close; the outcome is checked. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = issue (f, CELL_G06);
  g_autofree char *respond = g_strdup_printf ("/api/v1/rectifications/%s/respond", id);
  g_autofree char *close = g_strdup_printf ("/api/v1/rectifications/%s/close", id);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;
  JsonObject *notice;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", respond, f->unit_fc, "{\"text\":\"已整改\"}",
                                     &response), ==, 200);
  {
    g_autofree char *field = NULL;

    g_assert_cmpuint (request_field (f, "POST", close, f->unit_fc, "{\"outcome\":\"done\"}",
                                     &code, &field), ==, 403);
    g_assert_cmpstr (code, ==, "forbidden");
    g_assert_cmpuint (request_field (f, "POST", close, f->admin, "{\"outcome\":\"done\"}",
                                     &code, &field), ==, 403);
    g_assert_cmpuint (request_field (f, "POST", close, f->office, "{\"outcome\":\"finished\"}",
                                     &code, &field), ==, 422);
    g_assert_cmpstr (field, ==, "outcome");
  }

  g_assert_cmpuint (dg_test_request (f->ts, "POST", close, f->office,
                                     "{\"outcome\":\"done\",\"note\":\"复查合格\"}", &closed), ==,
                    200);
  notice = json_node_get_object (closed);
  g_assert_cmpstr (json_object_get_string_member (notice, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (notice, "outcome"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (notice, "note"), ==, "复查合格");
  g_assert_cmpstr (json_object_get_string_member (notice, "closed_by"), ==, "office");

  {
    g_autofree char *field = NULL;

    g_assert_cmpuint (request_field (f, "POST", respond, f->unit_fc, "{\"text\":\"再次整改\"}",
                                     &code, &field), ==, 409);
    g_assert_cmpstr (code, ==, "conflict");
    g_assert_cmpuint (request_field (f, "POST", close, f->office, "{\"outcome\":\"not_done\"}",
                                     &code, &field), ==, 409);
  }
  g_assert_true (audit_holds (f, "rectification_closed", id));
  g_assert_true (dg_store_verify (f->ts->store, NULL, &error));
  g_assert_no_error (error);
}

/* Overdue is computed on read: a notice whose deadline has passed is listed under overdue and
 * under neither open nor responded, until it is closed. The deadline is moved back behind the
 * store's back, as the days passing would; the chain shows that it was. */
static void
test_overdue (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *late = issue (f, CELL_G06);
  g_autofree char *in_time = issue (f, CELL_G08);
  g_autofree char *sql = g_strdup_printf ("UPDATE records SET data = replace (data, "
                                          "'\"deadline\":\"%s\"', '\"deadline\":\"2020-01-31\"')"
                                          " WHERE id = '%s'", f->deadline, late);
  g_autofree char *close = g_strdup_printf ("/api/v1/rectifications/%s/close", late);
  g_autofree char *field = NULL;
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *notice;

  list (f, f->office, "open", &r1, late, &notice);
  g_assert_nonnull (notice);
  g_assert_true (dg_store_exec (f->ts->store, sql, &error));
  g_assert_no_error (error);

  list (f, f->office, "overdue", &r2, late, &notice);
  g_assert_nonnull (notice);
  g_assert_cmpstr (json_object_get_string_member (notice, "state"), ==, "overdue");
  list (f, f->office, "open", &r3, late, &notice);
  g_assert_null (notice);
  list (f, f->office, "open", &r4, in_time, &notice);
  g_assert_nonnull (notice);
  list (f, f->unit_fc, "overdue", &r5, late, &notice);
  g_assert_nonnull (notice);

  /* The notice was changed behind the chain's back: verify says so. */
  g_assert_false (dg_store_verify (f->ts->store, NULL, NULL));

  /* Late is not never: it is closed all the same, and then is closed, not overdue. */
  g_assert_cmpuint (dg_test_request (f->ts, "POST", close, f->office,
                                     "{\"outcome\":\"not_done\"}", &closed), ==, 200);
  g_assert_cmpuint (json_array_get_length (list (f, f->office, "overdue", &r6, NULL, NULL)), ==,
                    0);

  g_assert_cmpuint (request_field (f, "GET", "/api/v1/rectifications?state=late", f->office,
                                   NULL, NULL, &field), ==, 422);
  g_assert_cmpstr (field, ==, "state");

}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

#define ADD(path, func) \
  g_test_add ("/server/rectifications/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("issue-on-a-cell-belongs-to-its-unit", test_issue);
  ADD ("issue-on-a-unit-row-and-a-road", test_issue_unit_and_road);
  ADD ("issue-refused-naming-the-field-or-the-role", test_issue_refused);
  ADD ("unit-user-sees-only-its-units-notices", test_list_scope);
  ADD ("respond-with-text-and-photos-by-its-unit-only", test_respond);
  ADD ("close-by-the-office-only-and-once", test_close);
  ADD ("overdue-computed-on-read", test_overdue);
#undef ADD

  return g_test_run ();
}
