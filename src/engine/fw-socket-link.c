/* fw-socket-link.c — one WebSocket, run on the engine's socket thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup spends a few microseconds on every frame it receives (framing,
 * UTF-8 checks, a debug message, a signal).  At the rates a busy org can
 * produce, that alone would fill the main loop, where the window also has to
 * draw.  So every notification socket lives on one thread of its own, with
 * its own main context and SoupSession, and hands what it receives to the
 * thread that owns the link in batches: one wake-up of the owner per batch,
 * not per frame.  Frames keep their order, and a close comes after the frames
 * that preceded it.  The owner never touches libsoup's socket; the socket
 * thread never touches the owner's objects.
 *
 * The owner takes in what arrived for a few milliseconds at a time, so that
 * a backlog never holds its main loop for long, and what is waiting for the
 * owner is bounded: past MAX_QUEUED_BYTES the socket thread stops reading
 * until the owner has caught up, and the sender waits (TCP flow control)
 * instead of the process growing.
 */

#define G_LOG_DOMAIN "fw-socket-link"

#include "config.h"

#include <libsoup/soup.h>

#include "fw-socket-link.h"

#define DISPATCH_DELAY_MS 1
/* How long the owner delivers frames in one go before it lets its main loop
 * run other sources (drawing, input) in between. */
#define DISPATCH_BUDGET_US 4000
/* Frames received and not yet delivered, at most. */
#define MAX_QUEUED_BYTES (16 * 1024 * 1024)

struct _FwSocketLink
{
  gatomicrefcount          ref_count;
  char                    *uri;
  gsize                    max_incoming_payload;

  /* The owner's side. */
  GMainContext            *owner_context;
  FwSocketLinkFunc         func;
  gpointer                 user_data;
  gboolean                 closed;
  GArray                  *batch;             /* taken from events, being delivered */
  guint                    batch_next;

  /* Shared, under lock. */
  GMutex                   lock;
  GCond                    drained;
  GArray                  *events;
  gsize                    queued_bytes;
  gboolean                 dispatch_pending;
  gint                     detached;          /* atomic */

  /* The socket thread's side. */
  SoupWebsocketConnection *connection;
  SoupMessage             *message;
  GCancellable            *cancellable;
  GSource                 *timeout_source;
  gboolean                 timed_out;
  gboolean                 protocol_error;
};

/* ---- The socket thread ---- */

static GMainContext *socket_context;
static SoupSession *socket_session;

static gpointer
socket_thread_main (gpointer data)
{
  GMainLoop *loop;

  g_main_context_push_thread_default (socket_context);
  socket_session = soup_session_new ();
  loop = g_main_loop_new (socket_context, FALSE);
  g_main_loop_run (loop);

  return NULL;
}

static GMainContext *
get_socket_context (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      /* The thread lives as long as the process; sockets come and go. */
      socket_context = g_main_context_new ();
      g_thread_unref (g_thread_new ("fw-sockets", socket_thread_main, NULL));
      g_once_init_leave (&initialized, 1);
    }

  return socket_context;
}

static void
run_on_socket_thread (FwSocketLink *self,
                      GSourceFunc   func,
                      gpointer      data,
                      GDestroyNotify destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[fw-socket-link] call");
  g_source_attach (source, get_socket_context ());
  g_source_unref (source);
}

/* ---- Events, from the socket thread to the owner ---- */

static void
clear_event (FwSocketEvent *event)
{
  g_clear_pointer (&event->data, g_bytes_unref);
  g_clear_error (&event->error);
  g_clear_pointer (&event->close_reason, g_free);
}

static gsize
event_size (const FwSocketEvent *event)
{
  return event->data != NULL ? g_bytes_get_size (event->data) : 0;
}

static void
take_batch (FwSocketLink *self)
{
  g_clear_pointer (&self->batch, g_array_unref);

  g_mutex_lock (&self->lock);
  self->batch = g_steal_pointer (&self->events);
  self->events = g_array_new (FALSE, FALSE, sizeof (FwSocketEvent));
  g_array_set_clear_func (self->events, (GDestroyNotify) clear_event);
  self->dispatch_pending = FALSE;
  g_mutex_unlock (&self->lock);

  self->batch_next = 0;
}

static gboolean dispatch_cb (gpointer data);

static void
schedule_dispatch (FwSocketLink *self,
                   guint         delay_ms,
                   gint          priority)
{
  GSource *source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, dispatch_cb, fw_socket_link_ref (self),
                         (GDestroyNotify) fw_socket_link_unref);
  g_source_set_static_name (source, "[fw-socket-link] dispatch");
  g_source_attach (source, self->owner_context);
  g_source_unref (source);
}

static gboolean
dispatch_cb (gpointer data)
{
  FwSocketLink *self = data;
  gint64 start = g_get_monotonic_time ();
  gsize delivered = 0;

  if (self->batch == NULL || self->batch_next >= self->batch->len)
    take_batch (self);

  for (guint n = 1; self->batch_next < self->batch->len && !self->closed; n++)
    {
      FwSocketEvent *event = &g_array_index (self->batch, FwSocketEvent, self->batch_next++);

      delivered += event_size (event);
      self->func (self, event, 1, self->user_data);
      clear_event (event);

      if (n % 16 == 0 && g_get_monotonic_time () - start >= DISPATCH_BUDGET_US)
        break;
    }

  g_mutex_lock (&self->lock);
  self->queued_bytes -= MIN (delivered, self->queued_bytes);
  if (self->queued_bytes <= MAX_QUEUED_BYTES / 2)
    g_cond_broadcast (&self->drained);
  g_mutex_unlock (&self->lock);

  /* The rest after whatever else is waiting, drawing included. */
  if (!self->closed && self->batch_next < self->batch->len)
    schedule_dispatch (self, 0, G_PRIORITY_DEFAULT_IDLE);

  return G_SOURCE_REMOVE;
}

static void
push_event (FwSocketLink  *self,
            FwSocketEvent *event)
{
  gboolean schedule = FALSE;

  g_mutex_lock (&self->lock);
  if (g_atomic_int_get (&self->detached))
    {
      g_mutex_unlock (&self->lock);
      clear_event (event);
      return;
    }

  self->queued_bytes += event_size (event);
  g_array_append_val (self->events, *event);
  if (!self->dispatch_pending)
    {
      self->dispatch_pending = TRUE;
      schedule = TRUE;
    }
  g_mutex_unlock (&self->lock);

  /* A millisecond later, not at once: what arrives meanwhile rides along,
   * so that a flood wakes the owner a thousand times a second at most, not
   * once a frame. */
  if (schedule)
    schedule_dispatch (self, DISPATCH_DELAY_MS, G_PRIORITY_DEFAULT);
}

/* On the socket thread: while the owner is far behind, stop reading. */
static void
wait_for_owner (FwSocketLink *self)
{
  g_mutex_lock (&self->lock);
  while (self->queued_bytes > MAX_QUEUED_BYTES && !g_atomic_int_get (&self->detached))
    g_cond_wait_until (&self->drained, &self->lock, g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
  g_mutex_unlock (&self->lock);
}

/* ---- libsoup's signals, on the socket thread ---- */

static void
message_cb (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *message,
            gpointer                 data)
{
  FwSocketEvent event = {
    .kind = FW_SOCKET_EVENT_FRAME,
    .data = g_bytes_ref (message),
    .data_type = type,
    .received_us = g_get_real_time (),
  };

  push_event (data, &event);
  wait_for_owner (data);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          gpointer                 data)
{
  FwSocketLink *self = data;

  g_debug ("socket error: %s", error->message);

  /* libsoup fails the connection on a frame that breaks the protocol, as
   * RFC 6455 demands (a text frame that is not UTF-8 is one). */
  if (error->domain == SOUP_WEBSOCKET_ERROR)
    self->protocol_error = TRUE;
}

static void
release_connection (FwSocketLink *self,
                    gboolean      polite)
{
  g_autoptr(SoupWebsocketConnection) connection = g_steal_pointer (&self->connection);

  if (connection == NULL)
    return;

  g_signal_handlers_disconnect_by_func (connection, message_cb, self);
  g_signal_handlers_disconnect_by_func (connection, error_cb, self);

  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      /* A dead path would never answer a close handshake. */
      if (polite)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      else
        g_io_stream_close (soup_websocket_connection_get_io_stream (connection), NULL, NULL);
    }
}

static void
closed_cb (SoupWebsocketConnection *connection,
           gpointer                 data)
{
  g_autoptr(FwSocketLink) self = fw_socket_link_ref (data);
  FwSocketEvent event = {
    .kind = FW_SOCKET_EVENT_CLOSED,
    .close_code = soup_websocket_connection_get_close_code (connection),
    .close_reason = g_strdup (soup_websocket_connection_get_close_data (connection)),
    .protocol_error = self->protocol_error,
  };

  g_signal_handlers_disconnect_by_func (connection, closed_cb, self);
  push_event (self, &event);
  release_connection (self, FALSE);
}

/* ---- Connecting, on the socket thread ---- */

static gboolean
connect_timeout_cb (gpointer data)
{
  FwSocketLink *self = data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
stop_timeout (FwSocketLink *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(FwSocketLink) self = data;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  FwSocketEvent event = { .kind = FW_SOCKET_EVENT_OPENED };

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  stop_timeout (self);
  event.status = soup_message_get_status (self->message);
  g_clear_object (&self->message);

  if (connection == NULL)
    {
      if (self->timed_out)
        event.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                           "The socket did not open in time");
      else
        event.error = g_steal_pointer (&error);
      push_event (self, &event);
      return;
    }

  if (g_atomic_int_get (&self->detached))
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }

  self->connection = g_steal_pointer (&connection);
  soup_websocket_connection_set_max_incoming_payload_size (self->connection,
                                                           self->max_incoming_payload);
  /* The owner's watchdog proves the path end to end; RFC 6455 pings do not. */
  soup_websocket_connection_set_keepalive_interval (self->connection, 0);
  g_signal_connect_data (self->connection, "message", G_CALLBACK (message_cb),
                         fw_socket_link_ref (self), (GClosureNotify) fw_socket_link_unref, 0);
  g_signal_connect_data (self->connection, "error", G_CALLBACK (error_cb),
                         fw_socket_link_ref (self), (GClosureNotify) fw_socket_link_unref, 0);
  g_signal_connect_data (self->connection, "closed", G_CALLBACK (closed_cb),
                         fw_socket_link_ref (self), (GClosureNotify) fw_socket_link_unref, 0);
  push_event (self, &event);
}

typedef struct
{
  FwSocketLink *link;
  guint         timeout_ms;
  char         *text;
  gboolean      polite;
} Call;

static void
call_free (Call *call)
{
  g_clear_pointer (&call->link, fw_socket_link_unref);
  g_free (call->text);
  g_free (call);
}

static Call *
call_new (FwSocketLink *self)
{
  Call *call = g_new0 (Call, 1);

  call->link = fw_socket_link_ref (self);
  return call;
}

static gboolean
connect_on_thread_cb (gpointer data)
{
  Call *call = data;
  FwSocketLink *self = call->link;

  if (g_atomic_int_get (&self->detached))
    return G_SOURCE_REMOVE;

  self->message = soup_message_new ("GET", self->uri);
  if (self->message == NULL)
    {
      FwSocketEvent event = { .kind = FW_SOCKET_EVENT_OPENED };

      event.error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 "Not a valid socket address");
      push_event (self, &event);
      return G_SOURCE_REMOVE;
    }

  self->cancellable = g_cancellable_new ();
  self->timeout_source = g_timeout_source_new (call->timeout_ms);
  g_source_set_callback (self->timeout_source, connect_timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, socket_context);

  soup_session_websocket_connect_async (socket_session, self->message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        connected_cb, fw_socket_link_ref (self));
  return G_SOURCE_REMOVE;
}

static gboolean
send_on_thread_cb (gpointer data)
{
  Call *call = data;
  FwSocketLink *self = call->link;

  if (self->connection != NULL &&
      soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->connection, call->text);

  return G_SOURCE_REMOVE;
}

static gboolean
close_on_thread_cb (gpointer data)
{
  Call *call = data;
  FwSocketLink *self = call->link;

  stop_timeout (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, closed_cb, self);
  release_connection (self, call->polite);

  return G_SOURCE_REMOVE;
}

/* ---- The owner's API ---- */

FwSocketLink *
fw_socket_link_new (const char       *uri,
                    gsize             max_incoming_payload,
                    FwSocketLinkFunc  func,
                    gpointer          user_data)
{
  FwSocketLink *self;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (FwSocketLink, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->uri = g_strdup (uri);
  self->max_incoming_payload = max_incoming_payload;
  self->owner_context = g_main_context_ref_thread_default ();
  self->func = func;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  g_cond_init (&self->drained);
  self->events = g_array_new (FALSE, FALSE, sizeof (FwSocketEvent));
  g_array_set_clear_func (self->events, (GDestroyNotify) clear_event);

  return self;
}

void
fw_socket_link_connect (FwSocketLink *self,
                        guint         timeout_ms)
{
  Call *call;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->closed);

  call = call_new (self);
  call->timeout_ms = timeout_ms;
  run_on_socket_thread (self, connect_on_thread_cb, call, (GDestroyNotify) call_free);
}

void
fw_socket_link_send_text (FwSocketLink *self,
                          const char   *text)
{
  Call *call;

  g_return_if_fail (self != NULL);

  if (self->closed)
    return;

  call = call_new (self);
  call->text = g_strdup (text);
  run_on_socket_thread (self, send_on_thread_cb, call, (GDestroyNotify) call_free);
}

void
fw_socket_link_close (FwSocketLink *self,
                      gboolean      polite)
{
  Call *call;

  g_return_if_fail (self != NULL);

  if (self->closed)
    return;

  self->closed = TRUE;
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->detached, 1);
  g_cond_broadcast (&self->drained);
  g_mutex_unlock (&self->lock);

  call = call_new (self);
  call->polite = polite;
  run_on_socket_thread (self, close_on_thread_cb, call, (GDestroyNotify) call_free);
}

FwSocketLink *
fw_socket_link_ref (FwSocketLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
fw_socket_link_unref (FwSocketLink *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  /* The last reference goes once the socket thread let go of the socket. */
  g_assert (self->connection == NULL);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->batch, g_array_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->drained);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->message);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_free (self->uri);
  g_free (self);
}
