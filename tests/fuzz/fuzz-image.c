/* fuzz-image.c: the bytes of an uploaded photo through what PUT /api/v1/attachments runs on
 * them: dg_image_inspect() (gdk-pixbuf's decoders, the PNG size check, libexif). The first byte
 * picks the type claimed (even: image/jpeg, odd: image/png), the rest is the body.
 *
 * Besides crashes, leaks and criticals, it checks what an accepted image's metadata promises: a
 * size, the hash of the bytes, a position in range, a well-formed time.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dustgrid-common.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(DgImageInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  const char *type;

  if (size < 1)
    return 0;
  type = data[0] % 2 == 0 ? "image/jpeg" : "image/png";

  if (!dg_image_inspect (data + 1, size - 1, type, &info, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, DG_ERROR, DG_ERROR_INVALID_FIELD) ||
                     g_error_matches (error, DG_ERROR, DG_ERROR_TOO_LARGE));
      return 0;
    }

  g_assert_no_error (error);
  g_assert_cmpint (info.width, >, 0);
  g_assert_cmpint (info.height, >, 0);
  g_assert_cmpint ((gint64) info.width * info.height, <=, DG_IMAGE_MAX_PIXELS);
  g_assert_cmpint (info.bytes, ==, (gint64) size - 1);
  g_assert_true (dg_sha256_hex_is_valid (info.sha256));
  g_assert_cmpstr (info.type, ==, type);
  if (info.has_position)
    {
      g_assert_true (isfinite (info.lat) && fabs (info.lat) <= 90.0);
      g_assert_true (isfinite (info.lon) && fabs (info.lon) <= 180.0);
    }
  if (info.taken_at != NULL)
    g_assert_cmpuint (strlen (info.taken_at), ==, 19);
  {
    g_autoptr(JsonNode) node = dg_image_info_to_json (&info);

    g_assert_nonnull (node);
  }

  return 0;
}
