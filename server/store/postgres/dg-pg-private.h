/* dg-pg-private.h: what the files of the PostgreSQL backend share (design 6.5).
 *
 * One libpq connection, its statements prepared once per connection and cached by their text,
 * every value a bound parameter (text format), the error mapping, and the table of functions
 * each file implements a part of, as in the SQLite backend: the connection and transactions
 * (dg-pg.c), the schema and its migrations (dg-pg-schema.c), users and tokens (-auth.c),
 * records and months (-changes.c), pull and history (-feed.c), what the reports read
 * (-reports.c), verify and the copy (-integrity.c).
 */
#pragma once

#include <libpq-fe.h>

#include "dg-store-backend.h"

G_BEGIN_DECLS

typedef struct
{
  DgStoreDb   parent;
  PGconn     *conn;
  GHashTable *stmts;            /* SQL text -> prepared statement name, for this connection */
  guint       n_stmts;

  /* data_version(): the counter row's version as this connection last accounted for it, the
   * one its open transaction will commit, and the number handed out (which moves only when
   * another connection committed). */
  gint64      known_version;
  gint64      pending_version;
  gint64      data_version;
} DgPgDb;

#define DG_PG_DB(db) ((DgPgDb *) (db))

#define DG_PG_RECORD_COLUMNS \
  "id, type, rev, seq, deleted, owner, updated_at, state, reason, data, computed, month"

/* Bound parameters, in libpq's text format: the values a statement gets, never spliced into its
 * SQL. */
#define DG_PG_MAX_PARAMS 32
typedef struct
{
  int         n;
  const char *values[DG_PG_MAX_PARAMS];
  char       *owned[DG_PG_MAX_PARAMS];
} DgPgParams;

void        dg_pg_params_clear  (DgPgParams  *params);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DgPgParams, dg_pg_params_clear)
/* NULL binds SQL NULL. */
void        dg_pg_param_text    (DgPgParams  *params,
                                 const char  *text);
void        dg_pg_param_int     (DgPgParams  *params,
                                 gint64       value);
/* Written so that it reads back as the same double. */
void        dg_pg_param_double  (DgPgParams  *params,
                                 double       value);

/* ---- dg-pg.c: helpers ---- */

/* Sets @error from the connection's state and @result's SQLSTATE: a connection lost, a server
 * shutting down or out of resources, a serialization failure or deadlock are the client's "try
 * again later" (DG_ERROR_UNAVAILABLE), anything else DG_ERROR_INTERNAL. */
void        dg_pg_set_error     (DgPgDb          *self,
                                 GError         **error,
                                 const PGresult  *result,
                                 const char      *what);
/* Runs @sql (a string constant: its prepared statement is cached by it) with @params. Returns the
 * result when it succeeded (the caller PQclear()s it), NULL with @error otherwise. */
PGresult   *dg_pg_query         (DgPgDb          *self,
                                 const char      *sql,
                                 const DgPgParams *params,
                                 const char      *what,
                                 GError         **error);
/* The same, for a statement whose rows (if any) are not wanted. */
gboolean    dg_pg_command       (DgPgDb          *self,
                                 const char      *sql,
                                 const DgPgParams *params,
                                 const char      *what,
                                 GError         **error);
/* Runs @sql as it is, without parameters (one or several statements: BEGIN, DDL, tests). */
gboolean    dg_pg_exec          (DgPgDb          *self,
                                 const char      *sql,
                                 GError         **error);

/* Called for each row of dg_pg_each_row(), row 0 of @result; FALSE (with @error set) stops. */
typedef gboolean (*DgPgRowFunc) (const PGresult *result,
                                 gpointer        user_data,
                                 GError        **error);
/* Runs @sql with @params and calls @func on each row as it arrives (libpq's single-row mode), so
 * that a province's report never holds all its rows at once. */
gboolean    dg_pg_each_row      (DgPgDb          *self,
                                 const char      *sql,
                                 const DgPgParams *params,
                                 const char      *what,
                                 DgPgRowFunc      func,
                                 gpointer         user_data,
                                 GError         **error);

/* Column @col of row @row: a copy (NULL for SQL NULL), a number, a boolean stored as 0/1. */
char       *dg_pg_text          (const PGresult  *result,
                                 int              row,
                                 int              col);
const char *dg_pg_peek          (const PGresult  *result,
                                 int              row,
                                 int              col);
gint64      dg_pg_int           (const PGresult  *result,
                                 int              row,
                                 int              col);
double      dg_pg_double        (const PGresult  *result,
                                 int              row,
                                 int              col);
/* Fills @row from the DG_PG_RECORD_COLUMNS of row @i of @result. */
void        dg_pg_row_from_result (DgStoreRow     *row,
                                   const PGresult *result,
                                   int             i);
void        dg_pg_rollback      (DgStoreDb       *db);

/* ---- dg-pg-schema.c ---- */

/* Brings the schema to DG_STORE_SCHEMA_VERSION; *created when the database had none. */
gboolean    dg_pg_migrate       (DgPgDb          *self,
                                 gboolean        *created,
                                 GError         **error);

/* ---- dg-pg-auth.c ---- */

gboolean   dg_pg_put_user           (DgStoreDb *db, const char *username, DgRole role,
                                     const char *password_hash, const char *now,
                                     GError **error);
gboolean   dg_pg_get_user           (DgStoreDb *db, const char *username, gboolean *found,
                                     DgUser **user, char **password_hash, GError **error);
GPtrArray *dg_pg_list_users         (DgStoreDb *db, GError **error);
gboolean   dg_pg_save_user          (DgStoreDb *db, const DgUser *user,
                                     const char *password_hash, GError **error);
gboolean   dg_pg_user_signed_in     (DgStoreDb *db, const char *username, const char *now,
                                     GError **error);
gboolean   dg_pg_add_token          (DgStoreDb *db, const char *token_hash,
                                     const char *username, gint64 expires_at, GError **error);
gboolean   dg_pg_lookup_token       (DgStoreDb *db, const char *token_hash, gint64 now,
                                     gboolean *found, char **username, DgRole *role,
                                     char **stored_hash, GError **error);
gboolean   dg_pg_revoke_token       (DgStoreDb *db, const char *token_hash, GError **error);
gboolean   dg_pg_revoke_user_tokens (DgStoreDb *db, const char *username, gint64 *n_revoked,
                                     GError **error);
gboolean   dg_pg_purge_tokens       (DgStoreDb *db, const char *username, gint64 now,
                                     GError **error);

gboolean   dg_pg_last_audit         (DgStoreDb *db, gint64 *seq, char **hash, GError **error);
gboolean   dg_pg_add_audit          (DgStoreDb *db, const DgAuditEvent *event, GError **error);
gboolean   dg_pg_audit              (DgStoreDb *db, gint64 since, gint64 limit,
                                     DgStoreAuditFunc func, gpointer user_data, GError **error);

/* ---- dg-pg-changes.c ---- */

gboolean   dg_pg_load_record        (DgStoreDb *db, const char *id, DgStoreRow *row,
                                     gboolean *found, GError **error);
gboolean   dg_pg_record_exists      (DgStoreDb *db, const char *id, DgRecordType type,
                                     gboolean *exists, GError **error);
gboolean   dg_pg_put_record         (DgStoreDb *db, const DgStoreRow *row, gboolean insert_only,
                                     GError **error);
gboolean   dg_pg_add_revision       (DgStoreDb *db, const DgStoreRevision *revision,
                                     GError **error);
gboolean   dg_pg_set_record_state   (DgStoreDb *db, const char *id, const char *state,
                                     const char *reason, gint64 seq, GError **error);
gboolean   dg_pg_month_closed       (DgStoreDb *db, const char *month, gboolean *closed,
                                     gint64 *frozen_through, GError **error);
gboolean   dg_pg_set_month_closed   (DgStoreDb *db, const char *month, gboolean closed,
                                     const char *user, const char *now, GError **error);
gboolean   dg_pg_latest_closed_month (DgStoreDb *db, char **month, GError **error);
gboolean   dg_pg_find_jar           (DgStoreDb *db, const char *month, const char *cell_id,
                                     const char *site, char jar, const char *id,
                                     char **holder, GError **error);
gboolean   dg_pg_list_returned      (DgStoreDb *db, const char *month, GPtrArray *ids,
                                     GError **error);

/* ---- dg-pg-feed.c ---- */

gboolean   dg_pg_pull               (DgStoreDb *db, gint64 since, gint64 limit,
                                     const char *owner, DgStoreRowFunc func,
                                     gpointer user_data, GError **error);
gboolean   dg_pg_history            (DgStoreDb *db, const char *id, DgStoreRevisionFunc func,
                                     gpointer user_data, GError **error);
gint64     dg_pg_count_revisions    (DgStoreDb *db, const char *id);

/* ---- dg-pg-reports.c ---- */

gboolean   dg_pg_photo_records      (DgStoreDb *db, const char *sha256, DgStorePhotoFunc func,
                                     gpointer user_data, GError **error);
gboolean   dg_pg_index_record       (DgStoreDb *db, DgRecordType type, const char *id,
                                     const char *owner, gconstpointer data,
                                     const char *old_month, GError **error);
gboolean   dg_pg_load_data          (DgStoreDb *db, DgRecordType type, const char *month,
                                     gint64 through, DgStoreDataFunc func, gpointer user_data,
                                     GError **error);
GPtrArray *dg_pg_load_road_checks   (DgStoreDb *db, const char *month, GError **error);
GArray    *dg_pg_load_cell_months   (DgStoreDb *db, const char *month, GError **error);

/* ---- dg-pg-integrity.c ---- */

gboolean   dg_pg_verify             (DgStoreDb *db, DgStoreRevisionFunc func,
                                     gpointer user_data, char **stale_id, gint64 *stale_rev,
                                     GError **error);
gboolean   dg_pg_begin_read         (DgStoreDb *db, GError **error);
gboolean   dg_pg_dump_table         (DgStoreDb *db, const DgStoreTable *table,
                                     DgStoreValuesFunc func, gpointer user_data, GError **error);
gboolean   dg_pg_load_row           (DgStoreDb *db, const DgStoreTable *table,
                                     const char *const *values, GError **error);
gboolean   dg_pg_exec_sql           (DgStoreDb *db, const char *sql, GError **error);

/* ---- dg-pg-attachments.c ---- */

gboolean   dg_pg_put_attachment     (DgStoreDb *db, const DgImageInfo *info,
                                     const char *uploader, const char *created_at,
                                     GBytes *content, gboolean *created, GError **error);
gboolean   dg_pg_get_attachment     (DgStoreDb *db, const char *sha256, gboolean *found,
                                     DgImageInfo *info, char **uploader, char **created_at,
                                     GBytes **content, GError **error);
GPtrArray *dg_pg_list_attachments   (DgStoreDb *db, GError **error);

G_END_DECLS
