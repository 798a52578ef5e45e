/* What a code scanner sends, turned into codes (PROTOCOLS.md §6), pure (fuzzed in
 * fuzz_scan): serial mode's lines and USB HID keyboard mode's boot reports. A code is
 * printable ASCII, 1..SCAN_CODE_MAX bytes; anything else is refused whole with its reason,
 * and the next code starts clean. */
#ifndef KIOSK_HAL_SCAN_H
#define KIOSK_HAL_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCAN_CODE_MAX 256

enum scan_result {
	SCAN_NONE,      /* nothing finished yet */
	SCAN_CODE,      /* code holds one */
	SCAN_TOO_LONG,  /* a code longer than SCAN_CODE_MAX was dropped */
	SCAN_UNPRINTABLE, /* a code with a byte that is not printable ASCII was dropped */
};

/* Serial mode: one code per line, ended by CR, LF or CR LF. */
struct scan_line {
	char code[SCAN_CODE_MAX + 1];
	size_t n;
	bool too_long, unprintable, after_cr;
};
void scan_line_init(struct scan_line *s);
/* Feeds one byte; on SCAN_CODE, code is the line (NUL-terminated, valid until the next
 * feed). An empty line is nothing. */
enum scan_result scan_line_feed(struct scan_line *s, uint8_t b, const char **code);

/* USB HID keyboard mode: 8-byte boot reports (modifier, reserved, 6 key usages). A key is
 * typed when it appears in a report (held keys are not repeated); Enter ends the code.
 * US layout; either shift. */
struct scan_hid {
	uint8_t held[6];
	struct scan_line line;
};
void scan_hid_init(struct scan_hid *s);
/* Feeds one report of len bytes (a report that is not 8 bytes, or the keyboard's
 * "too many keys" report, changes nothing). Results as scan_line_feed; at most one code
 * per report (a scanner types one key per report). */
enum scan_result scan_hid_feed(struct scan_hid *s, const uint8_t *report, size_t len,
			       const char **code);

#endif
