/* dg-reports.h: the monthly reports of design 3.3, loaded from the store and built by common/.
 *
 * Plain functions (not a class): they load what a report needs from a DgStore, hand it to the
 * builders and encoders of common/, and return the JSON the API and `export` serve. They block.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dg-store.h"

G_BEGIN_DECLS

JsonNode *dg_reports_dustfall    (DgStore     *store,
                                  const char  *month,
                                  GError     **error);
JsonNode *dg_reports_roads       (DgStore     *store,
                                  const char  *month,
                                  GError     **error);
/* @today: YYYY-MM-DD, or NULL for the local date. */
JsonNode *dg_reports_quota       (DgStore     *store,
                                  const char  *month,
                                  const char  *today,
                                  GError     **error);
/* {"month","dustfall":…,"roads":…,"quota":…}: the whole assessment as JSON. */
JsonNode *dg_reports_assessment  (DgStore     *store,
                                  const char  *month,
                                  GError     **error);

G_END_DECLS
