/* fw-api.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fw-token-source.h"

G_BEGIN_DECLS

#define FW_API_ERROR (fw_api_error_quark ())

typedef enum
{
  FW_API_ERROR_NOT_FOUND,           /* 404 */
  FW_API_ERROR_CREDENTIALS,         /* 401 twice, or the token grant was rejected */
  FW_API_ERROR_FORBIDDEN,           /* 403 */
  FW_API_ERROR_BAD_REQUEST,         /* any other 4xx (body message in the error text) */
  FW_API_ERROR_UNAVAILABLE,         /* 5xx, 429 or network errors after the retries */
  FW_API_ERROR_TIMEOUT,             /* one attempt took longer than "request-timeout" */
  FW_API_ERROR_INVALID_RESPONSE,    /* 2xx whose body is not the JSON we need */
} FwApiError;

#define FW_TYPE_API (fw_api_get_type ())

G_DECLARE_FINAL_TYPE (FwApi, fw_api, FW, API, GObject)

GQuark         fw_api_error_quark        (void);

FwApi         *fw_api_new                (SoupSession          *soup,
                                          FwTokenSource        *tokens);
SoupSession   *fw_api_get_soup_session   (FwApi                *self);
FwTokenSource *fw_api_get_token_source   (FwApi                *self);
FwEnvironment *fw_api_get_environment    (FwApi                *self);

/* @path starts with "/api/v2/…" and may carry a query.  @body may be NULL.
 * Bearer header; one retry with a fresh token after a 401; 429 waits
 * Retry-After (and holds every other request of this FwApi until then, giving
 * up past 180 s); 502/503/504 and network errors retry with backoff
 * ("max-retries" times).  An empty 2xx body finishes with a JSON null node. */
void           fw_api_call_async         (FwApi                *self,
                                          const char           *method,
                                          const char           *path,
                                          JsonNode             *body,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
JsonNode      *fw_api_call_finish        (FwApi                *self,
                                          GAsyncResult         *result,
                                          GError              **error);
/* Properties: "request-timeout" (guint ms, default 30000), "max-retries" (guint,
 * default 4), "backoff-initial" (guint ms, default 500), "backoff-cap" (guint ms,
 * default 60000), "max-retry-after" (guint ms, default 180000). */

G_END_DECLS
