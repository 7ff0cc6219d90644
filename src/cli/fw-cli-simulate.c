/* fw-cli-simulate.c — `floorwatch-cli simulate`: the built-in Genesys Cloud
 * simulator on its own, for trying the app or the CLI without an account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include "fw-cli-private.h"
#include "fw-sim-server.h"

#define DEFAULT_TRAFFIC_INTERVAL_MS 1000

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
fw_cli_simulate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FwSimServer) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *traffic_text = NULL;
  g_autofree char *heartbeat_text = NULL;
  guint64 port = 0;
  guint64 traffic_interval = DEFAULT_TRAFFIC_INTERVAL_MS;
  guint64 heartbeat_interval = 0;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_STRING, &port_text,
      "Port on 127.0.0.1 (default: any free one)", "P" },
    { "traffic-interval", 0, 0, G_OPTION_ARG_STRING, &traffic_text,
      "Milliseconds between two steps of the scenario (default 1000)", "MS" },
    { "heartbeat-interval", 0, 0, G_OPTION_ARG_STRING, &heartbeat_text,
      "Milliseconds between two heartbeats on each socket (default 30000)", "MS" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Runs a local Genesys Cloud (login, REST API and notification sockets on one\n"
    "loopback URL) whose queues fill and drain and whose agents change status,\n"
    "until SIGINT or SIGTERM.  Its client id and secret are public demo values.");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!fw_cli_parse_options (context, argv[0], &argc, &argv))
    return FW_CLI_EXIT_USAGE;

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("unexpected argument '%s'", argv[1]);
      return fw_cli_usage_error (argv[0], message);
    }

  if ((port_text != NULL &&
       !fw_cli_parse_unsigned ("--port", port_text, 0, 65535, &port, &error)) ||
      (traffic_text != NULL &&
       !fw_cli_parse_unsigned ("--traffic-interval", traffic_text, 1, G_MAXUINT,
                               &traffic_interval, &error)) ||
      (heartbeat_text != NULL &&
       !fw_cli_parse_unsigned ("--heartbeat-interval", heartbeat_text, 1, G_MAXUINT,
                               &heartbeat_interval, &error)))
    return fw_cli_usage_error (argv[0], error->message);

  sim = fw_sim_server_new ();
  g_object_set (sim, "traffic-interval", (guint) traffic_interval, NULL);
  if (heartbeat_interval > 0)
    g_object_set (sim, "heartbeat-interval", (guint) heartbeat_interval, NULL);

  if (!fw_sim_server_listen (sim, (guint) port, &error))
    {
      fw_cli_message ("cannot start the simulator: %s", error->message);
      return FW_CLI_EXIT_FAILURE;
    }

  /* The demo secret is a public constant of the simulator, not a real
   * secret: showing it is how one tries the other commands. */
  g_print ("Simulated Genesys Cloud on %s\n"
           "Client id: %s\n"
           "Try: GENESYSCLOUD_OAUTHCLIENT_SECRET=%s floorwatch-cli watch --format=text \\\n"
           "       --environment=%s --client-id=%s \\\n"
           "       v2.analytics.queues.%s.observations v2.users.%s.activity\n"
           "Or sign in as the demo supervisor (%s, password %s):\n"
           "     floorwatch-cli login --browser --environment=%s --client-id=%s\n"
           "Stop with Ctrl-C.\n",
           fw_sim_server_get_url (sim),
           FW_SIM_DEFAULT_CLIENT_ID,
           FW_SIM_DEFAULT_CLIENT_SECRET,
           fw_sim_server_get_url (sim),
           FW_SIM_DEFAULT_CLIENT_ID,
           FW_SIM_QUEUE_SUPPORT,
           FW_SIM_USER_ANA,
           FW_SIM_DEMO_USER_LOGIN,
           FW_SIM_DEMO_USER_PASSWORD,
           fw_sim_server_get_url (sim),
           FW_SIM_PKCE_CLIENT_ID);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return FW_CLI_EXIT_OK;
}
