/* test-correlation-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fw-correlation-set.h"

static char *
uuid_for (guint i)
{
  /* Sequential, not random: the table must spread them anyway. */
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", i, i * 7);
}

static void
test_duplicates (void)
{
  g_autoptr(FwCorrelationSet) set = fw_correlation_set_new (16);

  g_assert_true (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef7723"));
  g_assert_false (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef7723"));
  /* A UUID is the same UUID in either case. */
  g_assert_false (fw_correlation_set_add (set, "48497422-A0FF-4597-83D4-B80E49EF7723"));
  g_assert_true (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef7724"));
  g_assert_cmpuint (fw_correlation_set_get_size (set), ==, 2);

  /* Any other string works too, through its hash. */
  g_assert_true (fw_correlation_set_add (set, "not-a-uuid"));
  g_assert_false (fw_correlation_set_add (set, "not-a-uuid"));
  g_assert_true (fw_correlation_set_add (set, "not-a-uuiD"));
  g_assert_true (fw_correlation_set_add (set, ""));
  g_assert_false (fw_correlation_set_add (set, ""));
  /* Almost-UUIDs are plain strings, distinct from each other. */
  g_assert_true (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef772"));
  g_assert_true (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef77233"));
  g_assert_true (fw_correlation_set_add (set, "48497422a0ff-4597-83d4-b80e49ef7723-"));
  g_assert_true (fw_correlation_set_add (set, "g8497422-a0ff-4597-83d4-b80e49ef7723"));
  g_assert_cmpuint (fw_correlation_set_get_size (set), ==, 9);
  g_assert_false (fw_correlation_set_add (set, "48497422-a0ff-4597-83d4-b80e49ef772"));
}

static void
test_eviction (void)
{
  g_autoptr(FwCorrelationSet) set = fw_correlation_set_new (100);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = uuid_for (i);
      g_assert_true (fw_correlation_set_add (set, id));
    }
  g_assert_cmpuint (fw_correlation_set_get_size (set), ==, 100);

  /* Full: each new id pushes out the oldest one, and only that one. */
  for (guint i = 100; i < 150; i++)
    {
      g_autofree char *id = uuid_for (i);
      g_assert_true (fw_correlation_set_add (set, id));
      g_assert_cmpuint (fw_correlation_set_get_size (set), ==, 100);
    }

  for (guint i = 50; i < 150; i++)
    {
      g_autofree char *id = uuid_for (i);
      g_assert_false (fw_correlation_set_add (set, id));
    }

  /* The forgotten ones count as new again (each re-add evicts the oldest). */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = uuid_for (i);
      g_assert_true (fw_correlation_set_add (set, id));
    }
  for (guint i = 100; i < 150; i++)
    {
      g_autofree char *id = uuid_for (i);
      g_assert_false (fw_correlation_set_add (set, id));
    }
}

static void
test_capacity_one (void)
{
  g_autoptr(FwCorrelationSet) set = fw_correlation_set_new (1);

  g_assert_true (fw_correlation_set_add (set, "a"));
  g_assert_false (fw_correlation_set_add (set, "a"));
  g_assert_true (fw_correlation_set_add (set, "b"));
  g_assert_true (fw_correlation_set_add (set, "a"));
  g_assert_cmpuint (fw_correlation_set_get_size (set), ==, 1);
}

/* A long run of mixed adds and evictions against a plain hash table: the
 * table's deletions must never lose an id that is still in the window. */
static void
test_against_reference (void)
{
  const guint capacity = 1000;
  g_autoptr(FwCorrelationSet) set = fw_correlation_set_new (capacity);
  g_autoptr(GHashTable) window = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GQueue) order = g_queue_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 200000; i++)
    {
      guint n = g_rand_int_range (rand, 0, 3000);
      g_autofree char *id = NULL;
      gboolean expected;

      /* Half UUIDs, half other strings, drawn from a pool three times the
       * capacity so that duplicates and evictions both happen often. */
      if (n % 2)
        id = uuid_for (n);
      else
        id = g_strdup_printf ("event-%u", n);

      expected = !g_hash_table_contains (window, id);
      g_assert_cmpint (fw_correlation_set_add (set, id), ==, expected);

      if (expected)
        {
          char *key = g_strdup (id);

          /* The queue shares the keys the table owns. */
          if (g_queue_get_length (order) == capacity)
            g_hash_table_remove (window, g_queue_pop_head (order));
          g_hash_table_add (window, key);
          g_queue_push_tail (order, key);
        }

      g_assert_cmpuint (fw_correlation_set_get_size (set), ==, g_hash_table_size (window));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/correlation-set/duplicates", test_duplicates);
  g_test_add_func ("/engine/correlation-set/eviction", test_eviction);
  g_test_add_func ("/engine/correlation-set/capacity-one", test_capacity_one);
  g_test_add_func ("/engine/correlation-set/against-reference", test_against_reference);

  return g_test_run ();
}
