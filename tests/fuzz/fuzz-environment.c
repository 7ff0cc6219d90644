/* fuzz-environment.c — what the user types as a region, and the connectUri a
 * server offers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the environment spec, a newline, then a socket URI.  Besides "no
 * crash, a clear error", the target checks the promise that keeps the
 * credentials safe: a URI that fw_environment_owns_socket_uri() accepts is
 * one libsoup would connect to on this environment's own streaming host.
 */

#define G_LOG_DOMAIN "fuzz-environment"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fw-environment.h"
#include "fuzz-target.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fw_fuzz_setup_logging ();
  return 0;
}

/* The host and port a socket of @environment must go to. */
static void
expected_socket_host (FwEnvironment  *environment,
                      char          **host_out,
                      int            *port_out)
{
  const char *name = fw_environment_get_name (environment);

  if (fw_environment_is_loopback (environment))
    {
      g_autoptr(GUri) uri = g_uri_parse (name, G_URI_FLAGS_NONE, NULL);

      g_assert_nonnull (uri);
      g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
      *host_out = g_strdup (g_uri_get_host (uri));
      *port_out = g_uri_get_port (uri);
      g_assert_cmpint (*port_out, >, 0);
    }
  else
    {
      *host_out = g_strconcat ("streaming.", name, NULL);
      *port_out = 443;
    }
}

static void
check_environment (FwEnvironment *environment)
{
  const char *login = fw_environment_get_login_base (environment);
  const char *api = fw_environment_get_api_base (environment);
  const FwRegion *regions = fw_environment_get_regions ();
  const char *name = fw_environment_get_name (environment);
  g_autoptr(FwEnvironment) again = NULL;
  g_autoptr(GError) error = NULL;
  gboolean known = FALSE;

  g_assert_nonnull (name);
  g_assert_nonnull (login);
  g_assert_nonnull (api);
  g_assert_false (g_str_has_suffix (login, "/"));
  g_assert_false (g_str_has_suffix (api, "/"));

  if (fw_environment_is_loopback (environment))
    {
      g_assert_cmpstr (login, ==, name);
      g_assert_cmpstr (api, ==, name);
      g_assert_true (g_str_has_prefix (name, "http://127.0.0.1:") ||
                     g_str_has_prefix (name, "http://localhost:") ||
                     g_str_has_prefix (name, "http://[::1]:"));
    }
  else
    {
      /* Credentials only ever go to a known Genesys domain over https. */
      for (guint i = 0; regions[i].region != NULL; i++)
        known |= g_str_equal (regions[i].domain, name);
      g_assert_true (known);
      g_assert_true (g_str_has_prefix (login, "https://login."));
      g_assert_true (g_str_has_prefix (api, "https://api."));
      g_assert_cmpstr (login + strlen ("https://login."), ==, name);
      g_assert_cmpstr (api + strlen ("https://api."), ==, name);
    }

  /* The name is the spec as the user would type it again. */
  again = fw_environment_new (name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fw_environment_get_name (again), ==, name);
}

static void
check_socket_uri (FwEnvironment *environment,
                  const char    *uri)
{
  g_autoptr(GUri) as_soup_reads_it = NULL;
  g_autofree char *host = NULL;
  const char *scheme;
  int port;

  if (!fw_environment_owns_socket_uri (environment, uri))
    return;

  expected_socket_host (environment, &host, &port);

  /* libsoup parses a WebSocket URI with SOUP_HTTP_URI_FLAGS. */
  as_soup_reads_it = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert_nonnull (as_soup_reads_it);

  scheme = g_uri_get_scheme (as_soup_reads_it);
  if (fw_environment_is_loopback (environment))
    g_assert_cmpstr (scheme, ==, "ws");
  else
    g_assert_cmpstr (scheme, ==, "wss");

  g_assert_cmpint (g_ascii_strcasecmp (g_uri_get_host (as_soup_reads_it), host), ==, 0);
  g_assert_null (g_uri_get_userinfo (as_soup_reads_it));
  if (g_uri_get_port (as_soup_reads_it) != -1)
    g_assert_cmpint (g_uri_get_port (as_soup_reads_it), ==, port);
  else
    g_assert_cmpint (port, ==, 443);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *spec = NULL;
  g_autofree char *uri = NULL;

  /* Strings from C callers end at the first NUL; so do these. */
  if (newline != NULL)
    {
      spec = g_strndup ((const char *) data, newline - data);
      uri = g_strndup ((const char *) newline + 1, size - (newline - data) - 1);
    }
  else
    {
      spec = g_strndup ((const char *) data, size);
    }

  environment = fw_environment_new (spec, &error);
  if (environment == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FW_ENVIRONMENT_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  check_environment (environment);

  if (uri != NULL)
    check_socket_uri (environment, uri);
  g_assert_false (fw_environment_owns_socket_uri (environment, NULL));

  return 0;
}
