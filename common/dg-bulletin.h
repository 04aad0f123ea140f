/* dg-bulletin.h: the monthly bulletin (通报, design 6.3) as a Word document.
 *
 * What a dust-control office sends its units each month: the title with the month, the
 * dust-fall ranking, the unit ranking, the five cleanest cells praised, and every cell above
 * the cap with its rectification notice and deadline. Chinese whatever the locale (it is
 * content, like the assessment), A4, and plain paragraphs and tables the office can edit
 * before it sends it.
 *
 * Written with libzip (the package) and libxml2's xmlTextWriter (each part), so every name
 * and text is escaped by the library; no I/O, no global state, safe in a worker thread.
 */
#pragma once

#include "dg-report.h"
#include "dg-unit-report.h"

G_BEGIN_DECLS

#define DG_BULLETIN_DOCX_CONTENT_TYPE \
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* The rectification notice of an exceeding cell, when one was issued. */
typedef struct
{
  const char *cell_id;
  const char *reason;      /* the notice's text */
  const char *deadline;    /* YYYY-MM-DD */
} DgBulletinNotice;

/* BORROWS everything, like DgAssessment.
 * @month:     YYYY-MM
 * @issued_on: YYYY-MM-DD shown under the signature; NULL: today (local date)
 * @issuer:    who signs it; NULL: "扬尘污染防治工作办公室"
 * @dustfall:  the month's cell ranking; @units its unit ranking (may be NULL: no unit table rows)
 * @notices:   DgBulletinNotice *, or NULL; a cell above the cap without one reads "待下达". */
typedef struct
{
  const char             *month;
  const char             *issued_on;
  const char             *issuer;
  const DgDustfallReport *dustfall;
  const DgUnitReport     *units;
  GPtrArray              *notices;
} DgBulletin;

/* "2025年3月扬尘污染防治工作通报" */
char   *dg_bulletin_title         (const DgBulletin  *bulletin);
/* The .docx file's bytes; DG_ERROR_INTERNAL when libzip or libxml2 fails. */
GBytes *dg_bulletin_render_docx   (const DgBulletin  *bulletin,
                                   GError           **error);

G_END_DECLS
