/* dg-assessment-private.h: what the XLSX, PDF and CSV writers share, so their headings, labels
 * and number formatting are the same in every format. */
#pragma once

#include "dg-assessment.h"

G_BEGIN_DECLS

/* The headings are document content, fixed in Chinese (design 4, "Assessment files"). */
#define DG_ASSESSMENT_MISSING      "缺测"
#define DG_ASSESSMENT_EXCEEDS      "超标"
#define DG_ASSESSMENT_COMPLIES     "达标"
#define DG_ASSESSMENT_DUSTFALL_UNIT "t/(km²·30d)"

#define DG_ASSESSMENT_SHEET_DUSTFALL "降尘排名"
#define DG_ASSESSMENT_SHEET_ROADS    "道路积尘"
#define DG_ASSESSMENT_SHEET_QUOTA    "每日抽查"
#define DG_ASSESSMENT_SHEET_SUMMARY  "汇总"

/* Columns of the dust-fall ranking, in order. */
typedef enum
{
  DG_RANK_COL_RANK,
  DG_RANK_COL_CODE,
  DG_RANK_COL_NAME,
  DG_RANK_COL_UNIT,
  DG_RANK_COL_VALUE,
  DG_RANK_COL_CAP,
  DG_RANK_COL_EXCEEDS,
  DG_RANK_COL_SITE_MAX,
  DG_RANK_COL_SITE_MIN,
  DG_RANK_COL_PREV,
  DG_RANK_COL_MOM_CHANGE,
  DG_RANK_COL_MOM_PCT,
  DG_RANK_COL_YOY_PCT,
  DG_RANK_COL_YTD_MEAN,
  DG_RANK_COL_YTD_EXCEEDS,
  DG_N_RANK_COLS
} DgRankColumn;

typedef enum
{
  DG_ROAD_COL_RANK,
  DG_ROAD_COL_NAME,
  DG_ROAD_COL_UNIT,
  DG_ROAD_COL_CHECKS,
  DG_ROAD_COL_COMPLETE,
  DG_ROAD_COL_POINTS,
  DG_ROAD_COL_MEAN,
  DG_ROAD_COL_MEAN_MAIN,
  DG_ROAD_COL_MEAN_SIDE,
  DG_ROAD_COL_MEAN_PARK,
  DG_ROAD_COL_MAX,
  DG_ROAD_COL_POINTS_OVER,
  DG_ROAD_COL_PASSED,
  DG_N_ROAD_COLS
} DgRoadColumn;

typedef enum
{
  DG_QUOTA_COL_DATE,
  DG_QUOTA_COL_ROADS,
  DG_QUOTA_COL_REQUIRED,
  DG_QUOTA_COL_STATE,
  DG_N_QUOTA_COLS
} DgQuotaColumn;

extern const char * const dg_assessment_rank_headers[DG_N_RANK_COLS];
extern const char * const dg_assessment_road_headers[DG_N_ROAD_COLS];
extern const char * const dg_assessment_quota_headers[DG_N_QUOTA_COLS];

/* The month shown, from @self->month or the first report present; may be NULL. */
const char *dg_assessment_get_month        (const DgAssessment *self);
/* "2025年3月" for "2025-03"; a month that does not parse is shown as it is. */
char       *dg_assessment_month_label      (const DgAssessment *self);
/* "<district> 2025年3月 扬尘防控月度考核" */
char       *dg_assessment_title            (const DgAssessment *self);
/* @self->generated_at, or now as RFC 3339 UTC. */
char       *dg_assessment_generated_at     (const DgAssessment *self);
/* "达标", "未达标", "待查" */
const char *dg_assessment_quota_state_label (DgQuotaState state);

/* One decimal with '.', whatever the locale; -0.0 shows as 0.0. @buf: G_ASCII_DTOSTR_BUF_SIZE. */
const char *dg_assessment_format1          (char   *buf,
                                            double  value);

/* Counts the report's cells without data. */
guint       dg_assessment_n_missing        (const DgDustfallReport *report);

/* The month's road checks summed over the roads: all, complete ones, passed ones. */
typedef struct
{
  guint checks;
  guint complete;
  guint passed;
} DgRoadTotals;

DgRoadTotals dg_assessment_road_totals     (const DgRoadReport     *report);

/* A row of a section as display strings, @n of them; a NULL string is an empty cell. */
typedef struct
{
  guint  n;
  char  *cells[];
} DgAssessmentRow;

/* The rows of a section, the one rendering of a figure that CSV and PDF share. Returns a
 * GPtrArray of DgAssessmentRow * that frees them. */
GPtrArray  *dg_assessment_rank_rows        (const DgDustfallReport *report);
GPtrArray  *dg_assessment_road_rows        (const DgRoadReport     *report);
GPtrArray  *dg_assessment_quota_rows       (const DgQuotaReport    *report);

/* Replaces @path with @bytes atomically (a temporary file renamed over it); G_IO_ERROR. */
gboolean    dg_assessment_replace_file     (const char  *path,
                                            GBytes      *bytes,
                                            GError     **error);

/* The PDF, rendered to memory. */
GBytes     *dg_assessment_render_pdf       (const DgAssessment  *self,
                                            DgProgressFunc       progress,
                                            gpointer             user_data,
                                            GError             **error);
/* The CSV of @section, BOM included. */
GBytes     *dg_assessment_render_csv       (const DgAssessment  *self,
                                            DgAssessmentSection  section);

G_END_DECLS
