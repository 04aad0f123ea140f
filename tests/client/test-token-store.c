/* test-token-store.c: where the client keeps its session token.
 *
 * With a Secret Service on the session bus (a real gnome-keyring-daemon, unlocked, on a private
 * bus of the test's own) the token goes into the keyring and never into the file; with none it
 * stays in a file only the user can read, and the store says so. Each case runs in a subprocess
 * of its own, as libsecret and GIO keep one session-bus connection for the whole process.
 */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "dg-token-store.h"

#define SERVER "https://dust.example.org:8443"
#define TOKEN  "4kq3k7dVgY2bH1x0q9yB8w"

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dg-token-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_private_file (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* A session bus of the test's own, with no services to activate: only what the test starts
 * answers on it. (Not GTestDBus: its teardown waits for the bus connection that libsecret keeps.)
 * Sets DBUS_SESSION_BUS_ADDRESS for this process and the ones it spawns. */
static GPid
start_bus (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (dir, "bus.conf", NULL);
  g_autofree char *config_arg = g_strconcat ("--config-file=", config, NULL);
  g_autofree char *listen = g_strdup_printf (
    "<busconfig><type>session</type><listen>unix:tmpdir=%s</listen>"
    "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
    "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
    "</policy></busconfig>", dir);
  const char *argv[] = { "dbus-daemon", config_arg, "--nofork", "--print-address=1", NULL };
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *address = NULL;
  GPid pid;
  int out_fd;

  g_file_set_contents (config, listen, -1, &error);
  g_assert_no_error (error);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &pid,
                            NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_io_channel_read_line (out, &address, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_strstrip (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  return pid;
}

static void
stop (GPid pid)
{
  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

/* A keyring daemon of our own, its login keyring created and unlocked with a password given on
 * its standard input, owning org.freedesktop.secrets on the private bus. */
static GPid
start_keyring (const char *home)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock",
                         "--components=secrets", NULL };
  GPid pid;
  int in_fd;

  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  env = g_environ_setenv (env, "HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &pid,
                            &in_fd, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, "test-password", 13), ==, 13);
  close (in_fd);

  /* Ready once it owns the name. */
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        return pid;
      g_usleep (50 * 1000);
    }
  g_error ("gnome-keyring-daemon did not take org.freedesktop.secrets");
}

static void
keyring_case (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "dustgrid", "session.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *left = NULL;
  g_autoptr(GError) error = NULL;
  GPid bus, keyring;

  g_unsetenv ("DUSTGRID_KEYRING");
  bus = start_bus (dir);
  keyring = start_keyring (dir);

  {
    g_autoptr(DgTokenStore) store = dg_token_store_new (path);

    g_assert_true (dg_token_store_save (store, SERVER, "wang.li", TOKEN, "inspector",
                                        "2027-01-04T00:00:00Z", &error));
    g_assert_no_error (error);
    g_assert_true (dg_token_store_get_in_keyring (store));
  }

  /* The file names the session but holds no token. */
  text = read_file (path);
  g_assert_null (strstr (text, TOKEN));
  g_assert_nonnull (strstr (text, "wang.li"));
  assert_private_file (path);

  /* The next start reads it back from the keyring. */
  {
    g_autoptr(DgTokenStore) store = dg_token_store_new (path);

    g_assert_cmpstr (dg_token_store_get_token (store), ==, TOKEN);
    g_assert_cmpstr (dg_token_store_get_role (store), ==, "inspector");
    g_assert_true (dg_token_store_get_in_keyring (store));

    /* Signing out removes the entry, not just the file's pointer to it. */
    dg_token_store_clear (store);
  }
  left = secret_password_lookup_sync (&(SecretSchema) {
                                        "org.dustgrid.DustGrid.Session", SECRET_SCHEMA_NONE,
                                        { { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
                                          { "user", SECRET_SCHEMA_ATTRIBUTE_STRING } } },
                                      NULL, &error, "server", SERVER, "user", "wang.li", NULL);
  g_assert_no_error (error);
  g_assert_null (left);
  {
    g_autoptr(DgTokenStore) store = dg_token_store_new (path);

    g_assert_null (dg_token_store_get_token (store));
    g_assert_cmpstr (dg_token_store_get_username (store), ==, "wang.li");
  }

  secret_service_disconnect ();
  stop (keyring);
  stop (bus);
  remove_tree (dir);
}

static void
file_case (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "dustgrid", "session.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPid bus;

  /* A session bus with nothing on it: no Secret Service answers. */
  g_unsetenv ("DUSTGRID_KEYRING");
  bus = start_bus (dir);

  {
    g_autoptr(DgTokenStore) store = dg_token_store_new (path);

    g_assert_true (dg_token_store_save (store, SERVER, "wang.li", TOKEN, "inspector", NULL,
                                        &error));
    g_assert_no_error (error);
    g_assert_false (dg_token_store_get_in_keyring (store));
  }

  text = read_file (path);
  g_assert_nonnull (strstr (text, TOKEN));
  assert_private_file (path);
  {
    g_autoptr(DgTokenStore) store = dg_token_store_new (path);

    g_assert_cmpstr (dg_token_store_get_token (store), ==, TOKEN);
    g_assert_false (dg_token_store_get_in_keyring (store));
  }

  secret_service_disconnect ();
  stop (bus);
  remove_tree (dir);
}

static void
test_token_in_keyring (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed (Build-Depends: gnome-keyring)");
      return;
    }
  if (g_test_subprocess ())
    {
      keyring_case ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_token_in_private_file (void)
{
  if (g_test_subprocess ())
    {
      file_case ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/token-store/in-the-keyring-not-in-the-file", test_token_in_keyring);
  g_test_add_func ("/client/token-store/in-a-private-file-without-a-keyring",
                   test_token_in_private_file);

  return g_test_run ();
}
