/* dg-pg-reports.c: what the reports read from PostgreSQL: the report tables kept at write time
 * (check_rows, check_points, sample_values, as in the SQLite backend), and reference data and
 * whole samples from records. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-pg-private.h"

static gboolean
unindex_rows (DgPgDb      *self,
              const char  *sql,
              const char  *month,
              const char  *id,
              const char  *what,
              GError     **error)
{
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, month);
  dg_pg_param_text (&p, id);
  return dg_pg_command (self, sql, &p, what, error);
}

static gboolean
index_check (DgPgDb             *self,
             const char         *id,
             const char         *owner,
             const DgRoadCheck  *check,
             const char         *old_month,
             GError            **error)
{
  g_auto(DgPgParams) p = { 0 };
  char month[8];

  if (old_month != NULL)
    {
      if (!unindex_rows (self, "DELETE FROM check_rows WHERE month = $1 AND record_id = $2",
                         old_month, id, "unindex check", error) ||
          !unindex_rows (self, "DELETE FROM check_points WHERE month = $1 AND record_id = $2",
                         old_month, id, "unindex check points", error))
        return FALSE;
    }
  if (check == NULL)
    return TRUE;

  g_strlcpy (month, check->date, sizeof month);
  dg_pg_param_text (&p, id);
  dg_pg_param_text (&p, month);
  dg_pg_param_text (&p, check->date);
  dg_pg_param_text (&p, check->road_id);
  dg_pg_param_text (&p, owner);
  if (!dg_pg_command (self, "INSERT INTO check_rows (record_id, month, date, road_id, author)"
                            " VALUES ($1, $2, $3, $4, $5)", &p, "index check", error))
    return FALSE;

  for (guint i = 0; i < check->points->len; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);

      dg_pg_params_clear (&p);
      dg_pg_param_text (&p, id);
      dg_pg_param_int (&p, point->seq);
      dg_pg_param_text (&p, dg_surface_to_string (point->surface));
      dg_pg_param_double (&p, point->area_m2);
      dg_pg_param_double (&p, point->mass_g);
      dg_pg_param_text (&p, month);
      if (!dg_pg_command (self, "INSERT INTO check_points"
                                " (record_id, seq, surface, area_m2, mass_g, month)"
                                " VALUES ($1, $2, $3, $4, $5, $6)"
                                " ON CONFLICT (month, record_id, seq) DO UPDATE SET"
                                " surface = excluded.surface, area_m2 = excluded.area_m2,"
                                " mass_g = excluded.mass_g", &p, "index check point", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
index_sample (DgPgDb                  *self,
              const char              *id,
              const DgDustfallSample  *sample,
              const char              *old_month,
              GError                 **error)
{
  g_auto(DgPgParams) p = { 0 };
  DgDustfallResult result;
  char jar[2] = { 0, 0 };

  if (old_month != NULL)
    {
      if (!unindex_rows (self, "DELETE FROM sample_values WHERE month = $1 AND record_id = $2",
                         old_month, id, "unindex sample", error))
        return FALSE;
    }
  if (sample == NULL)
    return TRUE;

  jar[0] = sample->jar;
  dg_pg_param_text (&p, id);
  dg_pg_param_text (&p, sample->month);
  dg_pg_param_text (&p, sample->cell_id);
  dg_pg_param_text (&p, sample->site != NULL ? sample->site : "1");
  dg_pg_param_text (&p, jar);
  dg_pg_param_int (&p, sample->valid ? 1 : 0);
  if (dg_dustfall_compute (sample, &result, NULL))
    dg_pg_param_double (&p, result.value);
  else
    dg_pg_param_text (&p, NULL);
  return dg_pg_command (self, "INSERT INTO sample_values"
                              " (record_id, month, cell_id, site, jar, valid, value)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7)", &p, "index sample", error);
}

/* record_photos of record @id: its rows go, and @data's photos (NULL: deleted or voided) come. */
static gboolean
index_photos (DgPgDb         *self,
              DgRecordType    type,
              const char     *id,
              gconstpointer   data,
              GError        **error)
{
  g_auto(DgPgParams) p = { 0 };
  g_autoptr(GPtrArray) photos = NULL;

  dg_pg_param_text (&p, id);
  if (!dg_pg_command (self, "DELETE FROM record_photos WHERE record_id = $1", &p,
                      "unindex photos", error))
    return FALSE;
  if (data == NULL)
    return TRUE;

  photos = dg_record_data_photos (type, data);
  for (guint i = 0; i < photos->len; i++)
    {
      dg_pg_params_clear (&p);
      dg_pg_param_text (&p, g_ptr_array_index (photos, i));
      dg_pg_param_text (&p, id);
      if (!dg_pg_command (self, "INSERT INTO record_photos (sha256, record_id) VALUES ($1, $2)"
                                " ON CONFLICT DO NOTHING", &p, "index photo", error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  DgStorePhotoFunc func;
  gpointer         user_data;
} PhotoRecords;

static gboolean
photo_record_cb (const PGresult  *result,
                 gpointer         user_data,
                 GError         **error)
{
  PhotoRecords *walk = user_data;

  walk->func (dg_pg_peek (result, 0, 0), dg_pg_peek (result, 0, 1), walk->user_data);
  return TRUE;
}

gboolean
dg_pg_photo_records (DgStoreDb         *db,
                     const char        *sha256,
                     DgStorePhotoFunc   func,
                     gpointer           user_data,
                     GError           **error)
{
  g_auto(DgPgParams) p = { 0 };
  PhotoRecords walk = { func, user_data };

  dg_pg_param_text (&p, sha256);
  return dg_pg_each_row (DG_PG_DB (db), "SELECT r.id, r.owner FROM record_photos p"
                                        " JOIN records r ON r.id = p.record_id"
                                        " WHERE p.sha256 = $1 ORDER BY r.id", &p,
                         "find a photo's records", photo_record_cb, &walk, error);
}

gboolean
dg_pg_index_record (DgStoreDb      *db,
                    DgRecordType    type,
                    const char     *id,
                    const char     *owner,
                    gconstpointer   data,
                    const char     *old_month,
                    GError        **error)
{
  DgPgDb *self = DG_PG_DB (db);

  if (type == DG_RECORD_ROAD_CHECK)
    return index_check (self, id, owner, data, old_month, error) &&
           index_photos (self, type, id, data, error);
  if (type == DG_RECORD_DUSTFALL_SAMPLE)
    return index_sample (self, id, data, old_month, error) &&
           index_photos (self, type, id, data, error);
  return TRUE;
}

typedef struct
{
  DgStoreDataFunc func;
  gpointer        user_data;
} LoadData;

static gboolean
load_data_row_cb (const PGresult  *result,
                  gpointer         user_data,
                  GError         **error)
{
  LoadData *load = user_data;

  load->func (dg_pg_peek (result, 0, 0), dg_pg_peek (result, 0, 1), dg_pg_peek (result, 0, 2),
              load->user_data);
  return TRUE;
}

/* A record's newest revision up to the limit: a deletion leaves it out. */
static gboolean
load_data_through_row_cb (const PGresult  *result,
                          gpointer         user_data,
                          GError         **error)
{
  if (dg_pg_int (result, 0, 3) != 0)
    return TRUE;
  return load_data_row_cb (result, user_data, error);
}

gboolean
dg_pg_load_data (DgStoreDb        *db,
                 DgRecordType      type,
                 const char       *month,
                 gint64            through,
                 DgStoreDataFunc   func,
                 gpointer          user_data,
                 GError          **error)
{
  g_auto(DgPgParams) p = { 0 };
  LoadData load = { func, user_data };

  g_assert (through == 0 || month == NULL);

  if (through > 0)
    {
      dg_pg_param_text (&p, dg_record_type_to_string (type));
      dg_pg_param_int (&p, through);
      return dg_pg_each_row (DG_PG_DB (db),
                             "SELECT DISTINCT ON (record_id) record_id, data, author, deleted"
                             " FROM revisions WHERE type = $1 AND n <= $2"
                             " ORDER BY record_id, n DESC", &p, "load records as they stood",
                             load_data_through_row_cb, &load, error);
    }

  /* By seq, the order in which SQLite's scan of the same index meets them (insertion order
   * within a type and month), so both backends hand the reports the same sequence. */
  dg_pg_param_text (&p, dg_record_type_to_string (type));
  if (month != NULL)
    {
      dg_pg_param_text (&p, month);
      return dg_pg_each_row (DG_PG_DB (db), "SELECT id, data, owner FROM records"
                                            " WHERE type = $1 AND month = $2 AND deleted = 0"
                                            " AND state <> 'voided' ORDER BY seq", &p, "load records",
                             load_data_row_cb, &load, error);
    }
  return dg_pg_each_row (DG_PG_DB (db), "SELECT id, data, owner FROM records"
                                        " WHERE type = $1 AND deleted = 0"
                                        " AND state <> 'voided' ORDER BY seq",
                         &p, "load records", load_data_row_cb, &load, error);
}

static gboolean
load_check_row_cb (const PGresult  *result,
                   gpointer         user_data,
                   GError         **error)
{
  dg_store_checks_add_row (user_data, PQgetvalue (result, 0, 0), PQgetvalue (result, 0, 1),
                           PQgetvalue (result, 0, 2), PQgetvalue (result, 0, 3),
                           !PQgetisnull (result, 0, 4), (int) dg_pg_int (result, 0, 4),
                           PQgetvalue (result, 0, 5), dg_pg_double (result, 0, 6),
                           dg_pg_double (result, 0, 7));
  return TRUE;
}

GPtrArray *
dg_pg_load_road_checks (DgStoreDb   *db,
                        const char  *month,
                        GError     **error)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, month);
  if (!dg_pg_each_row (DG_PG_DB (db),
                       "SELECT c.record_id, c.road_id, c.date, c.author, p.seq, p.surface,"
                       " p.area_m2, p.mass_g FROM check_rows c LEFT JOIN check_points p"
                       " ON p.month = c.month AND p.record_id = c.record_id"
                       " WHERE c.month = $1 ORDER BY c.record_id, p.seq", &p, "load checks",
                       load_check_row_cb, checks, error))
    return NULL;

  return g_steal_pointer (&checks);
}

static gboolean
load_cell_row_cb (const PGresult  *result,
                  gpointer         user_data,
                  GError         **error)
{
  dg_store_cell_months_add (user_data, PQgetvalue (result, 0, 0), dg_pg_peek (result, 0, 1),
                            dg_pg_peek (result, 0, 2), dg_pg_int (result, 0, 3) != 0,
                            dg_pg_double (result, 0, 4), dg_pg_peek (result, 0, 5));
  return TRUE;
}

/* The cell-months of one month from sample_values (dg_store_cell_months_add()), in the order of
 * SQLite's key (COLLATE "C"). */
GArray *
dg_pg_load_cell_months (DgStoreDb   *db,
                        const char  *month,
                        GError     **error)
{
  g_autoptr(DgStoreCellMonths) gather = dg_store_cell_months_new (month);
  g_auto(DgPgParams) p = { 0 };

  dg_pg_param_text (&p, month);
  if (!dg_pg_each_row (DG_PG_DB (db),
                       "SELECT cell_id, site, jar, valid, value, record_id FROM sample_values"
                       " WHERE month = $1 ORDER BY cell_id, record_id", &p,
                       "load dust-fall values", load_cell_row_cb, gather, error))
    return NULL;

  return dg_store_cell_months_finish (g_steal_pointer (&gather));
}
