/* fw-pkce-login.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Genesys Cloud facts used here (from its OAuth documentation):
 *   authorize: https://login.<domain>/oauth/authorize?client_id&response_type=code
 *              &redirect_uri&code_challenge&code_challenge_method=S256&state
 *   token:     POST https://login.<domain>/oauth/token, form
 *              grant_type=authorization_code&code&redirect_uri&client_id&code_verifier
 *              (no secret for a PKCE client) → {"access_token", "token_type":
 *              "bearer", "expires_in", maybe "refresh_token"}
 * UNCONFIRMED: whether Genesys matches a loopback redirect URI whatever its
 * port (RFC 8252 §7.3 says it should); if it does not, register
 * http://127.0.0.1:PORT/callback with a fixed port and set "port".
 */

#define G_LOG_DOMAIN "fw-pkce-login"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/random.h>

#include "fw-json-private.h"
#include "fw-pkce-login.h"

#define CALLBACK_PATH        "/callback"
#define VERIFIER_BYTES       32     /* 43 characters of base64url */
#define STATE_BYTES          16
#define MAX_PARAM_LENGTH     4096
/* After the last page went out, the listener goes at the latest after this. */
#define SHUTDOWN_GRACE_MS    2000

struct _FwPkceLogin
{
  GObject            parent_instance;

  SoupSession       *soup;
  FwEnvironment     *environment;
  char              *client_id;
  guint              port;
  guint              timeout_ms;
  guint              request_timeout_ms;

  /* The sign-in under way. */
  GTask             *task;
  GSource           *cancel_source;
  guint              timeout_id;
  char              *verifier;          /* wiped */
  char              *state;
  char              *redirect_uri;
  char              *authorize_uri;

  /* The loopback listener; it outlives the task until the last page is sent. */
  SoupServer        *server;
  guint              shutdown_id;

  /* The browser's request, paused while its code is exchanged. */
  SoupServerMessage *callback_msg;
  SoupMessage       *exchange_msg;
  GCancellable      *exchange_cancellable;
  guint              exchange_timeout_id;
  gboolean           exchange_timed_out;
  gint64             exchange_started_us;
};

enum {
  PROP_0,
  PROP_SOUP_SESSION,
  PROP_ENVIRONMENT,
  PROP_CLIENT_ID,
  PROP_PORT,
  PROP_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_AUTHORIZE_URI,
  PROP_REDIRECT_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FwPkceLogin, fw_pkce_login, G_TYPE_OBJECT)

G_DEFINE_QUARK (fw-pkce-login-error-quark, fw_pkce_login_error)

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

/* ---- PKCE ---- */

/* getrandom(2) draws from the kernel's CSPRNG (g_random is not one). */
static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not get random bytes for the sign-in: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }

  return TRUE;
}

/* RFC 4648 §5 without padding (RFC 7636 appendix A). */
static char *
base64url_encode (const guint8 *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end = strchr (text, '=');

  if (end != NULL)
    *end = '\0';
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return text;
}

static char *
random_text (gsize     n_bytes,
             GError  **error)
{
  guint8 bytes[64];
  char *text;

  g_assert (n_bytes <= sizeof bytes);

  if (!fill_random (bytes, n_bytes, error))
    return NULL;

  text = base64url_encode (bytes, n_bytes);
  explicit_bzero (bytes, sizeof bytes);
  return text;
}

char *
fw_pkce_generate_verifier (GError **error)
{
  return random_text (VERIFIER_BYTES, error);
}

char *
fw_pkce_compute_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return base64url_encode (digest, length);
}

/* ---- Pages for the browser ---- */

static void
set_page (SoupServerMessage *msg,
          guint              status,
          const char        *title,
          const char        *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  char *page;
  gsize length;

  page = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><meta charset=\"utf-8\"><title>%s — Floorwatch</title>"
                          "<style>body{font-family:sans-serif;max-width:36em;margin:4em auto;"
                          "padding:0 1em}</style></head>\n"
                          "<body><h1>%s</h1><p>%s</p></body></html>\n",
                          escaped_title, escaped_title, escaped_text);
  length = strlen (page);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, length);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

static void
set_error_page (SoupServerMessage *msg,
                const GError      *error)
{
  if (g_error_matches (error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_STATE_MISMATCH))
    set_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in refused"),
              _("This answer does not belong to the sign-in Floorwatch started, so Floorwatch "
                "refused it and nobody was signed in. Start the sign-in again from "
                "Floorwatch."));
  else
    set_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in failed"), error->message);
}

/* ---- Ending a sign-in ---- */

static gboolean
shutdown_cb (gpointer user_data)
{
  FwPkceLogin *self = user_data;

  self->shutdown_id = 0;
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  return G_SOURCE_REMOVE;
}

static void
shutdown_now (FwPkceLogin *self)
{
  g_clear_handle_id (&self->shutdown_id, g_source_remove);
  shutdown_cb (self);
}

static void
last_page_finished_cb (SoupServerMessage *msg,
                       FwPkceLogin       *self)
{
  /* Not from inside libsoup's own signal: it still uses the connection. */
  g_signal_handlers_disconnect_by_func (msg, last_page_finished_cb, self);
  g_clear_handle_id (&self->shutdown_id, g_source_remove);
  self->shutdown_id = g_idle_add (shutdown_cb, self);
}

/* Closes the listener once @msg's page has gone out (or at the latest after
 * a grace period), or now without a page to send. */
static void
shutdown_after (FwPkceLogin       *self,
                SoupServerMessage *msg)
{
  if (msg == NULL)
    {
      shutdown_now (self);
      return;
    }

  g_signal_connect (msg, "finished", G_CALLBACK (last_page_finished_cb), self);
  g_clear_handle_id (&self->shutdown_id, g_source_remove);
  self->shutdown_id = g_timeout_add (SHUTDOWN_GRACE_MS, shutdown_cb, self);
}

static void
clear_attempt (FwPkceLogin *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->exchange_timeout_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  if (self->exchange_cancellable != NULL)
    g_cancellable_cancel (self->exchange_cancellable);
  g_clear_object (&self->exchange_cancellable);
  g_clear_object (&self->exchange_msg);
  wipe_string (&self->verifier);
  g_clear_pointer (&self->state, g_free);
}

/* Ends the sign-in with @tokens or @error (one of them), answering the
 * browser's request @msg if there is one. */
static void
finish (FwPkceLogin       *self,
        SoupServerMessage *msg,
        FwUserTokens      *tokens,
        const GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(SoupServerMessage) paused = g_steal_pointer (&self->callback_msg);

  g_assert (task != NULL);
  g_assert ((tokens == NULL) != (error == NULL));

  clear_attempt (self);

  if (paused != NULL)
    msg = paused;

  if (msg != NULL)
    {
      if (tokens != NULL)
        set_page (msg, SOUP_STATUS_OK, _("Signed in"),
                  _("Floorwatch is signed in. You can close this tab and go back to "
                    "Floorwatch."));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in cancelled"),
                  _("The sign-in was cancelled in Floorwatch. You can close this tab."));
      else
        set_error_page (msg, error);
    }

  shutdown_after (self, msg);
  if (paused != NULL)
    soup_server_message_unpause (paused);

  if (tokens != NULL)
    {
      g_debug ("Signed in; the access token expires in %" G_GINT64_FORMAT " s",
               (fw_user_tokens_get_expires_at (tokens) - g_get_real_time ()) / G_USEC_PER_SEC);
      g_task_return_pointer (task, g_object_ref (tokens), g_object_unref);
    }
  else
    {
      g_debug ("Sign-in failed: %s", error->message);
      g_task_return_error (task, g_error_copy (error));
    }
}

static void
fail (FwPkceLogin       *self,
      SoupServerMessage *msg,
      FwPkceLoginError   code,
      const char        *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (FwPkceLogin       *self,
      SoupServerMessage *msg,
      FwPkceLoginError   code,
      const char        *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (FW_PKCE_LOGIN_ERROR, code, message);
  finish (self, msg, NULL, error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  FwPkceLogin *self = user_data;

  self->timeout_id = 0;
  fail (self, NULL, FW_PKCE_LOGIN_ERROR_TIMED_OUT,
        _("Nobody signed in within %u s. Start the sign-in again."),
        self->timeout_ms / 1000);

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  FwPkceLogin *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled."));
  finish (self, NULL, NULL, error);

  return G_SOURCE_REMOVE;
}

/* ---- The token exchange ---- */

/* The "error" code of an OAuth error answer, if it has a known shape. */
static char *
dup_oauth_error (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *node;
  const char *code;
  const char *data;
  gsize length = 0;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &length);
  object = _fw_json_parse_object (parser, data, length);
  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, "error");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  code = json_node_get_string (node);
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.')
        return NULL;
    }

  return g_strndup (code, 64);
}

static void
exchange_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FwPkceLogin) self = user_data;
  SoupMessage *result_msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwUserTokens) tokens = NULL;
  g_autofree char *oauth_error = NULL;
  const char *login = fw_environment_get_login_base (self->environment);
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  /* Cancelled with a sign-in that has already ended. */
  if (self->task == NULL || result_msg != self->exchange_msg)
    return;

  msg = g_steal_pointer (&self->exchange_msg);
  g_clear_handle_id (&self->exchange_timeout_id, g_source_remove);
  g_clear_object (&self->exchange_cancellable);

  if (error != NULL)
    {
      if (self->exchange_timed_out)
        fail (self, NULL, FW_PKCE_LOGIN_ERROR_FAILED,
              _("The login server at %s did not answer within %u ms."),
              login, self->request_timeout_ms);
      else
        fail (self, NULL, FW_PKCE_LOGIN_ERROR_FAILED,
              _("Could not reach the login server at %s: %s"), login, error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_OK)
    {
      tokens = fw_user_tokens_new_from_response (body, self->exchange_started_us, &error);
      if (tokens == NULL)
        fail (self, NULL, FW_PKCE_LOGIN_ERROR_FAILED, "%s (%s)", error->message, login);
      else
        finish (self, NULL, tokens, NULL);
      return;
    }

  oauth_error = dup_oauth_error (body);
  if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED) &&
      oauth_error != NULL &&
      (g_str_equal (oauth_error, "invalid_client") ||
       g_str_equal (oauth_error, "unauthorized_client")))
    fail (self, NULL, FW_PKCE_LOGIN_ERROR_REJECTED,
          _("Genesys Cloud does not take “%s” as a sign-in client (%s). It must be an OAuth "
            "client with the Code Authorization grant and PKCE, whose redirect URI is %s."),
          self->client_id, oauth_error, self->redirect_uri);
  else if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED) &&
           oauth_error != NULL)
    fail (self, NULL, FW_PKCE_LOGIN_ERROR_REJECTED,
          _("Genesys Cloud refused the sign-in (%s). Sign in again."), oauth_error);
  else
    fail (self, NULL, FW_PKCE_LOGIN_ERROR_FAILED,
          _("The login server at %s answered %u (%s)."),
          login, status, soup_status_get_phrase (status));
}

static gboolean
exchange_timeout_cb (gpointer user_data)
{
  FwPkceLogin *self = user_data;

  self->exchange_timeout_id = 0;
  self->exchange_timed_out = TRUE;
  g_cancellable_cancel (self->exchange_cancellable);

  return G_SOURCE_REMOVE;
}

static void
start_exchange (FwPkceLogin *self,
                const char  *code)
{
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) body = NULL;
  char *form;

  uri = g_strconcat (fw_environment_get_login_base (self->environment), "/oauth/token", NULL);
  self->exchange_msg = soup_message_new (SOUP_METHOD_POST, uri);
  g_assert (self->exchange_msg != NULL);

  /* The code and verifier go to the login host and nowhere else. */
  soup_message_add_flags (self->exchange_msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (self->exchange_msg),
                                "Accept", "application/json");

  form = soup_form_encode ("grant_type", "authorization_code",
                           "code", code,
                           "redirect_uri", self->redirect_uri,
                           "client_id", self->client_id,
                           "code_verifier", self->verifier,
                           NULL);
  body = g_bytes_new_with_free_func (form, strlen (form), wipe_and_free, form);
  soup_message_set_request_body_from_bytes (self->exchange_msg,
                                            "application/x-www-form-urlencoded", body);

  self->exchange_cancellable = g_cancellable_new ();
  self->exchange_timed_out = FALSE;
  self->exchange_started_us = g_get_real_time ();
  self->exchange_timeout_id = g_timeout_add (self->request_timeout_ms, exchange_timeout_cb, self);
  g_source_set_name_by_id (self->exchange_timeout_id, "[floorwatch] sign-in exchange timeout");

  g_debug ("Exchanging the sign-in code at %s", fw_environment_get_login_base (self->environment));

  soup_session_send_and_read_async (self->soup, self->exchange_msg, G_PRIORITY_DEFAULT,
                                    self->exchange_cancellable, exchange_cb, g_object_ref (self));
}

/* ---- The loopback listener ---- */

static const char *
lookup_param (GHashTable *query,
              const char *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (value == NULL || value[0] == '\0' || strlen (value) > MAX_PARAM_LENGTH)
    return NULL;
  return value;
}

/* Compares without leaking where the first difference is. */
static gboolean
same_secret_text (const char *a,
                  const char *b)
{
  gsize length = strlen (b);
  guchar diff = 0;

  if (a == NULL || strlen (a) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];
  return diff == 0;
}

/* An OAuth error code quoted in a message: short and plain, or not at all. */
static const char *
printable_code (const char *code)
{
  if (code == NULL || strlen (code) > 64)
    return "error";
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_')
        return "error";
    }
  return code;
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  FwPkceLogin *self = user_data;
  const char *state;
  const char *code;
  const char *oauth_error;

  if (!g_str_equal (path, CALLBACK_PATH))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* A second visit while the first is being completed: a reload. */
  if (self->task != NULL && self->callback_msg != NULL)
    {
      set_page (msg, SOUP_STATUS_CONFLICT, _("Sign-in under way"),
                _("Floorwatch is already completing this sign-in. You can close this tab."));
      return;
    }

  /* A late visit: a stale tab. */
  if (self->task == NULL || server != self->server)
    {
      set_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in over"),
                _("This sign-in is already over. You can close this tab."));
      return;
    }

  /* The state first: an answer that is not ours must not even say whether
   * it carried a code (RFC 6749 §10.12). */
  state = lookup_param (query, "state");
  if (!same_secret_text (state, self->state))
    {
      fail (self, msg, FW_PKCE_LOGIN_ERROR_STATE_MISMATCH,
            _("The browser came back with an answer that does not belong to this sign-in "
              "(the state does not match), so it was refused. Sign in again."));
      return;
    }

  oauth_error = lookup_param (query, "error");
  if (oauth_error != NULL)
    {
      if (g_str_equal (oauth_error, "access_denied"))
        fail (self, msg, FW_PKCE_LOGIN_ERROR_DENIED, _("The sign-in was cancelled on the login page."));
      else
        fail (self, msg, FW_PKCE_LOGIN_ERROR_DENIED,
              _("The login page did not sign you in (%s)."), printable_code (oauth_error));
      return;
    }

  code = lookup_param (query, "code");
  if (code == NULL)
    {
      fail (self, msg, FW_PKCE_LOGIN_ERROR_FAILED,
            _("The login page sent the browser back without a sign-in code."));
      return;
    }

  /* The browser waits for its page until the code has been exchanged, so
   * that the page tells the truth. */
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->callback_msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  start_exchange (self, code);
}

static gboolean
start_listener (FwPkceLogin  *self,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoslist(GUri) uris = NULL;
  int port;

  self->server = soup_server_new ("server-header", "floorwatch-sign-in ", NULL);
  soup_server_add_handler (self->server, NULL, callback_cb, self, NULL);

  /* Loopback only (RFC 8252 §8.3): nothing else on the network can reach it. */
  if (!soup_server_listen_local (self->server, self->port, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                 &local_error))
    {
      g_clear_object (&self->server);
      g_set_error (error, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_FAILED,
                   _("Could not listen on 127.0.0.1 for the browser’s answer: %s"),
                   local_error->message);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  port = g_uri_get_port (uris->data);

  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d" CALLBACK_PATH, port);
  return TRUE;
}

/* ---- GObject ---- */

static void
fw_pkce_login_dispose (GObject *object)
{
  FwPkceLogin *self = (FwPkceLogin *)object;

  /* A sign-in in flight holds a reference through its GTask. */
  g_assert (self->task == NULL);

  clear_attempt (self);
  if (self->callback_msg != NULL)
    {
      soup_server_message_unpause (self->callback_msg);
      g_clear_object (&self->callback_msg);
    }
  shutdown_now (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->environment);

  G_OBJECT_CLASS (fw_pkce_login_parent_class)->dispose (object);
}

static void
fw_pkce_login_finalize (GObject *object)
{
  FwPkceLogin *self = (FwPkceLogin *)object;

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->redirect_uri, g_free);
  g_clear_pointer (&self->authorize_uri, g_free);

  G_OBJECT_CLASS (fw_pkce_login_parent_class)->finalize (object);
}

static void
set_uint_property (FwPkceLogin  *self,
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
fw_pkce_login_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FwPkceLogin *self = FW_PKCE_LOGIN (object);

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

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout_ms);
      break;

    case PROP_AUTHORIZE_URI:
      g_value_set_string (value, self->authorize_uri);
      break;

    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_pkce_login_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FwPkceLogin *self = FW_PKCE_LOGIN (object);

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

    case PROP_PORT:
      set_uint_property (self, &self->port, value, pspec);
      break;

    case PROP_TIMEOUT:
      set_uint_property (self, &self->timeout_ms, value, pspec);
      break;

    case PROP_REQUEST_TIMEOUT:
      set_uint_property (self, &self->request_timeout_ms, value, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_pkce_login_class_init (FwPkceLoginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_pkce_login_dispose;
  object_class->finalize = fw_pkce_login_finalize;
  object_class->get_property = fw_pkce_login_get_property;
  object_class->set_property = fw_pkce_login_set_property;

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

  /* The loopback port of the redirect URI; 0 picks a free one each time. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, 65535, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /* How long (ms) the browser step may take before the sign-in gives up. */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, 300000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       1, G_MAXUINT, 30000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTHORIZE_URI] =
    g_param_spec_string ("authorize-uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_pkce_login_init (FwPkceLogin *self)
{
}

FwPkceLogin *
fw_pkce_login_new (SoupSession   *soup,
                   FwEnvironment *environment,
                   const char    *client_id)
{
  g_return_val_if_fail (SOUP_IS_SESSION (soup), NULL);
  g_return_val_if_fail (FW_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (client_id != NULL && client_id[0] != '\0', NULL);

  return g_object_new (FW_TYPE_PKCE_LOGIN,
                       "soup-session", soup,
                       "environment", environment,
                       "client-id", client_id,
                       NULL);
}

FwEnvironment *
fw_pkce_login_get_environment (FwPkceLogin *self)
{
  g_return_val_if_fail (FW_IS_PKCE_LOGIN (self), NULL);

  return self->environment;
}

const char *
fw_pkce_login_get_client_id (FwPkceLogin *self)
{
  g_return_val_if_fail (FW_IS_PKCE_LOGIN (self), NULL);

  return self->client_id;
}

const char *
fw_pkce_login_get_authorize_uri (FwPkceLogin *self)
{
  g_return_val_if_fail (FW_IS_PKCE_LOGIN (self), NULL);

  return self->authorize_uri;
}

const char *
fw_pkce_login_get_redirect_uri (FwPkceLogin *self)
{
  g_return_val_if_fail (FW_IS_PKCE_LOGIN (self), NULL);

  return self->redirect_uri;
}

void
fw_pkce_login_sign_in_async (FwPkceLogin         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (FW_IS_PKCE_LOGIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_pkce_login_sign_in_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sign-in is already under way."));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A listener still sending the last page of an earlier sign-in goes now. */
  shutdown_now (self);
  g_clear_pointer (&self->authorize_uri, g_free);
  g_clear_pointer (&self->redirect_uri, g_free);

  self->verifier = fw_pkce_generate_verifier (&error);
  if (self->verifier != NULL)
    self->state = random_text (STATE_BYTES, &error);
  if (self->state == NULL)
    {
      clear_attempt (self);
      g_task_return_new_error (task, FW_PKCE_LOGIN_ERROR, FW_PKCE_LOGIN_ERROR_FAILED,
                               "%s", error->message);
      return;
    }

  if (!start_listener (self, &error))
    {
      clear_attempt (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  challenge = fw_pkce_compute_challenge (self->verifier);
  query = soup_form_encode ("client_id", self->client_id,
                            "response_type", "code",
                            "redirect_uri", self->redirect_uri,
                            "code_challenge", challenge,
                            "code_challenge_method", "S256",
                            "state", self->state,
                            NULL);
  self->authorize_uri = g_strconcat (fw_environment_get_login_base (self->environment),
                                     "/oauth/authorize?", query, NULL);

  self->task = g_steal_pointer (&task);
  self->timeout_id = g_timeout_add (self->timeout_ms, timeout_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[floorwatch] sign-in timeout");
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_task_get_context (self->task));
    }

  g_debug ("Waiting for the browser on %s", self->redirect_uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDIRECT_URI]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZE_URI]);
}

FwUserTokens *
fw_pkce_login_sign_in_finish (FwPkceLogin   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (FW_IS_PKCE_LOGIN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fw_pkce_login_sign_in_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
