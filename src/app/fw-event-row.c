/* fw-event-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list shows thousands of events a second go by, so a row is built once
 * (in the factory's setup) and only filled here: one parse of the event's
 * body, nothing kept per event.  A name that is not known yet is asked for;
 * the row fills it in when the directory says names arrived.
 *
 * GtkListView keeps about 200 rows bound around the top, most of them out of
 * sight, and while it follows the newest events every new event binds one.
 * So binding only takes the item and hides the old content; the row is
 * filled when it is about to be seen (fw_event_row_fill(), called by the
 * window after each layout for the rows inside the view) or read.
 */

#define G_LOG_DOMAIN "fw-event-row"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-event-row.h"
#include "fw-icon-cell.h"
#include "fw-text-cell.h"

struct _FwEventRow
{
  GtkWidget     parent_instance;

  GtkWidget    *event_box;
  FwTextCell   *time_label;
  FwIconCell   *kind_image;
  FwTextCell   *name_label;
  FwTextCell   *text_label;
  FwTextCell   *topic_label;
  /* Made when the row first shows a gap: most rows never do. */
  GtkWidget    *gap_box;
  GtkLabel     *gap_label;

  FwDirectory  *directory;
  GObject      *item;
  const char   *kind_class;
  /* The labels do not show the item yet. */
  gboolean      needs_fill;
  /* The row showed an id or an agent id in its text: fill again when
   * names arrive. */
  gboolean      names_pending;
};

G_DEFINE_FINAL_TYPE (FwEventRow, fw_event_row, GTK_TYPE_WIDGET)

static const char * const kind_classes[] = {
  [FW_EVENT_KIND_QUEUE] = "kind-queue",
  [FW_EVENT_KIND_AGENT] = "kind-agent",
  [FW_EVENT_KIND_CONVERSATION] = "kind-conversation",
  [FW_EVENT_KIND_SYSTEM] = "kind-system",
};

/* The local time zone, looked up again at most once a minute: asking GLib
 * for it on every row costs a file system check each time. */
static GTimeZone *
local_time_zone (void)
{
  static GTimeZone *zone;
  static gint64 looked_up;
  gint64 now = g_get_monotonic_time ();

  if (zone == NULL || now - looked_up > 60 * G_USEC_PER_SEC)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      looked_up = now;
    }
  return zone;
}

char *
fw_event_row_format_time (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (dt, local_time_zone ());
  return g_date_time_format (local, "%H:%M:%S");
}

typedef struct
{
  FwDirectory *directory;
  gboolean     missed;
} Names;

/* Names through the directory, noting when one is not known yet. */
static const char *
row_names_cb (FwNameKind  kind,
              const char *id,
              gpointer    user_data)
{
  Names *names = user_data;
  const char *name = NULL;

  if (names->directory != NULL)
    name = fw_directory_lookup (names->directory, kind, id);
  if (name == NULL)
    names->missed = TRUE;
  return name;
}

static void
ensure_gap_box (FwEventRow *self)
{
  GtkWidget *image;

  if (self->gap_box != NULL)
    return;

  self->gap_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->gap_box, "gap-row");
  image = g_object_new (GTK_TYPE_IMAGE,
                        "icon-name", "fw-gap-symbolic",
                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                        NULL);
  gtk_box_append (GTK_BOX (self->gap_box), image);
  self->gap_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->gap_label, 0.0f);
  gtk_label_set_ellipsize (self->gap_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->gap_label), TRUE);
  gtk_box_append (GTK_BOX (self->gap_box), GTK_WIDGET (self->gap_label));
  gtk_widget_set_parent (self->gap_box, GTK_WIDGET (self));
}

static void
fill_gap (FwEventRow *self,
          FwGap      *gap)
{
  g_autofree char *start = fw_event_row_format_time (fw_gap_get_start_time (gap));
  g_autofree char *end = fw_event_row_format_time (fw_gap_get_end_time (gap));
  g_autofree char *text = NULL;

  /* Translators: a row in the event list for a time in which the feed was
   * down, e.g. "Disconnected 14:02:11–14:02:19 — events in this window may
   * be missing". */
  text = g_strdup_printf (_("Disconnected %s–%s — events in this window may be missing"), start, end);
  ensure_gap_box (self);
  gtk_label_set_label (self->gap_label, text);

  gtk_widget_set_visible (self->event_box, FALSE);
  gtk_widget_set_visible (self->gap_box, TRUE);
}

static void
set_kind_class (FwEventRow *self,
                const char *kind_class)
{
  if (self->kind_class == kind_class)
    return;
  if (self->kind_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->kind_image), self->kind_class);
  self->kind_class = kind_class;
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_image), kind_class);
}

static const char *
kind_label (FwEventKind kind)
{
  switch (kind)
    {
    case FW_EVENT_KIND_QUEUE:
      return _("Queue");
    case FW_EVENT_KIND_AGENT:
      return _("Agent");
    case FW_EVENT_KIND_CONVERSATION:
      return _("Conversation");
    case FW_EVENT_KIND_SYSTEM:
    default:
      return _("System");
    }
}

static void
fill_notification (FwEventRow     *self,
                   FwNotification *notification)
{
  g_autoptr(JsonNode) body = fw_notification_dup_body (notification);
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *short_topic = NULL;
  const char *topic = fw_notification_get_topic (notification);
  gint64 received = fw_notification_get_received_time (notification);
  Names names = { self->directory, FALSE };
  const char *name = NULL;
  FwNameKind name_kind;
  FwEventKind kind;

  kind = fw_describe_kind (topic);
  time = fw_event_row_format_time (received);
  text = fw_describe_event (topic, body, received, row_names_cb, &names);

  name_kind = fw_describe_subject (topic, body, &id);
  if (name_kind != FW_NAME_NONE)
    {
      name = row_names_cb (name_kind, id, &names);
      if (name == NULL)
        name = id;
    }
  else
    name = kind_label (kind);

  fw_text_cell_set_text (self->time_label, time);
  fw_icon_cell_set_icon_name (self->kind_image, fw_describe_kind_icon_name (kind));
  set_kind_class (self, kind_classes[kind]);
  fw_text_cell_set_text (self->name_label, name);
  fw_text_cell_set_text (self->text_label, text);
  short_topic = fw_describe_short_topic (topic);
  fw_text_cell_set_text (self->topic_label, short_topic);

  self->names_pending = names.missed;

  if (self->gap_box != NULL)
    gtk_widget_set_visible (self->gap_box, FALSE);
  gtk_widget_set_visible (self->event_box, TRUE);
}

static void
fill (FwEventRow *self)
{
  self->names_pending = FALSE;
  self->needs_fill = FALSE;
  gtk_widget_set_child_visible (self->event_box, TRUE);
  if (self->gap_box != NULL)
    gtk_widget_set_child_visible (self->gap_box, TRUE);

  if (FW_IS_NOTIFICATION (self->item))
    fill_notification (self, FW_NOTIFICATION (self->item));
  else if (FW_IS_GAP (self->item))
    fill_gap (self, FW_GAP (self->item));
}

/* Tooltips are made when asked for: setting one on every bind costs a
 * round trip to the display server. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  FwEventRow *self)
{
  if (!FW_IS_NOTIFICATION (self->item))
    return FALSE;

  if (widget == GTK_WIDGET (self->topic_label))
    gtk_tooltip_set_text (tooltip, fw_notification_get_topic (FW_NOTIFICATION (self->item)));
  else
    gtk_tooltip_set_text (tooltip, kind_label (fw_describe_kind (fw_notification_get_topic (FW_NOTIFICATION (self->item)))));
  return TRUE;
}

static void
names_changed_cb (FwDirectory *directory,
                  FwEventRow  *self)
{
  if (self->names_pending && !self->needs_fill && self->item != NULL)
    fill (self);
}

GtkWidget *
fw_event_row_new (FwDirectory *directory)
{
  FwEventRow *self;

  g_return_val_if_fail (directory == NULL || FW_IS_DIRECTORY (directory), NULL);

  self = g_object_new (FW_TYPE_EVENT_ROW, NULL);
  if (directory != NULL)
    {
      self->directory = g_object_ref (directory);
      g_signal_connect_object (directory, "names-changed", G_CALLBACK (names_changed_cb), self, 0);
    }
  return GTK_WIDGET (self);
}

void
fw_event_row_set_item (FwEventRow *self,
                       GObject    *item)
{
  g_return_if_fail (FW_IS_EVENT_ROW (self));
  g_return_if_fail (item == NULL || FW_IS_NOTIFICATION (item) || FW_IS_GAP (item));

  if (!g_set_object (&self->item, item))
    return;

  /* Keep the old content's size (rows are one line high), so that
   * binding costs no new layout, but show none of it. */
  self->names_pending = FALSE;
  self->needs_fill = item != NULL;
  gtk_widget_set_child_visible (self->event_box, FALSE);
  if (self->gap_box != NULL)
    gtk_widget_set_child_visible (self->gap_box, FALSE);
}

gboolean
fw_event_row_get_needs_fill (FwEventRow *self)
{
  g_return_val_if_fail (FW_IS_EVENT_ROW (self), FALSE);

  return self->needs_fill;
}

void
fw_event_row_fill (FwEventRow *self)
{
  g_return_if_fail (FW_IS_EVENT_ROW (self));

  if (self->needs_fill)
    fill (self);
}

GObject *
fw_event_row_get_item (FwEventRow *self)
{
  g_return_val_if_fail (FW_IS_EVENT_ROW (self), NULL);

  return self->item;
}

char *
fw_event_row_dup_text (FwEventRow *self)
{
  g_return_val_if_fail (FW_IS_EVENT_ROW (self), NULL);

  fw_event_row_fill (self);
  if (self->gap_box != NULL && gtk_widget_get_visible (self->gap_box))
    return g_strdup (gtk_label_get_label (self->gap_label));

  return g_strdup_printf ("%s %s %s %s",
                          fw_text_cell_get_text (self->time_label),
                          fw_text_cell_get_text (self->name_label),
                          fw_text_cell_get_text (self->text_label),
                          FW_IS_NOTIFICATION (self->item)
                            ? fw_notification_get_topic (FW_NOTIFICATION (self->item)) : "");
}

static void
fw_event_row_dispose (GObject *object)
{
  FwEventRow *self = (FwEventRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_EVENT_ROW);
  g_clear_pointer (&self->gap_box, gtk_widget_unparent);
  g_clear_object (&self->item);
  g_clear_object (&self->directory);

  G_OBJECT_CLASS (fw_event_row_parent_class)->dispose (object);
}

static void
fw_event_row_class_init (FwEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_event_row_dispose;

  g_type_ensure (FW_TYPE_ICON_CELL);
  g_type_ensure (FW_TYPE_TEXT_CELL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-event-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, event_box);
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, kind_image);
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, FwEventRow, topic_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "eventrow");
}

static void
fw_event_row_init (FwEventRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->topic_label), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->kind_image), TRUE);
  g_signal_connect (self->topic_label, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (self->kind_image, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
}
