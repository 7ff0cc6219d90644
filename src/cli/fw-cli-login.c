/* fw-cli-login.c — `floorwatch-cli login` and `logout`: the client secret in
 * the keyring, or a person's own sign-in (`login --browser`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fw-cli-private.h"

/* Client secrets are around 43 characters; anything near this is a mistake. */
#define MAX_SECRET_LENGTH 1024

typedef struct
{
  char          *environment_spec;
  char          *client_id_option;
  gboolean       browser;
  gboolean       no_open;
  char          *port_text;

  GMainLoop     *loop;
  FwEnvironment *environment;
  char          *client_id;
  FwTokenSource *tokens;
  char          *secret;
  FwPkceLogin   *pkce;
  GCancellable  *cancellable;
  int            exit_code;
} Login;

static void
wipe_secret (char **secret)
{
  if (*secret == NULL)
    return;

  explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
login_clear (Login *self)
{
  wipe_secret (&self->secret);
  g_clear_object (&self->pkce);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tokens);
  g_clear_object (&self->environment);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->environment_spec, g_free);
  g_clear_pointer (&self->client_id_option, g_free);
  g_clear_pointer (&self->port_text, g_free);
}

/* While echo is off, a Ctrl-C must not leave the terminal blind. */
static struct termios saved_termios;

static void
restore_terminal_and_die (int signum)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Reads one line from stdin, without echo when it is a terminal.  Returns
 * the line without its line break, in memory the caller wipes. */
static char *
read_secret (const char  *prompt,
             GError     **error)
{
  g_autofree char *buffer = g_malloc0 (MAX_SECRET_LENGTH + 1);
  gboolean is_tty = isatty (STDIN_FILENO);
  struct sigaction action = { 0, };
  struct sigaction old_int, old_term, old_hup;
  gsize length = 0;
  gboolean too_long = FALSE;
  int read_errno = 0;

  if (is_tty)
    {
      struct termios quiet;

      if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "cannot turn off echo on the terminal: %s", g_strerror (errno));
          return NULL;
        }

      action.sa_handler = restore_terminal_and_die;
      sigaction (SIGINT, &action, &old_int);
      sigaction (SIGTERM, &action, &old_term);
      sigaction (SIGHUP, &action, &old_hup);

      quiet = saved_termios;
      quiet.c_lflag &= ~ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

      g_printerr ("%s", prompt);
    }

  /* One byte at a time: no stdio buffer keeps a copy of the secret, and
   * nothing past the first line is consumed. */
  for (;;)
    {
      char c;
      ssize_t n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          read_errno = errno;
          break;
        }
      if (n == 0 || c == '\n')
        break;

      if (length == MAX_SECRET_LENGTH)
        too_long = TRUE;
      else
        buffer[length++] = c;
    }

  if (is_tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
      sigaction (SIGHUP, &old_hup, NULL);
    }

  /* A secret pasted from a file with Windows line ends. */
  if (length > 0 && buffer[length - 1] == '\r')
    buffer[--length] = '\0';

  if (read_errno != 0 || too_long || length == 0)
    {
      explicit_bzero (buffer, MAX_SECRET_LENGTH);

      if (read_errno != 0)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (read_errno),
                     "cannot read the secret from stdin: %s", g_strerror (read_errno));
      else if (too_long)
        g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                     "the line on stdin is longer than %d characters: not a client secret",
                     MAX_SECRET_LENGTH);
      else
        g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                     "no secret on stdin: give it as one line");
      return NULL;
    }

  return g_steal_pointer (&buffer);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_store_finish (result, &error))
    {
      fw_cli_message ("cannot store the secret in the keyring: %s", error->message);
      self->exit_code = FW_CLI_EXIT_FAILURE;
    }
  else
    {
      fw_cli_message ("the secret of client %s on %s is in the keyring",
                      self->client_id, fw_environment_get_name (self->environment));
      self->exit_code = FW_CLI_EXIT_OK;
    }

  g_main_loop_quit (self->loop);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = fw_token_source_get_token_finish (FW_TOKEN_SOURCE (source), result, &error);
  wipe_secret (&token);

  if (error != NULL)
    {
      self->exit_code = fw_cli_exit_code_for_error (error);
      if (self->exit_code == FW_CLI_EXIT_CREDENTIALS)
        fw_cli_message ("credentials rejected, nothing stored: %s", error->message);
      else
        fw_cli_message ("cannot check the secret with %s, nothing stored: %s",
                        fw_environment_get_name (self->environment), error->message);
      g_main_loop_quit (self->loop);
      return;
    }

  /* Only a secret the server accepted goes into the keyring. */
  fw_credentials_store_async (fw_environment_get_name (self->environment),
                              self->client_id,
                              self->secret,
                              NULL,
                              store_cb,
                              self);
}

static gboolean
parse_target (Login       *self,
              const char  *command,
              const char  *summary,
              gboolean     is_login,
              int         *argc,
              char      ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &self->environment_spec,
      "Region domain (mypurecloud.ie), region name (eu-west-1) or simulator URL; "
      "default: $GENESYSCLOUD_REGION", "E" },
    { "client-id", 'c', 0, G_OPTION_ARG_STRING, &self->client_id_option,
      "OAuth client id; default: $GENESYSCLOUD_OAUTHCLIENT_ID", "ID" },
    { NULL }
  };
  const GOptionEntry browser_entries[] = {
    { "browser", 'b', 0, G_OPTION_ARG_NONE, &self->browser,
      "Sign in as yourself in the browser (a PKCE client, no secret)", NULL },
    { "no-open", 0, 0, G_OPTION_ARG_NONE, &self->no_open,
      "With --browser: only print the address, do not open a browser", NULL },
    { "port", 0, 0, G_OPTION_ARG_STRING, &self->port_text,
      "With --browser: the port of the redirect URI http://127.0.0.1:PORT/callback "
      "(default: any free one)", "P" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (is_login)
    g_option_context_add_main_entries (context, browser_entries, NULL);

  if (!fw_cli_parse_options (context, command, argc, argv))
    return FALSE;

  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("unexpected argument '%s'", (*argv)[1]);

      fw_cli_usage_error (command, message);
      return FALSE;
    }

  if (!self->browser && (self->no_open || self->port_text != NULL))
    {
      fw_cli_usage_error (command, "--no-open and --port go with --browser");
      return FALSE;
    }

  if (!fw_cli_target_resolve (self->environment_spec, self->client_id_option,
                              &self->environment, &self->client_id, &error))
    {
      fw_cli_usage_error (command, error->message);
      return FALSE;
    }

  return TRUE;
}

static void
user_tokens_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_store_user_tokens_finish (result, &error))
    {
      fw_cli_message ("cannot keep the sign-in in the keyring: %s", error->message);
      self->exit_code = FW_CLI_EXIT_FAILURE;
    }
  else
    {
      fw_cli_message ("signed in with client %s on %s; the sign-in is in the keyring",
                      self->client_id, fw_environment_get_name (self->environment));
      self->exit_code = FW_CLI_EXIT_OK;
    }

  g_main_loop_quit (self->loop);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwUserTokens) tokens = NULL;

  tokens = fw_pkce_login_sign_in_finish (FW_PKCE_LOGIN (source), result, &error);
  if (tokens == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fw_cli_message ("sign-in stopped, nothing stored");
      else
        fw_cli_message ("not signed in, nothing stored: %s", error->message);
      self->exit_code = g_error_matches (error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_REJECTED)
                        ? FW_CLI_EXIT_CREDENTIALS : FW_CLI_EXIT_FAILURE;
      g_main_loop_quit (self->loop);
      return;
    }

  fw_credentials_store_user_tokens_async (fw_environment_get_name (self->environment),
                                          self->client_id, tokens, NULL,
                                          user_tokens_stored_cb, self);
}

static gboolean
stop_sign_in_cb (gpointer user_data)
{
  Login *self = user_data;

  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_CONTINUE;
}

/* `login --browser`: the authorization code with PKCE, the browser playing
 * its part; no secret is involved anywhere. */
static int
sign_in_with_browser (Login      *self,
                      const char *command)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *uri;
  guint64 port = 0;
  guint sigint_id;
  guint sigterm_id;

  if (self->port_text != NULL &&
      !fw_cli_parse_unsigned ("--port", self->port_text, 1, 65535, &port, &error))
    return fw_cli_usage_error (command, error->message);

  self->pkce = fw_pkce_login_new (soup, self->environment, self->client_id);
  g_object_set (self->pkce, "port", (guint) port, NULL);
  self->cancellable = g_cancellable_new ();
  self->loop = g_main_loop_new (NULL, FALSE);
  self->exit_code = FW_CLI_EXIT_FAILURE;

  fw_pkce_login_sign_in_async (self->pkce, self->cancellable, signed_in_cb, self);

  /* Without a listener the sign-in has already failed and says why. */
  uri = fw_pkce_login_get_authorize_uri (self->pkce);
  if (uri != NULL)
    {
      fw_cli_message ("sign in with your browser at this address:");
      g_printerr ("\n  %s\n\n", uri);

      if (!self->no_open && !g_app_info_launch_default_for_uri (uri, NULL, &error))
        fw_cli_message ("no browser could be opened (%s): open the address yourself",
                        error->message);
      fw_cli_message ("waiting for the browser to come back to %s (Ctrl-C stops)",
                      fw_pkce_login_get_redirect_uri (self->pkce));
    }

  sigint_id = g_unix_signal_add (SIGINT, stop_sign_in_cb, self);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_sign_in_cb, self);
  g_main_loop_run (self->loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return self->exit_code;
}

int
fw_cli_login (int    argc,
              char **argv)
{
  Login login = { 0, };
  Login *self = &login;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  int exit_code;

  if (!parse_target (self, argv[0],
                     "Reads the client secret from stdin (one line; not echoed on a terminal),\n"
                     "checks it with a token grant, and keeps it in the keyring only if the\n"
                     "server accepts it.  'watch' and 'topics' find it there.\n"
                     "\n"
                     "With --browser, signs you in as yourself instead: the login page opens in\n"
                     "the browser, and your own tokens (renewed as they run out) go into the\n"
                     "keyring; 'watch' uses them when no secret is known for the client.  The\n"
                     "client is a Code Authorization client with PKCE whose redirect URI is\n"
                     "http://127.0.0.1:PORT/callback.\n"
                     "\n"
                     "  floorwatch-cli login -e mypurecloud.ie -c <client id>\n"
                     "  pass show genesys | floorwatch-cli login -e mypurecloud.ie -c <client id>\n"
                     "  floorwatch-cli login --browser -e mypurecloud.ie -c <PKCE client id>",
                     TRUE, &argc, &argv))
    {
      login_clear (self);
      return FW_CLI_EXIT_USAGE;
    }

  if (self->browser)
    {
      exit_code = sign_in_with_browser (self, argv[0]);
      login_clear (self);
      return exit_code;
    }

  prompt = g_strdup_printf ("Client secret of %s on %s: ", self->client_id,
                            fw_environment_get_name (self->environment));
  self->secret = read_secret (prompt, &error);
  if (self->secret == NULL)
    {
      exit_code = fw_cli_exit_code_for_error (error);
      if (exit_code == FW_CLI_EXIT_USAGE)
        fw_cli_usage_error (argv[0], error->message);
      else
        fw_cli_message ("%s", error->message);
      login_clear (self);
      return exit_code;
    }

  soup = soup_session_new ();
  self->tokens = fw_token_source_new (soup, self->environment, self->client_id, self->secret);
  self->loop = g_main_loop_new (NULL, FALSE);
  self->exit_code = FW_CLI_EXIT_FAILURE;

  fw_token_source_get_token_async (self->tokens, NULL, token_cb, self);
  g_main_loop_run (self->loop);

  exit_code = self->exit_code;
  login_clear (self);
  return exit_code;
}

static void
clear_user_tokens_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;

  if (fw_credentials_clear_user_tokens_finish (result, &error))
    {
      fw_cli_message ("removed the sign-in with client %s on %s from the keyring",
                      self->client_id, fw_environment_get_name (self->environment));
    }
  else if (error != NULL)
    {
      fw_cli_message ("cannot remove the sign-in from the keyring: %s", error->message);
      self->exit_code = FW_CLI_EXIT_FAILURE;
    }

  g_main_loop_quit (self->loop);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Login *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *environment = fw_environment_get_name (self->environment);

  if (fw_credentials_clear_finish (result, &error))
    {
      fw_cli_message ("removed the secret of client %s on %s from the keyring",
                      self->client_id, environment);
      self->exit_code = FW_CLI_EXIT_OK;
    }
  else if (error == NULL)
    {
      fw_cli_message ("the keyring holds no secret of client %s on %s",
                      self->client_id, environment);
      self->exit_code = FW_CLI_EXIT_OK;
    }
  else
    {
      fw_cli_message ("cannot remove the secret from the keyring: %s", error->message);
      self->exit_code = FW_CLI_EXIT_FAILURE;
    }

  /* A person's sign-in with the same client goes too. */
  fw_credentials_clear_user_tokens_async (environment, self->client_id, NULL,
                                          clear_user_tokens_cb, self);
}

int
fw_cli_logout (int    argc,
               char **argv)
{
  Login login = { 0, };
  Login *self = &login;
  int exit_code;

  if (!parse_target (self, argv[0],
                     "Removes the client secret that 'login' stored in the keyring, and the\n"
                     "sign-in that 'login --browser' stored there.",
                     FALSE, &argc, &argv))
    {
      login_clear (self);
      return FW_CLI_EXIT_USAGE;
    }

  self->loop = g_main_loop_new (NULL, FALSE);
  fw_credentials_clear_async (fw_environment_get_name (self->environment),
                              self->client_id,
                              NULL,
                              clear_cb,
                              self);
  g_main_loop_run (self->loop);

  exit_code = self->exit_code;
  login_clear (self);
  return exit_code;
}
