/* dg-store-reader.c
 *
 * The reader does not hold its owner: the owner holds the reader. A read's callback therefore
 * looks at nothing before it knows the read was not cancelled, and the reader cancels its read
 * when it is disposed or changes store; the task holds the cancellable, not the reader.
 */

#define G_LOG_DOMAIN "dg-store-reader"

#include "config.h"

#include "dg-store-reader.h"

struct _DgStoreReader
{
  GObject                   parent_instance;

  DgLocalStoreFunc          func;
  DgStoreReaderPrepareFunc  prepare;
  GDestroyNotify            result_free;
  DgStoreReaderDoneFunc     done;
  gpointer                  owner;
  gboolean                  follow;

  DgLocalStore             *store;
  GCancellable             *cancellable;   /* of the read in flight */
  gboolean                  loading;       /* a read is in flight */
  gboolean                  again;         /* asked again during it */
};

G_DEFINE_FINAL_TYPE (DgStoreReader, dg_store_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start (DgStoreReader *self);

static void
set_loading (DgStoreReader *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DgStoreReader *self;
  gpointer value;

  value = dg_local_store_run_finish (DG_LOCAL_STORE (object), result, &error);
  /* Cancelled: the reader may be gone, and its owner with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DG_STORE_READER (user_data);
  /* The owner may drop the reader from its callback: keep it until the end. */
  g_object_ref (self);
  if (self->again)
    {
      /* Stale already: only the next read is shown. */
      self->again = FALSE;
      if (value != NULL && self->result_free != NULL)
        self->result_free (value);
      start (self);
    }
  else
    {
      set_loading (self, FALSE);
      self->done (self->owner, value, error);
    }
  g_object_unref (self);
}

static void
start (DgStoreReader *self)
{
  GDestroyNotify data_free = NULL;
  gpointer data = NULL;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  if (self->prepare != NULL)
    data = self->prepare (self->owner, &data_free);
  dg_local_store_run_async (self->store, self->func, data, data_free, self->result_free,
                            self->cancellable, read_cb, self);
}

static void
cancel (DgStoreReader *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->again = FALSE;
  set_loading (self, FALSE);
}

static void
dg_store_reader_dispose (GObject *object)
{
  DgStoreReader *self = (DgStoreReader *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dg_store_reader_parent_class)->dispose (object);
}

static void
dg_store_reader_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DgStoreReader *self = DG_STORE_READER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dg_store_reader_class_init (DgStoreReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_store_reader_dispose;
  object_class->get_property = dg_store_reader_get_property;

  /**
   * DgStoreReader:loading:
   *
   * Whether a read is in flight: the owner is about to hear from it.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dg_store_reader_init (DgStoreReader *self)
{
}

DgStoreReader *
dg_store_reader_new (DgLocalStoreFunc          func,
                     DgStoreReaderPrepareFunc  prepare,
                     GDestroyNotify            result_free,
                     DgStoreReaderDoneFunc     done,
                     gpointer                  owner,
                     gboolean                  follow)
{
  DgStoreReader *self;

  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (done != NULL, NULL);

  self = g_object_new (DG_TYPE_STORE_READER, NULL);
  self->func = func;
  self->prepare = prepare;
  self->result_free = result_free;
  self->done = done;
  self->owner = owner;
  self->follow = follow;
  return self;
}

void
dg_store_reader_set_store (DgStoreReader *self,
                           DgLocalStore  *store)
{
  g_return_if_fail (DG_IS_STORE_READER (self));
  g_return_if_fail (store == NULL || DG_IS_LOCAL_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* A read of the previous store is not shown. */
  cancel (self);
  g_set_object (&self->store, store);
  if (store == NULL)
    return;
  if (self->follow)
    g_signal_connect_object (store, "changed", G_CALLBACK (dg_store_reader_refresh), self,
                             G_CONNECT_SWAPPED);
  dg_store_reader_refresh (self);
}

DgLocalStore *
dg_store_reader_get_store (DgStoreReader *self)
{
  g_return_val_if_fail (DG_IS_STORE_READER (self), NULL);
  return self->store;
}

void
dg_store_reader_refresh (DgStoreReader *self)
{
  g_return_if_fail (DG_IS_STORE_READER (self));

  if (self->store == NULL)
    return;
  if (self->loading)
    {
      self->again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  start (self);
}

gboolean
dg_store_reader_get_loading (DgStoreReader *self)
{
  g_return_val_if_fail (DG_IS_STORE_READER (self), FALSE);
  return self->loading;
}
