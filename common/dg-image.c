/* dg-image.c: an attachment's type, size and EXIF, read from its bytes. */
#define G_LOG_DOMAIN "dg-image"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libexif/exif-data.h>

#include "dg-error.h"
#include "dg-image.h"

#define JPEG "image/jpeg"
#define PNG  "image/png"

/* The loader takes the bytes in pieces, so that an image too large to decode is given up on a
 * piece after its size is known, not after all of it is. */
#define WRITE_CHUNK (64 * 1024)

gboolean
dg_sha256_hex_is_valid (const char *str)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < DG_SHA256_HEX_LEN; i++)
    if (!g_ascii_isdigit (str[i]) && !(str[i] >= 'a' && str[i] <= 'f'))
      return FALSE;

  return str[DG_SHA256_HEX_LEN] == '\0';
}

char *
dg_sha256_hex (const guint8 *data,
               gsize         size)
{
  /* g_compute_checksum_for_data() writes lower-case hex. */
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}

const char *
dg_image_type_canonical (const char *content_type)
{
  g_autofree char *media = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return NULL;

  semicolon = strchr (content_type, ';');
  media = g_strstrip (semicolon != NULL ? g_strndup (content_type, semicolon - content_type)
                                        : g_strdup (content_type));
  if (g_ascii_strcasecmp (media, JPEG) == 0)
    return JPEG;
  if (g_ascii_strcasecmp (media, PNG) == 0)
    return PNG;

  return NULL;
}

const char *
dg_image_type_extension (const char *type)
{
  return g_strcmp0 (type, PNG) == 0 ? "png" : "jpg";
}

void
dg_image_info_clear (DgImageInfo *info)
{
  g_clear_pointer (&info->sha256, g_free);
  g_clear_pointer (&info->type, g_free);
  g_clear_pointer (&info->taken_at, g_free);
  memset (info, 0, sizeof *info);
}

/* ---- EXIF ---- */

/* "YYYY:MM:DD HH:MM:SS", EXIF's spelling, as "YYYY-MM-DDTHH:MM:SS"; NULL when it is not a real
 * date and time (cameras write "    :  :     :  :  " when their clock was never set). */
static char *
exif_time (ExifEntry *entry)
{
  char text[20];
  int y, mo, d, h, mi, s;
  g_autoptr(GDateTime) check = NULL;

  if (entry == NULL || entry->format != EXIF_FORMAT_ASCII || entry->size < 19 ||
      entry->data == NULL)
    return NULL;

  memcpy (text, entry->data, 19);
  text[19] = '\0';
  for (guint i = 0; i < 19; i++)
    {
      gboolean digit_place = !(i == 4 || i == 7 || i == 10 || i == 13 || i == 16);

      if (digit_place != !!g_ascii_isdigit (text[i]))
        return NULL;
    }
  if (text[4] != ':' || text[7] != ':' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
    return NULL;
  if (sscanf (text, "%4d:%2d:%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return NULL;
  check = g_date_time_new_utc (y, mo, d, h, mi, s);
  if (check == NULL)
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
}

/* Degrees from EXIF's three rationals (degrees, minutes, seconds) and its "N"/"S" or "E"/"W";
 * NAN when the tags are not what the standard says. */
static double
exif_degrees (ExifData   *exif,
              ExifTag     value_tag,
              ExifTag     ref_tag,
              char        negative)
{
  ExifContent *gps = exif->ifd[EXIF_IFD_GPS];
  ExifEntry *value = exif_content_get_entry (gps, value_tag);
  ExifEntry *ref = exif_content_get_entry (gps, ref_tag);
  ExifByteOrder order = exif_data_get_byte_order (exif);
  double parts[3];

  if (value == NULL || value->format != EXIF_FORMAT_RATIONAL || value->components != 3 ||
      value->data == NULL || value->size < 3 * exif_format_get_size (EXIF_FORMAT_RATIONAL))
    return NAN;

  for (guint i = 0; i < 3; i++)
    {
      ExifRational r = exif_get_rational (value->data + i * 8, order);

      if (r.denominator == 0)
        return NAN;
      parts[i] = (double) r.numerator / r.denominator;
    }

  parts[0] += parts[1] / 60.0 + parts[2] / 3600.0;
  if (ref != NULL && ref->format == EXIF_FORMAT_ASCII && ref->size >= 1 && ref->data != NULL &&
      g_ascii_toupper (ref->data[0]) == negative)
    parts[0] = -parts[0];

  return parts[0];
}

/* The eXIf chunk of a PNG (its TIFF header onwards), or NULL. */
static const guint8 *
png_exif_chunk (const guint8 *data,
                gsize         size,
                gsize        *chunk_size)
{
  gsize at = 8;

  while (at + 12 <= size)
    {
      guint32 length;

      /* Chunks start anywhere: read the length byte by byte, not as an aligned word. */
      memcpy (&length, data + at, sizeof length);
      length = GUINT32_FROM_BE (length);

      if (length > size - at - 12)
        return NULL;
      if (memcmp (data + at + 4, "eXIf", 4) == 0)
        {
          *chunk_size = length;
          return data + at + 8;
        }
      if (memcmp (data + at + 4, "IDAT", 4) == 0 || memcmp (data + at + 4, "IEND", 4) == 0)
        return NULL;
      at += 12 + (gsize) length;
    }

  return NULL;
}

static void
read_exif (const guint8 *data,
           gsize         size,
           DgImageInfo  *info)
{
  ExifData *exif = exif_data_new ();
  g_autofree guint8 *wrapped = NULL;
  ExifEntry *entry;
  double lat, lon;

  if (exif == NULL)
    return;
  /* Following the specification makes libexif add the tags a file lacks, with today's date
   * among them: a photo would seem taken when it is read. */
  exif_data_unset_option (exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);

  if (g_strcmp0 (info->type, PNG) == 0)
    {
      gsize chunk_size = 0;
      const guint8 *chunk = png_exif_chunk (data, size, &chunk_size);

      if (chunk == NULL)
        {
          exif_data_unref (exif);
          return;
        }
      /* libexif reads a JPEG's segments or data that begins with "Exif\0\0". */
      wrapped = g_malloc (chunk_size + 6);
      memcpy (wrapped, "Exif\0\0", 6);
      memcpy (wrapped + 6, chunk, chunk_size);
      exif_data_load_data (exif, wrapped, chunk_size + 6);
    }
  else
    {
      /* libexif takes an unsigned int; a JPEG's EXIF is in its first 64 KiB anyway. */
      exif_data_load_data (exif, data, (unsigned int) MIN (size, G_MAXUINT));
    }

  entry = exif_content_get_entry (exif->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
  info->taken_at = exif_time (entry);
  if (info->taken_at == NULL)
    info->taken_at = exif_time (exif_content_get_entry (exif->ifd[EXIF_IFD_0],
                                                        EXIF_TAG_DATE_TIME));

  lat = exif_degrees (exif, (ExifTag) EXIF_TAG_GPS_LATITUDE, (ExifTag) EXIF_TAG_GPS_LATITUDE_REF,
                      'S');
  lon = exif_degrees (exif, (ExifTag) EXIF_TAG_GPS_LONGITUDE,
                      (ExifTag) EXIF_TAG_GPS_LONGITUDE_REF, 'W');
  if (isfinite (lat) && isfinite (lon) && fabs (lat) <= 90.0 && fabs (lon) <= 180.0)
    {
      info->has_position = TRUE;
      info->lat = lat;
      info->lon = lon;
    }

  exif_data_unref (exif);
}

/* ---- Decoding ---- */

typedef struct
{
  const char *type;
  int         width;
  int         height;
  gboolean    too_large;
} Decode;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Decode          *decode)
{
  decode->width = width;
  decode->height = height;
  if ((gint64) width * height > DG_IMAGE_MAX_PIXELS)
    decode->too_large = TRUE;
  /* Only whether the bytes decode matters, not the pixels: libjpeg decodes at an eighth of the
   * size in each direction for a sixty-fourth of the memory, reading every bit of the data. */
  if (g_str_equal (decode->type, JPEG))
    gdk_pixbuf_loader_set_size (loader, MAX (1, width / 8), MAX (1, height / 8));
}

/* A PNG's size from its IHDR, which must be its first chunk: its loader allocates the whole
 * image as soon as it knows the size, before the size-prepared handler could refuse it. */
static gboolean
png_size (const guint8 *data,
          gsize         size,
          gint64       *pixels)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint32 width, height;

  if (size < 24 || memcmp (data, signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  memcpy (&width, data + 16, 4);
  memcpy (&height, data + 20, 4);
  *pixels = (gint64) GUINT32_FROM_BE (width) * GUINT32_FROM_BE (height);
  return TRUE;
}

gboolean
dg_image_inspect (const guint8  *data,
                  gsize          size,
                  const char    *type,
                  DgImageInfo   *info,
                  GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *canonical = dg_image_type_canonical (type);
  Decode decode = { canonical, 0, 0, FALSE };
  gboolean ok = TRUE;
  gint64 pixels = 0;

  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  if (canonical == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "type",
                    "type must be image/jpeg or image/png");
      return FALSE;
    }
  if (size > DG_ATTACHMENT_MAX_BYTES)
    {
      dg_set_error (error, DG_ERROR_TOO_LARGE, NULL, "an attachment is at most %d MiB",
                    DG_ATTACHMENT_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (size == 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "content", "content is empty");
      return FALSE;
    }
  if (g_str_equal (canonical, PNG))
    {
      if (!png_size (data, size, &pixels))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "content", "content is not a PNG image");
          return FALSE;
        }
      if (pixels > DG_IMAGE_MAX_PIXELS)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "content",
                        "content has more than %d megapixels", DG_IMAGE_MAX_PIXELS / 1000000);
          return FALSE;
        }
    }

  loader = gdk_pixbuf_loader_new_with_mime_type (canonical, &local_error);
  if (loader == NULL)
    {
      dg_set_error (error, DG_ERROR_INTERNAL, NULL, "no %s decoder: %s", canonical,
                    local_error->message);
      return FALSE;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &decode);

  for (gsize at = 0; ok && at < size && !decode.too_large; at += WRITE_CHUNK)
    ok = gdk_pixbuf_loader_write (loader, data + at, MIN (WRITE_CHUNK, size - at), &local_error);
  /* Closing reports an image cut short; it must happen even after a failed write. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL))
    ok = FALSE;

  if (decode.too_large)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "content",
                    "content has more than %d megapixels", DG_IMAGE_MAX_PIXELS / 1000000);
      return FALSE;
    }
  if (!ok || decode.width <= 0 || decode.height <= 0 ||
      gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "content", "content is not a %s image%s%s",
                    g_str_equal (canonical, PNG) ? "PNG" : "JPEG",
                    local_error != NULL ? ": " : "",
                    local_error != NULL ? local_error->message : "");
      return FALSE;
    }

  info->sha256 = dg_sha256_hex (data, size);
  info->type = g_strdup (canonical);
  info->bytes = (gint64) size;
  info->width = decode.width;
  info->height = decode.height;
  read_exif (data, size, info);

  return TRUE;
}

JsonNode *
dg_image_info_to_json (const DgImageInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, info->sha256);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, info->type);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, info->bytes);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, info->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, info->height);
  if (info->taken_at != NULL)
    {
      json_builder_set_member_name (builder, "taken_at");
      json_builder_add_string_value (builder, info->taken_at);
    }
  if (info->has_position)
    {
      json_builder_set_member_name (builder, "position");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, info->lat);
      json_builder_set_member_name (builder, "lon");
      json_builder_add_double_value (builder, info->lon);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
