/* fw-notifier.h — alerts as desktop notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fw-alert-rules.h"

G_BEGIN_DECLS

#define FW_TYPE_NOTIFIER (fw_notifier_get_type ())

G_DECLARE_FINAL_TYPE (FwNotifier, fw_notifier, FW, NOTIFIER, GObject)

/* Sends a GNotification through @application for each alert @rules raises
 * (id "alert:" + the alert's id, so that a repeat replaces the earlier one)
 * and withdraws it when the alert clears.  Clicking it activates
 * app.show-alert with the alert's target ("queue:ID", "agent:ID", "feed");
 * its buttons activate app.acknowledge-alert and app.mute-alert with the
 * alert's id. */
FwNotifier       *fw_notifier_new                   (GApplication *application,
                                                     FwAlertRules *rules);
/* Withdraws the notification of @alert_id if one is out. */
void              fw_notifier_withdraw              (FwNotifier   *self,
                                                     const char   *alert_id);
/* The notification id of @alert_id. */
char             *fw_notifier_dup_notification_id   (const char   *alert_id);
GNotificationPriority fw_notifier_priority_for      (FwAlertSeverity severity);
/* Notifications sent and not withdrawn. */
guint             fw_notifier_get_n_shown           (FwNotifier   *self);

G_END_DECLS
