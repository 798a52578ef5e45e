#include "hal/scanner/scan.h"

#include <string.h>

void scan_line_init(struct scan_line *s)
{
	memset(s, 0, sizeof *s);
}

enum scan_result scan_line_feed(struct scan_line *s, uint8_t b, const char **code)
{
	*code = NULL;
	if (b == '\n' && s->after_cr) { /* the LF of CR LF */
		s->after_cr = false;
		return SCAN_NONE;
	}
	s->after_cr = b == '\r';
	if (b == '\r' || b == '\n') {
		enum scan_result r = s->too_long      ? SCAN_TOO_LONG
				     : s->unprintable ? SCAN_UNPRINTABLE
				     : s->n           ? SCAN_CODE
						      : SCAN_NONE;
		s->code[s->n] = '\0';
		if (r == SCAN_CODE)
			*code = s->code;
		s->n = 0;
		s->too_long = s->unprintable = false;
		return r;
	}
	if (b < 0x20 || b > 0x7E)
		s->unprintable = true;
	else if (s->n == SCAN_CODE_MAX)
		s->too_long = true;
	else
		s->code[s->n++] = (char)b;
	return SCAN_NONE;
}

void scan_hid_init(struct scan_hid *s)
{
	memset(s, 0, sizeof *s);
	scan_line_init(&s->line);
}

/* Usage → ASCII, US layout: [usage][shift]; 0 for a key that types nothing we take. */
static char usage_char(uint8_t u, bool shift)
{
	static const char digits[] = "1234567890", shifted[] = "!@#$%^&*()";
	static const char punct[][2] = {
		{' ', ' '}, /* 2C */ {'-', '_'}, {'=', '+'}, {'[', '{'}, {']', '}'},
		{'\\', '|'}, /* 31 */ {0, 0}, /* 32: non-US # */ {';', ':'}, {'\'', '"'},
		{'`', '~'}, {',', '<'}, {'.', '>'}, {'/', '?'}, /* 38 */
	};
	if (u >= 0x04 && u <= 0x1D)
		return (char)((shift ? 'A' : 'a') + (u - 0x04));
	if (u >= 0x1E && u <= 0x27)
		return shift ? shifted[u - 0x1E] : digits[u - 0x1E];
	if (u >= 0x2C && u <= 0x38)
		return punct[u - 0x2C][shift];
	return 0;
}

enum scan_result scan_hid_feed(struct scan_hid *s, const uint8_t *report, size_t len,
			       const char **code)
{
	*code = NULL;
	if (len != 8 || report[2] == 0x01) /* ErrorRollOver: keys unknown, keep what is held */
		return SCAN_NONE;
	bool shift = report[0] & 0x22; /* left or right shift */
	enum scan_result r = SCAN_NONE;
	for (int i = 2; i < 8; i++) {
		uint8_t u = report[i];
		if (!u || memchr(s->held, u, sizeof s->held))
			continue; /* no key, or held from before */
		if (u == 0x28 || u == 0x58) { /* Enter, keypad Enter: the code is whole */
			r = scan_line_feed(&s->line, '\r', code);
			break;
		}
		char c = usage_char(u, shift);
		/* a key that types nothing of ours (F1, arrows) spoils the code, as a
		 * control byte does on a serial line */
		scan_line_feed(&s->line, c ? (uint8_t)c : 0x01, code);
	}
	memcpy(s->held, report + 2, sizeof s->held);
	return r;
}
