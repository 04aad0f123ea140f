/* dg-store.c: the server's store (design section 5), over one of its backends.
 *
 * DgStore is the one API the server reads and writes through; a backend (dg-store-backend.h)
 * keeps the records, revisions, users and months in its database. This file holds the object,
 * users and tokens, the feed and the integrity checks; dg-store-changes.c the rules of a batch
 * of changes and the hash chain; dg-store-reports.c what the reports read, and its caches. Every
 * call takes the store's mutex, so a backend sees one call at a time.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "dg-store-private.h"

G_DEFINE_FINAL_TYPE (DgStore, dg_store, G_TYPE_OBJECT)

/* The backends this build has, by name. */
static const DgStoreBackend *const backends[] = {
  &dg_sqlite_backend,
  &dg_pg_backend,
};

/* ---- Shared with dg-store-changes.c and dg-store-reports.c ---- */

void
dg_store_row_clear (DgStoreRow *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->owner, g_free);
  g_clear_pointer (&row->updated_at, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->reason, g_free);
  g_clear_pointer (&row->data, g_free);
  g_clear_pointer (&row->computed, g_free);
  g_clear_pointer (&row->month, g_free);
}

GMutexLocker *
dg_store_lock_open (DgStore  *self,
                    GError  **error)
{
  GMutexLocker *locker;

  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!dg_store_check_open (self, error))
    g_clear_pointer (&locker, g_mutex_locker_free);
  return locker;
}

gboolean
dg_store_check_open (DgStore  *self,
                     GError  **error)
{
  if (self->db != NULL)
    return TRUE;

  dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "the database is closed");
  return FALSE;
}

JsonObject *
dg_store_parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

DgRecord *
dg_store_record_from_row (const DgStoreRow *row)
{
  DgRecord *record = dg_record_new ();

  record->type = row->type;
  record->id = g_strdup (row->id);
  record->rev = row->rev;
  record->seq = row->seq;
  record->deleted = row->deleted;
  record->author = g_strdup (row->owner);
  record->updated_at = g_strdup (row->updated_at);
  if (!dg_record_state_from_string (row->state, &record->state))
    record->state = DG_RECORD_STATE_ACTIVE;
  record->reason = g_strdup (row->reason);
  record->data = dg_store_parse_object (row->data);
  record->computed = dg_store_parse_object (row->computed);

  return record;
}

void
dg_store_drop_caches (DgStore *self)
{
  for (guint i = 0; i < DG_N_RECORD_TYPES; i++)
    g_clear_pointer (&self->ref_cache[i], g_ptr_array_unref);
  g_hash_table_remove_all (self->cell_months);
}

/* ---- GObject ---- */

static void
close_locked (DgStore *self)
{
  g_clear_pointer (&self->db, self->backend->close);
}

static void
dg_store_finalize (GObject *object)
{
  DgStore *self = (DgStore *) object;

  if (self->backend != NULL)
    close_locked (self);
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  dg_store_drop_caches (self);
  g_clear_pointer (&self->cell_months, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->push_lock);
  g_cond_clear (&self->push_cond);

  G_OBJECT_CLASS (dg_store_parent_class)->finalize (object);
}

static void
dg_store_class_init (DgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_store_finalize;
}

static void
dg_store_init (DgStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->push_lock);
  g_cond_init (&self->push_cond);
  g_queue_init (&self->push_queue);
  self->cell_months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_array_unref);
}

/* A new database starts with the default rules of section 3, as revisions like any. */
static gboolean
insert_default_rules (DgStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) rules = dg_rule_set_default_rules ();
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < rules->len; i++)
    {
      DgRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(JsonObject) data = dg_record_data_to_json (DG_RECORD_RULE, rule);
      g_autoptr(DgChange) change = dg_change_new (DG_RECORD_RULE, rule->id, 0, FALSE, data);

      json_array_add_element (changes, dg_change_to_json (change));
    }

  results = dg_store_apply_batch_locked (self, "system", DG_ROLE_ADMIN, TRUE, TRUE, FALSE,
                                         changes, error);
  return results != NULL;
}

/* ---- Public API ---- */

DgStore *
dg_store_open (const char  *path,
               GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return dg_store_open_backend (dg_store_backend_for (path), path, error);
}

const char *
dg_store_backend_for (const char *location)
{
  /* Design 6.5: --db is a SQLite file or a PostgreSQL URI. */
  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return "postgresql";
  return "sqlite";
}

DgStore *
dg_store_open_backend (const char  *backend,
                       const char  *location,
                       GError     **error)
{
  gboolean created = FALSE;

  return dg_store_open_full (backend, location, TRUE, &created, error);
}

DgStore *
dg_store_open_full (const char  *backend,
                    const char  *location,
                    gboolean     default_rules,
                    gboolean    *created,
                    GError     **error)
{
  g_autoptr(DgStore) self = NULL;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (location != NULL, NULL);

  self = g_object_new (DG_TYPE_STORE, NULL);
  self->path = g_strdup (location);
  for (guint i = 0; i < G_N_ELEMENTS (backends) && self->backend == NULL; i++)
    if (strcmp (backends[i]->name, backend) == 0)
      self->backend = backends[i];
  if (self->backend == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, NULL, "this server has no %s store backend",
                    backend);
      return NULL;
    }

  self->db = self->backend->open (location, created, error);
  if (self->db == NULL)
    return NULL;

  if (*created && default_rules && !insert_default_rules (self, error))
    {
      g_prefix_error (error, "%s: ", location);
      return NULL;
    }

  return g_steal_pointer (&self);
}

char *
dg_store_pre_upgrade_path (const char *path,
                           gint64      version)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_strdup_printf ("%s.pre-upgrade-v%" G_GINT64_FORMAT ".db", path, version);
}

const char *
dg_store_get_path (DgStore *self)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return self->path;
}

const char *
dg_store_get_backend_name (DgStore *self)
{
  g_return_val_if_fail (DG_IS_STORE (self), NULL);

  return self->backend->name;
}

void
dg_store_close (DgStore *self)
{
  g_return_if_fail (DG_IS_STORE (self));

  g_mutex_lock (&self->lock);
  close_locked (self);
  g_mutex_unlock (&self->lock);
}

/* ---- Users and tokens ---- */

gboolean
dg_store_put_user (DgStore     *self,
                   const char  *username,
                   DgRole       role,
                   const char  *password_hash,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  g_autofree char *prev_hash = NULL;
  gint64 seq;

  g_return_val_if_fail (username != NULL && password_hash != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  /* A new password or role ends every session of the user at once, in the same transaction:
   * a token handed out under the old password must not outlive it (design 6.6). */
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return FALSE;
  if (!self->backend->put_user (self->db, username, role, password_hash, now, error) ||
      !self->backend->revoke_user_tokens (self->db, username, NULL, error) ||
      !self->backend->commit (self->db, error))
    {
      self->backend->rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_store_get_user (DgStore     *self,
                   const char  *username,
                   DgRole      *role,
                   char       **password_hash,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgUser) user = NULL;
  gboolean found = FALSE;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  if (!self->backend->get_user (self->db, username, &found, &user, password_hash, error))
    return FALSE;
  if (found && role != NULL)
    *role = user->role;
  return found;
}

gboolean
dg_store_add_token (DgStore     *self,
                    const char  *token_hash,
                    const char  *username,
                    gint64       expires_at,
                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Each sign-in clears the user's dead tokens, so the table holds live sessions only. */
  g_autofree char *stamp = dg_timestamp_now ();

  /* The administrator's list shows when each user last signed in (design 6.1). */
  return locker != NULL &&
         self->backend->purge_tokens (self->db, username, now, error) &&
         self->backend->add_token (self->db, token_hash, username, expires_at, error) &&
         self->backend->user_signed_in (self->db, username, stamp, error);
}

gboolean
dg_store_lookup_token (DgStore     *self,
                       const char  *token_hash,
                       gint64       now,
                       char       **username,
                       DgRole      *role,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *name = NULL;
  g_autofree char *stored = NULL;
  gboolean found = FALSE;
  DgRole r = DG_ROLE_INSPECTOR;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  if (token_hash == NULL)
    return FALSE;
  if (!self->backend->lookup_token (self->db, token_hash, now, &found, &name, &r, &stored, error))
    return FALSE;

  /* The index found the row; the comparison itself is made in constant time. */
  if (!found || stored == NULL || strlen (stored) != strlen (token_hash) ||
      sodium_memcmp (stored, token_hash, strlen (token_hash)) != 0)
    return FALSE;

  if (role != NULL)
    *role = r;
  if (username != NULL)
    *username = g_steal_pointer (&name);
  return TRUE;
}

gboolean
dg_store_revoke_token (DgStore     *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

  return locker != NULL && self->backend->revoke_token (self->db, token_hash, error);
}

/* ---- Records ---- */

typedef struct
{
  GPtrArray *records;
  guint      limit;
  gint64     last;
  gboolean   more;
} Pull;

static void
pull_row_cb (DgStoreRow *row,
             gpointer    user_data)
{
  Pull *pull = user_data;

  /* The one row past the limit only says that there is more. */
  if (pull->records->len == pull->limit)
    {
      pull->more = TRUE;
      return;
    }
  pull->last = row->seq;
  g_ptr_array_add (pull->records, dg_store_record_from_row (row));
}

GPtrArray *
dg_store_pull (DgStore     *self,
               const char  *user,
               DgRole       role,
               gint64       since,
               guint        limit,
               gint64      *next,
               gboolean    *more,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_record_free);
  Pull pull = { records, limit, since, FALSE };
  const char *owner;

  g_return_val_if_fail (limit > 0, NULL);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  /* Everyone sees the reference data; a role the policy does not let read others' records sees
   * only its own besides. */
  owner = dg_policy_allows (role, DG_ACTION_READ_RECORD, DG_SCOPE_OTHER) ? NULL : user;
  if (!self->backend->pull (self->db, since, (gint64) limit + 1, owner, pull_row_cb, &pull, error))
    return NULL;

  *more = pull.more;
  *next = pull.last;
  return g_steal_pointer (&records);
}

DgRecord *
dg_store_get_record (DgStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgStoreRow) row = { 0 };
  gboolean found = FALSE;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL || !self->backend->load_record (self->db, id, &row, &found, error))
    return NULL;

  if (!found)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      return NULL;
    }

  return dg_store_record_from_row (&row);
}

static gboolean
history_revision_cb (const DgStoreRevision  *revision,
                     gpointer                user_data,
                     GError                **error)
{
  dg_store_add_revision_json (user_data, revision, TRUE);
  return TRUE;
}

JsonNode *
dg_store_get_history (DgStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *revisions;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "revisions");
  json_builder_begin_array (builder);
  if (!self->backend->history (self->db, id, history_revision_cb, builder, error))
    return NULL;
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  revisions = json_object_get_array_member (json_node_get_object (root), "revisions");
  if (json_array_get_length (revisions) == 0)
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no record %s", id);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* ---- Months ---- */

gboolean
dg_store_set_month_closed (DgStore     *self,
                           const char  *month,
                           gboolean     closed,
                           const char  *user,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  g_autofree char *prev_hash = NULL;
  gint64 seq;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  /* The month and its event in the audit log, together. */
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return FALSE;
  if (!self->backend->set_month_closed (self->db, month, closed, user, now, error) ||
      !dg_store_audit_locked (self, now, user != NULL ? user : "system",
                              closed ? DG_AUDIT_MONTH_CLOSED : DG_AUDIT_MONTH_REOPENED, month,
                              NULL, error) ||
      !self->backend->commit (self->db, error))
    {
      self->backend->rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

gboolean
dg_store_close_month (DgStore     *self,
                      const char  *month,
                      const char  *user,
                      gboolean     force,
                      GPtrArray   *returned,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  g_autofree char *prev_hash = NULL;
  g_autoptr(JsonObject) detail = NULL;
  gint64 seq;
  guint before = returned->len;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  /* One transaction: no record is returned between the look and the close. */
  if (!self->backend->begin_write (self->db, &seq, &prev_hash, error))
    return FALSE;
  if (!self->backend->list_returned (self->db, month, returned, error))
    goto failed;
  if (returned->len > before && !force)
    {
      self->backend->rollback (self->db);
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "%u record%s of %s %s still returned for correction: correct them, or close "
                    "with {\"force\": true}", returned->len - before,
                    returned->len - before == 1 ? "" : "s", month,
                    returned->len - before == 1 ? "is" : "are");
      return FALSE;
    }
  /* The close and its audit event together; a forced close names what it left returned. */
  if (returned->len > before)
    {
      JsonArray *ids = json_array_new ();

      detail = json_object_new ();
      for (guint i = before; i < returned->len; i++)
        json_array_add_string_element (ids, g_ptr_array_index (returned, i));
      json_object_set_array_member (detail, "returned", ids);
    }
  now = dg_timestamp_now ();
  if (!self->backend->set_month_closed (self->db, month, TRUE, user, now, error) ||
      !dg_store_audit_locked (self, now, user != NULL ? user : "system", DG_AUDIT_MONTH_CLOSED,
                              month, detail, error) ||
      !self->backend->commit (self->db, error))
    goto failed;
  return TRUE;

failed:
  self->backend->rollback (self->db);
  return FALSE;
}

gboolean
dg_store_is_month_closed (DgStore     *self,
                          const char  *month,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean closed = FALSE;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  self->backend->month_closed (self->db, month, &closed, NULL, error);
  return closed;
}

/* ---- Administration ---- */

typedef struct
{
  char   *prev;
  gint64  n;
} Walk;

/* Each revision's hash must follow from the one before and its own canonical JSON, made afresh
 * from its parsed data. */
static gboolean
verify_revision_cb (const DgStoreRevision  *revision,
                    gpointer                user_data,
                    GError                **error)
{
  Walk *walk = user_data;
  g_autofree char *hash = dg_store_revision_hash (walk->prev, revision, FALSE);

  if (revision->hash == NULL || strcmp (hash, revision->hash) != 0)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "revision %" G_GINT64_FORMAT " (record %s, rev %" G_GINT64_FORMAT
                    "): hash mismatch", revision->n, revision->record_id, revision->rev);
      return FALSE;
    }

  g_free (walk->prev);
  walk->prev = g_steal_pointer (&hash);
  walk->n++;
  return TRUE;
}

gboolean
dg_store_verify (DgStore     *self,
                 gint64      *n_revisions,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *stale_id = NULL;
  Walk walk = { NULL, 0 };
  gint64 stale_rev = 0;
  gboolean ok;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  walk.prev = g_strdup ("");
  ok = self->backend->verify (self->db, verify_revision_cb, &walk, &stale_id, &stale_rev, error);
  g_free (walk.prev);
  if (!ok)
    return FALSE;

  /* The current state must be what the last revision of each record says. */
  if (stale_id != NULL)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "record %s (rev %" G_GINT64_FORMAT ") differs from its last revision",
                    stale_id, stale_rev);
      return FALSE;
    }

  if (!dg_store_verify_audit_locked (self, NULL, error) ||
      !dg_store_verify_attachments_locked (self, NULL, error))
    return FALSE;

  if (n_revisions != NULL)
    *n_revisions = walk.n;
  return TRUE;
}

gboolean
dg_store_backup (DgStore     *self,
                 const char  *dest_path,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (dest_path != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  /* The backend's own way when it has one for a destination of its kind; otherwise a copy row
   * by row, into whichever backend the destination names. */
  if (self->backend->backup != NULL &&
      g_str_equal (dg_store_backend_for (dest_path), self->backend->name))
    return self->backend->backup (self->db, dest_path, error);
  g_clear_pointer (&locker, g_mutex_locker_free);
  return dg_store_copy (self, dest_path, NULL, error);
}

gboolean
dg_store_set_bulk_load (DgStore  *self,
                        GError  **error)
{
  g_autoptr(GMutexLocker) locker = dg_store_lock_open (self, error);

  return locker != NULL && self->backend->bulk_load (self->db, error);
}

gboolean
dg_store_exec (DgStore     *self,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  /* Whatever @sql changes, nothing decoded or gathered before may still hold. */
  g_clear_pointer (&self->rules, dg_rule_set_unref);
  dg_store_drop_caches (self);
  return self->backend->exec (self->db, sql, error);
}

gint64
dg_store_count_revisions (DgStore    *self,
                          const char *id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  locker = dg_store_lock_open (self, NULL);
  if (locker == NULL)
    return -1;

  return self->backend->count_revisions (self->db, id);
}
