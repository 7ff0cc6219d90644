/* fw-sign-in-page.h — region, client id and secret, checked before kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fw-engine.h"

G_BEGIN_DECLS

#define FW_TYPE_SIGN_IN_PAGE (fw_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (FwSignInPage, fw_sign_in_page, FW, SIGN_IN_PAGE, AdwBin)

GtkWidget  *fw_sign_in_page_new            (void);
/* Fills the form in.  @environment is a region domain or name, or the URL of
 * a simulator (then offered as an extra "region"); NULL keeps the choice. */
void        fw_sign_in_page_set_account    (FwSignInPage *self,
                                            const char   *environment,
                                            const char   *client_id);
/* The environment spec of the chosen region, e.g. "mypurecloud.ie". */
const char *fw_sign_in_page_get_environment (FwSignInPage *self);
/* Shows @message above the buttons (NULL hides it). */
void        fw_sign_in_page_set_message    (FwSignInPage *self,
                                            const char   *message);
/* The message shown now, e.g. the reason the last attempt failed. */
const char *fw_sign_in_page_get_message    (FwSignInPage *self);
void        fw_sign_in_page_set_can_cancel (FwSignInPage *self,
                                            gboolean      can_cancel);
gboolean    fw_sign_in_page_get_busy       (FwSignInPage *self);
/* "Sign in as yourself": the client id of a Code Authorization (PKCE)
 * client and the browser instead of a client secret. */
void        fw_sign_in_page_set_user_sign_in (FwSignInPage *self,
                                              gboolean      user_sign_in);
gboolean    fw_sign_in_page_get_user_sign_in (FwSignInPage *self);
/* Checks the credentials with a token grant, then keeps the secret in the
 * keyring; emits "signed-in" (FwTokenSource *) when both worked.  For a
 * person's sign-in, emits "open-uri" with the login page and waits for the
 * browser, then keeps the tokens in the keyring and emits "signed-in" with a
 * token source for the person.  The form's Sign In button does this. */
void        fw_sign_in_page_submit         (FwSignInPage *self);
/* Signals: "signed-in" (FwTokenSource *), "cancelled", "open-uri" (const
 * char *uri; the default handler calls gtk_show_uri()). */

G_END_DECLS
