/* dg-sync-indicator.h: the sync state at a glance, for the header bar. */
#pragma once

#include <gtk/gtk.h>

#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_SYNC_INDICATOR (dg_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DgSyncIndicator, dg_sync_indicator, DG, SYNC_INDICATOR, GtkWidget)

void          dg_sync_indicator_set_engine (DgSyncIndicator *self,
                                            DgSyncEngine    *engine);
/* Compact (narrow windows): the label keeps only a number, the tooltip has the rest. */
void          dg_sync_indicator_set_compact (DgSyncIndicator *self,
                                             gboolean         compact);
/* The full text of the state, for tests. */
const char   *dg_sync_indicator_get_text   (DgSyncIndicator *self);

G_END_DECLS
