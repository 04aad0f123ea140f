/* dg-local-store-reference.c
 *
 * Reference data: roads, grid cells and rules, imported from the bundled sample district until
 * a first complete pull replaces them, and read back as the model types of common/.
 */

#define G_LOG_DOMAIN "dg-local-store"

#include "config.h"

#include <gio/gio.h>

#include "dg-local-store-private.h"

GResource *dg_get_resource (void);

gboolean
dg_local_store_import_reference (DgLocalStore  *self,
                                 JsonNode      *root,
                                 gboolean       bundled,
                                 GError       **error)
{
  /* Units first: roads and cells name them. */
  static const struct { const char *member; DgRecordType type; } parts[] = {
    { "units", DG_RECORD_UNIT },
    { "roads", DG_RECORD_ROAD },
    { "grid_cells", DG_RECORD_GRID_CELL },
    { "rules", DG_RECORD_RULE },
  };
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DG_ERROR, DG_ERROR_BAD_JSON, "Reference data is not an object");
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!dg_ls_write_begin (self, error))
    return FALSE;

  for (guint p = 0; p < G_N_ELEMENTS (parts) && local_error == NULL; p++)
    {
      JsonArray *array;

      if (!json_object_has_member (object, parts[p].member))
        continue;
      if (!dg_json_get_array (object, parts[p].member, &array, &local_error))
        break;

      for (guint i = 0; i < json_array_get_length (array) && local_error == NULL; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autoptr(DgRecord) record = NULL;
          g_autofree char *id = NULL;
          JsonObject *element;
          gpointer parsed;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (&local_error, DG_ERROR, DG_ERROR_INVALID_FIELD,
                           "%s[%u] is not an object", parts[p].member, i);
              break;
            }
          element = json_node_get_object (node);
          if (!dg_json_get_string (element, "id", DG_UUID_LEN, &id, &local_error))
            break;
          parsed = dg_record_data_from_json (parts[p].type, id, element, &local_error);
          if (parsed == NULL)
            break;

          record = dg_record_new ();
          record->type = parts[p].type;
          record->id = g_strdup (id);
          record->state = DG_RECORD_STATE_ACTIVE;
          record->data = dg_record_data_to_json (parts[p].type, parsed);
          dg_record_data_free (parts[p].type, parsed);

          dg_ls_put_record_locked (self, record, bundled ? "bundled" : "synced", &local_error);
        }
    }

  return dg_ls_write_end (self, DG_LS_WRITE_RECORDS, &local_error, error);
}

gboolean
dg_local_store_ensure_reference (DgLocalStore  *self,
                                 GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  gsize size;
  const char *text;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), FALSE);
  GUARD_SQL (error, FALSE);

  roads = dg_local_store_list_roads (self);
  if (roads->len > 0)
    return TRUE;

  /* Looked up in our own resource: the static library may not have registered it yet. */
  bytes = g_resource_lookup_data (dg_get_resource (), "/org/dustgrid/DustGrid/sample-district.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  text = g_bytes_get_data (bytes, &size);
  root = dg_json_parse (text, size, error);
  if (root == NULL)
    return FALSE;
  return dg_local_store_import_reference (self, root, TRUE, error);
}

static GPtrArray *
list_reference (DgLocalStore   *self,
                DgRecordType    type,
                GDestroyNotify  free_func)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (free_func);

  entries = dg_ls_list_entries (self,
                                "SELECT " DG_LS_ENTRY_COLUMNS " FROM records r"
                                " WHERE r.type = ? AND r.deleted = 0 AND r.data IS NOT NULL"
                                " ORDER BY r.sort_key, r.id",
                                dg_record_type_to_string (type), NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      DgStoreEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;
      gpointer parsed = dg_record_data_from_json (type, entry->id, entry->data, &error);

      if (parsed)
        g_ptr_array_add (out, parsed);
      else
        g_debug ("Skipping %s %s: %s", dg_record_type_to_string (type), entry->id,
                 error->message);
    }
  return out;
}

GPtrArray *
dg_local_store_list_roads (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());
  return list_reference (self, DG_RECORD_ROAD, (GDestroyNotify) dg_road_free);
}

GPtrArray *
dg_local_store_list_grid_cells (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());
  return list_reference (self, DG_RECORD_GRID_CELL, (GDestroyNotify) dg_grid_cell_free);
}

GPtrArray *
dg_local_store_list_units (DgLocalStore *self)
{
  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, g_ptr_array_new ());
  return list_reference (self, DG_RECORD_UNIT, (GDestroyNotify) dg_unit_free);
}

DgRuleSet *
dg_local_store_get_rules (DgLocalStore *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  DgRuleSet *set;

  g_return_val_if_fail (DG_IS_LOCAL_STORE (self), NULL);
  GUARD_SQL (NULL, dg_rule_set_new_default ());

  rules = list_reference (self, DG_RECORD_RULE, (GDestroyNotify) dg_rule_free);
  /* No rule stored yet: the defaults of section 3 apply, as on a new server. */
  if (rules->len == 0)
    return dg_rule_set_new_default ();

  set = dg_rule_set_new ();
  for (guint i = 0; i < rules->len; i++)
    dg_rule_set_add (set, g_ptr_array_index (rules, i));
  return set;
}
