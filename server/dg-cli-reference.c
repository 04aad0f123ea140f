/* dg-cli-reference.c: the district's reference data in and out: `import` of a reference file
 * or a GeoJSON layer of grid cells or roads (design 6.4), and `reference export`, which writes
 * the file `import` reads back unchanged.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-cli-private.h"
#include "dg-store.h"

/* `import --kind grid_cell|road FILE.geojson` (design 6.4): one line of counts as `import`
 * prints, a line per refused feature, exit 1 when any was. */
static int
import_geojson (DgStore    *store,
                const char *kind,
                JsonNode   *root,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgGeojsonImport) import = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint applied = 0, unchanged = 0;
  DgRecordType type;

  if (!dg_record_type_from_string (kind, &type) ||
      (type != DG_RECORD_GRID_CELL && type != DG_RECORD_ROAD))
    {
      fprintf (stderr, "dustgrid-server import: --kind must be grid_cell or road\n");
      return DG_CLI_EXIT_USAGE;
    }

  import = dg_geojson_import_new (root, type, &error);
  if (import == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      return dg_cli_fail ("import", error);
    }

  results = dg_store_import_changes (store, import->changes, "admin", FALSE, &error);
  if (results == NULL)
    return dg_cli_fail ("import", error);

  for (guint i = 0; i < import->refused->len; i++)
    g_ptr_array_add (lines, g_strdup (g_ptr_array_index (import->refused, i)));
  for (guint i = 0; i < results->len; i++)
    {
      DgResult *result = g_ptr_array_index (results, i);

      if (result->status == DG_RESULT_APPLIED)
        applied++;
      else if (result->status == DG_RESULT_UNCHANGED)
        unchanged++;
      else if (result->error != NULL)
        g_ptr_array_add (lines, dg_geojson_import_describe (import, i, result->error));
      else
        g_ptr_array_add (lines, g_strdup_printf ("features[%u]: %s",
                                                 g_array_index (import->features, guint, i),
                                                 dg_result_status_to_string (result->status)));
    }

  fprintf (stdout, "imported %u, unchanged %u, rejected %u\n", applied, unchanged, lines->len);
  for (guint i = 0; i < lines->len; i++)
    fprintf (stdout, "%s\n", (const char *) g_ptr_array_index (lines, i));

  return lines->len > 0 ? 1 : 0;
}

int
dg_cli_import (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *kind = NULL;
  guint applied = 0, unchanged = 0;
  gsize length;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      "Read a GeoJSON FeatureCollection of grid_cell or road features", "KIND" },
    { NULL }
  };

  if (!dg_cli_parse_options ("import", "REFERENCE.json | --kind grid_cell|road FILE.geojson",
                             entries, &argc, &argv, &error))
    return dg_cli_fail ("import", error);
  if (argc != 2)
    {
      fprintf (stderr, "dustgrid-server import: give one REFERENCE.json or FILE.geojson file\n");
      return DG_CLI_EXIT_USAGE;
    }

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return dg_cli_fail ("import", error);
  root = dg_json_parse (contents, length, &error);
  if (root == NULL)
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return dg_cli_fail ("import", error);
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("import", error);
  if (kind != NULL)
    return import_geojson (store, kind, root, argv[1]);

  if (!dg_store_import_reference (store, root, "admin", &applied, &unchanged, &error))
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return dg_cli_fail ("import", error);
    }

  fprintf (stdout, "imported %u records, %u unchanged\n", applied, unchanged);
  return 0;
}

static void
copy_member_cb (JsonObject  *object,
                const char  *member,
                JsonNode    *node,
                gpointer     user_data)
{
  json_object_set_member (user_data, member, json_node_copy (node));
}

/* `reference export`: the district's reference data in the form `import` reads (design 4 and
 * 6.1), each element its stored data plus "id", so that importing the file back finds every
 * element unchanged. Deleted records are left out. */
int
dg_cli_reference (int    argc,
                  char **argv)
{
  static const struct { DgRecordType type; const char *member; } parts[] = {
    { DG_RECORD_UNIT, "units" },
    { DG_RECORD_ROAD, "roads" },
    { DG_RECORD_GRID_CELL, "grid_cells" },
    { DG_RECORD_RULE, "rules" },
  };
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray *arrays[G_N_ELEMENTS (parts)];
  gint64 since = 0;
  gboolean more = TRUE;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "The file to write", "FILE.json" },
    { NULL }
  };

  if (argc < 2 || strcmp (argv[1], "export") != 0)
    {
      dg_cli_usage ();
      return DG_CLI_EXIT_USAGE;
    }
  argv[1] = argv[0];
  argc--;
  argv++;

  if (!dg_cli_parse_options ("reference export", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("reference export", error);
  if (output == NULL || argc != 1)
    {
      fprintf (stderr, "dustgrid-server reference export: --output FILE.json is required\n");
      return DG_CLI_EXIT_USAGE;
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("reference export", error);

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      arrays[p] = json_array_new ();
      json_object_set_array_member (root, parts[p].member, arrays[p]);
    }

  /* The feed holds each record once, as it now is, by seq: parents before the units below them
   * as they were made (and import orders units itself anyway). */
  while (more)
    {
      g_autoptr(GPtrArray) records = dg_store_pull (store, DG_CLI_ACTOR, DG_ROLE_ADMIN, since, 1000,
                                                    &since, &more, &error);

      if (records == NULL)
        return dg_cli_fail ("reference export", error);
      for (guint i = 0; i < records->len; i++)
        {
          const DgRecord *record = g_ptr_array_index (records, i);
          JsonObject *element;

          if (record->deleted || record->data == NULL || !dg_record_type_is_reference (record->type))
            continue;
          element = json_object_new ();
          json_object_set_string_member (element, "id", record->id);
          json_object_foreach_member (record->data, copy_member_cb, element);
          for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
            {
              if (parts[p].type == record->type)
                json_array_add_object_element (arrays[p], g_steal_pointer (&element));
            }
          g_clear_pointer (&element, json_object_unref);
        }
    }

  node = json_node_init_object (json_node_alloc (), root);
  text = json_to_string (node, TRUE);
  if (!g_file_set_contents (output, text, -1, &error))
    return dg_cli_fail ("reference export", error);

  fprintf (stdout, "exported %u units, %u roads, %u grid cells, %u rules\n",
           json_array_get_length (arrays[0]), json_array_get_length (arrays[1]),
           json_array_get_length (arrays[2]), json_array_get_length (arrays[3]));
  return 0;
}
