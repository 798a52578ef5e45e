#include "toy_bus.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <poll.h>
#include <string.h>
#include <unistd.h>

void *toy_device_main(void *arg)
{
	struct toy_device *d = arg;
	for (int i = 0; i < d->polls; i++) {
		int64_t t0 = kiosk_mono_us();
		if (write(d->fd, "P", 1) != 1)
			break;
		struct pollfd p = {d->fd, POLLIN, 0};
		char c;
		if (poll(&p, 1, 1000) == 1 && read(d->fd, &c, 1) == 1) {
			if (d->lat_ms)
				d->lat_ms[d->answered] = (double)(kiosk_mono_us() - t0) / 1000.0;
			d->answered++;
			if (c != 'A' && d->ngot < (int)sizeof d->got)
				d->got[d->ngot++] = c;
		}
		/* the next poll period_ms after this one began, as the board's own clock */
		struct pollfd none = {-1, 0, 0};
		int64_t left = (t0 / 1000 + d->period_ms) - kiosk_mono_ms();
		if (left > 0)
			poll(&none, 0, (int)left);
	}
	return NULL;
}

static bool toy_job(void *dev, const void *job, void *out)
{
	struct toy_dev *d = dev;
	struct toy_out *o = out;
	d->jobs_run++;
	o->kind = 'J';
	memcpy(&o->tag, job, sizeof o->tag);
	return false;
}

static void toy_expire(void *dev, const void *job, void *out)
{
	(void)dev;
	struct toy_out *o = out;
	o->kind = 'E';
	o->rc = KIOSK_EEXPIRED;
	memcpy(&o->tag, job, sizeof o->tag);
}

/* The device asked: answer with the next command the core left, or 'A'. */
static void toy_serve(void *dev, struct kiosk_bus *bus, int wait_ms)
{
	struct toy_dev *d = dev;
	struct pollfd p = {d->fd, POLLIN, 0};
	char c, cmd;
	if (poll(&p, 1, wait_ms) != 1 || read(d->fd, &c, 1) != 1 || c != 'P')
		return;
	size_t n = kiosk_bus_mail_take(bus, &cmd, 1);
	char answer = n ? cmd : 'A';
	if (write(d->fd, &answer, 1) == 1 && n) {
		struct toy_out o = {.kind = 'D', .cmd = cmd};
		kiosk_bus_post(bus, &o);
	}
}

static void toy_close(void *dev)
{
	close(((struct toy_dev *)dev)->fd);
}

const struct kiosk_bus_ops toy_bus_ops = {
	.name = "toy",
	.job_size = sizeof(int64_t),
	.outcome_size = sizeof(struct toy_out),
	.jobs = 4,
	.outcomes = 16,
	.outcomes_for_jobs = 4,
	.run_job = toy_job,
	.expire_job = toy_expire,
	.serve = toy_serve,
	.close = toy_close,
};
