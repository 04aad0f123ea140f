/* dg-office-export.h: writing a month's assessment to a file off the main loop.
 *
 * The office page's export runs common/'s writers (dg-assessment.h) over a DgMonthReport in a
 * worker thread and hears of their progress on its own main context.
 */
#pragma once

#include <gio/gio.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

/* Called on the main context of the dg_office_export_async() call with the part written so far
 * (0 to 1), while the export runs. */
typedef void (*DgOfficeExportProgress) (GObject *source_object,
                                        double   fraction);

/* Writes @report's assessment as @format to @path: the workbook, the PDF, or the ranking as CSV
 * (the JSON format is not a file the office saves). @source_object is the task's, and is held
 * until the export is done; @progress may be NULL. */
void     dg_office_export_async  (GObject                *source_object,
                                  DgMonthReport          *report,
                                  DgAssessmentFormat      format,
                                  const char             *path,
                                  DgOfficeExportProgress  progress,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data);
gboolean dg_office_export_finish (GAsyncResult           *result,
                                  GError                **error);

G_END_DECLS
