/* dg-image.h: what a photo of the field evidence is (design 6.2), read from its bytes.
 *
 * An attachment is named by the SHA-256 of its bytes. Whether the bytes are an image of the type
 * they claim is decided by decoding them (gdk-pixbuf's JPEG and PNG loaders), and the time and
 * place the camera noted by reading their EXIF (libexif), never by trusting a name or a header
 * alone: the server checks an upload with this, and the client a photo before it queues it.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An attachment's body may be up to 10 MiB (every other body keeps DG_MAX_BODY_BYTES). */
#define DG_ATTACHMENT_MAX_BYTES (10 * 1024 * 1024)
/* An image of more pixels than this is refused before it is decoded: a PNG of a few KiB can
 * announce one that would need gigabytes. 50 megapixels is more than a phone's camera writes. */
#define DG_IMAGE_MAX_PIXELS     (50 * 1000 * 1000)
#define DG_SHA256_HEX_LEN       64

typedef struct
{
  char     *sha256;        /* lower-case hex of the bytes */
  char     *type;          /* "image/jpeg" or "image/png" */
  gint64    bytes;
  int       width;
  int       height;
  char     *taken_at;      /* EXIF DateTimeOriginal as "YYYY-MM-DDTHH:MM:SS" (the camera's local
                            * time, as a check's device_time), NULL when it has none */
  gboolean  has_position;  /* EXIF GPS latitude and longitude, WGS84 degrees */
  double    lat;
  double    lon;
} DgImageInfo;

/* Whether @str is 64 lower-case hex digits, a SHA-256 as attachments are named. */
gboolean     dg_sha256_hex_is_valid    (const char        *str);
/* The lower-case hex SHA-256 of @data. */
char        *dg_sha256_hex             (const guint8      *data,
                                        gsize              size);
/* "image/jpeg" and "image/png" (either case, parameters ignored) as their one spelling; NULL for
 * any other type. */
const char  *dg_image_type_canonical   (const char        *content_type);
/* "jpg" or "png" for a canonical type. */
const char  *dg_image_type_extension   (const char        *type);

/* Fills @info (cleared first) from @data, which must be a whole, decodable image of @type (a
 * canonical type): DG_ERROR_INVALID_FIELD with field "content" when it is not (another format,
 * cut short, corrupt, or larger than DG_IMAGE_MAX_PIXELS), DG_ERROR_TOO_LARGE above
 * DG_ATTACHMENT_MAX_BYTES. EXIF that cannot be read leaves taken_at and the position unset. */
gboolean     dg_image_inspect          (const guint8      *data,
                                        gsize              size,
                                        const char        *type,
                                        DgImageInfo       *info,
                                        GError           **error);
void         dg_image_info_clear       (DgImageInfo       *info);
/* {"sha256","type","bytes","width","height","taken_at"?,"position"?:{"lat","lon"}} */
JsonNode    *dg_image_info_to_json     (const DgImageInfo *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DgImageInfo, dg_image_info_clear)

G_END_DECLS
