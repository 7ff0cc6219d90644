/* bench-ingest.c — how fast notifications get from the socket into the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator runs in a child process (forked before any main loop or
 * thread exists), so that each side has a core and the memory figures are
 * the client's own.  The client takes the real path: a FwSession over the
 * simulator's REST API and socket, validation and parsing of every frame,
 * de-duplication, and FwEventStore ("notification" → fw_event_store_append).
 * --mode=plain replaces FwSession and FwChannel with a bare libsoup
 * WebSocket client on the main thread doing the same work, as a comparison;
 * --mode=receive is that client doing nothing with the frames (libsoup's own
 * cost); --mode=ceiling takes libsoup and the simulator away altogether (see
 * there).  CPU time per frame is given per thread, which says more than the
 * rate on a machine that other work shares.
 *
 * Phases: warm-up; retention (N notifications kept, RSS growth / N);
 * throughput (the simulator floods as fast as the socket takes, the store
 * keeps the newest N); a mix of 1 % broken and 1 % duplicate frames, all of
 * which must be refused or dropped.
 */

#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>

#include "fw-correlation-set.h"
#include "fw-engine.h"
#include "fw-sim-server.h"
#include "fw-test-util.h"

#define TOPIC            "v2.users." FW_SIM_USER_ANA ".presence"
#define TARGET_RATE      350000.0
#define TARGET_BYTES     2048.0
#define MIX_ROUND        200     /* frames per mix round: 2 broken, 2 duplicates */
#define WARMUP_COUNT     2000
#define PHASE_TIMEOUT_S  120

/* ---- Options ---- */

static guint count = 1000000;
static guint frame_size = 1024;
static guint retain = 200000;
static guint mix_count = 100000;
static char *mode = NULL;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Frames in the throughput run (default 1000000)", "N" },
  { "size", 's', 0, G_OPTION_ARG_INT, &frame_size, "Frame size in bytes (default 1024)", "BYTES" },
  { "retain", 'r', 0, G_OPTION_ARG_INT, &retain, "Notifications the store keeps (default 200000)", "N" },
  { "mix", 0, 0, G_OPTION_ARG_INT, &mix_count, "Frames in the broken/duplicate mix (default 100000)", "N" },
  { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode,
    "session (the engine, default), plain (bare libsoup client), receive (libsoup alone) "
    "or ceiling (no libsoup, no simulator)", "MODE" },
  { NULL }
};

/* ---- CPU ---- */

static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU time of this process's threads so far, in seconds, by thread name. */
static GHashTable *
thread_cpu_seconds (void)
{
  GHashTable *threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "schedstat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *schedstat = NULL;
      double *total;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_file_get_contents (stat_path, &schedstat, NULL, NULL))
        continue;
      g_strstrip (comm);

      total = g_hash_table_lookup (threads, comm);
      if (total == NULL)
        {
          total = g_new0 (double, 1);
          g_hash_table_insert (threads, g_strdup (comm), total);
        }
      /* The first field is the time spent on a CPU, in nanoseconds. */
      *total += g_ascii_strtoull (schedstat, NULL, 10) / 1e9;
    }

  return threads;
}

/* ---- The simulator's side ---- */

/* Broken frames for the mix.  All are valid UTF-8: a text frame that is not
 * makes libsoup itself fail the connection (close code 1007, as RFC 6455
 * asks), so such a frame never reaches the parser; FwChannel's reconnection
 * is tested elsewhere. */
static const char *broken_text[] = {
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{\"a\":",                   /* truncated */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{},}",                      /* trailing comma */
  "{topicName:\"" TOPIC "\",\"eventBody\":{}}",                           /* unquoted key */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{\"a\":NaN}}",
  "[{\"topicName\":\"" TOPIC "\",\"eventBody\":{}}]",                     /* not an object */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{}} trailing",
  "{\"eventBody\":{},\"metadata\":{\"CorrelationId\":\"x\"}}",            /* no topicName */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":[1,2,3]}",                  /* body not an object */
  " \t\r\n ",
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{\"a\":\"\\ud800\"}}",          /* lone surrogate */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{\"a\":\"tab\there\"}}",          /* raw control */
  "{\"topicName\":\"" TOPIC "\",\"eventBody\":{\"a\":1e999}}",
  "{\"topicName\":\"" TOPIC "\",\"topicName\":\"x\",\"eventBody\":{}}",         /* twice */
};

typedef struct
{
  FwSimServer       *sim;
  GMainLoop         *loop;
  GDataInputStream  *commands;
  GOutputStream     *replies;
  char              *good_template;
  gsize              id_offset;
  guint64            next_id;
  guint              round;
} Server;

static void read_command (Server *server);

static void
reply (Server     *server,
       const char *line)
{
  g_output_stream_write_all (server->replies, line, strlen (line), NULL, NULL, NULL);
}

static void
flood_done_cb (FwSimServer *sim,
               Server      *server)
{
  reply (server, "done\n");
}

/* A valid event of about @size bytes whose CorrelationId ends in a 12-digit
 * counter written at *@id_offset. */
static char *
build_frame_template (gsize  size,
                      gsize *id_offset)
{
  static const char head[] = "{\"topicName\":\"" TOPIC "\",\"version\":\"2\",\"eventBody\":"
                             "{\"source\":\"PURECLOUD\",\"presenceDefinition\":{\"id\":"
                             "\"e08eaf1b-ee47-4fa9-a231-1200e284798f\",\"systemPresence\":"
                             "\"ON_QUEUE\"},\"primary\":true,\"message\":\"";
  static const char middle[] = "\"},\"metadata\":{\"CorrelationId\":\"";
  static const char id[] = "00000000-0000-4000-8000-000000000000";
  GString *frame = g_string_new (head);
  gsize fixed = strlen (head) + strlen (middle) + strlen (id) + strlen ("\"}}");

  for (gsize i = fixed; i < size; i++)
    g_string_append_c (frame, 'x');
  g_string_append (frame, middle);
  *id_offset = frame->len + 24;
  g_string_append (frame, id);
  g_string_append (frame, "\"}}");

  return g_string_free (frame, FALSE);
}

static void
build_good_template (Server *server,
                     gsize   size)
{
  g_free (server->good_template);
  server->good_template = build_frame_template (size, &server->id_offset);
}

static void
set_id (char    *frame,
        gsize    offset,
        guint64  value)
{
  static const char hex[] = "0123456789abcdef";

  for (guint i = 12; i > 0; i--)
    {
      frame[offset + i - 1] = hex[value & 0xf];
      value >>= 4;
    }
}

/* One round: 196 good frames with two broken ones and two re-sent ones
 * among them. */
static void
send_mix_round (Server *server)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  char *frame = server->good_template;
  gsize length = strlen (frame);
  const char *text = broken_text[server->round % G_N_ELEMENTS (broken_text)];
  const char *other = broken_text[(server->round + 7) % G_N_ELEMENTS (broken_text)];

  for (guint i = 0; i < MIX_ROUND - 4; i++)
    {
      set_id (frame, server->id_offset, server->next_id++);
      fw_sim_server_send_frame (server->sim, NULL, frame, length, FALSE);

      if (i == 0)
        first = g_strdup (frame);
      else if (i == 1)
        second = g_strdup (frame);
      else if (i == 50)
        fw_sim_server_send_frame (server->sim, NULL, first, length, FALSE);
      else if (i == 100 && server->round % 10 == 9)
        fw_sim_server_send_frame (server->sim, NULL, text, strlen (text), TRUE);  /* binary */
      else if (i == 100)
        fw_sim_server_send_frame (server->sim, NULL, text, strlen (text), FALSE);
      else if (i == 150)
        fw_sim_server_send_frame (server->sim, NULL, second, length, FALSE);
      else if (i == 180)
        fw_sim_server_send_frame (server->sim, NULL, other, strlen (other), FALSE);
    }

  server->round++;
  reply (server, "sent\n");
}

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Server *server = user_data;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;

  line = g_data_input_stream_read_line_finish (server->commands, result, NULL, NULL);
  if (line == NULL)
    {
      g_main_loop_quit (server->loop);
      return;
    }

  words = g_strsplit (line, " ", -1);
  if (g_str_equal (words[0], "flood") && g_strv_length (words) == 3)
    {
      fw_sim_server_flood (server->sim, TOPIC,
                           (guint) g_ascii_strtoull (words[1], NULL, 10),
                           (gsize) g_ascii_strtoull (words[2], NULL, 10));
    }
  else if (g_str_equal (words[0], "mix-size") && g_strv_length (words) == 2)
    {
      build_good_template (server, (gsize) g_ascii_strtoull (words[1], NULL, 10));
      reply (server, "ok\n");
    }
  else if (g_str_equal (words[0], "round"))
    {
      send_mix_round (server);
    }
  else if (g_str_equal (words[0], "cpu"))
    {
      g_autofree char *answer = g_strdup_printf ("%.6f\n", cpu_seconds (RUSAGE_SELF));

      reply (server, answer);
    }
  else
    {
      g_main_loop_quit (server->loop);
      return;
    }

  read_command (server);
}

static void
read_command (Server *server)
{
  g_data_input_stream_read_line_async (server->commands, G_PRIORITY_DEFAULT, NULL,
                                       command_cb, server);
}

static int
run_server (int command_fd,
            int reply_fd)
{
  Server server = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *hello = NULL;

  /* Go when the client goes, whatever happens to it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);

  server.sim = fw_sim_server_new ();
  if (!fw_sim_server_listen (server.sim, 0, &error))
    {
      g_printerr ("bench-ingest: the simulator cannot listen: %s\n", error->message);
      return 1;
    }

  server.loop = g_main_loop_new (NULL, FALSE);
  input = g_unix_input_stream_new (command_fd, TRUE);
  server.commands = g_data_input_stream_new (input);
  server.replies = g_unix_output_stream_new (reply_fd, TRUE);
  g_signal_connect (server.sim, "flood-done", G_CALLBACK (flood_done_cb), &server);

  hello = g_strdup_printf ("%s\n", fw_sim_server_get_url (server.sim));
  reply (&server, hello);

  read_command (&server);
  g_main_loop_run (server.loop);

  g_clear_object (&server.commands);
  g_clear_object (&server.replies);
  g_clear_object (&server.sim);
  g_clear_pointer (&server.loop, g_main_loop_unref);
  g_free (server.good_template);
  return 0;
}

/* ---- The client's side ---- */

typedef struct
{
  gboolean                  plain;
  gboolean                  receive_only;
  gboolean                  ceiling;
  FwApi                    *api;
  FwEventStore             *store;

  /* session mode */
  FwSession                *session;
  guint64                   n_warnings;

  /* plain mode: the same work without FwSession/FwChannel */
  SoupWebsocketConnection  *socket;
  FwCorrelationSet         *seen;
  guint64                   n_plain_duplicates;
  guint64                   n_plain_rejected;
  GError                   *error;
  guint                     n_setup_pending;

  guint64                   n_appended;
  guint64                   n_expected;       /* frames sent so far, all phases */
  guint64                   phase_start;      /* n_appended when the phase began */
  gint64                    first_us;         /* first notification of the phase */

  GOutputStream            *to_server;
  GDataInputStream         *from_server;
} Client;

static guint64
n_duplicates (Client *client)
{
  return client->plain ? client->n_plain_duplicates : fw_session_get_n_duplicates (client->session);
}

static guint64
n_rejected (Client *client)
{
  return client->plain ? client->n_plain_rejected : fw_session_get_n_rejected_frames (client->session);
}

/* Every frame that reached the client and was not a heartbeat or a pong. */
static guint64
n_received (Client *client)
{
  return client->n_appended + n_duplicates (client) + n_rejected (client);
}

static inline void
take (Client         *client,
      FwNotification *notification)
{
  if (client->n_appended == client->phase_start)
    client->first_us = g_get_monotonic_time ();
  client->n_appended++;
  fw_event_store_append (client->store, notification);
}

static void
session_notification_cb (FwSession      *session,
                         FwNotification *notification,
                         Client         *client)
{
  take (client, notification);
}

static void
session_warning_cb (FwSession  *session,
                    const char *message,
                    Client     *client)
{
  client->n_warnings++;
}

static void handle_frame (Client     *client,
                          const char *data,
                          gsize       length);

static void
plain_message_cb (SoupWebsocketConnection *socket,
                  gint                     type,
                  GBytes                  *message,
                  Client                  *client)
{
  gconstpointer data;
  gsize length;

  if (client->receive_only)
    {
      /* Only what libsoup costs: count the frame, look at nothing. */
      if (client->n_appended == client->phase_start)
        client->first_us = g_get_monotonic_time ();
      client->n_appended++;
      return;
    }

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      client->n_plain_rejected++;
      return;
    }

  data = g_bytes_get_data (message, &length);
  handle_frame (client, data, length);
}

/* What FwChannel and FwSession do with a text frame, minus the signals. */
static void
handle_frame (Client     *client,
              const char *data,
              gsize       length)
{
  g_autoptr(FwNotification) notification = NULL;
  const char *id;

  notification = fw_notification_new_from_data (data, length, g_get_real_time (), NULL);
  if (notification == NULL)
    {
      client->n_plain_rejected++;
      return;
    }

  if (fw_notification_get_kind (notification) != FW_NOTIFICATION_KIND_EVENT)
    return;

  id = fw_notification_get_correlation_id (notification);
  if (id != NULL && !fw_correlation_set_add (client->seen, id))
    {
      client->n_plain_duplicates++;
      return;
    }

  take (client, notification);
}

/* ---- Ceiling: the engine's own path with neither libsoup nor the simulator ---- */

/* A child writes ready-made WebSocket frames into a socket pair as fast as
 * it takes them; the client reads 256 KiB at a time in the main loop,
 * splits frames in place and does exactly what plain mode does with each.
 * Not the product's path: it shows what is left once libsoup's receive path
 * and the simulator's send path are out of the way. */

static int
run_ceiling_writer (int     fd,
                    guint64 total)
{
  gsize id_offset;
  g_autofree char *frame = build_frame_template (frame_size, &id_offset);
  gsize length = strlen (frame);
  gsize header = length < 126 ? 2 : length <= G_MAXUINT16 ? 4 : 10;
  gsize per = header + length;
  guint batch = MAX (1, (256 * 1024) / per);
  g_autofree char *buffer = g_malloc (per * batch);

  prctl (PR_SET_PDEATHSIG, SIGTERM);

  for (guint i = 0; i < batch; i++)
    {
      guchar *p = (guchar *) buffer + i * per;

      p[0] = 0x81;
      if (header == 2)
        p[1] = (guchar) length;
      else if (header == 4)
        {
          p[1] = 126;
          p[2] = (length >> 8) & 0xff;
          p[3] = length & 0xff;
        }
      else
        {
          p[1] = 127;
          for (int k = 0; k < 8; k++)
            p[2 + k] = ((guint64) length >> (56 - 8 * k)) & 0xff;
        }
      memcpy (p + header, frame, length);
    }

  for (guint64 sent = 0; sent < total; sent += batch)
    {
      gsize n = MIN (batch, total - sent);
      gsize off = 0;

      for (guint i = 0; i < n; i++)
        set_id (buffer + i * per + header, id_offset, sent + i);

      while (off < n * per)
        {
          gssize w = write (fd, buffer + off, n * per - off);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            return 1;
          off += w;
        }
    }

  close (fd);
  return 0;
}

typedef struct
{
  Client  *client;
  GSocket *socket;
  char    *buffer;
  gsize    capacity;
  gsize    filled;
  gboolean eof;
} Ceiling;

static gboolean
ceiling_readable_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Ceiling *ceiling = user_data;
  gsize pos = 0;
  gssize n;

  n = g_socket_receive (socket, ceiling->buffer + ceiling->filled,
                        ceiling->capacity - ceiling->filled, NULL, NULL);
  if (n <= 0)
    {
      ceiling->eof = TRUE;
      return G_SOURCE_REMOVE;
    }
  ceiling->filled += n;

  for (;;)
    {
      const guchar *p = (const guchar *) ceiling->buffer + pos;
      gsize avail = ceiling->filled - pos;
      gsize header;
      guint64 length;

      if (avail < 2)
        break;
      length = p[1] & 0x7f;
      header = 2;
      if (length == 126)
        {
          header = 4;
          if (avail < header)
            break;
          length = ((guint64) p[2] << 8) | p[3];
        }
      else if (length == 127)
        {
          header = 10;
          if (avail < header)
            break;
          length = 0;
          for (int k = 0; k < 8; k++)
            length = (length << 8) | p[2 + k];
        }
      if (avail < header + length)
        break;

      handle_frame (ceiling->client, (const char *) p + header, length);
      pos += header + length;
    }

  memmove (ceiling->buffer, ceiling->buffer + pos, ceiling->filled - pos);
  ceiling->filled -= pos;

  return G_SOURCE_CONTINUE;
}

static void
send_command (Client     *client,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
send_command (Client     *client,
              const char *format,
              ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  if (!g_output_stream_write_all (client->to_server, line, strlen (line), NULL, NULL, NULL))
    g_error ("bench-ingest: the simulator process is gone");
}

static char *
read_reply (Client *client)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (client->from_server, NULL, NULL, &error);

  if (line == NULL)
    g_error ("bench-ingest: no answer from the simulator process: %s",
             error ? error->message : "end of stream");
  return line;
}

static gboolean
tick_cb (gpointer user_data)
{
  /* Wakes the loop now and then, so that deadlines are seen. */
  return G_SOURCE_CONTINUE;
}

static void
wait_for_received (Client  *client,
                   guint64  target,
                   gint64  *end_us)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) PHASE_TIMEOUT_S * G_USEC_PER_SEC;

  while (n_received (client) < target)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-ingest: timed out: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                      " frames arrived (%" G_GUINT64_FORMAT " appended, %" G_GUINT64_FORMAT
                      " duplicates, %" G_GUINT64_FORMAT " rejected)\n",
                      n_received (client), target, client->n_appended,
                      n_duplicates (client), n_rejected (client));
          exit (1);
        }
    }

  if (end_us != NULL)
    *end_us = g_get_monotonic_time ();
}

/* Plain mode's setup: channel, subscription, socket, over REST like FwChannel. */
static void
plain_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Client *client = user_data;

  GError **error = client->error ? NULL : &client->error;

  client->socket = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, error);
  client->n_setup_pending--;
}

static void
plain_subscribed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Client *client = user_data;
  GError **error = client->error ? NULL : &client->error;
  g_autoptr(JsonNode) answer = fw_api_call_finish (FW_API (object), result, error);

  client->n_setup_pending--;
}

static void
plain_created_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(JsonNode) answer = fw_api_call_finish (client->api, result, &client->error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *path = NULL;
  JsonObject *channel;

  client->n_setup_pending--;
  if (answer == NULL)
    return;

  channel = json_node_get_object (answer);
  path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions",
                          json_object_get_string_member (channel, "id"));
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, TOPIC);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  body = json_builder_get_root (builder);
  client->n_setup_pending += 2;
  fw_api_call_async (client->api, "PUT", path, body, NULL, plain_subscribed_cb, client);
  message = soup_message_new ("GET", json_object_get_string_member (channel, "connectUri"));
  soup_session_websocket_connect_async (fw_api_get_soup_session (client->api), message,
                                        NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        plain_connected_cb, client);
}

static void
connect_plain (Client *client)
{
  client->n_setup_pending = 1;
  fw_api_call_async (client->api, "POST", "/api/v2/notifications/channels", NULL, NULL,
                     plain_created_cb, client);
  while (client->n_setup_pending > 0)
    g_main_context_iteration (NULL, TRUE);

  if (client->error != NULL)
    g_error ("bench-ingest: cannot connect: %s", client->error->message);

  /* FwChannel allows frames up to FW_NOTIFICATION_MAX_SIZE as well. */
  soup_websocket_connection_set_max_incoming_payload_size (client->socket,
                                                           FW_NOTIFICATION_MAX_SIZE + 1);
  g_signal_connect (client->socket, "message", G_CALLBACK (plain_message_cb), client);
}

static void
connect_session (Client *client)
{
  const char *topics[] = { TOPIC, NULL };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  client->session = fw_session_new (client->api);
  g_signal_connect (client->session, "notification", G_CALLBACK (session_notification_cb), client);
  g_signal_connect (client->session, "warning", G_CALLBACK (session_warning_cb), client);
  fw_session_set_topics (client->session, topics);
  fw_session_start (client->session);

  while (fw_session_get_state (client->session) != FW_SESSION_STATE_LIVE)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("bench-ingest: the session did not go live");
    }
}

/* Sends @n flood frames and waits for all of them; returns frames per second
 * from the first notification to the last. */
/* The simulator's CPU time so far, in seconds (0 in ceiling mode). */
static double
server_cpu_seconds (Client *client)
{
  g_autofree char *answer = NULL;

  if (client->ceiling)
    return 0;

  send_command (client, "cpu\n");
  answer = read_reply (client);
  return g_ascii_strtod (answer, NULL);
}

static double
run_flood (Client *client,
           guint   n,
           double *seconds)
{
  guint64 target = client->n_expected += n;
  g_autofree char *done = NULL;
  gint64 end_us;

  client->phase_start = client->n_appended;
  if (client->ceiling)
    {
      /* The writer streams every phase back to back. */
      wait_for_received (client, target, &end_us);
    }
  else
    {
      send_command (client, "flood %u %u\n", n, frame_size);
      wait_for_received (client, target, &end_us);

      /* "done" means handed to libsoup; everything has arrived by now. */
      done = read_reply (client);
      g_assert_cmpstr (done, ==, "done");
    }

  *seconds = (end_us - client->first_us) / (double) G_USEC_PER_SEC;
  return n > 1 ? (n - 1) / *seconds : 0;
}

static char *
format_count (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* @command_fd and @reply_fd talk to the simulator process; in ceiling mode
 * @command_fd is -1 and @reply_fd is the socket the frame writer feeds. */
static int
run_client (int command_fd,
            int reply_fd)
{
  Client client = { 0 };
  Ceiling ceiling = { 0 };
  g_autoptr(GSource) ceiling_source = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autofree char *url = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *appended_text = NULL;
  guint64 received_before, appended_before, duplicates_before, rejected_before;
  guint64 mix_received, mix_appended, mix_duplicates, mix_rejected, n_rounds;
  gint64 rss_before, rss_after, hwm, hwm_retain;
  guint n_retained;
  double seconds, rate, appended_rate, per_notification;
  double cpu_before, cpu_busy, cpu_per_frame, wall_seconds, server_cpu = 0;
  g_autofree char *per_core_text = NULL;
  g_autoptr(GHashTable) threads_before = NULL;
  g_autoptr(GHashTable) threads_after = NULL;
  gint64 wall_before;
  gboolean mix_ok, pass;
  guint tick;

  client.ceiling = command_fd < 0;
  client.receive_only = g_strcmp0 (mode, "receive") == 0;
  client.plain = client.ceiling || client.receive_only || g_strcmp0 (mode, "plain") == 0;
  client.store = fw_event_store_new (MAX (retain, 1));
  client.seen = fw_correlation_set_new (65536);
  tick = g_timeout_add (500, tick_cb, NULL);

  if (client.ceiling)
    {
      ceiling.client = &client;
      ceiling.capacity = 256 * 1024 + 2 * (frame_size + 16);
      ceiling.buffer = g_malloc (ceiling.capacity);
      ceiling.socket = g_socket_new_from_fd (reply_fd, &error);
      if (ceiling.socket == NULL)
        g_error ("bench-ingest: %s", error->message);
      g_socket_set_blocking (ceiling.socket, FALSE);
      ceiling_source = g_socket_create_source (ceiling.socket, G_IO_IN, NULL);
      g_source_set_callback (ceiling_source, (GSourceFunc) (void (*) (void)) ceiling_readable_cb,
                             &ceiling, NULL);
      g_source_attach (ceiling_source, NULL);
    }
  else
    {
      client.to_server = g_unix_output_stream_new (command_fd, TRUE);
      input = g_unix_input_stream_new (reply_fd, TRUE);
      client.from_server = g_data_input_stream_new (input);
      url = read_reply (&client);

      soup = soup_session_new ();
      environment = fw_environment_new (url, &error);
      if (environment == NULL)
        g_error ("bench-ingest: %s", error->message);
      tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID,
                                    FW_SIM_DEFAULT_CLIENT_SECRET);
      client.api = fw_api_new (soup, tokens);

      if (client.plain)
        connect_plain (&client);
      else
        connect_session (&client);
    }

  g_print ("bench-ingest: mode %s, frames of %u bytes, throughput run %u, retained %u, mix %u\n",
           client.ceiling ? "ceiling (raw frames from a socket pair, NOT the product's path)" :
           client.receive_only ? "receive (libsoup only, frames NOT validated)" :
           client.plain ? "plain (bare libsoup client)" : "session (FwSession -> FwEventStore)",
           frame_size, count, retain, client.ceiling ? 0 : mix_count);

  /* Warm-up: buffers, parser, the socket's window. */
  run_flood (&client, WARMUP_COUNT, &seconds);
  fw_event_store_clear (client.store);
  malloc_trim (0);

  /* Retention: what N notifications cost, store slots included. */
  rss_before = fw_test_proc_status_kib ("self", "VmRSS");
  run_flood (&client, retain, &seconds);
  fw_event_store_flush (client.store);
  rss_after = fw_test_proc_status_kib ("self", "VmRSS");
  hwm = fw_test_proc_status_kib ("self", "VmHWM");
  /* In ceiling mode a few frames of the warm-up may land after the clear. */
  n_retained = client.receive_only ? retain : g_list_model_get_n_items (G_LIST_MODEL (client.store));
  if (!client.receive_only && !client.ceiling)
    g_assert_cmpuint (n_retained, ==, retain);
  per_notification = (rss_after - rss_before) * 1024.0 / MAX (n_retained, 1);

  /* Throughput, with the store full and dropping its oldest. */
  received_before = n_received (&client);
  appended_before = client.n_appended;
  duplicates_before = n_duplicates (&client);
  rejected_before = n_rejected (&client);
  server_cpu = server_cpu_seconds (&client);
  threads_before = thread_cpu_seconds ();
  cpu_before = cpu_seconds (RUSAGE_SELF);
  wall_before = g_get_monotonic_time ();
  rate = run_flood (&client, count, &seconds);
  wall_seconds = (g_get_monotonic_time () - wall_before) / (double) G_USEC_PER_SEC;
  cpu_per_frame = (cpu_seconds (RUSAGE_SELF) - cpu_before) / count;
  cpu_busy = cpu_per_frame * count / wall_seconds;
  per_core_text = format_count (1 / cpu_per_frame);
  threads_after = thread_cpu_seconds ();
  server_cpu = server_cpu_seconds (&client) - server_cpu;
  hwm_retain = hwm;
  hwm = fw_test_proc_status_kib ("self", "VmHWM");
  appended_rate = (client.n_appended - appended_before - 1) / seconds;
  rate_text = format_count (rate);
  appended_text = format_count (appended_rate);
  g_print ("throughput: %" G_GUINT64_FORMAT " frames received and validated in %.3f s: "
           "%s frames/s\n",
           n_received (&client) - received_before, seconds, rate_text);
  g_print ("            %" G_GUINT64_FORMAT " notifications appended: %s notifications/s; "
           "duplicates %" G_GUINT64_FORMAT ", rejected %" G_GUINT64_FORMAT "\n",
           client.n_appended - appended_before, appended_text,
           n_duplicates (&client) - duplicates_before, n_rejected (&client) - rejected_before);
  g_print ("            CPU: client busy %.0f %% (%.2f us per frame, %s frames/s per core)",
           cpu_busy * 100, cpu_per_frame * 1e6, per_core_text);
  if (client.ceiling)
    g_print ("\n");
  else
    g_print (", simulator busy %.0f %%\n", server_cpu / wall_seconds * 100);
  {
    GHashTableIter iter;
    const char *name;
    double *after;

    /* Which thread does the work: the socket thread runs libsoup, the main
     * thread parses, de-duplicates and stores. */
    g_print ("            per thread:");
    g_hash_table_iter_init (&iter, threads_after);
    while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &after))
      {
        double *before = g_hash_table_lookup (threads_before, name);
        double used = *after - (before ? *before : 0);

        if (used * 1e6 / count >= 0.01)
          g_print (" %s %.2f us/frame (%.0f %%)", name, used * 1e6 / count, used / wall_seconds * 100);
      }
    g_print ("\n");
  }
  g_print ("            peak RSS (VmHWM) %.1f MiB after retention, %.1f MiB after this run\n",
           hwm_retain / 1024.0, hwm / 1024.0);

  /* The mix: round by round, each acknowledged once it has all arrived. */
  n_rounds = client.receive_only || client.ceiling ? 0 : mix_count / MIX_ROUND;
  if (n_rounds > 0)
    {
      send_command (&client, "mix-size %u\n", frame_size);
      g_free (read_reply (&client));
    }
  received_before = n_received (&client);
  appended_before = client.n_appended;
  duplicates_before = n_duplicates (&client);
  rejected_before = n_rejected (&client);
  for (guint64 r = 0; r < n_rounds; r++)
    {
      send_command (&client, "round\n");
      g_free (read_reply (&client));
      wait_for_received (&client, client.n_expected += MIX_ROUND, NULL);
    }
  mix_received = n_received (&client) - received_before;
  mix_appended = client.n_appended - appended_before;
  mix_duplicates = n_duplicates (&client) - duplicates_before;
  mix_rejected = n_rejected (&client) - rejected_before;
  mix_ok = n_rounds > 0 &&
           mix_received == n_rounds * MIX_ROUND &&
           mix_rejected == n_rounds * 2 &&
           mix_duplicates == n_rounds * 2 &&
           mix_appended == n_rounds * (MIX_ROUND - 4);
  if (n_rounds > 0)
    g_print ("malformed mix: %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " broken "
             "(bad JSON, binary) and %" G_GUINT64_FORMAT " re-sent: "
             "rejected %" G_GUINT64_FORMAT ", duplicates %" G_GUINT64_FORMAT
             ", appended %" G_GUINT64_FORMAT " (expected %" G_GUINT64_FORMAT "): %s\n",
             mix_received, n_rounds * 2, n_rounds * 2, mix_rejected, mix_duplicates,
             mix_appended, n_rounds * (MIX_ROUND - 4), mix_ok ? "OK" : "WRONG");

  hwm = fw_test_proc_status_kib ("self", "VmHWM");
  g_print ("memory: %u notifications retained: RSS %.1f -> %.1f MiB, %.0f bytes per notification\n",
           n_retained, rss_before / 1024.0, rss_after / 1024.0, per_notification);
  g_print ("        peak RSS (VmHWM) %.1f MiB\n", hwm / 1024.0);

  if (client.receive_only || client.ceiling)
    {
      g_print ("%s: no PASS or FAIL\n",
               client.ceiling ? "ceiling mode is not the product's path" :
                                "receive mode validates nothing");
      pass = TRUE;
    }
  else
    {
      pass = rate >= TARGET_RATE && per_notification <= TARGET_BYTES && mix_ok;
      g_print ("%s: %s frames/s %s %.0f; %.0f bytes per retained notification %s %.0f; "
               "broken frames %s\n",
               pass ? "PASS" : "FAIL",
               rate_text, rate >= TARGET_RATE ? ">=" : "<", TARGET_RATE,
               per_notification, per_notification <= TARGET_BYTES ? "<=" : ">", TARGET_BYTES,
               n_rounds == 0 ? "not tested (--mix=0)" :
               mix_ok ? "all refused, none appended" : "NOT all refused");
    }

  if (!client.ceiling)
    send_command (&client, "quit\n");
  g_clear_handle_id (&tick, g_source_remove);
  if (ceiling_source != NULL)
    g_source_destroy (ceiling_source);
  g_clear_object (&ceiling.socket);
  g_free (ceiling.buffer);

  if (client.session != NULL)
    fw_session_stop (client.session);
  g_clear_object (&client.session);
  g_clear_object (&client.socket);
  g_clear_pointer (&client.seen, fw_correlation_set_free);
  g_clear_object (&client.store);
  g_clear_object (&client.api);
  g_clear_object (&client.to_server);
  g_clear_object (&client.from_server);
  g_clear_error (&client.error);

  return pass ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int to_server[2];
  int to_client[2];
  int status = 0;
  int result;
  pid_t pid;

  context = g_option_context_new ("— notifications per second from socket to store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-ingest: %s\n", error->message);
      return 2;
    }
  if (mode != NULL && !g_str_equal (mode, "session") && !g_str_equal (mode, "plain") &&
      !g_str_equal (mode, "receive") && !g_str_equal (mode, "ceiling"))
    {
      g_printerr ("bench-ingest: --mode is session, plain, receive or ceiling\n");
      return 2;
    }
  if (count < 2 || frame_size < 300 || frame_size > FW_NOTIFICATION_MAX_SIZE || retain < 1)
    {
      g_printerr ("bench-ingest: need --count >= 2, 300 <= --size <= %d, --retain >= 1\n",
                  FW_NOTIFICATION_MAX_SIZE);
      return 2;
    }

  /* Fork first: no main loop, thread or socket exists yet. */
  if (g_strcmp0 (mode, "ceiling") == 0)
    {
      int pair[2];

      if (socketpair (AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        {
          g_printerr ("bench-ingest: socketpair: %s\n", g_strerror (errno));
          return 1;
        }
      pid = fork ();
      if (pid < 0)
        {
          g_printerr ("bench-ingest: fork: %s\n", g_strerror (errno));
          return 1;
        }
      if (pid == 0)
        {
          close (pair[0]);
          return run_ceiling_writer (pair[1], (guint64) WARMUP_COUNT + retain + count);
        }
      close (pair[1]);
      result = run_client (-1, pair[0]);
      waitpid (pid, &status, 0);
      return result;
    }

  if (pipe (to_server) != 0 || pipe (to_client) != 0)
    {
      g_printerr ("bench-ingest: pipe: %s\n", g_strerror (errno));
      return 1;
    }

  pid = fork ();
  if (pid < 0)
    {
      g_printerr ("bench-ingest: fork: %s\n", g_strerror (errno));
      return 1;
    }

  if (pid == 0)
    {
      close (to_server[1]);
      close (to_client[0]);
      return run_server (to_server[0], to_client[1]);
    }

  close (to_server[0]);
  close (to_client[1]);
  result = run_client (to_server[1], to_client[0]);

  waitpid (pid, &status, 0);
  return result;
}
