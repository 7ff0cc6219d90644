/* test-notification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-frame-pool.h"
#include "fw-test-util.h"

typedef struct
{
  const char         *file;
  FwNotificationKind  kind;
  const char         *topic;
  const char         *correlation_id;
  const char         *version;
} Sample;

/* Values copied from the sample payloads by hand, so that the parser is
 * checked against the documents and not against itself. */
static const Sample samples[] = {
  { "sample-detail-acd-start.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.detail.events.conversation.eea630fc-c69a-4f39-a9d3-f450e60b32ea.acd.start",
    "c4f7e0a2-5b8d-4e1f-9a63-2d7b0c18e954", "2" },
  { "sample-queue-conversations.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.routing.queues.cb586cb1-0434-417f-b36f-0b602bb1ecee.conversations",
    "eaa605bf-7833-4987-8877-2a794dc8df43", "2" },
  { "sample-queue-members.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.routing.queues.8ba53579-3b98-46bd-81e5-43b8c8918e02.users",
    "3df994e2-1781-4888-8e4b-27164f3c7837", "2" },
  { "sample-queue-observations-users.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.analytics.queues.cb586cb1-0434-417f-b36f-0b602bb1ecee.observations",
    "4b30d2a0-5750-4d38-8453-24b8bb6d00ad", "2" },
  { "sample-queue-observations.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.analytics.queues.cb586cb1-0434-417f-b36f-0b602bb1ecee.observations",
    "660949c5-ea69-40d1-8c84-f8a1ed464425", "2" },
  { "sample-system-no-longer-subscribed.json", FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED,
    "v2.system.no_longer_subscribed.streaming-3-4q7t2h8k1m0c5v9b3n6x2z8p1r",
    "98c69a18-7e06-425b-8cf0-dfea1a8b41d7", "2" },
  { "sample-system-socket-closing.json", FW_NOTIFICATION_KIND_SOCKET_CLOSING,
    "v2.system.socket_closing",
    "dc6ec58a-12c9-4c66-9c1f-2537a5094cec", "2" },
  { "sample-user-activity.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.users.76d4514d-9310-4d6f-9786-8e96377d8129.activity",
    "a5c97194-5967-42ce-a37e-d6b6f42e1f62", "2" },
  { "sample-user-presence.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.users.76d4514d-9310-4d6f-9786-8e96377d8129.presence",
    "48497422-a0ff-4597-83d4-b80e49ef7723", "2" },
  { "sample-user-routingstatus.json", FW_NOTIFICATION_KIND_EVENT,
    "v2.users.76d4514d-9310-4d6f-9786-8e96377d8129.routingStatus",
    "c7445f4e-56e1-4131-bd0b-b4b0659e9ea1", "2" },
  { "heartbeat.json", FW_NOTIFICATION_KIND_HEARTBEAT, "channel.metadata", NULL, NULL },
  { "pong.json", FW_NOTIFICATION_KIND_PONG, "channel.metadata", NULL, NULL },
  { "token-revoked.json", FW_NOTIFICATION_KIND_TOKEN_REVOKED,
    "v2.system.token_revoked.b38f7a8e-349c-4864-a501-4d5adf1be1a7",
    "0b1d7e0e-8a7c-4a55-9a8c-6f7c3c1e2d10", "2" },
};

typedef struct
{
  const char *file;
  int         code;
} BadFrame;

static const BadFrame bad_frames[] = {
  { "bad-body-not-object.json", FW_NOTIFICATION_ERROR_MISSING_FIELD },
  { "bad-deep-nesting.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-duplicate-topic.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-empty.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-missing-topic.json", FW_NOTIFICATION_ERROR_MISSING_FIELD },
  { "bad-nan.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-top-level-array.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-trailing-comma.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-trailing-garbage.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-truncated.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-two-documents.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-unquoted-key.json", FW_NOTIFICATION_ERROR_MALFORMED },
  { "bad-utf8-continuation.json", FW_NOTIFICATION_ERROR_NOT_UTF8 },
  { "bad-utf8-overlong.json", FW_NOTIFICATION_ERROR_NOT_UTF8 },
  { "bad-utf8-surrogate.json", FW_NOTIFICATION_ERROR_NOT_UTF8 },
  { "bad-whitespace.json", FW_NOTIFICATION_ERROR_MALFORMED },
};

#define PRESENCE_TOPIC "v2.users.76d4514d-9310-4d6f-9786-8e96377d8129.presence"
#define PRESENCE_ID    "48497422-a0ff-4597-83d4-b80e49ef7723"

static char *
corpus_path (const char *file)
{
  const char *srcdir = g_getenv ("FW_TEST_SRCDIR");

  g_assert_nonnull (srcdir);
  return g_build_filename (srcdir, "corpus", "notification", file, NULL);
}

static GBytes *
load_corpus (const char *file)
{
  g_autofree char *path = corpus_path (file);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static FwNotification *
parse_ok (const char *data,
          gssize      length)
{
  g_autoptr(GError) error = NULL;
  FwNotification *n;

  if (length < 0)
    length = strlen (data);

  n = fw_notification_new_from_data (data, length, 1234, &error);
  g_assert_no_error (error);
  g_assert_true (FW_IS_NOTIFICATION (n));
  return n;
}

static void
assert_refused (const char *data,
                gsize       length,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwNotification) n = NULL;

  n = fw_notification_new_from_data (data, length, 0, &error);
  g_assert_null (n);
  g_assert_error (error, FW_NOTIFICATION_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
check_sample (FwNotification *n,
              const Sample   *sample)
{
  g_assert_cmpint (fw_notification_get_kind (n), ==, sample->kind);
  g_assert_cmpstr (fw_notification_get_topic (n), ==, sample->topic);
  g_assert_cmpstr (fw_notification_get_correlation_id (n), ==, sample->correlation_id);
  g_assert_cmpstr (fw_notification_get_version (n), ==, sample->version);
}

static void
test_samples (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GBytes) frame = load_corpus (samples[i].file);
      g_autoptr(FwNotification) n = NULL;
      g_autoptr(GError) error = NULL;
      const char *raw;
      gsize raw_len;

      g_test_message ("%s", samples[i].file);
      n = fw_notification_new_from_bytes (frame, 42, &error);
      g_assert_no_error (error);
      check_sample (n, &samples[i]);
      g_assert_cmpint (fw_notification_get_received_time (n), ==, 42);

      /* The frame is kept exactly as received. */
      raw = fw_notification_get_raw (n, &raw_len);
      g_assert_cmpmem (raw, raw_len, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
    }
}

/* The same samples pretty-printed: whitespace between tokens is no problem. */
static void
test_samples_pretty (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GBytes) frame = load_corpus (samples[i].file);
      g_autoptr(FwNotification) minified = NULL;
      g_autoptr(FwNotification) n = NULL;
      g_autofree char *pretty = NULL;

      minified = fw_notification_new_from_bytes (frame, 0, NULL);
      g_assert_nonnull (minified);
      pretty = fw_notification_dup_pretty (minified);
      g_assert_nonnull (strchr (pretty, '\n'));

      n = parse_ok (pretty, -1);
      check_sample (n, &samples[i]);
    }
}

static void
test_corpus_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_frames); i++)
    {
      g_autoptr(GBytes) frame = load_corpus (bad_frames[i].file);

      g_test_message ("%s", bad_frames[i].file);
      assert_refused (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                      bad_frames[i].code);
    }
}

/* Every file of the seed corpus is named in one of the two tables, so that
 * the fuzzing seeds and the unit tests cannot drift apart. */
static void
test_corpus_complete (void)
{
  g_autofree char *dir_path = corpus_path (NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        known |= g_str_equal (name, samples[i].file);
      for (guint i = 0; i < G_N_ELEMENTS (bad_frames); i++)
        known |= g_str_equal (name, bad_frames[i].file);

      if (!known)
        g_error ("corpus file %s is not in the test tables", name);
      n_files++;
    }

  g_assert_cmpuint (n_files, ==, G_N_ELEMENTS (samples) + G_N_ELEMENTS (bad_frames));
}

static void
test_kinds (void)
{
  static const struct {
    const char         *frame;
    FwNotificationKind  kind;
  } cases[] = {
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}",
      FW_NOTIFICATION_KIND_HEARTBEAT },
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}",
      FW_NOTIFICATION_KIND_PONG },
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"Pong\"}}",
      FW_NOTIFICATION_KIND_CHANNEL_METADATA },
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_CHANNEL_METADATA },
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":7}}",
      FW_NOTIFICATION_KIND_CHANNEL_METADATA },
    /* An escaped heartbeat message is still a heartbeat. */
    { "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket\\u0020Heartbeat\"}}",
      FW_NOTIFICATION_KIND_HEARTBEAT },
    { "{\"topicName\":\"v2.system.socket_closing\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_SOCKET_CLOSING },
    { "{\"topicName\":\"v2.system.socket_closing.x\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_SYSTEM_OTHER },
    { "{\"topicName\":\"v2.system.no_longer_subscribed.streaming-1\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_NO_LONGER_SUBSCRIBED },
    { "{\"topicName\":\"v2.system.token_revoked.abc\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_TOKEN_REVOKED },
    { "{\"topicName\":\"v2.system.subscription_changed\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_SYSTEM_OTHER },
    { "{\"topicName\":\"v2.systemx\",\"eventBody\":{}}",
      FW_NOTIFICATION_KIND_EVENT },
    { "{\"topicName\":\"channel.metadatax\",\"eventBody\":{\"message\":\"pong\"}}",
      FW_NOTIFICATION_KIND_EVENT },
    /* The message only matters on channel.metadata. */
    { "{\"topicName\":\"v2.users.x.presence\",\"eventBody\":{\"message\":\"pong\"}}",
      FW_NOTIFICATION_KIND_EVENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FwNotification) n = parse_ok (cases[i].frame, -1);

      g_test_message ("%s", cases[i].frame);
      g_assert_cmpint (fw_notification_get_kind (n), ==, cases[i].kind);
    }
}

static void
test_envelope_fields (void)
{
  g_autoptr(FwNotification) n = NULL;

  /* A numeric version is written out; a missing one is NULL. */
  n = parse_ok ("{\"topicName\":\"t\",\"version\":2,\"eventBody\":{}}", -1);
  g_assert_cmpstr (fw_notification_get_version (n), ==, "2");
  g_assert_null (fw_notification_get_correlation_id (n));
  g_clear_object (&n);

  n = parse_ok ("{\"topicName\":\"t\",\"version\":-3,\"eventBody\":{}}", -1);
  g_assert_cmpstr (fw_notification_get_version (n), ==, "-3");
  g_clear_object (&n);

  n = parse_ok ("{\"topicName\":\"t\",\"version\":2.5,\"eventBody\":{}}", -1);
  g_assert_cmpstr (fw_notification_get_version (n), ==, "2.5");
  g_clear_object (&n);

  n = parse_ok ("{\"topicName\":\"t\",\"version\":null,\"eventBody\":{},"
                "\"metadata\":{\"CorrelationId\":42}}", -1);
  g_assert_null (fw_notification_get_version (n));
  g_assert_null (fw_notification_get_correlation_id (n));
  g_clear_object (&n);

  /* The key is CorrelationId with a capital C, nothing else. */
  n = parse_ok ("{\"topicName\":\"t\",\"eventBody\":{},"
                "\"metadata\":{\"correlationId\":\"a\"}}", -1);
  g_assert_null (fw_notification_get_correlation_id (n));
  g_clear_object (&n);

  /* Escapes are decoded, member order does not matter, unknown members are kept. */
  n = parse_ok ("{\"metadata\":{\"x\":[1,2],\"CorrelationId\":\"c\\u00e9\"},\"extra\":true,"
                "\"eventBody\":{\"a\":1},\"version\":\"2\",\"topicName\":\"v2.\\u0075sers\"}", -1);
  g_assert_cmpstr (fw_notification_get_topic (n), ==, "v2.users");
  g_assert_cmpstr (fw_notification_get_correlation_id (n), ==, "c\xc3\xa9");
  g_assert_cmpstr (fw_notification_get_version (n), ==, "2");
  g_assert_cmpint (fw_notification_get_kind (n), ==, FW_NOTIFICATION_KIND_EVENT);
  g_clear_object (&n);

  /* A long topic does not fit the usual reserve after the frame. */
  {
    g_autoptr(GString) frame = g_string_new ("{\"topicName\":\"");
    g_autofree char *topic = g_strnfill (5000, 'q');

    g_string_append_printf (frame, "%s\",\"eventBody\":{},\"metadata\":"
                            "{\"CorrelationId\":\"%s\"},\"version\":\"%s\"}",
                            topic, topic, topic);
    n = parse_ok (frame->str, frame->len);
    g_assert_cmpstr (fw_notification_get_topic (n), ==, topic);
    g_assert_cmpstr (fw_notification_get_correlation_id (n), ==, topic);
    g_assert_cmpstr (fw_notification_get_version (n), ==, topic);
    g_clear_object (&n);
  }
}

/* Many notifications have the same topic: they share one copy of it. */
static void
test_topic_shared (void)
{
  static const char frame[] =
    "{\"topicName\":\"v2.users.6a8d2b4e-1f0c-4b9a-8e2d-3c5f7a9b1d0e.presence\",\"eventBody\":{}}";
  g_autoptr(FwNotification) a = parse_ok (frame, -1);
  g_autoptr(FwNotification) b = parse_ok (frame, -1);
  g_autoptr(FwNotification) c = parse_ok ("{\"topicName\":\"v2.users.other.presence\",\"eventBody\":{}}", -1);

  g_assert_cmpstr (fw_notification_get_topic (a), ==, "v2.users.6a8d2b4e-1f0c-4b9a-8e2d-3c5f7a9b1d0e.presence");
  g_assert_true (fw_notification_get_topic (a) == fw_notification_get_topic (b));
  g_assert_cmpstr (fw_notification_get_topic (c), ==, "v2.users.other.presence");

  /* The shared copy outlives the first notification. */
  g_clear_object (&a);
  g_assert_cmpstr (fw_notification_get_topic (b), ==, "v2.users.6a8d2b4e-1f0c-4b9a-8e2d-3c5f7a9b1d0e.presence");
}

/* Retained frames lie side by side in chunks; a chunk goes back to the system
 * with its last frame, and one notification kept keeps one chunk. */
static void
test_frames_pooled (void)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FwNotification) survivor = NULL;
  guint n_before = fw_frame_pool_get_n_chunks (NULL);
  gsize frames_bytes = 0;
  gsize bytes;
  guint n;

  if (!fw_frame_pool_is_pooling ())
    {
      g_test_skip ("Frames are malloc blocks of their own under AddressSanitizer and valgrind");
      return;
    }

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *frame = g_strdup_printf ("{\"topicName\":\"v2.users.%08u.presence\",\"version\":\"2\","
                                                "\"eventBody\":{\"message\":\"%0400u\"},"
                                                "\"metadata\":{\"CorrelationId\":\"%036u\"}}", i % 10, i, i);

      frames_bytes += strlen (frame);
      g_ptr_array_add (kept, parse_ok (frame, -1));
    }

  /* Every frame kept, and little beside: the CorrelationId and version. */
  n = fw_frame_pool_get_n_chunks (&bytes);
  g_assert_cmpuint (n, >, n_before + 10);
  g_assert_cmpuint (bytes, <, frames_bytes + 10000 * 56 + 2 * 256 * 1024);
  for (guint i = 0; i < kept->len; i += 997)
    {
      FwNotification *notification = g_ptr_array_index (kept, i);
      g_autofree char *id = g_strdup_printf ("%036u", i);

      g_assert_cmpstr (fw_notification_get_correlation_id (notification), ==, id);
      g_assert_cmpstr (fw_notification_get_version (notification), ==, "2");
    }

  /* Oldest first, as an event list lets them go, but one stays. */
  survivor = g_object_ref (g_ptr_array_index (kept, 5000));
  g_ptr_array_set_size (kept, 0);
  g_assert_cmpuint (fw_frame_pool_get_n_chunks (NULL), <=, n_before + 2);
  g_assert_true (g_str_has_prefix (fw_notification_get_raw (survivor, NULL), "{\"topicName\":\"v2.users.00000000"));
}

static void
test_malformed (void)
{
  static const char *frames[] = {
    "{\"topicName\":\"t\",\"eventBody\":{}",            /* truncated */
    "{\"topicName\":\"t\",\"eventBody\":{},}",          /* trailing comma */
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":[1,]}}", /* trailing comma in an array */
    "{topicName:\"t\",\"eventBody\":{}}",               /* unquoted key */
    "{'topicName':'t','eventBody':{}}",                 /* single quotes */
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":NaN}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":Infinity}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":01}}",   /* leading zero */
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":1.}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":tru}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":\"\\x41\"}}", /* bad escape */
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":\"tab\there\"}}", /* raw control character */
    "{\"topicName\":\"t\",\"eventBody\":{}} // comment",
    "{\"topicName\":\"t\",\"eventBody\":{}} x",         /* trailing garbage */
    "{\"topicName\":\"t\",\"eventBody\":{}}{}",         /* two documents */
    "[{\"topicName\":\"t\",\"eventBody\":{}}]",         /* top-level array */
    "\"topicName\"",
    "42",
    "null",
    "",
    " ",
    " \n\t\r ",
    "{",
    "}",
    /* One member twice: json-glib would show the last, simdjson reads the first. */
    "{\"topicName\":\"a\",\"eventBody\":{},\"topicName\":\"b\"}",
    "{\"topicName\":\"a\",\"eventBody\":{},\"eventBody\":[]}",
    "{\"topicName\":\"a\",\"eventBody\":{},\"metadata\":{},\"metadata\":{}}",
    "{\"topicName\":\"a\",\"eventBody\":{},\"version\":\"1\",\"version\":\"2\"}",
    /* A NUL would cut the topic short. */
    "{\"topicName\":\"a\\u0000b\",\"eventBody\":{}}",
    "{\"topicName\":\"a\",\"eventBody\":{},\"metadata\":{\"CorrelationId\":\"\\u0000\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_test_message ("%s", frames[i]);
      assert_refused (frames[i], strlen (frames[i]), FW_NOTIFICATION_ERROR_MALFORMED);
    }

  /* A raw NUL byte is not JSON either, wherever it is. */
  assert_refused ("{\"topicName\":\"t\",\"eventBody\":{}}\0", 33, FW_NOTIFICATION_ERROR_MALFORMED);
  assert_refused ("{\"topicName\":\"t\0\",\"eventBody\":{}}", 33, FW_NOTIFICATION_ERROR_MALFORMED);
  assert_refused (NULL, 0, FW_NOTIFICATION_ERROR_MALFORMED);
}

static void
test_not_utf8 (void)
{
  static const char *bad[] = {
    "\xc0\xaf",           /* overlong '/' */
    "\xe0\x80\xaf",       /* overlong, three bytes */
    "\xed\xa0\x80",       /* UTF-16 surrogate */
    "\xed\xbf\xbf",
    "\x80",               /* lone continuation byte */
    "a\xbf",
    "\xe2\x82",           /* sequence cut short */
    "\xf4\x90\x80\x80",   /* above U+10FFFF */
    "\xff",
    "\xfe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *in_value = NULL;
      g_autofree char *in_key = NULL;
      g_autofree char *in_topic = NULL;

      in_value = g_strdup_printf ("{\"topicName\":\"t\",\"eventBody\":{\"a\":\"%s\"}}", bad[i]);
      in_key = g_strdup_printf ("{\"topicName\":\"t\",\"eventBody\":{\"%s\":1}}", bad[i]);
      in_topic = g_strdup_printf ("{\"topicName\":\"t%s\",\"eventBody\":{}}", bad[i]);

      assert_refused (in_value, strlen (in_value), FW_NOTIFICATION_ERROR_NOT_UTF8);
      assert_refused (in_key, strlen (in_key), FW_NOTIFICATION_ERROR_NOT_UTF8);
      assert_refused (in_topic, strlen (in_topic), FW_NOTIFICATION_ERROR_NOT_UTF8);
    }

  /* Valid multi-byte text, including the largest code point, is fine. */
  {
    g_autoptr(FwNotification) n = NULL;

    n = parse_ok ("{\"topicName\":\"t\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\",\"eventBody\":{}}", -1);
    g_assert_cmpstr (fw_notification_get_topic (n), ==, "t\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf");
  }
}

/* simdjson keeps numbers in 64 bits: integers outside int64/uint64 and
 * doubles that overflow are refused.  Genesys sends ids as strings and times
 * as epoch milliseconds, far inside that range. */
static void
test_number_range (void)
{
  static const char *refused[] = {
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":123456789012345678901234}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":-9223372036854775809}}",
    "{\"topicName\":\"t\",\"eventBody\":{\"a\":1e400}}",
  };
  g_autoptr(FwNotification) n = NULL;
  g_autoptr(JsonNode) body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (refused[i], strlen (refused[i]), FW_NOTIFICATION_ERROR_MALFORMED);

  n = parse_ok ("{\"topicName\":\"t\",\"eventBody\":{\"max\":18446744073709551615,"
                "\"min\":-9223372036854775808,\"tiny\":1e-400,\"t\":1795876312302}}", -1);
  body = fw_notification_dup_body (n);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "t"),
                   ==, 1795876312302);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "min"),
                   ==, G_MININT64);
}

static void
test_missing_fields (void)
{
  static const char *frames[] = {
    "{}",
    "{\"eventBody\":{}}",
    "{\"topicName\":7,\"eventBody\":{}}",
    "{\"topicName\":null,\"eventBody\":{}}",
    "{\"topicName\":[\"t\"],\"eventBody\":{}}",
    "{\"topicName\":\"t\"}",
    "{\"topicName\":\"t\",\"eventBody\":null}",
    "{\"topicName\":\"t\",\"eventBody\":[]}",
    "{\"topicName\":\"t\",\"eventBody\":\"{}\"}",
    "{\"topicName\":\"t\",\"eventBody\":1}",
    "{\"topicName\":\"t\",\"data\":{\"eventBody\":{}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_test_message ("%s", frames[i]);
      assert_refused (frames[i], strlen (frames[i]), FW_NOTIFICATION_ERROR_MISSING_FIELD);
    }
}

/* Frame text never reaches an error message: it is untrusted and may hold
 * anything, including what a log must not show. */
static void
test_error_messages_quote_nothing (void)
{
  static const char *frames[] = {
    "{\"topicName\":\"SECRET-MARKER\",\"eventBody\":{},}",
    "{\"topicName\":\"SECRET-MARKER\",\"eventBody\":[]}",
    "{\"SECRET-MARKER\":1}",
    "[\"SECRET-MARKER\"]",
    "{\"topicName\":\"SECRET-MARKER\xff\",\"eventBody\":{}}",
    "{\"topicName\":\"t\",\"eventBody\":{}} SECRET-MARKER",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwNotification) n = NULL;

      n = fw_notification_new_from_data (frames[i], strlen (frames[i]), 0, &error);
      g_assert_null (n);
      g_assert_nonnull (error);
      g_assert_null (strstr (error->message, "SECRET"));
    }
}

static const char big_head[] = "{\"topicName\":\"v2.big\",\"eventBody\":{\"pad\":\"";
static const char big_tail[] = "\"}}";

static char *
make_frame_of_size (gsize size)
{
  const char *head = big_head;
  const char *tail = big_tail;
  char *frame;

  g_assert_cmpuint (size, >, sizeof big_head + sizeof big_tail);
  frame = g_malloc (size + 1);
  memcpy (frame, head, sizeof big_head - 1);
  memset (frame + sizeof big_head - 1, 'x', size - (sizeof big_head - 1) - (sizeof big_tail - 1));
  memcpy (frame + size - (sizeof big_tail - 1), tail, sizeof big_tail);
  g_assert_cmpuint (strlen (frame), ==, size);
  return frame;
}

static void
test_size_limit (void)
{
  gsize ten_mib = 10 * 1024 * 1024;
  g_autofree char *huge = make_frame_of_size (ten_mib);
  g_autofree char *over = make_frame_of_size (FW_NOTIFICATION_MAX_SIZE + 1);
  g_autofree char *max = make_frame_of_size (FW_NOTIFICATION_MAX_SIZE);
  g_autofree char *nearly = make_frame_of_size (FW_NOTIFICATION_MAX_SIZE - 100);
  g_autoptr(FwNotification) n = NULL;
  g_autoptr(JsonNode) body = NULL;
  gsize length;

  assert_refused (huge, ten_mib, FW_NOTIFICATION_ERROR_TOO_LARGE);
  assert_refused (over, FW_NOTIFICATION_MAX_SIZE + 1, FW_NOTIFICATION_ERROR_TOO_LARGE);

  /* The size is checked before the content: a huge frame of garbage is
   * too large, not malformed. */
  memset (huge, 0xff, 64);
  assert_refused (huge, ten_mib, FW_NOTIFICATION_ERROR_TOO_LARGE);

  n = parse_ok (nearly, FW_NOTIFICATION_MAX_SIZE - 100);
  g_assert_cmpstr (fw_notification_get_topic (n), ==, "v2.big");
  body = fw_notification_dup_body (n);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (body), "pad")),
                    ==, FW_NOTIFICATION_MAX_SIZE - 100 - (sizeof big_head - 1) - (sizeof big_tail - 1));
  g_clear_object (&n);

  n = parse_ok (max, FW_NOTIFICATION_MAX_SIZE);
  fw_notification_get_raw (n, &length);
  g_assert_cmpuint (length, ==, FW_NOTIFICATION_MAX_SIZE);
  g_clear_object (&n);

  /* The parser shrinks back after a big frame and goes on working. */
  n = parse_ok ("{\"topicName\":\"small\",\"eventBody\":{}}", -1);
  g_assert_cmpstr (fw_notification_get_topic (n), ==, "small");
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) frame = g_string_new ("{\"topicName\":\"t\",\"eventBody\":{\"a\":");
  g_autoptr(GString) top = g_string_new (NULL);
  g_autoptr(GString) ok = g_string_new ("{\"topicName\":\"t\",\"eventBody\":{\"a\":");
  g_autoptr(FwNotification) n = NULL;
  g_autoptr(JsonNode) body = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_c (frame, '[');
      g_string_append_c (top, '[');
    }
  assert_refused (frame->str, frame->len, FW_NOTIFICATION_ERROR_MALFORMED);
  assert_refused (top->str, top->len, FW_NOTIFICATION_ERROR_MALFORMED);

  /* Closed properly it is still too deep. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (frame, ']');
  g_string_append (frame, "}}");
  assert_refused (frame->str, frame->len, FW_NOTIFICATION_ERROR_MALFORMED);

  /* Reasonable depth is fine, and json-glib reads it back. */
  for (guint i = 0; i < 500; i++)
    g_string_append (ok, "{\"b\":");
  g_string_append (ok, "1");
  for (guint i = 0; i < 500; i++)
    g_string_append_c (ok, '}');
  g_string_append (ok, "}}");
  n = parse_ok (ok->str, ok->len);
  body = fw_notification_dup_body (n);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));
}

static void
test_dup_body (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GBytes) frame = load_corpus (samples[i].file);
      g_autoptr(FwNotification) n = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) body2 = NULL;
      JsonNode *expected;

      n = fw_notification_new_from_bytes (frame, 0, &error);
      g_assert_no_error (error);

      json_parser_load_from_data (parser, g_bytes_get_data (frame, NULL),
                                  g_bytes_get_size (frame), &error);
      g_assert_no_error (error);
      expected = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                         "eventBody");

      body = fw_notification_dup_body (n);
      g_assert_nonnull (body);
      g_assert_true (json_node_equal (body, expected));

      /* Each call gives an independent node the caller may change. */
      body2 = fw_notification_dup_body (n);
      g_assert_true (body != body2);
      json_object_set_int_member (json_node_get_object (body2), "added", 1);
      g_assert_false (json_object_has_member (json_node_get_object (body), "added"));
    }
}

static void
test_dup_pretty (void)
{
  g_autoptr(GBytes) frame = load_corpus ("sample-user-presence.json");
  g_autoptr(FwNotification) n = fw_notification_new_from_bytes (frame, 0, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) original = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pretty = NULL;

  g_assert_nonnull (n);
  pretty = fw_notification_dup_pretty (n);
  g_assert_nonnull (pretty);

  /* Two-space indent, one member per line, members in frame order. */
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"topicName\" : \"" PRESENCE_TOPIC "\",\n"));
  g_assert_nonnull (strstr (pretty, "\n    \"source\" : \"PURECLOUD\",\n"));
  g_assert_nonnull (strstr (pretty, "\n      \"systemPresence\" : \"ON_QUEUE\"\n"));

  /* And it says the same thing as the frame. */
  json_parser_load_from_data (parser, pretty, -1, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (original, g_bytes_get_data (frame, NULL),
                              g_bytes_get_size (frame), &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (parser), json_parser_get_root (original)));
}

static void
test_raw_bytes (void)
{
  static const char frame[] = "  {\"topicName\":\"t\", \"eventBody\":{}}\n";
  g_autoptr(FwNotification) n = parse_ok (frame, sizeof frame - 1);
  g_autoptr(GBytes) bytes = fw_notification_dup_raw_bytes (n);
  FwNotification *weak = n;

  g_object_add_weak_pointer (G_OBJECT (n), (gpointer *) &weak);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   frame, sizeof frame - 1);

  /* The bytes keep the frame alive after the notification is let go, and
   * let go of it themselves. */
  g_clear_object (&n);
  g_assert_nonnull (weak);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   frame, sizeof frame - 1);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_null (weak);
}

/* Each thread has its own parser; results never mix. */
static gpointer
parse_thread (gpointer data)
{
  guint id = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *topic = g_strdup_printf ("v2.thread.%u.%u", id, i);
      g_autofree char *frame = NULL;
      g_autoptr(FwNotification) n = NULL;

      frame = g_strdup_printf ("{\"topicName\":\"%s\",\"eventBody\":{\"i\":%u},"
                               "\"metadata\":{\"CorrelationId\":\"%u-%u\"}}",
                               topic, i, id, i);
      n = fw_notification_new_from_data (frame, strlen (frame), 0, NULL);
      if (n == NULL || g_strcmp0 (fw_notification_get_topic (n), topic) != 0)
        return GUINT_TO_POINTER (FALSE);
    }

  return GUINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_thread, GUINT_TO_POINTER (i));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_UINT (g_thread_join (threads[i])));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/notification/samples", test_samples);
  g_test_add_func ("/engine/notification/samples-pretty", test_samples_pretty);
  g_test_add_func ("/engine/notification/corpus-refused", test_corpus_refused);
  g_test_add_func ("/engine/notification/corpus-complete", test_corpus_complete);
  g_test_add_func ("/engine/notification/kinds", test_kinds);
  g_test_add_func ("/engine/notification/envelope-fields", test_envelope_fields);
  g_test_add_func ("/engine/notification/topic-shared", test_topic_shared);
  g_test_add_func ("/engine/notification/frames-pooled", test_frames_pooled);
  g_test_add_func ("/engine/notification/malformed", test_malformed);
  g_test_add_func ("/engine/notification/not-utf8", test_not_utf8);
  g_test_add_func ("/engine/notification/number-range", test_number_range);
  g_test_add_func ("/engine/notification/missing-fields", test_missing_fields);
  g_test_add_func ("/engine/notification/error-messages", test_error_messages_quote_nothing);
  g_test_add_func ("/engine/notification/size-limit", test_size_limit);
  g_test_add_func ("/engine/notification/deep-nesting", test_deep_nesting);
  g_test_add_func ("/engine/notification/dup-body", test_dup_body);
  g_test_add_func ("/engine/notification/dup-pretty", test_dup_pretty);
  g_test_add_func ("/engine/notification/raw-bytes", test_raw_bytes);
  g_test_add_func ("/engine/notification/threads", test_threads);

  return g_test_run ();
}
