/* A SQLite VFS shim over the default one that fails the Nth write or fsync. */
#ifndef KIOSK_TEST_FAULTVFS_H
#define KIOSK_TEST_FAULTVFS_H

/* Registers the VFS as "faulty" (idempotent). */
void faultvfs_register(void);
/* The nth write-or-sync from now fails (0 = off). */
void faultvfs_fail_at(int nth);
/* Writes and syncs seen since the last faultvfs_fail_at(); and whether the failure fired
 * and on which kind of call ('w' write, 's' sync, 0 none). */
int faultvfs_ops(void);
/* The process SIGKILLs itself at the nth write-or-sync from now (0 = off): a crash at a
 * point a seed names exactly, so a crash test replays. */
void faultvfs_kill_at(int nth);
/* While on, every write fails with SQLITE_FULL, as on a full disk. */
void faultvfs_disk_full(int on);
int faultvfs_fired(void);

#endif
