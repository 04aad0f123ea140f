/* test-client-tls.c: the client against `dustgrid-server serve --tls-cert --tls-key`.
 *
 * The CA and the server's certificate are made inside the test. Trusting only the system's CAs,
 * the client refuses the server and says why (the sync state's message); with the CA file named
 * (the "ca-file" setting, here set on the engine as the application's binding does), sign-in and
 * sync succeed. A CA file that cannot be read is an error too, never a silent fallback.
 *
 * The office's side (issue 12's acceptance): on a server with a private CA, syncing, returning a
 * record, closing a month and downloading an export each fail with a certificate error without
 * the CA file and succeed with it, all through the engine's one API client.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dg-office-actions.h"
#include "dg-test-client.h"
#include "dg-test-server.h"

static void
test_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *client_dir = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(DgTestProcess) server = NULL;
  g_autoptr(DgTestClient) client = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) office = NULL;

  dir = g_dir_make_tmp ("dustgrid-client-tls-XXXXXX", &error);
  g_assert_no_error (error);
  server = dg_test_private_ca_server_start (dir, &ca);
  if (server == NULL)
    {
      dg_test_remove_dir (dir);
      return;
    }
  missing = g_build_filename (dir, "no-such-ca.pem", NULL);

  client_dir = g_build_filename (dir, "client", NULL);
  client = dg_test_client_new (client_dir);
  g_assert_cmpstr (dg_sync_engine_get_ca_file (client->engine), ==, "");

  /* The system's CAs do not know the test's: sign-in is refused, with the reason. */
  g_assert_false (dg_test_client_sign_in (client, server->url, "inspector", &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_CERTIFICATE);
  g_test_message ("sign-in without the CA: %s", error->message);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_clear_error (&error);
  g_assert_false (dg_sync_engine_get_signed_in (client->engine));

  /* A CA file that is not there. */
  dg_sync_engine_set_ca_file (client->engine, missing);
  g_assert_false (dg_test_client_sign_in (client, server->url, "inspector", &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* With the CA named: signed in, and records go out over HTTPS. */
  dg_sync_engine_set_ca_file (client->engine, ca);
  dg_test_client_sign_in (client, server->url, "inspector", &error);
  g_assert_no_error (error);
  dg_test_client_save_checks (client, 20, ids);
  dg_test_client_sync (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dg_sync_engine_get_state (client->engine), ==, DG_SYNC_STATE_SYNCED);
  g_assert_null (dg_sync_engine_get_message (client->engine));
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 0);

  /* The CA forgotten (back to the system's): the next sync fails, and the state says why. The
   * records saved meanwhile wait in the outbox. */
  dg_sync_engine_set_ca_file (client->engine, "");
  dg_test_client_save_checks (client, 5, ids);
  g_assert_false (dg_test_client_sync (client, &error));
  g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_CERTIFICATE);
  g_clear_error (&error);
  g_assert_cmpint (dg_sync_engine_get_state (client->engine), ==, DG_SYNC_STATE_ERROR);
  g_assert_nonnull (dg_sync_engine_get_message (client->engine));
  g_test_message ("sync state's reason: %s", dg_sync_engine_get_message (client->engine));
  g_assert_nonnull (strstr (dg_sync_engine_get_message (client->engine), "certificate"));
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 5);
  g_assert_true (dg_sync_engine_get_signed_in (client->engine));

  /* Named again: they go out. */
  dg_sync_engine_set_ca_file (client->engine, ca);
  dg_test_client_sync (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dg_sync_engine_get_state (client->engine), ==, DG_SYNC_STATE_SYNCED);
  g_assert_cmpuint (dg_local_store_count_pending (client->store), ==, 0);

  /* What the server holds, seen over HTTPS by a session that trusts the CA. */
  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  office = dg_test_session_new ();
  soup_session_set_tls_database (office, database);
  held = dg_test_held_checks (office, server->url);
  g_assert_cmpuint (g_hash_table_size (held), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (GPOINTER_TO_SIZE (g_hash_table_lookup (held, g_ptr_array_index (ids, i))),
                     ==, 1);

  g_clear_pointer (&client, dg_test_client_free);
  g_assert_cmpint (dg_test_process_stop (server), ==, 0);
  dg_test_remove_dir (client_dir);
  dg_test_remove_dir (dir);
}

/* ---- The office's operations on a private CA ---- */

typedef enum
{
  OPERATION_SYNC,
  OPERATION_RETURN,
  OPERATION_CLOSE,
  OPERATION_EXPORT,
  N_OPERATIONS
} Operation;

static const char *const operation_names[N_OPERATIONS] = {
  "sync", "return a record", "close a month", "download an export",
};

typedef struct
{
  DgTestClient    *client;
  DgOfficeActions *actions;     /* the engine's API client, as the office page makes them */
  const char      *record_id;   /* an inspector's check, to return */
  const char      *month;       /* the month to close: one the checks are not in */
  GFile           *export;      /* where the downloaded assessment goes */
} Office;

/* One operation, as the office page runs it: FALSE with the error when it fails. */
static gboolean
run_operation (Office     *office,
               Operation   operation,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *today = dg_date_today ();
  g_autofree char *this_month = dg_date_month (today);

  switch (operation)
    {
    case OPERATION_SYNC:
      return dg_test_client_sync (office->client, error);
    case OPERATION_RETURN:
      dg_office_actions_return_record_async (office->actions, office->record_id,
                                             "Weigh point 4 again", NULL,
                                             dg_test_got_result_cb, &result);
      return dg_office_actions_return_record_finish (office->actions,
                                                     dg_test_wait_result (&result), error);
    case OPERATION_CLOSE:
      dg_office_actions_close_month_async (office->actions, office->month, FALSE, NULL,
                                           dg_test_got_result_cb, &result);
      return dg_office_actions_close_month_finish (office->actions,
                                                   dg_test_wait_result (&result), error);
    case OPERATION_EXPORT:
      dg_office_actions_download_assessment_async (office->actions, this_month, "xlsx",
                                                   office->export, NULL,
                                                   dg_test_got_result_cb, &result);
      return dg_office_actions_download_assessment_finish (office->actions,
                                                           dg_test_wait_result (&result),
                                                           error);
    case N_OPERATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* The acceptance test of issue 12: a server whose certificate comes from the district's own CA.
 * Signed in as the office, each of the four things the office does over the network is tried
 * first with the CA file forgotten (the system's CAs only), where it must fail with an error
 * that says the certificate is not trusted and why, then with the CA file named, where it must
 * succeed. The failed attempt changes nothing: the record is returned, the month closed and the
 * file written only by the second. */
static void
test_private_ca_office (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *inspector_dir = NULL;
  g_autofree char *office_dir = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *export_path = NULL;
  g_autoptr(DgTestProcess) server = NULL;
  g_autoptr(DgTestClient) inspector = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *token = NULL;
  Office office = { 0 };

  dir = g_dir_make_tmp ("dustgrid-client-private-ca-XXXXXX", &error);
  g_assert_no_error (error);
  server = dg_test_private_ca_server_start (dir, &ca);
  if (server == NULL)
    {
      dg_test_remove_dir (dir);
      return;
    }
  export_path = g_build_filename (dir, "assessment.xlsx", NULL);

  /* An inspector (who trusts the CA) sends three checks of this month. */
  inspector_dir = g_build_filename (dir, "inspector", NULL);
  inspector = dg_test_client_new (inspector_dir);
  dg_sync_engine_set_ca_file (inspector->engine, ca);
  dg_test_client_sign_in (inspector, server->url, "inspector", &error);
  g_assert_no_error (error);
  dg_test_client_save_checks (inspector, 3, ids);
  dg_test_client_sync (inspector, &error);
  g_assert_no_error (error);

  /* The office signs in with the CA named (signing in without it is test_ca_file's). */
  office_dir = g_build_filename (dir, "office", NULL);
  office.client = dg_test_client_new (office_dir);
  dg_sync_engine_set_ca_file (office.client->engine, ca);
  dg_test_client_sign_in (office.client, server->url, "office", &error);
  g_assert_no_error (error);
  office.actions = dg_office_actions_new_for_engine (office.client->engine);
  office.record_id = g_ptr_array_index (ids, 0);
  office.month = "2025-03";     /* dg_test_new_check()'s month */
  office.export = g_file_new_for_path (export_path);

  for (Operation op = 0; op < N_OPERATIONS; op++)
    {
      g_test_message ("%s", operation_names[op]);

      /* The system's CAs only: refused, and the message names the certificate problem. */
      dg_sync_engine_set_ca_file (office.client->engine, "");
      g_assert_false (run_operation (&office, op, &error));
      if (op == OPERATION_SYNC)
        g_assert_error (error, DG_SYNC_ERROR, DG_SYNC_ERROR_CERTIFICATE);
      else
        g_assert_error (error, DG_API_ERROR, DG_API_ERROR_CERTIFICATE);
      g_test_message ("%s without the CA: %s", operation_names[op], error->message);
      g_assert_nonnull (strstr (error->message, "certificate is not trusted"));
      g_assert_nonnull (strstr (error->message, "not signed by a trusted certificate authority"));
      g_clear_error (&error);
      g_assert_true (dg_sync_engine_get_signed_in (office.client->engine));
      if (op == OPERATION_EXPORT)
        g_assert_false (g_file_query_exists (office.export, NULL));

      /* The CA named: done. */
      dg_sync_engine_set_ca_file (office.client->engine, ca);
      run_operation (&office, op, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (dg_sync_engine_get_state (office.client->engine), ==, DG_SYNC_STATE_SYNCED);

  /* What the server holds, seen over HTTPS by a session that trusts the CA: the check returned
   * with the reason, the month closed (an inspector's change to it is refused), and the file a
   * workbook. */
  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  session = dg_test_session_new ();
  soup_session_set_tls_database (session, database);
  token = dg_test_process_login (session, server->url, "office");
  record = dg_test_pull_record (session, server->url, token, office.record_id);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (record, "reason"), ==, "Weigh point 4 again");
  {
    g_autofree char *inspector_token = dg_test_process_login (session, server->url, "inspector");
    g_autofree char *change = NULL;
    g_autofree char *body = NULL;
    g_autoptr(JsonNode) answer = NULL;
    JsonObject *result;
    char id[37];

    change = dg_test_new_check (id, 3);
    body = g_strdup_printf ("{\"changes\":[%s]}", change);
    g_assert_cmpuint (dg_test_http (session, server->url, "POST", "/api/v1/changes",
                                    inspector_token, body, &answer), ==, 200);
    result = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (answer), "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (
      json_object_get_object_member (result, "error"), "code"), ==, "month_closed");
  }
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_file_get_contents (export_path, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 4);
    g_assert_true (memcmp (contents, "PK", 2) == 0);
  }

  g_clear_object (&office.actions);
  g_clear_object (&office.export);
  g_clear_pointer (&office.client, dg_test_client_free);
  g_clear_pointer (&inspector, dg_test_client_free);
  g_assert_cmpint (dg_test_process_stop (server), ==, 0);
  g_unlink (export_path);
  dg_test_remove_dir (office_dir);
  dg_test_remove_dir (inspector_dir);
  dg_test_remove_dir (dir);
}

/* The schema's key: a string, empty by default (the system's CAs). */
static void
test_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) value = NULL;

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, "org.dustgrid.DustGrid", TRUE);
  g_assert_nonnull (schema);
  g_assert_true (g_settings_schema_has_key (schema, "ca-file"));
  key = g_settings_schema_get_key (schema, "ca-file");
  value = g_settings_schema_key_get_default_value (key);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "");
}

/* Under a sanitizer build, LeakSanitizer crashes at exit ("Tracer caught signal 11") scanning
 * the dynamic thread-local storage that GIO's dlopen()ed GnuTLS module left in the sync
 * engine's idle worker threads, as it does in the HTTPS server (tests/server/test-server-tls.c).
 * This process's leaks go unchecked; the engine's are checked by test-client-sync over plain
 * HTTP. LSAN_OPTIONS from the environment still applies on top of this default. */
const char *__lsan_default_options (void);

const char *
__lsan_default_options (void)
{
  return "detect_leaks=0";
}

int
main (int    argc,
      char **argv)
{
  const char *lsan = g_getenv ("LSAN_OPTIONS");
  g_autofree char *children = NULL;

  /* As in tests/server/test-server-tls.c: LeakSanitizer cannot scan the HTTPS server's GnuTLS
   * thread-local storage when it exits. This reaches only the server spawned below. */
  children = g_strdup_printf ("%s%sdetect_leaks=0", lsan != NULL ? lsan : "",
                              lsan != NULL && *lsan != '\0' ? ":" : "");
  g_setenv ("LSAN_OPTIONS", children, TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/tls/setting", test_setting);
  g_test_add_func ("/client/tls/ca-file", test_ca_file);
  g_test_add_func ("/client/tls/private-ca/office", test_private_ca_office);

  return g_test_run ();
}
