/* 助餐 in the store: the menu, the eligibility answers kept as keyed hashes, and orders —
 * a refusal (deadline, sold out, portions, delivery) writes nothing; the quota is taken
 * where an order is paid and never oversold; a free tier is paid at once; cancel gives the
 * portions and the money back once, by the phone it was ordered with; a ticket is served
 * once ("已取过" after); a restart drops what nobody paid. */
#include "store_fixture.h"
#include "kiosk/store/store.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path[256];
static struct kiosk_store *st;

#define T0 1795867200000LL /* 2026-11-28 08:00 UTC = 16:00 in Beijing */
#define PHONE "13900001111"

static void setup(void)
{
	fx_now = T0;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
}

static void teardown(void)
{
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	CHECK_STR(msg, "ok");
	kiosk_store_close(st);
	st = NULL;
	fx_cleanup(path);
}

static void a_meal(const char *id, const char *day, int quota, int64_t price, int64_t by)
{
	struct kiosk_meal m = {0};
	snprintf(m.id, sizeof m.id, "%s", id);
	snprintf(m.day, sizeof m.day, "%s", day);
	snprintf(m.canteen, sizeof m.canteen, "xingfu");
	snprintf(m.kind, sizeof m.kind, "lunch");
	snprintf(m.name_zh, sizeof m.name_zh, "红烧狮子头套餐");
	snprintf(m.name_en, sizeof m.name_en, "Braised meatball set");
	m.price_fen = price;
	m.quota = quota;
	m.order_by_ms = by;
	CHECK_INT(kiosk_meal_upsert(st, &m), KIOSK_OK);
}

static struct kiosk_meal_ask ask(const char *meal, int portions, const char *tier, int percent)
{
	return (struct kiosk_meal_ask){.meal = meal, .portions = portions, .max_portions = 2,
				       .tier = tier, .percent = percent, .resident = "",
				       .phone = PHONE, .now_ms = fx_now};
}

static int sold(const char *id)
{
	struct kiosk_meal m;
	CHECK_INT(kiosk_meal_get(st, id, &m), KIOSK_OK);
	return m.sold;
}

/* Refusals name what is wrong and write nothing. */
static void an_order_refused_changes_nothing(void)
{
	setup();
	a_meal("L1", "2026-11-29", 3, 1500, T0 + 3600000);
	a_meal("L0", "2026-11-28", 3, 1500, T0 - 1); /* its deadline passed */
	struct kiosk_meal_order o;
	char before[65], after[65];
	fx_digest(st, before);
	struct kiosk_meal_ask a = ask("L0", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EEXPIRED);
	a = ask("L1", 3, "", 0);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EINVAL); /* more than the config allows */
	a = ask("L1", 0, "", 0);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EINVAL);
	a = ask("NOPE", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_ENOENT);
	a = ask("L1", 1, "", 0);
	a.delivery = true; /* nobody the platform knows: no address to bring it to */
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EDENIED);
	a = ask("L1", 1, "", 0);
	a.phone = "1390000111"; /* ten digits */
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EINVAL);
	a = ask("L1", 1, "70+", 10);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_EINVAL);
	fx_digest(st, after);
	CHECK_STR(after, before);
	CHECK_INT(kiosk_meal_withdraw(st, "L1"), KIOSK_OK);
	a = ask("L1", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &a, &o), KIOSK_ENOENT); /* withdrawn */
	teardown();
}

/* The price by tier, the quota taken where paid, never more than the kiosk was given. */
static void the_quota_is_never_oversold(void)
{
	setup();
	a_meal("L1", "2026-11-29", 3, 1500, T0 + 3600000);
	struct kiosk_meal_order a, b, c;
	struct kiosk_meal_ask q = ask("L1", 2, "60+", 20);
	CHECK_INT(kiosk_meal_order(st, &q, &a), KIOSK_OK);
	CHECK_STR(a.state, "created");
	CHECK_INT(a.price_fen, 3000);
	CHECK_INT(a.discount_fen, 600);
	CHECK_INT(a.due_fen, 2400);
	CHECK_INT(strlen(a.number), 8);
	CHECK_INT(sold("L1"), 0); /* not yet: unpaid */
	q = ask("L1", 2, "", 0);
	CHECK_INT(kiosk_meal_order(st, &q, &b), KIOSK_OK); /* two unpaid orders for 3 left */
	CHECK_INT(kiosk_meal_paid(st, a.id, KIOSK_PAY_QR, "pay-1", 2000), KIOSK_EINVAL); /* sum */
	CHECK_INT(kiosk_meal_paid(st, a.id, KIOSK_PAY_QR, "pay-1", 2400), KIOSK_OK);
	CHECK_INT(sold("L1"), 2);
	CHECK_INT(kiosk_meal_paid(st, a.id, KIOSK_PAY_QR, "pay-1", 2400), KIOSK_ESTATE); /* once */
	/* the second paid too late: one portion left for its two — refused, nothing taken */
	CHECK_INT(kiosk_meal_paid(st, b.id, KIOSK_PAY_QR, "pay-2", 3000), KIOSK_ESOLDOUT);
	CHECK_INT(sold("L1"), 2);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'meal.ordered'"), 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'meal.ordered' AND"
			     " json_extract(data, '$.paid_fen') = 2400 AND json_extract(data,"
			     " '$.discount_fen') = 600 AND json_extract(data, '$.tier') = '60+'"
			     " AND json_extract(data, '$.phone_last4') = '1111' AND"
			     " json_extract(data, '$.pickup') = 'xingfu'"),
		  1);
	CHECK_INT(kiosk_meal_drop(st, b.id), KIOSK_OK);
	/* the platform lowers the quota: it applies to what is left (2 sold of 2: none) */
	a_meal("L1", "2026-11-29", 2, 1500, T0 + 3600000);
	q = ask("L1", 1, "90+", 100);
	CHECK_INT(kiosk_meal_order(st, &q, &c), KIOSK_ESOLDOUT);
	a_meal("L1", "2026-11-29", 4, 1500, T0 + 3600000);
	CHECK_INT(sold("L1"), 2); /* an upsert keeps what was sold */
	/* 90+ eats free: paid at once, no payment */
	CHECK_INT(kiosk_meal_order(st, &q, &c), KIOSK_OK);
	CHECK_STR(c.state, "paid");
	CHECK_STR(c.method, "free");
	CHECK_INT(c.due_fen, 0);
	CHECK_INT(sold("L1"), 3);
	/* never the phone in plain: last 4 and a keyed hash */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM meal_order WHERE phone_last4 = '1111' AND"
			     " length(who) = 32 AND CAST(who AS TEXT) NOT LIKE '%13900001111%'"),
		  3);
	teardown();
}

/* A cancel before the deadline, by the phone it was ordered with: the portions and the money
 * back once. */
static void cancel_gives_back_once(void)
{
	setup();
	a_meal("L1", "2026-11-29", 3, 1500, T0 + 3600000);
	struct kiosk_meal_order o, x;
	struct kiosk_meal_ask q = ask("L1", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &q, &o), KIOSK_OK);
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", PHONE, fx_now, &x), KIOSK_ESTATE);
	CHECK_INT(kiosk_meal_paid(st, o.id, KIOSK_PAY_QR, "pay-9", 1500), KIOSK_OK);
	char before[65], after[65];
	fx_digest(st, before);
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", "13900002222", fx_now, &x),
		  KIOSK_EDENIED);
	CHECK_INT(kiosk_meal_cancel(st, "00000000", "phone", PHONE, fx_now, &x), KIOSK_ENOENT);
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", PHONE, T0 + 3600000, &x),
		  KIOSK_EEXPIRED);
	fx_digest(st, after);
	CHECK_STR(after, before);
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", PHONE, fx_now, &x), KIOSK_OK);
	CHECK_INT(sold("L1"), 0);
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", PHONE, fx_now, &x), KIOSK_ESTATE);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'payment.refund_requested'"
			     " AND json_extract(data, '$.amount_fen') = 1500 AND"
			     " json_extract(data, '$.method') = 'qr' AND json_extract(data,"
			     " '$.payment') = 'pay-9'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'meal.cancelled' AND"
			     " json_extract(data, '$.refund_fen') = 1500"),
		  1);
	teardown();
}

/* Served once, on its day; the second scan says 已取过. */
static void a_ticket_is_served_once(void)
{
	setup();
	a_meal("L1", "2026-11-28", 3, 1500, T0 + 3600000);
	a_meal("L2", "2026-11-29", 3, 1500, T0 + 7200000);
	struct kiosk_meal_order o, t, s;
	struct kiosk_meal_ask q = ask("L1", 1, "90+", 100);
	CHECK_INT(kiosk_meal_order(st, &q, &o), KIOSK_OK);
	q = ask("L2", 1, "90+", 100);
	CHECK_INT(kiosk_meal_order(st, &q, &t), KIOSK_OK);
	char qr[16];
	snprintf(qr, sizeof qr, "MEAL:%s", o.number);
	CHECK_INT(kiosk_meal_serve(st, "MEAL:1234", "2026-11-28", "CT1", &s), KIOSK_EINVAL);
	CHECK_INT(kiosk_meal_serve(st, "99999999", "2026-11-28", "CT1", &s), KIOSK_ENOENT);
	CHECK_INT(kiosk_meal_serve(st, t.number, "2026-11-28", "CT1", &s), KIOSK_EEXPIRED);
	CHECK_INT(kiosk_meal_serve(st, qr, "2026-11-28", "CT1", &s), KIOSK_OK);
	CHECK_STR(s.state, "served");
	CHECK_INT(kiosk_meal_serve(st, o.number, "2026-11-28", "CT1", &s), KIOSK_EEXIST);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'meal.served' AND"
			     " json_extract(data, '$.by') = 'CT1'"),
		  1);
	/* served: no cancel */
	struct kiosk_meal_order x;
	CHECK_INT(kiosk_meal_cancel(st, o.number, "phone", PHONE, fx_now, &x), KIOSK_ESTATE);
	/* "和上次一样": the last one's kind and canteen */
	char kind[8], canteen[KIOSK_ID_MAX];
	int portions = 0;
	bool delivery = true;
	CHECK_INT(kiosk_meal_last(st, "phone", PHONE, kind, canteen, &portions, &delivery),
		  KIOSK_OK);
	CHECK_STR(kind, "lunch");
	CHECK_STR(canteen, "xingfu");
	CHECK_INT(portions, 1);
	CHECK(!delivery);
	CHECK_INT(kiosk_meal_last(st, "phone", "13900002222", kind, canteen, &portions, &delivery),
		  KIOSK_ENOENT);
	teardown();
}

/* The eligibility answer is kept as a keyed hash until valid_until, never the phone. */
static void eligibility_is_kept_until_valid_until(void)
{
	setup();
	struct kiosk_meal_elig e = {.tier = "60+", .resident = "R-77", .delivery = true,
				    .valid_until_ms = T0 + 86400000};
	struct kiosk_meal_elig g;
	CHECK_INT(kiosk_meal_elig_get(st, "phone", PHONE, T0, &g), KIOSK_ENOENT);
	CHECK_INT(kiosk_meal_elig_put(st, "phone", "12345", &e), KIOSK_EINVAL);
	struct kiosk_meal_elig bad = e;
	snprintf(bad.tier, sizeof bad.tier, "50+");
	CHECK_INT(kiosk_meal_elig_put(st, "phone", PHONE, &bad), KIOSK_EINVAL);
	CHECK_INT(kiosk_meal_elig_put(st, "phone", PHONE, &e), KIOSK_OK);
	CHECK_INT(kiosk_meal_elig_get(st, "phone", PHONE, T0, &g), KIOSK_OK);
	CHECK_STR(g.tier, "60+");
	CHECK_STR(g.resident, "R-77");
	CHECK(g.delivery);
	CHECK_INT(kiosk_meal_elig_get(st, "card", PHONE, T0, &g), KIOSK_ENOENT); /* by kind */
	CHECK_INT(kiosk_meal_elig_get(st, "phone", PHONE, T0 + 86400000, &g), KIOSK_ENOENT);
	/* the platform forgot the resident: so does the kiosk */
	CHECK_INT(kiosk_meal_elig_forget(st, "phone", PHONE), KIOSK_OK);
	CHECK_INT(kiosk_meal_elig_get(st, "phone", PHONE, T0, &g), KIOSK_ENOENT);
	CHECK_INT(kiosk_meal_elig_forget(st, "phone", "123"), KIOSK_EINVAL);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM meal_elig WHERE CAST(who AS TEXT) LIKE"
			     " '%0000111%'"),
		  0);
	teardown();
}

/* What a restart leaves: an unpaid order is dropped; its QR payment, paid later, finds it
 * gone and is given back. */
static void a_restart_drops_what_nobody_paid(void)
{
	setup();
	a_meal("L1", "2026-11-29", 3, 1500, T0 + 3600000);
	struct kiosk_meal_order o;
	struct kiosk_meal_ask q = ask("L1", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &q, &o), KIOSK_OK);
	char pay[37];
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_MEAL, o.id, pay), KIOSK_OK);
	CHECK_INT(kiosk_payment_created(st, pay, "plat-1"), KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct kiosk_recovery r;
	kiosk_store_last_recovery(st, &r);
	CHECK_INT(r.meals_dropped, 1);
	bool refunded = false;
	CHECK_INT(kiosk_payment_paid(st, pay, &refunded), KIOSK_OK);
	CHECK(refunded);
	CHECK_INT(sold("L1"), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM meal_order WHERE state = 'cancelled'"), 1);
	/* a QR payment applies to a live order */
	q = ask("L1", 1, "", 0);
	CHECK_INT(kiosk_meal_order(st, &q, &o), KIOSK_OK);
	CHECK_INT(kiosk_payment_new(st, KIOSK_PAY_FOR_MEAL, o.id, pay), KIOSK_OK);
	CHECK_INT(kiosk_payment_created(st, pay, "plat-2"), KIOSK_OK);
	CHECK_INT(kiosk_payment_paid(st, pay, &refunded), KIOSK_OK);
	CHECK(!refunded);
	CHECK_INT(sold("L1"), 1);
	teardown();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"an_order_refused_changes_nothing", an_order_refused_changes_nothing},
		{"the_quota_is_never_oversold", the_quota_is_never_oversold},
		{"cancel_gives_back_once", cancel_gives_back_once},
		{"a_ticket_is_served_once", a_ticket_is_served_once},
		{"eligibility_is_kept_until_valid_until", eligibility_is_kept_until_valid_until},
		{"a_restart_drops_what_nobody_paid", a_restart_drops_what_nobody_paid},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
