/* dg-sync-indicator.h: the sync state at a glance, for the header bar. */
#pragma once

#include <gtk/gtk.h>

#include "dg-sync-engine.h"

G_BEGIN_DECLS

#define DG_TYPE_SYNC_INDICATOR (dg_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DgSyncIndicator, dg_sync_indicator, DG, SYNC_INDICATOR, GtkWidget)

void          dg_sync_indicator_set_engine (DgSyncIndicator *self,
                                            DgSyncEngine    *engine);
/* The text shown, for tests. */
const char   *dg_sync_indicator_get_text   (DgSyncIndicator *self);

G_END_DECLS
