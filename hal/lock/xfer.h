/* Request / reply on a lock bus, shared by the lock drivers: flush, write, then read
 * frames until the awaited reply (or the deadline), with bounded retries at growing
 * delays and a port reopen after repeated silence. Bad frames and junk are counted and
 * dropped, never trusted. */
#ifndef KIOSK_HAL_LOCK_XFER_H
#define KIOSK_HAL_LOCK_XFER_H

#include "hal/lock/lock.h"

struct lock_proto {
	/* The protocol's decoder (frames.h), over a frame struct of frame_size bytes. */
	int (*decode)(const uint8_t *buf, size_t len, void *frame, size_t *used);
	size_t frame_size;
	/* Is frame the reply to the request described by want? */
	int (*match)(const void *frame, const void *want);
	/* A valid frame that is not the reply (a pushed door change): keep it. Optional. */
	void (*other)(void *arg, const void *frame);
	void *other_arg;
};

struct lock_bus {
	struct hal_serial *port;
	struct hal_lock_stats *stats;
	int silent; /* consecutive requests without a reply */
};

/* Sends tx (n bytes). With want == NULL nothing is awaited. Otherwise waits up to
 * timeout_ms per try for a frame matching want, copied into reply. */
int lock_request(struct lock_bus *bus, const struct lock_proto *p, const uint8_t *tx, size_t n,
		 const void *want, void *reply, int timeout_ms, int tries);
/* Reads for up to timeout_ms and hands every valid frame to p->other. */
int lock_listen(struct lock_bus *bus, const struct lock_proto *p, int timeout_ms);

#endif
