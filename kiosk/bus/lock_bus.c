/* The lock bus on the generic bus skeleton: a job is one unlock, a round reads every board
 * in use, one board per step (a door a person waits for is queued behind at most the read
 * already on the wire). */
#include "kiosk/bus/lock_bus.h"
#include "kiosk/bus/bus.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <string.h>

struct unlock_job {
	int64_t tag;
	int board, lock;
};

struct lock_dev {
	struct hal_lock *hal;
	bool used[KIOSK_LOCK_BUS_BOARDS];
	int next_board;
	unsigned long rounds;
};

struct kiosk_lock_bus {
	struct kiosk_bus *bus;
	struct kiosk_bus_ops ops; /* lock_ops with this bus's period; lives as long as the bus */
};

static bool run_unlock(void *dev, const void *job, void *out)
{
	struct lock_dev *d = dev;
	const struct unlock_job *j = job;
	struct kiosk_lock_outcome *o = out;
	*o = (struct kiosk_lock_outcome){.kind = KIOSK_LOCK_UNLOCKED, .tag = j->tag,
					 .board = j->board, .lock = j->lock};
	o->rc = hal_lock_unlock(d->hal, j->board, j->lock);
	return true; /* a round half read saw that door shut: read it all again */
}

static void expire_unlock(void *dev, const void *job, void *out)
{
	(void)dev;
	const struct unlock_job *j = job;
	struct kiosk_lock_outcome *o = out;
	*o = (struct kiosk_lock_outcome){.kind = KIOSK_LOCK_UNLOCKED, .tag = j->tag,
					 .board = j->board, .lock = j->lock,
					 .rc = KIOSK_EEXPIRED};
}

static bool read_board(void *dev, void *round, bool first)
{
	struct lock_dev *d = dev;
	struct kiosk_lock_outcome *o = round;
	if (first) {
		o->kind = KIOSK_LOCK_ROUND;
		o->round = ++d->rounds;
		d->next_board = 0;
	}
	while (d->next_board < KIOSK_LOCK_BUS_BOARDS && !d->used[d->next_board])
		d->next_board++;
	if (d->next_board == KIOSK_LOCK_BUS_BOARDS)
		return true;
	int b = d->next_board++;
	o->board_rc[b] = hal_lock_status(d->hal, b, &o->status[b]);
	return false;
}

static void close_dev(void *dev)
{
	hal_lock_close(((struct lock_dev *)dev)->hal);
}

static const struct kiosk_bus_ops lock_ops = {
	.name = "lock",
	.job_size = sizeof(struct unlock_job),
	.outcome_size = sizeof(struct kiosk_lock_outcome),
	.jobs = 136, /* every compartment of a bank at once (open all), and some */
	.outcomes = 24,
	.outcomes_for_jobs = 8,
	.run_job = run_unlock,
	.expire_job = expire_unlock,
	.round_step = read_board,
	.close = close_dev,
};

int kiosk_lock_bus_start(struct hal_lock *hal, const bool boards_used[KIOSK_LOCK_BUS_BOARDS],
			 int poll_ms, struct kiosk_lock_bus **out)
{
	*out = NULL;
	if (!hal || poll_ms <= 0)
		return KIOSK_EINVAL;
	struct kiosk_lock_bus *lb = kiosk_calloc(1, sizeof *lb);
	struct lock_dev *d = kiosk_calloc(1, sizeof *d);
	if (!lb || !d) {
		kiosk_free(lb);
		kiosk_free(d);
		return KIOSK_ENOMEM;
	}
	d->hal = hal;
	memcpy(d->used, boards_used, sizeof d->used);
	lb->ops = lock_ops;
	lb->ops.poll_ms = poll_ms;
	int rc = kiosk_bus_start(&lb->ops, d, &lb->bus);
	if (rc) {
		kiosk_free(d);
		kiosk_free(lb);
	}
	*out = rc ? NULL : lb;
	return rc;
}

void kiosk_lock_bus_stop(struct kiosk_lock_bus *b)
{
	if (!b)
		return;
	kiosk_bus_stop(b->bus);
	kiosk_free(b);
}

int kiosk_lock_bus_unlock(struct kiosk_lock_bus *b, int64_t tag, int board, int lock,
			  int64_t deadline_ms)
{
	struct unlock_job j = {tag, board, lock};
	return kiosk_bus_submit(b->bus, &j, deadline_ms);
}

void kiosk_lock_bus_poll_now(struct kiosk_lock_bus *b)
{
	kiosk_bus_poll_now(b->bus);
}

int kiosk_lock_bus_fd(const struct kiosk_lock_bus *b)
{
	return kiosk_bus_fd(b->bus);
}

int kiosk_lock_bus_take(struct kiosk_lock_bus *b, struct kiosk_lock_outcome *out)
{
	return kiosk_bus_take(b->bus, out);
}

void kiosk_lock_bus_health(struct kiosk_lock_bus *b, bool ok, const char *reason)
{
	kiosk_bus_set_health(b->bus, ok ? KIOSK_BUS_OK : KIOSK_BUS_FAULT, reason);
}

bool kiosk_lock_bus_health_of(struct kiosk_lock_bus *b, char *why, size_t cap)
{
	return kiosk_bus_health(b->bus, why, cap) == KIOSK_BUS_OK;
}
