/* fw-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

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
/* Wipes and frees a secret returned by lookup. */
void      fw_credentials_free_secret    (char                 *secret);

G_END_DECLS
