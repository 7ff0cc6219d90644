/* fw-cli-output.c — how notifications and gaps look on a terminal or in a pipe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include "fw-cli-private.h"
#include "fw-json-private.h"

/* Longest summary of a body we know nothing about. */
#define MAX_GENERIC_SUMMARY 100

gboolean
fw_cli_format_parse (const char  *name,
                     FwCliFormat *format_out)
{
  if (g_str_equal (name, "jsonl"))
    *format_out = FW_CLI_FORMAT_JSONL;
  else if (g_str_equal (name, "text"))
    *format_out = FW_CLI_FORMAT_TEXT;
  else
    return FALSE;

  return TRUE;
}

char *
fw_cli_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("--:--:--");

  return g_date_time_format (time, "%H:%M:%S");
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The frame as received, on one line.  The engine only hands out frames that
 * parsed as JSON, and JSON strings cannot hold a raw line break, so any CR or
 * LF is whitespace between tokens: replacing it with a space yields the same
 * object.  Doing that rather than re-serialising keeps every byte of the
 * values as the server sent them (json-glib would rewrite numbers, and round
 * integers beyond 64 bits). */
static char *
format_jsonl (FwNotification *notification)
{
  const char *raw;
  gsize length;
  gsize start = 0;
  GString *line;

  raw = fw_notification_get_raw (notification, &length);

  while (start < length && is_json_space (raw[start]))
    start++;
  while (length > start && is_json_space (raw[length - 1]))
    length--;

  line = g_string_sized_new (length - start + 1);
  g_string_append_len (line, raw + start, length - start);
  for (gsize i = 0; i < line->len; i++)
    {
      if (line->str[i] == '\n' || line->str[i] == '\r')
        line->str[i] = ' ';
    }
  g_string_append_c (line, '\n');

  return g_string_free (line, FALSE);
}

/* Walks @object through the member names that follow (NULL-terminated) and
 * returns the node there, or NULL when a step is missing or not an object. */
static JsonNode *
lookup (JsonObject *object,
        ...)
{
  JsonNode *node = NULL;
  const char *name;
  va_list args;

  va_start (args, object);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      if (object == NULL || !json_object_has_member (object, name))
        {
          node = NULL;
          break;
        }

      node = json_object_get_member (object, name);
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  va_end (args);

  return node;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonArray *
node_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Ids are uuids; their first block is enough to tell them apart on screen. */
static char *
short_id (const char *id)
{
  return id != NULL ? g_strndup (id, 8) : g_strdup ("?");
}

static void
summarise_presence (GString    *summary,
                    JsonObject *body)
{
  const char *presence = node_string (lookup (body, "presenceDefinition", "systemPresence", NULL));
  const char *message = node_string (lookup (body, "message", NULL));

  g_string_append_printf (summary, "presence %s", presence ? presence : "?");
  if (message != NULL && message[0] != '\0')
    g_string_append_printf (summary, " (%s)", message);
}

static void
summarise_routing_status (GString    *summary,
                          JsonObject *body)
{
  const char *status = node_string (lookup (body, "routingStatus", "status", NULL));

  g_string_append_printf (summary, "routing %s", status ? status : "?");
}

static void
summarise_activity (GString    *summary,
                    JsonObject *body)
{
  JsonArray *queues = node_array (lookup (body, "activeQueueIds", NULL));
  const char *presence = node_string (lookup (body, "presence", "presenceDefinition",
                                              "systemPresence", NULL));
  const char *status = node_string (lookup (body, "routingStatus", "status", NULL));

  g_string_append_printf (summary, "presence %s, routing %s",
                          presence ? presence : "?", status ? status : "?");
  if (queues != NULL)
    {
      guint n = json_array_get_length (queues);

      g_string_append_printf (summary, ", in %u %s", n, n == 1 ? "queue" : "queues");
    }
}

static const struct
{
  const char *metric;
  const char *label;
} observation_labels[] = {
  { "oWaiting",       "waiting" },
  { "oInteracting",   "interacting" },
  { "oAlerting",      "alerting" },
  { "oOnQueueUsers",  "on queue" },
  { "oOffQueueUsers", "off queue" },
  { "oActiveUsers",   "active" },
  { "oMemberUsers",   "members" },
};

static void
summarise_observations (GString    *summary,
                        JsonObject *body)
{
  gint64 totals[G_N_ELEMENTS (observation_labels)] = { 0, };
  gboolean seen[G_N_ELEMENTS (observation_labels)] = { FALSE, };
  JsonArray *data = node_array (lookup (body, "data", NULL));
  const char *media_type = node_string (lookup (body, "group", "mediaType", NULL));
  gboolean any = FALSE;

  /* A metric with qualifiers (oOnQueueUsers per routing status…) comes as
   * several entries: their sum is the number a supervisor reads. */
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *item = fw_cli_json_array_get_object (data, i);
      JsonArray *metrics = node_array (lookup (item, "metrics", NULL));

      for (guint j = 0; metrics != NULL && j < json_array_get_length (metrics); j++)
        {
          JsonObject *metric = fw_cli_json_array_get_object (metrics, j);
          const char *name = node_string (lookup (metric, "metric", NULL));
          gint64 count;

          if (name == NULL ||
              !_fw_json_node_get_int64 (lookup (metric, "stats", "count", NULL), &count))
            continue;

          for (guint k = 0; k < G_N_ELEMENTS (observation_labels); k++)
            {
              if (g_str_equal (name, observation_labels[k].metric))
                {
                  totals[k] += count;
                  seen[k] = TRUE;
                }
            }
        }
    }

  if (media_type != NULL)
    g_string_append_printf (summary, "%s: ", media_type);

  for (guint k = 0; k < G_N_ELEMENTS (observation_labels); k++)
    {
      if (!seen[k])
        continue;

      g_string_append_printf (summary, "%s%" G_GINT64_FORMAT " %s",
                              any ? ", " : "", totals[k], observation_labels[k].label);
      any = TRUE;
    }

  if (!any)
    g_string_append (summary, "no queue metrics");
}

static gboolean
participant_has (JsonObject *participant,
                 const char *member)
{
  return node_string (lookup (participant, member, NULL)) != NULL;
}

static void
summarise_queue_conversation (GString    *summary,
                              JsonObject *body)
{
  JsonArray *participants = node_array (lookup (body, "participants", NULL));
  g_autofree char *id = short_id (node_string (lookup (body, "id", NULL)));
  const char *customer = NULL;
  const char *agent = NULL;
  gboolean agent_connected = FALSE;
  gboolean in_queue = FALSE;
  gboolean ongoing = FALSE;

  for (guint i = 0; participants != NULL && i < json_array_get_length (participants); i++)
    {
      JsonObject *participant = fw_cli_json_array_get_object (participants, i);
      const char *purpose = node_string (lookup (participant, "purpose", NULL));
      const char *name = node_string (lookup (participant, "name", NULL));

      if (purpose == NULL || participant_has (participant, "endTime"))
        continue;

      ongoing = TRUE;
      if (g_str_equal (purpose, "customer") || g_str_equal (purpose, "external"))
        customer = name;
      else if (g_str_equal (purpose, "acd"))
        in_queue = TRUE;
      else if (g_str_equal (purpose, "agent") || g_str_equal (purpose, "user"))
        {
          agent = name;
          agent_connected = participant_has (participant, "connectedTime");
        }
    }

  g_string_append_printf (summary, "conversation %s", id);
  if (customer != NULL)
    g_string_append_printf (summary, " (%s)", customer);

  if (!ongoing)
    g_string_append (summary, ": ended");
  else if (agent != NULL && agent_connected)
    g_string_append_printf (summary, ": connected to %s", agent);
  else if (agent != NULL)
    g_string_append_printf (summary, ": alerting %s", agent);
  else if (in_queue)
    g_string_append (summary, ": waiting");
  else
    g_string_append (summary, ": in progress");
}

static void
summarise_queue_member (GString    *summary,
                        JsonObject *body)
{
  JsonNode *joined = lookup (body, "joined", NULL);
  g_autofree char *user = short_id (node_string (lookup (body, "id", NULL)));

  g_string_append_printf (summary, "user %s", user);
  if (joined != NULL && JSON_NODE_HOLDS_VALUE (joined) &&
      json_node_get_value_type (joined) == G_TYPE_BOOLEAN)
    g_string_append (summary, json_node_get_boolean (joined) ? " joined" : " left");
}

static void
summarise_generic (GString  *summary,
                   JsonNode *body)
{
  g_autofree char *json = json_to_string (body, FALSE);

  if (g_utf8_strlen (json, -1) > MAX_GENERIC_SUMMARY)
    {
      char *cut = g_utf8_offset_to_pointer (json, MAX_GENERIC_SUMMARY - 1);

      g_string_append_len (summary, json, cut - json);
      g_string_append (summary, "…");
    }
  else
    {
      g_string_append (summary, json);
    }
}

static void
summarise (GString    *summary,
           const char *topic,
           JsonNode   *body_node)
{
  JsonObject *body = JSON_NODE_HOLDS_OBJECT (body_node) ? json_node_get_object (body_node) : NULL;

  if (body == NULL)
    summarise_generic (summary, body_node);
  else if (g_str_has_prefix (topic, "v2.users.") && g_str_has_suffix (topic, ".presence"))
    summarise_presence (summary, body);
  else if (g_str_has_prefix (topic, "v2.users.") && g_str_has_suffix (topic, ".routingStatus"))
    summarise_routing_status (summary, body);
  else if (g_str_has_prefix (topic, "v2.users.") && g_str_has_suffix (topic, ".activity"))
    summarise_activity (summary, body);
  else if (g_str_has_prefix (topic, "v2.analytics.queues.") &&
           g_str_has_suffix (topic, ".observations"))
    summarise_observations (summary, body);
  else if (g_str_has_prefix (topic, "v2.routing.queues.") &&
           g_str_has_suffix (topic, ".conversations"))
    summarise_queue_conversation (summary, body);
  else if (g_str_has_prefix (topic, "v2.routing.queues.") && g_str_has_suffix (topic, ".users"))
    summarise_queue_member (summary, body);
  else
    summarise_generic (summary, body_node);
}

/* "HH:MM:SS  topic  summary": a line for people, not for parsing. */
static char *
format_text (FwNotification *notification)
{
  g_autoptr(JsonNode) body = fw_notification_dup_body (notification);
  g_autofree char *time = fw_cli_format_time (fw_notification_get_received_time (notification));
  const char *topic = fw_notification_get_topic (notification);
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s  %s  ", time, topic);
  if (body != NULL)
    summarise (line, topic, body);
  g_string_append_c (line, '\n');

  return g_string_free (line, FALSE);
}

char *
fw_cli_format_notification (FwNotification *notification,
                            FwCliFormat     format)
{
  g_return_val_if_fail (FW_IS_NOTIFICATION (notification), NULL);

  if (format == FW_CLI_FORMAT_TEXT)
    return format_text (notification);

  return format_jsonl (notification);
}

char *
fw_cli_format_gap (FwGap *gap)
{
  g_autofree char *start = fw_cli_format_time (fw_gap_get_start_time (gap));
  g_autofree char *end = fw_cli_format_time (fw_gap_get_end_time (gap));
  const char * const *topics = fw_gap_get_topics (gap);
  guint n_topics = topics != NULL ? g_strv_length ((char **) topics) : 0;

  if (n_topics == 1)
    return g_strdup_printf ("gap %s–%s: events of %s may be missing", start, end, topics[0]);

  if (n_topics == 0)
    return g_strdup_printf ("gap %s–%s: events may be missing", start, end);

  return g_strdup_printf ("gap %s–%s: events of %u topics may be missing", start, end, n_topics);
}
