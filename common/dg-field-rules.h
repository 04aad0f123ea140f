/* dg-field-rules.h: the field rules of design 6.7, which judge a record against more than
 * itself: today's date, and the other records of its cell, site and month.
 *
 * The server applies them to every change it stores (today = its own date, the other records =
 * its store); the client to every save (today = the device's date, the other records = its
 * local store), so that it says so before the server would refuse. Errors are
 * DG_ERROR_INVALID_FIELD with the field path, as in dg-validate.h.
 */
#pragma once

#include "dg-model.h"

G_BEGIN_DECLS

/* How far ahead of today a record may be dated: a check dated tomorrow is a clock off by a few
 * hours, not a mistake. */
#define DG_FUTURE_DAYS_ALLOWED 1

/* A check's date, or a sample's end, may not lie more than DG_FUTURE_DAYS_ALLOWED days after
 * @today (YYYY-MM-DD): invalid_field on "date" / "end"; a history value's month not after
 * @today's ("month"). Other types, and dates not valid (which dg-validate.c refuses), pass. */
gboolean dg_record_check_not_future  (DgRecordType             type,
                                      gconstpointer            data,
                                      const char              *today,
                                      GError                 **error);
/* One dust-fall sample per (cell, site, jar, month): @holder is the id of another sample that
 * already holds @sample's jar (NULL when none does); it is refused on "jar", naming @holder. */
gboolean dg_dustfall_check_jar_free  (const DgDustfallSample  *sample,
                                      const char              *holder,
                                      GError                 **error);

G_END_DECLS
