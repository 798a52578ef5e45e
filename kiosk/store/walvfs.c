#include "kiosk/store/walvfs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A commit of up to 30 pages in one write. Below 128 KiB: SQLite's unix VFS writes at
 * most 0x1FFFF bytes a call (seekAndWriteFd masks the count), and a larger one came back
 * as a short write, "disk full". */
#define GATHER (124 * 1024)
#define FCNTL_GATHER 0x4B57 /* a file control of ours on the main file: gather, or not */

struct wfile {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
	sqlite3_vfs *under;
	bool wal;
	bool gather;        /* main file: its WAL gathers (the store asked) ... */
	bool synced;        /* ... and takes effect while PRAGMA synchronous is FULL or EXTRA */
	struct wfile *main; /* WAL: its database's main file, when opened here */
	struct wfile *walf; /* main file: its WAL, while open here */
	unsigned char *buf; /* WAL: len bytes gathered, for the file at offset at */
	size_t len;
	sqlite3_int64 at;
};

static sqlite3_vfs vfs;
static const sqlite3_io_methods methods;
static atomic_ulong n_writes, n_flushes;

#define W(f) ((struct wfile *)(f))
#define REAL(f) (W(f)->real)

static int flush(struct wfile *w)
{
	if (!w->len)
		return SQLITE_OK;
	int rc = w->real->pMethods->xWrite(w->real, w->buf, (int)w->len, w->at);
	atomic_fetch_add(&n_flushes, 1);
	w->len = 0;
	return rc;
}

static int x_close(sqlite3_file *f)
{
	struct wfile *w = W(f);
	if (w->main && w->main->walf == w)
		w->main->walf = NULL;
	if (w->walf)
		w->walf->main = NULL;
	int rc = flush(w);
	sqlite3_free(w->buf);
	w->buf = NULL;
	int rc2 = w->real->pMethods->xClose(w->real);
	return rc ? rc : rc2;
}

static int x_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	int rc = flush(W(f));
	return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}

static int x_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	struct wfile *w = W(f);
	if (!w->wal)
		return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
	atomic_fetch_add(&n_writes, 1);
	bool gather = w->main && w->main->gather && w->main->synced && n < GATHER;
	if (gather && !w->buf && !(w->buf = sqlite3_malloc(GATHER)))
		gather = false;
	/* the next bytes of what is gathered, with room: kept */
	if (gather && w->len && o == w->at + (sqlite3_int64)w->len && w->len + (size_t)n <= GATHER) {
		memcpy(w->buf + w->len, b, (size_t)n);
		w->len += (size_t)n;
		return SQLITE_OK;
	}
	int rc = flush(w);
	if (rc)
		return rc;
	if (!gather)
		return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
	memcpy(w->buf, b, (size_t)n);
	w->len = (size_t)n;
	w->at = o;
	return SQLITE_OK;
}

static int x_truncate(sqlite3_file *f, sqlite3_int64 n)
{
	int rc = flush(W(f));
	return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), n);
}

static int x_sync(sqlite3_file *f, int flags)
{
	int rc = flush(W(f));
	return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int x_size(sqlite3_file *f, sqlite3_int64 *n)
{
	int rc = flush(W(f));
	return rc ? rc : REAL(f)->pMethods->xFileSize(REAL(f), n);
}

static int x_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int x_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int x_reserved(sqlite3_file *f, int *r)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}

/* PRAGMA synchronous's new level, as SQLite reads it (an unknown word is NORMAL): does
 * every commit sync? */
static bool syncs_every_commit(const char *v)
{
	if (*v >= '0' && *v <= '9')
		return atoi(v) >= 2;
	static const char *const yes[] = {"full", "extra", "yes", "on", "true"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (sqlite3_stricmp(v, yes[i]) == 0)
			return true;
	return false;
}

static int x_fcntl(sqlite3_file *f, int op, void *a)
{
	if (op == FCNTL_GATHER) {
		W(f)->gather = *(int *)a != 0;
		return SQLITE_OK;
	}
	/* Every PRAGMA comes here first. The store sets synchronous=NORMAL for a transaction
	 * now and then (an ack): such a commit is published with no sync to write out what
	 * was gathered, so the WAL writes through until FULL is set again. */
	char **pragma = a;
	if (op == SQLITE_FCNTL_PRAGMA && pragma[2] && sqlite3_stricmp(pragma[1], "synchronous") == 0)
		W(f)->synced = syncs_every_commit(pragma[2]);
	return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}

static int x_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int x_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int x_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp);
}

/* Before a lock of the WAL index is let go, what was gathered goes to the file. A commit's
 * frames went at its sync already; these are the frames of a transaction that spilled
 * pages and then rolled back. Kept here past the write lock, they would be written later
 * over the frames of whichever connection wrote next — a corrupt store. */
static int x_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	if ((flags & SQLITE_SHM_UNLOCK) && W(f)->walf)
		(void)flush(W(f)->walf); /* a failure here lost only frames rolled back */
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

/* SQLite publishes a commit in the WAL index with a barrier between the index header's
 * two copies: frames still here then go first, so that no reader finds a frame the index
 * names missing from the file. At FULL the commit's sync sent them already; this is for
 * frames after the sync (SQLite pads a commit to a sector when the device does not
 * promise safe overwrites, and syncs within the padding). */
static void x_shmbarrier(sqlite3_file *f)
{
	if (W(f)->walf)
		(void)flush(W(f)->walf);
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int x_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int x_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
	int rc = flush(W(f));
	return rc ? rc : REAL(f)->pMethods->xFetch(REAL(f), o, n, pp);
}

static int x_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static const sqlite3_io_methods methods = {
	3,	  x_close,	x_read,	    x_write,  x_truncate, x_sync,    x_size,
	x_lock,	  x_unlock,	x_reserved, x_fcntl,  x_sector,	  x_devchar, x_shmmap,
	x_shmlock, x_shmbarrier, x_shmunmap, x_fetch, x_unfetch,
};

static sqlite3_vfs *first; /* the default when this was registered */

/* The default VFS now (never this one). */
static sqlite3_vfs *under(void)
{
	sqlite3_vfs *v = sqlite3_vfs_find(NULL);
	return v && v != &vfs ? v : first;
}

static int x_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
	(void)v;
	struct wfile *w = W(f);
	memset(w, 0, sizeof *w);
	sqlite3_vfs *u = under();
	if ((int)sizeof *w + u->szOsFile > vfs.szOsFile)
		return SQLITE_CANTOPEN; /* a default VFS larger than was room for at start */
	w->real = (sqlite3_file *)(w + 1);
	w->under = u;
	int rc = u->xOpen(u, name, w->real, flags, out);
	if (rc != SQLITE_OK || !w->real->pMethods) {
		w->base.pMethods = NULL;
		return rc;
	}
	w->base.pMethods = &methods;
	if (flags & SQLITE_OPEN_WAL) {
		w->wal = true;
		/* the connection's main file, through which the store says "gather" */
		sqlite3_file *db = name ? sqlite3_database_file_object(name) : NULL;
		w->main = db && db->pMethods == &methods ? W(db) : NULL;
		if (w->main)
			w->main->walf = w;
	}
	return SQLITE_OK;
}

/* The rest is the default VFS's, asked anew each time (a test may make another default). */
static int x_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	(void)v;
	return under()->xDelete(under(), name, sync_dir);
}

static int x_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return under()->xAccess(under(), name, flags, out);
}

static int x_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return under()->xFullPathname(under(), name, n, out);
}

static void *x_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return under()->xDlOpen(under(), name);
}

static void x_dlerror(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	under()->xDlError(under(), n, out);
}

static void (*x_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return under()->xDlSym(under(), h, sym);
}

static void x_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	under()->xDlClose(under(), h);
}

static int x_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return under()->xRandomness(under(), n, out);
}

static int x_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return under()->xSleep(under(), us);
}

static int x_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return under()->xCurrentTime(under(), out);
}

static int x_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return under()->xGetLastError ? under()->xGetLastError(under(), n, out) : 0;
}

static int x_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return under()->xCurrentTimeInt64(under(), out);
}

static void register_once(void)
{
	sqlite3_vfs *u = sqlite3_vfs_find(NULL);
	if (!u)
		return;
	first = u;
	vfs = (sqlite3_vfs){
		.iVersion = 2,
		/* room for the default's files and a test's shim over them */
		.szOsFile = (int)sizeof(struct wfile) + u->szOsFile + 256,
		.mxPathname = u->mxPathname,
		.zName = WALVFS_NAME,
		.xOpen = x_open,
		.xDelete = x_delete,
		.xAccess = x_access,
		.xFullPathname = x_fullpath,
		.xDlOpen = x_dlopen,
		.xDlError = x_dlerror,
		.xDlSym = x_dlsym,
		.xDlClose = x_dlclose,
		.xRandomness = x_random,
		.xSleep = x_sleep,
		.xCurrentTime = x_time,
		.xGetLastError = x_lasterr,
		.xCurrentTimeInt64 = x_time64,
	};
	sqlite3_vfs_register(&vfs, 0);
}

int walvfs_register(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, register_once);
	return vfs.zName ? SQLITE_OK : SQLITE_ERROR;
}

int walvfs_gather(sqlite3 *db, bool on)
{
	int v = on;
	return sqlite3_file_control(db, "main", FCNTL_GATHER, &v);
}

void walvfs_counts(unsigned long *writes, unsigned long *flushes)
{
	*writes = atomic_load(&n_writes);
	*flushes = atomic_load(&n_flushes);
}
