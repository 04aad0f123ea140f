/* dg-office-columns.c */

#define G_LOG_DOMAIN "dg-office-columns"

#include "config.h"

#include "dg-office-columns.h"

static void
column_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "dg-numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

void
dg_office_column_add (GtkColumnView *view,
                      const char    *title,
                      int            column,
                      gboolean       numeric,
                      GCallback      bind)
{
  GtkListItemFactory *factory;
  GtkColumnViewColumn *view_column;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (bind != NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_object_set_data (G_OBJECT (factory), "dg-column", GINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (factory), "dg-numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (column_setup_cb), NULL);
  g_signal_connect (factory, "bind", bind, NULL);

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (view, view_column);
  g_object_unref (view_column);
}

int
dg_office_column_get_index (GtkListItemFactory *factory)
{
  g_return_val_if_fail (GTK_IS_LIST_ITEM_FACTORY (factory), -1);

  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "dg-column"));
}

void
dg_office_column_set_marks (GtkWidget *label,
                            gboolean   error,
                            gboolean   dim)
{
  g_return_if_fail (GTK_IS_WIDGET (label));

  if (error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}
