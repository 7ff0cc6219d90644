/* fw-app-test-util.h — what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-application.h"
#include "fw-test-util.h"
#include "fw-window.h"

G_BEGIN_DECLS

/* gtk_test_init() and libadwaita, in the C locale. */
void            fw_app_test_init              (int          *argc,
                                               char       ***argv);
/* A registered application (startup has run: styles, icons, actions) that
 * shares no name with other test programs running at the same time. */
FwApplication  *fw_app_test_application_new   (void);
/* A window of @application at @width × @height, shown and drawn. */
FwWindow       *fw_app_test_window_new        (FwApplication *application,
                                               int            width,
                                               int            height);
/* Runs the main loop until @widget has been drawn once more. */
void            fw_app_test_wait_for_draw     (GtkWidget     *widget);
/* The first widget under @root (included) whose buildable id is @id. */
GtkWidget      *fw_app_test_find_by_id        (GtkWidget     *root,
                                               const char    *id);
/* The first widget under @root of @type whose title (AdwPreferencesRow) or
 * label (GtkButton, GtkLabel) is @text. */
GtkWidget      *fw_app_test_find_by_text      (GtkWidget     *root,
                                               GType          type,
                                               const char    *text);
/* The first toplevel window of @type, or NULL. */
GtkWindow      *fw_app_test_find_toplevel     (GType          type);
/* Renders @widget as it is on screen into <builddir>/screenshots/@name.png
 * and returns the path. */
char           *fw_app_test_screenshot        (GtkWidget     *widget,
                                               const char    *name);
/* The number of FwGap items in @model. */
guint           fw_app_test_count_gaps        (GListModel    *model);

G_END_DECLS
