/* fw-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-test-util.h"

static gboolean
wake_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

void
fw_test_iterate (void)
{
  gboolean fired = FALSE;
  guint id = g_timeout_add (20, wake_cb, &fired);

  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);
}

void
fw_test_run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    fw_test_iterate ();
}

FwSimServer *
fw_test_sim_new (void)
{
  g_autoptr(FwSimServer) sim = fw_sim_server_new ();
  g_autoptr(GError) error = NULL;

  fw_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&sim);
}

FwEnvironment *
fw_test_environment_new (FwSimServer *sim)
{
  g_autoptr(GError) error = NULL;
  FwEnvironment *env = fw_environment_new (fw_sim_server_get_url (sim), &error);

  g_assert_no_error (error);
  g_assert_nonnull (env);
  return env;
}

FwApi *
fw_test_api_new (FwSimServer *sim,
                 const char  *secret)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = fw_test_environment_new (sim);
  g_autoptr(FwTokenSource) tokens = NULL;

  tokens = fw_token_source_new (soup, env, FW_SIM_DEFAULT_CLIENT_ID,
                                secret ? secret : FW_SIM_DEFAULT_CLIENT_SECRET);
  return fw_api_new (soup, tokens);
}

typedef struct
{
  guint  token_status;
  char  *token_body;
  guint  status;
  char  *body;
} CannedAnswers;

static void
canned_answers_free (gpointer data)
{
  CannedAnswers *answers = data;

  g_free (answers->token_body);
  g_free (answers->body);
  g_free (answers);
}

static void
canned_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CannedAnswers *answers = user_data;
  gboolean token = g_str_equal (path, "/oauth/token");
  const char *body = token ? answers->token_body : answers->body;

  soup_server_message_set_status (msg, token ? answers->token_status : answers->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

SoupServer *
fw_test_canned_server_new (guint        token_status,
                           const char  *token_body,
                           guint        status,
                           const char  *body,
                           char       **url_out)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  CannedAnswers *answers = g_new0 (CannedAnswers, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  answers->token_status = token_status;
  answers->token_body = g_strdup (token_body);
  answers->status = status;
  answers->body = g_strdup (body);
  soup_server_add_handler (server, NULL, canned_handler, answers, canned_answers_free);

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  *url_out = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

gint64
fw_test_proc_status_kib (const char *pid,
                         const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;

  line = strstr (status, key);
  return line != NULL ? g_ascii_strtoll (line + strlen (key), NULL, 10) : -1;
}
