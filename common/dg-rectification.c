/* dg-rectification.c: a rectification notice and the rules of its life cycle (design 6.3). */
#define G_LOG_DOMAIN "dg-rectification"

#include "config.h"

#include <string.h>

#include "dg-enum.h"
#include "dg-error.h"
#include "dg-rectification.h"

static const DgEnumName target_names[] = {
  { DG_RECTIFICATION_TARGET_GRID_CELL, "grid_cell" },
  { DG_RECTIFICATION_TARGET_ROAD, "road" },
  { DG_RECTIFICATION_TARGET_UNIT, "unit" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (target_names) == DG_N_RECTIFICATION_TARGETS);

static const DgEnumName state_names[] = {
  { DG_RECTIFICATION_OPEN, "open" },
  { DG_RECTIFICATION_RESPONDED, "responded" },
  { DG_RECTIFICATION_CLOSED, "closed" },
  { DG_RECTIFICATION_OVERDUE, "overdue" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == DG_N_RECTIFICATION_STATES);

/* NONE has no row: a notice not closed has a null outcome on the wire. */
static const DgEnumName outcome_names[] = {
  { DG_RECTIFICATION_OUTCOME_DONE, "done" },
  { DG_RECTIFICATION_OUTCOME_NOT_DONE, "not_done" },
};

const char *
dg_rectification_target_to_string (DgRectificationTarget target)
{
  return dg_enum_to_nick (target_names, G_N_ELEMENTS (target_names), target);
}

gboolean
dg_rectification_target_from_string (const char            *str,
                                     DgRectificationTarget *target)
{
  int value;

  if (!dg_enum_from_nick (target_names, G_N_ELEMENTS (target_names), str, &value))
    return FALSE;
  *target = value;
  return TRUE;
}

const char *
dg_rectification_state_to_string (DgRectificationState state)
{
  return dg_enum_to_nick (state_names, G_N_ELEMENTS (state_names), state);
}

gboolean
dg_rectification_state_from_string (const char           *str,
                                    DgRectificationState *state)
{
  int value;

  if (!dg_enum_from_nick (state_names, G_N_ELEMENTS (state_names), str, &value))
    return FALSE;
  *state = value;
  return TRUE;
}

const char *
dg_rectification_outcome_to_string (DgRectificationOutcome outcome)
{
  return dg_enum_to_nick (outcome_names, G_N_ELEMENTS (outcome_names), outcome);
}

gboolean
dg_rectification_outcome_from_string (const char             *str,
                                      DgRectificationOutcome *outcome)
{
  int value;

  if (!dg_enum_from_nick (outcome_names, G_N_ELEMENTS (outcome_names), str, &value))
    return FALSE;
  *outcome = value;
  return TRUE;
}

DgRectificationResponse *
dg_rectification_response_new (void)
{
  return g_new0 (DgRectificationResponse, 1);
}

void
dg_rectification_response_free (DgRectificationResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->author);
  g_free (response->at);
  g_free (response->text);
  g_strfreev (response->photos);
  g_free (response);
}

DgRectification *
dg_rectification_new (void)
{
  DgRectification *notice = g_new0 (DgRectification, 1);

  notice->responses = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_rectification_response_free);
  return notice;
}

void
dg_rectification_free (DgRectification *notice)
{
  if (notice == NULL)
    return;

  g_free (notice->id);
  g_free (notice->target_id);
  g_free (notice->unit_id);
  g_free (notice->month);
  g_free (notice->deadline);
  g_free (notice->reason);
  g_free (notice->issued_by);
  g_free (notice->issued_at);
  g_clear_pointer (&notice->responses, g_ptr_array_unref);
  g_free (notice->note);
  g_free (notice->closed_by);
  g_free (notice->closed_at);
  g_free (notice);
}

DgRectificationState
dg_rectification_state (const DgRectification *notice,
                        const char            *today)
{
  g_return_val_if_fail (notice != NULL, DG_RECTIFICATION_OPEN);
  g_return_val_if_fail (today != NULL, DG_RECTIFICATION_OPEN);

  if (notice->outcome != DG_RECTIFICATION_OUTCOME_NONE)
    return DG_RECTIFICATION_CLOSED;
  /* Both are YYYY-MM-DD, so they compare as strings; the deadline day is still in time. */
  if (notice->deadline != NULL && strcmp (today, notice->deadline) > 0)
    return DG_RECTIFICATION_OVERDUE;
  if (notice->responses != NULL && notice->responses->len > 0)
    return DG_RECTIFICATION_RESPONDED;
  return DG_RECTIFICATION_OPEN;
}

gboolean
dg_rectification_check_open (const DgRectification *notice,
                             GError               **error)
{
  g_return_val_if_fail (notice != NULL, FALSE);

  if (notice->outcome != DG_RECTIFICATION_OUTCOME_NONE)
    {
      dg_set_error (error, DG_ERROR_CONFLICT, NULL, "rectification %s is closed", notice->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
dg_rectification_check_issue (const DgRectification *notice,
                              const char            *today,
                              GError               **error)
{
  g_return_val_if_fail (notice != NULL && today != NULL, FALSE);

  /* A notice about a month still to come ranks nothing yet. YYYY-MM against YYYY-MM-DD: the
   * month's prefix of today. */
  if (notice->month != NULL && strncmp (notice->month, today, 7) > 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "month", "month must not be after this month");
      return FALSE;
    }
  /* A deadline already gone would make the notice overdue the moment it is issued. */
  if (notice->deadline != NULL && strcmp (notice->deadline, today) < 0)
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "deadline",
                    "deadline must not be before today (%s)", today);
      return FALSE;
    }
  return TRUE;
}
