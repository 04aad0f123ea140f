/* dg-local-store.h: the client's offline store (design 5).
 *
 * Every edit lands here first, in the wire shapes of design 4, with an outbox entry that the sync
 * engine pushes later. The store also keeps the pull cursor and the reference data (roads, grid
 * cells, rules), seeded from the bundled sample district until a first sync replaces it.
 *
 * The store is thread-safe: the sync engine calls it from its worker thread. Widgets never run
 * SQL; they call this API. "changed" is always emitted on the main context the store was made in.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dustgrid-common.h"

G_BEGIN_DECLS

#define DG_TYPE_LOCAL_STORE (dg_local_store_get_type ())
G_DECLARE_FINAL_TYPE (DgLocalStore, dg_local_store, DG, LOCAL_STORE, GObject)

/* What the inspector sees of a record's way to the server. */
typedef enum
{
  DG_SYNC_STATUS_SYNCED,    /* the server holds this version */
  DG_SYNC_STATUS_PENDING,   /* saved locally, waiting in the outbox */
  DG_SYNC_STATUS_CONFLICT,  /* someone else changed it: both versions kept */
  DG_SYNC_STATUS_REJECTED,  /* the server refused it: see message */
  DG_SYNC_STATUS_RETURNED,  /* the office returned it for correction: see reason */
  DG_SYNC_STATUS_LOCAL,     /* bundled sample data, never synced */
} DgSyncStatus;

/* One record as the store holds it. */
typedef struct
{
  DgRecordType   type;
  char          *id;
  gint64         rev;          /* the server revision the local copy is based on (0 = new) */
  gint64         seq;
  gboolean       deleted;
  char          *author;
  char          *updated_at;
  DgRecordState  state;
  char          *reason;       /* returned: the office's reason */
  JsonObject    *data;         /* the local (normalized) data */
  DgSyncStatus   status;
  char          *message;      /* rejected: the server's message */
  gint64         server_rev;   /* conflict: the server's revision */
  JsonObject    *server_data;  /* conflict: the server's data */
  char          *sort_key;     /* date of a check, month of a sample */
} DgStoreEntry;

void          dg_store_entry_free    (DgStoreEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgStoreEntry, dg_store_entry_free)

/* One change waiting to be pushed. */
typedef struct
{
  DgChange *change;
  gint64    version;           /* bumped by each local edit while the change waits */
} DgOutboxItem;

void          dg_outbox_item_free    (DgOutboxItem *item);

/* g_get_user_data_dir()/dustgrid/dustgrid.db */
char         *dg_local_store_default_path (void);

DgLocalStore *dg_local_store_new           (const char    *path,
                                            GError       **error);
const char   *dg_local_store_get_path      (DgLocalStore  *self);

/* Reference data: {"roads":[…],"grid_cells":[…],"rules":[…]}, each element its data fields plus
 * "id". @bundled marks the rows as sample data that the first complete pull replaces. */
gboolean      dg_local_store_import_reference (DgLocalStore *self,
                                               JsonNode     *root,
                                               gboolean      bundled,
                                               GError      **error);
/* Imports the sample district bundled in the resources when the store has no road yet. */
gboolean      dg_local_store_ensure_reference (DgLocalStore *self,
                                               GError      **error);

/* DgRoad * sorted by name, DgGridCell * sorted by code. */
GPtrArray    *dg_local_store_list_roads      (DgLocalStore *self);
GPtrArray    *dg_local_store_list_grid_cells (DgLocalStore *self);
DgRuleSet    *dg_local_store_get_rules       (DgLocalStore *self);

/* Records of @type (not deleted), newest sort key first: DgStoreEntry *. */
GPtrArray    *dg_local_store_list_entries    (DgLocalStore *self,
                                              DgRecordType  type);
/* The newest @limit of them, for a list on screen: a year of checks is tens of thousands. */
GPtrArray    *dg_local_store_list_recent     (DgLocalStore *self,
                                              DgRecordType  type,
                                              guint         limit);
/* Records of @type (not deleted) whose sort key (date or month) is @key, newest edit first. */
GPtrArray    *dg_local_store_list_entries_on (DgLocalStore *self,
                                              DgRecordType  type,
                                              const char   *key);
DgStoreEntry *dg_local_store_get_entry       (DgLocalStore *self,
                                              const char   *id);
/* Road checks dated @date, decoded (DgRoadCheck *, author filled in). */
GPtrArray    *dg_local_store_list_checks_on  (DgLocalStore *self,
                                              const char   *date);

/* Saves a local edit: the record's data and an outbox entry. @data is normalized data. */
gboolean      dg_local_store_save            (DgLocalStore *self,
                                              DgRecordType  type,
                                              const char   *id,
                                              JsonObject   *data,
                                              GError      **error);
/* The same for many records in one transaction (arrays of equal length: ids, JsonObject *). */
gboolean      dg_local_store_save_many       (DgLocalStore *self,
                                              DgRecordType  type,
                                              GPtrArray    *ids,
                                              GPtrArray    *datas,
                                              GError      **error);
void          dg_local_store_save_async      (DgLocalStore        *self,
                                              DgRecordType         type,
                                              const char          *id,
                                              JsonObject          *data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      dg_local_store_save_finish     (DgLocalStore  *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* Conflict: keep the local version (pushed again over the server's revision) or take theirs. */
gboolean      dg_local_store_resolve_conflict (DgLocalStore *self,
                                               const char   *id,
                                               gboolean      keep_mine,
                                               GError      **error);

/* The outbox size, counted in SQL. */
guint         dg_local_store_count_pending   (DgLocalStore *self);
/* The same, as of the last write: cheap enough for the main thread, never waits on a sync. */
guint         dg_local_store_get_n_pending   (DgLocalStore *self);

/* The user whose records the store holds (NULL before the first sign-in). */
char         *dg_local_store_dup_owner       (DgLocalStore *self);
gboolean      dg_local_store_set_owner       (DgLocalStore *self,
                                              const char   *username,
                                              GError      **error);
/* Forgets the owner's checks and samples, the outbox and the pull cursor (another user signs
 * in on this device); the reference data stays. */
gboolean      dg_local_store_forget_records  (DgLocalStore *self,
                                              GError      **error);

/* ---- For the sync engine ---- */

/* Up to @limit outbox items, oldest first: DgOutboxItem *. */
GPtrArray    *dg_local_store_outbox_peek     (DgLocalStore *self,
                                              guint         limit);
/* Applies the server's RESULTs (DgResult *) to the pushed @items, in one transaction. */
gboolean      dg_local_store_apply_results   (DgLocalStore *self,
                                              GPtrArray    *items,
                                              GPtrArray    *results,
                                              GError      **error);
/* The pull cursor, which belongs to @server_url: another server starts again from 0. */
gint64        dg_local_store_get_cursor      (DgLocalStore *self,
                                              const char   *server_url);
/* Stores pulled RECORDs (DgRecord *) and moves the cursor to @next, in one transaction. When
 * @complete (more = false), bundled sample data still not replaced is dropped. */
gboolean      dg_local_store_apply_pull      (DgLocalStore *self,
                                              const char   *server_url,
                                              GPtrArray    *records,
                                              gint64        next,
                                              gboolean      complete,
                                              GError      **error);

G_END_DECLS
