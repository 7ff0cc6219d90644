/* fw-describe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns a notification into the sentence a supervisor reads in the event
 * list.  Everything here reads untrusted JSON: a field of the wrong type is
 * treated as missing, and values nobody knows are shown as they came.
 */

#define G_LOG_DOMAIN "fw-describe"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-describe.h"
#include "fw-json-read.h"

#define PREFIX_ROUTING_QUEUES   "v2.routing.queues."
#define PREFIX_ANALYTICS_QUEUES "v2.analytics.queues."
#define PREFIX_USERS            "v2.users."
#define PREFIX_DETAIL_CONV      "v2.detail.events.conversation."
#define PREFIX_DETAIL_AGENT     "v2.detail.events.agent."
#define PREFIX_CONVERSATIONS    "v2.conversations."
#define PREFIX_SYSTEM           "v2.system."

typedef struct
{
  const char *key;     /* lower case, no spaces, underscores or dashes */
  const char *label;
} StatusLabel;

/* ---- Topics ---- */

/* The id that follows @prefix in @topic, up to the next '.' or '?'. */
static char *
topic_id_after (const char *topic,
                const char *prefix)
{
  const char *start;
  gsize len;

  if (!g_str_has_prefix (topic, prefix))
    return NULL;
  start = topic + strlen (prefix);
  len = strcspn (start, ".?");
  if (len == 0)
    return NULL;
  return g_strndup (start, len);
}

/* What follows the id after @prefix: "conversations" in
 * "v2.routing.queues.ID.conversations", "acd.start" in a detail topic. */
static const char *
topic_suffix_after (const char *topic,
                    const char *prefix)
{
  const char *rest;

  if (!g_str_has_prefix (topic, prefix))
    return "";
  rest = topic + strlen (prefix);
  rest += strcspn (rest, ".?");
  if (*rest == '.')
    rest++;
  return rest;
}

FwEventKind
fw_describe_kind (const char *topic)
{
  g_return_val_if_fail (topic != NULL, FW_EVENT_KIND_SYSTEM);

  if (g_str_has_prefix (topic, PREFIX_ROUTING_QUEUES))
    {
      if (g_str_equal (topic_suffix_after (topic, PREFIX_ROUTING_QUEUES), "conversations"))
        return FW_EVENT_KIND_CONVERSATION;
      return FW_EVENT_KIND_QUEUE;
    }
  if (g_str_has_prefix (topic, PREFIX_ANALYTICS_QUEUES))
    return FW_EVENT_KIND_QUEUE;
  if (g_str_has_prefix (topic, PREFIX_USERS) || g_str_has_prefix (topic, PREFIX_DETAIL_AGENT))
    return FW_EVENT_KIND_AGENT;
  if (g_str_has_prefix (topic, PREFIX_DETAIL_CONV) || g_str_has_prefix (topic, PREFIX_CONVERSATIONS))
    return FW_EVENT_KIND_CONVERSATION;
  return FW_EVENT_KIND_SYSTEM;
}

const char *
fw_describe_kind_icon_name (FwEventKind kind)
{
  switch (kind)
    {
    case FW_EVENT_KIND_QUEUE:
      return "fw-queue-symbolic";
    case FW_EVENT_KIND_AGENT:
      return "fw-agent-symbolic";
    case FW_EVENT_KIND_CONVERSATION:
      return "fw-conversation-symbolic";
    case FW_EVENT_KIND_SYSTEM:
    default:
      return "fw-system-symbolic";
    }
}

FwNameKind
fw_describe_subject (const char  *topic,
                     JsonNode    *body,
                     char       **id)
{
  char *found;

  g_return_val_if_fail (topic != NULL, FW_NAME_NONE);
  g_return_val_if_fail (id != NULL, FW_NAME_NONE);

  *id = NULL;

  if ((found = topic_id_after (topic, PREFIX_ROUTING_QUEUES)) ||
      (found = topic_id_after (topic, PREFIX_ANALYTICS_QUEUES)))
    {
      *id = found;
      return FW_NAME_QUEUE;
    }

  if ((found = topic_id_after (topic, PREFIX_USERS)) ||
      (found = topic_id_after (topic, PREFIX_DETAIL_AGENT)))
    {
      *id = found;
      return FW_NAME_USER;
    }

  /* A conversation has no name of its own: name it after its queue, or
   * the agent it is with. */
  if (g_str_has_prefix (topic, PREFIX_DETAIL_CONV))
    {
      JsonObject *object = fw_json_node_object (body);
      const char *value;

      if ((value = fw_json_get_nonempty (object, "queueId")))
        {
          *id = g_strdup (value);
          return FW_NAME_QUEUE;
        }
      if ((value = fw_json_get_nonempty (object, "userId")))
        {
          *id = g_strdup (value);
          return FW_NAME_USER;
        }
    }

  return FW_NAME_NONE;
}

/* ---- Statuses ---- */

static char *
status_key (const char *value)
{
  GString *key = g_string_sized_new (strlen (value));

  for (const char *p = value; *p; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-')
        continue;
      g_string_append_c (key, g_ascii_tolower (*p));
    }
  return g_string_free (key, FALSE);
}

static const char *
status_lookup (const StatusLabel *table,
               const char        *value)
{
  g_autofree char *key = NULL;

  if (value == NULL)
    return NULL;

  key = status_key (value);
  for (guint i = 0; table[i].key != NULL; i++)
    {
      if (g_str_equal (table[i].key, key))
        return g_dpgettext2 (GETTEXT_PACKAGE, "status", table[i].label);
    }
  return value;
}

const char *
fw_describe_presence (const char *value)
{
  static const StatusLabel presences[] = {
    { "available", NC_("status", "Available") },
    { "away", NC_("status", "Away") },
    { "busy", NC_("status", "Busy") },
    { "offline", NC_("status", "Offline") },
    { "idle", NC_("status", "Idle") },
    { "onqueue", NC_("status", "On Queue") },
    { "meal", NC_("status", "Meal") },
    { "training", NC_("status", "Training") },
    { "meeting", NC_("status", "Meeting") },
    { "break", NC_("status", "Break") },
    { NULL, NULL }
  };

  return status_lookup (presences, value);
}

const char *
fw_describe_routing_status (const char *value)
{
  static const StatusLabel statuses[] = {
    { "offqueue", NC_("status", "Off Queue") },
    { "idle", NC_("status", "Idle") },
    { "interacting", NC_("status", "Interacting") },
    { "notresponding", NC_("status", "Not Responding") },
    { "communicating", NC_("status", "Communicating") },
    { NULL, NULL }
  };

  return status_lookup (statuses, value);
}

char *
fw_describe_short_topic (const char *topic)
{
  GString *text;
  const char *p;

  g_return_val_if_fail (topic != NULL, NULL);

  text = g_string_sized_new (strlen (topic));
  p = g_str_has_prefix (topic, "v2.") ? topic + 3 : topic;
  while (*p != '\0')
    {
      gsize len = strcspn (p, ".?&");

      /* Ids (UUIDs, channel ids) are long; the words of a topic are not.
       * The name next to the topic says whose it is. */
      if (len > 16)
        g_string_append_c (text, '*');
      else
        g_string_append_len (text, p, len);

      p += len;
      if (*p != '\0')
        g_string_append_c (text, *p++);
    }
  return g_string_free (text, FALSE);
}

char *
fw_describe_duration (gint64 ms)
{
  gint64 s = MAX (ms, 0) / 1000;

  if (s < 60)
    /* Translators: a duration in seconds, e.g. "45 s". */
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    /* Translators: a duration in minutes, e.g. "2 min". */
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  /* Translators: a duration in hours and minutes, e.g. "1 h 5 min". */
  return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s % 3600 / 60));
}

static const char *
lookup_name (FwNameFunc  names,
             gpointer    user_data,
             FwNameKind  kind,
             const char *id)
{
  const char *name = NULL;

  if (id == NULL)
    return NULL;
  if (names != NULL)
    name = names (kind, id, user_data);
  return name != NULL ? name : id;
}

/* ISO 8601 time in wall-clock microseconds, or 0. */
static gint64
parse_time (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;

  if (iso == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* ---- Users ---- */

static const char *
body_system_presence (JsonObject *object)
{
  return fw_json_get_nonempty (fw_json_get_object (object, "presenceDefinition"), "systemPresence");
}

static char *
describe_user (JsonObject *body)
{
  const char *presence = NULL;
  const char *routing = NULL;
  JsonObject *object;

  /* v2.users.{id}.presence has presenceDefinition at the top;
   * v2.users.{id}.activity has it under "presence". */
  presence = body_system_presence (body);
  if (presence == NULL && (object = fw_json_get_object (body, "presence")))
    presence = body_system_presence (object);

  if ((object = fw_json_get_object (body, "routingStatus")))
    routing = fw_json_get_nonempty (object, "status");

  if (presence != NULL && routing != NULL)
    /* Translators: an agent's presence and routing status, after the
     * agent's name: "Ana Silva | is now On Queue and Interacting". */
    return g_strdup_printf (_("is now %s and %s"),
                            fw_describe_presence (presence),
                            fw_describe_routing_status (routing));
  if (presence != NULL)
    /* Translators: after the agent's name: "Ana Silva | is now On Queue". */
    return g_strdup_printf (_("is now %s"), fw_describe_presence (presence));
  if (routing != NULL)
    /* Translators: after the agent's name: "Ana Silva | is now Not Responding". */
    return g_strdup_printf (_("is now %s"), fw_describe_routing_status (routing));

  return NULL;
}

/* ---- Queue observations ---- */

typedef struct
{
  gboolean has_waiting, has_interacting, has_alerting;
  gboolean has_on_queue, has_off_queue, has_members;
  gint64   waiting, interacting, alerting;
  gint64   on_queue, off_queue, members;
  gint64   longest_ms;     /* -1: not known */
} Figures;

static gboolean
metric_value (JsonObject *metric,
              double     *value)
{
  JsonObject *stats = fw_json_get_object (metric, "stats");

  if (fw_json_get_number (stats, "count", value))
    return TRUE;
  if (fw_json_get_number (metric, "count", value))
    return TRUE;
  return FALSE;
}

/* The longest wait, in ms, from an oLongestWaiting metric.  Which field the
 * server fills is UNCONFIRMED: the age of the oldest observation if there
 * are observations, else a max or calculated value in milliseconds. */
static gint64
metric_longest (JsonObject *metric,
                gint64      received_us,
                gboolean    observations_only)
{
  JsonArray *observations = fw_json_get_array (metric, "observations");
  JsonObject *stats = fw_json_get_object (metric, "stats");
  double value;

  if (observations != NULL)
    {
      gint64 oldest = 0;

      for (guint i = 0; i < json_array_get_length (observations); i++)
        {
          gint64 t = parse_time (fw_json_get_string (fw_json_array_object (observations, i), "observationDate"));

          if (t != 0 && (oldest == 0 || t < oldest))
            oldest = t;
        }
      if (oldest != 0)
        return MAX (received_us - oldest, 0) / 1000;
    }

  if (observations_only)
    return -1;

  if (fw_json_get_number (stats, "max", &value) ||
      fw_json_get_number (metric, "calculatedMetricValue", &value) ||
      fw_json_get_number (stats, "count", &value))
    return (gint64) value;

  return -1;
}

static void
add_metric (Figures    *figures,
            JsonObject *metric,
            gint64      received_us)
{
  const char *name = fw_json_get_string (metric, "metric");
  double value = 0;

  if (name == NULL)
    return;

  if (g_str_equal (name, "oLongestWaiting"))
    {
      gint64 longest = metric_longest (metric, received_us, FALSE);

      if (longest > figures->longest_ms)
        figures->longest_ms = longest;
      return;
    }

  /* Waiting conversations listed one by one (detail metrics) tell the
   * longest wait by their observation dates. */
  if (g_str_equal (name, "oWaiting"))
    {
      gint64 longest = metric_longest (metric, received_us, TRUE);

      if (longest > figures->longest_ms)
        figures->longest_ms = longest;
    }

  if (!metric_value (metric, &value))
    return;

#define ADD(field) G_STMT_START { figures->has_##field = TRUE; figures->field += (gint64) value; } G_STMT_END
  if (g_str_equal (name, "oWaiting"))
    ADD (waiting);
  else if (g_str_equal (name, "oInteracting"))
    ADD (interacting);
  else if (g_str_equal (name, "oAlerting"))
    ADD (alerting);
  else if (g_str_equal (name, "oOnQueueUsers"))
    ADD (on_queue);
  else if (g_str_equal (name, "oOffQueueUsers"))
    ADD (off_queue);
  else if (g_str_equal (name, "oMemberUsers"))
    ADD (members);
#undef ADD
}

static void
add_metrics (Figures   *figures,
             JsonArray *metrics,
             gint64     received_us)
{
  if (metrics == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (metrics); i++)
    add_metric (figures, fw_json_array_object (metrics, i), received_us);
}

static const char *
media_label (const char *media)
{
  static const StatusLabel labels[] = {
    { "voice", NC_("media", "Voice") },
    { "call", NC_("media", "Voice") },
    { "chat", NC_("media", "Chat") },
    { "email", NC_("media", "Email") },
    { "callback", NC_("media", "Callback") },
    { "message", NC_("media", "Message") },
    { "video", NC_("media", "Video") },
    { NULL, NULL }
  };
  g_autofree char *key = status_key (media);

  for (guint i = 0; labels[i].key != NULL; i++)
    {
      if (g_str_equal (labels[i].key, key))
        return g_dpgettext2 (GETTEXT_PACKAGE, "media", labels[i].label);
    }
  return media;
}

static char *
describe_observation (JsonObject *body,
                      gint64      received_us)
{
  Figures figures = { .longest_ms = -1 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  const char *media;
  JsonArray *data;

  /* Observations carry data[].metrics[]; other shapes carry the metrics
   * at the top or directly in data[]. */
  if ((data = fw_json_get_array (body, "data")))
    {
      for (guint i = 0; i < json_array_get_length (data); i++)
        {
          JsonObject *entry = fw_json_array_object (data, i);

          if (fw_json_get_string (entry, "metric") != NULL)
            add_metric (&figures, entry, received_us);
          else
            add_metrics (&figures, fw_json_get_array (entry, "metrics"), received_us);
        }
    }
  add_metrics (&figures, fw_json_get_array (body, "metrics"), received_us);

  if (figures.has_waiting)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d waiting", "%d waiting",
                                                          figures.waiting),
                                             (int) figures.waiting));
  if (figures.longest_ms >= 0 && (!figures.has_waiting || figures.waiting > 0))
    {
      g_autofree char *duration = fw_describe_duration (figures.longest_ms);

      /* Translators: the longest time a caller has been waiting, e.g. "longest 2 min". */
      g_ptr_array_add (parts, g_strdup_printf (_("longest %s"), duration));
    }
  if (figures.has_interacting)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d interacting",
                                                          "%d interacting", figures.interacting),
                                             (int) figures.interacting));
  if (figures.has_alerting)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d alerting",
                                                          "%d alerting", figures.alerting),
                                             (int) figures.alerting));
  if (figures.has_on_queue)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d agent on queue",
                                                          "%d agents on queue", figures.on_queue),
                                             (int) figures.on_queue));
  if (figures.has_off_queue)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d off queue",
                                                          "%d off queue", figures.off_queue),
                                             (int) figures.off_queue));
  if (figures.has_members && !figures.has_on_queue && !figures.has_off_queue)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d member",
                                                          "%d members", figures.members),
                                             (int) figures.members));

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between figures, as in "2 waiting, 3 interacting". */
  list = g_strjoinv (_(", "), (char **) parts->pdata);

  media = fw_json_get_nonempty (fw_json_get_object (body, "group"), "mediaType");
  if (media != NULL)
    /* Translators: figures of one media type, e.g. "Voice: 2 waiting, 3 interacting". */
    return g_strdup_printf (_("%s: %s"), media_label (media), list);

  return g_steal_pointer (&list);
}

/* ---- Queue members ---- */

static char *
describe_member (JsonObject *body,
                 FwNameFunc  names,
                 gpointer    user_data)
{
  const char *user_id;
  const char *who;
  gboolean joined;

  user_id = fw_json_get_nonempty (fw_json_get_object (body, "user"), "id");
  if (user_id == NULL)
    user_id = fw_json_get_nonempty (body, "id");
  if (user_id == NULL)
    return NULL;

  who = lookup_name (names, user_data, FW_NAME_USER, user_id);
  if (!fw_json_get_boolean (body, "joined", &joined))
    /* Translators: an agent's membership of a queue changed. */
    return g_strdup_printf (_("%s’s membership changed"), who);
  if (joined)
    /* Translators: an agent joined the queue (started taking its interactions). */
    return g_strdup_printf (_("%s joined"), who);
  /* Translators: an agent left the queue (stopped taking its interactions). */
  return g_strdup_printf (_("%s left"), who);
}

/* ---- Queue conversations ---- */

typedef enum
{
  MEDIA_CALL,
  MEDIA_CALLBACK,
  MEDIA_CHAT,
  MEDIA_EMAIL,
  MEDIA_MESSAGE,
  MEDIA_OTHER,
} Media;

static Media
participant_media (JsonObject *participant)
{
  static const struct { const char *member; Media media; } kinds[] = {
    { "calls", MEDIA_CALL },
    { "callbacks", MEDIA_CALLBACK },
    { "chats", MEDIA_CHAT },
    { "emails", MEDIA_EMAIL },
    { "messages", MEDIA_MESSAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      JsonArray *array = fw_json_get_array (participant, kinds[i].member);

      if (array != NULL && json_array_get_length (array) > 0)
        return kinds[i].media;
    }
  return MEDIA_OTHER;
}

static gboolean
purpose_is (JsonObject *participant,
            const char *purpose)
{
  const char *value = fw_json_get_string (participant, "purpose");

  return value != NULL && g_ascii_strcasecmp (value, purpose) == 0;
}

static gboolean
participant_ended (JsonObject *participant)
{
  return fw_json_get_nonempty (participant, "endTime") != NULL;
}

static char *
customer_phrase (JsonObject *customer,
                 Media       media)
{
  g_autofree char *address = NULL;
  const char *who;

  who = fw_json_get_nonempty (customer, "name");
  if (who == NULL && (who = fw_json_get_nonempty (customer, "address")))
    {
      if (g_str_has_prefix (who, "tel:") || g_str_has_prefix (who, "sip:"))
        who += 4;
    }
  if (who == NULL)
    who = address = g_strdup (_("a customer"));

  switch (media)
    {
    case MEDIA_CALL:
      /* Translators: %s is the caller's name or number. */
      return g_strdup_printf (_("Call from %s"), who);
    case MEDIA_CALLBACK:
      return g_strdup_printf (_("Callback for %s"), who);
    case MEDIA_CHAT:
      return g_strdup_printf (_("Chat with %s"), who);
    case MEDIA_EMAIL:
      return g_strdup_printf (_("Email from %s"), who);
    case MEDIA_MESSAGE:
      return g_strdup_printf (_("Message from %s"), who);
    case MEDIA_OTHER:
    default:
      return g_strdup_printf (_("Interaction with %s"), who);
    }
}

static char *
describe_conversation (JsonObject *body,
                       FwNameFunc  names,
                       gpointer    user_data)
{
  g_autofree char *what = NULL;
  JsonArray *participants = fw_json_get_array (body, "participants");
  JsonObject *customer = NULL;
  JsonObject *acd = NULL;
  JsonObject *agent = NULL;
  gboolean all_ended = TRUE;
  guint n;

  if (participants == NULL || (n = json_array_get_length (participants)) == 0)
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *participant = fw_json_array_object (participants, i);

      if (participant == NULL)
        continue;
      if (!participant_ended (participant))
        all_ended = FALSE;
      if (customer == NULL && (purpose_is (participant, "customer") || purpose_is (participant, "external")))
        customer = participant;
      else if (purpose_is (participant, "acd"))
        acd = participant;
      else if (purpose_is (participant, "agent") || purpose_is (participant, "user"))
        agent = participant;
    }

  what = customer_phrase (customer, participant_media (customer ? customer : fw_json_array_object (participants, 0)));

  if (all_ended || (customer != NULL && participant_ended (customer)))
    /* Translators: %s is e.g. "Call from Carlos Mendes". */
    return g_strdup_printf (_("%s ended"), what);

  if (agent != NULL && !participant_ended (agent))
    {
      const char *agent_name = fw_json_get_nonempty (agent, "name");

      if (agent_name == NULL)
        agent_name = lookup_name (names, user_data, FW_NAME_USER, fw_json_get_nonempty (agent, "userId"));
      if (agent_name == NULL)
        agent_name = _("an agent");

      if (fw_json_get_nonempty (agent, "connectedTime") != NULL)
        /* Translators: "Call from Carlos Mendes answered by Ana Silva". */
        return g_strdup_printf (_("%s answered by %s"), what, agent_name);
      /* Translators: "Call from Carlos Mendes offered to Ana Silva". */
      return g_strdup_printf (_("%s offered to %s"), what, agent_name);
    }

  if (acd != NULL && !participant_ended (acd))
    /* Translators: "Call from Carlos Mendes waiting" (in the queue). */
    return g_strdup_printf (_("%s waiting"), what);

  /* Translators: "Call from Carlos Mendes updated". */
  return g_strdup_printf (_("%s updated"), what);
}

/* ---- Conversation detail events ---- */

static char *
describe_detail (const char *event,
                 JsonObject *body)
{
  static const struct { const char *event; const char *text; } events[] = {
    { "acd.start", N_("entered the queue") },
    { "acd.end", N_("left the queue") },
    { "user.start", N_("connected to an agent") },
    { "user.end", N_("left the agent") },
    { "customer.start", N_("started") },
    { "customer.end", N_("ended") },
    { "outbound.initiated", N_("outbound interaction started") },
    { "wrapup", N_("wrapped up") },
  };
  const char *media = fw_json_get_nonempty (body, "mediaType");
  const char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      if (g_str_equal (event, events[i].event))
        {
          text = _(events[i].text);
          break;
        }
    }
  if (text == NULL)
    text = event[0] != '\0' ? event : _("updated");

  if (media != NULL)
    /* Translators: a detail event of an interaction, e.g. "Voice interaction entered the queue". */
    return g_strdup_printf (_("%s interaction %s"), media_label (media), text);
  /* Translators: e.g. "Interaction entered the queue". */
  return g_strdup_printf (_("Interaction %s"), text);
}

/* ---- System messages ---- */

static char *
describe_system (const char *topic,
                 JsonObject *body)
{
  const char *message = fw_json_get_nonempty (body, "message");

  if (g_str_equal (topic, "v2.system.socket_closing"))
    return g_strdup (_("Genesys Cloud will close this connection soon; moving to a new one"));
  if (g_str_has_prefix (topic, "v2.system.no_longer_subscribed"))
    return message ? g_strdup_printf (_("No longer subscribed: %s"), message)
                   : g_strdup (_("No longer subscribed"));
  if (g_str_has_prefix (topic, "v2.system.token_revoked"))
    return g_strdup (_("The access token was revoked"));
  return message ? g_strdup (message) : NULL;
}

/* ---- Public ---- */

char *
fw_describe_event (const char *topic,
                   JsonNode   *body,
                   gint64      received_us,
                   FwNameFunc  names,
                   gpointer    user_data)
{
  JsonObject *object;
  const char *suffix;
  char *text = NULL;

  g_return_val_if_fail (topic != NULL, NULL);

  object = fw_json_node_object (body);

  if (g_str_has_prefix (topic, PREFIX_ROUTING_QUEUES))
    {
      suffix = topic_suffix_after (topic, PREFIX_ROUTING_QUEUES);
      if (g_str_equal (suffix, "conversations"))
        text = describe_conversation (object, names, user_data);
      else if (g_str_equal (suffix, "users"))
        text = describe_member (object, names, user_data);
    }
  else if (g_str_has_prefix (topic, PREFIX_ANALYTICS_QUEUES))
    text = describe_observation (object, received_us);
  else if (g_str_has_prefix (topic, PREFIX_USERS) || g_str_has_prefix (topic, PREFIX_DETAIL_AGENT))
    text = describe_user (object);
  else if (g_str_has_prefix (topic, PREFIX_DETAIL_CONV))
    text = describe_detail (topic_suffix_after (topic, PREFIX_DETAIL_CONV), object);
  else if (g_str_has_prefix (topic, PREFIX_SYSTEM))
    text = describe_system (topic, object);

  if (text == NULL)
    {
      const char *message = fw_json_get_nonempty (object, "message");

      if (message != NULL)
        text = g_strdup (message);
      else if (fw_describe_kind (topic) == FW_EVENT_KIND_AGENT)
        /* Translators: after the agent's name: "Ana Silva | was updated". */
        text = g_strdup (_("was updated"));
      else
        text = g_strdup (_("Updated"));
    }

  return text;
}

char *
fw_describe_sentence (const char *topic,
                      JsonNode   *body,
                      gint64      received_us,
                      FwNameFunc  names,
                      gpointer    user_data)
{
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  const char *name;
  FwNameKind name_kind;

  g_return_val_if_fail (topic != NULL, NULL);

  text = fw_describe_event (topic, body, received_us, names, user_data);
  name_kind = fw_describe_subject (topic, body, &id);
  if (name_kind == FW_NAME_NONE)
    return g_steal_pointer (&text);

  name = lookup_name (names, user_data, name_kind, id);
  if (fw_describe_kind (topic) == FW_EVENT_KIND_AGENT)
    /* Translators: an agent's name and what happened, e.g.
     * "Ana Silva is now Not Responding". */
    return g_strdup_printf (C_("agent sentence", "%s %s"), name, text);

  /* Translators: a queue's name and what happened, e.g.
   * "Support — 5 waiting, longest 2 min". */
  return g_strdup_printf (C_("queue sentence", "%s — %s"), name, text);
}
