/* fw-event-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two parts: the published items, a ring of at most max-items with the
 * newest at position 0, which is all GListModel ever shows; and the pending
 * items appended since the last flush (at most max-items too), which nobody
 * sees until the flush moves them into the ring.  So at most twice
 * max-items are alive, whatever the rate.  A flush emits at most two items-changed, each
 * describing the model exactly as it is when emitted: first the oldest items
 * leave at the end, then the new ones arrive at the top.
 */

#define G_LOG_DOMAIN "fw-event-store"

#include "config.h"

#include <string.h>

#include "fw-event-store.h"
#include "fw-gap.h"
#include "fw-notification.h"

#define DEFAULT_FLUSH_INTERVAL 50
#define MIN_RING_GROWTH        256

/* A FIFO of objects in a ring that grows on demand. */
typedef struct
{
  GObject **items;
  guint     capacity;
  guint     head;        /* the oldest */
  guint     len;
} Queue;

struct _FwEventStore
{
  GObject     parent_instance;

  /* Published: position p is ring[(head + p) % capacity]; capacity grows
   * on demand up to max_items. */
  GObject   **ring;
  guint       capacity;
  guint       head;
  guint       n_items;

  /* Appended since the last flush, oldest first; owns one ref each.  Holds
   * at most max_items: older ones could never be shown. */
  Queue       pending;
  Queue       spare;     /* empty; its buffer is kept for the next batch */
  /* Appended since the last flush, including pending ones dropped unseen. */
  guint64     n_appended_since_flush;

  guint       max_items;
  guint       flush_interval;
  guint       flush_source;
  guint64     total_appended;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwEventStore, fw_event_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MAX_ITEMS,
  PROP_FLUSH_INTERVAL,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static inline guint
ring_index (FwEventStore *self,
            guint         position)
{
  guint i = self->head + position;

  return i >= self->capacity ? i - self->capacity : i;
}

/* Gives the ring @new_capacity slots (≥ n_items), with position 0 at slot 0. */
static void
resize_ring (FwEventStore *self,
             guint         new_capacity)
{
  GObject **ring;

  g_assert (new_capacity >= self->n_items);

  if (new_capacity == self->capacity)
    return;

  ring = new_capacity ? g_new (GObject *, new_capacity) : NULL;
  for (guint p = 0; p < self->n_items; p++)
    ring[p] = self->ring[ring_index (self, p)];

  g_free (self->ring);
  self->ring = ring;
  self->capacity = new_capacity;
  self->head = 0;
}

/* Drops the @n oldest published items without telling anyone. */
static void
drop_oldest (FwEventStore *self,
             guint         n)
{
  g_assert (n <= self->n_items);

  for (guint p = self->n_items - n; p < self->n_items; p++)
    {
      guint i = ring_index (self, p);

      g_clear_object (&self->ring[i]);
    }

  self->n_items -= n;
}

static inline GObject *
queue_get (Queue *queue,
           guint  i)
{
  guint slot = queue->head + i;

  return queue->items[slot >= queue->capacity ? slot - queue->capacity : slot];
}

/* Keeps only the newest @keep items. */
static void
queue_trim (Queue *queue,
            guint  keep)
{
  while (queue->len > keep)
    {
      g_clear_object (&queue->items[queue->head]);
      queue->head = queue->head + 1 == queue->capacity ? 0 : queue->head + 1;
      queue->len--;
    }

  if (queue->len == 0)
    queue->head = 0;
}

/* Takes @item (a reference); when @max items are queued already, the
 * oldest goes. */
static void
queue_push (Queue   *queue,
            GObject *item,
            guint    max)
{
  guint slot;

  if (queue->len >= max)
    queue_trim (queue, max - 1);

  if (queue->len == queue->capacity)
    {
      guint capacity = MIN (max, MAX (queue->capacity * 2, MIN_RING_GROWTH));
      GObject **items = g_new (GObject *, capacity);

      for (guint i = 0; i < queue->len; i++)
        items[i] = queue_get (queue, i);
      g_free (queue->items);
      queue->items = items;
      queue->capacity = capacity;
      queue->head = 0;
    }

  slot = queue->head + queue->len;
  queue->items[slot >= queue->capacity ? slot - queue->capacity : slot] = item;
  queue->len++;
}

static void
publish (FwEventStore *self)
{
  Queue batch;
  guint old_n_items = self->n_items;
  guint64 n_appended = self->n_appended_since_flush;

  g_clear_handle_id (&self->flush_source, g_source_remove);

  if (n_appended == 0)
    return;

  /* Take the batch first: a signal handler may append again. */
  batch = self->pending;
  self->pending = self->spare;
  memset (&self->spare, 0, sizeof self->spare);
  self->n_appended_since_flush = 0;

  queue_trim (&batch, self->max_items);

  if (n_appended >= self->max_items)
    {
      guint n_new = batch.len;

      /* Nothing published before survives: say so in one signal. */
      drop_oldest (self, self->n_items);
      self->head = 0;
      if (self->capacity < n_new)
        resize_ring (self, MIN (self->max_items, MAX (n_new, self->capacity * 2)));

      for (guint i = 0; i < n_new; i++)
        self->ring[n_new - 1 - i] = queue_get (&batch, i);
      self->n_items = n_new;
      batch.len = 0;

      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, n_new);
    }
  else
    {
      guint n_new;

      /* Fewer new items than max-items: make room at the end first (again
       * if a handler lowered max-items meanwhile)... */
      while (self->n_items + batch.len > self->max_items)
        {
          guint n_dropped;

          queue_trim (&batch, self->max_items);
          if (self->n_items + batch.len <= self->max_items)
            break;

          n_dropped = self->n_items + batch.len - self->max_items;
          drop_oldest (self, n_dropped);
          g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, n_dropped, 0);
        }

      n_new = batch.len;
      if (self->capacity < self->n_items + n_new)
        {
          guint64 wanted = MAX ((guint64) self->capacity * 2, MIN_RING_GROWTH);

          wanted = MAX (wanted, (guint64) self->n_items + n_new);
          resize_ring (self, (guint) MIN (wanted, self->max_items));
        }

      /* ...then put the new ones on top, newest at position 0. */
      for (guint i = 0; i < n_new; i++)
        {
          self->head = self->head == 0 ? self->capacity - 1 : self->head - 1;
          self->ring[self->head] = queue_get (&batch, i);
        }
      self->n_items += n_new;
      batch.len = 0;

      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n_new);
    }

  /* Keep the batch's buffer for the next one, unless a handler made one. */
  batch.head = 0;
  if (self->spare.items == NULL)
    self->spare = batch;
  else
    g_free (batch.items);

  if (self->n_items != old_n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static gboolean
flush_cb (gpointer user_data)
{
  FwEventStore *self = user_data;

  self->flush_source = 0;
  publish (self);

  return G_SOURCE_REMOVE;
}

static GType
fw_event_store_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
fw_event_store_get_n_items (GListModel *model)
{
  return FW_EVENT_STORE (model)->n_items;
}

static gpointer
fw_event_store_get_item (GListModel *model,
                         guint       position)
{
  FwEventStore *self = FW_EVENT_STORE (model);

  if (position >= self->n_items)
    return NULL;

  return g_object_ref (self->ring[ring_index (self, position)]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_event_store_get_item_type;
  iface->get_n_items = fw_event_store_get_n_items;
  iface->get_item = fw_event_store_get_item;
}

static void
fw_event_store_dispose (GObject *object)
{
  FwEventStore *self = (FwEventStore *)object;

  g_clear_handle_id (&self->flush_source, g_source_remove);

  queue_trim (&self->pending, 0);
  drop_oldest (self, self->n_items);

  G_OBJECT_CLASS (fw_event_store_parent_class)->dispose (object);
}

static void
fw_event_store_finalize (GObject *object)
{
  FwEventStore *self = (FwEventStore *)object;

  g_clear_pointer (&self->ring, g_free);
  g_clear_pointer (&self->pending.items, g_free);
  g_clear_pointer (&self->spare.items, g_free);

  G_OBJECT_CLASS (fw_event_store_parent_class)->finalize (object);
}

static void
fw_event_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwEventStore *self = FW_EVENT_STORE (object);

  switch (prop_id)
    {
    case PROP_MAX_ITEMS:
      g_value_set_uint (value, self->max_items);
      break;

    case PROP_FLUSH_INTERVAL:
      g_value_set_uint (value, self->flush_interval);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_event_store_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwEventStore *self = FW_EVENT_STORE (object);

  switch (prop_id)
    {
    case PROP_MAX_ITEMS:
      fw_event_store_set_max_items (self, g_value_get_uint (value));
      break;

    case PROP_FLUSH_INTERVAL:
      if (self->flush_interval != g_value_get_uint (value))
        {
          /* Takes effect from the next batch on. */
          self->flush_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_event_store_class_init (FwEventStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_event_store_dispose;
  object_class->finalize = fw_event_store_finalize;
  object_class->get_property = fw_event_store_get_property;
  object_class->set_property = fw_event_store_set_property;

  properties[PROP_MAX_ITEMS] =
    g_param_spec_uint ("max-items", NULL, NULL,
                       1, G_MAXINT32, 10000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Milliseconds between two publications at most. */
  properties[PROP_FLUSH_INTERVAL] =
    g_param_spec_uint ("flush-interval", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_FLUSH_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_event_store_init (FwEventStore *self)
{
  self->flush_interval = DEFAULT_FLUSH_INTERVAL;
  self->max_items = 1;
}

FwEventStore *
fw_event_store_new (guint max_items)
{
  g_return_val_if_fail (max_items > 0 && max_items <= G_MAXINT32, NULL);

  return g_object_new (FW_TYPE_EVENT_STORE,
                       "max-items", max_items,
                       NULL);
}

/**
 * fw_event_store_append:
 * @item: (type GObject): a #FwNotification or a #FwGap
 *
 * Takes a reference on @item; it shows at position 0 after the next flush.
 */
void
fw_event_store_append (FwEventStore *self,
                       gpointer      item)
{
  g_return_if_fail (FW_IS_EVENT_STORE (self));
  g_return_if_fail (FW_IS_NOTIFICATION (item) || FW_IS_GAP (item));

  /* In a burst larger than the store only the newest max-items can show:
   * the queue lets older ones go as it goes. */
  queue_push (&self->pending, g_object_ref (item), self->max_items);
  self->n_appended_since_flush++;
  self->total_appended++;

  if (self->flush_source == 0)
    self->flush_source = g_timeout_add (self->flush_interval, flush_cb, self);
}

void
fw_event_store_flush (FwEventStore *self)
{
  g_return_if_fail (FW_IS_EVENT_STORE (self));

  publish (self);
}

void
fw_event_store_clear (FwEventStore *self)
{
  guint old_n_items;

  g_return_if_fail (FW_IS_EVENT_STORE (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  queue_trim (&self->pending, 0);
  self->n_appended_since_flush = 0;

  old_n_items = self->n_items;
  drop_oldest (self, self->n_items);
  self->head = 0;
  resize_ring (self, 0);

  if (old_n_items > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

guint
fw_event_store_get_max_items (FwEventStore *self)
{
  g_return_val_if_fail (FW_IS_EVENT_STORE (self), 0);

  return self->max_items;
}

void
fw_event_store_set_max_items (FwEventStore *self,
                              guint         max_items)
{
  g_return_if_fail (FW_IS_EVENT_STORE (self));
  g_return_if_fail (max_items > 0 && max_items <= G_MAXINT32);

  if (self->max_items == max_items)
    return;

  self->max_items = max_items;

  queue_trim (&self->pending, max_items);

  if (self->n_items > max_items)
    {
      guint n_dropped = self->n_items - max_items;

      drop_oldest (self, n_dropped);
      resize_ring (self, max_items);
      g_list_model_items_changed (G_LIST_MODEL (self), max_items, n_dropped, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  else if (self->capacity > max_items)
    {
      resize_ring (self, max_items);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ITEMS]);
}

guint64
fw_event_store_get_total_appended (FwEventStore *self)
{
  g_return_val_if_fail (FW_IS_EVENT_STORE (self), 0);

  return self->total_appended;
}
