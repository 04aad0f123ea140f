/* test-translations.c: the zh_CN translation is complete and every source with strings is listed.
 *
 * Inspectors and the office read Chinese, so an English string in the UI is a bug. These tests
 * fail when a file with translatable strings is missing from po/POTFILES.in, when a string of
 * the sources is missing from po/zh_CN.po, and when zh_CN.po has untranslated or fuzzy messages.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *source_dirs[] = { "client", "common", "server", "data" };

static char *
source_path (const char *relative)
{
  return g_build_filename (g_getenv ("DUSTGRID_SOURCE_ROOT"), relative, NULL);
}

static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = source_path ("po/POTFILES.in");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && lines[i][0] != '#')
        g_ptr_array_add (files, g_strdup (lines[i]));
    }
  return files;
}

/* A file has translatable strings when it calls _(), N_(), C_() or NC_(), or marks a .ui
 * property translatable, or is a desktop/metainfo/gschema template with text. */
static gboolean
has_translatable_strings (const char *contents)
{
  static GRegex *regex = NULL;

  if (regex == NULL)
    regex = g_regex_new ("(^|[^A-Za-z0-9_])N?C?_\\s*\\(\\s*\"|translatable=\"yes\"", G_REGEX_MULTILINE,
                         0, NULL);
  return g_regex_match (regex, contents, 0, NULL);
}

static void
collect_sources (const char *dir_rel,
                 GPtrArray  *out)
{
  g_autofree char *dir_path = source_path (dir_rel);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = g_build_filename (dir_rel, name, NULL);
      g_autofree char *abs = source_path (rel);

      if (g_file_test (abs, G_FILE_TEST_IS_DIR))
        collect_sources (rel, out);
      else if (g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".ui"))
        {
          g_autofree char *contents = NULL;
          if (g_file_get_contents (abs, &contents, NULL, NULL) && has_translatable_strings (contents))
            g_ptr_array_add (out, g_steal_pointer (&rel));
        }
    }
}

static gboolean
str_array_contains (GPtrArray  *array,
                    const char *str)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), str))
      return TRUE;
  return FALSE;
}

static void
test_potfiles_lists_every_source (void)
{
  g_autoptr(GPtrArray) listed = read_potfiles ();
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (source_dirs); i++)
    collect_sources (source_dirs[i], sources);

  for (guint i = 0; i < sources->len; i++)
    if (!str_array_contains (listed, g_ptr_array_index (sources, i)))
      g_string_append_printf (missing, " %s", (char *) g_ptr_array_index (sources, i));

  if (missing->len > 0)
    g_test_fail_printf ("po/POTFILES.in does not list:%s", missing->str);
}

static void
test_potfiles_entries_exist (void)
{
  g_autoptr(GPtrArray) listed = read_potfiles ();

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *path = source_path (g_ptr_array_index (listed, i));
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_test_fail_printf ("po/POTFILES.in lists %s, which does not exist",
                            (char *) g_ptr_array_index (listed, i));
    }
}

/* TAP reads a multi-line failure message as protocol lines: keep the tool's output on one line. */
static char *
one_line (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_auto(GStrv) lines = g_strsplit (stripped, "\n", -1);

  return g_strjoinv (" | ", lines);
}

static char *
run (const char * const *argv,
     int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_spawn_sync (g_getenv ("DUSTGRID_SOURCE_ROOT"), (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, &out, &err, status, &error);
  g_assert_no_error (error);
  {
    g_autofree char *both = g_strconcat (out, err, NULL);
    return one_line (both);
  }
}

/* Extract the sources' strings afresh, as the translators' template would be made, and check
 * that zh_CN.po holds every one of them. */
static void
test_zh_cn_covers_every_source_string (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("dustgrid-po-XXXXXX", NULL);
  g_autofree char *pot = g_build_filename (tmpdir, "dustgrid.pot", NULL);
  const char *xgettext[] = {
    "xgettext", "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dngettext:2,3",
    "--keyword=ngettext:1,2", "--files-from=po/POTFILES.in", "--directory=.", "-o", pot, NULL
  };
  const char *msgcmp[] = { "msgcmp", "--use-untranslated", "po/zh_CN.po", pot, NULL };
  g_autofree char *output = NULL;
  int status;

  output = run (xgettext, &status);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_fail_printf ("xgettext failed: %s", output);
  else if (g_file_test (pot, G_FILE_TEST_EXISTS))
    {
      g_free (output);
      output = run (msgcmp, &status);
      if (!g_spawn_check_wait_status (status, NULL))
        g_test_fail_printf ("po/zh_CN.po lacks strings of the sources: %s", output);
    }
  g_remove (pot);
  g_rmdir (tmpdir);
}

static void
test_zh_cn_has_no_untranslated_or_fuzzy (void)
{
  const char *msgfmt[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", "po/zh_CN.po", NULL };
  g_autofree char *output = NULL;
  int status;

  output = run (msgfmt, &status);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_fail_printf ("msgfmt --check failed: %s", output);
  if (strstr (output, "untranslated") != NULL || strstr (output, "fuzzy") != NULL)
    g_test_fail_printf ("po/zh_CN.po is incomplete: %s", output);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/potfiles/lists-every-source-with-strings", test_potfiles_lists_every_source);
  g_test_add_func ("/i18n/potfiles/entries-exist", test_potfiles_entries_exist);
  g_test_add_func ("/i18n/zh-cn/covers-every-source-string", test_zh_cn_covers_every_source_string);
  g_test_add_func ("/i18n/zh-cn/no-untranslated-or-fuzzy", test_zh_cn_has_no_untranslated_or_fuzzy);

  return g_test_run ();
}
