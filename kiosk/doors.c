/* Device operations and the requests that wait on them. A flow commits an intent and asks
 * for the door through its port; the request (a person at the screen, a kioskctl client,
 * a remote command) is answered when the bus reports the outcome, after the flow that
 * asked has heard it (on_device_outcome). Nothing here waits: the lock bus's worker does. */
#include "kiosk/core_int.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

/* How long a door request may wait for the bus. A person at the screen has moved on
 * after 8 s (and kioskctl gives up at 10 s): a door must not open after that, for nobody
 * or for whoever stands there. Opening all doors for cleaning from the screen or the
 * platform is watched to the end. */
#define DOOR_DEADLINE_MS 8000
#define OPEN_ALL_DEADLINE_MS 60000

void kiosk_core_answer(struct kiosk_core *c, const struct kiosk_request *rq,
		       const struct kiosk_result *res)
{
	if (!rq)
		return;
	if (rq->req) {
		struct kiosk_result r = *res;
		r.req = rq->req;
		pthread_mutex_lock(&c->snap_mu);
		c->results[c->nresult++ % KIOSK_CORE_NRESULTS] = r;
		pthread_mutex_unlock(&c->snap_mu);
		kiosk_cleanse(&r, sizeof r);
		if (c->notify)
			c->notify(c->notify_arg, KIOSK_NOTE_RESULT);
	}
	if (rq->ctl)
		kiosk_core_control_answer(c, rq->ctl, res);
	if (rq->remote[0])
		kiosk_command_finish(c->store, rq->remote, res->rc ? kiosk_errname(res->rc) : "ok");
}

int kiosk_core_door_ready(const struct kiosk_core *c)
{
	if (!c->locker)
		return KIOSK_ENOTSUP;
	return kiosk_locker_can_queue(c->locker) ? KIOSK_OK : KIOSK_EBUSY;
}

static int new_waiter(struct kiosk_core *c, int flow, const struct kiosk_request *rq)
{
	for (int i = 0; i < KIOSK_CORE_NWAITERS; i++) {
		struct kiosk_waiter *w = &c->waiters[i];
		if (!w->used) {
			*w = (struct kiosk_waiter){.used = true, .flow = flow};
			if (rq)
				w->rq = *rq;
			return i;
		}
	}
	return KIOSK_EBUSY;
}

static void finish_waiter(struct kiosk_core *c, int i)
{
	struct kiosk_waiter *w = &c->waiters[i];
	if (w->left > 0)
		return;
	w->res.rc = w->first_err;
	if (w->res.type == KIOSK_CMD_OPEN_ALL)
		w->res.u.opened.n = w->opened;
	kiosk_core_answer(c, &w->rq, &w->res);
	kiosk_cleanse(w, sizeof *w);
}

/* Queues a committed intent's unlock for waiter i. A frame that cannot be queued is
 * settled as unknown: the intent never stays open-ended, and nothing re-fires it. */
static int queue_door(struct kiosk_core *c, int i, const struct kiosk_door *door)
{
	const struct kiosk_waiter *w = &c->waiters[i];
	bool watched = w->res.type == KIOSK_CMD_OPEN_ALL && !w->rq.ctl;
	int64_t deadline =
		kiosk_mono_ms() + (watched ? OPEN_ALL_DEADLINE_MS : DOOR_DEADLINE_MS);
	int rc = kiosk_locker_open_door(c->locker, door, deadline);
	for (int d = 0; rc == KIOSK_OK && d < KIOSK_MAX_COMPARTMENTS; d++) {
		if (c->doors[d].op == 0) {
			c->doors[d].op = door->op;
			c->doors[d].waiter = i;
			c->waiters[i].left++;
			return KIOSK_OK;
		}
	}
	if (rc == KIOSK_OK)
		rc = KIOSK_ENOSPACE; /* cannot happen: as many places as compartments */
	KLOG_ERROR("core", "event=door_not_queued op=%lld err=%s", (long long)door->op,
		   kiosk_errname(rc));
	kiosk_door_outcome(c->store, door->op, KIOSK_DOOR_UNKNOWN, NULL);
	return rc;
}

int kiosk_core_await_door(struct kiosk_core *c, int flow, const struct kiosk_request *rq,
			  const struct kiosk_result *res, const struct kiosk_door *door)
{
	int i = new_waiter(c, flow, rq);
	if (i < 0) {
		kiosk_door_outcome(c->store, door->op, KIOSK_DOOR_UNKNOWN, NULL);
		return i;
	}
	struct kiosk_waiter *w = &c->waiters[i];
	if (res)
		w->res = *res;
	snprintf(w->res.u.door.compartment, sizeof w->res.u.door.compartment, "%.15s",
		 door->compartment);
	int rc = queue_door(c, i, door);
	if (rc) {
		kiosk_cleanse(w, sizeof *w);
		return rc;
	}
	return KIOSK_FLOW_PENDING;
}

int kiosk_core_group_begin(struct kiosk_core *c, const struct kiosk_request *rq)
{
	int i = new_waiter(c, -1, rq);
	if (i >= 0) {
		c->waiters[i].left = 1; /* held open until group_end */
		c->waiters[i].res.type = KIOSK_CMD_OPEN_ALL;
	}
	return i;
}

void kiosk_core_group_error(struct kiosk_core *c, int group, int rc)
{
	if (!c->waiters[group].first_err)
		c->waiters[group].first_err = rc;
}

int kiosk_core_group_add(struct kiosk_core *c, int group, const struct kiosk_door *door)
{
	int rc = queue_door(c, group, door);
	if (rc)
		kiosk_core_group_error(c, group, rc);
	return rc;
}

int kiosk_core_group_end(struct kiosk_core *c, int group)
{
	c->waiters[group].left--;
	finish_waiter(c, group);
	return KIOSK_FLOW_PENDING;
}

/* The place of door operation op among those out, or -1. */
static int door_slot(const struct kiosk_core *c, int64_t op)
{
	for (int d = 0; d < KIOSK_MAX_COMPARTMENTS; d++)
		if (c->doors[d].op == op)
			return d;
	return -1;
}

/* The locker recorded a door's outcome: the flow that asked follows up, the request is
 * answered. */
void kiosk_core_on_door(void *arg, const struct kiosk_door *door, int rc)
{
	struct kiosk_core *c = arg;
	int d = door_slot(c, door->op);
	if (d < 0) {
		kiosk_core_publish(c);
		return;
	}
	int i = c->doors[d].waiter;
	c->doors[d].op = 0;
	struct kiosk_waiter *w = &c->waiters[i];
	if (w->flow >= 0 && c->fx[w->flow].self->on_device_outcome)
		c->fx[w->flow].self->on_device_outcome(&c->fx[w->flow], door, rc);
	if (rc == KIOSK_OK)
		w->opened++;
	else if (!w->first_err)
		w->first_err = rc;
	w->left--;
	/* The snapshot first: the screen reading the result sees the session as the outcome
	 * left it (its note is queued before the result's). */
	kiosk_core_publish(c);
	finish_waiter(c, i);
}

const struct kiosk_door_rules *kiosk_core_door_rules(void *arg, const struct kiosk_door *door)
{
	const struct kiosk_core *c = arg;
	int d = door_slot(c, door->op);
	int f = d < 0 ? -1 : c->waiters[c->doors[d].waiter].flow;
	return f >= 0 ? c->fx[f].self->door_rules : NULL;
}

void kiosk_core_door_read(const struct kiosk_core *c, const char *comp,
			  struct kiosk_door_reading *out)
{
	memset(out, 0, sizeof *out);
	if (!c->locker)
		return;
	out->open = kiosk_locker_door_open(c->locker, comp);
	out->has_sensor = kiosk_locker_has_item_sensor(c->locker, comp);
	out->item = kiosk_locker_item(c->locker, comp);
}
