/* fw-alert.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-alert"

#include "config.h"

#include "fw-alert.h"

struct _FwAlert
{
  GObject            parent_instance;

  char              *id;
  char              *rule_id;
  FwAlertKind        kind;
  FwAlertSeverity    severity;
  FwAlertTargetKind  target_kind;
  char              *target_id;
  char              *title;
  char              *body;
};

G_DEFINE_FINAL_TYPE (FwAlert, fw_alert, G_TYPE_OBJECT)

static void
fw_alert_finalize (GObject *object)
{
  FwAlert *self = (FwAlert *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->target_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->body, g_free);

  G_OBJECT_CLASS (fw_alert_parent_class)->finalize (object);
}

static void
fw_alert_class_init (FwAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_alert_finalize;
}

static void
fw_alert_init (FwAlert *self)
{
}

FwAlert *
fw_alert_new (const char        *id,
              const char        *rule_id,
              FwAlertKind        kind,
              FwAlertSeverity    severity,
              FwAlertTargetKind  target_kind,
              const char        *target_id,
              const char        *title,
              const char        *body)
{
  FwAlert *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail ((target_kind == FW_ALERT_TARGET_NONE) == (target_id == NULL), NULL);

  self = g_object_new (FW_TYPE_ALERT, NULL);
  self->id = g_strdup (id);
  self->rule_id = g_strdup (rule_id);
  self->kind = kind;
  self->severity = severity;
  self->target_kind = target_kind;
  self->target_id = g_strdup (target_id);
  self->title = g_strdup (title);
  self->body = g_strdup (body ? body : "");
  return self;
}

const char *
fw_alert_get_id (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  return self->id;
}

const char *
fw_alert_get_rule_id (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  return self->rule_id;
}

FwAlertKind
fw_alert_get_kind (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), FW_ALERT_KIND_QUEUE_WAITING);

  return self->kind;
}

FwAlertSeverity
fw_alert_get_severity (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), FW_ALERT_SEVERITY_INFO);

  return self->severity;
}

FwAlertTargetKind
fw_alert_get_target_kind (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), FW_ALERT_TARGET_NONE);

  return self->target_kind;
}

const char *
fw_alert_get_target_id (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  return self->target_id;
}

char *
fw_alert_dup_target (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  switch (self->target_kind)
    {
    case FW_ALERT_TARGET_QUEUE:
      return g_strconcat ("queue:", self->target_id, NULL);

    case FW_ALERT_TARGET_AGENT:
      return g_strconcat ("agent:", self->target_id, NULL);

    case FW_ALERT_TARGET_NONE:
    default:
      return g_strdup ("feed");
    }
}

const char *
fw_alert_get_title (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  return self->title;
}

const char *
fw_alert_get_body (FwAlert *self)
{
  g_return_val_if_fail (FW_IS_ALERT (self), NULL);

  return self->body;
}

gboolean
fw_alert_equal (FwAlert *self,
                FwAlert *other)
{
  g_return_val_if_fail (FW_IS_ALERT (self), FALSE);
  g_return_val_if_fail (FW_IS_ALERT (other), FALSE);

  return g_str_equal (self->id, other->id) &&
         self->severity == other->severity &&
         g_str_equal (self->title, other->title) &&
         g_str_equal (self->body, other->body);
}
