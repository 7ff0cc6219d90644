/* bench-app.c — the window under a steady stream of events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator runs in a child process (forked before GTK starts), so that
 * the figures are the app's own.  It first fills the list, then publishes at
 * a steady rate while the window follows the newest event.
 * Reported: events delivered per second, the app's CPU share, how late a
 * 10 ms high-priority timer ran at worst (how long the main loop was busy),
 * where a frame's time went, frames drawn, and the process's memory.
 * --empty measures an empty libadwaita window the same way, for comparison.
 *
 * Run under a display: GSK_RENDERER=cairo xvfb-run -a build/tests/app/bench-app
 */

/* RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fw-app-test-util.h"

#define TOPIC_QUEUE "v2.analytics.queues." FW_SIM_QUEUE_SUPPORT ".observations"
#define TOPIC_USER  "v2.users." FW_SIM_USER_ANA ".presence"

static guint rate = 2000;
static guint retain = 50000;
static guint seconds = 10;
static gboolean empty;

static GOptionEntry entries[] = {
  { "rate", 'r', 0, G_OPTION_ARG_INT, &rate, "Events per second in the steady phase (default 2000)", "N" },
  { "retain", 'n', 0, G_OPTION_ARG_INT, &retain, "Events the list keeps (default 50000, at least 1000)", "N" },
  { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Length of the steady phase (default 10)", "S" },
  { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, "Measure an empty libadwaita window instead", NULL },
  { NULL }
};

/* ---- The simulator's side ---- */

/* The list is filled with the same events as the steady phase brings, as
 * fast as the app takes them in without a queue building up. */
#define FILL_RATE 20000

typedef struct
{
  FwSimServer *sim;
  JsonNode    *queue_body;
  JsonNode    *user_body;
  gint64       start;
  guint64      published;
  guint        rate;
  guint64      count;
  GSourceFunc  then;
  GMainLoop   *loop;
} Child;

static JsonNode *
parse (const char *json)
{
  return json_from_string (json, NULL);
}

/* Publishes child->count events at child->rate a second, alternating a queue
 * and an agent event, then runs child->then. */
static gboolean
publish_cb (gpointer user_data)
{
  Child *child = user_data;
  gint64 elapsed = g_get_monotonic_time () - child->start;
  guint64 due = MIN ((guint64) elapsed * child->rate / G_USEC_PER_SEC, child->count);

  while (child->published < due)
    {
      g_autofree char *id = NULL;

      if (child->published % 2 == 0)
        id = fw_sim_server_publish (child->sim, TOPIC_QUEUE, child->queue_body);
      else
        id = fw_sim_server_publish (child->sim, TOPIC_USER, child->user_body);
      child->published++;
    }

  if (child->published == child->count)
    {
      g_timeout_add (2000, child->then, child);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_publishing (Child       *child,
                  guint        rate_per_s,
                  guint64      count,
                  GSourceFunc  then)
{
  child->start = g_get_monotonic_time ();
  child->published = 0;
  child->rate = rate_per_s;
  child->count = count;
  child->then = then;
  g_timeout_add (5, publish_cb, child);
}

static gboolean
quit_cb (gpointer user_data)
{
  Child *child = user_data;

  g_main_loop_quit (child->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
start_steady_cb (gpointer user_data)
{
  Child *child = user_data;

  start_publishing (child, rate, (guint64) rate * seconds, quit_cb);
  return G_SOURCE_REMOVE;
}

static void
socket_opened_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Child       *child)
{
  static gboolean started;

  if (started)
    return;
  started = TRUE;
  start_publishing (child, FILL_RATE, retain, start_steady_cb);
}

static void
run_child (int fd)
{
  Child child = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  /* Go when the app goes, however it ends. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () == 1)
    _exit (0);

  child.sim = fw_sim_server_new ();
  child.loop = g_main_loop_new (NULL, FALSE);
  child.queue_body = parse ("{\"group\":{\"queueId\":\"" FW_SIM_QUEUE_SUPPORT "\",\"mediaType\":\"voice\"},"
                            "\"data\":[{\"interval\":\"2026-11-28T14:30:00.000Z/2026-11-28T14:45:00.000Z\","
                            "\"metrics\":[{\"metric\":\"oWaiting\",\"stats\":{\"count\":2}},"
                            "{\"metric\":\"oInteracting\",\"stats\":{\"count\":3}},"
                            "{\"metric\":\"oAlerting\",\"stats\":{\"count\":1}}]}]}");
  child.user_body = parse ("{\"source\":\"PURECLOUD\",\"presenceDefinition\":{\"id\":"
                           "\"e08eaf1b-ee47-4fa9-a231-1200e284798f\",\"systemPresence\":\"ON_QUEUE\"},"
                           "\"primary\":true,\"message\":\"\",\"modifiedDate\":\"2026-11-28T14:05:12.538Z\"}");

  if (!fw_sim_server_listen (child.sim, 0, &error))
    g_error ("%s", error->message);
  g_signal_connect (child.sim, "socket-opened", G_CALLBACK (socket_opened_cb), &child);

  line = g_strdup_printf ("%s\n", fw_sim_server_get_url (child.sim));
  if (write (fd, line, strlen (line)) < 0)
    _exit (1);
  close (fd);

  g_main_loop_run (child.loop);
  /* Let the last frames go out. */
  g_timeout_add (1000, (GSourceFunc) g_main_loop_quit, child.loop);
  g_main_loop_run (child.loop);
  _exit (0);
}

/* ---- The app's side ---- */

typedef struct
{
  gint64 expected;
  gint64 worst_late;
  /* CPU time the main thread had in the tick interval that ran worst: far
   * below the lateness means it waited (for a core, or in a call). */
  gint64 worst_late_cpu;
  gint64 last_cpu;
  guint  n_ticks;
} Ticker;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (ticker->expected != 0 && now - ticker->expected > ticker->worst_late)
    {
      ticker->worst_late = now - ticker->expected;
      ticker->worst_late_cpu = cpu - ticker->last_cpu;
      if (g_getenv ("FW_BENCH_TRACE"))
        g_printerr ("late %.1f ms at %.6f\n", ticker->worst_late / 1000.0, now / 1e6);
    }
  ticker->expected = now + 10000;
  ticker->last_cpu = cpu;
  ticker->n_ticks++;
  return G_SOURCE_CONTINUE;
}

static gint64
cpu_time_us (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static void
frame_cb (GdkFrameClock *clock,
          guint         *n_frames)
{
  (*n_frames)++;
}

/* Where the main loop's time goes: the longest of each phase. */
typedef struct
{
  gint64 mark;
  gint64 worst_layout;   /* before-paint → end of layout: ticks, measuring, allocating */
  gint64 worst_paint;    /* end of layout → end of paint: snapshot and render */
  gint64 layout_end;
  gint64 change_start;
  gint64 worst_change;   /* the store's items-changed, all handlers */
} Phases;

static Phases phases;

static void
before_paint_cb (GdkFrameClock *clock)
{
  phases.mark = g_get_monotonic_time ();
}

/* The frame clock runs layout again while something asks for it: the last
 * end of layout before the paint counts. */
static void
layout_cb (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  phases.worst_layout = MAX (phases.worst_layout, now - phases.mark);
  phases.layout_end = now;
}

static void
paint_cb (GdkFrameClock *clock)
{
  phases.worst_paint = MAX (phases.worst_paint, g_get_monotonic_time () - phases.layout_end);
}

static void
change_begin_cb (GListModel *model)
{
  phases.change_start = g_get_monotonic_time ();
}

static void
change_end_cb (GListModel *model)
{
  phases.worst_change = MAX (phases.worst_change, g_get_monotonic_time () - phases.change_start);
}

static void
print_memory (const char *what)
{
  gint64 rss = fw_test_proc_status_kib ("self", "VmRSS");
  gint64 peak = fw_test_proc_status_kib ("self", "VmHWM");

  printf ("memory (%s): %.1f MB resident, at most %.1f MB\n", what, rss / 1024.0, peak / 1024.0);
}

static gboolean
redraw_cb (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* An empty libadwaita window of the same size, drawn every frame for as
 * long as the steady phase lasts. */
static int
run_empty (void)
{
  GtkWidget *window;
  gint64 end;

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  FW_TEST_WAIT_UNTIL (gtk_widget_get_mapped (window), 10000);
  gtk_widget_add_tick_callback (window, redraw_cb, NULL, NULL);

  end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    fw_test_iterate ();
  print_memory ("an empty libadwaita window");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const char * const topics[] = { TOPIC_QUEUE, TOPIC_USER, NULL };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the window under load");
  g_autoptr(GError) error = NULL;
  g_autoptr(FwApplication) application = NULL;
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(SoupSession) soup = NULL;
  FwEventStore *store;
  FwWindow *window;
  Ticker ticker = { 0 };
  guint n_frames = 0;
  char url[256] = { 0 };
  int fds[2];
  pid_t pid;
  gint64 fill_start, steady_start, steady_end, cpu_start, cpu_end, main_start, main_end;
  guint64 steady_first, steady_last;
  FILE *input;

  /* The schemas of this build, unless told otherwise. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", FW_BUILD_SCHEMA_DIR, FALSE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  if (empty)
    {
      g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
      gtk_init ();
      adw_init ();
      return run_empty ();
    }

  if (pipe (fds) != 0)
    g_error ("pipe failed");
  pid = fork ();
  if (pid == 0)
    {
      close (fds[0]);
      run_child (fds[1]);
    }
  close (fds[1]);
  input = fdopen (fds[0], "r");
  if (fgets (url, sizeof url, input) == NULL)
    g_error ("the simulator did not start");
  fclose (input);
  g_strchomp (url);

  /* Not a test program: no debug log, which costs more than the list. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  application = fw_app_test_application_new ();
  {
    /* The window sets the list's size from its settings. */
    g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);

    g_settings_set_uint (settings, "max-events", retain);
  }

  environment = fw_environment_new (url, &error);
  g_assert_no_error (error);
  soup = soup_session_new ();
  tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);
  connection = fw_connection_new (tokens, retain);
  store = fw_connection_get_event_store (connection);

  window = fw_app_test_window_new (application, 1280, 800);
  /* Around every other handler of the store's changes. */
  g_signal_connect (store, "items-changed", G_CALLBACK (change_begin_cb), NULL);
  fw_window_set_connection (window, connection);
  g_signal_connect_after (store, "items-changed", G_CALLBACK (change_end_cb), NULL);
  fw_window_set_topics (window, topics);

  /* Fill. */
  fill_start = g_get_monotonic_time ();
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (store) >= retain, 120000);
  printf ("fill: %u events in %.2f s; the list holds %u\n", retain,
          (g_get_monotonic_time () - fill_start) / 1e6,
          g_list_model_get_n_items (fw_window_get_events (window)));

  print_memory ("the window, after the fill");

  /* Steady: from the first event after the flood to the last. */
  steady_first = fw_event_store_get_total_appended (store);
  FW_TEST_WAIT_UNTIL (fw_event_store_get_total_appended (store) > steady_first, 30000);
  steady_first = fw_event_store_get_total_appended (store);
  steady_start = g_get_monotonic_time ();
  cpu_start = cpu_time_us (RUSAGE_SELF);
  main_start = cpu_time_us (RUSAGE_THREAD);
  /* Above every other source: it runs as soon as the dispatch in progress
   * returns, so its lateness is the longest time the loop was busy. */
  g_timeout_add_full (G_PRIORITY_HIGH, 10, tick_cb, &ticker, NULL);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (frame_cb), &n_frames);
  memset (&phases, 0, sizeof phases);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "before-paint",
                    G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "layout",
                          G_CALLBACK (layout_cb), NULL);
  g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "paint",
                          G_CALLBACK (paint_cb), NULL);

  steady_last = steady_first;
  steady_end = steady_start;
  while (g_get_monotonic_time () - steady_end < 2 * G_USEC_PER_SEC)
    {
      fw_test_iterate ();
      if (fw_event_store_get_total_appended (store) != steady_last)
        {
          steady_last = fw_event_store_get_total_appended (store);
          steady_end = g_get_monotonic_time ();
        }
    }
  cpu_end = cpu_time_us (RUSAGE_SELF);
  main_end = cpu_time_us (RUSAGE_THREAD);

  printf ("steady: %" G_GUINT64_FORMAT " events in %.2f s = %.0f events/s\n",
          steady_last - steady_first, (steady_end - steady_start) / 1e6,
          (steady_last - steady_first) / ((steady_end - steady_start) / 1e6));
  printf ("app CPU: %.1f %% of one core, of which the main thread %.1f %% "
          "(over the steady phase and 2 s of quiet after it)\n",
          100.0 * (cpu_end - cpu_start) / (g_get_monotonic_time () - steady_start),
          100.0 * (main_end - main_start) / (g_get_monotonic_time () - steady_start));
  printf ("main loop: a 10 ms high-priority timer ran at most %.1f ms late "
          "(the main thread had %.1f ms of CPU in that interval); %u frames drawn\n",
          ticker.worst_late / 1000.0, ticker.worst_late_cpu / 1000.0, n_frames);
  printf ("longest: store change %.1f ms (every handler), frame layout %.1f ms, paint %.1f ms\n",
          phases.worst_change / 1000.0, phases.worst_layout / 1000.0, phases.worst_paint / 1000.0);
  print_memory ("the window, at the end");
  printf ("the list holds %u events; the window follows the newest: %s\n",
          g_list_model_get_n_items (fw_window_get_events (window)),
          fw_window_get_following (window) ? "yes" : "no");

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
