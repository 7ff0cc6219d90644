/* test-application.c — the command line: --demo, --environment, --client-id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the application as main() does, with g_application_run(), and ends
 * the run once the window shows what the options asked for.
 */

#include "config.h"

#include "fw-app-test-util.h"

typedef gboolean (*Check) (FwWindow *window,
                           gpointer  data);

typedef struct
{
  GApplication *application;
  Check         check;
  gpointer      data;
  gint64        deadline;
  gboolean      passed;
} Run;

static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->application));

  if (FW_IS_WINDOW (window) && run->check (FW_WINDOW (window), run->data))
    run->passed = TRUE;
  else if (g_get_monotonic_time () < run->deadline)
    return G_SOURCE_CONTINUE;

  g_application_quit (run->application);
  return G_SOURCE_REMOVE;
}

/* Runs floorwatch with @args until @check holds (or 30 s pass). */
static gboolean
run_until (const char * const *args,
           Check               check,
           gpointer            data)
{
  g_autoptr(FwApplication) application = fw_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GList *windows;
  Run run = { 0 };

  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_ptr_array_add (argv, (gpointer) "floorwatch");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run.application = G_APPLICATION (application);
  run.check = check;
  run.data = data;
  run.deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_timeout_add (100, poll_cb, &run);

  g_assert_cmpint (g_application_run (G_APPLICATION (application), argv->len - 1,
                                      (char **) argv->pdata), ==, 0);

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (application))) != NULL)
    gtk_window_destroy (windows->data);
  fw_test_run_for (100);
  return run.passed;
}

static gboolean
demo_is_live (FwWindow *window,
              gpointer  data)
{
  FwConnection *connection = fw_window_get_connection (window);
  GListModel *events = fw_window_get_events (window);

  return connection != NULL && fw_connection_is_demo (connection) &&
         g_strcmp0 (fw_window_get_page (window), "events") == 0 &&
         events != NULL && g_list_model_get_n_items (events) > 0;
}

static void
test_demo (void)
{
  static const char * const args[] = { "--demo", NULL };

  g_assert_true (run_until (args, demo_is_live, NULL));
}

static gboolean
asks_for_secret (FwWindow *window,
                 gpointer  data)
{
  FwSimServer *sim = data;
  FwSignInPage *page = fw_window_get_sign_in_page (window);
  GtkWidget *client_id = fw_app_test_find_by_id (GTK_WIDGET (page), "client_id_row");

  return g_strcmp0 (fw_window_get_page (window), "sign-in") == 0 &&
         g_strcmp0 (fw_sign_in_page_get_environment (page), fw_sim_server_get_url (sim)) == 0 &&
         g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (client_id)), "not-kept-anywhere") == 0 &&
         fw_sign_in_page_get_message (page) != NULL;
}

static void
test_environment (void)
{
  g_autoptr(FwSimServer) sim = fw_test_sim_new ();
  g_autofree char *environment = g_strdup_printf ("--environment=%s", fw_sim_server_get_url (sim));
  const char * const args[] = { environment, "--client-id=not-kept-anywhere", NULL };
  g_autoptr(GSettings) settings = g_settings_new (FW_SETTINGS_SCHEMA_ID);
  g_autofree char *kept = NULL;

  /* No secret in the keyring for this client: the form asks for it,
   * filled in with what the options said. */
  g_assert_true (run_until (args, asks_for_secret, sim));

  /* Options are for one run: nothing was kept. */
  kept = g_settings_get_string (settings, "environment");
  g_assert_cmpstr (kept, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  fw_app_test_init (&argc, &argv);

  g_test_add_func ("/app/application/demo", test_demo);
  g_test_add_func ("/app/application/environment", test_environment);

  return g_test_run ();
}
