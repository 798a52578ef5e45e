/* ESC/POS, the receipt printer's language (PROTOCOLS.md §5): a job is built into bytes
 * here, pure, and a transport (printer.h) carries them. Text is UTF-8 in and GB18030 out
 * (iconv), inside Chinese mode; a control character in a text (a product's name from the
 * platform, a code) is never passed on, so no text can become a command.
 *
 * Errors are sticky: a call after one does nothing, and escpos_bytes() says the first. */
#ifndef KIOSK_HAL_ESCPOS_H
#define KIOSK_HAL_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_QR_MAX 512 /* a QR payload's bytes (a URL with a code fits many times) */

enum escpos_align { ESCPOS_LEFT, ESCPOS_CENTRE, ESCPOS_RIGHT };

struct escpos {
	uint8_t *buf; /* owned: escpos_free() */
	size_t len, cap;
	int err;      /* the first error, or KIOSK_OK */
	void *cd;     /* iconv_t, UTF-8 → GB18030 */
};

/* Begins a job: init (1B 40) and Chinese mode (1C 26). KIOSK_OK, KIOSK_ENOMEM, or
 * KIOSK_ENOTSUP when this system's iconv has no GB18030. */
int escpos_begin(struct escpos *e);
void escpos_free(struct escpos *e);

void escpos_align(struct escpos *e, enum escpos_align a);
void escpos_bold(struct escpos *e, bool on);
/* Character size, 1..8 times in each direction (clamped). */
void escpos_size(struct escpos *e, int width, int height);
/* Text as it is (no line end). Invalid UTF-8 is printed as '?'; control characters (tab
 * included) are dropped. */
void escpos_text(struct escpos *e, const char *utf8);
/* Text and a line end. */
void escpos_line(struct escpos *e, const char *utf8);
/* Prints and feeds n lines (0..255). */
void escpos_feed(struct escpos *e, int n);
/* A QR code of data (1..ESCPOS_QR_MAX bytes, else KIOSK_EINVAL), module size 1..16, error
 * level M, printed where the alignment says. */
void escpos_qr(struct escpos *e, const char *data, size_t len, int module);
/* Feeds past the cutter and cuts partially (1D 56 42 00). */
void escpos_cut(struct escpos *e);
/* Leaves Chinese mode (1C 2E); the job's bytes. KIOSK_OK, or the first error. */
int escpos_end(struct escpos *e, const uint8_t **bytes, size_t *len);

#endif
