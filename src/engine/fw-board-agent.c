/* fw-board-agent.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-board-agent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fw-board-agent.h"

struct _FwBoardAgent
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *presence;
  gint64   presence_since;
  char    *routing_status;
  gint64   routing_since;
};

G_DEFINE_FINAL_TYPE (FwBoardAgent, fw_board_agent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PRESENCE,
  PROP_PRESENCE_SINCE,
  PROP_ROUTING_STATUS,
  PROP_ROUTING_SINCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The values the API documents, in the spelling notifications use.  REST
 * answers spell presences for display ("On Queue") and organization presence
 * definitions run words together ("OnQueue"). */
static const char * const known_statuses[] = {
  "AVAILABLE", "AWAY", "BUSY", "OFFLINE", "IDLE", "ON_QUEUE", "MEAL", "TRAINING",
  "MEETING", "BREAK", "OFF_QUEUE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING",
};

static char *
comparison_key (const char *value)
{
  GString *key = g_string_sized_new (strlen (value));

  for (const char *c = value; *c != '\0'; c++)
    if (*c != ' ' && *c != '_')
      g_string_append_c (key, g_ascii_toupper (*c));
  return g_string_free (key, FALSE);
}

char *
fw_board_normalize_status (const char *value)
{
  g_autofree char *key = NULL;
  g_autofree char *trimmed = NULL;
  char *canonical;

  if (value == NULL)
    return NULL;

  key = comparison_key (value);
  for (guint i = 0; i < G_N_ELEMENTS (known_statuses); i++)
    {
      g_autofree char *candidate = comparison_key (known_statuses[i]);

      if (g_str_equal (key, candidate))
        return g_strdup (known_statuses[i]);
    }

  /* A value we do not know yet: keep it, in the notifications' style. */
  trimmed = g_strstrip (g_strdup (value));
  canonical = g_ascii_strup (trimmed, -1);
  g_strdelimit (canonical, " ", '_');
  return canonical;
}

gboolean
fw_board_status_equal (const char *a,
                       const char *b)
{
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  key_a = comparison_key (a);
  key_b = comparison_key (b);
  return g_str_equal (key_a, key_b);
}

const char *
fw_board_status_label (const char *status)
{
  static const struct
  {
    const char *status;
    const char *label;
  } labels[] = {
    /* Presences */
    { "AVAILABLE", N_("Available") },
    { "AWAY", N_("Away") },
    { "BUSY", N_("Busy") },
    { "OFFLINE", N_("Offline") },
    { "IDLE", N_("Idle") },
    { "ON_QUEUE", N_("On Queue") },
    { "MEAL", N_("Meal") },
    { "TRAINING", N_("Training") },
    { "MEETING", N_("Meeting") },
    { "BREAK", N_("Break") },
    /* Routing statuses (IDLE is shared) */
    { "OFF_QUEUE", N_("Off Queue") },
    { "INTERACTING", N_("Interacting") },
    { "NOT_RESPONDING", N_("Not Responding") },
    { "COMMUNICATING", N_("Communicating") },
  };

  if (status == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (fw_board_status_equal (status, labels[i].status))
      return _(labels[i].label);
  return status;
}

static void
fw_board_agent_finalize (GObject *object)
{
  FwBoardAgent *self = (FwBoardAgent *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->presence, g_free);
  g_clear_pointer (&self->routing_status, g_free);

  G_OBJECT_CLASS (fw_board_agent_parent_class)->finalize (object);
}

static void
fw_board_agent_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwBoardAgent *self = FW_BOARD_AGENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PRESENCE:
      g_value_set_string (value, self->presence);
      break;

    case PROP_PRESENCE_SINCE:
      g_value_set_int64 (value, self->presence_since);
      break;

    case PROP_ROUTING_STATUS:
      g_value_set_string (value, self->routing_status);
      break;

    case PROP_ROUTING_SINCE:
      g_value_set_int64 (value, self->routing_since);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_agent_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwBoardAgent *self = FW_BOARD_AGENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      fw_board_agent_set_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_agent_class_init (FwBoardAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fw_board_agent_finalize;
  object_class->get_property = fw_board_agent_get_property;
  object_class->set_property = fw_board_agent_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENCE] =
    g_param_spec_string ("presence", NULL, NULL, NULL, ro);
  properties[PROP_PRESENCE_SINCE] =
    g_param_spec_int64 ("presence-since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ROUTING_STATUS] =
    g_param_spec_string ("routing-status", NULL, NULL, NULL, ro);
  properties[PROP_ROUTING_SINCE] =
    g_param_spec_int64 ("routing-since", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_board_agent_init (FwBoardAgent *self)
{
}

FwBoardAgent *
fw_board_agent_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (FW_TYPE_BOARD_AGENT, "id", id, NULL);
}

const char *
fw_board_agent_get_id (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), NULL);

  return self->id;
}

const char *
fw_board_agent_get_name (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), NULL);

  return self->name;
}

void
fw_board_agent_set_name (FwBoardAgent *self,
                         const char   *name)
{
  g_return_if_fail (FW_IS_BOARD_AGENT (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/* Sets *@value and *@since; FALSE if @since_us is older than *@since. */
static gboolean
update_status (FwBoardAgent  *self,
               char         **value,
               gint64        *since,
               const char    *status,
               gint64         since_us,
               guint          value_prop,
               guint          since_prop)
{
  g_autofree char *canonical = fw_board_normalize_status (status);

  if (since_us != 0 && *since != 0 && since_us < *since)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (*value, canonical) != 0)
    {
      g_free (*value);
      *value = g_steal_pointer (&canonical);
      g_object_notify_by_pspec (G_OBJECT (self), properties[value_prop]);
    }
  if (*since != since_us)
    {
      *since = since_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[since_prop]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

const char *
fw_board_agent_get_presence (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), NULL);

  return self->presence;
}

gint64
fw_board_agent_get_presence_since (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), 0);

  return self->presence_since;
}

gboolean
fw_board_agent_update_presence (FwBoardAgent *self,
                                const char   *presence,
                                gint64        since_us)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), FALSE);
  g_return_val_if_fail (since_us >= 0, FALSE);

  return update_status (self, &self->presence, &self->presence_since, presence, since_us,
                        PROP_PRESENCE, PROP_PRESENCE_SINCE);
}

const char *
fw_board_agent_get_routing_status (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), NULL);

  return self->routing_status;
}

gint64
fw_board_agent_get_routing_since (FwBoardAgent *self)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), 0);

  return self->routing_since;
}

gboolean
fw_board_agent_update_routing_status (FwBoardAgent *self,
                                      const char   *status,
                                      gint64        since_us)
{
  g_return_val_if_fail (FW_IS_BOARD_AGENT (self), FALSE);
  g_return_val_if_fail (since_us >= 0, FALSE);

  return update_status (self, &self->routing_status, &self->routing_since, status, since_us,
                        PROP_ROUTING_STATUS, PROP_ROUTING_SINCE);
}
