/* test-store-files.c: what the SQLite backend leaves in its files. The database, its -wal and
 * -shm files and its backups are created 0600 whatever the umask, since they hold password
 * hashes and every record; and the tokens table holds live sessions only. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dg-store.h"

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != 0600)
    g_test_fail_printf ("%s has mode %03o, not 600", path, st.st_mode & 0777);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

/* Turns a database of this build into one of schema version 3, the release before. */
static void
make_version_3 (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX revisions_by_type;"
                                     " DROP INDEX sample_values_by_record;"
                                     " ALTER TABLE months DROP COLUMN frozen_through;"
                                     " PRAGMA user_version = 3", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
}

/* The database's files and the folder: what a store of these tests leaves. */
static void
remove_store (const char *dir,
              const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

static void
test_files_private (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dg-store-files-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dustgrid.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *copy = g_build_filename (dir, "backup.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  mode_t old_umask;

  g_assert_nonnull (dir);
  /* The common umask of a service started by hand: files 0644 unless the store says otherwise. */
  old_umask = umask (022);

  store = dg_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_put_user (store, "anna", DG_ROLE_ADMIN, "hash", &error));
  g_assert_no_error (error);
  assert_mode_0600 (path);
  assert_mode_0600 (wal);
  assert_mode_0600 (shm);

  g_assert_true (dg_store_backup (store, copy, &error));
  g_assert_no_error (error);
  assert_mode_0600 (copy);

  umask (old_umask);
  g_clear_object (&store);
  g_remove (copy);
  remove_store (dir, path);
}

static gint64
count_tokens (const char *path)
{
  return query_int (path, "SELECT count(*) FROM tokens");
}

/* A sign-in deletes the user's revoked and expired tokens; another user's stay. */
static void
test_dead_tokens_purged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dg-store-tokens-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dustgrid.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  store = dg_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_put_user (store, "anna", DG_ROLE_INSPECTOR, "hash", &error));
  g_assert_true (dg_store_put_user (store, "ben", DG_ROLE_INSPECTOR, "hash", &error));
  g_assert_true (dg_store_add_token (store, "anna-expired", "anna", now - 10, &error));
  g_assert_true (dg_store_add_token (store, "anna-revoked", "anna", now + 3600, &error));
  g_assert_true (dg_store_revoke_token (store, "anna-revoked", &error));
  g_assert_true (dg_store_add_token (store, "anna-live", "anna", now + 3600, &error));
  g_assert_true (dg_store_add_token (store, "ben-expired", "ben", now - 10, &error));
  g_assert_no_error (error);
  /* anna's third sign-in cleared her two dead ones; ben's stays until he signs in. */
  g_assert_cmpint (count_tokens (path), ==, 2);

  g_assert_true (dg_store_add_token (store, "ben-live", "ben", now + 3600, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_tokens (path), ==, 2);
  g_assert_true (dg_store_lookup_token (store, "anna-live", now, NULL, NULL, &error));
  g_assert_true (dg_store_lookup_token (store, "ben-live", now, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  remove_store (dir, path);
}

/* Opening a database an older release wrote upgrades its schema, and first keeps the file as
 * it was, 0600, beside it; a new database and one already current get no copy. */
static void
test_pre_upgrade_copy (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dg-store-upgrade-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dustgrid.db", NULL);
  g_autofree char *old_copy = dg_store_pre_upgrade_path (path, 3);
  g_autofree char *current_copy = dg_store_pre_upgrade_path (path, DG_STORE_SCHEMA_VERSION);
  g_autofree char *created_copy = dg_store_pre_upgrade_path (path, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  mode_t old_umask = umask (022);

  g_assert_cmpstr (old_copy + strlen (path), ==, ".pre-upgrade-v3.db");

  store = dg_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dg_store_put_user (store, "anna", DG_ROLE_ADMIN, "hash", &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_false (g_file_test (created_copy, G_FILE_TEST_EXISTS));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                    " AND name = 'sample_values_by_record'"), ==, 1);

  make_version_3 (path);
  store = dg_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_true (g_file_test (old_copy, G_FILE_TEST_IS_REGULAR));
  assert_mode_0600 (old_copy);
  g_assert_cmpint (query_int (old_copy, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (query_int (old_copy, "SELECT count(*) FROM users WHERE username = 'anna'"),
                   ==, 1);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, DG_STORE_SCHEMA_VERSION);
  /* Version 7's index, which the upgrade from 3 made again. */
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                    " AND name = 'sample_values_by_record'"), ==, 1);

  /* Opened again at the current version: nothing more to keep. */
  store = dg_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_false (g_file_test (current_copy, G_FILE_TEST_EXISTS));

  umask (old_umask);
  g_remove (old_copy);
  remove_store (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/store/files-are-the-owners-alone", test_files_private);
  g_test_add_func ("/server/store/dead-tokens-purged-at-sign-in", test_dead_tokens_purged);
  g_test_add_func ("/server/store/schema-upgrade-keeps-the-old-file", test_pre_upgrade_copy);

  return g_test_run ();
}
