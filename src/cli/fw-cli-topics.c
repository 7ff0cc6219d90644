/* fw-cli-topics.c — `floorwatch-cli topics`: what one can watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-cli"

#include "config.h"

#include <string.h>

#include "fw-cli-private.h"

#define AVAILABLE_TOPICS_PATH \
  "/api/v2/notifications/availabletopics?expand=description,requiresPermissions"

typedef struct
{
  char          *environment_spec;
  char          *client_id_option;
  char         **search_words;

  GMainLoop     *loop;
  FwEnvironment *environment;
  char          *client_id;
  FwApi         *api;
  char          *search;          /* case-folded, or NULL */
  int            exit_code;
} Topics;

static void
topics_clear (Topics *self)
{
  g_clear_object (&self->api);
  g_clear_object (&self->environment);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->environment_spec, g_free);
  g_clear_pointer (&self->client_id_option, g_free);
  g_clear_pointer (&self->search_words, g_strfreev);
}

static gboolean
matches (const char *text,
         const char *folded_search)
{
  g_autofree char *folded = NULL;

  if (folded_search == NULL)
    return TRUE;
  if (text == NULL)
    return FALSE;

  folded = g_utf8_casefold (text, -1);
  return strstr (folded, folded_search) != NULL;
}

/* Prints the matching entities; returns how many, or -1 when the answer is
 * not a topic list. */
static int
print_topics (Topics   *self,
              JsonNode *answer)
{
  JsonArray *array = fw_cli_json_get_entities (answer);
  int n_printed = 0;

  if (array == NULL)
    return -1;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *topic = fw_cli_json_array_get_object (array, i);
      const char *id = fw_cli_json_get_string (topic, "id");
      const char *description = fw_cli_json_get_string (topic, "description");

      if (id == NULL)
        continue;

      if (!matches (id, self->search) && !matches (description, self->search))
        continue;

      if (description != NULL && description[0] != '\0')
        g_print ("%s — %s\n", id, description);
      else
        g_print ("%s\n", id);
      n_printed++;
    }

  return n_printed;
}

static void
available_topics_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Topics *self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  int n_printed;

  answer = fw_api_call_finish (FW_API (source), result, &error);
  if (answer == NULL)
    {
      self->exit_code = fw_cli_exit_code_for_error (error);
      if (self->exit_code == FW_CLI_EXIT_CREDENTIALS)
        fw_cli_message ("credentials rejected: %s", error->message);
      else
        fw_cli_message ("cannot list the topics: %s", error->message);
      g_main_loop_quit (self->loop);
      return;
    }

  n_printed = print_topics (self, answer);
  if (n_printed < 0)
    {
      fw_cli_message ("cannot list the topics: the answer has no topic list");
      self->exit_code = FW_CLI_EXIT_FAILURE;
    }
  else
    {
      if (n_printed == 0 && self->search != NULL)
        fw_cli_message ("no topic matches '%s'", self->search_words[0]);
      self->exit_code = FW_CLI_EXIT_OK;
    }

  g_main_loop_quit (self->loop);
}

static void
api_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Topics *self = user_data;
  g_autoptr(GError) error = NULL;

  self->api = fw_cli_api_new_finish (result, &error);
  if (self->api == NULL)
    {
      fw_cli_message ("%s", error->message);
      self->exit_code = fw_cli_exit_code_for_error (error);
      g_main_loop_quit (self->loop);
      return;
    }

  fw_api_call_async (self->api, "GET", AVAILABLE_TOPICS_PATH, NULL, NULL,
                     available_topics_cb, self);
}

int
fw_cli_topics (int    argc,
               char **argv)
{
  Topics topics = { 0, };
  Topics *self = &topics;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;
  const GOptionEntry entries[] = {
    { "environment", 'e', 0, G_OPTION_ARG_STRING, &self->environment_spec,
      "Region domain (mypurecloud.ie), region name (eu-west-1) or simulator URL; "
      "default: $GENESYSCLOUD_REGION", "E" },
    { "client-id", 'c', 0, G_OPTION_ARG_STRING, &self->client_id_option,
      "OAuth client id; default: $GENESYSCLOUD_OAUTHCLIENT_ID", "ID" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->search_words, NULL, "[SEARCH]" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Lists the notification topics of the org, as \"id — description\" lines:\n"
    "all of them, or those whose id or description contains SEARCH (any case).\n"
    "Put the id of a queue or user in place of {id} to watch it.");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!fw_cli_parse_options (context, argv[0], &argc, &argv))
    {
      topics_clear (self);
      return FW_CLI_EXIT_USAGE;
    }

  if (self->search_words != NULL && g_strv_length (self->search_words) > 1)
    {
      topics_clear (self);
      return fw_cli_usage_error (argv[0], "give at most one SEARCH (quote it if it has spaces)");
    }

  if (!fw_cli_target_resolve (self->environment_spec, self->client_id_option,
                              &self->environment, &self->client_id, &error))
    {
      topics_clear (self);
      return fw_cli_usage_error (argv[0], error->message);
    }

  if (self->search_words != NULL && self->search_words[0] != NULL &&
      self->search_words[0][0] != '\0')
    self->search = g_utf8_casefold (self->search_words[0], -1);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->exit_code = FW_CLI_EXIT_FAILURE;
  fw_cli_api_new_async (self->environment, self->client_id, NULL, api_ready_cb, self);
  g_main_loop_run (self->loop);

  exit_code = self->exit_code;
  topics_clear (self);
  return exit_code;
}
