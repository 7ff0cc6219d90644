/* fw-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names for the ids in notifications.  A row that shows a queue asks for its
 * name while it is bound; misses are collected for a moment and resolved in
 * one request per kind, so that a screenful of new ids costs one or two
 * requests and never one per row (the API allows 300 a minute).
 */

#define G_LOG_DOMAIN "fw-directory"

#include "config.h"

#include <glib/gi18n.h>

#include "fw-directory.h"
#include "fw-json-read.h"

/* Ids per request when resolving names (the API's page size limit). */
#define BATCH_SIZE 100
/* How long a failed lookup waits before it is tried again. */
#define RETRY_AFTER_ERROR_US   (30 * G_USEC_PER_SEC)
#define RETRY_AFTER_MISSING_US (300 * G_USEC_PER_SEC)

typedef struct
{
  char   *name;        /* NULL while unknown */
  gint64  retry_at;    /* monotonic; G_MAXINT64 while a request is out */
} Name;

struct _FwDirectory
{
  GObject       parent_instance;

  FwApi        *api;
  GCancellable *cancellable;
  /* Indexed by FwNameKind: id → Name. */
  GHashTable   *names[3];
  /* Indexed by FwNameKind: ids waiting for the next batch. */
  GPtrArray    *pending[3];
  guint         flush_source;
  guint         lookup_delay;
  guint         max_pages;
};

G_DEFINE_FINAL_TYPE (FwDirectory, fw_directory, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (FwDirectoryEntry, fw_directory_entry, fw_directory_entry_copy, fw_directory_entry_free)

enum {
  PROP_0,
  PROP_API,
  PROP_LOOKUP_DELAY,
  PROP_MAX_PAGES,
  N_PROPS
};

enum {
  NAMES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A batch of ids sent to the server.  It holds the directory weakly: a
 * directory that goes away cancels its requests and ignores their ends. */
typedef struct
{
  FwDirectory *self;
  FwNameKind   kind;
  GPtrArray   *ids;
} Batch;

static void resolve_queue_one (FwDirectory *self,
                               const char  *id);

/* ---- Entries ---- */

static FwDirectoryEntry *
entry_new (const char *id,
           const char *name,
           const char *detail)
{
  FwDirectoryEntry *entry = g_new0 (FwDirectoryEntry, 1);

  entry->id = g_strdup (id);
  entry->name = g_strdup (name);
  entry->detail = g_strdup (detail);
  return entry;
}

FwDirectoryEntry *
fw_directory_entry_copy (const FwDirectoryEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return entry_new (entry->id, entry->name, entry->detail);
}

void
fw_directory_entry_free (FwDirectoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->detail);
  g_free (entry);
}

gboolean
fw_directory_entry_matches (const FwDirectoryEntry *entry,
                            const char             *search)
{
  g_autofree char *needle = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (entry != NULL, FALSE);

  if (search == NULL || search[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  if (entry->name != NULL)
    {
      name = g_utf8_casefold (entry->name, -1);
      if (strstr (name, needle) != NULL)
        return TRUE;
    }
  return entry->id != NULL && strstr (entry->id, search) != NULL;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const FwDirectoryEntry *ea = *(FwDirectoryEntry * const *) a;
  const FwDirectoryEntry *eb = *(FwDirectoryEntry * const *) b;

  return g_utf8_collate (ea->name ? ea->name : "", eb->name ? eb->name : "");
}

/* ---- JSON answers ---- */

static JsonArray *
answer_entities (JsonNode  *answer,
                 GError   **error)
{
  JsonArray *entities = fw_json_get_array (fw_json_node_object (answer), "entities");

  if (entities == NULL)
    g_set_error_literal (error, FW_API_ERROR, FW_API_ERROR_INVALID_RESPONSE,
                         _("Genesys Cloud answered with a list in an unexpected form"));
  return entities;
}

static guint
answer_page_count (JsonNode *answer)
{
  double count;

  if (!fw_json_get_number (fw_json_node_object (answer), "pageCount", &count))
    return 1;
  return (guint) CLAMP (count, 0, G_MAXUINT);
}

static char *
queue_detail (JsonObject *queue)
{
  double members;

  if (!fw_json_get_number (queue, "memberCount", &members))
    return g_strdup (fw_json_get_string (queue, "description"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d member", "%d members", (gulong) members),
                          (int) members);
}

static char *
user_detail (JsonObject *user)
{
  const char *presence;
  const char *routing;

  presence = fw_json_get_string (fw_json_get_object (fw_json_get_object (user, "presence"), "presenceDefinition"),
                            "systemPresence");
  routing = fw_json_get_string (fw_json_get_object (user, "routingStatus"), "status");

  if (presence != NULL && routing != NULL)
    /* Translators: an agent's presence and routing status, e.g. "On Queue · Interacting". */
    return g_strdup_printf (_("%s · %s"), fw_describe_presence (presence),
                            fw_describe_routing_status (routing));
  if (presence != NULL)
    return g_strdup (fw_describe_presence (presence));
  if (routing != NULL)
    return g_strdup (fw_describe_routing_status (routing));
  return g_strdup (fw_json_get_string (user, "email"));
}

/* ---- The name cache ---- */

static void
name_free (gpointer data)
{
  Name *name = data;

  g_free (name->name);
  g_free (name);
}

static Name *
name_get (FwDirectory *self,
          FwNameKind   kind,
          const char  *id)
{
  Name *name = g_hash_table_lookup (self->names[kind], id);

  if (name == NULL)
    {
      name = g_new0 (Name, 1);
      g_hash_table_insert (self->names[kind], g_strdup (id), name);
    }
  return name;
}

static gboolean
remember (FwDirectory *self,
          FwNameKind   kind,
          const char  *id,
          const char  *display_name)
{
  Name *name;

  if (id == NULL || display_name == NULL || kind == FW_NAME_NONE)
    return FALSE;

  name = name_get (self, kind, id);
  name->retry_at = 0;
  if (g_strcmp0 (name->name, display_name) == 0)
    return FALSE;
  g_free (name->name);
  name->name = g_strdup (display_name);
  return TRUE;
}

static void
mark_failed (FwDirectory *self,
             FwNameKind   kind,
             const char  *id,
             gint64       retry_in_us)
{
  Name *name = name_get (self, kind, id);

  if (name->name == NULL)
    name->retry_at = g_get_monotonic_time () + retry_in_us;
}

static Batch *
batch_new (FwDirectory *self,
           FwNameKind   kind,
           GPtrArray   *ids)
{
  Batch *batch = g_new0 (Batch, 1);

  g_set_weak_pointer (&batch->self, self);
  batch->kind = kind;
  batch->ids = ids;
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_clear_weak_pointer (&batch->self);
  g_clear_pointer (&batch->ids, g_ptr_array_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

/* Remembers every entity's name; returns TRUE if any name is new. */
static gboolean
remember_entities (FwDirectory *self,
                   FwNameKind   kind,
                   JsonArray   *entities)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < json_array_get_length (entities); i++)
    {
      JsonObject *entity = fw_json_array_object (entities, i);

      changed |= remember (self, kind, fw_json_get_string (entity, "id"), fw_json_get_string (entity, "name"));
    }
  return changed;
}

static void
resolve_batch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Batch) batch = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  FwDirectory *self = batch->self;
  gboolean changed = FALSE;
  JsonArray *entities;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (self == NULL)
    return;

  if (answer == NULL || !(entities = answer_entities (answer, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not resolve %u names: %s", batch->ids->len, error->message);
      for (guint i = 0; i < batch->ids->len; i++)
        mark_failed (self, batch->kind, g_ptr_array_index (batch->ids, i), RETRY_AFTER_ERROR_US);
      return;
    }

  changed = remember_entities (self, batch->kind, entities);

  /* Ids the listing did not name: a queue may still be found by itself
   * (a server that ignores the id filter answers with its first page);
   * a user the server does not return is not there. */
  for (guint i = 0; i < batch->ids->len; i++)
    {
      const char *id = g_ptr_array_index (batch->ids, i);
      Name *name = name_get (self, batch->kind, id);

      if (name->name != NULL)
        continue;
      if (batch->kind == FW_NAME_QUEUE)
        resolve_queue_one (self, id);
      else
        mark_failed (self, batch->kind, id, RETRY_AFTER_MISSING_US);
    }

  if (changed)
    g_signal_emit (self, signals[NAMES_CHANGED], 0);
}

static void
resolve_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Batch) batch = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  FwDirectory *self = batch->self;
  const char *id = g_ptr_array_index (batch->ids, 0);
  JsonObject *entity;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (self == NULL)
    return;

  if ((entity = fw_json_node_object (answer)) == NULL)
    {
      gboolean missing = g_error_matches (error, FW_API_ERROR, FW_API_ERROR_NOT_FOUND);

      mark_failed (self, batch->kind, id, missing ? RETRY_AFTER_MISSING_US : RETRY_AFTER_ERROR_US);
      return;
    }

  if (remember (self, batch->kind, id, fw_json_get_string (entity, "name")))
    g_signal_emit (self, signals[NAMES_CHANGED], 0);
  else
    mark_failed (self, batch->kind, id, RETRY_AFTER_MISSING_US);
}

static void
resolve_queue_one (FwDirectory *self,
                   const char  *id)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v2/routing/queues/%s", escaped);

  g_ptr_array_add (ids, g_strdup (id));
  fw_api_call_async (self->api, "GET", path, NULL, self->cancellable,
                     resolve_one_cb, batch_new (self, FW_NAME_QUEUE, g_steal_pointer (&ids)));
}

static void
send_batch (FwDirectory *self,
            FwNameKind   kind,
            GPtrArray   *ids)
{
  g_autoptr(GString) path = NULL;

  if (kind == FW_NAME_USER)
    path = g_string_new ("/api/v2/users?pageSize=100&pageNumber=1&expand=presence,routingStatus");
  else
    path = g_string_new ("/api/v2/routing/queues?pageSize=100&pageNumber=1");

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (g_ptr_array_index (ids, i), NULL, FALSE);

      g_string_append_printf (path, "&id=%s", escaped);
    }

  fw_api_call_async (self->api, "GET", path->str, NULL, self->cancellable,
                     resolve_batch_cb, batch_new (self, kind, ids));
}

static gboolean
flush_cb (gpointer user_data)
{
  FwDirectory *self = user_data;

  self->flush_source = 0;

  for (FwNameKind kind = FW_NAME_QUEUE; kind <= FW_NAME_USER; kind++)
    {
      GPtrArray *pending = self->pending[kind];

      while (pending->len > 0)
        {
          guint n = MIN (pending->len, BATCH_SIZE);
          GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

          for (guint i = 0; i < n; i++)
            g_ptr_array_add (ids, g_ptr_array_steal_index (pending, 0));
          send_batch (self, kind, ids);
        }
    }

  return G_SOURCE_REMOVE;
}

const char *
fw_directory_lookup (FwDirectory *self,
                     FwNameKind   kind,
                     const char  *id)
{
  Name *name;

  g_return_val_if_fail (FW_IS_DIRECTORY (self), NULL);

  if (id == NULL || (kind != FW_NAME_QUEUE && kind != FW_NAME_USER))
    return NULL;

  name = g_hash_table_lookup (self->names[kind], id);
  if (name != NULL && (name->name != NULL || name->retry_at > g_get_monotonic_time ()))
    return name->name;

  name = name_get (self, kind, id);
  name->retry_at = G_MAXINT64;
  g_ptr_array_add (self->pending[kind], g_strdup (id));
  if (self->flush_source == 0)
    self->flush_source = g_timeout_add (self->lookup_delay, flush_cb, self);

  return NULL;
}

const char *
fw_directory_name_func (FwNameKind  kind,
                        const char *id,
                        gpointer    user_data)
{
  if (user_data == NULL)
    return NULL;
  return fw_directory_lookup (FW_DIRECTORY (user_data), kind, id);
}

/* ---- Listings ---- */

typedef struct
{
  FwNameKind  kind;       /* FW_NAME_NONE for topics */
  char       *base_path;
  char       *search;
  guint       page;
  GPtrArray  *entries;
} Listing;

static void
listing_free (Listing *listing)
{
  g_free (listing->base_path);
  g_free (listing->search);
  g_clear_pointer (&listing->entries, g_ptr_array_unref);
  g_free (listing);
}

static void listing_next_page (GTask *task);

static void
listing_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  FwDirectory *self = g_task_get_source_object (task);
  Listing *listing = g_task_get_task_data (task);
  gboolean changed;
  JsonArray *entities;
  guint n;

  answer = fw_api_call_finish (FW_API (object), result, &error);
  if (answer == NULL || !(entities = answer_entities (answer, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n = json_array_get_length (entities);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entity = fw_json_array_object (entities, i);
      g_autoptr(FwDirectoryEntry) entry = NULL;
      g_autofree char *detail = NULL;
      const char *id = fw_json_get_string (entity, "id");

      if (id == NULL)
        continue;

      if (listing->kind == FW_NAME_NONE)
        entry = entry_new (id, fw_json_get_string (entity, "description"), NULL);
      else
        {
          detail = listing->kind == FW_NAME_QUEUE ? queue_detail (entity) : user_detail (entity);
          entry = entry_new (id, fw_json_get_string (entity, "name"), detail);
        }

      if (entry->name == NULL && listing->kind != FW_NAME_NONE)
        continue;
      /* The server's name filter is not trusted to match ours. */
      if (listing->kind == FW_NAME_QUEUE && !fw_directory_entry_matches (entry, listing->search))
        continue;
      g_ptr_array_add (listing->entries, g_steal_pointer (&entry));
    }

  changed = listing->kind != FW_NAME_NONE && remember_entities (self, listing->kind, entities);
  if (changed)
    g_signal_emit (self, signals[NAMES_CHANGED], 0);

  /* The catalogue has no pages. */
  if (listing->kind != FW_NAME_NONE && n > 0 &&
      listing->page < answer_page_count (answer) && listing->page < self->max_pages)
    {
      listing->page++;
      listing_next_page (g_steal_pointer (&task));
      return;
    }

  if (listing->kind != FW_NAME_NONE)
    g_ptr_array_sort (listing->entries, compare_entries);
  g_task_return_pointer (task, g_ptr_array_ref (listing->entries), (GDestroyNotify) g_ptr_array_unref);
}

static void
listing_next_page (GTask *task)
{
  FwDirectory *self = g_task_get_source_object (task);
  Listing *listing = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (listing->kind == FW_NAME_NONE)
    path = g_strdup (listing->base_path);
  else
    path = g_strdup_printf ("%s%cpageSize=100&pageNumber=%u", listing->base_path,
                            strchr (listing->base_path, '?') ? '&' : '?', listing->page);

  fw_api_call_async (self->api, "GET", path, NULL, g_task_get_cancellable (task),
                     listing_page_cb, task);
}

static void
listing_start (FwDirectory         *self,
               FwNameKind           kind,
               const char          *base_path,
               const char          *search,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Listing *listing;

  listing = g_new0 (Listing, 1);
  listing->kind = kind;
  listing->base_path = g_strdup (base_path);
  listing->search = g_strdup (search);
  listing->page = 1;
  listing->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_directory_entry_free);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  listing_next_page (g_steal_pointer (&task));
}

void
fw_directory_list_queues_async (FwDirectory         *self,
                                const char          *search,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (FW_IS_DIRECTORY (self));

  if (search != NULL && search[0] != '\0')
    {
      g_autofree char *pattern = g_strdup_printf ("*%s*", search);
      g_autofree char *escaped = g_uri_escape_string (pattern, NULL, FALSE);

      path = g_strdup_printf ("/api/v2/routing/queues?name=%s", escaped);
    }
  else
    path = g_strdup ("/api/v2/routing/queues");

  listing_start (self, FW_NAME_QUEUE, path, search, fw_directory_list_queues_async,
                 cancellable, callback, user_data);
}

GPtrArray *
fw_directory_list_queues_finish (FwDirectory   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fw_directory_list_users_async (FwDirectory         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FW_IS_DIRECTORY (self));

  listing_start (self, FW_NAME_USER, "/api/v2/users?expand=presence,routingStatus", NULL,
                 fw_directory_list_users_async, cancellable, callback, user_data);
}

GPtrArray *
fw_directory_list_users_finish (FwDirectory   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fw_directory_list_topics_async (FwDirectory         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (FW_IS_DIRECTORY (self));

  listing_start (self, FW_NAME_NONE,
                 "/api/v2/notifications/availabletopics?expand=description,requiresPermissions",
                 NULL, fw_directory_list_topics_async, cancellable, callback, user_data);
}

GPtrArray *
fw_directory_list_topics_finish (FwDirectory   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---- */

FwDirectory *
fw_directory_new (FwApi *api)
{
  g_return_val_if_fail (FW_IS_API (api), NULL);

  return g_object_new (FW_TYPE_DIRECTORY, "api", api, NULL);
}

FwApi *
fw_directory_get_api (FwDirectory *self)
{
  g_return_val_if_fail (FW_IS_DIRECTORY (self), NULL);

  return self->api;
}

static void
fw_directory_dispose (GObject *object)
{
  FwDirectory *self = (FwDirectory *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flush_source, g_source_remove);

  G_OBJECT_CLASS (fw_directory_parent_class)->dispose (object);
}

static void
fw_directory_finalize (GObject *object)
{
  FwDirectory *self = (FwDirectory *)object;

  for (guint i = 0; i < G_N_ELEMENTS (self->names); i++)
    {
      g_clear_pointer (&self->names[i], g_hash_table_unref);
      g_clear_pointer (&self->pending[i], g_ptr_array_unref);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (fw_directory_parent_class)->finalize (object);
}

static void
fw_directory_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwDirectory *self = FW_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    case PROP_LOOKUP_DELAY:
      g_value_set_uint (value, self->lookup_delay);
      break;

    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_directory_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwDirectory *self = FW_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    case PROP_LOOKUP_DELAY:
      if (self->lookup_delay != g_value_get_uint (value))
        {
          self->lookup_delay = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_MAX_PAGES:
      if (self->max_pages != g_value_get_uint (value))
        {
          self->max_pages = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_directory_class_init (FwDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_directory_dispose;
  object_class->finalize = fw_directory_finalize;
  object_class->get_property = fw_directory_get_property;
  object_class->set_property = fw_directory_set_property;

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL,
                         FW_TYPE_API,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOOKUP_DELAY] =
    g_param_spec_uint ("lookup-delay", NULL, NULL,
                       0, 10000, 100,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL,
                       1, 1000, 20,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NAMES_CHANGED] =
    g_signal_new ("names-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
fw_directory_init (FwDirectory *self)
{
  self->cancellable = g_cancellable_new ();
  self->lookup_delay = 100;
  self->max_pages = 20;

  for (guint i = 0; i < G_N_ELEMENTS (self->names); i++)
    {
      self->names[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, name_free);
      self->pending[i] = g_ptr_array_new_with_free_func (g_free);
    }
}
