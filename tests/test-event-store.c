/* test-event-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fw-test-util.h"

/* A consumer that does what GTK's list models do: it mirrors the model by
 * applying each items-changed as it comes, and checks in the handler that
 * the model already looks exactly like the mirror. */
typedef struct
{
  GListModel *model;
  GPtrArray  *mirror;
  guint       n_signals;
  guint       last_position;
  guint       last_removed;
  guint       last_added;
  gulong      handler;
} Consumer;

static void
consumer_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           Consumer   *consumer)
{
  guint n_items = g_list_model_get_n_items (model);

  consumer->n_signals++;
  consumer->last_position = position;
  consumer->last_removed = removed;
  consumer->last_added = added;

  g_assert_cmpuint (removed + added, >, 0);
  g_assert_cmpuint (position + removed, <=, consumer->mirror->len);
  g_ptr_array_remove_range (consumer->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      GObject *item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_insert (consumer->mirror, position + i, item);
    }

  g_assert_cmpuint (n_items, ==, consumer->mirror->len);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (consumer->mirror, i));
    }
  g_assert_null (g_list_model_get_item (model, n_items));
}

static void
consumer_init (Consumer   *consumer,
               GListModel *model)
{
  memset (consumer, 0, sizeof *consumer);
  consumer->model = model;
  consumer->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (consumer->mirror, g_list_model_get_item (model, i));
  consumer->handler = g_signal_connect (model, "items-changed",
                                        G_CALLBACK (consumer_items_changed_cb), consumer);
}

static void
consumer_clear (Consumer *consumer)
{
  g_clear_signal_handler (&consumer->handler, consumer->model);
  g_clear_pointer (&consumer->mirror, g_ptr_array_unref);
}

static FwNotification *
make_notification (guint i)
{
  g_autofree char *frame = NULL;
  g_autoptr(GError) error = NULL;
  FwNotification *n;

  frame = g_strdup_printf ("{\"topicName\":\"v2.test.%u\",\"version\":\"2\",\"eventBody\":{},"
                           "\"metadata\":{\"CorrelationId\":\"id-%u\"}}", i, i);
  n = fw_notification_new_from_data (frame, strlen (frame), g_get_real_time (), &error);
  g_assert_no_error (error);
  return n;
}

static void
append_new (FwEventStore *store,
            guint         i)
{
  g_autoptr(FwNotification) n = make_notification (i);

  fw_event_store_append (store, n);
}

/* The number in the topic of the item at @position. */
static guint
number_at (FwEventStore *store,
           guint         position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), position);
  const char *topic;

  g_assert_true (FW_IS_NOTIFICATION (item));
  topic = fw_notification_get_topic (FW_NOTIFICATION (item));
  g_assert_true (g_str_has_prefix (topic, "v2.test."));
  return (guint) g_ascii_strtoull (topic + strlen ("v2.test."), NULL, 10);
}

static FwEventStore *
store_new (guint max_items,
           guint flush_interval)
{
  FwEventStore *store = fw_event_store_new (max_items);

  g_object_set (store, "flush-interval", flush_interval, NULL);
  return store;
}

static void
test_model_basics (void)
{
  g_autoptr(FwEventStore) store = fw_event_store_new (10);
  guint flush_interval = 0;

  g_assert_true (G_IS_LIST_MODEL (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == G_TYPE_OBJECT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 0));
  g_assert_cmpuint (fw_event_store_get_max_items (store), ==, 10);
  g_object_get (store, "flush-interval", &flush_interval, NULL);
  g_assert_cmpuint (flush_interval, ==, 50);
  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 0);
}

static void
test_batching (void)
{
  g_autoptr(FwEventStore) store = store_new (100, 60 * 1000);
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint i = 0; i < 10; i++)
    append_new (store, i);

  /* Nothing shows before the flush, however long the loop runs. */
  fw_test_run_for (100);
  g_assert_cmpuint (consumer.n_signals, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 10);

  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 1);
  g_assert_cmpuint (consumer.last_position, ==, 0);
  g_assert_cmpuint (consumer.last_removed, ==, 0);
  g_assert_cmpuint (consumer.last_added, ==, 10);

  /* Newest first. */
  for (guint p = 0; p < 10; p++)
    g_assert_cmpuint (number_at (store, p), ==, 9 - p);

  /* A flush with nothing pending says nothing. */
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 1);

  /* The next batch lands on top. */
  append_new (store, 10);
  append_new (store, 11);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 10);
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 2);
  g_assert_cmpuint (consumer.last_added, ==, 2);
  g_assert_cmpuint (number_at (store, 0), ==, 11);
  g_assert_cmpuint (number_at (store, 1), ==, 10);
  g_assert_cmpuint (number_at (store, 11), ==, 0);

  consumer_clear (&consumer);
}

static void
test_timer (void)
{
  g_autoptr(FwEventStore) store = store_new (100, 30);
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint i = 0; i < 50; i++)
    append_new (store, i);
  g_assert_cmpuint (consumer.n_signals, ==, 0);

  /* One signal for the whole batch, by the timer alone. */
  FW_TEST_WAIT_UNTIL (consumer.n_signals > 0, 5000);
  g_assert_cmpuint (consumer.n_signals, ==, 1);
  g_assert_cmpuint (consumer.last_added, ==, 50);

  /* Nothing pending: nothing more happens. */
  fw_test_run_for (150);
  g_assert_cmpuint (consumer.n_signals, ==, 1);

  append_new (store, 50);
  FW_TEST_WAIT_UNTIL (consumer.n_signals == 2, 5000);
  g_assert_cmpuint (consumer.last_added, ==, 1);
  g_assert_cmpuint (number_at (store, 0), ==, 50);

  consumer_clear (&consumer);
}

/* The flush timer is the only source the store adds to the main loop, and
 * only while something is pending. */
static void
test_timer_only_while_pending (void)
{
  g_autoptr(FwEventStore) store = store_new (100, 60 * 1000);
  GMainContext *context = g_main_context_default ();
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_assert_null (g_main_context_find_source_by_user_data (context, store));

  /* A thousand appends: one timer, and nothing ready to run before it. */
  for (guint i = 0; i < 1000; i++)
    append_new (store, i);
  g_assert_nonnull (g_main_context_find_source_by_user_data (context, store));
  g_assert_false (g_main_context_pending (context));

  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 1);
  g_assert_null (g_main_context_find_source_by_user_data (context, store));

  /* Same when the timer does the flush. */
  g_object_set (store, "flush-interval", 20, NULL);
  append_new (store, 1000);
  g_assert_nonnull (g_main_context_find_source_by_user_data (context, store));
  FW_TEST_WAIT_UNTIL (consumer.n_signals > 1, 5000);
  /* The store is full: the oldest leaves, then the new one arrives. */
  g_assert_cmpuint (consumer.n_signals, ==, 3);
  g_assert_cmpuint (number_at (store, 0), ==, 1000);
  g_assert_null (g_main_context_find_source_by_user_data (context, store));

  consumer_clear (&consumer);
}

static void
test_max_items (void)
{
  g_autoptr(FwEventStore) store = store_new (5, 60 * 1000);
  Consumer consumer;
  guint expected[] = { 6, 5, 4, 3, 2 };

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint i = 0; i < 3; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 1);

  /* 3 + 4 > 5: the two oldest leave at the end, then four arrive on top. */
  for (guint i = 3; i < 7; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 3);
  g_assert_cmpuint (consumer.last_position, ==, 0);
  g_assert_cmpuint (consumer.last_removed, ==, 0);
  g_assert_cmpuint (consumer.last_added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);
  for (guint p = 0; p < 5; p++)
    g_assert_cmpuint (number_at (store, p), ==, expected[p]);

  consumer_clear (&consumer);
}

static void
test_overflow (void)
{
  g_autoptr(FwEventStore) store = store_new (5, 60 * 1000);
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint i = 0; i < 3; i++)
    append_new (store, i);
  fw_event_store_flush (store);

  /* More than max-items since the last flush: one "everything changed". */
  for (guint i = 3; i < 15; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 2);
  g_assert_cmpuint (consumer.last_position, ==, 0);
  g_assert_cmpuint (consumer.last_removed, ==, 3);
  g_assert_cmpuint (consumer.last_added, ==, 5);
  for (guint p = 0; p < 5; p++)
    g_assert_cmpuint (number_at (store, p), ==, 14 - p);

  /* Exactly max-items since the last flush replaces everything too. */
  for (guint i = 15; i < 20; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 3);
  g_assert_cmpuint (consumer.last_removed, ==, 5);
  g_assert_cmpuint (consumer.last_added, ==, 5);
  g_assert_cmpuint (number_at (store, 0), ==, 19);

  consumer_clear (&consumer);
}

/* A burst far larger than the store keeps only what can be shown: between
 * two flushes no more than max-items wait, however many arrive. */
static void
test_burst (void)
{
  g_autoptr(FwEventStore) store = store_new (10, 60 * 1000);
  g_autoptr(FwNotification) first = make_notification (0);
  FwNotification *weak = first;
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &weak);
  fw_event_store_append (store, first);
  g_clear_object (&first);

  for (guint i = 1; i < 10; i++)
    append_new (store, i);
  g_assert_nonnull (weak);

  /* The eleventh lets the first go. */
  append_new (store, 10);
  g_assert_null (weak);

  for (guint i = 11; i < 100000; i++)
    append_new (store, i);
  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 100000);

  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 10);
  for (guint p = 0; p < 10; p++)
    g_assert_cmpuint (number_at (store, p), ==, 99999 - p);

  consumer_clear (&consumer);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_set_max_items (void)
{
  g_autoptr(FwEventStore) store = store_new (10, 60 * 1000);
  guint n_notify = 0;
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));
  g_signal_connect (store, "notify::max-items", G_CALLBACK (notify_cb), &n_notify);

  for (guint i = 0; i < 10; i++)
    append_new (store, i);
  fw_event_store_flush (store);

  /* Shrinking drops the oldest at once. */
  fw_event_store_set_max_items (store, 4);
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_cmpuint (consumer.n_signals, ==, 2);
  g_assert_cmpuint (consumer.last_position, ==, 4);
  g_assert_cmpuint (consumer.last_removed, ==, 6);
  g_assert_cmpuint (consumer.last_added, ==, 0);
  for (guint p = 0; p < 4; p++)
    g_assert_cmpuint (number_at (store, p), ==, 9 - p);

  fw_event_store_set_max_items (store, 4);
  g_assert_cmpuint (n_notify, ==, 1);

  /* Shrinking also applies to what is pending. */
  for (guint i = 10; i < 13; i++)
    append_new (store, i);
  fw_event_store_set_max_items (store, 2);
  g_assert_cmpuint (consumer.last_removed, ==, 2);
  fw_event_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpuint (number_at (store, 0), ==, 12);
  g_assert_cmpuint (number_at (store, 1), ==, 11);

  /* Growing keeps everything and makes room. */
  g_object_set (store, "max-items", 100, NULL);
  g_assert_cmpuint (n_notify, ==, 3);
  for (guint i = 13; i < 60; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 49);
  g_assert_cmpuint (number_at (store, 48), ==, 11);

  consumer_clear (&consumer);
}

static void
test_clear (void)
{
  g_autoptr(FwEventStore) store = store_new (10, 60 * 1000);
  Consumer consumer;

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint i = 0; i < 6; i++)
    append_new (store, i);
  fw_event_store_flush (store);
  append_new (store, 6);

  fw_event_store_clear (store);
  g_assert_cmpuint (consumer.n_signals, ==, 2);
  g_assert_cmpuint (consumer.last_position, ==, 0);
  g_assert_cmpuint (consumer.last_removed, ==, 6);
  g_assert_cmpuint (consumer.last_added, ==, 0);

  /* What was pending is gone too; the total still counts it. */
  fw_event_store_flush (store);
  g_assert_cmpuint (consumer.n_signals, ==, 2);
  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 7);

  fw_event_store_clear (store);
  g_assert_cmpuint (consumer.n_signals, ==, 2);

  append_new (store, 7);
  fw_event_store_flush (store);
  g_assert_cmpuint (number_at (store, 0), ==, 7);

  consumer_clear (&consumer);
}

static void
test_gaps (void)
{
  const char *topics[] = { "v2.users.a.presence", "v2.routing.queues.b.conversations", NULL };
  g_autoptr(FwEventStore) store = store_new (10, 60 * 1000);
  g_autoptr(FwGap) gap = fw_gap_new (100, 200, topics);
  g_autoptr(GObject) item = NULL;

  append_new (store, 0);
  fw_event_store_append (store, gap);
  append_new (store, 1);
  fw_event_store_flush (store);

  item = g_list_model_get_item (G_LIST_MODEL (store), 1);
  g_assert_true (item == G_OBJECT (gap));
  g_assert_cmpuint (number_at (store, 0), ==, 1);
  g_assert_cmpuint (number_at (store, 2), ==, 0);
}

static void
test_rejects_other_objects (void)
{
  g_autoptr(FwEventStore) store = store_new (10, 60 * 1000);
  g_autoptr(GObject) other = g_object_new (G_TYPE_OBJECT, NULL);

  g_test_expect_message ("fw-event-store", G_LOG_LEVEL_CRITICAL, "*FW_IS_NOTIFICATION*");
  fw_event_store_append (store, other);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 0);
}

static void
append_in_handler_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      gpointer    user_data)
{
  guint *n_calls = user_data;

  if ((*n_calls)++ == 0)
    append_new (FW_EVENT_STORE (model), 1000);
}

/* A handler that appends while the store publishes loses nothing. */
static void
test_append_in_handler (void)
{
  g_autoptr(FwEventStore) store = store_new (3, 60 * 1000);
  guint n_calls = 0;
  Consumer consumer;

  for (guint i = 0; i < 3; i++)
    append_new (store, i);
  fw_event_store_flush (store);

  consumer_init (&consumer, G_LIST_MODEL (store));
  g_signal_connect (store, "items-changed", G_CALLBACK (append_in_handler_cb), &n_calls);

  append_new (store, 3);
  fw_event_store_flush (store);
  g_assert_cmpuint (number_at (store, 0), ==, 3);

  fw_event_store_flush (store);
  g_assert_cmpuint (number_at (store, 0), ==, 1000);
  g_assert_cmpuint (number_at (store, 1), ==, 3);
  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, 5);

  consumer_clear (&consumer);
}

static void
truncate_array (GArray *array,
                guint   len)
{
  if (array->len > len)
    g_array_set_size (array, len);
}

/* Random appends, flushes, resizes and clears.  The consumer checks the
 * model against its mirror at every signal; after every step the mirror
 * must match a plain model of what the store promises: the newest
 * max-items published at the last flush, nothing of what is pending. */
static void
test_consistency (void)
{
  g_autoptr(FwEventStore) store = store_new (50, 60 * 1000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) visible = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint));
  Consumer consumer;
  guint next = 0;
  guint n_appended = 0;
  guint max_items = 50;

  consumer_init (&consumer, G_LIST_MODEL (store));

  for (guint step = 0; step < 3000; step++)
    {
      guint action = g_rand_int_range (rand, 0, 100);

      if (action < 80)
        {
          guint n = g_rand_int_range (rand, 1, action < 5 ? 200 : 8);

          for (guint i = 0; i < n; i++)
            {
              append_new (store, next);
              g_array_prepend_val (pending, next);
              next++;
              n_appended++;
              /* Only the newest max-items can ever show. */
              truncate_array (pending, max_items);
            }
        }
      else if (action < 95)
        {
          fw_event_store_flush (store);
          /* Every old item is older than max-items newer ones: all go. */
          if (n_appended >= max_items)
            g_array_set_size (visible, 0);
          g_array_prepend_vals (visible, pending->data, pending->len);
          g_array_set_size (pending, 0);
          truncate_array (visible, max_items);
          n_appended = 0;
        }
      else if (action < 99)
        {
          max_items = g_rand_int_range (rand, 1, 80);
          fw_event_store_set_max_items (store, max_items);
          truncate_array (pending, max_items);
          truncate_array (visible, max_items);
        }
      else
        {
          fw_event_store_clear (store);
          g_array_set_size (visible, 0);
          g_array_set_size (pending, 0);
          n_appended = 0;
        }

      g_assert_cmpuint (consumer.mirror->len, ==, visible->len);
      for (guint p = 0; p < visible->len; p++)
        g_assert_cmpuint (number_at (store, p), ==, g_array_index (visible, guint, p));
    }

  g_assert_cmpuint (fw_event_store_get_total_appended (store), ==, next);
  consumer_clear (&consumer);
}

static void
test_gap_object (void)
{
  const char *topics[] = { "a", "b", NULL };
  g_autoptr(FwGap) gap = NULL;
  g_autoptr(FwGap) empty = NULL;
  g_autoptr(FwGap) backwards = NULL;
  g_auto(GStrv) prop_topics = NULL;
  char *mutable_topics[] = { g_strdup ("x"), NULL };
  gint64 start, end;

  gap = fw_gap_new (1000, 2000, topics);
  g_assert_cmpint (fw_gap_get_start_time (gap), ==, 1000);
  g_assert_cmpint (fw_gap_get_end_time (gap), ==, 2000);
  g_assert_cmpstrv (fw_gap_get_topics (gap), topics);
  g_assert_true (fw_gap_get_topics (gap) != topics);

  g_object_get (gap, "start-time", &start, "end-time", &end, "topics", &prop_topics, NULL);
  g_assert_cmpint (start, ==, 1000);
  g_assert_cmpint (end, ==, 2000);
  g_assert_cmpstrv (prop_topics, topics);

  /* The gap keeps its own copy. */
  g_clear_object (&gap);
  gap = fw_gap_new (1, 2, (const char * const *) mutable_topics);
  g_free (mutable_topics[0]);
  mutable_topics[0] = NULL;
  g_assert_cmpstr (fw_gap_get_topics (gap)[0], ==, "x");

  empty = fw_gap_new (5, 6, NULL);
  g_assert_nonnull (fw_gap_get_topics (empty));
  g_assert_null (fw_gap_get_topics (empty)[0]);

  /* A wall clock stepped back never gives an end before the start. */
  backwards = fw_gap_new (500, 400, topics);
  g_assert_cmpint (fw_gap_get_end_time (backwards), ==, 500);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/event-store/model-basics", test_model_basics);
  g_test_add_func ("/engine/event-store/batching", test_batching);
  g_test_add_func ("/engine/event-store/timer", test_timer);
  g_test_add_func ("/engine/event-store/timer-only-while-pending", test_timer_only_while_pending);
  g_test_add_func ("/engine/event-store/max-items", test_max_items);
  g_test_add_func ("/engine/event-store/overflow", test_overflow);
  g_test_add_func ("/engine/event-store/burst", test_burst);
  g_test_add_func ("/engine/event-store/set-max-items", test_set_max_items);
  g_test_add_func ("/engine/event-store/clear", test_clear);
  g_test_add_func ("/engine/event-store/gaps", test_gaps);
  g_test_add_func ("/engine/event-store/rejects-other-objects", test_rejects_other_objects);
  g_test_add_func ("/engine/event-store/append-in-handler", test_append_in_handler);
  g_test_add_func ("/engine/event-store/consistency", test_consistency);
  g_test_add_func ("/engine/gap/object", test_gap_object);

  return g_test_run ();
}
