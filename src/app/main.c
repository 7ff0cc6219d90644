/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FwApplication) application = NULL;

  /* From the build tree (build-aux/run.sh, the tests) the catalogs are
   * not installed yet: FLOORWATCH_LOCALEDIR points at them. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("FLOORWATCH_LOCALEDIR") != NULL
                                   ? g_getenv ("FLOORWATCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Floorwatch"));

  application = fw_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
