/* fw-board-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-board-queue"

#include "config.h"

#include "fw-board-queue.h"

struct _FwBoardQueue
{
  GObject   parent_instance;

  char     *id;
  char     *name;
  gboolean  counts_known;
  guint     waiting;
  guint     interacting;
  guint     alerting;
  guint     agents_on_queue;
  guint     agents_idle;
  gint64    longest_wait_start;
};

G_DEFINE_FINAL_TYPE (FwBoardQueue, fw_board_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_COUNTS_KNOWN,
  PROP_WAITING,
  PROP_INTERACTING,
  PROP_ALERTING,
  PROP_AGENTS_ON_QUEUE,
  PROP_AGENTS_IDLE,
  PROP_LONGEST_WAIT_START,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fw_board_queue_finalize (GObject *object)
{
  FwBoardQueue *self = (FwBoardQueue *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (fw_board_queue_parent_class)->finalize (object);
}

static void
fw_board_queue_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwBoardQueue *self = FW_BOARD_QUEUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_COUNTS_KNOWN:
      g_value_set_boolean (value, self->counts_known);
      break;

    case PROP_WAITING:
      g_value_set_uint (value, self->waiting);
      break;

    case PROP_INTERACTING:
      g_value_set_uint (value, self->interacting);
      break;

    case PROP_ALERTING:
      g_value_set_uint (value, self->alerting);
      break;

    case PROP_AGENTS_ON_QUEUE:
      g_value_set_uint (value, self->agents_on_queue);
      break;

    case PROP_AGENTS_IDLE:
      g_value_set_uint (value, self->agents_idle);
      break;

    case PROP_LONGEST_WAIT_START:
      g_value_set_int64 (value, self->longest_wait_start);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_queue_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwBoardQueue *self = FW_BOARD_QUEUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      fw_board_queue_set_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_queue_class_init (FwBoardQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fw_board_queue_finalize;
  object_class->get_property = fw_board_queue_get_property;
  object_class->set_property = fw_board_queue_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNTS_KNOWN] =
    g_param_spec_boolean ("counts-known", NULL, NULL, FALSE, ro);
  properties[PROP_WAITING] =
    g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_INTERACTING] =
    g_param_spec_uint ("interacting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ALERTING] =
    g_param_spec_uint ("alerting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_AGENTS_ON_QUEUE] =
    g_param_spec_uint ("agents-on-queue", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_AGENTS_IDLE] =
    g_param_spec_uint ("agents-idle", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LONGEST_WAIT_START] =
    g_param_spec_int64 ("longest-wait-start", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_board_queue_init (FwBoardQueue *self)
{
}

FwBoardQueue *
fw_board_queue_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (FW_TYPE_BOARD_QUEUE, "id", id, NULL);
}

const char *
fw_board_queue_get_id (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), NULL);

  return self->id;
}

const char *
fw_board_queue_get_name (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), NULL);

  return self->name;
}

void
fw_board_queue_set_name (FwBoardQueue *self,
                         const char   *name)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
set_uint (FwBoardQueue *self,
          guint        *field,
          guint         value,
          guint         prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

gboolean
fw_board_queue_get_counts_known (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), FALSE);

  return self->counts_known;
}

void
fw_board_queue_set_counts_known (FwBoardQueue *self,
                                 gboolean      counts_known)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  counts_known = !!counts_known;
  if (self->counts_known == counts_known)
    return;
  self->counts_known = counts_known;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTS_KNOWN]);
}

guint
fw_board_queue_get_waiting (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->waiting;
}

void
fw_board_queue_set_waiting (FwBoardQueue *self,
                            guint         waiting)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  set_uint (self, &self->waiting, waiting, PROP_WAITING);
}

guint
fw_board_queue_get_interacting (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->interacting;
}

void
fw_board_queue_set_interacting (FwBoardQueue *self,
                                guint         interacting)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  set_uint (self, &self->interacting, interacting, PROP_INTERACTING);
}

guint
fw_board_queue_get_alerting (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->alerting;
}

void
fw_board_queue_set_alerting (FwBoardQueue *self,
                             guint         alerting)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  set_uint (self, &self->alerting, alerting, PROP_ALERTING);
}

guint
fw_board_queue_get_agents_on_queue (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->agents_on_queue;
}

void
fw_board_queue_set_agents_on_queue (FwBoardQueue *self,
                                    guint         agents)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  set_uint (self, &self->agents_on_queue, agents, PROP_AGENTS_ON_QUEUE);
}

guint
fw_board_queue_get_agents_idle (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->agents_idle;
}

void
fw_board_queue_set_agents_idle (FwBoardQueue *self,
                                guint         agents)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));

  set_uint (self, &self->agents_idle, agents, PROP_AGENTS_IDLE);
}

gint64
fw_board_queue_get_longest_wait_start (FwBoardQueue *self)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  return self->longest_wait_start;
}

void
fw_board_queue_set_longest_wait_start (FwBoardQueue *self,
                                       gint64        start_us)
{
  g_return_if_fail (FW_IS_BOARD_QUEUE (self));
  g_return_if_fail (start_us >= 0);

  if (self->longest_wait_start == start_us)
    return;
  self->longest_wait_start = start_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LONGEST_WAIT_START]);
}

gint64
fw_board_queue_get_longest_wait (FwBoardQueue *self,
                                 gint64        now_us)
{
  g_return_val_if_fail (FW_IS_BOARD_QUEUE (self), 0);

  if (self->longest_wait_start == 0 || now_us <= self->longest_wait_start)
    return 0;
  return (now_us - self->longest_wait_start) / G_USEC_PER_SEC;
}
