/* One worker thread and a ring of jobs (work.h). A job moves waiting → running → finished
 * under the mutex; the eventfd tells the loop that finished ones are there, and their
 * done runs on the loop's thread, in order. */
#include "kiosk/work.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum job_state { JOB_FREE, JOB_WAITING, JOB_RUNNING, JOB_FINISHED };

struct job {
	enum job_state state;
	unsigned long seq; /* submission order */
	kiosk_work_run_fn run;
	kiosk_work_done_fn done;
	void *arg;
};

struct kiosk_work {
	struct kiosk_loop *loop;
	int efd;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;               /* under mu */
	unsigned long next_seq;  /* under mu */
	struct job jobs[KIOSK_WORK_JOBS]; /* under mu */
	unsigned long done_count;         /* loop thread */
};

/* The oldest job in state s, or NULL (under mu). */
static struct job *oldest(struct kiosk_work *w, enum job_state s)
{
	struct job *best = NULL;
	for (int i = 0; i < KIOSK_WORK_JOBS; i++)
		if (w->jobs[i].state == s && (!best || w->jobs[i].seq < best->seq))
			best = &w->jobs[i];
	return best;
}

static void *worker(void *arg)
{
	struct kiosk_work *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct job *j;
		while (!w->stop && !(j = oldest(w, JOB_WAITING)))
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&w->mu);
		j->run(j->arg); /* j stays ours: only the loop frees a finished slot */
		pthread_mutex_lock(&w->mu);
		j->state = JOB_FINISHED;
		uint64_t one = 1;
		if (write(w->efd, &one, sizeof one) != sizeof one)
			KLOG_ERROR("work", "event=wake_failed errno=%d", errno);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void on_finished(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)revents;
	struct kiosk_work *w = arg;
	uint64_t n;
	if (read(fd, &n, sizeof n) < 0 && errno != EAGAIN)
		KLOG_ERROR("work", "event=read_failed errno=%d", errno);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		struct job *j = oldest(w, JOB_FINISHED);
		struct job copy = j ? *j : (struct job){0};
		if (j)
			memset(j, 0, sizeof *j);
		pthread_mutex_unlock(&w->mu);
		if (!j)
			break;
		w->done_count++;
		copy.done(copy.arg, false);
	}
}

int kiosk_work_new(struct kiosk_loop *loop, struct kiosk_work **out)
{
	*out = NULL;
	struct kiosk_work *w = kiosk_calloc(1, sizeof *w);
	if (!w)
		return KIOSK_ENOMEM;
	w->loop = loop;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		int rc = kiosk_err_from_errno(errno);
		kiosk_free(w);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	int rc = kiosk_loop_add_fd(loop, w->efd, POLLIN, on_finished, w);
	int perr = rc ? 0 : pthread_create(&w->thread, NULL, worker, w);
	if (rc || perr) {
		if (!rc)
			kiosk_loop_del_fd(loop, w->efd);
		close(w->efd);
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		kiosk_free(w);
		return rc ? rc : kiosk_err_from_errno(perr);
	}
	w->started = true;
	*out = w;
	return KIOSK_OK;
}

int kiosk_work_submit(struct kiosk_work *w, kiosk_work_run_fn run, kiosk_work_done_fn done,
		      void *arg)
{
	if (!w || !run || !done)
		return KIOSK_EINVAL;
	pthread_mutex_lock(&w->mu);
	struct job *j = NULL;
	for (int i = 0; i < KIOSK_WORK_JOBS && !j; i++)
		if (w->jobs[i].state == JOB_FREE)
			j = &w->jobs[i];
	if (j) {
		*j = (struct job){JOB_WAITING, ++w->next_seq, run, done, arg};
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return j ? KIOSK_OK : KIOSK_EBUSY;
}

unsigned long kiosk_work_done_count(struct kiosk_work *w)
{
	return w ? w->done_count : 0;
}

int kiosk_work_pending(struct kiosk_work *w)
{
	if (!w)
		return 0;
	int n = 0;
	pthread_mutex_lock(&w->mu);
	for (int i = 0; i < KIOSK_WORK_JOBS; i++)
		n += w->jobs[i].state != JOB_FREE;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void kiosk_work_free(struct kiosk_work *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	kiosk_loop_del_fd(w->loop, w->efd);
	close(w->efd);
	/* whatever did not complete, in order: nobody waits for it now, its owner frees
	 * what it holds */
	for (struct job *j; (j = oldest(w, JOB_FINISHED)) || (j = oldest(w, JOB_WAITING));) {
		struct job copy = *j;
		memset(j, 0, sizeof *j);
		copy.done(copy.arg, true);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	kiosk_free(w);
}

bool kiosk_work_stopping(struct kiosk_work *w)
{
	pthread_mutex_lock(&w->mu);
	bool stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}
