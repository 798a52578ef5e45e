#include "kiosk/loop.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>

struct fd_entry {
	kiosk_fd_cb cb;
	void *arg;
};

struct timer {
	int id; /* 0 = free slot */
	int64_t due;
	kiosk_timer_cb cb;
	void *arg;
};

struct kiosk_loop {
	struct pollfd pfd[KIOSK_LOOP_MAX_FDS];
	struct fd_entry ent[KIOSK_LOOP_MAX_FDS];
	int nfds;
	struct timer timers[KIOSK_LOOP_MAX_TIMERS];
	int next_timer_id;
	bool stop;
};

int kiosk_loop_new(struct kiosk_loop **out)
{
	*out = kiosk_calloc(1, sizeof **out);
	return *out ? KIOSK_OK : KIOSK_ENOMEM;
}

void kiosk_loop_free(struct kiosk_loop *loop)
{
	kiosk_free(loop);
}

static int find_fd(const struct kiosk_loop *loop, int fd)
{
	for (int i = 0; i < loop->nfds; i++)
		if (loop->pfd[i].fd == fd)
			return i;
	return -1;
}

int kiosk_loop_add_fd(struct kiosk_loop *loop, int fd, short events, kiosk_fd_cb cb, void *arg)
{
	if (fd < 0 || !cb)
		return KIOSK_EINVAL;
	int i = find_fd(loop, fd);
	if (i < 0) {
		if (loop->nfds == KIOSK_LOOP_MAX_FDS)
			return KIOSK_ENOSPACE;
		i = loop->nfds++;
	}
	loop->pfd[i] = (struct pollfd){.fd = fd, .events = events};
	loop->ent[i] = (struct fd_entry){cb, arg};
	return KIOSK_OK;
}

int kiosk_loop_del_fd(struct kiosk_loop *loop, int fd)
{
	int i = find_fd(loop, fd);
	if (i < 0)
		return KIOSK_ENOENT;
	/* Mark instead of compacting so a callback deleting an fd does not shift the array
	 * under the dispatch loop; compacted at the start of the next round. */
	loop->pfd[i].fd = -1;
	loop->ent[i].cb = NULL;
	return KIOSK_OK;
}

static void compact(struct kiosk_loop *loop)
{
	int j = 0;
	for (int i = 0; i < loop->nfds; i++) {
		if (loop->ent[i].cb) {
			loop->pfd[j] = loop->pfd[i];
			loop->ent[j] = loop->ent[i];
			j++;
		}
	}
	loop->nfds = j;
}

int kiosk_loop_add_timer(struct kiosk_loop *loop, int64_t ms, kiosk_timer_cb cb, void *arg)
{
	if (ms < 0 || !cb)
		return KIOSK_EINVAL;
	for (int i = 0; i < KIOSK_LOOP_MAX_TIMERS; i++) {
		struct timer *t = &loop->timers[i];
		if (t->id == 0) {
			if (++loop->next_timer_id <= 0)
				loop->next_timer_id = 1;
			*t = (struct timer){loop->next_timer_id, kiosk_mono_ms() + ms, cb, arg};
			return t->id;
		}
	}
	return KIOSK_ENOSPACE;
}

int kiosk_loop_del_timer(struct kiosk_loop *loop, int id)
{
	for (int i = 0; i < KIOSK_LOOP_MAX_TIMERS; i++) {
		if (id > 0 && loop->timers[i].id == id) {
			loop->timers[i].id = 0;
			return KIOSK_OK;
		}
	}
	return KIOSK_ENOENT;
}

/* Milliseconds until the earliest timer, or -1 when there is none. */
static int64_t next_due(const struct kiosk_loop *loop, int64_t now)
{
	int64_t best = -1;
	for (int i = 0; i < KIOSK_LOOP_MAX_TIMERS; i++) {
		const struct timer *t = &loop->timers[i];
		if (t->id && (best < 0 || t->due - now < best))
			best = t->due - now < 0 ? 0 : t->due - now;
	}
	return best;
}

/* The timers due now fire earliest first (a round that came late finds several due: they
 * keep their order), each once a round; one a callback deleted does not fire. */
static int run_timers(struct kiosk_loop *loop)
{
	int ran = 0, ndue = 0;
	int64_t now = kiosk_mono_ms();
	int due[KIOSK_LOOP_MAX_TIMERS], ids[KIOSK_LOOP_MAX_TIMERS];
	for (int i = 0; i < KIOSK_LOOP_MAX_TIMERS; i++) {
		const struct timer *t = &loop->timers[i];
		if (!t->id || t->due > now)
			continue;
		int k = ndue++; /* insertion by (due, id): a handful at most */
		for (; k > 0 && (loop->timers[due[k - 1]].due > t->due ||
				 (loop->timers[due[k - 1]].due == t->due && ids[k - 1] > t->id));
		     k--) {
			due[k] = due[k - 1];
			ids[k] = ids[k - 1];
		}
		due[k] = i;
		ids[k] = t->id;
	}
	for (int k = 0; k < ndue; k++) {
		struct timer *t = &loop->timers[due[k]];
		int id = ids[k];
		if (t->id != id) /* deleted by a callback before it */
			continue;
		int64_t again = t->cb(loop, id, t->arg);
		ran++;
		if (t->id != id) /* the callback deleted its own timer */
			continue;
		if (again < 0)
			t->id = 0;
		else
			t->due = now + again;
	}
	return ran;
}

int kiosk_loop_run_once(struct kiosk_loop *loop, int64_t max_wait_ms)
{
	compact(loop);
	int64_t wait = next_due(loop, kiosk_mono_ms());
	if (max_wait_ms >= 0 && (wait < 0 || wait > max_wait_ms))
		wait = max_wait_ms;
	if (wait > INT_MAX)
		wait = INT_MAX;
	int n = poll(loop->pfd, (nfds_t)loop->nfds, (int)wait);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		int err = kiosk_err_from_errno(errno);
		KLOG_ERROR("loop", "event=poll_failed errno=%d", errno);
		return err;
	}
	int ran = 0;
	int count = loop->nfds; /* fds added by callbacks wait for the next round */
	for (int i = 0; i < count && n > 0; i++) {
		short re = loop->pfd[i].revents;
		if (!re || !loop->ent[i].cb)
			continue;
		n--;
		loop->ent[i].cb(loop, loop->pfd[i].fd, re, loop->ent[i].arg);
		ran++;
	}
	return ran + run_timers(loop);
}

int kiosk_loop_run(struct kiosk_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		int rc = kiosk_loop_run_once(loop, -1);
		if (rc < 0)
			return rc;
	}
	return KIOSK_OK;
}

void kiosk_loop_stop(struct kiosk_loop *loop)
{
	loop->stop = true;
}
