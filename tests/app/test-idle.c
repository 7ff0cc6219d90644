/* test-idle.c — an open window on a quiet feed costs next to nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With nothing happening but heartbeats, the process must not poll: no
 * timers that tick while nothing changes.  The main loop's wake-ups are
 * counted through its poll function: those that came from a socket (a
 * heartbeat, and the short hand-over timer each frame starts) apart from
 * those a timer brought on its own, with nothing arriving before it.  The
 * CPU time is read from the kernel.  The simulator runs in a child
 * process, so that its timers are not counted as the window's.
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fw-app-test-util.h"

#define QUIET_SECONDS 6

static FwApplication *application;
static char sim_url[256];
/* A timer that fires this soon after a socket woke the loop belongs to
 * what the socket brought. */
#define AFTER_SOCKET_US (50 * 1000)

static GPollFunc real_poll;
static guint n_polls;
static guint n_timer_wakeups;
static gint64 last_socket_wakeup;

static int
counting_poll (GPollFD *fds,
               guint    n_fds,
               int      timeout)
{
  int ready = real_poll (fds, n_fds, timeout);
  gint64 now = g_get_monotonic_time ();

  n_polls++;
  if (ready > 0)
    last_socket_wakeup = now;
  else if (ready == 0 && timeout != 0 && now - last_socket_wakeup > AFTER_SOCKET_US)
    n_timer_wakeups++;
  return ready;
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
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  FwWindow *window;
  FwStatusPill *pill;
  gint64 cpu_start, cpu_used, wall_start, wall_used;
  guint64 appended;
  guint polls, timer_wakeups;

  environment = fw_environment_new (sim_url, &error);
  g_assert_no_error (error);

  window = fw_app_test_window_new (application, 1100, 720);
  tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);
  connection = fw_connection_new (tokens, 50000);
  fw_window_set_connection (window, connection);
  fw_window_set_topics (window, topics);

  pill = fw_window_get_status_pill (window);
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"), 15000);

  /* A few events, so that the list has rows, then quiet. */
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (fw_connection_get_event_store (connection)) > 0,
                      10000);
  fw_test_run_for (1500);
  fw_app_test_wait_for_draw (GTK_WIDGET (window));
  appended = fw_event_store_get_total_appended (fw_connection_get_event_store (connection));

  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, counting_poll);
  n_polls = 0;
  n_timer_wakeups = 0;
  cpu_start = cpu_time_us ();
  wall_start = g_get_monotonic_time ();

  g_timeout_add_seconds (QUIET_SECONDS, quit_cb, loop);
  g_main_loop_run (loop);

  polls = n_polls;
  timer_wakeups = n_timer_wakeups;
  cpu_used = cpu_time_us () - cpu_start;
  wall_used = g_get_monotonic_time () - wall_start;
  g_main_context_set_poll_func (NULL, real_poll);

  g_test_message ("%u wake-ups (%u by timers of their own) and %.1f ms of CPU time in %.1f s (%.2f %%)",
                  polls, timer_wakeups, cpu_used / 1000.0, wall_used / 1e6, 100.0 * cpu_used / wall_used);

  /* Nothing but heartbeats came. */
  g_assert_cmpuint (fw_event_store_get_total_appended (fw_connection_get_event_store (connection)), ==,
                    appended);
  g_assert_true (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"));

  /* The only timer of its own is the test's, which ends the quiet time
   * (poll()'s millisecond rounding may take two polls to fire it);
   * anything of the window ticking by itself would add one a second or
   * more.  Sockets (heartbeats, D-Bus traffic of other programs) wake the
   * loop too, and the engine hands their frames over a millisecond later. */
  g_assert_cmpuint (timer_wakeups, <=, 3);
  /* About once a second: a heartbeat, and its hand-over. */
  g_assert_cmpuint (polls, <=, QUIET_SECONDS * 4);
  /* Well under 0.5 % of a core; the bound leaves room for a loaded machine. */
  g_assert_cmpint (cpu_used, <, wall_used / 50);

  gtk_window_destroy (GTK_WINDOW (window));
  fw_test_run_for (100);
}

/* The simulator, in a child: heartbeats every second (the quiet feed at
 * its busiest) and, once a socket is open, a few events for the list. */
static void
socket_opened_cb (FwSimServer *sim,
                  const char  *channel_id,
                  gpointer     user_data)
{
  fw_sim_server_step (sim);
  fw_sim_server_step (sim);
}

static void
run_simulator (int fd)
{
  g_autoptr(FwSimServer) sim = fw_sim_server_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_object_set (sim, "heartbeat-interval", 1000, NULL);
  if (!fw_sim_server_listen (sim, 0, &error))
    g_error ("%s", error->message);
  g_signal_connect (sim, "socket-opened", G_CALLBACK (socket_opened_cb), NULL);

  line = g_strdup_printf ("%s\n", fw_sim_server_get_url (sim));
  if (write (fd, line, strlen (line)) < 0)
    _exit (1);
  close (fd);
  g_main_loop_run (loop);
  _exit (0);
}

int
main (int   argc,
      char *argv[])
{
  FILE *input;
  int fds[2];
  pid_t pid;
  int ret;

  /* Before any thread or main loop exists. */
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  if (pid == 0)
    {
      /* Gone with the test, however it ends. */
      prctl (PR_SET_PDEATHSIG, SIGTERM);
      close (fds[0]);
      run_simulator (fds[1]);
    }
  close (fds[1]);
  input = fdopen (fds[0], "r");
  if (fgets (sim_url, sizeof sim_url, input) == NULL)
    g_error ("The simulator did not start");
  fclose (input);
  g_strchomp (sim_url);

  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add_func ("/app/idle/quiet-feed", test_quiet_feed);

  ret = g_test_run ();
  g_object_unref (application);
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  return ret;
}
