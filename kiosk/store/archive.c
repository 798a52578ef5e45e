/* History that does not weigh on the present. Finished parcels and orders, door
 * operations, acknowledged events and the oldest audit rows move, once older than the
 * retention, from the store to an archive file beside it, in small batches on
 * connections of their own (never the core's).
 *
 * A batch is two transactions, because SQLite commits a transaction over two WAL files
 * atomically only per file: the rows are first copied into the archive (INSERT OR
 * REPLACE by key: copying the same rows again is harmless), then deleted from the store
 * together with the counts the checks need (check.c). A kill between the two leaves the
 * rows in both; the next pass picks them again, copies them again and deletes them.
 * Only rows nothing changes any more are picked (finished, older than the retention), so
 * the copy is what gets deleted.
 *
 * Order matters, for the checks to hold over the store alone: the audit chain is verified
 * before its rows move (only verified rows move, the last row never does: st_record
 * chains to it); an order or parcel moves before its events (an event moves only once
 * nothing it names is here, and its audit row has left). */
#include "kiosk/store/store_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 'QHKA': the archive is ours too, and not a store. */
#define KIOSK_ARCHIVE_APP_ID 0x51484B41

int kiosk_store_archive_path(const char *store_path, char *out, size_t cap)
{
	size_t n = strlen(store_path);
	if (n > 3 && strcmp(store_path + n - 3, ".db") == 0)
		n -= 3;
	int w = snprintf(out, cap, "%.*s-archive.db", (int)n, store_path);
	return w > 0 && (size_t)w < cap ? KIOSK_OK : KIOSK_EINVAL;
}

struct arch {
	sqlite3 *db;
	char *msg;
	size_t msglen;
};

static int fail(struct arch *a, int rc, const char *where)
{
	snprintf(a->msg, a->msglen, "archive: %s: %s", where, sqlite3_errmsg(a->db));
	KLOG_ERROR("store", "event=archive_failed where=\"%s\" sqlite=%d detail=\"%s\"", where,
		   rc, sqlite3_errmsg(a->db));
	return (rc & 0xFF) == SQLITE_CORRUPT || (rc & 0xFF) == SQLITE_NOTADB ? KIOSK_ECORRUPT
									     : KIOSK_EDB;
}

static int exec(struct arch *a, const char *sql)
{
	int rc = sqlite3_exec(a->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? KIOSK_OK : fail(a, rc, sql);
}

/* Runs sql with ?1..?3 bound to the integers given; *changes (may be NULL) what it
 * changed, *first (may be NULL) the first row's first column. */
static int run(struct arch *a, const char *sql, int64_t p1, int64_t p2, int64_t p3,
	       int *changes, int64_t *first)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(a, rc, sql);
	int np = sqlite3_bind_parameter_count(s);
	const int64_t p[3] = {p1, p2, p3};
	for (int i = 0; i < np && i < 3; i++)
		sqlite3_bind_int64(s, i + 1, p[i]);
	if (first)
		*first = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (first) {
			*first = sqlite3_column_int64(s, 0);
			first = NULL;
		}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(a, rc, sql);
	if (changes)
		*changes = sqlite3_changes(a->db);
	return KIOSK_OK;
}

/* Ends the transaction: committed when everything in it went (rc KIOSK_OK), else
 * rolled back. */
static int end_tx(struct arch *a, int rc)
{
	if (rc == KIOSK_OK)
		rc = exec(a, "COMMIT");
	if (rc)
		sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ---- the archive's tables: the store's own columns (generated ones left out), keyed ---- */

struct table {
	const char *name, *key;
	const char *scrub; /* a column the archive keeps empty: a secret nothing needs later */
};
static const struct table tables[] = {
	{"parcel", "id", "code_hmac"}, {"door_op", "id", NULL}, {"payment", "order_id", NULL},
	{"vend_order", "id", NULL},    {"refund", "id", NULL},  {"outbox", "seq", NULL},
	{"audit", "n", NULL},
};

/* The store's columns of t as "a, b, c" (and with scrubbed ones as NULL in sel). */
static int columns(struct arch *a, const struct table *t, char *cols, char *sel, size_t cap)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA main.table_xinfo(%s)", t->name);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(a, rc, sql);
	size_t n = 0, m = 0;
	cols[0] = sel[0] = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_int(s, 6) != 0) /* hidden: generated */
			continue;
		const char *c = (const char *)sqlite3_column_text(s, 1);
		bool scrub = t->scrub && strcmp(c, t->scrub) == 0;
		n += (size_t)snprintf(cols + n, cap - n, "%s%s", n ? ", " : "", c);
		m += (size_t)snprintf(sel + m, cap - m, "%s%s", m ? ", " : "", scrub ? "NULL" : c);
		if (n >= cap || m >= cap) {
			sqlite3_finalize(s);
			return fail(a, SQLITE_TOOBIG, t->name);
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KIOSK_OK : fail(a, rc, sql);
}

/* Makes an archive table, and adds the columns a later schema gave the store's. */
static int archive_table(struct arch *a, const struct table *t)
{
	char cols[1024], sel[1024], sql[1200];
	int rc = columns(a, t, cols, sel, sizeof cols);
	if (rc)
		return rc;
	int w = snprintf(sql, sizeof sql,
			 "CREATE TABLE IF NOT EXISTS arch.%.32s(%.1024s, PRIMARY KEY(%.32s))",
			 t->name, cols, t->key);
	if (w < 0 || (size_t)w >= sizeof sql)
		return fail(a, SQLITE_TOOBIG, t->name);
	if ((rc = exec(a, sql)))
		return rc;
	snprintf(sql, sizeof sql,
		 "SELECT x.name FROM pragma_table_xinfo('%s', 'main') x WHERE x.hidden = 0"
		 " AND x.name NOT IN (SELECT name FROM pragma_table_info('%s', 'arch'))",
		 t->name, t->name);
	sqlite3_stmt *s = NULL;
	if ((rc = sqlite3_prepare_v2(a->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return fail(a, rc, sql);
	char add[64][48];
	int nadd = 0;
	while (sqlite3_step(s) == SQLITE_ROW && nadd < 64)
		snprintf(add[nadd++], sizeof add[0], "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	for (int k = 0; rc == KIOSK_OK && k < nadd; k++) {
		snprintf(sql, sizeof sql, "ALTER TABLE arch.%.32s ADD COLUMN %.47s", t->name,
			 add[k]);
		rc = exec(a, sql);
	}
	return rc;
}

/* All of them or none (the full check needs every one), in one transaction. */
static int archive_tables(struct arch *a)
{
	int rc = exec(a, "BEGIN");
	for (size_t i = 0; rc == KIOSK_OK && i < sizeof tables / sizeof tables[0]; i++)
		rc = archive_table(a, &tables[i]);
	/* for the full check's per-slot count */
	if (rc == KIOSK_OK)
		rc = exec(a, "CREATE INDEX IF NOT EXISTS arch.vend_order_slot ON vend_order(slot)");
	return end_tx(a, rc);
}

static int open_both(struct arch *a, const char *store_path, const char *vfs)
{
	char apath[600];
	int rc = kiosk_store_archive_path(store_path, apath, sizeof apath);
	if (rc) {
		snprintf(a->msg, a->msglen, "archive: the store's path is too long");
		return rc;
	}
	/* Made 0600 before SQLite sees it: it holds what the store holds. */
	int fd = open(apath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(a->msg, a->msglen, "archive: %s: cannot create", apath);
		return KIOSK_EPERM;
	}
	close(fd);
	rc = sqlite3_open_v2(store_path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			     vfs);
	if (rc != SQLITE_OK)
		return fail(a, rc, "open");
	sqlite3_extended_result_codes(a->db, 1);
	sqlite3_busy_timeout(a->db, 30000); /* it can wait: nobody stands at it */
	if ((rc = exec(a, "PRAGMA main.synchronous=FULL; PRAGMA foreign_keys=ON;"
			  " PRAGMA secure_delete=ON")))
		return rc;
	sqlite3_stmt *s = NULL;
	rc = sqlite3_prepare_v2(a->db, "ATTACH ? AS arch", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, apath, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(a, rc, "attach");
	int64_t app = 0, tables_n = 0;
	if ((rc = run(a, "PRAGMA arch.application_id", 0, 0, 0, NULL, &app)) ||
	    (rc = run(a, "SELECT count(*) FROM arch.sqlite_schema", 0, 0, 0, NULL, &tables_n)))
		return rc;
	if (app != KIOSK_ARCHIVE_APP_ID && (app != 0 || tables_n != 0)) {
		snprintf(a->msg, a->msglen, "archive: %s is not this kiosk's archive", apath);
		return KIOSK_EVERSION;
	}
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA arch.application_id = %d", KIOSK_ARCHIVE_APP_ID);
	if ((rc = exec(a, "PRAGMA arch.journal_mode=WAL; PRAGMA arch.synchronous=FULL")) ||
	    (rc = exec(a, sql)) || (rc = archive_tables(a)))
		return rc;
	return exec(a, "CREATE TEMP TABLE IF NOT EXISTS batch(k PRIMARY KEY)");
}

/* ---- the moves ---- */

struct part {
	const char *table, *via; /* rows of table whose via is a picked key */
};

/* A kind of history: how its keys are picked (?1 cutoff, ?2 batch, ?3 the last event
 * whose audit row left), its tables (children first: foreign keys), and what the store
 * counts in the delete's transaction. */
struct kind {
	const char *name;
	const char *pick;
	struct part parts[3];
	const char *count; /* may be NULL */
};

static const struct kind kinds[] = {
	{"parcels",
	 "INSERT INTO temp.batch SELECT id FROM main.parcel p WHERE NOT active"
	 " AND updated_ms < ?1 AND NOT EXISTS (SELECT 1 FROM main.payment y WHERE y.parcel = p.id"
	 " AND y.state IN ('creating', 'pending', 'cancelling')) ORDER BY updated_ms LIMIT ?2",
	 {{"door_op", "parcel"}, {"payment", "parcel"}, {"parcel", "id"}},
	 NULL},
	{"orders", /* with their QR payments (purpose vend: `parcel` is the order's id) */
	 "INSERT INTO temp.batch SELECT id FROM main.vend_order o WHERE state IN ('dispensed',"
	 " 'failed', 'cancelled') AND uncertain = 0 AND updated_ms < ?1 AND NOT EXISTS (SELECT 1"
	 " FROM main.payment y WHERE y.parcel = o.id AND y.state IN ('creating', 'pending',"
	 " 'cancelling')) ORDER BY updated_ms LIMIT ?2",
	 {{"refund", "order_id"}, {"payment", "parcel"}, {"vend_order", "id"}},
	 "UPDATE main.slot SET archived_dispensed = archived_dispensed + (SELECT count(*) FROM"
	 " main.vend_order o WHERE o.slot = slot.id AND o.state = 'dispensed' AND o.id IN"
	 " (SELECT k FROM temp.batch)) WHERE id IN (SELECT slot FROM main.vend_order WHERE id IN"
	 " (SELECT k FROM temp.batch))"},
	{"door_ops",
	 "INSERT INTO temp.batch SELECT id FROM main.door_op WHERE parcel IS NULL"
	 " AND state <> 'opening' AND created_ms < ?1 ORDER BY id LIMIT ?2",
	 {{"door_op", "id"}},
	 NULL},
	{"events",
	 "INSERT INTO temp.batch SELECT seq FROM main.outbox e WHERE seq <= ?3 AND sent = 1"
	 " AND at_ms < ?1 AND NOT EXISTS (SELECT 1 FROM main.parcel p WHERE p.id ="
	 " json_extract(e.data, '$.parcel')) AND NOT EXISTS (SELECT 1 FROM main.vend_order o"
	 " WHERE o.id = json_extract(e.data, '$.order')) AND NOT EXISTS (SELECT 1 FROM"
	 " main.meal_order m WHERE m.id = json_extract(e.data, '$.order')) ORDER BY seq LIMIT ?2",
	 {{"outbox", "seq"}},
	 "UPDATE main.meta SET value = value + (SELECT count(*) FROM main.outbox WHERE seq IN"
	 " (SELECT k FROM temp.batch)) WHERE key = 'events_archived'"},
};

static const struct table *table_named(const char *name)
{
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (strcmp(tables[i].name, name) == 0)
			return &tables[i];
	return NULL;
}

/* The picked rows of each part into the archive: one transaction there. */
static int copy_parts(struct arch *a, const struct part *parts)
{
	char cols[1024], sel[1024], sql[2400];
	int rc = exec(a, "BEGIN");
	for (int i = 0; rc == KIOSK_OK && i < 3 && parts[i].table; i++) {
		const struct table *t = table_named(parts[i].table);
		if ((rc = columns(a, t, cols, sel, sizeof cols)))
			break;
		snprintf(sql, sizeof sql,
			 "INSERT OR REPLACE INTO arch.%s(%s) SELECT %s FROM main.%s WHERE %s IN"
			 " (SELECT k FROM temp.batch)",
			 t->name, cols, sel, t->name, parts[i].via);
		rc = exec(a, sql);
	}
	return end_tx(a, rc);
}

/* Then out of the store, with its counts: one transaction here. */
static int delete_parts(struct arch *a, const struct part *parts, const char *count)
{
	char sql[256];
	int rc = exec(a, "BEGIN IMMEDIATE");
	if (rc == KIOSK_OK && count)
		rc = exec(a, count);
	for (int i = 0; rc == KIOSK_OK && i < 3 && parts[i].table; i++) {
		snprintf(sql, sizeof sql, "DELETE FROM main.%s WHERE %s IN (SELECT k FROM temp.batch)",
			 parts[i].table, parts[i].via);
		rc = exec(a, sql);
	}
	return end_tx(a, rc);
}

struct pass {
	struct arch a;
	const struct kiosk_archive_opts *o;
	int commits; /* archive commits so far (the test's crash point) */
	bool crashed;
};

static bool stopping(struct pass *p)
{
	return p->crashed || (p->o->stop && *p->o->stop);
}

static void batch_pause(struct pass *p)
{
	if (p->o->pause_ms > 0) {
		struct timespec ts = {p->o->pause_ms / 1000, (long)(p->o->pause_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* Moves the picked keys' rows; *moved how many were picked (0: nothing left). */
static int move_batch(struct pass *p, const struct part *parts, const char *count)
{
	int rc = copy_parts(&p->a, parts);
	if (rc)
		return rc;
	if (p->o->test_crash_after && ++p->commits >= p->o->test_crash_after) {
		p->crashed = true; /* as a kill here would: copied, not deleted */
		return KIOSK_OK;
	}
	rc = delete_parts(&p->a, parts, count);
	batch_pause(p);
	return rc;
}

static int archived_seq(struct arch *a, int64_t *seq)
{
	return run(a, "SELECT coalesce((SELECT event_seq FROM main.audit_checkpoint"
		      " WHERE kind = 'archived'), 0)",
		   0, 0, 0, NULL, seq);
}

static int move_kind(struct pass *p, const struct kind *k, int64_t *total)
{
	struct arch *a = &p->a;
	int64_t seq = 0;
	int rc = archived_seq(a, &seq);
	while (rc == KIOSK_OK && !stopping(p)) {
		int picked = 0;
		if ((rc = exec(a, "DELETE FROM temp.batch")) ||
		    (rc = run(a, k->pick, p->o->cutoff_ms, p->o->batch, seq, &picked, NULL)))
			break;
		if (picked == 0)
			break;
		if ((rc = move_batch(p, k->parts, k->count)))
			break;
		if (!p->crashed)
			*total += picked;
	}
	return rc;
}

#define CHAIN_COLS "n, at_ms, actor, action, subject, detail, coalesce(event_seq, -1), prev, hash"

static int set_checkpoint(struct arch *a, const char *kind, int64_t n, const uint8_t hash[32],
			  int64_t event_seq)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(a->db,
				    "INSERT INTO main.audit_checkpoint(kind, n, hash, event_seq, at_ms)"
				    " VALUES(?, ?, ?, ?, ?) ON CONFLICT(kind) DO UPDATE SET"
				    " n = excluded.n, hash = excluded.hash,"
				    " event_seq = max(event_seq, excluded.event_seq), at_ms = excluded.at_ms",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(a, rc, "checkpoint");
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, n);
	sqlite3_bind_blob(s, 3, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, event_seq);
	sqlite3_bind_int64(s, 5, kiosk_now_ms());
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KIOSK_OK : fail(a, rc, "checkpoint");
}

/* The chain from its checkpoint to its end, verified; the 'verified' checkpoint moves
 * there (a short transaction of its own). */
static int verify_chain(struct pass *p, int64_t *verified)
{
	struct arch *a = &p->a;
	struct st_chain c;
	int rc = exec(a, "BEGIN"); /* one snapshot for the walk */
	if (rc)
		return rc;
	rc = st_chain_start(a->db, false, &c, a->msg, a->msglen);
	if (rc == KIOSK_OK)
		rc = st_chain_walk(a->db, "SELECT " CHAIN_COLS " FROM main.audit WHERE n >= ?1"
				   " ORDER BY n", &c, a->msg, a->msglen);
	sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL);
	if (rc)
		return rc;
	*verified = c.next_n - 1;
	if (*verified < 1)
		return KIOSK_OK;
	return set_checkpoint(a, "verified", *verified, c.prev, 0);
}

/* The chain's oldest rows, verified and older than the cutoff, never its last row. */
static int move_audit(struct pass *p, int64_t verified, int64_t *total)
{
	struct arch *a = &p->a;
	static const struct part parts[] = {{"audit", "n"}, {0}, {0}};
	int rc = KIOSK_OK;
	while (rc == KIOSK_OK && !stopping(p)) {
		int64_t last = 0;
		int picked = 0;
		if ((rc = exec(a, "DELETE FROM temp.batch")) ||
		    (rc = run(a,
			      "INSERT INTO temp.batch SELECT n FROM (SELECT n, at_ms FROM main.audit"
			      " ORDER BY n LIMIT ?2) WHERE n < ?3 AND n < (SELECT max(n) FROM"
			      " main.audit) AND n < coalesce((SELECT min(n) FROM (SELECT n, at_ms"
			      " FROM main.audit ORDER BY n LIMIT ?2) WHERE at_ms >= ?1), n + 1)",
			      p->o->cutoff_ms, p->o->batch, verified + 1, &picked, NULL)))
			break;
		if (picked == 0)
			break;
		if ((rc = run(a, "SELECT max(k) FROM temp.batch", 0, 0, 0, NULL, &last)))
			break;
		/* the checkpoint: the last moved row's hash and the last event it covers */
		sqlite3_stmt *s = NULL;
		uint8_t hash[32] = {0};
		int64_t ev = 0;
		rc = sqlite3_prepare_v2(a->db,
					"SELECT hash, (SELECT coalesce(max(event_seq), 0) FROM main.audit"
					" WHERE n IN (SELECT k FROM temp.batch)) FROM main.audit"
					" WHERE n = ?",
					-1, &s, NULL);
		if (rc != SQLITE_OK) {
			rc = fail(a, rc, "audit checkpoint");
			break;
		}
		sqlite3_bind_int64(s, 1, last);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32) {
			memcpy(hash, sqlite3_column_blob(s, 0), 32);
			ev = sqlite3_column_int64(s, 1);
		}
		sqlite3_finalize(s);
		if ((rc = copy_parts(a, parts)))
			break;
		if (p->o->test_crash_after && ++p->commits >= p->o->test_crash_after) {
			p->crashed = true;
			break;
		}
		/* the delete and the checkpoint in one transaction */
		if ((rc = exec(a, "BEGIN IMMEDIATE")))
			break;
		if ((rc = set_checkpoint(a, "archived", last, hash, ev)) == KIOSK_OK)
			rc = exec(a, "DELETE FROM main.audit WHERE n IN (SELECT k FROM temp.batch)");
		if ((rc = end_tx(a, rc)))
			break;
		*total += picked;
		batch_pause(p);
	}
	return rc;
}

int kiosk_store_archive(const char *store_path, const struct kiosk_archive_opts *o,
			struct kiosk_archive_stats *stats, char *msg, size_t msglen)
{
	struct kiosk_archive_opts opts = *o;
	if (opts.batch <= 0)
		opts.batch = 256;
	struct kiosk_archive_stats none, *sx = stats ? stats : &none;
	memset(sx, 0, sizeof *sx);
	char scratch[8];
	struct pass p = {.a = {.msg = msg ? msg : scratch, .msglen = msg ? msglen : sizeof scratch},
			 .o = &opts};
	p.a.msg[0] = 0;
	kiosk_store_global_init();
	int64_t t0 = kiosk_mono_ms();
	int rc = open_both(&p.a, store_path, opts.vfs);
	if (rc == KIOSK_OK)
		rc = verify_chain(&p, &sx->verified_n);
	if (rc == KIOSK_OK)
		rc = move_audit(&p, sx->verified_n, &sx->audit);
	int64_t *totals[] = {&sx->parcels, &sx->orders, &sx->door_ops, &sx->events};
	for (size_t i = 0; rc == KIOSK_OK && i < sizeof kinds / sizeof kinds[0]; i++)
		rc = move_kind(&p, &kinds[i], totals[i]);
	if (rc == KIOSK_OK && !p.crashed)
		KLOG_INFO("store",
			  "event=archived parcels=%lld orders=%lld door_ops=%lld events=%lld"
			  " audit=%lld verified_to=%lld ms=%lld",
			  (long long)sx->parcels, (long long)sx->orders, (long long)sx->door_ops,
			  (long long)sx->events, (long long)sx->audit, (long long)sx->verified_n,
			  (long long)(kiosk_mono_ms() - t0));
	if (rc == KIOSK_OK)
		snprintf(p.a.msg, p.a.msglen, "ok");
	sqlite3_close(p.a.db);
	return rc;
}

int kiosk_store_scrub(const char *store_path)
{
	sqlite3 *db = NULL;
	kiosk_store_global_init();
	int rc = sqlite3_open_v2(store_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	int busy = 0, log = 0, done = 0;
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 30000);
		/* a read first: a connection that never read has not opened the WAL, and its
		 * checkpoint would be a no-op that says OK */
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
		busy = rc == SQLITE_BUSY;
		if (rc == SQLITE_OK && (log != 0 || done != 0))
			busy = true, rc = SQLITE_BUSY; /* the WAL is still there: not truncated */
	}
	if (rc != SQLITE_OK && !busy)
		KLOG_WARN("store", "event=scrub_failed file=%s detail=\"%s\"", store_path,
			  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close(db);
	return rc == SQLITE_OK ? KIOSK_OK : busy ? KIOSK_EBUSY : KIOSK_EDB;
}
