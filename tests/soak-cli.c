/* soak-cli.c — floorwatch-cli watch against a simulator that keeps failing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For FW_SOAK_SECONDS (default 120; an hour by hand) the simulator carries
 * scenario traffic and extra events while, every few seconds, one fault
 * strikes: a dropped socket, a silent one, a close frame, socket_closing, an
 * expired channel (at most twice in ten minutes, as EXPIRY_WINDOW_S says
 * why), a revoked token, 429 and 503 answers, bad frames.  The
 * real binary watches with --format=jsonl and short watchdog timeouts.  The
 * test proves:
 *
 *  - after every fault the feed is live again (a probe event published then
 *    arrives) within the bound the backoff allows: detection time plus every
 *    wait the CLI announced on stderr plus what the fault itself costs;
 *  - every event published while a socket was open arrived exactly once on
 *    stdout, unless it falls inside a gap the CLI reported;
 *  - every event published while no socket was open falls inside a gap the
 *    CLI reported on stderr ("gap HH:MM:SS–HH:MM:SS: …");
 *  - nothing arrived twice, nothing arrived that was not published;
 *  - the CLI's resident memory and open file descriptors do not grow from
 *    the end of the warm-up to the end of the run;
 *  - at the end the simulator holds no more channels than needed (2 per
 *    shard, for a socket_closing handover).
 *
 * Not part of the quick suite: build-aux/test-hardening.sh runs it (meson
 * test --setup=hardening --suite soak).
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "fw-test-util.h"

#define SECRET             "soak-secret-Zt4k8Rq1"

/* The CLI's watchdog (seconds, as its options take them). */
#define HEARTBEAT_TIMEOUT_S 2
#define PONG_TIMEOUT_S      1
/* The simulator's heartbeats come well inside the CLI's heartbeat timeout. */
#define SIM_HEARTBEAT_MS    700
#define SIM_TRAFFIC_MS      250
#define SIM_CLOSING_GRACE_MS 2000
/* A channel that vanishes three times in ten minutes looks to the session
 * like another program taking our channels (it then steps back for
 * minutes): real expiries come once a day, so the soak allows two per
 * window and strikes another fault instead. */
#define EXPIRY_WINDOW_S     600
#define EXPIRIES_PER_WINDOW 2

/* A probe is published this often until one arrives. */
#define PROBE_INTERVAL_MS   250
/* The feed counts as back once the CLI has said "live" and kept saying so
 * this long, counted from the fault at the earliest: a fault (a frame that
 * breaks the protocol) may take effect only after the probe that followed
 * it got through. */
#define SETTLE_MS           1500
/* Room on top of the computed bound, for a loaded two-core machine. */
#define BOUND_SLACK_MS      8000
/* How long the feed runs between two faults, at least and at most. */
#define DWELL_MIN_MS        1500
#define DWELL_MAX_MS        4000
/* After the traffic stops, for what was sent to arrive. */
#define QUIESCE_MS          3000

/* Growth allowed from the end of the warm-up to the end of the run. */
#define RSS_GROWTH_KB       (8 * 1024)
#define RSS_GROWTH_PERCENT  25
#define FD_GROWTH           2

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
  FAULT_BAD_FRAME,
  N_FAULTS
} FaultKind;

static const char * const fault_names[N_FAULTS] = {
  "drop", "close frame", "silence", "socket_closing", "channel expiry",
  "token revoked", "429 Retry-After", "503", "bad frame",
};

typedef struct
{
  guint  count;
  gint64 total_ms;
  gint64 max_ms;
} FaultStats;

typedef struct
{
  gint64 start_s;   /* wall clock, whole seconds, as the CLI printed them */
  gint64 end_s;
} Gap;

typedef struct
{
  FwSimServer      *sim;
  GStrv             topics;
  const char       *probe_topic;

  GSubprocess      *cli;
  char             *cli_pid;
  GDataInputStream *out;
  GDataInputStream *err;
  gboolean          out_done;
  gboolean          err_done;
  gboolean          exited;

  /* What the CLI said. */
  GHashTable       *received;        /* CorrelationId → count */
  GArray           *gaps;            /* Gap */
  guint             n_warnings;
  guint             n_state_lines;
  gint64            announced_wait_ms;  /* sum of "reconnecting in N s" since the fault */
  gboolean          cli_live;           /* the last state line said "live" */
  gint64            state_changed_us;   /* monotonic time of the last state line */
  guint             n_bad_lines;

  /* Before the first socket opened nothing could be missed. */
  gint64            first_open_real_us;

  /* The fault under way. */
  gboolean          silent;
  FaultStats        stats[N_FAULTS];
  GArray           *expiries;        /* gint64 monotonic µs of each channel expiry */
  GRand            *rand;
  guint             n_probes;
  guint             n_extra;
} Soak;

/* ---- The CLI's output ---- */

static const char *
cli_path (void)
{
  const char *env = g_getenv ("FW_CLI");

  return env != NULL ? env : "floorwatch-cli";
}

static void
child_setup (gpointer user_data)
{
  /* If the test dies, so does the CLI it started. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* "HH:MM:SS" printed in UTC (the child runs with TZ=UTC) to absolute
 * seconds: the latest such time that is not after @now_s (plus a minute
 * for a clock tick between the CLI and us). */
static gint64
clock_to_absolute (const char *text,
                   gint64      now_s)
{
  guint h, m, s;
  gint64 day_start = now_s - now_s % 86400;
  gint64 t;

  if (sscanf (text, "%2u:%2u:%2u", &h, &m, &s) != 3 || h > 23 || m > 59 || s > 60)
    return -1;

  t = day_start + h * 3600 + m * 60 + s;
  if (t > now_s + 60)
    t -= 86400;
  return t;
}

static void
handle_stderr_line (Soak       *soak,
                    const char *line)
{
  const char *text = line;
  guint wait_s;

  g_test_message ("cli: %s", line);

  if (g_str_has_prefix (text, "floorwatch: "))
    text += strlen ("floorwatch: ");

  if (g_str_has_prefix (text, "gap "))
    {
      /* "gap 14:02:11–14:02:19: events of 3 topics may be missing" */
      const char *dash = strstr (text, "–");
      gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
      Gap gap;

      if (dash == NULL)
        {
          soak->n_bad_lines++;
          return;
        }
      gap.start_s = clock_to_absolute (text + strlen ("gap "), now_s);
      gap.end_s = clock_to_absolute (dash + strlen ("–"), now_s);
      if (gap.start_s < 0 || gap.end_s < 0)
        {
          soak->n_bad_lines++;
          return;
        }
      if (gap.end_s < gap.start_s)
        gap.start_s -= 86400;
      g_array_append_val (soak->gaps, gap);
    }
  else if (g_str_has_prefix (text, "warning: "))
    {
      soak->n_warnings++;
    }
  else if (g_str_has_prefix (text, "topic rejected: "))
    {
      /* Every watched topic exists in the simulator. */
      soak->n_bad_lines++;
    }
  else
    {
      /* Any other line tells the state: "live (1 channel)", "reconnecting
       * in 2 s: …", "connecting to …", "channels taken: …". */
      if (sscanf (text, "reconnecting in %u s", &wait_s) == 1)
        soak->announced_wait_ms += (gint64) wait_s * 1000;
      soak->cli_live = g_str_has_prefix (text, "live");
      soak->state_changed_us = g_get_monotonic_time ();
      soak->n_state_lines++;
    }
}

static void
handle_stdout_line (Soak       *soak,
                    const char *line)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *metadata = NULL;
  JsonNode *id = NULL;

  /* Every event the simulator publishes has metadata.CorrelationId. */
  root = json_from_string (line, &error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    metadata = json_object_get_member (json_node_get_object (root), "metadata");
  if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
    id = json_object_get_member (json_node_get_object (metadata), "CorrelationId");
  if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING)
    {
      g_test_message ("not a notification with a CorrelationId on stdout: %.200s", line);
      soak->n_bad_lines++;
      return;
    }

  g_hash_table_insert (soak->received, g_strdup (json_node_get_string (id)),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (
                         soak->received, json_node_get_string (id))) + 1));
}

static void read_next_line (Soak *soak, GDataInputStream *stream);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Soak *soak = user_data;
  GDataInputStream *stream = G_DATA_INPUT_STREAM (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  if (error != NULL)
    g_error ("reading the CLI's output: %s", error->message);

  if (line == NULL)
    {
      if (stream == soak->out)
        soak->out_done = TRUE;
      else
        soak->err_done = TRUE;
      return;
    }

  if (stream == soak->out)
    handle_stdout_line (soak, line);
  else
    handle_stderr_line (soak, line);

  read_next_line (soak, stream);
}

static void
read_next_line (Soak             *soak,
                GDataInputStream *stream)
{
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, line_read_cb, soak);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Soak *soak = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  soak->exited = TRUE;
}

static void
start_cli (Soak *soak)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, g_strdup (cli_path ()));
  g_ptr_array_add (argv, g_strdup ("watch"));
  g_ptr_array_add (argv, g_strdup_printf ("--environment=%s", fw_sim_server_get_url (soak->sim)));
  g_ptr_array_add (argv, g_strdup ("--client-id=" FW_SIM_DEFAULT_CLIENT_ID));
  g_ptr_array_add (argv, g_strdup ("--format=jsonl"));
  g_ptr_array_add (argv, g_strdup_printf ("--heartbeat-timeout=%d", HEARTBEAT_TIMEOUT_S));
  g_ptr_array_add (argv, g_strdup_printf ("--pong-timeout=%d", PONG_TIMEOUT_S));
  for (guint i = 0; soak->topics[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (soak->topics[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_SECRET", SECRET, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_REGION");
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_ID");
  /* Gap times in UTC, messages in English, the en dash intact. */
  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  soak->cli = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  soak->cli_pid = g_strdup (g_subprocess_get_identifier (soak->cli));

  soak->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (soak->cli));
  soak->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (soak->cli));
  /* Notification lines can be long; the default buffer would grow anyway. */
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (soak->out), 64 * 1024);
  read_next_line (soak, soak->out);
  read_next_line (soak, soak->err);
  g_subprocess_wait_async (soak->cli, NULL, wait_cb, soak);
}

/* ---- What /proc says about the CLI ---- */

static gint64
cli_rss_kb (Soak *soak)
{
  return fw_test_proc_status_kib (soak->cli_pid, "VmRSS");
}

static int
cli_n_fds (Soak *soak)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", soak->cli_pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  int n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* ---- Driving the simulator ---- */

static char *
publish_probe (Soak *soak)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "probe");
  json_builder_add_int_value (builder, ++soak->n_probes);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  return fw_sim_server_publish (soak->sim, soak->probe_topic, body);
}

/* A handful of events on random watched topics, on top of the scenario. */
static void
publish_extra (Soak *soak)
{
  guint n_topics = g_strv_length (soak->topics);
  guint n = g_rand_int_range (soak->rand, 1, 12);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *id = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "extra");
      json_builder_add_int_value (builder, ++soak->n_extra);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);

      id = fw_sim_server_publish (soak->sim,
                                  soak->topics[g_rand_int_range (soak->rand, 0, n_topics)],
                                  body);
    }
}

static void
socket_opened_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Soak        *soak)
{
  if (soak->first_open_real_us == 0)
    soak->first_open_real_us = g_get_real_time ();
}

static void
socket_closed_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Soak        *soak)
{
  /* The client gave the silent socket up: the path works again. */
  if (soak->silent)
    {
      fw_sim_server_set_silent (sim, FALSE);
      soak->silent = FALSE;
    }
}

static void
send_bad_frame (Soak *soak)
{
  static const char not_json[] = "{\"topicName\":\"v2.users.x.presence\",\"eventBody\":";
  static const char not_utf8[] = "{\"topicName\":\"\xff\xfe\",\"eventBody\":{}}";
  static const char binary[] = "\x00\x01\x02{}";

  switch (g_rand_int_range (soak->rand, 0, 4))
    {
    case 0:
      g_test_message ("bad frame: not JSON");
      fw_sim_server_send_frame (soak->sim, NULL, not_json, strlen (not_json), FALSE);
      break;

    case 1:
      /* A text frame that is not UTF-8 breaks RFC 6455: the socket closes. */
      g_test_message ("bad frame: text that is not UTF-8");
      fw_sim_server_send_frame (soak->sim, NULL, not_utf8, strlen (not_utf8), FALSE);
      break;

    case 2:
      g_test_message ("bad frame: binary");
      fw_sim_server_send_frame (soak->sim, NULL, binary, sizeof binary - 1, TRUE);
      break;

    default:
      {
        /* Larger than FW_NOTIFICATION_MAX_SIZE. */
        gsize size = FW_NOTIFICATION_MAX_SIZE + 4096;
        g_autofree char *big = g_malloc (size);

        memset (big, ' ', size);
        memcpy (big, "{\"topicName\":\"v2.users.x.presence\",\"eventBody\":{}", 48);
        big[size - 1] = '}';
        g_test_message ("bad frame: oversized");
        fw_sim_server_send_frame (soak->sim, NULL, big, size, FALSE);
      }
      break;
    }
}

static gboolean
expiry_allowed (Soak *soak)
{
  gint64 window_start = g_get_monotonic_time () - (gint64) EXPIRY_WINDOW_S * G_USEC_PER_SEC;
  guint n = 0;

  for (guint i = 0; i < soak->expiries->len; i++)
    n += g_array_index (soak->expiries, gint64, i) > window_start;

  return n < EXPIRIES_PER_WINDOW;
}

static void
expire_channels (Soak *soak)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (soak->expiries, now);
  fw_sim_server_expire_channels (soak->sim);
}

/* Strikes @kind; returns what the fault itself may add to the recovery on
 * top of the announced waits (detection, Retry-After, REST retries).
 * Failing REST answers come with a dropped socket: the reconnection or the
 * next re-subscription meets them. */
static gint64
inject (Soak      *soak,
        FaultKind  kind)
{
  switch (kind)
    {
    case FAULT_DROP:
      fw_sim_server_drop_sockets (soak->sim);
      return 0;

    case FAULT_CLOSE:
      fw_sim_server_close_sockets (soak->sim, 1011, "soak: internal error");
      return 0;

    case FAULT_SILENCE:
      soak->silent = TRUE;
      fw_sim_server_set_silent (soak->sim, TRUE);
      /* The heartbeat timeout runs from the last frame, the pong timeout
       * from the ping. */
      return (HEARTBEAT_TIMEOUT_S + PONG_TIMEOUT_S) * 1000;

    case FAULT_SOCKET_CLOSING:
      fw_sim_server_send_socket_closing (soak->sim);
      return SIM_CLOSING_GRACE_MS;

    case FAULT_CHANNEL_EXPIRY:
      expire_channels (soak);
      return 0;

    case FAULT_TOKEN_REVOKED:
      /* The socket needs no token; the next REST call does. */
      fw_sim_server_revoke_tokens (soak->sim);
      fw_sim_server_drop_sockets (soak->sim);
      return 0;

    case FAULT_RATE_LIMITED:
      fw_sim_server_fail_requests (soak->sim, NULL, "/api/v2/notifications/channels", 429, 1, 1);
      fw_sim_server_drop_sockets (soak->sim);
      return 1000;

    case FAULT_UNAVAILABLE:
      /* FwApi retries 503 with its own backoff (500 ms, then 1 s). */
      fw_sim_server_fail_requests (soak->sim, NULL, "/api/v2/notifications/channels", 503, 2, 0);
      fw_sim_server_drop_sockets (soak->sim);
      return 3000;

    case FAULT_BAD_FRAME:
      send_bad_frame (soak);
      return 0;

    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  char   *id;
  gint64  published_us;   /* monotonic */
  gint64  arrived_us;     /* monotonic, 0 until it arrives */
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->id);
  g_free (probe);
}

/* Publishes probes until the feed is back: a probe published after the CLI
 * last said "live" arrived, and the CLI has stayed live for SETTLE_MS.
 * Returns when that probe arrived, in ms after @since_us; fails when the
 * feed takes longer than the bound. */
static gint64
wait_for_feed (Soak       *soak,
               gint64      since_us,
               gint64      extra_ms,
               const char *what)
{
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_free);
  gint64 next_probe_us = 0;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 bound_ms = extra_ms + soak->announced_wait_ms + SETTLE_MS + BOUND_SLACK_MS;
      gint64 back_us = 0;

      for (guint i = 0; i < probes->len; i++)
        {
          Probe *probe = g_ptr_array_index (probes, i);

          if (probe->arrived_us == 0 && g_hash_table_contains (soak->received, probe->id))
            probe->arrived_us = now;
          if (probe->arrived_us != 0 && probe->published_us >= soak->state_changed_us &&
              back_us == 0)
            back_us = probe->arrived_us;
        }

      if (back_us != 0 && soak->cli_live &&
          now - MAX (soak->state_changed_us, since_us) >= SETTLE_MS * 1000)
        return (back_us - since_us) / 1000;

      if (now - since_us > bound_ms * 1000)
        g_error ("after %s the feed was not live again within %" G_GINT64_FORMAT " ms "
                 "(detection and fault %" G_GINT64_FORMAT " ms, announced waits %" G_GINT64_FORMAT
                 " ms, slack %d ms)",
                 what, bound_ms, extra_ms, soak->announced_wait_ms, BOUND_SLACK_MS);

      if (soak->exited)
        g_error ("the CLI exited during the soak (after %s)", what);

      if (now >= next_probe_us)
        {
          Probe *probe = g_new0 (Probe, 1);

          probe->published_us = now;
          probe->id = publish_probe (soak);
          g_ptr_array_add (probes, probe);
          next_probe_us = now + PROBE_INTERVAL_MS * 1000;
        }

      fw_test_iterate ();
    }
}

static void
run_for (Soak   *soak,
         guint   ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (soak->exited)
        g_error ("the CLI exited during the soak");
      fw_test_iterate ();
    }
}

/* ---- Checking the story against the truth ---- */

static gboolean
inside_a_gap (Soak   *soak,
              gint64  published_us)
{
  gint64 t = published_us / G_USEC_PER_SEC;

  for (guint i = 0; i < soak->gaps->len; i++)
    {
      Gap *gap = &g_array_index (soak->gaps, Gap, i);

      /* The CLI prints whole seconds, cut down. */
      if (gap->start_s <= t && t <= gap->end_s)
        return TRUE;
    }

  return FALSE;
}

static void
check_events (Soak   *soak,
              gint64  until_us)
{
  g_autoptr(GHashTable) watched = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) published_ids = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *published = fw_sim_server_get_published (soak->sim);
  guint n_checked = 0, n_delivered = 0, n_undelivered = 0, n_covered = 0, n_failures = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; soak->topics[i] != NULL; i++)
    g_hash_table_add (watched, soak->topics[i]);

  for (guint i = 0; i < published->len; i++)
    {
      FwSimPublished *event = g_ptr_array_index (published, i);
      guint count;

      if (event->correlation_id == NULL || event->correlation_id[0] == '\0')
        continue;
      g_hash_table_add (published_ids, event->correlation_id);

      if (!g_hash_table_contains (watched, event->topic) ||
          event->published_us < soak->first_open_real_us || event->published_us > until_us)
        continue;

      n_checked++;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (soak->received, event->correlation_id));

      if (count > 1)
        {
          g_test_message ("DUPLICATE: %s on %s arrived %u times", event->correlation_id,
                          event->topic, count);
          n_failures++;
        }
      else if (event->n_delivered > 0)
        {
          n_delivered++;
          /* Written to a socket the client was already giving up (a
           * protocol error, a dead path): the gap it reported covers it. */
          if (count == 0 && inside_a_gap (soak, event->published_us))
            n_covered++;
          else if (count == 0)
            {
              g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (event->published_us / G_USEC_PER_SEC);
              g_autofree char *text = g_date_time_format (when, "%H:%M:%S");

              g_test_message ("LOST: %s on %s, published %s.%06d to %u socket(s), never arrived, "
                              "in no reported gap", event->correlation_id, event->topic, text,
                              (int) (event->published_us % G_USEC_PER_SEC), event->n_delivered);
              n_failures++;
            }
        }
      else
        {
          n_undelivered++;
          if (count != 0)
            {
              g_test_message ("IMPOSSIBLE: %s arrived but was written to no socket",
                              event->correlation_id);
              n_failures++;
            }
          else if (!inside_a_gap (soak, event->published_us))
            {
              g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (event->published_us / G_USEC_PER_SEC);
              g_autofree char *text = g_date_time_format (when, "%H:%M:%S");
              g_test_message ("SILENT LOSS: %s on %s, published %s.%06d while no socket was open, "
                              "in no reported gap", event->correlation_id, event->topic, text,
                              (int) (event->published_us % G_USEC_PER_SEC));
              n_failures++;
            }
        }
    }

  g_hash_table_iter_init (&iter, soak->received);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (published_ids, key))
        {
          g_test_message ("UNKNOWN: %s arrived but was never published", (const char *) key);
          n_failures++;
        }
    }

  g_test_message ("events checked: %u (%u delivered to a socket, %u of them covered by a gap "
                  "instead; %u published while no socket was open), %u gaps reported, "
                  "%u failures", n_checked, n_delivered, n_covered, n_undelivered,
                  soak->gaps->len, n_failures);

  for (guint i = 0; i < soak->gaps->len && n_failures > 0; i++)
    {
      Gap *gap = &g_array_index (soak->gaps, Gap, i);
      g_test_message ("gap %u: %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " s)",
                      i, gap->start_s % 86400, gap->end_s % 86400, gap->end_s - gap->start_s);
    }

  g_assert_cmpuint (n_checked, >, 0);
  g_assert_cmpuint (n_failures, ==, 0);
}

/* ---- The test ---- */

static GStrv
watched_topics (FwSimServer *sim)
{
  g_auto(GStrv) queues = fw_sim_server_dup_queue_ids (sim);
  g_auto(GStrv) users = fw_sim_server_dup_user_ids (sim);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; queues[i] != NULL; i++)
    {
      g_autofree char *conversations = g_strconcat ("v2.routing.queues.", queues[i], ".conversations", NULL);
      g_autofree char *observations = g_strconcat ("v2.analytics.queues.", queues[i], ".observations", NULL);
      g_autofree char *members = g_strconcat ("v2.routing.queues.", queues[i], ".users", NULL);

      g_strv_builder_add_many (builder, conversations, observations, members, NULL);
    }

  for (guint i = 0; users[i] != NULL; i++)
    {
      g_autofree char *activity = g_strconcat ("v2.users.", users[i], ".activity", NULL);
      g_autofree char *presence = g_strconcat ("v2.users.", users[i], ".presence", NULL);
      g_autofree char *routing = g_strconcat ("v2.users.", users[i], ".routingStatus", NULL);

      g_strv_builder_add_many (builder, activity, presence, routing, NULL);
    }

  return g_strv_builder_end (builder);
}

static guint
soak_seconds (void)
{
  const char *text = g_getenv ("FW_SOAK_SECONDS");
  guint64 value = text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;

  return value > 0 ? (guint) MIN (value, 7 * 24 * 3600) : 120;
}

static void
test_faults (void)
{
  Soak soak_data = { NULL, };
  Soak *soak = &soak_data;
  guint seconds = soak_seconds ();
  gint64 start_us, end_us, warm_up_end_us, quiesce_us;
  gint64 rss_warm = -1, rss_end, rss_max = 0;
  int fds_warm = -1, fds_end;
  FaultKind order[N_FAULTS];
  guint next_in_order = N_FAULTS;
  guint n_faults = 0;
  gint64 next_extra_us = 0;
  gint64 next_sample_us = 0;
  guint32 seed;
  int status;

  seed = g_test_rand_int ();
  g_test_message ("soak for %u s, seed %u (FW_SOAK_SECONDS sets the length)", seconds, seed);
  soak->rand = g_rand_new_with_seed (seed);
  soak->received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  soak->expiries = g_array_new (FALSE, FALSE, sizeof (gint64));

  soak->sim = fw_test_sim_new ();
  g_object_set (soak->sim,
                "client-secret", SECRET,
                "heartbeat-interval", SIM_HEARTBEAT_MS,
                "traffic-interval", SIM_TRAFFIC_MS,
                "socket-closing-grace", SIM_CLOSING_GRACE_MS,
                "seed", seed,
                NULL);
  g_signal_connect (soak->sim, "socket-opened", G_CALLBACK (socket_opened_cb), soak);
  g_signal_connect (soak->sim, "socket-closed", G_CALLBACK (socket_closed_cb), soak);
  soak->topics = watched_topics (soak->sim);
  soak->probe_topic = soak->topics[0];
  g_test_message ("watching %u topics", g_strv_length (soak->topics));

  start_cli (soak);
  start_us = g_get_monotonic_time ();
  end_us = start_us + (gint64) seconds * G_USEC_PER_SEC;
  /* Caches, the correlation set and the socket buffers fill up first. */
  warm_up_end_us = start_us + MAX (15, seconds / 5) * G_USEC_PER_SEC;

  /* The first connection. */
  wait_for_feed (soak, start_us, 10000, "start");

  while (g_get_monotonic_time () < end_us)
    {
      FaultKind kind;
      gint64 fault_us, extra_ms, recovery_ms;
      guint dwell = g_rand_int_range (soak->rand, DWELL_MIN_MS, DWELL_MAX_MS);
      gint64 dwell_end = g_get_monotonic_time () + (gint64) dwell * 1000;

      /* The feed runs, with extra events now and then. */
      while (g_get_monotonic_time () < dwell_end)
        {
          gint64 now = g_get_monotonic_time ();

          if (now >= next_extra_us)
            {
              publish_extra (soak);
              next_extra_us = now + g_rand_int_range (soak->rand, 200, 1500) * 1000;
            }
          if (now >= next_sample_us)
            {
              gint64 rss = cli_rss_kb (soak);
              int fds = cli_n_fds (soak);

              g_test_message ("cli: %" G_GINT64_FORMAT " kB resident, %d fds, %u events so far",
                              rss, fds, g_hash_table_size (soak->received));
              rss_max = MAX (rss_max, rss);
              if (rss_warm < 0 && now >= warm_up_end_us)
                {
                  rss_warm = rss;
                  fds_warm = fds;
                }
              next_sample_us = now + 10 * G_USEC_PER_SEC;
            }
          run_for (soak, 50);
        }

      /* Every kind in turn, in a new random order each round. */
      if (next_in_order == N_FAULTS)
        {
          for (guint i = 0; i < N_FAULTS; i++)
            order[i] = i;
          for (guint i = N_FAULTS - 1; i > 0; i--)
            {
              guint j = g_rand_int_range (soak->rand, 0, i + 1);
              FaultKind t = order[i];

              order[i] = order[j];
              order[j] = t;
            }
          next_in_order = 0;
        }
      kind = order[next_in_order++];
      if (kind == FAULT_CHANNEL_EXPIRY && !expiry_allowed (soak))
        kind = FAULT_DROP;

      g_test_message ("fault %u: %s", ++n_faults, fault_names[kind]);
      soak->announced_wait_ms = 0;
      fault_us = g_get_monotonic_time ();
      extra_ms = inject (soak, kind);
      recovery_ms = wait_for_feed (soak, fault_us, extra_ms, fault_names[kind]);
      g_test_message ("fault %u: %s: feed live again after %" G_GINT64_FORMAT " ms "
                      "(announced waits %" G_GINT64_FORMAT " ms)",
                      n_faults, fault_names[kind], recovery_ms, soak->announced_wait_ms);

      soak->stats[kind].count++;
      soak->stats[kind].total_ms += recovery_ms;
      soak->stats[kind].max_ms = MAX (soak->stats[kind].max_ms, recovery_ms);
    }

  /* Quiet down, let everything sent arrive, then look at the CLI. */
  g_object_set (soak->sim, "traffic-interval", 0, NULL);
  quiesce_us = g_get_real_time ();
  soak->announced_wait_ms = 0;
  wait_for_feed (soak, g_get_monotonic_time (), 0, "the end of the traffic");
  run_for (soak, QUIESCE_MS);

  rss_end = cli_rss_kb (soak);
  fds_end = cli_n_fds (soak);
  if (rss_warm < 0)
    {
      rss_warm = rss_end;
      fds_warm = fds_end;
    }
  g_test_message ("cli after the warm-up: %" G_GINT64_FORMAT " kB, %d fds; at the end: %"
                  G_GINT64_FORMAT " kB, %d fds; peak sampled %" G_GINT64_FORMAT " kB",
                  rss_warm, fds_warm, rss_end, fds_end, rss_max);

  /* A clean stop: SIGTERM, subscriptions removed, exit 0. */
  g_subprocess_send_signal (soak->cli, SIGTERM);
  FW_TEST_WAIT_UNTIL (soak->exited && soak->out_done && soak->err_done, 30000);
  g_assert_true (g_subprocess_get_if_exited (soak->cli));
  status = g_subprocess_get_exit_status (soak->cli);
  g_assert_cmpint (status, ==, 0);

  g_test_message ("%-16s %6s %10s %10s", "fault", "count", "mean ms", "max ms");
  for (guint i = 0; i < N_FAULTS; i++)
    {
      FaultStats *stats = &soak->stats[i];

      g_test_message ("%-16s %6u %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT, fault_names[i],
                      stats->count, stats->count ? stats->total_ms / stats->count : 0, stats->max_ms);
    }
  g_test_message ("%u faults, %u probes, %u extra events, %u warnings, %u events received",
                  n_faults, soak->n_probes, soak->n_extra, soak->n_warnings,
                  g_hash_table_size (soak->received));

  g_assert_cmpuint (soak->n_bad_lines, ==, 0);
  check_events (soak, quiesce_us);

  /* Memory and descriptors level off. */
  g_assert_cmpint (rss_end, >, 0);
  g_assert_cmpint (rss_end, <=, rss_warm + MAX (RSS_GROWTH_KB, rss_warm * RSS_GROWTH_PERCENT / 100));
  g_assert_cmpint (fds_end, <=, fds_warm + FD_GROWTH);

  /* One shard: its channel, and at most one more from a handover. */
  g_assert_cmpuint (fw_sim_server_get_n_channels (soak->sim), <=, 2);

  g_clear_object (&soak->out);
  g_clear_object (&soak->err);
  g_clear_object (&soak->cli);
  g_clear_pointer (&soak->cli_pid, g_free);
  g_clear_pointer (&soak->received, g_hash_table_unref);
  g_clear_pointer (&soak->gaps, g_array_unref);
  g_clear_pointer (&soak->expiries, g_array_unref);
  g_clear_pointer (&soak->topics, g_strfreev);
  g_clear_pointer (&soak->rand, g_rand_free);
  g_signal_handlers_disconnect_by_data (soak->sim, soak);
  g_clear_object (&soak->sim);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/soak/cli/faults", test_faults);

  return g_test_run ();
}
