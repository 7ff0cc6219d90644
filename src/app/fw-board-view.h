/* fw-board-view.h — the board: watched queues and agents, live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-connection.h"

G_BEGIN_DECLS

#define FW_TYPE_BOARD_VIEW (fw_board_view_get_type ())

G_DECLARE_FINAL_TYPE (FwBoardView, fw_board_view, FW, BOARD_VIEW, GtkWidget)

GtkWidget    *fw_board_view_new                (void);
/* Shows the board of @connection (NULL: nothing). */
void          fw_board_view_set_connection     (FwBoardView  *self,
                                                FwConnection *connection);
FwConnection *fw_board_view_get_connection     (FwBoardView  *self);
/* Brings the view forward (in its AdwViewStack) and selects the queue or
 * agent @target names: "queue:ID" or "agent:ID".  FALSE if it is not on the
 * board. */
gboolean      fw_board_view_show_item          (FwBoardView  *self,
                                                const char   *target);
/* What the view shows, for the tests. */
const char   *fw_board_view_get_status_text    (FwBoardView  *self);
/* The text of @column ("name", "waiting", "interacting", "agents",
 * "longest-wait", "presence", "routing-status") for @id, as shown. */
char         *fw_board_view_dup_cell_text      (FwBoardView  *self,
                                                const char   *target,
                                                const char   *column);
/* The selected item's target ("queue:ID" / "agent:ID"), or NULL. */
char         *fw_board_view_dup_selected       (FwBoardView  *self);

/* Properties: "connection" (rw). */

G_END_DECLS
