/* test-server-report-tables.c: the report tables the store keeps at write time say what the
 * records say: after the demo, after edits that move, invalidate and delete records, and when an
 * older database has them filled from its records. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dg-auth.h"
#include "dg-demo.h"
#include "dg-store.h"
#include "dg-test-server.h"

#define TODAY "2026-10-20"

typedef struct
{
  char    *dir;
  char    *path;
  DgStore *store;
} Fixture;

static int
compare_cell_months (gconstpointer a,
                     gconstpointer b)
{
  const DgCellMonth *x = a, *y = b;
  int cmp = strcmp (x->cell_id, y->cell_id);

  return cmp != 0 ? cmp : strcmp (x->month, y->month);
}

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* The cell-months of @month from the report table and from the samples' JSON agree. */
static void
assert_cell_months (DgStore    *store,
                    const char *month)
{
  const char *months[] = { month, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = dg_store_load_dustfall_samples (store, months, &error);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) got = NULL;

  g_assert_no_error (error);
  expected = dg_cell_months_from_samples (samples);
  got = dg_store_load_cell_months (store, months, &error);
  g_assert_no_error (error);
  g_array_sort (got, compare_cell_months);

  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    {
      const DgCellMonth *e = &g_array_index (expected, DgCellMonth, i);
      const DgCellMonth *g = &g_array_index (got, DgCellMonth, i);

      g_assert_cmpstr (g->cell_id, ==, e->cell_id);
      g_assert_cmpstr (g->month, ==, e->month);
      g_assert_cmpint (g->has_value, ==, e->has_value);
      g_assert_true (same_double (g->value, e->value));
      g_assert_cmpuint (g->sites, ==, e->sites);
      g_assert_true (same_double (g->site_max, e->site_max));
      g_assert_true (same_double (g->site_min, e->site_min));
    }
}

/* The checks of @month from the report tables are the stored records, point for point;
 * @records is every record, as the office pulls them. */
static void
assert_checks (DgStore    *store,
               const char *month,
               GPtrArray  *records)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = dg_store_load_road_checks (store, month, &error);
  guint expected = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < checks->len; i++)
    {
      const DgRoadCheck *check = g_ptr_array_index (checks, i);
      g_autoptr(DgRecord) record = dg_store_get_record (store, check->id, &error);
      g_autoptr(DgRoadCheck) stored = NULL;

      g_assert_no_error (error);
      g_assert_false (record->deleted);
      stored = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, record->id, record->data, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (check->road_id, ==, stored->road_id);
      g_assert_cmpstr (check->date, ==, stored->date);
      g_assert_cmpstr (check->author, ==, record->author);
      g_assert_cmpuint (check->points->len, ==, stored->points->len);
      for (guint p = 0; p < check->points->len; p++)
        {
          const DgRoadPoint *a = dg_road_check_get_point (check, p);
          const DgRoadPoint *b = dg_road_check_get_point (stored, p);

          g_assert_cmpint (a->seq, ==, b->seq);
          g_assert_cmpint (a->surface, ==, b->surface);
          g_assert_cmpfloat (a->area_m2, ==, b->area_m2);
          g_assert_cmpfloat (a->mass_g, ==, b->mass_g);
        }
    }

  /* And none is missing: count the month's live checks among all records. */
  for (guint i = 0; i < records->len; i++)
    {
      const DgRecord *record = g_ptr_array_index (records, i);
      JsonNode *date;

      if (record->type != DG_RECORD_ROAD_CHECK || record->deleted)
        continue;
      date = json_object_get_member (record->data, "date");
      if (g_str_has_prefix (json_node_get_string (date), month))
        expected++;
    }
  g_assert_cmpuint (checks->len, ==, expected);
}

static void
assert_all_months (DgStore *store)
{
  const char *months[] = { "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 next = 0;
  gboolean more = FALSE;

  /* Pulled once for all the months: parsing every record is most of this test's time. */
  records = dg_store_pull (store, "office", DG_ROLE_OFFICE, 0, 100000, &next, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      assert_cell_months (store, months[i]);
      assert_checks (store, months[i], records);
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgAuth) auth = NULL;

  fixture->dir = g_dir_make_tmp ("dg-report-tables-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = dg_test_db_location (fixture->dir, "demo.db");
  fixture->store = dg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  auth = dg_auth_new (fixture->store);
  g_assert_true (dg_demo_populate (fixture->store, auth, TODAY, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A live record of inspector's of @type in @month, after @skip others. */
static DgRecord *
find_record (DgStore      *store,
             DgRecordType  type,
             const char   *month,
             guint         skip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 next = 0;
  gboolean more = FALSE;

  records = dg_store_pull (store, "inspector", DG_ROLE_INSPECTOR, 0, 100000, &next, &more, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      DgRecord *record = g_ptr_array_index (records, i);
      const char *member = type == DG_RECORD_ROAD_CHECK ? "date" : "month";

      if (record->type != type || record->deleted || g_strcmp0 (record->author, "inspector") != 0)
        continue;
      if (!g_str_has_prefix (json_object_get_string_member (record->data, member), month))
        continue;
      /* A jar that counts, so that breaking it changes something. */
      if (type == DG_RECORD_DUSTFALL_SAMPLE &&
          !json_object_get_boolean_member_with_default (record->data, "valid", TRUE))
        continue;
      if (skip-- > 0)
        continue;
      return g_ptr_array_steal_index (records, i);
    }

  g_assert_not_reached ();
}

static void
apply (DgStore  *store,
       DgChange *change)
{
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DgResult *result;

  json_array_add_element (changes, dg_change_to_json (change));
  results = dg_store_apply_changes (store, "inspector", DG_ROLE_INSPECTOR, changes, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->status, ==, DG_RESULT_APPLIED);
}

static void
test_after_demo (Fixture       *fixture,
                 gconstpointer  data)
{
  assert_all_months (fixture->store);
}

static void
test_after_edits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DgRecord) moved = find_record (fixture->store, DG_RECORD_ROAD_CHECK, "2026-08", 0);
  g_autoptr(DgRecord) gone = find_record (fixture->store, DG_RECORD_ROAD_CHECK, "2026-08", 1);
  g_autoptr(DgRecord) broken = find_record (fixture->store, DG_RECORD_DUSTFALL_SAMPLE,
                                            "2026-08", 0);
  g_autoptr(DgRecord) lost = find_record (fixture->store, DG_RECORD_DUSTFALL_SAMPLE, "2026-08",
                                          1);
  g_autoptr(JsonObject) moved_data = json_object_ref (moved->data);
  g_autoptr(JsonObject) broken_data = json_object_ref (broken->data);
  g_autoptr(DgChange) c1 = NULL, c2 = NULL, c3 = NULL, c4 = NULL;

  /* Read once, so that anything the store keeps from that reading is put to the test too. */
  assert_all_months (fixture->store);

  /* A check moved to another month, one deleted; a jar found broken, one deleted. */
  json_object_set_string_member (moved_data, "date", "2026-09-03");
  c1 = dg_change_new (DG_RECORD_ROAD_CHECK, moved->id, moved->rev, FALSE, moved_data);
  apply (fixture->store, c1);
  c2 = dg_change_new (DG_RECORD_ROAD_CHECK, gone->id, gone->rev, TRUE, NULL);
  apply (fixture->store, c2);
  json_object_set_boolean_member (broken_data, "valid", FALSE);
  c3 = dg_change_new (DG_RECORD_DUSTFALL_SAMPLE, broken->id, broken->rev, FALSE, broken_data);
  apply (fixture->store, c3);
  c4 = dg_change_new (DG_RECORD_DUSTFALL_SAMPLE, lost->id, lost->rev, TRUE, NULL);
  apply (fixture->store, c4);

  assert_all_months (fixture->store);
}

static void
test_filled_on_upgrade (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (dg_test_skip_on_postgresql ("the PostgreSQL backend began at schema version 3, with the "
                                  "report tables: no database of it was ever without them"))
    return;

  /* A version 1 database had no report tables, nor what versions 4, 5 and 6 added. */
  g_assert_true (dg_store_exec (fixture->store,
                                "DROP TABLE check_rows; DROP TABLE check_points;"
                                " DROP TABLE sample_values; DROP INDEX revisions_by_type;"
                                " ALTER TABLE months DROP COLUMN frozen_through;"
                                " DROP TABLE audit; DROP TABLE attachments;"
                                " ALTER TABLE users DROP COLUMN display_name;"
                                " ALTER TABLE users DROP COLUMN unit_id;"
                                " ALTER TABLE users DROP COLUMN disabled;"
                                " ALTER TABLE users DROP COLUMN last_login_at;"
                                " PRAGMA user_version = 1", &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  fixture->store = dg_store_open (fixture->path, &error);
  g_assert_no_error (error);
  assert_all_months (fixture->store);

  /* The users of before are there, enabled, and the log starts empty and verifies. */
  {
    g_autoptr(DgUser) user = NULL;

    g_assert_true (dg_store_lookup_user (fixture->store, "office", &user, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (user->disabled);
    g_assert_null (user->display_name);
    g_assert_true (dg_store_verify (fixture->store, NULL, &error));
    g_assert_no_error (error);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();
  g_setenv ("DUSTGRID_PWHASH_MIN", "1", TRUE);

  g_test_add ("/server/report-tables/after-demo", Fixture, NULL, fixture_setup, test_after_demo,
              fixture_teardown);
  g_test_add ("/server/report-tables/after-edits", Fixture, NULL, fixture_setup, test_after_edits,
              fixture_teardown);
  g_test_add ("/server/report-tables/filled-on-upgrade", Fixture, NULL, fixture_setup,
              test_filled_on_upgrade, fixture_teardown);

  return g_test_run ();
}
