/* dg-office-export.c */

#define G_LOG_DOMAIN "dg-office-export"

#include "config.h"

#include "dg-office-export.h"

typedef struct
{
  GMainContext           *context;
  DgMonthReport          *report;
  DgAssessmentFormat      format;
  char                   *path;
  DgOfficeExportProgress  progress;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_object (&data->report);
  g_free (data->path);
  g_free (data);
}

typedef struct
{
  GTask  *task;
  double  fraction;
} ExportProgress;

static void
export_progress_free (ExportProgress *progress)
{
  g_object_unref (progress->task);
  g_free (progress);
}

static gboolean
export_progress_cb (gpointer user_data)
{
  ExportProgress *progress = user_data;
  ExportData *data = g_task_get_task_data (progress->task);

  data->progress (g_task_get_source_object (progress->task), progress->fraction);
  return G_SOURCE_REMOVE;
}

/* Called in the worker thread by the writers. Each report holds the task, and so its source
 * object, until it has been heard on the caller's context. */
static void
export_report_progress (double   fraction,
                        gpointer user_data)
{
  GTask *task = user_data;
  ExportData *data = g_task_get_task_data (task);
  ExportProgress *progress;

  if (data->progress == NULL)
    return;

  progress = g_new0 (ExportProgress, 1);
  progress->task = g_object_ref (task);
  progress->fraction = fraction;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, export_progress_cb, progress,
                              (GDestroyNotify) export_progress_free);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;
  /* The writers borrow the reports and never change them. */
  DgAssessment assessment = {
    .district = NULL,
    .month = dg_month_report_get_month (data->report),
    .generated_at = NULL,
    .dustfall = (DgDustfallReport *) dg_month_report_get_dustfall (data->report),
    .roads = (DgRoadReport *) dg_month_report_get_roads (data->report),
    .quota = (DgQuotaReport *) dg_month_report_get_quota (data->report),
  };

  switch (data->format)
    {
    case DG_ASSESSMENT_FORMAT_XLSX:
      ok = dg_assessment_write_xlsx (&assessment, data->path, export_report_progress, task,
                                     &error);
      break;
    case DG_ASSESSMENT_FORMAT_PDF:
      ok = dg_assessment_write_pdf (&assessment, data->path, export_report_progress, task,
                                    &error);
      break;
    case DG_ASSESSMENT_FORMAT_CSV:
      ok = dg_assessment_write_csv (&assessment, DG_ASSESSMENT_SECTION_DUSTFALL, data->path,
                                    &error);
      export_report_progress (1.0, task);
      break;
    case DG_ASSESSMENT_FORMAT_JSON:
    default:
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "unsupported format");
      break;
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dg_office_export_async (GObject                *source_object,
                        DgMonthReport          *report,
                        DgAssessmentFormat      format,
                        const char             *path,
                        DgOfficeExportProgress  progress,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (DG_IS_MONTH_REPORT (report));
  g_return_if_fail (path != NULL);

  data = g_new0 (ExportData, 1);
  data->context = g_main_context_ref_thread_default ();
  data->report = g_object_ref (report);
  data->format = format;
  data->path = g_strdup (path);
  data->progress = progress;

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_office_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
dg_office_export_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_office_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
