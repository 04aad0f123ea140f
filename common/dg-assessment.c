/* dg-assessment.c: names, labels and the display rows every assessment format shares.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dg-assessment"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "dg-assessment-private.h"
#include "dg-enum.h"
#include "dg-date.h"

const char * const dg_assessment_rank_headers[DG_N_RANK_COLS] = {
  [DG_RANK_COL_RANK] = "排名",
  [DG_RANK_COL_CODE] = "网格编号",
  [DG_RANK_COL_NAME] = "网格名称",
  [DG_RANK_COL_UNIT] = "责任单位",
  [DG_RANK_COL_VALUE] = "降尘量 (" DG_ASSESSMENT_DUSTFALL_UNIT ")",
  [DG_RANK_COL_CAP] = "控制值",
  [DG_RANK_COL_EXCEEDS] = "是否超标",
  [DG_RANK_COL_SITE_MAX] = "点位最大值",
  [DG_RANK_COL_SITE_MIN] = "点位最小值",
  [DG_RANK_COL_PREV] = "上月值",
  [DG_RANK_COL_MOM_CHANGE] = "环比增减",
  [DG_RANK_COL_MOM_PCT] = "环比(%)",
  [DG_RANK_COL_YOY_PCT] = "同比(%)",
  [DG_RANK_COL_YTD_MEAN] = "年累计均值",
  [DG_RANK_COL_YTD_EXCEEDS] = "年累计是否超标",
};

const char * const dg_assessment_road_headers[DG_N_ROAD_COLS] = {
  [DG_ROAD_COL_RANK] = "排名",
  [DG_ROAD_COL_NAME] = "道路",
  [DG_ROAD_COL_UNIT] = "责任单位",
  [DG_ROAD_COL_CHECKS] = "抽查次数",
  [DG_ROAD_COL_COMPLETE] = "完整次数",
  [DG_ROAD_COL_POINTS] = "点位数",
  [DG_ROAD_COL_MEAN] = "平均积尘负荷 (g/m²)",
  [DG_ROAD_COL_MEAN_MAIN] = "主干道",
  [DG_ROAD_COL_MEAN_SIDE] = "人行道辅道",
  [DG_ROAD_COL_MEAN_PARK] = "园区浮尘",
  [DG_ROAD_COL_MAX] = "最大值",
  [DG_ROAD_COL_POINTS_OVER] = "超标点位数",
  [DG_ROAD_COL_PASSED] = "达标次数",
};

const char * const dg_assessment_quota_headers[DG_N_QUOTA_COLS] = {
  [DG_QUOTA_COL_DATE] = "日期",
  [DG_QUOTA_COL_ROADS] = "完整抽查道路数",
  [DG_QUOTA_COL_REQUIRED] = "要求",
  [DG_QUOTA_COL_STATE] = "状态",
};

static const DgEnumName format_names[] = {
  { DG_ASSESSMENT_FORMAT_JSON, "json" },
  { DG_ASSESSMENT_FORMAT_CSV, "csv" },
  { DG_ASSESSMENT_FORMAT_XLSX, "xlsx" },
  { DG_ASSESSMENT_FORMAT_PDF, "pdf" },
};

static const DgEnumName section_names[] = {
  { DG_ASSESSMENT_SECTION_DUSTFALL, "dustfall" },
  { DG_ASSESSMENT_SECTION_ROADS, "roads" },
  { DG_ASSESSMENT_SECTION_QUOTA, "quota" },
};

const char *
dg_assessment_format_to_string (DgAssessmentFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);

  return dg_enum_to_nick (format_names, G_N_ELEMENTS (format_names), format);
}

gboolean
dg_assessment_format_from_string (const char         *str,
                                  DgAssessmentFormat *format)
{
  int value;

  g_return_val_if_fail (format != NULL, FALSE);

  if (!dg_enum_from_nick (format_names, G_N_ELEMENTS (format_names), str, &value))
    return FALSE;

  *format = value;
  return TRUE;
}

const char *
dg_assessment_format_content_type (DgAssessmentFormat format)
{
  switch (format)
    {
    case DG_ASSESSMENT_FORMAT_JSON:
      return "application/json";
    case DG_ASSESSMENT_FORMAT_CSV:
      return "text/csv; charset=utf-8";
    case DG_ASSESSMENT_FORMAT_XLSX:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case DG_ASSESSMENT_FORMAT_PDF:
      return "application/pdf";
    default:
      g_return_val_if_reached ("application/octet-stream");
    }
}

const char *
dg_assessment_section_to_string (DgAssessmentSection section)
{
  g_return_val_if_fail ((guint) section < G_N_ELEMENTS (section_names), NULL);

  return dg_enum_to_nick (section_names, G_N_ELEMENTS (section_names), section);
}

gboolean
dg_assessment_section_from_string (const char          *str,
                                   DgAssessmentSection *section)
{
  int value;

  g_return_val_if_fail (section != NULL, FALSE);

  /* The query parameter is optional: its absence means the ranking. */
  if (str == NULL || *str == '\0')
    {
      *section = DG_ASSESSMENT_SECTION_DUSTFALL;
      return TRUE;
    }

  if (!dg_enum_from_nick (section_names, G_N_ELEMENTS (section_names), str, &value))
    return FALSE;

  *section = value;
  return TRUE;
}

char *
dg_assessment_suggest_filename (const DgAssessment  *assessment,
                                DgAssessmentFormat   format,
                                DgAssessmentSection  section)
{
  static const char * const section_titles[] = {
    [DG_ASSESSMENT_SECTION_DUSTFALL] = DG_ASSESSMENT_SHEET_DUSTFALL,
    [DG_ASSESSMENT_SECTION_ROADS] = DG_ASSESSMENT_SHEET_ROADS,
    [DG_ASSESSMENT_SECTION_QUOTA] = DG_ASSESSMENT_SHEET_QUOTA,
  };
  g_autoptr(GString) name = g_string_new (NULL);
  const char *month;

  g_return_val_if_fail (assessment != NULL, NULL);
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  g_return_val_if_fail ((guint) section < G_N_ELEMENTS (section_titles), NULL);

  month = dg_assessment_get_month (assessment);
  if (month != NULL)
    g_string_append_printf (name, "%s ", month);
  if (assessment->district != NULL && *assessment->district != '\0')
    g_string_append_printf (name, "%s ", assessment->district);
  g_string_append (name, "扬尘防控月度考核");
  if (format == DG_ASSESSMENT_FORMAT_CSV)
    g_string_append_printf (name, " %s", section_titles[section]);

  /* The district is data: keep it from adding a directory or a control character to the name
   * (and from breaking a Content-Disposition header). */
  for (char *p = name->str; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\' || *p == '"' || (guchar) *p < 0x20 || *p == 0x7f)
        *p = '_';
    }
  if (!g_utf8_validate (name->str, (gssize) name->len, NULL))
    {
      char *valid = g_utf8_make_valid (name->str, (gssize) name->len);

      g_string_assign (name, valid);
      g_free (valid);
    }

  g_string_append_printf (name, ".%s", dg_assessment_format_to_string (format));

  return g_string_free (g_steal_pointer (&name), FALSE);
}

const char *
dg_assessment_get_month (const DgAssessment *self)
{
  if (self->month != NULL)
    return self->month;
  if (self->dustfall != NULL && self->dustfall->month != NULL)
    return self->dustfall->month;
  if (self->roads != NULL && self->roads->month != NULL)
    return self->roads->month;
  if (self->quota != NULL && self->quota->month != NULL)
    return self->quota->month;

  return NULL;
}

char *
dg_assessment_month_label (const DgAssessment *self)
{
  const char *month = dg_assessment_get_month (self);

  if (month == NULL)
    return g_strdup ("");

  if (dg_month_is_valid (month))
    {
      guint year = (guint) g_ascii_strtoull (month, NULL, 10);
      guint mon = (guint) g_ascii_strtoull (month + 5, NULL, 10);

      return g_strdup_printf ("%u年%u月", year, mon);
    }

  return g_strdup (month);
}

char *
dg_assessment_title (const DgAssessment *self)
{
  g_autofree char *label = dg_assessment_month_label (self);

  if (self->district != NULL && *self->district != '\0')
    return g_strdup_printf ("%s %s 扬尘防控月度考核", self->district, label);

  return g_strdup_printf ("%s 扬尘防控月度考核", label);
}

char *
dg_assessment_generated_at (const DgAssessment *self)
{
  if (self->generated_at != NULL)
    return g_strdup (self->generated_at);

  return dg_timestamp_now ();
}

const char *
dg_assessment_quota_state_label (DgQuotaState state)
{
  switch (state)
    {
    case DG_QUOTA_MET:
      return "达标";
    case DG_QUOTA_SHORT:
      return "未达标";
    case DG_QUOTA_PENDING:
      return "待查";
    default:
      g_return_val_if_reached ("");
    }
}

const char *
dg_assessment_format1 (char   *buf,
                       double  value)
{
  /* Adding 0.0 turns -0.0 into 0.0: a change of "-0.0" reads as a fall to a person. */
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", value + 0.0);
}

guint
dg_assessment_n_missing (const DgDustfallReport *report)
{
  guint n = 0;

  if (report == NULL || report->cells == NULL)
    return 0;

  for (guint i = 0; i < report->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (report->cells, i);

      if (!cell->has_value)
        n++;
    }

  return n;
}

DgRoadTotals
dg_assessment_road_totals (const DgRoadReport *report)
{
  DgRoadTotals totals = { 0, 0, 0 };

  for (guint i = 0; report != NULL && report->roads != NULL && i < report->roads->len; i++)
    {
      const DgRoadRow *road = g_ptr_array_index (report->roads, i);

      totals.checks += road->checks;
      totals.complete += road->complete;
      totals.passed += road->passed;
    }

  return totals;
}

gboolean
dg_assessment_replace_file (const char  *path,
                            GBytes      *bytes,
                            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gconstpointer data;
  gsize size;

  /* GIO writes a temporary file beside @path and renames it over, so a reader (or a failure
   * halfway) never sees half an assessment. */
  data = g_bytes_get_data (bytes, &size);
  return g_file_replace_contents (file, data, size, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL,
                                  error);
}

static char *
number_or_null (gboolean present,
                double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!present || !isfinite (value))
    return NULL;

  return g_strdup (dg_assessment_format1 (buf, value));
}

static char *
uint_string (guint value)
{
  return g_strdup_printf ("%u", value);
}

static char *
rank_string (int rank)
{
  return rank > 0 ? g_strdup_printf ("%d", rank) : NULL;
}

/* A row has holes (empty cells are NULL), so it is freed up to its known length. */
typedef DgAssessmentRow Row;

static Row *
row_new (guint n)
{
  Row *row = g_malloc0 (sizeof (Row) + n * sizeof (char *));

  row->n = n;
  return row;
}

static void
row_free (gpointer data)
{
  Row *row = data;

  for (guint i = 0; i < row->n; i++)
    g_free (row->cells[i]);
  g_free (row);
}

GPtrArray *
dg_assessment_rank_rows (const DgDustfallReport *report)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (report == NULL || report->cells == NULL)
    return rows;

  for (guint i = 0; i < report->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (report->cells, i);
      Row *row = row_new (DG_N_RANK_COLS);
      char **c = row->cells;

      c[DG_RANK_COL_RANK] = cell->has_value ? rank_string (cell->rank) : NULL;
      c[DG_RANK_COL_CODE] = g_strdup (cell->code);
      c[DG_RANK_COL_NAME] = g_strdup (cell->name);
      c[DG_RANK_COL_UNIT] = g_strdup (cell->unit);
      c[DG_RANK_COL_VALUE] = cell->has_value ? number_or_null (TRUE, cell->value)
                                             : g_strdup (DG_ASSESSMENT_MISSING);
      c[DG_RANK_COL_CAP] = g_strdup (dg_assessment_format1 (buf, report->cap));
      c[DG_RANK_COL_EXCEEDS] = cell->has_value
                               ? g_strdup (cell->exceeds ? DG_ASSESSMENT_EXCEEDS
                                                         : DG_ASSESSMENT_COMPLIES)
                               : NULL;
      c[DG_RANK_COL_SITE_MAX] = number_or_null (cell->has_value, cell->site_max);
      c[DG_RANK_COL_SITE_MIN] = number_or_null (cell->has_value, cell->site_min);
      c[DG_RANK_COL_PREV] = number_or_null (cell->has_prev, cell->prev_value);
      c[DG_RANK_COL_MOM_CHANGE] = number_or_null (cell->has_mom, cell->mom_change);
      c[DG_RANK_COL_MOM_PCT] = number_or_null (cell->has_mom, cell->mom_pct);
      c[DG_RANK_COL_YOY_PCT] = number_or_null (cell->has_yoy, cell->yoy_pct);
      c[DG_RANK_COL_YTD_MEAN] = number_or_null (cell->has_ytd, cell->ytd_mean);
      c[DG_RANK_COL_YTD_EXCEEDS] = cell->has_ytd
                                   ? g_strdup (cell->ytd_exceeds ? DG_ASSESSMENT_EXCEEDS
                                                                 : DG_ASSESSMENT_COMPLIES)
                                   : NULL;
      g_ptr_array_add (rows, row);
    }

  return rows;
}

GPtrArray *
dg_assessment_road_rows (const DgRoadReport *report)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  if (report == NULL || report->roads == NULL)
    return rows;

  for (guint i = 0; i < report->roads->len; i++)
    {
      const DgRoadRow *road = g_ptr_array_index (report->roads, i);
      Row *row = row_new (DG_N_ROAD_COLS);
      char **c = row->cells;

      c[DG_ROAD_COL_RANK] = rank_string (road->rank);
      c[DG_ROAD_COL_NAME] = g_strdup (road->name);
      c[DG_ROAD_COL_UNIT] = g_strdup (road->unit);
      c[DG_ROAD_COL_CHECKS] = uint_string (road->checks);
      c[DG_ROAD_COL_COMPLETE] = uint_string (road->complete);
      c[DG_ROAD_COL_POINTS] = uint_string (road->points);
      c[DG_ROAD_COL_MEAN] = number_or_null (road->has_mean, road->mean);
      c[DG_ROAD_COL_MEAN_MAIN] = number_or_null (road->has_means[DG_SURFACE_MAIN],
                                                 road->means[DG_SURFACE_MAIN]);
      c[DG_ROAD_COL_MEAN_SIDE] = number_or_null (road->has_means[DG_SURFACE_SIDE],
                                                 road->means[DG_SURFACE_SIDE]);
      c[DG_ROAD_COL_MEAN_PARK] = number_or_null (road->has_means[DG_SURFACE_PARK],
                                                 road->means[DG_SURFACE_PARK]);
      c[DG_ROAD_COL_MAX] = number_or_null (road->points > 0, road->max);
      c[DG_ROAD_COL_POINTS_OVER] = uint_string (road->points_over);
      c[DG_ROAD_COL_PASSED] = uint_string (road->passed);
      g_ptr_array_add (rows, row);
    }

  return rows;
}

GPtrArray *
dg_assessment_quota_rows (const DgQuotaReport *report)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  if (report == NULL || report->days == NULL)
    return rows;

  for (guint i = 0; i < report->days->len; i++)
    {
      const DgQuotaDay *day = &g_array_index (report->days, DgQuotaDay, i);
      Row *row = row_new (DG_N_QUOTA_COLS);
      char **c = row->cells;

      c[DG_QUOTA_COL_DATE] = g_strdup (day->date);
      /* A pending day has not happened: a count of 0 would read as a failure. */
      c[DG_QUOTA_COL_ROADS] = day->state == DG_QUOTA_PENDING ? NULL : uint_string (day->roads);
      c[DG_QUOTA_COL_REQUIRED] = uint_string (day->required);
      c[DG_QUOTA_COL_STATE] = g_strdup (dg_assessment_quota_state_label (day->state));
      g_ptr_array_add (rows, row);
    }

  return rows;
}
