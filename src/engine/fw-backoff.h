/* fw-backoff.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exponential backoff with full jitter, a cap and a reset after a stable
 * period.  Pure: the caller passes the monotonic time, so tests need no clock. */
typedef struct _FwBackoff FwBackoff;

FwBackoff *fw_backoff_new            (guint      initial_ms,
                                      guint      cap_ms,
                                      guint      stable_ms);
void       fw_backoff_free           (FwBackoff *self);
/* Makes the jitter reproducible for tests. */
void       fw_backoff_set_seed       (FwBackoff *self,
                                      guint32    seed);
/* The delay before the next attempt, in milliseconds.  @now_us is monotonic. */
guint      fw_backoff_next_delay     (FwBackoff *self,
                                      gint64     now_us);
/* The operation worked at @now_us; once it stays up for stable_ms (checked at
 * the next failure), the next delay starts from the initial value again. */
void       fw_backoff_succeeded      (FwBackoff *self,
                                      gint64     now_us);
void       fw_backoff_reset          (FwBackoff *self);
guint      fw_backoff_get_attempts   (FwBackoff *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwBackoff, fw_backoff_free)

G_END_DECLS
