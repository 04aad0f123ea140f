/* dg-sqlite-attachments.c: the attachments of design 6.2, their rows in the attachments table
 * and their bytes in files beside the database ("<database>.attachments/<sha256>", mode 0600 in
 * a folder of mode 0700).
 *
 * A file is written under a temporary name, synced, renamed to its hash and its folder synced
 * (g_file_set_contents_full() does the first three): a server killed halfway leaves at most a
 * temporary file, never a hash name over part of a photo. The row follows the file, so a row
 * always finds its file, and a file without a row (a kill between the two) is harmless: the
 * next upload of that photo writes the row.
 */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "dg-sqlite-private.h"

static gboolean
no_folder (DgSqliteDb  *self,
           GError     **error)
{
  if (self->attachments != NULL)
    return FALSE;

  dg_set_error (error, DG_ERROR_INTERNAL, NULL, "a database that is no file keeps no attachments");
  return TRUE;
}

/* Makes the rename of a file in @dir durable. */
static gboolean
sync_dir (const char  *dir,
          GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot sync %s: %s", dir,
                    g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Writes @data as @dir/@sha256, whole or not at all. */
static gboolean
write_file (const char    *dir,
            const char    *sha256,
            const guint8  *data,
            gsize          size,
            GError       **error)
{
  g_autofree char *path = g_build_filename (dir, sha256, NULL);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot create %s: %s", dir,
                    g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "cannot write %s: %s", path,
                    local_error->message);
      return FALSE;
    }

  return sync_dir (dir, error);
}

static void
bind_double (sqlite3_stmt *s,
             int           i,
             gboolean      present,
             double        value)
{
  if (present)
    sqlite3_bind_double (s, i, value);
  else
    sqlite3_bind_null (s, i);
}

gboolean
dg_sqlite_put_attachment (DgStoreDb          *db,
                          const DgImageInfo  *info,
                          const char         *uploader,
                          const char         *created_at,
                          GBytes             *content,
                          gboolean           *created,
                          GError            **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autofree char *path = NULL;
  sqlite3_stmt *s;
  gboolean exists;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (content, &size);
  int rc;

  *created = FALSE;
  if (no_folder (self, error))
    return FALSE;

  s = dg_sqlite_stmt (self, "SELECT 1 FROM attachments WHERE sha256 = ?1", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, info->sha256);
  rc = sqlite3_step (s);
  exists = rc == SQLITE_ROW;
  if (!dg_sqlite_end_rows (self, s, rc, "look up an attachment", error))
    return FALSE;

  /* The same bytes again: the file is written again only if it went missing, which mends what
   * verify would report. */
  path = g_build_filename (self->attachments, info->sha256, NULL);
  if (exists && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  if (!write_file (self->attachments, info->sha256, data, size, error))
    return FALSE;
  if (exists)
    return TRUE;

  s = dg_sqlite_stmt (self, "INSERT OR IGNORE INTO attachments (sha256, type, bytes, width,"
                            " height, taken_at, lat, lon, uploader, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, info->sha256);
  dg_sqlite_bind_text (s, 2, info->type);
  sqlite3_bind_int64 (s, 3, info->bytes);
  sqlite3_bind_int (s, 4, info->width);
  sqlite3_bind_int (s, 5, info->height);
  dg_sqlite_bind_text (s, 6, info->taken_at);
  bind_double (s, 7, info->has_position, info->lat);
  bind_double (s, 8, info->has_position, info->lon);
  dg_sqlite_bind_text (s, 9, uploader);
  dg_sqlite_bind_text (s, 10, created_at);
  if (!dg_sqlite_step_done (self, s, "store an attachment", error))
    return FALSE;

  *created = sqlite3_changes (self->db) > 0;
  return TRUE;
}

gboolean
dg_sqlite_get_attachment (DgStoreDb     *db,
                          const char    *sha256,
                          gboolean      *found,
                          DgImageInfo   *info,
                          char         **uploader,
                          char         **created_at,
                          GBytes       **content,
                          GError       **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  sqlite3_stmt *s;
  int rc;

  *found = FALSE;
  s = dg_sqlite_stmt (self, "SELECT sha256, type, bytes, width, height, taken_at, lat, lon,"
                            " uploader, created_at FROM attachments WHERE sha256 = ?1", error);
  if (s == NULL)
    return FALSE;
  dg_sqlite_bind_text (s, 1, sha256);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      info->sha256 = dg_sqlite_column_text (s, 0);
      info->type = dg_sqlite_column_text (s, 1);
      info->bytes = sqlite3_column_int64 (s, 2);
      info->width = sqlite3_column_int (s, 3);
      info->height = sqlite3_column_int (s, 4);
      info->taken_at = dg_sqlite_column_text (s, 5);
      info->has_position = sqlite3_column_type (s, 6) != SQLITE_NULL &&
                           sqlite3_column_type (s, 7) != SQLITE_NULL;
      info->lat = sqlite3_column_double (s, 6);
      info->lon = sqlite3_column_double (s, 7);
      if (uploader != NULL)
        *uploader = dg_sqlite_column_text (s, 8);
      if (created_at != NULL)
        *created_at = dg_sqlite_column_text (s, 9);
    }
  if (!dg_sqlite_end_rows (self, s, rc, "read an attachment", error))
    return FALSE;

  if (*found && content != NULL)
    {
      g_autofree char *path = NULL;
      char *data = NULL;
      gsize size = 0;

      *content = NULL;
      if (no_folder (self, error))
        return FALSE;
      path = g_build_filename (self->attachments, sha256, NULL);
      if (g_file_get_contents (path, &data, &size, NULL))
        *content = g_bytes_new_take (data, size);
    }

  return TRUE;
}

GPtrArray *
dg_sqlite_list_attachments (DgStoreDb  *db,
                            GError    **error)
{
  DgSqliteDb *self = DG_SQLITE_DB (db);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s;
  int rc;

  s = dg_sqlite_stmt (self, "SELECT sha256 FROM attachments ORDER BY sha256", error);
  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (hashes, dg_sqlite_column_text (s, 0));
  if (!dg_sqlite_end_rows (self, s, rc, "list the attachments", error))
    return NULL;

  return g_steal_pointer (&hashes);
}

gboolean
dg_sqlite_copy_attachments (DgSqliteDb  *self,
                            const char  *dest_path,
                            GError     **error)
{
  g_autofree char *dest_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->attachments == NULL)
    return TRUE;
  dir = g_dir_open (self->attachments, 0, NULL);
  if (dir == NULL)
    return TRUE;   /* no attachment yet */

  dest_dir = dg_store_attachments_dir (dest_path);
  /* Only whole files, under their hash: a temporary file of an upload under way is not one. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = NULL;
      g_autofree char *dest = NULL;
      g_autofree char *data = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize size = 0;

      if (!dg_sha256_hex_is_valid (name))
        continue;
      dest = g_build_filename (dest_dir, name, NULL);
      if (g_file_test (dest, G_FILE_TEST_IS_REGULAR))
        continue;
      source = g_build_filename (self->attachments, name, NULL);
      if (!g_file_get_contents (source, &data, &size, &local_error))
        {
          dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "backup: %s", local_error->message);
          return FALSE;
        }
      if (!write_file (dest_dir, name, (const guint8 *) data, size, error))
        return FALSE;
    }

  return TRUE;
}
