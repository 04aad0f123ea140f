/* dg-geojson.h: a GeoJSON FeatureCollection of grid cells or roads as reference changes
 * (design 6.4, `dustgrid-server import --kind grid_cell|road FILE.geojson`).
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-model.h"

G_BEGIN_DECLS

typedef struct
{
  JsonArray *changes;   /* CHANGE objects, base_rev 0, ids derived from code (cells) or name */
  GArray    *features;  /* of guint: the feature index of each change */
  GPtrArray *refused;   /* of char *: "features[3]: code is required", features not turned into
                         * changes (the store judges the rest) */
} DgGeojsonImport;

/* Reads @root, a FeatureCollection, as records of @type (DG_RECORD_GRID_CELL or DG_RECORD_ROAD):
 * each feature's `properties` give the fields (cells: code, name, unit, row, col, area_km2;
 * roads: name, unit, surface, length_km; other properties are a GIS file's own and are left
 * out) and its `geometry` the shape. NULL with DG_ERROR_INVALID_FIELD when @root is no
 * FeatureCollection at all. */
DgGeojsonImport *dg_geojson_import_new   (JsonNode        *root,
                                          DgRecordType     type,
                                          GError         **error);
void             dg_geojson_import_free  (DgGeojsonImport *import);

/* "features[3].properties.name: name is required": a refusal of the store for the change at
 * @index, placed in the file by the path of its field. */
char            *dg_geojson_import_describe (const DgGeojsonImport *import,
                                             guint                  index,
                                             const GError          *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgGeojsonImport, dg_geojson_import_free)

G_END_DECLS
