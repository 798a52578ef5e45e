/* The payment flow: one QR payment for everything that takes money (the overdue fee at
 * pickup, 寄付 …), offered to the other flows through the payment ports. The store writes
 * the payment before the platform is asked; the QR the platform returns is shown (session
 * .pay) and asked about every 2 s; how it ends goes to the flow that takes money for its
 * purpose (its on_paid), which goes on by itself. A resident who leaves has the payment
 * cancelled at the platform; any payment left open — a restart, a cancel that did not get
 * through — is settled in the background: paid late for something gone, it is refunded
 * through the outbox. Nothing here waits: each step is a call answered on the loop. */
#include "kiosk/flow/flow.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* This session's payment. */
struct pay {
	enum kiosk_pay_phase phase;
	enum kiosk_pay_purpose purpose;
	char order[37], parcel[37], payment_id[96], qr[512];
	int64_t amount_fen, expires_ms;
	bool asking; /* a status request is out */
};

/* For the life of the core. */
struct pay_keep {
	int poll_timer;      /* the 2 s poll of the session's payment, 0 = none */
	int reconcile_timer; /* payments left open (a restart, a resident gone) */
	bool reconciling;    /* a reconcile request is out */
};

#define POLL_MS 2000
#define RECONCILE_MS 60000

#define S(x) ((struct pay *)(x)->session)
#define K(x) ((struct pay_keep *)(x)->keep)

/* Tags: "s:<order>" for the session's payment, "r:<order>" for one being settled. */
static void tag_of(char out[KIOSK_FLOW_TAG], char who, const char *order)
{
	snprintf(out, KIOSK_FLOW_TAG, "%c:%.40s", who, order);
}

static bool is_session(const struct kiosk_fctx *x, const char *order)
{
	return S(x)->order[0] && strcmp(order, S(x)->order) == 0;
}

static void arm_reconcile(struct kiosk_fctx *x, int64_t ms);
static void on_created(void *arg, const char *tag, long status, const char *body, size_t len);
static void on_status(void *arg, const char *tag, long status, const char *body, size_t len);

static int create(struct kiosk_fctx *x, const struct kiosk_payment *p, char who)
{
	char tag[KIOSK_FLOW_TAG];
	char *body = kiosk_wire_payment_request(p->order, p->amount_fen, p->description);
	if (!body)
		return KIOSK_ENOMEM;
	tag_of(tag, who, p->order);
	int rc = x->p->platform_call(x, "POST", "/v1/payments", body, tag, on_created, x);
	cJSON_free(body);
	return rc;
}

/* GET the status, or POST the cancel (whose answer is the status too). */
static int ask(struct kiosk_fctx *x, const char *order, const char *payment_id, bool cancel,
	       char who)
{
	char tag[KIOSK_FLOW_TAG], path[160];
	tag_of(tag, who, order);
	snprintf(path, sizeof path, "/v1/payments/%s%s", payment_id, cancel ? "/cancel" : "");
	return x->p->platform_call(x, cancel ? "POST" : "GET", path, cancel ? "{}" : NULL, tag,
			       on_status, x);
}

/* ---- the session's payment ---- */

static int64_t on_poll(struct kiosk_fctx *x, int id)
{
	(void)id;
	struct pay *s = S(x);
	if (s->phase != KIOSK_PAY_SHOWN) {
		K(x)->poll_timer = 0;
		return -1;
	}
	if (!s->asking && ask(x, s->order, s->payment_id, false, 's') == KIOSK_OK)
		s->asking = true;
	return POLL_MS;
}

static int start(struct kiosk_fctx *x, enum kiosk_pay_purpose purpose, const char *parcel)
{
	struct pay *s = S(x);
	struct kiosk_payment p;
	char order[37];
	if (!x->p->platform(x))
		return KIOSK_ENOTSUP; /* no platform: nobody to pay */
	if (s->phase == KIOSK_PAY_CREATING || s->phase == KIOSK_PAY_SHOWN)
		return KIOSK_EBUSY;
	int rc = kiosk_payment_new(x->p->store, purpose, parcel, order);
	if (rc == KIOSK_OK)
		rc = kiosk_payment_get(x->p->store, order, &p);
	if (rc)
		return rc;
	memset(s, 0, sizeof *s);
	s->phase = KIOSK_PAY_CREATING;
	s->purpose = purpose;
	s->amount_fen = p.amount_fen;
	memcpy(s->order, order, sizeof order);
	snprintf(s->parcel, sizeof s->parcel, "%s", parcel);
	KLOG_INFO("pay", "event=create order=%s purpose=%s amount_fen=%lld", order,
		  kiosk_pay_purpose_name(purpose), (long long)p.amount_fen);
	rc = create(x, &p, 's');
	if (rc) { /* not even asked: nothing can be paid; the payment is left */
		s->phase = KIOSK_PAY_OFFLINE;
		kiosk_payment_leave(x->p->store, order);
	}
	return KIOSK_OK;
}

static void leave(struct kiosk_fctx *x)
{
	struct pay *s = S(x);
	if (s->phase == KIOSK_PAY_CREATING || s->phase == KIOSK_PAY_SHOWN) {
		if (kiosk_payment_leave(x->p->store, s->order) == KIOSK_OK)
			KLOG_INFO("pay", "event=left order=%s", s->order);
		arm_reconcile(x, 0); /* cancel it at the platform now */
	}
	memset(s, 0, sizeof *s);
}

/* The platform's word on a payment: paid, expired, cancelled or still pending. */
static void settle(struct kiosk_fctx *x, const char *order, const char *status, bool mine)
{
	struct pay *s = S(x);
	if (strcmp(status, "paid") == 0) {
		bool refunded = false;
		int rc = kiosk_payment_paid(x->p->store, order, &refunded);
		if (rc) {
			KLOG_ERROR("pay", "event=paid_not_recorded order=%s err=%s", order,
				   kiosk_errname(rc));
			return; /* asked again: the platform keeps saying paid */
		}
		KLOG_INFO("pay", "event=paid order=%s refunded=%d", order, refunded);
		struct kiosk_payment p;
		if (!mine && !refunded && kiosk_payment_get(x->p->store, order, &p) == KIOSK_OK)
			/* Paid with nobody at the screen (a restart): what it was for is
			 * undone by its flow, which gives the money back where it must. */
			x->p->paid(x, p.purpose, p.parcel, KIOSK_PAID_UNATTENDED);
		if (!mine)
			return;
		s->phase = refunded ? KIOSK_PAY_REFUNDED : KIOSK_PAY_PAID;
		x->p->paid(x, s->purpose, s->parcel, refunded ? KIOSK_PAID_REFUNDED : KIOSK_PAID);
		return;
	}
	if (strcmp(status, "pending") == 0)
		return;
	kiosk_payment_closed(x->p->store, order, status);
	KLOG_INFO("pay", "event=closed order=%s status=%s", order, status);
	if (mine)
		s->phase = KIOSK_PAY_EXPIRED;
}

static void on_created(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_fctx *x = arg;
	const char *order = tag + 2;
	bool mine = tag[0] == 's' && is_session(x, order) &&
		    S(x)->phase == KIOSK_PAY_CREATING;
	struct kiosk_wire_payment w;
	char why[128] = "";
	int rc = status == 200 || status == 201
			 ? kiosk_wire_parse_payment(body, len, &w, why, sizeof why)
			 : KIOSK_EIO;
	if (rc == KIOSK_OK)
		rc = kiosk_payment_created(x->p->store, order, w.payment);
	if (tag[0] == 'r') {
		K(x)->reconciling = false;
		if (rc == KIOSK_OK)
			arm_reconcile(x, 0); /* now it has an id: cancel or settle it */
		return;
	}
	if (rc) {
		KLOG_WARN("pay", "event=create_failed order=%s status=%ld why=\"%s\"", order, status,
			  why);
		if (mine) {
			S(x)->phase = status ? KIOSK_PAY_FAILED : KIOSK_PAY_OFFLINE;
			/* it may have reached the platform all the same: settled later */
			kiosk_payment_leave(x->p->store, order);
			arm_reconcile(x, RECONCILE_MS);
			x->p->publish(x);
		}
		return;
	}
	if (!mine) { /* the resident left meanwhile: it is cancelled now it has an id */
		kiosk_payment_leave(x->p->store, order);
		arm_reconcile(x, 0);
		return;
	}
	struct pay *s = S(x);
	snprintf(s->payment_id, sizeof s->payment_id, "%s", w.payment);
	memcpy(s->qr, w.qr, sizeof s->qr);
	s->expires_ms = w.expires_ms;
	s->phase = KIOSK_PAY_SHOWN;
	if (!K(x)->poll_timer) {
		int id = x->p->timer_add(x, POLL_MS, on_poll);
		K(x)->poll_timer = id > 0 ? id : 0;
	}
	x->p->publish(x);
}

static void on_status(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_fctx *x = arg;
	const char *order = tag + 2;
	char st[12], why[128] = "";
	bool mine = tag[0] == 's' && is_session(x, order) && S(x)->phase == KIOSK_PAY_SHOWN;
	if (tag[0] == 's' && is_session(x, order))
		S(x)->asking = false;
	int rc = status == 200 ? kiosk_wire_parse_pay_status(body, len, st, why, sizeof why)
			       : KIOSK_EIO;
	if (tag[0] == 'r')
		K(x)->reconciling = false;
	if (rc) {
		if (status)
			KLOG_WARN("pay", "event=status_failed order=%s status=%ld why=\"%s\"", order,
				  status, why);
		return; /* asked again at the next poll, or the next settling round */
	}
	settle(x, order, st, mine);
	if (tag[0] == 'r' && strcmp(st, "pending") != 0)
		arm_reconcile(x, 0); /* one done: the next */
	x->p->publish(x);
}

/* ---- payments left open ---- */

/* One payment left open at a time: get it an id, cancel it, or take the platform's word. */
static void reconcile_one(struct kiosk_fctx *x)
{
	struct kiosk_payment open[8];
	int n = 0;
	if (K(x)->reconciling || !x->p->platform(x) || kiosk_payment_open(x->p->store, open, 8, &n) != KIOSK_OK)
		return;
	for (int i = 0; i < n; i++) {
		struct kiosk_payment *p = &open[i];
		if (is_session(x, p->order))
			continue; /* the resident is at it: the poll follows it */
		int rc;
		if (!p->payment_id[0]) /* the create's answer was lost: the same order again */
			rc = create(x, p, 'r');
		else {
			if (strcmp(p->state, "pending") == 0) /* nobody at it any more */
				kiosk_payment_leave(x->p->store, p->order);
			rc = ask(x, p->order, p->payment_id, true, 'r');
		}
		K(x)->reconciling = rc == KIOSK_OK;
		return;
	}
}

static int64_t on_reconcile(struct kiosk_fctx *x, int id)
{
	(void)id;
	reconcile_one(x);
	return RECONCILE_MS;
}

static void arm_reconcile(struct kiosk_fctx *x, int64_t ms)
{
	if (!x->p->platform(x))
		return;
	if (K(x)->reconcile_timer)
		x->p->timer_del(x, K(x)->reconcile_timer);
	int id = x->p->timer_add(x, ms, on_reconcile);
	K(x)->reconcile_timer = id > 0 ? id : 0;
}

/* At start: payments a restart left open are settled (then every minute). The core drops
 * every flow timer when it stops. */
static void on_start(struct kiosk_fctx *x)
{
	arm_reconcile(x, 1000);
}

/* ---- commands ---- */

/* The resident gives up this session's QR: cancelled at the platform, and the flow it was
 * for hears it (a 寄付 given up lets its send go). */
static int cancel(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		  struct kiosk_result *res)
{
	(void)cmd;
	(void)res;
	struct pay *s = S(x);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (s->phase == KIOSK_PAY_NONE)
		return KIOSK_ESTATE;
	enum kiosk_pay_purpose purpose = s->purpose;
	char parcel[37];
	memcpy(parcel, s->parcel, sizeof parcel);
	leave(x);
	x->p->paid(x, purpose, parcel, KIOSK_PAID_GIVEN_UP);
	return KIOSK_OK;
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	const struct pay *s = S(x);
	v->pay = s->phase;
	v->pay_amount_fen = s->amount_fen;
	v->pay_expires_ms = s->expires_ms;
	memcpy(v->pay_qr, s->qr, sizeof v->pay_qr);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_PAY_CANCEL, cancel},
	{0},
};

static const struct kiosk_pay_ops payments = {.start = start, .leave = leave};

const struct kiosk_flow kiosk_flow_pay = {
	.name = "pay",
	.session_size = sizeof(struct pay),
	.keep_size = sizeof(struct pay_keep),
	.handlers = handlers,
	.payments = &payments,
	.on_start = on_start,
	/* the person left: a QR left on the screen is cancelled at the platform */
	.on_session_end = leave,
	.view = view,
};
