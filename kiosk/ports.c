/* The ports the core hands its flows, and the generic calls of every flow's hooks. Nothing
 * here names a flow: flows are found in the table (kiosk/flow/flows.c) by what they
 * declare — the commands they serve, the payments they take or provide. */
#include "kiosk/core_int.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static struct kiosk_core *core_of(const struct kiosk_fctx *x)
{
	return x->p->core;
}

static int flow_index(const struct kiosk_fctx *x)
{
	return (int)(x - core_of(x)->fx);
}

static int door_ready(struct kiosk_fctx *x)
{
	return kiosk_core_door_ready(core_of(x));
}

static int door_open(struct kiosk_fctx *x, const struct kiosk_request *rq,
		     const struct kiosk_result *res, const struct kiosk_door *door)
{
	return kiosk_core_await_door(core_of(x), flow_index(x), rq, res, door);
}

static int group_begin(struct kiosk_fctx *x, const struct kiosk_request *rq)
{
	return kiosk_core_group_begin(core_of(x), rq);
}

static int group_add(struct kiosk_fctx *x, int group, const struct kiosk_door *door)
{
	return kiosk_core_group_add(core_of(x), group, door);
}

static void group_error(struct kiosk_fctx *x, int group, int rc)
{
	kiosk_core_group_error(core_of(x), group, rc);
}

static int group_end(struct kiosk_fctx *x, int group)
{
	return kiosk_core_group_end(core_of(x), group);
}

static void door_read(struct kiosk_fctx *x, const char *comp, struct kiosk_door_reading *out)
{
	kiosk_core_door_read(core_of(x), comp, out);
}

static int device_sim(struct kiosk_fctx *x, enum kiosk_devclass cls, const char *line)
{
	struct kiosk_core *c = core_of(x);
	if (cls == KIOSK_DEV_LOCK && c->locker)
		return kiosk_locker_sim(c->locker, line);
	if (cls == KIOSK_DEV_VEND && c->vending)
		return kiosk_vending_sim(c->vending, line);
	if (cls == KIOSK_DEV_MDB && c->mdb)
		return kiosk_mdb_sim(c->mdb, line);
	if (cls == KIOSK_DEV_SCANNER && c->scanning)
		return kiosk_scanning_sim(c->scanning, line);
	if (cls == KIOSK_DEV_PRINTER && c->printing)
		return kiosk_printing_sim(c->printing, line);
	return KIOSK_ENOTSUP;
}

static bool printer_ok(struct kiosk_fctx *x)
{
	return kiosk_core_printer_ok(core_of(x));
}

static int print(struct kiosk_fctx *x, const struct kiosk_request *rq, enum kiosk_cmd_type type,
		 const struct kiosk_receipt *r)
{
	return kiosk_core_print(core_of(x), rq, type, r);
}

static int vend_ready(struct kiosk_fctx *x, char *why, size_t cap)
{
	struct kiosk_core *c = core_of(x);
	if (!c->vending) {
		snprintf(why, cap, "%s", c->vend_why);
		return c->vend_why[0] ? KIOSK_EDEVICE : KIOSK_ENOTSUP;
	}
	return kiosk_vending_health(c->vending, why, cap) ? KIOSK_OK : KIOSK_EDEVICE;
}

enum vend_op { OP_DRIVE, OP_CHECK, OP_SELECT };

static int vend_cmd(struct kiosk_fctx *x, const char *slot, int64_t *tag, enum vend_op op)
{
	struct kiosk_core *c = core_of(x);
	int no = kiosk_vend_slot_no(slot);
	if (!c->vending)
		return KIOSK_ENOTSUP;
	if (!no)
		return KIOSK_EINVAL;
	return op == OP_DRIVE ? kiosk_vending_drive(c->vending, no, tag)
	       : op == OP_CHECK ? kiosk_vending_check(c->vending, no, tag)
				: kiosk_vending_select(c->vending, no, tag);
}

static int vend_select(struct kiosk_fctx *x, const char *slot, int64_t *tag)
{
	struct kiosk_core *c = core_of(x);
	if (!c->cfg.vend_board_pays || (c->vending && !kiosk_vending_takes_money(c->vending)))
		return KIOSK_ENOTSUP; /* no money devices on the board, or none working */
	return vend_cmd(x, slot, tag, OP_SELECT);
}

/* One MDB device ready: the card reader (cash false) or the coin changer (true). */
static int mdb_ready(struct kiosk_fctx *x, bool cash, char *why, size_t cap)
{
	struct kiosk_core *c = core_of(x);
	struct kiosk_mdb_status st;
	if (!c->mdb) {
		snprintf(why, cap, "%s", c->mdb_why);
		return c->mdb_why[0] ? KIOSK_EDEVICE : KIOSK_ENOTSUP;
	}
	kiosk_mdb_status(c->mdb, &st);
	if (cash ? st.coin_ok : st.card_ok)
		return KIOSK_OK;
	snprintf(why, cap, "%s", cash ? st.coin_why : st.card_why);
	return KIOSK_EDEVICE;
}

static int card_ready(struct kiosk_fctx *x, char *why, size_t cap)
{
	return mdb_ready(x, false, why, cap);
}

static int cash_ready(struct kiosk_fctx *x, char *why, size_t cap)
{
	return mdb_ready(x, true, why, cap);
}

static int cash_begin(struct kiosk_fctx *x, int64_t price_fen, int64_t *tag)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_cash_begin(c->mdb, price_fen, tag) : KIOSK_ENOTSUP;
}

static int cash_stop(struct kiosk_fctx *x, int64_t tag)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_cash_stop(c->mdb, tag) : KIOSK_ENOTSUP;
}

static int cash_payout(struct kiosk_fctx *x, int64_t tag, int64_t fen)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_cash_payout(c->mdb, tag, fen) : KIOSK_ENOTSUP;
}

static int card_begin(struct kiosk_fctx *x, int64_t price_fen, int item, int64_t *tag)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_card_begin(c->mdb, price_fen, item, tag) : KIOSK_ENOTSUP;
}

static int card_end(struct kiosk_fctx *x, int64_t tag, bool success)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_card_end(c->mdb, tag, success) : KIOSK_ENOTSUP;
}

static int card_cancel(struct kiosk_fctx *x, int64_t tag)
{
	struct kiosk_core *c = core_of(x);
	return c->mdb ? kiosk_card_cancel(c->mdb, tag) : KIOSK_ENOTSUP;
}

static int vend_drive(struct kiosk_fctx *x, const char *slot, int64_t *tag)
{
	return vend_cmd(x, slot, tag, OP_DRIVE);
}

static int vend_check(struct kiosk_fctx *x, const char *slot, int64_t *tag)
{
	return vend_cmd(x, slot, tag, OP_CHECK);
}

/* The flow that provides payments (the first with payment ops). */
static struct kiosk_fctx *payer(struct kiosk_core *c)
{
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->payments)
			return &c->fx[f];
	return NULL;
}

static int pay_start(struct kiosk_fctx *x, enum kiosk_pay_purpose purpose, const char *parcel)
{
	struct kiosk_fctx *py = payer(core_of(x));
	return py ? py->self->payments->start(py, purpose, parcel) : KIOSK_ENOTSUP;
}

static void pay_leave(struct kiosk_fctx *x)
{
	struct kiosk_fctx *py = payer(core_of(x));
	if (py)
		py->self->payments->leave(py);
}

static void paid(struct kiosk_fctx *x, enum kiosk_pay_purpose purpose, const char *parcel,
		 enum kiosk_paid how)
{
	struct kiosk_core *c = core_of(x);
	for (int f = 0; f < c->nflows; f++) {
		const struct kiosk_flow *fl = c->fx[f].self;
		if ((fl->pays_for & (1u << purpose)) && fl->on_paid) {
			fl->on_paid(&c->fx[f], parcel, how);
			return;
		}
	}
	KLOG_WARN("core", "event=payment_unclaimed purpose=%d", (int)purpose);
}

static void help_about(struct kiosk_fctx *x, struct kiosk_help_about *a)
{
	struct kiosk_core *c = core_of(x);
	for (int pass = 0; pass < 2; pass++) /* the flow the screen names first */
		for (int f = 0; f < c->nflows; f++) {
			const struct kiosk_flow *fl = c->fx[f].self;
			if (fl->help_about && (strcmp(fl->name, a->where) == 0) == (pass == 0))
				fl->help_about(&c->fx[f], a);
		}
}

static void publish(struct kiosk_fctx *x)
{
	kiosk_core_publish(core_of(x));
}

static void answer(struct kiosk_fctx *x, const struct kiosk_request *rq,
		   const struct kiosk_result *res)
{
	kiosk_core_answer(core_of(x), rq, res);
}

static int64_t on_timer(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	struct kiosk_flow_timer *t = arg;
	struct kiosk_core *c = t->c;
	int64_t next = t->fn(&c->fx[t->flow], id);
	if (next < 0)
		memset(t, 0, sizeof *t);
	return next;
}

static int timer_add(struct kiosk_fctx *x, int64_t ms, kiosk_flow_timer_fn fn)
{
	struct kiosk_core *c = core_of(x);
	for (int i = 0; i < KIOSK_CORE_NTIMERS; i++) {
		struct kiosk_flow_timer *t = &c->timers[i];
		if (t->id)
			continue;
		int id = kiosk_loop_add_timer(c->loop, ms, on_timer, t);
		if (id <= 0)
			return id < 0 ? id : KIOSK_ENOSPACE;
		*t = (struct kiosk_flow_timer){c, id, flow_index(x), fn};
		return id;
	}
	return KIOSK_ENOSPACE;
}

static void timer_del(struct kiosk_fctx *x, int id)
{
	struct kiosk_core *c = core_of(x);
	for (int i = 0; i < KIOSK_CORE_NTIMERS && id > 0; i++) {
		if (c->timers[i].id == id) {
			kiosk_loop_del_timer(c->loop, id);
			memset(&c->timers[i], 0, sizeof c->timers[i]);
		}
	}
}

static bool platform(struct kiosk_fctx *x)
{
	return core_of(x)->sync != NULL;
}

_Static_assert(KIOSK_FLOW_TAG == KIOSK_SYNC_TAG, "a flow's tag fits the link's");

static int platform_call(struct kiosk_fctx *x, const char *method, const char *path,
			 const char *body, const char *tag, kiosk_call_fn fn, void *arg)
{
	struct kiosk_core *c = core_of(x);
	if (!c->sync)
		return KIOSK_ENOTSUP;
	return kiosk_sync_call(c->sync, method, path, body, tag, fn, arg);
}

static void platform_now(struct kiosk_fctx *x)
{
	kiosk_sync_now(core_of(x)->sync);
}

static void platform_urgent(struct kiosk_fctx *x)
{
	kiosk_sync_urgent(core_of(x)->sync);
}

static bool platform_down(struct kiosk_fctx *x)
{
	struct kiosk_sync_status ss;
	kiosk_sync_status(core_of(x)->sync, &ss);
	return !core_of(x)->sync || (ss.link != KIOSK_LINK_ONLINE && ss.attempt > 0);
}

static int work(struct kiosk_fctx *x, void (*run)(void *arg),
		void (*done)(void *arg, bool cancelled), void *arg)
{
	return kiosk_work_submit(core_of(x)->work, run, done, arg);
}

static int64_t business_ms(struct kiosk_fctx *x)
{
	return kiosk_core_business_ms(core_of(x));
}

static int64_t wall_ms(struct kiosk_fctx *x)
{
	(void)x;
	return kiosk_core_store_ms();
}

static int clock_skew(struct kiosk_fctx *x, int64_t ms)
{
	struct kiosk_core *c = core_of(x);
	if (!c->test_clock)
		return KIOSK_EDENIED;
	c->skew_ms += ms;
	atomic_store(&kiosk_core_test_skew_ms, c->skew_ms);
	return KIOSK_OK;
}

/* One flow: its context and state, and its handlers in the dispatch table. */
static int add_flow(struct kiosk_core *c, const struct kiosk_flow *f, char *why, size_t why_len)
{
	if (c->nflows == KIOSK_CORE_NFLOWS) {
		snprintf(why, why_len, "flow %s: more than %d flows", f->name, KIOSK_CORE_NFLOWS);
		return KIOSK_ENOSPACE;
	}
	struct kiosk_fctx *x = &c->fx[c->nflows];
	x->p = &c->ports;
	x->self = f;
	x->session = f->session_size ? kiosk_calloc(1, f->session_size) : NULL;
	x->keep = f->keep_size ? kiosk_calloc(1, f->keep_size) : NULL;
	if ((f->session_size && !x->session) || (f->keep_size && !x->keep))
		return KIOSK_ENOMEM; /* the caller frees what was made */
	for (const struct kiosk_cmd_handler *h = f->handlers; h && h->run; h++) {
		if ((unsigned)h->type >= KIOSK_CMD_TYPE_COUNT || c->handler_of[h->type]) {
			snprintf(why, why_len, "flow %s: command %d %s", f->name, (int)h->type,
				 (unsigned)h->type >= KIOSK_CMD_TYPE_COUNT ? "does not exist"
									  : "has a handler already");
			return KIOSK_EINVAL; /* one handler per command */
		}
		c->handler_of[h->type] = h;
		c->flow_of[h->type] = c->nflows;
	}
	c->nflows++;
	return KIOSK_OK;
}

int kiosk_core_ports_init(struct kiosk_core *c, char *why, size_t why_len)
{
	c->ports = (struct kiosk_ports){
		.store = c->store, /* set again once the store is open */
		.cfg = &c->cfg, .auth = &c->auth,
		.test_clock = c->test_clock, .test_code = c->test_clock ? c->test_code : NULL,
		.core = c,
		.door_ready = door_ready, .door_open = door_open, .group_begin = group_begin,
		.group_add = group_add, .group_error = group_error, .group_end = group_end,
		.door_read = door_read, .device_sim = device_sim,
		.vend_ready = vend_ready, .vend_drive = vend_drive, .vend_check = vend_check,
		.vend_select = vend_select,
		.card_ready = card_ready, .card_begin = card_begin, .card_end = card_end,
		.card_cancel = card_cancel, .cash_ready = cash_ready, .cash_begin = cash_begin,
		.cash_stop = cash_stop, .cash_payout = cash_payout,
		.printer_ok = printer_ok, .print = print,
		.pay_start = pay_start, .pay_leave = pay_leave, .paid = paid,
		.publish = publish, .answer = answer,
		.timer_add = timer_add, .timer_del = timer_del,
		.platform = platform, .platform_call = platform_call, .platform_now = platform_now,
		.platform_urgent = platform_urgent, .help_about = help_about, .platform_down = platform_down,
		.work = work,
		.business_ms = business_ms, .wall_ms = wall_ms, .clock_skew = clock_skew,
	};
	for (int t = 0; t < KIOSK_CMD_TYPE_COUNT; t++)
		c->flow_of[t] = -1;
	const struct kiosk_flow *const *tables[] = {kiosk_flows, c->extra_flows};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct kiosk_flow *const *f = tables[t]; f && *f; f++) {
			int rc = add_flow(c, *f, why, why_len);
			if (rc)
				return rc;
		}
	return KIOSK_OK;
}

void kiosk_core_ports_free(struct kiosk_core *c)
{
	for (int f = 0; f < KIOSK_CORE_NFLOWS; f++) {
		struct kiosk_fctx *x = &c->fx[f];
		if (x->session && x->self)
			kiosk_cleanse(x->session, x->self->session_size);
		kiosk_free(x->session);
		kiosk_free(x->keep);
		x->session = x->keep = NULL;
	}
	c->nflows = 0;
}

void kiosk_core_flows_start(struct kiosk_core *c)
{
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_start)
			c->fx[f].self->on_start(&c->fx[f]);
}

void kiosk_core_flows_stop(struct kiosk_core *c)
{
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_stop)
			c->fx[f].self->on_stop(&c->fx[f]);
	for (int i = 0; i < KIOSK_CORE_NTIMERS; i++)
		if (c->timers[i].id)
			kiosk_loop_del_timer(c->loop, c->timers[i].id);
	memset(c->timers, 0, sizeof c->timers);
}

void kiosk_core_flows_round(struct kiosk_core *c)
{
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_round)
			c->fx[f].self->on_round(&c->fx[f]);
}

void kiosk_core_flows_session_end(struct kiosk_core *c)
{
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->on_session_end)
			c->fx[f].self->on_session_end(&c->fx[f]);
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].session)
			kiosk_cleanse(c->fx[f].session, c->fx[f].self->session_size);
	unsigned n = c->auth.session;
	kiosk_cleanse(&c->auth, sizeof c->auth);
	c->auth.session = n + 1;
	kiosk_core_scan_forget(c);
}

void kiosk_core_flows_view(struct kiosk_core *c, struct kiosk_session_view *v)
{
	memset(v, 0, sizeof *v);
	for (int f = 0; f < c->nflows; f++)
		if (c->fx[f].self->view)
			c->fx[f].self->view(&c->fx[f], v);
	kiosk_core_scan_view(c, v);
}

/* FNV-1a over every flow's session state and the auth. */
uint64_t kiosk_core_flows_digest(const struct kiosk_core *c)
{
	uint64_t h = 1469598103934665603ull;
	for (int f = 0; f < c->nflows; f++) {
		const unsigned char *b = c->fx[f].session;
		for (size_t i = 0; b && i < c->fx[f].self->session_size; i++)
			h = (h ^ b[i]) * 1099511628211ull;
	}
	const unsigned char *a = (const unsigned char *)&c->auth;
	for (size_t i = 0; i < sizeof c->auth; i++)
		h = (h ^ a[i]) * 1099511628211ull;
	return h;
}
