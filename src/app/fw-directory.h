/* fw-directory.h — names for queue and user ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fw-describe.h"
#include "fw-engine.h"

G_BEGIN_DECLS

/* One queue, user or topic of a listing. */
typedef struct
{
  char *id;
  char *name;       /* a topic's description for topics */
  char *detail;     /* "10 members", "On Queue · Interacting"; may be NULL */
} FwDirectoryEntry;

#define FW_TYPE_DIRECTORY_ENTRY (fw_directory_entry_get_type ())

GType             fw_directory_entry_get_type  (void) G_GNUC_CONST;
FwDirectoryEntry *fw_directory_entry_copy      (const FwDirectoryEntry *entry);
void              fw_directory_entry_free      (FwDirectoryEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwDirectoryEntry, fw_directory_entry_free)

#define FW_TYPE_DIRECTORY (fw_directory_get_type ())

G_DECLARE_FINAL_TYPE (FwDirectory, fw_directory, FW, DIRECTORY, GObject)

FwDirectory *fw_directory_new                  (FwApi                *api);
FwApi       *fw_directory_get_api              (FwDirectory          *self);
/* The cached name of @id, or NULL.  A miss asks the server in the background
 * (batched with other misses); "names-changed" is emitted when names arrive. */
const char  *fw_directory_lookup               (FwDirectory          *self,
                                                FwNameKind            kind,
                                                const char           *id);
/* A FwNameFunc over the directory; @user_data is the FwDirectory (or NULL). */
const char  *fw_directory_name_func            (FwNameKind            kind,
                                                const char           *id,
                                                gpointer              user_data);
/* Queues whose name contains @search (NULL or "": all), sorted by name.
 * Finishes with a GPtrArray of FwDirectoryEntry. */
void         fw_directory_list_queues_async    (FwDirectory          *self,
                                                const char           *search,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray   *fw_directory_list_queues_finish   (FwDirectory          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* Users (agents), sorted by name; filter them with fw_directory_entry_matches(). */
void         fw_directory_list_users_async     (FwDirectory          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray   *fw_directory_list_users_finish    (FwDirectory          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* The availabletopics catalogue: id ("v2.users.{id}.presence") and description. */
void         fw_directory_list_topics_async    (FwDirectory          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray   *fw_directory_list_topics_finish   (FwDirectory          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* TRUE if @entry's name or id contains @search, ignoring case. */
gboolean     fw_directory_entry_matches        (const FwDirectoryEntry *entry,
                                                const char             *search);
/* Properties: "lookup-delay" (guint ms, default 100): misses collected this
 * long are resolved in one request; "max-pages" (guint, default 20).
 * Signals: "names-changed". */

G_END_DECLS
