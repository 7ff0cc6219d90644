/* test-board.c — the board: notifications folded in, REST re-reads, gaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-board.h"
#include "fw-test-util.h"

#define SUPPORT FW_SIM_QUEUE_SUPPORT
#define SALES   FW_SIM_QUEUE_SALES
#define ANA     FW_SIM_USER_ANA
#define BRUNO   "4d27b7ff-d5ad-45d1-a4a5-04249d42dc38"

/* ---- Helpers ---- */

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static FwNotification *
load_sample (const char *file)
{
  const char *srcdir = g_getenv ("FW_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  FwNotification *notification;
  gsize length = 0;

  g_assert_nonnull (srcdir);
  path = g_build_filename (srcdir, "corpus", "notification", file, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  notification = fw_notification_new_from_data (contents, length, g_get_real_time (), &error);
  g_assert_no_error (error);
  return notification;
}

/* A notification on @topic whose eventBody is @body (JSON text). */
static FwNotification *
make_notification (const char *topic,
                   const char *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *text = NULL;
  FwNotification *notification;

  body_node = json_from_string (body, &error);
  g_assert_no_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topicName");
  json_builder_add_string_value (builder, topic);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "2");
  json_builder_set_member_name (builder, "eventBody");
  json_builder_add_value (builder, g_steal_pointer (&body_node));
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
  return notification;
}

static void
fold (FwBoard    *board,
      const char *topic,
      const char *body)
{
  g_autoptr(FwNotification) notification = make_notification (topic, body);

  fw_board_handle_notification (board, notification);
}

static void
fold_sample (FwBoard    *board,
             const char *file)
{
  g_autoptr(FwNotification) notification = load_sample (file);

  fw_board_handle_notification (board, notification);
}

/* Every queue and user of the simulator: conversations and observations of
 * each queue, presence and routing status of each user. */
static GStrv
all_topics (FwSimServer *sim)
{
  g_auto(GStrv) queues = fw_sim_server_dup_queue_ids (sim);
  g_auto(GStrv) users = fw_sim_server_dup_user_ids (sim);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; queues[i] != NULL; i++)
    {
      g_autofree char *conversations = g_strdup_printf ("v2.routing.queues.%s.conversations", queues[i]);
      g_autofree char *observations = g_strdup_printf ("v2.analytics.queues.%s.observations", queues[i]);

      g_strv_builder_add (builder, conversations);
      g_strv_builder_add (builder, observations);
    }
  for (guint i = 0; users[i] != NULL; i++)
    {
      g_autofree char *combined = g_strdup_printf ("v2.users.%s?presence&routingStatus", users[i]);
      g_autofree char *presence = g_strdup_printf ("v2.users.%s.presence", users[i]);
      g_autofree char *routing = g_strdup_printf ("v2.users.%s.routingStatus", users[i]);

      /* Half of them combined, half as two topics. */
      if (i % 2 == 0)
        g_strv_builder_add (builder, combined);
      else
        {
          g_strv_builder_add (builder, presence);
          g_strv_builder_add (builder, routing);
        }
    }
  return g_strv_builder_end (builder);
}

/* Compares every number of the board with the simulator's state; returns a
 * description of the first difference, or NULL. */
static char *
dup_difference (FwBoard     *board,
                FwSimServer *sim)
{
  GListModel *queues = fw_board_get_queues (board);
  GListModel *agents = fw_board_get_agents (board);

  for (guint i = 0; i < g_list_model_get_n_items (queues); i++)
    {
      g_autoptr(FwBoardQueue) queue = g_list_model_get_item (queues, i);
      const char *id = fw_board_queue_get_id (queue);
      struct
      {
        const char *what;
        guint       board;
        int         truth;
      } numbers[] = {
        { "waiting", fw_board_queue_get_waiting (queue), fw_sim_server_get_queue_waiting (sim, id) },
        { "interacting", fw_board_queue_get_interacting (queue),
          fw_sim_server_get_queue_interacting (sim, id) },
        { "alerting", fw_board_queue_get_alerting (queue), fw_sim_server_get_queue_alerting (sim, id) },
        { "on queue", fw_board_queue_get_agents_on_queue (queue),
          fw_sim_server_count_queue_users (sim, id, "ON_QUEUE") },
        { "idle", fw_board_queue_get_agents_idle (queue), fw_sim_server_count_queue_users (sim, id, "IDLE") },
      };

      if (!fw_board_queue_get_counts_known (queue))
        return g_strdup_printf ("queue %s: counts unknown", id);
      if (g_strcmp0 (fw_board_queue_get_name (queue), fw_sim_server_get_queue_name (sim, id)) != 0)
        return g_strdup_printf ("queue %s: name %s", id, fw_board_queue_get_name (queue));
      for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
        if ((int) numbers[n].board != numbers[n].truth)
          return g_strdup_printf ("queue %s: %s %u, truth %d", fw_board_queue_get_name (queue),
                                  numbers[n].what, numbers[n].board, numbers[n].truth);
      if ((fw_board_queue_get_waiting (queue) == 0) != (fw_board_queue_get_longest_wait_start (queue) == 0))
        return g_strdup_printf ("queue %s: %u waiting, longest wait since %" G_GINT64_FORMAT,
                                fw_board_queue_get_name (queue), fw_board_queue_get_waiting (queue),
                                fw_board_queue_get_longest_wait_start (queue));
    }

  for (guint i = 0; i < g_list_model_get_n_items (agents); i++)
    {
      g_autoptr(FwBoardAgent) agent = g_list_model_get_item (agents, i);
      const char *id = fw_board_agent_get_id (agent);

      if (g_strcmp0 (fw_board_agent_get_name (agent), fw_sim_server_get_user_name (sim, id)) != 0)
        return g_strdup_printf ("agent %s: name %s", id, fw_board_agent_get_name (agent));
      if (!fw_board_status_equal (fw_board_agent_get_presence (agent),
                                  fw_sim_server_get_user_presence (sim, id)))
        return g_strdup_printf ("agent %s: presence %s, truth %s", fw_board_agent_get_name (agent),
                                fw_board_agent_get_presence (agent),
                                fw_sim_server_get_user_presence (sim, id));
      if (!fw_board_status_equal (fw_board_agent_get_routing_status (agent),
                                  fw_sim_server_get_user_routing_status (sim, id)))
        return g_strdup_printf ("agent %s: routing status %s, truth %s", fw_board_agent_get_name (agent),
                                fw_board_agent_get_routing_status (agent),
                                fw_sim_server_get_user_routing_status (sim, id));
      if (fw_board_agent_get_presence_since (agent) == 0 || fw_board_agent_get_routing_since (agent) == 0)
        return g_strdup_printf ("agent %s: no time in status", fw_board_agent_get_name (agent));
    }
  return NULL;
}

static gboolean
board_matches (FwBoard     *board,
               FwSimServer *sim)
{
  g_autofree char *difference = dup_difference (board, sim);

  return difference == NULL;
}

static void
assert_board_matches (FwBoard     *board,
                      FwSimServer *sim)
{
  g_autofree char *difference = dup_difference (board, sim);

  if (difference != NULL)
    g_error ("The board differs from the simulator: %s", difference);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (!fw_board_refresh_finish (FW_BOARD (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Refreshes and waits; returns the error, or NULL on success. */
static GError *
refresh_and_wait (FwBoard *board)
{
  GError *error = NULL;

  fw_board_refresh_async (board, NULL, refresh_cb, &error);
  FW_TEST_WAIT_UNTIL (error != NULL, 10000);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* ---- Tests without a server ---- */

static void
test_status (void)
{
  g_autofree char *on_queue = fw_board_normalize_status ("On Queue");
  g_autofree char *joined = fw_board_normalize_status ("OnQueue");
  g_autofree char *upper = fw_board_normalize_status ("ON_QUEUE");
  g_autofree char *available = fw_board_normalize_status ("Available");
  g_autofree char *not_responding = fw_board_normalize_status ("not_responding");
  g_autofree char *unknown = fw_board_normalize_status (" Out Sick ");

  g_assert_cmpstr (on_queue, ==, "ON_QUEUE");
  g_assert_cmpstr (joined, ==, "ON_QUEUE");
  g_assert_cmpstr (upper, ==, "ON_QUEUE");
  g_assert_cmpstr (available, ==, "AVAILABLE");
  g_assert_cmpstr (not_responding, ==, "NOT_RESPONDING");
  g_assert_cmpstr (unknown, ==, "OUT_SICK");
  g_assert_null (fw_board_normalize_status (NULL));

  g_assert_true (fw_board_status_equal ("On Queue", "ON_QUEUE"));
  g_assert_true (fw_board_status_equal ("off_queue", "Off Queue"));
  g_assert_false (fw_board_status_equal ("ON_QUEUE", "OFF_QUEUE"));
  g_assert_false (fw_board_status_equal ("IDLE", NULL));
  g_assert_true (fw_board_status_equal (NULL, NULL));

  g_assert_cmpstr (fw_board_status_label ("NOT_RESPONDING"), ==, "Not Responding");
  g_assert_cmpstr (fw_board_status_label ("on queue"), ==, "On Queue");
  g_assert_cmpstr (fw_board_status_label ("OUT_SICK"), ==, "OUT_SICK");
}

static void
test_topics (void)
{
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autoptr(FwApi) api = fw_test_api_new (sim, NULL);
  g_autoptr(FwBoard) board = fw_board_new (api);
  const char *topics[] = {
    "v2.users." ANA "?presence&routingStatus",
    "v2.routing.queues." SUPPORT ".conversations",
    "v2.analytics.queues." SUPPORT ".observations",
    "v2.analytics.queues." SALES ".observations",
    "v2.users." BRUNO ".activity",
    "v2.users." ANA ".presence",
    "v2.detail.events.conversation.eea630fc-c69a-4f39-a9d3-f450e60b32ea.acd.start",
    "v2.users." BRUNO ".conversations",
    "v2.routing.queues..conversations",
    "channel.metadata",
    NULL
  };
  const char *fewer[] = { "v2.routing.queues." SALES ".users", "v2.users." BRUNO ".routingStatus", NULL };
  GListModel *queues = fw_board_get_queues (board);
  GListModel *agents = fw_board_get_agents (board);
  g_autoptr(FwBoardQueue) sales = NULL;
  g_autoptr(FwBoardAgent) bruno = NULL;
  g_autoptr(FwBoardQueue) first_queue = NULL;
  g_autoptr(FwBoardAgent) first_agent = NULL;

  g_object_set (board, "refresh-delay", 60000, NULL);
  g_assert_true (fw_board_get_stale (board));
  g_assert_cmpint (fw_board_get_confirmed_time (board), ==, 0);

  fw_board_set_topics (board, topics);
  g_assert_cmpuint (g_list_model_get_n_items (queues), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (agents), ==, 2);
  first_queue = g_list_model_get_item (queues, 0);
  sales = g_list_model_get_item (queues, 1);
  first_agent = g_list_model_get_item (agents, 0);
  bruno = g_list_model_get_item (agents, 1);
  g_assert_cmpstr (fw_board_queue_get_id (first_queue), ==, SUPPORT);
  g_assert_cmpstr (fw_board_queue_get_id (sales), ==, SALES);
  g_assert_cmpstr (fw_board_agent_get_id (first_agent), ==, ANA);
  g_assert_cmpstr (fw_board_agent_get_id (bruno), ==, BRUNO);
  g_assert_true (fw_board_lookup_queue (board, SUPPORT) == first_queue);
  g_assert_true (fw_board_lookup_agent (board, ANA) == first_agent);
  g_assert_null (fw_board_lookup_queue (board, "8057550d-ca0a-49c0-8ede-f549db67dc2c"));
  g_assert_false (fw_board_queue_get_counts_known (first_queue));

  /* What stays keeps its item; what goes leaves the lists. */
  fw_board_set_topics (board, fewer);
  g_assert_cmpuint (g_list_model_get_n_items (queues), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (agents), ==, 1);
  g_assert_true (fw_board_lookup_queue (board, SALES) == sales);
  g_assert_true (fw_board_lookup_agent (board, BRUNO) == bruno);
  g_assert_null (fw_board_lookup_queue (board, SUPPORT));
  g_assert_null (fw_board_lookup_agent (board, ANA));

  fw_board_set_topics (board, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (queues), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (agents), ==, 0);
}

static FwBoard *
board_for_samples (FwApi *api)
{
  const char *topics[] = {
    "v2.routing.queues." SUPPORT ".conversations",
    "v2.analytics.queues." SUPPORT ".observations",
    "v2.users." ANA ".activity",
    "v2.users." ANA "?presence&routingStatus",
    NULL
  };
  FwBoard *board = fw_board_new (api);

  g_object_set (board, "refresh-delay", 60000, NULL);
  fw_board_set_topics (board, topics);
  return board;
}

static void
test_samples (void)
{
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autoptr(FwApi) api = fw_test_api_new (sim, NULL);
  g_autoptr(FwBoard) board = board_for_samples (api);
  FwBoardQueue *support = fw_board_lookup_queue (board, SUPPORT);
  FwBoardAgent *ana = fw_board_lookup_agent (board, ANA);
  guint changed = 0;

  g_signal_connect (board, "changed", G_CALLBACK (count_cb), &changed);

  fold_sample (board, "sample-queue-observations.json");
  g_assert_true (fw_board_queue_get_counts_known (support));
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 2);
  g_assert_cmpuint (fw_board_queue_get_interacting (support), ==, 3);
  g_assert_cmpuint (fw_board_queue_get_alerting (support), ==, 1);
  g_assert_cmpuint (changed, ==, 1);

  fold_sample (board, "sample-queue-observations-users.json");
  g_assert_cmpuint (fw_board_queue_get_agents_on_queue (support), ==, 5);
  g_assert_cmpuint (fw_board_queue_get_agents_idle (support), ==, 2);
  /* Agent counts leave the interaction counts alone. */
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 2);

  fold_sample (board, "sample-queue-conversations.json");
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), ==,
                   parse_time ("2026-11-28T14:31:52.302Z"));
  g_assert_cmpint (fw_board_queue_get_longest_wait (support, parse_time ("2026-11-28T14:33:52.302Z")),
                   ==, 120);

  fold_sample (board, "sample-user-presence.json");
  g_assert_cmpstr (fw_board_agent_get_presence (ana), ==, "ON_QUEUE");
  g_assert_cmpint (fw_board_agent_get_presence_since (ana), ==, parse_time ("2026-11-28T14:05:12.538Z"));
  fold_sample (board, "sample-user-routingstatus.json");
  g_assert_cmpstr (fw_board_agent_get_routing_status (ana), ==, "IDLE");
  g_assert_cmpint (fw_board_agent_get_routing_since (ana), ==, parse_time ("2026-11-28T14:05:12.861Z"));
  fold_sample (board, "sample-user-activity.json");
  g_assert_cmpstr (fw_board_agent_get_routing_status (ana), ==, "INTERACTING");
  g_assert_cmpint (fw_board_agent_get_routing_since (ana), ==, parse_time ("2026-11-28T14:33:07.114Z"));

  /* An older event arriving late does not undo a newer one. */
  changed = 0;
  fold_sample (board, "sample-user-routingstatus.json");
  g_assert_cmpstr (fw_board_agent_get_routing_status (ana), ==, "INTERACTING");
  g_assert_cmpuint (changed, ==, 0);

  /* Neither do topics nobody watches, nor other queues' bodies. */
  fold_sample (board, "sample-queue-members.json");
  fold (board, "v2.analytics.queues." SUPPORT ".observations",
        "{\"group\":{\"queueId\":\"" SALES "\"},\"data\":[{\"metrics\":"
        "[{\"metric\":\"oWaiting\",\"stats\":{\"count\":40}}]}]}");
  fold (board, "v2.analytics.queues." SALES ".observations",
        "{\"group\":{\"queueId\":\"" SALES "\"},\"data\":[{\"metrics\":"
        "[{\"metric\":\"oWaiting\",\"stats\":{\"count\":40}}]}]}");
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 2);
  g_assert_cmpuint (changed, ==, 0);
}

static void
test_odd_bodies (void)
{
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autoptr(FwApi) api = fw_test_api_new (sim, NULL);
  g_autoptr(FwBoard) board = board_for_samples (api);
  FwBoardQueue *support = fw_board_lookup_queue (board, SUPPORT);
  FwBoardAgent *ana = fw_board_lookup_agent (board, ANA);
  const char *bodies[] = {
    "{}",
    "{\"data\":7}",
    "{\"data\":[1,\"x\",null,{\"metrics\":{}}]}",
    "{\"data\":[{\"metrics\":[{\"metric\":5},{\"metric\":\"oWaiting\",\"stats\":\"x\"}]}]}",
    "{\"data\":[{\"metrics\":[{\"metric\":\"oWaiting\",\"stats\":{\"count\":-3}}]}]}",
    "{\"data\":[{\"metrics\":[{\"metric\":\"oWaiting\",\"stats\":{\"count\":1e300}}]}]}",
    "{\"participants\":[{\"purpose\":\"acd\",\"queueId\":\"" SUPPORT "\"}]}",
    "{\"id\":\"c1\",\"participants\":[{\"purpose\":7},{\"purpose\":\"acd\",\"queueId\":\"" SUPPORT "\","
      "\"connectedTime\":\"not a time\"}]}",
    "{\"presenceDefinition\":[],\"routingStatus\":\"IDLE\",\"presence\":5}",
    "{\"routingStatus\":{\"status\":null,\"startTime\":5}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      fold (board, "v2.analytics.queues." SUPPORT ".observations", bodies[i]);
      fold (board, "v2.routing.queues." SUPPORT ".conversations", bodies[i]);
      fold (board, "v2.users." ANA ".activity", bodies[i]);
    }

  /* Nonsense counts become 0 or the largest count; a conversation without a
   * readable time waits since it was received. */
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, G_MAXUINT);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), >, 0);
  g_assert_null (fw_board_agent_get_presence (ana));
  g_assert_null (fw_board_agent_get_routing_status (ana));
}

static void
test_media_types (void)
{
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autoptr(FwApi) api = fw_test_api_new (sim, NULL);
  g_autoptr(FwBoard) board = board_for_samples (api);
  FwBoardQueue *support = fw_board_lookup_queue (board, SUPPORT);
  const char *topic = "v2.analytics.queues." SUPPORT ".observations";

  fold (board, topic,
        "{\"group\":{\"queueId\":\"" SUPPORT "\",\"mediaType\":\"voice\"},\"data\":[{\"metrics\":["
        "{\"metric\":\"oWaiting\",\"stats\":{\"count\":3}},"
        "{\"metric\":\"oInteracting\",\"stats\":{\"count\":4}}]}]}");
  fold (board, topic,
        "{\"group\":{\"queueId\":\"" SUPPORT "\",\"mediaType\":\"chat\"},\"data\":[{\"metrics\":["
        "{\"metric\":\"oWaiting\",\"stats\":{\"count\":2}},"
        "{\"metric\":\"oInteracting\",\"stats\":{\"count\":1}}]}]}");
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 5);
  g_assert_cmpuint (fw_board_queue_get_interacting (support), ==, 5);

  /* A later voice count replaces the voice count only. */
  fold (board, topic,
        "{\"group\":{\"queueId\":\"" SUPPORT "\",\"mediaType\":\"voice\"},\"data\":[{\"metrics\":["
        "{\"metric\":\"oWaiting\",\"stats\":{\"count\":0}}]}]}");
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 2);
  g_assert_cmpuint (fw_board_queue_get_interacting (support), ==, 5);

  /* Agents: zero qualifiers are left out, so they count as zero. */
  fold (board, topic,
        "{\"group\":{\"queueId\":\"" SUPPORT "\"},\"data\":[{\"metrics\":["
        "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"IDLE\",\"stats\":{\"count\":2}},"
        "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"INTERACTING\",\"stats\":{\"count\":3}}]}]}");
  g_assert_cmpuint (fw_board_queue_get_agents_on_queue (support), ==, 5);
  g_assert_cmpuint (fw_board_queue_get_agents_idle (support), ==, 2);
  fold (board, topic,
        "{\"group\":{\"queueId\":\"" SUPPORT "\"},\"data\":[{\"metrics\":["
        "{\"metric\":\"oActiveUsers\",\"stats\":{\"count\":4}},"
        "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"INTERACTING\",\"stats\":{\"count\":1}}]}]}");
  g_assert_cmpuint (fw_board_queue_get_agents_on_queue (support), ==, 1);
  g_assert_cmpuint (fw_board_queue_get_agents_idle (support), ==, 0);
}

/* ---- Against the simulator ---- */

typedef struct
{
  FwSimServer *sim;
  FwApi       *api;
  FwSession   *session;
  FwBoard     *board;
  guint        refreshed;
  guint        refresh_failures;
  guint        gaps;
  char        *difference_at_gap;
} Fixture;

static void
refreshed_cb (FwBoard      *board,
              const GError *error,
              Fixture      *f)
{
  if (error == NULL)
    f->refreshed++;
  else
    f->refresh_failures++;
}

static char *dup_difference (FwBoard     *board,
                             FwSimServer *sim);

static void
gap_cb (FwSession *session,
        FwGap     *gap,
        Fixture   *f)
{
  f->gaps++;
  g_free (f->difference_at_gap);
  f->difference_at_gap = dup_difference (f->board, f->sim);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = fw_test_sim_new ();
  g_object_set (f->sim, "heartbeat-interval", 200, NULL);
  f->api = fw_test_api_new (f->sim, NULL);
  g_object_set (f->api, "backoff-initial", 20, "max-retries", 2, NULL);
  f->session = fw_session_new (f->api);
  g_object_set (f->session,
                "heartbeat-timeout", 2000,
                "pong-timeout", 1000,
                "backoff-initial", 50,
                "backoff-cap", 400,
                NULL);
  g_signal_connect (f->session, "gap", G_CALLBACK (gap_cb), f);
  f->board = fw_board_new (f->api);
  g_object_set (f->board, "refresh-delay", 50, "retry-interval", 200, NULL);
  g_signal_connect (f->board, "refreshed", G_CALLBACK (refreshed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fw_session_stop (f->session);
  g_clear_object (&f->board);
  g_clear_object (&f->session);
  g_clear_object (&f->api);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->difference_at_gap, g_free);
}

static void
start_live (Fixture *f)
{
  g_auto(GStrv) topics = all_topics (f->sim);

  fw_session_set_topics (f->session, (const char * const *) topics);
  fw_board_set_session (f->board, f->session);
  fw_session_start (f->session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_LIVE, 5000);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_auto(GStrv) topics = all_topics (f->sim);
  g_autoptr(GError) error = NULL;
  gint64 before;

  /* Some history first, so that there is something to read. */
  for (guint i = 0; i < 40; i++)
    fw_sim_server_step (f->sim);

  fw_board_set_topics (f->board, (const char * const *) topics);
  g_assert_cmpuint (g_list_model_get_n_items (fw_board_get_queues (f->board)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (fw_board_get_agents (f->board)), ==, 20);

  before = g_get_real_time ();
  error = refresh_and_wait (f->board);
  g_assert_no_error (error);
  assert_board_matches (f->board, f->sim);
  g_assert_false (fw_board_get_stale (f->board));
  g_assert_false (fw_board_get_refreshing (f->board));
  g_assert_cmpint (fw_board_get_confirmed_time (f->board), >=, before);
  g_assert_cmpuint (f->refreshed, ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/analytics/queues/observations/query"),
                    ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "GET", "/api/v2/users"), ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "GET", "/api/v2/routing/queues/"), ==, 5);

  /* Names are kept: a second re-read asks only for the numbers. */
  error = refresh_and_wait (f->board);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "GET", "/api/v2/routing/queues/"), ==, 5);
  g_assert_cmpuint (f->refreshed, ==, 2);
}

static void
test_refresh_longest_wait (Fixture       *f,
                           gconstpointer  data)
{
  const char *topics[] = {
    "v2.routing.queues." SUPPORT ".conversations",
    "v2.analytics.queues." SUPPORT ".observations",
    "v2.analytics.queues." SALES ".observations",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  FwBoardQueue *support;
  FwBoardQueue *sales;
  gint64 before;
  gint64 after;

  fw_board_set_topics (f->board, topics);
  support = fw_board_lookup_queue (f->board, SUPPORT);
  sales = fw_board_lookup_queue (f->board, SALES);

  before = g_get_real_time ();
  first = fw_sim_server_add_call (f->sim, SUPPORT);
  after = g_get_real_time ();
  second = fw_sim_server_add_call (f->sim, SUPPORT);
  third = fw_sim_server_add_call (f->sim, SALES);
  g_assert_nonnull (third);

  error = refresh_and_wait (f->board);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_board_queue_get_waiting (support), ==, 2);
  /* The simulator writes times to the millisecond. */
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), >=, before - 1000);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), <=, after);
  /* Sales's conversations are not watched: no longest wait to trust there. */
  g_assert_cmpuint (fw_board_queue_get_waiting (sales), ==, 1);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (sales), ==, 0);
}

static void
test_refresh_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(GStrv) topics = all_topics (f->sim);
  g_autoptr(GError) error = NULL;

  fw_board_set_topics (f->board, (const char * const *) topics);
  fw_sim_server_fail_requests (f->sim, "POST", "/api/v2/analytics/queues/observations/query", 500, 10, 0);
  error = refresh_and_wait (f->board);
  g_assert_error (error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  g_assert_true (fw_board_get_stale (f->board));
  g_assert_false (fw_board_get_refreshing (f->board));
  g_assert_cmpint (fw_board_get_confirmed_time (f->board), ==, 0);
  g_assert_cmpuint (f->refresh_failures, ==, 1);
}

static void
test_refresh_superseded (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(GStrv) topics = all_topics (f->sim);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *first = NULL;
  GError *second = NULL;
  GError *third = NULL;

  fw_board_set_topics (f->board, (const char * const *) topics);

  /* A new re-read cancels the one under way. */
  fw_board_refresh_async (f->board, NULL, refresh_cb, &first);
  fw_board_refresh_async (f->board, NULL, refresh_cb, &second);
  FW_TEST_WAIT_UNTIL (first != NULL && second != NULL, 10000);
  g_assert_error (first, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (second, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpuint (f->refreshed, ==, 1);

  /* So does the caller's cancellable. */
  fw_board_refresh_async (f->board, cancellable, refresh_cb, &third);
  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (third != NULL, 10000);
  g_assert_error (third, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (fw_board_get_refreshing (f->board));

  g_clear_error (&first);
  g_clear_error (&second);
  g_clear_error (&third);
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  guint requests;

  start_live (f);
  /* Live: the board re-reads once and is right. */
  FW_TEST_WAIT_UNTIL (f->refreshed == 1, 10000);
  g_assert_false (fw_board_get_stale (f->board));
  assert_board_matches (f->board, f->sim);
  requests = fw_sim_server_count_requests (f->sim, "POST", "/api/v2/analytics/queues/observations/query");

  /* From then on the notifications alone keep it right. */
  for (guint i = 0; i < 30; i++)
    {
      fw_sim_server_step (f->sim);
      fw_test_run_for (20);
    }
  /* Observations trail by up to a second per queue. */
  FW_TEST_WAIT_UNTIL (board_matches (f->board, f->sim), 10000);
  assert_board_matches (f->board, f->sim);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/analytics/queues/observations/query"),
                    ==, requests);
  g_assert_cmpuint (f->refreshed, ==, 1);
}

static void
test_gap (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *difference = NULL;
  g_autofree char *call = NULL;
  FwBoardQueue *support;
  gint64 before;
  gint64 after;
  guint refreshed;

  start_live (f);
  FW_TEST_WAIT_UNTIL (f->refreshed == 1, 10000);
  for (guint i = 0; i < 10; i++)
    {
      fw_sim_server_step (f->sim);
      fw_test_run_for (20);
    }
  FW_TEST_WAIT_UNTIL (board_matches (f->board, f->sim), 10000);

  /* The feed drops; the organization moves on while nobody listens. */
  fw_sim_server_drop_sockets (f->sim);
  for (guint i = 0; i < 40; i++)
    fw_sim_server_step (f->sim);
  before = g_get_real_time ();
  call = fw_sim_server_add_call (f->sim, SUPPORT);
  after = g_get_real_time ();
  refreshed = f->refreshed;

  /* What the feed missed, nobody sends again: without the re-read the board
   * would stay wrong.  With it, it is right as soon as the feed is back. */
  FW_TEST_WAIT_UNTIL (fw_board_get_stale (f->board), 5000);
  FW_TEST_WAIT_UNTIL (f->refreshed > refreshed, 10000);
  g_assert_cmpuint (f->gaps, ==, 1);
  g_test_message ("when the feed came back: %s", f->difference_at_gap);
  g_assert_nonnull (f->difference_at_gap);
  difference = dup_difference (f->board, f->sim);
  g_assert_null (difference);
  g_assert_false (fw_board_get_stale (f->board));
  g_assert_cmpint (fw_board_get_confirmed_time (f->board), >=, after);

  /* The longest wait is the one of the oldest call still waiting. */
  support = fw_board_lookup_queue (f->board, SUPPORT);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), >, 0);
  g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), <=, after);
  if (fw_sim_server_get_queue_waiting (f->sim, SUPPORT) == 1)
    g_assert_cmpint (fw_board_queue_get_longest_wait_start (support), >=, before - 1000);
}

static void
test_stale_while_down (Fixture       *f,
                       gconstpointer  data)
{
  g_object_set (f->session, "backoff-initial", 30000, "backoff-cap", 30000, NULL);
  start_live (f);
  FW_TEST_WAIT_UNTIL (f->refreshed == 1, 10000);
  g_assert_false (fw_board_get_stale (f->board));

  fw_sim_server_drop_sockets (f->sim);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (f->session) == FW_SESSION_STATE_RECONNECTING, 5000);
  g_assert_true (fw_board_get_stale (f->board));
  /* No point re-reading while nothing would keep it right. */
  fw_test_run_for (300);
  g_assert_cmpuint (f->refreshed, ==, 1);

  fw_session_reconnect_now (f->session);
  FW_TEST_WAIT_UNTIL (f->refreshed == 2, 10000);
  g_assert_false (fw_board_get_stale (f->board));
}

static void
test_retry_after_failure (Fixture       *f,
                          gconstpointer  data)
{
  /* Both attempts of the first automatic re-read fail (max-retries 2). */
  fw_sim_server_fail_requests (f->sim, "GET", "/api/v2/users", 503, 3, 0);
  start_live (f);
  FW_TEST_WAIT_UNTIL (f->refresh_failures == 1, 10000);
  g_assert_true (fw_board_get_stale (f->board));
  FW_TEST_WAIT_UNTIL (f->refreshed == 1, 10000);
  g_assert_false (fw_board_get_stale (f->board));
  assert_board_matches (f->board, f->sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/board/status", test_status);
  g_test_add_func ("/engine/board/topics", test_topics);
  g_test_add_func ("/engine/board/samples", test_samples);
  g_test_add_func ("/engine/board/odd-bodies", test_odd_bodies);
  g_test_add_func ("/engine/board/media-types", test_media_types);

#define ADD(path, func) \
  g_test_add ("/engine/board/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("refresh", test_refresh);
  ADD ("refresh-longest-wait", test_refresh_longest_wait);
  ADD ("refresh-failure", test_refresh_failure);
  ADD ("refresh-superseded", test_refresh_superseded);
  ADD ("live", test_live);
  ADD ("gap", test_gap);
  ADD ("stale-while-down", test_stale_while_down);
  ADD ("retry-after-failure", test_retry_after_failure);

#undef ADD

  return g_test_run ();
}
