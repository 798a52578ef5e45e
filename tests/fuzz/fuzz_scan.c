/* libFuzzer: the scanner and printer bytes from outside. The first byte picks: a serial
 * scanner's stream (every code printable and at most 256 bytes), a HID keyboard's reports
 * (the same), a pickup QR (a code that fits), a printer or scanner spec, the printer's
 * status bytes, and text sent to the printer (it never becomes a command: the job decodes
 * to one job, no cut, no other command). */
#include "kiosk/flow/flow.h"
#include "hal/printer/escpos.h"
#include "hal/printer/printer.h"
#include "hal/scanner/scan.h"
#include "hal/scanner/scanner.h"
#include "hal/base/error.h"
#include "../escpos/escpos_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void code_ok(enum scan_result r, const char *code)
{
	if ((r == SCAN_CODE) != (code != NULL))
		abort();
	if (!code)
		return;
	size_t n = strlen(code);
	if (n < 1 || n > SCAN_CODE_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (code[i] < 0x20 || code[i] > 0x7E)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t *b = data + 1;
	size_t n = size - 1;
	char text[1024], why[200];
	size_t tn = n < sizeof text - 1 ? n : sizeof text - 1;
	memcpy(text, b, tn);
	text[tn] = '\0';
	switch (data[0] % 6) {
	case 0: {
		struct scan_line s;
		scan_line_init(&s);
		for (size_t i = 0; i < n; i++) {
			const char *code;
			code_ok(scan_line_feed(&s, b[i], &code), code);
		}
		break;
	}
	case 1: {
		static struct scan_hid h;
		scan_hid_init(&h);
		for (size_t i = 0; i + 8 <= n; i += 8) {
			const char *code;
			code_ok(scan_hid_feed(&h, b + i, b[i + 1] == 0xEE ? 7 : 8, &code), code);
		}
		break;
	}
	case 2: {
		char c[16];
		if (kiosk_flow_scan_last_segment(text, c, sizeof c) && (!c[0] || strlen(c) >= sizeof c))
			abort();
		break;
	}
	case 3: {
		int p = printer_spec_check(text, why, sizeof why);
		int s = scanner_spec_check(text, why, sizeof why);
		if ((p != KIOSK_OK && p != KIOSK_ECONFIG) || (s != KIOSK_OK && s != KIOSK_ECONFIG))
			abort();
		break;
	}
	case 4: {
		if (n < 2)
			break;
		enum printer_state st = PRINTER_UNKNOWN;
		int rc = printer_rt_status(b[0], b[1], &st);
		if (rc == KIOSK_OK ? st > PRINTER_OFFLINE : rc != KIOSK_EPROTO)
			abort();
		if (printer_port_status(b[0]) > PRINTER_OFFLINE)
			abort();
		break;
	}
	default: {
		struct escpos e;
		const uint8_t *out;
		size_t len;
		if (escpos_begin(&e) != KIOSK_OK)
			break;
		escpos_line(&e, text);
		if (escpos_end(&e, &out, &len) == KIOSK_OK) {
			static struct dec_receipt r;
			if (!escpos_decode(out, len, &r) || r.jobs != 1 || r.cuts || r.nqr ||
			    r.chinese)
				abort();
		}
		escpos_free(&e);
	}
	}
	return 0;
}
