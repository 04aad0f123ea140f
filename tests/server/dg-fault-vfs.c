/* dg-fault-vfs.c: a SQLite VFS that fails writes on demand, for the server's fault tests.
 *
 * SQLite hands xOpen a block of the VFS's szOsFile bytes. This VFS asks for the wrapped VFS's
 * size plus one pointer, lets the wrapped xOpen fill the block as usual, keeps the file's real
 * methods in that trailing pointer and points the file at a copy of them whose xWrite and xSync
 * can fail. Every other method is the real one, called with the very file it made.
 */
#include "config.h"

#include <sqlite3.h>

#include "dg-fault-vfs.h"

typedef struct
{
  const sqlite3_io_methods *real;
  sqlite3_io_methods        wrapped;
} MethodsPair;

#define MAX_METHODS 16

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static gsize trailer_offset;

static GMutex pairs_lock;
static MethodsPair pairs[MAX_METHODS];
static guint n_pairs;

static gint fault_kind = DG_FAULT_NONE;
static gint writes_left;
static gint n_failed;

static const sqlite3_io_methods **
trailer (sqlite3_file *file)
{
  return (const sqlite3_io_methods **) (gpointer) ((char *) file + trailer_offset);
}

/* Whether this call fails, counting it against the writes still allowed. */
static DgFault
should_fail (void)
{
  DgFault kind = g_atomic_int_get (&fault_kind);

  if (kind == DG_FAULT_NONE)
    return DG_FAULT_NONE;
  if (g_atomic_int_add (&writes_left, -1) > 0)
    return DG_FAULT_NONE;

  g_atomic_int_inc (&n_failed);
  return kind;
}

static int
fault_write (sqlite3_file  *file,
             const void    *buffer,
             int            amount,
             sqlite3_int64  offset)
{
  switch (should_fail ())
    {
    case DG_FAULT_FULL:
      return SQLITE_FULL;
    case DG_FAULT_IOERR:
      return SQLITE_IOERR_WRITE;
    case DG_FAULT_NONE:
    default:
      return (*trailer (file))->xWrite (file, buffer, amount, offset);
    }
}

static int
fault_sync (sqlite3_file *file,
            int           flags)
{
  if (g_atomic_int_get (&fault_kind) == DG_FAULT_IOERR && should_fail () == DG_FAULT_IOERR)
    return SQLITE_IOERR_FSYNC;

  return (*trailer (file))->xSync (file, flags);
}

static const sqlite3_io_methods *
wrapped_methods (const sqlite3_io_methods *real)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&pairs_lock);

  for (guint i = 0; i < n_pairs; i++)
    if (pairs[i].real == real)
      return &pairs[i].wrapped;

  g_assert (n_pairs < MAX_METHODS);
  pairs[n_pairs].real = real;
  pairs[n_pairs].wrapped = *real;
  pairs[n_pairs].wrapped.xWrite = fault_write;
  pairs[n_pairs].wrapped.xSync = fault_sync;

  return &pairs[n_pairs++].wrapped;
}

static int
fault_open (sqlite3_vfs  *vfs,
            sqlite3_filename name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  int rc = real_vfs->xOpen (real_vfs, name, file, flags, out_flags);

  if (file->pMethods != NULL)
    {
      *trailer (file) = file->pMethods;
      file->pMethods = wrapped_methods (file->pMethods);
    }

  return rc;
}

void
dg_fault_vfs_install (void)
{
  g_assert (real_vfs == NULL);

  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);

  trailer_offset = ((gsize) real_vfs->szOsFile + sizeof (gpointer) - 1) &
                   ~(sizeof (gpointer) - 1);
  fault_vfs = *real_vfs;
  fault_vfs.pNext = NULL;
  fault_vfs.zName = "dg-fault";
  fault_vfs.szOsFile = (int) (trailer_offset + sizeof (gpointer));
  fault_vfs.xOpen = fault_open;

  g_assert_cmpint (sqlite3_vfs_register (&fault_vfs, 1), ==, SQLITE_OK);
}

void
dg_fault_vfs_set (DgFault fault,
                  guint   after_writes)
{
  g_atomic_int_set (&writes_left, (gint) after_writes);
  g_atomic_int_set (&n_failed, 0);
  g_atomic_int_set (&fault_kind, fault);
}

guint
dg_fault_vfs_get_n_failed (void)
{
  return (guint) g_atomic_int_get (&n_failed);
}
