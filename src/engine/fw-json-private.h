/* fw-json-private.h — reading REST answers that may have any shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's json_object_get_*_member() functions complain (a critical) when
 * a member has another type than asked.  A server's answer is untrusted: these
 * return NULL for a missing member and for one of the wrong type alike.
 */

#pragma once

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

G_END_DECLS
