/* fw-sim-server.h — a local Genesys Cloud for the demo and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shares no code with the engine (only GLib, libsoup, json-glib): a simulator
 * that reused the client's parsing or state would hide the client's bugs.
 * Everything it serves (login, REST, sockets) lives on one loopback URL.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define FW_SIM_DEFAULT_CLIENT_ID     "floorwatch-demo"
#define FW_SIM_DEFAULT_CLIENT_SECRET "floorwatch-demo-secret"

/* Signing in as a person: the public client of the authorization-code grant
 * with PKCE (no secret; redirect URIs on loopback only) and the demo user who
 * signs in on /oauth/authorize (Ana Silva, FW_SIM_USER_ANA).  Channels made
 * with a person's token belong to that person: the channel limit counts per
 * person (or per client for client-credentials tokens). */
#define FW_SIM_PKCE_CLIENT_ID        "floorwatch-pkce-demo"
#define FW_SIM_DEMO_USER_LOGIN       "ana.silva@example.com"
#define FW_SIM_DEMO_USER_PASSWORD    "floorwatch-demo-password"

/* Ids shared with the sample payloads. */
#define FW_SIM_QUEUE_SUPPORT  "cb586cb1-0434-417f-b36f-0b602bb1ecee"
#define FW_SIM_QUEUE_SALES    "8ba53579-3b98-46bd-81e5-43b8c8918e02"
#define FW_SIM_USER_ANA       "76d4514d-9310-4d6f-9786-8e96377d8129"

#define FW_TYPE_SIM_SERVER (fw_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (FwSimServer, fw_sim_server, FW, SIM_SERVER, GObject)

FwSimServer *fw_sim_server_new                  (void);
/* Listens on 127.0.0.1:@port (0: any free port) in the thread-default main context. */
gboolean     fw_sim_server_listen               (FwSimServer  *self,
                                                 guint         port,
                                                 GError      **error);
/* "http://127.0.0.1:PORT" — login, API and sockets all live here. */
const char  *fw_sim_server_get_url              (FwSimServer  *self);
guint        fw_sim_server_get_port             (FwSimServer  *self);

/* Properties (durations in ms unless said):
 *   "client-id", "client-secret"  the one accepted client (defaults above)
 *   "token-lifetime"      guint seconds, expires_in of each grant (default 86400)
 *   "channel-lifetime"    guint ms, a channel's life from creation or its last
 *                         subscription PUT (default 86400000)
 *   "heartbeat-interval"  guint ms (default 30000)
 *   "socket-closing-grace" guint ms after socket_closing before the server
 *                         closes that socket (default 60000)
 *   "traffic-interval"    guint ms between scenario steps; 0 = no traffic (default 0)
 *   "max-channels"        guint (default 20)   "max-topics" guint (default 1000)
 *   "seed"                guint, the scenario's random seed (default 1)
 */

/* ---- Scenario traffic ---- */
/* One step of the scenario now: queues fill and drain, agents change status,
 * interactions arrive, wait, are answered and end; it publishes what changed. */
void         fw_sim_server_step                 (FwSimServer  *self);

/* ---- Publishing ---- */
/* Publishes one event on @topic (eventBody = @body, envelope built here with a
 * fresh CorrelationId) to every open socket whose channel subscribes @topic.
 * Returns the CorrelationId. */
char        *fw_sim_server_publish              (FwSimServer  *self,
                                                 const char   *topic,
                                                 JsonNode     *body);
typedef struct
{
  char   *correlation_id;
  char   *topic;
  gint64  published_us;    /* g_get_real_time() */
  guint   n_delivered;     /* sockets it was written to */
} FwSimPublished;
/* Everything published so far (oldest first); the array is owned by the server. */
GPtrArray   *fw_sim_server_get_published        (FwSimServer  *self);
void         fw_sim_server_clear_published      (FwSimServer  *self);
/* Sends @count distinct events of about @frame_size bytes on @topic, pacing
 * itself by what the sockets take, then emits "flood-done".  For benchmarks. */
void         fw_sim_server_flood                (FwSimServer  *self,
                                                 const char   *topic,
                                                 guint         count,
                                                 gsize         frame_size);

/* ---- Faults ---- */
/* Every open socket vanishes without a close frame. */
void         fw_sim_server_drop_sockets         (FwSimServer  *self);
/* Every open socket gets a close frame with @code and @reason. */
void         fw_sim_server_close_sockets        (FwSimServer  *self,
                                                 gushort       code,
                                                 const char   *reason);
/* While silent, the server sends nothing on any socket (no heartbeats, no pongs,
 * no events: published events count as not delivered) but keeps TCP open. */
void         fw_sim_server_set_silent           (FwSimServer  *self,
                                                 gboolean      silent);
/* Sends v2.system.socket_closing on every open socket; each such socket is
 * closed "socket-closing-grace" ms later. */
void         fw_sim_server_send_socket_closing  (FwSimServer  *self);
/* Every token issued so far answers 401 from now on; refresh tokens too are refused. */
void         fw_sim_server_revoke_tokens        (FwSimServer  *self);
/* Every channel is gone: sockets get v2.system.no_longer_subscribed.{id} and
 * are closed, HEAD/subscriptions/connect answer 404. */
void         fw_sim_server_expire_channels      (FwSimServer  *self);
/* The next @count requests whose method is @method (NULL: any) and whose path
 * starts with @path_prefix answer @status; for 429, with Retry-After
 * @retry_after_s and a too.many.requests.retry.after body. */
void         fw_sim_server_fail_requests        (FwSimServer  *self,
                                                 const char   *method,
                                                 const char   *path_prefix,
                                                 guint         status,
                                                 guint         count,
                                                 guint         retry_after_s);
/* Subscribing a topic that starts with @topic_prefix is Rejected with @reason. */
void         fw_sim_server_reject_topics        (FwSimServer  *self,
                                                 const char   *topic_prefix,
                                                 const char   *reason);
/* Sends @data as it is (text or binary frame) on every open socket, or on the
 * socket of @channel_id.  A text frame libsoup cannot send (not UTF-8, or
 * holding a NUL) is framed by the simulator and written between libsoup's
 * frames; frames sent after it keep their order. */
void         fw_sim_server_send_frame           (FwSimServer  *self,
                                                 const char   *channel_id,
                                                 const char   *data,
                                                 gsize         length,
                                                 gboolean      binary);

/* ---- What a test can check ---- */
guint        fw_sim_server_get_n_channels       (FwSimServer  *self);
GStrv        fw_sim_server_dup_channel_ids      (FwSimServer  *self);
/* The topics @channel_id subscribes (Permitted ones), sorted; NULL if no such channel. */
GStrv        fw_sim_server_dup_subscriptions    (FwSimServer  *self,
                                                 const char   *channel_id);
guint        fw_sim_server_get_n_open_sockets   (FwSimServer  *self);
guint        fw_sim_server_get_n_token_grants   (FwSimServer  *self);
/* Requests seen so far whose method is @method (NULL: any) and whose path
 * starts with @path_prefix. */
guint        fw_sim_server_count_requests       (FwSimServer  *self,
                                                 const char   *method,
                                                 const char   *path_prefix);

/* ---- Additions for tests that compare a client with the truth ---- */
/* Close codes the server uses (UNCONFIRMED for Genesys: its choices are not
 * documented; a client must treat any close it did not ask for as "reconnect"):
 *   a second socket connected to the channel: 1000 to the first one;
 *   channel expired (timer or expire_channels) or removed by the channel
 *   limit: 1000; end of the socket-closing grace: 1001. */
#define FW_SIM_CLOSE_REPLACED        1000
#define FW_SIM_CLOSE_CHANNEL_GONE    1000
#define FW_SIM_CLOSE_MAINTENANCE     1001
/* The topic recorded in the published log for fw_sim_server_send_frame()
 * (those records have an empty correlation_id). */
#define FW_SIM_TOPIC_RAW_FRAME       "(raw frame)"

/* Flood frames written so far, summed over floods and sockets (those
 * swallowed while silent count too).  Floods write whole batches of frames
 * under libsoup, between libsoup's own frames, for speed. */
guint64      fw_sim_server_get_n_flooded        (FwSimServer  *self);
GStrv        fw_sim_server_dup_queue_ids        (FwSimServer  *self);
GStrv        fw_sim_server_dup_user_ids         (FwSimServer  *self);
const char  *fw_sim_server_get_queue_name       (FwSimServer  *self,
                                                 const char   *queue_id);
const char  *fw_sim_server_get_user_name        (FwSimServer  *self,
                                                 const char   *user_id);
/* Current conversation counts of a queue; -1 for an unknown queue. */
int          fw_sim_server_get_queue_waiting    (FwSimServer  *self,
                                                 const char   *queue_id);
int          fw_sim_server_get_queue_alerting   (FwSimServer  *self,
                                                 const char   *queue_id);
int          fw_sim_server_get_queue_interacting (FwSimServer *self,
                                                 const char   *queue_id);
/* Joined members of the queue with @routing_status ("IDLE", "INTERACTING", …,
 * or "ON_QUEUE" for all on-queue ones); -1 for an unknown queue. */
int          fw_sim_server_count_queue_users    (FwSimServer  *self,
                                                 const char   *queue_id,
                                                 const char   *routing_status);
/* "ON_QUEUE", "AVAILABLE", "BREAK", "OFFLINE" (notification casing); NULL if unknown. */
const char  *fw_sim_server_get_user_presence    (FwSimServer  *self,
                                                 const char   *user_id);
/* "OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING"; NULL if unknown. */
const char  *fw_sim_server_get_user_routing_status (FwSimServer *self,
                                                 const char   *user_id);
/* Directed changes; they publish what changed like a step does and return
 * FALSE for an unknown user or value. */
gboolean     fw_sim_server_set_user_presence    (FwSimServer  *self,
                                                 const char   *user_id,
                                                 const char   *system_presence);
gboolean     fw_sim_server_set_user_routing_status (FwSimServer *self,
                                                 const char   *user_id,
                                                 const char   *status);
/* A new call enters @queue_id; returns its conversation id (NULL: unknown queue). */
char        *fw_sim_server_add_call             (FwSimServer  *self,
                                                 const char   *queue_id);

/* Signals:
 *   "request" (const char *method, const char *path, guint status)  after each answer
 *   "socket-opened" (const char *channel_id), "socket-closed" (const char *channel_id)
 *   "ping" (const char *channel_id)   the client sent {"message":"ping"}
 *   "flood-done"
 */

G_END_DECLS
