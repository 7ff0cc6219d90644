/* fw-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-application"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-alert-center.h"
#include "fw-application.h"
#include "fw-window.h"

struct _FwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (FwApplication, fw_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Watch the built-in simulator instead of an organization"), NULL },
  { "environment", 'e', 0, G_OPTION_ARG_STRING, NULL,
    N_("Genesys Cloud region domain, or the address of a running simulator, for this run"), N_("ENVIRONMENT") },
  { "client-id", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("OAuth client id for this run; its secret comes from the keyring"), N_("ID") },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without showing the window, to watch and alert in the background"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

static FwWindow *
get_window (FwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (FW_IS_WINDOW (window))
    return FW_WINDOW (window);
  return fw_window_new (GTK_APPLICATION (self));
}

static void
open_window (FwApplication *self,
             gboolean       demo,
             const char    *environment,
             const char    *client_id,
             gboolean       present)
{
  g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  g_autofree char *stored_environment = g_settings_get_string (settings, "environment");
  g_autofree char *stored_client_id = g_settings_get_string (settings, "client-id");
  FwWindow *window = get_window (self);

  if (demo)
    fw_window_start_demo (window);
  else if (environment != NULL || client_id != NULL)
    {
      /* For this run only: what the options name wins, the rest is what
       * was kept. */
      if (environment == NULL)
        environment = stored_environment;
      if (client_id == NULL)
        client_id = stored_client_id;

      if (environment[0] == '\0' || client_id[0] == '\0')
        fw_window_show_sign_in (window, environment, client_id, NULL);
      else
        fw_window_open_account (window, environment, client_id);
    }
  else if (fw_window_get_connection (window) == NULL &&
           g_strcmp0 (fw_window_get_page (window), "welcome") == 0)
    {
      if (stored_environment[0] != '\0' && stored_client_id[0] != '\0')
        fw_window_open_account (window, stored_environment, stored_client_id);
      else
        fw_window_show_welcome (window);
    }

  if (present)
    gtk_window_present (GTK_WINDOW (window));
}

static void
fw_application_activate (GApplication *application)
{
  open_window (FW_APPLICATION (application), FALSE, NULL, NULL, TRUE);
}

static int
fw_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *environment = NULL;
  g_autofree char *client_id = NULL;
  gboolean demo = FALSE;
  gboolean background = FALSE;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "background", "b", &background);
  g_variant_dict_lookup (options, "environment", "s", &environment);
  g_variant_dict_lookup (options, "client-id", "s", &client_id);

  open_window (FW_APPLICATION (application), demo, environment, client_id, !background);
  return EXIT_SUCCESS;
}

static int
fw_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("floorwatch %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (application);

  /* Closing lets each window keep its size and stop its feed. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (application));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  FwApplication *self = FW_APPLICATION (user_data);

  fw_window_present_preferences (get_window (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  FwApplication *self = FW_APPLICATION (user_data);
  static const char *developers[] = { "The Floorwatch developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Floorwatch"),
                        "developer-name", _("The Floorwatch developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Watch Genesys Cloud queues and agents live, and know when "
                                      "the feed may have missed something."),
                        "developers", developers,
                        "copyright", "© 2026 The Floorwatch developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FwApplication *self = FW_APPLICATION (user_data);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/fw-shortcuts-window.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (window, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
};

static void
fw_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (fw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  /* Alerts, the tray and running in the background. */
  fw_alert_center_install (GTK_APPLICATION (application));
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.shortcuts", shortcuts_accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

FwApplication *
fw_application_new (void)
{
  return g_object_new (FW_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

static void
fw_application_class_init (FwApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = fw_application_activate;
  application_class->command_line = fw_application_command_line;
  application_class->handle_local_options = fw_application_handle_local_options;
  application_class->startup = fw_application_startup;
}

static void
fw_application_init (FwApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch Genesys Cloud queues and agents live."));
}
