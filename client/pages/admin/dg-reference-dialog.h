/* dg-reference-dialog.h: the administrator's editor of one unit, road, grid cell or rule
 * (design 6.1). What is saved goes to the local store and its outbox, like a check: it works
 * offline, and the server's refusal comes back on the record. */
#pragma once

#include <adwaita.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_REFERENCE_DIALOG (dg_reference_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DgReferenceDialog, dg_reference_dialog, DG, REFERENCE_DIALOG, AdwWindow)

/* @type is DG_RECORD_UNIT, _ROAD, _GRID_CELL or _RULE; @entry the record to change, or NULL for
 * a new one; @units (DgUnit *) the units to choose a parent or a responsible unit from. */
DgReferenceDialog *dg_reference_dialog_new       (GtkWindow          *parent,
                                                  DgLocalStore       *store,
                                                  DgRecordType        type,
                                                  const DgStoreEntry *entry,
                                                  GPtrArray          *units);
/* The message shown under the fields (a field's error), or NULL: for tests. */
const char        *dg_reference_dialog_get_error (DgReferenceDialog *self);

/* The six rule series a district sets, in the order the dialog and the rules list show them:
 * the three limits, the cap, the two quotas. */
#define DG_N_RULE_SERIES 7
void               dg_rule_series_get            (guint        series,
                                                  DgRuleKind  *kind,
                                                  DgSurface   *surface);
guint              dg_rule_series_of             (const DgRule *rule);
const char        *dg_rule_series_label          (guint        series);
/* "5 g/m²", "8 t/(km²·30 d)", "6 roads": a rule's value with its unit. Newly allocated. */
char              *dg_rule_series_format_value   (guint        series,
                                                  double       value);

G_END_DECLS
