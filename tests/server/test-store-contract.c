/* test-store-contract.c: what every backend of the store must do, asserted through the dg_store_*
 * API alone, and run once per backend.
 *
 * Each case is registered for each entry of `backends`: a second backend (PostgreSQL, design
 * 6.5) is one more entry, saying where a fresh database of its kind is and how to tamper with one,
 * and every case below runs against it unchanged.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dg-demo.h"
#include "dg-store.h"
#include "dg-test-pg.h"
#include "dg-test-server.h"

#define OTHER_ROAD_ID "00000000-0000-4000-8000-000000000000"   /* names no road */

typedef struct
{
  const char *name;
  /* A location for a new, empty database of this backend, in the test's own directory @dir;
   * NULL when the backend cannot run here (the case is then skipped, saying why). */
  char       *(*new_location) (const char *dir,
                               const char *what,
                               char      **why_not);
  /* Changes the author of the chain's second revision behind the store's back. */
  const char *tamper_revision;
  /* Changes the current data of record %s behind the store's back, its revisions untouched. */
  const char *tamper_record;
  /* Makes the database itself refuse to store record %s (a failure no validation foresees). */
  const char *poison_record;
} Backend;

static char *
sqlite_location (const char  *dir,
                 const char  *what,
                 char       **why_not)
{
  g_autofree char *file = g_strconcat (what, ".db", NULL);

  return g_build_filename (dir, file, NULL);
}

/* A new database in the suite's throwaway cluster (dg-test-pg.c); skipped only where
 * DUSTGRID_TEST_PG=0 says there is no PostgreSQL on purpose. */
static char *
pg_location (const char  *dir,
             const char  *what,
             char       **why_not)
{
  if (dg_test_pg_cluster (why_not) == NULL)
    {
      if (!dg_test_pg_optional ())
        g_error ("PostgreSQL cannot run for the tests: %s", *why_not);
      return NULL;
    }
  return dg_test_pg_new_database (what);
}

static const Backend backends[] = {
  {
    "sqlite", sqlite_location,
    "UPDATE revisions SET author = 'mallory' WHERE n = 2",
    "UPDATE records SET data = '{}' WHERE id = '%s'",
    "CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.id = '%s'"
    " BEGIN SELECT RAISE (ABORT, 'poisoned'); END",
  },
  {
    "postgresql", pg_location,
    "UPDATE revisions SET author = 'mallory' WHERE n = 2",
    "UPDATE records SET data = '{}' WHERE id = '%s'",
    "CREATE FUNCTION poison () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF NEW.id = '%s' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$;"
    " CREATE TRIGGER poison BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION poison ()",
  },
};

typedef struct
{
  const Backend *backend;
  char          *dir;
  char          *location;
  DgStore       *store;
  guint          counter;
} Fixture;

/* ---- Setting up ---- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *reference = dg_demo_find_reference_file ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;

  f->backend = data;
  f->dir = g_dir_make_tmp ("dustgrid-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->location = f->backend->new_location (f->dir, "store", &why_not);
  if (f->location == NULL)
    {
      g_test_skip (why_not);
      return;
    }

  f->store = dg_store_open_backend (f->backend->name, f->location, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dg_store_get_backend_name (f->store), ==, f->backend->name);

  g_assert_nonnull (reference);
  g_file_get_contents (reference, &contents, &length, &error);
  g_assert_no_error (error);
  root = dg_json_parse (contents, length, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_import_reference (f->store, root, "admin", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  /* The backends here keep their files flat in the directory. */
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->location);
  g_free (f->dir);
}

/* A road check of @road_id on 2025-MM-DD whose first point weighs @mass_g: a CHANGE. */
static JsonNode *
check_change (const char *id,
              gint64      base_rev,
              const char *road_id,
              const char *date,
              double      mass_g)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char mass[G_ASCII_DTOSTR_BUF_SIZE];
  JsonNode *node;

  g_ascii_dtostr (mass, sizeof mass, mass_g);
  text = g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT
                          ",\"data\":{\"road_id\":\"%s\",\"date\":\"%s\",\"points\":["
                          "{\"seq\":1,\"surface\":\"main\",\"mass_g\":%s},"
                          "{\"seq\":2,\"surface\":\"main\",\"mass_g\":2.5},"
                          "{\"seq\":3,\"surface\":\"main\",\"mass_g\":4.0}]}}",
                          id, base_rev, road_id, date, mass);
  node = dg_json_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  return node;
}

static JsonNode *
delete_change (DgRecordType  type,
               const char   *id,
               gint64        base_rev)
{
  g_autoptr(DgChange) change = dg_change_new (type, id, base_rev, TRUE, NULL);

  return dg_change_to_json (change);
}

/* A 30-day dust-fall sample of the test cell in 2025-03, @net grams in its jar. */
static JsonNode *
sample_change (const char *id,
               char        jar,
               double      net)
{
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(DgChange) change = NULL;

  sample->id = g_strdup (id);
  sample->cell_id = g_strdup (DG_TEST_CELL_ID);
  sample->jar = jar;
  g_free (sample->month);
  sample->month = g_strdup ("2025-03");
  sample->start = g_strdup ("2025-03-01T09:00");
  sample->end = g_strdup ("2025-03-31T09:00");
  sample->w0_g = 20.0;
  sample->w1_g = 20.0 + net;
  sample->wc_g = 0.0;
  data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);
  change = dg_change_new (DG_RECORD_DUSTFALL_SAMPLE, id, 0, FALSE, data);
  return dg_change_to_json (change);
}

/* A fresh record id, in the order they are made. */
static char *
new_id (Fixture *f)
{
  return g_strdup_printf ("e0000000-0000-4000-8000-%012u", ++f->counter);
}

/* Applies the one change @node (taken) as @user; returns its result. */
static DgResult *
apply (Fixture    *f,
       const char *user,
       DgRole      role,
       JsonNode   *node)
{
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  json_array_add_element (changes, node);
  results = dg_store_apply_changes (f->store, user, role, changes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  return g_steal_pointer (&g_ptr_array_index (results, 0));
}

static void
assert_applied (DgResult *result,
                gint64    rev)
{
  if (result->status != DG_RESULT_APPLIED)
    g_test_message ("%s: %s", result->id, result->error != NULL ? result->error->message : "");
  g_assert_cmpint (result->status, ==, DG_RESULT_APPLIED);
  g_assert_cmpint (result->rev, ==, rev);
  dg_result_free (result);
}

static void
assert_rejected (DgResult    *result,
                 DgErrorCode  code,
                 const char  *field)
{
  g_assert_cmpint (result->status, ==, DG_RESULT_REJECTED);
  g_assert_error (result->error, DG_ERROR, (gint) code);
  if (field != NULL)
    g_assert_cmpstr (dg_error_get_field (result->error), ==, field);
  dg_result_free (result);
}

#define SKIP_IF_UNAVAILABLE(f) G_STMT_START { if ((f)->store == NULL) return; } G_STMT_END

/* ---- Applying changes ---- */

/* A new record is stored at rev 1, an edit at the next rev, the same data again changes
 * nothing, and the store gives back what was stored. */
static void
test_apply_created_updated_unchanged (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(DgResult) unchanged = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  unchanged = apply (f, "inspector", DG_ROLE_INSPECTOR,
                     check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 3.5));
  g_assert_cmpint (unchanged->status, ==, DG_RESULT_UNCHANGED);
  g_assert_cmpint (unchanged->rev, ==, 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 5.0)), 2);

  record = dg_store_get_record (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->type, ==, DG_RECORD_ROAD_CHECK);
  g_assert_cmpint (record->rev, ==, 2);
  g_assert_cmpstr (record->author, ==, "inspector");
  g_assert_false (record->deleted);
  g_assert_cmpint (record->state, ==, DG_RECORD_STATE_ACTIVE);
  g_assert_nonnull (record->computed);
  g_assert_cmpstr (json_object_get_string_member (record->data, "date"), ==, "2025-03-05");
}

/* An edit made on an older rev than the stored one is a conflict that carries the stored record,
 * and changes nothing. */
static void
test_apply_conflict (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autoptr(DgResult) conflict = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 4.5)), 2);

  conflict = apply (f, "inspector", DG_ROLE_INSPECTOR,
                    check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 9.5));
  g_assert_cmpint (conflict->status, ==, DG_RESULT_CONFLICT);
  g_assert_cmpint (conflict->rev, ==, 2);
  g_assert_nonnull (conflict->current);
  g_assert_cmpint (conflict->current->rev, ==, 2);
  g_assert_cmpint (dg_store_count_revisions (f->store, id), ==, 2);
}

/* Invalid data, a road that does not exist, a role that may not write the type and another
 * inspector's record are rejected with their reason, and nothing of them is stored. */
static void
test_apply_rejected (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autofree char *mine = new_id (f);
  g_autoptr(DgRecord) missing = NULL;
  g_autoptr(GError) error = NULL;
  DgResult *invalid;

  SKIP_IF_UNAVAILABLE (f);

  invalid = apply (f, "inspector", DG_ROLE_INSPECTOR,
                   check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", -1.0));
  g_assert_nonnull (dg_error_get_field (invalid->error));
  assert_rejected (invalid, DG_ERROR_INVALID_FIELD, NULL);
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          check_change (id, 0, OTHER_ROAD_ID, "2025-03-05", 3.5)),
                   DG_ERROR_INVALID_FIELD, "road_id");
  assert_rejected (apply (f, "unit", DG_ROLE_UNIT,
                          check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)),
                   DG_ERROR_FORBIDDEN, "type");
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          delete_change (DG_RECORD_ROAD, DG_TEST_ROAD_ID, 1)),
                   DG_ERROR_FORBIDDEN, "type");
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          delete_change (DG_RECORD_ROAD_CHECK, id, 0)),
                   DG_ERROR_NOT_FOUND, "id");

  missing = dg_store_get_record (f->store, id, &error);
  g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_assert_cmpint (dg_store_count_revisions (f->store, id), ==, 0);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (mine, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_rejected (apply (f, "inspector2", DG_ROLE_INSPECTOR,
                          check_change (mine, 1, DG_TEST_ROAD_ID, "2025-03-05", 4.5)),
                   DG_ERROR_FORBIDDEN, "id");
}

/* ---- Many writers at once (group commit) ---- */

#define N_WRITERS 8
#define N_PUSHES  12
#define POISONED  "e2000000-0000-4000-8000-000000000007"

typedef struct
{
  DgStore    *store;
  guint       writer;
  const char *user;
  GPtrArray  *results[N_PUSHES];   /* each push's results, or NULL with its error */
  GError     *errors[N_PUSHES];
} Writer;

static char *
writer_id (guint writer,
           guint push,
           guint which)
{
  return g_strdup_printf ("e1%06x-0000-4000-8000-%06x%06x", writer, push, which);
}

/* Each push: a good check and an invalid one; writer 0's push 7 is only a check the database
 * itself refuses. */
static gpointer
writer_thread (gpointer user_data)
{
  Writer *w = user_data;

  for (guint p = 0; p < N_PUSHES; p++)
    {
      g_autoptr(JsonArray) changes = json_array_new ();

      if (w->writer == 0 && p == 7)
        {
          json_array_add_element (changes, check_change (POISONED, 0, DG_TEST_ROAD_ID,
                                                         "2025-03-06", 3.0));
        }
      else
        {
          g_autofree char *good = writer_id (w->writer, p, 0);
          g_autofree char *bad = writer_id (w->writer, p, 1);

          json_array_add_element (changes, check_change (good, 0, DG_TEST_ROAD_ID, "2025-03-05",
                                                         1.0 + p));
          json_array_add_element (changes, check_change (bad, 0, DG_TEST_ROAD_ID, "2025-03-05",
                                                         -1.0));
        }
      w->results[p] = dg_store_apply_changes (w->store, w->user, DG_ROLE_INSPECTOR, changes,
                                              &w->errors[p]);
    }
  return NULL;
}

/* Pushes from several threads at once, which the store may write in shared transactions, each
 * get their own results and are stored as their own user; a change refused by validation takes
 * nothing else down, and a push the database fails fails alone. */
static void
test_apply_concurrent_writers (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *poison = NULL;
  Writer writers[N_WRITERS] = { 0 };
  GThread *threads[N_WRITERS];
  gint64 before = 0, after = 0;

  SKIP_IF_UNAVAILABLE (f);

  poison = g_strdup_printf (f->backend->poison_record, POISONED);
  g_assert_true (dg_store_exec (f->store, poison, &error));
  g_assert_no_error (error);
  g_assert_true (dg_store_verify (f->store, &before, &error));

  for (guint w = 0; w < N_WRITERS; w++)
    {
      writers[w].store = f->store;
      writers[w].writer = w;
      writers[w].user = w % 2 == 0 ? "inspector" : "inspector2";
      threads[w] = g_thread_new ("writer", writer_thread, &writers[w]);
    }
  for (guint w = 0; w < N_WRITERS; w++)
    g_thread_join (threads[w]);

  for (guint w = 0; w < N_WRITERS; w++)
    for (guint p = 0; p < N_PUSHES; p++)
      {
        g_autoptr(GPtrArray) results = writers[w].results[p];
        g_autoptr(GError) push_error = writers[w].errors[p];
        g_autofree char *good = writer_id (w, p, 0);
        g_autofree char *bad = writer_id (w, p, 1);
        g_autoptr(DgRecord) record = NULL;
        g_autoptr(DgRecord) missing = NULL;
        DgResult *result;

        if (w == 0 && p == 7)
          {
            g_assert_nonnull (push_error);
            g_assert_null (results);
            missing = dg_store_get_record (f->store, POISONED, &error);
            g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
            g_clear_error (&error);
            continue;
          }

        g_assert_no_error (push_error);
        g_assert_cmpuint (results->len, ==, 2);
        result = g_ptr_array_index (results, 0);
        g_assert_cmpstr (result->id, ==, good);
        g_assert_cmpint (result->status, ==, DG_RESULT_APPLIED);
        g_assert_cmpint (result->rev, ==, 1);
        result = g_ptr_array_index (results, 1);
        g_assert_cmpstr (result->id, ==, bad);
        g_assert_cmpint (result->status, ==, DG_RESULT_REJECTED);
        g_assert_error (result->error, DG_ERROR, DG_ERROR_INVALID_FIELD);

        record = dg_store_get_record (f->store, good, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (record->author, ==, writers[w].user);
        g_assert_cmpint (record->rev, ==, 1);
        missing = dg_store_get_record (f->store, bad, &error);
        g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
        g_clear_error (&error);
      }

  /* One revision for each good check, the chain whole. */
  g_assert_true (dg_store_verify (f->store, &after, &error));
  g_assert_no_error (error);
  g_assert_cmpint (after - before, ==, N_WRITERS * N_PUSHES - 1);
}

/* No change enters or leaves a closed month, and no record of it is returned; reopened, it
 * takes changes again. */
static void
test_apply_month_closed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *april = new_id (f);
  g_autofree char *march = new_id (f);
  g_autoptr(DgRecord) returned = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (april, 0, DG_TEST_ROAD_ID, "2025-04-02", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (march, 0, DG_TEST_ROAD_ID, "2025-03-02", 3.5)), 1);

  g_assert_true (dg_store_set_month_closed (f->store, "2025-03", TRUE, "office", &error));
  g_assert_no_error (error);
  g_assert_true (dg_store_is_month_closed (f->store, "2025-03", &error));
  g_assert_false (dg_store_is_month_closed (f->store, "2025-04", &error));
  g_assert_no_error (error);

  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          check_change (april, 1, DG_TEST_ROAD_ID, "2025-03-30", 3.5)),
                   DG_ERROR_MONTH_CLOSED, NULL);
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          check_change (march, 1, DG_TEST_ROAD_ID, "2025-04-30", 3.5)),
                   DG_ERROR_MONTH_CLOSED, NULL);
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR,
                          delete_change (DG_RECORD_ROAD_CHECK, march, 1)),
                   DG_ERROR_MONTH_CLOSED, NULL);
  returned = dg_store_return_record (f->store, march, "weigh again", "office", &error);
  g_assert_error (error, DG_ERROR, DG_ERROR_MONTH_CLOSED);
  g_assert_null (returned);
  g_clear_error (&error);

  g_assert_true (dg_store_set_month_closed (f->store, "2025-03", FALSE, "office", &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_is_month_closed (f->store, "2025-03", &error));
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (april, 1, DG_TEST_ROAD_ID, "2025-03-30", 3.5)), 2);
}

/* Design 6.7: a check dated, or a sample ending, more than a day after the server's today is
 * refused on that field; tomorrow is a clock a little ahead, and is taken. */
static void
test_apply_future_date (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *today = dg_date_today ();
  g_autofree char *id = new_id (f);
  g_autofree char *sample_id = new_id (f);
  g_autofree char *tomorrow = NULL;
  g_autofree char *next_year = NULL;
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(JsonObject) sample_data = NULL;
  g_autoptr(DgChange) change = NULL;
  DgResult *result;
  GDate date;

  SKIP_IF_UNAVAILABLE (f);

  dg_date_parse (today, &date);
  g_date_add_days (&date, 1);
  tomorrow = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date));
  g_date_add_years (&date, 1);
  next_year = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                               g_date_get_month (&date), g_date_get_day (&date));

  result = apply (f, "inspector", DG_ROLE_INSPECTOR,
                  check_change (id, 0, DG_TEST_ROAD_ID, next_year, 3.5));
  g_assert_nonnull (strstr (result->error->message, next_year));
  assert_rejected (result, DG_ERROR_INVALID_FIELD, "date");
  g_assert_cmpint (dg_store_count_revisions (f->store, id), ==, 0);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, tomorrow, 3.5)), 1);

  /* A sample's end, in the next year's same month. */
  sample->id = g_strdup (sample_id);
  sample->cell_id = g_strdup (DG_TEST_CELL_ID);
  g_free (sample->month);
  sample->month = g_strndup (next_year, 7);
  sample->start = g_strdup_printf ("%s-01T09:00", sample->month);
  sample->end = g_strdup_printf ("%s-28T09:00", sample->month);
  sample->w0_g = 20.0;
  sample->w1_g = 20.1;
  sample->wc_g = 0.0;
  sample_data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);
  change = dg_change_new (DG_RECORD_DUSTFALL_SAMPLE, sample_id, 0, FALSE, sample_data);
  assert_rejected (apply (f, "inspector", DG_ROLE_INSPECTOR, dg_change_to_json (change)),
                   DG_ERROR_INVALID_FIELD, "end");
}

/* Design 6.7: one sample per (cell, site, jar, month). A second jar A of the same cell, site and
 * month is refused on "jar", naming the record that holds it, whoever sends it; jar B, the same
 * record saved again, and the jar once its holder is deleted, are taken. */
static void
test_apply_second_jar (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *first = new_id (f);
  g_autofree char *second = new_id (f);
  g_autofree char *jar_b = new_id (f);
  DgResult *result;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, sample_change (first, DG_JAR_A, 0.1)),
                  1);
  result = apply (f, "inspector2", DG_ROLE_INSPECTOR, sample_change (second, DG_JAR_A, 0.2));
  g_assert_nonnull (strstr (result->error->message, first));
  assert_rejected (result, DG_ERROR_INVALID_FIELD, "jar");
  g_assert_cmpint (dg_store_count_revisions (f->store, second), ==, 0);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, sample_change (jar_b, DG_JAR_B, 0.2)),
                  1);
  {
    /* Its own jar, edited. */
    JsonNode *node = sample_change (first, DG_JAR_A, 0.3);

    json_object_set_int_member (json_node_get_object (node), "base_rev", 1);
    assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, node), 2);
  }

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         delete_change (DG_RECORD_DUSTFALL_SAMPLE, first, 2)), 3);
  assert_applied (apply (f, "inspector2", DG_ROLE_INSPECTOR,
                         sample_change (second, DG_JAR_A, 0.2)), 1);
}

/* Design 6.7: a month with a record still returned is not closed, and the store says which;
 * forced, it closes and the record stays returned; corrected, the month closes plainly. */
static void
test_close_month_returned (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *returned_id = new_id (f);
  g_autofree char *other = new_id (f);
  g_autoptr(GPtrArray) returned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (returned_id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (other, 0, DG_TEST_ROAD_ID, "2025-04-05", 3.5)), 1);
  record = dg_store_return_record (f->store, returned_id, "weigh again", "office", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, dg_record_free);
  record = dg_store_return_record (f->store, other, "not this month", "office", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, dg_record_free);

  g_assert_false (dg_store_close_month (f->store, "2025-03", "office", FALSE, returned, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (returned->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (returned, 0), ==, returned_id);
  g_assert_false (dg_store_is_month_closed (f->store, "2025-03", &error));
  g_assert_no_error (error);

  g_ptr_array_set_size (returned, 0);
  g_assert_true (dg_store_close_month (f->store, "2025-03", "office", TRUE, returned, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (returned->len, ==, 1);
  g_assert_true (dg_store_is_month_closed (f->store, "2025-03", &error));
  record = dg_store_get_record (f->store, returned_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, DG_RECORD_STATE_RETURNED);
  g_clear_pointer (&record, dg_record_free);

  /* April's returned record, corrected by its author: April closes without force. */
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (other, 1, DG_TEST_ROAD_ID, "2025-04-05", 3.0)), 2);
  g_ptr_array_set_size (returned, 0);
  g_assert_true (dg_store_close_month (f->store, "2025-04", "office", FALSE, returned, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (returned->len, ==, 0);
}

/* A voided check or sample (issue 13) is no data for the loaders the reports read, however
 * they cached the month before, yet it stays a record with its reason. */
static void
test_void_is_no_data (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *check = new_id (f);
  g_autofree char *jar_a = new_id (f);
  const char *months[] = { "2025-03", NULL };
  g_autoptr(GArray) before = NULL, after = NULL;
  g_autoptr(GPtrArray) checks = NULL, samples = NULL;
  g_autoptr(DgRecord) voided = NULL, stored = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (check, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, sample_change (jar_a, DG_JAR_A, 0.1)),
                  1);
  before = dg_store_load_cell_months (f->store, months, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 1);

  voided = dg_store_void_record (f->store, jar_a, "jar knocked over", "inspector", &error);
  g_assert_no_error (error);
  g_assert_cmpint (voided->state, ==, DG_RECORD_STATE_VOIDED);
  g_clear_pointer (&voided, dg_record_free);
  voided = dg_store_void_record (f->store, check, "wrong road", "inspector", &error);
  g_assert_no_error (error);

  after = dg_store_load_cell_months (f->store, months, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 0);
  samples = dg_store_load_dustfall_samples (f->store, months, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 0);
  checks = dg_store_load_road_checks (f->store, "2025-03", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 0);

  stored = dg_store_get_record (f->store, jar_a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->state, ==, DG_RECORD_STATE_VOIDED);
  g_assert_cmpstr (stored->reason, ==, "jar knocked over");
  g_assert_cmpint (stored->rev, ==, 1);
  g_assert_true (dg_store_verify (f->store, NULL, &error));
  g_assert_no_error (error);
}

/* A returned record is pending correction at a new seq and the same rev, until its author's
 * own edit. */
static void
test_return_record (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autoptr(DgRecord) before = NULL;
  g_autoptr(DgRecord) returned = NULL;
  g_autoptr(DgRecord) after = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  before = dg_store_get_record (f->store, id, &error);
  g_assert_no_error (error);

  returned = dg_store_return_record (f->store, id, "weigh point 1 again", "office", &error);
  g_assert_no_error (error);
  g_assert_cmpint (returned->state, ==, DG_RECORD_STATE_RETURNED);
  g_assert_cmpstr (returned->reason, ==, "weigh point 1 again");
  g_assert_cmpint (returned->rev, ==, 1);
  g_assert_cmpint (returned->seq, >, before->seq);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 3.6)), 2);
  after = dg_store_get_record (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->state, ==, DG_RECORD_STATE_ACTIVE);
  g_assert_null (after->reason);
}

/* ---- Reading back ---- */

static GPtrArray *
pull (Fixture    *f,
      const char *user,
      DgRole      role,
      gint64      since,
      guint       limit,
      gint64     *next,
      gboolean   *more)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = dg_store_pull (f->store, user, role, since, limit, next, more, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

/* Pages of a pull are the whole feed in seq order, each page's next the seq of its last record
 * and `more` set on every page but the last; past the end there is nothing, and next stays. */
static void
test_pull_paging (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  gint64 since = 0, next = -1, last_seq = 0;
  gboolean more = TRUE;
  guint seen = 0;

  SKIP_IF_UNAVAILABLE (f);

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = new_id (f);

      assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                             check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5 + i)), 1);
    }

  all = pull (f, "office", DG_ROLE_OFFICE, 0, 10000, &next, &more);
  g_assert_false (more);
  g_assert_cmpuint (all->len, >, 7);

  for (more = TRUE; more;)
    {
      g_autoptr(GPtrArray) page = pull (f, "office", DG_ROLE_OFFICE, since, 3, &next, &more);

      g_assert_cmpuint (page->len, <=, 3);
      for (guint i = 0; i < page->len; i++)
        {
          const DgRecord *record = g_ptr_array_index (page, i);
          const DgRecord *expected = g_ptr_array_index (all, seen + i);

          g_assert_cmpint (record->seq, >, last_seq);
          g_assert_cmpstr (record->id, ==, expected->id);
          last_seq = record->seq;
        }
      seen += page->len;
      if (more)
        g_assert_cmpuint (page->len, ==, 3);
      if (page->len > 0)
        g_assert_cmpint (next, ==, last_seq);
      since = next;
    }
  g_assert_cmpuint (seen, ==, all->len);

  {
    g_autoptr(GPtrArray) empty = pull (f, "office", DG_ROLE_OFFICE, since, 3, &next, &more);

    g_assert_cmpuint (empty->len, ==, 0);
    g_assert_false (more);
    g_assert_cmpint (next, ==, since);
  }
}

/* An inspector's pull has the reference data and their own records, not another's; the office
 * sees both. */
static void
test_pull_visibility (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *mine = new_id (f);
  g_autofree char *theirs = new_id (f);
  g_autoptr(GPtrArray) inspector = NULL;
  g_autoptr(GPtrArray) office = NULL;
  gboolean saw_mine = FALSE, saw_theirs = FALSE, saw_road = FALSE;
  gint64 next;
  gboolean more;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (mine, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector2", DG_ROLE_INSPECTOR,
                         check_change (theirs, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);

  inspector = pull (f, "inspector", DG_ROLE_INSPECTOR, 0, 10000, &next, &more);
  for (guint i = 0; i < inspector->len; i++)
    {
      const DgRecord *record = g_ptr_array_index (inspector, i);

      saw_mine |= strcmp (record->id, mine) == 0;
      saw_theirs |= strcmp (record->id, theirs) == 0;
      saw_road |= strcmp (record->id, DG_TEST_ROAD_ID) == 0;
    }
  g_assert_true (saw_mine);
  g_assert_false (saw_theirs);
  g_assert_true (saw_road);

  office = pull (f, "office", DG_ROLE_OFFICE, 0, 10000, &next, &more);
  g_assert_cmpuint (office->len, ==, inspector->len + 1);
}

/* Every revision of a record, oldest first, a deletion among them, each with its own hash. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *revisions;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-06", 3.5)), 2);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         delete_change (DG_RECORD_ROAD_CHECK, id, 2)), 3);

  history = dg_store_get_history (f->store, id, &error);
  g_assert_no_error (error);
  revisions = json_object_get_array_member (json_node_get_object (history), "revisions");
  g_assert_cmpuint (json_array_get_length (revisions), ==, 3);
  g_assert_cmpint (dg_store_count_revisions (f->store, id), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *revision = json_array_get_object_element (revisions, i);
      const char *hash = json_object_get_string_member (revision, "hash");

      g_assert_cmpint (json_object_get_int_member (revision, "rev"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (revision, "author"), ==, "inspector");
      g_assert_nonnull (json_object_get_string_member (revision, "updated_at"));
      g_assert_cmpuint (strlen (hash), ==, 64);
      g_assert_cmpint (json_object_get_boolean_member (revision, "deleted"), ==, i == 2);
      g_assert_cmpint (json_object_get_null_member (revision, "data"), ==, i == 2);
      if (i > 0)
        g_assert_cmpstr (hash, !=, json_object_get_string_member (
                           json_array_get_object_element (revisions, i - 1), "hash"));
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (revisions, 1),
                                                    "data"), "date"), ==, "2025-03-06");

  none = dg_store_get_history (f->store, OTHER_ROAD_ID, &error);
  g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
  g_assert_null (none);
}

/* What the reports read comes back as it was written: the reference data, the rules, a month's
 * checks with their points, and its cell-months as common/ makes them from the samples. */
static void
test_report_loaders (Fixture       *f,
                     gconstpointer  data)
{
  const char *months[] = { "2025-03", NULL };
  g_autofree char *check = new_id (f);
  g_autofree char *jar_a = new_id (f);
  g_autofree char *jar_b = new_id (f);
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) got = NULL;
  g_autoptr(GError) error = NULL;
  const DgRoadCheck *loaded;
  const DgCellMonth *e, *g;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (check, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, sample_change (jar_a, DG_JAR_A, 0.1)),
                  1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR, sample_change (jar_b, DG_JAR_B, 0.2)),
                  1);

  roads = dg_store_load_roads (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roads->len, >, 0);
  cells = dg_store_load_grid_cells (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cells->len, >, 0);
  rules = dg_store_load_rules (f->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rules);

  checks = dg_store_load_road_checks (f->store, "2025-03", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 1);
  loaded = g_ptr_array_index (checks, 0);
  g_assert_cmpstr (loaded->id, ==, check);
  g_assert_cmpstr (loaded->road_id, ==, DG_TEST_ROAD_ID);
  g_assert_cmpstr (loaded->author, ==, "inspector");
  g_assert_cmpuint (loaded->points->len, ==, 3);
  g_assert_cmpfloat (dg_road_check_get_point (loaded, 0)->mass_g, ==, 3.5);

  samples = dg_store_load_dustfall_samples (f->store, months, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 2);
  expected = dg_cell_months_from_samples (samples);
  got = dg_store_load_cell_months (f->store, months, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpuint (expected->len, ==, 1);
  e = &g_array_index (expected, DgCellMonth, 0);
  g = &g_array_index (got, DgCellMonth, 0);
  g_assert_cmpstr (g->cell_id, ==, DG_TEST_CELL_ID);
  g_assert_true (g->has_value);
  g_assert_cmpfloat (g->value, ==, e->value);
  g_assert_cmpuint (g->sites, ==, 1);
}

/* ---- Users and tokens ---- */

static void
test_auth_token_round_trip (Fixture       *f,
                            gconstpointer  data)
{
  const gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *hash = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;
  DgRole role = DG_ROLE_ADMIN;

  SKIP_IF_UNAVAILABLE (f);

  g_assert_false (dg_store_get_user (f->store, "nobody", &role, &hash, &error));
  g_assert_no_error (error);

  g_assert_true (dg_store_put_user (f->store, "anna", DG_ROLE_INSPECTOR, "hash-1", &error));
  g_assert_true (dg_store_put_user (f->store, "anna", DG_ROLE_OFFICE, "hash-2", &error));
  g_assert_no_error (error);
  g_assert_true (dg_store_get_user (f->store, "anna", &role, &hash, &error));
  g_assert_cmpint (role, ==, DG_ROLE_OFFICE);
  g_assert_cmpstr (hash, ==, "hash-2");

  g_assert_true (dg_store_add_token (f->store, "token-hash", "anna", now + 60, &error));
  g_assert_no_error (error);
  role = DG_ROLE_ADMIN;
  g_assert_true (dg_store_lookup_token (f->store, "token-hash", now, &username, &role, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (username, ==, "anna");
  g_assert_cmpint (role, ==, DG_ROLE_OFFICE);

  g_assert_false (dg_store_lookup_token (f->store, "token-hash", now + 60, NULL, &role, &error));
  g_assert_false (dg_store_lookup_token (f->store, "token-hasi", now, NULL, &role, &error));
  g_assert_true (dg_store_revoke_token (f->store, "token-hash", &error));
  g_assert_false (dg_store_lookup_token (f->store, "token-hash", now, NULL, &role, &error));
  g_assert_no_error (error);
  g_assert_no_error (error);
}

/* A new password (or role) ends every session of the user at once, and no one else's: a
 * token handed out under the old password must not outlive it. */
static void
test_auth_new_password_ends_sessions (Fixture       *f,
                                      gconstpointer  data)
{
  const gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  DgRole role = DG_ROLE_ADMIN;

  SKIP_IF_UNAVAILABLE (f);

  g_assert_true (dg_store_put_user (f->store, "anna", DG_ROLE_OFFICE, "hash-2", &error));

  g_assert_true (dg_store_put_user (f->store, "ben", DG_ROLE_INSPECTOR, "hash-b", &error));
  g_assert_true (dg_store_add_token (f->store, "anna-1", "anna", now + 60, &error));
  g_assert_true (dg_store_add_token (f->store, "anna-2", "anna", now + 60, &error));
  g_assert_true (dg_store_add_token (f->store, "ben-1", "ben", now + 60, &error));
  g_assert_no_error (error);
  g_assert_true (dg_store_put_user (f->store, "anna", DG_ROLE_OFFICE, "hash-3", &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_lookup_token (f->store, "anna-1", now, NULL, &role, &error));
  g_assert_false (dg_store_lookup_token (f->store, "anna-2", now, NULL, &role, &error));
  g_assert_true (dg_store_lookup_token (f->store, "ben-1", now, NULL, &role, &error));
  g_assert_no_error (error);
}

/* ---- Administering users (6.1) ---- */

static DgUser *
make_user (const char *username,
           DgRole      role)
{
  DgUser *user = dg_user_new ();

  user->username = g_strdup (username);
  user->role = role;
  return user;
}

/* A user is made once (the name taken again is a conflict), listed with what was set, changed
 * field by field; disabling ends its sessions and its tokens stay dead once enabled again; the
 * last administrator cannot be disabled. */
static void
test_users_administered (Fixture       *f,
                         gconstpointer  data)
{
  const gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(DgUser) anna = make_user ("anna", DG_ROLE_UNIT);
  g_autoptr(DgUser) boss = make_user ("boss", DG_ROLE_ADMIN);
  g_autoptr(DgUser) changed = NULL;
  g_autoptr(DgUser) found = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  DgUserPatch patch = { 0 };
  DgRole role;
  gint64 n = -1;

  SKIP_IF_UNAVAILABLE (f);

  /* A unit user needs its unit. */
  g_assert_false (dg_store_create_user (f->store, anna, "hash-a", "admin", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "unit_id");
  g_clear_error (&error);
  /* Its unit is one of the district's: 府城街道 of the sample district. */
  anna->unit_id = g_strdup ("0b7c1a4e-2f0e-4c1d-9a55-3f5d2c7e8a10");
  g_assert_false (dg_store_create_user (f->store, anna, "hash-a", "admin", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_cmpstr (dg_error_get_field (error), ==, "unit_id");
  g_clear_error (&error);
  g_free (anna->unit_id);
  anna->unit_id = g_strdup ("1260b93f-5792-5100-8983-3790c589cd18");
  anna->display_name = g_strdup ("安娜");
  g_assert_true (dg_store_create_user (f->store, anna, "hash-a", "admin", &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_create_user (f->store, anna, "hash-b", "admin", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (dg_store_create_user (f->store, boss, "hash-boss", "admin", &error));
  g_assert_no_error (error);

  users = dg_store_list_users (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  found = g_ptr_array_index (users, 0);
  g_assert_cmpstr (found->username, ==, "anna");
  g_assert_cmpint (found->role, ==, DG_ROLE_UNIT);
  g_assert_cmpstr (found->display_name, ==, "安娜");
  g_assert_cmpstr (found->unit_id, ==, anna->unit_id);
  g_assert_false (found->disabled);
  g_assert_nonnull (found->created_at);
  g_assert_null (found->last_login_at);
  found = NULL;

  g_assert_true (dg_store_add_token (f->store, "anna-1", "anna", now + 60, &error));
  g_assert_no_error (error);
  g_assert_true (dg_store_lookup_user (f->store, "anna", &found, &hash, &error));
  g_assert_nonnull (found->last_login_at);
  g_assert_cmpstr (hash, ==, "hash-a");
  g_clear_pointer (&found, dg_user_free);

  /* A display name leaves the sessions be; disabling ends them. */
  patch.set_display_name = TRUE;
  patch.display_name = "Anna";
  changed = dg_store_update_user (f->store, "anna", &patch, NULL, "admin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->display_name, ==, "Anna");
  g_assert_true (dg_store_lookup_token (f->store, "anna-1", now, NULL, &role, &error));
  g_clear_pointer (&changed, dg_user_free);

  patch = (DgUserPatch) { .set_disabled = TRUE, .disabled = TRUE };
  changed = dg_store_update_user (f->store, "anna", &patch, NULL, "admin", &error);
  g_assert_no_error (error);
  g_assert_true (changed->disabled);
  g_assert_false (dg_store_lookup_token (f->store, "anna-1", now, NULL, &role, &error));
  g_clear_pointer (&changed, dg_user_free);
  /* A token added while disabled (a login racing the change) answers nothing either. */
  g_assert_true (dg_store_add_token (f->store, "anna-2", "anna", now + 60, &error));
  g_assert_false (dg_store_lookup_token (f->store, "anna-2", now, NULL, &role, &error));
  patch.disabled = FALSE;
  changed = dg_store_update_user (f->store, "anna", &patch, NULL, "admin", &error);
  g_assert_no_error (error);
  g_assert_false (dg_store_lookup_token (f->store, "anna-1", now, NULL, &role, &error));
  g_assert_true (dg_store_lookup_token (f->store, "anna-2", now, NULL, &role, &error));
  g_clear_pointer (&changed, dg_user_free);

  /* A reset password keeps the rest and ends the sessions, and says how many. */
  g_assert_true (dg_store_revoke_user (f->store, "anna", "admin", &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (dg_store_add_token (f->store, "anna-3", "anna", now + 60, &error));
  patch = (DgUserPatch) { 0 };
  changed = dg_store_update_user (f->store, "anna", &patch, "hash-new", "admin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->display_name, ==, "Anna");
  g_assert_false (dg_store_lookup_token (f->store, "anna-3", now, NULL, &role, &error));
  g_clear_pointer (&hash, g_free);
  g_assert_true (dg_store_lookup_user (f->store, "anna", NULL, &hash, &error));
  g_assert_cmpstr (hash, ==, "hash-new");
  g_clear_pointer (&changed, dg_user_free);

  patch = (DgUserPatch) { .set_disabled = TRUE, .disabled = TRUE };
  g_assert_null (dg_store_update_user (f->store, "boss", &patch, NULL, "boss", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (dg_store_update_user (f->store, "nobody", &patch, NULL, "boss", &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dg_store_revoke_user (f->store, "nobody", "boss", &n, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_NOT_FOUND);
}

/* Every administrative act leaves one event, in order, read page by page; the chain verifies,
 * and an event changed behind the store's back is found. */
static void
test_audit_chained (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DgUser) anna = make_user ("anna", DG_ROLE_OFFICE);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = new_id (f);
  g_autofree char *before = NULL;
  g_autoptr(DgRecord) returned = NULL;
  gint64 next = 0, next2 = 0, n_before;
  gboolean more = FALSE;
  DgAuditEvent *event;

  SKIP_IF_UNAVAILABLE (f);

  /* The import of the fixture: one event per reference record. */
  page = dg_store_read_audit (f->store, 0, 100000, &next, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  n_before = page->len;
  g_assert_cmpint (n_before, >, 0);
  event = g_ptr_array_index (page, 0);
  g_assert_cmpstr (event->action, ==, DG_AUDIT_REFERENCE_CHANGED);
  g_clear_pointer (&page, g_ptr_array_unref);

  g_assert_true (dg_store_create_user (f->store, anna, "hash-a", "admin", &error));
  g_assert_true (dg_store_audit (f->store, "mallory", DG_AUDIT_LOGIN_FAILED, "anna", NULL,
                                 &error));
  g_assert_true (dg_store_set_month_closed (f->store, "2025-02", TRUE, "office", &error));
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  returned = dg_store_return_record (f->store, id, "weigh again", "office", &error);
  g_assert_no_error (error);
  g_assert_nonnull (returned);

  page = dg_store_read_audit (f->store, next, 2, &next2, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_true (more);
  event = g_ptr_array_index (page, 0);
  g_assert_cmpint (event->seq, ==, n_before + 1);
  g_assert_cmpstr (event->action, ==, DG_AUDIT_USER_CREATED);
  g_assert_cmpstr (event->actor, ==, "admin");
  g_assert_cmpstr (event->target, ==, "anna");
  g_assert_nonnull (strstr (event->detail, "\"role\":\"office\""));
  event = g_ptr_array_index (page, 1);
  g_assert_cmpstr (event->action, ==, DG_AUDIT_LOGIN_FAILED);
  g_assert_null (event->detail);
  g_assert_cmpint (next2, ==, event->seq);

  rest = dg_store_read_audit (f->store, next2, 100, &next, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  g_assert_cmpuint (rest->len, ==, 2);
  event = g_ptr_array_index (rest, 0);
  g_assert_cmpstr (event->action, ==, DG_AUDIT_MONTH_CLOSED);
  g_assert_cmpstr (event->target, ==, "2025-02");
  event = g_ptr_array_index (rest, 1);
  g_assert_cmpstr (event->action, ==, DG_AUDIT_RECORD_RETURNED);
  g_assert_cmpstr (event->target, ==, id);
  g_assert_nonnull (strstr (event->detail, "weigh again"));

  g_assert_true (dg_store_verify (f->store, NULL, &error));
  g_assert_no_error (error);
  before = g_strdup_printf ("UPDATE audit SET actor = 'nobody' WHERE seq = %" G_GINT64_FORMAT,
                            n_before + 1);
  g_assert_true (dg_store_exec (f->store, before, &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_verify (f->store, NULL, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "audit event"));
}

/* ---- Integrity ---- */

/* The chain verifies, and so does a backup, opened as a database of its own; a revision or a
 * record changed behind the store's back does not. */
static void
test_backup_and_verify (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autofree char *why_not = NULL;
  g_autofree char *copy_location = NULL;
  g_autofree char *tamper = NULL;
  g_autoptr(DgStore) copy = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0, n_copy = 0;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 4.5)), 2);

  g_assert_true (dg_store_verify (f->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 2);

  copy_location = f->backend->new_location (f->dir, "backup", &why_not);
  g_assert_nonnull (copy_location);
  g_assert_true (dg_store_backup (f->store, copy_location, &error));
  g_assert_no_error (error);
  copy = dg_store_open_backend (f->backend->name, copy_location, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_verify (copy, &n_copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_copy, ==, n);
  record = dg_store_get_record (copy, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, 2);

  /* The copy is a database of its own: changing it leaves the original as it was. */
  tamper = g_strdup_printf (f->backend->tamper_record, id);
  g_assert_true (dg_store_exec (copy, tamper, &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_verify (copy, NULL, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, id));
  g_clear_error (&error);
  g_assert_true (dg_store_verify (f->store, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (dg_store_exec (f->store, f->backend->tamper_revision, &error));
  g_assert_no_error (error);
  g_assert_false (dg_store_verify (f->store, NULL, &error));
  g_assert_error (error, DG_ERROR, DG_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "revision 2 "));
}

/* Closed and opened again, the database has what it had, the default rules once; a closed store
 * answers that it is unavailable. */
static void
test_reopen_and_close (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = new_id (f);
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next;
  gboolean more;

  SKIP_IF_UNAVAILABLE (f);

  assert_applied (apply (f, "inspector", DG_ROLE_INSPECTOR,
                         check_change (id, 0, DG_TEST_ROAD_ID, "2025-03-05", 3.5)), 1);
  before = pull (f, "office", DG_ROLE_OFFICE, 0, 10000, &next, &more);

  g_clear_object (&f->store);
  f->store = dg_store_open_backend (f->backend->name, f->location, &error);
  g_assert_no_error (error);
  after = pull (f, "office", DG_ROLE_OFFICE, 0, 10000, &next, &more);
  g_assert_cmpuint (after->len, ==, before->len);
  record = dg_store_get_record (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, 1);

  dg_store_close (f->store);
  json_array_add_element (changes, check_change (id, 1, DG_TEST_ROAD_ID, "2025-03-05", 4.5));
  results = dg_store_apply_changes (f->store, "inspector", DG_ROLE_INSPECTOR, changes, &error);
  g_assert_error (error, DG_ERROR, DG_ERROR_UNAVAILABLE);
  g_assert_null (results);
}

/* A backend this build does not have is refused by name, and so is a database that only such a
 * backend could open, rather than taken for a file name. */
static void
test_unknown_backend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = dg_store_open_backend ("no-such-backend", "anywhere", &error);

  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_null (store);
  g_clear_error (&error);

  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    if (strcmp (backends[b].name, "postgresql") == 0)
      return;
  store = dg_store_open ("postgresql://localhost/dustgrid", &error);
  g_assert_error (error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  g_assert_null (store);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *path;
    void      (*func) (Fixture *, gconstpointer);
  } cases[] = {
    { "apply/created-updated-unchanged", test_apply_created_updated_unchanged },
    { "apply/conflict", test_apply_conflict },
    { "apply/rejected", test_apply_rejected },
    { "apply/concurrent-writers-own-results", test_apply_concurrent_writers },
    { "apply/month-closed", test_apply_month_closed },
    { "apply/future-date-refused", test_apply_future_date },
    { "apply/second-jar-refused-naming-its-holder", test_apply_second_jar },
    { "months/close-refused-while-records-are-returned", test_close_month_returned },
    { "return/pending-until-author-edits", test_return_record },
    { "void/no-data-for-the-reports", test_void_is_no_data },
    { "pull/paging", test_pull_paging },
    { "pull/inspector-sees-own-and-reference", test_pull_visibility },
    { "history/every-revision-oldest-first", test_history },
    { "reports/loaders-read-what-was-written", test_report_loaders },
    { "auth/token-round-trip", test_auth_token_round_trip },
    { "auth/new-password-ends-sessions", test_auth_new_password_ends_sessions },
    { "users/created-listed-changed-disabled", test_users_administered },
    { "audit/every-act-chained-and-verified", test_audit_chained },
    { "integrity/backup-and-verify", test_backup_and_verify },
    { "lifecycle/reopen-and-close", test_reopen_and_close },
  };

  g_test_init (&argc, &argv, NULL);
  /* DgStore's warnings about stored data that no longer validates are not expected here. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autofree char *path = g_strdup_printf ("/store/contract/%s/%s", backends[b].name,
                                                 cases[c].path);

        g_test_add (path, Fixture, &backends[b], fixture_setup, cases[c].func,
                    fixture_teardown);
      }
  g_test_add_func ("/store/contract/unknown-backend-refused", test_unknown_backend);

  return g_test_run ();
}
