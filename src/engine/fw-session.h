/* fw-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fw-api.h"
#include "fw-notification.h"
#include "fw-gap.h"

G_BEGIN_DECLS

#define FW_SESSION_ERROR (fw_session_error_quark ())

typedef enum
{
  FW_SESSION_ERROR_TOO_MANY_TOPICS,      /* more than max-channels × max-topics-per-channel */
  FW_SESSION_ERROR_CREDENTIALS,          /* the token grant answered invalid_client */
  FW_SESSION_ERROR_FAILED,
  FW_SESSION_ERROR_EVICTED,              /* channels taken by another user of the client */
} FwSessionError;

typedef enum
{
  FW_SESSION_STATE_OFFLINE,        /* not started, or stopped */
  FW_SESSION_STATE_CONNECTING,     /* first connection in progress */
  FW_SESSION_STATE_LIVE,           /* every wanted topic has a live socket */
  FW_SESSION_STATE_RECONNECTING,   /* waiting until "next-attempt-time", or reconnecting */
  FW_SESSION_STATE_NO_NETWORK,     /* GNetworkMonitor says offline; no retry loop */
  FW_SESSION_STATE_AUTH_FAILED,    /* credentials rejected: fatal until fixed */
  FW_SESSION_STATE_FAILED,         /* other fatal error, see fw_session_get_error() */
  FW_SESSION_STATE_EVICTED,        /* another program on the same OAuth client keeps taking
                                    * our channels; retrying slowly instead of fighting */
} FwSessionState;

#define FW_TYPE_SESSION (fw_session_get_type ())

G_DECLARE_FINAL_TYPE (FwSession, fw_session, FW, SESSION, GObject)

GQuark              fw_session_error_quark          (void);

FwSession          *fw_session_new                  (FwApi               *api);
FwApi              *fw_session_get_api              (FwSession           *self);
/* Replaces the wanted topic set; the session shards it over channels and
 * subscribes only what changed. */
void                fw_session_set_topics           (FwSession           *self,
                                                     const char * const  *topics);
const char * const *fw_session_get_topics           (FwSession           *self);
void                fw_session_start                (FwSession           *self);
/* Closes every socket and deletes our channels' subscriptions. */
void                fw_session_stop                 (FwSession           *self);
/* Skips the rest of a reconnect wait. */
void                fw_session_reconnect_now        (FwSession           *self);
FwSessionState      fw_session_get_state            (FwSession           *self);
/* Wall-clock time (g_get_real_time() units) of the next attempt while
 * RECONNECTING, 0 otherwise. */
gint64              fw_session_get_next_attempt_time (FwSession          *self);
/* The error behind AUTH_FAILED or FAILED (or the last transient error). */
const GError       *fw_session_get_error            (FwSession           *self);
guint               fw_session_get_n_channels       (FwSession           *self);
/* Frames refused as malformed, binary, not UTF-8, too large, or lacking fields. */
guint64             fw_session_get_n_rejected_frames (FwSession          *self);
guint64             fw_session_get_n_duplicates     (FwSession           *self);

/* Properties (all durations in milliseconds):
 *   "heartbeat-timeout"   guint, default 70000: no frame for this long → send a ping
 *   "pong-timeout"        guint, default 10000: no frame after the ping → reconnect
 *   "resubscribe-fraction" double, default 0.9: re-subscribe at this share of a channel's life
 *   "backoff-initial"     guint, default 1000; "backoff-cap" guint, default 60000;
 *   "backoff-stable"      guint, default 60000 (reset after this long up)
 *   "max-topics-per-channel" guint, default 1000; "max-channels" guint, default 20
 *   "network-monitor"     GNetworkMonitor*, default g_network_monitor_get_default()
 *   "channel-ids"         GStrv: the channels this session holds on the server.  Set it
 *                         before fw_session_start() to the value of a previous run to
 *                         take those channels back instead of creating new ones (keep it
 *                         where secrets go: a channel id lets anyone read the feed).
 *   "eviction-threshold"  guint, default 3: that many of our channels gone within
 *   "eviction-window"     guint ms, default 600000, means another program takes them:
 *                         state EVICTED, and new channels only after
 *   "eviction-backoff"    guint ms, default 300000 (growing, with jitter)
 *   "state", "next-attempt-time", "n-channels" (read-only, notify)
 *
 * Signals:
 *   "notification" (FwNotification *)   every event once (duplicates dropped);
 *                                        heartbeats, pongs and system messages are not emitted
 *   "gap" (FwGap *)                      events of the gap's topics may have been missed
 *   "topic-rejected" (const char *topic, const char *reason)
 *   "warning" (const char *message)      a bad frame, an unexpected answer: the feed goes on
 */

G_END_DECLS
