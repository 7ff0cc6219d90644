/* fw-alerts-page.h — alert rules and running in the background, in the
 * preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-board.h"

G_BEGIN_DECLS

#define FW_TYPE_ALERTS_PAGE (fw_alerts_page_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertsPage, fw_alerts_page, FW, ALERTS_PAGE, AdwPreferencesPage)

/* Edits "alert-rules", "run-in-background" and "start-at-login" of
 * @settings.  The queues and agents of @board (may be NULL) are offered as
 * rule targets. */
FwAlertsPage *fw_alerts_page_new          (GSettings     *settings,
                                           FwBoard       *board);
/* Appends a rule of @kind ("queue-waiting", …) as the "Add Rule" menu does. */
void          fw_alerts_page_add_rule     (FwAlertsPage  *self,
                                           const char    *kind);
/* The rows of the rules, one AdwExpanderRow each, in order. */
GPtrArray    *fw_alerts_page_get_rows     (FwAlertsPage  *self);

G_END_DECLS
