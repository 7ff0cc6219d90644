/* fw-token-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-token-source"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fw-backoff.h"
#include "fw-json-private.h"
#include "fw-token-source.h"

/* Genesys Cloud hands out tokens for 300 s to 172800 s; anything past ten
 * days is treated as ten days so that the timers stay in range. */
#define MAX_LIFETIME_S    (10 * 24 * 3600)
/* A token is no longer handed out this close to its expiry (at most 10 s,
 * at most a tenth of its life), so a call made with it does not arrive late. */
#define MAX_EXPIRY_MARGIN_US (10 * G_USEC_PER_SEC)
#define MAX_TOKEN_LENGTH  8192

struct _FwTokenSource
{
  GObject        parent_instance;

  SoupSession   *soup;
  FwEnvironment *environment;
  char          *client_id;
  FwTokenGrant   grant;
  /* These live in memory that is wiped before it is freed.  A person's token
   * source has no secret, and a refresh token only if the server gave one. */
  char          *secret;
  char          *refresh_token;
  char          *token;

  /* Real time, not monotonic: a suspended laptop wakes up with expired tokens. */
  gint64         obtained_us;
  gint64         expires_us;
  gint64         renew_us;

  double         renew_fraction;
  guint          request_timeout_ms;
  guint          renew_retry_interval_ms;
  guint          min_renew_lead_ms;

  gboolean       rejected;
  char          *rejected_message;
  gboolean       sign_in_needed;

  /* The one grant in flight, shared by every waiting caller. */
  SoupMessage   *grant_msg;
  GCancellable  *grant_cancellable;
  guint          grant_timeout_id;
  gboolean       grant_timed_out;
  gint64         grant_started_us;
  GQueue         waiters;
  /* The grant in flight was cancelled because new user tokens came in. */
  gboolean       grant_superseded;

  guint          renew_id;
  FwBackoff     *renew_backoff;
};

typedef struct
{
  FwTokenSource *self;
  GTask         *task;
  GSource       *cancel_source;
} Waiter;

enum {
  PROP_0,
  PROP_SOUP_SESSION,
  PROP_ENVIRONMENT,
  PROP_CLIENT_ID,
  PROP_RENEW_FRACTION,
  PROP_REQUEST_TIMEOUT,
  PROP_RENEW_RETRY_INTERVAL,
  PROP_MIN_RENEW_LEAD,
  PROP_REJECTED,
  PROP_EXPIRES_AT,
  PROP_SIGN_IN_NEEDED,
  N_PROPS
};

enum {
  USER_TOKENS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FwTokenSource, fw_token_source, G_TYPE_OBJECT)

G_DEFINE_QUARK (fw-token-error-quark, fw_token_error)

static void start_grant (FwTokenSource *self);

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
wipe_and_free (gpointer data)
{
  char *str = data;

  explicit_bzero (str, strlen (str));
  g_free (str);
}

static void
forget_token (FwTokenSource *self)
{
  wipe_string (&self->token);
  self->obtained_us = 0;
  self->expires_us = 0;
  self->renew_us = 0;
  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

static void
set_sign_in_needed (FwTokenSource *self,
                    gboolean       sign_in_needed)
{
  if (self->sign_in_needed == sign_in_needed)
    return;

  self->sign_in_needed = sign_in_needed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_NEEDED]);
}

static gint64
expiry_margin (FwTokenSource *self)
{
  return MIN (MAX_EXPIRY_MARGIN_US, (self->expires_us - self->obtained_us) / 10);
}

static gboolean
has_usable_token (FwTokenSource *self,
                  gint64         now_us)
{
  return self->token != NULL && now_us < self->expires_us - expiry_margin (self);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  FwTokenSource *self = waiter->self;

  g_queue_remove (&self->waiters, waiter);
  g_task_return_error_if_cancelled (waiter->task);
  waiter_free (waiter);

  return G_SOURCE_REMOVE;
}

static void
finish_waiters (FwTokenSource *self,
                const GError  *error)
{
  Waiter *waiter;

  while ((waiter = g_queue_pop_head (&self->waiters)))
    {
      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_strdup (self->token), g_free);
      waiter_free (waiter);
    }
}

static gboolean
renew_cb (gpointer user_data)
{
  FwTokenSource *self = user_data;

  self->renew_id = 0;

  if (self->grant == FW_TOKEN_GRANT_NONE)
    {
      /* Nothing can renew it: ask the person to sign in before it runs out. */
      g_debug ("The access token cannot be renewed; the person must sign in again");
      set_sign_in_needed (self, TRUE);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Renewing the access token ahead of its expiry");
  start_grant (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_renewal_at (FwTokenSource *self,
                     gint64         when_us)
{
  gint64 delay_ms = MAX (0, (when_us - g_get_real_time ()) / 1000);

  g_clear_handle_id (&self->renew_id, g_source_remove);
  self->renew_id = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), renew_cb, self);
  g_source_set_name_by_id (self->renew_id, "[floorwatch] token renewal");
}

/* Installs @token obtained at @obtained_us (real time) for @lifetime_ms. */
static void
install_token_at (FwTokenSource *self,
                  const char    *token,
                  gint64         obtained_us,
                  gint64         lifetime_ms)
{
  gint64 renew_ms;
  gint64 lead_ms;

  /* Renew at the configured share of the lifetime, but leave at least
   * "min-renew-lead" for the renewal to go through (never before half of
   * the lifetime, so that short-lived tokens are not renewed in a loop). */
  renew_ms = (gint64) (lifetime_ms * self->renew_fraction);
  lead_ms = lifetime_ms - renew_ms;
  if (lead_ms < self->min_renew_lead_ms)
    renew_ms = MIN (renew_ms, MAX (lifetime_ms - self->min_renew_lead_ms, lifetime_ms / 2));

  wipe_string (&self->token);
  self->token = g_strdup (token);
  self->obtained_us = obtained_us;
  self->expires_us = obtained_us + lifetime_ms * 1000;
  self->renew_us = obtained_us + renew_ms * 1000;
  fw_backoff_reset (self->renew_backoff);

  schedule_renewal_at (self, self->renew_us);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);

  g_debug ("Access token renewed, expires in %" G_GINT64_FORMAT " s, next renewal in %"
           G_GINT64_FORMAT " s", lifetime_ms / 1000, renew_ms / 1000);
}

static void
install_token (FwTokenSource *self,
               const char    *token,
               gint64         expires_in_s)
{
  install_token_at (self, token, self->grant_started_us, MIN (expires_in_s, MAX_LIFETIME_S) * 1000);
}

/* Takes a person's tokens: the access token while it lasts, the refresh
 * token (if any) to renew it. */
static void
apply_user_tokens (FwTokenSource *self,
                   FwUserTokens  *tokens)
{
  const char *access_token = fw_user_tokens_get_access_token (tokens);
  const char *refresh_token = fw_user_tokens_get_refresh_token (tokens);
  gint64 obtained_us = fw_user_tokens_get_obtained_at (tokens);
  gint64 expires_us = fw_user_tokens_get_expires_at (tokens);

  wipe_string (&self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
  self->grant = refresh_token != NULL ? FW_TOKEN_GRANT_REFRESH_TOKEN : FW_TOKEN_GRANT_NONE;

  forget_token (self);
  if (access_token != NULL && expires_us > obtained_us && expires_us > g_get_real_time ())
    install_token_at (self, access_token, obtained_us,
                      MIN ((expires_us - obtained_us) / 1000, (gint64) MAX_LIFETIME_S * 1000));
}

/* The message for a person whose sign-in can no longer give tokens. */
static GError *
new_sign_in_ended_error (FwTokenSource *self,
                         const char    *oauth_error)
{
  const char *name = fw_environment_get_name (self->environment);

  if (oauth_error != NULL &&
      (g_str_equal (oauth_error, "invalid_client") ||
       g_str_equal (oauth_error, "unauthorized_client")))
    return g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED,
                        _("Genesys Cloud no longer accepts the sign-in client “%s” (%s). "
                          "Check the OAuth client for %s."),
                        self->client_id, oauth_error, name);

  if (oauth_error != NULL)
    return g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED,
                        _("Your sign-in to %s has ended: the login server refused to renew "
                          "it (%s). Sign in again."), name, oauth_error);

  return g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED,
                      _("Your sign-in to %s has expired. Sign in again."), name);
}

static gboolean
is_token_text (const char *token)
{
  gsize len = strlen (token);

  if (len == 0 || len > MAX_TOKEN_LENGTH)
    return FALSE;

  /* It goes into a header: printable ASCII, no spaces. */
  for (gsize i = 0; i < len; i++)
    {
      if ((guchar) token[i] <= ' ' || (guchar) token[i] >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* Reads the "error" member of an OAuth error answer, if there is one. */
static char *
dup_oauth_error (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *code;
  gsize len = 0;
  const char *data;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &len);
  object = _fw_json_parse_object (parser, data, len);
  if (object == NULL)
    return NULL;

  if (!json_object_has_member (object, "error") ||
      json_node_get_value_type (json_object_get_member (object, "error")) != G_TYPE_STRING)
    return NULL;

  code = json_object_get_string_member (object, "error");
  /* Only the short, known-shaped code goes into messages. */
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.')
        return NULL;
    }

  return g_strndup (code, 64);
}

static gboolean
parse_grant (FwTokenSource  *self,
             GBytes         *body,
             char          **token,
             gint64         *expires_in_s,
             GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *node;
  const char *data;
  gsize len = 0;

  data = g_bytes_get_data (body, &len);
  object = _fw_json_parse_object (parser, data, len);
  if (object == NULL)
    goto invalid;

  node = json_object_get_member (object, "access_token");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      !is_token_text (json_node_get_string (node)))
    goto invalid;

  node = json_object_get_member (object, "token_type");
  if (node != NULL &&
      (json_node_get_value_type (node) != G_TYPE_STRING ||
       g_ascii_strcasecmp (json_node_get_string (node), "bearer") != 0))
    goto invalid;

  node = json_object_get_member (object, "expires_in");
  if (!_fw_json_node_get_int64 (node, expires_in_s) || *expires_in_s <= 0)
    goto invalid;

  *token = g_strdup (json_object_get_string_member (object, "access_token"));
  return TRUE;

invalid:
  g_set_error (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED,
               _("The login server at %s answered with something that is not an access token."),
               fw_environment_get_login_base (self->environment));
  return FALSE;
}

static void
grant_failed (FwTokenSource *self,
              GError        *error)
{
  gint64 now_us = g_get_real_time ();

  g_debug ("Token grant failed: %s", error->message);

  if (g_error_matches (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED))
    {
      /* Fatal until the user fixes the credentials: no further grant. */
      forget_token (self);
      if (self->grant != FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
        {
          wipe_string (&self->refresh_token);
          set_sign_in_needed (self, TRUE);
        }
      g_free (self->rejected_message);
      self->rejected_message = g_strdup (error->message);
      self->rejected = TRUE;
      finish_waiters (self, error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTED]);
      return;
    }

  finish_waiters (self, error);

  /* A renewal that failed: keep the old token while it lasts and try again
   * soon.  Without a usable token the callers decide when to try again. */
  if (has_usable_token (self, now_us))
    {
      gint64 retry_us = now_us + (gint64) fw_backoff_next_delay (self->renew_backoff,
                                                                 g_get_monotonic_time ()) * 1000;

      schedule_renewal_at (self, MIN (retry_us, self->expires_us - expiry_margin (self)));
    }
  else if (self->token != NULL)
    {
      forget_token (self);
    }
}

/* A person's renewal went through: new access token, maybe a new refresh token. */
static void
install_user_grant (FwTokenSource *self,
                    GBytes        *body)
{
  g_autoptr(FwUserTokens) tokens = NULL;
  g_autoptr(FwUserTokens) current = NULL;
  g_autoptr(GError) error = NULL;
  gint64 obtained_us;

  tokens = fw_user_tokens_new_from_response (body, self->grant_started_us, &error);
  if (tokens == NULL)
    {
      g_autoptr(GError) failure = NULL;

      failure = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED, "%s (%s)", error->message,
                             fw_environment_get_login_base (self->environment));
      grant_failed (self, failure);
      return;
    }

  /* A login server that does not rotate refresh tokens sends none back:
   * the one we have stays good. */
  if (fw_user_tokens_get_refresh_token (tokens) != NULL)
    {
      wipe_string (&self->refresh_token);
      self->refresh_token = g_strdup (fw_user_tokens_get_refresh_token (tokens));
    }

  obtained_us = fw_user_tokens_get_obtained_at (tokens);
  install_token_at (self, fw_user_tokens_get_access_token (tokens), obtained_us,
                    (fw_user_tokens_get_expires_at (tokens) - obtained_us) / 1000);

  current = fw_token_source_dup_user_tokens (self);
  g_signal_emit (self, signals[USER_TOKENS_CHANGED], 0, current);
  finish_waiters (self, NULL);
}

/* New user tokens replaced those of a grant that was in flight: serve
 * whoever waited for it with what is there now. */
static void
serve_waiters (FwTokenSource *self)
{
  if (g_queue_is_empty (&self->waiters))
    return;

  if (has_usable_token (self, g_get_real_time ()))
    {
      finish_waiters (self, NULL);
    }
  else if (self->grant == FW_TOKEN_GRANT_NONE)
    {
      g_autoptr(GError) error = new_sign_in_ended_error (self, NULL);

      grant_failed (self, error);
    }
  else
    {
      start_grant (self);
    }
}

static void
grant_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FwTokenSource) self = user_data;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&self->grant_msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_error = NULL;
  const char *login = fw_environment_get_login_base (self->environment);
  char *token = NULL;
  gint64 expires_in_s = 0;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_clear_handle_id (&self->grant_timeout_id, g_source_remove);
  g_clear_object (&self->grant_cancellable);

  if (self->grant_superseded)
    {
      self->grant_superseded = FALSE;
      serve_waiters (self);
      return;
    }

  if (error != NULL)
    {
      GError *failure;

      if (self->grant_timed_out)
        failure = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED,
                               _("The login server at %s did not answer within %u ms."),
                               login, self->request_timeout_ms);
      else
        failure = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED,
                               _("Could not reach the login server at %s: %s"),
                               login, error->message);
      grant_failed (self, failure);
      g_error_free (failure);
      return;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_OK && self->grant != FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
    {
      install_user_grant (self, body);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(GError) parse_error = NULL;

      if (!parse_grant (self, body, &token, &expires_in_s, &parse_error))
        {
          grant_failed (self, parse_error);
          return;
        }

      install_token (self, token, expires_in_s);
      explicit_bzero (token, strlen (token));
      g_free (token);
      finish_waiters (self, NULL);
      return;
    }

  oauth_error = dup_oauth_error (body);

  /* A refresh token the server refuses (revoked, expired, already spent)
   * cannot be fixed by trying again: the person must sign in. */
  if (self->grant != FW_TOKEN_GRANT_CLIENT_CREDENTIALS &&
      (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED) &&
      oauth_error != NULL &&
      (g_str_equal (oauth_error, "invalid_grant") ||
       g_str_equal (oauth_error, "invalid_client") ||
       g_str_equal (oauth_error, "unauthorized_client")))
    {
      g_autoptr(GError) rejected = new_sign_in_ended_error (self, oauth_error);

      grant_failed (self, rejected);
      return;
    }

  /* UNCONFIRMED: Genesys Cloud answers a bad client id or secret with
   * invalid_client, with status 400 according to some and 401 according to
   * others; both are taken as a rejection.  unauthorized_client (the client
   * may not use this grant) cannot be fixed by retrying either. */
  if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED) &&
      oauth_error != NULL &&
      (g_str_equal (oauth_error, "invalid_client") ||
       g_str_equal (oauth_error, "unauthorized_client")))
    {
      g_autoptr(GError) rejected = NULL;

      rejected = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED,
                              _("Genesys Cloud rejected the client id “%s” or its secret (%s). "
                                "Check the OAuth client’s credentials for %s."),
                              self->client_id, oauth_error,
                              fw_environment_get_name (self->environment));
      grant_failed (self, rejected);
      return;
    }

  {
    g_autoptr(GError) failure = NULL;

    if (oauth_error != NULL)
      failure = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED,
                             _("The login server at %s answered %u (%s) with error “%s”."),
                             login, status, soup_status_get_phrase (status), oauth_error);
    else
      failure = g_error_new (FW_TOKEN_ERROR, FW_TOKEN_ERROR_FAILED,
                             _("The login server at %s answered %u (%s)."),
                             login, status, soup_status_get_phrase (status));
    grant_failed (self, failure);
  }
}

static gboolean
grant_timeout_cb (gpointer user_data)
{
  FwTokenSource *self = user_data;

  self->grant_timeout_id = 0;
  self->grant_timed_out = TRUE;
  g_cancellable_cancel (self->grant_cancellable);

  return G_SOURCE_REMOVE;
}

static void
start_grant (FwTokenSource *self)
{
  static const char form[] = "grant_type=client_credentials";
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *authorization = NULL;

  g_assert (!self->rejected);
  g_assert (self->grant != FW_TOKEN_GRANT_NONE);

  if (self->grant_msg != NULL)
    return;

  g_clear_handle_id (&self->renew_id, g_source_remove);

  uri = g_strconcat (fw_environment_get_login_base (self->environment), "/oauth/token", NULL);
  self->grant_msg = soup_message_new (SOUP_METHOD_POST, uri);
  g_assert (self->grant_msg != NULL);

  /* The secret goes to the login host and nowhere else: no redirects. */
  soup_message_add_flags (self->grant_msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (self->grant_msg),
                                "Accept", "application/json");

  if (self->grant == FW_TOKEN_GRANT_CLIENT_CREDENTIALS)
    {
      pair = g_strconcat (self->client_id, ":", self->secret, NULL);
      encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      authorization = g_strconcat ("Basic ", encoded, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (self->grant_msg),
                                    "Authorization", authorization);
      explicit_bzero (pair, strlen (pair));
      explicit_bzero (encoded, strlen (encoded));
      explicit_bzero (authorization, strlen (authorization));

      body = g_bytes_new_static (form, strlen (form));
    }
  else
    {
      char *refresh_form;

      /* A public client names itself in the form and has no secret
       * (RFC 6749 §6).  UNCONFIRMED: Genesys Cloud documents the refresh
       * grant for clients with a secret; a PKCE client is assumed to send
       * its id the way the code exchange does. */
      refresh_form = soup_form_encode ("grant_type", "refresh_token",
                                       "refresh_token", self->refresh_token,
                                       "client_id", self->client_id,
                                       NULL);
      body = g_bytes_new_with_free_func (refresh_form, strlen (refresh_form),
                                         wipe_and_free, refresh_form);
    }

  soup_message_set_request_body_from_bytes (self->grant_msg,
                                            "application/x-www-form-urlencoded", body);

  self->grant_cancellable = g_cancellable_new ();
  self->grant_timed_out = FALSE;
  self->grant_started_us = g_get_real_time ();
  self->grant_timeout_id = g_timeout_add (self->request_timeout_ms, grant_timeout_cb, self);
  g_source_set_name_by_id (self->grant_timeout_id, "[floorwatch] token grant timeout");

  g_debug ("Requesting an access token from %s", fw_environment_get_login_base (self->environment));

  soup_session_send_and_read_async (self->soup, self->grant_msg, G_PRIORITY_DEFAULT,
                                    self->grant_cancellable, grant_cb, g_object_ref (self));
}

static void
fw_token_source_dispose (GObject *object)
{
  FwTokenSource *self = (FwTokenSource *)object;

  /* A grant in flight holds a reference, so none is running here. */
  g_assert (self->grant_msg == NULL);
  g_assert (g_queue_is_empty (&self->waiters));

  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_clear_handle_id (&self->grant_timeout_id, g_source_remove);
  g_clear_object (&self->soup);
  g_clear_object (&self->environment);

  G_OBJECT_CLASS (fw_token_source_parent_class)->dispose (object);
}

static void
fw_token_source_finalize (GObject *object)
{
  FwTokenSource *self = (FwTokenSource *)object;

  wipe_string (&self->secret);
  wipe_string (&self->refresh_token);
  wipe_string (&self->token);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->rejected_message, g_free);
  g_clear_pointer (&self->renew_backoff, fw_backoff_free);

  G_OBJECT_CLASS (fw_token_source_parent_class)->finalize (object);
}

static void
fw_token_source_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FwTokenSource *self = FW_TOKEN_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SOUP_SESSION:
      g_value_set_object (value, self->soup);
      break;

    case PROP_ENVIRONMENT:
      g_value_set_object (value, self->environment);
      break;

    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_RENEW_FRACTION:
      g_value_set_double (value, self->renew_fraction);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout_ms);
      break;

    case PROP_RENEW_RETRY_INTERVAL:
      g_value_set_uint (value, self->renew_retry_interval_ms);
      break;

    case PROP_MIN_RENEW_LEAD:
      g_value_set_uint (value, self->min_renew_lead_ms);
      break;

    case PROP_REJECTED:
      g_value_set_boolean (value, self->rejected);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->token != NULL ? self->expires_us : 0);
      break;

    case PROP_SIGN_IN_NEEDED:
      g_value_set_boolean (value, self->sign_in_needed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_token_source_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FwTokenSource *self = FW_TOKEN_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SOUP_SESSION:
      self->soup = g_value_dup_object (value);
      break;

    case PROP_ENVIRONMENT:
      self->environment = g_value_dup_object (value);
      break;

    case PROP_CLIENT_ID:
      self->client_id = g_value_dup_string (value);
      break;

    case PROP_RENEW_FRACTION:
      if (self->renew_fraction != g_value_get_double (value))
        {
          self->renew_fraction = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_REQUEST_TIMEOUT:
      if (self->request_timeout_ms != g_value_get_uint (value))
        {
          self->request_timeout_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RENEW_RETRY_INTERVAL:
      if (self->renew_retry_interval_ms != g_value_get_uint (value))
        {
          self->renew_retry_interval_ms = g_value_get_uint (value);
          g_clear_pointer (&self->renew_backoff, fw_backoff_free);
          self->renew_backoff = fw_backoff_new (self->renew_retry_interval_ms, 60000, 0);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_MIN_RENEW_LEAD:
      if (self->min_renew_lead_ms != g_value_get_uint (value))
        {
          self->min_renew_lead_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_token_source_class_init (FwTokenSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_token_source_dispose;
  object_class->finalize = fw_token_source_finalize;
  object_class->get_property = fw_token_source_get_property;
  object_class->set_property = fw_token_source_set_property;

  properties[PROP_SOUP_SESSION] =
    g_param_spec_object ("soup-session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENVIRONMENT] =
    g_param_spec_object ("environment", NULL, NULL,
                         FW_TYPE_ENVIRONMENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* Renew when this share of expires_in has passed. */
  properties[PROP_RENEW_FRACTION] =
    g_param_spec_double ("renew-fraction", NULL, NULL,
                         0.05, 0.95, 0.8,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       1, G_MAXUINT, 30000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /* The first delay before a failed renewal is tried again (ms); it doubles
   * up to a minute while the old token is still good. */
  properties[PROP_RENEW_RETRY_INTERVAL] =
    g_param_spec_uint ("renew-retry-interval", NULL, NULL,
                       1, 60000, 5000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /* Renewal starts at least this long (ms) before expiry, however late
   * "renew-fraction" puts it, unless that is before half of the lifetime. */
  properties[PROP_MIN_RENEW_LEAD] =
    g_param_spec_uint ("min-renew-lead", NULL, NULL,
                       0, G_MAXUINT, 60000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_REJECTED] =
    g_param_spec_boolean ("rejected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* When the current token expires (g_get_real_time() µs), 0 without one. */
  properties[PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* TRUE when a person's sign-in cannot give tokens much longer: no refresh
   * token and the renewal time came, or the sign-in was rejected. */
  properties[PROP_SIGN_IN_NEEDED] =
    g_param_spec_boolean ("sign-in-needed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[USER_TOKENS_CHANGED] =
    g_signal_new ("user-tokens-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FW_TYPE_USER_TOKENS);
}

static void
fw_token_source_init (FwTokenSource *self)
{
  g_queue_init (&self->waiters);
}

FwTokenSource *
fw_token_source_new (SoupSession   *soup,
                     FwEnvironment *environment,
                     const char    *client_id,
                     const char    *secret)
{
  FwTokenSource *self;

  g_return_val_if_fail (SOUP_IS_SESSION (soup), NULL);
  g_return_val_if_fail (FW_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = g_object_new (FW_TYPE_TOKEN_SOURCE,
                       "soup-session", soup,
                       "environment", environment,
                       "client-id", client_id,
                       NULL);
  self->secret = g_strdup (secret);

  return self;
}

FwEnvironment *
fw_token_source_get_environment (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), NULL);

  return self->environment;
}

const char *
fw_token_source_get_client_id (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), NULL);

  return self->client_id;
}

gboolean
fw_token_source_get_rejected (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), FALSE);

  return self->rejected;
}

void
fw_token_source_get_token_async (FwTokenSource       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 now_us = g_get_real_time ();
  Waiter *waiter;

  g_return_if_fail (FW_IS_TOKEN_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_token_source_get_token_async);

  if (self->rejected)
    {
      g_task_return_new_error (task, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED,
                               "%s", self->rejected_message);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (has_usable_token (self, now_us))
    {
      /* Past the renewal time without a renewal under way happens after a
       * suspend, when the timer had no chance to fire on time. */
      if (now_us >= self->renew_us && self->grant_msg == NULL && self->renew_id == 0)
        {
          if (self->grant == FW_TOKEN_GRANT_NONE)
            set_sign_in_needed (self, TRUE);
          else
            start_grant (self);
        }

      g_task_return_pointer (task, g_strdup (self->token), g_free);
      return;
    }

  if (self->token != NULL)
    forget_token (self);

  if (self->grant == FW_TOKEN_GRANT_NONE)
    {
      g_autoptr(GError) error = new_sign_in_ended_error (self, NULL);

      grant_failed (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->self = self;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_queue_push_tail (&self->waiters, waiter);

  start_grant (self);
}

char *
fw_token_source_get_token_finish (FwTokenSource  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_token_source_get_token_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fw_token_source_invalidate (FwTokenSource *self,
                            const char    *token)
{
  g_return_if_fail (FW_IS_TOKEN_SOURCE (self));

  if (token == NULL || self->token == NULL || strcmp (token, self->token) != 0)
    return;

  g_debug ("The access token was refused; a new one will be requested");
  forget_token (self);
}

FwTokenSource *
fw_token_source_new_for_user (SoupSession   *soup,
                              FwEnvironment *environment,
                              const char    *client_id,
                              FwUserTokens  *tokens)
{
  FwTokenSource *self;

  g_return_val_if_fail (SOUP_IS_SESSION (soup), NULL);
  g_return_val_if_fail (FW_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (FW_IS_USER_TOKENS (tokens), NULL);

  self = g_object_new (FW_TYPE_TOKEN_SOURCE,
                       "soup-session", soup,
                       "environment", environment,
                       "client-id", client_id,
                       NULL);
  apply_user_tokens (self, tokens);

  return self;
}

FwTokenGrant
fw_token_source_get_grant (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), FW_TOKEN_GRANT_CLIENT_CREDENTIALS);

  return self->grant;
}

FwUserTokens *
fw_token_source_dup_user_tokens (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), NULL);

  if (self->grant == FW_TOKEN_GRANT_CLIENT_CREDENTIALS || self->rejected ||
      (self->token == NULL && self->refresh_token == NULL))
    return NULL;

  return fw_user_tokens_new (self->token, self->refresh_token, self->obtained_us,
                             self->expires_us);
}

void
fw_token_source_set_user_tokens (FwTokenSource *self,
                                 FwUserTokens  *tokens)
{
  g_return_if_fail (FW_IS_TOKEN_SOURCE (self));
  g_return_if_fail (FW_IS_USER_TOKENS (tokens));
  g_return_if_fail (self->grant != FW_TOKEN_GRANT_CLIENT_CREDENTIALS);

  /* A renewal still in flight belongs to the old sign-in. */
  if (self->grant_msg != NULL)
    {
      self->grant_superseded = TRUE;
      g_cancellable_cancel (self->grant_cancellable);
    }

  apply_user_tokens (self, tokens);
  fw_backoff_reset (self->renew_backoff);
  g_clear_pointer (&self->rejected_message, g_free);
  set_sign_in_needed (self, FALSE);
  if (self->rejected)
    {
      self->rejected = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTED]);
    }
}

gboolean
fw_token_source_get_sign_in_needed (FwTokenSource *self)
{
  g_return_val_if_fail (FW_IS_TOKEN_SOURCE (self), FALSE);

  return self->sign_in_needed;
}
