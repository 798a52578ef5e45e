/* The transaction core: every operation, every refusal (with "nothing changed"), the
 * invariants, recovery, the outbox and the audit chain — on real SQLite files. */
#include "store_fixture.h"
#include "kiosk/store/archive.h"
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[256];
static struct kiosk_store *st;

static void setup(void)
{
	fx_now = 1795867200000LL;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	fx_seed(st);
}

static void teardown(void)
{
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	if (strcmp(msg, "ok") != 0)
		fprintf(stderr, "check: %s\n", msg);
	kiosk_store_close(st);
	st = NULL;
	fx_cleanup(path);
}

/* Asserts that call returns err and that no table changed. */
#define REFUSED(err, call)                                                                         \
	do {                                                                                       \
		char before_[65], after_[65];                                                      \
		fx_digest(st, before_);                                                            \
		CHECK_INT((call), (err));                                                          \
		fx_digest(st, after_);                                                             \
		CHECK_STR(after_, before_);                                                        \
	} while (0)

static long long events(const char *type)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE type = '%s'", type);
	return fx_int(st, sql);
}

static size_t read_file(const char *p, char *buf, size_t n)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return 0;
	size_t got = fread(buf, 1, n, f);
	fclose(f);
	return got;
}

static void open_refuses_foreign_newer_and_garbage(void)
{
	char p[256];
	struct kiosk_store *s2;
	fx_path(p, sizeof p);
	sqlite3 *db;
	sqlite3_open(p, &db);
	sqlite3_exec(db, "CREATE TABLE accounts(x); INSERT INTO accounts VALUES(1)", NULL, NULL,
		     NULL);
	sqlite3_close(db);
	static char before[65536], after[65536];
	size_t nb = read_file(p, before, sizeof before);
	CHECK_INT(fx_open(p, NULL, &s2), KIOSK_EVERSION);
	CHECK(s2 == NULL);
	/* Refused and left byte for byte as it was: not even switched to WAL. */
	CHECK(nb > 0 && read_file(p, after, sizeof after) == nb && memcmp(before, after, nb) == 0);
	char wal[270];
	snprintf(wal, sizeof wal, "%s-wal", p);
	CHECK(access(wal, F_OK) != 0);
	fx_cleanup(p);

	/* A store we may not write is refused at the open, as a permission problem. */
	fx_path(p, sizeof p);
	CHECK_INT(fx_open(p, NULL, &s2), KIOSK_OK);
	kiosk_store_close(s2);
	CHECK(chmod(p, 0444) == 0);
	*strrchr(p, '/') = '\0';
	CHECK(chmod(p, 0755) == 0);
	strcat(p, "/kiosk.db");
	pid_t pid = fork();
	if (pid == 0) {
		/* root writes anything: the check runs as nobody */
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(90);
		_exit(fx_open(p, NULL, &s2) == KIOSK_EPERM ? 0 : 1);
	}
	int wst = 0;
	CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	fx_cleanup(p);

	fx_path(p, sizeof p);
	CHECK_INT(fx_open(p, NULL, &s2), KIOSK_OK);
	sqlite3_exec(kiosk_store_db(s2), "PRAGMA user_version = 99", NULL, NULL, NULL);
	kiosk_store_close(s2);
	CHECK_INT(fx_open(p, NULL, &s2), KIOSK_EVERSION);
	fx_cleanup(p);

	fx_path(p, sizeof p);
	FILE *f = fopen(p, "w");
	for (int i = 0; i < 300; i++)
		fputs("this is not a database at all. ", f);
	fclose(f);
	CHECK_INT(fx_open(p, NULL, &s2), KIOSK_ECORRUPT);
	fx_cleanup(p);

	struct kiosk_store_opts ro = {.readonly = true};
	CHECK_INT(fx_open("/nonexistent/dir/kiosk.db", &ro, &s2), KIOSK_EDB);
	struct kiosk_store_opts bad = {0};
	CHECK_INT(kiosk_store_open(&bad, &s2), KIOSK_EINVAL);
}

static void reopen_keeps_data_and_schema(void)
{
	setup();
	CHECK_INT(kiosk_slot_restock(st, "A1", 4, "OP1"), KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_slot s;
	CHECK_INT(kiosk_slot_get(st, "A1", &s), KIOSK_OK);
	CHECK_INT(s.stock, 4);
	CHECK_INT(fx_int(st, "PRAGMA user_version"), KIOSK_STORE_SCHEMA);
	CHECK_INT(fx_int(st, "PRAGMA foreign_keys"), 1);
	CHECK_INT(fx_int(st, "PRAGMA synchronous"), 2); /* FULL */
	teardown();
}

static void restock_and_adjust(void)
{
	setup();
	struct kiosk_slot s;
	CHECK_INT(kiosk_slot_restock(st, "A1", 6, "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_slot_adjust(st, "A1", -2, "damaged", "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_slot_get(st, "A1", &s), KIOSK_OK);
	CHECK_INT(s.stock, 4);
	CHECK_INT(events("inventory.restocked"), 1);
	CHECK_INT(events("inventory.adjusted"), 1);
	REFUSED(KIOSK_EINVAL, kiosk_slot_restock(st, "A1", 7, "OP1")); /* above capacity */
	REFUSED(KIOSK_EINVAL, kiosk_slot_restock(st, "A1", 0, "OP1"));
	REFUSED(KIOSK_EINVAL, kiosk_slot_adjust(st, "A1", -5, "count", "OP1")); /* below zero */
	REFUSED(KIOSK_EINVAL, kiosk_slot_adjust(st, "A1", -1, "", "OP1"));     /* no reason */
	REFUSED(KIOSK_ENOENT, kiosk_slot_restock(st, "Z9", 1, "OP1"));
	REFUSED(KIOSK_EINVAL, kiosk_slot_restock(st, NULL, 1, "OP1"));
	struct kiosk_slot small = {"A1", "P1", 350, 3, 0, true};
	REFUSED(KIOSK_EINVAL, kiosk_slot_upsert(st, &small)); /* capacity below stock */
	struct kiosk_slot orphan = {"B1", "NOPE", 100, 5, 0, true};
	REFUSED(KIOSK_ENOENT, kiosk_slot_upsert(st, &orphan)); /* unknown product */
	struct kiosk_slot neg = {"B1", "P1", -1, 5, 0, true};
	REFUSED(KIOSK_EINVAL, kiosk_slot_upsert(st, &neg));
	teardown();
}

static void vend_cycle_and_refusals(void)
{
	setup();
	char order[37], o2[37];
	struct kiosk_order o;
	REFUSED(KIOSK_ESOLDOUT, kiosk_vend_create(st, "A1", order));
	REFUSED(KIOSK_ENOENT, kiosk_vend_create(st, "Q7", order));
	CHECK_INT(kiosk_slot_restock(st, "A1", 2, "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_vend_create(st, "A1", order), KIOSK_OK);
	CHECK_INT(strlen(order), 36);
	REFUSED(KIOSK_ESTATE, kiosk_vend_dispensing(st, order)); /* not paid */
	REFUSED(KIOSK_EINVAL, kiosk_vend_paid(st, order, KIOSK_PAY_QR, "pay-1", 300));
	REFUSED(KIOSK_EINVAL, kiosk_vend_paid(st, order, (enum kiosk_pay_method)9, "x", 350));
	REFUSED(KIOSK_ENOENT, kiosk_vend_paid(st, "no-such-order", KIOSK_PAY_QR, "p", 350));
	CHECK_INT(kiosk_vend_paid(st, order, KIOSK_PAY_QR, "pay-1", 350), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_vend_paid(st, order, KIOSK_PAY_QR, "pay-1", 350));
	CHECK_INT(kiosk_vend_dispensing(st, order), KIOSK_OK);
	CHECK_INT(kiosk_vend_dispensed(st, order), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_vend_dispensed(st, order));
	REFUSED(KIOSK_ESTATE, kiosk_vend_failed(st, order, "late"));
	CHECK_INT(kiosk_vend_get(st, order, &o), KIOSK_OK);
	CHECK_STR(o.state, "dispensed");
	CHECK(!o.refunded);
	struct kiosk_slot s;
	kiosk_slot_get(st, "A1", &s);
	CHECK_INT(s.stock, 1);
	CHECK_INT(events("vend.paid"), 1);
	CHECK_INT(events("vend.dispensed"), 1);

	/* A motor jam after payment: failed, exactly one refund, stock unchanged. */
	CHECK_INT(kiosk_vend_create(st, "A1", o2), KIOSK_OK);
	CHECK_INT(kiosk_vend_paid(st, o2, KIOSK_PAY_MDB, "mdb-7", 350), KIOSK_OK);
	CHECK_INT(kiosk_vend_dispensing(st, o2), KIOSK_OK);
	CHECK_INT(kiosk_vend_failed(st, o2, "motor jammed"), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_vend_failed(st, o2, "motor jammed"));
	CHECK_INT(kiosk_vend_get(st, o2, &o), KIOSK_OK);
	CHECK_STR(o.state, "failed");
	CHECK(o.refunded);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM refund"), 1);
	CHECK_INT(events("payment.refund_requested"), 1);
	CHECK_INT(fx_int(st, "SELECT json_extract(data, '$.amount_fen') FROM outbox WHERE type ="
			     " 'payment.refund_requested'"),
		  350);
	kiosk_slot_get(st, "A1", &s);
	CHECK_INT(s.stock, 1);

	/* An unpaid order that is given up is cancelled without a refund. */
	CHECK_INT(kiosk_vend_create(st, "A1", o2), KIOSK_OK);
	CHECK_INT(kiosk_vend_failed(st, o2, "resident left"), KIOSK_OK);
	CHECK_INT(kiosk_vend_get(st, o2, &o), KIOSK_OK);
	CHECK_STR(o.state, "cancelled");
	CHECK_INT(fx_int(st, "SELECT count(*) FROM refund"), 1);
	teardown();
}

static void deposit_pickup_with_fee_and_lockout(void)
{
	setup();
	char parcel[37], code[9], other[37];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	int wait = -1;
	REFUSED(KIOSK_EINVAL, kiosk_parcel_deposit_begin(st, "C1", "SF100", "1381234567",
							 KIOSK_SIZE_S, parcel, &door));
	REFUSED(KIOSK_EDENIED, kiosk_parcel_deposit_begin(st, "C9", "SF100", "13812345678",
							  KIOSK_SIZE_S, parcel, &door));
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF100", "13812345678", KIOSK_SIZE_M, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "M1"); /* the smallest free one that fits */
	CHECK_INT(door.lock, 3);
	REFUSED(KIOSK_EEXIST, kiosk_parcel_deposit_begin(st, "C1", "SF100", "13812345678",
							 KIOSK_SIZE_S, other, &door));
	REFUSED(KIOSK_ESTATE, kiosk_parcel_deposit_commit(st, parcel, code)); /* door not open */
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED));
	int64_t deposited = fx_now;
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	CHECK_INT(strlen(code), 8);
	CHECK_INT(strspn(code, "0123456789"), 8);
	struct kiosk_compartment c;
	kiosk_compartment_get(st, "M1", &c);
	CHECK_STR(c.state, "occupied");
	/* The code is in the event for the platform's SMS, and nowhere else in plain text. */
	char sql[256], codeq[128];
	snprintf(codeq, sizeof codeq,
		 "SELECT count(*) FROM outbox WHERE json_extract(data, '$.pickup_code') = '%s'",
		 code);
	CHECK_INT(fx_int(st, codeq), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit WHERE detail LIKE '%%%s%%' OR subject LIKE '%%%s%%'",
		 code, code);
	CHECK_INT(fx_int(st, sql), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE phone_last4 = '5678'"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE tracking_no LIKE '%13812345678%'"),
		  0);

	/* Wrong codes: refused, counted; the fifth locks the kiosk for 5 minutes. */
	char wrong[12];
	snprintf(wrong, sizeof wrong, "%08d", (atoi(code) + 1) % 100000000);
	CHECK_INT(kiosk_pickup_tries_left(st), 5);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDENIED);
		CHECK_INT(wait, 0);
		CHECK_INT(kiosk_pickup_tries_left(st), 4 - i); /* what the resident is told */
	}
	CHECK_INT(kiosk_pickup_check(st, "12ab", &pk, &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	fx_now += 60 * 1000;
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_ELOCKED); /* even the right one */
	CHECK_INT(wait, 240);
	fx_now += 241 * 1000;
	CHECK_INT(kiosk_pickup_tries_left(st), 5); /* a fresh count after the lockout */
	/* one wrong, then the window (10 min) passes: the count starts again */
	CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_pickup_tries_left(st), 4);
	fx_now += 11 * 60 * 1000;
	CHECK_INT(kiosk_pickup_tries_left(st), 5);

	/* 30 h after deposit: 12 h over the free 18 h = one started block = 0.50 CNY. */
	fx_now = deposited + 30LL * 3600 * 1000;
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_OK);
	CHECK_STR(pk.parcel, parcel);
	CHECK_STR(pk.compartment, "M1");
	CHECK_STR(pk.phone_masked, "*******5678");
	CHECK_INT(pk.fee_fen, 50);
	REFUSED(KIOSK_EUNPAID, kiosk_pickup_open(st, parcel, &door));
	REFUSED(KIOSK_EINVAL, kiosk_parcel_pay_fee(st, parcel, KIOSK_PAY_QR, "fee-1", 80));
	CHECK_INT(kiosk_parcel_pay_fee(st, parcel, KIOSK_PAY_QR, "fee-1", 50), KIOSK_OK);
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	/* A second press while the first door command has no outcome is refused. */
	struct kiosk_door door2;
	REFUSED(KIOSK_EBUSY, kiosk_pickup_open(st, parcel, &door2));
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	struct kiosk_parcel p;
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "picked_up");
	kiosk_compartment_get(st, "M1", &c);
	CHECK_STR(c.state, "free");
	CHECK_INT(fx_int(st, "SELECT json_extract(data, '$.fee_fen') FROM outbox"
			     " WHERE type = 'parcel.picked_up'"),
		  50);
	/* Picked up: the code is dead, and erased from the unsent outbox row it waited in. */
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_EDENIED);
	CHECK_INT(fx_int(st, codeq), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE sent = 0"
			     " AND type = 'parcel.deposited'"),
		  1);
	/* "Still inside": that compartment may be opened once more, shortly after. */
	REFUSED(KIOSK_EDENIED, kiosk_door_reopen_after_pickup(st, "S2", &door2));
	CHECK_INT(kiosk_door_reopen_after_pickup(st, "M1", &door2), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door2.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	REFUSED(KIOSK_EDENIED, kiosk_door_reopen_after_pickup(st, "M1", &door2)); /* once */
	teardown();
}

/* A successful pickup in between does not reset the lockout's escalation (a guesser with
 * a parcel of his own could otherwise reset it at will); a quiet day does. */
static void code_lockout_escalates_until_a_quiet_day(void)
{
	setup();
	char parcel[37], code[9], wrong[12];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	int wait = 0;
	kiosk_parcel_deposit_begin(st, "C1", "JD5", "13812345678", KIOSK_SIZE_S, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	snprintf(wrong, sizeof wrong, "%08d", (atoi(code) + 1) % 100000000);
	for (int i = 0; i < 4; i++)
		CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	fx_now += 301 * 1000;
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_OK);
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	for (int i = 0; i < 4; i++)
		CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 600);
	fx_now += 25LL * 3600 * 1000;
	for (int i = 0; i < 4; i++)
		CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	teardown();
}

static void fee_rule_is_capped(void)
{
	setup();
	char parcel[37], code[9];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "YT7", "13900001111", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, parcel, code);
	static const struct {
		int64_t hours_ms;
		int64_t fee;
	} rows[] = {{18LL * 3600000, 0},       {18LL * 3600000 + 1, 50}, {30LL * 3600000, 50},
		    {30LL * 3600000 + 1, 100}, {90LL * 3600000, 300},   {900LL * 3600000, 300}};
	int64_t t0 = fx_now;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fx_now = t0 + rows[i].hours_ms;
		CHECK_INT(kiosk_pickup_check(st, code, &pk, NULL), KIOSK_OK);
		CHECK_INT(pk.fee_fen, rows[i].fee);
	}
	teardown();
}

static void jam_moves_to_another_compartment(void)
{
	setup();
	char parcel[37], p2[37];
	struct kiosk_door door;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "JD1", "13700001234", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "S1");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_JAMMED), KIOSK_OK);
	struct kiosk_compartment c;
	kiosk_compartment_get(st, "S1", &c);
	CHECK_STR(c.state, "faulty");
	struct kiosk_parcel p;
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "cancelled");
	CHECK_INT(events("locker.fault"), 1);
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "JD1", "13700001234", KIOSK_SIZE_S, p2,
					     &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "S2");
	int free_counts[4];
	kiosk_compartment_free_counts(st, free_counts);
	CHECK_INT(free_counts[KIOSK_SIZE_S], 0);
	CHECK_INT(free_counts[KIOSK_SIZE_M], 1);
	/* The operator cannot enable a compartment with a parcel inside. */
	REFUSED(KIOSK_ESTATE, kiosk_compartment_set(st, "S2", "disabled", "OP1"));
	CHECK_INT(kiosk_compartment_set(st, "S1", "free", "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_set(st, "L1", "disabled", "OP1"), KIOSK_OK);
	REFUSED(KIOSK_EINVAL, kiosk_compartment_set(st, "L1", "open", "OP1"));
	REFUSED(KIOSK_ENOENT, kiosk_compartment_set(st, "ZZ", "free", "OP1"));
	REFUSED(KIOSK_EEXIST, kiosk_compartment_add(st, "S9", 0, 1, KIOSK_SIZE_S)); /* lock 1 is S1 */
	REFUSED(KIOSK_EINVAL, kiosk_compartment_add(st, "S9", 0, 0, KIOSK_SIZE_S)); /* no lock 0 */
	REFUSED(KIOSK_EINVAL, kiosk_compartment_add(st, "S9", 0, 25, KIOSK_SIZE_S));
	teardown();
}

static void no_compartment_of_that_size(void)
{
	setup();
	char parcel[37];
	struct kiosk_door door;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "EMS1", "13700001234", KIOSK_SIZE_L, parcel,
					     &door),
		  KIOSK_OK);
	REFUSED(KIOSK_ENOFREE, kiosk_parcel_deposit_begin(st, "C1", "EMS2", "13700001234",
							  KIOSK_SIZE_L, parcel, &door));
	REFUSED(KIOSK_ENOFREE, kiosk_parcel_deposit_begin(st, "C1", "EMS2", "13700001234",
							  KIOSK_SIZE_XL, parcel, &door));
	teardown();
}

static void expire_and_retrieve(void)
{
	setup();
	char parcel[37], code[9];
	struct kiosk_door door;
	kiosk_parcel_deposit_begin(st, "C1", "ZTO9", "13600009999", KIOSK_SIZE_S, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, parcel, code);
	REFUSED(KIOSK_ESTATE, kiosk_parcel_retrieve_open(st, "C1", parcel, &door));
	CHECK_INT(kiosk_parcel_expire_due(st), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE data LIKE '%pickup_code%'"), 1);
	fx_now += 3LL * 24 * 3600 * 1000;
	CHECK_INT(kiosk_parcel_expire_due(st), 1);
	/* Expired, never acked by a platform: the plain code is gone from the outbox, the
	 * event stays (without it) for the platform. */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE data LIKE '%pickup_code%'"), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.deposited'"), 1);
	REFUSED(KIOSK_EDENIED, kiosk_parcel_retrieve_open(st, "C7", parcel, &door));
	/* Taken out only once its door opened for it and closed on an empty compartment
	 * (the flow decides that from the door); the opening alone moves nothing. */
	REFUSED(KIOSK_ESTATE, kiosk_takeout_done(st, parcel)); /* no door opened for it */
	CHECK_INT(kiosk_parcel_retrieve_open(st, "C1", parcel, &door), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_takeout_done(st, parcel)); /* the door is not open yet */
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	struct kiosk_parcel p;
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "expired");
	CHECK_INT(events("parcel.expired_retrieved"), 0);
	CHECK_INT(kiosk_takeout_done(st, parcel), KIOSK_OK);
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "retrieved");
	CHECK_INT(events("parcel.expired_retrieved"), 1);
	REFUSED(KIOSK_ESTATE, kiosk_takeout_done(st, parcel)); /* once */
	REFUSED(KIOSK_EINVAL, kiosk_takeout_done(st, NULL));
	teardown();
}

/* A takeout whose door opened before a restart is taken out, unless the compartment's
 * item sensor last saw something (then it stays where it is). */
static void recovery_settles_takeouts(void)
{
	setup();
	char a[37], b[37], code[9];
	struct kiosk_door door;
	kiosk_parcel_deposit_begin(st, "C1", "ZTO1", "13600009999", KIOSK_SIZE_S, a, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, a, code);
	kiosk_parcel_deposit_begin(st, "C1", "ZTO2", "13600009999", KIOSK_SIZE_S, b, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, b, code);
	fx_now += 4LL * 24 * 3600 * 1000;
	CHECK_INT(kiosk_parcel_expire_due(st), 2);
	struct kiosk_door da, db;
	CHECK_INT(kiosk_parcel_retrieve_open(st, "C1", a, &da), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, da.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_retrieve_open(st, "C1", b, &db), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, db.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_compartment_item(st, db.compartment, true), KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.takeouts_assumed_out, 1);
	struct kiosk_parcel p;
	kiosk_parcel_get(st, a, &p);
	CHECK_STR(p.state, "retrieved");
	kiosk_parcel_get(st, b, &p);
	CHECK_STR(p.state, "expired");
	struct kiosk_compartment c;
	kiosk_compartment_get(st, da.compartment, &c);
	CHECK_STR(c.state, "free");
	kiosk_compartment_get(st, db.compartment, &c);
	CHECK_STR(c.state, "occupied");
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

static void send_and_collect(void)
{
	setup();
	char parcel[37];
	struct kiosk_door door;
	CHECK_INT(kiosk_person_upsert(st, "C2", "courier", "Zhao", "YTO", fx_pinhash("1234")),
		  KIOSK_OK);
	REFUSED(KIOSK_EINVAL, kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_M, 0), parcel));
	/* An unpaid send holds its compartment for 10 minutes, then lets it go. */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_L, 1500), parcel), KIOSK_OK);
	struct kiosk_compartment lc;
	kiosk_compartment_get(st, "L1", &lc);
	CHECK_STR(lc.state, "reserved");
	fx_now += 9 * 60 * 1000;
	CHECK_INT(kiosk_compartment_release_expired(st), 0);
	fx_now += 2 * 60 * 1000;
	CHECK_INT(kiosk_compartment_release_expired(st), 1);
	kiosk_compartment_get(st, "L1", &lc);
	CHECK_STR(lc.state, "free");
	REFUSED(KIOSK_ESTATE, kiosk_send_paid(st, parcel, KIOSK_PAY_QR, "q", 1500));
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_M, 1200), parcel), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_send_open(st, parcel, &door)); /* not paid */
	REFUSED(KIOSK_EINVAL, kiosk_send_paid(st, parcel, KIOSK_PAY_QR, "q", 1000));
	CHECK_INT(kiosk_send_paid(st, parcel, KIOSK_PAY_QR, "q", 1200), KIOSK_OK);
	CHECK_INT(kiosk_send_open(st, parcel, &door), KIOSK_OK);
	CHECK_STR(door.compartment, "M1");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	/* A send made before numbers were issued (a store from before v7) gets one when it
	 * goes in, and it is the event's. */
	char number[9];
	CHECK_INT(kiosk_send_number(st, parcel, number), KIOSK_OK);
	CHECK_INT(strspn(number, "0123456789"), 8);
	sqlite3_exec(kiosk_store_db(st), "UPDATE parcel SET send_number = NULL", NULL, NULL, NULL);
	CHECK_INT(kiosk_send_number(st, parcel, number), KIOSK_ENOENT);
	CHECK_INT(kiosk_send_deposited(st, parcel, NULL), KIOSK_OK);
	CHECK_INT(events("parcel.send_requested"), 1);
	CHECK_INT(kiosk_send_number(st, parcel, number), KIOSK_OK);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE json_extract(data,"
		 " '$.send_number') = '%s'", number);
	CHECK_INT(fx_int(st, sql), 1);
	/* Never two sends with one number: the store refuses it outright. */
	CHECK_INT(sqlite3_exec(kiosk_store_db(st), "UPDATE parcel SET send_number = (SELECT"
			       " send_number FROM parcel WHERE send_number IS NOT NULL LIMIT 1)"
			       " WHERE kind = 'send'", NULL, NULL, NULL),
		  SQLITE_CONSTRAINT_UNIQUE);
	CHECK_INT(kiosk_send_number(st, "no-such-parcel", number), KIOSK_ENOENT);
	REFUSED(KIOSK_EDENIED, kiosk_send_collect_open(st, "C2", parcel, &door)); /* YTO ≠ SF */
	CHECK_INT(kiosk_send_collect_open(st, "C1", parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_takeout_done(st, parcel), KIOSK_OK);
	struct kiosk_parcel p;
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "collected");
	teardown();
}

/* 到付: the resident sends without paying the kiosk; the carrier's courier collects it. */
static void send_freight_collect(void)
{
	setup();
	char parcel[37], other[37], next[37], carriers[4][32];
	struct kiosk_door door;
	struct kiosk_compartment c;
	struct kiosk_parcel p;
	int n = 0;
	CHECK_INT(kiosk_send_carriers(st, carriers, 4, &n), KIOSK_OK);
	CHECK_INT(n, 1);
	CHECK_STR(carriers[0], "SF");
	CHECK_INT(kiosk_person_upsert(st, "C2", "courier", "Zhao", "YTO", fx_pinhash("1234")),
		  KIOSK_OK);
	CHECK_INT(kiosk_send_carriers(st, carriers, 4, &n), KIOSK_OK);
	CHECK_INT(n, 2);
	CHECK_STR(carriers[1], "YTO");
	/* Nobody of ZTO comes here: refused before anything is reserved. */
	REFUSED(KIOSK_ENOENT, kiosk_send_begin(st, fx_walkin("ZTO", KIOSK_SIZE_M, 0), parcel, &door));
	REFUSED(KIOSK_EINVAL, kiosk_send_begin(st, fx_walkin("", KIOSK_SIZE_M, 0), parcel, &door));
	REFUSED(KIOSK_EINVAL,
		kiosk_send_begin(st, fx_walkin("SF", (enum kiosk_size)7, 0), parcel, &door));
	CHECK_INT(kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_M, 0), parcel, &door), KIOSK_OK);
	CHECK_STR(door.compartment, "M1");
	/* Settled: the reservation does not lapse while the resident is at the door. */
	fx_now += 11 * 60 * 1000;
	CHECK_INT(kiosk_compartment_release_expired(st), 0);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "send_depositing");
	/* Changed their mind with the door open: the compartment is free again. */
	CHECK_INT(kiosk_send_cancel(st, parcel), KIOSK_OK);
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "cancelled");
	kiosk_compartment_get(st, "M1", &c);
	CHECK_STR(c.state, "free");
	REFUSED(KIOSK_ESTATE, kiosk_send_cancel(st, parcel));
	/* A board that did not answer: the compartment is unknown and stays so after the
	 * resident gives up (the operator resolves it). */
	CHECK_INT(kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_S, 0), parcel, &door), KIOSK_OK);
	CHECK_STR(door.compartment, "S1");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_UNKNOWN), KIOSK_OK);
	CHECK_INT(kiosk_send_cancel(st, parcel), KIOSK_OK);
	kiosk_compartment_get(st, "S1", &c);
	CHECK_STR(c.state, "unknown");
	/* A jammed door: the compartment is faulty and the send opens another one. */
	CHECK_INT(kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_M, 0), parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_JAMMED), KIOSK_OK);
	kiosk_compartment_get(st, "M1", &c);
	CHECK_STR(c.state, "faulty");
	CHECK_INT(kiosk_send_open(st, parcel, &door), KIOSK_OK);
	CHECK_STR(door.compartment, "L1");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_send_deposited(st, parcel, NULL), KIOSK_OK);
	CHECK_INT(events("parcel.send_requested"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.send_requested'"
			     " AND json_extract(data, '$.amount_fen') = 0"
			     " AND json_extract(data, '$.carrier') = 'SF'"),
		  1);
	REFUSED(KIOSK_ESTATE, kiosk_send_cancel(st, parcel)); /* it is in the locker now */
	/* Only SF's courier is given it, and told it waits. */
	int64_t expired = -1, sends = -1;
	CHECK_INT(kiosk_courier_tasks(st, "C1", &expired, &sends), KIOSK_OK);
	CHECK_INT(expired, 0);
	CHECK_INT(sends, 1);
	CHECK_INT(kiosk_courier_tasks(st, "C2", &expired, &sends), KIOSK_OK);
	CHECK_INT(sends, 0);
	REFUSED(KIOSK_EDENIED, kiosk_courier_tasks(st, "OP1", &expired, &sends));
	REFUSED(KIOSK_ENOENT, kiosk_send_next_to_collect(st, "C2", next));
	REFUSED(KIOSK_EDENIED, kiosk_send_next_to_collect(st, "OP1", next));
	CHECK_INT(kiosk_send_next_to_collect(st, "C1", next), KIOSK_OK);
	CHECK_STR(next, parcel);
	/* A send paid for at the kiosk cannot be cancelled there (the refund is not ours). */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_S, 1200), other), KIOSK_OK);
	CHECK_INT(kiosk_send_paid(st, other, KIOSK_PAY_QR, "q", 1200), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_send_cancel(st, other));
	CHECK_INT(kiosk_send_collect_open(st, "C1", next, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_takeout_done(st, next), KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_send_next_to_collect(st, "C1", next));
	kiosk_compartment_get(st, "L1", &c);
	CHECK_STR(c.state, "free");
	teardown();
}

/* A compartment lost (board silent, unanswered door) comes back: by itself when its board
 * answers and nothing of ours went unanswered, or by the operator who checked it. */
static void lost_compartments_come_back(void)
{
	setup();
	char parcel[37], send[37], code[9];
	struct kiosk_door door;
	struct kiosk_compartment c;
	struct kiosk_parcel p;
	/* A settled parcel in S1: lost, then found — occupied again. */
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF1", "13812345678", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	CHECK_INT(kiosk_compartment_lost(st, "S1"), KIOSK_OK);
	kiosk_compartment_get(st, "S1", &c);
	CHECK_STR(c.state, "unknown");
	CHECK_INT(kiosk_compartment_found(st, "S1", NULL), KIOSK_OK);
	kiosk_compartment_get(st, "S1", &c);
	CHECK_STR(c.state, "occupied");
	/* Disabled stays disabled through an outage. */
	CHECK_INT(kiosk_compartment_set(st, "L1", "disabled", "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_lost(st, "L1"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_found(st, "L1", NULL), KIOSK_OK);
	kiosk_compartment_get(st, "L1", &c);
	CHECK_STR(c.state, "disabled");
	/* A deposit whose door never answered (the reproduction: killed while the
	 * door was open, the parcel put in, the door closed): not found by itself, and the
	 * operator's "enable" no longer cancels it blind — it asks them to look first. */
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF2", "13812345678", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "S2");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_UNKNOWN), KIOSK_OK);
	REFUSED(KIOSK_OK, kiosk_compartment_found(st, "S2", NULL));
	REFUSED(KIOSK_ESTATE, kiosk_compartment_set(st, "S2", "disabled", "OP1"));
	REFUSED(KIOSK_ELOOK, kiosk_compartment_set(st, "S2", "free", "OP1"));
	struct kiosk_look look;
	CHECK_INT(kiosk_compartment_look(st, "S2", &look), KIOSK_OK);
	CHECK(look.in_flight && !look.item);
	CHECK_STR(look.tracking, "SF2");
	/* The operator opens it to look (allowed while unknown), and finds the parcel. */
	CHECK_INT(kiosk_compartment_inspect_intent(st, "S2", "OP1", &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	kiosk_compartment_item(st, "S2", true);
	REFUSED(KIOSK_EITEM, kiosk_compartment_resolve(st, "S2", "OP1", false)); /* not empty */
	CHECK_INT(kiosk_compartment_resolve(st, "S2", "OP1", true), KIOSK_OK);
	kiosk_compartment_get(st, "S2", &c);
	CHECK_STR(c.state, "occupied");
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "deposited"); /* its code went out for the SMS */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.deposited'"
			     " AND data LIKE '%SF2%' AND data LIKE '%pickup_code%'"),
		  1);
	REFUSED(KIOSK_ESTATE, kiosk_compartment_resolve(st, "S2", "OP1", true)); /* decided */
	/* Another one, found empty: cancelled, and the compartment is free again. */
	CHECK_INT(kiosk_compartment_set(st, "L1", "free", "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF3", "13812345678", KIOSK_SIZE_L, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "L1");
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_UNKNOWN), KIOSK_OK);
	REFUSED(KIOSK_ELOOK, kiosk_compartment_set(st, "L1", "free", "OP1"));
	CHECK_INT(kiosk_compartment_resolve(st, "L1", "OP1", false), KIOSK_OK);
	kiosk_compartment_get(st, "L1", &c);
	CHECK_STR(c.state, "free");
	kiosk_parcel_get(st, parcel, &p);
	CHECK_STR(p.state, "cancelled");
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'parcel.abandoned'"), 1);
	/* Something in a free compartment (left behind, put in by hand): never allocated,
	 * and not enabled as free while it is there. */
	kiosk_compartment_item(st, "L1", true);
	int free_n[4];
	CHECK_INT(kiosk_compartment_free_counts(st, free_n), KIOSK_OK);
	CHECK_INT(free_n[KIOSK_SIZE_L], 0);
	REFUSED(KIOSK_ENOFREE, kiosk_parcel_deposit_begin(st, "C1", "SF4", "13812345678",
							  KIOSK_SIZE_L, parcel, &door));
	CHECK_INT(kiosk_compartment_set(st, "L1", "disabled", "OP1"), KIOSK_OK);
	REFUSED(KIOSK_EITEM, kiosk_compartment_set(st, "L1", "free", "OP1"));
	kiosk_compartment_item(st, "L1", false);
	CHECK_INT(kiosk_compartment_set(st, "L1", "free", "OP1"), KIOSK_OK);
	/* A paid send lost on its way in: found empty, only a refund can settle it, so that
	 * is refused; found inside, it is in for its carrier. */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_M, 1200), send), KIOSK_OK);
	CHECK_INT(kiosk_send_paid(st, send, KIOSK_PAY_QR, "q", 1200), KIOSK_OK);
	CHECK_INT(kiosk_send_open(st, send, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_UNKNOWN), KIOSK_OK);
	REFUSED(KIOSK_ELOOK, kiosk_compartment_set(st, "M1", "free", "OP1"));
	REFUSED(KIOSK_ESTATE, kiosk_compartment_resolve(st, "M1", "OP1", false));
	CHECK_INT(kiosk_compartment_resolve(st, "M1", "OP1", true), KIOSK_OK);
	kiosk_parcel_get(st, send, &p);
	CHECK_STR(p.state, "send_deposited");
	/* A settled parcel in a faulty compartment: enabling keeps it occupied. */
	CHECK_INT(kiosk_compartment_set(st, "S1", "faulty", "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_set(st, "S1", "free", "OP1"), KIOSK_OK);
	kiosk_compartment_get(st, "S1", &c);
	CHECK_STR(c.state, "occupied");
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

/* A deposit whose door opened but was never finished is the courier's to settle at the
 * next login; one still waiting for its door, or finished, is not. */
static void unfinished_deposit_is_found(void)
{
	setup();
	char parcel[37], code[9];
	struct kiosk_door door;
	struct kiosk_parcel p;
	CHECK_INT(kiosk_person_upsert(st, "C2", "courier", "Zhao", "YTO", fx_pinhash("1234")),
		  KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_parcel_unfinished(st, "C1", &p));
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF4242", "13812345678", KIOSK_SIZE_M,
					     parcel, &door),
		  KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_parcel_unfinished(st, "C1", &p)); /* door not yet open */
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_unfinished(st, "C1", &p), KIOSK_OK);
	CHECK_STR(p.id, parcel);
	CHECK_STR(p.tracking, "SF4242");
	CHECK_STR(p.compartment, "M1");
	REFUSED(KIOSK_ENOENT, kiosk_parcel_unfinished(st, "C2", &p)); /* not theirs */
	REFUSED(KIOSK_EINVAL, kiosk_parcel_unfinished(st, "", &p));
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_parcel_unfinished(st, "C1", &p));
	teardown();
}

static void login_and_lockout(void)
{
	setup();
	int wait = -1;
	CHECK_INT(kiosk_person_login(st, "C1", "courier", "1234", &wait), KIOSK_OK);
	CHECK_INT(kiosk_person_login(st, "C1", "operator", "1234", &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_person_login(st, "nobody", "courier", "1234", &wait), KIOSK_EDENIED);
	for (int i = 0; i < 4; i++)
		CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "9999", &wait), KIOSK_ELOCKED);
	fx_now += 301 * 1000;
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "9999", &wait), KIOSK_OK);
	/* The right PIN does not reset the escalation: the next five wrong ones lock for
	 * twice as long (before, every round of five was locked 5 minutes). */
	for (int round = 1; round <= 3; round++) {
		for (int i = 0; i < 4; i++)
			CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait),
				  KIOSK_EDENIED);
		CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_ELOCKED);
		CHECK_INT(wait, 300 << round);
		fx_now += (300LL << round) * 1000 + 1000;
	}
	/* Another person is not locked by it. */
	CHECK_INT(kiosk_person_login(st, "C1", "courier", "1234", &wait), KIOSK_OK);
	/* A quiet day forgives: back to 5 minutes. */
	fx_now += 25LL * 3600 * 1000;
	for (int i = 0; i < 4; i++)
		CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_EDENIED);
	CHECK_INT(kiosk_person_login(st, "OP1", "operator", "0000", &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	REFUSED(KIOSK_EINVAL, kiosk_person_upsert(st, "C3", "courier", "X", "SF", "plain:1234"));
	REFUSED(KIOSK_EINVAL, kiosk_person_upsert(st, "C3", "courier", "X", "SF",
						  "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$"
						  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	/* more rounds than verify in ~250 ms: a courier would stand waiting (and minutes of
	 * work could be asked of the kiosk) */
	REFUSED(KIOSK_EINVAL, kiosk_person_upsert(st, "C3", "courier", "X", "SF",
						  "pbkdf2-sha256$10000000$AAAAAAAAAAAAAAAAAAAAAA==$"
						  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	REFUSED(KIOSK_EINVAL, kiosk_person_upsert(st, "C3", "admin", "X", "SF", fx_pinhash("1234")));
	/* No PIN in plain text anywhere. */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM person WHERE pin_hash NOT LIKE 'pbkdf2-sha256$%'"),
		  0);
	teardown();
}

static void outbox_ack_erases_code_and_dead_letters(void)
{
	setup();
	char parcel[37], code[9];
	struct kiosk_door door;
	kiosk_parcel_deposit_begin(st, "C1", "SF1", "13812345678", KIOSK_SIZE_S, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, parcel, code);
	CHECK_INT(kiosk_event_help(st, "zh", true), KIOSK_OK);
	CHECK_INT(kiosk_event_feedback(st, "pickup", 5, "很方便"), KIOSK_OK);
	REFUSED(KIOSK_EINVAL, kiosk_event_feedback(st, "pickup", 6, NULL));
	REFUSED(KIOSK_EINVAL, kiosk_event_help(st, "fr", false));
	struct kiosk_event_batch b;
	CHECK_INT(kiosk_outbox_peek(st, 500, &b), KIOSK_OK);
	CHECK_INT(b.n, 3);
	CHECK_INT(b.ev[0].seq, 1);
	CHECK_STR(b.ev[0].type, "parcel.deposited");
	CHECK_HAS(b.ev[0].data, code);
	CHECK_STR(b.ev[1].type, "help.requested");
	CHECK_HAS(b.ev[1].data, "\"elderly_mode\":true");
	CHECK_INT(strlen(b.ev[2].id), 36);
	kiosk_outbox_batch_free(&b);
	REFUSED(KIOSK_EINVAL, kiosk_outbox_ack(st, 4));
	REFUSED(KIOSK_EINVAL, kiosk_outbox_peek(st, 501, &b));
	int64_t unsent, last;
	CHECK_INT(kiosk_outbox_depth(st, &unsent, &last), KIOSK_OK);
	CHECK_INT(unsent, 3); /* counted as they came, not by a count of the table */
	CHECK_INT(kiosk_outbox_ack(st, 1), KIOSK_OK);
	CHECK_INT(kiosk_outbox_depth(st, &unsent, &last), KIOSK_OK);
	CHECK_INT(unsent, 2);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE data LIKE '%pickup_code%'"), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE json_extract(data, '$.tracking_no')"
			     " = 'SF1'"),
		  1);
	CHECK_INT(kiosk_outbox_dead_letter(st, 2, "unknown_type"), KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_outbox_dead_letter(st, 2, "again"));
	CHECK_INT(kiosk_outbox_depth(st, &unsent, &last), KIOSK_OK);
	CHECK_INT(unsent, 1);
	CHECK_INT(last, 3);
	int64_t oldest, dead;
	CHECK_INT(kiosk_outbox_stats(st, &unsent, &oldest, &dead), KIOSK_OK);
	CHECK_INT(unsent, 1);
	CHECK_INT(dead, 1);
	/* a count that drifted from the table is an invariant broken, by name */
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	sqlite3_exec(kiosk_store_db(st), "UPDATE meta SET value = 7 WHERE key = 'outbox_unsent'",
		     NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "the unsent count differs from the unsent events: counted=7 unsent=1");
	sqlite3_exec(kiosk_store_db(st), "UPDATE meta SET value = 1 WHERE key = 'outbox_unsent'",
		     NULL, NULL, NULL);
	CHECK_INT(kiosk_outbox_peek(st, 10, &b), KIOSK_OK);
	CHECK_INT(b.n, 1);
	CHECK_INT(b.ev[0].seq, 3);
	kiosk_outbox_batch_free(&b);
	teardown();
}

static int proved(void *arg, const char *order, const char *slot)
{
	(void)order;
	(void)slot;
	return *(int *)arg;
}

/* The tables that grow with history. */
static bool is_big(const char *name, size_t n)
{
	static const char *const big[] = {"parcel", "outbox", "door_op", "audit", "payment",
					  "vend_order", "refund", NULL};
	/* (dead_letter is left out: events the platform refused for good, few, and cleared
	 * by the operator) */
	for (int i = 0; big[i]; i++)
		if (strlen(big[i]) == n && strncmp(big[i], name, n) == 0)
			return true;
	return false;
}

/* The table an alias in sql stands for ("parcel p", "parcel AS p"), or the name itself. */
static void table_of(const char *sql, const char *alias, size_t an, char *out, size_t cap)
{
	snprintf(out, cap, "%.*s", (int)an, alias);
	for (const char *p = sql; (p = strstr(p, " ")); p++) {
		/* "<table> <alias>" or "<table> AS <alias>" after FROM or JOIN */
		const char *w = p + 1;
		if (strncmp(w, "AS ", 3) == 0)
			w += 3;
		if (strncmp(w, alias, an) != 0 || (w[an] && w[an] != ' ' && w[an] != ',' &&
						    w[an] != ')'))
			continue;
		const char *end = p;
		if (strncmp(end - 3, " AS", 3) == 0)
			end -= 3;
		const char *start = end;
		while (start > sql && start[-1] != ' ')
			start--;
		const char *kw = start - 1;
		while (kw > sql && kw[-1] != ' ')
			kw--;
		if (kw >= sql && (strncmp(kw, "FROM ", 5) == 0 || strncmp(kw, "JOIN ", 5) == 0)) {
			snprintf(out, cap, "%.*s", (int)(end - start), start);
			return;
		}
	}
}

/* A plan that reads a big table whole: "SCAN parcel" (or its alias), not "SCAN parcel
 * USING INDEX …" (a partial index of live rows) and not a search; or one that builds an
 * automatic index (a scan of the whole table on every run). */
static const char *whole_scan(const char *sql, const char *plan)
{
	static char hit[160];
	if (strstr(plan, "AUTOMATIC")) {
		snprintf(hit, sizeof hit, "an automatic index");
		return hit;
	}
	for (const char *p = plan; (p = strstr(p, "SCAN ")); p += 5) {
		const char *name = p + 5;
		size_t n = strcspn(name, " \n");
		const char *rest = name + n;
		if (strncmp(rest, " USING", 6) == 0)
			continue; /* an index: of live rows, by the schema's partial indexes */
		char table[64];
		table_of(sql, name, n, table, sizeof table);
		if (is_big(table, strlen(table))) {
			snprintf(hit, sizeof hit, "SCAN %s", table);
			return hit;
		}
	}
	return NULL;
}

static int check_plan(void *arg, const char *sql, const char *plan)
{
	int *bad = arg;
	const char *hit = whole_scan(sql, plan);
	/* the pickup code scrub reads one parcel's unsent deposit event, not every unsent one
	 * (a week offline is 50 000 of them) */
	if (strstr(sql, "json_remove(data, '$.pickup_code')") && strstr(sql, "'$.parcel') = ?") &&
	    !strstr(plan, "outbox_code_parcel"))
		hit = "SCAN of the unsent outbox";
	if (hit) {
		fprintf(stderr, "%s in:\n  %s\n  plan: %s\n", hit, sql, plan);
		(*bad)++;
	}
	return 0;
}

/* Every statement a kiosk's day runs — deposits, pickups (right and wrong codes), the
 * doors, expiry and takeouts, sends and their collection, payments, vends, the outbox, the
 * courier's login view, housekeeping, recovery — is an index search on live rows, so none
 * grows with the store's history. (db check's own queries are not a kiosk's day.) */
static void hot_queries_are_index_searches(void)
{
	setup();
	char a[37], b[37], code[9], order[37], snd[37], other[37], o1[37];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	int wait;
	int64_t x, y;
	kiosk_parcel_deposit_begin(st, "C1", "SF1", "13600009999", KIOSK_SIZE_S, a, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, a, code);
	kiosk_pickup_check(st, "00000000", &pk, &wait);
	kiosk_pickup_check(st, code, &pk, &wait);
	kiosk_pickup_open(st, a, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_door_reopen_after_pickup(st, door.compartment, &door);
	kiosk_door_open_since(st, "S1", &x);
	kiosk_door_alarm(st, "S1", false, 61);
	kiosk_parcel_deposit_begin(st, "C1", "SF2", "13600009999", KIOSK_SIZE_S, b, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_parcel_deposit_commit(st, b, code);
	fx_now += 4LL * 24 * 3600 * 1000;
	kiosk_parcel_expire_due(st);
	kiosk_courier_tasks(st, "C1", &x, &y);
	struct kiosk_parcel p;
	kiosk_parcel_unfinished(st, "C1", &p);
	kiosk_parcel_next_expired(st, b);
	kiosk_parcel_retrieve_open(st, "C1", b, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_takeout_done(st, b);
	kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_M, 0), snd, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	kiosk_send_deposited(st, snd, NULL);
	kiosk_send_next_to_collect(st, "C1", snd);
	kiosk_send_collect_open(st, "C1", snd, &door);
	kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_L, 1500), other);
	kiosk_payment_new(st, KIOSK_PAY_FOR_SEND, other, order);
	bool refunded;
	kiosk_payment_paid(st, order, &refunded);
	kiosk_payment_count_open(st, &x);
	kiosk_compartment_release_expired(st);
	kiosk_vend_create(st, "A1", o1);
	kiosk_vend_paid(st, o1, KIOSK_PAY_QR, "q", 350);
	kiosk_vend_dispensing(st, o1);
	kiosk_vend_dispensed(st, o1);
	struct kiosk_event_batch batch;
	if (kiosk_outbox_peek(st, 50, &batch) == KIOSK_OK)
		kiosk_outbox_batch_free(&batch);
	kiosk_outbox_stats(st, &x, &y, &x);
	kiosk_outbox_ack(st, 3);
	int bad = 0;
	CHECK_INT(kiosk_store_plans(st, check_plan, &bad), KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK); /* recovery's own statements */
	CHECK_INT(kiosk_store_plans(st, check_plan, &bad), KIOSK_OK);
	CHECK_INT(bad, 0);
	teardown();
}

/* The full page check is not run on every open: only after an unclean shutdown, on a
 * thread of its own, its verdict for status. */
static void unclean_shutdown_is_checked_off_the_open(void)
{
	setup();
	CHECK(!kiosk_store_unclean(st)); /* a new store */
	CHECK_INT(kiosk_store_verify_state(st, NULL, 0), KIOSK_VERIFY_NOT_NEEDED);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK(!kiosk_store_unclean(st)); /* closed cleanly */
	CHECK_INT(kiosk_store_verify_state(st, NULL, 0), KIOSK_VERIFY_NOT_NEEDED);
	kiosk_store_close(st);
	/* A run that dies with the store open. */
	pid_t pid = fork();
	if (pid == 0) {
		struct kiosk_store *mine;
		_exit(fx_open(path, NULL, &mine) == KIOSK_OK ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK(kiosk_store_unclean(st));
	enum kiosk_verify v = KIOSK_VERIFY_RUNNING;
	char msg[160];
	for (int i = 0; i < 5000 && v == KIOSK_VERIFY_RUNNING; i++) {
		v = kiosk_store_verify_state(st, msg, sizeof msg);
		if (v == KIOSK_VERIFY_RUNNING) {
			struct pollfd none;
			poll(&none, 0, 2); /* the check's verdict, on its own thread */
		}
	}
	CHECK_INT(v, KIOSK_VERIFY_OK);
	CHECK_STR(kiosk_verify_name(v), "ok");
	teardown();
}

/* The operator's price at the machine: refused outside 1 fen … ¥999.99 and for a slot
 * that is not there, changing nothing; an order made before keeps the price it was made
 * at, one made after pays the new one; the edit is audited with what it was. */
static void a_price_edit_applies_to_later_orders(void)
{
	setup();
	char before[37], after[37];
	struct kiosk_order o;
	struct kiosk_slot sl;
	kiosk_slot_restock(st, "A1", 2, "OP1");
	CHECK_INT(kiosk_vend_create(st, "A1", before), KIOSK_OK);
	CHECK_INT(kiosk_slot_price(st, "A1", 0, "OP1"), KIOSK_EINVAL);
	CHECK_INT(kiosk_slot_price(st, "A1", KIOSK_SLOT_PRICE_MAX + 1, "OP1"), KIOSK_EINVAL);
	CHECK_INT(kiosk_slot_price(st, "Z9", 400, "OP1"), KIOSK_ENOENT);
	CHECK_INT(kiosk_slot_get(st, "A1", &sl), KIOSK_OK);
	CHECK_INT(sl.price_fen, 350);
	CHECK_INT(kiosk_slot_price(st, "A1", 420, "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_vend_create(st, "A1", after), KIOSK_OK);
	CHECK_INT(kiosk_vend_get(st, before, &o), KIOSK_OK);
	CHECK_INT(o.price_fen, 350);
	CHECK_INT(kiosk_vend_paid(st, before, KIOSK_PAY_MDB, "c", 420), KIOSK_EINVAL);
	CHECK_INT(kiosk_vend_paid(st, before, KIOSK_PAY_MDB, "c", 350), KIOSK_OK);
	CHECK_INT(kiosk_vend_get(st, after, &o), KIOSK_OK);
	CHECK_INT(o.price_fen, 420);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'slot.price' AND"
			     " json_extract(detail, '$.was_fen') = 350 AND"
			     " json_extract(detail, '$.price_fen') = 420"),
		  1);
	teardown();
}

/* Cash put in is never forgotten: an order a crash left open with coins in it is
 * cancelled and its coins owed; a payout the crash cut short is left "unknown" for the
 * operator, owed in full until counted — told to the platform as a device fault. */
static void recovery_owes_the_cash_it_cannot_pay(void)
{
	setup();
	char open[37], paying[37];
	struct kiosk_cash_payout p;
	kiosk_slot_restock(st, "A1", 3, "OP1");
	CHECK_INT(kiosk_vend_create(st, "A1", open), KIOSK_OK);
	CHECK_INT(kiosk_cash_in(st, open, 100), KIOSK_OK);
	CHECK_INT(kiosk_cash_in(st, open, 100), KIOSK_EINVAL); /* a total only grows */
	CHECK_INT(kiosk_vend_paid(st, open, KIOSK_PAY_CASH, "cash", 350), KIOSK_EINVAL);
	CHECK_INT(kiosk_cash_payout_begin(st, open, &p), KIOSK_ESTATE); /* still open */
	CHECK_INT(kiosk_vend_create(st, "A1", paying), KIOSK_OK);
	CHECK_INT(kiosk_cash_in(st, paying, 500), KIOSK_OK);
	CHECK_INT(kiosk_vend_paid(st, paying, KIOSK_PAY_CASH, "cash", 350), KIOSK_OK);
	CHECK_INT(kiosk_cash_in(st, paying, 600), KIOSK_ESTATE); /* paid: no more in */
	CHECK_INT(kiosk_vend_dispensing(st, paying), KIOSK_OK);
	CHECK_INT(kiosk_vend_dispensed(st, paying), KIOSK_OK);
	CHECK_INT(kiosk_cash_payout_begin(st, paying, &p), KIOSK_OK);
	CHECK_INT(p.owed_fen, 150);
	CHECK_STR(p.kind, "change");
	CHECK_INT(kiosk_cash_payout_end(st, p.id, 200), KIOSK_EINVAL); /* more than owed */
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.payouts_unknown, 1);
	CHECK_INT(r.cash_owed, 1);
	int64_t owed = 0, n = 0, fen = 0;
	CHECK_INT(kiosk_cash_owed(st, open, &owed), KIOSK_OK);
	CHECK_INT(owed, 100);
	CHECK_INT(kiosk_cash_owed(st, paying, &owed), KIOSK_OK);
	CHECK_INT(owed, 150);
	CHECK_INT(kiosk_cash_debts(st, &n, &fen), KIOSK_OK);
	CHECK_INT(n, 2);
	CHECK_INT(fen, 250);
	CHECK_INT(kiosk_cash_payout_end(st, p.id, 150), KIOSK_ESTATE); /* no longer paying */
	/* staff pay one by hand, by the voucher's reference; refusals change nothing */
	char ref[9];
	for (int i = 0; i < 8; i++)
		ref[i] = (char)(open[i] >= 'a' && open[i] <= 'f' ? open[i] - 'a' + 'A' : open[i]);
	ref[8] = '\0';
	CHECK_INT(kiosk_cash_settle(st, "XYZ", "OP1"), KIOSK_EINVAL);
	CHECK_INT(kiosk_cash_settle(st, "00000000", "OP1"), KIOSK_ENOENT);
	CHECK_INT(kiosk_cash_debts(st, &n, &fen), KIOSK_OK);
	CHECK_INT(n, 2);
	CHECK_INT(kiosk_cash_settle(st, ref, "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_cash_settle(st, ref, "OP1"), KIOSK_ENOENT); /* once */
	CHECK_INT(kiosk_cash_debts(st, &n, &fen), KIOSK_OK);
	CHECK_INT(n, 1);
	CHECK_INT(fen, 150);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'payment.cash_settled'"
			     " AND actor = 'OP1'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'device.fault' AND"
			     " json_extract(data, '$.fault') IN ('change_owed', 'payout_unknown')"),
		  2);
	char msg[256] = "";
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

/* Money the board's own devices took for an order a restart left open: kept as it came,
 * and after the restart the order is cancelled and the operator told (the board holds the
 * money; its lever may have given it back) — never a refund request that could pay twice. */
static void recovery_tells_of_board_money(void)
{
	setup();
	char open[37], none[37];
	kiosk_slot_restock(st, "A1", 3, "OP1");
	CHECK_INT(kiosk_vend_create(st, "A1", open), KIOSK_OK);
	CHECK_INT(kiosk_vend_create(st, "A1", none), KIOSK_OK);
	CHECK_INT(kiosk_vend_board_in(st, open, 100), KIOSK_OK);
	CHECK_INT(kiosk_vend_board_in(st, open, 100), KIOSK_EINVAL); /* a total only grows */
	CHECK_INT(kiosk_vend_board_in(st, open, 0), KIOSK_EINVAL);
	CHECK_INT(kiosk_vend_board_in(st, open, 300), KIOSK_OK);
	struct kiosk_order o;
	CHECK_INT(kiosk_vend_get(st, open, &o), KIOSK_OK);
	CHECK_INT(o.board_fen, 300);
	CHECK_INT(o.cash_fen, 0); /* not ours to pay back */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'payment.board_in'"), 2);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.vends_cancelled, 2);
	CHECK_INT(r.board_money_held, 1); /* the order with no money is just cancelled */
	CHECK_INT(kiosk_vend_get(st, open, &o), KIOSK_OK);
	CHECK_STR(o.state, "cancelled");
	CHECK_INT(kiosk_vend_board_in(st, open, 400), KIOSK_ESTATE); /* over: no more in */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM refund"), 0);
	int64_t owed = -1;
	CHECK_INT(kiosk_cash_owed(st, open, &owed), KIOSK_OK);
	CHECK_INT(owed, 0); /* the changer owes nothing for it */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'device.fault' AND"
			     " json_extract(data, '$.fault') = 'board_money_held' AND"
			     " json_extract(data, '$.board_fen') = 300"),
		  1);
	char msg[256] = "";
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

static void recovery_resolves_intents(void)
{
	setup();
	char o1[37], o2[37], o3[37], parcel[37];
	struct kiosk_door door;
	kiosk_slot_restock(st, "A1", 5, "OP1");
	kiosk_vend_create(st, "A1", o1);
	kiosk_vend_paid(st, o1, KIOSK_PAY_QR, "q1", 350);
	kiosk_vend_create(st, "A1", o2);
	kiosk_vend_paid(st, o2, KIOSK_PAY_MDB, NULL, 350);
	kiosk_vend_dispensing(st, o2);
	kiosk_vend_create(st, "A1", o3);
	kiosk_parcel_deposit_begin(st, "C1", "SF5", "13812345678", KIOSK_SIZE_S, parcel, &door);
	kiosk_store_close(st);

	int yes = 0;
	struct kiosk_store_opts o = {.prove_dispense = proved, .prove_arg = &yes};
	CHECK_INT(fx_open(path, &o, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.vends_refunded, 2);
	CHECK_INT(r.vends_cancelled, 1);
	CHECK_INT(r.doors_unknown, 1);
	struct kiosk_order ord;
	kiosk_vend_get(st, o2, &ord);
	CHECK_STR(ord.state, "failed");
	CHECK(ord.refunded);
	struct kiosk_compartment c;
	kiosk_compartment_get(st, door.compartment, &c);
	CHECK_STR(c.state, "unknown");
	int64_t open = -1;
	kiosk_store_open_intents(st, &open);
	CHECK_INT(open, 0);
	/* The door is never re-fired: opening it again is refused until the operator acts. */
	REFUSED(KIOSK_ESTATE, kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED));
	kiosk_store_close(st);

	/* With the board's proof, an interrupted dispense counts as dispensed. */
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	char o4[37];
	kiosk_vend_create(st, "A1", o4);
	kiosk_vend_paid(st, o4, KIOSK_PAY_QR, "q4", 350);
	kiosk_vend_dispensing(st, o4);
	kiosk_store_close(st);
	yes = 1;
	CHECK_INT(fx_open(path, &o, &st), KIOSK_OK);
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.vends_proved, 1);
	kiosk_vend_get(st, o4, &ord);
	CHECK_STR(ord.state, "dispensed");

	/* With no board to ask, a dispense under way is neither refunded blind nor assumed:
	 * it is left for the operator, and the next start leaves it too. */
	char o5[37], o6[37];
	kiosk_vend_create(st, "A1", o5);
	kiosk_vend_paid(st, o5, KIOSK_PAY_QR, "q5", 350);
	kiosk_vend_dispensing(st, o5);
	kiosk_vend_create(st, "A1", o6);
	kiosk_vend_paid(st, o6, KIOSK_PAY_QR, "q6", 350);
	kiosk_vend_dispensing(st, o6);
	kiosk_store_close(st);
	for (int pass = 0; pass < 2; pass++) {
		CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
		kiosk_store_last_recovery(st, &r);
		CHECK_INT(r.vends_uncertain, pass ? 0 : 2);
		CHECK_INT(r.vends_refunded, 0);
		if (pass == 0)
			kiosk_store_close(st);
	}
	kiosk_vend_get(st, o5, &ord);
	CHECK_STR(ord.state, "dispensing");
	CHECK(!ord.refunded);
	int64_t n = 0;
	CHECK_INT(kiosk_vend_uncertain(st, &n), KIOSK_OK);
	CHECK_INT(n, 2);
	kiosk_store_open_intents(st, &open);
	CHECK_INT(open, 0); /* nothing is in flight: the operator has it */
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	/* The operator's word settles each once; anything else is refused and changes
	 * nothing. */
	REFUSED(KIOSK_ESTATE, kiosk_vend_resolve(st, o4, false, "OP1"));
	REFUSED(KIOSK_EINVAL, kiosk_vend_resolve(st, o5, true, ""));
	CHECK_INT(kiosk_vend_resolve(st, o5, true, "OP1"), KIOSK_OK);
	CHECK_INT(kiosk_vend_resolve(st, o6, false, "OP1"), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_vend_resolve(st, o6, true, "OP1"));
	kiosk_vend_get(st, o5, &ord);
	CHECK_STR(ord.state, "dispensed");
	kiosk_vend_get(st, o6, &ord);
	CHECK_STR(ord.state, "failed");
	CHECK(ord.refunded);
	CHECK_INT(kiosk_vend_uncertain(st, &n), KIOSK_OK);
	CHECK_INT(n, 0);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

/* Sends on their way in when the kiosk stopped: nobody is at the screen for them now. */
static void recovery_settles_sends(void)
{
	setup();
	char never[37], opened[37], unpaid[37], paid[37], by_qr[37], order[37];
	struct kiosk_door door;
	struct kiosk_parcel p;
	struct kiosk_compartment c;
	/* 到付, door never opened (its intent had no outcome) */
	CHECK_INT(kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_S, 0), never, &door), KIOSK_OK);
	char never_comp[KIOSK_ID_MAX];
	snprintf(never_comp, sizeof never_comp, "%s", door.compartment);
	/* 到付, door opened: the resident was putting it in */
	CHECK_INT(kiosk_send_begin(st, fx_walkin("SF", KIOSK_SIZE_M, 0), opened, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	/* unpaid (lapses by itself) and paid (needs a refund) stay */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_S, 1200), unpaid), KIOSK_OK);
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_L, 1500), paid), KIOSK_OK);
	CHECK_INT(kiosk_send_paid(st, paid, KIOSK_PAY_QR, "q", 1500), KIOSK_OK);
	/* paid by QR, its door never asked for: the resident is gone, the money goes back */
	CHECK_INT(kiosk_compartment_add(st, "S3", 0, 5, KIOSK_SIZE_S), KIOSK_OK);
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_S, 1000), by_qr), KIOSK_OK);
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_SEND, by_qr, order), KIOSK_OK);
	CHECK_INT(kiosk_payment_created(st, order, "pay-1"), KIOSK_OK);
	CHECK_INT(kiosk_payment_paid(st, order, NULL), KIOSK_OK);
	kiosk_store_close(st);

	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.sends_cancelled, 2);
	kiosk_parcel_get(st, by_qr, &p);
	CHECK_STR(p.state, "cancelled");
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'payment.refund_requested'"
			     " AND json_extract(data, '$.amount_fen') = 1000"
			     " AND json_extract(data, '$.payment') = 'pay-1'"),
		  1);
	CHECK_INT(r.sends_assumed_in, 1);
	CHECK_INT(r.doors_unknown, 1);
	kiosk_parcel_get(st, never, &p);
	CHECK_STR(p.state, "cancelled");
	kiosk_compartment_get(st, never_comp, &c);
	CHECK_STR(c.state, "unknown"); /* its door may have opened: the operator checks */
	kiosk_parcel_get(st, opened, &p);
	CHECK_STR(p.state, "send_deposited");
	kiosk_compartment_get(st, "M1", &c);
	CHECK_STR(c.state, "occupied");
	CHECK_INT(events("parcel.send_requested"), 1);
	kiosk_parcel_get(st, unpaid, &p);
	CHECK_STR(p.state, "send_created");
	kiosk_parcel_get(st, paid, &p);
	CHECK_STR(p.state, "send_paid");
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	/* Nothing left to settle: opening again changes nothing. */
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.sends_cancelled + r.sends_assumed_in, 0);
	teardown();
}

static void check_finds_tampering(void)
{
	setup();
	char msg[256];
	kiosk_slot_restock(st, "A1", 3, "OP1");
	kiosk_event_help(st, "en", false);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	sqlite3 *db = kiosk_store_db(st);
	/* A state change whose event names another parcel: the sequence and the audit rows
	 * are whole; the parcel's own state shows its event missing. */
	char parcel[37], code[9];
	struct kiosk_door door;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF900", "13812345678", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	sqlite3_exec(db, "UPDATE outbox SET data = json_set(data, '$.parcel', 'other')"
			 " WHERE type = 'parcel.deposited'", NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "invariant 4: delivery in the locker");
	CHECK_HAS(msg, parcel);
	char fix[160];
	snprintf(fix, sizeof fix, "UPDATE outbox SET data = json_set(data, '$.parcel', '%s')"
		 " WHERE type = 'parcel.deposited'", parcel);
	sqlite3_exec(db, fix, NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	sqlite3_exec(db, "UPDATE audit SET actor = 'mallory' WHERE n = 3", NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_STR(msg, "audit chain broken at row 3");
	sqlite3_exec(db, "UPDATE audit SET actor = 'kiosk' WHERE n = 3", NULL, NULL, NULL);
	sqlite3_exec(db, "UPDATE slot SET restocked = 9 WHERE id = 'A1'", NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "invariant 3");
	sqlite3_exec(db, "UPDATE slot SET restocked = 3 WHERE id = 'A1';"
			 " DELETE FROM outbox WHERE seq = 1", NULL, NULL, NULL);
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_ECORRUPT);
	CHECK_HAS(msg, "invariant 4");
	kiosk_store_close(st);
	st = NULL;
	fx_cleanup(path);
}

/* Does the file at path (and its -wal) hold these bytes anywhere? */
static bool file_holds(const char *db, const void *needle, size_t n)
{
	const char *suffix[] = {"", "-wal"};
	bool found = false;
	for (int k = 0; k < 2 && !found; k++) {
		char p[300];
		snprintf(p, sizeof p, "%s%s", db, suffix[k]);
		FILE *f = fopen(p, "rb");
		if (!f)
			continue;
		static unsigned char buf[8 << 20];
		size_t len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		for (size_t i = 0; i + n <= len && !found; i++)
			found = memcmp(buf + i, needle, n) == 0;
	}
	return found;
}

/* Erased means erased: after a pickup the code opens nothing, and neither its HMAC nor the
 * plain code (waiting in the outbox for the text message) stays readable in the store's
 * file or its WAL once the archiver's scrub has run. */
static void picked_up_codes_leave_no_bytes(void)
{
	setup();
	kiosk_store_close(st); /* again, with the archiver's thread running */
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	char parcel[37], code[9];
	struct kiosk_door door;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF777", "13812345678", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	uint8_t h[32] = {0};
	sqlite3_stmt *q;
	CHECK_INT(sqlite3_prepare_v2(kiosk_store_db(st), "SELECT code_hmac FROM parcel", -1, &q,
				     NULL),
		  SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 32)
		memcpy(h, sqlite3_column_blob(q, 0), 32);
	sqlite3_finalize(q);
	CHECK(file_holds(path, h, 32));    /* it is there while the parcel waits */
	CHECK(file_holds(path, code, 8));  /* and the code, for the text message */
	struct kiosk_pickup pk;
	int wait;
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_OK);
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE code_hmac IS NOT NULL"), 0);
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_EDENIED);
	unsigned before = kiosk_store_scrubs(st);
	kiosk_store_archive_kick(st);
	struct timespec nap = {0, 5 * 1000 * 1000};
	for (int i = 0; i < 2000 && kiosk_store_scrubs(st) == before; i++)
		nanosleep(&nap, NULL); /* waits for the scrub, bounded */
	CHECK(kiosk_store_scrubs(st) > before);
	CHECK(!file_holds(path, h, 32));
	CHECK(!file_holds(path, code, 8));
	teardown();
}

static void services_import_all_or_nothing(void)
{
	setup();
	struct kiosk_service s[3] = {
		{"S1", "老王修车", "Wang's bike repair", "repair.bike", 31.23, 121.47, "", "", "", ""},
		{"S2", "配钥匙", "Key cutting", "repair.key", 31.231, 121.471, "", "", "", ""},
		{"S3", "坏数据", "Bad", "repair.key", 95.0, 121.0, "", "", "", ""},
	};
	size_t bad = 99;
	REFUSED(KIOSK_EINVAL, kiosk_service_import(st, s, 3, &bad)); /* latitude 95 */
	CHECK_INT(bad, 2);
	CHECK_INT(kiosk_service_import(st, s, 2, NULL), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service"), 2);
	snprintf(s[0].name_en, sizeof s[0].name_en, "Wang's bikes");
	CHECK_INT(kiosk_service_import(st, s, 1, NULL), KIOSK_OK); /* upsert */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE name_en = 'Wang''s bikes'"), 1);
	CHECK_INT(kiosk_service_delete(st, "S2"), KIOSK_OK);
	REFUSED(KIOSK_ENOENT, kiosk_service_delete(st, "S2"));
	teardown();
}

static void schema_refuses_two_parcels_in_one_compartment(void)
{
	setup();
	char parcel[37];
	struct kiosk_door door;
	kiosk_parcel_deposit_begin(st, "C1", "SF1", "13812345678", KIOSK_SIZE_S, parcel, &door);
	/* Even bypassing C, the schema refuses a second active parcel in S1. */
	int rc = sqlite3_exec(kiosk_store_db(st),
			      "INSERT INTO parcel(id, kind, state, compartment, size, created_ms,"
			      " updated_ms) VALUES('x', 'delivery', 'deposited', 'S1', 0, 0, 0)",
			      NULL, NULL, NULL);
	CHECK_INT(rc & 0xFF, SQLITE_CONSTRAINT);
	rc = sqlite3_exec(kiosk_store_db(st), "UPDATE slot SET stock = -1", NULL, NULL, NULL);
	CHECK_INT(rc & 0xFF, SQLITE_CONSTRAINT);
	teardown();
}


/* QR payments: one open per parcel, applied once, and money for a send given up goes back
 * exactly once. */
static void payments_apply_once_or_refund(void)
{
	setup();
	char parcel[37], code[9], order[37], again[37], send[37], sorder[37];
	struct kiosk_door door;
	struct kiosk_pickup pk;
	struct kiosk_payment p;
	int wait = 0;
	bool refunded = true;
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF200", "13812345678", KIOSK_SIZE_M, parcel,
					     &door),
		  KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	/* Nothing owed yet: no payment, no row. */
	REFUSED(KIOSK_ESTATE, kiosk_payment_new(st, KIOSK_PAY_FOR_FEE, parcel, order));
	CHECK_INT(fx_int(st, "SELECT count(*) FROM payment"), 0);
	fx_now += 30LL * 3600 * 1000; /* 0.50 CNY owed */
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_FEE, parcel, order), KIOSK_OK);
	CHECK_INT(kiosk_payment_get(st, order, &p), KIOSK_OK);
	CHECK_INT(p.amount_fen, 50);
	CHECK_STR(p.state, "creating");
	/* A second QR for the same fee could be paid too: refused while one is open. */
	REFUSED(KIOSK_EBUSY, kiosk_payment_new(st, KIOSK_PAY_FOR_FEE, parcel, again));
	REFUSED(KIOSK_EINVAL, kiosk_payment_created(st, order, "bad id"));
	CHECK_INT(kiosk_payment_created(st, order, "pay-fee-1"), KIOSK_OK);
	REFUSED(KIOSK_EINVAL, kiosk_payment_closed(st, order, "paid"));
	CHECK_INT(kiosk_payment_paid(st, order, &refunded), KIOSK_OK);
	CHECK(!refunded);
	CHECK_INT(kiosk_payment_paid(st, order, &refunded), KIOSK_OK); /* told twice */
	CHECK_INT(fx_int(st, "SELECT fee_paid_fen FROM parcel WHERE id IN"
			     " (SELECT parcel FROM payment)"),
		  50);
	CHECK_INT(kiosk_pickup_check(st, code, &pk, &wait), KIOSK_OK);
	CHECK_INT(pk.fee_fen - pk.fee_paid_fen, 0);
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);

	/* 寄付 left at the QR, the send given up, then paid after all: refunded, once. */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_S, 1000), send), KIOSK_OK);
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_SEND, send, sorder), KIOSK_OK);
	CHECK_INT(kiosk_payment_created(st, sorder, "pay-send-1"), KIOSK_OK);
	CHECK_INT(kiosk_payment_leave(st, sorder), KIOSK_OK);
	REFUSED(KIOSK_ESTATE, kiosk_payment_leave(st, sorder));
	CHECK_INT(kiosk_send_cancel(st, send), KIOSK_OK);
	CHECK_INT(kiosk_payment_paid(st, sorder, &refunded), KIOSK_OK);
	CHECK(refunded);
	CHECK_INT(kiosk_payment_paid(st, sorder, &refunded), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'payment.refund_requested'"
			     " AND json_extract(data, '$.payment') = 'pay-send-1'"
			     " AND json_extract(data, '$.amount_fen') = 1000"),
		  1);
	CHECK_INT(kiosk_payment_get(st, sorder, &p), KIOSK_OK);
	CHECK_STR(p.state, "refunded");

	/* 寄付 paid: the door may open; cancelled before the parcel is in: refunded. */
	CHECK_INT(kiosk_send_create(st, fx_walkin("SF", KIOSK_SIZE_S, 1000), send), KIOSK_OK);
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_SEND, send, sorder), KIOSK_OK);
	CHECK_INT(kiosk_payment_created(st, sorder, "pay-send-2"), KIOSK_OK);
	CHECK_INT(kiosk_payment_paid(st, sorder, &refunded), KIOSK_OK);
	CHECK(!refunded);
	CHECK_INT(kiosk_send_open(st, send, &door), KIOSK_OK);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_send_cancel(st, send), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'payment.refund_requested'"
			     " AND json_extract(data, '$.payment') = 'pay-send-2'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM payment WHERE state IN"
			     " ('creating','pending','cancelling')"),
		  0);
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	teardown();
}

/* A walk-in send keeps the sender's phone as last 4 + HMAC; the plain number travels once
 * in the deposit's event and is erased from the outbox on ack. */
static void send_sender_phone_travels_once(void)
{
	setup();
	char send[37];
	struct kiosk_door door;
	struct kiosk_send_req r = *fx_walkin("SF", KIOSK_SIZE_M, 0);
	snprintf(r.city, sizeof r.city, "%s", "杭州");
	struct kiosk_send_req bad = r;
	bad.phone[0] = '\0';
	REFUSED(KIOSK_EINVAL, kiosk_send_begin(st, &bad, send, &door)); /* walk-in: phone needed */
	bad = r;
	snprintf(bad.city, sizeof bad.city, "%s", "a\nb");
	REFUSED(KIOSK_EINVAL, kiosk_send_begin(st, &bad, send, &door));
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE kind = 'send'"), 0);
	CHECK_INT(kiosk_send_begin(st, &r, send, &door), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE phone_last4 = '1234'"
			     " AND phone_hmac IS NOT NULL AND receiver_city = '杭州'"),
		  1);
	CHECK_INT(kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED), KIOSK_OK);
	CHECK_INT(kiosk_send_deposited(st, send, r.phone), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.send_requested'"
			     " AND json_extract(data, '$.sender_phone') = '13800001234'"
			     " AND json_extract(data, '$.receiver_city') = '杭州'"
			     " AND json_extract(data, '$.pay_method') = 'recipient'"
			     " AND json_extract(data, '$.size') = 'M'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE detail LIKE '%13800001234%'"), 0);
	int64_t last = fx_int(st, "SELECT max(seq) FROM outbox");
	CHECK_INT(kiosk_outbox_ack(st, last), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE data LIKE '%13800001234%'"), 0);
	/* A booking is deposited once. */
	struct kiosk_send_req b = {.carrier = "SF", .size = KIOSK_SIZE_S,
				   .pay = KIOSK_SEND_BOOKED_PAID, .amount_fen = 1200,
				   .booking = "BK-1"};
	CHECK_INT(kiosk_send_begin(st, &b, send, &door), KIOSK_OK);
	REFUSED(KIOSK_EEXIST, kiosk_send_begin(st, &b, send, &door));
	teardown();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"open_refuses_foreign_newer_and_garbage", open_refuses_foreign_newer_and_garbage},
		{"reopen_keeps_data_and_schema", reopen_keeps_data_and_schema},
		{"restock_and_adjust", restock_and_adjust},
		{"vend_cycle_and_refusals", vend_cycle_and_refusals},
		{"deposit_pickup_with_fee_and_lockout", deposit_pickup_with_fee_and_lockout},
		{"fee_rule_is_capped", fee_rule_is_capped},
		{"code_lockout_escalates_until_a_quiet_day", code_lockout_escalates_until_a_quiet_day},
		{"jam_moves_to_another_compartment", jam_moves_to_another_compartment},
		{"no_compartment_of_that_size", no_compartment_of_that_size},
		{"expire_and_retrieve", expire_and_retrieve},
		{"send_and_collect", send_and_collect},
		{"send_freight_collect", send_freight_collect},
		{"lost_compartments_come_back", lost_compartments_come_back},
		{"unfinished_deposit_is_found", unfinished_deposit_is_found},
		{"recovery_settles_sends", recovery_settles_sends},
		{"payments_apply_once_or_refund", payments_apply_once_or_refund},
		{"send_sender_phone_travels_once", send_sender_phone_travels_once},
		{"login_and_lockout", login_and_lockout},
		{"outbox_ack_erases_code_and_dead_letters", outbox_ack_erases_code_and_dead_letters},
		{"recovery_resolves_intents", recovery_resolves_intents},
		{"a_price_edit_applies_to_later_orders", a_price_edit_applies_to_later_orders},
		{"recovery_owes_the_cash_it_cannot_pay", recovery_owes_the_cash_it_cannot_pay},
		{"recovery_tells_of_board_money", recovery_tells_of_board_money},
		{"unclean_shutdown_is_checked_off_the_open", unclean_shutdown_is_checked_off_the_open},
		{"hot_queries_are_index_searches", hot_queries_are_index_searches},
		{"recovery_settles_takeouts", recovery_settles_takeouts},
		{"picked_up_codes_leave_no_bytes", picked_up_codes_leave_no_bytes},
		{"check_finds_tampering", check_finds_tampering},
		{"services_import_all_or_nothing", services_import_all_or_nothing},
		{"schema_refuses_two_parcels_in_one_compartment",
		 schema_refuses_two_parcels_in_one_compartment},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
