/* test-credentials.c — against a real gnome-keyring in a private D-Bus session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run inside `dbus-run-session` with an unlocked gnome-keyring-daemon.  When
 * no secret service answers the test fails, unless FW_TEST_ALLOW_NO_KEYRING
 * is set, in which case it skips.
 */

#include "config.h"

#include <libsecret/secret.h>

#include "fw-credentials.h"
#include "fw-test-util.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
store (const char  *environment,
       const char  *client_id,
       const char  *secret,
       GError     **error)
{
  Wait wait = { NULL };
  gboolean ok;

  fw_credentials_store_async (environment, client_id, secret, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  ok = fw_credentials_store_finish (wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static char *
lookup (const char  *environment,
        const char  *client_id,
        GError     **error)
{
  Wait wait = { NULL };
  char *secret;

  fw_credentials_lookup_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  secret = fw_credentials_lookup_finish (wait.result, error);
  g_object_unref (wait.result);
  return secret;
}

static gboolean
clear (const char  *environment,
       const char  *client_id,
       GError     **error)
{
  Wait wait = { NULL };
  gboolean ok;

  fw_credentials_clear_async (environment, client_id, NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  ok = fw_credentials_clear_finish (wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

/* A client id no other run of the test has used. */
static char *
unique_client_id (void)
{
  return g_strdup_printf ("test-client-%08x%08x", g_random_int (), g_random_int ());
}

/* TRUE when the keyring answers and takes a secret; otherwise fails the
 * test (or skips it when FW_TEST_ALLOW_NO_KEYRING is set). */
static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = unique_client_id ();
  char *secret;

  secret = lookup ("mypurecloud.ie", client_id, &error);
  g_assert_null (secret);
  if (error == NULL)
    {
      /* A locked keyring answers lookups but refuses new items. */
      if (store ("mypurecloud.ie", client_id, "probe", &error))
        clear ("mypurecloud.ie", client_id, &error);
    }

  if (error == NULL)
    return TRUE;

  if (g_getenv ("FW_TEST_ALLOW_NO_KEYRING") != NULL)
    {
      g_test_skip_printf ("No usable secret service: %s", error->message);
      return FALSE;
    }

  g_test_fail_printf ("No usable secret service (%s). Run this test inside "
                      "dbus-run-session with an unlocked gnome-keyring-daemon, or set "
                      "FW_TEST_ALLOW_NO_KEYRING=1 to skip it.",
                      error->message);
  return FALSE;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = unique_client_id ();
  char *secret;

  if (!keyring_available ())
    return;

  store ("mypurecloud.ie", client_id, "s3cr3t-ÄÖÜ-value", &error);
  g_assert_no_error (error);

  secret = lookup ("mypurecloud.ie", client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cr3t-ÄÖÜ-value");
  fw_credentials_free_secret (secret);

  /* Storing again replaces the secret rather than adding a second item. */
  g_assert_true (store ("mypurecloud.ie", client_id, "rotated", &error));
  g_assert_no_error (error);
  secret = lookup ("mypurecloud.ie", client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "rotated");
  fw_credentials_free_secret (secret);

  g_assert_true (clear ("mypurecloud.ie", client_id, &error));
  g_assert_no_error (error);

  /* Nothing stored: NULL and no error. */
  secret = lookup ("mypurecloud.ie", client_id, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* Clearing what is not there is not an error either. */
  g_assert_true (clear ("mypurecloud.ie", client_id, &error));
  g_assert_no_error (error);
}

static void
test_entries_are_separate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = unique_client_id ();
  g_autofree char *id_b = unique_client_id ();
  char *secret;

  if (!keyring_available ())
    return;

  g_assert_true (store ("mypurecloud.ie", id_a, "secret-a-ie", &error));
  g_assert_true (store ("mypurecloud.com", id_a, "secret-a-com", &error));
  g_assert_true (store ("mypurecloud.ie", id_b, "secret-b-ie", &error));
  g_assert_no_error (error);

  secret = lookup ("mypurecloud.ie", id_a, &error);
  g_assert_cmpstr (secret, ==, "secret-a-ie");
  fw_credentials_free_secret (secret);
  secret = lookup ("mypurecloud.com", id_a, &error);
  g_assert_cmpstr (secret, ==, "secret-a-com");
  fw_credentials_free_secret (secret);
  secret = lookup ("mypurecloud.ie", id_b, &error);
  g_assert_cmpstr (secret, ==, "secret-b-ie");
  fw_credentials_free_secret (secret);
  secret = lookup ("mypurecloud.com", id_b, &error);
  g_assert_null (secret);
  g_assert_no_error (error);

  /* Clearing one entry leaves the others. */
  g_assert_true (clear ("mypurecloud.ie", id_a, &error));
  secret = lookup ("mypurecloud.ie", id_a, &error);
  g_assert_null (secret);
  secret = lookup ("mypurecloud.com", id_a, &error);
  g_assert_cmpstr (secret, ==, "secret-a-com");
  fw_credentials_free_secret (secret);
  g_assert_no_error (error);

  clear ("mypurecloud.com", id_a, NULL);
  clear ("mypurecloud.ie", id_b, NULL);
}

/* Other programs (Seahorse, secret-tool) find the item by the documented
 * schema name and attributes, under a label that says what it is. */
static void
test_schema_and_label (void)
{
  static const SecretSchema schema = {
    "io.github.floorwatch.Floorwatch.Credentials", SECRET_SCHEMA_NONE,
    {
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autolist(SecretItem) items = NULL;
  g_autofree char *client_id = unique_client_id ();
  g_autofree char *label = NULL;
  g_autofree char *expected_label = NULL;
  g_autoptr(SecretValue) value = NULL;
  char *secret;

  if (!keyring_available ())
    return;

  g_assert_true (store ("usw2.pure.cloud", client_id, "schema-secret", &error));
  g_assert_no_error (error);

  secret = secret_password_lookup_sync (&schema, NULL, &error,
                                        "environment", "usw2.pure.cloud",
                                        "client-id", client_id,
                                        NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "schema-secret");
  secret_password_free (secret);

  attributes = secret_attributes_build (&schema,
                                        "environment", "usw2.pure.cloud",
                                        "client-id", client_id,
                                        NULL);
  items = secret_service_search_sync (NULL, &schema, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  label = secret_item_get_label (items->data);
  expected_label = g_strdup_printf ("Floorwatch client secret for %s (usw2.pure.cloud)", client_id);
  g_assert_cmpstr (label, ==, expected_label);

  value = secret_item_get_secret (items->data);
  g_assert_nonnull (value);
  g_assert_cmpstr (secret_value_get_text (value), ==, "schema-secret");

  clear ("usw2.pure.cloud", client_id, NULL);
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = unique_client_id ();

  /* These fail before the keyring is asked. */
  g_assert_false (store ("mypurecloud.ie", client_id, "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (store ("mypurecloud.ie", client_id, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (store ("", client_id, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (lookup ("mypurecloud.ie", "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (clear (NULL, client_id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = unique_client_id ();
  Wait wait = { NULL };
  char *secret;

  if (!keyring_available ())
    return;

  g_cancellable_cancel (cancellable);
  fw_credentials_lookup_async ("mypurecloud.ie", client_id, cancellable, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  secret = fw_credentials_lookup_finish (wait.result, &error);
  g_assert_null (secret);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  fw_credentials_store_async ("mypurecloud.ie", client_id, "never-stored", cancellable,
                              done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_false (fw_credentials_store_finish (wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  /* The cancelled store left nothing behind. */
  secret = lookup ("mypurecloud.ie", client_id, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
}

static void
test_channels (void)
{
  const char *ids[] = { "streaming-0-aaa", "streaming-1-bbb", NULL };
  const char *none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) found = NULL;
  g_autofree char *secret = NULL;
  Wait wait = { NULL };

  fw_credentials_store_channels_async ("mypurecloud.de", "channels-client", ids, NULL,
                                       done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_true (fw_credentials_store_channels_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  fw_credentials_lookup_channels_async ("mypurecloud.de", "channels-client", NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  found = fw_credentials_lookup_channels_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (found, ids);
  g_clear_object (&wait.result);
  g_clear_pointer (&found, g_strfreev);

  /* Channel ids are not the client secret: that entry stays empty. */
  secret = lookup ("mypurecloud.de", "channels-client", &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* An empty list removes the entry. */
  fw_credentials_store_channels_async ("mypurecloud.de", "channels-client", none, NULL,
                                       done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  g_assert_true (fw_credentials_store_channels_finish (wait.result, &error));
  g_clear_object (&wait.result);

  fw_credentials_lookup_channels_async ("mypurecloud.de", "channels-client", NULL, done_cb, &wait);
  FW_TEST_WAIT_UNTIL (wait.result != NULL, 10000);
  found = fw_credentials_lookup_channels_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_clear_object (&wait.result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/engine/credentials/entries-are-separate", test_entries_are_separate);
  g_test_add_func ("/engine/credentials/schema-and-label", test_schema_and_label);
  g_test_add_func ("/engine/credentials/bad-input", test_bad_input);
  g_test_add_func ("/engine/credentials/cancelled", test_cancelled);
  g_test_add_func ("/engine/credentials/channels", test_channels);

  return g_test_run ();
}
