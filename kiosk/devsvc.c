#include "kiosk/devsvc.h"
#include "hal/base/error.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

#define HEALTH_MS 500

void kiosk_devsvc_init(struct kiosk_devsvc *d, struct kiosk_loop *loop)
{
	memset(d, 0, sizeof *d);
	d->loop = loop;
	d->fd = -1;
	atomic_init(&d->sim_stop, false);
}

static void *sim_main(void *arg)
{
	struct kiosk_devsvc *d = arg;
	struct pollfd p = {.fd = d->sim_fd, .events = POLLIN};
	while (!atomic_load(&d->sim_stop)) {
		(void)poll(&p, 1, 10);
		d->sim_step(d->sim);
	}
	return NULL;
}

int kiosk_devsvc_sim_start(struct kiosk_devsvc *d, void *sim, int sim_fd,
			   void (*step)(void *sim))
{
	d->sim = sim;
	d->sim_fd = sim_fd;
	d->sim_step = step;
	atomic_store(&d->sim_stop, false);
	if (pthread_create(&d->sim_thread, NULL, sim_main, d) != 0)
		return KIOSK_ENOMEM;
	d->sim_running = true;
	return KIOSK_OK;
}

void kiosk_devsvc_check(struct kiosk_devsvc *d)
{
	char why[96] = "";
	bool ok = d->health(d->owner, why, sizeof why);
	unsigned devs = d->devices ? d->devices(d->owner) : 0;
	if (ok == d->healthy && devs == d->devices_were && (ok || !strcmp(why, d->why_was)))
		return;
	d->healthy = ok;
	d->devices_were = devs;
	snprintf(d->why_was, sizeof d->why_was, "%s", ok ? "" : why);
	if (d->on_health)
		d->on_health(d->owner, ok, why);
}

static void on_fd(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)fd;
	(void)revents;
	struct kiosk_devsvc *d = arg;
	kiosk_devsvc_check(d);
	d->on_outcomes(d->owner);
}

static int64_t on_timer(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	kiosk_devsvc_check(arg);
	return HEALTH_MS;
}

int kiosk_devsvc_watch(struct kiosk_devsvc *d, int fd)
{
	int rc = kiosk_loop_add_fd(d->loop, fd, POLLIN, on_fd, d);
	if (rc)
		return rc;
	d->fd = fd;
	int t = kiosk_loop_add_timer(d->loop, HEALTH_MS, on_timer, d);
	if (t < 0)
		return t;
	d->timer = t;
	return KIOSK_OK;
}

void kiosk_devsvc_unwatch(struct kiosk_devsvc *d)
{
	if (d->timer > 0)
		kiosk_loop_del_timer(d->loop, d->timer);
	if (d->fd >= 0)
		kiosk_loop_del_fd(d->loop, d->fd);
	d->timer = 0;
	d->fd = -1;
}

void kiosk_devsvc_sim_stop(struct kiosk_devsvc *d)
{
	if (!d->sim_running)
		return;
	atomic_store(&d->sim_stop, true);
	pthread_join(d->sim_thread, NULL);
	d->sim_running = false;
}
