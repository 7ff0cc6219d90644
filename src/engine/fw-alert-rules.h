/* fw-alert-rules.h — rules that watch the board and the feed, and the
 * alerts they raise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fw-alert.h"
#include "fw-board.h"
#include "fw-session.h"

G_BEGIN_DECLS

#define FW_ALERT_RULES_ERROR (fw_alert_rules_error_quark ())

typedef enum
{
  FW_ALERT_RULES_ERROR_INVALID,   /* the rules are not the JSON they must be */
} FwAlertRulesError;

/* One rule, as kept in the "alert-rules" setting:
 *   [{"id": "…", "kind": "queue-waiting", "enabled": true, "severity": "warning",
 *     "threshold": 5, "target": "<queue id>"},
 *    {"kind": "agent-presence", "presences": ["BREAK", "OFFLINE"]},
 *    {"kind": "feed-down", "threshold": 60}]
 * kind: queue-waiting (threshold = interactions), longest-wait (threshold =
 * seconds), agent-not-responding, agent-presence (presences), feed-down
 * (threshold = seconds).  target: a queue or user id; absent: every watched
 * queue or agent.  severity: info, warning or critical. */
typedef struct
{
  char            *id;
  FwAlertKind      kind;
  gboolean         enabled;
  FwAlertSeverity  severity;
  guint            threshold;
  char            *target_id;   /* NULL: every watched queue or agent */
  GStrv            presences;   /* FW_ALERT_KIND_AGENT_PRESENCE, canonical values */
} FwAlertRule;

#define FW_TYPE_ALERT_RULE (fw_alert_rule_get_type ())

GType            fw_alert_rule_get_type          (void) G_GNUC_CONST;
/* A rule of @kind with a fresh id and the usual severity and threshold. */
FwAlertRule     *fw_alert_rule_new               (FwAlertKind       kind);
FwAlertRule     *fw_alert_rule_copy              (const FwAlertRule *rule);
void             fw_alert_rule_free              (FwAlertRule      *rule);
const char      *fw_alert_kind_to_string         (FwAlertKind       kind);
const char      *fw_alert_severity_to_string     (FwAlertSeverity   severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwAlertRule, fw_alert_rule_free)

#define FW_TYPE_ALERT_RULES (fw_alert_rules_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertRules, fw_alert_rules, FW, ALERT_RULES, GObject)

GQuark           fw_alert_rules_error_quark      (void);

/* Reads the JSON list of rules; a GPtrArray of FwAlertRule.  Rules without
 * an id (or with one seen before) get a fresh one; unknown members are
 * ignored so that newer settings do not break older builds. */
GPtrArray       *fw_alert_rules_parse            (const char       *json,
                                                  GError          **error);
char            *fw_alert_rules_serialize        (GPtrArray        *rules);

FwAlertRules    *fw_alert_rules_new              (void);
/* Replaces the rules (copies them).  Alerts of rules that are gone or changed
 * are cleared; the rest are evaluated again. */
void             fw_alert_rules_set_rules        (FwAlertRules     *self,
                                                  GPtrArray        *rules);
/* The rules (FwAlertRule), read-only. */
GPtrArray       *fw_alert_rules_get_rules        (FwAlertRules     *self);
/* Follows "alert-rules" and "alerts-muted-until" of @settings. */
void             fw_alert_rules_bind_settings    (FwAlertRules     *self,
                                                  GSettings        *settings);
void             fw_alert_rules_set_board        (FwAlertRules     *self,
                                                  FwBoard          *board);
FwBoard         *fw_alert_rules_get_board        (FwAlertRules     *self);
/* The feed whose outages feed-down rules watch. */
void             fw_alert_rules_set_session      (FwAlertRules     *self,
                                                  FwSession        *session);
FwSession       *fw_alert_rules_get_session      (FwAlertRules     *self);
/* Evaluates every rule now (it also happens by itself whenever the board, the
 * feed or the clock makes a difference). */
void             fw_alert_rules_evaluate         (FwAlertRules     *self);
/* The alert of that id while its condition holds, NULL otherwise. */
FwAlert         *fw_alert_rules_lookup_alert     (FwAlertRules     *self,
                                                  const char       *alert_id);
/* Alerts whose condition holds now. */
guint            fw_alert_rules_get_n_active     (FwAlertRules     *self);
/* The user has seen it: it is not raised again until its condition clears
 * and returns.  FALSE if no such alert holds. */
gboolean         fw_alert_rules_acknowledge      (FwAlertRules     *self,
                                                  const char       *alert_id);
/* No raise of this alert for @seconds, whether it holds now or comes back;
 * still holding when the time is up, it is raised then. */
gboolean         fw_alert_rules_mute             (FwAlertRules     *self,
                                                  const char       *alert_id,
                                                  guint             seconds);
/* No alert at all is raised until @until_us (g_get_real_time() units; 0: none). */
void             fw_alert_rules_set_muted_until  (FwAlertRules     *self,
                                                  gint64            until_us);
gint64           fw_alert_rules_get_muted_until  (FwAlertRules     *self);
gboolean         fw_alert_rules_is_muted         (FwAlertRules     *self);

/* Properties: "board", "session", "muted-until" (gint64), "n-active" (read-only),
 * "min-raise-interval" (guint ms, default 60000): one alert is raised at most
 * once in this long, so that a flapping queue cannot flood the desktop;
 * "remind-interval" (guint ms, default 300000; 0: never): an alert that still
 * holds and is not acknowledged is raised again this often.
 *
 * Board rules are not evaluated while the board is stale (its numbers may be
 * wrong then): their alerts stay as they are until it has been re-read.
 *
 * Signals:
 *   "alert-raised" (FwAlert *)         send a desktop notification, id = alert id
 *                                      (again for a reminder: replace the first)
 *   "alert-cleared" (const char *id)   the condition is gone: withdraw it
 */

G_END_DECLS
