/* Paying at the vending machine's own money devices ($.vend.board_pays: a board with its
 * own coin mech, note reader or card reader). The flow asks the board to select the slot
 * (select to buy); the board takes the money and reports each sum it collected. At the
 * price the order is paid (method board, the last report's mode in its reference) and
 * dispensed like any other; change is the board's own (our rule). A failure is refunded
 * through the outbox (payment.refund_requested, method board): the kiosk cannot pay the
 * board's money back itself. Each sum is committed as it comes (kiosk_vend_board_in), so a
 * restart before the price is reached is told to the operator, not forgotten. Money the
 * board reports for nobody's order is logged. */
#include "kiosk/flow/vend_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static void board_over(struct vend_keep *k)
{
	k->board_order[0] = '\0';
	k->board_fen = 0;
}

int vend_board_pay(struct kiosk_fctx *x)
{
	struct vend *s = S(x);
	struct vend_keep *k = K(x);
	int64_t tag = 0;
	int rc = x->p->vend_select(x, s->slot, &tag);
	if (rc)
		return rc; /* no money devices on the board: nothing taken */
	memcpy(k->board_order, s->order, sizeof k->board_order);
	k->board_fen = 0;
	s->phase = KIOSK_VEND_PAYING;
	s->by_board = true;
	s->board_fen = 0;
	s->reason[0] = '\0';
	return KIOSK_OK;
}

void vend_board_drop(struct kiosk_fctx *x)
{
	board_over(K(x)); /* what the board holds, its return lever gives back */
}

void vend_board_money(struct kiosk_fctx *x, const struct kiosk_vend_event *e)
{
	struct vend_keep *k = K(x);
	struct kiosk_order o;
	char order[37], ref[24];
	if (!k->board_order[0] || e->fen <= 0 ||
	    kiosk_vend_get(x->p->store, k->board_order, &o) != KIOSK_OK ||
	    strcmp(o.state, "created") != 0) {
		KLOG_WARN("vend", "event=board_money_unclaimed mode=%d fen=%lld", e->mode,
			  (long long)e->fen);
		return;
	}
	memcpy(order, k->board_order, sizeof order);
	/* committed before anything is decided on it: a restart neither forgets it nor
	 * refunds it blind (kiosk_vend_board_in) */
	int rc = kiosk_vend_board_in(x->p->store, order, k->board_fen + e->fen);
	if (rc) {
		KLOG_ERROR("vend", "event=board_money_not_recorded order=%s fen=%lld err=%s", order,
			   (long long)e->fen, kiosk_errname(rc));
		return;
	}
	k->board_fen += e->fen;
	struct vend *s = vend_mine(x, order) ? S(x) : NULL;
	if (s)
		s->board_fen = k->board_fen;
	KLOG_INFO("vend", "event=board_money order=%s mode=%d fen=%lld total_fen=%lld", order,
		  e->mode, (long long)e->fen, (long long)k->board_fen);
	if (k->board_fen < o.price_fen) {
		x->p->publish(x);
		return;
	}
	board_over(k);
	snprintf(ref, sizeof ref, "board:%d", e->mode);
	rc = kiosk_vend_paid(x->p->store, order, KIOSK_PAY_BOARD, ref, o.price_fen);
	if (rc) {
		KLOG_ERROR("vend", "event=board_paid_not_recorded order=%s err=%s", order,
			   kiosk_errname(rc));
		x->p->publish(x);
		return;
	}
	if (s)
		vend_dispense(x, order);
	else
		vend_fail(x, order, "paid with nobody at the screen");
}
