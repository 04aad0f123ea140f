/* dg-sheet.h: the first sheet of a CSV or XLSX file as rows of text, numbered as the spreadsheet
 * numbers them (design 6.4, `import-history`).
 *
 * Debian 12 has no XLSX reader in C: an XLSX file is a zip of XML parts, read here with libzip
 * and libxml2 (the workbook's first sheet, shared and inline strings, numbers, dates stored as
 * serial numbers with a date format or as text).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An XLSX part larger than this once unzipped is refused: a spreadsheet of a district's history
 * is a few hundred kilobytes, and a zip bomb would otherwise fill the memory. */
#define DG_SHEET_MAX_PART_BYTES (64 * 1024 * 1024)

typedef struct
{
  guint  number;   /* as the spreadsheet shows it: 1 is the first row */
  GStrv  cells;    /* column A first; an empty cell is ""; trailing empty cells left out. A
                    * number is its shortest decimal ("12.3"), a date "YYYY-MM-DD". */
} DgSheetRow;

typedef struct
{
  GArray *rows;    /* of DgSheetRow: the rows with any text, in order */
} DgSheet;

/* RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, quotes ("") and line
 * breaks; UTF-8 with or without a BOM, or else GB18030 (what Excel on a Chinese Windows saves).
 * A row's number counts records, not lines, as a spreadsheet opening the file would. */
DgSheet    *dg_sheet_read_csv   (const char  *data,
                                 gsize        length,
                                 GError     **error);
/* An Office Open XML workbook (.xlsx): its first sheet. */
DgSheet    *dg_sheet_read_xlsx  (const char  *data,
                                 gsize        length,
                                 GError     **error);
/* By the name's extension: .xlsx, else CSV. Errors name the file. */
DgSheet    *dg_sheet_read_file  (const char  *path,
                                 GError     **error);
void        dg_sheet_free       (DgSheet     *sheet);

/* The text of @column (0 = A) of @row, "" when the row is shorter. */
const char *dg_sheet_row_cell   (const DgSheetRow *row,
                                 guint             column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgSheet, dg_sheet_free)

G_END_DECLS
