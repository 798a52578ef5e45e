#include "kiosk/bus/print_bus.h"
#include "kiosk/bus/bus.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

struct kiosk_print_bus {
	struct kiosk_bus *bus;
	struct dev *dev; /* the worker's; only its state is read here */
};

struct dev {
	char spec[300];
	struct printer *p; /* NULL while not open */
	atomic_int state;  /* enum printer_state, as last asked (read by the core) */
};

/* A job as it waits in the queue: the bytes are the job's, freed when it ran or expired. */
struct job {
	int64_t id;
	uint8_t *bytes;
	size_t n;
};

static const char *said(enum printer_state s)
{
	switch (s) {
	case PRINTER_PAPER_OUT: return "out of paper";
	case PRINTER_ERROR: return "printer error (cover open, cutter or head)";
	case PRINTER_OFFLINE: return "printer offline";
	default: return "";
	}
}

/* Opens when needed and asks the state; sets the bus's health from it. */
static enum printer_state ask(struct dev *d, struct kiosk_bus *bus, char *why, size_t cap)
{
	char w[200] = "";
	if (!d->p) {
		int rc = printer_open(d->spec, 2000, &d->p, w, sizeof w);
		if (rc) {
			d->p = NULL;
			snprintf(why, cap, "%s", w[0] ? w : kiosk_strerror(rc));
			atomic_store(&d->state, (int)PRINTER_OFFLINE);
			if (bus)
				kiosk_bus_set_health(bus, KIOSK_BUS_FAULT, why);
			return PRINTER_OFFLINE;
		}
		KLOG_INFO("printer", "event=open spec=%s", d->spec);
	}
	enum printer_state st;
	if (printer_status(d->p, &st, 2000) != KIOSK_OK) {
		printer_close(d->p); /* gone: opened again next time */
		d->p = NULL;
		snprintf(why, cap, "the printer does not answer (switched off or unplugged?)");
	} else {
		snprintf(why, cap, "%s", said(st));
	}
	atomic_store(&d->state, (int)st);
	if (bus)
		kiosk_bus_set_health(bus, st == PRINTER_OK || st == PRINTER_UNKNOWN ? KIOSK_BUS_OK
										: KIOSK_BUS_FAULT,
				     why);
	return st;
}

static struct kiosk_bus *the_bus(void *dev); /* set at start: the worker's own bus */

static bool run_job(void *dev, const void *job, void *out)
{
	struct dev *d = dev;
	const struct job *j = job;
	struct kiosk_print_outcome *o = out;
	o->kind = KIOSK_PRINT_DONE;
	o->job = j->id;
	o->state = ask(d, the_bus(dev), o->why, sizeof o->why);
	if (o->state != PRINTER_OK && o->state != PRINTER_UNKNOWN) {
		o->rc = o->state == PRINTER_OFFLINE ? KIOSK_EIO : KIOSK_EDEVICE;
	} else {
		o->rc = printer_write(d->p, j->bytes, j->n, KIOSK_PRINT_JOB_MS);
		if (o->rc) {
			KLOG_WARN("printer", "event=job_failed job=%lld err=%s", (long long)j->id,
				  kiosk_errname(o->rc));
			printer_close(d->p); /* a job cut short: start clean */
			d->p = NULL;
			o->state = ask(d, the_bus(dev), o->why, sizeof o->why);
		}
	}
	kiosk_free(j->bytes);
	return false;
}

static void expire_job(void *dev, const void *job, void *out)
{
	(void)dev;
	const struct job *j = job;
	struct kiosk_print_outcome *o = out;
	o->kind = KIOSK_PRINT_DONE;
	o->job = j->id;
	o->rc = KIOSK_EEXPIRED;
	kiosk_free(j->bytes);
}

static bool round_step(void *dev, void *round, bool first)
{
	(void)first;
	struct kiosk_print_outcome *o = round;
	o->kind = KIOSK_PRINT_STATE;
	o->state = ask(dev, the_bus(dev), o->why, sizeof o->why);
	return true;
}

static void close_dev(void *dev)
{
	struct dev *d = dev;
	printer_close(d->p);
	d->p = NULL;
}

static const struct kiosk_bus_ops print_ops = {
	.name = "printer",
	.job_size = sizeof(struct job),
	.outcome_size = sizeof(struct kiosk_print_outcome),
	.jobs = 2,
	.outcomes = 8,
	.outcomes_for_jobs = 2,
	.poll_ms = KIOSK_PRINT_STATUS_MS,
	.run_job = run_job,
	.expire_job = expire_job,
	.round_step = round_step,
	.close = close_dev,
};

/* The worker needs its bus to set health from a job; dev is allocated with room for it. */
struct dev_with_bus {
	struct dev d;
	struct kiosk_bus *_Atomic bus; /* set just after the worker started: NULL until then */
};

static struct kiosk_bus *the_bus(void *dev)
{
	return atomic_load(&((struct dev_with_bus *)dev)->bus);
}

int kiosk_print_bus_start(const char *spec, struct kiosk_print_bus **out)
{
	*out = NULL;
	struct kiosk_print_bus *b = kiosk_calloc(1, sizeof *b);
	struct dev_with_bus *d = kiosk_calloc(1, sizeof *d);
	if (!b || !d) {
		kiosk_free(b);
		kiosk_free(d);
		return KIOSK_ENOMEM;
	}
	snprintf(d->d.spec, sizeof d->d.spec, "%s", spec);
	atomic_init(&d->d.state, (int)PRINTER_OFFLINE);
	b->dev = &d->d;
	int rc = kiosk_bus_start(&print_ops, d, &b->bus);
	if (rc) {
		kiosk_free(d);
		kiosk_free(b);
		return rc;
	}
	atomic_store(&d->bus, b->bus);
	kiosk_bus_set_health(b->bus, KIOSK_BUS_ABSENT, "looking for the printer");
	*out = b;
	return KIOSK_OK;
}

void kiosk_print_bus_stop(struct kiosk_print_bus *b)
{
	if (!b)
		return;
	kiosk_bus_stop(b->bus); /* frees dev; jobs not sent are dropped */
	kiosk_free(b);
}

int kiosk_print_bus_submit(struct kiosk_print_bus *b, int64_t job, const uint8_t *bytes,
			   size_t n)
{
	struct job j = {job, kiosk_malloc(n ? n : 1), n};
	if (!j.bytes)
		return KIOSK_ENOMEM;
	memcpy(j.bytes, bytes, n);
	int rc = kiosk_bus_submit(b->bus, &j, 0);
	if (rc)
		kiosk_free(j.bytes);
	return rc;
}

int kiosk_print_bus_fd(const struct kiosk_print_bus *b)
{
	return kiosk_bus_fd(b->bus);
}

int kiosk_print_bus_take(struct kiosk_print_bus *b, struct kiosk_print_outcome *out)
{
	return kiosk_bus_take(b->bus, out);
}

bool kiosk_print_bus_health(struct kiosk_print_bus *b, char *why, size_t cap)
{
	return kiosk_bus_health(b->bus, why, cap) == KIOSK_BUS_OK;
}

enum printer_state kiosk_print_bus_state(struct kiosk_print_bus *b)
{
	return (enum printer_state)atomic_load(&b->dev->state);
}

void kiosk_print_bus_poll_now(struct kiosk_print_bus *b)
{
	kiosk_bus_poll_now(b->bus);
}

bool kiosk_print_bus_known(struct kiosk_print_bus *b)
{
	char why[KIOSK_BUS_REASON];
	return kiosk_bus_health(b->bus, why, sizeof why) != KIOSK_BUS_ABSENT;
}
