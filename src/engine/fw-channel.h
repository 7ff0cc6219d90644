/* fw-channel.h — one Genesys notification channel (internal to the engine).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FW_CHANNEL_STATE_IDLE,
  FW_CHANNEL_STATE_CREATING,
  FW_CHANNEL_STATE_SUBSCRIBING,
  FW_CHANNEL_STATE_CONNECTING,
  FW_CHANNEL_STATE_OPEN,
  FW_CHANNEL_STATE_CLOSED,
} FwChannelState;

G_END_DECLS
