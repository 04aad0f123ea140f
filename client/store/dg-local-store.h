/* dg-local-store.h: the client's offline store (design 5).
 *
 * Every edit lands here first, in the wire shapes of design 4, with an outbox entry that the sync
 * engine pushes later. The store also keeps the pull cursor and the reference data (roads, grid
 * cells, rules), seeded from the bundled sample district until a first sync replaces it.
 *
 * The store is thread-safe: the sync engine calls it from its worker thread. Widgets never run
 * SQL; they call this API, and only its asynchronous calls: the blocking ones are for worker
 * threads (the sync engine, the month report, the functions given to dg_local_store_run_async()).
 * In the test suite and in builds with debug information the blocking calls refuse to run on
 * the thread that draws (see dg_local_store_check_thread()). "changed" and the notification of
 * "open" are always emitted on the main context the store was made in.
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

/* Opens (creating and migrating) the file at @path, blocking: for worker threads and tests. */
DgLocalStore *dg_local_store_new           (const char    *path,
                                            GError       **error);
/* A store for @path not opened yet: nothing else may be called on it before it is open, except
 * dg_local_store_open_async(), dg_local_store_get_open() and dg_local_store_get_path(). The app
 * makes its window with it, then opens it. */
DgLocalStore *dg_local_store_new_for_path  (const char    *path);
/* Opens, creates and migrates the file on a worker thread and, when @ensure_reference, imports
 * the bundled sample district into a store without roads (dg_local_store_ensure_reference()).
 * "open" is notified once done. */
void          dg_local_store_open_async    (DgLocalStore        *self,
                                            gboolean             ensure_reference,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      dg_local_store_open_finish   (DgLocalStore  *self,
                                            GAsyncResult  *result,
                                            GError       **error);
gboolean      dg_local_store_get_open      (DgLocalStore  *self);
const char   *dg_local_store_get_path      (DgLocalStore  *self);

/* The guard: TRUE when SQL may run on this thread. When it is the thread running the default
 * main context (and the guard is on: DUSTGRID_STORE_GUARD=1, or a build with debug information
 * without DUSTGRID_STORE_GUARD=0), logs a critical naming @caller, sets @error and returns FALSE;
 * every blocking call of the store then returns at once, empty or with that error. */
gboolean      dg_local_store_check_thread  (const char    *caller,
                                            GError       **error);

/* Work on the store for the main thread: @func runs on a worker thread with the blocking API
 * and returns a result (or NULL and an error), handed to @callback on the caller's main context
 * by dg_local_store_run_finish(), which transfers it (freed with @result_free if nobody takes
 * it). @data is freed with @data_free. A cancelled call ends with G_IO_ERROR_CANCELLED: the
 * callback must then not touch a widget, which may be gone. */
typedef gpointer (*DgLocalStoreFunc) (DgLocalStore  *self,
                                      gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);
void          dg_local_store_run_async     (DgLocalStore        *self,
                                            DgLocalStoreFunc     func,
                                            gpointer             data,
                                            GDestroyNotify       data_free,
                                            GDestroyNotify       result_free,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gpointer      dg_local_store_run_finish    (DgLocalStore  *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* Reference data: {"units":[…],"roads":[…],"grid_cells":[…],"rules":[…]}, each element its data fields plus
 * "id". @bundled marks the rows as sample data that the first complete pull replaces. */
gboolean      dg_local_store_import_reference (DgLocalStore *self,
                                               JsonNode     *root,
                                               gboolean      bundled,
                                               GError      **error);
/* Imports the sample district bundled in the resources when the store has no road yet. */
gboolean      dg_local_store_ensure_reference (DgLocalStore *self,
                                               GError      **error);

/* DgRoad * sorted by name, DgGridCell * and DgUnit * sorted by code. */
GPtrArray    *dg_local_store_list_roads      (DgLocalStore *self);
GPtrArray    *dg_local_store_list_grid_cells (DgLocalStore *self);
GPtrArray    *dg_local_store_list_units      (DgLocalStore *self);
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
/* The same on a worker thread; a missing record is DG_ERROR_NOT_FOUND. */
void          dg_local_store_get_entry_async (DgLocalStore        *self,
                                              const char          *id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DgStoreEntry *dg_local_store_get_entry_finish (DgLocalStore  *self,
                                               GAsyncResult  *result,
                                               GError       **error);
/* Checks and samples (not deleted) the office returned and that are not corrected on the
 * server yet (an edit waiting in the outbox still counts: it is pending), newest first. */
GPtrArray    *dg_local_store_list_returned   (DgLocalStore *self);
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

/* The id of a dust-fall sample other than @id that holds @jar of @cell_id's @site in @month
 * (not deleted), or NULL: what design 6.7 refuses, checked here before a save. */
char         *dg_local_store_find_jar        (DgLocalStore *self,
                                              const char   *month,
                                              const char   *cell_id,
                                              const char   *site,
                                              char          jar,
                                              const char   *id);

/* Conflict: keep the local version (pushed again over the server's revision) or take theirs. */
gboolean      dg_local_store_resolve_conflict (DgLocalStore *self,
                                               const char   *id,
                                               gboolean      keep_mine,
                                               GError      **error);
void          dg_local_store_resolve_conflict_async  (DgLocalStore        *self,
                                                      const char          *id,
                                                      gboolean             keep_mine,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean      dg_local_store_resolve_conflict_finish (DgLocalStore  *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);

/* The outbox size, counted in SQL. */
guint         dg_local_store_count_pending   (DgLocalStore *self);
/* The same, as of the last write: cheap enough for the main thread, never waits on a sync. */
guint         dg_local_store_get_n_pending   (DgLocalStore *self);

/* The user whose records the store holds (NULL before the first sign-in). */
char         *dg_local_store_dup_owner       (DgLocalStore *self);
gboolean      dg_local_store_set_owner       (DgLocalStore *self,
                                              const char   *username,
                                              GError      **error);
/* Forgets the owner's checks and samples, their drafts, the outbox and the pull cursor (another user signs
 * in on this device); the reference data stays. */
gboolean      dg_local_store_forget_records  (DgLocalStore *self,
                                              GError      **error);

/* ---- Drafts ----
 *
 * What an editor holds and has not saved, written as it is typed so that Escape, a closed
 * window or a crash loses nothing: @draft is the editor's own shape (texts as typed). One
 * draft per record id; saving the record drops it in the same transaction, and so does
 * forgetting the records. Writing a draft emits no "changed". Blocking: see above. */
gboolean      dg_local_store_put_draft       (DgLocalStore  *self,
                                              DgRecordType   type,
                                              const char    *id,
                                              JsonObject    *draft,
                                              GError       **error);
gboolean      dg_local_store_delete_draft    (DgLocalStore  *self,
                                              const char    *id,
                                              GError       **error);
/* The draft of record @id, or NULL. */
JsonObject   *dg_local_store_get_draft       (DgLocalStore  *self,
                                              const char    *id);
/* The newest draft of a @type record never saved, its id in *@id; NULL (and *@id NULL) when
 * there is none. */
JsonObject   *dg_local_store_find_new_draft  (DgLocalStore  *self,
                                              DgRecordType   type,
                                              char         **id);

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
