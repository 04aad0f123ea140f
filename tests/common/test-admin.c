/* test-admin.c: the rules of a user and of a change to one (common/dg-admin.c), which the
 * server's routes and the client's admin pages share. */
#include "config.h"

#include "dustgrid-common.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* Ten characters, whatever their bytes; nothing over 1 KiB. */
static void
test_password_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_one = g_strnfill (1025, 'x');

  g_assert_false (dg_password_validate ("123456789", "password", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "password");
  g_clear_error (&error);
  g_assert_true (dg_password_validate ("1234567890", "password", &error));
  /* Nine characters of 27 bytes are not enough; ten are. */
  g_assert_false (dg_password_validate ("一二三四五六七八九", "new_password", &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "new_password");
  g_clear_error (&error);
  g_assert_true (dg_password_validate ("一二三四五六七八九十", "new_password", NULL));
  g_assert_false (dg_password_validate (long_one, "password", NULL));
  g_assert_false (dg_password_validate (NULL, "password", NULL));
}

static void
test_username (void)
{
  g_assert_true (dg_username_validate ("inspector2", NULL));
  g_assert_true (dg_username_validate ("张三", NULL));
  g_assert_false (dg_username_validate ("", NULL));
  g_assert_false (dg_username_validate ("a/b", NULL));
  g_assert_false (dg_username_validate ("a%2Fb", NULL));
  g_assert_false (dg_username_validate ("a b", NULL));
  g_assert_false (dg_username_validate ("a\nb", NULL));
  g_assert_false (dg_username_validate ("12345678901234567890123456789012345678901234567890"
                                        "123456789012345", NULL));
}

/* A unit user needs its unit; the user read back is the user written. */
static void
test_user_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) unitless = parse ("{\"username\":\"u\",\"role\":\"unit\"}");
  g_autoptr(JsonObject) bound = parse ("{\"username\":\"u\",\"role\":\"unit\","
                                       "\"unit_id\":\"0b7c1a4e-2f0e-4c1d-9a55-3f5d2c7e8a10\","
                                       "\"display_name\":\"府城街道\"}");
  g_autoptr(DgUser) user = NULL;
  g_autoptr(DgUser) again = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_null (dg_user_from_json (unitless, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "unit_id");
  g_clear_error (&error);

  user = dg_user_from_json (bound, &error);
  g_assert_no_error (error);
  node = dg_user_to_json (user);
  again = dg_user_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->display_name, ==, "府城街道");
  g_assert_cmpstr (again->unit_id, ==, user->unit_id);
  g_assert_cmpint (again->role, ==, DG_ROLE_UNIT);
  g_assert_false (json_object_has_member (json_node_get_object (node), "password"));
}

/* A member absent stays, null clears; only disabling, a new role or a password end sessions. */
static void
test_patch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgUser) user = dg_user_new ();
  g_autoptr(JsonObject) clear = parse ("{\"display_name\":null}");
  g_autoptr(JsonObject) same_role = parse ("{\"role\":\"office\",\"disabled\":false}");
  g_autoptr(JsonObject) disable = parse ("{\"disabled\":true}");
  g_autoptr(JsonObject) weak = parse ("{\"password\":\"short\"}");
  g_autoptr(JsonObject) bad_role = parse ("{\"role\":\"mayor\"}");
  g_autoptr(DgUserPatch) patch = NULL;
  g_autoptr(DgUser) result = NULL;
  gboolean revokes = TRUE;

  user->username = g_strdup ("anna");
  user->role = DG_ROLE_OFFICE;
  user->display_name = g_strdup ("安娜");

  patch = dg_user_patch_from_json (clear, &error);
  g_assert_no_error (error);
  result = dg_user_patch_apply (patch, user, &revokes);
  g_assert_null (result->display_name);
  g_assert_cmpint (result->role, ==, DG_ROLE_OFFICE);
  g_assert_false (revokes);
  g_clear_pointer (&patch, dg_user_patch_free);
  g_clear_pointer (&result, dg_user_free);

  patch = dg_user_patch_from_json (same_role, &error);
  result = dg_user_patch_apply (patch, user, &revokes);
  g_assert_cmpstr (result->display_name, ==, "安娜");
  g_assert_false (revokes);
  g_clear_pointer (&patch, dg_user_patch_free);
  g_clear_pointer (&result, dg_user_free);

  patch = dg_user_patch_from_json (disable, &error);
  result = dg_user_patch_apply (patch, user, &revokes);
  g_assert_true (result->disabled);
  g_assert_true (revokes);

  g_assert_null (dg_user_patch_from_json (weak, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "password");
  g_clear_error (&error);
  g_assert_null (dg_user_patch_from_json (bad_role, &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "role");
}

/* The client's PATCH body carries only what the patch sets, a cleared member as null, and the
 * server's decoder reads back the same patch. */
static void
test_patch_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgUserPatch) patch = g_new0 (DgUserPatch, 1);
  g_autoptr(DgUserPatch) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  patch->set_role = TRUE;
  patch->role = DG_ROLE_INSPECTOR;
  patch->set_display_name = TRUE;
  patch->display_name = NULL;
  patch->set_disabled = TRUE;
  patch->disabled = TRUE;
  patch->password = g_strdup ("a long new password");

  node = dg_user_patch_to_json (patch);
  text = dg_json_canonical (node);
  g_assert_cmpstr (text, ==, "{\"disabled\":true,\"display_name\":null,"
                             "\"password\":\"a long new password\",\"role\":\"inspector\"}");

  again = dg_user_patch_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_true (again->set_role && again->role == DG_ROLE_INSPECTOR);
  g_assert_true (again->set_display_name && again->display_name == NULL);
  g_assert_false (again->set_unit_id);
  g_assert_true (again->set_disabled && again->disabled);
  g_assert_cmpstr (again->password, ==, "a long new password");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/admin/password-counts-characters", test_password_length);
  g_test_add_func ("/common/admin/username-fits-a-path", test_username);
  g_test_add_func ("/common/admin/user-round-trip-and-unit-rule", test_user_round_trip);
  g_test_add_func ("/common/admin/patch-sets-clears-and-revokes", test_patch);
  g_test_add_func ("/common/admin/patch-round-trips", test_patch_round_trip);

  return g_test_run ();
}
