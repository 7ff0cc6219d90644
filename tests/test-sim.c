/* test-sim.c — the simulator, seen from plain libsoup and json-glib clients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No engine code here: the simulator is what the engine is tested against,
 * so it is checked on its own, with the simplest clients possible.
 */

#include "config.h"

#include <string.h>

#include "fw-test-util.h"

typedef struct
{
  FwSimServer *sim;
  SoupSession *session;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sim = fw_test_sim_new ();
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->sim);
  /* Let closing sockets and connections finish. */
  fw_test_run_for (20);
}

/* ---- HTTP ---- */

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Pending;

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &pending->error);
  pending->done = TRUE;
}

/* Sends one request and runs the main loop until it is answered. */
static SoupMessage *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      GBytes    **out_body)
{
  g_autofree char *url = g_strconcat (fw_sim_server_get_url (f->sim), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  Pending pending = { 0 };

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &pending);
  FW_TEST_WAIT_UNTIL (pending.done, 10000);
  g_assert_no_error (pending.error);
  if (out_body != NULL)
    *out_body = pending.body;
  else
    g_bytes_unref (pending.body);
  return msg;
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data, (gssize) length, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* Sends a request that must answer @status, and returns its JSON body (or NULL). */
static JsonNode *
http_json (Fixture    *f,
           const char *method,
           const char *path,
           const char *token,
           const char *body,
           guint       status)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) msg = http (f, method, path, token, body, &bytes);

  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  if (g_bytes_get_size (bytes) == 0)
    return NULL;
  return parse (bytes);
}

static const char *
member_string (JsonNode   *node,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }
  return json_node_get_string (node);
}

static char *
grant_token (Fixture *f)
{
  g_autofree char *url = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/token", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) form = g_bytes_new_static ("grant_type=client_credentials", 29);
  g_autofree char *basic = g_base64_encode ((const guchar *) FW_SIM_DEFAULT_CLIENT_ID ":" FW_SIM_DEFAULT_CLIENT_SECRET,
                                            strlen (FW_SIM_DEFAULT_CLIENT_ID ":" FW_SIM_DEFAULT_CLIENT_SECRET));
  g_autofree char *header = g_strconcat ("Basic ", basic, NULL);
  g_autoptr(JsonNode) node = NULL;
  Pending pending = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &pending);
  FW_TEST_WAIT_UNTIL (pending.done, 10000);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  node = parse (pending.body);
  g_bytes_unref (pending.body);
  return g_strdup (member_string (node, "access_token"));
}

static char *
create_channel (Fixture    *f,
                const char *token)
{
  g_autoptr(JsonNode) node = http_json (f, "POST", "/api/v2/notifications/channels", token, NULL, 200);

  return g_strdup (member_string (node, "id"));
}

static void
subscribe (Fixture    *f,
           const char *token,
           const char *channel_id,
           const char *topics_json)
{
  g_autofree char *path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", channel_id);
  g_autoptr(JsonNode) node = http_json (f, "PUT", path, token, topics_json, 200);
}

/* ---- Sockets ---- */

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;
  guint                    n_binary;
  gboolean                 closed;
  gushort                  close_code;
  gboolean                 failed;
} Client;

static void
client_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   Client                  *client)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (client->texts, g_strndup (data, length));
  else
    client->n_binary++;
}

static void
client_closed_cb (SoupWebsocketConnection *conn,
                  Client                  *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (conn);
}

static void
client_error_cb (SoupWebsocketConnection *conn,
                 GError                  *error,
                 Client                  *client)
{
  g_debug ("Client socket error: %s", error->message);
}

static void
connect_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (client->conn == NULL)
    {
      g_debug ("Connecting failed: %s", error->message);
      client->failed = TRUE;
      return;
    }
  g_signal_connect (client->conn, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (client_closed_cb), client);
  g_signal_connect (client->conn, "error", G_CALLBACK (client_error_cb), client);
}

static Client *
client_connect (Fixture    *f,
                const char *channel_id)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/channels/%s",
                                          fw_sim_server_get_port (f->sim), channel_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Client *client = g_new0 (Client, 1);

  client->texts = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connect_done_cb, client);
  FW_TEST_WAIT_UNTIL (client->conn != NULL || client->failed, 10000);
  return client;
}

static void
client_free (Client *client)
{
  if (client->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->conn, client);
      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&client->conn);
    }
  g_ptr_array_unref (client->texts);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static guint
client_count (Client     *client,
              const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < client->texts->len; i++)
    if (strstr (g_ptr_array_index (client->texts, i), needle) != NULL)
      n++;
  return n;
}

#define HEARTBEAT "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}"
#define PONG      "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}"

/* ---- Token ---- */

static void
test_token_grant (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/token", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) form = g_bytes_new_static ("grant_type=client_credentials", 29);
  g_autofree char *basic = g_base64_encode ((const guchar *) "floorwatch-demo:floorwatch-demo-secret", 38);
  g_autofree char *header = g_strconcat ("Basic ", basic, NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  Pending pending = { 0 };

  g_object_set (f->sim, "token-lifetime", 300, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &pending);
  FW_TEST_WAIT_UNTIL (pending.done, 10000);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  node = parse (pending.body);
  g_bytes_unref (pending.body);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 300);
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "access_token")), >=, 32);
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), ==, 1);

  /* Two grants give two different opaque tokens. */
  {
    g_autofree char *a = grant_token (f);
    g_autofree char *b = grant_token (f);

    g_assert_cmpstr (a, !=, b);
    g_assert_null (strstr (a, FW_SIM_DEFAULT_CLIENT_SECRET));
  }
}

static void
test_token_invalid_client (Fixture       *f,
                           gconstpointer  data)
{
  const char *cases[] = {
    "Basic Zmxvb3J3YXRjaC1kZW1vOndyb25n",        /* floorwatch-demo:wrong */
    "Basic bm9ib2R5OmZsb29yd2F0Y2gtZGVtby1zZWNyZXQ=", /* nobody:floorwatch-demo-secret */
    "Basic !!!not base64!!!",
    "Bearer something",
    NULL,                                          /* no header at all */
  };
  g_autofree char *url = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/token", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) form = g_bytes_new_static ("grant_type=client_credentials", 29);
      g_autoptr(JsonNode) node = NULL;
      Pending pending = { 0 };

      if (cases[i] != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", cases[i]);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &pending);
      FW_TEST_WAIT_UNTIL (pending.done, 10000);
      g_assert_no_error (pending.error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
      node = parse (pending.body);
      g_bytes_unref (pending.body);
      g_assert_cmpstr (member_string (node, "error"), ==, "invalid_client");
      g_assert_cmpstr (member_string (node, "description"), ==, "authentication failed");
      g_assert_cmpstr (member_string (node, "error_description"), ==, "authentication failed");
    }
  g_assert_cmpuint (fw_sim_server_get_n_token_grants (f->sim), ==, 0);
}

static void
test_api_unauthorized (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) bogus = NULL;
  g_autoptr(JsonNode) revoked = NULL;
  g_autoptr(JsonNode) expired = NULL;
  g_autofree char *token = grant_token (f);
  g_autofree char *short_token = NULL;
  g_autofree char *channel = NULL;

  missing = http_json (f, "POST", "/api/v2/notifications/channels", NULL, NULL, 401);
  g_assert_cmpstr (member_string (missing, "code"), ==, "authentication.required");
  bogus = http_json (f, "POST", "/api/v2/notifications/channels", "not-a-token", NULL, 401);
  g_assert_cmpstr (member_string (bogus, "code"), ==, "bad.credentials");

  channel = create_channel (f, token);
  fw_sim_server_revoke_tokens (f->sim);
  revoked = http_json (f, "GET", "/api/v2/notifications/channels", token, NULL, 401);
  g_assert_cmpstr (member_string (revoked, "code"), ==, "bad.credentials");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (revoked), "status"), ==, 401);

  /* A new grant works again; once its lifetime is over it answers 401 too. */
  g_object_set (f->sim, "token-lifetime", 1, NULL);
  short_token = grant_token (f);
  g_clear_pointer (&channel, g_free);
  channel = create_channel (f, short_token);
  {
    gint64 end = g_get_monotonic_time () + 1100 * 1000;

    FW_TEST_WAIT_UNTIL (g_get_monotonic_time () > end, 5000);
  }
  expired = http_json (f, "GET", "/api/v2/notifications/channels", short_token, NULL, 401);
  g_assert_cmpstr (member_string (expired, "code"), ==, "credentials.expired");
}

/* ---- Channels ---- */

static guint
head_channel (Fixture    *f,
              const char *token,
              const char *channel_id)
{
  g_autofree char *path = g_strconcat ("/api/v2/notifications/channels/", channel_id, NULL);
  g_autoptr(SoupMessage) msg = http (f, "HEAD", path, token, NULL, NULL);

  return soup_message_get_status (msg);
}

static void
test_channel_lifecycle (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(JsonNode) created = http_json (f, "POST", "/api/v2/notifications/channels", token, NULL, 200);
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expected_uri = NULL;
  g_autofree char *short_lived = NULL;
  const char *id = member_string (created, "id");
  const char *expires_text = member_string (created, "expires");

  g_assert_true (g_str_has_prefix (id, "streaming-0-"));
  expected_uri = g_strdup_printf ("ws://127.0.0.1:%u/channels/%s", fw_sim_server_get_port (f->sim), id);
  g_assert_cmpstr (member_string (created, "connectUri"), ==, expected_uri);
  /* ISO 8601 with milliseconds and Z, about a day ahead. */
  g_assert_true (g_str_has_suffix (expires_text, "Z"));
  g_assert_cmpuint (strlen (expires_text), ==, strlen ("2026-11-29T17:59:07.650Z"));
  expires = g_date_time_new_from_iso8601 (expires_text, NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_to_unix (expires) - g_get_real_time () / G_USEC_PER_SEC, >, 86000);

  g_assert_cmpuint (head_channel (f, token, id), ==, 200);
  g_assert_cmpuint (head_channel (f, token, "streaming-0-nosuchchannel"), ==, 404);
  listed = http_json (f, "GET", "/api/v2/notifications/channels", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (listed),
                                                                         "entities")), ==, 1);

  fw_sim_server_expire_channels (f->sim);
  g_assert_cmpuint (head_channel (f, token, id), ==, 404);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 0);

  /* A channel whose lifetime runs out goes by itself… */
  g_object_set (f->sim, "channel-lifetime", 300, NULL);
  short_lived = create_channel (f, token);
  g_assert_cmpuint (head_channel (f, token, short_lived), ==, 200);
  FW_TEST_WAIT_UNTIL (fw_sim_server_get_n_channels (f->sim) == 0, 5000);
  g_assert_cmpuint (head_channel (f, token, short_lived), ==, 404);
}

static void
test_channel_resubscribe_extends (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = NULL;
  gint64 deadline;

  /* …unless a PUT renews it. */
  g_object_set (f->sim, "channel-lifetime", 600, NULL);
  id = create_channel (f, token);
  deadline = g_get_monotonic_time () + 1500 * 1000;
  while (g_get_monotonic_time () < deadline)
    {
      subscribe (f, token, id, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]");
      fw_test_run_for (150);
    }
  g_assert_cmpuint (head_channel (f, token, id), ==, 200);
  FW_TEST_WAIT_UNTIL (head_channel (f, token, id) == 404, 5000);
}

static void
test_channel_lru (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Client) client = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *another = NULL;

  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (ids, create_channel (f, token));
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 20);

  /* Channel 0 has an open socket, channel 1 was just used: channel 2 is
   * the least recently used idle one. */
  client = client_connect (f, g_ptr_array_index (ids, 0));
  g_assert_nonnull (client->conn);
  subscribe (f, token, g_ptr_array_index (ids, 1), "[]");

  extra = create_channel (f, token);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 20);
  g_assert_cmpuint (head_channel (f, token, g_ptr_array_index (ids, 2)), ==, 404);
  g_assert_cmpuint (head_channel (f, token, g_ptr_array_index (ids, 0)), ==, 200);
  g_assert_cmpuint (head_channel (f, token, g_ptr_array_index (ids, 1)), ==, 200);
  g_assert_cmpuint (head_channel (f, token, extra), ==, 200);

  /* Next goes channel 3, still not the one with a socket. */
  another = create_channel (f, token);
  g_assert_cmpuint (head_channel (f, token, g_ptr_array_index (ids, 3)), ==, 404);
  g_assert_cmpuint (head_channel (f, token, g_ptr_array_index (ids, 0)), ==, 200);
  g_assert_false (client->closed);
}

static void
test_channel_lru_closes_socket (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;

  /* When every channel has a socket, the oldest goes and its socket closes. */
  g_object_set (f->sim, "max-channels", 2, NULL);
  first = create_channel (f, token);
  second = create_channel (f, token);
  a = client_connect (f, first);
  b = client_connect (f, second);
  third = create_channel (f, token);
  FW_TEST_WAIT_UNTIL (a->closed, 5000);
  g_assert_false (b->closed);
  g_assert_cmpuint (head_channel (f, token, first), ==, 404);
  g_assert_cmpuint (fw_sim_server_get_n_channels (f->sim), ==, 2);
}

/* ---- Subscriptions ---- */

static JsonArray *
entities (JsonNode *node)
{
  return json_object_get_array_member (json_node_get_object (node), "entities");
}

static void
test_subscriptions (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", id);
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(JsonNode) get = NULL;
  g_autoptr(JsonNode) post = NULL;
  g_autoptr(JsonNode) after_delete = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_auto(GStrv) topics = NULL;
  JsonObject *entity;

  put = http_json (f, "PUT", path, token,
                   "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"},"
                   "{\"id\":\"v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations\"}]", 200);
  g_assert_cmpuint (json_array_get_length (entities (put)), ==, 2);
  entity = json_array_get_object_element (entities (put), 0);
  g_assert_cmpstr (json_object_get_string_member (entity, "id"), ==, "v2.users." FW_SIM_USER_ANA ".presence");
  g_assert_cmpstr (json_object_get_string_member (entity, "state"), ==, "Permitted");

  get = http_json (f, "GET", path, token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (entities (get)), ==, 2);

  post = http_json (f, "POST", path, token,
                    "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".routingStatus\"},"
                    "{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]", 200);
  g_assert_cmpuint (json_array_get_length (entities (post)), ==, 3);
  topics = fw_sim_server_dup_subscriptions (f->sim, id);
  g_assert_cmpuint (g_strv_length (topics), ==, 3);
  g_assert_cmpstr (topics[0], ==, "v2.routing.queues." FW_SIM_QUEUE_SUPPORT ".conversations");
  g_assert_cmpstr (topics[1], ==, "v2.users." FW_SIM_USER_ANA ".presence");
  g_assert_cmpstr (topics[2], ==, "v2.users." FW_SIM_USER_ANA ".routingStatus");

  /* PUT replaces the whole list. */
  g_clear_pointer (&put, json_node_unref);
  put = http_json (f, "PUT", path, token, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".activity\"}]", 200);
  g_clear_pointer (&topics, g_strfreev);
  topics = fw_sim_server_dup_subscriptions (f->sim, id);
  g_assert_cmpuint (g_strv_length (topics), ==, 1);

  deleted = http_json (f, "DELETE", path, token, NULL, 200);
  after_delete = http_json (f, "GET", path, token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (entities (after_delete)), ==, 0);

  missing = http_json (f, "GET", "/api/v2/notifications/channels/streaming-0-gone/subscriptions",
                       token, NULL, 404);
  g_assert_null (fw_sim_server_dup_subscriptions (f->sim, "streaming-0-gone"));
}

static void
test_subscriptions_rejected (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", id);
  g_autofree char *lenient = g_strconcat (path, "?ignoreErrors=true", NULL);
  const char *body = "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"},"
                     "{\"id\":\"v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations\"}]";
  g_autoptr(JsonNode) strict = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_auto(GStrv) topics = NULL;
  JsonObject *rejected;
  JsonArray *missing;

  fw_sim_server_reject_topics (f->sim, "v2.analytics.queues.", "Missing required permissions");

  strict = http_json (f, "PUT", path, token, body, 403);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (strict), "status"), ==, 403);
  topics = fw_sim_server_dup_subscriptions (f->sim, id);
  g_assert_cmpuint (g_strv_length (topics), ==, 0);

  answer = http_json (f, "PUT", lenient, token, body, 200);
  g_assert_cmpuint (json_array_get_length (entities (answer)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entities (answer), 0), "state"),
                   ==, "Permitted");
  rejected = json_array_get_object_element (entities (answer), 1);
  g_assert_cmpstr (json_object_get_string_member (rejected, "id"), ==,
                   "v2.analytics.queues." FW_SIM_QUEUE_SALES ".observations");
  g_assert_cmpstr (json_object_get_string_member (rejected, "state"), ==, "Rejected");
  g_assert_cmpstr (json_object_get_string_member (rejected, "rejectionReason"), ==, "Missing required permissions");
  missing = json_object_get_array_member (rejected, "missingPermissions");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "analytics:queueObservation:view");

  g_clear_pointer (&topics, g_strfreev);
  topics = fw_sim_server_dup_subscriptions (f->sim, id);
  g_assert_cmpuint (g_strv_length (topics), ==, 1);
  g_assert_cmpstr (topics[0], ==, "v2.users." FW_SIM_USER_ANA ".presence");
}

static char *
topic_list (guint n)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"id\":\"v2.users.00000000-0000-4000-8000-%012u.presence\"}",
                            i ? "," : "", i);
  g_string_append (s, "]");
  return g_string_free (s, FALSE);
}

static void
test_subscriptions_limits (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", id);
  g_autofree char *thousand = topic_list (1000);
  g_autofree char *too_many = topic_list (1001);
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) over = NULL;
  g_autoptr(JsonNode) post_over = NULL;
  const char *malformed[] = {
    "not json", "{\"id\":\"x\"}", "[1,2]", "[{\"topic\":\"x\"}]", "[{\"id\":5}]", "[{\"id\":\"\"}]", "",
  };

  over = http_json (f, "PUT", path, token, too_many, 400);
  g_assert_cmpstr (member_string (over, "code"), ==, "bad.request");
  ok = http_json (f, "PUT", path, token, thousand, 200);
  g_assert_cmpuint (json_array_get_length (entities (ok)), ==, 1000);
  /* Adding one more to a full channel is refused too. */
  post_over = http_json (f, "POST", path, token, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]", 400);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(JsonNode) answer = http_json (f, "PUT", path, token, malformed[i], 400);

      g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "status"), ==, 400);
    }
}

/* ---- Sockets ---- */

static void
count_signal_cb (FwSimServer *sim,
                 const char  *channel_id,
                 guint       *counter)
{
  (*counter)++;
}

static void
test_socket_heartbeat_ping (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  guint n_pings = 0;

  g_object_set (f->sim, "heartbeat-interval", 100, NULL);
  g_signal_connect (f->sim, "ping", G_CALLBACK (count_signal_cb), &n_pings);
  client = client_connect (f, id);
  g_assert_nonnull (client->conn);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);

  FW_TEST_WAIT_UNTIL (client_count (client, "WebSocket Heartbeat") >= 2, 5000);
  g_assert_cmpstr (g_ptr_array_index (client->texts, 0), ==, HEARTBEAT);

  soup_websocket_connection_send_text (client->conn, "{\"message\":\"ping\"}");
  FW_TEST_WAIT_UNTIL (client_count (client, "pong") == 1, 5000);
  g_assert_cmpuint (n_pings, ==, 1);
  for (guint i = 0; i < client->texts->len; i++)
    if (strstr (g_ptr_array_index (client->texts, i), "pong"))
      g_assert_cmpstr (g_ptr_array_index (client->texts, i), ==, PONG);

  /* Anything else the client says is ignored. */
  soup_websocket_connection_send_text (client->conn, "{\"message\":\"pingpong\"}");
  soup_websocket_connection_send_text (client->conn, "[[[[[[[[");
  soup_websocket_connection_send_binary (client->conn, "\xff\x00", 2);
  fw_test_run_for (200);
  g_assert_cmpuint (client_count (client, "pong"), ==, 1);
  g_assert_false (client->closed);
  g_signal_handlers_disconnect_by_data (f->sim, &n_pings);
}

static void
test_socket_publish (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"message\":\"hello\"}", NULL);
  g_autoptr(JsonNode) event = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *unwanted = NULL;
  g_autofree char *combined = NULL;
  GPtrArray *published;
  FwSimPublished *record;
  JsonObject *object;

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  subscribe (f, token, id, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"},"
                           "{\"id\":\"v2.users.4d27b7ff-d5ad-45d1-a4a5-04249d42dc38?presence&routingStatus\"}]");
  client = client_connect (f, id);
  g_assert_nonnull (client->conn);

  unwanted = fw_sim_server_publish (f->sim, "v2.users." FW_SIM_USER_ANA ".routingStatus", body);
  wanted = fw_sim_server_publish (f->sim, "v2.users." FW_SIM_USER_ANA ".presence", body);
  combined = fw_sim_server_publish (f->sim, "v2.users.4d27b7ff-d5ad-45d1-a4a5-04249d42dc38.routingStatus", body);
  FW_TEST_WAIT_UNTIL (client->texts->len >= 2, 5000);
  fw_test_run_for (100);
  g_assert_cmpuint (client->texts->len, ==, 2);

  event = json_from_string (g_ptr_array_index (client->texts, 0), NULL);
  object = json_node_get_object (event);
  g_assert_cmpstr (json_object_get_string_member (object, "topicName"), ==, "v2.users." FW_SIM_USER_ANA ".presence");
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, "2");
  g_assert_cmpstr (member_string (event, "eventBody.message"), ==, "hello");
  g_assert_cmpstr (member_string (event, "metadata.CorrelationId"), ==, wanted);
  g_assert_true (g_uuid_string_is_valid (wanted));
  g_assert_nonnull (strstr (g_ptr_array_index (client->texts, 1), combined));

  published = fw_sim_server_get_published (f->sim);
  g_assert_cmpuint (published->len, ==, 3);
  record = g_ptr_array_index (published, 0);
  g_assert_cmpstr (record->correlation_id, ==, unwanted);
  g_assert_cmpuint (record->n_delivered, ==, 0);
  record = g_ptr_array_index (published, 1);
  g_assert_cmpstr (record->topic, ==, "v2.users." FW_SIM_USER_ANA ".presence");
  g_assert_cmpuint (record->n_delivered, ==, 1);
  g_assert_cmpint (record->published_us, >, 0);
  fw_sim_server_clear_published (f->sim);
  g_assert_cmpuint (fw_sim_server_get_published (f->sim)->len, ==, 0);
}

static void
test_socket_closing (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  gint64 sent_at;

  g_object_set (f->sim, "socket-closing-grace", 300, "heartbeat-interval", 0, NULL);
  client = client_connect (f, id);
  fw_sim_server_send_socket_closing (f->sim);
  sent_at = g_get_monotonic_time ();
  FW_TEST_WAIT_UNTIL (client_count (client, "\"v2.system.socket_closing\"") == 1, 5000);
  g_assert_false (client->closed);
  FW_TEST_WAIT_UNTIL (client->closed, 5000);
  g_assert_cmpint (g_get_monotonic_time () - sent_at, >=, 250 * 1000);
  g_assert_cmpuint (client->close_code, ==, FW_SIM_CLOSE_MAINTENANCE);
  /* The channel itself stays: the client reconnects to it. */
  g_assert_cmpuint (head_channel (f, token, id), ==, 200);
}

static void
test_socket_drop (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) again = NULL;
  guint n_closed = 0;

  g_signal_connect (f->sim, "socket-closed", G_CALLBACK (count_signal_cb), &n_closed);
  client = client_connect (f, id);
  fw_sim_server_drop_sockets (f->sim);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 0);
  FW_TEST_WAIT_UNTIL (client->closed, 5000);
  /* No close frame came: libsoup reports 0 (1006 in RFC terms). */
  g_assert_true (client->close_code == 0 || client->close_code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
  FW_TEST_WAIT_UNTIL (n_closed == 1, 5000);

  /* The channel survives; a new socket works. */
  again = client_connect (f, id);
  g_assert_nonnull (again->conn);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);
  g_signal_handlers_disconnect_by_data (f->sim, &n_closed);
}

static void
test_socket_close_code (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = client_connect (f, id);

  fw_sim_server_close_sockets (f->sim, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "idle timeout");
  FW_TEST_WAIT_UNTIL (client->closed, 5000);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (client->conn), ==, "idle timeout");
}

static void
test_socket_replaced (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) first = NULL;
  g_autoptr(Client) second = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
  g_autofree char *correlation_id = NULL;

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  subscribe (f, token, id, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]");
  first = client_connect (f, id);
  second = client_connect (f, id);
  FW_TEST_WAIT_UNTIL (first->closed, 5000);
  g_assert_cmpuint (first->close_code, ==, FW_SIM_CLOSE_REPLACED);
  g_assert_false (second->closed);

  correlation_id = fw_sim_server_publish (f->sim, "v2.users." FW_SIM_USER_ANA ".presence", body);
  FW_TEST_WAIT_UNTIL (second->texts->len == 1, 5000);
  g_assert_cmpuint (first->texts->len, ==, 0);
}

static void
test_socket_unknown_channel (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Client) client = client_connect (f, "streaming-0-doesnotexist");

  g_assert_true (client->failed);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "GET", "/channels/"), ==, 1);
}

static void
test_socket_expired_channel (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *topic = g_strconcat ("v2.system.no_longer_subscribed.", id, NULL);
  g_autoptr(Client) client = client_connect (f, id);
  g_autoptr(Client) late = NULL;
  g_autoptr(JsonNode) event = NULL;

  fw_sim_server_expire_channels (f->sim);
  FW_TEST_WAIT_UNTIL (client->closed, 5000);
  g_assert_cmpuint (client->close_code, ==, FW_SIM_CLOSE_CHANNEL_GONE);
  g_assert_cmpuint (client->texts->len, >=, 1);
  event = json_from_string (g_ptr_array_index (client->texts, client->texts->len - 1), NULL);
  g_assert_cmpstr (member_string (event, "topicName"), ==, topic);
  g_assert_cmpstr (member_string (event, "eventBody.channelId"), ==, id);
  g_assert_cmpstr (member_string (event, "eventBody.systemTopicType"), ==, "no_longer_subscribed");

  late = client_connect (f, id);
  g_assert_true (late->failed);
}

static void
test_socket_silent (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
  g_autofree char *correlation_id = NULL;
  FwSimPublished *record;
  guint n_pings = 0;

  g_object_set (f->sim, "heartbeat-interval", 50, NULL);
  g_signal_connect (f->sim, "ping", G_CALLBACK (count_signal_cb), &n_pings);
  subscribe (f, token, id, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]");
  client = client_connect (f, id);
  FW_TEST_WAIT_UNTIL (client->texts->len >= 1, 5000);

  fw_sim_server_set_silent (f->sim, TRUE);
  fw_test_run_for (60);
  g_ptr_array_set_size (client->texts, 0);
  correlation_id = fw_sim_server_publish (f->sim, "v2.users." FW_SIM_USER_ANA ".presence", body);
  soup_websocket_connection_send_text (client->conn, "{\"message\":\"ping\"}");
  FW_TEST_WAIT_UNTIL (n_pings == 1, 5000);
  fw_test_run_for (300);
  g_assert_cmpuint (client->texts->len, ==, 0);
  g_assert_false (client->closed);
  g_assert_cmpuint (fw_sim_server_get_n_open_sockets (f->sim), ==, 1);
  record = g_ptr_array_index (fw_sim_server_get_published (f->sim), 0);
  g_assert_cmpuint (record->n_delivered, ==, 0);

  fw_sim_server_set_silent (f->sim, FALSE);
  FW_TEST_WAIT_UNTIL (client_count (client, "WebSocket Heartbeat") >= 1, 5000);
  g_signal_handlers_disconnect_by_data (f->sim, &n_pings);
}

static void
test_socket_raw_frames (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  g_autofree char *big = g_strnfill (200000, 'a');
  FwSimPublished *record;

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  client = client_connect (f, id);
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 0);

  fw_sim_server_send_frame (f->sim, NULL, "not json at all", 15, FALSE);
  fw_sim_server_send_frame (f->sim, id, big, 200000, FALSE);
  fw_sim_server_send_frame (f->sim, id, "\x01\x02\x03", 3, TRUE);
  FW_TEST_WAIT_UNTIL (client->texts->len == 2 && client->n_binary == 1, 5000);
  g_assert_cmpstr (g_ptr_array_index (client->texts, 0), ==, "not json at all");
  g_assert_cmpuint (strlen (g_ptr_array_index (client->texts, 1)), ==, 200000);
  record = g_ptr_array_index (fw_sim_server_get_published (f->sim), 0);
  g_assert_cmpstr (record->topic, ==, FW_SIM_TOPIC_RAW_FRAME);
  g_assert_cmpuint (record->n_delivered, ==, 1);

  /* A text frame that is not UTF-8 reaches the client, which must refuse it
   * (libsoup closes with 1007). */
  fw_sim_server_send_frame (f->sim, id, "\xc3\x28 bad", 6, FALSE);
  FW_TEST_WAIT_UNTIL (client->closed, 5000);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
}

static void
test_socket_raw_frame_after_burst (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  g_autofree char *padding = g_strnfill (1000, 'p');

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  client = client_connect (f, id);

  /* 2 MB at once: libsoup cannot write it all and queues the rest.  The
   * broken frame must come after all of it, not inside one of its frames. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *text = g_strdup_printf ("%05u %s", i, padding);

      fw_sim_server_send_frame (f->sim, id, text, strlen (text), FALSE);
    }
  fw_sim_server_send_frame (f->sim, id, "\xff\xfe", 2, FALSE);
  fw_sim_server_send_frame (f->sim, id, "after", 5, FALSE);

  FW_TEST_WAIT_UNTIL (client->closed, 10000);
  /* libsoup still hands over a frame it had read along with the bad one. */
  g_assert_cmpuint (client->texts->len, >=, 2000);
  g_assert_cmpuint (client->texts->len, <=, 2001);
  if (client->texts->len == 2001)
    g_assert_cmpstr (g_ptr_array_index (client->texts, 2000), ==, "after");
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%05u ", i);

      g_assert_true (g_str_has_prefix (g_ptr_array_index (client->texts, i), prefix));
    }
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
}

/* ---- Faults on REST ---- */

static void
test_fail_requests (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) limited = NULL;
  g_autoptr(JsonNode) error = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) unavailable = NULL;
  guint n_requests = 0;

  fw_sim_server_fail_requests (f->sim, "POST", "/api/v2/notifications/channels", 429, 1, 7);
  limited = http (f, "POST", "/api/v2/notifications/channels", token, NULL, &body);
  g_assert_cmpuint (soup_message_get_status (limited), ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (limited), "Retry-After"),
                   ==, "7");
  error = parse (body);
  g_assert_cmpstr (member_string (error, "code"), ==, "too.many.requests.retry.after");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (error), "status"), ==, 429);
  g_assert_nonnull (strstr (member_string (error, "message"), "[7]"));

  /* Only @count requests fail. */
  ok = http_json (f, "POST", "/api/v2/notifications/channels", token, NULL, 200);

  /* The login host too, and any method when none is given. */
  fw_sim_server_fail_requests (f->sim, NULL, "/oauth/token", 503, 2, 0);
  {
    g_autoptr(SoupMessage) first = http (f, "POST", "/oauth/token", NULL, NULL, NULL);
    g_autoptr(SoupMessage) second = http (f, "GET", "/oauth/token", NULL, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (first), ==, 503);
    g_assert_cmpuint (soup_message_get_status (second), ==, 503);
  }
  g_free (grant_token (f));

  fw_sim_server_fail_requests (f->sim, "GET", "/api/v2/users", 502, 1, 0);
  unavailable = http_json (f, "GET", "/api/v2/users", token, NULL, 502);
  g_assert_cmpstr (member_string (unavailable, "code"), ==, "bad.gateway");

  n_requests = fw_sim_server_count_requests (f->sim, NULL, "/oauth/token");
  g_assert_cmpuint (n_requests, ==, 4);
  g_assert_cmpuint (fw_sim_server_count_requests (f->sim, "POST", "/api/v2/notifications/channels"), ==, 2);
}

static void
request_cb (FwSimServer *sim,
            const char  *method,
            const char  *path,
            guint        status,
            GPtrArray   *log)
{
  g_ptr_array_add (log, g_strdup_printf ("%s %s %u", method, path, status));
}

static void
test_request_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(JsonNode) missing = NULL;

  g_signal_connect (f->sim, "request", G_CALLBACK (request_cb), log);
  token = grant_token (f);
  id = create_channel (f, token);
  client = client_connect (f, id);
  missing = http_json (f, "GET", "/api/v2/nothing/here", token, NULL, 404);
  FW_TEST_WAIT_UNTIL (log->len == 4, 5000);
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "POST /oauth/token 200");
  g_assert_cmpstr (g_ptr_array_index (log, 1), ==, "POST /api/v2/notifications/channels 200");
  g_assert_true (g_str_has_suffix (g_ptr_array_index (log, 2), " 101"));
  g_assert_cmpstr (g_ptr_array_index (log, 3), ==, "GET /api/v2/nothing/here 404");
  g_signal_handlers_disconnect_by_data (f->sim, log);
}

static void
test_hostile_requests (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *path = g_strdup_printf ("/api/v2/notifications/channels/%s/subscriptions", id);
  g_autofree char *deep = NULL;
  g_autoptr(JsonNode) deep_answer = NULL;
  g_autoptr(JsonNode) query_answer = NULL;
  g_autoptr(JsonNode) paging = NULL;
  GString *nested = g_string_new (NULL);

  /* Nesting deep enough to overflow a recursive parser. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (nested, '[');
  deep = g_string_free (nested, FALSE);
  deep_answer = http_json (f, "PUT", path, token, deep, 400);
  query_answer = http_json (f, "POST", "/api/v2/analytics/queues/observations/query", token, deep, 400);
  paging = http_json (f, "GET", "/api/v2/routing/queues?pageSize=-1", token, NULL, 400);

  /* A body announced as huge is refused before it is read. */
  {
    g_autofree char *url = g_strconcat (fw_sim_server_get_url (f->sim), path, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
    g_autofree char *big = g_malloc0 (5 * 1024 * 1024);
    g_autoptr(GBytes) bytes = NULL;
    Pending pending = { 0 };

    memset (big, ' ', 5 * 1024 * 1024);
    bytes = g_bytes_new_take (g_steal_pointer (&big), 5 * 1024 * 1024);
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &pending);
    FW_TEST_WAIT_UNTIL (pending.done, 10000);
    g_clear_error (&pending.error);
    g_clear_pointer (&pending.body, g_bytes_unref);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  }

  /* And the server still answers. */
  g_assert_cmpuint (head_channel (f, token, id), ==, 200);
}

/* ---- Directory ---- */

static void
test_rest_queues (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(JsonNode) page1 = http_json (f, "GET", "/api/v2/routing/queues?pageSize=2&pageNumber=1", token, NULL, 200);
  g_autoptr(JsonNode) page3 = http_json (f, "GET", "/api/v2/routing/queues?pageSize=2&pageNumber=3", token, NULL, 200);
  g_autoptr(JsonNode) search = http_json (f, "GET", "/api/v2/routing/queues?name=*PORT*", token, NULL, 200);
  g_autoptr(JsonNode) exact = http_json (f, "GET", "/api/v2/routing/queues?name=sales", token, NULL, 200);
  g_autoptr(JsonNode) none = http_json (f, "GET", "/api/v2/routing/queues?name=nothing*", token, NULL, 200);
  g_autoptr(JsonNode) members = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  JsonObject *object = json_node_get_object (page1);
  JsonObject *queue;
  JsonArray *array;

  g_assert_cmpint (json_object_get_int_member (object, "total"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "pageCount"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "pageSize"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "pageNumber"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "nextUri"), ==,
                   "/api/v2/routing/queues?pageSize=2&pageNumber=2");
  array = entities (page1);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  /* Sorted by name: Billing, Retention | Sales, Support | Technical. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "Billing");
  g_assert_cmpuint (json_array_get_length (entities (page3)), ==, 1);
  g_assert_false (json_object_has_member (json_node_get_object (page3), "nextUri"));

  g_assert_cmpuint (json_array_get_length (entities (search)), ==, 1);
  queue = json_array_get_object_element (entities (search), 0);
  g_assert_cmpstr (json_object_get_string_member (queue, "id"), ==, FW_SIM_QUEUE_SUPPORT);
  g_assert_cmpstr (json_object_get_string_member (queue, "name"), ==, "Support");
  g_assert_true (json_object_has_member (queue, "mediaSettings"));
  g_assert_cmpint (json_object_get_int_member (queue, "memberCount"), >, 0);
  g_assert_cmpuint (json_array_get_length (entities (exact)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entities (exact), 0), "id"),
                   ==, FW_SIM_QUEUE_SALES);
  g_assert_cmpuint (json_array_get_length (entities (none)), ==, 0);

  members = http_json (f, "GET", "/api/v2/routing/queues/" FW_SIM_QUEUE_SALES "/members?expand=routingStatus,presence",
                       token, NULL, 200);
  array = entities (members);
  g_assert_cmpuint (json_array_get_length (array), ==,
                    json_object_get_int_member (json_array_get_object_element (entities (exact), 0), "memberCount"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *member = json_array_get_object_element (array, i);
      JsonObject *user = json_object_get_object_member (member, "user");

      g_assert_true (json_object_has_member (member, "joined"));
      g_assert_true (json_object_has_member (member, "routingStatus"));
      g_assert_true (json_object_has_member (user, "presence"));
      g_assert_cmpstr (json_object_get_string_member (member, "name"), ==,
                       fw_sim_server_get_user_name (f->sim, json_object_get_string_member (member, "id")));
    }
  unknown = http_json (f, "GET", "/api/v2/routing/queues/nope/members", token, NULL, 404);
}

static void
test_rest_users (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(JsonNode) all = http_json (f, "GET", "/api/v2/users?pageSize=100", token, NULL, 200);
  g_autoptr(JsonNode) page = http_json (f, "GET", "/api/v2/users?pageSize=7&pageNumber=3", token, NULL, 200);
  g_autoptr(JsonNode) two = NULL;
  g_autoptr(JsonNode) plain = NULL;
  g_auto(GStrv) ids = fw_sim_server_dup_user_ids (f->sim);
  JsonObject *ana;
  JsonObject *bruno;

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (all), "total"), ==, g_strv_length (ids));
  g_assert_cmpuint (g_strv_length (ids), >=, 20);
  g_assert_cmpuint (json_array_get_length (entities (page)), ==, g_strv_length (ids) - 14);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (page), "pageCount"), ==, 3);

  fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "ON_QUEUE");
  two = http_json (f, "GET", "/api/v2/users?id=" FW_SIM_USER_ANA "&id=4d27b7ff-d5ad-45d1-a4a5-04249d42dc38"
                   "&expand=presence,routingStatus", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (entities (two)), ==, 2);
  ana = json_array_get_object_element (entities (two), 0);
  bruno = json_array_get_object_element (entities (two), 1);
  g_assert_cmpstr (json_object_get_string_member (ana, "name"), ==, "Ana Silva");
  g_assert_cmpstr (json_object_get_string_member (bruno, "name"), ==, "Bruno Costa");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (ana, "presence"), "presenceDefinition"), "systemPresence"),
                   ==, "On Queue");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ana, "routingStatus"), "status"),
                   ==, fw_sim_server_get_user_routing_status (f->sim, FW_SIM_USER_ANA));

  plain = http_json (f, "GET", "/api/v2/users?id=" FW_SIM_USER_ANA, token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (entities (plain)), ==, 1);
  g_assert_false (json_object_has_member (json_array_get_object_element (entities (plain), 0), "presence"));
}

static void
test_rest_available_topics (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(JsonNode) topics = http_json (f, "GET",
                                          "/api/v2/notifications/availabletopics?expand=description,requiresPermissions,topicParameters",
                                          token, NULL, 200);
  JsonArray *array = entities (topics);
  gboolean found = FALSE;

  g_assert_cmpuint (json_array_get_length (array), >=, 7);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *topic = json_array_get_object_element (array, i);

      g_assert_true (json_object_has_member (topic, "description"));
      g_assert_true (json_object_has_member (topic, "requiresPermissions"));
      g_assert_true (json_object_has_member (topic, "topicParameters"));
      found |= g_str_equal (json_object_get_string_member (topic, "id"), "v2.analytics.queues.{id}.observations");
    }
  g_assert_true (found);
  g_assert_false (json_object_has_member (json_node_get_object (topics), "pageSize"));
}

static guint
query_metric (JsonNode   *answer,
              const char *queue_id,
              const char *metric,
              const char *qualifier)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (answer), "results");

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      JsonArray *data = json_object_get_array_member (result, "data");

      if (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (result, "group"), "queueId"),
                     queue_id) != 0)
        continue;
      for (guint j = 0; j < json_array_get_length (data); j++)
        {
          JsonObject *item = json_array_get_object_element (data, j);

          if (g_str_equal (json_object_get_string_member (item, "metric"), metric) &&
              g_strcmp0 (json_object_get_string_member_with_default (item, "qualifier", NULL), qualifier) == 0)
            return (guint) json_object_get_int_member (json_object_get_object_member (item, "stats"), "count");
        }
    }
  return 0;
}

static void
test_rest_observations_query (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) unknown_metric = NULL;
  const char *query =
    "{\"filter\":{\"type\":\"or\",\"predicates\":["
    "{\"type\":\"dimension\",\"dimension\":\"queueId\",\"operator\":\"matches\",\"value\":\"" FW_SIM_QUEUE_SUPPORT "\"},"
    "{\"type\":\"dimension\",\"dimension\":\"queueId\",\"operator\":\"matches\",\"value\":\"" FW_SIM_QUEUE_SALES "\"}]},"
    "\"metrics\":[\"oWaiting\",\"oInteracting\",\"oAlerting\",\"oOnQueueUsers\",\"oMemberUsers\",\"oActiveUsers\"],"
    "\"detailMetrics\":[\"oWaiting\"]}";
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* No traffic: only the calls placed here wait. */
  first = fw_sim_server_add_call (f->sim, FW_SIM_QUEUE_SUPPORT);
  second = fw_sim_server_add_call (f->sim, FW_SIM_QUEUE_SUPPORT);
  g_assert_nonnull (first);
  g_assert_null (fw_sim_server_add_call (f->sim, "no-such-queue"));
  g_assert_cmpint (fw_sim_server_get_queue_waiting (f->sim, FW_SIM_QUEUE_SUPPORT), ==, 2);
  g_assert_cmpint (fw_sim_server_get_queue_waiting (f->sim, "no-such-queue"), ==, -1);

  answer = http_json (f, "POST", "/api/v2/analytics/queues/observations/query", token, query, 200);
  g_assert_cmpuint (query_metric (answer, FW_SIM_QUEUE_SUPPORT, "oWaiting", NULL), ==, 2);
  g_assert_cmpuint (query_metric (answer, FW_SIM_QUEUE_SALES, "oWaiting", NULL), ==,
                    fw_sim_server_get_queue_waiting (f->sim, FW_SIM_QUEUE_SALES));
  g_assert_cmpuint (query_metric (answer, FW_SIM_QUEUE_SUPPORT, "oOnQueueUsers", "IDLE"), ==,
                    fw_sim_server_count_queue_users (f->sim, FW_SIM_QUEUE_SUPPORT, "IDLE"));
  g_assert_cmpuint (query_metric (answer, FW_SIM_QUEUE_SUPPORT, "oMemberUsers", NULL), >, 0);
  g_assert_true (json_object_has_member (json_node_get_object (answer), "systemToOrganizationMappings"));

  bad = http_json (f, "POST", "/api/v2/analytics/queues/observations/query", token, "{\"metrics\":[]}", 400);
  unknown_metric = http_json (f, "POST", "/api/v2/analytics/queues/observations/query", token,
                              "{\"filter\":{\"type\":\"or\",\"predicates\":[]},\"metrics\":[\"oNope\"]}", 400);
}

/* ---- Scenario ---- */

static char *
all_topics_json (FwSimServer *sim)
{
  g_auto(GStrv) queues = fw_sim_server_dup_queue_ids (sim);
  g_auto(GStrv) users = fw_sim_server_dup_user_ids (sim);
  GString *s = g_string_new ("[");

  for (guint i = 0; queues[i] != NULL; i++)
    g_string_append_printf (s, "%s{\"id\":\"v2.routing.queues.%s.conversations\"},"
                               "{\"id\":\"v2.analytics.queues.%s.observations\"},"
                               "{\"id\":\"v2.routing.queues.%s.users\"}",
                            i ? "," : "", queues[i], queues[i], queues[i]);
  for (guint i = 0; users[i] != NULL; i++)
    g_string_append_printf (s, ",{\"id\":\"v2.users.%s.presence\"},{\"id\":\"v2.users.%s.routingStatus\"},"
                               "{\"id\":\"v2.users.%s.activity\"}",
                            users[i], users[i], users[i]);
  g_string_append (s, "]");
  return g_string_free (s, FALSE);
}

static void
test_scenario_step (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autofree char *topics = all_topics_json (f->sim);
  g_autoptr(Client) client = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean saw_named_agent = FALSE;
  guint n_delivered = 0;
  GPtrArray *published;

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  subscribe (f, token, id, topics);
  client = client_connect (f, id);
  for (guint i = 0; i < 60; i++)
    fw_sim_server_step (f->sim);

  published = fw_sim_server_get_published (f->sim);
  g_assert_cmpuint (published->len, >, 30);
  for (guint i = 0; i < published->len; i++)
    n_delivered += ((FwSimPublished *) g_ptr_array_index (published, i))->n_delivered;
  FW_TEST_WAIT_UNTIL (client->texts->len == n_delivered, 5000);

  for (guint i = 0; i < client->texts->len; i++)
    {
      g_autoptr(JsonNode) event = json_from_string (g_ptr_array_index (client->texts, i), NULL);
      const char *topic = member_string (event, "topicName");
      const char *kind = strrchr (topic, '.') + 1;

      g_assert_true (g_uuid_string_is_valid (member_string (event, "metadata.CorrelationId")));
      g_hash_table_add (kinds, g_strdup (kind));
      if (g_str_equal (kind, "conversations"))
        {
          JsonArray *participants = json_object_get_array_member (
            json_object_get_object_member (json_node_get_object (event), "eventBody"), "participants");

          for (guint p = 0; p < json_array_get_length (participants); p++)
            {
              JsonObject *participant = json_array_get_object_element (participants, p);

              g_assert_true (json_object_has_member (participant, "purpose"));
              g_assert_true (json_object_has_member (participant, "name"));
              if (g_str_equal (json_object_get_string_member (participant, "purpose"), "agent"))
                saw_named_agent |= g_strcmp0 (json_object_get_string_member (participant, "name"),
                                              fw_sim_server_get_user_name (f->sim,
                                                json_object_get_string_member (participant, "userId"))) == 0;
            }
        }
    }
  g_assert_true (saw_named_agent);
  g_assert_true (g_hash_table_contains (kinds, "conversations"));
  g_assert_true (g_hash_table_contains (kinds, "observations"));
  g_assert_true (g_hash_table_contains (kinds, "presence"));
  g_assert_true (g_hash_table_contains (kinds, "routingStatus"));
  g_assert_true (g_hash_table_contains (kinds, "activity"));
}

/* Topics published by @n steps of a fresh simulator with @seed, observations aside. */
static GPtrArray *
story (guint seed,
       guint n)
{
  g_autoptr(FwSimServer) sim = fw_sim_server_new ();
  GPtrArray *topics = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *published;

  g_object_set (sim, "seed", seed, NULL);
  for (guint i = 0; i < n; i++)
    fw_sim_server_step (sim);
  published = fw_sim_server_get_published (sim);
  for (guint i = 0; i < published->len; i++)
    {
      FwSimPublished *record = g_ptr_array_index (published, i);

      if (!g_str_has_suffix (record->topic, ".observations"))
        g_ptr_array_add (topics, g_strdup (record->topic));
    }
  return topics;
}

static gboolean
same_story (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static void
test_scenario_deterministic (void)
{
  g_autoptr(GPtrArray) a = story (7, 80);
  g_autoptr(GPtrArray) b = story (7, 80);
  g_autoptr(GPtrArray) c = story (8, 80);

  g_assert_cmpuint (a->len, >, 0);
  g_assert_true (same_story (a, b));
  g_assert_false (same_story (a, c));
}

static void
test_scenario_truth (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(GStrv) queues = fw_sim_server_dup_queue_ids (f->sim);

  g_assert_cmpuint (g_strv_length (queues), ==, 5);
  g_assert_cmpstr (fw_sim_server_get_queue_name (f->sim, FW_SIM_QUEUE_SUPPORT), ==, "Support");
  g_assert_cmpstr (fw_sim_server_get_queue_name (f->sim, FW_SIM_QUEUE_SALES), ==, "Sales");
  g_assert_cmpstr (fw_sim_server_get_user_name (f->sim, FW_SIM_USER_ANA), ==, "Ana Silva");
  g_assert_null (fw_sim_server_get_user_name (f->sim, "nobody"));

  /* Calls are answered by idle on-queue agents: waiting + alerting +
   * interacting only changes by arrivals and endings, and an interacting
   * call always has an agent who is INTERACTING. */
  for (guint i = 0; i < 200; i++)
    {
      int interacting = 0;
      int busy_agents;

      fw_sim_server_step (f->sim);
      for (guint q = 0; queues[q] != NULL; q++)
        {
          g_assert_cmpint (fw_sim_server_get_queue_waiting (f->sim, queues[q]), >=, 0);
          interacting += fw_sim_server_get_queue_interacting (f->sim, queues[q]) +
                         fw_sim_server_get_queue_alerting (f->sim, queues[q]);
        }
      busy_agents = 0;
      {
        g_auto(GStrv) users = fw_sim_server_dup_user_ids (f->sim);

        for (guint u = 0; users[u] != NULL; u++)
          busy_agents += g_strcmp0 (fw_sim_server_get_user_routing_status (f->sim, users[u]), "INTERACTING") == 0;
      }
      g_assert_cmpint (busy_agents, >=, interacting - 5);
    }

  g_assert_true (fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "Break"));
  g_assert_cmpstr (fw_sim_server_get_user_presence (f->sim, FW_SIM_USER_ANA), ==, "BREAK");
  g_assert_cmpstr (fw_sim_server_get_user_routing_status (f->sim, FW_SIM_USER_ANA), ==, "OFF_QUEUE");
  g_assert_true (fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "on queue"));
  g_assert_true (fw_sim_server_set_user_routing_status (f->sim, FW_SIM_USER_ANA, "NOT_RESPONDING"));
  g_assert_cmpstr (fw_sim_server_get_user_routing_status (f->sim, FW_SIM_USER_ANA), ==, "NOT_RESPONDING");
  g_assert_false (fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "Dancing"));
  g_assert_false (fw_sim_server_set_user_routing_status (f->sim, "nobody", "IDLE"));
}

static void
test_scenario_observation_rate (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *published;
  guint n_observations = 0;
  gint64 end;

  /* Many changes in a short time: at most one observation per second and
   * topic, and the last state still comes out. */
  g_object_set (f->sim, "traffic-interval", 20, NULL);
  end = g_get_monotonic_time () + 2300 * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_free (fw_sim_server_add_call (f->sim, FW_SIM_QUEUE_SUPPORT));
      fw_test_run_for (50);
    }
  g_object_set (f->sim, "traffic-interval", 0, NULL);

  published = fw_sim_server_get_published (f->sim);
  for (guint i = 0; i < published->len; i++)
    {
      FwSimPublished *record = g_ptr_array_index (published, i);
      gpointer previous;

      if (!g_str_has_suffix (record->topic, ".observations"))
        continue;
      n_observations++;
      previous = g_hash_table_lookup (last, record->topic);
      if (previous != NULL)
        g_assert_cmpint (record->published_us - ((FwSimPublished *) previous)->published_us, >=, 900000);
      g_hash_table_insert (last, record->topic, record);
    }
  g_assert_cmpuint (n_observations, >=, 2);
}

/* ---- Flood ---- */

typedef struct
{
  GHashTable *ids;
  guint       n;
  gsize       bytes;
} FloodSink;

static void
flood_message_cb (SoupWebsocketConnection *conn,
                  gint                     type,
                  GBytes                  *message,
                  FloodSink               *sink)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  const char *key = g_strstr_len (data, length, "\"CorrelationId\":\"");

  g_assert_nonnull (key);
  g_hash_table_add (sink->ids, g_strndup (key + 17, 36));
  sink->n++;
  sink->bytes += length;
}

static void
flag_cb (FwSimServer *sim,
         gboolean    *flag)
{
  *flag = TRUE;
}

static void
test_flood (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *token = grant_token (f);
  g_autofree char *id = create_channel (f, token);
  g_autoptr(Client) client = NULL;
  FloodSink sink = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0, 0 };
  gboolean done = FALSE;
  guint n_published;
  const guint count = 20000;

  g_object_set (f->sim, "heartbeat-interval", 0, NULL);
  subscribe (f, token, id, "[{\"id\":\"v2.users." FW_SIM_USER_ANA ".presence\"}]");
  client = client_connect (f, id);
  g_signal_connect (client->conn, "message", G_CALLBACK (flood_message_cb), &sink);
  g_signal_connect (f->sim, "flood-done", G_CALLBACK (flag_cb), &done);
  n_published = fw_sim_server_get_published (f->sim)->len;

  fw_sim_server_flood (f->sim, "v2.users." FW_SIM_USER_ANA ".presence", count, 1024);
  FW_TEST_WAIT_UNTIL (done, 30000);
  FW_TEST_WAIT_UNTIL (sink.n == count, 30000);
  g_assert_cmpuint (g_hash_table_size (sink.ids), ==, count);
  g_assert_cmpuint (sink.bytes / count, >=, 1000);
  g_assert_cmpuint (sink.bytes / count, <=, 1100);
  g_assert_cmpuint (fw_sim_server_get_n_flooded (f->sim), ==, count);
  /* Counted, not logged one by one. */
  g_assert_cmpuint (fw_sim_server_get_published (f->sim)->len, ==, n_published);
  {
    GHashTableIter iter;
    const char *key;

    g_hash_table_iter_init (&iter, sink.ids);
    while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
      g_assert_true (g_uuid_string_is_valid (key));
  }

  /* Nobody listening: done at once. */
  done = FALSE;
  fw_sim_server_flood (f->sim, "v2.nobody.listens", 10, 100);
  FW_TEST_WAIT_UNTIL (done, 5000);
  g_signal_handlers_disconnect_by_data (f->sim, &done);
  g_signal_handlers_disconnect_by_data (client->conn, &sink);
  g_hash_table_unref (sink.ids);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sim/token/grant", test_token_grant);
  ADD ("/sim/token/invalid-client", test_token_invalid_client);
  ADD ("/sim/api/unauthorized", test_api_unauthorized);
  ADD ("/sim/api/fail-requests", test_fail_requests);
  ADD ("/sim/api/request-signal", test_request_signal);
  ADD ("/sim/api/hostile", test_hostile_requests);
  ADD ("/sim/channel/lifecycle", test_channel_lifecycle);
  ADD ("/sim/channel/resubscribe-extends", test_channel_resubscribe_extends);
  ADD ("/sim/channel/lru", test_channel_lru);
  ADD ("/sim/channel/lru-closes-socket", test_channel_lru_closes_socket);
  ADD ("/sim/subscriptions/put-get-delete", test_subscriptions);
  ADD ("/sim/subscriptions/rejected", test_subscriptions_rejected);
  ADD ("/sim/subscriptions/limits", test_subscriptions_limits);
  ADD ("/sim/socket/heartbeat-ping", test_socket_heartbeat_ping);
  ADD ("/sim/socket/publish", test_socket_publish);
  ADD ("/sim/socket/socket-closing", test_socket_closing);
  ADD ("/sim/socket/drop", test_socket_drop);
  ADD ("/sim/socket/close-code", test_socket_close_code);
  ADD ("/sim/socket/replaced", test_socket_replaced);
  ADD ("/sim/socket/unknown-channel", test_socket_unknown_channel);
  ADD ("/sim/socket/expired-channel", test_socket_expired_channel);
  ADD ("/sim/socket/silent", test_socket_silent);
  ADD ("/sim/socket/raw-frames", test_socket_raw_frames);
  ADD ("/sim/socket/raw-frame-after-burst", test_socket_raw_frame_after_burst);
  ADD ("/sim/rest/queues", test_rest_queues);
  ADD ("/sim/rest/users", test_rest_users);
  ADD ("/sim/rest/available-topics", test_rest_available_topics);
  ADD ("/sim/rest/observations-query", test_rest_observations_query);
  ADD ("/sim/scenario/step", test_scenario_step);
  ADD ("/sim/scenario/truth", test_scenario_truth);
  ADD ("/sim/scenario/observation-rate", test_scenario_observation_rate);
  ADD ("/sim/flood", test_flood);
#undef ADD
  g_test_add_func ("/sim/scenario/deterministic", test_scenario_deterministic);

  return g_test_run ();
}
