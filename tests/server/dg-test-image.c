/* dg-test-image.c: real images for the attachment tests. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libexif/exif-data.h>

#include "dg-test-image.h"

static GdkPixbuf *
gradient (int   width,
          int   height,
          guint seed)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) (x * 255 / MAX (1, width - 1));
        p[1] = (guint8) (y * 255 / MAX (1, height - 1));
        p[2] = (guint8) (seed * 37);
      }

  return pixbuf;
}

GBytes *
dg_test_png (int   width,
             int   height,
             guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gradient (width, height, seed);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static ExifEntry *
new_entry (ExifData    *exif,
           ExifIfd      ifd,
           ExifTag      tag,
           ExifFormat   format,
           unsigned long components)
{
  ExifEntry *entry = exif_entry_new ();

  entry->tag = tag;
  entry->format = format;
  entry->components = components;
  entry->size = exif_format_get_size (format) * components;
  entry->data = g_malloc0 (entry->size);
  exif_content_add_entry (exif->ifd[ifd], entry);
  exif_entry_unref (entry);
  return entry;
}

static void
set_degrees (ExifData *exif,
             ExifTag   value_tag,
             ExifTag   ref_tag,
             double    degrees,
             char      positive,
             char      negative)
{
  ExifByteOrder order = exif_data_get_byte_order (exif);
  ExifEntry *ref = new_entry (exif, EXIF_IFD_GPS, ref_tag, EXIF_FORMAT_ASCII, 2);
  ExifEntry *value = new_entry (exif, EXIF_IFD_GPS, value_tag, EXIF_FORMAT_RATIONAL, 3);
  double a = fabs (degrees);
  ExifRational parts[3] = {
    { (ExifLong) floor (a), 1 },
    { (ExifLong) floor (fmod (a * 60, 60)), 1 },
    { (ExifLong) llround (fmod (a * 3600, 60) * 10000), 10000 },
  };

  ref->data[0] = (unsigned char) (degrees < 0 ? negative : positive);
  for (guint i = 0; i < 3; i++)
    exif_set_rational (value->data + i * 8, order, parts[i]);
}

GBytes *
dg_test_jpeg (int         width,
              int         height,
              guint       seed,
              const char *taken_at,
              double      lat,
              double      lon)
{
  g_autoptr(GdkPixbuf) pixbuf = gradient (width, height, seed);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;
  ExifData *exif;
  unsigned char *segment = NULL;
  unsigned int segment_size = 0;
  GByteArray *out;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                            "quality", "90", NULL));
  g_assert_no_error (error);
  if (taken_at == NULL && !isfinite (lat))
    return g_bytes_new_take (buffer, size);

  exif = exif_data_new ();
  exif_data_set_byte_order (exif, EXIF_BYTE_ORDER_INTEL);
  exif_data_unset_option (exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  if (taken_at != NULL)
    {
      ExifEntry *entry = new_entry (exif, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL,
                                    EXIF_FORMAT_ASCII, 20);

      memcpy (entry->data, taken_at, MIN (strlen (taken_at), 19));
    }
  if (isfinite (lat))
    {
      set_degrees (exif, (ExifTag) EXIF_TAG_GPS_LATITUDE, (ExifTag) EXIF_TAG_GPS_LATITUDE_REF,
                   lat, 'N', 'S');
      set_degrees (exif, (ExifTag) EXIF_TAG_GPS_LONGITUDE, (ExifTag) EXIF_TAG_GPS_LONGITUDE_REF,
                   lon, 'E', 'W');
    }
  exif_data_save_data (exif, &segment, &segment_size);
  exif_data_unref (exif);
  g_assert_nonnull (segment);

  /* SOI, then the APP1 segment ("Exif\0\0" and the TIFF data libexif wrote), then the rest. */
  out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) buffer, 2);
  {
    guint8 marker[4] = { 0xff, 0xe1, (guint8) ((segment_size + 2) >> 8),
                         (guint8) ((segment_size + 2) & 0xff) };

    g_byte_array_append (out, marker, 4);
  }
  g_byte_array_append (out, segment, segment_size);
  g_byte_array_append (out, (const guint8 *) buffer + 2, size - 2);
  free (segment);
  g_free (buffer);
  return g_byte_array_free_to_bytes (out);
}
