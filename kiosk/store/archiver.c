/* The store's archiver: a thread of its own that moves old history out (archive.c) a
 * minute after the kiosk starts and every six hours after, or at once when kicked (by
 * tests, by tools), and within a minute of a secret's erasure scrubs the WAL of its old
 * copies. It never runs on the
 * core's connection: it opens its own, and a batch holds the write lock for a few
 * milliseconds. A broken audit chain found on its way is the store's page check's verdict
 * too (status, heartbeat), not only a log line. */
#include "kiosk/store/store_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FIRST_MS (60 * 1000)
#define EVERY_MS (6 * 3600 * 1000)
#define SCRUB_MS (60 * 1000) /* how soon after an erasure the WAL's old copies go */

static void archive_pass(struct kiosk_store *st)
{
	struct kiosk_archive_opts o = {
		.cutoff_ms = st->now() - (int64_t)st->retention_days * 24 * 3600 * 1000,
		.stop = &st->archiver_stop,
		.batch = 64, /* a few ms of the write lock at a time: a tap waits no longer */
		.pause_ms = 20,
	};
	struct kiosk_archive_stats stats;
	char msg[200];
	int rc = kiosk_store_archive(st->path, &o, &stats, msg, sizeof msg);
	pthread_mutex_lock(&st->archiver_mu);
	st->archiver_last = stats;
	st->archiver_at_ms = st->now();
	snprintf(st->archiver_msg, sizeof st->archiver_msg, "%s", rc == KIOSK_OK ? "ok" : msg);
	pthread_cond_broadcast(&st->archiver_cv);
	pthread_mutex_unlock(&st->archiver_mu);
	if (rc == KIOSK_ECORRUPT) {
		pthread_mutex_lock(&st->verify_mu);
		st->verify = KIOSK_VERIFY_DAMAGED;
		snprintf(st->verify_msg, sizeof st->verify_msg, "%.159s", msg);
		pthread_mutex_unlock(&st->verify_mu);
	}
}

static void *archiver_main(void *arg)
{
	struct kiosk_store *st = arg;
	int64_t next_pass = kiosk_mono_ms() + FIRST_MS;
	unsigned scrubbed = atomic_load(&st->erased);
	for (;;) {
		int64_t now = kiosk_mono_ms();
		int64_t wait_ms = SCRUB_MS;
		if (st->retention_days > 0 && next_pass - now < wait_ms)
			wait_ms = next_pass - now > 0 ? next_pass - now : 0;
		struct timespec ts;
		kiosk_mono_deadline(wait_ms, &ts);
		pthread_mutex_lock(&st->archiver_mu);
		while (!st->archiver_stop && !st->archiver_kicked)
			if (pthread_cond_timedwait(&st->archiver_cv, &st->archiver_mu, &ts) ==
			    ETIMEDOUT)
				break;
		bool kicked = st->archiver_kicked;
		st->archiver_kicked = false;
		pthread_mutex_unlock(&st->archiver_mu);
		if (st->archiver_stop)
			break;
		unsigned erased = atomic_load(&st->erased);
		if (erased != scrubbed || kicked) {
			if (kiosk_store_scrub(st->path) == KIOSK_OK) {
				scrubbed = erased;
				pthread_mutex_lock(&st->archiver_mu);
				st->scrubs++;
				pthread_mutex_unlock(&st->archiver_mu);
			}
		}
		if (st->retention_days > 0 && (kicked || kiosk_mono_ms() >= next_pass)) {
			archive_pass(st);
			next_pass = kiosk_mono_ms() + EVERY_MS;
		}
	}
	return NULL;
}

int st_archiver_start(struct kiosk_store *st)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->archiver_cv, &ca);
	pthread_condattr_destroy(&ca);
	int perr = pthread_create(&st->archiver_thread, NULL, archiver_main, st);
	if (perr) {
		pthread_cond_destroy(&st->archiver_cv);
		KLOG_ERROR("store", "event=archiver_not_started errno=%d", perr);
		return kiosk_err_from_errno(perr);
	}
	st->archiver_started = true;
	return KIOSK_OK;
}

void st_archiver_stop(struct kiosk_store *st)
{
	if (!st->archiver_started)
		return;
	pthread_mutex_lock(&st->archiver_mu);
	st->archiver_stop = 1;
	pthread_cond_broadcast(&st->archiver_cv);
	pthread_mutex_unlock(&st->archiver_mu);
	pthread_join(st->archiver_thread, NULL);
	pthread_cond_destroy(&st->archiver_cv);
	st->archiver_started = false;
}

void kiosk_store_archive_kick(struct kiosk_store *st)
{
	if (!st->archiver_started)
		return;
	pthread_mutex_lock(&st->archiver_mu);
	st->archiver_kicked = true;
	pthread_cond_broadcast(&st->archiver_cv);
	pthread_mutex_unlock(&st->archiver_mu);
}

unsigned kiosk_store_scrubs(struct kiosk_store *st)
{
	pthread_mutex_lock(&st->archiver_mu);
	unsigned n = st->scrubs;
	pthread_mutex_unlock(&st->archiver_mu);
	return n;
}

int kiosk_store_archive_last(struct kiosk_store *st, struct kiosk_archive_stats *stats,
			     int64_t *at_ms, char *msg, size_t cap)
{
	if (!st->archiver_started || st->retention_days <= 0)
		return KIOSK_ENOENT;
	pthread_mutex_lock(&st->archiver_mu);
	if (stats)
		*stats = st->archiver_last;
	if (at_ms)
		*at_ms = st->archiver_at_ms;
	if (msg && cap)
		snprintf(msg, cap, "%s", st->archiver_msg);
	pthread_mutex_unlock(&st->archiver_mu);
	return KIOSK_OK;
}
