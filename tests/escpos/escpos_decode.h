/* The test side of ESC/POS: a printer's byte stream turned back into what would be on the
 * paper — lines of text (GB18030 → UTF-8 inside Chinese mode), each with its alignment,
 * boldness and size, the QR codes' payloads, and the cut — so a test asserts a receipt as a
 * person would read it. A byte it does not know is an error: our encoder must send only
 * what PROTOCOLS.md §5 names. */
#ifndef KIOSK_TEST_ESCPOS_DECODE_H
#define KIOSK_TEST_ESCPOS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_LINES 128
#define DEC_QRS 8

struct dec_line {
	char text[256]; /* UTF-8; a QR code's line is "[QR <payload>]" */
	int align;      /* 0 left, 1 centre, 2 right */
	bool bold;
	int width, height; /* character size, 1.. */
	bool qr;
	bool cut; /* the paper was cut after this line */
};

struct dec_receipt {
	struct dec_line line[DEC_LINES];
	int nlines;
	char qr[DEC_QRS][520];
	int nqr;
	int jobs;      /* ESC @ seen */
	int cuts;
	int feeds;     /* lines fed by ESC d */
	bool chinese;  /* inside FS & at the end */
	char error[128]; /* "" when the stream was all known */
};

/* Decodes n bytes; false with r->error set on anything unknown or cut short. */
bool escpos_decode(const uint8_t *b, size_t n, struct dec_receipt *r);
/* The receipt's text, lines joined by '\n' (out: cap bytes). */
void escpos_decode_text(const struct dec_receipt *r, char *out, size_t cap);

#endif
