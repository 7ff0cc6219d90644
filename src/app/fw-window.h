/* fw-window.h — the supervisor's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-connection.h"
#include "fw-event-detail.h"
#include "fw-event-filter.h"
#include "fw-sign-in-page.h"
#include "fw-status-pill.h"
#include "fw-topic-picker.h"

G_BEGIN_DECLS

#define FW_TYPE_WINDOW (fw_window_get_type ())

G_DECLARE_FINAL_TYPE (FwWindow, fw_window, FW, WINDOW, AdwApplicationWindow)

FwWindow      *fw_window_new                  (GtkApplication  *application);
/* Watches through @connection (NULL: signed out, the welcome page).  The
 * window owns the connection from now on and stops it when replaced. */
void           fw_window_set_connection       (FwWindow        *self,
                                               FwConnection    *connection);
/* Also the read-only property "connection", which notifies. */
FwConnection  *fw_window_get_connection       (FwWindow        *self);
/* Starts the demo: a simulator in this process, a few queues and agents. */
void           fw_window_start_demo           (FwWindow        *self);
/* Signs in with the secret the keyring keeps for @environment and @client_id;
 * shows the sign-in form (with the reason) when that cannot work. */
void           fw_window_open_account         (FwWindow        *self,
                                               const char      *environment,
                                               const char      *client_id);
void           fw_window_show_welcome         (FwWindow        *self);
/* Shows the sign-in form filled in with @environment and @client_id (both may
 * be NULL) and @message (may be NULL). */
void           fw_window_show_sign_in         (FwWindow        *self,
                                               const char      *environment,
                                               const char      *client_id,
                                               const char      *message);
/* Watches @topics (kept in the settings for the account they keep). */
void           fw_window_set_topics           (FwWindow        *self,
                                               const char * const *topics);
/* Opens the queue and agent picker; returns it (owned by the window). */
FwTopicPicker *fw_window_open_topic_picker    (FwWindow        *self);
void           fw_window_present_preferences  (FwWindow        *self);
/* Writes the notifications the list shows now (filtered), oldest first, as
 * JSON Lines: each frame as received, on one line. */
void           fw_window_export_async         (FwWindow        *self,
                                               GFile           *file,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
/* Returns the number of events written, or -1 with @error set. */
gssize         fw_window_export_finish        (FwWindow        *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* What the window shows, for the tests and the accessibility checks. */
const char    *fw_window_get_page             (FwWindow        *self);
FwStatusPill  *fw_window_get_status_pill      (FwWindow        *self);
FwSignInPage  *fw_window_get_sign_in_page     (FwWindow        *self);
/* The events as the list shows them: filtered, newest first. */
GListModel    *fw_window_get_events           (FwWindow        *self);
GtkListView   *fw_window_get_list_view        (FwWindow        *self);
FwEventFilter *fw_window_get_filter           (FwWindow        *self);
FwEventDetail *fw_window_get_event_detail     (FwWindow        *self);
/* Selects the event at @position of fw_window_get_events(). */
void           fw_window_select               (FwWindow        *self,
                                               guint            position);
gboolean       fw_window_get_paused           (FwWindow        *self);
void           fw_window_set_paused           (FwWindow        *self,
                                               gboolean         paused);
/* Events that arrived while paused. */
guint64        fw_window_get_n_new            (FwWindow        *self);
gboolean       fw_window_get_following        (FwWindow        *self);
/* The title of the last toast shown, NULL if none. */
const char    *fw_window_get_last_toast       (FwWindow        *self);

G_END_DECLS
