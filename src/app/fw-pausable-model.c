/* fw-pausable-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pausing keeps references to the items shown at that moment (an array of
 * pointers, whatever the source drops meanwhile), so that the view above
 * keeps its rows, its selection and its scroll position.
 */

#define G_LOG_DOMAIN "fw-pausable-model"

#include "config.h"

#include "fw-pausable-model.h"

struct _FwPausableModel
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *frozen;    /* non-NULL while paused */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwPausableModel, fw_pausable_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
fw_pausable_model_get_item_type (GListModel *model)
{
  FwPausableModel *self = FW_PAUSABLE_MODEL (model);

  return g_list_model_get_item_type (self->source);
}

static guint
fw_pausable_model_get_n_items (GListModel *model)
{
  FwPausableModel *self = FW_PAUSABLE_MODEL (model);

  if (self->frozen != NULL)
    return self->frozen->len;
  return g_list_model_get_n_items (self->source);
}

static gpointer
fw_pausable_model_get_item (GListModel *model,
                            guint       position)
{
  FwPausableModel *self = FW_PAUSABLE_MODEL (model);

  if (self->frozen != NULL)
    {
      if (position >= self->frozen->len)
        return NULL;
      return g_object_ref (g_ptr_array_index (self->frozen, position));
    }
  return g_list_model_get_item (self->source, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_pausable_model_get_item_type;
  iface->get_n_items = fw_pausable_model_get_n_items;
  iface->get_item = fw_pausable_model_get_item;
}

static void
source_items_changed_cb (GListModel      *source,
                         guint            position,
                         guint            removed,
                         guint            added,
                         FwPausableModel *self)
{
  if (self->frozen == NULL)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

FwPausableModel *
fw_pausable_model_new (GListModel *source)
{
  FwPausableModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (FW_TYPE_PAUSABLE_MODEL, NULL);
  self->source = g_object_ref (source);
  g_signal_connect_object (source, "items-changed", G_CALLBACK (source_items_changed_cb), self, 0);
  return self;
}

GListModel *
fw_pausable_model_get_source (FwPausableModel *self)
{
  g_return_val_if_fail (FW_IS_PAUSABLE_MODEL (self), NULL);

  return self->source;
}

gboolean
fw_pausable_model_get_paused (FwPausableModel *self)
{
  g_return_val_if_fail (FW_IS_PAUSABLE_MODEL (self), FALSE);

  return self->frozen != NULL;
}

void
fw_pausable_model_set_paused (FwPausableModel *self,
                              gboolean         paused)
{
  guint n_frozen;
  guint n;

  g_return_if_fail (FW_IS_PAUSABLE_MODEL (self));

  if (paused == (self->frozen != NULL))
    return;

  if (paused)
    {
      n = g_list_model_get_n_items (self->source);
      self->frozen = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->frozen, g_list_model_get_item (self->source, i));
    }
  else
    {
      n_frozen = self->frozen->len;
      g_clear_pointer (&self->frozen, g_ptr_array_unref);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_frozen,
                                  g_list_model_get_n_items (self->source));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

static void
fw_pausable_model_dispose (GObject *object)
{
  FwPausableModel *self = (FwPausableModel *)object;

  g_clear_pointer (&self->frozen, g_ptr_array_unref);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (fw_pausable_model_parent_class)->dispose (object);
}

static void
fw_pausable_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FwPausableModel *self = FW_PAUSABLE_MODEL (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, fw_pausable_model_get_paused (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_pausable_model_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FwPausableModel *self = FW_PAUSABLE_MODEL (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      fw_pausable_model_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_pausable_model_class_init (FwPausableModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_pausable_model_dispose;
  object_class->get_property = fw_pausable_model_get_property;
  object_class->set_property = fw_pausable_model_set_property;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_pausable_model_init (FwPausableModel *self)
{
}
