/* fw-sim-scenario.h — the simulated organisation behind FwSimServer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain structure private to the simulator: queues, agents and calls, moved
 * forward one step at a time by a seeded GRand so that a seed always replays
 * the same story.  It knows nothing of HTTP or sockets: a step appends the
 * events it caused to an array, which the server publishes.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _FwSimScenario FwSimScenario;

typedef struct
{
  char     *topic;
  JsonNode *body;
} FwSimEvent;

void           fw_sim_event_free                      (FwSimEvent          *event);

FwSimScenario *fw_sim_scenario_new                    (guint32              seed);
void           fw_sim_scenario_free                   (FwSimScenario       *self);

/* Moves the organisation one step forward at @now_us (real time) and appends
 * the FwSimEvent it caused to @events.  Observation events obey the limit of
 * one per second and topic; held-back ones come out of
 * fw_sim_scenario_flush_observations(). */
void           fw_sim_scenario_step                   (FwSimScenario       *self,
                                                       gint64               now_us,
                                                       GPtrArray           *events);
/* Appends the observation events that are due at @now_us.  Returns the real
 * time at which the next held-back one is due, or 0 if none waits. */
gint64         fw_sim_scenario_flush_observations     (FwSimScenario       *self,
                                                       gint64               now_us,
                                                       GPtrArray           *events);

/* Directed changes, for tests and demos; they publish like a step does.
 * They return FALSE (or NULL) for an unknown id or value. */
gboolean       fw_sim_scenario_set_user_presence      (FwSimScenario       *self,
                                                       const char          *user_id,
                                                       const char          *system_presence,
                                                       gint64               now_us,
                                                       GPtrArray           *events);
gboolean       fw_sim_scenario_set_user_routing_status (FwSimScenario      *self,
                                                       const char          *user_id,
                                                       const char          *status,
                                                       gint64               now_us,
                                                       GPtrArray           *events);
char          *fw_sim_scenario_add_call               (FwSimScenario       *self,
                                                       const char          *queue_id,
                                                       gint64               now_us,
                                                       GPtrArray           *events);

/* The truth, for tests. */
GStrv          fw_sim_scenario_dup_queue_ids          (FwSimScenario       *self);
GStrv          fw_sim_scenario_dup_user_ids           (FwSimScenario       *self);
const char    *fw_sim_scenario_get_queue_name         (FwSimScenario       *self,
                                                       const char          *queue_id);
const char    *fw_sim_scenario_get_user_name          (FwSimScenario       *self,
                                                       const char          *user_id);
gboolean       fw_sim_scenario_get_queue_counts       (FwSimScenario       *self,
                                                       const char          *queue_id,
                                                       guint               *waiting,
                                                       guint               *alerting,
                                                       guint               *interacting);
/* Joined members with that routing status ("IDLE", …; "ON_QUEUE": all on queue). */
gint           fw_sim_scenario_count_queue_users      (FwSimScenario       *self,
                                                       const char          *queue_id,
                                                       const char          *routing_status);
/* Notification casing: "ON_QUEUE", "AVAILABLE", "BREAK", "OFFLINE". */
const char    *fw_sim_scenario_get_user_presence      (FwSimScenario       *self,
                                                       const char          *user_id);
const char    *fw_sim_scenario_get_user_routing_status (FwSimScenario      *self,
                                                       const char          *user_id);

/* REST answers.  The arrays hold JsonNode objects, sorted by name. */
GPtrArray     *fw_sim_scenario_list_queues            (FwSimScenario       *self,
                                                       const char          *name_pattern);
JsonNode      *fw_sim_scenario_build_queue            (FwSimScenario       *self,
                                                       const char          *queue_id);
/* NULL if the queue is unknown.  @joined: -1 all, 0 not joined, 1 joined. */
GPtrArray     *fw_sim_scenario_list_queue_members     (FwSimScenario       *self,
                                                       const char          *queue_id,
                                                       int                  joined,
                                                       gboolean             with_presence,
                                                       gboolean             with_routing_status);
/* @ids: NULL for every user; unknown ids are left out. */
GPtrArray     *fw_sim_scenario_list_users             (FwSimScenario       *self,
                                                       const char * const  *ids,
                                                       gboolean             with_presence,
                                                       gboolean             with_routing_status);
/* Answers a QueueObservationQuery from the current state. */
JsonNode      *fw_sim_scenario_query_observations     (FwSimScenario       *self,
                                                       JsonNode            *request,
                                                       GError             **error);

/* "2026-11-28T14:30:41.207Z" */
char          *fw_sim_format_time                     (gint64               real_us);
/* Case-insensitive match where '*' stands for any run of characters. */
gboolean       fw_sim_name_matches                    (const char          *pattern,
                                                       const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSimScenario, fw_sim_scenario_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSimEvent, fw_sim_event_free)

G_END_DECLS
