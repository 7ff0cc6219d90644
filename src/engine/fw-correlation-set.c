/* fw-correlation-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every CorrelationId is reduced to a 128-bit key: a UUID (the form Genesys
 * uses) is decoded exactly, any other string is hashed into 128 bits with two
 * independent 64-bit hashes.  Two different non-UUID ids could in principle
 * share a key (odds about 2^-128 per pair), which would drop one of them as a
 * duplicate.  Keys live in a ring (insertion order, for FIFO eviction) and
 * are found through an open-addressing table with linear probing, at most
 * half full.  A table slot holds the key's ring index and 32 bits of its
 * hash, so that probing, eviction and deletion never touch the ring except
 * to confirm a likely duplicate: at a few hundred thousand adds per second
 * the ring does not stay in cache.  Everything is allocated up front.
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

typedef struct
{
  guint32 index;        /* ring index + 1, 0 = empty */
  guint32 hash;         /* low bits: home slot; the rest tells keys apart */
} Slot;

struct _FwCorrelationSet
{
  Key     *ring;        /* capacity keys, oldest at ring[(head + capacity - size) % capacity] */
  Slot    *table;
  guint    capacity;
  guint    head;        /* where the next key goes */
  guint    size;
  guint32  table_mask;
};

/* Largest capacity: the table (twice as many slots, rounded up to a power
 * of two) must stay addressable with 32-bit indices. */
#define MAX_CAPACITY (G_MAXUINT32 / 4)

/* Hex digit value + 1; 0 for anything else (the NUL that ends a short
 * string included). */
static const guint8 hex_values[256] = {
  ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
  ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
  ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
  ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Reads @n hex digits into *@value; FALSE at the first non-digit. */
static inline gboolean
read_hex (const char *s,
          guint       n,
          guint64    *value)
{
  guint64 v = *value;

  for (guint i = 0; i < n; i++)
    {
      guint d = hex_values[(guchar) s[i]];

      /* Stop at the first non-digit: the NUL of a short id is one, and
       * nothing past it may be read. */
      if (d == 0)
        return FALSE;
      v = (v << 4) | (d - 1);
    }

  *value = v;
  return TRUE;
}

/* Reads the canonical 8-4-4-4-12 form, either case. */
static gboolean
parse_uuid (const char *id,
            Key        *key)
{
  guint64 hi = 0;
  guint64 lo = 0;

  /* Each group is checked before the next is read, so a short string is
   * never read past its NUL. */
  if (!read_hex (id, 8, &hi) || id[8] != '-' ||
      !read_hex (id + 9, 4, &hi) || id[13] != '-' ||
      !read_hex (id + 14, 4, &hi) || id[18] != '-' ||
      !read_hex (id + 19, 4, &lo) || id[23] != '-' ||
      !read_hex (id + 24, 12, &lo) || id[36] != '\0')
    return FALSE;

  key->hi = hi;
  key->lo = lo;
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
hash_key (const Key *key)
{
  /* Random UUIDs are already well spread, but ids need not be random. */
  return (guint32) mix64 (key->hi ^ (key->lo * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));
}

static inline gboolean
key_equal (const Key *a,
           const Key *b)
{
  return a->hi == b->hi && a->lo == b->lo;
}

/* Returns the table slot holding @key, or the empty slot where it would go. */
static guint32
find_key (const FwCorrelationSet *self,
          const Key              *key,
          guint32                 hash)
{
  guint32 slot = hash & self->table_mask;

  for (;;)
    {
      const Slot *entry = &self->table[slot];

      if (entry->index == 0)
        return slot;
      if (entry->hash == hash && key_equal (&self->ring[entry->index - 1], key))
        return slot;

      slot = (slot + 1) & self->table_mask;
    }
}

/* Returns the table slot that refers to ring entry @index. */
static guint32
find_index (const FwCorrelationSet *self,
            guint32                 index,
            guint32                 hash)
{
  guint32 slot = hash & self->table_mask;

  while (self->table[slot].index != index + 1)
    {
      g_assert (self->table[slot].index != 0);
      slot = (slot + 1) & self->table_mask;
    }

  return slot;
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
      guint32 home;

      slot = (slot + 1) & self->table_mask;
      if (self->table[slot].index == 0)
        break;

      home = self->table[slot].hash & self->table_mask;

      /* Move the entry into the hole unless its home lies cyclically in
       * (hole, slot]: then it must stay where it is. */
      if (((slot - home) & self->table_mask) >= ((slot - hole) & self->table_mask))
        {
          self->table[hole] = self->table[slot];
          hole = slot;
        }
    }

  self->table[hole].index = 0;
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
  self->table = g_new0 (Slot, table_size);
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
  guint32 hash;
  guint32 slot;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  make_key (id, &key);
  hash = hash_key (&key);

  slot = find_key (self, &key, hash);
  if (self->table[slot].index != 0)
    return FALSE;

  if (self->size == self->capacity)
    {
      /* Forget the oldest id: its ring entry is the one we overwrite. */
      remove_slot (self, find_index (self, self->head, hash_key (&self->ring[self->head])));
      self->size--;

      /* The removal may have moved entries: look again. */
      slot = find_key (self, &key, hash);
    }

  self->ring[self->head] = key;
  self->table[slot].index = self->head + 1;
  self->table[slot].hash = hash;
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
