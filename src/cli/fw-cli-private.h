/* fw-cli-private.h — what the files of floorwatch-cli share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-engine.h"

G_BEGIN_DECLS

/* The exit statuses scripts can rely on. */
typedef enum
{
  FW_CLI_EXIT_OK          = 0,
  FW_CLI_EXIT_FAILURE     = 1,   /* no secret, a fatal session error, I/O */
  FW_CLI_EXIT_USAGE       = 2,   /* bad option, argument or environment */
  FW_CLI_EXIT_CREDENTIALS = 3,   /* the login server rejected the client id or secret */
} FwCliExit;

#define FW_CLI_ERROR (fw_cli_error_quark ())

typedef enum
{
  FW_CLI_ERROR_NO_SECRET,   /* neither the environment nor the keyring has one */
  FW_CLI_ERROR_USAGE,
} FwCliError;

typedef enum
{
  FW_CLI_FORMAT_JSONL,
  FW_CLI_FORMAT_TEXT,
} FwCliFormat;

GQuark          fw_cli_error_quark            (void);

/* fw-cli.c */
/* Prints "floorwatch: …" on stderr (after flushing stdout, so that the two
 * streams stay in order on a terminal). */
void            fw_cli_message                (const char           *format,
                                               ...) G_GNUC_PRINTF (1, 2);
/* Prints the usage error and a hint to --help; returns FW_CLI_EXIT_USAGE. */
int             fw_cli_usage_error            (const char           *command,
                                               const char           *message);
/* Parses @context; on failure prints the usage error and returns FALSE. */
gboolean        fw_cli_parse_options          (GOptionContext       *context,
                                               const char           *command,
                                               int                  *argc,
                                               char               ***argv);

/* fw-cli-target.c: which org and client, and a REST client for them. */
gboolean        fw_cli_target_resolve         (const char           *environment_spec,
                                               const char           *client_id,
                                               FwEnvironment       **environment_out,
                                               char                **client_id_out,
                                               GError              **error);
FwApi          *fw_cli_api_new_with_secret    (FwEnvironment        *environment,
                                               const char           *client_id,
                                               const char           *secret);
/* Takes the secret from GENESYSCLOUD_OAUTHCLIENT_SECRET, else the keyring,
 * else a person's sign-in (see fw_cli_api_new_full_async()). */
void            fw_cli_api_new_async          (FwEnvironment        *environment,
                                               const char           *client_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* Takes the secret from GENESYSCLOUD_OAUTHCLIENT_SECRET, else the keyring,
 * else the tokens of a person signed in with 'login --browser'; with
 * @user_only, only the latter. */
void            fw_cli_api_new_full_async     (FwEnvironment        *environment,
                                               const char           *client_id,
                                               gboolean              user_only,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
FwApi          *fw_cli_api_new_finish         (GAsyncResult         *result,
                                               GError              **error);
/* A signed-in person's REST client; renewed tokens go back into the keyring. */
FwApi          *fw_cli_api_new_for_user       (FwEnvironment        *environment,
                                               const char           *client_id,
                                               FwUserTokens         *user_tokens);
/* FW_CLI_EXIT_CREDENTIALS for rejected credentials, FW_CLI_EXIT_FAILURE otherwise. */
int             fw_cli_exit_code_for_error    (const GError         *error);
/* Parses seconds ("2", "0.5") into milliseconds, at least 1. */
gboolean        fw_cli_parse_seconds          (const char           *option,
                                               const char           *value,
                                               guint                *ms_out,
                                               GError              **error);
gboolean        fw_cli_parse_unsigned         (const char           *option,
                                               const char           *value,
                                               guint64               min,
                                               guint64               max,
                                               guint64              *out,
                                               GError              **error);

/* fw-cli-json.c: each returns NULL when the member is missing or of another type. */
const char     *fw_cli_json_get_string        (JsonObject           *object,
                                               const char           *name);
/* The "entities" array of a list answer. */
JsonArray      *fw_cli_json_get_entities      (JsonNode             *answer);
JsonObject     *fw_cli_json_array_get_object  (JsonArray            *array,
                                               guint                 index);

/* fw-cli-output.c */
gboolean        fw_cli_format_parse           (const char           *name,
                                               FwCliFormat          *format_out);
/* One line, newline included, for stdout. */
char           *fw_cli_format_notification    (FwNotification       *notification,
                                               FwCliFormat           format);
/* "gap 14:02:11–14:02:19: events of 3 topics may be missing" */
char           *fw_cli_format_gap             (FwGap                *gap);
/* Local wall-clock "HH:MM:SS" of a g_get_real_time() value. */
char           *fw_cli_format_time            (gint64                time_us);

/* The subcommands; @argv[0] is the subcommand's name. */
int             fw_cli_watch                  (int                   argc,
                                               char                **argv);
int             fw_cli_login                  (int                   argc,
                                               char                **argv);
int             fw_cli_logout                 (int                   argc,
                                               char                **argv);
int             fw_cli_topics                 (int                   argc,
                                               char                **argv);
int             fw_cli_simulate               (int                   argc,
                                               char                **argv);

G_END_DECLS
