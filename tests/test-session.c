/* test-session.c — the live feed against the simulator, through every fault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-test-network-monitor.h"
#include "fw-test-util.h"

#define TOPIC_SUPPORT "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations"
#define TOPIC_SALES   "v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations"
#define TOPIC_ANA     "v2.users." FW_SIM_USER_ANA ".presence"

typedef struct
{
  FwSimServer *sim;
  FwApi       *api;
  FwSession   *session;
  GPtrArray   *received;      /* FwNotification */
  GHashTable  *received_ids;  /* CorrelationId → count */
  GPtrArray   *gaps;          /* FwGap */
  GPtrArray   *rejected;      /* "topic|reason" */
  GPtrArray   *warnings;      /* char * */
  guint        pings;
  guint        sockets_closed;
} Fixture;

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 Fixture        *f)
{
  const char *id = fw_notification_get_correlation_id (notification);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (f->received_ids, id));

  g_ptr_array_add (f->received, g_object_ref (notification));
  g_hash_table_insert (f->received_ids, g_strdup (id), GUINT_TO_POINTER (count + 1));
}

static void
gap_cb (FwSession *session,
        FwGap     *gap,
        Fixture   *f)
{
  g_ptr_array_add (f->gaps, g_object_ref (gap));
}

static void
topic_rejected_cb (FwSession  *session,
                   const char *topic,
                   const char *reason,
                   Fixture    *f)
{
  g_ptr_array_add (f->rejected, g_strdup_printf ("%s|%s", topic, reason));
}

static void
warning_cb (FwSession  *session,
            const char *message,
            Fixture    *f)
{
  g_ptr_array_add (f->warnings, g_strdup (message));
}

static void
ping_cb (FwSimServer *sim,
         const char  *channel_id,
         Fixture     *f)
{
  f->pings++;
}

static void
socket_closed_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Fixture     *f)
{
  f->sockets_closed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = fw_test_sim_new ();
  g_object_set (f->sim,
                "heartbeat-interval", 200,
                "socket-closing-grace", 400,
                NULL);
  g_signal_connect (f->sim, "ping", G_CALLBACK (ping_cb), f);
  g_signal_connect (f->sim, "socket-closed", G_CALLBACK (socket_closed_cb), f);

  f->api = fw_test_api_new (f->sim, NULL);
  g_object_set (f->api, "backoff-initial", 20, "max-retries", 2, NULL);
  f->session = fw_session_new (f->api);
  g_object_set (f->session,
                "heartbeat-timeout", 2000,
                "pong-timeout", 1000,
                "backoff-initial", 50,
                "backoff-cap", 400,
                NULL);

  f->received = g_ptr_array_new_with_free_func (g_object_unref);
  f->received_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->gaps = g_ptr_array_new_with_free_func (g_object_unref);
  f->rejected = g_ptr_array_new_with_free_func (g_free);
  f->warnings = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (f->session, "notification", G_CALLBACK (notification_cb), f);
  g_signal_connect (f->session, "gap", G_CALLBACK (gap_cb), f);
  g_signal_connect (f->session, "topic-rejected", G_CALLBACK (topic_rejected_cb), f);
  g_signal_connect (f->session, "warning", G_CALLBACK (warning_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fw_session_stop (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->api);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->received, g_ptr_array_unref);
  g_clear_pointer (&f->received_ids, g_hash_table_unref);
  g_clear_pointer (&f->gaps, g_ptr_array_unref);
  g_clear_pointer (&f->rejected, g_ptr_array_unref);
  g_clear_pointer (&f->warnings, g_ptr_array_unref);
}

static JsonNode *
make_body (guint n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sequence");
  json_builder_add_int_value (builder, n);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
publish (Fixture    *f,
         const char *topic,
         guint       n)
{
  g_autoptr(JsonNode) body = make_body (n);

  return fw_sim_server_publish (f->sim, topic, body);
}

static gboolean
was_received (Fixture    *f,
              const char *correlation_id)
{
  return g_hash_table_contains (f->received_ids, correlation_id);
}

static void
start_live (Fixture            *f,
            const char * const *topics)
{
  fw_session_set_topics (f->session, topics);
  fw_session_start (f->session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
}

static const char *default_topics[] = { TOPIC_SUPPORT, TOPIC_SALES, TOPIC_ANA, NULL };

static void
assert_subscriptions (Fixture            *f,
                      const char         *channel_id,
                      const char * const *expected)
{
  g_auto(GStrv) subscribed = fw_sim_server_dup_subscriptions (f->sim, channel_id);

  g_assert_nonnull (subscribed);
  g_assert_cmpuint (g_strv_length (subscribed), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) subscribed, expected[i]));
}

/* ---- Tests ---- */

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_auto(GStrv) channels = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_OFFLINE);
  start_live (f, default_topics);

  channels = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpuint (g_strv_length (channels), ==, 1);
  assert_subscriptions (f, channels[0], default_topics);
  g_assert_cmpuint (fw_session_get_n_channels (f->session), ==, 1);

  id = publish (f, TOPIC_ANA, 1);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
  g_assert_cmpstr (fw_notification_get_topic (g_ptr_array_index (f->received, 0)), ==, TOPIC_ANA);
  g_assert_cmpuint (f->gaps->len, ==, 0);
}

static void
test_heartbeats_not_emitted (Fixture       *f,
                             gconstpointer  data)
{
  g_object_set (f->sim, "heartbeat-interval", 20, NULL);
  start_live (f, default_topics);
  fw_test_run_for (300);

  /* Heartbeats arrived (the watchdog never fired) but none is an event. */
  g_assert_cmpuint (f->received->len, ==, 0);
  g_assert_cmpuint (f->pings, ==, 0);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_LIVE);
}

static void
assert_recovers_with_gap (Fixture *f,
                          gint64   fault_time)
{
  g_autofree char *after = NULL;
  FwGap *gap;

  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) != FW_SESSION_STATE_LIVE, 5000);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
  FW_TEST_WAIT_UNTIL (f->gaps->len == 1, 5000);

  gap = g_ptr_array_index (f->gaps, 0);
  g_assert_cmpint (fw_gap_get_start_time (gap), <=, fw_gap_get_end_time (gap));
  g_assert_cmpint (fw_gap_get_end_time (gap), >=, fault_time);
  g_assert_cmpuint (g_strv_length ((char **) fw_gap_get_topics (gap)), ==, 3);

  after = publish (f, TOPIC_SUPPORT, 2);
  FW_TEST_WAIT_UNTIL (was_received (f, after), 5000);
}

static void
test_drop_reconnects (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  gint64 fault_time;

  start_live (f, default_topics);
  before = fw_sim_server_dup_channel_ids (f->sim);

  fault_time = g_get_real_time ();
  fw_sim_server_drop_sockets (f->sim);
  assert_recovers_with_gap (f, fault_time);

  /* The channel outlived its socket: the same one carries the feed again. */
  after = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpstrv (before, after);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);
}

static void
test_close_frame_reconnects (Fixture       *f,
                             gconstpointer  data)
{
  gint64 fault_time;

  start_live (f, default_topics);
  fault_time = g_get_real_time ();
  fw_sim_server_close_sockets (f->sim, 1001, "idle timeout");
  assert_recovers_with_gap (f, fault_time);
}

static void
test_silent_socket_detected (Fixture       *f,
                             gconstpointer  data)
{
  gint64 start;

  g_object_set (f->sim, "heartbeat-interval", 60000, NULL);
  g_object_set (f->session, "heartbeat-timeout", 300, "pong-timeout", 300, NULL);
  start_live (f, default_topics);

  start = g_get_monotonic_time ();
  fw_sim_server_set_silent (f->sim, TRUE);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) != FW_SESSION_STATE_LIVE, 5000);

  /* Heartbeat timeout plus pong timeout, not a TCP timeout of minutes. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 550 * 1000);
  g_assert_cmpuint (f->pings, >=, 1);

  fw_sim_server_set_silent (f->sim, FALSE);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
  FW_TEST_WAIT_UNTIL (f->gaps->len == 1, 5000);
}

static void
test_quiet_socket_kept_by_pong (Fixture       *f,
                                gconstpointer  data)
{
  g_object_set (f->sim, "heartbeat-interval", 60000, NULL);
  g_object_set (f->session, "heartbeat-timeout", 100, "pong-timeout", 500, NULL);
  start_live (f, default_topics);

  /* No heartbeats at all, but every ping is answered: the feed stays live. */
  FW_TEST_WAIT_UNTIL (f->pings >= 4, 5000);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_LIVE);
  g_assert_cmpuint (f->gaps->len, ==, 0);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
}

typedef struct
{
  Fixture *f;
  guint    n;
  guint    limit;
  guint    id;
} Publisher;

static gboolean
publish_tick_cb (gpointer user_data)
{
  Publisher *p = user_data;
  g_autofree char *id = publish (p->f, p->n % 2 ? TOPIC_SUPPORT : TOPIC_ANA, p->n);

  if (++p->n >= p->limit)
    {
      p->id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
assert_every_delivered_event_once (Fixture *f)
{
  GPtrArray *published = fw_sim_server_get_published (f->sim);
  guint delivered = 0;

  for (guint i = 0; i < published->len; i++)
    {
      FwSimPublished *p = g_ptr_array_index (published, i);

      if (p->n_delivered == 0 || g_str_has_prefix (p->topic, "v2.system."))
        continue;
      delivered++;
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (f->received_ids,
                                                               p->correlation_id)), ==, 1);
    }
  g_assert_cmpuint (delivered, ==, f->received->len);
}

static void
test_socket_closing_handover (Fixture       *f,
                              gconstpointer  data)
{
  Publisher p = { f, 0, 200, 0 };
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  GPtrArray *published;

  start_live (f, default_topics);
  before = fw_sim_server_dup_channel_ids (f->sim);

  /* Events flow before, during and after the handover. */
  p.id = g_timeout_add (3, publish_tick_cb, &p);
  FW_TEST_WAIT_UNTIL (p.n >= 30, 5000);
  fw_sim_server_send_socket_closing (f->sim);
  FW_TEST_WAIT_UNTIL (fw_sim_server_get_n_channels (f->sim) == 2, 5000);
  FW_TEST_WAIT_UNTIL (p.id == 0, 10000);
  FW_TEST_WAIT_UNTIL (fw_sim_server_get_n_open_sockets (f->sim) == 1, 5000);

  published = fw_sim_server_get_published (f->sim);
  FW_TEST_WAIT_UNTIL (f->received->len == 200, 5000);

  /* Every event arrived exactly once and nothing was reported missing. */
  for (guint i = 0; i < published->len; i++)
    {
      FwSimPublished *item = g_ptr_array_index (published, i);

      if (!g_str_has_prefix (item->topic, "v2.system."))
        g_assert_cmpuint (item->n_delivered, >=, 1);
    }
  assert_every_delivered_event_once (f);
  g_assert_cmpuint (f->gaps->len, ==, 0);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_LIVE);

  /* The old channel no longer subscribes anything; the new one has it all. */
  after = fw_sim_server_dup_channel_ids (f->sim);
  for (guint i = 0; after[i] != NULL; i++)
    {
      g_auto(GStrv) subscribed = fw_sim_server_dup_subscriptions (f->sim, after[i]);

      if (g_strv_contains ((const char * const *) before, after[i]))
        g_assert_cmpuint (g_strv_length (subscribed), ==, 0);
      else
        assert_subscriptions (f, after[i], default_topics);
    }
}

static void
test_second_handover_reuses_spare (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *id = NULL;

  start_live (f, default_topics);

  fw_sim_server_send_socket_closing (f->sim);
  FW_TEST_WAIT_UNTIL (f->sockets_closed == 1, 5000);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 2);
  fw_sim_server_send_socket_closing (f->sim);
  FW_TEST_WAIT_UNTIL (f->sockets_closed == 2, 5000);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);

  /* Two handovers, still two channels: the spare was taken back. */
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 2);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST",
                                                  "/api/v2/notifications/channels"), ==, 2);
  g_assert_cmpuint (f->gaps->len, ==, 0);

  id = publish (f, TOPIC_SALES, 7);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (f->received_ids, id)), ==, 1);
}

static void
test_channel_renewed_before_expiry (Fixture       *f,
                                    gconstpointer  data)
{
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_autofree char *id = NULL;

  g_object_set (f->sim, "channel-lifetime", 600, NULL);
  start_live (f, default_topics);
  before = fw_sim_server_dup_channel_ids (f->sim);

  /* Four lifetimes later the same channel still carries the feed. */
  fw_test_run_for (2400);
  after = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpstrv (before, after);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "PUT", "/api/v2/notifications/channels/"),
                    >=, 4);
  g_assert_cmpuint (f->gaps->len, ==, 0);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_LIVE);

  id = publish (f, TOPIC_ANA, 3);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
}

static void
test_channel_gone_recreated (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  gint64 fault_time;

  start_live (f, default_topics);
  before = fw_sim_server_dup_channel_ids (f->sim);

  fault_time = g_get_real_time ();
  fw_sim_server_expire_channels (f->sim);
  assert_recovers_with_gap (f, fault_time);

  after = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpuint (g_strv_length (after), ==, 1);
  g_assert_cmpstr (after[0], !=, before[0]);
  assert_subscriptions (f, after[0], default_topics);
}

static void
test_sharding (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) channels = NULL;
  guint total = 0;

  /* The real limit: 1000 topics a channel. */
  for (guint i = 0; i < 2500; i++)
    g_ptr_array_add (topics, g_strdup_printf ("v2.users.00000000-0000-0000-0000-%012u.presence", i));
  g_ptr_array_add (topics, NULL);

  start_live (f, (const char * const *) topics->pdata);
  channels = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpuint (g_strv_length (channels), ==, 3);
  for (guint i = 0; channels[i] != NULL; i++)
    {
      g_auto(GStrv) subscribed = fw_sim_server_dup_subscriptions (f->sim, channels[i]);

      g_assert_cmpuint (g_strv_length (subscribed), <=, 1000);
      total += g_strv_length (subscribed);
    }
  g_assert_cmpuint (total, ==, 2500);
  g_assert_cmpuint (fw_session_get_n_channels (f->session), ==, 3);
}

static void
test_too_many_topics (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);

  g_object_set (f->session, "max-topics-per-channel", 2, "max-channels", 2, NULL);
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (topics, g_strdup_printf ("v2.users.%u.presence", i));
  g_ptr_array_add (topics, NULL);

  fw_session_set_topics (f->session, (const char * const *) topics->pdata);
  fw_session_start (f->session);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_FAILED);
  g_assert_error ((GError *) fw_session_get_error (f->session),
                  FW_SESSION_ERROR, FW_SESSION_ERROR_TOO_MANY_TOPICS);
  fw_test_run_for (100);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/"), ==, 0);

  /* Fewer topics fix it. */
  g_ptr_array_remove_range (topics, 3, 3);
  g_ptr_array_add (topics, NULL);
  fw_session_set_topics (f->session, (const char * const *) topics->pdata);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 2);
}

static void
test_topics_changed_live (Fixture       *f,
                          gconstpointer  data)
{
  const char *fewer[] = { TOPIC_ANA, NULL };
  g_auto(GStrv) channels = NULL;
  g_autofree char *id = NULL;

  start_live (f, default_topics);
  fw_session_set_topics (f->session, fewer);
  channels = fw_sim_server_dup_channel_ids (f->sim);
  FW_TEST_WAIT_UNTIL (({ g_auto(GStrv) s = fw_sim_server_dup_subscriptions (f->sim, channels[0]);
                         s && g_strv_length (s) == 1; }), 5000);
  assert_subscriptions (f, channels[0], fewer);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 1);

  id = publish (f, TOPIC_ANA, 9);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
}

static void
test_rejected_topic (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;

  fw_sim_server_reject_topics (f->sim, "v2.analytics.", "Missing required permissions");
  start_live (f, default_topics);

  FW_TEST_WAIT_UNTIL (f->rejected->len == 1, 5000);
  expected = g_strdup_printf ("%s|%s", TOPIC_SALES, "Missing required permissions");
  g_assert_cmpstr (g_ptr_array_index (f->rejected, 0), ==, expected);

  /* The rest runs. */
  id = publish (f, TOPIC_SUPPORT, 4);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);

  /* A gap names only what was really being watched. */
  fw_sim_server_drop_sockets (f->sim);
  FW_TEST_WAIT_UNTIL (f->gaps->len == 1, 5000);
  g_assert_false (g_strv_contains (fw_gap_get_topics (g_ptr_array_index (f->gaps, 0)), TOPIC_SALES));
  g_assert_cmpuint (g_strv_length ((char **) fw_gap_get_topics (g_ptr_array_index (f->gaps, 0))),
                    ==, 2);
}

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FwApi) api = fw_test_api_new (f->sim, "not-the-secret");
  g_autoptr(FwSession) session = fw_session_new (api);
  const GError *error;

  fw_session_set_topics (session, default_topics);
  fw_session_start (session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (session) == FW_SESSION_STATE_AUTH_FAILED, 5000);

  error = fw_session_get_error (session);
  g_assert_error ((GError *) error, FW_SESSION_ERROR, FW_SESSION_ERROR_CREDENTIALS);
  g_assert_null (strstr (error->message, "not-the-secret"));

  /* Fatal: no retry loop. */
  fw_test_run_for (500);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), ==, 0);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, NULL, "/oauth/token"), ==, 1);
  g_assert_cmpint (fw_session_get_state (session), ==, FW_SESSION_STATE_AUTH_FAILED);
  fw_session_stop (session);
}

static void
test_revoked_token_renewed (Fixture       *f,
                            gconstpointer  data)
{
  start_live (f, default_topics);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), ==, 1);

  /* The token is revoked and the channel is gone: recreating it takes a
   * REST call, which gets a 401, a new grant and one retry. */
  fw_sim_server_revoke_tokens (f->sim);
  fw_sim_server_expire_channels (f->sim);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) != FW_SESSION_STATE_LIVE, 5000);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), ==, 2);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 1);
}

static void
test_server_errors_backoff (Fixture       *f,
                            gconstpointer  data)
{
  /* Creating the channel fails more often than the REST layer retries:
   * the session backs off and tries again until it works. */
  fw_sim_server_fail_requests (f->sim, "POST", "/api/v2/notifications/channels", 503, 7, 0);
  fw_session_set_topics (f->session, default_topics);
  fw_session_start (f->session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_RECONNECTING, 5000);
  g_assert_cmpint (fw_session_get_next_attempt_time (f->session), >, 0);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 10000);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 8);
}

static void
test_network_down_and_up (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FwTestNetworkMonitor) monitor = fw_test_network_monitor_new ();
  guint requests;

  g_object_set (f->session, "network-monitor", monitor, "backoff-initial", 2000,
                "backoff-cap", 2000, NULL);
  start_live (f, default_topics);

  fw_test_network_monitor_set_available (monitor, FALSE);
  fw_sim_server_drop_sockets (f->sim);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_NO_NETWORK, 5000);
  g_assert_cmpint (fw_session_get_next_attempt_time (f->session), ==, 0);

  /* No retry loop while offline. */
  requests = fw_sim_server_count_requests (f->sim, NULL, "/");
  fw_test_run_for (300);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, NULL, "/"), ==, requests);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 0);

  /* Back online: at once, not after the two-second backoff. */
  fw_test_network_monitor_set_available (monitor, TRUE);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 1500);
  FW_TEST_WAIT_UNTIL (f->gaps->len == 1, 5000);
}

static void
test_reconnect_now (Fixture       *f,
                    gconstpointer  data)
{
  g_object_set (f->session, "backoff-initial", 30000, "backoff-cap", 30000, NULL);
  start_live (f, default_topics);

  fw_sim_server_drop_sockets (f->sim);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_RECONNECTING &&
                      fw_session_get_next_attempt_time (f->session) > 0, 5000);
  fw_session_reconnect_now (f->session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 2000);
}

static void
send_text (Fixture    *f,
           const char *text)
{
  fw_sim_server_send_frame (f->sim, NULL, text, strlen (text), FALSE);
}

static void
test_hostile_frames (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *huge = NULL;
  g_autofree char *big = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GString) large = g_string_new (NULL);
  const char binary[] = { 0x00, 0x01, 0x02, (char) 0xff };
  guint expected = 0;

  start_live (f, default_topics);

  send_text (f, "{\"topicName\": \"v2.users");                       expected++;
  send_text (f, "[1, 2, 3]");                                         expected++;
  send_text (f, "{\"eventBody\":{}}");                                expected++;
  send_text (f, "{\"topicName\":\"" TOPIC_ANA "\",\"eventBody\":7}"); expected++;
  send_text (f, "{\"topicName\":\"v2.users.someone-else.presence\",\"eventBody\":{},"
                "\"metadata\":{\"CorrelationId\":\"6a0e0e54-8a3c-4bd6-9a3b-5a1a6c7d8e9f\"}}");
  expected++;
  fw_sim_server_send_frame (f->sim, NULL, binary, sizeof binary, TRUE);
  expected++;

  /* 10 MiB: refused, but the connection goes on. */
  huge = g_malloc (10 * 1024 * 1024 + 1);
  memset (huge, ' ', 10 * 1024 * 1024);
  huge[0] = '{';
  huge[10 * 1024 * 1024 - 1] = '}';
  huge[10 * 1024 * 1024] = '\0';
  fw_sim_server_send_frame (f->sim, NULL, huge, 10 * 1024 * 1024, FALSE);
  expected++;

  FW_TEST_WAIT_UNTIL (fw_session_get_n_rejected_frames (f->session) == expected, 10000);
  g_assert_cmpuint (f->received->len, ==, 0);
  g_assert_cmpuint (f->warnings->len, >=, 1);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_LIVE);

  /* Nearly 1 MiB of valid event passes. */
  g_string_append (large, "{\"topicName\":\"" TOPIC_ANA "\",\"version\":\"2\",\"eventBody\":{\"pad\":\"");
  while (large->len < 1000 * 1000)
    g_string_append (large, "0123456789abcdef");
  g_string_append (large, "\"},\"metadata\":{\"CorrelationId\":\"0d6e1c1e-58d3-4d0f-9d8e-2f1f1f1f1f1f\"}}");
  fw_sim_server_send_frame (f->sim, NULL, large->str, large->len, FALSE);
  FW_TEST_WAIT_UNTIL (was_received (f, "0d6e1c1e-58d3-4d0f-9d8e-2f1f1f1f1f1f"), 5000);

  id = publish (f, TOPIC_ANA, 5);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
  g_assert_cmpuint (f->gaps->len, ==, 0);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
}

static void
test_text_not_utf8 (Fixture       *f,
                    gconstpointer  data)
{
  const char invalid_utf8[] = "{\"topicName\":\"" TOPIC_ANA "\",\"eventBody\":{\"x\":\"\xc3\x28\"}}";
  g_autofree char *id = NULL;

  start_live (f, default_topics);

  /* RFC 6455 has the client fail such a connection, and libsoup does: the
   * frame is counted and refused, the channel reconnects and says what may
   * be missing. */
  fw_sim_server_send_frame (f->sim, NULL, invalid_utf8, sizeof invalid_utf8 - 1, FALSE);
  FW_TEST_WAIT_UNTIL (fw_session_get_n_rejected_frames (f->session) == 1, 5000);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE &&
                      f->gaps->len == 1, 5000);
  g_assert_cmpuint (f->received->len, ==, 0);
  g_assert_cmpuint (f->warnings->len, >=, 1);

  id = publish (f, TOPIC_ANA, 8);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
}

static void
test_duplicates_dropped (Fixture       *f,
                         gconstpointer  data)
{
  const char *frame = "{\"topicName\":\"" TOPIC_ANA "\",\"version\":\"2\",\"eventBody\":{},"
                      "\"metadata\":{\"CorrelationId\":\"48497422-a0ff-4597-83d4-b80e49ef7723\"}}";
  g_autofree char *id = NULL;

  start_live (f, default_topics);
  send_text (f, frame);
  send_text (f, frame);
  id = publish (f, TOPIC_ANA, 6);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);

  g_assert_cmpuint (f->received->len, ==, 2);
  g_assert_cmpuint (fw_session_get_n_duplicates (f->session), ==, 1);
}

static void
test_stop_releases (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(GStrv) channels = NULL;

  start_live (f, default_topics);
  channels = fw_sim_server_dup_channel_ids (f->sim);

  fw_session_stop (f->session);
  g_assert_cmpint (fw_session_get_state (f->session), ==, FW_SESSION_STATE_OFFLINE);
  FW_TEST_WAIT_UNTIL (fw_sim_server_get_n_open_sockets (f->sim) == 0, 5000);
  FW_TEST_WAIT_UNTIL (({ g_auto(GStrv) s = fw_sim_server_dup_subscriptions (f->sim, channels[0]);
                         s != NULL && g_strv_length (s) == 0; }), 5000);
  g_assert_cmpuint (f->gaps->len, ==, 0);
}

static void
test_channels_reused_after_restart (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(FwSession) again = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) channels = NULL;
  g_autofree char *id = NULL;

  start_live (f, default_topics);
  g_object_get (f->session, "channel-ids", &ids, NULL);
  g_assert_nonnull (ids);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  fw_session_stop (f->session);

  /* The next run takes the same channel back instead of making one. */
  again = fw_session_new (f->api);
  g_object_set (again, "channel-ids", ids, NULL);
  g_signal_connect (again, "notification", G_CALLBACK (notification_cb), f);
  fw_session_set_topics (again, default_topics);
  fw_session_start (again);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (again) == FW_SESSION_STATE_LIVE, 5000);

  channels = fw_sim_server_dup_channel_ids (f->sim);
  g_assert_cmpstrv (channels, ids);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
  assert_subscriptions (f, channels[0], default_topics);

  id = publish (f, TOPIC_ANA, 10);
  FW_TEST_WAIT_UNTIL (was_received (f, id), 5000);
  fw_session_stop (again);
}

static void
test_stale_channel_ids (Fixture       *f,
                        gconstpointer  data)
{
  const char *stale[] = { "streaming-0-no-such-channel", NULL };
  g_auto(GStrv) ids = NULL;

  g_object_set (f->session, "channel-ids", stale, NULL);
  start_live (f, default_topics);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
  g_object_get (f->session, "channel-ids", &ids, NULL);
  g_assert_false (g_strv_contains ((const char * const *) ids, stale[0]));
}

#define N_SUPERVISORS 10

static guint
count_in_state (FwSession      **sessions,
                FwSessionState   state)
{
  guint n = 0;

  for (guint i = 0; i < N_SUPERVISORS; i++)
    n += fw_session_get_state (sessions[i]) == state;
  return n;
}

static void
test_eviction_detected (Fixture       *f,
                        gconstpointer  data)
{
  FwApi *apis[N_SUPERVISORS];
  FwSession *sessions[N_SUPERVISORS];
  guint before;

  /* Ten supervisors on one OAuth client, more channels than it may hold. */
  g_object_set (f->sim, "max-channels", 5, NULL);
  for (guint i = 0; i < N_SUPERVISORS; i++)
    {
      g_autofree char *topic = g_strdup_printf ("v2.users.%08u-0000-0000-0000-000000000000.presence", i);
      const char *topics[] = { topic, NULL };

      apis[i] = fw_test_api_new (f->sim, NULL);
      sessions[i] = fw_session_new (apis[i]);
      g_object_set (sessions[i],
                    "backoff-initial", 50, "backoff-cap", 400,
                    "eviction-threshold", 3, "eviction-window", 60000,
                    "eviction-backoff", 4000,
                    NULL);
      fw_session_set_topics (sessions[i], topics);
      fw_session_start (sessions[i]);
    }

  /* Instead of a loop of channels taking each other's place, sessions
   * notice and say so. */
  FW_TEST_WAIT_UNTIL (count_in_state (sessions, FW_SESSION_STATE_EVICTED) >= N_SUPERVISORS / 2,
                      20000);
  for (guint i = 0; i < N_SUPERVISORS; i++)
    if (fw_session_get_state (sessions[i]) == FW_SESSION_STATE_EVICTED)
      {
        const GError *error = fw_session_get_error (sessions[i]);

        g_assert_error ((GError *) error, FW_SESSION_ERROR, FW_SESSION_ERROR_EVICTED);
        g_assert_nonnull (strstr (error->message, "OAuth client"));
        g_assert_cmpint (fw_session_get_next_attempt_time (sessions[i]), >, g_get_real_time ());
      }

  /* And they stop fighting: hardly a channel is made in the next second. */
  before = fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels");
  fw_test_run_for (1000);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels")
                    - before, <=, N_SUPERVISORS / 2);

  for (guint i = 0; i < N_SUPERVISORS; i++)
    {
      fw_session_stop (sessions[i]);
      g_object_unref (sessions[i]);
      g_object_unref (apis[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("live", test_live);
  ADD ("heartbeats-not-emitted", test_heartbeats_not_emitted);
  ADD ("drop-reconnects", test_drop_reconnects);
  ADD ("close-frame-reconnects", test_close_frame_reconnects);
  ADD ("silent-socket-detected", test_silent_socket_detected);
  ADD ("quiet-socket-kept-by-pong", test_quiet_socket_kept_by_pong);
  ADD ("socket-closing-handover", test_socket_closing_handover);
  ADD ("second-handover-reuses-spare", test_second_handover_reuses_spare);
  ADD ("channel-renewed-before-expiry", test_channel_renewed_before_expiry);
  ADD ("channel-gone-recreated", test_channel_gone_recreated);
  ADD ("sharding", test_sharding);
  ADD ("too-many-topics", test_too_many_topics);
  ADD ("topics-changed-live", test_topics_changed_live);
  ADD ("rejected-topic", test_rejected_topic);
  ADD ("wrong-secret", test_wrong_secret);
  ADD ("revoked-token-renewed", test_revoked_token_renewed);
  ADD ("server-errors-backoff", test_server_errors_backoff);
  ADD ("network-down-and-up", test_network_down_and_up);
  ADD ("reconnect-now", test_reconnect_now);
  ADD ("hostile-frames", test_hostile_frames);
  ADD ("text-not-utf8", test_text_not_utf8);
  ADD ("duplicates-dropped", test_duplicates_dropped);
  ADD ("stop-releases", test_stop_releases);
  ADD ("channels-reused-after-restart", test_channels_reused_after_restart);
  ADD ("stale-channel-ids", test_stale_channel_ids);
  ADD ("eviction-detected", test_eviction_detected);

#undef ADD

  return g_test_run ();
}
