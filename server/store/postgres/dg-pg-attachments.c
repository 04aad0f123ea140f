/* dg-pg-attachments.c: the attachments of design 6.2, each a row with its bytes in a bytea
 * column, written in one statement: PostgreSQL's WAL makes it whole or absent. */
#define G_LOG_DOMAIN "dg-store"

#include "config.h"

#include "dg-pg-private.h"

#define ATTACHMENT_COLUMNS \
  "sha256, type, bytes, width, height, taken_at, lat, lon, uploader, created_at"

/* @data in bytea's text input form, "\x" and hex digits. */
static char *
bytea_hex (const guint8 *data,
           gsize         size)
{
  static const char digits[] = "0123456789abcdef";
  char *text = g_malloc (2 * size + 3);

  text[0] = '\\';
  text[1] = 'x';
  for (gsize i = 0; i < size; i++)
    {
      text[2 + 2 * i] = digits[data[i] >> 4];
      text[3 + 2 * i] = digits[data[i] & 0xf];
    }
  text[2 * size + 2] = '\0';
  return text;
}

gboolean
dg_pg_put_attachment (DgStoreDb          *db,
                      const DgImageInfo  *info,
                      const char         *uploader,
                      const char         *created_at,
                      GBytes             *content,
                      gboolean           *created,
                      GError            **error)
{
  g_auto(DgPgParams) p = { 0 };
  g_autofree char *hex = NULL;
  PGresult *result;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (content, &size);

  *created = FALSE;
  hex = bytea_hex (data, size);
  dg_pg_param_text (&p, info->sha256);
  dg_pg_param_text (&p, info->type);
  dg_pg_param_int (&p, info->bytes);
  dg_pg_param_int (&p, info->width);
  dg_pg_param_int (&p, info->height);
  dg_pg_param_text (&p, info->taken_at);
  if (info->has_position)
    {
      dg_pg_param_double (&p, info->lat);
      dg_pg_param_double (&p, info->lon);
    }
  else
    {
      dg_pg_param_text (&p, NULL);
      dg_pg_param_text (&p, NULL);
    }
  dg_pg_param_text (&p, uploader);
  dg_pg_param_text (&p, created_at);
  dg_pg_param_text (&p, hex);
  result = dg_pg_query (DG_PG_DB (db),
                        "INSERT INTO attachments (" ATTACHMENT_COLUMNS ", content)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                        " ON CONFLICT (sha256) DO NOTHING RETURNING 1",
                        &p, "store an attachment", error);
  if (result == NULL)
    return FALSE;
  *created = PQntuples (result) == 1;
  PQclear (result);
  return TRUE;
}

gboolean
dg_pg_get_attachment (DgStoreDb     *db,
                      const char    *sha256,
                      gboolean      *found,
                      DgImageInfo   *info,
                      char         **uploader,
                      char         **created_at,
                      GBytes       **content,
                      GError       **error)
{
  g_auto(DgPgParams) p = { 0 };
  PGresult *result;

  *found = FALSE;
  dg_pg_param_text (&p, sha256);
  /* The bytes only when they are wanted: a photo is megabytes, its metadata a few words. */
  if (content != NULL)
    result = dg_pg_query (DG_PG_DB (db), "SELECT " ATTACHMENT_COLUMNS ", content"
                                         " FROM attachments WHERE sha256 = $1",
                          &p, "read an attachment", error);
  else
    result = dg_pg_query (DG_PG_DB (db), "SELECT " ATTACHMENT_COLUMNS
                                         " FROM attachments WHERE sha256 = $1",
                          &p, "read an attachment", error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      *found = TRUE;
      info->sha256 = dg_pg_text (result, 0, 0);
      info->type = dg_pg_text (result, 0, 1);
      info->bytes = dg_pg_int (result, 0, 2);
      info->width = (int) dg_pg_int (result, 0, 3);
      info->height = (int) dg_pg_int (result, 0, 4);
      info->taken_at = dg_pg_text (result, 0, 5);
      info->has_position = !PQgetisnull (result, 0, 6) && !PQgetisnull (result, 0, 7);
      info->lat = dg_pg_double (result, 0, 6);
      info->lon = dg_pg_double (result, 0, 7);
      if (uploader != NULL)
        *uploader = dg_pg_text (result, 0, 8);
      if (created_at != NULL)
        *created_at = dg_pg_text (result, 0, 9);
      if (content != NULL)
        {
          size_t size = 0;
          unsigned char *bytes = PQunescapeBytea ((const unsigned char *) dg_pg_peek (result, 0, 10),
                                                  &size);

          *content = bytes != NULL ? g_bytes_new (bytes, size) : NULL;
          PQfreemem (bytes);
        }
    }
  PQclear (result);
  return TRUE;
}

GPtrArray *
dg_pg_list_attachments (DgStoreDb  *db,
                        GError    **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  PGresult *result;

  result = dg_pg_query (DG_PG_DB (db), "SELECT sha256 FROM attachments ORDER BY sha256", NULL,
                        "list the attachments", error);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (hashes, dg_pg_text (result, r, 0));
  PQclear (result);
  return g_steal_pointer (&hashes);
}
