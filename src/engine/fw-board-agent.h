/* fw-board-agent.h — one watched agent on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FW_TYPE_BOARD_AGENT (fw_board_agent_get_type ())

G_DECLARE_FINAL_TYPE (FwBoardAgent, fw_board_agent, FW, BOARD_AGENT, GObject)

/* An agent's presence and routing status, each with the time it started.
 * Values are in the canonical form of fw_board_normalize_status() ("ON_QUEUE",
 * "NOT_RESPONDING", or an unknown value upper-cased); NULL until known. */
FwBoardAgent *fw_board_agent_new                    (const char   *id);
const char   *fw_board_agent_get_id                 (FwBoardAgent *self);
const char   *fw_board_agent_get_name               (FwBoardAgent *self);
void          fw_board_agent_set_name               (FwBoardAgent *self,
                                                     const char   *name);
const char   *fw_board_agent_get_presence           (FwBoardAgent *self);
/* Since when (g_get_real_time() units; 0: unknown). */
gint64        fw_board_agent_get_presence_since     (FwBoardAgent *self);
/* Normalizes @presence; returns FALSE (and changes nothing) when @since_us is
 * older than what the agent already shows, so that a late answer cannot
 * undo a newer event. */
gboolean      fw_board_agent_update_presence        (FwBoardAgent *self,
                                                     const char   *presence,
                                                     gint64        since_us);
const char   *fw_board_agent_get_routing_status     (FwBoardAgent *self);
gint64        fw_board_agent_get_routing_since      (FwBoardAgent *self);
gboolean      fw_board_agent_update_routing_status  (FwBoardAgent *self,
                                                     const char   *status,
                                                     gint64        since_us);

/* Canonical form of a presence or routing status as Genesys spells it in
 * one place or another: "On Queue", "ON_QUEUE" and "OnQueue" all give
 * "ON_QUEUE".  Unknown values are kept, upper-cased, spaces as '_'. */
char         *fw_board_normalize_status             (const char   *value);
/* TRUE if @a and @b name the same status, ignoring case, spaces and
 * underscores. */
gboolean      fw_board_status_equal                 (const char   *a,
                                                     const char   *b);

/* A translated label for a status ("On Queue", "Not Responding"); unknown
 * values come back as they are. */
const char   *fw_board_status_label                 (const char   *status);

/* Properties (read-only unless said, all notify): "id" (construct-only),
 * "name" (rw), "presence", "presence-since", "routing-status", "routing-since". */

G_END_DECLS
