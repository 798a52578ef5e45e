/* The lock class: driver table, argument checks, one log line per operation, and a
 * fault-injection hook for tests. */
#include "hal/lock/lock.h"
#include "hal/lock/frames.h"
#include "hal/lock/sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern const struct hal_lock_driver hal_lock_kerong, hal_lock_wkly;

const struct hal_lock_driver *const hal_lock_drivers[] = {
	&hal_lock_kerong,
	&hal_lock_wkly,
	NULL,
};

struct hal_lock {
	const struct hal_lock_driver *drv;
	struct hal_serial *port;
	struct hal_lock_stats stats;
	int inject_n, inject_err;
	void *priv; /* priv_size bytes, allocated here for the driver */
	/* simulated boards (hal_lock_open_simulated): played by a thread on the pty's far side */
	struct lock_sim *sim;
	pthread_t sim_thread;
	volatile int sim_stop;
};

const struct hal_lock_driver *hal_lock_driver_find(const char *name)
{
	for (int i = 0; name && hal_lock_drivers[i]; i++)
		if (strcmp(hal_lock_drivers[i]->name, name) == 0)
			return hal_lock_drivers[i];
	return NULL;
}

int hal_lock_open(const char *driver, const char *port, struct hal_lock **out)
{
	*out = NULL;
	const struct hal_lock_driver *d = hal_lock_driver_find(driver);
	if (!d) {
		KLOG_ERROR("lock", "event=unknown_driver driver=%s", driver ? driver : "-");
		return KIOSK_ENOENT;
	}
	struct hal_lock *l = kiosk_calloc(1, sizeof *l);
	if (!l)
		return KIOSK_ENOMEM;
	l->drv = d;
	l->priv = kiosk_calloc(1, d->priv_size);
	int rc = l->priv ? hal_serial_open(port, d->baud, &l->port) : KIOSK_ENOMEM;
	if (rc == KIOSK_OK)
		rc = d->open(l->priv, l->port, &l->stats);
	if (rc) {
		hal_lock_close(l);
		return rc;
	}
	KLOG_INFO("lock", "event=open driver=%s port=%s", d->name, port);
	*out = l;
	return KIOSK_OK;
}

void hal_lock_close(struct hal_lock *l)
{
	if (!l)
		return;
	if (l->drv->close && l->port)
		l->drv->close(l->priv);
	hal_serial_close(l->port);
	if (l->sim) {
		l->sim_stop = 1;
		pthread_join(l->sim_thread, NULL);
		lock_sim_free(l->sim);
	}
	kiosk_free(l->priv);
	kiosk_free(l);
}

static void *sim_main(void *arg)
{
	struct hal_lock *l = arg;
	lock_sim_run(l->sim, &l->sim_stop);
	return NULL;
}

int hal_lock_open_simulated(const char *driver, const char *link, int boards,
			    struct hal_lock **out)
{
	*out = NULL;
	struct lock_sim *sim = NULL;
	if (!hal_lock_driver_find(driver))
		return KIOSK_ENOENT;
	int rc = lock_sim_new(driver, link, boards, 0, &sim);
	if (rc)
		return rc;
	rc = hal_lock_open(driver, link, out);
	if (rc == KIOSK_OK) {
		(*out)->sim = sim;
		if (pthread_create(&(*out)->sim_thread, NULL, sim_main, *out) == 0)
			return KIOSK_OK;
		(*out)->sim = NULL;
		hal_lock_close(*out);
		*out = NULL;
		rc = KIOSK_EIO;
	}
	lock_sim_free(sim);
	return rc;
}

int hal_lock_sim_command(struct hal_lock *l, const char *line)
{
	return l->sim ? lock_sim_command(l->sim, line) : KIOSK_ENOTSUP;
}

unsigned long hal_lock_sim_unlocks(const struct hal_lock *l)
{
	if (!l->sim)
		return 0;
	return lock_sim_frames(l->sim, KR_UNLOCK) + lock_sim_frames(l->sim, WK_OPEN);
}

const struct hal_lock_driver *hal_lock_driver_of(const struct hal_lock *l)
{
	return l->drv;
}

void hal_lock_inject(struct hal_lock *l, int n, int err)
{
	l->inject_n = n;
	l->inject_err = err;
}

static int injected(struct hal_lock *l)
{
	if (l->inject_n <= 0)
		return 0;
	l->inject_n--;
	return l->inject_err;
}

static int check(const struct hal_lock *l, int board, int lock)
{
	if (board < 0 || board >= l->drv->max_boards)
		return KIOSK_EINVAL;
	if (lock != 0 && (lock < 1 || lock > l->drv->locks_per_board))
		return KIOSK_EINVAL;
	return KIOSK_OK;
}

int hal_lock_status(struct hal_lock *l, int board, struct hal_lock_status *out)
{
	int rc = out ? check(l, board, 0) : KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = injected(l);
	if (rc == KIOSK_OK)
		rc = l->drv->status(l->priv, board, out);
	/* Debug only: a silent board fails twice a second; the locker logs when a board goes
	 * silent and when it answers again. */
	if (rc)
		KLOG_DEBUG("lock", "event=status board=%d err=%s", board, kiosk_errname(rc));
	return rc;
}

int hal_lock_unlock(struct hal_lock *l, int board, int lock)
{
	int rc = lock ? check(l, board, lock) : KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = injected(l);
	if (rc == KIOSK_OK)
		rc = l->drv->unlock(l->priv, board, lock);
	kiosk_log(rc ? KIOSK_LOG_WARN : KIOSK_LOG_INFO, "lock", "event=unlock board=%d lock=%d %s%s",
		  board, lock, rc ? "err=" : "result=", rc ? kiosk_errname(rc) : "open");
	return rc;
}

int hal_lock_unlock_all(struct hal_lock *l, int board)
{
	int rc = check(l, board, 0);
	if (rc == KIOSK_OK)
		rc = injected(l);
	if (rc == KIOSK_OK)
		rc = l->drv->unlock_all(l->priv, board);
	kiosk_log(rc ? KIOSK_LOG_WARN : KIOSK_LOG_INFO, "lock", "event=unlock_all board=%d %s%s",
		  board, rc ? "err=" : "result=", rc ? kiosk_errname(rc) : "sent");
	return rc;
}

int hal_lock_poll_event(struct hal_lock *l, struct hal_lock_event *ev, int timeout_ms)
{
	if (!ev || timeout_ms < 0)
		return KIOSK_EINVAL;
	if (!l->drv->poll_event)
		return KIOSK_ENOTSUP;
	return l->drv->poll_event(l->priv, ev, timeout_ms);
}

void hal_lock_stats(const struct hal_lock *l, struct hal_lock_stats *out)
{
	*out = l->stats;
}
