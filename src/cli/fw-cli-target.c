/* fw-cli-target.c — which org and OAuth client a command talks to, and how.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <math.h>

#include "fw-cli-private.h"

/* The names the Genesys CLI and the Terraform provider read, so that a user's
 * existing setup works as it is. */
#define ENV_REGION    "GENESYSCLOUD_REGION"
#define ENV_CLIENT_ID "GENESYSCLOUD_OAUTHCLIENT_ID"
#define ENV_SECRET    "GENESYSCLOUD_OAUTHCLIENT_SECRET"

static const char *
non_empty_getenv (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

gboolean
fw_cli_target_resolve (const char     *environment_spec,
                       const char     *client_id,
                       FwEnvironment **environment_out,
                       char          **client_id_out,
                       GError        **error)
{
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *source = "--environment";

  if (environment_spec == NULL)
    {
      environment_spec = non_empty_getenv (ENV_REGION);
      source = ENV_REGION;
    }

  if (environment_spec == NULL)
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "no environment: pass --environment=DOMAIN (like mypurecloud.ie) "
                   "or set " ENV_REGION);
      return FALSE;
    }

  environment = fw_environment_new (environment_spec, &local_error);
  if (environment == NULL)
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "%s: %s", source, local_error->message);
      return FALSE;
    }

  if (client_id == NULL)
    client_id = non_empty_getenv (ENV_CLIENT_ID);

  if (client_id == NULL || client_id[0] == '\0')
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "no client id: pass --client-id=ID or set " ENV_CLIENT_ID);
      return FALSE;
    }

  *environment_out = g_steal_pointer (&environment);
  *client_id_out = g_strdup (client_id);
  return TRUE;
}

FwApi *
fw_cli_api_new_with_secret (FwEnvironment *environment,
                            const char    *client_id,
                            const char    *secret)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwTokenSource) tokens = NULL;

  g_assert (secret != NULL);

  tokens = fw_token_source_new (soup, environment, client_id, secret);
  return fw_api_new (soup, tokens);
}

typedef struct
{
  FwEnvironment *environment;
  char          *client_id;
  gboolean       user_only;
} ApiNewData;

static void
api_new_data_free (ApiNewData *data)
{
  g_clear_object (&data->environment);
  g_clear_pointer (&data->client_id, g_free);
  g_free (data);
}

static ApiNewData *
api_new_data_new (FwEnvironment *environment,
                  const char    *client_id)
{
  ApiNewData *data = g_new0 (ApiNewData, 1);

  data->environment = g_object_ref (environment);
  data->client_id = g_strdup (client_id);
  return data;
}

static void
user_tokens_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_store_user_tokens_finish (result, &error))
    fw_cli_message ("cannot keep the renewed sign-in in the keyring: %s", error->message);
}

/* A rotating login server spends the old refresh token: the renewed tokens
 * go back into the keyring for the next run. */
static void
user_tokens_changed_cb (FwTokenSource *tokens,
                        FwUserTokens  *user_tokens,
                        ApiNewData    *data)
{
  fw_credentials_store_user_tokens_async (fw_environment_get_name (data->environment),
                                          data->client_id, user_tokens, NULL,
                                          user_tokens_stored_cb, NULL);
}

FwApi *
fw_cli_api_new_for_user (FwEnvironment *environment,
                         const char    *client_id,
                         FwUserTokens  *user_tokens)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwTokenSource) tokens = NULL;

  tokens = fw_token_source_new_for_user (soup, environment, client_id, user_tokens);
  g_signal_connect_data (tokens, "user-tokens-changed", G_CALLBACK (user_tokens_changed_cb),
                         api_new_data_new (environment, client_id),
                         (GClosureNotify) api_new_data_free, 0);
  return fw_api_new (soup, tokens);
}

static void
lookup_user_tokens_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiNewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwUserTokens) user_tokens = NULL;

  user_tokens = fw_credentials_lookup_user_tokens_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, FW_CLI_ERROR, FW_CLI_ERROR_NO_SECRET,
                               "no secret, and the sign-in in the keyring is not usable: %s",
                               error->message);
      return;
    }

  if (user_tokens == NULL && data->user_only)
    {
      g_task_return_new_error (task, FW_CLI_ERROR, FW_CLI_ERROR_NO_SECRET,
                               "nobody is signed in with client %s on %s: "
                               "run 'floorwatch-cli login --browser'",
                               data->client_id, fw_environment_get_name (data->environment));
      return;
    }

  if (user_tokens == NULL)
    {
      g_task_return_new_error (task, FW_CLI_ERROR, FW_CLI_ERROR_NO_SECRET,
                               "no secret for client %s on %s: set " ENV_SECRET
                               " or run 'floorwatch-cli login' (or sign in as yourself with "
                               "'floorwatch-cli login --browser')",
                               data->client_id,
                               fw_environment_get_name (data->environment));
      return;
    }

  g_task_return_pointer (task,
                         fw_cli_api_new_for_user (data->environment, data->client_id, user_tokens),
                         g_object_unref);
}

static void
lookup_secret_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiNewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = fw_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, FW_CLI_ERROR, FW_CLI_ERROR_NO_SECRET,
                               "no secret in " ENV_SECRET ", and the keyring could not be read: %s",
                               error->message);
      return;
    }

  /* No secret for this client: a person may have signed in with it. */
  if (secret == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      fw_credentials_lookup_user_tokens_async (fw_environment_get_name (data->environment),
                                               data->client_id, cancellable,
                                               lookup_user_tokens_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task,
                         fw_cli_api_new_with_secret (data->environment, data->client_id, secret),
                         g_object_unref);
  fw_credentials_free_secret (secret);
}

void
fw_cli_api_new_async (FwEnvironment       *environment,
                      const char          *client_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  fw_cli_api_new_full_async (environment, client_id, FALSE, cancellable, callback, user_data);
}

void
fw_cli_api_new_full_async (FwEnvironment       *environment,
                           const char          *client_id,
                           gboolean             user_only,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ApiNewData *data;
  const char *secret;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_cli_api_new_async);

  secret = non_empty_getenv (ENV_SECRET);
  if (secret != NULL && !user_only)
    {
      g_task_return_pointer (task,
                             fw_cli_api_new_with_secret (environment, client_id, secret),
                             g_object_unref);
      return;
    }

  data = api_new_data_new (environment, client_id);
  data->user_only = user_only;
  g_task_set_task_data (task, data, (GDestroyNotify) api_new_data_free);

  if (user_only)
    {
      fw_credentials_lookup_user_tokens_async (fw_environment_get_name (environment),
                                               client_id, cancellable,
                                               lookup_user_tokens_cb, g_steal_pointer (&task));
      return;
    }

  fw_credentials_lookup_async (fw_environment_get_name (environment),
                               client_id,
                               cancellable,
                               lookup_secret_cb,
                               g_steal_pointer (&task));
}

FwApi *
fw_cli_api_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

int
fw_cli_exit_code_for_error (const GError *error)
{
  if (g_error_matches (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED) ||
      g_error_matches (error, FW_API_ERROR, FW_API_ERROR_CREDENTIALS) ||
      g_error_matches (error, FW_SESSION_ERROR, FW_SESSION_ERROR_CREDENTIALS))
    return FW_CLI_EXIT_CREDENTIALS;

  if (g_error_matches (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE))
    return FW_CLI_EXIT_USAGE;

  return FW_CLI_EXIT_FAILURE;
}

gboolean
fw_cli_parse_seconds (const char  *option,
                      const char  *value,
                      guint       *ms_out,
                      GError     **error)
{
  char *end = NULL;
  double seconds;

  /* g_ascii_strtod: "0.5" must mean half a second whatever the locale. */
  seconds = g_ascii_strtod (value, &end);
  if (value[0] == '\0' || end == NULL || *end != '\0' || !isfinite (seconds) || seconds <= 0)
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "%s: '%s' is not a positive number of seconds", option, value);
      return FALSE;
    }

  if (seconds * 1000 > (double) G_MAXUINT)
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "%s: %s seconds is more than this tool can wait (%u s)",
                   option, value, G_MAXUINT / 1000);
      return FALSE;
    }

  *ms_out = MAX (1, (guint) lround (seconds * 1000));
  return TRUE;
}

gboolean
fw_cli_parse_unsigned (const char  *option,
                       const char  *value,
                       guint64      min,
                       guint64      max,
                       guint64     *out,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_ascii_string_to_unsigned (value, 10, min, max, out, &local_error))
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "%s: '%s' is not a whole number from %" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT, option, value, min, max);
      return FALSE;
    }

  return TRUE;
}
