/* fuzz-change.c: the bytes of a POST /api/v1/changes body through the CHANGE decoder and the
 * record validation of common/, as the server runs them, then back out through every encoder.
 *
 * Besides crashes, leaks and criticals (G_DEBUG=fatal-criticals), it checks the two properties
 * the revision hashes and the "unchanged" answer rely on: normalized data decodes again and
 * re-encodes to the same canonical text, and canonical text parses back to itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dustgrid-common.h"
#include "fuzz-common.h"

static DgRuleSet *rules;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  rules = dg_rule_set_new_default ();
  return 0;
}

static char *
canonical_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return dg_json_canonical (node);
}

/* Canonical text is valid JSON within every limit and parses back to the same text.
 *
 * With @raw, @text encodes input as it was parsed, not normalized data. json-glib decodes a lone
 * surrogate escape ("\udc00") to bytes that are not UTF-8; the typed accessors refuse such
 * strings, so they never reach stored data, but the raw tree still holds them, and its encoding
 * is not UTF-8 either: only valid text is checked then. */
static void
check_canonical_reparses (const char *text,
                          gboolean    raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *again = NULL;

  if (raw && !g_utf8_validate (text, -1, NULL))
    return;

  node = dg_json_parse (text, strlen (text), &error);
  if (node == NULL)
    fuzz_fail ("canonical text does not parse (%s): %s", error->message, text);
  again = dg_json_canonical (node);
  if (strcmp (text, again) != 0)
    fuzz_fail ("canonical text is not stable:\n  %s\n  %s", text, again);
}

static void
fuzz_data (DgRecordType  type,
           const char   *id,
           JsonObject   *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) encoded = NULL;
  g_autoptr(JsonObject) reencoded = NULL;
  g_autoptr(JsonObject) computed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  gpointer record, second;

  record = dg_record_data_from_json (type, id, data, &error);
  if (record == NULL)
    {
      if (error == NULL || error->domain != DG_ERROR)
        fuzz_fail ("dg_record_data_from_json failed without a DG_ERROR");
      return;
    }

  encoded = dg_record_data_to_json (type, record);
  text = canonical_object (encoded);
  check_canonical_reparses (text, FALSE);

  /* What the server stores must be accepted again as it is. */
  second = dg_record_data_from_json (type, id, encoded, &error);
  if (second == NULL)
    fuzz_fail ("normalized data is refused (%s): %s", error->message, text);
  reencoded = dg_record_data_to_json (type, second);
  text2 = canonical_object (reencoded);
  if (strcmp (text, text2) != 0)
    fuzz_fail ("normalization is not idempotent:\n  %s\n  %s", text, text2);

  computed = dg_record_computed_to_json (type, record, rules);
  if (computed != NULL)
    {
      g_autofree char *ctext = canonical_object (computed);

      check_canonical_reparses (ctext, FALSE);
    }

  dg_record_data_free (type, record);
  dg_record_data_free (type, second);
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes = NULL;

  /* The server refuses bigger bodies from Content-Length before reading them. */
  if (size > DG_MAX_BODY_BYTES)
    return 0;

  root = dg_json_parse ((const char *) bytes, size, &error);
  if (root == NULL)
    {
      if (error == NULL || error->domain != DG_ERROR)
        fuzz_fail ("dg_json_parse failed without a DG_ERROR");
      return 0;
    }

  {
    g_autofree char *text = dg_json_canonical (root);

    check_canonical_reparses (text, TRUE);
  }

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !dg_json_get_array (json_node_get_object (root), "changes", &changes, &error))
    return 0;

  for (guint i = 0; i < json_array_get_length (changes) && i < DG_MAX_BATCH_CHANGES; i++)
    {
      g_autoptr(GError) change_error = NULL;
      g_autoptr(DgChange) change = dg_change_from_json (json_array_get_element (changes, i),
                                                        &change_error);

      if (change == NULL)
        {
          if (change_error == NULL || change_error->domain != DG_ERROR)
            fuzz_fail ("dg_change_from_json failed without a DG_ERROR");
          continue;
        }

      /* A deletion may come without data: the server does not decode it then. */
      if (change->data != NULL)
        fuzz_data (change->type, change->id, change->data);

      {
        g_autoptr(JsonNode) node = dg_change_to_json (change);
        g_autofree char *text = dg_json_canonical (node);

        check_canonical_reparses (text, TRUE);
      }
    }

  return 0;
}
