/* The store's VFS: the one SQLite has as its default, with the frames a commit appends to
 * the WAL written in one system call instead of two per page. SQLite writes each WAL frame
 * as its 24-byte header and then its page; a pickup's commit is ~17 pages, so 34 writes,
 * each a trip into the kernel that cost more than the fsync's share on the kiosk's
 * machine. Here the frames of a commit gather in memory and go to the file, contiguous,
 * at the sync that makes the commit durable — before anyone can see the commit, since
 * SQLite publishes it in the WAL index only after that sync.
 *
 * Only while the connection syncs every commit (PRAGMA synchronous=FULL or EXTRA, seen as
 * it is set, and the store asked: walvfs_gather). Without the sync a commit is published
 * with no call into this file between, so a connection at NORMAL — also for one
 * transaction, as the store's acks are — writes through as SQLite would. Anything that
 * reads, sizes, truncates or closes the WAL, or writes elsewhere in it, first writes out
 * what was gathered; so do the WAL index's barrier (a commit being published) and the
 * letting go of its locks (a transaction that spilled and rolled back). A write error
 * comes back from that call (at the latest the commit's sync), as SQLite expects. */
#ifndef KIOSK_STORE_WALVFS_H
#define KIOSK_STORE_WALVFS_H

#include <sqlite3.h>
#include <stdbool.h>

#define WALVFS_NAME "kiosk-wal"

/* Registers the VFS (not as the default; idempotent, any thread). Its files open on the
 * default VFS of the moment they are opened (a test's faulty one, when it is default). */
int walvfs_register(void);
/* The WAL of db's main file gathers its frames from now on (on: true; while synchronous is
 * FULL or EXTRA), or writes through. */
int walvfs_gather(sqlite3 *db, bool on);
/* Writes into WAL files since start, and system writes they took (the bench's counts). */
void walvfs_counts(unsigned long *writes, unsigned long *flushes);

#endif
