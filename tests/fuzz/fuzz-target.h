/* fuzz-target.h — what every fuzz target defines, for libFuzzer and for the
 * corpus driver that replays the seeds in the ordinary test suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* Called once before the first input. */
int  LLVMFuzzerInitialize    (int            *argc,
                              char         ***argv);
/* Feeds one input to the code under test; aborts on any broken promise. */
int  LLVMFuzzerTestOneInput  (const uint8_t  *data,
                              size_t          size);

#define FW_FUZZ_FATAL_LEVELS (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)

static inline GLogWriterOutput
fw_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  /* Hostile input makes the engine say so at message level or below; that
   * is expected, and printing it for every input slows the fuzzer down. */
  if ((log_level & FW_FUZZ_FATAL_LEVELS) == 0)
    {
      if (g_getenv ("FW_FUZZ_VERBOSE") == NULL)
        return G_LOG_WRITER_HANDLED;
      return g_log_writer_default (log_level, fields, n_fields, user_data);
    }

  /* A warning or a critical (a g_return_if_fail() tripped by hostile input)
   * is a bug like any crash.  abort() rather than GLib's breakpoint trap:
   * libFuzzer saves the input on SIGABRT, not on SIGTRAP. */
  g_log_writer_default (log_level, fields, n_fields, user_data);
  abort ();
}

static inline void
fw_fuzz_setup_logging (void)
{
  g_log_set_always_fatal (FW_FUZZ_FATAL_LEVELS);
  g_log_set_writer_func (fw_fuzz_log_writer, NULL, NULL);
}

G_END_DECLS
