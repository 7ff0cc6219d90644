/* fw-environment.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FW_ENVIRONMENT_ERROR (fw_environment_error_quark ())

typedef enum
{
  FW_ENVIRONMENT_ERROR_INVALID,       /* not a Genesys domain, not a loopback URL */
  FW_ENVIRONMENT_ERROR_INSECURE,      /* a known domain asked for over plain http */
} FwEnvironmentError;

typedef struct
{
  const char *region;   /* "eu-west-1" */
  const char *domain;   /* "mypurecloud.ie" */
  const char *label;    /* translatable display name, e.g. N_("EMEA (Dublin)") */
} FwRegion;

#define FW_TYPE_ENVIRONMENT (fw_environment_get_type ())

G_DECLARE_FINAL_TYPE (FwEnvironment, fw_environment, FW, ENVIRONMENT, GObject)

GQuark          fw_environment_error_quark      (void);

/* The known Genesys Cloud regions, terminated by an entry whose region is NULL. */
const FwRegion *fw_environment_get_regions      (void);

/* Accepts a region domain ("mypurecloud.ie", "https://api.mypurecloud.ie" is not
 * accepted), a region name ("eu-west-1"), or a loopback URL of the simulator
 * ("http://127.0.0.1:PORT", "http://localhost:PORT", "http://[::1]:PORT"). */
FwEnvironment  *fw_environment_new              (const char     *spec,
                                                 GError        **error);
/* The spec as the user would type it again: the domain, or the loopback URL. */
const char     *fw_environment_get_name         (FwEnvironment  *self);
gboolean        fw_environment_is_loopback      (FwEnvironment  *self);
/* "https://login.mypurecloud.ie" or "http://127.0.0.1:PORT" — no trailing slash. */
const char     *fw_environment_get_login_base   (FwEnvironment  *self);
/* "https://api.mypurecloud.ie" or "http://127.0.0.1:PORT" — no trailing slash. */
const char     *fw_environment_get_api_base     (FwEnvironment  *self);
/* TRUE when @uri (a connectUri, a redirect) is a host that belongs to this
 * environment: streaming.<domain> over wss, or the same loopback host over ws. */
gboolean        fw_environment_owns_socket_uri  (FwEnvironment  *self,
                                                 const char     *uri);

G_END_DECLS
