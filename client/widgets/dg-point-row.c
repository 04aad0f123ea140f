/* dg-point-row.c
 *
 * Enter moves on: location → area → mass, and from the mass to the next point ("next" signal,
 * which the editor answers by focusing or appending the next row).
 */

#define G_LOG_DOMAIN "dg-point-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dg-point-row.h"
#include "dg-utils.h"

struct _DgPointRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *seq_label;
  GtkDropDown   *surface_dropdown;
  GtkEntry      *location_entry;
  GtkEntry      *area_entry;
  GtkEntry      *mass_entry;
  GtkLabel      *load_label;

  int            seq;
};

G_DEFINE_FINAL_TYPE (DgPointRow, dg_point_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGED,
  NEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_accessible_names (DgPointRow *self)
{
  g_autofree char *seq = g_strdup_printf ("%d", self->seq);
  /* Translators: accessible names of the fields of sampling point number %d. */
  g_autofree char *surface = g_strdup_printf (_("Point %d surface"), self->seq);
  g_autofree char *location = g_strdup_printf (_("Point %d location"), self->seq);
  g_autofree char *area = g_strdup_printf (_("Point %d area in square metres"), self->seq);
  g_autofree char *mass = g_strdup_printf (_("Point %d mass in grams"), self->seq);

  gtk_label_set_label (self->seq_label, seq);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->surface_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, surface, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->location_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, location, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, area, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mass_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, mass, -1);
}

static void
changed_cb (DgPointRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
location_activated_cb (DgPointRow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->area_entry));
}

static void
area_activated_cb (DgPointRow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->mass_entry));
}

static void
mass_activated_cb (DgPointRow *self)
{
  g_signal_emit (self, signals[NEXT], 0);
}

static void
dg_point_row_class_init (DgPointRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-point-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, seq_label);
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, surface_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, location_entry);
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, area_entry);
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, mass_entry);
  gtk_widget_class_bind_template_child (widget_class, DgPointRow, load_label);

  /**
   * DgPointRow::changed:
   *
   * A field of the point was edited.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DgPointRow::next:
   *
   * Enter in the last field: the editor moves on to the next point.
   */
  signals[NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dg_point_row_init (DgPointRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->location_entry, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->area_entry, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->mass_entry, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->surface_dropdown, "notify::selected",
                            G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->location_entry, "activate",
                            G_CALLBACK (location_activated_cb), self);
  g_signal_connect_swapped (self->area_entry, "activate", G_CALLBACK (area_activated_cb), self);
  g_signal_connect_swapped (self->mass_entry, "activate", G_CALLBACK (mass_activated_cb), self);
}

DgPointRow *
dg_point_row_new (int       seq,
                  DgSurface surface)
{
  DgPointRow *self = g_object_new (DG_TYPE_POINT_ROW, NULL);

  dg_point_row_set_seq (self, seq);
  dg_point_row_set_surface (self, surface);
  return self;
}

int
dg_point_row_get_seq (DgPointRow *self)
{
  g_return_val_if_fail (DG_IS_POINT_ROW (self), 0);
  return self->seq;
}

void
dg_point_row_set_seq (DgPointRow *self,
                      int         seq)
{
  g_return_if_fail (DG_IS_POINT_ROW (self));

  if (self->seq == seq)
    return;
  self->seq = seq;
  update_accessible_names (self);
}

void
dg_point_row_set_point (DgPointRow        *self,
                        const DgRoadPoint *point)
{
  g_autofree char *area = NULL;
  g_autofree char *mass = NULL;

  g_return_if_fail (DG_IS_POINT_ROW (self));

  /* Shortest decimal that reads back the same: what the inspector typed. */
  area = g_strdup_printf ("%g", point->area_m2);
  mass = g_strdup_printf ("%g", point->mass_g);
  dg_point_row_set_surface (self, point->surface);
  gtk_editable_set_text (GTK_EDITABLE (self->location_entry),
                         point->location ? point->location : "");
  gtk_editable_set_text (GTK_EDITABLE (self->area_entry), area);
  gtk_editable_set_text (GTK_EDITABLE (self->mass_entry), mass);
}

DgSurface
dg_point_row_get_surface (DgPointRow *self)
{
  guint selected;

  g_return_val_if_fail (DG_IS_POINT_ROW (self), DG_SURFACE_MAIN);

  selected = gtk_drop_down_get_selected (self->surface_dropdown);
  return selected < DG_N_SURFACES ? (DgSurface) selected : DG_SURFACE_MAIN;
}

void
dg_point_row_set_surface (DgPointRow *self,
                          DgSurface   surface)
{
  g_return_if_fail (DG_IS_POINT_ROW (self));
  gtk_drop_down_set_selected (self->surface_dropdown, surface);
}

gboolean
dg_point_row_is_blank (DgPointRow *self)
{
  const char *location;
  const char *mass;

  g_return_val_if_fail (DG_IS_POINT_ROW (self), TRUE);

  location = gtk_editable_get_text (GTK_EDITABLE (self->location_entry));
  mass = gtk_editable_get_text (GTK_EDITABLE (self->mass_entry));
  return (location[0] == '\0' && mass[0] == '\0');
}

gboolean
dg_point_row_read (DgPointRow  *self,
                   char       **location,
                   double      *area_m2,
                   double      *mass_g)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (DG_IS_POINT_ROW (self), FALSE);

  *location = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->location_entry))));
  if (!dg_parse_number (gtk_editable_get_text (GTK_EDITABLE (self->area_entry)), area_m2))
    {
      dg_point_row_set_error (self, "area_m2");
      ok = FALSE;
    }
  if (!dg_parse_number (gtk_editable_get_text (GTK_EDITABLE (self->mass_entry)), mass_g))
    {
      dg_point_row_set_error (self, "mass_g");
      ok = FALSE;
    }
  return ok;
}

void
dg_point_row_set_result (DgPointRow          *self,
                         const DgPointResult *result)
{
  g_autofree char *text = NULL;

  g_return_if_fail (DG_IS_POINT_ROW (self));

  if (result == NULL || isnan (result->load))
    {
      gtk_label_set_label (self->load_label, "");
      dg_widget_set_pass_class (GTK_WIDGET (self->load_label), -1);
      return;
    }

  /* Translators: a point's dust load, e.g. "4.35 g/m²". */
  text = g_strdup_printf (_("%.2f g/m²"), result->load);
  gtk_label_set_label (self->load_label, text);
  dg_widget_set_pass_class (GTK_WIDGET (self->load_label), result->pass ? 1 : 0);
}

void
dg_point_row_set_error (DgPointRow *self,
                        const char *field)
{
  g_return_if_fail (DG_IS_POINT_ROW (self));

  /* Errors accumulate until cleared with NULL. */
  if (field == NULL)
    {
      dg_widget_set_invalid (GTK_WIDGET (self->location_entry), FALSE);
      dg_widget_set_invalid (GTK_WIDGET (self->area_entry), FALSE);
      dg_widget_set_invalid (GTK_WIDGET (self->mass_entry), FALSE);
      dg_widget_set_invalid (GTK_WIDGET (self->surface_dropdown), FALSE);
      return;
    }
  if (g_str_equal (field, "location"))
    dg_widget_set_invalid (GTK_WIDGET (self->location_entry), TRUE);
  else if (g_str_equal (field, "area_m2"))
    dg_widget_set_invalid (GTK_WIDGET (self->area_entry), TRUE);
  else if (g_str_equal (field, "mass_g"))
    dg_widget_set_invalid (GTK_WIDGET (self->mass_entry), TRUE);
  else if (g_str_equal (field, "surface"))
    dg_widget_set_invalid (GTK_WIDGET (self->surface_dropdown), TRUE);
}

void
dg_point_row_focus (DgPointRow *self)
{
  g_return_if_fail (DG_IS_POINT_ROW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->location_entry));
}

GtkEditable *
dg_point_row_get_location_entry (DgPointRow *self)
{
  g_return_val_if_fail (DG_IS_POINT_ROW (self), NULL);
  return GTK_EDITABLE (self->location_entry);
}

GtkEditable *
dg_point_row_get_area_entry (DgPointRow *self)
{
  g_return_val_if_fail (DG_IS_POINT_ROW (self), NULL);
  return GTK_EDITABLE (self->area_entry);
}

GtkEditable *
dg_point_row_get_mass_entry (DgPointRow *self)
{
  g_return_val_if_fail (DG_IS_POINT_ROW (self), NULL);
  return GTK_EDITABLE (self->mass_entry);
}

GtkLabel *
dg_point_row_get_load_label (DgPointRow *self)
{
  g_return_val_if_fail (DG_IS_POINT_ROW (self), NULL);
  return self->load_label;
}
