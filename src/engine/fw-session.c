/* fw-session.c — the live feed the rest of the app talks to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session takes the wanted topic set, shards it over channels (at most
 * "max-topics-per-channel" topics each), keeps every shard connected, merges
 * their streams, drops duplicates by CorrelationId and says, with a "gap",
 * exactly when events of which topics may have been missed.
 *
 * The handover on v2.system.socket_closing is make-before-break over a
 * second channel: a second socket on the same channel would disconnect the
 * first, and the server queues nothing, so reconnecting in place always
 * leaves a window in which events are lost.  Instead the shard subscribes a
 * second channel to the same topics and connects it while the old socket is
 * still delivering; only once the new socket is open are the old channel's
 * subscriptions removed and its socket closed.  At every instant at least one
 * open, subscribed socket carries each topic, so nothing is lost; what both
 * sockets deliver in the overlap is dropped by CorrelationId.  The old channel
 * is kept, unsubscribed, as the spare for the next handover, so a shard never
 * holds more than two channels on the server.
 */

#define G_LOG_DOMAIN "fw-session"

#include "config.h"

#include "fw-backoff.h"
#include "fw-channel.h"
#include "fw-correlation-set.h"
#include "fw-engine-enums.h"
#include "fw-json-private.h"
#include "fw-session.h"

#define WARNINGS_PER_WINDOW 5
#define WARNING_WINDOW_US   (10 * G_USEC_PER_SEC)

typedef enum
{
  SHARD_IDLE,
  SHARD_CONNECTING,
  SHARD_LIVE,
  SHARD_WAITING,
} ShardState;

typedef struct
{
  FwSession    *session;
  GPtrArray    *topics;            /* wanted topics of this shard (char *), in order */
  FwChannel    *channel;           /* the channel that carries the feed */
  FwChannel    *incoming;          /* the channel a handover is opening */
  FwChannel    *spare;             /* the previous channel, unsubscribed */
  GCancellable *cancellable;       /* the current attempt */
  FwBackoff    *backoff;
  FwBackoff    *eviction_backoff;
  ShardState    state;
  guint         retry_id;
  guint         resubscribe_id;
  gint64        next_attempt_real;
  gboolean      was_live;
  gboolean      topics_dirty;
  gboolean      recreating;        /* the last attempt found the channel gone */
  gint64        uncovered_since;   /* wall clock; 0 while covered */
  GStrv         gap_topics;
} Shard;

struct _FwSession
{
  GObject           parent_instance;

  FwApi            *api;
  GStrv             topics;
  GPtrArray        *shards;        /* Shard * */
  GHashTable       *rejected;      /* topic → reason */
  GHashTable       *accepted;      /* every topic an event may arrive on */
  FwCorrelationSet *seen;

  FwSessionState    state;
  gint64            next_attempt_time;
  GError           *error;
  gboolean          started;
  gboolean          fatal;
  guint             n_channels;

  GNetworkMonitor  *network_monitor;
  gboolean          network_monitor_explicit;
  gboolean          network_down;

  guint             heartbeat_timeout;
  guint             pong_timeout;
  double            resubscribe_fraction;
  guint             backoff_initial;
  guint             backoff_cap;
  guint             backoff_stable;
  guint             max_topics_per_channel;
  guint             max_channels;

  GPtrArray        *reusable;      /* FwChannel of a previous run, not yet taken */
  GStrv             reuse_ids;
  GStrv             channel_ids;
  GCancellable     *list_cancellable;
  gboolean          listing;

  GArray           *gone_times;    /* gint64 monotonic, channels lost to the server */
  gboolean          evicted;
  guint             eviction_threshold;
  guint             eviction_window;
  guint             eviction_backoff;

  guint64           n_duplicates;
  guint64           n_rejected_frames;
  gint64            warning_window_start;
  guint             warnings_in_window;
  guint             warnings_suppressed;
};

G_DEFINE_FINAL_TYPE (FwSession, fw_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_STATE,
  PROP_NEXT_ATTEMPT_TIME,
  PROP_N_CHANNELS,
  PROP_HEARTBEAT_TIMEOUT,
  PROP_PONG_TIMEOUT,
  PROP_RESUBSCRIBE_FRACTION,
  PROP_BACKOFF_INITIAL,
  PROP_BACKOFF_CAP,
  PROP_BACKOFF_STABLE,
  PROP_MAX_TOPICS_PER_CHANNEL,
  PROP_MAX_CHANNELS,
  PROP_NETWORK_MONITOR,
  PROP_CHANNEL_IDS,
  PROP_EVICTION_THRESHOLD,
  PROP_EVICTION_WINDOW,
  PROP_EVICTION_BACKOFF,
  N_PROPS
};

enum {
  NOTIFICATION,
  GAP,
  TOPIC_REJECTED,
  WARNING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (fw-session-error-quark, fw_session_error)

static void shard_connect        (Shard    *shard);
static void shard_lose_coverage  (Shard    *shard,
                                  gint64    since_us);
static void update_state         (FwSession *self);

/* ---- Warnings ---- */

static void
emit_warning (FwSession  *self,
              const char *message)
{
  gint64 now = g_get_monotonic_time ();

  /* A server that sends a stream of bad frames must not flood the user. */
  if (now - self->warning_window_start > WARNING_WINDOW_US)
    {
      if (self->warnings_suppressed > 0)
        {
          g_autofree char *summary = NULL;

          summary = g_strdup_printf ("%u more warnings like these were not shown",
                                     self->warnings_suppressed);
          g_signal_emit (self, signals[WARNING], 0, summary);
        }
      self->warning_window_start = now;
      self->warnings_in_window = 0;
      self->warnings_suppressed = 0;
    }

  if (self->warnings_in_window >= WARNINGS_PER_WINDOW)
    {
      self->warnings_suppressed++;
      return;
    }

  self->warnings_in_window++;
  g_signal_emit (self, signals[WARNING], 0, message);
}

/* ---- Errors ---- */

static gboolean
is_credentials_error (FwSession    *self,
                      const GError *error)
{
  if (g_error_matches (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED))
    return TRUE;

  return g_error_matches (error, FW_API_ERROR, FW_API_ERROR_CREDENTIALS) &&
         fw_token_source_get_rejected (fw_api_get_token_source (self->api));
}

static void
set_error (FwSession    *self,
           const GError *error)
{
  /* While channels are being taken, that is what the user must read. */
  if (self->evicted && error != NULL &&
      g_error_matches (self->error, FW_SESSION_ERROR, FW_SESSION_ERROR_EVICTED))
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
}

/* ---- Eviction ----
 *
 * Genesys Cloud allows 20 channels per OAuth client and silently removes the
 * least recently used one when a 21st is made.  Programs sharing a client
 * therefore take each other's channels, and each one that recreates its
 * channel at once takes another's: a loop nobody can see.  Several of our
 * channels vanishing within minutes is that loop; the session then says so
 * and makes new channels only after a long, growing wait. */

static gboolean
prune_gone_times (FwSession *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) self->eviction_window * 1000;
  guint old = 0;

  while (old < self->gone_times->len &&
         now - g_array_index (self->gone_times, gint64, old) > window)
    old++;
  if (old > 0)
    g_array_remove_range (self->gone_times, 0, old);

  return self->gone_times->len >= self->eviction_threshold;
}

static void
note_channel_gone (FwSession *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean was_evicted = self->evicted;

  g_array_append_val (self->gone_times, now);
  self->evicted = prune_gone_times (self);

  if (self->evicted && !was_evicted)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (FW_SESSION_ERROR, FW_SESSION_ERROR_EVICTED,
                           "Another program using this OAuth client keeps taking our "
                           "notification channels: give each supervisor their own OAuth "
                           "client, or sign in as yourself");
      g_debug ("%u channels gone within %u ms: evicted", self->gone_times->len,
               self->eviction_window);
      set_error (self, error);
      emit_warning (self, error->message);
    }
}

/* ---- Shards ---- */

static gboolean
network_usable (FwSession *self)
{
  return !self->network_down;
}

static gboolean
topic_was_rejected (FwSession  *self,
                    const char *topic)
{
  return g_hash_table_contains (self->rejected, topic);
}

static GStrv
shard_dup_covered_topics (Shard *shard)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv topics;

  for (guint i = 0; i < shard->topics->len; i++)
    {
      const char *topic = g_ptr_array_index (shard->topics, i);

      if (!topic_was_rejected (shard->session, topic))
        g_strv_builder_add (builder, topic);
    }

  topics = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return topics;
}

static char **
shard_topic_vector (Shard *shard)
{
  char **topics = g_new0 (char *, shard->topics->len + 1);

  for (guint i = 0; i < shard->topics->len; i++)
    topics[i] = g_strdup (g_ptr_array_index (shard->topics, i));

  return topics;
}

static void
detach_channel (Shard     *shard,
                FwChannel *channel)
{
  fw_channel_set_message_func (channel, NULL, NULL);
  g_signal_handlers_disconnect_by_data (channel, shard);
}

static void
drop_channel (Shard      *shard,
              FwChannel **slot,
              gboolean    unsubscribe)
{
  g_autoptr(FwChannel) channel = g_steal_pointer (slot);

  if (channel == NULL)
    return;

  detach_channel (shard, channel);
  fw_channel_close (channel, unsubscribe);
}

static void
shard_cancel_attempt (Shard *shard)
{
  if (shard->cancellable != NULL)
    g_cancellable_cancel (shard->cancellable);
  g_clear_object (&shard->cancellable);
  g_clear_handle_id (&shard->retry_id, g_source_remove);
  shard->next_attempt_real = 0;
}

static void
shard_free (Shard *shard)
{
  shard_cancel_attempt (shard);
  g_clear_handle_id (&shard->resubscribe_id, g_source_remove);
  drop_channel (shard, &shard->incoming, TRUE);
  drop_channel (shard, &shard->channel, TRUE);
  drop_channel (shard, &shard->spare, FALSE);
  g_clear_pointer (&shard->topics, g_ptr_array_unref);
  g_clear_pointer (&shard->backoff, fw_backoff_free);
  g_clear_pointer (&shard->eviction_backoff, fw_backoff_free);
  g_clear_pointer (&shard->gap_topics, g_strfreev);
  g_free (shard);
}

static void
count_channels (FwSession *self)
{
  guint n = 0;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->state == SHARD_LIVE)
        n++;
    }

  if (n != self->n_channels)
    {
      self->n_channels = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANNELS]);
    }
}

static void
shard_cover (Shard *shard)
{
  FwSession *self = shard->session;

  shard->state = SHARD_LIVE;
  shard->was_live = TRUE;
  fw_backoff_succeeded (shard->backoff, g_get_monotonic_time ());

  if (shard->uncovered_since != 0)
    {
      g_autoptr(FwGap) gap = NULL;
      g_auto(GStrv) topics = g_steal_pointer (&shard->gap_topics);

      gap = fw_gap_new (shard->uncovered_since, g_get_real_time (),
                        (const char * const *) topics);
      shard->uncovered_since = 0;
      g_debug ("gap of %u topics closed", topics ? g_strv_length (topics) : 0);
      g_signal_emit (self, signals[GAP], 0, gap);
    }

  update_state (self);
}

static void
shard_lose_coverage (Shard  *shard,
                     gint64  since_us)
{
  /* Only a feed that was live can miss events; the first connection and a
   * stopped session have nothing to report. */
  if (shard->was_live && shard->uncovered_since == 0)
    {
      shard->uncovered_since = since_us;
      g_clear_pointer (&shard->gap_topics, g_strfreev);
      shard->gap_topics = shard_dup_covered_topics (shard);
    }
}

static gboolean
retry_cb (gpointer user_data)
{
  Shard *shard = user_data;

  shard->retry_id = 0;
  shard->next_attempt_real = 0;
  shard_connect (shard);
  return G_SOURCE_REMOVE;
}

static void
shard_schedule_retry (Shard    *shard,
                      gboolean  at_once)
{
  FwSession *self = shard->session;
  guint delay;

  shard_cancel_attempt (shard);
  shard->state = SHARD_WAITING;

  if (!self->started || self->fatal)
    return;

  if (!network_usable (self))
    {
      /* No retry loop while offline: "network-changed" brings us back. */
      update_state (self);
      return;
    }

  if (self->evicted)
    {
      /* Another program takes our channels as fast as we make them: every
       * channel we create would take one of theirs.  Step back instead. */
      delay = fw_backoff_next_delay (shard->eviction_backoff, g_get_monotonic_time ());
    }
  else
    {
      delay = at_once ? 0 : fw_backoff_next_delay (shard->backoff, g_get_monotonic_time ());
    }
  shard->next_attempt_real = g_get_real_time () + (gint64) delay * 1000;
  shard->retry_id = g_timeout_add (delay, retry_cb, shard);
  g_debug ("next attempt in %u ms", delay);
  update_state (self);
}

static void
shard_fail (Shard        *shard,
            const GError *error)
{
  FwSession *self = shard->session;

  if (is_credentials_error (self, error))
    {
      FwTokenSource *tokens = fw_api_get_token_source (self->api);
      g_autoptr(GError) fatal = NULL;

      if (fw_token_source_get_grant (tokens) == FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
        fatal = g_error_new (FW_SESSION_ERROR, FW_SESSION_ERROR_CREDENTIALS,
                             "Genesys Cloud rejected the client credentials: %s", error->message);
      else
        fatal = g_error_new (FW_SESSION_ERROR, FW_SESSION_ERROR_CREDENTIALS,
                             "Genesys Cloud no longer accepts your sign-in; sign in again: %s",
                             error->message);
      set_error (self, fatal);
      self->fatal = TRUE;
      for (guint i = 0; i < self->shards->len; i++)
        shard_cancel_attempt (g_ptr_array_index (self->shards, i));
      update_state (self);
      return;
    }

  set_error (self, error);
  shard_schedule_retry (shard, FALSE);
}

/* ---- Keeping the subscription list in step with the wanted topics ---- */

static void shard_push_topics (Shard *shard);

static gboolean
resubscribe_retry_cb (gpointer user_data)
{
  Shard *shard = user_data;

  shard->resubscribe_id = 0;
  shard_push_topics (shard);
  return G_SOURCE_REMOVE;
}

static void
pushed_topics_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Shard *shard = user_data;
  g_autoptr(GError) error = NULL;

  if (fw_channel_subscribe_finish (FW_CHANNEL (object), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (FW_CHANNEL (object) != shard->channel)
    return;

  emit_warning (shard->session, error->message);
  shard->topics_dirty = TRUE;
  g_clear_handle_id (&shard->resubscribe_id, g_source_remove);
  shard->resubscribe_id = g_timeout_add (fw_backoff_next_delay (shard->backoff,
                                                                g_get_monotonic_time ()),
                                         resubscribe_retry_cb, shard);
}

static void
shard_push_topics (Shard *shard)
{
  g_auto(GStrv) topics = NULL;

  if (shard->state != SHARD_LIVE || shard->channel == NULL || !shard->topics_dirty)
    return;

  shard->topics_dirty = FALSE;
  topics = shard_topic_vector (shard);
  fw_channel_subscribe_async (shard->channel, (const char * const *) topics,
                              shard->cancellable, pushed_topics_cb, shard);
}

/* ---- Channel signals ---- */

static void start_handover (Shard *shard);

static void
channel_message_cb (FwChannel      *channel,
                    FwNotification *notification,
                    gpointer        user_data)
{
  Shard *shard = user_data;
  FwSession *self = shard->session;
  const char *id;

  switch (fw_notification_get_kind (notification))
    {
    case FW_NOTIFICATION_KIND_EVENT:
      if (!g_hash_table_contains (self->accepted, fw_notification_get_topic (notification)))
        {
          g_autofree char *message = NULL;

          self->n_rejected_frames++;
          message = g_strdup_printf ("Ignored an event on a topic that was not subscribed (%.200s)",
                                     fw_notification_get_topic (notification));
          emit_warning (self, message);
          return;
        }
      id = fw_notification_get_correlation_id (notification);
      if (id != NULL && !fw_correlation_set_add (self->seen, id))
        {
          self->n_duplicates++;
          return;
        }
      g_signal_emit (self, signals[NOTIFICATION], 0, notification);
      return;

    case FW_NOTIFICATION_KIND_SOCKET_CLOSING:
      if (channel == shard->channel)
        start_handover (shard);
      return;

    case FW_NOTIFICATION_KIND_TOKEN_REVOKED:
      /* The socket needs no token; REST calls renew theirs on the next 401. */
      emit_warning (self, "The server revoked the access token; a new one will be requested");
      return;

    case FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED:
      /* The channel follows up with "gone". */
      return;

    case FW_NOTIFICATION_KIND_HEARTBEAT:
    case FW_NOTIFICATION_KIND_PONG:
    case FW_NOTIFICATION_KIND_CHANNEL_METADATA:
    case FW_NOTIFICATION_KIND_SYSTEM_OTHER:
    default:
      return;
    }
}

static void
channel_lost_cb (FwChannel *channel,
                 GError    *reason,
                 gint64     since_us,
                 Shard     *shard)
{
  FwSession *self = shard->session;

  if (channel != shard->channel)
    return;

  g_debug ("feed lost: %s", reason->message);
  set_error (self, reason);
  shard_lose_coverage (shard, since_us);

  if (shard->incoming != NULL)
    {
      /* A handover is already opening the next path; it closes the gap. */
      shard->state = SHARD_CONNECTING;
      update_state (self);
      return;
    }

  shard_schedule_retry (shard, FALSE);
}

static void
channel_gone_cb (FwChannel *channel,
                 Shard     *shard)
{
  FwSession *self = shard->session;

  if (channel == shard->spare)
    {
      drop_channel (shard, &shard->spare, FALSE);
      return;
    }

  if (channel != shard->channel)
    return;

  g_debug ("channel %s is gone", fw_channel_get_id (channel));
  note_channel_gone (self);
  if (shard->state == SHARD_LIVE)
    shard_lose_coverage (shard, g_get_real_time ());
  drop_channel (shard, &shard->channel, FALSE);

  if (shard->incoming != NULL)
    {
      shard->state = SHARD_CONNECTING;
      update_state (self);
      return;
    }

  /* A new channel, subscribed to every topic, right away. */
  shard_schedule_retry (shard, TRUE);
}

static void
channel_topic_rejected_cb (FwChannel  *channel,
                           const char *topic,
                           const char *reason,
                           Shard      *shard)
{
  FwSession *self = shard->session;
  const char *known = g_hash_table_lookup (self->rejected, topic);

  if (g_strcmp0 (known, reason) == 0)
    return;

  g_hash_table_insert (self->rejected, g_strdup (topic), g_strdup (reason));
  g_signal_emit (self, signals[TOPIC_REJECTED], 0, topic, reason);
}

static void
channel_warning_cb (FwChannel  *channel,
                    const char *message,
                    Shard      *shard)
{
  FwSession *self = shard->session;

  emit_warning (self, message);
}

static FwChannel *
attach_channel (Shard     *shard,
                FwChannel *channel)
{
  FwSession *self = shard->session;

  g_object_set (channel,
                "heartbeat-timeout", self->heartbeat_timeout,
                "pong-timeout", self->pong_timeout,
                "resubscribe-fraction", self->resubscribe_fraction,
                NULL);
  fw_channel_set_message_func (channel, channel_message_cb, shard);
  g_signal_connect (channel, "lost", G_CALLBACK (channel_lost_cb), shard);
  g_signal_connect (channel, "gone", G_CALLBACK (channel_gone_cb), shard);
  g_signal_connect (channel, "topic-rejected", G_CALLBACK (channel_topic_rejected_cb), shard);
  g_signal_connect (channel, "warning", G_CALLBACK (channel_warning_cb), shard);
  return channel;
}

static FwChannel *
shard_new_channel (Shard *shard)
{
  FwSession *self = shard->session;

  /* A channel of a previous run comes first: it costs no new channel. */
  if (self->reusable != NULL && self->reusable->len > 0)
    return attach_channel (shard, g_ptr_array_steal_index (self->reusable, 0));

  return attach_channel (shard, fw_channel_new (self->api));
}

/* ---- Connecting ---- */

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Shard *shard = user_data;
  FwChannel *channel = FW_CHANNEL (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, fw_channel_open_async))
    ok = fw_channel_open_finish (channel, result, &error);
  else
    ok = fw_channel_reconnect_finish (channel, result, &error);

  /* A cancelled attempt belongs to a shard that moved on (or is freed). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (channel != shard->channel)
    return;

  if (!ok)
    {
      g_debug ("attempt failed: %s", error->message);
      if (g_error_matches (error, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_GONE))
        {
          /* A channel we had connected before vanished; one we took back
           * from a previous run may simply have expired. */
          if (fw_channel_get_last_frame_time (channel) != 0)
            note_channel_gone (shard->session);
          drop_channel (shard, &shard->channel, FALSE);
          set_error (shard->session, error);
          /* Recreate at once; the backoff applies if that fails too. */
          if (!shard->recreating)
            {
              shard->recreating = TRUE;
              shard_schedule_retry (shard, TRUE);
              return;
            }
        }
      shard->recreating = FALSE;
      shard_fail (shard, error);
      return;
    }

  shard->recreating = FALSE;
  shard_cover (shard);
  shard_push_topics (shard);
}

static void
shard_connect (Shard *shard)
{
  FwSession *self = shard->session;
  g_auto(GStrv) topics = NULL;

  shard_cancel_attempt (shard);
  if (!self->started || self->fatal)
    return;

  shard->cancellable = g_cancellable_new ();
  shard->state = SHARD_CONNECTING;
  update_state (self);

  if (shard->channel != NULL && fw_channel_get_id (shard->channel) != NULL)
    {
      /* The channel outlives its socket: connect to it again.  Whatever
       * changed in the wanted topics meanwhile is pushed once it is open. */
      fw_channel_reconnect_async (shard->channel, shard->cancellable, connected_cb, shard);
      return;
    }

  drop_channel (shard, &shard->channel, FALSE);
  shard->channel = shard_new_channel (shard);
  shard->topics_dirty = FALSE;
  topics = shard_topic_vector (shard);
  fw_channel_open_async (shard->channel, (const char * const *) topics, shard->cancellable,
                         connected_cb, shard);
}

/* ---- Handover on socket_closing ---- */

static guint
count_server_channels (FwSession *self)
{
  guint n = 0;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      n += (shard->channel != NULL) + (shard->incoming != NULL) + (shard->spare != NULL);
    }

  return n;
}

static void
handover_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Shard *shard = user_data;
  FwChannel *channel = FW_CHANNEL (object);
  g_autoptr(GError) error = NULL;

  if (!fw_channel_open_finish (channel, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || channel != shard->incoming)
        return;

      g_debug ("handover failed: %s", error->message);
      drop_channel (shard, &shard->incoming, FALSE);

      if (g_error_matches (error, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_GONE))
        {
          /* The spare expired: take a new channel for the handover. */
          start_handover (shard);
          return;
        }

      if (shard->channel == NULL || fw_channel_get_state (shard->channel) != FW_CHANNEL_STATE_OPEN)
        shard_fail (shard, error);
      else
        emit_warning (shard->session, error->message);
      return;
    }

  if (channel != shard->incoming)
    return;

  /* The new path is subscribed and open: only now let the old one go. */
  if (shard->channel != NULL)
    {
      g_autoptr(FwChannel) old = g_steal_pointer (&shard->channel);

      detach_channel (shard, old);
      fw_channel_close (old, TRUE);
      if (fw_channel_get_id (old) != NULL)
        {
          drop_channel (shard, &shard->spare, FALSE);
          shard->spare = g_object_ref (old);
          g_signal_connect (shard->spare, "gone", G_CALLBACK (channel_gone_cb), shard);
        }
    }

  shard->channel = g_steal_pointer (&shard->incoming);
  g_clear_handle_id (&shard->retry_id, g_source_remove);
  shard->next_attempt_real = 0;
  g_debug ("handover to %s done", fw_channel_get_id (shard->channel));
  shard_cover (shard);
  shard_push_topics (shard);
}

static void
start_handover (Shard *shard)
{
  FwSession *self = shard->session;
  g_auto(GStrv) topics = NULL;

  if (shard->incoming != NULL || !self->started || self->fatal)
    return;

  if (shard->spare == NULL && count_server_channels (self) + 1 > self->max_channels)
    {
      /* No room for a second channel: a new one would evict one of ours.
       * Reconnect in place instead, and report the short gap that makes. */
      g_debug ("no room for a handover channel; reconnecting in place");
      if (shard->channel != NULL)
        shard_lose_coverage (shard, g_get_real_time ());
      shard_schedule_retry (shard, TRUE);
      return;
    }

  if (shard->spare != NULL)
    {
      shard->incoming = g_steal_pointer (&shard->spare);
      g_signal_handlers_disconnect_by_data (shard->incoming, shard);
      attach_channel (shard, shard->incoming);
    }
  else
    {
      shard->incoming = shard_new_channel (shard);
    }

  if (shard->cancellable == NULL)
    shard->cancellable = g_cancellable_new ();

  g_debug ("socket closing: handing over to %s",
           fw_channel_get_id (shard->incoming) ? fw_channel_get_id (shard->incoming) : "a new channel");
  topics = shard_topic_vector (shard);
  fw_channel_open_async (shard->incoming, (const char * const *) topics, shard->cancellable,
                         handover_opened_cb, shard);
}

/* ---- Sharding ---- */

static Shard *
shard_new (FwSession *self)
{
  Shard *shard = g_new0 (Shard, 1);

  shard->session = self;
  shard->topics = g_ptr_array_new_with_free_func (g_free);
  shard->backoff = fw_backoff_new (self->backoff_initial, self->backoff_cap, self->backoff_stable);
  shard->eviction_backoff = fw_backoff_new (self->eviction_backoff, self->eviction_backoff * 6,
                                            self->eviction_window);
  shard->state = SHARD_IDLE;
  return shard;
}

static void
assign_topics (FwSession *self)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) assigned = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_wanted = self->topics ? g_strv_length (self->topics) : 0;
  guint next_shard = 0;

  if ((guint64) n_wanted > (guint64) self->max_topics_per_channel * self->max_channels)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (FW_SESSION_ERROR, FW_SESSION_ERROR_TOO_MANY_TOPICS,
                           "%u topics are more than %u channels of %u topics can carry",
                           n_wanted, self->max_channels, self->max_topics_per_channel);
      set_error (self, error);
      self->fatal = TRUE;
      g_ptr_array_set_size (self->shards, 0);
      update_state (self);
      return;
    }

  if (self->fatal && g_error_matches (self->error, FW_SESSION_ERROR,
                                      FW_SESSION_ERROR_TOO_MANY_TOPICS))
    {
      self->fatal = FALSE;
      g_clear_error (&self->error);
    }

  for (guint i = 0; i < n_wanted; i++)
    g_hash_table_add (wanted, self->topics[i]);

  /* Topics stay on the channel they are on; only what changed moves. */
  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      for (guint j = shard->topics->len; j > 0; j--)
        {
          const char *topic = g_ptr_array_index (shard->topics, j - 1);

          if (!g_hash_table_contains (wanted, topic) || g_hash_table_contains (assigned, topic))
            {
              g_ptr_array_remove_index (shard->topics, j - 1);
              shard->topics_dirty = TRUE;
            }
          else
            {
              g_hash_table_add (assigned, (gpointer) topic);
            }
        }
    }

  for (guint i = 0; i < n_wanted; i++)
    {
      const char *topic = self->topics[i];
      Shard *shard = NULL;

      if (g_hash_table_contains (assigned, topic))
        continue;

      while (next_shard < self->shards->len)
        {
          shard = g_ptr_array_index (self->shards, next_shard);
          if (shard->topics->len < self->max_topics_per_channel)
            break;
          shard = NULL;
          next_shard++;
        }

      if (shard == NULL)
        {
          shard = shard_new (self);
          g_ptr_array_add (self->shards, shard);
        }

      g_ptr_array_add (shard->topics, g_strdup (topic));
      g_hash_table_add (assigned, (gpointer) topic);
      shard->topics_dirty = TRUE;
    }

  for (guint i = self->shards->len; i > 0; i--)
    {
      Shard *shard = g_ptr_array_index (self->shards, i - 1);

      if (shard->topics->len == 0)
        g_ptr_array_remove_index (self->shards, i - 1);
    }

  if (!self->started || self->listing)
    return;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->state == SHARD_IDLE)
        shard_connect (shard);
      else
        shard_push_topics (shard);
    }

  update_state (self);
}

/* ---- State ---- */

static void
update_channel_ids (FwSession *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);
      FwChannel *channels[] = { shard->channel, shard->incoming, shard->spare };

      for (guint j = 0; j < G_N_ELEMENTS (channels); j++)
        if (channels[j] != NULL && fw_channel_get_id (channels[j]) != NULL)
          g_strv_builder_add (builder, fw_channel_get_id (channels[j]));
    }

  /* Channels of a previous run not taken yet are still ours to take. */
  for (guint i = 0; self->reusable != NULL && i < self->reusable->len; i++)
    g_strv_builder_add (builder, fw_channel_get_id (g_ptr_array_index (self->reusable, i)));

  ids = g_strv_builder_end (builder);
  if (self->channel_ids != NULL && g_strv_equal ((const char * const *) ids,
                                                 (const char * const *) self->channel_ids))
    return;

  g_strfreev (self->channel_ids);
  self->channel_ids = g_steal_pointer (&ids);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL_IDS]);
}

static void
update_state (FwSession *self)
{
  FwSessionState state;
  gint64 next = 0;
  gboolean all_live = TRUE;
  gboolean any_waiting = FALSE;
  gboolean any_was_live = FALSE;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->state != SHARD_LIVE)
        all_live = FALSE;
      if (shard->was_live)
        any_was_live = TRUE;
      if (shard->state == SHARD_WAITING)
        {
          any_waiting = TRUE;
          if (shard->next_attempt_real != 0 && (next == 0 || shard->next_attempt_real < next))
            next = shard->next_attempt_real;
        }
    }

  if (self->evicted)
    self->evicted = prune_gone_times (self);

  if (!self->started)
    state = FW_SESSION_STATE_OFFLINE;
  else if (self->fatal && g_error_matches (self->error, FW_SESSION_ERROR,
                                           FW_SESSION_ERROR_CREDENTIALS))
    state = FW_SESSION_STATE_AUTH_FAILED;
  else if (self->fatal)
    state = FW_SESSION_STATE_FAILED;
  else if (all_live)
    state = FW_SESSION_STATE_LIVE;
  else if (!network_usable (self))
    state = FW_SESSION_STATE_NO_NETWORK;
  else if (self->evicted)
    state = FW_SESSION_STATE_EVICTED;
  else if (self->listing)
    state = FW_SESSION_STATE_CONNECTING;
  else if (any_waiting || any_was_live)
    state = FW_SESSION_STATE_RECONNECTING;
  else
    state = FW_SESSION_STATE_CONNECTING;

  if (state != FW_SESSION_STATE_RECONNECTING && state != FW_SESSION_STATE_EVICTED)
    next = 0;

  g_object_freeze_notify (G_OBJECT (self));

  if (state == FW_SESSION_STATE_LIVE)
    g_clear_error (&self->error);

  if (next != self->next_attempt_time)
    {
      self->next_attempt_time = next;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT_TIME]);
    }

  if (state != self->state)
    {
      g_debug ("state: %d → %d", self->state, state);
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  count_channels (self);
  if (self->started)
    update_channel_ids (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- Network ---- */

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    FwSession       *self)
{
  gboolean down = !available;

  if (down == self->network_down)
    return;

  self->network_down = down;
  g_debug ("network %s", down ? "down" : "up");

  if (down)
    {
      /* Stop waiting out backoffs that cannot succeed. */
      for (guint i = 0; i < self->shards->len; i++)
        {
          Shard *shard = g_ptr_array_index (self->shards, i);

          if (shard->state == SHARD_WAITING)
            shard_cancel_attempt (shard);
        }
      update_state (self);
      return;
    }

  /* Back online: every shard that is not live tries at once, and every live
   * socket proves it survived the change with a ping. */
  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->state == SHARD_LIVE && shard->channel != NULL)
        fw_channel_ping (shard->channel);
      else if (shard->state == SHARD_WAITING)
        {
          fw_backoff_reset (shard->backoff);
          shard_connect (shard);
        }
    }
  update_state (self);
}

static void
set_network_monitor (FwSession       *self,
                     GNetworkMonitor *monitor,
                     gboolean         is_explicit)
{
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_set_object (&self->network_monitor, monitor);
  self->network_monitor_explicit = is_explicit;
  self->network_down = FALSE;

  if (monitor == NULL)
    return;

  g_signal_connect (monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
  self->network_down = !g_network_monitor_get_network_available (monitor);
}

/* ---- Public API ---- */

FwSession *
fw_session_new (FwApi *api)
{
  g_return_val_if_fail (FW_IS_API (api), NULL);

  return g_object_new (FW_TYPE_SESSION, "api", api, NULL);
}

FwApi *
fw_session_get_api (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), NULL);

  return self->api;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
fw_session_set_topics (FwSession          *self,
                       const char * const *topics)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (FW_IS_SESSION (self));

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    if (*topics[i] != '\0')
      g_ptr_array_add (sorted, (gpointer) topics[i]);
  g_ptr_array_sort (sorted, compare_strings);

  for (guint i = 0; i < sorted->len; i++)
    if (i == 0 || g_strcmp0 (sorted->pdata[i], sorted->pdata[i - 1]) != 0)
      g_strv_builder_add (builder, sorted->pdata[i]);

  g_strfreev (self->topics);
  self->topics = g_strv_builder_end (builder);

  /* The combined form v2.users.{id}?presence&routingStatus delivers events
   * on v2.users.{id}.presence and v2.users.{id}.routingStatus. */
  g_hash_table_remove_all (self->accepted);
  for (guint i = 0; self->topics[i] != NULL; i++)
    {
      const char *query = strchr (self->topics[i], '?');
      g_auto(GStrv) parts = NULL;
      g_autofree char *base = NULL;

      g_hash_table_add (self->accepted, g_strdup (self->topics[i]));
      if (query == NULL)
        continue;

      base = g_strndup (self->topics[i], query - self->topics[i]);
      parts = g_strsplit (query + 1, "&", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        if (*parts[j] != '\0')
          g_hash_table_add (self->accepted, g_strdup_printf ("%s.%s", base, parts[j]));
    }

  /* A topic that is wanted again deserves a fresh verdict. */
  g_hash_table_remove_all (self->rejected);

  assign_topics (self);
}

const char * const *
fw_session_get_topics (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), NULL);

  return (const char * const *) self->topics;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  FwSession *self;
  JsonArray *entities = NULL;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = FW_SESSION (user_data);
  self->listing = FALSE;
  g_clear_object (&self->list_cancellable);

  if (answer == NULL)
    g_debug ("could not list channels: %s", error->message);
  else if (JSON_NODE_HOLDS_OBJECT (answer))
    entities = _fw_json_get_array (json_node_get_object (answer), "entities");

  /* Take back, in the order of the previous run, what still exists. */
  for (guint i = 0; entities != NULL && self->reuse_ids[i] != NULL; i++)
    {
      for (guint j = 0; j < json_array_get_length (entities); j++)
        {
          JsonNode *node = json_array_get_element (entities, j);
          JsonObject *entity;
          const char *id;
          const char *uri;
          const char *expires;
          gint64 expires_us = 0;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entity = json_node_get_object (node);
          id = _fw_json_get_string (entity, "id");
          uri = _fw_json_get_string (entity, "connectUri");
          expires = _fw_json_get_string (entity, "expires");
          if (g_strcmp0 (id, self->reuse_ids[i]) != 0 || uri == NULL ||
              !fw_environment_owns_socket_uri (fw_api_get_environment (self->api), uri))
            continue;

          if (expires != NULL)
            {
              g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (expires, NULL);

              if (when != NULL)
                expires_us = g_date_time_to_unix (when) * G_USEC_PER_SEC;
            }
          if (expires_us != 0 && expires_us <= g_get_real_time ())
            continue;

          g_debug ("taking back channel %s", id);
          g_ptr_array_add (self->reusable, fw_channel_new_for_existing (self->api, id, uri,
                                                                       expires_us));
          break;
        }
    }

  assign_topics (self);
  update_state (self);
}

void
fw_session_start (FwSession *self)
{
  g_return_if_fail (FW_IS_SESSION (self));

  if (self->started)
    return;

  if (self->network_monitor == NULL &&
      !fw_environment_is_loopback (fw_api_get_environment (self->api)))
    {
      /* Loopback (the simulator) is reachable whatever the monitor says. */
      set_network_monitor (self, g_network_monitor_get_default (), FALSE);
    }

  self->started = TRUE;
  if (!(self->fatal && g_error_matches (self->error, FW_SESSION_ERROR,
                                        FW_SESSION_ERROR_TOO_MANY_TOPICS)))
    {
      self->fatal = FALSE;
      g_clear_error (&self->error);
    }

  if (self->reuse_ids != NULL && self->reuse_ids[0] != NULL)
    {
      /* Find which of the channels of a previous run still exist. */
      self->listing = TRUE;
      self->list_cancellable = g_cancellable_new ();
      fw_api_call_async (self->api, "GET",
                         "/api/v2/notifications/channels?includechannels=oauthclient", NULL,
                         self->list_cancellable, listed_cb, self);
    }

  assign_topics (self);
  update_state (self);
}

void
fw_session_stop (FwSession *self)
{
  g_return_if_fail (FW_IS_SESSION (self));

  if (!self->started)
    return;

  self->started = FALSE;
  self->listing = FALSE;
  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_ptr_array_set_size (self->reusable, 0);
  g_ptr_array_set_size (self->shards, 0);
  update_state (self);
}

void
fw_session_reconnect_now (FwSession *self)
{
  g_return_if_fail (FW_IS_SESSION (self));

  if (!self->started || self->fatal)
    return;

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->state == SHARD_WAITING || shard->state == SHARD_IDLE)
        shard_connect (shard);
    }
}

FwSessionState
fw_session_get_state (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), FW_SESSION_STATE_OFFLINE);

  return self->state;
}

gint64
fw_session_get_next_attempt_time (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), 0);

  return self->next_attempt_time;
}

const GError *
fw_session_get_error (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), NULL);

  return self->error;
}

guint
fw_session_get_n_channels (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), 0);

  return self->n_channels;
}

guint64
fw_session_get_n_rejected_frames (FwSession *self)
{
  guint64 n = self->n_rejected_frames;

  g_return_val_if_fail (FW_IS_SESSION (self), 0);

  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);

      if (shard->channel != NULL)
        n += fw_channel_get_n_rejected_frames (shard->channel);
      if (shard->incoming != NULL)
        n += fw_channel_get_n_rejected_frames (shard->incoming);
    }

  return n;
}

guint64
fw_session_get_n_duplicates (FwSession *self)
{
  g_return_val_if_fail (FW_IS_SESSION (self), 0);

  return self->n_duplicates;
}

/* ---- GObject ---- */

static void
shard_removed (gpointer data)
{
  Shard *shard = data;
  FwSession *self = shard->session;

  /* Rejected frames of channels that go away still count. */
  if (shard->channel != NULL)
    self->n_rejected_frames += fw_channel_get_n_rejected_frames (shard->channel);
  if (shard->incoming != NULL)
    self->n_rejected_frames += fw_channel_get_n_rejected_frames (shard->incoming);
  shard_free (shard);
}

static void
fw_session_dispose (GObject *object)
{
  FwSession *self = FW_SESSION (object);

  self->started = FALSE;
  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->reusable != NULL)
    g_ptr_array_set_size (self->reusable, 0);
  if (self->shards != NULL)
    g_ptr_array_set_size (self->shards, 0);
  set_network_monitor (self, NULL, FALSE);

  G_OBJECT_CLASS (fw_session_parent_class)->dispose (object);
}

static void
fw_session_finalize (GObject *object)
{
  FwSession *self = FW_SESSION (object);

  g_clear_pointer (&self->shards, g_ptr_array_unref);
  g_clear_pointer (&self->rejected, g_hash_table_unref);
  g_clear_pointer (&self->accepted, g_hash_table_unref);
  g_clear_pointer (&self->seen, fw_correlation_set_free);
  g_clear_pointer (&self->topics, g_strfreev);
  g_clear_pointer (&self->reusable, g_ptr_array_unref);
  g_clear_pointer (&self->reuse_ids, g_strfreev);
  g_clear_pointer (&self->channel_ids, g_strfreev);
  g_clear_pointer (&self->gone_times, g_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (fw_session_parent_class)->finalize (object);
}

static void
fw_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FwSession *self = FW_SESSION (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_NEXT_ATTEMPT_TIME:
      g_value_set_int64 (value, self->next_attempt_time);
      break;

    case PROP_N_CHANNELS:
      g_value_set_uint (value, self->n_channels);
      break;

    case PROP_HEARTBEAT_TIMEOUT:
      g_value_set_uint (value, self->heartbeat_timeout);
      break;

    case PROP_PONG_TIMEOUT:
      g_value_set_uint (value, self->pong_timeout);
      break;

    case PROP_RESUBSCRIBE_FRACTION:
      g_value_set_double (value, self->resubscribe_fraction);
      break;

    case PROP_BACKOFF_INITIAL:
      g_value_set_uint (value, self->backoff_initial);
      break;

    case PROP_BACKOFF_CAP:
      g_value_set_uint (value, self->backoff_cap);
      break;

    case PROP_BACKOFF_STABLE:
      g_value_set_uint (value, self->backoff_stable);
      break;

    case PROP_MAX_TOPICS_PER_CHANNEL:
      g_value_set_uint (value, self->max_topics_per_channel);
      break;

    case PROP_MAX_CHANNELS:
      g_value_set_uint (value, self->max_channels);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;

    case PROP_CHANNEL_IDS:
      g_value_set_boxed (value, self->channel_ids);
      break;

    case PROP_EVICTION_THRESHOLD:
      g_value_set_uint (value, self->eviction_threshold);
      break;

    case PROP_EVICTION_WINDOW:
      g_value_set_uint (value, self->eviction_window);
      break;

    case PROP_EVICTION_BACKOFF:
      g_value_set_uint (value, self->eviction_backoff);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FwSession *self = FW_SESSION (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    case PROP_HEARTBEAT_TIMEOUT:
      self->heartbeat_timeout = g_value_get_uint (value);
      break;

    case PROP_PONG_TIMEOUT:
      self->pong_timeout = g_value_get_uint (value);
      break;

    case PROP_RESUBSCRIBE_FRACTION:
      self->resubscribe_fraction = g_value_get_double (value);
      break;

    case PROP_BACKOFF_INITIAL:
      self->backoff_initial = g_value_get_uint (value);
      break;

    case PROP_BACKOFF_CAP:
      self->backoff_cap = g_value_get_uint (value);
      break;

    case PROP_BACKOFF_STABLE:
      self->backoff_stable = g_value_get_uint (value);
      break;

    case PROP_MAX_TOPICS_PER_CHANNEL:
      self->max_topics_per_channel = g_value_get_uint (value);
      break;

    case PROP_MAX_CHANNELS:
      self->max_channels = g_value_get_uint (value);
      break;

    case PROP_NETWORK_MONITOR:
      if (g_value_get_object (value) != NULL)
        set_network_monitor (self, g_value_get_object (value), TRUE);
      break;

    case PROP_CHANNEL_IDS:
      g_strfreev (self->reuse_ids);
      self->reuse_ids = g_value_dup_boxed (value);
      break;

    case PROP_EVICTION_THRESHOLD:
      self->eviction_threshold = g_value_get_uint (value);
      break;

    case PROP_EVICTION_WINDOW:
      self->eviction_window = g_value_get_uint (value);
      break;

    case PROP_EVICTION_BACKOFF:
      self->eviction_backoff = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_session_class_init (FwSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_session_dispose;
  object_class->finalize = fw_session_finalize;
  object_class->get_property = fw_session_get_property;
  object_class->set_property = fw_session_set_property;

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, FW_TYPE_API,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FW_TYPE_SESSION_STATE, FW_SESSION_STATE_OFFLINE, ro);
  properties[PROP_NEXT_ATTEMPT_TIME] =
    g_param_spec_int64 ("next-attempt-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_N_CHANNELS] =
    g_param_spec_uint ("n-channels", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_HEARTBEAT_TIMEOUT] =
    g_param_spec_uint ("heartbeat-timeout", NULL, NULL, 1, G_MAXUINT, 70000, rw);
  properties[PROP_PONG_TIMEOUT] =
    g_param_spec_uint ("pong-timeout", NULL, NULL, 1, G_MAXUINT, 10000, rw);
  properties[PROP_RESUBSCRIBE_FRACTION] =
    g_param_spec_double ("resubscribe-fraction", NULL, NULL, 0.05, 0.99, 0.9, rw);
  properties[PROP_BACKOFF_INITIAL] =
    g_param_spec_uint ("backoff-initial", NULL, NULL, 1, G_MAXUINT, 1000, rw);
  properties[PROP_BACKOFF_CAP] =
    g_param_spec_uint ("backoff-cap", NULL, NULL, 1, G_MAXUINT, 60000, rw);
  properties[PROP_BACKOFF_STABLE] =
    g_param_spec_uint ("backoff-stable", NULL, NULL, 0, G_MAXUINT, 60000, rw);
  properties[PROP_MAX_TOPICS_PER_CHANNEL] =
    g_param_spec_uint ("max-topics-per-channel", NULL, NULL, 1, G_MAXUINT, 1000, rw);
  properties[PROP_MAX_CHANNELS] =
    g_param_spec_uint ("max-channels", NULL, NULL, 1, G_MAXUINT, 20, rw);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CHANNEL_IDS] =
    g_param_spec_boxed ("channel-ids", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVICTION_THRESHOLD] =
    g_param_spec_uint ("eviction-threshold", NULL, NULL, 1, G_MAXUINT, 3, rw);
  properties[PROP_EVICTION_WINDOW] =
    g_param_spec_uint ("eviction-window", NULL, NULL, 1, G_MAXUINT, 600000, rw);
  properties[PROP_EVICTION_BACKOFF] =
    g_param_spec_uint ("eviction-backoff", NULL, NULL, 1, G_MAXUINT / 8, 300000, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NOTIFICATION] =
    g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FW_TYPE_NOTIFICATION);
  signals[GAP] =
    g_signal_new ("gap", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FW_TYPE_GAP);
  signals[TOPIC_REJECTED] =
    g_signal_new ("topic-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fw_session_init (FwSession *self)
{
  self->shards = g_ptr_array_new_with_free_func (shard_removed);
  self->rejected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = fw_correlation_set_new (65536);
  self->reusable = g_ptr_array_new_with_free_func (g_object_unref);
  self->gone_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->eviction_threshold = 3;
  self->eviction_window = 600000;
  self->eviction_backoff = 300000;
  self->heartbeat_timeout = 70000;
  self->pong_timeout = 10000;
  self->resubscribe_fraction = 0.9;
  self->backoff_initial = 1000;
  self->backoff_cap = 60000;
  self->backoff_stable = 60000;
  self->max_topics_per_channel = 1000;
  self->max_channels = 20;
}
