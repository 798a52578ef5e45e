/* I/O and memory faults: the Nth write or fsync fails (a fault-injecting VFS), or the Nth
 * allocation fails (the allocator wrapper, which SQLite and cJSON also use). Each store
 * operation either completes or changes nothing, and the next open recovers to a state
 * where every invariant holds. */
#include "faultvfs.h"
#include "kiosk/flow/flow.h"
#include "store_fixture.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdlib.h>

/* Per-op context: ids created by prepare() for the op to act on. */
struct ctx {
	char order[37], parcel[37], code[9];
	struct kiosk_door door;
};

typedef void (*prep_fn)(struct kiosk_store *st, struct ctx *c);
typedef int (*op_fn)(struct kiosk_store *st, struct ctx *c);

static void p_none(struct kiosk_store *st, struct ctx *c)
{
	(void)st;
	(void)c;
}
static void p_order(struct kiosk_store *st, struct ctx *c)
{
	kiosk_slot_restock(st, "A1", 3, "OP1");
	kiosk_vend_create(st, "A1", c->order);
}
static void p_paid(struct kiosk_store *st, struct ctx *c)
{
	p_order(st, c);
	kiosk_vend_paid(st, c->order, KIOSK_PAY_QR, "q", 350);
	kiosk_vend_dispensing(st, c->order);
}
static void p_opened(struct kiosk_store *st, struct ctx *c)
{
	kiosk_parcel_deposit_begin(st, "C1", "SF9", "13812345678", KIOSK_SIZE_S, c->parcel,
				   &c->door);
	kiosk_door_outcome_by_flows(st, c->door.op, KIOSK_DOOR_OPENED);
}
static void p_deposited(struct kiosk_store *st, struct ctx *c)
{
	p_opened(st, c);
	kiosk_parcel_deposit_commit(st, c->parcel, c->code);
}

static int o_restock(struct kiosk_store *st, struct ctx *c)
{
	(void)c;
	return kiosk_slot_restock(st, "A1", 5, "OP1");
}
static int o_paid(struct kiosk_store *st, struct ctx *c)
{
	return kiosk_vend_paid(st, c->order, KIOSK_PAY_MDB, "m", 350);
}
static int o_failed(struct kiosk_store *st, struct ctx *c)
{
	return kiosk_vend_failed(st, c->order, "motor jammed");
}
static int o_dispensed(struct kiosk_store *st, struct ctx *c)
{
	return kiosk_vend_dispensed(st, c->order);
}
static int o_deposit_begin(struct kiosk_store *st, struct ctx *c)
{
	return kiosk_parcel_deposit_begin(st, "C1", "YT1", "13900001111", KIOSK_SIZE_M, c->parcel,
					  &c->door);
}
static int o_commit(struct kiosk_store *st, struct ctx *c)
{
	return kiosk_parcel_deposit_commit(st, c->parcel, c->code);
}
static int o_wrong_code(struct kiosk_store *st, struct ctx *c)
{
	struct kiosk_pickup pk;
	(void)c;
	int rc = kiosk_pickup_check(st, "00000000", &pk, NULL);
	return rc == KIOSK_EDENIED ? KIOSK_OK : rc; /* the refusal is the expected outcome */
}
static int o_ack(struct kiosk_store *st, struct ctx *c)
{
	(void)c;
	return kiosk_outbox_ack(st, 1);
}

static const struct {
	const char *name;
	prep_fn prep;
	op_fn op;
} ops[] = {
	{"restock", p_none, o_restock},
	{"vend.paid", p_order, o_paid},
	{"vend.failed+refund", p_paid, o_failed},
	{"vend.dispensed", p_paid, o_dispensed},
	{"deposit_begin", p_none, o_deposit_begin},
	{"deposit_commit", p_opened, o_commit},
	{"wrong pickup code", p_deposited, o_wrong_code},
	{"outbox ack", p_deposited, o_ack},
};

/* Seeding costs many fsyncs: it is done once into a template file, which every iteration
 * copies (closed, so the WAL is checkpointed into the main file). The op's own preparation
 * runs on the copy: left in a template, its open intents would be resolved by recovery. */
static char tmpl[256];

static void make_template(void)
{
	struct kiosk_store *st;
	fx_path(tmpl, sizeof tmpl);
	faultvfs_fail_at(0);
	if (fx_open(tmpl, NULL, &st) != KIOSK_OK)
		abort();
	fx_seed(st);
	kiosk_store_close(st);
}

static void fresh(char *path, size_t n, struct ctx *c, int i, struct kiosk_store **st)
{
	struct kiosk_store_opts o = {.vfs = "faulty"};
	char cmd[600];
	fx_path(path, n);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", tmpl, path);
	if (system(cmd) != 0)
		abort();
	memset(c, 0, sizeof *c);
	faultvfs_fail_at(0);
	if (fx_open(path, &o, st) != KIOSK_OK)
		abort();
	ops[i].prep(*st, c);
}

static void reopen_and_check(const char *path, const char *what, int n)
{
	struct kiosk_store *st;
	char msg[256];
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	if (!st)
		return;
	int rc = kiosk_store_check(st, msg, sizeof msg);
	if (rc)
		fprintf(stderr, "%s, fault %d: %s\n", what, n, msg);
	CHECK_INT(rc, KIOSK_OK);
	kiosk_store_close(st);
}

static void io_faults_leave_nothing_half_done(void)
{
	faultvfs_register();
	make_template();
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		int n, ambiguous = 0;
		for (n = 1; n < 200; n++) {
			char path[256], before[65], after[65];
			struct ctx c;
			struct kiosk_store *st;
			fresh(path, sizeof path, &c, (int)i, &st);
			fx_digest(st, before);
			faultvfs_fail_at(n);
			int rc = ops[i].op(st, &c);
			int fired = faultvfs_fired();
			faultvfs_fail_at(0);
			if (rc != KIOSK_OK) {
				if (!fired)
					fprintf(stderr, "%s: rc=%d without a fault\n", ops[i].name, rc);
				CHECK(fired != 0); /* only the injected fault may fail it */
				fx_digest(st, after);
				/* SQLite rolled the transaction back: this connection sees none
				 * of it. The only exception is a failed fsync after the commit
				 * record was written: on reopen it may be there in full. */
				CHECK_STR(after, before);
			}
			kiosk_store_close(st);
			struct kiosk_store *ro;
			struct kiosk_store_opts o = {.readonly = true};
			if (rc != KIOSK_OK && fx_open(path, &o, &ro) == KIOSK_OK) {
				fx_digest(ro, after);
				if (strcmp(after, before) != 0) {
					CHECK_INT(fired, 's');
					ambiguous++;
				}
				kiosk_store_close(ro);
			}
			reopen_and_check(path, ops[i].name, n);
			fx_cleanup(path);
			if (!fired)
				break; /* the op ran past every write and sync: all covered */
		}
		printf("  io faults: %-20s %3d writes/syncs failed in turn, %d commit-fsync"
		       " ambiguities\n", ops[i].name, n - 1, ambiguous);
		CHECK(n > 2); /* faults really were injected into this operation */
	}
	fx_cleanup(tmpl);
}

static void allocation_failures_leave_nothing_half_done(void)
{
	make_template();
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		int n, failed_ok = 0;
		for (n = 1; n < 2000; n++) {
			char path[256], before[65], after[65];
			struct ctx c;
			struct kiosk_store *st;
			fresh(path, sizeof path, &c, (int)i, &st);
			fx_digest(st, before);
			long fails0 = kiosk_alloc_failures();
			kiosk_alloc_fail_after(n, 0);
			int rc = ops[i].op(st, &c);
			kiosk_alloc_fail_after(0, 0);
			int hit = kiosk_alloc_failures() != fails0;
			if (rc != KIOSK_OK) {
				CHECK(hit);
				fx_digest(st, after);
				CHECK_STR(after, before);
			} else {
				failed_ok += hit; /* SQLite absorbed it (e.g. a cache page) */
			}
			kiosk_store_close(st);
			reopen_and_check(path, ops[i].name, n);
			fx_cleanup(path);
			if (!hit)
				break;
		}
		printf("  oom: %-20s %4d allocations failed in turn (%d absorbed)\n", ops[i].name,
		       n - 1, failed_ok);
	}
	fx_cleanup(tmpl);
}

/* A full disk: every code, right or wrong, gets the same answer (a guesser learns
 * nothing), the error says "disk full", and wrong codes are still counted in memory, so
 * the lockout holds while nothing can be written. */
static void disk_full_answers_every_code_alike(void)
{
	char path[256], before[65], after[65];
	struct ctx c;
	struct kiosk_store *st;
	struct kiosk_pickup pk;
	int wait = 0;
	faultvfs_register();
	make_template();
	fresh(path, sizeof path, &c, 0, &st);
	p_deposited(st, &c);
	CHECK_INT(strlen(c.code), 8);
	char wrong[12];
	snprintf(wrong, sizeof wrong, "%08d", (atoi(c.code) + 1) % 100000000);
	fx_digest(st, before);
	faultvfs_disk_full(1);
	CHECK_INT(kiosk_pickup_check(st, c.code, &pk, &wait), KIOSK_EDISKFULL);
	CHECK_STR(pk.parcel, ""); /* nothing about the parcel leaks either */
	for (int i = 0; i < 5; i++)
		CHECK_INT(kiosk_pickup_check(st, wrong, &pk, &wait), KIOSK_EDISKFULL);
	/* Five wrong ones, counted in memory: now even the right one is locked out. */
	CHECK_INT(kiosk_pickup_check(st, c.code, &pk, &wait), KIOSK_ELOCKED);
	CHECK_INT(wait, 300);
	/* Logins too: right and wrong PINs fail alike, as "disk full". */
	CHECK_INT(kiosk_person_login(st, "C1", "courier", "1234", &wait), KIOSK_EDISKFULL);
	CHECK_INT(kiosk_person_login(st, "C1", "courier", "9999", &wait), KIOSK_EDISKFULL);
	faultvfs_disk_full(0);
	fx_digest(st, after);
	CHECK_STR(after, before);
	CHECK_INT(kiosk_pickup_check(st, c.code, &pk, &wait), KIOSK_ELOCKED); /* still */
	kiosk_store_close(st);
	fx_cleanup(path);
	fx_cleanup(tmpl);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"disk_full_answers_every_code_alike", disk_full_answers_every_code_alike},
		{"io_faults_leave_nothing_half_done", io_faults_leave_nothing_half_done},
		{"allocation_failures_leave_nothing_half_done",
		 allocation_failures_leave_nothing_half_done},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	kiosk_store_global_init(); /* before the VFS registration touches SQLite */
	return test_main(argc, argv, cases);
}
