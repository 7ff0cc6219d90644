/* fw-describe.h — one line of plain language for a notification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a notification is about, for the icon and the kind filter. */
typedef enum
{
  FW_EVENT_KIND_QUEUE,
  FW_EVENT_KIND_AGENT,
  FW_EVENT_KIND_CONVERSATION,
  FW_EVENT_KIND_SYSTEM,
} FwEventKind;

/* What an id names. */
typedef enum
{
  FW_NAME_NONE,
  FW_NAME_QUEUE,
  FW_NAME_USER,
} FwNameKind;

/* Returns the display name of @id, or NULL while it is not known.  The
 * string must stay valid until the describing call returns. */
typedef const char *(*FwNameFunc) (FwNameKind  kind,
                                   const char *id,
                                   gpointer    user_data);

FwEventKind  fw_describe_kind             (const char  *topic);
const char  *fw_describe_kind_icon_name   (FwEventKind  kind);
/* The queue or user a notification is about, taken from the topic and, for
 * conversation detail events, from @body (may be NULL).  Returns FW_NAME_NONE
 * and sets *@id to NULL when it is about neither. */
FwNameKind   fw_describe_subject          (const char  *topic,
                                           JsonNode    *body,
                                           char       **id);
/* The text next to the subject's name in the event list, e.g. "5 waiting,
 * longest 2 min" for a queue or "is now Not Responding" for an agent.
 * @received_us (wall clock) is the time waits are measured against.
 * @names may be NULL; unknown ids are then shown as they are. */
char        *fw_describe_event            (const char  *topic,
                                           JsonNode    *body,
                                           gint64       received_us,
                                           FwNameFunc   names,
                                           gpointer     user_data);
/* The whole sentence with the subject's name, e.g. "Support — 5 waiting,
 * longest 2 min" or "Ana Silva is now Not Responding". */
char        *fw_describe_sentence         (const char  *topic,
                                           JsonNode    *body,
                                           gint64       received_us,
                                           FwNameFunc   names,
                                           gpointer     user_data);
/* A presence or routing status as people say it: "ON_QUEUE", "On Queue" and
 * "onqueue" all give "On Queue".  Values nobody knows come back as they are. */
const char  *fw_describe_presence         (const char  *value);
const char  *fw_describe_routing_status   (const char  *value);
/* The topic without "v2." and with its ids as "*", e.g. "users.*.presence",
 * for a narrow column next to the name. */
char        *fw_describe_short_topic      (const char  *topic);
/* "45 s", "2 min", "1 h 5 min". */
char        *fw_describe_duration         (gint64       ms);

G_END_DECLS
