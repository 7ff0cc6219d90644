/* fw-sim-scenario.c — the simulated organisation behind FwSimServer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Five queues and twenty agents.  Calls arrive in queues, wait, are offered
 * to the idle on-queue member who has been idle longest, are answered (or
 * not: the agent goes NOT_RESPONDING), and end; callers who wait too long may
 * hang up.  Agents take breaks, log off, come back, leave and rejoin queues.
 * Every change becomes the notification Genesys Cloud would publish for it,
 * shaped field for field like the samples.
 */

#define G_LOG_DOMAIN "fw-sim-scenario"

#include "config.h"

#include <string.h>

#include "fw-sim-scenario.h"

#define DIVISION_ID     "f99040b8-495d-4f35-991a-659a01516af8"
#define ADMIN_ID        "82cdf93c-a423-4e35-a220-b7442621c735"
#define ORG_DNIS        "tel:+18005550100"
#define OBSERVATION_GAP (G_USEC_PER_SEC)   /* one observation per second and topic */
#define ABANDON_AFTER   (20 * G_USEC_PER_SEC)
#define MAX_QUEUES      8

typedef enum {
  PRESENCE_ON_QUEUE,
  PRESENCE_AVAILABLE,
  PRESENCE_BREAK,
  PRESENCE_OFFLINE,
  N_PRESENCES
} Presence;

/* Ids from a public capture (UNCONFIRMED that every org shares them). */
static const struct
{
  const char *id;
  const char *system;    /* notifications and analytics */
  const char *display;   /* REST /users?expand=presence */
} presences[N_PRESENCES] = {
  { "e08eaf1b-ee47-4fa9-a231-1200e284798f", "ON_QUEUE", "On Queue" },
  { "6a3af858-942f-489d-9700-5f9bcdcdae9b", "AVAILABLE", "Available" },
  { "227b37e2-f1d0-4dd0-8f50-badd7cf6d158", "BREAK", "Break" },
  { "ccf3c10a-aa2c-4845-8e8d-f59fa48c58e5", "OFFLINE", "Offline" },
};

typedef enum {
  ROUTING_OFF_QUEUE,
  ROUTING_IDLE,
  ROUTING_INTERACTING,
  ROUTING_NOT_RESPONDING,
  ROUTING_COMMUNICATING,
  N_ROUTING
} Routing;

static const char * const routing_names[N_ROUTING] = {
  "OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING",
};

typedef struct
{
  const char *id;
  const char *name;
  const char *description;
  const char *created;
  const char *modified;
  guint       service_level_ms;
  double      arrival_rate;     /* calls per step */
} QueueInfo;

enum { Q_SUPPORT, Q_SALES, Q_BILLING, Q_TECHNICAL, Q_RETENTION, N_QUEUES };

static const QueueInfo queue_infos[N_QUEUES] = {
  { "cb586cb1-0434-417f-b36f-0b602bb1ecee", "Support", "Tier 1 customer support",
    "2025-02-11T10:19:05.000Z", "2026-10-21T08:12:47.000Z", 20000, 0.35 },
  { "8ba53579-3b98-46bd-81e5-43b8c8918e02", "Sales", "Inbound sales line",
    "2025-02-11T10:22:31.000Z", "2026-09-03T16:40:12.000Z", 30000, 0.2 },
  { "fe158981-6256-4812-b5eb-bb7837d51fb8", "Billing", "Invoices, payments and refunds",
    "2025-03-04T09:02:17.000Z", "2026-08-19T11:25:40.000Z", 30000, 0.15 },
  { "874c1cac-d71c-4652-a0b7-4db1032b04d1", "Technical", "Tier 2 technical support",
    "2025-03-04T09:07:52.000Z", "2026-10-02T14:51:03.000Z", 60000, 0.15 },
  { "8057550d-ca0a-49c0-8ede-f549db67dc2c", "Retention", "Cancellations and win-back offers",
    "2025-05-20T13:44:09.000Z", "2026-07-30T10:05:26.000Z", 45000, 0.08 },
};

G_STATIC_ASSERT (N_QUEUES <= MAX_QUEUES);

#define M(q) (1u << (q))

typedef struct
{
  const char *id;
  const char *name;
  const char *department;
  const char *title;
  guint       members;    /* queues the user belongs to */
  guint       joined;     /* queues the user is active in */
  Presence    presence;
} UserInfo;

static const UserInfo user_infos[] = {
  { "76d4514d-9310-4d6f-9786-8e96377d8129", "Ana Silva", "Customer Care", "Support Agent",
    M (Q_SUPPORT) | M (Q_SALES), M (Q_SUPPORT) | M (Q_SALES), PRESENCE_ON_QUEUE },
  { "4d27b7ff-d5ad-45d1-a4a5-04249d42dc38", "Bruno Costa", "Customer Care", "Sales Agent",
    M (Q_SALES), M (Q_SALES), PRESENCE_AVAILABLE },
  { "58b8afe6-4766-4af8-9e8f-212c3505829c", "Diego Ferreira", "Customer Care", "Support Agent",
    M (Q_SUPPORT), M (Q_SUPPORT), PRESENCE_ON_QUEUE },
  { "116ae9bb-5617-4792-975c-c38a621d62db", "Elena Rossi", "Technical Services", "Support Engineer",
    M (Q_SUPPORT) | M (Q_TECHNICAL), M (Q_SUPPORT) | M (Q_TECHNICAL), PRESENCE_ON_QUEUE },
  { "4670a6dc-14a3-4f6d-98b1-4f299937201d", "Farah Khan", "Customer Care", "Support Agent",
    M (Q_SUPPORT), M (Q_SUPPORT), PRESENCE_BREAK },
  { "9b1ce5d1-e986-49cb-a6f9-da0eeba2e5de", "Gustavo Lima", "Customer Care", "Support Agent",
    M (Q_SUPPORT), 0, PRESENCE_ON_QUEUE },
  { "def6b07a-ec7a-4a1d-b97d-a5d0cbc725ec", "Hannah Becker", "Technical Services", "Support Engineer",
    M (Q_SUPPORT) | M (Q_TECHNICAL), M (Q_SUPPORT) | M (Q_TECHNICAL), PRESENCE_ON_QUEUE },
  { "c61b92a3-fe28-499d-a858-ee6e3f9a4f70", "Igor Petrov", "Technical Services", "Support Engineer",
    M (Q_SUPPORT) | M (Q_TECHNICAL), M (Q_SUPPORT) | M (Q_TECHNICAL), PRESENCE_ON_QUEUE },
  { "c7fc8179-2d9a-4d2e-8c8b-2e87677b1e6a", "Julia Santos", "Customer Care", "Senior Agent",
    M (Q_SUPPORT) | M (Q_RETENTION), M (Q_SUPPORT) | M (Q_RETENTION), PRESENCE_ON_QUEUE },
  { "fc9c4e6b-2a36-4792-92dc-19e13265eeca", "Kenji Watanabe", "Technical Services", "Team Lead",
    M (Q_SUPPORT) | M (Q_TECHNICAL), M (Q_SUPPORT) | M (Q_TECHNICAL), PRESENCE_OFFLINE },
  { "4de3c38c-179b-446a-a11e-23f9cdac36ac", "Laura Martins", "Finance", "Billing Specialist",
    M (Q_SUPPORT) | M (Q_BILLING), M (Q_BILLING), PRESENCE_ON_QUEUE },
  { "f7cfbca5-32c3-4b52-ad50-e10430d767a9", "Marco Bianchi", "Sales", "Account Executive",
    M (Q_SALES), M (Q_SALES), PRESENCE_ON_QUEUE },
  { "6d312674-5880-48db-b6bc-8f65b302f9f5", "Nadia Haddad", "Sales", "Account Executive",
    M (Q_SALES) | M (Q_RETENTION), M (Q_SALES) | M (Q_RETENTION), PRESENCE_ON_QUEUE },
  { "b55f9194-dffb-437f-8b3d-5c8052aeb255", "Oliver Grant", "Technical Services", "Support Engineer",
    M (Q_SALES) | M (Q_TECHNICAL), M (Q_TECHNICAL), PRESENCE_AVAILABLE },
  { "380dde58-2766-453a-b13a-fd6121a1ff69", "Priya Nair", "Sales", "Retention Specialist",
    M (Q_SALES) | M (Q_RETENTION), M (Q_RETENTION), PRESENCE_ON_QUEUE },
  { "32caba2d-d471-4ef4-bac0-c7a3a606adc6", "Rafael Souza", "Finance", "Billing Specialist",
    M (Q_BILLING), M (Q_BILLING), PRESENCE_ON_QUEUE },
  { "59629a03-35e9-48db-a4a6-1ca77baf07b8", "Sofia Almeida", "Finance", "Billing Specialist",
    M (Q_BILLING) | M (Q_RETENTION), M (Q_BILLING) | M (Q_RETENTION), PRESENCE_BREAK },
  { "9cae4c54-b578-40d5-82ad-93e889e69e85", "Tomas Novak", "Technical Services", "Support Engineer",
    M (Q_BILLING) | M (Q_TECHNICAL), M (Q_BILLING) | M (Q_TECHNICAL), PRESENCE_ON_QUEUE },
  { "1a473143-5416-495a-bc89-6bd75ab5f4c6", "Yara Oliveira", "Finance", "Collections Agent",
    M (Q_BILLING), M (Q_BILLING), PRESENCE_ON_QUEUE },
  { "991f3530-8759-4de7-bfe8-98724bf4ef09", "Zoe Laurent", "Customer Care", "Team Lead",
    M (Q_SUPPORT) | M (Q_RETENTION), M (Q_RETENTION), PRESENCE_OFFLINE },
};

#undef M

#define N_USERS G_N_ELEMENTS (user_infos)

static const char * const caller_names[] = {
  "Carlos Mendes", "Mariana Rocha", "Peter Walsh", "Aisha Bello", "Lucas Moreau",
  "Ingrid Olsen", "Mateo Garcia", "Chloe Dubois", "Samuel Adeyemi", "Beatriz Lopes",
  "Noah Fischer", "Amara Singh", "Daniel Kowalski", "Lea Schmidt", "Hugo Ramos",
  "Mei Chen", "Owen Murphy", "Valentina Cruz", "Jonas Berg", "Fatima Zahra",
};

typedef struct
{
  Presence   presence;
  gint64     presence_modified_us;
  Routing    routing;
  gint64     routing_start_us;
  guint      joined;
  gint64     joined_changed_us;
  guint      version;
  gint64     out_of_office_modified_us;
  struct _Conversation *conversation;
} User;

typedef enum {
  CONV_WAITING,
  CONV_ALERTING,
  CONV_CONNECTED,
} ConvState;

typedef struct
{
  char   *participant_id;
  char   *call_id;
  guint   user;
  gint64  alert_us;
  gint64  connected_us;
  gint64  end_us;
  const char *disconnect_type;
} AgentLeg;

typedef struct _Conversation
{
  char      *id;
  guint      queue;
  ConvState  state;
  const char *caller;
  char      *ani;
  char      *customer_id;
  char      *customer_call_id;
  char      *ivr_id;
  char      *ivr_call_id;
  char      *acd_id;
  char      *acd_call_id;
  gint64     start_us;       /* caller connected */
  gint64     acd_start_us;   /* left the IVR, entered the queue */
  gint64     acd_end_us;     /* 0 while in queue */
  gint64     end_us;         /* 0 while the call lasts */
  const char *acd_disconnect_type;
  const char *customer_disconnect_type;
  GArray    *legs;           /* AgentLeg */
} Conversation;

typedef struct
{
  gint64   last_observation_us;
  gboolean conversations_dirty;
  gboolean users_dirty;
} QueueState;

struct _FwSimScenario
{
  GRand      *rand;
  User        users[N_USERS];
  QueueState  queues[N_QUEUES];
  GPtrArray  *conversations;   /* Conversation, oldest first */
};

/* ---- Helpers ---- */

void
fw_sim_event_free (FwSimEvent *event)
{
  g_free (event->topic);
  g_clear_pointer (&event->body, json_node_unref);
  g_free (event);
}

char *
fw_sim_format_time (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *seconds = NULL;

  if (time == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, (int) ((real_us % G_USEC_PER_SEC) / 1000));
}

gboolean
fw_sim_name_matches (const char *pattern,
                     const char *name)
{
  g_autofree char *p = g_utf8_casefold (pattern, -1);
  g_autofree char *n = g_utf8_casefold (name, -1);
  const char *pi = p;
  const char *ni = n;
  const char *star = NULL;
  const char *resume = NULL;

  /* Iterative glob on bytes; casefolded UTF-8 compares byte for byte. */
  while (*ni != '\0')
    {
      if (*pi == '*')
        {
          star = pi++;
          resume = ni;
        }
      else if (*pi != '\0' && *pi == *ni)
        {
          pi++;
          ni++;
        }
      else if (star != NULL)
        {
          pi = star + 1;
          ni = ++resume;
        }
      else
        return FALSE;
    }
  while (*pi == '*')
    pi++;
  return *pi == '\0';
}

static char *
rand_uuid (GRand *rand)
{
  guint32 a = g_rand_int (rand);
  guint32 b = g_rand_int (rand);
  guint32 c = g_rand_int (rand);
  guint32 d = g_rand_int (rand);

  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          a, b >> 16, b & 0xfff, 0x8000 | (c >> 16 & 0x3fff), c & 0xffff, d);
}

static gboolean
chance (FwSimScenario *self,
        double         probability)
{
  return g_rand_double (self->rand) < probability;
}

static void
add_event (GPtrArray  *events,
           char       *topic,
           JsonNode   *body)
{
  FwSimEvent *event = g_new0 (FwSimEvent, 1);

  event->topic = topic;
  event->body = body;
  g_ptr_array_add (events, event);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       real_us)
{
  g_autofree char *text = fw_sim_format_time (real_us);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_bool_member (JsonBuilder *builder,
                 const char  *name,
                 gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_empty_array_member (JsonBuilder *builder,
                        const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
}

static void
add_empty_object_member (JsonBuilder *builder,
                         const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
}

static int
find_queue (const char *queue_id)
{
  for (guint i = 0; i < N_QUEUES; i++)
    if (g_strcmp0 (queue_infos[i].id, queue_id) == 0)
      return (int) i;
  return -1;
}

static int
find_user (const char *user_id)
{
  for (guint i = 0; i < N_USERS; i++)
    if (g_strcmp0 (user_infos[i].id, user_id) == 0)
      return (int) i;
  return -1;
}

/* Upper case without spaces or underscores: "On Queue" and "ON_QUEUE" meet. */
static char *
normalize_enum (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *c = value; *c != '\0'; c++)
    if (*c != ' ' && *c != '_')
      g_string_append_c (out, g_ascii_toupper (*c));
  return g_string_free (out, FALSE);
}

static int
parse_presence (const char *value)
{
  g_autofree char *wanted = normalize_enum (value);

  for (guint i = 0; i < N_PRESENCES; i++)
    {
      g_autofree char *candidate = normalize_enum (presences[i].system);

      if (g_str_equal (wanted, candidate))
        return (int) i;
    }
  return -1;
}

static int
parse_routing (const char *value)
{
  g_autofree char *wanted = normalize_enum (value);

  for (guint i = 0; i < N_ROUTING; i++)
    {
      g_autofree char *candidate = normalize_enum (routing_names[i]);

      if (g_str_equal (wanted, candidate))
        return (int) i;
    }
  return -1;
}

/* ---- Lifetime ---- */

static void
conversation_free (Conversation *conv)
{
  for (guint i = 0; i < conv->legs->len; i++)
    {
      AgentLeg *leg = &g_array_index (conv->legs, AgentLeg, i);

      g_free (leg->participant_id);
      g_free (leg->call_id);
    }
  g_array_unref (conv->legs);
  g_free (conv->id);
  g_free (conv->ani);
  g_free (conv->customer_id);
  g_free (conv->customer_call_id);
  g_free (conv->ivr_id);
  g_free (conv->ivr_call_id);
  g_free (conv->acd_id);
  g_free (conv->acd_call_id);
  g_free (conv);
}

FwSimScenario *
fw_sim_scenario_new (guint32 seed)
{
  FwSimScenario *self = g_new0 (FwSimScenario, 1);
  gint64 now = g_get_real_time ();

  self->rand = g_rand_new_with_seed (seed);
  self->conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) conversation_free);

  for (guint i = 0; i < N_USERS; i++)
    {
      User *user = &self->users[i];

      user->presence = user_infos[i].presence;
      /* The shift started a while ago, staggered per agent. */
      user->presence_modified_us = now - (gint64) (40 + 7 * i) * 60 * G_USEC_PER_SEC;
      user->routing = user->presence == PRESENCE_ON_QUEUE ? ROUTING_IDLE : ROUTING_OFF_QUEUE;
      user->routing_start_us = user->presence_modified_us + 300 * 1000;
      user->joined = user_infos[i].joined;
      user->joined_changed_us = now - (gint64) (6 * 3600 + 61 * i) * G_USEC_PER_SEC;
      user->version = 3 + i % 11;
      user->out_of_office_modified_us = now - (gint64) (90 + i) * 86400 * G_USEC_PER_SEC;
    }
  return self;
}

void
fw_sim_scenario_free (FwSimScenario *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->conversations);
  g_rand_free (self->rand);
  g_free (self);
}

/* ---- Counting ---- */

static gboolean
is_member (guint user,
           guint queue)
{
  return (user_infos[user].members & (1u << queue)) != 0;
}

static gboolean
is_joined (FwSimScenario *self,
           guint          user,
           guint          queue)
{
  return (self->users[user].joined & (1u << queue)) != 0;
}

static void
count_conversations (FwSimScenario *self,
                     guint          queue,
                     guint          counts[3])
{
  counts[CONV_WAITING] = counts[CONV_ALERTING] = counts[CONV_CONNECTED] = 0;
  for (guint i = 0; i < self->conversations->len; i++)
    {
      Conversation *conv = g_ptr_array_index (self->conversations, i);

      if (conv->queue == queue)
        counts[conv->state]++;
    }
}

typedef struct
{
  guint members;
  guint active;
  guint routing[N_ROUTING];     /* active members */
  guint on_queue[N_ROUTING];    /* active members on queue, by routing status */
  guint presence[N_PRESENCES];  /* active members */
} UserCounts;

static void
count_users (FwSimScenario *self,
             guint          queue,
             UserCounts    *counts)
{
  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < N_USERS; i++)
    {
      User *user = &self->users[i];

      if (!is_member (i, queue))
        continue;
      counts->members++;
      if (!is_joined (self, i, queue))
        continue;
      counts->active++;
      counts->routing[user->routing]++;
      counts->presence[user->presence]++;
      if (user->presence == PRESENCE_ON_QUEUE)
        counts->on_queue[user->routing]++;
    }
}

static void
mark_user_queues_dirty (FwSimScenario *self,
                        guint          user)
{
  for (guint q = 0; q < N_QUEUES; q++)
    if (is_member (user, q))
      self->queues[q].users_dirty = TRUE;
}

/* ---- Notification bodies ---- */

static void
build_routing_status (JsonBuilder *builder,
                      User        *user)
{
  json_builder_begin_object (builder);
  add_string_member (builder, "status", routing_names[user->routing]);
  add_time_member (builder, "startTime", user->routing_start_us);
  json_builder_end_object (builder);
}

static void
emit_presence (FwSimScenario *self,
               guint          index,
               GPtrArray     *events)
{
  User *user = &self->users[index];
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_member (builder, "source", "PURECLOUD");
  json_builder_set_member_name (builder, "presenceDefinition");
  json_builder_begin_object (builder);
  add_string_member (builder, "id", presences[user->presence].id);
  add_string_member (builder, "systemPresence", presences[user->presence].system);
  json_builder_end_object (builder);
  add_bool_member (builder, "primary", TRUE);
  add_string_member (builder, "message", "");
  add_time_member (builder, "modifiedDate", user->presence_modified_us);
  json_builder_end_object (builder);
  add_event (events, g_strdup_printf ("v2.users.%s.presence", user_infos[index].id),
             json_builder_get_root (builder));
}

static void
emit_routing_status (FwSimScenario *self,
                     guint          index,
                     GPtrArray     *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_member (builder, "id", user_infos[index].id);
  json_builder_set_member_name (builder, "routingStatus");
  build_routing_status (builder, &self->users[index]);
  json_builder_end_object (builder);
  add_event (events, g_strdup_printf ("v2.users.%s.routingStatus", user_infos[index].id),
             json_builder_get_root (builder));
}

static void
emit_activity (FwSimScenario *self,
               guint          index,
               GPtrArray     *events)
{
  User *user = &self->users[index];
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_member (builder, "id", user_infos[index].id);
  json_builder_set_member_name (builder, "routingStatus");
  build_routing_status (builder, user);
  json_builder_set_member_name (builder, "presence");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "presenceDefinition");
  json_builder_begin_object (builder);
  add_string_member (builder, "id", presences[user->presence].id);
  add_string_member (builder, "systemPresence", presences[user->presence].system);
  json_builder_end_object (builder);
  add_time_member (builder, "modifiedDate", user->presence_modified_us);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "outOfOffice");
  json_builder_begin_object (builder);
  add_bool_member (builder, "active", FALSE);
  add_time_member (builder, "modifiedDate", user->out_of_office_modified_us);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "activeQueueIds");
  json_builder_begin_array (builder);
  for (guint q = 0; q < N_QUEUES; q++)
    if (is_joined (self, index, q))
      json_builder_add_string_value (builder, queue_infos[q].id);
  json_builder_end_array (builder);
  add_time_member (builder, "dateActiveQueuesChanged", user->joined_changed_us);
  json_builder_end_object (builder);
  add_event (events, g_strdup_printf ("v2.users.%s.activity", user_infos[index].id),
             json_builder_get_root (builder));
}

static void
emit_queue_member (FwSimScenario *self,
                   guint          user,
                   guint          queue,
                   GPtrArray     *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_member (builder, "id", user_infos[user].id);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  add_string_member (builder, "id", user_infos[user].id);
  json_builder_end_object (builder);
  add_string_member (builder, "queueId", queue_infos[queue].id);
  add_bool_member (builder, "joined", is_joined (self, user, queue));
  json_builder_end_object (builder);
  add_event (events, g_strdup_printf ("v2.routing.queues.%s.users", queue_infos[queue].id),
             json_builder_get_root (builder));
}

static void
build_media_arrays (JsonBuilder *builder)
{
  static const char * const names[] = {
    "callbacks", "chats", "cobrowsesessions", "emails", "messages",
    "screenshares", "socialExpressions", "videos",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    add_empty_array_member (builder, names[i]);
}

/* Opens a call object; finish_call() closes it after any extra members. */
static void
build_call (JsonBuilder *builder,
            const char  *call_id,
            const char  *state)
{
  json_builder_begin_object (builder);
  add_string_member (builder, "id", call_id);
  add_string_member (builder, "state", state);
  add_bool_member (builder, "recording", FALSE);
  add_string_member (builder, "recordingState", "none");
  add_bool_member (builder, "muted", FALSE);
  add_bool_member (builder, "confined", FALSE);
  add_bool_member (builder, "held", FALSE);
  add_bool_member (builder, "securePause", FALSE);
}

static void
finish_call (JsonBuilder *builder,
             gint64       connected_us,
             gint64       disconnected_us,
             const char  *disconnect_type)
{
  add_string_member (builder, "direction", "inbound");
  add_string_member (builder, "provider", "Edge");
  if (connected_us != 0)
    add_time_member (builder, "connectedTime", connected_us);
  add_bool_member (builder, "afterCallWorkRequired", FALSE);
  if (disconnected_us != 0)
    {
      add_string_member (builder, "disconnectType", disconnect_type);
      add_time_member (builder, "disconnectedTime", disconnected_us);
    }
  json_builder_end_object (builder);
}

static void
build_conversation_body (FwSimScenario *self,
                         Conversation  *conv,
                         JsonBuilder   *builder)
{
  const QueueInfo *queue = &queue_infos[conv->queue];
  g_autofree char *address_raw = g_strdup (conv->ani + strlen ("tel:"));
  g_autofree char *org_name = g_strdup_printf ("Acme %s", queue->name);

  json_builder_begin_object (builder);
  add_string_member (builder, "id", conv->id);
  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);

  /* The caller. */
  json_builder_begin_object (builder);
  add_string_member (builder, "id", conv->customer_id);
  add_time_member (builder, "connectedTime", conv->start_us);
  if (conv->end_us != 0)
    add_time_member (builder, "endTime", conv->end_us);
  add_string_member (builder, "name", conv->caller);
  add_string_member (builder, "purpose", "customer");
  add_string_member (builder, "address", conv->ani);
  add_bool_member (builder, "wrapupRequired", FALSE);
  add_empty_object_member (builder, "attributes");
  json_builder_set_member_name (builder, "calls");
  json_builder_begin_array (builder);
  build_call (builder, conv->customer_call_id, conv->end_us ? "disconnected" : "connected");
  json_builder_set_member_name (builder, "self");
  json_builder_begin_object (builder);
  add_string_member (builder, "nameRaw", conv->caller);
  add_string_member (builder, "addressNormalized", conv->ani);
  add_string_member (builder, "addressRaw", address_raw);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "other");
  json_builder_begin_object (builder);
  add_string_member (builder, "name", org_name);
  add_string_member (builder, "addressNormalized", ORG_DNIS);
  add_string_member (builder, "addressRaw", ORG_DNIS + strlen ("tel:"));
  json_builder_end_object (builder);
  finish_call (builder, conv->start_us, conv->end_us, conv->customer_disconnect_type);
  json_builder_end_array (builder);
  build_media_arrays (builder);
  json_builder_end_object (builder);

  /* The IVR that answered and transferred to the queue. */
  json_builder_begin_object (builder);
  add_string_member (builder, "id", conv->ivr_id);
  add_time_member (builder, "connectedTime", conv->start_us + 143 * 1000);
  add_time_member (builder, "endTime", conv->acd_start_us - 1000);
  add_string_member (builder, "name", "Main Inbound Flow");
  add_string_member (builder, "purpose", "ivr");
  add_string_member (builder, "address", ORG_DNIS);
  add_bool_member (builder, "wrapupRequired", FALSE);
  add_empty_object_member (builder, "attributes");
  json_builder_set_member_name (builder, "calls");
  json_builder_begin_array (builder);
  build_call (builder, conv->ivr_call_id, "disconnected");
  finish_call (builder, conv->start_us + 143 * 1000, conv->acd_start_us - 1000, "transfer");
  json_builder_end_array (builder);
  build_media_arrays (builder);
  json_builder_end_object (builder);

  /* The queue. */
  json_builder_begin_object (builder);
  add_string_member (builder, "id", conv->acd_id);
  add_time_member (builder, "connectedTime", conv->acd_start_us);
  if (conv->acd_end_us != 0)
    add_time_member (builder, "endTime", conv->acd_end_us);
  add_string_member (builder, "name", queue->name);
  add_string_member (builder, "queueId", queue->id);
  add_string_member (builder, "purpose", "acd");
  add_bool_member (builder, "wrapupRequired", FALSE);
  json_builder_set_member_name (builder, "conversationRoutingData");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "queue");
  json_builder_begin_object (builder);
  add_string_member (builder, "id", queue->id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, 0);
  add_empty_array_member (builder, "skills");
  add_empty_array_member (builder, "scoredAgents");
  json_builder_end_object (builder);
  add_empty_object_member (builder, "attributes");
  json_builder_set_member_name (builder, "calls");
  json_builder_begin_array (builder);
  build_call (builder, conv->acd_call_id, conv->acd_end_us ? "disconnected" : "connected");
  finish_call (builder, conv->acd_start_us, conv->acd_end_us, conv->acd_disconnect_type);
  json_builder_end_array (builder);
  build_media_arrays (builder);
  json_builder_end_object (builder);

  /* Every agent it was offered to. */
  for (guint i = 0; i < conv->legs->len; i++)
    {
      AgentLeg *leg = &g_array_index (conv->legs, AgentLeg, i);
      const char *state;

      if (leg->end_us != 0)
        state = "disconnected";
      else if (leg->connected_us != 0)
        state = "connected";
      else
        state = "alerting";

      json_builder_begin_object (builder);
      add_string_member (builder, "id", leg->participant_id);
      if (leg->connected_us != 0)
        add_time_member (builder, "connectedTime", leg->connected_us);
      if (leg->end_us != 0)
        add_time_member (builder, "endTime", leg->end_us);
      add_string_member (builder, "userId", user_infos[leg->user].id);
      add_string_member (builder, "name", user_infos[leg->user].name);
      add_string_member (builder, "queueId", queue->id);
      add_string_member (builder, "purpose", "agent");
      add_bool_member (builder, "wrapupRequired", leg->connected_us != 0);
      add_empty_object_member (builder, "attributes");
      json_builder_set_member_name (builder, "calls");
      json_builder_begin_array (builder);
      build_call (builder, leg->call_id, state);
      finish_call (builder, leg->connected_us, leg->end_us, leg->disconnect_type);
      json_builder_end_array (builder);
      build_media_arrays (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
emit_conversation (FwSimScenario *self,
                   Conversation  *conv,
                   GPtrArray     *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_conversation_body (self, conv, builder);
  add_event (events,
             g_strdup_printf ("v2.routing.queues.%s.conversations", queue_infos[conv->queue].id),
             json_builder_get_root (builder));
  self->queues[conv->queue].conversations_dirty = TRUE;
}

static void
emit_acd_detail (FwSimScenario *self,
                 Conversation  *conv,
                 gboolean       start,
                 const char    *outcome,
                 GPtrArray     *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 when = start ? conv->acd_start_us : conv->acd_end_us;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "eventTime");
  json_builder_add_int_value (builder, when / 1000);
  add_string_member (builder, "conversationId", conv->id);
  add_string_member (builder, "participantId", conv->acd_id);
  add_string_member (builder, "sessionId", conv->acd_call_id);
  add_string_member (builder, "mediaType", "VOICE");
  add_string_member (builder, "provider", "Edge");
  add_string_member (builder, "direction", "INBOUND");
  add_string_member (builder, "ani", conv->ani);
  add_string_member (builder, "dnis", ORG_DNIS);
  add_string_member (builder, "addressTo", ORG_DNIS);
  add_string_member (builder, "addressFrom", conv->ani);
  add_string_member (builder, "queueId", queue_infos[conv->queue].id);
  add_string_member (builder, "divisionId", DIVISION_ID);
  if (!start)
    {
      add_string_member (builder, "disconnectType", conv->acd_disconnect_type);
      add_string_member (builder, "acdOutcome", outcome);
    }
  else
    {
      json_builder_set_member_name (builder, "routingPriority");
      json_builder_add_int_value (builder, 0);
    }
  add_empty_array_member (builder, "requestedRoutingSkillIds");
  json_builder_end_object (builder);
  add_event (events,
             g_strdup_printf ("v2.detail.events.conversation.%s.acd.%s", conv->id,
                              start ? "start" : "end"),
             json_builder_get_root (builder));
}

/* ---- Observations ---- */

static void
add_metric (JsonBuilder *builder,
            const char  *metric,
            const char  *qualifier,
            guint        count)
{
  json_builder_begin_object (builder);
  add_string_member (builder, "metric", metric);
  if (qualifier != NULL)
    add_string_member (builder, "qualifier", qualifier);
  json_builder_set_member_name (builder, "stats");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

typedef gboolean (*MetricFilter) (const char *metric,
                                  gpointer    data);

static gboolean
want_metric (MetricFilter  filter,
             gpointer      data,
             const char   *metric)
{
  return filter == NULL || filter (metric, data);
}

/* The agent metrics of a queue, zero qualifiers left out as Genesys does. */
static void
add_user_metrics (FwSimScenario *self,
                  guint          queue,
                  JsonBuilder   *builder,
                  MetricFilter   filter,
                  gpointer       data)
{
  static const Routing on_queue_order[] = {
    ROUTING_IDLE, ROUTING_INTERACTING, ROUTING_NOT_RESPONDING, ROUTING_COMMUNICATING,
  };
  static const Routing routing_order[] = {
    ROUTING_IDLE, ROUTING_INTERACTING, ROUTING_NOT_RESPONDING, ROUTING_COMMUNICATING,
    ROUTING_OFF_QUEUE,
  };
  UserCounts counts;

  count_users (self, queue, &counts);
  if (want_metric (filter, data, "oMemberUsers"))
    add_metric (builder, "oMemberUsers", NULL, counts.members);
  if (want_metric (filter, data, "oActiveUsers"))
    add_metric (builder, "oActiveUsers", NULL, counts.active);
  if (want_metric (filter, data, "oOnQueueUsers"))
    for (guint i = 0; i < G_N_ELEMENTS (on_queue_order); i++)
      if (counts.on_queue[on_queue_order[i]] > 0)
        add_metric (builder, "oOnQueueUsers", routing_names[on_queue_order[i]],
                    counts.on_queue[on_queue_order[i]]);
  if (want_metric (filter, data, "oOffQueueUsers"))
    for (guint p = PRESENCE_AVAILABLE; p < N_PRESENCES; p++)
      if (counts.presence[p] > 0)
        add_metric (builder, "oOffQueueUsers", presences[p].id, counts.presence[p]);
  if (want_metric (filter, data, "oUserRoutingStatuses"))
    for (guint i = 0; i < G_N_ELEMENTS (routing_order); i++)
      if (counts.routing[routing_order[i]] > 0)
        add_metric (builder, "oUserRoutingStatuses", routing_names[routing_order[i]],
                    counts.routing[routing_order[i]]);
  if (want_metric (filter, data, "oUserPresences"))
    for (guint p = 0; p < N_PRESENCES; p++)
      if (counts.presence[p] > 0)
        add_metric (builder, "oUserPresences", presences[p].id, counts.presence[p]);
}

static char *
current_interval (gint64 now_us)
{
  gint64 span = 15 * 60 * G_USEC_PER_SEC;
  gint64 start = now_us - now_us % span;
  g_autofree char *from = fw_sim_format_time (start);
  g_autofree char *to = fw_sim_format_time (start + span);

  return g_strconcat (from, "/", to, NULL);
}

static void
emit_observation (FwSimScenario *self,
                  guint          queue,
                  gboolean       conversations,
                  gint64         now_us,
                  GPtrArray     *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *interval = current_interval (now_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "group");
  json_builder_begin_object (builder);
  add_string_member (builder, "queueId", queue_infos[queue].id);
  if (conversations)
    add_string_member (builder, "mediaType", "voice");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string_member (builder, "interval", interval);
  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_array (builder);
  if (conversations)
    {
      guint counts[3];

      count_conversations (self, queue, counts);
      add_metric (builder, "oWaiting", NULL, counts[CONV_WAITING]);
      add_metric (builder, "oInteracting", NULL, counts[CONV_CONNECTED]);
      add_metric (builder, "oAlerting", NULL, counts[CONV_ALERTING]);
    }
  else
    add_user_metrics (self, queue, builder, NULL, NULL);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  add_event (events,
             g_strdup_printf ("v2.analytics.queues.%s.observations", queue_infos[queue].id),
             json_builder_get_root (builder));
}

gint64
fw_sim_scenario_flush_observations (FwSimScenario *self,
                                    gint64         now_us,
                                    GPtrArray     *events)
{
  gint64 next = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint q = 0; q < N_QUEUES; q++)
    {
      QueueState *state = &self->queues[q];
      gint64 due;

      if (!state->conversations_dirty && !state->users_dirty)
        continue;

      due = state->last_observation_us + OBSERVATION_GAP;
      if (state->last_observation_us == 0 || now_us >= due)
        {
          /* One notification per second and topic: conversation counts
           * first, the agent counts in the next slot. */
          if (state->conversations_dirty)
            {
              emit_observation (self, q, TRUE, now_us, events);
              state->conversations_dirty = FALSE;
            }
          else
            {
              emit_observation (self, q, FALSE, now_us, events);
              state->users_dirty = FALSE;
            }
          state->last_observation_us = now_us;
          due = now_us + OBSERVATION_GAP;
        }
      if ((state->conversations_dirty || state->users_dirty) && (next == 0 || due < next))
        next = due;
    }
  return next;
}

/* ---- Changes ---- */

static void
set_routing (FwSimScenario *self,
             guint          index,
             Routing        routing,
             gint64         now_us,
             GPtrArray     *events)
{
  User *user = &self->users[index];

  if (user->routing == routing)
    return;
  user->routing = routing;
  user->routing_start_us = now_us;
  emit_routing_status (self, index, events);
  emit_activity (self, index, events);
  mark_user_queues_dirty (self, index);
}

static Conversation *
conversation_new (FwSimScenario *self,
                  guint          queue,
                  gint64         now_us)
{
  Conversation *conv = g_new0 (Conversation, 1);
  guint32 number = (guint32) g_rand_int_range (self->rand, 0, 10000);

  conv->id = rand_uuid (self->rand);
  conv->queue = queue;
  conv->state = CONV_WAITING;
  conv->caller = caller_names[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (caller_names))];
  conv->ani = g_strdup_printf ("tel:+1%03d555%04u", g_rand_int_range (self->rand, 201, 990), number);
  conv->customer_id = rand_uuid (self->rand);
  conv->customer_call_id = rand_uuid (self->rand);
  conv->ivr_id = rand_uuid (self->rand);
  conv->ivr_call_id = rand_uuid (self->rand);
  conv->acd_id = rand_uuid (self->rand);
  conv->acd_call_id = rand_uuid (self->rand);
  /* The caller spent a while in the IVR before reaching the queue. */
  conv->start_us = now_us - g_rand_int_range (self->rand, 15, 90) * G_USEC_PER_SEC;
  conv->acd_start_us = now_us;
  conv->legs = g_array_new (FALSE, TRUE, sizeof (AgentLeg));
  g_ptr_array_add (self->conversations, conv);
  return conv;
}

static Conversation *
add_call (FwSimScenario *self,
          guint          queue,
          gint64         now_us,
          GPtrArray     *events)
{
  Conversation *conv = conversation_new (self, queue, now_us);

  emit_conversation (self, conv, events);
  emit_acd_detail (self, conv, TRUE, NULL, events);
  return conv;
}

static AgentLeg *
current_leg (Conversation *conv)
{
  AgentLeg *leg;

  if (conv->legs->len == 0)
    return NULL;
  leg = &g_array_index (conv->legs, AgentLeg, conv->legs->len - 1);
  return leg->end_us == 0 ? leg : NULL;
}

/* The offer to an agent ends unanswered: the call waits again. */
static void
withdraw_offer (FwSimScenario *self,
                Conversation  *conv,
                const char    *disconnect_type,
                gint64         now_us,
                GPtrArray     *events)
{
  AgentLeg *leg = current_leg (conv);

  g_assert (conv->state == CONV_ALERTING && leg != NULL);
  leg->end_us = now_us;
  leg->disconnect_type = disconnect_type;
  self->users[leg->user].conversation = NULL;
  conv->state = CONV_WAITING;
  emit_conversation (self, conv, events);
}

static void
end_conversation (FwSimScenario *self,
                  Conversation  *conv,
                  gint64         now_us,
                  GPtrArray     *events)
{
  AgentLeg *leg = current_leg (conv);

  conv->end_us = now_us;
  conv->customer_disconnect_type = "endpoint";
  if (conv->acd_end_us == 0)
    {
      /* The caller hung up while waiting. */
      if (leg != NULL)
        {
          leg->end_us = now_us;
          leg->disconnect_type = "peer";
          self->users[leg->user].conversation = NULL;
        }
      conv->acd_end_us = now_us;
      conv->acd_disconnect_type = "peer";
      emit_conversation (self, conv, events);
      emit_acd_detail (self, conv, FALSE, "ABANDON", events);
    }
  else
    {
      g_assert (leg != NULL);
      leg->end_us = now_us;
      leg->disconnect_type = "peer";
      emit_conversation (self, conv, events);
      self->users[leg->user].conversation = NULL;
      set_routing (self, leg->user,
                   self->users[leg->user].presence == PRESENCE_ON_QUEUE ? ROUTING_IDLE : ROUTING_OFF_QUEUE,
                   now_us, events);
    }
  g_ptr_array_remove (self->conversations, conv);
}

static void
answer (FwSimScenario *self,
        Conversation  *conv,
        gint64         now_us,
        GPtrArray     *events)
{
  AgentLeg *leg = current_leg (conv);

  g_assert (leg != NULL);
  leg->connected_us = now_us;
  conv->state = CONV_CONNECTED;
  conv->acd_end_us = now_us;
  conv->acd_disconnect_type = "transfer";
  emit_conversation (self, conv, events);
  emit_acd_detail (self, conv, FALSE, "ANSWERED", events);
}

/* The idle, joined, on-queue member who has been idle longest. */
static int
pick_agent (FwSimScenario *self,
            guint          queue)
{
  int best = -1;

  for (guint i = 0; i < N_USERS; i++)
    {
      User *user = &self->users[i];

      if (!is_joined (self, i, queue) || user->presence != PRESENCE_ON_QUEUE ||
          user->routing != ROUTING_IDLE || user->conversation != NULL)
        continue;
      if (best < 0 || user->routing_start_us < self->users[best].routing_start_us)
        best = (int) i;
    }
  return best;
}

static void
offer (FwSimScenario *self,
       Conversation  *conv,
       guint          agent,
       gint64         now_us,
       GPtrArray     *events)
{
  AgentLeg leg = { 0 };

  leg.participant_id = rand_uuid (self->rand);
  leg.call_id = rand_uuid (self->rand);
  leg.user = agent;
  leg.alert_us = now_us;
  g_array_append_val (conv->legs, leg);
  conv->state = CONV_ALERTING;
  self->users[agent].conversation = conv;
  emit_conversation (self, conv, events);
  set_routing (self, agent, ROUTING_INTERACTING, now_us, events);
}

static void
route_waiting (FwSimScenario *self,
               gint64         now_us,
               GPtrArray     *events)
{
  for (guint i = 0; i < self->conversations->len; i++)
    {
      Conversation *conv = g_ptr_array_index (self->conversations, i);
      int agent;

      if (conv->state != CONV_WAITING)
        continue;
      agent = pick_agent (self, conv->queue);
      if (agent >= 0)
        offer (self, conv, (guint) agent, now_us, events);
    }
}

static void
change_presence (FwSimScenario *self,
                 guint          index,
                 Presence       presence,
                 gint64         now_us,
                 GPtrArray     *events)
{
  User *user = &self->users[index];
  Routing routing;

  if (user->presence == presence)
    return;
  user->presence = presence;
  user->presence_modified_us = now_us;
  emit_presence (self, index, events);

  /* Leaving the queue withdraws an offer; a connected call goes on. */
  if (presence != PRESENCE_ON_QUEUE && user->conversation != NULL &&
      user->conversation->state == CONV_ALERTING)
    withdraw_offer (self, user->conversation, "transfer.notavailable", now_us, events);

  if (presence != PRESENCE_ON_QUEUE)
    routing = ROUTING_OFF_QUEUE;
  else if (user->conversation != NULL)
    routing = ROUTING_INTERACTING;
  else
    routing = ROUTING_IDLE;

  if (user->routing != routing)
    set_routing (self, index, routing, now_us, events);
  else
    {
      emit_activity (self, index, events);
      mark_user_queues_dirty (self, index);
    }
}

static void
toggle_membership (FwSimScenario *self,
                   guint          index,
                   guint          queue,
                   gint64         now_us,
                   GPtrArray     *events)
{
  User *user = &self->users[index];

  user->joined ^= 1u << queue;
  user->joined_changed_us = now_us;
  emit_queue_member (self, index, queue, events);
  emit_activity (self, index, events);
  self->queues[queue].users_dirty = TRUE;
}

void
fw_sim_scenario_step (FwSimScenario *self,
                      gint64         now_us,
                      GPtrArray     *events)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (events != NULL);

  /* Calls already under way move on: answered, unanswered, ended, abandoned. */
  /* A copy that does not own them: ending a call removes it from the list. */
  snapshot = g_ptr_array_sized_new (self->conversations->len);
  for (guint i = 0; i < self->conversations->len; i++)
    g_ptr_array_add (snapshot, g_ptr_array_index (self->conversations, i));
  for (guint i = 0; i < snapshot->len; i++)
    {
      Conversation *conv = g_ptr_array_index (snapshot, i);

      switch (conv->state)
        {
        case CONV_ALERTING:
          if (chance (self, 0.85))
            answer (self, conv, now_us, events);
          else
            {
              guint agent = current_leg (conv)->user;

              withdraw_offer (self, conv, "timeout", now_us, events);
              set_routing (self, agent, ROUTING_NOT_RESPONDING, now_us, events);
            }
          break;
        case CONV_CONNECTED:
          if (chance (self, 0.15))
            end_conversation (self, conv, now_us, events);
          break;
        case CONV_WAITING:
        default:
          if (now_us - conv->acd_start_us > ABANDON_AFTER && chance (self, 0.1))
            end_conversation (self, conv, now_us, events);
          break;
        }
    }

  /* New callers. */
  for (guint q = 0; q < N_QUEUES; q++)
    if (chance (self, queue_infos[q].arrival_rate))
      add_call (self, q, now_us, events);

  /* Agents come back from not responding, take breaks, log on and off. */
  for (guint i = 0; i < N_USERS; i++)
    {
      User *user = &self->users[i];

      if (user->routing == ROUTING_NOT_RESPONDING && chance (self, 0.4))
        set_routing (self, i, ROUTING_IDLE, now_us, events);
    }
  if (chance (self, 0.3))
    {
      guint index = (guint) g_rand_int_range (self->rand, 0, N_USERS);
      User *user = &self->users[index];

      if (user->conversation == NULL)
        {
          Presence presence;

          if (user->presence != PRESENCE_ON_QUEUE)
            presence = chance (self, 0.75) ? PRESENCE_ON_QUEUE : PRESENCE_AVAILABLE;
          else
            {
              double roll = g_rand_double (self->rand);

              presence = roll < 0.5 ? PRESENCE_BREAK : roll < 0.8 ? PRESENCE_AVAILABLE : PRESENCE_OFFLINE;
            }
          change_presence (self, index, presence, now_us, events);
        }
    }
  if (chance (self, 0.05))
    {
      guint index = (guint) g_rand_int_range (self->rand, 0, N_USERS);
      guint queue = (guint) g_rand_int_range (self->rand, 0, N_QUEUES);

      if (is_member (index, queue) && self->users[index].conversation == NULL)
        toggle_membership (self, index, queue, now_us, events);
    }

  /* Waiting callers are offered to idle agents. */
  route_waiting (self, now_us, events);
}

gboolean
fw_sim_scenario_set_user_presence (FwSimScenario *self,
                                   const char    *user_id,
                                   const char    *system_presence,
                                   gint64         now_us,
                                   GPtrArray     *events)
{
  int index = find_user (user_id);
  int presence = parse_presence (system_presence);

  g_return_val_if_fail (self != NULL, FALSE);

  if (index < 0 || presence < 0)
    return FALSE;
  change_presence (self, (guint) index, (Presence) presence, now_us, events);
  return TRUE;
}

gboolean
fw_sim_scenario_set_user_routing_status (FwSimScenario *self,
                                         const char    *user_id,
                                         const char    *status,
                                         gint64         now_us,
                                         GPtrArray     *events)
{
  int index = find_user (user_id);
  int routing = parse_routing (status);

  g_return_val_if_fail (self != NULL, FALSE);

  if (index < 0 || routing < 0)
    return FALSE;
  set_routing (self, (guint) index, (Routing) routing, now_us, events);
  return TRUE;
}

char *
fw_sim_scenario_add_call (FwSimScenario *self,
                          const char    *queue_id,
                          gint64         now_us,
                          GPtrArray     *events)
{
  int queue = find_queue (queue_id);

  g_return_val_if_fail (self != NULL, NULL);

  if (queue < 0)
    return NULL;
  return g_strdup (add_call (self, (guint) queue, now_us, events)->id);
}

/* ---- The truth ---- */

GStrv
fw_sim_scenario_dup_queue_ids (FwSimScenario *self)
{
  GStrv ids = g_new0 (char *, N_QUEUES + 1);

  for (guint q = 0; q < N_QUEUES; q++)
    ids[q] = g_strdup (queue_infos[q].id);
  return ids;
}

GStrv
fw_sim_scenario_dup_user_ids (FwSimScenario *self)
{
  GStrv ids = g_new0 (char *, N_USERS + 1);

  for (guint i = 0; i < N_USERS; i++)
    ids[i] = g_strdup (user_infos[i].id);
  return ids;
}

const char *
fw_sim_scenario_get_queue_name (FwSimScenario *self,
                                const char    *queue_id)
{
  int queue = find_queue (queue_id);

  return queue < 0 ? NULL : queue_infos[queue].name;
}

const char *
fw_sim_scenario_get_user_name (FwSimScenario *self,
                               const char    *user_id)
{
  int index = find_user (user_id);

  return index < 0 ? NULL : user_infos[index].name;
}

gboolean
fw_sim_scenario_get_queue_counts (FwSimScenario *self,
                                  const char    *queue_id,
                                  guint         *waiting,
                                  guint         *alerting,
                                  guint         *interacting)
{
  int queue = find_queue (queue_id);
  guint counts[3];

  if (queue < 0)
    return FALSE;
  count_conversations (self, (guint) queue, counts);
  *waiting = counts[CONV_WAITING];
  *alerting = counts[CONV_ALERTING];
  *interacting = counts[CONV_CONNECTED];
  return TRUE;
}

gint
fw_sim_scenario_count_queue_users (FwSimScenario *self,
                                   const char    *queue_id,
                                   const char    *routing_status)
{
  int queue = find_queue (queue_id);
  int routing;
  UserCounts counts;
  guint total = 0;

  if (queue < 0)
    return -1;
  count_users (self, (guint) queue, &counts);
  if (parse_presence (routing_status) == PRESENCE_ON_QUEUE)
    {
      for (guint r = 0; r < N_ROUTING; r++)
        total += counts.on_queue[r];
      return (gint) total;
    }
  routing = parse_routing (routing_status);
  return routing < 0 ? 0 : (gint) counts.routing[routing];
}

const char *
fw_sim_scenario_get_user_presence (FwSimScenario *self,
                                   const char    *user_id)
{
  int index = find_user (user_id);

  return index < 0 ? NULL : presences[self->users[index].presence].system;
}

const char *
fw_sim_scenario_get_user_routing_status (FwSimScenario *self,
                                         const char    *user_id)
{
  int index = find_user (user_id);

  return index < 0 ? NULL : routing_names[self->users[index].routing];
}

/* ---- REST ---- */

static void
build_division (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "division");
  json_builder_begin_object (builder);
  add_string_member (builder, "id", DIVISION_ID);
  add_string_member (builder, "name", "Home");
  add_string_member (builder, "selfUri", "/api/v2/authorization/divisions/" DIVISION_ID);
  json_builder_end_object (builder);
}

static void
build_media_setting (JsonBuilder *builder,
                     const char  *media,
                     guint        alerting_timeout_s,
                     guint        service_level_ms)
{
  json_builder_set_member_name (builder, media);
  json_builder_begin_object (builder);
  add_bool_member (builder, "enableAutoAnswer", FALSE);
  json_builder_set_member_name (builder, "alertingTimeoutSeconds");
  json_builder_add_int_value (builder, alerting_timeout_s);
  json_builder_set_member_name (builder, "serviceLevel");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "percentage");
  json_builder_add_double_value (builder, 0.8);
  json_builder_set_member_name (builder, "durationMs");
  json_builder_add_int_value (builder, service_level_ms);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "autoAnswerAlertToneSeconds");
  json_builder_add_double_value (builder, 2.0);
  json_builder_set_member_name (builder, "manualAnswerAlertToneSeconds");
  json_builder_add_double_value (builder, 1.0);
  json_builder_end_object (builder);
}

static JsonNode *
build_queue (FwSimScenario *self,
             guint          queue)
{
  const QueueInfo *info = &queue_infos[queue];
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *self_uri = g_strconcat ("/api/v2/routing/queues/", info->id, NULL);
  UserCounts counts;

  count_users (self, queue, &counts);
  json_builder_begin_object (builder);
  add_string_member (builder, "id", info->id);
  add_string_member (builder, "name", info->name);
  build_division (builder);
  add_string_member (builder, "description", info->description);
  add_string_member (builder, "dateCreated", info->created);
  add_string_member (builder, "dateModified", info->modified);
  add_string_member (builder, "modifiedBy", ADMIN_ID);
  add_string_member (builder, "createdBy", ADMIN_ID);
  json_builder_set_member_name (builder, "memberCount");
  json_builder_add_int_value (builder, counts.members);
  json_builder_set_member_name (builder, "userMemberCount");
  json_builder_add_int_value (builder, counts.members);
  json_builder_set_member_name (builder, "joinedMemberCount");
  json_builder_add_int_value (builder, counts.active);
  json_builder_set_member_name (builder, "mediaSettings");
  json_builder_begin_object (builder);
  build_media_setting (builder, "call", 8, info->service_level_ms);
  build_media_setting (builder, "chat", 30, info->service_level_ms);
  build_media_setting (builder, "email", 300, 86400000);
  build_media_setting (builder, "message", 30, info->service_level_ms);
  json_builder_end_object (builder);
  add_empty_array_member (builder, "routingRules");
  add_string_member (builder, "scoringMethod", "TimestampAndPriority");
  json_builder_set_member_name (builder, "acwSettings");
  json_builder_begin_object (builder);
  add_string_member (builder, "wrapupPrompt", "MANDATORY_TIMEOUT");
  json_builder_set_member_name (builder, "timeoutMs");
  json_builder_add_int_value (builder, 30000);
  json_builder_end_object (builder);
  add_string_member (builder, "skillEvaluationMethod", "ALL");
  add_bool_member (builder, "autoAnswerOnly", TRUE);
  add_bool_member (builder, "enableTranscription", FALSE);
  add_bool_member (builder, "enableManualAssignment", FALSE);
  add_bool_member (builder, "suppressInQueueCallRecording", TRUE);
  add_string_member (builder, "selfUri", self_uri);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static int
compare_queue_names (gconstpointer a,
                     gconstpointer b)
{
  return g_utf8_collate (queue_infos[*(const guint *) a].name, queue_infos[*(const guint *) b].name);
}

GPtrArray *
fw_sim_scenario_list_queues (FwSimScenario *self,
                             const char    *name_pattern)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint order[N_QUEUES];

  for (guint q = 0; q < N_QUEUES; q++)
    order[q] = q;
  qsort (order, N_QUEUES, sizeof (guint), compare_queue_names);
  for (guint i = 0; i < N_QUEUES; i++)
    if (name_pattern == NULL || fw_sim_name_matches (name_pattern, queue_infos[order[i]].name))
      g_ptr_array_add (list, build_queue (self, order[i]));
  return list;
}

JsonNode *
fw_sim_scenario_build_queue (FwSimScenario *self,
                             const char    *queue_id)
{
  int queue = find_queue (queue_id);

  return queue < 0 ? NULL : build_queue (self, (guint) queue);
}

static void
build_user_fields (FwSimScenario *self,
                   guint          index,
                   JsonBuilder   *builder,
                   gboolean       with_presence,
                   gboolean       with_routing_status)
{
  const UserInfo *info = &user_infos[index];
  User *user = &self->users[index];
  g_autofree char *email = NULL;
  g_autofree char *self_uri = g_strconcat ("/api/v2/users/", info->id, NULL);
  char *c;

  /* "Ana Silva" → ana.silva@example.com */
  email = g_ascii_strdown (info->name, -1);
  for (c = email; *c != '\0'; c++)
    if (*c == ' ')
      *c = '.';
  c = email;
  email = g_strconcat (c, "@example.com", NULL);
  g_free (c);

  add_string_member (builder, "id", info->id);
  add_string_member (builder, "name", info->name);
  build_division (builder);
  add_string_member (builder, "department", info->department);
  add_string_member (builder, "email", email);
  json_builder_set_member_name (builder, "primaryContactInfo");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string_member (builder, "address", email);
  add_string_member (builder, "mediaType", "EMAIL");
  add_string_member (builder, "type", "PRIMARY");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  add_empty_array_member (builder, "addresses");
  add_string_member (builder, "state", "active");
  add_string_member (builder, "title", info->title);
  add_string_member (builder, "username", email);
  add_empty_array_member (builder, "images");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, user->version);
  if (with_routing_status)
    {
      json_builder_set_member_name (builder, "routingStatus");
      json_builder_begin_object (builder);
      add_string_member (builder, "userId", info->id);
      add_string_member (builder, "status", routing_names[user->routing]);
      add_time_member (builder, "startTime", user->routing_start_us);
      json_builder_end_object (builder);
    }
  if (with_presence)
    {
      g_autofree char *definition_uri = g_strconcat ("/api/v2/presencedefinitions/",
                                                     presences[user->presence].id, NULL);

      json_builder_set_member_name (builder, "presence");
      json_builder_begin_object (builder);
      add_string_member (builder, "source", "PURECLOUD");
      json_builder_set_member_name (builder, "presenceDefinition");
      json_builder_begin_object (builder);
      add_string_member (builder, "id", presences[user->presence].id);
      add_string_member (builder, "systemPresence", presences[user->presence].display);
      add_string_member (builder, "selfUri", definition_uri);
      json_builder_end_object (builder);
      add_string_member (builder, "message", "");
      add_time_member (builder, "modifiedDate", user->presence_modified_us);
      json_builder_end_object (builder);
    }
  add_bool_member (builder, "acdAutoAnswer", FALSE);
  add_string_member (builder, "selfUri", self_uri);
}

static int
compare_user_names (gconstpointer a,
                    gconstpointer b)
{
  return g_utf8_collate (user_infos[*(const guint *) a].name, user_infos[*(const guint *) b].name);
}

static void
sorted_users (guint order[N_USERS])
{
  for (guint i = 0; i < N_USERS; i++)
    order[i] = i;
  qsort (order, N_USERS, sizeof (guint), compare_user_names);
}

GPtrArray *
fw_sim_scenario_list_users (FwSimScenario      *self,
                            const char * const *ids,
                            gboolean            with_presence,
                            gboolean            with_routing_status)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint order[N_USERS];

  sorted_users (order);
  for (guint i = 0; i < N_USERS; i++)
    {
      g_autoptr(JsonBuilder) builder = NULL;

      if (ids != NULL && !g_strv_contains (ids, user_infos[order[i]].id))
        continue;
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      build_user_fields (self, order[i], builder, with_presence, with_routing_status);
      json_builder_end_object (builder);
      g_ptr_array_add (list, json_builder_get_root (builder));
    }
  return list;
}

GPtrArray *
fw_sim_scenario_list_queue_members (FwSimScenario *self,
                                    const char    *queue_id,
                                    int            joined,
                                    gboolean       with_presence,
                                    gboolean       with_routing_status)
{
  int queue = find_queue (queue_id);
  GPtrArray *list;
  guint order[N_USERS];

  if (queue < 0)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sorted_users (order);
  for (guint i = 0; i < N_USERS; i++)
    {
      guint index = order[i];
      User *user = &self->users[index];
      gboolean is_in = is_joined (self, index, (guint) queue);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autofree char *self_uri = NULL;

      if (!is_member (index, (guint) queue) || (joined >= 0 && is_in != (joined == 1)))
        continue;

      self_uri = g_strconcat ("/api/v2/users/", user_infos[index].id, NULL);
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      add_string_member (builder, "id", user_infos[index].id);
      add_string_member (builder, "name", user_infos[index].name);
      json_builder_set_member_name (builder, "user");
      json_builder_begin_object (builder);
      build_user_fields (self, index, builder, with_presence, with_routing_status);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "ringNumber");
      json_builder_add_int_value (builder, 1);
      add_bool_member (builder, "joined", is_in);
      add_string_member (builder, "memberBy", "user");
      if (with_routing_status)
        {
          json_builder_set_member_name (builder, "routingStatus");
          json_builder_begin_object (builder);
          add_string_member (builder, "userId", user_infos[index].id);
          add_string_member (builder, "status", routing_names[user->routing]);
          add_time_member (builder, "startTime", user->routing_start_us);
          json_builder_end_object (builder);
        }
      add_string_member (builder, "selfUri", self_uri);
      json_builder_end_object (builder);
      g_ptr_array_add (list, json_builder_get_root (builder));
    }
  return list;
}

/* ---- Observation query ---- */

static const char * const user_metrics[] = {
  "oMemberUsers", "oActiveUsers", "oOnQueueUsers", "oOffQueueUsers",
  "oUserRoutingStatuses", "oUserPresences",
};
static const char * const conversation_metrics[] = { "oWaiting", "oInteracting", "oAlerting" };

static gboolean
is_known_metric (const char *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (user_metrics); i++)
    if (g_str_equal (user_metrics[i], metric))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (conversation_metrics); i++)
    if (g_str_equal (conversation_metrics[i], metric))
      return TRUE;
  return FALSE;
}

static gboolean
strv_has (GPtrArray  *list,
          const char *value)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), value))
      return TRUE;
  return FALSE;
}

static gboolean
metric_in_list_cb (const char *metric,
                   gpointer    data)
{
  return strv_has (data, metric);
}

static gboolean
read_string_list (JsonObject  *object,
                  const char  *member,
                  gboolean     required,
                  GPtrArray   *into,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is required.", member);
      return !required;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be an array.", member);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s must hold strings.", member);
          return FALSE;
        }
      value = json_node_get_string (element);
      if (!is_known_metric (value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: unknown metric \"%s\".", member, value);
          return FALSE;
        }
      g_ptr_array_add (into, (gpointer) value);
    }
  if (required && into->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must not be empty.", member);
      return FALSE;
    }
  return TRUE;
}

/* Queue ids named by queueId predicates, in the filter and its clauses. */
static gboolean
collect_queue_ids (JsonObject  *filter,
                   int          depth,
                   GArray      *queues,
                   GError     **error)
{
  JsonNode *predicates = json_object_get_member (filter, "predicates");
  JsonNode *clauses = json_object_get_member (filter, "clauses");

  if (depth > 4)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "filter is nested too deeply.");
      return FALSE;
    }
  if (predicates != NULL && JSON_NODE_HOLDS_ARRAY (predicates))
    {
      JsonArray *array = json_node_get_array (predicates);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *predicate;
          const char *dimension;
          const char *value;
          int queue;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "predicates must hold objects.");
              return FALSE;
            }
          predicate = json_node_get_object (element);
          dimension = json_object_get_string_member_with_default (predicate, "dimension", NULL);
          value = json_object_get_string_member_with_default (predicate, "value", NULL);
          if (g_strcmp0 (dimension, "queueId") != 0 || value == NULL)
            continue;
          queue = find_queue (value);
          if (queue >= 0)
            {
              guint q = (guint) queue;
              gboolean seen = FALSE;

              for (guint j = 0; j < queues->len; j++)
                seen |= g_array_index (queues, guint, j) == q;
              if (!seen)
                g_array_append_val (queues, q);
            }
        }
    }
  if (clauses != NULL && JSON_NODE_HOLDS_ARRAY (clauses))
    {
      JsonArray *array = json_node_get_array (clauses);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element) &&
              !collect_queue_ids (json_node_get_object (element), depth + 1, queues, error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
add_conversation_metric (FwSimScenario *self,
                         guint          queue,
                         JsonBuilder   *builder,
                         const char    *metric,
                         ConvState      state,
                         gboolean       detail)
{
  guint count = 0;

  for (guint i = 0; i < self->conversations->len; i++)
    {
      Conversation *conv = g_ptr_array_index (self->conversations, i);

      if (conv->queue == queue && conv->state == state)
        count++;
    }

  json_builder_begin_object (builder);
  add_string_member (builder, "metric", metric);
  json_builder_set_member_name (builder, "stats");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);
  if (detail)
    {
      add_bool_member (builder, "truncated", FALSE);
      json_builder_set_member_name (builder, "observations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->conversations->len; i++)
        {
          Conversation *conv = g_ptr_array_index (self->conversations, i);
          AgentLeg *leg = current_leg (conv);

          if (conv->queue != queue || conv->state != state)
            continue;
          json_builder_begin_object (builder);
          add_time_member (builder, "observationDate",
                           state == CONV_WAITING ? conv->acd_start_us :
                           state == CONV_ALERTING ? leg->alert_us : leg->connected_us);
          add_string_member (builder, "conversationId", conv->id);
          add_string_member (builder, "sessionId", conv->acd_call_id);
          json_builder_set_member_name (builder, "routingPriority");
          json_builder_add_int_value (builder, 0);
          add_string_member (builder, "participantName", conv->caller);
          if (leg != NULL)
            add_string_member (builder, "userId", user_infos[leg->user].id);
          add_string_member (builder, "direction", "inbound");
          add_string_member (builder, "addressFrom", conv->ani);
          add_string_member (builder, "addressTo", ORG_DNIS);
          add_string_member (builder, "ani", conv->ani);
          add_string_member (builder, "dnis", ORG_DNIS);
          add_empty_array_member (builder, "requestedRoutingSkillIds");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
fw_sim_scenario_query_observations (FwSimScenario  *self,
                                    JsonNode       *request,
                                    GError        **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GPtrArray) metrics = g_ptr_array_new ();
  g_autoptr(GPtrArray) detail = g_ptr_array_new ();
  g_autoptr(GArray) queues = g_array_new (FALSE, FALSE, sizeof (guint));
  JsonObject *object;
  JsonNode *filter;
  gboolean any_user_metric = FALSE;
  gboolean any_conversation_metric = FALSE;

  g_return_val_if_fail (self != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (request))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The query must be an object.");
      return NULL;
    }
  object = json_node_get_object (request);
  filter = json_object_get_member (object, "filter");
  if (filter == NULL || !JSON_NODE_HOLDS_OBJECT (filter))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "filter is required.");
      return NULL;
    }
  if (!collect_queue_ids (json_node_get_object (filter), 0, queues, error) ||
      !read_string_list (object, "metrics", TRUE, metrics, error) ||
      !read_string_list (object, "detailMetrics", FALSE, detail, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (user_metrics); i++)
    any_user_metric |= strv_has (metrics, user_metrics[i]);
  for (guint i = 0; i < G_N_ELEMENTS (conversation_metrics); i++)
    any_conversation_metric |= strv_has (metrics, conversation_metrics[i]);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "systemToOrganizationMappings");
  json_builder_begin_object (builder);
  for (guint p = 0; p < N_PRESENCES; p++)
    {
      json_builder_set_member_name (builder, presences[p].system);
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, presences[p].id);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < queues->len; i++)
    {
      guint queue = g_array_index (queues, guint, i);

      if (any_user_metric)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "group");
          json_builder_begin_object (builder);
          add_string_member (builder, "queueId", queue_infos[queue].id);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "data");
          json_builder_begin_array (builder);
          add_user_metrics (self, queue, builder, metric_in_list_cb, metrics);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      if (any_conversation_metric)
        {
          static const ConvState states[] = { CONV_WAITING, CONV_CONNECTED, CONV_ALERTING };

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "group");
          json_builder_begin_object (builder);
          add_string_member (builder, "queueId", queue_infos[queue].id);
          add_string_member (builder, "mediaType", "voice");
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "data");
          json_builder_begin_array (builder);
          for (guint m = 0; m < G_N_ELEMENTS (conversation_metrics); m++)
            if (strv_has (metrics, conversation_metrics[m]))
              add_conversation_metric (self, queue, builder, conversation_metrics[m], states[m],
                                       strv_has (detail, conversation_metrics[m]));
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
