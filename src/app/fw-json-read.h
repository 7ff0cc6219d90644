/* fw-json-read.h — reading JSON of any shape without complaint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Notifications and REST answers are untrusted: a member that is missing
 * and one of the wrong type both read as absent (NULL or FALSE), where
 * json_object_get_*_member() would warn.  Every function takes NULL.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The object @node holds, or NULL. */
JsonObject *fw_json_node_object    (JsonNode    *node);
JsonObject *fw_json_get_object     (JsonObject  *object,
                                    const char  *name);
JsonArray  *fw_json_get_array      (JsonObject  *object,
                                    const char  *name);
const char *fw_json_get_string     (JsonObject  *object,
                                    const char  *name);
/* Like fw_json_get_string(), but "" reads as absent too. */
const char *fw_json_get_nonempty   (JsonObject  *object,
                                    const char  *name);
/* An integer or a double member, as a double. */
gboolean    fw_json_get_number     (JsonObject  *object,
                                    const char  *name,
                                    double      *value);
gboolean    fw_json_get_boolean    (JsonObject  *object,
                                    const char  *name,
                                    gboolean    *value);
/* The object at @index of @array, or NULL (also past the end). */
JsonObject *fw_json_array_object   (JsonArray   *array,
                                    guint        index);

G_END_DECLS
