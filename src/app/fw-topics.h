/* fw-topics.h — the notification topics of a queue or an agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-describe.h"

G_BEGIN_DECLS

typedef enum
{
  FW_QUEUE_TOPIC_CONVERSATIONS = 1 << 0,
  FW_QUEUE_TOPIC_OBSERVATIONS  = 1 << 1,
  FW_QUEUE_TOPIC_MEMBERS       = 1 << 2,
} FwQueueTopics;

typedef enum
{
  FW_USER_TOPIC_PRESENCE       = 1 << 0,
  FW_USER_TOPIC_ROUTING_STATUS = 1 << 1,
  FW_USER_TOPIC_ACTIVITY       = 1 << 2,
} FwUserTopics;

#define FW_QUEUE_TOPICS_DEFAULT (FW_QUEUE_TOPIC_CONVERSATIONS | FW_QUEUE_TOPIC_OBSERVATIONS)
#define FW_USER_TOPICS_DEFAULT  (FW_USER_TOPIC_PRESENCE | FW_USER_TOPIC_ROUTING_STATUS)

/* Appends the topics of queue @id to @topics (a GPtrArray of strings). */
void        fw_topics_add_queue  (GPtrArray      *topics,
                                  const char     *id,
                                  FwQueueTopics   which);
/* Appends the topics of user @id to @topics. */
void        fw_topics_add_user   (GPtrArray      *topics,
                                  const char     *id,
                                  FwUserTopics    which);
/* Reads a topic back: sets *@id and the FwQueueTopics or FwUserTopics bit in
 * *@which.  Returns FW_NAME_NONE (and *@id NULL) for any other topic, which
 * the picker keeps as a raw topic. */
FwNameKind  fw_topics_parse      (const char     *topic,
                                  char          **id,
                                  guint          *which);
/* TRUE if @topic looks like a topic: printable ASCII, no spaces, "v2." or
 * "channel." at the start, not longer than 200 characters. */
gboolean    fw_topics_is_valid   (const char     *topic);

G_END_DECLS
