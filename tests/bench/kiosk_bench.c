/* make bench: one table of measured speeds, each beside a baseline measured in the same
 * run on the same file system, and their ratio. Targets are read off the table, never
 * asserted by timed tests.
 *
 * Store rows: every state change is one transaction with its audit row and outbox event;
 * the baseline is a one-row INSERT transaction in raw SQLite with the same pragmas. */
#include "kiosk/config.h"
#include "kiosk/flow/flow.h"
#include "kiosk/crypto.h"
#include "kiosk/store/store.h"
#include "kiosk/store/store_int.h" /* the store's connection, for the statement count */
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include "sqlcount.h"

#include "bench.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct stats {
	double per_s, p50_us, p99_us;
	double stmts, syncs, faults, wal_pages, writes; /* per operation */
};

static struct stats summarise(double *lat, int n, double total_us)
{
	qsort(lat, (size_t)n, sizeof *lat, bench_cmp_d);
	return (struct stats){n / (total_us / 1e6), lat[n / 2], lat[n * 99 / 100], 0, 0, 0, 0, 0};
}

static void per_op(struct stats *s, const struct sqlcount *sum, int n)
{
	s->stmts = (double)sum->stmts / n;
	s->syncs = (double)sum->syncs / n;
	s->faults = (double)sum->faults / n;
	s->wal_pages = (double)sum->wal_pages / n;
	s->writes = (double)sum->writes / n;
}

static void add_counts(struct sqlcount *sum, const struct sqlcount *a, const struct sqlcount *b)
{
	sum->stmts += b->stmts - a->stmts;
	sum->syncs += b->syncs - a->syncs;
	sum->faults += b->faults - a->faults;
	sum->wal_pages += b->wal_pages - a->wal_pages;
	sum->writes += b->writes - a->writes;
}

static char dir[512];
static const uint8_t key[KIOSK_DEVKEY_LEN] = {7};

static void fresh_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s.db", dir, name);
	char side[600];
	unlink(out);
	snprintf(side, sizeof side, "%s-wal", out);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", out);
	unlink(side);
}

static struct stats baseline(bool normal, int n)
{
	char path[600];
	sqlite3 *db;
	fresh_path(path, sizeof path, "baseline");
	sqlite3_open(path, &db);
	sqlite3_exec(db,
		     normal ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
		     NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA foreign_keys=ON; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
		     NULL, NULL, NULL);
	sqlite3_stmt *b, *ins, *c;
	sqlcount_trace(db);
	sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &b, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES('x')", -1, &ins, NULL);
	sqlite3_prepare_v2(db, "COMMIT", -1, &c, NULL);
	double *lat = malloc(sizeof *lat * (size_t)n), t0 = bench_now_us();
	struct sqlcount c0 = sqlcount_now(), sum = {0};
	for (int i = 0; i < n; i++) {
		double s = bench_now_us();
		sqlite3_step(b), sqlite3_reset(b);
		sqlite3_step(ins), sqlite3_reset(ins);
		sqlite3_step(c), sqlite3_reset(c);
		lat[i] = bench_now_us() - s;
	}
	struct sqlcount c1 = sqlcount_now();
	add_counts(&sum, &c0, &c1);
	struct stats r = summarise(lat, n, bench_now_us() - t0);
	per_op(&r, &sum, n);
	free(lat);
	sqlite3_finalize(b);
	sqlite3_finalize(ins);
	sqlite3_finalize(c);
	sqlite3_close(db);
	return r;
}

enum { OP_RESTOCK, OP_VCREATE, OP_VPAID, OP_VDISPENSING, OP_VDISPENSED, OP_DBEGIN, OP_DOOR,
       OP_DCOMMIT, OP_PCHECK, OP_POPEN, OP_PDOOR, OP_MORDER, OP_MPAID, NOPS };
static const char *const op_names[NOPS] = {
	"restock",        "vend.create",     "vend.paid",       "vend.dispensing",
	"vend.dispensed", "deposit_begin",   "door opened",     "deposit_commit",
	"pickup_check",   "pickup_open",     "door opened (pickup)", "meal order (60+, created)",
	"meal paid (quota taken, meal.ordered)"};

/* A day offline: n unsent events in the outbox (deposits' code messages among them),
 * which no state change may have to read. */
static void fill_outbox(struct kiosk_store *st, int n)
{
	sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(st->db,
			   "INSERT INTO outbox(seq, id, type, at_ms, data) VALUES (?1 + 1, printf('fill-%d', ?1),"
			   " CASE WHEN ?1 % 3 = 0 THEN 'parcel.deposited' ELSE 'door.opened' END, 0,"
			   " json_object('parcel', printf('p-%d', ?1), 'pickup_code', '12345678'))",
			   -1, &ins, NULL);
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int(ins, 1, i);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	/* the store's counters, as st_record keeps them */
	char sql[160];
	snprintf(sql, sizeof sql,
		 "UPDATE meta SET value = %d WHERE key IN ('outbox_seq', 'outbox_unsent')", n);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

static void store_run(bool normal, int cycles, int unsent, struct stats out[NOPS])
{
	char path[600];
	fresh_path(path, sizeof path, "store");
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = path, .device_key = key, .synchronous_normal = normal};
	if (kiosk_store_open(&o, &st) != KIOSK_OK)
		exit(1);
	if (unsent)
		fill_outbox(st, unsent);
	sqlcount_trace(st->db);
	struct sqlcount sum[NOPS] = {{0}};
	struct kiosk_product p = {"P1", "矿泉水", "Water", "drinks", ""};
	struct kiosk_slot s = {"A1", "P1", 350, 1000, 0, true};
	kiosk_product_upsert(st, &p);
	kiosk_slot_upsert(st, &s);
	char hash[KIOSK_PINHASH_MAX];
	kiosk_pin_hash("1234", KIOSK_PIN_MIN_ITER, hash, sizeof hash);
	kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", hash);
	for (int i = 0; i < 64; i++) {
		char id[16];
		snprintf(id, sizeof id, "B%02d", i);
		kiosk_compartment_add(st, id, i / 16, i % 16 + 1, (enum kiosk_size)(i % 4));
	}
	struct kiosk_meal meal = {.id = "L1", .day = "2026-12-06", .canteen = "osm-n1247",
				  .kind = "lunch", .name_zh = "番茄鸡蛋面", .name_en = "Noodles",
				  .price_fen = 1500, .quota = 2 * cycles + 10,
				  .order_by_ms = INT64_MAX / 2};
	kiosk_meal_upsert(st, &meal);
	double *lat[NOPS], total[NOPS] = {0};
	for (int k = 0; k < NOPS; k++)
		lat[k] = malloc(sizeof(double) * (size_t)cycles);
	for (int i = 0; i < cycles; i++) {
		char order[37], parcel[37], code[9], tracking[32];
		struct kiosk_door door;
		struct kiosk_pickup pk;
		double t;
#define TIME(k, call)                                                                              \
	do {                                                                                       \
		struct sqlcount c0 = sqlcount_now();                                               \
		t = bench_now_us();                                                                      \
		if ((call) != KIOSK_OK) {                                                          \
			fprintf(stderr, "bench: %s failed at %d\n", op_names[k], i);               \
			exit(1);                                                                   \
		}                                                                                  \
		lat[k][i] = bench_now_us() - t;                                                          \
		struct sqlcount c1 = sqlcount_now();                                               \
		add_counts(&sum[k], &c0, &c1);                                                     \
		total[k] += lat[k][i];                                                             \
	} while (0)
		TIME(OP_RESTOCK, kiosk_slot_restock(st, "A1", 1, "OP1"));
		TIME(OP_VCREATE, kiosk_vend_create(st, "A1", order));
		TIME(OP_VPAID, kiosk_vend_paid(st, order, KIOSK_PAY_QR, "q", 350));
		TIME(OP_VDISPENSING, kiosk_vend_dispensing(st, order));
		TIME(OP_VDISPENSED, kiosk_vend_dispensed(st, order));
		snprintf(tracking, sizeof tracking, "SF%d", i);
		TIME(OP_DBEGIN, kiosk_parcel_deposit_begin(st, "C1", tracking, "13812345678",
							   KIOSK_SIZE_S, parcel, &door));
		TIME(OP_DOOR, kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED));
		TIME(OP_DCOMMIT, kiosk_parcel_deposit_commit(st, parcel, code));
		TIME(OP_PCHECK, kiosk_pickup_check(st, code, &pk, NULL));
		TIME(OP_POPEN, kiosk_pickup_open(st, parcel, &door));
		TIME(OP_PDOOR, kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED));
		struct kiosk_meal_order mo;
		struct kiosk_meal_ask ask = {.meal = "L1", .portions = 1, .max_portions = 2,
					     .tier = "60+", .percent = 20, .resident = "R-1",
					     .phone = "13900001111", .now_ms = kiosk_now_ms()};
		TIME(OP_MORDER, kiosk_meal_order(st, &ask, &mo));
		TIME(OP_MPAID, kiosk_meal_paid(st, mo.id, KIOSK_PAY_QR, "q", mo.due_fen));
	}
	for (int k = 0; k < NOPS; k++) {
		out[k] = summarise(lat[k], cycles, total[k]);
		per_op(&out[k], &sum[k], cycles);
		free(lat[k]);
	}
	char msg[256];
	/* (the filler events have no audit rows of their own: checked without them) */
	if (!unsent && kiosk_store_check(st, msg, sizeof msg) != KIOSK_OK) {
		fprintf(stderr, "bench: store check failed: %s\n", msg);
		exit(1);
	}
	kiosk_store_close(st);
}

static void import_run(void)
{
	enum { N = 10000 };
	char path[600];
	fresh_path(path, sizeof path, "import");
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = path, .device_key = key};
	if (kiosk_store_open(&o, &st) != KIOSK_OK)
		exit(1);
	struct kiosk_product *p = calloc(N, sizeof *p);
	for (int i = 0; i < N; i++) {
		snprintf(p[i].id, sizeof p[i].id, "P%05d", i);
		snprintf(p[i].name_zh, sizeof p[i].name_zh, "商品%d", i);
		snprintf(p[i].name_en, sizeof p[i].name_en, "Product %d", i);
		snprintf(p[i].category, sizeof p[i].category, "cat%d", i % 20);
	}
	double t = bench_now_us();
	int rc = kiosk_product_import(st, p, N, NULL);
	double ms = (bench_now_us() - t) / 1000;
	printf("| import 10 000 products, one transaction | %.0f ms | target < 1000 ms | %s |\n", ms,
	       rc == KIOSK_OK ? (ms < 1000 ? "met" : "MISSED") : "FAILED");
	free(p);
	struct kiosk_service *s = calloc(N, sizeof *s);
	for (int i = 0; i < N; i++) {
		snprintf(s[i].id, sizeof s[i].id, "S%05d", i);
		snprintf(s[i].name_zh, sizeof s[i].name_zh, "便民修车铺%d", i);
		snprintf(s[i].name_en, sizeof s[i].name_en, "Bike repair %d", i);
		snprintf(s[i].category, sizeof s[i].category, "repair.bike");
		s[i].lat = 31.2 + i * 1e-5;
		s[i].lon = 121.4 + i * 1e-5;
		snprintf(s[i].opening_hours, sizeof s[i].opening_hours, "Mo-Su 08:00-20:00");
	}
	t = bench_now_us();
	rc = kiosk_service_import(st, s, N, NULL);
	ms = (bench_now_us() - t) / 1000;
	printf("| import 10 000 services, one transaction | %.0f ms | target < 1000 ms | %s |\n", ms,
	       rc == KIOSK_OK ? (ms < 1000 ? "met" : "MISSED") : "FAILED");
	free(s);
	kiosk_store_close(st);
}

/* 助餐's "who eats at which price" offline: the kept answer for a phone among 10 000 kept,
 * a keyed hash and one indexed read — a person is waiting at the screen. */
static void eligibility_row(void)
{
	char path[600];
	fresh_path(path, sizeof path, "elig");
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = path, .device_key = key};
	if (kiosk_store_open(&o, &st) != KIOSK_OK)
		exit(1);
	enum { KEPT = 10000, ASKS = 20000 };
	int64_t now = kiosk_now_ms();
	struct kiosk_meal_elig e = {.tier = "60+", .resident = "R", .valid_until_ms = now + 86400000};
	sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
	for (int i = 0; i < KEPT; i++) {
		char phone[16];
		snprintf(phone, sizeof phone, "139%08d", i);
		kiosk_meal_elig_put(st, "phone", phone, &e);
	}
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	double *lat = malloc(sizeof *lat * ASKS), t0 = bench_now_us();
	int found = 0;
	for (int i = 0; i < ASKS; i++) {
		char phone[16];
		struct kiosk_meal_elig g;
		snprintf(phone, sizeof phone, "139%08d", (i * 7919) % (KEPT * 2)); /* half unknown */
		double t = bench_now_us();
		found += kiosk_meal_elig_get(st, "phone", phone, now, &g) == KIOSK_OK;
		lat[i] = bench_now_us() - t;
	}
	struct stats r = summarise(lat, ASKS, bench_now_us() - t0);
	printf("| 助餐 eligibility from the kept answers (10 000 kept, %d of %d known), p50 / p99 |"
	       " %.0f / %.0f µs | target < 1000 µs | %s |\n",
	       found, ASKS, r.p50_us, r.p99_us, r.p99_us < 1000 ? "met" : "NOT MET");
	free(lat);
	kiosk_store_close(st);
}

static void config_row(void)
{
	static const char j[] =
		"{\"device\":{\"id\":\"K-0001\"},\"ui\":{\"lang\":\"zh\",\"fullscreen\":true},"
		"\"lock\":{\"driver\":\"kerong-cu16\",\"port\":\"/dev/kiosk-lock0\"}}";
	enum { N = 20000 };
	double t0 = bench_now_us();
	for (int i = 0; i < N; i++)
		cJSON_Delete(cJSON_Parse(j));
	double base = N / ((bench_now_us() - t0) / 1e6);
	struct kiosk_config c;
	struct kiosk_config_diag d;
	t0 = bench_now_us();
	for (int i = 0; i < N; i++)
		kiosk_config_parse(j, sizeof j - 1, &c, &d);
	double ours = N / ((bench_now_us() - t0) / 1e6);
	printf("| config parse + validate vs cJSON_Parse alone | %.0f /s | %.0f /s | %.2f |\n", ours,
	       base, ours / base);
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 300;
	snprintf(dir, sizeof dir, "%s", getenv("KIOSK_BENCH_DIR") ? getenv("KIOSK_BENCH_DIR")
								  : "bench-tmp");
	mkdir(dir, 0700);
	setenv("KIOSK_LOG", "error", 0);
	/* The kiosk's own process settings, for the store and the baseline alike: its
	 * allocator, and SQLite configured by the store before anything opens a database. */
	kiosk_alloc_long_running();
	kiosk_store_global_init();
	if (getenv("NOCOUNT") == NULL && sqlcount_install() != SQLITE_OK)
		return 1;
	printf("Store: %d cycles per row, files in %s (same file system for store and baseline)\n\n",
	       cycles, dir);
	for (int normal = 0; normal < 2; normal++) {
		struct stats base = baseline(normal, cycles * 4), ops[NOPS], backlog[NOPS];
		store_run(normal, cycles, 0, ops);
		store_run(normal, cycles, 10000, backlog);
		printf("synchronous=%s\n\n| state change | tx/s | p50 µs | p99 µs | baseline tx/s |"
		       " ratio | stmts/op | WAL pages/op | file writes/op | fsyncs/op | page faults/op"
		       " |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
		       normal ? "NORMAL" : "FULL");
		printf("| baseline: raw one-row INSERT tx | %.0f | %.0f | %.0f | %.0f | 1.00 | %.1f |"
		       " %.1f | %.1f | %.1f | %.1f |\n",
		       base.per_s, base.p50_us, base.p99_us, base.per_s, base.stmts, base.wal_pages,
		       base.writes, base.syncs, base.faults);
		for (int k = 0; k < NOPS + 2; k++) {
			/* the last two: the pickup's rows again, with a day's backlog unsent */
			const struct stats *r = k < NOPS ? &ops[k] : &backlog[k == NOPS ? OP_POPEN : OP_PDOOR];
			char name[64];
			snprintf(name, sizeof name, "%s%s", op_names[k < NOPS ? k : k == NOPS ? OP_POPEN : OP_PDOOR],
				 k < NOPS ? "" : ", 10 000 unsent in the outbox");
			printf("| %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %.1f |"
			       " %.1f |\n",
			       name, r->per_s, r->p50_us, r->p99_us, base.per_s, r->per_s / base.per_s,
			       r->stmts, r->wal_pages, r->writes, r->syncs, r->faults);
		}
		printf("\n");
	}
	printf("| other | measured | baseline / target | ratio / verdict |\n|---|---|---|---|\n");
	import_run();
	eligibility_row();
	config_row();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("| peak RSS of this benchmark process | %ld KiB | | |\n", ru.ru_maxrss);
	return 0;
}
