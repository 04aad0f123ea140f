/* dg-dustfall-editor.h: the dust-fall (降尘量) jar sample editor. */
#pragma once

#include <adwaita.h>

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_DUSTFALL_EDITOR (dg_dustfall_editor_get_type ())
G_DECLARE_FINAL_TYPE (DgDustfallEditor, dg_dustfall_editor, DG, DUSTFALL_EDITOR, GtkWidget)

void        dg_dustfall_editor_set_store   (DgDustfallEditor *self,
                                            DgLocalStore     *store);
void        dg_dustfall_editor_new_sample  (DgDustfallEditor *self);
gboolean    dg_dustfall_editor_load        (DgDustfallEditor *self,
                                            const char       *id);
const char *dg_dustfall_editor_get_id      (DgDustfallEditor *self);

G_END_DECLS
