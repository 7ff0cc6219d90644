/* test-describe.c — the sentences of the event list, from the sample payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "fw-describe.h"
#include "fw-topics.h"

#define QUEUE_SUPPORT "cb586cb1-0434-417f-b36f-0b602bb1ecee"
#define QUEUE_SALES   "8ba53579-3b98-46bd-81e5-43b8c8918e02"
#define USER_ANA      "76d4514d-9310-4d6f-9786-8e96377d8129"
#define USER_BRUNO    "4d27b7ff-d5ad-45d1-a4a5-04249d42dc38"

/* Names as the directory would give them once resolved. */
static const char *
names_cb (FwNameKind  kind,
          const char *id,
          gpointer    user_data)
{
  if (kind == FW_NAME_QUEUE && g_str_equal (id, QUEUE_SUPPORT))
    return "Support";
  if (kind == FW_NAME_QUEUE && g_str_equal (id, QUEUE_SALES))
    return "Sales";
  if (kind == FW_NAME_USER && g_str_equal (id, USER_ANA))
    return "Ana Silva";
  if (kind == FW_NAME_USER && g_str_equal (id, USER_BRUNO))
    return "Bruno Costa";
  return NULL;
}

typedef struct
{
  char     *topic;
  JsonNode *body;
} Sample;

static void
sample_free (Sample *sample)
{
  g_free (sample->topic);
  json_node_unref (sample->body);
  g_free (sample);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sample, sample_free)

/* A notification from tests/corpus, split into topic and body. */
static Sample *
load_sample (const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat ("sample-", name, ".json", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("FW_TEST_SRCDIR"), "corpus", "notification",
                                            file, NULL);
  JsonObject *root;
  Sample *sample;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  sample = g_new0 (Sample, 1);
  sample->topic = g_strdup (json_object_get_string_member (root, "topicName"));
  sample->body = json_node_copy (json_object_get_member (root, "eventBody"));
  return sample;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static gint64
time_of (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
assert_sentence (const char *topic,
                 JsonNode   *body,
                 gint64      received,
                 const char *expected)
{
  g_autofree char *sentence = fw_describe_sentence (topic, body, received, names_cb, NULL);

  g_assert_cmpstr (sentence, ==, expected);
}

static void
test_presence (void)
{
  g_autoptr(Sample) sample = load_sample ("user-presence");
  g_autofree char *text = fw_describe_event (sample->topic, sample->body, 0, names_cb, NULL);

  g_assert_cmpstr (text, ==, "is now On Queue");
  assert_sentence (sample->topic, sample->body, 0, "Ana Silva is now On Queue");
}

static void
test_routing_status (void)
{
  g_autoptr(Sample) sample = load_sample ("user-routingstatus");
  g_autoptr(JsonNode) not_responding = NULL;

  assert_sentence (sample->topic, sample->body, 0, "Ana Silva is now Idle");

  not_responding = parse ("{\"id\":\"" USER_ANA "\",\"routingStatus\":{\"status\":\"NOT_RESPONDING\"}}");
  assert_sentence (sample->topic, not_responding, 0, "Ana Silva is now Not Responding");
}

static void
test_activity (void)
{
  g_autoptr(Sample) sample = load_sample ("user-activity");

  assert_sentence (sample->topic, sample->body, 0, "Ana Silva is now On Queue and Interacting");
}

static void
test_status_spellings (void)
{
  /* REST says "On Queue", notifications say "ON_QUEUE". */
  g_assert_cmpstr (fw_describe_presence ("ON_QUEUE"), ==, "On Queue");
  g_assert_cmpstr (fw_describe_presence ("On Queue"), ==, "On Queue");
  g_assert_cmpstr (fw_describe_presence ("onqueue"), ==, "On Queue");
  g_assert_cmpstr (fw_describe_presence ("Available"), ==, "Available");
  g_assert_cmpstr (fw_describe_routing_status ("not_responding"), ==, "Not Responding");
  g_assert_cmpstr (fw_describe_routing_status ("Not Responding"), ==, "Not Responding");
  g_assert_cmpstr (fw_describe_routing_status ("OFF_QUEUE"), ==, "Off Queue");
  /* Values nobody knows are shown as they came. */
  g_assert_cmpstr (fw_describe_presence ("GARDENING_LEAVE"), ==, "GARDENING_LEAVE");
  g_assert_cmpstr (fw_describe_routing_status ("Dreaming"), ==, "Dreaming");
}

static void
test_unknown_status (void)
{
  g_autoptr(JsonNode) body = NULL;

  body = parse ("{\"presenceDefinition\":{\"id\":\"x\",\"systemPresence\":\"Lunch Break\"}}");
  assert_sentence ("v2.users." USER_ANA ".presence", body, 0, "Ana Silva is now Lunch Break");
}

static void
test_observations (void)
{
  g_autoptr(Sample) sample = load_sample ("queue-observations");

  assert_sentence (sample->topic, sample->body, 0,
                   "Support — Voice: 2 waiting, 3 interacting, 1 alerting");
}

static void
test_observations_users (void)
{
  g_autoptr(Sample) sample = load_sample ("queue-observations-users");

  /* 2 idle + 3 interacting on queue; three presences off queue. */
  assert_sentence (sample->topic, sample->body, 0, "Support — 5 agents on queue, 3 off queue");
}

static void
test_observations_longest (void)
{
  g_autoptr(JsonNode) body = NULL;

  /* Waiting conversations listed one by one: the oldest tells the longest wait. */
  body = parse ("{\"group\":{\"queueId\":\"" QUEUE_SUPPORT "\"},\"data\":[{\"metrics\":["
                "{\"metric\":\"oWaiting\",\"stats\":{\"count\":5},\"observations\":["
                "{\"observationDate\":\"2026-11-28T14:30:00.000Z\"},"
                "{\"observationDate\":\"2026-11-28T14:29:10.000Z\"}]}]}]}");
  assert_sentence ("v2.analytics.queues." QUEUE_SUPPORT ".observations", body,
                   time_of ("2026-11-28T14:31:20.000Z"), "Support — 5 waiting, longest 2 min");
}

static void
test_queue_conversation (void)
{
  g_autoptr(Sample) sample = load_sample ("queue-conversations");
  JsonArray *participants;
  JsonObject *agent;

  /* The customer is connected, the IVR has ended, ACD holds the call. */
  assert_sentence (sample->topic, sample->body, 0, "Support — Call from Carlos Mendes waiting");

  /* An agent picks it up. */
  participants = json_object_get_array_member (json_node_get_object (sample->body), "participants");
  agent = json_object_new ();
  json_object_set_string_member (agent, "purpose", "agent");
  json_object_set_string_member (agent, "userId", USER_ANA);
  json_object_set_string_member (agent, "connectedTime", "2026-11-28T14:32:10.000Z");
  json_array_add_object_element (participants, agent);
  assert_sentence (sample->topic, sample->body, 0,
                   "Support — Call from Carlos Mendes answered by Ana Silva");
}

static void
test_members (void)
{
  g_autoptr(Sample) sample = load_sample ("queue-members");

  assert_sentence (sample->topic, sample->body, 0, "Sales — Bruno Costa joined");
}

static void
test_detail_event (void)
{
  g_autoptr(Sample) sample = load_sample ("detail-acd-start");
  g_autofree char *id = NULL;

  /* A conversation is named after its queue. */
  g_assert_cmpint (fw_describe_subject (sample->topic, sample->body, &id), ==, FW_NAME_QUEUE);
  g_assert_cmpstr (id, ==, QUEUE_SUPPORT);
  g_assert_cmpint (fw_describe_kind (sample->topic), ==, FW_EVENT_KIND_CONVERSATION);
  assert_sentence (sample->topic, sample->body, 0, "Support — Voice interaction entered the queue");
}

static void
test_system (void)
{
  g_autoptr(Sample) closing = load_sample ("system-socket-closing");
  g_autoptr(Sample) moved = load_sample ("system-no-longer-subscribed");

  g_assert_cmpint (fw_describe_kind (closing->topic), ==, FW_EVENT_KIND_SYSTEM);
  assert_sentence (closing->topic, closing->body, 0,
                   "Genesys Cloud will close this connection soon; moving to a new one");
  assert_sentence (moved->topic, moved->body, 0,
                   "No longer subscribed: Topic subscriptions moved to another channel.");
}

static void
test_unresolved_names (void)
{
  g_autoptr(Sample) sample = load_sample ("user-presence");
  g_autofree char *sentence = NULL;

  /* Without a directory the id stands in for the name. */
  sentence = fw_describe_sentence (sample->topic, sample->body, 0, NULL, NULL);
  g_assert_cmpstr (sentence, ==, USER_ANA " is now On Queue");
}

static void
test_kinds (void)
{
  g_assert_cmpint (fw_describe_kind ("v2.routing.queues." QUEUE_SALES ".conversations"), ==,
                   FW_EVENT_KIND_CONVERSATION);
  g_assert_cmpint (fw_describe_kind ("v2.routing.queues." QUEUE_SALES ".users"), ==, FW_EVENT_KIND_QUEUE);
  g_assert_cmpint (fw_describe_kind ("v2.analytics.queues." QUEUE_SALES ".observations"), ==,
                   FW_EVENT_KIND_QUEUE);
  g_assert_cmpint (fw_describe_kind ("v2.users." USER_ANA "?presence&routingStatus"), ==,
                   FW_EVENT_KIND_AGENT);
  g_assert_cmpint (fw_describe_kind ("v2.system.token_revoked.x"), ==, FW_EVENT_KIND_SYSTEM);
  g_assert_cmpint (fw_describe_kind ("v2.something.new"), ==, FW_EVENT_KIND_SYSTEM);
}

/* Fields of the wrong type or missing altogether give a plain sentence,
 * never a crash. */
static void
test_malformed (void)
{
  static const char * const bodies[] = {
    "{}",
    "[]",
    "null",
    "42",
    "{\"presenceDefinition\":\"ON_QUEUE\"}",
    "{\"routingStatus\":{\"status\":7}}",
    "{\"participants\":{}}",
    "{\"participants\":[1,null,\"x\",{\"purpose\":5}]}",
    "{\"data\":[{\"metrics\":[{\"metric\":\"oWaiting\",\"stats\":{\"count\":\"lots\"}}]}]}",
    "{\"data\":7,\"metrics\":{}}",
    "{\"user\":{\"id\":3},\"joined\":\"yes\"}",
  };
  static const char * const topics[] = {
    "v2.users." USER_ANA ".presence",
    "v2.users." USER_ANA ".routingStatus",
    "v2.users." USER_ANA ".activity",
    "v2.routing.queues." QUEUE_SUPPORT ".conversations",
    "v2.routing.queues." QUEUE_SUPPORT ".users",
    "v2.analytics.queues." QUEUE_SUPPORT ".observations",
    "v2.detail.events.conversation.abc.acd.end",
    "v2.system.socket_closing",
    "v2.users.",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) body = parse (bodies[i]);

      for (guint j = 0; j < G_N_ELEMENTS (topics); j++)
        {
          g_autofree char *text = fw_describe_event (topics[j], body, 0, names_cb, NULL);
          g_autofree char *sentence = fw_describe_sentence (topics[j], body, 0, names_cb, NULL);

          g_assert_nonnull (text);
          g_assert_cmpstr (text, !=, "");
          g_assert_nonnull (sentence);
        }
    }
}

static void
test_durations (void)
{
  g_autofree char *seconds = fw_describe_duration (45 * 1000);
  g_autofree char *minutes = fw_describe_duration (150 * 1000);
  g_autofree char *hours = fw_describe_duration ((3600 + 5 * 60) * 1000);
  g_autofree char *negative = fw_describe_duration (-5);

  g_assert_cmpstr (seconds, ==, "45 s");
  g_assert_cmpstr (minutes, ==, "2 min");
  g_assert_cmpstr (hours, ==, "1 h 5 min");
  g_assert_cmpstr (negative, ==, "0 s");
}

static void
test_short_topic (void)
{
  g_autofree char *user = fw_describe_short_topic ("v2.users." USER_ANA ".routingStatus");
  g_autofree char *combined = fw_describe_short_topic ("v2.users." USER_ANA "?presence&routingStatus");
  g_autofree char *system = fw_describe_short_topic ("v2.system.socket_closing");

  g_assert_cmpstr (user, ==, "users.*.routingStatus");
  g_assert_cmpstr (combined, ==, "users.*?presence&routingStatus");
  g_assert_cmpstr (system, ==, "system.socket_closing");
}

static void
test_topics_roundtrip (void)
{
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  guint which = 0;

  fw_topics_add_queue (topics, QUEUE_SALES, FW_QUEUE_TOPIC_CONVERSATIONS | FW_QUEUE_TOPIC_MEMBERS);
  fw_topics_add_user (topics, USER_ANA, FW_USER_TOPIC_ROUTING_STATUS);
  g_assert_cmpuint (topics->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (topics, 0), ==, "v2.routing.queues." QUEUE_SALES ".conversations");
  g_assert_cmpstr (g_ptr_array_index (topics, 1), ==, "v2.routing.queues." QUEUE_SALES ".users");
  g_assert_cmpstr (g_ptr_array_index (topics, 2), ==, "v2.users." USER_ANA ".routingStatus");

  g_assert_cmpint (fw_topics_parse (g_ptr_array_index (topics, 1), &id, &which), ==, FW_NAME_QUEUE);
  g_assert_cmpstr (id, ==, QUEUE_SALES);
  g_assert_cmpuint (which, ==, FW_QUEUE_TOPIC_MEMBERS);
  g_clear_pointer (&id, g_free);

  g_assert_cmpint (fw_topics_parse ("v2.analytics.queues." QUEUE_SUPPORT ".observations", &id, &which), ==,
                   FW_NAME_QUEUE);
  g_assert_cmpuint (which, ==, FW_QUEUE_TOPIC_OBSERVATIONS);
  g_clear_pointer (&id, g_free);

  /* Topics the picker keeps as they are. */
  g_assert_cmpint (fw_topics_parse ("v2.detail.events.conversation.x.acd.start", &id, &which), ==,
                   FW_NAME_NONE);
  g_assert_null (id);
  g_assert_cmpint (fw_topics_parse ("v2.users.a.b.presence", &id, &which), ==, FW_NAME_NONE);
  g_assert_cmpint (fw_topics_parse ("v2.users." USER_ANA "?presence&routingStatus", &id, &which), ==,
                   FW_NAME_NONE);

  g_assert_true (fw_topics_is_valid ("v2.detail.events.conversation.x.acd.start"));
  g_assert_false (fw_topics_is_valid ("v2.users.{id}.presence"));
  g_assert_false (fw_topics_is_valid ("v2.users.x presence"));
  g_assert_false (fw_topics_is_valid ("users.x.presence"));
  g_assert_false (fw_topics_is_valid (""));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/describe/presence", test_presence);
  g_test_add_func ("/app/describe/routing-status", test_routing_status);
  g_test_add_func ("/app/describe/activity", test_activity);
  g_test_add_func ("/app/describe/status-spellings", test_status_spellings);
  g_test_add_func ("/app/describe/unknown-status", test_unknown_status);
  g_test_add_func ("/app/describe/observations", test_observations);
  g_test_add_func ("/app/describe/observations-users", test_observations_users);
  g_test_add_func ("/app/describe/observations-longest", test_observations_longest);
  g_test_add_func ("/app/describe/queue-conversation", test_queue_conversation);
  g_test_add_func ("/app/describe/members", test_members);
  g_test_add_func ("/app/describe/detail-event", test_detail_event);
  g_test_add_func ("/app/describe/system", test_system);
  g_test_add_func ("/app/describe/unresolved-names", test_unresolved_names);
  g_test_add_func ("/app/describe/kinds", test_kinds);
  g_test_add_func ("/app/describe/malformed", test_malformed);
  g_test_add_func ("/app/describe/durations", test_durations);
  g_test_add_func ("/app/describe/short-topic", test_short_topic);
  g_test_add_func ("/app/topics/roundtrip", test_topics_roundtrip);

  return g_test_run ();
}
