/* Crash test: a child runs random vend / deposit / pickup / restock / ack operations on a
 * real store file; the parent SIGKILLs it at random moments, reopens (recovery runs) and
 * checks every invariant each time. Seeded and printed, so a failure can be replayed:
 *   test_crash [kills] [seed]                                                            */
#include "store_fixture.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static int64_t real_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Hours pass quickly in here so fees and expiry come into play. */
	return (int64_t)ts.tv_sec * 1000 * 3600 + ts.tv_nsec / 1000;
}

/* Reads a pickup code still in the outbox (as the platform would, for its SMS). */
static int outbox_code(struct kiosk_store *st, char code[9])
{
	sqlite3_stmt *s;
	int ok = 0;
	if (sqlite3_prepare_v2(kiosk_store_db(st),
			       "SELECT json_extract(data, '$.pickup_code') FROM outbox WHERE type ="
			       " 'parcel.deposited' AND sent = 0 ORDER BY random() LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
		snprintf(code, 9, "%s", (const char *)sqlite3_column_text(s, 0));
		ok = 1;
	}
	sqlite3_finalize(s);
	return ok;
}

static void pick_open(struct kiosk_store *st, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *s;
	out[0] = '\0';
	if (sqlite3_prepare_v2(kiosk_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

/* ready: a byte once the store is open (recovery done) and one as each of the first
 * operations starts, so the kill lands among the operations, not during the open —
 * however slow the build (ASan) and the machine make them. */
static void child(const char *path, uint64_t seed, int ready)
{
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.now_ms = real_clock};
	rng = seed | 1;
	if (fx_open(path, &o, &st) != KIOSK_OK)
		_exit(3);
	if (write(ready, "r", 1) != 1)
		_exit(4);
	static const char *const slots[] = {"A1", "A2", "A3"};
	for (unsigned i = 0;; i++) {
		/* One byte per operation started: the parent lets a few go by before its
		 * random kill, so the kills land among operations, not only in the first. */
		if (i < 8 && write(ready, "o", 1) != 1)
			_exit(5);
		char id[64], code[9], tracking[32], parcel[37];
		struct kiosk_door door;
		struct kiosk_pickup pk;
		switch (rnd(15)) {
		case 0:
			kiosk_slot_restock(st, slots[rnd(3)], 1 + (int)rnd(3), "OP1");
			break;
		case 1:
			kiosk_vend_create(st, slots[rnd(3)], id);
			break;
		case 2:
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'created' LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_vend_paid(st, id, KIOSK_PAY_QR, "q", 350);
			break;
		case 3:
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'paid' LIMIT 1", id,
				  sizeof id);
			if (*id)
				kiosk_vend_dispensing(st, id);
			break;
		case 4:
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'dispensing' LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(4))
				kiosk_vend_dispensed(st, id);
			else if (*id)
				kiosk_vend_failed(st, id, "jammed");
			break;
		case 5:
			snprintf(tracking, sizeof tracking, "T%llu-%u", (unsigned long long)seed, i);
			kiosk_parcel_deposit_begin(st, "C1", tracking, "13812345678",
						   (enum kiosk_size)rnd(3), parcel, &door);
			break;
		case 6: {
			char op[32];
			pick_open(st, "SELECT id FROM door_op WHERE state = 'opening' LIMIT 1", op,
				  sizeof op);
			if (*op)
				kiosk_door_result(st, atoll(op),
						  rnd(10) ? KIOSK_DOOR_OPENED : KIOSK_DOOR_JAMMED);
			break;
		}
		case 7:
			pick_open(st, "SELECT id FROM parcel WHERE state = 'depositing' LIMIT 1", id,
				  sizeof id);
			if (*id && kiosk_parcel_deposit_commit(st, id, code) != KIOSK_OK)
				kiosk_parcel_deposit_cancel(st, id);
			break;
		case 8:
			if (outbox_code(st, code) &&
			    kiosk_pickup_check(st, code, &pk, NULL) == KIOSK_OK) {
				if (pk.fee_fen > pk.fee_paid_fen)
					kiosk_parcel_pay_fee(st, pk.parcel, KIOSK_PAY_QR, "f",
							     pk.fee_fen - pk.fee_paid_fen);
				kiosk_pickup_open(st, pk.parcel, &door);
			}
			break;
		case 9: {
			int64_t unsent, last;
			if (kiosk_outbox_depth(st, &unsent, &last) == KIOSK_OK && last > 0 &&
			    rnd(3) == 0)
				kiosk_outbox_ack(st, last - rnd((uint32_t)unsent + 1) );
			break;
		}
		case 10:
			kiosk_send_create(st, "SF", (enum kiosk_size)rnd(3), 1200, parcel);
			break;
		case 11:
			kiosk_parcel_expire_due(st);
			break;
		case 12: /* a 到付 send: created settled with its door intent */
			kiosk_send_begin_collect(st, "SF", (enum kiosk_size)rnd(3), parcel, &door);
			break;
		case 13:
			pick_open(st, "SELECT id FROM parcel WHERE state = 'send_depositing' LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(3))
				kiosk_send_deposited(st, id);
			else if (*id)
				kiosk_send_cancel(st, id);
			break;
		case 14:
			if (kiosk_send_next_to_collect(st, "C1", id) == KIOSK_OK)
				kiosk_send_collect_open(st, "C1", id, &door);
			break;
		}
	}
}

static void seed_db(const char *path)
{
	struct kiosk_store *st;
	if (fx_open(path, NULL, &st) != KIOSK_OK)
		abort();
	fx_seed(st);
	struct kiosk_slot a2 = {"A2", "P1", 350, 8, 0, true}, a3 = {"A3", "P1", 350, 5, 0, true};
	kiosk_slot_upsert(st, &a2);
	kiosk_slot_upsert(st, &a3);
	kiosk_compartment_add(st, "S3", 1, 1, KIOSK_SIZE_S);
	kiosk_compartment_add(st, "M2", 1, 2, KIOSK_SIZE_M);
	kiosk_compartment_add(st, "M3", 1, 3, KIOSK_SIZE_M);
	kiosk_compartment_add(st, "L2", 1, 4, KIOSK_SIZE_L);
	kiosk_store_close(st);
}

static int kills = 200;
static uint64_t seed;

static void random_kills_keep_invariants(void)
{
	char path[256], msg[256];
	fx_path(path, sizeof path);
	seed_db(path);
	printf("crash test: seed=%llu kills=%d\n", (unsigned long long)seed, kills);
	fflush(stdout);
	rng = seed | 1;
	long long last_events = 0;
	int progressed = 0, at_work = 0, done = 0;
	for (int k = 0; k < kills && !test_failed; k++) {
		int ready[2];
		CHECK(pipe(ready) == 0);
		pid_t pid = fork();
		if (pid == 0) {
			close(ready[0]);
			child(path, seed * 1000003u + (uint64_t)k, ready[1]);
		}
		close(ready[1]);
		/* Wait for the child to be at work (bounded: a child that never gets there
		 * is killed all the same, and shows as no progress). */
		struct pollfd p = {ready[0], POLLIN, 0};
		char c;
		/* the open, then the first operation begun, then 1..4 more begun (so 1..4
		 * finished) */
		int seen = 0, want = 1 + 1 + 1 + (int)rnd(4);
		while (seen < want && poll(&p, 1, 10000) == 1 && read(ready[0], &c, 1) == 1)
			seen++;
		if (seen == want) /* at work: at least one operation finished */
			usleep(rnd(40000));
		at_work += seen == want;
		done++;
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		close(ready[0]); /* only now: a child writing to a closed pipe dies of SIGPIPE */
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

		struct kiosk_store *st;
		CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
		if (!st)
			break;
		int rc = kiosk_store_check(st, msg, sizeof msg);
		if (rc != KIOSK_OK)
			fprintf(stderr, "after kill %d (seed %llu): %s\n", k,
				(unsigned long long)seed, msg);
		CHECK_INT(rc, KIOSK_OK);
		int64_t open = -1;
		kiosk_store_open_intents(st, &open);
		CHECK_INT(open, 0); /* recovery resolved every intent */
		long long ev = fx_int(st, "SELECT value FROM meta WHERE key = 'outbox_seq'");
		progressed += ev > last_events; /* the kill came after a commit */
		last_events = ev;
		kiosk_store_close(st);
	}
	printf("crash test: %lld events committed over %d kills (%d kills saw progress, %d came"
	       " with the child at work)\n",
	       last_events, done, progressed, at_work);
	/* The children really worked between kills: each got to its operations (the open
	 * never failed), and state changes were committed across the run. */
	CHECK(at_work > kills * 9 / 10);
	CHECK(last_events > kills / 4);
	struct kiosk_store *st;
	if (fx_open(path, NULL, &st) == KIOSK_OK) {
		printf("crash test: parcels by state:");
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(kiosk_store_db(st),
				       "SELECT kind || '/' || state, count(*) FROM parcel GROUP BY 1",
				       -1, &q, NULL) == SQLITE_OK) {
			while (sqlite3_step(q) == SQLITE_ROW)
				printf(" %s=%d", (const char *)sqlite3_column_text(q, 0),
				       sqlite3_column_int(q, 1));
			sqlite3_finalize(q);
		}
		printf("\n");
		kiosk_store_close(st);
	}
	fx_cleanup(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"random_kills_keep_invariants", random_kills_keep_invariants},
		{0},
	};
	if (argc > 1)
		kills = atoi(argv[1]);
	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : (uint64_t)time(NULL);
	setenv("KIOSK_LOG", "error", 0);
	return test_main(1, argv, cases);
}
