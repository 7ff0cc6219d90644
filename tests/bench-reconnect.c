/* bench-reconnect.c — how long the feed is down after each kind of fault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each fault the simulator can inject, a fresh FwSession (default
 * backoff: "backoff-initial" 1000 ms, so a first failure waits 0.5–1 s)
 * watches one topic; the fault strikes, and from then on a probe event is
 * published every PROBE_INTERVAL_MS.  The feed is back when a probe published
 * after the session last became live has arrived and the session has stayed
 * live for SETTLE_MS (a fault may take effect only after the probe that
 * followed it got through).  Printed per fault: when the session noticed
 * (left the live state), when the feed was back (that probe's arrival;
 * median and worst of --runs), and whether a gap was reported.  Only the watchdog timeouts are shortened (--heartbeat-timeout,
 * --pong-timeout), and they are printed with the table.
 *
 *   bench-reconnect [--runs=N] [--heartbeat-timeout=MS] [--pong-timeout=MS] [--markdown]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw-test-util.h"

#define TOPIC              "v2.users." FW_SIM_USER_ANA ".presence"
#define PROBE_INTERVAL_MS  20
#define SIM_HEARTBEAT_MS   1000
#define CLOSING_GRACE_MS   2000
#define GIVE_UP_MS         120000
#define SETTLE_MS          1000

typedef enum
{
  FAULT_DROP,
  FAULT_CLOSE,
  FAULT_SILENCE,
  FAULT_SOCKET_CLOSING,
  FAULT_CHANNEL_EXPIRY,
  FAULT_TOKEN_REVOKED,
  FAULT_RATE_LIMITED,
  FAULT_UNAVAILABLE,
  FAULT_NOT_UTF8,
  FAULT_NOT_JSON,
  N_FAULTS
} FaultKind;

static const char * const fault_names[N_FAULTS] = {
  "socket dropped (no close frame)",
  "close frame 1011",
  "silent socket (TCP up, nothing sent)",
  "socket_closing (make-before-break)",
  "channel expired (404, new channel)",
  "token revoked + channel expired",
  "429 Retry-After: 1 on channel create",
  "503 twice on channel create",
  "text frame that is not UTF-8",
  "frame that is not JSON",
};

typedef struct
{
  FwSimServer *sim;
  FwSession   *session;
  GHashTable  *received;
  guint        n_gaps;
  gboolean     silent;
  gint64       left_live_us;
  gint64       live_since_us;   /* the last time the session became live */
} Run;

static guint opt_runs = 3;
static guint opt_heartbeat_ms = 2000;
static guint opt_pong_ms = 1000;
static gboolean opt_markdown;

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 Run            *run)
{
  const char *id = fw_notification_get_correlation_id (notification);

  if (id != NULL)
    g_hash_table_add (run->received, g_strdup (id));
}

static void
gap_cb (FwSession *session,
        FwGap     *gap,
        Run       *run)
{
  run->n_gaps++;
}

static void
state_cb (FwSession  *session,
          GParamSpec *pspec,
          Run        *run)
{
  gboolean live = fw_session_get_state (session) == FW_SESSION_STATE_LIVE;

  if (!live && run->left_live_us == 0)
    run->left_live_us = g_get_monotonic_time ();
  if (live)
    run->live_since_us = g_get_monotonic_time ();
  else
    run->live_since_us = 0;
}

typedef struct
{
  char   *id;
  gint64  published_us;
  gint64  arrived_us;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->id);
  g_free (probe);
}

static void
socket_closed_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Run         *run)
{
  if (run->silent)
    {
      fw_sim_server_set_silent (sim, FALSE);
      run->silent = FALSE;
    }
}

static char *
publish_probe (Run *run)
{
  g_autoptr(JsonNode) body = json_from_string ("{\"probe\":true}", NULL);

  return fw_sim_server_publish (run->sim, TOPIC, body);
}

static void
inject (Run       *run,
        FaultKind  kind)
{
  static const char not_utf8[] = "{\"topicName\":\"\xff\",\"eventBody\":{}}";
  static const char not_json[] = "{\"topicName\":";

  switch (kind)
    {
    case FAULT_DROP:
      fw_sim_server_drop_sockets (run->sim);
      break;
    case FAULT_CLOSE:
      fw_sim_server_close_sockets (run->sim, 1011, "internal error");
      break;
    case FAULT_SILENCE:
      run->silent = TRUE;
      fw_sim_server_set_silent (run->sim, TRUE);
      break;
    case FAULT_SOCKET_CLOSING:
      fw_sim_server_send_socket_closing (run->sim);
      break;
    case FAULT_CHANNEL_EXPIRY:
      fw_sim_server_expire_channels (run->sim);
      break;
    case FAULT_TOKEN_REVOKED:
      fw_sim_server_revoke_tokens (run->sim);
      fw_sim_server_expire_channels (run->sim);
      break;
    case FAULT_RATE_LIMITED:
      fw_sim_server_fail_requests (run->sim, "POST", "/api/v2/notifications/channels", 429, 1, 1);
      fw_sim_server_expire_channels (run->sim);
      break;
    case FAULT_UNAVAILABLE:
      fw_sim_server_fail_requests (run->sim, "POST", "/api/v2/notifications/channels", 503, 2, 0);
      fw_sim_server_expire_channels (run->sim);
      break;
    case FAULT_NOT_UTF8:
      fw_sim_server_send_frame (run->sim, NULL, not_utf8, strlen (not_utf8), FALSE);
      break;
    case FAULT_NOT_JSON:
      fw_sim_server_send_frame (run->sim, NULL, not_json, strlen (not_json), FALSE);
      break;
    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

/* One measurement; returns the time until the feed was back, in ms. */
static gint64
measure (FaultKind  kind,
         gint64    *detected_ms,
         gboolean  *gap)
{
  g_autoptr(FwApi) api = NULL;
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_free);
  const char * const topics[] = { TOPIC, NULL };
  Run run = { NULL, };
  gint64 fault_us, next_probe_us = 0, back_us = 0;

  run.received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.sim = fw_test_sim_new ();
  g_object_set (run.sim,
                "heartbeat-interval", SIM_HEARTBEAT_MS,
                "socket-closing-grace", CLOSING_GRACE_MS,
                NULL);
  g_signal_connect (run.sim, "socket-closed", G_CALLBACK (socket_closed_cb), &run);

  api = fw_test_api_new (run.sim, NULL);
  run.session = fw_session_new (api);
  g_object_set (run.session,
                "heartbeat-timeout", opt_heartbeat_ms,
                "pong-timeout", opt_pong_ms,
                NULL);
  g_signal_connect (run.session, "notification", G_CALLBACK (notification_cb), &run);
  g_signal_connect (run.session, "gap", G_CALLBACK (gap_cb), &run);
  fw_session_set_topics (run.session, topics);
  fw_session_start (run.session);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (run.session) == FW_SESSION_STATE_LIVE, 10000);
  fw_test_run_for (300);

  g_signal_connect (run.session, "notify::state", G_CALLBACK (state_cb), &run);
  fault_us = g_get_monotonic_time ();
  run.live_since_us = fault_us;
  inject (&run, kind);

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 arrived_us = 0;

      for (guint i = 0; i < probes->len; i++)
        {
          Probe *probe = g_ptr_array_index (probes, i);

          if (probe->arrived_us == 0 && g_hash_table_contains (run.received, probe->id))
            probe->arrived_us = now;
          if (probe->arrived_us != 0 && run.live_since_us != 0 &&
              probe->published_us >= run.live_since_us && arrived_us == 0)
            arrived_us = probe->arrived_us;
        }
      if (arrived_us != 0 && now - MAX (run.live_since_us, fault_us) >= SETTLE_MS * 1000)
        {
          back_us = arrived_us;
          break;
        }

      if (now - fault_us > (gint64) GIVE_UP_MS * 1000)
        g_error ("%s: the feed was not back after %d s", fault_names[kind], GIVE_UP_MS / 1000);

      if (now >= next_probe_us)
        {
          Probe *probe = g_new0 (Probe, 1);

          probe->published_us = now;
          probe->id = publish_probe (&run);
          g_ptr_array_add (probes, probe);
          next_probe_us = now + PROBE_INTERVAL_MS * 1000;
        }
      fw_test_iterate ();
    }

  /* A handover's gap, if any, would come once the old socket closes. */
  if (kind == FAULT_SOCKET_CLOSING)
    fw_test_run_for (CLOSING_GRACE_MS);

  *detected_ms = run.left_live_us != 0 ? (run.left_live_us - fault_us) / 1000 : -1;
  *gap = run.n_gaps > 0;

  g_signal_handlers_disconnect_by_data (run.session, &run);
  g_signal_handlers_disconnect_by_data (run.sim, &run);
  fw_session_stop (run.session);
  fw_test_run_for (100);
  g_clear_object (&run.session);
  g_clear_object (&run.sim);
  g_clear_pointer (&run.received, g_hash_table_unref);

  return (back_us - fault_us) / 1000;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &opt_runs, "Measurements per fault (default 3)", "N" },
    { "heartbeat-timeout", 0, 0, G_OPTION_ARG_INT, &opt_heartbeat_ms,
      "Session heartbeat timeout in ms (default 2000)", "MS" },
    { "pong-timeout", 0, 0, G_OPTION_ARG_INT, &opt_pong_ms,
      "Session pong timeout in ms (default 1000)", "MS" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &opt_markdown, "Print Markdown table rows", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Measures how long the feed is down after each fault.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_runs == 0 ||
      opt_heartbeat_ms == 0 || opt_pong_ms == 0)
    {
      g_printerr ("%s\n", error ? error->message : "--runs, --heartbeat-timeout and --pong-timeout must be positive");
      return 2;
    }

  if (opt_markdown)
    {
      printf ("| fault | noticed after | feed back after (median / worst of %u) | gap reported |\n",
              opt_runs);
      printf ("|---|---|---|---|\n");
    }
  else
    {
      printf ("heartbeat-timeout %u ms, pong-timeout %u ms, backoff-initial 1000 ms (default), "
              "%u runs each\n", opt_heartbeat_ms, opt_pong_ms, opt_runs);
    }

  for (guint kind = 0; kind < N_FAULTS; kind++)
    {
      g_autofree gint64 *back = g_new0 (gint64, opt_runs);
      gint64 detected_max = -1;
      guint n_gaps = 0;

      for (guint i = 0; i < opt_runs; i++)
        {
          gint64 detected;
          gboolean gap;

          back[i] = measure (kind, &detected, &gap);
          detected_max = MAX (detected_max, detected);
          n_gaps += gap;
        }
      qsort (back, opt_runs, sizeof (gint64), compare_gint64);

      if (opt_markdown)
        {
          g_autofree char *noticed = detected_max < 0 ? g_strdup ("stays live")
                                                      : g_strdup_printf ("≤ %" G_GINT64_FORMAT " ms", detected_max);

          printf ("| %s | %s | %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " ms | %s |\n",
                  fault_names[kind], noticed, back[opt_runs / 2], back[opt_runs - 1],
                  n_gaps == 0 ? "no" : n_gaps == opt_runs ? "yes" : "sometimes");
        }
      else
        {
          printf ("%-40s noticed %6" G_GINT64_FORMAT " ms  back %6" G_GINT64_FORMAT
                  " ms (worst %6" G_GINT64_FORMAT " ms)  gaps %u/%u\n",
                  fault_names[kind], detected_max, back[opt_runs / 2], back[opt_runs - 1],
                  n_gaps, opt_runs);
        }
      fflush (stdout);
    }

  return 0;
}
