/* dg-wire.h: the JSON wire format of design section 4.
 *
 * Record data: decode (with type checks and full validation) into the structs of dg-model.h, and
 * encode them back. The encoded form is the *normalized* data: unknown members dropped, defaults
 * filled in. The server stores it, hashes its canonical encoding, and compares it to tell a retry
 * ("unchanged") from an edit.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-model.h"
#include "dg-rectification.h"
#include "dg-rule-set.h"
#include "dg-doubt.h"
#include "dg-road-check-eval.h"
#include "dg-dustfall.h"
#include "dg-report.h"
#include "dg-unit-report.h"

G_BEGIN_DECLS

/* ---- Record data ---- */

/* Decodes and validates the "data" object of a record of @type. Returns the struct for @type
 * (DgRoadCheck *, DgDustfallSample *, DgRoad *, DgGridCell *, DgRule *) with its id set to @id,
 * or NULL with DG_ERROR_INVALID_FIELD naming the field. */
gpointer    dg_record_data_from_json   (DgRecordType   type,
                                        const char    *id,
                                        JsonObject    *data,
                                        GError       **error);
/* Encodes a record struct of @type as its normalized "data" object (without the id). */
JsonObject *dg_record_data_to_json     (DgRecordType   type,
                                        gconstpointer  data);

/* The server-owned "computed" object for a record (design 4), or NULL for reference types
 * (but a grid cell with geometry and no area_km2: {"area_km2"}, design 6.4).
 * road_check: {"complete","pass","points_over","max","groups":[…],"points":[…],"flags":[…]},
 * the flags those of the check alone (dg_road_check_doubts() without evidence);
 * dustfall_sample: {"days","diameter_cm","area_cm2","value","flags":[…]}. */
JsonObject *dg_record_computed_to_json (DgRecordType     type,
                                        gconstpointer    data,
                                        const DgRuleSet *rules);
/* The same, a road check's flags judged with @evidence too (the store's, design 6.2). */
JsonObject *dg_record_computed_to_json_with_evidence (DgRecordType           type,
                                                      gconstpointer          data,
                                                      const DgRuleSet       *rules,
                                                      const DgCheckEvidence *evidence);

/* ---- CHANGE ---- */

typedef struct
{
  DgRecordType  type;
  char         *id;
  gint64        base_rev;   /* 0 = new */
  gboolean      deleted;
  JsonObject   *data;       /* the raw data object (may be NULL when deleted) */
} DgChange;

/* Structural decode of one CHANGE: "type" known (else DG_ERROR_UNKNOWN_TYPE, field "type"),
 * "id" a UUID, "base_rev" an integer ≥ 0, "deleted" optional bool, "data" an object unless
 * deleted. Does not validate the data: see dg_record_data_from_json(). */
DgChange   *dg_change_from_json        (JsonNode      *node,
                                        GError       **error);
JsonNode   *dg_change_to_json          (const DgChange *change);
DgChange   *dg_change_new              (DgRecordType   type,
                                        const char    *id,
                                        gint64         base_rev,
                                        gboolean       deleted,
                                        JsonObject    *data);   /* takes a reference */
void        dg_change_free             (DgChange      *change);

/* ---- RECORD ---- */

typedef enum
{
  DG_RECORD_STATE_ACTIVE,
  DG_RECORD_STATE_RETURNED,
  DG_RECORD_STATE_VOIDED,      /* by its author, with a reason: kept, but no data (issue 13) */
} DgRecordState;

const char *dg_record_state_to_string   (DgRecordState state);
gboolean    dg_record_state_from_string (const char *str, DgRecordState *state);

typedef struct
{
  DgRecordType   type;
  char          *id;
  gint64         rev;
  gint64         seq;
  gboolean       deleted;
  char          *author;
  char          *updated_at;
  DgRecordState  state;
  char          *reason;     /* when returned or voided */
  JsonObject    *data;       /* normalized data; may be NULL when deleted */
  JsonObject    *computed;   /* may be NULL */
} DgRecord;

DgRecord   *dg_record_new              (void);
void        dg_record_free             (DgRecord      *record);
DgRecord   *dg_record_copy             (const DgRecord *record);
JsonNode   *dg_record_to_json          (const DgRecord *record);
/* Decodes a RECORD as the server sends it (the client's pull). */
DgRecord   *dg_record_from_json        (JsonNode      *node,
                                        GError       **error);

/* ---- RESULT ---- */

typedef enum
{
  DG_RESULT_APPLIED,
  DG_RESULT_UNCHANGED,
  DG_RESULT_CONFLICT,
  DG_RESULT_REJECTED,
} DgResultStatus;

const char *dg_result_status_to_string   (DgResultStatus status);
gboolean    dg_result_status_from_string (const char *str, DgResultStatus *status);

typedef struct
{
  char           *id;
  DgResultStatus  status;
  gint64          rev;       /* the stored revision (applied, unchanged, conflict) */
  DgRecord       *current;   /* conflict: the server's record */
  GError         *error;     /* rejected: why */
} DgResult;

DgResult   *dg_result_new              (const char *id, DgResultStatus status, gint64 rev);
void        dg_result_free             (DgResult      *result);
JsonNode   *dg_result_to_json          (const DgResult *result);
DgResult   *dg_result_from_json        (JsonNode      *node,
                                        GError       **error);

/* ---- Errors ---- */

/* {"error":{"code","message","field"?}} for a DG_ERROR; other domains become "internal". */
JsonNode   *dg_error_to_json           (const GError  *error);
/* The inner error object alone ({"code","message","field"?}). */
JsonObject *dg_error_to_json_object    (const GError  *error);
/* Reads either form back into a DG_ERROR (unknown codes become DG_ERROR_INTERNAL). */
GError     *dg_error_from_json         (JsonNode      *node);

/* ---- Reports (design 4, report shapes) ---- */

JsonNode   *dg_dustfall_report_to_json (const DgDustfallReport *report);
JsonNode   *dg_road_report_to_json     (const DgRoadReport     *report);
JsonNode   *dg_quota_report_to_json    (const DgQuotaReport    *report);
/* {"month","units":[{"rank","unit_id","code","name","parent_id","cells","cells_ranked","mean",
 *  "exceeding","prev_mean","mom_pct","checks","checks_passed","pass_rate"}]} (design 6.3);
 * with @only_unit_id, that unit's row alone (a unit user's view). */
JsonNode   *dg_unit_report_to_json     (const DgUnitReport     *report,
                                        const char             *only_unit_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgChange, dg_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRecord, dg_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgResult, dg_result_free)

/* ---- Rectification notices (design 6.3, dg-wire-rectification.c) ---- */

/* The body of POST /api/v1/rectifications: {"id","target_type","target_id","month","deadline",
 * "reason"}, validated (DG_ERROR_INVALID_FIELD naming the field); what else the notice holds
 * (its unit, who issued it and when) the server sets. */
DgRectification         *dg_rectification_issue_from_json    (JsonObject  *body,
                                                              GError     **error);
/* The body of .../respond: {"text","photos"?}, validated; author and time the server sets. */
DgRectificationResponse *dg_rectification_response_from_json (JsonObject  *body,
                                                              GError     **error);
/* The body of .../close: {"outcome":"done|not_done","note"?}. */
gboolean                 dg_rectification_close_from_json    (JsonObject              *body,
                                                              DgRectificationOutcome  *outcome,
                                                              char                   **note,
                                                              GError                 **error);
/* The notice as the API shows it: its record data plus "id" and "state" on @today. */
JsonObject              *dg_rectification_to_json            (const DgRectification *notice,
                                                              const char            *today);

G_END_DECLS
