/* Code scanners, one ops table per mode in one registration table: "serial:PATH[:BAUD]"
 * (serial mode over RS232 or CDC-ACM, 9600 by default) and "hid:VID:PID" (USB HID keyboard
 * mode through libusb, the kernel's keyboard driver detached so scans never type into
 * anything else). Used from one thread (the scanner bus's worker). */
#ifndef KIOSK_HAL_SCANNER_H
#define KIOSK_HAL_SCANNER_H

#include "hal/scanner/scan.h"

#include <stddef.h>

struct scanner; /* opaque */

struct scanner_ops {
	const char *scheme;
	int (*open)(const char *rest, struct scanner **out, char *why, size_t wlen);
	/* Waits up to timeout_ms for one finished scan. */
	int (*read)(struct scanner *s, enum scan_result *r, char *code, int timeout_ms);
	void (*close)(struct scanner *s);
};

struct scanner {
	const struct scanner_ops *ops;
};

/* Whether spec is one of the forms, with why. KIOSK_OK or KIOSK_ECONFIG. Pure. */
int scanner_spec_check(const char *spec, char *why, size_t wlen);
/* KIOSK_OK; KIOSK_ECONFIG, KIOSK_ENOENT (not plugged in), KIOSK_EPERM, KIOSK_EIO — why. */
int scanner_open(const char *spec, struct scanner **out, char *why, size_t wlen);
/* One finished scan within timeout_ms: KIOSK_OK with *r (SCAN_CODE: code holds it, up to
 * SCAN_CODE_MAX + 1 bytes; SCAN_TOO_LONG or SCAN_UNPRINTABLE: refused), KIOSK_ETIMEDOUT for
 * none, KIOSK_EIO when the scanner went away (open it again). */
int scanner_read(struct scanner *s, enum scan_result *r, char *code, int timeout_ms);
void scanner_close(struct scanner *s);

#endif
