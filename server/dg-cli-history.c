/* dg-cli-history.c: `dustgrid-server import-history --db FILE [--dry-run] FILE.csv|FILE.xlsx`
 * (design 6.4): an office's dust-fall values from before DustGrid, as dustfall_history records.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <stdio.h>

#include "dg-cli-private.h"
#include "dg-store.h"

/* The administrator's import, as `import` writes reference data. */
#define IMPORT_USER "admin"

static int
compare_refusals (gconstpointer a,
                  gconstpointer b)
{
  const DgHistoryRefusal *ra = a, *rb = b;

  return ra->row < rb->row ? -1 : ra->row > rb->row;
}

int
dg_cli_import_history (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgSheet) sheet = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(DgHistoryImport) import = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GArray) lines = NULL;
  gboolean dry_run = FALSE;
  guint applied = 0, unchanged = 0;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      "Check every row and say what importing would do, storing nothing", NULL },
    { NULL }
  };

  if (!dg_cli_parse_options ("import-history", "FILE.csv|FILE.xlsx", entries, &argc, &argv,
                             &error))
    return dg_cli_fail ("import-history", error);
  if (argc != 2)
    {
      fprintf (stderr, "dustgrid-server import-history: give one FILE.csv or FILE.xlsx\n");
      return DG_CLI_EXIT_USAGE;
    }

  sheet = dg_sheet_read_file (argv[1], &error);
  if (sheet == NULL)
    return dg_cli_fail ("import-history", error);

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("import-history", error);
  cells = dg_store_load_grid_cells (store, &error);
  if (cells == NULL)
    return dg_cli_fail ("import-history", error);

  import = dg_history_import_new (sheet, cells, &error);
  if (import == NULL)
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return dg_cli_fail ("import-history", error);
    }

  results = dg_store_import_changes (store, import->changes, IMPORT_USER, dry_run, &error);
  if (results == NULL)
    return dg_cli_fail ("import-history", error);

  /* The rows refused before the store and those it refused, in the order of the sheet. */
  lines = g_array_new (FALSE, TRUE, sizeof (DgHistoryRefusal));
  g_array_set_clear_func (lines, dg_history_refusal_clear);
  for (guint i = 0; i < import->refused->len; i++)
    {
      const DgHistoryRefusal *r = &g_array_index (import->refused, DgHistoryRefusal, i);
      DgHistoryRefusal copy = { r->row, g_strdup_printf ("row %u: %s", r->row, r->message) };

      g_array_append_val (lines, copy);
    }
  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);
      DgHistoryRefusal line = { g_array_index (import->rows, guint, i), NULL };

      if (result->status == DG_RESULT_APPLIED)
        applied++;
      else if (result->status == DG_RESULT_UNCHANGED)
        unchanged++;
      else if (result->error != NULL)
        line.message = dg_history_import_describe (import, i, result->error);
      else
        line.message = g_strdup_printf ("row %u: %s", line.row,
                                        dg_result_status_to_string (result->status));
      if (line.message != NULL)
        g_array_append_val (lines, line);
    }
  g_array_sort (lines, compare_refusals);

  fprintf (stdout, "imported %u, unchanged %u, rejected %u\n", applied, unchanged, lines->len);
  for (guint i = 0; i < lines->len; i++)
    fprintf (stdout, "%s\n", g_array_index (lines, DgHistoryRefusal, i).message);

  return lines->len > 0 ? 1 : 0;
}
