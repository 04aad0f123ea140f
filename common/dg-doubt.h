/* dg-doubt.h: the doubt flags of a road check (design 6.2): what looks wrong in the evidence
 * behind a check, shown to the office, never a reason to refuse it.
 *
 * The rules are here once; the store gathers what a flag needs beyond the check itself (the
 * photos' EXIF times, which photos other records name, the road's line) into a
 * DgCheckEvidence, and common/ judges.
 */
#pragma once

#include "dg-geometry.h"
#include "dg-model.h"
#include "dg-rule-set.h"

G_BEGIN_DECLS

/* A photo taken further than this from the check's started_at is doubtful (`photo_time`). */
#define DG_PHOTO_TIME_SLACK_S (2 * 3600)

typedef enum
{
  DG_DOUBT_PHOTO_REUSED = 1 << 0,  /* a photo also on another record */
  DG_DOUBT_PHOTO_TIME   = 1 << 1,  /* a photo's EXIF time > 2 h from started_at, or off the
                                    * check's date when it has none */
  DG_DOUBT_SPACING      = 1 << 2,  /* two points of one surface closer by chainage than the
                                    * min_spacing_m rule in force on the check's date */
  DG_DOUBT_POSITION_FAR = 1 << 3,  /* a point more than DG_POSITION_FAR_M from its road's line */
} DgDoubtFlags;

#define DG_N_DOUBTS 4

/* What the flags read beyond the check; any member may be NULL (not known: that flag is not
 * raised). */
typedef struct
{
  /* The EXIF DateTimeOriginal ("YYYY-MM-DDTHH:MM:SS", local) of each photo that has one, by
   * SHA-256. */
  GHashTable       *photo_taken_at;
  /* The SHA-256s of the check's photos that another record names too (a set). */
  GHashTable       *photo_reused;
  /* The line of the check's road. */
  const DgGeometry *road_line;
} DgCheckEvidence;

/* The doubts of @check judged by @rules and @evidence (NULL: the check alone). */
DgDoubtFlags dg_road_check_doubts  (const DgRoadCheck     *check,
                                    const DgRuleSet       *rules,
                                    const DgCheckEvidence *evidence);
/* The flag's name in `computed.flags` ("photo_reused", ...); @flag is one flag. */
const char  *dg_doubt_to_string    (DgDoubtFlags           flag);
/* The names of @flags in the design's order (photo_reused, photo_time, spacing, position_far),
 * as a NULL-terminated array of static strings (free the array only). */
const char **dg_doubt_flags_names  (DgDoubtFlags           flags);

G_END_DECLS
