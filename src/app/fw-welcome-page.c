/* fw-welcome-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-welcome-page"

#include "config.h"

#include "fw-welcome-page.h"

struct _FwWelcomePage
{
  AdwBin         parent_instance;

  AdwStatusPage *status_page;
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

  /* The status page is the bin's child: AdwBin takes it down. */
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FwWelcomePage, status_page);
}

static void
fw_welcome_page_init (FwWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_status_page_set_icon_name (self->status_page, APPLICATION_ID);
}
