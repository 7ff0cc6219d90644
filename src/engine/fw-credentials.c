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

/* ---- What every kind of keyring entry shares ---- */

/* One kind of keyring entry.  Every kind is found by region and client id,
 * under a schema of its own, so that a lookup of one never finds another. */
typedef struct
{
  SecretSchema  schema;
  /* What failed, for the keyring's errors (untranslated). */
  const char   *store_failed;
  const char   *lookup_failed;
  const char   *clear_failed;
  /* Returns the value of a lookup from the stored text (NULL: nothing
   * stored), which it owns. */
  void        (*return_lookup) (GTask *task,
                                char  *stored);
  /* Whether clearing returns FALSE when nothing was stored, or TRUE always. */
  gboolean      clear_says_if_removed;
} EntryKind;

#define ENTRY_SCHEMA(name)                                   \
  {                                                          \
    name,                                                    \
    SECRET_SCHEMA_NONE,                                      \
    {                                                        \
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },     \
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },       \
      { NULL, 0 },                                           \
    }                                                        \
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

/* A task for a job on the entry of @kind for @environment and @client_id;
 * NULL when those are not usable, the task having returned that error. */
static GTask *
entry_task_new (const EntryKind     *kind,
                gpointer             source_tag,
                const char          *environment,
                const char          *client_id,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) kind, NULL);

  if (!check_names (task, environment, client_id))
    return NULL;

  return g_steal_pointer (&task);
}

/* libsecret's errors say what went wrong on the bus; say which job failed. */
static void
return_keyring_error (GTask      *task,
                      GError     *error,
                      const char *what)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s: ", _(what));
  g_task_return_error (task, error);
}

static void
store_entry_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const EntryKind *kind = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error, kind->store_failed);
  else
    g_task_return_boolean (task, TRUE);
}

/* Stores @secret (libsecret copies it before this returns) with @label,
 * which keyring managers (Seahorse) show; takes @task. */
static void
store_entry (GTask      *task,
             const char *environment,
             const char *client_id,
             const char *label,
             const char *secret)
{
  const EntryKind *kind = g_task_get_task_data (task);

  secret_password_store (&kind->schema, SECRET_COLLECTION_DEFAULT, label, secret,
                         g_task_get_cancellable (task), store_entry_cb, task,
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

static void
lookup_entry_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const EntryKind *kind = g_task_get_task_data (task);
  GError *error = NULL;
  char *stored;

  stored = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, kind->lookup_failed);
  else
    kind->return_lookup (task, stored);
}

/* Takes @task. */
static void
lookup_entry (GTask      *task,
              const char *environment,
              const char *client_id)
{
  const EntryKind *kind = g_task_get_task_data (task);

  secret_password_lookup (&kind->schema, g_task_get_cancellable (task), lookup_entry_cb, task,
                          "environment", environment,
                          "client-id", client_id,
                          NULL);
}

static void
clear_entry_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const EntryKind *kind = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed;

  /* FALSE without an error only means there was nothing to remove. */
  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, kind->clear_failed);
  else
    g_task_return_boolean (task, removed || !kind->clear_says_if_removed);
}

/* Takes @task. */
static void
clear_entry (GTask      *task,
             const char *environment,
             const char *client_id)
{
  const EntryKind *kind = g_task_get_task_data (task);

  secret_password_clear (&kind->schema, g_task_get_cancellable (task), clear_entry_cb, task,
                         "environment", environment,
                         "client-id", client_id,
                         NULL);
}

/* The result of a job started by @source_tag. */
static gboolean
is_result_of (GAsyncResult *result,
              gpointer      source_tag)
{
  return g_task_is_valid (result, NULL) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

/* ---- The client secret ---- */

static void
return_secret (GTask *task,
               char  *stored)
{
  g_task_return_pointer (task, stored, (GDestroyNotify) secret_password_free);
}

static const EntryKind client_secret = {
  ENTRY_SCHEMA ("io.github.floorwatch.Floorwatch.Credentials"),
  N_("Could not save the client secret in the keyring"),
  N_("Could not read the client secret from the keyring"),
  N_("Could not remove the client secret from the keyring"),
  return_secret,
  FALSE,
};

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

  task = entry_task_new (&client_secret, fw_credentials_store_async, environment, client_id,
                         cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (secret == NULL || secret[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The client secret is empty."));
      return;
    }

  label = g_strdup_printf (_("Floorwatch client secret for %s (%s)"), client_id, environment);
  store_entry (g_steal_pointer (&task), environment, client_id, label, secret);
}

gboolean
fw_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_store_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fw_credentials_lookup_async (const char          *environment,
                             const char          *client_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&client_secret, fw_credentials_lookup_async, environment, client_id,
                         cancellable, callback, user_data);
  if (task != NULL)
    lookup_entry (task, environment, client_id);
}

char *
fw_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_lookup_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fw_credentials_clear_async (const char          *environment,
                            const char          *client_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&client_secret, fw_credentials_clear_async, environment, client_id,
                         cancellable, callback, user_data);
  if (task != NULL)
    clear_entry (task, environment, client_id);
}

gboolean
fw_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_clear_async), FALSE);

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

static void
return_channel_ids (GTask *task,
                    char  *stored)
{
  GStrv ids = NULL;

  if (stored != NULL)
    {
      ids = g_strsplit (stored, "\n", -1);
      secret_password_free (stored);
    }
  g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

static const EntryKind channels = {
  ENTRY_SCHEMA ("io.github.floorwatch.Floorwatch.Channels"),
  N_("Could not save the notification channels in the keyring"),
  N_("Could not read the notification channels from the keyring"),
  N_("Could not remove the notification channels from the keyring"),
  return_channel_ids,
  FALSE,
};

void
fw_credentials_store_channels_async (const char          *environment,
                                     const char          *client_id,
                                     const char * const  *channel_ids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  g_autofree char *joined = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&channels, fw_credentials_store_channels_async, environment, client_id,
                         cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (channel_ids == NULL || channel_ids[0] == NULL)
    {
      clear_entry (task, environment, client_id);
      return;
    }

  joined = g_strjoinv ("\n", (char **) channel_ids);
  label = g_strdup_printf ("Floorwatch notification channels for %s (%s)", client_id, environment);
  store_entry (task, environment, client_id, label, joined);
}

gboolean
fw_credentials_store_channels_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_store_channels_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fw_credentials_lookup_channels_async (const char          *environment,
                                      const char          *client_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&channels, fw_credentials_lookup_channels_async, environment, client_id,
                         cancellable, callback, user_data);
  if (task != NULL)
    lookup_entry (task, environment, client_id);
}

GStrv
fw_credentials_lookup_channels_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_lookup_channels_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- A person's sign-in ---- */

static void
return_user_tokens (GTask *task,
                    char  *stored)
{
  GError *error = NULL;
  FwUserTokens *tokens;

  if (stored == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  tokens = fw_user_tokens_new_from_serialized (stored, &error);
  secret_password_free (stored);
  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, g_object_unref);
}

static const EntryKind user_tokens = {
  ENTRY_SCHEMA ("io.github.floorwatch.Floorwatch.UserToken"),
  N_("Could not save your sign-in in the keyring"),
  N_("Could not read your sign-in from the keyring"),
  N_("Could not remove your sign-in from the keyring"),
  return_user_tokens,
  TRUE,
};

void
fw_credentials_store_user_tokens_async (const char          *environment,
                                        const char          *client_id,
                                        FwUserTokens        *tokens,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;
  char *serialized;

  g_return_if_fail (FW_IS_USER_TOKENS (tokens));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&user_tokens, fw_credentials_store_user_tokens_async, environment,
                         client_id, cancellable, callback, user_data);
  if (task == NULL)
    return;

  label = g_strdup_printf (_("Floorwatch sign-in with %s (%s)"), client_id, environment);
  serialized = fw_user_tokens_serialize (tokens);
  store_entry (task, environment, client_id, label, serialized);
  explicit_bzero (serialized, strlen (serialized));
  g_free (serialized);
}

gboolean
fw_credentials_store_user_tokens_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_store_user_tokens_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fw_credentials_lookup_user_tokens_async (const char          *environment,
                                         const char          *client_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&user_tokens, fw_credentials_lookup_user_tokens_async, environment,
                         client_id, cancellable, callback, user_data);
  if (task != NULL)
    lookup_entry (task, environment, client_id);
}

FwUserTokens *
fw_credentials_lookup_user_tokens_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_lookup_user_tokens_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fw_credentials_clear_user_tokens_async (const char          *environment,
                                        const char          *client_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = entry_task_new (&user_tokens, fw_credentials_clear_user_tokens_async, environment,
                         client_id, cancellable, callback, user_data);
  if (task != NULL)
    clear_entry (task, environment, client_id);
}

gboolean
fw_credentials_clear_user_tokens_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (is_result_of (result, fw_credentials_clear_user_tokens_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
