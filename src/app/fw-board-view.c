/* fw-board-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two tables over the board's list models.  Each cell is a label that
 * follows its item's notify; the cells that show a time in status or a
 * wait are also refreshed once a second while the view is mapped, since
 * time passes without any event to say so.
 */

#define G_LOG_DOMAIN "fw-board-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fw-board-view.h"
#include "fw-event-row.h"

typedef enum
{
  COLUMN_QUEUE_NAME,
  COLUMN_WAITING,
  COLUMN_INTERACTING,
  COLUMN_AGENTS,
  COLUMN_LONGEST_WAIT,
  COLUMN_AGENT_NAME,
  COLUMN_PRESENCE,
  COLUMN_ROUTING_STATUS,
} Column;

static const struct
{
  const char *id;
  const char *title;
  gboolean    numeric;
  gboolean    timed;
  gboolean    expand;
} columns[] = {
  [COLUMN_QUEUE_NAME] = { "name", N_("Queue"), FALSE, FALSE, TRUE },
  [COLUMN_WAITING] = { "waiting", N_("Waiting"), TRUE, FALSE, FALSE },
  [COLUMN_INTERACTING] = { "interacting", N_("Interacting"), TRUE, FALSE, FALSE },
  [COLUMN_AGENTS] = { "agents", N_("Agents on Queue"), TRUE, FALSE, FALSE },
  [COLUMN_LONGEST_WAIT] = { "longest-wait", N_("Longest Wait"), TRUE, TRUE, FALSE },
  [COLUMN_AGENT_NAME] = { "name", N_("Agent"), FALSE, FALSE, TRUE },
  [COLUMN_PRESENCE] = { "presence", N_("Presence"), FALSE, TRUE, TRUE },
  [COLUMN_ROUTING_STATUS] = { "routing-status", N_("Routing Status"), FALSE, TRUE, TRUE },
};

struct _FwBoardView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkStack           *stack;
  GtkLabel           *status_label;
  GtkColumnView      *queue_view;
  GtkColumnView      *agent_view;

  FwConnection       *connection;
  FwBoard            *board;
  GSignalGroup       *board_signals;
  GSignalGroup       *session_signals;
  GtkSingleSelection *queue_selection;
  GtkSingleSelection *agent_selection;
  GHashTable         *timed_labels;    /* GtkLabel → the item it shows (borrowed) */
  guint               tick_source;
  char               *status_text;
};

G_DEFINE_FINAL_TYPE (FwBoardView, fw_board_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Cell texts ---- */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (0, seconds);
  if (seconds < 60)
    /* Translators: a duration in seconds. */
    return g_strdup_printf (_("%u s"), (guint) seconds);
  if (seconds < 3600)
    /* Translators: a duration in minutes and seconds. */
    return g_strdup_printf (_("%u min %u s"), (guint) (seconds / 60), (guint) (seconds % 60));
  /* Translators: a duration in hours and minutes. */
  return g_strdup_printf (_("%u h %u min"), (guint) (seconds / 3600), (guint) (seconds % 3600 / 60));
}

static char *
format_status (const char *status,
               gint64      since,
               gint64      now)
{
  g_autofree char *duration = NULL;

  if (status == NULL)
    return g_strdup ("—");
  if (since == 0)
    return g_strdup (fw_board_status_label (status));
  duration = format_duration ((now - since) / G_USEC_PER_SEC);
  /* Translators: a status and how long it has lasted, "On Queue · 12 min 3 s". */
  return g_strdup_printf (_("%s · %s"), fw_board_status_label (status), duration);
}

static char *
cell_text (GObject *item,
           Column   column,
           gint64   now)
{
  if (FW_IS_BOARD_QUEUE (item))
    {
      FwBoardQueue *queue = FW_BOARD_QUEUE (item);
      gboolean known = fw_board_queue_get_counts_known (queue);

      switch (column)
        {
        case COLUMN_QUEUE_NAME:
          return g_strdup (fw_board_queue_get_name (queue) ? fw_board_queue_get_name (queue)
                                                          : fw_board_queue_get_id (queue));
        case COLUMN_WAITING:
          return known ? g_strdup_printf ("%u", fw_board_queue_get_waiting (queue)) : g_strdup ("—");
        case COLUMN_INTERACTING:
          return known ? g_strdup_printf ("%u", fw_board_queue_get_interacting (queue)) : g_strdup ("—");
        case COLUMN_AGENTS:
          return known ? g_strdup_printf ("%u", fw_board_queue_get_agents_on_queue (queue)) : g_strdup ("—");
        case COLUMN_LONGEST_WAIT:
          if (fw_board_queue_get_longest_wait_start (queue) == 0)
            return g_strdup ("—");
          return format_duration (fw_board_queue_get_longest_wait (queue, now));
        case COLUMN_AGENT_NAME:
        case COLUMN_PRESENCE:
        case COLUMN_ROUTING_STATUS:
        default:
          break;
        }
    }
  else if (FW_IS_BOARD_AGENT (item))
    {
      FwBoardAgent *agent = FW_BOARD_AGENT (item);

      switch (column)
        {
        case COLUMN_AGENT_NAME:
          return g_strdup (fw_board_agent_get_name (agent) ? fw_board_agent_get_name (agent)
                                                          : fw_board_agent_get_id (agent));
        case COLUMN_PRESENCE:
          return format_status (fw_board_agent_get_presence (agent),
                                fw_board_agent_get_presence_since (agent), now);
        case COLUMN_ROUTING_STATUS:
          return format_status (fw_board_agent_get_routing_status (agent),
                                fw_board_agent_get_routing_since (agent), now);
        case COLUMN_QUEUE_NAME:
        case COLUMN_WAITING:
        case COLUMN_INTERACTING:
        case COLUMN_AGENTS:
        case COLUMN_LONGEST_WAIT:
        default:
          break;
        }
    }
  return g_strdup ("");
}

static void
update_label (GtkLabel *label)
{
  GObject *item = g_object_get_data (G_OBJECT (label), "fw-item");
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "fw-column"));
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = cell_text (item, column, g_get_real_time ());
  gtk_label_set_label (label, text);

  /* A status that asks for attention stands out. */
  if (column == COLUMN_ROUTING_STATUS)
    {
      if (fw_board_status_equal (fw_board_agent_get_routing_status (FW_BOARD_AGENT (item)),
                                 "NOT_RESPONDING"))
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
    }
}

/* ---- Factories ---- */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          FwBoardView              *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "fw-column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "fw-column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         FwBoardView              *self)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  GObject *item = gtk_list_item_get_item (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "fw-column"));

  g_object_set_data (G_OBJECT (label), "fw-item", item);
  g_signal_connect_object (item, "notify", G_CALLBACK (update_label), label, G_CONNECT_SWAPPED);
  update_label (GTK_LABEL (label));
  if (columns[column].timed)
    g_hash_table_add (self->timed_labels, label);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           FwBoardView              *self)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  GObject *item = g_object_get_data (G_OBJECT (label), "fw-item");

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, update_label, label);
  g_object_set_data (G_OBJECT (label), "fw-item", NULL);
  g_hash_table_remove (self->timed_labels, label);
}

static void
add_column (FwBoardView   *self,
            GtkColumnView *view,
            Column         column)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "fw-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);

  view_column = gtk_column_view_column_new (_(columns[column].title), g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (view_column, columns[column].expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (view, view_column);
}

/* ---- The clock ---- */

static gboolean
tick_cb (gpointer user_data)
{
  FwBoardView *self = user_data;
  GHashTableIter iter;
  GtkLabel *label;

  g_hash_table_iter_init (&iter, self->timed_labels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &label, NULL))
    update_label (label);
  return G_SOURCE_CONTINUE;
}

static void
fw_board_view_map (GtkWidget *widget)
{
  FwBoardView *self = FW_BOARD_VIEW (widget);

  GTK_WIDGET_CLASS (fw_board_view_parent_class)->map (widget);

  tick_cb (self);
  if (self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

static void
fw_board_view_unmap (GtkWidget *widget)
{
  FwBoardView *self = FW_BOARD_VIEW (widget);

  g_clear_handle_id (&self->tick_source, g_source_remove);

  GTK_WIDGET_CLASS (fw_board_view_parent_class)->unmap (widget);
}

/* ---- The board ---- */

static void
update_status (FwBoardView *self)
{
  FwSession *session = self->connection ? fw_connection_get_session (self->connection) : NULL;
  gint64 confirmed = self->board ? fw_board_get_confirmed_time (self->board) : 0;
  gboolean stale = self->board ? fw_board_get_stale (self->board) : TRUE;
  gboolean live = session != NULL && fw_session_get_state (session) == FW_SESSION_STATE_LIVE;
  g_autofree char *clock = confirmed ? fw_event_row_format_time (confirmed) : NULL;
  char *text;

  if (!stale)
    /* Translators: %s is a time, "14:02:20". */
    text = g_strdup_printf (_("Live · numbers re-read at %s and kept current by the feed"), clock);
  else if (confirmed != 0 && live)
    text = g_strdup_printf (_("Re-reading the numbers after an interruption · last confirmed at %s"), clock);
  else if (confirmed != 0)
    text = g_strdup_printf (_("Not live · the numbers were last confirmed at %s and may be out of date"),
                            clock);
  else if (live)
    text = g_strdup (_("Reading the current numbers…"));
  else
    text = g_strdup (_("Waiting for the feed…"));

  g_free (self->status_text);
  self->status_text = text;
  gtk_label_set_label (self->status_label, text);
  if (stale)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
}

static void
update_page (FwBoardView *self)
{
  guint n_queues = self->board ? g_list_model_get_n_items (fw_board_get_queues (self->board)) : 0;
  guint n_agents = self->board ? g_list_model_get_n_items (fw_board_get_agents (self->board)) : 0;

  gtk_stack_set_visible_child_name (self->stack, n_queues + n_agents > 0 ? "board" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->queue_view), n_queues > 0);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (GTK_WIDGET (self->queue_view)), n_queues > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_view), n_agents > 0);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (GTK_WIDGET (self->agent_view)), n_agents > 0);
}

void
fw_board_view_set_connection (FwBoardView  *self,
                              FwConnection *connection)
{
  g_return_if_fail (FW_IS_BOARD_VIEW (self));
  g_return_if_fail (connection == NULL || FW_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->board != NULL)
    g_signal_handlers_disconnect_by_data (fw_board_get_queues (self->board), self);
  if (self->board != NULL)
    g_signal_handlers_disconnect_by_data (fw_board_get_agents (self->board), self);
  gtk_column_view_set_model (self->queue_view, NULL);
  gtk_column_view_set_model (self->agent_view, NULL);
  g_clear_object (&self->queue_selection);
  g_clear_object (&self->agent_selection);
  g_clear_object (&self->board);

  g_set_object (&self->connection, connection);
  if (connection != NULL)
    {
      self->board = g_object_ref (fw_connection_get_board (connection));
      self->queue_selection = gtk_single_selection_new (g_object_ref (fw_board_get_queues (self->board)));
      self->agent_selection = gtk_single_selection_new (g_object_ref (fw_board_get_agents (self->board)));
      gtk_single_selection_set_autoselect (self->queue_selection, FALSE);
      gtk_single_selection_set_can_unselect (self->queue_selection, TRUE);
      gtk_single_selection_set_autoselect (self->agent_selection, FALSE);
      gtk_single_selection_set_can_unselect (self->agent_selection, TRUE);
      gtk_single_selection_set_selected (self->queue_selection, GTK_INVALID_LIST_POSITION);
      gtk_single_selection_set_selected (self->agent_selection, GTK_INVALID_LIST_POSITION);
      gtk_column_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->queue_selection));
      gtk_column_view_set_model (self->agent_view, GTK_SELECTION_MODEL (self->agent_selection));
      g_signal_connect_swapped (fw_board_get_queues (self->board), "items-changed",
                                G_CALLBACK (update_page), self);
      g_signal_connect_swapped (fw_board_get_agents (self->board), "items-changed",
                                G_CALLBACK (update_page), self);
    }
  g_signal_group_set_target (self->board_signals, self->board);
  g_signal_group_set_target (self->session_signals,
                             connection ? fw_connection_get_session (connection) : NULL);

  update_page (self);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

FwConnection *
fw_board_view_get_connection (FwBoardView *self)
{
  g_return_val_if_fail (FW_IS_BOARD_VIEW (self), NULL);

  return self->connection;
}

static gboolean
find_target (FwBoardView         *self,
             const char          *target,
             GtkSingleSelection **selection,
             GtkColumnView      **view,
             guint               *position)
{
  GListModel *model;
  const char *id;
  gboolean queue;

  if (self->board == NULL || target == NULL)
    return FALSE;
  if (g_str_has_prefix (target, "queue:"))
    {
      queue = TRUE;
      id = target + strlen ("queue:");
    }
  else if (g_str_has_prefix (target, "agent:"))
    {
      queue = FALSE;
      id = target + strlen ("agent:");
    }
  else
    return FALSE;

  model = queue ? fw_board_get_queues (self->board) : fw_board_get_agents (self->board);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      const char *item_id = queue ? fw_board_queue_get_id (FW_BOARD_QUEUE (item))
                                  : fw_board_agent_get_id (FW_BOARD_AGENT (item));

      if (g_str_equal (item_id, id))
        {
          *selection = queue ? self->queue_selection : self->agent_selection;
          *view = queue ? self->queue_view : self->agent_view;
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

gboolean
fw_board_view_show_item (FwBoardView *self,
                         const char  *target)
{
  GtkSingleSelection *selection;
  GtkColumnView *view;
  GtkWidget *stack;
  GtkWidget *list;
  guint position;

  g_return_val_if_fail (FW_IS_BOARD_VIEW (self), FALSE);

  /* Bring the board forward in the window's view stack. */
  stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);
  if (stack != NULL)
    {
      GtkWidget *page = GTK_WIDGET (self);

      while (page != NULL && gtk_widget_get_parent (page) != stack)
        page = gtk_widget_get_parent (page);
      if (page != NULL)
        adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), page);
    }

  if (!find_target (self, target, &selection, &view, &position))
    return FALSE;

  gtk_single_selection_set_selected (self->queue_selection,
                                     selection == self->queue_selection ? position : GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_selected (self->agent_selection,
                                     selection == self->agent_selection ? position : GTK_INVALID_LIST_POSITION);
  /* GTK 4.8 has no gtk_column_view_scroll_to(): its list view has the action. */
  list = find_list_view (GTK_WIDGET (view));
  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  return TRUE;
}

char *
fw_board_view_dup_selected (FwBoardView *self)
{
  g_return_val_if_fail (FW_IS_BOARD_VIEW (self), NULL);

  if (self->queue_selection != NULL)
    {
      FwBoardQueue *queue = gtk_single_selection_get_selected_item (self->queue_selection);

      if (queue != NULL)
        return g_strconcat ("queue:", fw_board_queue_get_id (queue), NULL);
    }
  if (self->agent_selection != NULL)
    {
      FwBoardAgent *agent = gtk_single_selection_get_selected_item (self->agent_selection);

      if (agent != NULL)
        return g_strconcat ("agent:", fw_board_agent_get_id (agent), NULL);
    }
  return NULL;
}

const char *
fw_board_view_get_status_text (FwBoardView *self)
{
  g_return_val_if_fail (FW_IS_BOARD_VIEW (self), NULL);

  return self->status_text;
}

char *
fw_board_view_dup_cell_text (FwBoardView *self,
                             const char  *target,
                             const char  *column)
{
  GtkSingleSelection *selection;
  GtkColumnView *view;
  g_autoptr(GObject) item = NULL;
  gboolean queue;
  guint position;

  g_return_val_if_fail (FW_IS_BOARD_VIEW (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  if (!find_target (self, target, &selection, &view, &position))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (selection), position);
  queue = FW_IS_BOARD_QUEUE (item);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    if (g_str_equal (columns[c].id, column) &&
        queue == (c <= COLUMN_LONGEST_WAIT))
      return cell_text (item, (Column) c, g_get_real_time ());
  return NULL;
}

/* ---- GObject ---- */

static void
fw_board_view_dispose (GObject *object)
{
  FwBoardView *self = (FwBoardView *)object;

  fw_board_view_set_connection (self, NULL);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_BOARD_VIEW);
  g_clear_object (&self->board_signals);
  g_clear_object (&self->session_signals);

  G_OBJECT_CLASS (fw_board_view_parent_class)->dispose (object);
}

static void
fw_board_view_finalize (GObject *object)
{
  FwBoardView *self = (FwBoardView *)object;

  g_clear_pointer (&self->timed_labels, g_hash_table_unref);
  g_clear_pointer (&self->status_text, g_free);

  G_OBJECT_CLASS (fw_board_view_parent_class)->finalize (object);
}

static void
fw_board_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FwBoardView *self = FW_BOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FwBoardView *self = FW_BOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      fw_board_view_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_board_view_class_init (FwBoardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_board_view_dispose;
  object_class->finalize = fw_board_view_finalize;
  object_class->get_property = fw_board_view_get_property;
  object_class->set_property = fw_board_view_set_property;
  widget_class->map = fw_board_view_map;
  widget_class->unmap = fw_board_view_unmap;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, FW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-board-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FwBoardView, stack);
  gtk_widget_class_bind_template_child (widget_class, FwBoardView, status_label);
  gtk_widget_class_bind_template_child (widget_class, FwBoardView, queue_view);
  gtk_widget_class_bind_template_child (widget_class, FwBoardView, agent_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fw_board_view_init (FwBoardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->timed_labels = g_hash_table_new (NULL, NULL);

  for (Column c = COLUMN_QUEUE_NAME; c <= COLUMN_LONGEST_WAIT; c++)
    add_column (self, self->queue_view, c);
  for (Column c = COLUMN_AGENT_NAME; c <= COLUMN_ROUTING_STATUS; c++)
    add_column (self, self->agent_view, c);

  self->board_signals = g_signal_group_new (FW_TYPE_BOARD);
  g_signal_group_connect_swapped (self->board_signals, "notify::stale", G_CALLBACK (update_status), self);
  g_signal_group_connect_swapped (self->board_signals, "notify::confirmed-time",
                                  G_CALLBACK (update_status), self);
  self->session_signals = g_signal_group_new (FW_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (update_status), self);

  update_page (self);
  update_status (self);
}

GtkWidget *
fw_board_view_new (void)
{
  return g_object_new (FW_TYPE_BOARD_VIEW, NULL);
}
