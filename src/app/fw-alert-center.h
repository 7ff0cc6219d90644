/* fw-alert-center.h — alerts, the tray and running in the background, for
 * the whole application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-alert-rules.h"
#include "fw-connection.h"
#include "fw-notifier.h"
#include "fw-tray.h"

G_BEGIN_DECLS

#define FW_TYPE_ALERT_CENTER (fw_alert_center_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertCenter, fw_alert_center, FW, ALERT_CENTER, GObject)

/* Creates the alert center of @application (call it from startup) and keeps
 * it for as long as the application lives.  It follows the "connection" of
 * the application's FwWindow: its board and feed go to the alert rules
 * (bound to the settings), raised alerts become desktop notifications, and
 * a tray icon shows the feed's state where a tray host exists.  It adds the
 * actions app.show-alert(s), app.acknowledge-alert(s), app.mute-alert(s),
 * app.show-window, app.toggle-window and app.pause-alerts (boolean state),
 * and applies "run-in-background" and "start-at-login". */
FwAlertCenter *fw_alert_center_install         (GtkApplication *application);
/* The alert center of @application, NULL if none was installed. */
FwAlertCenter *fw_alert_center_get             (GApplication   *application);
FwAlertRules  *fw_alert_center_get_rules       (FwAlertCenter  *self);
FwNotifier    *fw_alert_center_get_notifier    (FwAlertCenter  *self);
/* NULL when the application has no D-Bus connection. */
FwTray        *fw_alert_center_get_tray        (FwAlertCenter  *self);
FwConnection  *fw_alert_center_get_connection  (FwAlertCenter  *self);
/* The tray's tooltip: the queue that needs attention most. */
char          *fw_alert_center_dup_summary     (FwAlertCenter  *self);

/* Properties: "connection" (read-only), "mute-seconds" (guint, default 900:
 * how long "Mute for 15 minutes" mutes), "pause-seconds" (guint, default
 * 3600: how long "Pause alerts" pauses them all). */

G_END_DECLS
