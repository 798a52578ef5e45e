/* The generic device bus: one worker thread per bus, so a silent board, a jammed door or a
 * stalled printer delays only its own bus, never the core loop — the skeleton every device
 * class sits on (the lock bus first; the vending board, MDB, printer and scanners next), as
 * SDL's joystick drivers sit under one Update loop.
 *
 * The core hands the bus jobs (never blocking: a full queue is KIOSK_EBUSY) and takes every
 * outcome back from a queue whose eventfd its loop watches. Between jobs the worker runs the
 * bus's periodic round (read every board, one step at a time, so a job waits at most for
 * the step on the wire). A device that polls the host and wants its answer within a
 * deadline (the FA FB vending board: every 200 ms, answer in 100 ms) is served by the
 * worker from a mailbox the core fills ahead — never from SQLite, never waiting for the
 * core, whatever the core is doing.
 *
 * A bus also keeps its health (ok, fault with a reason, absent), which status reports as
 * it is. */
#ifndef KIOSK_BUS_BUS_H
#define KIOSK_BUS_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_BUS_JOB_MAX 64    /* bytes of one job */
#define KIOSK_BUS_MAIL_MAX 64   /* bytes of one mailbox message */
#define KIOSK_BUS_REASON 96

struct kiosk_bus;

/* What a device class fills; the skeleton calls it. `dev` is the class's own state, owned by
 * the worker from kiosk_bus_start() on. */
struct kiosk_bus_ops {
	const char *name;    /* logs: "lock", "vend" */
	size_t job_size;     /* bytes of one job (≤ KIOSK_BUS_JOB_MAX) */
	size_t outcome_size; /* bytes of one outcome (job's or round's) */
	int jobs, outcomes;  /* queue lengths: jobs waiting, outcomes not yet taken */
	/* Outcome places kept free for jobs' outcomes: a round the core has not taken yet is
	 * stale anyway and is dropped when only these are left; a job's outcome is never
	 * dropped (the worker waits for a place). */
	int outcomes_for_jobs;
	int poll_ms; /* the round's period; 0 = no rounds */
	/* Worker: carries out one job (blocking on the wire is fine here) and fills out
	 * (outcome_size bytes, zeroed). Returns true when a round under way must be read again
	 * from its first step (the job changed what the round had read). */
	bool (*run_job)(void *dev, const void *job, void *out);
	/* Worker: a job whose deadline passed before it reached the wire: fill its outcome
	 * without touching the device (a door never opens after its requester gave up). */
	void (*expire_job)(void *dev, const void *job, void *out);
	/* Worker: one step of the round into round (outcome_size bytes, kept between steps);
	 * first is true for the first step of a round. Returns true when the round is complete
	 * (it is then posted), false when steps remain. NULL: no rounds. */
	bool (*round_step)(void *dev, void *round, bool first);
	/* Worker: for a device that polls the host: waits up to wait_ms for it and answers it
	 * from the mailbox (kiosk_bus_mail_take), posting what the device reports
	 * (kiosk_bus_post). Called between jobs and round steps. NULL: the host polls. */
	void (*serve)(void *dev, struct kiosk_bus *bus, int wait_ms);
	/* Worker, last: closes the device and frees what dev holds (not dev itself). */
	void (*close)(void *dev);
};

/* For a bus whose device takes no jobs (it only speaks, or is answered from the mailbox):
 * its run_job and expire_job. */
bool kiosk_bus_no_job(void *dev, const void *job, void *out);
void kiosk_bus_no_expire(void *dev, const void *job, void *out);

/* Starts the worker; it owns dev from here on (freed with kiosk_free after ops->close when
 * the bus stops). *out owned by the caller. On failure dev is still the caller's. */
int kiosk_bus_start(const struct kiosk_bus_ops *ops, void *dev, struct kiosk_bus **out);
/* Stops the worker after the step on the wire, closes the device, frees. Jobs not yet sent
 * are dropped (logged): nothing of theirs happened. NULL is fine. */
void kiosk_bus_stop(struct kiosk_bus *b);
/* Core: queues a job (job_size bytes, copied). Never waits. KIOSK_EBUSY when full. A job
 * still queued at deadline_ms (monotonic; 0 = none) is expired, not run. */
int kiosk_bus_submit(struct kiosk_bus *b, const void *job, int64_t deadline_ms);
/* Core: asks for a round now instead of at the next period. */
void kiosk_bus_poll_now(struct kiosk_bus *b);
/* Readable (eventfd) while outcomes wait; owned by the bus. */
int kiosk_bus_fd(const struct kiosk_bus *b);
/* Core: takes the oldest outcome into out (outcome_size bytes): 1, or 0 when none waits
 * (and the fd is cleared). */
int kiosk_bus_take(struct kiosk_bus *b, void *out);
/* Core: puts a message (≤ KIOSK_BUS_MAIL_MAX bytes) in the mailbox the worker answers the
 * device from, in order. KIOSK_EBUSY when full, KIOSK_EINVAL when too long. */
int kiosk_bus_mail_put(struct kiosk_bus *b, const void *msg, size_t len);
/* Messages waiting in the mailbox. */
int kiosk_bus_mail_count(struct kiosk_bus *b);

/* Worker (serve): takes the oldest message into msg (cap bytes): its length, or 0 when the
 * mailbox is empty. Never waits for the core. */
size_t kiosk_bus_mail_take(struct kiosk_bus *b, void *msg, size_t cap);
/* Worker (serve): posts an outcome (outcome_size bytes) the device reported. Dropped (and
 * false returned) only when the outcome queue is full. */
bool kiosk_bus_post(struct kiosk_bus *b, const void *out);

/* Health, as the bus last found it; set from either side. */
enum kiosk_bus_health { KIOSK_BUS_OK, KIOSK_BUS_FAULT, KIOSK_BUS_ABSENT };
void kiosk_bus_set_health(struct kiosk_bus *b, enum kiosk_bus_health h, const char *reason);
enum kiosk_bus_health kiosk_bus_health(struct kiosk_bus *b, char *reason, size_t cap);

#endif
