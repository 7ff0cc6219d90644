/* fw-event-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-event-detail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fw-event-detail.h"
#include "fw-event-row.h"

struct _FwEventDetail
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkLabel     *title_label;
  GtkLabel     *subtitle_label;
  GtkTextView  *text_view;

  FwDirectory  *directory;
  GObject      *item;
};

G_DEFINE_FINAL_TYPE (FwEventDetail, fw_event_detail, GTK_TYPE_WIDGET)

enum {
  COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_notification (FwEventDetail  *self,
                   FwNotification *notification)
{
  g_autoptr(JsonNode) body = fw_notification_dup_body (notification);
  g_autofree char *sentence = NULL;
  g_autofree char *time = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *pretty = NULL;
  const char *topic = fw_notification_get_topic (notification);
  const char *correlation_id = fw_notification_get_correlation_id (notification);
  gint64 received = fw_notification_get_received_time (notification);

  sentence = fw_describe_sentence (topic, body, received, fw_directory_name_func, self->directory);
  time = fw_event_row_format_time (received);
  /* The topic is the first thing of the JSON below. */
  if (correlation_id != NULL)
    /* Translators: the time an event arrived and its id. */
    subtitle = g_strdup_printf (_("Received %s · CorrelationId %s"), time, correlation_id);
  else
    /* Translators: the time an event arrived. */
    subtitle = g_strdup_printf (_("Received %s"), time);
  pretty = fw_notification_dup_pretty (notification);

  gtk_label_set_label (self->title_label, sentence);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), pretty ? pretty : "", -1);
}

static void
show_gap (FwEventDetail *self,
          FwGap         *gap)
{
  g_autofree char *start = fw_event_row_format_time (fw_gap_get_start_time (gap));
  g_autofree char *end = fw_event_row_format_time (fw_gap_get_end_time (gap));
  g_autofree char *subtitle = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char * const *topics = fw_gap_get_topics (gap);

  /* Translators: the time the feed was down, e.g. "Disconnected from 14:02:11 to 14:02:19". */
  subtitle = g_strdup_printf (_("Disconnected from %s to %s"), start, end);

  g_string_append (text, _("Genesys Cloud does not keep events for a client that is not connected. "
                           "Events of these topics that happened in this time may be missing:"));
  g_string_append (text, "\n\n");
  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    g_string_append_printf (text, "%s\n", topics[i]);

  gtk_label_set_label (self->title_label, _("Events may be missing"));
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text->str, -1);
}

GtkWidget *
fw_event_detail_new (void)
{
  return g_object_new (FW_TYPE_EVENT_DETAIL, NULL);
}

void
fw_event_detail_set_directory (FwEventDetail *self,
                               FwDirectory   *directory)
{
  g_return_if_fail (FW_IS_EVENT_DETAIL (self));
  g_return_if_fail (directory == NULL || FW_IS_DIRECTORY (directory));

  g_set_object (&self->directory, directory);
}

void
fw_event_detail_set_item (FwEventDetail *self,
                          GObject       *item)
{
  g_return_if_fail (FW_IS_EVENT_DETAIL (self));
  g_return_if_fail (item == NULL || FW_IS_NOTIFICATION (item) || FW_IS_GAP (item));

  if (!g_set_object (&self->item, item))
    return;

  if (FW_IS_NOTIFICATION (item))
    show_notification (self, FW_NOTIFICATION (item));
  else if (FW_IS_GAP (item))
    show_gap (self, FW_GAP (item));
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);

  gtk_stack_set_visible_child_name (self->stack, item != NULL ? "item" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-detail.copy", item != NULL);
}

GObject *
fw_event_detail_get_item (FwEventDetail *self)
{
  g_return_val_if_fail (FW_IS_EVENT_DETAIL (self), NULL);

  return self->item;
}

char *
fw_event_detail_dup_text (FwEventDetail *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (FW_IS_EVENT_DETAIL (self), NULL);

  if (self->item == NULL)
    return NULL;
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FwEventDetail *self = FW_EVENT_DETAIL (widget);
  g_autofree char *text = fw_event_detail_dup_text (self);

  if (text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  g_signal_emit (self, signals[COPIED], 0);
}

static void
fw_event_detail_dispose (GObject *object)
{
  FwEventDetail *self = (FwEventDetail *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_EVENT_DETAIL);
  g_clear_object (&self->item);
  g_clear_object (&self->directory);

  G_OBJECT_CLASS (fw_event_detail_parent_class)->dispose (object);
}

static void
fw_event_detail_class_init (FwEventDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_event_detail_dispose;

  signals[COPIED] =
    g_signal_new ("copied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-event-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, FwEventDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, FwEventDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, FwEventDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, FwEventDetail, text_view);

  gtk_widget_class_install_action (widget_class, "event-detail.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "event-detail.copy", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "eventdetail");
}

static void
fw_event_detail_init (FwEventDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-detail.copy", FALSE);
}
