/* fw-alert.h — one alert raised by a rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  FW_ALERT_KIND_QUEUE_WAITING,          /* a queue has ≥ N interactions waiting */
  FW_ALERT_KIND_LONGEST_WAIT,           /* an interaction has waited ≥ T seconds */
  FW_ALERT_KIND_AGENT_NOT_RESPONDING,   /* an agent's routing status is NOT_RESPONDING */
  FW_ALERT_KIND_AGENT_PRESENCE,         /* an agent's presence is one of a set */
  FW_ALERT_KIND_FEED_DOWN,              /* the live feed has been down for ≥ S seconds */
} FwAlertKind;

typedef enum
{
  FW_ALERT_SEVERITY_INFO,
  FW_ALERT_SEVERITY_WARNING,
  FW_ALERT_SEVERITY_CRITICAL,
} FwAlertSeverity;

typedef enum
{
  FW_ALERT_TARGET_NONE,     /* the feed itself */
  FW_ALERT_TARGET_QUEUE,
  FW_ALERT_TARGET_AGENT,
} FwAlertTargetKind;

#define FW_TYPE_ALERT (fw_alert_get_type ())

G_DECLARE_FINAL_TYPE (FwAlert, fw_alert, FW, ALERT, GObject)

/* An immutable description of an alert as it stands when raised.  @id is
 * stable for one rule and one target, so that a repeat replaces the earlier
 * desktop notification instead of piling up. */
FwAlert           *fw_alert_new              (const char        *id,
                                              const char        *rule_id,
                                              FwAlertKind        kind,
                                              FwAlertSeverity    severity,
                                              FwAlertTargetKind  target_kind,
                                              const char        *target_id,
                                              const char        *title,
                                              const char        *body);
const char        *fw_alert_get_id           (FwAlert           *self);
const char        *fw_alert_get_rule_id      (FwAlert           *self);
FwAlertKind        fw_alert_get_kind         (FwAlert           *self);
FwAlertSeverity    fw_alert_get_severity     (FwAlert           *self);
FwAlertTargetKind  fw_alert_get_target_kind  (FwAlert           *self);
/* The queue or user id; NULL for the feed. */
const char        *fw_alert_get_target_id    (FwAlert           *self);
/* "queue:ID", "agent:ID", or "feed": what the window should show. */
char              *fw_alert_dup_target       (FwAlert           *self);
const char        *fw_alert_get_title        (FwAlert           *self);
const char        *fw_alert_get_body         (FwAlert           *self);
/* TRUE if @other says the same (same id, severity and text). */
gboolean           fw_alert_equal            (FwAlert           *self,
                                              FwAlert           *other);

G_END_DECLS
