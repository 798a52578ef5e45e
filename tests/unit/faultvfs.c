#include "faultvfs.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

struct ffile {
	sqlite3_file base;
	sqlite3_file *real; /* lives right after this struct */
};

static sqlite3_vfs vfs, *orig;
static int fail_at, ops, fired, full, kill_at, kill_ops;
static _Atomic int syncs;
/* A disk with this much room left (-1: unlimited), under mu: the store's threads write. */
static long long room = -1;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Growing a file by d bytes takes them from the room; false when it has not got them. */
static int take_room(sqlite3_file *real, sqlite3_int64 end)
{
	sqlite3_int64 size = 0;
	if (real->pMethods->xFileSize(real, &size) != SQLITE_OK || end <= size)
		return 1;
	pthread_mutex_lock(&mu);
	int ok = room < 0 || end - size <= room;
	if (ok && room >= 0)
		room -= end - size;
	pthread_mutex_unlock(&mu);
	return ok;
}

static void give_room(long long n)
{
	pthread_mutex_lock(&mu);
	if (room >= 0 && n > 0)
		room += n;
	pthread_mutex_unlock(&mu);
}

#define REAL(f) (((struct ffile *)(f))->real)

static int hit(int kind)
{
	if (kill_at && ++kill_ops == kill_at)
		raise(SIGKILL);
	if (fail_at && ++ops == fail_at) {
		fired = kind;
		return 1;
	}
	return 0;
}

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	if (full)
		return SQLITE_FULL;
	if (hit('w'))
		return SQLITE_IOERR_WRITE;
	if (!take_room(REAL(f), o + n))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n)
{
	sqlite3_int64 size = 0;
	if (REAL(f)->pMethods->xFileSize(REAL(f), &size) == SQLITE_OK && n < size)
		give_room(size - n);
	else if (!take_room(REAL(f), n))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int f_sync(sqlite3_file *f, int flags)
{
	syncs++;
	if (hit('s'))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *r)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int f_fcntl(sqlite3_file *f, int op, void *a)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
	*pp = NULL; /* no memory-mapped reads: every access goes through the counted path */
	(void)f;
	(void)o;
	(void)n;
	return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
	(void)f;
	(void)o;
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods methods = {
	3,        f_close,   f_read,     f_write,   f_truncate, f_sync,      f_size,
	f_lock,   f_unlock,  f_reserved, f_fcntl,   f_sector,   f_devchar,   f_shmmap,
	f_shmlock, f_shmbarrier, f_shmunmap, f_fetch, f_unfetch,
};

static int f_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)v;
	struct ffile *ff = (struct ffile *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	int rc = orig->xOpen(orig, name, ff->real, flags, out);
	ff->base.pMethods = rc == SQLITE_OK && ff->real->pMethods ? &methods : NULL;
	return rc;
}

static int f_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	(void)v;
	struct stat st;
	long long had = stat(name, &st) == 0 ? (long long)st.st_size : 0;
	int rc = orig->xDelete(orig, name, sync_dir);
	if (rc == SQLITE_OK)
		give_room(had);
	return rc;
}

void faultvfs_register(void)
{
	if (orig)
		return;
	orig = sqlite3_vfs_find(NULL);
	vfs = *orig;
	vfs.zName = "faulty";
	vfs.szOsFile = (int)sizeof(struct ffile) + orig->szOsFile;
	vfs.xOpen = f_open;
	vfs.xDelete = f_delete;
	sqlite3_vfs_register(&vfs, 0);
}

void faultvfs_fail_at(int nth)
{
	fail_at = nth;
	ops = 0;
	fired = 0;
}

int faultvfs_syncs(void)
{
	return syncs;
}

int faultvfs_ops(void)
{
	return ops;
}

int faultvfs_fired(void)
{
	return fired;
}

void faultvfs_disk_full(int on)
{
	full = on;
}

void faultvfs_room(long long bytes)
{
	pthread_mutex_lock(&mu);
	room = bytes;
	pthread_mutex_unlock(&mu);
}

long long faultvfs_room_left(void)
{
	pthread_mutex_lock(&mu);
	long long r = room;
	pthread_mutex_unlock(&mu);
	return r;
}

void faultvfs_kill_at(int nth)
{
	kill_at = nth;
	kill_ops = 0;
}
