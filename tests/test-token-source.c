/* test-token-source.c — FwTokenSource against the simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-test-util.h"

#define WRONG_SECRET "wrong-secret-7d1c55e0a9"

/* Compare tokens without printing them when the assertion fails. */
#define assert_same(a, b)      g_assert_true (g_strcmp0 ((a), (b)) == 0)
#define assert_different(a, b) g_assert_true (g_strcmp0 ((a), (b)) != 0)

typedef struct
{
  FwSimServer *sim;
  SoupSession *soup;
  GArray      *grant_times;     /* gint64 monotonic µs of each answered grant request */
  guint        n_unauthorized;  /* 401 answers on /api/v2 */
} Fixture;

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
  gint64    done_us;
} TokenResult;

static void
request_cb (FwSimServer *sim,
            const char  *method,
            const char  *path,
            guint        status,
            Fixture     *fixture)
{
  gint64 now = g_get_monotonic_time ();

  if (g_str_equal (path, "/oauth/token") && status == 200)
    g_array_append_val (fixture->grant_times, now);
  if (g_str_has_prefix (path, "/api/v2/") && status == 401)
    fixture->n_unauthorized++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sim = fw_test_sim_new ();
  fixture->soup = soup_session_new ();
  fixture->grant_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (fixture->sim, "request", G_CALLBACK (request_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->sim, fixture);
  g_clear_object (&fixture->soup);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->grant_times, g_array_unref);
}

static FwTokenSource *
new_source (Fixture    *fixture,
            const char *secret)
{
  g_autoptr(FwEnvironment) env = fw_test_environment_new (fixture->sim);

  return fw_token_source_new (fixture->soup, env, FW_SIM_DEFAULT_CLIENT_ID,
                              secret ? secret : FW_SIM_DEFAULT_CLIENT_SECRET);
}

/* No error the token source hands out may carry a secret or a token. */
static void
assert_error_clean (const GError *error,
                    const char   *token)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, FW_SIM_DEFAULT_CLIENT_SECRET));
  g_assert_null (strstr (error->message, WRONG_SECRET));
  if (token != NULL)
    g_assert_null (strstr (error->message, token));
  /* A sentence, not a code. */
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static gint64
get_expires_at (FwTokenSource *tokens)
{
  gint64 expires_at = 0;

  g_object_get (tokens, "expires-at", &expires_at, NULL);
  return expires_at;
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokenResult *res = user_data;

  res->token = fw_token_source_get_token_finish (FW_TOKEN_SOURCE (object), result, &res->error);
  res->done_us = g_get_monotonic_time ();
  res->done = TRUE;
}

static char *
get_token (FwTokenSource  *tokens,
           GError        **error)
{
  TokenResult res = { FALSE };

  fw_token_source_get_token_async (tokens, NULL, token_cb, &res);
  FW_TEST_WAIT_UNTIL (res.done, 10000);
  if (res.error != NULL)
    g_propagate_error (error, res.error);
  return res.token;
}

static void
api_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fw_api_call_finish (FW_API (object), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  (*n_done)++;
}

static void
test_grant (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;
  gint64 expires_at = 0;

  token = get_token (tokens, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >, 20);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);
  g_assert_false (fw_token_source_get_rejected (tokens));

  /* Good for the simulator's default day, give or take the round trip. */
  g_object_get (tokens, "expires-at", &expires_at, NULL);
  g_assert_cmpint (expires_at, >, g_get_real_time () + (gint64) 86390 * G_USEC_PER_SEC);
  g_assert_cmpint (expires_at, <=, g_get_real_time () + (gint64) 86400 * G_USEC_PER_SEC);

  /* Cached: the same token, no second grant. */
  again = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_same (again, token);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);

  /* And the simulator takes it. */
  {
    g_autoptr(FwApi) api = fw_api_new (fixture->soup, tokens);
    guint n_done = 0;

    fw_api_call_async (api, "GET", "/api/v2/routing/queues", NULL, NULL, api_cb, &n_done);
    FW_TEST_WAIT_UNTIL (n_done == 1, 10000);
    g_assert_cmpuint (fixture->n_unauthorized, ==, 0);
    g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);
  }
}

static void
test_concurrent_callers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  TokenResult results[10] = { { FALSE } };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    fw_token_source_get_token_async (tokens, NULL, token_cb, &results[i]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    FW_TEST_WAIT_UNTIL (results[i].done, 10000);

  /* Ten callers, one grant, one token for all. */
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_no_error (results[i].error);
      assert_same (results[i].token, results[0].token);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_free (results[i].token);
}

static void
test_renews_ahead_of_expiry (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(FwApi) api = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 first_grant_us;
  gint64 first_expires_at;
  gint64 start_us;
  gint64 last_us = 0;
  guint n_sent = 0;
  guint n_done = 0;

  /* Two-second tokens, renewed at half their life. */
  g_object_set (fixture->sim, "token-lifetime", 2, NULL);
  g_object_set (tokens, "renew-fraction", 0.5, "min-renew-lead", 0, NULL);

  first = get_token (tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->grant_times->len, ==, 1);
  first_grant_us = g_array_index (fixture->grant_times, gint64, 0);
  first_expires_at = get_expires_at (tokens);

  /* Nobody asks: the renewal comes by itself, before the first token dies. */
  FW_TEST_WAIT_UNTIL (fixture->grant_times->len >= 2, 5000);
  FW_TEST_WAIT_UNTIL (get_expires_at (tokens) != first_expires_at, 5000);
  g_assert_cmpint (get_expires_at (tokens), >, first_expires_at);
  g_assert_cmpint (g_array_index (fixture->grant_times, gint64, 1) - first_grant_us, <,
                   2 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (fixture->grant_times, gint64, 1) - first_grant_us, >=,
                   G_USEC_PER_SEC / 2);

  second = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_different (second, first);

  /* Calls made all along, across several renewals, never meet a 401. */
  api = fw_api_new (fixture->soup, tokens);
  start_us = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start_us < 4 * G_USEC_PER_SEC)
    {
      /* One call at a time, about every 50 ms. */
      if (n_sent == n_done && g_get_monotonic_time () - last_us >= 50000)
        {
          last_us = g_get_monotonic_time ();
          fw_api_call_async (api, "GET", "/api/v2/routing/queues?pageSize=1", NULL, NULL,
                             api_cb, &n_done);
          n_sent++;
        }
      fw_test_iterate ();
    }
  FW_TEST_WAIT_UNTIL (n_done == n_sent, 10000);

  g_test_message ("%u calls, %u grants", n_sent, fixture->grant_times->len);
  g_assert_cmpuint (n_sent, >, 10);
  g_assert_cmpuint (fixture->n_unauthorized, ==, 0);
  g_assert_cmpuint (fixture->grant_times->len, >=, 4);
  /* Each grant came before the one before it expired. */
  for (guint i = 1; i < fixture->grant_times->len; i++)
    g_assert_cmpint (g_array_index (fixture->grant_times, gint64, i) -
                     g_array_index (fixture->grant_times, gint64, i - 1), <, 2 * G_USEC_PER_SEC);
}

static void
test_min_renew_lead (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 elapsed;

  /* A fraction of 0.95 on a 4 s token would leave 0.2 s; a lead of 2 s
   * pulls the renewal to half of the lifetime. */
  g_object_set (fixture->sim, "token-lifetime", 4, NULL);
  g_object_set (tokens, "renew-fraction", 0.95, "min-renew-lead", 2000, NULL);

  token = get_token (tokens, &error);
  g_assert_no_error (error);
  FW_TEST_WAIT_UNTIL (fixture->grant_times->len >= 2, 6000);

  elapsed = g_array_index (fixture->grant_times, gint64, 1) -
            g_array_index (fixture->grant_times, gint64, 0);
  g_test_message ("renewed after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, >=, 1800 * 1000);
  g_assert_cmpint (elapsed, <, 3500 * 1000);
}

static void
test_invalidate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  first = get_token (tokens, &error);
  g_assert_no_error (error);

  /* Something that is not the current token changes nothing. */
  fw_token_source_invalidate (tokens, "not-the-token");
  fw_token_source_invalidate (tokens, NULL);
  second = get_token (tokens, &error);
  assert_same (second, first);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);

  fw_token_source_invalidate (tokens, first);
  third = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_different (third, first);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 2);

  /* A late 401 for the old token does not throw away the new one. */
  fw_token_source_invalidate (tokens, first);
  g_free (second);
  second = get_token (tokens, &error);
  assert_same (second, third);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 2);
}

static void
rejected_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *n_notify)
{
  (*n_notify)++;
}

static void
test_rejected (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, WRONG_SECRET);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint n_notify = 0;
  gboolean rejected = FALSE;

  g_signal_connect (tokens, "notify::rejected", G_CALLBACK (rejected_notify_cb), &n_notify);

  token = get_token (tokens, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
  assert_error_clean (error, NULL);
  g_test_message ("%s", error->message);
  g_assert_true (fw_token_source_get_rejected (tokens));
  g_object_get (tokens, "rejected", &rejected, NULL);
  g_assert_true (rejected);
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);

  /* Every later caller fails at once, and nothing is sent again. */
  for (guint i = 0; i < 5; i++)
    {
      g_clear_error (&error);
      token = get_token (tokens, &error);
      g_assert_null (token);
      g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
      assert_error_clean (error, NULL);
    }
  fw_token_source_invalidate (tokens, "anything");
  fw_test_run_for (300);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 0);
}

/* UNCONFIRMED in Genesys Cloud whether invalid_client comes as 400 or 401:
 * the simulator answers 401 by itself; this one makes it 400. */
static void
test_rejected_400 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  fw_sim_server_fail_requests (fixture->sim, "POST", "/oauth/token", 400, 1, 0);

  token = get_token (tokens, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
  assert_error_clean (error, NULL);
  g_assert_true (fw_token_source_get_rejected (tokens));

  /* Though the simulator would grant now, nothing is asked again. */
  g_clear_error (&error);
  token = get_token (tokens, &error);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);
}

static void
test_failure_is_not_fatal (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  fw_sim_server_fail_requests (fixture->sim, "POST", "/oauth/token", 503, 1, 0);

  token = get_token (tokens, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  assert_error_clean (error, NULL);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_false (fw_token_source_get_rejected (tokens));

  /* No retry loop of its own: the caller decides. */
  fw_test_run_for (300);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 1);

  g_clear_error (&error);
  token = get_token (tokens, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
}

static void
test_renewal_failure_keeps_token (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(FwTokenSource) tokens = new_source (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *renewed = NULL;
  gint64 first_us;
  gint64 first_expires_at;

  g_object_set (fixture->sim, "token-lifetime", 4, NULL);
  g_object_set (tokens,
                "renew-fraction", 0.25,
                "min-renew-lead", 0,
                "renew-retry-interval", 200,
                NULL);

  first = get_token (tokens, &error);
  g_assert_no_error (error);
  first_us = g_array_index (fixture->grant_times, gint64, 0);
  first_expires_at = get_expires_at (tokens);

  /* The renewal at 1 s fails twice. */
  fw_sim_server_fail_requests (fixture->sim, "POST", "/oauth/token", 503, 2, 0);
  FW_TEST_WAIT_UNTIL (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token") >= 2, 5000);

  /* Meanwhile the old token is still handed out, at once. */
  {
    g_autofree char *during = get_token (tokens, &error);

    g_assert_no_error (error);
    if (get_expires_at (tokens) == first_expires_at)
      assert_same (during, first);
  }

  /* It is tried again soon, and succeeds before the old token expires. */
  FW_TEST_WAIT_UNTIL (fixture->grant_times->len >= 2, 5000);
  FW_TEST_WAIT_UNTIL (get_expires_at (tokens) != first_expires_at, 5000);
  g_assert_cmpuint (fw_sim_server_count_requests (fixture->sim, NULL, "/oauth/token"), ==, 4);
  g_assert_cmpint (g_array_index (fixture->grant_times, gint64, 1) - first_us, <, 4 * G_USEC_PER_SEC);

  renewed = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_different (renewed, first);
  g_assert_false (fw_token_source_get_rejected (tokens));
}

/* ---- A login server that takes requests and never answers ---- */

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       n_requests;
  char       *authorization;
  char       *content_type;
  char       *body;
  char       *path;
} SilentServer;

static void
silent_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SilentServer *silent = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  silent->n_requests++;
  g_free (silent->path);
  silent->path = g_strdup (path);
  g_free (silent->authorization);
  silent->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (silent->content_type);
  silent->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_free (silent->body);
  silent->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  soup_server_message_pause (msg);
}

static SilentServer *
silent_server_new (void)
{
  SilentServer *silent = g_new0 (SilentServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  silent->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (silent->server, NULL, silent_handler, silent, NULL);
  soup_server_listen_local (silent->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (silent->server);
  silent->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return silent;
}

static void
silent_server_free (SilentServer *silent)
{
  soup_server_disconnect (silent->server);
  g_object_unref (silent->server);
  g_free (silent->url);
  g_free (silent->authorization);
  g_free (silent->content_type);
  g_free (silent->body);
  g_free (silent->path);
  g_free (silent);
}

static void
test_timeout (void)
{
  SilentServer *silent = silent_server_new ();
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = fw_environment_new (silent->url, NULL);
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = NULL;
  TokenResult res = { FALSE };
  gint64 start;

  tokens = fw_token_source_new (soup, env, "the-client", "the-secret");
  g_object_set (tokens, "request-timeout", 400, NULL);

  start = g_get_monotonic_time ();
  fw_token_source_get_token_async (tokens, NULL, token_cb, &res);
  FW_TEST_WAIT_UNTIL (res.done, 10000);

  g_assert_error (res.error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  g_assert_null (strstr (res.error->message, "the-secret"));
  g_assert_nonnull (strstr (res.error->message, "did not answer"));
  g_assert_cmpint (res.done_us - start, >=, 390 * 1000);
  g_assert_cmpint (res.done_us - start, <, 5 * G_USEC_PER_SEC);
  g_assert_false (fw_token_source_get_rejected (tokens));

  /* What was sent is a client-credentials grant by the book. */
  g_assert_cmpuint (silent->n_requests, ==, 1);
  g_assert_cmpstr (silent->path, ==, "/oauth/token");
  encoded = g_base64_encode ((const guchar *) "the-client:the-secret", strlen ("the-client:the-secret"));
  expected = g_strconcat ("Basic ", encoded, NULL);
  assert_same (silent->authorization, expected);
  g_assert_cmpstr (silent->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (silent->body, ==, "grant_type=client_credentials");

  g_clear_error (&res.error);
  g_clear_object (&tokens);
  silent_server_free (silent);
}

static void
test_cancel_waiter (void)
{
  SilentServer *silent = silent_server_new ();
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = fw_environment_new (silent->url, NULL);
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TokenResult cancelled = { FALSE };
  TokenResult other = { FALSE };
  gint64 cancel_us;

  tokens = fw_token_source_new (soup, env, "the-client", "the-secret");
  g_object_set (tokens, "request-timeout", 1500, NULL);

  fw_token_source_get_token_async (tokens, cancellable, token_cb, &cancelled);
  fw_token_source_get_token_async (tokens, NULL, token_cb, &other);
  FW_TEST_WAIT_UNTIL (silent->n_requests == 1, 5000);

  cancel_us = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (cancelled.done, 5000);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled.done_us - cancel_us, <, G_USEC_PER_SEC);

  /* The other caller still waits on the shared grant, which times out. */
  g_assert_false (other.done);
  FW_TEST_WAIT_UNTIL (other.done, 10000);
  g_assert_error (other.error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  g_assert_cmpuint (silent->n_requests, ==, 1);

  /* Already cancelled: fails without asking anyone. */
  g_clear_error (&cancelled.error);
  cancelled.done = FALSE;
  fw_token_source_get_token_async (tokens, cancellable, token_cb, &cancelled);
  FW_TEST_WAIT_UNTIL (cancelled.done, 5000);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fw_test_run_for (100);
  g_assert_cmpuint (silent->n_requests, ==, 1);

  g_clear_error (&cancelled.error);
  g_clear_error (&other.error);
  g_clear_object (&tokens);
  silent_server_free (silent);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  guint16 port;

  /* A port that was free a moment ago: nothing listens there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  env = fw_environment_new (url, &error);
  g_assert_no_error (error);

  tokens = fw_token_source_new (soup, env, "the-client", "the-secret");
  token = get_token (tokens, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  g_assert_null (strstr (error->message, "the-secret"));
  g_assert_nonnull (strstr (error->message, url));
  g_assert_false (fw_token_source_get_rejected (tokens));
}

/* The token, or NULL and the error, that a token source gets from a login
 * server answering @status with @body. */
static char *
get_canned_token (guint        status,
                  const char  *body,
                  gint64      *expires_at,
                  GError     **error)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autofree char *url = NULL;
  char *token;

  server = fw_test_canned_server_new (status, body, 500, "{}", &url);
  env = fw_environment_new (url, NULL);
  tokens = fw_token_source_new (soup, env, "the-client", "the-secret");

  token = get_token (tokens, error);
  *expires_at = get_expires_at (tokens);
  g_assert_false (fw_token_source_get_rejected (tokens));

  soup_server_disconnect (server);
  return token;
}

/* White space is valid JSON to json-glib, with no value in it: a clean
 * error, not a critical (criticals abort the tests). */
static void
test_blank_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 expires_at = 0;

  token = get_canned_token (200, " ", &expires_at, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not an access token"));
  g_assert_null (strstr (error->message, "the-secret"));
  g_assert_cmpint (expires_at, ==, 0);

  g_clear_error (&error);
  token = get_canned_token (400, "\n", &expires_at, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "400"));
  g_assert_null (strstr (error->message, "the-secret"));
}

/* An expires_in past gint64's range (infinity, to json-glib) is taken as
 * the longest lifetime the source trusts, not cast into anything. */
static void
test_huge_expires_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 expires_at = 0;
  gint64 before = g_get_real_time ();

  token = get_canned_token (200, "{\"access_token\":\"canned-token-0123456789\","
                                 "\"token_type\":\"bearer\",\"expires_in\":9e5820}",
                            &expires_at, &error);
  g_assert_no_error (error);
  assert_same (token, "canned-token-0123456789");
  /* Ten days at most, and more than a day. */
  g_assert_cmpint (expires_at, >, before + (gint64) 86400 * G_USEC_PER_SEC);
  g_assert_cmpint (expires_at, <=, g_get_real_time () + (gint64) 10 * 86400 * G_USEC_PER_SEC);

  g_clear_pointer (&token, g_free);
  token = get_canned_token (200, "{\"access_token\":\"canned-token-0123456789\","
                                 "\"expires_in\":-1e400}",
                            &expires_at, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/engine/token-source/grant", test_grant);
  ADD ("/engine/token-source/concurrent-callers", test_concurrent_callers);
  ADD ("/engine/token-source/renews-ahead-of-expiry", test_renews_ahead_of_expiry);
  ADD ("/engine/token-source/min-renew-lead", test_min_renew_lead);
  ADD ("/engine/token-source/invalidate", test_invalidate);
  ADD ("/engine/token-source/rejected", test_rejected);
  ADD ("/engine/token-source/rejected-400", test_rejected_400);
  ADD ("/engine/token-source/failure-is-not-fatal", test_failure_is_not_fatal);
  ADD ("/engine/token-source/renewal-failure-keeps-token", test_renewal_failure_keeps_token);
  g_test_add_func ("/engine/token-source/timeout", test_timeout);
  g_test_add_func ("/engine/token-source/cancel-waiter", test_cancel_waiter);
  g_test_add_func ("/engine/token-source/unreachable", test_unreachable);
  g_test_add_func ("/engine/token-source/blank-answer", test_blank_answer);
  g_test_add_func ("/engine/token-source/huge-expires-in", test_huge_expires_in);

#undef ADD

  return g_test_run ();
}
