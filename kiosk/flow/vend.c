/* The vend flow: a resident chooses an item, pays, and the drive board drops it.
 *
 * The order is made when the item is chosen (the price is fixed then: a price change never
 * reaches an order already made). Paid — by QR through the payment flow, purpose vend — the
 * intent "dispensing" is committed before the drive goes to the board; the board's final
 * report settles it: the drop sensor saw it fall → dispensed (the stock moves only now);
 * anything else → failed, and the money goes back the way it came in the same transaction
 * (payment.refund_requested). A drive the board never ACKed, or whose outcome never came,
 * is neither refunded nor assumed: the order is marked uncertain and the board is asked
 * for the slot's record (a check) as soon as it answers — at start too, for what a crash
 * left — and what the record cannot settle waits for the operator.
 *
 * The dispense in flight lives in the flow's keep, not in the session: a resident who walks
 * away mid-dispense does not stop the outcome being recorded. */
#include "kiosk/flow/vend_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool vend_mine(const struct kiosk_fctx *x, const char *order)
{
	return S(x)->order[0] && strcmp(S(x)->order, order) == 0;
}

/* The order's reference as the resident quotes it. */
static void ref_of(const char *order, char out[9])
{
	for (int i = 0; i < 8; i++)
		out[i] = (char)toupper((unsigned char)order[i]);
	out[8] = '\0';
}

void vend_say(struct kiosk_fctx *x, const char *order, enum kiosk_vend_phase phase,
	      const char *reason)
{
	if (!vend_mine(x, order))
		return; /* nobody is looking at it: the store has it */
	S(x)->phase = phase;
	snprintf(S(x)->reason, sizeof S(x)->reason, "%s", reason ? reason : "");
	x->p->publish(x);
}

void vend_fail(struct kiosk_fctx *x, const char *order, const char *reason)
{
	int rc = kiosk_vend_failed(x->p->store, order, reason);
	if (rc)
		KLOG_ERROR("vend", "event=fail_not_recorded order=%s err=%s", order,
			   kiosk_errname(rc));
	else
		KLOG_INFO("vend", "event=failed order=%s reason=\"%s\"", order, reason);
	vend_say(x, order, KIOSK_VEND_FAILED, reason);
	vend_cash_over(x, order); /* paid in cash: all of it back */
}

/* A card sale ends with the dispense: charged when the item fell, not when it did not. */
static void card_over(struct kiosk_fctx *x, bool fell)
{
	struct vend_keep *k = K(x);
	if (k->card_tag)
		x->p->card_end(x, k->card_tag, fell);
	k->card_tag = 0;
}

static void dispense_over(struct kiosk_fctx *x)
{
	struct vend_keep *k = K(x);
	if (k->watch_timer)
		x->p->timer_del(x, k->watch_timer);
	k->watch_timer = 0;
	k->order[0] = '\0';
	k->tag = 0;
	k->acked = false;
}

/* The board never said: recorded as uncertain, settled by its record or the operator. */
static void unknown(struct kiosk_fctx *x, const char *why)
{
	char order[37];
	memcpy(order, K(x)->order, sizeof order);
	/* A card's sale cannot wait for the operator: it is closed as paid, and given back
	 * through the outbox only when the board's record or the operator says nothing fell —
	 * never refunded blind. */
	card_over(x, true);
	dispense_over(x);
	int rc = kiosk_vend_unknown(x->p->store, order, why);
	KLOG_WARN("vend", "event=outcome_unknown order=%s why=\"%s\" err=%s", order, why,
		  kiosk_errname(rc));
	vend_say(x, order, KIOSK_VEND_UNKNOWN, why);
	vend_cash_over(x, order); /* nothing back until it is settled (then owed) */
}

static int64_t on_watch(struct kiosk_fctx *x, int id)
{
	(void)id;
	K(x)->watch_timer = 0;
	if (K(x)->order[0])
		unknown(x, "no report from the board");
	return -1;
}

/* Paid: the intent, then the drive. */
void vend_dispense(struct kiosk_fctx *x, const char *order)
{
	struct kiosk_order o;
	char why[96] = "";
	struct vend_keep *k = K(x);
	int rc = kiosk_vend_get(x->p->store, order, &o);
	if (rc)
		return;
	int64_t card = S(x)->by_card && vend_mine(x, order) ? S(x)->card_tag : 0;
	if (k->order[0] || k->testing || x->p->vend_ready(x, why, sizeof why) != KIOSK_OK) {
		if (card)
			x->p->card_end(x, card, false);
		vend_fail(x, order, k->order[0] || k->testing ? "machine busy" : "machine unavailable");
		return; /* nothing was sent: the money goes back */
	}
	rc = kiosk_vend_dispensing(x->p->store, order);
	if (rc) {
		KLOG_ERROR("vend", "event=intent_not_recorded order=%s err=%s", order,
			   kiosk_errname(rc));
		if (card)
			x->p->card_end(x, card, false);
		vend_fail(x, order, "not recorded");
		return;
	}
	int64_t tag = 0;
	rc = x->p->vend_drive(x, o.slot, &tag);
	if (rc) { /* never reached the mailbox: the board cannot have acted */
		if (card)
			x->p->card_end(x, card, false);
		vend_fail(x, order, "not sent to the machine");
		return;
	}
	k->card_tag = card;
	memcpy(k->order, order, sizeof k->order);
	snprintf(k->slot, sizeof k->slot, "%.7s", o.slot);
	k->tag = tag;
	k->acked = false;
	int t = x->p->timer_add(x, WATCH_MS, on_watch);
	k->watch_timer = t > 0 ? t : 0;
	KLOG_INFO("vend", "event=drive order=%s slot=%s", order, o.slot);
	vend_say(x, order, KIOSK_VEND_DISPENSING, NULL);
}

static void on_paid(struct kiosk_fctx *x, const char *order, enum kiosk_paid how)
{
	switch (how) {
	case KIOSK_PAID:
		if (vend_mine(x, order))
			vend_dispense(x, order);
		else
			vend_fail(x, order, "paid with nobody at the screen");
		break;
	case KIOSK_PAID_UNATTENDED:
		vend_fail(x, order, "paid with nobody at the screen");
		break;
	case KIOSK_PAID_REFUNDED: /* paid after the order was given up: given back already */
		vend_say(x, order, KIOSK_VEND_FAILED, "paid too late");
		break;
	case KIOSK_PAID_GIVEN_UP:
		kiosk_vend_failed(x->p->store, order, "given up"); /* created → cancelled */
		if (vend_mine(x, order))
			memset(S(x), 0, sizeof(struct vend)); /* back to the items */
		x->p->publish(x);
		break;
	}
}

/* ---- recovery: the board's record for what nobody saw end ---- */

static bool asked(const struct vend_keep *k, const char *order)
{
	for (int i = 0; i < k->nasked; i++)
		if (strcmp(k->asked[i], order) == 0)
			return true;
	return false;
}

static void settle_uncertain(struct kiosk_fctx *x, const char *order, bool dropped,
			     const char *how)
{
	int rc = kiosk_vend_resolve(x->p->store, order, dropped, "board");
	KLOG_INFO("vend", "event=recovered order=%s dispensed=%d how=\"%s\" err=%s", order,
		  dropped, how, kiosk_errname(rc));
	x->p->publish(x);
}

static void recover_one(struct kiosk_fctx *x)
{
	struct vend_keep *k = K(x);
	struct kiosk_order open[8];
	int n = 0;
	char why[96];
	if (k->check_tag || x->p->vend_ready(x, why, sizeof why) != KIOSK_OK ||
	    kiosk_vend_uncertain_list(x->p->store, open, 8, &n) != KIOSK_OK)
		return;
	for (int i = 0; i < n; i++) {
		if (asked(k, open[i].id) || strcmp(open[i].id, k->order) == 0)
			continue;
		int64_t tag = 0;
		if (x->p->vend_check(x, open[i].slot, &tag) != KIOSK_OK)
			return;
		k->check_tag = tag;
		memcpy(k->check_order, open[i].id, sizeof k->check_order);
		return;
	}
}

static int64_t on_recover(struct kiosk_fctx *x, int id)
{
	(void)id;
	recover_one(x);
	return RECOVER_MS;
}

static void on_start(struct kiosk_fctx *x)
{
	int t = x->p->timer_add(x, RECOVER_MS, on_recover);
	K(x)->recover_timer = t > 0 ? t : 0;
}

static void on_check(struct kiosk_fctx *x, const struct kiosk_vend_event *e)
{
	struct vend_keep *k = K(x);
	char order[37];
	memcpy(order, k->check_order, sizeof order);
	k->check_tag = 0;
	k->check_order[0] = '\0';
	if (e->last == KIOSK_VEND_LAST_FELL) {
		settle_uncertain(x, order, true, "the drop sensor saw it fall");
	} else if (e->last == KIOSK_VEND_LAST_NOTHING) {
		settle_uncertain(x, order, false, "the board's record: nothing fell");
	} else { /* the board keeps no record of it: the operator looks */
		if (k->nasked < ASKED)
			memcpy(k->asked[k->nasked++], order, 37);
		KLOG_WARN("vend", "event=left_for_operator order=%s", order);
	}
	recover_one(x);
}

/* A final report with nothing of ours out: from before a restart (the board resends what
 * was not ACKed). It settles an uncertain order on that slot. */
static void stray_report(struct kiosk_fctx *x, const struct kiosk_vend_event *e)
{
	struct kiosk_order open[8];
	int n = 0;
	char slot[8];
	snprintf(slot, sizeof slot, "%d", e->slot);
	if (e->tag != -1 || !e->final ||
	    kiosk_vend_uncertain_list(x->p->store, open, 8, &n) != KIOSK_OK)
		return;
	for (int i = 0; i < n; i++)
		if (strcmp(open[i].slot, slot) == 0) {
			settle_uncertain(x, open[i].id, e->dropped, e->words);
			return;
		}
}

/* ---- an operator's test dispense ---- */

/* How it ended: the operator's request answered; an item that fell leaves the count. */
static void test_over(struct kiosk_fctx *x, int rc, const char *words)
{
	struct vend_keep *k = K(x);
	struct kiosk_result res = {.req = k->test_rq.req, .type = KIOSK_CMD_VEND_SLOT, .rc = rc};
	if (k->test_timer)
		x->p->timer_del(x, k->test_timer);
	k->test_timer = 0;
	k->testing = false;
	if (rc == KIOSK_OK) {
		int arc = kiosk_slot_adjust(x->p->store, k->test_slot, -1, "test dispense", k->test_by);
		if (arc == KIOSK_EINVAL) /* the count said empty, yet one fell: the count was wrong */
			KLOG_WARN("vend", "event=test_dispense_count_wrong slot=%s", k->test_slot);
	}
	snprintf(res.u.vend_test.words, sizeof res.u.vend_test.words, "%s", words);
	KLOG_INFO("vend", "event=test_dispense slot=%s outcome=\"%s\"", k->test_slot, words);
	x->p->answer(x, &k->test_rq, &res);
	x->p->publish(x);
}

static int64_t on_test_watch(struct kiosk_fctx *x, int id)
{
	(void)id;
	K(x)->test_timer = 0;
	if (K(x)->testing)
		test_over(x, KIOSK_ETIMEDOUT, "no report from the board");
	return -1;
}

static void on_vend(struct kiosk_fctx *x, const struct kiosk_vend_event *e)
{
	struct vend_keep *k = K(x);
	char slot[8];
	switch (e->kind) {
	case KIOSK_VEV_SENT:
		if (k->order[0] && e->tag == k->tag)
			k->acked = true;
		break;
	case KIOSK_VEV_LOST:
		if (k->testing && e->tag == k->test_tag)
			test_over(x, KIOSK_EDEVICE, "the board did not take the command");
		else if (k->order[0] && e->tag == k->tag)
			unknown(x, "the board did not take the command");
		else if (k->check_tag && e->tag == k->check_tag)
			k->check_tag = 0; /* asked again at the next round */
		break;
	case KIOSK_VEV_DISPENSE:
		snprintf(slot, sizeof slot, "%d", e->slot);
		if (k->testing && e->tag == k->test_tag) {
			if (e->final)
				test_over(x, e->dropped ? KIOSK_OK : KIOSK_EDEVICE, e->words);
			break;
		}
		if (!k->order[0] || e->tag != k->tag || strcmp(slot, k->slot) != 0) {
			stray_report(x, e);
			break;
		}
		if (!e->final)
			break; /* turning */
		char order[37];
		memcpy(order, k->order, sizeof order);
		card_over(x, e->dropped);
		dispense_over(x);
		if (e->dropped) {
			int rc = kiosk_vend_dispensed(x->p->store, order);
			KLOG_INFO("vend", "event=dispensed order=%s err=%s", order,
				  kiosk_errname(rc));
			vend_say(x, order, KIOSK_VEND_DONE, NULL);
			vend_cash_over(x, order); /* paid in cash: the change */
		} else {
			vend_fail(x, order, e->words);
		}
		break;
	case KIOSK_VEV_CHECK:
		if (k->check_tag && e->tag == k->check_tag)
			on_check(x, e);
		break;
	case KIOSK_VEV_HEALTH:
		if (e->ok) /* back (maybe powered off and on): its records are asked again */
			k->nasked = 0;
		break; /* (the core republishes on a health change) */
	case KIOSK_VEV_MACHINE:
		break; /* the door, the cooling: the screens show it */
	case KIOSK_VEV_MONEY: /* the board's own money devices: vend_board.c */
		vend_board_money(x, e);
		break;
	}
}

/* ---- the card reader: this session's sale ---- */

static void on_card(struct kiosk_fctx *x, const struct kiosk_card_event *e)
{
	struct vend *s = S(x);
	bool ours = s->by_card && s->card_tag == e->tag && s->phase == KIOSK_VEND_PAYING;
	if (e->kind == KIOSK_CEV_HEALTH)
		return; /* the core republishes on a health change */
	if (!ours) {
		/* approved for a sale nobody waits for any more (the resident cancelled as the
		 * card was read): not charged */
		if (e->kind == KIOSK_CEV_APPROVED)
			x->p->card_end(x, e->tag, false);
		return;
	}
	switch (e->kind) {
	case KIOSK_CEV_WAITING:
		s->card_on = true;
		break;
	case KIOSK_CEV_APPROVED: {
		int rc = kiosk_vend_paid(x->p->store, s->order, KIOSK_PAY_MDB, "card", e->fen);
		if (rc) { /* not recorded (an amount that is not the price): not charged */
			KLOG_ERROR("vend", "event=card_paid_not_recorded order=%s fen=%lld err=%s",
				   s->order, (long long)e->fen, kiosk_errname(rc));
			x->p->card_end(x, e->tag, false);
			s->phase = KIOSK_VEND_CHOSEN;
			s->by_card = false;
			snprintf(s->reason, sizeof s->reason, "card payment not recorded");
			break;
		}
		KLOG_INFO("vend", "event=paid order=%s method=mdb fen=%lld", s->order,
			  (long long)e->fen);
		vend_dispense(x, s->order);
		return;
	}
	case KIOSK_CEV_DENIED:
	case KIOSK_CEV_FAULT:
		/* nothing charged: the order waits for another way, or another card */
		s->phase = KIOSK_VEND_CHOSEN;
		s->by_card = false;
		snprintf(s->reason, sizeof s->reason, "%s",
			 e->kind == KIOSK_CEV_DENIED ? "card declined" : e->why);
		break;
	default:
		break;
	}
	x->p->publish(x);
}

/* ---- commands ---- */

/* The order in this session that is not paid yet goes: its payment left, the order
 * cancelled (nothing was taken). */
static void drop_unpaid(struct kiosk_fctx *x)
{
	struct vend *s = S(x);
	if (s->phase == KIOSK_VEND_PAYING && s->by_cash) {
		vend_cash_drop(x); /* the order ends when the changer stops: see vend_cash.c */
		return;
	}
	if (s->phase == KIOSK_VEND_PAYING && s->by_card)
		x->p->card_cancel(x, s->card_tag);
	else if (s->phase == KIOSK_VEND_PAYING && s->by_board)
		vend_board_drop(x);
	else if (s->phase == KIOSK_VEND_PAYING)
		x->p->pay_leave(x);
	if (s->phase == KIOSK_VEND_CHOSEN || s->phase == KIOSK_VEND_PAYING) {
		struct kiosk_order o;
		if (kiosk_vend_get(x->p->store, s->order, &o) == KIOSK_OK &&
		    strcmp(o.state, "created") == 0)
			kiosk_vend_failed(x->p->store, s->order, "given up");
	}
}

static int choose(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	struct vend *s = S(x);
	char why[96] = "", order[37];
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	KIOSK_TERM(cmd->u.vend.slot);
	int rc = x->p->vend_ready(x, why, sizeof why);
	if (rc)
		return rc; /* no machine, or it is not answering: nothing is made */
	if (s->phase == KIOSK_VEND_DISPENSING)
		return KIOSK_EBUSY;
	if (!kiosk_vend_slot_no(cmd->u.vend.slot))
		return KIOSK_EINVAL;
	rc = kiosk_vend_create(x->p->store, cmd->u.vend.slot, order);
	if (rc)
		return rc; /* sold out, disabled, no such slot: the one before stays */
	drop_unpaid(x);
	struct kiosk_order o;
	kiosk_vend_get(x->p->store, order, &o);
	memset(s, 0, sizeof *s);
	s->phase = KIOSK_VEND_CHOSEN;
	memcpy(s->order, order, sizeof s->order);
	snprintf(s->slot, sizeof s->slot, "%.7s", o.slot);
	s->price_fen = o.price_fen;
	memcpy(res->u.vend.order, order, sizeof res->u.vend.order);
	ref_of(order, res->u.vend.ref);
	res->u.vend.price_fen = o.price_fen;
	KLOG_INFO("vend", "event=chosen order=%s slot=%s price_fen=%lld", order, o.slot,
		  (long long)o.price_fen);
	return KIOSK_OK;
}

static int pay(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
	       struct kiosk_result *res)
{
	(void)res;
	struct vend *s = S(x);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (s->phase != KIOSK_VEND_CHOSEN)
		return KIOSK_ESTATE;
	if (cmd->u.vend.method == KIOSK_VEND_BY_CARD) {
		char why[96];
		int64_t tag = 0;
		int rc = x->p->card_ready(x, why, sizeof why);
		if (rc == KIOSK_OK)
			rc = x->p->card_begin(x, s->price_fen, kiosk_vend_slot_no(s->slot), &tag);
		if (rc)
			return rc; /* no reader, or not answering: the order waits, nothing taken */
		s->phase = KIOSK_VEND_PAYING;
		s->by_card = true;
		s->card_on = false;
		s->card_tag = tag;
		s->reason[0] = '\0';
		return KIOSK_OK;
	}
	if (cmd->u.vend.method == KIOSK_VEND_BY_CASH)
		return vend_cash_pay(x);
	if (cmd->u.vend.method == KIOSK_VEND_BY_BOARD)
		return vend_board_pay(x);
	if (cmd->u.vend.method != KIOSK_VEND_BY_QR)
		return KIOSK_ENOTSUP;
	int rc = x->p->pay_start(x, KIOSK_PAY_FOR_VEND, s->order);
	if (rc)
		return rc;
	s->phase = KIOSK_VEND_PAYING;
	s->by_card = false;
	s->reason[0] = '\0';
	return KIOSK_OK;
}

static int cancel(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	(void)cmd;
	(void)res;
	struct vend *s = S(x);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (s->phase == KIOSK_VEND_DISPENSING)
		return KIOSK_ESTATE; /* the motor is turning: its outcome settles it */
	if (s->phase == KIOSK_VEND_PAYING && s->by_cash) {
		/* what went in comes back: the screen follows it until it is in the cup */
		drop_unpaid(x);
		s->phase = KIOSK_VEND_RETURNED;
		s->cash_on = false;
		return KIOSK_OK;
	}
	if (s->phase == KIOSK_VEND_PAYING && s->by_board && s->board_fen > 0) {
		/* the board holds what went in: the screen says how to get it back */
		drop_unpaid(x);
		s->phase = KIOSK_VEND_RETURNED;
		return KIOSK_OK;
	}
	drop_unpaid(x);
	memset(s, 0, sizeof *s);
	return KIOSK_OK;
}

/* One slot filled by count (0: to capacity); returns the items added, or an error. */
static int fill(struct kiosk_fctx *x, const char *slot, int count, const char *by)
{
	struct kiosk_slot sl;
	int rc = kiosk_slot_get(x->p->store, slot, &sl);
	if (rc)
		return rc;
	int n = count ? count : sl.capacity - sl.stock;
	if (n == 0 && !count)
		return 0;
	rc = kiosk_slot_restock(x->p->store, slot, n, by);
	if (rc)
		return rc;
	char line[48]; /* the simulated board holds what the operator put in */
	snprintf(line, sizeof line, "stock %d %d", kiosk_vend_slot_no(slot), sl.stock + n);
	x->p->device_sim(x, KIOSK_DEV_VEND, line);
	return n;
}

static int restock(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.vend.operator_id);
	KIOSK_TERM(cmd->u.vend.slot);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.vend.operator_id))
		return KIOSK_EDENIED;
	if (cmd->u.vend.count < 0)
		return KIOSK_EINVAL;
	const char *by = kiosk_flow_actor_name(rq, cmd->u.vend.operator_id);
	if (cmd->u.vend.slot[0]) {
		int n = fill(x, cmd->u.vend.slot, cmd->u.vend.count, by);
		if (n < 0)
			return n;
		res->u.count.n = n;
		return KIOSK_OK;
	}
	if (cmd->u.vend.count)
		return KIOSK_EINVAL; /* "every slot" fills each to capacity */
	struct kiosk_vend_item items[KIOSK_VEND_MAX_SLOT];
	int n = 0, rc = kiosk_vend_items(x->p->store, items, KIOSK_VEND_MAX_SLOT, &n);
	for (int i = 0; rc == KIOSK_OK && i < n; i++) {
		int m = items[i].enabled ? fill(x, items[i].slot, 0, by) : 0;
		if (m < 0)
			rc = m;
		else
			res->u.count.n += m;
	}
	return rc;
}

static int slot_op(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	(void)res;
	struct vend_keep *k = K(x);
	struct kiosk_slot sl;
	char why[96];
	KIOSK_TERM(cmd->u.vend.operator_id);
	KIOSK_TERM(cmd->u.vend.slot);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.vend.operator_id))
		return KIOSK_EDENIED;
	const char *by = kiosk_flow_actor_name(rq, cmd->u.vend.operator_id);
	int rc = kiosk_slot_get(x->p->store, cmd->u.vend.slot, &sl);
	if (rc)
		return rc;
	if (cmd->u.vend.op == KIOSK_SLOT_DISABLE || cmd->u.vend.op == KIOSK_SLOT_ENABLE)
		return kiosk_slot_enable(x->p->store, sl.id, cmd->u.vend.op == KIOSK_SLOT_ENABLE, by);
	if (cmd->u.vend.op == KIOSK_SLOT_PRICE) { /* an order already made keeps its price */
		rc = kiosk_slot_price(x->p->store, sl.id, cmd->u.vend.count, by);
		if (rc == KIOSK_OK)
			x->p->publish(x);
		return rc;
	}
	if (cmd->u.vend.op != KIOSK_SLOT_TEST)
		return KIOSK_EINVAL;
	/* A test drives the motor: never beside a resident's dispense, one at a time. */
	if (k->order[0] || k->testing)
		return KIOSK_EBUSY;
	rc = x->p->vend_ready(x, why, sizeof why);
	if (rc)
		return rc;
	rc = x->p->vend_drive(x, sl.id, &k->test_tag);
	if (rc)
		return rc;
	k->testing = true;
	k->test_rq = *rq;
	snprintf(k->test_slot, sizeof k->test_slot, "%.7s", sl.id);
	snprintf(k->test_by, sizeof k->test_by, "%.31s", by);
	int t = x->p->timer_add(x, WATCH_MS, on_test_watch);
	k->test_timer = t > 0 ? t : 0;
	return KIOSK_FLOW_PENDING;
}

static void on_session_end(struct kiosk_fctx *x)
{
	drop_unpaid(x); /* a dispense under way goes on: its outcome is recorded */
}

static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	char ref[9];
	if (!S(x)->order[0])
		return;
	ref_of(S(x)->order, ref);
	kiosk_flow_help_about(a, NULL, NULL, ref);
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct vend *s = S(x);
	v->vend = s->phase;
	memcpy(v->vend_slot, s->slot, sizeof v->vend_slot);
	v->vend_price_fen = s->price_fen;
	if (s->order[0])
		ref_of(s->order, v->vend_ref);
	memcpy(v->vend_reason, s->reason, sizeof v->vend_reason);
	v->vend_by_card = s->by_card;
	v->vend_card_on = s->by_card && s->card_on && s->phase == KIOSK_VEND_PAYING;
	v->vend_by_cash = s->by_cash;
	v->vend_cash_on = s->by_cash && s->cash_on && s->phase == KIOSK_VEND_PAYING;
	v->vend_cash_exact = s->cash_exact;
	v->vend_by_board = s->by_board;
	v->vend_board_fen = s->board_fen;
	v->vend_cash_fen = s->cash_fen;
	v->vend_back = s->cash_back;
	v->vend_back_fen = s->back_fen;
	v->vend_owed_fen = s->owed_fen;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_VEND_CHOOSE, choose},
	{KIOSK_CMD_VEND_PAY, pay},
	{KIOSK_CMD_VEND_CANCEL, cancel},
	{KIOSK_CMD_VEND_RESTOCK, restock},
	{KIOSK_CMD_VEND_SLOT, slot_op},
	{KIOSK_CMD_CASH_SETTLE, vend_cash_settle},
	{KIOSK_CMD_PRINT_VEND, vend_print},
	{0},
};

const struct kiosk_flow kiosk_flow_vend = {
	.name = "vend",
	.session_size = sizeof(struct vend),
	.keep_size = sizeof(struct vend_keep),
	.handlers = handlers,
	.pays_for = 1u << KIOSK_PAY_FOR_VEND,
	.on_start = on_start,
	.on_paid = on_paid,
	.on_vend = on_vend,
	.on_card = on_card,
	.on_cash = vend_on_cash,
	.on_session_end = on_session_end,
	.help_about = help_about,
	.view = view,
};
