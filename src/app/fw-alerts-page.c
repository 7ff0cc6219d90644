/* fw-alerts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page keeps a working copy of the rules and writes all of them back to
 * "alert-rules" after every change; the alert rules of the application
 * follow the setting.  Rows are rebuilt only when the setting changes from
 * elsewhere, so that a row being edited stays open.
 */

#define G_LOG_DOMAIN "fw-alerts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-alert-rules.h"
#include "fw-alerts-page.h"

struct _FwAlertsPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  GtkSwitch           *background_switch;
  GtkSwitch           *login_switch;
  AdwActionRow        *login_row;
  AdwPreferencesGroup *rules_group;
  GtkWidget           *no_rules_row;

  GSettings           *settings;
  FwBoard             *board;
  GPtrArray           *rules;     /* FwAlertRule, the working copy */
  GPtrArray           *rows;      /* AdwExpanderRow, one per rule */
  gboolean             writing;
};

G_DEFINE_FINAL_TYPE (FwAlertsPage, fw_alerts_page, ADW_TYPE_PREFERENCES_PAGE)

/* Presences offered by agent-presence rules, in the spelling notifications use. */
static const char * const offered_presences[] = {
  "AVAILABLE", "AWAY", "BUSY", "BREAK", "MEAL", "MEETING", "TRAINING", "OFFLINE", "ON_QUEUE",
};

static const char * const severity_labels[] = { N_("Information"), N_("Warning"), N_("Critical") };

static void rebuild_rows (FwAlertsPage *self);

/* ---- Words for rules ---- */

static char *
dup_presences_text (FwAlertRule *rule)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; rule->presences != NULL && rule->presences[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: between presences in a list, "Break, Meal". */
        g_string_append (text, _(", "));
      g_string_append (text, fw_board_status_label (rule->presences[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
dup_rule_title (FwAlertRule *rule)
{
  g_autofree char *presences = NULL;

  switch (rule->kind)
    {
    case FW_ALERT_KIND_QUEUE_WAITING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u or more callers waiting",
                                           "%u or more callers waiting", rule->threshold),
                              rule->threshold);
    case FW_ALERT_KIND_LONGEST_WAIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "A caller waiting %u second or longer",
                                           "A caller waiting %u seconds or longer", rule->threshold),
                              rule->threshold);
    case FW_ALERT_KIND_AGENT_NOT_RESPONDING:
      return g_strdup (_("An agent not responding"));
    case FW_ALERT_KIND_AGENT_PRESENCE:
      presences = dup_presences_text (rule);
      /* Translators: %s is a list of presences, "Break, Meal". */
      return g_strdup_printf (_("An agent in %s"), presences);
    case FW_ALERT_KIND_FEED_DOWN:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The feed down for %u second or longer",
                                           "The feed down for %u seconds or longer", rule->threshold),
                              rule->threshold);
    }
}

static char *
dup_target_label (FwAlertsPage *self,
                  FwAlertRule  *rule)
{
  gboolean queues = rule->kind == FW_ALERT_KIND_QUEUE_WAITING || rule->kind == FW_ALERT_KIND_LONGEST_WAIT;

  if (rule->kind == FW_ALERT_KIND_FEED_DOWN)
    return g_strdup (_("The live feed"));
  if (rule->target_id == NULL)
    return g_strdup (queues ? _("Every watched queue") : _("Every watched agent"));
  if (self->board != NULL)
    {
      if (queues)
        {
          FwBoardQueue *queue = fw_board_lookup_queue (self->board, rule->target_id);

          if (queue != NULL && fw_board_queue_get_name (queue) != NULL)
            return g_strdup (fw_board_queue_get_name (queue));
        }
      else
        {
          FwBoardAgent *agent = fw_board_lookup_agent (self->board, rule->target_id);

          if (agent != NULL && fw_board_agent_get_name (agent) != NULL)
            return g_strdup (fw_board_agent_get_name (agent));
        }
    }
  return g_strdup (rule->target_id);
}

static char *
dup_rule_subtitle (FwAlertsPage *self,
                   FwAlertRule  *rule)
{
  g_autofree char *target = dup_target_label (self, rule);

  /* Translators: what a rule watches and how serious it is, "Support · Warning". */
  return g_strdup_printf (_("%s · %s"), target, _(severity_labels[rule->severity]));
}

/* ---- Writing ---- */

static FwAlertRule *
lookup_rule (FwAlertsPage *self,
             GtkWidget    *widget)
{
  const char *id = g_object_get_data (G_OBJECT (widget), "fw-rule-id");

  for (guint i = 0; id != NULL && i < self->rules->len; i++)
    {
      FwAlertRule *rule = g_ptr_array_index (self->rules, i);

      if (g_str_equal (rule->id, id))
        return rule;
    }
  return NULL;
}

static AdwExpanderRow *
lookup_row (FwAlertsPage *self,
            FwAlertRule  *rule)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwExpanderRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "fw-rule-id"), rule->id) == 0)
        return row;
    }
  return NULL;
}

static void
write_rules (FwAlertsPage *self)
{
  g_autofree char *json = fw_alert_rules_serialize (self->rules);

  self->writing = TRUE;
  g_settings_set_string (self->settings, "alert-rules", json);
  self->writing = FALSE;
}

/* A rule changed: write everything, and let its row say so. */
static void
rule_changed (FwAlertsPage *self,
              FwAlertRule  *rule)
{
  AdwExpanderRow *row = lookup_row (self, rule);

  if (row != NULL)
    {
      g_autofree char *title = dup_rule_title (rule);
      g_autofree char *subtitle = dup_rule_subtitle (self, rule);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_set_subtitle (row, subtitle);
    }
  write_rules (self);
}

/* ---- Row handlers ---- */

static void
enabled_changed_cb (GtkSwitch    *toggle,
                    GParamSpec   *pspec,
                    FwAlertsPage *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (toggle));

  if (rule == NULL || rule->enabled == gtk_switch_get_active (toggle))
    return;
  rule->enabled = gtk_switch_get_active (toggle);
  rule_changed (self, rule);
}

static void
threshold_changed_cb (GtkSpinButton *spin,
                      FwAlertsPage  *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (spin));
  guint value = (guint) gtk_spin_button_get_value_as_int (spin);

  if (rule == NULL || rule->threshold == value)
    return;
  rule->threshold = value;
  rule_changed (self, rule);
}

static void
severity_changed_cb (AdwComboRow  *combo,
                     GParamSpec   *pspec,
                     FwAlertsPage *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (combo));
  guint selected = adw_combo_row_get_selected (combo);

  if (rule == NULL || selected >= G_N_ELEMENTS (severity_labels) || rule->severity == selected)
    return;
  rule->severity = (FwAlertSeverity) selected;
  rule_changed (self, rule);
}

static void
target_changed_cb (AdwComboRow  *combo,
                   GParamSpec   *pspec,
                   FwAlertsPage *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (combo));
  GPtrArray *ids = g_object_get_data (G_OBJECT (combo), "fw-target-ids");
  guint selected = adw_combo_row_get_selected (combo);
  const char *id;

  if (rule == NULL || ids == NULL || selected >= ids->len)
    return;
  id = g_ptr_array_index (ids, selected);
  if (g_strcmp0 (rule->target_id, id) == 0)
    return;
  g_free (rule->target_id);
  rule->target_id = g_strdup (id);
  rule_changed (self, rule);
}

static void
presence_toggled_cb (GtkCheckButton *check,
                     FwAlertsPage   *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (check));
  const char *presence = g_object_get_data (G_OBJECT (check), "fw-presence");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean active = gtk_check_button_get_active (check);
  gboolean present;

  if (rule == NULL)
    return;
  present = rule->presences != NULL && g_strv_contains ((const char * const *) rule->presences, presence);
  if (present == active)
    return;

  /* A presence rule watches at least one presence. */
  if (!active && g_strv_length (rule->presences) == 1)
    {
      gtk_check_button_set_active (check, TRUE);
      return;
    }

  for (guint i = 0; rule->presences != NULL && rule->presences[i] != NULL; i++)
    if (active || !g_str_equal (rule->presences[i], presence))
      g_strv_builder_add (builder, rule->presences[i]);
  if (active)
    g_strv_builder_add (builder, presence);
  g_strfreev (rule->presences);
  rule->presences = g_strv_builder_end (builder);
  rule_changed (self, rule);
}

static void
remove_clicked_cb (GtkButton    *button,
                   FwAlertsPage *self)
{
  FwAlertRule *rule = lookup_rule (self, GTK_WIDGET (button));

  if (rule == NULL)
    return;
  g_ptr_array_remove (self->rules, rule);
  write_rules (self);
  rebuild_rows (self);
}

/* ---- Rows ---- */

static void
tag (gpointer     widget,
     FwAlertRule *rule)
{
  g_object_set_data_full (G_OBJECT (widget), "fw-rule-id", g_strdup (rule->id), g_free);
}

static void
add_threshold_row (FwAlertsPage   *self,
                   AdwExpanderRow *expander,
                   FwAlertRule    *rule)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 1000000, 1);
  const char *title;

  if (rule->kind == FW_ALERT_KIND_QUEUE_WAITING)
    title = _("Callers waiting");
  else if (rule->kind == FW_ALERT_KIND_LONGEST_WAIT)
    title = _("Seconds waited");
  else
    title = _("Seconds without the feed");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), rule->threshold);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  tag (spin, rule);
  g_signal_connect (spin, "value-changed", G_CALLBACK (threshold_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_expander_row_add_row (expander, row);
}

static void
add_target_row (FwAlertsPage   *self,
                AdwExpanderRow *expander,
                FwAlertRule    *rule)
{
  gboolean queues = rule->kind == FW_ALERT_KIND_QUEUE_WAITING || rule->kind == FW_ALERT_KIND_LONGEST_WAIT;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *row = adw_combo_row_new ();
  GListModel *model = NULL;
  guint selected = 0;

  gtk_string_list_append (labels, queues ? _("Every watched queue") : _("Every watched agent"));
  g_ptr_array_add (ids, NULL);

  if (self->board != NULL)
    model = queues ? fw_board_get_queues (self->board) : fw_board_get_agents (self->board);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      const char *id = queues ? fw_board_queue_get_id (FW_BOARD_QUEUE (item))
                              : fw_board_agent_get_id (FW_BOARD_AGENT (item));
      const char *name = queues ? fw_board_queue_get_name (FW_BOARD_QUEUE (item))
                                : fw_board_agent_get_name (FW_BOARD_AGENT (item));

      gtk_string_list_append (labels, name ? name : id);
      g_ptr_array_add (ids, g_strdup (id));
      if (g_strcmp0 (rule->target_id, id) == 0)
        selected = ids->len - 1;
    }
  /* A target no longer watched stays what it is. */
  if (rule->target_id != NULL && selected == 0)
    {
      gtk_string_list_append (labels, rule->target_id);
      g_ptr_array_add (ids, g_strdup (rule->target_id));
      selected = ids->len - 1;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), queues ? _("Queue") : _("Agent"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data_full (G_OBJECT (row), "fw-target-ids", ids, (GDestroyNotify) g_ptr_array_unref);
  tag (row, rule);
  g_signal_connect (row, "notify::selected", G_CALLBACK (target_changed_cb), self);
  adw_expander_row_add_row (expander, row);
}

static void
add_presence_rows (FwAlertsPage   *self,
                   AdwExpanderRow *expander,
                   FwAlertRule    *rule)
{
  g_autoptr(GPtrArray) offered = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (offered_presences); i++)
    g_ptr_array_add (offered, (gpointer) offered_presences[i]);
  /* Presences of the organization we do not know of stay offered. */
  for (guint i = 0; rule->presences != NULL && rule->presences[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (offered, rule->presences[i], g_str_equal, NULL))
      g_ptr_array_add (offered, rule->presences[i]);

  for (guint i = 0; i < offered->len; i++)
    {
      const char *presence = g_ptr_array_index (offered, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fw_board_status_label (presence));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   rule->presences != NULL &&
                                   g_strv_contains ((const char * const *) rule->presences, presence));
      g_object_set_data_full (G_OBJECT (check), "fw-presence", g_strdup (presence), g_free);
      tag (check, rule);
      g_signal_connect (check, "toggled", G_CALLBACK (presence_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (expander, row);
    }
}

static void
add_severity_row (FwAlertsPage   *self,
                  AdwExpanderRow *expander,
                  FwAlertRule    *rule)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  for (guint i = 0; i < G_N_ELEMENTS (severity_labels); i++)
    gtk_string_list_append (labels, _(severity_labels[i]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Severity"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Critical alerts stay on screen until handled"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), rule->severity);
  tag (row, rule);
  g_signal_connect (row, "notify::selected", G_CALLBACK (severity_changed_cb), self);
  adw_expander_row_add_row (expander, row);
}

static void
add_remove_row (FwAlertsPage   *self,
                AdwExpanderRow *expander,
                FwAlertRule    *rule)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Remove Rule"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  tag (button, rule);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_expander_row_add_row (expander, row);
}

static AdwExpanderRow *
build_rule_row (FwAlertsPage *self,
                FwAlertRule  *rule)
{
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  g_autofree char *title = dup_rule_title (rule);
  g_autofree char *subtitle = dup_rule_subtitle (self, rule);
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (expander, subtitle);
  tag (expander, rule);

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), rule->enabled);
  gtk_widget_set_tooltip_text (toggle, _("Whether this rule sends alerts"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rule enabled"), -1);
  tag (toggle, rule);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (enabled_changed_cb), self);
  adw_expander_row_add_action (expander, toggle);

  if (rule->kind == FW_ALERT_KIND_QUEUE_WAITING || rule->kind == FW_ALERT_KIND_LONGEST_WAIT ||
      rule->kind == FW_ALERT_KIND_FEED_DOWN)
    add_threshold_row (self, expander, rule);
  if (rule->kind != FW_ALERT_KIND_FEED_DOWN)
    add_target_row (self, expander, rule);
  if (rule->kind == FW_ALERT_KIND_AGENT_PRESENCE)
    add_presence_rows (self, expander, rule);
  add_severity_row (self, expander, rule);
  add_remove_row (self, expander, rule);
  return expander;
}

static void
rebuild_rows (FwAlertsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->rules_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->rules->len; i++)
    {
      AdwExpanderRow *row = build_rule_row (self, g_ptr_array_index (self->rules, i));

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (self->rules_group, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (self->no_rules_row, self->rules->len == 0);
}

static void
rules_setting_changed_cb (GSettings    *settings,
                          const char   *key,
                          FwAlertsPage *self)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  if (self->writing)
    return;

  json = g_settings_get_string (settings, "alert-rules");
  rules = fw_alert_rules_parse (json, &error);
  if (rules == NULL)
    {
      /* The rules themselves keep the last good set and say why. */
      g_debug ("Not showing the alert rules: %s", error->message);
      rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_free);
    }
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  self->rules = g_steal_pointer (&rules);
  rebuild_rows (self);
}

void
fw_alerts_page_add_rule (FwAlertsPage *self,
                         const char   *kind)
{
  static const FwAlertKind kinds[] = {
    FW_ALERT_KIND_QUEUE_WAITING, FW_ALERT_KIND_LONGEST_WAIT, FW_ALERT_KIND_AGENT_NOT_RESPONDING,
    FW_ALERT_KIND_AGENT_PRESENCE, FW_ALERT_KIND_FEED_DOWN,
  };
  FwAlertRule *rule = NULL;

  g_return_if_fail (FW_IS_ALERTS_PAGE (self));
  g_return_if_fail (kind != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind, fw_alert_kind_to_string (kinds[i])))
      rule = fw_alert_rule_new (kinds[i]);
  g_return_if_fail (rule != NULL);

  g_ptr_array_add (self->rules, rule);
  write_rules (self);
  rebuild_rows (self);
  adw_expander_row_set_expanded (lookup_row (self, rule), TRUE);
}

GPtrArray *
fw_alerts_page_get_rows (FwAlertsPage *self)
{
  g_return_val_if_fail (FW_IS_ALERTS_PAGE (self), NULL);

  return self->rows;
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  fw_alerts_page_add_rule (FW_ALERTS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* ---- GObject ---- */

static void
fw_alerts_page_dispose (GObject *object)
{
  FwAlertsPage *self = (FwAlertsPage *)object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ALERTS_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->board);

  G_OBJECT_CLASS (fw_alerts_page_parent_class)->dispose (object);
}

static void
fw_alerts_page_finalize (GObject *object)
{
  FwAlertsPage *self = (FwAlertsPage *)object;

  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (fw_alerts_page_parent_class)->finalize (object);
}

static void
fw_alerts_page_class_init (FwAlertsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_alerts_page_dispose;
  object_class->finalize = fw_alerts_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FwAlertsPage, background_switch);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsPage, login_switch);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsPage, rules_group);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsPage, no_rules_row);

  gtk_widget_class_install_action (widget_class, "alerts.add-rule", "s", add_rule_action);
}

static void
fw_alerts_page_init (FwAlertsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_free);
  self->rows = g_ptr_array_new ();
}

FwAlertsPage *
fw_alerts_page_new (GSettings *settings,
                    FwBoard   *board)
{
  FwAlertsPage *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (board == NULL || FW_IS_BOARD (board), NULL);

  self = g_object_new (FW_TYPE_ALERTS_PAGE, NULL);
  self->settings = g_object_ref (settings);
  self->board = board ? g_object_ref (board) : NULL;

  g_settings_bind (settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "start-at-login", self->login_switch, "active", G_SETTINGS_BIND_DEFAULT);
  /* Starting at login means starting in the background. */
  g_settings_bind (settings, "run-in-background", self->login_row, "sensitive", G_SETTINGS_BIND_GET);

  g_signal_connect (settings, "changed::alert-rules", G_CALLBACK (rules_setting_changed_cb), self);
  rules_setting_changed_cb (settings, "alert-rules", self);

  return self;
}
