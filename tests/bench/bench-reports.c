/* bench-reports.c: the monthly reports at province scale against their SQL floor (issue 8,
 * part 2).
 *
 *   bench-reports --db FILE|postgresql://… --month YYYY-MM [--runs N]
 *
 * Times, in process and through the very functions the API and `export` call, the dust-fall
 * ranking, the road table and the XLSX assessment of one month, each against its floor: a plain
 * SQL GROUP BY over the same rows (the samples of every month the ranking needs, the points of
 * the month, and both plus the quota's checks for the assessment). Each is run N times; the
 * first (cold) run and the best one are printed. On PostgreSQL the floor is the same SQL, sent
 * through libpq to the same database, its rows brought back to the program as the store's are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "dg-reports.h"
#include "dg-store.h"

static char *opt_db;
static char *opt_month;
static int opt_runs = 3;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database (demo --scale province)",
    "FILE|URI" },
  { "month", 0, 0, G_OPTION_ARG_STRING, &opt_month, "Month to report", "YYYY-MM" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each (3)", "N" },
  { NULL }
};

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-reports: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

/* The months the ranking needs, as an SQL list: the month, the one before, the same month a
 * year before and January up to the month. */
static char *
ranking_months (const char *month)
{
  GString *list = g_string_new (NULL);
  int number = (int) g_ascii_strtoll (month + 5, NULL, 10);
  g_autofree char *prev = dg_month_add (month, -1);
  g_autofree char *year_ago = dg_month_add (month, -12);

  for (int i = number - 1; i >= 0; i--)
    {
      g_autofree char *m = dg_month_add (month, -i);

      g_string_append_printf (list, "%s'%s'", list->len > 0 ? ", " : "", m);
    }
  if (number == 1)
    g_string_append_printf (list, ", '%s'", prev);
  g_string_append_printf (list, ", '%s'", year_ago);

  return g_string_free (list, FALSE);
}

/* The database the floor reads, with the backend's own library. */
typedef struct
{
  sqlite3 *lite;
  PGconn  *pg;
} Db;

/* Runs @sql to the end; returns the rows and adds the time to *seconds. */
static gint64
run_sql (Db         *db,
         const char *sql,
         double     *seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 rows = 0;

  if (db->pg != NULL)
    {
      PGresult *result = PQexec (db->pg, sql);

      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        die ("%s: %s", sql, PQerrorMessage (db->pg));
      rows = PQntuples (result);
      PQclear (result);
    }
  else
    {
      sqlite3_stmt *s = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db->lite, sql, -1, &s, NULL) != SQLITE_OK)
        die ("%s: %s", sql, sqlite3_errmsg (db->lite));
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        rows++;
      if (rc != SQLITE_DONE)
        die ("%s: %s", sql, sqlite3_errmsg (db->lite));
      sqlite3_finalize (s);
    }
  *seconds += (g_get_monotonic_time () - start) / 1e6;

  return rows;
}

typedef enum
{
  DUSTFALL,
  ROADS,
  XLSX,
  N_KINDS
} Kind;

static const char *const kind_names[] = {
  "dust-fall ranking", "road table", "XLSX assessment",
};

static double
run_report (DgStore    *store,
            Kind        kind,
            const char *month,
            gsize      *size)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  if (kind == XLSX)
    {
      g_autoptr(GBytes) bytes = dg_reports_assessment_file (store, month,
                                                            DG_ASSESSMENT_FORMAT_XLSX,
                                                            DG_ASSESSMENT_SECTION_DUSTFALL,
                                                            &error);

      if (bytes == NULL)
        die ("%s: %s", kind_names[kind], error->message);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      *size = g_bytes_get_size (bytes);
    }
  else
    {
      g_autoptr(JsonNode) node = kind == DUSTFALL ? dg_reports_dustfall (store, month, &error)
                                                  : dg_reports_roads (store, month, &error);
      g_autofree char *text = NULL;

      if (node == NULL)
        die ("%s: %s", kind_names[kind], error->message);
      /* What the API would send: the report encoded. */
      text = json_to_string (node, FALSE);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      *size = strlen (text);
    }

  return seconds;
}

static double
run_floor (Db         *db,
           Kind        kind,
           const char *month,
           const char *months,
           gint64     *rows)
{
  g_autofree char *dustfall = g_strdup_printf (
    "SELECT cell_id, month, COUNT (*), AVG (value), MAX (value), MIN (value) FROM sample_values"
    " WHERE month IN (%s) AND valid <> 0 AND value IS NOT NULL GROUP BY cell_id, month", months);
  g_autofree char *roads = g_strdup_printf (
    "SELECT c.road_id, p.surface, COUNT (*), AVG (p.mass_g / p.area_m2),"
    " MAX (p.mass_g / p.area_m2) FROM check_rows c JOIN check_points p ON p.month = c.month"
    " AND p.record_id = c.record_id WHERE c.month = '%s' GROUP BY c.road_id, p.surface", month);
  g_autofree char *quota = g_strdup_printf (
    "SELECT date, COUNT (DISTINCT road_id) FROM check_rows WHERE month = '%s' GROUP BY date",
    month);
  double seconds = 0;

  *rows = 0;
  if (kind == DUSTFALL || kind == XLSX)
    *rows += run_sql (db, dustfall, &seconds);
  if (kind == ROADS || kind == XLSX)
    *rows += run_sql (db, roads, &seconds);
  if (kind == XLSX)
    *rows += run_sql (db, quota, &seconds);

  return seconds;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- report benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autofree char *months = NULL;
  Db db = { NULL, NULL };
  gint64 n_samples = 0, n_points = 0;
  double ignored = 0;
  gboolean all_ok = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (opt_db == NULL || opt_month == NULL || !dg_month_is_valid (opt_month) || opt_runs < 1)
    die ("--db FILE and --month YYYY-MM are required");

  store = dg_store_open (opt_db, &error);
  if (store == NULL)
    die ("%s", error->message);
  if (g_str_has_prefix (opt_db, "postgresql://"))
    {
      db.pg = PQconnectdb (opt_db);
      if (PQstatus (db.pg) != CONNECTION_OK)
        die ("cannot connect to %s: %s", opt_db, PQerrorMessage (db.pg));
    }
  else if (sqlite3_open_v2 (opt_db, &db.lite, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die ("cannot open %s", opt_db);

  months = ranking_months (opt_month);
  {
    g_autofree char *count_samples = g_strdup_printf (
      "SELECT 1 FROM sample_values WHERE month IN (%s)", months);
    g_autofree char *count_points = g_strdup_printf (
      "SELECT 1 FROM check_rows c JOIN check_points p"
      " ON p.month = c.month AND p.record_id = c.record_id WHERE c.month = '%s'", opt_month);

    n_samples = run_sql (&db, count_samples, &ignored);
    n_points = run_sql (&db, count_points, &ignored);
  }
  printf ("reports: month %s; the ranking reads %" G_GINT64_FORMAT " samples of its months,"
          " the road table %" G_GINT64_FORMAT " points\n", opt_month, n_samples, n_points);

  for (Kind kind = 0; kind < N_KINDS; kind++)
    {
      double first = 0, best = G_MAXDOUBLE, floor_best = G_MAXDOUBLE;
      gint64 floor_rows = 0;
      gsize size = 0;

      for (int run = 0; run < opt_runs; run++)
        {
          double t = run_report (store, kind, opt_month, &size);
          double f = run_floor (&db, kind, opt_month, months, &floor_rows);

          if (run == 0)
            first = t;
          best = MIN (best, t);
          floor_best = MIN (floor_best, f);
        }

      printf ("  %-18s %7.1f ms (first run %.1f ms, %zu bytes)  floor %6.1f ms"
              " (%" G_GINT64_FORMAT " groups)  ratio %.2f  %s\n",
              kind_names[kind], best * 1e3, first * 1e3, size, floor_best * 1e3, floor_rows,
              best / floor_best,
              best / floor_best <= 3 && best < 1 ? "ok (target <= 3x, < 1 s)"
                                                 : "MISSED (target <= 3x, < 1 s)");
      all_ok = all_ok && size > 0;
    }

  if (db.pg != NULL)
    PQfinish (db.pg);
  sqlite3_close (db.lite);
  return all_ok ? 0 : 1;
}
