/* dg-store-backend.h: what a storage backend of DgStore implements (private to server/store/).
 *
 * DgStore (dg-store.c, dg-store-changes.c) holds every rule: validation through common/, who may
 * write, conflicts, closed months, what a revision is and how the hash chain links them, the
 * caches. A backend only keeps and finds: it runs its queries, in the transactions the store
 * opens, and reports its database's failures as DG_ERROR_UNAVAILABLE (disk full, busy, I/O: the
 * client may try again) or DG_ERROR_INTERNAL (anything else). SQL is written only in a backend.
 *
 * The store calls its backend under its own mutex, one call at a time, so a backend has no
 * locking of its own. Strings a backend passes to a callback are borrowed for that call.
 *
 * A second backend (PostgreSQL, design 6.5) is a second table of these functions: the rules
 * above it, the API and the hash chain's bytes stay as they are.
 */
#pragma once

#include "dg-store.h"

G_BEGIN_DECLS

typedef struct _DgStoreBackend DgStoreBackend;

/* A backend's connection: each backend's own struct begins with this one. */
typedef struct
{
  const DgStoreBackend *backend;
} DgStoreDb;

/* A record's current state: what a pull returns and a change is checked against. */
typedef struct
{
  char         *id;
  DgRecordType  type;
  gint64        rev;
  gint64        seq;
  gboolean      deleted;
  char         *owner;
  char         *updated_at;
  char         *state;
  char         *reason;
  char         *data;       /* canonical JSON text */
  char         *computed;   /* canonical JSON text */
  char         *month;
} DgStoreRow;

void dg_store_row_clear (DgStoreRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DgStoreRow, dg_store_row_clear)

/* One revision in the chain (every string borrowed). */
typedef struct
{
  gint64      n;            /* its place in the chain, from 1; ignored when adding */
  const char *record_id;
  gint64      rev;
  const char *type;
  const char *author;
  const char *updated_at;
  gboolean    deleted;
  const char *data;         /* canonical JSON text; NULL for a deletion */
  const char *hash;
} DgStoreRevision;

/* Called for each revision of a walk; FALSE (with @error set) stops it and fails the walk. */
typedef gboolean (*DgStoreRevisionFunc) (const DgStoreRevision  *revision,
                                         gpointer                user_data,
                                         GError                **error);
/* Called for each row of a pull; the callee may take the row's strings (setting them NULL). */
typedef void     (*DgStoreRowFunc)      (DgStoreRow             *row,
                                         gpointer                user_data);
/* Called for each event of the audit log (borrowed); FALSE (with @error set) stops the walk. */
typedef gboolean (*DgStoreAuditFunc)    (const DgAuditEvent     *event,
                                         gpointer                user_data,
                                         GError                **error);
/* Called for each record that names a photo: its id and owner. */
typedef void     (*DgStorePhotoFunc)    (const char             *record_id,
                                         const char             *owner,
                                         gpointer                user_data);
/* Called for each stored record a loader reads: its id, data (canonical JSON text) and owner. */
typedef void     (*DgStoreDataFunc)     (const char             *id,
                                         const char             *data,
                                         const char             *owner,
                                         gpointer                user_data);

/* A table a copy of a whole database carries (dg_store_copy(), dg-store-copy.c): the same
 * columns in every backend. The report tables are not among them: the copy makes them afresh
 * from the records, with index_record(). */
#define DG_STORE_MAX_COLUMNS 16
typedef struct
{
  const char *name;
  const char *columns;      /* "a, b, c" */
  guint       n_columns;
  const char *order;        /* the key a dump goes by: a parent's rows before its children's */
} DgStoreTable;

/* Called with each row of a dump: its columns as text (NULL for NULL), borrowed for the call;
 * FALSE (with @error set) stops the dump and fails it. */
typedef gboolean (*DgStoreValuesFunc)   (const char *const      *values,
                                         gpointer                user_data,
                                         GError                **error);

struct _DgStoreBackend
{
  const char *name;

  /* Opens the database at @location, creating it when missing, and brings its schema to this
   * build's (DG_STORE_SCHEMA_VERSION): *created says it was new, and the store then adds the
   * default rules. */
  DgStoreDb *(*open)             (const char     *location,
                                  gboolean       *created,
                                  GError        **error);
  /* Closes (flushing what must be) and frees. */
  void       (*close)            (DgStoreDb      *db);

  /* ---- Transactions ---- */

  /* Begins a write transaction that no other writer, in this process or another, interleaves
   * with: *seq is the highest seq handed out yet (0 at first), *prev_hash the hash of the last
   * revision in the chain ("" at first). Every write below happens inside one. */
  gboolean   (*begin_write)      (DgStoreDb      *db,
                                  gint64         *seq,
                                  char          **prev_hash,
                                  GError        **error);
  gboolean   (*commit)           (DgStoreDb      *db,
                                  GError        **error);
  /* Rolls back the transaction under way, if any. */
  void       (*rollback)         (DgStoreDb      *db);
  /* A number that changes whenever another connection commits: the store's caches hold while it
   * stays the same. */
  gint64     (*data_version)     (DgStoreDb      *db);

  /* ---- Users and tokens ---- */

  /* Adds @username, or replaces the role and password hash of the one there. */
  gboolean   (*put_user)         (DgStoreDb      *db,
                                  const char     *username,
                                  DgRole          role,
                                  const char     *password_hash,
                                  const char     *now,
                                  GError        **error);
  /* *found FALSE when there is no such user, or its role is unknown to this build; @user and
   * @password_hash may be NULL. */
  gboolean   (*get_user)         (DgStoreDb      *db,
                                  const char     *username,
                                  gboolean       *found,
                                  DgUser        **user,
                                  char          **password_hash,
                                  GError        **error);
  /* Every user whose role this build knows (DgUser *), by name. */
  GPtrArray *(*list_users)       (DgStoreDb      *db,
                                  GError        **error);
  /* Adds @user, or sets every field of the one of that name but its created_at; with a NULL
   * @password_hash the stored one stays (a new user needs one). */
  gboolean   (*save_user)        (DgStoreDb      *db,
                                  const DgUser   *user,
                                  const char     *password_hash,
                                  GError        **error);
  /* Notes that @username signed in at @now. */
  gboolean   (*user_signed_in)   (DgStoreDb      *db,
                                  const char     *username,
                                  const char     *now,
                                  GError        **error);
  gboolean   (*add_token)        (DgStoreDb      *db,
                                  const char     *token_hash,
                                  const char     *username,
                                  gint64          expires_at,
                                  GError        **error);
  /* The token whose hash is @token_hash, not revoked, expiring after @now and of a user who is
   * not disabled, with its user's name and role and the hash as stored (which the store
   * compares in constant time). */
  gboolean   (*lookup_token)     (DgStoreDb      *db,
                                  const char     *token_hash,
                                  gint64          now,
                                  gboolean       *found,
                                  char          **username,
                                  DgRole         *role,
                                  char          **stored_hash,
                                  GError        **error);
  gboolean   (*revoke_token)     (DgStoreDb      *db,
                                  const char     *token_hash,
                                  GError        **error);
  /* Deletes the tokens of @username that are revoked or expired at @now: they answer nothing
   * any more, and a user who signs in every day would otherwise pile them up. */
  gboolean   (*purge_tokens)     (DgStoreDb      *db,
                                  const char     *username,
                                  gint64          now,
                                  GError        **error);
  /* Revokes every token of @username; *n_revoked (may be NULL) gets how many were live. */
  gboolean   (*revoke_user_tokens) (DgStoreDb    *db,
                                    const char   *username,
                                    gint64       *n_revoked,
                                    GError      **error);

  /* ---- The audit log (design 6.1) ---- */

  /* The last event's seq and hash (0 and "" when there is none), inside a write transaction. */
  gboolean   (*last_audit)       (DgStoreDb           *db,
                                  gint64              *seq,
                                  char               **hash,
                                  GError             **error);
  /* Appends @event, its seq and hash made by the store. */
  gboolean   (*add_audit)        (DgStoreDb           *db,
                                  const DgAuditEvent  *event,
                                  GError             **error);
  /* The events with seq > @since, by seq, at most @limit (-1: all). */
  gboolean   (*audit)            (DgStoreDb           *db,
                                  gint64               since,
                                  gint64               limit,
                                  DgStoreAuditFunc     func,
                                  gpointer             user_data,
                                  GError             **error);

  /* ---- Records ---- */

  /* The current state of @id, deleted or not: *found FALSE when there is none. */
  gboolean   (*load_record)      (DgStoreDb      *db,
                                  const char     *id,
                                  DgStoreRow     *row,
                                  gboolean       *found,
                                  GError        **error);
  /* Whether a record @id of @type exists and is not deleted (what a check's road_id or a
   * sample's cell_id must name). */
  gboolean   (*record_exists)    (DgStoreDb      *db,
                                  const char     *id,
                                  DgRecordType    type,
                                  gboolean       *exists,
                                  GError        **error);
  /* Stores @row as the current state of its record; with @insert_only, a record of that id
   * already there fails the call instead of being replaced. The owner never changes. */
  gboolean   (*put_record)       (DgStoreDb        *db,
                                  const DgStoreRow *row,
                                  gboolean          insert_only,
                                  GError          **error);
  /* Appends @revision to the chain. */
  gboolean   (*add_revision)     (DgStoreDb             *db,
                                  const DgStoreRevision *revision,
                                  GError               **error);
  /* Sets the state of @id ("returned" to its author, "voided" by it) for @reason, at a new
   * @seq; its content and rev stay. */
  gboolean   (*set_record_state) (DgStoreDb      *db,
                                  const char     *id,
                                  const char     *state,
                                  const char     *reason,
                                  gint64          seq,
                                  GError        **error);
  /* *closed FALSE for a NULL @month or one never closed. @frozen_through (may be NULL): the
   * last revision (DgStoreRevision's n) of the reference data a closed month's reports read,
   * that of its close; 0 while it is open. */
  gboolean   (*month_closed)     (DgStoreDb      *db,
                                  const char     *month,
                                  gboolean       *closed,
                                  gint64         *frozen_through,
                                  GError        **error);
  /* Closing also notes the last revision written (frozen_through); reopening clears it. */
  gboolean   (*set_month_closed) (DgStoreDb      *db,
                                  const char     *month,
                                  gboolean        closed,
                                  const char     *user,
                                  const char     *now,
                                  GError        **error);
  /* The latest closed month, NULL when none is. */
  gboolean   (*latest_closed_month) (DgStoreDb   *db,
                                     char       **month,
                                     GError     **error);

  /* The sample other than @id that holds @jar of @cell_id's @site in @month (design 6.7), not
   * deleted: its id in *holder, or NULL when there is none. */
  gboolean   (*find_jar)         (DgStoreDb      *db,
                                  const char     *month,
                                  const char     *cell_id,
                                  const char     *site,
                                  char            jar,
                                  const char     *id,
                                  char          **holder,
                                  GError        **error);
  /* The ids of the records of @month still returned for correction (not deleted), by id:
   * appended to @ids (char *). */
  gboolean   (*list_returned)    (DgStoreDb      *db,
                                  const char     *month,
                                  GPtrArray      *ids,
                                  GError        **error);

  /* ---- Attachments (design 6.2) ---- */

  /* Stores @content as the attachment @info describes, uploaded by @uploader at @created_at,
   * unless one of that hash is there (*created FALSE; SQLite writes its file again if it had
   * gone). In the caller's write transaction when one is under way (a copy), else in its own.
   * SQLite's file is whole and durable under its name before the row is written. */
  gboolean   (*put_attachment)   (DgStoreDb         *db,
                                  const DgImageInfo *info,
                                  const char        *uploader,
                                  const char        *created_at,
                                  GBytes            *content,
                                  gboolean          *created,
                                  GError           **error);
  /* The attachment @sha256: *found FALSE when there is none. With @content, its bytes as
   * stored, NULL when they are gone (a file deleted behind the store's back). */
  gboolean   (*get_attachment)   (DgStoreDb         *db,
                                  const char        *sha256,
                                  gboolean          *found,
                                  DgImageInfo       *info,
                                  char             **uploader,
                                  char             **created_at,
                                  GBytes           **content,
                                  GError           **error);
  /* Every attachment's hash, in order. */
  GPtrArray *(*list_attachments) (DgStoreDb         *db,
                                  GError           **error);

  /* ---- Feed ---- */

  /* The rows with seq > @since, by seq, at most @limit; with @owner, only @owner's besides the
   * reference data (roads, grid cells, rules, units), which everyone sees. Never a
   * rectification notice: those are read through their own routes (dg-store-rectifications.c). */
  gboolean   (*pull)             (DgStoreDb      *db,
                                  gint64          since,
                                  gint64          limit,
                                  const char     *owner,
                                  DgStoreRowFunc  func,
                                  gpointer        user_data,
                                  GError        **error);
  /* The revisions of @id, oldest first. */
  gboolean   (*history)          (DgStoreDb           *db,
                                  const char          *id,
                                  DgStoreRevisionFunc  func,
                                  gpointer             user_data,
                                  GError             **error);
  /* -1 when the database cannot say. */
  gint64     (*count_revisions)  (DgStoreDb      *db,
                                  const char     *id);

  /* ---- What the reports read ---- */

  /* Keeps what the reports read of a check or a sample in step with record @id: its entries of
   * @old_month (when it existed) go, and new ones are made from @data (DgRoadCheck * or
   * DgDustfallSample *) unless it is NULL (deleted). Other types have none. The photos the
   * record names are kept too (photo_records()). */
  gboolean   (*index_record)     (DgStoreDb      *db,
                                  DgRecordType    type,
                                  const char     *id,
                                  const char     *owner,
                                  gconstpointer   data,
                                  const char     *old_month,
                                  GError        **error);
  /* The records whose data names photo @sha256, by id: those index_record() was last given
   * data for (not deleted, not voided), as it keeps them in step with every write. */
  gboolean   (*photo_records)    (DgStoreDb        *db,
                                  const char       *sha256,
                                  DgStorePhotoFunc  func,
                                  gpointer          user_data,
                                  GError          **error);
  /* Every record of @type that is neither deleted nor voided, of @month unless it is NULL, by
   * id (so that every backend hands the reports the same order). With @through > 0 (a reference type, no
   * month), the records as they stood after revision @through: the newest revision of each
   * with n <= @through, unless that one deleted it. */
  gboolean   (*load_data)        (DgStoreDb      *db,
                                  DgRecordType    type,
                                  const char     *month,
                                  gint64          through,
                                  DgStoreDataFunc func,
                                  gpointer        user_data,
                                  GError        **error);
  /* As dg_store_load_road_checks(). */
  GPtrArray *(*load_road_checks) (DgStoreDb      *db,
                                  const char     *month,
                                  GError        **error);
  /* The DgCellMonth of each cell sampled in @month, by cell_id, gathered with DgCellValue from
   * the values kept by index_record(); strings interned. */
  GArray    *(*load_cell_months) (DgStoreDb      *db,
                                  const char     *month,
                                  GError        **error);

  /* ---- Integrity ---- */

  /* In one consistent snapshot: calls @func on every revision in chain order, then looks for a
   * record whose current state is not what its last revision says (*stale_id, *stale_rev: NULL
   * when there is none). */
  gboolean   (*verify)           (DgStoreDb           *db,
                                  DgStoreRevisionFunc  func,
                                  gpointer             user_data,
                                  char               **stale_id,
                                  gint64              *stale_rev,
                                  GError             **error);
  /* An online, consistent copy of the whole database into @dest, a location of this backend;
   * NULL when the store is to copy it row by row (dg_store_copy()). */
  gboolean   (*backup)           (DgStoreDb      *db,
                                  const char     *dest,
                                  GError        **error);
  /* Tunes this connection for a generator's bulk writes (dg_store_set_bulk_load()). */
  gboolean   (*bulk_load)        (DgStoreDb      *db,
                                  GError        **error);
  /* Runs @sql as it is (the tests' way to tamper with a database behind the store's back). */
  gboolean   (*exec)             (DgStoreDb      *db,
                                  const char     *sql,
                                  GError        **error);

  /* ---- Copying a whole database, from one backend to another (migrate, backup) ---- */

  /* Begins a read-only transaction whose dumps see one consistent snapshot, however others
   * write meanwhile; rollback() ends it. */
  gboolean   (*begin_read)       (DgStoreDb      *db,
                                  GError        **error);
  /* Calls @func on each row of @table, by its order. */
  gboolean   (*dump_table)       (DgStoreDb          *db,
                                  const DgStoreTable *table,
                                  DgStoreValuesFunc   func,
                                  gpointer            user_data,
                                  GError            **error);
  /* Inserts one row of @table, its columns as dump_table() gives them, in the write transaction
   * under way. */
  gboolean   (*load_row)         (DgStoreDb          *db,
                                  const DgStoreTable *table,
                                  const char *const  *values,
                                  GError            **error);
};

/* ---- What every backend's report loaders share (dg-store-reports.c) ---- */

/* Gathers the DgCellMonth of one month from a backend's sample_values rows, as they come in
 * key order (by cell_id): the rules are common/'s DgCellValue, the same for every backend. */
typedef struct _DgStoreCellMonths DgStoreCellMonths;

DgStoreCellMonths *dg_store_cell_months_new    (const char        *month);
void               dg_store_cell_months_add    (DgStoreCellMonths *gather,
                                                const char        *cell_id,
                                                const char        *site,
                                                const char        *jar,
                                                gboolean           valid,
                                                double             value,
                                                const char        *record_id);
/* The cell-months, strings interned; frees @gather. */
GArray            *dg_store_cell_months_finish (DgStoreCellMonths *gather);
void               dg_store_cell_months_free   (DgStoreCellMonths *gather);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgStoreCellMonths, dg_store_cell_months_free)

/* One row of a check joined with its points, as they come by record_id then seq: adds to
 * @checks a new check of @id when the last one is another, and the point when @surface is a
 * surface (a check without points has a row with none). */
void               dg_store_checks_add_row     (GPtrArray         *checks,
                                                const char        *id,
                                                const char        *road_id,
                                                const char        *date,
                                                const char        *author,
                                                gboolean           has_point,
                                                int                seq,
                                                const char        *surface,
                                                double             area_m2,
                                                double             mass_g);

/* The backends this build has (server/store/<name>/). */
extern const DgStoreBackend dg_sqlite_backend;
extern const DgStoreBackend dg_pg_backend;

G_END_DECLS
