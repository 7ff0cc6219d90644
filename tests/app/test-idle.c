/* test-idle.c — an open window on a quiet feed costs next to nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With nothing happening but heartbeats, the process must not poll: no
 * timers that tick while nothing changes.  The main loop's wake-ups are
 * counted through its poll function, and the CPU time is read from the
 * kernel.
 */

#include "config.h"

#include <sys/resource.h>

#include "fw-app-test-util.h"

#define QUIET_SECONDS 6

static FwApplication *application;
static GPollFunc real_poll;
static guint n_polls;

static int
counting_poll (GPollFD *fds,
               guint    n_fds,
               int      timeout)
{
  n_polls++;
  return real_poll (fds, n_fds, timeout);
}

static gint64
cpu_time_us (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_quiet_feed (void)
{
  static const char * const topics[] = {
    "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations",
    "v2.analytics.queues." FW_SIM_QUEUE_SUPPORT ".observations",
    "v2.users." FW_SIM_USER_ANA ".presence",
    NULL
  };
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autoptr(FwEnvironment) environment = fw_test_environment_new (sim);
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  FwWindow *window;
  FwStatusPill *pill;
  gint64 cpu_start, cpu_used, wall_start, wall_used;
  guint64 appended;
  guint polls;

  /* Heartbeats every second: the quiet feed at its busiest. */
  g_object_set (sim, "heartbeat-interval", 1000, NULL);

  window = fw_app_test_window_new (application, 1100, 720);
  tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);
  connection = fw_connection_new (tokens, 50000);
  fw_window_set_connection (window, connection);
  fw_window_set_topics (window, topics);

  pill = fw_window_get_status_pill (window);
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"), 15000);

  /* A few events, so that the list has rows, then quiet. */
  fw_sim_server_step (sim);
  fw_sim_server_step (sim);
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (fw_connection_get_event_store (connection)) > 0,
                      10000);
  fw_test_run_for (1500);
  fw_app_test_wait_for_draw (GTK_WIDGET (window));
  appended = fw_event_store_get_total_appended (fw_connection_get_event_store (connection));

  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, counting_poll);
  n_polls = 0;
  cpu_start = cpu_time_us ();
  wall_start = g_get_monotonic_time ();

  g_timeout_add_seconds (QUIET_SECONDS, quit_cb, loop);
  g_main_loop_run (loop);

  polls = n_polls;
  cpu_used = cpu_time_us () - cpu_start;
  wall_used = g_get_monotonic_time () - wall_start;
  g_main_context_set_poll_func (NULL, real_poll);

  g_test_message ("%u wake-ups and %.1f ms of CPU time in %.1f s (%.2f %%)",
                  polls, cpu_used / 1000.0, wall_used / 1e6, 100.0 * cpu_used / wall_used);

  /* Nothing but heartbeats came. */
  g_assert_cmpuint (fw_event_store_get_total_appended (fw_connection_get_event_store (connection)), ==,
                    appended);
  g_assert_true (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"));

  /* Each heartbeat wakes the simulator's side and the client's side once
   * or twice; anything ticking on its own would add tens a second. */
  g_assert_cmpuint (polls, <=, QUIET_SECONDS * 8);
  /* Well under 0.5 % of a core; the bound leaves room for a loaded machine. */
  g_assert_cmpint (cpu_used, <, wall_used / 50);

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

  g_test_add_func ("/app/idle/quiet-feed", test_quiet_feed);

  ret = g_test_run ();
  g_object_unref (application);
  return ret;
}
