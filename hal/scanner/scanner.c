#include "hal/scanner/scanner.h"
#include "hal/usb.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct scanner_ops scanner_serial_ops, scanner_hid_ops;

/* Every mode, by its spec's scheme. */
static const struct scanner_ops *const modes[] = {&scanner_serial_ops, &scanner_hid_ops};

static const struct scanner_ops *find(const char *spec, const char **rest)
{
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		size_t n = strlen(modes[i]->scheme);
		if (strncmp(spec, modes[i]->scheme, n) == 0 && spec[n] == ':') {
			*rest = spec + n + 1;
			return modes[i];
		}
	}
	return NULL;
}

int scanner_spec_check(const char *spec, char *why, size_t wlen)
{
	const char *rest;
	const struct scanner_ops *m = find(spec, &rest);
	if (!m) {
		snprintf(why, wlen, "%.60s: not serial:PATH[:BAUD] or hid:VID:PID", spec);
		return KIOSK_ECONFIG;
	}
	for (const char *c = spec; *c; c++)
		if ((unsigned char)*c < 0x20) {
			snprintf(why, wlen, "%s: a control character in the spec", m->scheme);
			return KIOSK_ECONFIG;
		}
	const char *colon = strrchr(rest, ':');
	if (m == &scanner_hid_ops) {
		uint16_t v, p;
		if (!usb_vidpid(rest, &v, &p)) {
			snprintf(why, wlen, "hid:VID:PID: want two hex numbers (hid:05e0:1200)");
			return KIOSK_ECONFIG;
		}
		return KIOSK_OK;
	}
	if (!rest[0] || strlen(rest) > 255 || colon == rest) {
		snprintf(why, wlen, "serial:PATH[:BAUD]: %s", rest[0] ? "bad path" : "no path");
		return KIOSK_ECONFIG;
	}
	if (colon) {
		char *end;
		long b = strtol(colon + 1, &end, 10);
		if (*end || (b != 9600 && b != 19200 && b != 38400 && b != 57600 && b != 115200)) {
			snprintf(why, wlen, "serial:PATH:BAUD: %.10s is not 9600, 19200, 38400,"
				 " 57600 or 115200", colon + 1);
			return KIOSK_ECONFIG;
		}
	}
	return KIOSK_OK;
}

int scanner_open(const char *spec, struct scanner **out, char *why, size_t wlen)
{
	*out = NULL;
	int rc = scanner_spec_check(spec, why, wlen);
	if (rc)
		return rc;
	const char *rest;
	const struct scanner_ops *m = find(spec, &rest);
	rc = m->open(rest, out, why, wlen);
	if (rc == KIOSK_OK)
		(*out)->ops = m;
	return rc;
}

int scanner_read(struct scanner *s, enum scan_result *r, char *code, int timeout_ms)
{
	*r = SCAN_NONE;
	code[0] = '\0';
	return s->ops->read(s, r, code, timeout_ms);
}

void scanner_close(struct scanner *s)
{
	if (s)
		s->ops->close(s);
}
