/* fw-test-util.h — what the engine tests share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-engine.h"
#include "fw-sim-server.h"

G_BEGIN_DECLS

/* Runs the thread-default main context until @cond holds; fails the test
 * with the condition's text when @timeout_ms pass first.  Never sleeps. */
#define FW_TEST_WAIT_UNTIL(cond, timeout_ms)                                   \
  G_STMT_START {                                                               \
    gint64 fw_test_deadline_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000; \
    while (!(cond))                                                            \
      {                                                                        \
        if (g_get_monotonic_time () > fw_test_deadline_)                       \
          g_error ("%s:%d: timed out after %d ms waiting for: %s",             \
                   __FILE__, __LINE__, (int) (timeout_ms), #cond);             \
        fw_test_iterate ();                                                    \
      }                                                                        \
  } G_STMT_END

/* One blocking iteration of the thread-default context that wakes up after
 * at most 20 ms, so that FW_TEST_WAIT_UNTIL sees its deadline. */
void           fw_test_iterate          (void);
/* Runs the main context for @ms (for checking that nothing happens). */
void           fw_test_run_for          (guint         ms);

/* A simulator on a free loopback port with the default demo credentials. */
FwSimServer   *fw_test_sim_new          (void);
FwEnvironment *fw_test_environment_new  (FwSimServer  *sim);
/* A REST client for @sim with @secret (NULL: the right one). */
FwApi         *fw_test_api_new          (FwSimServer  *sim,
                                         const char   *secret);

G_END_DECLS
