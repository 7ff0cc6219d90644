/* fw-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
