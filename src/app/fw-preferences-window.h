/* fw-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-connection.h"

G_BEGIN_DECLS

#define FW_TYPE_PREFERENCES_WINDOW (fw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FwPreferencesWindow, fw_preferences_window, FW, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @connection (may be NULL) is the account shown in the Account group. */
FwPreferencesWindow *fw_preferences_window_new (GSettings    *settings,
                                                FwConnection *connection);
/* Signals: "change-account" (the user wants the sign-in form),
 * "sign-out" (the user confirmed signing out). */

G_END_DECLS
