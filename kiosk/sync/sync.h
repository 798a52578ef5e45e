/* The platform link (../shared/PLATFORM-API.md) on the core loop: outbox push in signed
 * batches, heartbeat, backoff with full jitter. It never waits: each step starts a
 * request and returns; the answer comes back on the loop. With no platform configured
 * there is no link and the kiosk runs offline, as it always can. */
#ifndef KIOSK_SYNC_H
#define KIOSK_SYNC_H

#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct kiosk_sync; /* opaque */
struct cJSON;

struct kiosk_sync_opts {
	const struct kiosk_config *cfg;
	struct kiosk_loop *loop;
	struct kiosk_store *store;
	/* the link's status changed (online, offline, depth): publish it */
	void (*changed)(void *arg);
	/* fill the heartbeat's "devices" object and "faults" array */
	void (*heartbeat)(struct cJSON *devices, struct cJSON *faults, void *arg);
	/* a page brought remote commands: the core carries out the queued ones */
	void (*commands)(void *arg);
	/* a page brought `config` changes (stored): the core applies them */
	void (*settings)(void *arg);
	void *arg;
};

enum kiosk_link { KIOSK_LINK_NONE, KIOSK_LINK_OFFLINE, KIOSK_LINK_ONLINE };

struct kiosk_sync_status {
	enum kiosk_link link;  /* NONE: no platform configured (or the link refused to start) */
	int64_t last_ok_ms;    /* UTC ms of the last answered request, 0 = never */
	int64_t next_try_ms;   /* UTC ms of the next attempt while backing off, 0 = none */
	int attempt;           /* failures in a row */
	int64_t pushed;        /* events acked since start */
	int64_t clock_offset_s;
	char last_error[128];  /* "" = none */
	bool busy;             /* a request is in flight */
	bool pull_due;         /* a page of changes is waiting to be asked for */
};

/* Starts the link when $.platform.url is set; *out NULL (and KIOSK_OK) when it is not.
 * A bad URL or secret is KIOSK_ECONFIG with why (the kiosk then runs offline and says so
 * to the operator; it does not refuse to serve residents). */
int kiosk_sync_open(const struct kiosk_sync_opts *o, struct kiosk_sync **out, char *why,
		    size_t wlen);
void kiosk_sync_close(struct kiosk_sync *s);
/* "Sync now": forget the backoff and try at once. */
void kiosk_sync_now(struct kiosk_sync *s);
/* A help call was just made: try the platform at once, whatever the back-off planned
 * (the link then pushes it before anything else). */
void kiosk_sync_urgent(struct kiosk_sync *s);
/* Something was committed to the outbox: push soon (within the backoff). */
void kiosk_sync_kick(struct kiosk_sync *s);
void kiosk_sync_status(const struct kiosk_sync *s, struct kiosk_sync_status *st);
/* A call a resident waits on (a QR payment, a booking code lookup), beside the sync
 * steps: method and path (with query), body (JSON, copied; NULL for GET), tag (copied,
 * < KIOSK_SYNC_TAG bytes) handed back to done with the answer — status 0 when there was
 * none; body NULL when there was none or it passed the 1 MiB limit. done runs on the loop,
 * once, unless the link closes first. KIOSK_ENOTSUP without a link (s NULL), KIOSK_EBUSY
 * when four calls are in flight. */
#define KIOSK_SYNC_TAG 48
typedef void (*kiosk_sync_call_fn)(void *arg, const char *tag, long status, const char *body,
				   size_t len);
int kiosk_sync_call(struct kiosk_sync *s, const char *method, const char *path,
		    const char *body, const char *tag, kiosk_sync_call_fn done, void *arg);

/* Backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)] ms, from r
 * (a random 32-bit number), at least 0. Exposed for tests. */
int64_t kiosk_sync_backoff_ms(int attempt, uint32_t r);

#endif
