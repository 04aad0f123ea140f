/* dg-history-import.h: the office's old spreadsheet of dust-fall values as dustfall_history
 * changes (design 6.4, `dustgrid-server import-history`).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-model.h"
#include "dg-sheet.h"

G_BEGIN_DECLS

/* What every imported value's `source` says. */
#define DG_HISTORY_SOURCE_IMPORT "import"

typedef struct
{
  guint  row;       /* as the spreadsheet numbers it */
  char  *message;   /* "code Q-99 names no grid cell" */
} DgHistoryRefusal;

/* Frees the message (a GArray clear func). */
void             dg_history_refusal_clear   (gpointer                data);

typedef struct
{
  JsonArray *changes;   /* dustfall_history CHANGE objects, base_rev 0, ids derived from cell
                         * and month, source "import" */
  GArray    *rows;      /* of guint: the spreadsheet row of each change */
  GArray    *refused;   /* of DgHistoryRefusal, by row: rows not turned into changes (the store
                         * judges the rest) */
} DgHistoryImport;

/* Reads @sheet: its first row the header, naming the columns 月份 (or month), 网格编号 (or
 * code) and 降尘量 (or value) in any order (a unit after the name, "降尘量（t/km²·30d）", is
 * allowed); each further row a value. @cells (DgGridCell *) are the district's, matched by code.
 * A month may be written 2025-03, 2025/3, 2025.03, 2025年3月, 202503 or as a date of the month.
 * NULL with DG_ERROR_INVALID_FIELD when the header lacks a column or the sheet is empty. */
DgHistoryImport *dg_history_import_new      (const DgSheet          *sheet,
                                             GPtrArray              *cells,
                                             GError                **error);
void             dg_history_import_free     (DgHistoryImport        *import);

/* The month of @text as YYYY-MM, or NULL. */
char            *dg_history_parse_month     (const char             *text);

/* "row 7: value must be ≤ 10000": the store's refusal of the change at @index, placed on its
 * row. */
char            *dg_history_import_describe (const DgHistoryImport  *import,
                                             guint                   index,
                                             const GError           *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgHistoryImport, dg_history_import_free)

G_END_DECLS
