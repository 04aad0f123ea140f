/* dg-store-attachments.c: the attachments of design 6.2 above the backends: who may read one,
 * verify's re-hashing, and a copy's carrying of their bytes from one backend to another. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <string.h>

#include "dg-store-private.h"

char *
dg_store_attachments_dir (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (path, ".attachments", NULL);
}

gboolean
dg_store_put_attachment (DgStore            *self,
                         const DgImageInfo  *info,
                         GBytes             *content,
                         const char         *uploader,
                         gboolean           *created,
                         GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *now = NULL;
  gboolean ignored;

  g_return_val_if_fail (info != NULL && dg_sha256_hex_is_valid (info->sha256), FALSE);
  g_return_val_if_fail (content != NULL && uploader != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  now = dg_timestamp_now ();
  return self->backend->put_attachment (self->db, info, uploader, now, content,
                                        created != NULL ? created : &ignored, error);
}

/* Whether a record naming a photo is one the user may read (design 6.2). */
typedef struct
{
  const char *user;
  DgRole      role;
  gboolean    readable;
} PhotoReader;

static void
photo_record_cb (const char *record_id,
                 const char *owner,
                 gpointer    user_data)
{
  PhotoReader *reader = user_data;

  if (dg_policy_allows (reader->role, DG_ACTION_READ_RECORD,
                        dg_policy_scope_for (owner, reader->user)))
    reader->readable = TRUE;
}

gboolean
dg_store_get_attachment (DgStore      *self,
                         const char   *sha256,
                         const char   *user,
                         DgRole        role,
                         DgImageInfo  *info,
                         GBytes      **content,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(DgImageInfo) found_info = { 0 };
  g_autofree char *uploader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  PhotoReader reader = { user, role, FALSE };
  gboolean found = FALSE;

  g_return_val_if_fail (info != NULL, FALSE);

  locker = dg_store_lock_open (self, error);
  if (locker == NULL)
    return FALSE;

  if (!self->backend->get_attachment (self->db, sha256, &found, &found_info, &uploader, NULL,
                                      NULL, error))
    return FALSE;
  /* The bytes go to whoever may read a record that names the photo, by the policy's
   * read_record row on that record (its author, the office, administrators); the metadata to
   * its uploader besides, who checks an upload with it before any record names it. Anyone else
   * is answered as for a hash never uploaded, so that a photo's existence tells no one
   * anything. */
  if (found && !self->backend->photo_records (self->db, sha256, photo_record_cb, &reader,
                                              error))
    return FALSE;
  if (!found || !(reader.readable ||
                  (content == NULL && g_strcmp0 (uploader, user) == 0 &&
                   dg_policy_allows (role, DG_ACTION_READ_RECORD, DG_SCOPE_OWN))))
    {
      dg_set_error (error, DG_ERROR_NOT_FOUND, NULL, "no such attachment");
      return FALSE;
    }

  if (content != NULL)
    {
      dg_image_info_clear (&found_info);
      if (!self->backend->get_attachment (self->db, sha256, &found, &found_info, NULL, NULL,
                                          &bytes, error))
        return FALSE;
      if (bytes == NULL)
        {
          dg_set_error (error, DG_ERROR_INTERNAL, NULL, "the bytes of attachment %s are gone",
                        sha256);
          return FALSE;
        }
      *content = g_steal_pointer (&bytes);
    }

  *info = found_info;
  memset (&found_info, 0, sizeof found_info);
  return TRUE;
}

/* Attachment @sha256 with its bytes: DG_ERROR_CONFLICT when its row lists it but its bytes are
 * gone (or the row went since the listing). */
static gboolean
load_whole (DgStore      *self,
            const char   *sha256,
            DgImageInfo  *info,
            char        **uploader,
            char        **created_at,
            GBytes      **content,
            GError      **error)
{
  gboolean found = FALSE;

  if (!self->backend->get_attachment (self->db, sha256, &found, info, uploader, created_at,
                                      content, error))
    return FALSE;
  if (!found || *content == NULL)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL, "attachment %s: missing", sha256);
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_store_verify_attachments_locked (DgStore  *self,
                                    gint64   *n_attachments,
                                    GError  **error)
{
  g_autoptr(GPtrArray) hashes = self->backend->list_attachments (self->db, error);

  if (hashes == NULL)
    return FALSE;

  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha256 = g_ptr_array_index (hashes, i);
      g_auto(DgImageInfo) info = { 0 };
      g_autoptr(GBytes) content = NULL;
      g_autofree char *hash = NULL;

      if (!load_whole (self, sha256, &info, NULL, NULL, &content, error))
        return FALSE;
      hash = dg_sha256_hex (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
      if (strcmp (hash, sha256) != 0 || (gint64) g_bytes_get_size (content) != info.bytes)
        {
          dg_set_error (error, DG_ERROR_CONFLICT, NULL, "attachment %s: altered (its bytes hash"
                        " to %s)", sha256, hash);
          return FALSE;
        }
    }

  if (n_attachments != NULL)
    *n_attachments = hashes->len;
  return TRUE;
}

gboolean
dg_store_copy_attachments_locked (DgStore  *self,
                                  DgStore  *dest,
                                  gint64   *n_rows,
                                  GError  **error)
{
  g_autoptr(GPtrArray) hashes = self->backend->list_attachments (self->db, error);

  if (hashes == NULL)
    return FALSE;

  /* One at a time: a district's photos are gigabytes. */
  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha256 = g_ptr_array_index (hashes, i);
      g_auto(DgImageInfo) info = { 0 };
      g_autoptr(GBytes) content = NULL;
      g_autofree char *uploader = NULL;
      g_autofree char *created_at = NULL;
      gboolean created = FALSE;

      if (!load_whole (self, sha256, &info, &uploader, &created_at, &content, error) ||
          !dest->backend->put_attachment (dest->db, &info, uploader, created_at, content,
                                          &created, error))
        return FALSE;
      (*n_rows)++;
    }

  return TRUE;
}

/* Whether @sha256 is an attachment the store holds. */
static gboolean
holds (DgStore     *self,
       const char  *sha256,
       gboolean    *found,
       GError     **error)
{
  g_auto(DgImageInfo) info = { 0 };

  return self->backend->get_attachment (self->db, sha256, found, &info, NULL, NULL, NULL, error);
}

gboolean
dg_store_find_missing_photos_locked (DgStore            *self,
                                     const char *const  *photos,
                                     const char         *prefix,
                                     char              **field,
                                     GError            **error)
{
  for (guint i = 0; photos != NULL && photos[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (!holds (self, photos[i], &found, error))
        return FALSE;
      if (!found)
        {
          *field = g_strdup_printf ("%sphotos[%u]", prefix, i);
          return TRUE;
        }
    }

  return TRUE;
}

gboolean
dg_store_find_missing_photo_locked (DgStore        *self,
                                    DgRecordType    type,
                                    gconstpointer   data,
                                    char          **field,
                                    GError        **error)
{
  *field = NULL;
  if (type == DG_RECORD_DUSTFALL_SAMPLE)
    return dg_store_find_missing_photos_locked (self, (const char *const *) ((const DgDustfallSample *) data)->photos,
                         "", field, error);
  if (type != DG_RECORD_ROAD_CHECK)
    return TRUE;

  for (guint i = 0; i < ((const DgRoadCheck *) data)->points->len && *field == NULL; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point ((const DgRoadCheck *) data, i);
      g_autofree char *prefix = g_strdup_printf ("points[%u].", i);

      if (!dg_store_find_missing_photos_locked (self, (const char *const *) point->photos, prefix, field, error))
        return FALSE;
    }

  return TRUE;
}

/* Notes, in *reused, that a record other than @id names the photo. */
typedef struct
{
  const char *id;
  gboolean    reused;
} OtherRecord;

static void
other_record_cb (const char *record_id,
                 const char *owner,
                 gpointer    user_data)
{
  OtherRecord *other = user_data;

  if (g_strcmp0 (record_id, other->id) != 0)
    other->reused = TRUE;
}

gboolean
dg_store_check_evidence_locked (DgStore            *self,
                                const char         *id,
                                const DgRoadCheck  *check,
                                DgCheckEvidence    *evidence,
                                DgRoad            **road,
                                GError            **error)
{
  g_autoptr(GPtrArray) photos = dg_record_data_photos (DG_RECORD_ROAD_CHECK, check);
  g_auto(DgStoreRow) row = { 0 };
  gboolean found = FALSE;

  evidence->photo_taken_at = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  evidence->photo_reused = g_hash_table_new (g_str_hash, g_str_equal);
  evidence->road_line = NULL;
  *road = NULL;

  for (guint i = 0; i < photos->len; i++)
    {
      const char *sha256 = g_ptr_array_index (photos, i);
      g_auto(DgImageInfo) info = { 0 };
      OtherRecord other = { id, FALSE };
      gboolean held = FALSE;

      if (!self->backend->get_attachment (self->db, sha256, &held, &info, NULL, NULL, NULL,
                                          error) ||
          !self->backend->photo_records (self->db, sha256, other_record_cb, &other, error))
        return FALSE;
      if (held && info.taken_at != NULL)
        g_hash_table_insert (evidence->photo_taken_at, (gpointer) sha256,
                             g_steal_pointer (&info.taken_at));
      if (other.reused)
        g_hash_table_add (evidence->photo_reused, (gpointer) sha256);
    }

  /* The road as it stands, for its line; the change was checked to name one. */
  if (!self->backend->load_record (self->db, check->road_id, &row, &found, error))
    return FALSE;
  if (found && !row.deleted && row.data != NULL)
    {
      g_autoptr(JsonObject) object = dg_store_parse_object (row.data);

      *road = object != NULL ? dg_record_data_from_json (DG_RECORD_ROAD, check->road_id, object,
                                                         NULL)
                             : NULL;
      if (*road != NULL)
        evidence->road_line = (*road)->geometry;
    }

  return TRUE;
}

void
dg_check_evidence_clear (DgCheckEvidence *evidence)
{
  g_clear_pointer (&evidence->photo_taken_at, g_hash_table_unref);
  g_clear_pointer (&evidence->photo_reused, g_hash_table_unref);
  evidence->road_line = NULL;
}
