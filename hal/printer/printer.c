#include "hal/printer/printer.h"
#include "hal/usb.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct printer_ops printer_usb_ops, printer_lp_ops, printer_tcp_ops,
	printer_file_ops;

/* Every transport, by its spec's scheme. */
static const struct printer_ops *const transports[] = {
	&printer_usb_ops, &printer_lp_ops, &printer_tcp_ops, &printer_file_ops,
};

const char *printer_state_name(enum printer_state s)
{
	static const char *const names[] = {"ok", "paper_out", "error", "offline", "unknown"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

static const struct printer_ops *find(const char *spec, const char **rest)
{
	for (size_t i = 0; i < sizeof transports / sizeof transports[0]; i++) {
		size_t n = strlen(transports[i]->scheme);
		if (strncmp(spec, transports[i]->scheme, n) == 0 && spec[n] == ':') {
			*rest = spec + n + 1;
			return transports[i];
		}
	}
	return NULL;
}

int printer_spec_check(const char *spec, char *why, size_t wlen)
{
	const char *rest;
	const struct printer_ops *t = find(spec, &rest);
	if (!t) {
		snprintf(why, wlen, "%.60s: not usb:VID:PID, lp:PATH, tcp:HOST:PORT or file:PATH",
			 spec);
		return KIOSK_ECONFIG;
	}
	for (const char *c = spec; *c; c++)
		if ((unsigned char)*c < 0x20) {
			snprintf(why, wlen, "%s: a control character in the spec", t->scheme);
			return KIOSK_ECONFIG;
		}
	if (strcmp(t->scheme, "usb") == 0) {
		uint16_t v, p;
		if (!usb_vidpid(rest, &v, &p)) {
			snprintf(why, wlen, "usb:VID:PID: want two hex numbers (usb:0416:5011)");
			return KIOSK_ECONFIG;
		}
		return KIOSK_OK;
	}
	if (strcmp(t->scheme, "tcp") == 0) {
		const char *colon = strrchr(rest, ':');
		char *end;
		long port = colon ? strtol(colon + 1, &end, 10) : 0;
		if (!colon || colon == rest || colon - rest > 253) {
			snprintf(why, wlen, "tcp:HOST:PORT: no host");
			return KIOSK_ECONFIG;
		}
		if (!colon[1] || *end || port < 1 || port > 65535) {
			snprintf(why, wlen, "tcp:HOST:PORT: port %.8s is not 1..65535", colon + 1);
			return KIOSK_ECONFIG;
		}
		return KIOSK_OK;
	}
	if (!rest[0] || strlen(rest) > 255) { /* lp and file: a path */
		snprintf(why, wlen, "%s:PATH: %s", t->scheme, rest[0] ? "path too long" : "no path");
		return KIOSK_ECONFIG;
	}
	return KIOSK_OK;
}

int printer_open(const char *spec, int timeout_ms, struct printer **out, char *why,
		 size_t wlen)
{
	*out = NULL;
	int rc = printer_spec_check(spec, why, wlen);
	if (rc)
		return rc;
	const char *rest;
	const struct printer_ops *t = find(spec, &rest);
	rc = t->open(rest, timeout_ms, out, why, wlen);
	if (rc == KIOSK_OK)
		(*out)->ops = t;
	return rc;
}

int printer_write(struct printer *p, const uint8_t *b, size_t n, int timeout_ms)
{
	return p->ops->write(p, b, n, timeout_ms);
}

int printer_status(struct printer *p, enum printer_state *st, int timeout_ms)
{
	int rc = p->ops->status(p, st, timeout_ms);
	if (rc)
		*st = PRINTER_OFFLINE;
	return rc;
}

void printer_close(struct printer *p)
{
	if (p)
		p->ops->close(p);
}

enum printer_state printer_port_status(uint8_t b)
{
	if (b & 0x20)
		return PRINTER_PAPER_OUT;
	if (!(b & 0x08))
		return PRINTER_ERROR;
	if (!(b & 0x10))
		return PRINTER_OFFLINE;
	return PRINTER_OK;
}

int printer_rt_status(uint8_t printer, uint8_t paper, enum printer_state *st)
{
	if ((printer & 0x93) != 0x12 || (paper & 0x93) != 0x12)
		return KIOSK_EPROTO;
	*st = (paper & 0x60) == 0x60 ? PRINTER_PAPER_OUT
	      : (printer & 0x08)     ? PRINTER_OFFLINE /* offline: cover open, feeding, error */
				     : PRINTER_OK;
	return KIOSK_OK;
}
