/* dg-demo.h: a sample district with months of plausible data, for `dustgrid-server demo`. */
#pragma once

#include "dg-auth.h"
#include "dg-store.h"

G_BEGIN_DECLS

/* The sample district's reference file: $DUSTGRID_SOURCE_DATADIR, the source tree's data/, or
 * the installed copy, whichever exists first. */
char     *dg_demo_find_reference_file (void);

/* Imports the sample district, adds the demo users (password = user name) and about six months
 * of checks and dust-fall ending today. Deterministic for a given @today (YYYY-MM-DD); running
 * it again changes nothing. */
gboolean  dg_demo_populate            (DgStore     *store,
                                       DgAuth      *auth,
                                       const char  *today,
                                       GError     **error);

/* Scales: "district" (dg_demo_populate()), "province" (20,000 grid cells, 1,000 roads, 36
 * months, at least 2 million road points: for benchmarks) and "tiny" (the same shape in
 * miniature). The larger scales are generated straight into the store and only once. */
gboolean  dg_demo_scale_is_valid      (const char  *scale);
gboolean  dg_demo_populate_scale      (DgStore     *store,
                                       DgAuth      *auth,
                                       const char  *today,
                                       const char  *scale,
                                       GError     **error);

G_END_DECLS
