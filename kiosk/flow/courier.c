/* 快递员 Courier: login, deposit, taking back expired parcels, collecting sends, and the
 * deposit left unfinished. Every step is the logged-in courier's: the core checks the id
 * against the session, and a parcel named by a later step against the one this session's
 * deposit produced. The deposit follows its door: closed on the parcel (the item sensor
 * agreeing, where the board has one) it is committed here, not by the screen. */
#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static int login(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	return kiosk_core_login(c, cmd, "courier", c->session.courier, res);
}

static void deposit_door_done(struct kiosk_core *c, const struct kiosk_door *door, int rc)
{
	struct kiosk_session *s = &c->session;
	if (door->op != s->deposit_op)
		return; /* the session ended meanwhile */
	s->deposit = rc == KIOSK_OK ? KIOSK_DEPOSIT_OPEN : KIOSK_DEPOSIT_STUCK;
}

/* The code goes out once, in the event for the platform's SMS; the kiosk forgets it. */
static int commit(struct kiosk_core *c)
{
	char code[9];
	int rc = kiosk_parcel_deposit_commit(c->store, c->session.deposit_parcel, code);
	/* Scripts and tests (test clock only) stand in for the recipient reading the SMS:
	 * the outbox's copy is gone as soon as the platform has it. */
	if (rc == KIOSK_OK && c->test_clock)
		memcpy(c->test_code, code, sizeof c->test_code);
	kiosk_cleanse(code, sizeof code);
	if (rc == KIOSK_OK) {
		c->session.deposit = KIOSK_DEPOSIT_DONE;
		c->session.deposit_parcel[0] = '\0';
	}
	return rc;
}

void kiosk_flow_courier_round(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	if (s->deposit != KIOSK_DEPOSIT_OPEN || !c->locker)
		return;
	/* Closed after it opened for this deposit: in — unless a sensor says empty. */
	enum kiosk_door_reading r = kiosk_core_door_reading(c, s->deposit_comp);
	if (r == KIOSK_DOOR_STILL_OPEN)
		return;
	if (r == KIOSK_DOOR_CLOSED_EMPTY) {
		s->deposit = KIOSK_DEPOSIT_EMPTY;
		return;
	}
	int rc = commit(c);
	if (rc)
		KLOG_ERROR("core", "event=deposit_not_committed err=%s", kiosk_errname(rc));
}

/* Intent (parcel + door) in one transaction, then the door. */
static int deposit(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	KIOSK_TERM(cmd->u.deposit.courier);
	KIOSK_TERM(cmd->u.deposit.tracking);
	KIOSK_TERM(cmd->u.deposit.phone);
	if (!kiosk_core_is_courier(c, cmd->u.deposit.courier))
		return KIOSK_EDENIED;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	if (cmd->u.deposit.size < 0 || cmd->u.deposit.size > 3)
		return KIOSK_EINVAL;
	rc = kiosk_parcel_deposit_begin(c->store, cmd->u.deposit.courier, cmd->u.deposit.tracking,
					cmd->u.deposit.phone, (enum kiosk_size)cmd->u.deposit.size,
					res->u.door.parcel, &door);
	if (rc)
		return rc;
	struct kiosk_session *s = &c->session;
	snprintf(s->deposit_parcel, sizeof s->deposit_parcel, "%s", res->u.door.parcel);
	snprintf(s->deposit_comp, sizeof s->deposit_comp, "%.15s", door.compartment);
	s->deposit = KIOSK_DEPOSIT_OPENING;
	s->deposit_op = door.op;
	return kiosk_core_await_door(c, cmd->req, 0, res, &door, deposit_door_done);
}

static bool own_deposit(const struct kiosk_core *c, const char *parcel)
{
	return c->session.courier[0] && c->session.deposit_parcel[0] &&
	       strcmp(parcel, c->session.deposit_parcel) == 0;
}

/* The courier's word that it is in: only where the core cannot tell by itself (the sensor
 * saw nothing, or a deposit left unfinished earlier). */
static int deposit_done(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.parcel.parcel);
	if (!own_deposit(c, cmd->u.parcel.parcel))
		return KIOSK_EDENIED;
	if (c->session.deposit != KIOSK_DEPOSIT_EMPTY &&
	    c->session.deposit != KIOSK_DEPOSIT_UNFINISHED)
		return KIOSK_ESTATE; /* the door decides: closed on it is committed */
	return commit(c);
}

static int deposit_cancel(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.parcel.parcel);
	if (!own_deposit(c, cmd->u.parcel.parcel))
		return KIOSK_EDENIED;
	int rc = kiosk_parcel_deposit_cancel(c->store, cmd->u.parcel.parcel);
	if (rc == KIOSK_OK) {
		c->session.deposit_parcel[0] = '\0';
		c->session.deposit = KIOSK_DEPOSIT_NONE;
	}
	return rc;
}

/* The oldest expired parcel (retrieve) or send of the courier's company (collect). */
static int take_out(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	const char *who = cmd->u.courier.courier;
	char *parcel = res->u.door.parcel;
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_core_is_courier(c, who))
		return KIOSK_EDENIED;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	if (cmd->type == KIOSK_CMD_RETRIEVE) {
		rc = kiosk_parcel_next_expired(c->store, parcel);
		if (rc == KIOSK_OK)
			rc = kiosk_parcel_retrieve_open(c->store, who, parcel, &door);
	} else {
		rc = kiosk_send_next_to_collect(c->store, who, parcel);
		if (rc == KIOSK_OK)
			rc = kiosk_send_collect_open(c->store, who, parcel, &door);
	}
	if (rc)
		return rc;
	return kiosk_core_await_door(c, cmd->req, 0, res, &door, NULL);
}

static int tasks(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_core_is_courier(c, cmd->u.courier.courier))
		return KIOSK_EDENIED;
	return kiosk_courier_tasks(c->store, cmd->u.courier.courier, &res->u.tasks.expired,
				   &res->u.tasks.sends);
}

static int unfinished(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_parcel p;
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_core_is_courier(c, cmd->u.courier.courier))
		return KIOSK_EDENIED;
	int rc = kiosk_parcel_unfinished(c->store, cmd->u.courier.courier, &p);
	if (rc)
		return rc;
	size_t n = strlen(p.tracking);
	snprintf(res->u.unfinished.parcel, sizeof res->u.unfinished.parcel, "%s", p.id);
	snprintf(res->u.unfinished.tracking_tail, sizeof res->u.unfinished.tracking_tail, "%s",
		 p.tracking + (n > 8 ? n - 8 : 0));
	snprintf(res->u.unfinished.compartment, sizeof res->u.unfinished.compartment, "%.15s",
		 p.compartment);
	/* Put to this courier: finishing or cancelling it is now this session's step. */
	snprintf(c->session.deposit_parcel, sizeof c->session.deposit_parcel, "%.36s", p.id);
	c->session.deposit = KIOSK_DEPOSIT_UNFINISHED;
	return KIOSK_OK;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_LOGIN_COURIER, login},
	{KIOSK_CMD_DEPOSIT, deposit},
	{KIOSK_CMD_DEPOSIT_DONE, deposit_done},
	{KIOSK_CMD_DEPOSIT_CANCEL, deposit_cancel},
	{KIOSK_CMD_RETRIEVE, take_out},
	{KIOSK_CMD_COLLECT, take_out},
	{KIOSK_CMD_COURIER_TASKS, tasks},
	{KIOSK_CMD_UNFINISHED, unfinished},
	{0},
};

const struct kiosk_flow kiosk_flow_courier = {"courier", handlers};
