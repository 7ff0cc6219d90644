/* fw-frame-pool.h — where the frames of notifications are kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FwNotification allocates here; others only trim.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE under AddressSanitizer or valgrind: every block is malloc's. */
gboolean  fw_frame_pool_is_pooling  (void);
/* A block of @size bytes, 8-byte aligned.  Thread-safe. */
char     *fw_frame_pool_alloc       (gsize  size);
/* Gives back the end of the newest block, from @size down to @new_size. */
void      fw_frame_pool_shrink      (char  *block,
                                     gsize  size,
                                     gsize  new_size);
void      fw_frame_pool_free        (char  *block);
/* Gives the emptied chunks kept for reuse back to the system. */
void      fw_frame_pool_trim        (void);
/* Chunks holding frames and their bytes (empty ones kept for reuse are not
 * counted), for tests and benchmarks. */
guint     fw_frame_pool_get_n_chunks (gsize *bytes);

G_END_DECLS
