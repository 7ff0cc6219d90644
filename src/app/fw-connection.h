/* fw-connection.h — what the window watches: one organization, live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-board.h"
#include "fw-directory.h"
#include "fw-engine.h"
#include "fw-sim-server.h"

G_BEGIN_DECLS

#define FW_TYPE_CONNECTION (fw_connection_get_type ())

G_DECLARE_FINAL_TYPE (FwConnection, fw_connection, FW, CONNECTION, GObject)

/* A connection to the organization @tokens signs in to. */
FwConnection  *fw_connection_new                (FwTokenSource  *tokens,
                                                 guint           max_events);
/* The account kept for @environment and @client_id: the client secret in
 * the keyring, or else a person's sign-in with that client (its tokens in
 * the keyring); G_IO_ERROR_NOT_FOUND when neither is kept. */
void           fw_connection_new_for_account_async  (const char          *environment,
                                                     const char          *client_id,
                                                     guint                max_events,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
FwConnection  *fw_connection_new_for_account_finish (GAsyncResult        *result,
                                                     GError             **error);
/* The demo: a simulator in this process, signed in with its demo client. */
FwConnection  *fw_connection_new_demo           (guint           max_events,
                                                 GError        **error);
gboolean       fw_connection_is_demo            (FwConnection   *self);
/* The simulator of the demo, NULL otherwise. */
FwSimServer   *fw_connection_get_sim_server     (FwConnection   *self);
FwEnvironment *fw_connection_get_environment    (FwConnection   *self);
const char    *fw_connection_get_client_id      (FwConnection   *self);
/* The region as people name it ("EMEA (Dublin)"), or "Demo", or the
 * simulator's address. */
char          *fw_connection_dup_region_label   (FwConnection   *self);
FwApi         *fw_connection_get_api            (FwConnection   *self);
FwSession     *fw_connection_get_session        (FwConnection   *self);
FwEventStore  *fw_connection_get_event_store    (FwConnection   *self);
FwDirectory   *fw_connection_get_directory      (FwConnection   *self);
/* The live numbers of the watched queues and agents; it follows the
 * session and the topics. */
FwBoard       *fw_connection_get_board          (FwConnection   *self);
/* Replaces what is watched and starts the session if it is not running. */
void           fw_connection_set_topics         (FwConnection   *self,
                                                 const char * const *topics);
const char * const *fw_connection_get_topics    (FwConnection   *self);
/* A few queues and agents of the simulator, for the demo to start with. */
void           fw_connection_dup_demo_topics_async  (FwConnection        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GStrv          fw_connection_dup_demo_topics_finish (FwConnection        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* Stops the session (closing sockets, deleting subscriptions). */
void           fw_connection_stop               (FwConnection   *self);

G_END_DECLS
