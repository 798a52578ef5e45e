/* A code scanner's bus, on the generic bus (kiosk/bus/bus.h): its worker opens the scanner
 * the spec names (hal/scanner/scanner.h), reads finished scans and posts each one; a scanner
 * that is not there is looked for again every 2 s, and one unplugged is let go and picked
 * up again when it comes back — no restart. A scanner that floods delays only this bus. */
#ifndef KIOSK_BUS_SCAN_BUS_H
#define KIOSK_BUS_SCAN_BUS_H

#include "hal/scanner/scan.h"

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_SCAN_RETRY_MS 2000

struct kiosk_scan_outcome {
	enum scan_result result;        /* SCAN_CODE, SCAN_TOO_LONG, SCAN_UNPRINTABLE */
	char code[SCAN_CODE_MAX + 1];   /* SCAN_CODE */
};

struct kiosk_scan_bus; /* opaque */

/* Starts the worker for spec (checked by the config). *out owned by the caller. */
int kiosk_scan_bus_start(const char *spec, struct kiosk_scan_bus **out);
void kiosk_scan_bus_stop(struct kiosk_scan_bus *b);
int kiosk_scan_bus_fd(const struct kiosk_scan_bus *b);
/* Core: the oldest scan, 1; 0 when none waits. */
int kiosk_scan_bus_take(struct kiosk_scan_bus *b, struct kiosk_scan_outcome *out);
/* True while the scanner is open; else why (cap bytes): not plugged in, unplugged. */
bool kiosk_scan_bus_health(struct kiosk_scan_bus *b, char *why, size_t cap);

#endif
