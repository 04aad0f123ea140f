/* dg-sqlite-reports.c: what the reports read from SQLite.
 *
 * Checks and samples are kept, at write time, in the report tables of schema 3 (check_rows,
 * check_points, sample_values: see dg-sqlite-schema.c), so that a report reads indexed columns
 * of the months it needs instead of decoding the JSON of every record. Reference data and whole
 * samples are read from records.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-sqlite-private.h"

/* Removes a record's rows from one report table; @sql deletes by (month, record_id), the
 * tables' key order, so the delete stays within the month's range. */
static gboolean
unindex_rows (DgSqliteDb  *self,
              const char  *sql,
              const char  *month,
              const char  *id,
              const char  *what,
              GError     **error)
{
  sqlite3_stmt *s = dg_sqlite_stmt (self, sql, error);

  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, month);
  dg_sqlite_bind_text (s, 2, id);
  return dg_sqlite_step_done (self, s, what, error);
}

static gboolean
index_check (DgSqliteDb         *self,
             const char         *id,
             const char         *owner,
             const DgRoadCheck  *check,
             const char         *old_month,
             GError            **error)
{
  sqlite3_stmt *s;
  char month[8];

  if (old_month != NULL)
    {
      if (!unindex_rows (self, "DELETE FROM check_rows WHERE month = ?1 AND record_id = ?2",
                         old_month, id, "unindex check", error) ||
          !unindex_rows (self, "DELETE FROM check_points WHERE month = ?1 AND record_id = ?2",
                         old_month, id, "unindex check points", error))
        return FALSE;
    }
  if (check == NULL)
    return TRUE;

  s = dg_sqlite_stmt (self, "INSERT INTO check_rows (record_id, month, date, road_id, author)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (s == NULL)
    return FALSE;
  g_strlcpy (month, check->date, sizeof month);
  dg_sqlite_bind_text (s, 1, id);
  sqlite3_bind_text (s, 2, month, -1, SQLITE_TRANSIENT);
  dg_sqlite_bind_text (s, 3, check->date);
  dg_sqlite_bind_text (s, 4, check->road_id);
  dg_sqlite_bind_text (s, 5, owner);
  if (!dg_sqlite_step_done (self, s, "index check", error))
    return FALSE;

  s = dg_sqlite_stmt (self, "INSERT OR REPLACE INTO check_points"
                            " (record_id, seq, surface, area_m2, mass_g, month)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < check->points->len; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);

      sqlite3_reset (s);
      dg_sqlite_bind_text (s, 1, id);
      sqlite3_bind_int (s, 2, point->seq);
      sqlite3_bind_text (s, 3, dg_surface_to_string (point->surface), -1, SQLITE_STATIC);
      sqlite3_bind_double (s, 4, point->area_m2);
      sqlite3_bind_double (s, 5, point->mass_g);
      sqlite3_bind_text (s, 6, month, -1, SQLITE_TRANSIENT);
      if (!dg_sqlite_step_done (self, s, "index check point", error))
        return FALSE;
    }

  return TRUE;
}

/* A sample's cell, site, jar and computed M (NULL when it cannot be computed). */
static gboolean
index_sample (DgSqliteDb              *self,
              const char              *id,
              const DgDustfallSample  *sample,
              const char              *old_month,
              GError                 **error)
{
  DgDustfallResult result;
  sqlite3_stmt *s;
  char jar[2] = { 0, 0 };

  if (old_month != NULL)
    {
      if (!unindex_rows (self, "DELETE FROM sample_values WHERE month = ?1 AND record_id = ?2",
                         old_month, id, "unindex sample", error))
        return FALSE;
    }
  if (sample == NULL)
    return TRUE;

  s = dg_sqlite_stmt (self, "INSERT INTO sample_values"
                            " (record_id, month, cell_id, site, jar, valid, value)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (s == NULL)
    return FALSE;
  jar[0] = sample->jar;
  dg_sqlite_bind_text (s, 1, id);
  dg_sqlite_bind_text (s, 2, sample->month);
  dg_sqlite_bind_text (s, 3, sample->cell_id);
  dg_sqlite_bind_text (s, 4, sample->site != NULL ? sample->site : "1");
  sqlite3_bind_text (s, 5, jar, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (s, 6, sample->valid);
  if (dg_dustfall_compute (sample, &result, NULL))
    sqlite3_bind_double (s, 7, result.value);
  else
    sqlite3_bind_null (s, 7);
  return dg_sqlite_step_done (self, s, "index sample", error);
}

gboolean
dg_sqlite_index_report_rows (DgSqliteDb     *self,
                             DgRecordType    type,
                             const char     *id,
                             const char     *owner,
                             gconstpointer   data,
                             const char     *old_month,
                             GError        **error)
{
  if (type == DG_RECORD_ROAD_CHECK)
    return index_check (self, id, owner, data, old_month, error);
  if (type == DG_RECORD_DUSTFALL_SAMPLE)
    return index_sample (self, id, data, old_month, error);
  return TRUE;
}

/* record_photos of record @id: its rows go, and @data's photos (NULL: deleted or voided) come. */
static gboolean
index_photos (DgSqliteDb     *self,
              DgRecordType    type,
              const char     *id,
              gconstpointer   data,
              GError        **error)
{
  g_autoptr(GPtrArray) photos = NULL;
  sqlite3_stmt *s;

  s = dg_sqlite_stmt (self, "DELETE FROM record_photos WHERE record_id = ?1", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, id);
  if (!dg_sqlite_step_done (self, s, "unindex photos", error))
    return FALSE;
  if (data == NULL)
    return TRUE;

  photos = dg_record_data_photos (type, data);
  for (guint i = 0; i < photos->len; i++)
    {
      s = dg_sqlite_stmt (self, "INSERT OR IGNORE INTO record_photos (sha256, record_id)"
                                " VALUES (?1, ?2)", error);
      if (s == NULL)
        return FALSE;
      dg_sqlite_bind_text (s, 1, g_ptr_array_index (photos, i));
      dg_sqlite_bind_text (s, 2, id);
      if (!dg_sqlite_step_done (self, s, "index photo", error))
        return FALSE;
    }

  return TRUE;
}

gboolean
dg_sqlite_index_record (DgStoreDb      *db,
                        DgRecordType    type,
                        const char     *id,
                        const char     *owner,
                        gconstpointer   data,
                        const char     *old_month,
                        GError        **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);

  if (type != DG_RECORD_ROAD_CHECK && type != DG_RECORD_DUSTFALL_SAMPLE)
    return TRUE;
  return dg_sqlite_index_report_rows (self, type, id, owner, data, old_month, error) &&
         index_photos (self, type, id, data, error);
}

gboolean
dg_sqlite_photo_records (DgStoreDb        *db,
                         const char       *sha256,
                         DgStorePhotoFunc  func,
                         gpointer          user_data,
                         GError          **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT r.id, r.owner FROM record_photos p"
                            " JOIN records r ON r.id = p.record_id"
                            " WHERE p.sha256 = ?1 ORDER BY r.id", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, sha256);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (s, 0), (const char *) sqlite3_column_text (s, 1),
          user_data);
  return dg_sqlite_end_rows (self, s, rc, "find a photo's records", error);
}

gboolean
dg_sqlite_load_data (DgStoreDb        *db,
                     DgRecordType      type,
                     const char       *month,
                     gint64            through,
                     DgStoreDataFunc   func,
                     gpointer          user_data,
                     GError          **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  g_assert (through == 0 || month == NULL);

  /* As they stood: revisions_by_type finds a type's revisions, and each record's newest up to
   * @through. */
  if (through > 0)
    s = dg_sqlite_stmt (self,
                        "SELECT v.record_id, v.data, v.author FROM revisions v"
                        " WHERE v.type = ?1 AND v.n = (SELECT MAX (w.n) FROM revisions w"
                        "   WHERE w.type = ?1 AND w.record_id = v.record_id AND w.n <= ?2)"
                        " AND v.deleted = 0 ORDER BY v.record_id", error);
  else if (month != NULL)
    s = dg_sqlite_stmt (self, "SELECT id, data, owner FROM records"
                              " WHERE type = ?1 AND month = ?2 AND deleted = 0"
                              " AND state <> 'voided' ORDER BY id", error);
  else
    s = dg_sqlite_stmt (self, "SELECT id, data, owner FROM records"
                              " WHERE type = ?1 AND deleted = 0 AND state <> 'voided'"
                              " ORDER BY id", error);
  if (s == NULL)
    return FALSE;

  sqlite3_bind_text (s, 1, dg_record_type_to_string (type), -1, SQLITE_STATIC);
  if (through > 0)
    sqlite3_bind_int64 (s, 2, through);
  else if (month != NULL)
    dg_sqlite_bind_text (s, 2, month);

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (s, 0), (const char *) sqlite3_column_text (s, 1),
          (const char *) sqlite3_column_text (s, 2), user_data);
  return dg_sqlite_end_rows (self, s, rc, "load records", error);
}

GPtrArray *
dg_sqlite_load_road_checks (DgStoreDb   *db,
                            const char  *month,
                            GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autoptr(GPtrArray) checks = NULL;
  sqlite3_stmt *s;
  int rc;

  /* From the report tables, not the records' JSON: a check's rows come together, its points
   * in seq order. */
  s = dg_sqlite_stmt (self,
                      "SELECT c.record_id, c.road_id, c.date, c.author, p.seq, p.surface,"
                      " p.area_m2, p.mass_g FROM check_rows c LEFT JOIN check_points p"
                      " ON p.month = c.month AND p.record_id = c.record_id"
                      " WHERE c.month = ?1 ORDER BY c.record_id, p.seq", error);
  if (s == NULL)
    return NULL;

  dg_sqlite_bind_text (s, 1, month);
  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    dg_store_checks_add_row (checks, (const char *) sqlite3_column_text (s, 0),
                             (const char *) sqlite3_column_text (s, 1),
                             (const char *) sqlite3_column_text (s, 2),
                             (const char *) sqlite3_column_text (s, 3),
                             sqlite3_column_type (s, 4) != SQLITE_NULL,
                             sqlite3_column_int (s, 4), (const char *) sqlite3_column_text (s, 5),
                             sqlite3_column_double (s, 6), sqlite3_column_double (s, 7));
  if (!dg_sqlite_end_rows (self, s, rc, "load checks", error))
    return NULL;

  return g_steal_pointer (&checks);
}

/* The cell-months of one month from sample_values, by the rules of common/ (the DgCellValue
 * accumulator of dg_cell_months_from_samples()), on the M stored with each sample. */
GArray *
dg_sqlite_load_cell_months (DgStoreDb   *db,
                            const char  *month,
                            GError     **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autoptr(DgStoreCellMonths) gather = NULL;
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self,
                      "SELECT cell_id, site, jar, valid, value, record_id FROM sample_values"
                      " WHERE month = ?1 ORDER BY cell_id, record_id", error);
  if (s == NULL)
    return NULL;
  dg_sqlite_bind_text (s, 1, month);

  gather = dg_store_cell_months_new (month);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    dg_store_cell_months_add (gather, (const char *) sqlite3_column_text (s, 0),
                              (const char *) sqlite3_column_text (s, 1),
                              (const char *) sqlite3_column_text (s, 2),
                              sqlite3_column_int (s, 3) != 0,
                              sqlite3_column_type (s, 4) == SQLITE_NULL
                                ? NAN : sqlite3_column_double (s, 4),
                              (const char *) sqlite3_column_text (s, 5));
  if (!dg_sqlite_end_rows (self, s, rc, "load dust-fall values", error))
    return NULL;

  return dg_store_cell_months_finish (g_steal_pointer (&gather));
}
