/* dg-doubt.c: the doubt flags of a road check (design 6.2). */
#define G_LOG_DOMAIN "dg-doubt"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-date.h"
#include "dg-doubt.h"

static const struct
{
  DgDoubtFlags flag;
  const char  *name;
} doubt_names[DG_N_DOUBTS] = {
  { DG_DOUBT_PHOTO_REUSED, "photo_reused" },
  { DG_DOUBT_PHOTO_TIME, "photo_time" },
  { DG_DOUBT_SPACING, "spacing" },
  { DG_DOUBT_POSITION_FAR, "position_far" },
};

const char *
dg_doubt_to_string (DgDoubtFlags flag)
{
  for (guint i = 0; i < DG_N_DOUBTS; i++)
    if (doubt_names[i].flag == flag)
      return doubt_names[i].name;

  g_return_val_if_reached (NULL);
}

const char **
dg_doubt_flags_names (DgDoubtFlags flags)
{
  const char **names = g_new0 (const char *, DG_N_DOUBTS + 1);
  guint n = 0;

  for (guint i = 0; i < DG_N_DOUBTS; i++)
    if ((flags & doubt_names[i].flag) != 0)
      names[n++] = doubt_names[i].name;

  return names;
}

/* Whether a photo taken at @taken_at is doubtful for @check: more than two hours from its
 * started_at, or, without one, on another day than the check's date. An unreadable time
 * (neither side parses) says nothing. */
static gboolean
photo_time_doubtful (const DgRoadCheck *check,
                     const char        *taken_at)
{
  gint64 taken, started;

  if (!dg_local_datetime_parse (taken_at, &taken))
    return FALSE;

  if (check->started_at != NULL && dg_local_datetime_parse (check->started_at, &started))
    return ABS (taken - started) > DG_PHOTO_TIME_SLACK_S;

  return check->date != NULL && strncmp (taken_at, check->date, 10) != 0;
}

static DgDoubtFlags
photo_doubts (const DgRoadCheck     *check,
              const DgCheckEvidence *evidence)
{
  DgDoubtFlags flags = 0;

  for (guint i = 0; i < check->points->len; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);

      for (guint j = 0; point->photos != NULL && point->photos[j] != NULL; j++)
        {
          const char *sha256 = point->photos[j];
          const char *taken_at;

          if (evidence->photo_reused != NULL &&
              g_hash_table_contains (evidence->photo_reused, sha256))
            flags |= DG_DOUBT_PHOTO_REUSED;
          taken_at = evidence->photo_taken_at != NULL
                       ? g_hash_table_lookup (evidence->photo_taken_at, sha256) : NULL;
          if (taken_at != NULL && photo_time_doubtful (check, taken_at))
            flags |= DG_DOUBT_PHOTO_TIME;
        }
    }

  return flags;
}

/* Two points of one surface, both with a chainage, closer than the spacing rule of the check's
 * date. A spacing of exactly the rule is not closer. */
static gboolean
spacing_doubtful (const DgRoadCheck *check,
                  const DgRuleSet   *rules)
{
  double min_spacing = dg_rule_set_min_spacing_m (rules, check->date);

  for (guint i = 0; i < check->points->len; i++)
    {
      const DgRoadPoint *a = dg_road_check_get_point (check, i);

      if (!a->has_chainage)
        continue;
      for (guint j = i + 1; j < check->points->len; j++)
        {
          const DgRoadPoint *b = dg_road_check_get_point (check, j);

          if (b->has_chainage && b->surface == a->surface &&
              fabs (a->chainage_m - b->chainage_m) < min_spacing)
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
position_far (const DgRoadCheck *check,
              const DgGeometry  *road_line)
{
  for (guint i = 0; i < check->points->len; i++)
    {
      const DgRoadPoint *point = dg_road_check_get_point (check, i);

      if (point->position.set &&
          dg_geometry_position_far (road_line, point->position.lon, point->position.lat))
        return TRUE;
    }

  return FALSE;
}

DgDoubtFlags
dg_road_check_doubts (const DgRoadCheck     *check,
                      const DgRuleSet       *rules,
                      const DgCheckEvidence *evidence)
{
  DgDoubtFlags flags = 0;

  g_return_val_if_fail (check != NULL && check->points != NULL, 0);
  g_return_val_if_fail (rules != NULL, 0);

  if (check->date != NULL && spacing_doubtful (check, rules))
    flags |= DG_DOUBT_SPACING;
  if (evidence == NULL)
    return flags;

  flags |= photo_doubts (check, evidence);
  if (evidence->road_line != NULL && position_far (check, evidence->road_line))
    flags |= DG_DOUBT_POSITION_FAR;

  return flags;
}
