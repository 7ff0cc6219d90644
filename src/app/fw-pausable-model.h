/* fw-pausable-model.h — a list model that can hold still
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FW_TYPE_PAUSABLE_MODEL (fw_pausable_model_get_type ())

G_DECLARE_FINAL_TYPE (FwPausableModel, fw_pausable_model, FW, PAUSABLE_MODEL, GObject)

/* Shows @source; while paused, shows @source as it was when paused and
 * stays still however @source changes.  Resuming shows @source again. */
FwPausableModel *fw_pausable_model_new        (GListModel      *source);
GListModel      *fw_pausable_model_get_source (FwPausableModel *self);
gboolean         fw_pausable_model_get_paused (FwPausableModel *self);
void             fw_pausable_model_set_paused (FwPausableModel *self,
                                               gboolean         paused);

G_END_DECLS
