/* fw-channel.h — one Genesys notification channel and its socket (internal to the engine).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-api.h"
#include "fw-notification.h"

G_BEGIN_DECLS

typedef enum
{
  FW_CHANNEL_STATE_IDLE,
  FW_CHANNEL_STATE_CREATING,
  FW_CHANNEL_STATE_SUBSCRIBING,
  FW_CHANNEL_STATE_CONNECTING,
  FW_CHANNEL_STATE_OPEN,
  FW_CHANNEL_STATE_CLOSED,
} FwChannelState;

#define FW_CHANNEL_ERROR (fw_channel_error_quark ())

typedef enum
{
  FW_CHANNEL_ERROR_GONE,            /* the channel no longer exists on the server */
  FW_CHANNEL_ERROR_UNTRUSTED_URI,   /* connectUri outside the environment */
  FW_CHANNEL_ERROR_INVALID_RESPONSE,
  FW_CHANNEL_ERROR_CLOSED,          /* the socket closed (close frame or none) */
  FW_CHANNEL_ERROR_DEAD,            /* no pong after a ping: the path is dead */
  FW_CHANNEL_ERROR_PROTOCOL,        /* the server broke RFC 6455 (e.g. text that is not UTF-8) */
} FwChannelError;

#define FW_TYPE_CHANNEL (fw_channel_get_type ())

G_DECLARE_FINAL_TYPE (FwChannel, fw_channel, FW, CHANNEL, GObject)

/* Called for every valid frame that is not a heartbeat or a pong, in order.
 * A direct call rather than a signal: this is the hot path. */
typedef void (*FwChannelMessageFunc) (FwChannel      *channel,
                                      FwNotification *notification,
                                      gpointer        user_data);

GQuark              fw_channel_error_quark        (void);

FwChannel          *fw_channel_new                (FwApi                *api);
/* A channel created earlier (by a previous run), to be subscribed and
 * connected again with fw_channel_open_async(). */
FwChannel          *fw_channel_new_for_existing   (FwApi                *api,
                                                   const char           *id,
                                                   const char           *connect_uri,
                                                   gint64                expires_us);
void                fw_channel_set_message_func   (FwChannel            *self,
                                                   FwChannelMessageFunc  func,
                                                   gpointer              user_data);
/* Creates the channel on the server (or, for a channel that already has an
 * id, checks that it still exists), subscribes @topics and connects the socket.
 * Finishes once the socket is open; FW_CHANNEL_ERROR_GONE when an existing
 * channel is no longer known to the server. */
void                fw_channel_open_async         (FwChannel            *self,
                                                   const char * const   *topics,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            fw_channel_open_finish        (FwChannel            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Connects a new socket to the same channel after a drop. */
void                fw_channel_reconnect_async    (FwChannel            *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            fw_channel_reconnect_finish   (FwChannel            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Replaces the subscribed topic list (PUT). */
void                fw_channel_subscribe_async    (FwChannel            *self,
                                                   const char * const   *topics,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            fw_channel_subscribe_finish   (FwChannel            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Closes the socket; with @unsubscribe also removes the channel's
 * subscriptions on the server so that it stops sending events. */
void                fw_channel_close              (FwChannel            *self,
                                                   gboolean              unsubscribe);
/* Sends {"message":"ping"} now (the watchdog does this by itself). */
void                fw_channel_ping               (FwChannel            *self);
FwChannelState      fw_channel_get_state          (FwChannel            *self);
const char         *fw_channel_get_id             (FwChannel            *self);
/* Wall-clock time of the last frame received, 0 before the first. */
gint64              fw_channel_get_last_frame_time (FwChannel           *self);
/* Wall-clock expiry the server gave, 0 if unknown. */
gint64              fw_channel_get_expires        (FwChannel            *self);
guint64             fw_channel_get_n_rejected_frames (FwChannel         *self);

/* Properties: "heartbeat-timeout", "pong-timeout" (guint ms), "resubscribe-fraction" (double).
 * Signals:
 *   "lost" (GError *reason, gint64 since_us)  the open socket died; events may be
 *          missing since @since_us (wall clock)
 *   "gone"                                    the server no longer knows the channel
 *   "topic-rejected" (const char *topic, const char *reason)
 *   "warning" (const char *message) */

G_END_DECLS
