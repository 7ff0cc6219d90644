/* fw-user-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fw-user-tokens"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fw-json-private.h"
#include "fw-user-tokens.h"

#define MAX_TOKEN_LENGTH   8192
/* Anything past ten days is taken as ten days, as for client credentials. */
#define MAX_LIFETIME_S     (10 * 24 * 3600)
#define SERIALIZED_VERSION 1

struct _FwUserTokens
{
  GObject  parent_instance;

  char    *access_token;
  char    *refresh_token;
  gint64   obtained_at;
  gint64   expires_at;
};

G_DEFINE_FINAL_TYPE (FwUserTokens, fw_user_tokens, G_TYPE_OBJECT)

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/* It goes into a header or a form: printable ASCII, no spaces. */
static gboolean
is_token_text (const char *token)
{
  gsize len = token != NULL ? strlen (token) : 0;

  if (len == 0 || len > MAX_TOKEN_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if ((guchar) token[i] <= ' ' || (guchar) token[i] >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

static void
fw_user_tokens_finalize (GObject *object)
{
  FwUserTokens *self = (FwUserTokens *)object;

  wipe_string (&self->access_token);
  wipe_string (&self->refresh_token);

  G_OBJECT_CLASS (fw_user_tokens_parent_class)->finalize (object);
}

static void
fw_user_tokens_class_init (FwUserTokensClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_user_tokens_finalize;
}

static void
fw_user_tokens_init (FwUserTokens *self)
{
}

FwUserTokens *
fw_user_tokens_new (const char *access_token,
                    const char *refresh_token,
                    gint64      obtained_at,
                    gint64      expires_at)
{
  FwUserTokens *self;

  g_return_val_if_fail (access_token != NULL || refresh_token != NULL, NULL);

  self = g_object_new (FW_TYPE_USER_TOKENS, NULL);
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
  self->obtained_at = obtained_at;
  self->expires_at = access_token != NULL ? expires_at : 0;

  return self;
}

/* Reads an optional string member; FALSE if it is there but not a string. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *name,
                     const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_integer (JsonObject *object,
             const char *name,
             gint64     *out)
{
  return _fw_json_node_get_int64 (json_object_get_member (object, name), out);
}

FwUserTokens *
fw_user_tokens_new_from_response (GBytes  *body,
                                  gint64   requested_at,
                                  GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *access_token = NULL;
  const char *refresh_token = NULL;
  const char *token_type = NULL;
  const char *data;
  gsize length = 0;
  gint64 expires_in = 0;

  g_return_val_if_fail (body != NULL, NULL);

  data = g_bytes_get_data (body, &length);
  object = _fw_json_parse_object (parser, data, length);

  /* The messages never quote the answer: it may hold a token. */
  if (object == NULL ||
      !get_optional_string (object, "access_token", &access_token) ||
      !is_token_text (access_token))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The login server’s answer holds no access token."));
      return NULL;
    }

  if (!get_optional_string (object, "token_type", &token_type) ||
      (token_type != NULL && g_ascii_strcasecmp (token_type, "bearer") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The login server handed out a token that is not a bearer token."));
      return NULL;
    }

  if (!get_integer (object, "expires_in", &expires_in) || expires_in <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The login server did not say when the access token expires."));
      return NULL;
    }

  if (!get_optional_string (object, "refresh_token", &refresh_token) ||
      (refresh_token != NULL && !is_token_text (refresh_token)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The login server’s refresh token is not usable."));
      return NULL;
    }

  expires_in = MIN (expires_in, MAX_LIFETIME_S);
  return fw_user_tokens_new (access_token, refresh_token, requested_at,
                             requested_at + expires_in * G_USEC_PER_SEC);
}

char *
fw_user_tokens_serialize (FwUserTokens *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (FW_IS_USER_TOKENS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SERIALIZED_VERSION);
  if (self->access_token != NULL)
    {
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, self->access_token);
      json_builder_set_member_name (builder, "obtained_at");
      json_builder_add_int_value (builder, self->obtained_at);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, self->expires_at);
    }
  if (self->refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, self->refresh_token);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

FwUserTokens *
fw_user_tokens_new_from_serialized (const char  *text,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *access_token = NULL;
  const char *refresh_token = NULL;
  gint64 version = 0;
  gint64 obtained_at = 0;
  gint64 expires_at = 0;

  g_return_val_if_fail (text != NULL, NULL);

  object = _fw_json_parse_object (parser, text, strlen (text));
  if (object == NULL || !get_integer (object, "version", &version) ||
      version != SERIALIZED_VERSION ||
      !get_optional_string (object, "access_token", &access_token) ||
      !get_optional_string (object, "refresh_token", &refresh_token) ||
      (access_token != NULL && !is_token_text (access_token)) ||
      (refresh_token != NULL && !is_token_text (refresh_token)) ||
      (access_token == NULL && refresh_token == NULL) ||
      (access_token != NULL &&
       (!get_integer (object, "obtained_at", &obtained_at) ||
        !get_integer (object, "expires_at", &expires_at))))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The sign-in kept in the keyring is not readable; sign in again."));
      return NULL;
    }

  return fw_user_tokens_new (access_token, refresh_token, obtained_at, expires_at);
}

const char *
fw_user_tokens_get_access_token (FwUserTokens *self)
{
  g_return_val_if_fail (FW_IS_USER_TOKENS (self), NULL);

  return self->access_token;
}

const char *
fw_user_tokens_get_refresh_token (FwUserTokens *self)
{
  g_return_val_if_fail (FW_IS_USER_TOKENS (self), NULL);

  return self->refresh_token;
}

gint64
fw_user_tokens_get_obtained_at (FwUserTokens *self)
{
  g_return_val_if_fail (FW_IS_USER_TOKENS (self), 0);

  return self->obtained_at;
}

gint64
fw_user_tokens_get_expires_at (FwUserTokens *self)
{
  g_return_val_if_fail (FW_IS_USER_TOKENS (self), 0);

  return self->expires_at;
}
