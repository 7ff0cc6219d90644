/* fw-socket-link.h — one WebSocket, run on the engine's socket thread (internal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FwSocketLink FwSocketLink;

typedef enum
{
  FW_SOCKET_EVENT_OPENED,   /* error == NULL: open; else the connect failed (status: HTTP status) */
  FW_SOCKET_EVENT_FRAME,    /* data, data_type (SoupWebsocketDataType), received_us */
  FW_SOCKET_EVENT_CLOSED,   /* close_code (0: no close frame), close_reason, protocol_error */
} FwSocketEventKind;

typedef struct
{
  FwSocketEventKind  kind;
  GBytes            *data;
  int                data_type;
  gint64             received_us;     /* wall clock, taken on arrival */
  GError            *error;
  guint              status;
  gushort            close_code;
  char              *close_reason;
  gboolean           protocol_error;
} FwSocketEvent;

/* Called in the context that created the link, with the events in the order
 * they happened; never after fw_socket_link_close(). */
typedef void (*FwSocketLinkFunc) (FwSocketLink        *link,
                                  const FwSocketEvent *events,
                                  guint                n_events,
                                  gpointer             user_data);

FwSocketLink *fw_socket_link_new        (const char        *uri,
                                         gsize              max_incoming_payload,
                                         FwSocketLinkFunc   func,
                                         gpointer           user_data);
/* Starts the handshake; FW_SOCKET_EVENT_OPENED tells how it ended. */
void          fw_socket_link_connect    (FwSocketLink      *self,
                                         guint              timeout_ms);
void          fw_socket_link_send_text  (FwSocketLink      *self,
                                         const char        *text);
/* Lets go of the socket: politely (a close frame) or at once, for a path
 * that would never answer.  No event is delivered after this. */
void          fw_socket_link_close      (FwSocketLink      *self,
                                         gboolean           polite);
FwSocketLink *fw_socket_link_ref        (FwSocketLink      *self);
void          fw_socket_link_unref      (FwSocketLink      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSocketLink, fw_socket_link_unref)

G_END_DECLS
