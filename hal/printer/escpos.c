#include "hal/printer/escpos.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <iconv.h>
#include <string.h>

static void put(struct escpos *e, const void *b, size_t n)
{
	if (e->err)
		return;
	if (e->len + n > e->cap) {
		size_t cap = e->cap ? e->cap : 512;
		while (cap < e->len + n)
			cap *= 2;
		uint8_t *nb = kiosk_realloc(e->buf, cap);
		if (!nb) {
			e->err = KIOSK_ENOMEM;
			return;
		}
		e->buf = nb;
		e->cap = cap;
	}
	memcpy(e->buf + e->len, b, n);
	e->len += n;
}

int escpos_begin(struct escpos *e)
{
	memset(e, 0, sizeof *e);
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	if (cd == (iconv_t)-1)
		return e->err = KIOSK_ENOTSUP;
	e->cd = cd;
	put(e, "\x1b\x40\x1c\x26", 4);
	return e->err;
}

void escpos_free(struct escpos *e)
{
	if (e->cd)
		iconv_close((iconv_t)e->cd);
	kiosk_free(e->buf);
	memset(e, 0, sizeof *e);
}

void escpos_align(struct escpos *e, enum escpos_align a)
{
	uint8_t b[3] = {0x1b, 0x61, (uint8_t)(a == ESCPOS_CENTRE ? 1 : a == ESCPOS_RIGHT ? 2 : 0)};
	put(e, b, 3);
}

void escpos_bold(struct escpos *e, bool on)
{
	uint8_t b[3] = {0x1b, 0x45, on ? 1 : 0};
	put(e, b, 3);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void escpos_size(struct escpos *e, int width, int height)
{
	uint8_t n = (uint8_t)(((clamp(width, 1, 8) - 1) << 4) | (clamp(height, 1, 8) - 1));
	uint8_t b[3] = {0x1d, 0x21, n};
	put(e, b, 3);
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
			       : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 2 && s[0] < 0xC2)
		return 0; /* overlong */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

void escpos_text(struct escpos *e, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	while (*s && !e->err) {
		size_t n = utf8_len(s);
		if (n == 1) {
			if (s[0] >= 0x20 && s[0] != 0x7F)
				put(e, s, 1);
			s++;
			continue;
		}
		char out[8];
		char *in = (char *)s, *o = out;
		size_t il = n, ol = sizeof out;
		/* one character at a time: a character iconv refuses costs itself only */
		if (n == 0 || (n == 2 && s[0] == 0xC2 && s[1] < 0xA0) || /* C1 controls */
		    iconv((iconv_t)e->cd, &in, &il, &o, &ol) == (size_t)-1) {
			iconv((iconv_t)e->cd, NULL, NULL, NULL, NULL);
			put(e, "?", 1);
			s += n ? n : 1;
			continue;
		}
		put(e, out, sizeof out - ol);
		s += n;
	}
}

void escpos_line(struct escpos *e, const char *utf8)
{
	escpos_text(e, utf8);
	put(e, "\n", 1);
}

void escpos_feed(struct escpos *e, int n)
{
	uint8_t b[3] = {0x1b, 0x64, (uint8_t)clamp(n, 0, 255)};
	put(e, b, 3);
}

void escpos_qr(struct escpos *e, const char *data, size_t len, int module)
{
	if (e->err)
		return;
	if (len == 0 || len > ESCPOS_QR_MAX) {
		e->err = KIOSK_EINVAL;
		return;
	}
	static const uint8_t model[] = {0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00};
	uint8_t size[] = {0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, (uint8_t)clamp(module, 1, 16)};
	static const uint8_t level[] = {0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 49}; /* M */
	uint8_t store[] = {0x1d, 0x28, 0x6b, (uint8_t)((len + 3) & 0xFF),
			   (uint8_t)((len + 3) >> 8), 0x31, 0x50, 0x30};
	static const uint8_t print[] = {0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30};
	put(e, model, sizeof model);
	put(e, size, sizeof size);
	put(e, level, sizeof level);
	put(e, store, sizeof store);
	put(e, data, len);
	put(e, print, sizeof print);
	put(e, "\n", 1);
}

void escpos_cut(struct escpos *e)
{
	put(e, "\x1d\x56\x42\x00", 4); /* function B feeds to the cutter itself */
}

int escpos_end(struct escpos *e, const uint8_t **bytes, size_t *len)
{
	put(e, "\x1c\x2e", 2);
	*bytes = e->err ? NULL : e->buf;
	*len = e->err ? 0 : e->len;
	return e->err;
}
