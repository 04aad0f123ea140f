/* dg-sync-engine.c
 *
 * A run is one GTask in a worker thread with its own SoupSession: push the outbox in batches,
 * then pull. The main thread only keeps the state the header bar shows, the timers and the
 * queue of callers waiting for a run.
 */

#define G_LOG_DOMAIN "dg-sync-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "dg-sync-engine-private.h"

#define DEBOUNCE_MS        2000
#define BACKOFF_MIN_MS     2000
#define BACKOFF_MAX_MS     (5 * 60 * 1000)
#define DEFAULT_INTERVAL_S 300
#define HTTP_TIMEOUT_S     30


G_DEFINE_FINAL_TYPE (DgSyncEngine, dg_sync_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (DgSyncState, dg_sync_state,
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_SYNCED, "synced"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (DG_SYNC_STATE_SIGN_IN_REQUIRED, "sign-in-required"))

G_DEFINE_QUARK (dg-sync-error-quark, dg_sync_error)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_CA_FILE,
  PROP_INTERVAL,
  PROP_STATE,
  PROP_N_PENDING,
  PROP_PROGRESS,
  PROP_MESSAGE,
  PROP_SIGNED_IN,
  N_PROPS
};

enum {
  SIGN_IN_REQUIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_run (DgSyncEngine *self);

/* ---- Worker thread ---- */

typedef struct
{
  DgSyncEngine *engine;       /* only touched through report_progress() */
  DgLocalStore *store;
  DgApiClient  *api;
  char         *url;          /* the server the pull cursor belongs to */
} RunData;

static void
run_data_free (RunData *run)
{
  g_clear_object (&run->engine);
  g_clear_object (&run->store);
  g_clear_object (&run->api);
  g_free (run->url);
  g_free (run);
}

typedef struct
{
  DgSyncEngine *engine;
  double        progress;
} Progress;

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->engine);
  g_free (progress);
}

static gboolean
progress_cb (gpointer user_data)
{
  Progress *progress = user_data;
  DgSyncEngine *self = progress->engine;

  if (self->running && self->progress != progress->progress)
    {
      self->progress = progress->progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  return G_SOURCE_REMOVE;
}

static void
report_progress (RunData *run,
                 double   value)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->engine = g_object_ref (run->engine);
  progress->progress = value;
  g_main_context_invoke_full (run->engine->context, G_PRIORITY_DEFAULT, progress_cb,
                              progress, (GDestroyNotify) progress_free);
}

/* The API client's errors in the engine's terms (DG_SYNC_ERROR, which the state and the
 * sign-in dialog read); a cancelled run stays G_IO_ERROR_CANCELLED. */
GError *
dg_sync_engine_error_from_api (GError *error)       /* (transfer full) */
{
  g_autoptr(GError) api_error = error;
  int code = DG_SYNC_ERROR_PROTOCOL;

  if (api_error->domain == DG_API_ERROR)
    {
      switch ((DgApiError) api_error->code)
        {
        case DG_API_ERROR_NETWORK:
          code = DG_SYNC_ERROR_NETWORK;
          break;
        case DG_API_ERROR_CERTIFICATE:
          code = DG_SYNC_ERROR_CERTIFICATE;
          break;
        case DG_API_ERROR_SERVER:
          code = DG_SYNC_ERROR_SERVER;
          break;
        case DG_API_ERROR_INVALID_URL:
        case DG_API_ERROR_PROTOCOL:
        default:
          code = DG_SYNC_ERROR_PROTOCOL;
          break;
        }
      return g_error_new_literal (DG_SYNC_ERROR, code, api_error->message);
    }
  if (api_error->domain == DG_ERROR)
    {
      guint status = dg_error_code_http_status ((DgErrorCode) api_error->code);

      if (api_error->code == DG_ERROR_UNAUTHORIZED)
        code = DG_SYNC_ERROR_UNAUTHORIZED;
      else if (status >= 500)
        code = DG_SYNC_ERROR_SERVER;
      return g_error_new (DG_SYNC_ERROR, code, _("The server answered %u: %s"), status,
                          api_error->message);
    }
  return g_steal_pointer (&api_error);
}

/* {"changes":[…]} of the first @n outbox items. */
static char *
changes_body (GPtrArray *items,
              guint      n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      DgOutboxItem *item = g_ptr_array_index (items, i);
      json_builder_add_value (builder, dg_change_to_json (item->change));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  return dg_json_to_string (body);
}

static gboolean
push (RunData       *run,
      GCancellable  *cancellable,
      GError       **error)
{
  guint total = dg_local_store_count_pending (run->store);
  guint done = 0;
  guint rounds = 0;

  /* Results that do not clear the outbox (ids the server did not answer for) must not keep us
   * looping: a round that clears nothing ends the push, and a run makes at most this many. */
  guint max_rounds = total + 3;

  while (rounds++ < max_rounds)
    {
      g_autoptr(GPtrArray) items = dg_local_store_outbox_peek (run->store, DG_SYNC_BATCH);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      GError *api_error = NULL;
      JsonArray *array;
      guint before;
      guint n;

      if (items->len == 0)
        break;

      /* The server refuses bodies over DG_MAX_BODY_BYTES before reading them: long notes and
       * locations could get there, so a batch halves until it fits. Changes left out stay
       * in the outbox for the next round. */
      for (n = items->len; ; n = (n + 1) / 2)
        {
          g_clear_pointer (&text, g_free);
          text = changes_body (items, n);
          if (strlen (text) <= DG_MAX_BODY_BYTES || n == 1)
            break;
        }

      root = dg_api_client_call (run->api, DG_API_CALL_DEFAULT, "POST", "/api/v1/changes", text,
                                 cancellable, &api_error);
      if (root == NULL)
        {
          g_propagate_error (error, dg_sync_engine_error_from_api (api_error));
          return FALSE;
        }

      if (!dg_json_get_array (json_node_get_object (root), "results", &array, NULL))
        {
          g_set_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_PROTOCOL,
                       _("The server sent an answer that cannot be read"));
          return FALSE;
        }

      results = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_result_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GError) result_error = NULL;
          DgResult *result = dg_result_from_json (json_array_get_element (array, i),
                                                  &result_error);
          if (result)
            g_ptr_array_add (results, result);
          else
            g_warning ("Unreadable result %u: %s", i, result_error->message);
        }

      before = dg_local_store_count_pending (run->store);
      if (!dg_local_store_apply_results (run->store, items, results, error))
        return FALSE;

      done += n;
      report_progress (run, total ? MIN (1.0, (double) done / total) : 1.0);
      if (dg_local_store_count_pending (run->store) >= before)
        break;
    }

  return TRUE;
}

static gboolean
pull (RunData       *run,
      GCancellable  *cancellable,
      GError       **error)
{
  gint64 cursor = dg_local_store_get_cursor (run->store, run->url);
  gboolean more = TRUE;

  report_progress (run, -1);

  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GPtrArray) records = NULL;
      GError *api_error = NULL;
      JsonObject *object;
      JsonArray *array;
      gint64 next;

      path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%d", cursor,
                              DG_SYNC_BATCH);
      root = dg_api_client_call (run->api, DG_API_CALL_DEFAULT, "GET", path, NULL, cancellable,
                                 &api_error);
      if (root == NULL)
        {
          g_propagate_error (error, dg_sync_engine_error_from_api (api_error));
          return FALSE;
        }

      object = json_node_get_object (root);
      if (!dg_json_get_array (object, "changes", &array, NULL) ||
          !dg_json_get_int (object, "next", 0, G_MAXINT64, &next, NULL) ||
          !dg_json_get_bool_opt (object, "more", FALSE, &more, NULL))
        {
          g_set_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_PROTOCOL,
                       _("The server sent an answer that cannot be read"));
          return FALSE;
        }

      records = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_record_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GError) record_error = NULL;
          DgRecord *record = dg_record_from_json (json_array_get_element (array, i),
                                                  &record_error);
          if (record)
            g_ptr_array_add (records, record);
          else
            g_warning ("Skipping an unreadable record: %s", record_error->message);
        }

      /* A cursor that does not move would loop for ever. */
      if (more && next <= cursor)
        {
          g_set_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_PROTOCOL,
                       _("The server sent an answer that cannot be read"));
          return FALSE;
        }

      if (!dg_local_store_apply_pull (run->store, run->url, records, next, !more, error))
        return FALSE;
      cursor = next;
    }

  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  GError *error = NULL;

  if (push (run, cancellable, &error) && pull (run, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- Main thread ---- */

void
dg_sync_engine_set_state (DgSyncEngine *self,
           DgSyncState   state,
           const char   *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
dg_sync_engine_update_pending (DgSyncEngine *self)
{
  guint n = dg_local_store_get_n_pending (self->store);

  if (n != self->n_pending)
    {
      self->n_pending = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
}

/* The resting state: what the header bar shows between runs. */
DgSyncState
dg_sync_engine_idle_state (DgSyncEngine *self)
{
  if (!dg_sync_engine_get_signed_in (self))
    return DG_SYNC_STATE_SIGNED_OUT;
  return self->n_pending > 0 ? DG_SYNC_STATE_PENDING : DG_SYNC_STATE_SYNCED;
}

/* Exponential back-off from 2 s to 5 min; ±20 % jitter (@random in [0, 1)) so that many
 * clients coming back at once do not hit the server together. */
guint
dg_sync_engine_backoff_ms (guint  failures,
                           double random)
{
  double delay = BACKOFF_MIN_MS;

  for (guint i = 1; i < failures && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);
  delay *= 0.8 + 0.4 * random;
  return (guint) CLAMP (delay, BACKOFF_MIN_MS * 0.8, BACKOFF_MAX_MS);
}

static gboolean
retry_cb (gpointer user_data)
{
  DgSyncEngine *self = user_data;

  self->retry_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (DgSyncEngine *self)
{
  guint delay;

  if (!self->started)
    return;
  delay = dg_sync_engine_backoff_ms (self->failures, g_random_double ());
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_debug ("Retrying in %u ms (failure %u)", delay, self->failures);
  self->retry_id = g_timeout_add (delay, retry_cb, self);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DgSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *tasks;

  g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Disposed: touch nothing but the waiting tasks. */
      tasks = g_steal_pointer (&self->current);
      for (GList *l = tasks; l; l = l->next)
        g_task_return_error (l->data, g_error_copy (error));
      g_list_free_full (tasks, g_object_unref);
      return;
    }

  self->running = FALSE;
  self->progress = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  dg_sync_engine_update_pending (self);

  if (error == NULL)
    {
      self->failures = 0;
      dg_sync_engine_set_state (self, dg_sync_engine_idle_state (self), NULL);
    }
  else if (g_error_matches (error, DG_SYNC_ERROR, DG_SYNC_ERROR_UNAUTHORIZED))
    {
      /* The outbox stays: it goes out after the next sign-in. */
      dg_token_store_clear (self->tokens);
      dg_api_client_set_token (self->api, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
      dg_sync_engine_set_state (self, DG_SYNC_STATE_SIGN_IN_REQUIRED, error->message);
      g_signal_emit (self, signals[SIGN_IN_REQUIRED], 0);
    }
  else if (g_error_matches (error, DG_SYNC_ERROR, DG_SYNC_ERROR_NOT_SIGNED_IN))
    {
      dg_sync_engine_set_state (self, DG_SYNC_STATE_SIGNED_OUT, NULL);
    }
  else
    {
      self->failures++;
      if (g_error_matches (error, DG_SYNC_ERROR, DG_SYNC_ERROR_NETWORK))
        dg_sync_engine_set_state (self, DG_SYNC_STATE_OFFLINE, error->message);
      else
        dg_sync_engine_set_state (self, DG_SYNC_STATE_ERROR, error->message);
      schedule_retry (self);
    }

  tasks = g_steal_pointer (&self->current);
  for (GList *l = tasks; l; l = l->next)
    {
      if (error)
        g_task_return_error (l->data, g_error_copy (error));
      else
        g_task_return_boolean (l->data, TRUE);
    }
  g_list_free_full (tasks, g_object_unref);

  if (self->waiting != NULL || (self->again && error == NULL))
    start_run (self);
  self->again = FALSE;
}

static void
start_run (DgSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  const char *token = dg_token_store_get_token (self->tokens);
  RunData *run;

  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);

  self->current = g_steal_pointer (&self->waiting);

  task = g_task_new (self, self->cancellable, run_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_run);

  if (token == NULL || self->server_url == NULL || self->server_url[0] == '\0')
    {
      self->running = TRUE;
      g_task_return_new_error (task, DG_SYNC_ERROR, DG_SYNC_ERROR_NOT_SIGNED_IN,
                               _("Not signed in"));
      return;
    }

  run = g_new0 (RunData, 1);
  run->engine = g_object_ref (self);
  run->store = g_object_ref (self->store);
  run->api = g_object_ref (self->api);
  run->url = g_strdup (self->server_url);
  dg_api_client_set_token (self->api, token);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);

  self->running = TRUE;
  self->progress = 0;
  dg_sync_engine_set_state (self, DG_SYNC_STATE_SYNCING, NULL);
  g_task_run_in_thread (task, run_thread);
}

static gboolean
debounce_cb (gpointer user_data)
{
  DgSyncEngine *self = user_data;

  self->debounce_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

static void
outbox_changed_cb (DgSyncEngine *self)
{
  dg_sync_engine_update_pending (self);
  if (!self->running && self->state != DG_SYNC_STATE_OFFLINE &&
      self->state != DG_SYNC_STATE_ERROR && self->state != DG_SYNC_STATE_SIGN_IN_REQUIRED)
    dg_sync_engine_set_state (self, dg_sync_engine_idle_state (self), NULL);

  if (!self->started || !dg_sync_engine_get_signed_in (self))
    return;
  /* A burst of saves makes one run, shortly after the last. A back-off wait in progress is
   * kept: the server was failing a moment ago. */
  if (self->retry_id != 0)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static gboolean
periodic_cb (gpointer user_data)
{
  DgSyncEngine *self = user_data;

  if (dg_sync_engine_get_signed_in (self) && self->retry_id == 0)
    start_run (self);
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (DgSyncEngine *self,
                    gboolean      available)
{
  if (!available || !dg_sync_engine_get_signed_in (self))
    return;
  if (self->state == DG_SYNC_STATE_OFFLINE || self->state == DG_SYNC_STATE_ERROR ||
      self->n_pending > 0)
    dg_sync_engine_sync_now (self);
}

static void
restart_periodic (DgSyncEngine *self)
{
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  if (self->started && self->interval > 0)
    self->periodic_id = g_timeout_add_seconds (self->interval, periodic_cb, self);
}

static void
dg_sync_engine_dispose (GObject *object)
{
  DgSyncEngine *self = (DgSyncEngine *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  if (self->network_id)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (), self->network_id);
      self->network_id = 0;
    }
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);

  G_OBJECT_CLASS (dg_sync_engine_parent_class)->dispose (object);
}

static void
dg_sync_engine_finalize (GObject *object)
{
  DgSyncEngine *self = (DgSyncEngine *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->tokens);
  g_clear_object (&self->api);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->server_url);
  g_free (self->ca_file);
  g_free (self->message);

  G_OBJECT_CLASS (dg_sync_engine_parent_class)->finalize (object);
}

static void
dg_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DgSyncEngine *self = DG_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file ? self->ca_file : "");
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, dg_sync_engine_get_signed_in (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_sync_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DgSyncEngine *self = DG_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      dg_sync_engine_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      dg_sync_engine_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_INTERVAL:
      dg_sync_engine_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_sync_engine_class_init (DgSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_sync_engine_dispose;
  object_class->finalize = dg_sync_engine_finalize;
  object_class->get_property = dg_sync_engine_get_property;
  object_class->set_property = dg_sync_engine_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The certificate authorities (PEM) the server's certificate is checked against; empty for
   * the system's. */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, 86400, DEFAULT_INTERVAL_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DG_TYPE_SYNC_STATE, DG_SYNC_STATE_SIGNED_OUT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DgSyncEngine::sign-in-required:
   *
   * The server refused the token: the user must sign in again. The outbox is kept.
   */
  signals[SIGN_IN_REQUIRED] = g_signal_new ("sign-in-required", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
dg_sync_engine_init (DgSyncEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->interval = DEFAULT_INTERVAL_S;
  self->api = dg_api_client_new (NULL);
}

DgSyncEngine *
dg_sync_engine_new (DgLocalStore *store,
                    DgTokenStore *tokens)
{
  DgSyncEngine *self;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (store), NULL);
  g_return_val_if_fail (DG_IS_TOKEN_STORE (tokens), NULL);

  self = g_object_new (DG_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->tokens = g_object_ref (tokens);
  self->server_url = g_strdup (dg_token_store_get_server_url (tokens));
  dg_api_client_set_base_url (self->api, self->server_url);
  dg_api_client_set_token (self->api, dg_token_store_get_token (tokens));
  g_signal_connect_object (store, "outbox-changed", G_CALLBACK (outbox_changed_cb), self,
                           G_CONNECT_SWAPPED);
  dg_sync_engine_update_pending (self);
  self->state = dg_sync_engine_idle_state (self);
  return self;
}

DgLocalStore *
dg_sync_engine_get_store (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

DgTokenStore *
dg_sync_engine_get_tokens (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->tokens;
}

DgApiClient *
dg_sync_engine_get_api_client (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->api;
}

const char *
dg_sync_engine_get_server_url (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->server_url;
}

void
dg_sync_engine_set_server_url (DgSyncEngine *self,
                               const char   *server_url)
{
  g_autofree char *url = NULL;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  /* "http://host:port/" and "http://host:port" are the same server. */
  url = g_strdup (server_url ? server_url : "");
  g_strstrip (url);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  if (g_strcmp0 (self->server_url, url) == 0)
    return;
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  dg_api_client_set_base_url (self->api, self->server_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

const char *
dg_sync_engine_get_ca_file (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->ca_file ? self->ca_file : "";
}

void
dg_sync_engine_set_ca_file (DgSyncEngine *self,
                            const char   *ca_file)
{
  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  if (ca_file == NULL)
    ca_file = "";
  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  dg_api_client_set_ca_file (self->api, ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

guint
dg_sync_engine_get_interval (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), 0);
  return self->interval;
}

void
dg_sync_engine_set_interval (DgSyncEngine *self,
                             guint         seconds)
{
  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  restart_periodic (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

DgSyncState
dg_sync_engine_get_state (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), DG_SYNC_STATE_SIGNED_OUT);
  return self->state;
}

guint
dg_sync_engine_get_n_pending (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), 0);
  return self->n_pending;
}

double
dg_sync_engine_get_progress (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), 0);
  return self->progress;
}

const char *
dg_sync_engine_get_message (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), NULL);
  return self->message;
}

gboolean
dg_sync_engine_get_signed_in (DgSyncEngine *self)
{
  g_return_val_if_fail (DG_IS_SYNC_ENGINE (self), FALSE);
  return dg_token_store_get_token (self->tokens) != NULL;
}

void
dg_sync_engine_start (DgSyncEngine *self)
{
  GNetworkMonitor *monitor;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;

  monitor = g_network_monitor_get_default ();
  self->network_id = g_signal_connect_swapped (monitor, "network-changed",
                                               G_CALLBACK (network_changed_cb), self);
  restart_periodic (self);
  if (dg_sync_engine_get_signed_in (self))
    start_run (self);
}

void
dg_sync_engine_sync_now (DgSyncEngine *self)
{
  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  start_run (self);
}

void
dg_sync_engine_sync_async (DgSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DG_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dg_sync_engine_sync_async);
  self->waiting = g_list_append (self->waiting, task);
  if (!self->running)
    start_run (self);
}

gboolean
dg_sync_engine_sync_finish (DgSyncEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dg_sync_engine_notify_signed_in (DgSyncEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}
