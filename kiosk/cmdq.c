#include "kiosk/cmdq.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct kiosk_cmdq {
	pthread_mutex_t mu;
	struct kiosk_cmd ring[KIOSK_CMDQ_CAP];
	unsigned head, count;
	int efd;
};

int kiosk_cmdq_new(struct kiosk_cmdq **out)
{
	struct kiosk_cmdq *q = kiosk_calloc(1, sizeof *q);
	*out = NULL;
	if (!q)
		return KIOSK_ENOMEM;
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0) {
		int err = kiosk_err_from_errno(errno);
		KLOG_ERROR("cmdq", "event=eventfd_failed errno=%d", errno);
		kiosk_free(q);
		return err;
	}
	pthread_mutex_init(&q->mu, NULL);
	*out = q;
	return KIOSK_OK;
}

void kiosk_cmdq_free(struct kiosk_cmdq *q)
{
	if (!q)
		return;
	close(q->efd);
	pthread_mutex_destroy(&q->mu);
	kiosk_free(q);
}

int kiosk_cmdq_fd(const struct kiosk_cmdq *q)
{
	return q->efd;
}

int kiosk_cmdq_push(struct kiosk_cmdq *q, const struct kiosk_cmd *cmd)
{
	pthread_mutex_lock(&q->mu);
	if (q->count == KIOSK_CMDQ_CAP) {
		pthread_mutex_unlock(&q->mu);
		return KIOSK_EBUSY;
	}
	q->ring[(q->head + q->count++) % KIOSK_CMDQ_CAP] = *cmd;
	pthread_mutex_unlock(&q->mu);
	uint64_t one = 1;
	/* Only fails when the counter would overflow, which still leaves it readable. */
	ssize_t w = write(q->efd, &one, sizeof one);
	(void)w;
	return KIOSK_OK;
}

int kiosk_cmdq_pop(struct kiosk_cmdq *q, struct kiosk_cmd *cmd)
{
	int got = 0;
	pthread_mutex_lock(&q->mu);
	if (q->count) {
		*cmd = q->ring[q->head];
		q->head = (q->head + 1) % KIOSK_CMDQ_CAP;
		q->count--;
		got = 1;
	} else {
		/* Drain the eventfd while holding the lock: a push after this re-arms it. */
		uint64_t v;
		ssize_t r = read(q->efd, &v, sizeof v);
		(void)r;
	}
	pthread_mutex_unlock(&q->mu);
	return got;
}
