/* test-store-files.c: the SQLite database, its -wal and -shm files and its backups are created
 * 0600 whatever the umask, since they hold password hashes and every record (issue 18, item 6). */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "dg-store.h"

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != 0600)
    g_test_fail_printf ("%s has mode %03o, not 600", path, st.st_mode & 0777);
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
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/store/files-are-the-owners-alone", test_files_private);

  return g_test_run ();
}
