/* fw-user-tokens.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FW_TYPE_USER_TOKENS (fw_user_tokens_get_type ())

G_DECLARE_FINAL_TYPE (FwUserTokens, fw_user_tokens, FW, USER_TOKENS, GObject)

/* What a person's sign-in yields (FwPkceLogin) and what a token source in
 * user mode renews: an access token, maybe a refresh token, and when the
 * access token was obtained and when it expires (g_get_real_time() µs).
 * Immutable.  Both tokens are secrets: they are wiped when the object goes,
 * never logged, and kept only in the keyring
 * (fw_credentials_store_user_tokens_async()). */
FwUserTokens *fw_user_tokens_new                  (const char    *access_token,
                                                   const char    *refresh_token,
                                                   gint64         obtained_at,
                                                   gint64         expires_at);
/* Reads a token endpoint's answer, {"access_token", "token_type": "bearer",
 * "expires_in", "refresh_token" (optional)}; @requested_at is when the
 * request went out, so that the expiry errs on the early side. */
FwUserTokens *fw_user_tokens_new_from_response    (GBytes        *body,
                                                   gint64         requested_at,
                                                   GError       **error);
/* The keyring's form (a small JSON object) and back.  The string is a
 * secret: wipe it (explicit_bzero) before freeing it. */
char         *fw_user_tokens_serialize            (FwUserTokens  *self);
FwUserTokens *fw_user_tokens_new_from_serialized  (const char    *text,
                                                   GError       **error);
/* NULL only for tokens read back without an access token (a refresh token alone). */
const char   *fw_user_tokens_get_access_token     (FwUserTokens  *self);
/* NULL when the login server gave none: the person signs in again before expiry. */
const char   *fw_user_tokens_get_refresh_token    (FwUserTokens  *self);
gint64        fw_user_tokens_get_obtained_at      (FwUserTokens  *self);
gint64        fw_user_tokens_get_expires_at       (FwUserTokens  *self);

G_END_DECLS
