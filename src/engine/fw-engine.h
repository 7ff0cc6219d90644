/* fw-engine.h — everything the app and the CLI use of the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-api.h"
#include "fw-backoff.h"
#include "fw-credentials.h"
#include "fw-environment.h"
#include "fw-event-store.h"
#include "fw-gap.h"
#include "fw-notification.h"
#include "fw-pkce-login.h"
#include "fw-session.h"
#include "fw-token-source.h"
#include "fw-engine-enums.h"
