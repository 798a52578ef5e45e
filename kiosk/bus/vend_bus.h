/* The vending drive board's bus, on the generic bus (kiosk/bus/bus.h): the board polls
 * every 200 ms and wants its answer within 100 ms, so its worker answers from the mailbox
 * the core fills ahead (kiosk_vend_bus_send) — never from SQLite, never waiting for the
 * core — ACKs its reports, and posts what happened: the command ACKed, each report once,
 * a command never ACKed. A board that stops polling for 2 s makes the bus faulty. With
 * nothing to send it asks the machine's status every few seconds (its reply a report
 * tagged -1). */
#ifndef KIOSK_BUS_VEND_BUS_H
#define KIOSK_BUS_VEND_BUS_H

#include "hal/serial.h"
#include "hal/vend/fafb_frames.h"

#include <stdbool.h>
#include <stdint.h>

#define KIOSK_VEND_SILENT_MS 2000
#define KIOSK_VEND_STATUS_MS 5000 /* how often an idle bus asks the machine's status */

enum kiosk_vend_outcome_kind {
	KIOSK_VEND_ACKED,  /* the command tagged tag reached the board */
	KIOSK_VEND_REPORT, /* a report (frame), once however often the board sent it */
	KIOSK_VEND_LOST,   /* the command tagged tag was never ACKed: its outcome unknown */
};

struct kiosk_vend_outcome {
	enum kiosk_vend_outcome_kind kind;
	/* ACKED, LOST: the command's; REPORT: the last command's; -1: the bus's own status
	 * request, sent first (a host just started must not repeat the board's last PackNO) */
	int64_t tag;
	struct fafb_frame frame; /* REPORT */
};

struct kiosk_vend_bus; /* opaque */

/* Starts the worker on an open port (FAFB_BAUD); it owns s from here on and closes it in
 * kiosk_vend_bus_stop(). *out owned by the caller; on failure s is still the caller's. */
int kiosk_vend_bus_start(struct hal_serial *s, struct kiosk_vend_bus **out);
void kiosk_vend_bus_stop(struct kiosk_vend_bus *b);
/* Core: a command for the board's next POLL (its PackNO is the bus's), answered in order.
 * Never waits. KIOSK_EBUSY when the mailbox is full, KIOSK_EINVAL for a command with more
 * than 8 bytes of text. */
int kiosk_vend_bus_send(struct kiosk_vend_bus *b, int64_t tag, const struct fafb_frame *cmd);
int kiosk_vend_bus_fd(const struct kiosk_vend_bus *b);
/* Core: the oldest outcome, 1; 0 when none waits (the fd cleared). */
int kiosk_vend_bus_take(struct kiosk_vend_bus *b, struct kiosk_vend_outcome *out);
/* True while the board polls; else why (cap bytes). */
bool kiosk_vend_bus_health(struct kiosk_vend_bus *b, char *why, size_t cap);
/* The slowest answer to a POLL so far, from its last byte read to the answer written, µs
 * (the bench's figure; the board's limit is 100 ms). */
int64_t kiosk_vend_bus_slowest_us(struct kiosk_vend_bus *b);

#endif
