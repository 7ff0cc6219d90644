/* fw-text-cell.h — one line of text whose size does not depend on the text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FW_TYPE_TEXT_CELL (fw_text_cell_get_type ())

G_DECLARE_FINAL_TYPE (FwTextCell, fw_text_cell, FW, TEXT_CELL, GtkWidget)

GtkWidget  *fw_text_cell_new              (void);
const char *fw_text_cell_get_text         (FwTextCell *self);
void        fw_text_cell_set_text         (FwTextCell *self,
                                           const char *text);
int         fw_text_cell_get_width_chars  (FwTextCell *self);
void        fw_text_cell_set_width_chars  (FwTextCell *self,
                                           int         width_chars);

G_END_DECLS
