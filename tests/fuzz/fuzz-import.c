/* fuzz-import.c: the bytes of a REFERENCE.json through what `dustgrid-server import` runs:
 * dg_json_parse() and dg_store_import_reference() into a fresh in-memory store.
 *
 * Besides crashes, leaks and criticals (G_DEBUG=fatal-criticals), it checks that the import is
 * all-or-nothing (a refused file leaves the store with nothing of it), that the revision chain
 * still verifies, and that importing an accepted file again changes nothing when its ids are
 * distinct.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dg-store.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

/* TRUE when every element of every section names a different id: only then is a second import
 * of the same file a pure retry. */
static gboolean
ids_distinct (JsonObject *root)
{
  static const char * const sections[] = { "roads", "grid_cells", "rules" };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      JsonNode *node = json_object_get_member (root, sections[s]);
      JsonArray *array;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonNode *id;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          id = json_object_get_member (json_node_get_object (element), "id");
          if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING)
            continue;
          if (!g_hash_table_add (seen, (gpointer) json_node_get_string (id)))
            return FALSE;
        }
    }

  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DgStore) store = NULL;
  guint applied = 0, unchanged = 0;
  gint64 before, after;

  if (size > DG_MAX_BODY_BYTES)
    return 0;

  root = dg_json_parse ((const char *) bytes, size, &error);
  if (root == NULL)
    {
      if (error == NULL || error->domain != DG_ERROR)
        fuzz_fail ("dg_json_parse failed without a DG_ERROR");
      return 0;
    }

  store = dg_store_open (":memory:", &error);
  if (store == NULL)
    fuzz_fail ("cannot open an in-memory store: %s", error->message);
  if (!dg_store_verify (store, &before, &error))
    fuzz_fail ("a new store does not verify: %s", error->message);

  if (!dg_store_import_reference (store, root, "admin", &applied, &unchanged, &error))
    {
      if (error == NULL || error->domain != DG_ERROR)
        fuzz_fail ("the import failed without a DG_ERROR");
      g_clear_error (&error);
      if (!dg_store_verify (store, &after, &error))
        fuzz_fail ("a refused import broke the chain: %s", error->message);
      if (after != before)
        fuzz_fail ("a refused import stored %" G_GINT64_FORMAT " revisions", after - before);
      return 0;
    }

  if (!dg_store_verify (store, &after, &error))
    fuzz_fail ("the import broke the chain: %s", error->message);
  if (after != before + applied)
    fuzz_fail ("%u applied but %" G_GINT64_FORMAT " revisions stored", applied, after - before);

  if (JSON_NODE_HOLDS_OBJECT (root) && ids_distinct (json_node_get_object (root)))
    {
      guint applied2 = 0, unchanged2 = 0;

      if (!dg_store_import_reference (store, root, "admin", &applied2, &unchanged2, &error))
        fuzz_fail ("a second import of an accepted file failed: %s", error->message);
      if (applied2 != 0 || unchanged2 != applied + unchanged)
        fuzz_fail ("a second import applied %u, left %u unchanged (first: %u, %u)",
                   applied2, unchanged2, applied, unchanged);
    }

  dg_store_close (store);
  return 0;
}
