/* dg-fault-vfs.h: a SQLite VFS that fails writes on demand, for the server's fault tests.
 *
 * It wraps the default VFS (unix) and becomes the default itself, so every database the process
 * opens afterwards, the store's included, goes through it; until a fault is set it only passes
 * calls on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DG_FAULT_NONE,
  DG_FAULT_FULL,      /* xWrite answers SQLITE_FULL: the disk is full */
  DG_FAULT_IOERR,     /* xWrite and xSync answer SQLITE_IOERR_WRITE / _FSYNC */
} DgFault;

/* Registers the VFS as the default; call before opening any database. */
void   dg_fault_vfs_install      (void);
/* From now on, the writes after the next @after_writes fail with @fault (NONE: none fail). */
void   dg_fault_vfs_set          (DgFault fault,
                                  guint   after_writes);
/* How many calls failed since the last dg_fault_vfs_set(). */
guint  dg_fault_vfs_get_n_failed (void);

G_END_DECLS
