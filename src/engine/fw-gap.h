/* fw-gap.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FW_TYPE_GAP (fw_gap_get_type ())

G_DECLARE_FINAL_TYPE (FwGap, fw_gap, FW, GAP, GObject)

/* A window in which events of @topics may have been missed.  Times are
 * wall-clock, g_get_real_time() units. */
FwGap              *fw_gap_new             (gint64               start_us,
                                            gint64               end_us,
                                            const char * const  *topics);
gint64              fw_gap_get_start_time  (FwGap               *self);
gint64              fw_gap_get_end_time    (FwGap               *self);
const char * const *fw_gap_get_topics      (FwGap               *self);

G_END_DECLS
