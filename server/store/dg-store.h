/* dg-store.h: the server's store (design section 5), one API over its backends (SQLite yet; what
 * a backend does is dg-store-backend.h, and every rule stays above it, here).
 *
 * Every revision of every record is kept, chained by hash = SHA-256 (previous hash ‖ canonical
 * JSON of the revision). A batch of changes is one write transaction (with SQLite, BEGIN
 * IMMEDIATE on one database file in WAL mode with synchronous=FULL) and its results are returned
 * only after COMMIT.
 *
 * All methods block and may be called from any thread: the store serializes access to its one
 * connection, so callers run them off the main loop (in a GTask thread).
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "dustgrid-common.h"
#include "dg-role.h"

G_BEGIN_DECLS

#define DG_TYPE_STORE (dg_store_get_type ())
G_DECLARE_FINAL_TYPE (DgStore, dg_store, DG, STORE, GObject)

/* The schema's versions, one list for every backend: each backend has one migration step per
 * entry (SQLite's in sqlite/dg-sqlite-schema.c, PostgreSQL's in postgres/dg-pg-schema.c) and
 * brings a database from any of them to the last. A new version is a new entry here, and a
 * step in each backend. */
enum
{
  DG_STORE_SCHEMA_V1_RECORDS = 1,               /* records, revisions, months, users, tokens */
  DG_STORE_SCHEMA_V2_REPORT_TABLES_DRAFT = 2,   /* SQLite only, for a few hours; dropped by 3 */
  DG_STORE_SCHEMA_V3_REPORT_TABLES = 3,         /* check_rows, check_points, sample_values */
  DG_STORE_SCHEMA_V4_FROZEN_MONTHS = 4,         /* months.frozen_through, revisions_by_type */
  DG_STORE_SCHEMA_V5_ADMINISTRATION = 5,        /* users' display name, unit, disabled and last
                                                 * sign-in; the audit log (design 6.1) */
  DG_STORE_SCHEMA_V6_ATTACHMENTS = 6,           /* attachments (design 6.2) */
  DG_STORE_SCHEMA_V7_SAMPLE_VALUES_BY_RECORD = 7, /* sample_values found by month and record */
  DG_STORE_SCHEMA_V8_RECORD_PHOTOS = 8,         /* record_photos: which record names which photo */
};
/* The schema version this build writes (SQLite's PRAGMA user_version, PostgreSQL's
 * dg_meta.schema_version). */
#define DG_STORE_SCHEMA_VERSION DG_STORE_SCHEMA_V8_RECORD_PHOTOS

/* Opens the database at @path with the schema of this build: a SQLite file (created when
 * missing), or with a postgresql:// (or postgres://) URI a PostgreSQL database, which must
 * exist (its tables are created when it has none). */
DgStore    *dg_store_open                 (const char   *path,
                                           GError      **error);
/* Opens @location with the backend named @backend ("sqlite": a file path; "postgresql": a
 * URI). An unknown name fails with DG_ERROR_INVALID_FIELD. */
DgStore    *dg_store_open_backend         (const char   *backend,
                                           const char   *location,
                                           GError      **error);
/* Where the SQLite backend keeps a database as it was before it upgraded its schema from
 * @version: "<path>.pre-upgrade-v<version>.db". */
char       *dg_store_pre_upgrade_path     (const char   *path,
                                           gint64        version);
const char *dg_store_get_path             (DgStore      *self);
const char *dg_store_get_backend_name     (DgStore      *self);
/* Closes the database (checkpointing the WAL); later calls fail with DG_ERROR_UNAVAILABLE. */
void        dg_store_close                (DgStore      *self);

/* ---- Users and tokens ---- */

/* Adds a user, or replaces the role and password hash of an existing one. */
gboolean    dg_store_put_user             (DgStore      *self,
                                           const char   *username,
                                           DgRole        role,
                                           const char   *password_hash,
                                           GError      **error);
/* FALSE without an error when there is no such user. */
gboolean    dg_store_get_user             (DgStore      *self,
                                           const char   *username,
                                           DgRole       *role,
                                           char        **password_hash,
                                           GError      **error);
gboolean    dg_store_add_token            (DgStore      *self,
                                           const char   *token_hash,
                                           const char   *username,
                                           gint64        expires_at,
                                           GError      **error);
/* FALSE without an error when the token is unknown, revoked or expired (at @now, Unix time). */
gboolean    dg_store_lookup_token         (DgStore      *self,
                                           const char   *token_hash,
                                           gint64        now,
                                           char        **username,
                                           DgRole       *role,
                                           GError      **error);
gboolean    dg_store_revoke_token         (DgStore      *self,
                                           const char   *token_hash,
                                           GError      **error);

/* ---- Administering users (design 6.1) ---- */

/* FALSE without an error when there is no such user; @user and @password_hash may be NULL. */
gboolean    dg_store_lookup_user          (DgStore      *self,
                                           const char   *username,
                                           DgUser      **user,
                                           char        **password_hash,
                                           GError      **error);
/* Every user (DgUser *), by name. */
GPtrArray  *dg_store_list_users           (DgStore      *self,
                                           GError      **error);
/* Adds @user (validated: DG_ERROR_INVALID_FIELD, also for a unit_id naming no unit) with
 * @password_hash, as @actor; its created_at is now. DG_ERROR_CONFLICT when the name is taken. */
gboolean    dg_store_create_user          (DgStore      *self,
                                           const DgUser *user,
                                           const char   *password_hash,
                                           const char   *actor,
                                           GError      **error);
/* Applies @patch to @username as @actor, with @password_hash for a new password (NULL: none):
 * disabling, a new role or a new password revoke every token of the user in the same
 * transaction. Returns the user as it now is; DG_ERROR_NOT_FOUND, DG_ERROR_INVALID_FIELD (a
 * unit user without a unit), DG_ERROR_CONFLICT when it would leave no administrator enabled. */
DgUser     *dg_store_update_user          (DgStore           *self,
                                           const char        *username,
                                           const DgUserPatch *patch,
                                           const char        *password_hash,
                                           const char        *actor,
                                           GError           **error);
/* Revokes every token of @username as @actor; *n_revoked gets how many were live.
 * DG_ERROR_NOT_FOUND when there is no such user. */
gboolean    dg_store_revoke_user          (DgStore      *self,
                                           const char   *username,
                                           const char   *actor,
                                           gint64       *n_revoked,
                                           GError      **error);
/* A user's own new password: stored, every token of the user revoked, then @token_hash added
 * (expiring at @expires_at) as the one session left, in one transaction. */
gboolean    dg_store_change_password      (DgStore      *self,
                                           const char   *username,
                                           const char   *password_hash,
                                           const char   *token_hash,
                                           gint64        expires_at,
                                           GError      **error);

/* ---- The audit log (design 6.1) ---- */

/* Appends an event in a transaction of its own (a failed login); @detail may be NULL. */
gboolean    dg_store_audit                (DgStore      *self,
                                           const char   *actor,
                                           const char   *action,
                                           const char   *target,
                                           JsonObject   *detail,
                                           GError      **error);
/* Events with seq > @since, by seq, at most @limit (DgAuditEvent *). */
GPtrArray  *dg_store_read_audit           (DgStore      *self,
                                           gint64        since,
                                           guint         limit,
                                           gint64       *next,
                                           gboolean     *more,
                                           GError      **error);

/* ---- Records ---- */

/* Applies a batch of CHANGE nodes as @user, in one transaction. Returns the DgResult * of each
 * change in order; NULL with an error (DG_ERROR_UNAVAILABLE, DG_ERROR_INTERNAL) when the batch
 * could not be stored at all, in which case nothing of it was. */
GPtrArray  *dg_store_apply_changes        (DgStore      *self,
                                           const char   *user,
                                           DgRole        role,
                                           JsonArray    *changes,
                                           GError      **error);

/* Stores @records (DgRoadCheck * or DgDustfallSample *, as @type says, each with its id) as new
 * records of the inspector @author in one transaction, revisions and hash chain included. For
 * generators whose data is valid by construction (`demo --scale`): nothing is validated and
 * nothing may exist yet; a duplicate id fails the whole call. */
gboolean    dg_store_insert_generated     (DgStore       *self,
                                           const char    *author,
                                           DgRecordType   type,
                                           GPtrArray     *records,
                                           GError       **error);

/* Imports reference data ({"units","roads","grid_cells","rules"}) as the administrator @user:
 * each element is stored unless the same content is already there, whatever its revision; units
 * go first, each after its parent. */
gboolean    dg_store_import_reference     (DgStore      *self,
                                           JsonNode     *root,
                                           const char   *user,
                                           guint        *n_applied,
                                           guint        *n_unchanged,
                                           GError      **error);

/* Applies @changes (reference CHANGE objects, from a GeoJSON file or an old spreadsheet) as
 * the administrator @user, whatever their base_rev: one DgResult each, in order, a bad one
 * rejected without the others (design 6.4). With @dry_run nothing is kept: the results say what
 * importing would do. */
GPtrArray  *dg_store_import_changes       (DgStore      *self,
                                           JsonArray    *changes,
                                           const char   *user,
                                           gboolean      dry_run,
                                           GError      **error);

/* Records with seq > @since visible to @user, by seq, at most @limit (DgRecord *). */
GPtrArray  *dg_store_pull                 (DgStore      *self,
                                           const char   *user,
                                           DgRole        role,
                                           gint64        since,
                                           guint         limit,
                                           gint64       *next,
                                           gboolean     *more,
                                           GError      **error);
/* NULL with DG_ERROR_NOT_FOUND when there is no such record. */
DgRecord   *dg_store_get_record           (DgStore      *self,
                                           const char   *id,
                                           GError      **error);
/* {"revisions":[{"rev","author","updated_at","deleted","hash","data"}…]}, oldest first. */
JsonNode   *dg_store_get_history          (DgStore      *self,
                                           const char   *id,
                                           GError      **error);
/* Returns a check or sample to its author: state "returned" with @reason and a new seq, no new
 * rev. Refused with DG_ERROR_MONTH_CLOSED in a closed month, DG_ERROR_CONFLICT when voided. */
DgRecord   *dg_store_return_record        (DgStore      *self,
                                           const char   *id,
                                           const char   *reason,
                                           const char   *user,
                                           GError      **error);

/* Voids a check or sample for @reason (issue 13: its author's, before its month is closed):
 * state "voided" with a new seq, no new rev; it stays in the history and the office's pulls, and
 * the reports count it as no data. DG_ERROR_MONTH_CLOSED in a closed month; voiding a voided
 * record again returns it as it is. Whose record it is, the caller checks (the policy). */
DgRecord   *dg_store_void_record          (DgStore      *self,
                                           const char   *id,
                                           const char   *reason,
                                           const char   *user,
                                           GError      **error);

/* ---- Attachments (design 6.2) ----
 *
 * Content-addressed: an attachment is named by the SHA-256 of its bytes, stored once whoever
 * uploads it again, and never changed. With SQLite the bytes are files (mode 0600) in a folder
 * beside the database, "<database>.attachments/<sha256>", each written whole before its name
 * appears (dg_store_attachments_dir()); with PostgreSQL a column of the attachments table. */

/* Stores @content, whose @info dg_image_inspect() made, as uploaded by @uploader: *created FALSE
 * when an attachment of that hash is already there (its bytes are the same, by their name). */
gboolean    dg_store_put_attachment       (DgStore           *self,
                                           const DgImageInfo *info,
                                           GBytes            *content,
                                           const char        *uploader,
                                           gboolean          *created,
                                           GError           **error);
/* The attachment @sha256, if @user with @role may read it: its uploader may (records do not
 * name attachments yet; when they do, whoever may read such a record will). FALSE with
 * DG_ERROR_NOT_FOUND otherwise, whether or not it exists, so that a hash tells nothing of
 * another's photo. With @content, its bytes too. */
gboolean    dg_store_get_attachment       (DgStore           *self,
                                           const char        *sha256,
                                           const char        *user,
                                           DgRole             role,
                                           DgImageInfo       *info,
                                           GBytes           **content,
                                           GError           **error);
/* Where the SQLite backend keeps the attachments of the database at @path. */
char       *dg_store_attachments_dir      (const char        *path);

/* ---- Rectification notices (design 6.3, dg-store-rectifications.c) ----
 *
 * A notice is a record of type "rectification" (never a CHANGE, never in a pull), written by
 * these calls only: each step is a new revision of it in the hash chain and an event in the
 * audit log, in one transaction. Who may take a step the caller asks the policy; these check
 * what the notice itself allows. */

/* Issues @issue (dg_rectification_issue_from_json()) as @user: the notice belongs to its
 * target's unit (DG_ERROR_INVALID_FIELD on target_id when the target does not exist or has no
 * unit); its deadline and month as dg_rectification_check_issue() on the server's today. The
 * same notice issued again (a retry) returns the stored one with *created FALSE; another notice
 * of that id is DG_ERROR_CONFLICT. */
DgRectification *dg_store_issue_rectification   (DgStore                       *self,
                                                 const DgRectification         *issue,
                                                 const char                    *user,
                                                 gboolean                      *created,
                                                 GError                       **error);
/* Every notice (DgRectification *), by id; only those of @unit_id unless it is NULL. */
GPtrArray       *dg_store_list_rectifications   (DgStore                       *self,
                                                 const char                    *unit_id,
                                                 GError                       **error);
/* DG_ERROR_NOT_FOUND when there is no such notice. */
DgRectification *dg_store_get_rectification     (DgStore                       *self,
                                                 const char                    *id,
                                                 GError                       **error);
/* Appends @response (its photos uploaded: DG_ERROR_INVALID_FIELD "photos[i]" otherwise) as
 * @user's, now. DG_ERROR_CONFLICT once the notice is closed. */
DgRectification *dg_store_respond_rectification (DgStore                       *self,
                                                 const char                    *id,
                                                 const DgRectificationResponse *response,
                                                 const char                    *user,
                                                 GError                       **error);
/* Closes the notice with @outcome and @note (may be NULL) as @user. DG_ERROR_CONFLICT when it
 * is closed already. */
DgRectification *dg_store_close_rectification   (DgStore                       *self,
                                                 const char                    *id,
                                                 DgRectificationOutcome         outcome,
                                                 const char                    *note,
                                                 const char                    *user,
                                                 GError                       **error);

/* ---- Months ---- */

gboolean    dg_store_set_month_closed     (DgStore      *self,
                                           const char   *month,
                                           gboolean      closed,
                                           const char   *user,
                                           GError      **error);
/* Closes @month unless records of it are still returned for correction (design 6.7): then,
 * without @force, nothing is closed, their ids are appended to @returned (char *) and the
 * answer is DG_ERROR_CONFLICT; with @force the month closes and they stay returned, frozen,
 * their ids in @returned all the same. */
gboolean    dg_store_close_month          (DgStore      *self,
                                           const char   *month,
                                           const char   *user,
                                           gboolean      force,
                                           GPtrArray    *returned,
                                           GError      **error);
gboolean    dg_store_is_month_closed      (DgStore      *self,
                                           const char   *month,
                                           GError      **error);

/* ---- Loading for the report builders of common/ ---- */

DgRuleSet  *dg_store_load_rules           (DgStore      *self,
                                           GError      **error);
/* DgRoad * / DgGridCell *, not deleted. */
GPtrArray  *dg_store_load_roads           (DgStore      *self,
                                           GError      **error);
GPtrArray  *dg_store_load_grid_cells      (DgStore      *self,
                                           GError      **error);
/* The rules, roads (DgRoad *), grid cells (DgGridCell *) and, unless @units is NULL, units
 * (DgUnit *) @month's reports read: as they stood when the month was closed, if it is (design
 * 6.6: a closed month's figures are frozen), else as they are. */
gboolean    dg_store_load_month_reference (DgStore      *self,
                                           const char   *month,
                                           DgRuleSet   **rules,
                                           GPtrArray   **roads,
                                           GPtrArray   **cells,
                                           GPtrArray   **units,
                                           GError      **error);
/* DgRoadCheck * of @month (YYYY-MM), with their author, not deleted: road, date and points
 * (without their location) only, which is what the reports read. */
GPtrArray  *dg_store_load_road_checks     (DgStore      *self,
                                           const char   *month,
                                           GError      **error);
/* The DgCellMonth of every cell sampled in the given months (NULL-terminated), as
 * dg_cell_months_from_samples() would make them from the months' samples, but from the values
 * stored at write time: month by month in the order given, each by cell_id. Their strings are
 * interned (g_intern_string()): the array has no clear func and its strings are never freed.
 * Gathered months are kept until one of their samples changes. */
GArray     *dg_store_load_cell_months     (DgStore          *self,
                                           const char *const *months,
                                           GError          **error);
/* DgDustfallSample * of the given months, not deleted. */
GPtrArray  *dg_store_load_dustfall_samples (DgStore          *self,
                                            const char *const *months,
                                            GError          **error);
/* DgDustfallHistory * of the given months (design 6.4), for @month's report: as they stood at
 * its close when @month is closed, so that a value imported later for the month before or the
 * year before leaves a closed month's 环比 and 同比 as they were published. */
GPtrArray  *dg_store_load_dustfall_history (DgStore          *self,
                                            const char        *month,
                                            const char *const *months,
                                            GError          **error);

/* ---- Administration ---- */

/* Walks the revision chain, then the audit log's, then re-hashes every attachment. FALSE with
 * DG_ERROR_CONFLICT naming the first bad revision ("revision 12 of record … (rev 3): hash
 * mismatch"), event ("audit event 7: hash mismatch") or attachment ("attachment 3f…: missing")
 * when one is broken. */
gboolean    dg_store_verify               (DgStore      *self,
                                           gint64       *n_revisions,
                                           GError      **error);
/* An online, consistent copy of the database into @dest_path: with SQLite into a file (the
 * backup API); with PostgreSQL into a new SQLite file or an empty PostgreSQL database, row by
 * row (dg_store_copy()). */
gboolean    dg_store_backup               (DgStore      *self,
                                           const char   *dest_path,
                                           GError      **error);
/* Copies the whole database, every revision, user, token and month, into @dest (a file or a
 * URI, as dg_store_open() takes): one consistent snapshot of @self, written in one transaction;
 * the report tables are made afresh from the records. @dest must be new (a file that does not
 * exist, or a PostgreSQL database without DustGrid's tables): anything else is refused with
 * DG_ERROR_CONFLICT. *n_rows gets the number of rows copied. */
gboolean    dg_store_copy                 (DgStore      *self,
                                           const char   *dest,
                                           gint64       *n_rows,
                                           GError      **error);
/* Makes this connection write in bulk, for a generator (`demo --scale`) filling a scratch
 * database: hundreds of thousands of new ids go into several indexes in each transaction, and
 * what a crash cuts short is generated again, so commits need not wait for the disk. */
gboolean    dg_store_set_bulk_load        (DgStore      *self,
                                           GError      **error);
/* Runs @sql (a test's way to tamper with the file behind the server's back). */
gboolean    dg_store_exec                 (DgStore      *self,
                                           const char   *sql,
                                           GError      **error);
gint64      dg_store_count_revisions      (DgStore      *self,
                                           const char   *id);

G_END_DECLS
