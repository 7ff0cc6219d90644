/* fw-topics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-topics"

#include "config.h"

#include <string.h>

#include "fw-topics.h"

typedef struct
{
  const char *prefix;
  const char *suffix;
  guint       bit;
} TopicForm;

static const TopicForm queue_forms[] = {
  { "v2.routing.queues.", ".conversations", FW_QUEUE_TOPIC_CONVERSATIONS },
  { "v2.analytics.queues.", ".observations", FW_QUEUE_TOPIC_OBSERVATIONS },
  { "v2.routing.queues.", ".users", FW_QUEUE_TOPIC_MEMBERS },
};

static const TopicForm user_forms[] = {
  { "v2.users.", ".presence", FW_USER_TOPIC_PRESENCE },
  { "v2.users.", ".routingStatus", FW_USER_TOPIC_ROUTING_STATUS },
  { "v2.users.", ".activity", FW_USER_TOPIC_ACTIVITY },
};

static void
add_forms (GPtrArray       *topics,
           const TopicForm *forms,
           guint            n_forms,
           const char      *id,
           guint            which)
{
  for (guint i = 0; i < n_forms; i++)
    {
      if (which & forms[i].bit)
        g_ptr_array_add (topics, g_strconcat (forms[i].prefix, id, forms[i].suffix, NULL));
    }
}

void
fw_topics_add_queue (GPtrArray     *topics,
                     const char    *id,
                     FwQueueTopics  which)
{
  g_return_if_fail (topics != NULL);
  g_return_if_fail (id != NULL);

  add_forms (topics, queue_forms, G_N_ELEMENTS (queue_forms), id, which);
}

void
fw_topics_add_user (GPtrArray    *topics,
                    const char   *id,
                    FwUserTopics  which)
{
  g_return_if_fail (topics != NULL);
  g_return_if_fail (id != NULL);

  add_forms (topics, user_forms, G_N_ELEMENTS (user_forms), id, which);
}

static gboolean
parse_forms (const char       *topic,
             const TopicForm  *forms,
             guint             n_forms,
             char            **id,
             guint            *which)
{
  for (guint i = 0; i < n_forms; i++)
    {
      gsize prefix_len = strlen (forms[i].prefix);
      gsize suffix_len = strlen (forms[i].suffix);
      gsize len = strlen (topic);
      gsize id_len;

      if (len <= prefix_len + suffix_len ||
          !g_str_has_prefix (topic, forms[i].prefix) ||
          !g_str_has_suffix (topic, forms[i].suffix))
        continue;

      id_len = len - prefix_len - suffix_len;
      /* An id is one segment: "v2.users.a.b.presence" is not ours. */
      if (memchr (topic + prefix_len, '.', id_len) != NULL ||
          memchr (topic + prefix_len, '?', id_len) != NULL)
        continue;

      *id = g_strndup (topic + prefix_len, id_len);
      *which = forms[i].bit;
      return TRUE;
    }
  return FALSE;
}

FwNameKind
fw_topics_parse (const char  *topic,
                 char       **id,
                 guint       *which)
{
  g_return_val_if_fail (topic != NULL, FW_NAME_NONE);
  g_return_val_if_fail (id != NULL, FW_NAME_NONE);
  g_return_val_if_fail (which != NULL, FW_NAME_NONE);

  *id = NULL;
  *which = 0;

  if (parse_forms (topic, queue_forms, G_N_ELEMENTS (queue_forms), id, which))
    return FW_NAME_QUEUE;
  if (parse_forms (topic, user_forms, G_N_ELEMENTS (user_forms), id, which))
    return FW_NAME_USER;
  return FW_NAME_NONE;
}

gboolean
fw_topics_is_valid (const char *topic)
{
  gsize len;

  if (topic == NULL)
    return FALSE;
  len = strlen (topic);
  if (len == 0 || len > 200)
    return FALSE;
  if (!g_str_has_prefix (topic, "v2.") && !g_str_has_prefix (topic, "channel."))
    return FALSE;
  for (const char *p = topic; *p; p++)
    {
      if (*p <= ' ' || *p > '~' || *p == '{' || *p == '}')
        return FALSE;
    }
  return TRUE;
}
