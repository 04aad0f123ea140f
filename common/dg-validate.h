/* dg-validate.h: field validation of every record type (design 3, 5).
 *
 * The one place where a record is judged acceptable. Errors are DG_ERROR_INVALID_FIELD with the
 * path of the first bad field ("points[3].mass_g") and a message that names it.
 */
#pragma once

#include "dg-model.h"
#include "dg-rectification.h"

G_BEGIN_DECLS

/* 8-4-4-4-12 hex digits, any version, either case. */
gboolean dg_uuid_is_valid        (const char *str);
/* A new random (version 4) UUID in lower case. */
char    *dg_uuid_new             (void);
/* A name-based (version 5, SHA-1) UUID in lower case, from @kind and @key in DustGrid's own
 * namespace: the same pair gives the same id on every machine, so a record imported from a file
 * (a cell by its code, a road by its name) is the same record when imported again (6.4). */
char    *dg_uuid_derive          (const char *kind,
                                  const char *key);

/* The id of the history record of @cell_id in @month (design 6.4): dg_uuid_derive() of the two,
 * so a value imported again, from any file, is the same record. */
char    *dg_dustfall_history_id  (const char *cell_id,
                                  const char *month);

/* Ranges used by validation, exposed so that the client's editors can show them. */
#define DG_AREA_M2_MIN        0.01
#define DG_AREA_M2_MAX        100.0
#define DG_MASS_G_MAX         100000.0
#define DG_WEIGHT_G_MAX       10000.0
#define DG_LENGTH_KM_MAX      10000.0
#define DG_AREA_KM2_MAX       100000.0
#define DG_MAP_MAX            1000        /* row and col are 0..DG_MAP_MAX-1 */
#define DG_RULE_VALUE_MAX     100000.0
#define DG_DUSTFALL_VALUE_MAX 10000.0     /* t/(km²·30 d): a history value above is a typo */

gboolean dg_road_validate              (const DgRoad           *road,
                                        GError                **error);
gboolean dg_grid_cell_validate         (const DgGridCell       *cell,
                                        GError                **error);
gboolean dg_unit_validate              (const DgUnit           *unit,
                                        GError                **error);
/* What a unit must be among the other units of the district (@units, DgUnit *, the stored ones;
 * an older version of @unit among them is skipped): its code not another unit's (field "code"),
 * its parent_id one of them (field "parent_id"), and no cycle: not the unit itself nor one
 * below it (field "parent_id"). */
gboolean dg_unit_validate_among        (const DgUnit           *unit,
                                        GPtrArray              *units,
                                        GError                **error);
gboolean dg_rule_validate              (const DgRule           *rule,
                                        GError                **error);
gboolean dg_road_check_validate        (const DgRoadCheck      *check,
                                        GError                **error);
/* Includes the rejects of dg_dustfall_compute(). */
gboolean dg_dustfall_sample_validate   (const DgDustfallSample *sample,
                                        GError                **error);

/* cell_id, month YYYY-MM, value 0..DG_DUSTFALL_VALUE_MAX, source not blank, and an id (when
 * set) that is dg_dustfall_history_id() of the cell and month ("id"). */
gboolean dg_dustfall_history_validate  (const DgDustfallHistory *history,
                                        GError                 **error);

/* At most DG_MAX_PHOTOS SHA-256s in lower-case hex, none twice: "photos[1]" names a bad one. */
gboolean dg_photos_validate            (const char *const       *photos,
                                        GError                 **error);

/* A unit's answer to a rectification notice (design 6.3): "text" not blank and at most
 * DG_MAX_NOTES_BYTES, "photos" as dg_photos_validate(); "author" and "at" when set. */
gboolean dg_rectification_response_validate (const DgRectificationResponse *response,
                                             GError                       **error);
/* A notice: id, target_id (UUIDs), unit_id (a UUID when set), month YYYY-MM, deadline a date,
 * reason not blank (at most DG_MAX_NOTES_BYTES), each response ("responses[1].text"), and a
 * note only on a closed notice. */
gboolean dg_rectification_validate     (const DgRectification  *notice,
                                        GError                **error);

G_END_DECLS
