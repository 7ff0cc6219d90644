/* fw-sim-oauth.h — the simulator's sign-in: authorization code with PKCE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the simulator.  A plain structure owned by FwSimServer that
 * serves the login page (/oauth/authorize) and the authorization_code and
 * refresh_token grants of /oauth/token for the public client
 * FW_SIM_PKCE_CLIENT_ID.  It holds the codes and refresh tokens; access tokens
 * live in the server's token table, so that the REST API takes them like any
 * other.
 */

#pragma once

#include "fw-sim-server.h"

G_BEGIN_DECLS

typedef struct _FwSimOAuth FwSimOAuth;

/* @server is not referenced: the server owns the FwSimOAuth. */
FwSimOAuth *fw_sim_oauth_new                    (FwSimServer       *server);
void        fw_sim_oauth_free                   (FwSimOAuth        *self);
/* GET shows the login form; POST checks it and redirects to the client's
 * loopback redirect_uri with a code (or an error) and the state. */
void        fw_sim_oauth_handle_authorize       (FwSimOAuth        *self,
                                                 SoupServerMessage *msg,
                                                 GHashTable        *query);
/* Answers a /oauth/token request whose grant_type is authorization_code or
 * refresh_token and returns TRUE; returns FALSE (answering nothing) for any
 * other grant type. */
gboolean    fw_sim_oauth_handle_grant           (FwSimOAuth        *self,
                                                 SoupServerMessage *msg,
                                                 GHashTable        *form);
/* Every refresh token issued so far is refused from now on. */
void        fw_sim_oauth_revoke_refresh_tokens  (FwSimOAuth        *self);

/* Provided by fw-sim-server.c: a new access token the REST API accepts for
 * "token-lifetime" seconds, owned by @user_id (NULL: the client itself).
 * The string belongs to the server. */
const char *_fw_sim_server_issue_token          (FwSimServer       *self,
                                                 const char        *client_id,
                                                 const char        *user_id);

G_END_DECLS
