/* fw-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-notifier.h"

struct _FwNotifier
{
  GObject        parent_instance;

  GApplication  *application;   /* not owned: the application owns us */
  FwAlertRules  *rules;
  GHashTable    *shown;         /* alert ids with a notification out */
};

G_DEFINE_FINAL_TYPE (FwNotifier, fw_notifier, G_TYPE_OBJECT)

char *
fw_notifier_dup_notification_id (const char *alert_id)
{
  g_return_val_if_fail (alert_id != NULL, NULL);

  return g_strconcat ("alert:", alert_id, NULL);
}

GNotificationPriority
fw_notifier_priority_for (FwAlertSeverity severity)
{
  switch (severity)
    {
    case FW_ALERT_SEVERITY_CRITICAL:
      return G_NOTIFICATION_PRIORITY_URGENT;

    case FW_ALERT_SEVERITY_WARNING:
      return G_NOTIFICATION_PRIORITY_HIGH;

    case FW_ALERT_SEVERITY_INFO:
    default:
      return G_NOTIFICATION_PRIORITY_NORMAL;
    }
}

static void
alert_raised_cb (FwAlertRules *rules,
                 FwAlert      *alert,
                 FwNotifier   *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = fw_notifier_dup_notification_id (fw_alert_get_id (alert));
  g_autofree char *target = NULL;

  /* Every notification backend speaks D-Bus: a non-unique application has
   * no bus to send on. */
  if (g_application_get_dbus_connection (self->application) == NULL)
    {
      g_debug ("no D-Bus connection: not sending %s", id);
      return;
    }

  notification = g_notification_new (fw_alert_get_title (alert));
  target = fw_alert_dup_target (alert);

  g_notification_set_body (notification, fw_alert_get_body (alert));
  g_notification_set_priority (notification, fw_notifier_priority_for (fw_alert_get_severity (alert)));
  g_notification_set_default_action_and_target (notification, "app.show-alert", "s", target);
  g_notification_add_button_with_target (notification, _("Acknowledge"),
                                         "app.acknowledge-alert", "s", fw_alert_get_id (alert));
  /* The feed being down is not something to put off. */
  if (fw_alert_get_kind (alert) != FW_ALERT_KIND_FEED_DOWN)
    g_notification_add_button_with_target (notification, _("Mute for 15 Minutes"),
                                           "app.mute-alert", "s", fw_alert_get_id (alert));

  g_debug ("sending %s: %s", id, fw_alert_get_title (alert));
  g_application_send_notification (self->application, id, notification);
  g_hash_table_add (self->shown, g_strdup (fw_alert_get_id (alert)));
}

void
fw_notifier_withdraw (FwNotifier *self,
                      const char *alert_id)
{
  g_autofree char *id = NULL;

  g_return_if_fail (FW_IS_NOTIFIER (self));
  g_return_if_fail (alert_id != NULL);

  if (!g_hash_table_remove (self->shown, alert_id))
    return;
  id = fw_notifier_dup_notification_id (alert_id);
  g_debug ("withdrawing %s", id);
  g_application_withdraw_notification (self->application, id);
}

static void
alert_cleared_cb (FwAlertRules *rules,
                  const char   *alert_id,
                  FwNotifier   *self)
{
  fw_notifier_withdraw (self, alert_id);
}

guint
fw_notifier_get_n_shown (FwNotifier *self)
{
  g_return_val_if_fail (FW_IS_NOTIFIER (self), 0);

  return g_hash_table_size (self->shown);
}

static void
fw_notifier_dispose (GObject *object)
{
  FwNotifier *self = (FwNotifier *)object;

  if (self->rules != NULL)
    g_signal_handlers_disconnect_by_data (self->rules, self);
  g_clear_object (&self->rules);

  G_OBJECT_CLASS (fw_notifier_parent_class)->dispose (object);
}

static void
fw_notifier_finalize (GObject *object)
{
  FwNotifier *self = (FwNotifier *)object;

  g_clear_pointer (&self->shown, g_hash_table_unref);

  G_OBJECT_CLASS (fw_notifier_parent_class)->finalize (object);
}

static void
fw_notifier_class_init (FwNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_notifier_dispose;
  object_class->finalize = fw_notifier_finalize;
}

static void
fw_notifier_init (FwNotifier *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

FwNotifier *
fw_notifier_new (GApplication *application,
                 FwAlertRules *rules)
{
  FwNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FW_IS_ALERT_RULES (rules), NULL);

  self = g_object_new (FW_TYPE_NOTIFIER, NULL);
  self->application = application;
  self->rules = g_object_ref (rules);
  g_signal_connect (rules, "alert-raised", G_CALLBACK (alert_raised_cb), self);
  g_signal_connect (rules, "alert-cleared", G_CALLBACK (alert_cleared_cb), self);
  return self;
}
