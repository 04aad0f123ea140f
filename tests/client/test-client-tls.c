/* test-client-tls.c: the client against `dustgrid-server serve --tls-cert --tls-key`.
 *
 * The CA and the server's certificate are made inside the test. Trusting only the system's CAs,
 * the client refuses the server and says why (the sync state's message); with the CA file named
 * (the "ca-file" setting, here set on the engine as the application's binding does), sign-in and
 * sync succeed. A CA file that cannot be read is an error too, never a silent fallback.
 */
#include "config.h"

#include "dg-test-client.h"
#include "dg-test-server.h"

static void
test_ca_file (void)
{
  g_autofree char *openssl_path = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *client_dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(DgTestProcess) server = NULL;
  g_autoptr(DgTestClient) client = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) office = NULL;

  if (openssl_path == NULL)
    {
      g_test_skip ("the openssl command line is not installed");
      return;
    }

  dir = g_dir_make_tmp ("dustgrid-client-tls-XXXXXX", &error);
  g_assert_no_error (error);
  if (!dg_test_make_certificates (dir))
    {
      g_test_fail_printf ("openssl could not make the test certificates");
      return;
    }
  db = g_build_filename (dir, "server.db", NULL);
  cert = g_build_filename (dir, "server.pem", NULL);
  key = g_build_filename (dir, "server.key", NULL);
  ca = g_build_filename (dir, "ca.pem", NULL);
  missing = g_build_filename (dir, "no-such-ca.pem", NULL);
  dg_test_make_db (db, TRUE);
  {
    const char *options[] = { "--listen", "127.0.0.1", "--tls-cert", cert, "--tls-key", key,
                              NULL };

    server = dg_test_process_start (db, TRUE, options);
  }
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));

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

  return g_test_run ();
}
