/* dg-routes-attachments.c: the photos of design 6.2, content-addressed, in worker threads.
 *
 * An upload is checked in the order that costs least first: its type, its hash against the
 * path, then the bytes decoded (common/dg-image.c), outside the store's lock, so that decoding
 * a large photo holds up no other request.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include <string.h>

#include "dg-routes.h"

void
dg_route_put_attachment (DgRequest  *req,
                         GError    **error)
{
  g_auto(DgImageInfo) info = { 0 };
  g_autofree char *hash = NULL;
  const char *type = dg_image_type_canonical (req->body_type);
  gboolean created = FALSE;
  gsize size = 0;
  const guint8 *data = req->body != NULL ? g_bytes_get_data (req->body, &size) : NULL;

  if (type == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "type",
                    "the Content-Type must be image/jpeg or image/png");
      return;
    }
  hash = dg_sha256_hex (data != NULL ? data : (const guint8 *) "", size);
  if (strcmp (hash, req->capture) != 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "sha256",
                    "sha256 is not the SHA-256 of the body (%s)", hash);
      return;
    }
  if (!dg_image_inspect (data, size, type, &info, error))
    return;
  if (!dg_store_put_attachment (req->store, &info, req->body, req->user, &created, error))
    return;

  req->status = created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK;
  req->response = dg_image_info_to_json (&info);
}

void
dg_route_get_attachment (DgRequest  *req,
                         GError    **error)
{
  g_auto(DgImageInfo) info = { 0 };
  GBytes *content = NULL;

  if (!dg_store_get_attachment (req->store, req->capture, req->user, req->role, &info,
                                &content, error))
    return;

  req->file = content;
  /* A static string: the response is written after @info is gone. */
  req->content_type = dg_image_type_canonical (info.type);
  req->filename = g_strdup_printf ("%s.%s", info.sha256, dg_image_type_extension (info.type));
}

void
dg_route_attachment_meta (DgRequest  *req,
                          GError    **error)
{
  g_auto(DgImageInfo) info = { 0 };

  if (!dg_store_get_attachment (req->store, req->capture, req->user, req->role, &info, NULL,
                                error))
    return;

  req->response = dg_image_info_to_json (&info);
}
