/* fw-status-pill.h — the connection status in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fw-engine.h"

G_BEGIN_DECLS

#define FW_TYPE_STATUS_PILL (fw_status_pill_get_type ())

G_DECLARE_FINAL_TYPE (FwStatusPill, fw_status_pill, FW, STATUS_PILL, GtkWidget)

GtkWidget      *fw_status_pill_new                   (void);
FwSessionState  fw_status_pill_get_state             (FwStatusPill   *self);
void            fw_status_pill_set_state             (FwStatusPill   *self,
                                                      FwSessionState  state);
guint           fw_status_pill_get_n_channels        (FwStatusPill   *self);
void            fw_status_pill_set_n_channels        (FwStatusPill   *self,
                                                      guint           n_channels);
/* Wall-clock time of the next reconnect attempt, 0 if none. */
gint64          fw_status_pill_get_next_attempt_time (FwStatusPill   *self);
void            fw_status_pill_set_next_attempt_time (FwStatusPill   *self,
                                                      gint64          next_attempt_time);
gboolean        fw_status_pill_get_paused            (FwStatusPill   *self);
void            fw_status_pill_set_paused            (FwStatusPill   *self,
                                                      gboolean        paused);
/* The error behind a failed state, shown as the tooltip. */
void            fw_status_pill_set_error_message     (FwStatusPill   *self,
                                                      const char     *message);
/* What the pill says now, e.g. "Live · 2 channels" or "Reconnecting in 4 s". */
const char     *fw_status_pill_get_text              (FwStatusPill   *self);

G_END_DECLS
