/* dg-office-columns.h: the text columns the office's tables are made of.
 *
 * The ranking tab and the roads tab show a report's rows as a GtkColumnView of labels, one
 * column per figure. Both build their columns here, so a numeric column looks the same in each
 * and a row's marks (over the cap, no data) are set one way.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends a resizable column of labels titled @title; @bind fills a label for the column
 * numbered @column (read back with dg_office_column_get_index()). Numeric columns align right
 * with tabular figures. */
void dg_office_column_add        (GtkColumnView      *view,
                                  const char         *title,
                                  int                 column,
                                  gboolean            numeric,
                                  GCallback           bind);
/* The @column a factory made by dg_office_column_add() stands for. */
int  dg_office_column_get_index  (GtkListItemFactory *factory);
/* Marks a cell's label: "error" for a figure over a limit, "dim-label" for one without data. */
void dg_office_column_set_marks  (GtkWidget          *label,
                                  gboolean            error,
                                  gboolean            dim);

G_END_DECLS
