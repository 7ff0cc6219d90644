/* test-user-sign-in.c — "Sign in as yourself" against the simulator's login page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run inside a private D-Bus session with an unlocked gnome-keyring-daemon
 * (build-aux/test-session.sh does).  The test plays the browser: it takes
 * the login page from the sign-in page's "open-uri", fills in the
 * simulator's form with libsoup and follows the redirect to the app's
 * loopback listener.
 */

#include "config.h"

#include <libsecret/secret.h>

#include "fw-app-test-util.h"

static FwApplication *application;

/* The engine's schema for a person's tokens, written out again: the test
 * checks the keyring the way any other program would. */
static const SecretSchema user_token_schema = {
  "io.github.floorwatch.Floorwatch.UserToken",
  SECRET_SCHEMA_NONE,
  {
    { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  FwSimServer  *sim;
  FwWindow     *window;
  FwSignInPage *page;
  GSettings    *settings;
  SoupSession  *browser;
  char         *uri;       /* what "open-uri" asked to open */
} Fixture;

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
  char     *location;
  GError   *error;
} Page;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->body, g_free);
  g_clear_pointer (&page->location, g_free);
  g_clear_error (&page->error);
}

static char *
keyring_lookup (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *stored;

  stored = secret_password_lookup_sync (&user_token_schema, NULL, &error,
                                        "environment", fw_sim_server_get_url (fixture->sim),
                                        "client-id", FW_SIM_PKCE_CLIENT_ID,
                                        NULL);
  g_assert_no_error (error);
  return stored;
}

static void
open_uri_cb (FwSignInPage *page,
             const char   *uri,
             Fixture      *fixture)
{
  /* No browser here: the test is the browser. */
  g_free (fixture->uri);
  fixture->uri = g_strdup (uri);
  g_signal_stop_emission_by_name (page, "open-uri");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->sim = fw_test_sim_new ();
  fixture->browser = soup_session_new ();

  fixture->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  g_settings_reset (fixture->settings, "environment");
  g_settings_reset (fixture->settings, "client-id");
  g_settings_reset (fixture->settings, "topics");
  g_settings_reset (fixture->settings, "sign-in-kind");

  fixture->window = fw_app_test_window_new (application, 1100, 720);
  fixture->page = fw_window_get_sign_in_page (fixture->window);
  g_signal_connect (fixture->page, "open-uri", G_CALLBACK (open_uri_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  secret_password_clear_sync (&user_token_schema, NULL, NULL,
                              "environment", fw_sim_server_get_url (fixture->sim),
                              "client-id", FW_SIM_PKCE_CLIENT_ID,
                              NULL);
  g_signal_handlers_disconnect_by_data (fixture->page, fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fw_test_run_for (100);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->uri, g_free);
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
browse (Fixture    *fixture,
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

  soup_session_send_and_read_async (fixture->browser, msg, G_PRIORITY_DEFAULT, NULL, page_cb, page);
  FW_TEST_WAIT_UNTIL (page->done, 15000);
}

/* What a browser sends when the demo user fills in the login form: the
 * hidden fields as they are (the simulator's values need no unescaping
 * beyond &amp;, which this form does not carry), the login and password. */
static char *
fill_in_login_form (const char *html,
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
      g_hash_table_insert (fields, g_match_info_fetch (match, 1), g_match_info_fetch (match, 2));
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (g_hash_table_size (fields), >=, 5);

  g_hash_table_insert (fields, g_strdup ("username"), g_strdup (FW_SIM_DEMO_USER_LOGIN));
  g_hash_table_insert (fields, g_strdup ("password"), g_strdup (FW_SIM_DEMO_USER_PASSWORD));
  g_hash_table_insert (fields, g_strdup ("action"), g_strdup (action));
  return soup_form_encode_hash (fields);
}

/* Fills in the login page as the demo user, presses the button named
 * @action ("sign-in" or "cancel") and returns where the login server sends
 * the browser back to (the app's loopback listener). */
static char *
sign_in_on_login_page (Fixture    *fixture,
                       const char *action)
{
  g_autofree char *form = NULL;
  g_autofree char *post_uri = NULL;
  Page page = { FALSE };
  char *location;

  browse (fixture, fixture->uri, NULL, &page);
  g_assert_no_error (page.error);
  g_assert_cmpuint (page.status, ==, 200);

  form = fill_in_login_form (page.body, action);
  post_uri = g_strconcat (fw_sim_server_get_url (fixture->sim), "/oauth/authorize", NULL);
  browse (fixture, post_uri, form, &page);
  g_assert_no_error (page.error);
  g_assert_cmpuint (page.status, ==, 302);
  g_assert_nonnull (page.location);
  g_assert_true (g_str_has_prefix (page.location, "http://127.0.0.1:"));

  location = g_steal_pointer (&page.location);
  page_clear (&page);
  return location;
}

/* Chooses "Sign in as yourself" and presses the button, as a person would. */
static void
start_user_sign_in (Fixture *fixture)
{
  GtkWidget *root = GTK_WIDGET (fixture->page);
  GtkWidget *kind = fw_app_test_find_by_id (root, "user_kind_button");
  GtkWidget *secret_row = fw_app_test_find_by_id (root, "secret_row");
  GtkWidget *button = fw_app_test_find_by_id (root, "sign_in_button");
  GtkWidget *label = fw_app_test_find_by_id (root, "sign_in_label");
  GtkWidget *cancel = fw_app_test_find_by_id (root, "cancel_button");

  fw_window_show_sign_in (fixture->window, fw_sim_server_get_url (fixture->sim), FW_SIM_PKCE_CLIENT_ID, NULL);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");

  g_assert_nonnull (kind);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (kind), TRUE);
  g_assert_true (fw_sign_in_page_get_user_sign_in (fixture->page));
  /* No secret is asked for. */
  g_assert_false (gtk_widget_get_visible (secret_row));
  g_assert_true (gtk_widget_get_sensitive (button));

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (fw_sign_in_page_get_busy (fixture->page));
  FW_TEST_WAIT_UNTIL (fixture->uri != NULL, 10000);
  g_assert_true (g_str_has_prefix (fixture->uri, fw_sim_server_get_url (fixture->sim)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Waiting for the browser…");
  g_assert_true (gtk_widget_get_visible (cancel));
}

static void
test_choice (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (fixture->page);
  g_autofree char *path = NULL;

  fw_window_show_sign_in (fixture->window, fw_sim_server_get_url (fixture->sim), FW_SIM_PKCE_CLIENT_ID, NULL);
  fw_sign_in_page_set_user_sign_in (fixture->page, TRUE);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (fw_app_test_find_by_id (root, "user_kind_button"))));
  g_assert_true (gtk_widget_get_visible (fw_app_test_find_by_id (root, "user_kind_label")));
  g_assert_false (gtk_widget_get_visible (fw_app_test_find_by_id (root, "client_kind_label")));
  g_assert_false (gtk_widget_get_visible (fw_app_test_find_by_id (root, "secret_row")));
  path = fw_app_test_screenshot (GTK_WIDGET (fixture->window), "sign-in-as-yourself");
  g_test_message ("screenshot: %s", path);

  /* Back to the client credentials: the secret is asked for again. */
  fw_sign_in_page_set_user_sign_in (fixture->page, FALSE);
  g_assert_true (gtk_widget_get_visible (fw_app_test_find_by_id (root, "secret_row")));
  g_assert_false (gtk_widget_get_sensitive (fw_app_test_find_by_id (root, "sign_in_button")));
}

static gboolean
text_contains (const char *text,
               const char *needle)
{
  return needle != NULL && strstr (text, needle) != NULL;
}

/* Signs in as the demo user all the way, as a person would. */
static void
sign_in_fully (Fixture *fixture)
{
  g_autofree char *location = NULL;
  Page page = { FALSE };

  start_user_sign_in (fixture);

  location = sign_in_on_login_page (fixture, "sign-in");
  browse (fixture, location, NULL, &page);
  g_assert_no_error (page.error);
  g_assert_cmpuint (page.status, ==, 200);
  page_clear (&page);

  FW_TEST_WAIT_UNTIL (fw_window_get_connection (fixture->window) != NULL, 15000);
  g_assert_false (fw_sign_in_page_get_busy (fixture->page));
  g_assert_null (fw_sign_in_page_get_message (fixture->page));
}

static void
watch_until_live (FwConnection *connection)
{
  g_autofree char *topic = NULL;
  const char *topics[2] = { NULL, NULL };

  topic = g_strdup_printf ("v2.users.%s.presence", FW_SIM_USER_ANA);
  topics[0] = topic;
  fw_connection_set_topics (connection, topics);
  FW_TEST_WAIT_UNTIL (fw_session_get_state (fw_connection_get_session (connection)) == FW_SESSION_STATE_LIVE,
                      20000);
}

static void
test_sign_in_live (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *stored = NULL;
  g_autoptr(FwUserTokens) tokens = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  FwConnection *connection;
  FwTokenSource *source;

  sign_in_fully (fixture);

  connection = fw_window_get_connection (fixture->window);
  source = fw_api_get_token_source (fw_connection_get_api (connection));
  g_assert_cmpint (fw_token_source_get_grant (source), !=, FW_TOKEN_GRANT_CLIENT_CREDENTIALS);
  g_assert_cmpstr (fw_connection_get_client_id (connection), ==, FW_SIM_PKCE_CLIENT_ID);
  tokens = fw_token_source_dup_user_tokens (source);
  g_assert_nonnull (tokens);
  g_assert_nonnull (fw_user_tokens_get_access_token (tokens));

  /* The form will start with this kind of sign-in next time. */
  {
    g_autofree char *kind = g_settings_get_string (fixture->settings, "sign-in-kind");
    GtkWidget *next = g_object_ref_sink (fw_sign_in_page_new ());

    g_assert_cmpstr (kind, ==, "user");
    g_assert_true (fw_sign_in_page_get_user_sign_in (FW_SIGN_IN_PAGE (next)));
    g_object_unref (next);
  }

  /* The person's sign-in reaches a live feed. */
  watch_until_live (connection);

  /* The tokens are in the real keyring... */
  stored = keyring_lookup (fixture);
  g_assert_nonnull (stored);
  g_assert_true (text_contains (stored, fw_user_tokens_get_access_token (tokens)));

  /* ...and in no setting. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 10);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_false (text_contains (text, fw_user_tokens_get_access_token (tokens)));
      g_assert_false (text_contains (text, fw_user_tokens_get_refresh_token (tokens)));
    }
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_stored_sign_in (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(FwConnection) connection = NULL;
  g_autoptr(FwConnection) missing = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_fully (fixture);

  /* The next start: no secret is kept for this client, the sign-in is. */
  fw_connection_new_for_account_async (fw_sim_server_get_url (fixture->sim), FW_SIM_PKCE_CLIENT_ID, 100,
                                       NULL, account_cb, &result);
  FW_TEST_WAIT_UNTIL (result != NULL, 10000);
  connection = fw_connection_new_for_account_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  g_assert_cmpint (fw_token_source_get_grant (fw_api_get_token_source (fw_connection_get_api (connection))),
                   !=, FW_TOKEN_GRANT_CLIENT_CREDENTIALS);
  watch_until_live (connection);
  fw_connection_stop (connection);

  /* Another client: nothing kept, and it says so. */
  fw_connection_new_for_account_async (fw_sim_server_get_url (fixture->sim), "nobody-signed-in", 100,
                                       NULL, account_cb, &other);
  FW_TEST_WAIT_UNTIL (other != NULL, 10000);
  missing = fw_connection_new_for_account_finish (other, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

static GtkWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
keyring_has_sign_in (Fixture *fixture)
{
  g_autofree char *stored = keyring_lookup (fixture);

  return stored != NULL;
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWindow *preferences;

  sign_in_fully (fixture);
  g_assert_true (keyring_has_sign_in (fixture));

  fw_window_present_preferences (fixture->window);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);

  /* What the confirmation dialog's Sign Out does. */
  g_signal_emit_by_name (preferences, "sign-out");
  FW_TEST_WAIT_UNTIL (!keyring_has_sign_in (fixture), 10000);
  g_assert_null (fw_window_get_connection (fixture->window));
}

static void
test_denied (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *location = NULL;
  g_autofree char *stored = NULL;
  Page page = { FALSE };

  start_user_sign_in (fixture);

  /* The person presses Cancel on the login page. */
  location = sign_in_on_login_page (fixture, "cancel");
  browse (fixture, location, NULL, &page);
  page_clear (&page);

  FW_TEST_WAIT_UNTIL (!fw_sign_in_page_get_busy (fixture->page), 10000);
  g_assert_cmpstr (fw_sign_in_page_get_message (fixture->page), ==,
                   "The sign-in was cancelled or refused in the browser.");
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");
  g_assert_null (fw_window_get_connection (fixture->window));
  stored = keyring_lookup (fixture);
  g_assert_null (stored);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *cancel = fw_app_test_find_by_id (GTK_WIDGET (fixture->page), "cancel_button");
  g_autofree char *location = NULL;
  g_autofree char *stored = NULL;
  Page page = { FALSE };

  start_user_sign_in (fixture);
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "sign-in-waiting-for-browser");

  g_signal_emit_by_name (cancel, "clicked");
  g_assert_false (fw_sign_in_page_get_busy (fixture->page));
  g_assert_cmpstr (fw_sign_in_page_get_message (fixture->page), ==, "The sign-in was cancelled.");
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");

  /* The person finishes in the browser anyway: nobody listens any more. */
  location = sign_in_on_login_page (fixture, "sign-in");
  browse (fixture, location, NULL, &page);
  g_assert_nonnull (page.error);
  page_clear (&page);

  g_assert_null (fw_window_get_connection (fixture->window));
  stored = keyring_lookup (fixture);
  g_assert_null (stored);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add ("/app/user-sign-in/choice", Fixture, NULL, fixture_set_up, test_choice, fixture_tear_down);
  g_test_add ("/app/user-sign-in/live", Fixture, NULL, fixture_set_up, test_sign_in_live, fixture_tear_down);
  g_test_add ("/app/user-sign-in/stored", Fixture, NULL, fixture_set_up, test_stored_sign_in, fixture_tear_down);
  g_test_add ("/app/user-sign-in/sign-out", Fixture, NULL, fixture_set_up, test_sign_out, fixture_tear_down);
  g_test_add ("/app/user-sign-in/denied", Fixture, NULL, fixture_set_up, test_denied, fixture_tear_down);
  g_test_add ("/app/user-sign-in/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  ret = g_test_run ();
  g_object_unref (application);
  return ret;
}
