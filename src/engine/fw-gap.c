/* fw-gap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-gap"

#include "config.h"

#include "fw-gap.h"

struct _FwGap
{
  GObject   parent_instance;

  gint64    start_us;
  gint64    end_us;
  GStrv     topics;
};

G_DEFINE_FINAL_TYPE (FwGap, fw_gap, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_TOPICS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fw_gap_finalize (GObject *object)
{
  FwGap *self = (FwGap *)object;

  g_clear_pointer (&self->topics, g_strfreev);

  G_OBJECT_CLASS (fw_gap_parent_class)->finalize (object);
}

static void
fw_gap_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  FwGap *self = FW_GAP (object);

  switch (prop_id)
    {
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_us);
      break;

    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_us);
      break;

    case PROP_TOPICS:
      g_value_set_boxed (value, self->topics);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_gap_class_init (FwGapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_gap_finalize;
  object_class->get_property = fw_gap_get_property;

  /* Read-only: a gap is immutable once made. */
  properties[PROP_START_TIME] =
    g_param_spec_int64 ("start-time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPICS] =
    g_param_spec_boxed ("topics", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_gap_init (FwGap *self)
{
}

FwGap *
fw_gap_new (gint64              start_us,
            gint64              end_us,
            const char * const *topics)
{
  FwGap *self;

  self = g_object_new (FW_TYPE_GAP, NULL);
  self->start_us = start_us;
  /* The wall clock may have been stepped back in between. */
  self->end_us = MAX (start_us, end_us);
  self->topics = topics ? g_strdupv ((char **) topics) : g_new0 (char *, 1);

  return self;
}

gint64
fw_gap_get_start_time (FwGap *self)
{
  g_return_val_if_fail (FW_IS_GAP (self), 0);

  return self->start_us;
}

gint64
fw_gap_get_end_time (FwGap *self)
{
  g_return_val_if_fail (FW_IS_GAP (self), 0);

  return self->end_us;
}

const char * const *
fw_gap_get_topics (FwGap *self)
{
  g_return_val_if_fail (FW_IS_GAP (self), NULL);

  return (const char * const *) self->topics;
}
