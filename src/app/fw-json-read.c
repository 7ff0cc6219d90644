/* fw-json-read.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-json-read"

#include "config.h"

#include "fw-json-read.h"

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  return json_object_get_member (object, name);
}

static JsonNode *
get_value (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

JsonObject *
fw_json_node_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonObject *
fw_json_get_object (JsonObject *object,
                    const char *name)
{
  return fw_json_node_object (get_member (object, name));
}

JsonArray *
fw_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

const char *
fw_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = get_value (object, name, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

const char *
fw_json_get_nonempty (JsonObject *object,
                      const char *name)
{
  const char *value = fw_json_get_string (object, name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

gboolean
fw_json_get_number (JsonObject *object,
                    const char *name,
                    double     *value)
{
  JsonNode *node;

  if ((node = get_value (object, name, G_TYPE_INT64)))
    *value = (double) json_node_get_int (node);
  else if ((node = get_value (object, name, G_TYPE_DOUBLE)))
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

gboolean
fw_json_get_boolean (JsonObject *object,
                     const char *name,
                     gboolean   *value)
{
  JsonNode *node = get_value (object, name, G_TYPE_BOOLEAN);

  if (node == NULL)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
fw_json_array_object (JsonArray *array,
                      guint      index)
{
  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  return fw_json_node_object (json_array_get_element (array, index));
}
