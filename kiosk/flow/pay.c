/* The payment service: one QR payment flow for everything that takes money (the overdue
 * fee at pickup, 寄付). The store writes the payment before the platform is asked; the QR
 * the platform returns is shown (session .pay) and asked about every 2 s; paid, the flow
 * it was for goes on by itself. A resident who leaves has the payment cancelled at the
 * platform; any payment left open — a restart, a cancel that did not get through — is
 * settled in the background: paid late for something gone, it is refunded through the
 * outbox. Nothing here waits: each step is a call answered on the loop. */
#include "kiosk/core_int.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define POLL_MS 2000
#define RECONCILE_MS 60000

/* Tags: "s:<order>" for the session's payment, "r:<order>" for one being settled. */
static void tag_of(char out[KIOSK_SYNC_TAG], char who, const char *order)
{
	snprintf(out, KIOSK_SYNC_TAG, "%c:%.40s", who, order);
}

static bool is_session(const struct kiosk_core *c, const char *order)
{
	return c->session.pay.order[0] && strcmp(order, c->session.pay.order) == 0;
}

static void arm_reconcile(struct kiosk_core *c, int64_t ms);
static void on_created(void *arg, const char *tag, long status, const char *body, size_t len);
static void on_status(void *arg, const char *tag, long status, const char *body, size_t len);

static int create(struct kiosk_core *c, const struct kiosk_payment *p, char who)
{
	char tag[KIOSK_SYNC_TAG];
	char *body = kiosk_wire_payment_request(p->order, p->amount_fen, p->description);
	if (!body)
		return KIOSK_ENOMEM;
	tag_of(tag, who, p->order);
	int rc = kiosk_sync_call(c->sync, "POST", "/v1/payments", body, tag, on_created, c);
	cJSON_free(body);
	return rc;
}

/* GET the status, or POST the cancel (whose answer is the status too). */
static int ask(struct kiosk_core *c, const char *order, const char *payment_id, bool cancel,
	       char who)
{
	char tag[KIOSK_SYNC_TAG], path[160];
	tag_of(tag, who, order);
	snprintf(path, sizeof path, "/v1/payments/%s%s", payment_id, cancel ? "/cancel" : "");
	return kiosk_sync_call(c->sync, cancel ? "POST" : "GET", path, cancel ? "{}" : NULL, tag,
			       on_status, c);
}

/* ---- the session's payment ---- */

static int64_t on_poll(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_core *c = arg;
	struct kiosk_session *s = &c->session;
	if (s->pay.phase != KIOSK_PAY_SHOWN) {
		c->pay_timer = 0;
		return -1;
	}
	if (!s->pay.asking && ask(c, s->pay.order, s->pay.payment_id, false, 's') == KIOSK_OK)
		s->pay.asking = true;
	return POLL_MS;
}

int kiosk_pay_start(struct kiosk_core *c, enum kiosk_pay_purpose purpose, const char *parcel)
{
	struct kiosk_session *s = &c->session;
	struct kiosk_payment p;
	char order[37];
	if (!c->sync)
		return KIOSK_ENOTSUP; /* no platform: nobody to pay */
	if (s->pay.phase == KIOSK_PAY_CREATING || s->pay.phase == KIOSK_PAY_SHOWN)
		return KIOSK_EBUSY;
	int rc = kiosk_payment_new(c->store, purpose, parcel, order);
	if (rc == KIOSK_OK)
		rc = kiosk_payment_get(c->store, order, &p);
	if (rc)
		return rc;
	memset(&s->pay, 0, sizeof s->pay);
	s->pay.phase = KIOSK_PAY_CREATING;
	s->pay.purpose = purpose;
	s->pay.amount_fen = p.amount_fen;
	memcpy(s->pay.order, order, sizeof order);
	snprintf(s->pay.parcel, sizeof s->pay.parcel, "%s", parcel);
	KLOG_INFO("pay", "event=create order=%s purpose=%s amount_fen=%lld", order,
		  purpose == KIOSK_PAY_FOR_FEE ? "fee" : "send", (long long)p.amount_fen);
	rc = create(c, &p, 's');
	if (rc) { /* not even asked: nothing can be paid; the payment is left */
		s->pay.phase = KIOSK_PAY_OFFLINE;
		kiosk_payment_leave(c->store, order);
	}
	return KIOSK_OK;
}

void kiosk_pay_leave(struct kiosk_core *c)
{
	struct kiosk_session *s = &c->session;
	if (s->pay.phase == KIOSK_PAY_CREATING || s->pay.phase == KIOSK_PAY_SHOWN) {
		if (kiosk_payment_leave(c->store, s->pay.order) == KIOSK_OK)
			KLOG_INFO("pay", "event=left order=%s", s->pay.order);
		arm_reconcile(c, 0); /* cancel it at the platform now */
	}
	memset(&s->pay, 0, sizeof s->pay);
}

/* The platform's word on a payment: paid, expired, cancelled or still pending. */
static void settle(struct kiosk_core *c, const char *order, const char *status, bool mine)
{
	struct kiosk_session *s = &c->session;
	if (strcmp(status, "paid") == 0) {
		bool refunded = false;
		int rc = kiosk_payment_paid(c->store, order, &refunded);
		if (rc) {
			KLOG_ERROR("pay", "event=paid_not_recorded order=%s err=%s", order,
				   kiosk_errname(rc));
			return; /* asked again: the platform keeps saying paid */
		}
		KLOG_INFO("pay", "event=paid order=%s refunded=%d", order, refunded);
		struct kiosk_payment p;
		if (!mine && !refunded && kiosk_payment_get(c->store, order, &p) == KIOSK_OK &&
		    p.purpose == KIOSK_PAY_FOR_SEND) {
			/* A 寄付 paid with nobody at the screen (a restart): nobody will put the
			 * parcel in, so the send goes and the money back. */
			int crc = kiosk_send_cancel(c->store, p.parcel);
			KLOG_INFO("pay", "event=unattended_send_cancelled order=%s rc=%s", order,
				  kiosk_errname(crc));
		}
		if (!mine)
			return;
		s->pay.phase = refunded ? KIOSK_PAY_REFUNDED : KIOSK_PAY_PAID;
		if (!refunded && s->pay.purpose == KIOSK_PAY_FOR_FEE)
			kiosk_flow_pickup_paid(c);
		else if (!refunded)
			kiosk_flow_send_paid(c);
		return;
	}
	if (strcmp(status, "pending") == 0)
		return;
	kiosk_payment_closed(c->store, order, status);
	KLOG_INFO("pay", "event=closed order=%s status=%s", order, status);
	if (mine)
		s->pay.phase = KIOSK_PAY_EXPIRED;
}

static void on_created(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_core *c = arg;
	const char *order = tag + 2;
	bool mine = tag[0] == 's' && is_session(c, order) &&
		    c->session.pay.phase == KIOSK_PAY_CREATING;
	struct kiosk_wire_payment w;
	char why[128] = "";
	int rc = status == 200 || status == 201
			 ? kiosk_wire_parse_payment(body, len, &w, why, sizeof why)
			 : KIOSK_EIO;
	if (rc == KIOSK_OK)
		rc = kiosk_payment_created(c->store, order, w.payment);
	if (tag[0] == 'r') {
		c->reconciling = false;
		if (rc == KIOSK_OK)
			arm_reconcile(c, 0); /* now it has an id: cancel or settle it */
		return;
	}
	if (rc) {
		KLOG_WARN("pay", "event=create_failed order=%s status=%ld why=\"%s\"", order, status,
			  why);
		if (mine) {
			c->session.pay.phase = status ? KIOSK_PAY_FAILED : KIOSK_PAY_OFFLINE;
			/* it may have reached the platform all the same: settled later */
			kiosk_payment_leave(c->store, order);
			arm_reconcile(c, RECONCILE_MS);
			kiosk_core_publish(c);
		}
		return;
	}
	if (!mine) { /* the resident left meanwhile: it is cancelled now it has an id */
		kiosk_payment_leave(c->store, order);
		arm_reconcile(c, 0);
		return;
	}
	struct kiosk_session *s = &c->session;
	snprintf(s->pay.payment_id, sizeof s->pay.payment_id, "%s", w.payment);
	memcpy(s->pay.qr, w.qr, sizeof s->pay.qr);
	s->pay.expires_ms = w.expires_ms;
	s->pay.phase = KIOSK_PAY_SHOWN;
	if (!c->pay_timer) {
		int id = kiosk_loop_add_timer(c->loop, POLL_MS, on_poll, c);
		c->pay_timer = id > 0 ? id : 0;
	}
	kiosk_core_publish(c);
}

static void on_status(void *arg, const char *tag, long status, const char *body, size_t len)
{
	struct kiosk_core *c = arg;
	const char *order = tag + 2;
	char st[12], why[128] = "";
	bool mine = tag[0] == 's' && is_session(c, order) && c->session.pay.phase == KIOSK_PAY_SHOWN;
	if (tag[0] == 's' && is_session(c, order))
		c->session.pay.asking = false;
	int rc = status == 200 ? kiosk_wire_parse_pay_status(body, len, st, why, sizeof why)
			       : KIOSK_EIO;
	if (tag[0] == 'r')
		c->reconciling = false;
	if (rc) {
		if (status)
			KLOG_WARN("pay", "event=status_failed order=%s status=%ld why=\"%s\"", order,
				  status, why);
		return; /* asked again at the next poll, or the next settling round */
	}
	settle(c, order, st, mine);
	if (tag[0] == 'r' && strcmp(st, "pending") != 0)
		arm_reconcile(c, 0); /* one done: the next */
	kiosk_core_publish(c);
}

/* ---- payments left open ---- */

/* One payment left open at a time: get it an id, cancel it, or take the platform's word. */
static void reconcile_one(struct kiosk_core *c)
{
	struct kiosk_payment open[8];
	int n = 0;
	if (c->reconciling || !c->sync || kiosk_payment_open(c->store, open, 8, &n) != KIOSK_OK)
		return;
	for (int i = 0; i < n; i++) {
		struct kiosk_payment *p = &open[i];
		if (is_session(c, p->order))
			continue; /* the resident is at it: the poll follows it */
		int rc;
		if (!p->payment_id[0]) /* the create's answer was lost: the same order again */
			rc = create(c, p, 'r');
		else {
			if (strcmp(p->state, "pending") == 0) /* nobody at it any more */
				kiosk_payment_leave(c->store, p->order);
			rc = ask(c, p->order, p->payment_id, true, 'r');
		}
		c->reconciling = rc == KIOSK_OK;
		return;
	}
}

static int64_t on_reconcile(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_core *c = arg;
	reconcile_one(c);
	return RECONCILE_MS;
}

static void arm_reconcile(struct kiosk_core *c, int64_t ms)
{
	if (!c->sync)
		return;
	if (c->reconcile_timer)
		kiosk_loop_del_timer(c->loop, c->reconcile_timer);
	int id = kiosk_loop_add_timer(c->loop, ms, on_reconcile, c);
	c->reconcile_timer = id > 0 ? id : 0;
}

void kiosk_pay_reconcile_start(struct kiosk_core *c)
{
	arm_reconcile(c, 1000);
}

void kiosk_pay_stop(struct kiosk_core *c)
{
	if (c->pay_timer)
		kiosk_loop_del_timer(c->loop, c->pay_timer);
	if (c->reconcile_timer)
		kiosk_loop_del_timer(c->loop, c->reconcile_timer);
	c->pay_timer = c->reconcile_timer = 0;
}

/* ---- commands ---- */

static int pay_fee(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	(void)res;
	struct kiosk_session *s = &c->session;
	if (s->pickup != KIOSK_PICKUP_FEE)
		return KIOSK_EDENIED; /* no code checked here, or nothing owed */
	return kiosk_pay_start(c, KIOSK_PAY_FOR_FEE, s->pickup_parcel);
}

static int pay_cancel(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	(void)res;
	struct kiosk_session *s = &c->session;
	if (s->pay.phase == KIOSK_PAY_NONE)
		return KIOSK_ESTATE;
	bool send = s->pay.purpose == KIOSK_PAY_FOR_SEND && s->send == KIOSK_SEND_PAYING;
	kiosk_pay_leave(c);
	/* A 寄付 given up at the QR: the send goes too, its compartment free again. */
	if (send && kiosk_send_cancel(c->store, s->send_parcel) == KIOSK_OK) {
		s->send_parcel[0] = '\0';
		s->send = KIOSK_SEND_NONE;
	}
	return KIOSK_OK;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_PAY_FEE, pay_fee},
	{KIOSK_CMD_PAY_CANCEL, pay_cancel},
	{0},
};

const struct kiosk_flow kiosk_flow_pay = {"pay", handlers};
