/* Slow work off the core thread: one worker thread runs jobs (a PIN's key derivation, …)
 * while the core loop keeps answering doors and taps; each job's completion runs back on
 * the loop's thread. A fixed queue: a full one says KIOSK_EBUSY at once, it never grows. */
#ifndef KIOSK_WORK_H
#define KIOSK_WORK_H

#include "kiosk/loop.h"

#include <stdbool.h>

#define KIOSK_WORK_JOBS 16

struct kiosk_work; /* opaque */

/* run(arg) on the worker thread, then done(arg, cancelled) on the loop's thread — with
 * cancelled true when the work was freed first (then run may not have run). arg is the
 * caller's until done. */
typedef void (*kiosk_work_run_fn)(void *arg);
typedef void (*kiosk_work_done_fn)(void *arg, bool cancelled);

/* *out owned by the caller, freed with kiosk_work_free(). */
int kiosk_work_new(struct kiosk_loop *loop, struct kiosk_work **out);
/* KIOSK_OK, or KIOSK_EBUSY when KIOSK_WORK_JOBS jobs are waiting or running. */
int kiosk_work_submit(struct kiosk_work *w, kiosk_work_run_fn run, kiosk_work_done_fn done,
		      void *arg);
/* Jobs done so far, and jobs whose done has not run yet (tests and scripts wait on
 * these). */
unsigned long kiosk_work_done_count(struct kiosk_work *w);
int kiosk_work_pending(struct kiosk_work *w);
/* Any thread (a job's run, between its steps): is the work being freed? A long job stops
 * early when it is: nobody will read what it makes. */
bool kiosk_work_stopping(struct kiosk_work *w);
/* Stops the thread after the job it runs; every job whose done has not run gets
 * done(arg, true). NULL-safe. */
void kiosk_work_free(struct kiosk_work *w);

#endif
