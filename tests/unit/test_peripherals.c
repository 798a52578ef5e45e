/* The printer and the scanner in the core, as the screens use them: a receipt is printed
 * only for what has ended and only while the printer can print, its bytes read back as the
 * receipt; a printer switched off mid-job fails the job (said, a device.fault), the sale
 * untouched, and is used again once it is back. A scan goes to the flow serving where the
 * screen is, as the command the screen would send; elsewhere, too long or unprintable, it
 * is refused and changes nothing. */
#include "core_fixture.h"
#include "kiosk/control.h"
#include "kiosk/store/store.h"
#include "hal/base/error.h"
#include "../escpos/escpos_decode.h"
#include "../test.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool card_ready(const struct kiosk_snapshot *s)
{
	return s->vend_ready && (s->vend_methods & (1u << KIOSK_VEND_BY_CARD));
}

static bool at_reader(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_PAYING && s->session.vend_card_on;
}

static bool vend_done(const struct kiosk_snapshot *s)
{
	return s->session.vend == KIOSK_VEND_DONE;
}

static bool printer_ready(const struct kiosk_snapshot *s)
{
	return s->dev[KIOSK_DEV_PRINTER] == KIOSK_DEVSTATE_OK ||
	       s->dev[KIOSK_DEV_PRINTER] == KIOSK_DEVSTATE_SIMULATED;
}

static bool printer_fault(const struct kiosk_snapshot *s)
{
	return s->dev[KIOSK_DEV_PRINTER] == KIOSK_DEVSTATE_FAULT;
}

static bool scanner_ready(const struct kiosk_snapshot *s)
{
	return s->dev[KIOSK_DEV_SCANNER] == KIOSK_DEVSTATE_SIMULATED;
}

/* Waits (10 s at most) until sql counts want: the fault is recorded as its bus's health is
 * next looked at. */
static bool rows_until(const char *sql, long long want)
{
	for (int i = 0; i < 1000; i++) {
		if (cf_rows(sql) == want)
			return true;
		poll(NULL, 0, 10);
	}
	return false;
}

static void buy_by_card(struct kiosk_core *core, const char *slot)
{
	CHECK_INT(cf_vend_choose(core, slot).rc, KIOSK_OK);
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "tap 1000"), KIOSK_OK);
	CHECK(cf_until(core, vend_done));
}

static int print_vend(struct kiosk_core *core)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_PRINT_VEND};
	return cf_submit(core, &cmd).rc;
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap, f) : 0;
	if (f)
		fclose(f);
	return n;
}

/* The file transport: nothing before the order ends; then the receipt, read back. */
static void a_purchase_prints_its_receipt(void)
{
	cf_make_cfg();
	char file[128];
	snprintf(file, sizeof file, "%s/receipts.bin", cf_dir);
	snprintf(cf_cfg.printer.port, sizeof cf_cfg.printer.port, "file:%s", file);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, card_ready));
	CHECK(cf_until(core, printer_ready));
	CHECK_INT(print_vend(core), KIOSK_ESTATE); /* nothing bought yet */
	CHECK_INT(cf_vend_choose(core, "1").rc, KIOSK_OK);
	CHECK_INT(print_vend(core), KIOSK_ESTATE); /* not paid, not ended */
	CHECK_INT(cf_vend_pay(core, KIOSK_VEND_BY_CARD), KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "tap 1000"), KIOSK_OK);
	CHECK(cf_until(core, vend_done));
	static uint8_t buf[65536];
	CHECK_INT((int)slurp(file, buf, sizeof buf), 0); /* nothing printed unasked */
	CHECK_INT(print_vend(core), KIOSK_OK);           /* answered once printed */
	size_t n = slurp(file, buf, sizeof buf);
	static struct dec_receipt r;
	CHECK(escpos_decode(buf, n, &r));
	CHECK_STR(r.error, "");
	CHECK_INT(r.jobs, 1);
	CHECK_INT(r.cuts, 1);
	char text[8192];
	escpos_decode_text(&r, text, sizeof text);
	CHECK_HAS(text, "购物小票");
	CHECK_HAS(text, "价格 Price: ¥2.00");
	CHECK_HAS(text, "付款 Paid by: 刷卡 Card");
	CHECK_INT(r.nqr, 1);
	CHECK(strncmp(r.qr[0], "KIOSK-ORDER:", 12) == 0);
	kiosk_core_stop(core);
	cf_invariants_hold();
	cf_cleanup();
}

/* The simulated network printer switched off: the job fails (said, once a device.fault),
 * the order is dispensed all the same; switched on, it prints again. */
static void a_printer_switched_off_fails_the_job_not_the_sale(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, card_ready));
	CHECK(cf_until(core, printer_ready));
	buy_by_card(core, "1");
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_PRINTER, "unplug"), KIOSK_OK);
	int rc = print_vend(core);
	CHECK(rc == KIOSK_EIO || rc == KIOSK_ETIMEDOUT || rc == KIOSK_EDEVICE);
	CHECK(cf_until(core, printer_fault));
	CHECK(rows_until("SELECT count(*) FROM outbox WHERE type = 'device.fault' AND data LIKE"
			 " '%printer_offline%'",
			 1));
	CHECK_INT(cf_rows("SELECT count(*) FROM vend_order WHERE state = 'dispensed'"), 1);
	CHECK_INT(print_vend(core), KIOSK_EDEVICE); /* not offered while it cannot print */
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_PRINTER, "plug"), KIOSK_OK);
	CHECK(cf_until(core, printer_ready));
	CHECK_INT(print_vend(core), KIOSK_OK);
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_PRINTER, "paper out"), KIOSK_OK);
	CHECK(cf_until(core, printer_fault));
	CHECK(rows_until("SELECT count(*) FROM outbox WHERE type = 'device.fault' AND data LIKE"
			 " '%paper_out%'",
			 1));
	/* kioskctl status says it, with the reason, as the printer said it */
	char reply[4096];
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"printer\":\"fault\"");
	CHECK_HAS(reply, "\"printer\":\"out of paper\"");
	CHECK_HAS(reply, "\"scanner\":\"simulated\"");
	kiosk_core_stop(core);
	cf_invariants_hold();
	cf_cleanup();
}

static struct kiosk_snapshot snap_of(struct kiosk_core *core)
{
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	return s;
}

static uint32_t seen_seq;

static bool scan_in(const struct kiosk_snapshot *s)
{
	return s->session.scan_seq != seen_seq;
}

static struct kiosk_snapshot scan(struct kiosk_core *core, const char *code)
{
	seen_seq = snap_of(core).session.scan_seq;
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SIM_SCANNER};
	snprintf(cmd.u.sim.line, sizeof cmd.u.sim.line, "%s", code);
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
	CHECK(cf_until(core, scan_in));
	return snap_of(core);
}

static void at(struct kiosk_core *core, const char *place)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SCAN_AT};
	snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", place);
	kiosk_core_submit(core, &cmd, NULL); /* no result: the snapshot follows */
}

static const char *want_place;

static bool place_is(const struct kiosk_snapshot *s)
{
	return strcmp(s->session.scan_at, want_place) == 0;
}

/* What became of a routed scan: its result. */
static struct kiosk_result routed(struct kiosk_core *core, const struct kiosk_snapshot *s)
{
	struct kiosk_result r = {.rc = -999};
	CHECK(!s->session.scan_refused && s->session.scan_req);
	for (int i = 0; i < 2000 && !kiosk_core_result(core, s->session.scan_req, &r); i++)
		cf_until(core, scan_in); /* a short wait on a condition that already holds */
	return r;
}

static void scans_go_where_the_screen_is(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, scanner_ready));
	char parcel[64];
	cf_deposit(core, "SF5001", parcel);
	long long audit = cf_rows("SELECT count(*) FROM audit");
	/* nowhere: refused, nothing done */
	struct kiosk_snapshot s = scan(core, "12345678");
	CHECK(s.session.scan_refused);
	CHECK_STR(s.session.scan_why, "not_here");
	CHECK_INT((int)s.session.scan_req, 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM audit"), audit);
	/* at 取件: a wrong code counts as a wrong code typed */
	at(core, "pickup");
	want_place = "pickup";
	CHECK(cf_until(core, place_is));
	s = scan(core, "https://k.example.com/p/00000000?x=1");
	struct kiosk_result r = routed(core, &s);
	CHECK_INT(r.rc, KIOSK_EDENIED);
	CHECK_INT(r.type, KIOSK_CMD_PICKUP_CHECK);
	/* not a pickup code at all: said, and no try is counted */
	int tries = r.u.pickup.tries_left;
	s = scan(core, "hello");
	CHECK_INT(routed(core, &s).rc, KIOSK_EPARSE);
	s = scan(core, "https://k.example.com/p/00000000");
	CHECK_INT(routed(core, &s).u.pickup.tries_left, tries - 1);
	/* too long or unprintable: refused before any flow */
	char longc[300];
	memset(longc, '8', 299);
	longc[299] = '\0';
	s = scan(core, longc);
	CHECK(s.session.scan_refused);
	CHECK_STR(s.session.scan_why, "too_long");
	s = scan(core, "12\x01" "345678");
	CHECK_STR(s.session.scan_why, "unprintable");
	/* the courier's login takes a badge as the id, the deposit form a label */
	at(core, "courier_login");
	want_place = "courier_login";
	CHECK(cf_until(core, place_is));
	s = scan(core, "courier:9001");
	r = routed(core, &s);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.scan.text, "9001");
	s = scan(core, "courier:9001 OR 1=1");
	CHECK_INT(routed(core, &s).rc, KIOSK_EPARSE);
	at(core, "deposit");
	want_place = "deposit";
	CHECK(cf_until(core, place_is));
	s = scan(core, "SF5002");
	CHECK_INT(routed(core, &s).rc, KIOSK_EDENIED); /* nobody logged in: no form */
	/* the session ends: the place goes with it */
	struct kiosk_cmd end = {.type = KIOSK_CMD_SESSION_END};
	CHECK_INT(cf_submit(core, &end).rc, KIOSK_OK);
	s = scan(core, "12345678");
	CHECK_STR(s.session.scan_why, "not_here");
	/* no scan opened a door */
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'picked_up'"), 0);
	kiosk_core_stop(core);
	cf_invariants_hold();
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_purchase_prints_its_receipt", a_purchase_prints_its_receipt},
		{"a_printer_switched_off_fails_the_job_not_the_sale",
		 a_printer_switched_off_fails_the_job_not_the_sale},
		{"scans_go_where_the_screen_is", scans_go_where_the_screen_is},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
