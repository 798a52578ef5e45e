/* 取件 Pickup: the code is checked here and this session remembers which parcel it
 * proved; only that parcel's door opens, only with nothing owed, once. An overdue fee is
 * paid by QR first (the payment port). The door is then followed: read closed → done, or
 * the item left inside → one reopen offered. */
#include "kiosk/flow/flow.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

struct pickup {
	enum kiosk_pickup_phase phase;
	char parcel[37], comp[16];
	int64_t op; /* the door operation of the pickup (or its reopen) */
};

static int check(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	struct pickup *s = x->session;
	struct kiosk_pickup pk;
	int wait = 0;
	KIOSK_TERM(cmd->u.code.digits);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED; /* a code proves something only to the person typing it */
	int rc = kiosk_pickup_check(x->p->store, cmd->u.code.digits, &pk, &wait);
	if (rc) {
		res->u.pickup.wait_s = wait; /* the lockout's seconds left, 0 for a wrong code */
		if (rc == KIOSK_EDENIED)
			res->u.pickup.tries_left = kiosk_pickup_tries_left(x->p->store);
		return rc;
	}
	snprintf(s->parcel, sizeof s->parcel, "%s", pk.parcel);
	snprintf(s->comp, sizeof s->comp, "%.15s", pk.compartment);
	s->op = 0;
	res->u.pickup.owed_fen = pk.fee_fen - pk.fee_paid_fen;
	res->u.pickup.stored_h = (int)(pk.stored_ms / (3600 * 1000));
	res->u.pickup.free_h = x->p->cfg->parcel_free_hours;
	res->u.pickup.block_h = x->p->cfg->parcel_fee_block_hours;
	res->u.pickup.block_fen = x->p->cfg->parcel_fee_block_fen;
	res->u.pickup.paid_fen = pk.fee_paid_fen;
	s->phase = res->u.pickup.owed_fen > 0 ? KIOSK_PICKUP_FEE : KIOSK_PICKUP_CHECKED;
	snprintf(res->u.pickup.compartment, sizeof res->u.pickup.compartment, "%s", s->comp);
	kiosk_cleanse(&pk, sizeof pk);
	return KIOSK_OK;
}

static void on_outcome(struct kiosk_fctx *x, const struct kiosk_door *door, int rc)
{
	struct pickup *s = x->session;
	if (door->op != s->op)
		return; /* the session ended meanwhile: nobody to show it to */
	s->phase = rc == KIOSK_OK ? KIOSK_PICKUP_OPEN : KIOSK_PICKUP_STUCK;
}

static int open_for_session(struct kiosk_fctx *x, const struct kiosk_request *rq,
			    struct kiosk_result *res, bool reopen)
{
	struct pickup *s = x->session;
	struct kiosk_door door;
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	rc = reopen ? kiosk_door_reopen_after_pickup(x->p->store, s->comp, &door)
		    : kiosk_pickup_open(x->p->store, s->parcel, &door);
	if (rc)
		return rc;
	s->phase = KIOSK_PICKUP_OPENING;
	s->op = door.op;
	return x->p->door_open(x, rq, res, &door);
}

static int open(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)cmd;
	switch (((struct pickup *)x->session)->phase) {
	case KIOSK_PICKUP_FEE:
		return KIOSK_EUNPAID;
	case KIOSK_PICKUP_CHECKED:
		return open_for_session(x, rq, res, false);
	default: /* no code checked in this session, or its door already opened */
		return KIOSK_EDENIED;
	}
}

static int reopen(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	(void)cmd;
	if (((struct pickup *)x->session)->phase != KIOSK_PICKUP_LEFT_INSIDE)
		return KIOSK_EDENIED;
	return open_for_session(x, rq, res, true);
}

/* 扫码支付: a QR payment for this session's overdue fee; paid, the door opens (on_paid). */
static int pay_fee(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	(void)rq;
	(void)cmd;
	(void)res;
	struct pickup *s = x->session;
	if (s->phase != KIOSK_PICKUP_FEE)
		return KIOSK_EDENIED; /* no code checked here, or nothing owed */
	return x->p->pay_start(x, KIOSK_PAY_FOR_FEE, s->parcel);
}

/* The fee is paid: the door opens, as it would have with nothing owed. Nobody's request
 * waits on it: the screen follows the session's phase. */
static void on_paid(struct kiosk_fctx *x, const char *parcel, enum kiosk_paid how)
{
	struct pickup *s = x->session;
	if (how != KIOSK_PAID || s->phase != KIOSK_PICKUP_FEE || strcmp(parcel, s->parcel))
		return; /* a fee paid late, or given up: the parcel stays where it is */
	s->phase = KIOSK_PICKUP_CHECKED;
	int rc = open_for_session(x, NULL, NULL, false);
	if (rc != KIOSK_FLOW_PENDING) {
		KLOG_WARN("core", "event=paid_door_not_opened err=%s", kiosk_errname(rc));
		s->phase = KIOSK_PICKUP_STUCK;
	}
}

static void on_round(struct kiosk_fctx *x)
{
	struct pickup *s = x->session;
	struct kiosk_door_reading r;
	if (s->phase != KIOSK_PICKUP_OPEN)
		return;
	x->p->door_read(x, s->comp, &r);
	if (r.open)
		return;
	/* Read closed after it opened: the resident is done, unless the item sensor still
	 * sees the parcel (boards without one report none). */
	s->phase = r.item ? KIOSK_PICKUP_LEFT_INSIDE : KIOSK_PICKUP_DONE;
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct pickup *s = x->session;
	v->pickup = s->phase;
	snprintf(v->pickup_compartment, sizeof v->pickup_compartment, "%s", s->comp);
	v->door_busy |= s->phase == KIOSK_PICKUP_OPENING || s->phase == KIOSK_PICKUP_OPEN;
	v->pickup_locked_until_ms = kiosk_pickup_locked_until(x->p->store);
}

/* The pickup's door opened: the parcel is picked up and its compartment free, in the
 * outcome's own transaction (a reopen moves nothing: it was picked up already). */
static const struct kiosk_door_rules door_rules[] = {
	{"pickup", "|deposited|expired|", KIOSK_MOVE_PICKED_UP, KIOSK_MOVE_NONE, KIOSK_MOVE_NONE},
	{0},
};

/* A help call from this session: its door and parcel. */
static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	const struct pickup *s = x->session;
	kiosk_flow_help_about(a, s->comp, s->parcel, NULL);
}

/* A pickup QR scanned at the code screen (or at home, which opens it): its code checked
 * as if typed (a wrong one counts toward the lockout the same way); anything that is not
 * 8 digits is not a pickup code. */
static int on_scan(struct kiosk_fctx *x, const char *where, const char *code,
		   struct kiosk_cmd *intent, struct kiosk_result *res)
{
	(void)x, (void)where, (void)res;
	char digits[16];
	if (!kiosk_flow_scan_last_segment(code, digits, sizeof digits) || strlen(digits) != 8 ||
	    strspn(digits, "0123456789") != 8)
		return KIOSK_EPARSE;
	intent->type = KIOSK_CMD_PICKUP_CHECK;
	memcpy(intent->u.code.digits, digits, 9);
	kiosk_cleanse(digits, sizeof digits);
	return KIOSK_OK;
}

static const char *const scan_places[] = {"pickup", "home", NULL};

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_PICKUP_CHECK, check},
	{KIOSK_CMD_PICKUP_OPEN, open},
	{KIOSK_CMD_REOPEN, reopen},
	{KIOSK_CMD_PAY_FEE, pay_fee},
	{0},
};

const struct kiosk_flow kiosk_flow_pickup = {
	.name = "pickup",
	.session_size = sizeof(struct pickup),
	.handlers = handlers,
	.pays_for = 1u << KIOSK_PAY_FOR_FEE,
	.door_rules = door_rules,
	.on_device_outcome = on_outcome,
	.on_round = on_round,
	.on_paid = on_paid,
	.help_about = help_about,
	.scan_at = scan_places,
	.on_scan = on_scan,
	.view = view,
};
