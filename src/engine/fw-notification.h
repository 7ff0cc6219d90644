/* fw-notification.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FW_NOTIFICATION_ERROR (fw_notification_error_quark ())

typedef enum
{
  FW_NOTIFICATION_ERROR_MALFORMED,     /* not one JSON object */
  FW_NOTIFICATION_ERROR_NOT_UTF8,
  FW_NOTIFICATION_ERROR_TOO_LARGE,     /* over FW_NOTIFICATION_MAX_SIZE */
  FW_NOTIFICATION_ERROR_MISSING_FIELD, /* no string topicName, or no object eventBody */
} FwNotificationError;

/* Frames larger than this are refused before they are looked at. */
#define FW_NOTIFICATION_MAX_SIZE (1024 * 1024)

typedef enum
{
  FW_NOTIFICATION_KIND_EVENT,                 /* anything a supervisor subscribed to */
  FW_NOTIFICATION_KIND_HEARTBEAT,             /* channel.metadata "WebSocket Heartbeat" */
  FW_NOTIFICATION_KIND_PONG,                  /* channel.metadata "pong" */
  FW_NOTIFICATION_KIND_CHANNEL_METADATA,      /* other channel.metadata */
  FW_NOTIFICATION_KIND_SOCKET_CLOSING,        /* v2.system.socket_closing */
  FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED,  /* v2.system.no_longer_subscribed.* */
  FW_NOTIFICATION_KIND_TOKEN_REVOKED,         /* v2.system.token_revoked.* */
  FW_NOTIFICATION_KIND_SYSTEM_OTHER,          /* any other v2.system.* */
} FwNotificationKind;

#define FW_TYPE_NOTIFICATION (fw_notification_get_type ())

G_DECLARE_FINAL_TYPE (FwNotification, fw_notification, FW, NOTIFICATION, GObject)

GQuark              fw_notification_error_quark          (void);

/* Validates the whole frame (JSON syntax, UTF-8, size) and reads the envelope:
 * topicName, version, metadata.CorrelationId, and for channel.metadata the
 * eventBody.message.  The frame is kept as received (one copy, exact size). */
FwNotification     *fw_notification_new_from_data        (const char      *data,
                                                          gsize            length,
                                                          gint64           received_us,
                                                          GError         **error);
FwNotification     *fw_notification_new_from_bytes       (GBytes          *frame,
                                                          gint64           received_us,
                                                          GError         **error);
FwNotificationKind  fw_notification_get_kind             (FwNotification  *self);
const char         *fw_notification_get_topic            (FwNotification  *self);
/* May be NULL (heartbeats have no metadata). */
const char         *fw_notification_get_correlation_id   (FwNotification  *self);
/* May be NULL. */
const char         *fw_notification_get_version          (FwNotification  *self);
/* Wall-clock time of arrival, g_get_real_time() units. */
gint64              fw_notification_get_received_time    (FwNotification  *self);
/* The frame exactly as received. */
const char         *fw_notification_get_raw              (FwNotification  *self,
                                                          gsize           *length);
GBytes             *fw_notification_dup_raw_bytes        (FwNotification  *self);
/* eventBody parsed on demand (json-glib); never NULL for a valid notification. */
JsonNode           *fw_notification_dup_body             (FwNotification  *self);
/* The whole notification pretty-printed (two-space indent), for the detail view. */
char               *fw_notification_dup_pretty           (FwNotification  *self);

G_END_DECLS
