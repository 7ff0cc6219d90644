/* fw-correlation-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every CorrelationId is reduced to a 128-bit key: a UUID (the form Genesys
 * uses) is decoded exactly, any other string is hashed into 128 bits with two
 * independent 64-bit hashes.  Two different non-UUID ids could in principle
 * share a key (odds about 2^-128 per pair), which would drop one of them as a
 * duplicate.  Keys live in a ring (insertion order, for FIFO eviction) and
 * are found through an open-addressing table of ring indices with linear
 * probing, at most half full.  Everything is allocated up front.
 */

#define G_LOG_DOMAIN "fw-correlation-set"

#include "config.h"

#include <string.h>

#include "fw-correlation-set.h"

typedef struct
{
  guint64 hi;
  guint64 lo;
} Key;

struct _FwCorrelationSet
{
  Key     *ring;        /* capacity keys, oldest at ring[(head + capacity - size) % capacity] */
  guint32 *table;       /* ring index + 1, 0 = empty */
  guint    capacity;
  guint    head;        /* where the next key goes */
  guint    size;
  guint32  table_mask;
};

/* Largest capacity: the table (twice as many slots, rounded up to a power
 * of two) must stay addressable with 32-bit indices. */
#define MAX_CAPACITY (G_MAXUINT32 / 4)

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the canonical 8-4-4-4-12 form, either case. */
static gboolean
parse_uuid (const char *id,
            Key        *key)
{
  guint64 words[2] = { 0, 0 };
  guint n_digits = 0;
  guint i;

  for (i = 0; i < 36; i++)
    {
      int v;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (id[i] != '-')
            return FALSE;
          continue;
        }

      v = hex_value (id[i]);  /* also stops at the NUL of a short string */
      if (v < 0)
        return FALSE;

      words[n_digits / 16] = (words[n_digits / 16] << 4) | (guint64) v;
      n_digits++;
    }

  if (id[36] != '\0')
    return FALSE;

  key->hi = words[0];
  key->lo = words[1];
  return TRUE;
}

/* The MurmurHash3 finalizer: a bijective 64-bit mix. */
static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  x ^= x >> 33;
  return x;
}

static guint64
hash_string (const char *s,
             gsize       len,
             guint64     seed)
{
  guint64 h = mix64 (seed ^ (guint64) len);

  while (len >= 8)
    {
      guint64 v;

      memcpy (&v, s, 8);
      h = mix64 (h ^ v) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      s += 8;
      len -= 8;
    }

  if (len > 0)
    {
      guint64 v = 0;

      memcpy (&v, s, len);
      h = mix64 (h ^ v ^ ((guint64) len << 56)) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
    }

  return mix64 (h);
}

static void
make_key (const char *id,
          Key        *key)
{
  gsize len;

  if (parse_uuid (id, key))
    return;

  len = strlen (id);
  key->hi = hash_string (id, len, G_GUINT64_CONSTANT (0x243f6a8885a308d3));
  key->lo = hash_string (id, len, G_GUINT64_CONSTANT (0x13198a2e03707344));
}

static inline guint32
home_slot (const FwCorrelationSet *self,
           const Key              *key)
{
  /* Random UUIDs are already well spread, but ids need not be random. */
  return (guint32) mix64 (key->hi ^ (key->lo * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)))
         & self->table_mask;
}

static inline gboolean
key_equal (const Key *a,
           const Key *b)
{
  return a->hi == b->hi && a->lo == b->lo;
}

/* Returns the table slot holding @key, or the empty slot where it would go. */
static guint32
find_slot (const FwCorrelationSet *self,
           const Key              *key)
{
  guint32 slot = home_slot (self, key);

  for (;;)
    {
      guint32 entry = self->table[slot];

      if (entry == 0 || key_equal (&self->ring[entry - 1], key))
        return slot;

      slot = (slot + 1) & self->table_mask;
    }
}

/* Backward-shift deletion keeps every remaining key reachable from its home
 * slot without tombstones. */
static void
remove_slot (FwCorrelationSet *self,
             guint32           hole)
{
  guint32 slot = hole;

  for (;;)
    {
      guint32 entry;
      guint32 home;

      slot = (slot + 1) & self->table_mask;
      entry = self->table[slot];
      if (entry == 0)
        break;

      home = home_slot (self, &self->ring[entry - 1]);

      /* Move the entry into the hole unless its home lies cyclically in
       * (hole, slot]: then it must stay where it is. */
      if (((slot - home) & self->table_mask) >= ((slot - hole) & self->table_mask))
        {
          self->table[hole] = entry;
          hole = slot;
        }
    }

  self->table[hole] = 0;
}

FwCorrelationSet *
fw_correlation_set_new (guint capacity)
{
  FwCorrelationSet *self;
  guint64 table_size = 1;

  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (capacity <= MAX_CAPACITY, NULL);

  while (table_size < 2 * (guint64) capacity)
    table_size <<= 1;

  self = g_new0 (FwCorrelationSet, 1);
  self->capacity = capacity;
  self->ring = g_new (Key, capacity);
  self->table = g_new0 (guint32, table_size);
  self->table_mask = (guint32) (table_size - 1);

  return self;
}

void
fw_correlation_set_free (FwCorrelationSet *self)
{
  if (self == NULL)
    return;

  g_free (self->ring);
  g_free (self->table);
  g_free (self);
}

gboolean
fw_correlation_set_add (FwCorrelationSet *self,
                        const char       *id)
{
  Key key;
  guint32 slot;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  make_key (id, &key);

  slot = find_slot (self, &key);
  if (self->table[slot] != 0)
    return FALSE;

  if (self->size == self->capacity)
    {
      /* Forget the oldest id; its ring entry is the one we overwrite. */
      guint32 oldest = find_slot (self, &self->ring[self->head]);

      g_assert (self->table[oldest] == self->head + 1);
      remove_slot (self, oldest);
      self->size--;

      /* The removal may have moved entries: look again. */
      slot = find_slot (self, &key);
    }

  self->ring[self->head] = key;
  self->table[slot] = self->head + 1;
  self->head = (self->head + 1 == self->capacity) ? 0 : self->head + 1;
  self->size++;

  return TRUE;
}

guint
fw_correlation_set_get_size (FwCorrelationSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}
