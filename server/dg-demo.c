/* dg-demo.c: a sample district with months of plausible data.
 *
 * Everything is drawn from GRands seeded by the date (or month) being generated, so the same day
 * always produces the same records with the same ids: running `demo` twice changes nothing, and a
 * database made the day before only gains that day's records. Road checks stop at yesterday:
 * the demo's inspector starts today's round from nothing, as a real one does.
 */
#define G_LOG_DOMAIN "dg-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-demo.h"

#define DEMO_MONTHS 6
#define BATCH_SIZE  500

static const char *const demo_users[][2] = {
  { "inspector",  "inspector" },
  { "inspector2", "inspector" },
  { "office",     "office" },
  { "admin",      "admin" },
};

static const char *const weathers[] = { "晴", "多云", "阴", "晴", "多云" };
static const char *const sides[] = { "北侧", "南侧", "东侧", "西侧" };

static char *
rand_uuid (GRand *rand)
{
  guint32 a = g_rand_int (rand), b = g_rand_int (rand), c = g_rand_int (rand),
          d = g_rand_int (rand);

  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          a, b >> 16, b & 0xfff, 0x8000 | (c >> 16 & 0x3fff), c & 0xffff, d);
}

static double
rand_range (GRand  *rand,
            double  lo,
            double  hi)
{
  return g_rand_double_range (rand, lo, hi);
}

static gboolean
chance (GRand  *rand,
        double  p)
{
  return g_rand_double (rand) < p;
}

static double
round_to (double value,
          int    decimals)
{
  return dg_round (value, decimals);
}

static int
compare_roads (gconstpointer a,
               gconstpointer b)
{
  const DgRoad *ra = *(DgRoad *const *) a, *rb = *(DgRoad *const *) b;

  return g_strcmp0 (ra->id, rb->id);
}

static int
compare_cells (gconstpointer a,
               gconstpointer b)
{
  const DgGridCell *ca = *(DgGridCell *const *) a, *cb = *(DgGridCell *const *) b;

  return g_strcmp0 (ca->code, cb->code);
}

/* Queues a change for @author, flushing full batches. */
typedef struct
{
  DgStore    *store;
  JsonArray  *pending[2];   /* inspector, inspector2 */
} Pusher;

static gboolean
flush (Pusher   *pusher,
       guint     who,
       GError  **error)
{
  g_autoptr(GPtrArray) results = NULL;
  JsonArray *changes = pusher->pending[who];

  if (changes == NULL || json_array_get_length (changes) == 0)
    return TRUE;

  results = dg_store_apply_changes (pusher->store, demo_users[who][0], DG_ROLE_INSPECTOR,
                                    changes, error);
  g_clear_pointer (&pusher->pending[who], json_array_unref);
  if (results == NULL)
    return FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);

      if (result->status == DG_RESULT_REJECTED)
        {
          g_set_error (error, DG_ERROR, result->error->code, "demo record %s rejected: %s",
                       result->id, result->error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
push (Pusher        *pusher,
      guint          who,
      DgRecordType   type,
      const char    *id,
      gconstpointer  data,
      GError       **error)
{
  g_autoptr(JsonObject) object = dg_record_data_to_json (type, data);
  g_autoptr(DgChange) change = dg_change_new (type, id, 0, FALSE, object);

  if (pusher->pending[who] == NULL)
    pusher->pending[who] = json_array_new ();
  json_array_add_element (pusher->pending[who], dg_change_to_json (change));

  if (json_array_get_length (pusher->pending[who]) >= BATCH_SIZE)
    return flush (pusher, who, error);

  return TRUE;
}

static gboolean
add_checks_of_day (Pusher      *pusher,
                   GPtrArray   *roads,
                   const char  *date,
                   char       **returnable,
                   GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (date) ^ 0x5eed0001u);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint n_roads;

  for (guint i = 0; i < roads->len; i++)
    g_ptr_array_add (order, g_ptr_array_index (roads, i));
  for (guint i = order->len - 1; i > 0; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1);
      gpointer tmp = order->pdata[i];

      order->pdata[i] = order->pdata[j];
      order->pdata[j] = tmp;
    }

  /* Most days meet the quota of 6 roads; some fall short. */
  n_roads = chance (rand, 0.12) ? (guint) g_rand_int_range (rand, 3, 6)
                                : (guint) g_rand_int_range (rand, 6, 9);
  n_roads = MIN (n_roads, order->len);

  for (guint r = 0; r < n_roads; r++)
    {
      const DgRoad *road = g_ptr_array_index (order, r);
      g_autoptr(DgRoadCheck) check = dg_road_check_new ();
      g_autofree char *id = rand_uuid (rand);
      guint n_points = chance (rand, 0.06) ? 4 : 6;
      int km = g_rand_int_range (rand, 0, 4);
      guint who = r % 2;

      check->id = g_strdup (id);
      check->road_id = g_strdup (road->id);
      check->date = g_strdup (date);
      check->weather = g_strdup (weathers[g_rand_int_range (rand, 0, G_N_ELEMENTS (weathers))]);
      check->started_at = g_strdup_printf ("%sT%02d:%02d", date, 8 + r / 2,
                                           g_rand_int_range (rand, 0, 6) * 10);

      for (guint p = 0; p < n_points; p++)
        {
          /* Main roads are sampled on the carriageway and, for the last points, the sidewalk. */
          DgSurface surface = road->surface;
          g_autofree char *location = NULL;
          double limit, mass;

          if (surface == DG_SURFACE_MAIN && p >= 4)
            surface = DG_SURFACE_SIDE;
          limit = surface == DG_SURFACE_MAIN ? DG_DEFAULT_LIMIT_MAIN :
                  surface == DG_SURFACE_SIDE ? DG_DEFAULT_LIMIT_SIDE : DG_DEFAULT_LIMIT_PARK;
          if (chance (rand, 0.07))
            mass = limit * rand_range (rand, 1.05, 1.8);
          else
            mass = limit * rand_range (rand, 0.25, 0.85);

          location = g_strdup_printf ("K%d+%03d %s", km, (int) (p * 150 + 50) % 1000,
                                      sides[g_rand_int_range (rand, 0, G_N_ELEMENTS (sides))]);
          dg_road_check_add_point (check, (int) p + 1, surface, location, 1.0,
                                   round_to (mass, 2));
        }

      if (n_points < 6)
        check->notes = g_strdup ("部分路段施工，未能完成全部采样点");

      if (who == 0 && returnable != NULL && *returnable == NULL && r == 0)
        *returnable = g_strdup (id);

      if (!push (pusher, who, DG_RECORD_ROAD_CHECK, id, check, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
add_dustfall_of_month (Pusher      *pusher,
                       GPtrArray   *cells,
                       const char  *month,
                       const char  *today,
                       GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (month) ^ 0x5eed0002u);
  g_autofree char *next = dg_month_add (month, 1);
  guint days = dg_month_days (month);
  const double diameter = DG_DUSTFALL_DEFAULT_DIAMETER_CM;
  const double area = G_PI * (diameter / 2) * (diameter / 2);

  for (guint c = 0; c < cells->len; c++)
    {
      const DgGridCell *cell = g_ptr_array_index (cells, c);
      g_autoptr(GRand) cell_rand = g_rand_new_with_seed (g_str_hash (cell->code) ^ 0x5eed0003u);
      guint n_sites = c % 3 == 0 ? 2 : 1;
      double base = rand_range (cell_rand, 3.0, 7.0);
      gboolean missing = chance (rand, 0.04);
      guint who = c % 2;

      for (guint site = 1; site <= n_sites; site++)
        {
          double m = base + rand_range (rand, -1.5, 1.5);
          gboolean a_invalid, b_invalid;

          if (chance (rand, 0.08))
            m = rand_range (rand, 8.5, 12.5);
          m = MAX (m, 1.5);

          a_invalid = missing || chance (rand, 0.06);
          b_invalid = missing || chance (rand, 0.03);

          for (guint jar = 0; jar < 2; jar++)
            {
              g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
              g_autofree char *id = rand_uuid (rand);
              double jar_m = jar == 0 ? m : m * rand_range (rand, 0.95, 1.05);
              double net = jar_m * area * days / (30 * 1e4);
              double w0 = round_to (rand_range (rand, 30.0, 50.0), 4);
              double wc = round_to (rand_range (rand, 0.0010, 0.0030), 4);

              g_free (sample->id);
              sample->id = g_strdup (id);
              g_free (sample->cell_id);
              sample->cell_id = g_strdup (cell->id);
              g_free (sample->site);
              sample->site = g_strdup_printf ("%u", site);
              sample->jar = jar == 0 ? DG_JAR_A : DG_JAR_B;
              g_free (sample->month);
              sample->month = g_strdup (month);
              g_free (sample->start);
              sample->start = g_strdup_printf ("%s-01T09:00", month);
              g_free (sample->end);
              sample->end = g_strdup_printf ("%s-01T09:00", next);
              sample->n_diameters = 4;
              sample->diameter_cm[0] = 14.9;
              sample->diameter_cm[1] = 15.0;
              sample->diameter_cm[2] = 15.1;
              sample->diameter_cm[3] = 15.0;
              sample->w0_g = w0;
              sample->wc_g = wc;
              sample->w1_g = round_to (w0 + wc + net, 4);
              sample->valid = !(jar == 0 ? a_invalid : b_invalid);
              if (!sample->valid)
                sample->notes = g_strdup (jar == 0 ? "集尘缸破损" : "缸内有落叶污染");

              /* A jar still out (collected on the next month's first day, after tomorrow)
               * has no result yet, and the server would refuse it (design 6.7). */
              if (!dg_record_check_not_future (DG_RECORD_DUSTFALL_SAMPLE, sample, today, NULL))
                continue;
              if (!push (pusher, who, DG_RECORD_DUSTFALL_SAMPLE, id, sample, error))
                return FALSE;
            }
        }
    }

  return TRUE;
}

/* The demo users (password = user name), unless they exist. */
static gboolean
add_demo_users (DgStore  *store,
                DgAuth   *auth,
                GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *hash = NULL;
      DgRole role;

      if (dg_store_get_user (store, demo_users[i][0], NULL, NULL, &local_error))
        continue;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      hash = dg_auth_hash_password (auth, demo_users[i][0], error);
      if (hash == NULL)
        return FALSE;
      dg_role_from_string (demo_users[i][1], &role);
      if (!dg_store_put_user (store, demo_users[i][0], role, hash, error))
        return FALSE;
    }

  return TRUE;
}

char *
dg_demo_find_reference_file (void)
{
  const char *env = g_getenv ("DUSTGRID_SOURCE_DATADIR");
  const char *dirs[] = { env, SOURCE_DATADIR, PKGDATADIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], "sample-district.json", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

gboolean
dg_demo_populate (DgStore     *store,
                  DgAuth      *auth,
                  const char  *today,
                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *this_month = NULL;
  g_autofree char *first_month = NULL;
  g_autofree char *returnable = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  Pusher pusher = { store, { NULL, NULL } };
  gsize length;
  GDate date, end;

  g_return_val_if_fail (DG_IS_STORE (store), FALSE);
  g_return_val_if_fail (dg_date_is_valid (today), FALSE);

  path = dg_demo_find_reference_file ();
  if (path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "sample-district.json not found (set DUSTGRID_SOURCE_DATADIR)");
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  root = dg_json_parse (contents, length, error);
  if (root == NULL ||
      !dg_store_import_reference (store, root, "admin", NULL, NULL, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (!add_demo_users (store, auth, error))
    return FALSE;

  roads = dg_store_load_roads (store, error);
  if (roads == NULL)
    return FALSE;
  cells = dg_store_load_grid_cells (store, error);
  if (cells == NULL)
    return FALSE;
  g_ptr_array_sort (roads, compare_roads);
  g_ptr_array_sort (cells, compare_cells);

  this_month = dg_date_month (today);
  first_month = dg_month_add (this_month, -(DEMO_MONTHS - 1));

  /* Checks on every day from the first month's first day to yesterday. */
  {
    g_autofree char *first_day = dg_month_day (first_month, 1);

    dg_date_parse (first_day, &date);
    dg_date_parse (today, &end);
  }
  while (g_date_compare (&date, &end) < 0)
    {
      char day[16];
      gboolean in_this_month;

      g_snprintf (day, sizeof day, "%04u-%02u-%02u", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      in_this_month = strncmp (day, this_month, 7) == 0;
      if (!add_checks_of_day (&pusher, roads, day, in_this_month ? &returnable : NULL, error))
        return FALSE;
      g_date_add_days (&date, 1);
    }

  /* Dust-fall jars for each month, the current one once its jars are collected. */
  for (int i = 0; i < DEMO_MONTHS; i++)
    {
      g_autofree char *month = dg_month_add (first_month, i);

      if (!add_dustfall_of_month (&pusher, cells, month, today, error))
        return FALSE;
    }

  if (!flush (&pusher, 0, error) || !flush (&pusher, 1, error))
    return FALSE;

  /* One check of this month waits for its inspector's correction. */
  if (returnable != NULL)
    {
      g_autoptr(DgRecord) record = dg_store_get_record (store, returnable, error);

      if (record == NULL)
        return FALSE;
      if (record->state != DG_RECORD_STATE_RETURNED)
        {
          g_autoptr(DgRecord) returned = NULL;

          returned = dg_store_return_record (store, returnable,
                                             "第 3 个采样点质量疑似录入错误，请复核后重新提交",
                                             "office", error);
          if (returned == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

/* ---- Larger synthetic regions, for benchmarks ---- */

typedef struct
{
  const char *name;
  guint       cells;
  guint       roads;
  guint       months;
  guint       points;     /* road points over all the months, at least */
} Scale;

static const Scale scales[] = {
  /* Issue 8: a province's worth of assessment data. */
  { "province", 20000, 1000, 36, 2000000 },
  /* The same shape in miniature, for the benchmarks' smoke test. */
  { "tiny", 200, 24, 14, 12000 },
};

gboolean
dg_demo_scale_is_valid (const char *scale)
{
  if (g_strcmp0 (scale, "district") == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    if (g_strcmp0 (scale, scales[i].name) == 0)
      return TRUE;

  return FALSE;
}

/* Roads and grid cells of @scale as a reference document, ids derived from their number. */
static JsonNode *
scaled_reference (const Scale *scale)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint side = (guint) ceil (sqrt (scale->cells));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roads");
  json_builder_begin_array (builder);
  for (guint r = 0; r < scale->roads; r++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-1%011u", r);
      g_autofree char *name = g_strdup_printf ("第%u号路", r + 1);
      g_autofree char *unit = g_strdup_printf ("第%u街道", r / 20 + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, unit);
      json_builder_set_member_name (builder, "surface");
      json_builder_add_string_value (builder, r % 5 == 4 ? "park" : r % 3 == 2 ? "side" : "main");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "grid_cells");
  json_builder_begin_array (builder);
  for (guint c = 0; c < scale->cells; c++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-2%011u", c);
      g_autofree char *code = g_strdup_printf ("P%05u", c + 1);
      g_autofree char *name = g_strdup_printf ("第%u网格", c + 1);
      g_autofree char *unit = g_strdup_printf ("第%u街道", c / 100 + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, unit);
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, c / side);
      json_builder_set_member_name (builder, "col");
      json_builder_add_int_value (builder, c % side);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Stores @records (two arrays, one per inspector) and empties them. */
static gboolean
store_generated (DgStore       *store,
                 DgRecordType   type,
                 GPtrArray    **records,
                 GError       **error)
{
  for (guint who = 0; who < 2; who++)
    {
      if (records[who]->len > 0 &&
          !dg_store_insert_generated (store, demo_users[who][0], type, records[who], error))
        return FALSE;
      g_ptr_array_set_size (records[who], 0);
    }

  return TRUE;
}

static gboolean
scaled_checks_of_month (DgStore      *store,
                        GPtrArray    *roads,
                        const char   *month,
                        const char   *today,
                        guint         per_day,
                        GPtrArray   **records,
                        GError      **error)
{
  guint days = dg_month_days (month);

  for (guint day = 1; day <= days; day++)
    {
      g_autofree char *date = dg_month_day (month, (int) day);
      g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (date) ^ 0x5eed0004u);

      if (strcmp (date, today) > 0)
        break;

      for (guint i = 0; i < per_day; i++)
        {
          const DgRoad *road = g_ptr_array_index (roads, g_rand_int_range (rand, 0,
                                                                           (gint32) roads->len));
          DgRoadCheck *check = dg_road_check_new ();
          guint n_points = chance (rand, 0.03) ? 4 : 6;

          check->id = rand_uuid (rand);
          check->road_id = g_strdup (road->id);
          check->date = g_strdup (date);
          for (guint p = 0; p < n_points; p++)
            {
              DgSurface surface = road->surface == DG_SURFACE_MAIN && p >= 4 ? DG_SURFACE_SIDE
                                                                             : road->surface;
              double limit = surface == DG_SURFACE_MAIN ? DG_DEFAULT_LIMIT_MAIN :
                             surface == DG_SURFACE_SIDE ? DG_DEFAULT_LIMIT_SIDE :
                                                          DG_DEFAULT_LIMIT_PARK;
              double mass = limit * (chance (rand, 0.07) ? rand_range (rand, 1.05, 1.8)
                                                         : rand_range (rand, 0.25, 0.85));
              char location[32];

              g_snprintf (location, sizeof location, "K%u+%03u", p, p * 150 + 50);
              dg_road_check_add_point (check, (int) p + 1, surface, location, 1.0,
                                       round_to (mass, 2));
            }
          g_ptr_array_add (records[i % 2], check);
        }
    }

  return store_generated (store, DG_RECORD_ROAD_CHECK, records, error);
}

static gboolean
scaled_dustfall_of_month (DgStore      *store,
                          GPtrArray    *cells,
                          const char   *month,
                          GPtrArray   **records,
                          GError      **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (month) ^ 0x5eed0005u);
  g_autofree char *next = dg_month_add (month, 1);
  g_autofree char *start = g_strdup_printf ("%s-01T09:00", month);
  g_autofree char *end = g_strdup_printf ("%s-01T09:00", next);
  guint days = dg_month_days (month);
  const double area = G_PI * 7.5 * 7.5;

  for (guint c = 0; c < cells->len; c++)
    {
      const DgGridCell *cell = g_ptr_array_index (cells, c);
      double m = 2.0 + (c % 50) / 10.0 + rand_range (rand, -1.5, 1.5);
      gboolean missing = chance (rand, 0.03);
      /* One site per cell; a parallel jar B at one cell in four. */
      guint n_jars = c % 4 == 0 ? 2 : 1;

      if (chance (rand, 0.08))
        m = rand_range (rand, 8.5, 12.5);
      m = MAX (m, 1.5);

      for (guint jar = 0; jar < n_jars; jar++)
        {
          DgDustfallSample *sample = dg_dustfall_sample_new ();
          double jar_m = jar == 0 ? m : m * rand_range (rand, 0.95, 1.05);
          double w0 = round_to (rand_range (rand, 30.0, 50.0), 4);
          double wc = round_to (rand_range (rand, 0.0010, 0.0030), 4);

          g_free (sample->id);
          sample->id = rand_uuid (rand);
          g_free (sample->cell_id);
          sample->cell_id = g_strdup (cell->id);
          sample->jar = jar == 0 ? DG_JAR_A : DG_JAR_B;
          g_free (sample->month);
          sample->month = g_strdup (month);
          g_free (sample->start);
          sample->start = g_strdup (start);
          g_free (sample->end);
          sample->end = g_strdup (end);
          sample->diameter_cm[0] = 15.0;
          sample->n_diameters = 1;
          sample->w0_g = w0;
          sample->wc_g = wc;
          sample->w1_g = round_to (w0 + wc + jar_m * area * days / (30 * 1e4), 4);
          sample->valid = !missing && !(jar == 0 && chance (rand, 0.06));
          g_ptr_array_add (records[c % 2], sample);
        }
    }

  return store_generated (store, DG_RECORD_DUSTFALL_SAMPLE, records, error);
}

static gboolean
populate_scaled (DgStore      *store,
                 DgAuth       *auth,
                 const char   *today,
                 const Scale  *scale,
                 GError      **error)
{
  g_autoptr(JsonNode) reference = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  GPtrArray *checks[2] = { NULL, NULL };
  GPtrArray *samples[2] = { NULL, NULL };
  gboolean ok = TRUE;
  g_autofree char *this_month = dg_date_month (today);
  g_autofree char *first_month = dg_month_add (this_month, -(int) (scale->months - 1));
  g_autoptr(GPtrArray) existing = NULL;
  guint n_days = 0, per_day;

  /* This connection is the generator's own, and a region cut short is thrown away and
   * generated again (tests/bench/run generates into a scratch file). */
  if (!dg_store_set_bulk_load (store, error))
    return FALSE;

  reference = scaled_reference (scale);
  if (!dg_store_import_reference (store, reference, "admin", NULL, NULL, error) ||
      !add_demo_users (store, auth, error))
    return FALSE;

  /* Generated once: a database that has the first month's checks already has them all. */
  existing = dg_store_load_road_checks (store, first_month, error);
  if (existing == NULL)
    return FALSE;
  if (existing->len > 0)
    return TRUE;

  roads = dg_store_load_roads (store, error);
  cells = dg_store_load_grid_cells (store, error);
  if (roads == NULL || cells == NULL)
    return FALSE;
  g_ptr_array_sort (roads, compare_roads);
  g_ptr_array_sort (cells, compare_cells);

  for (guint i = 0; i < scale->months; i++)
    {
      g_autofree char *month = dg_month_add (first_month, (int) i);

      n_days += i + 1 < scale->months ? dg_month_days (month)
                                      : (guint) g_ascii_strtoull (today + 8, NULL, 10);
    }
  /* 3% of the checks have 4 points, the others 6. */
  per_day = (guint) ceil (scale->points / (5.94 * n_days));

  for (guint who = 0; who < 2; who++)
    {
      checks[who] = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
      samples[who] = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);
    }

  for (guint i = 0; ok && i < scale->months; i++)
    {
      g_autofree char *month = dg_month_add (first_month, (int) i);

      ok = scaled_checks_of_month (store, roads, month, today, per_day, checks, error) &&
           scaled_dustfall_of_month (store, cells, month, samples, error);
    }

  for (guint who = 0; who < 2; who++)
    {
      g_ptr_array_unref (checks[who]);
      g_ptr_array_unref (samples[who]);
    }

  return ok;
}

gboolean
dg_demo_populate_scale (DgStore     *store,
                        DgAuth      *auth,
                        const char  *today,
                        const char  *scale,
                        GError     **error)
{
  g_return_val_if_fail (DG_IS_STORE (store), FALSE);
  g_return_val_if_fail (dg_date_is_valid (today), FALSE);
  g_return_val_if_fail (dg_demo_scale_is_valid (scale), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    if (g_strcmp0 (scale, scales[i].name) == 0)
      return populate_scaled (store, auth, today, &scales[i], error);

  return dg_demo_populate (store, auth, today, error);
}
