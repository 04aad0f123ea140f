/* dg-json.c: safe JSON input and canonical output over json-glib 1.6. */
#define G_LOG_DOMAIN "dg-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-error.h"
#include "dg-json.h"
#include "dg-model.h"

/* ---- Input ---- */

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Compares an integer's digits (no sign, no leading zero) with the largest magnitude a gint64
 * holds. json-glib 1.6 silently wraps larger integers (99999999999999999999 reads as -1), which
 * would turn a nonsense base_rev into a plausible one, so they are refused as malformed. */
static gboolean
integer_fits (const char *digits,
              gsize       n_digits,
              gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (n_digits < 19)
    return TRUE;
  if (n_digits > 19)
    return FALSE;

  return memcmp (digits, limit, 19) <= 0;
}

/* Moves *@i past one or more digits; FALSE when data[*@i] is not a digit (a fraction or an
 * exponent without digits). */
static gboolean
skip_digits (const char *data,
             gsize       length,
             gsize      *i)
{
  if (*i >= length || !g_ascii_isdigit (data[*i]))
    return FALSE;
  while (*i < length && g_ascii_isdigit (data[*i]))
    (*i)++;
  return TRUE;
}

/* Scans a number of RFC 8259 grammar starting at data[*pos]; leaves *pos on its last byte. */
static gboolean
scan_number (const char  *data,
             gsize        length,
             gsize       *pos,
             GError     **error)
{
  gsize i = *pos;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  gsize int_start, int_len;

  if (data[i] == '-')
    {
      negative = TRUE;
      i++;
    }

  int_start = i;
  if (i >= length || !g_ascii_isdigit (data[i]))
    goto bad;
  if (data[i] == '0')
    i++;
  else
    while (i < length && g_ascii_isdigit (data[i]))
      i++;
  int_len = i - int_start;

  if (i < length && data[i] == '.')
    {
      integral = FALSE;
      i++;
      if (!skip_digits (data, length, &i))
        goto bad;
    }

  if (i < length && (data[i] == 'e' || data[i] == 'E'))
    {
      integral = FALSE;
      i++;
      if (i < length && (data[i] == '+' || data[i] == '-'))
        i++;
      if (!skip_digits (data, length, &i))
        goto bad;
    }

  /* A number runs into a letter or digit only when it is malformed ("01", "1x"). */
  if (i < length && (g_ascii_isalnum (data[i]) || data[i] == '.' || data[i] == '_'))
    goto bad;

  if (integral && !integer_fits (data + int_start, int_len, negative))
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                    "Integer at byte %" G_GSIZE_FORMAT " is out of range", *pos);
      return FALSE;
    }

  *pos = i - 1;
  return TRUE;

bad:
  dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "Malformed number at byte %" G_GSIZE_FORMAT, *pos);
  return FALSE;
}

/* The value of the four hex digits at @p (checked by the caller). */
static guint
hex4 (const char *p)
{
  return (guint) (g_ascii_xdigit_value (p[0]) << 12 | g_ascii_xdigit_value (p[1]) << 8 |
                  g_ascii_xdigit_value (p[2]) << 4 | g_ascii_xdigit_value (p[3]));
}

/* Scans a string starting at the opening quote data[*pos]; leaves *pos on the closing quote. */
static gboolean
scan_string (const char  *data,
             gsize        length,
             gsize       *pos,
             GError     **error)
{
  gsize start = *pos;

  for (gsize i = start + 1; i < length; i++)
    {
      if (data[i] == '"')
        {
          *pos = i;
          return TRUE;
        }

      if (data[i] != '\\')
        continue;

      i++;
      if (i >= length)
        break;

      if (data[i] == 'u')
        {
          for (guint k = 1; k <= 4; k++)
            {
              if (i + k >= length || !g_ascii_isxdigit (data[i + k]))
                goto bad_escape;
            }

          /* json-glib hands strings out as C strings: "a\u0000b" would silently be stored as
           * "a", and the sender would never learn that its notes were cut. */
          if (memcmp (data + i + 1, "0000", 4) == 0)
            {
              dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                            "NUL (\\u0000) in the string starting at byte %" G_GSIZE_FORMAT,
                            start);
              return FALSE;
            }

          /* Only a complete UTF-16 pair may name a surrogate. json-glib 1.6 decodes a lone one
           * to bytes that are not UTF-8, swallowing the character after it, and leaks its
           * string buffer when a high half is followed by another escape than a low half
           * ("\ud800\u0041"): one leak per request, before any authentication. */
          if (hex4 (data + i + 1) >= 0xd800 && hex4 (data + i + 1) <= 0xdfff)
            {
              if (hex4 (data + i + 1) >= 0xdc00 || i + 10 >= length ||
                  data[i + 5] != '\\' || data[i + 6] != 'u' ||
                  !g_ascii_isxdigit (data[i + 7]) || !g_ascii_isxdigit (data[i + 8]) ||
                  !g_ascii_isxdigit (data[i + 9]) || !g_ascii_isxdigit (data[i + 10]) ||
                  hex4 (data + i + 7) < 0xdc00 || hex4 (data + i + 7) > 0xdfff)
                {
                  dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                                "Unpaired surrogate (\\u%.4s) in the string starting at byte %"
                                G_GSIZE_FORMAT, data + i + 1, start);
                  return FALSE;
                }
              i += 6;
            }
          i += 4;
        }
      else if (strchr ("\"\\/bfnrt", data[i]) == NULL || data[i] == '\0')
        {
          goto bad_escape;
        }
    }

  dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                "Unterminated string starting at byte %" G_GSIZE_FORMAT, start);
  return FALSE;

bad_escape:
  dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                "Invalid escape in the string starting at byte %" G_GSIZE_FORMAT, start);
  return FALSE;
}

/* json-glib 1.6 accepts more than JSON: single-quoted strings, C comments, hex numbers, trailing
 * data after the root. A depth count that skipped only double-quoted strings could then be led
 * astray ('"' inside single quotes hides the brackets after it), so this scan is a strict RFC 8259
 * tokenizer: anything it lets through, json-glib tokenizes exactly as it does. The grammar
 * (commas, colons, matching brackets) is left to json-glib, which cannot recurse deeper than
 * what was counted here. */
gboolean
dg_json_check_depth (const char *data,
                     gsize       length,
                     guint       max_depth,
                     GError    **error)
{
  guint depth = 0;
  gboolean root_done = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (is_json_space (c))
        continue;

      if (root_done)
        {
          dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                        "Unexpected data after the JSON value at byte %" G_GSIZE_FORMAT, i);
          return FALSE;
        }

      switch (c)
        {
        case '{':
        case '[':
          if (++depth > max_depth)
            {
              dg_set_error (error, DG_ERROR_TOO_DEEP, NULL,
                            "JSON nests deeper than %u levels", max_depth);
              return FALSE;
            }
          break;

        case '}':
        case ']':
          if (depth == 0)
            {
              dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                            "Unbalanced '%c' at byte %" G_GSIZE_FORMAT, c, i);
              return FALSE;
            }
          if (--depth == 0)
            root_done = TRUE;
          break;

        case ',':
        case ':':
          if (depth == 0)
            {
              dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                            "Unexpected '%c' at byte %" G_GSIZE_FORMAT, c, i);
              return FALSE;
            }
          break;

        case '"':
          if (!scan_string (data, length, &i, error))
            return FALSE;
          if (depth == 0)
            root_done = TRUE;
          break;

        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          if (!scan_number (data, length, &i, error))
            return FALSE;
          if (depth == 0)
            root_done = TRUE;
          break;

        case 't':
        case 'f':
        case 'n':
          {
            const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            gsize len = strlen (word);

            if (length - i < len || memcmp (data + i, word, len) != 0 ||
                (length - i > len && (g_ascii_isalnum (data[i + len]) || data[i + len] == '_')))
              {
                dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                              "Unexpected word at byte %" G_GSIZE_FORMAT, i);
                return FALSE;
              }
            i += len - 1;
            if (depth == 0)
              root_done = TRUE;
          }
          break;

        default:
          dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                        "Unexpected character at byte %" G_GSIZE_FORMAT, i);
          return FALSE;
        }
    }

  if (!root_done)
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL,
                    depth > 0 ? "Truncated JSON" : "Empty JSON document");
      return FALSE;
    }

  return TRUE;
}

JsonNode *
dg_json_parse (const char *data,
               gsize       length,
               GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* g_utf8_validate_len() also refuses NUL bytes, which json-glib would truncate at. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "The request is not valid UTF-8");
      return NULL;
    }

  if (!dg_json_check_depth (data, length, DG_JSON_MAX_DEPTH, error))
    return NULL;

  if (length > G_MAXSSIZE)
    {
      dg_set_error (error, DG_ERROR_TOO_LARGE, NULL, "The JSON document is too large");
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "Malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "Empty JSON document");
      return NULL;
    }

  return root;
}

/* ---- Output ---- */

void
dg_json_append_string (GString    *out,
                       const char *str)
{
  const char *run = str;
  const char *p;

  /* Plain bytes are copied a run at a time: this runs for every string of every record. */
  g_string_append_c (out, '"');

  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c != '"' && c != '\\' && c >= 0x20)
        {
          /* Non-ASCII UTF-8 is written as is: one spelling per string keeps hashes stable. */
          continue;
        }

      g_string_append_len (out, run, p - run);
      if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      run = p + 1;
    }

  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double, so a value rounded to
 * 0.1 prints as 5.7 and not 5.7000000000000002. A double with an integral value keeps a ".0"
 * ("5.0"), as json-glib writes it, so that reading the text back gives a double again and the
 * canonical text of a re-parsed document is byte-identical. */
static void
write_double (GString *out,
              double   value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* JSON has no spelling for them, and the accessors refuse them on input. */
      g_string_append (out, "null");
      return;
    }

  /* Most figures are measurements with a few decimals (8.34, 0.0022, 176.71): when one to four
   * decimals read back as the very same double, %.15g would print exactly those digits, since
   * the double is within half an ulp of them, far less than half a unit of the 15th digit. Found
   * with integer arithmetic instead of printf, which was most of the cost of storing a check. */
  if (fabs (value) >= 1e-4 && fabs (value) < 1e9)
    {
      static const double scales[] = { 10.0, 100.0, 1000.0, 10000.0 };

      for (guint d = 0; d < G_N_ELEMENTS (scales); d++)
        {
          double scaled = value * scales[d];
          gint64 units = llround (scaled);
          gint64 whole, frac;
          char *end;
          int len;

          if (fabs (scaled - (double) units) > 1e-6 * MAX (1.0, fabs (scaled)))
            continue;
          whole = ABS (units) / (gint64) scales[d];
          frac = ABS (units) % (gint64) scales[d];
          len = g_snprintf (buf, sizeof buf, "%s%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT,
                            units < 0 ? "-" : "", whole, (int) d + 1, frac);
          /* Trailing zeros go, as %g drops them, but one decimal stays (5.0). */
          while (len > 2 && buf[len - 1] == '0' && buf[len - 2] != '.')
            buf[--len] = '\0';
          if (g_ascii_strtod (buf, &end) == value && *end == '\0')
            {
              g_string_append (out, buf);
              return;
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  /* strcmp() compares as unsigned char: bytewise order of the UTF-8 keys. */
  return strcmp (a, b);
}

static void
write_node (GString  *out,
            JsonNode *node,
            gboolean  sorted)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = object != NULL ? json_object_get_members (object) : NULL;

        if (sorted)
          members = g_list_sort (members, compare_keys);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            dg_json_append_string (out, l->data);
            g_string_append_c (out, ':');
            write_node (out, json_object_get_member (object, l->data), sorted);
          }
        g_string_append_c (out, '}');
        g_list_free (members);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = array != NULL ? json_array_get_length (array) : 0;

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i), sorted);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          write_double (out, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_STRING)
          {
            const char *str = json_node_get_string (node);

            dg_json_append_string (out, str != NULL ? str : "");
          }
        else
          g_string_append (out, "null");
      }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
dg_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_node (out, node, TRUE);
  return g_string_free (out, FALSE);
}

char *
dg_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_node (out, node, FALSE);
  return g_string_free (out, FALSE);
}

/* ---- Typed member access ---- */

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* The member's node, or NULL when it is missing or null: an error naming @member unless
 * @optional. Every typed getter comes through here, so the object and the member name are
 * checked here once for all of them. */
static gboolean
lookup_member (JsonObject  *object,
               const char  *member,
               gboolean     optional,
               JsonNode   **out,
               GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  node = json_object_get_member (object, member);

  if (node_is_null (node))
    {
      *out = NULL;
      if (optional)
        return TRUE;
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member, "%s is required", member);
      return FALSE;
    }

  *out = node;
  return TRUE;
}

/* "@member must be @what": the one message for a member of the wrong type. */
static gboolean
wrong_type (const char  *member,
            const char  *what,
            GError     **error)
{
  dg_set_error (error, DG_ERROR_INVALID_FIELD, member, "%s must be %s", member, what);
  return FALSE;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
dg_json_node_get_number (JsonNode *node,
                         double   *out)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gsize        max_bytes,
            gboolean     optional,
            char       **out,
            GError     **error)
{
  JsonNode *node;
  const char *str;
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  if (!holds_value_of_type (node, G_TYPE_STRING))
    return wrong_type (member, "a string", error);

  str = json_node_get_string (node);
  if (str == NULL)
    str = "";
  len = strlen (str);

  if (len > max_bytes)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, member,
                    "%s must be at most %" G_GSIZE_FORMAT " bytes", member, max_bytes);
      return FALSE;
    }

  /* The document was valid UTF-8, but an escape such as "\udc00" can still decode to bytes
   * that are not. */
  if (!g_utf8_validate_len (str, len, NULL))
    return wrong_type (member, "valid UTF-8", error);

  *out = g_strndup (str, len);
  return TRUE;
}

gboolean
dg_json_get_string (JsonObject  *object,
                    const char  *member,
                    gsize        max_bytes,
                    char       **out,
                    GError     **error)
{
  return get_string (object, member, max_bytes, FALSE, out, error);
}

gboolean
dg_json_get_string_opt (JsonObject  *object,
                        const char  *member,
                        gsize        max_bytes,
                        char       **out,
                        GError     **error)
{
  return get_string (object, member, max_bytes, TRUE, out, error);
}

static gboolean
get_double (JsonObject  *object,
            const char  *member,
            gboolean     optional,
            double       fallback,
            double      *out,
            GError     **error)
{
  JsonNode *node;
  double value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  /* Integers and doubles are both numbers: a client may well write 1 for 1.0. */
  if (!dg_json_node_get_number (node, &value))
    return wrong_type (member, "a number", error);
  if (!isfinite (value))
    return wrong_type (member, "a finite number", error);

  *out = value;
  return TRUE;
}

gboolean
dg_json_get_double (JsonObject  *object,
                    const char  *member,
                    double      *out,
                    GError     **error)
{
  return get_double (object, member, FALSE, 0.0, out, error);
}

gboolean
dg_json_get_double_opt (JsonObject  *object,
                        const char  *member,
                        double       fallback,
                        double      *out,
                        GError     **error)
{
  return get_double (object, member, TRUE, fallback, out, error);
}

gboolean
dg_json_get_int (JsonObject  *object,
                 const char  *member,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, FALSE, &node, error))
    return FALSE;

  if (holds_value_of_type (node, G_TYPE_INT64))
    {
      value = json_node_get_int (node);
    }
  else if (holds_value_of_type (node, G_TYPE_DOUBLE))
    {
      /* Some writers print every number as a double: accept 3.0 as 3, but not 3.5. */
      double d = json_node_get_double (node);

      if (!isfinite (d) || d != floor (d) || fabs (d) > 9007199254740992.0)
        return wrong_type (member, "an integer", error);
      value = (gint64) d;
    }
  else
    return wrong_type (member, "an integer", error);

  if (value < min || value > max)
    {
      if (max == G_MAXINT64)
        dg_set_error (error, DG_ERROR_INVALID_FIELD, member,
                      "%s must be ≥ %" G_GINT64_FORMAT, member, min);
      else
        dg_set_error (error, DG_ERROR_INVALID_FIELD, member,
                      "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                      member, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
dg_json_get_bool_opt (JsonObject  *object,
                      const char  *member,
                      gboolean     fallback,
                      gboolean    *out,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, TRUE, &node, error))
    return FALSE;
  if (node == NULL)
    *out = fallback;
  else if (holds_value_of_type (node, G_TYPE_BOOLEAN))
    *out = json_node_get_boolean (node);
  else
    return wrong_type (member, "true or false", error);

  return TRUE;
}

/* A required member that must be an array or an object (@type), @what in the message. */
static gboolean
get_container (JsonObject    *object,
               const char    *member,
               JsonNodeType   type,
               const char    *what,
               JsonNode     **out,
               GError       **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, FALSE, &node, error))
    return FALSE;
  if (JSON_NODE_TYPE (node) != type)
    return wrong_type (member, what, error);

  *out = node;
  return TRUE;
}

gboolean
dg_json_get_array (JsonObject  *object,
                   const char  *member,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_container (object, member, JSON_NODE_ARRAY, "an array", &node, error))
    return FALSE;
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
dg_json_get_object (JsonObject  *object,
                    const char  *member,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_container (object, member, JSON_NODE_OBJECT, "an object", &node, error))
    return FALSE;
  *out = json_node_get_object (node);
  return TRUE;
}

void
dg_json_builder_add_double_or_null (JsonBuilder *builder,
                                    double       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));

  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
