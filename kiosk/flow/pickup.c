/* 取件 Pickup: the code is checked here and this session remembers which parcel it
 * proved; only that parcel's door opens, only with nothing owed, once. The door is then
 * followed: read closed → done, or the item left inside → one reopen offered. */
#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static int pickup_check(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_pickup pk;
	int wait = 0;
	KIOSK_TERM(cmd->u.code.digits);
	int rc = kiosk_pickup_check(c->store, cmd->u.code.digits, &pk, &wait);
	if (rc) {
		res->u.pickup.wait_s = wait; /* the lockout's seconds left, 0 for a wrong code */
		return rc;
	}
	struct kiosk_session *s = &c->session;
	snprintf(s->pickup_parcel, sizeof s->pickup_parcel, "%s", pk.parcel);
	snprintf(s->pickup_comp, sizeof s->pickup_comp, "%.15s", pk.compartment);
	s->pickup_op = 0;
	res->u.pickup.owed_fen = pk.fee_fen - pk.fee_paid_fen;
	s->pickup = res->u.pickup.owed_fen > 0 ? KIOSK_PICKUP_FEE : KIOSK_PICKUP_CHECKED;
	snprintf(res->u.pickup.compartment, sizeof res->u.pickup.compartment, "%s",
		 s->pickup_comp);
	kiosk_cleanse(&pk, sizeof pk);
	return KIOSK_OK;
}

static void pickup_door_done(struct kiosk_core *c, const struct kiosk_door *door, int rc)
{
	struct kiosk_session *s = &c->session;
	if (door->op != s->pickup_op)
		return; /* the session ended meanwhile: nobody to show it to */
	s->pickup = rc == KIOSK_OK ? KIOSK_PICKUP_OPEN : KIOSK_PICKUP_STUCK;
	s->pickup_seen_open = false;
}

static int open_for_session(struct kiosk_core *c, uint32_t req, struct kiosk_result *res,
			    bool reopen)
{
	struct kiosk_session *s = &c->session;
	struct kiosk_door door;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	rc = reopen ? kiosk_door_reopen_after_pickup(c->store, s->pickup_comp, &door)
		    : kiosk_pickup_open(c->store, s->pickup_parcel, &door);
	if (rc)
		return rc;
	s->pickup = KIOSK_PICKUP_OPENING;
	s->pickup_op = door.op;
	return kiosk_core_await_door(c, req, 0, res, &door, pickup_door_done);
}

static int pickup_open(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	switch (c->session.pickup) {
	case KIOSK_PICKUP_FEE:
		return KIOSK_EUNPAID;
	case KIOSK_PICKUP_CHECKED:
		return open_for_session(c, cmd->req, res, false);
	default: /* no code checked in this session, or its door already opened */
		return KIOSK_EDENIED;
	}
}

static int pickup_reopen(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	if (c->session.pickup != KIOSK_PICKUP_LEFT_INSIDE)
		return KIOSK_EDENIED;
	return open_for_session(c, cmd->req, res, true);
}

/* The fee is paid (kiosk/flow/pay.c): the door opens, as it would have with nothing owed.
 * Nobody's request waits on it: the screen follows the session's phase. */
void kiosk_flow_pickup_paid(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	if (s->pickup != KIOSK_PICKUP_FEE)
		return;
	s->pickup = KIOSK_PICKUP_CHECKED;
	int rc = open_for_session(c, 0, NULL, false);
	if (rc != KIOSK_CORE_PENDING) {
		KLOG_WARN("core", "event=paid_door_not_opened err=%s", kiosk_errname(rc));
		s->pickup = KIOSK_PICKUP_STUCK;
	}
}

void kiosk_flow_pickup_round(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	if (s->pickup != KIOSK_PICKUP_OPEN || !c->locker)
		return;
	if (kiosk_locker_door_open(c->locker, s->pickup_comp)) {
		s->pickup_seen_open = true;
		return;
	}
	/* Read closed after it opened: the resident is done, unless the item sensor still
	 * sees the parcel (boards without one report none). */
	s->pickup = kiosk_locker_item(c->locker, s->pickup_comp) ? KIOSK_PICKUP_LEFT_INSIDE
								  : KIOSK_PICKUP_DONE;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_PICKUP_CHECK, pickup_check},
	{KIOSK_CMD_PICKUP_OPEN, pickup_open},
	{KIOSK_CMD_REOPEN, pickup_reopen},
	{0},
};

const struct kiosk_flow kiosk_flow_pickup = {"pickup", handlers};
