/* fw-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-api"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fw-api.h"
#include "fw-backoff.h"
#include "fw-json-private.h"

/* A series of retries counts as stable (and its backoff starts over) after
 * this long; per call this only matters for very long-lived calls. */
#define BACKOFF_STABLE_MS   60000
/* Whole seconds, as Genesys Cloud sends them; 0 or garbage means 1 s. */
#define DEFAULT_RETRY_AFTER_MS 1000
#define MAX_MESSAGE_LENGTH  300

struct _FwApi
{
  GObject        parent_instance;

  SoupSession   *soup;
  FwTokenSource *tokens;

  guint          request_timeout_ms;
  guint          max_retries;
  guint          backoff_initial_ms;
  guint          backoff_cap_ms;
  guint          max_retry_after_ms;

  /* After a 429 no request of this FwApi goes out before this (monotonic). */
  gint64         hold_until_us;
};

enum {
  PROP_0,
  PROP_SOUP_SESSION,
  PROP_TOKEN_SOURCE,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_BACKOFF_INITIAL,
  PROP_BACKOFF_CAP,
  PROP_MAX_RETRY_AFTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FwApi, fw_api, G_TYPE_OBJECT)

G_DEFINE_QUARK (fw-api-error-quark, fw_api_error)

/* Why the last attempt failed, for the message when the retries run out. */
typedef enum
{
  FAILURE_NONE,
  FAILURE_STATUS,
  FAILURE_NETWORK,
  FAILURE_TIMEOUT,
  FAILURE_TOKEN,
} FailureKind;

typedef struct
{
  char         *method;
  char         *path;
  GUri         *uri;
  GBytes       *body;

  FwBackoff    *backoff;
  /* Cancelled and replaced for each attempt: by the timeout, or when the
   * caller cancels. */
  GCancellable *attempt_cancellable;
  GSource      *cancel_source;
  guint         wait_id;
  guint         timeout_id;
  gboolean      timed_out;
  gint64        attempt_started_us;

  char         *token;

  guint         n_unauthorized;
  guint         n_failures;
  guint64       waited_429_ms;
  FailureKind   last_failure;
  guint         last_status;
  gboolean      same_status;
  char         *last_error;
} Call;

static void step_token (GTask *task);
static void step_send  (GTask *task);

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_handle_id (&call->wait_id, g_source_remove);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }
  g_clear_object (&call->attempt_cancellable);
  g_clear_pointer (&call->backoff, fw_backoff_free);
  g_clear_pointer (&call->body, g_bytes_unref);
  wipe_string (&call->token);
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->uri, g_uri_unref);
  g_free (call->last_error);
  g_free (call);
}

static void
call_done (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  g_clear_handle_id (&call->wait_id, g_source_remove);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }
  wipe_string (&call->token);
}

static void
return_error (GTask  *task,
              GError *error)
{
  /* Removing a wait may drop what holds the task alive. */
  g_autoptr(GTask) keep = g_object_ref (task);

  call_done (task);
  g_task_return_error (task, error);
}

static void
return_new_error (GTask      *task,
                  FwApiError  code,
                  const char *format,
                  ...) G_GNUC_PRINTF (3, 4);

static void
return_new_error (GTask      *task,
                  FwApiError  code,
                  const char *format,
                  ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (FW_API_ERROR, code, format, args);
  va_end (args);

  return_error (task, error);
}

static gboolean
caller_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
return_cancelled (GTask *task)
{
  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The request was cancelled.")));
}

/* The path as shown in messages: without its query, which may be long. */
static char *
dup_display_path (Call *call)
{
  const char *query = strchr (call->path, '?');

  if (query != NULL)
    return g_strndup (call->path, query - call->path);

  return g_strdup (call->path);
}

/* The "message" of a Genesys error body, made safe to show: valid UTF-8,
 * one line, not too long, and never anything that holds the token. */
static char *
dup_body_message (Call   *call,
                  GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *valid = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *data;
  GString *clean;
  gsize len = 0;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &len);
  object = _fw_json_parse_object (parser, data, len);
  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, "message");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  valid = g_utf8_make_valid (json_node_get_string (node), -1);
  if (call->token != NULL && strstr (valid, call->token) != NULL)
    return NULL;

  clean = g_string_new (NULL);
  for (const char *p = valid;
       *p != '\0' && clean->len < MAX_MESSAGE_LENGTH;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
    }
  g_strstrip (clean->str);
  clean->len = strlen (clean->str);

  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }

  return g_string_free (clean, FALSE);
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->wait_id = 0;
  step_token (task);

  return G_SOURCE_REMOVE;
}

static gboolean
hold_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->wait_id = 0;
  step_send (task);

  return G_SOURCE_REMOVE;
}

static void
give_up (GTask *task)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  const char *api = fw_environment_get_api_base (fw_token_source_get_environment (self->tokens));
  g_autofree char *path = dup_display_path (call);
  g_autofree char *times = NULL;
  g_autofree char *attempts = NULL;

  times = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time", "%u times", call->n_failures),
                           call->n_failures);
  attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts",
                                           call->n_failures),
                              call->n_failures);

  switch (call->last_failure)
    {
    case FAILURE_STATUS:
      if (call->same_status)
        return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                          _("The Genesys Cloud API answered %u (%s) to %s %s %s; giving up."),
                          call->last_status, soup_status_get_phrase (call->last_status),
                          call->method, path, times);
      else
        return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                          _("The Genesys Cloud API failed on %s %s %s; the last answer "
                            "was %u (%s). Giving up."),
                          call->method, path, times,
                          call->last_status, soup_status_get_phrase (call->last_status));
      break;

    case FAILURE_TIMEOUT:
      return_new_error (task, FW_API_ERROR_TIMEOUT,
                        _("The Genesys Cloud API at %s did not answer %s %s within %u ms "
                          "(%s); giving up."),
                        api, call->method, path, self->request_timeout_ms, attempts);
      break;

    case FAILURE_TOKEN:
      return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                        _("Could not get an access token for %s %s (%s): %s"),
                        call->method, path, attempts, call->last_error);
      break;

    case FAILURE_NETWORK:
    case FAILURE_NONE:
    default:
      return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                        _("Could not reach the Genesys Cloud API at %s for %s %s (%s): %s"),
                        api, call->method, path, attempts,
                        call->last_error ? call->last_error : _("unknown error"));
      break;
    }
}

/* Counts a failure that is worth another attempt, and schedules it, or
 * gives up once "max-retries" retries have failed too. */
static void
retry_later (GTask       *task,
             FailureKind  kind,
             guint        status,
             const char  *message)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint delay_ms;

  call->same_status = kind == FAILURE_STATUS &&
                      (call->n_failures == 0 ||
                       (call->same_status && call->last_status == status));
  call->n_failures++;
  call->last_failure = kind;
  call->last_status = status;
  g_free (call->last_error);
  call->last_error = g_strdup (message);

  if (call->n_failures > self->max_retries)
    {
      give_up (task);
      return;
    }

  delay_ms = fw_backoff_next_delay (call->backoff, g_get_monotonic_time ());
  g_debug ("%s %s: attempt %u failed, retrying in %u ms",
           call->method, call->path, call->n_failures, delay_ms);

  call->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, wait_done_cb,
                                      g_object_ref (task), g_object_unref);
  g_source_set_name_by_id (call->wait_id, "[floorwatch] api retry");
}

/* Retry-After in whole seconds (or an HTTP date), as milliseconds. */
static guint64
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  g_autofree char *trimmed = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return DEFAULT_RETRY_AFTER_MS;

  trimmed = g_strstrip (g_strdup (value));

  if (trimmed[0] != '\0' && strspn (trimmed, "0123456789") == strlen (trimmed))
    {
      if (strlen (trimmed) > 9)
        return G_MAXUINT64 / 2;
      seconds = g_ascii_strtoull (trimmed, NULL, 10);
    }
  else
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (trimmed);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (date == NULL)
        return DEFAULT_RETRY_AFTER_MS;
      if (g_date_time_compare (date, now) > 0)
        seconds = (guint64) (g_date_time_difference (date, now) / G_USEC_PER_SEC);
    }

  /* "Retry-After: 0" is taken as one second, so a server that keeps saying
   * so cannot make us loop without pause. */
  if (seconds == 0)
    return DEFAULT_RETRY_AFTER_MS;

  return seconds * 1000;
}

static void
handle_rate_limit (GTask       *task,
                   SoupMessage *msg)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *path = dup_display_path (call);
  guint64 delay_ms = parse_retry_after (msg);
  gint64 until_us;

  if (call->waited_429_ms + delay_ms > self->max_retry_after_ms)
    {
      return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                        _("The Genesys Cloud API is rate limiting %s %s and asks to wait "
                          "%lu s more, which is past the %u s this "
                          "request may wait; giving up."),
                        call->method, path, (unsigned long) ((delay_ms + 999) / 1000),
                        (self->max_retry_after_ms + 999) / 1000);
      return;
    }

  call->waited_429_ms += delay_ms;

  /* Hold every request of this client, not only this one: the limit is
   * per token, and more requests now would only be refused too. */
  until_us = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  if (until_us > self->hold_until_us)
    self->hold_until_us = until_us;

  g_debug ("%s %s: rate limited, holding requests for %" G_GUINT64_FORMAT " ms",
           call->method, call->path, delay_ms);

  step_send (task);
}

static void
handle_response (GTask       *task,
                 SoupMessage *msg,
                 GBytes      *body)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *path = dup_display_path (call);
  g_autofree char *message = NULL;
  guint status = soup_message_get_status (msg);
  const char *phrase = soup_status_get_phrase (status);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) error = NULL;
      const char *data = NULL;
      gsize len = 0;

      if (body != NULL)
        data = g_bytes_get_data (body, &len);

      call_done (task);

      if (len == 0)
        {
          g_task_return_pointer (task, json_node_new (JSON_NODE_NULL),
                                 (GDestroyNotify) json_node_unref);
          return;
        }

      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, data, (gssize) len, &error) ||
          json_parser_get_root (parser) == NULL)
        {
          g_task_return_new_error (task, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                                   _("The Genesys Cloud API answered %s %s with something "
                                     "that is not JSON."),
                                   call->method, path);
          return;
        }

      g_task_return_pointer (task, json_node_ref (json_parser_get_root (parser)),
                             (GDestroyNotify) json_node_unref);
      return;
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (call->n_unauthorized++ == 0)
        {
          /* Expired or revoked: one more try with a fresh token. */
          g_debug ("%s %s: token refused, trying once more with a new one",
                   call->method, call->path);
          fw_token_source_invalidate (self->tokens, call->token);
          wipe_string (&call->token);
          step_token (task);
        }
      else
        {
          return_new_error (task, FW_API_ERROR_CREDENTIALS,
                            _("Genesys Cloud refused a fresh access token for %s %s (401 %s). "
                              "Check the OAuth client’s roles and that it is still active."),
                            call->method, path, phrase);
        }
      return;

    case 429: /* Too Many Requests, which libsoup 3.2 has no name for */
      handle_rate_limit (task, msg);
      return;

    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      retry_later (task, FAILURE_STATUS, status, NULL);
      return;

    default:
      break;
    }

  message = dup_body_message (call, body);
  /* "Forbidden (403 Forbidden): Forbidden" says nothing more. */
  if (message != NULL && g_ascii_strcasecmp (message, phrase) == 0)
    g_clear_pointer (&message, g_free);

  if (status == SOUP_STATUS_NOT_FOUND)
    return_new_error (task, FW_API_ERROR_NOT_FOUND,
                      _("Genesys Cloud has no %s (404 %s)%s%s"),
                      path, phrase, message ? ": " : ".", message ? message : "");
  else if (status == SOUP_STATUS_FORBIDDEN)
    return_new_error (task, FW_API_ERROR_FORBIDDEN,
                      _("Genesys Cloud does not let this OAuth client %s %s (403 %s)%s%s"),
                      call->method, path, phrase, message ? ": " : ".", message ? message : "");
  else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return_new_error (task, FW_API_ERROR_BAD_REQUEST,
                      _("Genesys Cloud refused %s %s (%u %s)%s%s"),
                      call->method, path, status, phrase,
                      message ? ": " : ".", message ? message : "");
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                      _("The Genesys Cloud API answered %u (%s) to %s %s%s%s"),
                      status, phrase, call->method, path,
                      message ? ": " : ".", message ? message : "");
  else
    return_new_error (task, FW_API_ERROR_INVALID_RESPONSE,
                      _("The Genesys Cloud API answered %s %s with an unexpected %u (%s)."),
                      call->method, path, status, phrase);
}

static gboolean
is_retryable_error (const GError *error)
{
  /* A certificate that does not check out will not get better: that is an
   * attack or a broken proxy, not a network hiccup. */
  if (error->domain == G_TLS_ERROR)
    return !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) &&
           !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED);

  return error->domain == G_IO_ERROR ||
         error->domain == G_RESOLVER_ERROR ||
         error->domain == SOUP_SESSION_ERROR;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Call *call = g_task_get_task_data (task);

  msg = g_object_ref (soup_session_get_async_result_message (SOUP_SESSION (object), result));
  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_clear_handle_id (&call->timeout_id, g_source_remove);

  if (error == NULL)
    g_debug ("%s %s: %u after %" G_GINT64_FORMAT " ms", call->method, call->path,
             soup_message_get_status (msg),
             (g_get_monotonic_time () - call->attempt_started_us) / 1000);

  if (caller_cancelled (task))
    {
      return_cancelled (task);
      return;
    }

  if (call->timed_out)
    {
      retry_later (task, FAILURE_TIMEOUT, 0, NULL);
      return;
    }

  if (error != NULL)
    {
      if (is_retryable_error (error))
        retry_later (task, FAILURE_NETWORK, 0, error->message);
      else
        return_new_error (task, FW_API_ERROR_UNAVAILABLE,
                          _("Could not talk to the Genesys Cloud API safely: %s"),
                          error->message);
      return;
    }

  handle_response (task, msg, body);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static void
step_send (GTask *task)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;
  gint64 now_us = g_get_monotonic_time ();

  if (now_us < self->hold_until_us)
    {
      guint wait_ms = (guint) ((self->hold_until_us - now_us + 999) / 1000);

      call->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, wait_ms, hold_done_cb,
                                          g_object_ref (task), g_object_unref);
      g_source_set_name_by_id (call->wait_id, "[floorwatch] api rate limit");
      return;
    }

  msg = soup_message_new_from_uri (call->method, call->uri);

  /* The token goes to the API host and nowhere else: no redirects. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", call->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  explicit_bzero (authorization, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", call->body);

  g_clear_object (&call->attempt_cancellable);
  call->attempt_cancellable = g_cancellable_new ();
  call->timed_out = FALSE;
  call->attempt_started_us = now_us;
  call->timeout_id = g_timeout_add (self->request_timeout_ms, attempt_timeout_cb, task);
  g_source_set_name_by_id (call->timeout_id, "[floorwatch] api request timeout");

  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT,
                                    call->attempt_cancellable, send_cb, g_object_ref (task));
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Call *call = g_task_get_task_data (task);
  char *token;

  token = fw_token_source_get_token_finish (FW_TOKEN_SOURCE (object), result, &error);

  if (caller_cancelled (task))
    {
      if (token != NULL)
        explicit_bzero (token, strlen (token));
      g_free (token);
      return_cancelled (task);
      return;
    }

  if (g_error_matches (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED))
    {
      /* Reported as FW_API_ERROR_CREDENTIALS with the token source's
       * message; fw_token_source_get_rejected() tells this case apart. */
      return_new_error (task, FW_API_ERROR_CREDENTIALS, "%s", error->message);
      return;
    }

  if (error != NULL)
    {
      retry_later (task, FAILURE_TOKEN, 0, error->message);
      return;
    }

  wipe_string (&call->token);
  call->token = token;
  step_send (task);
}

static void
step_token (GTask *task)
{
  FwApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  g_clear_object (&call->attempt_cancellable);
  call->attempt_cancellable = g_cancellable_new ();
  fw_token_source_get_token_async (self->tokens, call->attempt_cancellable,
                                   token_cb, g_object_ref (task));
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->cancel_source, g_source_unref);

  if (call->wait_id != 0)
    {
      /* Between attempts nothing else would notice. */
      return_cancelled (task);
    }
  else if (call->attempt_cancellable != NULL)
    {
      /* The attempt's callback finishes the call. */
      g_cancellable_cancel (call->attempt_cancellable);
    }

  return G_SOURCE_REMOVE;
}

static void
fw_api_dispose (GObject *object)
{
  FwApi *self = (FwApi *)object;

  g_clear_object (&self->soup);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (fw_api_parent_class)->dispose (object);
}

static void
fw_api_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  FwApi *self = FW_API (object);

  switch (prop_id)
    {
    case PROP_SOUP_SESSION:
      g_value_set_object (value, self->soup);
      break;

    case PROP_TOKEN_SOURCE:
      g_value_set_object (value, self->tokens);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout_ms);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    case PROP_BACKOFF_INITIAL:
      g_value_set_uint (value, self->backoff_initial_ms);
      break;

    case PROP_BACKOFF_CAP:
      g_value_set_uint (value, self->backoff_cap_ms);
      break;

    case PROP_MAX_RETRY_AFTER:
      g_value_set_uint (value, self->max_retry_after_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint (FwApi        *self,
          guint        *field,
          const GValue *value,
          GParamSpec   *pspec)
{
  if (*field != g_value_get_uint (value))
    {
      *field = g_value_get_uint (value);
      g_object_notify_by_pspec (G_OBJECT (self), pspec);
    }
}

static void
fw_api_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  FwApi *self = FW_API (object);

  switch (prop_id)
    {
    case PROP_SOUP_SESSION:
      self->soup = g_value_dup_object (value);
      break;

    case PROP_TOKEN_SOURCE:
      self->tokens = g_value_dup_object (value);
      break;

    case PROP_REQUEST_TIMEOUT:
      set_uint (self, &self->request_timeout_ms, value, pspec);
      break;

    case PROP_MAX_RETRIES:
      set_uint (self, &self->max_retries, value, pspec);
      break;

    case PROP_BACKOFF_INITIAL:
      set_uint (self, &self->backoff_initial_ms, value, pspec);
      break;

    case PROP_BACKOFF_CAP:
      set_uint (self, &self->backoff_cap_ms, value, pspec);
      break;

    case PROP_MAX_RETRY_AFTER:
      set_uint (self, &self->max_retry_after_ms, value, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_api_class_init (FwApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  object_class->dispose = fw_api_dispose;
  object_class->get_property = fw_api_get_property;
  object_class->set_property = fw_api_set_property;

  properties[PROP_SOUP_SESSION] =
    g_param_spec_object ("soup-session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOKEN_SOURCE] =
    g_param_spec_object ("token-source", NULL, NULL,
                         FW_TYPE_TOKEN_SOURCE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* Per attempt, in ms. */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       1, G_MAXUINT, 30000, flags);

  /* Further attempts after 502/503/504, network errors and timeouts. */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 100, 4, flags);

  properties[PROP_BACKOFF_INITIAL] =
    g_param_spec_uint ("backoff-initial", NULL, NULL,
                       1, G_MAXINT32 - 1, 500, flags);

  properties[PROP_BACKOFF_CAP] =
    g_param_spec_uint ("backoff-cap", NULL, NULL,
                       1, G_MAXINT32 - 1, 60000, flags);

  /* The longest a call waits in total on Retry-After before giving up (ms). */
  properties[PROP_MAX_RETRY_AFTER] =
    g_param_spec_uint ("max-retry-after", NULL, NULL,
                       0, G_MAXUINT, 180000, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_api_init (FwApi *self)
{
}

FwApi *
fw_api_new (SoupSession   *soup,
            FwTokenSource *tokens)
{
  g_return_val_if_fail (SOUP_IS_SESSION (soup), NULL);
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (tokens), NULL);

  return g_object_new (FW_TYPE_API,
                       "soup-session", soup,
                       "token-source", tokens,
                       NULL);
}

SoupSession *
fw_api_get_soup_session (FwApi *self)
{
  g_return_val_if_fail (FW_IS_API (self), NULL);

  return self->soup;
}

FwTokenSource *
fw_api_get_token_source (FwApi *self)
{
  g_return_val_if_fail (FW_IS_API (self), NULL);

  return self->tokens;
}

FwEnvironment *
fw_api_get_environment (FwApi *self)
{
  g_return_val_if_fail (FW_IS_API (self), NULL);

  return fw_token_source_get_environment (self->tokens);
}

static gboolean
is_api_path (const char *path)
{
  const char *end;

  if (!g_str_has_prefix (path, "/api/v2/"))
    return FALSE;

  for (const char *p = path; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || *p == '#' || *p == '\\')
        return FALSE;
    }

  /* No dot segments that could climb out of /api/v2/. */
  end = strchr (path, '?');
  if (end == NULL)
    end = path + strlen (path);
  for (const char *p = path; p < end; p++)
    {
      if (p[0] == '/' && p[1] == '.' &&
          (p + 2 == end || p[2] == '/' || (p[2] == '.' && (p + 3 == end || p[3] == '/'))))
        return FALSE;
      if (p[0] == '%' && p + 2 < end && p[1] == '2' && (p[2] == 'e' || p[2] == 'E'))
        return FALSE;
    }

  return TRUE;
}

void
fw_api_call_async (FwApi               *self,
                   const char          *method,
                   const char          *path,
                   JsonNode            *body,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  static const char * const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", NULL };
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) api_base = NULL;
  g_autofree char *uri = NULL;
  Call *call;

  g_return_if_fail (FW_IS_API (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_api_call_async);

  if (method == NULL || !g_strv_contains (methods, method))
    {
      g_task_return_new_error (task, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST,
                               _("“%s” is not an HTTP method the Genesys Cloud API knows."),
                               method ? method : "(null)");
      return;
    }

  if (path == NULL || !is_api_path (path))
    {
      g_autofree char *shown = path ? g_strescape (path, NULL) : g_strdup ("(null)");

      g_task_return_new_error (task, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST,
                               _("“%s” is not a Genesys Cloud API path "
                                 "(they start with “/api/v2/”)."),
                               shown);
      return;
    }

  call = g_new0 (Call, 1);
  g_task_set_task_data (task, call, call_free);
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->backoff = fw_backoff_new (self->backoff_initial_ms, self->backoff_cap_ms,
                                  BACKOFF_STABLE_MS);

  /* Only ever the environment's API host, whatever the path holds. */
  uri = g_strconcat (fw_environment_get_api_base (fw_api_get_environment (self)), path, NULL);
  call->uri = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  api_base = g_uri_parse (fw_environment_get_api_base (fw_api_get_environment (self)),
                          SOUP_HTTP_URI_FLAGS, NULL);
  if (call->uri == NULL || api_base == NULL ||
      g_strcmp0 (g_uri_get_host (call->uri), g_uri_get_host (api_base)) != 0 ||
      g_uri_get_port (call->uri) != g_uri_get_port (api_base) ||
      g_uri_get_userinfo (call->uri) != NULL)
    {
      g_task_return_new_error (task, FW_API_ERROR, FW_API_ERROR_BAD_REQUEST,
                               _("“%s” is not a Genesys Cloud API path "
                                 "(they start with “/api/v2/”)."),
                               path);
      return;
    }

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize len = 0;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      call->body = g_bytes_new_take (text, len);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (caller_cancelled_cb), task, NULL);
      g_source_attach (call->cancel_source, g_task_get_context (task));
    }

  step_token (task);
}

JsonNode *
fw_api_call_finish (FwApi         *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (FW_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_api_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
