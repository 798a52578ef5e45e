/* A VFS that is the default one with xSync and xWrite counted: the file is the default
 * VFS's own (its methods copied once per kind, xSync and xWrite wrapped), so nothing else
 * changes. Under the store's own VFS (walvfs.h) it counts the writes that reach the
 * kernel. */
#include "sqlcount.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>

static sqlite3_vfs vfs, *real;
/* The default VFS gives a database, and its journal or WAL, different methods: each kind
 * gets a copy with xSync counted. */
#define KINDS 8
static sqlite3_io_methods copies[KINDS];
static const sqlite3_io_methods *reals[KINDS];
static int nkinds;
static atomic_ulong syncs, stmts, wal_pages, writes;
static int wal_last;

static int c_sync(sqlite3_file *f, int flags)
{
	atomic_fetch_add(&syncs, 1);
	for (int i = 0; i < nkinds; i++)
		if (f->pMethods == &copies[i])
			return reals[i]->xSync(f, flags);
	return SQLITE_IOERR_FSYNC;
}

static int c_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	atomic_fetch_add(&writes, 1);
	for (int i = 0; i < nkinds; i++)
		if (f->pMethods == &copies[i])
			return reals[i]->xWrite(f, b, n, o);
	return SQLITE_IOERR_WRITE;
}

static int c_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
	(void)v;
	int rc = real->xOpen(real, name, f, flags, out);
	if (rc != SQLITE_OK || !f->pMethods)
		return rc;
	/* (the bench opens its files from one thread) */
	int i = 0;
	while (i < nkinds && reals[i] != f->pMethods)
		i++;
	if (i == nkinds && nkinds < KINDS) {
		reals[i] = f->pMethods;
		copies[i] = *f->pMethods;
		copies[i].xSync = c_sync;
		copies[i].xWrite = c_write;
		nkinds++;
	}
	if (i < nkinds)
		f->pMethods = &copies[i];
	return rc;
}

int sqlcount_install(void)
{
	real = sqlite3_vfs_find(NULL);
	if (!real)
		return SQLITE_ERROR;
	vfs = *real;
	vfs.zName = "bench-count";
	vfs.xOpen = c_open;
	return sqlite3_vfs_register(&vfs, 1);
}

static int on_trace(unsigned type, void *arg, void *p, void *x)
{
	(void)type;
	(void)arg;
	(void)p;
	(void)x;
	atomic_fetch_add(&stmts, 1);
	return 0;
}

static int on_wal(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	atomic_fetch_add(&wal_pages, (unsigned long)(frames > wal_last ? frames - wal_last : frames));
	wal_last = frames;
	if (frames >= 1000) { /* what sqlite3_wal_autocheckpoint(db, 1000) does */
		sqlite3_wal_checkpoint(db, name);
		wal_last = 0;
	}
	return SQLITE_OK;
}

void sqlcount_trace(sqlite3 *db)
{
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_trace, NULL);
	wal_last = 0;
	sqlite3_wal_hook(db, on_wal, NULL);
}

struct sqlcount sqlcount_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (struct sqlcount){atomic_load(&syncs), atomic_load(&stmts),
				 (unsigned long)ru.ru_minflt + (unsigned long)ru.ru_majflt,
				 atomic_load(&wal_pages), atomic_load(&writes)};
}
