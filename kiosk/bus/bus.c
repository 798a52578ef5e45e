#include "kiosk/bus/bus.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define NMAIL 16
/* A serving bus looks at its device at least this often, so a job or a stop never waits
 * longer than this for it. */
#define SERVE_SLICE_MS 20

struct job_slot {
	int64_t deadline_ms; /* monotonic; 0 = none */
	unsigned char job[KIOSK_BUS_JOB_MAX];
};

struct mail {
	size_t len;
	unsigned char msg[KIOSK_BUS_MAIL_MAX];
};

struct kiosk_bus {
	const struct kiosk_bus_ops *ops;
	void *dev; /* worker thread only, after start */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* jobs, poll_now, stop, and places freed in outs */
	struct job_slot *jobs;
	int jhead, jcount;
	unsigned char *outs; /* ops->outcomes × outcome_size */
	int ohead, ocount;
	struct mail mail[NMAIL];
	int mhead, mcount;
	int efd;
	bool stop, poll_now;
	enum kiosk_bus_health health;
	char reason[KIOSK_BUS_REASON];
	/* the round being read (worker thread only) */
	unsigned char *round;
	bool in_round, restart_round;
	int64_t next_round_ms;
};

/* Under mu. */
static void post_locked(struct kiosk_bus *b, const void *o)
{
	size_t sz = b->ops->outcome_size;
	memcpy(b->outs + (size_t)((b->ohead + b->ocount++) % b->ops->outcomes) * sz, o, sz);
	uint64_t one = 1;
	ssize_t w = write(b->efd, &one, sizeof one);
	(void)w; /* fails only when the counter is full, which leaves it readable */
}

/* A job: run (or expired), its outcome posted — waiting for a place rather than dropping
 * it. Called with mu held; drops it around the wire. */
static void do_job(struct kiosk_bus *b, unsigned char *scratch)
{
	struct job_slot j = b->jobs[b->jhead];
	b->jhead = (b->jhead + 1) % b->ops->jobs;
	b->jcount--;
	memset(scratch, 0, b->ops->outcome_size);
	if (j.deadline_ms && kiosk_mono_ms() >= j.deadline_ms) {
		KLOG_WARN("bus", "event=job_expired bus=%s", b->ops->name);
		b->ops->expire_job(b->dev, j.job, scratch);
	} else {
		pthread_mutex_unlock(&b->mu);
		bool again = b->ops->run_job(b->dev, j.job, scratch);
		pthread_mutex_lock(&b->mu);
		/* A round half read saw the device before this job: read it all again, or a
		 * stale reading would arrive after the job's outcome. */
		if (again && b->in_round)
			b->restart_round = true;
	}
	while (b->ocount == b->ops->outcomes && !b->stop)
		pthread_cond_wait(&b->cv, &b->mu);
	if (b->ocount < b->ops->outcomes)
		post_locked(b, scratch);
}

/* One step of the round, if one is due or under way. Called with mu held. Returns false
 * when nothing was due. */
static bool do_round_step(struct kiosk_bus *b)
{
	int64_t now = kiosk_mono_ms();
	if (!b->ops->round_step)
		return false;
	if (!b->in_round && (b->poll_now || now >= b->next_round_ms)) {
		b->poll_now = false;
		b->next_round_ms = now + b->ops->poll_ms;
		b->in_round = true;
		b->restart_round = true;
	}
	if (!b->in_round)
		return false;
	bool first = b->restart_round;
	b->restart_round = false;
	pthread_mutex_unlock(&b->mu);
	bool done = b->ops->round_step(b->dev, b->round, first);
	pthread_mutex_lock(&b->mu);
	if (done && !b->restart_round) {
		b->in_round = false;
		if (b->ocount < b->ops->outcomes - b->ops->outcomes_for_jobs)
			post_locked(b, b->round);
	}
	return true;
}

static void wait_until(struct kiosk_bus *b, int64_t wait)
{
	struct timespec ts;
	kiosk_mono_deadline(wait, &ts); /* the condition's clock (set in start) */
	pthread_cond_timedwait(&b->cv, &b->mu, &ts);
}

static void *worker(void *arg)
{
	struct kiosk_bus *b = arg;
	unsigned char *scratch = kiosk_malloc(b->ops->outcome_size);
	pthread_mutex_lock(&b->mu);
	while (!b->stop && scratch) {
		if (b->jcount) {
			do_job(b, scratch);
			continue;
		}
		int64_t wait = b->ops->round_step ? b->next_round_ms - kiosk_mono_ms() : 1000;
		if (b->ops->serve) {
			/* The device may be asking right now: look at it first, every slice. */
			int slice = wait < SERVE_SLICE_MS ? (wait > 0 ? (int)wait : 0) : SERVE_SLICE_MS;
			pthread_mutex_unlock(&b->mu);
			b->ops->serve(b->dev, b, slice);
			pthread_mutex_lock(&b->mu);
			if (!b->jcount)
				do_round_step(b);
			continue;
		}
		if (do_round_step(b))
			continue;
		if (wait > 0)
			wait_until(b, wait);
	}
	pthread_mutex_unlock(&b->mu);
	kiosk_free(scratch);
	return NULL;
}

int kiosk_bus_start(const struct kiosk_bus_ops *ops, void *dev, struct kiosk_bus **out)
{
	*out = NULL;
	if (!ops || !dev || ops->job_size > KIOSK_BUS_JOB_MAX || ops->jobs <= 0 ||
	    ops->outcomes <= ops->outcomes_for_jobs || !ops->outcome_size ||
	    (ops->round_step && ops->poll_ms <= 0) || !ops->run_job || !ops->expire_job)
		return KIOSK_EINVAL;
	struct kiosk_bus *b = kiosk_calloc(1, sizeof *b);
	if (!b)
		return KIOSK_ENOMEM;
	int rc = KIOSK_ENOMEM;
	b->ops = ops;
	b->dev = dev;
	b->next_round_ms = kiosk_mono_ms(); /* the first round at once */
	b->jobs = kiosk_calloc((size_t)ops->jobs, sizeof *b->jobs);
	b->outs = kiosk_calloc((size_t)ops->outcomes, ops->outcome_size);
	b->round = kiosk_calloc(1, ops->outcome_size);
	if (!b->jobs || !b->outs || !b->round)
		goto out_free;
	b->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (b->efd < 0) {
		rc = kiosk_err_from_errno(errno);
		KLOG_ERROR("bus", "event=eventfd_failed bus=%s errno=%d", ops->name, errno);
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
		KLOG_ERROR("bus", "event=thread_failed bus=%s errno=%d", ops->name, perr);
		goto out_sync;
	}
	*out = b;
	return KIOSK_OK;
out_sync:
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	close(b->efd);
out_free:
	kiosk_free(b->round);
	kiosk_free(b->outs);
	kiosk_free(b->jobs);
	kiosk_free(b);
	return rc;
}

void kiosk_bus_stop(struct kiosk_bus *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	if (b->jcount)
		KLOG_WARN("bus", "event=jobs_dropped bus=%s count=%d reason=stopping", b->ops->name,
			  b->jcount);
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	/* a dropped job lets go of what it holds (a printer's bytes), as one that expired;
	 * nobody takes its outcome (the worker is gone: nothing else touches the queue) */
	unsigned char *scratch = b->jcount ? kiosk_calloc(1, b->ops->outcome_size) : NULL;
	for (; b->jcount && scratch; b->jcount--) {
		b->ops->expire_job(b->dev, b->jobs[b->jhead].job, scratch);
		b->jhead = (b->jhead + 1) % b->ops->jobs;
	}
	kiosk_free(scratch);
	b->jcount = 0;
	if (b->ops->close)
		b->ops->close(b->dev);
	kiosk_free(b->dev);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	close(b->efd);
	kiosk_free(b->round);
	kiosk_free(b->outs);
	kiosk_free(b->jobs);
	kiosk_free(b);
}

int kiosk_bus_submit(struct kiosk_bus *b, const void *job, int64_t deadline_ms)
{
	pthread_mutex_lock(&b->mu);
	if (b->jcount == b->ops->jobs) {
		pthread_mutex_unlock(&b->mu);
		return KIOSK_EBUSY;
	}
	struct job_slot *s = &b->jobs[(b->jhead + b->jcount++) % b->ops->jobs];
	s->deadline_ms = deadline_ms;
	memcpy(s->job, job, b->ops->job_size);
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return KIOSK_OK;
}

void kiosk_bus_poll_now(struct kiosk_bus *b)
{
	pthread_mutex_lock(&b->mu);
	b->poll_now = true;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

int kiosk_bus_fd(const struct kiosk_bus *b)
{
	return b->efd;
}

int kiosk_bus_take(struct kiosk_bus *b, void *out)
{
	pthread_mutex_lock(&b->mu);
	if (!b->ocount) {
		uint64_t v;
		ssize_t r = read(b->efd, &v, sizeof v);
		(void)r; /* EAGAIN: already clear */
		pthread_mutex_unlock(&b->mu);
		return 0;
	}
	size_t sz = b->ops->outcome_size;
	memcpy(out, b->outs + (size_t)b->ohead * sz, sz);
	b->ohead = (b->ohead + 1) % b->ops->outcomes;
	b->ocount--;
	pthread_cond_signal(&b->cv); /* a place for a job's outcome waiting */
	pthread_mutex_unlock(&b->mu);
	return 1;
}

bool kiosk_bus_post(struct kiosk_bus *b, const void *out)
{
	pthread_mutex_lock(&b->mu);
	bool ok = b->ocount < b->ops->outcomes;
	if (ok)
		post_locked(b, out);
	pthread_mutex_unlock(&b->mu);
	if (!ok)
		KLOG_WARN("bus", "event=report_dropped bus=%s reason=queue_full", b->ops->name);
	return ok;
}

int kiosk_bus_mail_put(struct kiosk_bus *b, const void *msg, size_t len)
{
	if (len > KIOSK_BUS_MAIL_MAX)
		return KIOSK_EINVAL;
	pthread_mutex_lock(&b->mu);
	if (b->mcount == NMAIL) {
		pthread_mutex_unlock(&b->mu);
		return KIOSK_EBUSY;
	}
	struct mail *m = &b->mail[(b->mhead + b->mcount++) % NMAIL];
	m->len = len;
	memcpy(m->msg, msg, len);
	pthread_mutex_unlock(&b->mu);
	return KIOSK_OK;
}

int kiosk_bus_mail_count(struct kiosk_bus *b)
{
	pthread_mutex_lock(&b->mu);
	int n = b->mcount;
	pthread_mutex_unlock(&b->mu);
	return n;
}

size_t kiosk_bus_mail_take(struct kiosk_bus *b, void *msg, size_t cap)
{
	size_t n = 0;
	pthread_mutex_lock(&b->mu);
	if (b->mcount) {
		struct mail *m = &b->mail[b->mhead];
		n = m->len < cap ? m->len : cap;
		memcpy(msg, m->msg, n);
		b->mhead = (b->mhead + 1) % NMAIL;
		b->mcount--;
	}
	pthread_mutex_unlock(&b->mu);
	return n;
}

void kiosk_bus_set_health(struct kiosk_bus *b, enum kiosk_bus_health h, const char *reason)
{
	pthread_mutex_lock(&b->mu);
	if (b->health != h)
		KLOG_INFO("bus", "event=health bus=%s health=%d reason=\"%s\"", b->ops->name, (int)h,
			  reason ? reason : "");
	b->health = h;
	snprintf(b->reason, sizeof b->reason, "%s", reason ? reason : "");
	pthread_mutex_unlock(&b->mu);
}

enum kiosk_bus_health kiosk_bus_health(struct kiosk_bus *b, char *reason, size_t cap)
{
	pthread_mutex_lock(&b->mu);
	enum kiosk_bus_health h = b->health;
	if (reason && cap)
		snprintf(reason, cap, "%s", b->reason);
	pthread_mutex_unlock(&b->mu);
	return h;
}

bool kiosk_bus_no_job(void *dev, const void *job, void *out)
{
	(void)dev, (void)job, (void)out;
	return false;
}

void kiosk_bus_no_expire(void *dev, const void *job, void *out)
{
	(void)dev, (void)job, (void)out;
}
