/* fw-notification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-notification"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fw-frame-pool.h"
#include "fw-json-scan.h"
#include "fw-notification.h"

/* A retained notification costs what its frame costs and little more: the
 * block (from fw-frame-pool.c) has FW_JSON_SCAN_PADDING bytes after the frame
 * while it is parsed, then only the CorrelationId and version (about 40
 * bytes).  The topic, the same for many notifications, is shared (an
 * interned GRefString). */

struct _FwNotification
{
  GObject             parent_instance;

  /* One block: the frame as received, a NUL, then the CorrelationId and
   * the version, each NUL-terminated.  The parser reads it in place, so a
   * frame is copied once. */
  char               *block;
  char               *topic;                  /* a GRefString */
  gint64              received_us;
  guint32             length;
  guint32             correlation_id_offset;  /* 0: none */
  guint32             version_offset;         /* 0: none */
  FwNotificationKind  kind;
};

G_DEFINE_FINAL_TYPE (FwNotification, fw_notification, G_TYPE_OBJECT)

G_DEFINE_QUARK (fw-notification-error-quark, fw_notification_error)

static gboolean
has_prefix (const char *s,
            gsize       len,
            const char *prefix,
            gsize       prefix_len)
{
  return len >= prefix_len && memcmp (s, prefix, prefix_len) == 0;
}

#define HAS_PREFIX(s, len, lit) has_prefix ((s), (len), lit, sizeof lit - 1)
#define EQUALS(s, len, lit) ((len) == sizeof lit - 1 && memcmp ((s), lit, sizeof lit - 1) == 0)

static FwNotificationKind
classify (const FwJsonEnvelope *envelope)
{
  const char *topic = envelope->topic;
  gsize len = envelope->topic_len;

  if (EQUALS (topic, len, "channel.metadata"))
    {
      if (envelope->message == NULL)
        return FW_NOTIFICATION_KIND_CHANNEL_METADATA;
      if (EQUALS (envelope->message, envelope->message_len, "WebSocket Heartbeat"))
        return FW_NOTIFICATION_KIND_HEARTBEAT;
      if (EQUALS (envelope->message, envelope->message_len, "pong"))
        return FW_NOTIFICATION_KIND_PONG;
      return FW_NOTIFICATION_KIND_CHANNEL_METADATA;
    }

  if (!HAS_PREFIX (topic, len, "v2.system."))
    return FW_NOTIFICATION_KIND_EVENT;

  if (EQUALS (topic, len, "v2.system.socket_closing"))
    return FW_NOTIFICATION_KIND_SOCKET_CLOSING;
  /* The suffix is the channel id (no_longer_subscribed) or the token's
   * subject (token_revoked); accept the bare topic too. */
  if (EQUALS (topic, len, "v2.system.no_longer_subscribed") ||
      HAS_PREFIX (topic, len, "v2.system.no_longer_subscribed."))
    return FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED;
  if (EQUALS (topic, len, "v2.system.token_revoked") ||
      HAS_PREFIX (topic, len, "v2.system.token_revoked."))
    return FW_NOTIFICATION_KIND_TOKEN_REVOKED;

  return FW_NOTIFICATION_KIND_SYSTEM_OTHER;
}

static gboolean
check_envelope (const FwJsonEnvelope  *envelope,
                GError               **error)
{
  if (envelope->topic == NULL)
    {
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MISSING_FIELD,
                           _("Notification has no string “topicName”"));
      return FALSE;
    }

  if (!envelope->has_body)
    {
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MISSING_FIELD,
                           _("Notification has no “eventBody”"));
      return FALSE;
    }

  if (!envelope->body_is_object)
    {
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MISSING_FIELD,
                           _("Notification “eventBody” is not an object"));
      return FALSE;
    }

  /* The strings are handed out NUL-terminated; an escaped NUL inside one
   * would silently shorten it. */
  if (memchr (envelope->topic, '\0', envelope->topic_len) != NULL ||
      (envelope->correlation_id != NULL &&
       memchr (envelope->correlation_id, '\0', envelope->correlation_id_len) != NULL) ||
      (envelope->version != NULL &&
       memchr (envelope->version, '\0', envelope->version_len) != NULL))
    {
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MALFORMED,
                           _("Notification envelope contains a NUL character"));
      return FALSE;
    }

  return TRUE;
}

static void
set_scan_error (FwJsonScanResult        result,
                const FwJsonEnvelope   *envelope,
                GError                **error)
{
  switch (result)
    {
    case FW_JSON_SCAN_NOT_UTF8:
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_NOT_UTF8,
                           _("Notification frame is not valid UTF-8"));
      break;

    case FW_JSON_SCAN_NOT_OBJECT:
      g_set_error_literal (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MALFORMED,
                           _("Notification frame is not a JSON object"));
      break;

    case FW_JSON_SCAN_NO_MEMORY:
    case FW_JSON_SCAN_MALFORMED:
    case FW_JSON_SCAN_OK:
    default:
      g_set_error (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_MALFORMED,
                   _("Notification frame is not valid JSON: %s"),
                   envelope->error_detail ? _(envelope->error_detail) : _("unknown error"));
      break;
    }
}

static void
fw_notification_finalize (GObject *object)
{
  FwNotification *self = (FwNotification *)object;

  fw_frame_pool_free (self->block);
  g_clear_pointer (&self->topic, g_ref_string_release);

  G_OBJECT_CLASS (fw_notification_parent_class)->finalize (object);
}

static void
fw_notification_class_init (FwNotificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_notification_finalize;
  /* No properties: a class with properties makes every g_object_new()
   * freeze and thaw a notify queue, which costs more than the parse of a
   * small frame.  Views use the getters through closures. */
}

static void
fw_notification_init (FwNotification *self)
{
}

static char *
append_string (char       *p,
               const char *s,
               gsize       len)
{
  memcpy (p, s, len);
  p[len] = '\0';
  return p + len + 1;
}

/* A GRefString equal to @len bytes at @s, shared with every other
 * notification of the topic while one is alive. */
static char *
intern (const char *s,
        gsize       len)
{
  char small[256];
  g_autofree char *large = NULL;
  char *copy = small;

  if (len >= sizeof small)
    copy = large = g_malloc (len + 1);
  memcpy (copy, s, len);
  copy[len] = '\0';
  return g_ref_string_new_intern (copy);
}

FwNotification *
fw_notification_new_from_data (const char  *data,
                               gsize        length,
                               gint64       received_us,
                               GError     **error)
{
  FwJsonEnvelope envelope;
  FwJsonScanResult result;
  FwNotification *self;
  char *block;
  char *outgrown = NULL;
  char *topic = NULL;
  gsize capacity;
  gsize needed;
  char *p;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > FW_NOTIFICATION_MAX_SIZE)
    {
      g_set_error (error, FW_NOTIFICATION_ERROR, FW_NOTIFICATION_ERROR_TOO_LARGE,
                   _("Notification frame of %lu bytes is larger than the limit of %d bytes"),
                   (gulong) length, FW_NOTIFICATION_MAX_SIZE);
      return NULL;
    }

  capacity = length + FW_JSON_SCAN_PADDING;
  block = fw_frame_pool_alloc (capacity);
  if (length > 0)
    memcpy (block, data, length);
  /* simdjson's results never depend on the padding, but it does read it;
   * zero it as simdjson's own padded strings do. */
  memset (block + length, 0, FW_JSON_SCAN_PADDING);

  result = fw_json_scan_envelope (block, length, &envelope);
  if (result != FW_JSON_SCAN_OK)
    {
      set_scan_error (result, &envelope, error);
      fw_json_scan_trim ();
      fw_frame_pool_free (block);
      return NULL;
    }

  if (!check_envelope (&envelope, error))
    {
      fw_json_scan_trim ();
      fw_frame_pool_free (block);
      return NULL;
    }

  topic = intern (envelope.topic, envelope.topic_len);

  needed = length + 1;
  if (envelope.correlation_id != NULL)
    needed += envelope.correlation_id_len + 1;
  if (envelope.version != NULL)
    needed += envelope.version_len + 1;
  if (needed > capacity)
    {
      /* The envelope's strings may point into the block: keep it until
       * they are copied. */
      char *larger = fw_frame_pool_alloc (needed);

      memcpy (larger, block, length);
      outgrown = block;
      block = larger;
      capacity = needed;
    }

  self = g_object_new (FW_TYPE_NOTIFICATION, NULL);
  self->topic = g_steal_pointer (&topic);
  self->length = (guint32) length;
  self->received_us = received_us;
  self->kind = classify (&envelope);

  block[length] = '\0';
  p = block + length + 1;
  if (envelope.correlation_id != NULL)
    {
      self->correlation_id_offset = (guint32) (p - block);
      p = append_string (p, envelope.correlation_id, envelope.correlation_id_len);
    }
  if (envelope.version != NULL)
    {
      self->version_offset = (guint32) (p - block);
      p = append_string (p, envelope.version, envelope.version_len);
    }
  g_assert ((gsize) (p - block) == needed);

  fw_frame_pool_shrink (block, capacity, needed);
  fw_frame_pool_free (outgrown);
  self->block = block;

  fw_json_scan_trim ();

  return self;
}

FwNotification *
fw_notification_new_from_bytes (GBytes  *frame,
                                gint64   received_us,
                                GError **error)
{
  gconstpointer data;
  gsize length;

  g_return_val_if_fail (frame != NULL, NULL);

  data = g_bytes_get_data (frame, &length);
  return fw_notification_new_from_data (data, length, received_us, error);
}

FwNotificationKind
fw_notification_get_kind (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), FW_NOTIFICATION_KIND_EVENT);

  return self->kind;
}

const char *
fw_notification_get_topic (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  return self->topic;
}

const char *
fw_notification_get_correlation_id (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  return self->correlation_id_offset ? self->block + self->correlation_id_offset : NULL;
}

const char *
fw_notification_get_version (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  return self->version_offset ? self->block + self->version_offset : NULL;
}

gint64
fw_notification_get_received_time (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), 0);

  return self->received_us;
}

const char *
fw_notification_get_raw (FwNotification *self,
                         gsize          *length)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  if (length != NULL)
    *length = self->length;

  return self->block;
}

GBytes *
fw_notification_dup_raw_bytes (FwNotification *self)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  /* The notification is immutable: lend its frame instead of copying it. */
  return g_bytes_new_with_free_func (self->block, self->length,
                                     g_object_unref, g_object_ref (self));
}

static JsonNode *
parse_frame (FwNotification *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, self->block, self->length, &error))
    {
      /* The frame passed a stricter validation when it arrived. */
      g_critical ("json-glib refuses a validated notification: %s", error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  g_assert (root != NULL && JSON_NODE_HOLDS_OBJECT (root));

  return json_node_ref (root);
}

JsonNode *
fw_notification_dup_body (FwNotification *self)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  root = parse_frame (self);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  g_assert (json_object_has_member (object, "eventBody"));

  return json_object_dup_member (object, "eventBody");
}

char *
fw_notification_dup_pretty (FwNotification *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (FW_IS_NOTIFICATION (self), NULL);

  root = parse_frame (self);
  if (root == NULL)
    return NULL;

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_indent_char (generator, ' ');
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
