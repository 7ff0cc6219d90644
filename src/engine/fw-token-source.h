/* fw-token-source.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fw-environment.h"
#include "fw-user-tokens.h"

G_BEGIN_DECLS

#define FW_TOKEN_ERROR (fw_token_error_quark ())

typedef enum
{
  FW_TOKEN_ERROR_REJECTED,     /* invalid_client: fatal until the user fixes the credentials */
  FW_TOKEN_ERROR_FAILED,       /* any other failure (network, 5xx, bad answer): retry later */
} FwTokenError;

/* How a token source gets its next access token. */
typedef enum
{
  FW_TOKEN_GRANT_CLIENT_CREDENTIALS,  /* an OAuth client and its secret */
  FW_TOKEN_GRANT_REFRESH_TOKEN,       /* a signed-in person, renewed silently with the refresh token */
  FW_TOKEN_GRANT_NONE,                /* a signed-in person without refresh token: the person
                                       * must sign in again before the token expires */
} FwTokenGrant;

#define FW_TYPE_TOKEN_SOURCE (fw_token_source_get_type ())

G_DECLARE_FINAL_TYPE (FwTokenSource, fw_token_source, FW, TOKEN_SOURCE, GObject)

GQuark         fw_token_error_quark               (void);

/* The secret is copied into memory the token source wipes on finalize; it is
 * never logged and only ever sent to fw_environment_get_login_base(). */
FwTokenSource *fw_token_source_new                (SoupSession         *soup,
                                                   FwEnvironment       *environment,
                                                   const char          *client_id,
                                                   const char          *secret);
FwEnvironment *fw_token_source_get_environment    (FwTokenSource       *self);
const char    *fw_token_source_get_client_id      (FwTokenSource       *self);
/* Hands out the cached token, or runs one grant that every waiting caller shares. */
void           fw_token_source_get_token_async    (FwTokenSource       *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char          *fw_token_source_get_token_finish   (FwTokenSource       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* Forgets @token if it is still the current one (a 401 said it is no good). */
void           fw_token_source_invalidate         (FwTokenSource       *self,
                                                   const char          *token);
/* TRUE once a grant answered invalid_client; cleared by a new token source. */
gboolean       fw_token_source_get_rejected       (FwTokenSource       *self);
/* Properties: "renew-fraction" (double, default 0.8: renew at 80 % of expires_in),
 * "request-timeout" (guint ms, default 30000), "rejected" (read-only). */

/* ---- A person signed in (see FwPkceLogin) instead of a client secret ----
 *
 * The access token of @tokens is handed out while it lasts.  With a refresh
 * token, it is renewed ahead of expiry like a client-credentials token
 * (grant_type=refresh_token, no secret); without one, "sign-in-needed" turns
 * TRUE at the renewal time and the token runs out.  A refused refresh
 * (invalid_grant), an expired token without refresh token or a 401 on it make
 * the source "rejected" (FW_TOKEN_ERROR_REJECTED, the session goes
 * AUTH_FAILED) and "sign-in-needed" until fw_token_source_set_user_tokens()
 * gives it a new sign-in.
 *
 * Signal "user-tokens-changed" (FwUserTokens *tokens): emitted after each
 * renewal; store @tokens again (fw_credentials_store_user_tokens_async()),
 * because a rotating login server spends the old refresh token.
 * Property "sign-in-needed" (gboolean, read-only, notify). */
FwTokenSource *fw_token_source_new_for_user       (SoupSession         *soup,
                                                   FwEnvironment       *environment,
                                                   const char          *client_id,
                                                   FwUserTokens        *tokens);
FwTokenGrant   fw_token_source_get_grant          (FwTokenSource       *self);
/* The current tokens of a person's token source (to store them); NULL for
 * client credentials and after a rejection. */
FwUserTokens  *fw_token_source_dup_user_tokens    (FwTokenSource       *self);
/* After the person signed in again: takes @tokens, clears "rejected" and
 * "sign-in-needed".  A session that went AUTH_FAILED needs
 * fw_session_stop() and fw_session_start() to go on. */
void           fw_token_source_set_user_tokens    (FwTokenSource       *self,
                                                   FwUserTokens        *tokens);
gboolean       fw_token_source_get_sign_in_needed (FwTokenSource       *self);

G_END_DECLS
