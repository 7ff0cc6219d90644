/* test-sign-in.c — the sign-in form against the simulator and a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run inside a private D-Bus session with an unlocked gnome-keyring-daemon
 * (build-aux/test.sh does).  The test gives itself a fresh HOME and XDG
 * directories, so that it can prove the secret was written to no file.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "fw-app-test-util.h"

static FwApplication *application;
static char *test_home;

/* The engine's schema, written out again: the test checks the keyring the
 * way any other program would. */
static const SecretSchema credentials_schema = {
  "io.github.floorwatch.Floorwatch.Credentials",
  SECRET_SCHEMA_NONE,
  {
    { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  FwSimServer *sim;
  FwWindow    *window;
  char        *client_id;
  char        *secret;
  GSettings   *settings;
} Fixture;

static char *
keyring_lookup (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (&credentials_schema, NULL, &error,
                                        "environment", fw_sim_server_get_url (fixture->sim),
                                        "client-id", fixture->client_id,
                                        NULL);
  g_assert_no_error (error);
  return secret;
}

static gboolean
keyring_has_secret (Fixture *fixture)
{
  g_autofree char *secret = keyring_lookup (fixture);

  return secret != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* A client nobody else uses, with a secret that is easy to look for. */
  fixture->client_id = g_strdup_printf ("app-test-%08x", g_random_int ());
  fixture->secret = g_strdup_printf ("s3cret-%08x%08x", g_random_int (), g_random_int ());

  fixture->sim = fw_test_sim_new ();
  g_object_set (fixture->sim,
                "client-id", fixture->client_id,
                "client-secret", fixture->secret,
                NULL);

  fixture->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  g_settings_reset (fixture->settings, "environment");
  g_settings_reset (fixture->settings, "client-id");
  g_settings_reset (fixture->settings, "topics");

  fixture->window = fw_app_test_window_new (application, 1100, 720);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  secret_password_clear_sync (&credentials_schema, NULL, NULL,
                              "environment", fw_sim_server_get_url (fixture->sim),
                              "client-id", fixture->client_id,
                              NULL);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fw_test_run_for (100);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->client_id, g_free);
  g_clear_pointer (&fixture->secret, g_free);
}

static void
sign_in_with (Fixture    *fixture,
              const char *secret)
{
  GtkWidget *page = GTK_WIDGET (fw_window_get_sign_in_page (fixture->window));
  GtkWidget *secret_row = fw_app_test_find_by_id (page, "secret_row");
  GtkWidget *button = fw_app_test_find_by_id (page, "sign_in_button");

  fw_window_show_sign_in (fixture->window, fw_sim_server_get_url (fixture->sim), fixture->client_id, NULL);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");
  g_assert_cmpstr (fw_sign_in_page_get_environment (FW_SIGN_IN_PAGE (page)), ==,
                   fw_sim_server_get_url (fixture->sim));

  g_assert_nonnull (secret_row);
  g_assert_nonnull (button);
  gtk_editable_set_text (GTK_EDITABLE (secret_row), secret);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (fw_sign_in_page_get_busy (FW_SIGN_IN_PAGE (page)));
}

static void
test_wrong_secret (Fixture       *fixture,
                   gconstpointer  data)
{
  FwSignInPage *page = fw_window_get_sign_in_page (fixture->window);
  g_autofree char *stored = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;

  sign_in_with (fixture, "not-the-secret");
  FW_TEST_WAIT_UNTIL (!fw_sign_in_page_get_busy (page), 15000);

  /* Said in words, on the form. */
  g_assert_nonnull (fw_sign_in_page_get_message (page));
  g_assert_true (g_str_has_prefix (fw_sign_in_page_get_message (page),
                                   "Genesys Cloud rejected this client id and secret"));
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");
  g_assert_null (fw_window_get_connection (fixture->window));
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "sign-in-rejected");

  /* Nothing was kept: not the secret, not the account. */
  stored = keyring_lookup (fixture);
  g_assert_null (stored);
  environment = g_settings_get_string (fixture->settings, "environment");
  client_id = g_settings_get_string (fixture->settings, "client-id");
  g_assert_cmpstr (environment, ==, "");
  g_assert_cmpstr (client_id, ==, "");
}

static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (data[i] == needle[0] && memcmp (data + i, needle, needle_length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Fails if @secret is in any file under @dir. */
static void
assert_not_in_files (const char *dir,
                     const char *secret,
                     guint      *n_files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        assert_not_in_files (path, secret, n_files);
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          (*n_files)++;
          if (contains_bytes (contents, length, secret))
            g_error ("The client secret was written to %s", path);
        }
    }
}

static void
test_right_secret (Fixture       *fixture,
                   gconstpointer  data)
{
  FwSignInPage *page = fw_window_get_sign_in_page (fixture->window);
  GtkWidget *secret_row = fw_app_test_find_by_id (GTK_WIDGET (page), "secret_row");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;
  guint n_files = 0;

  sign_in_with (fixture, fixture->secret);
  FW_TEST_WAIT_UNTIL (fw_window_get_connection (fixture->window) != NULL, 15000);

  /* Nothing is watched yet: one clear next step. */
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "empty");
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "watch-a-queue");

  /* The secret is in the real keyring... */
  stored = keyring_lookup (fixture);
  g_assert_cmpstr (stored, ==, fixture->secret);

  /* ...the region and client id in the settings... */
  environment = g_settings_get_string (fixture->settings, "environment");
  client_id = g_settings_get_string (fixture->settings, "client-id");
  g_assert_cmpstr (environment, ==, fw_sim_server_get_url (fixture->sim));
  g_assert_cmpstr (client_id, ==, fixture->client_id);

  /* ...and the secret nowhere else: not in any setting, */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 10);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, fixture->secret));
    }

  /* not left in the form, */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");

  /* not in any file under the test's home. */
  assert_not_in_files (test_home, fixture->secret, &n_files);
  g_test_message ("%u files checked under %s", n_files, test_home);
}

static void
test_stored_secret (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FwSignInPage *page = fw_window_get_sign_in_page (fixture->window);

  /* No secret kept: the form asks for it. */
  fw_window_open_account (fixture->window, fw_sim_server_get_url (fixture->sim), fixture->client_id);
  FW_TEST_WAIT_UNTIL (g_strcmp0 (fw_window_get_page (fixture->window), "sign-in") == 0, 15000);
  g_assert_nonnull (fw_sign_in_page_get_message (page));
  g_assert_null (fw_window_get_connection (fixture->window));

  /* The entry `floorwatch-cli login` writes: the same schema and attributes. */
  secret_password_store_sync (&credentials_schema, SECRET_COLLECTION_DEFAULT, "Floorwatch test",
                              fixture->secret, NULL, &error,
                              "environment", fw_sim_server_get_url (fixture->sim),
                              "client-id", fixture->client_id,
                              NULL);
  g_assert_no_error (error);

  fw_window_open_account (fixture->window, fw_sim_server_get_url (fixture->sim), fixture->client_id);
  FW_TEST_WAIT_UNTIL (fw_window_get_connection (fixture->window) != NULL, 15000);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "empty");
  /* A one-run account: nothing was written to the settings. */
  {
    g_autofree char *environment = g_settings_get_string (fixture->settings, "environment");

    g_assert_cmpstr (environment, ==, "");
  }
}


static void
test_rejected_later (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const topics[] = { "v2.users." FW_SIM_USER_ANA ".presence", NULL };
  FwSignInPage *page = fw_window_get_sign_in_page (fixture->window);
  FwStatusPill *pill = fw_window_get_status_pill (fixture->window);
  GtkWidget *fix = fw_app_test_find_by_id (GTK_WIDGET (pill), "fix_button");
  g_autofree char *new_secret = g_strdup_printf ("rotated-%08x", g_random_int ());

  sign_in_with (fixture, fixture->secret);
  FW_TEST_WAIT_UNTIL (fw_window_get_connection (fixture->window) != NULL, 15000);
  fw_window_set_topics (fixture->window, topics);
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "events");
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"), 15000);

  /* An administrator rotates the secret: the next grant is refused, and
   * the next channel needs one. */
  g_object_set (fixture->sim, "client-secret", new_secret, NULL);
  fw_sim_server_revoke_tokens (fixture->sim);
  fw_sim_server_expire_channels (fixture->sim);
  FW_TEST_WAIT_UNTIL (g_str_equal (fw_status_pill_get_text (pill), "Credentials rejected"), 30000);
  g_assert_true (gtk_widget_get_mapped (fix));
  fw_app_test_screenshot (GTK_WIDGET (fixture->window), "credentials-rejected");

  /* Fix opens the sign-in form, which says why. */
  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (fw_window_get_page (fixture->window), ==, "sign-in");
  g_assert_nonnull (fw_sign_in_page_get_message (page));
  g_assert_true (strstr (fw_sign_in_page_get_message (page), "rejected") != NULL);

  /* With the new secret the feed comes back. */
  g_free (fixture->secret);
  fixture->secret = g_steal_pointer (&new_secret);
  {
    GtkWidget *secret_row = fw_app_test_find_by_id (GTK_WIDGET (page), "secret_row");
    GtkWidget *button = fw_app_test_find_by_id (GTK_WIDGET (page), "sign_in_button");

    gtk_editable_set_text (GTK_EDITABLE (secret_row), fixture->secret);
    g_signal_emit_by_name (button, "clicked");
  }
  FW_TEST_WAIT_UNTIL (g_str_equal (fw_window_get_page (fixture->window), "events"), 15000);
  pill = fw_window_get_status_pill (fixture->window);
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_status_pill_get_text (pill), "Live"), 15000);
  {
    g_autofree char *stored = keyring_lookup (fixture);

    g_assert_cmpstr (stored, ==, fixture->secret);
  }
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWindow *preferences;
  char *stored;

  sign_in_with (fixture, fixture->secret);
  FW_TEST_WAIT_UNTIL (fw_window_get_connection (fixture->window) != NULL, 15000);
  stored = keyring_lookup (fixture);
  g_assert_cmpstr (stored, ==, fixture->secret);
  g_free (stored);

  fw_window_present_preferences (fixture->window);
  preferences = fw_app_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  fw_app_test_screenshot (GTK_WIDGET (preferences), "preferences");

  /* What the confirmation dialog's Sign Out does. */
  g_signal_emit_by_name (preferences, "sign-out");
  FW_TEST_WAIT_UNTIL (g_strcmp0 (fw_window_get_page (fixture->window), "welcome") == 0, 10000);
  FW_TEST_WAIT_UNTIL (!keyring_has_secret (fixture), 10000);
  g_assert_null (fw_window_get_connection (fixture->window));
}

static void
test_welcome (void)
{
  g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  GtkWindow *window;

  g_settings_reset (settings, "environment");
  g_settings_reset (settings, "client-id");

  /* No account kept, no options: the welcome page with its two ways in. */
  g_application_activate (G_APPLICATION (application));
  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  g_assert_true (FW_IS_WINDOW (window));
  g_assert_cmpstr (fw_window_get_page (FW_WINDOW (window)), ==, "welcome");
  g_assert_nonnull (fw_app_test_find_by_id (GTK_WIDGET (window), "sign_in_button"));
  g_assert_nonnull (fw_app_test_find_by_id (GTK_WIDGET (window), "demo_button"));
  fw_app_test_wait_for_draw (GTK_WIDGET (window));
  fw_app_test_screenshot (GTK_WIDGET (window), "welcome");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  g_assert_cmpstr (fw_window_get_page (FW_WINDOW (window)), ==, "sign-in");
  fw_app_test_screenshot (GTK_WIDGET (window), "sign-in");

  gtk_window_destroy (window);
}

static void
make_home (void)
{
  static const char * const dirs[][2] = {
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_STATE_HOME", ".local/state" },
  };

  test_home = g_dir_make_tmp ("floorwatch-app-home-XXXXXX", NULL);
  g_assert_nonnull (test_home);
  g_setenv ("HOME", test_home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_home, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (dirs[i][0], path, TRUE);
    }
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before anything reads the environment. */
  make_home ();
  fw_app_test_init (&argc, &argv);
  application = fw_app_test_application_new ();

  g_test_add_func ("/app/sign-in/welcome", test_welcome);
  g_test_add ("/app/sign-in/wrong-secret", Fixture, NULL, fixture_set_up, test_wrong_secret, fixture_tear_down);
  g_test_add ("/app/sign-in/right-secret", Fixture, NULL, fixture_set_up, test_right_secret, fixture_tear_down);
  g_test_add ("/app/sign-in/stored-secret", Fixture, NULL, fixture_set_up, test_stored_secret,
              fixture_tear_down);
  g_test_add ("/app/sign-in/rejected-later", Fixture, NULL, fixture_set_up, test_rejected_later,
              fixture_tear_down);
  g_test_add ("/app/sign-in/sign-out", Fixture, NULL, fixture_set_up, test_sign_out, fixture_tear_down);

  ret = g_test_run ();
  g_object_unref (application);
  remove_tree (test_home);
  g_free (test_home);
  return ret;
}
