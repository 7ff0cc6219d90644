/* fuzz-notification.c — a socket frame, as the server may send it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fw_notification_new_from_data() either refuses the frame with an
 * FW_NOTIFICATION_ERROR or keeps it; a kept frame must keep every promise of
 * fw-notification.h, including that json-glib (the detail view, the body)
 * reads what simdjson accepted.
 */

#define G_LOG_DOMAIN "fuzz-notification"

#include "config.h"

#include <string.h>

#include "fw-notification.h"
#include "fuzz-target.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fw_fuzz_setup_logging ();
  return 0;
}

static void
check_string (const char *s)
{
  g_assert_nonnull (s);
  g_assert_true (g_utf8_validate (s, -1, NULL));
}

static void
check_kept (FwNotification *notification,
            const char     *data,
            gsize           size)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pretty = NULL;
  FwNotificationKind kind;
  const char *raw;
  const char *topic;
  gsize raw_len = 0;

  kind = fw_notification_get_kind (notification);
  g_assert_cmpint (kind, >=, FW_NOTIFICATION_KIND_EVENT);
  g_assert_cmpint (kind, <=, FW_NOTIFICATION_KIND_SYSTEM_OTHER);

  topic = fw_notification_get_topic (notification);
  check_string (topic);
  if (kind == FW_NOTIFICATION_KIND_HEARTBEAT || kind == FW_NOTIFICATION_KIND_PONG)
    g_assert_cmpstr (topic, ==, "channel.metadata");
  if (kind == FW_NOTIFICATION_KIND_SOCKET_CLOSING)
    g_assert_true (g_str_has_prefix (topic, "v2.system."));

  if (fw_notification_get_correlation_id (notification) != NULL)
    check_string (fw_notification_get_correlation_id (notification));
  if (fw_notification_get_version (notification) != NULL)
    check_string (fw_notification_get_version (notification));
  g_assert_cmpint (fw_notification_get_received_time (notification), ==, 42);

  /* The frame is kept exactly as received. */
  raw = fw_notification_get_raw (notification, &raw_len);
  g_assert_cmpuint (raw_len, ==, size);
  g_assert_true (size == 0 || memcmp (raw, data, size) == 0);
  bytes = fw_notification_dup_raw_bytes (notification);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, size);
  g_assert_true (size == 0 || memcmp (g_bytes_get_data (bytes, NULL), data, size) == 0);

  /* What the detail view shows: the body as an object, and the whole
   * notification pretty-printed as JSON that reads back. */
  body = fw_notification_dup_body (notification);
  g_assert_nonnull (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));

  pretty = fw_notification_dup_pretty (notification);
  g_assert_nonnull (pretty);
  g_assert_true (g_utf8_validate (pretty, -1, NULL));
  reparsed = json_from_string (pretty, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reparsed);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reparsed));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FwNotification) notification = NULL;
  g_autoptr(FwNotification) again = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_again = NULL;

  notification = fw_notification_new_from_data ((const char *) data, size, 42, &error);

  /* The GBytes entry point decides the same way. */
  frame = g_bytes_new (data, size);
  again = fw_notification_new_from_bytes (frame, 42, &error_again);
  g_assert_true ((notification == NULL) == (again == NULL));

  if (notification == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FW_NOTIFICATION_ERROR);
      check_string (error->message);
      g_assert_nonnull (error_again);
      g_assert_cmpint (error_again->code, ==, error->code);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_no_error (error_again);
  check_kept (notification, (const char *) data, size);
  g_assert_cmpint (fw_notification_get_kind (again), ==, fw_notification_get_kind (notification));
  g_assert_cmpstr (fw_notification_get_topic (again), ==, fw_notification_get_topic (notification));
  g_assert_cmpstr (fw_notification_get_correlation_id (again), ==,
                   fw_notification_get_correlation_id (notification));

  return 0;
}
