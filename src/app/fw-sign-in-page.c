/* fw-sign-in-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is kept until Genesys Cloud has accepted the credentials: a token
 * grant proves them, then the secret goes into the keyring (and only there).
 * The region and client id are kept by whoever handles "signed-in".
 *
 * "Sign in as yourself" needs no secret: the login page opens in the browser
 * (the "open-uri" signal, whose default handler calls gtk_show_uri()), the
 * browser comes back to FwPkceLogin's loopback listener, and the person's
 * tokens go into the keyring (and only there).
 */

#define G_LOG_DOMAIN "fw-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-application.h"
#include "fw-sign-in-page.h"

struct _FwSignInPage
{
  AdwBin         parent_instance;

  GtkWidget     *kind_box;
  GtkWidget     *client_kind_button;
  GtkToggleButton *user_kind_button;
  GtkWidget     *client_kind_label;
  GtkWidget     *user_kind_label;
  AdwComboRow   *region_row;
  GtkStringList *region_labels;
  AdwEntryRow   *client_id_row;
  AdwEntryRow   *secret_row;
  GtkLabel      *message_label;
  GtkWidget     *form;
  GtkWidget     *cancel_button;
  GtkWidget     *sign_in_button;
  GtkSpinner    *spinner;
  GtkLabel      *sign_in_label;

  /* Environment specs, in the order of region_labels. */
  GPtrArray     *specs;
  GCancellable  *cancellable;
  /* "sign-in-kind": the form starts with the last kind that worked. */
  GSettings     *settings;
  gboolean       busy;
  gboolean       can_cancel;
  /* The browser's sign-in is under way. */
  gboolean       waiting_for_browser;
};

G_DEFINE_FINAL_TYPE (FwSignInPage, fw_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  CANCELLED,
  OPEN_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One try of a set of credentials. */
typedef struct
{
  FwSignInPage  *self;
  GCancellable  *cancellable;
  FwTokenSource *tokens;
  char          *secret;
  /* A person's sign-in in the browser. */
  FwPkceLogin   *login;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  if (attempt->secret != NULL)
    {
      memset (attempt->secret, 0, strlen (attempt->secret));
      g_free (attempt->secret);
    }
  g_clear_weak_pointer (&attempt->self);
  g_clear_object (&attempt->cancellable);
  g_clear_object (&attempt->tokens);
  g_clear_object (&attempt->login);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static gboolean
attempt_is_current (Attempt *attempt)
{
  return attempt->self != NULL &&
         attempt->self->cancellable == attempt->cancellable &&
         !g_cancellable_is_cancelled (attempt->cancellable);
}

static void
update_sensitivity (FwSignInPage *self)
{
  gboolean user = fw_sign_in_page_get_user_sign_in (self);
  gboolean filled;
  const char *label;

  filled = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row))[0] != '\0' &&
           (user || gtk_editable_get_text (GTK_EDITABLE (self->secret_row))[0] != '\0');

  if (self->busy)
    label = self->waiting_for_browser ? _("Waiting for the browser…") : _("Checking…");
  else
    label = user ? _("Sign In With _Browser") : _("Sign _In");

  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), !user);
  gtk_widget_set_visible (self->client_kind_label, !user);
  gtk_widget_set_visible (self->user_kind_label, user);
  gtk_widget_set_sensitive (self->kind_box, !self->busy);
  gtk_widget_set_sensitive (self->form, !self->busy);
  gtk_widget_set_sensitive (self->sign_in_button, filled && !self->busy);
  gtk_widget_set_visible (self->cancel_button, self->can_cancel || self->waiting_for_browser);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_label_set_label (self->sign_in_label, label);
}

static void
set_busy (FwSignInPage *self,
          gboolean      busy)
{
  self->busy = busy;
  if (!busy)
    self->waiting_for_browser = FALSE;
  update_sensitivity (self);
}

static void
form_changed_cb (FwSignInPage *self)
{
  update_sensitivity (self);
}

static void
entry_activated_cb (FwSignInPage *self)
{
  if (gtk_widget_get_sensitive (self->sign_in_button))
    fw_sign_in_page_submit (self);
}

static void
cancel_clicked_cb (FwSignInPage *self)
{
  /* Cancelling the browser's sign-in stays on the form. */
  if (self->waiting_for_browser)
    {
      g_cancellable_cancel (self->cancellable);
      set_busy (self, FALSE);
      fw_sign_in_page_set_message (self, _("The sign-in was cancelled."));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  fw_sign_in_page_set_message (self, NULL);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
fail (FwSignInPage *self,
      const char   *message)
{
  set_busy (self, FALSE);
  fw_sign_in_page_set_message (self, message);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FwSignInPage *self = attempt->self;

  if (!fw_credentials_store_finish (result, &error))
    {
      if (attempt_is_current (attempt))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The secret could not be kept in the keyring: %s"), error->message);
          fail (self, message);
        }
      return;
    }

  if (!attempt_is_current (attempt))
    return;

  /* The form has done its job: the secret lives in the keyring now. */
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  set_busy (self, FALSE);
  fw_sign_in_page_set_message (self, NULL);
  g_settings_set_string (self->settings, "sign-in-kind", "client-credentials");
  g_signal_emit (self, signals[SIGNED_IN], 0, attempt->tokens);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FwSignInPage *self = attempt->self;
  FwEnvironment *environment;
  char *token;

  token = fw_token_source_get_token_finish (FW_TOKEN_SOURCE (object), result, &error);
  if (token != NULL)
    {
      memset (token, 0, strlen (token));
      g_free (token);
    }

  if (!attempt_is_current (attempt))
    return;

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, FW_TOKEN_ERROR, FW_TOKEN_ERROR_REJECTED))
        message = g_strdup (_("Genesys Cloud rejected this client id and secret. "
                              "Check them, and that the OAuth client uses the Client Credentials grant."));
      else
        message = g_strdup_printf (_("Genesys Cloud could not be reached: %s"), error->message);
      fail (self, message);
      return;
    }

  environment = fw_token_source_get_environment (attempt->tokens);
  fw_credentials_store_async (fw_environment_get_name (environment),
                              fw_token_source_get_client_id (attempt->tokens),
                              attempt->secret,
                              attempt->cancellable,
                              store_cb,
                              attempt);
  g_steal_pointer (&attempt);
}

static void
user_tokens_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FwSignInPage *self = attempt->self;

  if (!fw_credentials_store_user_tokens_finish (result, &error))
    {
      if (attempt_is_current (attempt))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Your sign-in could not be kept in the keyring: %s"), error->message);
          fail (self, message);
        }
      return;
    }

  if (!attempt_is_current (attempt))
    return;

  set_busy (self, FALSE);
  fw_sign_in_page_set_message (self, NULL);
  g_settings_set_string (self->settings, "sign-in-kind", "user");
  g_signal_emit (self, signals[SIGNED_IN], 0, attempt->tokens);
}

static char *
describe_login_error (const GError *error)
{
  if (error->domain == FW_PKCE_LOGIN_ERROR)
    {
      switch ((FwPkceLoginError) error->code)
        {
        case FW_PKCE_LOGIN_ERROR_STATE_MISMATCH:
          return g_strdup (_("The browser came back from another sign-in, so this one was not used. Try again."));
        case FW_PKCE_LOGIN_ERROR_DENIED:
          return g_strdup (_("The sign-in was cancelled or refused in the browser."));
        case FW_PKCE_LOGIN_ERROR_REJECTED:
          return g_strdup (_("Genesys Cloud refused the sign-in. Check that the client id belongs to an "
                             "OAuth client of type Code Authorization with PKCE."));
        case FW_PKCE_LOGIN_ERROR_TIMED_OUT:
          return g_strdup (_("The browser did not come back in time. Try again."));
        case FW_PKCE_LOGIN_ERROR_FAILED:
        default:
          break;
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("The sign-in was cancelled."));

  return g_strdup_printf (_("The sign-in failed: %s"), error->message);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(FwUserTokens) tokens = NULL;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(GError) error = NULL;
  FwSignInPage *self = attempt->self;
  FwEnvironment *environment;
  const char *client_id;

  tokens = fw_pkce_login_sign_in_finish (attempt->login, result, &error);

  if (!attempt_is_current (attempt))
    return;

  if (tokens == NULL)
    {
      g_autofree char *message = describe_login_error (error);

      fail (self, message);
      return;
    }

  self->waiting_for_browser = FALSE;
  update_sensitivity (self);

  environment = fw_pkce_login_get_environment (attempt->login);
  client_id = fw_pkce_login_get_client_id (attempt->login);
  soup = soup_session_new ();
  attempt->tokens = fw_token_source_new_for_user (soup, environment, client_id, tokens);

  fw_credentials_store_user_tokens_async (fw_environment_get_name (environment),
                                          client_id,
                                          tokens,
                                          attempt->cancellable,
                                          user_tokens_stored_cb,
                                          attempt);
  g_steal_pointer (&attempt);
}

static void
submit_user (FwSignInPage  *self,
             FwEnvironment *environment,
             const char    *client_id)
{
  g_autoptr(SoupSession) soup = NULL;
  Attempt *attempt;
  const char *uri;

  soup = soup_session_new ();
  attempt = g_new0 (Attempt, 1);
  g_set_weak_pointer (&attempt->self, self);
  attempt->cancellable = g_object_ref (self->cancellable);
  attempt->login = fw_pkce_login_new (soup, environment, client_id);

  fw_sign_in_page_set_message (self, NULL);
  self->waiting_for_browser = TRUE;
  set_busy (self, TRUE);

  fw_pkce_login_sign_in_async (attempt->login, attempt->cancellable, login_cb, attempt);
  /* The listener is up (or the sign-in already failed, and login_cb says why). */
  uri = fw_pkce_login_get_authorize_uri (attempt->login);
  if (uri != NULL)
    g_signal_emit (self, signals[OPEN_URI], 0, uri);
}

static void
fw_sign_in_page_real_open_uri (FwSignInPage *self,
                               const char   *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

void
fw_sign_in_page_submit (FwSignInPage *self)
{
  g_autoptr(FwEnvironment) environment = NULL;
  g_autoptr(SoupSession) soup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *secret = NULL;
  const char *spec;
  Attempt *attempt;

  g_return_if_fail (FW_IS_SIGN_IN_PAGE (self));

  if (self->busy)
    return;

  client_id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_id_row))));
  secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row))));

  if (fw_sign_in_page_get_user_sign_in (self))
    {
      memset (secret, 0, strlen (secret));
      if (client_id[0] == '\0')
        {
          fail (self, _("Enter the client id of the OAuth client you sign in with."));
          return;
        }
    }
  else if (client_id[0] == '\0' || secret[0] == '\0')
    {
      fail (self, _("Enter the client id and the client secret of the OAuth client."));
      memset (secret, 0, strlen (secret));
      return;
    }

  spec = fw_sign_in_page_get_environment (self);
  environment = fw_environment_new (spec, &error);
  if (environment == NULL)
    {
      memset (secret, 0, strlen (secret));
      fail (self, error->message);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (fw_sign_in_page_get_user_sign_in (self))
    {
      submit_user (self, environment, client_id);
      return;
    }

  soup = soup_session_new ();
  attempt = g_new0 (Attempt, 1);
  g_set_weak_pointer (&attempt->self, self);
  attempt->cancellable = g_object_ref (self->cancellable);
  attempt->tokens = fw_token_source_new (soup, environment, client_id, secret);
  attempt->secret = g_steal_pointer (&secret);

  fw_sign_in_page_set_message (self, NULL);
  set_busy (self, TRUE);

  fw_token_source_get_token_async (attempt->tokens, attempt->cancellable, token_cb, attempt);
}

GtkWidget *
fw_sign_in_page_new (void)
{
  return g_object_new (FW_TYPE_SIGN_IN_PAGE, NULL);
}

static void
fill_regions (FwSignInPage *self)
{
  const FwRegion *regions = fw_environment_get_regions ();

  for (guint i = 0; regions[i].region != NULL; i++)
    {
      g_autofree char *label = NULL;

      /* Translators: a region in the list, e.g. "EMEA (Dublin) — mypurecloud.ie". */
      label = g_strdup_printf (_("%s — %s"), g_dgettext (GETTEXT_PACKAGE, regions[i].label),
                               regions[i].domain);
      gtk_string_list_append (self->region_labels, label);
      g_ptr_array_add (self->specs, g_strdup (regions[i].domain));
    }
}

void
fw_sign_in_page_set_account (FwSignInPage *self,
                             const char   *environment,
                             const char   *client_id)
{
  g_return_if_fail (FW_IS_SIGN_IN_PAGE (self));

  if (environment != NULL && environment[0] != '\0')
    {
      g_autoptr(FwEnvironment) parsed = fw_environment_new (environment, NULL);
      const char *name = parsed ? fw_environment_get_name (parsed) : environment;
      guint index = G_MAXUINT;

      for (guint i = 0; i < self->specs->len; i++)
        {
          if (g_str_equal (g_ptr_array_index (self->specs, i), name))
            {
              index = i;
              break;
            }
        }

      if (index == G_MAXUINT)
        {
          g_autofree char *label = NULL;

          if (parsed != NULL && fw_environment_is_loopback (parsed))
            /* Translators: a local Genesys Cloud simulator as a region, e.g.
             * "Simulator at http://127.0.0.1:8080". */
            label = g_strdup_printf (_("Simulator at %s"), name);
          else
            label = g_strdup (name);
          gtk_string_list_append (self->region_labels, label);
          g_ptr_array_add (self->specs, g_strdup (name));
          index = self->specs->len - 1;
        }

      adw_combo_row_set_selected (self->region_row, index);
    }

  if (client_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);

  update_sensitivity (self);
}

const char *
fw_sign_in_page_get_environment (FwSignInPage *self)
{
  guint selected;

  g_return_val_if_fail (FW_IS_SIGN_IN_PAGE (self), NULL);

  selected = adw_combo_row_get_selected (self->region_row);
  if (selected >= self->specs->len)
    return NULL;
  return g_ptr_array_index (self->specs, selected);
}

void
fw_sign_in_page_set_message (FwSignInPage *self,
                             const char   *message)
{
  g_return_if_fail (FW_IS_SIGN_IN_PAGE (self));

  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

const char *
fw_sign_in_page_get_message (FwSignInPage *self)
{
  g_return_val_if_fail (FW_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

void
fw_sign_in_page_set_can_cancel (FwSignInPage *self,
                                gboolean      can_cancel)
{
  g_return_if_fail (FW_IS_SIGN_IN_PAGE (self));

  self->can_cancel = can_cancel;
  update_sensitivity (self);
}

void
fw_sign_in_page_set_user_sign_in (FwSignInPage *self,
                                  gboolean      user_sign_in)
{
  g_return_if_fail (FW_IS_SIGN_IN_PAGE (self));

  if (user_sign_in)
    gtk_toggle_button_set_active (self->user_kind_button, TRUE);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->client_kind_button), TRUE);
}

gboolean
fw_sign_in_page_get_user_sign_in (FwSignInPage *self)
{
  g_return_val_if_fail (FW_IS_SIGN_IN_PAGE (self), FALSE);

  return gtk_toggle_button_get_active (self->user_kind_button);
}

gboolean
fw_sign_in_page_get_busy (FwSignInPage *self)
{
  g_return_val_if_fail (FW_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

static void
fw_sign_in_page_dispose (GObject *object)
{
  FwSignInPage *self = (FwSignInPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (fw_sign_in_page_parent_class)->dispose (object);
}

static void
fw_sign_in_page_finalize (GObject *object)
{
  FwSignInPage *self = (FwSignInPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->specs, g_ptr_array_unref);

  G_OBJECT_CLASS (fw_sign_in_page_parent_class)->finalize (object);
}

static void
fw_sign_in_page_class_init (FwSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_sign_in_page_dispose;
  object_class->finalize = fw_sign_in_page_finalize;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FW_TYPE_TOKEN_SOURCE);

  signals[CANCELLED] =
    g_signal_new ("cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* Opens the login page in the browser; a handler that stops the
   * emission opens it some other way. */
  signals[OPEN_URI] =
    g_signal_new_class_handler ("open-uri",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (fw_sign_in_page_real_open_uri),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/fw-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, kind_box);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, client_kind_button);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, user_kind_button);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, client_kind_label);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, user_kind_label);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, region_labels);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, form);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FwSignInPage, sign_in_label);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fw_sign_in_page_submit);
}

static void
fw_sign_in_page_init (FwSignInPage *self)
{
  g_autofree char *kind = NULL;

  self->specs = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  kind = g_settings_get_string (self->settings, "sign-in-kind");

  gtk_widget_init_template (GTK_WIDGET (self));
  if (g_str_equal (kind, "user"))
    gtk_toggle_button_set_active (self->user_kind_button, TRUE);
  fill_regions (self);
  update_sensitivity (self);
}
