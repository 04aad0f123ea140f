/* dg-office-requests.c
 *
 * Each request is one DgOfficeActions call through the engine's API client, so the configured
 * CA file and the session's token apply.
 */

#define G_LOG_DOMAIN "dg-office-requests"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dg-messages.h"
#include "dg-office-actions.h"
#include "dg-office-requests.h"

struct _DgOfficeRequests
{
  GObject       parent_instance;

  DgSyncEngine *engine;
  GCancellable *cancellable;
  gboolean      can_close;
  gboolean      can_reopen;
  gboolean      can_return;
};

G_DEFINE_FINAL_TYPE (DgOfficeRequests, dg_office_requests, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_CLOSE,
  PROP_CAN_REOPEN,
  PROP_CAN_RETURN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- What the session may ask ---- */

static void
set_allowed (DgOfficeRequests *self,
             gboolean         *field,
             gboolean          allowed,
             guint             prop)
{
  if (*field == allowed)
    return;
  *field = allowed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Offer only what common/'s policy table lets the session's role do. */
static void
update_allowed (DgOfficeRequests *self)
{
  const char *name = NULL;
  DgRole role;
  gboolean known;

  if (self->engine != NULL && dg_sync_engine_get_signed_in (self->engine))
    name = dg_token_store_get_role (dg_sync_engine_get_tokens (self->engine));
  known = dg_role_from_string (name, &role);

  set_allowed (self, &self->can_close,
               known && dg_policy_allows (role, DG_ACTION_CLOSE_MONTH, DG_SCOPE_ANY),
               PROP_CAN_CLOSE);
  set_allowed (self, &self->can_reopen,
               known && dg_policy_allows (role, DG_ACTION_REOPEN_MONTH, DG_SCOPE_ANY),
               PROP_CAN_REOPEN);
  set_allowed (self, &self->can_return,
               known && dg_policy_allows (role, DG_ACTION_RETURN_RECORD, DG_SCOPE_ANY),
               PROP_CAN_RETURN);
}

/* ---- Sending ---- */

static DgOfficeActions *
make_actions (DgOfficeRequests *self)
{
  if (self->engine != NULL)
    return dg_office_actions_new_for_engine (self->engine);
  return dg_office_actions_new (NULL, NULL);
}

static void
finish (DgOfficeRequests *self,
        GError           *error,
        const char       *done)
{
  if (error != NULL)
    {
      g_autofree char *why = dg_describe_error (error);
      /* Translators: an office action the server refused or could not take; %s says why */
      g_autofree char *text = g_strdup_printf (_("Not done: %s"), why);

      g_signal_emit (self, signals[FINISHED], 0, text);
      return;
    }

  g_signal_emit (self, signals[FINISHED], 0, done);
  /* The server's new states (a returned record) reach this device with the next pull. */
  if (self->engine != NULL)
    dg_sync_engine_sync_now (self->engine);
}

/* A close on its way: the window to ask in again if the server refuses it. */
typedef struct
{
  DgOfficeRequests *self;
  GtkWindow        *parent;
  char             *month;
  DgMonthReport    *report;  /* names the records a refusal lists, or NULL */
} Closing;

static void
closing_free (Closing *closing)
{
  g_object_unref (closing->self);
  g_clear_object (&closing->parent);
  g_clear_object (&closing->report);
  g_free (closing->month);
  g_free (closing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Closing, closing_free)

static void close_done_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
send_close (DgOfficeRequests *self,
            GtkWindow        *parent,
            const char       *month,
            DgMonthReport    *report,
            gboolean          force)
{
  g_autoptr(DgOfficeActions) actions = make_actions (self);
  Closing *closing = g_new0 (Closing, 1);

  closing->self = g_object_ref (self);
  closing->parent = parent != NULL ? g_object_ref (parent) : NULL;
  closing->month = g_strdup (month);
  closing->report = report != NULL ? g_object_ref (report) : NULL;
  dg_office_actions_close_month_async (actions, month, force, self->cancellable, close_done_cb,
                                       closing);
}

static void
force_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  Closing *closing = user_data;

  if (g_strcmp0 (response, "force") == 0)
    send_close (closing->self, closing->parent, closing->month, closing->report, TRUE);
}

static const DgMonthRecord *
find_record (DgMonthReport *report,
             const char    *id)
{
  GPtrArray *records;

  if (report == NULL)
    return NULL;
  records = dg_month_report_get_records (report);
  for (guint i = 0; i < records->len; i++)
    {
      const DgMonthRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (record->id, id) == 0)
        return record;
    }
  return NULL;
}

/* One row per record the refusal names, as the records tab titles it, with the reason it went
 * back for; a record this device has not pulled yet shows its id. */
static GtkWidget *
returned_list_new (DgMonthReport      *report,
                   const char * const *ids)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scrolled;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Records still returned"), -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const DgMonthRecord *record = find_record (report, ids[i]);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     record != NULL ? record->title : ids[i]);
      if (record != NULL && record->reason != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), record->reason);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  /* A month with many returned records scrolls rather than growing past the screen. */
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  return scrolled;
}

/* Design 6.7: records of the month are still returned for correction. The server's words say
 * how many, the list below them which; closing anyway leaves them returned and frozen, which
 * the office must choose. */
static void
confirm_force (Closing      *closing,  /* (transfer full) */
               const GError *error)
{
  const char * const *ids = dg_error_get_records (error);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (closing->parent, _("Records Still Returned"), error->message);
  if (ids != NULL && ids[0] != NULL)
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                        returned_list_new (closing->report, ids));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "force", _("Close _Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (force_response_cb), closing,
                         (GClosureNotify) closing_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Closing) closing = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_close_month_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, DG_ERROR, DG_ERROR_CONFLICT))
    {
      confirm_force (g_steal_pointer (&closing), error);
      return;
    }
  finish (closing->self, error, _("Month closed: its records are frozen"));
}

static void
reopen_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DgOfficeRequests) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_reopen_month_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  finish (self, error, _("Month reopened"));
}

static void
return_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DgOfficeRequests) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dg_office_actions_return_record_finish (DG_OFFICE_ACTIONS (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  finish (self, error, _("Record returned to its inspector"));
}

/* ---- Confirming ---- */

static void
month_response_cb (DgOfficeRequests *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  g_autoptr(DgOfficeActions) actions = NULL;
  const char *month = g_object_get_data (G_OBJECT (dialog), "dg-month");

  actions = make_actions (self);
  if (g_strcmp0 (response, "close") == 0)
    send_close (self, gtk_window_get_transient_for (GTK_WINDOW (dialog)), month,
                g_object_get_data (G_OBJECT (dialog), "dg-report"), FALSE);
  else if (g_strcmp0 (response, "reopen") == 0)
    dg_office_actions_reopen_month_async (actions, month, self->cancellable, reopen_done_cb,
                                          g_object_ref (self));
}

static void
confirm_month (DgOfficeRequests *self,
               GtkWindow        *parent,
               const char       *month,
               DgMonthReport    *report,
               gboolean          close)
{
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (close)
    {
      /* Translators: %s is a month, YYYY-MM */
      heading = g_strdup_printf (_("Close %s?"), month);
      dialog = adw_message_dialog_new (parent, heading,
                                       _("The month’s records are frozen: inspectors can no "
                                         "longer change them until an administrator reopens "
                                         "the month."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "close", _("C_lose Month"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      /* Translators: %s is a month, YYYY-MM */
      heading = g_strdup_printf (_("Reopen %s?"), month);
      dialog = adw_message_dialog_new (parent, heading,
                                       _("Inspectors can change the month’s records again. "
                                         "Only an administrator may reopen a month."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "reopen", _("_Reopen Month"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reopen",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dg-month", g_strdup (month), g_free);
  if (report != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "dg-report", g_object_ref (report),
                            g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (month_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
dg_office_requests_dispose (GObject *object)
{
  DgOfficeRequests *self = (DgOfficeRequests *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dg_office_requests_parent_class)->dispose (object);
}

static void
dg_office_requests_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DgOfficeRequests *self = DG_OFFICE_REQUESTS (object);

  switch (prop_id)
    {
    case PROP_CAN_CLOSE:
      g_value_set_boolean (value, self->can_close);
      break;
    case PROP_CAN_REOPEN:
      g_value_set_boolean (value, self->can_reopen);
      break;
    case PROP_CAN_RETURN:
      g_value_set_boolean (value, self->can_return);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_office_requests_class_init (DgOfficeRequestsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_office_requests_dispose;
  object_class->get_property = dg_office_requests_get_property;

  properties[PROP_CAN_CLOSE] =
    g_param_spec_boolean ("can-close", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REOPEN] =
    g_param_spec_boolean ("can-reopen", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_RETURN] =
    g_param_spec_boolean ("can-return", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A request ended (not cancelled): what was done, or why not, for a toast. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dg_office_requests_init (DgOfficeRequests *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ---- Public API ---- */

DgOfficeRequests *
dg_office_requests_new (void)
{
  return g_object_new (DG_TYPE_OFFICE_REQUESTS, NULL);
}

void
dg_office_requests_set_engine (DgOfficeRequests *self,
                               DgSyncEngine     *engine)
{
  g_return_if_fail (DG_IS_OFFICE_REQUESTS (self));
  g_return_if_fail (engine == NULL || DG_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect_object (engine, "notify::signed-in", G_CALLBACK (update_allowed), self,
                             G_CONNECT_SWAPPED);
  update_allowed (self);
}

gboolean
dg_office_requests_get_can_close (DgOfficeRequests *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_REQUESTS (self), FALSE);
  return self->can_close;
}

gboolean
dg_office_requests_get_can_reopen (DgOfficeRequests *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_REQUESTS (self), FALSE);
  return self->can_reopen;
}

gboolean
dg_office_requests_get_can_return (DgOfficeRequests *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_REQUESTS (self), FALSE);
  return self->can_return;
}

void
dg_office_requests_close_month (DgOfficeRequests *self,
                                GtkWindow        *parent,
                                const char       *month,
                                DgMonthReport    *report)
{
  g_return_if_fail (DG_IS_OFFICE_REQUESTS (self));
  g_return_if_fail (dg_month_is_valid (month));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  confirm_month (self, parent, month, report, TRUE);
}

void
dg_office_requests_reopen_month (DgOfficeRequests *self,
                                 GtkWindow        *parent,
                                 const char       *month)
{
  g_return_if_fail (DG_IS_OFFICE_REQUESTS (self));
  g_return_if_fail (dg_month_is_valid (month));

  confirm_month (self, parent, month, NULL, FALSE);
}

void
dg_office_requests_return_record (DgOfficeRequests *self,
                                  const char       *record_id,
                                  const char       *reason)
{
  g_autoptr(DgOfficeActions) actions = NULL;

  g_return_if_fail (DG_IS_OFFICE_REQUESTS (self));
  g_return_if_fail (record_id != NULL);
  g_return_if_fail (reason != NULL);

  actions = make_actions (self);
  dg_office_actions_return_record_async (actions, record_id, reason, self->cancellable,
                                         return_done_cb, g_object_ref (self));
}

void
dg_office_requests_cancel (DgOfficeRequests *self)
{
  g_return_if_fail (DG_IS_OFFICE_REQUESTS (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}
