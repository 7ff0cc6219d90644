/* fw-channel.c — one Genesys notification channel and its socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-channel"

#include "config.h"

#include "fw-channel.h"
#include "fw-engine-enums.h"
#include "fw-json-private.h"
#include "fw-socket-link.h"

/* Frames above FW_NOTIFICATION_MAX_SIZE are refused by the parser and the
 * socket goes on; libsoup itself only gives up on frames above this, which
 * protects memory from a hostile server. */
#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)
#define PING_TEXT "{\"message\":\"ping\"}"

struct _FwChannel
{
  GObject                  parent_instance;

  FwApi                   *api;
  char                    *id;
  char                    *connect_uri;
  GStrv                    topics;
  gint64                   expires_us;
  gint64                   lifetime_us;

  FwChannelState           state;
  FwSocketLink            *link;
  GTask                   *connect_task;
  GCancellable            *connect_cancellable;
  gulong                   connect_cancelled_id;
  guint                    abandon_id;
  GCancellable            *cancellable;

  FwChannelMessageFunc     message_func;
  gpointer                 message_data;

  guint                    heartbeat_timeout;
  guint                    pong_timeout;
  guint                    connect_timeout;
  double                   resubscribe_fraction;

  gint64                   last_frame_mono;
  gint64                   last_frame_real;
  gint64                   ping_sent_mono;
  guint                    watchdog_id;
  guint                    resubscribe_id;
  guint64                  n_rejected_frames;
};

G_DEFINE_FINAL_TYPE (FwChannel, fw_channel, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HEARTBEAT_TIMEOUT,
  PROP_PONG_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_RESUBSCRIBE_FRACTION,
  PROP_STATE,
  N_PROPS
};

enum {
  LOST,
  GONE,
  TOPIC_REJECTED,
  WARNING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (fw-channel-error-quark, fw_channel_error)

static void connect_socket (FwChannel *self,
                            GTask     *task);
static void schedule_resubscribe (FwChannel *self);

static void
set_state (FwChannel      *self,
           FwChannelState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
warn (FwChannel  *self,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
warn (FwChannel  *self,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s: %s", self->id ? self->id : "(new channel)", message);
  g_signal_emit (self, signals[WARNING], 0, message);
}

static void
forget_connect_cancellable (FwChannel *self)
{
  g_clear_handle_id (&self->abandon_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
  self->connect_cancelled_id = 0;
  g_clear_object (&self->connect_cancellable);
}

/* Lets go of the socket; @polite sends a close frame, otherwise the socket
 * goes at once, since a dead path would never answer a close handshake.  A
 * connection attempt still under way ends as cancelled. */
static void
drop_socket (FwChannel *self,
             gboolean   polite)
{
  g_autoptr(FwSocketLink) link = g_steal_pointer (&self->link);
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->ping_sent_mono = 0;
  forget_connect_cancellable (self);

  if (link != NULL)
    fw_socket_link_close (link, polite);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The connection attempt was abandoned");
}

static void
lose_socket (FwChannel *self,
             GError    *reason,
             gint64     since_us)
{
  g_autoptr(FwChannel) hold = g_object_ref (self);

  g_debug ("%s: socket lost: %s", self->id, reason->message);
  drop_socket (self, FALSE);
  set_state (self, FW_CHANNEL_STATE_CLOSED);
  g_signal_emit (self, signals[LOST], 0, reason, since_us);
}

/* ---- The watchdog ----
 *
 * A silent socket is dead, but libsoup never notices a peer that stops
 * answering while TCP stays up.  Instead of re-arming a timer for every
 * frame (the hot path), every frame only stores its arrival time and one
 * timer checks the idle time when it could first have run out. */

static gboolean watchdog_cb (gpointer user_data);

static void
arm_watchdog (FwChannel *self,
              gint64     delay_us)
{
  guint delay_ms = (guint) CLAMP ((delay_us + 999) / 1000, 1, G_MAXUINT);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, watchdog_cb, self, NULL);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  FwChannel *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 heartbeat_us = (gint64) self->heartbeat_timeout * 1000;
  gint64 pong_us = (gint64) self->pong_timeout * 1000;

  self->watchdog_id = 0;

  if (self->ping_sent_mono != 0)
    {
      if (self->last_frame_mono >= self->ping_sent_mono)
        {
          /* Something came back after the ping: the path works. */
          self->ping_sent_mono = 0;
        }
      else if (now - self->ping_sent_mono >= pong_us)
        {
          g_autoptr(GError) error = NULL;

          error = g_error_new (FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_DEAD,
                               "No answer to a ping within %u ms: the connection is dead",
                               self->pong_timeout);
          lose_socket (self, error, self->last_frame_real);
          return G_SOURCE_REMOVE;
        }
      else
        {
          arm_watchdog (self, self->ping_sent_mono + pong_us - now);
          return G_SOURCE_REMOVE;
        }
    }

  if (now - self->last_frame_mono >= heartbeat_us)
    {
      g_debug ("%s: nothing heard for %u ms, sending a ping", self->id, self->heartbeat_timeout);
      self->ping_sent_mono = now;
      fw_socket_link_send_text (self->link, PING_TEXT);
      arm_watchdog (self, pong_us);
    }
  else
    {
      arm_watchdog (self, self->last_frame_mono + heartbeat_us - now);
    }

  return G_SOURCE_REMOVE;
}

/* ---- Socket signals ---- */

static void
handle_frame (FwChannel *self,
              int        type,
              GBytes    *message,
              gint64     received_us)
{
  g_autoptr(FwNotification) notification = NULL;
  g_autoptr(GError) error = NULL;

  self->last_frame_mono = g_get_monotonic_time ();
  self->last_frame_real = received_us;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      self->n_rejected_frames++;
      warn (self, "Ignored a binary frame of %zu bytes", g_bytes_get_size (message));
      return;
    }

  notification = fw_notification_new_from_bytes (message, received_us, &error);
  if (notification == NULL)
    {
      self->n_rejected_frames++;
      warn (self, "Ignored a frame of %zu bytes: %s", g_bytes_get_size (message), error->message);
      return;
    }

  switch (fw_notification_get_kind (notification))
    {
    case FW_NOTIFICATION_KIND_HEARTBEAT:
    case FW_NOTIFICATION_KIND_PONG:
    case FW_NOTIFICATION_KIND_CHANNEL_METADATA:
      return;

    case FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED:
      {
        g_autoptr(FwChannel) hold = g_object_ref (self);

        if (self->message_func != NULL)
          self->message_func (self, notification, self->message_data);
        g_debug ("%s: no longer subscribed", self->id);
        g_signal_emit (self, signals[GONE], 0);
        return;
      }

    case FW_NOTIFICATION_KIND_EVENT:
    case FW_NOTIFICATION_KIND_SOCKET_CLOSING:
    case FW_NOTIFICATION_KIND_TOKEN_REVOKED:
    case FW_NOTIFICATION_KIND_SYSTEM_OTHER:
    default:
      if (self->message_func != NULL)
        self->message_func (self, notification, self->message_data);
      return;
    }
}

static void
handle_closed (FwChannel           *self,
               const FwSocketEvent *event)
{
  g_autoptr(GError) error = NULL;
  gushort code = event->close_code;
  const char *data = event->close_reason;

  /* libsoup fails the connection on a frame that breaks the protocol, as
   * RFC 6455 demands (a text frame that is not UTF-8 is one): that frame is
   * refused like any other bad frame, and the channel reconnects. */
  if (event->protocol_error)
    {
      self->n_rejected_frames++;
      warn (self, "The server sent a frame that breaks the WebSocket protocol "
                  "(such as text that is not UTF-8); reconnecting");
      error = g_error_new (FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_PROTOCOL,
                           "The server broke the WebSocket protocol");
    }
  /* libsoup reports 0 when no close frame came: that is 1006. */
  else if (code == 0)
    error = g_error_new (FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_CLOSED,
                         "The connection dropped without a close frame (1006)");
  else
    error = g_error_new (FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_CLOSED,
                         "The server closed the connection (%u%s%s)",
                         code, data && *data ? ": " : "", data ? data : "");

  lose_socket (self, error, g_get_real_time ());
}

static void connect_finished (FwChannel           *self,
                              const FwSocketEvent *event);

static void
link_event_cb (FwSocketLink        *link,
               const FwSocketEvent *events,
               guint                n_events,
               gpointer             user_data)
{
  FwChannel *self = user_data;

  for (guint i = 0; i < n_events && link == self->link; i++)
    {
      const FwSocketEvent *event = &events[i];

      switch (event->kind)
        {
        case FW_SOCKET_EVENT_OPENED:
          connect_finished (self, event);
          break;

        case FW_SOCKET_EVENT_FRAME:
          handle_frame (self, event->data_type, event->data, event->received_us);
          break;

        case FW_SOCKET_EVENT_CLOSED:
          handle_closed (self, event);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- Subscribing ---- */

static JsonNode *
build_topic_list (const char * const *topics)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, topics[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
report_rejections (FwChannel *self,
                   JsonNode  *answer)
{
  JsonArray *entities;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return;

  entities = _fw_json_get_array (json_node_get_object (answer), "entities");
  if (entities == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (entities); i++)
    {
      JsonNode *node = json_array_get_element (entities, i);
      JsonObject *entity;
      const char *id;
      const char *state;
      const char *reason;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      entity = json_node_get_object (node);
      id = _fw_json_get_string (entity, "id");
      state = _fw_json_get_string (entity, "state");
      if (id == NULL || g_strcmp0 (state, "Rejected") != 0)
        continue;

      reason = _fw_json_get_string (entity, "rejectionReason");
      g_signal_emit (self, signals[TOPIC_REJECTED], 0, id,
                     reason ? reason : "rejected by the server");
    }
}

static char *
subscriptions_path (FwChannel *self)
{
  g_autofree char *escaped = g_uri_escape_string (self->id, NULL, FALSE);

  return g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions?ignoreErrors=true",
                          escaped);
}

static void
put_topics_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwChannel *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND))
        g_task_return_new_error (task, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_GONE,
                                 "The channel no longer exists");
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The answer carries no new expiry; re-subscribing gives the channel a
   * whole lifetime again, counted from now. */
  if (self->lifetime_us > 0)
    self->expires_us = g_get_real_time () + self->lifetime_us;

  report_rejections (self, answer);
  g_task_return_boolean (task, TRUE);
}

static void
put_topics (FwChannel          *self,
            const char * const *topics,
            GTask              *task)
{
  g_autofree char *path = subscriptions_path (self);
  g_autoptr(JsonNode) body = build_topic_list (topics);

  fw_api_call_async (self->api, "PUT", path, body, g_task_get_cancellable (task),
                     put_topics_cb, task);
}

void
fw_channel_subscribe_async (FwChannel           *self,
                            const char * const  *topics,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FW_IS_CHANNEL (self));
  g_return_if_fail (self->id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_channel_subscribe_async);

  if (topics != (const char * const *) self->topics)
    {
      g_strfreev (self->topics);
      self->topics = g_strdupv ((char **) topics);
    }

  put_topics (self, topics, g_steal_pointer (&task));
}

gboolean
fw_channel_subscribe_finish (FwChannel     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Keeping the channel past its 24 hours ---- */

static void
resubscribe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FwChannel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_channel_subscribe_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (g_error_matches (error, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_GONE))
        {
          g_signal_emit (self, signals[GONE], 0);
          return;
        }

      /* Try again soon; the channel still has a tenth of its life left. */
      warn (self, "Could not renew the channel: %s", error->message);
      g_clear_handle_id (&self->resubscribe_id, g_source_remove);
      schedule_resubscribe (self);
      return;
    }

  g_debug ("%s: renewed until %" G_GINT64_FORMAT, self->id, self->expires_us);
  schedule_resubscribe (self);
}

static gboolean
resubscribe_timeout_cb (gpointer user_data)
{
  FwChannel *self = user_data;

  self->resubscribe_id = 0;
  fw_channel_subscribe_async (self, (const char * const *) self->topics, self->cancellable,
                              resubscribe_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_resubscribe (FwChannel *self)
{
  gint64 now = g_get_real_time ();
  gint64 left;
  gint64 delay_ms;

  g_clear_handle_id (&self->resubscribe_id, g_source_remove);

  if (self->expires_us <= 0)
    return;

  /* Re-subscribe at resubscribe-fraction of the channel's life; after a
   * failed try, at the same fraction of what is left. */
  left = self->expires_us - now;
  if (self->lifetime_us > 0 && left > self->lifetime_us)
    left = self->lifetime_us;
  delay_ms = (gint64) (MAX (left, 0) * self->resubscribe_fraction) / 1000;
  delay_ms = CLAMP (delay_ms, 10, G_MAXUINT);

  if (delay_ms % 1000 == 0 && delay_ms >= 10000)
    self->resubscribe_id = g_timeout_add_seconds ((guint) (delay_ms / 1000),
                                                  resubscribe_timeout_cb, self);
  else
    self->resubscribe_id = g_timeout_add ((guint) delay_ms, resubscribe_timeout_cb, self);
}

/* ---- Opening ---- */

static gboolean
parse_channel (FwChannel  *self,
               JsonNode   *answer,
               GError    **error)
{
  FwEnvironment *environment = fw_api_get_environment (self->api);
  JsonObject *object;
  const char *id;
  const char *uri;
  const char *expires;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    goto invalid;

  object = json_node_get_object (answer);
  id = _fw_json_get_string (object, "id");
  uri = _fw_json_get_string (object, "connectUri");
  expires = _fw_json_get_string (object, "expires");
  if (id == NULL || *id == '\0' || uri == NULL)
    goto invalid;

  if (!fw_environment_owns_socket_uri (environment, uri))
    {
      g_set_error (error, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_UNTRUSTED_URI,
                   "The server offered a socket outside %s; not connecting",
                   fw_environment_get_name (environment));
      return FALSE;
    }

  g_free (self->id);
  self->id = g_strdup (id);
  g_free (self->connect_uri);
  self->connect_uri = g_strdup (uri);

  self->expires_us = 0;
  self->lifetime_us = 0;
  if (expires != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (expires, NULL);

      if (when != NULL)
        {
          self->expires_us = g_date_time_to_unix (when) * G_USEC_PER_SEC
                             + g_date_time_get_microsecond (when);
          self->lifetime_us = self->expires_us - g_get_real_time ();
        }
    }

  if (self->lifetime_us <= 0)
    {
      /* Genesys documents a 24 hour life; assume it if the answer does not say. */
      self->lifetime_us = (gint64) 24 * 3600 * G_USEC_PER_SEC;
      self->expires_us = g_get_real_time () + self->lifetime_us;
    }

  return TRUE;

invalid:
  g_set_error (error, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_INVALID_RESPONSE,
               "The channel answer lacks an id or a connectUri");
  return FALSE;
}

static void
open_subscribed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwChannel *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!fw_channel_subscribe_finish (self, result, &error))
    {
      set_state (self, FW_CHANNEL_STATE_CLOSED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  connect_socket (self, g_steal_pointer (&task));
}

static void
subscribe_for_open (FwChannel *self,
                    GTask     *task)
{
  set_state (self, FW_CHANNEL_STATE_SUBSCRIBING);
  fw_channel_subscribe_async (self, (const char * const *) self->topics,
                              g_task_get_cancellable (task), open_subscribed_cb, task);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwChannel *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (answer == NULL || !parse_channel (self, answer, &error))
    {
      set_state (self, FW_CHANNEL_STATE_CLOSED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s: created", self->id);
  subscribe_for_open (self, g_steal_pointer (&task));
}

void
fw_channel_open_async (FwChannel           *self,
                       const char * const  *topics,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FW_IS_CHANNEL (self));
  g_return_if_fail (topics != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_channel_open_async);

  drop_socket (self, FALSE);
  g_strfreev (self->topics);
  self->topics = g_strdupv ((char **) topics);

  if (self->id != NULL)
    {
      subscribe_for_open (self, g_steal_pointer (&task));
      return;
    }

  set_state (self, FW_CHANNEL_STATE_CREATING);
  fw_api_call_async (self->api, "POST", "/api/v2/notifications/channels", NULL,
                     cancellable, create_cb, g_steal_pointer (&task));
}

gboolean
fw_channel_open_finish (FwChannel     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Connecting the socket ---- */

static void
connect_finished (FwChannel           *self,
                  const FwSocketEvent *event)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  forget_connect_cancellable (self);
  g_assert (task != NULL);

  if (event->error != NULL)
    {
      g_clear_pointer (&self->link, fw_socket_link_unref);
      set_state (self, FW_CHANNEL_STATE_CLOSED);

      if (g_error_matches (event->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 "Connecting the socket took longer than %u ms",
                                 self->connect_timeout);
      else if (event->status == SOUP_STATUS_NOT_FOUND || event->status == SOUP_STATUS_GONE)
        g_task_return_new_error (task, FW_CHANNEL_ERROR, FW_CHANNEL_ERROR_GONE,
                                 "The channel no longer exists");
      else
        g_task_return_error (task, g_error_copy (event->error));
      return;
    }

  self->last_frame_mono = g_get_monotonic_time ();
  self->last_frame_real = g_get_real_time ();
  self->ping_sent_mono = 0;
  arm_watchdog (self, (gint64) self->heartbeat_timeout * 1000);
  schedule_resubscribe (self);

  g_debug ("%s: socket open", self->id);
  set_state (self, FW_CHANNEL_STATE_OPEN);
  g_task_return_boolean (task, TRUE);
}

static gboolean
abandon_cb (gpointer user_data)
{
  FwChannel *self = user_data;

  self->abandon_id = 0;
  drop_socket (self, FALSE);
  set_state (self, FW_CHANNEL_STATE_CLOSED);
  return G_SOURCE_REMOVE;
}

static void
connect_cancelled_cb (GCancellable *cancellable,
                      FwChannel    *self)
{
  /* Not from inside the cancellable's own signal: that would deadlock on
   * g_cancellable_disconnect(). */
  if (self->abandon_id == 0)
    self->abandon_id = g_idle_add (abandon_cb, self);
}

static void
connect_socket (FwChannel *self,
                GTask     *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (self->connect_task == NULL);
  set_state (self, FW_CHANNEL_STATE_CONNECTING);

  if (g_task_return_error_if_cancelled (task))
    {
      set_state (self, FW_CHANNEL_STATE_CLOSED);
      g_object_unref (task);
      return;
    }

  self->connect_task = task;
  if (cancellable != NULL)
    {
      self->connect_cancellable = g_object_ref (cancellable);
      self->connect_cancelled_id = g_cancellable_connect (cancellable,
                                                          G_CALLBACK (connect_cancelled_cb),
                                                          self, NULL);
    }

  self->link = fw_socket_link_new (self->connect_uri, MAX_INCOMING_PAYLOAD, link_event_cb, self);
  fw_socket_link_connect (self->link, self->connect_timeout);
}

void
fw_channel_reconnect_async (FwChannel           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FW_IS_CHANNEL (self));
  g_return_if_fail (self->connect_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_channel_reconnect_async);

  drop_socket (self, FALSE);
  connect_socket (self, task);
}

gboolean
fw_channel_reconnect_finish (FwChannel     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Closing ---- */

static void
unsubscribed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (answer == NULL && !g_error_matches (error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND))
    g_debug ("Could not remove a channel's subscriptions: %s", error->message);
}

void
fw_channel_close (FwChannel *self,
                  gboolean   unsubscribe)
{
  g_return_if_fail (FW_IS_CHANNEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->resubscribe_id, g_source_remove);

  drop_socket (self, TRUE);
  set_state (self, FW_CHANNEL_STATE_CLOSED);

  if (unsubscribe && self->id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->id, NULL, FALSE);
      g_autofree char *path = NULL;

      /* Not cancellable on purpose: it must reach the server even while the
       * channel object goes away. */
      path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", escaped);
      fw_api_call_async (self->api, "DELETE", path, NULL, NULL, unsubscribed_cb, NULL);
    }
}

void
fw_channel_ping (FwChannel *self)
{
  g_return_if_fail (FW_IS_CHANNEL (self));

  if (self->link == NULL || self->state != FW_CHANNEL_STATE_OPEN)
    return;

  self->ping_sent_mono = g_get_monotonic_time ();
  fw_socket_link_send_text (self->link, PING_TEXT);
  arm_watchdog (self, (gint64) self->pong_timeout * 1000);
}

/* ---- GObject ---- */

FwChannel *
fw_channel_new (FwApi *api)
{
  FwChannel *self;

  g_return_val_if_fail (FW_IS_API (api), NULL);

  self = g_object_new (FW_TYPE_CHANNEL, NULL);
  self->api = g_object_ref (api);
  return self;
}

FwChannel *
fw_channel_new_for_existing (FwApi      *api,
                             const char *id,
                             const char *connect_uri,
                             gint64      expires_us)
{
  FwChannel *self;

  g_return_val_if_fail (FW_IS_API (api), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (connect_uri != NULL, NULL);
  g_return_val_if_fail (fw_environment_owns_socket_uri (fw_api_get_environment (api), connect_uri),
                        NULL);

  self = fw_channel_new (api);
  self->id = g_strdup (id);
  self->connect_uri = g_strdup (connect_uri);
  /* The lifetime is not in the listing; Genesys documents 24 hours, and the
   * next subscription renews it anyway. */
  self->lifetime_us = (gint64) 24 * 3600 * G_USEC_PER_SEC;
  self->expires_us = expires_us > 0 ? expires_us : g_get_real_time () + self->lifetime_us;
  return self;
}

void
fw_channel_set_message_func (FwChannel            *self,
                             FwChannelMessageFunc  func,
                             gpointer              user_data)
{
  g_return_if_fail (FW_IS_CHANNEL (self));

  self->message_func = func;
  self->message_data = user_data;
}

FwChannelState
fw_channel_get_state (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), FW_CHANNEL_STATE_IDLE);

  return self->state;
}

const char *
fw_channel_get_id (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), NULL);

  return self->id;
}

gint64
fw_channel_get_last_frame_time (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);

  return self->last_frame_real;
}

gint64
fw_channel_get_expires (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);

  return self->expires_us;
}

guint64
fw_channel_get_n_rejected_frames (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);

  return self->n_rejected_frames;
}

static void
fw_channel_dispose (GObject *object)
{
  FwChannel *self = FW_CHANNEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->resubscribe_id, g_source_remove);
  drop_socket (self, TRUE);

  G_OBJECT_CLASS (fw_channel_parent_class)->dispose (object);
}

static void
fw_channel_finalize (GObject *object)
{
  FwChannel *self = FW_CHANNEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->connect_uri, g_free);
  g_clear_pointer (&self->topics, g_strfreev);

  G_OBJECT_CLASS (fw_channel_parent_class)->finalize (object);
}

static void
fw_channel_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FwChannel *self = FW_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HEARTBEAT_TIMEOUT:
      g_value_set_uint (value, self->heartbeat_timeout);
      break;

    case PROP_PONG_TIMEOUT:
      g_value_set_uint (value, self->pong_timeout);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_RESUBSCRIBE_FRACTION:
      g_value_set_double (value, self->resubscribe_fraction);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_channel_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FwChannel *self = FW_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HEARTBEAT_TIMEOUT:
      self->heartbeat_timeout = g_value_get_uint (value);
      break;

    case PROP_PONG_TIMEOUT:
      self->pong_timeout = g_value_get_uint (value);
      break;

    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout = g_value_get_uint (value);
      break;

    case PROP_RESUBSCRIBE_FRACTION:
      self->resubscribe_fraction = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_channel_class_init (FwChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_channel_dispose;
  object_class->finalize = fw_channel_finalize;
  object_class->get_property = fw_channel_get_property;
  object_class->set_property = fw_channel_set_property;

  properties[PROP_HEARTBEAT_TIMEOUT] =
    g_param_spec_uint ("heartbeat-timeout", NULL, NULL,
                       1, G_MAXUINT, 70000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_PONG_TIMEOUT] =
    g_param_spec_uint ("pong-timeout", NULL, NULL,
                       1, G_MAXUINT, 10000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       1, G_MAXUINT, 30000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESUBSCRIBE_FRACTION] =
    g_param_spec_double ("resubscribe-fraction", NULL, NULL,
                         0.05, 0.99, 0.9,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       FW_TYPE_CHANNEL_STATE, FW_CHANNEL_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOST] =
    g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_INT64);
  signals[GONE] =
    g_signal_new ("gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[TOPIC_REJECTED] =
    g_signal_new ("topic-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fw_channel_init (FwChannel *self)
{
  self->cancellable = g_cancellable_new ();
  self->heartbeat_timeout = 70000;
  self->pong_timeout = 10000;
  self->connect_timeout = 30000;
  self->resubscribe_fraction = 0.9;
}
