/* fuzz-corpus-main.c — replays a fuzz target's corpus without libFuzzer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linked with one fuzz-*.c, it feeds every file of the directories (or the
 * files) on its command line to LLVMFuzzerTestOneInput(), in name order, and
 * reports each as a TAP test point: the seeds and every input the fuzzer once
 * crashed on stay regression tests in an ordinary build.
 */

#define G_LOG_DOMAIN "fuzz-corpus"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fuzz-target.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* README files describe the corpus; they are not inputs. */
      if (name[0] == '.' || g_str_has_prefix (name, "README"))
        continue;
      g_ptr_array_add (files, g_build_filename (path, name, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_paths);

  if (files->len == 0)
    {
      printf ("Bail out! no corpus files\n");
      return 1;
    }

  LLVMFuzzerInitialize (&argc, &argv);

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      /* On a crash, the last line names the input. */
      printf ("# %s\n", path);
      fflush (stdout);

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u %s: %s\n", i + 1, path, error->message);
          continue;
        }

      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      printf ("ok %u %s\n", i + 1, path);
    }

  return 0;
}
