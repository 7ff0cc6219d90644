/* fw-sim-server.c — a local Genesys Cloud on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer serves the login host (/oauth/token), the REST API
 * (/api/v2/…) and the notification sockets (/channels/{id}).  Everything runs
 * in the thread-default main context of fw_sim_server_listen()'s caller, so a
 * benchmark may run the simulator in a thread of its own.
 */

#define G_LOG_DOMAIN "fw-sim-server"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "fw-sim-server.h"
#include "fw-sim-oauth.h"
#include "fw-sim-scenario.h"

/* Bodies larger than this answer 413: a test server must not be made to
 * buffer gigabytes by a hostile client. */
#define MAX_REQUEST_BODY      (4 * 1024 * 1024)
/* Nesting deeper than this is refused before json-glib (which recurses) sees it. */
#define MAX_JSON_DEPTH        64
#define MAX_TOPIC_LENGTH      1024
#define CHANNEL_PREFIX        "streaming-0-"
#define SOCKET_PATH           "/channels"
/* Frames handed to libsoup per socket and main-loop turn while flooding. */
/* At most this many flood frames go out in one write. */
#define FLOOD_BATCH_MAX       512

#define PRESENCE_AVAILABLE_ID "6a3af858-942f-489d-9700-5f9bcdcdae9b"

typedef struct _SimChannel SimChannel;
typedef struct _SimSocket  SimSocket;
typedef struct _SimFlood   SimFlood;

struct _SimChannel
{
  FwSimServer *server;
  char        *id;
  GPtrArray   *topics;        /* char *, in subscription order */
  GHashTable  *match;         /* expanded topic names the channel receives */
  gint64       expires_us;    /* real time */
  gint64       last_used_us;  /* monotonic */
  GSource     *expire_source;
  SimSocket   *socket;        /* the one open socket, or NULL */
  const char  *owner;         /* interned, of the token that made it (see SimToken) */
  const char  *client_id;     /* interned */
};

struct _SimSocket
{
  FwSimServer             *server;
  SimChannel              *channel;   /* NULL once detached */
  char                    *channel_id;
  SoupWebsocketConnection *conn;
  GSocket                 *gsocket;
  GSource                 *heartbeat_source;
  GSource                 *closing_source;
  SimFlood                *flood;
  /* Frames framed and written by the simulator itself (see socket_queue_frame()). */
  GQueue                   raw_out;   /* GBytes */
  gsize                    raw_offset;
  GSource                 *raw_source;
  gushort                  close_code;  /* a close waiting for raw_out to drain */
  char                    *close_reason;
  gulong                   message_id;
  gulong                   closed_id;
  gboolean                 closing;   /* a close frame or a drop was started */
};

struct _SimFlood
{
  SimSocket *socket;
  GSource   *source;
  guint8    *frame;         /* one whole WebSocket frame: header and payload */
  gsize      frame_length;
  gsize      uuid_offset;   /* where the CorrelationId starts in @frame */
  GByteArray *batch;
  guint      remaining;
  guint64    serial;
};

typedef struct
{
  gint64      expires_us;   /* monotonic */
  gboolean    revoked;
  const char *owner;        /* interned: "user:ID" for a person, "client:ID" otherwise */
  const char *client_id;    /* interned */
} SimToken;

typedef struct
{
  char  *method;
  char  *path;
} SimRequest;

typedef struct
{
  char  *method;
  char  *path_prefix;
  guint  status;
  guint  remaining;
  guint  retry_after_s;
} SimFailRule;

typedef struct
{
  char *prefix;
  char *reason;
} SimRejectRule;

struct _FwSimServer
{
  GObject        parent_instance;

  GMainContext  *context;
  SoupServer    *server;
  char          *url;
  guint          port;

  char          *client_id;
  char          *client_secret;
  guint          token_lifetime;
  guint          channel_lifetime;
  guint          heartbeat_interval;
  guint          socket_closing_grace;
  guint          traffic_interval;
  guint          max_channels;
  guint          max_topics;
  guint          seed;

  GRand         *rand;         /* tokens and channel ids: not the scenario's */
  GHashTable    *tokens;       /* token → SimToken */
  guint          n_token_grants;
  FwSimOAuth    *oauth;        /* the sign-in of persons */
  GHashTable    *channels;     /* id → SimChannel */
  GPtrArray     *sockets;      /* SimSocket, open or closing */
  GPtrArray     *published;    /* FwSimPublished */
  GPtrArray     *requests;     /* SimRequest */
  GPtrArray     *fail_rules;   /* SimFailRule */
  GPtrArray     *reject_rules; /* SimRejectRule */
  gboolean       silent;

  FwSimScenario *scenario;
  GSource       *traffic_source;
  GSource       *observations_source;

  guint          n_floods_running;
  guint64        n_flooded;
  guint64        flood_serial;
  char          *flood_uuid_base;  /* 24 characters: "xxxxxxxx-xxxx-4xxx-8xxx-" */
};

G_DEFINE_FINAL_TYPE (FwSimServer, fw_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_TOKEN_LIFETIME,
  PROP_CHANNEL_LIFETIME,
  PROP_HEARTBEAT_INTERVAL,
  PROP_SOCKET_CLOSING_GRACE,
  PROP_TRAFFIC_INTERVAL,
  PROP_MAX_CHANNELS,
  PROP_MAX_TOPICS,
  PROP_SEED,
  N_PROPS
};

enum {
  SIGNAL_REQUEST,
  SIGNAL_SOCKET_OPENED,
  SIGNAL_SOCKET_CLOSED,
  SIGNAL_PING,
  SIGNAL_FLOOD_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void socket_close        (SimSocket  *sock,
                                 gushort     code,
                                 const char *reason);
static void socket_start_heartbeat (SimSocket *sock);
static void flood_finish        (SimFlood   *flood);
static void publish_events      (FwSimServer *self,
                                 GPtrArray   *events);
static void schedule_observations (FwSimServer *self,
                                   gint64       due_us);

/* ---- Small helpers ---- */

static GSource *
add_timeout (FwSimServer *self,
             guint        interval_ms,
             GSourceFunc  func,
             gpointer     data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static char *
random_string (GRand      *rand,
               guint       length,
               const char *alphabet)
{
  gsize n = strlen (alphabet);
  char *s = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    s[i] = alphabet[g_rand_int_range (rand, 0, (gint32) n)];
  s[length] = '\0';
  return s;
}

static char *
node_to_string (JsonNode *node,
                gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

/* json-glib parses recursively: refuse pathological nesting first. */
static gboolean
json_depth_ok (const char *data,
               gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

static JsonNode *
parse_json (const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;

  if (length == 0 || data == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "empty body");
      return NULL;
    }
  if (!json_depth_ok (data, length))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "JSON nested too deeply");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "empty document");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* ---- Answers ---- */

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *node)
{
  gsize length = 0;
  char *data = node_to_string (node, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

static const char *
error_code_for_status (guint status)
{
  switch (status)
    {
    case 400: return "bad.request";
    case 401: return "authentication.required";
    case 403: return "missing.permissions";
    case 404: return "not.found";
    case 405: return "method.not.allowed";
    case 408: return "request.timeout";
    case 411: return "length.required";
    case 413: return "request.entity.too.large";
    case 415: return "unsupported.media.type";
    case 429: return "too.many.requests";
    case 500: return "internal.server.error";
    case 501: return "not.implemented";
    case 502: return "bad.gateway";
    case 503: return "service.unavailable";
    case 504: return "gateway.timeout";
    default:  return "error";
    }
}

static void
set_error_response (SoupServerMessage *msg,
                    guint              status,
                    const char        *code,
                    const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *context_id = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message ? message : soup_status_get_phrase (status));
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code ? code : error_code_for_status (status));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "contextId");
  json_builder_add_string_value (builder, context_id);
  json_builder_set_member_name (builder, "details");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, status, node);
}

static void
set_oauth_error_response (SoupServerMessage *msg,
                          guint              status,
                          const char        *error,
                          const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, status, node);
}

static void
set_rate_limited_response (SoupServerMessage *msg,
                           guint              retry_after_s)
{
  g_autofree char *message = NULL;
  g_autofree char *value = g_strdup_printf ("%u", retry_after_s);

  message = g_strdup_printf ("Rate limit exceeded the maximum. Retry the request in [%u] seconds",
                             retry_after_s);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", value);
  set_error_response (msg, 429, "too.many.requests.retry.after", message);
}

/* ---- Request log and fault rules ---- */

static void
sim_request_free (SimRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request);
}

static void
sim_fail_rule_free (SimFailRule *rule)
{
  g_free (rule->method);
  g_free (rule->path_prefix);
  g_free (rule);
}

static void
sim_reject_rule_free (SimRejectRule *rule)
{
  g_free (rule->prefix);
  g_free (rule->reason);
  g_free (rule);
}

static void
published_free (FwSimPublished *published)
{
  g_free (published->correlation_id);
  g_free (published->topic);
  g_free (published);
}

static void
record_request (FwSimServer *self,
                const char  *method,
                const char  *path)
{
  SimRequest *request = g_new0 (SimRequest, 1);

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  g_ptr_array_add (self->requests, request);
}

/* Applies the first matching fail_requests() rule; TRUE if it answered. */
static gboolean
apply_fail_rules (FwSimServer       *self,
                  SoupServerMessage *msg,
                  const char        *method,
                  const char        *path)
{
  for (guint i = 0; i < self->fail_rules->len; i++)
    {
      SimFailRule *rule = g_ptr_array_index (self->fail_rules, i);
      guint status;
      guint retry_after_s;

      if (rule->method != NULL && g_ascii_strcasecmp (rule->method, method) != 0)
        continue;
      if (!g_str_has_prefix (path, rule->path_prefix))
        continue;

      status = rule->status;
      retry_after_s = rule->retry_after_s;
      if (--rule->remaining == 0)
        g_ptr_array_remove_index (self->fail_rules, i);

      g_debug ("Failing %s %s with %u as asked", method, path, status);
      if (status == 429)
        set_rate_limited_response (msg, retry_after_s);
      else if (g_str_has_prefix (path, "/oauth/") && (status == 400 || status == 401))
        set_oauth_error_response (msg, status, "invalid_client", "authentication failed");
      else
        set_error_response (msg, status, NULL, NULL);
      return TRUE;
    }
  return FALSE;
}

static void
emit_request_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 FwSimServer       *self)
{
  const char *method = soup_server_message_get_method (msg);
  guint status = soup_server_message_get_status (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  if (method == NULL || uri == NULL || status == 0)
    return;
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, method, g_uri_get_path (uri), status);
}

/* ---- Query strings ---- */

/* Every value of @key in @query ("a=1&a=2" and "a=1,2" both give 1 and 2). */
static GStrv
query_get_all (const char *query,
               const char *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return g_strv_builder_end (builder);

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_auto(GStrv) parts = NULL;

      if (eq == NULL)
        continue;
      *eq = '\0';
      name = g_uri_unescape_string (pairs[i], NULL);
      if (name == NULL || g_strcmp0 (name, key) != 0)
        continue;
      /* '+' is a space in forms; ids and expand values never contain one. */
      g_strdelimit (eq + 1, "+", ' ');
      value = g_uri_unescape_string (eq + 1, NULL);
      if (value == NULL)
        continue;
      parts = g_strsplit (value, ",", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          g_strstrip (parts[j]);
          if (parts[j][0] != '\0')
            g_strv_builder_add (builder, parts[j]);
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
query_get_uint (GHashTable *query,
                const char *key,
                guint       fallback,
                guint       min,
                guint       max,
                guint      *out)
{
  const char *value = query ? g_hash_table_lookup (query, key) : NULL;
  guint64 number;

  if (value == NULL || value[0] == '\0')
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (value, 10, min, max, &number, NULL))
    return FALSE;
  *out = (guint) number;
  return TRUE;
}

static gboolean
query_get_bool (GHashTable *query,
                const char *key)
{
  const char *value = query ? g_hash_table_lookup (query, key) : NULL;

  return value != NULL && g_ascii_strcasecmp (value, "true") == 0;
}

/* ---- Tokens ---- */

typedef enum {
  AUTH_OK,
  AUTH_MISSING,
  AUTH_BAD,
  AUTH_EXPIRED,
} AuthResult;

static AuthResult
check_bearer (FwSimServer       *self,
              SoupServerMessage *msg)
{
  const char *header;
  SimToken *token;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL)
    return AUTH_MISSING;
  if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return AUTH_BAD;
  header += 7;
  while (*header == ' ')
    header++;

  token = g_hash_table_lookup (self->tokens, header);
  if (token == NULL || token->revoked)
    return AUTH_BAD;
  if (g_get_monotonic_time () >= token->expires_us)
    return AUTH_EXPIRED;
  return AUTH_OK;
}

/* The token of a request that passed require_auth(). */
static SimToken *
request_token (FwSimServer       *self,
               SoupServerMessage *msg)
{
  const char *header;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  g_assert (header != NULL && strlen (header) >= 7);
  header += 7;
  while (*header == ' ')
    header++;
  return g_hash_table_lookup (self->tokens, header);
}

static gboolean
require_auth (FwSimServer       *self,
              SoupServerMessage *msg)
{
  switch (check_bearer (self, msg))
    {
    case AUTH_OK:
      return TRUE;
    case AUTH_MISSING:
      set_error_response (msg, 401, "authentication.required",
                          "No authentication bearer token specified in authorization header.");
      return FALSE;
    case AUTH_EXPIRED:
      set_error_response (msg, 401, "credentials.expired", "The token has expired.");
      return FALSE;
    case AUTH_BAD:
    default:
      set_error_response (msg, 401, "bad.credentials", "Invalid login credentials.");
      return FALSE;
    }
}

static gboolean
check_basic_credentials (FwSimServer       *self,
                         SoupServerMessage *msg)
{
  const char *header;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  char *colon;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;
  header += 6;
  while (*header == ' ')
    header++;
  if (strlen (header) > 4096)
    return FALSE;

  decoded = g_base64_decode (header, &length);
  if (decoded == NULL || length == 0)
    return FALSE;
  text = g_strndup ((const char *) decoded, length);
  /* Wipe the decoded secret as soon as it is copied. */
  memset (decoded, 0, length);
  if (strlen (text) != length)
    {
      memset (text, 0, length);
      return FALSE;
    }
  colon = strchr (text, ':');
  if (colon == NULL)
    {
      memset (text, 0, length);
      return FALSE;
    }
  *colon = '\0';
  if (g_strcmp0 (text, self->client_id) == 0 && g_strcmp0 (colon + 1, self->client_secret) == 0)
    {
      memset (text, 0, length);
      return TRUE;
    }
  memset (text, 0, length);
  return FALSE;
}

const char *
_fw_sim_server_issue_token (FwSimServer *self,
                            const char  *client_id,
                            const char  *user_id)
{
  g_autofree char *owner = NULL;
  SimToken *token;
  char *access_token;

  owner = user_id != NULL ? g_strconcat ("user:", user_id, NULL)
                          : g_strconcat ("client:", client_id, NULL);
  access_token = random_string (self->rand, 86,
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  token = g_new0 (SimToken, 1);
  token->expires_us = g_get_monotonic_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  token->owner = g_intern_string (owner);
  token->client_id = g_intern_string (client_id);
  g_hash_table_insert (self->tokens, access_token, token);
  self->n_token_grants++;
  return access_token;
}

static void
handle_token (FwSimServer       *self,
              SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *grant_type;
  const char *access_token;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      set_error_response (msg, 405, NULL, NULL);
      return;
    }

  bytes = soup_message_body_flatten (body);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  form = soup_form_decode (text);
  grant_type = form ? g_hash_table_lookup (form, "grant_type") : NULL;

  /* A person's sign-in (fw-sim-oauth.c): a public client, no secret. */
  if (fw_sim_oauth_handle_grant (self->oauth, msg, form))
    return;

  if (!check_basic_credentials (self, msg))
    {
      set_oauth_error_response (msg, 401, "invalid_client", "authentication failed");
      return;
    }
  if (g_strcmp0 (grant_type, "client_credentials") != 0)
    {
      set_oauth_error_response (msg, 400, "unsupported_grant_type",
                                "grant type must be client_credentials");
      return;
    }

  access_token = _fw_sim_server_issue_token (self, self->client_id, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, self->token_lifetime);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, 200, node);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

/* ---- Sockets ---- */

static gboolean
socket_is_open (SimSocket *sock)
{
  return !sock->closing &&
         soup_websocket_connection_get_state (sock->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* Frames @data as a server frame (final, not masked) with @opcode. */
static GBytes *
build_frame (guint8      opcode,
             const void *data,
             gsize       length)
{
  guint8 header[10];
  gsize n;
  guint8 *frame;

  header[0] = 0x80 | opcode;
  if (length < 126)
    {
      header[1] = (guint8) length;
      n = 2;
    }
  else if (length <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = (length >> 8) & 0xff;
      header[3] = length & 0xff;
      n = 4;
    }
  else
    {
      header[1] = 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = ((guint64) length >> (56 - 8 * i)) & 0xff;
      n = 10;
    }
  frame = g_malloc (n + length);
  memcpy (frame, header, n);
  if (length > 0)
    memcpy (frame + n, data, length);
  return g_bytes_new_take (frame, n + length);
}

static void socket_start_raw_output (SimSocket *sock);

/* Most frames go through libsoup.  A text frame that is not UTF-8 (or holds
 * a NUL) cannot, so it is framed here and written under libsoup; so that it
 * never lands inside a frame of libsoup's, it waits in raw_out until
 * libsoup's queue is empty (see raw_output_cb()), and every frame sent after
 * it waits behind it, in order, until raw_out is empty again. */
static void
socket_queue_frame (SimSocket *sock,
                    guint8     opcode,
                    const void *data,
                    gsize       length)
{
  g_queue_push_tail (&sock->raw_out, build_frame (opcode, data, length));
  socket_start_raw_output (sock);
}

/* Sends @text unless the server is silent; TRUE if it was sent. */
static gboolean
socket_send_text (SimSocket  *sock,
                  const char *text)
{
  if (sock->server->silent || !socket_is_open (sock))
    return FALSE;
  if (!g_queue_is_empty (&sock->raw_out))
    socket_queue_frame (sock, 0x1, text, strlen (text));
  else
    soup_websocket_connection_send_text (sock->conn, text);
  return TRUE;
}

static void
socket_detach (SimSocket *sock)
{
  if (sock->channel != NULL && sock->channel->socket == sock)
    sock->channel->socket = NULL;
  sock->channel = NULL;
}

static void
socket_free (SimSocket *sock)
{
  if (sock->flood != NULL)
    flood_finish (sock->flood);
  socket_detach (sock);
  clear_source (&sock->heartbeat_source);
  clear_source (&sock->closing_source);
  clear_source (&sock->raw_source);
  g_queue_clear_full (&sock->raw_out, (GDestroyNotify) g_bytes_unref);
  g_free (sock->close_reason);
  g_clear_signal_handler (&sock->message_id, sock->conn);
  g_clear_signal_handler (&sock->closed_id, sock->conn);
  if (soup_websocket_connection_get_state (sock->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      /* Only on dispose: no main loop will finish a close handshake. */
      if (sock->gsocket != NULL)
        g_socket_shutdown (sock->gsocket, TRUE, TRUE, NULL);
    }
  g_clear_object (&sock->conn);
  g_clear_object (&sock->gsocket);
  g_free (sock->channel_id);
  g_free (sock);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  SimSocket *sock = user_data;

  socket_send_text (sock, "{\"topicName\":\"channel.metadata\","
                          "\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}");
  return G_SOURCE_CONTINUE;
}

static void
socket_start_heartbeat (SimSocket *sock)
{
  clear_source (&sock->heartbeat_source);
  if (sock->server->heartbeat_interval > 0 && !sock->closing)
    sock->heartbeat_source = add_timeout (sock->server, sock->server->heartbeat_interval,
                                          heartbeat_cb, sock);
}

static void
socket_close (SimSocket  *sock,
              gushort     code,
              const char *reason)
{
  if (sock->closing)
    return;
  sock->closing = TRUE;
  clear_source (&sock->heartbeat_source);
  clear_source (&sock->closing_source);
  socket_detach (sock);
  if (sock->flood != NULL)
    flood_finish (sock->flood);
  if (!g_queue_is_empty (&sock->raw_out))
    {
      /* The close frame must not overtake the frames still waiting. */
      sock->close_code = code;
      sock->close_reason = g_strdup (reason ? reason : "");
      return;
    }
  if (soup_websocket_connection_get_state (sock->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (sock->conn, code, reason);
}

/* Writes raw_out while the socket takes it.  Its priority is below that of
 * libsoup's output source, which exists (and is ready whenever this is) as
 * long as libsoup has frames queued: so this writes only between libsoup's
 * frames. */
static gboolean
raw_output_cb (GSocket      *gsocket,
               GIOCondition  condition,
               gpointer      user_data)
{
  SimSocket *sock = user_data;

  while (!g_queue_is_empty (&sock->raw_out))
    {
      GBytes *head = g_queue_peek_head (&sock->raw_out);
      gsize length;
      const char *data = g_bytes_get_data (head, &length);
      g_autoptr(GError) error = NULL;
      gssize written;

      if (soup_websocket_connection_get_state (sock->conn) != SOUP_WEBSOCKET_STATE_OPEN)
        {
          g_queue_clear_full (&sock->raw_out, (GDestroyNotify) g_bytes_unref);
          break;
        }
      written = g_socket_send (gsocket, data + sock->raw_offset, length - sock->raw_offset, NULL, &error);
      if (written < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          g_debug ("Raw frame write failed: %s", error->message);
          g_queue_clear_full (&sock->raw_out, (GDestroyNotify) g_bytes_unref);
          break;
        }
      sock->raw_offset += (gsize) written;
      if (sock->raw_offset < length)
        return G_SOURCE_CONTINUE;
      g_bytes_unref (g_queue_pop_head (&sock->raw_out));
      sock->raw_offset = 0;
    }

  g_clear_pointer (&sock->raw_source, g_source_unref);
  sock->raw_offset = 0;
  if (sock->closing && sock->close_reason != NULL &&
      soup_websocket_connection_get_state (sock->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (sock->conn, sock->close_code, sock->close_reason);
  return G_SOURCE_REMOVE;
}

static void
socket_start_raw_output (SimSocket *sock)
{
  if (sock->raw_source != NULL || sock->gsocket == NULL)
    return;
  sock->raw_source = g_socket_create_source (sock->gsocket, G_IO_OUT, NULL);
  g_source_set_priority (sock->raw_source, G_PRIORITY_DEFAULT + 10);
  g_source_set_callback (sock->raw_source, (GSourceFunc) (void (*) (void)) raw_output_cb, sock, NULL);
  g_source_attach (sock->raw_source, sock->server->context);
}

/* The socket vanishes without a close frame: TCP is shut down under libsoup. */
static void
socket_drop (SimSocket *sock)
{
  if (sock->closing)
    return;
  sock->closing = TRUE;
  clear_source (&sock->heartbeat_source);
  clear_source (&sock->closing_source);
  socket_detach (sock);
  if (sock->flood != NULL)
    flood_finish (sock->flood);
  if (sock->gsocket != NULL)
    g_socket_shutdown (sock->gsocket, TRUE, TRUE, NULL);
  else
    g_io_stream_close (soup_websocket_connection_get_io_stream (sock->conn), NULL, NULL);
}

static gboolean
is_ping (GBytes *message)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonNode *member;

  /* {"message":"ping"} with some room for whitespace. */
  if (length == 0 || length > 256)
    return FALSE;
  node = parse_json (data, length, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  member = json_object_get_member (object, "message");
  return member != NULL &&
         JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (member), "ping") == 0;
}

static void
socket_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   SimSocket               *sock)
{
  if (type != SOUP_WEBSOCKET_DATA_TEXT || !is_ping (message))
    return;

  if (sock->channel != NULL)
    sock->channel->last_used_us = g_get_monotonic_time ();
  g_signal_emit (sock->server, signals[SIGNAL_PING], 0, sock->channel_id);
  socket_send_text (sock, "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}");
}

static void
socket_closed_cb (SoupWebsocketConnection *conn,
                  SimSocket               *sock)
{
  FwSimServer *self = sock->server;
  g_autofree char *channel_id = g_strdup (sock->channel_id);

  g_debug ("Socket of channel %s closed (code %u)", channel_id,
           soup_websocket_connection_get_close_code (conn));
  g_ptr_array_remove (self->sockets, sock);
  g_signal_emit (self, signals[SIGNAL_SOCKET_CLOSED], 0, channel_id);
}

static gboolean
socket_closing_grace_cb (gpointer user_data)
{
  SimSocket *sock = user_data;

  g_clear_pointer (&sock->closing_source, g_source_unref);
  socket_close (sock, FW_SIM_CLOSE_MAINTENANCE, "Socket closing for maintenance");
  return G_SOURCE_REMOVE;
}

/* ---- Publishing ---- */

static FwSimPublished *
record_published (FwSimServer *self,
                  const char  *correlation_id,
                  const char  *topic,
                  guint        n_delivered)
{
  FwSimPublished *published = g_new0 (FwSimPublished, 1);

  published->correlation_id = g_strdup (correlation_id);
  published->topic = g_strdup (topic);
  published->published_us = g_get_real_time ();
  published->n_delivered = n_delivered;
  g_ptr_array_add (self->published, published);
  return published;
}

static char *
build_envelope (const char *topic,
                JsonNode   *body,
                const char *correlation_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topicName");
  json_builder_add_string_value (builder, topic);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "2");
  json_builder_set_member_name (builder, "eventBody");
  if (body != NULL)
    json_builder_add_value (builder, json_node_copy (body));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "CorrelationId");
  json_builder_add_string_value (builder, correlation_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return node_to_string (node, NULL);
}

static gboolean
channel_receives (SimChannel *channel,
                  const char *topic)
{
  return g_hash_table_contains (channel->match, topic);
}

/* Sends a system message to one socket, whatever it subscribes. */
static void
send_system_message (FwSimServer *self,
                     SimSocket   *sock,
                     const char  *topic,
                     JsonNode    *body)
{
  g_autofree char *correlation_id = g_uuid_string_random ();
  g_autofree char *text = build_envelope (topic, body, correlation_id);
  gboolean sent = socket_send_text (sock, text);

  record_published (self, correlation_id, topic, sent ? 1 : 0);
}

char *
fw_sim_server_publish (FwSimServer *self,
                       const char  *topic,
                       JsonNode    *body)
{
  g_autofree char *correlation_id = NULL;
  g_autofree char *text = NULL;
  guint n_delivered = 0;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  correlation_id = g_uuid_string_random ();
  text = build_envelope (topic, body, correlation_id);
  for (guint i = 0; i < self->sockets->len; i++)
    {
      SimSocket *sock = g_ptr_array_index (self->sockets, i);

      if (sock->channel == NULL || !channel_receives (sock->channel, topic))
        continue;
      if (socket_send_text (sock, text))
        n_delivered++;
    }
  record_published (self, correlation_id, topic, n_delivered);
  return g_steal_pointer (&correlation_id);
}

GPtrArray *
fw_sim_server_get_published (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);

  return self->published;
}

void
fw_sim_server_clear_published (FwSimServer *self)
{
  g_return_if_fail (FW_IS_SIM_SERVER (self));

  g_ptr_array_set_size (self->published, 0);
}

static void
publish_events (FwSimServer *self,
                GPtrArray   *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      FwSimEvent *event = g_ptr_array_index (events, i);
      g_autofree char *correlation_id = fw_sim_server_publish (self, event->topic, event->body);
    }
}

/* ---- Channels ---- */

static void
channel_free (SimChannel *channel)
{
  clear_source (&channel->expire_source);
  if (channel->socket != NULL)
    channel->socket->channel = NULL;
  g_ptr_array_unref (channel->topics);
  g_hash_table_unref (channel->match);
  g_free (channel->id);
  g_free (channel);
}

typedef enum {
  CHANNEL_EXPIRED,
  CHANNEL_EVICTED,
} ChannelEnd;

static void
channel_remove (FwSimServer *self,
                SimChannel  *channel,
                ChannelEnd   end)
{
  SimSocket *sock = channel->socket;

  g_debug ("Channel %s %s", channel->id, end == CHANNEL_EXPIRED ? "expired" : "evicted");
  if (sock != NULL)
    {
      /* Creating one channel too many removes the oldest silently; an
       * expired channel says so first. */
      if (end == CHANNEL_EXPIRED)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) body = NULL;
          g_autofree char *topic = g_strconcat ("v2.system.no_longer_subscribed.", channel->id, NULL);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "channelId");
          json_builder_add_string_value (builder, channel->id);
          json_builder_set_member_name (builder, "systemTopicType");
          json_builder_add_string_value (builder, "no_longer_subscribed");
          /* The reason for an expired channel is UNCONFIRMED; clients must
           * accept reasons they do not know. */
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, "channel_expired");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "The channel has expired.");
          json_builder_end_object (builder);
          body = json_builder_get_root (builder);
          send_system_message (self, sock, topic, body);
        }
      socket_close (sock, FW_SIM_CLOSE_CHANNEL_GONE,
                    end == CHANNEL_EXPIRED ? "Channel expired" : "Channel removed");
    }
  g_hash_table_remove (self->channels, channel->id);
}

static gboolean
channel_expire_cb (gpointer user_data)
{
  SimChannel *channel = user_data;

  g_clear_pointer (&channel->expire_source, g_source_unref);
  channel_remove (channel->server, channel, CHANNEL_EXPIRED);
  return G_SOURCE_REMOVE;
}

static void
channel_renew (SimChannel *channel)
{
  FwSimServer *self = channel->server;

  clear_source (&channel->expire_source);
  channel->expires_us = g_get_real_time () + (gint64) self->channel_lifetime * 1000;
  channel->expire_source = add_timeout (self, self->channel_lifetime, channel_expire_cb, channel);
}

static SimChannel *
channel_new (FwSimServer *self)
{
  SimChannel *channel = g_new0 (SimChannel, 1);
  g_autofree char *suffix = NULL;

  do
    {
      g_free (suffix);
      suffix = random_string (self->rand, 26, "abcdefghijklmnopqrstuvwxyz0123456789");
      g_free (channel->id);
      channel->id = g_strconcat (CHANNEL_PREFIX, suffix, NULL);
    }
  while (g_hash_table_contains (self->channels, channel->id));

  channel->server = self;
  channel->topics = g_ptr_array_new_with_free_func (g_free);
  channel->match = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  channel->last_used_us = g_get_monotonic_time ();
  channel_renew (channel);
  g_hash_table_insert (self->channels, channel->id, channel);
  return channel;
}

/* The channel of @owner used least recently, idle ones (no open socket) first. */
static SimChannel *
find_lru_channel (FwSimServer *self,
                  const char  *owner)
{
  GHashTableIter iter;
  SimChannel *channel;
  SimChannel *best = NULL;

  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
    {
      gboolean idle = channel->socket == NULL;
      gboolean best_idle = best != NULL && best->socket == NULL;

      if (channel->owner != owner)
        continue;
      if (best == NULL ||
          (idle && !best_idle) ||
          (idle == best_idle && channel->last_used_us < best->last_used_us))
        best = channel;
    }
  return best;
}

static void
build_channel (JsonBuilder *builder,
               FwSimServer *self,
               SimChannel  *channel)
{
  g_autofree char *connect_uri = NULL;
  g_autofree char *expires = fw_sim_format_time (channel->expires_us);

  connect_uri = g_strdup_printf ("ws://127.0.0.1:%u" SOCKET_PATH "/%s", self->port, channel->id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connectUri");
  json_builder_add_string_value (builder, connect_uri);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, channel->id);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires);
  json_builder_end_object (builder);
}

static void
handle_channels (FwSimServer       *self,
                 SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  SimToken *token = request_token (self, msg);

  if (g_str_equal (method, SOUP_METHOD_POST))
    {
      SimChannel *channel;
      GHashTableIter iter;
      guint n_owned = 0;

      /* The limit is per person, or per client for client credentials. */
      g_hash_table_iter_init (&iter, self->channels);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
        n_owned += channel->owner == token->owner;
      for (; n_owned >= MAX (self->max_channels, 1); n_owned--)
        channel_remove (self, find_lru_channel (self, token->owner), CHANNEL_EVICTED);
      channel = channel_new (self);
      channel->owner = token->owner;
      channel->client_id = token->client_id;
      build_channel (builder, self, channel);
    }
  else if (g_str_equal (method, SOUP_METHOD_GET))
    {
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
      g_auto(GStrv) include = query_get_all (query, "includechannels");
      gboolean whole_client = g_strv_contains ((const char * const *) include, "oauthclient");
      GHashTableIter iter;
      SimChannel *channel;

      /* includechannels=token (the default): the caller's own channels;
       * oauthclient: those of everyone on the same OAuth client. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entities");
      json_builder_begin_array (builder);
      g_hash_table_iter_init (&iter, self->channels);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
        {
          if (whole_client ? channel->client_id == token->client_id
                           : channel->owner == token->owner)
            build_channel (builder, self, channel);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    {
      set_error_response (msg, 405, NULL, NULL);
      return;
    }
  node = json_builder_get_root (builder);
  set_json_response (msg, 200, node);
}

/* ---- Subscriptions ---- */

static void
expand_topic (const char *topic,
              GHashTable *into)
{
  const char *question = strchr (topic, '?');
  g_autofree char *base = NULL;
  g_auto(GStrv) parts = NULL;

  if (question == NULL)
    {
      g_hash_table_add (into, g_strdup (topic));
      return;
    }
  /* v2.users.{id}?presence&routingStatus stands for v2.users.{id}.presence
   * and v2.users.{id}.routingStatus. */
  base = g_strndup (topic, question - topic);
  parts = g_strsplit (question + 1, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_hash_table_add (into, g_strconcat (base, ".", parts[i], NULL));
}

static void
channel_rebuild_match (SimChannel *channel)
{
  g_hash_table_remove_all (channel->match);
  for (guint i = 0; i < channel->topics->len; i++)
    expand_topic (g_ptr_array_index (channel->topics, i), channel->match);
}

static gboolean
channel_has_topic (SimChannel *channel,
                   const char *topic)
{
  for (guint i = 0; i < channel->topics->len; i++)
    if (g_str_equal (g_ptr_array_index (channel->topics, i), topic))
      return TRUE;
  return FALSE;
}

static SimRejectRule *
find_reject_rule (FwSimServer *self,
                  const char  *topic)
{
  for (guint i = 0; i < self->reject_rules->len; i++)
    {
      SimRejectRule *rule = g_ptr_array_index (self->reject_rules, i);

      if (g_str_has_prefix (topic, rule->prefix))
        return rule;
    }
  return NULL;
}

static const char *
permission_for_topic (const char *topic)
{
  if (g_str_has_prefix (topic, "v2.analytics.queues."))
    return "analytics:queueObservation:view";
  if (g_str_has_prefix (topic, "v2.routing.queues."))
    return "routing:queue:view";
  if (g_str_has_prefix (topic, "v2.detail.events."))
    return "analytics:conversationDetail:view";
  return NULL;
}

/* Reads [{"id":"topic"},…]; NULL and @error if it is anything else. */
static GPtrArray *
parse_topic_list (SoupServerMessage  *msg,
                  GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  root = parse_json (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The body must be an array of topics.");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *id;
      const char *topic;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Topic %u is not an object.", i);
          return NULL;
        }
      id = json_object_get_member (json_node_get_object (element), "id");
      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Topic %u has no string id.", i);
          return NULL;
        }
      topic = json_node_get_string (id);
      if (topic[0] == '\0' || strlen (topic) > MAX_TOPIC_LENGTH || !g_utf8_validate (topic, -1, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Topic %u is not a valid topic name.", i);
          return NULL;
        }
      g_ptr_array_add (topics, g_strdup (topic));
    }
  return g_steal_pointer (&topics);
}

static void
build_topic_entity (JsonBuilder   *builder,
                    const char    *topic,
                    SimRejectRule *rejected)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, topic);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, rejected ? "Rejected" : "Permitted");
  if (rejected != NULL)
    {
      const char *permission = permission_for_topic (topic);

      json_builder_set_member_name (builder, "rejectionReason");
      json_builder_add_string_value (builder, rejected->reason);
      json_builder_set_member_name (builder, "missingPermissions");
      json_builder_begin_array (builder);
      if (permission != NULL)
        json_builder_add_string_value (builder, permission);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
handle_subscriptions (FwSimServer       *self,
                      SoupServerMessage *msg,
                      SimChannel        *channel,
                      GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean replace = g_str_equal (method, SOUP_METHOD_PUT);
  gboolean add = g_str_equal (method, SOUP_METHOD_POST);
  g_autoptr(GPtrArray) requested = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ignore_errors = query_get_bool (query, "ignoreErrors");
  guint total;

  if (g_str_equal (method, SOUP_METHOD_DELETE))
    {
      g_ptr_array_set_size (channel->topics, 0);
      channel_rebuild_match (channel);
      channel->last_used_us = g_get_monotonic_time ();
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }

  if (!replace && !add && !g_str_equal (method, SOUP_METHOD_GET))
    {
      set_error_response (msg, 405, NULL, NULL);
      return;
    }

  builder = json_builder_new ();
  if (g_str_equal (method, SOUP_METHOD_GET))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entities");
      json_builder_begin_array (builder);
      for (guint i = 0; i < channel->topics->len; i++)
        build_topic_entity (builder, g_ptr_array_index (channel->topics, i), NULL);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      set_json_response (msg, 200, node);
      return;
    }

  requested = parse_topic_list (msg, &error);
  if (requested == NULL)
    {
      set_error_response (msg, 400, "bad.request", error->message);
      return;
    }

  /* Sort the request into accepted (deduplicated) and rejected topics. */
  accepted = g_ptr_array_new ();
  rejected = g_ptr_array_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < requested->len; i++)
    {
      const char *topic = g_ptr_array_index (requested, i);

      if (!g_hash_table_add (seen, (gpointer) topic))
        continue;
      if (find_reject_rule (self, topic) != NULL)
        g_ptr_array_add (rejected, (gpointer) topic);
      else
        g_ptr_array_add (accepted, (gpointer) topic);
    }

  if (rejected->len > 0 && !ignore_errors)
    {
      SimRejectRule *rule = find_reject_rule (self, g_ptr_array_index (rejected, 0));
      g_autofree char *message = NULL;

      message = g_strdup_printf ("Unable to subscribe to topic %s: %s",
                                 (const char *) g_ptr_array_index (rejected, 0), rule->reason);
      set_error_response (msg, 403, "missing.permissions", message);
      return;
    }

  total = accepted->len;
  if (add)
    {
      for (guint i = 0; i < accepted->len; i++)
        if (channel_has_topic (channel, g_ptr_array_index (accepted, i)))
          total--;
      total += channel->topics->len;
    }
  if (total > self->max_topics)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf ("A channel may subscribe at most %u topics; this request would make %u.",
                                 self->max_topics, total);
      set_error_response (msg, 400, "bad.request", message);
      return;
    }

  if (replace)
    g_ptr_array_set_size (channel->topics, 0);
  for (guint i = 0; i < accepted->len; i++)
    {
      const char *topic = g_ptr_array_index (accepted, i);

      if (!channel_has_topic (channel, topic))
        g_ptr_array_add (channel->topics, g_strdup (topic));
    }
  channel_rebuild_match (channel);
  channel->last_used_us = g_get_monotonic_time ();
  /* Re-subscribing is how a client keeps a channel past its expiry. */
  if (replace)
    channel_renew (channel);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entities");
  json_builder_begin_array (builder);
  if (replace)
    {
      for (guint i = 0; i < requested->len; i++)
        {
          const char *topic = g_ptr_array_index (requested, i);

          if (g_hash_table_remove (seen, topic))
            build_topic_entity (builder, topic, find_reject_rule (self, topic));
        }
    }
  else
    {
      for (guint i = 0; i < channel->topics->len; i++)
        build_topic_entity (builder, g_ptr_array_index (channel->topics, i), NULL);
      for (guint i = 0; i < rejected->len; i++)
        build_topic_entity (builder, g_ptr_array_index (rejected, i),
                            find_reject_rule (self, g_ptr_array_index (rejected, i)));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, 200, node);
}

/* ---- Topic catalogue ---- */

static const struct
{
  const char *id;
  const char *description;
  const char *permission;
} available_topics[] = {
  { "v2.users.{id}.presence", "Changes to a user's primary presence.", NULL },
  { "v2.users.{id}.routingStatus", "Changes to a user's ACD routing status.", NULL },
  { "v2.users.{id}.activity", "Combined presence, routing status and active queues of a user.", NULL },
  { "v2.routing.queues.{id}.users", "Users added to, removed from, joining or leaving a queue.",
    "routing:queue:view" },
  { "v2.routing.queues.{id}.conversations", "Conversation updates for interactions routed through a queue.",
    "routing:queue:view" },
  { "v2.analytics.queues.{id}.observations", "Live observation metrics for a queue.",
    "analytics:queueObservation:view" },
  { "v2.analytics.queues.{id}.activity", "Live interaction counts for a queue by media type.",
    "analytics:queueObservation:view" },
  { "v2.detail.events.conversation.{id}.acd.start", "A conversation entered ACD routing.",
    "analytics:conversationDetail:view" },
  { "v2.detail.events.conversation.{id}.acd.end", "A conversation left ACD routing.",
    "analytics:conversationDetail:view" },
};

static void
handle_available_topics (FwSimServer       *self,
                         SoupServerMessage *msg,
                         const char        *query_string)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) expand = query_get_all (query_string, "expand");
  gboolean with_schema = g_strv_contains ((const char * const *) expand, "schema");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (available_topics); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, available_topics[i].id);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, available_topics[i].description);
      json_builder_set_member_name (builder, "requiresPermissions");
      json_builder_begin_array (builder);
      if (available_topics[i].permission != NULL)
        json_builder_add_string_value (builder, available_topics[i].permission);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "topicParameters");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "id");
      json_builder_end_array (builder);
      if (with_schema)
        {
          json_builder_set_member_name (builder, "schema");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "object");
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, 200, node);
}

/* ---- Directory ---- */

static char *
page_uri (const char *path,
          guint       page_size,
          guint       page_number,
          const char *extra)
{
  return g_strdup_printf ("%s?pageSize=%u&pageNumber=%u%s", path, page_size, page_number,
                          extra ? extra : "");
}

/* Answers one page of @entities as a Genesys entity listing. */
static void
set_paged_response (SoupServerMessage *msg,
                    GHashTable        *query,
                    const char        *path,
                    const char        *extra_query,
                    GPtrArray         *entities)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *first = NULL;
  g_autofree char *self_uri = NULL;
  g_autofree char *last = NULL;
  guint page_size;
  guint page_number;
  guint page_count;
  guint start;

  if (!query_get_uint (query, "pageSize", 25, 1, 500, &page_size) ||
      !query_get_uint (query, "pageNumber", 1, 1, G_MAXINT, &page_number))
    {
      set_error_response (msg, 400, "bad.request",
                          "pageSize must be 1 to 500 and pageNumber at least 1.");
      return;
    }
  page_count = (entities->len + page_size - 1) / page_size;
  if (page_count == 0)
    page_count = 1;
  start = (page_number - 1 <= G_MAXUINT / page_size) ? (page_number - 1) * page_size : G_MAXUINT;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entities");
  json_builder_begin_array (builder);
  for (guint i = start; i < entities->len && i - start < page_size; i++)
    json_builder_add_value (builder, json_node_copy (g_ptr_array_index (entities, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pageSize");
  json_builder_add_int_value (builder, page_size);
  json_builder_set_member_name (builder, "pageNumber");
  json_builder_add_int_value (builder, page_number);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, entities->len);
  json_builder_set_member_name (builder, "pageCount");
  json_builder_add_int_value (builder, page_count);

  first = page_uri (path, page_size, 1, extra_query);
  self_uri = page_uri (path, page_size, page_number, extra_query);
  last = page_uri (path, page_size, page_count, extra_query);
  json_builder_set_member_name (builder, "firstUri");
  json_builder_add_string_value (builder, first);
  json_builder_set_member_name (builder, "selfUri");
  json_builder_add_string_value (builder, self_uri);
  if (page_number > 1 && page_number <= page_count)
    {
      g_autofree char *previous = page_uri (path, page_size, page_number - 1, extra_query);

      json_builder_set_member_name (builder, "previousUri");
      json_builder_add_string_value (builder, previous);
    }
  if (page_number < page_count)
    {
      g_autofree char *next = page_uri (path, page_size, page_number + 1, extra_query);

      json_builder_set_member_name (builder, "nextUri");
      json_builder_add_string_value (builder, next);
    }
  json_builder_set_member_name (builder, "lastUri");
  json_builder_add_string_value (builder, last);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  set_json_response (msg, 200, node);
}

static void
handle_queues (FwSimServer       *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  g_autoptr(GPtrArray) queues = fw_sim_scenario_list_queues (self->scenario, name);
  g_autofree char *extra = NULL;

  if (name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (name, "*", FALSE);

      extra = g_strconcat ("&name=", escaped, NULL);
    }
  set_paged_response (msg, query, "/api/v2/routing/queues", extra, queues);
}

static void
expand_flags (const char *query_string,
              gboolean   *presence,
              gboolean   *routing_status)
{
  g_auto(GStrv) expand = query_get_all (query_string, "expand");

  *presence = g_strv_contains ((const char * const *) expand, "presence");
  *routing_status = g_strv_contains ((const char * const *) expand, "routingStatus");
}

static void
handle_queue_members (FwSimServer       *self,
                      SoupServerMessage *msg,
                      const char        *queue_id,
                      GHashTable        *query,
                      const char        *query_string)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *path = NULL;
  const char *joined_value = query ? g_hash_table_lookup (query, "joined") : NULL;
  gboolean presence;
  gboolean routing_status;
  int joined = -1;

  expand_flags (query_string, &presence, &routing_status);
  if (joined_value != NULL)
    joined = g_ascii_strcasecmp (joined_value, "true") == 0 ? 1 : 0;
  members = fw_sim_scenario_list_queue_members (self->scenario, queue_id, joined,
                                                presence, routing_status);
  if (members == NULL)
    {
      set_error_response (msg, 404, "not.found", "The queue was not found.");
      return;
    }
  path = g_strdup_printf ("/api/v2/routing/queues/%s/members", queue_id);
  set_paged_response (msg, query, path, NULL, members);
}

static void
handle_users (FwSimServer       *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              const char        *query_string)
{
  g_auto(GStrv) ids = query_get_all (query_string, "id");
  g_autoptr(GPtrArray) users = NULL;
  gboolean presence;
  gboolean routing_status;

  if (g_strv_length (ids) > 100)
    {
      set_error_response (msg, 400, "bad.request", "At most 100 ids may be given.");
      return;
    }
  expand_flags (query_string, &presence, &routing_status);
  users = fw_sim_scenario_list_users (self->scenario,
                                      ids[0] ? (const char * const *) ids : NULL,
                                      presence, routing_status);
  set_paged_response (msg, query, "/api/v2/users", NULL, users);
}

static void
handle_single_user (FwSimServer       *self,
                    SoupServerMessage *msg,
                    const char        *user_id,
                    const char        *query_string)
{
  const char *ids[] = { user_id, NULL };
  g_autoptr(GPtrArray) users = NULL;
  gboolean presence;
  gboolean routing_status;

  expand_flags (query_string, &presence, &routing_status);
  users = fw_sim_scenario_list_users (self->scenario, ids, presence, routing_status);
  if (users->len == 0)
    set_error_response (msg, 404, "not.found", "The user was not found.");
  else
    set_json_response (msg, 200, g_ptr_array_index (users, 0));
}

static void
handle_observations_query (FwSimServer       *self,
                           SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  request = parse_json (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (request != NULL)
    response = fw_sim_scenario_query_observations (self->scenario, request, &error);
  if (response == NULL)
    {
      set_error_response (msg, 400, "bad.request", error->message);
      return;
    }
  set_json_response (msg, 200, response);
}

/* ---- Routing ---- */

static void
handle_api (FwSimServer       *self,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *query_string = g_uri_get_query (soup_server_message_get_uri (msg));
  gboolean is_get = g_str_equal (method, SOUP_METHOD_GET);
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!require_auth (self, msg))
    return;

  parts = g_strsplit (path + strlen ("/api/v2/"), "/", 8);
  n = g_strv_length (parts);

  if (n >= 2 && g_str_equal (parts[0], "notifications") && g_str_equal (parts[1], "channels"))
    {
      SimChannel *channel;

      if (n == 2)
        {
          handle_channels (self, msg);
          return;
        }
      channel = g_hash_table_lookup (self->channels, parts[2]);
      if (channel == NULL)
        {
          set_error_response (msg, 404, "not.found", "The channel was not found.");
          return;
        }
      if (n == 3)
        {
          if (g_str_equal (method, SOUP_METHOD_HEAD))
            soup_server_message_set_status (msg, 200, NULL);
          else
            set_error_response (msg, 405, NULL, NULL);
          return;
        }
      if (n == 4 && g_str_equal (parts[3], "subscriptions"))
        {
          handle_subscriptions (self, msg, channel, query);
          return;
        }
    }
  else if (n == 2 && g_str_equal (parts[0], "notifications") && g_str_equal (parts[1], "availabletopics"))
    {
      if (is_get)
        handle_available_topics (self, msg, query_string);
      else
        set_error_response (msg, 405, NULL, NULL);
      return;
    }
  else if (n >= 2 && g_str_equal (parts[0], "routing") && g_str_equal (parts[1], "queues"))
    {
      if (!is_get)
        {
          set_error_response (msg, 405, NULL, NULL);
          return;
        }
      if (n == 2)
        {
          handle_queues (self, msg, query);
          return;
        }
      if (n == 3)
        {
          g_autoptr(JsonNode) queue = fw_sim_scenario_build_queue (self->scenario, parts[2]);

          if (queue == NULL)
            set_error_response (msg, 404, "not.found", "The queue was not found.");
          else
            set_json_response (msg, 200, queue);
          return;
        }
      if (n == 4 && g_str_equal (parts[3], "members"))
        {
          handle_queue_members (self, msg, parts[2], query, query_string);
          return;
        }
    }
  else if (n >= 1 && g_str_equal (parts[0], "users"))
    {
      if (!is_get)
        {
          set_error_response (msg, 405, NULL, NULL);
          return;
        }
      if (n == 1)
        {
          handle_users (self, msg, query, query_string);
          return;
        }
      if (n == 2)
        {
          handle_single_user (self, msg, parts[1], query_string);
          return;
        }
    }
  else if (n == 4 && g_str_equal (parts[0], "analytics") && g_str_equal (parts[1], "queues") &&
           g_str_equal (parts[2], "observations") && g_str_equal (parts[3], "query"))
    {
      if (g_str_equal (method, SOUP_METHOD_POST))
        handle_observations_query (self, msg);
      else
        set_error_response (msg, 405, NULL, NULL);
      return;
    }

  set_error_response (msg, 404, "not.found", "The requested resource was not found.");
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FwSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  record_request (self, method, path);
  if (apply_fail_rules (self, msg, method, path))
    return;

  if (g_str_equal (path, "/oauth/token"))
    handle_token (self, msg);
  else if (g_str_equal (path, "/oauth/authorize"))
    fw_sim_oauth_handle_authorize (self->oauth, msg, query);
  else if (g_str_has_prefix (path, "/api/v2/"))
    handle_api (self, msg, path, query);
  else
    set_error_response (msg, 404, "not.found", "The requested resource was not found.");
}

/* Refuses bodies we will not buffer before libsoup reads them. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  FwSimServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      record_request (self, soup_server_message_get_method (msg), path);
      set_error_response (msg, 411, NULL, "A Content-Length is required.");
    }
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
           soup_message_headers_get_content_length (headers) > MAX_REQUEST_BODY)
    {
      record_request (self, soup_server_message_get_method (msg), path);
      set_error_response (msg, 413, NULL, "The request body is too large.");
    }
}

/* Runs before the WebSocket handshake: unknown channels answer 404. */
static void
socket_precheck_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  FwSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *id;

  record_request (self, method, path);
  if (apply_fail_rules (self, msg, method, path))
    return;

  id = g_str_has_prefix (path, SOCKET_PATH "/") ? path + strlen (SOCKET_PATH "/") : "";
  if (id[0] == '\0' || strchr (id, '/') != NULL || !g_hash_table_contains (self->channels, id))
    set_error_response (msg, 404, "not.found", "The channel was not found.");
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  FwSimServer *self = user_data;
  const char *id = path + strlen (SOCKET_PATH "/");
  SimChannel *channel = g_hash_table_lookup (self->channels, id);
  SimSocket *sock;

  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, soup_server_message_get_method (msg), path,
                 (guint) SOUP_STATUS_SWITCHING_PROTOCOLS);

  sock = g_new0 (SimSocket, 1);
  sock->server = self;
  sock->conn = g_object_ref (conn);
  sock->channel_id = g_strdup (id);
  if (soup_server_message_get_socket (msg) != NULL)
    sock->gsocket = g_object_ref (soup_server_message_get_socket (msg));
  sock->message_id = g_signal_connect (conn, "message", G_CALLBACK (socket_message_cb), sock);
  sock->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (socket_closed_cb), sock);
  g_ptr_array_add (self->sockets, sock);

  if (channel == NULL)
    {
      /* The channel went away between the handshake and now. */
      socket_close (sock, FW_SIM_CLOSE_CHANNEL_GONE, "Channel not found");
      return;
    }

  /* One socket per channel: the newcomer wins. */
  if (channel->socket != NULL)
    socket_close (channel->socket, FW_SIM_CLOSE_REPLACED, "Another socket connected to this channel");

  channel->socket = sock;
  sock->channel = channel;
  channel->last_used_us = g_get_monotonic_time ();
  socket_start_heartbeat (sock);
  g_debug ("Socket opened on channel %s", id);
  g_signal_emit (self, signals[SIGNAL_SOCKET_OPENED], 0, id);
}

/* ---- Scenario ---- */

static gboolean
observations_cb (gpointer user_data)
{
  FwSimServer *self = user_data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);
  gint64 next;

  g_clear_pointer (&self->observations_source, g_source_unref);
  next = fw_sim_scenario_flush_observations (self->scenario, g_get_real_time (), events);
  publish_events (self, events);
  schedule_observations (self, next);
  return G_SOURCE_REMOVE;
}

static void
schedule_observations (FwSimServer *self,
                       gint64       due_us)
{
  gint64 delay_ms;

  clear_source (&self->observations_source);
  if (due_us == 0)
    return;
  delay_ms = (due_us - g_get_real_time () + 999) / 1000;
  self->observations_source = add_timeout (self, (guint) CLAMP (delay_ms, 1, 2000),
                                           observations_cb, self);
}

static void
publish_scenario_events (FwSimServer *self,
                         GPtrArray   *events)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);
  gint64 next;

  publish_events (self, events);
  next = fw_sim_scenario_flush_observations (self->scenario, g_get_real_time (), due);
  publish_events (self, due);
  schedule_observations (self, next);
}

void
fw_sim_server_step (FwSimServer *self)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);

  g_return_if_fail (FW_IS_SIM_SERVER (self));

  fw_sim_scenario_step (self->scenario, g_get_real_time (), events);
  publish_scenario_events (self, events);
}

static gboolean
traffic_cb (gpointer user_data)
{
  fw_sim_server_step (user_data);
  return G_SOURCE_CONTINUE;
}

static void
restart_traffic (FwSimServer *self)
{
  clear_source (&self->traffic_source);
  if (self->traffic_interval > 0)
    self->traffic_source = add_timeout (self, self->traffic_interval, traffic_cb, self);
}

/* ---- Flood ---- */

static void
flood_finish (SimFlood *flood)
{
  FwSimServer *self = flood->socket->server;

  clear_source (&flood->source);
  flood->socket->flood = NULL;
  g_byte_array_unref (flood->batch);
  g_free (flood->frame);
  g_free (flood);

  g_assert (self->n_floods_running > 0);
  if (--self->n_floods_running == 0)
    g_signal_emit (self, signals[SIGNAL_FLOOD_DONE], 0);
}

static void
write_hex (char    *out,
           guint64  value,
           guint    digits)
{
  static const char hex[] = "0123456789abcdef";

  for (guint i = digits; i > 0; i--)
    {
      out[i - 1] = hex[value & 0xf];
      value >>= 4;
    }
}

/* Writes all of @data to the socket.  Batches are sized so that the kernel
 * takes them at once; should it not, the rest is written within a bounded
 * wait, because a frame left half-written would be corrupted by the next
 * frame libsoup writes. */
static gboolean
write_whole (GSocket      *gsocket,
             const guint8 *data,
             gsize         length)
{
  gsize done = 0;

  while (done < length)
    {
      g_autoptr(GError) error = NULL;
      gssize written = g_socket_send (gsocket, (const char *) data + done, length - done, NULL, &error);

      if (written > 0)
        done += (gsize) written;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          if (!g_socket_condition_timed_wait (gsocket, G_IO_OUT, 2 * G_USEC_PER_SEC, NULL, &error))
            {
              g_debug ("Flood write stalled: %s", error->message);
              return FALSE;
            }
        }
      else
        {
          g_debug ("Flood write failed: %s", error ? error->message : "closed");
          return FALSE;
        }
    }
  return TRUE;
}

/* Runs while the socket is writable and hands the kernel one batch of
 * frames in a single write.  (Through soup_websocket_connection_send_text()
 * each frame costs a send() of its own, a UTF-8 scan and two debug
 * messages: about 4 us of CPU per 1 KB frame, which caps a flood near
 * 250,000 frames/s; batched, a frame costs under 1 us.)
 *
 * Frames are written under libsoup, so they must never interleave with a
 * frame of its own.  libsoup writes a frame at once when its queue is empty
 * and otherwise from its own output source, which has a higher priority than
 * this one and is ready whenever this one is: so this runs only when libsoup
 * has nothing half-written, and it always writes whole frames.  A batch fits
 * in the room POLLOUT promises (a TCP socket polls writable when at least a
 * third of its send buffer is free). */
static gboolean
flood_writable_cb (GSocket      *gsocket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  SimFlood *flood = user_data;
  SimSocket *sock = flood->socket;
  FwSimServer *self = sock->server;
  gint sndbuf = 0;
  guint batch;

  if (!socket_is_open (sock))
    {
      flood_finish (flood);
      return G_SOURCE_REMOVE;
    }
  /* Frames queued before the flood go first. */
  if (!g_queue_is_empty (&sock->raw_out))
    return G_SOURCE_CONTINUE;

  if (!g_socket_get_option (gsocket, SOL_SOCKET, SO_SNDBUF, &sndbuf, NULL) || sndbuf <= 0)
    sndbuf = 64 * 1024;
  batch = (guint) CLAMP ((gsize) sndbuf / 4 / flood->frame_length, 1, FLOOD_BATCH_MAX);
  batch = MIN (batch, flood->remaining);

  g_byte_array_set_size (flood->batch, 0);
  for (guint i = 0; i < batch; i++)
    {
      write_hex ((char *) flood->frame + flood->uuid_offset + 24, flood->serial++, 12);
      g_byte_array_append (flood->batch, flood->frame, (guint) flood->frame_length);
    }
  flood->remaining -= batch;
  self->n_flooded += batch;

  /* Silence swallows the frames as it does every other event. */
  if (!self->silent && !write_whole (gsocket, flood->batch->data, flood->batch->len))
    {
      socket_drop (sock);
      return G_SOURCE_REMOVE;
    }

  if (flood->remaining == 0)
    {
      flood_finish (flood);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static JsonNode *
build_flood_body (const char *modified_date,
                  const char *padding)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "PURECLOUD");
  json_builder_set_member_name (builder, "presenceDefinition");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "e08eaf1b-ee47-4fa9-a231-1200e284798f");
  json_builder_set_member_name (builder, "systemPresence");
  json_builder_add_string_value (builder, "ON_QUEUE");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "primary");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, padding);
  json_builder_set_member_name (builder, "modifiedDate");
  json_builder_add_string_value (builder, modified_date);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* One frame of about @frame_size bytes: a presence event whose "message" is
 * padded; *@uuid_offset is where its CorrelationId starts. */
static char *
build_flood_frame (const char *topic,
                   gsize       frame_size,
                   gsize      *uuid_offset)
{
  static const char placeholder[] = "00000000-0000-4000-8000-000000000000";
  g_autofree char *now = fw_sim_format_time (g_get_real_time ());
  g_autoptr(JsonNode) bare = build_flood_body (now, "");
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *probe = build_envelope (topic, bare, placeholder);
  g_autofree char *padding = NULL;
  gsize base = strlen (probe);
  char *frame;
  char *found;

  padding = g_strnfill (frame_size > base ? frame_size - base : 0, 'x');
  body = build_flood_body (now, padding);
  frame = build_envelope (topic, body, placeholder);
  found = strstr (frame, placeholder);
  g_assert (found != NULL);
  *uuid_offset = found - frame;
  return frame;
}

void
fw_sim_server_flood (FwSimServer *self,
                     const char  *topic,
                     guint        count,
                     gsize        frame_size)
{
  gsize uuid_offset = 0;
  g_autofree char *frame = NULL;
  guint64 first_serial;
  guint n_targets = 0;

  g_return_if_fail (FW_IS_SIM_SERVER (self));
  g_return_if_fail (topic != NULL);

  /* Frames stay well inside a socket buffer, so that batches go out whole. */
  frame = build_flood_frame (topic, MIN (frame_size, 64 * 1024), &uuid_offset);
  memcpy (frame + uuid_offset, self->flood_uuid_base, 24);
  first_serial = self->flood_serial;
  self->flood_serial += count;

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SimSocket *sock = g_ptr_array_index (self->sockets, i);
      SimFlood *flood;

      if (sock->flood != NULL || sock->channel == NULL ||
          !channel_receives (sock->channel, topic) || !socket_is_open (sock) ||
          sock->gsocket == NULL || count == 0)
        continue;

      flood = g_new0 (SimFlood, 1);
      flood->socket = sock;
      flood->frame = g_bytes_unref_to_data (build_frame (0x1, frame, strlen (frame)), &flood->frame_length);
      flood->uuid_offset = flood->frame_length - strlen (frame) + uuid_offset;
      flood->batch = g_byte_array_sized_new (64 * 1024);
      flood->remaining = count;
      flood->serial = first_serial;
      flood->source = g_socket_create_source (sock->gsocket, G_IO_OUT, NULL);
      g_source_set_priority (flood->source, G_PRIORITY_DEFAULT + 10);
      g_source_set_callback (flood->source, (GSourceFunc) (void (*) (void)) flood_writable_cb,
                             flood, NULL);
      g_source_attach (flood->source, self->context);
      sock->flood = flood;
      self->n_floods_running++;
      n_targets++;
    }

  g_debug ("Flooding %u frames of %" G_GSIZE_FORMAT " bytes to %u sockets",
           count, strlen (frame), n_targets);
  if (n_targets == 0)
    g_signal_emit (self, signals[SIGNAL_FLOOD_DONE], 0);
}

guint64
fw_sim_server_get_n_flooded (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  return self->n_flooded;
}

/* ---- Faults ---- */

/* The open sockets, in an array that does not own them: closing one may
 * remove it from self->sockets. */
static GPtrArray *
snapshot_sockets (FwSimServer *self)
{
  GPtrArray *sockets = g_ptr_array_sized_new (self->sockets->len);

  for (guint i = 0; i < self->sockets->len; i++)
    g_ptr_array_add (sockets, g_ptr_array_index (self->sockets, i));
  return sockets;
}

void
fw_sim_server_drop_sockets (FwSimServer *self)
{
  g_autoptr(GPtrArray) sockets = NULL;

  g_return_if_fail (FW_IS_SIM_SERVER (self));

  sockets = snapshot_sockets (self);
  /* The copy inherits the free function: it must not free the sockets. */
  g_ptr_array_set_free_func (sockets, NULL);
  for (guint i = 0; i < sockets->len; i++)
    socket_drop (g_ptr_array_index (sockets, i));
}

void
fw_sim_server_close_sockets (FwSimServer *self,
                             gushort      code,
                             const char  *reason)
{
  g_autoptr(GPtrArray) sockets = NULL;

  g_return_if_fail (FW_IS_SIM_SERVER (self));
  /* Codes a server must never put in a close frame. */
  g_return_if_fail (code != SOUP_WEBSOCKET_CLOSE_NO_STATUS &&
                    code != SOUP_WEBSOCKET_CLOSE_ABNORMAL &&
                    code != SOUP_WEBSOCKET_CLOSE_TLS_HANDSHAKE &&
                    code != SOUP_WEBSOCKET_CLOSE_NO_EXTENSION);

  sockets = snapshot_sockets (self);
  /* The copy inherits the free function: it must not free the sockets. */
  g_ptr_array_set_free_func (sockets, NULL);
  for (guint i = 0; i < sockets->len; i++)
    socket_close (g_ptr_array_index (sockets, i), code, reason);
}

void
fw_sim_server_set_silent (FwSimServer *self,
                          gboolean     silent)
{
  g_return_if_fail (FW_IS_SIM_SERVER (self));

  self->silent = !!silent;
}

void
fw_sim_server_send_socket_closing (FwSimServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (FW_IS_SIM_SERVER (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Socket closing for maintenance. Reconnect within one minute.");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SimSocket *sock = g_ptr_array_index (self->sockets, i);

      if (!socket_is_open (sock) || sock->closing_source != NULL)
        continue;
      send_system_message (self, sock, "v2.system.socket_closing", body);
      sock->closing_source = add_timeout (self, self->socket_closing_grace,
                                          socket_closing_grace_cb, sock);
    }
}

void
fw_sim_server_revoke_tokens (FwSimServer *self)
{
  GHashTableIter iter;
  SimToken *token;

  g_return_if_fail (FW_IS_SIM_SERVER (self));

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
    token->revoked = TRUE;
  fw_sim_oauth_revoke_refresh_tokens (self->oauth);
}

void
fw_sim_server_expire_channels (FwSimServer *self)
{
  g_autoptr(GPtrArray) channels = NULL;
  GHashTableIter iter;
  SimChannel *channel;

  g_return_if_fail (FW_IS_SIM_SERVER (self));

  channels = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
    g_ptr_array_add (channels, channel);
  for (guint i = 0; i < channels->len; i++)
    channel_remove (self, g_ptr_array_index (channels, i), CHANNEL_EXPIRED);
}

void
fw_sim_server_fail_requests (FwSimServer *self,
                             const char  *method,
                             const char  *path_prefix,
                             guint        status,
                             guint        count,
                             guint        retry_after_s)
{
  SimFailRule *rule;

  g_return_if_fail (FW_IS_SIM_SERVER (self));
  g_return_if_fail (path_prefix != NULL);
  g_return_if_fail (status >= 100 && status <= 599);

  if (count == 0)
    return;
  rule = g_new0 (SimFailRule, 1);
  rule->method = g_strdup (method);
  rule->path_prefix = g_strdup (path_prefix);
  rule->status = status;
  rule->remaining = count;
  rule->retry_after_s = retry_after_s;
  g_ptr_array_add (self->fail_rules, rule);
}

void
fw_sim_server_reject_topics (FwSimServer *self,
                             const char  *topic_prefix,
                             const char  *reason)
{
  SimRejectRule *rule;

  g_return_if_fail (FW_IS_SIM_SERVER (self));
  g_return_if_fail (topic_prefix != NULL);

  rule = g_new0 (SimRejectRule, 1);
  rule->prefix = g_strdup (topic_prefix);
  rule->reason = g_strdup (reason ? reason : "Missing required permissions");
  g_ptr_array_add (self->reject_rules, rule);
}

void
fw_sim_server_send_frame (FwSimServer *self,
                          const char  *channel_id,
                          const char  *data,
                          gsize        length,
                          gboolean     binary)
{
  guint n_delivered = 0;

  g_return_if_fail (FW_IS_SIM_SERVER (self));
  g_return_if_fail (data != NULL || length == 0);

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SimSocket *sock = g_ptr_array_index (self->sockets, i);

      if (channel_id != NULL && g_strcmp0 (sock->channel_id, channel_id) != 0)
        continue;
      if (self->silent || !socket_is_open (sock))
        continue;

      if (!g_queue_is_empty (&sock->raw_out))
        socket_queue_frame (sock, binary ? 0x2 : 0x1, data, length);
      else if (binary)
        soup_websocket_connection_send_binary (sock->conn, data, length);
      else if (length > 0 && memchr (data, '\0', length) == NULL &&
               g_utf8_validate (data, (gssize) length, NULL))
        {
          g_autofree char *text = g_strndup (data, length);

          soup_websocket_connection_send_text (sock->conn, text);
        }
      else
        socket_queue_frame (sock, 0x1, data, length);
      n_delivered++;
    }
  record_published (self, "", FW_SIM_TOPIC_RAW_FRAME, n_delivered);
}

/* ---- What a test can check ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}


guint
fw_sim_server_get_n_channels (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  return g_hash_table_size (self->channels);
}

GStrv
fw_sim_server_dup_channel_ids (FwSimServer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  const char *id;
  GStrv ids;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);

  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_strv_builder_add (builder, id);
  ids = g_strv_builder_end (builder);
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return ids;
}

GStrv
fw_sim_server_dup_subscriptions (FwSimServer *self,
                                 const char  *channel_id)
{
  SimChannel *channel;
  GStrv topics;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (channel_id != NULL, NULL);

  channel = g_hash_table_lookup (self->channels, channel_id);
  if (channel == NULL)
    return NULL;
  topics = g_new0 (char *, channel->topics->len + 1);
  for (guint i = 0; i < channel->topics->len; i++)
    topics[i] = g_strdup (g_ptr_array_index (channel->topics, i));
  qsort (topics, channel->topics->len, sizeof (char *), compare_strings);
  return topics;
}

guint
fw_sim_server_get_n_open_sockets (FwSimServer *self)
{
  guint n = 0;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  for (guint i = 0; i < self->sockets->len; i++)
    if (socket_is_open (g_ptr_array_index (self->sockets, i)))
      n++;
  return n;
}

guint
fw_sim_server_get_n_token_grants (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  return self->n_token_grants;
}

guint
fw_sim_server_count_requests (FwSimServer *self,
                              const char  *method,
                              const char  *path_prefix)
{
  guint n = 0;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      SimRequest *request = g_ptr_array_index (self->requests, i);

      if (method != NULL && g_ascii_strcasecmp (method, request->method) != 0)
        continue;
      if (path_prefix != NULL && !g_str_has_prefix (request->path, path_prefix))
        continue;
      n++;
    }
  return n;
}

GStrv
fw_sim_server_dup_queue_ids (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);

  return fw_sim_scenario_dup_queue_ids (self->scenario);
}

GStrv
fw_sim_server_dup_user_ids (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);

  return fw_sim_scenario_dup_user_ids (self->scenario);
}

const char *
fw_sim_server_get_queue_name (FwSimServer *self,
                              const char  *queue_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (queue_id != NULL, NULL);

  return fw_sim_scenario_get_queue_name (self->scenario, queue_id);
}

const char *
fw_sim_server_get_user_name (FwSimServer *self,
                             const char  *user_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return fw_sim_scenario_get_user_name (self->scenario, user_id);
}

typedef enum {
  COUNT_WAITING,
  COUNT_ALERTING,
  COUNT_INTERACTING,
} QueueCount;

static int
get_queue_count (FwSimServer *self,
                 const char  *queue_id,
                 QueueCount   which)
{
  guint counts[3];

  if (!fw_sim_scenario_get_queue_counts (self->scenario, queue_id,
                                         &counts[COUNT_WAITING], &counts[COUNT_ALERTING],
                                         &counts[COUNT_INTERACTING]))
    return -1;
  return (int) counts[which];
}

int
fw_sim_server_get_queue_waiting (FwSimServer *self,
                                 const char  *queue_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), -1);
  g_return_val_if_fail (queue_id != NULL, -1);

  return get_queue_count (self, queue_id, COUNT_WAITING);
}

int
fw_sim_server_get_queue_alerting (FwSimServer *self,
                                  const char  *queue_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), -1);
  g_return_val_if_fail (queue_id != NULL, -1);

  return get_queue_count (self, queue_id, COUNT_ALERTING);
}

int
fw_sim_server_get_queue_interacting (FwSimServer *self,
                                     const char  *queue_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), -1);
  g_return_val_if_fail (queue_id != NULL, -1);

  return get_queue_count (self, queue_id, COUNT_INTERACTING);
}

int
fw_sim_server_count_queue_users (FwSimServer *self,
                                 const char  *queue_id,
                                 const char  *routing_status)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), -1);
  g_return_val_if_fail (queue_id != NULL, -1);
  g_return_val_if_fail (routing_status != NULL, -1);

  return fw_sim_scenario_count_queue_users (self->scenario, queue_id, routing_status);
}

const char *
fw_sim_server_get_user_presence (FwSimServer *self,
                                 const char  *user_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return fw_sim_scenario_get_user_presence (self->scenario, user_id);
}

const char *
fw_sim_server_get_user_routing_status (FwSimServer *self,
                                       const char  *user_id)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return fw_sim_scenario_get_user_routing_status (self->scenario, user_id);
}

gboolean
fw_sim_server_set_user_presence (FwSimServer *self,
                                 const char  *user_id,
                                 const char  *system_presence)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (system_presence != NULL, FALSE);

  if (!fw_sim_scenario_set_user_presence (self->scenario, user_id, system_presence,
                                          g_get_real_time (), events))
    return FALSE;
  publish_scenario_events (self, events);
  return TRUE;
}

gboolean
fw_sim_server_set_user_routing_status (FwSimServer *self,
                                       const char  *user_id,
                                       const char  *status)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!fw_sim_scenario_set_user_routing_status (self->scenario, user_id, status,
                                                g_get_real_time (), events))
    return FALSE;
  publish_scenario_events (self, events);
  return TRUE;
}

char *
fw_sim_server_add_call (FwSimServer *self,
                        const char  *queue_id)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_sim_event_free);
  char *conversation_id;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (queue_id != NULL, NULL);

  conversation_id = fw_sim_scenario_add_call (self->scenario, queue_id, g_get_real_time (), events);
  if (conversation_id != NULL)
    publish_scenario_events (self, events);
  return conversation_id;
}

/* ---- Listening ---- */

gboolean
fw_sim_server_listen (FwSimServer  *self,
                      guint         port,
                      GError      **error)
{
  g_autoptr(GSList) uris = NULL;
  GUri *uri;

  g_return_val_if_fail (FW_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();

  self->server = soup_server_new ("server-header", "floorwatch-sim ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_add_handler (self->server, SOCKET_PATH, socket_precheck_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, SOCKET_PATH, NULL, NULL, websocket_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (emit_request_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (emit_request_cb), self);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  uri = uris->data;
  self->port = (guint) g_uri_get_port (uri);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  restart_traffic (self);
  g_debug ("Listening on %s", self->url);
  return TRUE;
}

const char *
fw_sim_server_get_url (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), NULL);

  return self->url;
}

guint
fw_sim_server_get_port (FwSimServer *self)
{
  g_return_val_if_fail (FW_IS_SIM_SERVER (self), 0);

  return self->port;
}

/* ---- GObject ---- */

static void
set_string (char       **field,
            const char  *value,
            FwSimServer *self,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (guint       *field,
          guint        value,
          FwSimServer *self,
          guint        prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
fw_sim_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FwSimServer *self = FW_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      set_string (&self->client_id, g_value_get_string (value), self, prop_id);
      break;
    case PROP_CLIENT_SECRET:
      set_string (&self->client_secret, g_value_get_string (value), self, prop_id);
      break;
    case PROP_TOKEN_LIFETIME:
      set_uint (&self->token_lifetime, g_value_get_uint (value), self, prop_id);
      break;
    case PROP_CHANNEL_LIFETIME:
      set_uint (&self->channel_lifetime, g_value_get_uint (value), self, prop_id);
      break;
    case PROP_HEARTBEAT_INTERVAL:
      if (self->heartbeat_interval != g_value_get_uint (value))
        {
          set_uint (&self->heartbeat_interval, g_value_get_uint (value), self, prop_id);
          for (guint i = 0; i < self->sockets->len; i++)
            socket_start_heartbeat (g_ptr_array_index (self->sockets, i));
        }
      break;
    case PROP_SOCKET_CLOSING_GRACE:
      set_uint (&self->socket_closing_grace, g_value_get_uint (value), self, prop_id);
      break;
    case PROP_TRAFFIC_INTERVAL:
      if (self->traffic_interval != g_value_get_uint (value))
        {
          set_uint (&self->traffic_interval, g_value_get_uint (value), self, prop_id);
          if (self->server != NULL)
            restart_traffic (self);
        }
      break;
    case PROP_MAX_CHANNELS:
      set_uint (&self->max_channels, g_value_get_uint (value), self, prop_id);
      break;
    case PROP_MAX_TOPICS:
      set_uint (&self->max_topics, g_value_get_uint (value), self, prop_id);
      break;
    case PROP_SEED:
      if (self->seed != g_value_get_uint (value))
        {
          set_uint (&self->seed, g_value_get_uint (value), self, prop_id);
          /* A new seed replays a new story from the start. */
          g_clear_pointer (&self->scenario, fw_sim_scenario_free);
          self->scenario = fw_sim_scenario_new (self->seed);
          clear_source (&self->observations_source);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_sim_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FwSimServer *self = FW_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CLIENT_SECRET:
      g_value_set_string (value, self->client_secret);
      break;
    case PROP_TOKEN_LIFETIME:
      g_value_set_uint (value, self->token_lifetime);
      break;
    case PROP_CHANNEL_LIFETIME:
      g_value_set_uint (value, self->channel_lifetime);
      break;
    case PROP_HEARTBEAT_INTERVAL:
      g_value_set_uint (value, self->heartbeat_interval);
      break;
    case PROP_SOCKET_CLOSING_GRACE:
      g_value_set_uint (value, self->socket_closing_grace);
      break;
    case PROP_TRAFFIC_INTERVAL:
      g_value_set_uint (value, self->traffic_interval);
      break;
    case PROP_MAX_CHANNELS:
      g_value_set_uint (value, self->max_channels);
      break;
    case PROP_MAX_TOPICS:
      g_value_set_uint (value, self->max_topics);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_sim_server_dispose (GObject *object)
{
  FwSimServer *self = FW_SIM_SERVER (object);

  clear_source (&self->traffic_source);
  clear_source (&self->observations_source);
  /* Sockets first: they point into channels. */
  g_ptr_array_set_size (self->sockets, 0);
  g_hash_table_remove_all (self->channels);
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (fw_sim_server_parent_class)->dispose (object);
}

static void
fw_sim_server_finalize (GObject *object)
{
  FwSimServer *self = FW_SIM_SERVER (object);

  g_ptr_array_unref (self->sockets);
  g_hash_table_unref (self->channels);
  g_hash_table_unref (self->tokens);
  g_clear_pointer (&self->oauth, fw_sim_oauth_free);
  g_ptr_array_unref (self->published);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->fail_rules);
  g_ptr_array_unref (self->reject_rules);
  g_clear_pointer (&self->scenario, fw_sim_scenario_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->url);
  g_free (self->client_id);
  if (self->client_secret != NULL)
    memset (self->client_secret, 0, strlen (self->client_secret));
  g_free (self->client_secret);
  g_free (self->flood_uuid_base);

  G_OBJECT_CLASS (fw_sim_server_parent_class)->finalize (object);
}

static void
fw_sim_server_class_init (FwSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = fw_sim_server_set_property;
  object_class->get_property = fw_sim_server_get_property;
  object_class->dispose = fw_sim_server_dispose;
  object_class->finalize = fw_sim_server_finalize;

#define UINT_PROP(id, name, blurb, min, max, def) \
  properties[id] = g_param_spec_uint (name, NULL, blurb, min, max, def, \
                                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, "The one accepted OAuth client id",
                         FW_SIM_DEFAULT_CLIENT_ID,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, "The secret of the accepted client",
                         FW_SIM_DEFAULT_CLIENT_SECRET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  UINT_PROP (PROP_TOKEN_LIFETIME, "token-lifetime", "Seconds a token lives (expires_in)",
             1, 10 * 86400, 86400);
  UINT_PROP (PROP_CHANNEL_LIFETIME, "channel-lifetime",
             "Milliseconds a channel lives after creation or its last subscription PUT",
             1, G_MAXINT32, 86400000);
  UINT_PROP (PROP_HEARTBEAT_INTERVAL, "heartbeat-interval",
             "Milliseconds between heartbeats on each socket (0: none)", 0, G_MAXINT32, 30000);
  UINT_PROP (PROP_SOCKET_CLOSING_GRACE, "socket-closing-grace",
             "Milliseconds between socket_closing and the close", 0, G_MAXINT32, 60000);
  UINT_PROP (PROP_TRAFFIC_INTERVAL, "traffic-interval",
             "Milliseconds between scenario steps (0: no traffic)", 0, G_MAXINT32, 0);
  UINT_PROP (PROP_MAX_CHANNELS, "max-channels", "Channels per client", 1, 10000, 20);
  UINT_PROP (PROP_MAX_TOPICS, "max-topics", "Topics per channel", 1, 1000000, 1000);
  UINT_PROP (PROP_SEED, "seed", "The scenario's random seed", 0, G_MAXUINT, 1);
#undef UINT_PROP

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REQUEST] =
    g_signal_new ("request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_SOCKET_OPENED] =
    g_signal_new ("socket-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SOCKET_CLOSED] =
    g_signal_new ("socket-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PING] =
    g_signal_new ("ping", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FLOOD_DONE] =
    g_signal_new ("flood-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
fw_sim_server_init (FwSimServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->client_id = g_strdup (FW_SIM_DEFAULT_CLIENT_ID);
  self->client_secret = g_strdup (FW_SIM_DEFAULT_CLIENT_SECRET);
  self->token_lifetime = 86400;
  self->channel_lifetime = 86400000;
  self->heartbeat_interval = 30000;
  self->socket_closing_grace = 60000;
  self->traffic_interval = 0;
  self->max_channels = 20;
  self->max_topics = 1000;
  self->seed = 1;

  self->rand = g_rand_new ();
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->oauth = fw_sim_oauth_new (self);
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) channel_free);
  self->sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) socket_free);
  self->published = g_ptr_array_new_with_free_func ((GDestroyNotify) published_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_request_free);
  self->fail_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_fail_rule_free);
  self->reject_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_reject_rule_free);
  self->scenario = fw_sim_scenario_new (self->seed);

  /* Flood CorrelationIds: a random version-4 prefix and a 48-bit counter. */
  self->flood_uuid_base = random_string (self->rand, 24, "0123456789abcdef");
  self->flood_uuid_base[8] = '-';
  self->flood_uuid_base[13] = '-';
  self->flood_uuid_base[14] = '4';
  self->flood_uuid_base[18] = '-';
  self->flood_uuid_base[19] = '8';
  self->flood_uuid_base[23] = '-';
}

FwSimServer *
fw_sim_server_new (void)
{
  return g_object_new (FW_TYPE_SIM_SERVER, NULL);
}
