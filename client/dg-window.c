/* dg-window.c
 *
 * The window may be made before its store is open (the app opens it on a worker thread after
 * the first frame): it then shows a progress bar, and gives the store to its pages once it is open.
 * The pages and editors read and write the store only through its asynchronous calls.
 */

#define G_LOG_DOMAIN "dg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-office-page.h"
#include "dg-password-dialog.h"
#include "dg-policy.h"
#include "dg-role.h"
#include "dg-signin-dialog.h"
#include "dg-sync-indicator.h"
#include "dg-users-page.h"
#include "dg-window.h"

GResource *dg_get_resource (void);

struct _DgWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  DgSyncIndicator      *sync_indicator;
  DgTodayPage          *today_page;
  DgRecordsPage        *records_page;
  DgCheckEditor        *check_editor;
  DgDustfallEditor     *dustfall_editor;

  DgLocalStore         *store;
  DgSyncEngine         *engine;
  GtkWindow            *signin_dialog;   /* weak */
  GtkWindow            *password_dialog; /* weak */
  DgOfficePage         *office_page;
  AdwViewStackPage     *office_stack_page;
  DgUsersPage          *users_page;
  AdwViewStackPage     *users_stack_page;
  DgDistrictPage       *district_page;
  AdwViewStackPage     *district_stack_page;
  GtkProgressBar       *loading_bar;
  guint                 pulse_id;

  GCancellable         *cancellable;     /* editors opening a record, cancelled on dispose */
  gboolean              attached;        /* the pages have the store */
  gboolean              ready;           /* ... and the today page has shown it */
  gboolean              leaving;         /* closing: the open editor is asking */
  gboolean              may_close;       /* ... and has let go */
};

G_DEFINE_FINAL_TYPE (DgWindow, dg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A narrow window shows the view switcher at the bottom and the title in the header bar: the
 * sync indicator then makes room. */
static void
title_visible_cb (DgWindow *self)
{
  dg_sync_indicator_set_compact (self->sync_indicator,
                                 adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static void
show_main (DgWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "main");
}

static void
check_saved_cb (DgWindow   *self,
                const char *id)
{
  dg_window_add_toast (self, _("Check saved"));
  show_main (self);
}

static void
sample_saved_cb (DgWindow   *self,
                 const char *id)
{
  AdwToast *toast = adw_toast_new (_("Sample saved"));
  char jar;

  /* Jars come in pairs: offer the other one of the same site, typed from this one. */
  if (dg_dustfall_editor_get_other_jar (self->dustfall_editor, &jar))
    {
      g_autofree char *label = jar == DG_JAR_B ? g_strdup (_("Record Jar _B"))
                                               : g_strdup (_("Record Jar _A"));

      adw_toast_set_button_label (toast, label);
      adw_toast_set_action_name (toast, "win.other-jar");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  show_main (self);
}

static void
check_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Cancelled, the window is gone; not found, there is nothing to show. */
  if (dg_check_editor_load_finish (DG_CHECK_EDITOR (object), result, &error))
    adw_leaflet_set_visible_child_name (DG_WINDOW (user_data)->leaflet, "check");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Not opening: %s", error->message);
}

static void
sample_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (dg_dustfall_editor_load_finish (DG_DUSTFALL_EDITOR (object), result, &error))
    adw_leaflet_set_visible_child_name (DG_WINDOW (user_data)->leaflet, "sample");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Not opening: %s", error->message);
}

static void
open_check_cb (DgWindow   *self,
               const char *id)
{
  dg_check_editor_load_async (self->check_editor, id, self->cancellable, check_loaded_cb, self);
}

static void
open_record_cb (DgWindow     *self,
                int           type,
                const char   *id)
{
  if (type == DG_RECORD_ROAD_CHECK)
    open_check_cb (self, id);
  else if (type == DG_RECORD_DUSTFALL_SAMPLE)
    dg_dustfall_editor_load_async (self->dustfall_editor, id, self->cancellable,
                                   sample_loaded_cb, self);
}

/* The badge on Today counts the returned records, in every view switcher. */
static void
returned_changed_cb (DgWindow *self)
{
  AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack,
                                                    GTK_WIDGET (self->today_page));
  guint n = dg_today_page_get_n_returned (self->today_page);

  adw_view_stack_page_set_badge_number (page, n);
  adw_view_stack_page_set_needs_attention (page, n > 0);
}

static void
sign_in_required_cb (DgWindow *self)
{
  dg_window_add_toast (self, _("The session has ended: sign in again to sync"));
  dg_window_show_sign_in (self);
}

static void
new_check_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  dg_window_new_check (user_data);
}

static void
new_sample_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  dg_window_new_sample (user_data);
}

static void
other_jar_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DgWindow *self = user_data;

  /* Only from the main page: an editor open since holds work of its own. */
  if (g_strcmp0 (dg_window_get_visible_page (self), "main") == 0 &&
      dg_dustfall_editor_new_other_jar (self->dustfall_editor))
    adw_leaflet_set_visible_child_name (self->leaflet, "sample");
}

static void
sync_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  DgWindow *self = user_data;

  if (!dg_sync_engine_get_signed_in (self->engine))
    dg_window_show_sign_in (self);
  else
    dg_sync_engine_sync_now (self->engine);
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  dg_window_show_sign_in (user_data);
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DgWindow *self = user_data;

  dg_sync_engine_sign_out (self->engine);
  dg_window_add_toast (self, _("Signed out. Records stay on this device."));
}

static void
change_password_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  dg_window_show_change_password (user_data);
}

static const GActionEntry win_entries[] = {
  { "new-check", new_check_action },
  { "new-sample", new_sample_action },
  { "other-jar", other_jar_action },
  { "sync", sync_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
  { "change-password", change_password_action },
};

/* Changing one's password and signing out need a session. */
static void
update_session_actions (DgWindow *self)
{
  gboolean signed_in = dg_sync_engine_get_signed_in (self->engine);
  static const char *names[] = { "change-password", "sign-out" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              names[i])),
                                 signed_in);
}

/* The office view is shown to a session whose role may read the rankings it opens on (the
 * office and administrators): the policy table decides, not a list of role names here. */
static void
update_office_visible (DgWindow *self)
{
  const char *name = dg_token_store_get_role (dg_sync_engine_get_tokens (self->engine));
  DgRole role;

  gboolean known = dg_role_from_string (name, &role);
  gboolean manages;

  adw_view_stack_page_set_visible (self->office_stack_page,
                                   known &&
                                   dg_policy_allows (role, DG_ACTION_READ_RANKING, DG_SCOPE_ANY));
  /* The administration pages likewise follow the policy of the routes they call. */
  manages = known && dg_policy_allows (role, DG_ACTION_MANAGE_USERS, DG_SCOPE_ANY);
  adw_view_stack_page_set_visible (self->users_stack_page, manages);
  adw_view_stack_page_set_visible (self->district_stack_page,
                                   known &&
                                   dg_policy_allows (role, DG_ACTION_WRITE_REFERENCE,
                                                     DG_SCOPE_ANY));
  if (manages &&
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "users") == 0)
    dg_users_page_reload (self->users_page);
}

/* The list of users is the server's: read it each time the page is shown. */
static void
visible_child_cb (DgWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "users") == 0)
    dg_users_page_reload (self->users_page);
}

/* Ready: the store is open and the today page shows what it holds (the first frame after this
 * is the one the inspector can use). */
static void
today_loading_cb (DgWindow *self)
{
  if (self->ready || !self->attached || dg_today_page_get_loading (self->today_page))
    return;
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static gboolean
pulse_cb (gpointer user_data)
{
  DgWindow *self = user_data;

  gtk_progress_bar_pulse (self->loading_bar);
  return G_SOURCE_CONTINUE;
}

/* The actions that need the store wait for it to open. */
static void
set_store_actions_enabled (DgWindow *self,
                           gboolean  enabled)
{
  static const char *names[] = { "new-check", "new-sample", "sync", "sign-in" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              names[i])),
                                 enabled);
}

/* The store is open: the pages may read it. */
static void
attach_store (DgWindow *self)
{
  if (self->attached || !dg_local_store_get_open (self->store))
    return;
  self->attached = TRUE;
  g_signal_handlers_disconnect_by_func (self->store, attach_store, self);

  g_signal_connect_object (self->today_page, "notify::loading", G_CALLBACK (today_loading_cb),
                           self, G_CONNECT_SWAPPED);
  dg_today_page_set_store (self->today_page, self->store);
  dg_records_page_set_store (self->records_page, self->store);
  dg_check_editor_set_store (self->check_editor, self->store);
  dg_dustfall_editor_set_store (self->dustfall_editor, self->store);
  dg_office_page_set_store (self->office_page, self->store);
  dg_district_page_set_store (self->district_page, self->store);
  dg_users_page_set_store (self->users_page, self->store);
  set_store_actions_enabled (self, TRUE);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "loading") == 0)
    show_main (self);
  today_loading_cb (self);
}

static void
dg_window_constructed (GObject *object)
{
  DgWindow *self = (DgWindow *)object;

  G_OBJECT_CLASS (dg_window_parent_class)->constructed (object);

  g_assert (DG_IS_LOCAL_STORE (self->store));
  g_assert (DG_IS_SYNC_ENGINE (self->engine));

  dg_sync_indicator_set_engine (self->sync_indicator, self->engine);

  g_signal_connect_object (self->engine, "sign-in-required", G_CALLBACK (sign_in_required_cb),
                           self, G_CONNECT_SWAPPED);

  self->office_page = DG_OFFICE_PAGE (dg_office_page_new ());
  dg_office_page_set_engine (self->office_page, self->engine);
  self->office_stack_page = adw_view_stack_add_titled (self->view_stack,
                                                       GTK_WIDGET (self->office_page),
                                                       "office", _("Office"));
  adw_view_stack_page_set_icon_name (self->office_stack_page, "view-grid-symbolic");
  self->users_page = DG_USERS_PAGE (dg_users_page_new ());
  dg_users_page_set_api (self->users_page, dg_sync_engine_get_api_client (self->engine));
  self->users_stack_page = adw_view_stack_add_titled (self->view_stack,
                                                      GTK_WIDGET (self->users_page),
                                                      "users", _("Users"));
  adw_view_stack_page_set_icon_name (self->users_stack_page, "system-users-symbolic");
  self->district_page = DG_DISTRICT_PAGE (dg_district_page_new ());
  self->district_stack_page = adw_view_stack_add_titled (self->view_stack,
                                                         GTK_WIDGET (self->district_page),
                                                         "district", _("District"));
  adw_view_stack_page_set_icon_name (self->district_stack_page, "find-location-symbolic");
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (visible_child_cb), self, G_CONNECT_SWAPPED);

  update_office_visible (self);
  g_signal_connect_object (self->engine, "notify::signed-in",
                           G_CALLBACK (update_office_visible), self, G_CONNECT_SWAPPED);
  update_session_actions (self);
  g_signal_connect_object (self->engine, "notify::signed-in",
                           G_CALLBACK (update_session_actions), self, G_CONNECT_SWAPPED);

  if (dg_local_store_get_open (self->store))
    attach_store (self);
  else
    {
      /* Not mapped yet: no transition, the first frame shows the progress bar. */
      adw_leaflet_set_visible_child_name (self->leaflet, "loading");
      self->pulse_id = g_timeout_add (100, pulse_cb, self);
      set_store_actions_enabled (self, FALSE);
      g_signal_connect_object (self->store, "notify::open", G_CALLBACK (attach_store), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
left_for_close_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DgWindow) self = user_data;
  gboolean left;

  if (DG_IS_CHECK_EDITOR (object))
    left = dg_check_editor_leave_finish (DG_CHECK_EDITOR (object), result);
  else
    left = dg_dustfall_editor_leave_finish (DG_DUSTFALL_EDITOR (object), result);
  self->leaving = FALSE;
  if (left && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    {
      self->may_close = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

/* Closing the window with an editor open is leaving the editor: it asks first when there are
 * unsaved changes, and the window goes once the draft is kept or dropped. */
static gboolean
parent_close_request (GtkWindow *window)
{
  GtkWindowClass *parent = GTK_WINDOW_CLASS (dg_window_parent_class);

  return parent->close_request ? parent->close_request (window) : FALSE;
}

static gboolean
dg_window_close_request (GtkWindow *window)
{
  DgWindow *self = DG_WINDOW (window);
  const char *page = dg_window_get_visible_page (self);

  if (self->may_close)
    return parent_close_request (window);
  if (!self->leaving && g_strcmp0 (page, "check") == 0)
    {
      self->leaving = TRUE;
      dg_check_editor_leave_async (self->check_editor, left_for_close_cb, g_object_ref (self));
      return TRUE;
    }
  if (!self->leaving && g_strcmp0 (page, "sample") == 0)
    {
      self->leaving = TRUE;
      dg_dustfall_editor_leave_async (self->dustfall_editor, left_for_close_cb,
                                      g_object_ref (self));
      return TRUE;
    }
  if (self->leaving)
    return TRUE;
  return parent_close_request (window);
}

static void
dg_window_dispose (GObject *object)
{
  DgWindow *self = (DgWindow *)object;

  if (self->signin_dialog)
    g_object_remove_weak_pointer (G_OBJECT (self->signin_dialog),
                                  (gpointer *) &self->signin_dialog);
  self->signin_dialog = NULL;
  if (self->password_dialog)
    g_object_remove_weak_pointer (G_OBJECT (self->password_dialog),
                                  (gpointer *) &self->password_dialog);
  self->password_dialog = NULL;
  /* An editor still reading a record does not call back into a window that is gone. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dg_window_parent_class)->dispose (object);
}

static void
dg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DgWindow *self = DG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DgWindow *self = DG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_window_class_init (DgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dg_window_constructed;
  object_class->dispose = dg_window_dispose;
  object_class->get_property = dg_window_get_property;
  object_class->set_property = dg_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = dg_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DG_TYPE_LOCAL_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, DG_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DgWindow:ready:
   *
   * Set once the store is open and the today page shows what it holds.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The library is static: referencing the resource keeps it (and its registration) linked. */
  (void) dg_get_resource ();

  g_type_ensure (DG_TYPE_SYNC_INDICATOR);
  g_type_ensure (DG_TYPE_TODAY_PAGE);
  g_type_ensure (DG_TYPE_RECORDS_PAGE);
  g_type_ensure (DG_TYPE_CHECK_EDITOR);
  g_type_ensure (DG_TYPE_DUSTFALL_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, today_page);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, records_page);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, check_editor);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, dustfall_editor);
  gtk_widget_class_bind_template_child (widget_class, DgWindow, loading_bar);
}

static void
dg_window_init (DgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries),
                                   self);

  g_signal_connect_swapped (self->check_editor, "saved", G_CALLBACK (check_saved_cb), self);
  g_signal_connect_swapped (self->check_editor, "closed", G_CALLBACK (show_main), self);
  g_signal_connect_swapped (self->dustfall_editor, "saved", G_CALLBACK (sample_saved_cb), self);
  g_signal_connect_swapped (self->dustfall_editor, "closed", G_CALLBACK (show_main), self);
  g_signal_connect_swapped (self->today_page, "open-check", G_CALLBACK (open_check_cb), self);
  g_signal_connect_swapped (self->today_page, "open-record", G_CALLBACK (open_record_cb), self);
  g_signal_connect_object (self->today_page, "notify::n-returned",
                           G_CALLBACK (returned_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->records_page, "open-record", G_CALLBACK (open_record_cb),
                            self);
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (title_visible_cb), self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

DgWindow *
dg_window_new (GtkApplication *application,
               DgLocalStore   *store,
               DgSyncEngine   *engine)
{
  return g_object_new (DG_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "engine", engine,
                       NULL);
}

DgLocalStore *
dg_window_get_store (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->store;
}

gboolean
dg_window_get_ready (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), FALSE);
  return self->ready;
}

DgSyncIndicator *
dg_window_get_sync_indicator (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->sync_indicator;
}

DgSyncEngine *
dg_window_get_engine (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->engine;
}

static void
start_new_check (DgWindow *self)
{
  dg_check_editor_new_check (self->check_editor);
  adw_leaflet_set_visible_child_name (self->leaflet, "check");
}

static void
start_new_sample (DgWindow *self)
{
  dg_dustfall_editor_new_sample (self->dustfall_editor);
  adw_leaflet_set_visible_child_name (self->leaflet, "sample");
}

static void
check_left_for_new_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(DgWindow) self = user_data;

  if (dg_check_editor_leave_finish (DG_CHECK_EDITOR (object), result) &&
      !gtk_widget_in_destruction (GTK_WIDGET (self)))
    start_new_check (self);
}

static void
sample_left_for_new_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DgWindow) self = user_data;

  if (dg_dustfall_editor_leave_finish (DG_DUSTFALL_EDITOR (object), result) &&
      !gtk_widget_in_destruction (GTK_WIDGET (self)))
    start_new_sample (self);
}

void
dg_window_new_check (DgWindow *self)
{
  g_return_if_fail (DG_IS_WINDOW (self));

  /* Ctrl+N in the middle of a check must not lose the points typed so far. */
  if (g_strcmp0 (dg_window_get_visible_page (self), "check") == 0)
    dg_check_editor_leave_async (self->check_editor, check_left_for_new_cb,
                                 g_object_ref (self));
  else
    start_new_check (self);
}

void
dg_window_new_sample (DgWindow *self)
{
  g_return_if_fail (DG_IS_WINDOW (self));

  if (g_strcmp0 (dg_window_get_visible_page (self), "sample") == 0)
    dg_dustfall_editor_leave_async (self->dustfall_editor, sample_left_for_new_cb,
                                    g_object_ref (self));
  else
    start_new_sample (self);
}

void
dg_window_show_sign_in (DgWindow *self)
{
  g_return_if_fail (DG_IS_WINDOW (self));

  if (self->signin_dialog == NULL)
    {
      self->signin_dialog = GTK_WINDOW (dg_signin_dialog_new (GTK_WINDOW (self), self->engine));
      g_object_add_weak_pointer (G_OBJECT (self->signin_dialog),
                                 (gpointer *) &self->signin_dialog);
    }
  gtk_window_present (self->signin_dialog);
}

void
dg_window_show_change_password (DgWindow *self)
{
  g_return_if_fail (DG_IS_WINDOW (self));

  if (!dg_sync_engine_get_signed_in (self->engine))
    return;
  if (self->password_dialog == NULL)
    {
      self->password_dialog = GTK_WINDOW (dg_password_dialog_new (GTK_WINDOW (self),
                                                                  self->engine));
      g_object_add_weak_pointer (G_OBJECT (self->password_dialog),
                                 (gpointer *) &self->password_dialog);
    }
  gtk_window_present (self->password_dialog);
}

DgDistrictPage *
dg_window_get_district_page (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->district_page;
}

DgUsersPage *
dg_window_get_users_page (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->users_page;
}

GtkWindow *
dg_window_get_password_dialog (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->password_dialog;
}

void
dg_window_add_toast (DgWindow   *self,
                     const char *text)
{
  g_return_if_fail (DG_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

AdwViewStack *
dg_window_get_view_stack (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->view_stack;
}

DgTodayPage *
dg_window_get_today_page (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->today_page;
}

DgRecordsPage *
dg_window_get_records_page (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->records_page;
}

DgCheckEditor *
dg_window_get_check_editor (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->check_editor;
}

DgDustfallEditor *
dg_window_get_dustfall_editor (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return self->dustfall_editor;
}

const char *
dg_window_get_visible_page (DgWindow *self)
{
  g_return_val_if_fail (DG_IS_WINDOW (self), NULL);
  return adw_leaflet_get_visible_child_name (self->leaflet);
}
