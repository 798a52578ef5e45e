/* Opening the store, the statement cache, transactions, and the audit + outbox record
 * every state change appends. */
#include "kiosk/store/schema.h"
#include "kiosk/store/store_int.h"
#include "kiosk/store/walvfs.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int st_err(struct kiosk_store *st, int rc, const char *where)
{
	int ext = st->db ? sqlite3_extended_errcode(st->db) : rc;
	int err = KIOSK_EDB;
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		err = KIOSK_EEXIST;
	else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		err = KIOSK_ENOENT;
	else if (ext == SQLITE_CONSTRAINT_CHECK || ext == SQLITE_CONSTRAINT_NOTNULL)
		err = KIOSK_EINVAL;
	else if ((rc & 0xFF) == SQLITE_NOMEM)
		err = KIOSK_ENOMEM;
	else if ((rc & 0xFF) == SQLITE_CORRUPT || (rc & 0xFF) == SQLITE_NOTADB)
		err = KIOSK_ECORRUPT;
	/* The disk and the permissions say what they are, so the operator is not sent
	 * looking for damage that is not there. */
	else if ((rc & 0xFF) == SQLITE_FULL)
		err = KIOSK_EDISKFULL;
	else if ((rc & 0xFF) == SQLITE_READONLY || (rc & 0xFF) == SQLITE_PERM ||
		 (rc & 0xFF) == SQLITE_AUTH)
		err = KIOSK_EPERM;
	else if ((rc & 0xFF) == SQLITE_IOERR || (rc & 0xFF) == SQLITE_CANTOPEN) {
		int e = st->db ? sqlite3_system_errno(st->db) : 0;
		err = e == ENOSPC || e == EDQUOT			? KIOSK_EDISKFULL
		      : e == EACCES || e == EPERM || e == EROFS ? KIOSK_EPERM
								: KIOSK_EDB;
	}
	if (err == KIOSK_EDISKFULL)
		st->disk_full_seen = true;
	/* Constraint refusals are expected answers (duplicate tracking number): debug. */
	enum kiosk_log_level lvl = (rc & 0xFF) == SQLITE_CONSTRAINT ? KIOSK_LOG_DEBUG
								    : KIOSK_LOG_ERROR;
	kiosk_log(lvl, "store", "event=sqlite_error where=\"%.60s\" rc=%d err=\"%s\"", where, ext,
		  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	return err;
}

static sqlite3_stmt *prepare(struct kiosk_store *st, const char *sql)
{
	for (int i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		st_err(st, rc, sql);
		return NULL;
	}
	if (st->ncache < STMT_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = s;
		st->ncache++;
	} else {
		KLOG_ERROR("store", "event=stmt_cache_full");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

static sqlite3_stmt *vbind(struct kiosk_store *st, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *s = prepare(st, sql);
	if (!s)
		return NULL;
	int rc = SQLITE_OK;
	for (int i = 1; fmt && *fmt && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 't': {
			const char *t = va_arg(ap, const char *);
			rc = t ? sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s, i);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(s, i, va_arg(ap, int));
			break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v < 0 ? sqlite3_bind_null(s, i) : sqlite3_bind_int64(s, i, v);
			break;
		}
		case 'b': {
			const void *b = va_arg(ap, const void *);
			int n = va_arg(ap, int);
			rc = sqlite3_bind_blob(s, i, b, n, SQLITE_TRANSIENT);
			break;
		}
		default:
			rc = SQLITE_MISUSE;
		}
	}
	if (rc != SQLITE_OK) {
		st_err(st, rc, sql);
		return NULL;
	}
	return s;
}

sqlite3_stmt *st_q(struct kiosk_store *st, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *s = vbind(st, sql, fmt, ap);
	va_end(ap);
	return s;
}

int st_step(struct kiosk_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return st_err(st, rc, sqlite3_sql(s));
}

int st_do(struct kiosk_store *st, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *s = vbind(st, sql, fmt, ap);
	va_end(ap);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while ((rc = st_step(st, s)) == 1)
		;
	sqlite3_reset(s);
	return rc;
}

int st_changes(struct kiosk_store *st)
{
	return sqlite3_changes(st->db);
}

int st_one_text(struct kiosk_store *st, sqlite3_stmt *s, char *dst, size_t cap)
{
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, dst, cap);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

void st_col_text(sqlite3_stmt *s, int i, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE, an inner one a savepoint, so one
 * page of the platform's changes made of several upserts (each its own transaction when
 * alone) commits or rolls back as a whole. */
int st_begin(struct kiosk_store *st)
{
	if (st->tx_depth > 0) {
		int rc = st_do(st, "SAVEPOINT nested", NULL);
		if (rc == KIOSK_OK)
			st->tx_depth++;
		return rc;
	}
	st->alloc_failures = kiosk_alloc_failures();
	int rc = st_do(st, "BEGIN IMMEDIATE", NULL);
	if (rc == KIOSK_OK)
		st->tx_depth = 1;
	return rc;
}

bool st_relax(struct kiosk_store *st)
{
	if (st->tx_depth || st->sync_normal)
		return false;
	return st_do(st, "PRAGMA synchronous = NORMAL", NULL) == KIOSK_OK;
}

void st_unrelax(struct kiosk_store *st, bool relaxed)
{
	if (relaxed && st_do(st, "PRAGMA synchronous = FULL", NULL) != KIOSK_OK)
		KLOG_ERROR("store", "event=synchronous_not_restored");
}

int st_commit(struct kiosk_store *st)
{
	if (st->tx_depth > 1) {
		int rc = st_do(st, "RELEASE nested", NULL);
		if (rc)
			st_rollback(st);
		else
			st->tx_depth--;
		return rc;
	}
	int rc = st_do(st, "COMMIT", NULL);
	if (rc)
		st_rollback(st);
	st->tx_depth = 0;
	return rc;
}

int kiosk_store_bulk_begin(struct kiosk_store *st)
{
	return st->tx_depth ? KIOSK_ESTATE : st_begin(st);
}

int kiosk_store_bulk_end(struct kiosk_store *st)
{
	return st->tx_depth == 1 ? st_commit(st) : KIOSK_ESTATE;
}

void st_rollback(struct kiosk_store *st)
{
	if (st->tx_depth > 1) {
		st_do(st, "ROLLBACK TO nested", NULL);
		st_do(st, "RELEASE nested", NULL);
		st->tx_depth--;
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		st_do(st, "ROLLBACK", NULL);
	st->tx_depth = 0;
}

int st_valid_id(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) >= max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return 0;
	return 1;
}

int st_count(struct kiosk_store *st, const char *sql, const char *arg, int64_t *out)
{
	sqlite3_stmt *s = arg ? st_q(st, sql, "t", arg) : st_q(st, sql, NULL);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	*out = rc == 1 ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

int st_record(struct kiosk_store *st, const char *actor, const char *action,
	      const char *subject, const cJSON *detail, const char *event_type,
	      const cJSON *data)
{
	int rc = KIOSK_OK;
	int64_t now = st->now(), seq = -1;
	/* An allocation failed while the caller built detail/data: they may miss fields. */
	if (kiosk_alloc_failures() != st->alloc_failures)
		return KIOSK_ENOMEM;
	char *dtext = detail ? cJSON_PrintUnformatted(detail) : NULL;
	char *etext = NULL;
	if (detail && !dtext)
		return KIOSK_ENOMEM;
	if (event_type) {
		char uuid[37];
		etext = data ? cJSON_PrintUnformatted(data) : NULL;
		if (data && !etext) {
			rc = KIOSK_ENOMEM;
			goto out_free;
		}
		rc = kiosk_uuid(uuid);
		if (rc)
			goto out_free;
		/* The counter lives in meta so the sequence stays gap-free even after events
		 * move to the dead-letter table. */
		rc = st_do(st, "UPDATE meta SET value = value + 1 WHERE key = 'outbox_seq'", NULL);
		if (rc)
			goto out_free;
		rc = st_count(st, "SELECT value FROM meta WHERE key = 'outbox_seq'", NULL, &seq);
		if (rc)
			goto out_free;
		rc = st_do(st, "INSERT INTO outbox(seq, id, type, at_ms, data) VALUES(?,?,?,?,?)",
			   "ittit", seq, uuid, event_type, now, etext ? etext : "{}");
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE meta SET value = value + 1 WHERE key = 'outbox_unsent'",
				   NULL);
		if (rc)
			goto out_free;
	}
	uint8_t prev[32] = {0}, hash[32];
	int64_t n = 1;
	sqlite3_stmt *s = st_q(st, "SELECT n, hash FROM audit WHERE n = (SELECT max(n) FROM audit)", NULL);
	if (!s) {
		rc = KIOSK_EDB;
		goto out_free;
	}
	rc = st_step(st, s);
	if (rc == 1) {
		n = sqlite3_column_int64(s, 0) + 1;
		if (sqlite3_column_bytes(s, 1) == 32)
			memcpy(prev, sqlite3_column_blob(s, 1), 32);
	}
	sqlite3_reset(s);
	if (rc < 0)
		goto out_free;
	const char *dt = dtext ? dtext : "{}";
	st_audit_hash(prev, n, now, actor, action, subject, dt, seq, hash);
	rc = st_do(st,
		   "INSERT INTO audit(n, at_ms, actor, action, subject, detail, event_seq, prev,"
		   " hash) VALUES(?,?,?,?,?,?,?,?,?)",
		   "iittttIbb", n, now, actor, action, subject, dt, seq, prev, 32, hash, 32);
out_free:
	cJSON_free(dtext);
	cJSON_free(etext);
	if (rc == KIOSK_OK && kiosk_alloc_failures() != st->alloc_failures)
		rc = KIOSK_ENOMEM;
	return rc;
}

static int pragma_int(struct kiosk_store *st, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_err(st, rc, sql);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	int r = rc == SQLITE_ROW || rc == SQLITE_DONE ? KIOSK_OK : st_err(st, rc, sql);
	sqlite3_finalize(s);
	return r;
}

static int exec(struct kiosk_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? KIOSK_OK : st_err(st, rc, sql);
}

/* Refuses foreign and newer files. */
static int check_version(struct kiosk_store *st, const char *path)
{
	int ver, app, rc, tables;
	if ((rc = pragma_int(st, "PRAGMA user_version", &ver)) ||
	    (rc = pragma_int(st, "PRAGMA application_id", &app)) ||
	    (rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &tables)))
		return rc;
	if (app != KIOSK_APP_ID && (app != 0 || tables != 0)) {
		KLOG_ERROR("store", "event=foreign_database file=%s application_id=%d", path, app);
		return KIOSK_EVERSION;
	}
	if (ver > kiosk_store_nmigrations) {
		KLOG_ERROR("store", "event=newer_schema file=%s version=%d supported=%d", path, ver,
			   kiosk_store_nmigrations);
		return KIOSK_EVERSION;
	}
	if (ver == 0 && tables == 0 && !sqlite3_db_readonly(st->db, "main"))
		return KIOSK_OK;
	return ver == 0 ? KIOSK_EVERSION : KIOSK_OK;
}

/* Applies migrations one transaction each, after check_version. */
static int migrate(struct kiosk_store *st, const char *path)
{
	int ver, rc = check_version(st, path);
	if (rc)
		return rc;
	if ((rc = pragma_int(st, "PRAGMA user_version", &ver)))
		return rc;
	for (int v = ver; v < kiosk_store_nmigrations; v++) {
		char bump[96];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
			 v + 1, KIOSK_APP_ID);
		if ((rc = exec(st, "BEGIN IMMEDIATE")))
			return rc;
		for (const char *const *sql = kiosk_store_migrations[v]; *sql && !rc; sql++)
			rc = exec(st, *sql);
		if (rc || (rc = exec(st, bump))) {
			exec(st, "ROLLBACK");
			return rc;
		}
		if ((rc = exec(st, "COMMIT")))
			return rc;
		KLOG_INFO("store", "event=migrated file=%s to=%d", path, v + 1);
	}
	return KIOSK_OK;
}

/* Before SQLite sees the path: a file we could not write is refused now with what is
 * wrong, a new one is made private. SQLite's -wal and -shm copy the file's mode. */
static int prepare_file(struct kiosk_store *st, const char *path)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		st->created = fd >= 0;
	}
	if (fd < 0 && errno == EISDIR) {
		KLOG_ERROR("store", "event=not_a_file file=%s", path);
		return KIOSK_EINVAL;
	}
	if (fd < 0) {
		int e = errno;
		KLOG_ERROR("store", "event=cannot_write file=%s errno=%d reason=\"%s\"", path, e,
			   kiosk_strerror(kiosk_err_from_errno(e)));
		return kiosk_err_from_errno(e);
	}
	struct stat sb;
	int rc = KIOSK_OK;
	if (fstat(fd, &sb) == 0 && sb.st_size == 0 && !st->created)
		st->created = true; /* an empty file is a new store to SQLite too */
	/* The WAL and the SHM are made next to the file: the folder must take them. */
	if (access(dir, W_OK) != 0) {
		int e = errno;
		KLOG_ERROR("store", "event=cannot_write file=%s folder=%s errno=%d", path, dir, e);
		rc = kiosk_err_from_errno(e);
	}
	if (rc == KIOSK_OK && st->created && fchmod(fd, 0600) != 0)
		rc = kiosk_err_from_errno(errno);
	close(fd);
	return rc;
}

bool kiosk_store_created(const struct kiosk_store *st)
{
	return st->created;
}

int kiosk_store_mark_demo(struct kiosk_store *st)
{
	return st_do(st, "INSERT OR REPLACE INTO meta VALUES('demo', 1)", NULL);
}

bool kiosk_store_disk_full_seen(struct kiosk_store *st)
{
	bool seen = st->disk_full_seen;
	st->disk_full_seen = false;
	return seen;
}

int kiosk_store_probe_write(struct kiosk_store *st)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st, "UPDATE meta SET value = value WHERE key = 'outbox_seq'", NULL);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_store_is_demo(struct kiosk_store *st, bool *demo)
{
	int64_t v = 0;
	int rc = st_count(st, "SELECT coalesce(max(value), 0) FROM meta WHERE key = 'demo'", NULL,
			  &v);
	*demo = v != 0;
	return rc;
}

/* An existing store of ours made before files were created private. */
static void tighten_mode(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[520];
		struct stat sb;
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		if (stat(p, &sb) == 0 && (sb.st_mode & 077) && sb.st_uid == geteuid())
			chmod(p, sb.st_mode & 0700);
	}
}

int kiosk_store_open(const struct kiosk_store_opts *o, struct kiosk_store **out)
{
	*out = NULL;
	if (!o || !o->path || !*o->path || (!o->device_key && !o->readonly && !o->bulk) ||
	    (o->readonly && o->bulk))
		return KIOSK_EINVAL;
	kiosk_store_global_init();
	struct kiosk_store *st = kiosk_calloc(1, sizeof *st);
	if (!st)
		return KIOSK_ENOMEM;
	if (o->device_key)
		memcpy(st->key, o->device_key, KIOSK_DEVKEY_LEN);
	st->fee = o->fee.block_h ? o->fee : (struct kiosk_fee_rule){18, 12, 50, 300};
	st->keep_days = o->parcel_keep_days > 0 ? o->parcel_keep_days : 3;
	st->now = o->now_ms ? o->now_ms : kiosk_now_ms;
	st->prove = o->prove_dispense;
	st->prove_arg = o->prove_arg;
	/* (a path too long to keep is opened all the same; only the page check, which opens
	 * it again by name, is not run for it) */
	if (strlen(o->path) < sizeof st->path)
		memcpy(st->path, o->path, strlen(o->path) + 1);
	pthread_mutex_init(&st->verify_mu, NULL);
	pthread_mutex_init(&st->archiver_mu, NULL);
	st->retention_days = o->retention_days;

	int rc = KIOSK_OK;
	if (!o->readonly && !o->bulk && !o->vfs && (rc = prepare_file(st, o->path)))
		goto out_close;
	int flags = o->readonly ? SQLITE_OPEN_READONLY
		    : o->bulk   ? SQLITE_OPEN_READWRITE
				: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* the store's own VFS unless a test brings one (walvfs.h: a commit's WAL frames in
	 * one write) */
	rc = sqlite3_open_v2(o->path, &st->db, flags | SQLITE_OPEN_NOMUTEX,
			     o->vfs ? o->vfs : sqlite3_vfs_find(WALVFS_NAME) ? WALVFS_NAME : NULL);
	if (rc != SQLITE_OK) {
		rc = st_err(st, rc, "open");
		goto out_close;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	/* Reading the schema first: a non-SQLite or truncated file fails here, clearly. The
	 * full page check is not run on every open (verify.c). */
	int ok = 0;
	rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &ok);
	if (rc) {
		KLOG_ERROR("store", "event=unreadable_database file=%s", o->path);
		rc = rc == KIOSK_EDB ? KIOSK_ECORRUPT : rc;
		goto out_close;
	}
	/* Whose file is it? Asked before anything writes (journal_mode=WAL does). */
	rc = check_version(st, o->path);
	if (rc)
		goto out_close;
	if (o->readonly) {
		*out = st;
		return KIOSK_OK;
	}
	st->sync_normal = o->synchronous_normal;
	rc = exec(st, o->synchronous_normal ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
					       " PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
					    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
					      " PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
	if (rc)
		goto out_close;
	if (!o->synchronous_normal)
		(void)walvfs_gather(st->db, true); /* every commit synced: its frames in one write */
	if (o->bulk) {
		int ver = 0;
		rc = pragma_int(st, "PRAGMA user_version", &ver);
		if (rc == KIOSK_OK && ver != kiosk_store_nmigrations)
			rc = KIOSK_ESTATE; /* the kiosk's own connection migrates, first */
		if (rc)
			goto out_close;
		*out = st;
		return KIOSK_OK;
	}
	rc = migrate(st, o->path);
	if (rc)
		goto out_close;
	if (!o->vfs)
		tighten_mode(o->path);
	rc = st_recover(st);
	if (rc)
		goto out_close;
	/* Marked open until closed: found open at the next start, the last run died. */
	int64_t was_open = 0;
	rc = st_count(st, "SELECT coalesce(max(value), 0) FROM meta WHERE key = 'open'", NULL,
		      &was_open);
	if (rc == KIOSK_OK)
		rc = st_do(st, "INSERT INTO meta VALUES('open', 1) ON CONFLICT(key) DO UPDATE SET"
			       " value = 1", NULL);
	if (rc)
		goto out_close;
	st->rw = true;
	st->unclean = was_open != 0;
	if (st->unclean && !o->vfs && st->path[0])
		st_verify_start(st); /* a fault-injecting VFS's file is the test's to check */
	if (!o->vfs && st->path[0]) /* archives (with a retention) and scrubs the WAL */
		st_archiver_start(st);
	*out = st;
	return KIOSK_OK;

out_close:
	kiosk_store_close(st);
	return rc;
}

void kiosk_store_close(struct kiosk_store *st)
{
	if (!st)
		return;
	st_verify_join(st);
	st_archiver_stop(st);
	if (st->rw && st->tx_depth == 0 &&
	    st_do(st, "UPDATE meta SET value = 0 WHERE key = 'open'", NULL) != KIOSK_OK)
		KLOG_WARN("store", "event=close_not_marked");
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	kiosk_cleanse(st->key, sizeof st->key);
	pthread_mutex_destroy(&st->verify_mu);
	pthread_mutex_destroy(&st->archiver_mu);
	kiosk_free(st);
}

bool kiosk_store_unclean(const struct kiosk_store *st)
{
	return st->unclean;
}

int kiosk_store_open_intents(struct kiosk_store *st, int64_t *n)
{
	return st_count(st,
			"SELECT (SELECT count(*) FROM vend_order WHERE state IN"
			" ('created', 'paid', 'dispensing') AND uncertain = 0) + (SELECT count(*)"
			" FROM door_op"
			" WHERE state = 'opening')",
			NULL, n);
}

void kiosk_store_last_recovery(const struct kiosk_store *st, struct kiosk_recovery *out)
{
	*out = st->rec;
}

struct sqlite3 *kiosk_store_db(struct kiosk_store *st)
{
	return st->db;
}

int kiosk_store_plans(struct kiosk_store *st,
		      int (*fn)(void *arg, const char *sql, const char *plan), void *arg)
{
	for (int i = 0; i < st->ncache; i++) {
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", st->cache[i].sql);
		sqlite3_stmt *s = NULL;
		int rc = q ? sqlite3_prepare_v2(st->db, q, -1, &s, NULL) : SQLITE_NOMEM;
		sqlite3_free(q);
		if (rc != SQLITE_OK)
			return st_err(st, rc, st->cache[i].sql);
		char plan[2048] = "";
		size_t n = 0;
		while (sqlite3_step(s) == SQLITE_ROW && n < sizeof plan - 1) {
			const char *d = (const char *)sqlite3_column_text(s, 3);
			int w = snprintf(plan + n, sizeof plan - n, "%s\n", d ? d : "");
			n += w > 0 ? (size_t)w : 0;
			if (n >= sizeof plan)
				n = sizeof plan - 1;
		}
		sqlite3_finalize(s);
		if (fn(arg, st->cache[i].sql, plan))
			break;
	}
	return KIOSK_OK;
}
