/* fw-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the engine objects of one organization (token source, REST client,
 * session, event store, directory) and, in the demo, the simulator they
 * talk to.  The session's events go into the store here, so that the
 * store keeps collecting whatever the window does with its list.
 */

#define G_LOG_DOMAIN "fw-connection"

#include "config.h"

#include <glib/gi18n.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "fw-connection.h"
#include "fw-frame-pool.h"
#include "fw-topics.h"

/* How often the demo's simulator moves its queues and agents. */
#define DEMO_TRAFFIC_INTERVAL_MS 500
/* How many of the simulator's queues and agents the demo watches. */
#define DEMO_MAX_QUEUES 4
#define DEMO_MAX_USERS  8

struct _FwConnection
{
  GObject        parent_instance;

  FwSimServer   *sim;
  FwApi         *api;
  FwSession     *session;
  FwEventStore  *store;
  FwDirectory   *directory;
  FwBoard       *board;
  gboolean       started;
  guint          trim_source;
  guint64        appended_at_trim;
};

/* How often the heap is given back (see trim_cb). */
#define TRIM_INTERVAL_S 30

G_DEFINE_FINAL_TYPE (FwConnection, fw_connection, G_TYPE_OBJECT)

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 FwConnection   *self)
{
  fw_event_store_append (self->store, notification);
}

static void
gap_cb (FwSession    *session,
        FwGap        *gap,
        FwConnection *self)
{
  fw_event_store_append (self->store, gap);
}

static void
user_tokens_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_store_user_tokens_finish (result, &error))
    g_message ("The renewed sign-in could not be kept in the keyring: %s", error->message);
}

/* A renewal may have spent the stored refresh token: keep the new one. */
static void
user_tokens_changed_cb (FwTokenSource *tokens,
                        FwUserTokens  *user_tokens,
                        FwConnection  *self)
{
  fw_credentials_store_user_tokens_async (fw_environment_get_name (fw_token_source_get_environment (tokens)),
                                          fw_token_source_get_client_id (tokens),
                                          user_tokens,
                                          NULL,
                                          user_tokens_stored_cb,
                                          NULL);
}

/* The list lets events go all day long, and what they and their handling
 * allocated comes free in pieces all over the heap, which malloc keeps, as
 * the frame pool keeps emptied chunks.  While events arrive, give the free
 * pages back now and then (it takes about a millisecond). */
static gboolean
trim_cb (gpointer user_data)
{
  FwConnection *self = user_data;
  guint64 appended = fw_event_store_get_total_appended (self->store);

  if (appended != self->appended_at_trim)
    {
      self->appended_at_trim = appended;
      fw_frame_pool_trim ();
#ifdef __GLIBC__
      malloc_trim (0);
#endif
    }
  return G_SOURCE_CONTINUE;
}

static FwConnection *
connection_new (FwTokenSource *tokens,
                FwSimServer   *sim,
                guint          max_events)
{
  FwConnection *self = g_object_new (FW_TYPE_CONNECTION, NULL);
  g_autoptr(SoupSession) soup = NULL;

  soup = soup_session_new ();
  self->sim = sim ? g_object_ref (sim) : NULL;
  self->api = fw_api_new (soup, tokens);
  self->session = fw_session_new (self->api);
  self->store = fw_event_store_new (max_events);
  /* Ten list updates a second read as smoothly as twenty, and under a
   * heavy feed (2,000 events a second) cost the window a third less. */
  g_object_set (self->store, "flush-interval", 100, NULL);
  self->directory = fw_directory_new (self->api);
  self->board = fw_board_new (self->api);
  fw_board_set_session (self->board, self->session);

  g_signal_connect_object (self->session, "notification", G_CALLBACK (notification_cb), self, 0);
  g_signal_connect_object (self->session, "gap", G_CALLBACK (gap_cb), self, 0);
#ifdef __GLIBC__
  self->trim_source = g_timeout_add_seconds (TRIM_INTERVAL_S, trim_cb, self);
#endif
  if (fw_token_source_get_grant (tokens) != FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
    g_signal_connect_object (tokens, "user-tokens-changed", G_CALLBACK (user_tokens_changed_cb), self, 0);

  return self;
}

FwConnection *
fw_connection_new (FwTokenSource *tokens,
                   guint          max_events)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (tokens), NULL);

  return connection_new (tokens, NULL, max_events);
}

FwConnection *
fw_connection_new_demo (guint    max_events,
                        GError **error)
{
  g_autoptr(FwSimServer) sim = NULL;
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(SoupSession) soup = NULL;

  sim = fw_sim_server_new ();
  g_object_set (sim, "traffic-interval", DEMO_TRAFFIC_INTERVAL_MS, NULL);
  if (!fw_sim_server_listen (sim, 0, error))
    return NULL;

  environment = fw_environment_new (fw_sim_server_get_url (sim), error);
  if (environment == NULL)
    return NULL;

  /* The simulator's own demo client: no secret of the user is involved. */
  soup = soup_session_new ();
  tokens = fw_token_source_new (soup, environment,
                                FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);

  return connection_new (tokens, sim, max_events);
}

gboolean
fw_connection_is_demo (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), FALSE);

  return self->sim != NULL;
}

FwSimServer *
fw_connection_get_sim_server (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->sim;
}

FwEnvironment *
fw_connection_get_environment (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return fw_api_get_environment (self->api);
}

const char *
fw_connection_get_client_id (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return fw_token_source_get_client_id (fw_api_get_token_source (self->api));
}

char *
fw_connection_dup_region_label (FwConnection *self)
{
  const FwRegion *regions = fw_environment_get_regions ();
  FwEnvironment *environment;
  const char *name;

  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  if (self->sim != NULL)
    return g_strdup (_("Demo"));

  environment = fw_connection_get_environment (self);
  name = fw_environment_get_name (environment);
  for (guint i = 0; regions[i].region != NULL; i++)
    {
      if (g_str_equal (regions[i].domain, name))
        return g_strdup (g_dgettext (GETTEXT_PACKAGE, regions[i].label));
    }
  if (fw_environment_is_loopback (environment))
    return g_strdup_printf (_("Simulator at %s"), name);
  return g_strdup (name);
}

FwApi *
fw_connection_get_api (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->api;
}

FwSession *
fw_connection_get_session (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->session;
}

FwEventStore *
fw_connection_get_event_store (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->store;
}

FwDirectory *
fw_connection_get_directory (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->directory;
}

FwBoard *
fw_connection_get_board (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return self->board;
}

void
fw_connection_set_topics (FwConnection       *self,
                          const char * const *topics)
{
  g_return_if_fail (FW_IS_CONNECTION (self));

  fw_session_set_topics (self->session, topics);
  fw_board_set_topics (self->board, topics);
  if (!self->started)
    {
      self->started = TRUE;
      fw_session_start (self->session);
    }
}

const char * const *
fw_connection_get_topics (FwConnection *self)
{
  g_return_val_if_fail (FW_IS_CONNECTION (self), NULL);

  return fw_session_get_topics (self->session);
}

void
fw_connection_stop (FwConnection *self)
{
  g_return_if_fail (FW_IS_CONNECTION (self));

  if (self->started)
    {
      self->started = FALSE;
      fw_session_stop (self->session);
    }
}

/* ---- A stored account ---- */

typedef struct
{
  FwEnvironment *environment;
  char          *client_id;
  guint          max_events;
} Account;

static void
account_free (Account *account)
{
  g_clear_object (&account->environment);
  g_free (account->client_id);
  g_free (account);
}

static void
account_user_tokens_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FwUserTokens) user_tokens = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(GError) error = NULL;
  Account *account = g_task_get_task_data (task);

  user_tokens = fw_credentials_lookup_user_tokens_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (user_tokens == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("Neither a client secret nor a sign-in is kept for this client id."));
      return;
    }

  soup = soup_session_new ();
  tokens = fw_token_source_new_for_user (soup, account->environment, account->client_id, user_tokens);
  g_task_return_pointer (task, connection_new (tokens, NULL, account->max_events), g_object_unref);
}

static void
account_secret_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(GError) error = NULL;
  Account *account = g_task_get_task_data (task);
  char *secret;

  secret = fw_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No secret for this client: a person may have signed in with it. */
  if (secret == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      fw_credentials_lookup_user_tokens_async (fw_environment_get_name (account->environment),
                                               account->client_id,
                                               cancellable,
                                               account_user_tokens_cb,
                                               g_steal_pointer (&task));
      return;
    }

  soup = soup_session_new ();
  tokens = fw_token_source_new (soup, account->environment, account->client_id, secret);
  fw_credentials_free_secret (secret);
  g_task_return_pointer (task, connection_new (tokens, NULL, account->max_events), g_object_unref);
}

void
fw_connection_new_for_account_async (const char          *environment,
                                     const char          *client_id,
                                     guint                max_events,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Account *account;

  g_return_if_fail (environment != NULL);
  g_return_if_fail (client_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_connection_new_for_account_async);

  account = g_new0 (Account, 1);
  account->environment = fw_environment_new (environment, &error);
  account->client_id = g_strdup (client_id);
  account->max_events = max_events;
  g_task_set_task_data (task, account, (GDestroyNotify) account_free);
  if (account->environment == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fw_credentials_lookup_async (fw_environment_get_name (account->environment),
                               client_id,
                               cancellable,
                               account_secret_cb,
                               g_steal_pointer (&task));
}

FwConnection *
fw_connection_new_for_account_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The demo's first choice ---- */

typedef struct
{
  GPtrArray *topics;
  guint      n_pending;
  GError    *error;
} DemoTopics;

static void
demo_topics_free (DemoTopics *demo)
{
  g_clear_pointer (&demo->topics, g_ptr_array_unref);
  g_clear_error (&demo->error);
  g_free (demo);
}

static void
demo_topics_step (GTask *task)
{
  DemoTopics *demo = g_task_get_task_data (task);

  if (--demo->n_pending > 0)
    return;

  if (demo->topics->len == 0 && demo->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&demo->error));
      return;
    }

  g_ptr_array_add (demo->topics, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (demo->topics, NULL), (GDestroyNotify) g_strfreev);
}

static void
demo_listing_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  DemoTopics *demo = g_task_get_task_data (task);
  FwDirectory *directory = FW_DIRECTORY (object);
  gboolean queues = g_async_result_is_tagged (result, fw_directory_list_queues_async);

  if (queues)
    entries = fw_directory_list_queues_finish (directory, result, &error);
  else
    entries = fw_directory_list_users_finish (directory, result, &error);

  if (entries == NULL)
    {
      if (demo->error == NULL)
        demo->error = g_steal_pointer (&error);
    }
  else
    {
      for (guint i = 0; i < MIN (entries->len, queues ? DEMO_MAX_QUEUES : DEMO_MAX_USERS); i++)
        {
          FwDirectoryEntry *entry = g_ptr_array_index (entries, i);

          if (queues)
            fw_topics_add_queue (demo->topics, entry->id, FW_QUEUE_TOPICS_DEFAULT);
          else
            fw_topics_add_user (demo->topics, entry->id, FW_USER_TOPICS_DEFAULT);
        }
    }

  demo_topics_step (task);
}

void
fw_connection_dup_demo_topics_async (FwConnection        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DemoTopics *demo;

  g_return_if_fail (FW_IS_CONNECTION (self));

  demo = g_new0 (DemoTopics, 1);
  demo->topics = g_ptr_array_new_with_free_func (g_free);
  demo->n_pending = 2;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_connection_dup_demo_topics_async);
  g_task_set_task_data (task, demo, (GDestroyNotify) demo_topics_free);

  fw_directory_list_queues_async (self->directory, NULL, cancellable, demo_listing_cb, g_object_ref (task));
  fw_directory_list_users_async (self->directory, cancellable, demo_listing_cb, g_object_ref (task));
}

GStrv
fw_connection_dup_demo_topics_finish (FwConnection  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
fw_connection_dispose (GObject *object)
{
  FwConnection *self = (FwConnection *)object;

  g_clear_handle_id (&self->trim_source, g_source_remove);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      fw_connection_stop (self);
    }

  g_clear_object (&self->directory);
  g_clear_object (&self->board);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->api);
  g_clear_object (&self->sim);

  G_OBJECT_CLASS (fw_connection_parent_class)->dispose (object);
}

static void
fw_connection_class_init (FwConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_connection_dispose;
}

static void
fw_connection_init (FwConnection *self)
{
}
