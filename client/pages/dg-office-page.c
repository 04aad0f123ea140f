/* dg-office-page.c
 *
 * The page is a shell: it holds the month, loads its DgMonthReport off the main loop (common/'s
 * report builders over the local store) and hands it to one widget per tab (office/), which
 * only format it. What concerns the whole month stays here: the month picker and its summary,
 * the export, and the server actions (close, reopen, and the returns the Records tab asks
 * for), which DgOfficeRequests sends and offers as common/'s policy table allows the
 * session's role.
 */

#define G_LOG_DOMAIN "dg-office-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-office-page.h"
#include "dg-trend-dialog.h"
#include "dg-utils.h"
#include "office/dg-charts-tab.h"
#include "office/dg-office-export.h"
#include "office/dg-office-requests.h"
#include "office/dg-quota-tab.h"
#include "office/dg-records-tab.h"
#include "office/dg-roads-tab.h"

#define RELOAD_DELAY_MS 250

struct _DgOfficePage
{
  GtkWidget          parent_instance;

  GtkLabel          *month_label;
  GtkSpinner        *spinner;
  GtkRevealer       *progress_revealer;
  GtkProgressBar    *export_progress;
  GtkLabel          *summary_label;
  AdwViewStack      *stack;
  DgRankingTab      *ranking_tab;
  DgChartsTab       *charts_tab;
  DgRoadsTab        *roads_tab;
  DgQuotaTab        *quota_tab;
  DgRecordsTab      *records_tab;

  DgLocalStore      *store;
  DgOfficeRequests  *requests;         /* close, reopen, return, and whether they are allowed */
  char              *month;
  DgMonthReport     *report;
  gboolean           loading;
  GCancellable      *load_cancellable;
  GCancellable      *cancellable;      /* exports; cancelled in dispose */
  guint              reload_id;
  gboolean           stale;            /* the store or the month changed while hidden */

  GtkNativeDialog   *chooser;
  DgAssessmentFormat export_format;
  gboolean           exporting;
};

G_DEFINE_FINAL_TYPE (DgOfficePage, dg_office_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONTH,
  PROP_LOADING,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Helpers ---- */

static void
show_toast (DgOfficePage *self,
            const char   *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_debug ("%s", text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static GtkWindow *
get_window (DgOfficePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ---- The month shown ---- */

static void
fill_summary (DgOfficePage *self)
{
  const DgDustfallReport *dustfall = dg_month_report_get_dustfall (self->report);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *cap = NULL;

  if (dustfall == NULL)
    return;

  if (dustfall->has_district_mean)
    {
      g_autofree char *mean = dg_format_number (dustfall->district_mean, 1);

      /* Translators: the district mean of the month's dust-fall, t/(km²·30d) */
      g_string_append_printf (text, _("District mean %s"), mean);
      g_string_append (text, " · ");
    }
  cap = dg_format_number (dustfall->cap, 1);
  /* Translators: exceeding cells of all cells, and the month's cap */
  g_string_append_printf (text, _("%u of %u cells above the cap of %s"),
                          dustfall->n_exceeding, dustfall->cells->len, cap);
  if (dustfall->n_ranked < dustfall->cells->len)
    {
      g_string_append (text, " · ");
      /* Translators: cells without a valid sample this month (缺测) */
      g_string_append_printf (text, _("%u without data"),
                              dustfall->cells->len - dustfall->n_ranked);
    }
  gtk_label_set_label (self->summary_label, text->str);
}

static void
set_report (DgOfficePage  *self,
            DgMonthReport *report)
{
  if (!g_set_object (&self->report, report))
    return;

  gtk_label_set_label (self->summary_label, "");
  if (report != NULL)
    fill_summary (self);
  dg_ranking_tab_set_report (self->ranking_tab, report);
  dg_charts_tab_set_report (self->charts_tab, report);
  dg_roads_tab_set_report (self->roads_tab, report);
  dg_quota_tab_set_report (self->quota_tab, report);
  dg_records_tab_set_report (self->records_tab, report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", report != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
set_loading (DgOfficePage *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- Loading ---- */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DgOfficePage) self = user_data;
  g_autoptr(DgMonthReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = dg_month_report_load_finish (result, &error);
  /* Cancelled: a newer load (another month, newer records) or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (report == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  /* The month may have changed while a load for it was already done: only the current one. */
  if (g_strcmp0 (dg_month_report_get_month (report), self->month) == 0)
    set_report (self, report);
}

static void
reload (DgOfficePage *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->stale = FALSE;

  if (self->store == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  dg_month_report_load_async (self->store, self->month, NULL, self->load_cancellable, load_cb,
                              g_object_ref (self));
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  DgOfficePage *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Hidden (an inspector's session never shows it), the page does not read the month: a report
 * reads every record of the store, and a sync changes it after each batch. */
static void
reload_when_shown (DgOfficePage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->stale = TRUE;
}

static void
store_changed_cb (DgOfficePage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  /* A pull stores records in bursts: build the month once they have settled. */
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* A row of the ranking, a bar of its chart or a cell of the map: that cell's trend. */
static void
cell_activated_cb (DgOfficePage *self,
                   const char   *cell_id)
{
  GtkWidget *dialog;

  if (self->report == NULL || cell_id == NULL)
    return;

  dialog = dg_trend_dialog_new (get_window (self), self->report, cell_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Server actions: close, reopen, return ---- */

/* The requests say what common/'s policy table lets the session's role do. */
static void
update_session_actions (DgOfficePage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.close-month",
                                 dg_office_requests_get_can_close (self->requests));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.reopen-month",
                                 dg_office_requests_get_can_reopen (self->requests));
  dg_records_tab_set_can_return (self->records_tab,
                                 dg_office_requests_get_can_return (self->requests));
}

/* The Records tab asked for the record back, with the reason the user gave. */
static void
return_record_cb (DgOfficePage *self,
                  const char   *id,
                  const char   *reason,
                  DgRecordsTab *tab)
{
  dg_office_requests_return_record (self->requests, id, reason);
}

/* ---- Export ---- */

static void
export_progress_cb (GObject *source,
                    double   fraction)
{
  DgOfficePage *self = DG_OFFICE_PAGE (source);

  if (self->exporting)
    gtk_progress_bar_set_fraction (self->export_progress, fraction);
}

static void
export_thread_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  DgOfficePage *self = DG_OFFICE_PAGE (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  self->exporting = FALSE;
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", self->report != NULL);

  if (dg_office_export_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DgOfficePage *self = DG_OFFICE_PAGE (source);
  g_autofree char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!dg_office_page_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the export failed; %s says why */
      text = g_strdup_printf (_("Could not export: %s"), error->message);
    }
  else
    {
      g_autofree char *name = g_filename_display_basename (path);

      /* Translators: %s is the exported file's name */
      text = g_strdup_printf (_("Exported “%s”"), name);
    }
  show_toast (self, text);
}

static void
chooser_response_cb (DgOfficePage    *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        dg_office_page_export_async (self, self->export_format, path, self->cancellable,
                                     export_done_cb, g_strdup (path));
      else
        show_toast (self, _("Choose a file on this computer"));
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  DgAssessmentFormat format;
  DgAssessment assessment = { 0 };

  if (self->report == NULL || self->exporting || self->chooser != NULL)
    return;
  if (!dg_assessment_format_from_string (g_variant_get_string (parameter, NULL), &format))
    return;

  assessment.month = self->month;
  name = dg_assessment_suggest_filename (&assessment, format, DG_ASSESSMENT_SECTION_DUSTFALL);

  chooser = gtk_file_chooser_native_new (_("Export the Assessment"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  switch (format)
    {
    case DG_ASSESSMENT_FORMAT_XLSX:
      gtk_file_filter_set_name (filter, _("Excel Workbooks"));
      gtk_file_filter_add_suffix (filter, "xlsx");
      break;
    case DG_ASSESSMENT_FORMAT_PDF:
      gtk_file_filter_set_name (filter, _("PDF Documents"));
      gtk_file_filter_add_suffix (filter, "pdf");
      break;
    case DG_ASSESSMENT_FORMAT_CSV:
    case DG_ASSESSMENT_FORMAT_JSON:
    default:
      gtk_file_filter_set_name (filter, _("CSV Files"));
      gtk_file_filter_add_suffix (filter, "csv");
      break;
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  self->export_format = format;
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Other actions ---- */

static void
step_month (DgOfficePage *self,
            int           months)
{
  g_autofree char *month = dg_month_add (self->month, months);

  dg_office_page_set_month (self, month);
}

static void
previous_month_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  step_month (DG_OFFICE_PAGE (widget), -1);
}

static void
next_month_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  step_month (DG_OFFICE_PAGE (widget), 1);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (DG_OFFICE_PAGE (widget));
}

static void
close_month_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);

  /* The report names the records a refusal lists, if it is this month's. */
  dg_office_requests_close_month (self->requests, get_window (self), self->month,
                                  self->report != NULL &&
                                  g_strcmp0 (dg_month_report_get_month (self->report),
                                             self->month) == 0 ? self->report : NULL);
}

static void
reopen_month_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);

  dg_office_requests_reopen_month (self->requests, get_window (self), self->month);
}

/* ---- GObject ---- */

static void
dg_office_page_map (GtkWidget *widget)
{
  DgOfficePage *self = DG_OFFICE_PAGE (widget);

  GTK_WIDGET_CLASS (dg_office_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
dg_office_page_dispose (GObject *object)
{
  DgOfficePage *self = (DgOfficePage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  if (self->requests != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->requests, self);
      dg_office_requests_cancel (self->requests);
    }
  g_clear_object (&self->requests);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_OFFICE_PAGE);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->report);
  g_clear_object (&self->store);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_office_page_parent_class)->dispose (object);
}

static void
dg_office_page_finalize (GObject *object)
{
  DgOfficePage *self = (DgOfficePage *)object;

  g_clear_pointer (&self->month, g_free);

  G_OBJECT_CLASS (dg_office_page_parent_class)->finalize (object);
}

static void
dg_office_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DgOfficePage *self = DG_OFFICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      g_value_set_string (value, self->month);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DgOfficePage *self = DG_OFFICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      dg_office_page_set_month (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_page_class_init (DgOfficePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_office_page_dispose;
  object_class->finalize = dg_office_page_finalize;
  object_class->get_property = dg_office_page_get_property;
  object_class->set_property = dg_office_page_set_property;

  widget_class->map = dg_office_page_map;

  properties[PROP_MONTH] =
    g_param_spec_string ("month", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DG_TYPE_MONTH_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DG_TYPE_RANKING_TAB);
  g_type_ensure (DG_TYPE_CHARTS_TAB);
  g_type_ensure (DG_TYPE_ROADS_TAB);
  g_type_ensure (DG_TYPE_QUOTA_TAB);
  g_type_ensure (DG_TYPE_RECORDS_TAB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-office-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, month_label);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, stack);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, ranking_tab);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, charts_tab);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, roads_tab);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, quota_tab);
  gtk_widget_class_bind_template_child (widget_class, DgOfficePage, records_tab);
  gtk_widget_class_bind_template_callback (widget_class, cell_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, return_record_cb);

  gtk_widget_class_install_action (widget_class, "office.previous-month", NULL,
                                   previous_month_action);
  gtk_widget_class_install_action (widget_class, "office.next-month", NULL, next_month_action);
  gtk_widget_class_install_action (widget_class, "office.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "office.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "office.close-month", NULL,
                                   close_month_action);
  gtk_widget_class_install_action (widget_class, "office.reopen-month", NULL,
                                   reopen_month_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_office_page_init (DgOfficePage *self)
{
  g_autofree char *today = dg_date_today ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->month = dg_date_month (today);
  gtk_label_set_label (self->month_label, self->month);

  self->requests = dg_office_requests_new ();
  g_signal_connect_object (self->requests, "notify", G_CALLBACK (update_session_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->requests, "finished", G_CALLBACK (show_toast), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", FALSE);
  update_session_actions (self);
}

/* ---- Public API ---- */

GtkWidget *
dg_office_page_new (void)
{
  return g_object_new (DG_TYPE_OFFICE_PAGE, NULL);
}

void
dg_office_page_set_store (DgOfficePage *self,
                          DgLocalStore *store)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (store == NULL || DG_IS_LOCAL_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  reload_when_shown (self);
}

void
dg_office_page_set_engine (DgOfficePage *self,
                           DgSyncEngine *engine)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (engine == NULL || DG_IS_SYNC_ENGINE (engine));

  dg_office_requests_set_engine (self->requests, engine);
}

const char *
dg_office_page_get_month (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->month;
}

void
dg_office_page_set_month (DgOfficePage *self,
                          const char   *month)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (dg_month_is_valid (month));

  if (g_strcmp0 (self->month, month) == 0)
    return;
  g_free (self->month);
  self->month = g_strdup (month);
  gtk_label_set_label (self->month_label, month);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH]);
  reload_when_shown (self);
}

void
dg_office_page_reload (DgOfficePage *self)
{
  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  reload (self);
}

gboolean
dg_office_page_get_loading (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), FALSE);
  return self->loading;
}

DgMonthReport *
dg_office_page_get_report (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return self->report;
}

char *
dg_office_page_dup_ranking_text (DgOfficePage   *self,
                                 guint           position,
                                 DgOfficeColumn  column)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_ranking_tab_dup_text (self->ranking_tab, position, column);
}

GtkColumnView *
dg_office_page_get_ranking_view (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_ranking_tab_get_view (self->ranking_tab);
}

GtkColumnView *
dg_office_page_get_roads_view (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_roads_tab_get_view (self->roads_tab);
}

DgRankingChart *
dg_office_page_get_ranking_chart (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_charts_tab_get_ranking_chart (self->charts_tab);
}

DgGridMap *
dg_office_page_get_grid_map (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_charts_tab_get_grid_map (self->charts_tab);
}

GtkGrid *
dg_office_page_get_quota_grid (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_quota_tab_get_grid (self->quota_tab);
}

GtkListBox *
dg_office_page_get_records_list (DgOfficePage *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), NULL);
  return dg_records_tab_get_list (self->records_tab);
}

void
dg_office_page_export_async (DgOfficePage        *self,
                             DgAssessmentFormat   format,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DG_IS_OFFICE_PAGE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_office_page_export_async);

  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The month is not loaded yet"));
      return;
    }
  if (self->exporting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("An export is already running"));
      return;
    }

  self->exporting = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "office.export", FALSE);
  gtk_progress_bar_set_fraction (self->export_progress, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);

  /* The writers run in a worker thread; the page's state is put back on the main context
   * before the caller hears of the result. */
  dg_office_export_async (G_OBJECT (self), self->report, format, path, export_progress_cb,
                          cancellable, export_thread_done_cb, g_steal_pointer (&task));
}

gboolean
dg_office_page_export_finish (DgOfficePage  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DG_IS_OFFICE_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dg_office_page_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
