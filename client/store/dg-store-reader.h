/* dg-store-reader.h: a widget's view of the local store, read off the main thread.
 *
 * A reader runs one function over the store on a worker thread and hands its result to its
 * owner on the main thread. One read at a time: asking again while a read is in flight (a sync
 * changes the store after each batch) asks for exactly one more read after it. When it follows
 * the store, each DgLocalStore::changed asks. Disposing the reader, or giving it another store,
 * cancels the read in flight: the owner is never called back once it has dropped its reader,
 * so a widget that drops it in its dispose is never called back after it.
 */
#pragma once

#include "dg-local-store.h"

G_BEGIN_DECLS

#define DG_TYPE_STORE_READER (dg_store_reader_get_type ())
G_DECLARE_FINAL_TYPE (DgStoreReader, dg_store_reader, DG, STORE_READER, GObject)

/* On the main thread, as a read starts: the data @func gets (freed with @free_func), taken
 * from the owner then, since the worker must not touch the owner. */
typedef gpointer (*DgStoreReaderPrepareFunc) (gpointer        owner,
                                              GDestroyNotify *free_func);
/* On the main thread: a result of @func (owned by the callee; NULL with @error on failure). */
typedef void     (*DgStoreReaderDoneFunc)    (gpointer        owner,
                                              gpointer        result,
                                              const GError   *error);

/* @func runs on a worker thread with the data @prepare made (or NULL); @result_free frees what
 * it returns when nobody takes it. @follow: read again on each "changed" of the store. */
DgStoreReader *dg_store_reader_new         (DgLocalStoreFunc          func,
                                            DgStoreReaderPrepareFunc  prepare,
                                            GDestroyNotify            result_free,
                                            DgStoreReaderDoneFunc     done,
                                            gpointer                  owner,
                                            gboolean                  follow);
/* Reads at once when @store is not NULL. */
void           dg_store_reader_set_store   (DgStoreReader            *self,
                                            DgLocalStore             *store);
DgLocalStore  *dg_store_reader_get_store   (DgStoreReader            *self);
/* Reads again (after the read in flight, if any). */
void           dg_store_reader_refresh     (DgStoreReader            *self);
/* Whether a read is in flight or asked for: "loading" is notified when it changes. */
gboolean       dg_store_reader_get_loading (DgStoreReader            *self);

G_END_DECLS
