/* dg-utils.h: small helpers the pages share: reading numbers as people type them, and the
 * translated names of surfaces, flags and sync states. No formula lives here: see common/. */
#pragma once

#include <gtk/gtk.h>

#include "dustgrid-common.h"
#include "dg-draft-keeper.h"
#include "dg-local-store.h"

G_BEGIN_DECLS

/* Reads a decimal number typed by hand ("1.5", "1,5", " 2 "). FALSE when empty or not a number. */
gboolean     dg_parse_number          (const char  *text,
                                       double      *value);
/* A figure to @decimals places, for display; "—" for NAN. Newly allocated. */
char        *dg_format_number         (double       value,
                                       int          decimals);

const char  *dg_surface_label         (DgSurface    surface);
const char  *dg_dustfall_flag_label   (guint        index);
/* "Pending", "Synced", … */
const char  *dg_sync_status_label     (DgSyncStatus status);
/* The name of road @road_id among @roads (DgRoad *), or "Unknown road" (a record whose road
 * the local store does not hold yet). */
const char  *dg_road_name             (GPtrArray   *roads,
                                       const char  *road_id);
/* What an editor says above a record the office returned or the server rejected, with the
 * reason or the message; NULL for any other state. Newly allocated. */
char        *dg_entry_status_message  (const DgStoreEntry *entry);

/* How an editor opens a stored record: @entry is read on a worker thread, then handed to @fill
 * on the main thread unless @guard (the editor's own cancellable, cancelled on its dispose)
 * was cancelled meanwhile. @fill returns FALSE with an error when the entry is not one the
 * editor shows. Finishes on @editor with dg_editor_load_finish(). */
typedef gboolean (*DgEditorFillFunc) (gpointer       editor,
                                      DgStoreEntry  *entry,
                                      GError       **error);
void         dg_editor_load_async     (gpointer editor, DgLocalStore *store, const char *id,
                                       DgEditorFillFunc fill, GCancellable *guard,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean     dg_editor_load_finish    (gpointer       editor,
                                       GAsyncResult  *result,
                                       GError       **error);

/* How an editor is left (Escape, Back, a new record, the window closed). With @dirty (changes
 * not saved) it asks first: Keep Editing, Discard (the draft dropped) or Keep Draft; once the
 * draft is on disk or dropped, finishes with what was chosen. Without @dirty it finishes with
 * DG_LEAVE_CLEAN once pending draft writes are done. @heading names what is left. */
typedef enum
{
  DG_LEAVE_STAY,       /* Keep Editing: the editor stays as it is */
  DG_LEAVE_CLEAN,      /* nothing unsaved */
  DG_LEAVE_DISCARDED,  /* the changes and their draft are gone */
  DG_LEAVE_KEPT,       /* the draft is kept, to be restored on the next opening */
} DgLeave;

void         dg_editor_leave_async    (GtkWidget           *editor,
                                       DgDraftKeeper       *keeper,
                                       gboolean             dirty,
                                       const char          *heading,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
DgLeave      dg_editor_leave_finish   (GtkWidget           *editor,
                                       GAsyncResult        *result);

/* How an editor restores a draft: the draft of record @id (NULL: of the newest @type record
 * never saved) is read (dg_draft_keeper_restore_async()), then handed to @found on the main
 * thread with @asked_for (the editor's id when it asked), unless @guard (the editor's own
 * cancellable, cancelled on its dispose) was cancelled meanwhile. @draft is NULL when there is
 * none. */
typedef void (*DgEditorDraftFunc) (gpointer    editor,
                                   const char *asked_for,
                                   const char *draft_id,
                                   JsonObject *draft);
void         dg_editor_restore_draft  (gpointer             editor,
                                       DgDraftKeeper       *keeper,
                                       DgRecordType         type,
                                       const char          *id,
                                       const char          *asked_for,
                                       GCancellable        *guard,
                                       DgEditorDraftFunc    found);

/* Adds or removes the "error" style class and the accessible invalid state. */
void         dg_widget_set_invalid    (GtkWidget   *widget,
                                       gboolean     invalid);
/* A dim "nothing here" label as @list's placeholder. */
void         dg_list_box_set_placeholder_text (GtkListBox *list,
                                               const char *text);
void         dg_widget_set_pass_class (GtkWidget   *widget,
                                       int          pass);  /* 1 pass, 0 fail, -1 neither */

G_END_DECLS
