/* dg-model.h: the records of design section 3 as plain C structs.
 *
 * They are plain data, not GObjects: the server handles hundreds of thousands of them per report
 * and the client wraps the few it shows. Every string is owned (g_free'd by the _free function);
 * optional numbers are NAN when absent, optional strings NULL.
 */
#pragma once

#include <glib.h>

#include "dg-geometry.h"

G_BEGIN_DECLS

#define DG_UUID_LEN 36

/* Bounds of section 5, enforced by validation. */
#define DG_MAX_STRING_BYTES     1024
#define DG_MAX_NOTES_BYTES      4096
#define DG_MAX_POINTS           100
#define DG_MAX_DIAMETERS        4
#define DG_MAX_BATCH_CHANGES    1000
#define DG_MAX_BODY_BYTES       (8 * 1024 * 1024)
#define DG_JSON_MAX_DEPTH       32
#define DG_MAX_PHOTOS           4     /* per point or per sample (design 6.2) */

typedef enum
{
  DG_RECORD_ROAD_CHECK,
  DG_RECORD_DUSTFALL_SAMPLE,
  DG_RECORD_ROAD,
  DG_RECORD_GRID_CELL,
  DG_RECORD_RULE,
  DG_RECORD_UNIT,         /* design 6.3; new types go last, so that the older keep their values */
  DG_RECORD_DUSTFALL_HISTORY, /* design 6.4 */
  DG_RECORD_RECTIFICATION, /* design 6.3: written through its own routes, never a CHANGE */
  DG_N_RECORD_TYPES
} DgRecordType;

/* "road_check", "dustfall_sample", "road", "grid_cell", "rule", "unit", "dustfall_history",
 * "rectification" */
const char *dg_record_type_to_string   (DgRecordType  type);
gboolean    dg_record_type_from_string (const char   *str,
                                        DgRecordType *type);
/* Reference types (road, grid_cell, rule, unit, dustfall_history) are written by administrators
 * only. */
gboolean    dg_record_type_is_reference (DgRecordType type);

typedef enum
{
  DG_SURFACE_MAIN,   /* 主干道 main-road carriageway */
  DG_SURFACE_SIDE,   /* 人行道、辅道 sidewalk or auxiliary road */
  DG_SURFACE_PARK,   /* 园区浮尘 industrial-park road, floating dust */
  DG_N_SURFACES
} DgSurface;

const char *dg_surface_to_string   (DgSurface   surface);
gboolean    dg_surface_from_string (const char *str,
                                    DgSurface  *surface);

typedef struct
{
  char      *id;
  char      *name;
  char      *unit;        /* responsible unit, as free text (the first version's; kept) */
  char      *unit_id;     /* the DgUnit responsible for it (6.3); NULL when absent */
  DgSurface  surface;     /* default surface of its sampling points */
  double     length_km;   /* NAN when absent */
  DgGeometry *geometry;   /* LineString or MultiLineString; NULL when absent (6.4) */
} DgRoad;

typedef struct
{
  char   *id;
  char   *code;
  char   *name;
  char   *unit;           /* responsible unit as free text, e.g. 府城街道 (kept for old data) */
  char   *unit_id;        /* the DgUnit responsible for it (6.3); NULL when absent */
  int     row;            /* position on the district map, from 0; -1 when absent, which */
  int     col;            /* only a cell with geometry may be */
  double  area_km2;       /* NAN when absent */
  DgGeometry *geometry;   /* Polygon or MultiPolygon; NULL when absent (6.4) */
} DgGridCell;

/* The area the formulas use: the given area_km2, else the geodesic area of the geometry to
 * 4 decimals (design 6.4), else NAN. */
double            dg_grid_cell_area_km2     (const DgGridCell *cell);

/* A responsible unit (责任单位, design 6.3): a street office, a park, a department. Units form a
 * tree through parent_id; roads and grid cells name theirs by unit_id. */
typedef struct
{
  char   *id;
  char   *code;           /* unique among the units */
  char   *name;
  char   *parent_id;      /* NULL for a unit at the top */
} DgUnit;

typedef enum
{
  DG_RULE_LIMIT,          /* road dust limit of one surface, g/m² */
  DG_RULE_CAP,            /* dust-fall cap, t/(km²·30 d) */
  DG_RULE_QUOTA_ROADS,    /* complete roads required per day */
  DG_RULE_QUOTA_POINTS,   /* points that make a check complete */
  DG_RULE_MIN_SPACING,    /* metres by chainage below which two points of a surface are doubtful
                           * (design 6.2's `spacing` flag) */
  DG_N_RULE_KINDS
} DgRuleKind;

const char *dg_rule_kind_to_string   (DgRuleKind  kind);
gboolean    dg_rule_kind_from_string (const char *str,
                                      DgRuleKind *kind);

typedef struct
{
  char       *id;
  DgRuleKind  kind;
  gboolean    has_surface; /* TRUE for (and only for) DG_RULE_LIMIT */
  DgSurface   surface;
  double      value;
  char       *effective_from; /* YYYY-MM-DD */
} DgRule;

/* Where a point was taken or a jar stands (design 6.2): WGS84 degrees, and how far off the
 * device says it may be. */
typedef struct
{
  gboolean  set;          /* FALSE: no position */
  double    lat;
  double    lon;
  gboolean  has_accuracy;
  double    accuracy_m;
} DgPosition;

typedef struct
{
  int        seq;         /* 1-based, unique within the check */
  DgSurface  surface;
  char      *location;    /* free text, "K1+200 北侧" */
  double     area_m2;     /* sampling frame, default 1.0 */
  double     mass_g;      /* dust swept from the frame */
  /* Design 6.2, each optional: the SHA-256 of up to DG_MAX_PHOTOS attachments (NULL: none),
   * where it was taken, and its metres from the section's start ("K1+200" is 1200). */
  GStrv      photos;
  DgPosition position;
  gboolean   has_chainage;
  double     chainage_m;
} DgRoadPoint;

typedef struct
{
  char   *id;
  char   *road_id;
  char   *date;           /* YYYY-MM-DD */
  char   *weather;        /* optional */
  char   *notes;          /* optional */
  char   *started_at;     /* optional local date-time */
  char   *device_time;    /* optional: the device's clock at save, local date-time (6.2) */
  GArray *points;         /* of DgRoadPoint; owns the points' strings */
  /* Not part of the data: the record's author, filled in by whoever loads the record (the
   * store) so that aggregation can group by inspector. May be NULL. */
  char   *author;
} DgRoadCheck;

#define DG_JAR_A 'A'
#define DG_JAR_B 'B'

typedef struct
{
  char     *id;
  char     *cell_id;
  char     *site;         /* label, default "1" */
  char      jar;          /* DG_JAR_A or DG_JAR_B */
  char     *month;        /* YYYY-MM */
  char     *start;        /* local date-time */
  char     *end;
  double    diameter_cm[DG_MAX_DIAMETERS];
  guint     n_diameters;  /* 1..4 */
  double    w0_g;         /* crucible dried to constant weight */
  double    w1_g;         /* crucible + dust residue */
  double    wc_g;         /* glycol blank residue */
  gboolean  valid;        /* FALSE: broken or contaminated jar */
  char     *notes;        /* optional */
  /* Design 6.2, each optional: photos of the jar (SHA-256s, NULL: none), where it stands, the
   * sample's code on its label and the balance and blank it was weighed with. */
  GStrv       photos;
  DgPosition  position;
  char       *sample_code;
  char       *balance_id;
  char       *blank_id;
} DgDustfallSample;

/* A cell's value for a month from before DustGrid (design 6.4), from the office's old
 * spreadsheets: it stands in for a month without a valid sample in 环比, 同比 and the
 * year-to-date mean, and in that month's ranking. One per cell and month: its id is
 * dg_dustfall_history_id() of the two. */
typedef struct
{
  char   *id;
  char   *cell_id;
  char   *month;          /* YYYY-MM */
  double  value;          /* t/(km²·30 d) */
  char   *source;         /* where it came from: "import" for import-history */
} DgDustfallHistory;

DgRoad           *dg_road_new               (void);
DgRoad           *dg_road_copy              (const DgRoad *road);
void              dg_road_free              (DgRoad *road);

DgGridCell       *dg_grid_cell_new          (void);
DgGridCell       *dg_grid_cell_copy         (const DgGridCell *cell);
void              dg_grid_cell_free         (DgGridCell *cell);

DgUnit           *dg_unit_new               (void);
DgUnit           *dg_unit_copy              (const DgUnit *unit);
void              dg_unit_free              (DgUnit *unit);

DgRule           *dg_rule_new               (void);
DgRule           *dg_rule_copy              (const DgRule *rule);
void              dg_rule_free              (DgRule *rule);

/* A new check has no points; dg_road_check_add_point() copies the point's strings. */
DgRoadCheck      *dg_road_check_new         (void);
DgRoadCheck      *dg_road_check_copy        (const DgRoadCheck *check);
void              dg_road_check_free        (DgRoadCheck *check);
void              dg_road_check_add_point   (DgRoadCheck *check,
                                             int          seq,
                                             DgSurface    surface,
                                             const char  *location,
                                             double       area_m2,
                                             double       mass_g);
#define dg_road_check_get_point(check, i) (&g_array_index ((check)->points, DgRoadPoint, (i)))

/* A new sample has site "1", jar A, one 15 cm diameter and valid = TRUE. */
DgDustfallSample *dg_dustfall_sample_new    (void);
DgDustfallSample *dg_dustfall_sample_copy   (const DgDustfallSample *sample);
void              dg_dustfall_sample_free   (DgDustfallSample *sample);

DgDustfallHistory *dg_dustfall_history_new  (void);
DgDustfallHistory *dg_dustfall_history_copy (const DgDustfallHistory *history);
void               dg_dustfall_history_free (DgDustfallHistory *history);

/* Frees a record of @type (DgRoadCheck *, DgDustfallSample *, ...). */
void              dg_record_data_free       (DgRecordType type,
                                             gpointer     data);
/* Every photo (SHA-256, borrowed from @data) a check's points or a sample name, each once, in
 * the order they first appear; empty for the other types. */
GPtrArray        *dg_record_data_photos     (DgRecordType  type,
                                             gconstpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRoad, dg_road_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgGridCell, dg_grid_cell_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRule, dg_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgUnit, dg_unit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRoadCheck, dg_road_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgDustfallSample, dg_dustfall_sample_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgDustfallHistory, dg_dustfall_history_free)

G_END_DECLS
