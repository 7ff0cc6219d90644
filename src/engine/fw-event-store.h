/* fw-event-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FW_TYPE_EVENT_STORE (fw_event_store_get_type ())

G_DECLARE_FINAL_TYPE (FwEventStore, fw_event_store, FW, EVENT_STORE, GObject)

/* A GListModel of FwNotification and FwGap items, newest first (position 0),
 * holding at most "max-items" (oldest dropped first).  Appends are collected
 * and published with items-changed at most "flush-interval" (ms, default 50)
 * apart, so a view never sees one signal per event; until then get_item and
 * get_n_items describe the last published state. */
FwEventStore *fw_event_store_new               (guint          max_items);
void          fw_event_store_append            (FwEventStore  *self,
                                                gpointer       item);
/* Publishes what is pending now (tests, export). */
void          fw_event_store_flush             (FwEventStore  *self);
void          fw_event_store_clear             (FwEventStore  *self);
guint         fw_event_store_get_max_items     (FwEventStore  *self);
void          fw_event_store_set_max_items     (FwEventStore  *self,
                                                guint          max_items);
/* Everything ever appended, published or not (for "N new" badges). */
guint64       fw_event_store_get_total_appended (FwEventStore *self);

G_END_DECLS
