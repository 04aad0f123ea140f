/* dg-test-image.h: real JPEG and PNG bytes for the attachment tests, made by gdk-pixbuf, a
 * JPEG's EXIF (time, GPS position) written by libexif. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A @width × @height PNG of a gradient seeded by @seed (a different seed, other bytes). */
GBytes *dg_test_png  (int          width,
                      int          height,
                      guint        seed);
/* The same as a JPEG; with @taken_at ("YYYY:MM:DD HH:MM:SS", EXIF's form) and/or a finite
 * @lat and @lon, an EXIF segment holding DateTimeOriginal and the GPS position. */
GBytes *dg_test_jpeg (int          width,
                      int          height,
                      guint        seed,
                      const char  *taken_at,
                      double       lat,
                      double       lon);

G_END_DECLS
