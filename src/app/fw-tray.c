/* fw-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The StatusNotifierItem protocol (KDE, Xfce, and GNOME with the
 * AppIndicator extension) spoken over GDBus: the item and its menu are two
 * objects on our connection, under a bus name of their own that we hand to
 * org.kde.StatusNotifierWatcher.  The watcher may come and go (a panel
 * restarts): we register again each time it appears.
 */

#define G_LOG_DOMAIN "fw-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "fw-app-enums.h"
#include "fw-tray.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define ITEM_IFACE    "org.kde.StatusNotifierItem"
#define MENU_IFACE    "com.canonical.dbusmenu"

#define ICON_LIVE          "io.github.floorwatch.Floorwatch-symbolic"
#define ICON_RECONNECTING  "network-offline-symbolic"
#define ICON_ALERT         "dialog-warning-symbolic"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='Activate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='Scroll'><arg type='i' direction='in'/><arg type='s' direction='in'/></method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'><arg type='s'/></signal>"
  "  </interface>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* The menu: its items by id (0 is the root). */
enum {
  MENU_ROOT,
  MENU_SHOW,
  MENU_PAUSE,
  MENU_SEPARATOR,
  MENU_QUIT,
  N_MENU_ITEMS
};

static const struct
{
  const char *label;
  const char *action;     /* in the action group; NULL for none */
  gboolean    separator;
} menu_items[N_MENU_ITEMS] = {
  [MENU_ROOT] = { NULL, NULL, FALSE },
  [MENU_SHOW] = { N_("_Show Floorwatch"), "show-window", FALSE },
  [MENU_PAUSE] = { N_("_Pause Alerts"), "pause-alerts", FALSE },
  [MENU_SEPARATOR] = { NULL, NULL, TRUE },
  [MENU_QUIT] = { N_("_Quit"), "quit", FALSE },
};

struct _FwTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GActionGroup    *actions;
  char            *id;
  char            *bus_name;
  guint            item_registration;
  guint            menu_registration;
  guint            own_name;
  guint            watch_name;
  gboolean         name_owned;
  gboolean         name_refused;      /* a sandbox may forbid owning names */
  gboolean         watcher_present;
  gboolean         registered;
  GCancellable    *register_cancellable;

  FwTrayState      state;
  char            *tooltip_title;
  char            *tooltip_text;
  guint            revision;
};

G_DEFINE_FINAL_TYPE (FwTray, fw_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GDBusNodeInfo *introspection_data;

/* ---- The item ---- */

const char *
fw_tray_get_icon_name (FwTray *self)
{
  g_return_val_if_fail (FW_IS_TRAY (self), NULL);

  switch (self->state)
    {
    case FW_TRAY_STATE_RECONNECTING:
      return ICON_RECONNECTING;

    case FW_TRAY_STATE_ALERT:
      return ICON_ALERT;

    case FW_TRAY_STATE_LIVE:
    case FW_TRAY_STATE_OFFLINE:
    default:
      return ICON_LIVE;
    }
}

static const char *
item_status (FwTray *self)
{
  switch (self->state)
    {
    case FW_TRAY_STATE_ALERT:
      return "NeedsAttention";

    case FW_TRAY_STATE_OFFLINE:
      return "Passive";

    case FW_TRAY_STATE_LIVE:
    case FW_TRAY_STATE_RECONNECTING:
    default:
      return "Active";
    }
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
item_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  FwTray *self = user_data;

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (self->id);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (_("Floorwatch"));
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (item_status (self));
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (fw_tray_get_icon_name (self));
  if (g_str_equal (property_name, "AttentionIconName"))
    return g_variant_new_string (ICON_ALERT);
  if (g_str_equal (property_name, "OverlayIconName") ||
      g_str_equal (property_name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (property_name, "IconPixmap") ||
      g_str_equal (property_name, "OverlayIconPixmap") ||
      g_str_equal (property_name, "AttentionIconPixmap"))
    return empty_pixmaps ();
  if (g_str_equal (property_name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", fw_tray_get_icon_name (self), empty_pixmaps (),
                          self->tooltip_title ? self->tooltip_title : _("Floorwatch"),
                          self->tooltip_text ? self->tooltip_text : "");
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (FW_TRAY_MENU_PATH);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property %s", property_name);
  return NULL;
}

static void
activate_action (FwTray     *self,
                 const char *action)
{
  if (!g_action_group_has_action (self->actions, action) ||
      !g_action_group_get_action_enabled (self->actions, action))
    return;

  /* A stateful boolean action toggles. */
  if (g_action_group_get_action_state_type (self->actions, action) != NULL)
    {
      g_autoptr(GVariant) state = g_action_group_get_action_state (self->actions, action);

      if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
        {
          g_action_group_change_action_state (self->actions, action,
                                              g_variant_new_boolean (!g_variant_get_boolean (state)));
          return;
        }
    }
  g_action_group_activate_action (self->actions, action, NULL);
}

static void
item_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FwTray *self = user_data;

  /* Answer first: an action may take a while (or quit). */
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method_name, "Activate"))
    activate_action (self, "toggle-window");
  else if (g_str_equal (method_name, "SecondaryActivate"))
    activate_action (self, "show-window");
  /* ContextMenu: hosts show the dbusmenu themselves.  Scroll: nothing to scroll. */
}

static const GDBusInterfaceVTable item_vtable = {
  item_method_call,
  item_get_property,
  NULL,
};

static void
emit_item_signal (FwTray     *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->item_registration == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }
  if (!g_dbus_connection_emit_signal (self->connection, NULL, FW_TRAY_ITEM_PATH, ITEM_IFACE,
                                      name, parameters, &error))
    g_debug ("Could not emit %s: %s", name, error->message);
}

/* ---- The menu ---- */

static gboolean
want_property (const char * const *names,
               const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

static GVariant *
menu_item_properties (FwTray             *self,
                      int                 id,
                      const char * const *names)
{
  GVariantBuilder builder;
  const char *action = menu_items[id].action;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));

  if (id == MENU_ROOT)
    {
      if (want_property (names, "children-display"))
        g_variant_builder_add (&builder, "{sv}", "children-display", g_variant_new_string ("submenu"));
      return g_variant_builder_end (&builder);
    }
  if (menu_items[id].separator)
    {
      if (want_property (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      return g_variant_builder_end (&builder);
    }

  if (want_property (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (_(menu_items[id].label)));
  if (want_property (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled",
                           g_variant_new_boolean (g_action_group_has_action (self->actions, action) &&
                                                  g_action_group_get_action_enabled (self->actions,
                                                                                     action)));
  if (id == MENU_PAUSE)
    {
      g_autoptr(GVariant) state = NULL;
      gboolean checked = FALSE;

      if (g_action_group_has_action (self->actions, action))
        state = g_action_group_get_action_state (self->actions, action);
      if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
        checked = g_variant_get_boolean (state);
      if (want_property (names, "toggle-type"))
        g_variant_builder_add (&builder, "{sv}", "toggle-type", g_variant_new_string ("checkmark"));
      if (want_property (names, "toggle-state"))
        g_variant_builder_add (&builder, "{sv}", "toggle-state", g_variant_new_int32 (checked ? 1 : 0));
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
menu_layout (FwTray             *self,
             int                 id,
             int                 depth,
             const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (id == MENU_ROOT && depth != 0)
    for (int child = MENU_ROOT + 1; child < N_MENU_ITEMS; child++)
      g_variant_builder_add (&children, "v", menu_layout (self, child, depth - 1, names));

  return g_variant_new ("(i@a{sv}av)", id, menu_item_properties (self, id, names), &children);
}

static gboolean
valid_menu_id (int id)
{
  return id >= 0 && id < N_MENU_ITEMS;
}

static void
menu_event (FwTray     *self,
            int         id,
            const char *event_id)
{
  if (g_str_equal (event_id, "clicked") && id != MENU_ROOT && menu_items[id].action != NULL)
    activate_action (self, menu_items[id].action);
}

static void
menu_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FwTray *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    {
      g_autofree const char **names = NULL;
      int parent;
      int depth;

      g_variant_get (parameters, "(ii^a&s)", &parent, &depth, &names);
      if (!valid_menu_id (parent))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "No menu item %d", parent);
          return;
        }
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            menu_layout (self, parent, depth, names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      int id;

      g_variant_get (parameters, "(ai^a&s)", &ids, &names);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      while (g_variant_iter_next (ids, "i", &id))
        if (valid_menu_id (id))
          g_variant_builder_add (&builder, "(i@a{sv})", id, menu_item_properties (self, id, names));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      g_autoptr(GVariant) item = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *name;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &name);
      if (valid_menu_id (id))
        {
          const char *names[] = { name, NULL };

          item = menu_item_properties (self, id, names);
          value = g_variant_lookup_value (item, name, NULL);
        }
      if (value == NULL)
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                               "No property %s on menu item %d", name, id);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method_name, "Event"))
    {
      g_autoptr(GVariant) data = NULL;
      g_autofree char *event_id = NULL;
      guint32 timestamp;
      int id;

      g_variant_get (parameters, "(isvu)", &id, &event_id, &data, &timestamp);
      if (!valid_menu_id (id))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "No menu item %d", id);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, NULL);
      menu_event (self, id, event_id);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      g_autoptr(GArray) valid = g_array_new (FALSE, FALSE, sizeof (int));
      g_autoptr(GPtrArray) event_ids = g_ptr_array_new_with_free_func (g_free);
      GVariantBuilder errors;
      GVariant *data;
      char *event_id;
      guint32 timestamp;
      int id;

      g_variant_get (parameters, "(a(isvu))", &events);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (events, "(isvu)", &id, &event_id, &data, &timestamp))
        {
          g_variant_unref (data);
          if (!valid_menu_id (id))
            {
              g_variant_builder_add (&errors, "i", id);
              g_free (event_id);
              continue;
            }
          g_array_append_val (valid, id);
          g_ptr_array_add (event_ids, event_id);
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
      for (guint i = 0; i < valid->len; i++)
        menu_event (self, g_array_index (valid, int, i), g_ptr_array_index (event_ids, i));
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      int id;

      g_variant_get (parameters, "(i)", &id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      GVariantBuilder updates;
      GVariantBuilder errors;
      int id;

      g_variant_get (parameters, "(ai)", &ids);
      g_variant_builder_init (&updates, G_VARIANT_TYPE ("ai"));
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (ids, "i", &id))
        if (!valid_menu_id (id))
          g_variant_builder_add (&errors, "i", id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(aiai)", &updates, &errors));
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static GVariant *
menu_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string (gtk_get_locale_direction () == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable menu_vtable = {
  menu_method_call,
  menu_get_property,
  NULL,
};

/* An action's state or enabled flag changed: the items say so. */
static void
menu_changed (FwTray *self)
{
  GVariantBuilder updated;
  g_autoptr(GError) error = NULL;

  if (self->menu_registration == 0)
    return;

  self->revision++;
  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  for (int id = MENU_ROOT + 1; id < N_MENU_ITEMS; id++)
    if (!menu_items[id].separator)
      g_variant_builder_add (&updated, "(i@a{sv})", id, menu_item_properties (self, id, NULL));
  if (!g_dbus_connection_emit_signal (self->connection, NULL, FW_TRAY_MENU_PATH, MENU_IFACE,
                                      "ItemsPropertiesUpdated",
                                      g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL),
                                      &error))
    g_debug ("Could not emit ItemsPropertiesUpdated: %s", error->message);
  g_dbus_connection_emit_signal (self->connection, NULL, FW_TRAY_MENU_PATH, MENU_IFACE,
                                 "LayoutUpdated", g_variant_new ("(ui)", self->revision, MENU_ROOT),
                                 NULL);
}

static void
action_state_changed_cb (GActionGroup *actions,
                         const char   *action_name,
                         GVariant     *state,
                         FwTray       *self)
{
  if (g_str_equal (action_name, "pause-alerts"))
    menu_changed (self);
}

static void
action_enabled_changed_cb (GActionGroup *actions,
                           const char   *action_name,
                           gboolean      enabled,
                           FwTray       *self)
{
  for (int id = MENU_ROOT + 1; id < N_MENU_ITEMS; id++)
    if (g_strcmp0 (menu_items[id].action, action_name) == 0)
      menu_changed (self);
}

/* ---- Registration ---- */

static void
set_registered (FwTray   *self,
                gboolean  registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
register_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FwTray) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The tray did not take our icon: %s", error->message);
      return;
    }
  g_debug ("registered with the tray");
  set_registered (self, TRUE);
}

static void
try_register (FwTray *self)
{
  const char *service;

  if (!(self->name_owned || self->name_refused) || !self->watcher_present)
    return;

  /* Without a name of our own, the object path: watchers then take our
   * unique name as the service (KDE, the AppIndicator extension). */
  service = self->name_owned ? self->bus_name : FW_TRAY_ITEM_PATH;

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  self->register_cancellable = g_cancellable_new ();
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem", g_variant_new ("(s)", service),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, self->register_cancellable,
                          register_cb, g_object_ref (self));
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  FwTray *self = user_data;

  g_debug ("a tray is here (%s)", name_owner);
  self->watcher_present = TRUE;
  try_register (self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  FwTray *self = user_data;

  self->watcher_present = FALSE;
  set_registered (self, FALSE);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  FwTray *self = user_data;

  self->name_owned = TRUE;
  try_register (self);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  FwTray *self = user_data;

  if (!self->name_owned)
    {
      /* Never had it: not allowed (Flatpak lets us talk to the watcher only). */
      g_debug ("could not own %s; registering by object path", name);
      self->name_refused = TRUE;
      try_register (self);
      return;
    }
  self->name_owned = FALSE;
  set_registered (self, FALSE);
}

/* ---- Public ---- */

gboolean
fw_tray_get_registered (FwTray *self)
{
  g_return_val_if_fail (FW_IS_TRAY (self), FALSE);

  return self->registered;
}

FwTrayState
fw_tray_get_state (FwTray *self)
{
  g_return_val_if_fail (FW_IS_TRAY (self), FW_TRAY_STATE_OFFLINE);

  return self->state;
}

void
fw_tray_set_state (FwTray      *self,
                   FwTrayState  state)
{
  const char *old_status;

  g_return_if_fail (FW_IS_TRAY (self));

  if (self->state == state)
    return;

  old_status = item_status (self);
  self->state = state;
  emit_item_signal (self, "NewIcon", NULL);
  if (!g_str_equal (old_status, item_status (self)))
    emit_item_signal (self, "NewStatus", g_variant_new ("(s)", item_status (self)));
  emit_item_signal (self, "NewToolTip", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
fw_tray_set_tooltip (FwTray     *self,
                     const char *title,
                     const char *text)
{
  g_return_if_fail (FW_IS_TRAY (self));

  if (g_strcmp0 (self->tooltip_title, title) == 0 && g_strcmp0 (self->tooltip_text, text) == 0)
    return;
  g_free (self->tooltip_title);
  self->tooltip_title = g_strdup (title);
  g_free (self->tooltip_text);
  self->tooltip_text = g_strdup (text);
  emit_item_signal (self, "NewToolTip", NULL);
}

const char *
fw_tray_get_bus_name (FwTray *self)
{
  g_return_val_if_fail (FW_IS_TRAY (self), NULL);

  if (self->name_refused)
    return g_dbus_connection_get_unique_name (self->connection);
  return self->bus_name;
}

/* ---- GObject ---- */

static void
fw_tray_dispose (GObject *object)
{
  FwTray *self = (FwTray *)object;

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  g_clear_handle_id (&self->watch_name, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_name, g_bus_unown_name);
  if (self->item_registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->item_registration);
  if (self->menu_registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->menu_registration);
  self->item_registration = 0;
  self->menu_registration = 0;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (fw_tray_parent_class)->dispose (object);
}

static void
fw_tray_finalize (GObject *object)
{
  FwTray *self = (FwTray *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->bus_name, g_free);
  g_clear_pointer (&self->tooltip_title, g_free);
  g_clear_pointer (&self->tooltip_text, g_free);

  G_OBJECT_CLASS (fw_tray_parent_class)->finalize (object);
}

static void
fw_tray_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  FwTray *self = FW_TRAY (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_tray_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  FwTray *self = FW_TRAY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      fw_tray_set_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_tray_class_init (FwTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_tray_dispose;
  object_class->finalize = fw_tray_finalize;
  object_class->get_property = fw_tray_get_property;
  object_class->set_property = fw_tray_set_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FW_TYPE_TRAY_STATE, FW_TRAY_STATE_OFFLINE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  introspection_data = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_assert (introspection_data != NULL);
}

static void
fw_tray_init (FwTray *self)
{
  self->revision = 1;
}

FwTray *
fw_tray_new (GDBusConnection *connection,
             const char      *id,
             GActionGroup    *actions)
{
  static guint counter;
  g_autoptr(FwTray) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);

  self = g_object_new (FW_TYPE_TRAY, NULL);
  self->connection = g_object_ref (connection);
  self->actions = g_object_ref (actions);
  self->id = g_strdup (id);
  /* The name the protocol suggests: org.kde.StatusNotifierItem-PID-N. */
  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (), ++counter);

  self->item_registration =
    g_dbus_connection_register_object (connection, FW_TRAY_ITEM_PATH,
                                       g_dbus_node_info_lookup_interface (introspection_data, ITEM_IFACE),
                                       &item_vtable, self, NULL, &error);
  if (self->item_registration == 0)
    {
      g_message ("No tray icon: %s", error->message);
      return g_steal_pointer (&self);
    }
  self->menu_registration =
    g_dbus_connection_register_object (connection, FW_TRAY_MENU_PATH,
                                       g_dbus_node_info_lookup_interface (introspection_data, MENU_IFACE),
                                       &menu_vtable, self, NULL, &error);
  if (self->menu_registration == 0)
    {
      g_message ("No tray menu: %s", error->message);
      return g_steal_pointer (&self);
    }

  g_signal_connect (actions, "action-state-changed", G_CALLBACK (action_state_changed_cb), self);
  g_signal_connect (actions, "action-enabled-changed", G_CALLBACK (action_enabled_changed_cb), self);

  self->own_name = g_bus_own_name_on_connection (connection, self->bus_name, G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 name_acquired_cb, name_lost_cb, self, NULL);
  self->watch_name = g_bus_watch_name_on_connection (connection, WATCHER_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                     watcher_appeared_cb, watcher_vanished_cb, self, NULL);
  return g_steal_pointer (&self);
}
