/* fw-cli-json.c — reading REST answers without trusting their shape.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include "fw-cli-private.h"

const char *
fw_cli_json_get_string (JsonObject *object,
                        const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;

  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonArray *
fw_cli_json_get_entities (JsonNode *answer)
{
  JsonObject *object;
  JsonNode *entities;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;

  object = json_node_get_object (answer);
  if (!json_object_has_member (object, "entities"))
    return NULL;

  entities = json_object_get_member (object, "entities");
  return JSON_NODE_HOLDS_ARRAY (entities) ? json_node_get_array (entities) : NULL;
}

JsonObject *
fw_cli_json_array_get_object (JsonArray *array,
                              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
