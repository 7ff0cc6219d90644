/* fw-cli.c — floorwatch-cli: the notification engine for terminals and scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "fw-cli-private.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "watch",    fw_cli_watch,    "Print notifications as they arrive" },
  { "topics",   fw_cli_topics,   "List the topics one can watch" },
  { "login",    fw_cli_login,    "Check a client secret from stdin and keep it in the keyring" },
  { "logout",   fw_cli_logout,   "Remove a client secret from the keyring" },
  { "simulate", fw_cli_simulate, "Run the built-in Genesys Cloud simulator" },
};

G_DEFINE_QUARK (fw-cli-error-quark, fw_cli_error)

void
fw_cli_message (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("floorwatch: %s\n", message);
}

int
fw_cli_usage_error (const char *command,
                    const char *message)
{
  fflush (stdout);
  if (command != NULL)
    g_printerr ("floorwatch: %s (see 'floorwatch-cli %s --help')\n", message, command);
  else
    g_printerr ("floorwatch: %s (see 'floorwatch-cli --help')\n", message);
  return FW_CLI_EXIT_USAGE;
}

gboolean
fw_cli_parse_options (GOptionContext   *context,
                      const char       *command,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fw_cli_usage_error (command, error->message);
      return FALSE;
    }

  return TRUE;
}

static void
print_help (FILE *stream)
{
  fprintf (stream,
           "Usage:\n"
           "  floorwatch-cli COMMAND [OPTION…]\n"
           "\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (stream,
           "\n"
           "Run 'floorwatch-cli COMMAND --help' for the options of a command.\n"
           "Try it without an account: floorwatch-cli watch --demo\n");
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  const Command *command;
  g_autofree char *prgname = NULL;

  /* The engine's messages (a bad region, rejected credentials…) reach the
   * user through this program: they should come in the user's language. */
  setlocale (LC_ALL, "");
  /* From the build tree (build-aux/run.sh, the tests) the catalogs are
   * not installed yet: FLOORWATCH_LOCALEDIR points at them. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("FLOORWATCH_LOCALEDIR") != NULL
                                   ? g_getenv ("FLOORWATCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A reader that goes away (`floorwatch-cli watch … | head`) must end the
   * watch through the normal path, so that our channels' subscriptions are
   * removed, rather than kill us in the middle of a write. */
  signal (SIGPIPE, SIG_IGN);

  if (argc < 2)
    {
      print_help (stderr);
      return FW_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_help (stdout);
      return FW_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("floorwatch-cli %s\n", PACKAGE_VERSION);
      return FW_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "help"))
    {
      if (argc < 3)
        {
          print_help (stdout);
          return FW_CLI_EXIT_OK;
        }

      command = find_command (argv[2]);
      if (command == NULL)
        {
          g_autofree char *message = g_strdup_printf ("unknown command '%s'", argv[2]);
          return fw_cli_usage_error (NULL, message);
        }

      {
        char *help_argv[] = { (char *) command->name, (char *) "--help", NULL };

        prgname = g_strdup_printf ("floorwatch-cli %s", command->name);
        g_set_prgname (prgname);
        return command->run (2, help_argv);
      }
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *message = NULL;

      if (argv[1][0] == '-')
        message = g_strdup_printf ("a command comes first, not the option '%s'", argv[1]);
      else
        message = g_strdup_printf ("unknown command '%s'", argv[1]);
      return fw_cli_usage_error (NULL, message);
    }

  /* GOptionContext writes "Usage: <prgname> [OPTION…]", which should name
   * the subcommand too. */
  prgname = g_strdup_printf ("floorwatch-cli %s", command->name);
  g_set_prgname (prgname);

  return command->run (argc - 1, argv + 1);
}
