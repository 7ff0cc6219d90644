/* fw-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "fw-credentials.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.floorwatch.Floorwatch.Credentials",
    SECRET_SCHEMA_NONE,
    {
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static gboolean
check_names (GTask      *task,
             const char *environment,
             const char *client_id)
{
  if (environment == NULL || environment[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("No Genesys Cloud region was given for the keyring entry."));
      return FALSE;
    }

  if (client_id == NULL || client_id[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("No client id was given for the keyring entry."));
      return FALSE;
    }

  return TRUE;
}

/* libsecret's errors say what went wrong on the bus; say which job failed. */
static void
return_keyring_error (GTask      *task,
                      GError     *error,
                      const char *what)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s: ", what);
  g_task_return_error (task, error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error, _("Could not save the client secret in the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

void
fw_credentials_store_async (const char          *environment,
                            const char          *client_id,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_store_async);

  if (!check_names (task, environment, client_id))
    return;

  if (secret == NULL || secret[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The client secret is empty."));
      return;
    }

  /* The label is what keyring managers (Seahorse) show. */
  label = g_strdup_printf (_("Floorwatch client secret for %s (%s)"), client_id, environment);

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

gboolean
fw_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_credentials_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, _("Could not read the client secret from the keyring"));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
fw_credentials_lookup_async (const char          *environment,
                             const char          *client_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_lookup_async);

  if (!check_names (task, environment, client_id))
    return;

  secret_password_lookup (get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "environment", environment,
                          "client-id", client_id,
                          NULL);
}

char *
fw_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_credentials_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, _("Could not remove the client secret from the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

void
fw_credentials_clear_async (const char          *environment,
                            const char          *client_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_clear_async);

  if (!check_names (task, environment, client_id))
    return;

  secret_password_clear (get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

gboolean
fw_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_credentials_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fw_credentials_free_secret (char *secret)
{
  /* Wipes the memory before freeing it, whether or not it is in
   * libsecret's non-pageable pool. */
  secret_password_free (secret);
}

/* ---- Channel ids ---- */

static const SecretSchema *
get_channels_schema (void)
{
  static const SecretSchema schema = {
    "io.github.floorwatch.Floorwatch.Channels",
    SECRET_SCHEMA_NONE,
    {
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
store_channels_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error, _("Could not save the notification channels in the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_channels_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, _("Could not remove the notification channels from the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

void
fw_credentials_store_channels_async (const char          *environment,
                                     const char          *client_id,
                                     const char * const  *channel_ids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *label = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_store_channels_async);

  if (!check_names (task, environment, client_id))
    return;

  if (channel_ids == NULL || channel_ids[0] == NULL)
    {
      secret_password_clear (get_channels_schema (), cancellable, clear_channels_cb,
                             g_steal_pointer (&task),
                             "environment", environment,
                             "client-id", client_id,
                             NULL);
      return;
    }

  joined = g_strjoinv ("\n", (char **) channel_ids);
  label = g_strdup_printf ("Floorwatch notification channels for %s (%s)", client_id, environment);
  secret_password_store (get_channels_schema (), SECRET_COLLECTION_DEFAULT, label, joined,
                         cancellable, store_channels_cb, g_steal_pointer (&task),
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

gboolean
fw_credentials_store_channels_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_channels_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *joined = secret_password_lookup_finish (result, &error);
  GStrv ids = NULL;

  if (error != NULL)
    {
      return_keyring_error (task, error, _("Could not read the notification channels from the keyring"));
      return;
    }

  if (joined != NULL)
    {
      ids = g_strsplit (joined, "\n", -1);
      secret_password_free (joined);
    }
  g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

void
fw_credentials_lookup_channels_async (const char          *environment,
                                      const char          *client_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_lookup_channels_async);

  if (!check_names (task, environment, client_id))
    return;

  secret_password_lookup (get_channels_schema (), cancellable, lookup_channels_cb,
                          g_steal_pointer (&task),
                          "environment", environment,
                          "client-id", client_id,
                          NULL);
}

GStrv
fw_credentials_lookup_channels_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- A person's sign-in ---- */

static const SecretSchema *
get_user_token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.floorwatch.Floorwatch.UserToken",
    SECRET_SCHEMA_NONE,
    {
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
store_user_tokens_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error, _("Could not save your sign-in in the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

void
fw_credentials_store_user_tokens_async (const char          *environment,
                                        const char          *client_id,
                                        FwUserTokens        *tokens,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  char *serialized;

  g_return_if_fail (FW_IS_USER_TOKENS (tokens));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_store_user_tokens_async);

  if (!check_names (task, environment, client_id))
    return;

  label = g_strdup_printf (_("Floorwatch sign-in with %s (%s)"), client_id, environment);
  serialized = fw_user_tokens_serialize (tokens);

  /* libsecret copies the secret before this returns. */
  secret_password_store (get_user_token_schema (), SECRET_COLLECTION_DEFAULT, label, serialized,
                         cancellable, store_user_tokens_cb, g_steal_pointer (&task),
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
  explicit_bzero (serialized, strlen (serialized));
  g_free (serialized);
}

gboolean
fw_credentials_store_user_tokens_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fw_credentials_store_user_tokens_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_user_tokens_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  FwUserTokens *tokens;
  char *serialized;

  serialized = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error, _("Could not read your sign-in from the keyring"));
      return;
    }

  if (serialized == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  tokens = fw_user_tokens_new_from_serialized (serialized, &error);
  secret_password_free (serialized);
  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, g_object_unref);
}

void
fw_credentials_lookup_user_tokens_async (const char          *environment,
                                         const char          *client_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_lookup_user_tokens_async);

  if (!check_names (task, environment, client_id))
    return;

  secret_password_lookup (get_user_token_schema (), cancellable, lookup_user_tokens_cb,
                          g_steal_pointer (&task),
                          "environment", environment,
                          "client-id", client_id,
                          NULL);
}

FwUserTokens *
fw_credentials_lookup_user_tokens_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fw_credentials_lookup_user_tokens_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_user_tokens_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed;

  /* FALSE without an error only means nobody was signed in. */
  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, _("Could not remove your sign-in from the keyring"));
  else
    g_task_return_boolean (task, removed);
}

void
fw_credentials_clear_user_tokens_async (const char          *environment,
                                        const char          *client_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_credentials_clear_user_tokens_async);

  if (!check_names (task, environment, client_id))
    return;

  secret_password_clear (get_user_token_schema (), cancellable, clear_user_tokens_cb,
                         g_steal_pointer (&task),
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

gboolean
fw_credentials_clear_user_tokens_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fw_credentials_clear_user_tokens_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
