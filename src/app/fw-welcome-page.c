/* fw-welcome-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-welcome-page"

#include "config.h"

#include "fw-welcome-page.h"

struct _FwWelcomePage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (FwWelcomePage, fw_welcome_page, ADW_TYPE_BIN)

GtkWidget *
fw_welcome_page_new (void)
{
  return g_object_new (FW_TYPE_WELCOME_PAGE, NULL);
}

static void
fw_welcome_page_class_init (FwWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-welcome-page.ui");
}

static void
fw_welcome_page_init (FwWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
