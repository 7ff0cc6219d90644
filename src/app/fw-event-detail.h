/* fw-event-detail.h — the whole of the selected notification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fw-directory.h"

G_BEGIN_DECLS

#define FW_TYPE_EVENT_DETAIL (fw_event_detail_get_type ())

G_DECLARE_FINAL_TYPE (FwEventDetail, fw_event_detail, FW, EVENT_DETAIL, GtkWidget)

GtkWidget  *fw_event_detail_new           (void);
void        fw_event_detail_set_directory (FwEventDetail *self,
                                           FwDirectory   *directory);
/* Shows a FwNotification or a FwGap; NULL shows the placeholder. */
void        fw_event_detail_set_item      (FwEventDetail *self,
                                           GObject       *item);
GObject    *fw_event_detail_get_item      (FwEventDetail *self);
/* The text the Copy button copies: the pretty-printed notification. */
char       *fw_event_detail_dup_text      (FwEventDetail *self);
/* Signals: "copied" after the text went to the clipboard. */

G_END_DECLS
