/* fw-topic-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Queues and agents are chosen by name; for each one the supervisor says
 * what to follow.  The choice lives in three places while the picker is
 * open: queue id → FwQueueTopics, user id → FwUserTopics, and the raw
 * topics an expert typed.  Rows only show it, so that a search that
 * rebuilds the rows loses nothing.
 */

#define G_LOG_DOMAIN "fw-topic-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-topic-picker.h"
#include "fw-topics.h"

/* Rows beyond this are not built; the search narrows them down. */
#define MAX_ROWS 200

typedef struct
{
  guint       bit;
  const char *title;
  const char *subtitle;
} Aspect;

static const Aspect queue_aspects[] = {
  { FW_QUEUE_TOPIC_CONVERSATIONS, N_("Conversations"), N_("Interactions arriving, waiting, answered and ending") },
  { FW_QUEUE_TOPIC_OBSERVATIONS, N_("Queue figures"), N_("Waiting, interacting and agents on queue, live") },
  { FW_QUEUE_TOPIC_MEMBERS, N_("Members"), N_("Agents joining and leaving the queue") },
};

static const Aspect user_aspects[] = {
  { FW_USER_TOPIC_PRESENCE, N_("Presence"), N_("Available, Away, On Queue, Break…") },
  { FW_USER_TOPIC_ROUTING_STATUS, N_("Routing status"), N_("Idle, Interacting, Not Responding…") },
  { FW_USER_TOPIC_ACTIVITY, N_("Activity"), N_("Presence, routing status and active queues together") },
};

struct _FwTopicPicker
{
  AdwWindow            parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  GtkSearchEntry       *search_entry;
  GtkStack             *queues_stack;
  GtkListBox           *queues_list;
  GtkLabel             *queues_more;
  AdwStatusPage        *queues_status;
  GtkStack             *users_stack;
  GtkListBox           *users_list;
  GtkLabel             *users_more;
  AdwStatusPage        *users_status;
  GtkListBox           *raw_list;
  AdwEntryRow          *topic_entry;
  GtkListBox           *catalogue_list;

  FwDirectory          *directory;
  GCancellable         *cancellable;
  GCancellable         *queues_cancellable;

  GHashTable           *queues;       /* id → FwQueueTopics */
  GHashTable           *users;        /* id → FwUserTopics */
  GPtrArray            *raw;          /* other topics, in the order added */
  GPtrArray            *listed_queues; /* FwDirectoryEntry, of the last search */
  GPtrArray            *all_users;    /* FwDirectoryEntry, fetched once */
  GPtrArray            *catalogue;    /* FwDirectoryEntry */
  guint                 n_loading;
};

G_DEFINE_FINAL_TYPE (FwTopicPicker, fw_topic_picker, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  TOPICS_CHOSEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What a queue or agent row needs to find its way back. */
typedef struct
{
  FwTopicPicker  *self;
  FwNameKind      kind;
  char           *id;
  AdwExpanderRow *row;
  GtkCheckButton *checks[3];
  gboolean        updating;
} SubjectRow;

static void
subject_row_free (SubjectRow *subject)
{
  g_free (subject->id);
  g_free (subject);
}

static void
loading_changed (FwTopicPicker *self,
                 int            delta)
{
  self->n_loading += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
current_search (FwTopicPicker *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

static void
update_summary (FwTopicPicker *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  guint n_queues = g_hash_table_size (self->queues);
  guint n_users = g_hash_table_size (self->users);

  if (n_queues > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u queue", "%u queues", n_queues),
                                             n_queues));
  if (n_users > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u agent", "%u agents", n_users),
                                             n_users));
  if (self->raw->len > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other topic",
                                                          "%u other topics", self->raw->len),
                                             self->raw->len));
  if (parts->len == 0)
    g_ptr_array_add (parts, g_strdup (_("Nothing chosen")));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator in "2 queues · 3 agents". */
  summary = g_strjoinv (_(" · "), (char **) parts->pdata);
  adw_view_switcher_title_set_subtitle (self->switcher_title, summary);
}

/* ---- Queue and agent rows ---- */

static GHashTable *
subject_table (FwTopicPicker *self,
               FwNameKind     kind)
{
  return kind == FW_NAME_QUEUE ? self->queues : self->users;
}

static guint
subject_mask (FwTopicPicker *self,
              FwNameKind     kind,
              const char    *id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (subject_table (self, kind), id));
}

static void
set_subject_mask (FwTopicPicker *self,
                  FwNameKind     kind,
                  const char    *id,
                  guint          mask)
{
  if (mask == 0)
    g_hash_table_remove (subject_table (self, kind), id);
  else
    g_hash_table_insert (subject_table (self, kind), g_strdup (id), GUINT_TO_POINTER (mask));
  update_summary (self);
}

static const Aspect *
subject_aspects (FwNameKind kind)
{
  return kind == FW_NAME_QUEUE ? queue_aspects : user_aspects;
}

static void
show_mask (SubjectRow *subject,
           guint       mask)
{
  const Aspect *aspects = subject_aspects (subject->kind);

  subject->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (subject->checks); i++)
    gtk_check_button_set_active (subject->checks[i], (mask & aspects[i].bit) != 0);
  adw_expander_row_set_enable_expansion (subject->row, mask != 0);
  subject->updating = FALSE;
}

static void
enable_changed_cb (AdwExpanderRow *row,
                   GParamSpec     *pspec,
                   SubjectRow     *subject)
{
  guint mask;

  if (subject->updating)
    return;

  if (adw_expander_row_get_enable_expansion (row))
    mask = subject->kind == FW_NAME_QUEUE ? FW_QUEUE_TOPICS_DEFAULT : FW_USER_TOPICS_DEFAULT;
  else
    mask = 0;

  set_subject_mask (subject->self, subject->kind, subject->id, mask);
  show_mask (subject, mask);
}

static void
aspect_toggled_cb (GtkCheckButton *check,
                   SubjectRow     *subject)
{
  const Aspect *aspects = subject_aspects (subject->kind);
  guint mask = 0;

  if (subject->updating)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (subject->checks); i++)
    {
      if (gtk_check_button_get_active (subject->checks[i]))
        mask |= aspects[i].bit;
    }

  set_subject_mask (subject->self, subject->kind, subject->id, mask);
  show_mask (subject, mask);
}

static GtkWidget *
create_subject_row (FwTopicPicker          *self,
                    FwNameKind              kind,
                    const FwDirectoryEntry *entry)
{
  const Aspect *aspects = subject_aspects (kind);
  AdwExpanderRow *row;
  SubjectRow *subject;

  row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->name);
  if (entry->detail != NULL)
    adw_expander_row_set_subtitle (row, entry->detail);
  adw_expander_row_set_show_enable_switch (row, TRUE);

  subject = g_new0 (SubjectRow, 1);
  subject->self = self;
  subject->kind = kind;
  subject->id = g_strdup (entry->id);
  subject->row = row;
  g_object_set_data_full (G_OBJECT (row), "fw-subject", subject, (GDestroyNotify) subject_row_free);

  for (guint i = 0; i < G_N_ELEMENTS (subject->checks); i++)
    {
      GtkWidget *aspect_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (aspect_row), _(aspects[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (aspect_row), _(aspects[i].subtitle));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(aspects[i].title),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (aspect_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (aspect_row), check);
      adw_expander_row_add_row (row, aspect_row);

      subject->checks[i] = GTK_CHECK_BUTTON (check);
      g_signal_connect (check, "toggled", G_CALLBACK (aspect_toggled_cb), subject);
    }

  show_mask (subject, subject_mask (self, kind, entry->id));
  g_signal_connect (row, "notify::enable-expansion", G_CALLBACK (enable_changed_cb), subject);

  return GTK_WIDGET (row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

/* Builds the rows of @entries that match @search (all when @search is
 * NULL: the server matched them already). */
static void
show_entries (FwTopicPicker *self,
              FwNameKind     kind,
              GPtrArray     *entries,
              const char    *search)
{
  GtkListBox *list = kind == FW_NAME_QUEUE ? self->queues_list : self->users_list;
  GtkLabel *more = kind == FW_NAME_QUEUE ? self->queues_more : self->users_more;
  GtkStack *stack = kind == FW_NAME_QUEUE ? self->queues_stack : self->users_stack;
  guint n_shown = 0;
  guint n_matching = 0;

  clear_list (list);

  for (guint i = 0; i < entries->len; i++)
    {
      const FwDirectoryEntry *entry = g_ptr_array_index (entries, i);

      if (search != NULL && !fw_directory_entry_matches (entry, search))
        continue;
      n_matching++;
      if (n_shown >= MAX_ROWS)
        continue;
      gtk_list_box_append (list, create_subject_row (self, kind, entry));
      n_shown++;
    }

  if (n_matching > n_shown)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("Showing %u of %u. Search to find the others."), n_shown, n_matching);
      gtk_label_set_label (more, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (more), n_matching > n_shown);
  gtk_stack_set_visible_child_name (stack, n_shown > 0 ? "list" : "empty");
}

static void
show_listing_error (FwTopicPicker *self,
                    FwNameKind     kind,
                    const GError  *error)
{
  AdwStatusPage *status = kind == FW_NAME_QUEUE ? self->queues_status : self->users_status;
  GtkStack *stack = kind == FW_NAME_QUEUE ? self->queues_stack : self->users_stack;

  adw_status_page_set_title (status, kind == FW_NAME_QUEUE ? _("Queues Could Not Be Listed")
                                                           : _("Agents Could Not Be Listed"));
  adw_status_page_set_description (status, error->message);
  gtk_stack_set_visible_child_name (stack, "empty");
}

static void
queues_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FwTopicPicker) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = fw_directory_list_queues_finish (FW_DIRECTORY (object), result, &error);
  loading_changed (self, -1);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (entries == NULL)
    {
      show_listing_error (self, FW_NAME_QUEUE, error);
      return;
    }

  adw_status_page_set_title (self->queues_status, _("No Queues Found"));
  adw_status_page_set_description (self->queues_status, NULL);
  g_clear_pointer (&self->listed_queues, g_ptr_array_unref);
  self->listed_queues = g_steal_pointer (&entries);
  show_entries (self, FW_NAME_QUEUE, self->listed_queues, NULL);
}

static void
list_queues (FwTopicPicker *self)
{
  g_cancellable_cancel (self->queues_cancellable);
  g_clear_object (&self->queues_cancellable);
  self->queues_cancellable = g_cancellable_new ();

  loading_changed (self, +1);
  fw_directory_list_queues_async (self->directory, current_search (self), self->queues_cancellable,
                                  queues_listed_cb, g_object_ref (self));
}

static void
users_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FwTopicPicker) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  entries = fw_directory_list_users_finish (FW_DIRECTORY (object), result, &error);
  loading_changed (self, -1);

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_listing_error (self, FW_NAME_USER, error);
      return;
    }

  g_clear_pointer (&self->all_users, g_ptr_array_unref);
  self->all_users = entries;
  show_entries (self, FW_NAME_USER, self->all_users, current_search (self));
}

/* ---- Other topics ---- */

static void add_raw_row (FwTopicPicker *self,
                         const char    *topic);

static void
remove_raw_clicked_cb (GtkButton     *button,
                       FwTopicPicker *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *topic = g_object_get_data (G_OBJECT (row), "fw-topic");

  for (guint i = 0; i < self->raw->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->raw, i), topic))
        {
          g_ptr_array_remove_index (self->raw, i);
          break;
        }
    }
  gtk_list_box_remove (self->raw_list, row);
  update_summary (self);
}

static void
add_raw_row (FwTopicPicker *self,
             const char    *topic)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topic);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "fw-topic", g_strdup (topic), g_free);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Stop watching this topic"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"),
                                  -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_raw_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  gtk_list_box_append (self->raw_list, row);
}

static gboolean
add_raw (FwTopicPicker *self,
         const char    *topic)
{
  for (guint i = 0; i < self->raw->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->raw, i), topic))
        return FALSE;
    }
  g_ptr_array_add (self->raw, g_strdup (topic));
  add_raw_row (self, topic);
  update_summary (self);
  return TRUE;
}

static void
add_topic (FwTopicPicker *self,
           const char    *topic)
{
  g_autofree char *id = NULL;
  FwNameKind kind;
  guint which;

  /* A topic of a queue or agent joins that queue's or agent's choice. */
  kind = fw_topics_parse (topic, &id, &which);
  if (kind != FW_NAME_NONE)
    set_subject_mask (self, kind, id, subject_mask (self, kind, id) | which);
  else
    add_raw (self, topic);
}

static void
topic_changed_cb (FwTopicPicker *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->topic_entry), "error");
}

static void
topic_apply_cb (FwTopicPicker *self)
{
  g_autofree char *topic = NULL;

  topic = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->topic_entry))));
  if (!fw_topics_is_valid (topic))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->topic_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->topic_entry),
                                   _("A topic starts with “v2.”, has no spaces, and every {id} replaced"));
      return;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->topic_entry), NULL);
  add_topic (self, topic);
  /* A queue's or agent's row shows its new topic when it is built again. */
  if (self->all_users != NULL)
    show_entries (self, FW_NAME_USER, self->all_users, current_search (self));
  if (self->listed_queues != NULL)
    show_entries (self, FW_NAME_QUEUE, self->listed_queues, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), "");
}

static void
catalogue_row_activated_cb (FwTopicPicker *self,
                            GtkListBoxRow *row)
{
  const char *topic = g_object_get_data (G_OBJECT (row), "fw-topic");
  const char *placeholder;

  if (topic == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), topic);
  gtk_widget_grab_focus (GTK_WIDGET (self->topic_entry));

  /* Select the first {id}, ready to be replaced. */
  placeholder = strchr (topic, '{');
  if (placeholder != NULL)
    {
      const char *close = strchr (placeholder, '}');
      int start = (int) g_utf8_pointer_to_offset (topic, placeholder);
      int end = close ? (int) g_utf8_pointer_to_offset (topic, close + 1) : -1;

      gtk_editable_select_region (GTK_EDITABLE (self->topic_entry), start, end);
    }
}

static void
show_catalogue (FwTopicPicker *self)
{
  const char *search = current_search (self);

  clear_list (self->catalogue_list);
  if (self->catalogue == NULL)
    return;

  for (guint i = 0; i < self->catalogue->len; i++)
    {
      const FwDirectoryEntry *entry = g_ptr_array_index (self->catalogue, i);
      GtkWidget *row;

      if (!fw_directory_entry_matches (entry, search))
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->id);
      if (entry->name != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), entry->name);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "fw-topic", g_strdup (entry->id), g_free);
      gtk_list_box_append (self->catalogue_list, row);
    }
}

static void
topics_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FwTopicPicker) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  entries = fw_directory_list_topics_finish (FW_DIRECTORY (object), result, &error);
  loading_changed (self, -1);

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The topic catalogue could not be listed: %s", error->message);
      return;
    }

  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  self->catalogue = entries;
  show_catalogue (self);
}

/* ---- Search and the Watch button ---- */

static void
search_changed_cb (FwTopicPicker *self)
{
  list_queues (self);
  if (self->all_users != NULL)
    show_entries (self, FW_NAME_USER, self->all_users, current_search (self));
  show_catalogue (self);
}

static void
watch_clicked_cb (FwTopicPicker *self)
{
  g_auto(GStrv) topics = fw_topic_picker_dup_topics (self);

  g_signal_emit (self, signals[TOPICS_CHOSEN], 0, topics);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_subjects (GPtrArray  *topics,
              GHashTable *table,
              FwNameKind  kind)
{
  GHashTableIter iter;
  gpointer id, mask;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &id, &mask))
    {
      if (kind == FW_NAME_QUEUE)
        fw_topics_add_queue (topics, id, GPOINTER_TO_UINT (mask));
      else
        fw_topics_add_user (topics, id, GPOINTER_TO_UINT (mask));
    }
}

static int
compare_topics (gconstpointer a,
                gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
fw_topic_picker_dup_topics (FwTopicPicker *self)
{
  GPtrArray *topics;

  g_return_val_if_fail (FW_IS_TOPIC_PICKER (self), NULL);

  topics = g_ptr_array_new ();
  add_subjects (topics, self->queues, FW_NAME_QUEUE);
  add_subjects (topics, self->users, FW_NAME_USER);
  for (guint i = 0; i < self->raw->len; i++)
    g_ptr_array_add (topics, g_strdup (g_ptr_array_index (self->raw, i)));
  g_ptr_array_sort (topics, compare_topics);
  g_ptr_array_add (topics, NULL);

  return (GStrv) g_ptr_array_free (topics, FALSE);
}

gboolean
fw_topic_picker_get_loading (FwTopicPicker *self)
{
  g_return_val_if_fail (FW_IS_TOPIC_PICKER (self), FALSE);

  return self->n_loading > 0;
}

FwTopicPicker *
fw_topic_picker_new (FwDirectory        *directory,
                     const char * const *topics)
{
  FwTopicPicker *self;

  g_return_val_if_fail (FW_IS_DIRECTORY (directory), NULL);

  self = g_object_new (FW_TYPE_TOPIC_PICKER, NULL);
  self->directory = g_object_ref (directory);

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    add_topic (self, topics[i]);
  update_summary (self);

  list_queues (self);

  loading_changed (self, +1);
  fw_directory_list_users_async (directory, self->cancellable, users_listed_cb, g_object_ref (self));

  loading_changed (self, +1);
  fw_directory_list_topics_async (directory, self->cancellable, topics_listed_cb, g_object_ref (self));

  return self;
}

static gboolean
fw_topic_picker_close_request (GtkWindow *window)
{
  FwTopicPicker *self = FW_TOPIC_PICKER (window);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->queues_cancellable);

  return GTK_WINDOW_CLASS (fw_topic_picker_parent_class)->close_request (window);
}

static void
fw_topic_picker_dispose (GObject *object)
{
  FwTopicPicker *self = (FwTopicPicker *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->queues_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_TOPIC_PICKER);

  G_OBJECT_CLASS (fw_topic_picker_parent_class)->dispose (object);
}

static void
fw_topic_picker_finalize (GObject *object)
{
  FwTopicPicker *self = (FwTopicPicker *)object;

  g_clear_object (&self->directory);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->queues_cancellable);
  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->listed_queues, g_ptr_array_unref);
  g_clear_pointer (&self->raw, g_ptr_array_unref);
  g_clear_pointer (&self->all_users, g_ptr_array_unref);
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);

  G_OBJECT_CLASS (fw_topic_picker_parent_class)->finalize (object);
}

static void
fw_topic_picker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FwTopicPicker *self = FW_TOPIC_PICKER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, fw_topic_picker_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwTopicPicker *self = FW_TOPIC_PICKER (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
fw_topic_picker_class_init (FwTopicPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fw_topic_picker_dispose;
  object_class->finalize = fw_topic_picker_finalize;
  object_class->get_property = fw_topic_picker_get_property;

  window_class->close_request = fw_topic_picker_close_request;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOPICS_CHOSEN] =
    g_signal_new ("topics-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-topic-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, queues_stack);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, queues_list);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, queues_more);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, queues_status);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, users_stack);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, users_list);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, users_more);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, users_status);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, raw_list);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, topic_entry);
  gtk_widget_class_bind_template_child (widget_class, FwTopicPicker, catalogue_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, watch_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, topic_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, topic_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, catalogue_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "picker.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "picker.search", NULL);
}

static void
fw_topic_picker_init (FwTopicPicker *self)
{
  self->cancellable = g_cancellable_new ();
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->raw = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}
