/* test-rectification.c: the rules of a rectification notice's life cycle (design 6.3) and its
 * stored form, in common/ where the server and a client read them alike. */
#include "config.h"

#include "dustgrid-common.h"

static DgRectification *
new_notice (const char *deadline)
{
  DgRectification *notice = dg_rectification_new ();

  notice->id = g_strdup ("0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5");
  notice->target_type = DG_RECTIFICATION_TARGET_GRID_CELL;
  notice->target_id = g_strdup ("379af3c6-7c80-5699-b5fe-521ba0b6b9f2");
  notice->unit_id = g_strdup ("2b8fc6e3-40b4-59a1-8212-58c4d83d1400");
  notice->month = g_strdup ("2025-03");
  notice->deadline = g_strdup (deadline);
  notice->reason = g_strdup ("降尘量超过控制值");
  return notice;
}

static void
add_response (DgRectification *notice)
{
  DgRectificationResponse *response = dg_rectification_response_new ();

  response->author = g_strdup ("unit");
  response->at = g_strdup ("2025-04-08T02:00:00.000Z");
  response->text = g_strdup ("已覆盖");
  g_ptr_array_add (notice->responses, response);
}

/* The deadline day is still in time; the day after is overdue, answered or not; closed wins. */
static void
test_state_by_day (void)
{
  g_autoptr(DgRectification) notice = new_notice ("2025-04-10");

  g_assert_cmpint (dg_rectification_state (notice, "2025-04-01"), ==, DG_RECTIFICATION_OPEN);
  g_assert_cmpint (dg_rectification_state (notice, "2025-04-10"), ==, DG_RECTIFICATION_OPEN);
  g_assert_cmpint (dg_rectification_state (notice, "2025-04-11"), ==, DG_RECTIFICATION_OVERDUE);
  add_response (notice);
  g_assert_cmpint (dg_rectification_state (notice, "2025-04-10"), ==,
                   DG_RECTIFICATION_RESPONDED);
  g_assert_cmpint (dg_rectification_state (notice, "2025-05-01"), ==, DG_RECTIFICATION_OVERDUE);
  g_assert_true (dg_rectification_check_open (notice, NULL));
  notice->outcome = DG_RECTIFICATION_OUTCOME_NOT_DONE;
  g_assert_cmpint (dg_rectification_state (notice, "2025-05-01"), ==, DG_RECTIFICATION_CLOSED);
  g_assert_false (dg_rectification_check_open (notice, NULL));
}

static void
test_check_issue (void)
{
  g_autoptr(DgRectification) notice = new_notice ("2025-04-10");
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_rectification_check_issue (notice, "2025-04-10", NULL));
  g_assert_false (dg_rectification_check_issue (notice, "2025-04-11", &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "deadline");
  g_clear_error (&error);
  g_assert_false (dg_rectification_check_issue (notice, "2025-02-27", &error));
  g_assert_cmpstr (dg_error_get_field (error), ==, "month");
}

/* Encoded and decoded again, a notice is the same, responses and outcome included; a bad
 * response is named by its place. */
static void
test_stored_form (void)
{
  g_autoptr(DgRectification) notice = new_notice ("2025-04-10");
  g_autoptr(DgRectification) again = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) data2 = NULL;
  g_autoptr(JsonObject) api = NULL;
  g_autoptr(GError) error = NULL;
  DgRectificationResponse *response;

  add_response (notice);
  notice->outcome = DG_RECTIFICATION_OUTCOME_DONE;
  notice->note = g_strdup ("复查合格");
  data = dg_record_data_to_json (DG_RECORD_RECTIFICATION, notice);
  again = dg_record_data_from_json (DG_RECORD_RECTIFICATION, notice->id, data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->outcome, ==, DG_RECTIFICATION_OUTCOME_DONE);
  g_assert_cmpuint (again->responses->len, ==, 1);
  data2 = dg_record_data_to_json (DG_RECORD_RECTIFICATION, again);
  g_assert_true (json_object_equal (data, data2));

  api = dg_rectification_to_json (again, "2025-05-01");
  g_assert_cmpstr (json_object_get_string_member (api, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (api, "id"), ==, notice->id);

  response = g_ptr_array_index (again->responses, 0);
  g_free (response->text);
  response->text = g_strdup ("");
  g_clear_pointer (&data2, json_object_unref);
  data2 = dg_record_data_to_json (DG_RECORD_RECTIFICATION, again);
  g_clear_pointer (&again, dg_rectification_free);
  again = dg_record_data_from_json (DG_RECORD_RECTIFICATION, notice->id, data2, &error);
  g_assert_null (again);
  g_assert_cmpstr (dg_error_get_field (error), ==, "responses[0].text");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/rectification/state-by-day", test_state_by_day);
  g_test_add_func ("/common/rectification/issue-deadline-and-month", test_check_issue);
  g_test_add_func ("/common/rectification/stored-form-round-trip", test_stored_form);

  return g_test_run ();
}
