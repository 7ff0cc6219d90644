/* fw-correlation-set.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bounded set of the most recent CorrelationIds, to drop the duplicates a
 * make-before-break handover produces.  When full, the oldest id is forgotten. */
typedef struct _FwCorrelationSet FwCorrelationSet;

FwCorrelationSet *fw_correlation_set_new      (guint              capacity);
void              fw_correlation_set_free     (FwCorrelationSet  *self);
/* Returns TRUE when @id was not in the set (and adds it), FALSE for a duplicate.
 * Works for any string; UUIDs are stored compactly. */
gboolean          fw_correlation_set_add      (FwCorrelationSet  *self,
                                               const char        *id);
guint             fw_correlation_set_get_size (FwCorrelationSet  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwCorrelationSet, fw_correlation_set_free)

G_END_DECLS
