/* dg-store-copy.c: a whole database copied into another, of the same backend or not (migrate
 * from SQLite to PostgreSQL, a PostgreSQL backup into a SQLite file): every table the store
 * keeps, row by row through each backend's dump_table() and load_row(), from one snapshot and
 * in one transaction; the report tables made afresh from the records, as every write makes
 * them. The hash chain is copied as it is: the copy verifies as the original does.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-store-private.h"

/* What a copy carries, parents before children. A table another part of the store adds
 * (audit…) is one more line here, and the copy carries it in every backend. The attachments
 * are not among them: their bytes are files with SQLite, so the copy carries them apart
 * (dg_store_copy_attachments_locked()), row and bytes together. */
static const DgStoreTable copy_tables[] = {
  { "users", "username, role, password_hash, created_at, display_name, unit_id, disabled,"
    " last_login_at", 8, "username" },
  { "tokens", "hash, username, expires_at, revoked", 4, "hash" },
  { "months", "month, closed, changed_by, changed_at, frozen_through", 5, "month" },
  { "records", "id, type, rev, seq, deleted, owner, updated_at, state, reason, data, computed,"
    " month", 12, "seq" },
  { "revisions", "n, record_id, rev, type, author, updated_at, deleted, data, hash", 9, "n" },
  { "audit", "seq, at, actor, action, target, detail, hash", 7, "seq" },
};

typedef struct
{
  DgStore            *dest;
  const DgStoreTable *table;
  DgRecordType        type;
  gint64              n_rows;
  GError             *error;      /* of an index_record() in a DgStoreDataFunc */
} Copy;

static gboolean
copy_row_cb (const char *const  *values,
             gpointer            user_data,
             GError            **error)
{
  Copy *copy = user_data;

  copy->n_rows++;
  return copy->dest->backend->load_row (copy->dest->db, copy->table, values, error);
}

/* Each check and sample of the copy gets its report rows, as a write would give them. */
static void
index_cb (const char *id,
          const char *data,
          const char *owner,
          gpointer    user_data)
{
  Copy *copy = user_data;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) local_error = NULL;
  gpointer record;

  if (copy->error != NULL)
    return;
  object = dg_store_parse_object (data);
  record = object != NULL ? dg_record_data_from_json (copy->type, id, object, &local_error) : NULL;
  if (record == NULL)
    {
      /* As the loaders do: stored data that no longer validates has no report rows. */
      g_warning ("Stored %s %s no longer validates: %s", dg_record_type_to_string (copy->type),
                 id, local_error != NULL ? local_error->message : "not an object");
      return;
    }
  copy->dest->backend->index_record (copy->dest->db, copy->type, id, owner, record, NULL,
                                     &copy->error);
  dg_record_data_free (copy->type, record);
}

gboolean
dg_store_copy (DgStore     *self,
               const char  *dest_location,
               gint64      *n_rows,
               GError     **error)
{
  static const DgRecordType indexed[] = { DG_RECORD_ROAD_CHECK, DG_RECORD_DUSTFALL_SAMPLE };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DgStore) dest = NULL;
  /* Released before @dest goes (cleanups run in the reverse order of these lines). */
  g_autoptr(GMutexLocker) dest_locker = NULL;
  g_autofree char *prev_hash = NULL;
  Copy copy = { 0 };
  gboolean created = FALSE;
  gint64 seq = 0;

  g_return_val_if_fail (dest_location != NULL, FALSE);

  dest = dg_store_open_full (dg_store_backend_for (dest_location), dest_location, FALSE, &created,
                             error);
  if (dest == NULL)
    return FALSE;
  if (!created)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL,
                    "%s already holds a DustGrid database: a copy goes into a new one",
                    dest_location);
      return FALSE;
    }

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;
  dest_locker = dg_store_lock_open (dest, error);
  if (dest_locker == NULL)
    return FALSE;

  copy.dest = dest;
  if (!dest->backend->begin_write (dest->db, &seq, &prev_hash, error))
    return FALSE;
  if (!self->backend->begin_read (self->db, error))
    goto failed;

  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    {
      copy.table = &copy_tables[i];
      if (!self->backend->dump_table (self->db, &copy_tables[i], copy_row_cb, &copy, error))
        goto failed;
    }
  if (!dg_store_copy_attachments_locked (self, dest, &copy.n_rows, error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (indexed); i++)
    {
      copy.type = indexed[i];
      if (!self->backend->load_data (self->db, indexed[i], NULL, 0, index_cb, &copy, error))
        goto failed;
      if (copy.error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&copy.error));
          goto failed;
        }
    }

  self->backend->rollback (self->db);
  if (!dest->backend->commit (dest->db, error))
    goto failed;

  if (n_rows != NULL)
    *n_rows = copy.n_rows;
  return TRUE;

failed:
  g_prefix_error (error, "copy into %s: ", dest_location);
  self->backend->rollback (self->db);
  dest->backend->rollback (dest->db);
  return FALSE;
}
