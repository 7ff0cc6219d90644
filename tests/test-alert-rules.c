/* test-alert-rules.c — rules, their alerts, mutes, acknowledgements, rate limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-alert-rules.h"
#include "fw-test-network-monitor.h"
#include "fw-test-util.h"

#define SUPPORT FW_SIM_QUEUE_SUPPORT
#define SALES   FW_SIM_QUEUE_SALES
#define ANA     FW_SIM_USER_ANA

#define SUPPORT_OBSERVATIONS  "v2.analytics.queues." SUPPORT ".observations"
#define SUPPORT_CONVERSATIONS "v2.routing.queues." SUPPORT ".conversations"
#define SALES_OBSERVATIONS    "v2.analytics.queues." SALES ".observations"
#define ANA_ACTIVITY          "v2.users." ANA ".activity"

/* ---- Parsing ---- */

static GPtrArray *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rules = fw_alert_rules_parse (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  return rules;
}

static void
test_parse (void)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;
  FwAlertRule *rule;

  rules = parse_ok ("[{\"id\":\"a\",\"kind\":\"queue-waiting\",\"threshold\":5,\"target\":\"" SUPPORT "\"},"
                    " {\"kind\":\"longest-wait\",\"threshold\":90,\"severity\":\"critical\",\"enabled\":false},"
                    " {\"kind\":\"agent-not-responding\",\"target\":\"" ANA "\",\"future\":{\"x\":1}},"
                    " {\"id\":\"p\",\"kind\":\"agent-presence\",\"presences\":[\"Break\",\"on queue\",\"Out Sick\"]},"
                    " {\"id\":\"a\",\"kind\":\"feed-down\",\"threshold\":30}]");
  g_assert_cmpuint (rules->len, ==, 5);

  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpstr (rule->id, ==, "a");
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_QUEUE_WAITING);
  g_assert_true (rule->enabled);
  g_assert_cmpint (rule->severity, ==, FW_ALERT_SEVERITY_WARNING);
  g_assert_cmpuint (rule->threshold, ==, 5);
  g_assert_cmpstr (rule->target_id, ==, SUPPORT);

  rule = g_ptr_array_index (rules, 1);
  g_assert_nonnull (rule->id);
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_LONGEST_WAIT);
  g_assert_false (rule->enabled);
  g_assert_cmpint (rule->severity, ==, FW_ALERT_SEVERITY_CRITICAL);
  g_assert_cmpuint (rule->threshold, ==, 90);
  g_assert_null (rule->target_id);

  rule = g_ptr_array_index (rules, 2);
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_AGENT_NOT_RESPONDING);
  g_assert_cmpstr (rule->target_id, ==, ANA);
  g_assert_cmpuint (rule->threshold, ==, 0);

  rule = g_ptr_array_index (rules, 3);
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_AGENT_PRESENCE);
  g_assert_cmpint (rule->severity, ==, FW_ALERT_SEVERITY_INFO);
  g_assert_cmpuint (g_strv_length (rule->presences), ==, 3);
  g_assert_cmpstr (rule->presences[0], ==, "BREAK");
  g_assert_cmpstr (rule->presences[1], ==, "ON_QUEUE");
  g_assert_cmpstr (rule->presences[2], ==, "OUT_SICK");

  /* A repeated id would mix two rules' alerts: the second gets a new one. */
  rule = g_ptr_array_index (rules, 4);
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_FEED_DOWN);
  g_assert_cmpint (rule->severity, ==, FW_ALERT_SEVERITY_CRITICAL);
  g_assert_cmpstr (rule->id, !=, "a");

  /* What is written reads back the same. */
  json = fw_alert_rules_serialize (rules);
  again = parse_ok (json);
  g_assert_cmpuint (again->len, ==, rules->len);
  for (guint i = 0; i < rules->len; i++)
    {
      FwAlertRule *a = g_ptr_array_index (rules, i);
      FwAlertRule *b = g_ptr_array_index (again, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpint (a->enabled, ==, b->enabled);
      g_assert_cmpint (a->severity, ==, b->severity);
      g_assert_cmpuint (a->threshold, ==, b->threshold);
      g_assert_cmpstr (a->target_id, ==, b->target_id);
      g_assert_true ((a->presences == NULL) == (b->presences == NULL));
      if (a->presences != NULL)
        g_assert_true (g_strv_equal ((const char * const *) a->presences,
                                     (const char * const *) b->presences));
    }

  g_clear_pointer (&rules, g_ptr_array_unref);
  rules = parse_ok ("[]");
  g_assert_cmpuint (rules->len, ==, 0);
}

static void
test_parse_errors (void)
{
  static const char * const bad[] = {
    "",
    "{}",
    "[1]",
    "[{}]",
    "[{\"kind\":\"queue-length\",\"threshold\":3}]",
    "[{\"kind\":7}]",
    "[{\"kind\":\"queue-waiting\"}]",
    "[{\"kind\":\"queue-waiting\",\"threshold\":0}]",
    "[{\"kind\":\"queue-waiting\",\"threshold\":-4}]",
    "[{\"kind\":\"queue-waiting\",\"threshold\":\"5\"}]",
    "[{\"kind\":\"queue-waiting\",\"threshold\":2.5}]",
    "[{\"kind\":\"longest-wait\",\"threshold\":99999999}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30,\"severity\":\"loud\"}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30,\"severity\":3}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30,\"enabled\":\"yes\"}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30,\"id\":\"\"}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30,\"id\":12}]",
    "[{\"kind\":\"agent-presence\"}]",
    "[{\"kind\":\"agent-presence\",\"presences\":[]}]",
    "[{\"kind\":\"agent-presence\",\"presences\":[\"\"]}]",
    "[{\"kind\":\"agent-presence\",\"presences\":[3]}]",
    "[{\"kind\":\"agent-not-responding\",\"target\":\"\"}]",
    "[{\"kind\":\"agent-not-responding\",\"target\":[]}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30}, {\"kind\":\"nope\"}]",
    "[{\"kind\":\"feed-down\",\"threshold\":30}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rules = fw_alert_rules_parse (bad[i], &error);

      g_test_message ("%s → %s", bad[i], error ? error->message : "(accepted)");
      g_assert_null (rules);
      g_assert_error (error, FW_ALERT_RULES_ERROR, FW_ALERT_RULES_ERROR_INVALID);
    }

  /* The message says which rule. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rules = fw_alert_rules_parse ("[{\"kind\":\"feed-down\",\"threshold\":30},"
                                                       " {\"kind\":\"queue-waiting\",\"threshold\":0}]",
                                                       &error);

    g_assert_null (rules);
    g_assert_nonnull (strstr (error->message, "2"));
    g_assert_nonnull (strstr (error->message, "threshold"));
  }
}

static void
test_new_rule_defaults (void)
{
  g_autoptr(FwAlertRule) waiting = fw_alert_rule_new (FW_ALERT_KIND_QUEUE_WAITING);
  g_autoptr(FwAlertRule) feed = fw_alert_rule_new (FW_ALERT_KIND_FEED_DOWN);
  g_autoptr(FwAlertRule) presence = fw_alert_rule_new (FW_ALERT_KIND_AGENT_PRESENCE);
  g_autoptr(FwAlertRule) copy = fw_alert_rule_copy (presence);

  g_assert_cmpstr (waiting->id, !=, feed->id);
  g_assert_true (waiting->enabled);
  g_assert_cmpuint (waiting->threshold, >, 0);
  g_assert_cmpuint (feed->threshold, >, 0);
  g_assert_cmpint (feed->severity, ==, FW_ALERT_SEVERITY_CRITICAL);
  g_assert_nonnull (presence->presences);
  g_assert_cmpstr (copy->id, ==, presence->id);
  g_assert_true (g_strv_equal ((const char * const *) copy->presences,
                               (const char * const *) presence->presences));
  g_assert_cmpstr (fw_alert_kind_to_string (FW_ALERT_KIND_LONGEST_WAIT), ==, "longest-wait");
  g_assert_cmpstr (fw_alert_severity_to_string (FW_ALERT_SEVERITY_INFO), ==, "info");
}

/* ---- Evaluation, with a board that notifications from the test feed ---- */

/* Both fixtures start with what the signal handlers fill in. */
typedef struct
{
  GPtrArray     *raised;    /* FwAlert */
  GPtrArray     *cleared;   /* alert id */
  FwSimServer   *sim;
  FwApi         *api;
  FwBoard       *board;
  FwAlertRules  *rules;
} Fixture;

static void
raised_cb (FwAlertRules *rules,
           FwAlert      *alert,
           Fixture      *f)
{
  g_ptr_array_add (f->raised, g_object_ref (alert));
}

static void
cleared_cb (FwAlertRules *rules,
            const char   *alert_id,
            Fixture      *f)
{
  g_ptr_array_add (f->cleared, g_strdup (alert_id));
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  fw_board_refresh_finish (FW_BOARD (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *topics[] = {
    SUPPORT_CONVERSATIONS, SUPPORT_OBSERVATIONS, SALES_OBSERVATIONS, ANA_ACTIVITY, NULL
  };
  gboolean done = FALSE;

  f->sim = fw_test_sim_new ();
  f->api = fw_test_api_new (f->sim, NULL);
  f->board = fw_board_new (f->api);
  g_object_set (f->board, "refresh-delay", 60000, NULL);
  fw_board_set_topics (f->board, topics);
  /* One re-read for the names and a board that is no longer stale; after
   * that, only what the test folds in changes it. */
  fw_board_refresh_async (f->board, NULL, refresh_cb, &done);
  FW_TEST_WAIT_UNTIL (done, 10000);
  g_assert_false (fw_board_get_stale (f->board));

  f->rules = fw_alert_rules_new ();
  fw_alert_rules_set_board (f->rules, f->board);
  f->raised = g_ptr_array_new_with_free_func (g_object_unref);
  f->cleared = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->rules, "alert-raised", G_CALLBACK (raised_cb), f);
  g_signal_connect (f->rules, "alert-cleared", G_CALLBACK (cleared_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->rules);
  g_clear_object (&f->board);
  g_clear_object (&f->api);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->raised, g_ptr_array_unref);
  g_clear_pointer (&f->cleared, g_ptr_array_unref);
}

static void
set_rules (Fixture    *f,
           const char *json)
{
  g_autoptr(GPtrArray) rules = parse_ok (json);

  fw_alert_rules_set_rules (f->rules, rules);
}

static void
fold (Fixture    *f,
      const char *topic,
      JsonNode   *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwNotification) notification = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topicName");
  json_builder_add_string_value (builder, topic);
  json_builder_set_member_name (builder, "eventBody");
  json_builder_add_value (builder, body);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "CorrelationId");
  json_builder_add_string_value (builder, uuid);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  notification = fw_notification_new_from_data (text, strlen (text), g_get_real_time (), &error);
  g_assert_no_error (error);
  fw_board_handle_notification (f->board, notification);
}

/* Support has @waiting interactions waiting, as an observation says. */
static void
set_waiting (Fixture *f,
             guint    waiting)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "group");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queueId");
  json_builder_add_string_value (builder, SUPPORT);
  json_builder_set_member_name (builder, "mediaType");
  json_builder_add_string_value (builder, "voice");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metric");
  json_builder_add_string_value (builder, "oWaiting");
  json_builder_set_member_name (builder, "stats");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, waiting);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  fold (f, SUPPORT_OBSERVATIONS, json_builder_get_root (builder));
  fw_test_run_for (30);
}

static char *
format_time (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (real_us % G_USEC_PER_SEC / 1000));
}

/* Conversation @id waits in Support since @since_us, or not (an agent took it). */
static void
set_conversation (Fixture    *f,
                  const char *id,
                  gint64      since_us,
                  gboolean    answered)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *since = format_time (since_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, "acd");
  json_builder_set_member_name (builder, "queueId");
  json_builder_add_string_value (builder, SUPPORT);
  json_builder_set_member_name (builder, "connectedTime");
  json_builder_add_string_value (builder, since);
  if (answered)
    {
      json_builder_set_member_name (builder, "endTime");
      json_builder_add_string_value (builder, since);
    }
  json_builder_end_object (builder);
  if (answered)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "purpose");
      json_builder_add_string_value (builder, "agent");
      json_builder_set_member_name (builder, "connectedTime");
      json_builder_add_string_value (builder, since);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  fold (f, SUPPORT_CONVERSATIONS, json_builder_get_root (builder));
  fw_test_run_for (30);
}

/* Ana's presence and routing status, as an activity event says. */
static void
set_ana (Fixture    *f,
         const char *presence,
         const char *routing_status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = format_time (g_get_real_time ());

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "routingStatus");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, routing_status);
  json_builder_set_member_name (builder, "startTime");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "presence");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "presenceDefinition");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "systemPresence");
  json_builder_add_string_value (builder, presence);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "modifiedDate");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  fold (f, ANA_ACTIVITY, json_builder_get_root (builder));
  fw_test_run_for (30);
}

static FwAlert *
last_raised (Fixture *f)
{
  g_assert_cmpuint (f->raised->len, >, 0);
  return g_ptr_array_index (f->raised, f->raised->len - 1);
}

static void
test_queue_waiting (Fixture       *f,
                    gconstpointer  data)
{
  FwAlert *alert;
  g_autofree char *target = NULL;

  set_rules (f, "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");
  set_waiting (f, 2);
  g_assert_cmpuint (f->raised->len, ==, 0);
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 0);

  set_waiting (f, 3);
  g_assert_cmpuint (f->raised->len, ==, 1);
  alert = last_raised (f);
  g_assert_cmpstr (fw_alert_get_id (alert), ==, "busy:queue:" SUPPORT);
  g_assert_cmpstr (fw_alert_get_rule_id (alert), ==, "busy");
  g_assert_cmpint (fw_alert_get_kind (alert), ==, FW_ALERT_KIND_QUEUE_WAITING);
  g_assert_cmpint (fw_alert_get_severity (alert), ==, FW_ALERT_SEVERITY_WARNING);
  g_assert_cmpint (fw_alert_get_target_kind (alert), ==, FW_ALERT_TARGET_QUEUE);
  g_assert_cmpstr (fw_alert_get_target_id (alert), ==, SUPPORT);
  target = fw_alert_dup_target (alert);
  g_assert_cmpstr (target, ==, "queue:" SUPPORT);
  g_assert_cmpstr (fw_alert_get_title (alert), ==, "Support: 3 waiting");
  g_assert_cmpstr (fw_alert_get_body (alert), ==,
                   "3 interactions are waiting in Support; the alert is set at 3.");
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 1);
  g_assert_true (fw_alert_rules_lookup_alert (f->rules, "busy:queue:" SUPPORT) != NULL);

  /* Still over: no second raise. */
  set_waiting (f, 5);
  g_assert_cmpuint (f->raised->len, ==, 1);
  g_assert_cmpstr (fw_alert_get_title (fw_alert_rules_lookup_alert (f->rules, "busy:queue:" SUPPORT)),
                   ==, "Support: 5 waiting");

  set_waiting (f, 1);
  g_assert_cmpuint (f->cleared->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->cleared, 0), ==, "busy:queue:" SUPPORT);
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 0);
  g_assert_null (fw_alert_rules_lookup_alert (f->rules, "busy:queue:" SUPPORT));
  g_assert_cmpuint (f->raised->len, ==, 1);
}

static void
test_target_and_disabled (Fixture       *f,
                          gconstpointer  data)
{
  set_rules (f, "[{\"id\":\"sales\",\"kind\":\"queue-waiting\",\"threshold\":1,\"target\":\"" SALES "\"},"
                " {\"id\":\"off\",\"kind\":\"queue-waiting\",\"threshold\":1,\"enabled\":false}]");
  set_waiting (f, 4);
  g_assert_cmpuint (f->raised->len, ==, 0);

  /* Changing the rules evaluates them at once; a removed rule clears. */
  set_rules (f, "[{\"id\":\"support\",\"kind\":\"queue-waiting\",\"threshold\":1,\"target\":\"" SUPPORT "\"}]");
  g_assert_cmpuint (f->raised->len, ==, 1);
  set_rules (f, "[]");
  g_assert_cmpuint (f->cleared->len, ==, 1);
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 0);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_object_set (f->rules, "min-raise-interval", 3000, NULL);
  set_rules (f, "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");

  /* A flapping queue: raised once, cleared each time it drops. */
  for (guint i = 0; i < 10; i++)
    {
      set_waiting (f, 4);
      set_waiting (f, 2);
    }
  g_assert_cmpuint (f->raised->len, ==, 1);
  g_assert_cmpuint (f->cleared->len, ==, 10);

  /* Still over when the interval is up: raised then, once. */
  set_waiting (f, 4);
  g_assert_cmpuint (f->raised->len, ==, 1);
  FW_TEST_WAIT_UNTIL (f->raised->len == 2, 10000);
  fw_test_run_for (200);
  g_assert_cmpuint (f->raised->len, ==, 2);
  g_assert_cmpstr (fw_alert_get_title (last_raised (f)), ==, "Support: 4 waiting");
}

static void
test_mute (Fixture       *f,
           gconstpointer  data)
{
  const char *id = "busy:queue:" SUPPORT;

  g_object_set (f->rules, "min-raise-interval", 0, NULL);
  set_rules (f, "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");
  set_waiting (f, 3);
  g_assert_cmpuint (f->raised->len, ==, 1);

  g_assert_false (fw_alert_rules_mute (f->rules, "no-such-alert", 2));
  g_assert_true (fw_alert_rules_mute (f->rules, id, 2));
  /* Muted: coming back says nothing. */
  set_waiting (f, 1);
  set_waiting (f, 6);
  fw_test_run_for (300);
  g_assert_cmpuint (f->raised->len, ==, 1);
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 1);

  /* Still there when the mute is over: raised again. */
  FW_TEST_WAIT_UNTIL (f->raised->len == 2, 10000);
  g_assert_cmpstr (fw_alert_get_title (last_raised (f)), ==, "Support: 6 waiting");
}

static void
test_mute_all (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.floorwatch.Floorwatch");
  gint64 now = g_get_real_time ();

  g_object_set (f->rules, "min-raise-interval", 0, NULL);
  g_settings_set_string (settings, "alert-rules",
                         "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");
  g_settings_set_int64 (settings, "alerts-muted-until", now / G_USEC_PER_SEC + 2);
  fw_alert_rules_bind_settings (f->rules, settings);
  g_assert_cmpuint (fw_alert_rules_get_rules (f->rules)->len, ==, 1);
  g_assert_true (fw_alert_rules_is_muted (f->rules));

  set_waiting (f, 5);
  fw_test_run_for (300);
  g_assert_cmpuint (f->raised->len, ==, 0);
  FW_TEST_WAIT_UNTIL (f->raised->len == 1, 10000);
  g_assert_false (fw_alert_rules_is_muted (f->rules));

  /* Settings changes follow; bad rules in them are refused, the old kept. */
  g_settings_set_int64 (settings, "alerts-muted-until", now / G_USEC_PER_SEC + 3600);
  g_assert_true (fw_alert_rules_is_muted (f->rules));
  g_settings_set_int64 (settings, "alerts-muted-until", 0);
  g_assert_false (fw_alert_rules_is_muted (f->rules));
  g_test_expect_message ("fw-alert-rules", G_LOG_LEVEL_WARNING, "*Keeping the alert rules*");
  g_settings_set_string (settings, "alert-rules", "[{\"kind\":\"nope\"}]");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fw_alert_rules_get_rules (f->rules)->len, ==, 1);
  g_settings_set_string (settings, "alert-rules", "[]");
  g_assert_cmpuint (fw_alert_rules_get_rules (f->rules)->len, ==, 0);
  g_assert_cmpuint (f->cleared->len, ==, 1);
}

static void
test_acknowledge (Fixture       *f,
                  gconstpointer  data)
{
  const char *id = "busy:queue:" SUPPORT;

  g_object_set (f->rules, "min-raise-interval", 0, NULL);
  set_rules (f, "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");
  set_waiting (f, 3);
  g_assert_cmpuint (f->raised->len, ==, 1);

  g_assert_true (fw_alert_rules_acknowledge (f->rules, id));
  set_waiting (f, 4);
  fw_alert_rules_evaluate (f->rules);
  g_assert_cmpuint (f->raised->len, ==, 1);

  /* Once it clears, it may come back. */
  set_waiting (f, 0);
  g_assert_cmpuint (f->cleared->len, ==, 1);
  g_assert_false (fw_alert_rules_acknowledge (f->rules, id));
  set_waiting (f, 3);
  g_assert_cmpuint (f->raised->len, ==, 2);
}

static void
test_reminders (Fixture       *f,
                gconstpointer  data)
{
  const char *id = "busy:queue:" SUPPORT;

  g_object_set (f->rules, "min-raise-interval", 0, "remind-interval", 400, NULL);
  set_rules (f, "[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3}]");
  set_waiting (f, 3);
  g_assert_cmpuint (f->raised->len, ==, 1);

  /* Still holding and not acknowledged: raised again by the clock alone,
   * under the same id. */
  FW_TEST_WAIT_UNTIL (f->raised->len == 2, 10000);
  g_assert_cmpstr (fw_alert_get_id (last_raised (f)), ==, id);

  /* And again, with what holds by then. */
  set_waiting (f, 7);
  FW_TEST_WAIT_UNTIL (f->raised->len == 3, 10000);
  g_assert_cmpstr (fw_alert_get_id (last_raised (f)), ==, id);
  g_assert_cmpstr (fw_alert_get_title (last_raised (f)), ==, "Support: 7 waiting");
  g_assert_cmpuint (f->cleared->len, ==, 0);

  /* Acknowledged: no more reminders. */
  g_assert_true (fw_alert_rules_acknowledge (f->rules, id));
  fw_test_run_for (1200);
  g_assert_cmpuint (f->raised->len, ==, 3);
}

static void
test_longest_wait (Fixture       *f,
                   gconstpointer  data)
{
  gint64 start = g_get_real_time () - 500 * 1000;
  FwAlert *alert;

  set_rules (f, "[{\"id\":\"slow\",\"kind\":\"longest-wait\",\"threshold\":2,\"severity\":\"critical\"}]");
  set_conversation (f, "c1", start, FALSE);
  g_assert_cmpuint (f->raised->len, ==, 0);

  /* No event says the time is up: the clock does. */
  FW_TEST_WAIT_UNTIL (f->raised->len == 1, 10000);
  /* Times travel as the API writes them, to the millisecond. */
  g_assert_cmpint (g_get_real_time () - start, >=, 2 * G_USEC_PER_SEC - 1000);
  alert = last_raised (f);
  g_assert_cmpstr (fw_alert_get_id (alert), ==, "slow:queue:" SUPPORT);
  g_assert_cmpint (fw_alert_get_severity (alert), ==, FW_ALERT_SEVERITY_CRITICAL);
  g_assert_true (g_str_has_prefix (fw_alert_get_title (alert), "Support: waiting "));
  g_assert_nonnull (strstr (fw_alert_get_body (alert), "the alert is set at 2 s"));

  /* The oldest is answered; the next has not waited long enough yet. */
  set_conversation (f, "c2", g_get_real_time (), FALSE);
  set_conversation (f, "c1", start, TRUE);
  g_assert_cmpuint (f->cleared->len, ==, 1);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (fw_board_lookup_queue (f->board, SUPPORT)),
                   >, start);
}

static void
test_agents (Fixture       *f,
             gconstpointer  data)
{
  FwAlert *alert;

  g_object_set (f->rules, "min-raise-interval", 0, NULL);
  set_rules (f, "[{\"id\":\"nr\",\"kind\":\"agent-not-responding\"},"
                " {\"id\":\"away\",\"kind\":\"agent-presence\",\"presences\":[\"Break\",\"Meal\"]}]");
  set_ana (f, "ON_QUEUE", "IDLE");
  g_assert_cmpuint (f->raised->len, ==, 0);

  set_ana (f, "ON_QUEUE", "NOT_RESPONDING");
  g_assert_cmpuint (f->raised->len, ==, 1);
  alert = last_raised (f);
  g_assert_cmpstr (fw_alert_get_id (alert), ==, "nr:agent:" ANA);
  g_assert_cmpstr (fw_alert_get_title (alert), ==, "Ana Silva is not responding");
  g_assert_cmpint (fw_alert_get_target_kind (alert), ==, FW_ALERT_TARGET_AGENT);

  /* REST spells it "Break", notifications "BREAK": the rule says "Break". */
  set_ana (f, "BREAK", "OFF_QUEUE");
  g_assert_cmpuint (f->cleared->len, ==, 1);
  g_assert_cmpuint (f->raised->len, ==, 2);
  alert = last_raised (f);
  g_assert_cmpstr (fw_alert_get_id (alert), ==, "away:agent:" ANA);
  g_assert_cmpstr (fw_alert_get_title (alert), ==, "Ana Silva: Break");
  g_assert_cmpint (fw_alert_get_severity (alert), ==, FW_ALERT_SEVERITY_INFO);

  set_ana (f, "On Queue", "IDLE");
  g_assert_cmpuint (f->cleared->len, ==, 2);
  g_assert_cmpuint (fw_alert_rules_get_n_active (f->rules), ==, 0);
}

/* ---- Against a live session ---- */

typedef struct
{
  GPtrArray     *raised;
  GPtrArray     *cleared;
  FwSimServer   *sim;
  FwApi         *api;
  FwSession     *session;
  FwBoard       *board;
  FwAlertRules  *rules;
} LiveFixture;

static void
live_set_up (LiveFixture   *f,
             gconstpointer  data)
{
  const char *topics[] = { SUPPORT_CONVERSATIONS, SUPPORT_OBSERVATIONS, ANA_ACTIVITY, NULL };

  f->sim = fw_test_sim_new ();
  g_object_set (f->sim, "heartbeat-interval", 200, NULL);
  f->api = fw_test_api_new (f->sim, NULL);
  g_object_set (f->api, "backoff-initial", 20, "max-retries", 2, NULL);
  f->session = fw_session_new (f->api);
  g_object_set (f->session, "heartbeat-timeout", 2000, "pong-timeout", 1000,
                "backoff-initial", 50, "backoff-cap", 400, NULL);
  fw_session_set_topics (f->session, topics);
  f->board = fw_board_new (f->api);
  g_object_set (f->board, "refresh-delay", 50, NULL);
  fw_board_set_session (f->board, f->session);
  f->rules = fw_alert_rules_new ();
  fw_alert_rules_set_board (f->rules, f->board);
  fw_alert_rules_set_session (f->rules, f->session);
  f->raised = g_ptr_array_new_with_free_func (g_object_unref);
  f->cleared = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->rules, "alert-raised", G_CALLBACK (raised_cb), f);
  g_signal_connect (f->rules, "alert-cleared", G_CALLBACK (cleared_cb), f);
}

static void
live_tear_down (LiveFixture   *f,
                gconstpointer  data)
{
  fw_session_stop (f->session);
  g_clear_object (&f->rules);
  g_clear_object (&f->board);
  g_clear_object (&f->session);
  g_clear_object (&f->api);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->raised, g_ptr_array_unref);
  g_clear_pointer (&f->cleared, g_ptr_array_unref);
}

static void
live_start (LiveFixture *f)
{
  fw_session_start (f->session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
  FW_TEST_WAIT_UNTIL (!fw_board_get_stale (f->board), 10000);
}

static void
test_live_queue_waiting (LiveFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) rules = parse_ok ("[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3,"
                                         "\"target\":\"" SUPPORT "\"}]");

  fw_alert_rules_set_rules (f->rules, rules);
  live_start (f);
  g_assert_cmpuint (f->raised->len, ==, 0);

  /* Calls come in and nobody routes them (no scenario steps). */
  for (guint i = 0; i < 3; i++)
    g_free (fw_sim_server_add_call (f->sim, SUPPORT));
  FW_TEST_WAIT_UNTIL (f->raised->len == 1, 10000);
  g_assert_cmpstr (fw_alert_get_title (g_ptr_array_index (f->raised, 0)), ==, "Support: 3 waiting");
  fw_test_run_for (300);
  g_assert_cmpuint (f->raised->len, ==, 1);

  /* The scenario routes them to idle agents: the alert clears. */
  for (guint i = 0; i < 50 && f->cleared->len == 0; i++)
    {
      fw_sim_server_step (f->sim);
      fw_test_run_for (100);
    }
  FW_TEST_WAIT_UNTIL (f->cleared->len == 1, 10000);
  g_assert_cmpstr (g_ptr_array_index (f->cleared, 0), ==, "busy:queue:" SUPPORT);
}

static void
test_live_not_responding (LiveFixture   *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) rules = parse_ok ("[{\"id\":\"nr\",\"kind\":\"agent-not-responding\"}]");

  fw_alert_rules_set_rules (f->rules, rules);
  live_start (f);

  g_assert_true (fw_sim_server_set_user_routing_status (f->sim, ANA, "NOT_RESPONDING"));
  FW_TEST_WAIT_UNTIL (f->raised->len == 1, 10000);
  g_assert_cmpstr (fw_alert_get_title (g_ptr_array_index (f->raised, 0)), ==,
                   "Ana Silva is not responding");
  g_assert_true (fw_sim_server_set_user_routing_status (f->sim, ANA, "IDLE"));
  FW_TEST_WAIT_UNTIL (f->cleared->len == 1, 10000);
}

static void
test_live_feed_down (LiveFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(FwTestNetworkMonitor) monitor = fw_test_network_monitor_new ();
  g_autoptr(GPtrArray) rules = parse_ok ("[{\"id\":\"feed\",\"kind\":\"feed-down\",\"threshold\":1},"
                                         " {\"id\":\"nr\",\"kind\":\"agent-not-responding\"}]");
  FwAlert *alert;
  gint64 down_at;

  g_object_set (f->session, "network-monitor", monitor, NULL);
  fw_alert_rules_set_rules (f->rules, rules);
  g_object_set (f->rules, "min-raise-interval", 0, NULL);
  live_start (f);

  fw_test_network_monitor_set_available (monitor, FALSE);
  fw_sim_server_drop_sockets (f->sim);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_NO_NETWORK, 5000);
  down_at = g_get_real_time ();
  g_assert_cmpuint (f->raised->len, ==, 0);

  /* While the board is stale its rules hold still: what happens now is not
   * seen, and no alert is raised or cleared on numbers that may be wrong. */
  g_assert_true (fw_sim_server_set_user_routing_status (f->sim, ANA, "NOT_RESPONDING"));

  FW_TEST_WAIT_UNTIL (f->raised->len == 1, 10000);
  g_assert_cmpint (g_get_real_time () - down_at, >=, 900 * 1000);
  alert = g_ptr_array_index (f->raised, 0);
  g_assert_cmpstr (fw_alert_get_id (alert), ==, "feed");
  g_assert_cmpstr (fw_alert_get_title (alert), ==, "The live feed is down");
  g_assert_cmpint (fw_alert_get_severity (alert), ==, FW_ALERT_SEVERITY_CRITICAL);
  g_assert_cmpint (fw_alert_get_target_kind (alert), ==, FW_ALERT_TARGET_NONE);

  /* Back: the feed alert clears, and the re-read finds what was missed. */
  fw_test_network_monitor_set_available (monitor, TRUE);
  FW_TEST_WAIT_UNTIL (f->cleared->len == 1, 10000);
  g_assert_cmpstr (g_ptr_array_index (f->cleared, 0), ==, "feed");
  FW_TEST_WAIT_UNTIL (f->raised->len == 2, 10000);
  g_assert_cmpstr (fw_alert_get_id (g_ptr_array_index (f->raised, 1)), ==, "nr:agent:" ANA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/alert-rules/parse", test_parse);
  g_test_add_func ("/engine/alert-rules/parse-errors", test_parse_errors);
  g_test_add_func ("/engine/alert-rules/new-rule-defaults", test_new_rule_defaults);

#define ADD(path, func) \
  g_test_add ("/engine/alert-rules/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("queue-waiting", test_queue_waiting);
  ADD ("target-and-disabled", test_target_and_disabled);
  ADD ("rate-limit", test_rate_limit);
  ADD ("mute", test_mute);
  ADD ("mute-all", test_mute_all);
  ADD ("acknowledge", test_acknowledge);
  ADD ("reminders", test_reminders);
  ADD ("longest-wait", test_longest_wait);
  ADD ("agents", test_agents);

#undef ADD
#define ADD(path, func) \
  g_test_add ("/engine/alert-rules/live/" path, LiveFixture, NULL, live_set_up, func, live_tear_down)

  ADD ("queue-waiting", test_live_queue_waiting);
  ADD ("not-responding", test_live_not_responding);
  ADD ("feed-down", test_live_feed_down);

#undef ADD

  return g_test_run ();
}
