/* dg-check-editor.h: the road dust spot check editor (以克论净). */
#pragma once

#include <adwaita.h>

#include "dg-draft-keeper.h"
#include "dg-local-store.h"
#include "dg-point-row.h"

G_BEGIN_DECLS

#define DG_TYPE_CHECK_EDITOR (dg_check_editor_get_type ())
G_DECLARE_FINAL_TYPE (DgCheckEditor, dg_check_editor, DG, CHECK_EDITOR, GtkWidget)

DgLocalStore *dg_check_editor_get_store     (DgCheckEditor *self);
void          dg_check_editor_set_store     (DgCheckEditor *self,
                                             DgLocalStore  *store);

/* A new check: a new id, today's date, one empty point. */
void          dg_check_editor_new_check     (DgCheckEditor *self);
/* Opens a stored check, read on a worker thread; finishes with DG_ERROR_NOT_FOUND when @id
 * names no road check (the editor is then unchanged). */
void          dg_check_editor_load_async    (DgCheckEditor       *self,
                                             const char          *id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      dg_check_editor_load_finish   (DgCheckEditor  *self,
                                             GAsyncResult   *result,
                                             GError        **error);
const char   *dg_check_editor_get_id        (DgCheckEditor *self);
/* TRUE when the inspector changed something since the check was opened or saved. */
gboolean      dg_check_editor_get_dirty     (DgCheckEditor *self);
/* Leaves the editor, asking first when there are unsaved changes (Keep Editing, Discard,
 * Keep Draft): finishes with TRUE once it may go (the draft kept on disk or dropped), FALSE
 * when the inspector keeps editing. Escape and Back do this, then emit "closed". */
void          dg_check_editor_leave_async   (DgCheckEditor       *self,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      dg_check_editor_leave_finish  (DgCheckEditor       *self,
                                             GAsyncResult        *result);
/* What keeps the draft, and whether a draft to restore is still being looked for (tests). */
DgDraftKeeper *dg_check_editor_get_drafts   (DgCheckEditor *self);
gboolean      dg_check_editor_get_restoring (DgCheckEditor *self);
/* Selects the road @road_id in the picker. */
gboolean      dg_check_editor_select_road   (DgCheckEditor *self,
                                             const char    *road_id);

/* The widgets, for keyboard focus and for tests that drive the editor. */
guint         dg_check_editor_get_n_points  (DgCheckEditor *self);
DgPointRow   *dg_check_editor_get_point_row (DgCheckEditor *self,
                                             guint          index);
GtkDropDown  *dg_check_editor_get_road_dropdown (DgCheckEditor *self);
GtkEditable  *dg_check_editor_get_date_entry    (DgCheckEditor *self);
GtkListBox   *dg_check_editor_get_groups_list   (DgCheckEditor *self);
GtkLabel     *dg_check_editor_get_overall_label (DgCheckEditor *self);
GtkLabel     *dg_check_editor_get_error_label   (DgCheckEditor *self);

G_END_DECLS
