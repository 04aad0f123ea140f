/* dg-ranking-tab.c
 *
 * The figures are common/'s (DgCellRank, built by DgMonthReport); this tab only formats them.
 */

#define G_LOG_DOMAIN "dg-ranking-tab"

#include "config.h"

#include <glib/gi18n.h>

#include "dg-office-columns.h"
#include "dg-office-item.h"
#include "dg-ranking-tab.h"
#include "dg-utils.h"

struct _DgRankingTab
{
  GtkWidget      parent_instance;

  GtkColumnView *view;

  GListStore    *rows;
  DgMonthReport *report;
};

G_DEFINE_FINAL_TYPE (DgRankingTab, dg_ranking_tab, GTK_TYPE_WIDGET)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Text ---- */

static char *
format_signed (gboolean    has,
               double      value,
               const char *suffix)
{
  if (!has)
    return g_strdup ("—");
  return g_strdup_printf ("%+.1f%s", value + 0.0, suffix);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

static char *
ranking_text (const DgDustfallReport *dustfall,
              const DgCellRank       *cell,
              DgOfficeColumn          column)
{
  switch (column)
    {
    case DG_OFFICE_COLUMN_RANK:
      /* Translators: a cell without a valid sample this month (缺测), in place of its rank */
      return cell->rank > 0 ? g_strdup_printf ("%d", cell->rank) : g_strdup (_("No data"));
    case DG_OFFICE_COLUMN_CODE:
      return g_strdup (cell->code);
    case DG_OFFICE_COLUMN_NAME:
      return g_strdup (cell->name);
    case DG_OFFICE_COLUMN_UNIT:
      return g_strdup (cell->unit);
    case DG_OFFICE_COLUMN_VALUE:
      return cell->has_value ? dg_format_number (cell->value, 1) : g_strdup (_("No data"));
    case DG_OFFICE_COLUMN_CAP:
      return dg_format_number (dustfall->cap, 1);
    case DG_OFFICE_COLUMN_EXCEEDS:
      return g_strdup (cell->has_value ? yes_no (cell->exceeds) : "—");
    case DG_OFFICE_COLUMN_SITE_MAX:
      return cell->has_value ? dg_format_number (cell->site_max, 1) : g_strdup ("—");
    case DG_OFFICE_COLUMN_SITE_MIN:
      return cell->has_value ? dg_format_number (cell->site_min, 1) : g_strdup ("—");
    case DG_OFFICE_COLUMN_MOM_CHANGE:
      return format_signed (cell->has_mom, cell->mom_change, "");
    case DG_OFFICE_COLUMN_MOM_PCT:
      return format_signed (cell->has_mom, cell->mom_pct, " %");
    case DG_OFFICE_COLUMN_YOY_PCT:
      return format_signed (cell->has_yoy, cell->yoy_pct, " %");
    case DG_OFFICE_COLUMN_YTD_MEAN:
      return cell->has_ytd ? dg_format_number (cell->ytd_mean, 1) : g_strdup ("—");
    case DG_OFFICE_COLUMN_YTD_EXCEEDS:
      return g_strdup (cell->has_ytd ? yes_no (cell->ytd_exceeds) : "—");
    case DG_OFFICE_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- Callbacks ---- */

static void
ranking_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  DgOfficeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  DgOfficeColumn column = dg_office_column_get_index (GTK_LIST_ITEM_FACTORY (factory));
  DgMonthReport *report = dg_office_item_get_report (item);
  const DgCellRank *cell = dg_office_item_get_row (item);
  g_autofree char *text = ranking_text (dg_month_report_get_dustfall (report), cell, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  /* The whole row of an exceeding cell is marked, not only its value; 缺测 rows are dimmed. */
  dg_office_column_set_marks (label, cell->exceeds, !cell->has_value);
}

static void
row_activated_cb (DgRankingTab  *self,
                  guint          position,
                  GtkColumnView *view)
{
  g_autoptr(DgOfficeItem) item = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (item != NULL)
    g_signal_emit (self, signals[CELL_ACTIVATED], 0,
                   ((const DgCellRank *) dg_office_item_get_row (item))->cell_id);
}

/* ---- GObject ---- */

static void
setup_columns (DgRankingTab *self)
{
  static const struct
  {
    const char *title;
    gboolean    numeric;
  } columns[DG_OFFICE_N_COLUMNS] = {
    /* Translators: the ranking table's column headings (design 3.3) */
    { N_("Rank"), TRUE },
    { N_("Code"), FALSE },
    { N_("Name"), FALSE },
    { N_("Responsible Unit"), FALSE },
    { N_("Value"), TRUE },
    { N_("Cap"), TRUE },
    { N_("Exceeds"), FALSE },
    { N_("Site Max"), TRUE },
    { N_("Site Min"), TRUE },
    /* Translators: change against the previous month (环比) */
    { N_("Month Change"), TRUE },
    { N_("Month Change %"), TRUE },
    /* Translators: change against the same month a year before (同比) */
    { N_("Year Change %"), TRUE },
    /* Translators: year-to-date mean of the monthly values */
    { N_("Year-to-Date Mean"), TRUE },
    { N_("Year-to-Date Exceeds"), FALSE },
  };
  g_autoptr(GtkSingleSelection) selection = NULL;

  self->rows = g_list_store_new (DG_TYPE_OFFICE_ITEM);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    dg_office_column_add (self->view, _(columns[i].title), i, columns[i].numeric,
                          G_CALLBACK (ranking_bind_cb));
}

static void
dg_ranking_tab_dispose (GObject *object)
{
  DgRankingTab *self = (DgRankingTab *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DG_TYPE_RANKING_TAB);
  /* The template's root is not a bound child: unparent it too (GTK 4.8). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->rows);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_ranking_tab_parent_class)->dispose (object);
}

static void
dg_ranking_tab_class_init (DgRankingTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dg_ranking_tab_dispose;

  /* A row was activated: its cell's id, for the cell's trend. */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/dustgrid/DustGrid/ui/dg-ranking-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DgRankingTab, view);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dg_ranking_tab_init (DgRankingTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_columns (self);
}

/* ---- Public API ---- */

GtkWidget *
dg_ranking_tab_new (void)
{
  return g_object_new (DG_TYPE_RANKING_TAB, NULL);
}

DgMonthReport *
dg_ranking_tab_get_report (DgRankingTab *self)
{
  g_return_val_if_fail (DG_IS_RANKING_TAB (self), NULL);
  return self->report;
}

void
dg_ranking_tab_set_report (DgRankingTab  *self,
                           DgMonthReport *report)
{
  const DgDustfallReport *dustfall;
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (DG_IS_RANKING_TAB (self));
  g_return_if_fail (report == NULL || DG_IS_MONTH_REPORT (report));

  if (!g_set_object (&self->report, report) || report == NULL)
    return;

  dustfall = dg_month_report_get_dustfall (report);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; dustfall != NULL && i < dustfall->cells->len; i++)
    g_ptr_array_add (items, dg_office_item_new (report, g_ptr_array_index (dustfall->cells, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
}

char *
dg_ranking_tab_dup_text (DgRankingTab   *self,
                         guint           position,
                         DgOfficeColumn  column)
{
  g_autoptr(DgOfficeItem) item = NULL;

  g_return_val_if_fail (DG_IS_RANKING_TAB (self), NULL);
  g_return_val_if_fail (column < DG_OFFICE_N_COLUMNS, NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  if (item == NULL)
    return NULL;
  return ranking_text (dg_month_report_get_dustfall (dg_office_item_get_report (item)),
                       dg_office_item_get_row (item), column);
}

GtkColumnView *
dg_ranking_tab_get_view (DgRankingTab *self)
{
  g_return_val_if_fail (DG_IS_RANKING_TAB (self), NULL);
  return self->view;
}
