/* Buying from the vending machine end to end: a core with the simulated drive board (the
 * fafb frames over a pty), linked to the local platform over loopback. What a resident
 * sees: an item chosen and paid by QR drops and the stock moves only then; a jam gives the
 * money back by the same way with one refund event; leaving before paying takes nothing;
 * a silent board is not offered. What a crash leaves is settled by the board's record, and
 * what the record cannot settle waits for the operator — never refunded blind. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "kiosk/crypto.h"
#include "kiosk/dex.h"
#include "kiosk/store/store.h"
#include "hal/vend/fafb_sim.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct plat *plat;

static bool vend_ready(const struct kiosk_snapshot *s)
{
	return s->vend_ready && s->nvend > 0;
}

static bool vend_silent(const struct kiosk_snapshot *s)
{
	return !s->vend_ready && s->vend_why[0];
}

static bool pay_shown(const struct kiosk_snapshot *s)
{
	return s->session.pay == KIOSK_PAY_SHOWN && s->session.pay_qr[0];
}

static bool vend_done(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE;
}

static bool vend_failed(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_FAILED;
}

static struct kiosk_result choose(struct kiosk_core *core, const char *slot)
{
	return cf_vend_choose(core, slot);
}

static int pay(struct kiosk_core *core, enum kiosk_vend_method m)
{
	return cf_vend_pay(core, m);
}

static int sim(struct kiosk_core *core, const char *line)
{
	return cf_sim(core, KIOSK_CMD_SIM_VEND, line);
}

static void a_paid_item_drops_and_the_stock_moves(void)
{
	cf_make_cfg();
	plat = pf_start("K-V1", 5);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, vend_ready));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.nvend, 12);
	CHECK(s.vend_methods & (1u << KIOSK_VEND_BY_QR));
	CHECK_INT(s.dev[KIOSK_DEV_VEND], KIOSK_DEVSTATE_SIMULATED);
	/* Refusals change nothing: not chosen yet, sold out, no such slot, a way to pay
	 * there is not. */
	CHECK_INT(pay(core, KIOSK_VEND_BY_QR), KIOSK_ESTATE);
	CHECK_INT(choose(core, "12").rc, KIOSK_ESOLDOUT);
	CHECK_INT(choose(core, "61").rc, KIOSK_EINVAL);
	CHECK_INT(choose(core, "A1").rc, KIOSK_EINVAL);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order"), 0);
	struct kiosk_result r = choose(core, "1");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.vend.price_fen, 200);
	CHECK_INT((long long)strlen(r.u.vend.ref), 8);
	CHECK_INT(pay(core, (enum kiosk_vend_method)7), KIOSK_ENOTSUP);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment"), 0);
	CHECK_INT(pay(core, KIOSK_VEND_BY_QR), KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay_amount_fen, 200);
	CHECK_INT(s.session.vend, KIOSK_VEND_PAYING);
	CHECK(strcmp(s.session.vend_ref, r.u.vend.ref) == 0);
	/* Not paid yet: nothing moved, and the item cannot be given up once the motor turns
	 * — but it can now. */
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '1'"), 10);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, vend_done));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pf_settled));
	CHECK(pf_until(plat, "SELECT count(*) FROM event WHERE type = 'vend.dispensed'", 1));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'vend.paid' AND"
				 " json_extract(data, '$.amount_fen') = 200 AND"
				 " json_extract(data, '$.method') = 'qr'"),
		  1);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '1'"), 9);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM refund"), 0);
	cf_invariants_hold();
	/* the audit's figures: one QR vend of 200 fen, from slot 1 */
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = cf_cfg.store_path, .readonly = true};
	CHECK_INT(kiosk_store_open(&o, &st), KIOSK_OK);
	static struct kiosk_vend_audit a;
	CHECK_INT(kiosk_vend_audit(st, &a), KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(a.nslots, 12);
	CHECK(strcmp(a.slots[0].slot, "1") == 0 && strcmp(a.slots[0].product, "water") == 0);
	CHECK_INT(a.slots[0].vends, 1);
	CHECK_INT(a.slots[0].fen, 200);
	CHECK_INT(a.slots[1].vends, 0);
	CHECK_INT(a.by_method[KIOSK_PAY_QR].vends, 1);
	CHECK_INT(a.by_method[KIOSK_PAY_QR].fen, 200);
	CHECK_INT(a.by_method[KIOSK_PAY_CASH].vends, 0);
	plat_stop(plat);
	cf_cleanup();
}

static void a_jam_gives_the_money_back(void)
{
	cf_make_cfg();
	plat = pf_start("K-V2", 6);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, vend_ready));
	CHECK_INT(sim(core, "fault jam:2"), KIOSK_OK);
	CHECK_INT(sim(core, "fault nonsense"), KIOSK_EINVAL);
	struct kiosk_result r = choose(core, "2");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(pay(core, KIOSK_VEND_BY_QR), KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, vend_failed));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(strcmp(s.session.vend_reason, "jammed") == 0);
	CHECK(strcmp(s.session.vend_ref, r.u.vend.ref) == 0);
	CHECK(cf_until(core, pf_settled));
	CHECK(pf_until(plat, "SELECT count(*) FROM event WHERE type = 'payment.refund_requested' AND"
			 " json_extract(data, '$.amount_fen') = 350 AND"
			 " json_extract(data, '$.method') = 'qr'",
			 1));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'vend.failed'"), 1);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '2'"), 10); /* nothing fell */
	CHECK_INT(cf_rows("SELECT count(*) FROM refund"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'refunded'"), 1);
	cf_invariants_hold();
	plat_stop(plat);
	cf_cleanup();
}

static void leaving_before_paying_takes_nothing(void)
{
	cf_make_cfg();
	plat = pf_start("K-V3", 7);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, vend_ready));
	CHECK_INT(choose(core, "3").rc, KIOSK_OK);
	/* another item instead: the first order goes */
	CHECK_INT(choose(core, "4").rc, KIOSK_OK);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'cancelled'"), 1);
	CHECK_INT(pay(core, KIOSK_VEND_BY_QR), KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pf_settled)); /* cancelled at the platform */
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM payment WHERE status = 'cancelled'"), 1);
	/* the cancel given up by QR at the screen */
	CHECK_INT(choose(core, "5").rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_VEND_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'cancelled'"), 3);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state <> 'cancelled'"), 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM refund"), 0);
	CHECK_INT(cf_rows("SELECT sum(stock) FROM slot"), 90);
	cf_invariants_hold();
	plat_stop(plat);
	cf_cleanup();
}

static int mdb(struct kiosk_core *core, const char *line)
{
	return cf_sim(core, KIOSK_CMD_SIM_MDB, line);
}

static bool card_ready(const struct kiosk_snapshot *s)
{
	return vend_ready(s) && (s->vend_methods & (1u << KIOSK_VEND_BY_CARD));
}

/* the reader enabled: a resident taps a card only when the screen asks for it */
static bool at_reader(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_PAYING && s->session.vend_card_on;
}

static bool back_to_choosing(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_CHOSEN && s->session.vend_reason[0];
}

/* A card at the MDB reader (the simulated adapter): charged only once the item fell; a jam
 * ends the sale a failure (not charged) and the order failed with its refund record; a
 * declined card leaves the order waiting, nothing paid; giving up at the reader takes
 * nothing. No platform needed. */
static void a_card_pays_at_the_reader(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, card_ready));
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(pay(core, KIOSK_VEND_BY_QR), KIOSK_ENOTSUP); /* no platform */
	CHECK_INT(pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(pay(core, KIOSK_VEND_BY_CARD), KIOSK_ESTATE); /* one sale at a time */
	CHECK_INT(mdb(core, "tap 1000"), KIOSK_OK);
	CHECK(cf_until(core, vend_done));
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed' AND method ="
			  " 'mdb' AND amount_fen = 200"),
		  1);
	/* nothing fell: not charged at the reader, the order failed with its refund record */
	CHECK_INT(sim(core, "fault jam:2"), KIOSK_OK);
	CHECK_INT(choose(core, "2").rc, KIOSK_OK);
	CHECK_INT(pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(mdb(core, "tap 1000"), KIOSK_OK);
	CHECK(cf_until(core, vend_failed));
	CHECK_INT(cf_rows("SELECT count(*) FROM refund WHERE method = 'mdb' AND amount_fen = 350"),
		  1);
	/* a declined card: back to the ways to pay, nothing paid */
	CHECK_INT(mdb(core, "fault deny"), KIOSK_OK);
	CHECK_INT(choose(core, "3").rc, KIOSK_OK);
	CHECK_INT(pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(mdb(core, "tap 1000"), KIOSK_OK);
	CHECK(cf_until(core, back_to_choosing));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(strcmp(s.session.vend_reason, "card declined") == 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE slot = '3' AND state = 'created'"),
		  1);
	/* given up at the reader: nothing taken, the order cancelled */
	CHECK_INT(mdb(core, "fault clear"), KIOSK_OK);
	CHECK_INT(pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_ask(core, KIOSK_CMD_VEND_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE slot = '3' AND state ="
			  " 'cancelled'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'paid'"), 0);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '1'"), 9);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '2'"), 10);
	cf_invariants_hold();
	cf_cleanup();
}

static void a_silent_board_is_not_offered(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, vend_ready));
	CHECK_INT(sim(core, "fault silent"), KIOSK_OK);
	CHECK(cf_until(core, vend_silent));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.dev[KIOSK_DEV_VEND], KIOSK_DEVSTATE_FAULT);
	CHECK(strstr(s.vend_why, "POLL") != NULL);
	CHECK_INT(choose(core, "1").rc, KIOSK_EDEVICE);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order"), 0);
	/* the lockers serve on */
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	CHECK_INT(sim(core, "fault clear"), KIOSK_OK);
	CHECK(cf_until(core, vend_ready));
	kiosk_core_stop(core);
	cf_cleanup();
}

static struct kiosk_result slot_op(struct kiosk_core *core, const char *slot, int op,
				   const char *who)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_SLOT};
	cmd.u.vend.op = op;
	snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", slot);
	snprintf(cmd.u.vend.operator_id, sizeof cmd.u.vend.operator_id, "%s", who);
	return cf_submit(core, &cmd);
}

/* The technician at the open machine: a lane taken off sale cannot be bought, a test turn
 * that drops an item takes it off the count, one that jams moves nothing — each only for
 * the operator logged in. */
static void the_operator_tests_and_stops_lanes(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, vend_ready));
	CHECK_INT(slot_op(core, "1", KIOSK_SLOT_DISABLE, "8001").rc, KIOSK_EDENIED);
	CHECK_INT(slot_op(core, "2", KIOSK_SLOT_TEST, "8001").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468").rc, KIOSK_OK);
	CHECK_INT(slot_op(core, "1", KIOSK_SLOT_DISABLE, "8002").rc, KIOSK_EDENIED);
	CHECK_INT(slot_op(core, "99", KIOSK_SLOT_DISABLE, "8001").rc, KIOSK_ENOENT);
	CHECK_INT(slot_op(core, "1", 7, "8001").rc, KIOSK_EINVAL);
	CHECK_INT(slot_op(core, "1", KIOSK_SLOT_DISABLE, "8001").rc, KIOSK_OK);
	CHECK_INT(choose(core, "1").rc, KIOSK_ESTATE);
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order"), 0);
	CHECK_INT(slot_op(core, "1", KIOSK_SLOT_ENABLE, "8001").rc, KIOSK_OK);
	CHECK_INT(choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_VEND_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	struct kiosk_result r = slot_op(core, "2", KIOSK_SLOT_TEST, "8001");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(strcmp(r.u.vend_test.words, "dispensed") == 0);
	CHECK_INT(sim(core, "fault jam:3"), KIOSK_OK);
	r = slot_op(core, "3", KIOSK_SLOT_TEST, "8001");
	CHECK_INT(r.rc, KIOSK_EDEVICE);
	CHECK(strcmp(r.u.vend_test.words, "jammed") == 0);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '2'"), 9);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '3'"), 8);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'inventory.adjusted' AND"
			  " json_extract(data, '$.slot') = '2' AND json_extract(data, '$.delta') = -1"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'inventory.adjusted'"), 1);
	cf_invariants_hold();
	cf_cleanup();
}

/* ---- what a crash left: the board's record ---- */

static atomic_bool board_stop;

static void *board(void *arg)
{
	struct fafb_sim *b = arg;
	struct pollfd p = {.fd = fafb_sim_fd(b), .events = POLLIN};
	while (!atomic_load(&board_stop)) {
		(void)poll(&p, 1, 10);
		fafb_sim_step(b);
	}
	return NULL;
}

/* An order left dispensing by a crash on slot (its item taken out of the store's count
 * as a paid vend is). */
static void crashed_mid_dispense(struct kiosk_store *st, const char *slot, char order[37])
{
	struct kiosk_slot sl = {.price_fen = 300, .capacity = 5, .enabled = true};
	snprintf(sl.id, sizeof sl.id, "%s", slot);
	snprintf(sl.product, sizeof sl.product, "cola");
	CHECK_INT(kiosk_slot_upsert(st, &sl), KIOSK_OK);
	CHECK_INT(kiosk_slot_restock(st, slot, 5, "test"), KIOSK_OK);
	CHECK_INT(kiosk_vend_create(st, slot, order), KIOSK_OK);
	CHECK_INT(kiosk_vend_paid(st, order, KIOSK_PAY_QR, "pay-x", 300), KIOSK_OK);
	CHECK_INT(kiosk_vend_dispensing(st, order), KIOSK_OK);
}

static bool none_open(const char *order)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM vend_order WHERE id = '%s' AND state IN"
		 " ('dispensed','failed')", order);
	int64_t until = kiosk_mono_ms() + 10000;
	while (cf_rows(sql) != 1) {
		if (kiosk_mono_ms() > until)
			return false;
		usleep(20000);
	}
	return true;
}

static void a_crash_mid_dispense_is_settled_by_the_board(void)
{
	cf_make_cfg();
	/* a real bank's config: the board on a port of its own (ours, simulated here) */
	snprintf(cf_cfg.lock.port, sizeof cf_cfg.lock.port, "simulator");
	char link[96];
	snprintf(link, sizeof link, "%s/vend-board", cf_dir);
	snprintf(cf_cfg.vend.driver, sizeof cf_cfg.vend.driver, "fafb");
	snprintf(cf_cfg.vend.port, sizeof cf_cfg.vend.port, "%s", link);
	uint8_t key[KIOSK_DEVKEY_LEN];
	CHECK_INT(kiosk_devkey_load(cf_cfg.device_key_file, key, 1), KIOSK_OK);
	struct kiosk_store *st;
	struct kiosk_store_opts o = {.path = cf_cfg.store_path, .device_key = key};
	CHECK_INT(kiosk_store_open(&o, &st), KIOSK_OK);
	struct kiosk_product p = {.id = "cola", .name_zh = "可乐", .name_en = "Cola",
				  .category = "drinks"};
	CHECK_INT(kiosk_product_upsert(st, &p), KIOSK_OK);
	char fell[37], stuck[37], unknown[37];
	crashed_mid_dispense(st, "3", fell);
	crashed_mid_dispense(st, "4", stuck);
	crashed_mid_dispense(st, "5", unknown);
	kiosk_store_close(st);
	/* the board kept running through the kiosk's crash: its drop sensor's records */
	struct fafb_sim *b;
	CHECK_INT(fafb_sim_new(link, 10, 5, &b), KIOSK_OK);
	CHECK_INT(fafb_sim_command(b, "last 3 2"), KIOSK_OK);  /* dispensed */
	CHECK_INT(fafb_sim_command(b, "last 4 3"), KIOSK_OK);  /* jammed */
	CHECK_INT(fafb_sim_command(b, "last 4 9x"), KIOSK_EINVAL);
	pthread_t t;
	atomic_store(&board_stop, false);
	CHECK(pthread_create(&t, NULL, board, b) == 0);
	struct kiosk_core *core = NULL;
	char why[256];
	struct kiosk_core_opts co = {.cfg = &cf_cfg, .simulate = false, .test_clock = true};
	CHECK_INT(kiosk_core_start(&co, &core, why, sizeof why), KIOSK_OK);
	CHECK(none_open(fell));
	CHECK(none_open(stuck));
	kiosk_core_stop(core);
	atomic_store(&board_stop, true);
	pthread_join(t, NULL);
	fafb_sim_free(b);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM vend_order WHERE id = '%s' AND state ="
		 " 'dispensed'", fell);
	CHECK_INT(cf_rows(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM refund WHERE order_id = '%s'", stuck);
	CHECK_INT(cf_rows(sql), 1);
	/* no record: neither refunded nor assumed, the operator looks */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM vend_order WHERE id = '%s' AND state ="
		 " 'dispensing' AND uncertain = 1", unknown);
	CHECK_INT(cf_rows(sql), 1);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '3'"), 4);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '4'"), 5);
	CHECK_INT(cf_rows("SELECT stock FROM slot WHERE id = '5'"), 5);
	cf_invariants_hold();
	cf_cleanup();
}

/* The audit file (EVA-DTS style): its blocks add up, its CRC is the standard one over the
 * transaction, a field cannot break the format, and a buffer too small gives nothing. */
static void the_audit_file_adds_up(void)
{
	CHECK_INT(kiosk_dex_crc("123456789", 9), 0xBB3D); /* CRC-16/ARC's check value */
	static struct kiosk_vend_audit a;
	memset(&a, 0, sizeof a);
	a.nslots = 2;
	a.slots[0] = (struct kiosk_vend_audit_slot){"1", "water", 200, 3, 600};
	a.slots[1] = (struct kiosk_vend_audit_slot){"2", "tea*x", 350, 1, 350};
	a.by_method[KIOSK_PAY_QR].vends = 3;
	a.by_method[KIOSK_PAY_QR].fen = 750;
	a.by_method[KIOSK_PAY_CASH].vends = 1;
	a.by_method[KIOSK_PAY_CASH].fen = 200;
	a.failed = 1;
	a.refunds = 1;
	a.refunded_fen = 300;
	struct kiosk_dex_head h = {.machine = "K-1", .version = "1.0", .date = "20261205",
				   .time = "1830"};
	static char out[4096];
	int n = kiosk_dex_write(&h, &a, out, sizeof out);
	CHECK(n > 0 && (size_t)n == strlen(out));
	const char *want[] = {"DXS*K-1*VA*V0/6*1\r\n", "ST*001*0001\r\n", "ID1*K-1*QHK**1.0\r\n",
			      "ID4*2*156*CNY\r\n", "ID5*20261205*1830\r\n",
			      "VA1*950*4*950*4\r\n", "CA2*200*1*200*1\r\n", "DA2*0*0*0*0\r\n",
			      "DB2*750*3*750*3\r\n", "PA1*1*200*water\r\n", "PA2*3*600*3*600\r\n",
			      "PA1*2*350*tea_x\r\n", "PA2*1*350*1*350\r\n", "EA2*EJ*1*1\r\n",
			      "EA2*RF*1*1*300\r\n"};
	const char *at = out;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		CHECK(strncmp(at, want[i], strlen(want[i])) == 0);
		at += strlen(want[i]);
	}
	unsigned crc = 0;
	const char *st = strstr(out, "ST*001");
	CHECK(sscanf(at, "G85*%4X\r\n", &crc) == 1);
	CHECK_INT(crc, kiosk_dex_crc(st, (size_t)(at - st)));
	at = strstr(at, "\r\n") + 2;
	CHECK(strcmp(at, "SE*16*0001\r\nDXE*1*1\r\n") == 0); /* ST … SE: 16 lines */
	CHECK_INT(kiosk_dex_write(&h, &a, out, 64), KIOSK_ENOSPACE);
	CHECK_INT(out[0], 0);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_paid_item_drops_and_the_stock_moves", a_paid_item_drops_and_the_stock_moves},
		{"a_jam_gives_the_money_back", a_jam_gives_the_money_back},
		{"leaving_before_paying_takes_nothing", leaving_before_paying_takes_nothing},
		{"a_silent_board_is_not_offered", a_silent_board_is_not_offered},
		{"a_card_pays_at_the_reader", a_card_pays_at_the_reader},
		{"a_crash_mid_dispense_is_settled_by_the_board",
		 a_crash_mid_dispense_is_settled_by_the_board},
		{"the_audit_file_adds_up", the_audit_file_adds_up},
		{"the_operator_tests_and_stops_lanes", the_operator_tests_and_stops_lanes},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
