/* fw-alert-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each enabled rule is checked against every queue or agent it names (or
 * every watched one), which gives one alert per rule and target, with an id
 * that stays the same as long as they do.  An alert is "active" while its
 * condition holds.  It is raised when it becomes active, unless it is muted
 * (all alerts, or this one), acknowledged, or was raised less than
 * "min-raise-interval" ago; a raise held back that way happens when the
 * reason ends, if the condition still holds then.  Until it is acknowledged
 * it is raised again every "remind-interval", under the same id, so that the
 * reminder replaces the notification instead of adding one.  It is cleared
 * when the condition ends.  Signals are emitted after each evaluation, never in the
 * middle of one, so that handlers may call back in.
 */

#define G_LOG_DOMAIN "fw-alert-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fw-alert-rules.h"

#define DEFAULT_MIN_RAISE_INTERVAL  60000
#define DEFAULT_REMIND_INTERVAL     (5 * 60000)
#define MAX_THRESHOLD               1000000

typedef struct
{
  char      *rule_id;
  FwAlert   *alert;          /* the description as it stands */
  gboolean   seen;           /* during one evaluation */
  gboolean   active;
  gboolean   notified;       /* raised, and neither cleared nor handled since */
  gboolean   acknowledged;
  gint64     last_raise;     /* real time, 0: never */
  gint64     muted_until;    /* real time */
} AlertState;

struct _FwAlertRules
{
  GObject      parent_instance;

  GPtrArray   *rules;          /* FwAlertRule */
  GHashTable  *states;         /* alert id → AlertState */
  guint        n_active;

  FwBoard     *board;
  gulong       board_changed_handler;
  gulong       board_stale_handler;
  FwSession   *session;
  gulong       session_state_handler;
  gint64       down_since;     /* real time the feed went down, 0 while it is up */

  GSettings   *settings;
  gint64       muted_until;
  guint        min_raise_interval;
  guint        remind_interval;

  guint        evaluate_source;
  guint        wake_source;
};

G_DEFINE_FINAL_TYPE (FwAlertRules, fw_alert_rules, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FwAlertRule, fw_alert_rule, fw_alert_rule_copy, fw_alert_rule_free)

G_DEFINE_QUARK (fw-alert-rules-error-quark, fw_alert_rules_error)

enum {
  PROP_0,
  PROP_BOARD,
  PROP_SESSION,
  PROP_MUTED_UNTIL,
  PROP_N_ACTIVE,
  PROP_MIN_RAISE_INTERVAL,
  PROP_REMIND_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ALERT_RAISED,
  ALERT_CLEARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Rules ---- */

static const struct
{
  FwAlertKind      kind;
  const char      *name;
  FwAlertSeverity  severity;
  guint            threshold;
} kinds[] = {
  { FW_ALERT_KIND_QUEUE_WAITING, "queue-waiting", FW_ALERT_SEVERITY_WARNING, 5 },
  { FW_ALERT_KIND_LONGEST_WAIT, "longest-wait", FW_ALERT_SEVERITY_WARNING, 120 },
  { FW_ALERT_KIND_AGENT_NOT_RESPONDING, "agent-not-responding", FW_ALERT_SEVERITY_WARNING, 0 },
  { FW_ALERT_KIND_AGENT_PRESENCE, "agent-presence", FW_ALERT_SEVERITY_INFO, 0 },
  { FW_ALERT_KIND_FEED_DOWN, "feed-down", FW_ALERT_SEVERITY_CRITICAL, 60 },
};

static const char * const severity_names[] = { "info", "warning", "critical" };

const char *
fw_alert_kind_to_string (FwAlertKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  g_return_val_if_reached (NULL);
}

const char *
fw_alert_severity_to_string (FwAlertSeverity severity)
{
  g_return_val_if_fail (severity <= FW_ALERT_SEVERITY_CRITICAL, NULL);

  return severity_names[severity];
}

static gboolean
kind_has_threshold (FwAlertKind kind)
{
  return kind == FW_ALERT_KIND_QUEUE_WAITING || kind == FW_ALERT_KIND_LONGEST_WAIT ||
         kind == FW_ALERT_KIND_FEED_DOWN;
}

static gboolean
kind_watches_queues (FwAlertKind kind)
{
  return kind == FW_ALERT_KIND_QUEUE_WAITING || kind == FW_ALERT_KIND_LONGEST_WAIT;
}

static gboolean
kind_watches_agents (FwAlertKind kind)
{
  return kind == FW_ALERT_KIND_AGENT_NOT_RESPONDING || kind == FW_ALERT_KIND_AGENT_PRESENCE;
}

FwAlertRule *
fw_alert_rule_new (FwAlertKind kind)
{
  FwAlertRule *rule = g_new0 (FwAlertRule, 1);

  rule->id = g_uuid_string_random ();
  rule->kind = kind;
  rule->enabled = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      {
        rule->severity = kinds[i].severity;
        rule->threshold = kinds[i].threshold;
      }
  if (kind == FW_ALERT_KIND_AGENT_PRESENCE)
    {
      const char *presences[] = { "BREAK", "OFFLINE", NULL };

      rule->presences = g_strdupv ((char **) presences);
    }
  return rule;
}

FwAlertRule *
fw_alert_rule_copy (const FwAlertRule *rule)
{
  FwAlertRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_new0 (FwAlertRule, 1);
  copy->id = g_strdup (rule->id);
  copy->kind = rule->kind;
  copy->enabled = rule->enabled;
  copy->severity = rule->severity;
  copy->threshold = rule->threshold;
  copy->target_id = g_strdup (rule->target_id);
  copy->presences = g_strdupv (rule->presences);
  return copy;
}

void
fw_alert_rule_free (FwAlertRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->target_id);
  g_strfreev (rule->presences);
  g_free (rule);
}

/* ---- JSON ---- */

static gboolean
rule_error (GError     **error,
            guint        index,
            const char  *format,
            ...) G_GNUC_PRINTF (3, 4);

static gboolean
rule_error (GError     **error,
            guint        index,
            const char  *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: the first %u is the rule's position in the list (1, 2, …),
   * the %s says what is wrong with it. */
  g_set_error (error, FW_ALERT_RULES_ERROR, FW_ALERT_RULES_ERROR_INVALID,
               _("Alert rule %u: %s"), index + 1, message);
  return FALSE;
}

static const char *
string_member (JsonObject  *object,
               const char  *name,
               gboolean    *wrong_type)
{
  JsonNode *node = json_object_get_member (object, name);

  *wrong_type = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *wrong_type = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static FwAlertRule *
parse_rule (JsonNode    *node,
            guint        index,
            GError     **error)
{
  g_autoptr(FwAlertRule) rule = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *value;
  gboolean wrong_type;
  int kind = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      rule_error (error, index, _("a rule must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);

  value = string_member (object, "kind", &wrong_type);
  for (guint i = 0; value != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (value, kinds[i].name))
      kind = (int) kinds[i].kind;
  if (kind < 0)
    {
      rule_error (error, index, _("“kind” must be one of queue-waiting, longest-wait, "
                                  "agent-not-responding, agent-presence or feed-down."));
      return NULL;
    }
  rule = fw_alert_rule_new ((FwAlertKind) kind);

  value = string_member (object, "id", &wrong_type);
  if (wrong_type || (value != NULL && value[0] == '\0'))
    {
      rule_error (error, index, _("“id” must be a non-empty string."));
      return NULL;
    }
  if (value != NULL)
    {
      g_free (rule->id);
      rule->id = g_strdup (value);
    }

  member = json_object_get_member (object, "enabled");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          rule_error (error, index, _("“enabled” must be true or false."));
          return NULL;
        }
      rule->enabled = json_node_get_boolean (member);
    }

  value = string_member (object, "severity", &wrong_type);
  if (wrong_type)
    value = "";
  if (value != NULL)
    {
      int severity = -1;

      for (guint i = 0; i < G_N_ELEMENTS (severity_names); i++)
        if (g_str_equal (value, severity_names[i]))
          severity = (int) i;
      if (severity < 0)
        {
          rule_error (error, index, _("“severity” must be info, warning or critical."));
          return NULL;
        }
      rule->severity = (FwAlertSeverity) severity;
    }

  if (kind_has_threshold (rule->kind))
    {
      member = json_object_get_member (object, "threshold");
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_INT64 ||
          json_node_get_int (member) < 1 || json_node_get_int (member) > MAX_THRESHOLD)
        {
          rule_error (error, index, _("“threshold” must be a whole number from 1 to %u."),
                      (guint) MAX_THRESHOLD);
          return NULL;
        }
      rule->threshold = (guint) json_node_get_int (member);
    }
  else
    rule->threshold = 0;

  if (kind_watches_queues (rule->kind) || kind_watches_agents (rule->kind))
    {
      value = string_member (object, "target", &wrong_type);
      if (wrong_type || (value != NULL && value[0] == '\0'))
        {
          rule_error (error, index, _("“target” must be a queue or user id."));
          return NULL;
        }
      rule->target_id = g_strdup (value);
    }

  if (rule->kind == FW_ALERT_KIND_AGENT_PRESENCE)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      member = json_object_get_member (object, "presences");
      array = member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
      if (array == NULL || json_array_get_length (array) == 0)
        {
          rule_error (error, index, _("“presences” must list at least one presence."));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *canonical = NULL;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING ||
              json_node_get_string (element)[0] == '\0')
            {
              rule_error (error, index, _("“presences” must hold presence names."));
              return NULL;
            }
          canonical = fw_board_normalize_status (json_node_get_string (element));
          g_strv_builder_add (builder, canonical);
        }
      g_strfreev (rule->presences);
      rule->presences = g_strv_builder_end (builder);
    }

  return g_steal_pointer (&rule);
}

GPtrArray *
fw_alert_rules_parse (const char  *json,
                      GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = json_from_string (json, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, FW_ALERT_RULES_ERROR, FW_ALERT_RULES_ERROR_INVALID,
                   _("The alert rules must be a JSON list: %s"),
                   local_error ? local_error->message : _("this is something else."));
      return NULL;
    }

  array = json_node_get_array (root);
  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_free);
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      FwAlertRule *rule = parse_rule (json_array_get_element (array, i), i, error);

      if (rule == NULL)
        return NULL;
      /* Two rules with one id would share their alerts. */
      while (g_hash_table_contains (ids, rule->id))
        {
          g_free (rule->id);
          rule->id = g_uuid_string_random ();
        }
      g_hash_table_add (ids, rule->id);
      g_ptr_array_add (rules, rule);
    }
  return g_steal_pointer (&rules);
}

char *
fw_alert_rules_serialize (GPtrArray *rules)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (rules != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < rules->len; i++)
    {
      FwAlertRule *rule = g_ptr_array_index (rules, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, rule->id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, fw_alert_kind_to_string (rule->kind));
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, rule->enabled);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, fw_alert_severity_to_string (rule->severity));
      if (kind_has_threshold (rule->kind))
        {
          json_builder_set_member_name (builder, "threshold");
          json_builder_add_int_value (builder, rule->threshold);
        }
      if (rule->target_id != NULL)
        {
          json_builder_set_member_name (builder, "target");
          json_builder_add_string_value (builder, rule->target_id);
        }
      if (rule->kind == FW_ALERT_KIND_AGENT_PRESENCE && rule->presences != NULL)
        {
          json_builder_set_member_name (builder, "presences");
          json_builder_begin_array (builder);
          for (guint p = 0; rule->presences[p] != NULL; p++)
            json_builder_add_string_value (builder, rule->presences[p]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* ---- Texts ---- */

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
format_clock_time (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);

  return time ? g_date_time_format (time, "%H:%M") : g_strdup ("");
}

static const char *
queue_label (FwBoardQueue *queue)
{
  const char *name = fw_board_queue_get_name (queue);

  return name ? name : fw_board_queue_get_id (queue);
}

static const char *
agent_label (FwBoardAgent *agent)
{
  const char *name = fw_board_agent_get_name (agent);

  return name ? name : fw_board_agent_get_id (agent);
}

/* ---- Alert states ---- */

static void
alert_state_free (AlertState *state)
{
  g_free (state->rule_id);
  g_clear_object (&state->alert);
  g_free (state);
}

typedef struct
{
  GPtrArray *raised;    /* FwAlert */
  GPtrArray *cleared;   /* alert id */
  gint64     now;
  gint64     next_wake; /* real time; 0: none */
} Evaluation;

static void
wake_at (Evaluation *evaluation,
         gint64      when)
{
  if (when > evaluation->now && (evaluation->next_wake == 0 || when < evaluation->next_wake))
    evaluation->next_wake = when;
}

static void
consider_raise (FwAlertRules *self,
                AlertState   *state,
                Evaluation   *evaluation)
{
  gint64 muted_until = MAX (self->muted_until, state->muted_until);
  gint64 allowed_at;

  if (state->acknowledged)
    return;
  if (state->notified)
    {
      gint64 interval = (gint64) MAX (self->remind_interval, self->min_raise_interval) * 1000;

      /* Raised already: remind, if reminders are wanted and it is time. */
      if (self->remind_interval == 0 || muted_until > evaluation->now)
        return;
      if (state->last_raise + interval > evaluation->now)
        {
          wake_at (evaluation, state->last_raise + interval);
          return;
        }
      state->last_raise = evaluation->now;
      g_ptr_array_add (evaluation->raised, g_object_ref (state->alert));
      wake_at (evaluation, evaluation->now + interval);
      return;
    }
  if (muted_until > evaluation->now)
    {
      wake_at (evaluation, muted_until);
      return;
    }
  allowed_at = state->last_raise + (gint64) self->min_raise_interval * 1000;
  if (state->last_raise != 0 && allowed_at > evaluation->now)
    {
      wake_at (evaluation, allowed_at);
      return;
    }

  state->notified = TRUE;
  state->last_raise = evaluation->now;
  g_ptr_array_add (evaluation->raised, g_object_ref (state->alert));
  if (self->remind_interval > 0)
    wake_at (evaluation, evaluation->now + (gint64) MAX (self->remind_interval, self->min_raise_interval) * 1000);
}

static void
deactivate (AlertState *state,
            const char *alert_id,
            Evaluation *evaluation)
{
  if (!state->active)
    return;
  state->active = FALSE;
  state->notified = FALSE;
  state->acknowledged = FALSE;
  g_ptr_array_add (evaluation->cleared, g_strdup (alert_id));
}

/* The condition of @alert_id holds (@alert non-NULL, which is taken) or not. */
static void
update_alert (FwAlertRules *self,
              FwAlertRule  *rule,
              char         *alert_id,
              FwAlert      *alert,
              Evaluation   *evaluation)
{
  AlertState *state = g_hash_table_lookup (self->states, alert_id);

  if (state == NULL)
    {
      if (alert == NULL)
        {
          g_free (alert_id);
          return;
        }
      state = g_new0 (AlertState, 1);
      state->rule_id = g_strdup (rule->id);
      g_hash_table_insert (self->states, g_strdup (alert_id), state);
    }
  state->seen = TRUE;

  if (alert == NULL)
    deactivate (state, alert_id, evaluation);
  else
    {
      if (state->alert == NULL || !fw_alert_equal (state->alert, alert))
        g_set_object (&state->alert, alert);
      if (!state->active)
        {
          state->active = TRUE;
          state->acknowledged = FALSE;
        }
      consider_raise (self, state, evaluation);
      g_object_unref (alert);
    }
  g_free (alert_id);
}

static char *
make_alert_id (FwAlertRule *rule,
               const char  *target_kind,
               const char  *target_id)
{
  return target_id ? g_strconcat (rule->id, ":", target_kind, ":", target_id, NULL)
                   : g_strdup (rule->id);
}

static FwAlert *
queue_alert (FwAlertRule  *rule,
             const char   *alert_id,
             FwBoardQueue *queue,
             Evaluation   *evaluation)
{
  const char *id = fw_board_queue_get_id (queue);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (!fw_board_queue_get_counts_known (queue) && rule->kind == FW_ALERT_KIND_QUEUE_WAITING)
    return NULL;

  if (rule->kind == FW_ALERT_KIND_QUEUE_WAITING)
    {
      guint waiting = fw_board_queue_get_waiting (queue);

      if (waiting < rule->threshold)
        return NULL;
      /* Translators: "Support: 7 waiting", interactions waiting in a queue. */
      title = g_strdup_printf (_("%s: %u waiting"), queue_label (queue), waiting);
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u interaction is waiting in %s; the alert is set at %u.",
                                           "%u interactions are waiting in %s; the alert is set at %u.",
                                           waiting),
                              waiting, queue_label (queue), rule->threshold);
    }
  else
    {
      gint64 start = fw_board_queue_get_longest_wait_start (queue);
      gint64 due = start + (gint64) rule->threshold * G_USEC_PER_SEC;
      g_autofree char *waited = NULL;
      g_autofree char *limit = NULL;

      if (start == 0)
        return NULL;
      if (due > evaluation->now)
        {
          /* It crosses by itself, with no event to say so. */
          wake_at (evaluation, due);
          return NULL;
        }
      waited = format_duration ((evaluation->now - start) / G_USEC_PER_SEC);
      limit = format_duration (rule->threshold);
      /* Translators: "Support: waiting 2 min 5 s", the longest wait in a queue. */
      title = g_strdup_printf (_("%s: waiting %s"), queue_label (queue), waited);
      body = g_strdup_printf (_("An interaction has waited %s in %s; the alert is set at %s."),
                              waited, queue_label (queue), limit);
    }

  return fw_alert_new (alert_id, rule->id, rule->kind, rule->severity,
                       FW_ALERT_TARGET_QUEUE, id, title, body);
}

static FwAlert *
agent_alert (FwAlertRule  *rule,
             const char   *alert_id,
             FwBoardAgent *agent)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (rule->kind == FW_ALERT_KIND_AGENT_NOT_RESPONDING)
    {
      if (!fw_board_status_equal (fw_board_agent_get_routing_status (agent), "NOT_RESPONDING"))
        return NULL;
      title = g_strdup_printf (_("%s is not responding"), agent_label (agent));
      body = g_strdup_printf (_("%s did not answer an interaction offered to them."),
                              agent_label (agent));
    }
  else
    {
      const char *presence = fw_board_agent_get_presence (agent);
      gint64 since = fw_board_agent_get_presence_since (agent);
      gboolean match = FALSE;

      for (guint i = 0; presence != NULL && rule->presences && rule->presences[i] != NULL; i++)
        match |= fw_board_status_equal (presence, rule->presences[i]);
      if (!match)
        return NULL;
      /* Translators: "Ana Silva: Break", an agent and a presence. */
      title = g_strdup_printf (_("%s: %s"), agent_label (agent), fw_board_status_label (presence));
      if (since != 0)
        {
          g_autofree char *clock = format_clock_time (since);

          /* Translators: "Ana Silva: Break since 14:05." */
          body = g_strdup_printf (_("%s: %s since %s."), agent_label (agent),
                                  fw_board_status_label (presence), clock);
        }
      else
        body = g_strdup (title);
    }

  return fw_alert_new (alert_id, rule->id, rule->kind, rule->severity,
                       FW_ALERT_TARGET_AGENT, fw_board_agent_get_id (agent), title, body);
}

static FwAlert *
feed_alert (FwAlertRules *self,
            FwAlertRule  *rule,
            const char   *alert_id,
            Evaluation   *evaluation)
{
  gint64 due = self->down_since + (gint64) rule->threshold * G_USEC_PER_SEC;
  g_autofree char *down_for = NULL;
  g_autofree char *body = NULL;

  if (self->down_since == 0)
    return NULL;
  if (due > evaluation->now)
    {
      wake_at (evaluation, due);
      return NULL;
    }
  down_for = format_duration ((evaluation->now - self->down_since) / G_USEC_PER_SEC);
  body = g_strdup_printf (_("There has been no live connection for %s; "
                            "the board may be out of date."), down_for);
  return fw_alert_new (alert_id, rule->id, rule->kind, rule->severity,
                       FW_ALERT_TARGET_NONE, NULL, _("The live feed is down"), body);
}

/* Keeps the alerts of @rule as they are (the board cannot say now). */
static void
keep_rule_alerts (FwAlertRules *self,
                  FwAlertRule  *rule)
{
  GHashTableIter iter;
  AlertState *state;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &state))
    if (g_str_equal (state->rule_id, rule->id))
      state->seen = TRUE;
}

static void
evaluate_rule (FwAlertRules *self,
               FwAlertRule  *rule,
               Evaluation   *evaluation)
{
  GListModel *model;

  if (rule->kind == FW_ALERT_KIND_FEED_DOWN)
    {
      char *alert_id = make_alert_id (rule, NULL, NULL);

      update_alert (self, rule, alert_id, feed_alert (self, rule, alert_id, evaluation), evaluation);
      return;
    }

  if (self->board == NULL)
    return;
  if (fw_board_get_stale (self->board))
    {
      keep_rule_alerts (self, rule);
      return;
    }

  model = kind_watches_queues (rule->kind) ? fw_board_get_queues (self->board)
                                           : fw_board_get_agents (self->board);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      char *alert_id;
      FwAlert *alert;

      if (kind_watches_queues (rule->kind))
        {
          FwBoardQueue *queue = FW_BOARD_QUEUE (item);

          if (rule->target_id != NULL && !g_str_equal (rule->target_id, fw_board_queue_get_id (queue)))
            continue;
          alert_id = make_alert_id (rule, "queue", fw_board_queue_get_id (queue));
          alert = queue_alert (rule, alert_id, queue, evaluation);
        }
      else
        {
          FwBoardAgent *agent = FW_BOARD_AGENT (item);

          if (rule->target_id != NULL && !g_str_equal (rule->target_id, fw_board_agent_get_id (agent)))
            continue;
          alert_id = make_alert_id (rule, "agent", fw_board_agent_get_id (agent));
          alert = agent_alert (rule, alert_id, agent);
        }
      update_alert (self, rule, alert_id, alert, evaluation);
    }
}

static gboolean wake_cb (gpointer user_data);

static void
evaluate (FwAlertRules *self)
{
  Evaluation evaluation = { 0, };
  GHashTableIter iter;
  const char *alert_id;
  AlertState *state;
  guint n_active = 0;

  g_clear_handle_id (&self->evaluate_source, g_source_remove);
  g_clear_handle_id (&self->wake_source, g_source_remove);

  evaluation.raised = g_ptr_array_new_with_free_func (g_object_unref);
  evaluation.cleared = g_ptr_array_new_with_free_func (g_free);
  evaluation.now = g_get_real_time ();

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &state))
    state->seen = FALSE;

  for (guint i = 0; i < self->rules->len; i++)
    {
      FwAlertRule *rule = g_ptr_array_index (self->rules, i);

      if (rule->enabled)
        evaluate_rule (self, rule, &evaluation);
    }

  /* Rules and targets that are gone take their alerts with them.  States
   * that no longer hold anything (no mute, no raise to space out) go too. */
  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, (gpointer *) &alert_id, (gpointer *) &state))
    {
      if (!state->seen)
        deactivate (state, alert_id, &evaluation);
      if (state->active)
        n_active++;
      else if (state->muted_until <= evaluation.now &&
               state->last_raise + (gint64) self->min_raise_interval * 1000 <= evaluation.now)
        g_hash_table_iter_remove (&iter);
    }

  if (evaluation.next_wake != 0)
    {
      gint64 delay_ms = (evaluation.next_wake - evaluation.now + 999) / 1000;

      self->wake_source = g_timeout_add ((guint) CLAMP (delay_ms, 1, G_MAXINT), wake_cb, self);
    }

  if (self->n_active != n_active)
    {
      self->n_active = n_active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
    }

  /* Keep ourselves alive: a handler may drop its last reference. */
  g_object_ref (self);
  for (guint i = 0; i < evaluation.cleared->len; i++)
    g_signal_emit (self, signals[ALERT_CLEARED], 0, g_ptr_array_index (evaluation.cleared, i));
  for (guint i = 0; i < evaluation.raised->len; i++)
    g_signal_emit (self, signals[ALERT_RAISED], 0, g_ptr_array_index (evaluation.raised, i));
  g_object_unref (self);

  g_ptr_array_unref (evaluation.raised);
  g_ptr_array_unref (evaluation.cleared);
}

static gboolean
wake_cb (gpointer user_data)
{
  FwAlertRules *self = user_data;

  self->wake_source = 0;
  evaluate (self);
  return G_SOURCE_REMOVE;
}

static gboolean
evaluate_idle_cb (gpointer user_data)
{
  FwAlertRules *self = user_data;

  self->evaluate_source = 0;
  evaluate (self);
  return G_SOURCE_REMOVE;
}

/* Many board changes arrive in one burst: evaluate once after it. */
static void
schedule_evaluation (FwAlertRules *self)
{
  if (self->evaluate_source == 0)
    self->evaluate_source = g_idle_add (evaluate_idle_cb, self);
}

void
fw_alert_rules_evaluate (FwAlertRules *self)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));

  evaluate (self);
}

/* ---- Inputs ---- */

void
fw_alert_rules_set_rules (FwAlertRules *self,
                          GPtrArray    *rules)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));
  g_return_if_fail (rules != NULL);

  g_ptr_array_set_size (self->rules, 0);
  for (guint i = 0; i < rules->len; i++)
    g_ptr_array_add (self->rules, fw_alert_rule_copy (g_ptr_array_index (rules, i)));
  evaluate (self);
}

GPtrArray *
fw_alert_rules_get_rules (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), NULL);

  return self->rules;
}

static void
settings_rules_changed_cb (GSettings    *settings,
                           const char   *key,
                           FwAlertRules *self)
{
  g_autofree char *json = g_settings_get_string (settings, "alert-rules");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  rules = fw_alert_rules_parse (json, &error);
  if (rules == NULL)
    {
      g_warning ("Keeping the alert rules as they were: %s", error->message);
      return;
    }
  fw_alert_rules_set_rules (self, rules);
}

static void
settings_muted_changed_cb (GSettings    *settings,
                           const char   *key,
                           FwAlertRules *self)
{
  gint64 seconds = g_settings_get_int64 (settings, "alerts-muted-until");

  fw_alert_rules_set_muted_until (self, seconds > 0 ? seconds * G_USEC_PER_SEC : 0);
}

void
fw_alert_rules_bind_settings (FwAlertRules *self,
                              GSettings    *settings)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::alert-rules",
                           G_CALLBACK (settings_rules_changed_cb), self, 0);
  g_signal_connect_object (settings, "changed::alerts-muted-until",
                           G_CALLBACK (settings_muted_changed_cb), self, 0);
  settings_muted_changed_cb (settings, NULL, self);
  settings_rules_changed_cb (settings, NULL, self);
}

static void
board_changed_cb (FwAlertRules *self)
{
  schedule_evaluation (self);
}

void
fw_alert_rules_set_board (FwAlertRules *self,
                          FwBoard      *board)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));
  g_return_if_fail (board == NULL || FW_IS_BOARD (board));

  if (self->board == board)
    return;
  if (self->board != NULL)
    {
      g_clear_signal_handler (&self->board_changed_handler, self->board);
      g_clear_signal_handler (&self->board_stale_handler, self->board);
      g_clear_object (&self->board);
    }
  if (board != NULL)
    {
      self->board = g_object_ref (board);
      self->board_changed_handler =
        g_signal_connect_swapped (board, "changed", G_CALLBACK (board_changed_cb), self);
      self->board_stale_handler =
        g_signal_connect_swapped (board, "notify::stale", G_CALLBACK (board_changed_cb), self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOARD]);
  evaluate (self);
}

FwBoard *
fw_alert_rules_get_board (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), NULL);

  return self->board;
}

/* The feed is down in every state but live and deliberately stopped. */
static void
update_down_since (FwAlertRules *self)
{
  FwSessionState state = self->session ? fw_session_get_state (self->session)
                                       : FW_SESSION_STATE_OFFLINE;
  gboolean down = state != FW_SESSION_STATE_LIVE && state != FW_SESSION_STATE_OFFLINE;

  if (!down)
    self->down_since = 0;
  else if (self->down_since == 0)
    self->down_since = g_get_real_time ();
}

static void
session_state_cb (FwAlertRules *self)
{
  update_down_since (self);
  evaluate (self);
}

void
fw_alert_rules_set_session (FwAlertRules *self,
                            FwSession    *session)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));
  g_return_if_fail (session == NULL || FW_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->session_state_handler, self->session);
      g_clear_object (&self->session);
    }
  self->down_since = 0;
  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->session_state_handler =
        g_signal_connect_swapped (session, "notify::state", G_CALLBACK (session_state_cb), self);
    }
  update_down_since (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  evaluate (self);
}

FwSession *
fw_alert_rules_get_session (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), NULL);

  return self->session;
}

/* ---- What the user does with an alert ---- */

FwAlert *
fw_alert_rules_lookup_alert (FwAlertRules *self,
                             const char   *alert_id)
{
  AlertState *state;

  g_return_val_if_fail (FW_IS_ALERT_RULES (self), NULL);
  g_return_val_if_fail (alert_id != NULL, NULL);

  state = g_hash_table_lookup (self->states, alert_id);
  return state != NULL && state->active ? state->alert : NULL;
}

guint
fw_alert_rules_get_n_active (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), 0);

  return self->n_active;
}

gboolean
fw_alert_rules_acknowledge (FwAlertRules *self,
                            const char   *alert_id)
{
  AlertState *state;

  g_return_val_if_fail (FW_IS_ALERT_RULES (self), FALSE);
  g_return_val_if_fail (alert_id != NULL, FALSE);

  state = g_hash_table_lookup (self->states, alert_id);
  if (state == NULL || !state->active)
    return FALSE;
  state->acknowledged = TRUE;
  state->notified = FALSE;
  return TRUE;
}

gboolean
fw_alert_rules_mute (FwAlertRules *self,
                     const char   *alert_id,
                     guint         seconds)
{
  AlertState *state;

  g_return_val_if_fail (FW_IS_ALERT_RULES (self), FALSE);
  g_return_val_if_fail (alert_id != NULL, FALSE);

  state = g_hash_table_lookup (self->states, alert_id);
  if (state == NULL)
    return FALSE;
  state->muted_until = g_get_real_time () + (gint64) seconds * G_USEC_PER_SEC;
  state->notified = FALSE;
  /* Sets the timer that raises it again once the mute is over. */
  evaluate (self);
  return TRUE;
}

void
fw_alert_rules_set_muted_until (FwAlertRules *self,
                                gint64        until_us)
{
  g_return_if_fail (FW_IS_ALERT_RULES (self));

  until_us = MAX (0, until_us);
  if (self->muted_until == until_us)
    return;
  self->muted_until = until_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED_UNTIL]);
  evaluate (self);
}

gint64
fw_alert_rules_get_muted_until (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), 0);

  return self->muted_until;
}

gboolean
fw_alert_rules_is_muted (FwAlertRules *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULES (self), FALSE);

  return self->muted_until > g_get_real_time ();
}

/* ---- GObject ---- */

static void
fw_alert_rules_dispose (GObject *object)
{
  FwAlertRules *self = (FwAlertRules *)object;

  fw_alert_rules_set_board (self, NULL);
  fw_alert_rules_set_session (self, NULL);
  g_clear_object (&self->settings);
  g_clear_handle_id (&self->evaluate_source, g_source_remove);
  g_clear_handle_id (&self->wake_source, g_source_remove);

  G_OBJECT_CLASS (fw_alert_rules_parent_class)->dispose (object);
}

static void
fw_alert_rules_finalize (GObject *object)
{
  FwAlertRules *self = (FwAlertRules *)object;

  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);

  G_OBJECT_CLASS (fw_alert_rules_parent_class)->finalize (object);
}

static void
fw_alert_rules_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwAlertRules *self = FW_ALERT_RULES (object);

  switch (prop_id)
    {
    case PROP_BOARD:
      g_value_set_object (value, self->board);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_MUTED_UNTIL:
      g_value_set_int64 (value, self->muted_until);
      break;

    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;

    case PROP_MIN_RAISE_INTERVAL:
      g_value_set_uint (value, self->min_raise_interval);
      break;

    case PROP_REMIND_INTERVAL:
      g_value_set_uint (value, self->remind_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_rules_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwAlertRules *self = FW_ALERT_RULES (object);

  switch (prop_id)
    {
    case PROP_BOARD:
      fw_alert_rules_set_board (self, g_value_get_object (value));
      break;

    case PROP_SESSION:
      fw_alert_rules_set_session (self, g_value_get_object (value));
      break;

    case PROP_MUTED_UNTIL:
      fw_alert_rules_set_muted_until (self, g_value_get_int64 (value));
      break;

    case PROP_MIN_RAISE_INTERVAL:
      if (self->min_raise_interval != g_value_get_uint (value))
        {
          self->min_raise_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_REMIND_INTERVAL:
      if (self->remind_interval != g_value_get_uint (value))
        {
          self->remind_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
          evaluate (self);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_rules_class_init (FwAlertRulesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_alert_rules_dispose;
  object_class->finalize = fw_alert_rules_finalize;
  object_class->get_property = fw_alert_rules_get_property;
  object_class->set_property = fw_alert_rules_set_property;

  properties[PROP_BOARD] =
    g_param_spec_object ("board", NULL, NULL, FW_TYPE_BOARD, rw);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FW_TYPE_SESSION, rw);
  properties[PROP_MUTED_UNTIL] =
    g_param_spec_int64 ("muted-until", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_RAISE_INTERVAL] =
    g_param_spec_uint ("min-raise-interval", NULL, NULL, 0, G_MAXUINT,
                       DEFAULT_MIN_RAISE_INTERVAL, rw);
  properties[PROP_REMIND_INTERVAL] =
    g_param_spec_uint ("remind-interval", NULL, NULL, 0, G_MAXUINT, DEFAULT_REMIND_INTERVAL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ALERT_RAISED] =
    g_signal_new ("alert-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FW_TYPE_ALERT);
  signals[ALERT_CLEARED] =
    g_signal_new ("alert-cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fw_alert_rules_init (FwAlertRules *self)
{
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_free);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) alert_state_free);
  self->min_raise_interval = DEFAULT_MIN_RAISE_INTERVAL;
  self->remind_interval = DEFAULT_REMIND_INTERVAL;
}

FwAlertRules *
fw_alert_rules_new (void)
{
  return g_object_new (FW_TYPE_ALERT_RULES, NULL);
}
