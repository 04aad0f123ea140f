/* dg-reports.h: the monthly reports of design 3.3, loaded from the store and built by common/.
 *
 * Plain functions (not a class): they load what a report needs from a DgStore, hand it to the
 * builders, encoders and assessment writers of common/, and return what the API and `export`
 * serve. They block.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-assessment.h"
#include "dg-bulletin.h"
#include "dg-store.h"

G_BEGIN_DECLS

JsonNode *dg_reports_dustfall         (DgStore              *store,
                                       const char           *month,
                                       GError              **error);
JsonNode *dg_reports_roads            (DgStore              *store,
                                       const char           *month,
                                       GError              **error);
/* The unit ranking of design 6.3; with @only_unit_id, that unit's row alone. */
JsonNode *dg_reports_units            (DgStore              *store,
                                       const char           *month,
                                       const char           *only_unit_id,
                                       GError              **error);
/* The monthly bulletin (通报) of design 6.3 as a .docx file's bytes. */
GBytes   *dg_reports_bulletin_docx    (DgStore              *store,
                                       const char           *month,
                                       GError              **error);
/* @today: YYYY-MM-DD, or NULL for the local date. */
JsonNode *dg_reports_quota            (DgStore              *store,
                                       const char           *month,
                                       const char           *today,
                                       GError              **error);
/* The whole assessment as JSON ({"month","district","generated_at","dustfall","roads","quota"}). */
JsonNode *dg_reports_assessment       (DgStore              *store,
                                       const char           *month,
                                       GError              **error);
/* The whole assessment as a file's bytes in @format (@section: the table a CSV holds). */
GBytes   *dg_reports_assessment_file  (DgStore              *store,
                                       const char           *month,
                                       DgAssessmentFormat    format,
                                       DgAssessmentSection   section,
                                       GError              **error);

G_END_DECLS
