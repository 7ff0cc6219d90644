/* fw-test-network-monitor.h — a GNetworkMonitor whose availability a test sets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FW_TYPE_TEST_NETWORK_MONITOR (fw_test_network_monitor_get_type ())

G_DECLARE_FINAL_TYPE (FwTestNetworkMonitor, fw_test_network_monitor,
                      FW, TEST_NETWORK_MONITOR, GObject)

FwTestNetworkMonitor *fw_test_network_monitor_new           (void);
void                  fw_test_network_monitor_set_available (FwTestNetworkMonitor *self,
                                                             gboolean              available);

G_END_DECLS
