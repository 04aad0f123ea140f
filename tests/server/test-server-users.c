/* test-server-users.c: the user routes, one's own password and the audit log of design 6.1,
 * over real HTTP on loopback: what each route answers, and that every change that must end a
 * user's sessions ends them at once.
 */
#include "config.h"

#include <string.h>

#include "dg-test-server.h"

#define STRONG "a long enough password"

typedef struct
{
  DgTestServer *ts;
  char         *admin;    /* the admin's token */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = dg_test_server_new ();
  f->admin = dg_test_login (f->ts, "admin");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->admin);
  dg_test_server_free (f->ts);
}

/* Signs in as @username with @password: the token, or NULL with *status the answer. */
static char *
try_login (Fixture    *f,
           const char *username,
           const char *password,
           guint      *status)
{
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username,
                                           password);
  guint s = dg_test_request (f->ts, "POST", "/api/v1/login", NULL, body, &response);

  if (status != NULL)
    *status = s;
  if (s != 200)
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (response), "token"));
}

/* The status of an authenticated request that changes nothing. */
static guint
probe (Fixture    *f,
       const char *token)
{
  return dg_test_request (f->ts, "GET", "/api/v1/reports/quota?month=2025-03", token, NULL, NULL);
}

static guint
create_user (Fixture     *f,
             const char  *body,
             JsonNode   **response)
{
  return dg_test_request (f->ts, "POST", "/api/v1/users", f->admin, body, response);
}

static const char *
error_field (JsonNode *response)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (response), "error");

  return json_object_get_string_member_with_default (error, "field", NULL);
}

static JsonObject *
find_user (JsonNode   *list,
           const char *username)
{
  JsonArray *users = json_object_get_array_member (json_node_get_object (list), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_strcmp0 (json_object_get_string_member (user, "username"), username) == 0)
        return user;
    }

  return NULL;
}

/* The list names every user with the members of 6.1, and never a hash or a token. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *text = NULL;
  JsonObject *admin;

  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/users", f->admin, NULL, &response),
                    ==, 200);
  text = json_to_string (response, FALSE);
  g_assert_null (strstr (text, "hash"));
  g_assert_null (strstr (text, "$argon2"));
  g_assert_null (strstr (text, f->admin));

  admin = find_user (response, "admin");
  g_assert_nonnull (admin);
  g_assert_cmpstr (json_object_get_string_member (admin, "role"), ==, "admin");
  g_assert_false (json_object_get_boolean_member (admin, "disabled"));
  g_assert_true (json_object_has_member (admin, "display_name"));
  g_assert_true (json_object_has_member (admin, "unit_id"));
  g_assert_nonnull (json_object_get_string_member (admin, "created_at"));
  /* The admin signed in in the setup. */
  g_assert_nonnull (json_object_get_string_member (admin, "last_login_at"));
  g_assert_nonnull (find_user (response, "inspector2"));
}

/* 201 and the user; the name taken is 409; a weak password, an unknown role and a unit user
 * without a unit are 422 naming their field. */
static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *token = NULL;
  JsonObject *user;

  g_assert_cmpuint (create_user (f, "{\"username\":\"zhang\",\"role\":\"inspector\","
                                 "\"password\":\"" STRONG "\",\"display_name\":\"张三\"}",
                                 &created), ==, 201);
  user = json_node_get_object (created);
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "zhang");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "inspector");
  g_assert_false (json_object_has_member (user, "password"));
  token = try_login (f, "zhang", STRONG, NULL);
  g_assert_nonnull (token);

  g_assert_cmpuint (create_user (f, "{\"username\":\"zhang\",\"role\":\"office\","
                                 "\"password\":\"" STRONG "\"}", &response), ==, 409);
  g_assert_cmpstr (dg_test_error_code (response), ==, "conflict");
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (create_user (f, "{\"username\":\"li\",\"role\":\"inspector\","
                                 "\"password\":\"short\"}", &response), ==, 422);
  g_assert_cmpstr (dg_test_error_code (response), ==, "invalid_field");
  g_assert_cmpstr (error_field (response), ==, "password");
  g_clear_pointer (&response, json_node_unref);

  /* Ten characters, fewer bytes than that would count: 九个字 is not enough, 十个 is. */
  g_assert_cmpuint (create_user (f, "{\"username\":\"li\",\"role\":\"inspector\","
                                 "\"password\":\"一二三四五六七八九\"}", &response), ==, 422);
  g_clear_pointer (&response, json_node_unref);
  g_assert_cmpuint (create_user (f, "{\"username\":\"li\",\"role\":\"inspector\","
                                 "\"password\":\"一二三四五六七八九十\"}", NULL), ==, 201);

  g_assert_cmpuint (create_user (f, "{\"username\":\"wang\",\"role\":\"mayor\","
                                 "\"password\":\"" STRONG "\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "role");
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (create_user (f, "{\"username\":\"wang\",\"role\":\"unit\","
                                 "\"password\":\"" STRONG "\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "unit_id");
  g_clear_pointer (&response, json_node_unref);

  /* A unit user's unit is one of the district's (the sample district's 府城街道). */
  g_assert_cmpuint (create_user (f, "{\"username\":\"wang\",\"role\":\"unit\","
                                 "\"unit_id\":\"0b7c1a4e-2f0e-4c1d-9a55-3f5d2c7e8a10\","
                                 "\"password\":\"" STRONG "\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "unit_id");
  g_clear_pointer (&response, json_node_unref);
  g_assert_cmpuint (create_user (f, "{\"username\":\"zhao\",\"role\":\"unit\","
                                 "\"unit_id\":\"1260b93f-5792-5100-8983-3790c589cd18\","
                                 "\"password\":\"" STRONG "\"}", NULL), ==, 201);

  g_assert_cmpuint (create_user (f, "{\"username\":\"a/b\",\"role\":\"inspector\","
                                 "\"password\":\"" STRONG "\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "username");
  g_clear_pointer (&response, json_node_unref);

  /* None of the refused ones exists. */
  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/users", f->admin, NULL, &response),
                    ==, 200);
  g_assert_null (find_user (response, "wang"));
  g_assert_null (find_user (response, "a/b"));
  g_assert_nonnull (find_user (response, "li"));
}

/* Disabling cuts every token of the user at once and refuses its logins; enabling lets it sign
 * in again, and its old tokens stay dead. */
static void
test_disable_enable (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = dg_test_login (f->ts, "inspector");
  g_autofree char *second = dg_test_login (f->ts, "inspector");
  g_autofree char *office = dg_test_login (f->ts, "office");
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) response = NULL;
  guint status = 0;

  g_assert_cmpuint (probe (f, first), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"disabled\":true}", &response), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (response), "disabled"));
  g_assert_cmpuint (probe (f, first), ==, 401);
  g_assert_cmpuint (probe (f, second), ==, 401);
  g_assert_cmpuint (probe (f, office), ==, 200);
  g_assert_null (try_login (f, "inspector", "inspector", &status));
  g_assert_cmpuint (status, ==, 401);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"disabled\":false}", NULL), ==, 200);
  g_assert_cmpuint (probe (f, first), ==, 401);
  again = try_login (f, "inspector", "inspector", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (probe (f, again), ==, 200);
}

/* A new role or a password reset ends the sessions too; a new display name does not. */
static void
test_role_and_password_reset (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *token = dg_test_login (f->ts, "inspector");
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) response = NULL;
  guint status = 0;

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"display_name\":\"李四\"}", NULL), ==, 200);
  g_assert_cmpuint (probe (f, token), ==, 200);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"role\":\"office\"}", &response), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response), "role"), ==,
                   "office");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response),
                                                  "display_name"), ==, "李四");
  g_assert_cmpuint (probe (f, token), ==, 401);
  g_clear_pointer (&response, json_node_unref);

  g_clear_pointer (&token, g_free);
  token = dg_test_login (f->ts, "inspector");
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"password\":\"short\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "password");
  g_assert_cmpuint (probe (f, token), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"password\":\"" STRONG "\"}", NULL), ==, 200);
  g_assert_cmpuint (probe (f, token), ==, 401);
  g_assert_null (try_login (f, "inspector", "inspector", &status));
  g_assert_cmpuint (status, ==, 401);
  after = try_login (f, "inspector", STRONG, &status);
  g_assert_cmpuint (status, ==, 200);

  /* A unit user needs its unit, whichever way it becomes one. */
  g_clear_pointer (&response, json_node_unref);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector", f->admin,
                                     "{\"role\":\"unit\"}", &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "unit_id");
  g_assert_cmpuint (probe (f, after), ==, 200);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/nobody", f->admin,
                                     "{\"disabled\":true}", NULL), ==, 404);
}

/* The last administrator who is not disabled can neither disable nor demote themselves. */
static void
test_last_admin_kept (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/admin", f->admin,
                                     "{\"disabled\":true}", &response), ==, 409);
  g_assert_cmpstr (dg_test_error_code (response), ==, "conflict");
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/admin", f->admin,
                                     "{\"role\":\"office\"}", NULL), ==, 409);
  g_assert_cmpuint (probe (f, f->admin), ==, 200);

  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/office", f->admin,
                                     "{\"role\":\"admin\"}", NULL), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/admin", f->admin,
                                     "{\"role\":\"office\"}", NULL), ==, 200);
  g_assert_cmpuint (probe (f, f->admin), ==, 401);
}

/* Revoking ends every session of the user and says how many were live. */
static void
test_revoke (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = dg_test_login (f->ts, "office");
  g_autofree char *b = dg_test_login (f->ts, "office");
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users/office/revoke", f->admin, NULL,
                                     &response), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (response), "revoked"), ==, 2);
  g_assert_cmpuint (probe (f, a), ==, 401);
  g_assert_cmpuint (probe (f, b), ==, 401);
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users/office/revoke", f->admin, NULL,
                                     &response), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (response), "revoked"), ==, 0);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users/nobody/revoke", f->admin, NULL,
                                     NULL), ==, 404);
}

/* A user name outside ASCII travels percent-encoded in the path. */
static void
test_name_in_path (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) response = NULL;

  g_assert_cmpuint (create_user (f, "{\"username\":\"张三\",\"role\":\"office\","
                                 "\"password\":\"" STRONG "\"}", NULL), ==, 201);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/%E5%BC%A0%E4%B8%89",
                                     f->admin, "{\"display_name\":\"张三 (控尘办)\"}", &response),
                    ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response), "username"),
                   ==, "张三");
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users/a%2Fb/revoke", f->admin, NULL,
                                     NULL), ==, 404);
}

/* One's own password: the old one is checked, the new one must be strong; every other session
 * ends and the answer carries the one that goes on. */
static void
test_change_own_password (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *token = dg_test_login (f->ts, "office");
  g_autofree char *other = dg_test_login (f->ts, "office");
  g_autoptr(JsonNode) response = NULL;
  const char *fresh;
  guint status = 0;

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/password", token,
                                     "{\"old_password\":\"wrong\",\"new_password\":\"" STRONG "\"}",
                                     &response), ==, 401);
  g_assert_cmpstr (dg_test_error_code (response), ==, "unauthorized");
  g_assert_cmpuint (probe (f, token), ==, 200);
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/password", token,
                                     "{\"old_password\":\"office\",\"new_password\":\"short\"}",
                                     &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "new_password");
  g_clear_pointer (&response, json_node_unref);

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/password", token,
                                     "{\"old_password\":\"office\",\"new_password\":\"" STRONG "\"}",
                                     &response), ==, 200);
  fresh = json_object_get_string_member (json_node_get_object (response), "token");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response), "role"), ==,
                   "office");
  g_assert_cmpuint (probe (f, fresh), ==, 200);
  g_assert_cmpuint (probe (f, token), ==, 401);
  g_assert_cmpuint (probe (f, other), ==, 401);
  g_assert_null (try_login (f, "office", "office", &status));
  g_assert_cmpuint (status, ==, 401);
  g_free (try_login (f, "office", STRONG, &status));
  g_assert_cmpuint (status, ==, 200);

  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/password", NULL,
                                     "{\"old_password\":\"office\",\"new_password\":\"" STRONG "\"}",
                                     NULL), ==, 401);
}

/* Office, inspectors and units get 403 on every admin route, and the routes change nothing. */
static void
test_not_admin_refused (Fixture       *f,
                        gconstpointer  data)
{
  static const char *const users[] = { "office", "inspector", "unit" };
  g_autoptr(JsonNode) response = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *token = dg_test_login (f->ts, users[i]);

      g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/users", token, NULL, NULL), ==,
                        403);
      g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users", token,
                                         "{\"username\":\"sneaky\",\"role\":\"admin\","
                                         "\"password\":\"" STRONG "\"}", NULL), ==, 403);
      g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/admin", token,
                                         "{\"disabled\":true}", NULL), ==, 403);
      g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/inspector2", token,
                                         "{\"role\":\"admin\"}", NULL), ==, 403);
      g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/users/admin/revoke", token, NULL,
                                         NULL), ==, 403);
      g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/audit", token, NULL, NULL), ==,
                        403);
    }

  g_assert_cmpuint (probe (f, f->admin), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "GET", "/api/v1/users", f->admin, NULL, &response),
                    ==, 200);
  g_assert_null (find_user (response, "sneaky"));
}

/* Whether @events holds one with @action and @target. */
static JsonObject *
find_event (JsonArray  *events,
            const char *action,
            const char *target)
{
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "action"), action) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (event, "target", NULL),
                     target) == 0)
        return event;
    }

  return NULL;
}

/* The audit log holds a failed login, user changes, a close and a reopen, in order, read page
 * by page from `since`; the chain verifies. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonArray) all = json_array_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *event;
  gint64 since = 0, last = 0;
  gboolean more = TRUE;
  guint pages = 0;

  g_assert_null (try_login (f, "inspector", "not the password", NULL));
  g_assert_cmpuint (create_user (f, "{\"username\":\"zhao\",\"role\":\"inspector\","
                                 "\"password\":\"" STRONG "\"}", NULL), ==, 201);
  g_assert_cmpuint (dg_test_request (f->ts, "PATCH", "/api/v1/users/zhao", f->admin,
                                     "{\"disabled\":true}", NULL), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/months/2025-01/close", f->admin,
                                     NULL, NULL), ==, 200);
  g_assert_cmpuint (dg_test_request (f->ts, "POST", "/api/v1/months/2025-01/reopen", f->admin,
                                     NULL, NULL), ==, 200);

  while (more)
    {
      g_autoptr(JsonNode) response = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/audit?since=%" G_GINT64_FORMAT "&limit=3",
                                               since);
      JsonObject *object;
      JsonArray *events;

      g_assert_cmpuint (dg_test_request (f->ts, "GET", path, f->admin, NULL, &response), ==, 200);
      object = json_node_get_object (response);
      events = json_object_get_array_member (object, "events");
      g_assert_cmpuint (json_array_get_length (events), <=, 3);
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);

          g_assert_cmpint (json_object_get_int_member (e, "seq"), >, last);
          last = json_object_get_int_member (e, "seq");
          g_assert_false (json_object_has_member (e, "hash"));
          json_array_add_object_element (all, json_object_ref (e));
        }
      since = json_object_get_int_member (object, "next");
      more = json_object_get_boolean_member (object, "more");
      pages++;
    }
  g_assert_cmpuint (pages, >, 1);

  event = find_event (all, "login_failed", "inspector");
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "detail"),
                                                  "reason"), ==, "wrong_password");
  event = find_event (all, "user_created", "zhao");
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "admin");
  event = find_event (all, "user_changed", "zhao");
  g_assert_nonnull (event);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (event, "detail"),
                                                 "disabled"));
  g_assert_nonnull (find_event (all, "month_closed", "2025-01"));
  g_assert_nonnull (find_event (all, "month_reopened", "2025-01"));
  /* The sample district's roads and cells were imported as reference changes. */
  g_assert_nonnull (find_event (all, "reference_changed", DG_TEST_ROAD_ID));

  g_assert_true (dg_store_verify (f->ts->store, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/users/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("list-without-secrets", test_list);
  ADD ("create-conflict-and-invalid", test_create);
  ADD ("disable-cuts-tokens-enable-signs-in", test_disable_enable);
  ADD ("role-and-password-reset-cut-tokens", test_role_and_password_reset);
  ADD ("last-admin-kept", test_last_admin_kept);
  ADD ("revoke-counts-and-cuts", test_revoke);
  ADD ("name-in-path-percent-encoded", test_name_in_path);
  ADD ("change-own-password", test_change_own_password);
  ADD ("not-admin-refused", test_not_admin_refused);
  ADD ("audit-log-paged-and-chained", test_audit);
#undef ADD

  return g_test_run ();
}
