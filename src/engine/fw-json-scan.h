/* fw-json-scan.h — validates a notification frame and reads its envelope.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The notification hot path: one call checks the whole document (UTF-8, JSON
 * syntax, nothing after the top-level value) with simdjson's DOM parser and
 * picks out the few envelope fields FwNotification keeps.  json-glib stays the
 * library for everything else; this is the only place that speaks C++.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes that must be readable after the end of the document passed to
 * fw_json_scan_envelope() (simdjson reads whole blocks; their content does
 * not matter).  Equal to SIMDJSON_PADDING, checked at compile time. */
#define FW_JSON_SCAN_PADDING 64

typedef enum
{
  FW_JSON_SCAN_OK,
  FW_JSON_SCAN_NOT_UTF8,
  FW_JSON_SCAN_MALFORMED,    /* not JSON, or more than one value, or too deep */
  FW_JSON_SCAN_NOT_OBJECT,   /* valid JSON whose top level is not an object */
  FW_JSON_SCAN_NO_MEMORY,
} FwJsonScanResult;

typedef struct
{
  /* Unescaped strings, not NUL-terminated; NULL when the member is absent
   * or has another type.  They point into per-thread parser memory and stay
   * valid until the next fw_json_scan_* call on the same thread. */
  const char *topic;
  gsize       topic_len;
  const char *correlation_id;   /* metadata.CorrelationId */
  gsize       correlation_id_len;
  const char *version;          /* a string, or a number written out */
  gsize       version_len;
  const char *message;          /* eventBody.message, read for channel.metadata only */
  gsize       message_len;
  gboolean    has_body;         /* eventBody present */
  gboolean    body_is_object;
  /* For a failed scan: a short static description of what is wrong, never
   * quoting the input; marked for translation, pass it through _(). */
  const char *error_detail;
  char        version_buf[32];
} FwJsonEnvelope;

/* Validates @length bytes at @data as one JSON document and fills @envelope.
 * @data must have FW_JSON_SCAN_PADDING readable bytes after @length. */
FwJsonScanResult fw_json_scan_envelope (const char      *data,
                                        gsize            length,
                                        FwJsonEnvelope  *envelope);
/* Gives back parser memory grown by an unusually large document.  Call after
 * the envelope's strings have been copied. */
void             fw_json_scan_trim     (void);

G_END_DECLS
