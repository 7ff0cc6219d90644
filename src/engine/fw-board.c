/* fw-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sources feed the board.  Notifications keep it current while the feed
 * is live: queue observations carry the counts (one group per media type for
 * the interactions, one without a media type for the agents), queue
 * conversations tell which interactions wait and since when, user topics
 * carry presence and routing status.  Nothing missed is ever sent again, so
 * whenever the feed may have missed something (at start, after a gap) the
 * board re-reads the same numbers over REST and says when it last did.
 */

#define G_LOG_DOMAIN "fw-board"

#include "config.h"

#include <string.h>

#include "fw-board.h"

#define DEFAULT_REFRESH_DELAY   500
#define DEFAULT_RETRY_INTERVAL  15000
/* Ids per observations query and per users request.  The users endpoint takes
 * at most 100 ids; the observation query's predicate limit is UNCONFIRMED,
 * 100 stays well inside anything seen in the wild. */
#define MAX_IDS_PER_REQUEST     100

typedef enum
{
  TOPIC_NONE,
  TOPIC_QUEUE_CONVERSATIONS,
  TOPIC_QUEUE_OBSERVATIONS,
  TOPIC_QUEUE_OTHER,
  TOPIC_USER,
} TopicKind;

/* Conversation counts of one media type. */
typedef struct
{
  guint waiting;
  guint interacting;
  guint alerting;
} MediaCounts;

typedef struct
{
  FwBoardQueue *item;
  gboolean      conversations_topic;
  gboolean      observations_topic;
  GHashTable   *media;      /* media type ("" if none) → MediaCounts */
  GHashTable   *waiting;    /* conversation id → gint64* when it entered the queue */
} QueueState;

struct _FwBoard
{
  GObject        parent_instance;

  FwApi         *api;
  FwSession     *session;
  gulong         notification_handler;
  gulong         gap_handler;
  gulong         state_handler;
  gboolean       session_live;

  GListStore    *queues;          /* FwBoardQueue */
  GListStore    *agents;          /* FwBoardAgent */
  GHashTable    *queue_states;    /* id → QueueState */
  GHashTable    *agent_items;     /* id → FwBoardAgent (a ref) */

  gint64         confirmed_time;
  gboolean       stale;
  gboolean       refreshing;
  /* Bumped whenever the numbers may have gone wrong; a re-read clears
   * "stale" only if nothing went wrong while it ran. */
  guint          generation;

  guint          refresh_delay;
  guint          retry_interval;
  guint          refresh_source;
  GCancellable  *attempt;         /* of the re-read under way */
};

G_DEFINE_FINAL_TYPE (FwBoard, fw_board, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_SESSION,
  PROP_CONFIRMED_TIME,
  PROP_STALE,
  PROP_REFRESHING,
  PROP_REFRESH_DELAY,
  PROP_RETRY_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_refresh (FwBoard *self,
                              guint    delay);

/* ---- JSON that may be anything ---- */

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A count: a non-negative integer, or 0. */
static guint
member_count (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    return 0;
  /* Also false for NaN. */
  if (!(value >= 0))
    return 0;
  return value >= (double) G_MAXUINT ? G_MAXUINT : (guint) value;
}

static JsonObject *
array_object (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "2026-11-28T14:30:41.207Z" → g_get_real_time() units; 0 if unreadable. */
static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return 0;
  return MAX (0, g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time));
}

/* ---- Topics ---- */

/* Reads the queue or user id out of a topic; ids never hold '.' or '?'. */
static TopicKind
parse_topic (const char  *topic,
             char       **id)
{
  static const char queue_routing[] = "v2.routing.queues.";
  static const char queue_analytics[] = "v2.analytics.queues.";
  static const char users[] = "v2.users.";
  const char *start;
  const char *end;
  TopicKind kind;

  *id = NULL;
  if (g_str_has_prefix (topic, queue_routing))
    start = topic + strlen (queue_routing);
  else if (g_str_has_prefix (topic, queue_analytics))
    start = topic + strlen (queue_analytics);
  else if (g_str_has_prefix (topic, users))
    start = topic + strlen (users);
  else
    return TOPIC_NONE;

  end = start + strcspn (start, ".?");
  if (end == start || *end == '\0')
    return TOPIC_NONE;

  if (start == topic + strlen (users))
    {
      if (*end == '?' || g_str_equal (end, ".presence") || g_str_equal (end, ".routingStatus") ||
          g_str_equal (end, ".activity"))
        kind = TOPIC_USER;
      else
        return TOPIC_NONE;
    }
  else if (g_str_equal (end, ".conversations") && start == topic + strlen (queue_routing))
    kind = TOPIC_QUEUE_CONVERSATIONS;
  else if (g_str_equal (end, ".observations") && start == topic + strlen (queue_analytics))
    kind = TOPIC_QUEUE_OBSERVATIONS;
  else if (g_str_equal (end, ".users") || g_str_equal (end, ".activity"))
    kind = TOPIC_QUEUE_OTHER;
  else
    return TOPIC_NONE;

  *id = g_strndup (start, end - start);
  return kind;
}

static void
queue_state_free (QueueState *state)
{
  g_clear_object (&state->item);
  g_clear_pointer (&state->media, g_hash_table_unref);
  g_clear_pointer (&state->waiting, g_hash_table_unref);
  g_free (state);
}

static QueueState *
queue_state_new (FwBoardQueue *item)
{
  QueueState *state = g_new0 (QueueState, 1);

  state->item = g_object_ref (item);
  state->media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return state;
}

static gboolean
store_matches (GListStore *store,
               GPtrArray  *items)
{
  GListModel *model = G_LIST_MODEL (store);

  if (g_list_model_get_n_items (model) != items->len)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item != g_ptr_array_index (items, i))
        return FALSE;
    }
  return TRUE;
}

void
fw_board_set_topics (FwBoard            *self,
                     const char * const *topics)
{
  g_autoptr(GHashTable) queue_states = NULL;
  g_autoptr(GHashTable) agent_items = NULL;
  g_autoptr(GPtrArray) queue_order = NULL;
  g_autoptr(GPtrArray) agent_order = NULL;
  gboolean added = FALSE;

  g_return_if_fail (FW_IS_BOARD (self));

  queue_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) queue_state_free);
  agent_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  queue_order = g_ptr_array_new ();
  agent_order = g_ptr_array_new ();

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      TopicKind kind = parse_topic (topics[i], &id);

      if (kind == TOPIC_NONE)
        continue;

      if (kind == TOPIC_USER)
        {
          FwBoardAgent *agent;

          if (g_hash_table_contains (agent_items, id))
            continue;
          agent = g_hash_table_lookup (self->agent_items, id);
          if (agent != NULL)
            g_object_ref (agent);
          else
            {
              agent = fw_board_agent_new (id);
              added = TRUE;
            }
          g_ptr_array_add (agent_order, agent);
          g_hash_table_insert (agent_items, g_steal_pointer (&id), agent);
        }
      else
        {
          QueueState *state = g_hash_table_lookup (queue_states, id);

          if (state == NULL)
            {
              char *key = NULL;

              /* Keep what is known of a queue that stays. */
              if (g_hash_table_steal_extended (self->queue_states, id, (gpointer *) &key,
                                               (gpointer *) &state))
                {
                  g_free (key);
                  state->conversations_topic = FALSE;
                  state->observations_topic = FALSE;
                }
              else
                {
                  g_autoptr(FwBoardQueue) item = fw_board_queue_new (id);

                  state = queue_state_new (item);
                  added = TRUE;
                }
              g_ptr_array_add (queue_order, state->item);
              g_hash_table_insert (queue_states, g_strdup (id), state);
            }
          if (kind == TOPIC_QUEUE_CONVERSATIONS)
            state->conversations_topic = TRUE;
          else if (kind == TOPIC_QUEUE_OBSERVATIONS)
            state->observations_topic = TRUE;
        }
    }

  /* Without the conversations topic nobody tells when a caller stops
   * waiting: show no longest wait rather than a wrong one. */
  {
    GHashTableIter iter;
    QueueState *state;

    g_hash_table_iter_init (&iter, queue_states);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &state))
      if (!state->conversations_topic)
        {
          g_hash_table_remove_all (state->waiting);
          fw_board_queue_set_longest_wait_start (state->item, 0);
        }
  }

  g_clear_pointer (&self->queue_states, g_hash_table_unref);
  self->queue_states = g_steal_pointer (&queue_states);
  g_clear_pointer (&self->agent_items, g_hash_table_unref);
  self->agent_items = g_steal_pointer (&agent_items);

  if (!store_matches (self->queues, queue_order))
    g_list_store_splice (self->queues, 0, g_list_model_get_n_items (G_LIST_MODEL (self->queues)),
                         queue_order->pdata, queue_order->len);
  if (!store_matches (self->agents, agent_order))
    g_list_store_splice (self->agents, 0, g_list_model_get_n_items (G_LIST_MODEL (self->agents)),
                         agent_order->pdata, agent_order->len);

  if (added && (self->session == NULL || self->session_live))
    schedule_refresh (self, self->refresh_delay);
}

/* ---- Folding numbers in ---- */

static void
update_queue_counts (QueueState *state)
{
  GHashTableIter iter;
  MediaCounts *counts;
  MediaCounts total = { 0, };

  g_hash_table_iter_init (&iter, state->media);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &counts))
    {
      total.waiting += counts->waiting;
      total.interacting += counts->interacting;
      total.alerting += counts->alerting;
    }

  g_object_freeze_notify (G_OBJECT (state->item));
  /* Without observations, the waiting conversations are all we know. */
  if (!state->observations_topic && g_hash_table_size (state->media) == 0)
    total.waiting = g_hash_table_size (state->waiting);
  fw_board_queue_set_waiting (state->item, total.waiting);
  fw_board_queue_set_interacting (state->item, total.interacting);
  fw_board_queue_set_alerting (state->item, total.alerting);
  g_object_thaw_notify (G_OBJECT (state->item));
}

static void
update_longest_wait (QueueState *state)
{
  GHashTableIter iter;
  gint64 *start;
  gint64 oldest = 0;

  g_hash_table_iter_init (&iter, state->waiting);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &start))
    if (oldest == 0 || *start < oldest)
      oldest = *start;
  fw_board_queue_set_longest_wait_start (state->item, oldest);
}

static MediaCounts *
lookup_media (QueueState *state,
              const char *media_type)
{
  MediaCounts *counts = g_hash_table_lookup (state->media, media_type ? media_type : "");

  if (counts == NULL)
    {
      counts = g_new0 (MediaCounts, 1);
      g_hash_table_insert (state->media, g_strdup (media_type ? media_type : ""), counts);
    }
  return counts;
}

static gboolean
is_user_metric (const char *metric)
{
  static const char * const names[] = {
    "oMemberUsers", "oActiveUsers", "oOnQueueUsers", "oOffQueueUsers",
    "oUserRoutingStatuses", "oUserPresences",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (metric, names[i]))
      return TRUE;
  return FALSE;
}

/* Folds one array of {metric, qualifier, stats: {count}} in.  Genesys leaves
 * out qualifiers whose count is 0, so an array that speaks of agents at all
 * says everything about them.  Which metrics come in which group is
 * UNCONFIRMED: interactions are counted per media type when the group has
 * one, agents wherever they come. */
static void
apply_metrics (QueueState *state,
               const char *media_type,
               JsonArray  *metrics)
{
  MediaCounts *counts = NULL;
  gboolean has_user_metrics = FALSE;
  guint on_queue = 0;
  guint idle = 0;

  for (guint i = 0; i < json_array_get_length (metrics); i++)
    {
      JsonObject *entry = array_object (metrics, i);
      const char *metric = member_string (entry, "metric");
      guint count = member_count (member_object (entry, "stats"), "count");

      if (metric == NULL)
        continue;

      if (g_str_equal (metric, "oWaiting") || g_str_equal (metric, "oInteracting") ||
          g_str_equal (metric, "oAlerting"))
        {
          if (counts == NULL)
            counts = lookup_media (state, media_type);
          if (metric[1] == 'W')
            counts->waiting = count;
          else if (metric[1] == 'I')
            counts->interacting = count;
          else
            counts->alerting = count;
        }
      else if (is_user_metric (metric))
        {
          has_user_metrics = TRUE;
          if (g_str_equal (metric, "oOnQueueUsers"))
            {
              on_queue += count;
              if (fw_board_status_equal (member_string (entry, "qualifier"), "IDLE"))
                idle += count;
            }
        }
    }

  if (has_user_metrics)
    {
      fw_board_queue_set_agents_on_queue (state->item, on_queue);
      fw_board_queue_set_agents_idle (state->item, idle);
    }
  if (counts != NULL || has_user_metrics)
    fw_board_queue_set_counts_known (state->item, TRUE);
}

static gboolean
handle_observation (FwBoard    *self,
                    QueueState *state,
                    JsonObject *body)
{
  JsonObject *group = member_object (body, "group");
  JsonArray *data = member_array (body, "data");
  const char *queue_id = member_string (group, "queueId");

  if (data == NULL || (queue_id != NULL &&
                       !g_str_equal (queue_id, fw_board_queue_get_id (state->item))))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonArray *metrics = member_array (array_object (data, i), "metrics");

      if (metrics != NULL)
        apply_metrics (state, member_string (group, "mediaType"), metrics);
    }
  update_queue_counts (state);
  return TRUE;
}

static gboolean
participant_in_queue (JsonObject *participant,
                      const char *queue_id)
{
  JsonObject *routing = member_object (participant, "conversationRoutingData");

  return g_strcmp0 (member_string (participant, "queueId"), queue_id) == 0 ||
         g_strcmp0 (member_string (member_object (routing, "queue"), "id"), queue_id) == 0;
}

/* A conversation waits in the queue while its acd participant there has not
 * ended and no agent participant is under way (offered or connected). */
static gboolean
handle_conversation (FwBoard        *self,
                     QueueState     *state,
                     JsonObject     *body,
                     FwNotification *notification)
{
  const char *queue_id = fw_board_queue_get_id (state->item);
  const char *conversation_id = member_string (body, "id");
  JsonArray *participants = member_array (body, "participants");
  gboolean in_queue = FALSE;
  gboolean with_agent = FALSE;
  gint64 entered = 0;

  if (conversation_id == NULL || participants == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *participant = array_object (participants, i);
      const char *purpose = member_string (participant, "purpose");
      gboolean ended = member_string (participant, "endTime") != NULL;

      if (purpose == NULL || ended)
        continue;
      if (g_str_equal (purpose, "acd") && participant_in_queue (participant, queue_id))
        {
          gint64 connected = parse_time (member_string (participant, "connectedTime"));

          in_queue = TRUE;
          /* Sent back to the queue: the newest acd participant counts. */
          entered = MAX (entered, connected);
        }
      else if (g_str_equal (purpose, "agent") || g_str_equal (purpose, "user"))
        with_agent = TRUE;
    }

  if (in_queue && !with_agent)
    {
      gint64 *start = g_new (gint64, 1);

      *start = entered != 0 ? entered : fw_notification_get_received_time (notification);
      g_hash_table_replace (state->waiting, g_strdup (conversation_id), start);
    }
  else if (!g_hash_table_remove (state->waiting, conversation_id))
    return FALSE;

  update_longest_wait (state);
  if (!state->observations_topic)
    update_queue_counts (state);
  return TRUE;
}

/* Presence and routing status from any of the shapes user topics and the
 * users endpoint use: the presence topic's body is the presence itself,
 * activity and REST users nest it under "presence". */
static gboolean
apply_user (FwBoardAgent *agent,
            JsonObject   *body,
            gint64        fallback_time)
{
  JsonObject *presence = member_object (body, "presenceDefinition") ? body : member_object (body, "presence");
  JsonObject *routing = member_object (body, "routingStatus");
  gboolean changed = FALSE;

  if (presence != NULL)
    {
      const char *value = member_string (member_object (presence, "presenceDefinition"),
                                         "systemPresence");
      gint64 since = parse_time (member_string (presence, "modifiedDate"));

      if (value != NULL)
        changed |= fw_board_agent_update_presence (agent, value, since ? since : fallback_time);
    }
  if (routing != NULL)
    {
      const char *value = member_string (routing, "status");
      gint64 since = parse_time (member_string (routing, "startTime"));

      if (value != NULL)
        changed |= fw_board_agent_update_routing_status (agent, value,
                                                         since ? since : fallback_time);
    }
  return changed;
}

void
fw_board_handle_notification (FwBoard        *self,
                              FwNotification *notification)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) body_node = NULL;
  FwBoardAgent *agent = NULL;
  QueueState *state = NULL;
  JsonObject *body;
  TopicKind kind;
  gboolean changed = FALSE;

  g_return_if_fail (FW_IS_BOARD (self));
  g_return_if_fail (FW_IS_NOTIFICATION (notification));

  if (fw_notification_get_kind (notification) != FW_NOTIFICATION_KIND_EVENT)
    return;
  kind = parse_topic (fw_notification_get_topic (notification), &id);
  if (kind == TOPIC_NONE || kind == TOPIC_QUEUE_OTHER)
    return;

  /* Only what the board shows is worth parsing the body for. */
  if (kind == TOPIC_USER)
    agent = g_hash_table_lookup (self->agent_items, id);
  else
    state = g_hash_table_lookup (self->queue_states, id);
  if (agent == NULL &&
      (state == NULL || (kind == TOPIC_QUEUE_CONVERSATIONS && !state->conversations_topic)))
    return;

  body_node = fw_notification_dup_body (notification);
  if (body_node == NULL || !JSON_NODE_HOLDS_OBJECT (body_node))
    return;
  body = json_node_get_object (body_node);

  if (agent != NULL)
    changed = apply_user (agent, body, fw_notification_get_received_time (notification));
  else if (kind == TOPIC_QUEUE_OBSERVATIONS)
    changed = handle_observation (self, state, body);
  else
    changed = handle_conversation (self, state, body, notification);

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- The session ---- */

static void
set_stale (FwBoard  *self,
           gboolean  stale)
{
  if (self->stale == stale)
    return;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
}

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 FwBoard        *self)
{
  fw_board_handle_notification (self, notification);
}

static void
gap_cb (FwSession *session,
        FwGap     *gap,
        FwBoard   *self)
{
  g_debug ("gap: re-reading the board");
  self->generation++;
  set_stale (self, TRUE);
  schedule_refresh (self, self->refresh_delay);
}

static void
session_state_cb (FwSession  *session,
                  GParamSpec *pspec,
                  FwBoard    *self)
{
  gboolean live = fw_session_get_state (session) == FW_SESSION_STATE_LIVE;

  if (live == self->session_live)
    return;
  self->session_live = live;

  if (!live)
    {
      /* Whatever happens now is not seen: the numbers may go wrong. */
      self->generation++;
      set_stale (self, TRUE);
      g_clear_handle_id (&self->refresh_source, g_source_remove);
    }
  else
    {
      fw_board_set_topics (self, fw_session_get_topics (session));
      schedule_refresh (self, self->refresh_delay);
    }
}

void
fw_board_set_session (FwBoard   *self,
                      FwSession *session)
{
  g_return_if_fail (FW_IS_BOARD (self));
  g_return_if_fail (session == NULL || FW_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->notification_handler, self->session);
      g_clear_signal_handler (&self->gap_handler, self->session);
      g_clear_signal_handler (&self->state_handler, self->session);
      g_clear_object (&self->session);
    }

  self->session_live = FALSE;
  self->generation++;
  set_stale (self, TRUE);

  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->notification_handler =
        g_signal_connect (session, "notification", G_CALLBACK (notification_cb), self);
      self->gap_handler = g_signal_connect (session, "gap", G_CALLBACK (gap_cb), self);
      self->state_handler = g_signal_connect (session, "notify::state",
                                              G_CALLBACK (session_state_cb), self);
      fw_board_set_topics (self, fw_session_get_topics (session));
      session_state_cb (session, NULL, self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

FwSession *
fw_board_get_session (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), NULL);

  return self->session;
}

/* ---- Re-reading over REST ---- */

typedef enum
{
  REQUEST_OBSERVATIONS,
  REQUEST_USERS,
  REQUEST_QUEUE_NAME,
} RequestKind;

typedef struct
{
  RequestKind  kind;
  char        *method;
  char        *path;
  JsonNode    *body;
  GStrv        ids;
} Request;

typedef struct
{
  GCancellable *attempt;
  GCancellable *caller;
  gulong        caller_handler;
  GPtrArray    *requests;    /* Request */
  guint         next;
  guint         generation;
  gboolean      changed;
} RefreshData;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, json_node_unref);
  g_strfreev (request->ids);
  g_free (request);
}

static void
refresh_data_free (RefreshData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->caller);
  g_clear_object (&data->attempt);
  g_clear_pointer (&data->requests, g_ptr_array_unref);
  g_free (data);
}

static JsonNode *
build_observation_query (const char * const *queue_ids)
{
  static const char * const metrics[] = { "oWaiting", "oInteracting", "oAlerting", "oOnQueueUsers" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filter");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "or");
  json_builder_set_member_name (builder, "predicates");
  json_builder_begin_array (builder);
  for (guint i = 0; queue_ids[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "dimension");
      json_builder_set_member_name (builder, "dimension");
      json_builder_add_string_value (builder, "queueId");
      json_builder_set_member_name (builder, "operator");
      json_builder_add_string_value (builder, "matches");
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, queue_ids[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    json_builder_add_string_value (builder, metrics[i]);
  json_builder_end_array (builder);
  /* The waiting interactions themselves give the longest wait. */
  json_builder_set_member_name (builder, "detailMetrics");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "oWaiting");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
build_users_path (const char * const *user_ids)
{
  GString *path = g_string_new ("/api/v2/users?pageSize=");

  g_string_append_printf (path, "%u&expand=presence,routingStatus", MAX_IDS_PER_REQUEST);
  for (guint i = 0; user_ids[i] != NULL; i++)
    {
      g_string_append (path, "&id=");
      g_string_append_uri_escaped (path, user_ids[i], NULL, FALSE);
    }
  return g_string_free (path, FALSE);
}

static void
add_request (GPtrArray   *requests,
             RequestKind  kind,
             const char  *method,
             char        *path,
             JsonNode    *body,
             GStrv        ids)
{
  Request *request = g_new0 (Request, 1);

  request->kind = kind;
  request->method = g_strdup (method);
  request->path = path;
  request->body = body;
  request->ids = ids;
  g_ptr_array_add (requests, request);
}

/* Splits the ids of @model into requests of at most MAX_IDS_PER_REQUEST. */
static void
add_chunked_requests (GPtrArray   *requests,
                      GListModel  *model,
                      RequestKind  kind)
{
  guint n = g_list_model_get_n_items (model);

  for (guint first = 0; first < n; first += MAX_IDS_PER_REQUEST)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      GStrv ids;

      for (guint i = first; i < MIN (n, first + MAX_IDS_PER_REQUEST); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          if (kind == REQUEST_OBSERVATIONS)
            g_strv_builder_add (builder, fw_board_queue_get_id (FW_BOARD_QUEUE (item)));
          else
            g_strv_builder_add (builder, fw_board_agent_get_id (FW_BOARD_AGENT (item)));
        }
      ids = g_strv_builder_end (builder);
      if (kind == REQUEST_OBSERVATIONS)
        add_request (requests, kind, "POST", g_strdup ("/api/v2/analytics/queues/observations/query"),
                     build_observation_query ((const char * const *) ids), ids);
      else
        add_request (requests, kind, "GET", build_users_path ((const char * const *) ids), NULL, ids);
    }
}

static gboolean
apply_observation_answer (FwBoard   *self,
                          Request   *request,
                          JsonNode  *answer,
                          GError   **error)
{
  JsonArray *results = JSON_NODE_HOLDS_OBJECT (answer) ?
    member_array (json_node_get_object (answer), "results") : NULL;

  if (results == NULL)
    {
      g_set_error_literal (error, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                           "The observations query answered without results.");
      return FALSE;
    }

  /* The answer is the whole truth about these queues: what it leaves out
   * is zero. */
  for (guint i = 0; request->ids[i] != NULL; i++)
    {
      QueueState *state = g_hash_table_lookup (self->queue_states, request->ids[i]);

      if (state == NULL)
        continue;
      g_hash_table_remove_all (state->media);
      g_hash_table_remove_all (state->waiting);
      fw_board_queue_set_agents_on_queue (state->item, 0);
      fw_board_queue_set_agents_idle (state->item, 0);
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = array_object (results, i);
      JsonObject *group = member_object (result, "group");
      JsonArray *data = member_array (result, "data");
      const char *queue_id = member_string (group, "queueId");
      QueueState *state = queue_id ? g_hash_table_lookup (self->queue_states, queue_id) : NULL;

      if (state == NULL || data == NULL ||
          !g_strv_contains ((const char * const *) request->ids, queue_id))
        continue;

      apply_metrics (state, member_string (group, "mediaType"), data);

      for (guint m = 0; m < json_array_get_length (data); m++)
        {
          JsonObject *metric = array_object (data, m);
          JsonArray *observations = member_array (metric, "observations");

          if (g_strcmp0 (member_string (metric, "metric"), "oWaiting") != 0 || observations == NULL)
            continue;
          for (guint o = 0; o < json_array_get_length (observations); o++)
            {
              JsonObject *observation = array_object (observations, o);
              const char *conversation_id = member_string (observation, "conversationId");
              gint64 since = parse_time (member_string (observation, "observationDate"));
              gint64 *start;

              if (conversation_id == NULL || since == 0)
                continue;
              start = g_new (gint64, 1);
              *start = since;
              g_hash_table_replace (state->waiting, g_strdup (conversation_id), start);
            }
        }
    }

  for (guint i = 0; request->ids[i] != NULL; i++)
    {
      QueueState *state = g_hash_table_lookup (self->queue_states, request->ids[i]);

      if (state == NULL)
        continue;
      fw_board_queue_set_counts_known (state->item, TRUE);
      update_queue_counts (state);
      if (state->conversations_topic)
        update_longest_wait (state);
      else
        g_hash_table_remove_all (state->waiting);
    }
  return TRUE;
}

static gboolean
apply_users_answer (FwBoard   *self,
                    Request   *request,
                    JsonNode  *answer,
                    GError   **error)
{
  JsonArray *entities = JSON_NODE_HOLDS_OBJECT (answer) ?
    member_array (json_node_get_object (answer), "entities") : NULL;
  gint64 now = g_get_real_time ();

  if (entities == NULL)
    {
      g_set_error_literal (error, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                           "The users request answered without entities.");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (entities); i++)
    {
      JsonObject *user = array_object (entities, i);
      const char *id = member_string (user, "id");
      FwBoardAgent *agent = id ? g_hash_table_lookup (self->agent_items, id) : NULL;

      if (agent == NULL)
        continue;
      if (member_string (user, "name") != NULL)
        fw_board_agent_set_name (agent, member_string (user, "name"));
      apply_user (agent, user, now);
    }
  return TRUE;
}

static gboolean
apply_queue_answer (FwBoard   *self,
                    Request   *request,
                    JsonNode  *answer,
                    GError   **error)
{
  const char *name = JSON_NODE_HOLDS_OBJECT (answer) ?
    member_string (json_node_get_object (answer), "name") : NULL;
  QueueState *state = g_hash_table_lookup (self->queue_states, request->ids[0]);

  if (name == NULL)
    {
      g_set_error (error, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                   "The queue %s answered without a name.", request->ids[0]);
      return FALSE;
    }
  if (state != NULL)
    fw_board_queue_set_name (state->item, name);
  return TRUE;
}

static void
set_refreshing (FwBoard  *self,
                gboolean  refreshing)
{
  if (self->refreshing == refreshing)
    return;
  self->refreshing = refreshing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

/* Ends the re-read of @task with @error (NULL: success); takes @task. */
static void
complete_refresh (GTask  *task,
                  GError *error)
{
  FwBoard *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);

  /* Only the current attempt speaks for the board. */
  if (data->attempt == self->attempt)
    {
      g_clear_object (&self->attempt);
      set_refreshing (self, FALSE);
      if (error == NULL)
        {
          self->confirmed_time = g_get_real_time ();
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIRMED_TIME]);
          /* Right again, unless the feed went down while we read. */
          if (data->generation == self->generation &&
              (self->session == NULL || self->session_live))
            set_stale (self, FALSE);
        }
      if (data->changed)
        g_signal_emit (self, signals[CHANGED], 0);
      g_signal_emit (self, signals[REFRESHED], 0, error);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void run_next_request (GTask *task);

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwBoard *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);
  Request *request = g_ptr_array_index (data->requests, data->next);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean applied;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (answer == NULL)
    {
      /* A queue deleted since it was watched has no name to give. */
      if (request->kind == REQUEST_QUEUE_NAME &&
          g_error_matches (error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND))
        {
          data->next++;
          run_next_request (g_steal_pointer (&task));
          return;
        }
      complete_refresh (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_is_cancelled (data->attempt))
    {
      complete_refresh (g_steal_pointer (&task),
                        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "The re-read was cancelled."));
      return;
    }

  switch (request->kind)
    {
    case REQUEST_OBSERVATIONS:
      applied = apply_observation_answer (self, request, answer, &error);
      break;

    case REQUEST_USERS:
      applied = apply_users_answer (self, request, answer, &error);
      break;

    case REQUEST_QUEUE_NAME:
    default:
      applied = apply_queue_answer (self, request, answer, &error);
      break;
    }
  if (!applied)
    {
      complete_refresh (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  data->changed = TRUE;
  data->next++;
  run_next_request (g_steal_pointer (&task));
}

static void
run_next_request (GTask *task)
{
  FwBoard *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);
  Request *request;

  if (data->next == data->requests->len)
    {
      complete_refresh (task, NULL);
      return;
    }

  request = g_ptr_array_index (data->requests, data->next);
  fw_api_call_async (self->api, request->method, request->path, request->body,
                     data->attempt, request_cb, task);
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

void
fw_board_refresh_async (FwBoard             *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;
  GListModel *queues = G_LIST_MODEL (self->queues);

  g_return_if_fail (FW_IS_BOARD (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* A new re-read makes the one under way pointless. */
  if (self->attempt != NULL)
    g_cancellable_cancel (self->attempt);
  g_clear_object (&self->attempt);
  g_clear_handle_id (&self->refresh_source, g_source_remove);

  data = g_new0 (RefreshData, 1);
  data->attempt = g_cancellable_new ();
  data->generation = self->generation;
  data->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    g_object_ref (data->attempt), g_object_unref);
    }

  add_chunked_requests (data->requests, queues, REQUEST_OBSERVATIONS);
  add_chunked_requests (data->requests, G_LIST_MODEL (self->agents), REQUEST_USERS);
  for (guint i = 0; i < g_list_model_get_n_items (queues); i++)
    {
      g_autoptr(FwBoardQueue) queue = g_list_model_get_item (queues, i);
      g_autofree char *escaped = NULL;
      const char *ids[] = { fw_board_queue_get_id (queue), NULL };

      if (fw_board_queue_get_name (queue) != NULL)
        continue;
      escaped = g_uri_escape_string (ids[0], NULL, FALSE);
      add_request (data->requests, REQUEST_QUEUE_NAME, "GET",
                   g_strconcat ("/api/v2/routing/queues/", escaped, NULL), NULL,
                   g_strdupv ((char **) ids));
    }

  self->attempt = g_object_ref (data->attempt);
  set_refreshing (self, TRUE);

  task = g_task_new (self, data->attempt, callback, user_data);
  g_task_set_source_tag (task, fw_board_refresh_async);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);

  run_next_request (g_steal_pointer (&task));
}

gboolean
fw_board_refresh_finish (FwBoard       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (FW_IS_BOARD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_board_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
auto_refresh_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FwBoard *self = FW_BOARD (object);
  g_autoptr(GError) error = NULL;

  if (!fw_board_refresh_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("Could not re-read the board: %s", error->message);
      if (self->session == NULL || self->session_live)
        schedule_refresh (self, self->retry_interval);
    }
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  FwBoard *self = user_data;

  self->refresh_source = 0;
  fw_board_refresh_async (self, NULL, auto_refresh_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* Starts a re-read @delay ms from now, unless one is already due sooner. */
static void
schedule_refresh (FwBoard *self,
                  guint    delay)
{
  if (self->refresh_source != 0)
    return;
  self->refresh_source = g_timeout_add (delay, refresh_timeout_cb, self);
}

/* ---- GObject ---- */

static void
fw_board_dispose (GObject *object)
{
  FwBoard *self = (FwBoard *)object;

  fw_board_set_session (self, NULL);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->attempt != NULL)
    g_cancellable_cancel (self->attempt);
  g_clear_object (&self->attempt);

  G_OBJECT_CLASS (fw_board_parent_class)->dispose (object);
}

static void
fw_board_finalize (GObject *object)
{
  FwBoard *self = (FwBoard *)object;

  g_clear_object (&self->api);
  g_clear_object (&self->queues);
  g_clear_object (&self->agents);
  g_clear_pointer (&self->queue_states, g_hash_table_unref);
  g_clear_pointer (&self->agent_items, g_hash_table_unref);

  G_OBJECT_CLASS (fw_board_parent_class)->finalize (object);
}

static void
fw_board_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  FwBoard *self = FW_BOARD (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_CONFIRMED_TIME:
      g_value_set_int64 (value, self->confirmed_time);
      break;

    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;

    case PROP_REFRESHING:
      g_value_set_boolean (value, self->refreshing);
      break;

    case PROP_REFRESH_DELAY:
      g_value_set_uint (value, self->refresh_delay);
      break;

    case PROP_RETRY_INTERVAL:
      g_value_set_uint (value, self->retry_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  FwBoard *self = FW_BOARD (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      fw_board_set_session (self, g_value_get_object (value));
      break;

    case PROP_REFRESH_DELAY:
      if (self->refresh_delay != g_value_get_uint (value))
        {
          self->refresh_delay = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RETRY_INTERVAL:
      if (self->retry_interval != g_value_get_uint (value))
        {
          self->retry_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_class_init (FwBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_board_dispose;
  object_class->finalize = fw_board_finalize;
  object_class->get_property = fw_board_get_property;
  object_class->set_property = fw_board_set_property;

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, FW_TYPE_API,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FW_TYPE_SESSION, rw);
  properties[PROP_CONFIRMED_TIME] =
    g_param_spec_int64 ("confirmed-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, TRUE, ro);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE, ro);
  properties[PROP_REFRESH_DELAY] =
    g_param_spec_uint ("refresh-delay", NULL, NULL, 0, G_MAXUINT, DEFAULT_REFRESH_DELAY, rw);
  properties[PROP_RETRY_INTERVAL] =
    g_param_spec_uint ("retry-interval", NULL, NULL, 1, G_MAXUINT, DEFAULT_RETRY_INTERVAL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fw_board_init (FwBoard *self)
{
  self->queues = g_list_store_new (FW_TYPE_BOARD_QUEUE);
  self->agents = g_list_store_new (FW_TYPE_BOARD_AGENT);
  self->queue_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) queue_state_free);
  self->agent_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->stale = TRUE;
  self->refresh_delay = DEFAULT_REFRESH_DELAY;
  self->retry_interval = DEFAULT_RETRY_INTERVAL;
}

FwBoard *
fw_board_new (FwApi *api)
{
  g_return_val_if_fail (FW_IS_API (api), NULL);

  return g_object_new (FW_TYPE_BOARD, "api", api, NULL);
}

FwApi *
fw_board_get_api (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), NULL);

  return self->api;
}

GListModel *
fw_board_get_queues (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), NULL);

  return G_LIST_MODEL (self->queues);
}

GListModel *
fw_board_get_agents (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), NULL);

  return G_LIST_MODEL (self->agents);
}

FwBoardQueue *
fw_board_lookup_queue (FwBoard    *self,
                       const char *queue_id)
{
  QueueState *state;

  g_return_val_if_fail (FW_IS_BOARD (self), NULL);
  g_return_val_if_fail (queue_id != NULL, NULL);

  state = g_hash_table_lookup (self->queue_states, queue_id);
  return state ? state->item : NULL;
}

FwBoardAgent *
fw_board_lookup_agent (FwBoard    *self,
                       const char *user_id)
{
  g_return_val_if_fail (FW_IS_BOARD (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return g_hash_table_lookup (self->agent_items, user_id);
}

gint64
fw_board_get_confirmed_time (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), 0);

  return self->confirmed_time;
}

gboolean
fw_board_get_stale (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), TRUE);

  return self->stale;
}

gboolean
fw_board_get_refreshing (FwBoard *self)
{
  g_return_val_if_fail (FW_IS_BOARD (self), FALSE);

  return self->refreshing;
}
