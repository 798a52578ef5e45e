/* A device that polls the host (as the FA FB vending board does: every 200 ms, answer
 * within 100 ms), played over a socketpair, and the toy bus on the generic skeleton that
 * serves it from its mailbox. Shared by test_shape (what it does) and make bench (how fast
 * it answers while the core is busy). */
#ifndef KIOSK_TESTS_TOY_BUS_H
#define KIOSK_TESTS_TOY_BUS_H

#include "kiosk/bus/bus.h"

#include <stdint.h>

/* The device side: polls times, one every period_ms; each poll sends 'P' and waits up to a
 * second for one byte back ('A' nothing to do, or a command byte). */
struct toy_device {
	int fd, polls, period_ms;
	int answered;
	char got[16]; /* command bytes received, in order */
	int ngot;
	double *lat_ms; /* polls entries: each answer's latency (may be NULL) */
};
void *toy_device_main(void *arg); /* a thread's body; arg is the struct toy_device */

/* The host side: the bus's device state (fd: the host's end, closed by the bus). */
struct toy_dev {
	int fd;
	int jobs_run;
};
/* Outcomes: 'J' a job ran (tag), 'E' a job expired (tag, rc), 'D' the device took cmd. */
struct toy_out {
	char kind;
	int rc;
	int64_t tag;
	char cmd;
};
/* Jobs are an int64_t tag. */
extern const struct kiosk_bus_ops toy_bus_ops;

#endif
