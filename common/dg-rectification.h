/* dg-rectification.h: a rectification notice (整改, design 6.3) and the rules of its life cycle.
 *
 * The office issues a notice about a ranking row (a grid cell, a road or a unit, in a month)
 * with a deadline; the notice belongs to the target's responsible unit, whose users answer it
 * with what they did and photos, as often as they need; the office closes it with an outcome.
 * What a notice holds is stored as a record of type "rectification", one revision per step, so
 * the hash chain covers every step. Its state is not stored: open, responded and closed follow
 * from its responses and outcome, and overdue from the day it is read (dg_rectification_state()).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DG_RECTIFICATION_TARGET_GRID_CELL,
  DG_RECTIFICATION_TARGET_ROAD,
  DG_RECTIFICATION_TARGET_UNIT,     /* a row of the unit ranking */
  DG_N_RECTIFICATION_TARGETS
} DgRectificationTarget;

/* "grid_cell", "road", "unit" */
const char *dg_rectification_target_to_string   (DgRectificationTarget  target);
gboolean    dg_rectification_target_from_string (const char            *str,
                                                 DgRectificationTarget *target);

typedef enum
{
  DG_RECTIFICATION_OPEN,        /* issued, not answered yet, deadline not passed */
  DG_RECTIFICATION_RESPONDED,   /* answered at least once, deadline not passed */
  DG_RECTIFICATION_CLOSED,      /* the office closed it with an outcome */
  DG_RECTIFICATION_OVERDUE,     /* not closed, and its deadline has passed */
  DG_N_RECTIFICATION_STATES
} DgRectificationState;

/* "open", "responded", "closed", "overdue" */
const char *dg_rectification_state_to_string   (DgRectificationState  state);
gboolean    dg_rectification_state_from_string (const char           *str,
                                                DgRectificationState *state);

typedef enum
{
  DG_RECTIFICATION_OUTCOME_NONE,      /* not closed */
  DG_RECTIFICATION_OUTCOME_DONE,
  DG_RECTIFICATION_OUTCOME_NOT_DONE,
  DG_N_RECTIFICATION_OUTCOMES
} DgRectificationOutcome;

/* "done", "not_done" (NONE has no name: it travels as null) */
const char *dg_rectification_outcome_to_string   (DgRectificationOutcome  outcome);
gboolean    dg_rectification_outcome_from_string (const char             *str,
                                                  DgRectificationOutcome *outcome);

/* One answer of the unit. */
typedef struct
{
  char   *author;       /* user name */
  char   *at;           /* UTC timestamp */
  char   *text;
  GStrv   photos;       /* SHA-256s of uploaded attachments; NULL for none */
} DgRectificationResponse;

typedef struct
{
  char                  *id;
  DgRectificationTarget  target_type;
  char                  *target_id;
  char                  *unit_id;     /* the target's unit when it was issued */
  char                  *month;       /* YYYY-MM: the month of the ranking row */
  char                  *deadline;    /* YYYY-MM-DD: the last day to rectify */
  char                  *reason;
  char                  *issued_by;
  char                  *issued_at;
  GPtrArray             *responses;   /* DgRectificationResponse *, oldest first */
  DgRectificationOutcome outcome;
  char                  *note;        /* the office's note on closing; NULL when none */
  char                  *closed_by;
  char                  *closed_at;
} DgRectification;

DgRectification *dg_rectification_new            (void);
void             dg_rectification_free           (DgRectification       *notice);

DgRectificationResponse *dg_rectification_response_new  (void);
void             dg_rectification_response_free  (DgRectificationResponse *response);

/* The state of @notice on @today (YYYY-MM-DD, the reader's local date): closed once it has an
 * outcome; otherwise overdue from the day after its deadline (the deadline day itself is still
 * in time), else responded once it has a response, else open. */
DgRectificationState dg_rectification_state      (const DgRectification *notice,
                                                  const char            *today);

/* Whether @notice may take a response / be closed now: DG_ERROR_CONFLICT once it is closed. An
 * overdue notice may still be answered and closed (late is not never). */
gboolean         dg_rectification_check_open     (const DgRectification *notice,
                                                  GError               **error);

/* What issuing on @today requires beyond each field's own validity: a deadline not before
 * @today (field "deadline") and a month that has begun (field "month"). */
gboolean         dg_rectification_check_issue    (const DgRectification *notice,
                                                  const char            *today,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRectification, dg_rectification_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRectificationResponse, dg_rectification_response_free)

G_END_DECLS
