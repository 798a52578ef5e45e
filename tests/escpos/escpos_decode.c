#include "escpos_decode.h"

#include <iconv.h>
#include <stdio.h>
#include <string.h>

struct st {
	struct dec_receipt *r;
	char raw[512]; /* the current line's bytes, as sent */
	size_t nraw;
	int align, width, height;
	bool bold;
};

static bool fail(struct st *s, size_t at, const char *what)
{
	snprintf(s->r->error, sizeof s->r->error, "offset %zu: %s", at, what);
	return false;
}

/* The line so far, into UTF-8. */
static void end_line(struct st *s)
{
	struct dec_receipt *r = s->r;
	if (r->nlines == DEC_LINES)
		return;
	struct dec_line *l = &r->line[r->nlines++];
	memset(l, 0, sizeof *l);
	l->align = s->align;
	l->bold = s->bold;
	l->width = s->width;
	l->height = s->height;
	iconv_t cd = iconv_open("UTF-8", r->chinese ? "GB18030" : "ISO-8859-1");
	char *in = s->raw, *out = l->text;
	size_t il = s->nraw, ol = sizeof l->text - 1;
	if (cd == (iconv_t)-1 || iconv(cd, &in, &il, &out, &ol) == (size_t)-1)
		snprintf(l->text, sizeof l->text, "<undecodable>");
	else
		*out = '\0';
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	s->nraw = 0;
}

bool escpos_decode(const uint8_t *b, size_t n, struct dec_receipt *r)
{
	memset(r, 0, sizeof *r);
	struct st s = {.r = r, .width = 1, .height = 1};
	size_t i = 0;
#define NEED(k)                                                                                    \
	do {                                                                                       \
		if (i + (k) > n)                                                                   \
			return fail(&s, i, "command cut short");                                   \
	} while (0)
	while (i < n) {
		uint8_t c = b[i];
		if (c == '\n') {
			end_line(&s);
			i++;
		} else if (c >= 0x20 && c != 0x7F) {
			if (s.nraw < sizeof s.raw)
				s.raw[s.nraw++] = (char)c;
			i++;
		} else if (c == 0x1B) { /* ESC */
			NEED(2);
			uint8_t k = b[i + 1];
			if (k == 0x40) {
				r->jobs++;
				s.align = 0, s.bold = false, s.width = s.height = 1;
				i += 2;
				continue;
			}
			NEED(3);
			if (k == 0x61 && b[i + 2] <= 2)
				s.align = b[i + 2];
			else if (k == 0x45 && b[i + 2] <= 1)
				s.bold = b[i + 2];
			else if (k == 0x64) {
				if (s.nraw)
					end_line(&s);
				r->feeds += b[i + 2];
			} else
				return fail(&s, i, "unknown ESC command");
			i += 3;
		} else if (c == 0x1C) { /* FS */
			NEED(2);
			if (b[i + 1] == 0x26)
				r->chinese = true;
			else if (b[i + 1] == 0x2E)
				r->chinese = false;
			else
				return fail(&s, i, "unknown FS command");
			i += 2;
		} else if (c == 0x1D) { /* GS */
			NEED(2);
			uint8_t k = b[i + 1];
			if (k == 0x21) {
				NEED(3);
				s.width = (b[i + 2] >> 4) + 1;
				s.height = (b[i + 2] & 0x0F) + 1;
				i += 3;
			} else if (k == 0x56) {
				NEED(4);
				if ((b[i + 2] != 0x41 && b[i + 2] != 0x42))
					return fail(&s, i, "unknown cut");
				if (s.nraw)
					end_line(&s);
				if (r->nlines)
					r->line[r->nlines - 1].cut = true;
				r->cuts++;
				i += 4;
			} else if (k == 0x28) { /* GS ( k pL pH cn fn ... */
				NEED(7);
				if (b[i + 2] != 0x6B || b[i + 5] != 0x31)
					return fail(&s, i, "unknown GS ( function");
				size_t len = (size_t)b[i + 3] | ((size_t)b[i + 4] << 8);
				NEED(5 + len);
				uint8_t fn = b[i + 6];
				if (fn == 0x50) { /* store: 30 then the data */
					if (len < 3 || b[i + 7] != 0x30 || r->nqr == DEC_QRS)
						return fail(&s, i, "bad QR store");
					size_t dl = len - 3;
					if (dl >= sizeof r->qr[0])
						return fail(&s, i, "QR payload too long");
					memcpy(r->qr[r->nqr], b + i + 8, dl);
					r->qr[r->nqr][dl] = '\0';
				} else if (fn == 0x51) { /* print what was stored */
					if (s.nraw)
						end_line(&s);
					if (r->nlines < DEC_LINES) {
						char payload[241];
						snprintf(payload, sizeof payload, "%.240s", r->qr[r->nqr]);
						struct dec_line *l = &r->line[r->nlines++];
						memset(l, 0, sizeof *l);
						l->qr = true;
						l->align = s.align;
						snprintf(l->text, sizeof l->text, "[QR %s]", payload);
					}
					r->nqr++;
				} else if (fn != 0x41 && fn != 0x43 && fn != 0x45) {
					return fail(&s, i, "unknown QR function");
				}
				i += 5 + len;
			} else {
				return fail(&s, i, "unknown GS command");
			}
		} else if (c == 0x10) { /* DLE EOT n: a status question, nothing printed */
			NEED(3);
			if (b[i + 1] != 0x04 || b[i + 2] < 1 || b[i + 2] > 4)
				return fail(&s, i, "unknown DLE command");
			i += 3;
		} else {
			return fail(&s, i, "a control byte in the text");
		}
	}
	if (s.nraw)
		end_line(&s);
	return true;
}

void escpos_decode_text(const struct dec_receipt *r, char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (int i = 0; i < r->nlines && at + 1 < cap; i++) {
		int w = snprintf(out + at, cap - at, "%s\n", r->line[i].text);
		if (w < 0)
			break;
		at += (size_t)w;
	}
}
