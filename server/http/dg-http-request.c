/* dg-http-request.c: reading a request and writing its response.
 *
 * The DgRequest a worker thread gets holds copies of what it needs of the message (the path's
 * capture, the query, the body, the token), so a handler never touches libsoup; the responses
 * are written on the main loop.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <string.h>

#include "dg-server-private.h"

void
dg_request_free (DgRequest *req)
{
  g_free (req->capture);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->body_type);
  if (req->token != NULL)
    memset (req->token, 0, strlen (req->token));
  g_free (req->token);
  g_free (req->user);
  g_clear_pointer (&req->response, json_node_unref);
  g_clear_pointer (&req->file, g_bytes_unref);
  g_free (req->filename);
  g_free (req);
}

const char *
dg_request_get_query (DgRequest  *req,
                      const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

JsonNode *
dg_request_parse_body (DgRequest  *req,
                       GError    **error)
{
  gsize size = 0;
  const char *data = req->body != NULL ? g_bytes_get_data (req->body, &size) : NULL;
  JsonNode *root;

  if (size == 0)
    {
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "a JSON body is required");
      return NULL;
    }

  root = dg_json_parse (data, size, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      dg_set_error (error, DG_ERROR_BAD_JSON, NULL, "the body must be a JSON object");
      return NULL;
    }

  return root;
}

gboolean
dg_request_get_month_param (DgRequest  *req,
                            GError    **error)
{
  const char *month = dg_request_get_query (req, "month");

  if (month == NULL || !dg_month_is_valid (month))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month", "month must be YYYY-MM");
      return FALSE;
    }

  g_free (req->capture);
  req->capture = g_strdup (month);
  return TRUE;
}

gboolean
dg_request_get_int_param (DgRequest   *req,
                          const char  *name,
                          gint64       fallback,
                          gint64       min,
                          gint64       max,
                          gint64      *out,
                          GError     **error)
{
  const char *text = dg_request_get_query (req, name);

  if (text == NULL || *text == '\0')
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_signed (text, 10, min, max, out, NULL))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, name,
                    "%s must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                    name, min, max);
      return FALSE;
    }

  return TRUE;
}

/* Matches @path against @pattern; the one placeholder's segment goes to @capture. */
gboolean
dg_http_match_pattern (const char  *pattern,
                       const char  *path,
                       char       **capture)
{
  g_auto(GStrv) p = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) s = g_strsplit (path, "/", -1);
  guint n = g_strv_length (p);

  if (g_strv_length (s) != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (p[i][0] == '{')
        {
          if (s[i][0] == '\0')
            return FALSE;
          g_free (*capture);
          *capture = g_strdup (s[i]);
        }
      else if (strcmp (p[i], s[i]) != 0)
        {
          return FALSE;
        }
    }

  return TRUE;
}

char *
dg_http_bearer_token (SoupServerMessage *msg)
{
  const char *value;

  value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization");
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  value += 7;
  while (*value == ' ')
    value++;

  return g_strdup (value);
}

JsonNode *
dg_http_status_ok_node (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

const char *
dg_http_status_phrase (guint status)
{
  /* RFC 6585's status, which libsoup 3.2 does not know. */
  if (status == 429)
    return "Too Many Requests";

  return soup_status_get_phrase (status);
}

void
dg_http_respond_json (SoupServerMessage *msg,
                      guint              status,
                      JsonNode          *node)
{
  char *text = dg_json_to_string (node);

  soup_server_message_set_status (msg, status, dg_http_status_phrase (status));
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

static void
respond_error (SoupServerMessage *msg,
               const GError      *error)
{
  g_autoptr(JsonNode) node = dg_error_to_json (error);
  guint status = error->domain == DG_ERROR ? dg_error_code_http_status (error->code) : 500;

  dg_http_respond_json (msg, status, node);
}

void
dg_http_respond_error_code (SoupServerMessage *msg,
                            DgErrorCode        code,
                            const char        *field,
                            const char        *message)
{
  g_autoptr(GError) error = NULL;

  dg_set_error (&error, code, field, "%s", message);
  respond_error (msg, error);
}
