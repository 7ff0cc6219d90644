/* fw-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fw-user-tokens.h"

G_BEGIN_DECLS

/* The client secret lives in the keyring (libsecret schema
 * "io.github.floorwatch.Floorwatch.Credentials", attributes "environment" and
 * "client-id") and nowhere else. */

void      fw_credentials_store_async    (const char           *environment,
                                         const char           *client_id,
                                         const char           *secret,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  fw_credentials_store_finish   (GAsyncResult         *result,
                                         GError              **error);
void      fw_credentials_lookup_async   (const char           *environment,
                                         const char           *client_id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
/* Returns the secret in non-pageable memory (free with fw_credentials_free_secret),
 * or NULL without error when nothing is stored. */
char     *fw_credentials_lookup_finish  (GAsyncResult         *result,
                                         GError              **error);
void      fw_credentials_clear_async    (const char           *environment,
                                         const char           *client_id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  fw_credentials_clear_finish   (GAsyncResult         *result,
                                         GError              **error);
/* The ids of the notification channels a session holds, so that the next run
 * takes them back instead of making new ones (Genesys allows 20 per client).
 * A channel id lets anyone read the feed, so they live in the keyring too
 * (schema "io.github.floorwatch.Floorwatch.Channels"). Storing an empty list
 * removes the entry. */
void      fw_credentials_store_channels_async   (const char           *environment,
                                                 const char           *client_id,
                                                 const char * const   *channel_ids,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  fw_credentials_store_channels_finish  (GAsyncResult         *result,
                                                 GError              **error);
void      fw_credentials_lookup_channels_async  (const char           *environment,
                                                 const char           *client_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* NULL without error when nothing is stored. */
GStrv     fw_credentials_lookup_channels_finish (GAsyncResult         *result,
                                                 GError              **error);
/* A signed-in person's tokens (FwPkceLogin, fw_token_source_new_for_user()),
 * under their own schema "io.github.floorwatch.Floorwatch.UserToken"
 * (attributes "environment" and "client-id"), so that a lookup of a client
 * secret never finds them.  Store them again on the token source's
 * "user-tokens-changed". */
void          fw_credentials_store_user_tokens_async   (const char           *environment,
                                                        const char           *client_id,
                                                        FwUserTokens         *tokens,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean      fw_credentials_store_user_tokens_finish  (GAsyncResult         *result,
                                                        GError              **error);
void          fw_credentials_lookup_user_tokens_async  (const char           *environment,
                                                        const char           *client_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* NULL without error when nobody is signed in. */
FwUserTokens *fw_credentials_lookup_user_tokens_finish (GAsyncResult         *result,
                                                        GError              **error);
/* Signing out: removes the tokens.  FALSE without an error when nobody was
 * signed in. */
void          fw_credentials_clear_user_tokens_async   (const char           *environment,
                                                        const char           *client_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean      fw_credentials_clear_user_tokens_finish  (GAsyncResult         *result,
                                                        GError              **error);
/* Wipes and frees a secret returned by lookup. */
void      fw_credentials_free_secret    (char                 *secret);

G_END_DECLS
