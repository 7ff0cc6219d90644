/* fw-token-source.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fw-environment.h"

G_BEGIN_DECLS

#define FW_TOKEN_ERROR (fw_token_error_quark ())

typedef enum
{
  FW_TOKEN_ERROR_REJECTED,     /* invalid_client: fatal until the user fixes the credentials */
  FW_TOKEN_ERROR_FAILED,       /* any other failure (network, 5xx, bad answer): retry later */
} FwTokenError;

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

G_END_DECLS
