'''org.kde.StatusNotifierWatcher mock template for python-dbusmock

The tray host of KDE Plasma, Xfce and GNOME's AppIndicator extension, as far
as an item sees it: items register, hosts register, and the watcher says who
is there.
'''

# SPDX-License-Identifier: GPL-3.0-or-later

import dbus

BUS_NAME = 'org.kde.StatusNotifierWatcher'
MAIN_OBJ = '/StatusNotifierWatcher'
MAIN_IFACE = 'org.kde.StatusNotifierWatcher'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.AddMethods(MAIN_IFACE, [
        ('RegisterStatusNotifierItem', 's', '',
         'self.Set("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems", '
         'self.Get("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems") + [args[0]]); '
         'self.EmitSignal("org.kde.StatusNotifierWatcher", "StatusNotifierItemRegistered", "s", [args[0]])'),
        ('RegisterStatusNotifierHost', 's', '', ''),
    ])
    mock.AddProperties(MAIN_IFACE, {
        'RegisteredStatusNotifierItems': dbus.Array([], signature='s'),
        'IsStatusNotifierHostRegistered': dbus.Boolean(True),
        'ProtocolVersion': dbus.Int32(0),
    })
