/* fw-status-pill.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The truth about the feed at a glance.  The pill runs a timer only while it
 * counts down to a reconnect attempt, once a second, aligned so that the
 * number changes when the remaining whole seconds do.
 */

#define G_LOG_DOMAIN "fw-status-pill"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-status-pill.h"

struct _FwStatusPill
{
  GtkWidget       parent_instance;

  GtkWidget      *dot;
  GtkLabel       *label;
  GtkWidget      *reconnect_button;
  GtkWidget      *fix_button;

  FwSessionState  state;
  guint           n_channels;
  gint64          next_attempt_time;
  char           *error_message;
  guint           countdown_source;
  gboolean        paused;
};

G_DEFINE_FINAL_TYPE (FwStatusPill, fw_status_pill, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_N_CHANNELS,
  PROP_NEXT_ATTEMPT_TIME,
  PROP_PAUSED,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = { "live", "reconnecting", "error", "offline", "paused" };

static void update (FwStatusPill *self);

static gboolean
countdown_cb (gpointer user_data)
{
  FwStatusPill *self = user_data;

  self->countdown_source = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

/* Seconds left until the next attempt, rounded up; 0 when it is due. */
static gint64
remaining_seconds (FwStatusPill *self,
                   gint64       *until_change_us)
{
  gint64 left = self->next_attempt_time - g_get_real_time ();

  if (left <= 0)
    return 0;

  /* The label changes when the rounded-up value does: at the next whole
   * second before the attempt. */
  *until_change_us = left % G_USEC_PER_SEC;
  if (*until_change_us == 0)
    *until_change_us = G_USEC_PER_SEC;
  return (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

static void
set_text (FwStatusPill *self,
          const char   *css_class,
          const char   *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (g_strcmp0 (state_classes[i], css_class) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
    }

  if (g_strcmp0 (gtk_label_get_label (self->label), text) != 0)
    {
      gtk_label_set_label (self->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
}

static void
update (FwStatusPill *self)
{
  g_autofree char *text = NULL;
  const char *tooltip = NULL;
  gboolean show_reconnect = FALSE;
  gboolean show_fix = FALSE;

  g_clear_handle_id (&self->countdown_source, g_source_remove);

  switch (self->state)
    {
    case FW_SESSION_STATE_LIVE:
      if (self->paused)
        {
          set_text (self, "paused", _("Paused"));
          tooltip = _("The feed is live; the list is paused");
        }
      else if (self->n_channels > 0)
        {
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Live · %u channel",
                                               "Live · %u channels", self->n_channels),
                                  self->n_channels);
          set_text (self, "live", text);
          tooltip = _("Every watched topic is connected");
        }
      else
        set_text (self, "live", _("Live"));
      break;

    case FW_SESSION_STATE_RECONNECTING:
      {
        gint64 until_change_us = 0;
        gint64 seconds = remaining_seconds (self, &until_change_us);

        if (seconds > 0)
          {
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reconnecting in %d s",
                                                 "Reconnecting in %d s", seconds),
                                    (int) seconds);
            set_text (self, "reconnecting", text);
            self->countdown_source = g_timeout_add ((guint) ((until_change_us + 999) / 1000),
                                                    countdown_cb, self);
          }
        else
          set_text (self, "reconnecting", _("Reconnecting…"));
        tooltip = self->error_message ? self->error_message
                                      : _("The connection was lost; events may be missing until it is back");
        show_reconnect = TRUE;
      }
      break;

    case FW_SESSION_STATE_EVICTED:
      set_text (self, "reconnecting", _("Channels taken elsewhere"));
      tooltip = _("Another program uses the same OAuth client and keeps taking its channels, "
                  "so Floorwatch tries again only now and then. Give Floorwatch an OAuth client "
                  "of its own.");
      show_reconnect = TRUE;
      break;

    case FW_SESSION_STATE_CONNECTING:
      set_text (self, "offline", _("Connecting…"));
      break;

    case FW_SESSION_STATE_NO_NETWORK:
      set_text (self, "offline", _("No network"));
      tooltip = _("Floorwatch connects again when the network is back");
      break;

    case FW_SESSION_STATE_AUTH_FAILED:
      set_text (self, "error", _("Credentials rejected"));
      tooltip = _("Genesys Cloud rejected the client id and secret");
      show_fix = TRUE;
      break;

    case FW_SESSION_STATE_FAILED:
      set_text (self, "error", _("Connection failed"));
      tooltip = self->error_message;
      show_reconnect = TRUE;
      break;

    case FW_SESSION_STATE_OFFLINE:
    default:
      set_text (self, "offline", self->paused ? _("Paused") : _("Offline"));
      break;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  gtk_widget_set_visible (self->reconnect_button, show_reconnect);
  gtk_widget_set_visible (self->fix_button, show_fix);
}

GtkWidget *
fw_status_pill_new (void)
{
  return g_object_new (FW_TYPE_STATUS_PILL, NULL);
}

FwSessionState
fw_status_pill_get_state (FwStatusPill *self)
{
  g_return_val_if_fail (FW_IS_STATUS_PILL (self), FW_SESSION_STATE_OFFLINE);

  return self->state;
}

void
fw_status_pill_set_state (FwStatusPill   *self,
                          FwSessionState  state)
{
  g_return_if_fail (FW_IS_STATUS_PILL (self));

  if (self->state == state)
    return;

  self->state = state;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

guint
fw_status_pill_get_n_channels (FwStatusPill *self)
{
  g_return_val_if_fail (FW_IS_STATUS_PILL (self), 0);

  return self->n_channels;
}

void
fw_status_pill_set_n_channels (FwStatusPill *self,
                               guint         n_channels)
{
  g_return_if_fail (FW_IS_STATUS_PILL (self));

  if (self->n_channels == n_channels)
    return;

  self->n_channels = n_channels;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANNELS]);
}

gint64
fw_status_pill_get_next_attempt_time (FwStatusPill *self)
{
  g_return_val_if_fail (FW_IS_STATUS_PILL (self), 0);

  return self->next_attempt_time;
}

void
fw_status_pill_set_next_attempt_time (FwStatusPill *self,
                                      gint64        next_attempt_time)
{
  g_return_if_fail (FW_IS_STATUS_PILL (self));

  if (self->next_attempt_time == next_attempt_time)
    return;

  self->next_attempt_time = next_attempt_time;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT_TIME]);
}

gboolean
fw_status_pill_get_paused (FwStatusPill *self)
{
  g_return_val_if_fail (FW_IS_STATUS_PILL (self), FALSE);

  return self->paused;
}

void
fw_status_pill_set_paused (FwStatusPill *self,
                           gboolean      paused)
{
  g_return_if_fail (FW_IS_STATUS_PILL (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

void
fw_status_pill_set_error_message (FwStatusPill *self,
                                  const char   *message)
{
  g_return_if_fail (FW_IS_STATUS_PILL (self));

  if (g_strcmp0 (self->error_message, message) == 0)
    return;

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  update (self);
}

const char *
fw_status_pill_get_text (FwStatusPill *self)
{
  g_return_val_if_fail (FW_IS_STATUS_PILL (self), NULL);

  return gtk_label_get_label (self->label);
}

static void
fw_status_pill_dispose (GObject *object)
{
  FwStatusPill *self = (FwStatusPill *)object;

  g_clear_handle_id (&self->countdown_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_STATUS_PILL);

  G_OBJECT_CLASS (fw_status_pill_parent_class)->dispose (object);
}

static void
fw_status_pill_finalize (GObject *object)
{
  FwStatusPill *self = (FwStatusPill *)object;

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (fw_status_pill_parent_class)->finalize (object);
}

static void
fw_status_pill_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwStatusPill *self = FW_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_N_CHANNELS:
      g_value_set_uint (value, self->n_channels);
      break;

    case PROP_NEXT_ATTEMPT_TIME:
      g_value_set_int64 (value, self->next_attempt_time);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_TEXT:
      g_value_set_string (value, fw_status_pill_get_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_status_pill_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwStatusPill *self = FW_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      fw_status_pill_set_state (self, g_value_get_enum (value));
      break;

    case PROP_N_CHANNELS:
      fw_status_pill_set_n_channels (self, g_value_get_uint (value));
      break;

    case PROP_NEXT_ATTEMPT_TIME:
      fw_status_pill_set_next_attempt_time (self, g_value_get_int64 (value));
      break;

    case PROP_PAUSED:
      fw_status_pill_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_status_pill_class_init (FwStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_status_pill_dispose;
  object_class->finalize = fw_status_pill_finalize;
  object_class->get_property = fw_status_pill_get_property;
  object_class->set_property = fw_status_pill_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       FW_TYPE_SESSION_STATE,
                       FW_SESSION_STATE_OFFLINE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_CHANNELS] =
    g_param_spec_uint ("n-channels", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NEXT_ATTEMPT_TIME] =
    g_param_spec_int64 ("next-attempt-time", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-status-pill.ui");
  gtk_widget_class_bind_template_child (widget_class, FwStatusPill, dot);
  gtk_widget_class_bind_template_child (widget_class, FwStatusPill, label);
  gtk_widget_class_bind_template_child (widget_class, FwStatusPill, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, FwStatusPill, fix_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuspill");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
fw_status_pill_init (FwStatusPill *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
