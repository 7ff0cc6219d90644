/* fw-welcome-page.h — the first thing a new user sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FW_TYPE_WELCOME_PAGE (fw_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (FwWelcomePage, fw_welcome_page, FW, WELCOME_PAGE, AdwBin)

/* Its buttons activate win.sign-in and win.demo. */
GtkWidget *fw_welcome_page_new (void);

G_END_DECLS
