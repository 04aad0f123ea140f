/* dg-utils.c */

#define G_LOG_DOMAIN "dg-utils"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dg-utils.h"

gboolean
dg_parse_number (const char *text,
                 double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0')
    return FALSE;
  /* A comma is the decimal separator on many keyboards' number pads. */
  g_strdelimit (copy, ",", '.');
  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

char *
dg_format_number (double value,
                  int    decimals)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.*f", decimals, value);
}

const char *
dg_surface_label (DgSurface surface)
{
  switch (surface)
    {
    case DG_SURFACE_MAIN: return _("Main road");
    case DG_SURFACE_SIDE: return _("Sidewalk or side road");
    case DG_SURFACE_PARK: return _("Industrial park");
    case DG_N_SURFACES:
    default: return "";
    }
}

const char *
dg_dustfall_flag_label (guint index)
{
  switch (1u << index)
    {
    case DG_DUSTFALL_FLAG_BELOW_DETECTION: return _("Below the detection limit");
    case DG_DUSTFALL_FLAG_BELOW_QUANTITATION: return _("Below the quantitation limit");
    case DG_DUSTFALL_FLAG_NONSTANDARD_PERIOD: return _("Non-standard sampling period");
    default: return dg_dustfall_flag_to_string (index);
    }
}

const char *
dg_sync_status_label (DgSyncStatus status)
{
  switch (status)
    {
    case DG_SYNC_STATUS_SYNCED: return _("Synced");
    case DG_SYNC_STATUS_PENDING: return _("Pending");
    case DG_SYNC_STATUS_CONFLICT: return _("Conflict");
    case DG_SYNC_STATUS_REJECTED: return _("Rejected");
    case DG_SYNC_STATUS_RETURNED: return _("Returned");
    case DG_SYNC_STATUS_LOCAL: return _("Sample data");
    default: return "";
    }
}

void
dg_widget_set_invalid (GtkWidget *widget,
                       gboolean   invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

void
dg_widget_set_pass_class (GtkWidget *widget,
                          int        pass)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "error");
  if (pass == 1)
    gtk_widget_add_css_class (widget, "success");
  else if (pass == 0)
    gtk_widget_add_css_class (widget, "error");
}

void
dg_list_box_set_placeholder_text (GtkListBox *list,
                                  const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_set_placeholder (list, label);
}
