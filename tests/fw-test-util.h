/* fw-test-util.h — what the engine tests share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-engine.h"
#include "fw-sim-server.h"

G_BEGIN_DECLS

/* FW_TEST_TIMEOUT_SCALE (a whole number, default 1) stretches every
 * FW_TEST_WAIT_UNTIL deadline, for runs under valgrind, which is 20 to 50
 * times slower than a plain build. */
static inline gint64
fw_test_timeout_scale (void)
{
  static gint64 scale = 0;

  if (scale == 0)
    {
      const char *text = g_getenv ("FW_TEST_TIMEOUT_SCALE");
      gint64 value = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 1;

      scale = CLAMP (value, 1, 1000);
    }

  return scale;
}

/* Runs the thread-default main context until @cond holds; fails the test
 * with the condition's text when @timeout_ms (times FW_TEST_TIMEOUT_SCALE)
 * pass first.  Never sleeps. */
#define FW_TEST_WAIT_UNTIL(cond, timeout_ms)                                   \
  G_STMT_START {                                                               \
    gint64 fw_test_wait_ms_ = (gint64) (timeout_ms) * fw_test_timeout_scale (); \
    gint64 fw_test_deadline_ = g_get_monotonic_time () + fw_test_wait_ms_ * 1000; \
    while (!(cond))                                                            \
      {                                                                        \
        if (g_get_monotonic_time () > fw_test_deadline_)                       \
          g_error ("%s:%d: timed out after %" G_GINT64_FORMAT " ms waiting for: %s", \
                   __FILE__, __LINE__, fw_test_wait_ms_, #cond);               \
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

/* A SoupServer on a free loopback port for answers the simulator never
 * gives: POST /oauth/token answers @token_status with @token_body, every
 * other request @status with @body (both as application/json).  Its base
 * URL goes to @url_out.  Call soup_server_disconnect() before the last unref. */
SoupServer    *fw_test_canned_server_new (guint         token_status,
                                          const char   *token_body,
                                          guint         status,
                                          const char   *body,
                                          char        **url_out);

/* The "@field:" line of /proc/@pid/status ("self": this process), in KiB,
 * e.g. "VmRSS"; -1 if there is none. */
gint64         fw_test_proc_status_kib  (const char   *pid,
                                         const char   *field);

G_END_DECLS
