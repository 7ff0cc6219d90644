/* fw-pkce-login.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fw-environment.h"
#include "fw-user-tokens.h"

G_BEGIN_DECLS

#define FW_PKCE_LOGIN_ERROR (fw_pkce_login_error_quark ())

typedef enum
{
  FW_PKCE_LOGIN_ERROR_STATE_MISMATCH,  /* the redirect carried another state: not our sign-in */
  FW_PKCE_LOGIN_ERROR_DENIED,          /* the person cancelled, or the login page answered an error */
  FW_PKCE_LOGIN_ERROR_REJECTED,        /* the token endpoint refused the code or the client */
  FW_PKCE_LOGIN_ERROR_TIMED_OUT,       /* no redirect within "timeout" */
  FW_PKCE_LOGIN_ERROR_FAILED,          /* no listener, no login server, a bad answer */
} FwPkceLoginError;

#define FW_TYPE_PKCE_LOGIN (fw_pkce_login_get_type ())

G_DECLARE_FINAL_TYPE (FwPkceLogin, fw_pkce_login, FW, PKCE_LOGIN, GObject)

/* "Sign in as yourself": the OAuth authorization-code grant with PKCE for a
 * native app (RFC 6749 §4.1, RFC 7636, RFC 8252), for a Genesys Cloud OAuth
 * client of type "Code Authorization" with PKCE and no secret, whose
 * redirect URI is http://127.0.0.1:PORT/callback.
 *
 * How the app uses it:
 *   login = fw_pkce_login_new (soup, environment, client_id);
 *   fw_pkce_login_sign_in_async (login, cancellable, signed_in_cb, self);
 *   gtk_show_uri (window, fw_pkce_login_get_authorize_uri (login), GDK_CURRENT_TIME);
 *     (in a Flatpak this goes through the OpenURI portal; the CLI prints the
 *     URI and tries g_app_info_launch_default_for_uri())
 *   in signed_in_cb: tokens = fw_pkce_login_sign_in_finish (…);
 *     fw_credentials_store_user_tokens_async (…, tokens, …);
 *     api = fw_api_new (soup, fw_token_source_new_for_user (soup, environment,
 *                                                          client_id, tokens));
 *   Cancelling the cancellable (a "Cancel" button) stops the listener.
 *
 * sign_in_async() listens on 127.0.0.1 ("port", 0: a free one) for
 * /callback, makes a verifier from the system's CSPRNG and a random state,
 * and sets "authorize-uri" before it returns.  When the browser comes back,
 * the state is checked (a mismatch ends the sign-in, and the page says so),
 * the code is exchanged for tokens with the verifier at
 * fw_environment_get_login_base()/oauth/token (and nowhere else), and the
 * browser gets a page saying it may close the tab.  No client secret
 * exists on the desktop.
 *
 * Properties: "authorize-uri" (string, read-only, notify), "redirect-uri"
 * (string, read-only), "port" (guint, default 0: a free port; set one when
 * the OAuth client's redirect URI names a fixed port), "timeout" (guint ms,
 * default 300000: the browser step), "request-timeout" (guint ms, default
 * 30000: the token exchange). */
GQuark        fw_pkce_login_error_quark         (void);

FwPkceLogin  *fw_pkce_login_new                 (SoupSession          *soup,
                                                 FwEnvironment        *environment,
                                                 const char           *client_id);
FwEnvironment *fw_pkce_login_get_environment    (FwPkceLogin          *self);
const char   *fw_pkce_login_get_client_id       (FwPkceLogin          *self);
/* One sign-in at a time per object (G_IO_ERROR_PENDING otherwise). */
void          fw_pkce_login_sign_in_async       (FwPkceLogin          *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
FwUserTokens *fw_pkce_login_sign_in_finish      (FwPkceLogin          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* The login page to open in the browser; NULL until sign_in_async() listens. */
const char   *fw_pkce_login_get_authorize_uri   (FwPkceLogin          *self);
/* "http://127.0.0.1:PORT/callback"; NULL until sign_in_async() listens. */
const char   *fw_pkce_login_get_redirect_uri    (FwPkceLogin          *self);

/* The PKCE pieces, public for tests.  A verifier is 43 characters of the
 * unreserved alphabet ([A-Za-z0-9-._~]) from 32 bytes of the system's CSPRNG
 * (getrandom(2)); the challenge is BASE64URL(SHA256(verifier)) unpadded. */
char         *fw_pkce_generate_verifier         (GError              **error);
char         *fw_pkce_compute_challenge         (const char           *verifier);

G_END_DECLS
