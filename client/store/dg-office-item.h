/* dg-office-item.h: one row of an office table, for a GListModel.
 *
 * Holds a row of a DgMonthReport (a DgCellRank or a DgRoadRow) and a reference to the report,
 * which owns the row and so outlives the item.
 */
#pragma once

#include "dg-month-report.h"

G_BEGIN_DECLS

#define DG_TYPE_OFFICE_ITEM (dg_office_item_get_type ())
G_DECLARE_FINAL_TYPE (DgOfficeItem, dg_office_item, DG, OFFICE_ITEM, GObject)

DgOfficeItem  *dg_office_item_new        (DgMonthReport *report,
                                          gconstpointer  row);
DgMonthReport *dg_office_item_get_report (DgOfficeItem  *self);
gconstpointer  dg_office_item_get_row    (DgOfficeItem  *self);

G_END_DECLS
