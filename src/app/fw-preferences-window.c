/* fw-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-alerts-page.h"
#include "fw-preferences-window.h"

struct _FwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *account_row;
  AdwActionRow         *client_id_row;
  GtkButton            *change_button;
  GtkAdjustment        *max_events_adjustment;
  GtkSwitch            *follow_switch;
  GtkAdjustment        *heartbeat_adjustment;
  GtkAdjustment        *pong_adjustment;

  GSettings            *settings;
  /* The account of a person's sign-in, whose tokens signing out removes. */
  char                 *user_environment;
  char                 *user_client_id;
};

G_DEFINE_FINAL_TYPE (FwPreferencesWindow, fw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  CHANGE_ACCOUNT,
  SIGN_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Settings in milliseconds, shown in seconds. */
static gboolean
ms_to_seconds (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
seconds_to_ms (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 1000.0 + 0.5));
}

static gboolean
uint_to_double (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
double_to_uint (const GValue       *value,
                const GVariantType *expected_type,
                gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) + 0.5));
}

static void
change_clicked_cb (FwPreferencesWindow *self)
{
  g_signal_emit (self, signals[CHANGE_ACCOUNT], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
sign_out_response_cb (AdwMessageDialog    *dialog,
                      const char          *response,
                      FwPreferencesWindow *self)
{
  if (g_strcmp0 (response, "sign-out") != 0)
    return;

  g_signal_emit (self, signals[SIGN_OUT], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
sign_out_clicked_cb (FwPreferencesWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Sign Out?"),
                                   _("The client secret is removed from the keyring and the feed stops. "
                                     "You can sign in again at any time."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_account (FwPreferencesWindow *self,
              FwConnection        *connection)
{
  g_autofree char *region = NULL;

  if (connection == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Not signed in"));
      gtk_button_set_label (self->change_button, _("_Sign In…"));
      gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), FALSE);
      return;
    }

  if (fw_connection_is_demo (connection))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Demo"));
      adw_action_row_set_subtitle (self->account_row,
                                   _("A simulated contact center runs inside Floorwatch"));
      gtk_button_set_label (self->change_button, _("_Sign In…"));
      gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), FALSE);
      return;
    }

  region = fw_connection_dup_region_label (connection);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Region"));
  adw_action_row_set_subtitle (self->account_row, region);
  adw_action_row_set_subtitle (self->client_id_row, fw_connection_get_client_id (connection));
  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), TRUE);
}

FwPreferencesWindow *
fw_preferences_window_new (GSettings    *settings,
                           FwConnection *connection)
{
  FwPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (connection == NULL || FW_IS_CONNECTION (connection), NULL);

  self = g_object_new (FW_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  show_account (self, connection);
  if (connection != NULL && !fw_connection_is_demo (connection) &&
      fw_token_source_get_grant (fw_api_get_token_source (fw_connection_get_api (connection))) !=
        FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
    {
      self->user_environment = g_strdup (fw_environment_get_name (fw_connection_get_environment (connection)));
      self->user_client_id = g_strdup (fw_connection_get_client_id (connection));
    }
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (fw_alerts_page_new (settings,
                                                                        connection ? fw_connection_get_board (connection)
                                                                                   : NULL)));

  g_settings_bind_with_mapping (settings, "max-events", self->max_events_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, uint_to_double, double_to_uint, NULL, NULL);
  g_settings_bind (settings, "follow-newest", self->follow_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "heartbeat-timeout", self->heartbeat_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, ms_to_seconds, seconds_to_ms, NULL, NULL);
  g_settings_bind_with_mapping (settings, "pong-timeout", self->pong_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, ms_to_seconds, seconds_to_ms, NULL, NULL);

  return self;
}

static void
user_tokens_cleared_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fw_credentials_clear_user_tokens_finish (result, &error) && error != NULL)
    g_message ("The sign-in could not be removed from the keyring: %s", error->message);
}

/* Signing out of a person's sign-in removes the person's tokens; whoever
 * handles "sign-out" removes the client secret. */
static void
fw_preferences_window_real_sign_out (FwPreferencesWindow *self)
{
  if (self->user_client_id == NULL)
    return;

  fw_credentials_clear_user_tokens_async (self->user_environment, self->user_client_id,
                                          NULL, user_tokens_cleared_cb, NULL);
}

static void
fw_preferences_window_finalize (GObject *object)
{
  FwPreferencesWindow *self = (FwPreferencesWindow *)object;

  g_free (self->user_environment);
  g_free (self->user_client_id);

  G_OBJECT_CLASS (fw_preferences_window_parent_class)->finalize (object);
}

static void
fw_preferences_window_dispose (GObject *object)
{
  FwPreferencesWindow *self = (FwPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_preferences_window_parent_class)->dispose (object);
}

static void
fw_preferences_window_class_init (FwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_preferences_window_dispose;
  object_class->finalize = fw_preferences_window_finalize;

  signals[CHANGE_ACCOUNT] =
    g_signal_new ("change-account",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[SIGN_OUT] =
    g_signal_new_class_handler ("sign-out",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (fw_preferences_window_real_sign_out),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, change_button);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, max_events_adjustment);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, follow_switch);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, heartbeat_adjustment);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, pong_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, change_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}

static void
fw_preferences_window_init (FwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
