/* A scanner in serial mode: ASCII, one code per line (PROTOCOLS.md §6). */
#include "hal/scanner/scanner.h"
#include "hal/serial.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct serial_scanner {
	struct scanner base;
	struct hal_serial *port;
	struct scan_line line;
	uint8_t buf[64]; /* read but not fed yet: the bytes after a finished code */
	size_t have, at;
};

static int ser_open(const char *rest, struct scanner **out, char *why, size_t wlen)
{
	char path[260];
	int baud = 9600;
	snprintf(path, sizeof path, "%s", rest);
	char *colon = strrchr(path, ':');
	if (colon) {
		baud = atoi(colon + 1);
		*colon = '\0';
	}
	struct serial_scanner *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	int rc = hal_serial_open(path, baud, &s->port);
	if (rc) {
		snprintf(why, wlen, "%s: %s", path, kiosk_strerror(rc));
		kiosk_free(s);
		return rc;
	}
	scan_line_init(&s->line);
	*out = &s->base;
	return KIOSK_OK;
}

static int ser_read(struct scanner *sc, enum scan_result *r, char *code, int timeout_ms)
{
	struct serial_scanner *s = (struct serial_scanner *)sc;
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	for (;;) {
		while (s->at < s->have) {
			const char *c;
			enum scan_result got = scan_line_feed(&s->line, s->buf[s->at++], &c);
			if (got != SCAN_NONE) {
				*r = got;
				if (c)
					memcpy(code, c, strlen(c) + 1);
				return KIOSK_OK;
			}
		}
		int64_t left = deadline - kiosk_mono_ms();
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		int n = hal_serial_read(s->port, s->buf, sizeof s->buf, (int)left);
		if (n == KIOSK_ETIMEDOUT)
			return n;
		if (n < 0)
			return KIOSK_EIO;
		s->have = (size_t)n;
		s->at = 0;
	}
}

static void ser_close(struct scanner *sc)
{
	struct serial_scanner *s = (struct serial_scanner *)sc;
	hal_serial_close(s->port);
	kiosk_free(s);
}

const struct scanner_ops scanner_serial_ops = {"serial", ser_open, ser_read, ser_close};
