/* dg-local-store-private.h: what the parts of DgLocalStore share.
 *
 * DgLocalStore is one class in six files, along its concerns:
 *   dg-local-store.c            the object, opening it, the main-thread guard, the connections
 *                               (one writer, a pool of readers), "changed", work on a worker
 *   dg-local-store-schema.c     the schema and its migrations, the meta table, the owner
 *   dg-local-store-records.c    checks and samples: lists, edits, conflicts, forgetting them
 *   dg-local-store-reference.c  roads, grid cells and rules, and the bundled sample district
 *   dg-local-store-sync.c       the sync queue: the outbox, push results, the pull and its cursor
 *   dg-local-store-drafts.c     the editors' drafts, kept as they are typed
 *
 * The helpers they share are named dg_ls_* (local store); those named *_locked are called
 * with the writer's mutex held.
 */
#pragma once

#include <sqlite3.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

struct _DgLocalStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  GMutex        mutex;
  gboolean      shared_reads;  /* a database in memory: reads use db, under mutex */
  GPtrArray    *readers;       /* idle reading connections (sqlite3 *) */
  GMutex        readers_mutex; /* guards readers only: held for a push or a pop */
  GMainContext *context;
  gboolean      changed_queued;
  gint          n_pending;     /* cached outbox size, read without the mutex */
  gint          open;          /* set once opened, migrated (and seeded, when asked) */
};

/* Every public call that runs SQL starts with this: see dg_local_store_check_thread(). */
#define GUARD_SQL(error, value) \
  G_STMT_START { \
    if (!dg_local_store_check_thread (G_STRFUNC, (error))) \
      return (value); \
  } G_STMT_END

/* The columns dg_ls_list_entries() reads, in the order it reads them. */
#define DG_LS_ENTRY_COLUMNS \
  "r.type, r.id, r.rev, r.seq, r.deleted, r.author, r.updated_at, r.state, r.reason, r.data, " \
  "r.sync, r.message, r.server_rev, r.server_data, r.sort_key, " \
  "EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.id) "

static inline void
dg_ls_bind_text (sqlite3_stmt *stmt,
                 int           i,
                 const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static inline char *
dg_ls_column_dup (sqlite3_stmt *stmt,
                  int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

/* dg-local-store.c */
gboolean      dg_ls_set_sqlite_error       (DgLocalStore  *self,
                                            GError       **error);
gboolean      dg_ls_exec                   (DgLocalStore  *self,
                                            const char    *sql,
                                            GError       **error);
sqlite3_stmt *dg_ls_prepare                (DgLocalStore  *self,
                                            const char    *sql,
                                            GError       **error);
JsonObject   *dg_ls_column_object          (sqlite3_stmt  *stmt,
                                            int            i);
char         *dg_ls_object_to_string       (JsonObject    *object);
/* The date of a check or the month of a sample; the name or code of reference data. */
char         *dg_ls_sort_key_for           (DgRecordType   type,
                                            JsonObject    *data);
/* Runs @func on an idle of the store's main context. */
void          dg_ls_defer                  (DgLocalStore  *self,
                                            GSourceFunc    func);
/* Coalesces bursts of writes into one "changed"; @outbox: "outbox-changed" too. */
void          dg_ls_queue_changed_locked   (DgLocalStore  *self,
                                            gboolean       outbox);
/* After a change to the outbox: the count dg_local_store_get_n_pending() answers. */
void          dg_ls_refresh_pending_locked (DgLocalStore  *self);

/* What a write announces once it has committed. */
typedef enum
{
  DG_LS_WRITE_QUIET,     /* nothing anyone shows changed */
  DG_LS_WRITE_RECORDS,   /* records changed: "changed" */
  DG_LS_WRITE_PENDING,   /* the outbox may have changed too: recount it, then "changed" */
  DG_LS_WRITE_OUTBOX,    /* the user's edits joined the outbox: recount, "changed" and
                          * "outbox-changed" */
} DgLsWrite;

/* Every write of the local store is one transaction under the writer mutex:
 * dg_ls_write_begin() takes the mutex and begins (FALSE, the mutex released, when it cannot);
 * the work then runs with a local error; dg_ls_write_end() commits when *@local_error is
 * still NULL, else rolls back and moves it into @error, announces what @what says after a
 * commit, and releases the mutex. */
gboolean      dg_ls_write_begin            (DgLocalStore  *self,
                                            GError       **error);
gboolean      dg_ls_write_end              (DgLocalStore  *self,
                                            DgLsWrite      what,
                                            GError       **local_error,
                                            GError       **error);
/* A reading connection for this thread alone, or NULL (then read nothing); give it back. */
sqlite3      *dg_ls_read_lock              (DgLocalStore  *self);
void          dg_ls_read_unlock            (DgLocalStore  *self,
                                            sqlite3       *db);

/* dg-local-store-schema.c */
gboolean      dg_ls_migrate                (DgLocalStore  *self,
                                            GError       **error);
char         *dg_ls_meta_get_locked        (DgLocalStore  *self,
                                            const char    *key);
gboolean      dg_ls_meta_set_locked        (DgLocalStore  *self,
                                            const char    *key,
                                            const char    *value,
                                            GError       **error);

/* dg-local-store-records.c */
/* Runs a query of DG_LS_ENTRY_COLUMNS with up to two text arguments on a reading connection
 * (dg_ls_read_lock()): DgStoreEntry *, none when no connection could be had. */
GPtrArray    *dg_ls_list_entries           (DgLocalStore  *self,
                                            const char    *sql,
                                            const char    *arg1,
                                            const char    *arg2);
/* Writes one record row from the server's side (pull or import), with sync state @sync. */
gboolean      dg_ls_put_record_locked      (DgLocalStore    *self,
                                            const DgRecord  *record,
                                            const char      *sync,
                                            GError         **error);

/* dg-local-store-drafts.c */
gboolean      dg_ls_delete_draft_locked    (DgLocalStore    *self,
                                            const char      *id,
                                            GError         **error);

G_END_DECLS
