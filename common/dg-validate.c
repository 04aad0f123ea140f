/* dg-validate.c: the one place where a record is judged acceptable (design 3, 5). */
#define G_LOG_DOMAIN "dg-validate"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-date.h"
#include "dg-dustfall.h"
#include "dg-error.h"
#include "dg-image.h"
#include "dg-validate.h"

gboolean
dg_uuid_is_valid (const char *str)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < DG_UUID_LEN; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (str[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (str[i]))
        {
          /* Also stops at the terminating NUL of a short string. */
          return FALSE;
        }
    }

  return str[DG_UUID_LEN] == '\0';
}

char *
dg_uuid_new (void)
{
  return g_uuid_string_random ();
}

/* RFC 4122 §4.3 over a namespace of our own, so that no other tool's v5 ids collide with ours. */
static const guint8 dustgrid_namespace[16] = {
  0x4d, 0x75, 0x73, 0x74, 0x67, 0x72, 0x69, 0x64, 0x9a, 0x1e, 0x4c, 0x5f, 0x8b, 0x2d, 0x06, 0x44,
};

char *
dg_uuid_derive (const char *kind,
                const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_checksum_update (sha1, dustgrid_namespace, sizeof dustgrid_namespace);
  g_checksum_update (sha1, (const guchar *) kind, strlen (kind));
  /* The NUL keeps ("ab", "c") apart from ("a", "bc"). */
  g_checksum_update (sha1, (const guchar *) "", 1);
  g_checksum_update (sha1, (const guchar *) key, strlen (key));
  g_checksum_get_digest (sha1, digest, &length);

  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

char *
dg_dustfall_history_id (const char *cell_id,
                        const char *month)
{
  g_autofree char *cell = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (cell_id != NULL, NULL);
  g_return_val_if_fail (month != NULL, NULL);

  /* A UUID may come in either case: the record is the same. */
  cell = g_ascii_strdown (cell_id, -1);
  key = g_strconcat (cell, " ", month, NULL);
  return dg_uuid_derive ("dustfall_history", key);
}

/* ---- Helpers: each sets DG_ERROR_INVALID_FIELD on @field: the message starts with it ---- */

/* A missing value: fine unless @required. */
static gboolean
absent (const char  *field,
        gboolean     required,
        GError     **error)
{
  if (!required)
    return TRUE;
  dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s is required", field);
  return FALSE;
}

/* "@field must be @what". */
static gboolean
must_be (const char  *field,
         const char  *what,
         GError     **error)
{
  dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must be %s", field, what);
  return FALSE;
}

static gboolean
is_blank (const char *str)
{
  for (const char *p = str; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/* @required: must be present and not blank. Otherwise NULL is fine. */
static gboolean
check_text (const char  *value,
            const char  *field,
            gsize        max_bytes,
            gboolean     required,
            GError     **error)
{
  gsize len;

  if (value == NULL)
    return absent (field, required, error);

  len = strlen (value);
  if (len > max_bytes)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                    "%s must be at most %" G_GSIZE_FORMAT " bytes", field, max_bytes);
      return FALSE;
    }

  if (!g_utf8_validate_len (value, len, NULL))
    return must_be (field, "valid UTF-8", error);

  if (required && is_blank (value))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must not be empty", field);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_uuid (const char  *value,
            const char  *field,
            gboolean     required,
            GError     **error)
{
  if (value == NULL)
    return absent (field, required, error);

  if (!dg_uuid_is_valid (value))
    return must_be (field, "a UUID", error);

  return TRUE;
}

static gboolean
check_date (const char  *value,
            const char  *field,
            GError     **error)
{
  if (value == NULL)
    return absent (field, TRUE, error);

  if (!dg_date_is_valid (value))
    return must_be (field, "a date YYYY-MM-DD that exists", error);

  return TRUE;
}

static gboolean
check_datetime (const char  *value,
                const char  *field,
                gboolean     required,
                GError     **error)
{
  if (value == NULL)
    return absent (field, required, error);

  if (!dg_local_datetime_is_valid (value))
    return must_be (field, "a local date-time YYYY-MM-DDTHH:MM[:SS] that exists", error);

  return TRUE;
}

/* A finite number in [@min, @max], or (@min, @max] when @min_exclusive. */
static gboolean
check_number (double       value,
              const char  *field,
              double       min,
              gboolean     min_exclusive,
              double       max,
              GError     **error)
{
  if (!isfinite (value))
    return must_be (field, "a finite number", error);

  if (min_exclusive ? !(value > min) : !(value >= min))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                    min_exclusive ? "%s must be > %g" : "%s must be ≥ %g", field, min);
      return FALSE;
    }

  if (value > max)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must be ≤ %g", field, max);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_surface (DgSurface    surface,
               const char  *field,
               GError     **error)
{
  if ((guint) surface >= DG_N_SURFACES)
    return must_be (field, "main, side or park", error);

  return TRUE;
}

/* ---- Geometry (6.4) ---- */

/* The GeoJSON path of ring @ring (of polygon @part) below "@field.coordinates", as the document
 * nests it: a LineString has no ring index, a Polygon no polygon index. */
static char *
ring_path (const DgGeometry *geometry,
           const char       *field,
           guint             part,
           guint             ring_in_part,
           guint             ring)
{
  switch (geometry->type)
    {
    case DG_GEOMETRY_LINE_STRING:
      return g_strdup_printf ("%s.coordinates", field);
    case DG_GEOMETRY_MULTI_LINE_STRING:
      return g_strdup_printf ("%s.coordinates[%u]", field, ring);
    case DG_GEOMETRY_POLYGON:
      return g_strdup_printf ("%s.coordinates[%u]", field, ring_in_part);
    case DG_GEOMETRY_MULTIPOLYGON:
      return g_strdup_printf ("%s.coordinates[%u][%u]", field, part, ring_in_part);
    case DG_N_GEOMETRY_TYPES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_ring (const DgGeometry  *geometry,
            const char        *path,
            guint              first,
            guint              n,
            GError           **error)
{
  const DgLonLat *ring = &g_array_index (geometry->positions, DgLonLat, first);
  gboolean area = dg_geometry_is_area (geometry);

  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (ring[i].lon) || !isfinite (ring[i].lat) ||
          fabs (ring[i].lon) > 180.0 || fabs (ring[i].lat) > 90.0)
        {
          g_autofree char *position = g_strdup_printf ("%s[%u]", path, i);

          return must_be (position, "[lon, lat] in degrees, lon −180 to 180, lat −90 to 90",
                          error);
        }
    }

  if (area && n < 4)
    return must_be (path, "a ring of at least 4 positions", error);
  if (!area && n < 2)
    return must_be (path, "a line of at least 2 positions", error);
  if (area && (ring[0].lon != ring[n - 1].lon || ring[0].lat != ring[n - 1].lat))
    return must_be (path, "a closed ring (its last position the same as its first)", error);

  return TRUE;
}

/* @area: a cell's (Polygon, MultiPolygon) rather than a road's (LineString, MultiLineString). */
static gboolean
check_geometry (const DgGeometry  *geometry,
                const char        *field,
                gboolean           area,
                GError           **error)
{
  g_autofree char *type_path = g_strdup_printf ("%s.type", field);
  g_autofree char *coordinates_path = g_strdup_printf ("%s.coordinates", field);
  guint first = 0, ring = 0;

  if (geometry == NULL)
    return TRUE;

  if ((guint) geometry->type >= DG_N_GEOMETRY_TYPES || dg_geometry_is_area (geometry) != area)
    return must_be (type_path, area ? "Polygon or MultiPolygon" : "LineString or MultiLineString",
                    error);

  if (geometry->positions->len > DG_GEOMETRY_MAX_POSITIONS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, coordinates_path,
                    "%s must hold at most %d positions", coordinates_path,
                    DG_GEOMETRY_MAX_POSITIONS);
      return FALSE;
    }

  if (geometry->ring_sizes->len == 0)
    return must_be (coordinates_path, area ? "at least one ring" : "at least one line", error);

  if (!area)
    {
      for (; ring < geometry->ring_sizes->len; ring++)
        {
          guint n = g_array_index (geometry->ring_sizes, guint, ring);
          g_autofree char *path = ring_path (geometry, field, 0, 0, ring);

          if (!check_ring (geometry, path, first, n, error))
            return FALSE;
          first += n;
        }
      return TRUE;
    }

  for (guint part = 0; part < geometry->part_sizes->len; part++)
    {
      guint n_rings = g_array_index (geometry->part_sizes, guint, part);

      if (n_rings == 0)
        {
          g_autofree char *path = geometry->type == DG_GEOMETRY_POLYGON
            ? g_strdup (coordinates_path) : g_strdup_printf ("%s[%u]", coordinates_path, part);

          return must_be (path, "a polygon of at least one ring", error);
        }

      for (guint r = 0; r < n_rings; r++, ring++)
        {
          guint n = g_array_index (geometry->ring_sizes, guint, ring);
          g_autofree char *path = ring_path (geometry, field, part, r, ring);

          if (!check_ring (geometry, path, first, n, error))
            return FALSE;
          first += n;
        }
    }

  return TRUE;
}

/* ---- Reference data ---- */

gboolean
dg_road_validate (const DgRoad  *road,
                  GError       **error)
{
  g_return_val_if_fail (road != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (road->id, "id", FALSE, error) ||
      !check_text (road->name, "name", DG_MAX_STRING_BYTES, TRUE, error) ||
      !check_text (road->unit, "unit", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_uuid (road->unit_id, "unit_id", FALSE, error) ||
      !check_surface (road->surface, "surface", error) ||
      !check_geometry (road->geometry, "geometry", FALSE, error))
    return FALSE;

  if (!isnan (road->length_km) &&
      !check_number (road->length_km, "length_km", 0.0, TRUE, DG_LENGTH_KM_MAX, error))
    return FALSE;

  return TRUE;
}

static gboolean
check_map_index (int          value,
                 const char  *field,
                 GError     **error)
{
  if (value < 0 || value >= DG_MAP_MAX)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                    "%s must be between 0 and %d", field, DG_MAP_MAX - 1);
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_grid_cell_validate (const DgGridCell  *cell,
                       GError           **error)
{
  g_return_val_if_fail (cell != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (cell->id, "id", FALSE, error) ||
      !check_text (cell->code, "code", DG_MAX_STRING_BYTES, TRUE, error) ||
      !check_text (cell->name, "name", DG_MAX_STRING_BYTES, TRUE, error) ||
      !check_text (cell->unit, "unit", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_uuid (cell->unit_id, "unit_id", FALSE, error) ||
      !check_geometry (cell->geometry, "geometry", TRUE, error))
    return FALSE;

  /* A cell with its shape needs no place in the row/col grid (6.4); one without needs both. */
  if (cell->geometry == NULL || cell->row >= 0 || cell->col >= 0)
    {
      if (!check_map_index (cell->row, "row", error) ||
          !check_map_index (cell->col, "col", error))
        return FALSE;
    }

  if (!isnan (cell->area_km2) &&
      !check_number (cell->area_km2, "area_km2", 0.0, TRUE, DG_AREA_KM2_MAX, error))
    return FALSE;

  return TRUE;
}

gboolean
dg_unit_validate (const DgUnit  *unit,
                  GError       **error)
{
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (unit->id, "id", FALSE, error) ||
      !check_text (unit->code, "code", DG_MAX_STRING_BYTES, TRUE, error) ||
      !check_text (unit->name, "name", DG_MAX_STRING_BYTES, TRUE, error) ||
      !check_uuid (unit->parent_id, "parent_id", FALSE, error))
    return FALSE;

  if (unit->parent_id != NULL && unit->id != NULL &&
      g_ascii_strcasecmp (unit->parent_id, unit->id) == 0)
    return must_be ("parent_id", "another unit than the unit itself", error);

  return TRUE;
}

static const DgUnit *
find_unit (GPtrArray  *units,
           const char *id)
{
  for (guint i = 0; units != NULL && i < units->len; i++)
    {
      const DgUnit *other = g_ptr_array_index (units, i);

      if (other->id != NULL && g_ascii_strcasecmp (other->id, id) == 0)
        return other;
    }

  return NULL;
}

gboolean
dg_unit_validate_among (const DgUnit  *unit,
                        GPtrArray     *units,
                        GError       **error)
{
  const char *parent_id;
  guint steps = 0;

  g_return_val_if_fail (unit != NULL && unit->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; units != NULL && i < units->len; i++)
    {
      const DgUnit *other = g_ptr_array_index (units, i);

      if (other->id != NULL && g_ascii_strcasecmp (other->id, unit->id) != 0 &&
          g_strcmp0 (other->code, unit->code) == 0)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "code",
                        "code %s is already the code of unit %s", unit->code, other->id);
          return FALSE;
        }
    }

  if (unit->parent_id == NULL)
    return TRUE;
  if (find_unit (units, unit->parent_id) == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "parent_id", "parent_id names no unit");
      return FALSE;
    }

  /* Up from the new parent, with the unit as it would be: meeting the unit again is a cycle.
   * The steps are bounded by the number of units, so a cycle already stored cannot hang us. */
  for (parent_id = unit->parent_id; parent_id != NULL; steps++)
    {
      const DgUnit *parent;

      if (g_ascii_strcasecmp (parent_id, unit->id) == 0 || steps > units->len)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "parent_id",
                        "parent_id must not be the unit itself or a unit below it");
          return FALSE;
        }
      parent = find_unit (units, parent_id);
      parent_id = parent != NULL ? parent->parent_id : NULL;
    }

  return TRUE;
}

gboolean
dg_rule_validate (const DgRule  *rule,
                  GError       **error)
{
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (rule->id, "id", FALSE, error))
    return FALSE;

  if ((guint) rule->kind >= DG_N_RULE_KINDS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "kind",
                    "kind must be limit, cap, quota_roads, quota_points or min_spacing_m");
      return FALSE;
    }

  /* A limit belongs to one surface; the other kinds hold for the whole district, and a stray
   * surface on them would suggest a per-surface cap that nothing would apply. */
  if (rule->kind == DG_RULE_LIMIT && !rule->has_surface)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "surface",
                    "surface is required for a limit rule");
      return FALSE;
    }
  if (rule->kind != DG_RULE_LIMIT && rule->has_surface)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "surface",
                    "surface is allowed only on a limit rule");
      return FALSE;
    }
  if (rule->has_surface && !check_surface (rule->surface, "surface", error))
    return FALSE;

  if (!check_number (rule->value, "value", 0.0, TRUE, DG_RULE_VALUE_MAX, error))
    return FALSE;

  if ((rule->kind == DG_RULE_QUOTA_ROADS || rule->kind == DG_RULE_QUOTA_POINTS) &&
      (rule->value != floor (rule->value) || rule->value < 1.0))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "value",
                    "value must be a whole number ≥ 1 for a quota rule");
      return FALSE;
    }

  if (!check_date (rule->effective_from, "effective_from", error))
    return FALSE;

  return TRUE;
}

/* ---- Field evidence (design 6.2) ---- */

gboolean
dg_photos_validate (const char *const  *photos,
                    GError            **error)
{
  guint n = photos != NULL ? g_strv_length ((GStrv) photos) : 0;

  if (n > DG_MAX_PHOTOS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "photos", "photos must hold at most %d photos",
                    DG_MAX_PHOTOS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = g_strdup_printf ("photos[%u]", i);

      if (!dg_sha256_hex_is_valid (photos[i]))
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, field,
                        "%s must be a SHA-256 in lower-case hex", field);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (photos[j], photos[i]) == 0)
          {
            dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s repeats photos[%u]", field, j);
            return FALSE;
          }
    }

  return TRUE;
}

/* WGS84 degrees, and an accuracy that is no negative distance. */
static gboolean
check_position (const DgPosition  *position,
                GError           **error)
{
  if (!position->set)
    return TRUE;

  return check_number (position->lat, "position.lat", -90.0, FALSE, 90.0, error) &&
         check_number (position->lon, "position.lon", -180.0, FALSE, 180.0, error) &&
         (!position->has_accuracy ||
          check_number (position->accuracy_m, "position.accuracy_m", 0.0, FALSE, 1e7, error));
}

/* ---- Road dust spot check ---- */

/* Checks one point with bare field names; the caller prefixes "points[i]". */
static gboolean
check_point (const DgRoadPoint  *point,
             guint               index,
             GHashTable         *seen,
             GError            **error)
{
  gpointer other;

  if (point->seq < 1)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "seq", "seq must be ≥ 1");
      return FALSE;
    }

  if (g_hash_table_lookup_extended (seen, GINT_TO_POINTER (point->seq), NULL, &other))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "seq",
                    "seq %d is already used by points[%u]", point->seq, GPOINTER_TO_UINT (other));
      return FALSE;
    }
  g_hash_table_insert (seen, GINT_TO_POINTER (point->seq), GUINT_TO_POINTER (index));

  return check_surface (point->surface, "surface", error) &&
         check_text (point->location, "location", DG_MAX_STRING_BYTES, FALSE, error) &&
         check_number (point->area_m2, "area_m2", DG_AREA_M2_MIN, FALSE, DG_AREA_M2_MAX, error) &&
         check_number (point->mass_g, "mass_g", 0.0, FALSE, DG_MASS_G_MAX, error) &&
         dg_photos_validate ((const char *const *) point->photos, error) &&
         check_position (&point->position, error) &&
         (!point->has_chainage ||
          check_number (point->chainage_m, "chainage_m", 0.0, FALSE, 1e7, error));
}

gboolean
dg_road_check_validate (const DgRoadCheck  *check,
                        GError            **error)
{
  g_autoptr(GHashTable) seen = NULL;
  guint n_points;

  g_return_val_if_fail (check != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (check->id, "id", FALSE, error) ||
      !check_uuid (check->road_id, "road_id", TRUE, error) ||
      !check_date (check->date, "date", error) ||
      !check_datetime (check->started_at, "started_at", FALSE, error) ||
      !check_datetime (check->device_time, "device_time", FALSE, error) ||
      !check_text (check->weather, "weather", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_text (check->notes, "notes", DG_MAX_NOTES_BYTES, FALSE, error))
    return FALSE;

  n_points = check->points != NULL ? check->points->len : 0;
  if (n_points == 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "points", "points must hold at least 1 point");
      return FALSE;
    }
  if (n_points > DG_MAX_POINTS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "points",
                    "points must hold at most %d points", DG_MAX_POINTS);
      return FALSE;
    }

  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_points; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_point (dg_road_check_get_point (check, i), i, seen, &local_error))
        {
          g_autofree char *prefix = g_strdup_printf ("points[%u]", i);

          dg_error_prefix_field (local_error, prefix);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- Dust-fall sample ---- */

/* Design 6.6: a sample filed under one month with another month's jar period would count its
 * dust in the wrong month's ranking. The midpoint decides, so that a jar set out on the last
 * morning of October and collected on the last of November is November's. @sample's month,
 * start and end are valid. */
static gboolean
check_period_in_month (const DgDustfallSample  *sample,
                       GError                 **error)
{
  g_autofree char *next = dg_month_add (sample->month, 1);
  g_autofree char *first = dg_month_day (sample->month, 1);
  g_autofree char *after = dg_month_day (next, 1);
  g_autofree char *first_t = g_strconcat (first, "T00:00", NULL);
  g_autofree char *after_t = g_strconcat (after, "T00:00", NULL);
  g_autoptr(GDateTime) middle = NULL;
  g_autofree char *shown = NULL;
  gint64 start, end, month_start, month_end, midpoint;

  if (!dg_local_datetime_parse (sample->start, &start) ||
      !dg_local_datetime_parse (sample->end, &end) ||
      !dg_local_datetime_parse (first_t, &month_start) ||
      !dg_local_datetime_parse (after_t, &month_end))
    g_return_val_if_reached (FALSE);

  midpoint = start + (end - start) / 2;
  if (midpoint >= month_start && midpoint < month_end)
    return TRUE;

  middle = g_date_time_new_from_unix_utc (midpoint);
  shown = g_date_time_format (middle, "%Y-%m-%d %H:%M");
  dg_set_error (error, DG_ERROR_INVALID_FIELD, "start",
                "start must put the sampling period's midpoint in the month %s (it is %s)",
                sample->month, shown);
  return FALSE;
}

gboolean
dg_dustfall_sample_validate (const DgDustfallSample  *sample,
                             GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  DgDustfallResult result;

  g_return_val_if_fail (sample != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (sample->id, "id", FALSE, error) ||
      !check_uuid (sample->cell_id, "cell_id", TRUE, error) ||
      !check_text (sample->site, "site", DG_MAX_STRING_BYTES, TRUE, error))
    return FALSE;

  if (sample->jar != DG_JAR_A && sample->jar != DG_JAR_B)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "jar", "jar must be A or B");
      return FALSE;
    }

  if (sample->month == NULL)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month", "month is required");
      return FALSE;
    }
  if (!dg_month_is_valid (sample->month))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month", "month must be a month YYYY-MM");
      return FALSE;
    }

  if (!check_datetime (sample->start, "start", TRUE, error) ||
      !check_datetime (sample->end, "end", TRUE, error))
    return FALSE;

  if (sample->n_diameters < 1 || sample->n_diameters > DG_MAX_DIAMETERS)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "diameter_cm",
                    "diameter_cm must hold 1 to %d measurements", DG_MAX_DIAMETERS);
      return FALSE;
    }
  for (guint i = 0; i < sample->n_diameters; i++)
    {
      if (!isfinite (sample->diameter_cm[i]))
        {
          g_autofree char *field = g_strdup_printf ("diameter_cm[%u]", i);

          dg_set_error (error, DG_ERROR_INVALID_FIELD, field, "%s must be a finite number", field);
          return FALSE;
        }
    }

  /* wc_g below 0 and w1_g below w0_g are rejects of section 3.2, judged with the others by
   * dg_dustfall_compute() below; here only what no formula can take. */
  if (!check_number (sample->w0_g, "w0_g", 0.0, FALSE, DG_WEIGHT_G_MAX, error) ||
      !check_number (sample->w1_g, "w1_g", 0.0, FALSE, DG_WEIGHT_G_MAX, error) ||
      !check_number (sample->wc_g, "wc_g", -DG_WEIGHT_G_MAX, FALSE, DG_WEIGHT_G_MAX, error))
    return FALSE;

  if (!check_text (sample->notes, "notes", DG_MAX_NOTES_BYTES, FALSE, error) ||
      !dg_photos_validate ((const char *const *) sample->photos, error) ||
      !check_position (&sample->position, error) ||
      !check_text (sample->sample_code, "sample_code", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_text (sample->balance_id, "balance_id", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_text (sample->blank_id, "blank_id", DG_MAX_STRING_BYTES, FALSE, error))
    return FALSE;

  /* Even a jar marked invalid must describe a possible sampling: its period and jar mouth are
   * shown and audited like any other. */
  if (!dg_dustfall_compute (sample, &result, &local_error))
    {
      const char *field = dg_error_get_field (local_error);

      /* Every message here names its field; the formula's may speak of "the sampling period". */
      if (field != NULL && strstr (local_error->message, field) == NULL)
        g_prefix_error (&local_error, "%s: ", field);

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return check_period_in_month (sample, error);
}

gboolean
dg_dustfall_history_validate (const DgDustfallHistory  *history,
                              GError                  **error)
{
  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (history->id, "id", FALSE, error) ||
      !check_uuid (history->cell_id, "cell_id", TRUE, error))
    return FALSE;

  if (history->month == NULL)
    return absent ("month", TRUE, error);
  if (!dg_month_is_valid (history->month))
    return must_be ("month", "a month YYYY-MM", error);

  if (!check_number (history->value, "value", 0.0, FALSE, DG_DUSTFALL_VALUE_MAX, error) ||
      !check_text (history->source, "source", DG_MAX_STRING_BYTES, TRUE, error))
    return FALSE;

  /* One record per cell and month: another id would be a second value of the same month. */
  if (history->id != NULL)
    {
      g_autofree char *expected = dg_dustfall_history_id (history->cell_id, history->month);

      if (g_ascii_strcasecmp (expected, history->id) != 0)
        {
          dg_set_error (error, DG_ERROR_INVALID_FIELD, "id",
                        "id must be the one derived from cell_id and month (%s)", expected);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- Rectification (design 6.3) ---- */

gboolean
dg_rectification_response_validate (const DgRectificationResponse  *response,
                                    GError                        **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  return check_text (response->text, "text", DG_MAX_NOTES_BYTES, TRUE, error) &&
         dg_photos_validate ((const char *const *) response->photos, error) &&
         check_text (response->author, "author", DG_MAX_STRING_BYTES, FALSE, error) &&
         check_text (response->at, "at", DG_MAX_STRING_BYTES, FALSE, error);
}

gboolean
dg_rectification_validate (const DgRectification  *notice,
                           GError                **error)
{
  g_return_val_if_fail (notice != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_uuid (notice->id, "id", FALSE, error) ||
      !check_uuid (notice->target_id, "target_id", TRUE, error) ||
      !check_uuid (notice->unit_id, "unit_id", FALSE, error))
    return FALSE;

  if (notice->month == NULL)
    return absent ("month", TRUE, error);
  if (!dg_month_is_valid (notice->month))
    return must_be ("month", "a month YYYY-MM", error);

  if (!check_date (notice->deadline, "deadline", error) ||
      !check_text (notice->reason, "reason", DG_MAX_NOTES_BYTES, TRUE, error) ||
      !check_text (notice->issued_by, "issued_by", DG_MAX_STRING_BYTES, FALSE, error) ||
      !check_text (notice->note, "note", DG_MAX_NOTES_BYTES, FALSE, error))
    return FALSE;

  for (guint i = 0; notice->responses != NULL && i < notice->responses->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!dg_rectification_response_validate (g_ptr_array_index (notice->responses, i),
                                               &local_error))
        {
          g_autofree char *prefix = g_strdup_printf ("responses[%u]", i);

          dg_error_prefix_field (local_error, prefix);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (notice->note != NULL && notice->outcome == DG_RECTIFICATION_OUTCOME_NONE)
    return must_be ("note", "absent while the notice is not closed", error);

  return TRUE;
}
