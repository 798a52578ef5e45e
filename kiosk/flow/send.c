/* 寄件 Send: carriers; a walk-in's send (到付, or 寄付 paid by QR first) or a booking
 * looked up online; its door, another door after a jam, the parcel in, or given up.
 * Later steps act only on the send this session started. The send follows its door:
 * closed on the parcel (the item sensor agreeing, where fitted) the carrier is told here,
 * not by the screen. */
#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
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
	int rc = kiosk_send_deposited(c->store, s->send_parcel, s->send_phone);
	kiosk_cleanse(s->send_phone, sizeof s->send_phone); /* told once */
	if (rc) {
		KLOG_ERROR("core", "event=send_not_committed err=%s", kiosk_errname(rc));
		return;
	}
	s->send = KIOSK_SEND_DONE;
	s->send_parcel[0] = '\0';
}

_Static_assert(KIOSK_PAYER_RECIPIENT == (int)KIOSK_SEND_BY_RECIPIENT &&
		       KIOSK_PAYER_SENDER == (int)KIOSK_SEND_BY_SENDER &&
		       KIOSK_PAYER_APP == (int)KIOSK_SEND_BOOKED_PAID,
	       "commands and the store say who pays alike");

/* A send created: settled ones open their door now, 寄付 pays first. */
static int go(struct kiosk_core *c, uint32_t req, struct kiosk_result *res,
	      const struct kiosk_send_req *r)
{
	struct kiosk_session *s = &c->session;
	struct kiosk_door door;
	char parcel[37];
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	if (r->pay == KIOSK_SEND_BY_SENDER && !c->sync)
		return KIOSK_ENOTSUP; /* 寄付 is paid by QR: no platform, no payment */
	rc = r->pay == KIOSK_SEND_BY_SENDER ? kiosk_send_create(c->store, r, parcel)
					    : kiosk_send_begin(c->store, r, parcel, &door);
	if (rc)
		return rc;
	snprintf(s->send_parcel, sizeof s->send_parcel, "%s", parcel);
	snprintf(s->send_phone, sizeof s->send_phone, "%s", r->phone);
	if (r->pay != KIOSK_SEND_BY_SENDER) {
		if (res)
			snprintf(res->u.door.parcel, sizeof res->u.door.parcel, "%s", parcel);
		s->send = KIOSK_SEND_OPENING;
		s->send_op = door.op;
		snprintf(s->send_comp, sizeof s->send_comp, "%.15s", door.compartment);
		return kiosk_core_await_door(c, req, 0, res, &door, send_door_done);
	}
	s->send = KIOSK_SEND_PAYING;
	rc = kiosk_pay_start(c, KIOSK_PAY_FOR_SEND, parcel);
	if (rc) { /* no payment, no send: its compartment goes back */
		kiosk_send_cancel(c->store, parcel);
		s->send_parcel[0] = '\0';
		s->send = KIOSK_SEND_NONE;
	}
	return rc;
}

static int start(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_send_req r = {0};
	KIOSK_TERM(cmd->u.send.carrier);
	KIOSK_TERM(cmd->u.send.phone);
	KIOSK_TERM(cmd->u.send.city);
	if (cmd->u.send.size < 0 || cmd->u.send.size > 3 || cmd->u.send.pay < 0 ||
	    cmd->u.send.pay > 1)
		return KIOSK_EINVAL;
	snprintf(r.carrier, sizeof r.carrier, "%s", cmd->u.send.carrier);
	r.size = (enum kiosk_size)cmd->u.send.size;
	r.pay = cmd->u.send.pay ? KIOSK_SEND_BY_SENDER : KIOSK_SEND_BY_RECIPIENT;
	r.amount_fen = cmd->u.send.pay ? c->cfg.send_price_fen[r.size] : 0;
	snprintf(r.phone, sizeof r.phone, "%s", cmd->u.send.phone);
	snprintf(r.city, sizeof r.city, "%s", cmd->u.send.city);
	kiosk_cleanse(cmd->u.send.phone, sizeof cmd->u.send.phone);
	int rc = go(c, cmd->req, res, &r);
	if (rc == KIOSK_OK) /* 寄付: the result says which send; the payment follows */
		snprintf(res->u.door.parcel, sizeof res->u.door.parcel, "%s", c->session.send_parcel);
	kiosk_cleanse(&r, sizeof r);
	return rc;
}

/* 寄付 paid (kiosk/flow/pay.c): the send's door opens. */
void kiosk_flow_send_paid(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	struct kiosk_door door;
	if (s->send != KIOSK_SEND_PAYING || !s->send_parcel[0])
		return;
	int rc = kiosk_core_door_ready(c);
	if (rc == KIOSK_OK)
		rc = kiosk_send_open(c->store, s->send_parcel, &door);
	if (rc == KIOSK_OK) {
		s->send = KIOSK_SEND_OPENING;
		s->send_op = door.op;
		snprintf(s->send_comp, sizeof s->send_comp, "%.15s", door.compartment);
		rc = kiosk_core_await_door(c, 0, 0, NULL, &door, send_door_done);
	}
	if (rc != KIOSK_CORE_PENDING) {
		/* Paid, but no door now: the resident may try another (SEND_OPEN) or cancel,
		 * which refunds. */
		KLOG_WARN("core", "event=paid_send_door_not_opened err=%s", kiosk_errname(rc));
		s->send = KIOSK_SEND_STUCK;
	}
}

/* ---- bookings: the code looked up online, then the send as the booking says ---- */

static void on_booking(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_core *c = arg;
	struct kiosk_result res = {.type = KIOSK_CMD_SEND_BOOKING};
	res.req = (uint32_t)strtoul(tag + 2, NULL, 10);
	if (!res.req || res.req != c->booking_req)
		return; /* the resident left meanwhile */
	c->booking_req = 0;
	struct kiosk_wire_booking b;
	char why[128] = "", code[40] = "";
	if (status == 200)
		res.rc = kiosk_wire_parse_booking(body, len, &b, why, sizeof why) ? KIOSK_EPROTO
										   : KIOSK_OK;
	else if (status == 404)
		res.rc = KIOSK_ENOENT;
	else if (status == 409) { /* used already, or booked for another kiosk */
		kiosk_wire_error_code(body, len, code, sizeof code);
		res.rc = strcmp(code, "other_device") == 0 ? KIOSK_EDENIED : KIOSK_EEXIST;
	} else
		res.rc = status ? KIOSK_EPROTO : KIOSK_ETIMEDOUT;
	KLOG_INFO("core", "event=booking_lookup status=%ld rc=%s why=\"%s\"", status,
		  kiosk_errname(res.rc), why);
	if (res.rc == KIOSK_OK) {
		struct kiosk_send_req r = {0};
		snprintf(r.carrier, sizeof r.carrier, "%s", b.carrier);
		snprintf(r.booking, sizeof r.booking, "%s", b.booking);
		snprintf(r.city, sizeof r.city, "%s", b.city);
		r.size = (enum kiosk_size)b.size;
		r.pay = b.paid		    ? KIOSK_SEND_BOOKED_PAID
			: b.pay_on_delivery ? KIOSK_SEND_BY_RECIPIENT
					    : KIOSK_SEND_BY_SENDER;
		r.amount_fen = r.pay == KIOSK_SEND_BY_RECIPIENT ? 0 : b.amount_fen;
		int rc = go(c, 0, NULL, &r);
		/* A carrier nobody collects for here is not "no such code". */
		res.rc = rc == KIOSK_CORE_PENDING ? KIOSK_OK : rc == KIOSK_ENOENT ? KIOSK_ENOTSUP : rc;
		if (res.rc == KIOSK_OK) {
			snprintf(res.u.booking.parcel, sizeof res.u.booking.parcel, "%s",
				 c->session.send_parcel);
			snprintf(res.u.booking.carrier, sizeof res.u.booking.carrier, "%s", b.carrier);
			snprintf(res.u.booking.city, sizeof res.u.booking.city, "%s", b.city);
			res.u.booking.size = b.size;
			res.u.booking.pay = (int)r.pay;
			res.u.booking.amount_fen = r.amount_fen;
		}
	}
	kiosk_core_file_result(c, &res);
	kiosk_core_publish(c);
}

static int booking(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.booking.code);
	if (!kiosk_wire_booking_code_ok(cmd->u.booking.code))
		return KIOSK_EINVAL;
	if (!c->sync)
		return KIOSK_ENOTSUP; /* looked up online, or not at all */
	if (c->booking_req || c->session.send != KIOSK_SEND_NONE)
		return KIOSK_EBUSY;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	char path[64], tag[KIOSK_SYNC_TAG];
	snprintf(path, sizeof path, "/v1/send-bookings/%s", cmd->u.booking.code);
	snprintf(tag, sizeof tag, "b:%u", cmd->req);
	rc = kiosk_sync_call(c->sync, "GET", path, NULL, tag, on_booking, c);
	if (rc)
		return rc;
	c->booking_req = cmd->req;
	return KIOSK_CORE_PENDING;
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
	int rc = kiosk_send_deposited(c->store, cmd->u.parcel.parcel, c->session.send_phone);
	kiosk_cleanse(c->session.send_phone, sizeof c->session.send_phone);
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
	if (c->session.send == KIOSK_SEND_PAYING)
		kiosk_pay_leave(c);
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
	{KIOSK_CMD_SEND_BOOKING, booking},
	{KIOSK_CMD_SEND_OPEN, open_another},
	{KIOSK_CMD_SEND_DONE, done},
	{KIOSK_CMD_SEND_CANCEL, cancel},
	{0},
};

const struct kiosk_flow kiosk_flow_send = {"send", handlers};
