#include "kiosk/bus/lock_bus.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define NJOBS 136 /* every compartment of a bank at once (open all), and some */
#define NOUTS 24
/* Rounds leave this many places for unlock outcomes, which are never dropped: a reading
 * the core has not taken yet is stale anyway, a door's outcome is not. */
#define OUTS_FOR_UNLOCKS 8

struct job {
	int64_t tag;
	int board, lock;
	int64_t deadline_ms; /* monotonic; 0 = none */
};

struct kiosk_lock_bus {
	struct hal_lock *hal; /* worker thread only, after start */
	bool used[KIOSK_LOCK_BUS_BOARDS];
	int poll_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* jobs, poll_now, stop, and places freed in outs */
	struct job jobs[NJOBS];
	unsigned jhead, jcount;
	struct kiosk_lock_outcome outs[NOUTS];
	unsigned ohead, ocount;
	int efd;
	bool stop, poll_now;
	/* the round being read (worker thread only) */
	struct kiosk_lock_outcome round;
	int next_board; /* -1: no round in progress */
	int64_t next_round_ms;
};

/* Under mu. */
static void post(struct kiosk_lock_bus *b, const struct kiosk_lock_outcome *o)
{
	b->outs[(b->ohead + b->ocount++) % NOUTS] = *o;
	uint64_t one = 1;
	ssize_t w = write(b->efd, &one, sizeof one);
	(void)w; /* fails only when the counter is full, which leaves it readable */
}

/* One unit of work: a job, or the next board of a round. Called with mu held; drops it
 * around the wire. Returns false when there was nothing to do. */
static bool work_once(struct kiosk_lock_bus *b)
{
	if (b->jcount) {
		struct job j = b->jobs[b->jhead];
		b->jhead = (b->jhead + 1) % NJOBS;
		b->jcount--;
		int rc = KIOSK_EEXPIRED;
		if (j.deadline_ms && kiosk_mono_ms() >= j.deadline_ms) {
			/* Its requester has given up: a door opening now would open for nobody
			 * (or for whoever stands there). */
			KLOG_WARN("lockbus", "event=unlock_expired board=%d lock=%d", j.board,
				  j.lock);
		} else {
			pthread_mutex_unlock(&b->mu);
			rc = hal_lock_unlock(b->hal, j.board, j.lock);
			pthread_mutex_lock(&b->mu);
			/* A round half read saw that door before this unlock: read it all
			 * again, or a stale "closed" would arrive after the "opened". */
			if (b->next_board >= 0)
				b->next_board = 0;
		}
		while (b->ocount == NOUTS && !b->stop)
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->ocount < NOUTS) {
			struct kiosk_lock_outcome o = {.kind = KIOSK_LOCK_UNLOCKED, .tag = j.tag,
						       .board = j.board, .lock = j.lock, .rc = rc};
			post(b, &o);
		}
		return true;
	}
	int64_t now = kiosk_mono_ms();
	if (b->next_board < 0 && (b->poll_now || now >= b->next_round_ms)) {
		b->poll_now = false;
		b->next_round_ms = now + b->poll_ms;
		b->round.kind = KIOSK_LOCK_ROUND;
		b->round.round++;
		b->next_board = 0;
	}
	if (b->next_board < 0)
		return false;
	while (b->next_board < KIOSK_LOCK_BUS_BOARDS && !b->used[b->next_board])
		b->next_board++;
	if (b->next_board < KIOSK_LOCK_BUS_BOARDS) {
		int board = b->next_board++;
		pthread_mutex_unlock(&b->mu);
		b->round.board_rc[board] = hal_lock_status(b->hal, board, &b->round.status[board]);
		pthread_mutex_lock(&b->mu);
		return true;
	}
	b->next_board = -1;
	if (b->ocount < NOUTS - OUTS_FOR_UNLOCKS)
		post(b, &b->round);
	return true;
}

static void *worker(void *arg)
{
	struct kiosk_lock_bus *b = arg;
	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		if (work_once(b))
			continue;
		/* Nothing due: sleep until the next round or a job. CLOCK_MONOTONIC is the
		 * condition's clock (set in start). */
		int64_t wait = b->next_round_ms - kiosk_mono_ms();
		if (wait <= 0)
			continue;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (long)(wait % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&b->cv, &b->mu, &ts);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int kiosk_lock_bus_start(struct hal_lock *hal, const bool boards_used[KIOSK_LOCK_BUS_BOARDS],
			 int poll_ms, struct kiosk_lock_bus **out)
{
	*out = NULL;
	if (!hal || poll_ms <= 0)
		return KIOSK_EINVAL;
	struct kiosk_lock_bus *b = kiosk_calloc(1, sizeof *b);
	if (!b)
		return KIOSK_ENOMEM;
	b->hal = hal;
	b->poll_ms = poll_ms;
	b->next_board = -1;
	b->next_round_ms = kiosk_mono_ms(); /* the first round at once */
	for (int i = 0; i < KIOSK_LOCK_BUS_BOARDS; i++)
		b->used[i] = boards_used[i];
	int rc = KIOSK_OK;
	b->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (b->efd < 0) {
		rc = kiosk_err_from_errno(errno);
		KLOG_ERROR("lockbus", "event=eventfd_failed errno=%d", errno);
		goto out_free;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&b->mu, NULL);
	int perr = pthread_create(&b->thread, NULL, worker, b);
	if (perr) {
		rc = kiosk_err_from_errno(perr);
		KLOG_ERROR("lockbus", "event=thread_failed errno=%d", perr);
		goto out_sync;
	}
	*out = b;
	return KIOSK_OK;
out_sync:
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	close(b->efd);
out_free:
	kiosk_free(b);
	return rc;
}

void kiosk_lock_bus_stop(struct kiosk_lock_bus *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	if (b->jcount)
		KLOG_WARN("lockbus", "event=jobs_dropped count=%u reason=stopping", b->jcount);
	b->jcount = 0;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	hal_lock_close(b->hal);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	close(b->efd);
	kiosk_free(b);
}

int kiosk_lock_bus_unlock(struct kiosk_lock_bus *b, int64_t tag, int board, int lock,
			  int64_t deadline_ms)
{
	pthread_mutex_lock(&b->mu);
	if (b->jcount == NJOBS) {
		pthread_mutex_unlock(&b->mu);
		return KIOSK_EBUSY;
	}
	b->jobs[(b->jhead + b->jcount++) % NJOBS] = (struct job){tag, board, lock, deadline_ms};
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return KIOSK_OK;
}

void kiosk_lock_bus_poll_now(struct kiosk_lock_bus *b)
{
	pthread_mutex_lock(&b->mu);
	b->poll_now = true;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

int kiosk_lock_bus_fd(const struct kiosk_lock_bus *b)
{
	return b->efd;
}

int kiosk_lock_bus_take(struct kiosk_lock_bus *b, struct kiosk_lock_outcome *out)
{
	pthread_mutex_lock(&b->mu);
	if (!b->ocount) {
		uint64_t v;
		ssize_t r = read(b->efd, &v, sizeof v);
		(void)r; /* EAGAIN: already clear */
		pthread_mutex_unlock(&b->mu);
		return 0;
	}
	*out = b->outs[b->ohead];
	b->ohead = (b->ohead + 1) % NOUTS;
	b->ocount--;
	pthread_cond_signal(&b->cv); /* a place for an unlock outcome waiting */
	pthread_mutex_unlock(&b->mu);
	return 1;
}
