#include "kiosk/bus/scan_bus.h"
#include "kiosk/bus/bus.h"
#include "hal/scanner/scanner.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct kiosk_scan_bus {
	struct kiosk_bus *bus;
};

struct dev {
	char spec[300];
	struct scanner *s; /* NULL while not open */
	int64_t next_try;
	struct kiosk_scan_outcome got;
};

/* Opens the scanner when it is time to look again. */
static void look(struct dev *d, struct kiosk_bus *bus)
{
	if (d->s || kiosk_mono_ms() < d->next_try)
		return;
	char why[200] = "";
	int rc = scanner_open(d->spec, &d->s, why, sizeof why);
	if (rc) {
		d->next_try = kiosk_mono_ms() + KIOSK_SCAN_RETRY_MS;
		char reason[KIOSK_BUS_REASON];
		snprintf(reason, sizeof reason, "%.95s", why[0] ? why : kiosk_strerror(rc));
		kiosk_bus_set_health(bus, KIOSK_BUS_FAULT, reason);
		return;
	}
	KLOG_INFO("scanner", "event=open spec=%s", d->spec);
	kiosk_bus_set_health(bus, KIOSK_BUS_OK, "");
}

/* The worker between jobs: one read of up to wait_ms. */
static void serve(void *dev, struct kiosk_bus *bus, int wait_ms)
{
	struct dev *d = dev;
	look(d, bus);
	if (!d->s) {
		struct timespec ts = {0, (long)wait_ms * 1000000L};
		nanosleep(&ts, NULL); /* nothing to read: wait as a read would */
		return;
	}
	memset(&d->got, 0, sizeof d->got);
	int rc = scanner_read(d->s, &d->got.result, d->got.code, wait_ms);
	if (rc == KIOSK_OK) {
		if (!kiosk_bus_post(bus, &d->got))
			KLOG_WARN("scanner", "event=scan_dropped reason=\"the core has not taken the"
				  " scans before\"");
		return;
	}
	if (rc == KIOSK_ETIMEDOUT)
		return;
	KLOG_WARN("scanner", "event=gone spec=%s err=%s", d->spec, kiosk_errname(rc));
	scanner_close(d->s);
	d->s = NULL;
	d->next_try = kiosk_mono_ms() + KIOSK_SCAN_RETRY_MS / 4;
	kiosk_bus_set_health(bus, KIOSK_BUS_FAULT, "the scanner went away (unplugged?)");
}

static void close_dev(void *dev)
{
	struct dev *d = dev;
	scanner_close(d->s);
	d->s = NULL;
}

static const struct kiosk_bus_ops scan_ops = {
	.name = "scanner",
	.job_size = 1,
	.outcome_size = sizeof(struct kiosk_scan_outcome),
	.jobs = 1,
	.outcomes = 8, /* a person scans one code at a time: more waiting is a flood, dropped */
	.outcomes_for_jobs = 1,
	.run_job = kiosk_bus_no_job, /* it takes no jobs */
	.expire_job = kiosk_bus_no_expire,
	.serve = serve,
	.close = close_dev,
};

int kiosk_scan_bus_start(const char *spec, struct kiosk_scan_bus **out)
{
	*out = NULL;
	struct kiosk_scan_bus *b = kiosk_calloc(1, sizeof *b);
	struct dev *d = kiosk_calloc(1, sizeof *d);
	if (!b || !d) {
		kiosk_free(b);
		kiosk_free(d);
		return KIOSK_ENOMEM;
	}
	snprintf(d->spec, sizeof d->spec, "%s", spec);
	/* the first look before the worker starts (opening a port is quick): a scanner that
	 * is there is not said to be missing while the worker gets going */
	char why[200] = "";
	if (scanner_open(d->spec, &d->s, why, sizeof why) != KIOSK_OK) {
		d->s = NULL;
		d->next_try = kiosk_mono_ms() + KIOSK_SCAN_RETRY_MS;
	}
	int rc = kiosk_bus_start(&scan_ops, d, &b->bus);
	if (rc) {
		scanner_close(d->s);
		kiosk_free(d);
		kiosk_free(b);
		return rc;
	}
	char reason[KIOSK_BUS_REASON];
	snprintf(reason, sizeof reason, "%.95s", why);
	kiosk_bus_set_health(b->bus, d->s ? KIOSK_BUS_OK : KIOSK_BUS_FAULT, reason);
	*out = b;
	return KIOSK_OK;
}

void kiosk_scan_bus_stop(struct kiosk_scan_bus *b)
{
	if (!b)
		return;
	kiosk_bus_stop(b->bus); /* frees dev */
	kiosk_free(b);
}

int kiosk_scan_bus_fd(const struct kiosk_scan_bus *b)
{
	return kiosk_bus_fd(b->bus);
}

int kiosk_scan_bus_take(struct kiosk_scan_bus *b, struct kiosk_scan_outcome *out)
{
	return kiosk_bus_take(b->bus, out);
}

bool kiosk_scan_bus_health(struct kiosk_scan_bus *b, char *why, size_t cap)
{
	return kiosk_bus_health(b->bus, why, cap) == KIOSK_BUS_OK;
}
