/* A SQLite VFS shim over the default one that fails the Nth write or fsync, or runs out of
 * room as a full disk does. */
#ifndef KIOSK_TEST_FAULTVFS_H
#define KIOSK_TEST_FAULTVFS_H

/* Registers the VFS as "faulty" (idempotent). */
void faultvfs_register(void);
/* The nth write-or-sync from now fails (0 = off). */
void faultvfs_fail_at(int nth);
/* Writes and syncs seen since the last faultvfs_fail_at(); and whether the failure fired
 * and on which kind of call ('w' write, 's' sync, 0 none). */
int faultvfs_ops(void);
/* Syncs (fsync) of any file since start: what waited for the disk's flush. */
int faultvfs_syncs(void);
/* The process SIGKILLs itself at the nth write-or-sync from now (0 = off): a crash at a
 * point a seed names exactly, so a crash test replays. */
void faultvfs_kill_at(int nth);
/* While on, every write fails with SQLITE_FULL, as on a full disk. */
void faultvfs_disk_full(int on);
int faultvfs_fired(void);
/* A disk with this many bytes left (-1: unlimited, the default): a write or truncate that
 * grows a file past what is left fails with SQLITE_FULL, as the file system says ENOSPC;
 * writes inside a file's size, shrinking and deleting (xDelete) give room back. Files
 * written outside this VFS are not counted. */
void faultvfs_room(long long bytes);
long long faultvfs_room_left(void);

#endif
