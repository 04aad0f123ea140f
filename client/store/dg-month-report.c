/* dg-month-report.c
 *
 * Loading gathers what the server's reports gather (server/dg-reports.c): the grid cells, the
 * samples of the month, the month before, the same month a year before and the months of its
 * year, the roads and the month's checks, then hands them to common/'s builders. It also keeps
 * twelve months of cell values for the trend dialog.
 */

#define G_LOG_DOMAIN "dg-month-report"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dg-month-report.h"
#include "dg-trend.h"
#include "dg-utils.h"

struct _DgMonthReport
{
  GObject           parent_instance;

  char             *month;
  DgDustfallReport *dustfall;
  DgRoadReport     *roads;
  DgQuotaReport    *quota;
  GArray           *values;
  DgRuleSet        *rules;
  GPtrArray        *records;
};

G_DEFINE_FINAL_TYPE (DgMonthReport, dg_month_report, G_TYPE_OBJECT)

static void
month_record_free (DgMonthRecord *record)
{
  g_free (record->id);
  g_free (record->title);
  g_free (record->subtitle);
  g_free (record->reason);
  g_free (record);
}

static DgMonthRecord *
month_record_new (DgStoreEntry *entry,
                  char         *title,
                  char         *subtitle)
{
  DgMonthRecord *record = g_new0 (DgMonthRecord, 1);

  record->type = entry->type;
  record->id = g_strdup (entry->id);
  record->title = title;
  record->subtitle = subtitle;
  record->state = entry->state;
  record->reason = g_strdup (entry->reason);
  record->on_server = entry->rev > 0;

  return record;
}

static const DgGridCell *
find_grid_cell (GPtrArray  *cells,
                const char *cell_id)
{
  for (guint i = 0; i < cells->len; i++)
    {
      DgGridCell *cell = g_ptr_array_index (cells, i);

      if (g_strcmp0 (cell->id, cell_id) == 0)
        return cell;
    }
  return NULL;
}

static void
dg_month_report_finalize (GObject *object)
{
  DgMonthReport *self = (DgMonthReport *)object;

  g_clear_pointer (&self->month, g_free);
  g_clear_pointer (&self->dustfall, dg_dustfall_report_free);
  g_clear_pointer (&self->roads, dg_road_report_free);
  g_clear_pointer (&self->quota, dg_quota_report_free);
  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);

  G_OBJECT_CLASS (dg_month_report_parent_class)->finalize (object);
}

static void
dg_month_report_class_init (DgMonthReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_month_report_finalize;
}

static void
dg_month_report_init (DgMonthReport *self)
{
}

DgMonthReport *
dg_month_report_new (const char       *month,
                     DgDustfallReport *dustfall,
                     DgRoadReport     *roads,
                     DgQuotaReport    *quota,
                     GArray           *values,
                     DgRuleSet        *rules,
                     GPtrArray        *records)
{
  DgMonthReport *self;

  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  self = g_object_new (DG_TYPE_MONTH_REPORT, NULL);
  self->month = g_strdup (month);
  self->dustfall = dustfall;
  self->roads = roads;
  self->quota = quota;
  self->values = values;
  self->rules = rules;
  self->records = records != NULL
    ? records : g_ptr_array_new_with_free_func ((GDestroyNotify) month_record_free);

  return self;
}

DgMonthReport *
dg_month_report_load (DgLocalStore  *store,
                      const char    *month,
                      const char    *today,
                      GError       **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_dustfall_sample_free);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_road_check_free);
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GArray) values = NULL;
  g_autofree char *first = NULL;
  g_autofree char *local_today = NULL;
  DgDustfallReport *dustfall;
  DgRoadReport *road_report;
  DgQuotaReport *quota;
  GPtrArray *records;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (today == NULL)
    today = local_today = dg_date_today ();

  cells = dg_local_store_list_grid_cells (store);
  roads = dg_local_store_list_roads (store);
  rules = dg_local_store_get_rules (store);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) month_record_free);

  /* Checks of the month, oldest first for the list of records (the store lists newest first). */
  entries = dg_local_store_list_entries (store, DG_RECORD_ROAD_CHECK);
  for (guint i = entries->len; i-- > 0; )
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) local_error = NULL;
      DgRoadCheck *check;

      if (entry->sort_key == NULL || !g_str_has_prefix (entry->sort_key, month))
        continue;
      check = dg_record_data_from_json (DG_RECORD_ROAD_CHECK, entry->id, entry->data,
                                        &local_error);
      if (check == NULL)
        {
          g_debug ("Skipping check %s: %s", entry->id, local_error->message);
          continue;
        }
      check->author = g_strdup (entry->author);
      g_ptr_array_add (checks, check);
      g_ptr_array_add (records, month_record_new (
        entry,
        /* Translators: a road check in the office's list: road name · date */
        g_strdup_printf (_("%s · %s"), dg_road_name (roads, check->road_id), check->date),
        /* Translators: who recorded a check, and its number of sampling points */
        g_strdup_printf (ngettext ("%s · %u point", "%s · %u points", check->points->len),
                         entry->author ? entry->author : _("this device"), check->points->len)));
    }
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Samples from a year before the month up to it: the months the ranking reads
   * (dg_dustfall_report_months()) and the twelve months of a trend. */
  first = dg_month_add (month, -12);
  entries = dg_local_store_list_entries (store, DG_RECORD_DUSTFALL_SAMPLE);
  for (guint i = entries->len; i-- > 0; )
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) local_error = NULL;
      DgDustfallSample *sample;

      if (entry->sort_key == NULL || strcmp (entry->sort_key, first) < 0
          || strcmp (entry->sort_key, month) > 0)
        continue;
      sample = dg_record_data_from_json (DG_RECORD_DUSTFALL_SAMPLE, entry->id, entry->data,
                                         &local_error);
      if (sample == NULL)
        {
          g_debug ("Skipping sample %s: %s", entry->id, local_error->message);
          continue;
        }
      g_ptr_array_add (samples, sample);

      if (strcmp (sample->month, month) == 0)
        {
          const DgGridCell *cell = find_grid_cell (cells, sample->cell_id);

          g_ptr_array_add (records, month_record_new (
            entry,
            /* Translators: a dust-fall sample in the office's list: cell code, site, jar */
            g_strdup_printf (_("%s · site %s, jar %c"), cell ? cell->code : sample->cell_id,
                             sample->site, sample->jar),
            g_strdup (entry->author ? entry->author : _("this device"))));
        }
    }

  values = dg_cell_months_from_samples (samples);
  /* Built before the hand-over below: arguments are evaluated in no fixed order. */
  dustfall = dg_dustfall_report_build (month, cells, values, rules);
  road_report = dg_road_report_build (month, roads, checks, rules);
  quota = dg_quota_report_build (month, checks, rules, today);

  return dg_month_report_new (month, dustfall, road_report, quota, g_steal_pointer (&values),
                              g_steal_pointer (&rules), records);
}

typedef struct
{
  DgLocalStore *store;
  char         *month;
  char         *today;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_free (data->month);
  g_free (data->today);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  DgMonthReport *report;

  report = dg_month_report_load (data->store, data->month, data->today, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

void
dg_month_report_load_async (DgLocalStore        *store,
                            const char          *month,
                            const char          *today,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (DG_IS_LOCAL_STORE (store));
  g_return_if_fail (dg_month_is_valid (month));

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (store);
  data->month = g_strdup (month);
  data->today = g_strdup (today);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_month_report_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

DgMonthReport *
dg_month_report_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_month_report_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
dg_month_report_get_month (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->month;
}

const DgDustfallReport *
dg_month_report_get_dustfall (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->dustfall;
}

const DgRoadReport *
dg_month_report_get_roads (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->roads;
}

const DgQuotaReport *
dg_month_report_get_quota (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->quota;
}

const DgRuleSet *
dg_month_report_get_rules (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->rules;
}

GPtrArray *
dg_month_report_get_records (DgMonthReport *self)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  return self->records;
}

const DgCellRank *
dg_month_report_find_cell (DgMonthReport *self,
                           const char    *cell_id)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);

  if (self->dustfall == NULL || cell_id == NULL)
    return NULL;
  for (guint i = 0; i < self->dustfall->cells->len; i++)
    {
      const DgCellRank *cell = g_ptr_array_index (self->dustfall->cells, i);

      if (g_strcmp0 (cell->cell_id, cell_id) == 0)
        return cell;
    }
  return NULL;
}

GArray *
dg_month_report_trend (DgMonthReport *self,
                       const char    *cell_id)
{
  g_return_val_if_fail (DG_IS_MONTH_REPORT (self), NULL);
  g_return_val_if_fail (cell_id != NULL, NULL);

  return dg_trend_series (cell_id, self->month, DG_MONTH_REPORT_TREND_MONTHS, self->values,
                          self->rules);
}
