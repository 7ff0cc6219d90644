/* fw-sim-oauth.c — the simulator's sign-in: authorization code with PKCE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Genesys Cloud does for a public client using the "Code Authorization"
 * grant with PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252 for native apps):
 *   GET  /oauth/authorize?client_id&response_type=code&redirect_uri
 *        &code_challenge&code_challenge_method=S256&state   → the login page
 *   POST /oauth/authorize (the form)  → 302 redirect_uri?code=…&state=…
 *   POST /oauth/token grant_type=authorization_code&code&redirect_uri
 *        &client_id&code_verifier  → access and refresh token
 *   POST /oauth/token grant_type=refresh_token&refresh_token&client_id
 *        → a new access token and a new refresh token (the old one is spent)
 * The simulator implements it by the RFCs.  UNCONFIRMED for Genesys: how long
 * a code lives, whether a public client gets a refresh token at all and
 * whether refresh tokens rotate; a client must cope with either answer.
 */

#define G_LOG_DOMAIN "fw-sim-oauth"

#include "config.h"

#include <string.h>

#include "fw-sim-oauth.h"

/* A code must be exchanged within this time, and only once. */
#define CODE_LIFETIME_US    (60 * G_USEC_PER_SEC)
#define MAX_PARAM_LENGTH    2048
#define TOKEN_ALPHABET      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

typedef struct
{
  char   *client_id;
  char   *redirect_uri;
  char   *challenge;
  char   *user_id;
  gint64  expires_us;    /* monotonic */
} SimCode;

typedef struct
{
  char *client_id;
  char *user_id;
} SimRefresh;

struct _FwSimOAuth
{
  FwSimServer *server;
  GRand       *rand;
  GHashTable  *codes;            /* code → SimCode */
  GHashTable  *refresh_tokens;   /* refresh token → SimRefresh */
};

/* The parameters of an authorization request, from the query (GET) or the
 * login form (POST); the strings belong to the table they came from. */
typedef struct
{
  const char *client_id;
  const char *response_type;
  const char *redirect_uri;
  const char *challenge;
  const char *challenge_method;
  const char *state;
} AuthRequest;

static void
sim_code_free (SimCode *code)
{
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->user_id);
  g_free (code);
}

static void
sim_refresh_free (SimRefresh *refresh)
{
  g_free (refresh->client_id);
  g_free (refresh->user_id);
  g_free (refresh);
}

static char *
random_string (GRand *rand,
               guint  length)
{
  gsize n = strlen (TOKEN_ALPHABET);
  char *s = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    s[i] = TOKEN_ALPHABET[g_rand_int_range (rand, 0, (gint32) n)];
  s[length] = '\0';
  return s;
}

static const char *
lookup_param (GHashTable *table,
              const char *name)
{
  const char *value = table != NULL ? g_hash_table_lookup (table, name) : NULL;

  if (value == NULL || value[0] == '\0' || strlen (value) > MAX_PARAM_LENGTH)
    return NULL;
  return value;
}

/* ---- Answers ---- */

static void
set_html_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *title,
                   const char        *body_html)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  char *page;
  gsize length;

  page = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>%s</title></head>\n"
                          "<body><h1>%s</h1>\n%s\n</body></html>\n",
                          escaped_title, escaped_title, body_html);
  length = strlen (page);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, length);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

static void
set_error_page (SoupServerMessage *msg,
                const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *body = g_strdup_printf ("<p>%s</p>", escaped);

  set_html_response (msg, SOUP_STATUS_BAD_REQUEST, "Sign-in failed", body);
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_builder_get_root (builder);
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

/* The error answer of the token endpoint, in the shape of the client
 * credentials grant's ("error", "description", "error_description"). */
static void
set_oauth_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *error,
                 const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  set_json (msg, status, builder);
}

static void
append_query_param (GString    *uri,
                    const char *name,
                    const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (uri, strchr (uri->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (uri, "%s=%s", name, escaped);
}

/* Sends the browser back to the client; @redirect_uri was checked. */
static void
set_redirect (SoupServerMessage *msg,
              const char        *redirect_uri,
              const char        *code,
              const char        *error,
              const char        *state)
{
  g_autoptr(GString) location = g_string_new (redirect_uri);

  if (code != NULL)
    append_query_param (location, "code", code);
  if (error != NULL)
    append_query_param (location, "error", error);
  if (state != NULL)
    append_query_param (location, "state", state);

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location->str);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

/* ---- The authorization request ---- */

/* RFC 8252 §7.3: a native app's redirect goes to a loopback IP literal (or
 * localhost) over plain http, on any port. */
static gboolean
is_loopback_redirect (const char *redirect_uri)
{
  g_autoptr(GUri) uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "localhost") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0;
}

/* RFC 7636 §4.2: BASE64URL(SHA256(verifier)) has 43 characters; the
 * unreserved alphabet for anything else. */
static gboolean
is_pkce_text (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length < 43 || length > 128)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (text[i]) && strchr ("-._~", text[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
read_request (GHashTable  *params,
              AuthRequest *request)
{
  request->client_id = lookup_param (params, "client_id");
  request->response_type = lookup_param (params, "response_type");
  request->redirect_uri = lookup_param (params, "redirect_uri");
  request->challenge = lookup_param (params, "code_challenge");
  request->challenge_method = lookup_param (params, "code_challenge_method");
  request->state = lookup_param (params, "state");
}

/* An unknown client or a redirect_uri we must not send the browser to gets
 * an error page (RFC 6749 §4.1.2.1); any other fault goes back to the client
 * as an error redirect.  TRUE if the request may go on. */
static gboolean
check_request (SoupServerMessage *msg,
               AuthRequest       *request)
{
  if (request->client_id == NULL || !g_str_equal (request->client_id, FW_SIM_PKCE_CLIENT_ID))
    {
      set_error_page (msg, "Unknown client_id: this login page only serves "
                           FW_SIM_PKCE_CLIENT_ID ".");
      return FALSE;
    }
  if (request->redirect_uri == NULL || !is_loopback_redirect (request->redirect_uri))
    {
      set_error_page (msg, "The redirect_uri is not a loopback address "
                           "(http://127.0.0.1:PORT/… or http://localhost:PORT/…).");
      return FALSE;
    }
  if (g_strcmp0 (request->response_type, "code") != 0)
    {
      set_redirect (msg, request->redirect_uri, NULL, "unsupported_response_type", request->state);
      return FALSE;
    }
  /* A public client must use PKCE, and only S256 is accepted. */
  if (!is_pkce_text (request->challenge) || strlen (request->challenge) != 43 ||
      g_strcmp0 (request->challenge_method, "S256") != 0)
    {
      set_redirect (msg, request->redirect_uri, NULL, "invalid_request", request->state);
      return FALSE;
    }
  return TRUE;
}

static void
append_hidden (GString    *html,
               const char *name,
               const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (html, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                          name, escaped);
}

static void
set_login_form (SoupServerMessage *msg,
                guint              status,
                AuthRequest       *request,
                const char        *problem)
{
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append (html, "<p>Floorwatch simulator: sign in as the demo supervisor.</p>\n");
  if (problem != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (problem, -1);
      g_string_append_printf (html, "<p class=\"error\">%s</p>\n", escaped);
    }
  g_string_append (html, "<form method=\"post\" action=\"/oauth/authorize\">\n");
  append_hidden (html, "client_id", request->client_id);
  append_hidden (html, "response_type", request->response_type);
  append_hidden (html, "redirect_uri", request->redirect_uri);
  append_hidden (html, "code_challenge", request->challenge);
  append_hidden (html, "code_challenge_method", request->challenge_method);
  append_hidden (html, "state", request->state);
  g_string_append (html,
                   "<label>User name <input type=\"text\" name=\"username\" "
                   "value=\"" FW_SIM_DEMO_USER_LOGIN "\"></label>\n"
                   "<label>Password <input type=\"password\" name=\"password\"></label>\n"
                   "<button type=\"submit\" name=\"action\" value=\"sign-in\">Sign in</button>\n"
                   "<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\n"
                   "</form>\n");

  set_html_response (msg, status, "Genesys Cloud (simulated) — Sign in", html->str);
}

static void
grant_code (FwSimOAuth        *self,
            SoupServerMessage *msg,
            AuthRequest       *request)
{
  SimCode *code = g_new0 (SimCode, 1);
  char *value = random_string (self->rand, 32);
  gint64 now_us = g_get_monotonic_time ();
  GHashTableIter iter;
  SimCode *old;

  /* Codes nobody came for do not pile up in a long demo. */
  g_hash_table_iter_init (&iter, self->codes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &old))
    {
      if (now_us >= old->expires_us)
        g_hash_table_iter_remove (&iter);
    }

  code->client_id = g_strdup (request->client_id);
  code->redirect_uri = g_strdup (request->redirect_uri);
  code->challenge = g_strdup (request->challenge);
  code->user_id = g_strdup (FW_SIM_USER_ANA);
  code->expires_us = now_us + CODE_LIFETIME_US;
  g_hash_table_insert (self->codes, value, code);

  g_debug ("Signed in the demo user; redirecting with a code");
  set_redirect (msg, request->redirect_uri, value, NULL, request->state);
}

void
fw_sim_oauth_handle_authorize (FwSimOAuth        *self,
                               SoupServerMessage *msg,
                               GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  AuthRequest request;

  if (g_str_equal (method, SOUP_METHOD_GET))
    {
      read_request (query, &request);
      if (check_request (msg, &request))
        set_login_form (msg, SOUP_STATUS_OK, &request, NULL);
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_POST))
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (text);
      const char *username = lookup_param (form, "username");
      const char *password = lookup_param (form, "password");

      read_request (form, &request);
      if (!check_request (msg, &request))
        return;

      if (g_strcmp0 (lookup_param (form, "action"), "cancel") == 0)
        {
          set_redirect (msg, request.redirect_uri, NULL, "access_denied", request.state);
          return;
        }

      if (g_strcmp0 (username, FW_SIM_DEMO_USER_LOGIN) != 0 ||
          g_strcmp0 (password, FW_SIM_DEMO_USER_PASSWORD) != 0)
        {
          set_login_form (msg, SOUP_STATUS_UNAUTHORIZED, &request,
                          "Wrong user name or password.");
          return;
        }

      grant_code (self, msg, &request);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* ---- The token endpoint ---- */

static char *
compute_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *encoded;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);

  /* base64 → base64url without padding. */
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return encoded;
}

static void
issue_tokens (FwSimOAuth        *self,
              SoupServerMessage *msg,
              const char        *client_id,
              const char        *user_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *access_token;
  SimRefresh *refresh;
  char *refresh_token;
  guint lifetime = 0;

  access_token = _fw_sim_server_issue_token (self->server, client_id, user_id);
  g_object_get (self->server, "token-lifetime", &lifetime, NULL);

  refresh_token = random_string (self->rand, 64);
  refresh = g_new0 (SimRefresh, 1);
  refresh->client_id = g_strdup (client_id);
  refresh->user_id = g_strdup (user_id);
  g_hash_table_insert (self->refresh_tokens, refresh_token, refresh);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, lifetime);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, refresh_token);
  json_builder_end_object (builder);
  set_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_authorization_code (FwSimOAuth        *self,
                           SoupServerMessage *msg,
                           GHashTable        *form)
{
  const char *value = lookup_param (form, "code");
  const char *redirect_uri = lookup_param (form, "redirect_uri");
  const char *verifier = lookup_param (form, "code_verifier");
  g_autofree char *code_key = NULL;
  g_autofree char *challenge = NULL;
  SimCode *code = NULL;

  /* A code is spent by its first exchange, whatever comes of it, so that a
   * verifier cannot be guessed by trying again. */
  if (value == NULL ||
      !g_hash_table_steal_extended (self->codes, value, (gpointer *) &code_key, (gpointer *) &code))
    {
      set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The authorization code is unknown, expired or already used.");
      return;
    }

  if (is_pkce_text (verifier))
    challenge = compute_challenge (verifier);

  if (g_get_monotonic_time () >= code->expires_us)
    set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                     "The authorization code has expired.");
  else if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
    set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                     "The redirect_uri does not match the authorization request.");
  else if (challenge == NULL || !g_str_equal (challenge, code->challenge))
    set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                     "PKCE verification failed: the code_verifier does not match the "
                     "code_challenge.");
  else
    issue_tokens (self, msg, code->client_id, code->user_id);

  sim_code_free (code);
}

static void
handle_refresh_token (FwSimOAuth        *self,
                      SoupServerMessage *msg,
                      GHashTable        *form)
{
  const char *value = lookup_param (form, "refresh_token");
  const char *client_id = lookup_param (form, "client_id");
  g_autofree char *old_key = NULL;
  SimRefresh *refresh = NULL;

  if (value == NULL ||
      !g_hash_table_lookup_extended (self->refresh_tokens, value, NULL, (gpointer *) &refresh))
    {
      set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The refresh token is unknown, revoked or already used.");
      return;
    }
  if (g_strcmp0 (client_id, refresh->client_id) != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The refresh token was issued to another client.");
      return;
    }

  /* Rotation: the old refresh token is spent. */
  g_hash_table_steal_extended (self->refresh_tokens, value, (gpointer *) &old_key, NULL);
  issue_tokens (self, msg, refresh->client_id, refresh->user_id);
  sim_refresh_free (refresh);
}

gboolean
fw_sim_oauth_handle_grant (FwSimOAuth        *self,
                           SoupServerMessage *msg,
                           GHashTable        *form)
{
  const char *grant_type = lookup_param (form, "grant_type");
  const char *client_id = lookup_param (form, "client_id");

  if (g_strcmp0 (grant_type, "authorization_code") != 0 &&
      g_strcmp0 (grant_type, "refresh_token") != 0)
    return FALSE;

  /* A public client authenticates with its id alone; no secret exists. */
  if (g_strcmp0 (client_id, FW_SIM_PKCE_CLIENT_ID) != 0)
    {
      set_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", "authentication failed");
      return TRUE;
    }

  if (g_str_equal (grant_type, "authorization_code"))
    handle_authorization_code (self, msg, form);
  else
    handle_refresh_token (self, msg, form);
  return TRUE;
}

void
fw_sim_oauth_revoke_refresh_tokens (FwSimOAuth *self)
{
  g_hash_table_remove_all (self->refresh_tokens);
}

FwSimOAuth *
fw_sim_oauth_new (FwSimServer *server)
{
  FwSimOAuth *self = g_new0 (FwSimOAuth, 1);

  self->server = server;
  self->rand = g_rand_new ();
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sim_code_free);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) sim_refresh_free);
  return self;
}

void
fw_sim_oauth_free (FwSimOAuth *self)
{
  g_hash_table_unref (self->codes);
  g_hash_table_unref (self->refresh_tokens);
  g_rand_free (self->rand);
  g_free (self);
}
