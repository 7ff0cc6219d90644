/* fw-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is a chain of models: the event store (the engine's ring buffer,
 * newest first) → a pausable view of it → the search and kind filter → the
 * selection.  Nothing here runs on a timer: rows change when the store
 * publishes (at most 20 times a second), the status pill counts down only
 * while a reconnect is pending, and times are absolute.
 */

#define G_LOG_DOMAIN "fw-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-application.h"
#include "fw-board-view.h"
#include "fw-event-row.h"
#include "fw-pausable-model.h"
#include "fw-preferences-window.h"
#include "fw-welcome-page.h"
#include "fw-window.h"

struct _FwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  FwStatusPill         *status_pill;
  AdwWindowTitle       *window_title;
  GtkWidget            *pause_overlay;
  GtkWidget            *search_button;
  GtkWidget            *watch_button;
  GtkLabel             *badge_label;
  GtkStack             *main_stack;
  FwSignInPage         *sign_in_page;
  GtkSpinner           *loading_spinner;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *kind_dropdown;
  GtkStack             *list_stack;
  AdwStatusPage        *no_match_page;
  GtkScrolledWindow    *list_scroller;
  GtkListView          *event_list;
  GtkWidget            *jump_button;
  FwEventDetail        *event_detail;

  GSettings            *settings;
  FwConnection         *connection;
  GCancellable         *cancellable;     /* what the current connection started */
  FwEventFilter        *filter;
  FwPausableModel      *pausable;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  GBindingGroup        *session_bindings;
  GSignalGroup         *session_signals;
  GSignalGroup         *store_signals;
  FwTopicPicker        *picker;

  GPtrArray            *rejected;        /* "topic: reason", shown together */
  guint                 rejected_source;
  guint                 scroll_source;
  gulong                layout_handler;
  char                 *last_toast;

  guint64               appended_at_pause;
  gboolean              paused;
  gboolean              following;
  gboolean              persist_topics;
};

G_DEFINE_FINAL_TYPE (FwWindow, fw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_page   (FwWindow *self);
static void update_badge  (FwWindow *self);

/* ---- Toasts ---- */

static void
show_toast (FwWindow   *self,
            const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
fw_window_get_last_toast (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->last_toast;
}

/* ---- Session events ---- */

static void
gap_cb (FwWindow  *self,
        FwGap     *gap)
{
  g_autofree char *start = fw_event_row_format_time (fw_gap_get_start_time (gap));
  g_autofree char *end = fw_event_row_format_time (fw_gap_get_end_time (gap));
  g_autofree char *title = NULL;

  /* Translators: shown when the feed is back after an outage, e.g. "Back
   * live — events between 14:02:11 and 14:02:19 may be missing". */
  title = g_strdup_printf (_("Back live — events between %s and %s may be missing"), start, end);
  show_toast (self, title);
}

static gboolean
show_rejected_cb (gpointer user_data)
{
  FwWindow *self = user_data;
  g_autofree char *title = NULL;

  self->rejected_source = 0;
  if (self->rejected->len == 1)
    /* Translators: %s is "topic: reason". */
    title = g_strdup_printf (_("Genesys Cloud refused to send %s"),
                             (const char *) g_ptr_array_index (self->rejected, 0));
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Genesys Cloud refused %u topic; the client may lack permissions",
                                          "Genesys Cloud refused %u topics; the client may lack permissions",
                                          self->rejected->len),
                             self->rejected->len);
  g_ptr_array_set_size (self->rejected, 0);
  show_toast (self, title);
  return G_SOURCE_REMOVE;
}

static void
topic_rejected_cb (FwWindow   *self,
                   const char *topic,
                   const char *reason)
{
  g_ptr_array_add (self->rejected, g_strdup_printf ("%s: %s", topic, reason ? reason : _("no reason given")));
  g_message ("Topic %s refused: %s", topic, reason ? reason : "(no reason)");
  if (self->rejected_source == 0)
    self->rejected_source = g_idle_add (show_rejected_cb, self);
}

static void
warning_cb (FwWindow   *self,
            const char *message)
{
  g_message ("%s", message);
}

static void
session_state_cb (FwWindow   *self,
                  GParamSpec *pspec,
                  FwSession  *session)
{
  const GError *error = fw_session_get_error (session);

  fw_status_pill_set_error_message (self->status_pill, error ? error->message : NULL);
}

/* ---- Following the newest event ---- */

static void
set_following (FwWindow *self,
               gboolean  following)
{
  self->following = following;
  gtk_widget_set_visible (self->jump_button, !following && !self->paused);
}

static void
scroll_to_newest (FwWindow *self)
{
  g_clear_handle_id (&self->scroll_source, g_source_remove);
  if (self->filtered == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->event_list), "list.scroll-to-item", "u", 0);
}

static gboolean
scroll_to_newest_cb (gpointer user_data)
{
  FwWindow *self = user_data;

  self->scroll_source = 0;
  scroll_to_newest (self);
  return G_SOURCE_REMOVE;
}

static void
vadjustment_changed_cb (FwWindow      *self,
                        GtkAdjustment *adjustment)
{
  /* At the top the list follows new events; anywhere else the user is
   * reading, and new events must not move the rows under the pointer. */
  gboolean at_top = gtk_adjustment_get_value (adjustment) < 1.0;

  if (at_top != self->following)
    set_following (self, at_top && g_settings_get_boolean (self->settings, "follow-newest"));
}

static void
update_list_stack (FwWindow *self)
{
  const char *name = "list";

  if (self->filtered == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    {
      if (self->pausable == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->pausable)) == 0)
        name = "waiting";
      /* "No matching events" only once the filter has seen them all. */
      else if (gtk_filter_list_model_get_pending (self->filtered) == 0)
        name = "no-match";
    }
  /* Its large icon is loaded (and an SVG renderer with it) only if a search
   * ever finds nothing. */
  if (g_str_equal (name, "no-match") && adw_status_page_get_icon_name (self->no_match_page) == NULL)
    adw_status_page_set_icon_name (self->no_match_page, "edit-find-symbolic");
  gtk_stack_set_visible_child_name (self->list_stack, name);
}

static void
filtered_items_changed_cb (FwWindow   *self,
                           guint       position,
                           guint       removed,
                           guint       added,
                           GListModel *model)
{
  update_list_stack (self);
  /* After the list has taken the change in, and before it is drawn. */
  if (self->following && !self->paused && position == 0 && added > 0 && self->scroll_source == 0)
    self->scroll_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, scroll_to_newest_cb, self, NULL);
}

static void
store_items_changed_cb (FwWindow *self)
{
  if (self->paused)
    update_badge (self);
}

/* ---- Pause ---- */

guint64
fw_window_get_n_new (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), 0);

  if (!self->paused || self->connection == NULL)
    return 0;
  return fw_event_store_get_total_appended (fw_connection_get_event_store (self->connection))
         - self->appended_at_pause;
}

static void
update_badge (FwWindow *self)
{
  guint64 n_new = fw_window_get_n_new (self);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  if (n_new == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->badge_label), FALSE);
      gtk_widget_set_tooltip_text (self->pause_overlay, NULL);
      return;
    }

  text = n_new > 999 ? g_strdup ("999+") : g_strdup_printf ("%u", (guint) n_new);
  tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new event while paused",
                                          "%u new events while paused", (gulong) MIN (n_new, G_MAXUINT)),
                             (guint) MIN (n_new, G_MAXUINT));
  gtk_label_set_label (self->badge_label, text);
  gtk_widget_set_tooltip_text (self->pause_overlay, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), TRUE);
}

gboolean
fw_window_get_paused (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), FALSE);

  return self->paused;
}

void
fw_window_set_paused (FwWindow *self,
                      gboolean  paused)
{
  g_return_if_fail (FW_IS_WINDOW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;

  /* Between connections there is no list to hold still. */
  if (self->connection != NULL && self->pausable != NULL)
    {
      FwEventStore *store = fw_connection_get_event_store (self->connection);

      if (paused)
        {
          /* Counted from what the view shows: anything appended but not
           * yet published is new too. */
          fw_event_store_flush (store);
          self->appended_at_pause = fw_event_store_get_total_appended (store);
        }
      fw_pausable_model_set_paused (self->pausable, paused);
    }

  fw_status_pill_set_paused (self->status_pill, paused);
  update_badge (self);

  if (!paused)
    {
      /* Resuming goes back to the newest event. */
      set_following (self, g_settings_get_boolean (self->settings, "follow-newest"));
      scroll_to_newest (self);
    }
  gtk_widget_set_visible (self->jump_button, !self->following && !paused);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
fw_window_get_following (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), FALSE);

  return self->following;
}

/* ---- The list ---- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              FwDirectory              *directory)
{
  gtk_list_item_set_child (list_item, fw_event_row_new (directory));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  fw_event_row_set_item (FW_EVENT_ROW (gtk_list_item_get_child (list_item)),
                         gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  fw_event_row_set_item (FW_EVENT_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* Rows are bound without being filled (see fw-event-row.c).  After each
 * layout, fill those inside the view; that asks for another layout, which the
 * frame clock runs before it paints. */
static void
after_layout_cb (FwWindow *self)
{
  GtkWidget *list = GTK_WIDGET (self->event_list);
  int height = gtk_widget_get_height (list);

  if (!gtk_widget_get_mapped (list))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;

      if (!FW_IS_EVENT_ROW (row) || !fw_event_row_get_needs_fill (FW_EVENT_ROW (row)))
        continue;
      /* A row without a place yet is filled rather than risked. */
      if (!gtk_widget_compute_bounds (child, list, &bounds) ||
          (bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < height))
        fw_event_row_fill (FW_EVENT_ROW (row));
    }
}

static void
selected_item_cb (FwWindow           *self,
                  GParamSpec         *pspec,
                  GtkSingleSelection *selection)
{
  fw_event_detail_set_item (self->event_detail, gtk_single_selection_get_selected_item (selection));
}

void
fw_window_select (FwWindow *self,
                  guint     position)
{
  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (self->selection != NULL);

  gtk_single_selection_set_selected (self->selection, position);
}

static void
search_changed_cb (FwWindow *self)
{
  fw_event_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
stop_search_cb (FwWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
kind_changed_cb (FwWindow *self)
{
  fw_event_filter_set_kind (self->filter, gtk_drop_down_get_selected (self->kind_dropdown));
}

static void
event_copied_cb (FwWindow *self)
{
  show_toast (self, _("Notification copied"));
}

/* ---- Pages ---- */

static void
set_connection_actions_enabled (FwWindow *self,
                                gboolean  enabled)
{
  static const char * const actions[] = {
    "win.watch", "win.export", "win.pause", "win.search", "win.jump-to-newest", "win.reconnect-now",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], enabled);
}

static void
show_page (FwWindow   *self,
           const char *name)
{
  gboolean events = g_str_equal (name, "events");
  gboolean connected = self->connection != NULL &&
                       (events || g_str_equal (name, "empty") || g_str_equal (name, "loading"));

  gtk_stack_set_visible_child_name (self->main_stack, name);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));

  gtk_widget_set_visible (GTK_WIDGET (self->status_pill), connected);
  gtk_widget_set_visible (self->watch_button, connected);
  gtk_widget_set_visible (self->search_button, events);
  gtk_widget_set_visible (self->pause_overlay, events);
  set_connection_actions_enabled (self, connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", events);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", events);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", events);
}

static void
update_page (FwWindow *self)
{
  const char * const *topics;

  if (self->connection == NULL)
    return;

  topics = fw_connection_get_topics (self->connection);
  show_page (self, topics != NULL && topics[0] != NULL ? "events" : "empty");
}

const char *
fw_window_get_page (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

void
fw_window_show_welcome (FwWindow *self)
{
  g_return_if_fail (FW_IS_WINDOW (self));

  show_page (self, "welcome");
}

void
fw_window_show_sign_in (FwWindow   *self,
                        const char *environment,
                        const char *client_id,
                        const char *message)
{
  g_return_if_fail (FW_IS_WINDOW (self));

  fw_sign_in_page_set_account (self->sign_in_page, environment, client_id);
  fw_sign_in_page_set_message (self->sign_in_page, message);
  /* There is always somewhere to go back to: the feed or the welcome page. */
  fw_sign_in_page_set_can_cancel (self->sign_in_page, TRUE);
  show_page (self, "sign-in");
}

static void
sign_in_cancelled_cb (FwWindow *self)
{
  if (self->connection != NULL)
    update_page (self);
  else
    show_page (self, "welcome");
}

/* ---- Topics ---- */

static void
apply_topics (FwWindow           *self,
              const char * const *topics)
{
  fw_connection_set_topics (self->connection, topics);
  if (self->persist_topics)
    g_settings_set_strv (self->settings, "topics", topics);
  update_page (self);
}

void
fw_window_set_topics (FwWindow           *self,
                      const char * const *topics)
{
  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (self->connection != NULL);

  apply_topics (self, topics);
}

static void
topics_chosen_cb (FwWindow      *self,
                  GStrv          topics,
                  FwTopicPicker *picker)
{
  if (self->connection != NULL)
    apply_topics (self, (const char * const *) topics);
}

static void
picker_destroyed_cb (FwWindow *self)
{
  self->picker = NULL;
}

FwTopicPicker *
fw_window_open_topic_picker (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->connection != NULL, NULL);

  if (self->picker == NULL)
    {
      self->picker = fw_topic_picker_new (fw_connection_get_directory (self->connection),
                                          fw_connection_get_topics (self->connection));
      gtk_window_set_transient_for (GTK_WINDOW (self->picker), GTK_WINDOW (self));
      g_signal_connect_object (self->picker, "topics-chosen", G_CALLBACK (topics_chosen_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->picker, "destroy", G_CALLBACK (picker_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->picker));
  return self->picker;
}

/* ---- Connections ---- */

static void
demo_topics_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = NULL;
  FwConnection *connection = FW_CONNECTION (object);

  topics = fw_connection_dup_demo_topics_finish (connection, result, &error);
  if (connection != self->connection)
    return;

  if (topics == NULL)
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("The demo could not list its queues: %s"), error->message);
      show_toast (self, title);
      update_page (self);
      return;
    }

  apply_topics (self, (const char * const *) topics);
}

static void
disconnect_connection (FwWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->scroll_source, g_source_remove);

  if (self->picker != NULL)
    gtk_window_destroy (GTK_WINDOW (self->picker));

  g_binding_group_set_source (self->session_bindings, NULL);
  g_signal_group_set_target (self->session_signals, NULL);
  g_signal_group_set_target (self->store_signals, NULL);

  gtk_list_view_set_model (self->event_list, NULL);
  gtk_list_view_set_factory (self->event_list, NULL);
  fw_event_detail_set_item (self->event_detail, NULL);
  fw_event_detail_set_directory (self->event_detail, NULL);
  fw_event_filter_set_directory (self->filter, NULL);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->pausable);

  if (self->connection != NULL)
    {
      FwSession *session = fw_connection_get_session (self->connection);

      g_settings_unbind (session, "heartbeat-timeout");
      g_settings_unbind (session, "pong-timeout");
      g_settings_unbind (fw_connection_get_event_store (self->connection), "max-items");
      fw_connection_stop (self->connection);
      g_clear_object (&self->connection);
    }
}

static gboolean
is_stored_account (FwWindow     *self,
                   FwConnection *connection)
{
  g_autofree char *environment = g_settings_get_string (self->settings, "environment");
  g_autofree char *client_id = g_settings_get_string (self->settings, "client-id");

  return !fw_connection_is_demo (connection) &&
         g_str_equal (environment, fw_environment_get_name (fw_connection_get_environment (connection))) &&
         g_str_equal (client_id, fw_connection_get_client_id (connection));
}

void
fw_window_set_connection (FwWindow     *self,
                          FwConnection *connection)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(FwConnection) hold = NULL;
  g_autofree char *subtitle = NULL;
  FwEventStore *store;
  FwSession *session;
  FwDirectory *directory;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (connection == NULL || FW_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  /* Replacing a connection must not drop the new one with it. */
  hold = connection ? g_object_ref (connection) : NULL;
  disconnect_connection (self);
  self->connection = g_steal_pointer (&hold);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);

  fw_window_set_paused (self, FALSE);

  if (connection == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      show_page (self, "welcome");
      return;
    }

  self->cancellable = g_cancellable_new ();
  store = fw_connection_get_event_store (connection);
  session = fw_connection_get_session (connection);
  directory = fw_connection_get_directory (connection);

  /* Settings apply to the engine as they change. */
  g_settings_bind (self->settings, "max-events", store, "max-items", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "heartbeat-timeout", session, "heartbeat-timeout", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "pong-timeout", session, "pong-timeout", G_SETTINGS_BIND_GET);

  self->pausable = fw_pausable_model_new (G_LIST_MODEL (store));
  fw_event_filter_set_directory (self->filter, directory);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->pausable)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "notify::pending", G_CALLBACK (update_list_stack), self,
                           G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selected_item_cb), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), directory, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->event_list, factory);
  gtk_list_view_set_model (self->event_list, GTK_SELECTION_MODEL (self->selection));

  fw_event_detail_set_directory (self->event_detail, directory);

  g_binding_group_set_source (self->session_bindings, session);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->store_signals, store);
  session_state_cb (self, NULL, session);

  subtitle = fw_connection_dup_region_label (connection);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  set_following (self, g_settings_get_boolean (self->settings, "follow-newest"));
  update_list_stack (self);

  self->persist_topics = is_stored_account (self, connection);

  if (fw_connection_is_demo (connection))
    {
      show_page (self, "loading");
      fw_connection_dup_demo_topics_async (connection, self->cancellable, demo_topics_cb, g_object_ref (self));
    }
  else
    {
      g_auto(GStrv) topics = NULL;

      if (self->persist_topics)
        topics = g_settings_get_strv (self->settings, "topics");
      apply_topics (self, (const char * const *) topics);
    }
}

FwConnection *
fw_window_get_connection (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->connection;
}

void
fw_window_start_demo (FwWindow *self)
{
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FW_IS_WINDOW (self));

  connection = fw_connection_new_demo (g_settings_get_uint (self->settings, "max-events"), &error);
  if (connection == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("The demo could not start: %s"), error->message);

      show_toast (self, title);
      return;
    }
  fw_window_set_connection (self, connection);
}

static void
signed_in_cb (FwWindow      *self,
              FwTokenSource *tokens)
{
  g_autoptr(FwConnection) connection = NULL;
  g_auto(GStrv) watched = NULL;
  FwEnvironment *environment = fw_token_source_get_environment (tokens);
  const char * const *topics;

  /* Signing in again to the same account (a rotated secret) keeps
   * watching what was watched. */
  if (self->connection != NULL && !fw_connection_is_demo (self->connection) &&
      g_str_equal (fw_environment_get_name (fw_connection_get_environment (self->connection)),
                   fw_environment_get_name (environment)) &&
      g_str_equal (fw_connection_get_client_id (self->connection), fw_token_source_get_client_id (tokens)))
    watched = g_strdupv ((char **) fw_connection_get_topics (self->connection));

  /* The secret is in the keyring now; the account's other halves go here. */
  g_settings_set_string (self->settings, "environment", fw_environment_get_name (environment));
  g_settings_set_string (self->settings, "client-id", fw_token_source_get_client_id (tokens));

  connection = fw_connection_new (tokens, g_settings_get_uint (self->settings, "max-events"));
  fw_window_set_connection (self, connection);

  topics = fw_connection_get_topics (connection);
  if ((topics == NULL || topics[0] == NULL) && watched != NULL && watched[0] != NULL)
    apply_topics (self, (const char * const *) watched);
}

typedef struct
{
  FwWindow *self;
  char     *environment;
  char     *client_id;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup->environment);
  g_free (lookup->client_id);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
account_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  FwWindow *self = lookup->self;

  /* The client's secret if one is kept, else a person's sign-in. */
  connection = fw_connection_new_for_account_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (connection == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        message = g_strdup (_("No client secret or sign-in is kept for this client id. Sign in again."));
      else
        message = g_strdup_printf (_("The keyring could not be read: %s"), error->message);
      fw_window_show_sign_in (self, lookup->environment, lookup->client_id, message);
      return;
    }

  fw_window_set_connection (self, connection);
}

void
fw_window_open_account (FwWindow   *self,
                        const char *environment,
                        const char *client_id)
{
  g_autoptr(FwEnvironment) parsed = NULL;
  g_autoptr(GError) error = NULL;
  Lookup *lookup;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (environment != NULL);
  g_return_if_fail (client_id != NULL);

  parsed = fw_environment_new (environment, &error);
  if (parsed == NULL)
    {
      fw_window_show_sign_in (self, NULL, client_id, error->message);
      return;
    }

  fw_window_set_connection (self, NULL);
  show_page (self, "loading");

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->environment = g_strdup (fw_environment_get_name (parsed));
  lookup->client_id = g_strdup (client_id);

  self->cancellable = g_cancellable_new ();
  fw_connection_new_for_account_async (lookup->environment, lookup->client_id,
                                       g_settings_get_uint (self->settings, "max-events"),
                                       self->cancellable, account_opened_cb, lookup);
}

/* ---- Sign out ---- */

static void
credentials_cleared_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(FwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_clear_finish (result, &error))
    {
      g_autofree char *title = NULL;

      title = g_strdup_printf (_("The secret could not be removed from the keyring: %s"), error->message);
      show_toast (self, title);
      return;
    }
  show_toast (self, _("Signed out; the secret was removed from the keyring"));
}

static void
sign_out_cb (FwWindow *self)
{
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;

  if (self->connection == NULL || fw_connection_is_demo (self->connection))
    return;

  environment = g_strdup (fw_environment_get_name (fw_connection_get_environment (self->connection)));
  client_id = g_strdup (fw_connection_get_client_id (self->connection));

  if (self->persist_topics)
    g_settings_reset (self->settings, "client-id");

  fw_window_set_connection (self, NULL);
  fw_credentials_clear_async (environment, client_id, NULL, credentials_cleared_cb, g_object_ref (self));
}

static void
change_account_cb (FwWindow *self)
{
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;

  if (self->connection != NULL && !fw_connection_is_demo (self->connection))
    {
      environment = g_strdup (fw_environment_get_name (fw_connection_get_environment (self->connection)));
      client_id = g_strdup (fw_connection_get_client_id (self->connection));
    }
  fw_window_show_sign_in (self, environment, client_id, NULL);
}

void
fw_window_present_preferences (FwWindow *self)
{
  FwPreferencesWindow *preferences;

  g_return_if_fail (FW_IS_WINDOW (self));

  preferences = fw_preferences_window_new (self->settings, self->connection);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  g_signal_connect_object (preferences, "change-account", G_CALLBACK (change_account_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (preferences, "sign-out", G_CALLBACK (sign_out_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* ---- Export ---- */

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, GPOINTER_TO_SIZE (g_task_get_task_data (task)));
}

void
fw_window_export_async (FwWindow            *self,
                        GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) lines = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GListModel *events;
  gsize n_written = 0;
  guint n;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_window_export_async);

  /* The list as shown, filtered here rather than read from the filter
   * model: a search may still be on its way through the list there. */
  events = self->pausable ? G_LIST_MODEL (self->pausable) : NULL;
  n = events ? g_list_model_get_n_items (events) : 0;
  lines = g_string_new (NULL);

  /* Oldest first, as they happened. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (events, i - 1);
      const char *raw;
      gsize length;
      gsize start;

      if (!FW_IS_NOTIFICATION (item) || !gtk_filter_match (GTK_FILTER (self->filter), item))
        continue;

      raw = fw_notification_get_raw (FW_NOTIFICATION (item), &length);
      start = lines->len;
      g_string_append_len (lines, raw, length);
      /* Line breaks in a JSON frame can only be whitespace between tokens:
       * a space keeps the frame's meaning and the format's one line. */
      for (gsize j = start; j < lines->len; j++)
        {
          if (lines->str[j] == '\n' || lines->str[j] == '\r')
            lines->str[j] = ' ';
        }
      g_string_append_c (lines, '\n');
      n_written++;
    }

  g_task_set_task_data (task, GSIZE_TO_POINTER (n_written), NULL);
  bytes = g_string_free_to_bytes (g_steal_pointer (&lines));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb, g_steal_pointer (&task));
}

gssize
fw_window_export_finish (FwWindow      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;
  FwWindow *self = FW_WINDOW (object);
  gssize n;

  n = fw_window_export_finish (self, result, &error);
  if (n < 0)
    title = g_strdup_printf (_("The events could not be exported: %s"), error->message);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u event to %s",
                                          "Exported %u events to %s", (gulong) n),
                             (guint) n, name);
  show_toast (self, title);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    FwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        fw_window_export_async (self, file, NULL, export_done_cb, g_object_ref (file));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "floorwatch-%Y-%m-%d-%H%M%S.jsonl");
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Events"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_mime_type (filter, "application/jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);

  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- Actions ---- */

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;
  const char *message = NULL;

  if (self->connection != NULL && !fw_connection_is_demo (self->connection))
    {
      FwSession *session = fw_connection_get_session (self->connection);

      environment = g_strdup (fw_environment_get_name (fw_connection_get_environment (self->connection)));
      client_id = g_strdup (fw_connection_get_client_id (self->connection));
      if (fw_session_get_state (session) == FW_SESSION_STATE_AUTH_FAILED)
        message = _("Genesys Cloud rejected this client id and secret. Enter them again.");
    }
  else
    {
      environment = g_settings_get_string (self->settings, "environment");
      client_id = g_settings_get_string (self->settings, "client-id");
    }

  fw_window_show_sign_in (self, environment, client_id, message);
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fw_window_start_demo (FW_WINDOW (widget));
}

static void
watch_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  if (self->connection != NULL)
    fw_window_open_topic_picker (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
jump_to_newest_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  fw_window_set_paused (self, FALSE);
  set_following (self, TRUE);
  scroll_to_newest (self);
}

static void
reconnect_now_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwSession *session;

  if (self->connection == NULL)
    return;

  session = fw_connection_get_session (self->connection);
  if (fw_session_get_state (session) == FW_SESSION_STATE_FAILED)
    {
      /* A failed session does not retry by itself: start it again. */
      fw_session_stop (session);
      fw_session_start (session);
    }
  else
    fw_session_reconnect_now (session);
}

/* ---- GObject ---- */

FwWindow *
fw_window_new (GtkApplication *application)
{
  return g_object_new (FW_TYPE_WINDOW, "application", application, NULL);
}

FwStatusPill *
fw_window_get_status_pill (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->status_pill;
}

FwSignInPage *
fw_window_get_sign_in_page (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->sign_in_page;
}

GListModel *
fw_window_get_events (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

GtkListView *
fw_window_get_list_view (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->event_list;
}

FwEventFilter *
fw_window_get_filter (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->filter;
}

FwEventDetail *
fw_window_get_event_detail (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->event_detail;
}

static void
save_window_state (FwWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
fw_window_close_request (GtkWindow *window)
{
  FwWindow *self = FW_WINDOW (window);

  save_window_state (self);

  return GTK_WINDOW_CLASS (fw_window_parent_class)->close_request (window);
}

static void
fw_window_realize (GtkWidget *widget)
{
  FwWindow *self = FW_WINDOW (widget);

  GTK_WIDGET_CLASS (fw_window_parent_class)->realize (widget);

  self->layout_handler = g_signal_connect_object (gtk_widget_get_frame_clock (widget), "layout",
                                                  G_CALLBACK (after_layout_cb), self,
                                                  G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
fw_window_unrealize (GtkWidget *widget)
{
  FwWindow *self = FW_WINDOW (widget);

  g_clear_signal_handler (&self->layout_handler, gtk_widget_get_frame_clock (widget));

  GTK_WIDGET_CLASS (fw_window_parent_class)->unrealize (widget);
}

static void
fw_window_dispose (GObject *object)
{
  FwWindow *self = (FwWindow *)object;

  disconnect_connection (self);
  g_clear_handle_id (&self->rejected_source, g_source_remove);
  g_clear_handle_id (&self->scroll_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_WINDOW);

  G_OBJECT_CLASS (fw_window_parent_class)->dispose (object);
}

static void
fw_window_finalize (GObject *object)
{
  FwWindow *self = (FwWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->filter);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->store_signals);
  g_clear_pointer (&self->rejected, g_ptr_array_unref);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (fw_window_parent_class)->finalize (object);
}

static void
fw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FwWindow *self = FW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FwWindow *self = FW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      fw_window_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_window_class_init (FwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fw_window_dispose;
  object_class->finalize = fw_window_finalize;
  object_class->get_property = fw_window_get_property;
  object_class->set_property = fw_window_set_property;

  widget_class->realize = fw_window_realize;
  widget_class->unrealize = fw_window_unrealize;

  window_class->close_request = fw_window_close_request;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The board view and the alerts follow it. */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, FW_TYPE_CONNECTION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FW_TYPE_BOARD_VIEW);
  g_type_ensure (FW_TYPE_EVENT_DETAIL);
  g_type_ensure (FW_TYPE_SIGN_IN_PAGE);
  g_type_ensure (FW_TYPE_STATUS_PILL);
  g_type_ensure (FW_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, status_pill);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, pause_overlay);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, watch_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, jump_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, event_detail);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cancelled_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, event_copied_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.watch", NULL, watch_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.jump-to-newest", NULL, jump_to_newest_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect-now", NULL, reconnect_now_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.watch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, "win.jump-to-newest", NULL);
}

static void
fw_window_init (FwWindow *self)
{
  GtkAdjustment *vadjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  self->filter = fw_event_filter_new ();
  self->rejected = g_ptr_array_new_with_free_func (g_free);
  self->following = TRUE;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->event_list));

  vadjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (vadjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "state", self->status_pill, "state", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "n-channels", self->status_pill, "n-channels",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "next-attempt-time", self->status_pill, "next-attempt-time",
                        G_BINDING_SYNC_CREATE);

  self->session_signals = g_signal_group_new (FW_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "gap", G_CALLBACK (gap_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "topic-rejected", G_CALLBACK (topic_rejected_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "warning", G_CALLBACK (warning_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (session_state_cb), self);

  self->store_signals = g_signal_group_new (FW_TYPE_EVENT_STORE);
  g_signal_group_connect_swapped (self->store_signals, "items-changed", G_CALLBACK (store_items_changed_cb),
                                  self);

  show_page (self, "welcome");
}
