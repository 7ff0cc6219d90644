/* fw-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-backoff"

#include "config.h"

#include "fw-backoff.h"

/* The delay of attempt n (counting from 0) is drawn uniformly from
 * [ceiling/2, ceiling] with ceiling = min (cap, initial · 2ⁿ).  Keeping the
 * lower half out of the draw ("equal jitter") means a retry never comes at
 * once, while the upper half still spreads many clients that failed together.
 * The first delay is thus at most the initial value and never zero. */

struct _FwBackoff
{
  GRand  *rand;
  guint   initial_ms;
  guint   cap_ms;
  guint   stable_ms;
  guint   attempts;
  /* When the operation last worked, or -1 while it keeps failing. */
  gint64  succeeded_us;
};

FwBackoff *
fw_backoff_new (guint initial_ms,
                guint cap_ms,
                guint stable_ms)
{
  FwBackoff *self = g_new0 (FwBackoff, 1);

  self->rand = g_rand_new ();
  /* The draw works on gint32. */
  self->initial_ms = MIN (initial_ms, (guint) G_MAXINT32 - 1);
  self->cap_ms = MIN (MAX (cap_ms, self->initial_ms), (guint) G_MAXINT32 - 1);
  self->stable_ms = stable_ms;
  self->succeeded_us = -1;

  return self;
}

void
fw_backoff_free (FwBackoff *self)
{
  if (self == NULL)
    return;

  g_rand_free (self->rand);
  g_free (self);
}

void
fw_backoff_set_seed (FwBackoff *self,
                     guint32    seed)
{
  g_return_if_fail (self != NULL);

  g_rand_set_seed (self->rand, seed);
}

guint
fw_backoff_next_delay (FwBackoff *self,
                       gint64     now_us)
{
  guint64 ceiling;
  guint64 floor_ms;

  g_return_val_if_fail (self != NULL, 0);

  /* A failure after a long enough success starts a fresh series; after a
   * short one (a flapping link) the series goes on growing. */
  if (self->succeeded_us >= 0 &&
      now_us - self->succeeded_us >= (gint64) self->stable_ms * 1000)
    self->attempts = 0;
  self->succeeded_us = -1;

  ceiling = self->initial_ms;
  for (guint i = 0; i < self->attempts && ceiling < self->cap_ms; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, (guint64) self->cap_ms);

  if (self->attempts < G_MAXUINT)
    self->attempts++;

  if (ceiling == 0)
    return 0;

  floor_ms = MAX (ceiling / 2, 1);
  if (floor_ms >= ceiling)
    return (guint) ceiling;

  /* g_rand_int_range's end is exclusive. */
  return (guint) g_rand_int_range (self->rand, (gint32) floor_ms, (gint32) ceiling + 1);
}

void
fw_backoff_succeeded (FwBackoff *self,
                      gint64     now_us)
{
  g_return_if_fail (self != NULL);

  self->succeeded_us = now_us;
}

void
fw_backoff_reset (FwBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->attempts = 0;
  self->succeeded_us = -1;
}

guint
fw_backoff_get_attempts (FwBackoff *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->attempts;
}
