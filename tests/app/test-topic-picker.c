/* test-topic-picker.c — what is picked is what the simulator sees subscribed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fw-app-test-util.h"

static FwApplication *application;

typedef struct
{
  FwSimServer *sim;
  FwWindow    *window;
  GSettings   *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(SoupSession) soup = soup_session_new ();

  fixture->sim = fw_test_sim_new ();
  environment = fw_test_environment_new (fixture->sim);

  /* The account the settings keep: what is picked is remembered. */
  fixture->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  g_settings_set_string (fixture->settings, "environment", fw_environment_get_name (environment));
  g_settings_set_string (fixture->settings, "client-id", FW_SIM_DEFAULT_CLIENT_ID);
  g_settings_reset (fixture->settings, "topics");

  fixture->window = fw_app_test_window_new (application, 1100, 720);
  tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);
  connection = fw_connection_new (tokens, 50000);
  fw_window_set_connection (fixture->window, connection);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "empty");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fw_test_run_for (100);
  g_settings_reset (fixture->settings, "environment");
  g_settings_reset (fixture->settings, "client-id");
  g_settings_reset (fixture->settings, "topics");
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->sim);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Every topic the simulator's channels subscribe, sorted. */
static GStrv
subscribed (FwSimServer *sim)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) channels = fw_sim_server_dup_channel_ids (sim);

  for (guint i = 0; channels != NULL && channels[i] != NULL; i++)
    {
      g_auto(GStrv) topics = fw_sim_server_dup_subscriptions (sim, channels[i]);

      for (guint j = 0; topics != NULL && topics[j] != NULL; j++)
        g_ptr_array_add (all, g_strdup (topics[j]));
    }
  g_ptr_array_sort (all, compare_strings);
  g_ptr_array_add (all, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&all), FALSE);
}

static gboolean
strv_equal (GStrv               a,
            const char * const *b)
{
  return g_strv_equal ((const char * const *) a, b);
}

static gboolean
subscriptions_are (FwSimServer        *sim,
                   const char * const *expected)
{
  g_auto(GStrv) now = subscribed (sim);

  return strv_equal (now, expected);
}

static AdwExpanderRow *
find_row (FwTopicPicker *picker,
          const char    *title)
{
  GtkWidget *row = fw_app_test_find_by_text (GTK_WIDGET (picker), ADW_TYPE_EXPANDER_ROW, title);

  return row ? ADW_EXPANDER_ROW (row) : NULL;
}

static GtkCheckButton *
find_aspect (AdwExpanderRow *row,
             const char     *title)
{
  GtkWidget *aspect = fw_app_test_find_by_text (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, title);
  GtkWidget *check;

  g_assert_nonnull (aspect);
  check = fw_app_test_find_by_text (aspect, GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (check);
  return GTK_CHECK_BUTTON (check);
}

static void
test_pick (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const expected[] = {
    "v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations",
    "v2.routing.queues." FW_SIM_QUEUE_SALES ".conversations",
    "v2.routing.queues." FW_SIM_QUEUE_SALES ".users",
    "v2.users." FW_SIM_USER_ANA ".presence",
    "v2.users." FW_SIM_USER_ANA ".routingStatus",
    NULL
  };
  FwTopicPicker *picker;
  AdwExpanderRow *sales;
  AdwExpanderRow *ana;
  GtkWidget *search;
  GtkWidget *watch;
  g_auto(GStrv) chosen = NULL;
  g_auto(GStrv) kept = NULL;

  picker = fw_window_open_topic_picker (fixture->window);
  FW_TEST_WAIT_UNTIL (!fw_topic_picker_get_loading (picker), 15000);

  /* Queues and agents by name, from the simulator. */
  sales = find_row (picker, "Sales");
  ana = find_row (picker, "Ana Silva");
  g_assert_nonnull (sales);
  g_assert_nonnull (ana);
  g_assert_nonnull (find_row (picker, "Support"));

  /* Watching a queue follows its conversations and figures; members too
   * when asked. */
  adw_expander_row_set_enable_expansion (sales, TRUE);
  adw_expander_row_set_expanded (sales, TRUE);
  g_assert_true (gtk_check_button_get_active (find_aspect (sales, "Conversations")));
  g_assert_true (gtk_check_button_get_active (find_aspect (sales, "Queue figures")));
  g_assert_false (gtk_check_button_get_active (find_aspect (sales, "Members")));
  gtk_check_button_set_active (find_aspect (sales, "Members"), TRUE);

  /* An agent: presence and routing status. */
  adw_expander_row_set_enable_expansion (ana, TRUE);
  fw_app_test_screenshot (GTK_WIDGET (picker), "topic-picker");

  /* Searching narrows the list and forgets nothing. */
  search = fw_app_test_find_by_id (GTK_WIDGET (picker), "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (search), "supp");
  FW_TEST_WAIT_UNTIL (find_row (picker, "Sales") == NULL && !fw_topic_picker_get_loading (picker), 15000);
  g_assert_nonnull (find_row (picker, "Support"));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  FW_TEST_WAIT_UNTIL (find_row (picker, "Sales") != NULL && !fw_topic_picker_get_loading (picker), 15000);
  g_assert_true (adw_expander_row_get_enable_expansion (find_row (picker, "Sales")));

  chosen = fw_topic_picker_dup_topics (picker);
  g_assert_true (strv_equal (chosen, expected));

  watch = fw_app_test_find_by_id (GTK_WIDGET (picker), "watch_button");
  g_signal_emit_by_name (watch, "clicked");

  /* The simulator subscribes exactly what was picked. */
  FW_TEST_WAIT_UNTIL (subscriptions_are (fixture->sim, expected), 15000);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "events");

  /* And the choice is remembered. */
  kept = g_settings_get_strv (fixture->settings, "topics");
  g_assert_true (strv_equal (kept, expected));
}

static void
test_other_topic (Fixture       *fixture,
                  gconstpointer  data)
{
  FwTopicPicker *picker;
  GtkWidget *entry;
  g_auto(GStrv) chosen = NULL;

  picker = fw_window_open_topic_picker (fixture->window);
  FW_TEST_WAIT_UNTIL (!fw_topic_picker_get_loading (picker), 15000);

  /* The catalogue, with descriptions. */
  g_assert_nonnull (fw_app_test_find_by_text (GTK_WIDGET (picker), ADW_TYPE_ACTION_ROW,
                                              "v2.detail.events.conversation.{id}.acd.start"));

  entry = fw_app_test_find_by_id (GTK_WIDGET (picker), "topic_entry");

  /* A template with its {id} still in it is refused. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "v2.users.{id}.presence");
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "v2.detail.events.conversation.c0ffee.acd.start");
  g_signal_emit_by_name (entry, "apply");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* A queue's topic typed by hand joins that queue's choice. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".users");
  g_signal_emit_by_name (entry, "apply");

  chosen = fw_topic_picker_dup_topics (picker);
  {
    static const char * const expected[] = {
      "v2.detail.events.conversation.c0ffee.acd.start",
      "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".users",
      NULL
    };

    g_assert_true (strv_equal (chosen, expected));
  }
  g_assert_true (adw_expander_row_get_enable_expansion (find_row (picker, "Support")));
  gtk_window_destroy (GTK_WINDOW (picker));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add ("/app/topic-picker/pick", Fixture, NULL, fixture_set_up, test_pick, fixture_tear_down);
  g_test_add ("/app/topic-picker/other-topic", Fixture, NULL, fixture_set_up, test_other_topic,
              fixture_tear_down);

  ret = g_test_run ();
  g_object_unref (application);
  return ret;
}
