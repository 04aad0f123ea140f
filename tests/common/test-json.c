/* test-json.c: safe JSON input, canonical output, typed accessors and the DG_ERROR domain. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dustgrid-common.h"

#define assert_dg_error(err, error_code, expected_field)              \
  G_STMT_START {                                                      \
    g_assert_error ((err), DG_ERROR, (gint) (error_code));            \
    g_assert_cmpstr (dg_error_get_field (err), ==, (expected_field)); \
  } G_STMT_END

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = dg_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_parse_fails (const char  *text,
                    gsize        length,
                    gint         code)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = dg_json_parse (text, length, &error);

  if (node != NULL)
    g_test_message ("unexpectedly parsed: %.60s", text);
  g_assert_null (node);
  g_assert_error (error, DG_ERROR, code);
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* ---- Parsing ---- */

static void
test_parse_object (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"a\": [1, 2.5, \"x\", true, null], \"b\": {}}");
  JsonObject *object = object_of (node);

  g_assert_true (json_object_has_member (object, "a"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "a")), ==, 5);
}

static void
test_parse_non_object_root (void)
{
  /* Whether the root must be an object is the caller's business. */
  g_autoptr(JsonNode) array = parse_ok ("[1, 2]");
  g_autoptr(JsonNode) number = parse_ok ("  42 ");

  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  g_assert_cmpint (json_node_get_int (number), ==, 42);
}

static void
test_parse_truncated (void)
{
  const char *cases[] = {
    "{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,", "[1, 2", "\"abc", "{\"a\": \"x",
    "[\"\\", "[\"\\u12", "[tru", "[-", "[1.", "[1e",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i]);
      assert_parse_fails (cases[i], strlen (cases[i]), DG_ERROR_BAD_JSON);
    }
}

static void
test_parse_empty (void)
{
  assert_parse_fails ("", 0, DG_ERROR_BAD_JSON);
  assert_parse_fails ("   \n", 4, DG_ERROR_BAD_JSON);
}

static void
test_parse_malformed (void)
{
  const char *cases[] = {
    "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "{a: 1}", "[1 2]", "}", "]", "[}", "{]", ":", "[\"a\" : 1]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i]);
      assert_parse_fails (cases[i], strlen (cases[i]), DG_ERROR_BAD_JSON);
    }
}

static char *
nested (guint depth,
        char  open,
        char  close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, open);
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, close);

  return g_string_free (s, FALSE);
}

static void
test_parse_deep_10000 (void)
{
  g_autofree char *arrays = nested (10000, '[', ']');
  g_autoptr(GString) objects = g_string_new (NULL);

  assert_parse_fails (arrays, strlen (arrays), DG_ERROR_TOO_DEEP);

  for (guint i = 0; i < 10000; i++)
    g_string_append (objects, "{\"a\":");
  g_string_append (objects, "1");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (objects, '}');
  assert_parse_fails (objects->str, objects->len, DG_ERROR_TOO_DEEP);

  /* Unclosed: refused for depth before anyone notices it is also truncated. */
  assert_parse_fails (arrays, 10000, DG_ERROR_TOO_DEEP);
}

static void
test_parse_depth_limit (void)
{
  g_autofree char *ok = nested (DG_JSON_MAX_DEPTH, '[', ']');
  g_autofree char *too_deep = nested (DG_JSON_MAX_DEPTH + 1, '[', ']');
  g_autoptr(JsonNode) node = parse_ok (ok);
  g_autoptr(GError) error = NULL;

  assert_parse_fails (too_deep, strlen (too_deep), DG_ERROR_TOO_DEEP);

  g_assert_true (dg_json_check_depth ("[[1]]", 5, 2, &error));
  g_assert_no_error (error);
  g_assert_false (dg_json_check_depth ("[[1]]", 5, 1, &error));
  assert_dg_error (error, DG_ERROR_TOO_DEEP, NULL);
}

static void
test_parse_brackets_in_strings (void)
{
  g_autoptr(GString) text = g_string_new ("{\"s\": \"");
  g_autoptr(JsonNode) node = NULL;

  /* 10 000 brackets, quotes and backslashes inside a string are text, not nesting. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "[{");
  g_string_append (text, "\\\"[[[\\\\");
  g_string_append (text, "\", \"t\": \"]]]}}}\"}");

  node = parse_ok (text->str);
  g_assert_cmpuint (strlen (json_object_get_string_member (object_of (node), "s")), ==,
                    20000 + 5);
}

static void
test_parse_escaped_quote (void)
{
  /* An escaped quote does not end the string: the brackets after it are still inside it. */
  g_autoptr(GString) text = g_string_new ("[\"\\\"");
  g_autofree char *deep = nested (100, '[', ']');
  g_autoptr(JsonNode) node = NULL;

  g_string_append (text, deep);
  g_string_append (text, "\"]");
  node = parse_ok (text->str);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  /* ...but an escaped backslash before the quote does end it. */
  g_string_assign (text, "[\"\\\\\", ");
  g_string_append (text, deep);
  g_string_append (text, "]");
  assert_parse_fails (text->str, text->len, DG_ERROR_TOO_DEEP);
}

static void
test_parse_invalid_utf8 (void)
{
  const char bad[] = "{\"name\": \"caf\xc3\x28\"}";
  const char overlong[] = "{\"name\": \"\xc0\xaf\"}";
  const char with_nul[] = "{\"a\": 1}\0 ";

  assert_parse_fails (bad, sizeof bad - 1, DG_ERROR_BAD_JSON);
  assert_parse_fails (overlong, sizeof overlong - 1, DG_ERROR_BAD_JSON);
  assert_parse_fails (with_nul, sizeof with_nul - 1, DG_ERROR_BAD_JSON);
}

static void
test_parse_json_glib_extensions (void)
{
  /* json-glib 1.6 accepts these; a '"' inside single quotes or a comment would hide the
   * brackets after it from a depth count, so they are refused before json-glib sees them. */
  g_autofree char *deep = nested (1000, '[', ']');
  g_autofree char *sq = g_strdup_printf ("['\"', %s, '\"']", deep);
  g_autofree char *comment = g_strdup_printf ("[1 /* \" */, %s /* \" */]", deep);
  const char *cases[] = { "'x'", "[1 /* c */]", "[0x10]", "[.5]", "[01]", "[1] [2]", "[+1]",
                          "[NaN]", "[Infinity]", "[True]", "[nul]", "{\"a\":1}x" };

  assert_parse_fails (sq, strlen (sq), DG_ERROR_BAD_JSON);
  assert_parse_fails (comment, strlen (comment), DG_ERROR_BAD_JSON);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i]);
      assert_parse_fails (cases[i], strlen (cases[i]), DG_ERROR_BAD_JSON);
    }
}

static void
test_parse_integer_range (void)
{
  g_autoptr(JsonNode) max = parse_ok ("[9223372036854775807, -9223372036854775808]");
  JsonArray *array = json_node_get_array (max);

  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MININT64);

  /* json-glib 1.6 wraps these silently (99999999999999999999 reads as -1). */
  assert_parse_fails ("[9223372036854775808]", 21, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[99999999999999999999]", 22, DG_ERROR_BAD_JSON);
  assert_parse_fails ("{\"base_rev\": 18446744073709551616}", 34, DG_ERROR_BAD_JSON);
}

static void
test_parse_escapes (void)
{
  g_autoptr(JsonNode) node = parse_ok ("[\"a\\u00e9\\n\\t\\/\\\"\", \"\\ud83d\\ude00\"]");
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "a\xc3\xa9\n\t/\"");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "\xf0\x9f\x98\x80");

  assert_parse_fails ("[\"\\x41\"]", 8, DG_ERROR_BAD_JSON);
  /* json-glib would cut the string at the NUL without a word. */
  assert_parse_fails ("[\"a\\u0000b\"]", 12, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[\"\\u12G4\"]", 10, DG_ERROR_BAD_JSON);
  /* A lone surrogate: json-glib refuses it too; either way, no critical. */
  assert_parse_fails ("[\"\\ud800\"]", 10, DG_ERROR_BAD_JSON);
}

/* A high surrogate followed by an escape that is not its low half leaks json-glib 1.6's string
 * buffer, once per request and before authentication: the tokenizer refuses every unpaired
 * half, and still passes a real pair. */
static void
test_parse_refuses_unpaired_surrogates (void)
{
  g_autoptr(JsonNode) pair = parse_ok ("[\"\\ud83d\\ude00\"]");

  g_assert_nonnull (pair);
  assert_parse_fails ("[\"\\ud800\\u0041\"]", 16, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[\"\\ud800\\ud800\"]", 16, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[\"\\udc00\\ud800\"]", 16, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[\"\\ud800x\"]", 11, DG_ERROR_BAD_JSON);
  assert_parse_fails ("[\"\\ud800\\", 9, DG_ERROR_BAD_JSON);
}

/* Truncations and byte flips of a real request: whatever dg_json_parse() makes of them, it
 * returns a node or a bad_json/too_deep error, and never lets json-glib print a critical. */
static void
test_parse_mutations (void)
{
  const char *seed =
    "{\"changes\": [{\"type\": \"road_check\", \"id\": \"6f1c2b1e-8a4d-4c1e-9b7a-2d3e4f5a6b7c\","
    " \"base_rev\": 0, \"data\": {\"date\": \"2025-03-14\", \"notes\": \"\\\"[{\\\\\","
    " \"points\": [{\"seq\": 1, \"mass_g\": -4.25e-1, \"ok\": true, \"n\": null}]}}]}";
  const char alphabet[] = "{}[]\",:\\/'#*0-.eE+tfnu \x01\x80\xc3\xff";
  gsize len = strlen (seed);
  guint n_ok = 0;

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = dg_json_parse (seed, cut, &error);

      if (node == NULL)
        g_assert_true (g_error_matches (error, DG_ERROR, DG_ERROR_BAD_JSON));
      else
        n_ok++;
    }
  /* Only the whole text (and nothing shorter) is a complete document. */
  g_assert_cmpuint (n_ok, ==, 1);

  for (guint round = 0; round < 20000; round++)
    {
      g_autofree char *text = g_strdup (seed);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      guint flips = (guint) g_test_rand_int_range (1, 4);

      for (guint f = 0; f < flips; f++)
        text[g_test_rand_int_range (0, (gint32) len)] =
          alphabet[g_test_rand_int_range (0, (gint32) sizeof alphabet - 1)];

      node = dg_json_parse (text, len, &error);
      if (node == NULL)
        g_assert_true (g_error_matches (error, DG_ERROR, DG_ERROR_BAD_JSON) ||
                       g_error_matches (error, DG_ERROR, DG_ERROR_TOO_DEEP));
      else
        g_assert_no_error (error);
    }
}

/* ---- Canonical output ---- */

static char *
canonical_of (const char *text)
{
  g_autoptr(JsonNode) node = parse_ok (text);

  return dg_json_canonical (node);
}

static void
test_canonical_sorted (void)
{
  g_autofree char *out = canonical_of ("{ \"b\": 1, \"a\": {\"z\": true, \"y\": null},"
                                       "  \"B\": [ 3, 2 ], \"\xc3\xa9\": 0, \"ab\": \"\" }");

  g_assert_cmpstr (out, ==,
                   "{\"B\":[3,2],\"a\":{\"y\":null,\"z\":true},\"ab\":\"\",\"b\":1,"
                   "\"\xc3\xa9\":0}");
}

static void
test_canonical_order_independent (void)
{
  g_autofree char *one = canonical_of ("{\"x\": 1.5, \"y\": [1, {\"q\": 1, \"p\": 2}],"
                                       " \"z\": \"s\"}");
  g_autofree char *two = canonical_of ("{\"z\":\"s\",\"y\":[1,{\"p\":2,\"q\":1}],\"x\":1.5}");

  g_assert_cmpstr (one, ==, two);
}

static void
test_canonical_escapes (void)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *out = NULL;

  json_node_set_string (node, "q\" b\\ n\n t\t \x01 \x1f / \xe5\x8c\x97\xe4\xbe\xa7 \x7f");
  out = dg_json_canonical (node);
  g_assert_cmpstr (out, ==,
                   "\"q\\\" b\\\\ n\\u000a t\\u0009 \\u0001 \\u001f / "
                   "\xe5\x8c\x97\xe4\xbe\xa7 \x7f\"");
}

static void
test_canonical_numbers (void)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *out = NULL;

  json_array_add_double_element (array, 5.7);
  json_array_add_double_element (array, 0.1 + 0.2);
  json_array_add_double_element (array, 5.0);
  json_array_add_double_element (array, -0.0);
  json_array_add_double_element (array, 1e20);
  json_array_add_double_element (array, 1.5e-7);
  json_array_add_double_element (array, dg_round1 (5.66));
  json_array_add_double_element (array, NAN);
  json_array_add_int_element (array, 5);
  json_array_add_int_element (array, -9007199254740993);
  json_array_add_boolean_element (array, FALSE);
  json_node_set_array (node, array);

  out = dg_json_canonical (node);
  g_assert_cmpstr (out, ==,
                   "[5.7,0.30000000000000004,5.0,-0.0,1e+20,1.5e-07,5.7,null,5,-9007199254740993,"
                   "false]");
}

/* What dg_json_canonical() wrote for a double before its fast path for short decimals: the
 * shortest of %.15g, %.16g, %.17g that reads back, with ".0" on an integral value. */
static char *
reference_double (double value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return strpbrk (buf, ".eE") == NULL ? g_strconcat (buf, ".0", NULL) : g_strdup (buf);
}

static void
test_canonical_doubles_as_before (void)
{
  GRand *rand = g_rand_new_with_seed (15);
  const double fixed[] = { 8.34, 0.0022, 176.71, 5.05, 0.1, 0.0001, 0.00015, 1e-5, 999999999.5,
                           1e9, 123456789.1234, -4.5, -0.0005, 30.0, 36.5468, 2.675, 1.005 };

  for (guint i = 0; i < G_N_ELEMENTS (fixed) + 200000; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *out = NULL;
      g_autofree char *expected = NULL;
      double value;

      if (i < G_N_ELEMENTS (fixed))
        value = fixed[i];
      else
        {
          /* Decimals of every length and magnitude, some rounded as the records are. */
          int decimals = g_rand_int_range (rand, 0, 8);
          double magnitude = pow (10, g_rand_int_range (rand, -6, 11));

          value = g_rand_double_range (rand, -1, 1) * magnitude;
          if (decimals < 7)
            value = dg_round (value, decimals);
        }

      json_node_set_double (node, value);
      out = dg_json_canonical (node);
      expected = reference_double (value);
      g_assert_cmpstr (out, ==, expected);
    }

  g_rand_free (rand);
}

static void
test_canonical_reparse_stable (void)
{
  const char *text = "{\"m\": 5.7000000000000002, \"i\": 3, \"d\": 3.0, \"e\": 1E2,"
                     " \"s\": \"\\u00e9\\u0007\", \"n\": [0.1, -2.50]}";
  g_autofree char *first = canonical_of (text);
  g_autofree char *second = canonical_of (first);

  g_assert_cmpstr (first, ==, "{\"d\":3.0,\"e\":100.0,\"i\":3,\"m\":5.7,\"n\":[0.1,-2.5],"
                              "\"s\":\"\xc3\xa9\\u0007\"}");
  g_assert_cmpstr (first, ==, second);
}

static void
test_to_string_member_order (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{ \"b\" : 5.7, \"a\" : [ 1 , \"x\" ] }");
  g_autofree char *out = dg_json_to_string (node);

  g_assert_cmpstr (out, ==, "{\"b\":5.7,\"a\":[1,\"x\"]}");
}

/* ---- Typed accessors ---- */

static JsonNode *
accessor_doc (void)
{
  return parse_ok ("{\"s\": \"text\", \"n\": 2.5, \"i\": 7, \"f\": 3.0, \"b\": true,"
                   " \"z\": null, \"a\": [1], \"o\": {}, \"big\": 1e999, \"neg\": -4}");
}

static void
test_get_string (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  char *none = (char *) "unchanged";

  g_assert_true (dg_json_get_string (object, "s", 4, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "text");

  g_assert_true (dg_json_get_string_opt (object, "missing", 10, &none, &error));
  g_assert_null (none);
  g_assert_true (dg_json_get_string_opt (object, "z", 10, &none, &error));
  g_assert_null (none);
  g_assert_no_error (error);
}

static void
test_get_string_wrong_type (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  const char *members[] = { "n", "i", "b", "a", "o" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(GError) error = NULL;
      char *out = NULL;

      g_assert_false (dg_json_get_string (object, members[i], 100, &out, &error));
      assert_dg_error (error, DG_ERROR_INVALID_FIELD, members[i]);
      g_assert_true (g_str_has_suffix (error->message, "must be a string"));
      g_clear_error (&error);
      g_assert_false (dg_json_get_string_opt (object, members[i], 100, &out, &error));
      assert_dg_error (error, DG_ERROR_INVALID_FIELD, members[i]);
    }
}

static void
test_get_string_missing (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_false (dg_json_get_string (object, "missing", 100, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "missing");
  g_assert_cmpstr (error->message, ==, "missing is required");
  g_clear_error (&error);

  g_assert_false (dg_json_get_string (object, "z", 100, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "z");
}

static void
test_get_string_too_long (void)
{
  g_autofree char *big = g_strnfill (DG_MAX_STRING_BYTES + 1, 'x');
  g_autofree char *text = g_strdup_printf ("{\"name\": \"%s\"}", big);
  g_autoptr(JsonNode) node = parse_ok (text);
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_false (dg_json_get_string (object_of (node), "name", DG_MAX_STRING_BYTES, &out,
                                      &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "name");
  g_assert_null (out);
}

static void
test_get_string_surrogate_escape (void)
{
  /* "\udc00\ud800" is a valid JSON text whose string decodes to something that is not UTF-8,
   * or is refused by json-glib; either way the caller never sees bad UTF-8. */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = dg_json_parse ("{\"s\": \"a\\udc00\"}", 16, &error);

  if (node != NULL)
    {
      char *out = NULL;

      g_assert_false (dg_json_get_string (object_of (node), "s", 100, &out, &error));
      assert_dg_error (error, DG_ERROR_INVALID_FIELD, "s");
    }
  else
    {
      g_assert_error (error, DG_ERROR, DG_ERROR_BAD_JSON);
    }
}

static void
test_get_double (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  double out = 0;

  g_assert_true (dg_json_get_double (object, "n", &out, &error));
  g_assert_cmpfloat (out, ==, 2.5);
  /* An integer is a number too. */
  g_assert_true (dg_json_get_double (object, "i", &out, &error));
  g_assert_cmpfloat (out, ==, 7.0);
  g_assert_true (dg_json_get_double_opt (object, "missing", 1.0, &out, &error));
  g_assert_cmpfloat (out, ==, 1.0);
  g_assert_true (dg_json_get_double_opt (object, "z", -1.0, &out, &error));
  g_assert_cmpfloat (out, ==, -1.0);
  g_assert_no_error (error);
}

static void
test_get_double_wrong_type (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  const char *members[] = { "s", "b", "a", "o" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(GError) error = NULL;
      double out;

      g_assert_false (dg_json_get_double (object, members[i], &out, &error));
      assert_dg_error (error, DG_ERROR_INVALID_FIELD, members[i]);
      g_clear_error (&error);
      g_assert_false (dg_json_get_double_opt (object, members[i], 0, &out, &error));
      assert_dg_error (error, DG_ERROR_INVALID_FIELD, members[i]);
    }
}

static void
test_get_double_non_finite (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  g_autoptr(GError) error = NULL;
  double out;

  g_assert_false (dg_json_get_double (object_of (node), "big", &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "big");
  g_assert_cmpstr (error->message, ==, "big must be a finite number");
}

static void
test_get_int (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  gint64 out = 0;

  g_assert_true (dg_json_get_int (object, "i", 0, 10, &out, &error));
  g_assert_cmpint (out, ==, 7);
  /* 3.0 is how some writers spell 3. */
  g_assert_true (dg_json_get_int (object, "f", 0, 10, &out, &error));
  g_assert_cmpint (out, ==, 3);
  g_assert_no_error (error);

  g_assert_false (dg_json_get_int (object, "n", 0, 10, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "n");
  g_assert_cmpstr (error->message, ==, "n must be an integer");
  g_clear_error (&error);

  g_assert_false (dg_json_get_int (object, "s", 0, 10, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "s");
  g_clear_error (&error);

  g_assert_false (dg_json_get_int (object, "big", 0, 10, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "big");
}

static void
test_get_int_range (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  gint64 out = 0;

  g_assert_false (dg_json_get_int (object, "neg", 0, G_MAXINT64, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "neg");
  g_assert_cmpstr (error->message, ==, "neg must be ≥ 0");
  g_clear_error (&error);

  g_assert_false (dg_json_get_int (object, "i", 0, 5, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "i");
  g_assert_cmpstr (error->message, ==, "i must be between 0 and 5");
  g_assert_cmpint (out, ==, 0);
}

static void
test_get_bool (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  gboolean out = FALSE;

  g_assert_true (dg_json_get_bool_opt (object, "b", FALSE, &out, &error));
  g_assert_true (out);
  g_assert_true (dg_json_get_bool_opt (object, "missing", TRUE, &out, &error));
  g_assert_true (out);
  g_assert_no_error (error);

  g_assert_false (dg_json_get_bool_opt (object, "s", TRUE, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "s");
  g_clear_error (&error);
  g_assert_false (dg_json_get_bool_opt (object, "i", TRUE, &out, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "i");
}

static void
test_get_array_object (void)
{
  g_autoptr(JsonNode) node = accessor_doc ();
  JsonObject *object = object_of (node);
  g_autoptr(GError) error = NULL;
  JsonArray *array = NULL;
  JsonObject *inner = NULL;

  g_assert_true (dg_json_get_array (object, "a", &array, &error));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_true (dg_json_get_object (object, "o", &inner, &error));
  g_assert_nonnull (inner);
  g_assert_no_error (error);

  g_assert_false (dg_json_get_array (object, "o", &array, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "o");
  g_clear_error (&error);
  g_assert_false (dg_json_get_array (object, "s", &array, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "s");
  g_clear_error (&error);
  g_assert_false (dg_json_get_object (object, "a", &inner, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "a");
  g_clear_error (&error);
  g_assert_false (dg_json_get_object (object, "missing", &inner, &error));
  assert_dg_error (error, DG_ERROR_INVALID_FIELD, "missing");
}

static void
test_builder_double_or_null (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *out = NULL;

  json_builder_begin_array (builder);
  dg_json_builder_add_double_or_null (builder, 5.7);
  dg_json_builder_add_double_or_null (builder, NAN);
  dg_json_builder_add_double_or_null (builder, INFINITY);
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);

  out = dg_json_to_string (node);
  g_assert_cmpstr (out, ==, "[5.7,null,null]");
}

/* ---- DG_ERROR ---- */

static void
test_error_codes (void)
{
  static const struct { DgErrorCode code; const char *name; guint status; } table[] = {
    { DG_ERROR_BAD_JSON, "bad_json", 400 },
    { DG_ERROR_TOO_DEEP, "too_deep", 400 },
    { DG_ERROR_UNAUTHORIZED, "unauthorized", 401 },
    { DG_ERROR_FORBIDDEN, "forbidden", 403 },
    { DG_ERROR_NOT_FOUND, "not_found", 404 },
    { DG_ERROR_CONFLICT, "conflict", 409 },
    { DG_ERROR_MONTH_CLOSED, "month_closed", 409 },
    { DG_ERROR_TOO_LARGE, "too_large", 413 },
    { DG_ERROR_INVALID_FIELD, "invalid_field", 422 },
    { DG_ERROR_UNKNOWN_TYPE, "unknown_type", 422 },
    { DG_ERROR_RATE_LIMITED, "rate_limited", 429 },
    { DG_ERROR_INTERNAL, "internal", 500 },
    { DG_ERROR_UNAVAILABLE, "unavailable", 503 },
  };
  DgErrorCode code;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (dg_error_code_to_string (table[i].code), ==, table[i].name);
      g_assert_cmpuint (dg_error_code_http_status (table[i].code), ==, table[i].status);
      g_assert_true (dg_error_code_from_string (table[i].name, &code));
      g_assert_cmpint (code, ==, table[i].code);
    }

  g_assert_false (dg_error_code_from_string ("Invalid_Field", &code));
  g_assert_false (dg_error_code_from_string ("", &code));
  g_assert_false (dg_error_code_from_string (NULL, &code));
}

static void
test_error_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  dg_set_error (&error, DG_ERROR_INVALID_FIELD, "mass_g", "mass_g must be ≥ %d", 0);
  g_assert_cmpstr (dg_error_get_field (error), ==, "mass_g");
  g_assert_cmpstr (error->message, ==, "mass_g must be ≥ 0");

  /* The field survives copies, as the server hands errors between threads. */
  copy = g_error_copy (error);
  g_assert_cmpstr (dg_error_get_field (copy), ==, "mass_g");

  g_assert_null (dg_error_get_field (other));
  g_assert_null (dg_error_get_field (NULL));

  /* A NULL GError ** is fine. */
  dg_set_error (NULL, DG_ERROR_INTERNAL, "x", "ignored");
}

static void
test_error_prefix_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) index = NULL;
  g_autoptr(GError) bare = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "mass_g");
  g_autoptr(GError) unrelated = NULL;

  dg_set_error (&error, DG_ERROR_INVALID_FIELD, "mass_g", "mass_g must be ≥ 0");
  dg_error_prefix_field (error, "points[3]");
  g_assert_cmpstr (dg_error_get_field (error), ==, "points[3].mass_g");
  g_assert_cmpstr (error->message, ==, "points[3].mass_g must be ≥ 0");
  dg_error_prefix_field (error, "current.data");
  g_assert_cmpstr (dg_error_get_field (error), ==, "current.data.points[3].mass_g");

  dg_set_error (&index, DG_ERROR_INVALID_FIELD, "[1]", "[1] must be a number");
  dg_error_prefix_field (index, "diameter_cm");
  g_assert_cmpstr (dg_error_get_field (index), ==, "diameter_cm[1]");
  g_assert_cmpstr (index->message, ==, "diameter_cm[1] must be a number");

  dg_set_error (&bare, DG_ERROR_INVALID_FIELD, NULL, "must be an object");
  dg_error_prefix_field (bare, "points[0]");
  g_assert_cmpstr (dg_error_get_field (bare), ==, "points[0]");

  /* A message that merely starts with the same letters is left alone. */
  dg_set_error (&unrelated, DG_ERROR_INVALID_FIELD, "w", "weather is odd");
  dg_error_prefix_field (unrelated, "x");
  g_assert_cmpstr (dg_error_get_field (unrelated), ==, "x.w");
  g_assert_cmpstr (unrelated->message, ==, "weather is odd");

  dg_error_prefix_field (other, "points[3]");
  g_assert_cmpstr (other->message, ==, "mass_g");
  g_assert_null (dg_error_get_field (other));
}

/* The server's hash chain spells its revisions with dg_json_append_string(): these are the bytes
 * every stored hash was computed over, and the string a canonical document holds is the same. */
static void
test_canonical_string_bytes (void)
{
  const char *input = "a\"b\\c\x01\x1f/\xe9\x99\x8d\xe5\xb0\x98";
  const char *expected = "\"a\\\"b\\\\c\\u0001\\u001f/\xe9\x99\x8d\xe5\xb0\x98\"";
  g_autoptr(GString) out = g_string_new ("x");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *canonical = NULL;

  dg_json_append_string (out, input);
  /* It appends: what @out held stays in front. */
  g_assert_cmpint (out->str[0], ==, 'x');
  g_assert_cmpstr (out->str + 1, ==, expected);

  json_node_set_string (node, input);
  canonical = dg_json_canonical (node);
  g_assert_cmpstr (canonical, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/json/parse/object", test_parse_object);
  g_test_add_func ("/common/json/canonical/string-bytes-the-hash-chain-hashes",
                   test_canonical_string_bytes);
  g_test_add_func ("/common/json/parse/non-object-root-is-callers-business",
                   test_parse_non_object_root);
  g_test_add_func ("/common/json/parse/truncated-is-bad-json", test_parse_truncated);
  g_test_add_func ("/common/json/parse/empty-is-bad-json", test_parse_empty);
  g_test_add_func ("/common/json/parse/malformed-is-bad-json", test_parse_malformed);
  g_test_add_func ("/common/json/parse/10000-deep-is-too-deep", test_parse_deep_10000);
  g_test_add_func ("/common/json/parse/depth-32-ok-33-too-deep", test_parse_depth_limit);
  g_test_add_func ("/common/json/parse/brackets-in-strings-not-counted",
                   test_parse_brackets_in_strings);
  g_test_add_func ("/common/json/parse/escaped-quote-stays-in-string", test_parse_escaped_quote);
  g_test_add_func ("/common/json/parse/invalid-utf8-is-bad-json", test_parse_invalid_utf8);
  g_test_add_func ("/common/json/parse/json-glib-extensions-refused",
                   test_parse_json_glib_extensions);
  g_test_add_func ("/common/json/parse/integer-beyond-int64-refused", test_parse_integer_range);
  g_test_add_func ("/common/json/parse/escapes", test_parse_escapes);
  g_test_add_func ("/common/json/parse/mutated-input-never-critical", test_parse_mutations);

  g_test_add_func ("/common/json/canonical/members-sorted-bytewise", test_canonical_sorted);
  g_test_add_func ("/common/json/canonical/independent-of-member-order",
                   test_canonical_order_independent);
  g_test_add_func ("/common/json/canonical/string-escapes", test_canonical_escapes);
  g_test_add_func ("/common/json/canonical/shortest-numbers", test_canonical_numbers);
  g_test_add_func ("/common/json/canonical/doubles-as-before",
                   test_canonical_doubles_as_before);
  g_test_add_func ("/common/json/canonical/reparse-is-stable", test_canonical_reparse_stable);
  g_test_add_func ("/common/json/to-string/keeps-member-order", test_to_string_member_order);

  g_test_add_func ("/common/json/get/string", test_get_string);
  g_test_add_func ("/common/json/get/string-wrong-type-names-field", test_get_string_wrong_type);
  g_test_add_func ("/common/json/get/string-missing-names-field", test_get_string_missing);
  g_test_add_func ("/common/json/get/string-too-long-names-field", test_get_string_too_long);
  g_test_add_func ("/common/json/parse/unpaired-surrogates-refused",
                   test_parse_refuses_unpaired_surrogates);
  g_test_add_func ("/common/json/get/string-surrogate-escape-refused",
                   test_get_string_surrogate_escape);
  g_test_add_func ("/common/json/get/double-accepts-integers", test_get_double);
  g_test_add_func ("/common/json/get/double-wrong-type-names-field", test_get_double_wrong_type);
  g_test_add_func ("/common/json/get/double-non-finite-refused", test_get_double_non_finite);
  g_test_add_func ("/common/json/get/int", test_get_int);
  g_test_add_func ("/common/json/get/int-out-of-range-names-field", test_get_int_range);
  g_test_add_func ("/common/json/get/bool", test_get_bool);
  g_test_add_func ("/common/json/get/array-and-object", test_get_array_object);
  g_test_add_func ("/common/json/builder/double-or-null", test_builder_double_or_null);

  g_test_add_func ("/common/error/codes-names-and-statuses", test_error_codes);
  g_test_add_func ("/common/error/field-survives-copy", test_error_field);
  g_test_add_func ("/common/error/prefix-field", test_error_prefix_field);

  return g_test_run ();
}
