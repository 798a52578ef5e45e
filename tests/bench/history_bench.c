/* make bench, "history and its retention": a store given 100 days of a busy gate's real
 * history through its own API (300 parcel cycles and 100 vends a day, every event acked
 * by the platform, every audit row chained), then the archive pass that moves what is
 * past the retention, the integrity checks before and after, and the sizes: the store's
 * and the archive's per 100 000 cycles, and both projected over three years. */
#include "kiosk/flow/flow.h"
#include "kiosk/crypto.h"
#include "kiosk/store/archive.h"
#include "kiosk/store/store.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include "bench.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PER_DAY 300
static int DAYS = 100; /* KIOSK_BENCH_DAYS for a shorter run */
#define CYCLES (DAYS * PER_DAY)
#define RETENTION_DAYS 90
#define DAY_MS (24LL * 3600 * 1000)

static const uint8_t key[KIOSK_DEVKEY_LEN] = {7};
static int64_t vnow = 1795867200000LL;
static int64_t vclock(void)
{
	return vnow;
}

static int open_store(const char *path, bool fast, struct kiosk_store **st)
{
	struct kiosk_store_opts o = {.path = path, .device_key = key, .now_ms = vclock,
				     .synchronous_normal = fast};
	return kiosk_store_open(&o, st);
}

static int seed(struct kiosk_store *st)
{
	static const char *const sz = "SMLX";
	int rc = 0;
	for (int s = 0; s < 4; s++)
		for (int i = 0; i < 16; i++) {
			char id[8];
			snprintf(id, sizeof id, "%c%02d", sz[s], i + 1);
			rc |= kiosk_compartment_add(st, id, s, i + 1, (enum kiosk_size)s);
		}
	char hash[KIOSK_PINHASH_MAX];
	kiosk_pin_hash("1357", KIOSK_PIN_MIN_ITER, hash, sizeof hash);
	rc |= kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", hash);
	struct kiosk_product p = {"P1", "矿泉水 550ml", "Water 550ml", "drinks", ""};
	struct kiosk_slot a1 = {"A1", "P1", 350, 40, 0, true};
	rc |= kiosk_product_upsert(st, &p);
	rc |= kiosk_slot_upsert(st, &a1);
	return rc;
}

/* One day at the gate: PER_DAY deliveries in and out, a vend every third, a restock when
 * the slot runs low, and the platform's ack of everything at the end of the day. */
static int day(struct kiosk_store *st, int d)
{
	int rc = kiosk_store_bulk_begin(st);
	for (int i = 0; rc == KIOSK_OK && i < PER_DAY; i++) {
		char parcel[37], code[9], tracking[24];
		struct kiosk_door door;
		snprintf(tracking, sizeof tracking, "SF%03d%05d", d, i);
		rc = kiosk_parcel_deposit_begin(st, "C1", tracking, "13600001234", KIOSK_SIZE_S,
						parcel, &door);
		if (rc == KIOSK_OK)
			rc = kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
		if (rc == KIOSK_OK)
			rc = kiosk_parcel_deposit_commit(st, parcel, code);
		vnow += DAY_MS / PER_DAY / 2;
		if (rc == KIOSK_OK)
			rc = kiosk_pickup_open(st, parcel, &door);
		if (rc == KIOSK_OK)
			rc = kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
		vnow += DAY_MS / PER_DAY / 2;
		if (rc == KIOSK_OK && i % 3 == 0) {
			struct kiosk_slot s;
			char order[37];
			rc = kiosk_slot_get(st, "A1", &s);
			if (rc == KIOSK_OK && s.stock == 0)
				rc = kiosk_slot_restock(st, "A1", s.capacity, "OP1");
			if (rc == KIOSK_OK)
				rc = kiosk_vend_create(st, "A1", order);
			if (rc == KIOSK_OK)
				rc = kiosk_vend_paid(st, order, KIOSK_PAY_QR, "q", 350);
			if (rc == KIOSK_OK)
				rc = kiosk_vend_dispensing(st, order);
			if (rc == KIOSK_OK)
				rc = kiosk_vend_dispensed(st, order);
		}
	}
	int64_t unsent, last;
	if (rc == KIOSK_OK)
		rc = kiosk_outbox_depth(st, &unsent, &last);
	if (rc == KIOSK_OK)
		rc = kiosk_outbox_ack(st, last);
	int end = kiosk_store_bulk_end(st);
	return rc ? rc : end;
}

static double kib(const char *path, const char *suffix)
{
	char p[700];
	struct stat sb;
	snprintf(p, sizeof p, "%s%s", path, suffix);
	return stat(p, &sb) == 0 ? (double)sb.st_size / 1024.0 : 0;
}

/* db check as kioskctl runs it: opened read-only, the check, closed. Seconds. */
static double check_s(const char *path, bool full, char *msg, size_t cap)
{
	struct kiosk_store_opts o = {.path = path, .readonly = true};
	struct kiosk_store *st;
	int64_t t0 = kiosk_mono_us();
	if (kiosk_store_open(&o, &st))
		return -1;
	int rc = full ? kiosk_store_check_full(st, msg, cap) : kiosk_store_check(st, msg, cap);
	kiosk_store_close(st);
	return rc == KIOSK_OK ? (double)(kiosk_mono_us() - t0) / 1e6 : -1;
}

static double archive_s(const char *path, int64_t cutoff, int pause_ms,
			struct kiosk_archive_stats *s)
{
	/* as the store's archiver runs it (batches of 64, a pause between), or flat out */
	struct kiosk_archive_opts o = {.cutoff_ms = cutoff, .pause_ms = pause_ms,
				       .batch = pause_ms ? 64 : 256};
	char msg[256];
	int64_t t0 = kiosk_mono_us();
	if (kiosk_store_archive(path, &o, s, msg, sizeof msg)) {
		fprintf(stderr, "history_bench: archive: %s\n", msg);
		return -1;
	}
	return (double)(kiosk_mono_us() - t0) / 1e6;
}

/* What a courier at the screen feels while a pass runs beside the core: a deposit's
 * intent and its outcome (two write transactions at synchronous=FULL), p50 / p99 / max in
 * µs, one every 10 ms (far busier than any gate) from start until the pass ends (or n
 * times when no pass runs). */
struct beside {
	const char *path;
	int64_t cutoff;
	struct kiosk_archive_stats stats;
	double seconds;
	volatile int done;
};

static void *pass_thread(void *arg)
{
	struct beside *b = arg;
	b->seconds = archive_s(b->path, b->cutoff, 20, &b->stats); /* as the archiver runs it */
	b->done = 1;
	return NULL;
}

static int deposits(struct kiosk_store *st, const volatile int *until, int n, double out[3])
{
	static double v[200000];
	int k = 0;
	while (k < (int)(sizeof v / sizeof v[0]) && (until ? !*until : k < n)) {
		char p[37], tracking[24];
		struct kiosk_door door;
		snprintf(tracking, sizeof tracking, "B%06d%s", k, until ? "x" : "i");
		int64_t t0 = kiosk_mono_us();
		if (kiosk_parcel_deposit_begin(st, "C1", tracking, "13600001234", KIOSK_SIZE_S, p,
					       &door) ||
		    kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_NOT_SENT))
			return -1;
		v[k++] = (double)(kiosk_mono_us() - t0);
		struct timespec pace = {0, 10 * 1000 * 1000};
		nanosleep(&pace, NULL);
	}
	qsort(v, (size_t)k, sizeof v[0], bench_cmp_d);
	out[0] = v[k / 2];
	out[1] = v[k * 99 / 100];
	out[2] = v[k - 1];
	return k;
}

int main(void)
{
	const char *base = getenv("KIOSK_BENCH_DIR");
	char path[600], apath[700], cmd[4200];
	snprintf(path, sizeof path, "%s/history-bench.db", base && *base ? base : "/tmp");
	kiosk_store_archive_path(path, apath, sizeof apath);
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'-wal '%s'-shm '%s' '%s'-wal '%s'-shm", path,
		 path, path, apath, apath, apath);
	if (system(cmd) != 0)
		return 1;
	kiosk_errors_init();
	if (getenv("KIOSK_BENCH_DAYS"))
		DAYS = atoi(getenv("KIOSK_BENCH_DAYS")) > 0 ? atoi(getenv("KIOSK_BENCH_DAYS")) : 100;
	struct kiosk_store *st;
	if (open_store(path, true, &st) || seed(st)) {
		fprintf(stderr, "history_bench: cannot make %s\n", path);
		return 1;
	}
	/* building only: a day's transaction stays in memory instead of spilling to the WAL */
	sqlite3_exec(kiosk_store_db(st), "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	int64_t t0 = kiosk_mono_ms();
	for (int d = 0; d < DAYS; d++)
		if (day(st, d)) {
			fprintf(stderr, "history_bench: day %d failed\n", d);
			return 1;
		}
	kiosk_store_close(st); /* checkpoints the WAL into the file */
	if (getenv("KIOSK_BENCH_BUILD_ONLY"))
		return 0;
	printf("(%d days of history built through the store's API in %.1f s)\n\n", DAYS,
	       (double)(kiosk_mono_ms() - t0) / 1000.0);
	char msg[256];
	double per100k = 100000.0 / CYCLES;
	double size_all = kib(path, "") + kib(path, "-wal");
	double chk_all = check_s(path, false, msg, sizeof msg);
	double full_all = check_s(path, true, msg, sizeof msg);

	/* Day 100: the first pass with a 90-day retention moves the first 10 days. */
	struct kiosk_archive_stats s1, s2;
	double pass1 = archive_s(path, vnow - RETENTION_DAYS * DAY_MS, 0, &s1);
	double size_90 = kib(path, "") + kib(path, "-wal");
	double chk_90 = check_s(path, false, msg, sizeof msg);
	double full_90 = check_s(path, true, msg, sizeof msg);
	/* 90 days later (nothing new): the rest goes; the archive holds all 100 days. */
	vnow += RETENTION_DAYS * DAY_MS;
	double idle[3], busy[3];
	struct beside b = {.path = path, .cutoff = vnow - RETENTION_DAYS * DAY_MS};
	pthread_t th;
	if (open_store(path, false, &st) || deposits(st, NULL, 300, idle) < 0 ||
	    pthread_create(&th, NULL, pass_thread, &b)) {
		fprintf(stderr, "history_bench: cannot measure beside the pass\n");
		return 1;
	}
	int nbusy = deposits(st, &b.done, 0, busy);
	pthread_join(th, NULL);
	kiosk_store_close(st);
	double pass2 = b.seconds;
	s2 = b.stats;
	double chk_0 = check_s(path, false, msg, sizeof msg);
	double full_0 = check_s(path, true, msg, sizeof msg);
	double arch_all = kib(apath, "") + kib(apath, "-wal");
	if (nbusy < 0 || pass1 < 0 || pass2 < 0 || chk_all < 0 || full_all < 0 || chk_90 < 0 || full_90 < 0 ||
	    chk_0 < 0 || full_0 < 0) {
		fprintf(stderr, "history_bench: a check failed: %s\n", msg);
		return 1;
	}
	long long moved = s1.parcels + s2.parcels;
	printf("History and its retention: %d days at a busy gate (%d parcel cycles, %d vends),\n"
	       "retention %d days, checks as `kioskctl db check` runs them (read-only open)\n\n",
	       DAYS, CYCLES, CYCLES / 3, RETENTION_DAYS);
	printf("| figure | value | per 100 000 cycles | target |\n|---|---:|---:|---|\n");
	printf("| store, 100 days, nothing archived (MiB, db + WAL) | %.1f | %.1f | |\n",
	       size_all / 1024, size_all / 1024 * per100k);
	printf("| db check, 100 days in the store, never archived: the chain from row 1 (s) | %.3f |"
	       " | |\n", chk_all);
	printf("| db check --full, 100 days in the store (s) | %.3f | %.2f | stated |\n", full_all,
	       full_all * per100k);
	printf("| archive pass at day 100: %lld parcels, %lld events, %lld audit rows (s) | %.2f |"
	       " | off the core thread |\n",
	       (long long)s1.parcels, (long long)s1.events, (long long)s1.audit, pass1);
	printf("| db check, 90 days in the store, the rest archived: the kiosk's steady state (s) |"
	       " %.3f | | < 1 s |\n", chk_90);
	printf("| db check --full, store + archive (s) | %.3f | %.2f | stated |\n", full_90,
	       full_90 * per100k);
	printf("| archive pass moving the other %lld parcels (s) | %.2f | %.2f | |\n",
	       (long long)s2.parcels, pass2, pass2 * 100000.0 / (double)(s2.parcels ? s2.parcels : 1));
	printf("| a deposit (intent + outcome, FULL) with no pass running: p50 / p99 / max (µs) |"
	       " %.0f / %.0f / %.0f | | |\n", idle[0], idle[1], idle[2]);
	printf("| the same, %d of them while that pass ran beside: p50 / p99 / max (µs) |"
	       " %.0f / %.0f / %.0f | | p99 < 20 ms |\n", nbusy, busy[0], busy[1], busy[2]);
	printf("| db check, everything archived (s) | %.3f | | |\n", chk_0);
	printf("| db check --full, everything archived (s) | %.3f | %.2f | stated |\n", full_0,
	       full_0 * per100k);
	printf("| store file after the first pass (MiB; freed pages are reused) | %.1f | | |\n",
	       size_90 / 1024);
	printf("| archive, all %lld cycles (MiB) | %.1f | %.1f | |\n", moved, arch_all / 1024,
	       arch_all / 1024 * 100000.0 / (double)(moved ? moved : 1));
	double three = 3 * 365.0 * PER_DAY, live = RETENTION_DAYS * (double)PER_DAY;
	double store_3y = size_all / 1024 * live / CYCLES;
	double arch_3y = arch_all / 1024 * (three - live) / (double)(moved ? moved : 1);
	printf("| projected after 3 years (%.0f cycles): store / archive (MiB) | %.0f / %.0f | |"
	       " store bounded by the retention |\n",
	       three, store_3y, arch_3y);
	printf("| projected after 3 years without retention: store (MiB) | %.0f | | |\n",
	       size_all / 1024 * three / CYCLES);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
