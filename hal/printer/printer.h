/* The receipt printer's transports, one ops table each in one registration table (as
 * curl's TLS backends): "usb:VID:PID" (bulk OUT through libusb), "lp:/dev/usb/lp0" (the
 * kernel's printer device), "tcp:HOST:PORT" (a network printer's raw port, often 9100) and
 * "file:PATH" (a job appended to a file: tests, and a printer that is a file). The same
 * spec syntax serves the config and `kioskctl hal print --device`.
 *
 * A printer is used from one thread (the printer bus's worker). Every call is bounded by
 * its timeout: a printer that stalls costs its own bus only. */
#ifndef KIOSK_HAL_PRINTER_H
#define KIOSK_HAL_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum printer_state {
	PRINTER_OK,
	PRINTER_PAPER_OUT,
	PRINTER_ERROR,   /* cover open, cutter, overheated: the printer says it cannot */
	PRINTER_OFFLINE, /* it does not answer, or went away */
	PRINTER_UNKNOWN, /* this transport cannot ask (a file, an lp device without status) */
};
const char *printer_state_name(enum printer_state s); /* "ok", "paper_out", … */

struct printer; /* opaque */

struct printer_ops {
	const char *scheme;
	/* rest: the spec after "scheme:", checked by printer_spec_check. */
	int (*open)(const char *rest, int timeout_ms, struct printer **out, char *why,
		    size_t wlen);
	int (*write)(struct printer *p, const uint8_t *b, size_t n, int timeout_ms);
	int (*status)(struct printer *p, enum printer_state *st, int timeout_ms);
	void (*close)(struct printer *p);
};

/* Whether spec is one of the four forms, with why naming what is wrong ("tcp:HOST:PORT:
 * port 0 is not 1..65535"). KIOSK_OK or KIOSK_ECONFIG. Pure (fuzzed). */
int printer_spec_check(const char *spec, char *why, size_t wlen);

/* Opens the printer spec names. KIOSK_OK; KIOSK_ECONFIG (a wrong spec), KIOSK_ENOENT (no
 * such device), KIOSK_EPERM, KIOSK_ETIMEDOUT, KIOSK_EIO — with why. */
int printer_open(const char *spec, int timeout_ms, struct printer **out, char *why,
		 size_t wlen);
/* Writes all of b within timeout_ms. KIOSK_OK, KIOSK_ETIMEDOUT (the printer took part and
 * stalled: the job is not whole), KIOSK_EIO (it went away). */
int printer_write(struct printer *p, const uint8_t *b, size_t n, int timeout_ms);
/* What the printer says of itself. KIOSK_OK with *st, or the transport's error (then
 * *st is PRINTER_OFFLINE). */
int printer_status(struct printer *p, enum printer_state *st, int timeout_ms);
void printer_close(struct printer *p);

/* The printer port status byte (USB class request GET_PORT_STATUS, and the kernel's
 * LPGETSTATUS): bit 3 not error, bit 4 selected, bit 5 paper empty. Pure. */
enum printer_state printer_port_status(uint8_t b);
/* The real-time status bytes a printer sends for DLE EOT 1 (printer) and DLE EOT 4 (paper
 * roll): each has bit 1 and bit 4 set and bits 0 and 7 clear, else KIOSK_EPROTO. Pure. */
int printer_rt_status(uint8_t printer, uint8_t paper, enum printer_state *st);

/* The base of every transport's handle (transports embed it first). */
struct printer {
	const struct printer_ops *ops;
};

#endif
