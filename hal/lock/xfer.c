#include "hal/lock/xfer.h"
#include "hal/lock/frames.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <string.h>
#include <unistd.h>

#define REOPEN_AFTER 3 /* requests in a row without a reply */

/* Reads until deadline; returns 1 when a matching frame was found (reply filled), 0 at
 * the deadline, negative on a port error. *saw_bad is set when junk or bad frames came. */
static int read_frames(struct lock_bus *bus, const struct lock_proto *p, const void *want,
		       void *reply, int64_t deadline, int *saw_bad)
{
	uint8_t buf[256];
	size_t len = 0;
	uint8_t frame[128];
	for (;;) {
		int left = (int)(deadline - kiosk_mono_ms());
		if (left <= 0)
			return 0;
		int r = hal_serial_read(bus->port, buf + len, sizeof buf - len, left);
		if (r == KIOSK_ETIMEDOUT)
			return 0;
		if (r < 0)
			return r;
		len += (size_t)r;
		for (;;) {
			size_t used = 0;
			int d = p->decode(buf, len, frame, &used);
			if (d == HAL_FRAME_NEED)
				break;
			if (d == HAL_FRAME_JUNK) {
				bus->stats->junk_bytes += used;
				bus->stats->bad_frames += buf[0] == 0x02 || buf[0] == 0x57;
				*saw_bad = 1;
			} else if (want && p->match(frame, want)) {
				memcpy(reply, frame, p->frame_size);
				return 1;
			} else if (p->other) {
				p->other(p->other_arg, frame);
			}
			memmove(buf, buf + used, len - used);
			len -= used;
		}
		if (len == sizeof buf) { /* a full buffer of nothing useful */
			bus->stats->junk_bytes += len;
			len = 0;
		}
	}
}

int lock_request(struct lock_bus *bus, const struct lock_proto *p, const uint8_t *tx, size_t n,
		 const void *want, void *reply, int timeout_ms, int tries)
{
	int saw_bad = 0;
	bus->stats->requests++;
	for (int t = 0; t < tries; t++) {
		if (t) {
			bus->stats->retries++;
			usleep((useconds_t)(20000 * t)); /* growing pauses: let a busy bus settle */
		}
		hal_serial_flush(bus->port);
		int rc = hal_serial_write(bus->port, tx, n);
		if (rc == KIOSK_OK)
			bus->stats->tx_done_us = kiosk_mono_us();
		if (rc == KIOSK_OK && !want)
			return KIOSK_OK;
		if (rc == KIOSK_OK)
			rc = read_frames(bus, p, want, reply, kiosk_mono_ms() + timeout_ms, &saw_bad);
		if (rc == 1) {
			bus->silent = 0;
			return KIOSK_OK;
		}
		if (rc < 0 && rc != KIOSK_ETIMEDOUT) {
			/* The port itself failed (adapter unplugged): reopen and go on trying. */
			if (hal_serial_reopen(bus->port) == KIOSK_OK)
				bus->stats->reopens++;
		}
	}
	bus->stats->timeouts++;
	if (++bus->silent >= REOPEN_AFTER) {
		bus->silent = 0;
		if (hal_serial_reopen(bus->port) == KIOSK_OK)
			bus->stats->reopens++;
	}
	return saw_bad ? KIOSK_EPROTO : KIOSK_ETIMEDOUT;
}

int lock_listen(struct lock_bus *bus, const struct lock_proto *p, int timeout_ms)
{
	int bad = 0;
	int rc = read_frames(bus, p, NULL, NULL, kiosk_mono_ms() + timeout_ms, &bad);
	return rc < 0 ? rc : KIOSK_OK;
}
