/* A scan is an intent like a tap: the screen says where it takes scans (KIOSK_CMD_SCAN_AT),
 * and a scan there goes to the flow that serves that place (its scan_at), which makes it
 * the command the screen would have sent — a pickup check, a booking lookup — or text for
 * the screen's field (a badge's id, a tracking number). The result is filed under a request
 * id the session view names, so the screen follows it as its own. Anywhere else, or bytes
 * that are no code, the view says the scan was not taken, and why. The core names no
 * flow: it finds them by their places. */
#include "kiosk/core_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static void refuse(struct kiosk_core *c, const char *why)
{
	c->scan_req = 0;
	c->scan_refused = true;
	snprintf(c->scan_why_last, sizeof c->scan_why_last, "%s", why);
	KLOG_INFO("core", "event=scan_refused at=%s why=%s", c->scan_at[0] ? c->scan_at : "-",
		  why);
}

/* The flow that serves place, or -1. */
static int flow_at(const struct kiosk_core *c, const char *place)
{
	for (int f = 0; place[0] && f < c->nflows; f++)
		for (const char *const *p = c->fx[f].self->scan_at; p && *p; p++)
			if (strcmp(*p, place) == 0 && c->fx[f].self->on_scan)
				return f;
	return -1;
}

void kiosk_core_on_scan(struct kiosk_core *c, const struct kiosk_scan_outcome *o)
{
	c->scan_seq++;
	c->scan_refused = false;
	c->scan_why_last[0] = '\0';
	int f = flow_at(c, c->scan_at);
	if (o->result != SCAN_CODE)
		refuse(c, o->result == SCAN_TOO_LONG ? "too_long" : "unprintable");
	else if (f < 0)
		refuse(c, "not_here");
	if (c->scan_refused) {
		kiosk_core_publish(c);
		return;
	}
	uint32_t req;
	do
		req = atomic_fetch_add(&c->next_req, 1) + 1;
	while (req == 0);
	c->scan_req = req;
	struct kiosk_request rq = {.req = req, .actor.kind = KIOSK_ACTOR_SESSION};
	struct kiosk_cmd intent = {0};
	struct kiosk_result res = {.req = req};
	struct kiosk_fctx *x = &c->fx[f];
	int rc = x->self->on_scan(x, c->scan_at, o->code, &intent, &res);
	KLOG_INFO("core", "event=scan at=%s flow=%s taken=%s", c->scan_at, x->self->name,
		  rc ? kiosk_errname(rc) : intent.type ? "intent" : "text");
	if (rc == KIOSK_OK && intent.type) {
		intent.req = req;
		if (kiosk_core_run(c, &rq, &intent, &res) != KIOSK_FLOW_PENDING)
			kiosk_core_answer(c, &rq, &res);
	} else {
		res.rc = rc;
		res.type = KIOSK_CMD_SCAN_AT;
		kiosk_core_publish(c); /* the view's scan_req before its result */
		kiosk_core_answer(c, &rq, &res);
	}
	kiosk_cleanse(&intent, sizeof intent); /* may hold a pickup code */
	kiosk_cleanse(&res, sizeof res);
}

void kiosk_core_scan_at(struct kiosk_core *c, const struct kiosk_cmd *cmd)
{
	char place[16];
	snprintf(place, sizeof place, "%.15s", cmd->u.name.text);
	if (strcmp(place, c->scan_at) == 0)
		return;
	memcpy(c->scan_at, place, sizeof c->scan_at);
	kiosk_core_publish(c);
}

void kiosk_core_scan_view(const struct kiosk_core *c, struct kiosk_session_view *v)
{
	v->scan_seq = c->scan_seq;
	v->scan_req = c->scan_req;
	v->scan_refused = c->scan_refused;
	memcpy(v->scan_at, c->scan_at, sizeof v->scan_at);
	memcpy(v->scan_why, c->scan_why_last, sizeof v->scan_why);
}

void kiosk_core_scan_forget(struct kiosk_core *c)
{
	c->scan_at[0] = '\0';
	c->scan_req = 0;
	c->scan_refused = false;
	c->scan_why_last[0] = '\0';
}
