/* fw-event-row.h — one notification or gap in the event list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fw-directory.h"

G_BEGIN_DECLS

#define FW_TYPE_EVENT_ROW (fw_event_row_get_type ())

G_DECLARE_FINAL_TYPE (FwEventRow, fw_event_row, FW, EVENT_ROW, GtkWidget)

/* @directory (may be NULL) names the queues and agents. */
GtkWidget  *fw_event_row_new            (FwDirectory  *directory);
/* Binds the row to a FwNotification or FwGap, or to nothing (NULL).  The
 * row shows nothing until fw_event_row_fill() fills it. */
void        fw_event_row_set_item       (FwEventRow   *self,
                                         GObject      *item);
GObject    *fw_event_row_get_item       (FwEventRow   *self);
/* TRUE while the row is bound to an item it does not show yet. */
gboolean    fw_event_row_get_needs_fill (FwEventRow   *self);
void        fw_event_row_fill           (FwEventRow   *self);
/* "14:02:31" for @us (wall clock, local time). */
char       *fw_event_row_format_time    (gint64        us);
/* The row's text as a screen reader or a test reads it (filling it first). */
char       *fw_event_row_dup_text       (FwEventRow   *self);

G_END_DECLS
