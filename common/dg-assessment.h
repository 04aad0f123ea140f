/* dg-assessment.h: the monthly assessment (月度考核, design 3.3) as a file.
 *
 * One code path writes the assessment for `dustgrid-server export`, for
 * `GET /api/v1/reports/assessment?format=` and for the client's export button, so the three can
 * never disagree. The document is Chinese whatever the locale: its headings are content, not UI,
 * and are never translated.
 *
 * Formats:
 *   xlsx  sheets 降尘排名 (first), 道路积尘, 每日抽查, 汇总; figures stored as numbers ("0.0").
 *   pdf   A4 portrait, text in the embedded "Noto Sans CJK SC" font, ranking table, bar chart,
 *         grid map, road and quota tables, "第 N 页 / 共 M 页".
 *   csv   one table (the ranking by default), UTF-8 with a BOM, RFC 4180 quoting, CRLF.
 *   json  {"month","district","generated_at","dustfall","roads","quota"} in the report shapes of
 *         design 4.
 *
 * The writers do no I/O but their own output and hold no global state, so they may run in a
 * worker thread (the client does); the progress callback is then called in that thread.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-report.h"

G_BEGIN_DECLS

/* @fraction: 0..1, non-decreasing; the last call is 1.0 on success. */
typedef void (*DgProgressFunc) (double   fraction,
                                gpointer user_data);

typedef enum
{
  DG_ASSESSMENT_FORMAT_JSON,
  DG_ASSESSMENT_FORMAT_CSV,
  DG_ASSESSMENT_FORMAT_XLSX,
  DG_ASSESSMENT_FORMAT_PDF,
} DgAssessmentFormat;

/* The table a CSV holds; the other formats hold all of them and ignore it. */
typedef enum
{
  DG_ASSESSMENT_SECTION_DUSTFALL,   /* the default */
  DG_ASSESSMENT_SECTION_ROADS,
  DG_ASSESSMENT_SECTION_QUOTA,
} DgAssessmentSection;

/* "json", "csv", "xlsx", "pdf" */
const char *dg_assessment_format_to_string    (DgAssessmentFormat   format);
gboolean    dg_assessment_format_from_string  (const char          *str,
                                               DgAssessmentFormat  *format);
/* "application/json", "text/csv; charset=utf-8", ... for an HTTP answer. */
const char *dg_assessment_format_content_type (DgAssessmentFormat   format);
/* "dustfall", "roads", "quota"; NULL or "" parse as the default, dustfall. */
const char *dg_assessment_section_to_string   (DgAssessmentSection  section);
gboolean    dg_assessment_section_from_string (const char          *str,
                                               DgAssessmentSection *section);

/* A plain struct that BORROWS everything it points to: the caller builds the reports (with
 * dg_dustfall_report_build() and friends), fills this in on the stack, writes, then frees the
 * reports itself. Nothing here is freed by the writers.
 *
 * @district:     shown in the title, e.g. "琼山区"; NULL or "" shows no district.
 * @month:        YYYY-MM; NULL takes the month of the first report present.
 * @generated_at: shown as given (e.g. an RFC 3339 timestamp); NULL means now, in UTC.
 * @dustfall, @roads, @quota: any may be NULL; its section is then written with its headings and
 *                no rows, so a file always has the same shape. */
typedef struct
{
  const char       *district;
  const char       *month;
  const char       *generated_at;
  DgDustfallReport *dustfall;
  DgRoadReport     *roads;
  DgQuotaReport    *quota;
} DgAssessment;

/* A default file name, "2025-03 琼山区 扬尘防控月度考核.xlsx" (a CSV adds its table:
 * "… 降尘排名.csv"), for the client's file chooser and the server's Content-Disposition (which
 * must carry it as filename*=UTF-8''…). Path separators, quotes and control characters in the
 * district are replaced, so it is always one plain name. */
char       *dg_assessment_suggest_filename    (const DgAssessment  *assessment,
                                               DgAssessmentFormat   format,
                                               DgAssessmentSection  section);

/* Write to @path (replacing it). Errors are G_IO_ERROR for the file, DG_ERROR_INTERNAL for a
 * failure of libxlsxwriter or cairo. @progress may be NULL. */
gboolean  dg_assessment_write_xlsx (const DgAssessment   *assessment,
                                    const char           *path,
                                    DgProgressFunc        progress,
                                    gpointer              user_data,
                                    GError              **error);
gboolean  dg_assessment_write_pdf  (const DgAssessment   *assessment,
                                    const char           *path,
                                    DgProgressFunc        progress,
                                    gpointer              user_data,
                                    GError              **error);
gboolean  dg_assessment_write_csv  (const DgAssessment   *assessment,
                                    DgAssessmentSection   section,
                                    const char           *path,
                                    GError              **error);

/* The file's bytes, for an HTTP answer. XLSX goes through a temporary file (libxlsxwriter 1.1
 * writes files only); @section only matters for CSV. */
GBytes   *dg_assessment_to_bytes   (const DgAssessment   *assessment,
                                    DgAssessmentFormat    format,
                                    DgAssessmentSection   section,
                                    GError              **error);

/* {"month","district","generated_at","dustfall","roads","quota"}, each report encoded by
 * dg-wire.h's encoders (null when absent). */
JsonNode *dg_assessment_to_json    (const DgAssessment   *assessment);

G_END_DECLS
