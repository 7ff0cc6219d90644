/* fw-tray.h — a StatusNotifierItem with a menu, where a tray host exists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FW_TRAY_STATE_OFFLINE,        /* nothing watched, or the feed is stopped */
  FW_TRAY_STATE_LIVE,
  FW_TRAY_STATE_RECONNECTING,
  FW_TRAY_STATE_ALERT,          /* an alert holds */
} FwTrayState;

#define FW_TYPE_TRAY (fw_tray_get_type ())

G_DECLARE_FINAL_TYPE (FwTray, fw_tray, FW, TRAY, GObject)

/* Exports an org.kde.StatusNotifierItem and its com.canonical.dbusmenu menu
 * on @connection and registers them with org.kde.StatusNotifierWatcher
 * whenever a watcher is on the bus (again after it restarts).  Without one
 * nothing is shown and nothing fails.  The menu's items activate actions of
 * @actions: "show-window", "pause-alerts" (a boolean state, shown as a check
 * mark) and "quit"; clicking the icon activates "toggle-window". */
FwTray       *fw_tray_new               (GDBusConnection  *connection,
                                         const char       *id,
                                         GActionGroup     *actions);
/* TRUE while a watcher has our item. */
gboolean      fw_tray_get_registered    (FwTray           *self);
FwTrayState   fw_tray_get_state         (FwTray           *self);
void          fw_tray_set_state         (FwTray           *self,
                                         FwTrayState       state);
/* The icon that stands for @state. */
const char   *fw_tray_get_icon_name     (FwTray           *self);
void          fw_tray_set_tooltip       (FwTray           *self,
                                         const char       *title,
                                         const char       *text);
/* The bus name the item is registered under (where a sandbox forbids
 * owning it: the connection's unique name, with the item's object path). */
const char   *fw_tray_get_bus_name      (FwTray           *self);

/* Properties: "registered", "state" (notify). */

#define FW_TRAY_ITEM_PATH "/StatusNotifierItem"
#define FW_TRAY_MENU_PATH "/StatusNotifierItem/Menu"

G_END_DECLS
