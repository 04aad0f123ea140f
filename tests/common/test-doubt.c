/* test-doubt.c: the doubt flags of a road check (design 6.2), each from hand-made inputs, each
 * seen raised on one side of its bound and not on the other. */
#include "config.h"

#include <math.h>

#include "dustgrid-common.h"

#define PHOTO_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define PHOTO_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* A check of 2025-03-14 with a point per chainage (main surface; NAN: none), the first point
 * naming PHOTO_A, the second PHOTO_B. */
static DgRoadCheck *
make_check (const double *chainages,
            guint         n)
{
  DgRoadCheck *check = dg_road_check_new ();

  check->id = g_strdup ("0b0c0d0e-0000-4000-8000-000000000001");
  check->road_id = g_strdup ("0b0c0d0e-0000-4000-8000-00000000aaaa");
  check->date = g_strdup ("2025-03-14");
  for (guint i = 0; i < n; i++)
    {
      DgRoadPoint *point;

      dg_road_check_add_point (check, (int) i + 1, DG_SURFACE_MAIN, NULL, 1.0, 2.0);
      point = (DgRoadPoint *) dg_road_check_get_point (check, i);
      if (!isnan (chainages[i]))
        {
          point->has_chainage = TRUE;
          point->chainage_m = chainages[i];
        }
      if (i < 2)
        {
          const char *photos[] = { i == 0 ? PHOTO_A : PHOTO_B, NULL };

          point->photos = g_strdupv ((char **) photos);
        }
    }

  return check;
}

static DgDoubtFlags
doubts_of (const DgRoadCheck     *check,
           const DgRuleSet       *rules,
           const DgCheckEvidence *evidence)
{
  DgDoubtFlags flags = dg_road_check_doubts (check, rules, evidence);
  g_autofree const char **names = dg_doubt_flags_names (flags);
  g_autofree char *joined = g_strjoinv (",", (char **) names);

  g_test_message ("flags: [%s]", joined);
  return flags;
}

/* photo_reused: raised when one of the check's photos is in the evidence's set of photos other
 * records name, not when another photo is. */
static void
test_photo_reused (void)
{
  static const double chainages[] = { 0, 100 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check (chainages, 2);
  g_autoptr(GHashTable) reused = g_hash_table_new (g_str_hash, g_str_equal);
  DgCheckEvidence evidence = { .photo_reused = reused };

  g_hash_table_add (reused, (gpointer) "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
  g_assert_cmpint (doubts_of (check, rules, &evidence) & DG_DOUBT_PHOTO_REUSED, ==, 0);
  g_hash_table_add (reused, (gpointer) PHOTO_B);
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, DG_DOUBT_PHOTO_REUSED);
  g_assert_cmpstr (dg_doubt_to_string (DG_DOUBT_PHOTO_REUSED), ==, "photo_reused");
}

/* photo_time: with started_at, an EXIF time 2 h away is not doubtful and 2 h 1 s is, either
 * side; without it, a time on the check's date is not and the next day's is. */
static void
test_photo_time (void)
{
  static const double chainages[] = { 0, 100 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check (chainages, 2);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  DgCheckEvidence evidence = { .photo_taken_at = taken };

  check->started_at = g_strdup ("2025-03-14T09:00");
  g_hash_table_insert (taken, (gpointer) PHOTO_A, (gpointer) "2025-03-14T11:00:00");
  g_hash_table_insert (taken, (gpointer) PHOTO_B, (gpointer) "2025-03-14T07:00:00");
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, 0);
  g_hash_table_insert (taken, (gpointer) PHOTO_B, (gpointer) "2025-03-14T06:59:59");
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, DG_DOUBT_PHOTO_TIME);
  g_hash_table_insert (taken, (gpointer) PHOTO_B, (gpointer) "2025-03-14T11:00:01");
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, DG_DOUBT_PHOTO_TIME);

  /* Without started_at: the check's date. */
  g_clear_pointer (&check->started_at, g_free);
  g_hash_table_insert (taken, (gpointer) PHOTO_B, (gpointer) "2025-03-14T23:59:59");
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, 0);
  g_hash_table_insert (taken, (gpointer) PHOTO_B, (gpointer) "2025-03-15T00:00:00");
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, DG_DOUBT_PHOTO_TIME);
}

/* spacing: two points of one surface 50 m apart pass the default rule, 49.9 m do not; points of
 * different surfaces, or without a chainage, are not compared; a min_spacing_m rule in force on
 * the check's date moves the bound, one dated after it does not. */
static void
test_spacing (void)
{
  static const double apart[] = { 1200, 1250, NAN, 1300 };
  static const double close[] = { 1200, 1249.9 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) ok = make_check (apart, 4);
  g_autoptr(DgRoadCheck) near = make_check (close, 2);
  g_autoptr(DgRule) rule = dg_rule_new ();

  g_assert_cmpint (doubts_of (ok, rules, NULL), ==, 0);
  g_assert_cmpint (doubts_of (near, rules, NULL), ==, DG_DOUBT_SPACING);

  ((DgRoadPoint *) dg_road_check_get_point (near, 1))->surface = DG_SURFACE_SIDE;
  g_assert_cmpint (doubts_of (near, rules, NULL), ==, 0);
  ((DgRoadPoint *) dg_road_check_get_point (near, 1))->surface = DG_SURFACE_MAIN;

  rule->id = g_strdup ("8a3c1e52-5d7e-4c1b-9f00-3c2a1b7d9e02");
  rule->kind = DG_RULE_MIN_SPACING;
  rule->value = 40.0;
  rule->effective_from = g_strdup ("2025-03-15");
  dg_rule_set_add (rules, rule);
  g_assert_cmpint (doubts_of (near, rules, NULL), ==, DG_DOUBT_SPACING);
  g_free (rule->effective_from);
  rule->effective_from = g_strdup ("2025-03-14");
  dg_rule_set_add (rules, rule);
  g_assert_cmpint (doubts_of (near, rules, NULL), ==, 0);
  rule->value = 60.0;
  dg_rule_set_add (rules, rule);
  g_assert_cmpint (doubts_of (ok, rules, NULL), ==, DG_DOUBT_SPACING);
}

/* position_far: a point 150 m from its road's line is not far, one 250 m away is; without the
 * road's line nothing is judged. The road runs east along 39.90° N. */
static void
test_position_far (void)
{
  static const double chainages[] = { 0, 100 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check (chainages, 2);
  g_autoptr(DgGeometry) line = dg_geometry_new (DG_GEOMETRY_LINE_STRING);
  DgCheckEvidence evidence = { .road_line = line };
  DgRoadPoint *point = (DgRoadPoint *) dg_road_check_get_point (check, 1);

  dg_geometry_begin_ring (line);
  dg_geometry_add_position (line, 116.30, 39.90);
  dg_geometry_add_position (line, 116.32, 39.90);

  point->position.set = TRUE;
  point->position.lon = 116.31;
  point->position.lat = 39.90 + 150.0 / 111034.0;
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, 0);
  point->position.lat = 39.90 + 250.0 / 111034.0;
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, DG_DOUBT_POSITION_FAR);
  evidence.road_line = NULL;
  g_assert_cmpint (doubts_of (check, rules, &evidence), ==, 0);
}

/* The wire's computed.flags lists the check's own doubts in the design's order. */
static void
test_computed_flags (void)
{
  static const double close[] = { 1200, 1210 };
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadCheck) check = make_check (close, 2);
  g_autoptr(GHashTable) reused = g_hash_table_new (g_str_hash, g_str_equal);
  DgCheckEvidence evidence = { .photo_reused = reused };
  g_autoptr(JsonObject) computed = NULL;
  JsonArray *flags;

  g_hash_table_add (reused, (gpointer) PHOTO_A);
  computed = dg_record_computed_to_json_with_evidence (DG_RECORD_ROAD_CHECK, check, rules,
                                                       &evidence);
  flags = json_object_get_array_member (computed, "flags");
  g_assert_cmpuint (json_array_get_length (flags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (flags, 0), ==, "photo_reused");
  g_assert_cmpstr (json_array_get_string_element (flags, 1), ==, "spacing");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/doubt/photo-reused-when-another-record-names-it", test_photo_reused);
  g_test_add_func ("/common/doubt/photo-time-over-2h-or-off-the-date", test_photo_time);
  g_test_add_func ("/common/doubt/spacing-under-min-spacing-rule", test_spacing);
  g_test_add_func ("/common/doubt/position-far-over-200m", test_position_far);
  g_test_add_func ("/common/doubt/computed-flags-in-design-order", test_computed_flags);

  return g_test_run ();
}
