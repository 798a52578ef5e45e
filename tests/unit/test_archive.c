/* History that does not weigh on the present: old finished parcels, orders, acked events
 * and audit rows move to the archive file; what is live stays and keeps working; the
 * incremental check holds over the store alone and the full one over both files; a move
 * killed at any write loses nothing and duplicates nothing. Real SQLite files throughout. */
#include "faultvfs.h"
#include "kiosk/flow/flow.h"
#include "store_fixture.h"
#include "kiosk/store/archive.h"
#include "hal/base/error.h"
#include "../test.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DAY_MS (24LL * 3600 * 1000)

static char path[256], apath[300];
static struct kiosk_store *st;

/* One delivery, deposited and picked up; its code into code (may be NULL). */
static void cycle(const char *tracking)
{
	char parcel[37], code[9];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	int wait;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", tracking, "13600001234", KIOSK_SIZE_S,
					     parcel, &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_OK);
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
}

static void vend(bool ok)
{
	char order[37];
	CHECK_INT(kiosk_vend_create(st, "A1", order), KIOSK_OK);
	if (ok) { /* paid by QR through the payment service: its payment row goes with it */
		char pay[37];
		bool refunded = true;
		CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_VEND, order, pay), KIOSK_OK);
		CHECK_INT(kiosk_payment_created(st, pay, "pay-arch"), KIOSK_OK);
		CHECK_INT(kiosk_payment_paid(st, pay, &refunded), KIOSK_OK);
		CHECK(!refunded);
	} else {
		CHECK_INT(kiosk_vend_paid(st, order, KIOSK_PAY_QR, "q", 350), KIOSK_OK);
	}
	CHECK_INT(kiosk_vend_dispensing(st, order), KIOSK_OK);
	CHECK_INT(ok ? kiosk_vend_dispensed(st, order) : kiosk_vend_failed(st, order, "jam"),
		  KIOSK_OK);
}

static void ack_all(void)
{
	int64_t unsent, last;
	CHECK_INT(kiosk_outbox_depth(st, &unsent, &last), KIOSK_OK);
	CHECK_INT(kiosk_outbox_ack(st, last), KIOSK_OK);
}

static long long arch_int(const char *sql)
{
	sqlite3 *db;
	long long v = -1;
	if (sqlite3_open_v2(apath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static void arch_exec(const char *sql)
{
	sqlite3 *db;
	CHECK_INT(sqlite3_open(apath, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int archive(int64_t cutoff, int batch, struct kiosk_archive_stats *stats)
{
	char msg[256];
	struct kiosk_archive_opts o = {.cutoff_ms = cutoff, .batch = batch};
	int rc = kiosk_store_archive(path, &o, stats, msg, sizeof msg);
	if (rc)
		fprintf(stderr, "archive: %s\n", msg);
	return rc;
}

static void checks_hold(void)
{
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	if (strcmp(msg, "ok") != 0)
		fprintf(stderr, "check: %s\n", msg);
	CHECK_INT(kiosk_store_check_full(st, msg, sizeof msg), KIOSK_OK);
	if (strcmp(msg, "ok") != 0)
		fprintf(stderr, "check --full: %s\n", msg);
}

/* 100 days ago: 12 cycles, a sale, a failed sale (refunded), a maintenance open, all
 * acked; one parcel nobody collected (still in the locker, expired) and one help call the
 * platform never acked. Then today: two more cycles. */
static char live_code[9], live_parcel[37];
static void setup(void)
{
	fx_now = 1795867200000LL;
	fx_path(path, sizeof path);
	CHECK_INT(kiosk_store_archive_path(path, apath, sizeof apath), KIOSK_OK);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	fx_seed(st);
	CHECK_INT(kiosk_slot_restock(st, "A1", 5, "OP1"), KIOSK_OK);
	for (int i = 0; i < 12; i++) {
		char t[16];
		snprintf(t, sizeof t, "OLD%02d", i);
		cycle(t);
		fx_now += 60000;
	}
	vend(true);
	vend(false);
	struct kiosk_door door;
	CHECK_INT(kiosk_compartment_open_intent(st, "M1", "OP1", &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "STAYS", "13600005678", KIOSK_SIZE_L,
					     live_parcel, &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, live_parcel, live_code), KIOSK_OK);
	ack_all();
	CHECK_INT(kiosk_event_help(st, "zh", true), KIOSK_OK); /* never acked */
	fx_now += 100 * DAY_MS;
	cycle("NEW01");
	cycle("NEW02");
}

static void teardown(void)
{
	kiosk_store_close(st);
	st = NULL;
	fx_cleanup(path);
}

static void old_history_moves_live_rows_stay(void)
{
	setup();
	long long parcels = fx_int(st, "SELECT count(*) FROM parcel");
	long long events = fx_int(st, "SELECT value FROM meta WHERE key = 'outbox_seq'");
	long long audit = fx_int(st, "SELECT count(*) FROM audit");
	struct kiosk_archive_stats s;
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 5, &s), KIOSK_OK);
	CHECK_INT(s.parcels, 12);
	CHECK_INT(s.orders, 2);
	CHECK_INT(s.door_ops, 1); /* the maintenance open */
	CHECK(s.events > 24 && s.audit > 24);
	CHECK_INT(s.verified_n, audit);
	/* here: the live parcel and today's; there: the twelve, without their codes */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel"), parcels - 12);
	CHECK_INT(arch_int("SELECT count(*) FROM parcel"), 12);
	CHECK_INT(arch_int("SELECT count(*) FROM parcel WHERE code_hmac IS NOT NULL"), 0);
	CHECK_INT(arch_int("SELECT count(*) FROM vend_order"), 2);
	CHECK_INT(arch_int("SELECT count(*) FROM refund"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM vend_order"), 0);
	CHECK_INT(arch_int("SELECT count(*) FROM payment WHERE purpose = 'vend'"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM payment WHERE purpose = 'vend'"), 0);
	CHECK_INT(fx_int(st, "SELECT archived_dispensed FROM slot WHERE id = 'A1'"), 1);
	/* every event is in exactly one of the two files */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox") + arch_int("SELECT count(*) FROM outbox"),
		  events);
	CHECK_INT(fx_int(st, "SELECT value FROM meta WHERE key = 'events_archived'"), s.events);
	/* the unacked help call and the live parcel's deposit stay, however old */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'help.requested'"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.deposited'"
			     " AND json_extract(data, '$.parcel') IN (SELECT id FROM parcel)"),
		  3);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit"), audit - s.audit);
	checks_hold();
	/* a second pass finds nothing more */
	struct kiosk_archive_stats again;
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 5, &again), KIOSK_OK);
	CHECK_INT(again.parcels + again.orders + again.door_ops + again.events + again.audit, 0);
	/* the kiosk goes on: the old parcel is still collected with its code, the chain goes
	 * on from the archived part, and both checks hold */
	struct kiosk_pickup pk;
	int wait;
	CHECK_INT(kiosk_pickup_check(st, live_code, &pk, &wait), KIOSK_OK);
	CHECK_STR(pk.parcel, live_parcel);
	CHECK(pk.fee_fen > 0); /* 100 days late: the fee, capped */
	CHECK_INT(kiosk_parcel_pay_fee(st, live_parcel, KIOSK_PAY_QR, "fee-1",
				       pk.fee_fen - pk.fee_paid_fen),
		  KIOSK_OK);
	struct kiosk_door door;
	CHECK_INT(kiosk_pickup_open(st, live_parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	cycle("NEW03");
	vend(true);
	checks_hold();
	/* later, that one goes too, and its events after it */
	fx_now += 100 * DAY_MS;
	ack_all();
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 5, &again), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel"), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit"), 1); /* the chain's last row stays */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox") + arch_int("SELECT count(*) FROM outbox"),
		  fx_int(st, "SELECT value FROM meta WHERE key = 'outbox_seq'"));
	checks_hold();
	teardown();
}

/* What the full check finds that the incremental one cannot, and what both find. */
static void checks_find_tampering_on_both_sides(void)
{
	setup();
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 0, NULL), KIOSK_OK);
	checks_hold();
	char msg[256];
	/* an archived event gone: only the full check can see it */
	arch_exec("DELETE FROM outbox WHERE seq = 3");
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	CHECK_INT(kiosk_store_check_full(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "outbox sequence has a gap");
	teardown();

	/* an archived audit row rewritten: only the full check walks the archive's chain */
	setup();
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 0, NULL), KIOSK_OK);
	arch_exec("UPDATE audit SET actor = 'mallory' WHERE n = 4");
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	CHECK_INT(kiosk_store_check_full(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_STR(msg, "audit chain broken at row 4");
	/* a row here after the checkpoint: both see it */
	cycle("NEW03");
	long long last = fx_int(st, "SELECT max(n) FROM audit");
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE audit SET actor = 'mallory' WHERE n = %lld", last);
	sqlite3_exec(kiosk_store_db(st), sql, NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "audit chain broken at row");
	teardown();

	/* the verified checkpoint's own row changed: said as such */
	setup();
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 0, NULL), KIOSK_OK);
	long long v = fx_int(st, "SELECT n FROM audit_checkpoint WHERE kind = 'verified'");
	CHECK(v > 0);
	snprintf(sql, sizeof sql, "UPDATE audit SET actor = 'x' WHERE n = %lld", v);
	sqlite3_exec(kiosk_store_db(st), sql, NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "(its checkpoint)");
	teardown();

	/* the archive file lost: the full check says so instead of passing */
	setup();
	CHECK_INT(archive(fx_now - 90 * DAY_MS, 0, NULL), KIOSK_OK);
	CHECK_INT(unlink(apath), 0);
	CHECK_INT(kiosk_store_check_full(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "history was archived but the archive");
	CHECK_HAS(msg, "-archive.db is missing");
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

/* A file in the archive's place that is not our archive is refused, and nothing moves. */
static void foreign_archive_is_refused(void)
{
	setup();
	arch_exec("CREATE TABLE photos(x); INSERT INTO photos VALUES(1)");
	char before[65], after[65], msg[256];
	fx_digest(st, before);
	struct kiosk_archive_opts o = {.cutoff_ms = fx_now - 90 * DAY_MS};
	CHECK_INT(kiosk_store_archive(path, &o, NULL, msg, sizeof msg), KIOSK_EVERSION);
	CHECK_HAS(msg, "is not this kiosk's archive");
	fx_digest(st, after);
	CHECK_STR(after, before);
	CHECK_INT(arch_int("SELECT count(*) FROM photos"), 1);
	teardown();
}

/* Stopped between the archive's commit and the store's (where a kill could land): the
 * rows are in both files, both checks still hold, and the next pass finishes the move
 * with each row once. */
static void interrupted_moves_finish_once(void)
{
	for (int stop_at = 1; stop_at <= 9; stop_at++) {
		setup();
		long long parcels = fx_int(st, "SELECT count(*) FROM parcel");
		long long events = fx_int(st, "SELECT value FROM meta WHERE key = 'outbox_seq'");
		struct kiosk_archive_opts o = {.cutoff_ms = fx_now - 90 * DAY_MS, .batch = 4,
					       .test_crash_after = stop_at};
		char msg[256];
		CHECK_INT(kiosk_store_archive(path, &o, NULL, msg, sizeof msg), KIOSK_OK);
		checks_hold();
		CHECK_INT(archive(fx_now - 90 * DAY_MS, 4, NULL), KIOSK_OK);
		checks_hold();
		CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel") +
				  arch_int("SELECT count(*) FROM parcel"),
			  parcels);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox") +
				  arch_int("SELECT count(*) FROM outbox"),
			  events);
		CHECK_INT(fx_int(st, "SELECT archived_dispensed FROM slot WHERE id = 'A1'"), 1);
		teardown();
	}
}

/* Real kills: a child runs the pass through the fault VFS and SIGKILLs itself at the nth
 * write or sync (mid-batch, mid-commit, in either file), at points spread over a whole
 * pass, each from the same history; the store reopens, both checks hold, and a last pass
 * leaves every row in exactly one file. */
static void copy_file(const char *from, const char *to)
{
	char cmd[1300];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	CHECK_INT(system(cmd), 0);
}

/* The store and the archive, with their WAL and shared-memory files, gone. */
static void wipe(void)
{
	char cmd[2200];
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'-wal '%s'-shm '%s' '%s'-wal '%s'-shm", path, path,
		 path, apath, apath, apath);
	CHECK_INT(system(cmd), 0);
}

static void killed_moves_lose_nothing(void)
{
	faultvfs_register();
	setup();
	long long parcels = fx_int(st, "SELECT count(*) FROM parcel");
	long long events = fx_int(st, "SELECT value FROM meta WHERE key = 'outbox_seq'");
	long long audit = fx_int(st, "SELECT max(n) FROM audit");
	kiosk_store_close(st);
	st = NULL;
	char dir[256], pristine[300], measure[300];
	snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
	snprintf(pristine, sizeof pristine, "%s/pristine.db", dir);
	snprintf(measure, sizeof measure, "%s/measure.db", dir);
	copy_file(path, pristine);
	copy_file(path, measure);
	/* how many writes and syncs a whole pass makes */
	struct kiosk_archive_opts mo = {.cutoff_ms = fx_now - 90 * DAY_MS, .batch = 3,
					.vfs = "faulty"};
	faultvfs_fail_at(1 << 30); /* counts, never fails */
	CHECK_INT(kiosk_store_archive(measure, &mo, NULL, NULL, 0), KIOSK_OK);
	int ops = faultvfs_ops();
	faultvfs_fail_at(0);
	CHECK(ops > 40);
	int killed = 0;
	const int kills = 24;
	for (int k = 0; k < kills && !test_failed; k++) {
		wipe();
		copy_file(pristine, path);
		int at = 1 + k * ops / kills;
		pid_t pid = fork();
		if (pid == 0) {
			faultvfs_kill_at(at);
			int rc = kiosk_store_archive(path, &mo, NULL, NULL, 0);
			_exit(rc == KIOSK_OK ? 0 : 3);
		}
		int status;
		waitpid(pid, &status, 0);
		killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
		CHECK(WIFSIGNALED(status));
		CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
		checks_hold(); /* the full one: every parcel and event once, in one file or both */
		CHECK_INT(archive(fx_now - 90 * DAY_MS, 3, NULL), KIOSK_OK);
		checks_hold();
		CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel") +
				  arch_int("SELECT count(*) FROM parcel"),
			  parcels);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox") +
				  arch_int("SELECT count(*) FROM outbox"),
			  events);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM audit") +
				  arch_int("SELECT count(*) FROM audit"),
			  audit);
		kiosk_store_close(st);
		st = NULL;
	}
	CHECK_INT(killed, kills);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	teardown();
}

/* The store's own archiver: a thread that moves history when kicked (and on its own
 * schedule), with what it did for status. */
static void the_archiver_thread_moves_when_kicked(void)
{
	setup();
	kiosk_store_close(st);
	struct kiosk_store_opts o = {.retention_days = 90};
	CHECK_INT(fx_open(path, &o, &st), KIOSK_OK);
	struct kiosk_archive_stats s;
	int64_t at = 0;
	char msg[200];
	CHECK_INT(kiosk_store_archive_last(st, &s, &at, msg, sizeof msg), KIOSK_OK);
	CHECK_INT(at, 0); /* not yet: a minute after open */
	kiosk_store_archive_kick(st);
	struct timespec t0, now, nap = {0, 5 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do { /* waits for the condition (the pass's end), with a deadline */
		kiosk_store_archive_last(st, &s, &at, msg, sizeof msg);
		if (at)
			break;
		nanosleep(&nap, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 30);
	CHECK(at > 0);
	CHECK_STR(msg, "ok");
	CHECK_INT(s.parcels, 12);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE tracking_no LIKE 'OLD%'"), 0);
	checks_hold();
	teardown();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"old_history_moves_live_rows_stay", old_history_moves_live_rows_stay},
		{"checks_find_tampering_on_both_sides", checks_find_tampering_on_both_sides},
		{"foreign_archive_is_refused", foreign_archive_is_refused},
		{"interrupted_moves_finish_once", interrupted_moves_finish_once},
		{"killed_moves_lose_nothing", killed_moves_lose_nothing},
		{"the_archiver_thread_moves_when_kicked", the_archiver_thread_moves_when_kicked},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
