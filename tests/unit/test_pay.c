/* The payment service and send bookings end to end: a core on a simulated bank, linked to
 * the local platform over loopback (both real). What a resident sees: the QR comes up, the
 * door opens only once the platform says paid, leaving cancels the payment, money paid for
 * a send given up comes back exactly once, and a payment a restart left open is settled.
 * Bookings: unknown, another kiosk's, used, malformed — each its own answer; a good one
 * opens a door of the booked size and is used once. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct plat *plat;

/* The platform on a free port and the config pointing at it (offline: a closed port —
 * the platform's, after it stops). */
static void online(bool reachable)
{
	cf_make_cfg();
	plat = pf_start("K-P1", 3);
	if (!reachable) {
		plat_stop(plat);
		plat = NULL;
	}
}

static void offline_done(void)
{
	plat_stop(plat);
	plat = NULL;
	cf_cleanup();
}

static bool pay_shown(const struct kiosk_snapshot *s)
{
	return s->session.pay == KIOSK_PAY_SHOWN && s->session.pay_qr[0];
}

static bool pickup_open(const struct kiosk_snapshot *s)
{
	return s->session.pickup == KIOSK_PICKUP_OPEN;
}

static bool pay_offline(const struct kiosk_snapshot *s)
{
	return s->session.pay == KIOSK_PAY_OFFLINE;
}

static bool send_open(const struct kiosk_snapshot *s)
{
	return s->session.send == KIOSK_SEND_OPEN;
}

static bool send_done(const struct kiosk_snapshot *s)
{
	return s->session.send == KIOSK_SEND_DONE;
}

static bool outbox_empty(const struct kiosk_snapshot *s)
{
	return s->outbox_unsent == 0;
}

static void skew(struct kiosk_core *core, int64_t ms)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_CLOCK_SKEW, .u.skew.ms = ms};
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
}

/* A deposited parcel; its code as the platform received it for the resident's text
 * message (the kiosk erases its plain copy once the platform has it). */
static void overdue_parcel(struct kiosk_core *core, const char *tracking, char code[16])
{
	char parcel[64], sql[256];
	cf_deposit(core, tracking, parcel);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM event WHERE type = 'parcel.deposited' AND"
		 " json_extract(data, '$.tracking_no') = '%s'", tracking);
	CHECK(pf_until(plat, sql, 1));
	snprintf(sql, sizeof sql,
		 "SELECT CAST(json_extract(data, '$.pickup_code') AS INTEGER) FROM event WHERE"
		 " type = 'parcel.deposited' AND json_extract(data, '$.tracking_no') = '%s'",
		 tracking);
	snprintf(code, 16, "%08lld", plat_one(plat, sql));
}

static void fee_is_paid_by_qr_then_the_door_opens(void)
{
	online(true);
	struct kiosk_core *core = cf_start();
	char code[16], other[16];
	overdue_parcel(core, "SF7001", code);
	overdue_parcel(core, "SF7002", other);
	skew(core, 29LL * 3600 * 1000);
	/* Nothing checked in this session: no payment. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_CANCEL, 0, NULL, NULL).rc, KIOSK_ESTATE);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.pickup.owed_fen, 50);
	/* Owed: the door stays shut until the platform says paid. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EUNPAID);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay_amount_fen, 50);
	CHECK(s.session.pay_expires_ms > s.now_ms);
	CHECK_INT(s.session.pickup, KIOSK_PICKUP_FEE);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM payment WHERE status = 'pending'"
				 " AND amount_fen = 50"),
		  1);
	/* Asked again while one is up: refused, no second QR. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_EBUSY);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, pickup_open));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay, KIOSK_PAY_PAID);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "take 0 1", NULL).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);

	/* The next resident leaves at the QR: the payment is cancelled at the platform, the
	 * door never opened, and the fee is still owed. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, other).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(pf_until(plat, "SELECT count(*) FROM payment WHERE status = 'cancelled'", 1));
	CHECK(cf_until(core, pf_settled));
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'picked_up'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'deposited'"
			  " AND fee_paid_fen = 0"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'paid'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'cancelled'"), 1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'parcel.picked_up'"
				 " AND json_extract(data, '$.fee_fen') = 50"),
		  1);
	offline_done();
}

/* Offline: the QR cannot come up; nothing is taken, the door stays shut, and the payment
 * written before asking is settled once the platform is back. */
static void no_platform_no_payment(void)
{
	online(false);
	struct kiosk_core *core = cf_start();
	char code[16], parcel[64];
	cf_deposit(core, "SF7101", parcel);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_TEST_LAST_CODE, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK); /* nothing acks it: it stays in the outbox */
	snprintf(code, sizeof code, "%.8s", r.u.code.digits);
	skew(core, 29LL * 3600 * 1000);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_offline));
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EUNPAID);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op WHERE purpose = 'pickup'"), 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'cancelling'"), 1);
	cf_cleanup();
}

/* A QR paid while the kiosk was down: after the restart the payment is looked up and the
 * fee recorded — the resident is not asked to pay twice. */
static void payment_left_open_by_a_restart_is_settled(void)
{
	online(true);
	struct kiosk_core *core = cf_start();
	char code[16];
	overdue_parcel(core, "SF7201", code);
	skew(core, 29LL * 3600 * 1000);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_FEE, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	kiosk_core_stop(core);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	core = cf_start();
	skew(core, 29LL * 3600 * 1000);
	CHECK(cf_until(core, pf_settled)); /* the payment looked up again */
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.pickup.owed_fen, 0);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_OK);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'paid'"), 1);
	offline_done();
}

static struct kiosk_cmd prepaid_send(const char *carrier, int size)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_START};
	snprintf(cmd.u.send.carrier, sizeof cmd.u.send.carrier, "%s", carrier);
	snprintf(cmd.u.send.phone, sizeof cmd.u.send.phone, "13900002222");
	snprintf(cmd.u.send.city, sizeof cmd.u.send.city, "杭州");
	cmd.u.send.size = size;
	cmd.u.send.pay = 1;
	return cmd;
}

/* 寄付: the QR first, the door only when paid; given up after paying: refunded once. */
static void prepaid_send_opens_when_paid_and_refunds_when_given_up(void)
{
	online(true);
	struct kiosk_core *core = cf_start();
	struct kiosk_cmd cmd = prepaid_send("SF", 0);
	cmd.u.send.pay = 2;
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_EINVAL);
	cmd = prepaid_send("SF", 0);
	snprintf(cmd.u.send.phone, sizeof cmd.u.send.phone, "12345");
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_EINVAL); /* not a mobile number */
	cmd = prepaid_send("SF", 0);
	struct kiosk_result r = cf_submit(core, &cmd);
	CHECK_INT(r.rc, KIOSK_OK);
	char parcel[40];
	snprintf(parcel, sizeof parcel, "%s", r.u.door.parcel);
	CHECK(cf_until(core, pay_shown));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.send, KIOSK_SEND_PAYING);
	CHECK_INT(s.session.pay_amount_fen, cf_cfg.send_price_fen[0]);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, send_open));
	/* The door is open; the resident changes their mind: the send goes, the money back. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SEND_CANCEL, 0, parcel, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, outbox_empty));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type ="
				 " 'payment.refund_requested' AND json_extract(data, '$.amount_fen') ="
				 " 1000 AND json_extract(data, '$.method') = 'qr'"),
		  1);
	/* 寄付 left at its QR: the send is cancelled with the payment, nothing reserved. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	cmd = prepaid_send("SF", 1);
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(pf_until(plat, "SELECT count(*) FROM payment WHERE status = 'cancelled'", 1));
	CHECK(cf_until(core, pf_settled));
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE kind = 'send' AND state ="
			  " 'cancelled'"),
		  2);
	CHECK_INT(cf_rows("SELECT count(*) FROM compartment WHERE state <> 'free'"), 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'refunded'"), 1);
	offline_done();
}

/* 寄付 paid while the kiosk was down: nobody is at the screen to put the parcel in, so
 * after the restart the send is cancelled and the money refunded, once. */
static void unattended_prepaid_send_is_refunded(void)
{
	online(true);
	struct kiosk_core *core = cf_start();
	struct kiosk_cmd cmd = prepaid_send("SF", 0);
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	kiosk_core_stop(core);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	core = cf_start();
	CHECK(pf_until(plat, "SELECT count(*) FROM event WHERE type = 'payment.refund_requested'", 1));
	CHECK(cf_until(core, pf_settled));
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE kind = 'send' AND state = 'cancelled'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM payment WHERE state = 'refunded'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM compartment WHERE state <> 'free'"), 0);
	offline_done();
}

static struct kiosk_result booking(struct kiosk_core *core, const char *code)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_BOOKING};
	snprintf(cmd.u.booking.code, sizeof cmd.u.booking.code, "%s", code);
	return cf_submit(core, &cmd);
}

static void booking_codes_are_looked_up_online(void)
{
	online(true);
	CHECK_INT(plat_add_booking(plat, "{\"code\":\"SF2468\",\"carrier\":\"SF\",\"size\":\"M\","
					 "\"paid\":true,\"amount_fen\":1800,\"receiver_city\":"
					 "\"广州\",\"device\":\"K-P1\"}"),
		  0);
	CHECK_INT(plat_add_booking(plat, "{\"code\":\"OTHER1\",\"carrier\":\"SF\",\"size\":\"S\","
					 "\"paid\":true,\"amount_fen\":900,\"device\":\"K-P9\"}"),
		  0);
	CHECK_INT(plat_add_booking(plat, "{\"code\":\"PAYME1\",\"carrier\":\"SF\",\"size\":\"S\","
					 "\"paid\":false,\"amount_fen\":1500}"),
		  0);
	CHECK_INT(plat_add_booking(plat, "{\"code\":\"UPS123\",\"carrier\":\"UPS\",\"size\":\"S\","
					 "\"paid\":true,\"amount_fen\":900}"),
		  0);
	struct kiosk_core *core = cf_start();
	CHECK_INT(booking(core, "12").rc, KIOSK_EINVAL);       /* too short: not even asked */
	CHECK_INT(booking(core, "AB-123").rc, KIOSK_EINVAL);   /* not letters and digits */
	CHECK_INT(booking(core, "NOSUCH1").rc, KIOSK_ENOENT);  /* 404 */
	CHECK_INT(booking(core, "OTHER1").rc, KIOSK_EDENIED);  /* booked at another kiosk */
	CHECK_INT(booking(core, "UPS123").rc, KIOSK_ENOTSUP);  /* nobody collects UPS here */
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE kind = 'send'"), 0);
	struct kiosk_result r = booking(core, "SF2468");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.booking.carrier, "SF");
	CHECK_INT(r.u.booking.size, 1);
	CHECK_STR(r.u.booking.city, "广州");
	CHECK(cf_until(core, send_open));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	char line[32];
	snprintf(line, sizeof line, "put 0 %c", s.session.send_compartment[1]);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, send_done));
	CHECK(cf_until(core, outbox_empty));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM booking WHERE code = 'SF2468'"
				 " AND used_by = 'K-P1'"),
		  1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'parcel.send_requested'"
				 " AND json_extract(data, '$.booking') = 'BK-SF2468'"
				 " AND json_extract(data, '$.pay_method') = 'booking'"
				 " AND json_extract(data, '$.size') = 'M'"),
		  1);
	/* Used: the same code again is refused. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(booking(core, "SF2468").rc, KIOSK_EEXIST);
	/* Booked but not paid in the app: its QR comes first, for the booked amount; given up
	 * at the QR, nothing stays reserved. */
	r = booking(core, "PAYME1");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.booking.pay, KIOSK_PAYER_SENDER);
	CHECK(cf_until(core, pay_shown));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay_amount_fen, 1500);
	CHECK_INT(s.session.send, KIOSK_SEND_PAYING);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PAY_CANCEL, 0, NULL, NULL).rc, KIOSK_OK);
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.send, KIOSK_SEND_NONE);
	kiosk_core_stop(core);
	offline_done();
}

/* Booking codes cannot be guessed without limit: the fifth wrong one in ten minutes locks
 * them (even a right one is then refused, unasked), and the lock is their own — a
 * resident's pickup code is still checked. */
static void booking_guesses_are_limited(void)
{
	online(true);
	CHECK_INT(plat_add_booking(plat, "{\"code\":\"SF1357\",\"carrier\":\"SF\",\"size\":\"S\","
					 "\"paid\":true,\"amount_fen\":900,\"device\":\"K-P1\"}"),
		  0);
	struct kiosk_core *core = cf_start();
	char guess[16];
	for (int i = 0; i < 4; i++) {
		snprintf(guess, sizeof guess, "GUESS%d", i);
		CHECK_INT(booking(core, guess).rc, KIOSK_ENOENT);
	}
	struct kiosk_result r = booking(core, "GUESS9");
	CHECK_INT(r.rc, KIOSK_ELOCKED);
	CHECK_INT(r.u.booking.wait_s, 300);
	long long asked = plat_one(plat, "SELECT count(*) FROM booking WHERE used_by IS NOT NULL");
	r = booking(core, "SF1357"); /* right, but locked: refused, and nothing started */
	CHECK_INT(r.rc, KIOSK_ELOCKED);
	CHECK(r.u.booking.wait_s > 0 && r.u.booking.wait_s <= 300);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE kind = 'send'"), 0);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM booking WHERE used_by IS NOT NULL"), asked);
	CHECK_INT(cf_rows("SELECT count(*) FROM audit WHERE action = 'send.wrong_booking'"), 5);
	/* pickups have their own counter: a wrong pickup code is just wrong, not locked */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, "00000000").rc, KIOSK_EDENIED);
	/* five minutes on, the right code works */
	skew(core, 301 * 1000);
	CHECK_INT(booking(core, "SF1357").rc, KIOSK_OK);
	kiosk_core_stop(core);
	offline_done();
}

static bool price_800(const struct kiosk_snapshot *s)
{
	return s->settings.send_price_fen[0] == 800;
}

/* The operator changes a price from the platform: the kiosk takes it (and keeps it across
 * a restart), and the next 寄付 asks that much. */
static void settings_from_the_platform_apply(void)
{
	online(true);
	CHECK_INT(plat_add_changes(plat, "[{\"kind\":\"config\",\"op\":\"upsert\",\"id\":\"c1\","
					 "\"data\":{\"key\":\"send.price_s_fen\",\"value\":800}},"
					 "{\"kind\":\"config\",\"op\":\"upsert\",\"id\":\"c2\","
					 "\"data\":{\"key\":\"help.phone\",\"value\":\"021-12345\"}}]"),
		  0);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, price_800));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.settings.help_phone, "021-12345");
	kiosk_core_stop(core);
	core = cf_start(); /* kept across the restart (the platform sends a change once) */
	CHECK(cf_until(core, price_800));
	struct kiosk_cmd cmd = prepaid_send("SF", 0);
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
	CHECK(cf_until(core, pay_shown));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay_amount_fen, 800);
	kiosk_core_stop(core);
	offline_done();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"fee_is_paid_by_qr_then_the_door_opens", fee_is_paid_by_qr_then_the_door_opens},
		{"no_platform_no_payment", no_platform_no_payment},
		{"payment_left_open_by_a_restart_is_settled",
		 payment_left_open_by_a_restart_is_settled},
		{"prepaid_send_opens_when_paid_and_refunds_when_given_up",
		 prepaid_send_opens_when_paid_and_refunds_when_given_up},
		{"unattended_prepaid_send_is_refunded", unattended_prepaid_send_is_refunded},
		{"booking_codes_are_looked_up_online", booking_codes_are_looked_up_online},
		{"booking_guesses_are_limited", booking_guesses_are_limited},
		{"settings_from_the_platform_apply", settings_from_the_platform_apply},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
