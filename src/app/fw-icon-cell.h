/* fw-icon-cell.h — a symbolic icon whose size does not depend on the icon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FW_TYPE_ICON_CELL (fw_icon_cell_get_type ())

G_DECLARE_FINAL_TYPE (FwIconCell, fw_icon_cell, FW, ICON_CELL, GtkWidget)

GtkWidget  *fw_icon_cell_new            (void);
const char *fw_icon_cell_get_icon_name  (FwIconCell *self);
void        fw_icon_cell_set_icon_name  (FwIconCell *self,
                                         const char *icon_name);

G_END_DECLS
