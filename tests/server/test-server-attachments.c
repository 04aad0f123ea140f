/* test-server-attachments.c: the content-addressed attachments of design 6.2 over real HTTP on
 * loopback, with real JPEG and PNG bytes (dg-test-image.c), on SQLite and on PostgreSQL: upload
 * idempotency, the refusals (hash, type, size), EXIF, who may read, and that backup carries them
 * and verify sees one altered or gone. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "dg-test-image.h"
#include "dg-test-server.h"

/* A request with a body of @type; *bytes (if not NULL) gets the raw response body and
 * *response (if not NULL) its JSON. */
static guint
send_bytes (DgTestServer  *ts,
            const char    *method,
            const char    *path,
            const char    *token,
            const char    *type,
            GBytes        *body,
            GBytes       **bytes,
            JsonNode     **response,
            char         **response_type)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", ts->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = g_strdup_printf ("Bearer %s", token);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, type, body);
  answer = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);

  if (response != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size = 0;
      const char *data = g_bytes_get_data (answer, &size);

      *response = NULL;
      if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL))
        *response = json_parser_steal_root (parser);
    }
  if (response_type != NULL)
    *response_type = g_strdup (soup_message_headers_get_content_type (
      soup_message_get_response_headers (msg), NULL));
  if (bytes != NULL)
    *bytes = g_steal_pointer (&answer);

  return soup_message_get_status (msg);
}

static char *
hash_of (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}

/* PUTs @body as @type under its own hash (or @name); returns the status. */
static guint
upload (DgTestServer  *ts,
        const char    *token,
        const char    *type,
        GBytes        *body,
        const char    *name,
        JsonNode     **response)
{
  g_autofree char *hash = hash_of (body);
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s", name != NULL ? name : hash);

  return send_bytes (ts, "PUT", path, token, type, body, NULL, response, NULL);
}

static JsonObject *push_one       (DgTestServer  *ts,
                                  const char    *token,
                                  const char    *change,
                                  JsonNode     **keep);
static char       *evidence_check (const char    *id,
                                  gint64         base_rev,
                                  const char    *photo,
                                  double         lat);

static const char *
error_field (JsonNode *response)
{
  JsonObject *error;

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (response), "error");
  return error != NULL && json_object_has_member (error, "field")
           ? json_object_get_string_member (error, "field") : NULL;
}

/* The first upload stores (201), the same bytes again store nothing (200), whoever sends them;
 * the answer is the metadata, read from the bytes. */
static void
test_upload_idempotent (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *token2 = dg_test_login (ts, "inspector2");
  g_autoptr(GBytes) png = dg_test_png (64, 48, 1);
  g_autofree char *hash = hash_of (png);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  JsonObject *meta;

  g_assert_cmpuint (upload (ts, token, "image/png", png, NULL, &first), ==, 201);
  meta = json_node_get_object (first);
  g_assert_cmpstr (json_object_get_string_member (meta, "sha256"), ==, hash);
  g_assert_cmpstr (json_object_get_string_member (meta, "type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (meta, "bytes"), ==, g_bytes_get_size (png));
  g_assert_cmpint (json_object_get_int_member (meta, "width"), ==, 64);
  g_assert_cmpint (json_object_get_int_member (meta, "height"), ==, 48);
  g_assert_false (json_object_has_member (meta, "taken_at"));
  g_assert_false (json_object_has_member (meta, "position"));

  g_assert_cmpuint (upload (ts, token, "image/png", png, NULL, &second), ==, 200);
  g_assert_cmpuint (upload (ts, token2, "image/png", png, NULL, &third), ==, 200);
  g_assert_true (json_node_equal (first, second));
}

/* A body whose SHA-256 is not the one in the path is refused on field sha256, and so is a path
 * that is no lower-case SHA-256; nothing is stored under either name. */
static void
test_hash_mismatch (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) png = dg_test_png (16, 16, 2);
  g_autoptr(GBytes) other = dg_test_png (16, 16, 3);
  g_autofree char *other_hash = hash_of (other);
  g_autofree char *upper = g_ascii_strup (other_hash, -1);
  g_autofree char *meta_path = g_strdup_printf ("/api/v1/attachments/%s/meta", other_hash);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) response2 = NULL;

  g_assert_cmpuint (upload (ts, token, "image/png", png, other_hash, &response), ==, 422);
  g_assert_cmpstr (dg_test_error_code (response), ==, "invalid_field");
  g_assert_cmpstr (error_field (response), ==, "sha256");
  g_assert_cmpuint (upload (ts, token, "image/png", other, upper, &response2), ==, 422);
  g_assert_cmpstr (error_field (response2), ==, "sha256");
  g_assert_cmpuint (dg_test_request (ts, "GET", meta_path, token, NULL, NULL), ==, 404);
}

/* Bytes that are not an image of the type sent are refused on field content, judged from the
 * bytes: a PNG sent as a JPEG, a JPEG cut short, text; a type that is neither on field type. */
static void
test_not_an_image (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) png = dg_test_png (32, 32, 4);
  g_autoptr(GBytes) jpeg = dg_test_jpeg (64, 64, 4, NULL, NAN, NAN);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) text = g_bytes_new_static ("GIF89a not really", 17);
  struct { const char *type; GBytes *body; const char *field; } cases[] = {
    { "image/jpeg", png, "content" },
    { "image/png", jpeg, "content" },
    { "image/jpeg", cut, "content" },
    { "image/png", text, "content" },
    { "image/gif", text, "type" },
    { "application/json", png, "type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) response = NULL;

      g_test_message ("case %u: %s", i, cases[i].type);
      g_assert_cmpuint (upload (ts, token, cases[i].type, cases[i].body, NULL, &response), ==,
                        422);
      g_assert_cmpstr (dg_test_error_code (response), ==, "invalid_field");
      g_assert_cmpstr (error_field (response), ==, cases[i].field);
    }
  /* The real thing passes, with parameters on its type. */
  g_assert_cmpuint (upload (ts, token, "IMAGE/JPEG; charset=binary", jpeg, NULL, NULL), ==, 201);
}

/* This route's own limit is 10 MiB: a body over 8 MiB (every other route's limit) is read and
 * judged, one over 10 MiB refused with too_large. */
static void
test_size_limit (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  gsize over8 = 9 * 1024 * 1024, over10 = 10 * 1024 * 1024 + 1;
  g_autofree guint8 *data = g_malloc0 (over10);
  g_autoptr(GBytes) nine = NULL;
  g_autoptr(GBytes) eleven = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) response2 = NULL;

  /* A PNG's signature, then zeros: no image, but only decoding can tell. */
  memcpy (data, "\x89PNG\r\n\x1a\n", 8);
  nine = g_bytes_new (data, over8);
  eleven = g_bytes_new (data, over10);
  g_assert_cmpuint (upload (ts, token, "image/png", nine, NULL, &response), ==, 422);
  g_assert_cmpstr (error_field (response), ==, "content");
  g_assert_cmpuint (upload (ts, token, "image/png", eleven, NULL, &response2), ==, 413);
  g_assert_cmpstr (dg_test_error_code (response2), ==, "too_large");
}

/* A JPEG's EXIF time and GPS position come back in its metadata, the time as a local date-time
 * and the position in signed degrees (south and west negative). */
static void
test_exif_meta (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) jpeg = dg_test_jpeg (80, 60, 5, "2025:03:14 09:26:53", 22.5431, -114.0579);
  g_autofree char *hash = hash_of (jpeg);
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s/meta", hash);
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(JsonNode) meta_node = NULL;
  JsonObject *meta, *position;

  g_assert_cmpuint (upload (ts, token, "image/jpeg", jpeg, NULL, &put), ==, 201);
  g_assert_cmpuint (dg_test_request (ts, "GET", path, token, NULL, &meta_node), ==, 200);
  g_assert_true (json_node_equal (put, meta_node));
  meta = json_node_get_object (meta_node);
  g_assert_cmpint (json_object_get_int_member (meta, "width"), ==, 80);
  g_assert_cmpint (json_object_get_int_member (meta, "height"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (meta, "taken_at"), ==, "2025-03-14T09:26:53");
  position = json_object_get_object_member (meta, "position");
  g_assert_nonnull (position);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (position, "lat"), 22.5431, 1e-5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (position, "lon"), -114.0579,
                                  1e-5);
}

/* `backup` carries the attachments, bytes and all, and which record names which, into a copy
 * that verifies; `verify` exits 1 once a stored photo is altered, and (SQLite) once one is
 * gone. */
static void
test_backup_and_verify (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) jpeg = dg_test_jpeg (40, 30, 7, "2025:03:14 10:00:00", NAN, NAN);
  g_autoptr(GBytes) png = dg_test_png (20, 20, 7);
  g_autofree char *hash = hash_of (jpeg);
  g_autofree char *back = g_build_filename (ts->dir, "back.db", NULL);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *check = evidence_check (id, 0, hash, 22.5431);
  g_autoptr(JsonNode) pushed = NULL;
  g_autoptr(DgStore) copy = NULL;
  g_auto(DgImageInfo) info = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (upload (ts, token, "image/jpeg", jpeg, NULL, NULL), ==, 201);
  g_assert_cmpuint (upload (ts, token, "image/png", png, NULL, NULL), ==, 201);
  /* A check names the JPEG, so that its author reads the copy's bytes through it. */
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, check, &pushed),
                                                  "status"), ==, "applied");
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", ts->db_path, NULL), ==, 0);
  g_assert_cmpint (dg_test_run_binary ("backup", "--db", ts->db_path, "--output", back, NULL),
                   ==, 0);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", back, NULL), ==, 0);

  copy = dg_store_open (back, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_get_attachment (copy, hash, "inspector", DG_ROLE_INSPECTOR, &info,
                                          &bytes, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, jpeg));
  g_assert_cmpstr (info.taken_at, ==, "2025-03-14T10:00:00");
  dg_store_close (copy);

  if (dg_test_backend_is_postgresql ())
    {
      g_assert_true (dg_store_exec (ts->store, "UPDATE attachments SET content ="
                                               " overlay (content placing '\\x00'::bytea from 200)",
                                    &error));
      g_assert_no_error (error);
    }
  else
    {
      g_autofree char *dir = dg_store_attachments_dir (ts->db_path);
      g_autofree char *file = g_build_filename (dir, hash, NULL);
      g_autofree char *data = NULL;
      gsize size = 0;

      g_assert_true (g_file_get_contents (file, &data, &size, &error));
      data[200] ^= 0x01;
      g_assert_true (g_file_set_contents (file, data, (gssize) size, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", ts->db_path, NULL), ==, 1);

  if (!dg_test_backend_is_postgresql ())
    {
      /* The backup's copy, untouched, still verifies; without one of its files it does not. */
      g_autofree char *dir = dg_store_attachments_dir (back);
      g_autofree char *file = g_build_filename (dir, hash, NULL);

      g_assert_cmpint (dg_test_run_binary ("verify", "--db", back, NULL), ==, 0);
      g_assert_cmpint (g_unlink (file), ==, 0);
      g_assert_cmpint (dg_test_run_binary ("verify", "--db", back, NULL), ==, 1);
    }
}

/* With SQLite, a photo is a file of mode 0600 in a folder of mode 0700 beside the database,
 * named by its hash, with no temporary file left behind. */
static void
test_files_private (void)
{
  g_autoptr(DgTestServer) ts = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GBytes) png = dg_test_png (10, 10, 8);
  g_autofree char *hash = hash_of (png);
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GDir) listing = NULL;
  struct stat st;

  if (dg_test_skip_on_postgresql ("PostgreSQL keeps the bytes in a table, not files"))
    return;
  ts = dg_test_server_new ();
  token = dg_test_login (ts, "inspector");
  g_assert_cmpuint (upload (ts, token, "image/png", png, NULL, NULL), ==, 201);

  dir = dg_store_attachments_dir (ts->db_path);
  file = g_build_filename (dir, hash, NULL);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, g_bytes_get_size (png));
  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, hash);
  g_assert_null (g_dir_read_name (listing));
}

/* A database of schema version 5, from before attachments, upgrades on its next start: the
 * records of before verify, and photos upload, read back and verify. */
static void
test_upgrade_from_v5 (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = NULL;
  g_autoptr(GBytes) jpeg = dg_test_jpeg (24, 24, 9, NULL, NAN, NAN);
  g_autofree char *hash = hash_of (jpeg);
  g_autofree char *meta = g_strdup_printf ("/api/v1/attachments/%s/meta", hash);
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_store_exec (ts->store, dg_test_backend_is_postgresql ()
                                ? "DROP TABLE attachments; UPDATE dg_meta SET schema_version = 5"
                                : "DROP TABLE attachments; PRAGMA user_version = 5", &error));
  g_assert_no_error (error);
  dg_test_server_restart (ts);

  if (!dg_test_backend_is_postgresql ())
    {
      g_autofree char *copy = dg_store_pre_upgrade_path (ts->db_path, 5);

      g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
    }
  token = dg_test_login (ts, "inspector");
  g_assert_cmpuint (upload (ts, token, "image/jpeg", jpeg, NULL, NULL), ==, 201);
  /* Its metadata (its uploader's before a record names it); verify re-hashes its bytes. */
  g_assert_cmpuint (dg_test_request (ts, "GET", meta, token, NULL, NULL), ==, 200);
  g_assert_cmpint (dg_test_run_binary ("verify", "--db", ts->db_path, NULL), ==, 0);
}

/* Pushes one change (its JSON) as @token; returns its result object (a new reference). */
static JsonObject *
push_one (DgTestServer *ts,
          const char   *token,
          const char   *change,
          JsonNode    **keep)
{
  g_autofree char *body = g_strdup_printf ("{\"changes\":[%s]}", change);

  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, body, keep), ==, 200);
  return json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (*keep), "results"), 0);
}

static const char *
result_field (JsonObject *result)
{
  JsonObject *error = json_object_get_object_member (result, "error");

  return error != NULL && json_object_has_member (error, "field")
           ? json_object_get_string_member (error, "field") : NULL;
}

/* A check whose points carry photos, a position and a chainage, and a device time; a sample
 * with photos, a position, its code, balance and blank. @photo goes on the second point. */
static char *
evidence_check (const char *id,
                gint64      base_rev,
                const char *photo,
                double      lat)
{
  return g_strdup_printf ("{\"type\":\"road_check\",\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT ","
                          "\"data\":{\"road_id\":\"" DG_TEST_ROAD_ID "\",\"date\":\"2025-03-14\","
                          "\"device_time\":\"2025-03-14T09:31:07\",\"points\":["
                          "{\"seq\":1,\"surface\":\"main\",\"mass_g\":3.5,\"chainage_m\":1200},"
                          "{\"seq\":2,\"surface\":\"main\",\"mass_g\":2.5,\"chainage_m\":1300,"
                          "\"photos\":[\"%s\"],\"position\":{\"lat\":%.6f,\"lon\":114.0579,"
                          "\"accuracy_m\":4.5}},"
                          "{\"seq\":3,\"surface\":\"main\",\"mass_g\":4.0}]}}",
                          id, base_rev, photo, lat);
}

/* A new sample of jar A of G01 with a code, balance, blank and position, naming @photos (the
 * inside of a JSON array). */
static char *
evidence_sample (const char *id,
                 const char *photos)
{
  return g_strdup_printf (
    "{\"type\":\"dustfall_sample\",\"id\":\"%s\",\"base_rev\":0,\"data\":{"
    "\"cell_id\":\"" DG_TEST_CELL_ID "\",\"jar\":\"A\",\"month\":\"2025-03\","
    "\"start\":\"2025-03-01T09:00\",\"end\":\"2025-03-31T09:00\",\"w0_g\":20.0,\"w1_g\":20.5,"
    "\"wc_g\":0,\"sample_code\":\"DF-2025-03-G01-A\",\"balance_id\":\"BAL-2\","
    "\"blank_id\":\"BL-7\",\"position\":{\"lat\":22.5,\"lon\":114.0},"
    "\"photos\":[%s]}}", id, photos);
}

/* The new fields of 6.2 are stored and pulled back as sent, and are part of the revision's
 * content: the same again is unchanged, another photo list a new revision. */
static void
test_record_fields_round_trip (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) a = dg_test_jpeg (20, 20, 10, NULL, NAN, NAN);
  g_autoptr(GBytes) b = dg_test_jpeg (20, 20, 11, NULL, NAN, NAN);
  g_autofree char *ha = hash_of (a);
  g_autofree char *hb = hash_of (b);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *first = evidence_check (id, 0, ha, 22.5431);
  g_autofree char *again = evidence_check (id, 1, ha, 22.5431);
  g_autofree char *other = evidence_check (id, 1, hb, 22.5431);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, history = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *history_path = g_strdup_printf ("/api/v1/records/%s/history", id);
  JsonObject *data, *point, *position;
  JsonArray *revisions;

  g_assert_cmpuint (upload (ts, token, "image/jpeg", a, NULL, NULL), ==, 201);
  g_assert_cmpuint (upload (ts, token, "image/jpeg", b, NULL, NULL), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, first, &r1), "status"), ==,
                   "applied");
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, again, &r2), "status"), ==,
                   "unchanged");

  record = dg_store_get_record (ts->store, id, &error);
  g_assert_no_error (error);
  data = record->data;
  g_assert_cmpstr (json_object_get_string_member (data, "device_time"), ==, "2025-03-14T09:31:07");
  point = json_array_get_object_element (json_object_get_array_member (data, "points"), 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (point, "photos"),
                                                  0), ==, ha);
  g_assert_cmpfloat (json_object_get_double_member (point, "chainage_m"), ==, 1300);
  position = json_object_get_object_member (point, "position");
  g_assert_cmpfloat (json_object_get_double_member (position, "lat"), ==, 22.5431);
  g_assert_cmpfloat (json_object_get_double_member (position, "accuracy_m"), ==, 4.5);
  point = json_array_get_object_element (json_object_get_array_member (data, "points"), 2);
  g_assert_false (json_object_has_member (point, "photos"));
  g_assert_false (json_object_has_member (point, "chainage_m"));

  /* Another photo is another content: a new revision, and the chain still verifies. */
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, other, &r3), "status"), ==,
                   "applied");
  g_assert_cmpuint (dg_test_request (ts, "GET", history_path, token, NULL, &history), ==, 200);
  revisions = json_object_get_array_member (json_node_get_object (history), "revisions");
  g_assert_cmpuint (json_array_get_length (revisions), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (revisions, 0),
                                                  "hash"), !=,
                   json_object_get_string_member (json_array_get_object_element (revisions, 1),
                                                  "hash"));
  g_assert_true (dg_store_verify (ts->store, NULL, &error));
  g_assert_no_error (error);
}

/* A change naming a photo the server does not hold is rejected on that photo's path, and the
 * rest of the batch applies; bad evidence fields are refused on their paths. */
static void
test_record_fields_refused (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) a = dg_test_jpeg (20, 20, 12, NULL, NAN, NAN);
  g_autofree char *ha = hash_of (a);
  g_autofree char *unknown = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "never sent", -1);
  g_autofree char *id1 = g_uuid_string_random ();
  g_autofree char *id2 = g_uuid_string_random ();
  g_autofree char *id3 = g_uuid_string_random ();
  g_autofree char *missing = evidence_check (id1, 0, unknown, 22.5);
  g_autofree char *good = evidence_check (id2, 0, ha, 22.5);
  g_autofree char *far = evidence_check (id3, 0, ha, 91.0);
  g_autofree char *bad_hash = evidence_check (id3, 0, "ABC", 22.5);
  g_autofree char *sample_id = g_uuid_string_random ();
  g_autofree char *photos = g_strdup_printf ("\"%s\",\"%s\"", ha, unknown);
  g_autofree char *sample = evidence_sample (sample_id, photos);
  g_autofree char *batch = g_strdup_printf ("{\"changes\":[%s,%s]}", missing, good);
  g_autoptr(JsonNode) response = NULL, r1 = NULL, r2 = NULL, r3 = NULL;
  JsonArray *results;

  g_assert_cmpuint (upload (ts, token, "image/jpeg", a, NULL, NULL), ==, 201);
  g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", token, batch, &response), ==,
                    200);
  results = json_object_get_array_member (json_node_get_object (response), "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "status"), ==, "rejected");
  g_assert_cmpstr (result_field (json_array_get_object_element (results, 0)), ==,
                   "points[1].photos[0]");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                  "status"), ==, "applied");

  g_assert_cmpstr (result_field (push_one (ts, token, far, &r1)), ==, "points[1].position.lat");
  g_assert_cmpstr (result_field (push_one (ts, token, bad_hash, &r2)), ==, "points[1].photos[0]");
  g_assert_cmpstr (result_field (push_one (ts, token, sample, &r3)), ==, "photos[1]");
}

/* Design 6.2: the bytes go to whoever may read a record naming the photo, the metadata to its
 * uploader besides. Before a record names it, its uploader reads only the metadata and anyone
 * else, office included, gets 404 as for a hash never uploaded; once the uploader's check names
 * it, the uploader (its author), the office and administrators read the bytes exactly, with
 * their type, and another inspector and a unit user still get 404. */
static void
test_read_authz (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autoptr(GBytes) jpeg = dg_test_jpeg (40, 30, 6, NULL, NAN, NAN);
  g_autofree char *hash = hash_of (jpeg);
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s", hash);
  g_autofree char *meta = g_strdup_printf ("/api/v1/attachments/%s/meta", hash);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *check = evidence_check (id, 0, hash, 22.5431);
  g_autoptr(JsonNode) pushed = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *others[] = { "inspector2", "office", "admin", "unit" };
  const gboolean reads_check[] = { FALSE, TRUE, TRUE, FALSE };

  g_assert_cmpuint (upload (ts, token, "image/jpeg", jpeg, NULL, NULL), ==, 201);
  g_assert_cmpuint (dg_test_request (ts, "GET", meta, token, NULL, NULL), ==, 200);
  g_assert_cmpuint (dg_test_request (ts, "GET", path, token, NULL, &response), ==, 404);
  g_assert_cmpstr (dg_test_error_code (response), ==, "not_found");
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *other = dg_test_login (ts, others[i]);

      g_assert_cmpuint (dg_test_request (ts, "GET", path, other, NULL, NULL), ==, 404);
      g_assert_cmpuint (dg_test_request (ts, "GET", meta, other, NULL, NULL), ==, 404);
    }

  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, check, &pushed),
                                                  "status"), ==, "applied");
  {
    g_autoptr(GBytes) back = NULL;
    g_autofree char *type = NULL;

    g_assert_cmpuint (send_bytes (ts, "GET", path, token, NULL, NULL, &back, NULL, &type), ==,
                      200);
    g_assert_cmpstr (type, ==, "image/jpeg");
    g_assert_true (g_bytes_equal (back, jpeg));
  }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *other = dg_test_login (ts, others[i]);
      g_autoptr(GBytes) back = NULL;
      guint expected = reads_check[i] ? 200 : 404;

      g_assert_cmpuint (send_bytes (ts, "GET", path, other, NULL, NULL, &back, NULL, NULL), ==,
                        expected);
      if (reads_check[i])
        g_assert_true (g_bytes_equal (back, jpeg));
      g_assert_cmpuint (dg_test_request (ts, "GET", meta, other, NULL, NULL), ==, expected);
    }
  g_assert_cmpuint (dg_test_request (ts, "GET", path, NULL, NULL, NULL), ==, 401);
}

/* A database of schema version 7, whose checks and samples named photos before the store kept
 * which record names which, finds them on its next start: the office reads both photos through
 * their records. */
static void
test_upgrade_from_v7 (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *office = NULL;
  g_autoptr(GBytes) a = dg_test_jpeg (20, 20, 21, NULL, NAN, NAN);
  g_autoptr(GBytes) b = dg_test_jpeg (20, 20, 22, NULL, NAN, NAN);
  g_autofree char *ha = hash_of (a);
  g_autofree char *hb = hash_of (b);
  g_autofree char *check_id = g_uuid_string_random ();
  g_autofree char *sample_id = g_uuid_string_random ();
  g_autofree char *check = evidence_check (check_id, 0, ha, 22.5431);
  g_autofree char *photos = g_strdup_printf ("\"%s\"", hb);
  g_autofree char *sample = evidence_sample (sample_id, photos);
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *hashes[] = { ha, hb };

  g_assert_cmpuint (upload (ts, token, "image/jpeg", a, NULL, NULL), ==, 201);
  g_assert_cmpuint (upload (ts, token, "image/jpeg", b, NULL, NULL), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, check, &r1), "status"), ==,
                   "applied");
  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, sample, &r2), "status"),
                   ==, "applied");
  g_assert_true (dg_store_exec (ts->store, dg_test_backend_is_postgresql ()
                                ? "DROP TABLE record_photos;"
                                  " UPDATE dg_meta SET schema_version = 7"
                                : "DROP TABLE record_photos; PRAGMA user_version = 7", &error));
  g_assert_no_error (error);
  dg_test_server_restart (ts);

  office = dg_test_login (ts, "office");
  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s", hashes[i]);
      g_autoptr(GBytes) back = NULL;

      g_assert_cmpuint (send_bytes (ts, "GET", path, office, NULL, NULL, &back, NULL, NULL), ==,
                        200);
      g_assert_true (g_bytes_equal (back, i == 0 ? a : b));
    }
}

/* The flags of the check pushed as @change (its JSON), as the store computed them, joined
 * with commas. */
static char *
pushed_flags (DgTestServer *ts,
              const char   *token,
              const char   *id,
              const char   *change)
{
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(DgRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonArray *flags;

  g_assert_cmpstr (json_object_get_string_member (push_one (ts, token, change, &keep), "status"),
                   ==, "applied");
  record = dg_store_get_record (ts->store, id, &error);
  g_assert_no_error (error);
  flags = json_object_get_array_member (record->computed, "flags");
  for (guint i = 0; i < json_array_get_length (flags); i++)
    g_ptr_array_add (names, (gpointer) json_array_get_string_element (flags, i));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

/* The store raises each doubt flag of design 6.2 from what it holds: a photo another record
 * names (photo_reused, on the second record), an EXIF time off the check's date (photo_time),
 * two points closer than a min_spacing_m rule an administrator set (spacing), a point far from
 * its road's line in the sample district (position_far); a check with none has no flags. */
static void
test_doubt_flags (void)
{
  g_autoptr(DgTestServer) ts = dg_test_server_new ();
  g_autofree char *token = dg_test_login (ts, "inspector");
  g_autofree char *admin = dg_test_login (ts, "admin");
  g_autoptr(GBytes) same_day = dg_test_jpeg (20, 20, 31, "2025:03:14 10:00:00", NAN, NAN);
  g_autoptr(GBytes) next_day = dg_test_jpeg (20, 20, 32, "2025:03:15 10:00:00", NAN, NAN);
  g_autoptr(GBytes) other = dg_test_jpeg (20, 20, 33, NULL, NAN, NAN);
  g_autoptr(GBytes) last = dg_test_jpeg (20, 20, 34, NULL, NAN, NAN);
  GBytes *photos[] = { same_day, next_day, other, last };
  /* Which photo each check names, and whether its point 2 stands on the test road's line
   * (110.3157° E, 20.0544° N, in Haikou) or 1,000 km from it. */
  const struct
  {
    GBytes     *photo;
    gboolean    on_road;
    const char *flags;
  } checks[] = {
    { same_day, TRUE, "" },
    { same_day, TRUE, "photo_reused" },
    { next_day, TRUE, "photo_time" },
    { other, TRUE, "spacing" },         /* after the 150 m rule below */
    { last, FALSE, "spacing,position_far" },
  };
  g_autofree char *rule_id = g_uuid_string_random ();
  g_autofree char *rule = g_strdup_printf (
    "{\"changes\":[{\"type\":\"rule\",\"id\":\"%s\",\"base_rev\":0,\"data\":{"
    "\"kind\":\"min_spacing_m\",\"value\":150,\"effective_from\":\"2025-03-01\"}}]}",
    rule_id);

  for (guint i = 0; i < G_N_ELEMENTS (photos); i++)
    g_assert_cmpuint (upload (ts, token, "image/jpeg", photos[i], NULL, NULL), ==, 201);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *hash = hash_of (checks[i].photo);
      g_autofree char *text = evidence_check (id, 0, hash, checks[i].on_road ? 20.0544 : 22.5431);
      g_autoptr(GString) change = g_string_new (text);
      g_autofree char *flags = NULL;

      if (checks[i].on_road)
        g_string_replace (change, "\"lon\":114.0579", "\"lon\":110.3157", 0);
      /* Points 100 m apart: fine by the default 50 m, doubtful once 150 m is in force. */
      if (i == 3)
        {
          g_autoptr(JsonNode) response = NULL;

          g_assert_cmpuint (dg_test_request (ts, "POST", "/api/v1/changes", admin, rule,
                                             &response), ==, 200);
        }
      flags = pushed_flags (ts, token, id, change->str);
      g_test_message ("check %u: flags [%s]", i, flags);
      g_assert_cmpstr (flags, ==, checks[i].flags);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dg_test_backend_init ();

  g_test_add_func ("/server/attachments/upload-201-then-200-same-meta", test_upload_idempotent);
  g_test_add_func ("/server/attachments/hash-mismatch-422-sha256", test_hash_mismatch);
  g_test_add_func ("/server/attachments/not-an-image-422-content", test_not_an_image);
  g_test_add_func ("/server/attachments/over-10-mib-413-over-8-mib-read", test_size_limit);
  g_test_add_func ("/server/attachments/exif-time-and-position-in-meta", test_exif_meta);
  g_test_add_func ("/server/attachments/meta-to-uploader-bytes-through-a-record",
                   test_read_authz);
  g_test_add_func ("/server/attachments/backup-carries-verify-sees-altered",
                   test_backup_and_verify);
  g_test_add_func ("/server/attachments/sqlite-files-0600-no-temporary", test_files_private);
  g_test_add_func ("/server/attachments/schema-v5-upgrades", test_upgrade_from_v5);
  g_test_add_func ("/server/attachments/doubt-flags-from-what-the-store-holds", test_doubt_flags);
  g_test_add_func ("/server/attachments/schema-v7-upgrade-finds-named-photos",
                   test_upgrade_from_v7);
  g_test_add_func ("/server/attachments/record-fields-stored-pulled-hashed",
                   test_record_fields_round_trip);
  g_test_add_func ("/server/attachments/missing-photo-rejected-on-its-path",
                   test_record_fields_refused);

  return g_test_run ();
}
