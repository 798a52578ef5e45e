/* The store's reserve: a file of zeros kept beside the store (<store>-reserve), given back
 * to the file system when the disk fills so that pickups go on, and kept again when space
 * returns. Written and deleted through the store's own VFS (its writes are counted and
 * failed as the store's are in the tests' full disk). */
#include "kiosk/store/store_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define CHUNK 65536

static sqlite3_vfs *vfs_of(struct kiosk_store *st)
{
	sqlite3_vfs *v = NULL;
	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_VFS_POINTER, &v) != SQLITE_OK)
		v = NULL;
	return v ? v : sqlite3_vfs_find(NULL);
}

static void reserve_path(const struct kiosk_store *st, char *out, size_t cap)
{
	/* "-reserve", as SQLite's "-wal": the VFS gives it the store's mode (0600) */
	snprintf(out, cap, "%s-reserve", st->path);
}

int kiosk_store_reserve_keep(struct kiosk_store *st)
{
	char path[sizeof st->path + 16];
	reserve_path(st, path, sizeof path);
	sqlite3_vfs *v = vfs_of(st);
	sqlite3_file *f = kiosk_calloc(1, (size_t)v->szOsFile);
	static const char zeros[CHUNK];
	if (!f)
		return KIOSK_ENOMEM;
	int out = 0, rc = v->xOpen(v, path, f,
				   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					   SQLITE_OPEN_MAIN_JOURNAL,
				   &out);
	if (rc != SQLITE_OK) {
		kiosk_free(f);
		return KIOSK_EIO;
	}
	sqlite3_int64 have = 0;
	rc = f->pMethods->xFileSize(f, &have);
	bool wrote = false;
	for (sqlite3_int64 at = have - have % CHUNK; rc == SQLITE_OK && at < KIOSK_STORE_RESERVE;
	     at += CHUNK) {
		rc = f->pMethods->xWrite(f, zeros, CHUNK, at);
		wrote = true;
	}
	/* on the disk, not only promised: a delayed allocation could still say ENOSPC later */
	if (rc == SQLITE_OK && wrote)
		rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
	f->pMethods->xClose(f);
	kiosk_free(f);
	if (rc != SQLITE_OK) {
		/* not half a reserve: what was written goes back to the disk at once */
		v->xDelete(v, path, 0);
		return (rc & 0xFF) == SQLITE_FULL ? KIOSK_EDISKFULL : KIOSK_EIO;
	}
	if (wrote)
		KLOG_INFO("store", "event=disk_reserve_kept bytes=%d", KIOSK_STORE_RESERVE);
	atomic_store(&st->on_reserve, false);
	return KIOSK_OK;
}

long kiosk_store_reserve_release(struct kiosk_store *st)
{
	char path[sizeof st->path + 16];
	reserve_path(st, path, sizeof path);
	sqlite3_vfs *v = vfs_of(st);
	atomic_store(&st->on_reserve, true); /* from now on, no new parcel takes its room */
	sqlite3_file *f = kiosk_calloc(1, (size_t)v->szOsFile);
	sqlite3_int64 had = 0;
	int out = 0;
	if (f && v->xOpen(v, path, f, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MAIN_JOURNAL, &out) ==
			 SQLITE_OK) {
		f->pMethods->xFileSize(f, &had);
		f->pMethods->xClose(f);
	}
	kiosk_free(f);
	if (had > 0 && v->xDelete(v, path, 0) != SQLITE_OK)
		had = 0;
	KLOG_WARN("store", "event=disk_reserve_released bytes=%lld", (long long)had);
	return (long)had;
}

bool kiosk_store_on_reserve(struct kiosk_store *st)
{
	return atomic_load(&st->on_reserve);
}
