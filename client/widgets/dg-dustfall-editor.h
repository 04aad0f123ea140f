/* dg-dustfall-editor.h: the dust-fall (降尘量) jar sample editor. */
#pragma once

#include <adwaita.h>

#include "dg-draft-keeper.h"
#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_DUSTFALL_EDITOR (dg_dustfall_editor_get_type ())
G_DECLARE_FINAL_TYPE (DgDustfallEditor, dg_dustfall_editor, DG, DUSTFALL_EDITOR, GtkWidget)

void        dg_dustfall_editor_set_store   (DgDustfallEditor *self,
                                            DgLocalStore     *store);
void        dg_dustfall_editor_new_sample  (DgDustfallEditor *self);
/* After a save: whether the other jar of that sample's site can be begun from it, and which
 * (@jar, nullable: DG_JAR_A or DG_JAR_B). */
gboolean    dg_dustfall_editor_get_other_jar (DgDustfallEditor *self,
                                              char             *jar);
/* Begins the other jar from the sample saved last: the same cell, site, month, start, end and
 * diameters, the weights empty. FALSE when nothing was saved yet. */
gboolean    dg_dustfall_editor_new_other_jar (DgDustfallEditor *self);
/* Opens a stored sample, read on a worker thread; finishes with DG_ERROR_NOT_FOUND when @id
 * names no dust-fall sample (the editor is then unchanged). */
void        dg_dustfall_editor_load_async  (DgDustfallEditor    *self,
                                            const char          *id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    dg_dustfall_editor_load_finish (DgDustfallEditor  *self,
                                            GAsyncResult      *result,
                                            GError           **error);
const char *dg_dustfall_editor_get_id      (DgDustfallEditor *self);
/* TRUE when the inspector changed something since the sample was opened or saved. */
gboolean    dg_dustfall_editor_get_dirty   (DgDustfallEditor *self);
/* As dg_check_editor_leave_async(): asks before leaving unsaved changes; TRUE once it may go. */
void        dg_dustfall_editor_leave_async  (DgDustfallEditor    *self,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    dg_dustfall_editor_leave_finish (DgDustfallEditor    *self,
                                             GAsyncResult        *result);
DgDraftKeeper *dg_dustfall_editor_get_drafts    (DgDustfallEditor *self);
gboolean    dg_dustfall_editor_get_restoring (DgDustfallEditor *self);

/* The widgets, for keyboard focus and for tests that drive the editor. @field is a field path
 * of validation ("site", "month", "start", "end", "diameter_cm[0]".."diameter_cm[3]", "w0_g",
 * "w1_g", "wc_g", "notes"); @result one of "days", "diameter", "area", "value", "flags",
 * "error". */
GtkEditable *dg_dustfall_editor_get_entry        (DgDustfallEditor *self,
                                                  const char       *field);
GtkLabel    *dg_dustfall_editor_get_result_label (DgDustfallEditor *self,
                                                  const char       *result);
GtkDropDown *dg_dustfall_editor_get_cell_dropdown (DgDustfallEditor *self);
GtkDropDown *dg_dustfall_editor_get_jar_dropdown  (DgDustfallEditor *self);

G_END_DECLS
