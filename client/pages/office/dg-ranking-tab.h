/* dg-ranking-tab.h: the office page's Ranking tab, the month's dust-fall ranking (design 3.3).
 *
 * A table with every column of design 3.3, one row per grid cell in the order common/ ranked
 * them; a cell above the cap is marked on its whole row and a cell without a valid sample
 * (缺测) is dimmed. Activating a row emits "cell-activated" with the cell's id.
 */
#pragma once

#include <gtk/gtk.h>

#include "dg-month-report.h"

G_BEGIN_DECLS

/* The ranking table's columns, in order. */
typedef enum
{
  DG_OFFICE_COLUMN_RANK,
  DG_OFFICE_COLUMN_CODE,
  DG_OFFICE_COLUMN_NAME,
  DG_OFFICE_COLUMN_UNIT,
  DG_OFFICE_COLUMN_VALUE,
  DG_OFFICE_COLUMN_CAP,
  DG_OFFICE_COLUMN_EXCEEDS,
  DG_OFFICE_COLUMN_SITE_MAX,
  DG_OFFICE_COLUMN_SITE_MIN,
  DG_OFFICE_COLUMN_MOM_CHANGE,
  DG_OFFICE_COLUMN_MOM_PCT,
  DG_OFFICE_COLUMN_YOY_PCT,
  DG_OFFICE_COLUMN_YTD_MEAN,
  DG_OFFICE_COLUMN_YTD_EXCEEDS,
  DG_OFFICE_N_COLUMNS
} DgOfficeColumn;

#define DG_TYPE_RANKING_TAB (dg_ranking_tab_get_type ())
G_DECLARE_FINAL_TYPE (DgRankingTab, dg_ranking_tab, DG, RANKING_TAB, GtkWidget)

GtkWidget     *dg_ranking_tab_new        (void);
DgMonthReport *dg_ranking_tab_get_report (DgRankingTab   *self);
void           dg_ranking_tab_set_report (DgRankingTab   *self,
                                          DgMonthReport  *report);
/* The text the table shows in @column of row @position (newly allocated), or NULL. */
char          *dg_ranking_tab_dup_text   (DgRankingTab   *self,
                                          guint           position,
                                          DgOfficeColumn  column);
GtkColumnView *dg_ranking_tab_get_view   (DgRankingTab   *self);

G_END_DECLS
