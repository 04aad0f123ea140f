/* dg-application.c
 *
 * Owns the long-lived objects: one GSettings, the local store, the token store and the sync
 * engine; the window only borrows them.
 *
 * The window comes first: the store is opened, migrated and seeded with the sample district on
 * a worker thread while the window shows a progress bar; the engine starts once the store is open.
 */

#define G_LOG_DOMAIN "dg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-application.h"
#include "dg-local-store.h"
#include "dg-sync-engine.h"
#include "dg-token-store.h"
#include "dg-window.h"

#define SCHEMA_ID "org.dustgrid.DustGrid"

struct _DgApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  DgLocalStore   *store;
  DgTokenStore   *tokens;
  DgSyncEngine   *engine;
  GError         *store_error;
  gboolean        store_opening;
  gint64          created_us;
};

G_DEFINE_FINAL_TYPE (DgApplication, dg_application, ADW_TYPE_APPLICATION)

GSettings *
dg_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      build_source = g_settings_schema_source_new_from_directory (DG_BUILD_SCHEMA_DIR, source,
                                                                  FALSE, NULL);
      if (build_source)
        schema = g_settings_schema_source_lookup (build_source, SCHEMA_ID, TRUE);
    }
  if (schema == NULL)
    {
      g_warning ("The %s schema is not installed: settings will not be kept", SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  /* On success the engine starts a sync by itself. */
  if (dg_sync_engine_sign_in_finish (DG_SYNC_ENGINE (object), result, &error))
    return;
  /* Offline at start is normal: records are kept and the engine tries again later. */
  g_message ("Automatic sign-in failed: %s", error->message);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window)
    {
      g_autofree char *text = g_strdup_printf (_("Could not sign in: %s"), error->message);
      dg_window_add_toast (DG_WINDOW (window), text);
    }
}

/* DUSTGRID_REPORT_FIRST_FRAME=1, for tests/bench/bench-client.c: once the window's first frame
 * is painted, print on stderr how long after the application was made, and the monotonic clock,
 * which the benchmark compares with its own time of spawning us; then the same for the first
 * frame painted once the window is ready (the store open and the today page showing it). */
static void
ready_frame_cb (GdkFrameClock *clock,
                DgApplication *self)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (clock, ready_frame_cb, self);
  g_printerr ("ready-frame-ms %.1f ready-monotonic-us %" G_GINT64_FORMAT "\n",
              (now - self->created_us) / 1000.0, now);
}

static void
window_ready_cb (DgWindow      *window,
                 GParamSpec    *pspec,
                 DgApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (!dg_window_get_ready (window) || clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (window, window_ready_cb, self);
  g_signal_connect (clock, "after-paint", G_CALLBACK (ready_frame_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

static void
first_frame_cb (GdkFrameClock *clock,
                DgApplication *self)
{
  gint64 now = g_get_monotonic_time ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  g_printerr ("first-frame-ms %.1f monotonic-us %" G_GINT64_FORMAT "%s\n",
              (now - self->created_us) / 1000.0, now, DG_IS_WINDOW (window) ? " ready-follows" : "");
  if (DG_IS_WINDOW (window))
    {
      g_signal_connect (window, "notify::ready", G_CALLBACK (window_ready_cb), self);
      window_ready_cb (DG_WINDOW (window), NULL, self);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "DustGrid contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("DustGrid"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Road dust and dust-fall inspections, offline first"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closed, not destroyed: an editor with unsaved changes asks first, and the app ends with
   * its last window. */
  for (GList *l = windows; l != NULL; )
    {
      GList *next = l->next;

      gtk_window_close (l->data);
      l = next;
    }
}

static const GActionEntry app_entries[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
show_store_error (DgApplication *self)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Cannot Open the Records"),
                                              self->store_error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The store is open: the engine may sync, and ./dev run signs in for the developer (the address
 * is kept like any other sign-in). */
static void
start_engine (DgApplication *self)
{
  const char *url = g_getenv ("DUSTGRID_SERVER_URL");
  const char *username = g_getenv ("DUSTGRID_USERNAME");
  const char *password = g_getenv ("DUSTGRID_PASSWORD");

  dg_sync_engine_start (self->engine);
  if (url && *url && username && *username && password)
    dg_sync_engine_sign_in_async (self->engine, url, username, password, NULL, signed_in_cb,
                                  g_object_ref (self));
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  self->store_opening = FALSE;
  g_application_release (G_APPLICATION (self));

  if (dg_local_store_open_finish (DG_LOCAL_STORE (object), result, &error))
    {
      start_engine (self);
      return;
    }

  /* Opened but the sample district could not be read: the records are there all the same. */
  if (dg_local_store_get_open (DG_LOCAL_STORE (object)))
    {
      g_warning ("No sample district: %s", error->message);
      start_engine (self);
      return;
    }

  /* The window, if already shown, cannot show anything: the message replaces it. */
  self->store_error = g_steal_pointer (&error);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      show_store_error (self);
      gtk_window_destroy (window);
    }
}

static void
dg_application_startup (GApplication *application)
{
  DgApplication *self = DG_APPLICATION (application);
  g_autofree char *path = dg_local_store_default_path ();
  static const char *new_check[] = { "<Control>n", NULL };
  static const char *new_sample[] = { "<Control><Shift>n", NULL };
  static const char *sync[] = { "F5", NULL };
  static const char *quit[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (dg_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-check", new_check);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-sample", new_sample);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sync", sync);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit);

  self->settings = dg_settings_new ();

  /* Made now, opened on a worker thread: the window shows before the file is read. */
  self->store = dg_local_store_new_for_path (path);
  self->tokens = dg_token_store_new (NULL);
  self->engine = dg_sync_engine_new (self->store, self->tokens);

  if (self->settings)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "server-url");

      /* A session from before the setting existed still names its server. */
      if (url[0] == '\0' && dg_token_store_get_server_url (self->tokens))
        g_settings_set_string (self->settings, "server-url",
                               dg_token_store_get_server_url (self->tokens));
      g_settings_bind (self->settings, "server-url", self->engine, "server-url",
                       G_SETTINGS_BIND_DEFAULT);
      /* Both ways: the sign-in dialog sets the engine's CA file, and it is kept. */
      g_settings_bind (self->settings, "ca-file", self->engine, "ca-file",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "sync-interval", self->engine, "interval",
                       G_SETTINGS_BIND_GET);
    }

  /* Held until the store has answered: the app does not quit under a window about to come. */
  self->store_opening = TRUE;
  g_application_hold (application);
  dg_local_store_open_async (self->store, TRUE, NULL, store_opened_cb, g_object_ref (self));
}

static void
dg_application_activate (GApplication *application)
{
  DgApplication *self = DG_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store_error != NULL)
    {
      show_store_error (self);
      return;
    }

  window = GTK_WINDOW (dg_window_new (GTK_APPLICATION (self), self->store, self->engine));
  if (self->settings)
    {
      g_settings_bind (self->settings, "window-width", window, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", window, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", window, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
    }
  gtk_window_present (window);
  if (g_getenv ("DUSTGRID_REPORT_FIRST_FRAME"))
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                      G_CALLBACK (first_frame_cb), self);
}

static void
dg_application_shutdown (GApplication *application)
{
  DgApplication *self = DG_APPLICATION (application);

  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->store_error);

  G_APPLICATION_CLASS (dg_application_parent_class)->shutdown (application);
}

static void
dg_application_class_init (DgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = dg_application_startup;
  app_class->activate = dg_application_activate;
  app_class->shutdown = dg_application_shutdown;
}

static void
dg_application_init (DgApplication *self)
{
  self->created_us = g_get_monotonic_time ();
}

DgApplication *
dg_application_new (void)
{
  return g_object_new (DG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The same resources serve the .Devel build. */
                       "resource-base-path", "/org/dustgrid/DustGrid",
                       NULL);
}
