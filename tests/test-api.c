/* test-api.c — FwApi against the simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-test-util.h"

#define WRONG_SECRET "wrong-secret-7d1c55e0a9"

typedef struct
{
  gint64  at_us;      /* monotonic, when the simulator answered */
  char   *method;
  char   *path;
  guint   status;
} Seen;

typedef struct
{
  FwSimServer *sim;
  FwApi       *api;
  GArray      *seen;    /* Seen, every request the simulator answered */
} Fixture;

typedef struct
{
  gboolean  done;
  JsonNode *node;
  GError   *error;
  gint64    done_us;
} CallResult;

static void
seen_clear (Seen *seen)
{
  g_free (seen->method);
  g_free (seen->path);
}

static void
request_cb (FwSimServer *sim,
            const char  *method,
            const char  *path,
            guint        status,
            Fixture     *fixture)
{
  Seen seen = { g_get_monotonic_time (), g_strdup (method), g_strdup (path), status };

  g_array_append_val (fixture->seen, seen);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *secret = data;

  fixture->sim = fw_test_sim_new ();
  fixture->api = fw_test_api_new (fixture->sim, secret);
  fixture->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  g_array_set_clear_func (fixture->seen, (GDestroyNotify) seen_clear);
  g_signal_connect (fixture->sim, "request", G_CALLBACK (request_cb), fixture);

  /* Milliseconds, not seconds, for the retries of these tests. */
  g_object_set (fixture->api, "backoff-initial", 50, "backoff-cap", 400, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->sim, fixture);
  g_clear_object (&fixture->api);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->seen, g_array_unref);
}

static guint
count_seen (Fixture    *fixture,
            const char *path_prefix,
            guint       status)
{
  guint n = 0;

  for (guint i = 0; i < fixture->seen->len; i++)
    {
      Seen *seen = &g_array_index (fixture->seen, Seen, i);

      if (g_str_has_prefix (seen->path, path_prefix) && (status == 0 || seen->status == status))
        n++;
    }

  return n;
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  char **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = fw_token_source_get_token_finish (FW_TOKEN_SOURCE (object), result, &error);
  if (*token == NULL)
    *token = g_strdup ("");
}

/* No error may carry the secret, nor the token the client holds. */
static void
assert_error_clean (FwApi        *api,
                    const GError *error)
{
  FwTokenSource *tokens = fw_api_get_token_source (api);
  gint64 expires_at = 0;

  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_null (strstr (error->message, FW_SIM_DEFAULT_CLIENT_SECRET));
  g_assert_null (strstr (error->message, WRONG_SECRET));
  g_assert_null (strstr (error->message, "Bearer"));
  g_assert_cmpuint (strlen (error->message), >, 20);

  /* A cached token comes back at once, without a grant. */
  g_object_get (tokens, "expires-at", &expires_at, NULL);
  if (!fw_token_source_get_rejected (tokens) && expires_at != 0)
    {
      g_autofree char *token = NULL;

      fw_token_source_get_token_async (tokens, NULL, token_cb, &token);
      FW_TEST_WAIT_UNTIL (token != NULL, 5000);
      g_assert_cmpstr (token, !=, "");
      g_assert_null (strstr (error->message, token));
    }
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CallResult *res = user_data;

  res->node = fw_api_call_finish (FW_API (object), result, &res->error);
  res->done_us = g_get_monotonic_time ();
  res->done = TRUE;
}

static void
call_result_clear (CallResult *res)
{
  g_clear_pointer (&res->node, json_node_unref);
  g_clear_error (&res->error);
  res->done = FALSE;
}

static void
call (FwApi        *api,
      const char   *method,
      const char   *path,
      JsonNode     *body,
      CallResult   *res)
{
  call_result_clear (res);
  fw_api_call_async (api, method, path, body, NULL, call_cb, res);
  FW_TEST_WAIT_UNTIL (res->done, 15000);
}

static void
test_get (Fixture       *fixture,
          gconstpointer  data)
{
  CallResult res = { FALSE };
  JsonObject *object;

  call (fixture->api, "GET", "/api/v2/routing/queues?pageSize=100&pageNumber=1", NULL, &res);
  g_assert_no_error (res.error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (res.node));
  object = json_node_get_object (res.node);
  g_assert_true (json_object_has_member (object, "entities"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "entities")), >, 0);

  g_assert_cmpuint (count_seen (fixture, "/oauth/token", 200), ==, 1);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/routing/queues", 200), ==, 1);
  g_assert_true (fw_api_get_environment (fixture->api) ==
                 fw_token_source_get_environment (fw_api_get_token_source (fixture->api)));

  call_result_clear (&res);
}

static void
test_json_body_and_head (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) topics = NULL;
  g_autofree char *channel_path = NULL;
  g_autofree char *subscriptions_path = NULL;
  g_autofree char *id = NULL;
  CallResult res = { FALSE };
  JsonArray *entities;

  /* POST without a body. */
  call (fixture->api, "POST", "/api/v2/notifications/channels", NULL, &res);
  g_assert_no_error (res.error);
  id = g_strdup (json_object_get_string_member (json_node_get_object (res.node), "id"));
  g_assert_nonnull (id);
  channel_path = g_strdup_printf ("/api/v2/notifications/channels/%s", id);
  subscriptions_path = g_strdup_printf ("%s/subscriptions", channel_path);

  /* PUT with a JSON body, which the simulator reads back. */
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "v2.users." FW_SIM_USER_ANA ".presence");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  topics = json_builder_get_root (builder);

  call (fixture->api, "PUT", subscriptions_path, topics, &res);
  g_assert_no_error (res.error);
  entities = json_object_get_array_member (json_node_get_object (res.node), "entities");
  g_assert_cmpuint (json_array_get_length (entities), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entities, 0), "id"),
                   ==, "v2.users." FW_SIM_USER_ANA ".presence");

  {
    g_auto(GStrv) subscribed = fw_sim_server_dup_subscriptions (fixture->sim, id);

    g_assert_nonnull (subscribed);
    g_assert_cmpuint (g_strv_length (subscribed), ==, 1);
  }

  /* HEAD: an empty answer is a JSON null. */
  call (fixture->api, "HEAD", channel_path, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_nonnull (res.node);
  g_assert_true (JSON_NODE_HOLDS_NULL (res.node));

  call_result_clear (&res);
}

static void
test_status_mapping (Fixture       *fixture,
                     gconstpointer  data)
{
  CallResult res = { FALSE };

  call (fixture->api, "GET", "/api/v2/routing/queues/00000000-0000-0000-0000-000000000000", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND);
  assert_error_clean (fixture->api, res.error);

  call (fixture->api, "HEAD", "/api/v2/notifications/channels/no-such-channel", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND);

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 403, 1, 0);
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_FORBIDDEN);
  assert_error_clean (fixture->api, res.error);

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 400, 1, 0);
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST);
  assert_error_clean (fixture->api, res.error);

  /* The body's message reaches the user. */
  call (fixture->api, "DELETE", "/api/v2/routing/queues", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (res.error->message, "405"));
  assert_error_clean (fixture->api, res.error);

  /* None of these is retried. */
  g_assert_cmpuint (count_seen (fixture, "/api/v2/", 0), ==, 5);

  call_result_clear (&res);
}

static void
test_revoked_token (Fixture       *fixture,
                    gconstpointer  data)
{
  CallResult res = { FALSE };

  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 1);

  fw_sim_server_revoke_tokens (fixture->sim);

  /* 401, a new token, the same call again, and it works. */
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_no_error (res.error);
  g_assert_nonnull (res.node);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 2);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 401), ==, 1);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 200), ==, 2);

  call_result_clear (&res);
}

static void
test_unauthorized_twice (Fixture       *fixture,
                         gconstpointer  data)
{
  CallResult res = { FALSE };

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 401, 5, 0);

  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_CREDENTIALS);
  assert_error_clean (fixture->api, res.error);
  /* Exactly one retry, with a fresh token. */
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 401), ==, 2);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (fixture->sim), ==, 2);
  /* A refused token is not a refused client. */
  g_assert_false (fw_token_source_get_rejected (fw_api_get_token_source (fixture->api)));

  call_result_clear (&res);
}

static void
test_rejected_client (Fixture       *fixture,
                      gconstpointer  data)
{
  CallResult res = { FALSE };

  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_CREDENTIALS);
  assert_error_clean (fixture->api, res.error);
  g_assert_true (fw_token_source_get_rejected (fw_api_get_token_source (fixture->api)));

  /* Later calls fail the same way, and ask nobody. */
  call (fixture->api, "GET", "/api/v2/routing/queues", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_CREDENTIALS);
  g_assert_cmpuint (count_seen (fixture, "/oauth/token", 0), ==, 1);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/", 0), ==, 0);

  call_result_clear (&res);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  CallResult first = { FALSE };
  CallResult second = { FALSE };
  gint64 limited_us = 0;
  guint limited_index = 0;

  /* Have a token first, so that only API requests follow. */
  call (fixture->api, "GET", "/api/v2/users", NULL, &first);
  g_assert_no_error (first.error);
  call_result_clear (&first);

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/routing/queues", 429, 1, 1);
  fw_api_call_async (fixture->api, "GET", "/api/v2/routing/queues", NULL, NULL, call_cb, &first);
  FW_TEST_WAIT_UNTIL (count_seen (fixture, "/api/v2/routing/queues", 429) == 1, 10000);

  for (guint i = 0; i < fixture->seen->len; i++)
    {
      Seen *seen = &g_array_index (fixture->seen, Seen, i);

      if (seen->status == 429)
        {
          limited_us = seen->at_us;
          limited_index = i;
        }
    }

  /* Nothing goes out during the wait; the client has had the 429 for a
   * while when the next call is made. */
  fw_test_run_for (300);
  g_assert_cmpuint (fixture->seen->len, ==, limited_index + 1);

  /* Another call of the same client, made during the wait, is held too. */
  fw_api_call_async (fixture->api, "GET", "/api/v2/users", NULL, NULL, call_cb, &second);
  FW_TEST_WAIT_UNTIL (first.done && second.done, 10000);
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);

  g_assert_cmpuint (fixture->seen->len, ==, limited_index + 3);
  for (guint i = limited_index + 1; i < fixture->seen->len; i++)
    {
      Seen *seen = &g_array_index (fixture->seen, Seen, i);
      gint64 after_us = seen->at_us - limited_us;

      g_test_message ("%s %s %u after %" G_GINT64_FORMAT " ms",
                      seen->method, seen->path, seen->status, after_us / 1000);
      g_assert_cmpuint (seen->status, ==, 200);
      g_assert_cmpint (after_us, >=, 990 * 1000);
      g_assert_cmpint (after_us, <, 4 * G_USEC_PER_SEC);
    }

  call_result_clear (&first);
  call_result_clear (&second);
}

static void
test_retry_after_too_long (Fixture       *fixture,
                           gconstpointer  data)
{
  CallResult res = { FALSE };
  gint64 start;

  g_object_set (fixture->api, "max-retry-after", 5000, NULL);
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 429, 1, 60);

  start = g_get_monotonic_time ();
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  assert_error_clean (fixture->api, res.error);
  /* No waiting for a minute that is over the limit anyway. */
  g_assert_cmpint (res.done_us - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 0), ==, 1);

  call_result_clear (&res);
}

static void
test_unavailable_then_success (Fixture       *fixture,
                               gconstpointer  data)
{
  CallResult res = { FALSE };
  gint64 first_us = 0;
  gint64 last_us = 0;

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 503, 2, 0);

  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_no_error (res.error);
  g_assert_nonnull (res.node);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 503), ==, 2);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 200), ==, 1);

  /* With backoff between attempts: at least 25 ms, then at least 50 ms. */
  for (guint i = 0; i < fixture->seen->len; i++)
    {
      Seen *seen = &g_array_index (fixture->seen, Seen, i);

      if (!g_str_has_prefix (seen->path, "/api/v2/users"))
        continue;
      if (first_us == 0)
        first_us = seen->at_us;
      last_us = seen->at_us;
    }
  g_assert_cmpint (last_us - first_us, >=, 75 * 1000);

  /* 502 and 504 are retried just the same. */
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 502, 1, 0);
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 504, 1, 0);
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 502), ==, 1);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 504), ==, 1);

  call_result_clear (&res);
}

static void
test_unavailable_forever (Fixture       *fixture,
                          gconstpointer  data)
{
  CallResult res = { FALSE };

  g_object_set (fixture->api, "max-retries", 3, NULL);
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 503, 100, 0);

  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  assert_error_clean (fixture->api, res.error);
  g_assert_nonnull (strstr (res.error->message, "503 (Service Unavailable)"));
  g_assert_nonnull (strstr (res.error->message, "4 times"));
  /* The first attempt and three retries. */
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 503), ==, 4);

  call_result_clear (&res);
}

static void
test_not_implemented (Fixture       *fixture,
                      gconstpointer  data)
{
  CallResult res = { FALSE };

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 501, 5, 0);
  call (fixture->api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  assert_error_clean (fixture->api, res.error);
  g_assert_nonnull (strstr (res.error->message, "501"));
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 0), ==, 1);

  /* Nor is any other 5xx. */
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/routing/queues", 500, 5, 0);
  call (fixture->api, "GET", "/api/v2/routing/queues", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/routing/queues", 0), ==, 1);

  call_result_clear (&res);
}

static void
test_bad_paths (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const paths[] = {
    "/api/v1/users",
    "api/v2/users",
    "/oauth/token",
    "http://evil.example/api/v2/users",
    "//evil.example/api/v2/users",
    "/api/v2/../../oauth/token",
    "/api/v2/users/..",
    "/api/v2/%2e%2e/oauth/token",
    "/api/v2/users#fragment",
    "/api/v2/users with space",
    "/api/v2/users\r\nX-Evil: 1",
    "/api/v2/users\\..\\x",
    "",
  };
  CallResult res = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      call (fixture->api, "GET", paths[i], NULL, &res);
      g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST);
      assert_error_clean (fixture->api, res.error);
    }

  call (fixture->api, "CONNECT", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST);

  /* Nothing left the process, not even a token grant. */
  fw_test_run_for (100);
  g_assert_cmpuint (fixture->seen->len, ==, 0);

  call_result_clear (&res);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CallResult res = { FALSE };
  gint64 cancel_us;

  g_object_set (fixture->api, "backoff-initial", 10000, "backoff-cap", 10000, NULL);
  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 503, 100, 0);

  fw_api_call_async (fixture->api, "GET", "/api/v2/users", NULL, cancellable, call_cb, &res);
  FW_TEST_WAIT_UNTIL (count_seen (fixture, "/api/v2/users", 503) == 1, 10000);
  fw_test_run_for (50);

  cancel_us = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (res.done, 5000);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (res.done_us - cancel_us, <, G_USEC_PER_SEC);

  fw_test_run_for (200);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 0), ==, 1);

  /* A call with a cancellable cancelled beforehand sends nothing. */
  call_result_clear (&res);
  fw_api_call_async (fixture->api, "GET", "/api/v2/users", NULL, cancellable, call_cb, &res);
  FW_TEST_WAIT_UNTIL (res.done, 5000);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fw_test_run_for (100);
  g_assert_cmpuint (count_seen (fixture, "/api/v2/users", 0), ==, 1);

  call_result_clear (&res);
}

static void
test_cancel_during_retry_after (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CallResult res = { FALSE };

  fw_sim_server_fail_requests (fixture->sim, NULL, "/api/v2/users", 429, 1, 5);
  fw_api_call_async (fixture->api, "GET", "/api/v2/users", NULL, cancellable, call_cb, &res);
  FW_TEST_WAIT_UNTIL (count_seen (fixture, "/api/v2/users", 429) == 1, 10000);
  fw_test_run_for (50);

  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (res.done, 1000);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  call_result_clear (&res);
}

/* ---- A server that grants tokens but never answers the API ---- */

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       n_api_requests;
} StallServer;

static void
stall_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  StallServer *stall = user_data;

  if (g_str_equal (path, "/oauth/token"))
    {
      static const char answer[] =
        "{\"access_token\":\"stall-token-0123456789\",\"token_type\":\"bearer\",\"expires_in\":86400}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        answer, strlen (answer));
      return;
    }

  stall->n_api_requests++;
  soup_server_message_pause (msg);
}

static StallServer *
stall_server_new (void)
{
  StallServer *stall = g_new0 (StallServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  stall->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (stall->server, NULL, stall_handler, stall, NULL);
  soup_server_listen_local (stall->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (stall->server);
  stall->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return stall;
}

static void
stall_server_free (StallServer *stall)
{
  soup_server_disconnect (stall->server);
  g_object_unref (stall->server);
  g_free (stall->url);
  g_free (stall);
}

/* A REST client for the server at @url, as client "the-client". */
static FwApi *
api_for_url (const char *url)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = fw_environment_new (url, NULL);
  g_autoptr(FwTokenSource) tokens = fw_token_source_new (soup, env, "the-client", "the-secret");

  return fw_api_new (soup, tokens);
}

static FwApi *
stall_api_new (StallServer *stall)
{
  FwApi *api = api_for_url (stall->url);

  g_object_set (api, "backoff-initial", 50, "backoff-cap", 100, NULL);
  return api;
}

static void
test_timeout (void)
{
  StallServer *stall = stall_server_new ();
  g_autoptr(FwApi) api = stall_api_new (stall);
  CallResult res = { FALSE };
  gint64 start;

  g_object_set (api, "request-timeout", 300, "max-retries", 1, NULL);

  start = g_get_monotonic_time ();
  call (api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_TIMEOUT);
  g_assert_null (strstr (res.error->message, "stall-token"));
  g_assert_null (strstr (res.error->message, "the-secret"));
  g_test_message ("%s", res.error->message);

  /* A timeout counts as worth a retry: two attempts of 300 ms each. */
  g_assert_cmpuint (stall->n_api_requests, ==, 2);
  g_assert_cmpint (res.done_us - start, >=, 600 * 1000);
  g_assert_cmpint (res.done_us - start, <, 5 * G_USEC_PER_SEC);

  call_result_clear (&res);
  g_clear_object (&api);
  stall_server_free (stall);
}

static void
test_cancel_in_flight (void)
{
  StallServer *stall = stall_server_new ();
  g_autoptr(FwApi) api = stall_api_new (stall);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CallResult res = { FALSE };
  gint64 cancel_us;

  fw_api_call_async (api, "GET", "/api/v2/users", NULL, cancellable, call_cb, &res);
  FW_TEST_WAIT_UNTIL (stall->n_api_requests == 1, 5000);

  cancel_us = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (res.done, 5000);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (res.done_us - cancel_us, <, G_USEC_PER_SEC);

  /* Cancelled means not retried. */
  fw_test_run_for (300);
  g_assert_cmpuint (stall->n_api_requests, ==, 1);

  call_result_clear (&res);
  g_clear_object (&api);
  stall_server_free (stall);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) env = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwApi) api = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  CallResult res = { FALSE };
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  env = fw_environment_new (url, &error);
  g_assert_no_error (error);

  tokens = fw_token_source_new (soup, env, "the-client", "the-secret");
  api = fw_api_new (soup, tokens);
  g_object_set (api, "backoff-initial", 20, "backoff-cap", 50, "max-retries", 2, NULL);

  call (api, "GET", "/api/v2/users", NULL, &res);
  g_assert_error (res.error, FW_API_ERROR, FW_API_ERROR_UNAVAILABLE);
  g_assert_null (strstr (res.error->message, "the-secret"));
  g_assert_nonnull (strstr (res.error->message, "3 attempts"));
  g_test_message ("%s", res.error->message);

  call_result_clear (&res);
}

/* An error answer whose body is only white space (valid JSON to json-glib,
 * with no value in it) still gives a clean error for its status, not a
 * critical (criticals abort the tests). */
static void
test_blank_error_body (void)
{
  static const char token_answer[] =
    "{\"access_token\":\"canned-token-0123456789\",\"token_type\":\"bearer\","
    "\"expires_in\":86400}";
  static const struct
  {
    guint       status;
    const char *body;
    int         code;
  } answers[] = {
    { 400, " ", FW_API_ERROR_BAD_REQUEST },
    { 403, "\r\n", FW_API_ERROR_FORBIDDEN },
    { 404, "\t \n", FW_API_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(SoupServer) server = NULL;
      g_autoptr(FwApi) api = NULL;
      g_autofree char *url = NULL;
      g_autofree char *status = g_strdup_printf ("%u", answers[i].status);
      CallResult res = { FALSE };

      server = fw_test_canned_server_new (200, token_answer, answers[i].status, answers[i].body,
                                          &url);
      api = api_for_url (url);

      call (api, "GET", "/api/v2/users", NULL, &res);
      g_assert_error (res.error, FW_API_ERROR, answers[i].code);
      g_assert_nonnull (strstr (res.error->message, status));
      g_assert_null (strstr (res.error->message, "canned-token"));
      g_assert_null (strstr (res.error->message, "the-secret"));

      call_result_clear (&res);
      soup_server_disconnect (server);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_WRONG_SECRET(path, func) \
  g_test_add (path, Fixture, WRONG_SECRET, fixture_setup, func, fixture_teardown)

  ADD ("/engine/api/get", test_get);
  ADD ("/engine/api/json-body-and-head", test_json_body_and_head);
  ADD ("/engine/api/status-mapping", test_status_mapping);
  ADD ("/engine/api/revoked-token", test_revoked_token);
  ADD ("/engine/api/unauthorized-twice", test_unauthorized_twice);
  ADD_WRONG_SECRET ("/engine/api/rejected-client", test_rejected_client);
  ADD ("/engine/api/retry-after", test_retry_after);
  ADD ("/engine/api/retry-after-too-long", test_retry_after_too_long);
  ADD ("/engine/api/unavailable-then-success", test_unavailable_then_success);
  ADD ("/engine/api/unavailable-forever", test_unavailable_forever);
  ADD ("/engine/api/not-implemented", test_not_implemented);
  ADD ("/engine/api/bad-paths", test_bad_paths);
  ADD ("/engine/api/cancel-during-backoff", test_cancel_during_backoff);
  ADD ("/engine/api/cancel-during-retry-after", test_cancel_during_retry_after);
  g_test_add_func ("/engine/api/timeout", test_timeout);
  g_test_add_func ("/engine/api/cancel-in-flight", test_cancel_in_flight);
  g_test_add_func ("/engine/api/unreachable", test_unreachable);
  g_test_add_func ("/engine/api/blank-error-body", test_blank_error_body);

#undef ADD
#undef ADD_WRONG_SECRET

  return g_test_run ();
}
