/* 寄件 Send (到付 today): carriers, the send and its door, another door after a jam, the
 * parcel in, or given up. Later steps act only on the send this session started. The
 * send follows its door: closed on the parcel (the item sensor agreeing, where fitted)
 * the carrier is told here, not by the screen. */
#include "kiosk/core_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

/* The carriers a resident can send with, space-separated into text. */
static int carriers(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	return kiosk_send_carriers(c->store, res->u.carriers.names, 8, &res->u.carriers.n);
}

static void send_door_done(struct kiosk_core *c, const struct kiosk_door *door, int rc)
{
	if (door->op == c->session.send_op)
		c->session.send = rc == KIOSK_OK ? KIOSK_SEND_OPEN : KIOSK_SEND_STUCK;
}

/* The door of this send is on its way: the session follows it. */
static int follow(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res,
		  const struct kiosk_door *door)
{
	struct kiosk_session *s = &c->session;
	s->send = KIOSK_SEND_OPENING;
	s->send_op = door->op;
	snprintf(s->send_comp, sizeof s->send_comp, "%.15s", door->compartment);
	return kiosk_core_await_door(c, cmd->req, 0, res, door, send_door_done);
}

void kiosk_flow_send_round(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	if (s->send != KIOSK_SEND_OPEN || !c->locker)
		return;
	enum kiosk_door_reading r = kiosk_core_door_reading(c, s->send_comp);
	if (r == KIOSK_DOOR_STILL_OPEN)
		return;
	if (r == KIOSK_DOOR_CLOSED_EMPTY) {
		s->send = KIOSK_SEND_EMPTY;
		return;
	}
	int rc = kiosk_send_deposited(c->store, s->send_parcel);
	if (rc) {
		KLOG_ERROR("core", "event=send_not_committed err=%s", kiosk_errname(rc));
		return;
	}
	s->send = KIOSK_SEND_DONE;
	s->send_parcel[0] = '\0';
}

static int start(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	KIOSK_TERM(cmd->u.send.carrier);
	if (cmd->u.send.size < 0 || cmd->u.send.size > 3)
		return KIOSK_EINVAL;
	rc = kiosk_send_begin_collect(c->store, cmd->u.send.carrier, (enum kiosk_size)cmd->u.send.size,
				      res->u.door.parcel, &door);
	if (rc)
		return rc;
	snprintf(c->session.send_parcel, sizeof c->session.send_parcel, "%s", res->u.door.parcel);
	return follow(c, cmd, res, &door);
}

/* Is the command's parcel this session's send? (terminates it first) */
static bool own_send(const struct kiosk_core *c, struct kiosk_cmd *cmd)
{
	KIOSK_TERM(cmd->u.parcel.parcel);
	return c->session.send_parcel[0] &&
	       strcmp(cmd->u.parcel.parcel, c->session.send_parcel) == 0;
}

static int open_another(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	if (!own_send(c, cmd))
		return KIOSK_EDENIED;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	rc = kiosk_send_open(c->store, cmd->u.parcel.parcel, &door);
	if (rc)
		return rc;
	return follow(c, cmd, res, &door);
}

static int done(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	if (!own_send(c, cmd))
		return KIOSK_EDENIED;
	if (c->session.send != KIOSK_SEND_EMPTY)
		return KIOSK_ESTATE; /* the door decides: closed on it, it is in */
	int rc = kiosk_send_deposited(c->store, cmd->u.parcel.parcel);
	if (rc == KIOSK_OK) {
		c->session.send_parcel[0] = '\0';
		c->session.send = KIOSK_SEND_DONE;
	}
	return rc;
}

static int cancel(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	if (!own_send(c, cmd))
		return KIOSK_EDENIED;
	int rc = kiosk_send_cancel(c->store, cmd->u.parcel.parcel);
	if (rc == KIOSK_OK) {
		c->session.send_parcel[0] = '\0';
		c->session.send = KIOSK_SEND_NONE;
	}
	return rc;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_SEND_CARRIERS, carriers},
	{KIOSK_CMD_SEND_START, start},
	{KIOSK_CMD_SEND_OPEN, open_another},
	{KIOSK_CMD_SEND_DONE, done},
	{KIOSK_CMD_SEND_CANCEL, cancel},
	{0},
};

const struct kiosk_flow kiosk_flow_send = {"send", handlers};
