/* fw-event-filter.h — text search and kind filter over the event list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fw-directory.h"

G_BEGIN_DECLS

typedef enum
{
  FW_EVENT_FILTER_KIND_ALL,
  FW_EVENT_FILTER_KIND_QUEUES,
  FW_EVENT_FILTER_KIND_AGENTS,
  FW_EVENT_FILTER_KIND_CONVERSATIONS,
  FW_EVENT_FILTER_KIND_SYSTEM,
} FwEventFilterKind;

#define FW_TYPE_EVENT_FILTER (fw_event_filter_get_type ())

G_DECLARE_FINAL_TYPE (FwEventFilter, fw_event_filter, FW, EVENT_FILTER, GtkFilter)

/* Gaps always match: they say that events may be missing, whatever is shown. */
FwEventFilter     *fw_event_filter_new        (void);
const char        *fw_event_filter_get_search (FwEventFilter     *self);
/* Matches the topic, the queue's or agent's name and the sentence, ignoring case. */
void               fw_event_filter_set_search (FwEventFilter     *self,
                                               const char        *search);
FwEventFilterKind  fw_event_filter_get_kind   (FwEventFilter     *self);
void               fw_event_filter_set_kind   (FwEventFilter     *self,
                                               FwEventFilterKind  kind);
FwDirectory       *fw_event_filter_get_directory (FwEventFilter  *self);
void               fw_event_filter_set_directory (FwEventFilter  *self,
                                                  FwDirectory    *directory);
gboolean           fw_event_filter_is_active  (FwEventFilter     *self);

G_END_DECLS
