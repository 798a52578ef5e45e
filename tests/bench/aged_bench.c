/* make bench, "the store at three years old": the operations a person waits on, on an
 * empty store and on one with 300 000 completed parcel cycles of history (built fast with
 * plain SQL: picked-up parcels with their codes, their door operations and their acked
 * events), both at synchronous=FULL, p50 beside p50 and the ratio. Target (read off the
 * table): every ratio ≤ 1.5, store open < 50 ms. */
#include "kiosk/flow/flow.h"
#include "kiosk/crypto.h"
#include "kiosk/store/store.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include "bench.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CYCLES 300000
#define REPS 200

static const uint8_t key[KIOSK_DEVKEY_LEN] = {9};
static char dir[512];

static double p50(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp_d);
	return v[n / 2];
}

static int open_store(const char *path, struct kiosk_store **st)
{
	struct kiosk_store_opts o = {.path = path, .device_key = key};
	return kiosk_store_open(&o, st);
}

/* The bank (16 doors of each size), a courier and an operator. */
static void seed(struct kiosk_store *st)
{
	static const char *const sz = "SMLX";
	for (int s = 0; s < 4; s++)
		for (int i = 0; i < 16; i++) {
			char id[8];
			snprintf(id, sizeof id, "%c%02d", sz[s], i + 1);
			kiosk_compartment_add(st, id, s, i + 1, (enum kiosk_size)s);
		}
	char hash[KIOSK_PINHASH_MAX];
	kiosk_pin_hash("1357", KIOSK_PIN_MIN_ITER, hash, sizeof hash);
	kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", hash);
}

/* History: CYCLES parcels deposited and picked up long ago, each with its two door
 * operations and its two acked events, in one transaction of plain SQL. */
static int age(struct kiosk_store *st)
{
	sqlite3 *db = kiosk_store_db(st);
	int rc = sqlite3_exec(db,
		"BEGIN;"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
		" INSERT INTO parcel(id, kind, state, compartment, size, tracking_no, carrier,"
		"  courier, code_hmac, phone_last4, phone_hmac, deposited_ms, expires_ms,"
		"  created_ms, updated_ms)"
		" SELECT printf('hist-%08d', i), 'delivery', 'picked_up',"
		"  printf('S%02d', 1 + i % 16), 0, printf('T%08d', i), 'SF', 'C1',"
		"  randomblob(32), '1234', randomblob(32), i, i + 259200000, i, i FROM n;"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
		" INSERT INTO door_op(compartment, purpose, parcel, state, created_ms, finished_ms)"
		" SELECT printf('S%02d', 1 + i % 16), p, printf('hist-%08d', i), 'opened', i, i"
		" FROM n, (SELECT 'deposit' AS p UNION ALL SELECT 'pickup');"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
		" INSERT INTO outbox(id, type, at_ms, data, sent)"
		" SELECT printf('ev-%s-%08d', t, i), t, i,"
		"  json_object('parcel', printf('hist-%08d', i)), 1"
		" FROM n, (SELECT 'parcel.deposited' AS t UNION ALL SELECT 'parcel.picked_up');"
		"UPDATE meta SET value = (SELECT max(seq) FROM outbox) WHERE key = 'outbox_seq';"
		"COMMIT;",
		NULL, NULL, NULL);
	return rc == SQLITE_OK ? KIOSK_OK : KIOSK_EDB;
}

struct figs {
	double check, deposit, tasks, housekeeping, open_ms;
};

static double us_since(int64_t t0)
{
	return (double)(kiosk_mono_us() - t0);
}

/* The operations a person waits on, each REPS times; p50 in µs (open in ms). */
static int measure(const char *path, struct figs *f)
{
	struct kiosk_store *st;
	if (open_store(path, &st))
		return -1;
	double v[REPS];
	/* a live parcel whose code is checked again and again (a check changes nothing) */
	char parcel[37], code[9];
	struct kiosk_door door;
	kiosk_parcel_deposit_begin(st, "C1", "LIVE1", "13600001234", KIOSK_SIZE_M, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, parcel, code);
	for (int i = 0; i < REPS; i++) {
		struct kiosk_pickup pk;
		int wait;
		int64_t t0 = kiosk_mono_us();
		kiosk_pickup_check(st, code, &pk, &wait);
		v[i] = us_since(t0);
	}
	f->check = p50(v, REPS);
	for (int i = 0; i < REPS; i++) { /* the intent (parcel + door), then given up */
		char p[37], tracking[16];
		snprintf(tracking, sizeof tracking, "NEW%05d", i);
		int64_t t0 = kiosk_mono_us();
		int rc = kiosk_parcel_deposit_begin(st, "C1", tracking, "13600001234",
						    KIOSK_SIZE_S, p, &door);
		v[i] = us_since(t0);
		if (rc == KIOSK_OK)
			kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_NOT_SENT);
	}
	f->deposit = p50(v, REPS);
	for (int i = 0; i < REPS; i++) { /* what a courier's login shows */
		int64_t expired, sends;
		struct kiosk_parcel p;
		int64_t t0 = kiosk_mono_us();
		kiosk_courier_tasks(st, "C1", &expired, &sends);
		kiosk_parcel_unfinished(st, "C1", &p);
		v[i] = us_since(t0);
	}
	f->tasks = p50(v, REPS);
	for (int i = 0; i < REPS; i++) { /* the core's minute */
		int64_t t0 = kiosk_mono_us();
		kiosk_parcel_expire_due(st);
		kiosk_compartment_release_expired(st);
		v[i] = us_since(t0);
	}
	f->housekeeping = p50(v, REPS);
	kiosk_store_close(st);
	for (int i = 0; i < 20; i++) { /* a start: open (with recovery) and close */
		int64_t t0 = kiosk_mono_us();
		if (open_store(path, &st))
			return -1;
		v[i] = us_since(t0) / 1000.0;
		kiosk_store_close(st);
	}
	f->open_ms = p50(v, 20);
	return 0;
}

static long long file_kb(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size / 1024 : 0;
}

int main(void)
{
	const char *base = getenv("KIOSK_BENCH_DIR");
	snprintf(dir, sizeof dir, "%s", base && *base ? base : "/tmp");
	kiosk_errors_init();
	char empty[600], aged[600];
	snprintf(empty, sizeof empty, "%s/aged-bench-empty.db", dir);
	snprintf(aged, sizeof aged, "%s/aged-bench-300k.db", dir);
	const char *paths[] = {empty, aged};
	for (int i = 0; i < 2; i++) {
		char side[700];
		unlink(paths[i]);
		snprintf(side, sizeof side, "%s-wal", paths[i]);
		unlink(side);
		struct kiosk_store *st;
		if (open_store(paths[i], &st)) {
			fprintf(stderr, "aged_bench: cannot make %s\n", paths[i]);
			return 1;
		}
		seed(st);
		int64_t t0 = kiosk_mono_ms();
		if (i == 1 && age(st)) {
			fprintf(stderr, "aged_bench: history not built: %s\n",
				sqlite3_errmsg(kiosk_store_db(st)));
			return 1;
		}
		if (i == 1)
			printf("(history of %d cycles built in %.1f s)\n", CYCLES,
			       (double)(kiosk_mono_ms() - t0) / 1000.0);
		kiosk_store_close(st);
	}
	struct figs e, a;
	if (measure(empty, &e) || measure(aged, &a))
		return 1;
	printf("The store at three years old: %d completed parcel cycles of history (~3 years at\n"
	       "300 a day) beside an empty store, synchronous=FULL, p50 of %d each\n\n",
	       CYCLES, REPS);
	printf("| operation (p50) | empty | %d cycles | ratio | target |\n|---|---:|---:|---:|---|\n",
	       CYCLES);
	printf("| pickup code check (µs) | %.0f | %.0f | %.2f | ≤ 1.5 |\n", e.check, a.check,
	       a.check / e.check);
	printf("| deposit begin (µs) | %.0f | %.0f | %.2f | ≤ 1.5 |\n", e.deposit, a.deposit,
	       a.deposit / e.deposit);
	printf("| courier login: tasks + unfinished (µs) | %.0f | %.0f | %.2f | ≤ 1.5 |\n", e.tasks,
	       a.tasks, a.tasks / e.tasks);
	printf("| housekeeping, per minute (µs) | %.0f | %.0f | %.2f | ≤ 1.5 |\n", e.housekeeping,
	       a.housekeeping, a.housekeeping / e.housekeeping);
	printf("| store open at start (ms) | %.2f | %.2f | %.2f | < 50 ms |\n", e.open_ms,
	       a.open_ms, a.open_ms / e.open_ms);
	printf("| database size (KiB) | %lld | %lld | | |\n", file_kb(empty), file_kb(aged));
	unlink(empty);
	unlink(aged);
	return 0;
}
