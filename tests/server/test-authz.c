/* test-authz.c: every route, as every role and as nobody, on one's own record and on another's,
 * against a real server on loopback.
 *
 * The expected answer comes from the one policy table (common/dg-policy.c) through
 * dg_policy_allows(), never from a second table written here: a route whose action is wrong in
 * the route table, or a handler that checks a role by hand and disagrees with the policy, fails.
 */
#include "config.h"

#include <string.h>

#include "dg-test-image.h"
#include "dg-test-server.h"

/* The user who holds each role in the test server, and the author of the "other" records. */
static const char *const role_users[DG_N_ROLES] = {
  [DG_ROLE_INSPECTOR] = "inspector",
  [DG_ROLE_OFFICE] = "office",
  [DG_ROLE_ADMIN] = "admin",
  [DG_ROLE_UNIT] = "unit",
};
#define OTHER_AUTHOR "inspector2"

/* The unit user's unit, and a cell of it and one of another unit, for the notices of 6.3. */
#define UNIT_FC   "1260b93f-5792-5100-8983-3790c589cd18"   /* 府城街道 */
#define OWN_CELL   "07bca1ae-d2b2-566f-9102-7812ac960abf"  /* G06, 府城街道's */
#define OTHER_CELL "7433c03b-e16a-55ce-b398-2f7e5902cfd4"  /* G08, 东城街道's */

/* A caller: a role, or nobody (no token). */
#define NOBODY DG_N_ROLES

typedef struct
{
  DgTestServer *ts;
  char         *tokens[DG_N_ROLES];
  char          own_ids[DG_N_ROLES][37];   /* a check each role's user wrote */
  char          other_id[37];              /* a check OTHER_AUTHOR wrote */
  GBytes       *own_photos[DG_N_ROLES];    /* a photo each role's user uploaded */
  GBytes       *other_photo;               /* a photo OTHER_AUTHOR uploaded */
  guint         edits;                     /* to make every edit's content new */
} Matrix;

static Matrix matrix;

/* The photo the check @id names: each role's own check names that role's photo, the other
 * author's check the other photo, so that a photo is read through the record naming it. */
static char *
photo_of (const char *id)
{
  for (guint r = 0; r < DG_N_ROLES; r++)
    if (g_str_equal (id, matrix.own_ids[r]))
      return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, matrix.own_photos[r]);

  g_assert_cmpstr (id, ==, matrix.other_id);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, matrix.other_photo);
}

/* A road check on @id with base revision @base_rev and a content no edit had before; its first
 * point names the photo of @id, in every edit. */
static char *
check_change (const char *id,
              gint64      base_rev)
{
  g_autofree char *photo = photo_of (id);

  matrix.edits++;
  return g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT ","
                          "\"data\":{\"road_id\":\"" DG_TEST_ROAD_ID "\","
                          "\"date\":\"2025-03-14\",\"points\":["
                          "{\"seq\":1,\"surface\":\"main\",\"mass_g\":%u.5,\"photos\":[\"%s\"]},"
                          "{\"seq\":2,\"surface\":\"main\",\"mass_g\":2.5},"
                          "{\"seq\":3,\"surface\":\"main\",\"mass_g\":4.0}]}}",
                          id, base_rev, matrix.edits, photo);
}

/* Stores a check written by @author straight into the store, past the routes and the policy:
 * a unit user cannot write one through the API, and the matrix needs a record of its own. */
static void
plant_check (const char *author,
             char       *id)
{
  g_autofree char *change = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_strlcpy (id, uuid, 37);
  change = check_change (id, 0);
  text = g_strdup_printf ("[%s]", change);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  results = dg_store_apply_changes (matrix.ts->store, author, DG_ROLE_INSPECTOR,
                                    json_node_get_array (node), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (((DgResult *) g_ptr_array_index (results, 0))->status, ==, DG_RESULT_APPLIED);
}

/* Stores a photo uploaded by @author straight into the store. */
static GBytes *
plant_photo (const char *author,
             guint       seed)
{
  g_autoptr(GBytes) png = dg_test_png (8, 8, seed);
  g_auto(DgImageInfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_image_inspect (g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                   "image/png", &info, &error));
  g_assert_true (dg_store_put_attachment (matrix.ts->store, &info, png, author, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&png);
}

/* Sends @method to @path: a PUT uploads @photo as image/png; a GET's bytes, when they come
 * (200), must be @photo's, as image/png, and stay out of the test's log. An answer's JSON body
 * in *response. */
static guint
send_photo (const char  *method,
            const char  *path,
            const char  *token,
            GBytes      *photo,
            JsonNode   **response)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", matrix.ts->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean get = g_str_equal (method, "GET");
  guint status;

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (!get)
    soup_message_set_request_body_from_bytes (msg, "image/png", photo);
  answer = soup_session_send_and_read (matrix.ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  status = soup_message_get_status (msg);
  *response = NULL;
  if (get && status == 200)
    {
      g_assert_cmpstr (soup_message_headers_get_content_type (
                         soup_message_get_response_headers (msg), NULL), ==, "image/png");
      g_assert_true (g_bytes_equal (answer, photo));
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      (gssize) g_bytes_get_size (answer), NULL))
        *response = json_parser_steal_root (parser);
    }
  return status;
}

static gint64
current_rev (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgRecord) record = dg_store_get_record (matrix.ts->store, id, &error);

  g_assert_no_error (error);
  return record->rev;
}

/* Issues a new notice on @cell straight into the store; its id into @id (37 bytes). A step
 * closes or answers a notice, so each call of a route gets one of its own. */
static void
plant_notice (const char *cell,
              char       *id)
{
  g_autoptr(DgRectification) issue = dg_rectification_new ();
  g_autoptr(DgRectification) notice = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *uuid = g_uuid_string_random ();
  gboolean created = FALSE;

  g_strlcpy (id, uuid, 37);
  issue->id = g_strdup (uuid);
  issue->target_type = DG_RECTIFICATION_TARGET_GRID_CELL;
  issue->target_id = g_strdup (cell);
  issue->month = g_date_time_format (now, "%Y-%m");
  issue->deadline = g_date_time_format (now, "%Y-%m-%d");
  issue->reason = g_strdup ("降尘量超标");
  notice = dg_store_issue_rectification (matrix.ts->store, issue, "office", &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
}

/* Whether the notices @token lists hold @id. */
static gboolean
notices_hold (const char *token,
              const char *id)
{
  g_autoptr(JsonNode) response = NULL;
  JsonArray *notices;

  g_assert_cmpuint (dg_test_request (matrix.ts, "GET", "/api/v1/rectifications", token, NULL,
                                     &response), ==, 200);
  notices = json_object_get_array_member (json_node_get_object (response), "rectifications");
  for (guint i = 0; i < json_array_get_length (notices); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (notices, i),
                                                    "id"), id))
      return TRUE;
  return FALSE;
}

static const char *
token_for (guint caller)
{
  if (caller == NOBODY)
    return NULL;

  if (matrix.tokens[caller] == NULL)
    matrix.tokens[caller] = dg_test_login (matrix.ts, role_users[caller]);

  return matrix.tokens[caller];
}

/* Whether the pulled records of @caller hold @id. */
static gboolean
pull_holds (const char *token,
            const char *id)
{
  gint64 since = 0;
  gboolean more = TRUE;
  gboolean found = FALSE;

  while (more)
    {
      g_autoptr(JsonNode) response = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (dg_test_request (matrix.ts, "GET", path, token, NULL, &response), ==, 200);
      object = json_node_get_object (response);
      changes = json_object_get_array_member (object, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *record = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (record, "id"), id) == 0)
            found = TRUE;
        }
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
    }

  return found;
}

static void
check_route (const DgRoute *route,
             guint          caller,
             DgScope        scope)
{
  g_autoptr(GString) path = g_string_new (route->pattern);
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *body = NULL;
  g_autofree char *change = NULL;
  const char *id;
  const char *token = token_for (caller);
  gboolean on_record = strstr (route->pattern, "{id}") != NULL;
  gboolean is_push = route->action == DG_ACTION_PUSH;
  gboolean on_photo = strstr (route->pattern, "{sha256}") != NULL;
  gboolean on_notice = g_str_has_prefix (route->pattern, "/api/v1/rectifications");
  char notice_id[37];
  GBytes *photo;
  g_autofree char *photo_hash = NULL;
  guint expected, status;

  if (caller == NOBODY)
    id = matrix.other_id;
  else
    id = scope == DG_SCOPE_OWN ? matrix.own_ids[caller] : matrix.other_id;
  photo = caller != NOBODY && scope == DG_SCOPE_OWN ? matrix.own_photos[caller]
                                                     : matrix.other_photo;
  photo_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_string_replace (path, "{sha256}", photo_hash, 0);

  /* A notice of the unit user's unit is "its own"; another unit's is another's. */
  if (on_notice)
    {
      plant_notice (caller != NOBODY && scope == DG_SCOPE_OWN ? OWN_CELL : OTHER_CELL, notice_id);
      id = notice_id;
    }
  g_string_replace (path, "{id}", id, 0);
  g_string_replace (path, "{month}", "2020-01", 0);
  /* A user whose changes below (a display name, an end to sessions it has none of) leave the
   * matrix's tokens as they are. */
  g_string_replace (path, "{name}", OTHER_AUTHOR, 0);
  if (g_str_has_prefix (route->pattern, "/api/v1/reports/"))
    g_string_append (path, "?month=2025-03");

  if (g_str_has_suffix (route->pattern, "/login"))
    body = g_strdup ("{\"username\":\"office\",\"password\":\"office\"}");
  else if (g_str_has_suffix (route->pattern, "/return"))
    body = g_strdup ("{\"reason\":\"please weigh point 3 again\"}");
  else if (g_str_has_suffix (route->pattern, "/void"))
    body = g_strdup ("{\"reason\":\"weighed on the wrong road\"}");
  else if (g_str_equal (route->pattern, "/api/v1/users") && g_str_equal (route->method, "POST"))
    body = g_strdup_printf ("{\"username\":\"new%u\",\"role\":\"inspector\","
                            "\"password\":\"a long enough password\"}", ++matrix.edits);
  else if (g_str_has_prefix (route->pattern, "/api/v1/users/{name}") &&
           g_str_equal (route->method, "PATCH"))
    body = g_strdup_printf ("{\"display_name\":\"巡查员 %u\"}", ++matrix.edits);
  else if (route->action == DG_ACTION_CHANGE_PASSWORD)
    body = g_strdup_printf ("{\"old_password\":\"%s\",\"new_password\":\"a new password\"}",
                            caller == NOBODY ? "x" : role_users[caller]);
  else if (on_notice && g_str_equal (route->method, "POST") && !on_record)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *month = g_date_time_format (now, "%Y-%m");
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
      g_autofree char *uuid = g_uuid_string_random ();

      body = g_strdup_printf ("{\"id\":\"%s\",\"target_type\":\"grid_cell\",\"target_id\":\""
                              OTHER_CELL "\",\"month\":\"%s\",\"deadline\":\"%s\","
                              "\"reason\":\"降尘量超标\"}", uuid, month, today);
    }
  else if (on_notice && g_str_has_suffix (route->pattern, "/respond"))
    body = g_strdup ("{\"text\":\"已覆盖裸土\"}");
  else if (on_notice && g_str_has_suffix (route->pattern, "/close"))
    body = g_strdup ("{\"outcome\":\"done\"}");
  else if (is_push)
    {
      change = check_change (id, current_rev (id));
      body = g_strdup_printf ("{\"changes\":[%s]}", change);
    }

  /* The answer the policy gives. */
  if (!dg_policy_needs_token (route->action))
    expected = 200;
  else if (caller == NOBODY)
    expected = 401;
  else if (!dg_policy_allows (caller, route->action, DG_SCOPE_ANY))
    expected = 403;
  else if (on_record && !dg_policy_allows (caller, route->action, scope))
    expected = 403;
  /* A photo is read through the record naming it (design 6.2): the caller's own check names
   * its own photo, another's check the other; one the caller may not read answers as a hash
   * never uploaded. */
  else if (on_photo && g_str_equal (route->method, "GET") &&
           !dg_policy_allows (caller, DG_ACTION_READ_RECORD, scope))
    expected = 404;
  else if (g_str_equal (route->pattern, "/api/v1/users") && g_str_equal (route->method, "POST"))
    expected = 201;
  else if (on_notice && g_str_equal (route->method, "POST") && !on_record)
    expected = 201;
  else
    expected = 200;

  if (on_photo && !g_str_has_suffix (route->pattern, "/meta"))
    status = send_photo (route->method, path->str, token, photo, &response);
  else
    status = dg_test_request (matrix.ts, route->method, path->str, token, body, &response);
  g_test_message ("%s %s as %s on %s record: %u (policy: %u)", route->method, route->pattern,
                  caller == NOBODY ? "nobody" : dg_role_to_string (caller),
                  scope == DG_SCOPE_OWN ? "its own" : "another's", status, expected);
  g_assert_cmpuint (status, ==, expected);
  if (expected == 401)
    g_assert_cmpstr (dg_test_error_code (response), ==, "unauthorized");
  else if (expected == 403)
    g_assert_cmpstr (dg_test_error_code (response), ==, "forbidden");

  /* A batch answers 200 and carries each change's refusal in its result. */
  if (is_push && status == 200)
    {
      JsonArray *results = json_object_get_array_member (json_node_get_object (response),
                                                         "results");
      JsonObject *result = json_array_get_object_element (results, 0);
      gboolean allowed = dg_policy_allows_write (caller, DG_RECORD_ROAD_CHECK, scope);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==,
                       allowed ? "applied" : "rejected");
      if (!allowed)
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result,
                                                                                       "error"),
                                                        "code"), ==, "forbidden");
    }

  /* A pull shows another's record only to a role that may read it. */
  if (route->action == DG_ACTION_READ_RECORD && !on_record && status == 200)
    g_assert_true (pull_holds (token, id) == dg_policy_allows (caller, DG_ACTION_READ_RECORD,
                                                               scope));

  /* A unit user lists its unit's notices, and another unit's only a role that may read all. */
  if (route->action == DG_ACTION_READ_RECTIFICATIONS && status == 200)
    g_assert_true (notices_hold (token, id) == dg_policy_allows (caller,
                                                                 DG_ACTION_READ_RECTIFICATIONS,
                                                                 scope));

  /* A new password ends every session but the one it answers with; the test's user gets its
   * own password back (which ends that one too) and signs in again on its next request. */
  if (route->action == DG_ACTION_CHANGE_PASSWORD && caller != NOBODY && status == 200)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = dg_auth_hash_password (matrix.ts->auth, role_users[caller], &error);

      g_assert_no_error (error);
      g_assert_true (dg_store_put_user (matrix.ts->store, role_users[caller], caller, hash,
                                        &error));
      g_assert_no_error (error);
      g_clear_pointer (&matrix.tokens[caller], g_free);
    }

  /* A voided record takes no more edits: its author gets a new one for the routes after. */
  if (route->action == DG_ACTION_VOID_RECORD && status == 200)
    {
      g_assert_true (scope == DG_SCOPE_OWN);
      plant_check (role_users[caller], matrix.own_ids[caller]);
    }

  /* Signing out revokes the token: the next request of this role signs in again. */
  if (route->action == DG_ACTION_SIGN_OUT && caller != NOBODY && status == 200)
    g_clear_pointer (&matrix.tokens[caller], g_free);
}

static void
test_route (gconstpointer data)
{
  const DgRoute *route = data;

  for (guint caller = 0; caller <= NOBODY; caller++)
    {
      check_route (route, caller, DG_SCOPE_OWN);
      check_route (route, caller, DG_SCOPE_OTHER);
    }
}

/* Applies @change (its JSON) as @author through the store, and asserts it applied. */
static void
apply_as (const char *author,
          const char *change)
{
  g_autofree char *text = g_strdup_printf ("[%s]", change);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = dg_store_apply_changes (matrix.ts->store, author, DG_ROLE_INSPECTOR,
                                    json_node_get_array (node), &error);
  g_assert_no_error (error);
  g_assert_cmpint (((DgResult *) g_ptr_array_index (results, 0))->status, ==, DG_RESULT_APPLIED);
}

/* The status of GET @photo's bytes and of its metadata as @user. */
static void
assert_reads (const char *user,
              GBytes     *photo,
              guint       bytes_status,
              guint       meta_status)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s", hash);
  g_autofree char *meta = g_strdup_printf ("/api/v1/attachments/%s/meta", hash);
  g_autofree char *token = dg_test_login (matrix.ts, user);
  g_autoptr(JsonNode) response = NULL;

  g_test_message ("%s reads %s: bytes %u, meta %u expected", user, hash, bytes_status,
                  meta_status);
  g_assert_cmpuint (send_photo ("GET", path, token, photo, &response), ==, bytes_status);
  g_assert_cmpuint (dg_test_request (matrix.ts, "GET", meta, token, NULL, NULL), ==, meta_status);
}

/* A photo is read through the records that name it now: the uploader who is not the author of
 * the record naming it reads only its metadata; the author and the office read the bytes while
 * the record names it, and neither once an edit takes the photo off it or the record is
 * deleted. A photo on two records is read through either. */
static void
test_photo_read_follows_records (void)
{
  g_autoptr(GBytes) photo = plant_photo ("inspector", 100);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  g_autofree char *again = NULL;
  g_autofree char *deleted = NULL;

#define CHECK_WITH(rev, photos)                                                                \
  g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":%d,\"data\":{"           \
                   "\"road_id\":\"" DG_TEST_ROAD_ID "\",\"date\":\"2025-03-15\",\"points\":["    \
                   "{\"seq\":1,\"surface\":\"main\",\"mass_g\":1.5%s}]}}", id, rev, photos)
  {
    g_autofree char *named = g_strdup_printf (",\"photos\":[\"%s\"]", hash);

    with = CHECK_WITH (0, named);
    without = CHECK_WITH (1, "");
    again = CHECK_WITH (2, named);
  }
#undef CHECK_WITH
  deleted = g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":3,"
                             "\"deleted\":true,\"data\":{}}", id);

  /* Uploaded, named by nothing: its uploader sees the metadata only. */
  assert_reads ("inspector", photo, 404, 200);
  assert_reads ("office", photo, 404, 404);

  /* Named by another inspector's check. */
  apply_as (OTHER_AUTHOR, with);
  assert_reads (OTHER_AUTHOR, photo, 200, 200);
  assert_reads ("office", photo, 200, 200);
  assert_reads ("admin", photo, 200, 200);
  assert_reads ("inspector", photo, 404, 200);
  assert_reads ("unit", photo, 404, 404);

  /* And by one of the uploader's own: either record opens it. */
  {
    g_autofree char *own_id = g_uuid_string_random ();
    g_autofree char *own = g_strdup_printf (
      "{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":0,\"data\":{"
      "\"road_id\":\"" DG_TEST_ROAD_ID "\",\"date\":\"2025-03-16\",\"points\":["
      "{\"seq\":1,\"surface\":\"main\",\"mass_g\":1.5,\"photos\":[\"%s\"]}]}}", own_id, hash);
    g_autofree char *own_deleted = g_strdup_printf (
      "{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":1,\"deleted\":true,\"data\":{}}",
      own_id);

    apply_as ("inspector", own);
    assert_reads ("inspector", photo, 200, 200);
    apply_as ("inspector", own_deleted);
    assert_reads ("inspector", photo, 404, 200);
  }

  /* An edit takes it off, another puts it back, a deletion takes it off for good. */
  apply_as (OTHER_AUTHOR, without);
  assert_reads (OTHER_AUTHOR, photo, 404, 404);
  assert_reads ("office", photo, 404, 404);
  apply_as (OTHER_AUTHOR, again);
  assert_reads ("office", photo, 200, 200);
  apply_as (OTHER_AUTHOR, deleted);
  assert_reads (OTHER_AUTHOR, photo, 404, 404);
  assert_reads ("office", photo, 404, 404);
}

/* The walk above proves only what the table says; these pin the rules of the design that the
 * table must hold, so that a wrong row cannot pass for a right one. */
static void
test_table_holds_design (void)
{
  /* Inspectors write their own checks only; reference data is the administrator's. */
  g_assert_true (dg_policy_allows_write (DG_ROLE_INSPECTOR, DG_RECORD_ROAD_CHECK, DG_SCOPE_OWN));
  g_assert_false (dg_policy_allows_write (DG_ROLE_INSPECTOR, DG_RECORD_ROAD_CHECK,
                                          DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows_write (DG_ROLE_OFFICE, DG_RECORD_ROAD, DG_SCOPE_ANY));
  g_assert_true (dg_policy_allows_write (DG_ROLE_ADMIN, DG_RECORD_RULE, DG_SCOPE_ANY));
  /* History: office, admin, author. */
  g_assert_false (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_READ_RECORD, DG_SCOPE_OTHER));
  g_assert_true (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_READ_RECORD, DG_SCOPE_OTHER));
  /* The office or the administrator closes (design section 4), only the administrator reopens
   * (design section 3: "until an administrator reopens it"). */
  g_assert_true (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_CLOSE_MONTH, DG_SCOPE_ANY));
  g_assert_true (dg_policy_allows (DG_ROLE_ADMIN, DG_ACTION_CLOSE_MONTH, DG_SCOPE_ANY));
  g_assert_false (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_CLOSE_MONTH, DG_SCOPE_ANY));
  g_assert_false (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_REOPEN_MONTH, DG_SCOPE_ANY));
  g_assert_true (dg_policy_allows (DG_ROLE_ADMIN, DG_ACTION_REOPEN_MONTH, DG_SCOPE_ANY));
  /* A unit sees figures but writes no record and sees no one else's. */
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_PUSH, DG_SCOPE_ANY));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_RECORD, DG_SCOPE_OTHER));
  g_assert_true (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_QUOTA, DG_SCOPE_ANY));
  /* A record is voided by its author alone, whoever else may edit or return it. */
  g_assert_true (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_VOID_RECORD, DG_SCOPE_OWN));
  g_assert_false (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_VOID_RECORD, DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_VOID_RECORD, DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_ADMIN, DG_ACTION_VOID_RECORD, DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_RANKING, DG_SCOPE_ANY));
  /* Anyone signed in may upload a photo (design 6.2). */
  for (guint r = 0; r < DG_N_ROLES; r++)
    g_assert_true (dg_policy_allows (r, DG_ACTION_UPLOAD_ATTACHMENT, DG_SCOPE_ANY));
  /* The unit ranking: a unit user its own unit's row, the office and administrators all. */
  g_assert_true (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_UNIT_RANKING, DG_SCOPE_OWN));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_UNIT_RANKING, DG_SCOPE_OTHER));
  g_assert_true (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_READ_UNIT_RANKING, DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_READ_UNIT_RANKING, DG_SCOPE_ANY));
  /* Rectification (6.3): the office issues and closes; a unit user reads and answers its own
   * unit's notices only, and closes none; an administrator reads them all, takes no step. */
  g_assert_true (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_ISSUE_RECTIFICATION, DG_SCOPE_ANY));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_ISSUE_RECTIFICATION, DG_SCOPE_ANY));
  g_assert_true (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_RECTIFICATIONS, DG_SCOPE_OWN));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_READ_RECTIFICATIONS,
                                    DG_SCOPE_OTHER));
  g_assert_true (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_RESPOND_RECTIFICATION, DG_SCOPE_OWN));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_RESPOND_RECTIFICATION,
                                    DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_UNIT, DG_ACTION_CLOSE_RECTIFICATION, DG_SCOPE_OWN));
  g_assert_true (dg_policy_allows (DG_ROLE_OFFICE, DG_ACTION_CLOSE_RECTIFICATION,
                                   DG_SCOPE_OTHER));
  g_assert_true (dg_policy_allows (DG_ROLE_ADMIN, DG_ACTION_READ_RECTIFICATIONS, DG_SCOPE_OTHER));
  g_assert_false (dg_policy_allows (DG_ROLE_ADMIN, DG_ACTION_CLOSE_RECTIFICATION, DG_SCOPE_ANY));
  g_assert_false (dg_policy_allows (DG_ROLE_INSPECTOR, DG_ACTION_READ_RECTIFICATIONS,
                                    DG_SCOPE_ANY));
  /* Only the public actions need no token. */
  for (guint a = 0; a < DG_N_ACTIONS; a++)
    g_assert_true (dg_policy_needs_token (a) == (a != DG_ACTION_PUBLIC));
}

int
main (int    argc,
      char **argv)
{
  const DgRoute *routes;
  guint n_routes;
  int status;

  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  matrix.ts = dg_test_server_new ();
  /* The unit user answers for 府城街道, whose notices are "its own". */
  g_assert_cmpuint (dg_test_request (matrix.ts, "PATCH", "/api/v1/users/unit",
                                     token_for (DG_ROLE_ADMIN),
                                     "{\"unit_id\":\"" UNIT_FC "\"}", NULL), ==, 200);
  /* The photos first: each check names one, and a change naming a photo not uploaded is
   * refused. */
  for (guint r = 0; r < DG_N_ROLES; r++)
    matrix.own_photos[r] = plant_photo (role_users[r], r);
  matrix.other_photo = plant_photo (OTHER_AUTHOR, DG_N_ROLES);
  for (guint r = 0; r < DG_N_ROLES; r++)
    plant_check (role_users[r], matrix.own_ids[r]);
  plant_check (OTHER_AUTHOR, matrix.other_id);

  g_test_add_func ("/server/authz/table-holds-design", test_table_holds_design);
  g_test_add_func ("/server/authz/photo-read-follows-records", test_photo_read_follows_records);
  routes = dg_server_get_routes (&n_routes);
  g_assert_cmpuint (n_routes, >=, 19);
  for (guint r = 0; r < n_routes; r++)
    {
      g_autofree char *name = g_strdup_printf ("/server/authz/%s%s", routes[r].method,
                                               routes[r].pattern);

      g_test_add_data_func (name, &routes[r], test_route);
    }

  status = g_test_run ();

  for (guint r = 0; r < DG_N_ROLES; r++)
    {
      g_free (matrix.tokens[r]);
      g_bytes_unref (matrix.own_photos[r]);
    }
  g_bytes_unref (matrix.other_photo);
  dg_test_server_free (matrix.ts);

  return status;
}
