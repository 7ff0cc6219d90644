/* fw-environment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-environment"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fw-environment.h"

struct _FwEnvironment
{
  GObject  parent_instance;

  /* The normalised spec: a region domain or a loopback URL. */
  char    *name;
  char    *login_base;
  char    *api_base;
  /* Domains: "streaming.<domain>".  Loopback: the host as GUri reports it. */
  char    *socket_host;
  int      socket_port;
  guint    loopback : 1;
};

G_DEFINE_FINAL_TYPE (FwEnvironment, fw_environment, G_TYPE_OBJECT)

G_DEFINE_QUARK (fw-environment-error-quark, fw_environment_error)

/* Keep in step with the region table of the Genesys Cloud SDKs.  The labels
 * follow the "Area (place)" naming users know from the Genesys web client. */
static const FwRegion regions[] = {
  { "us-east-1",      "mypurecloud.com",        N_("Americas (US East)") },
  { "us-east-2",      "use2.us-gov-pure.cloud", N_("Americas (US East 2, FedRAMP)") },
  { "us-west-2",      "usw2.pure.cloud",        N_("Americas (US West)") },
  { "ca-central-1",   "cac1.pure.cloud",        N_("Americas (Canada)") },
  { "sa-east-1",      "sae1.pure.cloud",        N_("Americas (São Paulo)") },
  { "mx-central-1",   "mxc1.pure.cloud",        N_("Americas (Mexico)") },
  { "eu-west-1",      "mypurecloud.ie",         N_("EMEA (Dublin)") },
  { "eu-west-2",      "euw2.pure.cloud",        N_("EMEA (London)") },
  { "eu-central-1",   "mypurecloud.de",         N_("EMEA (Frankfurt)") },
  { "eu-central-2",   "euc2.pure.cloud",        N_("EMEA (Zurich)") },
  { "eusc-de-east-1", "edee1.eusc-pure.cloud",  N_("EMEA (EU Sovereign Cloud, Germany)") },
  { "me-central-1",   "mec1.pure.cloud",        N_("EMEA (UAE)") },
  { "ap-south-1",     "aps1.pure.cloud",        N_("Asia Pacific (Mumbai)") },
  { "ap-southeast-1", "apse1.pure.cloud",       N_("Asia Pacific (Singapore)") },
  { "ap-southeast-2", "mypurecloud.com.au",     N_("Asia Pacific (Sydney)") },
  { "ap-northeast-1", "mypurecloud.jp",         N_("Asia Pacific (Tokyo)") },
  { "ap-northeast-2", "apne2.pure.cloud",       N_("Asia Pacific (Seoul)") },
  { "ap-northeast-3", "apne3.pure.cloud",       N_("Asia Pacific (Osaka)") },
  { NULL, NULL, NULL }
};

static const char * const loopback_hosts[] = { "127.0.0.1", "localhost", "[::1]", NULL };

static void
fw_environment_finalize (GObject *object)
{
  FwEnvironment *self = (FwEnvironment *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->login_base, g_free);
  g_clear_pointer (&self->api_base, g_free);
  g_clear_pointer (&self->socket_host, g_free);

  G_OBJECT_CLASS (fw_environment_parent_class)->finalize (object);
}

static void
fw_environment_class_init (FwEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_environment_finalize;
}

static void
fw_environment_init (FwEnvironment *self)
{
  self->socket_port = -1;
}

const FwRegion *
fw_environment_get_regions (void)
{
  return regions;
}

static const FwRegion *
find_region (const char *name_or_domain)
{
  for (guint i = 0; regions[i].region != NULL; i++)
    {
      if (strcmp (regions[i].region, name_or_domain) == 0 ||
          strcmp (regions[i].domain, name_or_domain) == 0)
        return &regions[i];
    }

  return NULL;
}

/* TRUE when @host is a known domain or a host under one ("api.mypurecloud.ie"). */
static gboolean
is_genesys_host (const char *host)
{
  for (guint i = 0; regions[i].region != NULL; i++)
    {
      const char *domain = regions[i].domain;
      gsize host_len = strlen (host);
      gsize domain_len = strlen (domain);

      if (strcmp (host, domain) == 0)
        return TRUE;
      if (host_len > domain_len + 1 &&
          host[host_len - domain_len - 1] == '.' &&
          strcmp (host + host_len - domain_len, domain) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Parses the digits of a port: no sign, no leading zero, 1–65535. */
static gboolean
parse_port (const char *text,
            guint      *port)
{
  guint value = 0;
  gsize len = strlen (text);

  if (len == 0 || len > 5 || text[0] == '0')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }

  if (value == 0 || value > 65535)
    return FALSE;

  *port = value;
  return TRUE;
}

static gboolean
parse_loopback (FwEnvironment  *self,
                const char     *spec,
                const char     *authority,
                GError        **error)
{
  g_autofree char *host_port = NULL;
  const char *port_text = NULL;
  const char *host = NULL;
  char *slash;
  guint port = 0;

  host_port = g_strdup (authority);

  /* Tolerate one trailing slash (an empty path), nothing more. */
  slash = strchr (host_port, '/');
  if (slash != NULL)
    {
      if (slash[1] != '\0')
        {
          g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                       _("“%s” has a path; the simulator address is only "
                         "“http://127.0.0.1:PORT”."),
                       spec);
          return FALSE;
        }
      *slash = '\0';
    }

  if (strpbrk (host_port, "?#") != NULL)
    {
      g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                   _("“%s” has a query or fragment; the simulator address is only "
                     "“http://127.0.0.1:PORT”."),
                   spec);
      return FALSE;
    }

  if (strchr (host_port, '@') != NULL)
    {
      g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                   _("“%s” contains a user name; Floorwatch never puts credentials "
                     "in an address."),
                   spec);
      return FALSE;
    }

  for (guint i = 0; loopback_hosts[i] != NULL; i++)
    {
      gsize len = strlen (loopback_hosts[i]);

      if (strncmp (host_port, loopback_hosts[i], len) == 0 && host_port[len] == ':')
        {
          host = loopback_hosts[i];
          port_text = host_port + len + 1;
          break;
        }
    }

  if (host == NULL)
    {
      const char *bare = host_port;
      g_autofree char *host_only = NULL;
      const char *colon = strrchr (host_port, ':');

      if (bare[0] != '[' && colon != NULL)
        host_only = g_strndup (host_port, colon - host_port);
      else
        host_only = g_strdup (host_port);

      if (is_genesys_host (host_only))
        g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INSECURE,
                     _("“%s” uses plain http; Genesys Cloud is only reached over https. "
                       "Enter the region’s domain, such as “mypurecloud.ie”."),
                     spec);
      else if (g_strv_contains (loopback_hosts, host_only))
        g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                     _("“%s” has no port; the simulator address looks like "
                       "“http://127.0.0.1:PORT”."),
                     spec);
      else
        g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                     _("“%s” is not on this computer; plain http is only allowed for a local "
                       "simulator (127.0.0.1, localhost or [::1])."),
                     spec);
      return FALSE;
    }

  if (!parse_port (port_text, &port))
    {
      g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                   _("“%s” does not end in a port number between 1 and 65535."),
                   spec);
      return FALSE;
    }

  self->loopback = TRUE;
  self->name = g_strdup_printf ("http://%s:%u", host, port);
  self->login_base = g_strdup (self->name);
  self->api_base = g_strdup (self->name);
  /* GUri reports an IPv6 literal without its brackets. */
  if (host[0] == '[')
    self->socket_host = g_strndup (host + 1, strlen (host) - 2);
  else
    self->socket_host = g_strdup (host);
  self->socket_port = (int) port;

  return TRUE;
}

FwEnvironment *
fw_environment_new (const char  *spec,
                    GError     **error)
{
  g_autoptr(FwEnvironment) self = NULL;
  g_autofree char *lower = NULL;
  const FwRegion *region;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (spec == NULL || spec[0] == '\0')
    {
      g_set_error_literal (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                           _("No Genesys Cloud region was given. Enter the region’s domain, "
                             "such as “mypurecloud.ie”, or its name, such as “eu-west-1”."));
      return NULL;
    }

  if (!g_utf8_validate (spec, -1, NULL))
    {
      g_set_error_literal (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                           _("The Genesys Cloud region is not valid text."));
      return NULL;
    }

  for (const char *p = spec; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f)
        {
          g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                       _("“%s” contains spaces or characters that no Genesys Cloud "
                         "region has."),
                       spec);
          return NULL;
        }
    }

  /* Host names and schemes are case-insensitive; the table is lower case. */
  lower = g_ascii_strdown (spec, -1);
  self = g_object_new (FW_TYPE_ENVIRONMENT, NULL);

  if (g_str_has_prefix (lower, "http://"))
    {
      if (!parse_loopback (self, spec, lower + strlen ("http://"), error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (strstr (lower, "://") != NULL || strchr (lower, '/') != NULL)
    {
      g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                   _("“%s” is an address, not a region. Enter the region’s domain, such as "
                     "“mypurecloud.ie”, or its name, such as “eu-west-1”."),
                   spec);
      return NULL;
    }

  region = find_region (lower);
  if (region == NULL)
    {
      g_set_error (error, FW_ENVIRONMENT_ERROR, FW_ENVIRONMENT_ERROR_INVALID,
                   _("“%s” is not a Genesys Cloud region. Enter the region’s domain, such as "
                     "“mypurecloud.ie”, or its name, such as “eu-west-1”."),
                   spec);
      return NULL;
    }

  self->name = g_strdup (region->domain);
  self->login_base = g_strdup_printf ("https://login.%s", region->domain);
  self->api_base = g_strdup_printf ("https://api.%s", region->domain);
  self->socket_host = g_strdup_printf ("streaming.%s", region->domain);
  self->socket_port = 443;

  return g_steal_pointer (&self);
}

const char *
fw_environment_get_name (FwEnvironment *self)
{
  g_return_val_if_fail (FW_IS_ENVIRONMENT (self), NULL);

  return self->name;
}

gboolean
fw_environment_is_loopback (FwEnvironment *self)
{
  g_return_val_if_fail (FW_IS_ENVIRONMENT (self), FALSE);

  return self->loopback;
}

const char *
fw_environment_get_login_base (FwEnvironment *self)
{
  g_return_val_if_fail (FW_IS_ENVIRONMENT (self), NULL);

  return self->login_base;
}

const char *
fw_environment_get_api_base (FwEnvironment *self)
{
  g_return_val_if_fail (FW_IS_ENVIRONMENT (self), NULL);

  return self->api_base;
}

gboolean
fw_environment_owns_socket_uri (FwEnvironment *self,
                                const char    *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  int port;

  g_return_val_if_fail (FW_IS_ENVIRONMENT (self), FALSE);

  if (uri == NULL)
    return FALSE;

  for (const char *p = uri; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f)
        return FALSE;
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);
  path = g_uri_get_path (parsed);
  port = g_uri_get_port (parsed);

  if (host == NULL || g_uri_get_userinfo (parsed) != NULL || g_uri_get_fragment (parsed) != NULL)
    return FALSE;
  if (path == NULL || path[0] != '/')
    return FALSE;
  if (g_ascii_strcasecmp (host, self->socket_host) != 0)
    return FALSE;

  if (self->loopback)
    return g_ascii_strcasecmp (scheme, "ws") == 0 && port == self->socket_port;

  return g_ascii_strcasecmp (scheme, "wss") == 0 && (port == -1 || port == 443);
}
