/* replay-main.c: runs a fuzz target's LLVMFuzzerTestOneInput() on every file of the directories
 * given as arguments, in name order, one TAP test each, so that every build (gcc, no libFuzzer)
 * replays the corpora. A crash, a critical (fatal under the tests' G_DEBUG) or a broken property
 * aborts the run, which meson reports as a failure.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz-common.h"

/* Under AddressSanitizer (-Db_sanitize=address), look for leaks after every input, so that a
 * leak is pinned on the file that caused it rather than reported once at exit. */
#if defined(__SANITIZE_ADDRESS__)
# define REPLAY_LEAK_CHECK 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define REPLAY_LEAK_CHECK 1
# endif
#endif
#ifdef REPLAY_LEAK_CHECK
# include <sanitizer/lsan_interface.h>
#endif

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint failed = 0;
#ifdef REPLAY_LEAK_CHECK
  gboolean leaked = FALSE;
#endif

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIRECTORY...\n", argv[0]);
      return 2;
    }

  for (int a = 1; a < argc; a++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[a], 0, &error);
      const char *name;

      if (dir == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          char *path = g_build_filename (argv[a], name, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (paths, path);
          else
            g_free (path);
        }
    }
  g_ptr_array_sort (paths, compare_names);

  LLVMFuzzerInitialize (&argc, &argv);

  printf ("TAP version 13\n1..%u\n", paths->len);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u - %s # %s\n", i + 1, path, error->message);
          failed++;
          continue;
        }

      /* Flushed first, so that the log names the input a crash happened on. */
      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
      fflush (stdout);
      {
        /* An exact-size copy, as libFuzzer passes it: no terminating NUL to hide an over-read
         * from AddressSanitizer. */
        g_autofree uint8_t *bytes = g_memdup2 (contents, length);

        LLVMFuzzerTestOneInput (bytes, length);
      }
#ifdef REPLAY_LEAK_CHECK
      /* What leaked stays leaked, and would be reported again after every later input: only
       * the first leaking input is named (and LeakSanitizer fails the run at exit anyway). */
      if (!leaked && __lsan_do_recoverable_leak_check () != 0)
        {
          leaked = TRUE;
          printf ("not ok %u - %s # leaked memory (LeakSanitizer's report is on stderr)\n",
                  i + 1, path);
          fflush (stdout);
          failed++;
          continue;
        }
#endif
      printf ("ok %u - %s\n", i + 1, path);
      fflush (stdout);
    }

  return failed == 0 ? 0 : 1;
}
