/* fw-event-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cheap checks first: the kind and the topic need no parsing; the name
 * needs a cache lookup; only then is the body parsed for the sentence.
 */

#define G_LOG_DOMAIN "fw-event-filter"

#include "config.h"

#include "fw-app-enums.h"
#include "fw-event-filter.h"

struct _FwEventFilter
{
  GtkFilter          parent_instance;

  FwDirectory       *directory;
  char              *search;
  char              *folded;      /* casefolded search, NULL when empty */
  FwEventFilterKind  kind;
};

G_DEFINE_FINAL_TYPE (FwEventFilter, fw_event_filter, GTK_TYPE_FILTER)

enum {
  PROP_0,
  PROP_SEARCH,
  PROP_KIND,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
kind_matches (FwEventFilterKind kind,
              const char       *topic)
{
  switch (kind)
    {
    case FW_EVENT_FILTER_KIND_QUEUES:
      return fw_describe_kind (topic) == FW_EVENT_KIND_QUEUE;
    case FW_EVENT_FILTER_KIND_AGENTS:
      return fw_describe_kind (topic) == FW_EVENT_KIND_AGENT;
    case FW_EVENT_FILTER_KIND_CONVERSATIONS:
      return fw_describe_kind (topic) == FW_EVENT_KIND_CONVERSATION;
    case FW_EVENT_FILTER_KIND_SYSTEM:
      return fw_describe_kind (topic) == FW_EVENT_KIND_SYSTEM;
    case FW_EVENT_FILTER_KIND_ALL:
    default:
      return TRUE;
    }
}

static gboolean
text_contains (const char *text,
               const char *folded)
{
  g_autofree char *haystack = NULL;

  if (text == NULL)
    return FALSE;
  haystack = g_utf8_casefold (text, -1);
  return strstr (haystack, folded) != NULL;
}

static gboolean
fw_event_filter_match (GtkFilter *filter,
                       gpointer   item)
{
  FwEventFilter *self = FW_EVENT_FILTER (filter);
  FwNotification *notification;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *id = NULL;
  const char *topic;
  FwNameKind name_kind;

  if (!FW_IS_NOTIFICATION (item))
    return TRUE;

  notification = FW_NOTIFICATION (item);
  topic = fw_notification_get_topic (notification);

  if (!kind_matches (self->kind, topic))
    return FALSE;
  if (self->folded == NULL)
    return TRUE;
  if (text_contains (topic, self->folded))
    return TRUE;

  body = fw_notification_dup_body (notification);
  name_kind = fw_describe_subject (topic, body, &id);
  if (name_kind != FW_NAME_NONE && self->directory != NULL &&
      text_contains (fw_directory_lookup (self->directory, name_kind, id), self->folded))
    return TRUE;

  sentence = fw_describe_event (topic, body, fw_notification_get_received_time (notification),
                                fw_directory_name_func, self->directory);
  return text_contains (sentence, self->folded);
}

static GtkFilterMatch
fw_event_filter_get_strictness (GtkFilter *filter)
{
  FwEventFilter *self = FW_EVENT_FILTER (filter);

  if (!fw_event_filter_is_active (self))
    return GTK_FILTER_MATCH_ALL;
  return GTK_FILTER_MATCH_SOME;
}

FwEventFilter *
fw_event_filter_new (void)
{
  return g_object_new (FW_TYPE_EVENT_FILTER, NULL);
}

gboolean
fw_event_filter_is_active (FwEventFilter *self)
{
  g_return_val_if_fail (FW_IS_EVENT_FILTER (self), FALSE);

  return self->folded != NULL || self->kind != FW_EVENT_FILTER_KIND_ALL;
}

const char *
fw_event_filter_get_search (FwEventFilter *self)
{
  g_return_val_if_fail (FW_IS_EVENT_FILTER (self), NULL);

  return self->search ? self->search : "";
}

void
fw_event_filter_set_search (FwEventFilter *self,
                            const char    *search)
{
  g_autofree char *folded = NULL;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (FW_IS_EVENT_FILTER (self));

  if (search != NULL && search[0] == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  if (search != NULL)
    folded = g_utf8_casefold (search, -1);

  /* Typing on narrows what matched; deleting widens it. */
  if (self->folded == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (folded == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (strstr (folded, self->folded) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (self->folded, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->search);
  self->search = g_strdup (search);
  g_free (self->folded);
  self->folded = g_steal_pointer (&folded);

  gtk_filter_changed (GTK_FILTER (self), change);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

FwEventFilterKind
fw_event_filter_get_kind (FwEventFilter *self)
{
  g_return_val_if_fail (FW_IS_EVENT_FILTER (self), FW_EVENT_FILTER_KIND_ALL);

  return self->kind;
}

void
fw_event_filter_set_kind (FwEventFilter     *self,
                          FwEventFilterKind  kind)
{
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (FW_IS_EVENT_FILTER (self));

  if (self->kind == kind)
    return;

  if (self->kind == FW_EVENT_FILTER_KIND_ALL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (kind == FW_EVENT_FILTER_KIND_ALL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  self->kind = kind;
  gtk_filter_changed (GTK_FILTER (self), change);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
names_changed_cb (FwDirectory   *directory,
                  FwEventFilter *self)
{
  /* A name that just arrived may match the search. */
  if (self->folded != NULL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_LESS_STRICT);
}

FwDirectory *
fw_event_filter_get_directory (FwEventFilter *self)
{
  g_return_val_if_fail (FW_IS_EVENT_FILTER (self), NULL);

  return self->directory;
}

void
fw_event_filter_set_directory (FwEventFilter *self,
                               FwDirectory   *directory)
{
  g_return_if_fail (FW_IS_EVENT_FILTER (self));
  g_return_if_fail (directory == NULL || FW_IS_DIRECTORY (directory));

  if (self->directory == directory)
    return;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_func (self->directory, names_changed_cb, self);
  g_set_object (&self->directory, directory);
  if (directory != NULL)
    g_signal_connect_object (directory, "names-changed", G_CALLBACK (names_changed_cb), self, 0);

  if (self->folded != NULL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY]);
}

static void
fw_event_filter_dispose (GObject *object)
{
  FwEventFilter *self = (FwEventFilter *)object;

  fw_event_filter_set_directory (self, NULL);

  G_OBJECT_CLASS (fw_event_filter_parent_class)->dispose (object);
}

static void
fw_event_filter_finalize (GObject *object)
{
  FwEventFilter *self = (FwEventFilter *)object;

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->folded, g_free);

  G_OBJECT_CLASS (fw_event_filter_parent_class)->finalize (object);
}

static void
fw_event_filter_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FwEventFilter *self = FW_EVENT_FILTER (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      g_value_set_string (value, fw_event_filter_get_search (self));
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_event_filter_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FwEventFilter *self = FW_EVENT_FILTER (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      fw_event_filter_set_search (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      fw_event_filter_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_DIRECTORY:
      fw_event_filter_set_directory (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_event_filter_class_init (FwEventFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->dispose = fw_event_filter_dispose;
  object_class->finalize = fw_event_filter_finalize;
  object_class->get_property = fw_event_filter_get_property;
  object_class->set_property = fw_event_filter_set_property;

  filter_class->match = fw_event_filter_match;
  filter_class->get_strictness = fw_event_filter_get_strictness;

  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       FW_TYPE_EVENT_FILTER_KIND,
                       FW_EVENT_FILTER_KIND_ALL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL,
                         FW_TYPE_DIRECTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_event_filter_init (FwEventFilter *self)
{
}
