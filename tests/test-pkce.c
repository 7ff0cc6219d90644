/* test-pkce.c — signing in as a person: authorization code with PKCE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test plays the browser with libsoup: it opens the login page the
 * engine names, fills in the simulator's form, and follows the redirect to
 * the engine's loopback listener.  The keyring tests need a gnome-keyring in
 * a private D-Bus session (build-aux/test-session.sh), as test-credentials
 * does; FW_TEST_ALLOW_NO_KEYRING=1 skips them.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fw-test-util.h"

#define TOPIC_ANA "v2.users." FW_SIM_USER_ANA ".presence"

/* Compare tokens without printing them when the assertion fails. */
#define assert_same(a, b)      g_assert_true (g_strcmp0 ((a), (b)) == 0)
#define assert_different(a, b) g_assert_true (g_strcmp0 ((a), (b)) != 0)

typedef struct
{
  FwSimServer   *sim;
  FwEnvironment *env;
  SoupSession   *soup;       /* the engine's */
  SoupSession   *browser;    /* the test's own, playing the browser */
  guint          n_token_requests;
} Fixture;

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
  char     *location;
  GError   *error;
} Page;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->body, g_free);
  g_clear_pointer (&page->location, g_free);
  g_clear_error (&page->error);
}

static void
request_cb (FwSimServer *sim,
            const char  *method,
            const char  *path,
            guint        status,
            Fixture     *f)
{
  if (g_str_equal (path, "/oauth/token"))
    f->n_token_requests++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sim = fw_test_sim_new ();
  f->env = fw_test_environment_new (f->sim);
  f->soup = soup_session_new ();
  f->browser = soup_session_new ();
  g_signal_connect (f->sim, "request", G_CALLBACK (request_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->sim, f);
  g_clear_object (&f->browser);
  g_clear_object (&f->soup);
  g_clear_object (&f->env);
  g_clear_object (&f->sim);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* ---- The browser ---- */

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Page *page = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &page->error);
  if (body != NULL)
    {
      page->status = soup_message_get_status (msg);
      page->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      page->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Location"));
    }
  page->done = TRUE;
}

/* Loads @uri (POSTing @form if not NULL) without following redirects. */
static void
browse (Fixture    *f,
        const char *uri,
        const char *form,
        Page       *page)
{
  g_autoptr(SoupMessage) msg = NULL;

  page_clear (page);
  page->done = FALSE;
  page->status = 0;

  if (form != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      msg = soup_message_new (SOUP_METHOD_POST, uri);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }
  else
    {
      msg = soup_message_new (SOUP_METHOD_GET, uri);
    }
  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_and_read_async (f->browser, msg, G_PRIORITY_DEFAULT, NULL, page_cb, page);
  FW_TEST_WAIT_UNTIL (page->done, 10000);
}

static char *
html_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&quot;", '"' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&#39;", '\'' },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
        {
          if (g_str_has_prefix (p, entities[i].entity))
            {
              g_string_append_c (out, entities[i].c);
              p += strlen (entities[i].entity);
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* What a browser sends when the person fills in the login form and presses
 * the button named @action. */
static char *
fill_in_login_form (const char *html,
                    const char *password,
                    const char *action)
{
  g_autoptr(GRegex) hidden = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_nonnull (strstr (html, "<form method=\"post\" action=\"/oauth/authorize\">"));

  hidden = g_regex_new ("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">", 0, 0, NULL);
  g_regex_match (hidden, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *value = g_match_info_fetch (match, 2);

      g_hash_table_insert (fields, g_match_info_fetch (match, 1), html_unescape (value));
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (g_hash_table_size (fields), >=, 5);

  g_hash_table_insert (fields, g_strdup ("username"), g_strdup (FW_SIM_DEMO_USER_LOGIN));
  g_hash_table_insert (fields, g_strdup ("password"), g_strdup (password));
  g_hash_table_insert (fields, g_strdup ("action"), g_strdup (action));
  return soup_form_encode_hash (fields);
}

/* Opens @authorize_uri, signs in as the demo user and returns the 302's
 * Location (the redirect to the client). */
static char *
sign_in_on_login_page (Fixture    *f,
                       const char *authorize_uri,
                       const char *action)
{
  g_autofree char *form = NULL;
  g_autofree char *post_uri = NULL;
  Page page = { FALSE };
  char *location;

  browse (f, authorize_uri, NULL, &page);
  g_assert_no_error (page.error);
  g_assert_cmpuint (page.status, ==, 200);

  form = fill_in_login_form (page.body, FW_SIM_DEMO_USER_PASSWORD, action);
  post_uri = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/authorize", NULL);
  browse (f, post_uri, form, &page);
  g_assert_no_error (page.error);
  g_assert_cmpuint (page.status, ==, 302);
  g_assert_nonnull (page.location);

  location = g_steal_pointer (&page.location);
  page_clear (&page);
  return location;
}

/* ---- The engine's sign-in ---- */

typedef struct
{
  FwPkceLogin  *login;
  GCancellable *cancellable;
  Wait          wait;
  FwUserTokens *tokens;
  GError       *error;
  Page          page;       /* what the browser showed at the end */
} SignIn;

static void
sign_in_clear (SignIn *s)
{
  /* A sign-in still waiting for the browser is cancelled, not leaked. */
  if (s->login != NULL && s->wait.result == NULL)
    {
      g_cancellable_cancel (s->cancellable);
      FW_TEST_WAIT_UNTIL (s->wait.result != NULL, 5000);
    }
  g_clear_object (&s->cancellable);
  g_clear_object (&s->wait.result);
  g_clear_object (&s->login);
  g_clear_object (&s->tokens);
  g_clear_error (&s->error);
  page_clear (&s->page);
}

static void
sign_in_start (Fixture    *f,
               SignIn     *s,
               const char *client_id)
{
  s->login = fw_pkce_login_new (f->soup, f->env, client_id);
  s->cancellable = g_cancellable_new ();
  fw_pkce_login_sign_in_async (s->login, s->cancellable, done_cb, &s->wait);
  g_assert_nonnull (fw_pkce_login_get_authorize_uri (s->login));
}

static void
sign_in_wait (SignIn *s)
{
  FW_TEST_WAIT_UNTIL (s->wait.result != NULL, 10000);
  s->tokens = fw_pkce_login_sign_in_finish (s->login, s->wait.result, &s->error);
}

/* A whole sign-in, the browser steps played here; @tamper_state changes the
 * state the browser brings back to the engine. */
static void
sign_in (Fixture    *f,
         SignIn     *s,
         gboolean    tamper_state)
{
  g_autofree char *location = NULL;

  sign_in_start (f, s, FW_SIM_PKCE_CLIENT_ID);
  location = sign_in_on_login_page (f, fw_pkce_login_get_authorize_uri (s->login), "sign-in");

  /* The simulator sends the browser to the engine's listener, nowhere else. */
  g_assert_true (g_str_has_prefix (location, fw_pkce_login_get_redirect_uri (s->login)));

  if (tamper_state)
    {
      g_autoptr(GRegex) state = g_regex_new ("state=[^&]*", 0, 0, NULL);
      char *forged = g_regex_replace_literal (state, location, -1, 0, "state=forged-by-a-test",
                                              0, NULL);

      g_assert_cmpstr (forged, !=, location);
      g_free (location);
      location = forged;
    }

  browse (f, location, NULL, &s->page);
  g_assert_no_error (s->page.error);
  sign_in_wait (s);
}

static void
test_verifier_format (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char *verifier = fw_pkce_generate_verifier (&error);
      gsize length;

      g_assert_no_error (error);
      g_assert_nonnull (verifier);
      length = strlen (verifier);

      /* RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
      g_assert_cmpuint (length, >=, 43);
      g_assert_cmpuint (length, <=, 128);
      for (gsize j = 0; j < length; j++)
        g_assert_true (g_ascii_isalnum (verifier[j]) || strchr ("-._~", verifier[j]) != NULL);

      /* 256 random bits: a repeat means a broken generator. */
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_hash_table_add (seen, verifier);
    }
}

static void
test_s256_known_answer (void)
{
  /* RFC 7636 appendix B. */
  g_autofree char *challenge =
    fw_pkce_compute_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_authorize_uri (Fixture       *f,
                    gconstpointer  data)
{
  SignIn s = { NULL };
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GUri) redirect = NULL;
  const char *challenge;
  const char *state;

  sign_in_start (f, &s, FW_SIM_PKCE_CLIENT_ID);

  uri = g_uri_parse (fw_pkce_login_get_authorize_uri (s.login), G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  g_assert_true (g_str_has_prefix (fw_pkce_login_get_authorize_uri (s.login),
                                   fw_environment_get_login_base (f->env)));
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/oauth/authorize");

  params = soup_form_decode (g_uri_get_query (uri));
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, FW_SIM_PKCE_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==,
                   fw_pkce_login_get_redirect_uri (s.login));
  challenge = g_hash_table_lookup (params, "code_challenge");
  g_assert_cmpuint (strlen (challenge), ==, 43);
  state = g_hash_table_lookup (params, "state");
  g_assert_cmpuint (strlen (state), >=, 22);
  /* No secret of any kind travels to the browser. */
  g_assert_false (g_hash_table_contains (params, "client_secret"));
  g_assert_false (g_hash_table_contains (params, "code_verifier"));

  /* The redirect comes to a loopback listener on an ephemeral port. */
  redirect = g_uri_parse (fw_pkce_login_get_redirect_uri (s.login), G_URI_FLAGS_NONE, NULL);
  g_assert_cmpstr (g_uri_get_scheme (redirect), ==, "http");
  g_assert_cmpstr (g_uri_get_host (redirect), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (redirect), >, 0);
  g_assert_cmpstr (g_uri_get_path (redirect), ==, "/callback");

  /* A second sign-in on the same object waits its turn. */
  {
    Wait second = { NULL };
    g_autoptr(GError) error = NULL;

    fw_pkce_login_sign_in_async (s.login, NULL, done_cb, &second);
    FW_TEST_WAIT_UNTIL (second.result != NULL, 5000);
    g_assert_null (fw_pkce_login_sign_in_finish (s.login, second.result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
    g_object_unref (second.result);
  }

  /* Nothing was exchanged before the browser came back. */
  g_assert_cmpuint (f->n_token_requests, ==, 0);

  sign_in_clear (&s);
}

static gboolean
state_is (FwSession      *session,
          FwSessionState  state)
{
  return fw_session_get_state (session) == state;
}

static void
notification_cb (FwSession      *session,
                 FwNotification *notification,
                 guint          *count)
{
  (*count)++;
}

static JsonNode *
call (FwApi      *api,
      const char *method,
      const char *path,
      GError    **error)
{
  Wait wait = { NULL };
  JsonNode *node;

  fw_api_call_async (api, method, path, NULL, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  node = fw_api_call_finish (api, wait.result, error);
  g_object_unref (wait.result);
  return node;
}

static guint
count_channels (FwApi *api)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = call (api, "GET", "/api/v2/notifications/channels", &error);

  g_assert_no_error (error);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (node),
                                                              "entities"));
}

static void
test_sign_in_live (Fixture       *f,
                   gconstpointer  data)
{
  SignIn s = { NULL };
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwApi) api = NULL;
  g_autoptr(FwApi) client_api = NULL;
  g_autoptr(FwSession) session = NULL;
  const char *topics[] = { TOPIC_ANA, NULL };
  guint n_received = 0;

  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);
  g_assert_nonnull (s.tokens);
  g_assert_nonnull (fw_user_tokens_get_access_token (s.tokens));
  g_assert_nonnull (fw_user_tokens_get_refresh_token (s.tokens));
  g_assert_cmpint (fw_user_tokens_get_expires_at (s.tokens), >, g_get_real_time ());

  /* The browser was told the truth, and that it may close the tab. */
  g_assert_cmpuint (s.page.status, ==, 200);
  g_assert_nonnull (strstr (s.page.body, "close this tab"));
  /* One code exchange. */
  g_assert_cmpuint (f->n_token_requests, ==, 1);

  tokens = fw_token_source_new_for_user (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID, s.tokens);
  g_assert_cmpint (fw_token_source_get_grant (tokens), ==, FW_TOKEN_GRANT_REFRESH_TOKEN);
  api = fw_api_new (f->soup, tokens);
  session = fw_session_new (api);
  g_signal_connect (session, "notification", G_CALLBACK (notification_cb), &n_received);
  fw_session_set_topics (session, topics);
  fw_session_start (session);
  FW_TEST_WAIT_UNTIL (state_is (session, FW_SESSION_STATE_LIVE), 10000);

  /* The feed is live: an event of Ana's arrives. */
  g_assert_true (fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "BREAK"));
  FW_TEST_WAIT_UNTIL (n_received > 0, 5000);

  /* The person's token was used, not a new grant: the only token request
   * is still the code exchange. */
  g_assert_cmpuint (f->n_token_requests, ==, 1);

  /* The channel belongs to the person: her token lists it, the OAuth
   * client's own token does not. */
  g_assert_cmpuint (count_channels (api), ==, 1);
  client_api = fw_test_api_new (f->sim, NULL);
  g_assert_cmpuint (count_channels (client_api), ==, 0);

  fw_session_stop (session);
  sign_in_clear (&s);
}

static void
test_wrong_state (Fixture       *f,
                  gconstpointer  data)
{
  SignIn s = { NULL };

  sign_in (f, &s, TRUE);

  g_assert_null (s.tokens);
  g_assert_error (s.error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_STATE_MISMATCH);
  /* The page says so, and the code was never exchanged. */
  g_assert_cmpuint (s.page.status, ==, 400);
  g_assert_nonnull (strstr (s.page.body, "refused"));
  g_assert_cmpuint (f->n_token_requests, ==, 0);

  sign_in_clear (&s);
}

static void
test_cancel_on_login_page (Fixture       *f,
                           gconstpointer  data)
{
  SignIn s = { NULL };
  g_autofree char *location = NULL;

  sign_in_start (f, &s, FW_SIM_PKCE_CLIENT_ID);
  location = sign_in_on_login_page (f, fw_pkce_login_get_authorize_uri (s.login), "cancel");
  g_assert_nonnull (strstr (location, "error=access_denied"));

  browse (f, location, NULL, &s.page);
  sign_in_wait (&s);
  g_assert_error (s.error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_DENIED);
  g_assert_cmpuint (f->n_token_requests, ==, 0);

  sign_in_clear (&s);
}

static void
test_unknown_client (Fixture       *f,
                     gconstpointer  data)
{
  SignIn s = { NULL };
  Page page = { FALSE };

  /* The confidential client is not a sign-in client: the login page says
   * so and never redirects. */
  sign_in_start (f, &s, FW_SIM_DEFAULT_CLIENT_ID);
  browse (f, fw_pkce_login_get_authorize_uri (s.login), NULL, &page);
  g_assert_cmpuint (page.status, ==, 400);
  g_assert_null (page.location);

  page_clear (&page);
  sign_in_clear (&s);
}

static void
test_cancel_and_timeout (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FwPkceLogin) login = fw_pkce_login_new (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect_uri = NULL;
  Wait wait = { NULL };
  Page page = { FALSE };

  fw_pkce_login_sign_in_async (login, cancellable, done_cb, &wait);
  redirect_uri = g_strdup (fw_pkce_login_get_redirect_uri (login));
  g_cancellable_cancel (cancellable);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 5000);
  g_assert_null (fw_pkce_login_sign_in_finish (login, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  /* The listener is gone with the sign-in. */
  browse (f, redirect_uri, NULL, &page);
  g_assert_nonnull (page.error);
  page_clear (&page);

  /* Nobody comes back in time. */
  g_object_set (login, "timeout", 300, NULL);
  fw_pkce_login_sign_in_async (login, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 5000);
  g_assert_null (fw_pkce_login_sign_in_finish (login, wait.result, &error));
  g_assert_error (error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_TIMED_OUT);
  g_clear_object (&wait.result);
}

/* ---- The simulator's side, with a hand-made client ---- */

typedef struct
{
  guint  status;
  char  *error;
  char  *access_token;
  char  *refresh_token;
} Grant;

static void
grant_clear (Grant *grant)
{
  g_clear_pointer (&grant->error, g_free);
  g_clear_pointer (&grant->access_token, g_free);
  g_clear_pointer (&grant->refresh_token, g_free);
}

static void
post_token (Fixture    *f,
            const char *form,
            Grant      *grant)
{
  g_autofree char *uri = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/token", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  Page page = { FALSE };
  JsonObject *object;

  grant_clear (grant);
  browse (f, uri, form, &page);
  g_assert_no_error (page.error);
  grant->status = page.status;
  g_assert_true (json_parser_load_from_data (parser, page.body, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  grant->error = g_strdup (json_object_get_string_member_with_default (object, "error", NULL));
  grant->access_token = g_strdup (json_object_get_string_member_with_default (object, "access_token", NULL));
  grant->refresh_token = g_strdup (json_object_get_string_member_with_default (object, "refresh_token", NULL));
  page_clear (&page);
}

#define TEST_REDIRECT   "http://127.0.0.1:9/callback"
#define RFC_VERIFIER    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

/* A code for the RFC 7636 verifier, issued to TEST_REDIRECT. */
static char *
get_code (Fixture *f)
{
  g_autofree char *query = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *location = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;

  query = soup_form_encode ("client_id", FW_SIM_PKCE_CLIENT_ID, "response_type", "code",
                            "redirect_uri", TEST_REDIRECT, "code_challenge", RFC_CHALLENGE,
                            "code_challenge_method", "S256", "state", "s-1", NULL);
  authorize = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/authorize?", query, NULL);
  location = sign_in_on_login_page (f, authorize, "sign-in");

  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  params = soup_form_decode (g_uri_get_query (uri));
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "s-1");
  return g_strdup (g_hash_table_lookup (params, "code"));
}

static char *
code_form (const char *code,
           const char *verifier)
{
  return soup_form_encode ("grant_type", "authorization_code", "code", code,
                           "redirect_uri", TEST_REDIRECT, "client_id", FW_SIM_PKCE_CLIENT_ID,
                           "code_verifier", verifier, NULL);
}

static void
test_sim_wrong_verifier (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *code = get_code (f);
  g_autofree char *wrong = code_form (code, "a-verifier-of-the-right-shape-but-not-the-one-0123");
  g_autofree char *right = code_form (code, RFC_VERIFIER);
  Grant grant = { 0 };

  post_token (f, wrong, &grant);
  g_assert_cmpuint (grant.status, ==, 400);
  g_assert_cmpstr (grant.error, ==, "invalid_grant");
  g_assert_null (grant.access_token);

  /* The failed attempt spent the code: no second guess. */
  post_token (f, right, &grant);
  g_assert_cmpuint (grant.status, ==, 400);
  g_assert_cmpstr (grant.error, ==, "invalid_grant");

  grant_clear (&grant);
}

static void
test_sim_reused_code (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *code = get_code (f);
  g_autofree char *form = code_form (code, RFC_VERIFIER);
  Grant grant = { 0 };

  post_token (f, form, &grant);
  g_assert_cmpuint (grant.status, ==, 200);
  g_assert_nonnull (grant.access_token);
  g_assert_nonnull (grant.refresh_token);

  post_token (f, form, &grant);
  g_assert_cmpuint (grant.status, ==, 400);
  g_assert_cmpstr (grant.error, ==, "invalid_grant");
  g_assert_null (grant.access_token);

  grant_clear (&grant);
}

static void
test_sim_redirect_checks (Fixture       *f,
                          gconstpointer  data)
{
  static const char *bad[] = {
    "https://attacker.example/callback",
    "http://192.0.2.1:8080/callback",
    "http://127.0.0.1.attacker.example/callback",
  };
  g_autofree char *code = NULL;
  g_autofree char *form = NULL;
  Grant grant = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *query = NULL;
      g_autofree char *uri = NULL;
      Page page = { FALSE };

      query = soup_form_encode ("client_id", FW_SIM_PKCE_CLIENT_ID, "response_type", "code",
                                "redirect_uri", bad[i], "code_challenge", RFC_CHALLENGE,
                                "code_challenge_method", "S256", "state", "x", NULL);
      uri = g_strconcat (fw_sim_server_get_url (f->sim), "/oauth/authorize?", query, NULL);
      browse (f, uri, NULL, &page);
      g_assert_cmpuint (page.status, ==, 400);
      g_assert_null (page.location);
      page_clear (&page);
    }

  /* The exchange must name the redirect_uri the code was issued for. */
  code = get_code (f);
  form = soup_form_encode ("grant_type", "authorization_code", "code", code,
                           "redirect_uri", "http://127.0.0.1:10/callback",
                           "client_id", FW_SIM_PKCE_CLIENT_ID, "code_verifier", RFC_VERIFIER,
                           NULL);
  post_token (f, form, &grant);
  g_assert_cmpuint (grant.status, ==, 400);
  g_assert_cmpstr (grant.error, ==, "invalid_grant");
  grant_clear (&grant);
}

/* ---- Renewal ---- */

static void
tokens_changed_cb (FwTokenSource  *source,
                   FwUserTokens   *tokens,
                   GPtrArray      *seen)
{
  g_ptr_array_add (seen, g_object_ref (tokens));
}

static char *
get_token (FwTokenSource  *tokens,
           GError        **error)
{
  Wait wait = { NULL };
  char *token;

  fw_token_source_get_token_async (tokens, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  token = fw_token_source_get_token_finish (tokens, wait.result, error);
  g_object_unref (wait.result);
  return token;
}

static void
test_refresh_ahead_of_expiry (Fixture       *f,
                              gconstpointer  data)
{
  SignIn s = { NULL };
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(FwApi) api = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *old_refresh = NULL;
  g_autofree char *replay = NULL;
  FwUserTokens *renewed;
  Grant grant = { 0 };

  g_object_set (f->sim, "token-lifetime", 4, NULL);
  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);
  old_refresh = g_strdup (fw_user_tokens_get_refresh_token (s.tokens));

  tokens = fw_token_source_new_for_user (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID, s.tokens);
  g_signal_connect (tokens, "user-tokens-changed", G_CALLBACK (tokens_changed_cb), seen);
  first = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_same (first, fw_user_tokens_get_access_token (s.tokens));

  /* Renewed silently, before the 4 s token ran out. */
  FW_TEST_WAIT_UNTIL (seen->len >= 1, 8000);
  renewed = g_ptr_array_index (seen, 0);
  g_assert_cmpint (g_get_real_time (), <, fw_user_tokens_get_expires_at (s.tokens));
  second = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_different (second, first);
  assert_same (second, fw_user_tokens_get_access_token (renewed));
  g_assert_false (fw_token_source_get_sign_in_needed (tokens));

  /* The refresh token rotated, and the spent one is refused. */
  g_assert_nonnull (fw_user_tokens_get_refresh_token (renewed));
  assert_different (fw_user_tokens_get_refresh_token (renewed), old_refresh);
  replay = soup_form_encode ("grant_type", "refresh_token", "refresh_token", old_refresh,
                             "client_id", FW_SIM_PKCE_CLIENT_ID, NULL);
  post_token (f, replay, &grant);
  g_assert_cmpstr (grant.error, ==, "invalid_grant");
  grant_clear (&grant);

  /* The new token works for REST. */
  api = fw_api_new (f->soup, tokens);
  g_assert_cmpuint (count_channels (api), ==, 0);

  sign_in_clear (&s);
}

static void
test_refresh_rejected (Fixture       *f,
                       gconstpointer  data)
{
  SignIn s = { NULL };
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;

  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);
  tokens = fw_token_source_new_for_user (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID, s.tokens);
  token = get_token (tokens, &error);
  g_assert_no_error (error);

  /* The org revokes the person's tokens; a 401 makes the API invalidate. */
  fw_sim_server_revoke_tokens (f->sim);
  fw_token_source_invalidate (tokens, token);
  again = get_token (tokens, &error);
  g_assert_null (again);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_assert_true (fw_token_source_get_rejected (tokens));
  g_assert_true (fw_token_source_get_sign_in_needed (tokens));
  g_assert_null (fw_token_source_dup_user_tokens (tokens));
  g_clear_error (&error);

  /* Signing in again brings the same token source back. */
  sign_in_clear (&s);
  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);
  fw_token_source_set_user_tokens (tokens, s.tokens);
  g_assert_false (fw_token_source_get_rejected (tokens));
  g_assert_false (fw_token_source_get_sign_in_needed (tokens));
  g_clear_pointer (&again, g_free);
  again = get_token (tokens, &error);
  g_assert_no_error (error);
  assert_same (again, fw_user_tokens_get_access_token (s.tokens));

  sign_in_clear (&s);
}

static void
test_no_refresh_token (Fixture       *f,
                       gconstpointer  data)
{
  SignIn s = { NULL };
  g_autoptr(FwUserTokens) access_only = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint requests_before;

  /* A login server that gives no refresh token: the sign-in cannot be
   * renewed, so the person is asked to sign in again before it runs out. */
  g_object_set (f->sim, "token-lifetime", 3, NULL);
  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);
  access_only = fw_user_tokens_new (fw_user_tokens_get_access_token (s.tokens), NULL,
                                    fw_user_tokens_get_obtained_at (s.tokens),
                                    fw_user_tokens_get_expires_at (s.tokens));
  requests_before = f->n_token_requests;

  tokens = fw_token_source_new_for_user (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID, access_only);
  g_assert_cmpint (fw_token_source_get_grant (tokens), ==, FW_TOKEN_GRANT_NONE);
  token = get_token (tokens, &error);
  g_assert_no_error (error);
  g_assert_false (fw_token_source_get_sign_in_needed (tokens));

  FW_TEST_WAIT_UNTIL (fw_token_source_get_sign_in_needed (tokens), 5000);
  /* Asked ahead: the token is still good when the question comes. */
  g_assert_cmpint (g_get_real_time (), <, fw_user_tokens_get_expires_at (access_only));
  g_assert_false (fw_token_source_get_rejected (tokens));

  /* Once it has run out, the source says "sign in again" without asking
   * the server for anything. */
  FW_TEST_WAIT_UNTIL (g_get_real_time () >= fw_user_tokens_get_expires_at (access_only), 5000);
  g_clear_pointer (&token, g_free);
  token = get_token (tokens, &error);
  g_assert_null (token);
  g_assert_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED);
  g_assert_true (fw_token_source_get_rejected (tokens));
  g_assert_cmpuint (f->n_token_requests, ==, requests_before);

  sign_in_clear (&s);
}

/* ---- The keyring ---- */

static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  FwUserTokens *tokens;

  fw_credentials_lookup_user_tokens_async ("mypurecloud.ie", "probe-client", NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  tokens = fw_credentials_lookup_user_tokens_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_clear_object (&tokens);

  if (error == NULL)
    return TRUE;

  if (g_getenv ("FW_TEST_ALLOW_NO_KEYRING") != NULL)
    {
      g_test_skip_printf ("No usable secret service: %s", error->message);
      return FALSE;
    }

  g_test_fail_printf ("No usable secret service (%s). Run this test inside dbus-run-session "
                      "with an unlocked gnome-keyring-daemon (build-aux/test-session.sh), or "
                      "set FW_TEST_ALLOW_NO_KEYRING=1 to skip it.", error->message);
  return FALSE;
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    {
      if (memcmp (haystack + i, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* TRUE if @needle is in any file under @dir (a throw-away test home). */
static gboolean
found_in_files (const char *dir,
                const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (found_in_files (path, needle))
            return TRUE;
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (path, &contents, &length, NULL) &&
              contains_bytes (contents, length, needle))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
found_in_settings (const char *needle)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) keys = NULL;

  schema = source ? g_settings_schema_source_lookup (source, "io.github.floorwatch.Floorwatch",
                                                     TRUE)
                  : NULL;
  if (schema == NULL)
    return FALSE;

  settings = g_settings_new_full (schema, NULL, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_keyring (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *client_id = g_strdup_printf ("pkce-test-%08x", g_random_int ());
  const char *environment = fw_environment_get_name (f->env);
  const char *home = g_get_home_dir ();
  SignIn s = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwUserTokens) back = NULL;
  Wait wait = { NULL };
  char *secret;

  if (!keyring_available ())
    return;

  sign_in (f, &s, FALSE);
  g_assert_no_error (s.error);

  fw_credentials_store_user_tokens_async (environment, client_id, s.tokens, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_true (fw_credentials_store_user_tokens_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  fw_credentials_lookup_user_tokens_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  back = fw_credentials_lookup_user_tokens_finish (wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_nonnull (back);
  assert_same (fw_user_tokens_get_access_token (back), fw_user_tokens_get_access_token (s.tokens));
  assert_same (fw_user_tokens_get_refresh_token (back), fw_user_tokens_get_refresh_token (s.tokens));
  g_assert_cmpint (fw_user_tokens_get_expires_at (back), ==, fw_user_tokens_get_expires_at (s.tokens));
  g_assert_cmpint (fw_user_tokens_get_obtained_at (back), ==, fw_user_tokens_get_obtained_at (s.tokens));

  /* A separate schema: the client-secret lookup for the same names finds nothing. */
  fw_credentials_lookup_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  secret = fw_credentials_lookup_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_clear_object (&wait.result);

  /* Nowhere else: not in GSettings, not in any file of the (throw-away) home. */
  g_assert_false (found_in_settings (fw_user_tokens_get_refresh_token (s.tokens)));
  g_assert_false (found_in_settings (fw_user_tokens_get_access_token (s.tokens)));
  if (strstr (home, "floorwatch-test-home") != NULL)
    {
      g_assert_false (found_in_files (home, fw_user_tokens_get_refresh_token (s.tokens)));
      g_assert_false (found_in_files (home, fw_user_tokens_get_access_token (s.tokens)));
    }
  else
    {
      g_test_message ("HOME is not a throw-away test home; files not searched");
    }

  /* A token source built from what the keyring gave back works. */
  {
    g_autoptr(FwTokenSource) tokens = NULL;
    g_autofree char *token = NULL;

    tokens = fw_token_source_new_for_user (f->soup, f->env, FW_SIM_PKCE_CLIENT_ID, back);
    token = get_token (tokens, &error);
    g_assert_no_error (error);
    assert_same (token, fw_user_tokens_get_access_token (s.tokens));
  }

  /* Signing out. */
  fw_credentials_clear_user_tokens_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_true (fw_credentials_clear_user_tokens_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  g_clear_object (&back);
  fw_credentials_lookup_user_tokens_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  back = fw_credentials_lookup_user_tokens_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_null (back);
  g_clear_object (&wait.result);

  /* Signing out twice: nothing left to remove, and no error. */
  fw_credentials_clear_user_tokens_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_false (fw_credentials_clear_user_tokens_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  sign_in_clear (&s);
}

/* ---- floorwatch-cli login --browser, watch --user, logout ---- */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *err;
  GString          *err_text;
  GString          *out_text;
  gboolean          err_done;
  gboolean          out_done;
  gboolean          exited;
} Cli;

static void
cli_child_setup (gpointer user_data)
{
  /* If this test dies, so does the CLI it started. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void read_err_line (Cli *cli);

static void
err_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *cli = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                      result, NULL, NULL);

  if (line == NULL)
    {
      cli->err_done = TRUE;
      return;
    }
  g_string_append_printf (cli->err_text, "%s\n", line);
  read_err_line (cli);
}

static void
read_err_line (Cli *cli)
{
  g_data_input_stream_read_line_async (cli->err, G_PRIORITY_DEFAULT, NULL, err_line_cb, cli);
}

static void
out_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      cli->out_done = TRUE;
      return;
    }
  g_string_append_len (cli->out_text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 4096, G_PRIORITY_DEFAULT, NULL,
                                   out_cb, cli);
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  cli->exited = TRUE;
}

static Cli *
cli_start (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("FW_CLI");
  Cli *cli = g_new0 (Cli, 1);

  g_assert_nonnull (path);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "GENESYSCLOUD_OAUTHCLIENT_SECRET");
  g_subprocess_launcher_set_child_setup (launcher, cli_child_setup, NULL, NULL);

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  cli->err_text = g_string_new (NULL);
  cli->out_text = g_string_new (NULL);
  cli->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (cli->process));
  read_err_line (cli);
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (cli->process), 4096,
                                   G_PRIORITY_DEFAULT, NULL, out_cb, cli);
  g_subprocess_wait_async (cli->process, NULL, exited_cb, cli);
  return cli;
}

/* Waits for the end and returns the exit status. */
static int
cli_finish (Cli *cli)
{
  FW_TEST_WAIT_UNTIL (cli->exited && cli->err_done && cli->out_done, 20000);
  g_test_message ("stderr: %s", cli->err_text->str);
  g_assert_true (g_subprocess_get_if_exited (cli->process));
  return g_subprocess_get_exit_status (cli->process);
}

static void
cli_free (Cli *cli)
{
  g_clear_object (&cli->err);
  g_clear_object (&cli->process);
  g_string_free (cli->err_text, TRUE);
  g_string_free (cli->out_text, TRUE);
  g_free (cli);
}

static FwUserTokens *
keyring_user_tokens (Fixture    *f,
                     const char *client_id)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  FwUserTokens *tokens;

  fw_credentials_lookup_user_tokens_async (fw_environment_get_name (f->env), client_id, NULL,
                                           done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  tokens = fw_credentials_lookup_user_tokens_finish (wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return tokens;
}

static gboolean
watching (FwSimServer *sim,
          const char  *topic)
{
  g_auto(GStrv) ids = fw_sim_server_dup_channel_ids (sim);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_auto(GStrv) topics = fw_sim_server_dup_subscriptions (sim, ids[i]);

      if (topics != NULL && g_strv_contains ((const char * const *) topics, topic))
        return fw_sim_server_get_n_open_sockets (sim) > 0;
    }
  return FALSE;
}

static void
test_cli_login_browser (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *env_option = g_strconcat ("--environment=", fw_sim_server_get_url (f->sim), NULL);
  const char *login_args[] = { "login", "--browser", "--no-open", env_option,
                               "--client-id=" FW_SIM_PKCE_CLIENT_ID, NULL };
  const char *watch_args[] = { "watch", "--user", env_option, "--client-id=" FW_SIM_PKCE_CLIENT_ID,
                               "--max-events=1", "--duration=20", TOPIC_ANA, NULL };
  const char *logout_args[] = { "logout", env_option, "--client-id=" FW_SIM_PKCE_CLIENT_ID, NULL };
  g_autoptr(GRegex) url_regex = g_regex_new ("(http://127\\.0\\.0\\.1:[0-9]+/oauth/authorize\\?[^ \n]+)",
                                             0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(FwUserTokens) stored = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *location = NULL;
  Page page = { FALSE };
  Cli *cli;

  if (!keyring_available ())
    return;

  /* login --browser prints where to sign in, on stderr. */
  cli = cli_start (login_args);
  FW_TEST_WAIT_UNTIL (g_regex_match (url_regex, cli->err_text->str, 0, NULL) || cli->exited, 10000);
  g_assert_true (g_regex_match (url_regex, cli->err_text->str, 0, &match));
  authorize = g_match_info_fetch (match, 1);

  location = sign_in_on_login_page (f, authorize, "sign-in");
  browse (f, location, NULL, &page);
  g_assert_cmpuint (page.status, ==, 200);
  page_clear (&page);

  g_assert_cmpint (cli_finish (cli), ==, 0);
  g_assert_nonnull (strstr (cli->err_text->str, "signed in"));
  cli_free (cli);

  /* The tokens are in the keyring, and no token was printed. */
  stored = keyring_user_tokens (f, FW_SIM_PKCE_CLIENT_ID);
  g_assert_nonnull (stored);
  g_assert_nonnull (fw_user_tokens_get_refresh_token (stored));

  /* watch --user watches as her. */
  cli = cli_start (watch_args);
  FW_TEST_WAIT_UNTIL (watching (f->sim, TOPIC_ANA) || cli->exited, 10000);
  g_assert_true (fw_sim_server_set_user_presence (f->sim, FW_SIM_USER_ANA, "BREAK"));
  g_assert_cmpint (cli_finish (cli), ==, 0);
  g_assert_nonnull (strstr (cli->out_text->str, TOPIC_ANA));
  g_assert_null (strstr (cli->err_text->str, fw_user_tokens_get_access_token (stored)));
  g_assert_null (strstr (cli->out_text->str, fw_user_tokens_get_access_token (stored)));
  cli_free (cli);

  /* logout signs her out. */
  cli = cli_start (logout_args);
  g_assert_cmpint (cli_finish (cli), ==, 0);
  g_assert_nonnull (strstr (cli->err_text->str, "removed the sign-in"));
  cli_free (cli);
  g_clear_object (&stored);
  stored = keyring_user_tokens (f, FW_SIM_PKCE_CLIENT_ID);
  g_assert_null (stored);
}

static void
test_serialized_form (void)
{
  g_autoptr(FwUserTokens) tokens = fw_user_tokens_new ("access-1", "refresh-1", 1000, 2000);
  g_autoptr(FwUserTokens) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = fw_user_tokens_serialize (tokens);
  static const char *bad[] = {
    "", "[]", "{}", "{\"version\":2,\"refresh_token\":\"r\"}",
    "{\"version\":1}", "{\"version\":1,\"access_token\":\"a b\",\"obtained_at\":1,\"expires_at\":2}",
    "{\"version\":1,\"access_token\":\"a\"}", "{\"version\":1,\"refresh_token\":7}",
  };

  back = fw_user_tokens_new_from_serialized (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fw_user_tokens_get_access_token (back), ==, "access-1");
  g_assert_cmpstr (fw_user_tokens_get_refresh_token (back), ==, "refresh-1");
  g_assert_cmpint (fw_user_tokens_get_obtained_at (back), ==, 1000);
  g_assert_cmpint (fw_user_tokens_get_expires_at (back), ==, 2000);

  /* A damaged entry is an error that says what to do, never a crash. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(FwUserTokens) none = fw_user_tokens_new_from_serialized (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
}

static void
test_token_answers (void)
{
  static const char *bad[] = {
    "", "null", "[]", "\"text\"", "{", "{}",
    "{\"access_token\":\"a\",\"token_type\":\"bearer\"}",
    "{\"access_token\":\"a\",\"expires_in\":0}",
    "{\"access_token\":\"a\",\"expires_in\":-5}",
    "{\"access_token\":\"a\",\"expires_in\":\"60\"}",
    "{\"access_token\":\"a b\",\"expires_in\":60}",
    "{\"access_token\":7,\"expires_in\":60}",
    "{\"access_token\":\"\",\"expires_in\":60}",
    "{\"access_token\":\"a\",\"expires_in\":60,\"token_type\":\"mac\"}",
    "{\"access_token\":\"a\",\"expires_in\":60,\"refresh_token\":{}}",
    "{\"access_token\":\"a\",\"expires_in\":60,\"refresh_token\":\"r\\n\"}",
  };
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) no_refresh = NULL;
  g_autoptr(FwUserTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  const char *good_text = "{\"access_token\":\"acc\",\"token_type\":\"Bearer\","
                          "\"expires_in\":300,\"refresh_token\":\"ref\"}";
  const char *no_refresh_text = "{\"access_token\":\"acc\",\"expires_in\":99999999999}";

  good = g_bytes_new_static (good_text, strlen (good_text));
  tokens = fw_user_tokens_new_from_response (good, 1000000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fw_user_tokens_get_access_token (tokens), ==, "acc");
  g_assert_cmpstr (fw_user_tokens_get_refresh_token (tokens), ==, "ref");
  g_assert_cmpint (fw_user_tokens_get_obtained_at (tokens), ==, 1000000);
  g_assert_cmpint (fw_user_tokens_get_expires_at (tokens), ==, 1000000 + 300 * G_USEC_PER_SEC);
  g_clear_object (&tokens);

  /* No refresh token is fine; an absurd lifetime is capped at ten days. */
  no_refresh = g_bytes_new_static (no_refresh_text, strlen (no_refresh_text));
  tokens = fw_user_tokens_new_from_response (no_refresh, 0, &error);
  g_assert_no_error (error);
  g_assert_null (fw_user_tokens_get_refresh_token (tokens));
  g_assert_cmpint (fw_user_tokens_get_expires_at (tokens), ==, (gint64) 10 * 24 * 3600 * G_USEC_PER_SEC);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(FwUserTokens) none = fw_user_tokens_new_from_response (body, 0, &error);

      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/engine/pkce/verifier-format", test_verifier_format);
  g_test_add_func ("/engine/pkce/s256-known-answer", test_s256_known_answer);
  g_test_add_func ("/engine/pkce/serialized-form", test_serialized_form);
  g_test_add_func ("/engine/pkce/token-answers", test_token_answers);
  ADD ("/engine/pkce/authorize-uri", test_authorize_uri);
  ADD ("/engine/pkce/sign-in-live", test_sign_in_live);
  ADD ("/engine/pkce/wrong-state", test_wrong_state);
  ADD ("/engine/pkce/cancel-on-login-page", test_cancel_on_login_page);
  ADD ("/engine/pkce/unknown-client", test_unknown_client);
  ADD ("/engine/pkce/cancel-and-timeout", test_cancel_and_timeout);
  ADD ("/engine/pkce/refresh-ahead-of-expiry", test_refresh_ahead_of_expiry);
  ADD ("/engine/pkce/refresh-rejected", test_refresh_rejected);
  ADD ("/engine/pkce/no-refresh-token", test_no_refresh_token);
  ADD ("/engine/pkce/keyring", test_keyring);
  ADD ("/cli/pkce/login-browser-watch-logout", test_cli_login_browser);
  ADD ("/sim/pkce/wrong-verifier", test_sim_wrong_verifier);
  ADD ("/sim/pkce/reused-code", test_sim_reused_code);
  ADD ("/sim/pkce/redirect-checks", test_sim_redirect_checks);

#undef ADD

  return g_test_run ();
}
