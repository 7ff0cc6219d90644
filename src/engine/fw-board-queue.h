/* fw-board-queue.h — one watched queue on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FW_TYPE_BOARD_QUEUE (fw_board_queue_get_type ())

G_DECLARE_FINAL_TYPE (FwBoardQueue, fw_board_queue, FW, BOARD_QUEUE, GObject)

/* The numbers a supervisor acts on for one queue.  FwBoard keeps them up to
 * date; the setters notify only on change.  Until "counts-known" the counts
 * are 0 and mean nothing. */
FwBoardQueue *fw_board_queue_new                    (const char   *id);
const char   *fw_board_queue_get_id                 (FwBoardQueue *self);
/* NULL until the name is known. */
const char   *fw_board_queue_get_name               (FwBoardQueue *self);
void          fw_board_queue_set_name               (FwBoardQueue *self,
                                                     const char   *name);
gboolean      fw_board_queue_get_counts_known       (FwBoardQueue *self);
void          fw_board_queue_set_counts_known       (FwBoardQueue *self,
                                                     gboolean      counts_known);
/* Interactions waiting in the queue (oWaiting). */
guint         fw_board_queue_get_waiting            (FwBoardQueue *self);
void          fw_board_queue_set_waiting            (FwBoardQueue *self,
                                                     guint         waiting);
/* Interactions connected to an agent (oInteracting). */
guint         fw_board_queue_get_interacting        (FwBoardQueue *self);
void          fw_board_queue_set_interacting        (FwBoardQueue *self,
                                                     guint         interacting);
/* Interactions being offered to an agent (oAlerting). */
guint         fw_board_queue_get_alerting           (FwBoardQueue *self);
void          fw_board_queue_set_alerting           (FwBoardQueue *self,
                                                     guint         alerting);
/* Joined members who are On Queue, whatever their routing status (oOnQueueUsers). */
guint         fw_board_queue_get_agents_on_queue    (FwBoardQueue *self);
void          fw_board_queue_set_agents_on_queue    (FwBoardQueue *self,
                                                     guint         agents);
/* Those of them who are idle, ready for the next interaction. */
guint         fw_board_queue_get_agents_idle        (FwBoardQueue *self);
void          fw_board_queue_set_agents_idle        (FwBoardQueue *self,
                                                     guint         agents);
/* When the interaction that has waited longest entered the queue
 * (g_get_real_time() units); 0 when nobody waits or it is not known. */
gint64        fw_board_queue_get_longest_wait_start (FwBoardQueue *self);
void          fw_board_queue_set_longest_wait_start (FwBoardQueue *self,
                                                     gint64        start_us);
/* Seconds the longest-waiting interaction has waited at @now_us; 0 if none. */
gint64        fw_board_queue_get_longest_wait       (FwBoardQueue *self,
                                                     gint64        now_us);

/* Properties (read-only unless said, all notify): "id" (construct-only),
 * "name" (rw), "counts-known", "waiting", "interacting", "alerting",
 * "agents-on-queue", "agents-idle", "longest-wait-start". */

G_END_DECLS
