/* fw-alert-center.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One per application.  The window owns the connection (and with it the
 * board and the feed); the alert center follows whichever connection the
 * window has, so that alerts, the notifications and the tray go on while
 * the window is hidden.  With "run-in-background" on, closing the window
 * only hides it and the application holds itself; app.quit still quits.
 */

#define G_LOG_DOMAIN "fw-alert-center"

#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "fw-alert-center.h"
#include "fw-application.h"
#include "fw-board-view.h"
#include "fw-window.h"

#define DEFAULT_MUTE_SECONDS   (15 * 60)
#define DEFAULT_PAUSE_SECONDS  (60 * 60)
#define CENTER_KEY             "fw-alert-center"

struct _FwAlertCenter
{
  GObject          parent_instance;

  GtkApplication  *application;      /* weak: it owns us */
  GSettings       *settings;
  FwAlertRules    *rules;
  FwNotifier      *notifier;
  FwTray          *tray;

  GtkWindow       *window;           /* weak: the FwWindow followed */
  FwConnection    *connection;
  GSignalGroup    *window_signals;
  GSignalGroup    *session_signals;
  GSignalGroup    *board_signals;

  GSimpleAction   *pause_action;
  guint            pause_source;
  guint            mute_seconds;
  guint            pause_seconds;

  gboolean         held;
  XdpPortal       *portal;
  GCancellable    *portal_cancellable;
  gboolean         portal_autostart;   /* what we last asked the portal */
};

G_DEFINE_FINAL_TYPE (FwAlertCenter, fw_alert_center, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_MUTE_SECONDS,
  PROP_PAUSE_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void follow_window (FwAlertCenter *self,
                           GtkWindow     *window);

/* ---- The tray ---- */

static char *
format_wait (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (_("%u s"), (guint) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%u min %u s"), (guint) (seconds / 60), (guint) (seconds % 60));
  return g_strdup_printf (_("%u h %u min"), (guint) (seconds / 3600), (guint) (seconds % 3600 / 60));
}

char *
fw_alert_center_dup_summary (FwAlertCenter *self)
{
  FwBoard *board;
  GListModel *queues;
  g_autoptr(FwBoardQueue) worst = NULL;
  gint64 now = g_get_real_time ();
  g_autofree char *wait = NULL;
  const char *name;

  g_return_val_if_fail (FW_IS_ALERT_CENTER (self), NULL);

  if (self->connection == NULL)
    return g_strdup (_("Not watching anything"));
  board = fw_connection_get_board (self->connection);
  queues = fw_board_get_queues (board);
  if (g_list_model_get_n_items (queues) == 0)
    return g_strdup (_("No queue watched"));

  /* The most waiting; among equals, the one waiting longest. */
  for (guint i = 0; i < g_list_model_get_n_items (queues); i++)
    {
      g_autoptr(FwBoardQueue) queue = g_list_model_get_item (queues, i);

      if (!fw_board_queue_get_counts_known (queue))
        continue;
      if (worst == NULL ||
          fw_board_queue_get_waiting (queue) > fw_board_queue_get_waiting (worst) ||
          (fw_board_queue_get_waiting (queue) == fw_board_queue_get_waiting (worst) &&
           fw_board_queue_get_longest_wait (queue, now) > fw_board_queue_get_longest_wait (worst, now)))
        g_set_object (&worst, queue);
    }
  if (worst == NULL)
    return g_strdup (_("Waiting for the first numbers"));
  if (fw_board_queue_get_waiting (worst) == 0)
    return g_strdup (_("Nobody is waiting"));

  name = fw_board_queue_get_name (worst) ? fw_board_queue_get_name (worst) : fw_board_queue_get_id (worst);
  if (fw_board_queue_get_longest_wait_start (worst) == 0)
    /* Translators: "Support: 5 waiting", the queue that needs attention most. */
    return g_strdup_printf (_("%s: %u waiting"), name, fw_board_queue_get_waiting (worst));
  wait = format_wait (fw_board_queue_get_longest_wait (worst, now));
  /* Translators: "Support: 5 waiting, longest 2 min 3 s". */
  return g_strdup_printf (_("%s: %u waiting, longest %s"), name, fw_board_queue_get_waiting (worst), wait);
}

static void
update_tray (FwAlertCenter *self)
{
  FwSession *session = self->connection ? fw_connection_get_session (self->connection) : NULL;
  FwSessionState session_state = session ? fw_session_get_state (session) : FW_SESSION_STATE_OFFLINE;
  guint n_active = fw_alert_rules_get_n_active (self->rules);
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  FwTrayState state;

  if (self->tray == NULL)
    return;

  if (n_active > 0)
    state = FW_TRAY_STATE_ALERT;
  else if (session_state == FW_SESSION_STATE_OFFLINE)
    state = FW_TRAY_STATE_OFFLINE;
  else if (session_state == FW_SESSION_STATE_LIVE)
    state = FW_TRAY_STATE_LIVE;
  else
    state = FW_TRAY_STATE_RECONNECTING;

  if (session_state == FW_SESSION_STATE_LIVE)
    title = g_strdup (_("Floorwatch — Live"));
  else if (session_state == FW_SESSION_STATE_OFFLINE)
    title = g_strdup (_("Floorwatch"));
  else
    title = g_strdup (_("Floorwatch — Reconnecting"));

  summary = fw_alert_center_dup_summary (self);
  if (fw_alert_rules_is_muted (self->rules))
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (fw_alert_rules_get_muted_until (self->rules) /
                                                                    G_USEC_PER_SEC);
      g_autofree char *clock = until ? g_date_time_format (until, "%H:%M") : g_strdup ("");

      /* Translators: a second line under the queue summary. */
      text = g_strdup_printf (_("%s\nAlerts paused until %s"), summary, clock);
    }
  else
    text = g_steal_pointer (&summary);

  fw_tray_set_state (self->tray, state);
  fw_tray_set_tooltip (self->tray, title, text);
}

/* ---- Following the window's connection ---- */

static void
set_connection (FwAlertCenter *self,
                FwConnection  *connection)
{
  FwBoard *board = connection ? fw_connection_get_board (connection) : NULL;
  FwSession *session = connection ? fw_connection_get_session (connection) : NULL;

  if (self->connection == connection)
    return;

  g_set_object (&self->connection, connection);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->board_signals, board);
  fw_alert_rules_set_board (self->rules, board);
  fw_alert_rules_set_session (self->rules, session);
  update_tray (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
window_connection_cb (FwAlertCenter *self)
{
  set_connection (self, self->window ? fw_window_get_connection (FW_WINDOW (self->window)) : NULL);
}

static void
apply_hide_on_close (FwAlertCenter *self)
{
  gboolean background = g_settings_get_boolean (self->settings, "run-in-background");

  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (FW_IS_WINDOW (l->data))
      gtk_window_set_hide_on_close (GTK_WINDOW (l->data), background);
}

static void
follow_window (FwAlertCenter *self,
               GtkWindow     *window)
{
  g_clear_weak_pointer (&self->window);
  if (window != NULL)
    g_set_weak_pointer (&self->window, window);
  g_signal_group_set_target (self->window_signals, window);
  window_connection_cb (self);
}

static void
window_added_cb (FwAlertCenter *self,
                 GtkWindow     *window)
{
  if (!FW_IS_WINDOW (window))
    return;
  gtk_window_set_hide_on_close (window, g_settings_get_boolean (self->settings, "run-in-background"));
  if (self->window == NULL)
    follow_window (self, window);
}

static void
window_removed_cb (FwAlertCenter *self,
                   GtkWindow     *window)
{
  if (window != self->window)
    return;

  follow_window (self, NULL);
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (FW_IS_WINDOW (l->data) && l->data != window)
      {
        follow_window (self, l->data);
        break;
      }
}

/* ---- Actions ---- */

static void
present_window (FwAlertCenter *self)
{
  if (self->window != NULL)
    gtk_window_present (self->window);
  else
    g_application_activate (G_APPLICATION (self->application));
}

static FwBoardView *
find_board_view (GtkWidget *widget)
{
  if (FW_IS_BOARD_VIEW (widget))
    return FW_BOARD_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FwBoardView *view = find_board_view (child);

      if (view != NULL)
        return view;
    }
  return NULL;
}

static void
show_alert_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  FwAlertCenter *self = user_data;
  const char *target = g_variant_get_string (parameter, NULL);
  FwBoardView *view;

  present_window (self);
  if (self->window == NULL)
    return;
  view = find_board_view (GTK_WIDGET (self->window));
  if (view != NULL && !g_str_equal (target, "feed"))
    fw_board_view_show_item (view, target);
}

static void
acknowledge_alert_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  FwAlertCenter *self = user_data;
  const char *alert_id = g_variant_get_string (parameter, NULL);

  fw_alert_rules_acknowledge (self->rules, alert_id);
  fw_notifier_withdraw (self->notifier, alert_id);
}

static void
mute_alert_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  FwAlertCenter *self = user_data;
  const char *alert_id = g_variant_get_string (parameter, NULL);

  fw_alert_rules_mute (self->rules, alert_id, self->mute_seconds);
  fw_notifier_withdraw (self->notifier, alert_id);
}

static void
show_window_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  present_window (user_data);
}

static void
toggle_window_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  FwAlertCenter *self = user_data;

  if (self->window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->window)))
    gtk_widget_set_visible (GTK_WIDGET (self->window), FALSE);
  else
    present_window (self);
}

static void
pause_alerts_change_state (GSimpleAction *action,
                           GVariant      *value,
                           gpointer       user_data)
{
  FwAlertCenter *self = user_data;
  gint64 until = 0;

  if (g_variant_get_boolean (value))
    until = g_get_real_time () / G_USEC_PER_SEC + self->pause_seconds;
  /* The rules follow the setting, and the action's state follows them. */
  g_settings_set_int64 (self->settings, "alerts-muted-until", until);
}

static const GActionEntry action_entries[] = {
  { "show-alert", show_alert_action, "s" },
  { "acknowledge-alert", acknowledge_alert_action, "s" },
  { "mute-alert", mute_alert_action, "s" },
  { "show-window", show_window_action },
  { "toggle-window", toggle_window_action },
  { "pause-alerts", NULL, NULL, "false", pause_alerts_change_state },
};

static gboolean pause_expired_cb (gpointer user_data);

static void
update_pause_state (FwAlertCenter *self)
{
  gboolean muted = fw_alert_rules_is_muted (self->rules);

  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_simple_action_set_state (self->pause_action, g_variant_new_boolean (muted));
  if (muted)
    {
      gint64 delay_ms = (fw_alert_rules_get_muted_until (self->rules) - g_get_real_time ()) / 1000 + 1;

      self->pause_source = g_timeout_add ((guint) CLAMP (delay_ms, 1, G_MAXINT), pause_expired_cb, self);
    }
  update_tray (self);
}

static gboolean
pause_expired_cb (gpointer user_data)
{
  FwAlertCenter *self = user_data;

  self->pause_source = 0;
  update_pause_state (self);
  return G_SOURCE_REMOVE;
}

/* ---- Running in the background ---- */

static GFile *
autostart_file (void)
{
  return g_file_new_build_filename (g_get_user_config_dir (), "autostart", APPLICATION_ID ".desktop", NULL);
}

/* Outside Flatpak, starting at login is an XDG autostart entry. */
static void
write_autostart (gboolean enabled)
{
  g_autoptr(GFile) file = autostart_file ();
  g_autoptr(GError) error = NULL;

  if (!enabled)
    {
      if (!g_file_delete (file, NULL, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_message ("Could not remove %s: %s", g_file_peek_path (file), error->message);
      return;
    }

  {
    g_autoptr(GKeyFile) entry = g_key_file_new ();
    g_autoptr(GFile) directory = g_file_get_parent (file);

    g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
    g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, _("Floorwatch"));
    g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                           "floorwatch --background");
    g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APPLICATION_ID);
    g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
    g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);

    if (!g_file_make_directory_with_parents (directory, NULL, &error) &&
        !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
      {
        g_message ("Could not create %s: %s", g_file_peek_path (directory), error->message);
        return;
      }
    g_clear_error (&error);
    if (!g_key_file_save_to_file (entry, g_file_peek_path (file), &error))
      g_message ("Could not write %s: %s", g_file_peek_path (file), error->message);
  }
}

static void
request_background_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(FwAlertCenter) self = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (object), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Refused: say so in the preferences by switching both off again. */
  g_message ("Running in the background was refused: %s",
             error ? error->message : "the user said no");
  self->portal_autostart = FALSE;
  g_settings_set_boolean (self->settings, "start-at-login", FALSE);
  g_settings_set_boolean (self->settings, "run-in-background", FALSE);
}

/* Inside Flatpak, the Background portal grants both. */
static void
request_background (FwAlertCenter *self,
                    gboolean       autostart)
{
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);
  XdpParent *parent = NULL;

  if (self->portal == NULL)
    self->portal = xdp_portal_new ();
  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  self->portal_cancellable = g_cancellable_new ();

  g_ptr_array_add (commandline, g_strdup ("floorwatch"));
  g_ptr_array_add (commandline, g_strdup ("--background"));
  if (self->window != NULL && gtk_widget_get_realized (GTK_WIDGET (self->window)))
    parent = xdp_parent_new_gtk (self->window);

  self->portal_autostart = autostart;
  xdp_portal_request_background (self->portal, parent,
                                 _("Floorwatch keeps watching queues and agents and sends alerts "
                                   "while its window is closed."),
                                 commandline,
                                 autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 self->portal_cancellable, request_background_cb, g_object_ref (self));
  g_clear_pointer (&parent, xdp_parent_free);
}

static void
apply_background (FwAlertCenter *self)
{
  gboolean background = g_settings_get_boolean (self->settings, "run-in-background");
  gboolean autostart = background && g_settings_get_boolean (self->settings, "start-at-login");

  apply_hide_on_close (self);

  if (background && !self->held)
    {
      g_application_hold (G_APPLICATION (self->application));
      self->held = TRUE;
    }
  else if (!background && self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self->application));
    }

  if (xdp_portal_running_under_flatpak ())
    {
      if (background || self->portal_autostart)
        request_background (self, autostart);
    }
  else
    write_autostart (autostart);
}

/* ---- GObject ---- */

static void
fw_alert_center_dispose (GObject *object)
{
  FwAlertCenter *self = (FwAlertCenter *)object;

  if (self->application != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->application, self);
      for (guint i = 0; i < G_N_ELEMENTS (action_entries); i++)
        g_action_map_remove_action (G_ACTION_MAP (self->application), action_entries[i].name);
      if (self->held)
        g_application_release (G_APPLICATION (self->application));
      self->held = FALSE;
    }
  g_clear_weak_pointer (&self->application);
  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  g_clear_object (&self->portal);
  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_clear_weak_pointer (&self->window);
  if (self->window_signals != NULL)
    g_signal_group_set_target (self->window_signals, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->board_signals != NULL)
    g_signal_group_set_target (self->board_signals, NULL);
  g_clear_object (&self->window_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->board_signals);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  if (self->rules != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->rules, self);
      fw_alert_rules_set_board (self->rules, NULL);
      fw_alert_rules_set_session (self->rules, NULL);
    }
  g_clear_object (&self->rules);
  g_clear_object (&self->connection);
  g_clear_object (&self->pause_action);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_alert_center_parent_class)->dispose (object);
}

static void
fw_alert_center_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FwAlertCenter *self = FW_ALERT_CENTER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_MUTE_SECONDS:
      g_value_set_uint (value, self->mute_seconds);
      break;

    case PROP_PAUSE_SECONDS:
      g_value_set_uint (value, self->pause_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_center_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FwAlertCenter *self = FW_ALERT_CENTER (object);

  switch (prop_id)
    {
    case PROP_MUTE_SECONDS:
      if (self->mute_seconds != g_value_get_uint (value))
        {
          self->mute_seconds = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_PAUSE_SECONDS:
      if (self->pause_seconds != g_value_get_uint (value))
        {
          self->pause_seconds = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_center_class_init (FwAlertCenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_alert_center_dispose;
  object_class->get_property = fw_alert_center_get_property;
  object_class->set_property = fw_alert_center_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, FW_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTE_SECONDS] =
    g_param_spec_uint ("mute-seconds", NULL, NULL, 1, G_MAXUINT, DEFAULT_MUTE_SECONDS, rw);
  properties[PROP_PAUSE_SECONDS] =
    g_param_spec_uint ("pause-seconds", NULL, NULL, 1, G_MAXUINT, DEFAULT_PAUSE_SECONDS, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_alert_center_init (FwAlertCenter *self)
{
  self->mute_seconds = DEFAULT_MUTE_SECONDS;
  self->pause_seconds = DEFAULT_PAUSE_SECONDS;
}

static void
application_shutdown_cb (GApplication *application)
{
  g_object_set_data (G_OBJECT (application), CENTER_KEY, NULL);
}

FwAlertCenter *
fw_alert_center_install (GtkApplication *application)
{
  FwAlertCenter *self;
  GDBusConnection *bus;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (fw_alert_center_get (G_APPLICATION (application)) == NULL, NULL);

  self = g_object_new (FW_TYPE_ALERT_CENTER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);

  self->rules = fw_alert_rules_new ();
  fw_alert_rules_bind_settings (self->rules, self->settings);
  self->notifier = fw_notifier_new (G_APPLICATION (application), self->rules);

  g_action_map_add_action_entries (G_ACTION_MAP (application), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  self->pause_action = g_object_ref (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (application),
                                                                                  "pause-alerts")));

  self->window_signals = g_signal_group_new (FW_TYPE_WINDOW);
  g_signal_group_connect_swapped (self->window_signals, "notify::connection",
                                  G_CALLBACK (window_connection_cb), self);
  self->session_signals = g_signal_group_new (FW_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (update_tray), self);
  self->board_signals = g_signal_group_new (FW_TYPE_BOARD);
  g_signal_group_connect_swapped (self->board_signals, "changed", G_CALLBACK (update_tray), self);

  g_signal_connect_swapped (self->rules, "notify::n-active", G_CALLBACK (update_tray), self);
  g_signal_connect_swapped (self->rules, "notify::muted-until", G_CALLBACK (update_pause_state), self);
  g_signal_connect_swapped (application, "window-added", G_CALLBACK (window_added_cb), self);
  g_signal_connect_swapped (application, "window-removed", G_CALLBACK (window_removed_cb), self);
  g_signal_connect_swapped (self->settings, "changed::run-in-background", G_CALLBACK (apply_background), self);
  g_signal_connect_swapped (self->settings, "changed::start-at-login", G_CALLBACK (apply_background), self);

  /* A tray icon needs the bus: a non-unique application has none. */
  bus = g_application_get_dbus_connection (G_APPLICATION (application));
  if (bus != NULL)
    self->tray = fw_tray_new (bus, g_application_get_application_id (G_APPLICATION (application)),
                              G_ACTION_GROUP (application));

  g_object_set_data_full (G_OBJECT (application), CENTER_KEY, self, g_object_unref);
  /* Let go while the application is still whole. */
  g_signal_connect (application, "shutdown", G_CALLBACK (application_shutdown_cb), NULL);

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    window_added_cb (self, l->data);
  update_pause_state (self);
  if (g_settings_get_boolean (self->settings, "run-in-background"))
    apply_background (self);
  update_tray (self);

  return self;
}

FwAlertCenter *
fw_alert_center_get (GApplication *application)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  return g_object_get_data (G_OBJECT (application), CENTER_KEY);
}

FwAlertRules *
fw_alert_center_get_rules (FwAlertCenter *self)
{
  g_return_val_if_fail (FW_IS_ALERT_CENTER (self), NULL);

  return self->rules;
}

FwNotifier *
fw_alert_center_get_notifier (FwAlertCenter *self)
{
  g_return_val_if_fail (FW_IS_ALERT_CENTER (self), NULL);

  return self->notifier;
}

FwTray *
fw_alert_center_get_tray (FwAlertCenter *self)
{
  g_return_val_if_fail (FW_IS_ALERT_CENTER (self), NULL);

  return self->tray;
}

FwConnection *
fw_alert_center_get_connection (FwAlertCenter *self)
{
  g_return_val_if_fail (FW_IS_ALERT_CENTER (self), NULL);

  return self->connection;
}
