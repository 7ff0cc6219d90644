/* fw-board.h — the live numbers of the watched queues and agents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fw-api.h"
#include "fw-board-agent.h"
#include "fw-board-queue.h"
#include "fw-notification.h"
#include "fw-session.h"

G_BEGIN_DECLS

#define FW_TYPE_BOARD (fw_board_get_type ())

G_DECLARE_FINAL_TYPE (FwBoard, fw_board, FW, BOARD, GObject)

/* The board follows the notifications of its topics and re-reads the current
 * state over REST (the observations query, users with presence and routing
 * status, queue names) at start and after every gap, since nothing the feed
 * missed is ever sent again. */
FwBoard      *fw_board_new                   (FwApi                *api);
FwApi        *fw_board_get_api               (FwBoard              *self);
/* Follows @session (may be NULL): its notifications, gaps and state.  The
 * topics are taken from the session now and each time it is live again;
 * call fw_board_set_topics() when they change in between. */
void          fw_board_set_session           (FwBoard              *self,
                                              FwSession            *session);
FwSession    *fw_board_get_session           (FwBoard              *self);
/* The queues and agents named in @topics (queue conversations, observations
 * and members topics; user presence, routingStatus and activity topics, also
 * combined) become the board's items, in the order of their first topic. */
void          fw_board_set_topics            (FwBoard              *self,
                                              const char * const   *topics);
/* Folds one notification into the board (the session's are folded by
 * themselves once a session is set). */
void          fw_board_handle_notification   (FwBoard              *self,
                                              FwNotification       *notification);
/* Re-reads every item over REST.  A new refresh cancels the one under way. */
void          fw_board_refresh_async         (FwBoard              *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      fw_board_refresh_finish        (FwBoard              *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* A GListModel of FwBoardQueue / FwBoardAgent. */
GListModel   *fw_board_get_queues            (FwBoard              *self);
GListModel   *fw_board_get_agents            (FwBoard              *self);
FwBoardQueue *fw_board_lookup_queue          (FwBoard              *self,
                                              const char           *queue_id);
FwBoardAgent *fw_board_lookup_agent          (FwBoard              *self,
                                              const char           *user_id);
/* When the numbers were last confirmed by a complete REST re-read
 * (g_get_real_time() units); 0 if never. */
gint64        fw_board_get_confirmed_time    (FwBoard              *self);
/* TRUE while the numbers may be wrong: before the first re-read, while the
 * feed is down, and after a gap until the re-read that follows it. */
gboolean      fw_board_get_stale             (FwBoard              *self);
gboolean      fw_board_get_refreshing        (FwBoard              *self);

/* Properties:
 *   "api" (construct-only), "session"
 *   "confirmed-time", "stale", "refreshing" (read-only, notify)
 *   "refresh-delay"  guint ms, default 500: changes are collected this long
 *                    before an automatic re-read starts
 *   "retry-interval" guint ms, default 15000: a failed automatic re-read is
 *                    tried again after this long while the feed is live
 *
 * Signals:
 *   "changed"        after a notification or a re-read changed an item
 *   "refreshed" (const GError *error)  after a re-read ended: NULL on success,
 *                    else why it failed (a re-read cancelled by a newer one
 *                    is not reported)
 */

G_END_DECLS
