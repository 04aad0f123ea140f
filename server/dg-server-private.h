/* dg-server-private.h: what DgServer shares with its HTTP helpers (http/) and its route
 * handlers (routes/), none of which is API.
 *
 * A request is matched on the main loop and handed, as a DgRequest, to a worker thread, where
 * its route's handler fills in the answer; http/dg-http-request.c reads the request and writes
 * the response. http/dg-http-message.c keeps what the main loop knows of each message: its
 * deadline while it is received, and the raw refusal of one whose body must not be read.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dg-server.h"

G_BEGIN_DECLS

/* ---- A request handed to a worker thread (http/dg-http-request.c) ---- */

typedef struct
{
  const DgRoute *route;
  DgStore       *store;        /* the server's, not a reference: the task holds the server */
  DgAuth        *auth;         /* likewise */
  char          *capture;      /* the {id} or {month} of the path */
  GHashTable    *query;        /* copied: name -> value */
  GBytes        *body;
  char          *body_type;    /* the body's Content-Type, as sent (may be NULL) */
  char          *token;

  /* Filled in by the worker. */
  char          *user;
  DgRole         role;
  guint          status;
  JsonNode      *response;
  GBytes        *file;          /* instead of @response: an assessment file */
  const char    *content_type;
  char          *filename;
  guint          retry_after;
} DgRequest;

/* A route's work, in a worker thread, once the caller's token and role have been checked:
 * it sets @req's response (or file), or @error. */
typedef void (*DgRouteHandler) (DgRequest  *req,
                                GError    **error);

void        dg_request_free              (DgRequest   *req);
const char *dg_request_get_query         (DgRequest   *req,
                                          const char  *name);
/* The body as a JSON object, or DG_ERROR_BAD_JSON. */
JsonNode   *dg_request_parse_body        (DgRequest   *req,
                                          GError     **error);
/* Takes the "month" query parameter (YYYY-MM) into @req's capture. */
gboolean    dg_request_get_month_param   (DgRequest   *req,
                                          GError     **error);
/* The query parameter @name as an integer from @min to @max; @fallback when it is absent. */
gboolean    dg_request_get_int_param     (DgRequest   *req,
                                          const char  *name,
                                          gint64       fallback,
                                          gint64       min,
                                          gint64       max,
                                          gint64      *out,
                                          GError     **error);

/* Matches @path against a route's @pattern; the one placeholder's segment goes to @capture. */
gboolean    dg_http_match_pattern        (const char  *pattern,
                                          const char  *path,
                                          char       **capture);
/* The token of an "Authorization: Bearer" header, or NULL. */
char       *dg_http_bearer_token         (SoupServerMessage *msg);
/* The reason phrase of @status, for the ones libsoup does not name too. */
const char *dg_http_status_phrase        (guint              status);
/* {"status": "ok"} */
JsonNode   *dg_http_status_ok_node       (void);
void        dg_http_respond_json         (SoupServerMessage *msg,
                                          guint              status,
                                          JsonNode          *node);
/* The contract's error body for @code, with the status the code maps to. */
void        dg_http_respond_error_code   (SoupServerMessage *msg,
                                          DgErrorCode        code,
                                          const char        *field,
                                          const char        *message);

/* ---- What the main loop learns of a message (http/dg-http-message.c) ---- */

/* Kept on the message for the log line. */
typedef struct
{
  gint64    started;
  gsize     body_bytes;
  gsize     body_limit;  /* of its route, once its headers are in */
  gboolean  in_flight;
  gboolean  receiving;   /* counted in n_receiving: its headers are in, its answer is not out */
  gboolean  admitted;    /* its headers arrived before the shutdown began */
  gboolean  stolen;      /* the connection was taken from libsoup to refuse the request */
  char     *user;

  /* The server's settings when the request started, so that the message's callbacks need no
   * pointer to the server. */
  guint         idle_timeout;
  gboolean      log_requests;
  GMainContext *context;
} DgMessageInfo;

/* @text for one field of a log line ("-" for NULL): a control character, a space or a
 * backslash, a character that does not print and a byte that is not UTF-8 are written as
 * \xNN or \uNNNN, so that what a client sent (a user name with a newline and an escape
 * code) cannot end its line, write another or drive the terminal reading the log. */
char          *dg_http_log_escape         (const char        *text);
/* @msg's info, made on first use. */
DgMessageInfo *dg_http_message_info       (SoupServerMessage *msg);
/* Called as a request starts: records the server's settings in its info and keeps the
 * connection's deadline (see dg-http-message.c) while the request is received. */
void           dg_http_watch_message      (SoupServerMessage *msg,
                                           guint              idle_timeout,
                                           gboolean           log_requests,
                                           GMainContext      *context);
/* (Re)starts the deadline of @msg's connection: a kept-alive connection waits for its next
 * request from now on. */
void           dg_http_arm_deadline       (SoupServerMessage *msg);
/* Answers @status on the raw connection, before libsoup reads any of the body, and closes it.
 * The caller has stopped counting the request as being received. */
void           dg_http_refuse_connection  (SoupServerMessage *msg,
                                           guint              status,
                                           DgErrorCode        code,
                                           const char        *message);

G_END_DECLS
