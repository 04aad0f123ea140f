/* test-assessment.c: the assessment writers, each read back by an independent reader.
 *
 * A known month (64 grid cells on an 8×8 map, two of them 缺测; eight roads; a quota month with
 * met, short and pending days) goes through the real builders of dg-report.h, then through each
 * writer. XLSX is read back by openpyxl, PDF by pdftotext, CSV by a small RFC 4180 parser here,
 * and the chart and map are drawn to an image surface whose pixels are sampled.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-assessment"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "dustgrid-common.h"
#include "dg-assessment.h"
#include "dg-chart.h"

#define MONTH       "2025-03"
#define TODAY       "2025-03-20"
#define DISTRICT    "琼山区"
#define N_CELLS     64
#define N_ROADS     8
#define GENERATED   "2025-04-01T08:00:00.000Z"

/* Hand-picked cells the assertions name. */
#define CLEANEST    "G01"   /* 1.5: rank 1 */
#define DIRTIEST    "G64"   /* 12.3: exceeds, last ranked */
#define TIE_A       "G20"   /* 4.4 */
#define TIE_B       "G21"   /* 4.4: same rank as G20 */
#define MISSING_A   "G13"
#define MISSING_B   "G50"
#define QUOTED      "G05"   /* its name needs CSV quoting */
#define QUOTED_NAME "东关, \"老城\" 片区"

typedef struct
{
  GPtrArray        *cells;
  GArray           *values;
  GPtrArray        *roads;
  GPtrArray        *checks;
  DgRuleSet        *rules;
  DgDustfallReport *dustfall;
  DgRoadReport     *road_report;
  DgQuotaReport    *quota;
  DgAssessment      assessment;
  char             *tmpdir;
} Fixture;

/* ---- The known month ---- */

static double
cell_value (guint i)
{
  switch (i)
    {
    case 1:
      return 1.5;
    case 64:
      return 12.3;
    case 20:
    case 21:
      return 4.4;
    default:
      /* 37 and 80 are coprime: distinct values from 2.0 to 9.9, about one in five above 8. */
      return 2.0 + ((i * 37) % 80) / 10.0;
    }
}

static gboolean
cell_is_missing (guint i)
{
  return i == 13 || i == 50;
}

static void
add_cell_month (GArray     *values,
                const char *cell_id,
                const char *month,
                gboolean    has_value,
                double      value)
{
  DgCellMonth cm = { 0 };

  cm.cell_id = g_strdup (cell_id);
  cm.month = g_strdup (month);
  cm.has_value = has_value;
  cm.value = has_value ? value : NAN;
  cm.sites = has_value ? 2 : 0;
  cm.site_max = has_value ? dg_round1 (value + 0.4) : NAN;
  cm.site_min = has_value ? dg_round1 (value - 0.4) : NAN;
  g_array_append_val (values, cm);
}

static char *
uuid_for (char  kind,
          guint i)
{
  return g_strdup_printf ("%c0000000-0000-4000-8000-%012u", kind, i);
}

static void
build_cells (Fixture *f)
{
  f->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  f->values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_array_set_clear_func (f->values, (GDestroyNotify) dg_cell_month_clear);

  for (guint i = 1; i <= N_CELLS; i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();

      cell->id = uuid_for ('c', i);
      cell->code = g_strdup_printf ("G%02u", i);
      cell->name = i == 5 ? g_strdup (QUOTED_NAME) : g_strdup_printf ("第%u网格", i);
      cell->unit = g_strdup (i % 2 ? "府城街道" : "滨江街道");
      cell->row = (int) (i - 1) / 8;
      cell->col = (int) (i - 1) % 8;
      g_ptr_array_add (f->cells, cell);

      add_cell_month (f->values, cell->id, MONTH, !cell_is_missing (i), cell_value (i));
      add_cell_month (f->values, cell->id, "2025-02", TRUE, cell_value (i) - 0.5);
      add_cell_month (f->values, cell->id, "2025-01", TRUE, cell_value (i) + 1.0);
      add_cell_month (f->values, cell->id, "2024-03", TRUE, cell_value (i) * 2);
    }
}

static void
add_check (Fixture    *f,
           guint       road,
           const char *date,
           guint       n_points,
           double      mass_g)
{
  DgRoadCheck *check = dg_road_check_new ();
  const DgRoad *r = g_ptr_array_index (f->roads, road);

  check->id = uuid_for ('d', f->checks->len + 1);
  check->road_id = g_strdup (r->id);
  check->date = g_strdup (date);
  for (guint p = 0; p < n_points; p++)
    dg_road_check_add_point (check, (int) p + 1, r->surface, "K0+100", 1.0, mass_g);
  g_ptr_array_add (f->checks, check);
}

static void
build_roads (Fixture *f)
{
  f->roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
  f->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_check_free);

  for (guint i = 0; i < N_ROADS; i++)
    {
      DgRoad *road = dg_road_new ();

      road->id = uuid_for ('b', i + 1);
      road->name = g_strdup_printf ("道路%u", i + 1);
      road->unit = g_strdup ("环卫所");
      road->surface = i < 6 ? DG_SURFACE_MAIN : DG_SURFACE_SIDE;
      g_ptr_array_add (f->roads, road);
    }

  /* Days 1..10: six complete roads (met); 11..19: three (short); 20: none; after: pending. */
  for (guint day = 1; day <= 19; day++)
    {
      g_autofree char *date = g_strdup_printf (MONTH "-%02u", day);
      guint n = day <= 10 ? 6 : 3;

      for (guint r = 0; r < n; r++)
        /* Road 1 (index 0) always carries 6.0 g/m² on a 5 g/m² main road: over its limit. */
        add_check (f, r, date, 6, r == 0 ? 6.0 : 1.0 + 0.1 * r);
    }
  /* An incomplete check: kept and counted, not toward the quota. */
  add_check (f, 6, MONTH "-20", 3, 2.0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GError *error = NULL;

  f->rules = dg_rule_set_new_default ();
  build_cells (f);
  build_roads (f);

  f->dustfall = dg_dustfall_report_build (MONTH, f->cells, f->values, f->rules);
  f->road_report = dg_road_report_build (MONTH, f->roads, f->checks, f->rules);
  f->quota = dg_quota_report_build (MONTH, f->checks, f->rules, TODAY);
  g_assert_nonnull (f->dustfall);
  g_assert_nonnull (f->road_report);
  g_assert_nonnull (f->quota);

  f->assessment.district = DISTRICT;
  f->assessment.month = MONTH;
  f->assessment.generated_at = GENERATED;
  f->assessment.dustfall = f->dustfall;
  f->assessment.roads = f->road_report;
  f->assessment.quota = f->quota;

  f->tmpdir = g_dir_make_tmp ("test-assessment-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_clear_pointer (&f->dustfall, dg_dustfall_report_free);
  g_clear_pointer (&f->road_report, dg_road_report_free);
  g_clear_pointer (&f->quota, dg_quota_report_free);
  g_clear_pointer (&f->cells, g_ptr_array_unref);
  g_clear_pointer (&f->values, g_array_unref);
  g_clear_pointer (&f->roads, g_ptr_array_unref);
  g_clear_pointer (&f->checks, g_ptr_array_unref);
  g_clear_pointer (&f->rules, dg_rule_set_unref);
}

static const DgCellRank *
find_cell (const DgDustfallReport *report,
           const char             *code,
           guint                  *index)
{
  for (guint i = 0; i < report->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (report->cells, i);

      if (g_strcmp0 (cell->code, code) == 0)
        {
          if (index != NULL)
            *index = i;
          return cell;
        }
    }

  g_assert_not_reached ();
}

/* The known month is what the assertions below assume: check it first, so a change in the
 * builders shows up here rather than as a puzzling writer failure. */
static void
test_known_month (Fixture       *f,
                  gconstpointer  data)
{
  const DgCellRank *cell;
  guint index;

  g_assert_cmpuint (f->dustfall->cells->len, ==, N_CELLS);
  g_assert_cmpuint (f->dustfall->n_ranked, ==, N_CELLS - 2);
  g_assert_cmpfloat (f->dustfall->cap, ==, 8.0);

  cell = find_cell (f->dustfall, CLEANEST, &index);
  g_assert_cmpint (cell->rank, ==, 1);
  g_assert_cmpuint (index, ==, 0);

  cell = find_cell (f->dustfall, DIRTIEST, &index);
  g_assert_cmpint (cell->rank, ==, N_CELLS - 2);
  g_assert_true (cell->exceeds);
  g_assert_cmpuint (index, ==, N_CELLS - 3);

  g_assert_cmpint (find_cell (f->dustfall, TIE_A, NULL)->rank, ==,
                   find_cell (f->dustfall, TIE_B, NULL)->rank);

  find_cell (f->dustfall, MISSING_A, &index);
  g_assert_cmpuint (index, ==, N_CELLS - 2);
  find_cell (f->dustfall, MISSING_B, &index);
  g_assert_cmpuint (index, ==, N_CELLS - 1);

  g_assert_cmpuint (f->quota->days_met, ==, 10);
  g_assert_cmpuint (f->quota->days_elapsed, ==, 20);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

/* ---- Names ---- */

static void
test_format_strings (void)
{
  static const char * const names[] = { "json", "csv", "xlsx", "pdf" };
  DgAssessmentFormat format;
  DgAssessmentSection section;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (dg_assessment_format_from_string (names[i], &format));
      g_assert_cmpstr (dg_assessment_format_to_string (format), ==, names[i]);
      g_assert_nonnull (dg_assessment_format_content_type (format));
    }
  g_assert_false (dg_assessment_format_from_string ("XLSX", &format));
  g_assert_false (dg_assessment_format_from_string ("docx", &format));
  g_assert_false (dg_assessment_format_from_string (NULL, &format));

  g_assert_true (dg_assessment_section_from_string (NULL, &section));
  g_assert_cmpint (section, ==, DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_true (dg_assessment_section_from_string ("", &section));
  g_assert_cmpint (section, ==, DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_true (dg_assessment_section_from_string ("roads", &section));
  g_assert_cmpint (section, ==, DG_ASSESSMENT_SECTION_ROADS);
  g_assert_cmpstr (dg_assessment_section_to_string (section), ==, "roads");
  g_assert_true (dg_assessment_section_from_string ("quota", &section));
  g_assert_cmpint (section, ==, DG_ASSESSMENT_SECTION_QUOTA);
  g_assert_true (dg_assessment_section_from_string ("dustfall", &section));
  g_assert_cmpint (section, ==, DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_false (dg_assessment_section_from_string ("cells", &section));
}

static void
test_suggest_filename (Fixture       *f,
                       gconstpointer  data)
{
  DgAssessment odd = { .district = "../东\"区\n", .month = "2025-03" };
  DgAssessment bare = { .dustfall = f->dustfall };
  g_autofree char *xlsx = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *sanitized = NULL;
  g_autofree char *from_report = NULL;

  xlsx = dg_assessment_suggest_filename (&f->assessment, DG_ASSESSMENT_FORMAT_XLSX,
                                         DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_cmpstr (xlsx, ==, "2025-03 琼山区 扬尘防控月度考核.xlsx");
  csv = dg_assessment_suggest_filename (&f->assessment, DG_ASSESSMENT_FORMAT_CSV,
                                        DG_ASSESSMENT_SECTION_QUOTA);
  g_assert_cmpstr (csv, ==, "2025-03 琼山区 扬尘防控月度考核 每日抽查.csv");
  sanitized = dg_assessment_suggest_filename (&odd, DG_ASSESSMENT_FORMAT_PDF,
                                              DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_cmpstr (sanitized, ==, "2025-03 .._东_区_ 扬尘防控月度考核.pdf");
  /* Without a month of its own, the report's month. */
  from_report = dg_assessment_suggest_filename (&bare, DG_ASSESSMENT_FORMAT_JSON,
                                                DG_ASSESSMENT_SECTION_DUSTFALL);
  g_assert_cmpstr (from_report, ==, "2025-03 扬尘防控月度考核.json");
}

/* ---- Progress ---- */

typedef struct
{
  guint  calls;
  double first;
  double last;
  gboolean monotonic;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  if (p->calls == 0)
    p->first = fraction;
  else if (fraction < p->last)
    p->monotonic = FALSE;
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  p->last = fraction;
  p->calls++;
}

static void
assert_progress (const Progress *p)
{
  g_assert_cmpuint (p->calls, >=, 3);
  g_assert_cmpfloat (p->first, ==, 0.0);
  g_assert_cmpfloat (p->last, ==, 1.0);
  g_assert_true (p->monotonic);
}

/* ---- CSV ---- */

/* An RFC 4180 reader, strict about what the writer promises: CRLF records, quoted fields with
 * doubled quotes. Returns rows of GStrv. */
static GPtrArray *
parse_csv (const char *text,
           gsize       length)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      gboolean quoted = FALSE;

      g_string_truncate (field, 0);
      if (*p == '"')
        {
          quoted = TRUE;
          p++;
          while (p < end)
            {
              if (*p == '"' && p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                {
                  g_string_append_c (field, *p++);
                }
            }
        }
      else
        {
          while (p < end && *p != ',' && *p != '\r' && *p != '\n')
            {
              g_assert_cmpint (*p, !=, '"');
              g_string_append_c (field, *p++);
            }
        }
      (void) quoted;
      g_ptr_array_add (fields, g_strdup (field->str));

      if (p < end && *p == ',')
        {
          p++;
          continue;
        }

      /* The end of a record must be CRLF, never a bare LF. */
      g_assert_true (p + 1 < end);
      g_assert_cmpint (p[0], ==, '\r');
      g_assert_cmpint (p[1], ==, '\n');
      p += 2;
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
    }

  g_assert_cmpuint (fields->len, ==, 0);
  return rows;
}

static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  GError *error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, (gssize) length, NULL));
  /* The BOM that makes Excel read UTF-8. */
  g_assert_cmpuint (length, >, 3);
  g_assert_cmpmem (contents, 3, "\xEF\xBB\xBF", 3);
  /* The last record ends like the others. */
  g_assert_cmpmem (contents + length - 2, 2, "\r\n", 2);

  return parse_csv (contents + 3, length - 3);
}

static guint
column_of (GStrv       header,
           const char *title)
{
  for (guint c = 0; header[c] != NULL; c++)
    if (g_str_has_prefix (header[c], title))
      return c;

  g_assert_not_reached ();
}

static void
test_csv_dustfall (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "dustfall.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;
  GStrv header;
  guint c_rank, c_code, c_name, c_value, c_exceeds, c_prev, c_mom;

  g_assert_true (dg_assessment_write_csv (&f->assessment, DG_ASSESSMENT_SECTION_DUSTFALL, path,
                                          &error));
  g_assert_no_error (error);

  rows = read_csv (path);
  g_assert_cmpuint (rows->len, ==, 1 + N_CELLS);
  header = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (header), ==, 15);
  g_assert_cmpstr (header[0], ==, "排名");
  c_rank = column_of (header, "排名");
  c_code = column_of (header, "网格编号");
  c_name = column_of (header, "网格名称");
  c_value = column_of (header, "降尘量");
  c_exceeds = column_of (header, "是否超标");
  c_prev = column_of (header, "上月值");
  c_mom = column_of (header, "环比(%)");

  /* Every row agrees with the report, in its order. */
  for (guint i = 0; i < N_CELLS; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (f->dustfall->cells, i);
      GStrv row = g_ptr_array_index (rows, i + 1);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_assert_cmpuint (g_strv_length (row), ==, 15);
      g_assert_cmpstr (row[c_code], ==, cell->code);
      g_assert_cmpstr (row[c_name], ==, cell->name);
      if (cell->has_value)
        {
          g_assert_cmpint (atoi (row[c_rank]), ==, cell->rank);
          g_assert_cmpstr (row[c_value], ==, g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                               cell->value));
          g_assert_cmpstr (row[c_exceeds], ==, cell->exceeds ? "超标" : "达标");
        }
      else
        {
          g_assert_cmpstr (row[c_rank], ==, "");
          g_assert_cmpstr (row[c_value], ==, "缺测");
          g_assert_cmpstr (row[c_exceeds], ==, "");
        }
    }

  /* Hand-known rows: the cleanest first, the 缺测 ones last. */
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[c_code], ==, CLEANEST);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[c_rank], ==, "1");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[c_value], ==, "1.5");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[c_prev], ==, "1.0");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 1))[c_mom], ==, "50.0");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, N_CELLS - 2))[c_code], ==, DIRTIEST);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, N_CELLS - 2))[c_value], ==, "12.3");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, N_CELLS - 2))[c_exceeds], ==, "超标");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, N_CELLS - 1))[c_code], ==, MISSING_A);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, N_CELLS))[c_code], ==, MISSING_B);
}

static void
test_csv_quoting (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *expected = NULL;
  const char *text;
  gsize length;
  GError *error = NULL;

  bytes = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_CSV,
                                  DG_ASSESSMENT_SECTION_DUSTFALL, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, &length);

  /* The raw field: quoted because of the comma, its quotes doubled. */
  g_assert_nonnull (g_strstr_len (text, (gssize) length, ",\"东关, \"\"老城\"\" 片区\","));
  /* Plain fields stay bare. */
  expected = g_strdup_printf ("\r\n1," CLEANEST ",第1网格,府城街道,1.5,8.0,达标,");
  g_assert_nonnull (g_strstr_len (text, (gssize) length, expected));
}

/* Design 6.6: names people typed never run as formulas when the CSV is opened in a
 * spreadsheet; the numbers of the table stay numbers. */
static void
test_csv_formula_injection (Fixture       *f,
                            gconstpointer  data)
{
  static const char *const hostile[] = {
    "=HYPERLINK(\"http://evil.example/\",\"点击\")", "@SUM(1+1)", "+cmd|' /C calc'!A0",
    "-2+3", "\tindent", "\rreturn",
  };
  DgCellRank *first = g_ptr_array_index (f->dustfall->cells, 0);
  DgCellRank *second = g_ptr_array_index (f->dustfall->cells, 1);
  DgRoadRow *road = g_ptr_array_index (f->road_report->roads, 0);
  g_autoptr(GBytes) ranking = NULL;
  g_autoptr(GBytes) roads = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) road_rows = NULL;
  GError *error = NULL;
  gsize length;
  const char *text;
  GStrv row;

  g_free (first->code);
  first->code = g_strdup (hostile[0]);
  g_free (first->name);
  first->name = g_strdup (hostile[1]);
  g_free (first->unit);
  first->unit = g_strdup (hostile[2]);
  g_free (second->name);
  second->name = g_strdup (hostile[4]);
  g_free (second->unit);
  second->unit = g_strdup (hostile[5]);
  first->has_mom = TRUE;
  first->mom_change = -1.5;
  g_free (road->name);
  road->name = g_strdup (hostile[3]);

  ranking = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_CSV,
                                    DG_ASSESSMENT_SECTION_DUSTFALL, &error);
  g_assert_no_error (error);
  roads = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_CSV,
                                  DG_ASSESSMENT_SECTION_ROADS, &error);
  g_assert_no_error (error);

  text = g_bytes_get_data (ranking, &length);
  rows = parse_csv (text + 3, length - 3);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row[1], ==, "'=HYPERLINK(\"http://evil.example/\",\"点击\")");
  g_assert_cmpstr (row[2], ==, "'@SUM(1+1)");
  g_assert_cmpstr (row[3], ==, "'+cmd|' /C calc'!A0");
  g_assert_cmpstr (row[10], ==, "-1.5");
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (row[2], ==, "'\tindent");
  g_assert_cmpstr (row[3], ==, "'\rreturn");

  text = g_bytes_get_data (roads, &length);
  road_rows = parse_csv (text + 3, length - 3);
  row = g_ptr_array_index (road_rows, 1);
  g_assert_cmpstr (row[1], ==, "'-2+3");
}

static void
test_csv_sections (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *roads_path = g_build_filename (f->tmpdir, "roads.csv", NULL);
  g_autofree char *quota_path = g_build_filename (f->tmpdir, "quota.csv", NULL);
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) quota = NULL;
  GError *error = NULL;
  GStrv header, row;
  guint c_name, c_over, c_mean, c_checks;
  gboolean found = FALSE;

  g_assert_true (dg_assessment_write_csv (&f->assessment, DG_ASSESSMENT_SECTION_ROADS,
                                          roads_path, &error));
  g_assert_no_error (error);
  g_assert_true (dg_assessment_write_csv (&f->assessment, DG_ASSESSMENT_SECTION_QUOTA,
                                          quota_path, &error));
  g_assert_no_error (error);

  roads = read_csv (roads_path);
  g_assert_cmpuint (roads->len, ==, 1 + N_ROADS);
  header = g_ptr_array_index (roads, 0);
  g_assert_cmpuint (g_strv_length (header), ==, 13);
  c_name = column_of (header, "道路");
  c_over = column_of (header, "超标点位数");
  c_mean = column_of (header, "平均积尘负荷");
  c_checks = column_of (header, "抽查次数");
  for (guint i = 1; i < roads->len; i++)
    {
      row = g_ptr_array_index (roads, i);
      if (g_strcmp0 (row[c_name], "道路1") != 0)
        continue;
      /* 19 checks of 6 points at 6.0 g/m² on a 5 g/m² road: every point over. */
      g_assert_cmpstr (row[c_checks], ==, "19");
      g_assert_cmpstr (row[c_over], ==, "114");
      g_assert_cmpstr (row[c_mean], ==, "6.0");
      found = TRUE;
    }
  g_assert_true (found);

  quota = read_csv (quota_path);
  g_assert_cmpuint (quota->len, ==, 1 + 31);
  header = g_ptr_array_index (quota, 0);
  g_assert_cmpstr (header[0], ==, "日期");
  g_assert_cmpstr (header[3], ==, "状态");
  row = g_ptr_array_index (quota, 1);
  g_assert_cmpstr (row[0], ==, "2025-03-01");
  g_assert_cmpstr (row[1], ==, "6");
  g_assert_cmpstr (row[3], ==, "达标");
  row = g_ptr_array_index (quota, 11);
  g_assert_cmpstr (row[1], ==, "3");
  g_assert_cmpstr (row[3], ==, "未达标");
  row = g_ptr_array_index (quota, 31);
  g_assert_cmpstr (row[0], ==, "2025-03-31");
  g_assert_cmpstr (row[3], ==, "待查");
}

/* ---- XLSX, read back by openpyxl ---- */

/* Dumps the workbook as JSON: sheet names in order, and per sheet its frozen pane and every cell
 * as [value, number_format, fill colour]. Exits 77 without openpyxl. */
static const char xlsx_dump_py[] =
  "import json, sys\n"
  "try:\n"
  "    import openpyxl\n"
  "except ImportError:\n"
  "    sys.exit(77)\n"
  "wb = openpyxl.load_workbook(sys.argv[1])\n"
  "out = {'sheets': wb.sheetnames, 'data': {}}\n"
  "for ws in wb.worksheets:\n"
  "    rows = []\n"
  "    for row in ws.iter_rows():\n"
  "        cells = []\n"
  "        for c in row:\n"
  "            fill = None\n"
  "            if c.fill is not None and c.fill.fill_type == 'solid':\n"
  "                fill = str(c.fill.fgColor.rgb)\n"
  "            cells.append([c.value, c.number_format, fill])\n"
  "        rows.append(cells)\n"
  "    out['data'][ws.title] = {'freeze': ws.freeze_panes, 'rows': rows,\n"
  "                             'merged': [str(r) for r in ws.merged_cells.ranges],\n"
  "                             'print_rows': ws.print_title_rows,\n"
  "                             'orientation': ws.page_setup.orientation}\n"
  "json.dump(out, sys.stdout, ensure_ascii=False)\n";

/* Runs the dump script under the first interpreter that has openpyxl: Debian's
 * python3-openpyxl is installed for /usr/bin/python3, which a python3 found first on PATH (a
 * virtualenv, pyenv) may not see. Returns NULL when none has it. */
static JsonObject *
read_xlsx (const char *path)
{
  const char *interpreters[] = { "python3", "/usr/bin/python3" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (interpreters) && out == NULL; i++)
    {
      const char *argv[] = { interpreters[i], "-c", xlsx_dump_py, path, NULL };
      g_autofree char *stdout_text = NULL;
      g_autofree char *err = NULL;
      int status;

      if (!have_program (interpreters[i]))
        continue;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &stdout_text,
                    &err, &status, &error);
      g_assert_no_error (error);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
        continue;
      if (!g_spawn_check_wait_status (status, &error))
        g_error ("openpyxl could not read %s: %s\n%s", path, error->message, err);
      out = g_steal_pointer (&stdout_text);
    }

  if (out == NULL)
    return NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonArray *
sheet_row (JsonObject *dump,
           const char *sheet,
           guint       row)
{
  JsonObject *data = json_object_get_object_member (dump, "data");
  JsonArray *rows = json_object_get_array_member (json_object_get_object_member (data, sheet),
                                                  "rows");

  return json_array_get_array_element (rows, row);
}

static guint
sheet_n_rows (JsonObject *dump,
              const char *sheet)
{
  JsonObject *data = json_object_get_object_member (dump, "data");

  return json_array_get_length (json_object_get_array_member (
    json_object_get_object_member (data, sheet), "rows"));
}

static JsonNode *
xlsx_value (JsonArray *row,
            guint      col)
{
  return json_array_get_array_element (row, col) != NULL
         ? json_array_get_element (json_array_get_array_element (row, col), 0)
         : NULL;
}

static const char *
xlsx_format (JsonArray *row,
             guint      col)
{
  return json_array_get_string_element (json_array_get_array_element (row, col), 1);
}

static gboolean
xlsx_filled (JsonArray *row,
             guint      col)
{
  return !JSON_NODE_HOLDS_NULL (json_array_get_element (json_array_get_array_element (row, col),
                                                        2));
}

static void
assert_number (JsonNode *node,
               double    expected)
{
  g_assert_nonnull (node);
  /* A number, not text that looks like one. */
  g_assert_cmpint (json_node_get_value_type (node), !=, G_TYPE_STRING);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), expected, 1e-9);
}

static void
assert_string (JsonNode   *node,
               const char *expected)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
test_xlsx (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "assessment.xlsx", NULL);
  g_autoptr(JsonObject) dump = NULL;
  Progress progress = { .monotonic = TRUE };
  GError *error = NULL;
  JsonArray *sheets, *row;
  JsonObject *sheet_data;
  guint n_rows;

  g_assert_true (dg_assessment_write_xlsx (&f->assessment, path, progress_cb, &progress,
                                           &error));
  g_assert_no_error (error);
  assert_progress (&progress);

  dump = read_xlsx (path);
  if (dump == NULL)
    {
      g_test_skip ("python3-openpyxl is not installed");
      return;
    }

  sheets = json_object_get_array_member (dump, "sheets");
  g_assert_cmpuint (json_array_get_length (sheets), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (sheets, 0), ==, "降尘排名");
  g_assert_cmpstr (json_array_get_string_element (sheets, 1), ==, "道路积尘");
  g_assert_cmpstr (json_array_get_string_element (sheets, 2), ==, "每日抽查");
  g_assert_cmpstr (json_array_get_string_element (sheets, 3), ==, "汇总");

  for (guint s = 0; s < 4; s++)
    {
      const char *name = json_array_get_string_element (sheets, s);

      sheet_data = json_object_get_object_member (json_object_get_object_member (dump, "data"),
                                                  name);
      /* Title and header rows stay in view, and the header is printed on every page. */
      g_assert_cmpstr (json_object_get_string_member (sheet_data, "freeze"), ==, "A3");
      g_assert_cmpstr (json_object_get_string_member (sheet_data, "print_rows"), ==, "$2:$2");
      g_assert_cmpstr (json_object_get_string_member (sheet_data, "orientation"), ==,
                       "landscape");
    }

  /* The title names the district and the month. */
  row = sheet_row (dump, "降尘排名", 0);
  g_assert_nonnull (strstr (json_node_get_string (xlsx_value (row, 0)), DISTRICT));
  g_assert_nonnull (strstr (json_node_get_string (xlsx_value (row, 0)), "2025年3月"));
  row = sheet_row (dump, "降尘排名", 1);
  assert_string (xlsx_value (row, 0), "排名");
  assert_string (xlsx_value (row, 1), "网格编号");
  assert_string (xlsx_value (row, 6), "是否超标");
  assert_string (xlsx_value (row, 14), "年累计是否超标");

  /* Title, header, the cells, the district mean. */
  n_rows = sheet_n_rows (dump, "降尘排名");
  g_assert_cmpuint (n_rows, ==, 2 + N_CELLS + 1);

  for (guint i = 0; i < N_CELLS; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (f->dustfall->cells, i);

      row = sheet_row (dump, "降尘排名", 2 + i);
      assert_string (xlsx_value (row, 1), cell->code);
      if (cell->has_value)
        {
          assert_number (xlsx_value (row, 0), cell->rank);
          assert_number (xlsx_value (row, 4), cell->value);
          g_assert_cmpstr (xlsx_format (row, 4), ==, "0.0");
          assert_string (xlsx_value (row, 6), cell->exceeds ? "超标" : "达标");
          /* Exceedances are highlighted, compliant values are not. */
          g_assert_cmpint (xlsx_filled (row, 4), ==, cell->exceeds);
          assert_number (xlsx_value (row, 7), cell->site_max);
          assert_number (xlsx_value (row, 9), cell->prev_value);
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_NULL (xlsx_value (row, 0)));
          assert_string (xlsx_value (row, 4), "缺测");
        }
      assert_number (xlsx_value (row, 5), 8.0);
    }

  row = sheet_row (dump, "降尘排名", 2);
  assert_string (xlsx_value (row, 1), CLEANEST);
  assert_number (xlsx_value (row, 0), 1);
  assert_number (xlsx_value (row, 4), 1.5);
  row = sheet_row (dump, "降尘排名", 2 + N_CELLS - 3);
  assert_string (xlsx_value (row, 1), DIRTIEST);
  assert_number (xlsx_value (row, 4), 12.3);
  g_assert_true (xlsx_filled (row, 4));
  /* 缺测 rows last. */
  row = sheet_row (dump, "降尘排名", 2 + N_CELLS - 1);
  assert_string (xlsx_value (row, 1), MISSING_B);
  assert_string (xlsx_value (row, 4), "缺测");
  /* Then the district mean, as a number. */
  row = sheet_row (dump, "降尘排名", 2 + N_CELLS);
  assert_string (xlsx_value (row, 0), "全区均值");
  assert_number (xlsx_value (row, 4), f->dustfall->district_mean);

  /* Roads: figures as numbers. */
  row = sheet_row (dump, "道路积尘", 1);
  assert_string (xlsx_value (row, 1), "道路");
  g_assert_cmpuint (sheet_n_rows (dump, "道路积尘"), ==, 2 + N_ROADS);
  for (guint i = 0; i < N_ROADS; i++)
    {
      const DgRoadRow *road = g_ptr_array_index (f->road_report->roads, i);

      row = sheet_row (dump, "道路积尘", 2 + i);
      assert_string (xlsx_value (row, 1), road->name);
      assert_number (xlsx_value (row, 3), road->checks);
      if (road->has_mean)
        assert_number (xlsx_value (row, 6), road->mean);
      assert_number (xlsx_value (row, 11), road->points_over);
      g_assert_cmpint (xlsx_filled (row, 11), ==, road->points_over > 0);
    }

  /* Quota: one row per day, then the totals. */
  row = sheet_row (dump, "每日抽查", 2);
  assert_string (xlsx_value (row, 0), "2025-03-01");
  assert_number (xlsx_value (row, 1), 6);
  assert_number (xlsx_value (row, 2), 6);
  assert_string (xlsx_value (row, 3), "达标");
  row = sheet_row (dump, "每日抽查", 2 + 10);
  assert_string (xlsx_value (row, 3), "未达标");
  g_assert_true (xlsx_filled (row, 3));
  row = sheet_row (dump, "每日抽查", 2 + 30);
  assert_string (xlsx_value (row, 3), "待查");
  row = sheet_row (dump, "每日抽查", 2 + 31);
  assert_number (xlsx_value (row, 1), 10);

  /* Summary. */
  n_rows = sheet_n_rows (dump, "汇总");
  {
    gboolean seen_mean = FALSE, seen_missing = FALSE, seen_met = FALSE;

    for (guint i = 2; i < n_rows; i++)
      {
        const char *label;

        row = sheet_row (dump, "汇总", i);
        label = json_node_get_string (xlsx_value (row, 0));
        if (g_str_has_prefix (label, "全区降尘均值"))
          {
            assert_number (xlsx_value (row, 1), f->dustfall->district_mean);
            seen_mean = TRUE;
          }
        else if (g_strcmp0 (label, "缺测网格数") == 0)
          {
            assert_number (xlsx_value (row, 1), 2);
            seen_missing = TRUE;
          }
        else if (g_strcmp0 (label, "每日抽查达标天数") == 0)
          {
            assert_number (xlsx_value (row, 1), 10);
            seen_met = TRUE;
          }
        else if (g_strcmp0 (label, "考核月份") == 0)
          {
            assert_string (xlsx_value (row, 1), MONTH);
          }
      }
    g_assert_true (seen_mean && seen_missing && seen_met);
  }
}

/* A path that cannot be written fails with a G_IO_ERROR saying why, and leaves nothing. */
static void
test_unwritable_path (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "no", "such", "file", NULL);
  GError *error = NULL;

  g_assert_false (dg_assessment_write_xlsx (&f->assessment, path, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (dg_assessment_write_pdf (&f->assessment, path, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (dg_assessment_write_csv (&f->assessment, DG_ASSESSMENT_SECTION_DUSTFALL, path,
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

/* Writing over an existing file replaces it whole; no temporary file is left behind. */
static void
test_replaces_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "again.xlsx", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  GError *error = NULL;
  guint n_files = 0;

  g_file_set_contents (path, "old contents", -1, &error);
  g_assert_no_error (error);
  g_assert_true (dg_assessment_write_xlsx (&f->assessment, path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, 4, "PK\x03\x04", 4);

  dir = g_dir_open (f->tmpdir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

/* ---- PDF, read back by pdftotext ---- */

static char *
pdf_to_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  GError *error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("pdftotext could not read %s: %s\n%s", path, error->message, err);

  return out;
}

/* The line of @page that holds @code as a word, or NULL. */
static char *
line_with_code (const char *page,
                const char *code)
{
  g_auto(GStrv) lines = g_strsplit (page, "\n", -1);
  g_autofree char *pattern = g_strdup_printf ("(^|\\s)%s(\\s|$)", code);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match_simple (pattern, lines[i], 0, 0))
      return g_strdup (lines[i]);

  return NULL;
}

/* The whitespace-separated words of @line. */
static GStrv
words_of (const char *line)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *stripped = g_strstrip (g_strdup (line));

  return g_regex_split (space, stripped, 0);
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "assessment.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) pages = NULL;
  g_auto(GStrv) words = NULL;
  Progress progress = { .monotonic = TRUE };
  GError *error = NULL;
  guint n_pages;
  guint table_pages = 0;
  const DgCellRank *dirtiest;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!have_program ("pdftotext"))
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_assert_true (dg_assessment_write_pdf (&f->assessment, path, progress_cb, &progress, &error));
  g_assert_no_error (error);
  assert_progress (&progress);

  text = pdf_to_text (path);
  pages = g_strsplit (text, "\f", -1);
  n_pages = g_strv_length (pages);
  /* pdftotext ends every page with a form feed, so the last piece is empty. */
  if (n_pages > 0 && *g_strstrip (pages[n_pages - 1]) == '\0')
    n_pages--;
  /* 64 cells do not fit on the first page with the title; charts, roads and quota follow. */
  g_assert_cmpuint (n_pages, >=, 3);

  /* Title: district and month, in real text. */
  g_assert_nonnull (strstr (pages[0], DISTRICT));
  g_assert_nonnull (strstr (pages[0], "2025年3月"));
  g_assert_nonnull (strstr (pages[0], "扬尘防控月度考核"));

  /* Page numbers on every page, with the total. */
  for (guint p = 0; p < n_pages; p++)
    {
      g_autofree char *pattern = g_strdup_printf ("第\\s*%u\\s*页\\s*/\\s*共\\s*%u\\s*页",
                                                  p + 1, n_pages);

      g_assert_true (g_regex_match_simple (pattern, pages[p], 0, 0));
    }

  /* The cleanest cell: rank 1 and its value on its own row. */
  line = line_with_code (pages[0], CLEANEST);
  g_assert_nonnull (line);
  words = words_of (line);
  g_assert_cmpstr (words[0], ==, "1");
  g_assert_cmpstr (words[1], ==, CLEANEST);
  g_assert_true (g_strv_contains ((const char * const *) words, "1.5"));
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&words, g_strfreev);

  /* The ranking spans pages: its header row is repeated on the second one, above the rows. */
  g_assert_nonnull (strstr (pages[0], "网格编号"));
  g_assert_nonnull (strstr (pages[1], "网格编号"));
  g_assert_nonnull (strstr (pages[1], "网格名称"));
  g_assert_true (strstr (pages[1], "网格编号") < strstr (pages[1], DIRTIEST));
  for (guint p = 0; p < n_pages; p++)
    if (strstr (pages[p], "网格编号") != NULL)
      table_pages++;
  g_assert_cmpuint (table_pages, >=, 2);

  /* The dirtiest cell on the second page with its rank and value, then the 缺测 rows. */
  dirtiest = find_cell (f->dustfall, DIRTIEST, NULL);
  line = line_with_code (pages[1], DIRTIEST);
  g_assert_nonnull (line);
  words = words_of (line);
  g_assert_cmpint (atoi (words[0]), ==, dirtiest->rank);
  g_assert_cmpstr (words[1], ==, DIRTIEST);
  g_assert_true (g_strv_contains ((const char * const *) words, "12.3"));
  g_assert_true (g_strv_contains ((const char * const *) words, "超标"));
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&words, g_strfreev);

  line = line_with_code (pages[1], MISSING_B);
  g_assert_nonnull (line);
  words = words_of (line);
  /* No rank: the row starts with the code. */
  g_assert_cmpstr (words[0], ==, MISSING_B);
  g_assert_true (g_strv_contains ((const char * const *) words, "缺测"));
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&words, g_strfreev);
  g_assert_true (strstr (pages[1], DIRTIEST) < strstr (pages[1], MISSING_A));
  g_assert_true (strstr (pages[1], MISSING_A) < strstr (pages[1], MISSING_B));

  /* The district mean closes the table. */
  line = line_with_code (pages[1], "全区均值");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                   f->dustfall->district_mean)));
  g_clear_pointer (&line, g_free);

  /* The charts, the road and the quota tables follow. */
  g_assert_nonnull (strstr (text, "降尘量排名图"));
  g_assert_nonnull (strstr (text, "控制值 8.0"));
  g_assert_nonnull (strstr (text, "网格降尘分布图"));
  g_assert_nonnull (strstr (text, "道路积尘负荷"));
  g_assert_nonnull (strstr (text, "道路1"));
  g_assert_nonnull (strstr (text, "每日抽查"));
  g_assert_nonnull (strstr (text, "2025-03-31"));
  g_assert_nonnull (strstr (text, "未达标"));
  g_assert_nonnull (strstr (text, "待查"));
}

static void
test_pdf_font_embedded (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "fonts.pdf", NULL);
  const char *argv[] = { "pdffonts", path, NULL };
  g_autofree char *out = NULL;
  GError *error = NULL;
  int status;

  if (!have_program ("pdffonts"))
    {
      g_test_skip ("pdffonts (poppler-utils) is not installed");
      return;
    }

  g_assert_true (dg_assessment_write_pdf (&f->assessment, path, NULL, NULL, &error));
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* The CJK font, embedded ("emb" yes) as a subset. */
  g_assert_true (g_regex_match_simple ("NotoSansCJK\\S*sc\\S*.*\\byes\\b", out,
                                       G_REGEX_MULTILINE | G_REGEX_CASELESS, 0));
}

/* The client exports in a worker thread while the server may answer two requests at once:
 * writers running side by side produce the same bytes as one alone. */
static gpointer
render_pdf_thread (gpointer data)
{
  Fixture *f = data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_PDF, 0, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
test_pdf_threads (Fixture       *f,
                  gconstpointer  data)
{
  GThread *threads[3];
  g_autoptr(GBytes) alone = NULL;
  GError *error = NULL;

  alone = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_PDF, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("pdf", render_pdf_thread, f);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GBytes) bytes = g_thread_join (threads[i]);

      /* Only the creation date may differ: compare the sizes, which the dates do not change. */
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, g_bytes_get_size (alone));
    }
}

/* ---- Bytes and JSON ---- */

static void
test_to_bytes (Fixture       *f,
               gconstpointer  data)
{
  GError *error = NULL;
  g_autoptr(GBytes) xlsx = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *text;
  gsize size;

  xlsx = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_XLSX, 0, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (xlsx, &size);
  /* A zip archive. */
  g_assert_cmpuint (size, >, 1000);
  g_assert_cmpmem (text, 4, "PK\x03\x04", 4);

  pdf = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_PDF, 0, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (pdf, &size);
  g_assert_cmpmem (text, 5, "%PDF-", 5);

  csv = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_CSV,
                                DG_ASSESSMENT_SECTION_QUOTA, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (csv, &size);
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF日期,"));

  json = dg_assessment_to_bytes (&f->assessment, DG_ASSESSMENT_FORMAT_JSON, 0, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (json, &size);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
}

static void
test_to_json (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) node = dg_assessment_to_json (&f->assessment);
  JsonObject *root, *dustfall, *first, *last;
  JsonArray *cells;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "month"), ==, MONTH);
  g_assert_cmpstr (json_object_get_string_member (root, "district"), ==, DISTRICT);
  g_assert_cmpstr (json_object_get_string_member (root, "generated_at"), ==, GENERATED);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "roads")));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "quota")));

  dustfall = json_object_get_object_member (root, "dustfall");
  g_assert_nonnull (dustfall);
  cells = json_object_get_array_member (dustfall, "cells");
  g_assert_cmpuint (json_array_get_length (cells), ==, N_CELLS);
  first = json_array_get_object_element (cells, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "code"), ==, CLEANEST);
  g_assert_cmpint (json_object_get_int_member (first, "rank"), ==, 1);
  last = json_array_get_object_element (cells, N_CELLS - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "code"), ==, MISSING_B);
  g_assert_true (json_object_get_null_member (last, "rank"));
  g_assert_true (json_object_get_null_member (last, "value"));
}

/* An assessment of a month with no reports at all still has every section's headings. */
static void
test_empty (void)
{
  DgAssessment empty = { .district = "空区", .month = "2025-02", .generated_at = GENERATED };
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) xlsx = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  csv = dg_assessment_to_bytes (&empty, DG_ASSESSMENT_FORMAT_CSV,
                                DG_ASSESSMENT_SECTION_DUSTFALL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (csv, NULL), ==,
                   "\xEF\xBB\xBF排名,网格编号,网格名称,责任单位,降尘量 (t/(km²·30d)),控制值,是否超标,"
                   "点位最大值,点位最小值,上月值,环比增减,环比(%),同比(%),年累计均值,年累计是否超标"
                   "\r\n");

  pdf = dg_assessment_to_bytes (&empty, DG_ASSESSMENT_FORMAT_PDF, 0, &error);
  g_assert_no_error (error);
  xlsx = dg_assessment_to_bytes (&empty, DG_ASSESSMENT_FORMAT_XLSX, 0, &error);
  g_assert_no_error (error);

  node = dg_assessment_to_json (&empty);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "dustfall"));
}

/* ---- Chart and map pixels ---- */

typedef struct
{
  guint8 r, g, b;
} Pixel;

static Pixel
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y)
{
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  const guint32 *p;
  Pixel px;

  cairo_surface_flush (surface);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpfloat (y, <, cairo_image_surface_get_height (surface));
  p = (const guint32 *) (data + (int) y * stride) + (int) x;
  /* ARGB32 is premultiplied; the background is opaque white, so alpha is 255. */
  g_assert_cmpuint (*p >> 24, ==, 0xff);
  px.r = (*p >> 16) & 0xff;
  px.g = (*p >> 8) & 0xff;
  px.b = *p & 0xff;
  return px;
}

static void
assert_pixel_is (Pixel  px,
                 double value,
                 double cap)
{
  double r, g, b;

  dg_chart_value_color (value, TRUE, cap, &r, &g, &b);
  g_assert_cmpint (ABS ((int) px.r - (int) round (r * 255)), <=, 2);
  g_assert_cmpint (ABS ((int) px.g - (int) round (g * 255)), <=, 2);
  g_assert_cmpint (ABS ((int) px.b - (int) round (b * 255)), <=, 2);
}

static cairo_surface_t *
white_surface (int       width,
               int       height,
               cairo_t **cr)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  *cr = cairo_create (surface);
  cairo_set_source_rgb (*cr, 1, 1, 1);
  cairo_paint (*cr);
  cairo_set_source_rgb (*cr, 0, 0, 0);
  return surface;
}

static void
test_value_colors (void)
{
  double r, g, b, r2, g2, b2;

  /* Exceeding is red, clean is green, near the cap differs from both, 缺测 is grey. */
  dg_chart_value_color (9.0, TRUE, 8.0, &r, &g, &b);
  g_assert_cmpfloat (r, >, 0.7);
  g_assert_cmpfloat (g, <, 0.35);
  dg_chart_value_color (2.0, TRUE, 8.0, &r, &g, &b);
  g_assert_cmpfloat (g, >, r);
  g_assert_cmpfloat (g, >, b);
  /* The cap itself complies. */
  dg_chart_value_color (8.0, TRUE, 8.0, &r, &g, &b);
  dg_chart_value_color (8.1, TRUE, 8.0, &r2, &g2, &b2);
  g_assert_true (r != r2 || g != g2 || b != b2);
  dg_chart_value_color (0.0, FALSE, 8.0, &r, &g, &b);
  g_assert_cmpfloat (r, ==, g);
  g_assert_cmpfloat (g, ==, b);
}

static void
test_grid_map_pixels (Fixture       *f,
                      gconstpointer  data)
{
  const int width = 640, height = 600;
  cairo_t *cr;
  cairo_surface_t *surface = white_surface (width, height, &cr);
  const DgCellRank *clean, *dirty;
  guint i_clean, i_dirty, i_missing;
  cairo_rectangle_t rc, rd, rm, rn;
  Pixel px;
  GHashTable *colors;

  dg_chart_draw_grid_map (cr, f->dustfall, width, height, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);

  clean = find_cell (f->dustfall, CLEANEST, &i_clean);
  dirty = find_cell (f->dustfall, DIRTIEST, &i_dirty);
  find_cell (f->dustfall, MISSING_A, &i_missing);

  /* G01 is at row 0, col 0; G64 at row 7, col 7: the map puts them at opposite corners. */
  g_assert_true (dg_chart_grid_map_cell_rect (f->dustfall, width, height, i_clean, &rc));
  g_assert_true (dg_chart_grid_map_cell_rect (f->dustfall, width, height, i_dirty, &rd));
  g_assert_true (dg_chart_grid_map_cell_rect (f->dustfall, width, height, i_missing, &rm));
  g_assert_cmpfloat (rc.x, <, rd.x);
  g_assert_cmpfloat (rc.y, <, rd.y);
  g_assert_cmpfloat (rc.width, >, 20);
  g_assert_cmpfloat (rd.x + rd.width, <=, width);
  g_assert_cmpfloat (rd.y + rd.height, <=, height);
  /* G02 is the right-hand neighbour of G01. */
  g_assert_true (dg_chart_grid_map_cell_rect (f->dustfall, width, height,
                                              (guint) dg_chart_grid_map_cell_at (
                                                f->dustfall, width, height,
                                                rc.x + rc.width * 1.5, rc.y + 1), &rn));
  g_assert_cmpstr (((DgCellRank *) g_ptr_array_index (
                     f->dustfall->cells,
                     dg_chart_grid_map_cell_at (f->dustfall, width, height,
                                                rc.x + rc.width * 1.5, rc.y + 1)))->code,
                   ==, "G02");
  g_assert_cmpint (dg_chart_grid_map_cell_at (f->dustfall, width, height, -5, -5), ==, -1);

  /* Sample near a corner, away from the labels in the middle. */
  px = pixel_at (surface, rd.x + rd.width * 0.15, rd.y + rd.height * 0.15);
  assert_pixel_is (px, dirty->value, f->dustfall->cap);
  g_assert_cmpint (px.r, >, 180);
  g_assert_cmpint (px.g, <, 90);

  px = pixel_at (surface, rc.x + rc.width * 0.15, rc.y + rc.height * 0.15);
  assert_pixel_is (px, clean->value, f->dustfall->cap);
  g_assert_cmpint (px.g, >, px.r);

  /* 缺测 is hatched: grey and darker grey stripes, no colour of a value. */
  colors = g_hash_table_new (NULL, NULL);
  for (double y = rm.y + rm.height * 0.1; y < rm.y + rm.height * 0.3; y += 1)
    for (double x = rm.x + rm.width * 0.1; x < rm.x + rm.width * 0.9; x += 1)
      {
        px = pixel_at (surface, x, y);
        g_assert_cmpint (ABS (px.r - px.g), <=, 2);
        g_assert_cmpint (ABS (px.g - px.b), <=, 2);
        g_hash_table_add (colors, GUINT_TO_POINTER (px.r));
      }
  g_assert_cmpuint (g_hash_table_size (colors), >=, 2);
  g_hash_table_unref (colors);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_ranking_pixels (Fixture       *f,
                     gconstpointer  data)
{
  const int width = 900, height = 500;
  cairo_t *cr;
  cairo_surface_t *surface = white_surface (width, height, &cr);
  const DgCellRank *clean, *dirty;
  guint i_clean, i_dirty, i_missing, i_tie_a, i_tie_b;
  cairo_rectangle_t rc, rd, ra, rb;
  Pixel px;

  dg_chart_draw_ranking (cr, f->dustfall, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);

  clean = find_cell (f->dustfall, CLEANEST, &i_clean);
  dirty = find_cell (f->dustfall, DIRTIEST, &i_dirty);
  find_cell (f->dustfall, MISSING_A, &i_missing);
  find_cell (f->dustfall, TIE_A, &i_tie_a);
  find_cell (f->dustfall, TIE_B, &i_tie_b);

  g_assert_true (dg_chart_ranking_bar_rect (f->dustfall, width, height, i_clean, &rc));
  g_assert_true (dg_chart_ranking_bar_rect (f->dustfall, width, height, i_dirty, &rd));
  g_assert_false (dg_chart_ranking_bar_rect (f->dustfall, width, height, i_missing, &ra));
  /* Ranking order left to right; heights in proportion to the values. */
  g_assert_cmpfloat (rc.x, <, rd.x);
  g_assert_cmpfloat_with_epsilon (rd.height / rc.height, dirty->value / clean->value, 0.01);
  g_assert_true (dg_chart_ranking_bar_rect (f->dustfall, width, height, i_tie_a, &ra));
  g_assert_true (dg_chart_ranking_bar_rect (f->dustfall, width, height, i_tie_b, &rb));
  g_assert_cmpfloat (ra.height, ==, rb.height);
  /* Bars stand on a common base line. */
  g_assert_cmpfloat (rc.y + rc.height, ==, rd.y + rd.height);

  /* A hit test finds each bar, and the column above it, but not the gap beside it nor a 缺测
   * cell's stub. */
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, rd.x + rd.width / 2,
                                            rd.y + rd.height / 2), ==, (int) i_dirty);
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, rc.x + rc.width / 2,
                                            rc.y - 20), ==, (int) i_clean);
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, rc.x - 0.5,
                                            rc.y + rc.height / 2), ==, -1);
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, rc.x + rc.width / 2,
                                            rc.y + rc.height + 1), ==, -1);
  for (guint i = 0; i < f->dustfall->cells->len; i++)
    {
      cairo_rectangle_t r;

      if (dg_chart_ranking_bar_rect (f->dustfall, width, height, i, &r))
        g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, r.x + r.width / 2,
                                                  r.y + r.height - 0.5), ==, (int) i);
    }
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, -5, 10), ==, -1);
  g_assert_cmpint (dg_chart_ranking_bar_at (f->dustfall, width, height, width + 5, 10), ==, -1);

  /* Low in the bar: away from the value label above it and the cap line across it. */
  px = pixel_at (surface, rd.x + rd.width / 2, rd.y + rd.height * 0.85);
  assert_pixel_is (px, dirty->value, f->dustfall->cap);
  g_assert_cmpint (px.r, >, 180);
  g_assert_cmpint (px.g, <, 90);

  px = pixel_at (surface, rc.x + rc.width / 2, rc.y + rc.height * 0.85);
  assert_pixel_is (px, clean->value, f->dustfall->cap);
  g_assert_cmpint (px.g, >, px.r);

  /* Between two bars there is background. */
  px = pixel_at (surface, rc.x + rc.width + (ra.width / 0.7) * 0.1, rc.y + rc.height * 0.85);
  g_assert_cmpint (px.r, ==, 255);
  g_assert_cmpint (px.g, ==, 255);

  /* The cap crosses the chart as a red dashed line: look for it at the cap's height (from the
   * bars' scale) over the middle of the chart, where the bars stay below it. */
  {
    double base = rc.y + rc.height;
    double cap_y = base - rc.height * f->dustfall->cap / clean->value;
    guint red = 0, white = 0;

    for (double x = rd.x / 3; x < rd.x / 2; x += 1)
      {
        Pixel a = pixel_at (surface, x, floor (cap_y - 0.5));
        Pixel b = pixel_at (surface, x, floor (cap_y + 0.5));
        Pixel p = (a.r - a.g > b.r - b.g) ? a : b;

        if (p.r > 150 && p.r - p.g > 60)
          red++;
        else if (p.r == 255 && p.g == 255)
          white++;
      }
    /* Dashes and gaps both. */
    g_assert_cmpuint (red, >=, 10);
    g_assert_cmpuint (white, >=, 5);
  }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* A district of hundreds of cells still draws, every bar inside the chart, colours right. */
static void
test_ranking_many_cells (Fixture       *f,
                         gconstpointer  data)
{
  const int width = 600, height = 300;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_autoptr(DgDustfallReport) report = NULL;
  cairo_t *cr;
  cairo_surface_t *surface;

  g_array_set_clear_func (values, (GDestroyNotify) dg_cell_month_clear);
  for (guint i = 0; i < 900; i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();

      cell->id = uuid_for ('e', i);
      cell->code = g_strdup_printf ("C%03u", i);
      cell->name = g_strdup ("网格");
      cell->unit = g_strdup ("单位");
      cell->row = (int) i / 30;
      cell->col = (int) i % 30;
      g_ptr_array_add (cells, cell);
      add_cell_month (values, cell->id, MONTH, i % 7 != 0, 1.0 + (i % 100) / 10.0);
    }
  report = dg_dustfall_report_build (MONTH, cells, values, f->rules);

  surface = white_surface (width, height, &cr);
  dg_chart_draw_ranking (cr, report, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  for (guint i = 0; i < report->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (report->cells, i);
      cairo_rectangle_t rect;

      if (!dg_chart_ranking_bar_rect (report, width, height, i, &rect))
        {
          g_assert_false (cell->has_value);
          continue;
        }
      g_assert_cmpfloat (rect.x, >=, 0);
      g_assert_cmpfloat (rect.x + rect.width, <=, width);
      g_assert_cmpfloat (rect.y, >=, 0);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  surface = white_surface (width, height, &cr);
  dg_chart_draw_grid_map (cr, report, width, height, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* HiDPI: the same map drawn at twice the scale lands at twice the pixel positions. */
static void
test_grid_map_scaled (Fixture       *f,
                      gconstpointer  data)
{
  const int width = 320, height = 300;
  cairo_t *cr;
  cairo_surface_t *surface = white_surface (width * 2, height * 2, &cr);
  const DgCellRank *dirty;
  guint i_dirty;
  cairo_rectangle_t rd;
  Pixel px;

  cairo_scale (cr, 2, 2);
  dg_chart_draw_grid_map (cr, f->dustfall, width, height, NULL);
  dirty = find_cell (f->dustfall, DIRTIEST, &i_dirty);
  g_assert_true (dg_chart_grid_map_cell_rect (f->dustfall, width, height, i_dirty, &rd));
  px = pixel_at (surface, 2 * (rd.x + rd.width * 0.15), 2 * (rd.y + rd.height * 0.15));
  assert_pixel_is (px, dirty->value, f->dustfall->cap);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/common/assessment/known-month", test_known_month);
  g_test_add_func ("/common/assessment/format-strings", test_format_strings);
  ADD ("/common/assessment/suggest-filename", test_suggest_filename);
  ADD ("/common/assessment/csv/dustfall-ranks-values-bom", test_csv_dustfall);
  ADD ("/common/assessment/csv/rfc4180-quoting", test_csv_quoting);
  ADD ("/common/assessment/csv/text-never-runs-as-a-formula", test_csv_formula_injection);
  ADD ("/common/assessment/csv/roads-and-quota-sections", test_csv_sections);
  ADD ("/common/assessment/xlsx/read-back-by-openpyxl", test_xlsx);
  ADD ("/common/assessment/xlsx/replaces-existing-file", test_replaces_file);
  ADD ("/common/assessment/unwritable-path-is-io-error", test_unwritable_path);
  ADD ("/common/assessment/pdf/read-back-by-pdftotext", test_pdf);
  ADD ("/common/assessment/pdf/cjk-font-embedded", test_pdf_font_embedded);
  ADD ("/common/assessment/pdf/threads", test_pdf_threads);
  ADD ("/common/assessment/bytes/every-format", test_to_bytes);
  ADD ("/common/assessment/json/report-shapes", test_to_json);
  g_test_add_func ("/common/assessment/empty-month-keeps-headings", test_empty);
  g_test_add_func ("/common/chart/value-colors", test_value_colors);
  ADD ("/common/chart/grid-map-colors-exceeding-compliant-missing", test_grid_map_pixels);
  ADD ("/common/chart/ranking-bar-colors", test_ranking_pixels);
  ADD ("/common/chart/grid-map-hidpi-scale", test_grid_map_scaled);
  ADD ("/common/chart/ranking-many-cells", test_ranking_many_cells);

#undef ADD

  return g_test_run ();
}
