/* dg-draft-keeper.h: writes an editor's draft to the local store as it is typed.
 *
 * The editor hands over its state at each change; the keeper writes the latest one after a
 * short pause (DG_DRAFT_KEEPER_DELAY_MS), on a worker thread, one write at a time and in the
 * order asked, so that a later state is never overwritten by an earlier one and a discard is
 * never undone by a write still on its way.
 */
#pragma once

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_DRAFT_KEEPER_DELAY_MS 250

#define DG_TYPE_DRAFT_KEEPER (dg_draft_keeper_get_type ())
G_DECLARE_FINAL_TYPE (DgDraftKeeper, dg_draft_keeper, DG, DRAFT_KEEPER, GObject)

DgDraftKeeper *dg_draft_keeper_new          (void);
void           dg_draft_keeper_set_store    (DgDraftKeeper       *self,
                                             DgLocalStore        *store);
/* The editor now holds record @id of @type: a write still waiting for the previous one is
 * queued first. */
void           dg_draft_keeper_track        (DgDraftKeeper       *self,
                                             DgRecordType         type,
                                             const char          *id);
/* The editor's state changed: @draft (taken) is written after the pause. */
void           dg_draft_keeper_update       (DgDraftKeeper       *self,
                                             JsonObject          *draft);
/* Drops the draft of the tracked record (discarded, or the record saved). */
void           dg_draft_keeper_discard      (DgDraftKeeper       *self);
/* Writes what waits now; finishes once every write and discard asked so far is done. */
void           dg_draft_keeper_flush_async  (DgDraftKeeper       *self,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       dg_draft_keeper_flush_finish (DgDraftKeeper       *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Reads a draft to restore on a worker thread: that of record @id, or with @id NULL the newest
 * draft of a @type record never saved. Finishes with NULL (and no error) when there is none;
 * *@draft_id gets the draft's record id. Asked after every write queued so far. */
void           dg_draft_keeper_restore_async  (DgDraftKeeper       *self,
                                               DgRecordType         type,
                                               const char          *id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonObject    *dg_draft_keeper_restore_finish (DgDraftKeeper       *self,
                                               GAsyncResult        *result,
                                               char               **draft_id,
                                               GError             **error);
/* TRUE while a write waits or runs ("busy" is notified). */
gboolean       dg_draft_keeper_get_busy     (DgDraftKeeper       *self);

/* @draft as text, to tell whether an editor's state differs from the one it opened with. */
char          *dg_draft_to_string            (JsonObject          *draft);
/* A text member of a draft read back: "" when it is missing or not a string (a draft is the
 * editor's own shape, but a file may have been written by another version). */
const char    *dg_draft_get_text             (JsonObject          *draft,
                                              const char          *name);
/* An array member, or NULL. */
JsonArray     *dg_draft_get_array            (JsonObject          *draft,
                                              const char          *name);

G_END_DECLS
