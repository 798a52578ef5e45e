/* The 助餐 flow: a resident orders a community canteen's meal at the elderly price.
 *
 * Who eats first (a phone typed, or a 长者卡 / resident QR scanned): the platform is asked
 * (POST /v1/residents/eligibility) when it can be, and its answer kept as a keyed hash →
 * tier until valid_until, so a resident served once is served the same way offline; one the
 * kiosk cannot place pays the full price, told so with the canteen's rule. Then the menu at
 * that resident's prices, an order (the quota taken where it is paid, in that transaction),
 * its payment — none for a free tier, else QR through the payment flow (purpose meal) or a
 * card at the MDB reader — and
 * the ticket with its number and a QR code. A ticket is cancelled before its deadline with
 * its number and the phone, and served once by canteen staff logged in at the screen.
 *
 * The phone or card lives in the session only (cleansed when the resident leaves); the
 * store keeps its keyed hash and last 4 digits. */
#include "kiosk/flow/flow.h"
#include "kiosk/assets.h"
#include "kiosk/crypto.h"
#include "kiosk/receipt.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The canteens' calendar: China's (UTC+8, no summer time), as the receipts'. */
#define LOCAL_OFFSET_MS (8 * 3600000LL)

struct meal {
	enum kiosk_meal_phase phase;
	char kind[8];  /* "phone" or "card" */
	char who[97];  /* the phone or the card's code: this session only */
	struct kiosk_request asking; /* the eligibility call out, answered when it is in */
	struct kiosk_meal_elig elig; /* tier "" = not known: the full price */
	bool cached, offline;
	char name_masked[32];
	struct kiosk_meal_order order;
	char reason[48];
	/* paying at the MDB card reader: its sale's tag; the reader takes a card now */
	bool by_card, card_on;
	int64_t card_tag;
};

#define S(x) ((struct meal *)(x)->session)

static void local_day(int64_t utc_ms, int plus_days, char out[11])
{
	time_t t = (time_t)((utc_ms + LOCAL_OFFSET_MS) / 1000) + (time_t)plus_days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The tier's discount in percent ($.meal.discounts); 0 for none or not known. */
static int percent_of(const struct kiosk_fctx *x, const char *tier)
{
	static const char *const tiers[3] = {"60+", "80+", "90+"};
	for (int i = 0; i < 3; i++)
		if (strcmp(tier, tiers[i]) == 0)
			return x->p->cfg->meal_discount_pct[i];
	return 0;
}

static void who_known(struct kiosk_fctx *x, const struct kiosk_meal_elig *e, bool cached,
		      bool offline)
{
	struct meal *s = S(x);
	s->elig = *e;
	s->cached = cached;
	s->offline = offline;
	s->phase = KIOSK_MEAL_CHOOSING;
	KLOG_INFO("meal", "event=who_known tier=%s cached=%d offline=%d", e->tier[0] ? e->tier : "-",
		  cached, offline);
}

/* The kept answer, or the full price: what the kiosk knows without the platform. */
static void from_cache(struct kiosk_fctx *x, bool offline)
{
	struct meal *s = S(x);
	struct kiosk_meal_elig e = {0};
	int rc = kiosk_meal_elig_get(x->p->store, s->kind, s->who, x->p->wall_ms(x), &e);
	if (rc != KIOSK_OK)
		memset(&e, 0, sizeof e); /* never seen: the full price, said plainly */
	who_known(x, &e, rc == KIOSK_OK, offline && rc != KIOSK_OK);
}

static void on_eligibility(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_fctx *x = arg;
	struct meal *s = S(x);
	struct kiosk_result res = {.type = KIOSK_CMD_MEAL_WHO};
	uint32_t req = (uint32_t)strtoul(tag + 2, NULL, 10);
	if (!req || req != s->asking.req || s->phase != KIOSK_MEAL_ASKING)
		return; /* the resident left meanwhile */
	struct kiosk_request rq = s->asking;
	memset(&s->asking, 0, sizeof s->asking);
	char why[128] = "";
	if (status == 200) {
		struct kiosk_wire_elig w;
		if (kiosk_wire_parse_eligibility(body, len, x->p->wall_ms(x), &w, why, sizeof why)) {
			KLOG_WARN("meal", "event=eligibility_refused why=\"%s\"", why);
			from_cache(x, true); /* an answer the kiosk cannot read is no answer */
		} else {
			struct kiosk_meal_elig e = {.delivery = w.delivery,
						    .valid_until_ms = w.valid_until_ms};
			memcpy(e.tier, w.tier, sizeof e.tier);
			memcpy(e.resident, w.resident, sizeof e.resident);
			int rc = kiosk_meal_elig_put(x->p->store, s->kind, s->who, &e);
			if (rc)
				KLOG_WARN("meal", "event=eligibility_not_kept err=%s", kiosk_errname(rc));
			memcpy(s->name_masked, w.name_masked, sizeof s->name_masked);
			who_known(x, &e, false, false);
		}
	} else if (status == 404) { /* the platform does not know this resident (now) */
		struct kiosk_meal_elig none = {0};
		kiosk_meal_elig_forget(x->p->store, s->kind, s->who);
		who_known(x, &none, false, false);
	} else {
		from_cache(x, true);
	}
	res.rc = KIOSK_OK;
	snprintf(res.u.meal.state, sizeof res.u.meal.state, "%s",
		 s->elig.tier[0] ? s->elig.tier : "unknown");
	x->p->publish(x); /* the menu at this resident's price is there when the answer is */
	x->p->answer(x, &rq, &res);
}

static bool phone_ok(const char *p)
{
	if (strlen(p) != 11 || p[0] != '1')
		return false;
	for (int i = 0; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* Who eats: the phone typed, or the card scanned. */
static int who(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
	       struct kiosk_result *res)
{
	struct meal *s = S(x);
	KIOSK_TERM(cmd->u.meal.phone);
	KIOSK_TERM(cmd->u.meal.card);
	int rc = KIOSK_OK;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		rc = KIOSK_EDENIED;
	else if (s->phase == KIOSK_MEAL_ASKING || s->phase == KIOSK_MEAL_PAYING)
		rc = KIOSK_EBUSY;
	else if (cmd->u.meal.phone[0] ? !phone_ok(cmd->u.meal.phone)
				      : !kiosk_flow_scan_word(cmd->u.meal.card, 4, 95, "-_:."))
		rc = KIOSK_EINVAL;
	if (rc) {
		kiosk_cleanse(cmd->u.meal.phone, sizeof cmd->u.meal.phone);
		return rc;
	}
	memset(s, 0, sizeof *s);
	snprintf(s->kind, sizeof s->kind, "%s", cmd->u.meal.phone[0] ? "phone" : "card");
	snprintf(s->who, sizeof s->who, "%s",
		 cmd->u.meal.phone[0] ? cmd->u.meal.phone : cmd->u.meal.card);
	kiosk_cleanse(cmd->u.meal.phone, sizeof cmd->u.meal.phone);
	if (!x->p->platform(x) || x->p->platform_down(x)) {
		from_cache(x, x->p->platform(x));
		snprintf(res->u.meal.state, sizeof res->u.meal.state, "%s",
			 s->elig.tier[0] ? s->elig.tier : "unknown");
		return KIOSK_OK;
	}
	char body[160], tag[KIOSK_FLOW_TAG];
	snprintf(body, sizeof body, "{\"%s\":\"%s\"}", s->kind, s->who);
	snprintf(tag, sizeof tag, "e:%u", rq->req);
	rc = x->p->platform_call(x, "POST", "/v1/residents/eligibility", body, tag,
				 on_eligibility, x);
	kiosk_cleanse(body, sizeof body);
	if (rc) {
		from_cache(x, true);
		return KIOSK_OK;
	}
	s->phase = KIOSK_MEAL_ASKING;
	s->asking = *rq;
	return KIOSK_FLOW_PENDING;
}

static void say_order(const struct meal *s, struct kiosk_result *res)
{
	snprintf(res->u.meal.number, sizeof res->u.meal.number, "%s", s->order.number);
	snprintf(res->u.meal.meal, sizeof res->u.meal.meal, "%s", s->order.meal);
	snprintf(res->u.meal.state, sizeof res->u.meal.state, "%s", s->order.state);
	res->u.meal.due_fen = s->order.due_fen;
	res->u.meal.portions = s->order.portions;
}

/* The order for this resident; paid at once when free, else by QR. */
static int order(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	struct meal *s = S(x);
	KIOSK_TERM(cmd->u.meal.id);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	/* who eats comes first (the price depends on it); after a ticket, or money given
	 * back, the same resident may order again */
	if (!s->kind[0] || (s->phase != KIOSK_MEAL_CHOOSING && s->phase != KIOSK_MEAL_DONE &&
			    s->phase != KIOSK_MEAL_REFUNDED))
		return KIOSK_ESTATE;
	if (cmd->u.meal.to_home && !s->elig.delivery)
		return KIOSK_EDENIED;
	struct kiosk_meal_ask a = {
		.meal = cmd->u.meal.id,
		.portions = cmd->u.meal.portions,
		.max_portions = x->p->cfg->meal_max_portions,
		.delivery = cmd->u.meal.to_home,
		.tier = s->elig.tier,
		.percent = percent_of(x, s->elig.tier),
		.resident = s->elig.resident,
		.phone = strcmp(s->kind, "phone") == 0 ? s->who : NULL,
		.card = strcmp(s->kind, "card") == 0 ? s->who : NULL,
		.now_ms = x->p->wall_ms(x),
	};
	struct kiosk_meal_order made;
	int rc = kiosk_meal_order(x->p->store, &a, &made);
	if (rc)
		return rc; /* refused: a ticket on screen stays as it was */
	s->order = made;
	s->phase = KIOSK_MEAL_CHOOSING;
	KLOG_INFO("meal", "event=ordered order=%s meal=%s portions=%d due_fen=%lld", s->order.id,
		  s->order.meal, s->order.portions, (long long)s->order.due_fen);
	if (s->order.due_fen == 0) { /* eats free: the ticket now */
		s->phase = KIOSK_MEAL_DONE;
		say_order(s, res);
		return KIOSK_OK;
	}
	char why[48];
	int64_t tag = 0;
	s->reason[0] = '\0';
	if (cmd->u.meal.by_card) { /* the reader's sale: charged when it approves */
		rc = x->p->card_ready(x, why, sizeof why);
		if (rc == KIOSK_OK)
			rc = x->p->card_begin(x, s->order.due_fen, 0, &tag);
	} else {
		rc = x->p->pay_start(x, KIOSK_PAY_FOR_MEAL, s->order.id);
	}
	if (rc) {
		kiosk_meal_drop(x->p->store, s->order.id);
		memset(&s->order, 0, sizeof s->order);
		return rc;
	}
	s->by_card = cmd->u.meal.by_card;
	s->card_on = false;
	s->card_tag = tag;
	s->phase = KIOSK_MEAL_PAYING;
	say_order(s, res);
	return KIOSK_OK;
}

/* How the QR payment ended. */
static void on_paid(struct kiosk_fctx *x, const char *parcel, enum kiosk_paid how)
{
	struct meal *s = S(x);
	bool mine = s->phase == KIOSK_MEAL_PAYING && strcmp(parcel, s->order.id) == 0;
	if (how == KIOSK_PAID_UNATTENDED) { /* nobody holds its ticket: given back */
		int rc = kiosk_meal_undo(x->p->store, parcel);
		KLOG_INFO("meal", "event=unattended_meal_given_back rc=%s", kiosk_errname(rc));
		return;
	}
	if (!mine)
		return;
	if (how == KIOSK_PAID_GIVEN_UP) { /* back to the menu, nothing taken */
		kiosk_meal_drop(x->p->store, s->order.id);
		memset(&s->order, 0, sizeof s->order);
		s->phase = KIOSK_MEAL_CHOOSING;
	} else if (how == KIOSK_PAID_REFUNDED) {
		/* paid when it could no longer be sold: the payment is refunded */
		struct kiosk_meal m;
		bool late = kiosk_meal_get(x->p->store, s->order.meal, &m) == KIOSK_OK &&
			    x->p->wall_ms(x) >= m.order_by_ms;
		kiosk_meal_drop(x->p->store, s->order.id);
		s->phase = KIOSK_MEAL_REFUNDED;
		snprintf(s->reason, sizeof s->reason, "%s", late ? "deadline" : "sold_out");
	} else {
		kiosk_meal_order_get(x->p->store, s->order.id, &s->order);
		s->phase = KIOSK_MEAL_DONE;
	}
	x->p->publish(x);
}

/* The order being paid is given up (back to the menu): nothing was taken. */
static void let_go(struct kiosk_fctx *x)
{
	struct meal *s = S(x);
	if (s->phase != KIOSK_MEAL_PAYING)
		return;
	if (s->by_card)
		x->p->card_cancel(x, s->card_tag);
	else
		x->p->pay_leave(x);
	kiosk_meal_drop(x->p->store, s->order.id);
	memset(&s->order, 0, sizeof s->order);
	s->by_card = s->card_on = false;
	s->card_tag = 0;
	s->phase = KIOSK_MEAL_CHOOSING;
}

static int back(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)cmd, (void)res;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (S(x)->phase != KIOSK_MEAL_PAYING)
		return KIOSK_ESTATE;
	let_go(x);
	return KIOSK_OK;
}

/* The card reader: this session's sale. A meal has nothing to dispense, so an approval
 * that the store takes ends the sale at once as a success; one it cannot take (sold out,
 * the deadline passed meanwhile) ends it as a failure: nothing charged. */
static void on_card(struct kiosk_fctx *x, const struct kiosk_card_event *e)
{
	struct meal *s = S(x);
	bool ours = s->by_card && s->card_tag == e->tag && s->phase == KIOSK_MEAL_PAYING;
	if (e->kind == KIOSK_CEV_HEALTH || !ours)
		return; /* (another flow's sale, or one let go: the reader's own) */
	switch (e->kind) {
	case KIOSK_CEV_WAITING:
		s->card_on = true;
		break;
	case KIOSK_CEV_APPROVED: {
		int rc = kiosk_meal_paid(x->p->store, s->order.id, KIOSK_PAY_MDB, "card", e->fen);
		x->p->card_end(x, e->tag, rc == KIOSK_OK);
		s->by_card = s->card_on = false;
		s->card_tag = 0;
		if (rc == KIOSK_OK) {
			kiosk_meal_order_get(x->p->store, s->order.id, &s->order);
			s->phase = KIOSK_MEAL_DONE;
			KLOG_INFO("meal", "event=paid order=%s method=mdb fen=%lld", s->order.id,
				  (long long)e->fen);
			break;
		}
		KLOG_WARN("meal", "event=card_not_taken order=%s err=%s", s->order.id,
			  kiosk_errname(rc));
		kiosk_meal_drop(x->p->store, s->order.id);
		memset(&s->order, 0, sizeof s->order);
		s->phase = KIOSK_MEAL_CHOOSING; /* not charged: said, and the menu again */
		snprintf(s->reason, sizeof s->reason, "%s",
			 rc == KIOSK_ESOLDOUT ? "sold_out" : rc == KIOSK_EEXPIRED ? "deadline"
										 : "not_taken");
		break;
	}
	case KIOSK_CEV_DENIED:
	case KIOSK_CEV_FAULT:
		/* nothing charged: the order waits for another card or the QR */
		s->by_card = s->card_on = false;
		s->card_tag = 0;
		kiosk_meal_drop(x->p->store, s->order.id);
		memset(&s->order, 0, sizeof s->order);
		s->phase = KIOSK_MEAL_CHOOSING;
		snprintf(s->reason, sizeof s->reason, "%s",
			 e->kind == KIOSK_CEV_DENIED ? "card_declined" : "card_fault");
		break;
	default:
		break;
	}
	x->p->publish(x);
}

/* A ticket given back: its number and the phone it was ordered with. */
static int cancel(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	struct meal *s = S(x);
	struct kiosk_meal_order o;
	char number[9];
	KIOSK_TERM(cmd->u.meal.number);
	KIOSK_TERM(cmd->u.meal.phone);
	int rc = rq->actor.kind != KIOSK_ACTOR_SESSION			     ? KIOSK_EDENIED
		 : !kiosk_meal_ticket_number(cmd->u.meal.number, number) ? KIOSK_EINVAL
		 : !phone_ok(cmd->u.meal.phone)				     ? KIOSK_EINVAL
									     : KIOSK_OK;
	if (rc == KIOSK_OK)
		rc = kiosk_meal_cancel(x->p->store, number, "phone", cmd->u.meal.phone,
				       x->p->wall_ms(x), &o);
	kiosk_cleanse(cmd->u.meal.phone, sizeof cmd->u.meal.phone);
	if (rc)
		return rc;
	memset(s, 0, sizeof *s);
	s->order = o;
	s->phase = KIOSK_MEAL_CANCELLED;
	say_order(s, res);
	return KIOSK_OK;
}

static int login(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	return kiosk_flow_login(x, rq, cmd, "canteen", x->p->auth->canteen, res);
}

/* Canteen staff serve a ticket, once. */
static int serve(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	struct kiosk_meal_order o;
	char today[11];
	KIOSK_TERM(cmd->u.meal.number);
	const char *by = x->p->auth->canteen;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || !by[0])
		return KIOSK_EDENIED;
	local_day(x->p->wall_ms(x), 0, today);
	int rc = kiosk_meal_serve(x->p->store, cmd->u.meal.number, today, by, &o);
	snprintf(res->u.meal.number, sizeof res->u.meal.number, "%s", o.number);
	if (rc == KIOSK_OK || rc == KIOSK_EEXIST || rc == KIOSK_ESTATE || rc == KIOSK_EEXPIRED) {
		snprintf(res->u.meal.meal, sizeof res->u.meal.meal, "%s", o.meal);
		snprintf(res->u.meal.state, sizeof res->u.meal.state, "%s", o.state);
		res->u.meal.portions = o.portions;
	}
	KLOG_INFO("meal", "event=serve by=%s rc=%s", by, kiosk_errname(rc));
	return rc;
}

/* The ticket on paper: the number as digits and as the QR the canteen scans. */
static int print_ticket(struct kiosk_fctx *x, const struct kiosk_request *rq,
			struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd, (void)res;
	const struct meal *s = S(x);
	struct kiosk_meal m;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || s->phase != KIOSK_MEAL_DONE ||
	    kiosk_meal_get(x->p->store, s->order.meal, &m) != KIOSK_OK)
		return KIOSK_ESTATE;
	struct kiosk_receipt r = {0};
	char line[96];
	snprintf(r.title, sizeof r.title, "助餐取餐券");
	snprintf(r.title_en, sizeof r.title_en, "Meal ticket");
	snprintf(r.big, sizeof r.big, "%s", s->order.number);
	snprintf(line, sizeof line, "%.10s %s %.40s", m.day,
		 strcmp(m.kind, "lunch") == 0 ? "午餐" : "晚餐", m.name_zh);
	kiosk_receipt_add(&r, line);
	snprintf(line, sizeof line, "%.60s ×%d", m.name_en, s->order.portions);
	kiosk_receipt_add(&r, line);
	snprintf(line, sizeof line, "%s", s->order.delivery ? "送餐上门 Brought to your home"
							     : "到店取餐 Collect at the canteen");
	kiosk_receipt_add(&r, line);
	snprintf(line, sizeof line, "实付 Paid: ¥%lld.%02lld", (long long)(s->order.due_fen / 100),
		 (long long)(s->order.due_fen % 100));
	kiosk_receipt_add(&r, line);
	snprintf(r.qr, sizeof r.qr, "MEAL:%s", s->order.number);
	snprintf(r.foot, sizeof r.foot, "取餐时出示此券 Show this ticket at the canteen");
	return x->p->print(x, rq, KIOSK_CMD_PRINT_MEAL, &r);
}

/* A 长者卡 / resident QR at 助餐's first step; a ticket's QR where staff serve. */
static int on_scan(struct kiosk_fctx *x, const char *where, const char *code,
		   struct kiosk_cmd *intent, struct kiosk_result *res)
{
	(void)x;
	char number[9];
	if (strcmp(where, "meal_serve") == 0 || strcmp(where, "meal_cancel") == 0) {
		if (!kiosk_meal_ticket_number(code, number))
			return KIOSK_EPARSE;
		if (strcmp(where, "meal_cancel") == 0) { /* into the number field */
			snprintf(res->u.scan.text, sizeof res->u.scan.text, "%s", number);
			return KIOSK_OK;
		}
		intent->type = KIOSK_CMD_MEAL_SERVE;
		snprintf(intent->u.meal.number, sizeof intent->u.meal.number, "%s", number);
		return KIOSK_OK;
	}
	if (!kiosk_flow_scan_word(code, 4, 95, "-_:."))
		return KIOSK_EPARSE;
	intent->type = KIOSK_CMD_MEAL_WHO;
	snprintf(intent->u.meal.card, sizeof intent->u.meal.card, "%s", code);
	return KIOSK_OK;
}

static const char *const scan_places[] = {"meal_who", "meal_serve", "meal_cancel", NULL};

static void on_session_end(struct kiosk_fctx *x)
{
	struct meal *s = S(x);
	let_go(x);
	kiosk_cleanse(s, sizeof *s);
}

static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	const struct meal *s = S(x);
	if (s->order.number[0])
		kiosk_flow_help_about(a, NULL, NULL, s->order.number);
}

/* "和上次一样": tomorrow's meal of the kind and canteen this resident last ordered. */
static void same_as_last(struct kiosk_fctx *x, struct kiosk_session_view *v, const char *tomorrow)
{
	const struct meal *s = S(x);
	char kind[8], canteen[KIOSK_ID_MAX];
	int portions = 1;
	bool home = false;
	if (kiosk_meal_last(x->p->store, s->kind, s->who, kind, canteen, &portions, &home))
		return;
	for (int i = 0; i < v->nmeals; i++) {
		const struct kiosk_meal_view *m = &v->meals[i];
		if (m->open && strcmp(m->day, tomorrow) == 0 && strcmp(m->kind, kind) == 0 &&
		    strcmp(m->canteen, canteen) == 0) {
			memcpy(v->meal_same, m->id, sizeof v->meal_same);
			v->meal_same_portions = portions;
			v->meal_same_delivery = home && s->elig.delivery;
			return;
		}
	}
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct meal *s = S(x);
	static struct kiosk_meal menu[KIOSK_MEAL_VIEW_MAX]; /* core thread only */
	char today[11], tomorrow[11];
	int64_t now = x->p->wall_ms(x);
	int n = 0;
	local_day(now, 0, today);
	local_day(now, 1, tomorrow);
	v->meal = s->phase;
	v->meal_staff[0] = '\0';
	snprintf(v->meal_staff, sizeof v->meal_staff, "%s", x->p->auth->canteen);
	if (kiosk_meal_list(x->p->store, today, menu, KIOSK_MEAL_VIEW_MAX, &n) != KIOSK_OK)
		n = 0;
	int pct = percent_of(x, s->elig.tier);
	for (int i = 0; i < n; i++) {
		struct kiosk_meal_view *m = &v->meals[i];
		memset(m, 0, sizeof *m);
		memcpy(m->id, menu[i].id, sizeof m->id); /* both KIOSK_ID_MAX */
		memcpy(m->day, menu[i].day, sizeof m->day);
		memcpy(m->canteen, menu[i].canteen, sizeof m->canteen);
		memcpy(m->kind, menu[i].kind, sizeof m->kind);
		memcpy(m->name_zh, menu[i].name_zh, sizeof m->name_zh);
		memcpy(m->name_en, menu[i].name_en, sizeof m->name_en);
		memcpy(m->note_zh, menu[i].note_zh, sizeof m->note_zh);
		memcpy(m->note_en, menu[i].note_en, sizeof m->note_en);
		if (kiosk_asset_picture_ok(menu[i].image))
			snprintf(m->image, sizeof m->image, "%.39s", menu[i].image);
		m->price_fen = menu[i].price_fen;
		m->due_fen = menu[i].price_fen - menu[i].price_fen * pct / 100;
		m->order_by_ms = menu[i].order_by_ms;
		int left = menu[i].quota - menu[i].sold;
		m->left = (int16_t)(left < 0 ? 0 : left > 9999 ? 9999 : left);
		m->open = now < menu[i].order_by_ms && m->left > 0;
	}
	v->nmeals = n;
	if (s->phase == KIOSK_MEAL_NONE)
		return;
	memcpy(v->meal_tier, s->elig.tier, sizeof v->meal_tier);
	v->meal_percent = pct;
	v->meal_cached = s->cached;
	v->meal_offline = s->offline;
	v->meal_delivery = s->elig.delivery;
	memcpy(v->meal_name_masked, s->name_masked, sizeof v->meal_name_masked);
	if (strcmp(s->kind, "phone") == 0 && strlen(s->who) == 11)
		memcpy(v->meal_phone_last4, s->who + 7, 5);
	if (s->phase == KIOSK_MEAL_CHOOSING)
		same_as_last(x, v, tomorrow);
	memcpy(v->meal_number, s->order.number, sizeof v->meal_number);
	snprintf(v->meal_ordered, sizeof v->meal_ordered, "%s", s->order.meal);
	v->meal_portions = s->order.portions;
	v->meal_to_home = s->order.delivery;
	v->meal_due_fen = s->order.due_fen;
	memcpy(v->meal_method, s->order.method, sizeof v->meal_method);
	memcpy(v->meal_reason, s->reason, sizeof v->meal_reason);
	char why[48];
	v->meal_card_offered = x->p->card_ready(x, why, sizeof why) == KIOSK_OK;
	v->meal_by_card = s->by_card;
	v->meal_card_on = s->by_card && s->card_on;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_MEAL_WHO, who},	  {KIOSK_CMD_MEAL_ORDER, order},
	{KIOSK_CMD_MEAL_CANCEL, cancel},  {KIOSK_CMD_MEAL_LOGIN, login},
	{KIOSK_CMD_MEAL_SERVE, serve},	  {KIOSK_CMD_PRINT_MEAL, print_ticket},
	{KIOSK_CMD_MEAL_BACK, back},	  {0},
};

const struct kiosk_flow kiosk_flow_meal = {
	.name = "meal",
	.session_size = sizeof(struct meal),
	.handlers = handlers,
	.pays_for = 1u << KIOSK_PAY_FOR_MEAL,
	.on_paid = on_paid,
	.on_card = on_card,
	.on_session_end = on_session_end,
	.help_about = help_about,
	.scan_at = scan_places,
	.on_scan = on_scan,
	.view = view,
};
