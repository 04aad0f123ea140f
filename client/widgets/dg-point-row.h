/* dg-point-row.h: one sampling point of a road check, typed from the keyboard alone. */
#pragma once

#include <gtk/gtk.h>

#include "dustgrid-common.h"

G_BEGIN_DECLS

#define DG_TYPE_POINT_ROW (dg_point_row_get_type ())
G_DECLARE_FINAL_TYPE (DgPointRow, dg_point_row, DG, POINT_ROW, GtkListBoxRow)

DgPointRow *dg_point_row_new          (int                  seq,
                                       DgSurface            surface);
int         dg_point_row_get_seq      (DgPointRow          *self);
void        dg_point_row_set_seq      (DgPointRow          *self,
                                       int                  seq);
void        dg_point_row_set_point    (DgPointRow          *self,
                                       const DgRoadPoint   *point);
DgSurface   dg_point_row_get_surface  (DgPointRow          *self);
void        dg_point_row_set_surface  (DgPointRow          *self,
                                       DgSurface            surface);
/* TRUE when the inspector typed neither a location nor a mass: the row is not a point yet. */
gboolean    dg_point_row_is_blank     (DgPointRow          *self);
/* The typed values. FALSE when area or mass cannot be read as a number ("area_m2"/"mass_g"
 * is then marked on the row). */
gboolean    dg_point_row_read         (DgPointRow          *self,
                                       char               **location,
                                       double              *area_m2,
                                       double              *mass_g);
/* Shows the evaluation of the point (from common/), or clears it with NULL. */
void        dg_point_row_set_result   (DgPointRow          *self,
                                       const DgPointResult *result);
/* Marks @field ("location", "area_m2", "mass_g", "surface", NULL for none) as invalid. */
void        dg_point_row_set_error    (DgPointRow          *self,
                                       const char          *field);
void        dg_point_row_focus        (DgPointRow          *self);

GtkEditable *dg_point_row_get_location_entry (DgPointRow *self);
GtkEditable *dg_point_row_get_area_entry     (DgPointRow *self);
GtkEditable *dg_point_row_get_mass_entry     (DgPointRow *self);
GtkLabel    *dg_point_row_get_load_label     (DgPointRow *self);

G_END_DECLS
