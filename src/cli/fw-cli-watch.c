/* fw-cli-watch.c — `floorwatch-cli watch`: notifications on stdout, the
 * connection's story on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "fw-cli-private.h"
#include "fw-sim-server.h"

/* How long a stopping watch waits for the requests that remove its
 * subscriptions before it exits anyway. */
#define STOP_GRACE_MS 5000

/* How often the in-process simulator of --demo takes a scenario step: quick
 * enough that events scroll by, slow enough to read them. */
#define DEMO_TRAFFIC_INTERVAL_MS 400

typedef struct
{
  /* Options as given. */
  char            *environment_spec;
  char            *client_id;
  char            *format_name;
  char            *heartbeat_timeout;
  char            *pong_timeout;
  char            *max_events_text;
  char            *duration;
  gboolean         demo;
  gboolean         user;
  char           **topics;

  /* Options as understood. */
  FwCliFormat      format;
  guint            heartbeat_timeout_ms;
  guint            pong_timeout_ms;
  guint            duration_ms;
  guint64          max_events;           /* 0: no limit */

  GMainLoop       *loop;
  GCancellable    *cancellable;
  FwSimServer     *sim;
  FwEnvironment   *environment;
  char            *resolved_client_id;
  FwApi           *api;
  FwSession       *session;
  GPtrArray       *demo_topics;
  GStrv            reuse_channel_ids;

  guint64          n_written;
  guint            n_requests;           /* HTTP requests in flight */
  gboolean         stopped;
  char            *last_state_line;

  guint            duration_id;
  guint            sigint_id;
  guint            sigterm_id;
  guint            flush_id;
  guint            finish_id;
  guint            grace_id;
  guint            quit_check_id;

  int              exit_code;
  gboolean         finishing;
} Watch;

static void
watch_clear (Watch *self)
{
  g_clear_handle_id (&self->duration_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_handle_id (&self->finish_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->quit_check_id, g_source_remove);

  if (self->api != NULL)
    g_signal_handlers_disconnect_by_data (fw_api_get_soup_session (self->api), self);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->api);
  g_clear_object (&self->environment);
  g_clear_pointer (&self->resolved_client_id, g_free);
  g_clear_object (&self->sim);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->demo_topics, g_ptr_array_unref);
  g_clear_pointer (&self->reuse_channel_ids, g_strfreev);
  g_clear_pointer (&self->last_state_line, g_free);

  g_clear_pointer (&self->environment_spec, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->format_name, g_free);
  g_clear_pointer (&self->heartbeat_timeout, g_free);
  g_clear_pointer (&self->pong_timeout, g_free);
  g_clear_pointer (&self->max_events_text, g_free);
  g_clear_pointer (&self->duration, g_free);
  g_clear_pointer (&self->topics, g_strfreev);
}

static gboolean
quit_check_cb (gpointer user_data)
{
  Watch *self = user_data;

  self->quit_check_id = 0;

  /* Checked one main-loop round later, so that a request queued from the
   * callback of the one that just ended (a DELETE after a token grant) is
   * counted too. */
  if (self->n_requests == 0)
    g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

static void
request_queued_cb (SoupSession *soup,
                   SoupMessage *message,
                   Watch       *self)
{
  self->n_requests++;
}

static void
request_unqueued_cb (SoupSession *soup,
                     SoupMessage *message,
                     Watch       *self)
{
  if (self->n_requests > 0)
    self->n_requests--;

  if (self->stopped && self->n_requests == 0 && self->quit_check_id == 0)
    self->quit_check_id = g_idle_add (quit_check_cb, self);
}

/* Counts the requests in flight on @api, so that a stopping watch can tell
 * when the last one is answered. */
static void
set_api (Watch *self,
         FwApi *api)
{
  SoupSession *soup = fw_api_get_soup_session (api);

  self->api = api;
  g_signal_connect (soup, "request-queued", G_CALLBACK (request_queued_cb), self);
  g_signal_connect (soup, "request-unqueued", G_CALLBACK (request_unqueued_cb), self);
}

static gboolean
grace_cb (gpointer user_data)
{
  Watch *self = user_data;

  self->grace_id = 0;
  fw_cli_message ("warning: exiting before the server confirmed "
                  "that our subscriptions are removed");
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
finish_cb (gpointer user_data)
{
  Watch *self = user_data;

  self->finish_id = 0;

  /* Stopping removes our channels' subscriptions, so that nothing keeps
   * publishing to a channel nobody reads.  Those requests go out
   * asynchronously: keep the loop running until they are answered. */
  if (self->session != NULL)
    fw_session_stop (self->session);

  self->stopped = TRUE;
  self->grace_id = g_timeout_add (STOP_GRACE_MS, grace_cb, self);
  self->quit_check_id = g_idle_add (quit_check_cb, self);
  return G_SOURCE_REMOVE;
}

/* Ends the watch with @exit_code.  The session is stopped from an idle
 * callback: this is often called from inside one of its signals. */
static void
finish (Watch *self,
        int    exit_code)
{
  if (self->finishing)
    return;

  self->finishing = TRUE;
  self->exit_code = exit_code;
  g_clear_handle_id (&self->duration_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  self->finish_id = g_idle_add (finish_cb, self);
}

/* Returns FALSE (and ends the watch) when stdout is gone. */
static gboolean
flush_stdout (Watch *self)
{
  int saved_errno;

  if (fflush (stdout) == 0)
    return TRUE;

  saved_errno = errno;
  clearerr (stdout);

  /* The reader went away (`| head -n 5`): it has all it wanted. */
  if (saved_errno == EPIPE)
    finish (self, FW_CLI_EXIT_OK);
  else
    {
      fw_cli_message ("cannot write to stdout: %s", g_strerror (saved_errno));
      finish (self, FW_CLI_EXIT_FAILURE);
    }

  return FALSE;
}

/* Flushing once per main-loop round rather than once per line keeps a burst
 * of events to a few writes, and a quiet feed still shows each line at once. */
static gboolean
flush_cb (gpointer user_data)
{
  Watch *self = user_data;

  self->flush_id = 0;
  flush_stdout (self);
  return G_SOURCE_REMOVE;
}

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 Watch          *self)
{
  g_autofree char *line = NULL;

  if (self->finishing)
    return;

  line = fw_cli_format_notification (notification, self->format);
  if (fputs (line, stdout) == EOF)
    {
      flush_stdout (self);
      return;
    }

  self->n_written++;

  if (self->max_events > 0 && self->n_written >= self->max_events)
    {
      if (flush_stdout (self))
        finish (self, FW_CLI_EXIT_OK);
      return;
    }

  if (self->flush_id == 0)
    self->flush_id = g_idle_add (flush_cb, self);
}

static void
gap_cb (FwSession *session,
        FwGap     *gap,
        Watch     *self)
{
  g_autofree char *text = fw_cli_format_gap (gap);

  fw_cli_message ("%s", text);
}

static void
topic_rejected_cb (FwSession  *session,
                   const char *topic,
                   const char *reason,
                   Watch      *self)
{
  fw_cli_message ("topic rejected: %s: %s",
                  topic, reason != NULL && reason[0] != '\0' ? reason : "no reason given");
}

static void
warning_cb (FwSession  *session,
            const char *message,
            Watch      *self)
{
  fw_cli_message ("warning: %s", message);
}

static char *
describe_state (Watch *self)
{
  FwSession *session = self->session;
  const GError *error = fw_session_get_error (session);
  guint n_channels;

  switch (fw_session_get_state (session))
    {
    case FW_SESSION_STATE_CONNECTING:
      {
        guint n_topics = g_strv_length ((char **) fw_session_get_topics (session));

        return g_strdup_printf ("connecting to %s (%u %s)",
                                fw_environment_get_name (self->environment),
                                n_topics, n_topics == 1 ? "topic" : "topics");
      }

    case FW_SESSION_STATE_LIVE:
      n_channels = fw_session_get_n_channels (session);
      return g_strdup_printf ("live (%u %s)", n_channels, n_channels == 1 ? "channel" : "channels");

    case FW_SESSION_STATE_RECONNECTING:
      {
        gint64 next = fw_session_get_next_attempt_time (session);
        gint64 now = g_get_real_time ();
        const char *reason = error != NULL ? error->message : "connection lost";

        if (next > now)
          return g_strdup_printf ("reconnecting in %" G_GINT64_FORMAT " s: %s",
                                  (next - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, reason);

        /* The wait is over and the attempt under way: that adds nothing to
         * the line that announced the wait. */
        if (g_str_has_prefix (self->last_state_line ? self->last_state_line : "", "reconnecting"))
          return NULL;

        return g_strdup_printf ("reconnecting: %s", reason);
      }

    case FW_SESSION_STATE_NO_NETWORK:
      return g_strdup ("no network: waiting for it to come back");

    case FW_SESSION_STATE_AUTH_FAILED:
      return g_strdup_printf ("credentials rejected: %s",
                              error != NULL ? error->message : "invalid client");

    case FW_SESSION_STATE_FAILED:
      return g_strdup_printf ("failed: %s", error != NULL ? error->message : "unknown error");

    case FW_SESSION_STATE_EVICTED:
      {
        gint64 next = fw_session_get_next_attempt_time (session);
        gint64 now = g_get_real_time ();
        const char *reason = error != NULL ? error->message : "our channels were taken";

        if (next > now)
          return g_strdup_printf ("channels taken: %s (next try in %" G_GINT64_FORMAT " s)", reason,
                                  (next - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
        return g_strdup_printf ("channels taken: %s", reason);
      }

    case FW_SESSION_STATE_OFFLINE:
    default:
      return NULL;
    }
}

static void
state_changed_cb (FwSession  *session,
                  GParamSpec *pspec,
                  Watch      *self)
{
  g_autofree char *line = NULL;
  FwSessionState state;

  if (self->finishing)
    return;

  line = describe_state (self);
  if (line != NULL && g_strcmp0 (line, self->last_state_line) != 0)
    {
      fw_cli_message ("%s", line);
      g_free (self->last_state_line);
      self->last_state_line = g_steal_pointer (&line);
    }

  state = fw_session_get_state (session);
  if (state == FW_SESSION_STATE_AUTH_FAILED)
    finish (self, FW_CLI_EXIT_CREDENTIALS);
  else if (state == FW_SESSION_STATE_FAILED)
    finish (self, FW_CLI_EXIT_FAILURE);
}

static void
channels_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Watch *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_store_channels_finish (result, &error))
    g_debug ("%s", error->message);

  /* A stopping watch waits for this as for an HTTP request. */
  request_unqueued_cb (NULL, NULL, self);
}

/* The next watch with the same client takes these channels back, so that
 * runs of the CLI never pile up channels (Genesys allows 20 per client). */
static void
channel_ids_changed_cb (FwSession  *session,
                        GParamSpec *pspec,
                        Watch      *self)
{
  g_auto(GStrv) ids = NULL;

  g_object_get (session, "channel-ids", &ids, NULL);
  self->n_requests++;
  fw_credentials_store_channels_async (fw_environment_get_name (self->environment),
                                       self->resolved_client_id,
                                       (const char * const *) ids,
                                       NULL, channels_stored_cb, self);
}

static void
start_session (Watch              *self,
               const char * const *topics)
{
  self->session = fw_session_new (self->api);

  if (self->reuse_channel_ids != NULL)
    g_object_set (self->session, "channel-ids", self->reuse_channel_ids, NULL);
  if (!self->demo)
    g_signal_connect (self->session, "notify::channel-ids",
                      G_CALLBACK (channel_ids_changed_cb), self);

  if (self->heartbeat_timeout_ms > 0)
    g_object_set (self->session, "heartbeat-timeout", self->heartbeat_timeout_ms, NULL);
  if (self->pong_timeout_ms > 0)
    g_object_set (self->session, "pong-timeout", self->pong_timeout_ms, NULL);

  g_signal_connect (self->session, "notification", G_CALLBACK (notification_cb), self);
  g_signal_connect (self->session, "gap", G_CALLBACK (gap_cb), self);
  g_signal_connect (self->session, "topic-rejected", G_CALLBACK (topic_rejected_cb), self);
  g_signal_connect (self->session, "warning", G_CALLBACK (warning_cb), self);
  g_signal_connect (self->session, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self->session, "notify::next-attempt-time",
                    G_CALLBACK (state_changed_cb), self);

  fw_session_set_topics (self->session, topics);
  fw_session_start (self->session);
}

static void
report_error (Watch        *self,
              const GError *error)
{
  int exit_code = fw_cli_exit_code_for_error (error);

  if (exit_code == FW_CLI_EXIT_CREDENTIALS)
    fw_cli_message ("credentials rejected: %s", error->message);
  else
    fw_cli_message ("%s", error->message);

  finish (self, exit_code);
}

/* Topic names around an entity id: { prefix, suffix } pairs, NULL-terminated. */
typedef const char *TopicPattern[2];

/* Adds the topics of each id of a list answer ({"entities":[{"id":…},…]}). */
static gboolean
add_entity_topics (Watch               *self,
                   JsonNode            *answer,
                   const TopicPattern  *patterns,
                   GError             **error)
{
  JsonArray *array = fw_cli_json_get_entities (answer);

  if (array == NULL)
    {
      g_set_error (error, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                   "the simulator's list has no entities");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *id = fw_cli_json_get_string (fw_cli_json_array_get_object (array, i), "id");

      if (id == NULL)
        continue;

      for (guint j = 0; patterns[j][0] != NULL; j++)
        g_ptr_array_add (self->demo_topics, g_strconcat (patterns[j][0], id, patterns[j][1], NULL));
    }

  return TRUE;
}

static void
demo_users_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  static const TopicPattern patterns[] = {
    { "v2.users.", ".activity" },
    { NULL, NULL }
  };
  Watch *self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = fw_api_call_finish (FW_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL || !add_entity_topics (self, answer, patterns, &error))
    {
      report_error (self, error);
      return;
    }

  g_ptr_array_add (self->demo_topics, NULL);
  start_session (self, (const char * const *) self->demo_topics->pdata);
}

static void
demo_queues_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  static const TopicPattern patterns[] = {
    { "v2.routing.queues.", ".conversations" },
    { "v2.analytics.queues.", ".observations" },
    { NULL, NULL }
  };
  Watch *self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = fw_api_call_finish (FW_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL || !add_entity_topics (self, answer, patterns, &error))
    {
      report_error (self, error);
      return;
    }

  fw_api_call_async (self->api, "GET", "/api/v2/users?pageSize=100", NULL,
                     self->cancellable, demo_users_cb, self);
}

/* --demo: the simulator runs in this process, and with no TOPIC we watch
 * what a supervisor would: every queue and every agent it has. */
static gboolean
start_demo (Watch   *self,
            GError **error)
{
  self->sim = fw_sim_server_new ();
  g_object_set (self->sim, "traffic-interval", DEMO_TRAFFIC_INTERVAL_MS, NULL);
  if (!fw_sim_server_listen (self->sim, 0, error))
    return FALSE;

  self->environment = fw_environment_new (fw_sim_server_get_url (self->sim), error);
  if (self->environment == NULL)
    return FALSE;

  set_api (self, fw_cli_api_new_with_secret (self->environment,
                                             FW_SIM_DEFAULT_CLIENT_ID,
                                             FW_SIM_DEFAULT_CLIENT_SECRET));

  fw_cli_message ("demo: simulator on %s", fw_sim_server_get_url (self->sim));

  if (self->topics != NULL && self->topics[0] != NULL)
    {
      start_session (self, (const char * const *) self->topics);
      return TRUE;
    }

  self->demo_topics = g_ptr_array_new_with_free_func (g_free);
  fw_api_call_async (self->api, "GET", "/api/v2/routing/queues?pageSize=100", NULL,
                     self->cancellable, demo_queues_cb, self);
  return TRUE;
}

static void
channels_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Watch *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reuse_channel_ids = fw_credentials_lookup_channels_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without a keyring the watch still works; it only makes new channels. */
  if (error != NULL)
    g_debug ("%s", error->message);

  start_session (self, (const char * const *) self->topics);
}

static void
api_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Watch *self = user_data;
  g_autoptr(GError) error = NULL;
  FwApi *api;

  api = fw_cli_api_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (api == NULL)
    {
      report_error (self, error);
      return;
    }

  set_api (self, api);

  fw_credentials_lookup_channels_async (fw_environment_get_name (self->environment),
                                        self->resolved_client_id, self->cancellable,
                                        channels_found_cb, self);
}

static gboolean
signal_cb (gpointer user_data)
{
  Watch *self = user_data;

  /* A second Ctrl-C means "now": do not wait for the clean stop. */
  if (self->finishing)
    {
      g_main_loop_quit (self->loop);
      return G_SOURCE_CONTINUE;
    }

  fw_cli_message ("stopping");
  finish (self, FW_CLI_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
duration_cb (gpointer user_data)
{
  Watch *self = user_data;

  self->duration_id = 0;
  finish (self, FW_CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

/* Checks the options that need more than GOptionContext does. */
static gboolean
validate_options (Watch   *self,
                  GError **error)
{
  if (self->format_name != NULL && !fw_cli_format_parse (self->format_name, &self->format))
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "--format: unknown format '%s' (use jsonl or text)", self->format_name);
      return FALSE;
    }

  if (self->heartbeat_timeout != NULL &&
      !fw_cli_parse_seconds ("--heartbeat-timeout", self->heartbeat_timeout,
                             &self->heartbeat_timeout_ms, error))
    return FALSE;

  if (self->pong_timeout != NULL &&
      !fw_cli_parse_seconds ("--pong-timeout", self->pong_timeout, &self->pong_timeout_ms, error))
    return FALSE;

  if (self->duration != NULL &&
      !fw_cli_parse_seconds ("--duration", self->duration, &self->duration_ms, error))
    return FALSE;

  if (self->max_events_text != NULL &&
      !fw_cli_parse_unsigned ("--max-events", self->max_events_text, 1, G_MAXUINT64,
                              &self->max_events, error))
    return FALSE;

  if (self->demo && (self->environment_spec != NULL || self->client_id != NULL || self->user))
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "--demo runs its own simulator: it takes no --environment, --client-id "
                   "or --user");
      return FALSE;
    }

  if (!self->demo && (self->topics == NULL || self->topics[0] == NULL))
    {
      g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                   "no topics: name at least one TOPIC (see 'floorwatch-cli topics'), "
                   "or use --demo");
      return FALSE;
    }

  for (guint i = 0; self->topics != NULL && self->topics[i] != NULL; i++)
    {
      const char *topic = self->topics[i];

      if (topic[0] == '\0' || strpbrk (topic, " \t\r\n") != NULL)
        {
          g_set_error (error, FW_CLI_ERROR, FW_CLI_ERROR_USAGE,
                       "'%s' is not a topic name", topic);
          return FALSE;
        }
    }

  return TRUE;
}

int
fw_cli_watch (int    argc,
              char **argv)
{
  Watch watch = { 0, };
  Watch *self = &watch;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &self->environment_spec,
      "Region domain (mypurecloud.ie), region name (eu-west-1) or simulator URL; "
      "default: $GENESYSCLOUD_REGION", "E" },
    { "client-id", 'c', 0, G_OPTION_ARG_STRING, &self->client_id,
      "OAuth client id; default: $GENESYSCLOUD_OAUTHCLIENT_ID", "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &self->format_name,
      "jsonl (each notification as received, one per line) or text", "FORMAT" },
    { "heartbeat-timeout", 0, 0, G_OPTION_ARG_STRING, &self->heartbeat_timeout,
      "Silence after which a socket is pinged (default 70)", "S" },
    { "pong-timeout", 0, 0, G_OPTION_ARG_STRING, &self->pong_timeout,
      "Wait for the answer to a ping before reconnecting (default 10)", "S" },
    { "max-events", 'n', 0, G_OPTION_ARG_STRING, &self->max_events_text,
      "Exit after N notifications", "N" },
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &self->duration,
      "Exit after S seconds", "S" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &self->demo,
      "Watch the built-in simulator (no account needed)", NULL },
    { "user", 'u', 0, G_OPTION_ARG_NONE, &self->user,
      "Watch as the person signed in with 'login --browser', even if a secret is at hand", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->topics, NULL, "TOPIC…" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Prints the notifications of each TOPIC as they arrive: on stdout one line each,\n"
    "on stderr the state of the connection, gaps in which events may be missing,\n"
    "rejected topics and warnings.  It reconnects by itself.");
  g_option_context_set_description (context,
    "The client secret comes from $GENESYSCLOUD_OAUTHCLIENT_SECRET, else from the\n"
    "keyring (see 'floorwatch-cli login'); it is never taken as an argument.\n"
    "Without a secret for the client, the person signed in with\n"
    "'floorwatch-cli login --browser' watches, with their own permissions.\n"
    "\n"
    "Example:\n"
    "  floorwatch-cli watch -e mypurecloud.ie v2.users.<id>.presence\n"
    "\n"
    "Exit status: 0 done (--max-events, --duration, SIGINT, SIGTERM), 1 failure,\n"
    "2 bad usage, 3 credentials rejected.");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!fw_cli_parse_options (context, argv[0], &argc, &argv))
    {
      watch_clear (self);
      return FW_CLI_EXIT_USAGE;
    }

  if (!validate_options (self, &error))
    {
      watch_clear (self);
      return fw_cli_usage_error (argv[0], error->message);
    }

  if (!self->demo &&
      !fw_cli_target_resolve (self->environment_spec, self->client_id,
                              &self->environment, &self->resolved_client_id, &error))
    {
      watch_clear (self);
      return fw_cli_usage_error (argv[0], error->message);
    }

  self->loop = g_main_loop_new (NULL, FALSE);
  self->cancellable = g_cancellable_new ();
  self->sigint_id = g_unix_signal_add (SIGINT, signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, self);
  if (self->duration_ms > 0)
    self->duration_id = g_timeout_add (self->duration_ms, duration_cb, self);

  if (self->demo)
    {
      if (!start_demo (self, &error))
        {
          fw_cli_message ("cannot start the simulator: %s", error->message);
          watch_clear (self);
          return FW_CLI_EXIT_FAILURE;
        }
    }
  else
    {
      fw_cli_api_new_full_async (self->environment, self->resolved_client_id, self->user,
                                 self->cancellable, api_ready_cb, self);
    }

  g_main_loop_run (self->loop);

  {
    int exit_code = self->exit_code;

    if (fflush (stdout) != 0 && errno != EPIPE && exit_code == FW_CLI_EXIT_OK)
      {
        fw_cli_message ("cannot write to stdout: %s", g_strerror (errno));
        exit_code = FW_CLI_EXIT_FAILURE;
      }

    watch_clear (self);
    return exit_code;
  }
}
