/* test-window.c — the window against the demo's simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test drives a real FwWindow through the real engine against the
 * simulator the demo starts in this process.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fw-app-test-util.h"
#include "fw-event-row.h"
#include "fw-test-network-monitor.h"

static FwApplication *application;

typedef struct
{
  FwWindow     *window;
  FwConnection *connection;
  FwSimServer  *sim;
} Fixture;

static gboolean
page_is (FwWindow   *window,
         const char *name)
{
  return g_strcmp0 (fw_window_get_page (window), name) == 0;
}

static gboolean
pill_says (FwWindow   *window,
           const char *prefix)
{
  return g_str_has_prefix (fw_status_pill_get_text (fw_window_get_status_pill (window)), prefix);
}

static guint
n_events (FwWindow *window)
{
  GListModel *events = fw_window_get_events (window);

  return events != NULL ? g_list_model_get_n_items (events) : 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = fw_app_test_window_new (application, 1280, 800);
  fw_window_start_demo (fixture->window);

  fixture->connection = fw_window_get_connection (fixture->window);
  g_assert_nonnull (fixture->connection);
  g_assert_true (fw_connection_is_demo (fixture->connection));
  fixture->sim = fw_connection_get_sim_server (fixture->connection);
  g_assert_nonnull (fixture->sim);

  /* The demo shows live rows within seconds. */
  FW_TEST_WAIT_UNTIL (page_is (fixture->window, "events"), 10000);
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "Live"), 10000);
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) >= 10, 15000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fw_test_run_for (100);
}

/* The rows the list has built and filled, as their text. */
static GPtrArray *
visible_row_texts (FwWindow *window)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *list = GTK_WIDGET (fw_window_get_list_view (window));

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (FW_IS_EVENT_ROW (row) && gtk_widget_get_mapped (row) && fw_event_row_get_item (FW_EVENT_ROW (row)))
        g_ptr_array_add (texts, fw_event_row_dup_text (FW_EVENT_ROW (row)));
    }
  return texts;
}

static gboolean
rows_mention (FwWindow   *window,
              const char *text)
{
  g_autoptr(GPtrArray) texts = visible_row_texts (window);

  for (guint i = 0; i < texts->len; i++)
    {
      if (strstr (g_ptr_array_index (texts, i), text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_demo_live (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *path = NULL;

  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  texts = visible_row_texts (fixture->window);
  g_assert_cmpuint (texts->len, >, 5);

  /* Rows name the simulator's queues, not their ids. */
  FW_TEST_WAIT_UNTIL (rows_mention (fixture->window, "Support") || rows_mention (fixture->window, "Sales"),
                      10000);

  /* Newest first. */
  {
    GListModel *events = fw_window_get_events (fixture->window);
    g_autoptr(GObject) first = g_list_model_get_item (events, 0);
    g_autoptr(GObject) last = g_list_model_get_item (events, g_list_model_get_n_items (events) - 1);

    g_assert_true (FW_IS_NOTIFICATION (first) && FW_IS_NOTIFICATION (last));
    g_assert_cmpint (fw_notification_get_received_time (FW_NOTIFICATION (first)), >=,
                     fw_notification_get_received_time (FW_NOTIFICATION (last)));
  }

  path = fw_app_test_screenshot (GTK_WIDGET (fixture->window), "demo");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_detail (Fixture       *fixture,
             gconstpointer  data)
{
  FwEventDetail *detail = fw_window_get_event_detail (fixture->window);
  GListModel *events = fw_window_get_events (fixture->window);
  g_autoptr(GObject) item = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *path = NULL;

  fw_window_set_paused (fixture->window, TRUE);
  fw_window_select (fixture->window, 0);
  item = g_list_model_get_item (events, 0);
  g_assert_true (fw_event_detail_get_item (detail) == item);

  /* The whole notification, pretty-printed. */
  expected = fw_notification_dup_pretty (FW_NOTIFICATION (item));
  shown = fw_event_detail_dup_text (detail);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_true (strstr (shown, "\n  \"topicName\"") != NULL);

  /* Copy puts it on the clipboard. */
  gtk_widget_activate_action (GTK_WIDGET (detail), "event-detail.copy", NULL);
  g_assert_cmpstr (fw_window_get_last_toast (fixture->window), ==, "Notification copied");
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (detail));
    GValue text = G_VALUE_INIT;

    g_assert_true (gdk_clipboard_is_local (clipboard));
    g_value_init (&text, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &text, NULL));
    g_assert_cmpstr (g_value_get_string (&text), ==, expected);
    g_value_unset (&text);
  }

  path = fw_app_test_screenshot (GTK_WIDGET (fixture->window), "demo-detail");
}

static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  guint64 n_paused;
  guint n_before;
  g_autoptr(GObject) newest = NULL;

  fw_window_set_paused (fixture->window, TRUE);
  g_assert_true (pill_says (fixture->window, "Paused"));
  n_paused = n_events (fixture->window);
  newest = g_list_model_get_item (fw_window_get_events (fixture->window), 0);

  /* New events keep being collected and counted, the list holds still. */
  FW_TEST_WAIT_UNTIL (fw_window_get_n_new (fixture->window) >= 5, 15000);
  g_assert_cmpuint (n_events (fixture->window), ==, n_paused);
  {
    GtkWidget *badge = fw_app_test_find_by_id (GTK_WIDGET (fixture->window), "badge_label");
    guint64 shown;

    /* The badge counts them (up to "999+"). */
    FW_TEST_WAIT_UNTIL (g_ascii_string_to_unsigned (gtk_label_get_label (GTK_LABEL (badge)), 10, 0, G_MAXUINT64,
                                                    &shown, NULL) && shown >= 5, 5000);
    g_assert_true (gtk_widget_get_visible (badge));
  }
  {
    g_autoptr(GObject) still = g_list_model_get_item (fw_window_get_events (fixture->window), 0);

    g_assert_true (still == newest);
  }
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "demo-paused");

  /* Resuming shows them, newest first. */
  n_before = n_events (fixture->window);
  fw_window_set_paused (fixture->window, FALSE);
  g_assert_cmpuint (fw_window_get_n_new (fixture->window), ==, 0);
  g_assert_cmpuint (n_events (fixture->window), >, n_before);
  g_assert_true (pill_says (fixture->window, "Live"));
  g_assert_true (fw_window_get_following (fixture->window));
}

static gboolean
filter_settled (FwWindow *window)
{
  return gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (fw_window_get_events (window))) == 0;
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  FwEventFilter *filter = fw_window_get_filter (fixture->window);
  GListModel *events = fw_window_get_events (fixture->window);
  guint n_all;

  fw_window_set_paused (fixture->window, TRUE);
  n_all = n_events (fixture->window);

  /* Agents only. */
  fw_event_filter_set_kind (filter, FW_EVENT_FILTER_KIND_AGENTS);
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);
  g_assert_cmpuint (n_events (fixture->window), >, 0);
  g_assert_cmpuint (n_events (fixture->window), <, n_all);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (events, i);

      if (FW_IS_NOTIFICATION (item))
        g_assert_true (g_str_has_prefix (fw_notification_get_topic (FW_NOTIFICATION (item)), "v2.users."));
    }

  /* A queue by name: its topics carry its id, not its name. */
  fw_event_filter_set_kind (filter, FW_EVENT_FILTER_KIND_ALL);
  fw_event_filter_set_search (filter, "support");
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);
  g_assert_cmpuint (n_events (fixture->window), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (events, i);
      const char *topic;

      if (!FW_IS_NOTIFICATION (item))
        continue;
      topic = fw_notification_get_topic (FW_NOTIFICATION (item));
      if (strstr (topic, FW_SIM_QUEUE_SUPPORT) == NULL)
        {
          g_autoptr(JsonNode) body = fw_notification_dup_body (FW_NOTIFICATION (item));
          g_autofree char *sentence = NULL;
          g_autofree char *folded = NULL;

          sentence = fw_describe_sentence (topic, body, fw_notification_get_received_time (FW_NOTIFICATION (item)),
                                           fw_directory_name_func,
                                           fw_connection_get_directory (fixture->connection));
          folded = g_utf8_casefold (sentence, -1);
          g_assert_true (strstr (folded, "support") != NULL);
        }
    }
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "demo-search");

  /* Nothing matches: the list says so. */
  fw_event_filter_set_search (filter, "no such thing anywhere");
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);
  g_assert_cmpuint (n_events (fixture->window), ==, 0);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gssize *written = user_data;
  g_autoptr(GError) error = NULL;

  *written = fw_window_export_finish (FW_WINDOW (object), result, &error);
  g_assert_no_error (error);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("floorwatch-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "events.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GListModel *events;
  gssize written = -2;
  guint n_notifications = 0;
  guint line = 0;

  /* What is filtered: agents only, exported at once, whether or not the
   * filter has been through the whole list yet. */
  fw_window_set_paused (fixture->window, TRUE);
  fw_event_filter_set_kind (fw_window_get_filter (fixture->window), FW_EVENT_FILTER_KIND_AGENTS);
  events = fw_window_get_events (fixture->window);

  fw_window_export_async (fixture->window, file, NULL, export_done_cb, &written);
  FW_TEST_WAIT_UNTIL (written != -2, 10000);
  /* The file and the list, once it has been filtered through, agree. */
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  /* Oldest first, one raw frame per line. */
  for (guint i = g_list_model_get_n_items (events); i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (events, i - 1);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      if (!FW_IS_NOTIFICATION (item))
        continue;
      n_notifications++;
      g_assert_nonnull (lines[line]);
      node = json_from_string (lines[line], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "topicName"), ==,
                       fw_notification_get_topic (FW_NOTIFICATION (item)));
      line++;
    }
  g_assert_cmpuint (n_notifications, >, 0);
  g_assert_cmpint (written, ==, n_notifications);
  g_assert_cmpstr (lines[line], ==, "");
  g_assert_null (lines[line + 1]);

  g_unlink (path);
  g_rmdir (dir);
}

static void
pill_text_cb (FwStatusPill *pill,
              GParamSpec   *pspec,
              gboolean     *saw_reconnecting)
{
  if (g_str_has_prefix (fw_status_pill_get_text (pill), "Reconnecting"))
    *saw_reconnecting = TRUE;
}

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  FwStatusPill *pill = fw_window_get_status_pill (fixture->window);
  FwSession *session = fw_connection_get_session (fixture->connection);
  gboolean saw_reconnecting = FALSE;
  g_autofree char *toast = NULL;

  g_assert_cmpuint (fw_app_test_count_gaps (fw_window_get_events (fixture->window)), ==, 0);

  /* A wait the pill can count down. */
  g_object_set (session, "backoff-initial", 2000, "backoff-cap", 2000, NULL);
  g_signal_connect (pill, "notify::text", G_CALLBACK (pill_text_cb), &saw_reconnecting);

  fw_sim_server_drop_sockets (fixture->sim);

  FW_TEST_WAIT_UNTIL (saw_reconnecting, 15000);
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "reconnecting");

  /* Back: a gap row, Live again, and a toast that says what may be missing. */
  FW_TEST_WAIT_UNTIL (fw_app_test_count_gaps (fw_window_get_events (fixture->window)) == 1, 30000);
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "Live"), 30000);
  g_assert_true (g_str_has_prefix (fw_window_get_last_toast (fixture->window), "Back live — events between "));
  g_assert_true (g_str_has_suffix (fw_window_get_last_toast (fixture->window), " may be missing"));

  /* The gap row says so in words. */
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) > 3, 10000);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  {
    g_autoptr(GPtrArray) texts = visible_row_texts (fixture->window);
    gboolean found = FALSE;

    for (guint i = 0; i < texts->len; i++)
      {
        const char *text = g_ptr_array_index (texts, i);

        if (g_str_has_prefix (text, "Disconnected ") &&
            g_str_has_suffix (text, " — events in this window may be missing"))
          found = TRUE;
      }
    g_assert_true (found);
  }
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "gap");

  g_signal_handlers_disconnect_by_func (pill, pill_text_cb, &saw_reconnecting);
}

/* Every button that shows only an icon has a name for assistive tools. */
static void
check_accessible_names (GtkWidget *root,
                        guint     *n_checked)
{
  if ((GTK_IS_BUTTON (root) || GTK_IS_MENU_BUTTON (root)) && gtk_widget_get_mapped (root))
    {
      gboolean icon_only;

      if (GTK_IS_MENU_BUTTON (root))
        icon_only = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (root)) != NULL;
      else
        icon_only = gtk_button_get_icon_name (GTK_BUTTON (root)) != NULL;

      if (icon_only)
        {
          if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
            g_error ("%s (%s) has no accessible name", G_OBJECT_TYPE_NAME (root),
                     gtk_widget_get_tooltip_text (root));
          (*n_checked)++;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, n_checked);
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  FwTopicPicker *picker;
  guint n_checked = 0;

  check_accessible_names (GTK_WIDGET (fixture->window), &n_checked);
  /* Add, search, pause and the main menu at least. */
  g_assert_cmpuint (n_checked, >=, 4);

  picker = fw_window_open_topic_picker (fixture->window);
  FW_TEST_WAIT_UNTIL (!fw_topic_picker_get_loading (picker), 15000);
  check_accessible_names (GTK_WIDGET (picker), &n_checked);
  gtk_window_destroy (GTK_WINDOW (picker));
}

static void
test_dark (Fixture       *fixture,
           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  FW_TEST_WAIT_UNTIL (adw_style_manager_get_dark (style), 5000);
  fw_window_select (fixture->window, 1);
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "demo-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_false (adw_style_manager_get_dark (style));
}


static void
test_switch_while_paused (Fixture       *fixture,
                          gconstpointer  data)
{
  fw_window_set_paused (fixture->window, TRUE);

  /* Another demo replaces the connection: the new list is live. */
  fw_window_start_demo (fixture->window);
  g_assert_false (fw_window_get_paused (fixture->window));
  g_assert_true (fw_window_get_connection (fixture->window) != fixture->connection);
  fixture->connection = fw_window_get_connection (fixture->window);
  fixture->sim = fw_connection_get_sim_server (fixture->connection);
  FW_TEST_WAIT_UNTIL (page_is (fixture->window, "events"), 10000);
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) > 0, 15000);
  g_assert_true (pill_says (fixture->window, "Live"));
}

static void
test_preferences_apply (Fixture       *fixture,
                        gconstpointer  data)
{
  FwSession *session = fw_connection_get_session (fixture->connection);
  GtkWindow *preferences;
  GtkWidget *heartbeat;
  GtkWidget *pong;
  guint value = 0;

  fw_window_present_preferences (fixture->window);
  preferences = fw_app_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  heartbeat = fw_app_test_find_by_id (GTK_WIDGET (preferences), "heartbeat_spin");
  pong = fw_app_test_find_by_id (GTK_WIDGET (preferences), "pong_spin");

  /* Seconds in the window, milliseconds in the engine, at once. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (heartbeat), 45);
  g_object_get (session, "heartbeat-timeout", &value, NULL);
  g_assert_cmpuint (value, ==, 45000);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (pong), 4);
  g_object_get (session, "pong-timeout", &value, NULL);
  g_assert_cmpuint (value, ==, 4000);

  gtk_window_destroy (preferences);
  {
    g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);

    g_settings_reset (settings, "heartbeat-timeout");
    g_settings_reset (settings, "pong-timeout");
  }
}

static GtkAdjustment *
list_adjustment (FwWindow *window)
{
  GtkWidget *scroller = fw_app_test_find_by_id (GTK_WIDGET (window), "list_scroller");

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static void
test_follow (Fixture       *fixture,
             gconstpointer  data)
{
  GtkAdjustment *adjustment = list_adjustment (fixture->window);
  GtkWidget *jump = fw_app_test_find_by_id (GTK_WIDGET (fixture->window), "jump_button");
  guint n_before;

  g_assert_true (fw_window_get_following (fixture->window));
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) > 80, 30000);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  FW_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 400,
                      10000);

  /* Following: new events keep the list at the top. */
  n_before = n_events (fixture->window);
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) > n_before + 5, 15000);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1.0);
  g_assert_false (gtk_widget_get_visible (jump));

  /* The user scrolls away to read: the list stops following... */
  gtk_adjustment_set_value (adjustment, 300);
  g_assert_false (fw_window_get_following (fixture->window));
  g_assert_true (gtk_widget_get_visible (jump));

  /* ...and new events do not pull it back to the top. */
  n_before = n_events (fixture->window);
  FW_TEST_WAIT_UNTIL (n_events (fixture->window) > n_before + 5, 15000);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >=, 300);
  g_assert_false (fw_window_get_following (fixture->window));
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "scrolled-away");

  /* Jump to newest follows again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.jump-to-newest", NULL);
  g_assert_true (fw_window_get_following (fixture->window));
  FW_TEST_WAIT_UNTIL ((fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window)),
                       gtk_adjustment_get_value (adjustment) < 1.0), 10000);
  g_assert_false (gtk_widget_get_visible (jump));
}

static void
test_no_network (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FwTestNetworkMonitor) monitor = fw_test_network_monitor_new ();
  FwSession *session = fw_connection_get_session (fixture->connection);

  g_object_set (session, "network-monitor", monitor, NULL);
  /* The network goes, and the sockets with it. */
  fw_test_network_monitor_set_available (monitor, FALSE);
  fw_sim_server_drop_sockets (fixture->sim);
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "No network"), 15000);
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "no-network");

  fw_test_network_monitor_set_available (monitor, TRUE);
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "Live"), 30000);
}

static void
test_pill (void)
{
  g_autoptr(FwStatusPill) pill = g_object_ref_sink (FW_STATUS_PILL (fw_status_pill_new ()));
  GtkWidget *reconnect = fw_app_test_find_by_id (GTK_WIDGET (pill), "reconnect_button");
  GtkWidget *fix = fw_app_test_find_by_id (GTK_WIDGET (pill), "fix_button");

  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Offline");

  fw_status_pill_set_n_channels (pill, 2);
  fw_status_pill_set_state (pill, FW_SESSION_STATE_LIVE);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Live · 2 channels");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pill), "live"));
  g_assert_false (gtk_widget_get_visible (reconnect));

  /* The countdown goes down a second at a time, and only then. */
  fw_status_pill_set_next_attempt_time (pill, g_get_real_time () + 2500 * 1000);
  fw_status_pill_set_state (pill, FW_SESSION_STATE_RECONNECTING);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Reconnecting in 3 s");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pill), "reconnecting"));
  g_assert_true (gtk_widget_get_visible (reconnect));
  FW_TEST_WAIT_UNTIL (g_str_equal (fw_status_pill_get_text (pill), "Reconnecting in 2 s"), 2000);
  FW_TEST_WAIT_UNTIL (g_str_equal (fw_status_pill_get_text (pill), "Reconnecting in 1 s"), 2000);
  FW_TEST_WAIT_UNTIL (g_str_equal (fw_status_pill_get_text (pill), "Reconnecting…"), 2000);

  fw_status_pill_set_state (pill, FW_SESSION_STATE_EVICTED);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Channels taken elsewhere");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pill), "reconnecting"));
  g_assert_true (gtk_widget_get_visible (reconnect));

  fw_status_pill_set_state (pill, FW_SESSION_STATE_NO_NETWORK);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "No network");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pill), "offline"));

  fw_status_pill_set_state (pill, FW_SESSION_STATE_AUTH_FAILED);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Credentials rejected");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pill), "error"));
  g_assert_true (gtk_widget_get_visible (fix));

  fw_status_pill_set_state (pill, FW_SESSION_STATE_LIVE);
  fw_status_pill_set_paused (pill, TRUE);
  g_assert_cmpstr (fw_status_pill_get_text (pill), ==, "Paused");
  g_assert_false (gtk_widget_get_visible (fix));
}

static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  FwEventStore *store = fw_connection_get_event_store (fixture->connection);
  const char * const *topics = fw_connection_get_topics (fixture->connection);
  guint64 appended = fw_event_store_get_total_appended (store);

  /* The setting reaches the store at once; the oldest go first. */
  g_settings_set_uint (settings, "max-events", 1000);
  g_assert_cmpuint (fw_event_store_get_max_items (store), ==, 1000);

  fw_sim_server_flood (fixture->sim, topics[0], 3000, 600);
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (store) >= appended + 3000, 30000);
  fw_event_store_flush (store);
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1000);
  g_assert_cmpuint (n_events (fixture->window), ==, 1000);

  g_settings_reset (settings, "max-events");
}

typedef struct
{
  guint in_view_unfilled;
  guint in_view_filled;
  guint out_of_view_unfilled;
} RowCount;

static RowCount
count_rows (FwWindow *window)
{
  GtkWidget *list = GTK_WIDGET (fw_window_get_list_view (window));
  RowCount count = { 0 };

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;
      gboolean in_view;

      if (!FW_IS_EVENT_ROW (row) || fw_event_row_get_item (FW_EVENT_ROW (row)) == NULL)
        continue;
      g_assert_true (gtk_widget_compute_bounds (child, list, &bounds));
      in_view = bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (list);

      if (!fw_event_row_get_needs_fill (FW_EVENT_ROW (row)))
        count.in_view_filled += in_view;
      else if (in_view)
        count.in_view_unfilled++;
      else
        count.out_of_view_unfilled++;
    }
  return count;
}

/* The list binds about 200 rows; only those in view are filled, and every
 * one in view is filled before it is drawn, wherever the list is scrolled. */
static void
test_rows_filled_in_view (Fixture       *fixture,
                          gconstpointer  data)
{
  FwEventStore *store = fw_connection_get_event_store (fixture->connection);
  const char * const *topics = fw_connection_get_topics (fixture->connection);
  GtkAdjustment *adjustment = list_adjustment (fixture->window);
  guint64 appended = fw_event_store_get_total_appended (store);
  RowCount count;

  fw_sim_server_flood (fixture->sim, topics[0], 500, 600);
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (store) >= appended + 500, 30000);
  fw_event_store_flush (store);
  FW_TEST_WAIT_UNTIL (filter_settled (fixture->window), 10000);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));

  count = count_rows (fixture->window);
  g_assert_cmpuint (count.in_view_unfilled, ==, 0);
  g_assert_cmpuint (count.in_view_filled, >=, 10);
  g_assert_cmpuint (count.out_of_view_unfilled, >, 50);

  /* Scrolled into the middle of the rows that were not filled. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_page_size (adjustment) * 2);
  fw_app_test_wait_for_draw (GTK_WIDGET (fixture->window));
  count = count_rows (fixture->window);
  g_assert_cmpuint (count.in_view_unfilled, ==, 0);
  g_assert_cmpuint (count.in_view_filled, >=, 10);
}

static void
test_reconnect_now (Fixture       *fixture,
                    gconstpointer  data)
{
  FwSession *session = fw_connection_get_session (fixture->connection);
  GtkWidget *button = fw_app_test_find_by_id (GTK_WIDGET (fw_window_get_status_pill (fixture->window)),
                                              "reconnect_button");

  /* A wait far longer than the test. */
  g_object_set (session, "backoff-initial", 120000, "backoff-cap", 120000, NULL);
  fw_sim_server_drop_sockets (fixture->sim);
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "Reconnecting in "), 15000);
  g_assert_true (gtk_widget_get_mapped (button));

  g_signal_emit_by_name (button, "clicked");
  FW_TEST_WAIT_UNTIL (pill_says (fixture->window, "Live"), 15000);
}

static void
test_about_and_shortcuts (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWindow *about;
  GtkWindow *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  about = fw_app_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  fw_app_test_screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);

  g_action_group_activate_action (G_ACTION_GROUP (application), "shortcuts", NULL);
  shortcuts = fw_app_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  fw_app_test_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_destroy (shortcuts);

  /* The keys the window promises. */
  {
    g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (application), "app.quit");
    g_auto(GStrv) preferences = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                                      "app.preferences");

    g_assert_cmpstr (quit[0], ==, "<Control>q");
    g_assert_cmpstr (preferences[0], ==, "<Control>comma");
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add ("/app/window/demo-live", Fixture, NULL, fixture_set_up, test_demo_live, fixture_tear_down);
  g_test_add ("/app/window/detail", Fixture, NULL, fixture_set_up, test_detail, fixture_tear_down);
  g_test_add ("/app/window/pause", Fixture, NULL, fixture_set_up, test_pause, fixture_tear_down);
  g_test_add ("/app/window/filter", Fixture, NULL, fixture_set_up, test_filter, fixture_tear_down);
  g_test_add ("/app/window/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/app/window/fault", Fixture, NULL, fixture_set_up, test_fault, fixture_tear_down);
  g_test_add ("/app/window/accessible", Fixture, NULL, fixture_set_up, test_accessible, fixture_tear_down);
  g_test_add ("/app/window/dark", Fixture, NULL, fixture_set_up, test_dark, fixture_tear_down);
  g_test_add ("/app/window/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
  g_test_add ("/app/window/no-network", Fixture, NULL, fixture_set_up, test_no_network, fixture_tear_down);
  g_test_add ("/app/window/switch-while-paused", Fixture, NULL, fixture_set_up, test_switch_while_paused,
              fixture_tear_down);
  g_test_add ("/app/window/preferences-apply", Fixture, NULL, fixture_set_up, test_preferences_apply,
              fixture_tear_down);
  g_test_add ("/app/window/bounded", Fixture, NULL, fixture_set_up, test_bounded, fixture_tear_down);
  g_test_add ("/app/window/rows-filled-in-view", Fixture, NULL, fixture_set_up, test_rows_filled_in_view,
              fixture_tear_down);
  g_test_add ("/app/window/reconnect-now", Fixture, NULL, fixture_set_up, test_reconnect_now, fixture_tear_down);
  g_test_add ("/app/window/about-and-shortcuts", Fixture, NULL, fixture_set_up, test_about_and_shortcuts,
              fixture_tear_down);
  g_test_add_func ("/app/window/status-pill", test_pill);

  ret = g_test_run ();
  g_object_unref (application);
  return ret;
}
