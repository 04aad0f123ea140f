/* dg-store-private.h: what the files of DgStore (dg-store.c, -changes.c, -reports.c) share. */
#pragma once

#include "dg-store.h"
#include "dg-store-backend.h"

G_BEGIN_DECLS

struct _DgStore
{
  GObject               parent_instance;

  /* Held around every call into the backend: one connection, one call at a time. */
  GMutex                lock;
  char                 *path;
  const DgStoreBackend *backend;
  DgStoreDb            *db;           /* NULL once closed */

  /* The rules in force, cached between batches; dropped when a rule changes here, or when
   * another connection (an `import` while serving) commits, as the backend's data_version
   * tells. */
  DgRuleSet            *rules;
  gint64                rules_data_version;

  /* Roads and grid cells, decoded once: a province has tens of thousands of cells and every
   * ranking needs them all. Dropped like the rules. */
  GPtrArray            *ref_cache[DG_N_RECORD_TYPES];
  gint64                ref_data_version[DG_N_RECORD_TYPES];

  /* Cell-months by month (GArray of DgCellMonth with interned strings): a ranking reads up to
   * fourteen months, all but the newest usually closed and unchanging. A month's entry goes when
   * one of its samples is written here; all go when another connection commits. */
  GHashTable           *cell_months;
  gint64                cell_months_data_version;

  /* Group commit (dg_store_apply_changes()): pushes that arrive while another is being written
   * wait in @push_queue; the next writer takes them all into one transaction, so concurrent
   * small pushes share one COMMIT and its flush. Guarded by @push_lock, taken before @lock and
   * never while holding it. */
  GMutex                push_lock;
  GCond                 push_cond;
  GQueue                push_queue;
  gboolean              push_writing;  /* a caller is writing a group */
};

/* Each *_locked function runs with self->lock held. */

/* Where each public call on an open store begins: checks @self and takes its lock, held until
 * the locker is freed. NULL, the lock released, when the store is closed (DG_ERROR_UNAVAILABLE)
 * or @self is no DgStore (a critical, no error). */
GMutexLocker *dg_store_lock_open         (DgStore           *self,
                                          GError           **error);
/* FALSE with DG_ERROR_UNAVAILABLE when the store has been closed. */
gboolean    dg_store_check_open          (DgStore           *self,
                                          GError           **error);
JsonObject *dg_store_parse_object        (const char        *text);
DgRecord   *dg_store_record_from_row     (const DgStoreRow  *row);
/* The backend a location names: "postgresql" for a postgresql:// URI, else "sqlite". */
const char *dg_store_backend_for         (const char        *location);
/* dg_store_open_backend(), and whether the database was new; a new one gets the default rules
 * only with @default_rules (a copy brings its own). */
DgStore    *dg_store_open_full           (const char        *backend,
                                          const char        *location,
                                          gboolean           default_rules,
                                          gboolean          *created,
                                          GError           **error);
/* Forgets every decoded rule, road, cell and cell-month. */
void        dg_store_drop_caches         (DgStore           *self);

/* dg-store-reports.c */

/* The rules in force, decoded once and kept until one changes. */
/* Every unit (DgUnit *) and every road (DgRoad *) or grid cell (DgGridCell *) of @type, not
 * deleted, decoded afresh (inside a batch: what it wrote so far included). */
GPtrArray  *dg_store_load_all_locked     (DgStore           *self,
                                          DgRecordType       type,
                                          GError           **error);
DgRuleSet  *dg_store_load_rules_locked   (DgStore           *self,
                                          GError           **error);

/* dg-store-changes.c */

/* Applies @changes in one transaction; @force ignores base_rev (import); with @all_or_nothing
 * the first rejected change fails and rolls back the whole batch; @dry_run rolls back a batch
 * that would have been stored, and answers its results. */
GPtrArray  *dg_store_apply_batch_locked  (DgStore           *self,
                                          const char        *user,
                                          DgRole             role,
                                          gboolean           force,
                                          gboolean           all_or_nothing,
                                          gboolean           dry_run,
                                          JsonArray         *changes,
                                          GError           **error);
/* Adds @revision to @builder as an object: with @as_history, as dg_store_get_history() gives it
 * (with its hash, without type and id); otherwise the members its hash covers. */
void        dg_store_add_revision_json   (JsonBuilder           *builder,
                                          const DgStoreRevision *revision,
                                          gboolean               as_history);
/* The link of every chain the store keeps (revisions, the audit log): the hex SHA-256 of @prev
 * (the hash of the link before, "" for the first) followed by @text. */
char       *dg_store_chain_hash          (const char            *prev,
                                          const char            *text);
/* The hash of @revision following @prev_hash in the chain: SHA-256 (prev ‖ canonical JSON of
 * the revision). With @data_is_canonical, @revision's data is taken as canonical JSON text as
 * it is, rather than parsed and written again (what verify does, so a difference shows). */
char       *dg_store_revision_hash       (const char            *prev_hash,
                                          const DgStoreRevision *revision,
                                          gboolean               data_is_canonical);

/* dg-store-audit.c */

/* Appends an event to the audit log, inside the write transaction under way: its seq follows
 * the last one's and its hash chains to it. @detail (may be NULL) is stored as canonical JSON. */
gboolean    dg_store_audit_locked        (DgStore           *self,
                                          const char        *at,
                                          const char        *actor,
                                          const char        *action,
                                          const char        *target,
                                          JsonObject        *detail,
                                          GError           **error);
/* Walks the audit chain (dg_store_verify()): FALSE with DG_ERROR_CONFLICT naming the first bad
 * event. */
gboolean    dg_store_verify_audit_locked (DgStore           *self,
                                          gint64            *n_events,
                                          GError           **error);

/* dg-store-attachments.c */

/* Re-hashes every attachment's bytes (dg_store_verify()): DG_ERROR_CONFLICT naming the first
 * one missing or altered. */
gboolean    dg_store_verify_attachments_locked (DgStore     *self,
                                                gint64      *n_attachments,
                                                GError     **error);
/* The field path ("points[2].photos[0]", "photos[1]") of the first photo @data (a check or a
 * sample) names that the store does not hold, in *field; NULL when it holds them all. */
gboolean    dg_store_find_missing_photo_locked (DgStore       *self,
                                                DgRecordType   type,
                                                gconstpointer  data,
                                                char         **field,
                                                GError       **error);
/* What the doubt flags of @check (record @id) read beyond it (design 6.2): its photos' EXIF
 * times, which of them another record names, and its road's line, which *road (a new DgRoad or
 * NULL, to free after @evidence) holds. Clear @evidence with dg_check_evidence_clear(). */
gboolean    dg_store_check_evidence_locked     (DgStore            *self,
                                                const char         *id,
                                                const DgRoadCheck  *check,
                                                DgCheckEvidence    *evidence,
                                                DgRoad            **road,
                                                GError            **error);
void        dg_check_evidence_clear            (DgCheckEvidence    *evidence);
/* The field path ("@prefix" "photos[1]") of the first of @photos the store does not hold, in
 * *field; NULL when it holds them all. */
gboolean    dg_store_find_missing_photos_locked (DgStore           *self,
                                                 const char *const *photos,
                                                 const char        *prefix,
                                                 char             **field,
                                                 GError           **error);
/* Carries every attachment, bytes and all, into @dest's write transaction under way (a copy);
 * *n_rows grows by one each. */
gboolean    dg_store_copy_attachments_locked   (DgStore     *self,
                                                DgStore     *dest,
                                                gint64      *n_rows,
                                                GError     **error);

G_END_DECLS
