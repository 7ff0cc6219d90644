/* test-screenshots.c — the pictures of the app in its AppStream metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders the demo as a new user sees it, at the size the metadata states,
 * into <builddir>/screenshots/metainfo-*.png.  Each picture also checks
 * that what it shows is there.  To refresh data/screenshots/, copy them.
 */

#include "config.h"

#include "fw-app-test-util.h"

/* The metadata's 1100 × 720, and the 5 px the window's frame takes on each
 * side when no compositor draws shadows. */
#define WIDTH  1110
#define HEIGHT 730

static FwApplication *application;

static guint
n_notifications (GListModel *model)
{
  return g_list_model_get_n_items (model) - fw_app_test_count_gaps (model);
}

static gboolean
pill_says (FwWindow   *window,
           const char *prefix)
{
  return g_str_has_prefix (fw_status_pill_get_text (fw_window_get_status_pill (window)), prefix);
}

static void
test_events (void)
{
  FwWindow *window = fw_app_test_window_new (application, WIDTH, HEIGHT);
  FwConnection *connection;
  GListModel *events;
  guint n_before_gap;

  fw_window_start_demo (window);
  connection = fw_window_get_connection (window);
  FW_TEST_WAIT_UNTIL (g_strcmp0 (fw_window_get_page (window), "events") == 0, 10000);
  events = fw_window_get_events (window);
  FW_TEST_WAIT_UNTIL (n_notifications (events) >= 12, 20000);

  /* A short outage, so that the picture shows how a gap looks. */
  fw_sim_server_drop_sockets (fw_connection_get_sim_server (connection));
  FW_TEST_WAIT_UNTIL (fw_app_test_count_gaps (events) == 1, 30000);
  FW_TEST_WAIT_UNTIL (pill_says (window, "Live"), 30000);
  n_before_gap = n_notifications (events);
  FW_TEST_WAIT_UNTIL (n_notifications (events) >= n_before_gap + 6, 20000);

  /* An event in full. */
  fw_window_select (window, 1);
  g_assert_nonnull (fw_event_detail_get_item (fw_window_get_event_detail (window)));
  fw_app_test_screenshot (GTK_WIDGET (window), "metainfo-events");

  gtk_window_destroy (GTK_WINDOW (window));
  fw_test_run_for (100);
}

static void
test_setup (void)
{
  FwWindow *window = fw_app_test_window_new (application, WIDTH, HEIGHT);
  GtkWidget *client_id;

  fw_window_show_sign_in (window, "mypurecloud.ie", NULL, NULL);
  client_id = fw_app_test_find_by_id (GTK_WIDGET (window), "client_id_row");
  gtk_editable_set_text (GTK_EDITABLE (client_id), "8c2f7e1a-5b3d-4e9f-a6c0-1d2e3f4a5b6c");
  g_assert_cmpstr (fw_sign_in_page_get_environment (fw_window_get_sign_in_page (window)), ==,
                   "mypurecloud.ie");
  fw_app_test_screenshot (GTK_WIDGET (window), "metainfo-setup");

  gtk_window_destroy (GTK_WINDOW (window));
  fw_test_run_for (100);
}

static void
test_picker (void)
{
  FwWindow *window = fw_app_test_window_new (application, WIDTH, HEIGHT);
  FwTopicPicker *picker;
  GtkWidget *support;

  fw_window_start_demo (window);
  FW_TEST_WAIT_UNTIL (g_strcmp0 (fw_window_get_page (window), "events") == 0, 10000);
  picker = fw_window_open_topic_picker (window);
  FW_TEST_WAIT_UNTIL (!fw_topic_picker_get_loading (picker), 15000);

  support = fw_app_test_find_by_text (GTK_WIDGET (picker), ADW_TYPE_EXPANDER_ROW, "Support");
  g_assert_nonnull (support);
  g_assert_true (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (support)));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (support), TRUE);
  fw_app_test_screenshot (GTK_WIDGET (picker), "metainfo-picker");

  gtk_window_destroy (GTK_WINDOW (picker));
  gtk_window_destroy (GTK_WINDOW (window));
  fw_test_run_for (100);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add_func ("/app/screenshots/events", test_events);
  g_test_add_func ("/app/screenshots/setup", test_setup);
  g_test_add_func ("/app/screenshots/picker", test_picker);

  ret = g_test_run ();
  g_object_unref (application);
  return ret;
}
