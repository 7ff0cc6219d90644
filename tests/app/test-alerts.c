/* test-alerts.c — alerts, the tray and the board, with real D-Bus peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the private session bus of the test suite.  The notification
 * server is python-dbusmock's notification_daemon template; the tray host is
 * a dbusmock org.kde.StatusNotifierWatcher, and this program plays the
 * panel: it reads our item and menu over its own bus connection and clicks
 * them.  The application is the real one, registered on the bus, watching a
 * simulator in this process with its traffic off, so that every change is
 * one the test makes.  The tests share that application and run in order.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "fw-alert-center.h"
#include "fw-alerts-page.h"
#include "fw-app-test-util.h"
#include "fw-board-view.h"
#include "fw-preferences-window.h"

#define SUPPORT FW_SIM_QUEUE_SUPPORT
#define ANA     FW_SIM_USER_ANA

#define NOTIFY_NAME   "org.freedesktop.Notifications"
#define NOTIFY_PATH   "/org/freedesktop/Notifications"
#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define MOCK_IFACE    "org.freedesktop.DBus.Mock"

/* The menu's item ids, as fw-tray.c numbers them. */
#define MENU_SHOW   1
#define MENU_PAUSE  2
#define MENU_QUIT   4

static GApplication    *application;
static FwAlertCenter   *center;
static FwWindow        *window;
static FwSimServer     *sim;
static FwConnection    *connection;
static GSettings       *settings;
static GDBusConnection *panel;           /* the test's own connection: the "panel" */
static GSubprocess     *notification_daemon;
static GSubprocess     *watcher;
static char            *config_dir;

/* ---- Mocks ---- */

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (panel, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
start_mock (const char * const *args,
            const char         *name)
{
  const char *python = g_getenv ("FW_TEST_PYTHON");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  GSubprocess *process;

  g_strv_builder_add (builder, python ? python : "/usr/bin/python3");
  g_strv_builder_add (builder, "-m");
  g_strv_builder_add (builder, "dbusmock");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  /* Its output goes to a file of its own: a mock left behind by a failed
   * test must not hold the test's output open. */
  log = g_strdup_printf ("%s/dbusmock-%s.log", g_getenv ("FW_TEST_BUILDDIR") ? g_getenv ("FW_TEST_BUILDDIR") : ".",
                         name);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  FW_TEST_WAIT_UNTIL (name_has_owner (name), 20000);
  return process;
}

static void
stop_mock (GSubprocess **process,
           const char   *name)
{
  g_subprocess_force_exit (*process);
  FW_TEST_WAIT_UNTIL (!name_has_owner (name), 10000);
  g_clear_object (process);
}

static GVariant *
mock_call (const char *name,
           const char *path,
           const char *method,
           GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (panel, name, path, MOCK_IFACE, method, parameters, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* A tray host: the watcher has its methods from the moment it is on the bus. */
static void
start_watcher (void)
{
  g_autofree char *template = g_build_filename (g_getenv ("FW_TEST_SRCDIR"), "app", "dbusmock",
                                                "status_notifier_watcher.py", NULL);
  const char *args[] = { "--template", template, NULL };

  watcher = start_mock (args, WATCHER_NAME);
}

typedef struct
{
  char      *method;
  guint32    id;           /* Notify: the id the daemon gave; CloseNotification: its argument */
  guint32    replaces_id;
  char      *summary;
  char      *body;
  GStrv      actions;
  guint8     urgency;
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->summary);
  g_free (call->body);
  g_strfreev (call->actions);
  g_free (call);
}

/* Everything the notification daemon was asked, oldest first.  The
 * template numbers new notifications 1, 2, … and keeps the id of one that
 * replaces another, which gives each Notify its id. */
static GPtrArray *
notification_calls (void)
{
  g_autoptr(GVariant) reply = mock_call (NOTIFY_NAME, NOTIFY_PATH, "GetCalls", NULL);
  g_autoptr(GVariantIter) iter = NULL;
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  GVariantIter *args;
  const char *method;
  guint64 timestamp;
  guint32 next_id = 1;

  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&sav)", &timestamp, &method, &args))
    {
      Call *call = g_new0 (Call, 1);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      GVariant *value;

      call->method = g_strdup (method);
      while (g_variant_iter_next (args, "v", &value))
        g_ptr_array_add (values, value);
      g_variant_iter_free (args);

      if (g_str_equal (method, "Notify"))
        {
          g_autoptr(GVariant) urgency = NULL;

          call->replaces_id = g_variant_get_uint32 (g_ptr_array_index (values, 1));
          call->id = call->replaces_id != 0 ? call->replaces_id : next_id++;
          call->summary = g_variant_dup_string (g_ptr_array_index (values, 3), NULL);
          call->body = g_variant_dup_string (g_ptr_array_index (values, 4), NULL);
          call->actions = g_variant_dup_strv (g_ptr_array_index (values, 5), NULL);
          urgency = g_variant_lookup_value (g_ptr_array_index (values, 6), "urgency", G_VARIANT_TYPE_BYTE);
          call->urgency = urgency ? g_variant_get_byte (urgency) : 255;
        }
      else if (g_str_equal (method, "CloseNotification"))
        {
          GVariant *id = g_ptr_array_index (values, 0);

          /* The template declares the argument signed. */
          call->id = g_variant_is_of_type (id, G_VARIANT_TYPE_INT32) ? (guint32) g_variant_get_int32 (id)
                                                                     : g_variant_get_uint32 (id);
        }
      g_ptr_array_add (calls, call);
    }
  return calls;
}

/* The calls of @method from position @since on. */
static GPtrArray *
calls_since (guint       since,
             const char *method)
{
  g_autoptr(GPtrArray) calls = notification_calls ();
  GPtrArray *found = g_ptr_array_new ();

  /* The found calls stay alive with the array they came from. */
  g_ptr_array_set_free_func (found, (GDestroyNotify) call_free);
  for (guint i = since; i < calls->len; i++)
    {
      Call *call = g_ptr_array_index (calls, i);

      if (g_str_equal (call->method, method))
        {
          g_ptr_array_add (found, call);
          calls->pdata[i] = NULL;
        }
    }
  g_ptr_array_set_free_func (calls, NULL);
  for (guint i = 0; i < calls->len; i++)
    if (calls->pdata[i] != NULL)
      call_free (calls->pdata[i]);
  return found;
}

static guint
n_calls (void)
{
  g_autoptr(GPtrArray) calls = notification_calls ();

  return calls->len;
}

static guint
n_calls_since (guint       since,
               const char *method)
{
  g_autoptr(GPtrArray) calls = calls_since (since, method);

  return calls->len;
}

/* The action key of the button labelled @label in @call. */
static const char *
action_key (Call       *call,
            const char *label)
{
  for (guint i = 0; call->actions[i] != NULL && call->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (call->actions[i + 1], label))
      return call->actions[i];
  return NULL;
}

/* The user clicks @key ("default" or a button's) on notification @id. */
static void
invoke_action (guint32     id,
               const char *key)
{
  GVariant *args[] = {
    g_variant_new_variant (g_variant_new_uint32 (id)),
    g_variant_new_variant (g_variant_new_string (key)),
  };
  g_autoptr(GVariant) reply = NULL;

  reply = mock_call (NOTIFY_NAME, NOTIFY_PATH, "EmitSignal",
                     g_variant_new ("(sss@av)", NOTIFY_NAME, "ActionInvoked", "us",
                                    g_variant_new_array (G_VARIANT_TYPE_VARIANT, args, 2)));
}

/* ---- Calls into this very process ---- */

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GVariant **reply = user_data;
  g_autoptr(GError) error = NULL;

  *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
}

/* The application answers on this thread's main loop: a blocking call from
 * here would wait for itself. */
static GVariant *
panel_call (const char         *name,
            const char         *path,
            const char         *interface,
            const char         *method,
            GVariant           *parameters,
            const GVariantType *reply_type)
{
  GVariant *reply = NULL;

  g_dbus_connection_call (panel, name, path, interface, method, parameters, reply_type,
                          G_DBUS_CALL_FLAGS_NONE, 10000, NULL, call_done_cb, &reply);
  FW_TEST_WAIT_UNTIL (reply != NULL, 15000);
  return reply;
}

/* ---- The application's side ---- */

static void
set_rules (const char *json)
{
  g_settings_set_string (settings, "alert-rules", json);
  g_assert_cmpuint (fw_alert_rules_get_rules (fw_alert_center_get_rules (center))->len, >, 0);
}

static gboolean
board_live (void)
{
  FwBoard *board = fw_connection_get_board (connection);

  return fw_session_get_state (fw_connection_get_session (connection)) == FW_SESSION_STATE_LIVE &&
         !fw_board_get_stale (board);
}

static void
set_ana (const char *status)
{
  g_assert_true (fw_sim_server_set_user_routing_status (sim, ANA, status));
  FW_TEST_WAIT_UNTIL (fw_board_status_equal (fw_board_agent_get_routing_status (
                        fw_board_lookup_agent (fw_connection_get_board (connection), ANA)), status),
                      10000);
  fw_test_run_for (50);
}

/* Waits for the @n-th Notify from @since on and returns it. */
static Call *
wait_for_notify (guint since,
                 guint n)
{
  g_autoptr(GPtrArray) calls = NULL;

  FW_TEST_WAIT_UNTIL (n_calls_since (since, "Notify") >= n, 15000);
  calls = calls_since (since, "Notify");
  return g_ptr_array_steal_index (calls, n - 1);
}

static gboolean
closed (guint   since,
        guint32 id)
{
  g_autoptr(GPtrArray) calls = calls_since (since, "CloseNotification");

  for (guint i = 0; i < calls->len; i++)
    if (((Call *) g_ptr_array_index (calls, i))->id == id)
      return TRUE;
  return FALSE;
}

/* ---- Notifications ---- */

static void
test_notification (void)
{
  g_autoptr(GPtrArray) rules = NULL;
  Call *call;
  guint since;
  guint32 id;

  set_rules ("[{\"id\":\"busy\",\"kind\":\"queue-waiting\",\"threshold\":3,\"target\":\"" SUPPORT "\"}]");
  since = n_calls ();

  for (guint i = 0; i < 3; i++)
    g_free (fw_sim_server_add_call (sim, SUPPORT));
  call = wait_for_notify (since, 1);
  g_assert_cmpstr (call->summary, ==, "Support: 3 waiting");
  g_assert_cmpstr (call->body, ==, "3 interactions are waiting in Support; the alert is set at 3.");
  g_assert_cmpuint (call->replaces_id, ==, 0);
  /* A warning is a high-priority notification: "normal" urgency for the
   * freedesktop server, which has no level between normal and critical. */
  g_assert_cmpuint (call->urgency, ==, 1);
  g_assert_nonnull (action_key (call, "Acknowledge"));
  g_assert_nonnull (action_key (call, "Mute for 15 Minutes"));
  g_assert_true (g_strv_contains ((const char * const *) call->actions, "default"));
  g_assert_true (g_str_has_prefix (action_key (call, "Acknowledge"), "app.acknowledge-alert"));
  g_assert_true (g_str_has_prefix (action_key (call, "Mute for 15 Minutes"), "app.mute-alert"));
  id = call->id;
  call_free (call);

  /* Exactly one, however long it holds. */
  fw_test_run_for (600);
  g_assert_cmpuint (n_calls_since (since, "Notify"), ==, 1);

  /* The scenario routes the calls to idle agents: the notification goes. */
  for (guint i = 0; i < 50 && !closed (since, id); i++)
    {
      fw_sim_server_step (sim);
      fw_test_run_for (150);
    }
  FW_TEST_WAIT_UNTIL (closed (since, id), 10000);
  g_settings_set_string (settings, "alert-rules", "[]");
}

static void
test_reminder_replaces (void)
{
  FwAlertRules *rules = fw_alert_center_get_rules (center);
  Call *first;
  Call *second;
  guint since;

  set_ana ("IDLE");
  g_object_set (rules, "min-raise-interval", 0, "remind-interval", 400, NULL);
  set_rules ("[{\"id\":\"nr\",\"kind\":\"agent-not-responding\",\"target\":\"" ANA "\"}]");
  since = n_calls ();

  set_ana ("NOT_RESPONDING");
  first = wait_for_notify (since, 1);
  g_assert_cmpstr (first->summary, ==, "Ana Silva is not responding");

  /* Not acknowledged: reminded, in place of the first. */
  second = wait_for_notify (since, 2);
  g_assert_cmpuint (second->replaces_id, ==, first->id);
  g_assert_cmpstr (second->summary, ==, first->summary);

  /* Acknowledged from the notification: withdrawn, and no more reminders. */
  invoke_action (second->id, action_key (second, "Acknowledge"));
  FW_TEST_WAIT_UNTIL (closed (since, second->id), 10000);
  since = n_calls ();
  fw_test_run_for (1200);
  g_assert_cmpuint (n_calls_since (since, "Notify"), ==, 0);

  set_ana ("IDLE");
  g_object_set (rules, "remind-interval", 0, NULL);
  call_free (first);
  call_free (second);
}

static void
test_mute (void)
{
  Call *call;
  Call *again;
  guint since;

  g_object_set (center, "mute-seconds", 2, NULL);
  set_rules ("[{\"id\":\"nr\",\"kind\":\"agent-not-responding\",\"target\":\"" ANA "\"}]");
  since = n_calls ();

  set_ana ("NOT_RESPONDING");
  call = wait_for_notify (since, 1);
  invoke_action (call->id, action_key (call, "Mute for 15 Minutes"));
  FW_TEST_WAIT_UNTIL (closed (since, call->id), 10000);

  /* Muted: clearing and coming back says nothing. */
  set_ana ("IDLE");
  set_ana ("NOT_RESPONDING");
  fw_test_run_for (300);
  g_assert_cmpuint (n_calls_since (since, "Notify"), ==, 1);

  /* Still there when the mute is over. */
  again = wait_for_notify (since, 2);
  g_assert_cmpstr (again->summary, ==, "Ana Silva is not responding");
  call_free (call);
  call_free (again);
}

static void
test_default_action (void)
{
  g_autoptr(GPtrArray) calls = calls_since (0, "Notify");
  Call *last = g_ptr_array_index (calls, calls->len - 1);
  FwBoardView *view = FW_BOARD_VIEW (fw_app_test_find_by_id (GTK_WIDGET (window), "board_view"));
  AdwViewStack *stack = ADW_VIEW_STACK (fw_app_test_find_by_id (GTK_WIDGET (window), "view_stack"));
  g_autofree char *selected = NULL;

  /* The last notification is Ana not responding (test_mute). */
  g_assert_cmpstr (last->summary, ==, "Ana Silva is not responding");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "events");

  invoke_action (last->id, "default");
  FW_TEST_WAIT_UNTIL (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "board") == 0, 10000);
  selected = fw_board_view_dup_selected (view);
  g_assert_cmpstr (selected, ==, "agent:" ANA);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  g_free (fw_app_test_screenshot (GTK_WIDGET (window), "alerts-board-agent"));
  set_ana ("IDLE");
  g_settings_set_string (settings, "alert-rules", "[]");
  adw_view_stack_set_visible_child_name (stack, "events");
}

/* ---- The tray ---- */

static GVariant *
item_property (const char *name)
{
  FwTray *tray = fw_alert_center_get_tray (center);
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = panel_call (fw_tray_get_bus_name (tray), FW_TRAY_ITEM_PATH, "org.freedesktop.DBus.Properties", "Get",
                      g_variant_new ("(ss)", "org.kde.StatusNotifierItem", name), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
item_string (const char *name)
{
  g_autoptr(GVariant) value = item_property (name);

  return g_variant_dup_string (value, NULL);
}

static gboolean
icon_is (const char *icon)
{
  g_autofree char *current = item_string ("IconName");

  return g_str_equal (current, icon);
}

static char *
tooltip_title (void)
{
  g_autoptr(GVariant) value = item_property ("ToolTip");
  g_autoptr(GVariant) title = g_variant_get_child_value (value, 2);

  return g_variant_dup_string (title, NULL);
}

static GVariant *
menu_call (const char *method,
           GVariant   *parameters)
{
  FwTray *tray = fw_alert_center_get_tray (center);

  return panel_call (fw_tray_get_bus_name (tray), FW_TRAY_MENU_PATH, "com.canonical.dbusmenu", method,
                     parameters, NULL);
}

static void
click (int id)
{
  g_autoptr(GVariant) reply = menu_call ("Event", g_variant_new ("(isvu)", id, "clicked",
                                                                  g_variant_new_int32 (0), 0));
}

/* The properties of menu item @id, from the whole layout as a panel reads it. */
static GVariant *
menu_item (int id)
{
  const char *all[] = { NULL };
  g_autoptr(GVariant) reply = menu_call ("GetLayout", g_variant_new ("(ii^as)", 0, -1, all));
  g_autoptr(GVariant) layout = g_variant_get_child_value (reply, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      int child_id;

      g_variant_get_child (child, 0, "i", &child_id);
      if (child_id == id)
        return g_variant_get_child_value (child, 1);
    }
  g_assert_not_reached ();
}

static int
toggle_state (int id)
{
  g_autoptr(GVariant) properties = menu_item (id);
  int state = -1;

  g_variant_lookup (properties, "toggle-state", "i", &state);
  return state;
}

static void
count_signal_cb (GDBusConnection *bus,
                 const char      *sender,
                 const char      *path,
                 const char      *interface,
                 const char      *signal,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  guint *count = user_data;

  (*count)++;
}

static guint
count_registrations (const char *service)
{
  g_autoptr(GVariant) calls = mock_call (WATCHER_NAME, WATCHER_PATH, "GetCalls", NULL);
  g_autoptr(GVariantIter) iter = NULL;
  GVariant *args;
  const char *method;
  guint64 timestamp;
  guint n = 0;

  g_variant_get (calls, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &timestamp, &method, &args))
    {
      if (g_str_equal (method, "RegisterStatusNotifierItem"))
        {
          g_autoptr(GVariant) first = g_variant_get_child_value (args, 0);
          g_autoptr(GVariant) name = g_variant_get_variant (first);

          n += g_str_equal (g_variant_get_string (name, NULL), service);
        }
      g_variant_unref (args);
    }
  return n;
}

static void
test_tray_without_host (void)
{
  FwTray *tray = fw_alert_center_get_tray (center);

  /* No StatusNotifierWatcher on the bus: nothing shown, nothing broken
   * (the notifications above went out all the same). */
  g_assert_nonnull (tray);
  g_assert_false (name_has_owner (WATCHER_NAME));
  g_assert_false (fw_tray_get_registered (tray));
  g_assert_true (name_has_owner (fw_tray_get_bus_name (tray)));
}

static void
test_tray_registers (void)
{
  FwTray *tray = fw_alert_center_get_tray (center);
  g_autoptr(GVariant) menu = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autofree char *category = NULL;

  start_watcher ();
  FW_TEST_WAIT_UNTIL (fw_tray_get_registered (tray), 10000);
  g_assert_cmpuint (count_registrations (fw_tray_get_bus_name (tray)), ==, 1);

  /* What the panel reads. */
  FW_TEST_WAIT_UNTIL (board_live (), 10000);
  FW_TEST_WAIT_UNTIL (icon_is ("io.github.floorwatch.Floorwatch-symbolic"), 10000);
  category = item_string ("Category");
  g_assert_cmpstr (category, ==, "ApplicationStatus");
  status = item_string ("Status");
  g_assert_cmpstr (status, ==, "Active");
  menu = item_property ("Menu");
  g_assert_cmpstr (g_variant_get_string (menu, NULL), ==, FW_TRAY_MENU_PATH);
  title = tooltip_title ();
  g_assert_cmpstr (title, ==, "Floorwatch — Live");
}

static void
test_tray_outage (void)
{
  FwTray *tray = fw_alert_center_get_tray (center);
  FwSession *session = fw_connection_get_session (connection);
  guint new_icons = 0;
  guint subscription;
  Call *call;
  guint since;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;

  subscription = g_dbus_connection_signal_subscribe (panel, fw_tray_get_bus_name (tray),
                                                     "org.kde.StatusNotifierItem", "NewIcon",
                                                     FW_TRAY_ITEM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     count_signal_cb, &new_icons, NULL);
  set_rules ("[{\"id\":\"feed\",\"kind\":\"feed-down\",\"threshold\":1}]");
  since = n_calls ();

  /* The feed drops and stays down: reconnecting, then the feed-down alert. */
  fw_sim_server_drop_sockets (sim);
  FW_TEST_WAIT_UNTIL (icon_is ("network-offline-symbolic"), 10000);
  FW_TEST_WAIT_UNTIL (new_icons >= 1, 10000);
  title = tooltip_title ();
  g_assert_cmpstr (title, ==, "Floorwatch — Reconnecting");

  call = wait_for_notify (since, 1);
  g_assert_cmpstr (call->summary, ==, "The live feed is down");
  /* Critical: the server's critical urgency. */
  g_assert_cmpuint (call->urgency, ==, 2);
  FW_TEST_WAIT_UNTIL (icon_is ("dialog-warning-symbolic"), 10000);
  status = item_string ("Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");

  /* Back: the alert is withdrawn and the icon is live again. */
  fw_session_reconnect_now (session);
  FW_TEST_WAIT_UNTIL (closed (since, call->id), 10000);
  FW_TEST_WAIT_UNTIL (icon_is ("io.github.floorwatch.Floorwatch-symbolic"), 10000);
  FW_TEST_WAIT_UNTIL (board_live (), 10000);

  g_dbus_connection_signal_unsubscribe (panel, subscription);
  g_settings_set_string (settings, "alert-rules", "[]");
  call_free (call);
}

static void
test_tray_menu (void)
{
  FwTray *tray = fw_alert_center_get_tray (center);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) show = NULL;
  g_autoptr(GVariant) quit = NULL;
  const char *label = NULL;
  guint layout_updates = 0;
  guint subscription;

  show = menu_item (MENU_SHOW);
  g_assert_true (g_variant_lookup (show, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "_Show Floorwatch");
  quit = menu_item (MENU_QUIT);
  g_assert_true (g_variant_lookup (quit, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "_Quit");
  g_assert_cmpint (toggle_state (MENU_PAUSE), ==, 0);

  subscription = g_dbus_connection_signal_subscribe (panel, fw_tray_get_bus_name (tray),
                                                     "com.canonical.dbusmenu", "LayoutUpdated",
                                                     FW_TRAY_MENU_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     count_signal_cb, &layout_updates, NULL);

  /* Pause alerts: all alerts muted, and the item shows a check mark. */
  click (MENU_PAUSE);
  FW_TEST_WAIT_UNTIL (g_settings_get_int64 (settings, "alerts-muted-until") > g_get_real_time () / G_USEC_PER_SEC,
                      10000);
  FW_TEST_WAIT_UNTIL (layout_updates >= 1, 10000);
  g_assert_cmpint (toggle_state (MENU_PAUSE), ==, 1);
  g_assert_true (fw_alert_rules_is_muted (fw_alert_center_get_rules (center)));
  click (MENU_PAUSE);
  FW_TEST_WAIT_UNTIL (g_settings_get_int64 (settings, "alerts-muted-until") == 0, 10000);
  FW_TEST_WAIT_UNTIL (toggle_state (MENU_PAUSE) == 0, 10000);

  /* Clicking the icon hides the window, and shows it again. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  reply = panel_call (fw_tray_get_bus_name (tray), FW_TRAY_ITEM_PATH, "org.kde.StatusNotifierItem", "Activate",
                      g_variant_new ("(ii)", 0, 0), NULL);
  FW_TEST_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)), 10000);
  /* Show brings it back. */
  click (MENU_SHOW);
  FW_TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (window)), 10000);

  g_dbus_connection_signal_unsubscribe (panel, subscription);
}

static void
test_tray_watcher_restarts (void)
{
  FwTray *tray = fw_alert_center_get_tray (center);

  stop_mock (&watcher, WATCHER_NAME);
  FW_TEST_WAIT_UNTIL (!fw_tray_get_registered (tray), 10000);
  start_watcher ();
  FW_TEST_WAIT_UNTIL (fw_tray_get_registered (tray), 10000);
  g_assert_cmpuint (count_registrations (fw_tray_get_bus_name (tray)), ==, 1);
}

static void
test_tray_sandboxed (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(FwTray) tray = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) icon = NULL;
  g_autofree char *taken = g_strdup_printf ("org.kde.StatusNotifierItem-%d-2", (int) getpid ());
  guint owner;

  /* As inside Flatpak, where only talking to the watcher is allowed: the
   * name the item would own is not to be had.  It registers its object path
   * instead, and the panel finds it under the connection's unique name. */
  owner = g_bus_own_name_on_connection (panel, taken, G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  FW_TEST_WAIT_UNTIL (name_has_owner (taken), 10000);
  bus = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  tray = fw_tray_new (bus, "sandboxed", G_ACTION_GROUP (application));
  FW_TEST_WAIT_UNTIL (fw_tray_get_registered (tray), 10000);
  g_assert_cmpstr (fw_tray_get_bus_name (tray), ==, g_dbus_connection_get_unique_name (bus));
  g_assert_cmpuint (count_registrations (FW_TRAY_ITEM_PATH), ==, 1);

  reply = panel_call (fw_tray_get_bus_name (tray), FW_TRAY_ITEM_PATH, "org.freedesktop.DBus.Properties", "Get",
                      g_variant_new ("(ss)", "org.kde.StatusNotifierItem", "Id"), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &icon);
  g_assert_cmpstr (g_variant_get_string (icon, NULL), ==, "sandboxed");

  g_clear_object (&tray);
  g_bus_unown_name (owner);
}

/* ---- The board and the background ---- */

static gboolean
cell_is (FwBoardView *view,
         const char  *target,
         const char  *column,
         const char  *expected)
{
  g_autofree char *cell = fw_board_view_dup_cell_text (view, target, column);

  return g_strcmp0 (cell, expected) == 0;
}

static void
test_board_view (void)
{
  FwBoardView *view = FW_BOARD_VIEW (fw_app_test_find_by_id (GTK_WIDGET (window), "board_view"));
  AdwViewStack *stack = ADW_VIEW_STACK (fw_app_test_find_by_id (GTK_WIDGET (window), "view_stack"));
  g_autofree char *expected = NULL;

  g_assert_true (fw_board_view_get_connection (view) == connection);
  adw_view_stack_set_visible_child_name (stack, "board");
  for (guint i = 0; i < 20; i++)
    fw_sim_server_step (sim);
  g_free (fw_sim_server_add_call (sim, SUPPORT));

  /* The cells say what the simulator says. */
  expected = g_strdup_printf ("%d", fw_sim_server_get_queue_waiting (sim, SUPPORT));
  FW_TEST_WAIT_UNTIL (cell_is (view, "queue:" SUPPORT, "waiting", expected), 10000);
  {
    g_autofree char *name = fw_board_view_dup_cell_text (view, "queue:" SUPPORT, "name");
    g_autofree char *agent = fw_board_view_dup_cell_text (view, "agent:" ANA, "name");

    g_assert_cmpstr (name, ==, "Support");
    g_assert_cmpstr (agent, ==, "Ana Silva");
  }
  g_assert_true (g_str_has_prefix (fw_board_view_get_status_text (view), "Live"));
  g_free (fw_app_test_screenshot (GTK_WIDGET (window), "alerts-board"));

  /* While the feed is down the board says its numbers may be out of date. */
  fw_sim_server_drop_sockets (sim);
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_board_view_get_status_text (view), "Not live"), 10000);
  fw_session_reconnect_now (fw_connection_get_session (connection));
  FW_TEST_WAIT_UNTIL (g_str_has_prefix (fw_board_view_get_status_text (view), "Live"), 10000);
  adw_view_stack_set_visible_child_name (stack, "events");
}

static void
test_background (void)
{
  g_autofree char *autostart = g_build_filename (config_dir, "autostart", APPLICATION_ID ".desktop", NULL);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = NULL;
  Call *call;
  guint since;

  /* Closing the window with "Run in background" on only hides it: the feed
   * and the alerts go on. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_close (GTK_WINDOW (window));
  FW_TEST_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)), 10000);
  g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (application)), window) != NULL);
  g_assert_true (fw_window_get_connection (window) == connection);

  set_rules ("[{\"id\":\"nr\",\"kind\":\"agent-not-responding\",\"target\":\"" ANA "\"}]");
  since = n_calls ();
  set_ana ("NOT_RESPONDING");
  call = wait_for_notify (since, 1);
  g_assert_cmpstr (call->summary, ==, "Ana Silva is not responding");
  call_free (call);
  set_ana ("IDLE");
  g_settings_set_string (settings, "alert-rules", "[]");

  /* Start at login, outside Flatpak: an XDG autostart entry. */
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (g_key_file_load_from_file (entry, autostart, G_KEY_FILE_NONE, NULL));
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, NULL);
  g_assert_cmpstr (exec, ==, "floorwatch --background");
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));

  /* Off again: closing would close. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (gtk_window_get_hide_on_close (GTK_WINDOW (window)));
  gtk_window_present (GTK_WINDOW (window));
  FW_TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (window)), 10000);
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_preferences (void)
{
  FwPreferencesWindow *preferences = fw_preferences_window_new (settings, connection);
  FwAlertsPage *page;
  GtkWidget *spin;
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  FwAlertRule *rule;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  page = FW_ALERTS_PAGE (find_by_type (GTK_WIDGET (preferences), FW_TYPE_ALERTS_PAGE));
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (page));

  fw_alerts_page_add_rule (page, "longest-wait");
  json = g_settings_get_string (settings, "alert-rules");
  rules = fw_alert_rules_parse (json, NULL);
  g_assert_cmpuint (rules->len, ==, 1);
  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpint (rule->kind, ==, FW_ALERT_KIND_LONGEST_WAIT);
  g_assert_cmpuint (fw_alert_rules_get_rules (fw_alert_center_get_rules (center))->len, ==, 1);

  /* The threshold spin button writes the setting. */
  spin = find_by_type (g_ptr_array_index (fw_alerts_page_get_rows (page), 0), GTK_TYPE_SPIN_BUTTON);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 45);
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&rules, g_ptr_array_unref);
  json = g_settings_get_string (settings, "alert-rules");
  rules = fw_alert_rules_parse (json, NULL);
  g_assert_cmpuint (((FwAlertRule *) g_ptr_array_index (rules, 0))->threshold, ==, 45);

  fw_alerts_page_add_rule (page, "agent-presence");
  g_assert_cmpuint (fw_alerts_page_get_rows (page)->len, ==, 2);
  g_free (fw_app_test_screenshot (GTK_WIDGET (preferences), "alerts-preferences"));

  /* Removing a rule. */
  g_signal_emit_by_name (fw_app_test_find_by_text (g_ptr_array_index (fw_alerts_page_get_rows (page), 0),
                                                   GTK_TYPE_BUTTON, "_Remove Rule"), "clicked");
  g_assert_cmpuint (fw_alerts_page_get_rows (page)->len, ==, 1);
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&rules, g_ptr_array_unref);
  json = g_settings_get_string (settings, "alert-rules");
  rules = fw_alert_rules_parse (json, NULL);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpint (((FwAlertRule *) g_ptr_array_index (rules, 0))->kind, ==, FW_ALERT_KIND_AGENT_PRESENCE);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_set_string (settings, "alert-rules", "[]");
}

static gboolean
click_quit_cb (gpointer user_data)
{
  FwTray *tray = fw_alert_center_get_tray (center);

  /* Nothing waits for the answer: the application is on its way out. */
  g_dbus_connection_call (panel, fw_tray_get_bus_name (tray), FW_TRAY_MENU_PATH, "com.canonical.dbusmenu",
                          "Event", g_variant_new ("(isvu)", MENU_QUIT, "clicked", g_variant_new_int32 (0), 0),
                          NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
test_tray_quit (void)
{
  char *argv[] = { (char *) "test-alerts", NULL };
  int status;

  /* app.quit really quits, from the tray's menu too. */
  g_idle_add (click_quit_cb, NULL);
  status = g_application_run (application, 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));
  window = NULL;
}

/* ---- Setting up ---- */

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(FwTokenSource) tokens = NULL;
  const char *topics[] = {
    "v2.routing.queues." SUPPORT ".conversations",
    "v2.analytics.queues." SUPPORT ".observations",
    "v2.users." ANA "?presence&routingStatus",
    NULL
  };
  const char *notification_daemon_args[] = { "--template", "notification_daemon", NULL };

  panel = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  notification_daemon = start_mock (notification_daemon_args, NOTIFY_NAME);

  settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  sim = fw_test_sim_new ();
  environment = fw_test_environment_new (sim);
  g_settings_set_string (settings, "environment", fw_environment_get_name (environment));
  g_settings_set_string (settings, "client-id", FW_SIM_DEFAULT_CLIENT_ID);
  g_settings_set_strv (settings, "topics", topics);

  /* The real application, unique on the bus under a name of its own. */
  application = G_APPLICATION (fw_application_new ());
  g_application_set_application_id (application, "io.github.floorwatch.Floorwatch.Test.Alerts");
  g_application_register (application, NULL, &error);
  g_assert_no_error (error);
  center = fw_alert_center_get (application);
  g_assert_nonnull (center);
  g_assert_nonnull (fw_alert_center_get_tray (center));

  window = fw_app_test_window_new (FW_APPLICATION (application), 1100, 720);
  tokens = fw_token_source_new (soup, environment, FW_SIM_DEFAULT_CLIENT_ID, FW_SIM_DEFAULT_CLIENT_SECRET);
  connection = fw_connection_new (tokens, 1000);
  /* An outage lasts until the test ends it with fw_session_reconnect_now(). */
  g_object_set (fw_connection_get_session (connection), "backoff-initial", 60000, "backoff-cap", 60000, NULL);
  fw_window_set_connection (window, connection);
  g_object_unref (connection);
  g_assert_true (fw_alert_center_get_connection (center) == connection);
  FW_TEST_WAIT_UNTIL (board_live (), 15000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* This program's own settings directory, and the freedesktop backend
   * whatever else the bus offers. */
  config_dir = g_dir_make_tmp ("floorwatch-alerts-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);

  fw_app_test_init (&argc, &argv);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("test-alerts needs a D-Bus session (build-aux/test.sh provides one)\n");
      return 1;
    }
  set_up ();

  g_test_add_func ("/app/alerts/notification", test_notification);
  g_test_add_func ("/app/alerts/reminder-replaces", test_reminder_replaces);
  g_test_add_func ("/app/alerts/mute", test_mute);
  g_test_add_func ("/app/alerts/default-action", test_default_action);
  g_test_add_func ("/app/tray/without-host", test_tray_without_host);
  g_test_add_func ("/app/tray/registers", test_tray_registers);
  g_test_add_func ("/app/tray/outage", test_tray_outage);
  g_test_add_func ("/app/tray/menu", test_tray_menu);
  g_test_add_func ("/app/tray/watcher-restarts", test_tray_watcher_restarts);
  g_test_add_func ("/app/tray/sandboxed", test_tray_sandboxed);
  g_test_add_func ("/app/board/view", test_board_view);
  g_test_add_func ("/app/background/close-keeps-running", test_background);
  g_test_add_func ("/app/preferences/alert-rules", test_preferences);
  /* Last: it ends the application. */
  g_test_add_func ("/app/quit/from-tray", test_tray_quit);

  status = g_test_run ();

  if (watcher != NULL)
    stop_mock (&watcher, WATCHER_NAME);
  stop_mock (&notification_daemon, NOTIFY_NAME);
  g_clear_object (&application);
  g_clear_object (&settings);
  g_clear_object (&sim);
  g_clear_object (&panel);
  if (config_dir != NULL)
    {
      g_autofree char *autostart = g_build_filename (config_dir, "autostart", NULL);

      g_rmdir (autostart);
      g_rmdir (config_dir);
      g_free (config_dir);
    }
  return status;
}
