/* Crash test: a child runs random vend (QR payments too) / 助餐 / deposit / pickup / restock / ack / door
 * operations on a real store file and dies (SIGKILL, by its own hand) at a write or sync
 * the seed chooses — mid-transaction, mid-commit, mid-checkpoint; the parent reopens
 * (recovery runs) and checks every invariant each time. Everything the child does follows
 * from the seed (its operations, a virtual clock, the kill's I/O count), so a failure
 * replays exactly:
 *   test_crash [kills] [seed]                                                            */
#include "faultvfs.h"
#include "kiosk/flow/flow.h"
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

/* The child's clock: virtual, from the kill number and the operation number, so that
 * fees and expiry come into play (hours pass quickly in here) and a replay sees the same
 * times. */
static int64_t vclock_ms;
static int64_t virtual_clock(void)
{
	return vclock_ms;
}

/* Reads a pickup code still in the outbox (as the platform would, for its SMS). */
static int outbox_code(struct kiosk_store *st, char code[9])
{
	sqlite3_stmt *s;
	int ok = 0;
	if (sqlite3_prepare_v2(kiosk_store_db(st),
			       "SELECT json_extract(data, '$.pickup_code') FROM outbox WHERE type ="
			       " 'parcel.deposited' AND sent = 0 AND json_extract(data,"
			       " '$.pickup_code') IS NOT NULL ORDER BY seq LIMIT 1 OFFSET ?",
			       -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(s, 1, (int)rnd(4));
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

/* The child: opens the store through the fault VFS, which kills it at its kill_at-th
 * write or sync from then on (recovery's own writes included) — directly, or under the
 * store's own VFS. */
static void child(const char *path, uint64_t seed, int k, int kill_at)
{
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.now_ms = virtual_clock, .vfs = "faulty"};
	/* every other kill through the store's own VFS (a commit's WAL frames gathered into
	 * one write, walvfs.h) over the fault one, made the default in this child */
	if (k % 2) {
		sqlite3_vfs_register(sqlite3_vfs_find("faulty"), 1);
		o.vfs = NULL;
	}
	rng = seed | 1;
	vclock_ms = 1795867200000LL + (int64_t)k * 6 * 3600 * 1000;
	faultvfs_kill_at(kill_at);
	if (fx_open(path, &o, &st) != KIOSK_OK)
		_exit(3);
	static const char *const slots[] = {"A1", "A2", "A3"};
	for (unsigned i = 0;; i++) {
		vclock_ms += 10 * 60 * 1000;
		char id[64], code[9], tracking[32], parcel[37];
		struct kiosk_door door;
		struct kiosk_pickup pk;
		switch (rnd(29)) {
		case 0:
			kiosk_slot_restock(st, slots[rnd(3)], 1 + (int)rnd(3), "OP1");
			break;
		case 1:
			kiosk_vend_create(st, slots[rnd(3)], id);
			break;
		case 2:
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'created' LIMIT 1",
				  id, sizeof id);
			if (*id) { /* by QR's answer, the card reader's approval, or cash */
				enum kiosk_pay_method m = (enum kiosk_pay_method)rnd(3);
				kiosk_vend_paid(st, id, m, m == KIOSK_PAY_CASH ? "cash" : "q", 350);
			}
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
				kiosk_door_outcome_by_flows(st, atoll(op),
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
			kiosk_send_create(st, fx_walkin("SF", (enum kiosk_size)rnd(3), 1200), parcel);
			break;
		case 11:
			/* Expired parcels are taken back by their courier: without it every
			 * compartment fills with them and the doors stop working early. */
			kiosk_parcel_expire_due(st);
			pick_open(st, "SELECT id FROM parcel WHERE state = 'expired' LIMIT 1", id,
				  sizeof id);
			if (*id)
				kiosk_parcel_retrieve_open(st, "C1", id, &door);
			break;
		case 12: /* a 到付 send: created settled with its door intent */
			kiosk_send_begin(st, fx_walkin("SF", (enum kiosk_size)rnd(3), 0), parcel, &door);
			break;
		case 13:
			pick_open(st, "SELECT id FROM parcel WHERE state = 'send_depositing' LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(3))
				kiosk_send_deposited(st, id, NULL);
			else if (*id)
				kiosk_send_cancel(st, id);
			break;
		case 14:
			if (kiosk_send_next_to_collect(st, "C1", id) == KIOSK_OK)
				kiosk_send_collect_open(st, "C1", id, &door);
			break;
		case 15:
			/* The operator brings back a compartment that went out of service (a jam,
			 * a door unknown after a kill), looking inside when asked: the lockers
			 * stay in play for the whole run. */
			pick_open(st, "SELECT id FROM compartment WHERE state IN ('faulty','unknown')"
				      " ORDER BY board, lock LIMIT 1",
				  id, sizeof id);
			if (*id && kiosk_compartment_set(st, id, "free", "OP1") == KIOSK_ELOOK)
				kiosk_compartment_resolve(st, id, "OP1", rnd(2) == 0);
			break;
		case 16:
			/* A takeout's door opened: the courier takes it out and closes the door
			 * (committed then), or closes it on the parcel (the sensor sees it). */
			pick_open(st, "SELECT p.id FROM parcel p WHERE p.state IN ('expired',"
				      " 'send_deposited') AND (SELECT d.purpose || d.state FROM door_op d"
				      " WHERE d.parcel = p.id ORDER BY d.id DESC LIMIT 1) IN"
				      " ('retrieveopened', 'collectopened') LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(4))
				kiosk_takeout_done(st, id);
			else if (*id) {
				char comp[32];
				char sql[160];
				snprintf(sql, sizeof sql,
					 "SELECT compartment FROM parcel WHERE id = '%s'", id);
				pick_open(st, sql, comp, sizeof comp);
				if (*comp)
					kiosk_compartment_item(st, comp, true);
			}
			break;
		case 17: /* … and the sensor sees it gone when it is taken later */
			pick_open(st, "SELECT id FROM compartment WHERE item = 1 LIMIT 1", id, sizeof id);
			if (*id)
				kiosk_compartment_item(st, id, false);
			break;
		case 18: { /* a vend paid by QR: the payment written before the platform is asked */
			char order[37];
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'created' LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_payment_new(st, KIOSK_PAY_FOR_VEND, id, order);
			break;
		}
		case 19: /* the platform's QR for it */
			pick_open(st, "SELECT order_id FROM payment WHERE state = 'creating' LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_payment_created(st, id, "pay-crash");
			break;
		case 20: /* the payer's phone: paid (applied to its order, or given back) */
			pick_open(st, "SELECT order_id FROM payment WHERE state = 'pending' LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_payment_paid(st, id, NULL);
			break;
		case 21: /* the board never said how a dispense ended; the operator looks later */
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'dispensing' AND"
				      " uncertain = 0 LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(2))
				kiosk_vend_unknown(st, id, "no report from the board");
			pick_open(st, "SELECT id FROM vend_order WHERE uncertain = 1 AND state ="
				      " 'dispensing' LIMIT 1",
				  id, sizeof id);
			if (*id && rnd(2))
				kiosk_vend_resolve(st, id, rnd(2), "OP1");
			break;
		case 22: { /* a coin or a note for an open order (the resident may walk away) */
			struct kiosk_order ord;
			pick_open(st, "SELECT id FROM vend_order WHERE state = 'created' LIMIT 1",
				  id, sizeof id);
			if (*id && kiosk_vend_get(st, id, &ord) == KIOSK_OK) {
				if (rnd(3)) /* at our changer and validator, or at the board's */
					kiosk_cash_in(st, id, ord.cash_fen + (rnd(2) ? 100 : 500));
				else
					kiosk_vend_board_in(st, id, ord.board_fen + 100);
			}
			if (*id && rnd(4) == 0) /* cancelled with money in */
				kiosk_vend_failed(st, id, "given up");
			break;
		}
		case 23: { /* an ended order's cash: the payout's intent */
			struct kiosk_cash_payout p;
			pick_open(st, "SELECT id FROM vend_order WHERE cash_fen > 0 AND state IN"
				      " ('dispensed','failed','cancelled') LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_cash_payout_begin(st, id, &p);
			break;
		}
		case 24: { /* … and what the changer's tubes say it paid */
			long long pid = 0, owed = 0;
			pick_open(st, "SELECT id || ' ' || owed_fen FROM cash_payout WHERE state ="
				      " 'paying' LIMIT 1",
				  id, sizeof id);
			if (*id && sscanf(id, "%lld %lld", &pid, &owed) == 2)
				kiosk_cash_payout_end(st, pid, rnd(2) ? owed : owed / 2);
			break;
		}
		case 25: { /* 助餐: an order at 0, 20 or 100% off (free: paid at once) */
			static const int pct[] = {0, 20, 100};
			int t = (int)rnd(3);
			struct kiosk_meal_order mo;
			struct kiosk_meal_ask a = {.meal = rnd(2) ? "M1" : "M2",
						   .portions = 1 + (int)rnd(2), .max_portions = 2,
						   .tier = t ? (t == 1 ? "60+" : "90+") : "none",
						   .percent = pct[t], .resident = "",
						   .phone = "13900001111", .now_ms = vclock_ms};
			kiosk_meal_order(st, &a, &mo);
			break;
		}
		case 26: { /* … its QR payment (the platform's answer and the payer: 19, 20) */
			char order[37];
			pick_open(st, "SELECT id FROM meal_order WHERE state = 'created' LIMIT 1", id,
				  sizeof id);
			if (*id && rnd(3))
				kiosk_payment_new(st, KIOSK_PAY_FOR_MEAL, id, order);
			else if (*id)
				kiosk_meal_drop(st, id); /* the resident left */
			break;
		}
		case 27: /* a ticket given back: its portions and its money */
			pick_open(st, "SELECT number FROM meal_order WHERE state = 'paid' LIMIT 1", id,
				  sizeof id);
			if (*id && rnd(2))
				kiosk_meal_cancel(st, id, "phone", "13900001111", vclock_ms, NULL);
			break;
		case 28: /* … or served, once (a second time refused) */
			pick_open(st, rnd(4) ? "SELECT number FROM meal_order WHERE state = 'paid'"
					       " LIMIT 1"
					     : "SELECT number FROM meal_order WHERE state = 'served'"
					       " LIMIT 1",
				  id, sizeof id);
			if (*id)
				kiosk_meal_serve(st, id, "2026-11-29", "CT1", NULL);
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
	/* two meals the children order all run long, with quotas they reach */
	for (int i = 0; i < 2; i++) {
		struct kiosk_meal m = {.day = "2026-11-29", .canteen = "osm-n1247", .kind = "lunch",
				       .name_zh = "番茄鸡蛋面", .name_en = "Noodles",
				       .price_fen = 1500, .quota = 30 + 10 * i,
				       .order_by_ms = 1795867200000LL + 400LL * 86400000};
		snprintf(m.id, sizeof m.id, "M%d", i + 1);
		if (kiosk_meal_upsert(st, &m) != KIOSK_OK)
			abort();
	}
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
	int progressed = 0, done = 0;
	for (int k = 0; k < kills && !test_failed; k++) {
		/* The kill point: the nth write or sync of this child, from the seed. */
		int kill_at = 1 + (int)rnd(400);
		pid_t pid = fork();
		if (pid == 0)
			child(path, seed * 1000003u + (uint64_t)k, k, kill_at);
		int status;
		waitpid(pid, &status, 0);
		done++;
		if (!WIFSIGNALED(status))
			fprintf(stderr, "kill %d: child exited %d before its kill point %d\n", k,
				WEXITSTATUS(status), kill_at);
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
	printf("crash test: %lld events committed over %d kills (%d kills saw progress)\n",
	       last_events, done, progressed);
	/* The children really worked between kills: state changes were committed across the
	 * run, and the lockers stayed in play (doors kept being opened, not only early on
	 * before every compartment went out of service). */
	CHECK(last_events > kills / 4);
	struct kiosk_store *st;
	if (fx_open(path, NULL, &st) == KIOSK_OK) {
		long long doors = fx_int(st, "SELECT count(*) FROM door_op");
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM door_op WHERE created_ms > %lld",
			 1795867200000LL + (long long)kills / 2 * 6 * 3600 * 1000);
		long long late = fx_int(st, sql);
		long long usable = fx_int(st, "SELECT count(*) FROM compartment WHERE state NOT IN"
					      " ('faulty','unknown')");
		printf("crash test: %lld door operations (%lld in the second half), %lld of %lld"
		       " compartments in service at the end\n",
		       doors, late, usable, fx_int(st, "SELECT count(*) FROM compartment"));
		CHECK(doors > kills / 2);
		CHECK(late > kills / 8);
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
		printf("\ncrash test: meal orders by state:");
		if (sqlite3_prepare_v2(kiosk_store_db(st),
				       "SELECT state || '/' || coalesce(method, '-'), count(*) FROM"
				       " meal_order GROUP BY 1",
				       -1, &q, NULL) == SQLITE_OK) {
			while (sqlite3_step(q) == SQLITE_ROW)
				printf(" %s=%d", (const char *)sqlite3_column_text(q, 0),
				       sqlite3_column_int(q, 1));
			sqlite3_finalize(q);
		}
		printf("\n");
		/* never over quota (the crash test never lowers one) */
		CHECK_INT(fx_int(st, "SELECT count(*) FROM meal WHERE sold > quota"), 0);
		/* the meals were ordered, paid, cancelled and served across the kills */
		CHECK(fx_int(st, "SELECT count(*) FROM meal_order WHERE state = 'served'") > 0);
		CHECK(fx_int(st, "SELECT count(*) FROM meal_order WHERE state = 'cancelled' AND"
				 " method IS NOT NULL") > 0);
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
	kiosk_store_global_init();
	faultvfs_register();
	return test_main(1, argv, cases);
}
