/* dg-sqlite-private.h: what the files of the SQLite backend share.
 *
 * One connection, its statements prepared once and cached (a batch of 500 changes runs the same
 * handful of statements 500 times), the error mapping, and the table of functions each file
 * implements a part of: the connection and transactions (dg-sqlite.c), the schema and its
 * migrations (dg-sqlite-schema.c), users and tokens (-auth.c), records and months (-changes.c),
 * pull and history (-feed.c), what the reports read (-reports.c), verify and backup
 * (-integrity.c).
 */
#pragma once

#include <sqlite3.h>

#include "dg-store-backend.h"

G_BEGIN_DECLS

typedef struct
{
  DgStoreDb   parent;
  sqlite3    *db;
  GHashTable *stmts;          /* SQL text -> sqlite3_stmt * */
  char       *attachments;    /* the folder of the attachments' files (dg_store_attachments_dir());
                               * NULL for a database that is no file */
} DgSqliteDb;

#define DG_SQLITE_DB(db) ((DgSqliteDb *) (db))

#define DG_SQLITE_RECORD_COLUMNS \
  "id, type, rev, seq, deleted, owner, updated_at, state, reason, data, computed, month"

/* ---- dg-sqlite.c: helpers ---- */

/* Sets @error from @rc: disk full, I/O errors and a database locked too long are the client's
 * "try again later" (DG_ERROR_UNAVAILABLE), anything else DG_ERROR_INTERNAL. */
void          dg_sqlite_set_error   (DgSqliteDb    *self,
                                     GError       **error,
                                     int            rc,
                                     const char    *what);
/* A cached prepared statement, reset and unbound; @sql must be a string constant. */
sqlite3_stmt *dg_sqlite_stmt        (DgSqliteDb    *self,
                                     const char    *sql,
                                     GError       **error);
gboolean      dg_sqlite_exec        (DgSqliteDb    *self,
                                     const char    *sql,
                                     GError       **error);
/* Steps a statement that returns no rows (or whose rows are ignored) and resets it. */
gboolean      dg_sqlite_step_done   (DgSqliteDb    *self,
                                     sqlite3_stmt  *s,
                                     const char    *what,
                                     GError       **error);
/* Resets @s once its rows are read: FALSE with @error unless the last step's @rc was SQLITE_DONE
 * (or SQLITE_ROW, for a lookup that stopped at its row). */
gboolean      dg_sqlite_end_rows    (DgSqliteDb    *self,
                                     sqlite3_stmt  *s,
                                     int            rc,
                                     const char    *what,
                                     GError       **error);
void          dg_sqlite_bind_text   (sqlite3_stmt  *s,
                                     int            i,
                                     const char    *text);
char         *dg_sqlite_column_text (sqlite3_stmt  *s,
                                     int            col);
void          dg_sqlite_rollback    (DgStoreDb     *db);
/* Fills @row from the DG_SQLITE_RECORD_COLUMNS of @s. */
void          dg_sqlite_row_from_stmt (DgStoreRow   *row,
                                       sqlite3_stmt *s);

/* ---- dg-sqlite-schema.c ---- */

/* Brings the schema to DG_STORE_SCHEMA_VERSION; *created when the database was empty. Before
 * it changes the schema of a database a release has already written, it keeps a copy of that
 * database beside @path (see dg_sqlite_pre_upgrade_path()). */
gboolean   dg_sqlite_migrate            (DgSqliteDb      *self,
                                         const char      *path,
                                         gboolean        *created,
                                         GError         **error);

/* ---- dg-sqlite-auth.c ---- */

gboolean   dg_sqlite_put_user           (DgStoreDb *db, const char *username, DgRole role,
                                         const char *password_hash, const char *now,
                                         GError **error);
gboolean   dg_sqlite_get_user           (DgStoreDb *db, const char *username, gboolean *found,
                                         DgUser **user, char **password_hash, GError **error);
GPtrArray *dg_sqlite_list_users         (DgStoreDb *db, GError **error);
gboolean   dg_sqlite_save_user          (DgStoreDb *db, const DgUser *user,
                                         const char *password_hash, GError **error);
gboolean   dg_sqlite_user_signed_in     (DgStoreDb *db, const char *username, const char *now,
                                         GError **error);
gboolean   dg_sqlite_add_token          (DgStoreDb *db, const char *token_hash,
                                         const char *username, gint64 expires_at,
                                         GError **error);
gboolean   dg_sqlite_lookup_token       (DgStoreDb *db, const char *token_hash, gint64 now,
                                         gboolean *found, char **username, DgRole *role,
                                         char **stored_hash, GError **error);
gboolean   dg_sqlite_revoke_token       (DgStoreDb *db, const char *token_hash, GError **error);
gboolean   dg_sqlite_revoke_user_tokens (DgStoreDb *db, const char *username, gint64 *n_revoked,
                                         GError **error);
gboolean   dg_sqlite_purge_tokens       (DgStoreDb *db, const char *username, gint64 now,
                                         GError **error);

gboolean   dg_sqlite_last_audit         (DgStoreDb *db, gint64 *seq, char **hash, GError **error);
gboolean   dg_sqlite_add_audit          (DgStoreDb *db, const DgAuditEvent *event, GError **error);
gboolean   dg_sqlite_audit              (DgStoreDb *db, gint64 since, gint64 limit,
                                         DgStoreAuditFunc func, gpointer user_data,
                                         GError **error);

/* ---- dg-sqlite-changes.c ---- */

gboolean   dg_sqlite_load_record        (DgStoreDb *db, const char *id, DgStoreRow *row,
                                         gboolean *found, GError **error);
gboolean   dg_sqlite_record_exists      (DgStoreDb *db, const char *id, DgRecordType type,
                                         gboolean *exists, GError **error);
gboolean   dg_sqlite_put_record         (DgStoreDb *db, const DgStoreRow *row,
                                         gboolean insert_only, GError **error);
gboolean   dg_sqlite_add_revision       (DgStoreDb *db, const DgStoreRevision *revision,
                                         GError **error);
gboolean   dg_sqlite_set_record_state   (DgStoreDb *db, const char *id, const char *state,
                                         const char *reason, gint64 seq, GError **error);
gboolean   dg_sqlite_month_closed       (DgStoreDb *db, const char *month, gboolean *closed,
                                         gint64 *frozen_through, GError **error);
gboolean   dg_sqlite_set_month_closed   (DgStoreDb *db, const char *month, gboolean closed,
                                         const char *user, const char *now, GError **error);
gboolean   dg_sqlite_latest_closed_month (DgStoreDb *db, char **month, GError **error);
gboolean   dg_sqlite_find_jar           (DgStoreDb *db, const char *month, const char *cell_id,
                                         const char *site, char jar, const char *id,
                                         char **holder, GError **error);
gboolean   dg_sqlite_list_returned      (DgStoreDb *db, const char *month, GPtrArray *ids,
                                         GError **error);

/* ---- dg-sqlite-feed.c ---- */

gboolean   dg_sqlite_pull               (DgStoreDb *db, gint64 since, gint64 limit,
                                         const char *owner, DgStoreRowFunc func,
                                         gpointer user_data, GError **error);
gboolean   dg_sqlite_history            (DgStoreDb *db, const char *id,
                                         DgStoreRevisionFunc func, gpointer user_data,
                                         GError **error);
gint64     dg_sqlite_count_revisions    (DgStoreDb *db, const char *id);

/* ---- dg-sqlite-reports.c ---- */

/* The report tables' rows of index_record(), without record_photos (the migration to version 3
 * fills them, before that table exists). */
gboolean   dg_sqlite_index_report_rows  (DgSqliteDb *self, DgRecordType type, const char *id,
                                         const char *owner, gconstpointer data,
                                         const char *old_month, GError **error);
gboolean   dg_sqlite_photo_records      (DgStoreDb *db, const char *sha256,
                                         DgStorePhotoFunc func, gpointer user_data,
                                         GError **error);
gboolean   dg_sqlite_index_record       (DgStoreDb *db, DgRecordType type, const char *id,
                                         const char *owner, gconstpointer data,
                                         const char *old_month, GError **error);
gboolean   dg_sqlite_load_data          (DgStoreDb *db, DgRecordType type, const char *month,
                                         gint64 through, DgStoreDataFunc func,
                                         gpointer user_data, GError **error);
GPtrArray *dg_sqlite_load_road_checks   (DgStoreDb *db, const char *month, GError **error);
GArray    *dg_sqlite_load_cell_months   (DgStoreDb *db, const char *month, GError **error);

/* ---- dg-sqlite-integrity.c ---- */

gboolean   dg_sqlite_verify             (DgStoreDb *db, DgStoreRevisionFunc func,
                                         gpointer user_data, char **stale_id,
                                         gint64 *stale_rev, GError **error);
gboolean   dg_sqlite_backup             (DgStoreDb *db, const char *dest, GError **error);
/* Creates @path empty with mode 0600 when it does not exist, before SQLite opens it: SQLite
 * gives its -wal and -shm files the database's mode, so none of them is ever world-readable,
 * whatever the umask. */
gboolean   dg_sqlite_create_private     (const char *path, GError **error);
gboolean   dg_sqlite_exec_sql           (DgStoreDb *db, const char *sql, GError **error);
gboolean   dg_sqlite_begin_read         (DgStoreDb *db, GError **error);
gboolean   dg_sqlite_dump_table         (DgStoreDb *db, const DgStoreTable *table,
                                         DgStoreValuesFunc func, gpointer user_data,
                                         GError **error);
gboolean   dg_sqlite_load_row           (DgStoreDb *db, const DgStoreTable *table,
                                         const char *const *values, GError **error);

/* ---- dg-sqlite-attachments.c ---- */

gboolean   dg_sqlite_put_attachment     (DgStoreDb *db, const DgImageInfo *info,
                                         const char *uploader, const char *created_at,
                                         GBytes *content, gboolean *created, GError **error);
gboolean   dg_sqlite_get_attachment     (DgStoreDb *db, const char *sha256, gboolean *found,
                                         DgImageInfo *info, char **uploader, char **created_at,
                                         GBytes **content, GError **error);
GPtrArray *dg_sqlite_list_attachments   (DgStoreDb *db, GError **error);
/* Copies every attachment file into the folder of the database at @dest_path (a backup). */
gboolean   dg_sqlite_copy_attachments   (DgSqliteDb *self, const char *dest_path,
                                         GError **error);

G_END_DECLS
