/* The store's own VFS (kiosk/store/walvfs.h): a commit's WAL frames reach the file in one
 * write at its sync, another connection sees the commit the moment it returns, a write
 * that fails for space fails the commit and leaves nothing behind, and a connection that
 * does not sync every commit writes through. Real store files, the fault VFS underneath
 * (as the default VFS) to count and fail what reaches the file system; and which of the
 * store's commits wait for the disk's flush. */
#include "faultvfs.h"
#include "store_fixture.h"
#include "kiosk/store/walvfs.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>

/* A 20-page commit on the store's connection: rows spread over new pages. */
static int big_commit(struct kiosk_store *st, int n)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS t(x); WITH RECURSIVE c(i) AS"
		 " (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) INSERT INTO t SELECT"
		 " randomblob(3000) FROM c; COMMIT;",
		 n);
	int rc = sqlite3_exec(kiosk_store_db(st), sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(kiosk_store_db(st), "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Rows of t as another connection (plain SQLite) sees them now. */
static long long others_see(const char *path)
{
	sqlite3 *db;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, "unix") == SQLITE_OK) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &q, NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

static void whole(const char *path)
{
	sqlite3 *db;
	CHECK_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
	sqlite3_stmt *q;
	CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(q), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void a_commit_is_one_write_and_seen_at_once(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(big_commit(st, 1), SQLITE_OK); /* the table, and a first frame */
	unsigned long w0, f0, w1, f1;
	walvfs_counts(&w0, &f0);
	faultvfs_fail_at(1 << 30); /* count from here (it never fires) */
	CHECK_INT(big_commit(st, 20), SQLITE_OK);
	walvfs_counts(&w1, &f1);
	/* SQLite wrote each frame as its header and its page ... */
	CHECK(w1 - w0 >= 40);
	/* ... the file system got them in one or two writes, and one sync: no more than five
	 * calls where there were over forty */
	CHECK(faultvfs_ops() <= 5);
	CHECK(f1 - f0 <= 2);
	CHECK_INT(others_see(path), 21);
	faultvfs_fail_at(0);
	kiosk_store_close(st);
	fx_cleanup(path);
}

static void a_failed_write_fails_the_commit(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(big_commit(st, 1), SQLITE_OK);
	faultvfs_room(0);
	CHECK((big_commit(st, 20) & 0xFF) == SQLITE_FULL);
	faultvfs_room(-1);
	CHECK_INT(others_see(path), 1); /* nothing of it */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM t"), 1);
	CHECK_INT(big_commit(st, 3), SQLITE_OK);
	kiosk_store_close(st);
	CHECK_INT(others_see(path), 4);
	whole(path); /* and the file is whole */
	fx_cleanup(path);
}

/* synchronous=NORMAL publishes a commit without a sync: nothing may wait in memory. */
static void a_store_at_normal_writes_through(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.synchronous_normal = true};
	CHECK_INT(fx_open(path, &o, &st), KIOSK_OK);
	CHECK_INT(big_commit(st, 1), SQLITE_OK);
	unsigned long w0, f0, w1, f1;
	walvfs_counts(&w0, &f0);
	faultvfs_fail_at(1 << 30);
	CHECK_INT(big_commit(st, 20), SQLITE_OK);
	walvfs_counts(&w1, &f1);
	CHECK_INT(f1 - f0, 0);
	CHECK(faultvfs_ops() >= 40);
	faultvfs_fail_at(0);
	CHECK_INT(others_see(path), 21);
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* The store relaxes to NORMAL for a transaction now and then (an ack): that commit is
 * published without a sync, and another connection reads it at once, whole. (Gathered as
 * at FULL, the other connection read frames not yet written: a "malformed" store.) */
static void a_commit_at_normal_for_a_while_is_seen_whole(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(big_commit(st, 1), SQLITE_OK);
	CHECK_INT(sqlite3_exec(kiosk_store_db(st), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL),
		  SQLITE_OK);
	unsigned long w0, f0, w1, f1;
	walvfs_counts(&w0, &f0);
	CHECK_INT(big_commit(st, 20), SQLITE_OK);
	walvfs_counts(&w1, &f1);
	CHECK_INT(f1 - f0, 0); /* written through, frame by frame */
	CHECK_INT(others_see(path), 21);
	whole(path);
	/* and back at FULL it gathers again */
	CHECK_INT(sqlite3_exec(kiosk_store_db(st), "PRAGMA synchronous = FULL", NULL, NULL, NULL),
		  SQLITE_OK);
	walvfs_counts(&w0, &f0);
	CHECK_INT(big_commit(st, 20), SQLITE_OK);
	walvfs_counts(&w1, &f1);
	CHECK(w1 - w0 >= 40 && f1 - f0 <= 2);
	CHECK_INT(others_see(path), 41);
	kiosk_store_close(st);
	whole(path);
	fx_cleanup(path);
}

/* A transaction too big for the page cache writes frames before its commit; rolled back,
 * they must not reach the file after another connection has written there. (Kept past
 * the rollback, they were written over the other's frames and its WAL header: "file is
 * not a database".) */
static void frames_of_a_rollback_never_land_on_anothers_commit(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(big_commit(st, 1), SQLITE_OK);
	sqlite3 *mine = kiosk_store_db(st);
	/* (the WAL emptied first: pages the rollback puts back come from the main file, and
	 * nothing reads the WAL, which would have written the frames out in time) */
	CHECK_INT(sqlite3_exec(mine,
			       "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA cache_size = 10;"
			       " PRAGMA cache_spill = 10; BEGIN IMMEDIATE;"
			       " INSERT INTO t VALUES(randomblob(100000)); ROLLBACK;",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	/* another connection writes where those frames went */
	sqlite3 *other;
	CHECK_INT(sqlite3_open_v2(path, &other, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
	CHECK_INT(sqlite3_exec(other,
			       "PRAGMA synchronous = FULL; WITH RECURSIVE c(i) AS (SELECT 1 UNION"
			       " ALL SELECT i + 1 FROM c WHERE i < 40) INSERT INTO t SELECT"
			       " randomblob(3000) FROM c;",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(other);
	/* the store's connection goes on (it reads the WAL, and would write out what it kept) */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM t"), 41);
	CHECK_INT(big_commit(st, 2), SQLITE_OK);
	CHECK_INT(others_see(path), 43);
	whole(path);
	kiosk_store_close(st);
	whole(path);
	fx_cleanup(path);
}

/* What waits for the disk's flush on the core's thread: a wrong PIN's count does (a power
 * cut must not forgive it), a right PIN's record does not (lost, so is its session; what
 * the session does is synced and takes the record with it). */
static void a_right_pin_does_not_wait_for_the_disk_a_wrong_one_does(void)
{
	char path[256];
	fx_path(path, sizeof path);
	struct kiosk_store *st;
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	fx_seed(st);
	int wait, s0 = faultvfs_syncs();
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "9999", &wait), KIOSK_OK);
	CHECK_INT(faultvfs_syncs() - s0, 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'login.ok'"), 1);
	s0 = faultvfs_syncs();
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_EDENIED);
	CHECK(faultvfs_syncs() - s0 >= 1);
	/* and the connection is back at FULL: a pickup's commit syncs */
	s0 = faultvfs_syncs();
	CHECK_INT(big_commit(st, 1), SQLITE_OK);
	CHECK(faultvfs_syncs() - s0 >= 1);
	kiosk_store_close(st);
	whole(path);
	fx_cleanup(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_commit_is_one_write_and_seen_at_once", a_commit_is_one_write_and_seen_at_once},
		{"a_failed_write_fails_the_commit", a_failed_write_fails_the_commit},
		{"a_store_at_normal_writes_through", a_store_at_normal_writes_through},
		{"a_commit_at_normal_for_a_while_is_seen_whole",
		 a_commit_at_normal_for_a_while_is_seen_whole},
		{"frames_of_a_rollback_never_land_on_anothers_commit",
		 frames_of_a_rollback_never_land_on_anothers_commit},
		{"a_right_pin_does_not_wait_for_the_disk_a_wrong_one_does",
		 a_right_pin_does_not_wait_for_the_disk_a_wrong_one_does},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	kiosk_store_global_init();
	faultvfs_register();
	sqlite3_vfs_register(sqlite3_vfs_find("faulty"), 1); /* under the store's VFS */
	return test_main(argc, argv, cases);
}
