/* test-cli.c — the floorwatch-cli binary, run as a user runs it, against the simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fw-test-util.h"

#define TOPIC_SUPPORT  "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations"
#define TOPIC_SALES    "v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations"
#define TOPIC_ANA      "v2.users." FW_SIM_USER_ANA ".presence"
#define TOPIC_ANA_RS   "v2.users." FW_SIM_USER_ANA ".routingStatus"

#define CHANNELS_PATH  "/api/v2/notifications/channels/"

/* Distinctive, so that finding it in any output means it leaked. */
#define TEST_SECRET    "cli-test-secret-Qv7x9Lw2"
#define WRONG_SECRET   "cli-wrong-secret-Hk3p8Zr5"

/* Every run has a --duration well past the test's own limits: a CLI left
 * over by a failed test ends by itself. */
#define SAFETY_DURATION "--duration=90"

/* Generous for a loaded two-core machine. */
#define RUN_TIMEOUT_MS 30000

/* ---- Running the binary ---- */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GDataInputStream *err;
  GPtrArray        *out_lines;
  GPtrArray        *err_lines;
  gboolean          out_done;
  gboolean          err_done;
  gboolean          exited;
  gint64            started_us;
  gint64            exited_us;
} CliRun;

static const char *
cli_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("FW_CLI");

      if (env != NULL)
        path = g_strdup (env);
      else
        path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "floorwatch-cli", NULL);
    }

  return path;
}

static void
child_setup (gpointer user_data)
{
  /* If this test dies, so does the CLI it started. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void read_next_line (CliRun *run, GDataInputStream *stream);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CliRun *run = user_data;
  GDataInputStream *stream = G_DATA_INPUT_STREAM (source);
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish (stream, result, NULL, &error);
  g_assert_no_error (error);

  if (line == NULL)
    {
      if (stream == run->out)
        run->out_done = TRUE;
      else
        run->err_done = TRUE;
      return;
    }

  if (stream == run->err)
    g_test_message ("cli stderr: %s", line);

  g_ptr_array_add (stream == run->out ? run->out_lines : run->err_lines, line);
  read_next_line (run, stream);
}

static void
read_next_line (CliRun           *run,
                GDataInputStream *stream)
{
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, line_read_cb, run);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  run->exited = TRUE;
  run->exited_us = g_get_monotonic_time ();
}

/* Starts floorwatch-cli with @args.  @secret goes to the child through
 * GENESYSCLOUD_OAUTHCLIENT_SECRET (never argv); NULL leaves it unset.
 * @input, if not NULL, is written to its stdin, which is then closed. */
static CliRun *
cli_run_start (const char         *secret,
               const char         *input,
               const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GOutputStream *stdin_pipe;
  CliRun *run = g_new0 (CliRun, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_REGION");
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_ID");
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_SECRET");
  if (secret != NULL)
    g_subprocess_launcher_setenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_SECRET", secret, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  {
    g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);
    g_test_message ("running: %s", command);
  }

  run->out_lines = g_ptr_array_new_with_free_func (g_free);
  run->err_lines = g_ptr_array_new_with_free_func (g_free);
  run->started_us = g_get_monotonic_time ();
  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);

  stdin_pipe = g_subprocess_get_stdin_pipe (run->process);
  if (input != NULL)
    {
      g_output_stream_write_all (stdin_pipe, input, strlen (input), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);

  run->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run->process));
  run->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (run->process));
  read_next_line (run, run->out);
  read_next_line (run, run->err);
  g_subprocess_wait_async (run->process, NULL, wait_cb, run);

  return run;
}

static void
cli_run_free (CliRun *run)
{
  if (!run->exited)
    {
      g_subprocess_force_exit (run->process);
      FW_TEST_WAIT_UNTIL (run->exited, RUN_TIMEOUT_MS);
    }

  /* Let the pending reads see their end of file before the streams go. */
  FW_TEST_WAIT_UNTIL (run->out_done && run->err_done, RUN_TIMEOUT_MS);

  g_clear_object (&run->out);
  g_clear_object (&run->err);
  g_clear_object (&run->process);
  g_clear_pointer (&run->out_lines, g_ptr_array_unref);
  g_clear_pointer (&run->err_lines, g_ptr_array_unref);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)

static void
cli_run_wait (CliRun *run)
{
  FW_TEST_WAIT_UNTIL (run->exited && run->out_done && run->err_done, RUN_TIMEOUT_MS);
}

/* Nothing the CLI prints may hold a secret or a token. */
static void
cli_run_assert_no_secret (CliRun *run)
{
  GPtrArray *streams[] = { run->out_lines, run->err_lines };

  for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
    {
      for (guint i = 0; i < streams[s]->len; i++)
        {
          const char *line = g_ptr_array_index (streams[s], i);

          g_assert_null (strstr (line, TEST_SECRET));
          g_assert_null (strstr (line, WRONG_SECRET));
          g_assert_null (strstr (line, "access_token"));
          g_assert_null (strstr (line, "Bearer"));
        }
    }
}

static void
cli_run_assert_exit (CliRun *run,
                     int     exit_code)
{
  cli_run_wait (run);
  cli_run_assert_no_secret (run);
  g_assert_true (g_subprocess_get_if_exited (run->process));
  g_assert_cmpint (g_subprocess_get_exit_status (run->process), ==, exit_code);
}

static const char *
cli_run_find_err (CliRun     *run,
                  const char *needle)
{
  for (guint i = 0; i < run->err_lines->len; i++)
    {
      const char *line = g_ptr_array_index (run->err_lines, i);

      if (strstr (line, needle) != NULL)
        return line;
    }

  return NULL;
}

static guint
cli_run_count_err (CliRun     *run,
                   const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < run->err_lines->len; i++)
    {
      if (strstr (g_ptr_array_index (run->err_lines, i), needle) != NULL)
        n++;
    }

  return n;
}

/* Runs to the end and returns it, for the commands that do not wait for events. */
static CliRun *
cli_run (const char         *secret,
         const char         *input,
         const char * const *args)
{
  CliRun *run = cli_run_start (secret, input, args);

  cli_run_wait (run);
  return run;
}

/* ---- Fixture: a simulator with a client of our own ---- */

typedef struct
{
  FwSimServer *sim;
  char        *url;
  char        *env_option;
  char        *client_option;
  guint        sockets_opened;
} Fixture;

static void
socket_opened_cb (FwSimServer *sim,
                  const char  *channel_id,
                  Fixture     *f)
{
  f->sockets_opened++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = fw_test_sim_new ();
  g_object_set (f->sim, "client-secret", TEST_SECRET, NULL);
  f->url = g_strdup (fw_sim_server_get_url (f->sim));
  f->env_option = g_strdup_printf ("--environment=%s", f->url);
  f->client_option = g_strdup ("--client-id=" FW_SIM_DEFAULT_CLIENT_ID);
  g_signal_connect (f->sim, "socket-opened", G_CALLBACK (socket_opened_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->sim, f);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->env_option, g_free);
  g_clear_pointer (&f->client_option, g_free);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
publish (Fixture    *f,
         const char *topic,
         const char *body_json)
{
  g_autoptr(JsonNode) body = parse_json (body_json);

  return fw_sim_server_publish (f->sim, topic, body);
}

/* The published events on @topics, oldest first. */
static GPtrArray *
published_on (Fixture            *f,
              const char * const *topics)
{
  GPtrArray *all = fw_sim_server_get_published (f->sim);
  GPtrArray *mine = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      FwSimPublished *published = g_ptr_array_index (all, i);

      if (g_strv_contains (topics, published->topic))
        g_ptr_array_add (mine, published);
    }

  return mine;
}

static const char *
member_path_string (JsonNode   *node,
                    const char *first,
                    const char *second)
{
  JsonObject *object = json_node_get_object (node);

  if (second == NULL)
    return json_object_get_string_member (object, first);

  return json_object_get_string_member (json_object_get_object_member (object, first), second);
}

/* @line is the notification @published with eventBody @body, as one JSON object. */
static void
assert_line_is_event (const char     *line,
                      FwSimPublished *published,
                      const char     *body_json)
{
  g_autoptr(JsonNode) node = parse_json (line);
  g_autoptr(JsonNode) body = parse_json (body_json);
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpstr (member_path_string (node, "topicName", NULL), ==, published->topic);
  g_assert_cmpstr (member_path_string (node, "metadata", "CorrelationId"), ==,
                   published->correlation_id);
  g_assert_true (json_node_equal (json_object_get_member (object, "eventBody"), body));
}

static void
wait_until_live (CliRun *run)
{
  FW_TEST_WAIT_UNTIL (cli_run_find_err (run, "floorwatch: live") != NULL || run->exited,
                      RUN_TIMEOUT_MS);
  g_assert_false (run->exited);
}

/* Waits until a new socket is open and the CLI said it is live once more. */
static void
wait_until_live_again (Fixture *f,
                       CliRun  *run,
                       guint    sockets_opened_before)
{
  FW_TEST_WAIT_UNTIL (f->sockets_opened > sockets_opened_before &&
                      cli_run_count_err (run, "floorwatch: live") >= 2,
                      RUN_TIMEOUT_MS);
}

/* ---- Tests ---- */

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *cases[][8] = {
    { NULL },
    { "frobnicate", NULL },
    { "watch", f->env_option, f->client_option, "--no-such-option", TOPIC_ANA, NULL },
    { "watch", "--environment=login.example.com", f->client_option, TOPIC_ANA, NULL },
    { "watch", "--environment=http://192.0.2.1:8080", f->client_option, TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, NULL },
    { "watch", f->env_option, f->client_option, "--max-events=abc", TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, "--max-events=0", TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, "--duration=-1", TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, "--heartbeat-timeout=soon", TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, "--pong-timeout=0", TOPIC_ANA, NULL },
    { "watch", f->env_option, f->client_option, "--format=xml", TOPIC_ANA, NULL },
    { "watch", f->env_option, TOPIC_ANA, NULL },
    { "watch", "--demo", f->env_option, NULL },
    { "topics", f->env_option, f->client_option, "one", "two", NULL },
    { "simulate", "--port=70000", NULL },
    { "logout", f->env_option, f->client_option, "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliRun) run = cli_run (TEST_SECRET, NULL, cases[i]);

      cli_run_assert_exit (run, 2);
      /* One line that says what is wrong and where help is. */
      g_assert_cmpuint (run->err_lines->len, >=, 1);
      g_assert_nonnull (cli_run_find_err (run, "--help"));
      g_assert_cmpuint (run->out_lines->len, ==, 0);
    }

  /* Nothing reached the server. */
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, NULL, "/"), ==, 0);
}

static void
test_help_and_version (Fixture       *f,
                       gconstpointer  data)
{
  const char *commands[] = { "watch", "topics", "login", "logout", "simulate" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[] = { commands[i], "--help", NULL };
      g_autoptr(CliRun) run = cli_run (NULL, NULL, args);
      g_autofree char *usage = g_strdup_printf ("floorwatch-cli %s", commands[i]);

      cli_run_assert_exit (run, 0);
      g_assert_cmpuint (run->out_lines->len, >, 2);
      g_assert_nonnull (strstr (g_ptr_array_index (run->out_lines, 1), usage));
    }

  {
    const char *args[] = { "--version", NULL };
    g_autoptr(CliRun) run = cli_run (NULL, NULL, args);

    cli_run_assert_exit (run, 0);
    g_assert_cmpuint (run->out_lines->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (run->out_lines, 0), ==, "floorwatch-cli " PACKAGE_VERSION);
  }
}

static void
test_jsonl_exact (Fixture       *f,
                  gconstpointer  data)
{
  const char *topics[] = { TOPIC_SUPPORT, TOPIC_ANA, NULL };
  const char *bodies[] = {
    "{\"id\":\"c1\",\"participants\":[]}",
    "{\"presenceDefinition\":{\"systemPresence\":\"ON_QUEUE\"},\"n\":12345678901234}",
    "{\"id\":\"c2\",\"text\":\"caf\\u00e9 \\\"quoted\\\" \\\\ back\"}",
    "{\"presenceDefinition\":{\"systemPresence\":\"AWAY\"},\"d\":1.5e3}",
    "{\"id\":\"c3\",\"participants\":[{\"purpose\":\"customer\"}]}",
    "{\"presenceDefinition\":{\"systemPresence\":\"BREAK\"}}",
    "{\"id\":\"c4\"}",
  };
  const char *args[] = { "watch", f->env_option, f->client_option, "--max-events=5",
                         SAFETY_DURATION, TOPIC_SUPPORT, TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = NULL;
  g_autoptr(GPtrArray) published = NULL;

  g_object_set (f->sim, "heartbeat-interval", 100, NULL);
  run = cli_run_start (TEST_SECRET, NULL, args);
  wait_until_live (run);

  /* Heartbeats come every 100 ms: several of them pass before, between
   * and after the events, and none may reach stdout. */
  fw_test_run_for (400);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = publish (f, i % 2 == 0 ? TOPIC_SUPPORT : TOPIC_ANA, bodies[i]);

      if (i == 2)
        fw_test_run_for (300);
    }

  cli_run_assert_exit (run, 0);

  /* Exactly --max-events lines, each the published event, in order. */
  published = published_on (f, topics);
  g_assert_cmpuint (published->len, ==, G_N_ELEMENTS (bodies));
  g_assert_cmpuint (run->out_lines->len, ==, 5);
  for (guint i = 0; i < run->out_lines->len; i++)
    {
      const char *line = g_ptr_array_index (run->out_lines, i);

      g_assert_null (strstr (line, "channel.metadata"));
      g_assert_null (strstr (line, "Heartbeat"));
      assert_line_is_event (line, g_ptr_array_index (published, i), bodies[i]);
    }

  /* The watch removed its subscriptions on the way out. */
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "DELETE", CHANNELS_PATH), >=, 1);
}

static void
test_multiline_frame (Fixture       *f,
                      gconstpointer  data)
{
  /* A frame that is valid JSON but spread over lines, as a pretty-printer
   * would write it: it must still come out as one line. */
  const char *frame =
    "{\n"
    "  \"topicName\": \"" TOPIC_ANA "\",\r\n"
    "  \"version\": \"2\",\n"
    "  \"eventBody\": {\n"
    "    \"presenceDefinition\": { \"systemPresence\": \"MEAL\" },\n"
    "    \"message\": \"line one\\nline two\"\n"
    "  },\n"
    "  \"metadata\": { \"CorrelationId\": \"8d3f2b1e-0c4a-4d6e-9f7a-1b2c3d4e5f60\" }\n"
    "}\n";
  const char *args[] = { "watch", f->env_option, f->client_option, "--max-events=1",
                         SAFETY_DURATION, TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);
  g_autoptr(JsonNode) sent = parse_json (frame);
  g_autoptr(JsonNode) printed = NULL;

  wait_until_live (run);
  fw_sim_server_send_frame (f->sim, NULL, frame, strlen (frame), FALSE);

  cli_run_assert_exit (run, 0);
  g_assert_cmpuint (run->out_lines->len, ==, 1);
  printed = parse_json (g_ptr_array_index (run->out_lines, 0));
  g_assert_true (json_node_equal (printed, sent));
}

static void
test_text_format (Fixture       *f,
                  gconstpointer  data)
{
  const char *args[] = { "watch", f->env_option, f->client_option, "--format=text",
                         "--max-events=4", SAFETY_DURATION,
                         TOPIC_ANA, TOPIC_ANA_RS, TOPIC_SALES, TOPIC_SUPPORT, NULL };
  g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);
  g_autoptr(GRegex) time_prefix = g_regex_new ("^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]  ", 0, 0, NULL);
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autofree char *id4 = NULL;
  const char *expected[][2] = {
    { TOPIC_ANA, "presence ON_QUEUE" },
    { TOPIC_ANA_RS, "routing NOT_RESPONDING" },
    { TOPIC_SALES, "voice: 2 waiting, 3 interacting, 1 alerting" },
    { TOPIC_SUPPORT, "conversation eea630fc (Carlos Mendes): waiting" },
  };

  wait_until_live (run);
  id1 = publish (f, TOPIC_ANA,
                 "{\"source\":\"PURECLOUD\",\"presenceDefinition\":{\"id\":\"e08eaf1b\","
                 "\"systemPresence\":\"ON_QUEUE\"},\"primary\":true,\"message\":\"\"}");
  id2 = publish (f, TOPIC_ANA_RS,
                 "{\"id\":\"" FW_SIM_USER_ANA "\","
                 "\"routingStatus\":{\"status\":\"NOT_RESPONDING\"}}");
  id3 = publish (f, TOPIC_SALES,
                 "{\"group\":{\"queueId\":\"" FW_SIM_QUEUE_SALES "\",\"mediaType\":\"voice\"},"
                 "\"data\":[{\"interval\":\"x\",\"metrics\":["
                 "{\"metric\":\"oWaiting\",\"stats\":{\"count\":2}},"
                 "{\"metric\":\"oInteracting\",\"stats\":{\"count\":1}},"
                 "{\"metric\":\"oInteracting\",\"qualifier\":\"q\",\"stats\":{\"count\":2}},"
                 "{\"metric\":\"oAlerting\",\"stats\":{\"count\":1}}]}]}");
  id4 = publish (f, TOPIC_SUPPORT,
                 "{\"id\":\"eea630fc-c69a-4f39-a9d3-f450e60b32ea\",\"participants\":["
                 "{\"purpose\":\"customer\",\"name\":\"Carlos Mendes\",\"connectedTime\":\"t\"},"
                 "{\"purpose\":\"ivr\",\"name\":\"Main\",\"endTime\":\"t\"},"
                 "{\"purpose\":\"acd\",\"name\":\"Support\",\"connectedTime\":\"t\"}]}");

  cli_run_assert_exit (run, 0);
  g_assert_cmpuint (run->out_lines->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const char *line = g_ptr_array_index (run->out_lines, i);
      g_autofree char *rest = NULL;

      g_assert_true (g_regex_match (time_prefix, line, 0, NULL));
      rest = g_strdup_printf ("%s  %s", expected[i][0], expected[i][1]);
      g_assert_cmpstr (line + strlen ("HH:MM:SS  "), ==, rest);
    }
}

static void
test_duration (Fixture       *f,
               gconstpointer  data)
{
  const char *args[] = { "watch", f->env_option, f->client_option, "--duration=0.5",
                         TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);

  cli_run_assert_exit (run, 0);
  g_assert_cmpint (run->exited_us - run->started_us, >=, 500 * 1000);
  g_assert_cmpuint (run->out_lines->len, ==, 0);
}

static void
test_signals (Fixture       *f,
              gconstpointer  data)
{
  const int signals[] = { SIGTERM, SIGINT };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      const char *args[] = { "watch", f->env_option, f->client_option, SAFETY_DURATION,
                             TOPIC_ANA, TOPIC_SALES, NULL };
      g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);
      guint deletes = fw_sim_server_count_requests (f->sim, "DELETE", CHANNELS_PATH);
      g_auto(GStrv) channels = NULL;

      wait_until_live (run);
      channels = fw_sim_server_dup_channel_ids (f->sim);
      g_assert_cmpuint (g_strv_length (channels), >=, 1);

      g_subprocess_send_signal (run->process, signals[i]);
      cli_run_assert_exit (run, 0);
      g_assert_nonnull (cli_run_find_err (run, "stopping"));

      /* A clean stop: every channel of ours subscribes nothing any more. */
      g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "DELETE", CHANNELS_PATH), >, deletes);
      for (guint c = 0; channels[c] != NULL; c++)
        {
          g_auto(GStrv) subscribed = fw_sim_server_dup_subscriptions (f->sim, channels[c]);

          g_assert_true (subscribed == NULL || subscribed[0] == NULL);
        }
    }
}

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  const char *args[] = { "watch", f->env_option, f->client_option, SAFETY_DURATION,
                         TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (WRONG_SECRET, NULL, args);

  cli_run_assert_exit (run, 3);
  g_assert_nonnull (cli_run_find_err (run, "credentials rejected"));
  g_assert_cmpuint (run->out_lines->len, ==, 0);

  /* Fatal at once: one grant, no retry loop. */
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), <=, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/oauth/token"), ==, 1);
}

static void
test_no_secret (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *client = g_strdup_printf ("--client-id=cli-test-nobody-%u", g_random_int ());
  const char *args[] = { "watch", f->env_option, client, SAFETY_DURATION, TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (NULL, NULL, args);

  cli_run_assert_exit (run, 1);
  g_assert_nonnull (cli_run_find_err (run, "no secret"));
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, NULL, "/"), ==, 0);
}

static void
test_gap (Fixture       *f,
          gconstpointer  data)
{
  const char *topics[] = { TOPIC_ANA, NULL };
  const char *args[] = { "watch", f->env_option, f->client_option, "--max-events=2",
                         "--heartbeat-timeout=1", "--pong-timeout=0.5", SAFETY_DURATION,
                         TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);
  g_autoptr(GPtrArray) published = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint opened;

  wait_until_live (run);
  before = publish (f, TOPIC_ANA, "{\"presenceDefinition\":{\"systemPresence\":\"AVAILABLE\"}}");
  FW_TEST_WAIT_UNTIL (run->out_lines->len == 1, RUN_TIMEOUT_MS);

  opened = f->sockets_opened;
  fw_sim_server_drop_sockets (f->sim);
  /* Published while no socket is open: lost for good, hence the gap. */
  lost = publish (f, TOPIC_ANA, "{\"presenceDefinition\":{\"systemPresence\":\"AWAY\"}}");

  FW_TEST_WAIT_UNTIL (cli_run_find_err (run, "may be missing") != NULL, RUN_TIMEOUT_MS);
  wait_until_live_again (f, run, opened);
  g_assert_nonnull (cli_run_find_err (run, "floorwatch: gap "));

  /* The feed goes on after the gap. */
  after = publish (f, TOPIC_ANA, "{\"presenceDefinition\":{\"systemPresence\":\"BUSY\"}}");
  cli_run_assert_exit (run, 0);

  published = published_on (f, topics);
  g_assert_cmpuint (published->len, ==, 3);
  g_assert_cmpuint (run->out_lines->len, ==, 2);
  assert_line_is_event (g_ptr_array_index (run->out_lines, 0), g_ptr_array_index (published, 0),
                        "{\"presenceDefinition\":{\"systemPresence\":\"AVAILABLE\"}}");
  assert_line_is_event (g_ptr_array_index (run->out_lines, 1), g_ptr_array_index (published, 2),
                        "{\"presenceDefinition\":{\"systemPresence\":\"BUSY\"}}");
}

static void
test_rejected_topic (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { "watch", f->env_option, f->client_option, SAFETY_DURATION,
                         TOPIC_SALES, TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = NULL;
  const char *line;

  fw_sim_server_reject_topics (f->sim, "v2.users.", "missing permission directory:user:view");
  run = cli_run_start (TEST_SECRET, NULL, args);

  FW_TEST_WAIT_UNTIL (cli_run_find_err (run, "rejected") != NULL || run->exited, RUN_TIMEOUT_MS);
  wait_until_live (run);
  line = cli_run_find_err (run, "rejected");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, TOPIC_ANA));
  g_assert_nonnull (strstr (line, "missing permission directory:user:view"));
  g_assert_null (cli_run_find_err (run, TOPIC_SALES));

  /* The other topic is still watched. */
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);
  g_subprocess_send_signal (run->process, SIGTERM);
  cli_run_assert_exit (run, 0);
}

static void
test_silent_server (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "watch", f->env_option, f->client_option,
                         "--heartbeat-timeout=0.5", "--pong-timeout=0.5", SAFETY_DURATION,
                         TOPIC_ANA, NULL };
  g_autoptr(CliRun) run = cli_run_start (TEST_SECRET, NULL, args);
  gint64 silent_since;
  gint64 elapsed_ms;
  guint opened;

  wait_until_live (run);

  /* The server pongs our pings: half-second timeouts keep a live feed up. */
  opened = f->sockets_opened;
  fw_test_run_for (1500);
  g_assert_cmpuint (f->sockets_opened, ==, opened);
  g_assert_null (cli_run_find_err (run, "reconnecting"));

  silent_since = g_get_monotonic_time ();
  fw_sim_server_set_silent (f->sim, TRUE);
  FW_TEST_WAIT_UNTIL (cli_run_find_err (run, "reconnecting") != NULL, RUN_TIMEOUT_MS);
  elapsed_ms = (g_get_monotonic_time () - silent_since) / 1000;
  g_test_message ("a silent server was noticed after %" G_GINT64_FORMAT " ms", elapsed_ms);
  fw_sim_server_set_silent (f->sim, FALSE);

  /* No sooner than the pong timeout, and about a second later, not 80. */
  g_assert_cmpint (elapsed_ms, >=, 450);
  g_assert_cmpint (elapsed_ms, <, 8000);

  wait_until_live_again (f, run, opened);
  g_subprocess_send_signal (run->process, SIGTERM);
  cli_run_assert_exit (run, 0);
}

static void
test_topics_search (Fixture       *f,
                    gconstpointer  data)
{
  const char *all_args[] = { "topics", f->env_option, f->client_option, NULL };
  const char *search_args[] = { "topics", f->env_option, f->client_option, "PRESENCE", NULL };
  const char *none_args[] = { "topics", f->env_option, f->client_option, "no-such-topic-xyz",
                              NULL };
  g_autoptr(CliRun) all = cli_run (TEST_SECRET, NULL, all_args);
  g_autoptr(CliRun) search = cli_run (TEST_SECRET, NULL, search_args);
  g_autoptr(CliRun) none = cli_run (TEST_SECRET, NULL, none_args);
  gboolean found_presence = FALSE;

  cli_run_assert_exit (all, 0);
  cli_run_assert_exit (search, 0);
  cli_run_assert_exit (none, 0);

  g_assert_cmpuint (search->out_lines->len, >=, 1);
  g_assert_cmpuint (search->out_lines->len, <, all->out_lines->len);
  for (guint i = 0; i < search->out_lines->len; i++)
    {
      const char *line = g_ptr_array_index (search->out_lines, i);
      g_autofree char *folded = g_utf8_casefold (line, -1);

      g_assert_nonnull (strstr (folded, "presence"));
      g_assert_nonnull (strstr (line, " — "));
      if (g_str_has_prefix (line, "v2.users.{id}.presence — "))
        found_presence = TRUE;
    }
  g_assert_true (found_presence);

  /* Every line of the full list has an id and a description. */
  for (guint i = 0; i < all->out_lines->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (all->out_lines, i), "v2."));

  g_assert_cmpuint (none->out_lines->len, ==, 0);
  g_assert_nonnull (cli_run_find_err (none, "no topic matches"));
}

/* ---- The keyring ---- */

typedef struct
{
  gboolean  done;
  char     *secret;
  GError   *error;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = fw_credentials_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* What the keyring holds for the fixture's simulator and client; FALSE when
 * there is no keyring to ask. */
static gboolean
keyring_lookup (Fixture  *f,
                char    **secret_out)
{
  Lookup lookup = { 0, };
  g_autoptr(FwEnvironment) environment = fw_test_environment_new (f->sim);

  fw_credentials_lookup_async (fw_environment_get_name (environment), FW_SIM_DEFAULT_CLIENT_ID,
                               NULL, lookup_cb, &lookup);
  FW_TEST_WAIT_UNTIL (lookup.done, RUN_TIMEOUT_MS);

  if (lookup.error != NULL)
    {
      g_test_message ("no keyring: %s", lookup.error->message);
      g_clear_error (&lookup.error);
      return FALSE;
    }

  *secret_out = lookup.secret;
  return TRUE;
}

static gboolean
skip_without_keyring (Fixture *f)
{
  char *secret = NULL;

  if (!keyring_lookup (f, &secret))
    {
      g_test_skip ("no keyring in this session (run under dbus-run-session with gnome-keyring)");
      return TRUE;
    }

  g_assert_null (secret);
  return FALSE;
}

static void
test_login_wrong_secret (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "login", f->env_option, f->client_option, NULL };
  g_autoptr(CliRun) run = NULL;
  char *stored = NULL;

  if (skip_without_keyring (f))
    return;

  run = cli_run (NULL, WRONG_SECRET "\n", args);
  cli_run_assert_exit (run, 3);
  g_assert_nonnull (cli_run_find_err (run, "rejected"));
  g_assert_nonnull (cli_run_find_err (run, "nothing stored"));
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/oauth/token"), ==, 1);

  g_assert_true (keyring_lookup (f, &stored));
  g_assert_null (stored);
}

static void
test_login_watch_logout (Fixture       *f,
                         gconstpointer  data)
{
  const char *login_args[] = { "login", f->env_option, f->client_option, NULL };
  const char *watch_args[] = { "watch", f->env_option, f->client_option, "--max-events=1",
                               SAFETY_DURATION, TOPIC_ANA, NULL };
  const char *logout_args[] = { "logout", f->env_option, f->client_option, NULL };
  g_autoptr(CliRun) login = NULL;
  g_autoptr(CliRun) watch = NULL;
  g_autoptr(CliRun) logout = NULL;
  g_autofree char *id = NULL;
  char *stored = NULL;

  if (skip_without_keyring (f))
    return;

  /* One line, its line break not part of the secret. */
  login = cli_run (NULL, TEST_SECRET "\n", login_args);
  cli_run_assert_exit (login, 0);
  g_assert_true (keyring_lookup (f, &stored));
  g_assert_cmpstr (stored, ==, TEST_SECRET);
  fw_credentials_free_secret (stored);

  /* No secret in the environment: the watch finds it in the keyring. */
  watch = cli_run_start (NULL, NULL, watch_args);
  wait_until_live (watch);
  id = publish (f, TOPIC_ANA, "{\"presenceDefinition\":{\"systemPresence\":\"AVAILABLE\"}}");
  cli_run_assert_exit (watch, 0);
  g_assert_cmpuint (watch->out_lines->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (watch->out_lines, 0), id));

  logout = cli_run (NULL, NULL, logout_args);
  cli_run_assert_exit (logout, 0);
  g_assert_true (keyring_lookup (f, &stored));
  g_assert_null (stored);
}

static void
test_watch_reuses_channels (Fixture       *f,
                            gconstpointer  data)
{
  const char *watch_args[] = { "watch", f->env_option, f->client_option, "--max-events=1",
                               SAFETY_DURATION, TOPIC_ANA, NULL };
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;

  if (skip_without_keyring (f))
    return;

  /* Two runs one after the other hold one channel between them: the second
   * takes back what the first made, as the keyring remembers. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CliRun) watch = cli_run_start (TEST_SECRET, NULL, watch_args);
      g_autofree char *id = NULL;

      wait_until_live (watch);
      if (i == 0)
        first = fw_sim_server_dup_channel_ids (f->sim);
      else
        second = fw_sim_server_dup_channel_ids (f->sim);
      id = publish (f, TOPIC_ANA, "{\"presenceDefinition\":{\"systemPresence\":\"AVAILABLE\"}}");
      cli_run_assert_exit (watch, 0);
      cli_run_assert_no_secret (watch);
    }

  g_assert_cmpuint (g_strv_length (second), ==, 1);
  g_assert_cmpstrv (first, second);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"),
                    ==, 1);
}

/* ---- The simulator and the demo ---- */

static void
test_simulate (Fixture       *f,
               gconstpointer  data)
{
  const char *sim_args[] = { "simulate", "--port=0", "--traffic-interval=50",
                             "--heartbeat-interval=200", NULL };
  g_autoptr(CliRun) sim = cli_run_start (NULL, NULL, sim_args);
  g_autoptr(CliRun) watch = NULL;
  g_autoptr(GRegex) url_regex = g_regex_new ("(http://127\\.0\\.0\\.1:[0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) line_regex = g_regex_new ("^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]  v2\\.[^ ]+  .+",
                                              0, 0, NULL);
  g_autofree char *url = NULL;
  g_autofree char *env_option = NULL;

  FW_TEST_WAIT_UNTIL (sim->out_lines->len >= 4 || sim->exited, RUN_TIMEOUT_MS);
  g_assert_false (sim->exited);
  g_assert_true (g_regex_match (url_regex, g_ptr_array_index (sim->out_lines, 0), 0, &match));
  url = g_match_info_fetch (match, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (sim->out_lines, 1), FW_SIM_DEFAULT_CLIENT_ID));
  g_assert_nonnull (strstr (g_ptr_array_index (sim->out_lines, 2),
                            "GENESYSCLOUD_OAUTHCLIENT_SECRET="));

  /* A second process watches it, as the printed hint says. */
  env_option = g_strdup_printf ("--environment=%s", url);
  {
    const char *watch_args[] = {
      "watch", env_option, "--client-id=" FW_SIM_DEFAULT_CLIENT_ID, "--format=text",
      "--max-events=3", SAFETY_DURATION,
      "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations",
      "v2.routing.queues." FW_SIM_QUEUE_SALES ".conversations",
      "v2.analytics.queues." FW_SIM_QUEUE_SUPPORT ".observations",
      "v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations",
      "v2.users." FW_SIM_USER_ANA ".activity",
      NULL
    };

    watch = cli_run_start (FW_SIM_DEFAULT_CLIENT_SECRET, NULL, watch_args);
  }
  cli_run_assert_exit (watch, 0);
  g_assert_cmpuint (watch->out_lines->len, ==, 3);
  for (guint i = 0; i < watch->out_lines->len; i++)
    g_assert_true (g_regex_match (line_regex, g_ptr_array_index (watch->out_lines, i), 0, NULL));

  g_subprocess_send_signal (sim->process, SIGTERM);
  cli_run_wait (sim);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "watch", "--demo", "--max-events=3", SAFETY_DURATION, NULL };
  g_autoptr(CliRun) run = cli_run_start (NULL, NULL, args);

  cli_run_assert_exit (run, 0);
  g_assert_cmpuint (run->out_lines->len, ==, 3);
  for (guint i = 0; i < run->out_lines->len; i++)
    {
      g_autoptr(JsonNode) node = parse_json (g_ptr_array_index (run->out_lines, i));
      const char *topic = member_path_string (node, "topicName", NULL);

      g_assert_true (g_str_has_prefix (topic, "v2.routing.queues.") ||
                     g_str_has_prefix (topic, "v2.analytics.queues.") ||
                     g_str_has_prefix (topic, "v2.users."));
      g_assert_nonnull (member_path_string (node, "metadata", "CorrelationId"));
    }
}

/* libsoup 3.2's server warns when a client closes a connection before the
 * server has looked at it ("could not get remote address").  A CLI that is
 * told to stop while a request is on its way does exactly that; it says
 * nothing about the CLI, so that one warning of the simulator's server does
 * not end the test.  Every other warning still does. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "libsoup") == 0 &&
      (log_level & G_LOG_LEVEL_WARNING) != 0 &&
      strstr (message, "could not get remote address") != NULL)
    return FALSE;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/usage/errors", test_usage_errors);
  ADD ("/cli/usage/help-and-version", test_help_and_version);
  ADD ("/cli/watch/jsonl-exact", test_jsonl_exact);
  ADD ("/cli/watch/multiline-frame", test_multiline_frame);
  ADD ("/cli/watch/text-format", test_text_format);
  ADD ("/cli/watch/duration", test_duration);
  ADD ("/cli/watch/signals", test_signals);
  ADD ("/cli/watch/wrong-secret", test_wrong_secret);
  ADD ("/cli/watch/no-secret", test_no_secret);
  ADD ("/cli/watch/gap", test_gap);
  ADD ("/cli/watch/rejected-topic", test_rejected_topic);
  ADD ("/cli/watch/silent-server", test_silent_server);
  ADD ("/cli/watch/demo", test_demo);
  ADD ("/cli/topics/search", test_topics_search);
  ADD ("/cli/login/wrong-secret", test_login_wrong_secret);
  ADD ("/cli/login/watch-logout", test_login_watch_logout);
  ADD ("/cli/watch/reuses-channels", test_watch_reuses_channels);
  ADD ("/cli/simulate", test_simulate);

#undef ADD

  return g_test_run ();
}
