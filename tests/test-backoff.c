/* test-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fw-backoff.h"

#define S (G_USEC_PER_SEC)

static void
test_first_delay (void)
{
  /* Whatever the seed, the first retry comes after more than nothing and
   * no later than the initial delay. */
  for (guint32 seed = 0; seed < 500; seed++)
    {
      g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 60000, 60000);
      guint delay;

      fw_backoff_set_seed (backoff, seed);
      delay = fw_backoff_next_delay (backoff, 0);
      g_assert_cmpuint (delay, >, 0);
      g_assert_cmpuint (delay, >=, 500);
      g_assert_cmpuint (delay, <=, 1000);
      g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 1);
    }
}

static void
test_doubling_and_cap (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (100, 5000, 60000);
  guint ceiling = 100;

  fw_backoff_set_seed (backoff, 42);

  for (guint i = 0; i < 40; i++)
    {
      guint delay = fw_backoff_next_delay (backoff, (gint64) i * S);

      g_assert_cmpuint (delay, >=, ceiling / 2);
      g_assert_cmpuint (delay, <=, ceiling);
      g_assert_cmpuint (delay, <=, 5000);
      ceiling = MIN (ceiling * 2, 5000);
    }

  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 40);
}

static void
test_grows_on_average (void)
{
  /* The window doubles: the mean of many draws at attempt n+1 is about twice
   * the mean at attempt n, until the cap. */
  double means[6] = { 0 };
  const guint runs = 2000;

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 1000000, 60000);

      fw_backoff_set_seed (backoff, r);
      for (guint i = 0; i < G_N_ELEMENTS (means); i++)
        means[i] += fw_backoff_next_delay (backoff, 0) / (double) runs;
    }

  for (guint i = 1; i < G_N_ELEMENTS (means); i++)
    {
      double ratio = means[i] / means[i - 1];

      g_test_message ("mean %u: %.0f ms, ratio %.2f", i, means[i], ratio);
      g_assert_cmpfloat (ratio, >, 1.8);
      g_assert_cmpfloat (ratio, <, 2.2);
    }
  /* Uniform in [500, 1000]: the mean sits near 750. */
  g_assert_cmpfloat (means[0], >, 720);
  g_assert_cmpfloat (means[0], <, 780);
}

static void
test_jitter_spreads (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint32 seed = 0; seed < 100; seed++)
    {
      g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 60000, 60000);

      fw_backoff_set_seed (backoff, seed);
      fw_backoff_next_delay (backoff, 0);
      fw_backoff_next_delay (backoff, 0);
      g_hash_table_add (seen, GUINT_TO_POINTER (fw_backoff_next_delay (backoff, 0)));
    }

  /* 100 clients that failed together do not retry together. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 50);
}

static void
test_seed_reproducible (void)
{
  g_autoptr(FwBackoff) a = fw_backoff_new (250, 30000, 60000);
  g_autoptr(FwBackoff) b = fw_backoff_new (250, 30000, 60000);
  gboolean all_same = TRUE;

  fw_backoff_set_seed (a, 7);
  fw_backoff_set_seed (b, 7);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (fw_backoff_next_delay (a, 0), ==, fw_backoff_next_delay (b, 0));

  fw_backoff_reset (a);
  fw_backoff_reset (b);
  fw_backoff_set_seed (a, 7);
  fw_backoff_set_seed (b, 8);
  for (guint i = 0; i < 20; i++)
    all_same &= fw_backoff_next_delay (a, 0) == fw_backoff_next_delay (b, 0);
  g_assert_false (all_same);
}

static void
test_reset_after_stable (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 60000, 10000);
  guint delay;

  fw_backoff_set_seed (backoff, 1);
  for (guint i = 0; i < 6; i++)
    fw_backoff_next_delay (backoff, 0);
  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 6);

  /* Up at 100 s, down again at 110 s: it stayed up for the stable period. */
  fw_backoff_succeeded (backoff, 100 * S);
  delay = fw_backoff_next_delay (backoff, 110 * S);
  g_assert_cmpuint (delay, <=, 1000);
  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 1);
}

static void
test_no_reset_when_flapping (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 60000, 10000);
  guint delay;

  fw_backoff_set_seed (backoff, 1);
  for (guint i = 0; i < 4; i++)
    fw_backoff_next_delay (backoff, 0);

  /* Up at 100 s but down again 9.9 s later: the series goes on growing. */
  fw_backoff_succeeded (backoff, 100 * S);
  delay = fw_backoff_next_delay (backoff, 100 * S + 9900000);
  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 5);
  g_assert_cmpuint (delay, >=, 8000);
  g_assert_cmpuint (delay, <=, 16000);

  /* A success only counts for the failure that follows it. */
  delay = fw_backoff_next_delay (backoff, 1000 * S);
  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 6);
  g_assert_cmpuint (delay, >=, 16000);
}

static void
test_explicit_reset (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (200, 60000, 60000);

  for (guint i = 0; i < 10; i++)
    fw_backoff_next_delay (backoff, 0);
  fw_backoff_reset (backoff);
  g_assert_cmpuint (fw_backoff_get_attempts (backoff), ==, 0);
  g_assert_cmpuint (fw_backoff_next_delay (backoff, 0), <=, 200);
}

static void
test_edge_values (void)
{
  g_autoptr(FwBackoff) tiny = fw_backoff_new (1, 1, 0);
  g_autoptr(FwBackoff) huge = fw_backoff_new (G_MAXUINT, G_MAXUINT, G_MAXUINT);
  g_autoptr(FwBackoff) cap_below = fw_backoff_new (1000, 10, 0);

  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (fw_backoff_next_delay (tiny, 0), ==, 1);

  /* Thousands of attempts neither overflow nor pass the cap. */
  for (guint i = 0; i < 5000; i++)
    {
      guint delay = fw_backoff_next_delay (huge, 0);

      g_assert_cmpuint (delay, >, 0);
    }

  /* A cap below the initial delay cannot make the first retry come later
   * than asked, nor earlier than half of it. */
  {
    guint delay = fw_backoff_next_delay (cap_below, 0);

    g_assert_cmpuint (delay, <=, 1000);
    g_assert_cmpuint (delay, >=, 500);
  }

  /* NULL is fine to free, like g_free. */
  fw_backoff_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/backoff/first-delay", test_first_delay);
  g_test_add_func ("/engine/backoff/doubling-and-cap", test_doubling_and_cap);
  g_test_add_func ("/engine/backoff/grows-on-average", test_grows_on_average);
  g_test_add_func ("/engine/backoff/jitter-spreads", test_jitter_spreads);
  g_test_add_func ("/engine/backoff/seed-reproducible", test_seed_reproducible);
  g_test_add_func ("/engine/backoff/reset-after-stable", test_reset_after_stable);
  g_test_add_func ("/engine/backoff/no-reset-when-flapping", test_no_reset_when_flapping);
  g_test_add_func ("/engine/backoff/explicit-reset", test_explicit_reset);
  g_test_add_func ("/engine/backoff/edge-values", test_edge_values);

  return g_test_run ();
}
