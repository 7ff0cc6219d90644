/* fw-topic-picker.h — choose the queues and agents to watch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-directory.h"

G_BEGIN_DECLS

#define FW_TYPE_TOPIC_PICKER (fw_topic_picker_get_type ())

G_DECLARE_FINAL_TYPE (FwTopicPicker, fw_topic_picker, FW, TOPIC_PICKER, AdwWindow)

/* Starts from @topics (the ones watched now) and lists queues, agents and
 * the topic catalogue through @directory. */
FwTopicPicker *fw_topic_picker_new         (FwDirectory        *directory,
                                            const char * const *topics);
/* The topics chosen so far, sorted. */
GStrv          fw_topic_picker_dup_topics  (FwTopicPicker      *self);
/* TRUE while a listing is still being fetched. */
gboolean       fw_topic_picker_get_loading (FwTopicPicker      *self);
/* Signals: "topics-chosen" (GStrv) when the user presses Watch; the picker
 * closes itself afterwards. */

G_END_DECLS
