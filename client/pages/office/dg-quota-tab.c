/* dg-quota-tab.c
 *
 * The days' states are common/'s (DgQuotaDay, built by DgMonthReport); this tab only lays them
 * out.
 */

#define G_LOG_DOMAIN "dg-quota-tab"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-quota-tab.h"

struct _DgQuotaTab
{
  GtkWidget  parent_instance;

  GtkLabel  *summary_label;
  GtkGrid   *grid;
};

G_DEFINE_FINAL_TYPE (DgQuotaTab, dg_quota_tab, GTK_TYPE_WIDGET)

static void
add_weekday_headings (DgQuotaTab *self)
{
  g_autoptr(GDateTime) monday = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);  /* a Monday */

  for (int d = 0; d < 7; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, d);
      g_autofree char *name = g_date_time_format (day, "%a");
      GtkWidget *label = gtk_label_new (name);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (self->grid, label, d, 0, 1, 1);
    }
}

static GtkWidget *
make_day (const DgQuotaDay *day)
{
  GtkWidget *box, *number, *count;
  g_autofree char *count_text = NULL;
  g_autofree char *accessible = NULL;
  const char *mark, *state, *css;

  switch (day->state)
    {
    case DG_QUOTA_MET:
      mark = "✓", css = "success";
      /* Translators: a day of the quota calendar */
      state = _("met");
      break;
    case DG_QUOTA_SHORT:
      mark = "✗", css = "error";
      state = _("short");
      break;
    case DG_QUOTA_PENDING:
    default:
      mark = "·", css = "dim-label";
      state = _("pending");
      break;
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (box, "card");
  number = gtk_label_new (day->date + 8);
  gtk_widget_add_css_class (number, "heading");
  count_text = g_strdup_printf ("%s %u/%u", mark, day->roads, day->required);
  count = gtk_label_new (count_text);
  gtk_widget_add_css_class (count, "caption");
  gtk_widget_add_css_class (count, "numeric");
  /* libadwaita colours labels, not boxes, by these classes; the mark says it without colour. */
  gtk_widget_add_css_class (number, css);
  gtk_widget_add_css_class (count, css);
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), count);
  gtk_widget_set_margin_top (number, 4);
  gtk_widget_set_margin_bottom (count, 4);

  /* Translators: a calendar day read aloud: date, met/short/pending, roads of required */
  accessible = g_strdup_printf (_("%s: %s, %u of %u roads"), day->date, state, day->roads,
                                day->required);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_tooltip_text (box, accessible);
  return box;
}

static void
dg_quota_tab_dispose (GObject *object)
{
  DgQuotaTab *self = (DgQuotaTab *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_QUOTA_TAB);
  /* The template's root is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dg_quota_tab_parent_class)->dispose (object);
}

static void
dg_quota_tab_class_init (DgQuotaTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_quota_tab_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-quota-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DgQuotaTab, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DgQuotaTab, grid);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_quota_tab_init (DgQuotaTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dg_quota_tab_new (void)
{
  return g_object_new (DG_TYPE_QUOTA_TAB, NULL);
}

void
dg_quota_tab_set_report (DgQuotaTab    *self,
                         DgMonthReport *report)
{
  const DgQuotaReport *quota;
  g_autofree char *summary = NULL;
  GtkWidget *child;
  int offset = 0;

  g_return_if_fail (DG_IS_QUOTA_TAB (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (report == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))))
    gtk_grid_remove (self->grid, child);

  quota = dg_month_report_get_quota (report);
  if (quota == NULL)
    return;

  /* Translators: days the district met its quota, of the days elapsed, and the quota */
  summary = g_strdup_printf (_("Quota met on %u of %u days · %u complete roads a day"),
                             quota->days_met, quota->days_elapsed, quota->roads_required);
  gtk_label_set_label (self->summary_label, summary);

  add_weekday_headings (self);
  for (guint i = 0; i < quota->days->len; i++)
    {
      const DgQuotaDay *day = &g_array_index (quota->days, DgQuotaDay, i);
      GDate date;

      if (!dg_date_parse (day->date, &date))
        continue;
      /* The first day falls under its weekday; the weeks run Monday to Sunday. */
      if (i == 0)
        offset = g_date_get_weekday (&date) - G_DATE_MONDAY;
      gtk_grid_attach (self->grid, make_day (day), (offset + i) % 7, 1 + (offset + i) / 7, 1, 1);
    }
}

GtkGrid *
dg_quota_tab_get_grid (DgQuotaTab *self)
{
  g_return_val_if_fail (DG_IS_QUOTA_TAB (self), NULL);
  return self->grid;
}
