/* Paying the vending machine in coins and notes (the MDB coin changer and bill validator,
 * through the cash ports).
 *
 * Every coin and note taken is committed as it comes (kiosk_cash_in), so neither a crash
 * nor a resident walking away forgets money put in. At the price the order is paid and
 * dispensed like any other. Once the order ended — the item fell (change), nothing fell
 * (all of it back), cancelled (all of it back) — the payout is begun in the store (the
 * intent) before the changer is told, and ended with what the changer's own tube counts
 * say it paid: short, the rest is a debt the resident sees as a voucher, reported to the
 * platform. An order whose outcome nobody saw pays nothing back yet: the board's record
 * or the operator settles it, and what it owes then is a debt (kiosk_vend_resolve). */
#include "kiosk/flow/vend_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

int vend_cash_pay(struct kiosk_fctx *x)
{
	struct vend *s = S(x);
	struct vend_keep *k = K(x);
	char why[96];
	int64_t tag = 0;
	if (k->cash_tag)
		return KIOSK_EBUSY; /* the last cash sale is still paying back */
	int rc = x->p->cash_ready(x, why, sizeof why);
	if (rc == KIOSK_OK)
		rc = x->p->cash_begin(x, s->price_fen, &tag);
	if (rc)
		return rc; /* no changer, or not answering: the order waits, nothing taken */
	k->cash_tag = tag;
	memcpy(k->cash_order, s->order, sizeof k->cash_order);
	k->payout_id = 0;
	s->phase = KIOSK_VEND_PAYING;
	s->by_cash = true;
	s->cash_on = false;
	s->cash_fen = 0;
	s->reason[0] = '\0';
	return KIOSK_OK;
}

/* The session of the cash sale's order, when the resident is still at it. */
static struct vend *at_screen(struct kiosk_fctx *x)
{
	return vend_mine(x, K(x)->cash_order) ? S(x) : NULL;
}

/* Money put in so far, committed: the store's total follows the changer's. */
static void taken(struct kiosk_fctx *x, int64_t total)
{
	struct kiosk_order o;
	struct vend_keep *k = K(x);
	if (kiosk_vend_get(x->p->store, k->cash_order, &o) != KIOSK_OK || total <= o.cash_fen)
		return;
	int rc = kiosk_cash_in(x->p->store, k->cash_order, total);
	if (rc) /* the order is over already: what came is paid back with the rest */
		KLOG_ERROR("vend", "event=cash_in_not_recorded order=%s total_fen=%lld err=%s",
			   k->cash_order, (long long)total, kiosk_errname(rc));
}

/* The sale ends at the changer: nothing more to give back. */
static void sale_over(struct vend_keep *k)
{
	k->cash_tag = 0;
	k->cash_order[0] = '\0';
	k->payout_id = 0;
}

void vend_cash_over(struct kiosk_fctx *x, const char *order)
{
	struct vend_keep *k = K(x);
	struct kiosk_cash_payout p;
	if (!k->cash_tag || strcmp(order, k->cash_order) != 0)
		return;
	int rc = kiosk_cash_payout_begin(x->p->store, order, &p);
	if (rc) { /* nothing owed (exact money), or not settled yet (uncertain): ends here */
		if (rc != KIOSK_ENOENT && rc != KIOSK_ESTATE)
			KLOG_ERROR("vend", "event=payout_not_recorded order=%s err=%s", order,
				   kiosk_errname(rc));
		x->p->cash_payout(x, k->cash_tag, 0);
		sale_over(k);
		return;
	}
	k->payout_id = p.id;
	struct vend *s = at_screen(x);
	if (s) {
		s->cash_back = KIOSK_CASH_BACK_PAYING;
		s->back_fen = p.owed_fen;
	}
	if (x->p->cash_payout(x, k->cash_tag, p.owed_fen) != KIOSK_OK) {
		/* never reached the changer: nothing was paid, all of it is owed */
		kiosk_cash_payout_end(x->p->store, p.id, 0);
		if (s) {
			s->cash_back = KIOSK_CASH_BACK_SHORT;
			s->back_fen = 0;
			s->owed_fen = p.owed_fen;
		}
		sale_over(k);
	}
	x->p->publish(x);
}

void vend_cash_drop(struct kiosk_fctx *x)
{
	/* the changer stops taking; what went in comes back when it says so (STOPPED) */
	x->p->cash_stop(x, K(x)->cash_tag);
}

static void on_paid(struct kiosk_fctx *x, const struct kiosk_cash_event *e)
{
	struct vend_keep *k = K(x);
	struct kiosk_order o;
	char order[37];
	memcpy(order, k->cash_order, sizeof order);
	taken(x, e->total);
	if (kiosk_vend_get(x->p->store, order, &o) != KIOSK_OK)
		return;
	int rc = kiosk_vend_paid(x->p->store, order, KIOSK_PAY_CASH, "cash", o.price_fen);
	if (rc) { /* not recorded: the order is dropped and every fen goes back */
		KLOG_ERROR("vend", "event=cash_paid_not_recorded order=%s err=%s", order,
			   kiosk_errname(rc));
		kiosk_vend_failed(x->p->store, order, "given up");
		vend_cash_over(x, order);
		return;
	}
	KLOG_INFO("vend", "event=paid order=%s method=cash fen=%lld in_fen=%lld", order,
		  (long long)o.price_fen, (long long)e->total);
	struct vend *s = at_screen(x);
	if (s) {
		s->cash_on = false;
		s->cash_fen = e->total;
		vend_dispense(x, order);
	} else {
		vend_fail(x, order, "paid with nobody at the screen");
	}
}

static void on_stopped(struct kiosk_fctx *x, const struct kiosk_cash_event *e)
{
	struct vend_keep *k = K(x);
	char order[37];
	memcpy(order, k->cash_order, sizeof order);
	taken(x, e->total);
	kiosk_vend_failed(x->p->store, order, "given up"); /* created → cancelled */
	struct vend *s = at_screen(x);
	if (s) {
		bool money = e->total > 0;
		s->phase = money ? KIOSK_VEND_RETURNED : KIOSK_VEND_NONE;
		s->by_cash = s->cash_on = false;
		if (!money)
			memset(s, 0, sizeof *s); /* nothing went in: back to the items */
	}
	vend_cash_over(x, order);
	x->p->publish(x);
}

static void on_payout(struct kiosk_fctx *x, const struct kiosk_cash_event *e)
{
	struct vend_keep *k = K(x);
	if (!k->payout_id)
		return;
	struct vend *s = at_screen(x);
	int rc = e->fen < 0 ? kiosk_cash_payout_unknown(x->p->store, k->payout_id, e->why)
			    : kiosk_cash_payout_end(x->p->store, k->payout_id, e->fen);
	KLOG_INFO("vend", "event=cash_back order=%s owed_fen=%lld paid_fen=%lld why=\"%s\" err=%s",
		  k->cash_order, (long long)e->owed, (long long)e->fen, e->why, kiosk_errname(rc));
	if (s) {
		int64_t owed = 0;
		kiosk_cash_owed(x->p->store, k->cash_order, &owed);
		s->back_fen = e->fen > 0 ? e->fen : 0;
		s->owed_fen = owed;
		s->cash_back = owed > 0 ? KIOSK_CASH_BACK_SHORT : KIOSK_CASH_BACK_PAID;
	}
	sale_over(k);
	x->p->publish(x);
}

void vend_on_cash(struct kiosk_fctx *x, const struct kiosk_cash_event *e)
{
	struct vend_keep *k = K(x);
	if (e->kind == KIOSK_XEV_HEALTH || !k->cash_tag || e->tag != k->cash_tag)
		return; /* the core republishes on a health change */
	struct vend *s = at_screen(x);
	switch (e->kind) {
	case KIOSK_XEV_WAITING:
		if (s && s->by_cash && s->phase == KIOSK_VEND_PAYING) {
			s->cash_on = true;
			s->cash_exact = e->exact;
		}
		break;
	case KIOSK_XEV_IN:
		taken(x, e->total);
		if (s)
			s->cash_fen = e->total;
		break;
	case KIOSK_XEV_REFUSED:
		if (s)
			snprintf(s->reason, sizeof s->reason, "%s", e->why);
		break;
	case KIOSK_XEV_PAID:
		on_paid(x, e);
		return;
	case KIOSK_XEV_STOPPED:
		on_stopped(x, e);
		return;
	case KIOSK_XEV_PAYOUT:
		on_payout(x, e);
		return;
	case KIOSK_XEV_FAULT: /* it could not begin: nothing was taken */
		if (s && s->phase == KIOSK_VEND_PAYING && s->by_cash) {
			s->phase = KIOSK_VEND_CHOSEN;
			s->by_cash = false;
			snprintf(s->reason, sizeof s->reason, "%s", e->why);
		}
		sale_over(k);
		break;
	default:
		return;
	}
	x->p->publish(x);
}

int vend_cash_settle(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		     struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.vend.operator_id);
	KIOSK_TERM(cmd->u.vend.slot);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.vend.operator_id))
		return KIOSK_EDENIED;
	int rc = kiosk_cash_settle(x->p->store, cmd->u.vend.slot,
				   kiosk_flow_actor_name(rq, cmd->u.vend.operator_id));
	KLOG_INFO("vend", "event=cash_settled ref=%s err=%s", cmd->u.vend.slot, kiosk_errname(rc));
	if (rc == KIOSK_OK)
		x->p->publish(x);
	return rc;
}
