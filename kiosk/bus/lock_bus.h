/* The lock bus, on the generic bus (kiosk/bus/bus.h): its worker owns the RS-485 port and
 * its boards, so a silent board (half a second of retries per read) or a jammed door (a
 * second of re-reads) delays only this bus, never the core loop.
 *
 * A job is one unlock (never blocking: a full queue is KIOSK_EBUSY); its outcome comes back
 * on a queue whose eventfd the loop watches. Between jobs the worker reads every board in
 * use once per poll period (a "round"), one board per step, and posts the readings. Jobs
 * go before rounds: a door a person is waiting for is never queued behind a board that
 * does not answer for longer than the read already on the wire. */
#ifndef KIOSK_BUS_LOCK_BUS_H
#define KIOSK_BUS_LOCK_BUS_H

#include "hal/lock/lock.h"

#include <stdbool.h>
#include <stdint.h>

#define KIOSK_LOCK_BUS_BOARDS 32

enum kiosk_lock_outcome_kind {
	KIOSK_LOCK_UNLOCKED, /* an unlock job finished: rc as hal_lock_unlock() */
	KIOSK_LOCK_ROUND,    /* every board in use was read once */
};

struct kiosk_lock_outcome {
	enum kiosk_lock_outcome_kind kind;
	/* KIOSK_LOCK_UNLOCKED */
	int64_t tag; /* the job's tag (the door operation) */
	int board, lock;
	int rc;
	/* KIOSK_LOCK_ROUND: per board in use, its read's result and reading */
	unsigned long round; /* counts from 1 */
	int board_rc[KIOSK_LOCK_BUS_BOARDS];
	struct hal_lock_status status[KIOSK_LOCK_BUS_BOARDS];
};

struct kiosk_lock_bus; /* opaque */

/* Starts the worker on an open bus; the worker owns `hal` from here on and closes it in
 * kiosk_lock_bus_stop(). boards_used[b] says which boards to read each poll_ms. *out owned
 * by the caller. On failure `hal` is still the caller's. */
int kiosk_lock_bus_start(struct hal_lock *hal, const bool boards_used[KIOSK_LOCK_BUS_BOARDS],
			 int poll_ms, struct kiosk_lock_bus **out);
/* Stops the worker (after the frame on the wire, if any), closes the port, frees. Jobs
 * not yet sent are dropped: their doors stay shut. NULL is fine. */
void kiosk_lock_bus_stop(struct kiosk_lock_bus *b);
/* Queues an unlock; the outcome comes back with tag. Never waits. KIOSK_EBUSY when full.
 * A job still queued at deadline_ms (monotonic; 0 = none) is dropped without touching
 * the wire, its outcome KIOSK_EEXPIRED: a door never opens after its requester gave up. */
int kiosk_lock_bus_unlock(struct kiosk_lock_bus *b, int64_t tag, int board, int lock,
			  int64_t deadline_ms);
/* Asks for a round now, instead of at the next poll period (tests, the "sync now" of a
 * technician). */
void kiosk_lock_bus_poll_now(struct kiosk_lock_bus *b);
/* Readable (eventfd) while outcomes wait; owned by the bus. */
int kiosk_lock_bus_fd(const struct kiosk_lock_bus *b);
/* Takes the oldest outcome: 1 and *out filled, or 0 when none waits (and the fd is
 * cleared). Core thread. */
int kiosk_lock_bus_take(struct kiosk_lock_bus *b, struct kiosk_lock_outcome *out);
/* The bus's health as the locker judges it from the rounds (every board answering, or
 * which is silent). */
void kiosk_lock_bus_health(struct kiosk_lock_bus *b, bool ok, const char *reason);
/* The health as last set: true when ok, else why (cap bytes) says what is wrong. */
bool kiosk_lock_bus_health_of(struct kiosk_lock_bus *b, char *why, size_t cap);
#endif
