/* fw-json-private.h — reading REST answers that may have any shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's json_object_get_*_member() functions complain (a critical) when
 * a member has another type than asked.  A server's answer is untrusted: these
 * return NULL for a missing member and for one of the wrong type alike.
 */

#pragma once

#include <math.h>

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

static inline const char *
_fw_json_get_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static inline JsonArray *
_fw_json_get_array (JsonObject *object,
                    const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The object of @node, or NULL when @node is no object. */
static inline JsonObject *
_fw_json_node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The object that @data holds, parsed by @parser; NULL when @data is empty,
 * not JSON, or JSON that is no object.  White space alone is valid to
 * json-glib and leaves the parser without a root. */
static inline JsonObject *
_fw_json_parse_object (JsonParser *parser,
                       const char *data,
                       gsize       length)
{
  if (length == 0 || length > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  return _fw_json_node_object (json_parser_get_root (parser));
}

/* The number @node holds, as a whole number: an integer as it is, any other
 * number cut to its integer part and held to gint64's range (casting a double
 * out of that range is undefined: 1e400 is infinity to json-glib).  FALSE
 * when @node holds no number. */
static inline gboolean
_fw_json_node_get_int64 (JsonNode *node,
                         gint64   *out)
{
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return FALSE;

  value = json_node_get_double (node);
  if (isnan (value))
    return FALSE;
  /* (double) G_MAXINT64 is 2^63, the first value out of range. */
  if (value >= (double) G_MAXINT64)
    *out = G_MAXINT64;
  else if (value <= (double) G_MININT64)
    *out = G_MININT64;
  else
    *out = (gint64) value;
  return TRUE;
}

G_END_DECLS
