/* test-environment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-environment.h"

static void
test_region_table (void)
{
  const FwRegion *regions = fw_environment_get_regions ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) domains = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  for (; regions[n].region != NULL; n++)
    {
      g_autoptr(FwEnvironment) by_name = NULL;
      g_autoptr(FwEnvironment) by_domain = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *login = g_strdup_printf ("https://login.%s", regions[n].domain);
      g_autofree char *api = g_strdup_printf ("https://api.%s", regions[n].domain);

      g_assert_nonnull (regions[n].domain);
      g_assert_nonnull (regions[n].label);
      g_assert_cmpstr (regions[n].label, !=, "");
      g_assert_true (g_hash_table_add (names, (gpointer) regions[n].region));
      g_assert_true (g_hash_table_add (domains, (gpointer) regions[n].domain));

      by_domain = fw_environment_new (regions[n].domain, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fw_environment_get_name (by_domain), ==, regions[n].domain);
      g_assert_cmpstr (fw_environment_get_login_base (by_domain), ==, login);
      g_assert_cmpstr (fw_environment_get_api_base (by_domain), ==, api);
      g_assert_false (fw_environment_is_loopback (by_domain));

      by_name = fw_environment_new (regions[n].region, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fw_environment_get_name (by_name), ==, regions[n].domain);
      g_assert_cmpstr (fw_environment_get_api_base (by_name), ==, api);
    }

  /* Every region of GENESYS.md, no more, no less. */
  g_assert_cmpuint (n, ==, 18);
  g_assert_true (g_hash_table_contains (domains, "use2.us-gov-pure.cloud"));
  g_assert_true (g_hash_table_contains (domains, "edee1.eusc-pure.cloud"));
  g_assert_true (g_hash_table_contains (names, "mx-central-1"));
}

static void
test_known_mappings (void)
{
  static const struct {
    const char *spec;
    const char *name;
    const char *login;
    const char *api;
  } cases[] = {
    { "mypurecloud.ie", "mypurecloud.ie", "https://login.mypurecloud.ie", "https://api.mypurecloud.ie" },
    { "eu-west-1", "mypurecloud.ie", "https://login.mypurecloud.ie", "https://api.mypurecloud.ie" },
    { "us-east-1", "mypurecloud.com", "https://login.mypurecloud.com", "https://api.mypurecloud.com" },
    { "ap-southeast-2", "mypurecloud.com.au", "https://login.mypurecloud.com.au", "https://api.mypurecloud.com.au" },
    { "us-east-2", "use2.us-gov-pure.cloud", "https://login.use2.us-gov-pure.cloud", "https://api.use2.us-gov-pure.cloud" },
    /* Case is normalised, for domains, names and loopback URLs alike. */
    { "MyPureCloud.IE", "mypurecloud.ie", "https://login.mypurecloud.ie", "https://api.mypurecloud.ie" },
    { "EU-WEST-1", "mypurecloud.ie", "https://login.mypurecloud.ie", "https://api.mypurecloud.ie" },
    { "HTTP://LocalHost:8080", "http://localhost:8080", "http://localhost:8080", "http://localhost:8080" },
    { "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1" },
    { "http://127.0.0.1:65535/", "http://127.0.0.1:65535", "http://127.0.0.1:65535", "http://127.0.0.1:65535" },
    { "http://[::1]:4000", "http://[::1]:4000", "http://[::1]:4000", "http://[::1]:4000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwEnvironment) env = fw_environment_new (cases[i].spec, &error);

      g_test_message ("spec %s", cases[i].spec);
      g_assert_no_error (error);
      g_assert_cmpstr (fw_environment_get_name (env), ==, cases[i].name);
      g_assert_cmpstr (fw_environment_get_login_base (env), ==, cases[i].login);
      g_assert_cmpstr (fw_environment_get_api_base (env), ==, cases[i].api);
      g_assert_cmpint (fw_environment_is_loopback (env), ==, g_str_has_prefix (cases[i].name, "http://"));

      /* The name parses back to the same environment. */
      {
        g_autoptr(FwEnvironment) again = fw_environment_new (fw_environment_get_name (env), &error);

        g_assert_no_error (error);
        g_assert_cmpstr (fw_environment_get_name (again), ==, cases[i].name);
      }
    }
}

static void
test_hostile_specs (void)
{
  static const struct {
    const char *spec;
    FwEnvironmentError code;
  } cases[] = {
    { "", FW_ENVIRONMENT_ERROR_INVALID },
    { "example.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "eu-west-9", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com.evil.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "evilmypurecloud.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "evil.mypurecloud.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "api.mypurecloud.ie", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com.", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com:443", FW_ENVIRONMENT_ERROR_INVALID },
    { " mypurecloud.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com ", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com\n", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypure cloud.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com/", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com/api/v2", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com?x=1", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.com#x", FW_ENVIRONMENT_ERROR_INVALID },
    { "user@mypurecloud.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "mypurecloud.ie\xc3\xa9", FW_ENVIRONMENT_ERROR_INVALID },
    { "\xff\xfe", FW_ENVIRONMENT_ERROR_INVALID },
    { "https://api.mypurecloud.ie", FW_ENVIRONMENT_ERROR_INVALID },
    { "https://mypurecloud.ie", FW_ENVIRONMENT_ERROR_INVALID },
    { "wss://streaming.mypurecloud.ie", FW_ENVIRONMENT_ERROR_INVALID },
    { "ftp://127.0.0.1:21", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://mypurecloud.ie", FW_ENVIRONMENT_ERROR_INSECURE },
    { "http://api.mypurecloud.ie", FW_ENVIRONMENT_ERROR_INSECURE },
    { "http://login.mypurecloud.com:80", FW_ENVIRONMENT_ERROR_INSECURE },
    { "http://example.com:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://10.0.0.1:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.2:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1.evil.com:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://localhost.evil.com:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://localhost.:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://evil.com#@127.0.0.1:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://user:pw@127.0.0.1:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080@evil.com", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://localhost", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://[::1]", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:0", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:08080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:65536", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:999999", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:-1", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:+80", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:80a", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:0x50", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080:9090", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080/api", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080//", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080?x=1", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080#frag", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080/?x", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://127.0.0.1:8080 ", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://[::1]:8080x", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://[::2]:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://::1:8080", FW_ENVIRONMENT_ERROR_INVALID },
    { "http://", FW_ENVIRONMENT_ERROR_INVALID },
    { "http:127.0.0.1:8080", FW_ENVIRONMENT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwEnvironment) env = NULL;
      g_autofree char *escaped = g_strescape (cases[i].spec, NULL);

      g_test_message ("spec \"%s\"", escaped);
      env = fw_environment_new (cases[i].spec, &error);
      g_assert_null (env);
      g_assert_error (error, FW_ENVIRONMENT_ERROR, (int) cases[i].code);
      /* A sentence the user can act on, not an empty or technical string. */
      g_assert_cmpuint (strlen (error->message), >, 20);
      g_assert_true (g_str_has_suffix (error->message, "."));
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (fw_environment_new (NULL, &error));
    g_assert_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID);
  }
}

static void
test_socket_uri (void)
{
  static const struct {
    const char *spec;
    const char *uri;
    gboolean owned;
  } cases[] = {
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie/channels/streaming-2-aa5h", TRUE },
    { "mypurecloud.ie", "wss://STREAMING.mypurecloud.ie/channels/x", TRUE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie:443/channels/x", TRUE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie:8443/channels/x", FALSE },
    { "mypurecloud.ie", "ws://streaming.mypurecloud.ie/channels/x", FALSE },
    { "mypurecloud.ie", "https://streaming.mypurecloud.ie/channels/x", FALSE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.com/channels/x", FALSE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie.evil.com/channels/x", FALSE },
    { "mypurecloud.ie", "wss://evilstreaming.mypurecloud.ie/channels/x", FALSE },
    { "mypurecloud.ie", "wss://api.mypurecloud.ie/channels/x", FALSE },
    { "mypurecloud.ie", "wss://user@streaming.mypurecloud.ie/channels/x", FALSE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie", FALSE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie/channels/x#f", FALSE },
    { "mypurecloud.ie", "wss://streaming.mypurecloud.ie/channels/x y", FALSE },
    { "mypurecloud.ie", "not a uri", FALSE },
    { "mypurecloud.ie", NULL, FALSE },
    { "http://127.0.0.1:4000", "ws://127.0.0.1:4000/channels/streaming-1", TRUE },
    { "http://127.0.0.1:4000", "ws://127.0.0.1:4001/channels/streaming-1", FALSE },
    { "http://127.0.0.1:4000", "wss://127.0.0.1:4000/channels/streaming-1", FALSE },
    { "http://127.0.0.1:4000", "ws://127.0.0.1/channels/streaming-1", FALSE },
    { "http://127.0.0.1:4000", "ws://evil.com:4000/channels/streaming-1", FALSE },
    { "http://127.0.0.1:4000", "wss://streaming.mypurecloud.com/channels/x", FALSE },
    { "http://[::1]:4000", "ws://[::1]:4000/channels/streaming-1", TRUE },
    { "http://localhost:4000", "ws://localhost:4000/channels/streaming-1", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwEnvironment) env = fw_environment_new (cases[i].spec, &error);

      g_assert_no_error (error);
      g_test_message ("%s owns %s?", cases[i].spec, cases[i].uri);
      g_assert_cmpint (fw_environment_owns_socket_uri (env, cases[i].uri), ==, cases[i].owned);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/environment/region-table", test_region_table);
  g_test_add_func ("/engine/environment/known-mappings", test_known_mappings);
  g_test_add_func ("/engine/environment/hostile-specs", test_hostile_specs);
  g_test_add_func ("/engine/environment/socket-uri", test_socket_uri);

  return g_test_run ();
}
