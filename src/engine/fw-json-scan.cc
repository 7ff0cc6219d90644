/* fw-json-scan.cc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * simdjson's DOM parser validates the whole input (UTF-8, every token, one
 * value and nothing after it) before it hands out anything, which is what an
 * untrusted frame needs; On-Demand would skip the parts we never read.  Only
 * the error-code API is used, and nothing may throw across the C boundary.
 */

#define G_LOG_DOMAIN "fw-json-scan"

#include "config.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

#include <glib/gi18n-lib.h>
#include <simdjson.h>

#include "fw-json-scan.h"

static_assert (FW_JSON_SCAN_PADDING == simdjson::SIMDJSON_PADDING,
               "FW_JSON_SCAN_PADDING must match SIMDJSON_PADDING");

/* A parser keeps buffers sized for the largest document it has seen (about
 * 13 bytes per input byte).  Keep them for ordinary frames, give them back
 * after a big one. */
static constexpr size_t KEEP_CAPACITY = 64 * 1024;

/* One parser per thread, reused: its buffers are allocated once. */
static thread_local std::unique_ptr<simdjson::dom::parser> tl_parser;

static simdjson::dom::parser *
get_parser ()
{
  if (!tl_parser)
    tl_parser.reset (new (std::nothrow) simdjson::dom::parser ());

  return tl_parser.get ();
}

static FwJsonScanResult
fail (FwJsonEnvelope        *envelope,
      simdjson::error_code   code)
{
  switch (code)
    {
    case simdjson::UTF8_ERROR:
      envelope->error_detail = N_("not valid UTF-8");
      return FW_JSON_SCAN_NOT_UTF8;

    case simdjson::MEMALLOC:
      envelope->error_detail = N_("out of memory");
      return FW_JSON_SCAN_NO_MEMORY;

    case simdjson::EMPTY:
      envelope->error_detail = N_("empty document");
      break;

    case simdjson::DEPTH_ERROR:
      envelope->error_detail = N_("nested too deeply");
      break;

    case simdjson::UNESCAPED_CHARS:
      envelope->error_detail = N_("a string contains an unescaped control character");
      break;

    case simdjson::UNCLOSED_STRING:
      envelope->error_detail = N_("a string is not terminated");
      break;

    case simdjson::STRING_ERROR:
      envelope->error_detail = N_("a string has an invalid escape");
      break;

    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      envelope->error_detail = N_("a number is invalid or out of range");
      break;

    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      envelope->error_detail = N_("an invalid literal");
      break;

    case simdjson::CAPACITY:
      envelope->error_detail = N_("document too large");
      break;

    case simdjson::TAPE_ERROR:
    case simdjson::TRAILING_CONTENT:
    default:
      envelope->error_detail = N_("invalid structure");
      break;
    }

  return FW_JSON_SCAN_MALFORMED;
}

static bool
read_string (simdjson::dom::element   element,
             const char             **out,
             gsize                   *out_len)
{
  std::string_view value;

  if (element.get (value) != simdjson::SUCCESS)
    return false;

  *out = value.data ();
  *out_len = value.size ();
  return true;
}

static void
read_version (simdjson::dom::element  element,
              FwJsonEnvelope         *envelope)
{
  int64_t i;
  uint64_t u;
  double d;
  int n;

  if (read_string (element, &envelope->version, &envelope->version_len))
    return;

  if (element.get (i) == simdjson::SUCCESS)
    n = snprintf (envelope->version_buf, sizeof envelope->version_buf,
                  "%" G_GINT64_FORMAT, (gint64) i);
  else if (element.get (u) == simdjson::SUCCESS)
    n = snprintf (envelope->version_buf, sizeof envelope->version_buf,
                  "%" G_GUINT64_FORMAT, (guint64) u);
  else if (element.get (d) == simdjson::SUCCESS)
    n = (int) strlen (g_ascii_dtostr (envelope->version_buf, sizeof envelope->version_buf, d));
  else
    return;  /* null, a boolean, an array or an object: no version */

  if (n > 0 && (gsize) n < sizeof envelope->version_buf)
    {
      envelope->version = envelope->version_buf;
      envelope->version_len = (gsize) n;
    }
}

static FwJsonScanResult
duplicate (FwJsonEnvelope *envelope)
{
  /* json-glib, which shows the body later, keeps the last of two equal keys
   * and simdjson the first: refuse rather than show one thing and act on
   * another. */
  envelope->error_detail = N_("an envelope member appears twice");
  return FW_JSON_SCAN_MALFORMED;
}

static FwJsonScanResult
scan (simdjson::dom::parser *parser,
      const char            *data,
      gsize                  length,
      FwJsonEnvelope        *envelope)
{
  simdjson::dom::element root_element;
  simdjson::dom::object root;
  simdjson::error_code code;
  bool seen_topic = false;
  bool seen_version = false;
  bool seen_metadata = false;

  code = parser->parse (data, length, false).get (root_element);
  if (code != simdjson::SUCCESS)
    return fail (envelope, code);

  if (root_element.get (root) != simdjson::SUCCESS)
    {
      envelope->error_detail = N_("the top level is not an object");
      return FW_JSON_SCAN_NOT_OBJECT;
    }

  /* One pass over the top-level members instead of a lookup per key. */
  for (simdjson::dom::key_value_pair field : root)
    {
      if (field.key == "topicName")
        {
          if (seen_topic)
            return duplicate (envelope);
          seen_topic = true;
          read_string (field.value, &envelope->topic, &envelope->topic_len);
        }
      else if (field.key == "eventBody")
        {
          if (envelope->has_body)
            return duplicate (envelope);
          envelope->has_body = TRUE;
          envelope->body_is_object = field.value.is_object ();
        }
      else if (field.key == "metadata")
        {
          simdjson::dom::object metadata;
          simdjson::dom::element correlation_id;

          if (seen_metadata)
            return duplicate (envelope);
          seen_metadata = true;

          if (field.value.get (metadata) == simdjson::SUCCESS &&
              metadata.at_key ("CorrelationId").get (correlation_id) == simdjson::SUCCESS)
            read_string (correlation_id,
                         &envelope->correlation_id, &envelope->correlation_id_len);
        }
      else if (field.key == "version")
        {
          if (seen_version)
            return duplicate (envelope);
          seen_version = true;
          read_version (field.value, envelope);
        }
    }

  if (envelope->body_is_object &&
      envelope->topic != nullptr &&
      std::string_view (envelope->topic, envelope->topic_len) == "channel.metadata")
    {
      simdjson::dom::element message;

      if (root["eventBody"]["message"].get (message) == simdjson::SUCCESS)
        read_string (message, &envelope->message, &envelope->message_len);
    }

  return FW_JSON_SCAN_OK;
}

extern "C" FwJsonScanResult
fw_json_scan_envelope (const char     *data,
                       gsize           length,
                       FwJsonEnvelope *envelope)
{
  simdjson::dom::parser *parser;

  g_return_val_if_fail (data != NULL || length == 0, FW_JSON_SCAN_MALFORMED);
  g_return_val_if_fail (envelope != NULL, FW_JSON_SCAN_MALFORMED);

  memset (envelope, 0, offsetof (FwJsonEnvelope, version_buf));
  envelope->version_buf[0] = '\0';

  try
    {
      parser = get_parser ();
      if (parser == nullptr)
        {
          envelope->error_detail = N_("out of memory");
          return FW_JSON_SCAN_NO_MEMORY;
        }

      /* simdjson reads a NULL pointer as "no input"; give it an empty string. */
      return scan (parser, data ? data : "", length, envelope);
    }
  catch (...)
    {
      /* Nothing here throws with the error-code API, except allocation
       * inside the library; never let it unwind into C. */
      memset (envelope, 0, offsetof (FwJsonEnvelope, version_buf));
      envelope->error_detail = N_("out of memory");
      return FW_JSON_SCAN_NO_MEMORY;
    }
}

extern "C" void
fw_json_scan_trim (void)
{
  if (tl_parser && tl_parser->capacity () > KEEP_CAPACITY)
    tl_parser.reset ();
}
