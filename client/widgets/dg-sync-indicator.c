/* dg-sync-indicator.c */

#define G_LOG_DOMAIN "dg-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-sync-indicator.h"

struct _DgSyncIndicator
{
  GtkWidget     parent_instance;

  GtkSpinner   *spinner;
  GtkImage     *icon;
  GtkLabel     *label;
  GtkButton    *sync_button;

  DgSyncEngine *engine;
  char         *text;
  gboolean      compact;
};

G_DEFINE_FINAL_TYPE (DgSyncIndicator, dg_sync_indicator, GTK_TYPE_WIDGET)

static void
update (DgSyncIndicator *self)
{
  g_autofree char *text = NULL;
  const char *icon = NULL;
  const char *message;
  gboolean busy = FALSE;
  guint n_pending;
  double progress;

  if (self->engine == NULL)
    return;

  message = dg_sync_engine_get_message (self->engine);
  n_pending = dg_sync_engine_get_n_pending (self->engine);
  progress = dg_sync_engine_get_progress (self->engine);

  switch (dg_sync_engine_get_state (self->engine))
    {
    case DG_SYNC_STATE_SIGNED_OUT:
      icon = "system-users-symbolic";
      text = n_pending ? g_strdup_printf (ngettext ("Not signed in, %u pending",
                                                    "Not signed in, %u pending", n_pending),
                                          n_pending)
                       : g_strdup (_("Not signed in"));
      break;
    case DG_SYNC_STATE_SYNCED:
      icon = "emblem-ok-symbolic";
      text = g_strdup (_("Synced"));
      break;
    case DG_SYNC_STATE_PENDING:
      /* Records on their way up: an arrow out of the tray, not the save icon's arrow in. */
      icon = "document-send-symbolic";
      text = g_strdup_printf (ngettext ("%u pending", "%u pending", n_pending), n_pending);
      break;
    case DG_SYNC_STATE_SYNCING:
      busy = TRUE;
      if (progress >= 0 && progress < 1)
        /* Translators: sync progress, e.g. "Syncing… 40 %". */
        text = g_strdup_printf (_("Syncing… %d %%"), (int) (progress * 100));
      else
        text = g_strdup (_("Syncing…"));
      break;
    case DG_SYNC_STATE_OFFLINE:
      icon = "network-offline-symbolic";
      /* Offline is when the count matters most: what this device still holds alone. */
      text = n_pending ? g_strdup_printf (ngettext ("Offline, %u pending",
                                                    "Offline, %u pending", n_pending),
                                          n_pending)
                       : g_strdup (_("Offline"));
      break;
    case DG_SYNC_STATE_ERROR:
      icon = "dialog-warning-symbolic";
      text = g_strdup_printf (_("Sync error: %s"), message ? message : "");
      break;
    case DG_SYNC_STATE_SIGN_IN_REQUIRED:
      icon = "dialog-password-symbolic";
      text = g_strdup (_("Sign in again"));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), !busy);
  if (icon)
    gtk_image_set_from_icon_name (self->icon, icon);
  g_free (self->text);
  self->text = g_strdup (text);
  if (!self->compact)
    gtk_label_set_label (self->label, text);
  else if (busy && progress >= 0 && progress < 1)
    {
      g_autofree char *percent = g_strdup_printf ("%d %%", (int) (progress * 100));
      gtk_label_set_label (self->label, percent);
    }
  else if (!busy && n_pending > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_pending);
      gtk_label_set_label (self->label, count);
    }
  else
    gtk_label_set_label (self->label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->label),
                          gtk_label_get_label (self->label)[0] != '\0');
  /* The label may be ellipsized on a phone: the tooltip has it all, and the reason. */
  if (message && !g_str_equal (message, text))
    {
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", text, message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
dg_sync_indicator_dispose (GObject *object)
{
  DgSyncIndicator *self = (DgSyncIndicator *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_SYNC_INDICATOR);
  g_clear_pointer (&self->text, g_free);
  /* The template's root box is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (dg_sync_indicator_parent_class)->dispose (object);
}

static void
dg_sync_indicator_class_init (DgSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_sync_indicator_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, DgSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, DgSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, DgSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, DgSyncIndicator, sync_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
dg_sync_indicator_init (DgSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
dg_sync_indicator_set_engine (DgSyncIndicator *self,
                              DgSyncEngine    *engine)
{
  g_return_if_fail (DG_IS_SYNC_INDICATOR (self));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (!g_set_object (&self->engine, engine) || engine == NULL)
    return;

  g_signal_connect_object (engine, "notify::state", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-pending", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::progress", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::message", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

void
dg_sync_indicator_set_compact (DgSyncIndicator *self,
                               gboolean         compact)
{
  g_return_if_fail (DG_IS_SYNC_INDICATOR (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  update (self);
}

const char *
dg_sync_indicator_get_text (DgSyncIndicator *self)
{
  g_return_val_if_fail (DG_IS_SYNC_INDICATOR (self), NULL);
  return self->text;
}
