/* dg-geometry.h: the `geometry` of a grid cell or a road (design 6.4), a GeoJSON geometry in WGS84
 * lon/lat, with its geodesic measures.
 *
 * Areas and distances are on the WGS84 ellipsoid through PROJ's geodesic.h (Karney's algorithm),
 * never a planar or spherical approximation, so a district's 网格 areas agree with its GIS.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* At most this many positions in one geometry (design 6.4). */
#define DG_GEOMETRY_MAX_POSITIONS 10000
/* A sampling point farther than this from its road's line is flagged `position_far` (6.2). */
#define DG_POSITION_FAR_M         200.0

typedef enum
{
  DG_GEOMETRY_POLYGON,
  DG_GEOMETRY_MULTIPOLYGON,
  DG_GEOMETRY_LINE_STRING,
  DG_GEOMETRY_MULTI_LINE_STRING,
  DG_N_GEOMETRY_TYPES
} DgGeometryType;

/* GeoJSON's names: "Polygon", "MultiPolygon", "LineString", "MultiLineString". */
const char *dg_geometry_type_to_string   (DgGeometryType  type);
gboolean    dg_geometry_type_from_string (const char     *str,
                                          DgGeometryType *type);

/* One flat array of positions, cut into rings (polygons) or lines, and the rings into polygons:
 * a Polygon is one part, a LineString one part of one ring. Flat so that a 10,000-position
 * district boundary is three allocations, and drawing walks it without chasing pointers. */
typedef struct
{
  double lon;
  double lat;
} DgLonLat;

typedef struct
{
  DgGeometryType  type;
  GArray         *positions;   /* of DgLonLat */
  GArray         *ring_sizes;  /* of guint: positions per ring (or per line) */
  GArray         *part_sizes;  /* of guint: rings per polygon (the first ring is the outer one) */
} DgGeometry;

DgGeometry *dg_geometry_new          (DgGeometryType    type);
DgGeometry *dg_geometry_copy         (const DgGeometry *geometry);
void        dg_geometry_free         (DgGeometry       *geometry);

/* Builders, for the sample district and tests: starts a polygon (ignored for lines), a ring or
 * line, and adds a position to the ring or line begun last. */
void        dg_geometry_begin_part   (DgGeometry       *geometry);
void        dg_geometry_begin_ring   (DgGeometry       *geometry);
void        dg_geometry_add_position (DgGeometry       *geometry,
                                      double            lon,
                                      double            lat);

gboolean    dg_geometry_is_area      (const DgGeometry *geometry);
guint       dg_geometry_n_positions  (const DgGeometry *geometry);

/* Decodes a GeoJSON geometry object. Shape errors are DG_ERROR_INVALID_FIELD with a path below
 * @field ("geometry.coordinates[0][3]"); the values themselves (ranges, closed rings, the count)
 * are judged by dg_geometry_validate() in dg-validate.c. A third coordinate (altitude) is read
 * and dropped: a map of 网格 is flat. */
DgGeometry *dg_geometry_from_json    (JsonNode         *node,
                                      const char       *field,
                                      GError          **error);
/* {"type", "coordinates"}, positions as [lon, lat]. */
JsonNode   *dg_geometry_to_json      (const DgGeometry *geometry);

/* The geodesic area of a (multi)polygon on the WGS84 ellipsoid in km², whatever the rings'
 * orientation: outer rings add, holes subtract, the polygons of a multipolygon add. 0 for lines. */
double      dg_geometry_area_km2     (const DgGeometry *geometry);

/* The geodesic distance in metres from (@lon, @lat) to the nearest point of a (multi)line
 * string, or to the boundary of a polygon; INFINITY for an empty geometry. */
double      dg_geometry_distance_m   (const DgGeometry *geometry,
                                      double            lon,
                                      double            lat);
/* TRUE when the position lies more than DG_POSITION_FAR_M from @road_line. */
gboolean    dg_geometry_position_far (const DgGeometry *road_line,
                                      double            lon,
                                      double            lat);

/* The lon/lat bounding box; FALSE for an empty geometry (the outputs are then untouched). */
gboolean    dg_geometry_bounds       (const DgGeometry *geometry,
                                      double           *min_lon,
                                      double           *min_lat,
                                      double           *max_lon,
                                      double           *max_lat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgGeometry, dg_geometry_free)

G_END_DECLS
