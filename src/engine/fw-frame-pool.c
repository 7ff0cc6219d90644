/* fw-frame-pool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An event list keeps tens of thousands of notifications and lets them go
 * oldest first.  Allocated one by one, their frames sit in the heap among
 * everything short-lived the main thread allocates meanwhile, and as they go
 * they leave holes the process keeps.  Here frames are laid side by side in
 * chunks of CHUNK_SIZE bytes, in the order they arrive, with no header of
 * their own; a chunk is returned to the system when its last frame is freed.
 * A notification kept for longer (the one on screen in the detail view) keeps
 * its chunk, no more.  Chunks are mapped from the system directly: from
 * malloc, aligned blocks this large would leave holes of their own.
 *
 * Under AddressSanitizer or valgrind every frame is a malloc block of its
 * own instead, so that a read past a frame's end is caught, not hidden in a
 * chunk.
 */

#define G_LOG_DOMAIN "fw-frame-pool"

#include "config.h"

#include <errno.h>
#include <sys/mman.h>

#if HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "fw-frame-pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define FW_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FW_ADDRESS_SANITIZER 1
#endif
#endif

#define CHUNK_SIZE  (256 * 1024)
/* Emptied chunks kept for the next ones (16 MiB at most, until
 * fw_frame_pool_trim()): a list that lets thousands of frames go at once and
 * takes as many in then maps nothing and touches no new page.  Unmapping and
 * mapping them instead costs every thread of the process. */
#define MAX_SPARE   64
#define ALIGN(n)    (((n) + 7) & ~(gsize) 7)

typedef struct
{
  gsize  size;      /* of the chunk, header included */
  gsize  used;      /* bytes from the chunk's start, header included */
  guint  n_live;    /* blocks not freed yet, plus one while it is current */
  guint  padding;
} Chunk;

#define HEADER_SIZE ALIGN (sizeof (Chunk))

static GMutex lock;
static Chunk *current;
static Chunk *spare[MAX_SPARE];
static guint n_spare;
static guint n_chunks;
static gsize chunk_bytes;

/* Every block lies within the first CHUNK_SIZE bytes of a chunk aligned to
 * CHUNK_SIZE, so its chunk is found from its address. */
static Chunk *
chunk_of (char *block)
{
  return (Chunk *) ((guintptr) block & ~(guintptr) (CHUNK_SIZE - 1));
}

static Chunk *
chunk_new (gsize size)
{
  gsize mapped = size + CHUNK_SIZE;
  char *start;
  char *aligned;
  Chunk *chunk;

  if (size == CHUNK_SIZE && n_spare > 0)
    {
      chunk = spare[--n_spare];
      chunk->used = HEADER_SIZE;
      chunk->n_live = 0;
      n_chunks++;
      chunk_bytes += size;
      return chunk;
    }

  /* Map a chunk's size more than needed, then unmap what lies before the
   * first CHUNK_SIZE boundary and after the chunk. */
  start = mmap (NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (start == MAP_FAILED)
    g_error ("Could not map %" G_GSIZE_FORMAT " bytes for notifications: %s", mapped, g_strerror (errno));
  aligned = (char *) (((guintptr) start + CHUNK_SIZE - 1) & ~(guintptr) (CHUNK_SIZE - 1));
  if (aligned > start)
    munmap (start, aligned - start);
  if (aligned + size < start + mapped)
    munmap (aligned + size, (start + mapped) - (aligned + size));

  chunk = (Chunk *) aligned;
  chunk->size = size;
  chunk->used = HEADER_SIZE;
  chunk->n_live = 0;
  n_chunks++;
  chunk_bytes += size;
  return chunk;
}

static void
chunk_release (Chunk *chunk)
{
  if (--chunk->n_live > 0)
    return;
  n_chunks--;
  chunk_bytes -= chunk->size;
  if (chunk->size == CHUNK_SIZE && n_spare < MAX_SPARE)
    spare[n_spare++] = chunk;
  else
    munmap (chunk, chunk->size);
}

gboolean
fw_frame_pool_is_pooling (void)
{
#if defined(FW_ADDRESS_SANITIZER)
  return FALSE;
#elif HAVE_VALGRIND_H
  return !RUNNING_ON_VALGRIND;
#else
  return TRUE;
#endif
}

char *
fw_frame_pool_alloc (gsize size)
{
  gsize needed = ALIGN (MAX (size, 1));
  char *block;

  g_return_val_if_fail (size <= G_MAXSIZE / 2, NULL);

  if (!fw_frame_pool_is_pooling ())
    return g_malloc (MAX (size, 1));

  g_mutex_lock (&lock);

  if (HEADER_SIZE + needed > CHUNK_SIZE)
    {
      /* A frame larger than a chunk gets a chunk of its own. */
      Chunk *chunk = chunk_new ((HEADER_SIZE + needed + CHUNK_SIZE - 1) / CHUNK_SIZE * CHUNK_SIZE);

      block = (char *) chunk + chunk->used;
      chunk->used += needed;
      chunk->n_live = 1;
      g_mutex_unlock (&lock);
      return block;
    }

  if (current == NULL || current->used + needed > current->size)
    {
      if (current != NULL)
        chunk_release (current);
      current = chunk_new (CHUNK_SIZE);
      current->n_live = 1;
    }

  block = (char *) current + current->used;
  current->used += needed;
  current->n_live++;

  g_mutex_unlock (&lock);
  return block;
}

void
fw_frame_pool_shrink (char  *block,
                      gsize  size,
                      gsize  new_size)
{
  Chunk *chunk;

  g_return_if_fail (block != NULL);
  g_return_if_fail (new_size <= size);

  if (!fw_frame_pool_is_pooling ())
    return;

  g_mutex_lock (&lock);
  chunk = chunk_of (block);
  /* Only the newest block of the current chunk can give room back. */
  if (chunk == current && (char *) chunk + chunk->used == block + ALIGN (MAX (size, 1)))
    chunk->used = (gsize) (block - (char *) chunk) + ALIGN (MAX (new_size, 1));
  g_mutex_unlock (&lock);
}

void
fw_frame_pool_free (char *block)
{
  if (block == NULL)
    return;

  if (!fw_frame_pool_is_pooling ())
    {
      g_free (block);
      return;
    }

  g_mutex_lock (&lock);
  chunk_release (chunk_of (block));
  g_mutex_unlock (&lock);
}

void
fw_frame_pool_trim (void)
{
  g_mutex_lock (&lock);
  while (n_spare > 0)
    munmap (spare[--n_spare], CHUNK_SIZE);
  g_mutex_unlock (&lock);
}

guint
fw_frame_pool_get_n_chunks (gsize *bytes)
{
  guint n;

  g_mutex_lock (&lock);
  n = n_chunks;
  if (bytes != NULL)
    *bytes = chunk_bytes;
  g_mutex_unlock (&lock);
  return n;
}
