/* 助餐 end to end: a core linked to the local platform over loopback (both real), the menus
 * coming as the platform's `meal` changes. What a resident sees: the tier the platform
 * answers and its price, 90+ eating free with no payment, the QR for the rest and the
 * ticket once paid; the same price offline for a resident seen before and the full price,
 * said, for one never seen; refusals that change nothing (deadline, sold out, too many
 * portions, delivery without an address); a meal sold out while paying is refunded; a
 * ticket cancelled with its number and phone, served once by canteen staff. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "kiosk/crypto.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct plat *plat;
static char today[11], tomorrow[11];

static void day_of(int64_t utc_ms, int plus, char out[11])
{
	time_t t = (time_t)((utc_ms + 8 * 3600000LL) / 1000) + (time_t)plus * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void utc_text(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void meal_change(const char *id, const char *day, const char *kind, int price, int quota,
			int64_t order_by_ms)
{
	char by[32], json[600];
	utc_text(order_by_ms, by);
	snprintf(json, sizeof json,
		 "{\"kind\":\"meal\",\"op\":\"upsert\",\"id\":\"%s\",\"data\":{\"day\":\"%s\","
		 "\"canteen\":\"osm-n1247\",\"name_zh\":\"番茄鸡蛋面\",\"name_en\":\"Tomato and egg"
		 " noodles\",\"kind\":\"%s\",\"price_fen\":%d,\"quota\":%d,\"order_by\":\"%s\","
		 "\"note_zh\":\"软烂\",\"note_en\":\"Soft\"}}",
		 id, day, kind, price, quota, by);
	CHECK_INT(plat_add_changes(plat, json), 0);
}

/* Today's lunch (open an hour), today's dinner (closed already), tomorrow's lunch (one
 * portion) and dinner (plenty). */
static void online(void)
{
	cf_make_cfg();
	plat = pf_start("K-M1", 5);
	int64_t now = kiosk_now_ms();
	day_of(now, 0, today);
	day_of(now, 1, tomorrow);
	meal_change("T-L", today, "lunch", 1500, 5, now + 3600000);
	meal_change("T-D", today, "dinner", 1200, 5, now - 60000);
	meal_change("M-L", tomorrow, "lunch", 1500, 1, now + 86400000);
	meal_change("M-D", tomorrow, "dinner", 1200, 9, now + 86400000);
}

static void done(void)
{
	plat_stop(plat);
	plat = NULL;
	cf_cleanup();
}

static bool menu_in(const struct kiosk_snapshot *s)
{
	return s->session.nmeals == 4;
}

static bool paying(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_PAYING && s->session.pay == KIOSK_PAY_SHOWN;
}

static bool ticket(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_DONE && s->session.meal_number[0];
}

static bool refunded(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_REFUNDED;
}

static struct kiosk_result who(struct kiosk_core *core, const char *phone)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_WHO};
	snprintf(cmd.u.meal.phone, sizeof cmd.u.meal.phone, "%s", phone);
	return cf_submit(core, &cmd);
}

static struct kiosk_result order(struct kiosk_core *core, const char *meal, int portions,
				 bool home)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_ORDER};
	snprintf(cmd.u.meal.id, sizeof cmd.u.meal.id, "%s", meal);
	cmd.u.meal.portions = portions;
	cmd.u.meal.to_home = home;
	return cf_submit(core, &cmd);
}

static const struct kiosk_meal_view *find(const struct kiosk_snapshot *s, const char *id)
{
	for (int i = 0; i < s->session.nmeals; i++)
		if (strcmp(s->session.meals[i].id, id) == 0)
			return &s->session.meals[i];
	return NULL;
}

/* A meal's price for this resident, each portion; -1 when not on the menu. */
static int64_t due(const struct kiosk_snapshot *s, const char *id)
{
	const struct kiosk_meal_view *m = find(s, id);
	return m ? m->due_fen : -1;
}

static void end_session(struct kiosk_core *core)
{
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
}

/* 60+: the menu at 20% off, the QR, the ticket once paid; meal.ordered with the discount. */
static void sixty_plus_pays_less_by_qr(void)
{
	online();
	char receipts[128];
	snprintf(receipts, sizeof receipts, "%s/receipts.bin", cf_dir);
	snprintf(cf_cfg.printer.port, sizeof cf_cfg.printer.port, "file:%s", receipts);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	CHECK_INT(order(core, "T-L", 1, false).rc, KIOSK_ESTATE); /* who eats first */
	CHECK_INT(who(core, "1390000111").rc, KIOSK_EINVAL);
	struct kiosk_result r = who(core, "13900001111");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.meal.state, "60+");
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.meal, KIOSK_MEAL_CHOOSING);
	CHECK_STR(s.session.meal_tier, "60+");
	CHECK_INT(s.session.meal_percent, 20);
	CHECK_STR(s.session.meal_phone_last4, "1111");
	CHECK_STR(s.session.meal_name_masked, "张*英");
	CHECK(!s.session.meal_delivery);
	const struct kiosk_meal_view *m = find(&s, "T-L");
	CHECK(m && m->open && m->due_fen == 1200 && m->price_fen == 1500 && m->left == 5);
	m = find(&s, "T-D");
	CHECK(m && !m->open); /* its deadline passed */
	/* refusals: nothing written */
	long long orders = cf_rows("SELECT count(*) FROM meal_order");
	CHECK_INT(order(core, "T-D", 1, false).rc, KIOSK_EEXPIRED);
	CHECK_INT(order(core, "T-L", 3, false).rc, KIOSK_EINVAL); /* max 2 portions */
	CHECK_INT(order(core, "T-L", 1, true).rc, KIOSK_EDENIED); /* no delivery for this one */
	CHECK_INT(order(core, "M-L", 2, false).rc, KIOSK_ESOLDOUT); /* one portion left */
	CHECK_INT(cf_rows("SELECT count(*) FROM meal_order"), orders);
	r = order(core, "T-L", 2, false);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.meal.due_fen, 2400);
	CHECK(cf_until(core, paying));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.pay_amount_fen, 2400);
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, ticket));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(strlen(s.session.meal_number), 8);
	CHECK_STR(s.session.meal_ordered, "T-L");
	CHECK_INT(s.session.meal_due_fen, 2400);
	CHECK(cf_until(core, pf_settled));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.ordered' AND"
				 " json_extract(data, '$.paid_fen') = 2400 AND json_extract(data,"
				 " '$.discount_fen') = 600 AND json_extract(data, '$.tier') = '60+'"
				 " AND json_extract(data, '$.resident') = 'R-1001' AND"
				 " json_extract(data, '$.pay_method') = 'qr'"),
		  1);
	m = find(&s, "T-L");
	CHECK(m && m->left == 3);
	/* the ticket on paper: the number as digits and in the QR code the canteen scans */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PRINT_MEAL, 0, NULL, NULL).rc, KIOSK_OK);
	char want[16], paper[8192] = "";
	FILE *f = fopen(receipts, "rb");
	CHECK(f != NULL);
	size_t got = f ? fread(paper, 1, sizeof paper - 1, f) : 0;
	if (f)
		fclose(f);
	snprintf(want, sizeof want, "MEAL:%s", s.session.meal_number);
	CHECK(memmem(paper, got, want, strlen(want)) != NULL);
	CHECK(memmem(paper, got, s.session.meal_number, 8) != NULL);
	end_session(core);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PRINT_MEAL, 0, NULL, NULL).rc, KIOSK_ESTATE); /* no ticket */
	kiosk_core_stop(core);
	/* the phone is kept as its last 4 and a keyed hash only */
	CHECK_INT(cf_rows("SELECT count(*) FROM meal_order WHERE CAST(who AS TEXT) LIKE"
			  " '%13900001111%' OR phone_last4 <> '1111'"),
		  0);
	cf_invariants_hold();
	done();
}

/* 90+ eats free: no payment, the ticket at once; meals may be brought. */
static void ninety_plus_eats_free(void)
{
	online();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	CHECK_INT(who(core, "13900002222").rc, KIOSK_OK);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.meal_delivery);
	CHECK_INT(due(&s, "M-D"), 0);
	struct kiosk_result r = order(core, "M-D", 1, true);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(r.u.meal.due_fen, 0);
	CHECK(cf_until(core, ticket));
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.meal_to_home);
	CHECK_INT(s.session.pay, KIOSK_PAY_NONE);
	CHECK(cf_until(core, pf_settled));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM payment"), 0);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.ordered' AND"
				 " json_extract(data, '$.paid_fen') = 0 AND json_extract(data,"
				 " '$.delivery') = 'home' AND json_extract(data, '$.pay_method') ="
				 " 'free'"),
		  1);
	/* "和上次一样": the same kind at the same canteen tomorrow, offered next time */
	end_session(core);
	CHECK_INT(who(core, "13900002222").rc, KIOSK_OK);
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.session.meal_same, "M-D");
	CHECK(s.session.meal_same_delivery);
	/* with a ticket on screen, the same resident orders another without a new phone */
	CHECK_INT(order(core, "M-D", 1, true).rc, KIOSK_OK);
	CHECK(cf_until(core, ticket));
	CHECK_INT(order(core, "T-D", 1, false).rc, KIOSK_EEXPIRED); /* the ticket stays */
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.session.meal_ordered, "M-D");
	CHECK_INT(order(core, "M-L", 1, false).rc, KIOSK_OK);
	CHECK(cf_until(core, ticket));
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.session.meal_ordered, "M-L");
	end_session(core);
	kiosk_core_stop(core);
	done();
}

static bool at_meal_who(const struct kiosk_snapshot *s)
{
	return strcmp(s->session.scan_at, "meal_who") == 0;
}

static bool sixty_known(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_CHOOSING && strcmp(s->session.meal_tier, "60+") == 0;
}

static uint32_t scans_before;

static bool scanned(const struct kiosk_snapshot *s)
{
	return s->session.scan_seq != scans_before && s->session.scan_req;
}

/* A 长者卡 at the scanner where 助餐 asks who eats: the platform is asked by the card, as
 * by a phone; a scan that is no card code is refused and changes nothing. */
static void a_senior_card_is_scanned(void)
{
	online();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	struct kiosk_cmd at = {.type = KIOSK_CMD_SCAN_AT};
	snprintf(at.u.name.text, sizeof at.u.name.text, "meal_who");
	kiosk_core_submit(core, &at, NULL);
	CHECK(cf_until(core, at_meal_who));
	struct kiosk_cmd sc = {.type = KIOSK_CMD_SIM_SCANNER};
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	scans_before = s.session.scan_seq;
	snprintf(sc.u.sim.line, sizeof sc.u.sim.line, "%s", "ELDER 0001"); /* a space: no code */
	CHECK_INT(cf_submit(core, &sc).rc, KIOSK_OK);
	CHECK(cf_until(core, scanned));
	kiosk_core_snapshot(core, &s);
	CHECK_INT(cf_result(core, s.session.scan_req).rc, KIOSK_EPARSE);
	CHECK_INT(s.session.meal, KIOSK_MEAL_NONE);
	snprintf(sc.u.sim.line, sizeof sc.u.sim.line, "%s", "ELDER-0001");
	CHECK_INT(cf_submit(core, &sc).rc, KIOSK_OK);
	CHECK(cf_until(core, sixty_known));
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.session.meal_phone_last4, ""); /* a card: no phone to show */
	CHECK_INT(order(core, "M-D", 1, false).rc, KIOSK_OK);
	end_session(core);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM meal_elig"), 1); /* kept, as its keyed hash */
	CHECK_INT(cf_rows("SELECT count(*) FROM meal_elig WHERE CAST(who AS TEXT) LIKE '%ELDER%'"),
		  0);
	done();
}

/* Offline: a resident the kiosk asked about before keeps the tier; one never seen pays the
 * full price, told why. */
static void offline_keeps_the_answer_it_had(void)
{
	online();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	CHECK_INT(who(core, "13900001111").rc, KIOSK_OK);
	end_session(core);
	kiosk_core_stop(core);
	plat_stop(plat); /* the platform goes away */
	plat = NULL;
	core = cf_start();
	struct kiosk_result r = who(core, "13900001111");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.meal.state, "60+");
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.meal_cached);
	CHECK(!s.session.meal_offline);
	CHECK_INT(due(&s, "T-L"), 1200);
	end_session(core);
	r = who(core, "13900003333"); /* 80+, but never asked about here */
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.meal.state, "unknown");
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.meal_offline);
	CHECK_STR(s.session.meal_tier, "");
	CHECK_INT(due(&s, "T-L"), 1500);
	end_session(core);
	kiosk_core_stop(core);
	cf_cleanup();
}

static bool quota_gone(const struct kiosk_snapshot *s)
{
	for (int i = 0; i < s->session.nmeals; i++)
		if (strcmp(s->session.meals[i].id, "M-L") == 0)
			return s->session.meals[i].left == 0;
	return false;
}

/* The platform takes the last portion away while the resident pays: the payment comes back,
 * the screen says so, nothing oversold. */
static void sold_out_while_paying_is_refunded(void)
{
	online();
	cf_cfg.platform_pull_s = 1; /* the platform's change comes while the QR is up */
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	CHECK_INT(who(core, "13900004444").rc, KIOSK_OK); /* under 60: the full price */
	CHECK_INT(order(core, "M-L", 1, false).rc, KIOSK_OK);
	CHECK(cf_until(core, paying));
	meal_change("M-L", tomorrow, "lunch", 1500, 0, kiosk_now_ms() + 86400000);
	CHECK(cf_until(core, quota_gone));
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, refunded));
	CHECK(cf_until(core, pf_settled));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type ="
				 " 'payment.refund_requested' AND json_extract(data, '$.amount_fen') ="
				 " 1500"),
		  1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.ordered'"), 0);
	end_session(core);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT sold FROM meal WHERE id = 'M-L'"), 0);
	done();
}


static struct kiosk_result meal_cmd(struct kiosk_core *core, enum kiosk_cmd_type t,
				    const char *number, const char *phone)
{
	struct kiosk_cmd cmd = {.type = t};
	snprintf(cmd.u.meal.number, sizeof cmd.u.meal.number, "%s", number);
	if (phone)
		snprintf(cmd.u.meal.phone, sizeof cmd.u.meal.phone, "%s", phone);
	return cf_submit(core, &cmd);
}

static bool at_reader(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_PAYING && s->session.meal_card_on;
}

static bool card_offered(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_CHOOSING && s->session.meal_card_offered;
}

static bool declined(const struct kiosk_snapshot *s)
{
	return s->session.meal == KIOSK_MEAL_CHOOSING &&
	       strcmp(s->session.meal_reason, "card_declined") == 0;
}

static struct kiosk_result order_by_card(struct kiosk_core *core, const char *meal)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_MEAL_ORDER};
	snprintf(cmd.u.meal.id, sizeof cmd.u.meal.id, "%s", meal);
	cmd.u.meal.portions = 1;
	cmd.u.meal.by_card = true;
	return cf_submit(core, &cmd);
}

/* A card at the MDB reader: charged when it approves (the sale then ends as a success, a
 * meal has nothing to drop); declined, nothing taken and the menu again; given up at the
 * reader, the order goes; a ticket paid by card cancelled comes back by card. */
static void a_card_pays_for_a_meal(void)
{
	online();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	CHECK_INT(who(core, "13900001111").rc, KIOSK_OK);
	CHECK(cf_until(core, card_offered));
	CHECK_INT(order_by_card(core, "M-D").rc, KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "tap 5000"), KIOSK_OK);
	CHECK(cf_until(core, ticket));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_STR(s.session.meal_method, "mdb");
	char number[9];
	memcpy(number, s.session.meal_number, sizeof number);
	end_session(core);
	/* declined: nothing taken, the order gone, the resident chooses again */
	CHECK_INT(who(core, "13900001111").rc, KIOSK_OK);
	CHECK(cf_until(core, card_offered));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "fault deny"), KIOSK_OK);
	CHECK_INT(order_by_card(core, "M-D").rc, KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "tap 5000"), KIOSK_OK);
	CHECK(cf_until(core, declined));
	CHECK_INT(cf_sim(core, KIOSK_CMD_SIM_MDB, "fault clear"), KIOSK_OK);
	/* given up at the reader */
	CHECK_INT(order_by_card(core, "M-D").rc, KIOSK_OK);
	CHECK(cf_until(core, at_reader));
	CHECK_INT(cf_ask(core, KIOSK_CMD_MEAL_BACK, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, card_offered));
	CHECK_INT(cf_ask(core, KIOSK_CMD_MEAL_BACK, 0, NULL, NULL).rc, KIOSK_ESTATE);
	end_session(core);
	/* the card ticket given back: by card, through the platform */
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_CANCEL, number, "13900001111").rc, KIOSK_OK);
	CHECK(cf_until(core, pf_settled));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.ordered' AND"
				 " json_extract(data, '$.pay_method') = 'mdb' AND json_extract(data,"
				 " '$.paid_fen') = 960"),
		  1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type ="
				 " 'payment.refund_requested' AND json_extract(data, '$.method') ="
				 " 'mdb' AND json_extract(data, '$.amount_fen') = 960"),
		  1);
	end_session(core);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM meal_order WHERE state = 'created'"), 0);
	CHECK_INT(cf_rows("SELECT sold FROM meal WHERE id = 'M-D'"), 0);
	done();
}

/* Cancel by number and phone (the money back once); staff serve a ticket once. */
static void tickets_cancel_and_serve_once(void)
{
	online();
	char hash[KIOSK_PINHASH_MAX], json[400];
	CHECK_INT(kiosk_pin_hash("4321", KIOSK_PIN_MIN_ITER, hash, sizeof hash), KIOSK_OK);
	snprintf(json, sizeof json,
		 "{\"kind\":\"operator\",\"op\":\"upsert\",\"id\":\"7001\",\"data\":{\"name\":"
		 "\"食堂 Canteen\",\"role\":\"canteen\",\"pin_hash\":\"%s\"}}",
		 hash);
	CHECK_INT(plat_add_changes(plat, json), 0);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, menu_in));
	/* two tickets: today's (free, 90+) and tomorrow's (paid by QR, 60+) */
	CHECK_INT(who(core, "13900002222").rc, KIOSK_OK);
	struct kiosk_result t1 = order(core, "T-L", 1, false);
	CHECK_INT(t1.rc, KIOSK_OK);
	end_session(core);
	CHECK_INT(who(core, "13900001111").rc, KIOSK_OK);
	struct kiosk_result t2 = order(core, "M-D", 1, false);
	CHECK_INT(t2.rc, KIOSK_OK);
	CHECK(cf_until(core, paying));
	CHECK_INT(plat_payment_decide(plat, "pay"), 0);
	CHECK(cf_until(core, ticket));
	end_session(core);
	/* cancel: the number and the phone it was ordered with, nothing else */
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_CANCEL, t2.u.meal.number, "13900009999").rc,
		  KIOSK_EDENIED);
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_CANCEL, "1234", "13900001111").rc, KIOSK_EINVAL);
	struct kiosk_result c = meal_cmd(core, KIOSK_CMD_MEAL_CANCEL, t2.u.meal.number,
					 "13900001111");
	CHECK_INT(c.rc, KIOSK_OK);
	CHECK_STR(c.u.meal.state, "cancelled");
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_CANCEL, t2.u.meal.number, "13900001111").rc,
		  KIOSK_ESTATE);
	end_session(core);
	/* serve: only staff; once; on its day */
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_SERVE, t1.u.meal.number, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_MEAL_LOGIN, 0, "7001", "1111").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_MEAL_LOGIN, 0, "7001", "4321").rc, KIOSK_OK);
	char qr[16];
	snprintf(qr, sizeof qr, "MEAL:%s", t1.u.meal.number);
	struct kiosk_result sv = meal_cmd(core, KIOSK_CMD_MEAL_SERVE, qr, NULL);
	CHECK_INT(sv.rc, KIOSK_OK);
	CHECK_STR(sv.u.meal.meal, "T-L");
	sv = meal_cmd(core, KIOSK_CMD_MEAL_SERVE, t1.u.meal.number, NULL);
	CHECK_INT(sv.rc, KIOSK_EEXIST); /* 已取过 */
	CHECK_INT(meal_cmd(core, KIOSK_CMD_MEAL_SERVE, t2.u.meal.number, NULL).rc, KIOSK_ESTATE);
	CHECK(cf_until(core, pf_settled));
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.served' AND"
				 " json_extract(data, '$.by') = '7001'"),
		  1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type = 'meal.cancelled' AND"
				 " json_extract(data, '$.refund_fen') = 960"),
		  1);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event WHERE type ="
				 " 'payment.refund_requested' AND json_extract(data, '$.amount_fen') ="
				 " 960"),
		  1);
	end_session(core);
	kiosk_core_stop(core);
	done();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"sixty_plus_pays_less_by_qr", sixty_plus_pays_less_by_qr},
		{"ninety_plus_eats_free", ninety_plus_eats_free},
		{"offline_keeps_the_answer_it_had", offline_keeps_the_answer_it_had},
		{"sold_out_while_paying_is_refunded", sold_out_while_paying_is_refunded},
		{"tickets_cancel_and_serve_once", tickets_cancel_and_serve_once},
		{"a_card_pays_for_a_meal", a_card_pays_for_a_meal},
		{"a_senior_card_is_scanned", a_senior_card_is_scanned},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
