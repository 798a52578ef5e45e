/* 寄件 Send: carriers; a walk-in's send (到付, or 寄付 paid by QR first) or a booking
 * looked up online; its door, another door after a jam, the parcel in, or given up.
 * Later steps act only on the send this session started. The send follows its door:
 * closed on the parcel (the item sensor agreeing, where fitted) the carrier is told here,
 * not by the screen. */
#include "kiosk/flow/flow.h"
#include "kiosk/crypto.h"
#include "kiosk/receipt.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct send {
	enum kiosk_send_phase phase;
	char parcel[37], comp[16];
	int64_t op;
	char phone[16]; /* the walk-in sender's mobile, for the deposit's event only */
	char number[9]; /* the send number, once it is in */
	char carrier[32]; /* … and its carrier (the receipt's) */
	struct kiosk_request booking; /* the request waiting on a booking lookup (.req 0: none) */
};

/* The carriers a resident can send with. */
static int carriers(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)rq;
	(void)cmd;
	return kiosk_send_carriers(x->p->store, res->u.carriers.names, 8, &res->u.carriers.n);
}

static void on_outcome(struct kiosk_fctx *x, const struct kiosk_door *door, int rc)
{
	struct send *s = x->session;
	if (door->op == s->op)
		s->phase = rc == KIOSK_OK ? KIOSK_SEND_OPEN : KIOSK_SEND_STUCK;
}

/* The door of this send is on its way: the session follows it. */
static int follow(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_result *res,
		  const struct kiosk_door *door)
{
	struct send *s = x->session;
	s->phase = KIOSK_SEND_OPENING;
	s->op = door->op;
	snprintf(s->comp, sizeof s->comp, "%.15s", door->compartment);
	return x->p->door_open(x, rq, res, door);
}

/* In: the carrier is told (with the walk-in's phone, once). */
static int deposited(struct kiosk_fctx *x)
{
	struct send *s = x->session;
	int rc = kiosk_send_deposited(x->p->store, s->parcel, s->phone);
	kiosk_cleanse(s->phone, sizeof s->phone); /* told once */
	if (rc == KIOSK_OK && kiosk_send_number(x->p->store, s->parcel, s->number))
		KLOG_ERROR("core", "event=send_number_unread");
	struct kiosk_parcel p;
	if (rc == KIOSK_OK && kiosk_parcel_get(x->p->store, s->parcel, &p) == KIOSK_OK)
		memcpy(s->carrier, p.carrier, sizeof s->carrier);
	if (rc == KIOSK_OK) {
		s->phase = KIOSK_SEND_DONE;
		s->parcel[0] = '\0';
	}
	return rc;
}

static void on_round(struct kiosk_fctx *x)
{
	struct send *s = x->session;
	struct kiosk_door_reading r;
	if (s->phase != KIOSK_SEND_OPEN)
		return;
	x->p->door_read(x, s->comp, &r);
	if (r.open)
		return;
	if (r.has_sensor && !r.item) {
		s->phase = KIOSK_SEND_EMPTY;
		return;
	}
	int rc = deposited(x);
	if (rc)
		KLOG_ERROR("core", "event=send_not_committed err=%s", kiosk_errname(rc));
}

_Static_assert(KIOSK_PAYER_RECIPIENT == (int)KIOSK_SEND_BY_RECIPIENT &&
		       KIOSK_PAYER_SENDER == (int)KIOSK_SEND_BY_SENDER &&
		       KIOSK_PAYER_APP == (int)KIOSK_SEND_BOOKED_PAID,
	       "commands and the store say who pays alike");

/* A send created: settled ones open their door now, 寄付 pays first. */
static int go(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_result *res,
	      const struct kiosk_send_req *r)
{
	struct send *s = x->session;
	struct kiosk_door door;
	char parcel[37];
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	if (r->pay == KIOSK_SEND_BY_SENDER && !x->p->platform(x))
		return KIOSK_ENOTSUP; /* 寄付 is paid by QR: no platform, no payment */
	rc = r->pay == KIOSK_SEND_BY_SENDER ? kiosk_send_create(x->p->store, r, parcel)
					    : kiosk_send_begin(x->p->store, r, parcel, &door);
	if (rc)
		return rc;
	snprintf(s->parcel, sizeof s->parcel, "%s", parcel);
	snprintf(s->phone, sizeof s->phone, "%s", r->phone);
	if (r->pay != KIOSK_SEND_BY_SENDER) {
		if (res)
			snprintf(res->u.door.parcel, sizeof res->u.door.parcel, "%s", parcel);
		return follow(x, rq, res, &door);
	}
	s->phase = KIOSK_SEND_PAYING;
	rc = x->p->pay_start(x, KIOSK_PAY_FOR_SEND, parcel);
	if (rc) { /* no payment, no send: its compartment goes back */
		kiosk_send_cancel(x->p->store, parcel);
		s->parcel[0] = '\0';
		s->phase = KIOSK_SEND_NONE;
	}
	return rc;
}

static int start(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	struct send *s = x->session;
	struct kiosk_send_req r = {0};
	KIOSK_TERM(cmd->u.send.carrier);
	KIOSK_TERM(cmd->u.send.phone);
	KIOSK_TERM(cmd->u.send.city);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (cmd->u.send.size < 0 || cmd->u.send.size > 3 || cmd->u.send.pay < 0 ||
	    cmd->u.send.pay > 1)
		return KIOSK_EINVAL;
	snprintf(r.carrier, sizeof r.carrier, "%s", cmd->u.send.carrier);
	r.size = (enum kiosk_size)cmd->u.send.size;
	r.pay = cmd->u.send.pay ? KIOSK_SEND_BY_SENDER : KIOSK_SEND_BY_RECIPIENT;
	r.amount_fen = cmd->u.send.pay ? x->p->cfg->send_price_fen[r.size] : 0;
	snprintf(r.phone, sizeof r.phone, "%s", cmd->u.send.phone);
	snprintf(r.city, sizeof r.city, "%s", cmd->u.send.city);
	kiosk_cleanse(cmd->u.send.phone, sizeof cmd->u.send.phone);
	int rc = go(x, rq, res, &r);
	if (rc == KIOSK_OK) /* 寄付: the result says which send; the payment follows */
		snprintf(res->u.door.parcel, sizeof res->u.door.parcel, "%s", s->parcel);
	kiosk_cleanse(&r, sizeof r);
	return rc;
}

/* How a 寄付's payment ended. Paid: the send's door opens. Given up at the QR: the send
 * goes too, its compartment free again. Paid with nobody here (a restart): nobody will
 * put the parcel in, so the send goes and the money back. */
static void on_paid(struct kiosk_fctx *x, const char *parcel, enum kiosk_paid how)
{
	struct send *s = x->session;
	struct kiosk_door door;
	bool mine = s->phase == KIOSK_SEND_PAYING && s->parcel[0] && strcmp(parcel, s->parcel) == 0;
	if (how == KIOSK_PAID_UNATTENDED) {
		int crc = kiosk_send_cancel(x->p->store, parcel);
		KLOG_INFO("pay", "event=unattended_send_cancelled rc=%s", kiosk_errname(crc));
		return;
	}
	if (!mine)
		return;
	if (how == KIOSK_PAID_GIVEN_UP) {
		if (kiosk_send_cancel(x->p->store, s->parcel) == KIOSK_OK) {
			s->parcel[0] = '\0';
			s->phase = KIOSK_SEND_NONE;
		}
		return;
	}
	if (how != KIOSK_PAID)
		return;
	int rc = x->p->door_ready(x);
	if (rc == KIOSK_OK)
		rc = kiosk_send_open(x->p->store, s->parcel, &door);
	if (rc == KIOSK_OK)
		rc = follow(x, NULL, NULL, &door);
	if (rc != KIOSK_FLOW_PENDING) {
		/* Paid, but no door now: the resident may try another (SEND_OPEN) or cancel,
		 * which refunds. */
		KLOG_WARN("core", "event=paid_send_door_not_opened err=%s", kiosk_errname(rc));
		s->phase = KIOSK_SEND_STUCK;
	}
}

/* ---- bookings: the code looked up online, then the send as the booking says ---- */

static void on_booking(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_fctx *x = arg;
	struct send *s = x->session;
	struct kiosk_result res = {.type = KIOSK_CMD_SEND_BOOKING};
	uint32_t req = (uint32_t)strtoul(tag + 2, NULL, 10);
	if (!req || req != s->booking.req)
		return; /* the resident left meanwhile */
	struct kiosk_request rq = s->booking;
	memset(&s->booking, 0, sizeof s->booking);
	struct kiosk_wire_booking b;
	char why[128] = "", code[40] = "";
	if (status == 200)
		res.rc = kiosk_wire_parse_booking(body, len, &b, why, sizeof why) ? KIOSK_EPROTO
										   : KIOSK_OK;
	else if (status == 404) { /* a wrong code: counted against guessing */
		int wait = 0;
		int rc = kiosk_booking_attempt(x->p->store, true, &wait);
		res.rc = rc == KIOSK_EDENIED ? KIOSK_ENOENT : rc;
		res.u.booking.wait_s = wait;
	}
	else if (status == 409) { /* used already, or booked for another kiosk */
		kiosk_wire_error_code(body, len, code, sizeof code);
		res.rc = strcmp(code, "other_device") == 0 ? KIOSK_EDENIED : KIOSK_EEXIST;
	} else
		res.rc = status ? KIOSK_EPROTO : KIOSK_ETIMEDOUT;
	KLOG_INFO("core", "event=booking_lookup status=%ld rc=%s why=\"%s\"", status,
		  kiosk_errname(res.rc), why);
	if (res.rc == KIOSK_OK)
		res.rc = kiosk_booking_attempt(x->p->store, false, NULL);
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
		int rc = go(x, NULL, NULL, &r);
		/* A carrier nobody collects for here is not "no such code". */
		res.rc = rc == KIOSK_FLOW_PENDING ? KIOSK_OK : rc == KIOSK_ENOENT ? KIOSK_ENOTSUP : rc;
		if (res.rc == KIOSK_OK) {
			snprintf(res.u.booking.parcel, sizeof res.u.booking.parcel, "%s", s->parcel);
			snprintf(res.u.booking.carrier, sizeof res.u.booking.carrier, "%s", b.carrier);
			snprintf(res.u.booking.city, sizeof res.u.booking.city, "%s", b.city);
			res.u.booking.size = b.size;
			res.u.booking.pay = (int)r.pay;
			res.u.booking.amount_fen = r.amount_fen;
		}
	}
	x->p->answer(x, &rq, &res);
	x->p->publish(x);
}

static int booking(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	struct send *s = x->session;
	KIOSK_TERM(cmd->u.booking.code);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || !rq->req)
		return KIOSK_EDENIED;
	int wait = 0;
	int rc = kiosk_booking_guard_check(x->p->store, &wait);
	res->u.booking.wait_s = wait;
	if (rc)
		return rc; /* locked: not even asked */
	if (!kiosk_wire_booking_code_ok(cmd->u.booking.code)) {
		rc = kiosk_booking_attempt(x->p->store, true, &wait);
		res->u.booking.wait_s = wait;
		return rc == KIOSK_EDENIED ? KIOSK_EINVAL : rc;
	}
	if (!x->p->platform(x))
		return KIOSK_ENOTSUP; /* looked up online, or not at all */
	if (s->booking.req || s->phase != KIOSK_SEND_NONE)
		return KIOSK_EBUSY;
	rc = x->p->door_ready(x);
	if (rc)
		return rc;
	char path[64], tag[KIOSK_FLOW_TAG];
	snprintf(path, sizeof path, "/v1/send-bookings/%s", cmd->u.booking.code);
	snprintf(tag, sizeof tag, "b:%u", rq->req);
	rc = x->p->platform_call(x, "GET", path, NULL, tag, on_booking, x);
	if (rc)
		return rc;
	s->booking = *rq;
	return KIOSK_FLOW_PENDING;
}

/* Is the command's parcel this session's send? (terminates it first) */
static bool own_send(const struct kiosk_fctx *x, const struct kiosk_request *rq,
		     struct kiosk_cmd *cmd)
{
	const struct send *s = x->session;
	KIOSK_TERM(cmd->u.parcel.parcel);
	return rq->actor.kind == KIOSK_ACTOR_SESSION && s->parcel[0] &&
	       strcmp(cmd->u.parcel.parcel, s->parcel) == 0;
}

static int open_another(struct kiosk_fctx *x, const struct kiosk_request *rq,
			struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	struct kiosk_door door;
	if (!own_send(x, rq, cmd))
		return KIOSK_EDENIED;
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	rc = kiosk_send_open(x->p->store, cmd->u.parcel.parcel, &door);
	if (rc)
		return rc;
	return follow(x, rq, res, &door);
}

static int done(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)res;
	if (!own_send(x, rq, cmd))
		return KIOSK_EDENIED;
	if (((struct send *)x->session)->phase != KIOSK_SEND_EMPTY)
		return KIOSK_ESTATE; /* the door decides: closed on it, it is in */
	return deposited(x);
}

static int cancel(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	(void)res;
	struct send *s = x->session;
	if (!own_send(x, rq, cmd))
		return KIOSK_EDENIED;
	if (s->phase == KIOSK_SEND_PAYING)
		x->p->pay_leave(x);
	int rc = kiosk_send_cancel(x->p->store, cmd->u.parcel.parcel);
	if (rc == KIOSK_OK) {
		s->parcel[0] = '\0';
		s->phase = KIOSK_SEND_NONE;
	}
	return rc;
}

/* The person left: a QR left on the screen is cancelled, and a 寄付 never paid lets its
 * compartment go. A lookup still out finds nobody to answer (the state is zeroed). */
static void on_session_end(struct kiosk_fctx *x)
{
	struct send *s = x->session;
	if (s->phase != KIOSK_SEND_PAYING)
		return;
	x->p->pay_leave(x);
	kiosk_send_cancel(x->p->store, s->parcel);
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct send *s = x->session;
	v->send = s->phase;
	snprintf(v->send_compartment, sizeof v->send_compartment, "%s", s->comp);
	memcpy(v->send_number, s->number, sizeof v->send_number);
	v->door_busy |= s->phase == KIOSK_SEND_OPENING || s->phase == KIOSK_SEND_OPEN;
}

/* The send's door opened: it is on its way in (done when the door closes on it). Jammed or
 * never opened: the send keeps its parcel for another door, not the compartment. */
static const struct kiosk_door_rules door_rules[] = {
	{"send_deposit", "|send_paid|", KIOSK_MOVE_SEND_DEPOSITING, KIOSK_MOVE_SEND_DETACH,
	 KIOSK_MOVE_SEND_DETACH_RELEASE},
	{0},
};

/* A help call from this session: its door and parcel, and the send number. */
static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	const struct send *s = x->session;
	kiosk_flow_help_about(a, s->comp, s->parcel, s->number);
}

/* A booking's QR scanned at 寄件: its code looked up as if typed (the code, or a URL
 * ending in it). */
static int on_scan(struct kiosk_fctx *x, const char *where, const char *code,
		   struct kiosk_cmd *intent, struct kiosk_result *res)
{
	(void)x, (void)where, (void)res;
	char c[16];
	if (!kiosk_flow_scan_last_segment(code, c, sizeof c) || !kiosk_flow_scan_word(c, 6, 12, ""))
		return KIOSK_EPARSE;
	intent->type = KIOSK_CMD_SEND_BOOKING;
	memcpy(intent->u.booking.code, c, sizeof intent->u.booking.code);
	return KIOSK_OK;
}

static const char *const scan_places[] = {"send", NULL};

/* A carrier's name on paper, where the screen's words (assets/i18n carrier.*) cannot
 * reach: the ones the platform lists today; another is printed by its code. */
static const char *carrier_words(const char *code)
{
	static const char *const names[][2] = {{"SF", "顺丰速运 SF Express"},
					       {"JD", "京东快递 JD Logistics"},
					       {"YTO", "圆通速递 YTO Express"},
					       {"ZTO", "中通快递 ZTO Express"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(code, names[i][0]) == 0)
			return names[i][1];
	return code;
}

/* The send's receipt on paper, once it is in: the send number as digits and as the QR code
 * (the number the carrier was told), the carrier and the door. */
static int print_receipt(struct kiosk_fctx *x, const struct kiosk_request *rq,
			 struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd, (void)res;
	const struct send *s = x->session;
	if (rq->actor.kind != KIOSK_ACTOR_SESSION || s->phase != KIOSK_SEND_DONE || !s->number[0])
		return KIOSK_ESTATE;
	struct kiosk_receipt r = {0};
	char line[96];
	snprintf(r.title, sizeof r.title, "寄件凭证");
	snprintf(r.title_en, sizeof r.title_en, "Send receipt");
	snprintf(r.big, sizeof r.big, "%s", s->number);
	snprintf(line, sizeof line, "寄件号 Send number: %s", s->number);
	kiosk_receipt_add(&r, line);
	snprintf(line, sizeof line, "快递公司 Carrier: %.40s", carrier_words(s->carrier));
	kiosk_receipt_add(&r, line);
	snprintf(line, sizeof line, "柜门 Door: %.15s", s->comp);
	kiosk_receipt_add(&r, line);
	kiosk_receipt_add(&r, "快递员会来柜里揽收 The courier collects it here");
	snprintf(r.qr, sizeof r.qr, "%s", s->number);
	snprintf(r.foot, sizeof r.foot, "查询请报寄件号 Quote the number when you ask");
	return x->p->print(x, rq, KIOSK_CMD_PRINT_SEND, &r);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_SEND_CARRIERS, carriers},
	{KIOSK_CMD_SEND_START, start},
	{KIOSK_CMD_SEND_BOOKING, booking},
	{KIOSK_CMD_SEND_OPEN, open_another},
	{KIOSK_CMD_SEND_DONE, done},
	{KIOSK_CMD_SEND_CANCEL, cancel},
	{KIOSK_CMD_PRINT_SEND, print_receipt},
	{0},
};

const struct kiosk_flow kiosk_flow_send = {
	.name = "send",
	.session_size = sizeof(struct send),
	.handlers = handlers,
	.pays_for = 1u << KIOSK_PAY_FOR_SEND,
	.door_rules = door_rules,
	.on_device_outcome = on_outcome,
	.on_round = on_round,
	.on_paid = on_paid,
	.on_session_end = on_session_end,
	.help_about = help_about,
	.scan_at = scan_places,
	.on_scan = on_scan,
	.view = view,
};
